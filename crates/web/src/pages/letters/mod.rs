//! Official letters on the web: the public verification page (`/verifikasi/{code}`, reached
//! from the QR code) and the PDF download through a signed link (`/surat/{code}.pdf?t=…`).

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use lentera_app::letters::VerifiedLetter;

use crate::pages::common::{Ctx, Page};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/verifikasi", get(verify_form))
        .route("/verifikasi/{code}", get(verify))
        .route("/surat/{file}", get(download))
}

#[derive(Template)]
#[template(path = "letters/verify.html")]
struct VerifyPage {
    p: Page,
    code: String,
    letter: Option<VerifiedLetter>,
    asked: bool,
}

/// `/verifikasi?kode=…` (the form) sends the reader to the letter's own address.
async fn verify_form(ctx: Ctx, Query(q): Query<HashMap<String, String>>) -> Response {
    if let Some(code) = q
        .get("kode")
        .map(|c| lentera_app::crypto::normalize_code(c))
        && !code.is_empty()
    {
        return Redirect::to(&format!("/verifikasi/{code}")).into_response();
    }
    let page = VerifyPage {
        p: ctx.page(ctx.t.pick("Periksa keaslian surat", "Check a letter")),
        code: String::new(),
        letter: None,
        asked: false,
    };
    ctx.render(StatusCode::OK, &page)
}

async fn verify(
    State(app): State<AppState>,
    crate::limiter::ClientIp(ip): crate::limiter::ClientIp,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Response {
    // Codes are guessed like tracking codes: the same brake.
    if !app.guess_allowed(ip).await {
        return ctx.error_page(
            StatusCode::TOO_MANY_REQUESTS,
            ctx.t.pick("Terlalu banyak percobaan", "Too many attempts"),
            ctx.t.pick(
                "Terlalu banyak kode yang salah dari alamat ini. Coba lagi beberapa menit lagi.",
                "Too many wrong codes from this address. Try again in a few minutes.",
            ),
        );
    }
    let letter = match app.verify_letter(&code).await {
        Ok(l) => l,
        Err(e) => return ctx.error_of(ctx.t.pick("Surat", "Letter"), &e),
    };
    if letter.is_none() {
        app.guess_failed(ip).await;
    }
    let status = if letter.is_some() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let page = VerifyPage {
        p: ctx.page(ctx.t.pick("Periksa keaslian surat", "Check a letter")),
        code: lentera_app::crypto::normalize_code(&code),
        letter,
        asked: true,
    };
    ctx.render(status, &page)
}

/// The PDF as issued. The link is signed: without its token a letter cannot be fetched, so the
/// public verification code alone never reveals the letter's content.
async fn download(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(file): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let code = file.strip_suffix(".pdf").unwrap_or(&file);
    let token = q.get("t").map(String::as_str).unwrap_or("");
    match app.letter_pdf(code, token).await {
        Ok((name, bytes)) => pdf_response(&name, bytes),
        Err(e) => ctx.error_of(ctx.t.pick("Surat", "Letter"), &e),
    }
}

pub(crate) fn pdf_response(name: &str, bytes: axum::body::Bytes) -> Response {
    let mut r = (StatusCode::OK, bytes).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    let safe: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
        .collect();
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{safe}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}
