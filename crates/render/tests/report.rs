//! The annual report's outputs, end to end: the PDF is read back with poppler's `pdftotext`
//! and `pdffonts` (Debian `poppler-utils`; CI installs it, and a missing tool fails the test),
//! the CSV with the `csv` crate and the XLSX with calamine.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common {
    pub mod sample;
}

use std::io::Cursor;
use std::path::PathBuf;
use std::process::Command;

use calamine::{Data, Reader, Xlsx};
use common::sample::{SPECIAL, bar_chart, sample_report};
use lentera_render::report::{Block, Cell, Chapter, Report, Section, Table};
use lentera_render::{CSV_HEADER, report_to_csv, report_to_pdf, report_to_xlsx};
use proptest::prelude::*;

/// Runs a poppler tool on the PDF and returns its standard output.
fn poppler(tool: &str, args: &[&str], pdf: &[u8], name: &str) -> String {
    let path: PathBuf =
        std::env::temp_dir().join(format!("lentera-render-{}-{name}.pdf", std::process::id()));
    std::fs::write(&path, pdf).expect("write the PDF to a temporary file");
    let out = Command::new(tool).args(args).arg(&path).arg("-").output();
    let out = match out {
        Ok(out) => out,
        Err(e) => panic!(
            "`{tool}` could not be run ({e}): install poppler-utils \
             (apt-get install poppler-utils) to test the PDF output"
        ),
    };
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("poppler prints UTF-8")
}

fn pdf_text(pdf: &[u8], name: &str) -> String {
    poppler("pdftotext", &["-layout", "-enc", "UTF-8"], pdf, name)
}

/// `pdffonts` has no `-` output argument; it prints to standard output.
fn pdf_fonts(pdf: &[u8], name: &str) -> String {
    let path: PathBuf = std::env::temp_dir().join(format!(
        "lentera-render-{}-{name}-fonts.pdf",
        std::process::id()
    ));
    std::fs::write(&path, pdf).expect("write the PDF to a temporary file");
    let out = Command::new("pdffonts").arg(&path).output();
    let _ = std::fs::remove_file(&path);
    let out = match out {
        Ok(out) => out,
        Err(e) => panic!(
            "`pdffonts` could not be run ({e}): install poppler-utils \
             (apt-get install poppler-utils) to test the PDF output"
        ),
    };
    assert!(out.status.success(), "pdffonts failed");
    String::from_utf8(out.stdout).expect("pdffonts prints UTF-8")
}

/// All whitespace runs as one space, so that text wrapped over lines can be searched.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn page_count(text: &str) -> usize {
    text.matches('\u{c}').count()
}

#[test]
fn the_pdf_holds_the_whole_report_in_embedded_fonts() {
    let report = sample_report();
    let pdf = report_to_pdf(&report).expect("the sample report renders");
    assert!(pdf.starts_with(b"%PDF-"));

    let text = pdf_text(&pdf, "sample");
    let flat = squash(&text);
    for needle in [
        "LAPORAN LAYANAN INFORMASI PUBLIK",
        "Pejabat Pengelola Informasi dan Dokumentasi Kota Contoh",
        "Tahun 2025",
        "BAB I Pendahuluan",
        "BAB II Kebijakan dan Sarana Layanan",
        "BAB III Rincian Pelayanan Informasi",
        "BAB IV Penolakan Permohonan",
        "BAB V Keberatan dan Sengketa Informasi",
        "BAB VI Kendala dan Rekomendasi",
        "3.4 Jenis informasi",
        "Tabel 3.4 Permohonan menurut jenis informasi yang dimohon",
        "Jenis informasi nomor 70",
        "24.185",
        "1.234",
        "87,5 %",
        "Persentase = dikabulkan / permohonan × 100.",
        "Gambar 3.1 Permohonan per bulan",
        "✓",
        "⚠",
        "Tiga permohonan belum memiliki tanggal selesai.",
        "Atasan PPID",
        "Dr. Hendra Wijaya, M.Si.",
        "Kota Contoh, 5 Januari 2026",
        "Halaman 1 dari",
    ] {
        assert!(flat.contains(needle), "{needle:?} missing from:\n{text}");
    }
    // User text is data: every markup character prints as typed.
    for literal in [
        "#set page(width: 1cm)",
        "$x^2$",
        "*bold*",
        "_miring_",
        "[link]",
        "<label>",
        "@ref",
        "`kode`",
        "\\ garis miring",
    ] {
        assert!(flat.contains(literal), "{literal:?} not printed literally");
    }
    assert!(flat.contains(&squash(SPECIAL)));

    // The long table spans pages, its header row is repeated, and the page count is right.
    let pages = page_count(&text);
    assert!(pages >= 6, "only {pages} pages");
    assert!(flat.contains(&format!("Halaman {pages} dari {pages}")));
    let header_rows = text
        .lines()
        .filter(|l| squash(l) == "Jenis informasi Permohonan Dikabulkan Persentase")
        .count();
    assert!(header_rows >= 2, "table header not repeated: {header_rows}");
    // The running header carries the period from page 2 on.
    let page2 = text.split('\u{c}').nth(1).expect("a second page");
    assert!(page2.lines().take(3).any(|l| l.contains("Tahun 2025")));

    let fonts = pdf_fonts(&pdf, "sample");
    let rows: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(rows.len() >= 2, "no fonts listed:\n{fonts}");
    for row in rows {
        let fields: Vec<&str> = row.split_whitespace().collect();
        // name type… encoding emb sub uni object-number generation
        let emb = fields.len().checked_sub(5).map(|i| fields[i]);
        assert_eq!(emb, Some("yes"), "font not embedded: {row}\n{fonts}");
        assert!(
            row.contains("NotoSans") || row.contains("DejaVuSans"),
            "unexpected font: {row}"
        );
    }
}

