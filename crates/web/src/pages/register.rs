//! Public register pages: the DIP (*Daftar Informasi Publik*) and DIK as Perki tables with CSV
//! and XLSX exports, permanent pages of entries, tests and published answers, document
//! downloads, the disclosure log with its Atom feeds, and the search.

use lentera_render::sheet::{Sheet, sheet_to_csv, sheet_to_xlsx};
use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use lentera_app::AppError;
use lentera_app::register::{DocumentView, EntryView, PublicationView, RegisterView, TestView};
use lentera_domain::consequence::{Period, TestFields};
use lentera_domain::{InfoForm, InfoKind, PeriodKind};
use lentera_search::{SearchQuery, SearchResults};
use time::Date;
use uuid::Uuid;

use super::common::{Ctx, Lang, Page};
use crate::state::AppState;

// ------------------------------------------------------------------ shared helpers

/// Label of a search kind (also the DIP kinds).
pub fn kind_label(t: Lang, kind: &str) -> &'static str {
    let (id, en) = match kind {
        "periodic" => ("Informasi berkala", "Periodic information"),
        "immediate" => ("Informasi serta merta", "Immediate information"),
        "any_time" => ("Informasi setiap saat", "Information available at any time"),
        "exempt" => ("Informasi dikecualikan", "Exempt information"),
        "answer" => ("Jawaban permohonan", "Answer to a request"),
        "document" => ("Dokumen", "Document"),
        _ => ("Informasi", "Information"),
    };
    t.pick(id, en)
}

/// Heading of a DIP group, as in the Perki table titles.
pub fn info_kind_label(t: Lang, k: InfoKind) -> &'static str {
    match t {
        Lang::Id => k.label_id(),
        Lang::En => k.label_en(),
    }
}

