#![recursion_limit = "512"]
//! HTTP surface of Lentera: the JSON API v1 of the contract, its OpenAPI document, the error
//! body, size limits and security headers.

pub mod api;
pub mod charts;
pub mod error;
pub mod extract;
pub mod limiter;
pub mod openapi;
pub mod pages;
pub mod state;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Request};
use axum::response::Response;
use axum::routing::{get, post};
use lentera_app::App;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use state::{AppState, WebConfig};

/// Largest accepted request body.
pub const MAX_BODY: usize = 1024 * 1024;
/// Largest accepted document upload (the app checks the same limit on the bytes).
pub const MAX_UPLOAD: usize = 20 * 1024 * 1024;

fn api_router() -> Router<AppState> {
    use api::{auth, objections, public, register, requests};
    Router::new()
        .route("/api/v1/health", get(public::health))
        .route("/api/v1/health/ready", get(public::ready))
        .route(
            "/api/v1/openapi.json",
            get(|| async { axum::Json(openapi::document()) }),
        )
        .route("/api/v1/bodies", get(public::bodies))
        .route("/api/v1/calendar/working-days", get(public::working_days))
        .route(
            "/api/v1/calendar/years",
            get(api::calendar::years).post(api::calendar::load),
        )
        .route(
            "/api/v1/calendar/years/preview",
            post(api::calendar::preview),
        )
        .route("/api/v1/requests", post(requests::submit))
        .route("/api/v1/requests/{number}", get(requests::track))
        .route("/api/v1/requests/{number}/letters", get(requests::letters))
        .route(
            "/api/v1/objections/{number}/letters",
            get(objections::letters),
        )
        .route(
            "/api/v1/requests/{number}/withdraw",
            post(requests::withdraw),
        )
        .route("/api/v1/auth/token", post(auth::token).delete(auth::revoke))
        .route("/api/v1/cases", get(requests::cases))
        .route("/api/v1/cases/{number}", get(requests::case_detail))
        .route(
            "/api/v1/cases/{number}/identity",
            get(requests::reveal_identity),
        )
        .route(
            "/api/v1/requests/{number}/extension",
            post(requests::extend),
        )
        .route("/api/v1/requests/{number}/decision", post(requests::decide))
        .route("/api/v1/requests/{number}/{action}", post(requests::action))
        .route(
            "/api/v1/requests/{number}/objections",
            post(objections::file),
        )
        .route(
            "/api/v1/requests/{number}/objection-grounds",
            get(objections::grounds),
        )
        .route("/api/v1/objections/{number}", get(objections::track))
        .route(
            "/api/v1/objections/{number}/officer",
            get(objections::officer_view),
        )
        .route(
            "/api/v1/objections/{number}/decision",
            post(objections::decide),
        )
        .route("/api/v1/objections/{number}/{step}", post(objections::step))
        .route(
            "/api/v1/objections/{number}/dispute/{step}",
            post(objections::dispute),
        )
        .route("/api/v1/objection-cases", get(objections::queue))
        .route("/api/v1/reports/annual", get(public::annual_report))
        .route(
            "/api/v1/objections/{number}/dossier.pdf",
            get(objections::dossier),
        )
        .route("/api/v1/search", get(register::search))
        .route("/api/v1/register", get(register::register))
        .route("/api/v1/register/entries", post(register::create_entry))
        .route(
            "/api/v1/register/entries/{id}",
            get(register::entry).put(register::update_entry),
        )
        .route(
            "/api/v1/register/entries/{id}/{action}",
            post(register::entry_publication),
        )
        .route(
            "/api/v1/consequence-tests",
            post(register::create_consequence_test),
        )
        .route(
            "/api/v1/consequence-tests/{id}",
            get(register::consequence_test),
        )
        .route(
            "/api/v1/consequence-tests/{id}/{action}",
            post(register::consequence_test_action),
        )
        .route(
            "/api/v1/documents",
            post(register::upload).layer(DefaultBodyLimit::max(MAX_UPLOAD)),
        )
        .route(
            "/api/v1/documents/{id}",
            axum::routing::delete(register::remove_document),
        )
        .route(
            "/api/v1/documents/{id}/check",
            post(register::check_document),
        )
        .route(
            "/api/v1/requests/{number}/publication",
            get(register::publish_draft).post(register::publish),
        )
        .route("/api/v1/publications", get(register::publications))
        .route("/api/v1/publications/{id}", get(register::publication))
        .route(
            "/api/v1/publications/{id}/unpublish",
            post(register::unpublish),
        )
        .route("/api/v1/dashboard", get(api::dashboard::figures))
        .route(
            "/api/v1/self-assessment",
            get(api::monev::self_assessment).post(api::monev::answer),
        )
        .route(
            "/api/v1/self-assessment/evidence.csv",
            get(api::monev::evidence_csv),
        )
        .route(
            "/api/v1/self-assessment/questionnaire",
            get(api::monev::questionnaire).put(api::monev::set_questionnaire),
        )
        .route("/api/v1/comparison", get(api::monev::comparison))
        .route("/api/{*rest}", axum::routing::any(public::not_found))
}

