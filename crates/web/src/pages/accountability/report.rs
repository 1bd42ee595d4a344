//! The annual service report (*Laporan Layanan Informasi Publik*): the public page drawn from
//! the report model, its downloads (PDF, CSV, XLSX), and the back-office editor of the body's
//! own chapter texts.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use lentera_app::AppError;
use lentera_app::report_doc::ReportDocument;
use lentera_app::report_texts::{PARTS, ReportTexts, TextEdit, may_edit};
use lentera_domain::TimeZone;
use lentera_render::report::{Block, Cell, Report, Signature};

use crate::pages::common::{Ctx, FormPairs, Lang, Page, PageResult, app_error_text, field};
use crate::pages::guards::{Office, OfficeForm};
use crate::state::AppState;

use crate::error::status_of;

/// An output of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Csv,
    Xlsx,
}

impl Format {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "pdf" => Some(Self::Pdf),
            "csv" => Some(Self::Csv),
            "xlsx" => Some(Self::Xlsx),
            _ => None,
        }
    }

    fn ext(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// Writes the document in `format` (typesetting runs off the async threads) as a download.
pub async fn output(doc: &ReportDocument, format: Format) -> Result<Response, AppError> {
    let report = doc.report.clone();
    let bytes = tokio::task::spawn_blocking(move || match format {
        Format::Pdf => lentera_render::report_to_pdf(&report).map_err(|e| e.to_string()),
        Format::Csv => Ok(lentera_render::report_to_csv(&report)),
        Format::Xlsx => lentera_render::report_to_xlsx(&report).map_err(|e| e.to_string()),
    })
    .await
    .map_err(|e| AppError::Unexpected(e.into()))?
    .map_err(|e| AppError::Unexpected(anyhow::anyhow!("report rendering failed: {e}")))?;
    let mut r = (StatusCode::OK, bytes).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}.{}\"",
        doc.file_stem,
        format.ext()
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

// ------------------------------------------------------------------ the report as HTML

struct HCell {
    text: String,
    num: bool,
}

struct HTable {
    id: String,
    caption: String,
    columns: Vec<String>,
    rows: Vec<Vec<HCell>>,
    footer: Option<Vec<HCell>>,
    note: Option<String>,
}

struct HBlock {
    /// `paragraph`, `facts`, `table`, `chart`, `check`.
    kind: &'static str,
    paragraphs: Vec<String>,
    facts: Vec<(String, HCell)>,
    table: Option<HTable>,
    /// Drawn by the server from numbers, labels escaped.
    svg: String,
    text: String,
    ok: bool,
}

struct HSection {
    anchor: String,
    heading: Option<String>,
    blocks: Vec<HBlock>,
}

struct HChapter {
    anchor: String,
    number: String,
    title: String,
    sections: Vec<HSection>,
}

fn cell(c: &Cell) -> HCell {
    HCell {
        text: c.text.clone(),
        num: c.value.is_some(),
    }
}

fn block(b: &Block) -> HBlock {
    let mut h = HBlock {
        kind: "paragraph",
        paragraphs: Vec::new(),
        facts: Vec::new(),
        table: None,
        svg: String::new(),
        text: String::new(),
        ok: true,
    };
    match b {
        Block::Paragraph { text } => {
            h.paragraphs = text
                .split("\n\n")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect();
        }
        Block::Facts { rows } => {
            h.kind = "facts";
            h.facts = rows
                .iter()
                .map(|f| (f.label.clone(), cell(&f.value)))
                .collect();
        }
        Block::Table(t) => {
            h.kind = "table";
            h.table = Some(HTable {
                id: t.id.clone(),
                caption: t.caption.clone(),
                columns: t.columns.clone(),
                rows: t
                    .rows
                    .iter()
                    .map(|r| r.iter().map(cell).collect())
                    .collect(),
                footer: t.footer.as_ref().map(|r| r.iter().map(cell).collect()),
                note: t.note.clone(),
            });
        }
        Block::Chart { title, svg } => {
            h.kind = "chart";
            h.text = title.clone();
            h.svg = svg.clone();
        }
        Block::Check { text, ok } => {
            h.kind = "check";
            h.text = text.clone();
            h.ok = *ok;
        }
    }
    h
}

fn chapters(r: &Report) -> Vec<HChapter> {
    r.chapters
        .iter()
        .map(|c| HChapter {
            anchor: format!("bab-{}", c.number.to_lowercase()),
            number: c.number.clone(),
            title: c.title.clone(),
            sections: c
                .sections
                .iter()
                .enumerate()
                .map(|(i, s)| HSection {
                    anchor: s.number.as_ref().map_or_else(
                        || format!("bab-{}-{i}", c.number.to_lowercase()),
                        |n| format!("bagian-{}", n.replace('.', "-")),
                    ),
                    heading: match (&s.number, &s.title) {
                        (Some(n), Some(t)) => Some(format!("{n} {t}")),
                        (None, Some(t)) => Some(t.clone()),
                        (Some(n), None) => Some(n.clone()),
                        (None, None) => None,
                    },
                    blocks: s.blocks.iter().map(block).collect(),
                })
                .collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "accountability/report.html")]
struct ReportPage {
    p: Page,
    slug: String,
    body_name: String,
    title: String,
    subtitle: String,
    period_label: String,
    generated: String,
    chapters: Vec<HChapter>,
    signatures: Vec<Signature>,
    year: i32,
    period: String,
    rollup: bool,
    may_rollup: bool,
    years: Vec<i32>,
    query: String,
    api_query: String,
    may_edit: bool,
}

fn periods(t: Lang) -> Vec<(&'static str, &'static str)> {
    vec![
        ("year", t.pick("Satu tahun", "Whole year")),
        ("s1", t.pick("Semester I", "First half")),
        ("s2", t.pick("Semester II", "Second half")),
        ("q1", t.pick("Triwulan I", "First quarter")),
        ("q2", t.pick("Triwulan II", "Second quarter")),
        ("q3", t.pick("Triwulan III", "Third quarter")),
        ("q4", t.pick("Triwulan IV", "Fourth quarter")),
    ]
}

impl ReportPage {
    fn periods(&self) -> Vec<(&'static str, &'static str)> {
        periods(self.p.t)
    }
}

/// The query of the report page: `tahun`, `periode`, `rollup` (English names accepted too).
struct Wanted {
    year: Result<i32, ()>,
    period: Option<String>,
    rollup: bool,
}

fn wanted(app: &AppState, q: &HashMap<String, String>) -> Wanted {
    let get = |a: &str, b: &str| {
        q.get(a)
            .or_else(|| q.get(b))
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    let year = match get("tahun", "year") {
        None => Ok(app.today_in(TimeZone::Wib).year()),
        Some(y) => y.parse::<i32>().map_err(|_| ()),
    };
    Wanted {
        year,
        period: get("periode", "period"),
        rollup: get("rollup", "gabungan").is_some_and(|v| v == "1" || v == "true"),
    }
}

async fn has_children(app: &AppState, slug: &str) -> bool {
    app.list_bodies().await.is_ok_and(|l| {
        l.iter()
            .any(|b| b.kind != "unit" && b.parent.as_deref() == Some(slug))
    })
}

fn bad_request_text(t: Lang) -> &'static str {
    t.pick(
        "Tahun atau periode laporan tidak valid. Pilih tahun 2000–2100 dan periode: satu tahun, semester I/II atau triwulan I–IV.",
        "The report's year or period is not valid. Choose a year 2000–2100 and a period: whole year, first/second half or a quarter.",
    )
}

async fn document(
    app: &AppState,
    ctx: &Ctx,
    slug: &str,
    q: &HashMap<String, String>,
) -> Result<(ReportDocument, Wanted), Response> {
    let t = ctx.t;
    let heading = t.pick(
        "Laporan layanan informasi publik",
        "Public information service report",
    );
    let w = wanted(app, q);
    let Ok(year) = w.year else {
        return Err(ctx.error_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            heading,
            bad_request_text(t),
        ));
    };
    match app
        .annual_report_document(slug, year, w.period.as_deref(), w.rollup)
        .await
    {
        Ok(doc) => Ok((doc, w)),
        Err(AppError::Invalid(_)) => Err(ctx.error_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            heading,
            bad_request_text(t),
        )),
        Err(AppError::NotFound(_)) => Err(ctx.not_found()),
        Err(e) => Err(ctx.error_of(heading, &e)),
    }
}

