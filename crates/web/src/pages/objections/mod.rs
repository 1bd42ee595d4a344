//! Objections and disputes: filed by the requester from the tracking page or recorded by an
//! officer, the public register of objections, the superior's decision, the dispute's steps
//! and its dossier.

pub mod office;
pub mod public;
pub mod workspace;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/lacak/keberatan", post(public::object))
        .route("/b/{slug}/keberatan", get(public::objection_register))
        .route(
            "/kantor/permohonan/{number}/keberatan",
            post(office::record_objection),
        )
        .route("/kantor/keberatan", get(workspace::queue))
        .route("/kantor/keberatan/{number}", get(workspace::case))
        .route(
            "/kantor/keberatan/{number}/putusan",
            post(workspace::decide),
        )
        .route(
            "/kantor/keberatan/{number}/sengketa",
            post(office::dispute_step),
        )
        .route(
            "/kantor/keberatan/{number}/berkas.pdf",
            get(office::dossier),
        )
}
