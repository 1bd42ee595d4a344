//! What the API and pages show. Public views never carry identity data.

use lentera_domain::calendar::DueExplanation;
use serde::Serialize;
use time::{Date, OffsetDateTime};

/// `tanda bukti penerimaan`: what a requester gets on submission.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Receipt {
    pub number: String,
    pub tracking_code: String,
    pub status: &'static str,
    pub received_on: Date,
    pub due_on: Option<Date>,
    /// The due date was counted through a year whose SKB is not loaded (*sementara*).
    pub due_provisional: bool,
    pub body: String,
    /// `false` when the same submission key was seen before and the earlier request is returned.
    #[serde(skip)]
    pub created: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DecisionView {
    pub outcome: &'static str,
    pub decided_on: Date,
    pub grounds: Vec<&'static str>,
    /// Body holding the information (for `not_held`).
    pub holder: Option<String>,
    pub notice: NoticeView,
    /// Items a–g in words, as the tracking page, the case page and the letter print them.
    #[serde(skip)]
    pub items: Vec<lentera_domain::notice::NoticeItem>,
}

/// Items a–g of the written notice.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NoticeView {
    pub under_control: bool,
    pub holder: Option<String>,
    pub accepted: bool,
    pub reasons: String,
    pub material: Option<String>,
    pub redactions: Vec<RedactionView>,
    pub delivery: &'static str,
    pub format: &'static str,
    pub fee_idr: u64,
    pub fee_method: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RedactionView {
    pub part: String,
    pub ground: &'static str,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct EventView {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub kind: &'static str,
    pub label: &'static str,
    /// For `due_recomputed`: the date before, the date after and the instrument that moved it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl EventView {
    pub fn new(at: OffsetDateTime, kind: &'static str, label: &'static str) -> Self {
        Self {
            at,
            kind,
            label,
            from: None,
            to: None,
            reason: None,
        }
    }
}

/// The tracking view of the contract (`GET /api/v1/requests/{number}`), plus extensions.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RequestView {
    pub number: String,
    pub body: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub received_on: Date,
    pub due_on: Option<Date>,
    /// `due_on` was counted through a year whose SKB is not loaded: the earliest the real date
    /// can be; it may move once that year's SKB is loaded.
    pub due_provisional: bool,
    pub notice_due_on: Option<Date>,
    pub extended: bool,
    pub overdue: bool,
    pub decision: Option<DecisionView>,
    pub events: Vec<EventView>,
    /// Why the due date is what it is: every skipped day with its reason.
    pub due_explanation: Option<DueExplanation>,
}

/// A row of an officer's work queue.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CaseView {
    pub number: String,
    pub body: String,
    pub unit: Option<String>,
    /// The unit's name, for pages (the slug is for machines).
    pub unit_name: Option<String>,
    pub status: &'static str,
    pub received_on: Date,
    pub due_on: Option<Date>,
    pub due_provisional: bool,
    /// A recomputation moved the due date earlier than the date given before (shown marked).
    pub due_moved_earlier_from: Option<Date>,
    pub extended: bool,
    pub overdue: bool,
    /// Working days left until the due date (0 on the due date, negative when overdue).
    pub working_days_left: Option<i64>,
    pub channel: String,
    pub information: String,
    pub allowed_actions: Vec<&'static str>,
}

/// The applicant as an officer sees it: identity number masked.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ApplicantView {
    pub kind: String,
    pub name: String,
    pub id_number_masked: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: String,
    pub occupation: String,
}

/// An officer's case page data.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CaseDetail {
    #[serde(flatten)]
    pub request: RequestView,
    pub unit: Option<String>,
    pub channel: String,
    pub information: String,
    pub purpose: String,
    pub obtain: &'static str,
    pub delivery: &'static str,
    pub extension_reason: Option<String>,
    pub applicant: Option<ApplicantView>,
    pub allowed_actions: Vec<&'static str>,
}
