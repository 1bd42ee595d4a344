//! Administration: bodies and units, officers and roles, each body's profile, working-day
//! settings and closures. Admins only.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lentera_app::AppError;
use lentera_app::auth::NewUser;
use lentera_app::bodies::{BodyItem, NewBody};
use lentera_app::bodies::{ClosureRow, Profile};
use lentera_domain::calendar::HolidayKind;
use lentera_domain::{BodyKind, Role};
use time::Date;

use crate::pages::common::{Ctx, FormPairs, Page, app_error_text, field, text};
use crate::pages::guards::{Admin, AdminForm};
use crate::state::AppState;

/// One officer in the admin's list.
pub(super) struct UserLine {
    id: uuid::Uuid,
    email: String,
    role: String,
    body: String,
    active: bool,
    two_factor: bool,
    me: bool,
}

#[derive(Template)]
#[template(path = "admin/admin.html")]
struct AdminPage {
    p: Page,
    bodies: Vec<BodyItem>,
    users: Vec<UserLine>,
    kinds: Vec<(&'static str, &'static str)>,
    roles: Vec<(&'static str, &'static str)>,
    notice: Option<String>,
    error: Option<String>,
    /// What was typed into the form that failed ("body" or "user").
    failed: Option<(&'static str, FormPairs)>,
}

impl AdminPage {
    /// The Indonesian name of a body kind or a role code (codes stay off pages).
    fn kind_label<'a>(&self, code: &'a str) -> &'a str {
        self.kinds
            .iter()
            .chain(self.roles.iter())
            .find(|(c, _)| *c == code)
            .map_or(code, |(_, l)| l)
    }

    /// A body's name from its slug.
    fn body_name<'a>(&'a self, slug: &'a str) -> &'a str {
        self.bodies
            .iter()
            .find(|b| b.slug == slug)
            .map_or(slug, |b| b.name.as_str())
    }

    fn typed(&self, form: &str, name: &str) -> String {
        self.failed
            .as_ref()
            .filter(|(f, _)| *f == form)
            .and_then(|(_, v)| field(v, name))
            .unwrap_or("")
            .to_owned()
    }
}

pub(super) async fn admin_page(
    app: &AppState,
    ctx: &Ctx,
    notice: Option<String>,
    error: Option<(StatusCode, String)>,
) -> Response {
    admin_page_with(app, ctx, notice, error, None).await
}

async fn admin_page_with(
    app: &AppState,
    ctx: &Ctx,
    notice: Option<String>,
    error: Option<(StatusCode, String)>,
    failed: Option<(&'static str, FormPairs)>,
) -> Response {
    let bodies = app.list_bodies().await.unwrap_or_default();
    let me = ctx.officer.as_ref().map(|(o, _)| o.user.id);
    let users = app
        .accounts()
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|u| UserLine {
            id: u.id,
            two_factor: u.two_factor,
            me: Some(u.id) == me,
            email: u.email,
            role: u.role,
            body: u.body,
            active: u.active,
        })
        .collect();
    let (status, error) = match error {
        Some((s, e)) => (s, Some(e)),
        None => (StatusCode::OK, None),
    };
    let page = AdminPage {
        p: ctx.page(ctx.t.pick("Administrasi", "Administration")),
        bodies,
        users,
        kinds: BodyKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_id()))
            .collect(),
        roles: Role::ALL
            .iter()
            .map(|r| (r.as_str(), r.label_id()))
            .collect(),
        notice,
        error,
        failed,
    };
    ctx.render(status, &page)
}

pub async fn index(State(app): State<AppState>, Admin { ctx, .. }: Admin) -> Response {
    admin_page(&app, &ctx, None, None).await
}

pub async fn add_body(
    State(app): State<AppState>,
    AdminForm { ctx, f, .. }: AdminForm,
) -> Response {
    let parent = field(&f, "parent")
        .filter(|p| !p.is_empty())
        .map(str::to_owned);
    let nb = NewBody {
        slug: text(&f, "slug"),
        name: text(&f, "name"),
        kind: field(&f, "kind").map(str::to_owned),
        parent,
        time_zone: field(&f, "time_zone").map(str::to_owned),
        collective_leave_is_working: false,
    };
    match app.create_body(&nb).await {
        Ok(b) => {
            admin_page(
                &app,
                &ctx,
                Some(format!(
                    "{} ✓ {}",
                    ctx.t.pick("Ditambahkan", "Added"),
                    b.slug
                )),
                None,
            )
            .await
        }
        Err(e) => {
            let message = app_error_text(ctx.t, &e);
            admin_page_with(
                &app,
                &ctx,
                None,
                Some((StatusCode::UNPROCESSABLE_ENTITY, message)),
                Some(("body", f)),
            )
            .await
        }
    }
}

