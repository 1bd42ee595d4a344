//! The DIP and DIK as CSV and XLSX downloads.

use lentera_render::sheet::{Sheet, sheet_to_csv, sheet_to_xlsx};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lentera_app::register::RegisterView;

use super::format::{app_failure, base_url, info_kind_label};
use super::public::{DikRow, DipRow};
use crate::pages::common::{Ctx, Lang};
use crate::state::AppState;

// ------------------------------------------------------------------ exports

fn dip_sheet(v: &RegisterView, base: &str) -> Sheet {
    let t = Lang::Id;
    let mut rows = Vec::new();
    for (kind, entries) in &v.dip {
        for e in entries
            .iter()
            .filter(|e| e.published && e.closed_by.is_none())
        {
            let r = DipRow::of(t, rows.len() + 1, e);
            rows.push(vec![
                r.no.to_string(),
                info_kind_label(t, *kind).to_owned(),
                r.title,
                r.summary,
                r.holder,
                r.responsible,
                r.made,
                r.forms,
                r.retention,
                r.year.to_string(),
                e.fields.legal_basis.clone(),
                format!("{base}{}", r.url),
            ]);
        }
    }
    Sheet {
        name: "DIP",
        headers: vec![
            "No",
            "Jenis informasi",
            "Judul",
            "Ringkasan isi informasi",
            "Pejabat/unit yang menguasai informasi",
            "Penanggung jawab pembuatan/penerbitan informasi",
            "Waktu dan tempat pembuatan informasi",
            "Bentuk informasi yang tersedia",
            "Jangka waktu penyimpanan/retensi arsip",
            "Tahun",
            "Dasar hukum",
            "Tautan permanen",
        ],
        rows,
    }
}

fn dik_sheet(v: &RegisterView, base: &str) -> Sheet {
    let t = Lang::Id;
    let rows = v
        .dik
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let r = DikRow::of(t, i + 1, d);
            vec![
                r.no.to_string(),
                r.information,
                r.basis,
                r.harm,
                r.public_interest,
                r.period,
                r.determination,
                format!("{base}{}", r.url),
            ]
        })
        .collect();
    Sheet {
        name: "DIK",
        headers: vec![
            "No",
            "Informasi yang dikecualikan",
            "Dasar hukum pengecualian",
            "Konsekuensi",
            "Pertimbangan kepentingan publik",
            "Jangka waktu pengecualian",
            "Nomor/Tanggal penetapan",
            "Tautan permanen",
        ],
        rows,
    }
}

fn attachment(content_type: &'static str, filename: &str, bytes: Vec<u8>) -> Response {
    let mut r = (StatusCode::OK, bytes).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    r
}

#[derive(Clone, Copy)]
enum Format {
    Csv,
    Xlsx,
}

async fn export(
    app: &AppState,
    ctx: &Ctx,
    headers: &HeaderMap,
    slug: &str,
    dik: bool,
    format: Format,
) -> Response {
    let v = match app.public_register(slug).await {
        Ok(v) => v,
        Err(e) => return app_failure(ctx, &e),
    };
    let base = base_url(headers, app.cookie_secure());
    let sheet = if dik {
        dik_sheet(&v, &base)
    } else {
        dip_sheet(&v, &base)
    };
    let stem = format!("{}-{}", if dik { "dik" } else { "dip" }, v.body);
    let out = match format {
        Format::Csv => Ok(attachment(
            "text/csv; charset=utf-8",
            &format!("{stem}.csv"),
            sheet_to_csv(&sheet),
        )),
        Format::Xlsx => sheet_to_xlsx(&sheet)
            .map(|b| {
                attachment(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    &format!("{stem}.xlsx"),
                    b,
                )
            })
            .map_err(|e| e.to_string()),
    };
    out.unwrap_or_else(|e| {
        tracing::error!(error = %e, "register export failed");
        ctx.error_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            ctx.t.pick("Gagal", "Failed"),
            ctx.t
                .pick("Ekspor gagal dibuat.", "The export could not be made."),
        )
    })
}

pub async fn dip_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Response {
    export(&app, &ctx, &headers, &slug, false, Format::Csv).await
}

pub async fn dip_xlsx(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Response {
    export(&app, &ctx, &headers, &slug, false, Format::Xlsx).await
}

pub async fn dik_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Response {
    export(&app, &ctx, &headers, &slug, true, Format::Csv).await
}

pub async fn dik_xlsx(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Response {
    export(&app, &ctx, &headers, &slug, true, Format::Xlsx).await
}
