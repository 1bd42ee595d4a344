//! Published answers: the permanent page of one, the lists (all bodies or one), and their Atom
//! feeds (the disclosure log).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lentera_app::register::PublicationView;

use super::format::{app_failure, base_url, no_store, xml_escape};
use super::forms::parse_id;
use crate::pages::common::{Ctx, Page};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "register/answer.html")]
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

// ------------------------------------------------------------------ published answers

#[derive(Template)]
#[template(path = "register/answers.html")]
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

pub(crate) fn shorten(s: &str, max: usize) -> String {
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
