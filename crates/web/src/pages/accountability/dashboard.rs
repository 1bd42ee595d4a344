//! The live command centre (`/kantor/pusat-kendali`) and the public accountability page
//! (`/b/{slug}/kinerja`): the same aggregate figures, rendered in full without JavaScript and
//! refreshed through Server-Sent Events by `assets/live.js`.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use lentera_app::App;
use lentera_app::dashboard::{DashboardScope, Figures};
use lentera_domain::Channel;

use crate::charts::{Series, bar_chart};
use crate::pages::common::{Ctx, Lang, Page, app_error_text};
use crate::pages::guards::Office;
use crate::state::AppState;

const LIVE_JS: &str = include_str!("../../../assets/live.js");

/// Waits this long after a change before recomputing, so a burst of events costs one refresh.
const DEBOUNCE: Duration = Duration::from_millis(250);
/// Without a local change, figures are recomputed this often (other instances, a new day).
const POLL: Duration = Duration::from_secs(5);

const MONTHS_ID: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

pub async fn live_js() -> Response {
    let mut r = (StatusCode::OK, LIVE_JS).into_response();
    r.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    r
}

/// The figures as an HTML fragment: counters, charts with their data tables, breakdowns.
#[derive(Template)]
#[template(path = "accountability/dashboard_figures.html")]
pub struct FiguresView {
    pub t: Lang,
    pub f: Arc<Figures>,
    pub trend: String,
    pub histogram: String,
    pub months: Vec<(String, i64, i64)>,
    pub classes: Vec<(String, i64)>,
}

impl FiguresView {
    pub fn new(t: Lang, f: Arc<Figures>) -> Self {
        let names = match t {
            Lang::Id => MONTHS_ID,
            Lang::En => MONTHS_EN,
        };
        let months: Vec<(String, i64, i64)> = f
            .months
            .iter()
            .map(|m| {
                (
                    names
                        .get(usize::from(m.month).saturating_sub(1))
                        .copied()
                        .unwrap_or("")
                        .to_owned(),
                    m.received,
                    m.decided,
                )
            })
            .collect();
        let classes: Vec<(String, i64)> = f
            .time_to_answer
            .iter()
            .map(|c| {
                let label = match c.to {
                    Some(to) => format!("{}–{to}", c.from),
                    None => format!("> {}", c.from.saturating_sub(1)),
                };
                (label, c.count)
            })
            .collect();
        let labels: Vec<String> = months.iter().map(|m| m.0.clone()).collect();
        let trend = bar_chart(
            "chart-trend",
            &format!(
                "{} {}",
                t.pick("Tren bulanan", "Monthly trend"),
                f.year
            ),
            t.pick(
                "Jumlah permohonan diterima dan diputus per bulan; angkanya ada pada tabel di bawah grafik.",
                "Requests received and decided per month; the numbers are in the table below the chart.",
            ),
            &labels,
            &[
                Series {
                    name: t.pick("Diterima", "Received"),
                    color: "#1d4ed8",
                    values: months.iter().map(|m| m.1).collect(),
                },
                Series {
                    name: t.pick("Diputus", "Decided"),
                    color: "#059669",
                    values: months.iter().map(|m| m.2).collect(),
                },
            ],
        );
        let histogram = bar_chart(
            "chart-time",
            t.pick(
                "Waktu menjawab (hari kerja)",
                "Time to answer (working days)",
            ),
            t.pick(
                "Jumlah permohonan yang diputus tahun ini menurut lama penyelesaian dalam hari kerja; angkanya ada pada tabel di bawah grafik.",
                "Requests decided this year by working days taken; the numbers are in the table below the chart.",
            ),
            &classes.iter().map(|c| c.0.clone()).collect::<Vec<_>>(),
            &[Series {
                name: t.pick("Permohonan", "Requests"),
                color: "#7c3aed",
                values: classes.iter().map(|c| c.1).collect(),
            }],
        );
        Self {
            t,
            f,
            trend,
            histogram,
            months,
            classes,
        }
    }

    pub fn channel_label(&self, c: &str) -> String {
        match (self.t, Channel::parse(c)) {
            (Lang::Id, Some(ch)) => ch.label_id().to_owned(),
            _ => c.replace('_', " "),
        }
    }

    pub fn pct(&self, v: &Option<f64>) -> String {
        match v {
            Some(p) => match self.t {
                Lang::Id => format!("{p:.1}%").replace('.', ","),
                Lang::En => format!("{p:.1}%"),
            },
            None => "—".to_owned(),
        }
    }

    pub fn wd(&self, v: &Option<u32>) -> String {
        v.map_or_else(|| "—".to_owned(), |d| d.to_string())
    }
}

fn fragment(t: Lang, f: Arc<Figures>) -> String {
    FiguresView::new(t, f).render().unwrap_or_else(|e| {
        tracing::error!(error = %e, "dashboard fragment failed");
        String::new()
    })
}

#[derive(Template)]
#[template(path = "accountability/dashboard.html")]
pub struct DashboardPage {
    pub p: Page,
    pub figures: String,
    pub stream: String,
    pub scope: &'static str,
    pub body_name: String,
    pub today: String,
}

#[derive(Template)]
#[template(path = "accountability/accountability.html")]
pub struct AccountabilityPage {
    pub p: Page,
    pub figures: String,
    pub stream: String,
    pub slug: String,
    pub body_name: String,
    pub today: String,
}

