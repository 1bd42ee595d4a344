//! The case page of a request: the whole chain on one timeline, its forms (coming back filled
//! in when one fails), and revealing the requester's identity number.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use lentera_app::AppError;
use lentera_app::auth::OfficerCtx;
use lentera_app::views::CaseDetail;
use lentera_domain::{ExemptionGround, Outcome, Role};
use time::Date;

use crate::pages::common::{Ctx, FormPairs, Page, action_names, app_error_text};
use crate::pages::guards::{Office, OfficeForm};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "requests/case.html")]
struct CasePage {
    p: Page,
    c: CaseDetail,
    revealed: Option<String>,
    notice: Option<String>,
    error: Option<String>,
    extended_due: Option<Date>,
    units: Vec<(String, String)>,
    outcomes: Vec<(&'static str, &'static str)>,
    grounds: Vec<(&'static str, &'static str)>,
    objections: Vec<lentera_app::objections::ObjectionView>,
    office: bool,
    can_decide_objection: bool,
    can_record_dispute: bool,
    /// What the officer sent when an action failed, so the form comes back filled in.
    posted: Option<Posted>,
    /// Grounds an officer may record for a paper or walk-in objection now.
    intake_grounds: Vec<(&'static str, &'static str)>,
    /// Request, objection and dispute events in one chronological list:
    /// (recorded at, kind, legal date, detail).
    timeline: Vec<(time::OffsetDateTime, &'static str, Option<Date>, String)>,
    /// Consequence tests in force that a refusal may cite: (id, label).
    consequence_tests: Vec<(String, String)>,
    /// The case's official letters, and those still being prepared (with their last error).
    letters: Vec<lentera_app::letters::LetterView>,
    pending: Vec<lentera_app::letters::PendingLetter>,
    /// The mails to the requester with their last attempt.
    mails: Vec<lentera_app::mail::MailView>,
}

/// A failed form: which one, what was typed, and the errors per field.
pub struct Posted {
    pub form: String,
    pub values: FormPairs,
    pub errors: BTreeMap<String, Vec<String>>,
}

impl CasePage {
    /// A unit's name from its slug, among the units the case may be routed to.
    fn unit_name(&self, slug: &str) -> Option<&str> {
        self.units
            .iter()
            .find(|(s, _)| s == slug)
            .map(|(_, n)| n.as_str())
    }

    fn val(&self, form: &str, field: &str) -> String {
        Posted::value_in(self.posted.as_ref(), form, field)
    }

    fn err(&self, form: &str, field: &str) -> Option<String> {
        Posted::error_in(self.posted.as_ref(), self.p.t, form, field)
    }
}

impl Posted {
    /// The value typed into `field` of form `form` (empty unless that form failed).
    pub fn value_in(posted: Option<&Self>, form: &str, field: &str) -> String {
        posted
            .filter(|p| p.form == form)
            .and_then(|p| crate::pages::common::field(&p.values, field))
            .unwrap_or("")
            .to_owned()
    }

