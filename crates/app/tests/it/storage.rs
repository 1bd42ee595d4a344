//! Uploads (type detection, names, limits) and document storage on memory, the local file
//! system and S3 (a local moto server started by the test).

use std::io::Write as _;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures::TryStreamExt as _;
use lentera_app::storage::{Storage, StorageConfig, StorageError};
use lentera_app::upload::{UploadError, UploadPolicy, check_upload, sanitize_filename};
use lentera_render::{Block, Document};
use proptest::prelude::*;

const PDF: &str = "application/pdf";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn policy() -> UploadPolicy {
    UploadPolicy::default()
}

fn real_pdf() -> Vec<u8> {
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

// ---------------------------------------------------------------------------------------------
// Storage

const KEY: &str = "documents/2026/0190f3a2-7c1d-7e00-8000-000000000001/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

/// Put, get, open (streamed), exists, delete, and NotFound afterwards.
async fn round_trip(storage: &Storage, big: bool) {
    let body = Bytes::from(real_pdf());
    assert!(!storage.exists(KEY).await.expect("exists before"));
    assert!(matches!(
        storage.get(KEY).await,
        Err(StorageError::NotFound)
    ));
    storage.put(KEY, body.clone()).await.expect("put");
    assert!(storage.exists(KEY).await.expect("exists"));
    assert_eq!(storage.get(KEY).await.expect("get"), body);
    let (size, stream) = storage.open(KEY).await.expect("open");
    assert_eq!(size, body.len() as u64);
    let chunks: Vec<Bytes> = stream.try_collect().await.expect("stream");
    assert_eq!(chunks.concat(), body.to_vec());
    // Replacing keeps one object with the new content.
    storage
        .put(KEY, Bytes::from_static(b"v2"))
        .await
        .expect("replace");
    assert_eq!(
        storage.get(KEY).await.expect("get v2"),
        Bytes::from_static(b"v2")
    );
    if big {
        let big_key = "documents/2026/besar/5mib";
        let data: Vec<u8> = (0..5 * 1024 * 1024u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        let data = Bytes::from(data);
        storage.put(big_key, data.clone()).await.expect("put 5 MiB");
        let (size, stream) = storage.open(big_key).await.expect("open 5 MiB");
        assert_eq!(size, 5 * 1024 * 1024);
        let chunks: Vec<Bytes> = stream.try_collect().await.expect("stream 5 MiB");
        assert!(chunks.concat() == data.as_ref(), "5 MiB object differs");
        storage.delete(big_key).await.expect("delete 5 MiB");
        assert!(!storage.exists(big_key).await.expect("exists 5 MiB"));
    }
    storage.delete(KEY).await.expect("delete");
    assert!(!storage.exists(KEY).await.expect("exists after delete"));
    assert!(matches!(
        storage.get(KEY).await,
        Err(StorageError::NotFound)
    ));
    assert!(matches!(
        storage.open(KEY).await,
        Err(StorageError::NotFound)
    ));
    // Deleting again is not an error.
    storage.delete(KEY).await.expect("delete again");
}

async fn refuses_bad_keys(storage: &Storage) {
    for key in [
        "",
        "/etc/passwd",
        "../etc/passwd",
        "documents/../../etc/passwd",
        "documents/..",
        "documents//x",
        "documents/x/",
        "dokumen/é",
        "documents\\x",
        "documents/a b",
    ] {
        let is_config = |r: Result<(), StorageError>| matches!(r, Err(StorageError::Config(_)));
        assert!(
            is_config(storage.put(key, Bytes::from_static(b"x")).await),
            "put {key:?}"
        );
        assert!(is_config(storage.get(key).await.map(drop)), "get {key:?}");
        assert!(is_config(storage.open(key).await.map(drop)), "open {key:?}");
        assert!(
            is_config(storage.exists(key).await.map(drop)),
            "exists {key:?}"
        );
        assert!(is_config(storage.delete(key).await), "delete {key:?}");
    }
}

#[tokio::test]
async fn storage_round_trip_in_memory() {
    let storage = Storage::new(&StorageConfig::Memory).expect("memory");
    assert_eq!(storage.describe(), "memory");
    round_trip(&storage, true).await;
    refuses_bad_keys(&storage).await;
}

#[tokio::test]
async fn storage_round_trip_on_the_local_file_system() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cfg = StorageConfig::from_lookup(dir.path(), |_| None).expect("config");
    let root = dir.path().join("documents");
    assert!(
        matches!(&cfg, StorageConfig::Local { root: r } if *r == root),
        "{cfg:?}"
    );
    assert!(!root.exists());
    let storage = Storage::new(&cfg).expect("local");
    assert!(root.is_dir(), "root created");
    assert!(
        storage.describe().starts_with("local:/") && storage.describe().ends_with("documents"),
        "{}",
        storage.describe()
    );
    // The object is a file under the root, at its key.
    storage
        .put(KEY, Bytes::from_static(b"isi"))
        .await
        .expect("put");
    assert_eq!(std::fs::read(root.join(KEY)).expect("file on disk"), b"isi");
    storage.delete(KEY).await.expect("delete");
    assert!(!root.join(KEY).exists());
    round_trip(&storage, true).await;
    refuses_bad_keys(&storage).await;
    // Nothing was written outside the root.
    let outside: Vec<_> = std::fs::read_dir(dir.path())
        .expect("read dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(outside, vec![std::ffi::OsString::from("documents")]);
}

#[test]
fn storage_config_from_the_environment() {
    let data = std::path::Path::new("/var/lib/lentera");
    let env = |vars: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    };
    let cfg = StorageConfig::from_lookup(
        data,
        env(&[
            ("LENTERA_S3_BUCKET", "dokumen"),
            ("LENTERA_S3_ENDPOINT", "http://127.0.0.1:9000"),
            ("LENTERA_S3_ACCESS_KEY_ID", "AKIAEXAMPLE"),
            ("LENTERA_S3_SECRET_ACCESS_KEY", "rahasia-sekali"),
            ("LENTERA_S3_ALLOW_HTTP", "true"),
        ]),
    )
    .expect("s3 config");
    match &cfg {
        StorageConfig::S3 {
            bucket,
            endpoint,
            region,
            allow_http,
            prefix,
            ..
        } => {
            assert_eq!(bucket, "dokumen");
            assert_eq!(endpoint.as_deref(), Some("http://127.0.0.1:9000"));
            assert_eq!(region, "us-east-1");
            assert!(*allow_http);
            assert_eq!(*prefix, None);
        }
        other => panic!("not S3: {other:?}"),
    }
    let shown = format!("{cfg:?}");
    assert!(!shown.contains("rahasia-sekali"), "{shown}");
    let storage = Storage::new(&cfg).expect("s3 storage");
    assert_eq!(storage.describe(), "s3:dokumen");
    assert!(!format!("{storage:?}").contains("rahasia-sekali"));

    let local = StorageConfig::from_lookup(data, env(&[("LENTERA_S3_BUCKET", " ")]));
    assert!(
        matches!(local, Ok(StorageConfig::Local { ref root }) if root == &data.join("documents"))
    );
    let half = StorageConfig::from_lookup(
        data,
        env(&[
            ("LENTERA_S3_BUCKET", "dokumen"),
            ("LENTERA_S3_ACCESS_KEY_ID", "AKIAEXAMPLE"),
        ]),
    );
    assert!(matches!(half, Err(StorageError::Config(_))), "{half:?}");
    let bad_flag = StorageConfig::from_lookup(
        data,
        env(&[
            ("LENTERA_S3_BUCKET", "dokumen"),
            ("LENTERA_S3_ALLOW_HTTP", "mungkin"),
        ]),
    );
    assert!(
        matches!(bad_flag, Err(StorageError::Config(_))),
        "{bad_flag:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// S3 against a local moto server

/// A moto server on 127.0.0.1, killed when dropped.
struct Moto {
    child: Child,
    port: u16,
    log: tempfile::NamedTempFile,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Moto {
    fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }
}

fn moto_installed() -> bool {
    Command::new("python3")
        .args(["-c", "import moto.server"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    l.local_addr().expect("local addr").port()
}

async fn start_moto() -> Moto {
    let port = free_port();
    let log = tempfile::NamedTempFile::new().expect("moto log file");
    let child = Command::new("python3")
        .args([
            "-m",
            "moto.server",
            "-H",
            "127.0.0.1",
            "-p",
            &port.to_string(),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log.reopen().expect("moto log handle"))
        .spawn()
        .expect("start moto");
    let mut moto = Moto { child, port, log };
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(Some(status)) = moto.child.try_wait() {
            panic!("moto exited with {status}:\n{}", moto.log());
        }
        if client
            .get(format!("http://127.0.0.1:{port}/"))
            .timeout(Duration::from_secs(2))
            .send()
            .await
            .is_ok()
        {
            return moto;
        }
        assert!(
            Instant::now() < deadline,
            "moto did not answer on port {port} within 60 s:\n{}",
            moto.log()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn storage_round_trip_on_s3_emulator() {
    if !moto_installed() {
        let required = std::env::var("LENTERA_REQUIRE_S3").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "LENTERA_REQUIRE_S3=1 but the S3 emulator is not installed: \
             python3 -c 'import moto.server' fails; install it with: \
             python3 -m pip install 'moto[server]'"
        );
        // Straight to the process's stderr, so that the test harness does not capture it.
        let _ = writeln!(
            std::io::stderr(),
            "S3 emulator (moto) not installed: S3 test NOT RUN"
        );
        return;
    }
    let moto = start_moto().await;
    let endpoint = format!("http://127.0.0.1:{}", moto.port);
    let bucket = "lentera-uji";
    let created = reqwest::Client::new()
        .put(format!("{endpoint}/{bucket}"))
        .send()
        .await
        .expect("create bucket");
    assert!(
        created.status().is_success(),
        "create bucket: {}",
        created.status()
    );
    let cfg = |prefix: Option<&str>| StorageConfig::S3 {
        bucket: bucket.into(),
        endpoint: Some(endpoint.clone()),
        region: "us-east-1".into(),
        access_key_id: "testing".into(),
        secret_access_key: "rahasia-uji".into(),
        allow_http: true,
        prefix: prefix.map(str::to_owned),
    };
    let storage = Storage::new(&cfg(None)).expect("s3 storage");
    assert_eq!(storage.describe(), "s3:lentera-uji");
    assert!(!format!("{storage:?}").contains("rahasia-uji"));
    round_trip(&storage, true).await;
    refuses_bad_keys(&storage).await;

    // With a prefix, objects land under it in the bucket.
    let prefixed = Storage::new(&cfg(Some("/instansi-a/"))).expect("prefixed storage");
    assert_eq!(prefixed.describe(), "s3:lentera-uji/instansi-a");
    prefixed
        .put("documents/x", Bytes::from_static(b"isi"))
        .await
        .expect("put prefixed");
    assert!(
        storage
            .exists("instansi-a/documents/x")
            .await
            .expect("exists under prefix")
    );
    assert!(!storage.exists("documents/x").await.expect("exists at root"));
    assert_eq!(
        prefixed.get("documents/x").await.expect("get prefixed"),
        Bytes::from_static(b"isi")
    );
    prefixed
        .delete("documents/x")
        .await
        .expect("delete prefixed");
    assert!(
        !storage
            .exists("instansi-a/documents/x")
            .await
            .expect("gone")
    );

    // A missing bucket is a back-end error, not "not found" of the document.
    let mut missing = cfg(None);
    if let StorageConfig::S3 { bucket, .. } = &mut missing {
        *bucket = "tidak-ada".into();
    }
    let missing = Storage::new(&missing).expect("storage on a missing bucket");
    let put = missing.put("documents/x", Bytes::from_static(b"x")).await;
    assert!(matches!(put, Err(StorageError::Backend(_))), "{put:?}");
    let get = missing.get("documents/x").await;
    assert!(
        matches!(&get, Err(StorageError::Backend(m)) if m.contains("bucket does not exist")),
        "{get:?}"
    );
    drop(moto);
}
