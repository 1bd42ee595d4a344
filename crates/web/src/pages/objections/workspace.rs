//! The atasan PPID's objection workspace: the queue by legal due date (`/kantor/keberatan`), the
//! case page of one objection with everything needed to answer it, and the answer in two steps
//! (checked and shown first, carried out on confirmation).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lentera_app::AppError;
use lentera_app::auth::OfficerCtx;
use lentera_app::objections::{ObjectionDecisionPreview, ObjectionView};
use lentera_app::views::CaseDetail;
use lentera_domain::Role;
use lentera_domain::calendar::DueExplanation;
use lentera_domain::objection::{ANSWER_WORKING_DAYS, Ground};
use time::Date;

use crate::pages::common::{Ctx, FormPairs, Page, PageResult, app_error_text, text};
use crate::pages::guards::{Office, OfficeForm};
use crate::pages::requests::case::{Posted, posted_of};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "objections/queue.html")]
struct QueuePage {
    p: Page,
    body_name: String,
    today: Date,
    all: bool,
    open: usize,
    overdue: usize,
    objections: Vec<ObjectionView>,
}

/// `GET /kantor/keberatan`: the objections of the officer's body, those awaiting an answer
/// first, by the date the answer is due (`?semua=1` shows the answered ones too).
pub async fn queue(
    State(app): State<AppState>,
    Office { ctx, officer }: Office,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let heading = ctx.t.pick("Keberatan", "Objections");
    let mut list = app
        .objection_queue(&officer)
        .await
        .map_err(ctx.fail(heading))?;
    let awaiting = |o: &ObjectionView| o.status == "received" || o.status == "in_review";
    list.sort_by_key(|o| {
        (
            !awaiting(o),
            if awaiting(o) { o.due_on } else { None },
            std::cmp::Reverse(o.received_on),
        )
    });
    let open = list.iter().filter(|o| awaiting(o)).count();
    let overdue = list.iter().filter(|o| awaiting(o) && o.unanswered).count();
    let all = q.get("semua").is_some_and(|v| v == "1");
    if !all {
        list.retain(awaiting);
    }
    let page = QueuePage {
        p: ctx.page(heading),
        body_name: officer.home.row.name.clone(),
        today: app.today_in(officer.home.time_zone()),
        all,
        open,
        overdue,
        objections: list,
    };
    Ok(ctx.render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "objections/case.html")]
struct CasePage {
    p: Page,
    o: ObjectionView,
    /// The request under objection, with the notice appealed against.
    c: Option<CaseDetail>,
    /// How the answer's due date was counted.
    explanation: Option<DueExplanation>,
    grounds: Vec<(&'static str, &'static str)>,
    notice: Option<String>,
    error: Option<String>,
    letters: Vec<lentera_app::letters::LetterView>,
    pending: Vec<lentera_app::letters::PendingLetter>,
    /// For the shared objection partial: this one objection, its forms and their rights.
    objections: Vec<ObjectionView>,
    office: bool,
    can_decide_objection: bool,
    can_record_dispute: bool,
    posted: Option<Posted>,
    answer_days: u32,
}

impl CasePage {
    fn val(&self, form: &str, field: &str) -> String {
        Posted::value_in(self.posted.as_ref(), form, field)
    }

    fn err(&self, form: &str, field: &str) -> Option<String> {
        Posted::error_in(self.posted.as_ref(), self.p.t, form, field)
    }
}

/// `GET /kantor/keberatan/{number}`.
pub async fn case(
    State(app): State<AppState>,
    Office { ctx, officer }: Office,
    Path(number): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let notice = q.get("ok").map(|k| match k.as_str() {
        "decided" => ctx
            .t
            .pick(
                "Tanggapan atasan PPID disimpan ✓",
                "The superior's answer is saved ✓",
            )
            .to_owned(),
        _ => ctx.t.pick("Tersimpan ✓", "Saved ✓").to_owned(),
    });
    case_page(&app, &ctx, &officer, &number, notice, None, None).await
}

