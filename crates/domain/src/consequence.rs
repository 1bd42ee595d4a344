//! *Uji konsekuensi* (consequence test, domain spec §3.6–3.7): the record that makes information
//! exempt, its lifecycle as an event fold, and which tests may be cited by a refusal.

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use crate::register::{MAX_LINE, MAX_TEXT};
use crate::submission::FieldErrors;
use crate::values::{ExemptionGround, PeriodKind, TestConclusion, TestTrigger};

/// Longest exemption for grounds 17a–17f (PP 61/2010), in years.
pub const MAX_PERIOD_YEARS: i32 = 30;
/// A decided test is reviewed yearly [A].
pub const REVIEW_INTERVAL_DAYS: i64 = 365;

/// The exemption period (*jangka waktu pengecualian*).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub kind: PeriodKind,
    pub until: Option<Date>,
    pub event: Option<String>,
}

impl Period {
    pub fn describe(&self) -> String {
        match (self.kind, self.until, &self.event) {
            (PeriodKind::UntilDate, Some(d), _) => format!("Sampai {d}"),
            (PeriodKind::UntilEvent, _, Some(e)) => format!("Sampai {e}"),
            (k, _, Some(e)) if !e.is_empty() => format!("{}: {e}", k.label_id()),
            (k, _, _) => k.label_id().to_owned(),
        }
    }
}

/// What the PPID must state (§3.6 minimum fields) plus context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestFields {
    /// (b) the information exempted, precisely; may be a passage of a document.
    pub information: String,
    /// (a) the document(s) holding it.
    pub source: String,
    /// (c) the articles of Pasal 17 relied on.
    pub grounds: Vec<ExemptionGround>,
    /// (c) another statute, for 17j and as support.
    pub other_law: String,
    /// Harm if opened (*konsekuensi bahaya*).
    pub harm: String,
    /// (d) weighing against the public interest.
    pub public_interest: String,
    pub conclusion: TestConclusion,
    /// What is blacked out when the conclusion is `partially_open`.
    pub redaction_plan: String,
    pub period: Option<Period>,
    pub trigger: TestTrigger,
    /// The request that triggered it, for `on_request`.
    pub request: Option<String>,
    /// The register entry it closes, if any: a decided exempt test takes it out of the DIP.
    pub entry: Option<Uuid>,
    pub unit: Option<String>,
}

impl TestFields {
    /// What the public reads of a decided test (the DIK, its page, the API), with each text's
    /// field name and label: the personal-data check reads these before it is decided.
    pub fn public_texts(&self) -> [(&'static str, &'static str, &str); 6] {
        [
            (
                "information",
                "Informasi yang dikecualikan",
                &self.information,
            ),
            ("source", "Dokumen sumber", &self.source),
            ("other_law", "Undang-undang lain", &self.other_law),
            ("harm", "Konsekuensi bahaya", &self.harm),
            (
                "public_interest",
                "Kepentingan publik",
                &self.public_interest,
            ),
            (
                "redaction_plan",
                "Bagian yang dihitamkan",
                &self.redaction_plan,
            ),
        ]
    }
}

/// The form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawTest {
    pub information: Option<String>,
    pub source: Option<String>,
    #[serde(default)]
    pub grounds: Vec<String>,
    pub other_law: Option<String>,
    pub harm: Option<String>,
    pub public_interest: Option<String>,
    pub conclusion: Option<String>,
    pub redaction_plan: Option<String>,
    pub period_kind: Option<String>,
    pub period_until: Option<String>,
    pub period_event: Option<String>,
    pub trigger: Option<String>,
    pub request: Option<String>,
    pub entry: Option<String>,
    pub unit: Option<String>,
}

fn clean(e: &mut FieldErrors, field: &str, v: &Option<String>, max: usize) -> String {
    let t = v.as_deref().unwrap_or("").trim();
    if t.chars().count() > max {
        e.add(field, "too_long");
    }
    t.to_owned()
}