fn header(name: &'static str, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(
        HeaderName::from_static(name),
        HeaderValue::from_static(value),
    )
}

/// Back-office pages show names, addresses and revealed identity numbers: no cache may keep
/// them (`no-store`, not the portal's `no-cache`).
async fn office_no_store(req: Request<axum::body::Body>, next: axum::middleware::Next) -> Response {
    let office = req.uri().path().starts_with("/kantor");
    let mut resp = next.run(req).await;
    if office {
        resp.headers_mut().insert(
            axum::http::header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        );
    }
    resp
}

/// A body over a route's limit is refused by axum with a bare text 413; the API answers it in
/// its JSON error shape and the pages with a page that says what to do.
async fn explained_too_large(
    req: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> Response {
    use axum::response::IntoResponse;
    let api = req.uri().path().starts_with("/api/");
    let resp = next.run(req).await;
    let plain = resp
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/plain"));
    if resp.status() != axum::http::StatusCode::PAYLOAD_TOO_LARGE || !plain {
        return resp;
    }
    if api {
        return error::ApiError::too_large().into_response();
    }
    (
        axum::http::StatusCode::PAYLOAD_TOO_LARGE,
        axum::response::Html(
            "<!doctype html><html lang=\"id\"><meta charset=\"utf-8\"><title>Berkas terlalu besar</title>\
             <h1>Berkas terlalu besar</h1><p>Berkas atau isian melebihi batas yang diterima. \
             Perkecil berkas (misalnya pindai dengan resolusi lebih rendah) lalu kirim ulang.</p>\
             <p lang=\"en\">The file or form is larger than accepted; make it smaller and send it again.</p>\
             <p><a href=\"/\">Beranda</a></p></html>",
        ),
    )
        .into_response()
}

/// The whole application router.
pub fn router(app: Arc<App>, web: WebConfig) -> Router {
    let submissions = lentera_app::brakes::submissions(web.submit_per_min);
    let state = AppState {
        app,
        web: Arc::new(web),
        submissions,
    };
    api_router()
        .layer(header("cache-control", "no-store"))
        .merge(pages::router())
        .with_state(state)
        .layer(axum::middleware::from_fn(office_no_store))
        .layer(axum::middleware::from_fn(explained_too_large))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(header("x-content-type-options", "nosniff"))
        .layer(header("referrer-policy", "same-origin"))
        .layer(header("x-frame-options", "DENY"))
        .layer(header(
            "content-security-policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ))
        .layer(header("cache-control", "no-cache"))
        // Paths only: query strings carry tracking codes and must not reach the logs.
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            tracing::info_span!("http", method = %req.method(), path = %req.uri().path())
        }))
}

/// Serves until `shutdown` completes, then finishes in-flight requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Arc<App>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, app, WebConfig::default(), shutdown).await
}

/// [`serve`] with explicit web settings.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    app: Arc<App>,
    web: WebConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = router(app, web).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
}
