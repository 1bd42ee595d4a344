//! DIP entries in the back office: the list with the new-entry form, one entry's page (edit,
//! publish, documents held back by the personal-data check), and uploads to an entry.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lentera_app::AppError;
use lentera_app::auth::OfficerCtx;
use lentera_app::register::{DocOwner, DocumentView, EntryView, FindingKind, PersonalFinding};
use uuid::Uuid;

use super::documents::{read_upload, store_upload, upload_error_text, upload_refused};
use super::entry_form::{EntryForm, EntryFormCtx};
use super::findings::{FindingView, finding_views, not_saved, text_status_label};
use super::format::{info_kind_label, short_date, size_label};
use super::forms::{
    Errors, HistoryLine, all, banner, errors_of, history, notice_text, opt, parse_id,
    reg_error_text,
};
use crate::error::status_of;
use crate::pages::common::{Ctx, Lang, Page, app_error_text, field};
use crate::pages::guards::{Office, OfficeForm};
use crate::state::AppState;

// ------------------------------------------------------------------ entry list

pub struct OfficeEntryRow {
    pub id: Uuid,
    pub title: String,
    pub kind: &'static str,
    pub unit: String,
    pub year: i32,
    pub published: bool,
    pub stale: bool,
    pub closed: bool,
    /// Something in it or in one of its documents waits for the personal-data check.
    pub held: bool,
    pub documents: usize,
    pub updated_on: String,
}

#[derive(Template)]
#[template(path = "register/office_entries.html")]
struct RegisterListPage {
    p: Page,
    body_name: String,
    slug: String,
    rows: Vec<OfficeEntryRow>,
    f: EntryFormCtx,
    error: Option<String>,
    completeness: String,
}

async fn register_list_page(
    app: &AppState,
    ctx: &Ctx,
    officer: &OfficerCtx,
    v: EntryForm,
    errors: Errors,
    error: Option<(StatusCode, String)>,
) -> Response {
    let t = ctx.t;
    let reg = match app
        .information_register(&officer.home.row.slug, Some(officer))
        .await
    {
        Ok(r) => r,
        Err(e) => {
            return ctx.error_page(
                status_of(&e),
                t.pick("Register", "Register"),
                &banner(t, &e),
            );
        }
    };
    let rows = reg
        .dip
        .iter()
        .flat_map(|(k, list)| {
            list.iter().map(move |e| OfficeEntryRow {
                id: e.id,
                title: e.fields.title.clone(),
                kind: info_kind_label(t, *k),
                unit: e.unit_name.clone().unwrap_or_default(),
                year: e.fields.year,
                published: e.published,
                stale: e.stale,
                closed: e.closed_by.is_some(),
                held: e.held || e.documents.iter().any(|d| d.held),
                documents: e.documents.len(),
                updated_on: short_date(t, e.updated_on),
            })
        })
        .collect();
    let f = EntryFormCtx::new(app, t, officer, "/kantor/register".into(), v, errors).await;
    let (status, error) = match error {
        Some((s, m)) => (s, Some(m)),
        None => (StatusCode::OK, None),
    };
    let page = RegisterListPage {
        p: ctx.page(t.pick("Register informasi", "Information register")),
        body_name: reg.body_name.clone(),
        slug: reg.body.clone(),
        rows,
        f,
        error,
        completeness: format!("{:.0}", reg.completeness),
    };
    ctx.render(status, &page)
}

pub async fn register_list(
    State(app): State<AppState>,
    Office { ctx, officer }: Office,
) -> Response {
    let officer = &officer;
    let today = app.today_in(officer.home.time_zone());
    let v = EntryForm {
        kind: "periodic".into(),
        forms: vec!["softcopy".into()],
        year: today.year().to_string(),
        ..EntryForm::default()
    };
    register_list_page(&app, &ctx, officer, v, BTreeMap::new(), None).await
}

pub async fn register_create(
    State(app): State<AppState>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    let v = EntryForm::from_pairs(&f);
    match app.create_entry(officer, &v.raw()).await {
        Ok(e) => Redirect::to(&format!("/kantor/register/{}?ok=created", e.id)).into_response(),
        Err(e) => {
            let errors = errors_of(&e);
            let msg = banner(ctx.t, &e);
            register_list_page(&app, &ctx, officer, v, errors, Some((status_of(&e), msg))).await
        }
    }
}

// ------------------------------------------------------------------ one entry

#[derive(Template)]
#[template(path = "register/office_entry.html")]
struct EntryEditPage {
    p: Page,
    e: EntryView,
    f: EntryFormCtx,
    notice: Option<String>,
    error: Option<String>,
    upload_error: Option<String>,
    reason_error: Option<String>,
    reason: String,
    history: Vec<HistoryLine>,
    /// What publishing would have to confirm (the check's findings in the entry and its
    /// documents), shown in the publish form.
    publish_findings: Vec<FindingView>,
    publish_blocked: bool,
    /// Findings that stopped an edit of the published entry, shown in the edit form.
    edit_findings: Vec<FindingView>,
    /// Keys confirmed in an earlier attempt that need no checkbox now.
    confirmed: Vec<String>,
    /// Documents the check holds back, with why.
    held: Vec<HeldDocument>,
    check_error: Option<(Uuid, String)>,
}

