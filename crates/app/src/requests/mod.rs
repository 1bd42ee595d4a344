//! Request use cases: submission, tracking, the officer's queue and every officer action.
//!
//! Each change is one domain event appended with the rewritten projection in one transaction;
//! the state is always the fold of the log.

use lentera_domain::request::RequestState;
use lentera_domain::submission::FieldErrors;
pub use lentera_store::requests::QueueCounts;
use lentera_store::requests::{EventRow, RequestRow};
use time::Date;

use crate::AppError;

mod actions;
mod events;
mod notice;
mod public_register;
mod queue;
mod submit;
mod track;

pub use actions::{DecisionInput, OfficerAction, RedactionInput};
pub use public_register::{PUBLIC_SUMMARY_CHARS, RegisterEntry, public_summary};
pub use queue::{CaseQuery, QueueView};
pub use submit::Intake;
pub(crate) use track::Tracking;

const NOT_FOUND: AppError = AppError::NotFound("request.not_found");

/// A request as read from the store and folded.
#[derive(Debug)]
pub(crate) struct Loaded {
    pub(super) row: RequestRow,
    pub(super) state: RequestState,
    pub(super) rows: Vec<EventRow>,
}

fn parse_date(field: &str, s: &str, e: &mut FieldErrors) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.trim(), &format)
        .map_err(|_| e.add(field, "invalid_date"))
        .ok()
}

/// How far back an officer may date a decision or a body's closure (calendar days).
pub(crate) const BACKDATING: time::Duration = time::Duration::days(14);
