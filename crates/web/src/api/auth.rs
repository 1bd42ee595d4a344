use axum::Json;
use axum::extract::State;
use lentera_app::AppError;
use lentera_domain::submission::FieldErrors;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::ApiResult;
use crate::extract::JsonBody;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct Credentials {
    pub email: Option<String>,
    pub password: Option<String>,
    /// The code of the officer's authenticator app, or a recovery code.
    pub totp: Option<String>,
}

pub async fn token(
    State(app): State<AppState>,
    crate::limiter::ClientIp(ip): crate::limiter::ClientIp,
    JsonBody(c): JsonBody<Credentials>,
) -> ApiResult<Json<Value>> {
    let mut e = FieldErrors::default();
    let email = c.email.filter(|s| !s.trim().is_empty());
    let password = c.password.filter(|s| !s.is_empty());
    if email.is_none() {
        e.add("email", "required");
    }
    if password.is_none() {
        e.add("password", "required");
    }
    let (Some(email), Some(password)) = (email, password) else {
        return Err(AppError::Invalid(e).into());
    };
    if !app.guess_allowed(ip).await {
        return Err(crate::error::ApiError::too_many());
    }
    let t = app
        .issue_token(&email, &password, c.totp.as_deref(), Some(ip))
        .await;
    if matches!(t, Err(AppError::Unauthorized(_))) {
        app.guess_failed(ip).await;
    }
    let t = t?;
    let expires = t
        .expires_at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    Ok(Json(json!({"token": t.token, "expires_at": expires})))
}

/// `DELETE /api/v1/auth/token`: revokes the bearer token sent (`204`).
pub async fn revoke(
    State(app): State<AppState>,
    crate::extract::Bearer(officer): crate::extract::Bearer,
    headers: axum::http::HeaderMap,
) -> ApiResult<axum::http::StatusCode> {
    let token = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .map_or("", |(_, t)| t.trim());
    app.revoke_token(&officer, token).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
