//! Uploads: type detection, names, limits.

use std::io::Write as _;

use lentera_app::upload::{UploadError, UploadPolicy, check_upload, sanitize_filename};
use lentera_render::{Block, Document};
use proptest::prelude::*;

const PDF: &str = "application/pdf";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn policy() -> UploadPolicy {
    UploadPolicy::default()
}

pub(crate) fn real_pdf() -> Vec<u8> {
    let mut doc = Document::new("Keputusan PPID");
    doc.push(Block::Title("Keputusan PPID".into()))
        .push(Block::Paragraph(
            "Permohonan informasi dikabulkan seluruhnya.".into(),
        ));
    doc.to_pdf()
}

fn real_xlsx() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Anggaran").expect("write cell");
    ws.write_number(0, 1, 1_250_000.0).expect("write cell");
    wb.save_to_buffer().expect("xlsx")
}

/// A zip of the given entries, stored (not compressed).
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in entries {
        w.start_file(*name, opts).expect("zip entry");
        w.write_all(data).expect("zip write");
    }
    w.finish().expect("zip finish").into_inner()
}

const CONTENT_TYPES: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
const DOCUMENT: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Surat keberatan</w:t></w:r></w:p></w:body></w:document>"#;

fn minimal_docx() -> Vec<u8> {
    zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("word/document.xml", DOCUMENT),
    ])
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

fn exe() -> Vec<u8> {
    let mut b = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00".to_vec();
    b.extend_from_slice(&[0; 48]);
    b.extend_from_slice(b"This program cannot be run in DOS mode.");
    b
}

fn elf() -> Vec<u8> {
    let mut b = b"\x7fELF\x02\x01\x01".to_vec();
    b.extend_from_slice(&[0; 120]);
    b
}

#[test]
fn storage_upload_accepts_a_real_pdf() {
    let pdf = real_pdf();
    let c = check_upload("Keputusan PPID.pdf", &pdf, &policy()).expect("pdf accepted");
    assert_eq!(c.mime, PDF);
    assert_eq!(c.extension, "pdf");
    assert_eq!(c.size, pdf.len() as u64);
    assert_eq!(c.filename, "Keputusan PPID.pdf");
    assert_eq!(c.sha256.len(), 64);
    // Upper case extension is the same extension.
    let c = check_upload("SCAN.PDF", &pdf, &policy()).expect("PDF accepted");
    assert_eq!(c.extension, "pdf");
}

#[test]
fn storage_upload_accepts_real_xlsx_and_docx() {
    let xlsx = real_xlsx();
    let c = check_upload("anggaran.xlsx", &xlsx, &policy()).expect("xlsx accepted");
    assert_eq!((c.mime, c.extension), (XLSX, "xlsx"));
    let docx = minimal_docx();
    let c = check_upload("Surat.DOCX", &docx, &policy()).expect("docx accepted");
    assert_eq!((c.mime, c.extension), (DOCX, "docx"));
    // Each named as the other.
    assert_eq!(
        check_upload("anggaran.docx", &xlsx, &policy()),
        Err(UploadError::TypeMismatch {
            declared: "docx".into(),
            detected: XLSX
        })
    );
    assert_eq!(
        check_upload("surat.xlsx", &docx, &policy()),
        Err(UploadError::TypeMismatch {
            declared: "xlsx".into(),
            detected: DOCX
        })
    );
}

