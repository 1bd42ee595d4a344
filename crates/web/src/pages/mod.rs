//! Server-rendered HTML: the public portal, the back office and its administration pages.
//! Works without JavaScript; htmx only refreshes the queue when a filter changes.

pub mod admin;
pub mod common;
pub mod office;
pub mod portal;

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

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
        .route("/", get(portal::home))
        .route("/b/{slug}", get(portal::body))
        .route(
            "/b/{slug}/permohonan",
            get(portal::form).post(portal::submit),
        )
        .route("/b/{slug}/register", get(portal::register))
        .route("/lacak", get(portal::track_form).post(portal::track))
        .route("/lacak/keberatan", post(portal::object))
        .route("/b/{slug}/keberatan", get(portal::objection_register))
        .route(
            "/kantor/keberatan/{number}/putusan",
            post(office::decide_objection),
        )
        .route(
            "/kantor/keberatan/{number}/sengketa",
            post(office::dispute_step),
        )
        .route(
            "/kantor/keberatan/{number}/berkas.pdf",
            get(office::dossier),
        )
        .route("/bahasa/{code}", get(portal::language))
        .route("/kantor/masuk", get(office::login_form).post(office::login))
        .route("/kantor/keluar", post(office::logout))
        .route("/kantor", get(office::queue))
        .route(
            "/kantor/permohonan-baru",
            get(office::intake_form).post(office::intake),
        )
        .route("/kantor/permohonan/{number}", get(office::case))
        .route("/kantor/permohonan/{number}/tindakan", post(office::act))
        .route(
            "/kantor/permohonan/{number}/identitas",
            post(office::reveal),
        )
        .route(
            "/kantor/permohonan/{number}/keberatan",
            post(office::record_objection),
        )
        .route("/kantor/admin", get(admin::index))
        .route("/kantor/admin/badan", post(admin::add_body))
        .route("/kantor/admin/petugas", post(admin::add_user))
        .route("/kantor/admin/badan/{slug}", get(admin::body))
        .route("/kantor/admin/badan/{slug}/profil", post(admin::profile))
        .route("/kantor/admin/badan/{slug}/kalender", post(admin::calendar))
        .route(
            "/kantor/admin/badan/{slug}/penutupan",
            post(admin::add_closure),
        )
        .route(
            "/kantor/admin/badan/{slug}/penutupan/hapus",
            post(admin::remove_closure),
        )
        .route("/assets/lentera.css", get(css))
        .route("/assets/print.js", get(print_js))
        .route("/assets/htmx-2.min.js", get(htmx))
}
