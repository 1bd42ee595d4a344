//! Serialisation of laid-out pages as a PDF 1.4 file: objects, uncompressed content streams,
//! the cross-reference table and the trailer.
//!
//! Object numbers are fixed: 1 catalog, 2 page tree, 3 and 4 the fonts, 5 the Info dictionary,
//! then a page object and its content stream for every page.

use std::fmt::Write as _;

use crate::font::Font;
use crate::layout::{Op, PAGE_HEIGHT, PAGE_WIDTH};

const CATALOG: usize = 1;
const PAGES: usize = 2;
const FONT_REGULAR: usize = 3;
const FONT_BOLD: usize = 4;
const INFO: usize = 5;
const FIRST_PAGE: usize = 6;

/// Metadata of the Info dictionary.
pub(crate) struct Info<'a> {
    pub(crate) title: &'a str,
    pub(crate) author: Option<&'a str>,
}

/// Writes the whole file.
pub(crate) fn write(pages: &[Vec<Op>], info: &Info<'_>) -> Vec<u8> {
    let mut w = Writer {
        out: Vec::new(),
        offsets: Vec::new(),
    };
    // The comment with bytes above 127 tells transfer tools the file is binary.
    w.out.extend_from_slice(b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");

    let page_id = |i: usize| FIRST_PAGE + 2 * i;
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", page_id(i)))
        .collect();

    w.object(
        CATALOG,
        format!("<< /Type /Catalog /Pages {PAGES} 0 R >>").as_bytes(),
    );
    w.object(
        PAGES,
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        )
        .as_bytes(),
    );
    for (id, font) in [(FONT_REGULAR, Font::Regular), (FONT_BOLD, Font::Bold)] {
        w.object(
            id,
            format!(
                "<< /Type /Font /Subtype /Type1 /BaseFont /{} /Encoding /WinAnsiEncoding >>",
                font.base_font()
            )
            .as_bytes(),
        );
    }
    let mut dict = format!("<< /Title {}", text_string(info.title));
    if let Some(author) = info.author {
        let _ = write!(dict, " /Author {}", text_string(author));
    }
    dict.push_str(" /Producer (Lentera) >>");
    w.object(INFO, dict.as_bytes());

    for (i, ops) in pages.iter().enumerate() {
        let content = content_stream(ops);
        let page = format!(
            "<< /Type /Page /Parent {PAGES} 0 R /MediaBox [0 0 {} {}] \
             /Resources << /Font << /{} {FONT_REGULAR} 0 R /{} {FONT_BOLD} 0 R >> >> \
             /Contents {} 0 R >>",
            num(PAGE_WIDTH),
            num(PAGE_HEIGHT),
            Font::Regular.resource(),
            Font::Bold.resource(),
            page_id(i) + 1,
        );
        w.object(page_id(i), page.as_bytes());
        let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        stream.extend_from_slice(&content);
        stream.extend_from_slice(b"\nendstream");
        w.object(page_id(i) + 1, &stream);
    }

    let xref = w.out.len();
    let size = w.offsets.len() + 1;
    let mut table = format!("xref\n0 {size}\n0000000000 65535 f \n");
    for offset in &w.offsets {
        let _ = writeln!(table, "{offset:010} 00000 n ");
    }
    let _ = write!(
        table,
        "trailer\n<< /Size {size} /Root {CATALOG} 0 R /Info {INFO} 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    );
    w.out.extend_from_slice(table.as_bytes());
    w.out
}

struct Writer {
    out: Vec<u8>,
    /// Byte offset of object `i + 1`.
    offsets: Vec<usize>,
}

impl Writer {
    /// Writes object `id`, which must be the next number in sequence.
    fn object(&mut self, id: usize, body: &[u8]) {
        debug_assert_eq!(id, self.offsets.len() + 1, "objects are written in order");
        self.offsets.push(self.out.len());
        self.out
            .extend_from_slice(format!("{id} 0 obj\n").as_bytes());
        self.out.extend_from_slice(body);
        self.out.extend_from_slice(b"\nendobj\n");
    }
}

/// The page description: text, lines and fills, uncompressed.
fn content_stream(ops: &[Op]) -> Vec<u8> {
    let mut out = b"0.5 w 0 G 0 g\n".to_vec();
    for op in ops {
        match op {
            Op::Text {
                x,
                y,
                font,
                size,
                text,
            } => {
                if text.is_empty() {
                    continue;
                }
                out.extend_from_slice(
                    format!(
                        "BT /{} {} Tf {} {} Td ",
                        font.resource(),
                        num(*size),
                        num(*x),
                        num(*y)
                    )
                    .as_bytes(),
                );
                out.extend_from_slice(&literal(text));
                out.extend_from_slice(b" Tj ET\n");
            }
            Op::Line { x1, y1, x2, y2 } => {
                let line = format!(
                    "{} {} m {} {} l S\n",
                    num(*x1),
                    num(*y1),
                    num(*x2),
                    num(*y2)
                );
                out.extend_from_slice(line.as_bytes());
            }
            Op::Fill { x, y, w, h, gray } => {
                let fill = format!(
                    "q {} g {} {} {} {} re f Q\n",
                    num(*gray),
                    num(*x),
                    num(*y),
                    num(*w),
                    num(*h)
                );
                out.extend_from_slice(fill.as_bytes());
            }
        }
    }
    out
}

/// A PDF literal string of raw bytes, with `(`, `)` and `\` escaped. Bytes above 127 are
/// written as they are (they are WinAnsi codes); control bytes as octal escapes.
pub(crate) fn literal(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 2);
    out.push(b'(');
    for &b in bytes {
        match b {
            b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', b]),
            0..=31 | 127 => out.extend_from_slice(format!("\\{b:03o}").as_bytes()),
            _ => out.push(b),
        }
    }
    out.push(b')');
    out
}

/// A text string for the Info dictionary: a literal when it is plain printable ASCII, otherwise
/// UTF-16BE with a byte-order mark, in hex (valid for any Unicode text, no escaping needed).
fn text_string(text: &str) -> String {
    if text.bytes().all(|b| (32..127).contains(&b)) {
        return String::from_utf8_lossy(&literal(text.as_bytes())).into_owned();
    }
    let mut hex = String::from("<FEFF");
    for unit in text.encode_utf16() {
        let _ = write!(hex, "{unit:04X}");
    }
    hex.push('>');
    hex
}

/// A number with at most two decimals and no exponent (`50`, `700.5`, `0.9`).
fn num(value: f32) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    if rounded == 0.0 {
        return "0".to_owned();
    }
    format!("{rounded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_strings_are_escaped() {
        assert_eq!(literal(b"a(b)c\\d"), b"(a\\(b\\)c\\\\d)".to_vec());
        assert_eq!(literal(b"\x01\xE9"), b"(\\001\xE9)".to_vec());
    }

    #[test]
    fn info_strings_are_ascii_or_utf16() {
        assert_eq!(text_string("Kronologi (PPID)"), "(Kronologi \\(PPID\\))");
        assert_eq!(text_string("é–"), "<FEFF00E92013>");
    }

    #[test]
    fn numbers_are_short_and_plain() {
        assert_eq!(num(50.0), "50");
        assert_eq!(num(700.5), "700.5");
        assert_eq!(num(0.9), "0.9");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(123.456), "123.46");
        assert_eq!(num(842.0), "842");
    }
}
