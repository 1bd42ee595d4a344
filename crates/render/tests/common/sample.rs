//! A sample annual report with every kind of block: 12 tables (one long enough to span
//! pages), two SVG charts, facts, checks, paragraphs with typst-special characters and
//! signatures. Shared by the tests and `examples/report_pdf.rs`.

use lentera_render::report::{Block, Cell, Chapter, Fact, Report, Section, Signature, Table};

/// The paragraph whose characters would be markup if typst evaluated it.
pub const SPECIAL: &str = "Teks pengguna: #set page(width: 1cm) dan $x^2$ serta *bold* _miring_ \
     [link] <label> @ref `kode` \\ garis miring — harus tercetak apa adanya.";

pub const MONTHS: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

fn para(t: &str) -> Block {
    Block::Paragraph { text: t.to_owned() }
}

fn section(number: &str, title: &str, blocks: Vec<Block>) -> Section {
    Section {
        number: Some(number.to_owned()),
        title: Some(title.to_owned()),
        blocks,
    }
}

/// A monthly table: 12 rows, `cols` numeric columns and a totals row.
fn monthly(id: &str, caption: &str, cols: &[&str], seed: u64) -> Block {
    let mut columns = vec!["Bulan".to_owned()];
    columns.extend(cols.iter().map(|c| (*c).to_owned()));
    let mut totals = vec![0u64; cols.len()];
    let rows = MONTHS
        .iter()
        .enumerate()
        .map(|(m, name)| {
            let mut row = vec![Cell::text(*name)];
            for (j, t) in totals.iter_mut().enumerate() {
                let n = (seed * 37 + m as u64 * 13 + j as u64 * 7) % 90 + 10;
                *t += n;
                row.push(Cell::count(n));
            }
            row
        })
        .collect();
    let mut footer = vec![Cell::text("Jumlah")];
    footer.extend(totals.into_iter().map(Cell::count));
    Block::Table(Table {
        id: id.to_owned(),
        caption: caption.to_owned(),
        columns,
        rows,
        footer: Some(footer),
        note: Some("Sumber: register permohonan; dihitung otomatis.".to_owned()),
    })
}

/// A bar chart of twelve values, as the application draws them.
pub fn bar_chart(values: &[u64]) -> String {
    let max = values.iter().copied().max().unwrap_or(1).max(1);
    let mut svg = String::from(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="480" height="200" viewBox="0 0 480 200"><rect width="480" height="200" fill="#ffffff"/>"##,
    );
    for (i, v) in values.iter().enumerate() {
        let h = v * 150 / max;
        let x = 20 + i * 38;
        svg.push_str(&format!(
            r##"<rect x="{x}" y="{}" width="28" height="{h}" fill="#3e6fb0"/><text x="{}" y="190" font-size="10" text-anchor="middle">{}</text>"##,
            170 - h,
            x + 14,
            &MONTHS[i % 12][..3],
        ));
    }
    svg.push_str("</svg>");
    svg
}

