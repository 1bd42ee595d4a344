//! *Keberatan* (objections, UU KIP Pasal 35–36; domain spec §5) as an event fold, and which of the
//! seven grounds a request's record supports.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::calendar::{CalendarIncomplete, WorkingCalendar};
use crate::request::{RequestState, RequestStatus};

/// Working days for filing after the ground arises (Pasal 36(1)).
pub const FILING_WORKING_DAYS: u32 = 30;
/// Working days for the *atasan PPID* to answer (Pasal 36(2)).
pub const ANSWER_WORKING_DAYS: u32 = 30;

/// The grounds of Pasal 35(1), letters a–g.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ground {
    A,
    B,
    C,
    D,
    E,
    F,
    G,
}

impl Ground {
    pub const ALL: [Self; 7] = [
        Self::A,
        Self::B,
        Self::C,
        Self::D,
        Self::E,
        Self::F,
        Self::G,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::A => "a",
            Self::B => "b",
            Self::C => "c",
            Self::D => "d",
            Self::E => "e",
            Self::F => "f",
            Self::G => "g",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|g| g.as_str() == s.trim().to_lowercase())
    }

    pub fn label_id(self) -> &'static str {
        match self {
            Self::A => "Penolakan berdasarkan alasan pengecualian Pasal 17",
            Self::B => "Tidak disediakannya informasi berkala (Pasal 9)",
            Self::C => "Tidak ditanggapinya permintaan informasi",
            Self::D => "Permintaan informasi ditanggapi tidak sebagaimana yang diminta",
            Self::E => "Tidak dipenuhinya permintaan informasi",
            Self::F => "Pengenaan biaya yang tidak wajar",
            Self::G => "Penyampaian informasi melebihi waktu yang diatur",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::A => "Refusal on the exemptions of Article 17",
            Self::B => "Periodic information (Article 9) not provided",
            Self::C => "Request not answered",
            Self::D => "Request answered otherwise than asked",
            Self::E => "Request not fulfilled",
            Self::F => "Unreasonable fees",
            Self::G => "Information given later than the law allows",
        }
    }

    /// Grounds b–g may be settled by deliberation (*musyawarah*, Pasal 35(2)); a may not.
    pub fn settleable(self) -> bool {
        self != Self::A
    }
}

/// Why a ground cannot be used yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Unavailable {
    pub ground: Ground,
    pub code: &'static str,
}

/// Filed on `filed_on` past the 30-WD window of every chosen ground (recorded, not refused).
/// `r` is the request as it stood on the filing day.
pub fn is_late(
    grounds: &[Ground],
    r: &RequestState,
    filed_on: Date,
    cal: &WorkingCalendar,
) -> bool {
    !grounds.is_empty()
        && grounds
            .iter()
            .all(|g| match ground_date(*g, r, filed_on, cal) {
                Ok(since) => {
                    let window_ends = cal
                        .add_working_days(since, FILING_WORKING_DAYS)
                        .unwrap_or(since);
                    filed_on > window_ends
                }
                Err(_) => true,
            })
}