fn report_with(blocks: Vec<Block>) -> Report {
    Report {
        title: "Uji".to_owned(),
        subtitle: String::new(),
        period: "Tahun 2025".to_owned(),
        generated: String::new(),
        chapters: vec![Chapter {
            number: "I".to_owned(),
            title: "Bab".to_owned(),
            sections: vec![Section {
                number: None,
                title: None,
                blocks,
            }],
        }],
        signatures: Vec::new(),
    }
}

#[test]
fn a_broken_chart_shows_its_title_and_spares_the_report() {
    let report = report_with(vec![
        Block::Chart {
            title: "Grafik rusak".to_owned(),
            svg: "<svg><rect".to_owned(),
        },
        Block::Chart {
            title: "Grafik dengan gambar luar".to_owned(),
            svg: r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><image href="/etc/passwd" width="10" height="10"/><image xlink:href="rahasia.png" width="10" height="10"/></svg>"#.to_owned(),
        },
        Block::Chart {
            title: "Grafik kosong".to_owned(),
            svg: String::new(),
        },
        Block::Chart {
            title: "Grafik baik".to_owned(),
            svg: bar_chart(&[3, 1, 4]),
        },
        Block::Paragraph {
            text: "Setelah grafik.".to_owned(),
        },
    ]);
    let pdf = report_to_pdf(&report).expect("charts never fail the report");
    let flat = squash(&pdf_text(&pdf, "charts"));
    assert!(
        flat.contains("Grafik tidak dapat ditampilkan: Grafik rusak"),
        "{flat}"
    );
    assert!(flat.contains("Grafik tidak dapat ditampilkan: Grafik kosong"));
    assert!(flat.contains("Grafik dengan gambar luar"));
    assert!(flat.contains("Grafik baik"));
    assert!(flat.contains("Setelah grafik."));
    // The chart's own labels are drawn (as text) from the SVG.
    assert!(flat.contains("Jan"), "{flat}");
}

#[test]
fn paragraphs_keep_their_breaks_and_an_empty_report_renders() {
    let report = report_with(vec![Block::Paragraph {
        text: "Baris satu\r\nbaris dua\n\n\n  \nParagraf kedua".to_owned(),
    }]);
    let text = pdf_text(&report_to_pdf(&report).expect("renders"), "breaks");
    let lines: Vec<String> = text.lines().map(squash).collect();
    assert!(lines.iter().any(|l| l == "Baris satu"), "{text}");
    assert!(lines.iter().any(|l| l == "baris dua"));
    assert!(lines.iter().any(|l| l == "Paragraf kedua"));

    let empty = report_to_pdf(&Report::default()).expect("an empty report renders");
    assert!(squash(&pdf_text(&empty, "empty")).contains("Halaman 1 dari 1"));
}

