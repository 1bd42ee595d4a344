//! Public portal: home, body pages, the request form and receipt, tracking, the public register.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use lentera_app::AppError;
use lentera_app::objections::ObjectionView;
use lentera_app::requests::RegisterEntry;
use lentera_app::views::{Receipt, RequestView};
use lentera_domain::submission::{RawApplicant, RawSubmission};
use lentera_domain::{ApplicantKind, BodyKind, Channel, Delivery, Obtain};

use super::common::{Ctx, FormPairs, LANG_COOKIE, Lang, Page, error_text, field, text};
use super::guards::CsrfForm;
use crate::state::AppState;

/// A body on the home page, borrowed from the cached list (no copy per view).
pub struct BodyCard<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub kind_label: &'static str,
    pub parent_name: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "portal/home.html")]
struct HomePage<'a> {
    p: Page,
    bodies: Vec<BodyCard<'a>>,
}

pub async fn home(State(app): State<AppState>, ctx: Ctx) -> Response {
    let Ok(all) = app.bodies_shared().await else {
        return ctx.not_found();
    };
    // A body's parent is a body, never a unit: the names of the listed ones are enough.
    let listed: Vec<_> = all.iter().filter(|b| b.kind != "unit").collect();
    let names: HashMap<&str, &str> = listed
        .iter()
        .map(|b| (b.slug.as_str(), b.name.as_str()))
        .collect();
    let bodies = listed
        .iter()
        .map(|b| BodyCard {
            slug: &b.slug,
            name: &b.name,
            kind_label: BodyKind::parse(&b.kind).map_or("", BodyKind::label_id),
            parent_name: b.parent.as_deref().and_then(|p| names.get(p).copied()),
        })
        .collect();
    let page = HomePage {
        p: ctx.page(
            ctx.t
                .pick("Layanan informasi publik", "Public information service"),
        ),
        bodies,
    };
    ctx.render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "portal/body.html")]
struct BodyPage {
    p: Page,
    slug: String,
    name: String,
    kind_label: &'static str,
    parent: Option<(String, String)>,
    address: String,
    email: String,
    phone: String,
    service_hours: String,
    charter: String,
    collective_leave_closed: bool,
    closures: usize,
    units: Vec<String>,
}

pub async fn body(State(app): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> Response {
    let Ok(Some(entry)) = app.body_by_slug(&slug).await else {
        return ctx.not_found();
    };
    let b = &entry.row;
    let parent = match b.parent_id {
        Some(id) => app
            .body(id)
            .await
            .ok()
            .map(|p| (p.row.slug.clone(), p.row.name.clone())),
        None => None,
    };
    let units = app
        .units_of(&slug)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|u| u.name)
        .collect();
    let closures = app.closures_of(&slug).await.map(|c| c.len()).unwrap_or(0);
    let page = BodyPage {
        p: ctx.page(b.name.clone()),
        slug: b.slug.clone(),
        name: b.name.clone(),
        kind_label: BodyKind::parse(&b.kind).map_or("", BodyKind::label_id),
        parent,
        address: b.address.clone(),
        email: b.email.clone(),
        phone: b.phone.clone(),
        service_hours: b.service_hours.clone(),
        charter: b.charter.clone(),
        collective_leave_closed: !b.collective_leave_is_working,
        closures,
        units,
    };
    ctx.render(StatusCode::OK, &page)
}

/// What the requester typed, kept when the form comes back with errors.
#[derive(Debug, Clone, Default)]
pub struct FormValues {
    pub kind: String,
    pub name: String,
    pub id_number: String,
    pub address: String,
    pub occupation: String,
    pub email: String,
    pub phone: String,
    pub information: String,
    pub purpose: String,
    pub obtain: String,
    pub delivery: String,
}

pub struct IntakeFields {
    pub received_on: String,
    pub channel: String,
    pub channels: Vec<(&'static str, &'static str)>,
}