/// When a ground arose on the request's record (the start of the 30-WD filing window), or why it
/// has not (yet).
pub fn ground_date(
    g: Ground,
    r: &RequestState,
    today: Date,
    cal: &WorkingCalendar,
) -> Result<Date, &'static str> {
    let decision = r.decision.as_ref();
    let due = r.deadlines(cal).ok().map(|d| d.effective_due);
    let lapsed = || match (decision, due) {
        (None, Some(d)) if today > d && r.status.awaits_decision() => {
            cal.add_working_days(d, 1).ok().ok_or("calendar_incomplete")
        }
        (None, _) => Err("not_yet_overdue"),
        (Some(_), _) => Err("answered"),
    };
    match g {
        // Periodic information is owed regardless of any request.
        Ground::B => Ok(today),
        Ground::A => match decision {
            Some(d) if !d.grounds.is_empty() => Ok(d.decided_on),
            Some(_) => Err("no_exemption_refusal"),
            None => Err("not_decided"),
        },
        Ground::C => lapsed(),
        Ground::D | Ground::E => match decision {
            Some(d)
                if g == Ground::D
                    || !d.outcome.grants()
                    || d.outcome == crate::Outcome::PartiallyGranted =>
            {
                Ok(d.decided_on)
            }
            Some(_)
                if r.status == RequestStatus::Decided
                    || r.status == RequestStatus::AwaitingPayment =>
            {
                Ok(today)
            }
            Some(_) => Err("fulfilled"),
            None => Err("not_decided"),
        },
        Ground::F => match (decision, &r.fee) {
            (Some(d), _) if d.notice.fee.amount_idr > 0 => Ok(d.decided_on),
            (Some(d), Some(f)) if f.amount_idr > 0 => Ok(d.decided_on),
            (Some(_), _) => Err("no_fee"),
            (None, _) => Err("not_decided"),
        },
        Ground::G => match (decision, due) {
            (Some(d), Some(due)) if d.decided_on > due => Ok(d.decided_on),
            (Some(_), _) => Err("answered_in_time"),
            (None, _) => lapsed(),
        },
    }
}

/// The grounds the request's record supports today.
pub fn available_grounds(r: &RequestState, today: Date, cal: &WorkingCalendar) -> Vec<Ground> {
    Ground::ALL
        .into_iter()
        .filter(|g| ground_date(*g, r, today, cal).is_ok())
        .collect()
}

/// The grounds offered on a request's own tracking page: those the record supports today that
/// arose after the last objection filed on it (`last_filed`), and only when one of them concerns
/// the request itself. Ground b (periodic information not published) is owed whatever the
/// request, so on its own it is no reason to offer an objection on a request filed minutes ago;
/// and a ground already objected to is answered through that objection, not a second one.
pub fn offered_grounds(
    r: &RequestState,
    today: Date,
    cal: &WorkingCalendar,
    last_filed: Option<Date>,
) -> Vec<Ground> {
    let fresh: Vec<Ground> = Ground::ALL
        .into_iter()
        .filter(|g| {
            ground_date(*g, r, today, cal).is_ok_and(|arose| last_filed.is_none_or(|f| arose > f))
        })
        .collect();
    if fresh.iter().any(|g| *g != Ground::B) {
        fresh
    } else {
        Vec::new()
    }
}

/// Status of an objection, snake_case in the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectionStatus {
    Received,
    InReview,
    Upheld,
    PartiallyUpheld,
    Dismissed,
    Settled,
    Disputed,
    Closed,
}

impl ObjectionStatus {
    pub const ALL: [Self; 8] = [
        Self::Received,
        Self::InReview,
        Self::Upheld,
        Self::PartiallyUpheld,
        Self::Dismissed,
        Self::Settled,
        Self::Disputed,
        Self::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::InReview => "in_review",
            Self::Upheld => "upheld",
            Self::PartiallyUpheld => "partially_upheld",
            Self::Dismissed => "dismissed",
            Self::Settled => "settled",
            Self::Disputed => "disputed",
            Self::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_id(self) -> &'static str {
        match self {
            Self::Received => "Diterima",
            Self::InReview => "Diperiksa atasan PPID",
            Self::Upheld => "Dikabulkan",
            Self::PartiallyUpheld => "Dikabulkan sebagian",
            Self::Dismissed => "Ditolak",
            Self::Settled => "Selesai melalui musyawarah",
            Self::Disputed => "Disengketakan ke Komisi Informasi",
            Self::Closed => "Selesai",
        }
    }

    /// Waiting for the *atasan PPID*'s answer.
    pub fn awaits_answer(self) -> bool {
        matches!(self, Self::Received | Self::InReview)
    }
}

/// The *atasan PPID*'s answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectionOutcome {
    Upheld,
    PartiallyUpheld,
    Dismissed,
}

