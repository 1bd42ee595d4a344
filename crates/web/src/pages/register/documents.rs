//! Documents of the register: the public download, reading a multipart upload (token first),
//! and the back office's removal and hand check of a document.

use axum::body::{Body, Bytes};
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use lentera_app::AppError;
use lentera_app::auth::OfficerCtx;
use lentera_app::register::{DocOwner, DocumentView};

use super::entries::{EntryExtras, entry_page};
use super::format::{app_failure, no_store, pct};
use super::forms::{back_to, banner, parse_id, reg_error_text};
use crate::error::status_of;
use crate::pages::common::{Ctx, FormPairs, Lang, app_error_text, field};
use crate::pages::guards::OfficeForm;
use crate::state::AppState;

// ------------------------------------------------------------------ documents

/// The ASCII name for `filename=` and the UTF-8 one for `filename*=`.
pub fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ' | '(' | ')') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let ascii = if ascii.trim().is_empty() {
        "dokumen".to_owned()
    } else {
        ascii
    };
    format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        pct(name)
    )
}

pub async fn document(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((id, _name)): Path<(String, String)>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return ctx.not_found();
    };
    let viewer = ctx.officer.as_ref().map(|(o, _)| o);
    let row = match app.document_for_download(id, viewer).await {
        Ok(r) => r,
        Err(e) => return no_store(app_failure(&ctx, &e)),
    };
    let public = app.document_is_public(&row).await.unwrap_or(false);
    let (size, stream) = match app.storage().open(&row.storage_key).await {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, document = %row.id, "document object unreadable");
            return no_store(
                ctx.error_page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ctx.t
                        .pick("Dokumen tidak dapat dibaca", "Document unreadable"),
                    ctx.t.pick(
                        "Berkas dokumen ini tidak dapat dibaca saat ini. Coba lagi nanti.",
                        "The file of this document cannot be read now. Try again later.",
                    ),
                ),
            );
        }
    };
    let mut r = Response::new(Body::from_stream(stream));
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&row.mime)
            .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
    if let Ok(v) = HeaderValue::from_str(&content_disposition(&row.filename)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if public {
            "public, max-age=300"
        } else {
            "private, no-store"
        }),
    );
    r
}

/// A multipart upload as read: the CSRF token, the file, the other fields.
pub(crate) struct Upload {
    pub(crate) csrf: Option<String>,
    pub(crate) filename: String,
    pub(crate) bytes: Option<Bytes>,
    pub(crate) fields: FormPairs,
    /// Why the body could not be read to the end, if it could not.
    pub(crate) broken: Option<&'static str>,
}

pub(crate) async fn read_upload(mut mp: Multipart) -> Upload {
    let mut u = Upload {
        csrf: None,
        filename: String::new(),
        bytes: None,
        fields: Vec::new(),
        broken: None,
    };
    loop {
        match mp.next_field().await {
            Ok(Some(f)) => {
                let name = f.name().unwrap_or("").to_owned();
                if name == "file" {
                    u.filename = f.file_name().unwrap_or("").to_owned();
                    match f.bytes().await {
                        Ok(b) => u.bytes = Some(b),
                        Err(e) => {
                            u.broken = Some(too_large_or_unreadable(e.status()));
                            break;
                        }
                    }
                } else {
                    match f.text().await {
                        Ok(v) if name == "csrf" => u.csrf = Some(v),
                        Ok(v) => u.fields.push((name, v)),
                        Err(e) => {
                            u.broken = Some(too_large_or_unreadable(e.status()));
                            break;
                        }
                    }
                }
            }
            Ok(None) => break,
            Err(e) => {
                u.broken = Some(too_large_or_unreadable(e.status()));
                break;
            }
        }
    }
    u
}

fn too_large_or_unreadable(s: StatusCode) -> &'static str {
    if s == StatusCode::PAYLOAD_TOO_LARGE {
        "file.too_large"
    } else {
        "file.unreadable"
    }
}