#[test]
fn storage_upload_refuses_other_zips() {
    let odt = zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", b"<office:document-content/>"),
        ("META-INF/manifest.xml", b"<manifest:manifest/>"),
    ]);
    let exes = zip_of(&[("setup.exe", &exe()), ("readme.txt", b"jalankan setup")]);
    let docx_with_payload = zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("word/document.xml", DOCUMENT),
        ("word/media/payload.exe", &exe()),
    ]);
    let docm = zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("word/document.xml", DOCUMENT),
        ("word/vbaProject.bin", b"\xd0\xcf\x11\xe0"),
    ]);
    let without_content_types = zip_of(&[("word/document.xml", DOCUMENT)]);
    let both = zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("word/document.xml", DOCUMENT),
        ("xl/workbook.xml", b"<workbook/>"),
    ]);
    // The right name only in the first bytes (a local header), not in the central directory.
    let mut truncated = minimal_docx();
    truncated.truncate(60);
    for (what, bytes) in [
        ("odt", odt),
        ("zip of executables", exes),
        ("docx carrying an exe", docx_with_payload),
        ("docx with macros", docm),
        ("no [Content_Types].xml", without_content_types),
        ("docx and xlsx at once", both),
        ("truncated zip", truncated),
    ] {
        assert_eq!(
            check_upload("dokumen.docx", &bytes, &policy()),
            Err(UploadError::TypeNotAllowed),
            "{what}"
        );
    }
}

#[test]
fn storage_upload_accepts_images_and_text() {
    let c = check_upload("foto.PNG", PNG_SIGNATURE, &policy()).expect("png");
    assert_eq!((c.mime, c.extension), ("image/png", "png"));
    let jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01";
    for name in ["ktp.jpg", "ktp.jpeg", "KTP.JPEG"] {
        let c = check_upload(name, jpeg, &policy()).expect("jpeg");
        assert_eq!((c.mime, c.extension), ("image/jpeg", "jpg"), "{name}");
    }
    let text = "Saya memohon salinan DPA tahun 2025.\nTerima kasih.\n";
    let c = check_upload("permohonan.txt", text.as_bytes(), &policy()).expect("txt");
    assert_eq!((c.mime, c.extension), ("text/plain", "txt"));
    let csv = "BMKG;stasiun;curah hujan\nBCA;Semarang;12,5\n";
    let c = check_upload("data.csv", csv.as_bytes(), &policy()).expect("csv");
    assert_eq!((c.mime, c.extension), ("text/csv", "csv"));
}

#[test]
fn storage_upload_refuses_renamed_and_unknown_files() {
    let mismatch = |declared: &str, detected: &'static str| {
        Err(UploadError::TypeMismatch {
            declared: declared.into(),
            detected,
        })
    };
    assert_eq!(
        check_upload("surat.docx", &real_pdf(), &policy()),
        mismatch("docx", PDF)
    );
    assert_eq!(
        check_upload("surat", &real_pdf(), &policy()),
        mismatch("", PDF)
    );
    assert_eq!(
        check_upload("surat.pdf.exe", &real_pdf(), &policy()),
        mismatch("exe", PDF)
    );
    assert_eq!(
        check_upload("foto.pdf", PNG_SIGNATURE, &policy()),
        mismatch("pdf", "image/png")
    );
    assert_eq!(
        check_upload("catatan.pdf", b"hanya teks", &policy()),
        mismatch("pdf", "text/plain")
    );
    let not_allowed: [(&str, Vec<u8>); 8] = [
        ("keputusan.pdf", exe()),
        ("data.txt", elf()),
        (
            "halaman.txt",
            b"<!DOCTYPE html><html><script>alert(1)</script></html>".to_vec(),
        ),
        ("halaman.txt", b"\n  <html>\n<body>x</body></html>".to_vec()),
        (
            "logo.png",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".to_vec(),
        ),
        ("skrip.txt", b"#!/bin/sh\necho hai\n".to_vec()),
        ("arsip.txt", b"\x1f\x8b\x08\x00\x00\x00\x00\x00".to_vec()),
        ("acak.bin", vec![0xde, 0xad, 0xbe, 0xef, 0x00, 0x01]),
    ];
    for (name, bytes) in not_allowed {
        assert_eq!(
            check_upload(name, &bytes, &policy()),
            Err(UploadError::TypeNotAllowed),
            "{name}: {bytes:?}"
        );
    }
    let utf16 = [0xFF, 0xFE, b'h', 0, b'a', 0, b'i', 0];
    assert_eq!(
        check_upload("utf16.txt", &utf16, &policy()),
        Err(UploadError::TypeNotAllowed)
    );
}

