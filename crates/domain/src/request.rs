//! The *permohonan informasi publik* lifecycle (domain spec §4.10) as an event fold.
//!
//! Every change is a [`RequestEvent`]; [`RequestState::apply`] checks that the event is legal in
//! the current state and returns the next state. Nothing else changes a request, so the status,
//! the deadlines and the overdue flag can always be recomputed from the log.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::calendar::{CalendarIncomplete, WorkingCalendar};
use crate::values::{Channel, Delivery, ExemptionGround, Obtain, Outcome};

/// Working days for the written notice (UU KIP Pasal 22(7)).
pub const NOTICE_WORKING_DAYS: u32 = 10;
/// Working days added by the one extension (Pasal 22(8)).
pub const EXTENSION_WORKING_DAYS: u32 = 7;

/// `StatusPermohonan` in snake_case English, as in the API contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Received,
    AwaitingCompletion,
    InProgress,
    Extended,
    Decided,
    AwaitingPayment,
    Delivered,
    Closed,
    Withdrawn,
    NotProcessable,
}

impl RequestStatus {
    pub const ALL: [Self; 10] = [
        Self::Received,
        Self::AwaitingCompletion,
        Self::InProgress,
        Self::Extended,
        Self::Decided,
        Self::AwaitingPayment,
        Self::Delivered,
        Self::Closed,
        Self::Withdrawn,
        Self::NotProcessable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::AwaitingCompletion => "awaiting_completion",
            Self::InProgress => "in_progress",
            Self::Extended => "extended",
            Self::Decided => "decided",
            Self::AwaitingPayment => "awaiting_payment",
            Self::Delivered => "delivered",
            Self::Closed => "closed",
            Self::Withdrawn => "withdrawn",
            Self::NotProcessable => "not_processable",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_id(self) -> &'static str {
        match self {
            Self::Received => "Diterima",
            Self::AwaitingCompletion => "Menunggu kelengkapan",
            Self::InProgress => "Diproses",
            Self::Extended => "Diperpanjang",
            Self::Decided => "Diputus",
            Self::AwaitingPayment => "Menunggu pembayaran",
            Self::Delivered => "Informasi diserahkan",
            Self::Closed => "Selesai",
            Self::Withdrawn => "Dicabut",
            Self::NotProcessable => "Tidak dapat diproses",
        }
    }

    /// Waiting for the written notice: the statutory clock runs.
    pub fn awaits_decision(self) -> bool {
        matches!(
            self,
            Self::Received | Self::AwaitingCompletion | Self::InProgress | Self::Extended
        )
    }

    /// No further action is possible.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Closed | Self::Withdrawn | Self::NotProcessable)
    }
}

/// One redacted part of a partly granted answer (notice item e).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redaction {
    pub part: String,
    pub ground: ExemptionGround,
    pub reason: String,
}

/// Fee of notice item g. Zero means free of charge.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Fee {
    pub amount_idr: u64,
    pub method: Option<String>,
}

/// The *pemberitahuan tertulis* with the items a–g of UU KIP Pasal 22(7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrittenNotice {
    /// a. whether the information is under the body's control.
    pub under_control: bool,
    /// b. the body that holds it, when not under control and known.
    pub holder: Option<String>,
    /// c. acceptance or refusal, with its reasons.
    pub accepted: bool,
    pub reasons: String,
    /// d. the material to be given.
    pub material: Option<String>,
    /// e. blacked-out parts with their grounds.
    pub redactions: Vec<Redaction>,
    /// f. delivery means and format.
    pub delivery: Delivery,
    pub format: Obtain,
    /// g. fees and how to pay.
    pub fee: Fee,
}

/// The decision recorded with the notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub outcome: Outcome,
    pub grounds: Vec<ExemptionGround>,
    pub consequence_test: Option<String>,
    pub decided_on: Date,
    pub notice: WrittenNotice,
}

