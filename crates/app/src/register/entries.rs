//! DIP entries: create, edit, publish, read one, and the register of a body.

use std::sync::Arc;

use lentera_domain::InfoKind;
use lentera_domain::access::RegisterAction;
use lentera_domain::consequence::TestState;
use lentera_domain::register::{
    CHECKLIST, ChecklistItem, EntryEvent, EntryFields, EntryState, RawEntry, completeness,
    missing_items,
};
use lentera_store::StoreError;
use lentera_store::register::{self as store, Aggregate, DocumentRow, EntryProjection, EntryRow};
use time::Date;
use uuid::Uuid;

use super::personal_data::{document_findings, entry_findings, entry_passes, keys_confirming};
use super::views::{DocumentView, EntryView, RegisterView, document_views};
use super::{NOT_FOUND, corrupt, field_error, group_by_owner, json};
use crate::auth::OfficerCtx;
use crate::{App, AppError, BodyEntry};

impl App {
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

    pub(super) fn entry_projection(
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

    pub(super) async fn load_register_entry(
        &self,
        id: Uuid,
    ) -> Result<(EntryRow, EntryState), AppError> {
        let row = match store::get_entry(&self.db, id).await {
            Ok(r) => r,
            Err(StoreError::NotFound) => return Err(NOT_FOUND),
            Err(e) => return Err(e.into()),
        };
        let state: EntryState = serde_json::from_str(&row.state).map_err(corrupt)?;
        Ok((row, state))
    }

    pub(super) async fn append_entry_event(
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

    pub(super) async fn entry_for_edit(
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
}