pub fn sample_report() -> Report {
    let long_table = Block::Table(Table {
        id: "3.4".to_owned(),
        caption: "Tabel 3.4 Permohonan menurut jenis informasi yang dimohon".to_owned(),
        columns: vec![
            "Jenis informasi".to_owned(),
            "Permohonan".to_owned(),
            "Dikabulkan".to_owned(),
            "Persentase".to_owned(),
        ],
        rows: (1..=70u64)
            .map(|i| {
                let n = 100 + i * 7;
                let ok = n * 3 / 4;
                vec![
                    Cell::text(format!("Jenis informasi nomor {i} (dokumen anggaran)")),
                    Cell::count(n),
                    Cell::count(ok),
                    Cell::percent(Some(ok as f64 * 100.0 / n as f64)),
                ]
            })
            .collect(),
        footer: Some(vec![
            Cell::text("Jumlah"),
            Cell::count(24_185),
            Cell::count(18_112),
            Cell::percent(Some(74.9)),
        ]),
        note: Some("Persentase = dikabulkan / permohonan × 100.".to_owned()),
    });
    let values: Vec<u64> = (0..12).map(|m| 20 + (m * 17) % 60).collect();
    Report {
        title: "LAPORAN LAYANAN INFORMASI PUBLIK".to_owned(),
        subtitle: "Pejabat Pengelola Informasi dan Dokumentasi Kota Contoh".to_owned(),
        period: "Tahun 2025".to_owned(),
        generated: "Dihitung dari register Lentera pada 5 Januari 2026 pukul 08.00 WIB.".to_owned(),
        chapters: vec![
            Chapter {
                number: "I".to_owned(),
                title: "Pendahuluan".to_owned(),
                sections: vec![
                    Section {
                        number: None,
                        title: None,
                        blocks: vec![
                            para(
                                "Laporan ini disusun berdasarkan Undang-Undang Nomor 14 Tahun \
                                 2008 tentang Keterbukaan Informasi Publik dan Peraturan Komisi \
                                 Informasi Nomor 1 Tahun 2021.\n\nPejabat Pengelola Informasi \
                                 dan Dokumentasi (PPID) wajib menyampaikan laporan layanan \
                                 informasi publik setiap tahun.",
                            ),
                            para(SPECIAL),
                        ],
                    },
                    section(
                        "1.1",
                        "Ringkasan",
                        vec![Block::Facts {
                            rows: vec![
                                Fact {
                                    label: "Jumlah permohonan".to_owned(),
                                    value: Cell::count(1234),
                                },
                                Fact {
                                    label: "Rata-rata waktu layanan (hari kerja)".to_owned(),
                                    value: Cell::decimal(Some(4.25)),
                                },
                                Fact {
                                    label: "Permohonan dikabulkan".to_owned(),
                                    value: Cell::percent(Some(87.5)),
                                },
                            ],
                        }],
                    ),
                ],
            },
            Chapter {
                number: "II".to_owned(),
                title: "Kebijakan dan Sarana Layanan".to_owned(),
                sections: vec![section(
                    "2.1",
                    "Sarana dan prasarana",
                    vec![
                        para("Layanan dibuka Senin sampai Jumat pukul 08.00–16.00 WIB."),
                        monthly(
                            "2.1",
                            "Tabel 2.1 Kunjungan ke meja layanan per bulan",
                            &["Kunjungan", "Daring"],
                            1,
                        ),
                    ],
                )],
            },
            Chapter {
                number: "III".to_owned(),
                title: "Rincian Pelayanan Informasi".to_owned(),
                sections: vec![
                    section(
                        "3.1",
                        "Permohonan per bulan",
                        vec![
                            monthly(
                                "3.1",
                                "Tabel 3.1 Jumlah permohonan per bulan dan saluran",
                                &["Datang", "Surat", "Surel", "Situs"],
                                2,
                            ),
                            Block::Chart {
                                title: "Gambar 3.1 Permohonan per bulan".to_owned(),
                                svg: bar_chart(&values),
                            },
                            monthly(
                                "3.2",
                                "Tabel 3.2 Permohonan selesai per bulan",
                                &["Selesai", "Ditolak"],
                                3,
                            ),
                            monthly(
                                "3.3",
                                "Tabel 3.3 Waktu layanan per bulan",
                                &["≤ 10 hari", "> 10 hari"],
                                4,
                            ),
                        ],
                    ),
                    section("3.4", "Jenis informasi", vec![long_table]),
                    section(
                        "3.5",
                        "Pemeriksaan",
                        vec![
                            Block::Check {
                                text: "Jumlah per bulan cocok dengan jumlah per saluran."
                                    .to_owned(),
                                ok: true,
                            },
                            Block::Check {
                                text: "Tiga permohonan belum memiliki tanggal selesai.".to_owned(),
                                ok: false,
                            },
                        ],
                    ),
                ],
            },
            Chapter {
                number: "IV".to_owned(),
                title: "Penolakan Permohonan".to_owned(),
                sections: vec![section(
                    "4.1",
                    "Alasan penolakan",
                    vec![
                        monthly(
                            "4.1",
                            "Tabel 4.1 Penolakan per bulan dan alasan",
                            &["Dikecualikan", "Belum dikuasai", "Lainnya"],
                            5,
                        ),
                        monthly(
                            "4.2",
                            "Tabel 4.2 Uji konsekuensi per bulan",
                            &["Dilakukan"],
                            6,
                        ),
                        Block::Chart {
                            title: "Gambar 4.1 Penolakan per bulan".to_owned(),
                            svg: bar_chart(&values[..6]),
                        },
                    ],
                )],
            },
            Chapter {
                number: "V".to_owned(),
                title: "Keberatan dan Sengketa Informasi".to_owned(),
                sections: vec![section(
                    "5.1",
                    "Keberatan",
                    vec![
                        monthly("5.1", "Tabel 5.1 Keberatan per bulan", &["Diterima"], 7),
                        monthly(
                            "5.2",
                            "Tabel 5.2 Tanggapan atas keberatan",
                            &["Diterima", "Ditolak"],
                            8,
                        ),
                        monthly(
                            "5.3",
                            "Tabel 5.3 Sengketa informasi per bulan",
                            &["Mediasi", "Ajudikasi"],
                            9,
                        ),
                    ],
                )],
            },
            Chapter {
                number: "VI".to_owned(),
                title: "Kendala dan Rekomendasi".to_owned(),
                sections: vec![section(
                    "6.1",
                    "Kendala",
                    vec![
                        para(
                            "Kendala utama adalah keterbatasan petugas; direkomendasikan \
                             penambahan dua orang pada tahun berikutnya.",
                        ),
                        monthly(
                            "6.1",
                            "Tabel 6.1 Jam pelatihan petugas per bulan",
                            &["Jam"],
                            10,
                        ),
                        monthly(
                            "6.2",
                            "Tabel 6.2 Anggaran layanan per bulan",
                            &["Juta Rp"],
                            11,
                        ),
                    ],
                )],
            },
        ],
        signatures: vec![
            Signature {
                prefix: "Mengetahui,".to_owned(),
                role: "Atasan PPID".to_owned(),
                name: "Dr. Hendra Wijaya, M.Si.".to_owned(),
                place_date: String::new(),
            },
            Signature {
                prefix: String::new(),
                role: "PPID Kota Contoh".to_owned(),
                name: String::new(),
                place_date: "Kota Contoh, 5 Januari 2026".to_owned(),
            },
        ],
    }
}