/// What happened to a request. Stored as JSON with a `kind` tag in the append-only log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RequestEvent {
    /// Submission: starts the clock on `received_on`.
    Received {
        received_on: Date,
        channel: Channel,
        obtain: Obtain,
        delivery: Delivery,
    },
    /// Identity or fields incomplete; the clock does not pause.
    MarkedIncomplete {
        note: String,
    },
    /// Identity and fields verified.
    Verified,
    /// *Disposisi* to a PPID unit with its internal due date.
    Routed {
        unit: String,
        internal_due: Option<Date>,
    },
    /// The one extension, with its written reason.
    Extended {
        reason: String,
        notice_on: Date,
    },
    Decided(Decision),
    PaymentRequested {
        fee: Fee,
    },
    Delivered {
        on: Date,
        note: Option<String>,
    },
    Closed {
        note: Option<String>,
    },
    Withdrawn {
        on: Date,
        reason: Option<String>,
    },
    NotProcessable {
        reason: String,
    },
    /// An upheld objection sends the request back to the PPID, who answers again within 10 WD.
    Reopened {
        on: Date,
        objection: String,
    },
    /// The due date moved because the calendar changed (an SKB loaded, a closure added or
    /// removed): a record of what the requester was told before and why it moved. The fold
    /// derives dates from the calendar; this event is what makes the move visible and
    /// accountable.
    DueRecomputed {
        from: Date,
        to: Date,
        reason: String,
    },
}

impl RequestEvent {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Received { .. } => "received",
            Self::MarkedIncomplete { .. } => "marked_incomplete",
            Self::Verified => "verified",
            Self::Routed { .. } => "routed",
            Self::Extended { .. } => "extended",
            Self::Decided(_) => "decided",
            Self::PaymentRequested { .. } => "payment_requested",
            Self::Delivered { .. } => "delivered",
            Self::Closed { .. } => "closed",
            Self::Withdrawn { .. } => "withdrawn",
            Self::NotProcessable { .. } => "not_processable",
            Self::Reopened { .. } => "reopened",
            Self::DueRecomputed { .. } => "due_recomputed",
        }
    }

    /// Indonesian label for timelines.
    pub fn label_id(&self) -> &'static str {
        match self {
            Self::Received { .. } => "Permohonan diterima",
            Self::MarkedIncomplete { .. } => "Diminta melengkapi persyaratan",
            Self::Verified => "Persyaratan diverifikasi",
            Self::Routed { .. } => "Didisposisikan ke PPID Pelaksana",
            Self::Extended { .. } => "Jangka waktu diperpanjang",
            Self::Decided(_) => "Pemberitahuan tertulis diterbitkan",
            Self::PaymentRequested { .. } => "Menunggu pembayaran biaya",
            Self::Delivered { .. } => "Informasi diserahkan",
            Self::Closed { .. } => "Selesai",
            Self::Withdrawn { .. } => "Permohonan dicabut",
            Self::NotProcessable { .. } => "Tidak dapat diproses",
            Self::Reopened { .. } => "Dibuka kembali setelah keberatan dikabulkan",
            Self::DueRecomputed { .. } => "Tenggat dihitung ulang",
        }
    }
}

/// Why an event was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("'{action}' is not allowed while the request is '{}'", from.as_str())]
    NotAllowed {
        from: RequestStatus,
        action: &'static str,
    },
    #[error("the request was already extended once")]
    AlreadyExtended,
    #[error("the extension must be sent on or before the due date {due}")]
    PastDue { due: Date },
    #[error("a request starts with its receipt")]
    NotStarted,
    #[error(transparent)]
    Calendar(#[from] CalendarIncomplete),
    #[error("invalid decision: {field} {code}")]
    InvalidDecision {
        field: &'static str,
        code: &'static str,
    },
}

impl TransitionError {
    /// Stable machine-readable code for the API.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotAllowed { .. } | Self::NotStarted => "request.transition_not_allowed",
            Self::AlreadyExtended => "request.already_extended",
            Self::PastDue { .. } => "request.extension_past_due",
            Self::Calendar(_) => "calendar.incomplete",
            Self::InvalidDecision { .. } => "request.invalid_decision",
        }
    }
}

