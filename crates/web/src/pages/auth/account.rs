//! The officer's own account (`/kantor/akun`): two-step verification and its recovery codes,
//! password change, and their sessions with "end this session" and "end all others".

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lentera_app::AppError;
use lentera_app::accounts::SessionView;
use lentera_app::two_factor::Status;

use super::second_step::{EnrolPage, RecoveryPage, code_error};
use crate::pages::common::{Ctx, Page, app_error_text, error_text, text};
use crate::pages::guards::{Office, OfficeForm};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "auth/account.html")]
struct AccountPage {
    p: Page,
    email: String,
    status: Status,
    sessions: Vec<SessionView>,
    notice: Option<String>,
    error: Option<String>,
    /// The form the error belongs to: "password", "recovery".
    failed: &'static str,
    idle_minutes: i64,
}

impl AccountPage {
    fn browser(&self, ua: &str) -> String {
        browser_name(ua)
    }
}

/// "Chrome di Android" from a user-agent string; the raw string is not shown.
pub fn browser_name(ua: &str) -> String {
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Chromium/", "Chromium"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]
    .iter()
    .find(|(k, _)| ua.contains(k))
    .map(|(_, n)| *n);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS", "macOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(k, _)| ua.contains(k))
    .map(|(_, n)| *n);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} · {s}"),
        (Some(b), None) => b.to_owned(),
        (None, Some(s)) => s.to_owned(),
        (None, None) => "—".to_owned(),
    }
}

/// The messages of a failed form, without field names.
fn messages(ctx: &Ctx, e: &AppError) -> String {
    match e {
        AppError::Invalid(f) => {
            f.0.values()
                .flatten()
                .map(|c| password_error(ctx, c))
                .collect::<Vec<_>>()
                .join(" ")
        }
        other => app_error_text(ctx.t, other),
    }
}

/// Texts of the password rule's codes.
pub fn password_error(ctx: &Ctx, code: &str) -> String {
    let (id, en) = match code {
        "too_short" => (
            "Kata sandi minimal 10 karakter.",
            "The password needs at least 10 characters.",
        ),
        "common_password" => (
            "Kata sandi ini terlalu umum atau pernah bocor; pilih yang lain (misalnya beberapa kata acak).",
            "This password is too common or has been breached; choose another (a few random words, for example).",
        ),
        "contains_email" => (
            "Kata sandi tidak boleh memuat alamat surel Anda.",
            "The password must not contain your e-mail address.",
        ),
        "too_simple" => (
            "Kata sandi terlalu sederhana (satu huruf berulang atau urutan).",
            "The password is too simple (one repeated character or a sequence).",
        ),
        "wrong_password" => ("Kata sandi lama salah.", "The old password is wrong."),
        "mismatch" => (
            "Kedua kata sandi baru tidak sama.",
            "The two new passwords differ.",
        ),
        other => return error_text(ctx.t, other).to_owned(),
    };
    ctx.t.pick(id, en).to_owned()
}

