//! The Komisi Informasi's monitoring and evaluation (*monev*, domain spec §9): the yearly
//! self-assessment questionnaire (SAQ) as editable data, its score and predicate
//! (*kualifikasi*), the checks the system can answer from its own data, and the ranking of
//! bodies against their peers (*studi tiru*).
//!
//! Scoring (§9.2): `score_SAQ = Σ_i w_i × (Σ w_q of 'yes' / Σ w_q of indicator i)` with the
//! indicator weights summing to 100, and `final = (w_SAQ × score_SAQ + w_pres × score_pres) / 100`
//! with `w_SAQ + w_pres = 100`. The predicate is read from the unrounded score with `≥`
//! thresholds (§9.3), so 89.95 is *Menuju Informatif*.
//!
//! The built-in questionnaire is `monev/default.rs`, the scores and predicate
//! `monev/scoring.rs`, the comparison with peers `monev/peers.rs`.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

mod default;
mod peers;
mod scoring;

pub use peers::*;
pub use scoring::*;

/// A check the system answers from its own data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AutoCheck {
    DipPublished,
    DikPublished,
    /// The published register covers at least this percentage of the minimum checklist.
    ChecklistCompleteAtLeast(u8),
    ServiceStandardPublished,
    CharterPublished,
    OnlineRequestForm,
    RequestTracking,
    PublicRequestRegister,
    ObjectionForm,
    /// At least this percentage of the decided requests of the year were answered in time.
    OnTimeAtLeast(u8),
    AnnualFiguresAvailable,
    AnswersPublished,
}

/// What the system knows about a body for a year, gathered by the app.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Facts {
    pub dip_published: bool,
    pub dik_published: bool,
    /// Checklist coverage of the published register, 0–100.
    pub completeness: f64,
    pub service_standard: bool,
    pub charter: bool,
    pub on_time_percent: Option<f64>,
    pub requests_received: u64,
    pub answers_published: bool,
}

impl AutoCheck {
    /// The system's own answer.
    pub fn holds(self, f: &Facts) -> bool {
        match self {
            Self::DipPublished => f.dip_published,
            Self::DikPublished => f.dik_published,
            Self::ChecklistCompleteAtLeast(p) => f.completeness + 1e-9 >= f64::from(p),
            Self::ServiceStandardPublished => f.service_standard,
            Self::CharterPublished => f.charter,
            // Lentera itself provides these to every body.
            Self::OnlineRequestForm
            | Self::RequestTracking
            | Self::PublicRequestRegister
            | Self::ObjectionForm => true,
            Self::OnTimeAtLeast(p) => f.on_time_percent.is_some_and(|v| v + 1e-9 >= f64::from(p)),
            Self::AnnualFiguresAvailable => f.requests_received > 0,
            Self::AnswersPublished => f.answers_published,
        }
    }

