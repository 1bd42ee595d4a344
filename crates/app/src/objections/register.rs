//! The officer's objection queue and the public objection register.

use lentera_domain::objection::{ObjectionOutcome, ObjectionState, ObjectionStatus};
use lentera_store::objections;
use lentera_store::requests;
use serde::Serialize;
use time::Date;

use super::views::ObjectionView;
use crate::auth::OfficerCtx;
use crate::{App, AppError, BodyEntry};

/// A row of the public objection register (§5.4, privacy-safe).
#[derive(Debug, Clone, Serialize)]
pub struct ObjectionRegisterEntry {
    pub number: String,
    pub request: String,
    pub received_on: Date,
    pub grounds: Vec<&'static str>,
    pub status: &'static str,
    pub status_label: &'static str,
    pub outcome: Option<&'static str>,
    pub decided_on: Option<Date>,
    pub answered_in_time: Option<bool>,
    pub disputed: bool,
}

impl App {
    /// The objections of a body, open ones first by answer due date.
    pub async fn objection_queue(
        &self,
        officer: &OfficerCtx,
    ) -> Result<Vec<ObjectionView>, AppError> {
        let mut out = Vec::new();
        for o in objections::for_body(&self.db, officer.home.row.id, 200).await? {
            if let Ok(v) = self.objection_for_officer(officer, &o.number).await {
                out.push(v);
            }
        }
        Ok(out)
    }

    /// The public objection register of a body (§5.4 without identity data).
    /// The objection register read from the store (see [`App::objection_register`]).
    pub(crate) async fn read_objection_register(
        &self,
        body: &BodyEntry,
    ) -> Result<Vec<ObjectionRegisterEntry>, AppError> {
        let mut out = Vec::new();
        for o in objections::for_body(&self.db, body.row.id, 500).await? {
            let state: Option<ObjectionState> = serde_json::from_str(&o.state).ok();
            let status = ObjectionStatus::parse(&o.status).unwrap_or(ObjectionStatus::Received);
            out.push(ObjectionRegisterEntry {
                request: requests::get_by_id_number(&self.db, o.request_id).await?,
                number: o.number,
                received_on: o.received_on,
                grounds: state
                    .as_ref()
                    .map(|s| s.grounds.iter().map(|g| g.as_str()).collect())
                    .unwrap_or_default(),
                status: status.as_str(),
                status_label: status.label_id(),
                outcome: state
                    .as_ref()
                    .and_then(|s| s.outcome)
                    .map(ObjectionOutcome::as_str),
                decided_on: o.decided_on,
                answered_in_time: match (o.decided_on, o.answer_due_on) {
                    (Some(d), Some(due)) => Some(d <= due),
                    _ => None,
                },
                disputed: status == ObjectionStatus::Disputed,
            });
        }
        Ok(out)
    }
}
