//! The register of public information (DIP), consequence tests (DIK), documents and published
//! answers: the use cases behind the public register pages and the back office.

use std::sync::Arc;

use lentera_domain::InfoKind;
use lentera_domain::access::RegisterAction;
use lentera_domain::consequence::{Determination, RawTest, TestEvent, TestState, TestStatus};
use lentera_domain::privacy::{self, PersonalKind, TextStatus};
use lentera_domain::publication::{PublicationEvent, PublicationState, unconfirmed};
use lentera_domain::register::{
    CHECKLIST, ChecklistItem, EntryEvent, EntryFields, EntryState, RawEntry, completeness,
    missing_items,
};
use lentera_domain::request::RequestStatus;
use lentera_domain::submission::FieldErrors;
use lentera_store::StoreError;
pub use lentera_store::register::EventRow as RegisterEvent;
use lentera_store::register::{
    self as store, Aggregate, DocumentRow, EntryProjection, EntryRow, PublicationRow,
    TestProjection, TestRow,
};
use lentera_store::requests::NewEvent;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::auth::OfficerCtx;
use crate::upload::{UploadPolicy, check_upload};
use crate::{App, AppError, BodyEntry};

const NOT_FOUND: AppError = AppError::NotFound("register.not_found");

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
fn document_views(rows: &[DocumentRow], confirmed: &[String], officer: bool) -> Vec<DocumentView> {
    rows.iter()
        .map(|d| DocumentView::of(d, confirmed, officer))
        .filter(|v| officer || !v.held)
        .collect()
}

/// A finding as stored with its document: masked, never the value itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredFinding {
    kind: PersonalKind,
    masked: String,
    key: String,
}

fn stored_findings_of(text: &str) -> Vec<StoredFinding> {
    privacy::scan(text)
        .into_iter()
        .map(|f| StoredFinding {
            kind: f.kind,
            masked: f.masked,
            key: f.key,
        })
        .collect()
}

fn stored_findings(d: &DocumentRow) -> Vec<StoredFinding> {
    // Documents stored before findings were kept, or with an unreadable record, are scanned
    // again: never taken as clean.
    d.findings
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_else(|| stored_findings_of(&d.extracted_text))
}

/// Where a document stands in the personal-data check (domain spec §11.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentCheck {
    /// Read whole; nothing found that is not confirmed.
    Clear,
    /// Read whole; these findings are not confirmed.
    PersonalData(Vec<PersonalFinding>),
    /// Not read whole, so nothing is known of what it holds.
    Unreadable(TextStatus),
    /// An officer checked it by hand.
    Checked,
}

impl DocumentCheck {
    pub fn passes(&self) -> bool {
        matches!(self, Self::Clear | Self::Checked)
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Clear => "clear",
            Self::PersonalData(_) => "personal_data",
            Self::Unreadable(_) => "unreadable",
            Self::Checked => "checked",
        }
    }
}

/// The check of `d` against the keys its owner confirmed as public.
pub fn document_check(d: &DocumentRow, confirmed: &[String]) -> DocumentCheck {
    if d.checked_at.is_some() {
        return DocumentCheck::Checked;
    }
    let status = TextStatus::parse(&d.text_status);
    if !status.is_complete() {
        return DocumentCheck::Unreadable(status);
    }
    let open: Vec<PersonalFinding> = stored_findings(d)
        .into_iter()
        .filter(|f| !confirmed.contains(&f.key))
        .map(|f| PersonalFinding {
            place: d.id.to_string(),
            place_label: d.filename.clone(),
            kind: FindingKind::Personal(f.kind),
            masked: f.masked,
            key: f.key,
            text_status: None,
        })
        .collect();
    if open.is_empty() {
        DocumentCheck::Clear
    } else {
        DocumentCheck::PersonalData(open)
    }
}

/// The key that confirms an officer checked an unreadable document by hand.
pub fn unreadable_key(id: Uuid) -> String {
    format!("unreadable:{id}")
}

/// What blocks publishing `d`: its unconfirmed findings, or the document itself while it
/// could not be read and nobody checked it.
fn document_findings(d: &DocumentRow, confirmed: &[String]) -> Vec<PersonalFinding> {
    match document_check(d, confirmed) {
        DocumentCheck::Clear | DocumentCheck::Checked => Vec::new(),
        DocumentCheck::PersonalData(f) => f,
        DocumentCheck::Unreadable(status) => {
            let key = unreadable_key(d.id);
            if confirmed.contains(&key) {
                Vec::new()
            } else {
                vec![PersonalFinding {
                    place: d.id.to_string(),
                    place_label: d.filename.clone(),
                    kind: FindingKind::Unreadable,
                    masked: String::new(),
                    key,
                    text_status: Some(status),
                }]
            }
        }
    }
}

/// Unconfirmed findings in what the public reads of an entry.
pub(crate) fn entry_findings(
    fields: &lentera_domain::register::EntryFields,
    confirmed: &[String],
) -> Vec<PersonalFinding> {
    fields
        .public_texts()
        .iter()
        .flat_map(|(place, label, text)| findings_in(place, label, text, confirmed))
        .collect()
}

/// Whether the personal-data check lets the public see an entry (when published).
pub(crate) fn entry_passes(state: &EntryState) -> bool {
    entry_findings(&state.fields, &state.confirmed).is_empty()
}

/// The keys of `offered` that confirm one of `found`: only what an officer was shown is kept.
fn keys_confirming(offered: &[String], found: &[PersonalFinding]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for k in offered {
        if found.iter().any(|f| &f.key == k) && !out.contains(k) {
            out.push(k.clone());
        }
    }
    out
}