impl RawTest {
    /// Checks shapes only; a draft may be incomplete. Completeness is checked on submission.
    pub fn validate(&self) -> Result<TestFields, FieldErrors> {
        let mut e = FieldErrors::default();
        let information = clean(&mut e, "information", &self.information, MAX_TEXT);
        if information.is_empty() {
            // Even a draft needs to say what it is about.
            e.add("information", "required");
        }
        let source = clean(&mut e, "source", &self.source, MAX_TEXT);
        let other_law = clean(&mut e, "other_law", &self.other_law, MAX_LINE);
        let harm = clean(&mut e, "harm", &self.harm, MAX_TEXT);
        let public_interest = clean(&mut e, "public_interest", &self.public_interest, MAX_TEXT);
        let redaction_plan = clean(&mut e, "redaction_plan", &self.redaction_plan, MAX_TEXT);
        let mut grounds = Vec::new();
        for g in &self.grounds {
            match ExemptionGround::parse(&g.trim().to_lowercase()) {
                Some(g) if !grounds.contains(&g) => grounds.push(g),
                Some(_) => {}
                None => e.add("grounds", "invalid_choice"),
            }
        }
        grounds.sort();
        let conclusion = match self.conclusion.as_deref().map(str::trim) {
            None | Some("") => TestConclusion::Exempt,
            Some(c) => TestConclusion::parse(c).unwrap_or_else(|| {
                e.add("conclusion", "invalid_choice");
                TestConclusion::Exempt
            }),
        };
        let trigger = match self.trigger.as_deref().map(str::trim) {
            None | Some("") => TestTrigger::BeforeRequest,
            Some(t) => TestTrigger::parse(t).unwrap_or_else(|| {
                e.add("trigger", "invalid_choice");
                TestTrigger::BeforeRequest
            }),
        };
        let until = match self.period_until.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(d) => {
                let fmt = time::macros::format_description!("[year]-[month]-[day]");
                Date::parse(d, fmt).map(Some).unwrap_or_else(|_| {
                    e.add("period_until", "invalid_date");
                    None
                })
            }
        };
        let event = Some(clean(&mut e, "period_event", &self.period_event, MAX_LINE))
            .filter(|s| !s.is_empty());
        let period = match self.period_kind.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(k) => match PeriodKind::parse(k) {
                Some(kind) => Some(Period { kind, until, event }),
                None => {
                    e.add("period_kind", "invalid_choice");
                    None
                }
            },
        };
        let entry = match self.entry.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => Uuid::parse_str(s).map(Some).unwrap_or_else(|_| {
                e.add("entry", "invalid");
                None
            }),
        };
        let opt = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        if !e.is_empty() {
            return Err(e);
        }
        Ok(TestFields {
            information,
            source,
            grounds,
            other_law,
            harm,
            public_interest,
            conclusion,
            redaction_plan,
            period,
            trigger,
            request: opt(&self.request),
            entry,
            unit: opt(&self.unit),
        })
    }
}

impl TestFields {
    /// The four minimum fields of §3.6 (plus what the conclusion and period kind need).
    pub fn completeness_errors(&self) -> FieldErrors {
        let mut e = FieldErrors::default();
        if self.information.is_empty() {
            e.add("information", "required");
        }
        if self.grounds.is_empty() {
            e.add("grounds", "required");
        }
        if self.grounds.contains(&ExemptionGround::J) && self.other_law.is_empty() {
            e.add("other_law", "required_for_17j");
        }
        if self.harm.is_empty() {
            e.add("harm", "required");
        }
        if self.public_interest.is_empty() {
            e.add("public_interest", "required");
        }
        if self.conclusion == TestConclusion::PartiallyOpen && self.redaction_plan.is_empty() {
            e.add("redaction_plan", "required");
        }
        if self.trigger == TestTrigger::OnRequest && self.request.is_none() {
            e.add("request", "required");
        }
        match &self.period {
            None if self.conclusion != TestConclusion::Open => e.add("period_kind", "required"),
            None => {}
            Some(p) => {
                match p.kind {
                    PeriodKind::UntilDate if p.until.is_none() => e.add("period_until", "required"),
                    PeriodKind::UntilEvent if p.event.is_none() => {
                        e.add("period_event", "required")
                    }
                    _ => {}
                }
                // Pasal 20(1): exemptions on 17a–17f are not permanent, so they need an end date.
                if self.grounds.iter().any(|g| g.is_time_limited())
                    && p.kind != PeriodKind::UntilDate
                {
                    e.add("period_kind", "date_required_for_17a_17f");
                }
            }
        }
        e
    }
}

