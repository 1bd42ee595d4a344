//! Server-rendered HTML: the public portal, the back office and its administration pages.
//! Works without JavaScript; htmx only refreshes the queue when a filter changes.
//!
//! One folder per feature, each with its own `router()`; this router only composes them and
//! serves the static assets.

pub mod accountability;
pub mod admin;
pub mod auth;
pub mod common;
pub mod guards;
pub mod letters;
pub mod objections;
pub mod portal;
pub mod register;
pub mod requests;
pub mod search;

/// The annual report's formats and output, which the JSON API serves as well.
pub use accountability::report;

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::state::AppState;

const CSS: &str = include_str!("../../assets/lentera.css");
const PRINT_JS: &str = include_str!("../../assets/print.js");
const HTMX: &[u8] = include_bytes!("../../assets/vendor/htmx-2.min.js");
const HTMX_GZ: &[u8] = include_bytes!("../../assets/vendor/htmx-2.min.js.gz");

fn asset(content_type: &'static str, body: &'static [u8], gzip: bool) -> Response {
    let mut r = (StatusCode::OK, body).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    if gzip {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    r
}

async fn css() -> Response {
    asset("text/css; charset=utf-8", CSS.as_bytes(), false)
}

async fn print_js() -> Response {
    asset("text/javascript; charset=utf-8", PRINT_JS.as_bytes(), false)
}

async fn htmx(headers: HeaderMap) -> Response {
    let gzip = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("gzip"));
    if gzip {
        asset("text/javascript; charset=utf-8", HTMX_GZ, true)
    } else {
        asset("text/javascript; charset=utf-8", HTMX, false)
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(portal::router())
        .merge(requests::router())
        .merge(objections::router())
        .merge(register::router())
        .merge(search::router())
        .merge(accountability::router())
        .merge(admin::router())
        .merge(auth::router())
        .merge(letters::router())
        .route("/assets/lentera.css", get(css))
        .route("/assets/print.js", get(print_js))
        .route("/assets/htmx-2.min.js", get(htmx))
}
