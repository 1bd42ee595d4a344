//! The mails written as `.eml` files when no SMTP server is configured (the demo's case), for
//! admins to read.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use lentera_app::mail::EmlSummary;

use crate::pages::common::Page;
use crate::pages::guards::Admin;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "admin/mail.html")]
struct MailPage {
    p: Page,
    /// `None`: mail goes to an SMTP server, nothing is kept here.
    files: Option<Vec<EmlSummary>>,
    open: Option<(String, String)>,
}

pub async fn index(State(app): State<AppState>, Admin { ctx, .. }: Admin) -> Response {
    let files = match app.mail_files(100).await {
        Ok(f) => f,
        Err(e) => return ctx.error_of(ctx.t.pick("Surel", "Mail"), &e),
    };
    let page = MailPage {
        p: ctx.page(ctx.t.pick("Surel terkirim", "Mail sent")),
        files,
        open: None,
    };
    ctx.render(StatusCode::OK, &page)
}

pub async fn one(
    State(app): State<AppState>,
    Admin { ctx, .. }: Admin,
    Path(name): Path<String>,
) -> Response {
    let text = match app.mail_file(&name).await {
        Ok(t) => t,
        Err(e) => return ctx.error_of(ctx.t.pick("Surel", "Mail"), &e),
    };
    let page = MailPage {
        p: ctx.page(ctx.t.pick("Surel", "Mail")),
        files: Some(Vec::new()),
        open: Some((name, text)),
    };
    ctx.render(StatusCode::OK, &page)
}
