//! End-to-end checks of the PDF output: the file structure is parsed here, and when poppler's
//! `pdftotext`/`pdfinfo` are installed the text is extracted back and compared.

use std::path::PathBuf;
use std::process::Command;

use lentera_render::{Block, Document};

/// A dossier long enough to span several pages.
fn dossier() -> Document {
    let mut doc = Document::new("Kronologi sengketa informasi");
    doc.set_author("PPID Kota Contoh");
    doc.push(Block::Title("Kronologi sengketa informasi".into()))
        .push(Block::KeyValue(vec![
            ("Nomor register".into(), "017/KI-KC/II/2026".into()),
            ("Pemohon".into(), "Siti Rahayu".into()),
            (
                "Informasi yang dimohon".into(),
                "Salinan kontrak pengadaan jalan lingkungan tahun anggaran 2025 beserta addendum"
                    .into(),
            ),
        ]))
        .push(Block::Heading("Ringkasan".into()))
        .push(Block::Paragraph(
            "Keberatan diajukan pada Senin, 2 Februari 2026 karena permohonan tidak ditanggapi \
             dalam jangka waktu sepuluh hari kerja. Kutipan pemohon: “informasi ini terbuka” – \
             sesuai UU 14/2008 (Pasal 35). Catatan café: tanda kurung \\ dan garis miring."
                .into(),
        ))
        .push(Block::Heading("Peristiwa".into()))
        .push(Block::Table {
            header: vec!["No".into(), "Tanggal".into(), "Peristiwa".into()],
            rows: (1..=60)
                .map(|i| {
                    vec![
                        i.to_string(),
                        format!("{} Februari 2026", 1 + i % 28),
                        format!(
                            "Peristiwa ke-{i}: surat diterima dan dicatat oleh petugas layanan \
                             informasi; salinan dikirim kepada pemohon melalui pos elektronik."
                        ),
                    ]
                })
                .collect(),
        })
        .push(Block::PageBreak)
        .push(Block::Paragraph("Penutup — dokumen selesai.".into()));
    doc
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

fn ascii_number(bytes: &[u8]) -> usize {
    std::str::from_utf8(bytes)
        .expect("ASCII number")
        .trim()
        .parse()
        .expect("a number")
}

/// Parses the trailer and the cross-reference table and checks every entry; returns the
/// number of objects.
fn check_structure(pdf: &[u8]) -> usize {
    assert!(pdf.starts_with(b"%PDF-1."), "header");
    assert!(pdf.ends_with(b"%%EOF\n"), "end of file marker");

    let startxref = rfind(pdf, b"startxref\n").expect("startxref");
    let tail = &pdf[startxref + b"startxref\n".len()..];
    let end = find(tail, b"\n").expect("line end after startxref");
    let xref = ascii_number(&tail[..end]);
    assert!(
        pdf[xref..].starts_with(b"xref\n"),
        "startxref points at the xref table"
    );

    let mut lines = pdf[xref..].split(|&b| b == b'\n');
    assert_eq!(lines.next(), Some(&b"xref"[..]));
    let subsection = lines.next().expect("subsection header");
    let mut fields = subsection.split(|&b| b == b' ');
    assert_eq!(fields.next().map(ascii_number), Some(0));
    let count = fields.next().map(ascii_number).expect("object count");
    assert!(count > 5);

    // Entries are exactly 20 bytes: 10-digit offset, space, 5-digit generation, space, type,
    // space, line feed.
    let entries_start = xref + b"xref\n".len() + subsection.len() + 1;
    for i in 0..count {
        let entry = &pdf[entries_start + 20 * i..entries_start + 20 * (i + 1)];
        assert_eq!(
            (entry[10], entry[16], &entry[18..]),
            (b' ', b' ', &b" \n"[..]),
            "entry {i}"
        );
        let offset = ascii_number(&entry[..10]);
        let generation = ascii_number(&entry[11..16]);
        if i == 0 {
            assert_eq!((offset, generation, entry[17]), (0, 65535, b'f'));
            continue;
        }
        assert_eq!((generation, entry[17]), (0, b'n'), "entry {i}");
        let header = format!("{i} 0 obj\n");
        assert!(
            pdf[offset..].starts_with(header.as_bytes()),
            "xref entry {i} points at {:?}",
            String::from_utf8_lossy(&pdf[offset..(offset + 20).min(pdf.len())])
        );
    }
    let trailer = &pdf[entries_start + 20 * count..];
    assert!(trailer.starts_with(b"trailer\n<<"));
    let size = format!("/Size {count} ");
    assert!(find(trailer, size.as_bytes()).is_some(), "trailer /Size");
    assert!(find(trailer, b"/Root 1 0 R").is_some());
    assert!(find(trailer, b"/Info 5 0 R").is_some());

    // Every stream's /Length is the exact number of bytes between `stream` and `endstream`.
    let mut rest = pdf;
    while let Some(at) = find(rest, b"/Length ") {
        let after = &rest[at + b"/Length ".len()..];
        let digits = after.iter().take_while(|b| b.is_ascii_digit()).count();
        let length = ascii_number(&after[..digits]);
        let data = find(after, b"stream\n").expect("stream keyword") + b"stream\n".len();
        assert!(
            after[data + length..].starts_with(b"\nendstream"),
            "stream length {length}"
        );
        rest = &after[data + length..];
    }
    count
}

#[test]
fn structure_and_cross_reference_table_are_valid() {
    let pdf = dossier().to_pdf();
    let objects = check_structure(&pdf);
    // Catalog, pages, two fonts, info, and a page + content stream per page.
    assert_eq!((objects - 6) % 2, 0);
    let pages = (objects - 6) / 2;
    assert!(pages >= 2, "60 rows take several pages, got {pages}");
    let count = format!("/Count {pages} ");
    assert!(find(&pdf, count.as_bytes()).is_some());

    let empty = Document::new("Kosong").to_pdf();
    assert_eq!(check_structure(&empty), 8);
}

#[test]
fn rendering_is_deterministic() {
    assert_eq!(dossier().to_pdf(), dossier().to_pdf());
}

fn tool_available(name: &str) -> bool {
    Command::new(name)
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success())
}

struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn write_temp(name: &str, pdf: &[u8]) -> TempFile {
    let path =
        std::env::temp_dir().join(format!("lentera-render-{}-{name}.pdf", std::process::id()));
    std::fs::write(&path, pdf).expect("write the PDF");
    TempFile(path)
}

fn run(tool: &str, args: &[&str], file: &TempFile) -> String {
    let output = Command::new(tool)
        .args(args)
        .arg(&file.0)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .expect("run the poppler tool");
    assert!(
        output.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    // poppler prints syntax problems on stderr even when it succeeds.
    assert!(
        output.stderr.is_empty(),
        "{tool} complained: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

#[test]
fn poppler_reads_the_text_back() {
    if !tool_available("pdftotext") || !tool_available("pdfinfo") {
        eprintln!(
            "note: pdftotext/pdfinfo (poppler-utils) not found; only the structural test ran"
        );
        return;
    }
    let file = write_temp("dossier", &dossier().to_pdf());

    let info = run("pdfinfo", &[], &file);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().parse().expect("page count"))
        .expect("pdfinfo reports Pages");
    assert!(pages >= 2, "pdfinfo: {info}");
    assert!(
        info.contains("Kronologi sengketa informasi"),
        "Title: {info}"
    );
    assert!(info.contains("Lentera"), "Producer: {info}");
    assert!(info.contains("A4"), "page size: {info}");

    let text = run("pdftotext", &["-layout"], &file);
    for expected in [
        "Kronologi sengketa informasi",
        "Keberatan diajukan pada Senin, 2 Februari 2026",
        "“informasi ini terbuka” –",
        "Catatan café",
        "Pasal 35",
        "tanda kurung \\ dan",
        "017/KI-KC/II/2026",
        "Peristiwa ke-1:",
        "Peristiwa ke-60:",
        "Penutup — dokumen selesai.",
        "Halaman 1 dari",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} not found in:\n{text}"
        );
    }
    let last = format!("Halaman {pages} dari {pages}");
    assert!(text.contains(&last), "{last:?} not found");
    // The table header is repeated on every page the table spans.
    let header_rows = text
        .lines()
        .filter(|l| l.contains("No") && l.contains("Tanggal") && l.contains("Peristiwa"))
        .count();
    assert!(header_rows >= 2, "header repeated: {header_rows}");
}

#[test]
fn accented_and_typographic_characters_survive() {
    if !tool_available("pdftotext") {
        eprintln!("note: pdftotext (poppler-utils) not found; skipped");
        return;
    }
    let mut doc = Document::new("Karakter “khusus” – é");
    doc.push(Block::Paragraph(
        "é è ñ ü – — “kutip” ‘satu’ • € … Ü ß".into(),
    ))
    .push(Block::Table {
        header: vec!["Kolom “A”".into()],
        rows: vec![vec!["Sel – é".into()]],
    });
    let file = write_temp("characters", &doc.to_pdf());
    let text = run("pdftotext", &["-layout"], &file);
    for expected in [
        "é è ñ ü – — “kutip” ‘satu’ • € … Ü ß",
        "Kolom “A”",
        "Sel – é",
        "Karakter “khusus” – é",
        "Halaman 1 dari 1",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} not found in:\n{text}"
        );
    }
}