#[derive(Template)]
#[template(path = "portal/request_form.html")]
pub struct RequestForm {
    pub p: Page,
    pub action: String,
    pub slug: String,
    pub body_name: String,
    pub v: FormValues,
    pub errors: BTreeMap<String, Vec<String>>,
    pub submission_key: String,
    pub kinds: Vec<(&'static str, &'static str)>,
    pub obtains: Vec<(&'static str, &'static str)>,
    pub deliveries: Vec<(&'static str, &'static str)>,
    pub intake: Option<IntakeFields>,
}

impl RequestForm {
    pub fn err(&self, field: &str) -> Option<String> {
        let t = self.p.t;
        self.errors.get(field).map(|codes| {
            codes
                .iter()
                .map(|c| error_text(t, c))
                .collect::<Vec<_>>()
                .join(" ")
        })
    }

    pub fn error_list(&self) -> Vec<(String, String)> {
        self.errors
            .keys()
            .map(|f| {
                (
                    f.clone(),
                    format!(
                        "{}: {}",
                        self.field_label(f),
                        self.err(f).unwrap_or_default()
                    ),
                )
            })
            .collect()
    }

    pub fn anchor(&self, field: &str) -> &'static str {
        match field {
            "applicant.kind" => "f-kind",
            "applicant.name" => "f-name",
            "applicant.id_number" => "f-id",
            "applicant.address" => "f-address",
            "applicant.occupation" => "f-occupation",
            "applicant.email" => "f-email",
            "applicant.phone" => "f-phone",
            "information" => "f-information",
            "purpose" => "f-purpose",
            "obtain" => "f-obtain",
            "delivery" => "f-delivery",
            "received_on" => "f-received",
            _ => "main",
        }
    }

    fn field_label(&self, field: &str) -> &'static str {
        let t = self.p.t;
        match field {
            "applicant.kind" => t.pick("Jenis pemohon", "Requester type"),
            "applicant.name" => t.pick("Nama", "Name"),
            "applicant.id_number" => t.pick("NIK / nomor badan hukum", "NIK / legal-entity number"),
            "applicant.address" => t.pick("Alamat", "Address"),
            "applicant.occupation" => t.pick("Pekerjaan", "Occupation"),
            "applicant.email" => t.pick("Surel", "E-mail"),
            "applicant.phone" => t.pick("Telepon", "Telephone"),
            "information" => t.pick("Rincian informasi", "Information"),
            "purpose" => t.pick("Tujuan", "Purpose"),
            "obtain" => t.pick("Cara memperoleh", "How to obtain"),
            "delivery" => t.pick("Cara mendapatkan salinan", "How to receive copies"),
            "received_on" => t.pick("Tanggal diterima", "Date received"),
            "body" => t.pick("Badan publik", "Public body"),
            _ => t.pick("Isian", "Field"),
        }
    }
}

fn choices<T: Copy>(
    all: &[T],
    value: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
) -> Vec<(&'static str, &'static str)> {
    all.iter().map(|x| (value(*x), label(*x))).collect()
}

fn kind_label(t: Lang, k: ApplicantKind) -> &'static str {
    match t {
        Lang::Id => k.label_id(),
        Lang::En => match k {
            ApplicantKind::Individual => "Individual",
            ApplicantKind::LegalEntity => "Legal entity",
            ApplicantKind::Group => "Group of persons",
            ApplicantKind::Organisation => "Unincorporated organisation",
        },
    }
}

fn obtain_label(t: Lang, o: Obtain) -> &'static str {
    match t {
        Lang::Id => o.label_id(),
        Lang::En => match o {
            Obtain::View => "See/read/listen/take notes",
            Obtain::Softcopy => "Electronic copy",
            Obtain::Hardcopy => "Printed copy",
        },
    }
}

fn delivery_label(t: Lang, d: Delivery) -> &'static str {
    match t {
        Lang::Id => d.label_id(),
        Lang::En => match d {
            Delivery::Pickup => "Pick up in person",
            Delivery::Email => "E-mail",
            Delivery::Post => "Post",
            Delivery::Courier => "Courier",
            Delivery::Fax => "Fax",
            Delivery::Download => "Download from the portal",
        },
    }
}

