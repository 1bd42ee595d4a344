//! The JSON error body of the contract: `{"error": {"code", "message", "fields"}}`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lentera_app::AppError;
use serde_json::{Value, json};

use crate::pages::common::Lang;

/// An error answered by the JSON API.
#[derive(Debug)]
pub struct ApiError {
    /// Extra detail beside `fields` (the personal-data findings of a blocked publication).
    pub findings: Option<Value>,
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub fields: serde_json::Value,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            fields: json!({}),
            findings: None,
        }
    }

    pub fn malformed(detail: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "request.malformed_json",
            format!("Isi permintaan bukan JSON yang valid: {detail}"),
        )
    }

    pub fn too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "request.too_large",
            "Isi permintaan melebihi batas ukuran yang diterima (1 MiB; berkas unggahan 20 MiB).",
        )
    }

    pub fn too_many() -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate.limited",
            "Terlalu banyak percobaan yang gagal; coba lagi beberapa menit lagi.",
        )
    }

    /// Over the submission allowance of one address (`LENTERA_RATE_SUBMIT_PER_MIN`).
    pub fn too_many_submissions() -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate.limited",
            "Terlalu banyak pengajuan dari alamat ini dalam satu menit; coba lagi sebentar lagi.",
        )
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "Data tidak ditemukan.")
    }
}

/// The HTTP status of an application error, for the API and the pages alike.
pub fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Invalid(_)
        | AppError::CalendarIncomplete(_)
        | AppError::PersonalData(_)
        | AppError::CalendarFile(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Conflict { .. } => StatusCode::CONFLICT,
        AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        if let AppError::Unexpected(cause) = &e {
            // The cause goes to the log, never to the client.
            tracing::error!(error = %format_args!("{cause:#}"), "unexpected error");
        }
        let status = status_of(&e);
        let fields = match &e {
            AppError::Invalid(f) => serde_json::to_value(&f.0).unwrap_or_else(|_| json!({})),
            AppError::PersonalData(found) => {
                let mut by_place = serde_json::Map::new();
                for f in found {
                    let list = by_place.entry(f.place.clone()).or_insert_with(|| json!([]));
                    if let Some(a) = list.as_array_mut() {
                        a.push(json!(f.kind));
                    }
                }
                Value::Object(by_place)
            }
            AppError::CalendarFile(problems) => {
                let mut by_line = serde_json::Map::new();
                for p in problems {
                    let key = if p.line == 0 {
                        p.field.to_owned()
                    } else {
                        format!("days.{}.{}", p.line, p.field)
                    };
                    let list = by_line.entry(key).or_insert_with(|| json!([]));
                    if let Some(a) = list.as_array_mut() {
                        a.push(json!(p.code));
                    }
                }
                Value::Object(by_line)
            }
            _ => json!({}),
        };
        Self {
            status,
            code: e.code(),
            findings: match &e {
                AppError::PersonalData(f) => serde_json::to_value(f).ok(),
                AppError::CalendarFile(p) => serde_json::to_value(p).ok(),
                _ => None,
            },
            message: e.message(),
            fields,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body =
            json!({"error": {"code": self.code, "message": self.message, "fields": self.fields}});
        if let Some(f) = self.findings {
            body["error"]["findings"] = f;
        }
        let mut resp = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                "www-authenticate",
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        resp
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// The message of an application error in the reader's language, for page banners and error
/// pages. An unexpected error is logged here with its cause (pages reach every message through
/// this function) and shown only as "server error".
pub fn app_error_text(t: Lang, e: &AppError) -> String {
    if let AppError::Unexpected(cause) = e {
        tracing::error!(error = %format_args!("{cause:#}"), "unexpected error behind a page");
    }
    match e {
        AppError::Invalid(f) => {
            f.0.iter()
                .map(|(field, codes)| {
                    let text = codes
                        .iter()
                        .map(|c| crate::pages::common::error_text(t, c))
                        .collect::<Vec<_>>()
                        .join(" ");
                    // The field in words; a field with no name in the catalogue is left
                    // unnamed rather than shown as its code.
                    match crate::pages::common::field_name(t, field) {
                        Some(name) => format!("{name}: {text}"),
                        None => text,
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        }
        other => match t {
            Lang::Id => other.message(),
            Lang::En => match other {
                AppError::Conflict { code, .. } => {
                    format!("Not possible in the current state ({code}).")
                }
                AppError::Forbidden => "You are not allowed to do this.".into(),
                AppError::PersonalData(f) => {
                    let unreadable = f
                        .iter()
                        .filter(|x| x.kind == lentera_app::register::FindingKind::Unreadable)
                        .count();
                    let personal = f.len() - unreadable;
                    let mut parts = Vec::new();
                    if personal > 0 {
                        parts.push(format!(
                            "{personal} possible piece(s) of personal data found. Remove or black them out, or confirm them as public information."
                        ));
                    }
                    if unreadable > 0 {
                        parts.push(format!(
                            "{unreadable} document(s) could not be read by the personal-data check; check the content yourself and confirm it, or remove them."
                        ));
                    }
                    parts.join(" ")
                }
                AppError::NotFound(_) => "Not found.".into(),
                AppError::Unauthorized(_) => "Invalid or expired credentials.".into(),
                AppError::CalendarIncomplete(y) => {
                    format!("The holiday calendar for {y} is not loaded yet.")
                }
                AppError::Unavailable => {
                    "Storage cannot accept data right now; nothing was stored. Try again shortly."
                        .into()
                }
                _ => "Server error.".into(),
            },
        },
    }
}
