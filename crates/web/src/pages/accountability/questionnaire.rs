//! The admins' editor of a year's self-assessment questionnaire (indicators, questions,
//! weights, automatic checks): a plain form, one row per indicator and question, with blank
//! rows to add more; a row whose code is emptied is removed.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lentera_domain::TimeZone;
use lentera_domain::monev::{AutoCheck, Indicator, Question, Questionnaire, QuestionnaireError};

use crate::pages::common::{Ctx, Lang, Page, app_error_text, field};
use crate::pages::guards::{Admin, AdminForm};
use crate::state::AppState;

/// Blank question rows offered under each indicator, and blank indicators at the end.
const BLANK_QUESTIONS: usize = 2;
const BLANK_INDICATORS: usize = 1;

/// The automatic checks an admin can attach, by form value, with an Indonesian label.
const CHECKS: [(&str, &str); 12] = [
    ("dip_published", "DIP terbit"),
    ("dik_published", "DIK terbit"),
    ("checklist_complete_at_least", "Kelengkapan DIP ≥ ambang %"),
    ("service_standard_published", "Standar layanan terbit"),
    ("charter_published", "Maklumat pelayanan terbit"),
    ("online_request_form", "Formulir permohonan daring"),
    ("request_tracking", "Pelacakan permohonan"),
    ("public_request_register", "Register permohonan publik"),
    ("objection_form", "Formulir keberatan"),
    ("on_time_at_least", "Tepat waktu ≥ ambang %"),
    ("annual_figures_available", "Angka laporan tahunan tersedia"),
    ("answers_published", "Jawaban dipublikasikan"),
];

fn check_value(a: Option<AutoCheck>) -> (String, String) {
    match a {
        None => (String::new(), String::new()),
        Some(AutoCheck::ChecklistCompleteAtLeast(n)) => {
            ("checklist_complete_at_least".into(), n.to_string())
        }
        Some(AutoCheck::OnTimeAtLeast(n)) => ("on_time_at_least".into(), n.to_string()),
        Some(other) => (
            serde_json::to_value(other)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            String::new(),
        ),
    }
}

fn parse_check(name: &str, threshold: &str) -> Result<Option<AutoCheck>, String> {
    let n = || {
        threshold
            .trim()
            .parse::<u8>()
            .ok()
            .filter(|n| *n <= 100)
            .ok_or_else(|| format!("ambang '{threshold}' harus 0–100"))
    };
    Ok(match name.trim() {
        "" => None,
        "checklist_complete_at_least" => Some(AutoCheck::ChecklistCompleteAtLeast(n()?)),
        "on_time_at_least" => Some(AutoCheck::OnTimeAtLeast(n()?)),
        other => Some(
            serde_json::from_value(serde_json::Value::String(other.to_owned()))
                .map_err(|_| format!("pemeriksaan '{other}' tidak dikenal"))?,
        ),
    })
}

/// One question row as the form shows it (text as typed).
pub struct QRow {
    pub code: String,
    pub text: String,
    pub weight: String,
    pub check: String,
    pub threshold: String,
}

pub struct IRow {
    pub code: String,
    pub label: String,
    pub weight: String,
    pub questions: Vec<QRow>,
}

#[derive(Template)]
#[template(path = "accountability/questionnaire.html")]
struct EditorPage {
    p: Page,
    year: i32,
    edited: bool,
    saq_weight: String,
    presentation_weight: String,
    indicators: Vec<IRow>,
    checks: Vec<(&'static str, &'static str)>,
    notice: Option<String>,
    error: Option<String>,
}

