//! What an admin does to an officer's account: deactivate and reactivate (sessions and tokens
//! stop at once), a one-time password reset link to hand over, and a reset of two-step
//! verification (a lost phone). Each is in the audit log.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use lentera_app::AppError;
use uuid::Uuid;

use super::bodies::admin_page;
use crate::pages::common::{Ctx, Page, app_error_text};
use crate::pages::guards::AdminForm;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "admin/reset_link.html")]
struct ResetLinkPage {
    p: Page,
    email: String,
    link: String,
    expires: String,
}

async fn done(app: &AppState, ctx: &Ctx, result: Result<(), AppError>, ok: &str) -> Response {
    match result {
        Ok(()) => admin_page(app, ctx, Some(ok.to_owned()), None).await,
        Err(e) => {
            let status = match e {
                AppError::NotFound(_) => StatusCode::NOT_FOUND,
                _ => StatusCode::CONFLICT,
            };
            let msg = app_error_text(ctx.t, &e);
            admin_page(app, ctx, None, Some((status, msg))).await
        }
    }
}

fn parse(id: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id).map_err(|_| AppError::NotFound("user.not_found"))
}

/// `POST /kantor/admin/petugas/{id}/{action}`: `nonaktifkan`, `aktifkan`, `setel-ulang`,
/// `dua-langkah`.
pub async fn act(
    State(app): State<AppState>,
    headers: axum::http::HeaderMap,
    Path((id, action)): Path<(String, String)>,
    AdminForm { ctx, officer, .. }: AdminForm,
) -> Response {
    let officer = &officer;
    let id = match parse(&id) {
        Ok(id) => id,
        Err(e) => return done(&app, &ctx, Err(e), "").await,
    };
    let email = app.account_email(id).await.unwrap_or_default();
    match action.as_str() {
        "nonaktifkan" => {
            let r = app.set_user_active(officer, id, false).await;
            let msg = format!(
                "{} {email}",
                ctx.t.pick(
                    "Dinonaktifkan; sesi dan token API-nya berhenti:",
                    "Deactivated; their sessions and API tokens stopped:"
                )
            );
            done(&app, &ctx, r, &msg).await
        }
        "aktifkan" => {
            let r = app.set_user_active(officer, id, true).await;
            let msg = format!(
                "{} {email}",
                ctx.t.pick("Diaktifkan kembali:", "Reactivated:")
            );
            done(&app, &ctx, r, &msg).await
        }
        "dua-langkah" => {
            let r = app.reset_two_factor(officer, id).await;
            let msg = format!(
                "{} {email}",
                ctx.t.pick(
                    "Verifikasi dua langkah diatur ulang (daftar lagi saat masuk berikutnya):",
                    "Two-step verification reset (enrols again at the next sign-in):"
                )
            );
            done(&app, &ctx, r, &msg).await
        }
        "setel-ulang" => match app.start_password_reset(officer, id).await {
            Ok(link) => {
                let host = headers
                    .get(header::HOST)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("localhost");
                let scheme = if ctx.secure { "https" } else { "http" };
                let p = ctx.page(ctx.t.pick("Tautan setel ulang", "Reset link"));
                let expires = p.local(&link.expires_at);
                ctx.render(
                    StatusCode::OK,
                    &ResetLinkPage {
                        p,
                        email,
                        link: format!("{scheme}://{host}/kantor/setel-ulang/{}", link.token),
                        expires,
                    },
                )
            }
            Err(e) => done(&app, &ctx, Err(e), "").await,
        },
        _ => ctx.not_found(),
    }
}
