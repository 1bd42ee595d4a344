//! A request received on paper or at the desk, recorded by an officer.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use lentera_app::AppError;
use lentera_app::auth::OfficerCtx;
use lentera_app::requests::Intake;

use super::form::{ReceiptPage, intake_fields, raw_of, request_form, values_of};
use crate::pages::common::{app_error_text, field, text};
use crate::pages::guards::{Office, OfficeForm};
use crate::state::AppState;

fn intake_target(officer: &OfficerCtx) -> (String, String) {
    (officer.body.row.slug.clone(), officer.body.row.name.clone())
}

pub async fn intake_form(State(app): State<AppState>, Office { ctx, officer }: Office) -> Response {
    let officer = &officer;
    let (slug, name) = intake_target(officer);
    let today = app.today_in(officer.home.time_zone()).to_string();
    let v = super::form::FormValues {
        kind: "individual".into(),
        obtain: "softcopy".into(),
        delivery: "pickup".into(),
        ..Default::default()
    };
    let mut form = request_form(
        &ctx,
        &slug,
        &name,
        v,
        BTreeMap::new(),
        Some(intake_fields(ctx.t, today, "in_person".into())),
    );
    form.p.title = ctx.t.pick("Catat permohonan", "Record a request").into();
    ctx.render(StatusCode::OK, &form)
}

pub async fn intake(
    State(app): State<AppState>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    let (slug, name) = intake_target(officer);
    let v = values_of(&f);
    let intake = Intake {
        received_on: field(&f, "received_on").map(str::to_owned),
        channel: field(&f, "channel").map(str::to_owned),
    };
    let key = field(&f, "submission_key")
        .filter(|k| (16..=64).contains(&k.len()))
        .map(str::to_owned);
    match app
        .submit(&raw_of(&slug, &v), Some(&intake), Some(officer), key)
        .await
    {
        Ok(r) => ctx.render(
            StatusCode::CREATED,
            &ReceiptPage {
                p: ctx.page(ctx.t.pick("Tanda bukti", "Receipt")),
                body_name: name,
                r,
                asked: super::form::Asked::of(&f),
            },
        ),
        Err(AppError::Invalid(errors)) => {
            let errors = errors
                .0
                .into_iter()
                .map(|(k, v)| (k, v.into_iter().map(str::to_owned).collect()))
                .collect();
            let fields = intake_fields(ctx.t, text(&f, "received_on"), text(&f, "channel"));
            ctx.render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &request_form(&ctx, &slug, &name, v, errors, Some(fields)),
            )
        }
        Err(e) => ctx.error_page(
            StatusCode::FORBIDDEN,
            ctx.t.pick("Gagal", "Failed"),
            &app_error_text(ctx.t, &e),
        ),
    }
}
