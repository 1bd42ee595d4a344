//! Consequence tests in the back office: the list with the new-test form, one test's page, its
//! actions and uploads.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lentera_app::AppError;
use lentera_app::auth::OfficerCtx;
use lentera_app::register::{DocOwner, TestAction, TestView};
use uuid::Uuid;

use super::documents::{read_upload, store_upload, upload_error_text, upload_refused};
use super::format::short_date;
use super::forms::{
    Errors, HistoryLine, banner, err_line, errors_of, history, notice_text, parse_date, parse_id,
};
use super::test_form::{TestForm, TestFormCtx};
use crate::error::status_of;
use crate::pages::common::{Ctx, FormPairs, Lang, Page, field, text};
use crate::pages::guards::{Office, OfficeForm};
use crate::state::AppState;

pub struct OfficeTestRow {
    pub id: Uuid,
    pub information: String,
    pub status: &'static str,
    pub status_code: &'static str,
    pub in_force: bool,
    pub lapsed: bool,
    pub number: String,
    pub review_due: Option<String>,
}

#[derive(Template)]
#[template(path = "register/tests.html")]
struct TestsPage {
    p: Page,
    body_name: String,
    rows: Vec<OfficeTestRow>,
    f: TestFormCtx,
    error: Option<String>,
}

fn consequence_status_label(t: Lang, s: lentera_domain::consequence::TestStatus) -> &'static str {
    use lentera_domain::consequence::TestStatus as S;
    match t {
        Lang::Id => s.label_id(),
        Lang::En => match s {
            S::Draft => "Draft",
            S::Tested => "Tested",
            S::Decided => "Decided",
            S::Expired => "Ended (opened)",
            S::Annulled => "Annulled by a ruling",
        },
    }
}

async fn tests_page(
    app: &AppState,
    ctx: &Ctx,
    officer: &OfficerCtx,
    v: TestForm,
    errors: Errors,
    error: Option<(StatusCode, String)>,
) -> Response {
    let t = ctx.t;
    let list = match app.tests_for_officer(officer).await {
        Ok(l) => l,
        Err(e) => {
            return ctx.error_page(
                status_of(&e),
                t.pick("Uji konsekuensi", "Consequence tests"),
                &banner(t, &e),
            );
        }
    };
    let rows = list
        .iter()
        .map(|v| OfficeTestRow {
            id: v.id,
            information: v.state.fields.information.clone(),
            status: consequence_status_label(t, v.status),
            status_code: v.status.as_str(),
            in_force: v.in_force,
            lapsed: v.lapsed,
            number: v
                .state
                .determination
                .as_ref()
                .map(|d| d.number.clone())
                .unwrap_or_default(),
            review_due: v.state.review_due.map(|d| short_date(t, d)),
        })
        .collect();
    let f = TestFormCtx::new(app, t, officer, "/kantor/uji".into(), v, errors).await;
    let (status, error) = match error {
        Some((s, m)) => (s, Some(m)),
        None => (StatusCode::OK, None),
    };
    let page = TestsPage {
        p: ctx.page(t.pick("Uji konsekuensi", "Consequence tests")),
        body_name: officer.home.row.name.clone(),
        rows,
        f,
        error,
    };
    ctx.render(status, &page)
}

pub async fn consequence_tests(
    State(app): State<AppState>,
    Office { ctx, officer }: Office,
) -> Response {
    let officer = &officer;
    let v = TestForm {
        conclusion: "exempt".into(),
        trigger: "before_request".into(),
        period_kind: "until_date".into(),
        ..TestForm::default()
    };
    tests_page(&app, &ctx, officer, v, BTreeMap::new(), None).await
}

pub async fn create_consequence_test(
    State(app): State<AppState>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    let v = TestForm::from_pairs(&f);
    match app.create_test(officer, &v.raw()).await {
        Ok(t) => Redirect::to(&format!("/kantor/uji/{}?ok=test_created", t.id)).into_response(),
        Err(e) => {
            let errors = errors_of(&e);
            let msg = banner(ctx.t, &e);
            tests_page(&app, &ctx, officer, v, errors, Some((status_of(&e), msg))).await
        }
    }
}

