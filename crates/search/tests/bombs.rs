//! Documents built to exhaust the extractor: each is run in a child process whose address space
//! is capped by the kernel (`ulimit -v`), far below what an unbounded extractor allocates for
//! it. An extractor that tries aborts the child on a failed allocation; one that refuses the
//! file in time passes. Nothing here depends on timing.

use std::io::Write;
use std::process::Command;

use flate2::{Compress, Compression, FlushCompress};
use lentera_search::extract::{ExtractError, MIME_PDF, MIME_XLSX, extract_text};

/// The child's address space. The bombs below decode to a gigabyte or more; a bounded
/// extractor needs a few tens of megabytes besides the test binary itself.
const FENCE_KIB: u64 = 512 * 1024;
const CASE_VAR: &str = "LENTERA_BOMB_CASE";

const CASES: &[&str] = &[
    "pdf_flate_content",
    "pdf_flate_twice",
    "pdf_object_stream",
    "pdf_xref_entries_without_width",
    "pdf_predictor_row",
    "xlsx_sparse_range",
    "pdf_form_draws_itself",
    "pdf_page_is_its_own_parent",
];

#[test]
fn bombs_are_refused_within_bounded_memory() {
    let exe = std::env::current_exe().expect("test binary");
    let mut failures = Vec::new();
    for case in CASES {
        let out = Command::new("sh")
            .arg("-c")
            .arg(r#"ulimit -v "$1" && shift && exec "$@""#)
            .arg("sh")
            .arg(FENCE_KIB.to_string())
            .arg(&exe)
            .args(["--exact", "bomb_child", "--include-ignored", "--nocapture"])
            .args(["--test-threads", "1"])
            .env(CASE_VAR, case)
            .env("RUST_BACKTRACE", "0")
            .output()
            .expect("run child");
        if !out.status.success() {
            failures.push(format!(
                "{case}: {}\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .chain(String::from_utf8_lossy(&out.stdout).lines())
                    .filter(|l| l.contains("panicked")
                        || l.contains("allocation")
                        || l.contains(": Ok(")
                        || l.contains(": Err("))
                    .collect::<Vec<_>>()
                    .join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
#[ignore = "run by bombs_are_refused_within_bounded_memory, in a child with capped memory"]
fn bomb_child() {
    let case = std::env::var(CASE_VAR).expect("case");
    let (bytes, mime) = build(&case);
    assert!(
        bytes.len() < 2 * 1024 * 1024,
        "{case}: {} bytes",
        bytes.len()
    );
    let result = extract_text(&bytes, mime);
    match case.as_str() {
        // Its text is two cells: streamed, they cost nothing.
        "xlsx_sparse_range" => {
            let text = result.expect("xlsx text");
            assert!(text.contains("awal") && text.contains("akhir"), "{text}");
        }
        "pdf_xref_entries_without_width"
        | "pdf_predictor_row"
        | "pdf_form_draws_itself"
        | "pdf_page_is_its_own_parent" => assert!(
            matches!(result, Err(ExtractError::Malformed { .. })),
            "{case}: {result:?}"
        ),
        _ => assert!(
            matches!(result, Err(ExtractError::TooLarge(_))),
            "{case}: {result:?}"
        ),
    }
}

fn build(case: &str) -> (Vec<u8>, &'static str) {
    let gib_of_spaces = || zlib_of_spaces(1024);
    let bytes = match case {
        "pdf_flate_content" => {
            one_page_pdf(&stream_object("/Filter /FlateDecode", &gib_of_spaces()))
        }
        "pdf_flate_twice" => one_page_pdf(&stream_object(
            "/Filter [/FlateDecode /FlateDecode]",
            &zlib(&gib_of_spaces()),
        )),
        "pdf_object_stream" => {
            let mut objects = page_objects(&stream_object("", b"BT ET"));
            // lopdf inflates every object stream while loading, before any page is read.
            objects.push(stream_object(
                "/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode",
                &gib_of_spaces(),
            ));
            pdf(&objects, None)
        }
        "pdf_xref_entries_without_width" => {
            // Entries of zero bytes each: lopdf would loop two billion times, allocating.
            let objects = page_objects(&stream_object("", b"BT ET"));
            let xref = stream_object("/Type /XRef /W [0 0 0] /Size 2147483647 /Root 1 0 R", b"");
            pdf(&objects, Some(&xref))
        }
        "pdf_predictor_row" => one_page_pdf(&stream_object(
            "/Filter /FlateDecode /DecodeParms << /Predictor 12 /Colors 4 /Columns 2000000000 >>",
            &zlib(b"BT ET"),
        )),
        "xlsx_sparse_range" => return (sparse_xlsx(), MIME_XLSX),
        // pdf-extract draws forms recursively, without noticing a form that draws itself: the
        // stack overflows and the process aborts.
        "pdf_form_draws_itself" => {
            let mut objects = page_objects(&stream_object("", b"/X Do"));
            objects[2] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /X 5 0 R >> >> >>".to_vec();
            objects.push(stream_object(
                "/Type /XObject /Subtype /Form /BBox [0 0 1 1]",
                b"BT ET /X Do",
            ));
            pdf(&objects, None)
        }
        // pdf-extract looks for inherited attributes up the /Parent chain without a guard.
        "pdf_page_is_its_own_parent" => {
            let mut objects = page_objects(&stream_object("", b"BT ET"));
            objects[2] = b"<< /Type /Page /Parent 3 0 R /Contents 4 0 R >>".to_vec();
            pdf(&objects, None)
        }
        other => panic!("unknown case {other}"),
    };
    (bytes, MIME_PDF)
}

/// A zlib stream of `mib` MiB of spaces, made without compressing them all: deflate blocks
/// that only repeat the previous byte can be repeated as they are.
fn zlib_of_spaces(mib: usize) -> Vec<u8> {
    let chunk = vec![b' '; 1 << 20];
    let mut compress = Compress::new(Compression::best(), false);
    let mut blocks = Vec::with_capacity(64 * 1024);
    compress
        .compress_vec(&chunk, &mut blocks, FlushCompress::Sync)
        .expect("deflate");
    assert_eq!(compress.total_in(), chunk.len() as u64);
    let mut out = vec![0x78, 0xDA];
    for _ in 0..mib {
        out.extend_from_slice(&blocks);
    }
    // An empty final block, fixed Huffman codes.
    out.extend_from_slice(&[0x03, 0x00]);
    // Adler-32 of n spaces: a = 1 + 32n, b = the sum of a over every prefix.
    let n = (mib as u128) << 20;
    let a = (1 + 32 * n) % 65521;
    let b = (n + 32 * n * (n + 1) / 2) % 65521;
    out.extend_from_slice(&((b << 16 | a) as u32).to_be_bytes());
    out
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(data).expect("compress");
    encoder.finish().expect("compress")
}

/// `<< dict /Length n >> stream … endstream`.
fn stream_object(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut body = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    body.extend_from_slice(data);
    body.extend_from_slice(b"\nendstream");
    body
}

/// Catalog, page tree and one page whose content is object 4.
fn page_objects(content: &[u8]) -> Vec<Vec<u8>> {
    vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>"
            .to_vec(),
        content.to_vec(),
    ]
}

fn one_page_pdf(content: &[u8]) -> Vec<u8> {
    pdf(&page_objects(content), None)
}

/// A PDF of `objects` (numbered from 1) with a cross-reference table, or with `xref_stream` as
/// the last object and the cross-reference instead.
fn pdf(objects: &[Vec<u8>], xref_stream: Option<&[u8]>) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let start = out.len();
    match xref_stream {
        Some(body) => {
            out.extend_from_slice(format!("{} 0 obj\n", objects.len() + 1).as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        None => {
            out.extend_from_slice(format!("xref\n0 {}\n", objects.len() + 1).as_bytes());
            out.extend_from_slice(b"0000000000 65535 f \n");
            for offset in offsets {
                out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
            }
            out.extend_from_slice(
                format!("trailer\n<< /Size {} /Root 1 0 R >>\n", objects.len() + 1).as_bytes(),
            );
        }
    }
    out.extend_from_slice(format!("startxref\n{start}\n%%EOF\n").as_bytes());
    out
}

/// A workbook with two cells, at the first and the last position a sheet has.
fn sparse_xlsx() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "awal").expect("cell");
    sheet
        .write_string(1_048_575, 16_383, "akhir")
        .expect("cell");
    book.save_to_buffer().expect("xlsx")
}

#[test]
fn the_generated_bomb_is_a_valid_zlib_stream() {
    use std::io::Read;
    let bomb = zlib_of_spaces(3);
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(bomb.as_slice())
        .read_to_end(&mut out)
        .expect("valid zlib, checksum included");
    assert_eq!(out.len(), 3 << 20);
    assert!(out.iter().all(|b| *b == b' '));
    assert!(zlib_of_spaces(1024).len() < 2 * 1024 * 1024);
}
