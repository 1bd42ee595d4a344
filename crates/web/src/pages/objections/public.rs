//! Objections on the portal: filing one from the tracking page, and a body's public register
//! of objections.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use lentera_app::AppError;

use crate::pages::common::{Ctx, Page, text};
use crate::pages::guards::CsrfForm;
use crate::pages::requests::form::too_many_submissions;
use crate::pages::requests::track::{too_many_guesses, track_page};
use crate::state::AppState;

/// `POST /lacak/keberatan`: the requester files an objection from the tracking page.
pub async fn object(
    State(app): State<AppState>,
    crate::limiter::ClientIp(ip): crate::limiter::ClientIp,
    CsrfForm(ctx, f): CsrfForm,
) -> Response {
    if !app.guess_allowed(ip).await {
        return too_many_guesses(&ctx);
    }
    if !app.submission_admitted(ip).await {
        return too_many_submissions(&ctx);
    }
    let number = text(&f, "nomor");
    let code = text(&f, "kode");
    let grounds: Vec<String> = f
        .iter()
        .filter(|(k, _)| k == "grounds")
        .map(|(_, v)| v.clone())
        .collect();
    let t = ctx.t;
    match app
        .file_objection(&number, &code, &grounds, &text(&f, "reason"), None)
        .await
    {
        Ok(r) => {
            let due = r.due_on.map_or_else(
                || {
                    t.pick(
                        "(belum dapat dihitung: kalender libur tahun berikutnya belum dimuat)",
                        "(not yet computable: next year's holiday calendar is not loaded)",
                    )
                    .to_owned()
                },
                |d| ctx.page("").date(d),
            );
            let msg = format!(
                "{} {} {} {}",
                t.pick("Keberatan", "Objection"),
                r.number,
                t.pick(
                    "diterima. Tanggapan atasan PPID paling lambat",
                    "received. The superior's answer is due by"
                ),
                due
            );
            track_page(&app, &ctx, &number, &code, Some(msg), None).await
        }
        Err(e) => {
            if matches!(e, AppError::NotFound(_)) {
                app.guess_failed(ip).await;
            }
            let msg = match &e {
                AppError::Invalid(fe)
                    if fe
                        .0
                        .get("grounds")
                        .is_some_and(|c| c.iter().any(|c| c.starts_with("not_available"))) =>
                {
                    t.pick(
                        "Alasan yang dipilih belum tersedia untuk permohonan ini.",
                        "The chosen grounds are not yet available for this request.",
                    )
                    .to_owned()
                }
                AppError::Invalid(_) => t
                    .pick(
                        "Pilih minimal satu alasan keberatan.",
                        "Choose at least one ground.",
                    )
                    .to_owned(),
                other => crate::pages::common::app_error_text(t, other),
            };
            let mut resp = track_page(
                &app,
                &ctx,
                &number,
                &code,
                None,
                Some((msg, text(&f, "reason"))),
            )
            .await;
            resp.headers_mut().insert(
                header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
            resp
        }
    }
}

#[derive(Template)]
#[template(path = "objections/register.html")]
struct ObjectionRegisterPage {
    p: Page,
    slug: String,
    body_name: String,
    entries: Vec<lentera_app::objections::ObjectionRegisterEntry>,
}

pub async fn objection_register(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Response {
    let Ok((body, entries)) = app.objection_register(&slug).await else {
        return ctx.not_found();
    };
    let p = ObjectionRegisterPage {
        p: ctx.page(ctx.t.pick("Register keberatan", "Register of objections")),
        slug,
        body_name: body.row.name.clone(),
        entries: entries.to_vec(),
    };
    ctx.render(StatusCode::OK, &p)
}
