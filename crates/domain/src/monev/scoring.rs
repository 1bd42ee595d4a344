//! The scores of §9.2 (indicator, SAQ, final) and the predicate (*kualifikasi*) of §9.3.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Answer, Indicator, Questionnaire};

fn yes_set(answers: &[Answer]) -> BTreeMap<&str, bool> {
    // The last answer to a question counts.
    answers
        .iter()
        .map(|a| (a.question.as_str(), a.yes))
        .collect()
}

/// One indicator's achievement, 0–100.
pub fn indicator_score(i: &Indicator, answers: &[Answer]) -> f64 {
    let yes = yes_set(answers);
    let total: f64 = i.questions.iter().map(|q| q.weight.max(0.0)).sum();
    if total <= 0.0 {
        return 0.0;
    }
    let got: f64 = i
        .questions
        .iter()
        .filter(|q| yes.get(q.code.as_str()).copied().unwrap_or(false))
        .map(|q| q.weight.max(0.0))
        .sum();
    (100.0 * got / total).clamp(0.0, 100.0)
}

/// The SAQ part, 0–100 (indicator weights normalised by their sum).
pub fn saq_score(q: &Questionnaire, answers: &[Answer]) -> f64 {
    let total: f64 = q.indicators.iter().map(|i| i.weight.max(0.0)).sum();
    if total <= 0.0 {
        return 0.0;
    }
    let s: f64 = q
        .indicators
        .iter()
        .map(|i| i.weight.max(0.0) * indicator_score(i, answers))
        .sum::<f64>()
        / total;
    s.clamp(0.0, 100.0)
}

/// The final score, 0–100: SAQ and presentation (*presentasi / uji publik*) by their weights.
pub fn score(q: &Questionnaire, answers: &[Answer], presentation_score: f64) -> f64 {
    let parts = q.saq_weight.max(0.0) + q.presentation_weight.max(0.0);
    if parts <= 0.0 {
        return 0.0;
    }
    let pres = if presentation_score.is_finite() {
        presentation_score.clamp(0.0, 100.0)
    } else {
        0.0
    };
    let s = (q.saq_weight.max(0.0) * saq_score(q, answers) + q.presentation_weight.max(0.0) * pres)
        / parts;
    s.clamp(0.0, 100.0)
}

/// The *kualifikasi* of §9.3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Predicate {
    TidakInformatif,
    KurangInformatif,
    CukupInformatif,
    MenujuInformatif,
    Informatif,
}

impl Predicate {
    /// From the unrounded score with `≥` thresholds. Floating-point noise below 1e-9 is
    /// ignored, so a sum that should be exactly 90 counts as 90.
    pub fn of(score: f64) -> Self {
        let s = if score.is_finite() { score + 1e-9 } else { 0.0 };
        if s >= 90.0 {
            Self::Informatif
        } else if s >= 80.0 {
            Self::MenujuInformatif
        } else if s >= 60.0 {
            Self::CukupInformatif
        } else if s >= 40.0 {
            Self::KurangInformatif
        } else {
            Self::TidakInformatif
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Informatif => "informatif",
            Self::MenujuInformatif => "menuju_informatif",
            Self::CukupInformatif => "cukup_informatif",
            Self::KurangInformatif => "kurang_informatif",
            Self::TidakInformatif => "tidak_informatif",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Informatif => "Informatif",
            Self::MenujuInformatif => "Menuju Informatif",
            Self::CukupInformatif => "Cukup Informatif",
            Self::KurangInformatif => "Kurang Informatif",
            Self::TidakInformatif => "Tidak Informatif",
        }
    }
}
