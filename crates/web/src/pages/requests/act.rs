//! An officer's action on a request, in two steps: the effect shown first, then carried out.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lentera_app::requests::{DecisionInput, OfficerAction};

use super::case::{case_page, case_page_with, posted_of};
use crate::pages::common::{FormPairs, Page, action_names, app_error_text, field, text};
use crate::pages::guards::OfficeForm;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "requests/confirm.html")]
struct ConfirmPage {
    p: Page,
    number: String,
    label: String,
    effects: Vec<(String, String)>,
    fields: Vec<(String, String)>,
}

fn to_action(f: &FormPairs) -> Result<OfficerAction, &'static str> {
    let action = field(f, "action").unwrap_or("");
    let amount = |name: &str| {
        field(f, name)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.replace('.', "").parse::<u64>())
    };
    Ok(match action {
        "verify" => OfficerAction::Verify,
        "mark_incomplete" => OfficerAction::MarkIncomplete {
            note: text(f, "note"),
        },
        "not_processable" => OfficerAction::NotProcessable {
            reason: text(f, "reason"),
        },
        "route" => OfficerAction::Route {
            unit: text(f, "unit"),
        },
        "extend" => OfficerAction::Extend {
            reason: text(f, "reason"),
        },
        "request_payment" => OfficerAction::RequestPayment {
            amount_idr: amount("amount_idr")
                .unwrap_or(Ok(0))
                .map_err(|_| "amount_idr")?,
            method: field(f, "method").map(str::to_owned),
        },
        "deliver" => OfficerAction::Deliver {
            note: field(f, "note")
                .map(str::to_owned)
                .filter(|s| !s.is_empty()),
        },
        "close" => OfficerAction::Close {
            note: field(f, "note")
                .map(str::to_owned)
                .filter(|s| !s.is_empty()),
        },
        "decide" => OfficerAction::Decide(Box::new(DecisionInput {
            outcome: field(f, "outcome").map(str::to_owned),
            grounds: f
                .iter()
                .filter(|(k, _)| k == "grounds")
                .map(|(_, v)| v.clone())
                .collect(),
            holder: field(f, "holder").map(str::to_owned),
            note: field(f, "note").map(str::to_owned),
            fee_idr: amount("fee_idr").transpose().map_err(|_| "fee_idr")?,
            consequence_test: field(f, "consequence_test")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| serde_json::Value::String(s.to_owned())),
            ..DecisionInput::default()
        })),
        _ => return Err("action"),
    })
}

/// Two steps: without `confirm=1` the effect is shown (with the resulting due date); with it the
/// action is carried out.
pub async fn act(
    State(app): State<AppState>,
    Path(number): Path<String>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    let name = text(&f, "action");
    let action = match to_action(&f) {
        Ok(a) => a,
        Err(which) => {
            let msg = format!(
                "{}: {which}",
                ctx.t.pick("Isian tidak valid", "Invalid value")
            );
            return case_page(
                &app,
                &ctx,
                officer,
                &number,
                None,
                None,
                Some((StatusCode::UNPROCESSABLE_ENTITY, msg)),
            )
            .await;
        }
    };
    let label = ctx
        .t
        .pick(action_names(&name).0, action_names(&name).1)
        .to_owned();
    if field(&f, "confirm") != Some("1") {
        let p = ctx.page(ctx.t.pick("Konfirmasi", "Confirm"));
        let mut effects = Vec::new();
        if let Ok(c) = app.case_detail(officer, &number).await {
            effects.push((
                ctx.t.pick("Status sekarang", "Current status").to_owned(),
                p.status_label(c.request.status).to_owned(),
            ));
            if let Some(d) = c.request.due_on {
                effects.push((
                    ctx.t
                        .pick("Tenggat sekarang", "Current due date")
                        .to_owned(),
                    p.date(d),
                ));
            }
            if name == "extend" {
                let cal = &officer.home.calendar;
                if let Ok(d) = cal.due_date(c.request.received_on, 17) {
                    effects.push((
                        ctx.t
                            .pick(
                                "Tenggat setelah perpanjangan",
                                "Due date after the extension",
                            )
                            .to_owned(),
                        p.date(d),
                    ));
                }
            }
        }
        if let OfficerAction::Decide(d) = &action {
            if let Some(o) = &d.outcome {
                effects.push((
                    ctx.t.pick("Keputusan", "Decision").to_owned(),
                    p.outcome_label(o).to_owned(),
                ));
            }
            if !d.grounds.is_empty() {
                effects.push((
                    ctx.t.pick("Dasar", "Grounds").to_owned(),
                    d.grounds.join(", "),
                ));
            }
        }
        for (k, v) in &f {
            if matches!(k.as_str(), "reason" | "note" | "unit" | "holder") && !v.is_empty() {
                effects.push((k.clone(), v.clone()));
            }
        }
        let fields = f
            .iter()
            .filter(|(k, _)| k != "csrf" && k != "confirm")
            .cloned()
            .collect();
        return ctx.render(
            StatusCode::OK,
            &ConfirmPage {
                p,
                number,
                label,
                effects,
                fields,
            },
        );
    }
    match app.act(officer, &number, action).await {
        Ok(_) => Redirect::to(&format!("/kantor/permohonan/{number}?ok={name}")).into_response(),
        Err(e) => {
            let status = crate::error::status_of(&e);
            let message = app_error_text(ctx.t, &e);
            let posted = posted_of(&name, f, &e);
            case_page_with(
                &app,
                &ctx,
                officer,
                &number,
                None,
                None,
                Some((status, message)),
                Some(posted),
            )
            .await
        }
    }
}
