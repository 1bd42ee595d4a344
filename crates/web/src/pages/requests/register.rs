//! The public register of a body's requests (`/b/{slug}/register`), page by page.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use lentera_app::requests::RegisterEntry;

use crate::pages::common::{Ctx, Page};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "requests/register.html")]
struct RegisterPage {
    p: Page,
    slug: String,
    body_name: String,
    entries: Vec<RegisterEntry>,
    page: i64,
    has_more: bool,
}

pub async fn register(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    const PER_PAGE: i64 = 50;
    let page = q
        .get("halaman")
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, 10_000);
    let Ok((body, entries)) = app
        .request_register(&slug, PER_PAGE + 1, (page - 1) * PER_PAGE)
        .await
    else {
        return ctx.not_found();
    };
    let per_page = usize::try_from(PER_PAGE).unwrap_or(50);
    let has_more = entries.len() > per_page;
    let entries = entries.iter().take(per_page).cloned().collect();
    let p = RegisterPage {
        p: ctx.page(ctx.t.pick("Register permohonan", "Request register")),
        slug,
        body_name: body.row.name.clone(),
        entries,
        page,
        has_more,
    };
    ctx.render(StatusCode::OK, &p)
}
