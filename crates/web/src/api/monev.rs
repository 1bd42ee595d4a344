//! The self-assessment (monev/SAQ) and the comparison across bodies over the API.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use lentera_app::AppError;
use lentera_app::comparison::ComparisonView;
use lentera_app::monev::SelfAssessmentView;
use lentera_domain::TimeZone;
use lentera_domain::monev::{Answer, Questionnaire};
use lentera_domain::submission::FieldErrors;
use serde::Deserialize;

use crate::error::{ApiError, ApiResult};
use crate::extract::{Bearer, JsonBody, MaybeBearer};
use crate::state::AppState;

/// `year` from the query, else the current year (WIB).
pub fn year_of(app: &AppState, q: &HashMap<String, String>, key: &str) -> Result<i32, AppError> {
    match q.get(key).map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(app.today_in(TimeZone::Wib).year()),
        Some(y) => y
            .parse::<i32>()
            .map_err(|_| AppError::field(key, "invalid_number")),
    }
}

fn body_of(q: &HashMap<String, String>) -> Result<String, AppError> {
    q.get("body")
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| AppError::field("body", "required"))
}

/// `GET /api/v1/self-assessment?body=SLUG[&year=YYYY]`
pub async fn self_assessment(
    State(app): State<AppState>,
    MaybeBearer(officer): MaybeBearer,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<SelfAssessmentView>> {
    let body = body_of(&q)?;
    let year = year_of(&app, &q, "year")?;
    Ok(Json(
        app.self_assessment(officer.as_ref(), &body, year).await?,
    ))
}

#[derive(Debug, Deserialize)]
pub struct AnswerInput {
    /// Default: the officer's own body.
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub year: Option<i32>,
    #[serde(default)]
    pub answers: Vec<Answer>,
    #[serde(default)]
    pub presentation_score: Option<f64>,
}

/// `POST /api/v1/self-assessment` (the PPID of the body)
pub async fn answer(
    State(app): State<AppState>,
    Bearer(officer): Bearer,
    JsonBody(input): JsonBody<AnswerInput>,
) -> ApiResult<Json<SelfAssessmentView>> {
    let body = input
        .body
        .clone()
        .unwrap_or_else(|| officer.home.row.slug.clone());
    let year = input
        .year
        .unwrap_or_else(|| app.today_in(TimeZone::Wib).year());
    Ok(Json(
        app.answer_monev(
            &officer,
            &body,
            year,
            input.answers,
            input.presentation_score,
        )
        .await?,
    ))
}

/// `GET /api/v1/self-assessment/evidence.csv[?year=YYYY]` (officers of the body)
pub async fn evidence_csv(
    State(app): State<AppState>,
    Bearer(officer): Bearer,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let year = year_of(&app, &q, "year")?;
    let csv = app.monev_evidence_csv(&officer, year).await?;
    Ok((
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
        .into_response())
}

/// `GET /api/v1/self-assessment/questionnaire[?year=YYYY]`
pub async fn questionnaire(
    State(app): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Questionnaire>> {
    let year = year_of(&app, &q, "year")?;
    Ok(Json(app.questionnaire(year).await?.0))
}

/// `PUT /api/v1/self-assessment/questionnaire?year=YYYY` (admins)
pub async fn set_questionnaire(
    State(app): State<AppState>,
    Bearer(officer): Bearer,
    Query(q): Query<HashMap<String, String>>,
    bytes: Bytes,
) -> ApiResult<Json<Questionnaire>> {
    let year = year_of(&app, &q, "year")?;
    let text = std::str::from_utf8(&bytes).map_err(|_| ApiError::malformed("bukan UTF-8"))?;
    Ok(Json(app.set_questionnaire(&officer, year, text).await?))
}

/// `GET /api/v1/comparison[?parent=SLUG][&year=YYYY]`
pub async fn comparison(
    State(app): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<ComparisonView>> {
    let year = year_of(&app, &q, "year")?;
    if !(2000..=2100).contains(&year) {
        let mut e = FieldErrors::default();
        e.add("year", "out_of_range");
        return Err(AppError::Invalid(e).into());
    }
    let parent = q.get("parent").map(String::as_str);
    Ok(Json(app.comparison(parent, year).await?))
}
