//! The public DIP (*Daftar Informasi Publik*) and DIK as Perki tables, and the permanent pages
//! of an entry and of a consequence test.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use lentera_app::register::{EntryView, RegisterView, TestView};
use lentera_domain::InfoKind;
use uuid::Uuid;

use super::format::{
    app_failure, forms_label, info_kind_label, legal_basis, no_store, period_label, short_date,
};
use super::forms::parse_id;
use crate::pages::common::{Ctx, Lang, Page};
use crate::state::AppState;

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
#[template(path = "register/dip.html")]
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
#[template(path = "register/dik.html")]
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

// ------------------------------------------------------------------ permanent pages

#[derive(Template)]
#[template(path = "register/dip_entry.html")]
struct EntryPage {
    p: Page,
    e: EntryView,
    row: DipRow,
    kind_label: &'static str,
    published_on: Option<String>,
    updated_on: String,
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
#[template(path = "register/dik_entry.html")]
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
