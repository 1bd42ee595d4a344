//! Checks of uploaded files. The client's file name and MIME type are never trusted: the type
//! is detected from the bytes, the name's extension must agree with it, and the name kept for
//! display is sanitised.
//!
//! Accepted types:
//!
//! | type | detected by | extensions |
//! | --- | --- | --- |
//! | PDF | `%PDF-` at offset 0 | `pdf` |
//! | DOCX | a ZIP (at offset 0) whose central directory lists `[Content_Types].xml` and `word/document.xml` | `docx` |
//! | XLSX | a ZIP (at offset 0) whose central directory lists `[Content_Types].xml` and `xl/workbook.xml` | `xlsx` |
//! | PNG | the 8-byte PNG signature | `png` |
//! | JPEG | `FF D8 FF` | `jpg`, `jpeg` |
//! | text | valid UTF-8 without NUL or other control characters (tab, line feed, carriage return and form feed allowed), no markup (HTML, XML, SVG), no `#!`, RTF or PostScript header, no other magic number | `txt`, `csv` |
//!
//! Everything else is refused, including ZIPs that are neither DOCX nor XLSX (ODF, archives of
//! executables), Office files with macros (`vbaProject.bin`) and UTF-16 text. Zip entries are
//! never decompressed: only the central directory is read, and an archive with more than
//! [`MAX_ZIP_ENTRIES`] entries is refused.

use std::io::Cursor;

use sha2::{Digest, Sha256};

/// The most entries a DOCX or XLSX may have (real ones have tens to a few hundred).
pub const MAX_ZIP_ENTRIES: usize = 10_000;

/// The longest display name kept, in characters.
pub const MAX_NAME_CHARS: usize = 120;

const PDF: &str = "application/pdf";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const PNG: &str = "image/png";
const JPEG: &str = "image/jpeg";
const TEXT: &str = "text/plain";
const CSV: &str = "text/csv";

/// Limits of an upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadPolicy {
    pub max_bytes: usize,
}

impl Default for UploadPolicy {
    /// 20 MiB.
    fn default() -> Self {
        Self {
            max_bytes: 20 * 1024 * 1024,
        }
    }
}

/// An upload that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedUpload {
    /// The detected type (`text/plain` and `text/csv` are always UTF-8).
    pub mime: &'static str,
    /// The canonical extension of the detected type, without dot: `pdf`, `docx`, `xlsx`,
    /// `png`, `jpg`, `txt` or `csv`.
    pub extension: &'static str,
    pub size: u64,
    /// SHA-256 of the bytes, lowercase hex.
    pub sha256: String,
    /// The sanitised display name (see [`sanitize_filename`]).
    pub filename: String,
}

/// Why an upload was refused; [`UploadError::code`] gives a stable code for messages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {max} bytes")]
    TooLarge { max: usize },
    #[error("this type of file is not accepted")]
    TypeNotAllowed,
    #[error("the file name ends in {declared:?} but the file is {detected}")]
    TypeMismatch {
        declared: String,
        detected: &'static str,
    },
    #[error("the file name is not usable")]
    NameInvalid,
}

impl UploadError {
    pub fn code(&self) -> &'static str {
        match self {
            UploadError::Empty => "file.empty",
            UploadError::TooLarge { .. } => "file.too_large",
            UploadError::TypeNotAllowed => "file.type_not_allowed",
            UploadError::TypeMismatch { .. } => "file.type_mismatch",
            UploadError::NameInvalid => "file.name_invalid",
        }
    }
}

/// A detected type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Pdf,
    Docx,
    Xlsx,
    Png,
    Jpeg,
    Text,
}

impl Kind {
    /// The extensions a file of this kind may be named with (lowercase), canonical first.
    fn extensions(self) -> &'static [&'static str] {
        match self {
            Kind::Pdf => &["pdf"],
            Kind::Docx => &["docx"],
            Kind::Xlsx => &["xlsx"],
            Kind::Png => &["png"],
            Kind::Jpeg => &["jpg", "jpeg"],
            Kind::Text => &["txt", "csv"],
        }
    }

    fn mime(self) -> &'static str {
        match self {
            Kind::Pdf => PDF,
            Kind::Docx => DOCX,
            Kind::Xlsx => XLSX,
            Kind::Png => PNG,
            Kind::Jpeg => JPEG,
            Kind::Text => TEXT,
        }
    }
}

