//! Back office: sign-in, the work queue, the case page with its actions, walk-in intake.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use lentera_app::AppError;
use lentera_app::auth::OfficerCtx;
use lentera_app::requests::{CaseQuery, DecisionInput, Intake, OfficerAction, QueueView};
use lentera_app::sessions::SignIn;
use lentera_app::views::{CaseDetail, CaseView};
use lentera_domain::{ExemptionGround, Outcome, RequestStatus, Role};
use time::Date;

use super::common::{
    Ctx, FormPairs, Page, SESSION_COOKIE, action_names, app_error_text, field, text,
};
use super::guards::{CsrfForm, Office, OfficeForm};
use super::portal::{ReceiptPage, intake_fields, raw_of, request_form, values_of};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "office/login.html")]
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

#[derive(Template)]
#[template(path = "office/queue.html")]
struct QueuePage {
    p: Page,
    body_name: String,
    today: Date,
    counts: lentera_app::requests::QueueCounts,
    cases: Vec<CaseView>,
    statuses: Vec<(&'static str, &'static str)>,
    status: String,
    units: Vec<(String, String)>,
    unit: String,
    can_intake: bool,
    objections: Vec<lentera_app::objections::ObjectionView>,
}

const ACTIVE: [&str; 6] = [
    "received",
    "awaiting_completion",
    "in_progress",
    "extended",
    "decided",
    "awaiting_payment",
];

