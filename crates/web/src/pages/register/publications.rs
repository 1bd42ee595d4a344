//! Publishing a granted request's answer after the personal-data check, its uploads and
//! withdrawal, and the tests in force a refusal may cite.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lentera_app::AppError;
use lentera_app::auth::OfficerCtx;
use lentera_app::register::{
    DocOwner, DocumentView, PersonalFinding, PublicationView, PublishInput,
};
use uuid::Uuid;

use super::documents::{read_upload, store_upload, upload_error_text, upload_refused};
use super::findings::{FindingView, finding_views};
use super::format::size_label;
use super::forms::{
    Errors, all, banner, err_line, errors_of, notice_text, opt, parse_id, reg_error_text,
};
use crate::error::status_of;
use crate::pages::common::{Ctx, FormPairs, Page, app_error_text, text};
use crate::pages::guards::{Office, OfficeForm};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "register/publish.html")]
struct PublishPage {
    p: Page,
    number: String,
    title: String,
    text: String,
    documents: Vec<(DocumentView, bool)>,
    findings: Vec<FindingView>,
    /// Keys already confirmed in an earlier attempt, kept as hidden fields.
    confirmed: Vec<String>,
    blocked: bool,
    publications: Vec<(PublicationView, String)>,
    errors: Errors,
    notice: Option<String>,
    error: Option<String>,
    upload_error: Option<String>,
    withdraw_error: Option<(Uuid, String)>,
}

impl PublishPage {
    fn err(&self, name: &str) -> Option<String> {
        err_line(self.p.t, &self.errors, name)
    }

    fn size(&self, d: &DocumentView) -> String {
        size_label(d)
    }

    fn is_confirmed(&self, key: &str) -> bool {
        self.confirmed.iter().any(|k| k == key)
    }

    fn withdraw_err(&self, id: &Uuid) -> Option<String> {
        self.withdraw_error
            .as_ref()
            .filter(|(i, _)| i == id)
            .map(|(_, m)| m.clone())
    }
}

#[derive(Default)]
struct PublishExtras {
    posted: Option<FormPairs>,
    findings: Option<Vec<PersonalFinding>>,
    errors: Errors,
    notice: Option<String>,
    error: Option<(StatusCode, String)>,
    upload_error: Option<String>,
    withdraw_error: Option<(Uuid, String)>,
}

async fn publish_page(
    app: &AppState,
    ctx: &Ctx,
    officer: &OfficerCtx,
    number: &str,
    x: PublishExtras,
) -> Response {
    let t = ctx.t;
    let draft = match app.publish_draft(officer, number).await {
        Ok(d) => d,
        Err(AppError::NotFound(_)) => return ctx.not_found(),
        Err(e) => {
            return ctx.error_page(
                status_of(&e),
                t.pick("Publikasikan jawaban", "Publish the answer"),
                &banner(t, &e),
            );
        }
    };
    let p = ctx.page(format!(
        "{} {}",
        t.pick("Publikasikan jawaban", "Publish the answer"),
        draft.number
    ));
    let (title, text, chosen, confirmed) = match &x.posted {
        Some(f) => (
            crate::pages::common::text(f, "title"),
            crate::pages::common::text(f, "text"),
            all(f, "documents"),
            all(f, "confirmed"),
        ),
        None => (
            draft.title.clone(),
            draft.text.clone(),
            Vec::new(),
            Vec::new(),
        ),
    };
    let blocked = x.findings.is_some();
    let findings = finding_views(t, x.findings.as_deref().unwrap_or(&draft.findings));
    let documents = draft
        .documents
        .iter()
        .map(|d| (d.clone(), chosen.iter().any(|c| *c == d.id.to_string())))
        .collect();
    let publications = draft
        .publications
        .iter()
        .map(|a| (a.clone(), p.local(&a.published_at)))
        .collect();
    let (status, error) = match x.error {
        Some((s, m)) => (s, Some(m)),
        None if x.upload_error.is_some() || x.withdraw_error.is_some() => {
            (StatusCode::UNPROCESSABLE_ENTITY, None)
        }
        None => (StatusCode::OK, None),
    };
    // Confirmations still needed are shown as checkboxes; the others stay as hidden fields.
    let open_keys: Vec<&str> = findings.iter().map(|f| f.key.as_str()).collect();
    let confirmed = confirmed
        .into_iter()
        .filter(|k| !open_keys.contains(&k.as_str()))
        .collect();
    let page = PublishPage {
        p,
        number: draft.number.clone(),
        title,
        text,
        documents,
        findings,
        confirmed,
        blocked,
        publications,
        errors: x.errors,
        notice: x.notice,
        error,
        upload_error: x.upload_error,
        withdraw_error: x.withdraw_error,
    };
    ctx.render(status, &page)
}

pub async fn publish_form(
    State(app): State<AppState>,
    Office { ctx, officer }: Office,
    Path(number): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let officer = &officer;
    let x = PublishExtras {
        notice: q.get("ok").and_then(|ok| notice_text(ctx.t, ok)),
        ..PublishExtras::default()
    };
    publish_page(&app, &ctx, officer, &number, x).await
}

