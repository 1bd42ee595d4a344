//! Signing in with e-mail and password (then the second step, if any) and signing out.

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use lentera_app::AppError;
use lentera_app::sessions::SignIn;

use crate::pages::common::{Ctx, Page, SESSION_COOKIE, app_error_text, text};
use crate::pages::guards::CsrfForm;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    p: Page,
    email: String,
    error: Option<String>,
}

pub async fn login_form(ctx: Ctx) -> Response {
    if ctx.officer.is_some() {
        return Redirect::to("/kantor").into_response();
    }
    ctx.render(
        StatusCode::OK,
        &LoginPage {
            p: ctx.page(ctx.t.pick("Masuk", "Sign in")),
            email: String::new(),
            error: None,
        },
    )
}

pub async fn login(
    State(app): State<AppState>,
    crate::limiter::ClientIp(ip): crate::limiter::ClientIp,
    headers: axum::http::HeaderMap,
    CsrfForm(ctx, f): CsrfForm,
) -> Response {
    if !app.guess_allowed(ip).await {
        return ctx.error_page(
            StatusCode::TOO_MANY_REQUESTS,
            ctx.t.pick("Terlalu banyak percobaan", "Too many attempts"),
            ctx.t.pick("Terlalu banyak percobaan masuk yang gagal dari alamat ini. Coba lagi beberapa menit lagi.", "Too many failed sign-ins from this address. Try again in a few minutes."),
        );
    }
    let email = text(&f, "email");
    let client = super::second_step::client_info(ip, &headers);
    match app
        .open_session(&email, &text(&f, "password"), &client)
        .await
    {
        Ok(SignIn::Open(s)) => super::second_step::signed_in(&ctx, &s, "/kantor"),
        Ok(SignIn::SecondStep { pending, enrol }) => {
            super::second_step::to_second_step(&app, &ctx, &pending, enrol)
        }
        Err(e) => {
            app.guess_failed(ip).await;
            let error = Some(match &e {
                AppError::Unauthorized("auth.locked") => app_error_text(ctx.t, &e),
                _ => ctx
                    .t
                    .pick("Surel atau kata sandi salah.", "Wrong e-mail or password.")
                    .to_owned(),
            });
            ctx.render(
                StatusCode::UNAUTHORIZED,
                &LoginPage {
                    p: ctx.page(ctx.t.pick("Masuk", "Sign in")),
                    email,
                    error,
                },
            )
        }
    }
}

pub async fn logout(State(app): State<AppState>, CsrfForm(ctx, _): CsrfForm) -> Response {
    if let Some(c) = &ctx.session_cookie {
        let _ = app.close_session(c).await;
    }
    let mut resp = Redirect::to("/").into_response();
    resp.headers_mut()
        .append(header::SET_COOKIE, ctx.cookie(SESSION_COOKIE, "", Some(0)));
    resp
}
