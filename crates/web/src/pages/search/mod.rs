//! The search page (`/cari`) with its filters, and the suggestions shown while a request is
//! typed (`/cari/saran`).

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use lentera_search::{SearchQuery, SearchResults};

use crate::pages::common::{Ctx, Lang, Page};
use crate::pages::register::answers::shorten;
use crate::pages::register::format::{kind_label, pct};
use crate::state::AppState;
use axum::Router;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cari", get(search))
        .route("/cari/saran", get(suggest))
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
#[template(path = "search/search.html")]
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
#[template(path = "search/suggestions.html")]
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