#[test]
fn storage_upload_limits_and_codes() {
    let small = UploadPolicy { max_bytes: 10 };
    assert!(check_upload("a.txt", b"0123456789", &small).is_ok());
    let too_large = check_upload("a.txt", b"0123456789A", &small);
    assert_eq!(too_large, Err(UploadError::TooLarge { max: 10 }));
    assert_eq!(UploadPolicy::default().max_bytes, 20 * 1024 * 1024);
    let over_default = vec![b'a'; 20 * 1024 * 1024 + 1];
    assert_eq!(
        check_upload("besar.txt", &over_default, &policy()),
        Err(UploadError::TooLarge {
            max: 20 * 1024 * 1024
        })
    );
    assert_eq!(
        check_upload("kosong.pdf", b"", &policy()),
        Err(UploadError::Empty)
    );
    let codes = [
        (UploadError::Empty, "file.empty"),
        (UploadError::TooLarge { max: 1 }, "file.too_large"),
        (UploadError::TypeNotAllowed, "file.type_not_allowed"),
        (
            UploadError::TypeMismatch {
                declared: "pdf".into(),
                detected: "image/png",
            },
            "file.type_mismatch",
        ),
        (UploadError::NameInvalid, "file.name_invalid"),
    ];
    for (e, code) in codes {
        assert_eq!(e.code(), code);
    }
}

