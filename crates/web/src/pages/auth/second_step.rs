//! The second step of a sign-in: the code of the officer's authenticator app (or a recovery
//! code), or, for an officer whose role requires it and who has none yet, enrolment first.
//! Until it passes, the officer holds only a short pending cookie that opens nothing else.

use std::net::IpAddr;

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use lentera_app::AppError;
use lentera_app::sessions::{ClientInfo, NewSession};
use lentera_app::two_factor::{Enrolment, SecondFactor};

use crate::pages::common::{Ctx, Page, SESSION_COOKIE, app_error_text, cookie_value, text};
use crate::pages::guards::CsrfForm;
use crate::state::AppState;

pub const PENDING_COOKIE: &str = "lentera_2fa";

pub fn client_info(ip: IpAddr, headers: &HeaderMap) -> ClientInfo {
    ClientInfo {
        ip: Some(ip),
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned(),
    }
}

/// The session cookie set, the pending one cleared, and on to `to`.
pub fn signed_in(ctx: &Ctx, s: &NewSession, to: &str) -> Response {
    let mut resp = Redirect::to(to).into_response();
    let h = resp.headers_mut();
    h.append(
        header::SET_COOKIE,
        ctx.cookie(SESSION_COOKIE, &s.cookie, None),
    );
    h.append(header::SET_COOKIE, ctx.cookie(PENDING_COOKIE, "", Some(0)));
    resp
}

pub fn to_second_step(app: &AppState, ctx: &Ctx, pending: &str, enrol: bool) -> Response {
    let to = if enrol {
        "/kantor/masuk/daftar-dua-langkah"
    } else {
        "/kantor/masuk/kode"
    };
    let mut resp = Redirect::to(to).into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        ctx.cookie(
            PENDING_COOKIE,
            pending,
            Some(app.config.pending_ttl.whole_seconds()),
        ),
    );
    resp
}

fn pending_cookie(headers: &HeaderMap) -> Option<String> {
    cookie_value(headers, PENDING_COOKIE)
        .filter(|c| c.len() == 64 && c.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_owned)
}

#[derive(Template)]
#[template(path = "auth/login_code.html")]
struct CodePage {
    p: Page,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "auth/enrol.html")]
pub struct EnrolPage {
    pub p: Page,
    pub e: Enrolment,
    pub action: &'static str,
    pub error: Option<String>,
    /// Signing in with a role that requires it (not by choice from the account page).
    pub required: bool,
}

#[derive(Template)]
#[template(path = "auth/recovery_codes.html")]
pub struct RecoveryPage {
    pub p: Page,
    pub codes: Vec<String>,
    pub first: bool,
}

/// The pending sign-in has ended (expired, or never was): back to the password.
fn expired(ctx: &Ctx) -> Response {
    let mut resp = Redirect::to("/kantor/masuk").into_response();
    resp.headers_mut()
        .append(header::SET_COOKIE, ctx.cookie(PENDING_COOKIE, "", Some(0)));
    resp
}

fn too_many(ctx: &Ctx) -> Response {
    ctx.error_page(
        StatusCode::TOO_MANY_REQUESTS,
        ctx.t.pick("Terlalu banyak percobaan", "Too many attempts"),
        ctx.t.pick(
            "Terlalu banyak percobaan masuk yang gagal dari alamat ini. Coba lagi beberapa menit lagi.",
            "Too many failed sign-ins from this address. Try again in a few minutes.",
        ),
    )
}

pub fn code_error(ctx: &Ctx, e: &AppError) -> String {
    match e {
        AppError::Unauthorized("auth.locked") => app_error_text(ctx.t, e),
        AppError::Unauthorized(_) => ctx
            .t
            .pick(
                "Kode salah, kedaluwarsa, atau sudah pernah dipakai. Tunggu kode berikutnya di aplikasi lalu coba lagi.",
                "Wrong, expired or already used code. Wait for the next code in the app and try again.",
            )
            .to_owned(),
        other => app_error_text(ctx.t, other),
    }
}

/// `GET /kantor/masuk/kode`
pub async fn code_form(State(app): State<AppState>, headers: HeaderMap, ctx: Ctx) -> Response {
    let Some(pending) = pending_cookie(&headers) else {
        return expired(&ctx);
    };
    match app.pending_sign_in(&pending).await {
        Ok((_, SecondFactor::Code)) => ctx.render(
            StatusCode::OK,
            &CodePage {
                p: ctx.page(ctx.t.pick("Kode verifikasi", "Verification code")),
                error: None,
            },
        ),
        Ok((_, SecondFactor::Enrol)) => {
            Redirect::to("/kantor/masuk/daftar-dua-langkah").into_response()
        }
        _ => expired(&ctx),
    }
}

