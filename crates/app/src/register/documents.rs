//! Documents of entries, tests and requests: upload, download, who may read them, hand checks,
//! removal.

use lentera_domain::access::RegisterAction;
use lentera_domain::consequence::TestState;
use lentera_domain::privacy::TextStatus;
use lentera_domain::publication::PublicationState;
use lentera_domain::register::EntryEvent;
use lentera_store::StoreError;
use lentera_store::register::{self as store, DocumentRow};
use uuid::Uuid;

use super::personal_data::{
    DocumentCheck, document_check, entry_passes, read_text, stored_findings, stored_findings_of,
    unreadable_key,
};
use super::views::{DocOwner, DocumentView};
use super::{NOT_FOUND, corrupt, field_error, json};
use crate::auth::OfficerCtx;
use crate::upload::{UploadPolicy, check_upload};
use crate::{App, AppError, BodyEntry};

impl App {
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
        self.storage().put(&key, bytes).await.map_err(|e| {
            // A full disk or an unreachable bucket: the storage, not the request, failed.
            tracing::error!(error = %e, "document storage refused a write");
            AppError::Unavailable
        })?;
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
    pub(super) async fn record_confirmed_checks(
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
}