/// `GET /b/{slug}/laporan[?tahun=YYYY][&periode=s1|s2|q1..q4][&rollup=1]`
pub async fn page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (doc, _) = match document(&app, &ctx, &slug, &q).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    let year = doc.figures.year;
    let period = doc.figures.period.clone();
    let mut query = format!("tahun={year}&periode={period}");
    let mut api_query = format!("body={slug}&year={year}&period={period}");
    if doc.rollup {
        query.push_str("&rollup=1");
        api_query.push_str("&rollup=true");
    }
    let this_year = app.today_in(TimeZone::Wib).year();
    let mut years: Vec<i32> = (this_year - 5..=this_year).rev().collect();
    if !years.contains(&year) {
        years.push(year);
    }
    let may_edit = ctx
        .officer
        .as_ref()
        .is_some_and(|(o, _)| o.home.row.slug == slug || o.role == lentera_domain::Role::Admin);
    let r = &doc.report;
    let page = ReportPage {
        p: ctx.page(format!("{} · {}", r.title, r.period)),
        body_name: doc.figures.body_name.clone(),
        slug: slug.clone(),
        title: r.title.clone(),
        subtitle: r.subtitle.clone(),
        period_label: r.period.clone(),
        generated: r.generated.clone(),
        chapters: chapters(r),
        signatures: r.signatures.clone(),
        year,
        period,
        rollup: doc.rollup,
        may_rollup: doc.rollup || has_children(&app, &slug).await,
        years,
        query,
        api_query,
        may_edit,
    };
    ctx.render(StatusCode::OK, &page)
}

