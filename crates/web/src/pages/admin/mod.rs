//! Administration, for admins only: bodies, units and officers with their accounts, each
//! body's profile and working days, the national calendar, and the audit log.

pub mod accounts;
pub mod audit;
pub mod bodies;
pub mod calendar;
pub mod letterhead;
pub mod mail;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/kantor/admin", get(bodies::index))
        .route("/kantor/admin/badan", post(bodies::add_body))
        .route("/kantor/admin/petugas", post(bodies::add_user))
        .route("/kantor/admin/petugas/{id}/{action}", post(accounts::act))
        .route("/kantor/admin/badan/{slug}", get(bodies::body))
        .route("/kantor/admin/badan/{slug}/profil", post(bodies::profile))
        .route(
            "/kantor/admin/badan/{slug}/kalender",
            post(bodies::calendar),
        )
        .route(
            "/kantor/admin/badan/{slug}/penutupan",
            post(bodies::add_closure),
        )
        .route(
            "/kantor/admin/badan/{slug}/penutupan/hapus",
            post(bodies::remove_closure),
        )
        .route(
            "/kantor/admin/badan/{slug}/kop-surat",
            get(letterhead::form).post(letterhead::save).layer(
                axum::extract::DefaultBodyLimit::max(lentera_app::letters::MAX_LOGO + 64 * 1024),
            ),
        )
        .route(
            "/kantor/admin/badan/{slug}/kop-surat/contoh.pdf",
            get(letterhead::sample),
        )
        .route("/kantor/admin/surel", get(mail::index))
        .route("/kantor/admin/surel/{name}", get(mail::one))
        .route("/kantor/admin/audit", get(audit::page))
        .route(
            "/kantor/admin/kalender",
            get(calendar::index).post(calendar::submit),
        )
        .route(
            "/kantor/admin/kalender/berkas",
            post(calendar::upload).layer(axum::extract::DefaultBodyLimit::max(calendar::MAX_FILE)),
        )
}
