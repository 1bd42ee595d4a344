//! *Sengketa informasi publik* at the Komisi Informasi and in court (UU KIP Pasal 37–50; domain
//! spec §6), from the body's side: what happened, when, and the legal deadlines of each step.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::calendar::{CalendarIncomplete, WorkingCalendar};

/// Working days for the requester to go to the KI after the objection answer (or its lapse).
pub const FILING_WORKING_DAYS: u32 = 14;
/// The KI must start settlement within 14 WD of the application (Pasal 38(1)).
pub const START_WORKING_DAYS: u32 = 14;
/// ... and finish within 100 WD (Pasal 38(2)).
pub const FINISH_WORKING_DAYS: u32 = 100;
/// Objection to the KI decision in court: 14 WD after receiving it (Pasal 47–48).
pub const APPEAL_WORKING_DAYS: u32 = 14;
/// *Kasasi*: 14 calendar days after receiving the court decision (Pasal 50).
pub const CASSATION_CALENDAR_DAYS: u32 = 14;

macro_rules! named {
    ($name:ident { $($v:ident = $s:literal / $l:literal),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $s)] $v),+ }
        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$v),+];
            pub fn as_str(self) -> &'static str { match self { $(Self::$v => $s),+ } }
            pub fn label_id(self) -> &'static str { match self { $(Self::$v => $l),+ } }
            pub fn parse(s: &str) -> Option<Self> { Self::ALL.iter().copied().find(|x| x.as_str() == s.trim()) }
        }
    };
}

named!(DisputeStatus {
    Filed = "filed" / "Diajukan ke Komisi Informasi",
    Registered = "registered" / "Teregistrasi",
    Mediation = "mediation" / "Mediasi",
    Adjudication = "adjudication" / "Ajudikasi",
    Ruled = "ruled" / "Diputus Komisi Informasi",
    InCourt = "in_court" / "Keberatan di pengadilan",
    Cassation = "cassation" / "Kasasi",
    Final = "final" / "Berkekuatan hukum tetap",
    Complied = "complied" / "Putusan dilaksanakan",
    Withdrawn = "withdrawn" / "Dicabut",
});

named!(SessionStage {
    Preliminary = "preliminary" / "Pemeriksaan awal",
    Mediation = "mediation" / "Mediasi",
    Adjudication = "adjudication" / "Ajudikasi",
    Evidence = "evidence" / "Pembuktian",
    Conclusion = "conclusion" / "Kesimpulan",
});

named!(Ruling {
    MediationAgreed = "mediation_agreed" / "Mediasi berhasil (putusan mediasi)",
    Granted = "granted" / "Permohonan dikabulkan seluruhnya",
    PartiallyGranted = "partially_granted" / "Permohonan dikabulkan sebagian",
    Rejected = "rejected" / "Permohonan ditolak",
    Inadmissible = "inadmissible" / "Permohonan tidak dapat diterima",
});

named!(Court {
    Ptun = "ptun" / "Pengadilan Tata Usaha Negara",
    Pn = "pn" / "Pengadilan Negeri",
});

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DisputeEvent {
    /// The requester's application reached the KI on `filed_on` (the KI clock starts).
    Filed {
        filed_on: Date,
        commission: String,
    },
    Registered {
        on: Date,
        ki_number: String,
    },
    /// A hearing (and its result, if any).
    Session {
        on: Date,
        stage: SessionStage,
        note: String,
    },
    /// Mediation failed: adjudication follows.
    MediationFailed {
        on: Date,
    },
    /// The KI's decision (mediation agreement or adjudication), received by the body on `received_on`.
    Ruled {
        ruling: Ruling,
        on: Date,
        received_on: Date,
        number: String,
    },
    /// A party objected to the KI decision in court.
    Appealed {
        court: Court,
        filed_on: Date,
        case_number: String,
    },
    /// The court's decision, received on `received_on`.
    CourtDecided {
        on: Date,
        received_on: Date,
        summary: String,
    },
    CassationFiled {
        filed_on: Date,
    },
    CassationDecided {
        on: Date,
        summary: String,
    },
    /// Final and binding (*inkracht*).
    Final {
        on: Date,
    },
    /// The body carried out what the decision ordered.
    Complied {
        on: Date,
        evidence: String,
    },
    Withdrawn {
        on: Date,
    },
    /// A legal deadline of the dispute (`ki_start`, `ki_finish`, `appeal`) moved because the
    /// calendar changed; recorded on `on`, it changes no step of the chain.
    DueRecomputed {
        on: Date,
        deadline: String,
        from: Date,
        to: Date,
        reason: String,
    },
}

/// The Indonesian name of a dispute deadline as `DueRecomputed` stores it.
pub fn deadline_label(name: &str) -> &'static str {
    match name {
        "ki_start" => "KI wajib mulai (14 HK)",
        "ki_finish" => "KI wajib selesai (100 HK)",
        "appeal" => "Batas keberatan ke pengadilan (14 HK)",
        _ => "Tenggat sengketa",
    }
}

