//! Officers' sign-in and their own account: password and second step, enrolment, recovery
//! codes, sessions, the one-time password reset link, and signing out.

pub mod account;
pub mod login;
pub mod password_reset;
pub mod second_step;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/kantor/masuk", get(login::login_form).post(login::login))
        .route(
            "/kantor/masuk/kode",
            get(second_step::code_form).post(second_step::code),
        )
        .route(
            "/kantor/masuk/daftar-dua-langkah",
            get(second_step::enrol_form).post(second_step::enrol),
        )
        .route("/kantor/keluar", post(login::logout))
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
}