fn num(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn rows_of(q: &Questionnaire) -> Vec<IRow> {
    let mut out: Vec<IRow> = q
        .indicators
        .iter()
        .map(|i| IRow {
            code: i.code.clone(),
            label: i.label.clone(),
            weight: num(i.weight),
            questions: i
                .questions
                .iter()
                .map(|x| {
                    let (check, threshold) = check_value(x.auto);
                    QRow {
                        code: x.code.clone(),
                        text: x.text.clone(),
                        weight: num(x.weight),
                        check,
                        threshold,
                    }
                })
                .collect(),
        })
        .collect();
    pad(&mut out);
    out
}

fn blank_q() -> QRow {
    QRow {
        code: String::new(),
        text: String::new(),
        weight: String::new(),
        check: String::new(),
        threshold: String::new(),
    }
}

/// Adds the blank rows for new questions and indicators.
fn pad(rows: &mut Vec<IRow>) {
    for i in rows.iter_mut() {
        for _ in 0..BLANK_QUESTIONS {
            i.questions.push(blank_q());
        }
    }
    for _ in 0..BLANK_INDICATORS {
        rows.push(IRow {
            code: String::new(),
            label: String::new(),
            weight: String::new(),
            questions: (0..3).map(|_| blank_q()).collect(),
        });
    }
}

fn render(ctx: &Ctx, status: StatusCode, page: EditorPage) -> Response {
    ctx.render(status, &page)
}

/// `GET /kantor/monev/kuesioner[?year=YYYY]`
pub async fn edit(
    State(app): State<AppState>,
    Admin { ctx, .. }: Admin,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let year = q
        .get("year")
        .and_then(|s| s.trim().parse::<i32>().ok())
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| app.today_in(TimeZone::Wib).year());
    let (questionnaire, edited) = match app.questionnaire(year).await {
        Ok(x) => x,
        Err(e) => {
            return ctx.error_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                ctx.t.pick("Kuesioner monev", "Monev questionnaire"),
                &app_error_text(ctx.t, &e),
            );
        }
    };
    let notice = q.get("ok").map(|_| {
        ctx.t
            .pick("Kuesioner disimpan.", "Questionnaire saved.")
            .to_owned()
    });
    let page = EditorPage {
        p: ctx.page(format!(
            "{} {year}",
            ctx.t.pick("Kuesioner monev", "Monev questionnaire")
        )),
        year,
        edited,
        saq_weight: num(questionnaire.saq_weight),
        presentation_weight: num(questionnaire.presentation_weight),
        indicators: rows_of(&questionnaire),
        checks: CHECKS.to_vec(),
        notice,
        error: None,
    };
    render(&ctx, StatusCode::OK, page)
}

fn weight(s: &str) -> f64 {
    s.trim()
        .replace(',', ".")
        .parse::<f64>()
        .unwrap_or(f64::NAN)
}

fn explain(t: Lang, e: &QuestionnaireError) -> String {
    match e {
        QuestionnaireError::IndicatorWeights => t
            .pick(
                "Bobot indikator harus berjumlah 100.",
                "Indicator weights must add up to 100.",
            )
            .to_owned(),
        QuestionnaireError::PartWeights => t
            .pick(
                "Bobot SAQ dan presentasi harus berjumlah 100.",
                "SAQ and presentation weights must add up to 100.",
            )
            .to_owned(),
        QuestionnaireError::DuplicateCode(c) => {
            format!(
                "{} {c}",
                t.pick("Kode ganda atau kosong:", "Duplicate or empty code:")
            )
        }
        QuestionnaireError::Weight(c) => format!(
            "{} {c}",
            t.pick(
                "Bobot harus angka lebih dari 0 pada",
                "Weight must be a number above 0 at"
            )
        ),
        QuestionnaireError::Empty(c) => format!(
            "{} {c}",
            t.pick(
                "Belum ada pertanyaan/indikator:",
                "No questions/indicators in:"
            )
        ),
    }
}

