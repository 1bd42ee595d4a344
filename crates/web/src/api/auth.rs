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
}

pub async fn token(
    State(app): State<AppState>,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<std::net::SocketAddr>,
    headers: axum::http::HeaderMap,
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
    let ip = crate::limiter::client_ip(peer, &headers);
    if !app.guesses.allowed(ip) {
        return Err(crate::error::ApiError::too_many());
    }
    let t = app.issue_token(&email, &password).await;
    if matches!(t, Err(AppError::Unauthorized(_))) {
        app.guesses.failed(ip);
    }
    let t = t?;
    let expires = t
        .expires_at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    Ok(Json(json!({"token": t.token, "expires_at": expires})))
}