/// The current state of a request: a fold of its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestState {
    pub status: RequestStatus,
    pub received_on: Date,
    pub channel: Channel,
    pub obtain: Obtain,
    pub delivery: Delivery,
    pub unit: Option<String>,
    pub extended: bool,
    pub extension_reason: Option<String>,
    /// The legal day of the extension notice (absent in states stored before it was kept).
    #[serde(default)]
    pub extended_on: Option<Date>,
    pub decision: Option<Decision>,
    pub fee: Option<Fee>,
    pub delivered_on: Option<Date>,
    pub ended_on: Option<Date>,
    /// Set when an upheld objection reopened the request: the new answer is due 10 WD later.
    #[serde(default)]
    pub reopened_on: Option<Date>,
    /// A recomputation moved the due date earlier than a date already given to the requester
    /// (the earlier communicated date): the PPID's queue marks it until the request is answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved_earlier_from: Option<Date>,
}

/// Deadlines derived from the state and a body's calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    /// `addWD(T0, 10)`.
    pub notice_due: Date,
    /// `addWD(T0, 17)` once extended, else the notice due date.
    pub effective_due: Date,
    /// The effective due date was counted through a year whose SKB is not loaded (*sementara*):
    /// the earliest the real date can be.
    pub provisional: bool,
}

impl RequestState {
    /// Folds a whole log. Each event is checked as of its own legal date, so that replaying an
    /// old log later gives the same result as when the events happened.
    pub fn from_events<'a>(
        events: impl IntoIterator<Item = (&'a RequestEvent, Date)>,
        cal: &WorkingCalendar,
    ) -> Result<Self, TransitionError> {
        let mut it = events.into_iter();
        let (first, _) = it.next().ok_or(TransitionError::NotStarted)?;
        let mut state = Self::start(first)?;
        for (e, day) in it {
            state = state.apply(e, day, cal)?;
        }
        Ok(state)
    }

    /// A new state from the receipt event.
    pub fn start(event: &RequestEvent) -> Result<Self, TransitionError> {
        let RequestEvent::Received {
            received_on,
            channel,
            obtain,
            delivery,
        } = event
        else {
            return Err(TransitionError::NotStarted);
        };
        Ok(Self {
            status: RequestStatus::Received,
            received_on: *received_on,
            channel: *channel,
            obtain: *obtain,
            delivery: *delivery,
            unit: None,
            extended: false,
            extension_reason: None,
            extended_on: None,
            decision: None,
            fee: None,
            delivered_on: None,
            ended_on: None,
            reopened_on: None,
            moved_earlier_from: None,
        })
    }

    pub fn deadlines(&self, cal: &WorkingCalendar) -> Result<Deadlines, CalendarIncomplete> {
        if let Some(on) = self.reopened_on {
            let due = cal.add_working_days(on, NOTICE_WORKING_DAYS)?;
            return Ok(Deadlines {
                notice_due: due,
                effective_due: due,
                provisional: cal.is_provisional_span(on, due),
            });
        }
        let notice_due = cal.due_date(self.received_on, NOTICE_WORKING_DAYS)?;
        let effective_due = if self.extended {
            cal.add_working_days(notice_due, EXTENSION_WORKING_DAYS)?
        } else {
            notice_due
        };
        Ok(Deadlines {
            notice_due,
            effective_due,
            provisional: cal.is_provisional_span(self.received_on, effective_due),
        })
    }

    /// Past the legal due date with no written notice. Computed, never stored.
    pub fn is_overdue(&self, today: Date, cal: &WorkingCalendar) -> bool {
        self.status.awaits_decision() && self.deadlines(cal).is_ok_and(|d| today > d.effective_due)
    }

    /// Working days from receipt to the notice (§8.3 `waktu_layanan_WD`).
    pub fn service_working_days(
        &self,
        cal: &WorkingCalendar,
    ) -> Option<Result<u32, CalendarIncomplete>> {
        let decided = self.decision.as_ref()?.decided_on;
        Some(
            cal.clock_start(self.received_on)
                .and_then(|t0| cal.working_days_between(t0, decided)),
        )
    }

