//! Public endpoints: health, bodies, the working-day calculator.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lentera_app::AppError;
use lentera_domain::submission::FieldErrors;
use serde_json::{Value, json};
use time::Date;

use crate::error::{ApiError, ApiResult};
use crate::pages::report::{Format, output};
use crate::state::AppState;

pub async fn health(State(app): State<AppState>) -> (StatusCode, Json<Value>) {
    // Health includes the database: a service that cannot read its store is not healthy.
    match app.database_answers().await {
        // Readable but refusing writes (disk full): not ready to take submissions.
        Ok(_) if app.storage_refusing() => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(
                json!({"status": "unavailable", "storage": "refusing_writes", "version": env!("CARGO_PKG_VERSION")}),
            ),
        ),
        Ok(_) => (
            StatusCode::OK,
            Json(json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")})),
        ),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "unavailable", "version": env!("CARGO_PKG_VERSION")})),
            )
        }
    }
}

/// `GET /api/v1/health/ready`: whether this node can serve, part by part (database, document
/// store, search index and how far it lags); 503 while any part fails or the node shuts down,
/// so the proxy in front stops sending it work.
pub async fn ready(State(app): State<AppState>) -> (StatusCode, Json<Value>) {
    let r = app.readiness().await;
    let status = if r.ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let mut body = serde_json::to_value(&r).unwrap_or_else(|_| json!({"ready": false}));
    if let Some(o) = body.as_object_mut() {
        o.insert(
            "status".into(),
            json!(if r.ready { "ready" } else { "not_ready" }),
        );
        o.insert("version".into(), json!(env!("CARGO_PKG_VERSION")));
    }
    (status, Json(body))
}

pub async fn bodies(State(app): State<AppState>) -> ApiResult<Json<Value>> {
    Ok(Json(
        serde_json::to_value(app.list_bodies().await?).unwrap_or_else(|_| json!([])),
    ))
}

const MAX_DAYS: u32 = 2_000;

/// `GET /api/v1/calendar/working-days?from=D&days=N[&body=SLUG]`
pub async fn working_days(
    State(app): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let mut e = FieldErrors::default();
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let from = match q.get("from").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => {
            e.add("from", "required");
            None
        }
        Some(s) => Date::parse(s, &format)
            .map_err(|_| e.add("from", "invalid_date"))
            .ok(),
    };
    let days = match q.get("days").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => {
            e.add("days", "required");
            None
        }
        Some(s) => match s.parse::<u32>() {
            Ok(n) if n <= MAX_DAYS => Some(n),
            Ok(_) => {
                e.add("days", "out_of_range");
                None
            }
            Err(_) => {
                e.add("days", "invalid_number");
                None
            }
        },
    };
    let (Some(from), Some(days)) = (from, days) else {
        return Err(AppError::Invalid(e).into());
    };
    let calendar = match q.get("body").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        Some(slug) => {
            let body = app
                .body_by_slug(slug)
                .await?
                .ok_or(AppError::NotFound("body.not_found"))?;
            std::sync::Arc::clone(&body.calendar)
        }
        None => app.national_calendar(),
    };
    let explained = calendar.explain(from, days).map_err(AppError::from)?;
    let provisional_ok = q
        .get("provisional")
        .is_some_and(|v| matches!(v.trim(), "true" | "1" | "yes"));
    if explained.provisional && !provisional_ok {
        // The contract's bare calculator guesses nothing unless asked to.
        let year = (from.year()..=explained.due.year())
            .find(|y| !calendar.is_loaded_year(*y))
            .unwrap_or(explained.due.year());
        return Err(AppError::CalendarIncomplete(year).into());
    }
    let skipped: Vec<Value> = explained
        .skipped
        .iter()
        .map(|s| json!({"date": s.date, "reason": s.reason.as_str(), "name": s.name, "label": s.reason.label_id()}))
        .collect();
    Ok(Json(json!({
        "from": from,
        "days": days,
        "due": explained.due,
        "clock_start": explained.clock_start,
        "skipped": skipped,
        "provisional": explained.provisional,
        "calendar_version": calendar.version(),
    })))
}

pub async fn not_found() -> ApiError {
    ApiError::not_found()
}

/// `GET /api/v1/reports/annual?body=SLUG&year=YYYY[&period=s1|s2|q1..q4][&format=json|pdf|csv|xlsx][&rollup=true]`
///
/// Without `format` (or with `json`) the figures as JSON, exactly as the contract says; the other
/// formats are the printable report and its machine-readable tables. `rollup=true` merges a
/// parent body with every body below it.
pub async fn annual_report(
    State(app): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Response> {
    let mut e = FieldErrors::default();
    let body = q
        .get("body")
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    if body.is_none() {
        e.add("body", "required");
    }
    let year = match q.get("year").map(|s| s.trim()) {
        None | Some("") => {
            e.add("year", "required");
            None
        }
        Some(y) => y
            .parse::<i32>()
            .map_err(|_| e.add("year", "invalid_number"))
            .ok(),
    };
    let format = match q.get("format").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None | Some("json") => None,
        Some(f) => match Format::parse(f) {
            Some(f) => Some(f),
            None => {
                e.add("format", "invalid_choice");
                None
            }
        },
    };
    let rollup = match q.get("rollup").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None | Some("false" | "0") => false,
        Some("true" | "1") => true,
        Some(_) => {
            e.add("rollup", "invalid_choice");
            false
        }
    };
    let (Some(body), Some(year)) = (body, year) else {
        return Err(AppError::Invalid(e).into());
    };
    if !e.is_empty() {
        return Err(AppError::Invalid(e).into());
    }
    let period = q.get("period").map(String::as_str);
    match format {
        None => {
            let report = app
                .annual_report_figures(&body, year, period, rollup)
                .await?;
            Ok(Json(serde_json::to_value(report).unwrap_or_else(|_| json!({}))).into_response())
        }
        Some(f) => {
            let doc = app
                .annual_report_document(&body, year, period, rollup)
                .await?;
            Ok(output(&doc, f).await?)
        }
    }
}
