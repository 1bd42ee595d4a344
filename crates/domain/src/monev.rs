//! The Komisi Informasi's monitoring and evaluation (*monev*, domain spec §9): the yearly
//! self-assessment questionnaire (SAQ) as editable data, its score and predicate
//! (*kualifikasi*), the checks the system can answer from its own data, and the ranking of
//! bodies against their peers (*studi tiru*).
//!
//! Scoring (§9.2): `score_SAQ = Σ_i w_i × (Σ w_q of 'yes' / Σ w_q of indicator i)` with the
//! indicator weights summing to 100, and `final = (w_SAQ × score_SAQ + w_pres × score_pres) / 100`
//! with `w_SAQ + w_pres = 100`. The predicate is read from the unrounded score with `≥`
//! thresholds (§9.3), so 89.95 is *Menuju Informatif*.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

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

fn q(code: &str, text: &str, weight: f64, auto: Option<AutoCheck>) -> Question {
    Question {
        code: code.to_owned(),
        text: text.to_owned(),
        weight,
        auto,
    }
}

impl Questionnaire {
    /// The built-in questionnaire, after the KI DKI 2025 indicators (§9.2) and the SAQ-driven
    /// checklist of §9.4; SAQ 80 %, presentation 20 %.
    pub fn default_for(year: i32) -> Self {
        use AutoCheck as A;
        let ind = |code: &str, label: &str, weight: f64, questions: Vec<Question>| Indicator {
            code: code.to_owned(),
            label: label.to_owned(),
            weight,
            questions,
        };
        Self {
            year,
            saq_weight: 80.0,
            presentation_weight: 20.0,
            indicators: vec![
                ind(
                    "kualitas_informasi",
                    "Kualitas informasi",
                    20.0,
                    vec![
                        q(
                            "KI1",
                            "Profil PPID (SK PPID, struktur organisasi, tugas dan fungsi) diumumkan",
                            1.0,
                            None,
                        ),
                        q(
                            "KI2",
                            "Daftar Informasi Publik tahun berjalan diumumkan dalam format Perki",
                            2.0,
                            Some(A::DipPublished),
                        ),
                        q(
                            "KI3",
                            "Daftar informasi publik memenuhi sekurang-kurangnya 80% daftar periksa minimum",
                            2.0,
                            Some(A::ChecklistCompleteAtLeast(80)),
                        ),
                        q(
                            "KI4",
                            "Laporan layanan informasi publik tahunan dan ringkasannya tersedia",
                            1.0,
                            Some(A::AnnualFiguresAvailable),
                        ),
                        q(
                            "KI5",
                            "Regulasi keterbukaan informasi (UU KIP, PP 61/2010, Perki, SOP) diumumkan",
                            1.0,
                            None,
                        ),
                    ],
                ),
                ind(
                    "sarana_prasarana",
                    "Sarana dan prasarana",
                    15.0,
                    vec![
                        q(
                            "SP1",
                            "Menu PPID terintegrasi pada laman utama dan ramah perangkat seluler",
                            1.0,
                            None,
                        ),
                        q("SP2", "Ruang layanan informasi tersedia", 1.0, None),
                        q(
                            "SP3",
                            "Akses bagi penyandang disabilitas (termasuk maklumat dalam audio/visual/braille)",
                            1.0,
                            None,
                        ),
                        q(
                            "SP4",
                            "Formulir permohonan informasi daring tersedia",
                            1.0,
                            Some(A::OnlineRequestForm),
                        ),
                        q(
                            "SP5",
                            "Formulir keberatan tersedia",
                            1.0,
                            Some(A::ObjectionForm),
                        ),
                    ],
                ),
                ind(
                    "jenis_informasi",
                    "Jenis informasi",
                    20.0,
                    vec![
                        q(
                            "JI1",
                            "Informasi berkala diumumkan",
                            1.0,
                            Some(A::ChecklistCompleteAtLeast(50)),
                        ),
                        q("JI2", "Informasi serta merta diumumkan bila ada", 1.0, None),
                        q(
                            "JI3",
                            "Informasi tersedia setiap saat diumumkan",
                            1.0,
                            Some(A::DipPublished),
                        ),
                        q(
                            "JI4",
                            "Daftar Informasi yang Dikecualikan beserta uji konsekuensi diumumkan",
                            1.0,
                            Some(A::DikPublished),
                        ),
                        q(
                            "JI5",
                            "Jawaban atas permohonan informasi dipublikasikan",
                            1.0,
                            Some(A::AnswersPublished),
                        ),
                    ],
                ),
                ind(
                    "pelayanan_informasi",
                    "Pelayanan informasi",
                    20.0,
                    vec![
                        q(
                            "PI1",
                            "Standar layanan (waktu, biaya, prosedur) diumumkan",
                            1.0,
                            Some(A::ServiceStandardPublished),
                        ),
                        q(
                            "PI2",
                            "Maklumat pelayanan informasi diumumkan",
                            1.0,
                            Some(A::CharterPublished),
                        ),
                        q(
                            "PI3",
                            "Status permohonan dapat dilacak pemohon",
                            1.0,
                            Some(A::RequestTracking),
                        ),
                        q(
                            "PI4",
                            "Register permohonan diumumkan tanpa data pribadi",
                            1.0,
                            Some(A::PublicRequestRegister),
                        ),
                        q(
                            "PI5",
                            "Sekurang-kurangnya 90% permohonan dijawab dalam jangka waktu",
                            2.0,
                            Some(A::OnTimeAtLeast(90)),
                        ),
                        q(
                            "PI6",
                            "Putusan mediasi/ajudikasi dilaksanakan dan buktinya diumumkan",
                            1.0,
                            None,
                        ),
                    ],
                ),
                ind(
                    "komitmen_organisasi",
                    "Komitmen organisasi",
                    10.0,
                    vec![
                        q(
                            "KO1",
                            "SK PPID dan PPID Pelaksana ditetapkan pimpinan",
                            1.0,
                            None,
                        ),
                        q("KO2", "Anggaran layanan informasi tersedia", 1.0, None),
                        q(
                            "KO3",
                            "Pimpinan menetapkan kebijakan keterbukaan informasi",
                            1.0,
                            None,
                        ),
                        q(
                            "KO4",
                            "Petugas layanan informasi mendapat pelatihan",
                            1.0,
                            None,
                        ),
                    ],
                ),
                ind(
                    "digitalisasi",
                    "Digitalisasi",
                    15.0,
                    vec![
                        q(
                            "DG1",
                            "Permohonan dapat diajukan dan dipantau secara daring",
                            1.0,
                            Some(A::OnlineRequestForm),
                        ),
                        q(
                            "DG2",
                            "Daftar informasi dapat diunduh (CSV/XLSX)",
                            1.0,
                            Some(A::DipPublished),
                        ),
                        q(
                            "DG3",
                            "Statistik layanan tahunan tersedia secara daring",
                            1.0,
                            Some(A::AnnualFiguresAvailable),
                        ),
                        q(
                            "DG4",
                            "Survei kepuasan layanan dilakukan dan hasilnya diumumkan",
                            1.0,
                            None,
                        ),
                        q("DG5", "Inovasi layanan informasi", 1.0, None),
                    ],
                ),
            ],
        }
    }

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

// ---------------------------------------------------------------- comparison (studi tiru)

/// The indicators of the comparison, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeerIndicator {
    OnTime,
    MedianDays,
    ObjectionRate,
    Completeness,
    SelfAssessment,
}

