//! A statistical report as data: chapters of sections of blocks (paragraphs, facts, tables,
//! charts, checks). The application builds one [`Report`] from the event logs; the web layer
//! draws it as HTML, and this crate writes the same value as PDF, CSV and XLSX, so the four
//! outputs can never disagree.
//!
//! The model knows nothing of requests or objections: it is a document. Every table has a
//! stable `id` (`"3.1"`, `"3.4"`) so that machine-readable exports can be joined across bodies
//! and years.

use serde::{Deserialize, Serialize};

pub use crate::report_pdf::{RenderError, report_to_pdf};
pub use crate::report_tables::{CSV_HEADER, report_to_csv, report_to_xlsx};

/// The whole report.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// `LAPORAN LAYANAN INFORMASI PUBLIK`
    pub title: String,
    /// The body (or, for a roll-up, the parent body and "dan N badan di bawahnya").
    pub subtitle: String,
    /// `Tahun 2025`, `Semester I 2025`, `Triwulan III 2025`.
    pub period: String,
    /// A line on where the figures come from and when they were computed.
    pub generated: String,
    pub chapters: Vec<Chapter>,
    /// Signature blocks at the end (PPID, *mengetahui* Atasan PPID); may be empty.
    pub signatures: Vec<Signature>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Chapter {
    /// Roman numeral: `I` … `VI`.
    pub number: String,
    pub title: String,
    pub sections: Vec<Section>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// `3.1`; `None` for the chapter's unnumbered opening.
    pub number: Option<String>,
    pub title: Option<String>,
    pub blocks: Vec<Block>,
}

/// One piece of content.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// Plain text; blank lines separate paragraphs. Never markup: it may be typed by users.
    Paragraph {
        text: String,
    },
    /// Label–value pairs, e.g. the reconciliation or summary figures.
    Facts {
        rows: Vec<Fact>,
    },
    Table(Table),
    /// An SVG drawn on the server; `title` doubles as its text alternative.
    Chart {
        title: String,
        svg: String,
    },
    /// A checked statement; `ok = false` is shown as a warning.
    Check {
        text: String,
        ok: bool,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    pub label: String,
    pub value: Cell,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Stable machine identifier, e.g. `3.1a`.
    pub id: String,
    /// `Tabel 3.1 Jumlah permohonan per bulan dan saluran`.
    pub caption: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// A totals row, drawn apart.
    pub footer: Option<Vec<Cell>>,
    /// A line under the table (definitions, mean/median).
    pub note: Option<String>,
}

/// A table cell or fact value: the text as shown (Indonesian number format, e.g. `12,5`) and,
/// for numbers, the value itself for spreadsheets.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    #[serde(rename = "t")]
    pub text: String,
    #[serde(rename = "v", default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell {
            text: s.into(),
            value: None,
        }
    }

    /// A count, shown with `.` as thousands separator.
    pub fn count(n: u64) -> Cell {
        Cell {
            text: group_thousands(n),
            #[allow(clippy::cast_precision_loss)]
            value: Some(n as f64),
        }
    }

    /// A decimal with one digit after the comma (`12,5`), or `–` when there is none.
    pub fn decimal(v: Option<f64>) -> Cell {
        match v {
            Some(v) if v.is_finite() => Cell {
                text: format!("{v:.1}").replace('.', ","),
                value: Some(v),
            },
            _ => Cell::text("–"),
        }
    }

    /// A percentage with one decimal (`87,5 %`), or `–`.
    pub fn percent(v: Option<f64>) -> Cell {
        match v {
            Some(v) if v.is_finite() => Cell {
                text: format!("{} %", format!("{v:.1}").replace('.', ",")),
                value: Some(v),
            },
            _ => Cell::text("–"),
        }
    }
}

/// `1234567` → `1.234.567`.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Signature {
    /// `Mengetahui,` or empty.
    pub prefix: String,
    /// `Atasan PPID`, `PPID`.
    pub role: String,
    /// The official's name, or empty for a blank line to sign on.
    pub name: String,
    pub place_date: String,
}

impl Report {
    /// All tables in reading order, with the chapter they belong to.
    pub fn tables(&self) -> impl Iterator<Item = (&Chapter, &Table)> {
        self.chapters.iter().flat_map(|c| {
            c.sections.iter().flat_map(move |s| {
                s.blocks.iter().filter_map(move |b| match b {
                    Block::Table(t) => Some((c, t)),
                    _ => None,
                })
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_with_dots() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1.000");
        assert_eq!(group_thousands(1_234_567), "1.234.567");
    }

    #[test]
    fn decimals_use_a_comma() {
        assert_eq!(Cell::decimal(Some(12.46)).text, "12,5");
        assert_eq!(Cell::percent(Some(87.5)).text, "87,5 %");
        assert_eq!(Cell::decimal(None).text, "–");
        assert_eq!(Cell::decimal(Some(f64::NAN)).text, "–");
    }

    #[test]
    fn blocks_serialise_with_a_type_tag() {
        let b = Block::Check {
            text: "cocok".into(),
            ok: true,
        };
        let json = serde_json::to_string(&b).unwrap_or_default();
        assert_eq!(json, r#"{"type":"check","text":"cocok","ok":true}"#);
    }
}
