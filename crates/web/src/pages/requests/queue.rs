//! The back office's work queue (`/kantor`), filtered by status and unit.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use lentera_app::requests::{CaseQuery, QueueView};
use lentera_app::views::CaseView;
use lentera_domain::{RequestStatus, Role};
use time::Date;

use crate::pages::common::{Page, app_error_text};
use crate::pages::guards::Office;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "requests/queue.html")]
struct QueuePage {
    p: Page,
    body_name: String,
    today: Date,
    counts: lentera_app::requests::QueueCounts,
    cases: Vec<CaseView>,
    statuses: Vec<(&'static str, &'static str)>,
    status: String,
    units: Vec<(String, String)>,
    unit: String,
    can_intake: bool,
    objections: Vec<lentera_app::objections::ObjectionView>,
}

const ACTIVE: [&str; 6] = [
    "received",
    "awaiting_completion",
    "in_progress",
    "extended",
    "decided",
    "awaiting_payment",
];

pub async fn queue(
    State(app): State<AppState>,
    Office { ctx, officer }: Office,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let officer = &officer;
    let status = q.get("status").cloned().unwrap_or_default();
    let unit = q.get("unit").cloned().unwrap_or_default();
    let statuses = if status.is_empty() {
        ACTIVE.iter().map(|s| (*s).to_owned()).collect()
    } else {
        vec![status.clone()]
    };
    let query = CaseQuery {
        statuses: Some(statuses),
        unit: Some(unit.clone()),
        limit: Some(100),
        ..CaseQuery::default()
    };
    let QueueView {
        counts,
        cases,
        units,
        today,
    } = match app.queue(officer, &query).await {
        Ok(v) => v,
        Err(e) => {
            return ctx.error_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                ctx.t.pick("Antrean", "Queue"),
                &app_error_text(ctx.t, &e),
            );
        }
    };
    let mut p = ctx.page(ctx.t.pick("Antrean kerja", "Work queue"));
    p.htmx = true;
    let page = QueuePage {
        statuses: RequestStatus::ALL
            .iter()
            .map(|s| (s.as_str(), p.status_label(s.as_str())))
            .collect(),
        p,
        body_name: officer.body.row.name.clone(),
        today,
        counts,
        cases,
        status,
        units: units.into_iter().map(|u| (u.slug, u.name)).collect(),
        unit,
        can_intake: matches!(officer.role, Role::Ppid | Role::PpidUnit),
        objections: if matches!(officer.role, Role::Ppid | Role::Supervisor) {
            app.objection_queue(officer)
                .await
                .unwrap_or_default()
                .into_iter()
                .filter(|o| o.status == "received" || o.status == "in_review")
                .collect()
        } else {
            Vec::new()
        },
    };
    ctx.render(StatusCode::OK, &page)
}