#[derive(Template)]
#[template(path = "register/test.html")]
struct TestDetailPage {
    p: Page,
    v: TestView,
    status: &'static str,
    f: TestFormCtx,
    history: Vec<HistoryLine>,
    notice: Option<String>,
    error: Option<String>,
    /// The action whose form failed, with what was typed and the errors.
    posted: Option<(String, FormPairs, Errors)>,
    basis: String,
    period: String,
    determination: String,
    today: String,
}

impl TestDetailPage {
    fn val(&self, action: &str, name: &str) -> String {
        self.posted
            .as_ref()
            .filter(|(a, _, _)| a == action)
            .and_then(|(_, f, _)| field(f, name))
            .unwrap_or("")
            .to_owned()
    }

    fn err(&self, action: &str, name: &str) -> Option<String> {
        let (_, _, errors) = self.posted.as_ref().filter(|(a, _, _)| a == action)?;
        err_line(self.p.t, errors, name)
    }

    fn can(&self, action: &str) -> bool {
        use lentera_domain::consequence::TestStatus as S;
        matches!(
            (self.v.status, action),
            (S::Draft, "amend" | "submit")
                | (S::Tested, "amend" | "decide")
                | (S::Decided, "review" | "expire" | "annul")
        )
    }
}

async fn consequence_test_page(
    app: &AppState,
    ctx: &Ctx,
    officer: &OfficerCtx,
    id: Uuid,
    notice: Option<String>,
    error: Option<(StatusCode, String)>,
    posted: Option<(String, FormPairs, Errors)>,
) -> Response {
    let t = ctx.t;
    let v = match app.test(id, Some(officer)).await {
        Ok(v) => v,
        Err(AppError::NotFound(_)) => return ctx.not_found(),
        Err(e) => {
            return ctx.error_page(
                status_of(&e),
                t.pick("Uji konsekuensi", "Consequence test"),
                &banner(t, &e),
            );
        }
    };
    let (form_v, form_errors) = match &posted {
        Some((a, f, errors)) if a == "amend" => (TestForm::from_pairs(f), errors.clone()),
        _ => (TestForm::from_fields(&v.state.fields), BTreeMap::new()),
    };
    let f = TestFormCtx::new(
        app,
        t,
        officer,
        format!("/kantor/uji/{id}/tindakan"),
        form_v,
        form_errors,
    )
    .await;
    let p = ctx.page(t.pick("Uji konsekuensi", "Consequence test"));
    let history = history(app, &p, id).await;
    let (status, error) = match error {
        Some((s, m)) => (s, Some(m)),
        None => (StatusCode::OK, None),
    };
    let fields = &v.state.fields;
    let page = TestDetailPage {
        status: consequence_status_label(t, v.status),
        basis: super::format::legal_basis(fields),
        period: super::format::period_label(t, fields.period.as_ref()),
        determination: v.state.determination.as_ref().map_or_else(
            || "—".to_owned(),
            |d| {
                format!(
                    "{} / {} · {} · {}",
                    d.number,
                    short_date(t, d.on),
                    d.place,
                    d.official
                )
            },
        ),
        today: app.today_in(officer.home.time_zone()).to_string(),
        p,
        v,
        f,
        history,
        notice,
        error,
        posted,
    };
    ctx.render(status, &page)
}

pub async fn consequence_test_detail(
    State(app): State<AppState>,
    Office { ctx, officer }: Office,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let officer = &officer;
    let Some(id) = parse_id(&id) else {
        return ctx.not_found();
    };
    let notice = q.get("ok").and_then(|ok| notice_text(ctx.t, ok));
    consequence_test_page(&app, &ctx, officer, id, notice, None, None).await
}

fn consequence_test_action(f: &FormPairs) -> Result<TestAction, Errors> {
    let mut errors = Errors::new();
    let action = match field(f, "action").unwrap_or("") {
        "amend" => TestAction::Amend(Box::new(TestForm::from_pairs(f).raw())),
        "submit" => TestAction::Submit,
        "decide" => {
            let on = match parse_date(&text(f, "on")) {
                Ok(d) => d,
                Err(()) => {
                    errors.insert("on".into(), vec!["invalid_date".into()]);
                    None
                }
            };
            TestAction::Decide {
                number: text(f, "number"),
                place: text(f, "place"),
                official: text(f, "official"),
                on,
            }
        }
        "review" => TestAction::Review {
            keep: field(f, "keep") != Some("0"),
            note: text(f, "note"),
        },
        "expire" => TestAction::Expire {
            note: text(f, "note"),
        },
        "annul" => TestAction::Annul {
            ruling: text(f, "ruling"),
        },
        _ => {
            errors.insert("action".into(), vec!["invalid_choice".into()]);
            TestAction::Submit
        }
    };
    if errors.is_empty() {
        Ok(action)
    } else {
        Err(errors)
    }
}