/// A document the personal-data check holds back from the public.
pub struct HeldDocument {
    pub id: Uuid,
    pub filename: String,
    pub url: String,
    pub reason: String,
    pub findings: Vec<FindingView>,
}

impl EntryEditPage {
    fn size(&self, d: &DocumentView) -> String {
        size_label(d)
    }

    fn is_confirmed(&self, key: &str) -> bool {
        self.confirmed.iter().any(|k| k == key)
    }

    fn check_err(&self, id: &Uuid) -> Option<String> {
        self.check_error
            .as_ref()
            .filter(|(i, _)| i == id)
            .map(|(_, m)| m.clone())
    }

    fn checked_line(&self, d: &DocumentView) -> Option<String> {
        d.checked_by.as_ref().map(|c| {
            format!(
                "{} {}, {}",
                self.p.t.pick("Diperiksa oleh", "Checked by"),
                c.name,
                self.p.local(&c.at)
            )
        })
    }
}

#[derive(Default)]
pub(crate) struct EntryExtras {
    pub(crate) form: Option<(EntryForm, Errors)>,
    pub(crate) notice: Option<String>,
    pub(crate) error: Option<(StatusCode, String)>,
    pub(crate) upload_error: Option<String>,
    pub(crate) reason_error: Option<(String, String)>,
    /// Findings that refused publishing.
    pub(crate) publish_findings: Option<Vec<PersonalFinding>>,
    /// Findings that refused an edit.
    pub(crate) edit_findings: Option<Vec<PersonalFinding>>,
    pub(crate) confirmed: Vec<String>,
    pub(crate) check_error: Option<(Uuid, String)>,
}

/// Why the check holds a document back, in the page's language.
fn held_reason(t: Lang, d: &DocumentView) -> String {
    if d.privacy_check == "unreadable" {
        format!(
            "{} {}",
            text_status_label(t, d.text_status),
            t.pick(
                "— isinya belum diperiksa siapa pun.",
                "— nobody has checked its content.",
            )
        )
    } else {
        t.pick(
            "Memuat kemungkinan data pribadi yang belum dinyatakan sebagai informasi publik.",
            "Holds possible personal data not confirmed as public information.",
        )
        .to_owned()
    }
}

/// The publish form's findings for an entry: its fields and its held documents.
fn entry_findings_of(e: &EntryView) -> Vec<PersonalFinding> {
    let mut out = e.findings.clone();
    for d in e.documents.iter().filter(|d| d.held) {
        if d.privacy_check == "unreadable" {
            out.push(PersonalFinding {
                place: d.id.to_string(),
                place_label: d.filename.clone(),
                kind: FindingKind::Unreadable,
                masked: String::new(),
                key: lentera_app::register::unreadable_key(d.id),
                text_status: Some(d.text_status),
            });
        } else {
            out.extend(d.findings.iter().cloned());
        }
    }
    out
}

pub(crate) async fn entry_page(
    app: &AppState,
    ctx: &Ctx,
    officer: &OfficerCtx,
    id: Uuid,
    x: EntryExtras,
) -> Response {
    let t = ctx.t;
    let e = match app.entry(id, Some(officer)).await {
        Ok(e) => e,
        Err(AppError::NotFound(_)) => return ctx.not_found(),
        Err(err) => {
            return ctx.error_page(
                status_of(&err),
                t.pick("Register", "Register"),
                &banner(t, &err),
            );
        }
    };
    let (v, errors) = x
        .form
        .unwrap_or_else(|| (EntryForm::from_view(&e), BTreeMap::new()));
    let f = EntryFormCtx::new(app, t, officer, format!("/kantor/register/{id}"), v, errors).await;
    let p = ctx.page(e.fields.title.clone());
    let history = history(app, &p, id).await;
    let (status, error) = match x.error {
        Some((s, m)) => (s, Some(m)),
        None if x.upload_error.is_some() || x.reason_error.is_some() => {
            (StatusCode::UNPROCESSABLE_ENTITY, None)
        }
        None => (StatusCode::OK, None),
    };
    let (reason, reason_error) = match x.reason_error {
        Some((typed, msg)) => (typed, Some(msg)),
        None => (String::new(), None),
    };
    let publish_blocked = x.publish_findings.is_some();
    let publish_findings = finding_views(
        t,
        &x.publish_findings.unwrap_or_else(|| entry_findings_of(&e)),
    );
    let edit_findings = finding_views(t, x.edit_findings.as_deref().unwrap_or(&[]));
    let open: Vec<&str> = publish_findings
        .iter()
        .chain(&edit_findings)
        .map(|f| f.key.as_str())
        .collect();
    let confirmed = x
        .confirmed
        .into_iter()
        .filter(|k| !open.contains(&k.as_str()))
        .collect();
    let held = e
        .documents
        .iter()
        .filter(|d| d.held)
        .map(|d| HeldDocument {
            id: d.id,
            filename: d.filename.clone(),
            url: d.url.clone(),
            reason: held_reason(t, d),
            findings: finding_views(t, &d.findings),
        })
        .collect();
    let page = EntryEditPage {
        p,
        e,
        f,
        notice: x.notice,
        error,
        upload_error: x.upload_error,
        reason_error,
        reason,
        history,
        publish_findings,
        publish_blocked,
        edit_findings,
        confirmed,
        held,
        check_error: x.check_error,
    };
    ctx.render(status, &page)
}

