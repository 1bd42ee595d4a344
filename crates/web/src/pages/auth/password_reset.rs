//! The one-time link of an admin-started password reset (`/kantor/setel-ulang/{token}`): the
//! officer sets a new password under the password rule; their sessions and tokens end.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use lentera_app::AppError;

use super::account::password_error;
use crate::pages::common::{Ctx, Page, app_error_text, text};
use crate::pages::guards::CsrfForm;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "auth/password_reset.html")]
struct ResetPage {
    p: Page,
    email: String,
    token: String,
    error: Option<String>,
    done: bool,
}

fn gone(ctx: &Ctx) -> Response {
    ctx.error_page(
        StatusCode::NOT_FOUND,
        ctx.t.pick("Tautan tidak berlaku", "Link not valid"),
        ctx.t.pick(
            "Tautan setel ulang ini sudah dipakai, kedaluwarsa, atau diganti dengan tautan yang lebih baru. Minta tautan baru kepada administrator.",
            "This reset link was used, has expired or was replaced by a newer one. Ask an administrator for a new link.",
        ),
    )
}

fn token_ok(token: &str) -> bool {
    token.len() == 48 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `GET /kantor/setel-ulang/{token}`
pub async fn form(State(app): State<AppState>, ctx: Ctx, Path(token): Path<String>) -> Response {
    if !token_ok(&token) {
        return gone(&ctx);
    }
    match app.reset_link_user(&token).await {
        Ok(user) => ctx.render(
            StatusCode::OK,
            &ResetPage {
                p: ctx.page(ctx.t.pick("Setel ulang kata sandi", "Reset password")),
                email: user.email,
                token,
                error: None,
                done: false,
            },
        ),
        Err(_) => gone(&ctx),
    }
}

/// `POST /kantor/setel-ulang/{token}`
pub async fn submit(
    State(app): State<AppState>,
    Path(token): Path<String>,
    CsrfForm(ctx, f): CsrfForm,
) -> Response {
    if !token_ok(&token) {
        return gone(&ctx);
    }
    let Ok(user) = app.reset_link_user(&token).await else {
        return gone(&ctx);
    };
    let new = text(&f, "new_password");
    let result = if new == text(&f, "new_password2") {
        app.finish_password_reset(&token, &new).await
    } else {
        Err(AppError::field("new_password", "mismatch"))
    };
    let error = match &result {
        Ok(()) => None,
        Err(AppError::NotFound(_)) => return gone(&ctx),
        Err(AppError::Invalid(fe)) => Some(
            fe.0.values()
                .flatten()
                .map(|c| password_error(&ctx, c))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        Err(e) => Some(app_error_text(ctx.t, e)),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    ctx.render(
        status,
        &ResetPage {
            p: ctx.page(ctx.t.pick("Setel ulang kata sandi", "Reset password")),
            email: user.email,
            done: error.is_none(),
            token,
            error,
        },
    )
}
