//! Server-rendered HTML: the public portal, the back office and its administration pages.
//! Works without JavaScript; htmx only refreshes the queue when a filter changes.

pub mod account;
pub mod admin;
pub mod admin_accounts;
pub mod audit_admin;
pub mod calendar_admin;
pub mod common;
pub mod dashboard;
pub mod guards;
pub mod monev;
pub mod office;
pub mod password_reset;
pub mod portal;
pub mod questionnaire;
pub mod register;
pub mod register_office;
pub mod report;
pub mod second_step;

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
        .route(
            "/kantor/masuk/kode",
            get(second_step::code_form).post(second_step::code),
        )
        .route(
            "/kantor/masuk/daftar-dua-langkah",
            get(second_step::enrol_form).post(second_step::enrol),
        )
        .route("/kantor/akun", get(account::page))
        .route("/kantor/akun/sandi", post(account::change_password))
        .route(
            "/kantor/akun/dua-langkah",
            get(account::enrol_form).post(account::enrol),
        )
        .route(
            "/kantor/akun/kode-pemulihan",
            post(account::new_recovery_codes),
        )
        .route("/kantor/akun/sesi/akhiri", post(account::end_session))
        .route(
            "/kantor/akun/sesi/akhiri-lainnya",
            post(account::end_others),
        )
        .route(
            "/kantor/setel-ulang/{token}",
            get(password_reset::form).post(password_reset::submit),
        )
        .route(
            "/kantor/admin/petugas/{id}/{action}",
            post(admin_accounts::act),
        )
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
        .route("/kantor/admin/audit", get(audit_admin::page))
        .route(
            "/kantor/admin/kalender",
            get(calendar_admin::index).post(calendar_admin::submit),
        )
        .route(
            "/kantor/admin/kalender/berkas",
            post(calendar_admin::upload).layer(axum::extract::DefaultBodyLimit::max(
                calendar_admin::MAX_FILE,
            )),
        )
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
        .route("/b/{slug}/dip", get(register::dip))
        .route("/b/{slug}/dip.csv", get(register::dip_csv))
        .route("/b/{slug}/dip.xlsx", get(register::dip_xlsx))
        .route("/b/{slug}/dip/{id}", get(register::entry))
        .route("/b/{slug}/dik", get(register::dik))
        .route("/b/{slug}/dik.csv", get(register::dik_csv))
        .route("/b/{slug}/dik.xlsx", get(register::dik_xlsx))
        .route("/b/{slug}/dik/{id}", get(register::test))
        .route("/b/{slug}/jawaban", get(register::body_answers))
        .route("/b/{slug}/jawaban/{id}", get(register::answer))
        .route("/b/{slug}/publikasi.atom", get(register::feed_body))
        .route("/jawaban", get(register::answers))
        .route("/publikasi.atom", get(register::feed_all))
        .route("/dokumen/{id}/{name}", get(register::document))
        .route("/cari", get(register::search))
        .route("/cari/saran", get(register::suggest))
        .route(
            "/kantor/register",
            get(register_office::register_list).post(register_office::register_create),
        )
        .route(
            "/kantor/register/{id}",
            get(register_office::entry_edit).post(register_office::entry_update),
        )
        .route(
            "/kantor/register/{id}/publikasi",
            post(register_office::entry_publish),
        )
        .route(
            "/kantor/register/{id}/dokumen",
            post(register_office::entry_upload)
                .layer(axum::extract::DefaultBodyLimit::max(20 * 1024 * 1024)),
        )
        .route(
            "/kantor/dokumen/{id}/hapus",
            post(register_office::document_remove),
        )
        .route(
            "/kantor/dokumen/{id}/periksa",
            post(register_office::document_check),
        )
        .route(
            "/kantor/uji",
            get(register_office::consequence_tests).post(register_office::create_consequence_test),
        )
        .route(
            "/kantor/uji/{id}",
            get(register_office::consequence_test_detail),
        )
        .route(
            "/kantor/uji/{id}/tindakan",
            post(register_office::act_on_consequence_test),
        )
        .route(
            "/kantor/uji/{id}/dokumen",
            post(register_office::upload_to_consequence_test)
                .layer(axum::extract::DefaultBodyLimit::max(20 * 1024 * 1024)),
        )
        .route(
            "/kantor/permohonan/{number}/publikasi",
            get(register_office::publish_form).post(register_office::publish),
        )
        .route(
            "/kantor/permohonan/{number}/dokumen",
            post(register_office::request_upload)
                .layer(axum::extract::DefaultBodyLimit::max(20 * 1024 * 1024)),
        )
        .route(
            "/kantor/publikasi/{id}/tarik",
            post(register_office::withdraw),
        )
        .route("/kantor/monev", get(monev::office).post(monev::save))
        .route("/kantor/monev/bukti.csv", get(monev::evidence_csv))
        .route(
            "/kantor/monev/kuesioner",
            get(questionnaire::edit).post(questionnaire::save),
        )
        .route("/perbandingan", get(monev::comparison))
        .route("/b/{slug}/laporan", get(report::page))
        .route("/b/{slug}/laporan.pdf", get(report::pdf))
        .route("/b/{slug}/laporan.csv", get(report::csv))
        .route("/b/{slug}/laporan.xlsx", get(report::xlsx))
        .route("/kantor/laporan", get(report::office).post(report::save))
        .route("/assets/lentera.css", get(css))
        .route("/assets/print.js", get(print_js))
        .route("/assets/live.js", get(dashboard::live_js))
        .route("/kantor/pusat-kendali", get(dashboard::office))
        .route(
            "/kantor/pusat-kendali/stream",
            get(dashboard::office_stream),
        )
        .route("/b/{slug}/kinerja", get(dashboard::public))
        .route("/b/{slug}/kinerja/stream", get(dashboard::public_stream))
        .route("/assets/htmx-2.min.js", get(htmx))
}