async fn download(
    app: &AppState,
    ctx: &Ctx,
    slug: &str,
    q: &HashMap<String, String>,
    f: Format,
) -> Response {
    let (doc, _) = match document(app, ctx, slug, q).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    match output(&doc, f).await {
        Ok(r) => r,
        Err(e) => ctx.error_of(ctx.t.pick("Laporan", "Report"), &e),
    }
}

/// `GET /b/{slug}/laporan.pdf`
pub async fn pdf(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    download(&app, &ctx, &slug, &q, Format::Pdf).await
}

/// `GET /b/{slug}/laporan.csv`
pub async fn csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    download(&app, &ctx, &slug, &q, Format::Csv).await
}

/// `GET /b/{slug}/laporan.xlsx`
pub async fn xlsx(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    download(&app, &ctx, &slug, &q, Format::Xlsx).await
}

// ------------------------------------------------------------------ back office

struct EditPart {
    key: &'static str,
    label: &'static str,
    text: String,
    version: i64,
    single_line: bool,
    max_chars: usize,
    carried_from: Option<i64>,
    updated: Option<String>,
}

#[derive(Template)]
#[template(path = "accountability/office_report.html")]
struct OfficePage {
    p: Page,
    slug: String,
    body_name: String,
    year: i32,
    years: Vec<i32>,
    parts: Vec<EditPart>,
    may_edit: bool,
    admin: bool,
    notice: Option<String>,
    error: Option<String>,
}

fn edit_parts(p: &Page, texts: &ReportTexts, posted: Option<&FormPairs>) -> Vec<EditPart> {
    texts
        .parts
        .iter()
        .map(|v| EditPart {
            key: v.part.key,
            label: p.t.pick(v.part.label, v.part.label_en),
            text: posted
                .and_then(|f| field(f, &format!("text_{}", v.part.key)))
                .map_or_else(|| v.text.clone(), str::to_owned),
            version: v.version,
            single_line: v.part.single_line,
            max_chars: v.part.max_chars,
            carried_from: v.from_year.filter(|y| *y != i64::from(texts.year)),
            updated: v.updated_at.map(|at| {
                format!(
                    "{}{}",
                    p.local(&at),
                    v.author
                        .as_ref()
                        .map(|a| format!(" · {a}"))
                        .unwrap_or_default()
                )
            }),
        })
        .collect()
}

