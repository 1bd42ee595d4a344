//! The register of public information: the public DIP and DIK with their exports, permanent
//! pages, published answers, documents and feeds; and in the back office the DIP entries,
//! consequence tests, publishing a granted request's answer, and their uploads.

pub mod answers;
pub mod consequence_tests;
pub mod documents;
pub mod entries;
pub mod entry_form;
pub mod exports;
pub mod findings;
pub mod format;
pub mod forms;
pub mod public;
pub mod publications;
pub mod test_form;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/b/{slug}/dip", get(public::dip))
        .route("/b/{slug}/dip.csv", get(exports::dip_csv))
        .route("/b/{slug}/dip.xlsx", get(exports::dip_xlsx))
        .route("/b/{slug}/dip/{id}", get(public::entry))
        .route("/b/{slug}/dik", get(public::dik))
        .route("/b/{slug}/dik.csv", get(exports::dik_csv))
        .route("/b/{slug}/dik.xlsx", get(exports::dik_xlsx))
        .route("/b/{slug}/dik/{id}", get(public::test))
        .route("/b/{slug}/jawaban", get(answers::body_answers))
        .route("/b/{slug}/jawaban/{id}", get(answers::answer))
        .route("/b/{slug}/publikasi.atom", get(answers::feed_body))
        .route("/jawaban", get(answers::answers))
        .route("/publikasi.atom", get(answers::feed_all))
        .route("/dokumen/{id}/{name}", get(documents::document))
        .route(
            "/kantor/register",
            get(entries::register_list).post(entries::register_create),
        )
        .route(
            "/kantor/register/{id}",
            get(entries::entry_edit).post(entries::entry_update),
        )
        .route(
            "/kantor/register/{id}/publikasi",
            post(entries::entry_publish),
        )
        .route(
            "/kantor/register/{id}/dokumen",
            post(entries::entry_upload)
                .layer(axum::extract::DefaultBodyLimit::max(20 * 1024 * 1024)),
        )
        .route(
            "/kantor/dokumen/{id}/hapus",
            post(documents::document_remove),
        )
        .route(
            "/kantor/dokumen/{id}/periksa",
            post(documents::document_check),
        )
        .route(
            "/kantor/uji",
            get(consequence_tests::consequence_tests)
                .post(consequence_tests::create_consequence_test),
        )
        .route(
            "/kantor/uji/{id}",
            get(consequence_tests::consequence_test_detail),
        )
        .route(
            "/kantor/uji/{id}/tindakan",
            post(consequence_tests::act_on_consequence_test),
        )
        .route(
            "/kantor/uji/{id}/dokumen",
            post(consequence_tests::upload_to_consequence_test)
                .layer(axum::extract::DefaultBodyLimit::max(20 * 1024 * 1024)),
        )
        .route(
            "/kantor/permohonan/{number}/publikasi",
            get(publications::publish_form).post(publications::publish),
        )
        .route(
            "/kantor/permohonan/{number}/dokumen",
            post(publications::request_upload)
                .layer(axum::extract::DefaultBodyLimit::max(20 * 1024 * 1024)),
        )
        .route("/kantor/publikasi/{id}/tarik", post(publications::withdraw))
}