pub fn request_form(
    ctx: &Ctx,
    slug: &str,
    body_name: &str,
    v: FormValues,
    errors: BTreeMap<String, Vec<String>>,
    intake: Option<IntakeFields>,
) -> RequestForm {
    let t = ctx.t;
    RequestForm {
        p: ctx.page(t.pick("Formulir permohonan", "Request form")),
        action: if intake.is_some() {
            "/kantor/permohonan-baru".to_owned()
        } else {
            format!("/b/{slug}/permohonan")
        },
        slug: slug.to_owned(),
        body_name: body_name.to_owned(),
        v,
        errors,
        submission_key: uuid::Uuid::now_v7().simple().to_string(),
        kinds: choices(ApplicantKind::ALL, ApplicantKind::as_str, |k| {
            kind_label(t, k)
        }),
        obtains: choices(Obtain::ALL, Obtain::as_str, |o| obtain_label(t, o)),
        deliveries: choices(Delivery::ALL, Delivery::as_str, |d| delivery_label(t, d)),
        intake,
    }
}

pub fn intake_fields(t: Lang, received_on: String, channel: String) -> IntakeFields {
    let _ = t;
    IntakeFields {
        received_on,
        channel,
        channels: Channel::ALL
            .iter()
            .filter(|c| **c != Channel::Web)
            .map(|c| (c.as_str(), c.label_id()))
            .collect(),
    }
}

pub async fn form(State(app): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> Response {
    let Ok(Some(entry)) = app.body_by_slug(&slug).await else {
        return ctx.not_found();
    };
    let v = FormValues {
        kind: "individual".into(),
        obtain: "softcopy".into(),
        delivery: "email".into(),
        ..FormValues::default()
    };
    ctx.render(
        StatusCode::OK,
        &request_form(&ctx, &slug, &entry.row.name, v, BTreeMap::new(), None),
    )
}

pub fn values_of(f: &FormPairs) -> FormValues {
    FormValues {
        kind: text(f, "kind"),
        name: text(f, "applicant.name"),
        id_number: text(f, "applicant.id_number"),
        address: text(f, "applicant.address"),
        occupation: text(f, "applicant.occupation"),
        email: text(f, "applicant.email"),
        phone: text(f, "applicant.phone"),
        information: text(f, "information"),
        purpose: text(f, "purpose"),
        obtain: text(f, "obtain"),
        delivery: text(f, "delivery"),
    }
}

pub fn raw_of(slug: &str, v: &FormValues) -> RawSubmission {
    let opt = |s: &String| Some(s.clone()).filter(|x| !x.trim().is_empty());
    RawSubmission {
        body: Some(slug.to_owned()),
        applicant: Some(RawApplicant {
            kind: opt(&v.kind),
            name: opt(&v.name),
            id_number: opt(&v.id_number),
            email: opt(&v.email),
            phone: opt(&v.phone),
            address: opt(&v.address),
            occupation: opt(&v.occupation),
        }),
        information: opt(&v.information),
        purpose: opt(&v.purpose),
        obtain: opt(&v.obtain),
        delivery: opt(&v.delivery),
    }
}

#[derive(Template)]
#[template(path = "portal/receipt.html")]
pub struct ReceiptPage {
    pub p: Page,
    pub body_name: String,
    pub r: Receipt,
}

pub async fn submit(
    State(app): State<AppState>,
    crate::limiter::ClientIp(ip): crate::limiter::ClientIp,
    Path(slug): Path<String>,
    CsrfForm(ctx, f): CsrfForm,
) -> Response {
    let Ok(Some(entry)) = app.body_by_slug(&slug).await else {
        return ctx.not_found();
    };
    if !app.submission_admitted(ip).await {
        return too_many_submissions(&ctx);
    }
    let v = values_of(&f);
    // A filled honeypot is a bot: answer as if all went well, store nothing.
    if field(&f, "website").is_some_and(|w| !w.is_empty()) {
        return ctx.error_page(StatusCode::OK, ctx.t.pick("Terima kasih", "Thank you"), "");
    }
    let key = field(&f, "submission_key")
        .filter(|k| (16..=64).contains(&k.len()))
        .map(str::to_owned);
    match app.submit(&raw_of(&slug, &v), None, None, key).await {
        Ok(receipt) => {
            let mut resp = ctx.render(
                StatusCode::CREATED,
                &ReceiptPage {
                    p: ctx.page(ctx.t.pick("Tanda bukti", "Receipt")),
                    body_name: entry.row.name.clone(),
                    r: receipt,
                },
            );
            resp.headers_mut().insert(
                header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
            resp
        }
        Err(AppError::Invalid(errors)) => {
            let errors = errors
                .0
                .into_iter()
                .map(|(k, v)| (k, v.into_iter().map(str::to_owned).collect()))
                .collect();
            ctx.render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &request_form(&ctx, &slug, &entry.row.name, v, errors, None),
            )
        }
        Err(e) => ctx.error_page(
            crate::error::status_of(&e),
            ctx.t.pick("Gagal", "Failed"),
            &super::common::app_error_text(ctx.t, &e),
        ),
    }
}

#[derive(Template)]
#[template(path = "portal/track.html")]
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
        }
    }
}

