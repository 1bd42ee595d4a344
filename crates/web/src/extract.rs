//! Request parsing that keeps the contract's distinction: 400 for malformed JSON, 413 for a body
//! over the limit, 401 for a missing or bad token.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::state::AppState;
use lentera_app::auth::OfficerCtx;

/// JSON body parsed into `T`. Type mismatches on known fields are malformed input too (400):
/// the use cases take optional strings so that every invalid *value* becomes a 422 with fields.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = match Bytes::from_request(req, state).await {
            Ok(b) => b,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(ApiError::too_large());
            }
            Err(e) => return Err(ApiError::malformed(&e.body_text())),
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::malformed("isi kosong"));
        }
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| ApiError::malformed(&e.to_string()))
    }
}

/// The officer behind `Authorization: Bearer …`.
pub struct Bearer(pub OfficerCtx);

fn token_of(parts: &Parts) -> Option<&str> {
    let value = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
        .filter(|t| !t.is_empty())
}

impl FromRequestParts<AppState> for Bearer {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = token_of(parts).ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "auth.required",
                "Diperlukan token petugas (Authorization: Bearer …).",
            )
        })?;
        Ok(Self(state.authenticate(token).await?))
    }
}

/// Like [`Bearer`], but absent credentials are not an error (public endpoints that officers may
/// also use, such as intake through `POST /api/v1/requests`). Bad credentials still are.
pub struct MaybeBearer(pub Option<OfficerCtx>);

impl FromRequestParts<AppState> for MaybeBearer {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match token_of(parts) {
            None => Ok(Self(None)),
            Some(token) => Ok(Self(Some(state.authenticate(token).await?))),
        }
    }
}

/// A JSON body that may be absent (empty body = `T::default()`).
pub struct JsonOrEmpty<T>(pub T);

impl<T: DeserializeOwned + Default, S: Send + Sync> FromRequest<S> for JsonOrEmpty<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = match Bytes::from_request(req, state).await {
            Ok(b) => b,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(ApiError::too_large());
            }
            Err(e) => return Err(ApiError::malformed(&e.body_text())),
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(T::default()));
        }
        serde_json::from_slice(&bytes)
            .map(JsonOrEmpty)
            .map_err(|e| ApiError::malformed(&e.to_string()))
    }
}
