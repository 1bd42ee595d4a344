//! The body's own texts of the annual report: chapters I, II (2.1–2.3), V and VI, and the
//! names on the signatures. Plain text only (shown escaped everywhere), kept per year as
//! append-only versions; a year without its own text uses the latest earlier year's, so a PPID
//! does not retype every year.

use std::collections::HashMap;

use lentera_domain::Role;
use lentera_domain::submission::FieldErrors;
use lentera_store::report_texts::{self as store, NewText};
use serde::Serialize;
use time::OffsetDateTime;

use crate::auth::OfficerCtx;
use crate::{App, AppError, BodyEntry};

/// One editable part of the report.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct TextPart {
    pub key: &'static str,
    /// Where it appears, in Indonesian (`BAB I`, `2.1 Sarana dan prasarana`).
    pub label: &'static str,
    pub label_en: &'static str,
    pub max_chars: usize,
    /// A line of text (names, place) rather than paragraphs.
    pub single_line: bool,
}

/// Longest chapter text.
pub const MAX_CHAPTER: usize = 20_000;

pub const PARTS: &[TextPart] = &[
    TextPart {
        key: "bab1",
        label: "BAB I Gambaran umum kebijakan layanan informasi publik",
        label_en: "Chapter I Overview of the public-information service policy",
        max_chars: MAX_CHAPTER,
        single_line: false,
    },
    TextPart {
        key: "bab2",
        label: "BAB II Gambaran umum pelaksanaan layanan informasi publik (pengantar)",
        label_en: "Chapter II Overview of the service's operation (introduction)",
        max_chars: MAX_CHAPTER,
        single_line: false,
    },
    TextPart {
        key: "bab2_1",
        label: "2.1 Sarana dan prasarana",
        label_en: "2.1 Facilities and infrastructure",
        max_chars: MAX_CHAPTER,
        single_line: false,
    },
    TextPart {
        key: "bab2_2",
        label: "2.2 Sumber daya manusia dan kualifikasinya",
        label_en: "2.2 Staff and their qualifications",
        max_chars: MAX_CHAPTER,
        single_line: false,
    },
    TextPart {
        key: "bab2_3",
        label: "2.3 Anggaran layanan informasi dan laporan penggunaannya",
        label_en: "2.3 Budget of the service and its use",
        max_chars: MAX_CHAPTER,
        single_line: false,
    },
    TextPart {
        key: "bab5",
        label: "BAB V Kendala eksternal dan internal",
        label_en: "Chapter V External and internal constraints",
        max_chars: MAX_CHAPTER,
        single_line: false,
    },
    TextPart {
        key: "bab6",
        label: "BAB VI Rekomendasi dan rencana tindak lanjut",
        label_en: "Chapter VI Recommendations and follow-up plan",
        max_chars: MAX_CHAPTER,
        single_line: false,
    },
    TextPart {
        key: "ttd_ppid",
        label: "Nama PPID (penanda tangan)",
        label_en: "Name of the PPID (signatory)",
        max_chars: 200,
        single_line: true,
    },
    TextPart {
        key: "ttd_atasan",
        label: "Nama Atasan PPID (mengetahui)",
        label_en: "Name of the PPID's superior (acknowledges)",
        max_chars: 200,
        single_line: true,
    },
    TextPart {
        key: "tempat",
        label: "Tempat penandatanganan",
        label_en: "Place of signing",
        max_chars: 100,
        single_line: true,
    },
];

pub fn part(key: &str) -> Option<&'static TextPart> {
    PARTS.iter().find(|p| p.key == key)
}

/// One part as in force for a year.
#[derive(Debug, Clone, Serialize)]
pub struct TextView {
    pub part: TextPart,
    pub text: String,
    /// The year whose text this is (earlier than the report year when carried over).
    pub from_year: Option<i64>,
    /// The latest version stored for the report year itself (0: none yet).
    pub version: i64,
    pub updated_at: Option<OffsetDateTime>,
    /// The author's e-mail (shown to officers only).
    pub author: Option<String>,
    /// How many versions the report year has.
    pub versions_this_year: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportTexts {
    pub body: String,
    pub year: i32,
    pub parts: Vec<TextView>,
}

impl ReportTexts {
    /// The text of a part (empty when none was ever written).
    pub fn get(&self, key: &str) -> &str {
        self.parts
            .iter()
            .find(|p| p.part.key == key)
            .map_or("", |p| p.text.as_str())
    }
}

/// One edited part as the form sends it.
#[derive(Debug, Clone)]
pub struct TextEdit {
    pub part: String,
    pub text: String,
    /// The version of the report year the editor started from (`None`: the latest).
    pub base_version: Option<i64>,
}

fn year_ok(year: i32) -> Result<i64, AppError> {
    if (2000..=2100).contains(&year) {
        Ok(i64::from(year))
    } else {
        Err(AppError::field("year", "out_of_range"))
    }
}

/// Plain text: line ends normalised, no control characters but newlines and tabs, trimmed.
fn clean(p: &TextPart, raw: &str, e: &mut FieldErrors) -> String {
    let text = raw.replace("\r\n", "\n").replace('\r', "\n");
    let text = if p.single_line {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        text.trim().to_owned()
    };
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        e.add(p.key, "invalid_characters");
    }
    if text.chars().count() > p.max_chars {
        e.add(p.key, "too_long");
    }
    text
}