/// The tracking page for an owner who gave the right code, with objections and the grounds
/// available for a new one.
async fn track_page(
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
fn too_many_guesses(ctx: &Ctx) -> Response {
    ctx.error_page(
        StatusCode::TOO_MANY_REQUESTS,
        ctx.t.pick("Terlalu banyak percobaan", "Too many attempts"),
        ctx.t.pick(
            "Terlalu banyak nomor atau kode yang salah dari alamat ini. Coba lagi beberapa menit lagi.",
            "Too many wrong numbers or codes from this address. Try again in a few minutes.",
        ),
    )
}

fn too_many_submissions(ctx: &Ctx) -> Response {
    ctx.error_page(
        StatusCode::TOO_MANY_REQUESTS,
        ctx.t.pick("Terlalu banyak pengajuan", "Too many submissions"),
        ctx.t.pick(
            "Terlalu banyak pengajuan dari alamat ini dalam satu menit. Tunggu sebentar lalu kirim ulang; isian Anda tidak tersimpan.",
            "Too many submissions from this address in one minute. Wait a moment and send again; your form was not stored.",
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
                other => super::common::app_error_text(t, other),
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
#[template(path = "portal/objection_register.html")]
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

#[derive(Template)]
#[template(path = "portal/register.html")]
struct RegisterPage {
    p: Page,
    slug: String,
    body_name: String,
    entries: Vec<RegisterEntry>,
    page: i64,
    has_more: bool,
}

pub async fn register(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    const PER_PAGE: i64 = 50;
    let page = q
        .get("halaman")
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, 10_000);
    let Ok((body, entries)) = app
        .request_register(&slug, PER_PAGE + 1, (page - 1) * PER_PAGE)
        .await
    else {
        return ctx.not_found();
    };
    let per_page = usize::try_from(PER_PAGE).unwrap_or(50);
    let has_more = entries.len() > per_page;
    let entries = entries.iter().take(per_page).cloned().collect();
    let p = RegisterPage {
        p: ctx.page(ctx.t.pick("Register permohonan", "Request register")),
        slug,
        body_name: body.row.name.clone(),
        entries,
        page,
        has_more,
    };
    ctx.render(StatusCode::OK, &p)
}

/// `/bahasa/{code}?kembali=/path`: remembers the language and goes back.
pub async fn language(
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = if code == "en" { "en" } else { "id" };
    let back = q
        .get("kembali")
        .and_then(|b| super::common::same_site_path(b))
        .unwrap_or("/")
        .to_owned();
    let mut resp = Redirect::to(&back).into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        ctx.cookie(LANG_COOKIE, lang, Some(31_536_000)),
    );
    resp
}