/// The scope an officer asks for: `scope=province|body`, and for admins `body=SLUG`.
fn officer_scope(
    ctx: &Ctx,
    q: &HashMap<String, String>,
) -> Result<(DashboardScope, Arc<lentera_app::BodyEntry>), Response> {
    let officer = ctx.officer()?;
    let home = Arc::clone(&officer.home);
    let slug = q
        .get("body")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .unwrap_or(&home.row.slug)
        .to_owned();
    let scope = match q.get("scope").map(String::as_str) {
        Some("province") => DashboardScope::Province(slug),
        _ => DashboardScope::Body(slug),
    };
    Ok((scope, home))
}

async fn authorised(
    app: &App,
    ctx: &Ctx,
    scope: &DashboardScope,
) -> Result<Arc<lentera_app::BodyEntry>, Response> {
    let officer = ctx.officer()?;
    let Ok(Some(body)) = app.body_by_slug(scope.slug()).await else {
        return Err(ctx.not_found());
    };
    if !App::may_see_dashboard(officer, &body) {
        return Err(ctx.error_page(
            StatusCode::FORBIDDEN,
            ctx.t.pick("Tidak berwenang", "Not allowed"),
            ctx.t.pick(
                "Pusat kendali hanya untuk petugas badan publik ini.",
                "The command centre is for this public body's officers only.",
            ),
        ));
    }
    Ok(body)
}

/// `GET /kantor/pusat-kendali[?scope=province|body][&body=SLUG]`
pub async fn office(
    State(app): State<AppState>,
    Office { ctx, .. }: Office,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (scope, _) = match officer_scope(&ctx, &q) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let body = match authorised(&app, &ctx, &scope).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let today = app.today_in(body.time_zone());
    let f = match app.dashboard(&scope, today).await {
        Ok(f) => f,
        Err(e) => {
            return ctx.error_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                ctx.t.pick("Pusat kendali", "Command centre"),
                &app_error_text(ctx.t, &e),
            );
        }
    };
    let p = ctx.page(ctx.t.pick("Pusat kendali", "Command centre"));
    let page = DashboardPage {
        today: p.date(f.today),
        body_name: f.body_name.clone(),
        scope: scope.kind(),
        stream: format!(
            "/kantor/pusat-kendali/stream?scope={}&body={}",
            scope.kind(),
            body.row.slug
        ),
        figures: fragment(ctx.t, f),
        p,
    };
    ctx.render(StatusCode::OK, &page)
}

/// `GET /b/{slug}/kinerja`: the same figures for everyone.
pub async fn public(State(app): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> Response {
    let Ok(Some(body)) = app.body_by_slug(&slug).await else {
        return ctx.not_found();
    };
    let scope = DashboardScope::Body(body.row.slug.clone());
    let today = app.today_in(body.time_zone());
    let f = match app.dashboard(&scope, today).await {
        Ok(f) => f,
        Err(_) => return ctx.not_found(),
    };
    let p = ctx.page(format!(
        "{} · {}",
        ctx.t.pick(
            "Kinerja layanan informasi",
            "Information service performance"
        ),
        body.row.name
    ));
    let page = AccountabilityPage {
        today: p.date(f.today),
        body_name: body.row.name.clone(),
        slug: body.row.slug.clone(),
        stream: format!("/b/{}/kinerja/stream", body.row.slug),
        figures: fragment(ctx.t, f),
        p,
    };
    ctx.render(StatusCode::OK, &page)
}

/// Figures as `event: figures` (an HTML fragment) now and after every change, debounced.
fn stream(
    app: AppState,
    t: Lang,
    scope: DashboardScope,
    body: Arc<lentera_app::BodyEntry>,
) -> Response {
    let rx = app.changes();
    let events = futures_util::stream::unfold(
        (app, rx, scope, body, None::<String>),
        move |(app, mut rx, scope, body, last)| async move {
            loop {
                // A node shutting down ends its streams (the browser reconnects to another
                // node), or the graceful shutdown would wait for them forever.
                if app.is_shutting_down() {
                    return None;
                }
                if last.is_some() {
                    // A change here or signalled by another node, or a periodic look for
                    // changes whose signal was lost and for the turn of the day.
                    tokio::select! {
                        r = rx.changed() => {
                            r.ok()?;
                            tokio::time::sleep(DEBOUNCE).await;
                        }
                        () = tokio::time::sleep(POLL) => {}
                        () = app.shutting_down() => return None,
                    }
                }
                rx.borrow_and_update();
                let today = app.today_in(body.time_zone());
                let data = match app.dashboard(&scope, today).await {
                    Ok(f) => fragment(t, f),
                    Err(e) => {
                        tracing::warn!(error = %e, "dashboard stream");
                        tokio::time::sleep(POLL).await;
                        continue;
                    }
                };
                if last.as_deref() != Some(data.as_str()) {
                    let ev = Event::default().event("figures").data(data.as_str());
                    return Some((Ok::<_, Infallible>(ev), (app, rx, scope, body, Some(data))));
                }
            }
        },
    );
    Sse::new(events)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

/// `GET /kantor/pusat-kendali/stream?scope=…`
pub async fn office_stream(
    State(app): State<AppState>,
    Office { ctx, .. }: Office,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (scope, _) = match officer_scope(&ctx, &q) {
        Ok(s) => s,
        Err(r) => return r,
    };
    match authorised(&app, &ctx, &scope).await {
        Ok(body) => stream(app, ctx.t, scope, body),
        Err(r) => r,
    }
}

/// `GET /b/{slug}/kinerja/stream`
pub async fn public_stream(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Response {
    let Ok(Some(body)) = app.body_by_slug(&slug).await else {
        return ctx.not_found();
    };
    let scope = DashboardScope::Body(body.row.slug.clone());
    stream(app, ctx.t, scope, body)
}
