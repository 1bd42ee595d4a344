//! Accountability: the annual report, the live command centre and the public performance page,
//! the self-assessment (monev) with its questionnaire, and the comparison across bodies.

pub mod dashboard;
pub mod monev;
pub mod questionnaire;
pub mod report;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/b/{slug}/laporan", get(report::page))
        .route("/b/{slug}/laporan.pdf", get(report::pdf))
        .route("/b/{slug}/laporan.csv", get(report::csv))
        .route("/b/{slug}/laporan.xlsx", get(report::xlsx))
        .route("/kantor/laporan", get(report::office).post(report::save))
        .route("/kantor/monev", get(monev::office).post(monev::save))
        .route("/kantor/monev/bukti.csv", get(monev::evidence_csv))
        .route(
            "/kantor/monev/kuesioner",
            get(questionnaire::edit).post(questionnaire::save),
        )
        .route("/perbandingan", get(monev::comparison))
        .route("/assets/live.js", get(dashboard::live_js))
        .route("/kantor/pusat-kendali", get(dashboard::office))
        .route(
            "/kantor/pusat-kendali/stream",
            get(dashboard::office_stream),
        )
        .route("/b/{slug}/kinerja", get(dashboard::public))
        .route("/b/{slug}/kinerja/stream", get(dashboard::public_stream))
}