impl DisputeEvent {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Filed { .. } => "dispute_filed",
            Self::Registered { .. } => "dispute_registered",
            Self::Session { .. } => "dispute_session",
            Self::MediationFailed { .. } => "dispute_mediation_failed",
            Self::Ruled { .. } => "dispute_ruled",
            Self::Appealed { .. } => "dispute_appealed",
            Self::CourtDecided { .. } => "dispute_court_decided",
            Self::CassationFiled { .. } => "dispute_cassation_filed",
            Self::CassationDecided { .. } => "dispute_cassation_decided",
            Self::Final { .. } => "dispute_final",
            Self::Complied { .. } => "dispute_complied",
            Self::Withdrawn { .. } => "dispute_withdrawn",
            Self::DueRecomputed { .. } => "due_recomputed",
        }
    }

    /// The legal date of the step.
    pub fn date(&self) -> Date {
        match self {
            Self::Filed { filed_on: d, .. }
            | Self::Registered { on: d, .. }
            | Self::Session { on: d, .. }
            | Self::MediationFailed { on: d }
            | Self::Ruled { on: d, .. }
            | Self::Appealed { filed_on: d, .. }
            | Self::CourtDecided { on: d, .. }
            | Self::CassationFiled { filed_on: d }
            | Self::CassationDecided { on: d, .. }
            | Self::Final { on: d }
            | Self::Complied { on: d, .. }
            | Self::Withdrawn { on: d }
            | Self::DueRecomputed { on: d, .. } => *d,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DisputeError {
    #[error("'{action}' is not allowed while the dispute is '{}'", from.as_str())]
    NotAllowed {
        from: DisputeStatus,
        action: &'static str,
    },
    #[error("a step cannot be dated before the previous one ({previous})")]
    OutOfOrder { previous: Date },
    #[error("a dispute starts with its filing")]
    NotStarted,
    #[error("{0} is required")]
    Required(&'static str),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeState {
    pub status: DisputeStatus,
    pub filed_on: Date,
    pub commission: String,
    pub ki_number: Option<String>,
    pub mediated: bool,
    pub ruling: Option<Ruling>,
    pub ruling_received_on: Option<Date>,
    pub court: Option<Court>,
    pub court_decision_received_on: Option<Date>,
    pub final_on: Option<Date>,
    pub complied_on: Option<Date>,
    pub last_step: Date,
}

/// The legal deadlines of a dispute as far as it has gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeDeadlines {
    /// The KI must start settlement by this day (`None` past the loaded calendar years).
    pub ki_start_by: Option<Date>,
    /// ... and finish by this day.
    pub ki_finish_by: Option<Date>,
    /// Last day to take the KI decision to court.
    pub appeal_by: Option<Date>,
    /// Last day for *kasasi* (calendar days).
    pub cassation_by: Option<Date>,
    /// Which of the dates above were counted through a year whose SKB is not loaded.
    #[serde(default)]
    pub ki_start_provisional: bool,
    #[serde(default)]
    pub ki_finish_provisional: bool,
    #[serde(default)]
    pub appeal_provisional: bool,
}

impl DisputeState {
    pub fn start(e: &DisputeEvent) -> Result<Self, DisputeError> {
        let DisputeEvent::Filed {
            filed_on,
            commission,
        } = e
        else {
            return Err(DisputeError::NotStarted);
        };
        if commission.trim().is_empty() {
            return Err(DisputeError::Required("commission"));
        }
        Ok(Self {
            status: DisputeStatus::Filed,
            filed_on: *filed_on,
            commission: commission.clone(),
            ki_number: None,
            mediated: false,
            ruling: None,
            ruling_received_on: None,
            court: None,
            court_decision_received_on: None,
            final_on: None,
            complied_on: None,
            last_step: *filed_on,
        })
    }

    pub fn from_events<'a>(
        events: impl IntoIterator<Item = &'a DisputeEvent>,
    ) -> Result<Self, DisputeError> {
        let mut it = events.into_iter();
        let mut s = Self::start(it.next().ok_or(DisputeError::NotStarted)?)?;
        for e in it {
            s = s.apply(e)?;
        }
        Ok(s)
    }

    pub fn deadlines(&self, cal: &WorkingCalendar) -> Result<DisputeDeadlines, CalendarIncomplete> {
        let ki_start_by = cal.add_working_days(self.filed_on, START_WORKING_DAYS).ok();
        let ki_finish_by = cal
            .add_working_days(self.filed_on, FINISH_WORKING_DAYS)
            .ok();
        let appeal_by = match (self.ruling_received_on, self.status) {
            (Some(r), DisputeStatus::Ruled) => Some(cal.add_working_days(r, APPEAL_WORKING_DAYS)?),
            _ => None,
        };
        let provisional = |from: Option<Date>, to: Option<Date>| match (from, to) {
            (Some(f), Some(t)) => cal.is_provisional_span(f, t),
            _ => false,
        };
        Ok(DisputeDeadlines {
            ki_start_provisional: provisional(Some(self.filed_on), ki_start_by),
            ki_finish_provisional: provisional(Some(self.filed_on), ki_finish_by),
            appeal_provisional: provisional(self.ruling_received_on, appeal_by),
            ki_start_by,
            ki_finish_by,
            appeal_by,
            cassation_by: match (self.court_decision_received_on, self.status) {
                (Some(r), DisputeStatus::InCourt) => {
                    WorkingCalendar::add_calendar_days(r, CASSATION_CALENDAR_DAYS)
                }
                _ => None,
            },
        })
    }

    pub fn apply(&self, e: &DisputeEvent) -> Result<Self, DisputeError> {
        use DisputeStatus as S;
        let refuse = |action| DisputeError::NotAllowed {
            from: self.status,
            action,
        };
        if let DisputeEvent::DueRecomputed { .. } = e {
            // A record beside the chain: it neither moves the last step nor needs to follow it.
            return if matches!(self.status, S::Complied | S::Withdrawn) {
                Err(refuse(e.kind()))
            } else {
                Ok(self.clone())
            };
        }
        if e.date() < self.last_step {
            return Err(DisputeError::OutOfOrder {
                previous: self.last_step,
            });
        }
        if matches!(self.status, S::Complied | S::Withdrawn) {
            return Err(refuse(e.kind()));
        }
        let mut n = self.clone();
        n.last_step = e.date();
        match e {
            DisputeEvent::Filed { .. } | DisputeEvent::DueRecomputed { .. } => {
                return Err(refuse("file"));
            }
            DisputeEvent::Registered { ki_number, .. } => {
                if self.status != S::Filed {
                    return Err(refuse("register"));
                }
                if ki_number.trim().is_empty() {
                    return Err(DisputeError::Required("ki_number"));
                }
                n.ki_number = Some(ki_number.clone());
                n.status = S::Registered;
            }
            DisputeEvent::Session { stage, .. } => {
                if !matches!(
                    self.status,
                    S::Filed | S::Registered | S::Mediation | S::Adjudication
                ) {
                    return Err(refuse("session"));
                }
                n.status = match stage {
                    SessionStage::Mediation => {
                        n.mediated = true;
                        S::Mediation
                    }
                    SessionStage::Preliminary if self.status == S::Filed => S::Registered,
                    SessionStage::Preliminary => self.status,
                    _ => S::Adjudication,
                };
            }
            DisputeEvent::MediationFailed { .. } => {
                if self.status != S::Mediation {
                    return Err(refuse("mediation_failed"));
                }
                n.status = S::Adjudication;
            }
            DisputeEvent::Ruled {
                ruling,
                received_on,
                ..
            } => {
                if !matches!(self.status, S::Registered | S::Mediation | S::Adjudication) {
                    return Err(refuse("rule"));
                }
                if *ruling == Ruling::MediationAgreed && self.status != S::Mediation {
                    return Err(refuse("mediation_agreed"));
                }
                n.ruling = Some(*ruling);
                n.ruling_received_on = Some(*received_on);
                // A mediation agreement is final at once; an adjudication may still be appealed.
                n.status = if *ruling == Ruling::MediationAgreed {
                    S::Final
                } else {
                    S::Ruled
                };
                if n.status == S::Final {
                    n.final_on = Some(e.date());
                }
            }
            DisputeEvent::Appealed { court, .. } => {
                if self.status != S::Ruled {
                    return Err(refuse("appeal"));
                }
                n.court = Some(*court);
                n.status = S::InCourt;
            }
            DisputeEvent::CourtDecided { received_on, .. } => {
                if self.status != S::InCourt || self.court_decision_received_on.is_some() {
                    return Err(refuse("court_decision"));
                }
                n.court_decision_received_on = Some(*received_on);
            }
            DisputeEvent::CassationFiled { .. } => {
                if self.status != S::InCourt || self.court_decision_received_on.is_none() {
                    return Err(refuse("cassation"));
                }
                n.status = S::Cassation;
            }
            DisputeEvent::CassationDecided { .. } => {
                if self.status != S::Cassation {
                    return Err(refuse("cassation_decision"));
                }
                n.status = S::Final;
                n.final_on = Some(e.date());
            }
            DisputeEvent::Final { on } => {
                let may = matches!(self.status, S::Ruled)
                    || (self.status == S::InCourt && self.court_decision_received_on.is_some());
                if !may {
                    return Err(refuse("final"));
                }
                n.status = S::Final;
                n.final_on = Some(*on);
            }
            DisputeEvent::Complied { on, evidence } => {
                if self.status != S::Final {
                    return Err(refuse("comply"));
                }
                if evidence.trim().is_empty() {
                    return Err(DisputeError::Required("evidence"));
                }
                n.status = S::Complied;
                n.complied_on = Some(*on);
            }
            DisputeEvent::Withdrawn { .. } => {
                if !matches!(
                    self.status,
                    S::Filed | S::Registered | S::Mediation | S::Adjudication
                ) {
                    return Err(refuse("withdraw"));
                }
                n.status = S::Withdrawn;
            }
        }
        Ok(n)
    }
}
