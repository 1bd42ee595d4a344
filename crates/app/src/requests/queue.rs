//! The officer's case list and queue page, and one case in detail.

use lentera_domain::access::Action;
use lentera_domain::request::RequestState;
use lentera_domain::submission::mask_identity;
use lentera_domain::{RequestStatus, Role};
use lentera_store::requests::{self, CaseFilter};
use time::Date;

use crate::auth::OfficerCtx;
use crate::views::{ApplicantView, CaseDetail, CaseView};
use crate::{App, AppError};

/// Filters of the officer's queue.
#[derive(Debug, Clone, Default)]
pub struct CaseQuery {
    pub statuses: Option<Vec<String>>,
    pub body: Option<String>,
    /// Only requests routed to this unit (slug).
    pub unit: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

impl App {
    /// The officer's queue: visible requests, soonest legal due date first.
    pub async fn cases(
        &self,
        officer: &OfficerCtx,
        q: &CaseQuery,
    ) -> Result<Vec<CaseView>, AppError> {
        let mut filter = CaseFilter {
            statuses: q.statuses.clone(),
            limit: q.limit.unwrap_or(200).clamp(1, 1000),
            offset: q.offset.unwrap_or(0).max(0),
            ..CaseFilter::default()
        };
        if q.statuses
            .iter()
            .flatten()
            .any(|s| RequestStatus::parse(s).is_none())
        {
            return Err(AppError::field("status", "invalid_choice"));
        }
        let only_body = match q.body.as_deref().filter(|b| !b.is_empty()) {
            Some(slug) => Some(
                self.body_by_slug(slug)
                    .await?
                    .ok_or(AppError::NotFound("body.not_found"))?,
            ),
            None => None,
        };
        match officer.role {
            Role::Admin => filter.bodies = only_body.map(|b| vec![b.row.id]),
            Role::PpidUnit => {
                filter.bodies = Some(vec![officer.home.row.id]);
                filter.unit = Some(officer.body.row.id);
            }
            Role::Ppid | Role::Supervisor | Role::Viewer => {
                if only_body
                    .as_ref()
                    .is_some_and(|b| b.row.id != officer.home.row.id)
                {
                    return Err(AppError::Forbidden);
                }
                filter.bodies = Some(vec![officer.home.row.id]);
            }
        }
        if officer.role != Role::PpidUnit
            && let Some(slug) = q.unit.as_deref().filter(|u| !u.is_empty())
        {
            let unit = self
                .body_by_slug(slug)
                .await?
                .ok_or(AppError::NotFound("body.not_found"))?;
            filter.unit = Some(unit.row.id);
        }
        let rows = requests::list_cases(&self.db, &filter).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let body = self.body(row.body_id).await?;
            let (unit, unit_name) = match row.unit_id {
                Some(u) => {
                    let u = self.body(u).await?;
                    (Some(u.row.slug.clone()), Some(u.row.name.clone()))
                }
                None => (None, None),
            };
            let state: Option<RequestState> = serde_json::from_str(&row.state).ok();
            let due_provisional = state
                .as_ref()
                .and_then(|s| s.deadlines(&body.calendar).ok())
                .is_some_and(|d| d.provisional);
            let status = RequestStatus::parse(&row.status).unwrap_or(RequestStatus::Received);
            let today = self.today_in(body.time_zone());
            let overdue = status.awaits_decision() && row.due_on.is_some_and(|d| today > d);
            // A countdown only while the decision is awaited: after it the date is history.
            let working_days_left =
                row.due_on
                    .filter(|_| status.awaits_decision())
                    .and_then(|due| {
                        let cal = &body.calendar;
                        if today <= due {
                            cal.working_days_between(today, due).ok().map(i64::from)
                        } else {
                            cal.working_days_between(due, today)
                                .ok()
                                .map(|n| -i64::from(n))
                        }
                    });
            out.push(CaseView {
                number: row.number,
                body: body.row.slug.clone(),
                unit,
                unit_name,
                status: status.as_str(),
                received_on: row.received_on,
                due_on: row.due_on,
                due_provisional,
                due_moved_earlier_from: state
                    .as_ref()
                    .filter(|s| s.status.awaits_decision())
                    .and_then(|s| s.moved_earlier_from),
                extended: row.extended,
                overdue,
                working_days_left,
                channel: row.channel,
                information: row.information.chars().take(200).collect(),
                allowed_actions: state
                    .map(|s| s.allowed_actions(today, &body.calendar))
                    .unwrap_or_default(),
            });
        }
        Ok(out)
    }

    /// A case as an officer sees it, with the applicant (identity masked).
    pub async fn case_detail(
        &self,
        officer: &OfficerCtx,
        number: &str,
    ) -> Result<CaseDetail, AppError> {
        let (row, body, state, rows) = self.load(number.trim()).await?;
        let policy = officer.policy();
        if !policy.may(Action::View, &body.row.slug, state.unit.as_deref()) {
            return Err(AppError::Forbidden);
        }
        let applicant = if policy.may(Action::ViewIdentity, &body.row.slug, state.unit.as_deref()) {
            let a = requests::applicant(&self.db, row.applicant_id).await?;
            Some(ApplicantView {
                kind: a.kind,
                name: a.name,
                id_number_masked: mask_identity(&format!("{:0>16}", a.id_number_last4)),
                email: a.email,
                phone: a.phone,
                address: a.address,
                occupation: a.occupation,
            })
        } else {
            None
        };
        Ok(CaseDetail {
            request: self.view(&row, &state, &rows, &body).await,
            unit: state.unit.clone(),
            channel: row.channel.clone(),
            information: row.information.clone(),
            purpose: row.purpose.clone(),
            obtain: state.obtain.as_str(),
            delivery: state.delivery.as_str(),
            extension_reason: state.extension_reason.clone(),
            applicant,
            allowed_actions: if policy.may(Action::Decide, &body.row.slug, state.unit.as_deref()) {
                state.allowed_actions(self.today_in(body.time_zone()), &body.calendar)
            } else {
                Vec::new()
            },
        })
    }
}
/// The officer's queue page: counters and the first page of cases.
#[derive(Debug, Clone)]
pub struct QueueView {
    pub counts: requests::QueueCounts,
    pub cases: Vec<CaseView>,
    pub units: Vec<crate::bodies::BodyItem>,
    pub today: Date,
}

impl App {
    pub async fn queue(&self, officer: &OfficerCtx, q: &CaseQuery) -> Result<QueueView, AppError> {
        let cases = self.cases(officer, q).await?;
        let tz = officer.home.time_zone();
        let today = self.today_in(tz);
        let soon = officer
            .home
            .calendar
            .add_working_days(today, 3)
            .unwrap_or(today);
        let (bodies, unit) = match officer.role {
            Role::Admin => (None, None),
            Role::PpidUnit => (Some(vec![officer.home.row.id]), Some(officer.body.row.id)),
            _ => (Some(vec![officer.home.row.id]), None),
        };
        let counts = requests::queue_counts(&self.db, bodies.as_deref(), unit, today, soon).await?;
        let units = if officer.role == Role::PpidUnit {
            Vec::new()
        } else {
            self.units_of(&officer.home.row.slug).await?
        };
        Ok(QueueView {
            counts,
            cases,
            units,
            today,
        })
    }
}