pub fn forms_label(t: Lang, forms: &[InfoForm]) -> String {
    forms
        .iter()
        .map(|f| match (t, f) {
            (Lang::Id, f) => f.label_id(),
            (Lang::En, InfoForm::Softcopy) => "Softcopy (online)",
            (Lang::En, InfoForm::Hardcopy) => "Hardcopy (printed)",
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// "2 Februari 2026" without the weekday.
pub fn short_date(t: Lang, d: Date) -> String {
    let long = Page {
        t,
        title: String::new(),
        officer: None,
        path: String::new(),
        csrf: String::new(),
        htmx: false,
        tz_offset: time::UtcOffset::UTC,
        calendar_warning: None,
    }
    .date(d);
    long.split_once(", ")
        .map_or(long.clone(), |(_, rest)| rest.to_owned())
}

/// *Dasar hukum pengecualian*: the articles of Pasal 17 and any other statute.
pub fn legal_basis(f: &TestFields) -> String {
    let mut parts: Vec<String> = f
        .grounds
        .iter()
        .map(|g| {
            let s = g.as_str();
            let letter = s.trim_start_matches("17");
            format!("Pasal 17 huruf {letter} UU 14/2008 ({})", g.label_id())
        })
        .collect();
    if !f.other_law.is_empty() {
        parts.push(f.other_law.clone());
    }
    parts.join("; ")
}

pub fn period_label(t: Lang, p: Option<&Period>) -> String {
    let Some(p) = p else {
        return "—".into();
    };
    match (p.kind, p.until, &p.event) {
        (PeriodKind::UntilDate, Some(d), _) => {
            format!("{} {}", t.pick("Sampai", "Until"), short_date(t, d))
        }
        (PeriodKind::UntilEvent, _, Some(e)) => format!("{} {e}", t.pick("Sampai", "Until")),
        (PeriodKind::WhileOtherLaw, _, Some(e)) if !e.is_empty() => {
            format!(
                "{}: {e}",
                t.pick(p.kind.label_id(), "As long as another law provides")
            )
        }
        (k, _, _) => match t {
            Lang::Id => k.label_id().to_owned(),
            Lang::En => match k {
                PeriodKind::UntilDate => "Until a set date".into(),
                PeriodKind::UntilEvent => "Until a set event".into(),
                PeriodKind::WhileOtherLaw => "As long as another law provides".into(),
            },
        },
    }
}

/// Percent-encodes everything but unreserved characters (query values, RFC 5987 names).
pub fn pct(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// `scheme://host` of this request, for absolute links in feeds and exports.
pub fn base_url(headers: &HeaderMap, secure: bool) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
        })
        .unwrap_or("localhost");
    format!("{}://{host}", if secure { "https" } else { "http" })
}

fn no_store(mut r: Response) -> Response {
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    r
}

fn app_failure(ctx: &Ctx, e: &AppError) -> Response {
    match e {
        AppError::NotFound(_) => ctx.not_found(),
        other => ctx.error_of(ctx.t.pick("Gagal", "Failed"), other),
    }
}

// ------------------------------------------------------------------ DIP / DIK tables

/// One row of a Perki DIP table.
pub struct DipRow {
    pub no: usize,
    pub id: Uuid,
    pub url: String,
    pub kind: InfoKind,
    pub title: String,
    pub summary: String,
    pub holder: String,
    pub responsible: String,
    pub made: String,
    pub forms: String,
    pub retention: String,
    pub year: i32,
    pub published: bool,
    pub stale: bool,
    pub closed: bool,
    pub documents: usize,
}

impl DipRow {
    pub fn of(t: Lang, no: usize, e: &EntryView) -> Self {
        let f = &e.fields;
        let made = if f.made_where.is_empty() {
            f.made_when.clone()
        } else {
            format!("{}, {}", f.made_when, f.made_where)
        };
        Self {
            no,
            id: e.id,
            url: e.url.clone(),
            kind: f.kind,
            title: f.title.clone(),
            summary: f.summary.clone(),
            holder: e.unit_name.clone().unwrap_or_else(|| e.body_name.clone()),
            responsible: f.responsible.clone(),
            made,
            forms: forms_label(t, &f.forms),
            retention: f.retention.clone(),
            year: f.year,
            published: e.published,
            stale: e.stale,
            closed: e.closed_by.is_some(),
            documents: e.documents.len(),
        }
    }
}

pub struct DipGroup {
    pub kind: &'static str,
    pub label: &'static str,
    pub rows: Vec<DipRow>,
}

pub fn dip_groups(t: Lang, v: &RegisterView, public_only: bool) -> Vec<DipGroup> {
    v.dip
        .iter()
        .map(|(k, entries)| DipGroup {
            kind: k.as_str(),
            label: info_kind_label(t, *k),
            rows: entries
                .iter()
                .filter(|e| !public_only || (e.published && e.closed_by.is_none()))
                .enumerate()
                .map(|(i, e)| DipRow::of(t, i + 1, e))
                .collect(),
        })
        .collect()
}

/// One row of the DIK table.
pub struct DikRow {
    pub no: usize,
    pub url: String,
    pub information: String,
    pub basis: String,
    pub harm: String,
    pub public_interest: String,
    pub period: String,
    pub determination: String,
}

impl DikRow {
    pub fn of(t: Lang, no: usize, v: &TestView) -> Self {
        let f = &v.state.fields;
        Self {
            no,
            url: v.url.clone(),
            information: f.information.clone(),
            basis: legal_basis(f),
            harm: f.harm.clone(),
            public_interest: f.public_interest.clone(),
            period: period_label(t, f.period.as_ref()),
            determination: v.state.determination.as_ref().map_or_else(
                || "—".to_owned(),
                |d| format!("{} / {}", d.number, short_date(t, d.on)),
            ),
        }
    }
}

pub struct Missing {
    pub code: &'static str,
    pub label: &'static str,
    pub basis: &'static str,
    pub kind: &'static str,
}

#[derive(Template)]
#[template(path = "portal/dip.html")]
struct DipPage {
    p: Page,
    slug: String,
    body_name: String,
    groups: Vec<DipGroup>,
    missing: Vec<Missing>,
    completeness: String,
    dik_count: usize,
}

pub async fn dip(State(app): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> Response {
    let v = match app.public_register(&slug).await {
        Ok(v) => v,
        Err(e) => return app_failure(&ctx, &e),
    };
    let t = ctx.t;
    let page = DipPage {
        p: ctx.page(t.pick("Daftar Informasi Publik", "Register of public information")),
        groups: dip_groups(t, &v, true),
        missing: v
            .missing
            .iter()
            .map(|m| Missing {
                code: m.code,
                label: m.label,
                basis: m.basis,
                kind: info_kind_label(t, m.kind),
            })
            .collect(),
        completeness: format!("{:.0}", v.completeness),
        dik_count: v.dik.len(),
        slug: v.body.clone(),
        body_name: v.body_name.clone(),
    };
    ctx.render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "portal/dik.html")]
struct DikPage {
    p: Page,
    slug: String,
    body_name: String,
    rows: Vec<DikRow>,
}

pub async fn dik(State(app): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> Response {
    let v = match app.public_register(&slug).await {
        Ok(v) => v,
        Err(e) => return app_failure(&ctx, &e),
    };
    let t = ctx.t;
    let page = DikPage {
        p: ctx.page(t.pick(
            "Daftar Informasi yang Dikecualikan",
            "Register of exempt information",
        )),
        rows: v
            .dik
            .iter()
            .enumerate()
            .map(|(i, d)| DikRow::of(t, i + 1, d))
            .collect(),
        slug: v.body.clone(),
        body_name: v.body_name.clone(),
    };
    ctx.render(StatusCode::OK, &page)
}

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

// ------------------------------------------------------------------ permanent pages

#[derive(Template)]
#[template(path = "portal/dip_entry.html")]
struct EntryPage {
    p: Page,
    e: EntryView,
    row: DipRow,
    kind_label: &'static str,
    published_on: Option<String>,
    updated_on: String,
}

fn parse_id(s: &str) -> Option<Uuid> {
    Uuid::parse_str(s.trim()).ok()
}

pub async fn entry(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return ctx.not_found();
    };
    let viewer = ctx.officer.as_ref().map(|(o, _)| o);
    let e = match app.entry(id, viewer).await {
        Ok(e) if e.body == slug => e,
        Ok(_) => return ctx.not_found(),
        Err(e) => return app_failure(&ctx, &e),
    };
    let t = ctx.t;
    let public = e.published && e.closed_by.is_none();
    let page = EntryPage {
        p: ctx.page(e.fields.title.clone()),
        row: DipRow::of(t, 1, &e),
        kind_label: info_kind_label(t, e.fields.kind),
        published_on: e.first_published_on.map(|d| short_date(t, d)),
        updated_on: short_date(t, e.updated_on),
        e,
    };
    let r = ctx.render(StatusCode::OK, &page);
    if public { r } else { no_store(r) }
}

#[derive(Template)]
#[template(path = "portal/dik_entry.html")]
struct TestPage {
    p: Page,
    slug: String,
    body_name: String,
    row: DikRow,
    conclusion: &'static str,
    official: String,
    place: String,
}

pub async fn test(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return ctx.not_found();
    };
    // Public fields only, whoever asks: the back office has its own page.
    let v = match app.test(id, None).await {
        Ok(v) if v.body == slug => v,
        Ok(_) => return ctx.not_found(),
        Err(e) => return app_failure(&ctx, &e),
    };
    let t = ctx.t;
    let c = v.state.fields.conclusion;
    let page = TestPage {
        p: ctx.page(t.pick("Informasi yang dikecualikan", "Exempt information")),
        slug: v.body.clone(),
        body_name: v.body_name.clone(),
        row: DikRow::of(t, 1, &v),
        conclusion: match t {
            Lang::Id => c.label_id(),
            Lang::En => match c {
                lentera_domain::TestConclusion::Exempt => "Exempt",
                lentera_domain::TestConclusion::PartiallyOpen => "Partly open (redacted)",
                lentera_domain::TestConclusion::Open => "Open",
            },
        },
        official: v
            .state
            .determination
            .as_ref()
            .map(|d| d.official.clone())
            .unwrap_or_default(),
        place: v
            .state
            .determination
            .as_ref()
            .map(|d| d.place.clone())
            .unwrap_or_default(),
    };
    ctx.render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "portal/answer.html")]