pub async fn add_user(
    State(app): State<AppState>,
    AdminForm { ctx, officer, f }: AdminForm,
) -> Response {
    let officer = &officer;
    let u = NewUser {
        email: text(&f, "email"),
        display_name: None,
        role: text(&f, "role"),
        body: text(&f, "body"),
        password: text(&f, "password"),
    };
    match app.create_user_as(&u, officer).await {
        Ok(_) => {
            admin_page(
                &app,
                &ctx,
                Some(format!(
                    "{} ✓ {}",
                    ctx.t.pick("Petugas ditambahkan", "Officer added"),
                    u.email
                )),
                None,
            )
            .await
        }
        Err(e) => {
            let message = app_error_text(ctx.t, &e);
            // The password is never sent back.
            let kept: FormPairs = f.into_iter().filter(|(k, _)| k != "password").collect();
            admin_page_with(
                &app,
                &ctx,
                None,
                Some((StatusCode::UNPROCESSABLE_ENTITY, message)),
                Some(("user", kept)),
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "admin/body.html")]
struct BodyAdminPage {
    p: Page,
    slug: String,
    profile: Profile,
    collective_leave_is_working: bool,
    clock_mode: String,
    closures: Vec<ClosureRow>,
    holidays: Vec<(Date, String, &'static str, String)>,
    notice: Option<String>,
    error: Option<String>,
}

async fn body_page(
    app: &AppState,
    ctx: &Ctx,
    slug: &str,
    notice: Option<String>,
    error: Option<(StatusCode, String)>,
) -> Response {
    let Ok(Some(entry)) = app.body_by_slug(slug).await else {
        return ctx.not_found();
    };
    let b = &entry.row;
    let national = app.national();
    let holidays = national
        .calendar
        .holidays()
        .map(|h| {
            let kind = match h.kind {
                HolidayKind::NationalHoliday => ctx.t.pick("libur nasional", "national holiday"),
                HolidayKind::CollectiveLeave => ctx.t.pick("cuti bersama", "collective leave"),
            };
            (h.date, h.name.clone(), kind, h.legal_basis.clone())
        })
        .collect();
    let (status, error) = match error {
        Some((s, e)) => (s, Some(e)),
        None => (StatusCode::OK, None),
    };
    let page = BodyAdminPage {
        p: ctx.page(b.name.clone()),
        slug: b.slug.clone(),
        profile: Profile {
            name: b.name.clone(),
            address: b.address.clone(),
            email: b.email.clone(),
            phone: b.phone.clone(),
            service_hours: b.service_hours.clone(),
            charter: b.charter.clone(),
        },
        collective_leave_is_working: b.collective_leave_is_working,
        clock_mode: b.clock_mode.clone(),
        closures: app.closures_of(slug).await.unwrap_or_default(),
        holidays,
        notice,
        error,
    };
    ctx.render(status, &page)
}

pub async fn body(
    State(app): State<AppState>,
    Admin { ctx, .. }: Admin,
    Path(slug): Path<String>,
) -> Response {
    body_page(&app, &ctx, &slug, None, None).await
}

async fn after(app: &AppState, ctx: &Ctx, slug: &str, result: Result<(), AppError>) -> Response {
    match result {
        Ok(()) => Redirect::to(&format!("/kantor/admin/badan/{slug}")).into_response(),
        Err(e) => {
            body_page(
                app,
                ctx,
                slug,
                None,
                Some((StatusCode::UNPROCESSABLE_ENTITY, app_error_text(ctx.t, &e))),
            )
            .await
        }
    }
}

pub async fn profile(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    AdminForm { ctx, f, .. }: AdminForm,
) -> Response {
    let p = Profile {
        name: text(&f, "name"),
        address: text(&f, "address"),
        email: text(&f, "email"),
        phone: text(&f, "phone"),
        service_hours: text(&f, "service_hours"),
        charter: text(&f, "charter"),
    };
    let r = app.update_profile(&slug, &p).await;
    after(&app, &ctx, &slug, r).await
}

pub async fn calendar(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    AdminForm { ctx, f, .. }: AdminForm,
) -> Response {
    let working = field(&f, "collective_leave_is_working") == Some("1");
    let r = app
        .set_collective_leave_working(&slug, working, field(&f, "clock_mode").unwrap_or("strict"))
        .await;
    after(&app, &ctx, &slug, r).await
}

fn parse_day(s: &str) -> Result<Date, AppError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.trim(), &format).map_err(|_| AppError::field("day", "invalid_date"))
}

/// The signed-in officer's user id, for the audit log.
fn actor_of(ctx: &Ctx) -> Option<uuid::Uuid> {
    ctx.officer.as_ref().map(|(o, _)| o.user.id)
}

pub async fn add_closure(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    AdminForm { ctx, f, .. }: AdminForm,
) -> Response {
    let r = match parse_day(&text(&f, "day")) {
        Ok(day) => {
            app.add_closure(&slug, day, &text(&f, "reason"), actor_of(&ctx))
                .await
        }
        Err(e) => Err(e),
    };
    after(&app, &ctx, &slug, r).await
}

pub async fn remove_closure(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    AdminForm { ctx, f, .. }: AdminForm,
) -> Response {
    let r = match parse_day(&text(&f, "day")) {
        Ok(day) => app.remove_closure(&slug, day, actor_of(&ctx)).await,
        Err(e) => Err(e),
    };
    after(&app, &ctx, &slug, r).await
}
