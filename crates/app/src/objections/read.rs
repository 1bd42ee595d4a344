//! Reading objections: tracking by the applicant, the officer's view, those of one request.

use lentera_domain::access::Action;
use lentera_domain::objection::{ObjectionEvent, ObjectionState};
use lentera_store::objections::{self, ObjectionRow};
use lentera_store::requests::{self, EventRow};
use uuid::Uuid;

use super::NOT_FOUND;
use super::views::{ObjectionDecisionView, ObjectionView, StepView};
use crate::auth::OfficerCtx;
use crate::crypto::normalize_code;
use crate::{App, AppError, BodyEntry};

fn step_detail(e: &ObjectionEvent) -> String {
    match e {
        ObjectionEvent::Filed { grounds, .. } => grounds
            .iter()
            .map(|g| g.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        ObjectionEvent::Decided { outcome, .. } => outcome.label_id().to_owned(),
        ObjectionEvent::Settled { .. } => "musyawarah".to_owned(),
        ObjectionEvent::DueRecomputed {
            from,
            to,
            reason,
            lateness_in_doubt,
        } => {
            let mut d = format!("{from} → {to}: {reason}");
            if *lateness_in_doubt {
                d.push_str(
                    " — keterlambatan yang tercatat dipertahankan dan perlu ditinjau Atasan PPID",
                );
            }
            d
        }
        _ => String::new(),
    }
}

impl App {
    async fn objection_view(
        &self,
        row: &ObjectionRow,
        body: &BodyEntry,
        s: &ObjectionState,
        rows: &[EventRow],
    ) -> Result<ObjectionView, AppError> {
        let today = self.today_in(body.time_zone());
        let request = requests::get_by_id_number(&self.db, row.request_id).await?;
        let dispute = self.dispute_view(row.id, body).await?;
        Ok(ObjectionView {
            number: row.number.clone(),
            request,
            body: body.row.slug.clone(),
            status: s.status.as_str(),
            status_label: s.status.label_id(),
            received_on: s.received_on,
            due_on: s.answer_due(&body.calendar).ok(),
            due_provisional: s.answer_due_provisional(&body.calendar),
            grounds: s.grounds.iter().map(|g| g.as_str()).collect(),
            reason: s.reason.clone(),
            late: s.late,
            lateness_in_doubt: s.lateness_in_doubt,
            unanswered: s.unanswered(today, &body.calendar),
            decision: match (s.outcome, s.decided_on) {
                (Some(o), Some(d)) => Some(ObjectionDecisionView {
                    outcome: o.as_str(),
                    outcome_label: o.label_id(),
                    decided_on: d,
                    answer: s.answer.clone().unwrap_or_default(),
                }),
                _ => None,
            },
            dispute_deadline: s.dispute_deadline(&body.calendar).ok(),
            dispute_deadline_provisional: s
                .dispute_deadline(&body.calendar)
                .is_ok_and(|d| body.calendar.is_provisional_span(s.received_on, d)),
            events: rows
                .iter()
                .filter_map(|r| {
                    let e: ObjectionEvent = serde_json::from_str(&r.data).ok()?;
                    let on = match &e {
                        ObjectionEvent::Filed { received_on, .. } => Some(*received_on),
                        ObjectionEvent::Decided { decided_on, .. } => Some(*decided_on),
                        ObjectionEvent::Settled { on, .. } | ObjectionEvent::Disputed { on } => {
                            Some(*on)
                        }
                        _ => None,
                    };
                    let (from, to, reason) = match &e {
                        ObjectionEvent::DueRecomputed {
                            from, to, reason, ..
                        } => (Some(*from), Some(*to), Some(reason.clone())),
                        _ => (None, None, None),
                    };
                    Some(StepView {
                        at: r.at,
                        kind: e.kind(),
                        on,
                        detail: step_detail(&e),
                        from,
                        to,
                        reason,
                    })
                })
                .collect(),
            dispute,
        })
    }

    /// The objection view for the requester (with the request's or the objection's code).
    pub async fn track_objection(
        &self,
        number: &str,
        code: &str,
    ) -> Result<ObjectionView, AppError> {
        let hashed = self.secret().hash(&normalize_code(code));
        let (row, body, state, rows) = self.load_objection(number).await?;
        if !crate::crypto::constant_time_eq(hashed.as_bytes(), row.tracking_hash.as_bytes()) {
            return Err(NOT_FOUND);
        }
        self.objection_view(&row, &body, &state, &rows).await
    }

    /// The objection view for an officer of the body.
    pub async fn objection_for_officer(
        &self,
        officer: &OfficerCtx,
        number: &str,
    ) -> Result<ObjectionView, AppError> {
        let (row, body, state, rows) = self.load_objection(number).await?;
        if !officer.policy().may(Action::View, &body.row.slug, None) {
            return Err(AppError::Forbidden);
        }
        self.objection_view(&row, &body, &state, &rows).await
    }

    /// Objections of a request, for its case page and tracking page.
    pub async fn objections_of_request(
        &self,
        request_number: &str,
    ) -> Result<Vec<ObjectionView>, AppError> {
        let row = requests::get_by_number(&self.db, request_number).await?;
        self.objections_of_request_id(row.id).await
    }

    pub(crate) async fn objections_of_request_id(
        &self,
        request_id: Uuid,
    ) -> Result<Vec<ObjectionView>, AppError> {
        let mut out = Vec::new();
        for o in objections::for_request(&self.db, request_id).await? {
            let (row, body, state, rows) = self.load_objection(&o.number).await?;
            out.push(self.objection_view(&row, &body, &state, &rows).await?);
        }
        Ok(out)
    }
}
