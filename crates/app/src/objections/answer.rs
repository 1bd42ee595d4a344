//! The atasan PPID's answer and the later steps of an objection (an upheld one reopens the
//! request).

use lentera_domain::access::Action;
use lentera_domain::objection::{ObjectionEvent, ObjectionOutcome};
use lentera_domain::request::RequestEvent;
use lentera_domain::submission::FieldErrors;
use lentera_store::objections::{self, LinkedRequestEvent};
use lentera_store::requests;

use super::objection_error;
use super::views::ObjectionView;
use crate::auth::OfficerCtx;
use crate::{App, AppError};

/// What a decision on an objection will do, checked in full before the officer confirms it.
#[derive(Debug, Clone)]
pub struct ObjectionDecisionPreview {
    pub number: String,
    pub request: String,
    pub outcome: ObjectionOutcome,
    /// An upheld objection reopens the request: its PPID must answer it again.
    pub reopens: bool,
    pub decided_on: time::Date,
}

/// A decision checked against the record and ready to be written.
struct PlannedDecision {
    row: objections::ObjectionRow,
    next: lentera_domain::objection::ObjectionState,
    event: ObjectionEvent,
    linked: Option<LinkedRequestEvent>,
    body: std::sync::Arc<crate::BodyEntry>,
    request: String,
    today: time::Date,
}

impl App {
    /// Everything [`App::decide_objection`] checks, without writing: the confirmation page
    /// shows only a decision that will succeed (unless the record moves in between).
    pub async fn preview_objection_decision(
        &self,
        officer: &OfficerCtx,
        number: &str,
        outcome: &str,
        note: &str,
    ) -> Result<ObjectionDecisionPreview, AppError> {
        let plan = self
            .plan_objection_decision(officer, number, outcome, note)
            .await?;
        let ObjectionEvent::Decided { outcome, .. } = plan.event else {
            return Err(AppError::Unexpected(anyhow::anyhow!(
                "planned a non-decision"
            )));
        };
        Ok(ObjectionDecisionPreview {
            number: plan.row.number,
            request: plan.request,
            outcome,
            reopens: plan.linked.is_some(),
            decided_on: plan.today,
        })
    }

    /// The *atasan PPID*'s written answer; an upheld objection reopens the request.
    pub async fn decide_objection(
        &self,
        officer: &OfficerCtx,
        number: &str,
        outcome: &str,
        note: &str,
    ) -> Result<ObjectionView, AppError> {
        let PlannedDecision {
            row,
            next,
            event,
            linked,
            body,
            request,
            today,
        } = self
            .plan_objection_decision(officer, number, outcome, note)
            .await?;
        let mut ev = self.objection_event_row(
            event.kind(),
            serde_json::to_string(&event).map_err(|e| AppError::Unexpected(e.into()))?,
            Some(officer),
        );
        ev.letters = crate::letters::calls(
            &lentera_domain::letters::for_objection_event(&event),
            ("objection", row.id),
            body.row.id,
            today,
        );
        ev.mails = crate::mail::call(
            lentera_domain::mail::for_objection_event(&event),
            ("objection", row.id),
            body.row.id,
        );
        objections::append(
            &self.db,
            row.id,
            row.event_count,
            &ev,
            &self.objection_projection(&next, &body)?,
            linked.as_ref(),
        )
        .await?;
        self.changed();
        if linked.is_some() {
            self.forget_request(&request);
        }
        self.objection_for_officer(officer, number).await
    }

    async fn plan_objection_decision(
        &self,
        officer: &OfficerCtx,
        number: &str,
        outcome: &str,
        note: &str,
    ) -> Result<PlannedDecision, AppError> {
        let (row, body, state, _) = self.load_objection(number).await?;
        if !officer
            .policy()
            .may(Action::DecideObjection, &body.row.slug, None)
        {
            return Err(AppError::Forbidden);
        }
        let mut e = FieldErrors::default();
        let outcome = ObjectionOutcome::parse(outcome);
        if outcome.is_none() {
            e.add("outcome", "invalid_choice");
        }
        if note.trim().is_empty() {
            e.add("note", "required");
        }
        let Some(outcome) = outcome.filter(|_| e.is_empty()) else {
            return Err(AppError::Invalid(e));
        };
        let today = self.today_in(body.time_zone());
        let event = ObjectionEvent::Decided {
            outcome,
            decided_on: today,
            answer: note.trim().to_owned(),
        };
        let next = state.apply(&event).map_err(objection_error)?;
        let linked = if outcome.reopens() {
            let req = requests::get_by_number(
                &self.db,
                &requests::get_by_id_number(&self.db, row.request_id).await?,
            )
            .await?;
            let req_state = self.request_state(&req, &body).await?;
            let reopen = RequestEvent::Reopened {
                on: today,
                objection: row.number.clone(),
            };
            let after = req_state.apply(&reopen, today, &body.calendar)?;
            Some(LinkedRequestEvent {
                request_id: req.id,
                expected_count: req.event_count,
                event: self.objection_event_row(
                    reopen.kind(),
                    serde_json::to_string(&reopen).map_err(|e| AppError::Unexpected(e.into()))?,
                    Some(officer),
                ),
                projection: self.request_projection(&after, &body).await?,
            })
        } else {
            None
        };
        let request = requests::get_by_id_number(&self.db, row.request_id).await?;
        Ok(PlannedDecision {
            row,
            next,
            event,
            linked,
            body,
            request,
            today,
        })
    }

    /// Other objection steps: `review` (the atasan takes it up), `settle` (deliberation, b–g only),
    /// `close`.
    pub async fn objection_step(
        &self,
        officer: &OfficerCtx,
        number: &str,
        step: &str,
        note: &str,
    ) -> Result<ObjectionView, AppError> {
        let (row, body, state, _) = self.load_objection(number).await?;
        let allowed = match step {
            "review" | "close" => {
                officer.policy().may(Action::Decide, &body.row.slug, None)
                    || officer
                        .policy()
                        .may(Action::DecideObjection, &body.row.slug, None)
            }
            "settle" => officer
                .policy()
                .may(Action::DecideObjection, &body.row.slug, None),
            _ => return Err(AppError::NotFound("objection.step_not_found")),
        };
        if !allowed {
            return Err(AppError::Forbidden);
        }
        let today = self.today_in(body.time_zone());
        let note = Some(note.trim().to_owned()).filter(|n| !n.is_empty());
        let event = match step {
            "review" => ObjectionEvent::ReviewStarted { note },
            "settle" => ObjectionEvent::Settled {
                on: today,
                minutes: note.unwrap_or_default(),
            },
            _ => ObjectionEvent::Closed { note },
        };
        let next = state.apply(&event).map_err(objection_error)?;
        let ev = self.objection_event_row(
            event.kind(),
            serde_json::to_string(&event).map_err(|e| AppError::Unexpected(e.into()))?,
            Some(officer),
        );
        objections::append(
            &self.db,
            row.id,
            row.event_count,
            &ev,
            &self.objection_projection(&next, &body)?,
            None,
        )
        .await?;
        self.changed();
        self.objection_for_officer(officer, number).await
    }
}
