//! Tracking a request by its number and code (`/lacak`), with the brake on wrong guesses.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use lentera_app::objections::ObjectionView;
use lentera_app::views::RequestView;

use crate::pages::common::{Ctx, Page, text};
use crate::pages::guards::CsrfForm;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "requests/track.html")]
struct TrackPage {
    p: Page,
    view: Option<RequestView>,
    number: String,
    not_found: bool,
    code: String,
    objections: Vec<ObjectionView>,
    grounds: Vec<(&'static str, &'static str)>,
    notice: Option<String>,
    error: Option<String>,
    office: bool,
    can_decide_objection: bool,
    can_record_dispute: bool,
    /// The statement typed into a failed objection form.
    typed_reason: String,
    /// The official letters issued so far (signed download links).
    letters: Vec<lentera_app::letters::LetterView>,
    /// Letters not issued yet are shown to officers only.
    pending: Vec<lentera_app::letters::PendingLetter>,
}

impl TrackPage {
    /// The shared objection partial asks officers' pages for typed values; none here.
    fn val(&self, _form: &str, _field: &str) -> &'static str {
        ""
    }

    fn err(&self, _form: &str, _field: &str) -> Option<String> {
        None
    }

    fn empty(ctx: &Ctx, number: String, not_found: bool) -> Self {
        Self {
            p: ctx.page(ctx.t.pick("Lacak permohonan", "Track a request")),
            view: None,
            number,
            not_found,
            code: String::new(),
            objections: Vec::new(),
            grounds: Vec::new(),
            notice: None,
            error: None,
            office: false,
            can_decide_objection: false,
            can_record_dispute: false,
            typed_reason: String::new(),
            letters: Vec::new(),
            pending: Vec::new(),
        }
    }
}

/// The tracking page for an owner who gave the right code, with objections and the grounds
/// available for a new one.
pub(crate) async fn track_page(
    app: &AppState,
    ctx: &Ctx,
    number: &str,
    code: &str,
    notice: Option<String>,
    error: Option<(String, String)>,
) -> Response {
    let Ok((view, objections, grounds)) = app.track_with_objections(number.trim(), code).await
    else {
        let mut resp = ctx.render(
            StatusCode::NOT_FOUND,
            &TrackPage::empty(ctx, number.to_owned(), true),
        );
        resp.headers_mut().insert(
            header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
        return resp;
    };
    let t = ctx.t;
    let grounds = grounds
        .into_iter()
        .map(|g| (g.as_str(), t.pick(g.label_id(), g.label_en())))
        .collect();
    let mut page = TrackPage::empty(ctx, view.number.clone(), false);
    page.view = Some(view);
    page.code = code.to_owned();
    page.objections = objections;
    page.grounds = grounds;
    page.notice = notice;
    // A letter list that cannot be read costs the list, not the tracking page.
    page.letters = app
        .letters_of_tracked(number.trim(), code)
        .await
        .unwrap_or_default();
    if let Some((message, typed)) = error {
        page.error = Some(message);
        page.typed_reason = typed;
    }
    let mut resp = ctx.render(
        if page.error.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        &page,
    );
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    resp
}

pub async fn track_form(ctx: Ctx, Query(q): Query<HashMap<String, String>>) -> Response {
    ctx.render(
        StatusCode::OK,
        &TrackPage::empty(&ctx, q.get("nomor").cloned().unwrap_or_default(), false),
    )
}

/// The brake on wrong tracking codes, as on the API: past it, 429 for a while.
pub(crate) fn too_many_guesses(ctx: &Ctx) -> Response {
    ctx.error_page(
        StatusCode::TOO_MANY_REQUESTS,
        ctx.t.pick("Terlalu banyak percobaan", "Too many attempts"),
        ctx.t.pick(
            "Terlalu banyak nomor atau kode yang salah dari alamat ini. Coba lagi beberapa menit lagi.",
            "Too many wrong numbers or codes from this address. Try again in a few minutes.",
        ),
    )
}

pub async fn track(
    State(app): State<AppState>,
    crate::limiter::ClientIp(ip): crate::limiter::ClientIp,
    CsrfForm(ctx, f): CsrfForm,
) -> Response {
    if !app.guess_allowed(ip).await {
        return too_many_guesses(&ctx);
    }
    let resp = track_page(
        &app,
        &ctx,
        &text(&f, "nomor"),
        &text(&f, "kode"),
        None,
        None,
    )
    .await;
    if resp.status() == StatusCode::NOT_FOUND {
        app.guess_failed(ip).await;
    }
    resp
}