/// May this officer edit the report texts of `body`? The body's PPID and Atasan PPID, and
/// administrators.
pub fn may_edit(officer: &OfficerCtx, body: &BodyEntry) -> bool {
    match officer.role {
        Role::Admin => true,
        Role::Ppid | Role::Supervisor => officer.home.row.id == body.row.id,
        Role::PpidUnit | Role::Viewer => false,
    }
}

impl App {
    /// The texts in force for a body's report of `year`.
    pub async fn report_texts(&self, slug: &str, year: i32) -> Result<ReportTexts, AppError> {
        let y = year_ok(year)?;
        let body = self
            .body_by_slug(slug)
            .await?
            .ok_or(AppError::NotFound("body.not_found"))?;
        self.report_texts_of(&body, y).await
    }

    pub(crate) async fn report_texts_of(
        &self,
        body: &BodyEntry,
        year: i64,
    ) -> Result<ReportTexts, AppError> {
        let rows = store::up_to(&self.db, body.row.id, year).await?;
        let mut first: HashMap<&str, &store::ReportTextRow> = HashMap::new();
        let mut this_year: HashMap<&str, (i64, i64)> = HashMap::new();
        for r in &rows {
            first.entry(r.part.as_str()).or_insert(r);
            if r.year == year {
                let e = this_year.entry(r.part.as_str()).or_insert((0, 0));
                e.0 = e.0.max(r.version);
                e.1 += 1;
            }
        }
        let parts = PARTS
            .iter()
            .map(|p| {
                let row = first.get(p.key);
                let (version, count) = this_year.get(p.key).copied().unwrap_or((0, 0));
                TextView {
                    part: *p,
                    text: row.map(|r| r.text.clone()).unwrap_or_default(),
                    from_year: row.map(|r| r.year),
                    version,
                    updated_at: row.map(|r| r.at),
                    author: row.and_then(|r| r.author.clone()),
                    versions_this_year: count,
                }
            })
            .collect();
        Ok(ReportTexts {
            body: body.row.slug.clone(),
            year: i32::try_from(year).unwrap_or_default(),
            parts,
        })
    }

    /// Saves the parts that changed as new versions of `year` (all or nothing). Unknown parts,
    /// texts that are too long or carry control characters are refused (422); a part someone
    /// else saved since the editor was opened is a conflict (409).
    pub async fn save_report_texts(
        &self,
        officer: &OfficerCtx,
        slug: &str,
        year: i32,
        edits: &[TextEdit],
    ) -> Result<ReportTexts, AppError> {
        let y = year_ok(year)?;
        let body = self
            .body_by_slug(slug)
            .await?
            .ok_or(AppError::NotFound("body.not_found"))?;
        if !may_edit(officer, &body) {
            return Err(AppError::Forbidden);
        }
        let current = self.report_texts_of(&body, y).await?;
        let mut e = FieldErrors::default();
        let mut changed = Vec::new();
        for edit in edits {
            let Some(p) = part(edit.part.trim()) else {
                e.add(&edit.part, "invalid_choice");
                continue;
            };
            let text = clean(p, &edit.text, &mut e);
            let Some(now) = current.parts.iter().find(|v| v.part.key == p.key) else {
                continue;
            };
            if let Some(base) = edit.base_version
                && base != now.version
            {
                return Err(AppError::Conflict {
                    code: "report_text.changed",
                    message: format!(
                        "Teks \"{}\" sudah diubah orang lain sejak formulir dibuka; muat ulang halaman.",
                        p.label
                    ),
                });
            }
            if text != now.text {
                changed.push(NewText {
                    part: p.key.to_owned(),
                    expected: now.version,
                    text,
                });
            }
        }
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        if !changed.is_empty() {
            store::append(
                &self.db,
                body.row.id,
                y,
                &changed,
                self.now(),
                Some(officer.user.id),
            )
            .await
            .map_err(|err| match err {
                lentera_store::StoreError::Conflict(_) => AppError::Conflict {
                    code: "report_text.changed",
                    message: "Teks laporan diubah bersamaan oleh orang lain; muat ulang halaman."
                        .into(),
                },
                other => other.into(),
            })?;
        }
        self.report_texts_of(&body, y).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_cleaned_and_limited() {
        let mut e = FieldErrors::default();
        let p = part("bab1").expect("bab1");
        assert_eq!(clean(p, "  a\r\nb  ", &mut e), "a\nb");
        assert!(e.is_empty());
        let long = "x".repeat(MAX_CHAPTER + 1);
        clean(p, &long, &mut e);
        clean(p, "a\u{0007}b", &mut e);
        assert!(!e.is_empty());
        let mut e = FieldErrors::default();
        let name = part("ttd_ppid").expect("ttd");
        assert_eq!(clean(name, " Budi\n Santoso ", &mut e), "Budi Santoso");
    }
}