    /// Notice sent on or before the applicable due date.
    pub fn decided_on_time(&self, cal: &WorkingCalendar) -> Option<bool> {
        let decided = self.decision.as_ref()?.decided_on;
        self.deadlines(cal).ok().map(|d| decided <= d.effective_due)
    }

    fn refuse(&self, action: &'static str) -> TransitionError {
        TransitionError::NotAllowed {
            from: self.status,
            action,
        }
    }

    /// Checks `event` against the state machine and returns the next state.
    pub fn apply(
        &self,
        event: &RequestEvent,
        today: Date,
        cal: &WorkingCalendar,
    ) -> Result<Self, TransitionError> {
        use RequestStatus as S;
        let mut next = self.clone();
        match event {
            RequestEvent::Received { .. } => return Err(self.refuse("receive")),
            RequestEvent::MarkedIncomplete { .. } => {
                if self.status != S::Received {
                    return Err(self.refuse("mark_incomplete"));
                }
                next.status = S::AwaitingCompletion;
            }
            RequestEvent::Verified => {
                if !matches!(self.status, S::Received | S::AwaitingCompletion) {
                    return Err(self.refuse("verify"));
                }
                next.status = S::InProgress;
            }
            RequestEvent::Routed { unit, .. } => {
                if !matches!(self.status, S::Received | S::InProgress | S::Extended) {
                    return Err(self.refuse("route"));
                }
                if self.status == S::Received {
                    next.status = S::InProgress;
                }
                next.unit = Some(unit.clone());
            }
            RequestEvent::Extended { reason, notice_on } => {
                if self.extended {
                    return Err(TransitionError::AlreadyExtended);
                }
                if self.reopened_on.is_some() {
                    return Err(self.refuse("extend"));
                }
                if !matches!(self.status, S::Received | S::InProgress) {
                    return Err(self.refuse("extend"));
                }
                let due = self.deadlines(cal)?.notice_due;
                if today > due || *notice_on > due {
                    return Err(TransitionError::PastDue { due });
                }
                if reason.trim().is_empty() {
                    return Err(TransitionError::InvalidDecision {
                        field: "reason",
                        code: "required",
                    });
                }
                next.status = S::Extended;
                next.extended = true;
                next.extension_reason = Some(reason.clone());
                next.extended_on = Some(today);
            }
            RequestEvent::Decided(decision) => {
                if !matches!(self.status, S::Received | S::InProgress | S::Extended) {
                    return Err(self.refuse("decide"));
                }
                check_decision(decision)?;
                if decision.decided_on < self.received_on {
                    return Err(TransitionError::InvalidDecision {
                        field: "decided_on",
                        code: "before_receipt",
                    });
                }
                next.status = S::Decided;
                next.decision = Some(decision.clone());
            }
            RequestEvent::PaymentRequested { fee } => {
                let grants = self.decision.as_ref().is_some_and(|d| d.outcome.grants());
                if self.status != S::Decided || !grants {
                    return Err(self.refuse("request_payment"));
                }
                if fee.amount_idr == 0 {
                    return Err(TransitionError::InvalidDecision {
                        field: "fee",
                        code: "must_be_positive",
                    });
                }
                next.status = S::AwaitingPayment;
                next.fee = Some(fee.clone());
            }
            RequestEvent::Delivered { on, .. } => {
                let grants = self.decision.as_ref().is_some_and(|d| d.outcome.grants());
                if !matches!(self.status, S::Decided | S::AwaitingPayment) || !grants {
                    return Err(self.refuse("deliver"));
                }
                next.status = S::Delivered;
                next.delivered_on = Some(*on);
            }
            RequestEvent::Closed { .. } => {
                let refused = self.decision.as_ref().is_some_and(|d| !d.outcome.grants());
                let may_close =
                    self.status == S::Delivered || (self.status == S::Decided && refused);
                if !may_close {
                    return Err(self.refuse("close"));
                }
                next.status = S::Closed;
                next.ended_on = Some(today);
            }
            RequestEvent::Withdrawn { on, .. } => {
                if !(self.status.awaits_decision() || self.status == S::AwaitingPayment) {
                    return Err(self.refuse("withdraw"));
                }
                next.status = S::Withdrawn;
                next.ended_on = Some(*on);
            }
            RequestEvent::NotProcessable { .. } => {
                if !matches!(self.status, S::Received | S::AwaitingCompletion) {
                    return Err(self.refuse("not_processable"));
                }
                next.status = S::NotProcessable;
                next.ended_on = Some(today);
            }
            RequestEvent::Reopened { on, .. } => {
                let answered = matches!(
                    self.status,
                    S::Decided | S::AwaitingPayment | S::Delivered | S::Closed
                );
                // An unanswered request can be reopened too: the objection then orders the answer.
                if !(answered || self.status.awaits_decision()) || self.status == S::Withdrawn {
                    return Err(self.refuse("reopen"));
                }
                next.status = S::InProgress;
                next.decision = None;
                next.fee = None;
                next.delivered_on = None;
                next.ended_on = None;
                next.reopened_on = Some(*on);
                next.moved_earlier_from = None;
            }
            RequestEvent::DueRecomputed { from, to, .. } => {
                // A closed case keeps the dates it ended with.
                if self.status.is_final() {
                    return Err(self.refuse("recompute_due"));
                }
                // A record; only an earlier date than one already given
                // while the answer is still owed needs the PPID's attention.
                if to < from && self.status.awaits_decision() {
                    next.moved_earlier_from = Some(self.moved_earlier_from.unwrap_or(*from));
                }
            }
        }
        if let RequestEvent::Decided(_) = event {
            next.moved_earlier_from = None;
        }
        Ok(next)
    }

