//! Writes a sample dispute dossier: `cargo run -p lentera-render --example dossier -- out.pdf`.

use lentera_render::{Block, Document};

fn main() -> std::io::Result<()> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "dossier.pdf".to_owned());
    let mut doc = Document::new("Kronologi sengketa informasi 017/KI-KC/II/2026");
    doc.set_author("PPID Kota Contoh");
    doc.push(Block::Title("Kronologi sengketa informasi".into()))
        .push(Block::KeyValue(vec![
            ("Nomor register".into(), "017/KI-KC/II/2026".into()),
            ("Pemohon".into(), "Siti Rahayu".into()),
            (
                "Badan publik".into(),
                "Dinas Pekerjaan Umum Kota Contoh".into(),
            ),
            (
                "Informasi yang dimohon".into(),
                "Salinan kontrak pengadaan jalan lingkungan tahun anggaran 2025 beserta \
                 addendum dan berita acara serah terima pekerjaan"
                    .into(),
            ),
        ]))
        .push(Block::Heading("Ringkasan".into()))
        .push(Block::Paragraph(
            "Keberatan diajukan pada Senin, 2 Februari 2026 karena permohonan tidak ditanggapi \
             dalam jangka waktu sepuluh hari kerja. Pemohon menyatakan bahwa “informasi ini \
             terbuka” – sesuai UU 14/2008 (Pasal 35 ayat 1 huruf c)."
                .into(),
        ))
        .push(Block::Heading("Peristiwa".into()))
        .push(Block::Table {
            header: vec![
                "No".into(),
                "Tanggal".into(),
                "Peristiwa".into(),
                "Dasar".into(),
            ],
            rows: (1..=60)
                .map(|i| {
                    vec![
                        i.to_string(),
                        format!("{} Februari 2026", 1 + i % 28),
                        format!(
                            "Peristiwa ke-{i}: surat diterima dan dicatat oleh petugas layanan \
                             informasi; salinan dikirim kepada pemohon."
                        ),
                        "Pasal 22".into(),
                    ]
                })
                .collect(),
        });
    std::fs::write(&path, doc.to_pdf())?;
    println!("{path}");
    Ok(())
}
