//! What the register pages and the API show: entries, tests, publications, documents, findings.

use lentera_domain::InfoKind;
use lentera_domain::consequence::{RawTest, TestState, TestStatus};
use lentera_domain::privacy::{PersonalKind, TextStatus};
use lentera_domain::register::{ChecklistItem, EntryFields};
use lentera_store::register::DocumentRow;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::personal_data::{DocumentCheck, document_check};

/// A document as lists and pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentView {
    pub id: Uuid,
    pub filename: String,
    pub mime: String,
    pub size: i64,
    pub sha256: String,
    pub url: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Where the personal-data check stands: `clear`, `personal_data`, `unreadable` or
    /// `checked` (by an officer, by hand).
    pub privacy_check: &'static str,
    /// True while the check holds the document back: it is not public even when its owner is.
    pub held: bool,
    /// How much of its text the check could read.
    pub text_status: TextStatus,
    /// The findings not confirmed yet, masked.
    pub findings: Vec<PersonalFinding>,
    /// Who checked it by hand; in officers' views only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checked_by: Option<CheckedBy>,
}

/// An officer's check of a document, by name.
#[derive(Debug, Clone, Serialize)]
pub struct CheckedBy {
    pub name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

impl DocumentView {
    /// `confirmed`: the keys its owner confirmed as public; `officer`: the view is for the
    /// back office (with who checked it).
    pub fn of(d: &DocumentRow, confirmed: &[String], officer: bool) -> Self {
        let check = document_check(d, confirmed);
        let checked_by = match (officer, &d.checked_by_name, d.checked_at) {
            (true, Some(name), Some(at)) => Some(CheckedBy {
                name: name.clone(),
                at,
            }),
            _ => None,
        };
        Self {
            id: d.id,
            filename: d.filename.clone(),
            mime: d.mime.clone(),
            size: d.size,
            sha256: d.sha256.clone(),
            url: document_url(d.id, &d.filename),
            created_at: d.created_at,
            privacy_check: check.as_str(),
            held: !check.passes(),
            text_status: TextStatus::parse(&d.text_status),
            findings: match check {
                DocumentCheck::PersonalData(f) => f,
                _ => Vec::new(),
            },
            checked_by,
        }
    }
}

/// The views of `rows`; the public's leave out what the personal-data check holds back.
pub(super) fn document_views(
    rows: &[DocumentRow],
    confirmed: &[String],
    officer: bool,
) -> Vec<DocumentView> {
    rows.iter()
        .map(|d| DocumentView::of(d, confirmed, officer))
        .filter(|v| officer || !v.held)
        .collect()
}

pub fn document_url(id: Uuid, filename: &str) -> String {
    let safe: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("/dokumen/{id}/{safe}")
}

#[derive(Debug, Clone, Serialize)]
pub struct EntryView {
    pub id: Uuid,
    pub body: String,
    pub body_name: String,
    pub unit_name: Option<String>,
    #[serde(flatten)]
    pub fields: EntryFields,
    pub published: bool,
    pub first_published_on: Option<Date>,
    pub updated_on: Date,
    /// *Berkala* not refreshed for six months.
    pub stale: bool,
    /// The decided consequence test that takes this entry out of the DIP, if in force.
    pub closed_by: Option<Uuid>,
    pub documents: Vec<DocumentView>,
    pub url: String,
    pub event_count: i64,
    /// True while the personal-data check keeps the entry from the public.
    pub held: bool,
    /// What the check found and no officer confirmed yet (masked); officers' views only.
    pub findings: Vec<PersonalFinding>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TestView {
    pub id: Uuid,
    pub body: String,
    pub body_name: String,
    pub status: TestStatus,
    pub in_force: bool,
    pub lapsed: bool,
    #[serde(flatten)]
    pub state: TestState,
    pub documents: Vec<DocumentView>,
    pub url: String,
    pub event_count: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PublicationView {
    pub id: Uuid,
    pub body: String,
    pub body_name: String,
    pub title: String,
    pub text: String,
    pub request: Option<String>,
    pub published: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub published_at: OffsetDateTime,
    pub documents: Vec<DocumentView>,
    pub url: String,
    pub event_count: i64,
}

/// A body's register as the public (or an officer) sees it.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterView {
    pub body: String,
    pub body_name: String,
    pub dip: Vec<(InfoKind, Vec<EntryView>)>,
    pub dik: Vec<TestView>,
    pub missing: Vec<&'static ChecklistItem>,
    pub completeness: f64,
}

/// A suspected piece of personal data blocking a publication, or a document that could not be
/// read and so must be checked by hand.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PersonalFinding {
    /// `text`, `title` (an entry's field names) or the document's id.
    pub place: String,
    pub place_label: String,
    pub kind: FindingKind,
    pub masked: String,
    /// Sent back in `confirmed` to confirm the value as public (or, for `unreadable`, that the
    /// officer checked the document).
    pub key: String,
    /// For `unreadable`: how much of the text could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_status: Option<TextStatus>,
}

/// What a finding is about; serialised as one snake_case word (`nik`, …, `unreadable`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingKind {
    Personal(PersonalKind),
    /// A document the scanner could not read whole: nothing in it was checked.
    Unreadable,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Personal(k) => k.as_str(),
            Self::Unreadable => "unreadable",
        }
    }
}

impl Serialize for FindingKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PublishInput {
    pub title: Option<String>,
    pub text: Option<String>,
    #[serde(default)]
    pub documents: Vec<Uuid>,
    /// Keys of findings confirmed as public.
    #[serde(default)]
    pub confirmed: Vec<String>,
}

/// What the officer sees before publishing: defaults and the documents on the case.
#[derive(Debug, Clone, Serialize)]
pub struct PublishDraft {
    pub number: String,
    pub title: String,
    pub text: String,
    pub documents: Vec<DocumentView>,
    pub findings: Vec<PersonalFinding>,
    pub publications: Vec<PublicationView>,
}

/// Actions on a consequence test.
#[derive(Debug, Clone)]
pub enum TestAction {
    Amend(Box<RawTest>),
    Submit,
    Decide {
        number: String,
        place: String,
        official: String,
        on: Option<Date>,
    },
    Review {
        keep: bool,
        note: String,
    },
    Expire {
        note: String,
    },
    Annul {
        ruling: String,
    },
}

/// Where an uploaded document belongs.
#[derive(Debug, Clone)]
pub enum DocOwner {
    Entry(Uuid),
    Test(Uuid),
    /// A request's written notice, by registration number.
    Request(String),
}
