//! What objection pages and the API show: receipts, steps, the objection and its dispute.

use lentera_domain::dispute::DisputeDeadlines;
use serde::Serialize;
use time::{Date, OffsetDateTime};

/// Receipt of a filed objection (the contract's answer).
#[derive(Debug, Clone, Serialize)]
pub struct ObjectionReceipt {
    pub number: String,
    pub tracking_code: String,
    pub status: &'static str,
    pub received_on: Date,
    pub due_on: Option<Date>,
    pub due_provisional: bool,
    pub request: String,
    pub late: bool,
    #[serde(skip)]
    pub created: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub kind: &'static str,
    /// The legal date of the step, where it has one.
    pub on: Option<Date>,
    pub detail: String,
    /// For `due_recomputed`: the date before, the date after and the instrument.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DisputeView {
    pub status: &'static str,
    pub status_label: &'static str,
    pub commission: String,
    pub ki_number: Option<String>,
    pub filed_on: Date,
    pub ruling: Option<&'static str>,
    pub deadlines: Option<DisputeDeadlines>,
    pub events: Vec<StepView>,
    pub next_steps: Vec<&'static str>,
}

/// The objection as the requester and officers see it (no identity data).
#[derive(Debug, Clone, Serialize)]
pub struct ObjectionView {
    pub number: String,
    pub request: String,
    pub body: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub received_on: Date,
    pub due_on: Option<Date>,
    /// `due_on` counted through a year whose SKB is not loaded (*sementara*).
    pub due_provisional: bool,
    pub grounds: Vec<&'static str>,
    pub reason: String,
    pub late: bool,
    /// Recorded late under an earlier calendar, in time under the one loaded since: kept as
    /// recorded, for the atasan PPID to look at.
    pub lateness_in_doubt: bool,
    /// Not answered within 30 working days (computed).
    pub unanswered: bool,
    pub decision: Option<ObjectionDecisionView>,
    /// Last day for the requester to take the matter to the Komisi Informasi.
    pub dispute_deadline: Option<Date>,
    pub dispute_deadline_provisional: bool,
    pub events: Vec<StepView>,
    pub dispute: Option<DisputeView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObjectionDecisionView {
    pub outcome: &'static str,
    pub outcome_label: &'static str,
    pub decided_on: Date,
    pub answer: String,
}
