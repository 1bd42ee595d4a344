//! Documents of Lentera: the dispute dossier (the chronology of a public-information dispute)
//! written directly as PDF, and the statistical [`report`] as PDF (typst), CSV and XLSX.
//!
//! # Why dossiers need no typesetting engine
//!
//! A dossier is plain text: a title, headings, paragraphs, key/value facts and tables of dated
//! events. That needs line wrapping, page breaks and a grid, nothing a typesetting engine is
//! required for. The PDF is therefore written by hand, with no external crate:
//!
//! - A4 pages (595 × 842 pt) with 50 pt margins;
//! - the standard fonts Helvetica and Helvetica-Bold, which every PDF viewer provides, so no
//!   font is embedded; text is encoded in WinAnsiEncoding (Latin-1 plus the typographic
//!   extras such as dashes, curly quotes, the bullet and the euro sign), which covers
//!   Indonesian; any other character is printed as `?`;
//! - text wrapped with the real glyph widths of the two fonts (Adobe's AFM metrics);
//! - content streams left uncompressed (no deflate, hence no dependency);
//! - deterministic output: the same document always gives the same bytes (no timestamp, no
//!   random file identifier).
//!
//! Statistical reports with charts are a different matter: the [`report`] model is typeset by
//! typst ([`report_to_pdf`], template and fonts embedded) and exported as long-format CSV
//! ([`report_to_csv`]) and XLSX ([`report_to_xlsx`]).
//!
//! # Example
//!
//! ```
//! use lentera_render::{Block, Document};
//!
//! let mut doc = Document::new("Kronologi sengketa informasi");
//! doc.push(Block::Title("Kronologi sengketa informasi".into()))
//!     .push(Block::KeyValue(vec![("Nomor".into(), "001/PPID/II/2026".into())]))
//!     .push(Block::Paragraph("Keberatan diajukan pada Senin, 2 Februari 2026.".into()));
//! let pdf = doc.to_pdf();
//! assert!(pdf.starts_with(b"%PDF-1.4"));
//! ```

mod font;
mod layout;
pub mod letter;
mod pdf;
pub mod report;
mod report_pdf;
mod report_tables;
pub mod sheet;

pub use report_pdf::{RenderError, report_to_pdf};
pub use report_tables::{CSV_HEADER, report_to_csv, report_to_xlsx};

/// A document to render: metadata and a sequence of blocks, laid out top to bottom.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Document {
    title: String,
    author: Option<String>,
    blocks: Vec<Block>,
}

/// A unit of content of a [`Document`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// The large bold title of the document, followed by a rule.
    Title(String),
    /// A section heading; kept on the same page as the start of what follows it.
    Heading(String),
    /// Body text, wrapped to the page width; `\n` forces a line break.
    Paragraph(String),
    /// Facts as two columns: the key in bold, the value wrapped beside it.
    KeyValue(Vec<(String, String)>),
    /// A grid with a bold header row that is repeated on every page the table spans. Column
    /// widths follow the content; cell text is wrapped. Rows may have fewer cells than the
    /// widest row (the rest stay empty).
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// Continues on a new page (ignored at the top of a page, so it never leaves a blank page).
    PageBreak,
}

impl Document {
    /// An empty document. The title goes to the document properties and to the footer of every
    /// page; to print it as a heading, push a [`Block::Title`].
    #[must_use]
    pub fn new(title: impl Into<String>) -> Self {
        Document {
            title: title.into(),
            author: None,
            blocks: Vec::new(),
        }
    }

    /// Sets the author of the document properties (for instance the name of the public body).
    pub fn set_author(&mut self, author: impl Into<String>) -> &mut Self {
        self.author = Some(author.into());
        self
    }

    /// Appends a block.
    pub fn push(&mut self, b: Block) -> &mut Self {
        self.blocks.push(b);
        self
    }

    /// The title of the document properties.
    #[must_use]
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The blocks pushed so far.
    #[must_use]
    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    /// Renders an A4 PDF (595×842 pt) with 50 pt margins in Helvetica / Helvetica-Bold (standard
    /// 14 fonts, not embedded, WinAnsiEncoding): text wrapped to the page width with the
    /// Helvetica glyph widths, automatic page breaks, "Halaman N dari M" with the title in the
    /// footer of every page, an Info dictionary (Title, Author when set, Producer "Lentera"; no
    /// dates), a cross-reference table and trailer. The output is deterministic.
    #[must_use]
    pub fn to_pdf(&self) -> Vec<u8> {
        let pages = layout::layout(&self.title, &self.blocks);
        let info = pdf::Info {
            title: &self.title,
            author: self.author.as_deref(),
        };
        pdf::write(&pages, &info)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Document {
        let mut doc = Document::new("Kronologi (uji) \\ sengketa");
        doc.set_author("PPID Kota Contoh");
        doc.push(Block::Title("Kronologi sengketa informasi".into()))
            .push(Block::Heading("Para pihak".into()))
            .push(Block::KeyValue(vec![
                ("Pemohon".into(), "Budi Santoso".into()),
                ("Termohon".into(), "PPID Kota Contoh".into()),
            ]))
            .push(Block::Paragraph(
                "Isi (dengan kurung) dan \\ garis miring → panah".into(),
            ));
        doc
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(sample().to_pdf(), sample().to_pdf());
    }

    #[test]
    fn strings_are_escaped_and_unmappable_characters_replaced() {
        let pdf = sample().to_pdf();
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("(Isi \\(dengan kurung\\) dan \\\\ garis miring ? panah) Tj"));
        assert!(text.contains("/Title (Kronologi \\(uji\\) \\\\ sengketa)"));
        assert!(text.contains("/Author (PPID Kota Contoh)"));
        assert!(text.contains("/Producer (Lentera)"));
        assert!(!text.contains("CreationDate"));
        assert!(text.contains("/BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding"));
        assert!(text.contains("/MediaBox [0 0 595 842]"));
    }
}