impl ObjectionOutcome {
    pub const ALL: [Self; 3] = [Self::Upheld, Self::PartiallyUpheld, Self::Dismissed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Upheld => "upheld",
            Self::PartiallyUpheld => "partially_upheld",
            Self::Dismissed => "dismissed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    pub fn label_id(self) -> &'static str {
        match self {
            Self::Upheld => "Keberatan dikabulkan",
            Self::PartiallyUpheld => "Keberatan dikabulkan sebagian",
            Self::Dismissed => "Keberatan ditolak",
        }
    }

    /// The request goes back to the PPID to be answered again.
    pub fn reopens(self) -> bool {
        self != Self::Dismissed
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ObjectionEvent {
    /// Filed with the grounds; `late` when past the 30-WD window of every ground (recorded, not refused).
    Filed {
        received_on: Date,
        grounds: Vec<Ground>,
        reason: String,
        late: bool,
    },
    /// The *atasan PPID* takes it up (the PPID's written considerations may follow).
    ReviewStarted {
        note: Option<String>,
    },
    /// Settled by deliberation (grounds b–g only), with the minutes.
    Settled {
        on: Date,
        minutes: String,
    },
    /// The written answer.
    Decided {
        outcome: ObjectionOutcome,
        decided_on: Date,
        answer: String,
    },
    /// The requester took the matter to the Komisi Informasi.
    Disputed {
        on: Date,
    },
    Closed {
        note: Option<String>,
    },
    /// The answer's due date moved because the calendar changed (see
    /// [`crate::request::RequestEvent::DueRecomputed`]). `lateness_in_doubt`: the filing was
    /// recorded as late under the earlier calendar but would be in time under the new one; the
    /// record stays as it was and the atasan PPID is asked to look at it.
    DueRecomputed {
        from: Date,
        to: Date,
        reason: String,
        #[serde(default)]
        lateness_in_doubt: bool,
    },
}

impl ObjectionEvent {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Filed { .. } => "objection_filed",
            Self::ReviewStarted { .. } => "objection_review_started",
            Self::Settled { .. } => "objection_settled",
            Self::Decided { .. } => "objection_decided",
            Self::Disputed { .. } => "objection_disputed",
            Self::Closed { .. } => "objection_closed",
            Self::DueRecomputed { .. } => "due_recomputed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ObjectionError {
    #[error("'{action}' is not allowed while the objection is '{}'", from.as_str())]
    NotAllowed {
        from: ObjectionStatus,
        action: &'static str,
    },
    #[error("grounds {0:?} cannot be settled by deliberation")]
    NotSettleable(Vec<Ground>),
    #[error("an objection starts with its filing")]
    NotStarted,
    #[error("{field} is required")]
    Required { field: &'static str },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectionState {
    pub status: ObjectionStatus,
    pub received_on: Date,
    pub grounds: Vec<Ground>,
    pub reason: String,
    pub late: bool,
    pub outcome: Option<ObjectionOutcome>,
    pub decided_on: Option<Date>,
    pub answer: Option<String>,
    /// Recorded late, but in time under a calendar loaded later: kept, flagged for the atasan.
    #[serde(default)]
    pub lateness_in_doubt: bool,
}

impl ObjectionState {
    pub fn start(e: &ObjectionEvent) -> Result<Self, ObjectionError> {
        let ObjectionEvent::Filed {
            received_on,
            grounds,
            reason,
            late,
        } = e
        else {
            return Err(ObjectionError::NotStarted);
        };
        Ok(Self {
            status: ObjectionStatus::Received,
            received_on: *received_on,
            grounds: grounds.clone(),
            reason: reason.clone(),
            late: *late,
            outcome: None,
            decided_on: None,
            answer: None,
            lateness_in_doubt: false,
        })
    }

    pub fn from_events<'a>(
        events: impl IntoIterator<Item = &'a ObjectionEvent>,
    ) -> Result<Self, ObjectionError> {
        let mut it = events.into_iter();
        let mut s = Self::start(it.next().ok_or(ObjectionError::NotStarted)?)?;
        for e in it {
            s = s.apply(e)?;
        }
        Ok(s)
    }

    /// `addWD(received, 30)`: the *atasan PPID*'s answer is due.
    pub fn answer_due(&self, cal: &WorkingCalendar) -> Result<Date, CalendarIncomplete> {
        cal.add_working_days(self.received_on, ANSWER_WORKING_DAYS)
    }

    /// The answer's due date was counted through a year whose SKB is not loaded.
    pub fn answer_due_provisional(&self, cal: &WorkingCalendar) -> bool {
        self.answer_due(cal)
            .map_or(true, |d| cal.is_provisional_span(self.received_on, d))
    }

    /// Not answered within 30 working days: computed, never stored.
    pub fn unanswered(&self, today: Date, cal: &WorkingCalendar) -> bool {
        self.status.awaits_answer() && self.answer_due(cal).is_ok_and(|d| today > d)
    }

    /// Last day for the requester to go to the Komisi Informasi: 14 WD after the answer, or after
    /// the answer period lapsed.
    pub fn dispute_deadline(&self, cal: &WorkingCalendar) -> Result<Date, CalendarIncomplete> {
        let from = match self.decided_on {
            Some(d) => d,
            None => self.answer_due(cal)?,
        };
        cal.add_working_days(from, crate::dispute::FILING_WORKING_DAYS)
    }

    pub fn apply(&self, e: &ObjectionEvent) -> Result<Self, ObjectionError> {
        use ObjectionStatus as S;
        let refuse = |action| ObjectionError::NotAllowed {
            from: self.status,
            action,
        };
        let mut next = self.clone();
        match e {
            ObjectionEvent::Filed { .. } => return Err(refuse("file")),
            ObjectionEvent::ReviewStarted { .. } => {
                if self.status != S::Received {
                    return Err(refuse("review"));
                }
                next.status = S::InReview;
            }
            ObjectionEvent::Settled { minutes, .. } => {
                if !self.status.awaits_answer() {
                    return Err(refuse("settle"));
                }
                let blocked: Vec<Ground> = self
                    .grounds
                    .iter()
                    .copied()
                    .filter(|g| !g.settleable())
                    .collect();
                if !blocked.is_empty() {
                    return Err(ObjectionError::NotSettleable(blocked));
                }
                if minutes.trim().is_empty() {
                    return Err(ObjectionError::Required { field: "minutes" });
                }
                next.status = S::Settled;
            }
            ObjectionEvent::Decided {
                outcome,
                decided_on,
                answer,
            } => {
                if !self.status.awaits_answer() {
                    return Err(refuse("decide"));
                }
                if answer.trim().is_empty() {
                    return Err(ObjectionError::Required { field: "note" });
                }
                next.status = match outcome {
                    ObjectionOutcome::Upheld => S::Upheld,
                    ObjectionOutcome::PartiallyUpheld => S::PartiallyUpheld,
                    ObjectionOutcome::Dismissed => S::Dismissed,
                };
                next.outcome = Some(*outcome);
                next.decided_on = Some(*decided_on);
                next.answer = Some(answer.clone());
            }
            ObjectionEvent::Disputed { .. } => {
                // After the answer, or when none came in time (checked by the caller with the date).
                if !matches!(
                    self.status,
                    S::Received | S::InReview | S::Upheld | S::PartiallyUpheld | S::Dismissed
                ) {
                    return Err(refuse("dispute"));
                }
                next.status = S::Disputed;
            }
            ObjectionEvent::Closed { .. } => {
                if matches!(self.status, S::Closed | S::Received | S::InReview) {
                    return Err(refuse("close"));
                }
                next.status = S::Closed;
            }
            ObjectionEvent::DueRecomputed {
                lateness_in_doubt, ..
            } => {
                next.lateness_in_doubt |= *lateness_in_doubt;
            }
        }
        Ok(next)
    }
}

#[cfg(test)]
mod tests;