async fn office_page(
    app: &AppState,
    ctx: &Ctx,
    slug: Option<&str>,
    year: i32,
    notice: Option<String>,
    failed: Option<(StatusCode, String, &FormPairs)>,
) -> PageResult {
    let t = ctx.t;
    let officer = ctx.officer()?;
    let heading = t.pick(
        "Laporan layanan informasi publik",
        "Public information service report",
    );
    let admin = officer.role == lentera_domain::Role::Admin;
    let slug = match slug {
        Some(s) if admin => s.to_owned(),
        Some(s) if s != officer.home.row.slug => {
            return Err(ctx.fail(heading)(AppError::Forbidden));
        }
        _ => officer.home.row.slug.clone(),
    };
    let body = app
        .body_by_slug(&slug)
        .await
        .map_err(ctx.fail(heading))?
        .ok_or_else(|| ctx.not_found())?;
    let texts = app
        .report_texts(&slug, year)
        .await
        .map_err(ctx.fail(heading))?;
    let (status, error, posted) = match failed {
        Some((s, m, f)) => (s, Some(m), Some(f)),
        None => (StatusCode::OK, None, None),
    };
    let p = ctx.page(format!("{heading} {year}"));
    let this_year = app.today_in(body.time_zone()).year();
    let mut years: Vec<i32> = (this_year - 5..=this_year).rev().collect();
    if !years.contains(&year) {
        years.push(year);
    }
    let page = OfficePage {
        parts: edit_parts(&p, &texts, posted),
        p,
        body_name: body.row.name.clone(),
        may_edit: may_edit(officer, &body),
        slug,
        year,
        years,
        admin,
        notice,
        error,
    };
    Ok(ctx.render(status, &page))
}

fn office_year(app: &AppState, s: Option<&str>) -> i32 {
    s.and_then(|s| s.trim().parse::<i32>().ok())
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| app.today_in(TimeZone::Wib).year())
}

/// `GET /kantor/laporan[?tahun=YYYY][&badan=SLUG (admins)]`
pub async fn office(
    State(app): State<AppState>,
    Office { ctx, .. }: Office,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let year = office_year(&app, q.get("tahun").map(String::as_str));
    let notice = q.get("ok").map(|_| {
        ctx.t
            .pick("Teks laporan disimpan.", "Report texts saved.")
            .to_owned()
    });
    let slug = q.get("badan").map(|s| s.trim()).filter(|s| !s.is_empty());
    office_page(&app, &ctx, slug, year, notice, None)
        .await
        .into_response()
}

/// `POST /kantor/laporan`: `csrf`, `tahun`, `badan`, `text_{part}`, `v_{part}`.
pub async fn save(
    State(app): State<AppState>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    let year = office_year(&app, field(&f, "tahun"));
    let slug = field(&f, "badan")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map_or_else(|| officer.home.row.slug.clone(), str::to_owned);
    let edits: Vec<TextEdit> = PARTS
        .iter()
        .filter_map(|p| {
            field(&f, &format!("text_{}", p.key)).map(|text| TextEdit {
                part: p.key.to_owned(),
                text: text.to_owned(),
                base_version: field(&f, &format!("v_{}", p.key))
                    .and_then(|v| v.trim().parse::<i64>().ok()),
            })
        })
        .collect();
    match app.save_report_texts(officer, &slug, year, &edits).await {
        Ok(_) => {
            let badan = if slug == officer.home.row.slug {
                String::new()
            } else {
                format!("&badan={slug}")
            };
            Redirect::to(&format!("/kantor/laporan?tahun={year}{badan}&ok=1")).into_response()
        }
        Err(AppError::Forbidden) => ctx.error_page(
            StatusCode::FORBIDDEN,
            ctx.t.pick(
                "Laporan layanan informasi publik",
                "Public information service report",
            ),
            &app_error_text(ctx.t, &AppError::Forbidden),
        ),
        Err(e) => {
            let msg = app_error_text(ctx.t, &e);
            let shown = (slug == officer.home.row.slug
                || officer.role == lentera_domain::Role::Admin)
                .then_some(slug.as_str());
            office_page(
                &app,
                &ctx,
                shown,
                year,
                None,
                Some((status_of(&e), msg, &f)),
            )
            .await
            .into_response()
        }
    }
}