async fn account_page(
    app: &AppState,
    ctx: &Ctx,
    notice: Option<String>,
    error: Option<(StatusCode, &'static str, String)>,
) -> Response {
    let officer = match ctx.officer() {
        Ok(o) => o,
        Err(r) => return r,
    };
    let cookie = ctx.session_cookie.clone().unwrap_or_default();
    let loaded = async {
        Ok::<_, AppError>((
            app.two_factor_status(&officer.user).await?,
            app.my_sessions(officer, &cookie).await?,
        ))
    }
    .await;
    let (status, sessions) = match loaded {
        Ok(v) => v,
        Err(e) => {
            return ctx.error_page(
                StatusCode::SERVICE_UNAVAILABLE,
                ctx.t.pick("Akun saya", "My account"),
                &app_error_text(ctx.t, &e),
            );
        }
    };
    let (code, failed, error) = match error {
        Some((s, f, e)) => (s, f, Some(e)),
        None => (StatusCode::OK, "", None),
    };
    ctx.render(
        code,
        &AccountPage {
            p: ctx.page(ctx.t.pick("Akun saya", "My account")),
            email: officer.user.email.clone(),
            status,
            sessions,
            notice,
            error,
            failed,
            idle_minutes: app.config.session_idle.whole_minutes(),
        },
    )
}

/// `GET /kantor/akun`
pub async fn page(State(app): State<AppState>, Office { ctx, .. }: Office) -> Response {
    account_page(&app, &ctx, None, None).await
}

/// `POST /kantor/akun/sandi`: the old password, the new one twice.
pub async fn change_password(
    State(app): State<AppState>,
    crate::limiter::ClientIp(ip): crate::limiter::ClientIp,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    let new = text(&f, "new_password");
    let result = if new != text(&f, "new_password2") {
        Err(AppError::field("new_password", "mismatch"))
    } else {
        let cookie = ctx.session_cookie.clone().unwrap_or_default();
        app.change_password(officer, &cookie, &text(&f, "old_password"), &new, Some(ip))
            .await
    };
    match result {
        Ok(()) => {
            account_page(
                &app,
                &ctx,
                Some(
                    ctx.t
                        .pick(
                            "Kata sandi diganti. Sesi lain dan semua token API telah diakhiri.",
                            "Password changed. Your other sessions and every API token have ended.",
                        )
                        .to_owned(),
                ),
                None,
            )
            .await
        }
        Err(e) => {
            let msg = messages(&ctx, &e);
            account_page(
                &app,
                &ctx,
                None,
                Some((StatusCode::UNPROCESSABLE_ENTITY, "password", msg)),
            )
            .await
        }
    }
}

/// `POST /kantor/akun/sesi/akhiri`: ends one of the officer's sessions (by its `id`).
pub async fn end_session(
    State(app): State<AppState>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    let id = text(&f, "id");
    let current = ctx
        .session_cookie
        .as_deref()
        .is_some_and(|c| app.secret().hash(c) == id);
    match app.end_my_session(officer, &id).await {
        Ok(()) if current => Redirect::to("/kantor/masuk").into_response(),
        Ok(()) => Redirect::to("/kantor/akun#sesi").into_response(),
        Err(e) => {
            let msg = app_error_text(ctx.t, &e);
            account_page(
                &app,
                &ctx,
                None,
                Some((StatusCode::NOT_FOUND, "sessions", msg)),
            )
            .await
        }
    }
}

/// `POST /kantor/akun/sesi/akhiri-lainnya`
pub async fn end_others(
    State(app): State<AppState>,
    OfficeForm { ctx, officer, .. }: OfficeForm,
) -> Response {
    let officer = &officer;
    let cookie = ctx.session_cookie.clone().unwrap_or_default();
    match app.end_my_other_sessions(officer, &cookie).await {
        Ok(n) => {
            let msg = format!(
                "{} {n}",
                ctx.t
                    .pick("Sesi lain yang diakhiri:", "Other sessions ended:")
            );
            account_page(&app, &ctx, Some(msg), None).await
        }
        Err(e) => {
            let msg = app_error_text(ctx.t, &e);
            account_page(
                &app,
                &ctx,
                None,
                Some((StatusCode::SERVICE_UNAVAILABLE, "sessions", msg)),
            )
            .await
        }
    }
}

async fn enrol_page(
    app: &AppState,
    ctx: &Ctx,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let officer = match ctx.officer() {
        Ok(o) => o,
        Err(r) => return r,
    };
    match app.enrolment(&officer.user).await {
        Ok(e) => ctx.render(
            status,
            &EnrolPage {
                p: ctx.page(
                    ctx.t
                        .pick("Verifikasi dua langkah", "Two-step verification"),
                ),
                e,
                action: "/kantor/akun/dua-langkah",
                error,
                required: false,
            },
        ),
        Err(e) => {
            let msg = app_error_text(ctx.t, &e);
            account_page(
                app,
                ctx,
                None,
                Some((StatusCode::CONFLICT, "recovery", msg)),
            )
            .await
        }
    }
}

/// `GET /kantor/akun/dua-langkah`: enrolment by choice.
pub async fn enrol_form(State(app): State<AppState>, Office { ctx, .. }: Office) -> Response {
    enrol_page(&app, &ctx, None, StatusCode::OK).await
}

/// A form that carries an authenticator code: the address's guess brake applies, since a code
/// is a guessable secret (the officer and the token are checked by [`OfficeForm`]).
async fn code_guess_allowed(
    app: &AppState,
    ctx: &Ctx,
    ip: std::net::IpAddr,
) -> Result<(), Response> {
    if app.guess_allowed(ip).await {
        return Ok(());
    }
    Err(ctx.error_page(
        StatusCode::TOO_MANY_REQUESTS,
        ctx.t.pick("Terlalu banyak percobaan", "Too many attempts"),
        ctx.t.pick(
            "Coba lagi beberapa menit lagi.",
            "Try again in a few minutes.",
        ),
    ))
}

/// `POST /kantor/akun/dua-langkah`
pub async fn enrol(
    State(app): State<AppState>,
    crate::limiter::ClientIp(ip): crate::limiter::ClientIp,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    if let Err(r) = code_guess_allowed(&app, &ctx, ip).await {
        return r;
    }
    let officer = &officer;
    match app
        .confirm_enrolment(&officer.user, &text(&f, "code"))
        .await
    {
        Ok(codes) => ctx.render(
            StatusCode::OK,
            &RecoveryPage {
                p: ctx.page(ctx.t.pick("Kode pemulihan", "Recovery codes")),
                codes,
                first: true,
            },
        ),
        Err(e) => {
            app.guess_failed(ip).await;
            let msg = code_error(&ctx, &e);
            enrol_page(&app, &ctx, Some(msg), StatusCode::UNAUTHORIZED).await
        }
    }
}

/// `POST /kantor/akun/kode-pemulihan`: new recovery codes, with a current code of the app.
pub async fn new_recovery_codes(
    State(app): State<AppState>,
    crate::limiter::ClientIp(ip): crate::limiter::ClientIp,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    if let Err(r) = code_guess_allowed(&app, &ctx, ip).await {
        return r;
    }
    let officer = &officer;
    match app
        .new_recovery_codes(officer, &text(&f, "code"), Some(ip))
        .await
    {
        Ok(codes) => ctx.render(
            StatusCode::OK,
            &RecoveryPage {
                p: ctx.page(ctx.t.pick("Kode pemulihan", "Recovery codes")),
                codes,
                first: false,
            },
        ),
        Err(e) => {
            app.guess_failed(ip).await;
            let msg = code_error(&ctx, &e);
            account_page(
                &app,
                &ctx,
                None,
                Some((StatusCode::UNAUTHORIZED, "recovery", msg)),
            )
            .await
        }
    }
}