/// Checks an upload: not empty, within the size limit, a usable name, an accepted type
/// detected from the bytes, and a name whose extension agrees with that type.
pub fn check_upload(
    filename: &str,
    bytes: &[u8],
    policy: &UploadPolicy,
) -> Result<CheckedUpload, UploadError> {
    if bytes.is_empty() {
        return Err(UploadError::Empty);
    }
    if bytes.len() > policy.max_bytes {
        return Err(UploadError::TooLarge {
            max: policy.max_bytes,
        });
    }
    let filename = sanitize_filename(filename)?;
    let kind = detect(bytes).ok_or(UploadError::TypeNotAllowed)?;
    let declared = extension_of(&filename);
    let Some(&extension) = kind.extensions().iter().find(|e| **e == declared) else {
        return Err(UploadError::TypeMismatch {
            declared,
            detected: kind.mime(),
        });
    };
    let (mime, extension) = match (kind, extension) {
        (Kind::Text, "csv") => (CSV, "csv"),
        (Kind::Jpeg, _) => (JPEG, "jpg"),
        (kind, ext) => (kind.mime(), ext),
    };
    Ok(CheckedUpload {
        mime,
        extension,
        size: bytes.len() as u64,
        sha256: hex::encode(Sha256::digest(bytes)),
        filename,
    })
}

/// The display name kept for a client's file name: its last path component (after `/` or
/// `\`), without control characters, invisible formatting characters (bidirectional overrides,
/// zero-width characters) and `/\:*?"<>|`, with runs of white space collapsed to one space,
/// without leading or trailing dots and spaces, cut to [`MAX_NAME_CHARS`] characters keeping
/// the extension. Empty after that: [`UploadError::NameInvalid`].
pub fn sanitize_filename(name: &str) -> Result<String, UploadError> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let kept: String = last
        .chars()
        .filter(|c| !c.is_control() && !is_invisible(*c) && !r#"/\:*?"<>|"#.contains(*c))
        .collect();
    let collapsed = kept.split_whitespace().collect::<Vec<_>>().join(" ");
    let trimmed = collapsed.trim_matches(['.', ' ']);
    if trimmed.is_empty() {
        return Err(UploadError::NameInvalid);
    }
    if trimmed.chars().count() <= MAX_NAME_CHARS {
        return Ok(trimmed.to_owned());
    }
    let ext = trimmed
        .rsplit_once('.')
        .map(|(_, e)| e)
        .filter(|e| !e.is_empty() && e.chars().count() <= 16 && !e.contains(' '));
    let out = match ext {
        Some(ext) => {
            let keep = MAX_NAME_CHARS - ext.chars().count() - 1;
            let stem: String = trimmed.chars().take(keep).collect();
            let stem = stem.trim_end_matches(['.', ' ']);
            format!("{stem}.{ext}")
        }
        None => {
            let cut: String = trimmed.chars().take(MAX_NAME_CHARS).collect();
            cut.trim_end_matches(['.', ' ']).to_owned()
        }
    };
    if out.is_empty() || out.starts_with('.') {
        return Err(UploadError::NameInvalid);
    }
    Ok(out)
}

/// Characters that change how a name is displayed without being seen: soft hyphen, zero-width
/// characters, bidirectional embeddings, overrides and isolates, word joiner, BOM.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FEFF}'
    )
}

/// The lowercase extension of a (sanitised) name, empty when it has none.
fn extension_of(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_lowercase(),
        _ => String::new(),
    }
}

