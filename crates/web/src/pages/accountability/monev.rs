//! The self-assessment (monev/SAQ) in the back office, its evidence export, and the public
//! comparison across bodies (*studi tiru*).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use lentera_app::comparison::ComparisonView;
use lentera_app::monev::SelfAssessmentView;
use lentera_domain::TimeZone;
use lentera_domain::monev::{Answer, PeerIndicator};

use crate::pages::common::{Ctx, Lang, Page, PageResult, app_error_text, field};
use crate::pages::guards::{Office, OfficeForm};
use crate::state::AppState;

use crate::error::status_of;

fn year_param(app: &AppState, q: &HashMap<String, String>, key: &str) -> i32 {
    q.get(key)
        .and_then(|s| s.trim().parse::<i32>().ok())
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| app.today_in(TimeZone::Wib).year())
}

fn pct(v: f64) -> String {
    format!("{v:.2}")
}

// ------------------------------------------------------------------ back office

#[derive(Template)]
#[template(path = "accountability/monev.html")]
struct MonevPage {
    p: Page,
    v: SelfAssessmentView,
    score: String,
    saq: String,
    presentation: String,
    notice: Option<String>,
    error: Option<String>,
    may_answer: bool,
    is_admin: bool,
}

impl MonevPage {
    fn fmt(&self, v: impl std::borrow::Borrow<f64>) -> String {
        format!("{:.1}", v.borrow())
    }
}

async fn monev_page(
    app: &AppState,
    ctx: &Ctx,
    year: i32,
    notice: Option<String>,
    error: Option<(StatusCode, String)>,
) -> PageResult {
    let t = ctx.t;
    let officer = ctx.officer()?;
    let heading = t.pick("Swa-penilaian monev KIP", "Monev self-assessment");
    let v = app
        .self_assessment(Some(officer), &officer.home.row.slug, year)
        .await
        .map_err(ctx.fail(heading))?;
    let (status, error) = match error {
        Some((s, m)) => (s, Some(m)),
        None => (StatusCode::OK, None),
    };
    let page = MonevPage {
        p: ctx.page(format!("{heading} {year}")),
        score: pct(v.score),
        saq: pct(v.saq_score),
        presentation: v.presentation_score.map(pct).unwrap_or_default(),
        may_answer: officer.role == lentera_domain::Role::Ppid,
        is_admin: officer.role == lentera_domain::Role::Admin,
        v,
        notice,
        error,
    };
    Ok(ctx.render(status, &page))
}

/// `GET /kantor/monev[?year=YYYY]`
pub async fn office(
    State(app): State<AppState>,
    Office { ctx, .. }: Office,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let year = year_param(&app, &q, "year");
    let notice = q
        .get("ok")
        .map(|_| ctx.t.pick("Jawaban disimpan.", "Answers saved.").to_owned());
    monev_page(&app, &ctx, year, notice, None).await
}

/// `POST /kantor/monev`: `yes_{code}` = 1/0 (absent: keep the system's answer),
/// `evidence_{code}`, `note_{code}`, `presentation_score`.
pub async fn save(
    State(app): State<AppState>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> PageResult {
    let officer = &officer;
    let year = field(&f, "year")
        .and_then(|s| s.trim().parse::<i32>().ok())
        .unwrap_or_else(|| app.today_in(TimeZone::Wib).year());
    let q = match app.questionnaire(year).await {
        Ok((q, _)) => q,
        Err(e) => {
            return monev_page(
                &app,
                &ctx,
                year,
                None,
                Some((status_of(&e), app_error_text(ctx.t, &e))),
            )
            .await;
        }
    };
    let mut answers = Vec::new();
    for (_, x) in q.questions() {
        let yes = match field(&f, &format!("yes_{}", x.code)) {
            Some("1") => true,
            Some("0") => false,
            _ => continue,
        };
        answers.push(Answer {
            question: x.code.clone(),
            yes,
            evidence: field(&f, &format!("evidence_{}", x.code))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            note: field(&f, &format!("note_{}", x.code))
                .unwrap_or("")
                .to_owned(),
        });
    }
    let presentation = field(&f, "presentation_score")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.replace(',', ".").parse::<f64>().unwrap_or(f64::NAN));
    let slug = officer.home.row.slug.clone();
    match app
        .answer_monev(officer, &slug, year, answers, presentation)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/kantor/monev?year={year}&ok=1")).into_response()),
        Err(e) => {
            let msg = app_error_text(ctx.t, &e);
            monev_page(&app, &ctx, year, None, Some((status_of(&e), msg))).await
        }
    }
}