pub(crate) async fn case_page(
    app: &AppState,
    ctx: &Ctx,
    officer: &OfficerCtx,
    number: &str,
    notice: Option<String>,
    error: Option<(StatusCode, String)>,
    posted: Option<Posted>,
) -> Response {
    let heading = ctx.t.pick("Keberatan", "Objection");
    let o = match app.objection_for_officer(officer, number).await {
        Ok(o) => o,
        Err(AppError::NotFound(_)) => return ctx.not_found(),
        Err(e) => return ctx.error_of(heading, &e),
    };
    let c = app.case_detail(officer, &o.request).await.ok();
    let explanation = officer
        .home
        .calendar
        .explain(o.received_on, ANSWER_WORKING_DAYS)
        .ok();
    let (letters, pending) = app
        .letters_for_officer(officer, &o.request)
        .await
        .unwrap_or_default();
    let grounds = o
        .grounds
        .iter()
        .filter_map(|g| Ground::parse(g))
        .map(|g| (g.as_str(), ctx.t.pick(g.label_id(), g.label_en())))
        .collect();
    let (status, error) = match error {
        Some((s, e)) => (s, Some(e)),
        None => (StatusCode::OK, None),
    };
    let page = CasePage {
        p: ctx.page(format!("{heading} {}", o.number)),
        objections: vec![o.clone()],
        o,
        c,
        explanation,
        grounds,
        notice,
        error,
        letters,
        pending,
        office: true,
        can_decide_objection: officer.role == Role::Supervisor,
        can_record_dispute: matches!(officer.role, Role::Ppid | Role::Supervisor),
        posted,
        answer_days: ANSWER_WORKING_DAYS,
    };
    ctx.render(status, &page)
}

#[derive(Template)]
#[template(path = "objections/confirm.html")]
struct ConfirmPage {
    p: Page,
    preview: ObjectionDecisionPreview,
    outcome_label: &'static str,
    note: String,
    fields: Vec<(String, String)>,
}

/// `POST /kantor/keberatan/{number}/putusan`: the atasan PPID's answer. Checked in full and
/// shown first; carried out only when the confirmation (`confirm=1`) comes back.
pub async fn decide(
    State(app): State<AppState>,
    Path(number): Path<String>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let (outcome, note) = (text(&f, "outcome"), text(&f, "note"));
    if text(&f, "edit") == "1" {
        // Back from the confirmation to change the answer: the form as it was typed.
        let posted = posted_of(&format!("objection:{number}"), f, &AppError::Forbidden);
        return case_page(&app, &ctx, &officer, &number, None, None, Some(posted)).await;
    }
    if text(&f, "confirm") != "1" {
        return match app
            .preview_objection_decision(&officer, &number, &outcome, &note)
            .await
        {
            Ok(preview) => {
                let page = ConfirmPage {
                    p: ctx.page(ctx.t.pick("Konfirmasi tanggapan", "Confirm the answer")),
                    outcome_label: outcome_label(ctx.t, preview.outcome.as_str()),
                    preview,
                    note: note.trim().to_owned(),
                    fields: vec![("outcome".into(), outcome), ("note".into(), note)],
                };
                ctx.render(StatusCode::OK, &page)
            }
            Err(e) => failed(&app, &ctx, &officer, &number, f, e).await,
        };
    }
    match app
        .decide_objection(&officer, &number, &outcome, &note)
        .await
    {
        Ok(v) => {
            Redirect::to(&format!("/kantor/keberatan/{}?ok=decided", v.number)).into_response()
        }
        Err(e) => failed(&app, &ctx, &officer, &number, f, e).await,
    }
}

/// Back to the objection's page with the answer as typed and the reason it was not taken.
async fn failed(
    app: &AppState,
    ctx: &Ctx,
    officer: &OfficerCtx,
    number: &str,
    f: FormPairs,
    e: AppError,
) -> Response {
    if matches!(e, AppError::NotFound(_)) {
        return ctx.not_found();
    }
    let status = crate::error::status_of(&e);
    let message = app_error_text(ctx.t, &e);
    let posted = posted_of(&format!("objection:{number}"), f, &e);
    case_page(
        app,
        ctx,
        officer,
        number,
        None,
        Some((status, message)),
        Some(posted),
    )
    .await
}

/// The superior's decision in words (the same words as the answer form).
pub(crate) fn outcome_label(t: crate::pages::common::Lang, outcome: &str) -> &'static str {
    match outcome {
        "upheld" => t.pick(
            "Dikabulkan (permohonan dibuka kembali)",
            "Upheld (request reopened)",
        ),
        "partially_upheld" => t.pick(
            "Dikabulkan sebagian (permohonan dibuka kembali)",
            "Partially upheld (request reopened)",
        ),
        _ => t.pick("Ditolak", "Dismissed"),
    }
}
