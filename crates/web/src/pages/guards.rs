//! Guards as types. A handler that takes [`Office`] cannot run without a signed-in officer; one
//! that takes [`CsrfForm`] or [`OfficeForm`] cannot read a form whose security token does not
//! match. `axum::Form` is a disallowed type (`clippy.toml`), so a new POST handler that reads a
//! form any other way fails `cargo clippy -D warnings` instead of shipping without the check.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use lentera_app::auth::OfficerCtx;
use lentera_domain::Role;

use super::common::{Ctx, FormPairs, field};
use crate::state::AppState;

/// Where a page that needs an officer sends a browser without a session.
const SIGN_IN: &str = "/kantor/masuk";

/// A signed-in officer and the page context; anyone else is sent to the sign-in page.
pub struct Office {
    pub ctx: Ctx,
    pub officer: OfficerCtx,
}

fn officer_of(ctx: &Ctx) -> Result<OfficerCtx, Response> {
    ctx.officer
        .as_ref()
        .map(|(o, _)| o.clone())
        .ok_or_else(|| Redirect::to(SIGN_IN).into_response())
}

impl FromRequestParts<AppState> for Office {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        let officer = officer_of(&ctx)?;
        Ok(Self { ctx, officer })
    }
}

/// Reads the url-encoded form of `req`; the only place a form body is read.
#[allow(clippy::disallowed_types)]
async fn read_form(req: Request, state: &AppState) -> Result<FormPairs, Response> {
    axum::Form::<FormPairs>::from_request(req, state)
        .await
        .map(|axum::Form(f)| f)
        .map_err(IntoResponse::into_response)
}

/// A form whose `csrf` field matches the session's (or the anonymous cookie's) token, sent from
/// this site; anything else is answered with the "form expired" page.
pub struct CsrfForm(pub Ctx, pub FormPairs);

impl FromRequest<AppState> for CsrfForm {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let ctx = Ctx::from_request_parts(&mut parts, state).await?;
        let form = read_form(Request::from_parts(parts, body), state).await?;
        if !ctx.csrf_ok(field(&form, "csrf")) {
            return Err(ctx.forbidden_csrf());
        }
        Ok(Self(ctx, form))
    }
}

/// The page context, the officer `who` lets through and the form, its token checked: the officer
/// first (a stale session goes to sign-in, a wrong role to "not allowed"), then the token.
async fn who_and_form(
    req: Request,
    state: &AppState,
    who: fn(&Ctx) -> Result<OfficerCtx, Response>,
) -> Result<(Ctx, OfficerCtx, FormPairs), Response> {
    let (mut parts, body) = req.into_parts();
    let ctx = Ctx::from_request_parts(&mut parts, state).await?;
    let officer = who(&ctx)?;
    let f = read_form(Request::from_parts(parts, body), state).await?;
    if !ctx.csrf_ok(field(&f, "csrf")) {
        return Err(ctx.forbidden_csrf());
    }
    Ok((ctx, officer, f))
}

/// A signed-in officer's form with a matching token: the officer is checked first (a stale
/// session goes to sign-in), then the token.
pub struct OfficeForm {
    pub ctx: Ctx,
    pub officer: OfficerCtx,
    pub f: FormPairs,
}

impl FromRequest<AppState> for OfficeForm {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (ctx, officer, f) = who_and_form(req, state, officer_of).await?;
        Ok(Self { ctx, officer, f })
    }
}

/// A signed-in administrator; another officer gets the "not allowed" page.
pub struct Admin {
    pub ctx: Ctx,
    pub officer: OfficerCtx,
}

fn admin_of(ctx: &Ctx) -> Result<OfficerCtx, Response> {
    let officer = officer_of(ctx)?;
    if officer.role == Role::Admin {
        Ok(officer)
    } else {
        Err(ctx.error_page(
            StatusCode::FORBIDDEN,
            ctx.t.pick("Tidak diizinkan", "Not allowed"),
            ctx.t.pick(
                "Halaman ini hanya untuk administrator.",
                "This page is for administrators only.",
            ),
        ))
    }
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        let officer = admin_of(&ctx)?;
        Ok(Self { ctx, officer })
    }
}

/// An administrator's form with a matching token.
pub struct AdminForm {
    pub ctx: Ctx,
    pub officer: OfficerCtx,
    pub f: FormPairs,
}

impl FromRequest<AppState> for AdminForm {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (ctx, officer, f) = who_and_form(req, state, admin_of).await?;
        Ok(Self { ctx, officer, f })
    }
}