/// The type of the bytes, if it is one accepted.
fn detect(bytes: &[u8]) -> Option<Kind> {
    if bytes.starts_with(b"%PDF-") {
        return Some(Kind::Pdf);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(Kind::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(Kind::Jpeg);
    }
    if bytes.starts_with(b"PK") {
        return office_kind(bytes);
    }
    if is_plain_text(bytes) {
        return Some(Kind::Text);
    }
    None
}

/// DOCX or XLSX from the central directory of a ZIP, without decompressing anything.
fn office_kind(bytes: &[u8]) -> Option<Kind> {
    // The archive must start at the first byte: no data prepended (self-extracting archives,
    // polyglots).
    let config = zip::read::Config {
        archive_offset: zip::read::ArchiveOffset::Known(0),
    };
    let archive = zip::ZipArchive::with_config(config, Cursor::new(bytes)).ok()?;
    if archive.is_empty() || archive.len() > MAX_ZIP_ENTRIES {
        return None;
    }
    let (mut content_types, mut word, mut excel) = (false, false, false);
    for name in archive.file_names_raw() {
        match name {
            b"[Content_Types].xml" => content_types = true,
            b"word/document.xml" => word = true,
            b"xl/workbook.xml" => excel = true,
            _ => {}
        }
        if !acceptable_entry(name) {
            return None;
        }
    }
    match (content_types, word, excel) {
        (true, true, false) => Some(Kind::Docx),
        (true, false, true) => Some(Kind::Xlsx),
        _ => None,
    }
}

/// Whether an entry may be part of an accepted Office document: a relative path without `..`,
/// not a macro project and not an executable or script.
fn acceptable_entry(name: &[u8]) -> bool {
    let Ok(name) = std::str::from_utf8(name) else {
        return false;
    };
    if name.starts_with('/') || name.contains('\\') || name.split('/').any(|s| s == "..") {
        return false;
    }
    let lower = name.to_ascii_lowercase();
    let file = lower.rsplit('/').next().unwrap_or_default();
    if file == "vbaproject.bin" || file == "vbadata.xml" {
        return false;
    }
    const EXECUTABLE: &[&str] = &[
        "exe", "dll", "com", "scr", "bat", "cmd", "msi", "ps1", "vbs", "vbe", "js", "jse", "wsf",
        "hta", "jar", "sh", "elf", "apk", "lnk", "cpl",
    ];
    !matches!(file.rsplit_once('.'), Some((_, ext)) if EXECUTABLE.contains(&ext))
}

/// Plain text: UTF-8, no control character other than tab, line feed, carriage return and form
/// feed (so no NUL), not markup or a script, and no magic number of another type.
fn is_plain_text(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{000C}'))
    {
        return false;
    }
    let start = text
        .trim_start_matches('\u{FEFF}')
        .trim_start_matches([' ', '\t', '\n', '\r', '\u{000C}']);
    // Markup (HTML, XML, SVG, a comment or doctype) begins with `<` and a letter, `!` or `?`.
    let mut chars = start.chars();
    if chars.next() == Some('<')
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '!' || c == '?')
    {
        return false;
    }
    if start.starts_with("#!")
        || start.starts_with("{\\rtf")
        || start.starts_with("%!")
        || start.starts_with("%PDF")
    {
        return false;
    }
    match infer::get(bytes) {
        None => true,
        // Two-letter magic numbers that begin ordinary words ("BMKG", "BCA"): a real BMP or
        // LLVM bitcode file has NUL bytes in its header, which text cannot have.
        Some(t) => matches!(t.mime_type(), "image/bmp" | "application/x-llvm"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            sanitize_filename("C:\\Users\\budi\\Surat  Keberatan.PDF").as_deref(),
            Ok("Surat Keberatan.PDF")
        );
        assert_eq!(
            sanitize_filename("laporan\u{202E}fdp.exe").as_deref(),
            Ok("laporanfdp.exe")
        );
        assert_eq!(sanitize_filename(".."), Err(UploadError::NameInvalid));
        assert_eq!(sanitize_filename("a/"), Err(UploadError::NameInvalid));
        assert_eq!(extension_of("x.JPEG"), "jpeg");
        assert_eq!(extension_of("pdf"), "");
    }

    #[test]
    fn text_rules() {
        assert!(is_plain_text("BMKG,suhu\n1,2\n".as_bytes()));
        assert!(is_plain_text("BCA;Mandiri\r\n".as_bytes()));
        assert!(is_plain_text("a < b\n".as_bytes()));
        assert!(!is_plain_text(b"<svg xmlns='http://www.w3.org/2000/svg'/>"));
        assert!(!is_plain_text(b"  <!doctype html><p>x"));
        assert!(!is_plain_text(b"#!/bin/sh\nrm -rf /\n"));
        assert!(!is_plain_text(b"MZ\x90\x00\x03"));
        assert!(!is_plain_text(b"a\x00b"));
        assert!(!is_plain_text(b"a\x1bb"));
        assert!(!is_plain_text(b"GIF89a text"));
    }
}
