//! `GET /api/v1/dashboard?body=SLUG[&scope=province]`: the public aggregate figures of a body
//! (with its units) or of a province with the bodies below it. No personal data.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Query, State};
use lentera_app::AppError;
use lentera_app::dashboard::DashboardScope;
use lentera_domain::submission::FieldErrors;
use serde_json::Value;

use crate::error::ApiResult;
use crate::state::AppState;

pub async fn figures(
    State(app): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let mut e = FieldErrors::default();
    let slug = q.get("body").map(|s| s.trim()).unwrap_or("").to_owned();
    if slug.is_empty() {
        e.add("body", "required");
    }
    let province = match q.get("scope").map(String::as_str) {
        None | Some("" | "body") => false,
        Some("province") => true,
        Some(_) => {
            e.add("scope", "invalid_choice");
            false
        }
    };
    if !e.is_empty() {
        return Err(AppError::Invalid(e).into());
    }
    let body = app
        .body_by_slug(&slug)
        .await?
        .ok_or(AppError::NotFound("body.not_found"))?;
    let scope = if province {
        DashboardScope::Province(slug)
    } else {
        DashboardScope::Body(slug)
    };
    let today = app.today_in(body.time_zone());
    let f = app.dashboard(&scope, today).await?;
    Ok(Json(
        serde_json::to_value(&*f).map_err(|e| AppError::Unexpected(e.into()))?,
    ))
}