struct AnswerPage {
    p: Page,
    a: PublicationView,
    published_at: String,
}

pub async fn answer(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return ctx.not_found();
    };
    let viewer = ctx.officer.as_ref().map(|(o, _)| o);
    let a = match app.publication(id, viewer).await {
        Ok(a) if a.body == slug => a,
        Ok(_) => return ctx.not_found(),
        Err(e) => return app_failure(&ctx, &e),
    };
    let p = ctx.page(a.title.clone());
    let published_at = p.local(&a.published_at);
    let public = a.published;
    let r = ctx.render(StatusCode::OK, &AnswerPage { p, a, published_at });
    if public { r } else { no_store(r) }
}

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

// ------------------------------------------------------------------ published answers

#[derive(Template)]
#[template(path = "portal/answers.html")]
struct AnswersPage {
    p: Page,
    slug: Option<String>,
    body_name: Option<String>,
    items: Vec<(PublicationView, String)>,
}

const RECENT: i64 = 50;

async fn answers_page(app: &AppState, ctx: &Ctx, slug: Option<String>) -> Response {
    let body_name = match &slug {
        Some(s) => match app.body_by_slug(s).await {
            Ok(Some(b)) => Some(b.row.name.clone()),
            _ => return ctx.not_found(),
        },
        None => None,
    };
    let list = match app.recent_publications(slug.as_deref(), RECENT).await {
        Ok(l) => l,
        Err(e) => return app_failure(ctx, &e),
    };
    let p = ctx.page(
        ctx.t
            .pick("Jawaban yang dipublikasikan", "Published answers"),
    );
    let items = list
        .into_iter()
        .map(|a| {
            let at = p.local(&a.published_at);
            (a, at)
        })
        .collect();
    ctx.render(
        StatusCode::OK,
        &AnswersPage {
            p,
            slug,
            body_name,
            items,
        },
    )
}