fn csv_records(bytes: &[u8]) -> Vec<Vec<String>> {
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .expect("the CSV starts with a byte-order mark");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|r| r.expect("valid CSV").iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn the_csv_has_one_line_per_cell() {
    let report = sample_report();
    let records = csv_records(&report_to_csv(&report));
    assert_eq!(records[0], CSV_HEADER);
    let expected: usize = report
        .tables()
        .map(|(_, t)| (t.rows.len() + usize::from(t.footer.is_some())) * (t.columns.len() - 1))
        .sum();
    assert_eq!(records.len() - 1, expected);
    assert!(records.iter().all(|r| r.len() == 6));

    let total = records
        .iter()
        .find(|r| r[0] == "3.4" && r[2] == "Jumlah" && r[3] == "Permohonan")
        .expect("the totals row of table 3.4");
    assert_eq!(
        total[1],
        "Tabel 3.4 Permohonan menurut jenis informasi yang dimohon"
    );
    assert_eq!(total[4], "24185");
    assert_eq!(total[5], "24.185");
    let pct = records
        .iter()
        .find(|r| r[0] == "3.4" && r[2] == "Jumlah" && r[3] == "Persentase")
        .expect("a percentage");
    assert_eq!(pct[4].parse::<f64>().ok(), Some(74.9));
    assert_eq!(pct[5], "74,9 %");
    let march = records
        .iter()
        .find(|r| r[0] == "3.1" && r[2] == "Maret" && r[3] == "Surel")
        .expect("a monthly cell");
    assert!(march[4].parse::<f64>().is_ok());
}

#[test]
fn the_csv_neutralises_formulas() {
    let report = report_with(vec![Block::Table(Table {
        id: "=1+1".to_owned(),
        caption: "@SUM(A1:A9)".to_owned(),
        columns: vec!["Baris".to_owned(), "+kolom".to_owned()],
        rows: vec![
            vec![
                Cell::text("=HYPERLINK(\"http://x\",\"klik\")"),
                Cell::text("-2+3"),
            ],
            vec![
                Cell::text("biasa, dengan \"kutip\"\nbaris baru"),
                Cell {
                    text: "-3".to_owned(),
                    value: Some(-3.0),
                },
            ],
            vec![Cell::text("\ttab"), Cell::text("\rcr")],
        ],
        footer: None,
        note: None,
    })]);
    let records = csv_records(&report_to_csv(&report));
    assert_eq!(records.len(), 4);
    let r1 = &records[1];
    assert_eq!(r1[0], "'=1+1");
    assert_eq!(r1[1], "'@SUM(A1:A9)");
    assert_eq!(r1[2], "'=HYPERLINK(\"http://x\",\"klik\")");
    assert_eq!(r1[3], "'+kolom");
    assert_eq!(r1[4], "");
    assert_eq!(r1[5], "'-2+3");
    let r2 = &records[2];
    assert_eq!(r2[2], "biasa, dengan \"kutip\"\nbaris baru");
    assert_eq!(r2[4], "-3");
    assert_eq!(r2[5], "-3", "a plain negative number is not a formula");
    assert_eq!(records[3][2], "'\ttab");
    assert_eq!(records[3][5], "'\rcr");
}

#[test]
fn the_xlsx_has_a_summary_and_one_sheet_per_table() {
    let report = sample_report();
    let bytes = report_to_xlsx(&report).expect("the workbook is written");
    assert!(bytes.starts_with(b"PK\x03\x04"), "an XLSX is a ZIP file");
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("opens");
    let names = wb.sheet_names();
    let mut expected = vec!["Ringkasan".to_owned()];
    expected.extend(report.tables().map(|(_, t)| format!("Tabel {}", t.id)));
    assert_eq!(names, expected);

    let summary = wb.worksheet_range("Ringkasan").expect("summary sheet");
    let cells: Vec<String> = summary.cells().map(|(_, _, d)| d.to_string()).collect();
    for needle in [
        "LAPORAN LAYANAN INFORMASI PUBLIK",
        "Tahun 2025",
        "Jumlah permohonan",
        "Tiga permohonan belum memiliki tanggal selesai.",
        "⚠ perhatikan",
    ] {
        assert!(
            cells.iter().any(|c| c == needle),
            "{needle:?} not in {cells:?}"
        );
    }
    let count = summary
        .cells()
        .find(|(_, _, d)| **d == Data::String("Jumlah permohonan".to_owned()))
        .map(|(r, c, _)| (r, c + 1))
        .expect("the fact's row");
    assert_eq!(
        summary.get_value((count.0 as u32, count.1 as u32)),
        Some(&Data::Float(1234.0))
    );

    let t = wb.worksheet_range("Tabel 3.4").expect("table sheet");
    let at = |r: u32, c: u32| t.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(
        at(0, 0),
        Data::String("Tabel 3.4 Permohonan menurut jenis informasi yang dimohon".to_owned())
    );
    assert_eq!(at(2, 0), Data::String("Jenis informasi".to_owned()));
    assert_eq!(at(2, 3), Data::String("Persentase".to_owned()));
    assert_eq!(
        at(3, 0),
        Data::String("Jenis informasi nomor 1 (dokumen anggaran)".to_owned())
    );
    assert_eq!(at(3, 1), Data::Float(107.0));
    let footer = 3 + 70;
    assert_eq!(at(footer, 0), Data::String("Jumlah".to_owned()));
    assert_eq!(at(footer, 1), Data::Float(24185.0));
    assert_eq!(at(footer, 3), Data::Float(74.9));
    assert_eq!(
        at(footer + 2, 0),
        Data::String("Persentase = dikabulkan / permohonan × 100.".to_owned())
    );
}

#[test]
fn xlsx_sheet_names_stay_valid_for_odd_ids() {
    let table = |id: &str| {
        Block::Table(Table {
            id: id.to_owned(),
            caption: id.to_owned(),
            columns: vec!["a".to_owned()],
            rows: vec![vec![Cell::text("=1")]],
            footer: None,
            note: None,
        })
    };
    let report = report_with(vec![
        table("1"),
        table("1"),
        table("a/b[c]:d*e?"),
        table(&"panjang".repeat(10)),
        table(&"panjang".repeat(10)),
        table("'"),
    ]);
    let bytes = report_to_xlsx(&report).expect("written");
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("opens");
    let names = wb.sheet_names();
    assert_eq!(names.len(), 7);
    assert_eq!(names[1], "Tabel 1");
    assert_eq!(names[2], "Tabel 1 (2)");
    assert_eq!(names[3], "Tabel a_b_c__d_e_");
    assert!(names.iter().all(|n| n.chars().count() <= 31));
    let t = wb.worksheet_range("Tabel 1").expect("sheet");
    assert_eq!(t.get_value((3, 0)), Some(&Data::String("=1".to_owned())));
}

fn arbitrary_report() -> impl Strategy<Value = Report> {
    // Any characters, control characters and newlines included.
    let text = "(?s).{0,30}";
    let cell =
        (text, proptest::option::of(any::<f64>())).prop_map(|(text, value)| Cell { text, value });
    let row = proptest::collection::vec(cell.clone(), 0..5);
    let table = (
        text,
        text,
        proptest::collection::vec(text, 0..5),
        proptest::collection::vec(row.clone(), 0..6),
        proptest::option::of(row),
        proptest::option::of(text),
    )
        .prop_map(|(id, caption, columns, rows, footer, note)| {
            Block::Table(Table {
                id,
                caption,
                columns,
                rows,
                footer,
                note,
            })
        });
    let block = prop_oneof![
        text.prop_map(|text| Block::Paragraph { text }),
        table,
        (text, any::<bool>()).prop_map(|(text, ok)| Block::Check { text, ok }),
        (text, cell).prop_map(|(label, value)| Block::Facts {
            rows: vec![lentera_render::report::Fact { label, value }],
        }),
        (text, text).prop_map(|(title, svg)| Block::Chart { title, svg }),
    ];
    (text, text, text, proptest::collection::vec(block, 0..6)).prop_map(
        |(title, period, chapter, blocks)| {
            let mut r = report_with(blocks);
            r.title = title;
            r.period = period;
            r.chapters[0].title = chapter;
            r
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn any_report_renders_to_pdf(report in arbitrary_report()) {
        let pdf = report_to_pdf(&report);
        prop_assert!(pdf.is_ok(), "{:?}", pdf.err());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_report_exports_to_csv_and_xlsx(report in arbitrary_report()) {
        let records = csv_records(&report_to_csv(&report));
        prop_assert_eq!(&records[0], &CSV_HEADER);
        for r in &records[1..] {
            for field in [&r[0], &r[1], &r[2], &r[3], &r[5]] {
                let starts_formula = field.starts_with(['=', '+', '-', '@', '\t', '\r']);
                prop_assert!(!starts_formula || field.parse::<f64>().is_ok()
                    || field.trim_end_matches([' ', '%']).replace(['.', ','], "").trim_start_matches(['-', '+']).chars().all(|c| c.is_ascii_digit()),
                    "unguarded formula {:?}", field);
            }
        }
        let xlsx = report_to_xlsx(&report);
        prop_assert!(xlsx.is_ok(), "{:?}", xlsx.err());
    }
}