impl PeerIndicator {
    pub const ALL: [Self; 5] = [
        Self::OnTime,
        Self::MedianDays,
        Self::ObjectionRate,
        Self::Completeness,
        Self::SelfAssessment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::OnTime => "on_time",
            Self::MedianDays => "median_days",
            Self::ObjectionRate => "objection_rate",
            Self::Completeness => "completeness",
            Self::SelfAssessment => "self_assessment",
        }
    }

    pub fn higher_is_better(self) -> bool {
        !matches!(self, Self::MedianDays | Self::ObjectionRate)
    }

    /// Points 0–100 for the composite: percentages as they are; the median as
    /// `100 × (1 − days / 20)` (20 working days is past every legal limit); the objection rate
    /// as `100 − rate`.
    pub fn points(self, value: f64) -> f64 {
        let p = match self {
            Self::MedianDays => 100.0 * (1.0 - value / 20.0),
            Self::ObjectionRate => 100.0 - value,
            _ => value,
        };
        if p.is_finite() {
            p.clamp(0.0, 100.0)
        } else {
            0.0
        }
    }
}

/// One body's figures; `None` where there is nothing to measure (no decided request).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeerFigures {
    pub slug: String,
    /// By [`PeerIndicator::ALL`] order.
    pub values: [Option<f64>; 5],
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BestPeer {
    pub indicator: PeerIndicator,
    pub slug: String,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeerRanking {
    pub slug: String,
    pub rank: usize,
    /// Mean of the indicators' points; an indicator without a value counts 0 ("no data, no
    /// points"), so a body cannot climb by having no requests.
    pub composite: f64,
    /// Rank among the bodies having a value, per indicator (1 = best).
    pub ranks: [Option<usize>; 5],
    pub strongest: Option<PeerIndicator>,
    pub weakest: Option<PeerIndicator>,
    /// Per indicator, the best peer doing better than this body.
    pub learn_from: Vec<BestPeer>,
}

fn better(ind: PeerIndicator, a: f64, b: f64) -> bool {
    if ind.higher_is_better() { a > b } else { a < b }
}

/// Ranks bodies by composite (ties by slug), with strongest and weakest indicators by relative
/// rank among the peers having a value, and whom to learn from on each indicator.
pub fn rank_peers(bodies: &[PeerFigures]) -> Vec<PeerRanking> {
    let n_ind = PeerIndicator::ALL.len();
    let mut out: Vec<PeerRanking> = bodies
        .iter()
        .map(|b| {
            let composite = PeerIndicator::ALL
                .iter()
                .enumerate()
                .map(|(k, ind)| b.values[k].map_or(0.0, |v| ind.points(v)))
                .sum::<f64>()
                / n_ind as f64;
            let mut ranks = [None; 5];
            let mut learn_from = Vec::new();
            let mut rel: Vec<(f64, PeerIndicator)> = Vec::new();
            for (k, ind) in PeerIndicator::ALL.iter().enumerate() {
                let Some(v) = b.values[k] else { continue };
                let others: Vec<(&str, f64)> = bodies
                    .iter()
                    .filter_map(|o| o.values[k].map(|x| (o.slug.as_str(), x)))
                    .collect();
                let rank = 1 + others.iter().filter(|(_, x)| better(*ind, *x, v)).count();
                ranks[k] = Some(rank);
                if others.len() > 1 {
                    rel.push(((rank - 1) as f64 / (others.len() - 1) as f64, *ind));
                }
                if let Some((slug, x)) = others
                    .iter()
                    .filter(|(s, x)| *s != b.slug && better(*ind, *x, v))
                    .fold(None::<(&str, f64)>, |best, (s, x)| match best {
                        Some((_, bx)) if !better(*ind, *x, bx) => best,
                        _ => Some((s, *x)),
                    })
                {
                    learn_from.push(BestPeer {
                        indicator: *ind,
                        slug: slug.to_owned(),
                        value: x,
                    });
                }
            }
            let strongest = rel
                .iter()
                .fold(None::<(f64, PeerIndicator)>, |m, &(r, i)| match m {
                    Some((mr, _)) if mr <= r => m,
                    _ => Some((r, i)),
                })
                .map(|(_, i)| i);
            let weakest = rel
                .iter()
                .fold(None::<(f64, PeerIndicator)>, |m, &(r, i)| match m {
                    Some((mr, _)) if mr >= r => m,
                    _ => Some((r, i)),
                })
                .map(|(_, i)| i);
            PeerRanking {
                slug: b.slug.clone(),
                rank: 0,
                composite,
                ranks,
                strongest,
                weakest: if weakest == strongest { None } else { weakest },
                learn_from,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.composite
            .total_cmp(&a.composite)
            .then_with(|| a.slug.cmp(&b.slug))
    });
    for (i, r) in out.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn all(q: &Questionnaire, yes: bool) -> Vec<Answer> {
        q.questions()
            .map(|(_, x)| Answer {
                question: x.code.clone(),
                yes,
                evidence: None,
                note: String::new(),
            })
            .collect()
    }

    #[test]
    fn default_questionnaire_is_valid_with_six_indicators() {
        let q = Questionnaire::default_for(2026);
        assert_eq!(q.validate(), Ok(()));
        assert_eq!(q.indicators.len(), 6);
        assert!(
            q.indicators
                .iter()
                .all(|i| (4..=6).contains(&i.questions.len()))
        );
        let json = serde_json::to_string(&q).expect("json");
        let back: Questionnaire = serde_json::from_str(&json).expect("back");
        assert_eq!(back, q);
    }

    #[test]
    fn validation_finds_bad_weights_and_duplicates() {
        let mut q = Questionnaire::default_for(2026);
        q.indicators[0].weight += 1.0;
        assert_eq!(q.validate(), Err(QuestionnaireError::IndicatorWeights));
        let mut q = Questionnaire::default_for(2026);
        q.indicators[0].weight += 0.005;
        q.indicators[1].weight -= 0.0;
        assert_eq!(q.validate(), Ok(()));
        let mut q = Questionnaire::default_for(2026);
        q.indicators[1].questions[0].code = "KI1".into();
        assert_eq!(
            q.validate(),
            Err(QuestionnaireError::DuplicateCode("KI1".into()))
        );
        let mut q = Questionnaire::default_for(2026);
        q.presentation_weight = 30.0;
        assert_eq!(q.validate(), Err(QuestionnaireError::PartWeights));
        let mut q = Questionnaire::default_for(2026);
        q.indicators[2].questions[1].weight = 0.0;
        assert!(matches!(q.validate(), Err(QuestionnaireError::Weight(_))));
    }

    #[test]
    fn predicate_examples_of_spec_13_4() {
        use Predicate::*;
        for (s, p) in [
            (100.0, Informatif),
            (90.0, Informatif),
            (89.99, MenujuInformatif),
            (89.95, MenujuInformatif),
            (80.0, MenujuInformatif),
            (79.99, CukupInformatif),
            (60.0, CukupInformatif),
            (59.99, KurangInformatif),
            (40.0, KurangInformatif),
            (39.99, TidakInformatif),
            (0.0, TidakInformatif),
        ] {
            assert_eq!(Predicate::of(s), p, "{s}");
        }
        assert_eq!(Predicate::of(f64::NAN), TidakInformatif);
    }

    #[test]
    fn all_yes_with_full_presentation_is_100_and_none_is_0() {
        let q = Questionnaire::default_for(2026);
        let s = score(&q, &all(&q, true), 100.0);
        assert!((s - 100.0).abs() < 1e-9, "{s}");
        assert_eq!(Predicate::of(s), Predicate::Informatif);
        assert_eq!(score(&q, &all(&q, false), 0.0), 0.0);
        // SAQ only, without presentation: 80.
        assert!((score(&q, &all(&q, true), 0.0) - 80.0).abs() < 1e-9);
    }

    #[test]
    fn formula_of_spec_9_2() {
        // One indicator half answered (by weight) → its weight × 50 %.
        let q = Questionnaire::default_for(2026);
        let first = &q.indicators[0];
        let answers = vec![Answer {
            question: "KI2".into(),
            yes: true,
            evidence: None,
            note: String::new(),
        }];
        // KI2 has weight 2 of 7 in an indicator of weight 20.
        let expect = 20.0 * 2.0 / 7.0;
        assert!((saq_score(&q, &answers) - expect).abs() < 1e-9);
        assert!((indicator_score(first, &answers) - 200.0 / 7.0).abs() < 1e-9);
        assert!((score(&q, &answers, 50.0) - (0.8 * expect + 10.0)).abs() < 1e-9);
    }

    #[test]
    fn auto_checks_read_the_facts() {
        let f = Facts {
            dip_published: true,
            completeness: 80.0,
            on_time_percent: Some(90.0),
            ..Facts::default()
        };
        assert!(AutoCheck::DipPublished.holds(&f));
        assert!(!AutoCheck::DikPublished.holds(&f));
        assert!(AutoCheck::ChecklistCompleteAtLeast(80).holds(&f));
        assert!(!AutoCheck::ChecklistCompleteAtLeast(81).holds(&f));
        assert!(AutoCheck::OnTimeAtLeast(90).holds(&f));
        assert!(!AutoCheck::OnTimeAtLeast(91).holds(&f));
        assert!(!AutoCheck::OnTimeAtLeast(0).holds(&Facts::default()));
        assert_eq!(
            AutoCheck::DipPublished.evidence_url("kab-a", 2026),
            "/b/kab-a/dip"
        );
        assert_eq!(
            AutoCheck::AnnualFiguresAvailable.evidence_url("kab-a", 2025),
            "/api/v1/reports/annual?body=kab-a&year=2025"
        );
        let j = serde_json::to_string(&AutoCheck::OnTimeAtLeast(90)).expect("json");
        assert_eq!(j, r#"{"on_time_at_least":90}"#);
        assert_eq!(
            serde_json::to_string(&AutoCheck::DipPublished).expect("json"),
            r#""dip_published""#
        );
    }

    #[test]
    fn later_answers_replace_earlier_ones_in_the_fold() {
        let mut s = AssessmentState::default();
        let a = |yes| Answer {
            question: "KI1".into(),
            yes,
            evidence: None,
            note: String::new(),
        };
        s.apply(&MonevEvent::Answered {
            answers: vec![a(true)],
            presentation_score: Some(120.0),
        });
        s.apply(&MonevEvent::Answered {
            answers: vec![a(false)],
            presentation_score: None,
        });
        assert!(!s.answers["KI1"].yes);
        assert_eq!(s.presentation_score, Some(100.0));
    }

    #[test]
    fn peers_are_ranked_with_strongest_weakest_and_whom_to_learn_from() {
        let b = |slug: &str, v: [Option<f64>; 5]| PeerFigures {
            slug: slug.into(),
            values: v,
        };
        let r = rank_peers(&[
            b("kab-b", [None, None, None, Some(40.0), Some(50.0)]),
            b(
                "kab-a",
                [Some(100.0), Some(3.0), Some(0.0), Some(20.0), Some(70.0)],
            ),
        ]);
        assert_eq!(r[0].slug, "kab-a");
        assert_eq!(r[0].rank, 1);
        assert_eq!(r[1].rank, 2);
        assert_eq!(r[0].weakest, Some(PeerIndicator::Completeness));
        assert_eq!(r[0].strongest, Some(PeerIndicator::SelfAssessment));
        assert_eq!(
            r[0].learn_from,
            vec![BestPeer {
                indicator: PeerIndicator::Completeness,
                slug: "kab-b".into(),
                value: 40.0
            }]
        );
        assert_eq!(r[1].strongest, Some(PeerIndicator::Completeness));
        assert_eq!(r[1].learn_from.len(), 1);
        assert_eq!(r[1].ranks[4], Some(2));
        assert!(rank_peers(&[]).is_empty());
    }

    fn answers_strategy(n: usize) -> impl Strategy<Value = Vec<bool>> {
        proptest::collection::vec(any::<bool>(), n)
    }

    fn to_answers(q: &Questionnaire, yes: &[bool]) -> Vec<Answer> {
        q.questions()
            .zip(yes)
            .map(|((_, x), y)| Answer {
                question: x.code.clone(),
                yes: *y,
                evidence: None,
                note: String::new(),
            })
            .collect()
    }

    proptest! {
        #[test]
        fn score_is_within_0_and_100(yes in answers_strategy(30), pres in -50.0f64..200.0) {
            let q = Questionnaire::default_for(2026);
            let s = score(&q, &to_answers(&q, &yes), pres);
            prop_assert!((0.0..=100.0).contains(&s), "{}", s);
        }

        #[test]
        fn adding_a_yes_never_lowers_the_score(yes in answers_strategy(30), k in 0usize..30, pres in 0.0f64..100.0) {
            let q = Questionnaire::default_for(2026);
            let before = score(&q, &to_answers(&q, &yes), pres);
            let mut more = yes.clone();
            if let Some(x) = more.get_mut(k) { *x = true; }
            let after = score(&q, &to_answers(&q, &more), pres);
            prop_assert!(after + 1e-9 >= before);
        }

        #[test]
        fn predicate_is_monotone(a in -10.0f64..110.0, b in -10.0f64..110.0) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(Predicate::of(lo) <= Predicate::of(hi));
        }

        #[test]
        fn all_yes_is_100_for_any_valid_weights(ws in proptest::collection::vec(1u32..50, 6), qw in proptest::collection::vec(1u32..9, 30)) {
            let mut q = Questionnaire::default_for(2026);
            let total: u32 = ws.iter().sum();
            let mut acc = 0.0;
            let n = q.indicators.len();
            for (i, ind) in q.indicators.iter_mut().enumerate() {
                ind.weight = if i + 1 == n { 100.0 - acc } else { 100.0 * f64::from(ws[i]) / f64::from(total) };
                acc += ind.weight;
            }
            for ((_, x), w) in q.indicators.iter_mut().flat_map(|i| i.questions.iter_mut().map(|x| ((), x))).zip(&qw) {
                x.weight = f64::from(*w);
            }
            prop_assert!(q.validate().is_ok());
            let s = score(&q, &all(&q, true), 100.0);
            prop_assert!((s - 100.0).abs() < 1e-9);
            prop_assert_eq!(Predicate::of(s), Predicate::Informatif);
        }
    }
}