/// `POST /kantor/monev/kuesioner`: `saq_weight`, `presentation_weight`, and per indicator `i`
/// `i{i}_code`, `i{i}_label`, `i{i}_weight`, per question `j` `i{i}_q{j}_code`, `_text`,
/// `_weight`, `_check`, `_threshold`. Rows with an empty code are left out.
pub async fn save(
    State(app): State<AppState>,
    AdminForm { ctx, officer, f }: AdminForm,
) -> Response {
    let officer = &officer;
    let t = ctx.t;
    let year = field(&f, "year")
        .and_then(|s| s.trim().parse::<i32>().ok())
        .unwrap_or_else(|| app.today_in(TimeZone::Wib).year());
    let get = |k: &str| field(&f, k).unwrap_or("").to_owned();
    // What was typed, kept for the page if it has to be shown again.
    let mut rows: Vec<IRow> = Vec::new();
    for i in 0..200 {
        if field(&f, &format!("i{i}_code")).is_none() {
            break;
        }
        let mut questions = Vec::new();
        for j in 0..500 {
            let key = format!("i{i}_q{j}");
            if field(&f, &format!("{key}_code")).is_none() {
                break;
            }
            questions.push(QRow {
                code: get(&format!("{key}_code")).trim().to_owned(),
                text: get(&format!("{key}_text")).trim().to_owned(),
                weight: get(&format!("{key}_weight")),
                check: get(&format!("{key}_check")),
                threshold: get(&format!("{key}_threshold")),
            });
        }
        rows.push(IRow {
            code: get(&format!("i{i}_code")).trim().to_owned(),
            label: get(&format!("i{i}_label")).trim().to_owned(),
            weight: get(&format!("i{i}_weight")),
            questions,
        });
    }
    let saq_weight = get("saq_weight");
    let presentation_weight = get("presentation_weight");
    let mut problem: Option<String> = None;
    let mut indicators = Vec::new();
    for r in rows.iter().filter(|r| !r.code.is_empty()) {
        let mut questions = Vec::new();
        for q in r.questions.iter().filter(|q| !q.code.is_empty()) {
            let auto = match parse_check(&q.check, &q.threshold) {
                Ok(a) => a,
                Err(msg) => {
                    problem.get_or_insert(format!("{}: {msg}", q.code));
                    None
                }
            };
            if q.text.is_empty() {
                problem.get_or_insert(format!(
                    "{} {}",
                    t.pick("Teks pertanyaan kosong:", "Empty question text:"),
                    q.code
                ));
            }
            questions.push(Question {
                code: q.code.clone(),
                text: q.text.clone(),
                weight: weight(&q.weight),
                auto,
            });
        }
        indicators.push(Indicator {
            code: r.code.clone(),
            label: if r.label.is_empty() {
                r.code.clone()
            } else {
                r.label.clone()
            },
            weight: weight(&r.weight),
            questions,
        });
    }
    let questionnaire = Questionnaire {
        year,
        saq_weight: weight(&saq_weight),
        presentation_weight: weight(&presentation_weight),
        indicators,
    };
    if problem.is_none()
        && let Err(e) = questionnaire.validate()
    {
        problem = Some(explain(t, &e));
    }
    if problem.is_none() {
        let json = serde_json::to_string(&questionnaire).unwrap_or_default();
        match app.set_questionnaire(officer, year, &json).await {
            Ok(_) => {
                return Redirect::to(&format!("/kantor/monev/kuesioner?year={year}&ok=1"))
                    .into_response();
            }
            Err(e) => problem = Some(app_error_text(t, &e)),
        }
    }
    pad(&mut rows);
    let page = EditorPage {
        p: ctx.page(format!(
            "{} {year}",
            t.pick("Kuesioner monev", "Monev questionnaire")
        )),
        year,
        edited: true,
        saq_weight,
        presentation_weight,
        indicators: rows,
        checks: CHECKS.to_vec(),
        notice: None,
        error: problem,
    };
    render(&ctx, StatusCode::UNPROCESSABLE_ENTITY, page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_offered_check_parses_back() {
        for (name, _) in CHECKS {
            let parsed = parse_check(name, "80").expect(name);
            let (back, _) = check_value(parsed);
            assert_eq!(back, name);
        }
        assert!(parse_check("nope", "").is_err());
        assert!(parse_check("on_time_at_least", "101").is_err());
        assert_eq!(parse_check("", "").ok(), Some(None));
    }
}