    /// The actions an officer may take on `today`, by name (for the back office and the API).
    /// An action listed here is one the record accepts today: a form is never offered only to
    /// fail after its confirmation (an extension after the 10 working days have run out).
    pub fn allowed_actions(&self, today: Date, cal: &WorkingCalendar) -> Vec<&'static str> {
        use RequestStatus as S;
        let grants = self.decision.as_ref().is_some_and(|d| d.outcome.grants());
        let mut v = Vec::new();
        match self.status {
            S::Received => v.extend([
                "verify",
                "mark_incomplete",
                "route",
                "decide",
                "not_processable",
            ]),
            S::AwaitingCompletion => v.extend(["verify", "not_processable"]),
            S::InProgress => v.extend(["route", "decide"]),
            S::Extended => v.extend(["route", "decide"]),
            S::Decided if grants => v.extend(["request_payment", "deliver"]),
            S::Decided => v.push("close"),
            S::AwaitingPayment => v.push("deliver"),
            S::Delivered => v.push("close"),
            S::Closed | S::Withdrawn | S::NotProcessable => {}
        }
        if !self.extended
            && self.reopened_on.is_none()
            && matches!(self.status, S::Received | S::InProgress)
            && self.deadlines(cal).is_ok_and(|d| today <= d.notice_due)
        {
            v.push("extend");
        }
        if self.status.awaits_decision() || self.status == S::AwaitingPayment {
            v.push("withdraw");
        }
        v
    }
}

/// Content rules of a decision (§4.8): refusals on Pasal 17 need their grounds; a grant has none.
pub fn check_decision(d: &Decision) -> Result<(), TransitionError> {
    let invalid = |field, code| Err(TransitionError::InvalidDecision { field, code });
    match d.outcome {
        Outcome::RejectedExempt | Outcome::PartiallyGranted if d.grounds.is_empty() => {
            invalid("grounds", "required")
        }
        Outcome::Granted | Outcome::NotHeld | Outcome::NotDocumented if !d.grounds.is_empty() => {
            invalid("grounds", "not_applicable")
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