    /// The public page that shows the evidence.
    pub fn evidence_url(self, slug: &str, year: i32) -> String {
        match self {
            Self::DipPublished | Self::ChecklistCompleteAtLeast(_) => format!("/b/{slug}/dip"),
            Self::DikPublished => format!("/b/{slug}/dik"),
            Self::ServiceStandardPublished | Self::CharterPublished => format!("/b/{slug}"),
            Self::OnlineRequestForm => format!("/b/{slug}/permohonan"),
            Self::RequestTracking => "/lacak".to_owned(),
            Self::PublicRequestRegister => format!("/b/{slug}/register"),
            Self::ObjectionForm => format!("/b/{slug}/keberatan"),
            Self::OnTimeAtLeast(_) | Self::AnnualFiguresAvailable => {
                format!("/api/v1/reports/annual?body={slug}&year={year}")
            }
            Self::AnswersPublished => format!("/b/{slug}/jawaban"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub code: String,
    pub text: String,
    /// Relative weight within its indicator (> 0).
    pub weight: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto: Option<AutoCheck>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub code: String,
    pub label: String,
    /// Share of the SAQ score (the indicators' weights sum to 100).
    pub weight: f64,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Questionnaire {
    pub year: i32,
    /// Share of the final score taken by the SAQ; with `presentation_weight` sums to 100.
    pub saq_weight: f64,
    pub presentation_weight: f64,
    pub indicators: Vec<Indicator>,
}

/// An answer to one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub question: String,
    pub yes: bool,
    /// URL of the evidence (*data dukung*).
    #[serde(default)]
    pub evidence: Option<String>,
    #[serde(default)]
    pub note: String,
}

/// Why a questionnaire cannot be used; the string names the place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuestionnaireError {
    #[error("indicator weights do not sum to 100")]
    IndicatorWeights,
    #[error("SAQ and presentation weights do not sum to 100")]
    PartWeights,
    #[error("duplicate code {0}")]
    DuplicateCode(String),
    #[error("invalid weight at {0}")]
    Weight(String),
    #[error("empty {0}")]
    Empty(String),
}

const TOLERANCE: f64 = 0.01;

impl Questionnaire {
    /// Weights sum to 100 (± 0.01), every weight positive and finite, codes unique.
    pub fn validate(&self) -> Result<(), QuestionnaireError> {
        let ok = |w: f64| w.is_finite() && w > 0.0;
        if !(self.saq_weight.is_finite()
            && self.presentation_weight.is_finite()
            && self.saq_weight >= 0.0
            && self.presentation_weight >= 0.0)
        {
            return Err(QuestionnaireError::Weight("saq_weight".into()));
        }
        if (self.saq_weight + self.presentation_weight - 100.0).abs() > TOLERANCE {
            return Err(QuestionnaireError::PartWeights);
        }
        if self.indicators.is_empty() {
            return Err(QuestionnaireError::Empty("indicators".into()));
        }
        let mut codes = BTreeSet::new();
        let mut sum = 0.0;
        for i in &self.indicators {
            if !ok(i.weight) {
                return Err(QuestionnaireError::Weight(i.code.clone()));
            }
            if i.code.trim().is_empty() || !codes.insert(i.code.clone()) {
                return Err(QuestionnaireError::DuplicateCode(i.code.clone()));
            }
            if i.questions.is_empty() {
                return Err(QuestionnaireError::Empty(i.code.clone()));
            }
            sum += i.weight;
            for q in &i.questions {
                if !ok(q.weight) {
                    return Err(QuestionnaireError::Weight(q.code.clone()));
                }
                if q.code.trim().is_empty() || !codes.insert(q.code.clone()) {
                    return Err(QuestionnaireError::DuplicateCode(q.code.clone()));
                }
            }
        }
        if (sum - 100.0).abs() > TOLERANCE {
            return Err(QuestionnaireError::IndicatorWeights);
        }
        Ok(())
    }

    pub fn questions(&self) -> impl Iterator<Item = (&Indicator, &Question)> {
        self.indicators
            .iter()
            .flat_map(|i| i.questions.iter().map(move |q| (i, q)))
    }
}

/// The officer's answers folded from the event log.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AssessmentState {
    pub answers: BTreeMap<String, Answer>,
    pub presentation_score: Option<f64>,
}

/// One event of a body's assessment of a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MonevEvent {
    Answered {
        answers: Vec<Answer>,
        #[serde(default)]
        presentation_score: Option<f64>,
    },
}

impl MonevEvent {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Answered { .. } => "answered",
        }
    }
}

impl AssessmentState {
    pub fn apply(&mut self, e: &MonevEvent) {
        match e {
            MonevEvent::Answered {
                answers,
                presentation_score,
            } => {
                for a in answers {
                    self.answers.insert(a.question.clone(), a.clone());
                }
                if let Some(p) = presentation_score {
                    self.presentation_score = Some(p.clamp(0.0, 100.0));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
