//! Published answers (the disclosure log): draft, publish, withdraw, read.

use std::sync::Arc;

use lentera_domain::access::RegisterAction;
use lentera_domain::publication::{PublicationEvent, PublicationState};
use lentera_domain::request::RequestStatus;
use lentera_domain::submission::FieldErrors;
use lentera_store::StoreError;
use lentera_store::register::{self as store, DocumentRow, PublicationRow};
use uuid::Uuid;

use super::personal_data::{document_findings, findings_in};
use super::views::{PublicationView, PublishDraft, PublishInput, document_views};
use super::{corrupt, field_error, json};
use crate::auth::OfficerCtx;
use crate::{App, AppError, BodyEntry};

impl App {
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