/// `POST /kantor/masuk/kode`
pub async fn code(
    State(app): State<AppState>,
    crate::limiter::ClientIp(ip): crate::limiter::ClientIp,
    headers: HeaderMap,
    CsrfForm(ctx, f): CsrfForm,
) -> Response {
    let Some(pending) = pending_cookie(&headers) else {
        return expired(&ctx);
    };
    if !app.guess_allowed(ip).await {
        return too_many(&ctx);
    }
    let client = client_info(ip, &headers);
    match app
        .finish_sign_in(&pending, &text(&f, "code"), &client)
        .await
    {
        Ok(s) => signed_in(&ctx, &s, "/kantor"),
        Err(AppError::Unauthorized("auth.session_expired")) => expired(&ctx),
        Err(e) => {
            app.guess_failed(ip).await;
            ctx.render(
                StatusCode::UNAUTHORIZED,
                &CodePage {
                    p: ctx.page(ctx.t.pick("Kode verifikasi", "Verification code")),
                    error: Some(code_error(&ctx, &e)),
                },
            )
        }
    }
}

async fn enrol_page(
    app: &AppState,
    ctx: &Ctx,
    pending: &str,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let user = match app.pending_sign_in(pending).await {
        Ok((u, SecondFactor::Enrol)) => u,
        Ok((_, SecondFactor::Code)) => return Redirect::to("/kantor/masuk/kode").into_response(),
        _ => return expired(ctx),
    };
    match app.enrolment(&user).await {
        Ok(e) => ctx.render(
            status,
            &EnrolPage {
                p: ctx.page(
                    ctx.t
                        .pick("Verifikasi dua langkah", "Two-step verification"),
                ),
                e,
                action: "/kantor/masuk/daftar-dua-langkah",
                error,
                required: true,
            },
        ),
        Err(e) => ctx.error_page(
            StatusCode::CONFLICT,
            ctx.t
                .pick("Verifikasi dua langkah", "Two-step verification"),
            &app_error_text(ctx.t, &e),
        ),
    }
}

/// `GET /kantor/masuk/daftar-dua-langkah`: a required officer enrols before anything else.
pub async fn enrol_form(State(app): State<AppState>, headers: HeaderMap, ctx: Ctx) -> Response {
    let Some(pending) = pending_cookie(&headers) else {
        return expired(&ctx);
    };
    enrol_page(&app, &ctx, &pending, None, StatusCode::OK).await
}

/// `POST /kantor/masuk/daftar-dua-langkah`: the code confirms the secret; the session opens
/// and the recovery codes are shown, once.
pub async fn enrol(
    State(app): State<AppState>,
    crate::limiter::ClientIp(ip): crate::limiter::ClientIp,
    headers: HeaderMap,
    CsrfForm(ctx, f): CsrfForm,
) -> Response {
    let Some(pending) = pending_cookie(&headers) else {
        return expired(&ctx);
    };
    if !app.guess_allowed(ip).await {
        return too_many(&ctx);
    }
    let client = client_info(ip, &headers);
    match app
        .finish_enrolment(&pending, &text(&f, "code"), &client)
        .await
    {
        Ok((s, codes)) => {
            let mut p = ctx.page(ctx.t.pick("Kode pemulihan", "Recovery codes"));
            // The page is rendered for the new session: its menu and forms are the officer's.
            p.csrf = s.csrf.clone();
            let mut resp = ctx.render(
                StatusCode::OK,
                &RecoveryPage {
                    p,
                    codes,
                    first: true,
                },
            );
            let h = resp.headers_mut();
            h.append(
                header::SET_COOKIE,
                ctx.cookie(SESSION_COOKIE, &s.cookie, None),
            );
            h.append(header::SET_COOKIE, ctx.cookie(PENDING_COOKIE, "", Some(0)));
            resp
        }
        Err(AppError::Unauthorized("auth.session_expired")) => expired(&ctx),
        Err(e) => {
            app.guess_failed(ip).await;
            let msg = code_error(&ctx, &e);
            enrol_page(&app, &ctx, &pending, Some(msg), StatusCode::UNAUTHORIZED).await
        }
    }
}