pub async fn publish(
    State(app): State<AppState>,
    Path(number): Path<String>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    let t = ctx.t;
    let mut errors = Errors::new();
    let mut documents = Vec::new();
    for d in all(&f, "documents") {
        match parse_id(&d) {
            Some(id) => documents.push(id),
            None => {
                errors.insert("documents".into(), vec!["invalid".into()]);
            }
        }
    }
    let input = PublishInput {
        title: opt(&f, "title"),
        text: opt(&f, "text"),
        documents,
        confirmed: all(&f, "confirmed"),
    };
    let posted: FormPairs = f.iter().filter(|(k, _)| k != "csrf").cloned().collect();
    if !errors.is_empty() {
        let x = PublishExtras {
            posted: Some(posted),
            errors,
            error: Some((
                StatusCode::UNPROCESSABLE_ENTITY,
                t.pick(
                    "Periksa isian yang ditandai.",
                    "Please check the marked fields.",
                )
                .to_owned(),
            )),
            ..PublishExtras::default()
        };
        return publish_page(&app, &ctx, officer, &number, x).await;
    }
    match app.publish_answer(officer, &number, &input).await {
        Ok(v) => Redirect::to(&v.url).into_response(),
        Err(AppError::NotFound(_)) => ctx.not_found(),
        Err(AppError::PersonalData(findings)) => {
            let msg = format!(
                "{} {}",
                app_error_text(t, &AppError::PersonalData(findings.clone())),
                t.pick("Belum dipublikasikan.", "Nothing was published.")
            );
            let x = PublishExtras {
                posted: Some(posted),
                findings: Some(findings),
                error: Some((StatusCode::UNPROCESSABLE_ENTITY, msg)),
                ..PublishExtras::default()
            };
            publish_page(&app, &ctx, officer, &number, x).await
        }
        Err(e) => {
            let x = PublishExtras {
                posted: Some(posted),
                errors: errors_of(&e),
                error: Some((status_of(&e), banner(t, &e))),
                ..PublishExtras::default()
            };
            publish_page(&app, &ctx, officer, &number, x).await
        }
    }
}

pub async fn request_upload(
    State(app): State<AppState>,
    Office { ctx, officer }: Office,
    Path(number): Path<String>,
    mp: Multipart,
) -> Response {
    let officer = &officer;
    let u = read_upload(mp).await;
    if let Some(r) = upload_refused(&ctx, &u) {
        return r;
    }
    match store_upload(&app, officer, DocOwner::Request(number.clone()), u).await {
        Ok(_) => Redirect::to(&format!(
            "/kantor/permohonan/{number}/publikasi?ok=uploaded"
        ))
        .into_response(),
        Err(AppError::NotFound(_)) => ctx.not_found(),
        Err(e) => {
            let x = PublishExtras {
                upload_error: Some(upload_error_text(ctx.t, &e)),
                error: match &e {
                    AppError::Invalid(_) => None,
                    other => Some((status_of(other), banner(ctx.t, other))),
                },
                ..PublishExtras::default()
            };
            publish_page(&app, &ctx, officer, &number, x).await
        }
    }
}

pub async fn withdraw(
    State(app): State<AppState>,
    Path(id): Path<String>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    let Some(id) = parse_id(&id) else {
        return ctx.not_found();
    };
    let current = match app.publication(id, Some(officer)).await {
        Ok(v) => v,
        Err(AppError::NotFound(_)) => return ctx.not_found(),
        Err(e) => {
            return ctx.error_page(
                status_of(&e),
                ctx.t.pick("Gagal", "Failed"),
                &banner(ctx.t, &e),
            );
        }
    };
    match app.unpublish(officer, id, &text(&f, "reason")).await {
        Ok(v) => match &v.request {
            Some(n) => Redirect::to(&format!(
                "/kantor/permohonan/{n}/publikasi?ok=unpublished_answer"
            ))
            .into_response(),
            None => Redirect::to(&v.url).into_response(),
        },
        Err(e) => match &current.request {
            Some(n) => {
                let msg = match &e {
                    AppError::Invalid(_) => reg_error_text(ctx.t, "required"),
                    other => banner(ctx.t, other),
                };
                let x = PublishExtras {
                    withdraw_error: Some((id, msg)),
                    error: match &e {
                        AppError::Invalid(_) => None,
                        other => Some((status_of(other), banner(ctx.t, other))),
                    },
                    ..PublishExtras::default()
                };
                publish_page(&app, &ctx, officer, n, x).await
            }
            None => ctx.error_page(
                status_of(&e),
                ctx.t.pick("Gagal", "Failed"),
                &banner(ctx.t, &e),
            ),
        },
    }
}

/// The body's decided tests in force, for the refusal form's select: (id, label).
pub async fn tests_in_force(app: &AppState, officer: &OfficerCtx) -> Vec<(String, String)> {
    app.tests_for_officer(officer)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|v| v.in_force)
        .map(|v| {
            let number = v
                .state
                .determination
                .as_ref()
                .map(|d| d.number.clone())
                .unwrap_or_default();
            let grounds = v
                .state
                .fields
                .grounds
                .iter()
                .map(|g| g.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let info: String = v.state.fields.information.chars().take(80).collect();
            (v.id.to_string(), format!("{number} — {info} ({grounds})"))
        })
        .collect()
}
