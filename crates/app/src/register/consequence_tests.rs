//! Consequence tests (DIK): create, act on, read, and resolve a cited test.

use std::sync::Arc;

use lentera_domain::access::RegisterAction;
use lentera_domain::consequence::{Determination, RawTest, TestEvent, TestState};
use lentera_domain::submission::FieldErrors;
use lentera_store::StoreError;
use lentera_store::register::{self as store, TestProjection, TestRow};
use time::Date;
use uuid::Uuid;

use super::views::{DocumentView, TestAction, TestView, document_views};
use super::{NOT_FOUND, corrupt, field_error, group_by_owner, json};
use crate::auth::OfficerCtx;
use crate::{App, AppError, BodyEntry};

impl App {
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
                // Decided, it is public: no identity number or telephone goes with it.
                let found = super::personal_data::test_findings(&state.fields);
                if !found.is_empty() {
                    return Err(AppError::PersonalData(found));
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

    pub(super) fn test_view_of(
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
}
