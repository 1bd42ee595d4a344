//! A request's log: the fold, the projection, one event appended, the view, re-projection.

use std::sync::Arc;

use lentera_domain::RequestStatus;
use lentera_domain::notice::NoticeItem;
use lentera_domain::request::{Decision, RequestEvent, RequestState};
use lentera_store::StoreError;
use lentera_store::requests::{self, EventRow, NewEvent, Projection, RequestRow};
use time::Date;
use uuid::Uuid;

use super::NOT_FOUND;
use crate::auth::OfficerCtx;
use crate::views::{DecisionView, EventView, NoticeView, RedactionView, RequestView};
use crate::{App, AppError, BodyEntry};

impl App {
    pub(crate) fn fold(
        &self,
        events: &[EventRow],
        body: &BodyEntry,
    ) -> Result<(RequestState, Vec<RequestEvent>), AppError> {
        let tz = body.time_zone();
        let parsed = events
            .iter()
            .map(|r| serde_json::from_str::<RequestEvent>(&r.data).map(|e| (e, tz.date_of(r.at))))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!("unreadable event: {e}")))?;
        let state = RequestState::from_events(parsed.iter().map(|(e, d)| (e, *d)), &body.calendar)?;
        Ok((state, parsed.into_iter().map(|(e, _)| e).collect()))
    }

    pub(crate) async fn projection(
        &self,
        state: &RequestState,
        body: &BodyEntry,
    ) -> Result<Projection, AppError> {
        let deadlines = state.deadlines(&body.calendar).ok();
        let unit_id = match &state.unit {
            Some(slug) => self.body_by_slug(slug).await?.map(|u| u.row.id),
            None => None,
        };
        Ok(Projection {
            unit_id,
            status: state.status.as_str().into(),
            extended: state.extended,
            notice_due_on: deadlines.map(|d| d.notice_due),
            due_on: deadlines.map(|d| d.effective_due),
            outcome: state.decision.as_ref().map(|d| d.outcome.as_str().into()),
            decided_on: state.decision.as_ref().map(|d| d.decided_on),
            state: serde_json::to_string(state).map_err(|e| AppError::Unexpected(e.into()))?,
            calendar_version: format!("{}#{}", body.calendar.version(), body.row.calendar_rev),
            obtain: state.obtain.as_str().into(),
            grounds: state
                .decision
                .as_ref()
                .filter(|d| !d.grounds.is_empty())
                .map(|d| {
                    let mut s = String::from(",");
                    for g in &d.grounds {
                        s.push_str(g.as_str());
                        s.push(',');
                    }
                    s
                }),
            ended_on: state.ended_on.filter(|_| {
                matches!(
                    state.status,
                    RequestStatus::Withdrawn | RequestStatus::NotProcessable
                )
            }),
            extended_on: state.extended_on,
            service_wd: state
                .service_working_days(&body.calendar)
                .and_then(Result::ok)
                .map(i64::from),
            on_time: state.decided_on_time(&body.calendar),
        })
    }

    pub(super) fn event_row(
        &self,
        event: &RequestEvent,
        officer: Option<&OfficerCtx>,
    ) -> Result<NewEvent, AppError> {
        Ok(NewEvent {
            id: Uuid::now_v7(),
            at: self.now(),
            actor_kind: if officer.is_some() {
                "officer"
            } else {
                "applicant"
            }
            .into(),
            actor_id: officer.map(|o| o.user.id),
            kind: event.kind().into(),
            data: serde_json::to_string(event).map_err(|e| AppError::Unexpected(e.into()))?,
            letters: Vec::new(),
            mails: Vec::new(),
        })
    }

    pub(super) async fn view(
        &self,
        row: &RequestRow,
        state: &RequestState,
        rows: &[EventRow],
        body: &BodyEntry,
    ) -> RequestView {
        let today = self.today_in(body.time_zone());
        let deadlines = state.deadlines(&body.calendar).ok();
        let explanation = body
            .calendar
            .explain(
                state.received_on,
                lentera_domain::request::NOTICE_WORKING_DAYS + if state.extended { 7 } else { 0 },
            )
            .ok();
        RequestView {
            number: row.number.clone(),
            body: body.row.slug.clone(),
            status: state.status.as_str(),
            status_label: state.status.label_id(),
            received_on: state.received_on,
            due_on: deadlines.map(|d| d.effective_due),
            due_provisional: deadlines.is_some_and(|d| d.provisional),
            notice_due_on: deadlines.map(|d| d.notice_due),
            extended: state.extended,
            overdue: state.is_overdue(today, &body.calendar),
            decision: match &state.decision {
                Some(d) => Some(decision_view(d, self.notice_of(body, d).await)),
                None => None,
            },
            events: rows
                .iter()
                .filter_map(|r| {
                    let e: RequestEvent = serde_json::from_str(&r.data).ok()?;
                    let mut v = EventView::new(r.at, e.kind(), e.label_id());
                    if let RequestEvent::DueRecomputed { from, to, reason } = e {
                        v.from = Some(from);
                        v.to = Some(to);
                        v.reason = Some(reason);
                    }
                    Some(v)
                })
                .collect(),
            due_explanation: explanation,
        }
    }

    pub(crate) async fn load(
        &self,
        number: &str,
    ) -> Result<(RequestRow, Arc<BodyEntry>, RequestState, Vec<EventRow>), AppError> {
        let row = match requests::get_by_number(&self.db, number).await {
            Ok(r) => r,
            Err(StoreError::NotFound) => return Err(NOT_FOUND),
            Err(e) => return Err(e.into()),
        };
        let body = self.body(row.body_id).await?;
        let rows = requests::events(&self.db, row.id).await?;
        let (state, _) = self.fold(&rows, &body)?;
        Ok((row, body, state, rows))
    }

    pub(super) async fn commit(
        &self,
        row: &RequestRow,
        body: &Arc<BodyEntry>,
        state: &RequestState,
        event: &RequestEvent,
        officer: Option<&OfficerCtx>,
        today: Date,
    ) -> Result<RequestView, AppError> {
        let next = state.apply(event, today, &body.calendar)?;
        let projection = self.projection(&next, body).await?;
        let mut new_event = self.event_row(event, officer)?;
        new_event.letters = crate::letters::calls(
            &lentera_domain::letters::for_request_event(event),
            ("request", row.id),
            body.row.id,
            today,
        );
        new_event.mails = crate::mail::call(
            lentera_domain::mail::for_request_event(event),
            ("request", row.id),
            body.row.id,
        );
        match requests::append_event(&self.db, row.id, row.event_count, &new_event, &projection)
            .await
        {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => {
                return Err(AppError::Conflict {
                    code: "request.changed",
                    message:
                        "Permohonan baru saja diubah oleh petugas lain; muat ulang dan coba lagi."
                            .into(),
                });
            }
            Err(e) => return Err(e.into()),
        }
        self.forget_tracked(&row.number);
        self.changed_in(row.body_id);
        tracing::debug!(number = %row.number, event = event.kind(), "request event");
        let rows = requests::events(&self.db, row.id).await?;
        Ok(self.view(row, &next, &rows, body).await)
    }

    /// Re-derives the projections written before the current projection revision (at start-up,
    /// after an upgrade), which also counts them in the running tallies. Returns how many.
    pub async fn reproject_stale(&self) -> Result<u64, AppError> {
        let mut done = 0u64;
        loop {
            let page = requests::stale_projections(&self.db, 500).await?;
            if page.is_empty() {
                break;
            }
            for (_, number) in page {
                let row = requests::get_for_update(&self.db, &number).await?;
                let body = self.body(row.body_id).await?;
                let rows = requests::events(&self.db, row.id).await?;
                let (state, _) = self.fold(&rows, &body)?;
                let p = self.projection(&state, &body).await?;
                requests::reproject(&self.db, row.id, row.event_count, &p, self.now()).await?;
                done += 1;
            }
        }
        if done > 0 {
            self.changed();
        }
        Ok(done)
    }
}
fn decision_view(d: &Decision, items: Vec<NoticeItem>) -> DecisionView {
    DecisionView {
        outcome: d.outcome.as_str(),
        decided_on: d.decided_on,
        grounds: d.grounds.iter().map(|g| g.as_str()).collect(),
        holder: d.notice.holder.clone(),
        notice: NoticeView {
            under_control: d.notice.under_control,
            holder: d.notice.holder.clone(),
            accepted: d.notice.accepted,
            reasons: d.notice.reasons.clone(),
            material: d.notice.material.clone(),
            redactions: d
                .notice
                .redactions
                .iter()
                .map(|r| RedactionView {
                    part: r.part.clone(),
                    ground: r.ground.as_str(),
                    reason: r.reason.clone(),
                })
                .collect(),
            delivery: d.notice.delivery.as_str(),
            format: d.notice.format.as_str(),
            fee_idr: d.notice.fee.amount_idr,
            fee_method: d.notice.fee.method.clone(),
        },
        items,
    }
}