    /// The error text of `field` in form `form`, if that form failed on it.
    pub fn error_in(
        posted: Option<&Self>,
        t: crate::pages::common::Lang,
        form: &str,
        field: &str,
    ) -> Option<String> {
        let p = posted.filter(|p| p.form == form)?;
        let codes = p.errors.get(field)?;
        Some(
            codes
                .iter()
                .map(|c| crate::pages::register::forms::reg_error_text(t, c))
                .collect::<Vec<_>>()
                .join(" "),
        )
    }
}

/// One chronological timeline of the whole chain (issue 5: "all of it on the case page as one
/// timeline").
fn merged_timeline(
    c: &CaseDetail,
    objections: &[lentera_app::objections::ObjectionView],
) -> Vec<(time::OffsetDateTime, &'static str, Option<Date>, String)> {
    let mut t: Vec<_> = c
        .request
        .events
        .iter()
        .map(|e| {
            let detail = match (e.from, e.to, &e.reason) {
                (Some(f), Some(t), Some(r)) => format!("{f} → {t}: {r}"),
                _ => String::new(),
            };
            (e.at, e.kind, None, detail)
        })
        .collect();
    for o in objections {
        t.extend(o.events.iter().map(|e| {
            (
                e.at,
                e.kind,
                e.on,
                format!("{} {}", o.number, e.detail).trim().to_owned(),
            )
        }));
        if let Some(d) = &o.dispute {
            t.extend(
                d.events
                    .iter()
                    .map(|e| (e.at, e.kind, e.on, e.detail.clone())),
            );
        }
    }
    t.sort_by_key(|e| e.0);
    t
}

pub(crate) async fn case_page(
    app: &AppState,
    ctx: &Ctx,
    officer: &OfficerCtx,
    number: &str,
    revealed: Option<String>,
    notice: Option<String>,
    error: Option<(StatusCode, String)>,
) -> Response {
    case_page_with(app, ctx, officer, number, revealed, notice, error, None).await
}

#[expect(clippy::too_many_arguments, reason = "one page, many optional parts")]
pub(crate) async fn case_page_with(
    app: &AppState,
    ctx: &Ctx,
    officer: &OfficerCtx,
    number: &str,
    revealed: Option<String>,
    notice: Option<String>,
    error: Option<(StatusCode, String)>,
    posted: Option<Posted>,
) -> Response {
    let c = match app.case_detail(officer, number).await {
        Ok(c) => c,
        Err(AppError::NotFound(_)) => return ctx.not_found(),
        Err(e) => {
            return ctx.error_page(
                StatusCode::FORBIDDEN,
                ctx.t.pick("Tidak diizinkan", "Not allowed"),
                &app_error_text(ctx.t, &e),
            );
        }
    };
    let body = officer.home.clone();
    let extended_due = body
        .calendar
        .due_date(
            c.request.received_on,
            lentera_domain::request::NOTICE_WORKING_DAYS
                + lentera_domain::request::EXTENSION_WORKING_DAYS,
        )
        .ok();
    let units = app
        .units_of(&c.request.body)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|u| (u.slug, u.name))
        .collect();
    let p = ctx.page(c.request.number.clone());
    let outcomes = Outcome::ALL
        .iter()
        .map(|o| (o.as_str(), p.outcome_label(o.as_str())))
        .collect();
    let (status, error) = match error {
        Some((s, e)) => (s, Some(e)),
        None => (StatusCode::OK, None),
    };
    let objections = app.objections_of_request(number).await.unwrap_or_default();
    let consequence_tests =
        crate::pages::register::publications::tests_in_force(app, officer).await;
    let (letters, pending) = app
        .letters_for_officer(officer, number)
        .await
        .unwrap_or_default();
    let mails = app
        .mail_for_officer(officer, number)
        .await
        .unwrap_or_default();
    let page = CasePage {
        mails,
        letters,
        pending,
        consequence_tests,
        p,
        timeline: merged_timeline(&c, &objections),
        posted,
        intake_grounds: app
            .objection_grounds_for_officer(officer, number)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|g| (g.as_str(), ctx.t.pick(g.label_id(), g.label_en())))
            .collect(),
        c,
        revealed,
        notice,
        error,
        extended_due,
        units,
        outcomes,
        grounds: ExemptionGround::ALL
            .iter()
            .map(|g| (g.as_str(), g.label_id()))
            .collect(),
        objections,
        office: true,
        can_decide_objection: officer.role == Role::Supervisor,
        can_record_dispute: matches!(officer.role, Role::Ppid | Role::Supervisor),
    };
    ctx.render(status, &page)
}

pub async fn case(
    State(app): State<AppState>,
    Office { ctx, officer }: Office,
    Path(number): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let officer = &officer;
    let notice = q
        .get("ok")
        .map(|a| format!("{} ✓", ctx.t.pick(action_names(a).0, action_names(a).1)));
    case_page(&app, &ctx, officer, &number, None, notice, None).await
}

pub async fn reveal(
    State(app): State<AppState>,
    Path(number): Path<String>,
    OfficeForm { ctx, officer, .. }: OfficeForm,
) -> Response {
    let officer = &officer;
    match app.reveal_identity(officer, &number).await {
        Ok(nik) => case_page(&app, &ctx, officer, &number, Some(nik), None, None).await,
        Err(e) => {
            case_page(
                &app,
                &ctx,
                officer,
                &number,
                None,
                None,
                Some((StatusCode::FORBIDDEN, app_error_text(ctx.t, &e))),
            )
            .await
        }
    }
}

pub(crate) fn posted_of(form: &str, values: FormPairs, e: &AppError) -> Posted {
    let errors = match e {
        AppError::Invalid(f) => {
            f.0.iter()
                .map(|(k, v)| (k.clone(), v.iter().map(|c| (*c).to_owned()).collect()))
                .collect()
        }
        _ => BTreeMap::new(),
    };
    Posted {
        form: form.to_owned(),
        values: values
            .into_iter()
            .filter(|(k, _)| k != "csrf" && k != "confirm")
            .collect(),
        errors,
    }
}