#[test]
fn storage_upload_hashes_the_bytes() {
    let c = check_upload("abc.txt", b"abc", &policy()).expect("text");
    assert_eq!(
        c.sha256,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(c.size, 3);
}

#[test]
fn storage_upload_sanitises_hostile_names() {
    let pdf = real_pdf();
    let name = |n: &str| check_upload(n, &pdf, &policy()).map(|c| c.filename);
    assert_eq!(name("../../etc/passwd.pdf").as_deref(), Ok("passwd.pdf"));
    assert_eq!(name("..\\..\\Windows\\win.pdf").as_deref(), Ok("win.pdf"));
    assert_eq!(name("a\u{0}b.pdf").as_deref(), Ok("ab.pdf"));
    assert_eq!(
        name("  Surat \t\n keberatan   final .pdf").as_deref(),
        Ok("Surat keberatan final .pdf")
    );
    assert_eq!(
        name("<script>alert(1)</script>|x?.pdf").as_deref(),
        Ok("scriptx.pdf")
    );
    assert_eq!(name("C:\"x*\".pdf").as_deref(), Ok("Cx.pdf"));
    // A right-to-left override that would show "…exe.pdf" as "…fdp.exe" is removed.
    assert_eq!(
        name("laporan\u{202E}exe.pdf").as_deref(),
        Ok("laporanexe.pdf")
    );
    let long = format!("{}.pdf", "x".repeat(500));
    let kept = name(&long).expect("long name");
    assert_eq!(kept.chars().count(), 120);
    assert!(kept.ends_with(".pdf"), "{kept}");
    let long_multibyte = format!("{}.PDF", "é".repeat(300));
    let kept = name(&long_multibyte).expect("long multibyte name");
    assert_eq!(kept.chars().count(), 120);
    assert!(kept.ends_with("é.PDF"), "{kept}");
    for hostile in [
        "",
        "   ",
        "..",
        "../..",
        "dir/",
        "\u{0}\u{1}",
        "???",
        "..\\",
    ] {
        assert_eq!(name(hostile), Err(UploadError::NameInvalid), "{hostile:?}");
    }
}

const EXTENSIONS: &[&str] = &[
    "", ".pdf", ".docx", ".xlsx", ".png", ".jpg", ".txt", ".csv", ".exe", ".PDF",
];
const PREFIXES: &[&[u8]] = &[
    b"",
    b"%PDF-",
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"\x89PNG\r\n\x1a\n",
    b"MZ",
];

/// Whatever the bytes and the name, the check never panics and accepts only what carries its
/// type's magic, with a safe name. Real PDF, XLSX and DOCX files are among the inputs (random
/// bytes behind a `PK` prefix are never a valid archive), so that every acceptance branch runs:
/// the reach is counted and a generator that stops reaching one fails the test.
#[test]
fn storage_upload_never_panics_nor_accepts_without_magic() {
    use proptest::test_runner::{Config, TestRunner};
    let reals = [real_pdf(), real_xlsx(), minimal_docx()];
    let reach = std::cell::RefCell::new(std::collections::BTreeMap::<&str, usize>::new());
    let strategy = (
        0..PREFIXES.len() + reals.len(),
        proptest::collection::vec(any::<u8>(), 0..1024),
        "\\PC{0,40}",
        0..EXTENSIONS.len(),
    );
    let mut runner = TestRunner::new(Config::with_cases(512));
    let result = runner.run(&strategy, |(base, body, stem, ext)| {
        let bytes = match base.checked_sub(PREFIXES.len()) {
            Some(r) => reals[r].clone(),
            None => {
                let mut b = PREFIXES[base].to_vec();
                b.extend_from_slice(&body);
                b
            }
        };
        // A real file carries its own extension; random bytes any of them.
        let ext = match base.checked_sub(PREFIXES.len()) {
            Some(r) => [".pdf", ".xlsx", ".docx"][r],
            None => EXTENSIONS[ext],
        };
        let name = format!("{stem}{ext}");
        let outcome = match check_upload(&name, &bytes, &policy()) {
            Ok(c) => {
                if c.mime == PDF {
                    prop_assert!(bytes.starts_with(b"%PDF-"));
                }
                if c.mime == DOCX || c.mime == XLSX {
                    prop_assert!(bytes.starts_with(b"PK"));
                    let archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes));
                    let archive = archive.map_err(|e| TestCaseError::fail(e.to_string()))?;
                    let wanted: &[u8] = if c.mime == DOCX {
                        b"word/document.xml"
                    } else {
                        b"xl/workbook.xml"
                    };
                    prop_assert!(archive.file_names_raw().any(|n| n == wanted));
                }
                prop_assert_eq!(c.size, bytes.len() as u64);
                prop_assert!(c.filename.chars().count() <= 120);
                prop_assert!(
                    !c.filename
                        .chars()
                        .any(|ch| ch.is_control() || "/\\:*?\"<>|".contains(ch))
                );
                match c.mime {
                    PDF => "pdf accepted",
                    DOCX => "docx accepted",
                    XLSX => "xlsx accepted",
                    _ => "other accepted",
                }
            }
            Err(UploadError::Empty) => {
                prop_assert!(bytes.is_empty());
                "empty"
            }
            Err(_) => "refused",
        };
        *reach.borrow_mut().entry(outcome).or_default() += 1;
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let reach = reach.into_inner();
    println!("upload reach in 512 cases: {reach:?}");
    // Each real file is an eighth of the inputs and is accepted under most names: 3 % is far
    // below what the generator gives.
    for outcome in ["pdf accepted", "docx accepted", "xlsx accepted", "refused"] {
        let n = reach.get(outcome).copied().unwrap_or(0);
        assert!(
            n * 100 >= 512 * 3,
            "{outcome} in {n} of 512 cases: {reach:?}"
        );
    }
}

proptest! {
    /// Names that survive are safe, and a name is refused only when nothing alphanumeric is
    /// left of it: both branches assert, so no case passes without a check.
    #[test]
    fn storage_sanitised_names_are_safe(name in "\\PC{1,300}|[./\\\\ a-z\\x00\\x{202E}]{0,40}") {
        let Ok(n) = sanitize_filename(&name) else {
            // Only a name with nothing printable left (dots, spaces, separators) is refused.
            let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
            prop_assert!(
                last.chars().all(|c| c.is_control() || c.is_whitespace() || ".:*?\"<>|\u{202E}".contains(c) || !c.is_alphanumeric()),
                "{:?} refused", name
            );
            return Ok(());
        };
        prop_assert!(!n.is_empty() && n.chars().count() <= 120);
        let forbidden = n.contains(['/', '\\', '\0', '\u{202E}']);
        prop_assert!(!forbidden, "{:?}", n);
        prop_assert!(n != "." && n != ".." && !n.starts_with(' ') && !n.ends_with(' '));
    }
}