/// `GET /kantor/monev/bukti.csv[?year=YYYY]`
pub async fn evidence_csv(
    State(app): State<AppState>,
    Office { ctx, officer }: Office,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let officer = &officer;
    let year = year_param(&app, &q, "year");
    match app.monev_evidence_csv(officer, year).await {
        Ok(csv) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"bukti-monev-{}-{year}.csv\"",
                        officer.home.row.slug
                    ),
                ),
            ],
            csv,
        )
            .into_response(),
        Err(e) => ctx.error_page(
            status_of(&e),
            ctx.t.pick("Bukti monev", "Monev evidence"),
            &app_error_text(ctx.t, &e),
        ),
    }
}

// ------------------------------------------------------------------ public comparison

struct Cell {
    value: String,
    rank: String,
}

struct Learn {
    indicator: &'static str,
    slug: String,
    value: String,
}

struct CompRow {
    rank: usize,
    slug: String,
    name: String,
    composite: String,
    cells: Vec<Cell>,
    predicate: String,
    strongest: String,
    weakest: String,
    learn: Vec<Learn>,
}

#[derive(Template)]
#[template(path = "accountability/comparison.html")]
struct ComparisonPage {
    p: Page,
    year: i32,
    parent: String,
    headers: Vec<&'static str>,
    rows: Vec<CompRow>,
    parents: Vec<(String, String)>,
}

fn indicator_label(t: Lang, i: PeerIndicator) -> &'static str {
    match i {
        PeerIndicator::OnTime => t.pick("Tepat waktu (%)", "On time (%)"),
        PeerIndicator::MedianDays => t.pick("Median hari kerja", "Median working days"),
        PeerIndicator::ObjectionRate => t.pick("Tingkat keberatan (%)", "Objection rate (%)"),
        PeerIndicator::Completeness => t.pick("Kelengkapan DIP (%)", "Register completeness (%)"),
        PeerIndicator::SelfAssessment => t.pick("Skor swa-penilaian", "Self-assessment score"),
    }
}

fn value_text(v: f64) -> String {
    format!("{v:.1}")
}

fn rows_of(t: Lang, v: &ComparisonView) -> Vec<CompRow> {
    v.bodies
        .iter()
        .map(|b| {
            let values = [
                b.on_time_percent,
                b.median_days,
                b.objection_rate,
                Some(b.completeness),
                Some(b.self_assessment),
            ];
            let cells = PeerIndicator::ALL
                .iter()
                .enumerate()
                .map(|(k, _)| Cell {
                    value: values[k].map_or_else(|| "—".to_owned(), value_text),
                    rank: b.ranking.ranks[k].map_or_else(String::new, |r| format!("#{r}")),
                })
                .collect();
            CompRow {
                rank: b.ranking.rank,
                slug: b.slug.clone(),
                name: b.name.clone(),
                composite: format!("{:.1}", b.ranking.composite),
                cells,
                predicate: b.predicate_label.to_owned(),
                strongest: b
                    .ranking
                    .strongest
                    .map_or_else(|| "—".to_owned(), |i| indicator_label(t, i).to_owned()),
                weakest: b
                    .ranking
                    .weakest
                    .map_or_else(|| "—".to_owned(), |i| indicator_label(t, i).to_owned()),
                learn: b
                    .ranking
                    .learn_from
                    .iter()
                    .map(|l| Learn {
                        indicator: indicator_label(t, l.indicator),
                        slug: l.slug.clone(),
                        value: value_text(l.value),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// `GET /perbandingan[?induk=SLUG][&tahun=YYYY]`
pub async fn comparison(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let t = ctx.t;
    let year = year_param(&app, &q, "tahun");
    let parent = q
        .get("induk")
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    let heading = t.pick("Perbandingan antarbadan publik", "Comparison across bodies");
    let v = app
        .comparison(parent.as_deref(), year)
        .await
        .map_err(ctx.fail(heading))?;
    let parents = match app.list_bodies().await {
        Ok(list) => list
            .into_iter()
            .filter(|b| b.kind != "unit")
            .map(|b| (b.slug, b.name))
            .collect(),
        Err(_) => Vec::new(),
    };
    let page = ComparisonPage {
        p: ctx.page(heading),
        year,
        parent: parent.unwrap_or_default(),
        headers: PeerIndicator::ALL
            .iter()
            .map(|i| indicator_label(t, *i))
            .collect(),
        rows: rows_of(t, &v),
        parents,
    };
    Ok(ctx.render(StatusCode::OK, &page))
}
