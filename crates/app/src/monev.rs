//! The Komisi Informasi self-assessment (monev/SAQ, domain spec §9): the questionnaire of a
//! year (edited or the built-in default), the officer's answers from the event log, the
//! system's own answers with their evidence, the score and predicate, and the evidence export.
//!
//! The score counts, per question, the officer's answer when there is one and otherwise the
//! system's answer (auto questions), so a body that never filled the form still gets the score
//! its public data earns. Without a presentation score the final score is the SAQ score alone
//! (`provisional`), since the presentation stage is held only for some bodies.

use lentera_domain::Role;
use lentera_domain::monev::{
    Answer, AssessmentState, AutoCheck, Facts, MonevEvent, Predicate, Questionnaire,
    indicator_score, saq_score, score,
};
use lentera_store::monev as store;
use lentera_store::requests::NewEvent;
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::OfficerCtx;
use crate::{App, AppError, BodyEntry};

fn corrupt(e: impl std::fmt::Display) -> AppError {
    AppError::Unexpected(anyhow::anyhow!("stored monev data unreadable: {e}"))
}

/// The system's own answer to an auto question.
#[derive(Debug, Clone, Serialize)]
pub struct SystemAnswer {
    pub check: AutoCheck,
    pub yes: bool,
    pub evidence: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionView {
    pub code: String,
    pub text: String,
    pub weight: f64,
    pub system: Option<SystemAnswer>,
    /// The officer's answer (the note only for officers of the body).
    pub officer: Option<Answer>,
    /// What counts: the officer's answer, else the system's.
    pub yes: bool,
    pub evidence: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorView {
    pub code: String,
    pub label: String,
    pub weight: f64,
    /// Achievement of the indicator, 0–100.
    pub score: f64,
    pub questions: Vec<QuestionView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SelfAssessmentView {
    pub body: String,
    pub body_name: String,
    pub year: i32,
    /// `default` or `edited`.
    pub questionnaire: &'static str,
    pub saq_weight: f64,
    pub presentation_weight: f64,
    pub indicators: Vec<IndicatorView>,
    pub facts: Facts,
    pub saq_score: f64,
    pub presentation_score: Option<f64>,
    pub score: f64,
    pub predicate: Predicate,
    pub predicate_label: &'static str,
    /// No presentation score yet: the score is the SAQ alone.
    pub provisional: bool,
    pub event_count: i64,
    pub updated_at: Option<OffsetDateTime>,
}

fn year_ok(year: i32) -> Result<i64, AppError> {
    if (2000..=2100).contains(&year) {
        Ok(i64::from(year))
    } else {
        Err(AppError::field("year", "out_of_range"))
    }
}

impl App {
    /// The questionnaire of a year: the edited one, else the built-in default.
    pub async fn questionnaire(&self, year: i32) -> Result<(Questionnaire, bool), AppError> {
        let y = year_ok(year)?;
        match store::questionnaire(&self.db, y).await? {
            Some(row) => {
                let q: Questionnaire = serde_json::from_str(&row.data).map_err(corrupt)?;
                Ok((q, true))
            }
            None => Ok((Questionnaire::default_for(year), false)),
        }
    }

    /// Replaces a year's questionnaire (admins only); it must validate.
    pub async fn set_questionnaire(
        &self,
        officer: &OfficerCtx,
        year: i32,
        json: &str,
    ) -> Result<Questionnaire, AppError> {
        if officer.role != Role::Admin {
            return Err(AppError::Forbidden);
        }
        let y = year_ok(year)?;
        let mut q: Questionnaire = serde_json::from_str(json)
            .map_err(|_| AppError::field("questionnaire", "invalid_json"))?;
        q.year = year;
        q.validate()
            .map_err(|_| AppError::field("questionnaire", "invalid"))?;
        let data = serde_json::to_string(&q).map_err(|e| AppError::Unexpected(e.into()))?;
        store::put_questionnaire(&self.db, y, &data, self.now()).await?;
        Ok(q)
    }

    /// What the system knows about a body for the checks.
    pub async fn monev_facts(&self, body: &BodyEntry, year: i32) -> Result<Facts, AppError> {
        let slug = body.row.slug.as_str();
        let reg = self.public_register(slug).await?;
        let report = self.annual_report(slug, year, None).await?;
        let answers = self.recent_publications(Some(slug), 1).await?;
        Ok(Facts {
            dip_published: reg.dip.iter().any(|(_, l)| l.iter().any(|e| e.published)),
            dik_published: !reg.dik.is_empty(),
            completeness: reg.completeness,
            service_standard: !body.row.service_hours.trim().is_empty(),
            charter: !body.row.charter.trim().is_empty(),
            on_time_percent: report.figures.requests.service_time.on_time_percent,
            requests_received: report.figures.requests.received,
            answers_published: !answers.is_empty(),
        })
    }

    /// The self-assessment of a body for a year, for the public or an officer.
    pub async fn self_assessment(
        &self,
        viewer: Option<&OfficerCtx>,
        slug: &str,
        year: i32,
    ) -> Result<SelfAssessmentView, AppError> {
        let y = year_ok(year)?;
        let body = self
            .body_by_slug(slug)
            .await?
            .ok_or(AppError::NotFound("body.not_found"))?;
        let (q, edited) = self.questionnaire(year).await?;
        let facts = self.monev_facts(&body, year).await?;
        let row = store::assessment(&self.db, body.row.id, y).await?;
        let state: AssessmentState = match &row {
            Some(r) => serde_json::from_str(&r.state).map_err(corrupt)?,
            None => AssessmentState::default(),
        };
        let sees_notes = viewer.is_some_and(|o| o.home.row.id == body.row.id);
        let mut effective = Vec::new();
        let mut indicators = Vec::new();
        for i in &q.indicators {
            let mut questions = Vec::new();
            let mut own = Vec::new();
            for x in &i.questions {
                let system = x.auto.map(|check| SystemAnswer {
                    check,
                    yes: check.holds(&facts),
                    evidence: check.evidence_url(&body.row.slug, year),
                });
                let officer = state.answers.get(&x.code).cloned().map(|mut a| {
                    if !sees_notes {
                        a.note = String::new();
                    }
                    a
                });
                let (yes, evidence) = match (&officer, &system) {
                    (Some(a), s) => (
                        a.yes,
                        a.evidence
                            .clone()
                            .or_else(|| s.as_ref().filter(|s| s.yes).map(|s| s.evidence.clone())),
                    ),
                    (None, Some(s)) => (s.yes, s.yes.then(|| s.evidence.clone())),
                    (None, None) => (false, None),
                };
                let a = Answer {
                    question: x.code.clone(),
                    yes,
                    evidence: evidence.clone(),
                    note: String::new(),
                };
                own.push(a.clone());
                effective.push(a);
                questions.push(QuestionView {
                    code: x.code.clone(),
                    text: x.text.clone(),
                    weight: x.weight,
                    system,
                    officer,
                    yes,
                    evidence,
                });
            }
            indicators.push(IndicatorView {
                code: i.code.clone(),
                label: i.label.clone(),
                weight: i.weight,
                score: indicator_score(i, &own),
                questions,
            });
        }
        let saq = saq_score(&q, &effective);
        let total = match state.presentation_score {
            Some(p) => score(&q, &effective, p),
            None => saq,
        };
        let predicate = Predicate::of(total);
        Ok(SelfAssessmentView {
            body: body.row.slug.clone(),
            body_name: body.row.name.clone(),
            year,
            questionnaire: if edited { "edited" } else { "default" },
            saq_weight: q.saq_weight,
            presentation_weight: q.presentation_weight,
            indicators,
            facts,
            saq_score: saq,
            presentation_score: state.presentation_score,
            score: total,
            predicate,
            predicate_label: predicate.label(),
            provisional: state.presentation_score.is_none(),
            event_count: row.as_ref().map_or(0, |r| r.event_count),
            updated_at: row.map(|r| r.updated_at),
        })
    }

    /// Records answers (the PPID of the body only). Unknown question codes and evidence that
    /// is not a URL or site path are refused.
    pub async fn answer_monev(
        &self,
        officer: &OfficerCtx,
        slug: &str,
        year: i32,
        answers: Vec<Answer>,
        presentation_score: Option<f64>,
    ) -> Result<SelfAssessmentView, AppError> {
        let y = year_ok(year)?;
        let body = self
            .body_by_slug(slug)
            .await?
            .ok_or(AppError::NotFound("body.not_found"))?;
        if officer.role != Role::Ppid || officer.home.row.id != body.row.id {
            return Err(AppError::Forbidden);
        }
        let (q, _) = self.questionnaire(year).await?;
        let mut e = lentera_domain::submission::FieldErrors::default();
        let mut clean = Vec::with_capacity(answers.len());
        for mut a in answers {
            let field = format!("answers.{}", a.question);
            if !q.questions().any(|(_, x)| x.code == a.question) {
                e.add(&field, "unknown_question");
                continue;
            }
            a.evidence = a
                .evidence
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty());
            if a.evidence.as_ref().is_some_and(|ev| {
                ev.len() > 2000
                    || !(ev.starts_with("https://")
                        || ev.starts_with("http://")
                        || ev.starts_with('/'))
            }) {
                e.add(&format!("{field}.evidence"), "invalid_url");
            }
            a.note = a.note.trim().chars().take(2000).collect();
            clean.push(a);
        }
        if let Some(p) = presentation_score
            && !(p.is_finite() && (0.0..=100.0).contains(&p))
        {
            e.add("presentation_score", "out_of_range");
        }
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        let row = store::assessment(&self.db, body.row.id, y).await?;
        let (mut state, expected) = match &row {
            Some(r) => (
                serde_json::from_str::<AssessmentState>(&r.state).map_err(corrupt)?,
                r.event_count,
            ),
            None => (AssessmentState::default(), 0),
        };
        let event = MonevEvent::Answered {
            answers: clean,
            presentation_score,
        };
        state.apply(&event);
        let data = serde_json::to_string(&event).map_err(|e| AppError::Unexpected(e.into()))?;
        let state_json =
            serde_json::to_string(&state).map_err(|e| AppError::Unexpected(e.into()))?;
        let ev = NewEvent {
            id: Uuid::now_v7(),
            at: self.now(),
            actor_kind: "officer".into(),
            actor_id: Some(officer.user.id),
            kind: event.kind().into(),
            data,
            letters: Vec::new(),
            mails: Vec::new(),
        };
        store::append(&self.db, body.row.id, y, expected, &ev, &state_json).await?;
        self.self_assessment(Some(officer), slug, year).await
    }

    /// The evidence of a body's self-assessment as CSV (officers of the body).
    pub async fn monev_evidence_csv(
        &self,
        officer: &OfficerCtx,
        year: i32,
    ) -> Result<String, AppError> {
        let slug = officer.home.row.slug.clone();
        let v = self.self_assessment(Some(officer), &slug, year).await?;
        Ok(evidence_csv(&v))
    }
}

fn csv_field(s: &str) -> String {
    // Cells starting with a formula character are prefixed so spreadsheets do not run them.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// One line per question: indicator, code, question, weight, answer, source, evidence, note.
pub fn evidence_csv(v: &SelfAssessmentView) -> String {
    let mut out = String::from(
        "indikator,kode,pertanyaan,bobot,jawaban,sumber,bukti,catatan,jawaban_sistem,bukti_sistem\r\n",
    );
    for i in &v.indicators {
        for q in &i.questions {
            let source = if q.officer.is_some() {
                "petugas"
            } else if q.system.is_some() {
                "sistem"
            } else {
                "-"
            };
            let cells = [
                i.label.clone(),
                q.code.clone(),
                q.text.clone(),
                format!("{}", q.weight),
                if q.yes { "ya" } else { "tidak" }.to_owned(),
                source.to_owned(),
                q.evidence.clone().unwrap_or_default(),
                q.officer
                    .as_ref()
                    .map(|a| a.note.clone())
                    .unwrap_or_default(),
                q.system
                    .as_ref()
                    .map(|s| if s.yes { "ya" } else { "tidak" }.to_owned())
                    .unwrap_or_default(),
                q.system
                    .as_ref()
                    .map(|s| s.evidence.clone())
                    .unwrap_or_default(),
            ];
            let line: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
            out.push_str(&line.join(","));
            out.push_str("\r\n");
        }
    }
    out.push_str(&format!(
        "skor,,,,{:.2},{},,,,\r\n",
        v.score, v.predicate_label
    ));
    out
}
