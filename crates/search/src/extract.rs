//! Plain text out of uploaded documents, for indexing. Uploaded files are untrusted: every
//! extractor is bounded in what it decompresses and returns, and a panic inside a third-party
//! parser becomes an [`ExtractError`] instead of taking the worker down.

use std::io::{Cursor, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{Data, Reader as _, Xlsx, open_workbook_from_rs};
use quick_xml::events::Event;

pub const MIME_PDF: &str = "application/pdf";
pub const MIME_DOCX: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
pub const MIME_XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const MIME_TEXT: &str = "text/plain";

/// Extracted text beyond this many bytes is dropped: more is never needed for search.
pub const MAX_OUTPUT_BYTES: usize = 4 * 1024 * 1024;
/// The most a DOCX or XLSX may inflate to (a zip bomb stops here).
pub const MAX_UNCOMPRESSED_BYTES: u64 = 20 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("no text extraction for type {0:?}")]
    Unsupported(String),
    #[error("not a readable {kind} file: {reason}")]
    Malformed { kind: &'static str, reason: String },
    #[error("{0} file inflates beyond the limit")]
    TooLarge(&'static str),
    #[error("the {0} parser failed on this file")]
    ParserPanicked(&'static str),
}

fn malformed(kind: &'static str, reason: impl ToString) -> ExtractError {
    ExtractError::Malformed {
        kind,
        reason: reason.to_string(),
    }
}

/// The text of a document of type `mime` (parameters such as `; charset=utf-8` are ignored).
pub fn extract_text(bytes: &[u8], mime: &str) -> Result<String, ExtractError> {
    let essence = mime
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let text = match essence.as_str() {
        MIME_PDF => guarded("PDF", || pdf(bytes))?,
        MIME_DOCX => guarded("DOCX", || docx(bytes))?,
        MIME_XLSX => guarded("XLSX", || xlsx(bytes))?,
        MIME_TEXT => {
            String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_OUTPUT_BYTES)]).into_owned()
        }
        _ => return Err(ExtractError::Unsupported(essence)),
    };
    Ok(cap(text))
}

fn guarded(
    kind: &'static str,
    f: impl FnOnce() -> Result<String, ExtractError>,
) -> Result<String, ExtractError> {
    // The parsers hold no state of ours: nothing is left half-updated by an unwind.
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(Err(ExtractError::ParserPanicked(kind)))
}

fn cap(mut text: String) -> String {
    if text.len() > MAX_OUTPUT_BYTES {
        let mut end = MAX_OUTPUT_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}

fn pdf(bytes: &[u8]) -> Result<String, ExtractError> {
    if !bytes.starts_with(b"%PDF-") {
        return Err(malformed("PDF", "missing %PDF- header"));
    }
    pdf_extract::extract_text_from_mem(bytes).map_err(|e| malformed("PDF", e))
}

fn open_zip<'a>(
    bytes: &'a [u8],
    kind: &'static str,
) -> Result<zip::ZipArchive<Cursor<&'a [u8]>>, ExtractError> {
    zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| malformed(kind, e))
}

/// Inflates every entry into the void, stopping at [`MAX_UNCOMPRESSED_BYTES`] in total. Declared
/// sizes can lie; this cannot. Used before handing an archive to a parser that reads it
/// without a bound of its own.
fn check_inflated_size(bytes: &[u8], kind: &'static str) -> Result<(), ExtractError> {
    let mut archive = open_zip(bytes, kind)?;
    let mut budget = MAX_UNCOMPRESSED_BYTES;
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|e| malformed(kind, e))?;
        let inflated = std::io::copy(&mut entry.take(budget + 1), &mut std::io::sink())
            .map_err(|e| malformed(kind, e))?;
        budget = budget
            .checked_sub(inflated)
            .ok_or(ExtractError::TooLarge(kind))?;
    }
    Ok(())
}

fn docx(bytes: &[u8]) -> Result<String, ExtractError> {
    let mut archive = open_zip(bytes, "DOCX")?;
    let entry = archive
        .by_name("word/document.xml")
        .map_err(|e| malformed("DOCX", e))?;
    let mut xml = Vec::new();
    entry
        .take(MAX_UNCOMPRESSED_BYTES + 1)
        .read_to_end(&mut xml)
        .map_err(|e| malformed("DOCX", e))?;
    if xml.len() as u64 > MAX_UNCOMPRESSED_BYTES {
        return Err(ExtractError::TooLarge("DOCX"));
    }
    let xml = String::from_utf8_lossy(&xml);
    docx_text(&xml)
}

/// The text of WordprocessingML: `w:t` runs, with tabs, line and paragraph breaks.
fn docx_text(xml: &str) -> Result<String, ExtractError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = String::new();
    let mut in_text = false;
    loop {
        let event = reader.read_event().map_err(|e| malformed("DOCX", e))?;
        match event {
            Event::Start(e) if e.name().as_ref() == "w:t" => in_text = true,
            Event::End(e) => match e.name().as_ref() {
                "w:t" => in_text = false,
                "w:p" => out.push('\n'),
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                "w:tab" => out.push('\t'),
                "w:br" | "w:cr" => out.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text => out.push_str(&t.xml10_content()),
            Event::CData(t) if in_text => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    out.push(c);
                } else if let Some(s) = quick_xml::escape::resolve_xml_entity(&r.xml10_content()) {
                    out.push_str(s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        if out.len() > MAX_OUTPUT_BYTES {
            break;
        }
    }
    Ok(out)
}

fn xlsx(bytes: &[u8]) -> Result<String, ExtractError> {
    check_inflated_size(bytes, "XLSX")?;
    let mut workbook: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| malformed("XLSX", e))?;
    let mut out = String::new();
    for name in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| malformed("XLSX", e))?;
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&name);
        out.push('\n');
        for row in range.rows() {
            let mut first = true;
            for cell in row {
                if !first {
                    out.push('\t');
                }
                first = false;
                match cell {
                    Data::Empty => {}
                    Data::String(s) => out.push_str(s),
                    other => out.push_str(&other.to_string()),
                }
            }
            // Rows of empty cells become bare tabs: drop them.
            while out.ends_with('\t') {
                out.pop();
            }
            out.push('\n');
            if out.len() > MAX_OUTPUT_BYTES {
                return Ok(out);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docx_text_handles_entities_tabs_and_paragraphs() {
        let xml = r#"<w:document><w:body><w:p><w:r><w:t>Permohonan &amp; keberatan</w:t><w:tab/><w:t xml:space="preserve"> &#65;</w:t></w:r></w:p><w:p><w:r><w:t>Baris dua</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(
            docx_text(xml).expect("valid xml"),
            "Permohonan & keberatan\t A\nBaris dua\n"
        );
    }

    #[test]
    fn unknown_type_is_unsupported() {
        assert!(matches!(
            extract_text(b"x", "image/png"),
            Err(ExtractError::Unsupported(_))
        ));
    }

    #[test]
    fn mime_parameters_are_ignored() {
        assert_eq!(
            extract_text("halo".as_bytes(), "text/plain; charset=utf-8").expect("text"),
            "halo"
        );
    }
}