pub async fn answers(State(app): State<AppState>, ctx: Ctx) -> Response {
    answers_page(&app, &ctx, None).await
}

pub async fn body_answers(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Response {
    answers_page(&app, &ctx, Some(slug)).await
}

fn rfc3339(at: &time::OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn shorten(s: &str, max: usize) -> String {
    let mut out: String = s.chars().take(max).collect();
    if s.chars().count() > max {
        out.push('…');
    }
    out
}

/// An Atom 1.0 feed of published answers.
pub fn atom(
    base: &str,
    self_path: &str,
    html_path: &str,
    title: &str,
    items: &[PublicationView],
    now: time::OffsetDateTime,
) -> String {
    let updated = items.iter().map(|a| a.published_at).max().unwrap_or(now);
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"id\">\n");
    x.push_str(&format!("<title>{}</title>\n", xml_escape(title)));
    x.push_str(&format!(
        "<id>{}</id>\n",
        xml_escape(&format!("{base}{self_path}"))
    ));
    x.push_str(&format!("<updated>{}</updated>\n", rfc3339(&updated)));
    x.push_str(&format!(
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        xml_escape(&format!("{base}{self_path}"))
    ));
    x.push_str(&format!(
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml_escape(&format!("{base}{html_path}"))
    ));
    x.push_str("<author><name>Lentera</name></author>\n");
    for a in items {
        x.push_str("<entry>\n");
        x.push_str(&format!("<title>{}</title>\n", xml_escape(&a.title)));
        x.push_str(&format!("<id>urn:uuid:{}</id>\n", a.id));
        x.push_str(&format!(
            "<published>{}</published>\n<updated>{}</updated>\n",
            rfc3339(&a.published_at),
            rfc3339(&a.published_at)
        ));
        x.push_str(&format!(
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_escape(&format!("{base}{}", a.url))
        ));
        x.push_str(&format!(
            "<author><name>{}</name></author>\n",
            xml_escape(&a.body_name)
        ));
        if let Some(n) = &a.request {
            x.push_str(&format!(
                "<category term=\"{}\" label=\"Nomor permohonan\"/>\n",
                xml_escape(n)
            ));
        }
        x.push_str(&format!(
            "<summary type=\"text\">{}</summary>\n",
            xml_escape(&shorten(&a.text, 600))
        ));
        x.push_str("</entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

async fn feed(app: &AppState, ctx: &Ctx, headers: &HeaderMap, slug: Option<String>) -> Response {
    let (title, self_path, html_path) = match &slug {
        Some(s) => match app.body_by_slug(s).await {
            Ok(Some(b)) => (
                format!("Jawaban yang dipublikasikan — {}", b.row.name),
                format!("/b/{s}/publikasi.atom"),
                format!("/b/{s}/jawaban"),
            ),
            _ => return ctx.not_found(),
        },
        None => (
            "Jawaban yang dipublikasikan — Lentera".to_owned(),
            "/publikasi.atom".to_owned(),
            "/jawaban".to_owned(),
        ),
    };
    let items = match app.recent_publications(slug.as_deref(), RECENT).await {
        Ok(l) => l,
        Err(e) => return app_failure(ctx, &e),
    };
    let base = base_url(headers, app.cookie_secure());
    let xml = atom(&base, &self_path, &html_path, &title, &items, app.now());
    let mut r = (StatusCode::OK, xml).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/atom+xml; charset=utf-8"),
    );
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    r
}

pub async fn feed_all(State(app): State<AppState>, ctx: Ctx, headers: HeaderMap) -> Response {
    feed(&app, &ctx, &headers, None).await
}

pub async fn feed_body(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Response {
    feed(&app, &ctx, &headers, Some(slug)).await
}

// ------------------------------------------------------------------ search

const PER_PAGE: usize = 20;
const MAX_PAGE: usize = 50;
/// The search itself stops at this many characters; longer text is cut before it is sent.
const MAX_Q_CHARS: usize = lentera_search::MAX_QUERY_CHARS;

pub struct HitView {
    pub title: String,
    pub url: String,
    pub kind: &'static str,
    pub body_name: String,
    pub year: i32,
    /// Escaped by the index, with `<mark>` around matches.
    pub snippet_html: String,
}

/// A filter link: label, count, href, whether it is the active filter.
pub struct FacetLink {
    pub label: String,
    pub count: u64,
    pub href: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "portal/search.html")]
struct SearchPage {
    p: Page,
    q: String,
    body: String,
    kind: String,
    year: String,
    total: u64,
    /// The total is extrapolated (queries matching tens of thousands of documents).
    estimate: bool,
    hits: Vec<HitView>,
    bodies: Vec<FacetLink>,
    kinds: Vec<FacetLink>,
    years: Vec<FacetLink>,
    page: usize,
    prev: Option<String>,
    next: Option<String>,
    searched: bool,
    failed: bool,
    truncated: bool,
    clear: Option<String>,
}

fn search_href(q: &str, body: &str, kind: &str, year: &str, page: usize) -> String {
    let mut parts = Vec::new();
    for (k, v) in [("q", q), ("body", body), ("kind", kind), ("year", year)] {
        if !v.is_empty() {
            parts.push(format!("{k}={}", pct(v)));
        }
    }
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    if parts.is_empty() {
        "/cari".into()
    } else {
        format!("/cari?{}", parts.join("&"))
    }
}

fn cut(s: &str, max: usize) -> (String, bool) {
    if s.chars().count() > max {
        (s.chars().take(max).collect(), true)
    } else {
        (s.to_owned(), false)
    }
}

fn search_query(
    q: &str,
    body: &str,
    kind: &str,
    year: &str,
    limit: usize,
    page: usize,
) -> SearchQuery {
    SearchQuery {
        q: q.to_owned(),
        body: Some(body.to_owned()).filter(|b| !b.is_empty()),
        kind: Some(kind.to_owned()).filter(|k| !k.is_empty()),
        year: year.parse().ok(),
        limit,
        offset: (page - 1) * limit,
    }
}

fn hit_views(t: Lang, r: &SearchResults) -> Vec<HitView> {
    r.hits
        .iter()
        .map(|h| HitView {
            title: h.title.clone(),
            // Index URLs are site paths; anything else is not linked out.
            url: if h.url.starts_with('/') && !h.url.starts_with("//") {
                h.url.clone()
            } else {
                "#".into()
            },
            kind: kind_label(t, &h.kind),
            body_name: h.body_name.clone(),
            year: h.year,
            snippet_html: h.snippet_html.clone(),
        })
        .collect()
}

pub async fn search(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let t = ctx.t;
    let get = |k: &str| {
        params
            .get(k)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let (q, truncated) = cut(&get("q"), MAX_Q_CHARS);
    let (body, _) = cut(&get("body"), 80);
    let kind = Some(get("kind"))
        .filter(|k| lentera_search::KINDS.contains(&k.as_str()))
        .unwrap_or_default();
    let year = Some(get("year"))
        .filter(|y| y.len() == 4 && y.parse::<i32>().is_ok())
        .unwrap_or_default();
    let page = get("page").parse::<usize>().unwrap_or(1).clamp(1, MAX_PAGE);
    let searched = !q.is_empty() || !body.is_empty() || !kind.is_empty() || !year.is_empty();
    let mut p = ctx.page(t.pick("Cari informasi", "Search information"));
    if !q.is_empty() {
        p.title = format!("{} — {}", shorten(&q, 60), p.title);
    }
    let (results, failed) = if searched {
        match app
            .search(search_query(&q, &body, &kind, &year, PER_PAGE, page))
            .await
        {
            Ok(r) => (r, false),
            Err(e) => {
                tracing::warn!(error = %e, "search failed");
                (std::sync::Arc::default(), true)
            }
        }
    } else {
        (std::sync::Arc::default(), false)
    };
    let names: BTreeMap<String, String> = app
        .list_bodies()
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|b| (b.slug, b.name))
        .collect();
    let bodies = results
        .facets
        .body
        .iter()
        .map(|(slug, n)| {
            let active = *slug == body;
            FacetLink {
                label: names.get(slug).cloned().unwrap_or_else(|| slug.clone()),
                count: *n,
                href: search_href(&q, if active { "" } else { slug }, &kind, &year, 1),
                active,
            }
        })
        .collect();
    let kinds = results
        .facets
        .kind
        .iter()
        .map(|(k, n)| {
            let active = *k == kind;
            FacetLink {
                label: kind_label(t, k).to_owned(),
                count: *n,
                href: search_href(&q, &body, if active { "" } else { k }, &year, 1),
                active,
            }
        })
        .collect();
    let years = results
        .facets
        .year
        .iter()
        .map(|(y, n)| {
            let ys = y.to_string();
            let active = ys == year;
            FacetLink {
                label: ys.clone(),
                count: *n,
                href: search_href(&q, &body, &kind, if active { "" } else { &ys }, 1),
                active,
            }
        })
        .collect();
    let pages = usize::try_from(results.total)
        .unwrap_or(usize::MAX)
        .div_ceil(PER_PAGE)
        .min(MAX_PAGE);
    let prev = (page > 1).then(|| search_href(&q, &body, &kind, &year, page - 1));
    let next = (page < pages).then(|| search_href(&q, &body, &kind, &year, page + 1));
    let clear = (!body.is_empty() || !kind.is_empty() || !year.is_empty())
        .then(|| search_href(&q, "", "", "", 1));
    let page_view = SearchPage {
        p,
        hits: hit_views(t, &results),
        total: results.total,
        estimate: results.total_is_estimate,
        bodies,
        kinds,
        years,
        page,
        prev,
        next,
        searched,
        failed,
        truncated,
        clear,
        q,
        body,
        kind,
        year,
    };
    ctx.render(StatusCode::OK, &page_view)
}

#[derive(Template)]
#[template(path = "portal/suggestions.html")]
struct Suggestions {
    p: Page,
    hits: Vec<HitView>,
}

/// `GET /cari/saran?information=…`: what may already be public, while a request is typed.
pub async fn suggest(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let raw = params
        .get("information")
        .or_else(|| params.get("q"))
        .map(|s| s.trim().to_owned())
        .unwrap_or_default();
    let (q, _) = cut(&raw, 300);
    let empty = || Html(String::new()).into_response();
    if q.chars().filter(|c| c.is_alphanumeric()).count() < 3 {
        return empty();
    }
    let results = match app.search(search_query(&q, "", "", "", 5, 1)).await {
        Ok(r) => r,
        Err(_) => return empty(),
    };
    if results.hits.is_empty() {
        return empty();
    }
    let page = Suggestions {
        hits: hit_views(ctx.t, &results),
        p: ctx.page(""),
    };
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(_) => empty(),
    }
}

// Document lists on the public pages share this view.
pub fn size_label(d: &DocumentView) -> String {
    let s = d.size;
    if s >= 1024 * 1024 {
        format!("{:.1} MB", s as f64 / (1024.0 * 1024.0))
    } else if s >= 1024 {
        format!("{} KB", s / 1024)
    } else {
        format!("{s} B")
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

    #[test]
    fn xml_is_escaped() {
        assert_eq!(
            xml_escape("<a & 'b'>\u{1}"),
            "&lt;a &amp; &apos;b&apos;&gt;"
        );
    }
}