impl ExemptionGround {
    /// Grounds a–f of Pasal 17, which Pasal 20 makes temporary.
    pub fn is_time_limited(self) -> bool {
        matches!(
            self,
            Self::A | Self::B | Self::C | Self::D | Self::E | Self::F
        )
    }
}

/// The *penetapan* by the PPID (PP 61/2010 items 2 and 6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Determination {
    pub number: String,
    pub on: Date,
    pub place: String,
    pub official: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TestEvent {
    Drafted {
        fields: TestFields,
    },
    Amended {
        fields: TestFields,
    },
    /// DRAFT → DIUJI: the team has tested it; all minimum fields present.
    Submitted,
    /// DIUJI → DITETAPKAN.
    Decided(Determination),
    /// Yearly review: kept (next review in a year) or ended.
    Reviewed {
        on: Date,
        keep: bool,
        note: String,
    },
    /// The period ran out and the PPID declared the information open.
    Expired {
        on: Date,
        note: String,
    },
    /// A KI or court ruling ordered it opened (Pasal 11(2)).
    Annulled {
        on: Date,
        ruling: String,
    },
}

impl TestEvent {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Drafted { .. } => "drafted",
            Self::Amended { .. } => "amended",
            Self::Submitted => "submitted",
            Self::Decided(_) => "decided",
            Self::Reviewed { .. } => "reviewed",
            Self::Expired { .. } => "expired",
            Self::Annulled { .. } => "annulled",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestStatus {
    Draft,
    Tested,
    Decided,
    Expired,
    Annulled,
}

impl TestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Tested => "tested",
            Self::Decided => "decided",
            Self::Expired => "expired",
            Self::Annulled => "annulled",
        }
    }

    pub fn label_id(self) -> &'static str {
        match self {
            Self::Draft => "Draf",
            Self::Tested => "Sudah diuji",
            Self::Decided => "Ditetapkan",
            Self::Expired => "Berakhir (dibuka)",
            Self::Annulled => "Dibatalkan putusan",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TestError {
    #[error("the first event must draft the test")]
    NotDrafted,
    #[error("not allowed in status {0:?}")]
    NotAllowed(TestStatus),
    #[error("the test lacks required fields")]
    Incomplete(FieldErrors),
    #[error("the period ends after the 30-year limit")]
    PeriodTooLong,
    #[error("the period ends before the decision")]
    PeriodEndsBeforeDecision,
    #[error("the determination needs a number, place and official")]
    DeterminationIncomplete,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestState {
    pub fields: TestFields,
    pub status: TestStatus,
    pub determination: Option<Determination>,
    pub review_due: Option<Date>,
    pub ended_on: Option<Date>,
}

impl TestState {
    pub fn create(event: &TestEvent) -> Result<Self, TestError> {
        match event {
            TestEvent::Drafted { fields } => Ok(Self {
                fields: fields.clone(),
                status: TestStatus::Draft,
                determination: None,
                review_due: None,
                ended_on: None,
            }),
            _ => Err(TestError::NotDrafted),
        }
    }

    pub fn apply(&mut self, event: &TestEvent) -> Result<(), TestError> {
        use TestStatus::*;
        match (event, self.status) {
            (TestEvent::Drafted { .. }, s) => return Err(TestError::NotAllowed(s)),
            (TestEvent::Amended { fields }, Draft | Tested) => {
                self.fields = fields.clone();
                self.status = Draft;
            }
            (TestEvent::Submitted, Draft) => {
                let e = self.fields.completeness_errors();
                if !e.is_empty() {
                    return Err(TestError::Incomplete(e));
                }
                self.status = Tested;
            }
            (TestEvent::Decided(d), Tested) => {
                if d.number.trim().is_empty()
                    || d.place.trim().is_empty()
                    || d.official.trim().is_empty()
                {
                    return Err(TestError::DeterminationIncomplete);
                }
                if let Some(Period {
                    until: Some(until), ..
                }) = &self.fields.period
                {
                    if *until <= d.on {
                        return Err(TestError::PeriodEndsBeforeDecision);
                    }
                    if self.fields.grounds.iter().any(|g| g.is_time_limited())
                        && *until > add_years(d.on, MAX_PERIOD_YEARS)
                    {
                        return Err(TestError::PeriodTooLong);
                    }
                }
                self.status = Decided;
                self.review_due = Some(d.on + time::Duration::days(REVIEW_INTERVAL_DAYS));
                self.determination = Some(d.clone());
            }
            (TestEvent::Reviewed { on, keep, .. }, Decided) => {
                if *keep {
                    self.review_due = Some(*on + time::Duration::days(REVIEW_INTERVAL_DAYS));
                } else {
                    self.status = Expired;
                    self.ended_on = Some(*on);
                    self.review_due = None;
                }
            }
            (TestEvent::Expired { on, .. }, Decided) => {
                self.status = Expired;
                self.ended_on = Some(*on);
                self.review_due = None;
            }
            (TestEvent::Annulled { on, .. }, Decided) => {
                self.status = Annulled;
                self.ended_on = Some(*on);
                self.review_due = None;
            }
            (_, s) => return Err(TestError::NotAllowed(s)),
        }
        Ok(())
    }

    pub fn from_events<'a>(
        events: impl IntoIterator<Item = &'a TestEvent>,
    ) -> Result<Self, TestError> {
        let mut it = events.into_iter();
        let mut s = Self::create(it.next().ok_or(TestError::NotDrafted)?)?;
        for e in it {
            s.apply(e)?;
        }
        Ok(s)
    }

    /// The period has run out on `day` (the PPID still has to declare it open).
    pub fn lapsed(&self, day: Date) -> bool {
        matches!(&self.fields.period, Some(Period { kind: PeriodKind::UntilDate, until: Some(u), .. }) if *u < day)
    }

    /// The test closes information on `day`: decided, concluding (partly) exempt, period running.
    pub fn in_force(&self, day: Date) -> bool {
        self.status == TestStatus::Decided
            && self.fields.conclusion != TestConclusion::Open
            && self.determination.as_ref().is_some_and(|d| d.on <= day)
            && !self.lapsed(day)
    }

    /// Listed in the public DIK.
    pub fn listed_in_dik(&self, day: Date) -> bool {
        self.in_force(day)
    }

    /// Why a refusal citing this test on `day` with `grounds` is not allowed, if it is not.
    pub fn refusal_problem(&self, day: Date, grounds: &[ExemptionGround]) -> Option<&'static str> {
        if self.status != TestStatus::Decided {
            return Some("not_decided");
        }
        if !self.in_force(day) {
            return Some("not_in_force");
        }
        if grounds.iter().any(|g| !self.fields.grounds.contains(g)) {
            return Some("grounds_not_in_test");
        }
        None
    }
}

fn add_years(d: Date, years: i32) -> Date {
    let y = d.year() + years;
    Date::from_calendar_date(y, d.month(), d.day())
        .or_else(|_| Date::from_calendar_date(y, d.month(), d.day() - 1))
        .unwrap_or(d)
}

#[cfg(test)]
mod tests;
