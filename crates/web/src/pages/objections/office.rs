//! Objections in the back office: recording one received on paper, the superior's decision, the
//! steps of a dispute, and the dispute dossier.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use lentera_app::AppError;
use lentera_app::auth::OfficerCtx;

use crate::pages::common::{Ctx, FormPairs, app_error_text, field, text};
use crate::pages::guards::{Office, OfficeForm};
use crate::pages::requests::case::{case_page, case_page_with, posted_of};
use crate::state::AppState;

/// `POST /kantor/keberatan/{number}/sengketa`: a step of the dispute.
pub async fn dispute_step(
    State(app): State<AppState>,
    Path(number): Path<String>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    let opt = |k: &str| {
        field(&f, k)
            .map(str::to_owned)
            .filter(|v| !v.trim().is_empty())
    };
    let input = lentera_app::objections::DisputeInput {
        on: opt("on"),
        received_on: opt("received_on"),
        commission: opt("commission"),
        ki_number: opt("ki_number"),
        stage: opt("stage"),
        note: opt("note"),
        ruling: opt("ruling"),
        number: opt("number"),
        court: opt("court"),
        case_number: opt("case_number"),
        evidence: opt("evidence"),
    };
    match app
        .dispute_step(officer, &number, &text(&f, "step"), &input)
        .await
    {
        Ok(v) => Redirect::to(&format!("/kantor/permohonan/{}", v.request)).into_response(),
        Err(e) => {
            objection_failed(
                &app,
                &ctx,
                officer,
                &number,
                &format!("dispute:{number}"),
                f,
                e,
            )
            .await
        }
    }
}

/// `GET /kantor/keberatan/{number}/berkas.pdf`: the dispute dossier.
pub async fn dossier(
    State(app): State<AppState>,
    Office { ctx, officer }: Office,
    Path(number): Path<String>,
) -> Response {
    let officer = &officer;
    match app.dossier(officer, &number).await {
        Ok(pdf) => {
            let mut r = (StatusCode::OK, pdf).into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static("application/pdf"),
            );
            r
        }
        Err(e) => ctx.error_page(
            StatusCode::FORBIDDEN,
            ctx.t.pick("Berkas", "Dossier"),
            &app_error_text(ctx.t, &e),
        ),
    }
}

/// Back to the request's case page with the failed objection or dispute form filled in.
async fn objection_failed(
    app: &AppState,
    ctx: &Ctx,
    officer: &OfficerCtx,
    objection: &str,
    form: &str,
    f: FormPairs,
    e: AppError,
) -> Response {
    match app.objection_for_officer(officer, objection).await {
        Ok(o) => {
            let posted = posted_of(form, f, &e);
            case_page_with(
                app,
                ctx,
                officer,
                &o.request,
                None,
                None,
                Some((StatusCode::UNPROCESSABLE_ENTITY, app_error_text(ctx.t, &e))),
                Some(posted),
            )
            .await
        }
        Err(_) => ctx.error_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx.t.pick("Keberatan", "Objection"),
            &app_error_text(ctx.t, &e),
        ),
    }
}

/// `POST /kantor/permohonan/{number}/keberatan`: an objection received on paper or at the desk.
pub async fn record_objection(
    State(app): State<AppState>,
    Path(number): Path<String>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    let grounds: Vec<String> = f
        .iter()
        .filter(|(k, _)| k == "grounds")
        .map(|(_, v)| v.clone())
        .collect();
    match app
        .file_objection(&number, "", &grounds, &text(&f, "reason"), Some(officer))
        .await
    {
        Ok(r) => {
            let msg = format!(
                "{} {} — {} {}",
                ctx.t.pick("Keberatan dicatat", "Objection recorded"),
                r.number,
                ctx.t.pick(
                    "kode pelacakan untuk pemohon:",
                    "tracking code for the requester:"
                ),
                r.tracking_code
            );
            case_page(&app, &ctx, officer, &number, None, Some(msg), None).await
        }
        Err(e) => {
            let message = app_error_text(ctx.t, &e);
            let posted = posted_of("record_objection", f, &e);
            case_page_with(
                &app,
                &ctx,
                officer,
                &number,
                None,
                None,
                Some((StatusCode::UNPROCESSABLE_ENTITY, message)),
                Some(posted),
            )
            .await
        }
    }
}
