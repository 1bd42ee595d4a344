//! A body's letterhead (*kop surat*), signatory and letter-number pattern: the form, its
//! upload (the logo, checked by content in the app), and a sample letter to look at.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lentera_app::AppError;
use lentera_app::letters::{LetterheadInput, LetterheadView};

use crate::pages::common::{Ctx, Page, error_text, field};
use crate::pages::guards::Admin;
use crate::pages::register::documents::read_upload;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "admin/letterhead.html")]
struct LetterheadPage {
    p: Page,
    slug: String,
    h: LetterheadView,
    notice: Option<String>,
    errors: BTreeMap<String, String>,
}

impl LetterheadPage {
    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field).map(String::as_str)
    }
}

async fn page(
    app: &AppState,
    ctx: &Ctx,
    slug: &str,
    status: StatusCode,
    notice: Option<String>,
    errors: BTreeMap<String, String>,
    typed: Option<LetterheadInput>,
) -> Response {
    let mut h = match app.letterhead_of(slug).await {
        Ok(h) => h,
        Err(AppError::NotFound(_)) => return ctx.not_found(),
        Err(e) => return ctx.error_of(ctx.t.pick("Kop surat", "Letterhead"), &e),
    };
    if let Some(t) = typed {
        h.authority = t.authority;
        h.name = t.name;
        h.address = t.address;
        h.contacts = t.contacts;
        h.signatory_name = t.signatory_name;
        h.signatory_nip = t.signatory_nip;
        h.signatory_position = t.signatory_position;
        h.number_pattern = t.number_pattern;
    }
    let view = LetterheadPage {
        p: ctx.page(
            ctx.t
                .pick("Kop surat dan penandatangan", "Letterhead and signatory"),
        ),
        slug: slug.to_owned(),
        h,
        notice,
        errors,
    };
    ctx.render(status, &view)
}

pub async fn form(
    State(app): State<AppState>,
    Admin { ctx, .. }: Admin,
    Path(slug): Path<String>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response {
    let notice = q.contains_key("ok").then(|| {
        ctx.t
            .pick(
                "Kop surat disimpan. Surat berikutnya memakainya; surat yang sudah terbit tidak berubah.",
                "Letterhead saved. The next letters use it; letters already issued do not change.",
            )
            .to_owned()
    });
    page(
        &app,
        &ctx,
        &slug,
        StatusCode::OK,
        notice,
        BTreeMap::new(),
        None,
    )
    .await
}

pub async fn save(
    State(app): State<AppState>,
    Admin { ctx, officer }: Admin,
    Path(slug): Path<String>,
    mp: Multipart,
) -> Response {
    let u = read_upload(mp).await;
    if !ctx.csrf_ok(u.csrf.as_deref()) {
        return ctx.forbidden_csrf();
    }
    let mut errors = BTreeMap::new();
    if let Some(code) = u.broken {
        errors.insert("logo".to_owned(), error_text(ctx.t, code).to_owned());
    }
    let f = &u.fields;
    let get = |name: &str| field(f, name).unwrap_or("").to_owned();
    let input = LetterheadInput {
        authority: get("authority"),
        name: get("name"),
        address: get("address"),
        contacts: get("contacts"),
        signatory_name: get("signatory_name"),
        signatory_nip: get("signatory_nip"),
        signatory_position: get("signatory_position"),
        number_pattern: get("number_pattern"),
        logo: u
            .bytes
            .filter(|b| !b.is_empty())
            .map(|b| (u.filename.clone(), b.to_vec())),
        remove_logo: field(f, "remove_logo") == Some("1"),
    };
    if errors.is_empty() {
        match app.save_letterhead(&officer, &slug, &input).await {
            Ok(()) => {
                return Redirect::to(&format!("/kantor/admin/badan/{slug}/kop-surat?ok=1"))
                    .into_response();
            }
            Err(AppError::Invalid(e)) => {
                for (k, codes) in &e.0 {
                    if let Some(c) = codes.first() {
                        errors.insert(k.clone(), error_text(ctx.t, c).to_owned());
                    }
                }
            }
            Err(AppError::NotFound(_)) => return ctx.not_found(),
            Err(e) => return ctx.error_of(ctx.t.pick("Kop surat", "Letterhead"), &e),
        }
    }
    page(
        &app,
        &ctx,
        &slug,
        StatusCode::UNPROCESSABLE_ENTITY,
        None,
        errors,
        Some(input),
    )
    .await
}

pub async fn sample(
    State(app): State<AppState>,
    Admin { ctx, .. }: Admin,
    Path(slug): Path<String>,
) -> Response {
    match app.sample_letter(&slug).await {
        Ok(pdf) => {
            crate::pages::letters::pdf_response("contoh-surat.pdf", axum::body::Bytes::from(pdf))
        }
        Err(AppError::NotFound(_)) => ctx.not_found(),
        Err(e) => ctx.error_of(ctx.t.pick("Kop surat", "Letterhead"), &e),
    }
}