pub async fn act_on_consequence_test(
    State(app): State<AppState>,
    Path(id): Path<String>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    let Some(id) = parse_id(&id) else {
        return ctx.not_found();
    };
    let name = text(&f, "action");
    let values: FormPairs = f.iter().filter(|(k, _)| k != "csrf").cloned().collect();
    let action = match consequence_test_action(&f) {
        Ok(a) => a,
        Err(errors) => {
            let msg = ctx
                .t
                .pick(
                    "Periksa isian yang ditandai.",
                    "Please check the marked fields.",
                )
                .to_owned();
            return consequence_test_page(
                &app,
                &ctx,
                officer,
                id,
                None,
                Some((StatusCode::UNPROCESSABLE_ENTITY, msg)),
                Some((name, values, errors)),
            )
            .await;
        }
    };
    match app.act_on_test(officer, id, action).await {
        Ok(_) => Redirect::to(&format!("/kantor/uji/{id}?ok={name}")).into_response(),
        Err(AppError::NotFound(_)) => ctx.not_found(),
        Err(e) => {
            // Completeness errors on submission belong to the amend form's fields.
            let form = if name == "submit" {
                "amend".to_owned()
            } else {
                name
            };
            let values = if form == "amend" && values.iter().all(|(k, _)| k == "action") {
                Vec::new()
            } else {
                values
            };
            let posted = if form == "amend" && values.is_empty() {
                // Keep the stored values, show the errors beside them.
                match app.test(id, Some(officer)).await {
                    Ok(v) => {
                        let tf = TestForm::from_fields(&v.state.fields);
                        Some((form, form_pairs_of(&tf), errors_of(&e)))
                    }
                    Err(_) => None,
                }
            } else {
                Some((form, values, errors_of(&e)))
            };
            consequence_test_page(
                &app,
                &ctx,
                officer,
                id,
                None,
                Some((status_of(&e), banner(ctx.t, &e))),
                posted,
            )
            .await
        }
    }
}

fn form_pairs_of(v: &TestForm) -> FormPairs {
    let mut f: FormPairs = vec![
        ("information".into(), v.information.clone()),
        ("source".into(), v.source.clone()),
        ("other_law".into(), v.other_law.clone()),
        ("harm".into(), v.harm.clone()),
        ("public_interest".into(), v.public_interest.clone()),
        ("conclusion".into(), v.conclusion.clone()),
        ("redaction_plan".into(), v.redaction_plan.clone()),
        ("period_kind".into(), v.period_kind.clone()),
        ("period_until".into(), v.period_until.clone()),
        ("period_event".into(), v.period_event.clone()),
        ("trigger".into(), v.trigger.clone()),
        ("request".into(), v.request.clone()),
        ("entry".into(), v.entry.clone()),
    ];
    f.extend(v.grounds.iter().map(|g| ("grounds".to_owned(), g.clone())));
    f
}

pub async fn upload_to_consequence_test(
    State(app): State<AppState>,
    Office { ctx, officer }: Office,
    Path(id): Path<String>,
    mp: Multipart,
) -> Response {
    let officer = &officer;
    let u = read_upload(mp).await;
    if let Some(r) = upload_refused(&ctx, &u) {
        return r;
    }
    let Some(id) = parse_id(&id) else {
        return ctx.not_found();
    };
    match store_upload(&app, officer, DocOwner::Test(id), u).await {
        Ok(_) => Redirect::to(&format!("/kantor/uji/{id}?ok=uploaded")).into_response(),
        Err(AppError::NotFound(_)) => ctx.not_found(),
        Err(e) => {
            let msg = upload_error_text(ctx.t, &e);
            consequence_test_page(
                &app,
                &ctx,
                officer,
                id,
                None,
                Some((status_of(&e), msg)),
                None,
            )
            .await
        }
    }
}
