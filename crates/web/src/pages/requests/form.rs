//! The request form (on the portal, and as walk-in intake in the back office), its receipt, and
//! the public submission with its brake.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use lentera_app::AppError;
use lentera_app::views::Receipt;
use lentera_domain::submission::{RawApplicant, RawSubmission};
use lentera_domain::{ApplicantKind, Channel, Delivery, Obtain};

use crate::pages::common::choices::{delivery_label, kind_label, obtain_label};
use crate::pages::common::{Ctx, FormPairs, Lang, Page, error_text, field, text};
use crate::pages::guards::CsrfForm;
use crate::state::AppState;

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
#[template(path = "requests/request_form.html")]
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
#[template(path = "requests/receipt.html")]
pub struct ReceiptPage {
    pub p: Page,
    pub body_name: String,
    pub r: Receipt,
    /// What was asked, restated so that the requester can check it.
    pub asked: Asked,
}

/// The request as the receipt restates it.
pub struct Asked {
    pub information: String,
    pub purpose: String,
    pub obtain: String,
    pub delivery: String,
}

impl Asked {
    pub fn of(f: &crate::pages::common::FormPairs) -> Self {
        let t = |k: &str| field(f, k).unwrap_or("").trim().to_owned();
        Self {
            information: t("information"),
            purpose: t("purpose"),
            obtain: t("obtain"),
            delivery: t("delivery"),
        }
    }
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
            // The same answer as the API: 201 for a new request, 200 for the form sent again.
            let status = if receipt.created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            let mut resp = ctx.render(
                status,
                &ReceiptPage {
                    p: ctx.page(ctx.t.pick("Tanda bukti", "Receipt")),
                    body_name: entry.row.name.clone(),
                    r: receipt,
                    asked: Asked::of(&f),
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
            &crate::pages::common::app_error_text(ctx.t, &e),
        ),
    }
}

pub(crate) fn too_many_submissions(ctx: &Ctx) -> Response {
    ctx.error_page(
        StatusCode::TOO_MANY_REQUESTS,
        ctx.t.pick("Terlalu banyak pengajuan", "Too many submissions"),
        ctx.t.pick(
            "Terlalu banyak pengajuan dari alamat ini dalam satu menit. Tunggu sebentar lalu kirim ulang; isian Anda tidak tersimpan.",
            "Too many submissions from this address in one minute. Wait a moment and send again; your form was not stored.",
        ),
    )
}
