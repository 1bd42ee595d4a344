//! Requests for information: the portal's form, receipt and tracking, the public register of
//! requests, and the back office's queue, case page, actions and walk-in intake.

pub mod act;
pub mod case;
pub mod form;
pub mod intake;
pub mod queue;
pub mod register;
pub mod track;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/b/{slug}/permohonan", get(form::form).post(form::submit))
        .route("/b/{slug}/register", get(register::register))
        .route("/lacak", get(track::track_form).post(track::track))
        .route("/kantor", get(queue::queue))
        .route(
            "/kantor/permohonan-baru",
            get(intake::intake_form).post(intake::intake),
        )
        .route("/kantor/permohonan/{number}", get(case::case))
        .route("/kantor/permohonan/{number}/tindakan", post(act::act))
        .route("/kantor/permohonan/{number}/identitas", post(case::reveal))
}
