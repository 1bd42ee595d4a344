//! Objections and disputes over the API.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use lentera_app::objections::{DisputeInput, ObjectionView};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::{ApiError, ApiResult};
use crate::extract::{Bearer, JsonBody, JsonOrEmpty, MaybeBearer};
use crate::state::AppState;

fn code_of(q: &HashMap<String, String>) -> &str {
    q.get("code").map_or("", String::as_str)
}

#[derive(Debug, Default, Deserialize)]
pub struct FileBody {
    #[serde(default)]
    pub grounds: Vec<String>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// `POST /api/v1/requests/{number}/objections?code=…`
pub async fn file(
    State(app): State<AppState>,
    crate::limiter::ClientIp(ip): crate::limiter::ClientIp,
    MaybeBearer(officer): MaybeBearer,
    Path(number): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    JsonBody(body): JsonBody<FileBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    if officer.is_none() {
        if !app.guess_allowed(ip).await {
            return Err(ApiError::too_many());
        }
        if !app.submission_admitted(ip).await {
            return Err(ApiError::too_many_submissions());
        }
    }
    let r = app
        .file_objection(
            &number,
            code_of(&q),
            &body.grounds,
            body.reason.as_deref().unwrap_or(""),
            officer.as_ref(),
        )
        .await;
    if officer.is_none() && matches!(r, Err(lentera_app::AppError::NotFound(_))) {
        app.guess_failed(ip).await;
    }
    let r = r?;
    let status = if r.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(serde_json::to_value(&r).map_err(|_| ApiError::not_found())?),
    ))
}

/// `GET /api/v1/requests/{number}/objection-grounds?code=…`: which grounds fit the record now.
pub async fn grounds(
    State(app): State<AppState>,
    Path(number): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let g = app.objection_grounds(&number, code_of(&q)).await?;
    let list: Vec<Value> = g
        .iter()
        .map(|g| json!({"ground": g.as_str(), "label": g.label_id(), "label_en": g.label_en()}))
        .collect();
    Ok(Json(json!({"request": number, "available": list})))
}

/// `GET /api/v1/objections/{number}?code=…`
pub async fn track(
    State(app): State<AppState>,
    crate::limiter::ClientIp(ip): crate::limiter::ClientIp,
    Path(number): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<ObjectionView>> {
    if !app.guess_allowed(ip).await {
        return Err(ApiError::too_many());
    }
    let r = app.track_objection(&number, code_of(&q)).await;
    if matches!(r, Err(lentera_app::AppError::NotFound(_))) {
        app.guess_failed(ip).await;
    }
    Ok(Json(r?))
}

/// `GET /api/v1/objections/{number}/letters?code=…`: the objection's letters (receipt and the
/// superior's answer) for its requester.
pub async fn letters(
    State(app): State<AppState>,
    crate::limiter::ClientIp(ip): crate::limiter::ClientIp,
    Path(number): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Vec<lentera_app::letters::LetterView>>> {
    if !app.guess_allowed(ip).await {
        return Err(ApiError::too_many());
    }
    let r = app.letters_of_tracked_objection(&number, code_of(&q)).await;
    if matches!(r, Err(lentera_app::AppError::NotFound(_))) {
        app.guess_failed(ip).await;
    }
    Ok(Json(r?))
}

#[derive(Debug, Default, Deserialize)]
pub struct DecisionBody {
    pub outcome: Option<String>,
    pub note: Option<String>,
}

/// `POST /api/v1/objections/{number}/decision` (atasan PPID)
pub async fn decide(
    State(app): State<AppState>,
    Bearer(officer): Bearer,
    Path(number): Path<String>,
    JsonBody(body): JsonBody<DecisionBody>,
) -> ApiResult<Json<ObjectionView>> {
    Ok(Json(
        app.decide_objection(
            &officer,
            &number,
            body.outcome.as_deref().unwrap_or(""),
            body.note.as_deref().unwrap_or(""),
        )
        .await?,
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct NoteBody {
    pub note: Option<String>,
}

/// `POST /api/v1/objections/{number}/{step}`: review, settle, close.
pub async fn step(
    State(app): State<AppState>,
    Bearer(officer): Bearer,
    Path((number, step)): Path<(String, String)>,
    JsonOrEmpty(body): JsonOrEmpty<NoteBody>,
) -> ApiResult<Json<ObjectionView>> {
    Ok(Json(
        app.objection_step(&officer, &number, &step, body.note.as_deref().unwrap_or(""))
            .await?,
    ))
}

/// `POST /api/v1/objections/{number}/dispute/{step}`: the dispute chain (`filed` first).
pub async fn dispute(
    State(app): State<AppState>,
    Bearer(officer): Bearer,
    Path((number, step)): Path<(String, String)>,
    JsonBody(body): JsonBody<DisputeInput>,
) -> ApiResult<Json<ObjectionView>> {
    Ok(Json(
        app.dispute_step(&officer, &number, &step, &body).await?,
    ))
}

/// `GET /api/v1/objection-cases`: the body's objections, open ones first.
pub async fn queue(
    State(app): State<AppState>,
    Bearer(officer): Bearer,
) -> ApiResult<Json<Vec<ObjectionView>>> {
    Ok(Json(app.objection_queue(&officer).await?))
}

/// `GET /api/v1/objections/{number}/officer`: the officer's view (no tracking code needed).
pub async fn officer_view(
    State(app): State<AppState>,
    Bearer(officer): Bearer,
    Path(number): Path<String>,
) -> ApiResult<Json<ObjectionView>> {
    Ok(Json(app.objection_for_officer(&officer, &number).await?))
}

/// `GET /api/v1/objections/{number}/dossier.pdf`: the whole chain in one PDF.
pub async fn dossier(
    State(app): State<AppState>,
    Bearer(officer): Bearer,
    Path(number): Path<String>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let pdf = app.dossier(&officer, &number).await?;
    let name = format!(
        "attachment; filename=\"berkas-{}.pdf\"",
        number.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "")
    );
    let mut r = (StatusCode::OK, pdf).into_response();
    let h = r.headers_mut();
    h.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/pdf"),
    );
    if let Ok(v) = axum::http::HeaderValue::from_str(&name) {
        h.insert(axum::http::header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}