/// Reads a document's text for the index and the personal-data check. It fails closed: what
/// could not be read whole is marked so, and then waits for an officer.
fn read_text(bytes: &[u8], mime: &str) -> (String, TextStatus) {
    use lentera_search::extract::{ExtractError, MAX_OUTPUT_BYTES, extract_text};
    let essence = mime.split(';').next().unwrap_or("").trim();
    let extracted = match extract_text(bytes, mime) {
        // A CSV is text (the upload check made sure it is UTF-8): read it here for as long as
        // the extractor has no CSV reader of its own.
        Err(ExtractError::Unsupported(_)) if essence.eq_ignore_ascii_case("text/csv") => {
            let end = bytes.len().min(MAX_OUTPUT_BYTES);
            let text = String::from_utf8_lossy(&bytes[..end]).into_owned();
            if end < bytes.len() {
                return (text, TextStatus::Partial);
            }
            Ok(text)
        }
        other => other,
    };
    match extracted {
        // The extractor cuts its output at the limit (on a character boundary): what reaches
        // it was not read whole.
        Ok(text) if text.len() + 4 > MAX_OUTPUT_BYTES => (text, TextStatus::Partial),
        Ok(text) if text.trim().is_empty() => (text, TextStatus::Empty),
        Ok(text) => (text, TextStatus::Read),
        Err(ExtractError::Unsupported(_)) => (String::new(), TextStatus::Unsupported),
        Err(e) => {
            tracing::info!(error = %e, "document text not extracted; held for an officer");
            (String::new(), TextStatus::Failed)
        }
    }
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

/// Documents grouped by owner, from one query for a whole list.
type DocumentsByOwner = std::collections::HashMap<Uuid, Vec<DocumentRow>>;

fn group_by_owner(rows: Vec<DocumentRow>) -> DocumentsByOwner {
    let mut map = DocumentsByOwner::new();
    for d in rows {
        map.entry(d.owner_id).or_default().push(d);
    }
    map
}

fn field_error(field: &str, code: &'static str) -> AppError {
    AppError::field(field, code)
}

fn json<T: Serialize>(v: &T) -> Result<String, AppError> {
    serde_json::to_string(v).map_err(|e| AppError::Unexpected(e.into()))
}

fn corrupt(e: impl std::fmt::Display) -> AppError {
    AppError::Unexpected(anyhow::anyhow!("stored register state unreadable: {e}"))
}

impl App {
    /// The stored events of one register aggregate (entry, test, publication), oldest first.
    pub async fn register_history(&self, id: Uuid) -> Result<Vec<RegisterEvent>, AppError> {
        Ok(lentera_store::register::events(&self.db, id).await?)
    }

    fn register_event(&self, kind: &str, data: String, officer: &OfficerCtx) -> NewEvent {
        NewEvent {
            id: Uuid::now_v7(),
            at: self.now(),
            actor_kind: "officer".into(),
            actor_id: Some(officer.user.id),
            kind: kind.into(),
            data,
        }
    }

    fn require(
        &self,
        officer: &OfficerCtx,
        action: RegisterAction,
        body: &BodyEntry,
        unit: Option<&str>,
    ) -> Result<(), AppError> {
        if officer.policy().may_register(action, &body.row.slug, unit) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The unit named in a form, which must belong to `home`; a unit officer's own unit by default.
    async fn entry_unit(
        &self,
        officer: &OfficerCtx,
        home: &BodyEntry,
        unit: Option<&str>,
    ) -> Result<Option<Arc<BodyEntry>>, AppError> {
        let slug = match unit {
            Some(u) => Some(u.to_owned()),
            None if officer.body.row.kind == "unit" => Some(officer.body.row.slug.clone()),
            None => None,
        };
        let Some(slug) = slug else { return Ok(None) };
        match self.body_by_slug(&slug).await? {
            Some(u) if u.row.kind == "unit" && u.row.parent_id == Some(home.row.id) => Ok(Some(u)),
            _ => Err(field_error("unit", "not_a_unit_of_this_body")),
        }
    }

    fn entry_projection(
        s: &EntryState,
        unit_id: Option<Uuid>,
    ) -> Result<EntryProjection, AppError> {
        Ok(EntryProjection {
            unit_id,
            kind: s.fields.kind.as_str().into(),
            title: s.fields.title.clone(),
            year: i64::from(s.fields.year),
            checklist: s.fields.checklist.clone(),
            published: s.published,
            published_on: s.first_published_on,
            updated_on: s.updated_on,
            state: json(s)?,
        })
    }

    // ------------------------------------------------------------ entries

    pub async fn create_entry(
        &self,
        officer: &OfficerCtx,
        raw: &RawEntry,
    ) -> Result<EntryView, AppError> {
        let home = Arc::clone(&officer.home);
        let today = self.today_in(home.time_zone());
        let fields = raw.validate(today.year()).map_err(AppError::Invalid)?;
        let unit = self
            .entry_unit(officer, &home, fields.unit.as_deref())
            .await?;
        let unit_slug = unit.as_ref().map(|u| u.row.slug.clone());
        self.require(officer, RegisterAction::Edit, &home, unit_slug.as_deref())?;
        let fields = EntryFields {
            unit: unit_slug,
            ..fields
        };
        let event = EntryEvent::Created { fields };
        let state = EntryState::create(&event, today).map_err(corrupt)?;
        let id = Uuid::now_v7();
        let p = Self::entry_projection(&state, unit.as_ref().map(|u| u.row.id))?;
        let ev = self.register_event(event.kind(), json(&event)?, officer);
        store::create_entry(&self.db, id, home.row.id, &p, &ev).await?;
        self.entry(id, Some(officer)).await
    }

    async fn load_register_entry(&self, id: Uuid) -> Result<(EntryRow, EntryState), AppError> {
        let row = match store::get_entry(&self.db, id).await {
            Ok(r) => r,
            Err(StoreError::NotFound) => return Err(NOT_FOUND),
            Err(e) => return Err(e.into()),
        };
        let state: EntryState = serde_json::from_str(&row.state).map_err(corrupt)?;
        Ok((row, state))
    }

    async fn append_entry_event(
        &self,
        officer: &OfficerCtx,
        row: &EntryRow,
        state: &mut EntryState,
        event: EntryEvent,
        reindex: bool,
    ) -> Result<(), AppError> {
        let body = self.body(row.body_id).await?;
        let today = self.today_in(body.time_zone());
        state.apply(&event, today).map_err(|e| AppError::Conflict {
            code: "register.not_allowed",
            message: e.to_string(),
        })?;
        let p = Self::entry_projection(state, row.unit_id)?;
        let ev = self.register_event(event.kind(), json(&event)?, officer);
        store::append_entry(&self.db, row.id, row.event_count, &ev, &p, reindex).await?;
        Ok(())
    }

    async fn entry_for_edit(
        &self,
        officer: &OfficerCtx,
        id: Uuid,
    ) -> Result<(EntryRow, EntryState, Arc<BodyEntry>), AppError> {
        let (row, state) = self.load_register_entry(id).await?;
        let body = self.body(row.body_id).await?;
        if !officer
            .policy()
            .may_register(RegisterAction::ViewDrafts, &body.row.slug, None)
        {
            return Err(NOT_FOUND);
        }
        self.require(
            officer,
            RegisterAction::Edit,
            &body,
            state.fields.unit.as_deref(),
        )?;
        Ok((row, state, body))
    }

    /// Changes an entry. A published entry's new text passes the personal-data check first:
    /// each finding must be removed or confirmed by its key in `confirmed`.
    pub async fn update_entry(
        &self,
        officer: &OfficerCtx,
        id: Uuid,
        raw: &RawEntry,
        confirmed: &[String],
    ) -> Result<EntryView, AppError> {
        let (row, mut state, body) = self.entry_for_edit(officer, id).await?;
        let today = self.today_in(body.time_zone());
        let fields = raw.validate(today.year()).map_err(AppError::Invalid)?;
        let unit = self
            .entry_unit(officer, &body, fields.unit.as_deref())
            .await?;
        let unit_slug = unit.as_ref().map(|u| u.row.slug.clone());
        self.require(officer, RegisterAction::Edit, &body, unit_slug.as_deref())?;
        let fields = EntryFields {
            unit: unit_slug,
            ..fields
        };
        let published = state.published;
        let mut known = state.confirmed.clone();
        known.extend(confirmed.iter().cloned());
        if published {
            let open = entry_findings(&fields, &known);
            if !open.is_empty() {
                return Err(AppError::PersonalData(open));
            }
        }
        let newly = keys_confirming(confirmed, &entry_findings(&fields, &state.confirmed));
        let mut row = row;
        row.unit_id = unit.as_ref().map(|u| u.row.id);
        self.append_entry_event(
            officer,
            &row,
            &mut state,
            EntryEvent::Updated {
                fields,
                confirmed: newly.clone(),
            },
            published,
        )
        .await?;
        if published && !newly.is_empty() {
            // A key confirmed here may also clear a document of the entry.
            self.enqueue_documents_of(id).await?;
        }
        self.after_register_change().await;
        self.entry(id, Some(officer)).await
    }

    async fn enqueue_documents_of(&self, entry: Uuid) -> Result<(), AppError> {
        let docs: Vec<(Aggregate, Uuid)> = store::documents_of(&self.db, "entry", entry)
            .await?
            .iter()
            .map(|d| (Aggregate::Document, d.id))
            .collect();
        if !docs.is_empty() {
            store::enqueue(&self.db, &docs, self.now()).await?;
        }
        Ok(())
    }

    /// Publishes or withdraws an entry; its documents follow it in and out of the search.
    /// Publishing runs the personal-data check over the entry and its documents, as for an
    /// answer: each finding must be removed or confirmed by its key in `confirmed`, and a key
    /// `unreadable:{document}` records that the officer checked that document by hand.
    pub async fn set_entry_published(
        &self,
        officer: &OfficerCtx,
        id: Uuid,
        publish: bool,
        reason: Option<String>,
        confirmed: &[String],
    ) -> Result<EntryView, AppError> {
        let (row, mut state, body) = self.entry_for_edit(officer, id).await?;
        let today = self.today_in(body.time_zone());
        let event = if publish && state.published {
            // Refused by the fold as a conflict; nothing to check or record.
            EntryEvent::Published {
                on: today,
                confirmed: Vec::new(),
            }
        } else if publish {
            let docs = store::documents_of(&self.db, "entry", id).await?;
            let mut known = state.confirmed.clone();
            known.extend(confirmed.iter().cloned());
            let mut open = entry_findings(&state.fields, &known);
            for d in &docs {
                open.extend(document_findings(d, &known));
            }
            if !open.is_empty() {
                return Err(AppError::PersonalData(open));
            }
            let mut shown = entry_findings(&state.fields, &state.confirmed);
            for d in &docs {
                shown.extend(document_findings(d, &state.confirmed));
            }
            let docs: Vec<&DocumentRow> = docs.iter().collect();
            self.record_confirmed_checks(officer, &docs, confirmed)
                .await?;
            EntryEvent::Published {
                on: today,
                confirmed: keys_confirming(confirmed, &shown)
                    .into_iter()
                    .filter(|k| !k.starts_with("unreadable:"))
                    .collect(),
            }
        } else {
            let reason = reason
                .map(|r| r.trim().to_owned())
                .filter(|r| !r.is_empty());
            let Some(reason) = reason else {
                return Err(field_error("reason", "required"));
            };
            EntryEvent::Unpublished { on: today, reason }
        };
        self.append_entry_event(officer, &row, &mut state, event, true)
            .await?;
        self.enqueue_documents_of(id).await?;
        self.after_register_change().await;
        self.entry(id, Some(officer)).await
    }

    /// The test in force that closes an entry, if any.
    pub(crate) async fn closing_test(
        &self,
        entry_id: Uuid,
        today: Date,
    ) -> Result<Option<Uuid>, AppError> {
        for t in store::tests_for_entry(&self.db, entry_id).await? {
            let s: TestState = serde_json::from_str(&t.state).map_err(corrupt)?;
            if s.in_force(today) {
                return Ok(Some(t.id));
            }
        }
        Ok(None)
    }

    /// An entry; the public sees only published entries not closed by a consequence test and
    /// passed by the personal-data check.
    pub async fn entry(
        &self,
        id: Uuid,
        viewer: Option<&OfficerCtx>,
    ) -> Result<EntryView, AppError> {
        let (row, state) = self.load_register_entry(id).await?;
        let body = self.body(row.body_id).await?;
        let today = self.today_in(body.time_zone());
        let closed_by = self.closing_test(id, today).await?;
        let officer_sees = viewer.is_some_and(|o| {
            o.policy()
                .may_register(RegisterAction::ViewDrafts, &body.row.slug, None)
        });
        if !officer_sees && (!state.published || closed_by.is_some() || !entry_passes(&state)) {
            return Err(NOT_FOUND);
        }
        let documents = document_views(
            &store::documents_of(&self.db, "entry", row.id).await?,
            &state.confirmed,
            officer_sees,
        );
        self.entry_view(&row, state, &body, closed_by, today, documents)
            .await
    }

    /// The public never gets here with a held entry, so its findings are for officers only.
    async fn entry_view(
        &self,
        row: &EntryRow,
        state: EntryState,
        body: &BodyEntry,
        closed_by: Option<Uuid>,
        today: Date,
        documents: Vec<DocumentView>,
    ) -> Result<EntryView, AppError> {
        let unit_name = match row.unit_id {
            Some(u) => Some(self.body(u).await?.row.name.clone()),
            None => None,
        };
        let findings = entry_findings(&state.fields, &state.confirmed);
        Ok(EntryView {
            id: row.id,
            body: body.row.slug.clone(),
            body_name: body.row.name.clone(),
            unit_name,
            stale: state.stale(today),
            published: state.published,
            first_published_on: state.first_published_on,
            updated_on: state.updated_on,
            documents,
            fields: state.fields,
            closed_by,
            url: format!("/b/{}/dip/{}", body.row.slug, row.id),
            event_count: row.event_count,
            held: !findings.is_empty(),
            findings,
        })
    }

    /// The DIP grouped by kind, the DIK and the checklist of what is still missing.
    pub async fn information_register(
        &self,
        slug: &str,
        viewer: Option<&OfficerCtx>,
    ) -> Result<RegisterView, AppError> {
        let body = self
            .body_by_slug(slug)
            .await?
            .ok_or(AppError::NotFound("body.not_found"))?;
        let body = self.home_body(&body).await?;
        if !self.sees_drafts(&body, viewer) {
            return Ok((*self.public_register(slug).await?).clone());
        }
        self.read_register(&body, viewer).await
    }

    fn sees_drafts(&self, body: &BodyEntry, viewer: Option<&OfficerCtx>) -> bool {
        viewer.is_some_and(|o| {
            o.policy()
                .may_register(RegisterAction::ViewDrafts, &body.row.slug, None)
        })
    }

    /// The register read from the store (see [`App::public_register`] for the cached one).
    pub(crate) async fn read_register(
        &self,
        body: &Arc<BodyEntry>,
        viewer: Option<&OfficerCtx>,
    ) -> Result<RegisterView, AppError> {
        let today = self.today_in(body.time_zone());
        let officer_sees = self.sees_drafts(body, viewer);
        let rows = store::entries_for_body(&self.db, body.row.id, !officer_sees).await?;
        let tests = store::tests_for_body(&self.db, body.row.id).await?;
        let mut test_states = Vec::new();
        for t in &tests {
            let s: TestState = serde_json::from_str(&t.state).map_err(corrupt)?;
            test_states.push((t, s));
        }
        let mut dip: Vec<(InfoKind, Vec<EntryView>)> =
            [InfoKind::Periodic, InfoKind::Immediate, InfoKind::AnyTime]
                .into_iter()
                .map(|k| (k, Vec::new()))
                .collect();
        let mut entry_docs =
            group_by_owner(store::documents_of_body(&self.db, body.row.id, "entry").await?);
        let mut test_docs =
            group_by_owner(store::documents_of_body(&self.db, body.row.id, "test").await?);
        let mut present = Vec::new();
        for row in &rows {
            let state: EntryState = serde_json::from_str(&row.state).map_err(corrupt)?;
            let closed_by = test_states
                .iter()
                .find(|(t, s)| t.entry_id == Some(row.id) && s.in_force(today))
                .map(|(t, _)| t.id);
            if !officer_sees && (closed_by.is_some() || !entry_passes(&state)) {
                continue;
            }
            if state.published
                && closed_by.is_none()
                && entry_passes(&state)
                && let Some(c) = &state.fields.checklist
            {
                present.push(c.clone());
            }
            let kind = state.fields.kind;
            let documents = document_views(
                &entry_docs.remove(&row.id).unwrap_or_default(),
                &state.confirmed,
                officer_sees,
            );
            let view = self
                .entry_view(row, state, body, closed_by, today, documents)
                .await?;
            if let Some((_, list)) = dip.iter_mut().find(|(k, _)| *k == kind) {
                list.push(view);
            }
        }
        // The DIP itself is an *setiap saat* item: publishing any entry covers it.
        if dip
            .iter()
            .any(|(_, l)| l.iter().any(|e| e.published && !e.held))
        {
            present.push("setiap_saat.dip".into());
        }
        let mut dik = Vec::new();
        for (t, s) in test_states {
            if officer_sees || s.listed_in_dik(today) {
                let documents = test_docs.remove(&t.id).unwrap_or_default();
                let documents = document_views(&documents, &[], officer_sees);
                dik.push(self.test_view_of(t, s, body, today, documents));
            }
        }
        let present_refs: Vec<&str> = present.iter().map(String::as_str).collect();
        Ok(RegisterView {
            body: body.row.slug.clone(),
            body_name: body.row.name.clone(),
            dip,
            dik,
            missing: missing_items(present_refs.iter().copied()),
            completeness: completeness(present_refs.iter().copied()),
        })
    }

    pub fn checklist(&self) -> &'static [ChecklistItem] {
        CHECKLIST
    }

    // ------------------------------------------------------------ consequence tests

    fn test_projection(s: &TestState) -> Result<TestProjection, AppError> {
        Ok(TestProjection {
            entry_id: s.fields.entry,
            number: s.determination.as_ref().map(|d| d.number.clone()),
            status: s.status.as_str().into(),
            decided_on: s.determination.as_ref().map(|d| d.on),
            until_on: s.fields.period.as_ref().and_then(|p| p.until),
            review_due: s.review_due,
            grounds: s
                .fields
                .grounds
                .iter()
                .map(|g| g.as_str())
                .collect::<Vec<_>>()
                .join(","),
            information: s.fields.information.chars().take(500).collect(),
            state: json(s)?,
        })
    }

    async fn check_test_links(
        &self,
        home: &BodyEntry,
        raw: &lentera_domain::consequence::TestFields,
    ) -> Result<(), AppError> {
        if let Some(entry) = raw.entry {
            match store::get_entry(&self.db, entry).await {
                Ok(e) if e.body_id == home.row.id => {}
                Ok(_) | Err(StoreError::NotFound) => return Err(field_error("entry", "not_found")),
                Err(e) => return Err(e.into()),
            }
        }
        if let Some(number) = &raw.request {
            match lentera_store::requests::get_by_number(&self.db, number).await {
                Ok(r) if r.body_id == home.row.id => {}
                Ok(_) | Err(StoreError::NotFound) => {
                    return Err(field_error("request", "not_found"));
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    pub async fn create_test(
        &self,
        officer: &OfficerCtx,
        raw: &RawTest,
    ) -> Result<TestView, AppError> {
        let home = Arc::clone(&officer.home);
        let mut fields = raw.validate().map_err(AppError::Invalid)?;
        if fields.unit.is_none() && officer.body.row.kind == "unit" {
            fields.unit = Some(officer.body.row.slug.clone());
        }
        self.require(
            officer,
            RegisterAction::ProposeTest,
            &home,
            fields.unit.as_deref(),
        )?;
        self.check_test_links(&home, &fields).await?;
        let event = TestEvent::Drafted { fields };
        let state = TestState::create(&event).map_err(corrupt)?;
        let id = Uuid::now_v7();
        let ev = self.register_event(event.kind(), json(&event)?, officer);
        store::create_test(
            &self.db,
            id,
            home.row.id,
            &Self::test_projection(&state)?,
            &ev,
        )
        .await?;
        self.test(id, Some(officer)).await
    }

    pub async fn act_on_test(
        &self,
        officer: &OfficerCtx,
        id: Uuid,
        action: TestAction,
    ) -> Result<TestView, AppError> {
        let row = match store::get_test(&self.db, id).await {
            Ok(r) => r,
            Err(StoreError::NotFound) => return Err(NOT_FOUND),
            Err(e) => return Err(e.into()),
        };
        let body = self.body(row.body_id).await?;
        if !officer
            .policy()
            .may_register(RegisterAction::ViewDrafts, &body.row.slug, None)
        {
            return Err(NOT_FOUND);
        }
        let today = self.today_in(body.time_zone());
        let mut state: TestState = serde_json::from_str(&row.state).map_err(corrupt)?;
        let (needed, event) = match action {
            TestAction::Amend(raw) => {
                let mut fields = raw.validate().map_err(AppError::Invalid)?;
                if fields.unit.is_none() && officer.body.row.kind == "unit" {
                    fields.unit = Some(officer.body.row.slug.clone());
                }
                // The unit it is given to must be one the officer may propose for, too.
                self.require(
                    officer,
                    RegisterAction::ProposeTest,
                    &body,
                    fields.unit.as_deref(),
                )?;
                self.check_test_links(&body, &fields).await?;
                (RegisterAction::ProposeTest, TestEvent::Amended { fields })
            }
            TestAction::Submit => (RegisterAction::ProposeTest, TestEvent::Submitted),
            TestAction::Decide {
                number,
                place,
                official,
                on,
            } => {
                let on = on.unwrap_or(today);
                if on > today {
                    return Err(field_error("on", "in_the_future"));
                }
                (
                    RegisterAction::DecideTest,
                    TestEvent::Decided(Determination {
                        number: number.trim().to_owned(),
                        on,
                        place: place.trim().to_owned(),
                        official: official.trim().to_owned(),
                    }),
                )
            }
            TestAction::Review { keep, note } => (
                RegisterAction::DecideTest,
                TestEvent::Reviewed {
                    on: today,
                    keep,
                    note,
                },
            ),
            TestAction::Expire { note } => (
                RegisterAction::DecideTest,
                TestEvent::Expired { on: today, note },
            ),
            TestAction::Annul { ruling } => {
                if ruling.trim().is_empty() {
                    return Err(field_error("ruling", "required"));
                }
                (
                    RegisterAction::DecideTest,
                    TestEvent::Annulled {
                        on: today,
                        ruling: ruling.trim().to_owned(),
                    },
                )
            }
        };
        self.require(officer, needed, &body, state.fields.unit.as_deref())?;
        state.apply(&event).map_err(|e| match e {
            lentera_domain::consequence::TestError::Incomplete(f) => AppError::Invalid(f),
            lentera_domain::consequence::TestError::DeterminationIncomplete => {
                let mut f = FieldErrors::default();
                f.add("number", "required");
                f.add("place", "required");
                f.add("official", "required");
                AppError::Invalid(f)
            }
            lentera_domain::consequence::TestError::PeriodTooLong => {
                field_error("period_until", "more_than_30_years")
            }
            lentera_domain::consequence::TestError::PeriodEndsBeforeDecision => {
                field_error("period_until", "before_decision")
            }
            other => AppError::Conflict {
                code: "consequence_test.not_allowed",
                message: format!("Tindakan tidak dapat dilakukan pada status ini ({other})."),
            },
        })?;
        if let TestEvent::Decided(d) = &event
            && let Ok(other) = store::get_test_by_number(&self.db, body.row.id, &d.number).await
            && other.id != id
        {
            return Err(field_error("number", "already_used"));
        }
        let ev = self.register_event(event.kind(), json(&event)?, officer);
        store::append_test(
            &self.db,
            id,
            row.event_count,
            &ev,
            &Self::test_projection(&state)?,
        )
        .await?;
        self.after_register_change().await;
        self.test(id, Some(officer)).await
    }

    fn test_view_of(
        &self,
        t: &TestRow,
        state: TestState,
        body: &BodyEntry,
        today: Date,
        documents: Vec<DocumentView>,
    ) -> TestView {
        TestView {
            id: t.id,
            body: body.row.slug.clone(),
            body_name: body.row.name.clone(),
            status: state.status,
            in_force: state.in_force(today),
            lapsed: state.lapsed(today),
            state,
            documents,
            url: format!("/b/{}/dik/{}", body.row.slug, t.id),
            event_count: t.event_count,
        }
    }

    /// A test; the public sees only tests listed in the DIK.
    pub async fn test(&self, id: Uuid, viewer: Option<&OfficerCtx>) -> Result<TestView, AppError> {
        let row = match store::get_test(&self.db, id).await {
            Ok(r) => r,
            Err(StoreError::NotFound) => return Err(NOT_FOUND),
            Err(e) => return Err(e.into()),
        };
        let body = self.body(row.body_id).await?;
        let today = self.today_in(body.time_zone());
        let state: TestState = serde_json::from_str(&row.state).map_err(corrupt)?;
        let officer_sees = viewer.is_some_and(|o| {
            o.policy()
                .may_register(RegisterAction::ViewDrafts, &body.row.slug, None)
        });
        if !officer_sees && !state.listed_in_dik(today) {
            return Err(NOT_FOUND);
        }
        let documents = document_views(
            &store::documents_of(&self.db, "test", row.id).await?,
            &[],
            officer_sees,
        );
        Ok(self.test_view_of(&row, state, &body, today, documents))
    }

    /// Resolves a test cited by a decision: by id or by its determination number in `body`.
    pub async fn cited_test(
        &self,
        body: &BodyEntry,
        cited: &str,
    ) -> Result<Option<(Uuid, TestState)>, AppError> {
        let row = match Uuid::parse_str(cited.trim()) {
            Ok(id) => store::get_test(&self.db, id).await,
            Err(_) => store::get_test_by_number(&self.db, body.row.id, cited.trim()).await,
        };
        match row {
            Ok(r) if r.body_id == body.row.id => {
                let s: TestState = serde_json::from_str(&r.state).map_err(corrupt)?;
                Ok(Some((r.id, s)))
            }
            Ok(_) | Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The tests of the officer's body, for the back-office list and the decision form.
    pub async fn tests_for_officer(&self, officer: &OfficerCtx) -> Result<Vec<TestView>, AppError> {
        let home = Arc::clone(&officer.home);
        self.require(officer, RegisterAction::ViewDrafts, &home, None)?;
        let today = self.today_in(home.time_zone());
        let mut docs =
            group_by_owner(store::documents_of_body(&self.db, home.row.id, "test").await?);
        let mut out = Vec::new();
        for t in store::tests_for_body(&self.db, home.row.id).await? {
            let s: TestState = serde_json::from_str(&t.state).map_err(corrupt)?;
            let documents = document_views(&docs.remove(&t.id).unwrap_or_default(), &[], true);
            out.push(self.test_view_of(&t, s, &home, today, documents));
        }
        Ok(out)
    }

    // ------------------------------------------------------------ documents

    /// Stores an uploaded file after checking its content; nothing is stored when it fails.
    pub async fn upload_document(
        &self,
        officer: &OfficerCtx,
        owner: DocOwner,
        filename: &str,
        bytes: bytes::Bytes,
    ) -> Result<DocumentView, AppError> {
        let checked = check_upload(filename, &bytes, &UploadPolicy::default())
            .map_err(|e| field_error("file", e.code()))?;
        let (body, owner_kind, owner_id, entry) = match &owner {
            DocOwner::Entry(id) => {
                let (row, state, body) = self.entry_for_edit(officer, *id).await?;
                (body, "entry", *id, Some((row, state)))
            }
            DocOwner::Test(id) => {
                let row = match store::get_test(&self.db, *id).await {
                    Ok(r) => r,
                    Err(StoreError::NotFound) => return Err(NOT_FOUND),
                    Err(e) => return Err(e.into()),
                };
                let body = self.body(row.body_id).await?;
                let state: TestState = serde_json::from_str(&row.state).map_err(corrupt)?;
                self.require(
                    officer,
                    RegisterAction::ProposeTest,
                    &body,
                    state.fields.unit.as_deref(),
                )?;
                (body, "test", *id, None)
            }
            DocOwner::Request(number) => {
                let row =
                    match lentera_store::requests::get_by_number(&self.db, number.trim()).await {
                        Ok(r) => r,
                        Err(StoreError::NotFound) => {
                            return Err(AppError::NotFound("request.not_found"));
                        }
                        Err(e) => return Err(e.into()),
                    };
                let body = self.body(row.body_id).await?;
                let unit = match row.unit_id {
                    Some(u) => Some(self.body(u).await?.row.slug.clone()),
                    None => None,
                };
                if !officer.policy().may(
                    lentera_domain::access::Action::Decide,
                    &body.row.slug,
                    unit.as_deref(),
                ) {
                    return Err(AppError::Forbidden);
                }
                (body, "request", row.id, None)
            }
        };
        let id = Uuid::now_v7();
        let now = self.now();
        let key = format!("documents/{}/{}/{}", now.year(), id, checked.sha256);
        let mime = checked.mime;
        let data = bytes.clone();
        // A reader that died is a document not read, never a clean one.
        let (text, text_status) = tokio::task::spawn_blocking(move || read_text(&data, mime))
            .await
            .unwrap_or((String::new(), TextStatus::Failed));
        let findings = json(&stored_findings_of(&text))?;
        self.storage()
            .put(&key, bytes)
            .await
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!("document storage: {e}")))?;
        let row = DocumentRow {
            id,
            body_id: body.row.id,
            owner_kind: owner_kind.into(),
            owner_id,
            filename: checked.filename,
            mime: mime.into(),
            size: i64::try_from(checked.size).unwrap_or(i64::MAX),
            sha256: checked.sha256,
            storage_key: key.clone(),
            extracted_text: text,
            uploaded_by: Some(officer.user.id),
            created_at: now,
            removed_at: None,
            text_status: text_status.as_str().into(),
            findings: Some(findings),
            checked_by: None,
            checked_by_name: None,
            checked_at: None,
        };
        let owner_confirmed = entry
            .as_ref()
            .map(|(_, state)| state.confirmed.clone())
            .unwrap_or_default();
        let stored = match entry {
            Some((erow, mut state)) => {
                let today = self.today_in(body.time_zone());
                let event = EntryEvent::DocumentAttached { document: id };
                state.apply(&event, today).map_err(corrupt)?;
                let p = Self::entry_projection(&state, erow.unit_id)?;
                let ev = self.register_event(event.kind(), json(&event)?, officer);
                store::insert_document(&self.db, &row, Some((erow.event_count, &ev, &p))).await
            }
            None => store::insert_document(&self.db, &row, None).await,
        };
        if let Err(e) = stored {
            // Nothing half-stored: the object goes when its record could not be written.
            let _ = self.storage().delete(&key).await;
            return Err(e.into());
        }
        self.after_register_change().await;
        Ok(DocumentView::of(&row, &owner_confirmed, true))
    }

    /// Who may read a document: everyone when its owner is public, else officers of its body.
    pub async fn document_for_download(
        &self,
        id: Uuid,
        viewer: Option<&OfficerCtx>,
    ) -> Result<DocumentRow, AppError> {
        let doc = match store::get_document(&self.db, id).await {
            Ok(d) if d.removed_at.is_none() => d,
            Ok(_) | Err(StoreError::NotFound) => {
                return Err(AppError::NotFound("document.not_found"));
            }
            Err(e) => return Err(e.into()),
        };
        if self.document_is_public(&doc).await? {
            return Ok(doc);
        }
        let body = self.body(doc.body_id).await?;
        if doc.owner_kind == "request" {
            return self.request_attachment(doc, &body, viewer).await;
        }
        let officer_sees = viewer.is_some_and(|o| {
            o.policy()
                .may_register(RegisterAction::ViewDrafts, &body.row.slug, None)
        });
        if officer_sees {
            Ok(doc)
        } else {
            Err(AppError::NotFound("document.not_found"))
        }
    }

    /// A request's attachment is read as the request is: by the officers who may see the case
    /// (the unit it is routed to, not the others), never by admins, who are denied the
    /// applicant's identity too.
    async fn request_attachment(
        &self,
        doc: DocumentRow,
        body: &BodyEntry,
        viewer: Option<&OfficerCtx>,
    ) -> Result<DocumentRow, AppError> {
        const HIDDEN: AppError = AppError::NotFound("document.not_found");
        let Some(officer) = viewer.filter(|o| o.role != lentera_domain::Role::Admin) else {
            return Err(HIDDEN);
        };
        let number = match lentera_store::requests::get_by_id_number(&self.db, doc.owner_id).await {
            Ok(n) => n,
            Err(StoreError::NotFound) => return Err(HIDDEN),
            Err(e) => return Err(e.into()),
        };
        let req = lentera_store::requests::get_by_number(&self.db, &number).await?;
        let unit = match req.unit_id {
            Some(u) => Some(self.body(u).await?.row.slug.clone()),
            None => None,
        };
        if officer.policy().may(
            lentera_domain::access::Action::View,
            &body.row.slug,
            unit.as_deref(),
        ) {
            Ok(doc)
        } else {
            Err(HIDDEN)
        }
    }

    /// A document is public while its owner is (a published entry not closed by a consequence
    /// test, a published answer) and the personal-data check passes it.
    pub async fn document_is_public(&self, doc: &DocumentRow) -> Result<bool, AppError> {
        if doc.removed_at.is_some() {
            return Ok(false);
        }
        match doc.owner_kind.as_str() {
            "entry" => {
                let (_, state) = self.load_register_entry(doc.owner_id).await?;
                if !state.published
                    || !entry_passes(&state)
                    || !document_check(doc, &state.confirmed).passes()
                {
                    return Ok(false);
                }
                let body = self.body(doc.body_id).await?;
                let today = self.today_in(body.time_zone());
                Ok(self.closing_test(doc.owner_id, today).await?.is_none())
            }
            "publication" => match store::get_publication(&self.db, doc.owner_id).await {
                Ok(p) if p.published => {
                    let state: PublicationState =
                        serde_json::from_str(&p.state).map_err(corrupt)?;
                    Ok(document_check(doc, &state.confirmed).passes())
                }
                Ok(_) | Err(StoreError::NotFound) => Ok(false),
                Err(e) => Err(e.into()),
            },
            _ => Ok(false),
        }
    }

    /// Records that `officer` checked `doc` by hand, by name, in the audit log with it. The
    /// caller has checked that the officer may edit what the document belongs to.
    async fn record_document_check(
        &self,
        officer: &OfficerCtx,
        doc: &DocumentRow,
    ) -> Result<(), AppError> {
        let detail = serde_json::json!({
            "officer_name": officer.user.display_name,
            "officer_email": officer.user.email,
            "text_status": doc.text_status,
            "findings": stored_findings(doc).len(),
        })
        .to_string();
        let check = store::DocumentCheck {
            officer: officer.user.id,
            officer_name: &officer.user.display_name,
            at: self.now(),
            detail: &detail,
        };
        store::check_document(&self.db, doc.id, &check).await?;
        Ok(())
    }

    /// Records the hand checks confirmed in a publish form: the unreadable documents among
    /// `docs` whose `unreadable:{id}` key is in `confirmed`.
    async fn record_confirmed_checks(
        &self,
        officer: &OfficerCtx,
        docs: &[&DocumentRow],
        confirmed: &[String],
    ) -> Result<(), AppError> {
        for d in docs {
            if matches!(document_check(d, &[]), DocumentCheck::Unreadable(_))
                && confirmed.contains(&unreadable_key(d.id))
            {
                self.record_document_check(officer, d).await?;
            }
        }
        Ok(())
    }

    /// An officer confirms, by name, that they checked a document by hand: it then passes the
    /// personal-data check (an unreadable one, or one whose findings are public information).
    /// Audited. Needs the right to edit what the document belongs to.
    pub async fn check_document(
        &self,
        officer: &OfficerCtx,
        id: Uuid,
    ) -> Result<DocumentView, AppError> {
        const GONE: AppError = AppError::NotFound("document.not_found");
        let doc = match store::get_document(&self.db, id).await {
            Ok(d) if d.removed_at.is_none() => d,
            Ok(_) | Err(StoreError::NotFound) => return Err(GONE),
            Err(e) => return Err(e.into()),
        };
        let body = self.body(doc.body_id).await?;
        if !officer
            .policy()
            .may_register(RegisterAction::ViewDrafts, &body.row.slug, None)
        {
            return Err(GONE);
        }
        let confirmed = match doc.owner_kind.as_str() {
            "entry" => {
                self.entry_for_edit(officer, doc.owner_id)
                    .await?
                    .1
                    .confirmed
            }
            "test" => {
                self.require(officer, RegisterAction::ProposeTest, &body, None)?;
                Vec::new()
            }
            "request" => {
                let number =
                    match lentera_store::requests::get_by_id_number(&self.db, doc.owner_id).await {
                        Ok(n) => n,
                        Err(StoreError::NotFound) => return Err(GONE),
                        Err(e) => return Err(e.into()),
                    };
                let row = lentera_store::requests::get_by_number(&self.db, &number).await?;
                let unit = match row.unit_id {
                    Some(u) => Some(self.body(u).await?.row.slug.clone()),
                    None => None,
                };
                if !officer.policy().may(
                    lentera_domain::access::Action::Decide,
                    &body.row.slug,
                    unit.as_deref(),
                ) {
                    return Err(AppError::Forbidden);
                }
                Vec::new()
            }
            "publication" => {
                self.require(officer, RegisterAction::Edit, &body, None)?;
                let p = store::get_publication(&self.db, doc.owner_id).await?;
                let state: PublicationState = serde_json::from_str(&p.state).map_err(corrupt)?;
                state.confirmed
            }
            _ => return Err(GONE),
        };
        self.record_document_check(officer, &doc).await?;
        self.after_register_change().await;
        let doc = store::get_document(&self.db, id).await?;
        Ok(DocumentView::of(&doc, &confirmed, true))
    }

    pub async fn remove_document(&self, officer: &OfficerCtx, id: Uuid) -> Result<(), AppError> {
        let doc = match store::get_document(&self.db, id).await {
            Ok(d) => d,
            Err(StoreError::NotFound) => return Err(AppError::NotFound("document.not_found")),
            Err(e) => return Err(e.into()),
        };
        if doc.owner_kind == "entry" {
            let (row, mut state, _) = self.entry_for_edit(officer, doc.owner_id).await?;
            self.append_entry_event(
                officer,
                &row,
                &mut state,
                EntryEvent::DocumentDetached { document: id },
                true,
            )
            .await?;
        } else {
            let body = self.body(doc.body_id).await?;
            self.require(officer, RegisterAction::Edit, &body, None)?;
        }
        store::remove_document(&self.db, id, self.now()).await?;
        self.after_register_change().await;
        Ok(())
    }

    // ------------------------------------------------------------ publications

    /// Defaults and the personal-data check for publishing a request's answer.
    pub async fn publish_draft(
        &self,
        officer: &OfficerCtx,
        number: &str,
    ) -> Result<PublishDraft, AppError> {
        let (req, body, state) = self.request_for_publication(officer, number).await?;
        let title = state_title(&req.information);
        let text = state
            .decision
            .as_ref()
            .map(|d| {
                d.notice
                    .material
                    .clone()
                    .filter(|m| !m.trim().is_empty())
                    .unwrap_or_else(|| d.notice.reasons.clone())
            })
            .unwrap_or_default();
        let docs = store::documents_of(&self.db, "request", req.id).await?;
        let mut findings = findings_in("title", "Judul", &title, &[]);
        findings.extend(findings_in("text", "Isi jawaban", &text, &[]));
        for d in &docs {
            findings.extend(document_findings(d, &[]));
        }
        let mut publications = Vec::new();
        for p in store::publications_for_request(&self.db, req.id).await? {
            publications.push(self.publication_view(&p, &body, true).await?);
        }
        Ok(PublishDraft {
            number: req.number.clone(),
            title,
            text,
            documents: document_views(&docs, &[], true),
            findings,
            publications,
        })
    }

    async fn request_for_publication(
        &self,
        officer: &OfficerCtx,
        number: &str,
    ) -> Result<
        (
            lentera_store::requests::RequestRow,
            Arc<BodyEntry>,
            lentera_domain::RequestState,
        ),
        AppError,
    > {
        let req = match lentera_store::requests::get_by_number(&self.db, number.trim()).await {
            Ok(r) => r,
            Err(StoreError::NotFound) => return Err(AppError::NotFound("request.not_found")),
            Err(e) => return Err(e.into()),
        };
        let body = self.body(req.body_id).await?;
        let unit = match req.unit_id {
            Some(u) => Some(self.body(u).await?.row.slug.clone()),
            None => None,
        };
        if !officer.policy().may(
            lentera_domain::access::Action::View,
            &body.row.slug,
            unit.as_deref(),
        ) {
            return Err(AppError::NotFound("request.not_found"));
        }
        self.require(officer, RegisterAction::Edit, &body, unit.as_deref())?;
        let state: lentera_domain::RequestState =
            serde_json::from_str(&req.state).map_err(corrupt)?;
        let granted = state.decision.as_ref().is_some_and(|d| d.outcome.grants())
            && !matches!(
                state.status,
                RequestStatus::Received | RequestStatus::InProgress | RequestStatus::Withdrawn
            );
        if !granted {
            return Err(AppError::Conflict {
                code: "publication.not_granted",
                message: "Hanya jawaban atas permohonan yang dikabulkan yang dapat dipublikasikan."
                    .into(),
            });
        }
        Ok((req, body, state))
    }

    /// Publishes a granted request's answer to the disclosure log after the personal-data check.
    pub async fn publish_answer(
        &self,
        officer: &OfficerCtx,
        number: &str,
        input: &PublishInput,
    ) -> Result<PublicationView, AppError> {
        let (req, body, _) = self.request_for_publication(officer, number).await?;
        let mut e = FieldErrors::default();
        let title = input.title.as_deref().unwrap_or("").trim().to_owned();
        let text = input.text.as_deref().unwrap_or("").trim().to_owned();
        if title.is_empty() {
            e.add("title", "required");
        }
        if title.chars().count() > lentera_domain::register::MAX_LINE {
            e.add("title", "too_long");
        }
        if text.is_empty() {
            e.add("text", "required");
        }
        if text.chars().count() > 20_000 {
            e.add("text", "too_long");
        }
        let case_docs = store::documents_of(&self.db, "request", req.id).await?;
        let mut docs = Vec::new();
        for id in &input.documents {
            match case_docs.iter().find(|d| d.id == *id) {
                Some(d) if !docs.iter().any(|x: &&DocumentRow| x.id == d.id) => docs.push(d),
                Some(_) => {}
                None => e.add("documents", "not_a_document_of_this_request"),
            }
        }
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        let mut findings = findings_in("title", "Judul", &title, &input.confirmed);
        findings.extend(findings_in("text", "Isi jawaban", &text, &input.confirmed));
        for d in &docs {
            findings.extend(document_findings(d, &input.confirmed));
        }
        if !findings.is_empty() {
            return Err(AppError::PersonalData(findings));
        }
        self.record_confirmed_checks(officer, &docs, &input.confirmed)
            .await?;
        let event = PublicationEvent::Published {
            title: title.clone(),
            text,
            request: Some(req.number.clone()),
            documents: docs.iter().map(|d| d.id).collect(),
            confirmed: input.confirmed.clone(),
        };
        let pstate = PublicationState::from_events([&event]).map_err(corrupt)?;
        let now = self.now();
        let row = PublicationRow {
            id: Uuid::now_v7(),
            body_id: body.row.id,
            request_id: Some(req.id),
            title,
            published: true,
            published_at: now,
            state: json(&pstate)?,
            event_count: 1,
            created_at: now,
            updated_at: now,
        };
        let ev = self.register_event(event.kind(), json(&event)?, officer);
        let doc_ids: Vec<Uuid> = docs.iter().map(|d| d.id).collect();
        store::create_publication(&self.db, &row, &ev, &doc_ids).await?;
        self.after_register_change().await;
        self.publication(row.id, Some(officer)).await
    }

    /// Withdraws a publication; it leaves the search results before this returns.
    pub async fn unpublish(
        &self,
        officer: &OfficerCtx,
        id: Uuid,
        reason: &str,
    ) -> Result<PublicationView, AppError> {
        let row = match store::get_publication(&self.db, id).await {
            Ok(r) => r,
            Err(StoreError::NotFound) => return Err(AppError::NotFound("publication.not_found")),
            Err(e) => return Err(e.into()),
        };
        let body = self.body(row.body_id).await?;
        self.require(officer, RegisterAction::Edit, &body, None)?;
        if reason.trim().is_empty() {
            return Err(field_error("reason", "required"));
        }
        let mut state: PublicationState = serde_json::from_str(&row.state).map_err(corrupt)?;
        let event = PublicationEvent::Unpublished {
            reason: reason.trim().to_owned(),
        };
        state.apply(&event).map_err(|e| AppError::Conflict {
            code: "publication.not_allowed",
            message: e.to_string(),
        })?;
        let ev = self.register_event(event.kind(), json(&event)?, officer);
        store::append_publication(
            &self.db,
            id,
            row.event_count,
            &ev,
            false,
            &json(&state)?,
            &state.documents,
        )
        .await?;
        self.after_register_change().await;
        self.publication(id, Some(officer)).await
    }

    async fn publication_view(
        &self,
        p: &PublicationRow,
        body: &BodyEntry,
        officer: bool,
    ) -> Result<PublicationView, AppError> {
        let state: PublicationState = serde_json::from_str(&p.state).map_err(corrupt)?;
        let documents = document_views(
            &store::documents_of(&self.db, "publication", p.id).await?,
            &state.confirmed,
            officer,
        );
        Ok(PublicationView {
            id: p.id,
            body: body.row.slug.clone(),
            body_name: body.row.name.clone(),
            title: state.title,
            text: state.text,
            request: state.request,
            published: state.published,
            published_at: p.published_at,
            documents,
            url: format!("/b/{}/jawaban/{}", body.row.slug, p.id),
            event_count: p.event_count,
        })
    }

    pub async fn publication(
        &self,
        id: Uuid,
        viewer: Option<&OfficerCtx>,
    ) -> Result<PublicationView, AppError> {
        let row = match store::get_publication(&self.db, id).await {
            Ok(r) => r,
            Err(StoreError::NotFound) => return Err(AppError::NotFound("publication.not_found")),
            Err(e) => return Err(e.into()),
        };
        let body = self.body(row.body_id).await?;
        let officer_sees = viewer.is_some_and(|o| {
            o.policy()
                .may_register(RegisterAction::ViewDrafts, &body.row.slug, None)
        });
        if !row.published && !officer_sees {
            return Err(AppError::NotFound("publication.not_found"));
        }
        self.publication_view(&row, &body, officer_sees).await
    }

    /// Newest published answers of one body (by slug) or of all bodies.
    pub async fn recent_publications(
        &self,
        slug: Option<&str>,
        limit: i64,
    ) -> Result<Vec<PublicationView>, AppError> {
        let body_id = match slug {
            Some(s) => Some(
                self.body_by_slug(s)
                    .await?
                    .ok_or(AppError::NotFound("body.not_found"))?
                    .row
                    .id,
            ),
            None => None,
        };
        let mut out = Vec::new();
        for p in store::recent_publications(&self.db, body_id, limit).await? {
            let body = self.body(p.body_id).await?;
            out.push(self.publication_view(&p, &body, false).await?);
        }
        Ok(out)
    }
}

/// A public title from the request summary: its first line, shortened.
fn state_title(information: &str) -> String {
    let first = information.lines().next().unwrap_or("").trim();
    let mut t: String = first.chars().take(160).collect();
    if first.chars().count() > 160 {
        t.push('…');
    }
    t
}

fn findings_in(place: &str, label: &str, text: &str, confirmed: &[String]) -> Vec<PersonalFinding> {
    unconfirmed(text, confirmed)
        .into_iter()
        .map(|f| PersonalFinding {
            place: place.to_owned(),
            place_label: label.to_owned(),
            kind: FindingKind::Personal(f.kind),
            masked: f.masked,
            key: f.key,
            text_status: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_is_read_as_text_and_what_cannot_be_read_is_marked() {
        let (text, status) = read_text("nama,nik\nSiti,3302015708900007\n".as_bytes(), "text/csv");
        assert_eq!(status, TextStatus::Read);
        assert!(text.contains("3302015708900007"));
        let (_, status) = read_text(b"%PDF-1.7\n\x01\x02 not really", "application/pdf");
        assert_eq!(status, TextStatus::Failed);
        let (_, status) = read_text(b"\x89PNG\r\n\x1a\n\0\0\0\0", "image/png");
        assert_eq!(status, TextStatus::Unsupported);
        let (_, status) = read_text(b" \n\t\n", "text/plain");
        assert_eq!(status, TextStatus::Empty);
        let big = "a,b\n".repeat(lentera_search::extract::MAX_OUTPUT_BYTES / 4 + 10);
        let (text, status) = read_text(big.as_bytes(), "text/csv");
        assert_eq!(status, TextStatus::Partial);
        assert!(text.len() <= lentera_search::extract::MAX_OUTPUT_BYTES);
        let (_, status) = read_text(big.as_bytes(), "text/plain");
        assert_eq!(status, TextStatus::Partial);
    }

    fn doc(text: &str, status: TextStatus) -> DocumentRow {
        let now = OffsetDateTime::UNIX_EPOCH;
        DocumentRow {
            id: Uuid::from_u128(7),
            body_id: Uuid::from_u128(1),
            owner_kind: "entry".into(),
            owner_id: Uuid::from_u128(2),
            filename: "x.txt".into(),
            mime: "text/plain".into(),
            size: 1,
            sha256: String::new(),
            storage_key: String::new(),
            extracted_text: text.into(),
            uploaded_by: None,
            created_at: now,
            removed_at: None,
            text_status: status.as_str().into(),
            findings: None,
            checked_by: None,
            checked_by_name: None,
            checked_at: None,
        }
    }

    #[test]
    fn a_document_passes_only_when_read_and_clear_or_checked_by_hand() {
        let clean = doc("Realisasi belanja hibah", TextStatus::Read);
        assert_eq!(document_check(&clean, &[]), DocumentCheck::Clear);
        // Stored before findings were kept: scanned when read.
        let nik = doc("Penerima NIK 3302015708900007", TextStatus::Read);
        let DocumentCheck::PersonalData(f) = document_check(&nik, &[]) else {
            panic!("not found");
        };
        assert_eq!(f[0].kind, FindingKind::Personal(PersonalKind::Nik));
        assert!(!f[0].masked.contains("3302015708900007"));
        assert_eq!(
            document_check(&nik, &[f[0].key.clone()]),
            DocumentCheck::Clear
        );
        // A broken record of findings is no clean bill either.
        let mut broken = nik.clone();
        broken.findings = Some("{not json".into());
        assert!(!document_check(&broken, &[]).passes());
        let image = doc("", TextStatus::Unsupported);
        assert_eq!(
            document_check(&image, &[]),
            DocumentCheck::Unreadable(TextStatus::Unsupported)
        );
        let found = document_findings(&image, &[]);
        assert_eq!(found[0].key, unreadable_key(image.id));
        assert!(document_findings(&image, &[unreadable_key(image.id)]).is_empty());
        let mut checked = image.clone();
        checked.checked_at = Some(OffsetDateTime::UNIX_EPOCH);
        assert_eq!(document_check(&checked, &[]), DocumentCheck::Checked);
        let mut odd = clean.clone();
        odd.text_status = "something new".into();
        assert!(!document_check(&odd, &[]).passes());
    }
}
