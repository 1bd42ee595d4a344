//! An officer's action on a request, in two steps: the effect shown first, then carried out.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lentera_app::requests::{DecisionInput, OfficerAction, RedactionInput};
use lentera_domain::notice::NoticeItem;

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
    /// For a decision: the written notice as the requester will read it.
    notice: Vec<NoticeItem>,
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
            material: field(f, "material")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            redactions: redactions(f),
            fee_idr: amount("fee_idr").transpose().map_err(|_| "fee_idr")?,
            fee_method: field(f, "fee_method")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            consequence_test: field(f, "consequence_test")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| serde_json::Value::String(s.to_owned())),
            ..DecisionInput::default()
        })),
        _ => return Err("action"),
    })
}

/// The redaction rows of the decision form, in order; a row without a part is an unused row.
fn redactions(f: &FormPairs) -> Vec<RedactionInput> {
    let column = |name: &str| -> Vec<&str> {
        f.iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let (parts, grounds, reasons) = (
        column("redaction_part"),
        column("redaction_ground"),
        column("redaction_reason"),
    );
    parts
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.trim().is_empty())
        .map(|(i, p)| RedactionInput {
            part: Some(p.trim().to_owned()),
            ground: grounds.get(i).map(|g| g.to_string()),
            reason: reasons.get(i).map(|r| r.trim().to_owned()),
        })
        .collect()
}

/// What the confirmation calls a typed field.
fn field_label(ctx_t: crate::pages::common::Lang, key: &str) -> Option<&'static str> {
    Some(match key {
        "reason" => ctx_t.pick("Alasan", "Reason"),
        "note" => ctx_t.pick("Catatan", "Note"),
        "unit" => ctx_t.pick("PPID Pelaksana", "Unit"),
        "holder" => ctx_t.pick("Badan publik yang menguasai", "Body holding it"),
        _ => return None,
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
                "{}: {}",
                ctx.t.pick("Isian tidak valid", "Invalid value"),
                crate::pages::common::field_name(ctx.t, which)
                    .unwrap_or(ctx.t.pick("tindakan", "action"))
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
        let mut notice = Vec::new();
        if let OfficerAction::Decide(d) = &action {
            match app.notice_preview(officer, &number, d).await {
                Ok(items) => notice = items,
                Err(e) => return refused(&app, &ctx, officer, &number, &name, f, &e).await,
            }
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
        // A decision's texts are in the notice shown below; other actions echo what was typed.
        if notice.is_empty() {
            for (k, v) in &f {
                if let Some(label) = field_label(ctx.t, k).filter(|_| !v.is_empty()) {
                    effects.push((label.to_owned(), v.clone()));
                }
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
                notice,
            },
        );
    }
    match app.act(officer, &number, action).await {
        Ok(_) => Redirect::to(&format!("/kantor/permohonan/{number}?ok={name}")).into_response(),
        Err(e) => refused(&app, &ctx, officer, &number, &name, f, &e).await,
    }
}

/// The case page again with the action's form filled in as sent and the reason it failed.
async fn refused(
    app: &AppState,
    ctx: &crate::pages::common::Ctx,
    officer: &lentera_app::auth::OfficerCtx,
    number: &str,
    name: &str,
    f: FormPairs,
    e: &lentera_app::AppError,
) -> Response {
    let status = crate::error::status_of(e);
    let message = app_error_text(ctx.t, e);
    let posted = posted_of(name, f, e);
    case_page_with(
        app,
        ctx,
        officer,
        number,
        None,
        None,
        Some((status, message)),
        Some(posted),
    )
    .await
}