pub async fn queue(
    State(app): State<AppState>,
    Office { ctx, officer }: Office,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let officer = &officer;
    let status = q.get("status").cloned().unwrap_or_default();
    let unit = q.get("unit").cloned().unwrap_or_default();
    let statuses = if status.is_empty() {
        ACTIVE.iter().map(|s| (*s).to_owned()).collect()
    } else {
        vec![status.clone()]
    };
    let query = CaseQuery {
        statuses: Some(statuses),
        unit: Some(unit.clone()),
        limit: Some(100),
        ..CaseQuery::default()
    };
    let QueueView {
        counts,
        cases,
        units,
        today,
    } = match app.queue(officer, &query).await {
        Ok(v) => v,
        Err(e) => {
            return ctx.error_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                ctx.t.pick("Antrean", "Queue"),
                &app_error_text(ctx.t, &e),
            );
        }
    };
    let mut p = ctx.page(ctx.t.pick("Antrean kerja", "Work queue"));
    p.htmx = true;
    let page = QueuePage {
        statuses: RequestStatus::ALL
            .iter()
            .map(|s| (s.as_str(), p.status_label(s.as_str())))
            .collect(),
        p,
        body_name: officer.body.row.name.clone(),
        today,
        counts,
        cases,
        status,
        units: units.into_iter().map(|u| (u.slug, u.name)).collect(),
        unit,
        can_intake: matches!(officer.role, Role::Ppid | Role::PpidUnit),
        objections: if matches!(officer.role, Role::Ppid | Role::Supervisor) {
            app.objection_queue(officer)
                .await
                .unwrap_or_default()
                .into_iter()
                .filter(|o| o.status == "received" || o.status == "in_review")
                .collect()
        } else {
            Vec::new()
        },
    };
    ctx.render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "office/case.html")]
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

    /// The value typed into `field` of form `form` (empty unless that form failed).
    fn val(&self, form: &str, field: &str) -> String {
        self.posted
            .as_ref()
            .filter(|p| p.form == form)
            .and_then(|p| super::common::field(&p.values, field))
            .unwrap_or("")
            .to_owned()
    }

    /// The error text of `field` in form `form`, if that form failed on it.
    fn err(&self, form: &str, field: &str) -> Option<String> {
        let p = self.posted.as_ref().filter(|p| p.form == form)?;
        let codes = p.errors.get(field)?;
        Some(
            codes
                .iter()
                .map(|c| super::register_office::reg_error_text(self.p.t, c))
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

async fn case_page(
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
async fn case_page_with(
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
    let consequence_tests = super::register_office::tests_in_force(app, officer).await;
    let page = CasePage {
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

#[derive(Template)]
#[template(path = "office/confirm.html")]
struct ConfirmPage {
    p: Page,
    number: String,
    label: String,
    effects: Vec<(String, String)>,
    fields: Vec<(String, String)>,
}

fn to_action(f: &FormPairs) -> Result<OfficerAction, &'static str> {
    let action = field(f, "action").unwrap_or("");
    let amount = |name: &str| {
        field(f, name)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.replace('.', "").parse::<u64>())
    };
    Ok(match action {
        "verify" => OfficerAction::Verify,
        "mark_incomplete" => OfficerAction::MarkIncomplete {
            note: text(f, "note"),
        },
        "not_processable" => OfficerAction::NotProcessable {
            reason: text(f, "reason"),
        },
        "route" => OfficerAction::Route {
            unit: text(f, "unit"),
        },
        "extend" => OfficerAction::Extend {
            reason: text(f, "reason"),
        },
        "request_payment" => OfficerAction::RequestPayment {
            amount_idr: amount("amount_idr")
                .unwrap_or(Ok(0))
                .map_err(|_| "amount_idr")?,
            method: field(f, "method").map(str::to_owned),
        },
        "deliver" => OfficerAction::Deliver {
            note: field(f, "note")
                .map(str::to_owned)
                .filter(|s| !s.is_empty()),
        },
        "close" => OfficerAction::Close {
            note: field(f, "note")
                .map(str::to_owned)
                .filter(|s| !s.is_empty()),
        },
        "decide" => OfficerAction::Decide(Box::new(DecisionInput {
            outcome: field(f, "outcome").map(str::to_owned),
            grounds: f
                .iter()
                .filter(|(k, _)| k == "grounds")
                .map(|(_, v)| v.clone())
                .collect(),
            holder: field(f, "holder").map(str::to_owned),
            note: field(f, "note").map(str::to_owned),
            fee_idr: amount("fee_idr").transpose().map_err(|_| "fee_idr")?,
            consequence_test: field(f, "consequence_test")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| serde_json::Value::String(s.to_owned())),
            ..DecisionInput::default()
        })),
        _ => return Err("action"),
    })
}

/// Two steps: without `confirm=1` the effect is shown (with the resulting due date); with it the
/// action is carried out.
pub async fn act(
    State(app): State<AppState>,
    Path(number): Path<String>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    let name = text(&f, "action");
    let action = match to_action(&f) {
        Ok(a) => a,
        Err(which) => {
            let msg = format!(
                "{}: {which}",
                ctx.t.pick("Isian tidak valid", "Invalid value")
            );
            return case_page(
                &app,
                &ctx,
                officer,
                &number,
                None,
                None,
                Some((StatusCode::UNPROCESSABLE_ENTITY, msg)),
            )
            .await;
        }
    };
    let label = ctx
        .t
        .pick(action_names(&name).0, action_names(&name).1)
        .to_owned();
    if field(&f, "confirm") != Some("1") {
        let p = ctx.page(ctx.t.pick("Konfirmasi", "Confirm"));
        let mut effects = Vec::new();
        if let Ok(c) = app.case_detail(officer, &number).await {
            effects.push((
                ctx.t.pick("Status sekarang", "Current status").to_owned(),
                p.status_label(c.request.status).to_owned(),
            ));
            if let Some(d) = c.request.due_on {
                effects.push((
                    ctx.t
                        .pick("Tenggat sekarang", "Current due date")
                        .to_owned(),
                    p.date(d),
                ));
            }
            if name == "extend" {
                let cal = &officer.home.calendar;
                if let Ok(d) = cal.due_date(c.request.received_on, 17) {
                    effects.push((
                        ctx.t
                            .pick(
                                "Tenggat setelah perpanjangan",
                                "Due date after the extension",
                            )
                            .to_owned(),
                        p.date(d),
                    ));
                }
            }
        }
        if let OfficerAction::Decide(d) = &action {
            if let Some(o) = &d.outcome {
                effects.push((
                    ctx.t.pick("Keputusan", "Decision").to_owned(),
                    p.outcome_label(o).to_owned(),
                ));
            }
            if !d.grounds.is_empty() {
                effects.push((
                    ctx.t.pick("Dasar", "Grounds").to_owned(),
                    d.grounds.join(", "),
                ));
            }
        }
        for (k, v) in &f {
            if matches!(k.as_str(), "reason" | "note" | "unit" | "holder") && !v.is_empty() {
                effects.push((k.clone(), v.clone()));
            }
        }
        let fields = f
            .iter()
            .filter(|(k, _)| k != "csrf" && k != "confirm")
            .cloned()
            .collect();
        return ctx.render(
            StatusCode::OK,
            &ConfirmPage {
                p,
                number,
                label,
                effects,
                fields,
            },
        );
    }
    match app.act(officer, &number, action).await {
        Ok(_) => Redirect::to(&format!("/kantor/permohonan/{number}?ok={name}")).into_response(),
        Err(e) => {
            let status = crate::error::status_of(&e);
            let message = app_error_text(ctx.t, &e);
            let posted = posted_of(&name, f, &e);
            case_page_with(
                &app,
                &ctx,
                officer,
                &number,
                None,
                None,
                Some((status, message)),
                Some(posted),
            )
            .await
        }
    }
}

fn intake_target(officer: &OfficerCtx) -> (String, String) {
    (officer.body.row.slug.clone(), officer.body.row.name.clone())
}

pub async fn intake_form(State(app): State<AppState>, Office { ctx, officer }: Office) -> Response {
    let officer = &officer;
    let (slug, name) = intake_target(officer);
    let today = app.today_in(officer.home.time_zone()).to_string();
    let v = super::portal::FormValues {
        kind: "individual".into(),
        obtain: "softcopy".into(),
        delivery: "pickup".into(),
        ..Default::default()
    };
    let mut form = request_form(
        &ctx,
        &slug,
        &name,
        v,
        BTreeMap::new(),
        Some(intake_fields(ctx.t, today, "in_person".into())),
    );
    form.p.title = ctx.t.pick("Catat permohonan", "Record a request").into();
    ctx.render(StatusCode::OK, &form)
}

pub async fn intake(
    State(app): State<AppState>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    let (slug, name) = intake_target(officer);
    let v = values_of(&f);
    let intake = Intake {
        received_on: field(&f, "received_on").map(str::to_owned),
        channel: field(&f, "channel").map(str::to_owned),
    };
    let key = field(&f, "submission_key")
        .filter(|k| (16..=64).contains(&k.len()))
        .map(str::to_owned);
    match app
        .submit(&raw_of(&slug, &v), Some(&intake), Some(officer), key)
        .await
    {
        Ok(r) => ctx.render(
            StatusCode::CREATED,
            &ReceiptPage {
                p: ctx.page(ctx.t.pick("Tanda bukti", "Receipt")),
                body_name: name,
                r,
            },
        ),
        Err(AppError::Invalid(errors)) => {
            let errors = errors
                .0
                .into_iter()
                .map(|(k, v)| (k, v.into_iter().map(str::to_owned).collect()))
                .collect();
            let fields = intake_fields(ctx.t, text(&f, "received_on"), text(&f, "channel"));
            ctx.render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &request_form(&ctx, &slug, &name, v, errors, Some(fields)),
            )
        }
        Err(e) => ctx.error_page(
            StatusCode::FORBIDDEN,
            ctx.t.pick("Gagal", "Failed"),
            &app_error_text(ctx.t, &e),
        ),
    }
}

/// `POST /kantor/keberatan/{number}/putusan`: the atasan PPID's answer.
pub async fn decide_objection(
    State(app): State<AppState>,
    Path(number): Path<String>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    match app
        .decide_objection(officer, &number, &text(&f, "outcome"), &text(&f, "note"))
        .await
    {
        Ok(v) => Redirect::to(&format!("/kantor/permohonan/{}", v.request)).into_response(),
        Err(e) => {
            objection_failed(
                &app,
                &ctx,
                officer,
                &number,
                &format!("objection:{number}"),
                f,
                e,
            )
            .await
        }
    }
}

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

fn posted_of(form: &str, values: FormPairs, e: &AppError) -> Posted {
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
