//! Objections (*keberatan*) and disputes (*sengketa*) on a request: filing, the *atasan PPID*'s
//! answer (which reopens the request when upheld), the dispute chain at the Komisi Informasi and
//! in court, and the public objection register.

use std::sync::Arc;

use lentera_domain::objection::{self, ObjectionEvent, ObjectionState};
use lentera_domain::request::{RequestEvent, RequestState};
use lentera_store::StoreError;
use lentera_store::objections::{self, ObjectionProjection, ObjectionRow};
use lentera_store::requests::{self, EventRow, NewEvent, RequestRow};
use uuid::Uuid;

use crate::auth::OfficerCtx;
use crate::{App, AppError, BodyEntry};

mod answer;
mod disputes;
mod dossier;
mod filing;
mod read;
mod register;
mod views;

pub use answer::ObjectionDecisionPreview;
pub use disputes::{DISPUTE_STEPS, DisputeInput};
pub use register::ObjectionRegisterEntry;
pub use views::{DisputeView, ObjectionDecisionView, ObjectionReceipt, ObjectionView, StepView};

const NOT_FOUND: AppError = AppError::NotFound("objection.not_found");

impl App {
    fn objection_event_row(
        &self,
        kind: &str,
        data: String,
        officer: Option<&OfficerCtx>,
    ) -> NewEvent {
        NewEvent {
            id: Uuid::now_v7(),
            at: self.now(),
            actor_kind: if officer.is_some() {
                "officer"
            } else {
                "applicant"
            }
            .into(),
            actor_id: officer.map(|o| o.user.id),
            kind: kind.into(),
            data,
            letters: Vec::new(),
            mails: Vec::new(),
        }
    }

    pub(crate) fn objection_projection(
        &self,
        s: &ObjectionState,
        body: &BodyEntry,
    ) -> Result<ObjectionProjection, AppError> {
        Ok(ObjectionProjection {
            status: s.status.as_str().into(),
            answer_due_on: s.answer_due(&body.calendar).ok(),
            outcome: s.outcome.map(|o| o.as_str().into()),
            decided_on: s.decided_on,
            state: serde_json::to_string(s).map_err(|e| AppError::Unexpected(e.into()))?,
        })
    }

    async fn request_state(
        &self,
        row: &RequestRow,
        body: &BodyEntry,
    ) -> Result<RequestState, AppError> {
        let rows = requests::events(&self.db, row.id).await?;
        let tz = body.time_zone();
        let parsed = rows
            .iter()
            .map(|r| serde_json::from_str::<RequestEvent>(&r.data).map(|e| (e, tz.date_of(r.at))))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| AppError::Unexpected(e.into()))?;
        Ok(RequestState::from_events(
            parsed.iter().map(|(e, d)| (e, *d)),
            &body.calendar,
        )?)
    }

    async fn load_objection(
        &self,
        number: &str,
    ) -> Result<(ObjectionRow, Arc<BodyEntry>, ObjectionState, Vec<EventRow>), AppError> {
        let row = match objections::get_by_number(&self.db, number.trim()).await {
            Ok(r) => r,
            Err(StoreError::NotFound) => return Err(NOT_FOUND),
            Err(e) => return Err(e.into()),
        };
        let body = self.body(row.body_id).await?;
        let rows = objections::events(&self.db, row.id).await?;
        let events = rows
            .iter()
            .map(|r| serde_json::from_str::<ObjectionEvent>(&r.data))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| AppError::Unexpected(e.into()))?;
        let state = ObjectionState::from_events(events.iter())
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!("{e}")))?;
        Ok((row, body, state, rows))
    }
}
fn objection_error(e: objection::ObjectionError) -> AppError {
    match e {
        objection::ObjectionError::Required { field } => AppError::field(field, "required"),
        objection::ObjectionError::NotSettleable(_) => AppError::Conflict {
            code: "objection.not_settleable",
            message: "Keberatan atas penolakan berdasarkan Pasal 17 (alasan a) tidak dapat diselesaikan melalui musyawarah.".into(),
        },
        other => AppError::Conflict { code: "objection.transition_not_allowed", message: other.to_string() },
    }
}
