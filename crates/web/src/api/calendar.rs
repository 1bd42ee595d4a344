//! The national calendar over the API: the years in force (public), loading a year (admins).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use lentera_app::AppError;
use lentera_app::calendar::Preview;
use serde_json::{Value, json};

use crate::error::ApiResult;
use crate::extract::Bearer;
use crate::state::AppState;

/// `GET /api/v1/calendar/years`
pub async fn years(State(app): State<AppState>) -> ApiResult<Json<Value>> {
    let items: Vec<Value> = app
        .calendar_years()
        .await?
        .into_iter()
        .map(|y| {
            json!({
                "year": y.year,
                "version": y.version,
                "status": y.status,
                "loaded_at": y.loaded_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
                "days": y.days,
                "legal_basis": y.instrument,
                "source": y.source,
                "applied": y.applied,
            })
        })
        .collect();
    Ok(Json(Value::Array(items)))
}

fn text_of(body: &Bytes) -> Result<&str, AppError> {
    std::str::from_utf8(body).map_err(|_| AppError::field("file", "not_utf8"))
}

/// `POST /api/v1/calendar/years` (admin): a year in the shipped JSON format, or CSV
/// `date,kind,name,legal_basis`. `201 {"year", "version", "recomputed"}`; the same content
/// again is `200` with `"unchanged": true`.
pub async fn load(
    State(app): State<AppState>,
    Bearer(officer): Bearer,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let text = text_of(&body)?;
    let out = app.import_calendar_by(&officer, text, "api").await?;
    let status = if out.unchanged {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        Json(json!({
            "year": out.year,
            "version": out.version,
            "recomputed": out.recomputed,
            "unchanged": out.unchanged,
        })),
    ))
}

/// `POST /api/v1/calendar/years/preview` (admin): what loading the file would move; nothing
/// is stored.
pub async fn preview(
    State(app): State<AppState>,
    Bearer(officer): Bearer,
    body: Bytes,
) -> ApiResult<Json<Preview>> {
    let text = text_of(&body)?;
    Ok(Json(app.preview_calendar_by(&officer, text).await?))
}