/// Checks the upload's token; a broken body without a token gets a plain error page.
pub(crate) fn upload_refused(ctx: &Ctx, u: &Upload) -> Option<Response> {
    if ctx.csrf_ok(u.csrf.as_deref()) {
        return None;
    }
    Some(match u.broken {
        Some(code) => ctx.error_page(
            if code == "file.too_large" {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::BAD_REQUEST
            },
            ctx.t.pick("Unggahan gagal", "Upload failed"),
            &reg_error_text(ctx.t, code),
        ),
        None => ctx.forbidden_csrf(),
    })
}

pub(crate) async fn store_upload(
    app: &AppState,
    officer: &OfficerCtx,
    owner: DocOwner,
    u: Upload,
) -> Result<DocumentView, AppError> {
    if let Some(code) = u.broken {
        return Err(AppError::field("file", code));
    }
    let bytes = u.bytes.unwrap_or_default();
    app.upload_document(officer, owner, &u.filename, bytes)
        .await
}

pub(crate) fn upload_error_text(t: Lang, e: &AppError) -> String {
    match e {
        AppError::Invalid(f) => {
            f.0.values()
                .flatten()
                .map(|c| reg_error_text(t, c))
                .collect::<Vec<_>>()
                .join(" ")
        }
        other => app_error_text(t, other),
    }
}

pub async fn document_remove(
    State(app): State<AppState>,
    Path(id): Path<String>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    let Some(id) = parse_id(&id) else {
        return ctx.not_found();
    };
    let back = back_to(&f, "/kantor/register");
    match app.remove_document(officer, id).await {
        Ok(()) => {
            let sep = if back.contains('?') { '&' } else { '?' };
            Redirect::to(&format!("{back}{sep}ok=removed")).into_response()
        }
        Err(AppError::NotFound(_)) => ctx.not_found(),
        Err(e) => ctx.error_page(
            status_of(&e),
            ctx.t.pick("Dokumen tidak dihapus", "Document not removed"),
            &banner(ctx.t, &e),
        ),
    }
}

/// `POST /kantor/dokumen/{id}/periksa`: the officer confirms, by name, that they checked the
/// document by hand.
pub async fn document_check(
    State(app): State<AppState>,
    Path(id): Path<String>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    let Some(id) = parse_id(&id) else {
        return ctx.not_found();
    };
    let back = back_to(&f, "/kantor/register");
    let t = ctx.t;
    let title = t.pick("Dokumen belum diperiksa", "Document not checked");
    if field(&f, "confirm") != Some("1") {
        let msg = t
            .pick(
                "Centang pernyataan bahwa Anda sudah memeriksa isi dokumen ini.",
                "Tick the statement that you have checked this document's content.",
            )
            .to_owned();
        let entry = back
            .strip_prefix("/kantor/register/")
            .and_then(|r| parse_id(r.split('?').next().unwrap_or("")));
        return match entry {
            Some(entry) => {
                let x = EntryExtras {
                    check_error: Some((id, msg.clone())),
                    error: Some((StatusCode::UNPROCESSABLE_ENTITY, msg)),
                    ..EntryExtras::default()
                };
                entry_page(&app, &ctx, officer, entry, x).await
            }
            None => ctx.error_page(StatusCode::UNPROCESSABLE_ENTITY, title, &msg),
        };
    }
    match app.check_document(officer, id).await {
        Ok(_) => {
            let sep = if back.contains('?') { '&' } else { '?' };
            Redirect::to(&format!("{back}{sep}ok=checked")).into_response()
        }
        Err(AppError::NotFound(_)) => ctx.not_found(),
        Err(e) => ctx.error_page(status_of(&e), title, &banner(t, &e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disposition_is_ascii_with_utf8_name() {
        let d = content_disposition("Laporan \"kas\" é.pdf");
        assert!(
            d.starts_with("attachment; filename=\"Laporan _kas_ _.pdf\""),
            "{d}"
        );
        assert!(d.contains("filename*=UTF-8''Laporan%20%22kas%22%20%C3%A9.pdf"));
    }
}