pub async fn entry_edit(
    State(app): State<AppState>,
    Office { ctx, officer }: Office,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let officer = &officer;
    let Some(id) = parse_id(&id) else {
        return ctx.not_found();
    };
    let x = EntryExtras {
        notice: q.get("ok").and_then(|ok| notice_text(ctx.t, ok)),
        ..EntryExtras::default()
    };
    entry_page(&app, &ctx, officer, id, x).await
}

pub async fn entry_update(
    State(app): State<AppState>,
    Path(id): Path<String>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    let Some(id) = parse_id(&id) else {
        return ctx.not_found();
    };
    let v = EntryForm::from_pairs(&f);
    let confirmed = all(&f, "confirmed");
    match app.update_entry(officer, id, &v.raw(), &confirmed).await {
        Ok(_) => Redirect::to(&format!("/kantor/register/{id}?ok=saved")).into_response(),
        Err(AppError::NotFound(_)) => ctx.not_found(),
        Err(AppError::PersonalData(findings)) => {
            let x = EntryExtras {
                form: Some((v, BTreeMap::new())),
                error: Some((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    not_saved(ctx.t, &findings),
                )),
                edit_findings: Some(findings),
                confirmed,
                ..EntryExtras::default()
            };
            entry_page(&app, &ctx, officer, id, x).await
        }
        Err(e) => {
            let x = EntryExtras {
                form: Some((v, errors_of(&e))),
                error: Some((status_of(&e), banner(ctx.t, &e))),
                ..EntryExtras::default()
            };
            entry_page(&app, &ctx, officer, id, x).await
        }
    }
}

pub async fn entry_publish(
    State(app): State<AppState>,
    Path(id): Path<String>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    let Some(id) = parse_id(&id) else {
        return ctx.not_found();
    };
    let publish = field(&f, "publish") == Some("1");
    let reason = opt(&f, "reason");
    let confirmed = all(&f, "confirmed");
    match app
        .set_entry_published(officer, id, publish, reason.clone(), &confirmed)
        .await
    {
        Ok(_) => Redirect::to(&format!(
            "/kantor/register/{id}?ok={}",
            if publish { "published" } else { "unpublished" }
        ))
        .into_response(),
        Err(AppError::NotFound(_)) => ctx.not_found(),
        Err(AppError::PersonalData(findings)) => {
            let x = EntryExtras {
                error: Some((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!(
                        "{} {}",
                        app_error_text(ctx.t, &AppError::PersonalData(findings.clone())),
                        ctx.t
                            .pick("Belum dipublikasikan.", "Nothing was published.")
                    ),
                )),
                publish_findings: Some(findings),
                confirmed,
                ..EntryExtras::default()
            };
            entry_page(&app, &ctx, officer, id, x).await
        }
        Err(e) => {
            let x = match &e {
                AppError::Invalid(fe) if fe.0.contains_key("reason") => EntryExtras {
                    reason_error: Some((
                        reason.unwrap_or_default(),
                        reg_error_text(ctx.t, "required"),
                    )),
                    ..EntryExtras::default()
                },
                _ => EntryExtras {
                    error: Some((status_of(&e), banner(ctx.t, &e))),
                    ..EntryExtras::default()
                },
            };
            entry_page(&app, &ctx, officer, id, x).await
        }
    }
}

pub async fn entry_upload(
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
    match store_upload(&app, officer, DocOwner::Entry(id), u).await {
        Ok(_) => Redirect::to(&format!("/kantor/register/{id}?ok=uploaded")).into_response(),
        Err(AppError::NotFound(_)) => ctx.not_found(),
        Err(e) => {
            let x = EntryExtras {
                upload_error: Some(upload_error_text(ctx.t, &e)),
                error: match &e {
                    AppError::Invalid(_) => None,
                    other => Some((status_of(other), banner(ctx.t, other))),
                },
                ..EntryExtras::default()
            };
            entry_page(&app, &ctx, officer, id, x).await
        }
    }
}
