//! The public portal's front: the home page with its list of bodies, a body's page, and the
//! language switch.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use lentera_domain::BodyKind;

use crate::pages::common::{Ctx, LANG_COOKIE, Page};
use crate::state::AppState;
use axum::Router;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/b/{slug}", get(body))
        .route("/bahasa/{code}", get(language))
}

/// A body on the home page, borrowed from the cached list (no copy per view).
pub struct BodyCard<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub kind_label: &'static str,
    pub parent_name: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "portal/home.html")]
struct HomePage<'a> {
    p: Page,
    bodies: Vec<BodyCard<'a>>,
}

pub async fn home(State(app): State<AppState>, ctx: Ctx) -> Response {
    let Ok(all) = app.bodies_shared().await else {
        return ctx.not_found();
    };
    // A body's parent is a body, never a unit: the names of the listed ones are enough.
    let listed: Vec<_> = all.iter().filter(|b| b.kind != "unit").collect();
    let names: HashMap<&str, &str> = listed
        .iter()
        .map(|b| (b.slug.as_str(), b.name.as_str()))
        .collect();
    let bodies = listed
        .iter()
        .map(|b| BodyCard {
            slug: &b.slug,
            name: &b.name,
            kind_label: BodyKind::parse(&b.kind).map_or("", BodyKind::label_id),
            parent_name: b.parent.as_deref().and_then(|p| names.get(p).copied()),
        })
        .collect();
    let page = HomePage {
        p: ctx.page(
            ctx.t
                .pick("Layanan informasi publik", "Public information service"),
        ),
        bodies,
    };
    ctx.render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "portal/body.html")]
struct BodyPage {
    p: Page,
    slug: String,
    name: String,
    kind_label: &'static str,
    parent: Option<(String, String)>,
    address: String,
    email: String,
    phone: String,
    service_hours: String,
    charter: String,
    collective_leave_closed: bool,
    closures: usize,
    units: Vec<String>,
}

pub async fn body(State(app): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> Response {
    let Ok(Some(entry)) = app.body_by_slug(&slug).await else {
        return ctx.not_found();
    };
    let b = &entry.row;
    let parent = match b.parent_id {
        Some(id) => app
            .body(id)
            .await
            .ok()
            .map(|p| (p.row.slug.clone(), p.row.name.clone())),
        None => None,
    };
    let units = app
        .units_of(&slug)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|u| u.name)
        .collect();
    let closures = app.closures_of(&slug).await.map(|c| c.len()).unwrap_or(0);
    let page = BodyPage {
        p: ctx.page(b.name.clone()),
        slug: b.slug.clone(),
        name: b.name.clone(),
        kind_label: BodyKind::parse(&b.kind).map_or("", BodyKind::label_id),
        parent,
        address: b.address.clone(),
        email: b.email.clone(),
        phone: b.phone.clone(),
        service_hours: b.service_hours.clone(),
        charter: b.charter.clone(),
        collective_leave_closed: !b.collective_leave_is_working,
        closures,
        units,
    };
    ctx.render(StatusCode::OK, &page)
}

/// `/bahasa/{code}?kembali=/path`: remembers the language and goes back.
pub async fn language(
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = if code == "en" { "en" } else { "id" };
    let back = q
        .get("kembali")
        .and_then(|b| crate::pages::common::same_site_path(b))
        .unwrap_or("/")
        .to_owned();
    let mut resp = Redirect::to(&back).into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        ctx.cookie(LANG_COOKIE, lang, Some(31_536_000)),
    );
    resp
}
