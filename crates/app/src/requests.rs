//! Request use cases: submission, tracking, the officer's queue and every officer action.
//!
//! Each change is one domain event appended with the rewritten projection in one transaction;
//! the state is always the fold of the log.

use std::sync::Arc;

use lentera_domain::access::Action;
use lentera_domain::numbering::NumberPattern;
use lentera_domain::request::{
    Decision, Fee, Redaction, RequestEvent, RequestState, WrittenNotice,
};
use lentera_domain::submission::{FieldErrors, RawSubmission, mask_identity};
use lentera_domain::{Channel, ExemptionGround, Outcome, RequestStatus, Role};
pub use lentera_store::requests::QueueCounts;
use lentera_store::requests::{
    self, CaseFilter, EventRow, NewApplicant, NewEvent, NewRequest, Numbering, Projection,
    RequestRow,
};
use lentera_store::{Backend, StoreError};
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use crate::auth::OfficerCtx;
use crate::crypto::{normalize_code, tracking_code};
use crate::views::{
    ApplicantView, CaseDetail, CaseView, DecisionView, EventView, NoticeView, Receipt,
    RedactionView, RequestView,
};
use crate::{App, AppError, BodyEntry};

const NOT_FOUND: AppError = AppError::NotFound("request.not_found");

/// How long a retried submission still gets its tracking code again.
const RECENT_CODE_TTL: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Most requests kept loaded for tracking; the cache is emptied when full.
const TRACKED_CAPACITY: usize = 20_000;

/// A request as read from the store and folded.
#[derive(Debug)]
pub(crate) struct Loaded {
    row: RequestRow,
    state: RequestState,
    rows: Vec<EventRow>,
}

/// What an officer entering a walk-in, postal, phone or e-mail request adds.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Intake {
    pub received_on: Option<String>,
    pub channel: Option<String>,
}

/// Decision as sent by an officer (`POST …/decision`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DecisionInput {
    pub outcome: Option<String>,
    #[serde(default)]
    pub grounds: Vec<String>,
    pub consequence_test: Option<serde_json::Value>,
    pub holder: Option<String>,
    pub note: Option<String>,
    pub material: Option<String>,
    #[serde(default)]
    pub redactions: Vec<RedactionInput>,
    pub fee_idr: Option<u64>,
    pub fee_method: Option<String>,
    pub decided_on: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RedactionInput {
    pub part: Option<String>,
    pub ground: Option<String>,
    pub reason: Option<String>,
}

/// Every officer action on a request.
#[derive(Debug, Clone)]
pub enum OfficerAction {
    Verify,
    MarkIncomplete {
        note: String,
    },
    Route {
        unit: String,
    },
    Extend {
        reason: String,
    },
    Decide(Box<DecisionInput>),
    RequestPayment {
        amount_idr: u64,
        method: Option<String>,
    },
    Deliver {
        note: Option<String>,
    },
    Close {
        note: Option<String>,
    },
    NotProcessable {
        reason: String,
    },
}

impl OfficerAction {
    fn permission(&self) -> Action {
        match self {
            Self::Verify | Self::MarkIncomplete { .. } | Self::NotProcessable { .. } => {
                Action::Verify
            }
            Self::Route { .. } => Action::Route,
            Self::Extend { .. } => Action::Extend,
            Self::Decide(_) | Self::RequestPayment { .. } => Action::Decide,
            Self::Deliver { .. } => Action::Deliver,
            Self::Close { .. } => Action::Close,
        }
    }
}

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

fn parse_date(field: &str, s: &str, e: &mut FieldErrors) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.trim(), &format)
        .map_err(|_| e.add(field, "invalid_date"))
        .ok()
}

/// How far back an officer may date a decision or a body's closure (calendar days).
pub(crate) const BACKDATING: time::Duration = time::Duration::days(14);

impl App {
    fn fold(
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

    fn event_row(
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
        })
    }

    /// Submits a request: online by the requester, or entered by an officer (`intake`) with the
    /// real date of receipt and channel. `submission_key` makes a double submit store one request.
    pub async fn submit(
        &self,
        raw: &RawSubmission,
        intake: Option<&Intake>,
        officer: Option<&OfficerCtx>,
        submission_key: Option<String>,
    ) -> Result<Receipt, AppError> {
        let validated = raw.validate();
        let mut errors = validated.as_ref().err().cloned().unwrap_or_default();
        let target = match raw.body.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(slug) => {
                let found = self.body_by_slug(slug).await?;
                if found.is_none() {
                    errors.add("body", "unknown_body");
                }
                found
            }
            None => None,
        };
        let mut channel = Channel::Web;
        let mut received_on = None;
        if let (Some(intake), Some(_)) = (intake, officer) {
            if let Some(c) = intake.channel.as_deref().filter(|c| !c.trim().is_empty()) {
                match Channel::parse(c.trim()) {
                    Some(c) => channel = c,
                    None => errors.add("channel", "invalid_choice"),
                }
            }
            if let Some(d) = intake
                .received_on
                .as_deref()
                .filter(|d| !d.trim().is_empty())
            {
                received_on = parse_date("received_on", d, &mut errors);
            }
        }
        let (Ok(sub), Some(target)) = (validated, target) else {
            return Err(AppError::Invalid(errors));
        };
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        // A request filed at a unit belongs to its body and starts routed to that unit.
        let body = self.home_body(&target).await?;
        let unit = (target.row.id != body.row.id).then(|| target.row.slug.clone());
        let may_intake = |o: &OfficerCtx| {
            let p = o.policy();
            // A unit officer takes in requests for the body it belongs to, never another's:
            // its own unit stands in for the case's only inside its home body.
            let own_unit = (p.home_body == body.row.slug).then_some(o.body.row.slug.as_str());
            p.may(Action::Intake, &body.row.slug, unit.as_deref().or(own_unit))
        };
        if officer.is_some_and(|o| !may_intake(o)) {
            return Err(AppError::Forbidden);
        }
        let today = self.today_in(body.time_zone());
        let received_on = received_on.unwrap_or(today);
        if received_on > today {
            return Err(AppError::field("received_on", "in_the_future"));
        }
        if received_on < today - time::Duration::days(366) {
            return Err(AppError::field("received_on", "too_old"));
        }
        let mut event = RequestEvent::Received {
            received_on,
            channel,
            obtain: sub.obtain,
            delivery: sub.delivery,
        };
        let mut state = RequestState::start(&event)?;
        let mut events = vec![self.event_row(&event, officer)?];
        if let Some(u) = &unit {
            event = RequestEvent::Routed {
                unit: u.clone(),
                internal_due: None,
            };
            state = state.apply(&event, today, &body.calendar)?;
            events.push(self.event_row(&event, officer)?);
        }
        let projection = self.projection(&state, &body).await?;
        let code = tracking_code()?;
        let applicant_id = Uuid::now_v7();
        let id_plain = sub.applicant.id_number.expose().to_owned();
        let last4: String = id_plain
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let new = NewRequest {
            id: Uuid::now_v7(),
            body_id: body.row.id,
            applicant: NewApplicant {
                id: applicant_id,
                kind: sub.applicant.kind.as_str().into(),
                name: sub.applicant.name.clone(),
                id_number_enc: self.secret().encrypt(&id_plain, applicant_id.as_bytes())?,
                id_number_last4: last4,
                email: sub.applicant.email.clone(),
                phone: sub.applicant.phone.clone(),
                address: sub.applicant.address.clone(),
                occupation: sub.applicant.occupation.clone(),
            },
            tracking_hash: self.secret().hash(&normalize_code(&code)),
            submission_key: submission_key
                .map(|k| self.secret().hash(&format!("{}:{k}", body.row.id))),
            channel: channel.as_str().into(),
            information: sub.information.clone(),
            purpose: sub.purpose.clone(),
            received_on,
            projection,
            events,
            now: self.now(),
        };
        let numbering = Numbering {
            scope: format!("request:{}", body.row.id),
            pattern: NumberPattern::Request {
                code: body.row.code.clone(),
                month: u8::from(received_on.month()),
                year: received_on.year(),
            },
        };
        let mut earlier = match &new.submission_key {
            Some(key) => requests::number_for_key(&self.db, key).await?,
            None => None,
        };
        if earlier.is_none() {
            match self.store_new_request(new.clone(), numbering).await? {
                Ok(number) => {
                    if let Some(key) = &new.submission_key {
                        self.remember_code(key, &code);
                    }
                    return self.received(number, &new, &body, &state, code).await;
                }
                // A concurrent double submit with the same key: the other one won.
                Err(StoreError::Conflict(_)) if new.submission_key.is_some() => {
                    let key = new.submission_key.as_deref().unwrap_or_default();
                    earlier = requests::number_for_key(&self.db, key).await?;
                }
                Err(e) => return Err(e.into()),
            }
        }
        let number = earlier.ok_or(AppError::Conflict {
            code: "request.duplicate",
            message: "Permohonan yang sama sedang disimpan; coba lagi.".into(),
        })?;
        // The same form was sent twice: answer with the first request, without its code
        // (it was shown on the first receipt).
        let row = requests::get_by_number(&self.db, &number).await?;
        // A key is someone's retry only with the same content: another payload under a key
        // already used gets neither that request's number nor its code.
        if row.information != new.information
            || row.purpose != new.purpose
            || row.received_on != new.received_on
        {
            return Err(AppError::field("idempotency_key", "used_for_other_content"));
        }
        Ok(Receipt {
            number,
            tracking_code: new
                .submission_key
                .as_deref()
                .and_then(|k| self.recent_code(k))
                .unwrap_or_default(),
            status: RequestStatus::parse(&row.status).map_or("received", RequestStatus::as_str),
            received_on: row.received_on,
            due_on: row.due_on,
            due_provisional: serde_json::from_str::<RequestState>(&row.state)
                .ok()
                .and_then(|s| s.deadlines(&body.calendar).ok())
                .is_some_and(|d| d.provisional),
            body: body.row.slug.clone(),
            created: false,
        })
    }

    async fn received(
        &self,
        number: String,
        new: &NewRequest,
        body: &Arc<BodyEntry>,
        state: &RequestState,
        code: String,
    ) -> Result<Receipt, AppError> {
        self.changed_in(body.row.id);
        tracing::debug!(number = %number, body = %body.row.slug, "request received");
        Ok(Receipt {
            number,
            tracking_code: code,
            status: "received",
            received_on: new.received_on,
            due_on: new.projection.due_on,
            due_provisional: state.deadlines(&body.calendar).is_ok_and(|d| d.provisional),
            body: body.row.slug.clone(),
            created: true,
        })
    }

    fn view(
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
            decision: state.decision.as_ref().map(decision_view),
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

    async fn load(
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

    fn remember_code(&self, key: &str, code: &str) {
        if let Ok(mut m) = self.recent_codes.lock() {
            m.retain(|_, (_, at)| at.elapsed() < RECENT_CODE_TTL);
            m.insert(key.to_owned(), (code.to_owned(), std::time::Instant::now()));
        }
    }

    fn recent_code(&self, key: &str) -> Option<String> {
        let m = self.recent_codes.lock().ok()?;
        m.get(key)
            .filter(|(_, at)| at.elapsed() < RECENT_CODE_TTL)
            .map(|(c, _)| c.clone())
    }

    /// Drops a request from the tracking cache after a write elsewhere (objections).
    pub(crate) fn forget_request(&self, number: &str) {
        self.forget_tracked(number);
    }

    pub(crate) async fn request_projection(
        &self,
        state: &RequestState,
        body: &BodyEntry,
    ) -> Result<Projection, AppError> {
        self.projection(state, body).await
    }

    /// Drops every tracked request (the calendar changed, or another process recomputed).
    pub(crate) fn forget_all_tracked(&self) {
        if let Ok(mut m) = self.tracked.write() {
            m.clear();
            self.tracked_generation
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }

    fn forget_tracked(&self, number: &str) {
        if let Ok(mut m) = self.tracked.write() {
            m.remove(number);
            // A load that read the store before this write must not put its stale copy back.
            self.tracked_generation
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }

    async fn load_tracked(&self, number: &str) -> Result<Option<Arc<Loaded>>, AppError> {
        let cache = self.db.backend() == Backend::Sqlite;
        if cache
            && let Some(hit) = self
                .tracked
                .read()
                .ok()
                .and_then(|m| m.get(number).cloned())
        {
            return Ok(Some(hit));
        }
        let generation = self
            .tracked_generation
            .load(std::sync::atomic::Ordering::SeqCst);
        let row = match requests::get_by_number(&self.db, number).await {
            Ok(r) => r,
            Err(StoreError::NotFound) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let body = self.body(row.body_id).await?;
        let rows = requests::events(&self.db, row.id).await?;
        let (state, _) = self.fold(&rows, &body)?;
        let loaded = Arc::new(Loaded { row, state, rows });
        // Only if no write happened since the read began (else the copy may be stale).
        let unchanged = || {
            self.tracked_generation
                .load(std::sync::atomic::Ordering::SeqCst)
                == generation
        };
        if cache
            && let Ok(mut m) = self.tracked.write()
            && unchanged()
        {
            if m.len() >= TRACKED_CAPACITY {
                m.clear();
            }
            m.insert(number.to_owned(), Arc::clone(&loaded));
        }
        Ok(Some(loaded))
    }

    /// The public tracking view. A wrong code answers exactly like an unknown number.
    pub async fn track(&self, number: &str, code: &str) -> Result<RequestView, AppError> {
        let (loaded, body) = self.tracked(number, code).await?;
        Ok(self.view(&loaded.row, &loaded.state, &loaded.rows, &body))
    }

    /// The loaded request behind a number and its tracking code (same answer for both misses).
    pub(crate) async fn tracked(
        &self,
        number: &str,
        code: &str,
    ) -> Result<(Arc<Loaded>, Arc<BodyEntry>), AppError> {
        let hashed = self.secret().hash(&normalize_code(code));
        let Some(loaded) = self.load_tracked(number.trim()).await? else {
            return Err(NOT_FOUND);
        };
        if !constant_time_eq(hashed.as_bytes(), loaded.row.tracking_hash.as_bytes()) {
            return Err(NOT_FOUND);
        }
        let body = self.body(loaded.row.body_id).await?;
        Ok((loaded, body))
    }

    /// The requester's tracking page in one load: the view, the objections filed, and the
    /// grounds a new objection may use now.
    pub async fn track_with_objections(
        &self,
        number: &str,
        code: &str,
    ) -> Result<
        (
            RequestView,
            Vec<crate::objections::ObjectionView>,
            Vec<lentera_domain::objection::Ground>,
        ),
        AppError,
    > {
        let (loaded, body) = self.tracked(number, code).await?;
        let view = self.view(&loaded.row, &loaded.state, &loaded.rows, &body);
        let today = self.today_in(body.time_zone());
        let grounds =
            lentera_domain::objection::available_grounds(&loaded.state, today, &body.calendar);
        let objections = self.objections_of_request_id(loaded.row.id).await?;
        Ok((view, objections, grounds))
    }

    /// The requester withdraws their request (with the tracking code).
    pub async fn withdraw(
        &self,
        number: &str,
        code: &str,
        reason: Option<String>,
    ) -> Result<RequestView, AppError> {
        self.track(number, code).await?;
        let row = requests::get_for_update(&self.db, number.trim()).await?;
        let body = self.body(row.body_id).await?;
        let rows = requests::events(&self.db, row.id).await?;
        let (state, _) = self.fold(&rows, &body)?;
        let today = self.today_in(body.time_zone());
        let event = RequestEvent::Withdrawn {
            on: today,
            reason: reason.filter(|r| !r.trim().is_empty()),
        };
        self.commit(&row, &body, &state, &event, None, today).await
    }

    async fn commit(
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
        let new_event = self.event_row(event, officer)?;
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
        Ok(self.view(row, &next, &rows, body))
    }

    /// Any officer action, checked against the policy and the state machine.
    pub async fn act(
        &self,
        officer: &OfficerCtx,
        number: &str,
        action: OfficerAction,
    ) -> Result<RequestView, AppError> {
        let row = match requests::get_for_update(&self.db, number.trim()).await {
            Ok(r) => r,
            Err(StoreError::NotFound) => return Err(NOT_FOUND),
            Err(e) => return Err(e.into()),
        };
        let body = self.body(row.body_id).await?;
        let rows = requests::events(&self.db, row.id).await?;
        let (state, _) = self.fold(&rows, &body)?;
        if !officer
            .policy()
            .may(action.permission(), &body.row.slug, state.unit.as_deref())
        {
            return Err(AppError::Forbidden);
        }
        let today = self.today_in(body.time_zone());
        let event = match action {
            OfficerAction::Verify => RequestEvent::Verified,
            OfficerAction::MarkIncomplete { note } => RequestEvent::MarkedIncomplete {
                note: required("note", note)?,
            },
            OfficerAction::NotProcessable { reason } => RequestEvent::NotProcessable {
                reason: required("reason", reason)?,
            },
            OfficerAction::Route { unit } => {
                let target = self.body_by_slug(unit.trim()).await?;
                let ok = target
                    .as_ref()
                    .is_some_and(|u| u.row.kind == "unit" && u.row.parent_id == Some(body.row.id));
                if !ok {
                    return Err(AppError::field("unit", "not_a_unit_of_this_body"));
                }
                // The internal due date leaves the PPID three working days to review and sign.
                let internal_due = body.calendar.due_date(state.received_on, 7).ok();
                RequestEvent::Routed {
                    unit: unit.trim().to_owned(),
                    internal_due,
                }
            }
            OfficerAction::Extend { reason } => RequestEvent::Extended {
                reason: required("reason", reason)?,
                notice_on: today,
            },
            OfficerAction::Decide(input) => {
                let mut decision = self.decision(&input, &state, today)?;
                self.cite_consequence_test(&mut decision, &body).await?;
                RequestEvent::Decided(decision)
            }
            OfficerAction::RequestPayment { amount_idr, method } => {
                RequestEvent::PaymentRequested {
                    fee: Fee { amount_idr, method },
                }
            }
            OfficerAction::Deliver { note } => RequestEvent::Delivered { on: today, note },
            OfficerAction::Close { note } => RequestEvent::Closed { note },
        };
        let view = self
            .commit(&row, &body, &state, &event, Some(officer), today)
            .await?;
        if let RequestEvent::Decided(d) = &event
            && d.decided_on < today
        {
            lentera_store::audit::record(
                &self.db,
                self.now(),
                Some(officer.user.id),
                "decision.backdated",
                "request",
                &row.number,
                &format!("diputus {}, dicatat {today}", d.decided_on),
            )
            .await?;
        }
        Ok(view)
    }

    /// A refusal on Pasal 17 grounds must cite a consequence test decided and in force on the
    /// decision day whose grounds cover the cited ones (§3.6); the grounds default to the test's.
    async fn cite_consequence_test(
        &self,
        decision: &mut Decision,
        body: &BodyEntry,
    ) -> Result<(), AppError> {
        let cited = decision.consequence_test.clone();
        let needed = decision.outcome == Outcome::RejectedExempt;
        let Some(cited) = cited else {
            return if needed {
                Err(AppError::field(
                    "consequence_test",
                    "required_for_rejected_exempt",
                ))
            } else {
                Ok(())
            };
        };
        let Some((id, test)) = self.cited_test(body, &cited).await? else {
            return Err(AppError::field("consequence_test", "not_found"));
        };
        if needed || !decision.grounds.is_empty() {
            if let Some(problem) = test.refusal_problem(decision.decided_on, &decision.grounds) {
                return Err(AppError::field("consequence_test", problem));
            }
            if decision.grounds.is_empty() {
                decision.grounds = test.fields.grounds.clone();
            }
        }
        decision.consequence_test = Some(id.to_string());
        Ok(())
    }

    fn decision(
        &self,
        input: &DecisionInput,
        state: &RequestState,
        today: Date,
    ) -> Result<Decision, AppError> {
        let mut e = FieldErrors::default();
        let outcome = match input.outcome.as_deref().map(str::trim) {
            None | Some("") => {
                e.add("outcome", "required");
                None
            }
            Some(o) => Outcome::parse(o).or_else(|| {
                e.add("outcome", "invalid_choice");
                None
            }),
        };
        let mut grounds = Vec::new();
        for g in &input.grounds {
            match ExemptionGround::parse(&g.trim().to_lowercase()) {
                Some(g) if !grounds.contains(&g) => grounds.push(g),
                Some(_) => {}
                None => e.add("grounds", "invalid_choice"),
            }
        }
        let consequence_test = match &input.consequence_test {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            Some(_) => {
                e.add("consequence_test", "invalid");
                None
            }
        };
        let mut redactions = Vec::new();
        for r in &input.redactions {
            let part = r.part.clone().unwrap_or_default();
            match r
                .ground
                .as_deref()
                .and_then(|g| ExemptionGround::parse(&g.to_lowercase()))
            {
                Some(ground) if !part.trim().is_empty() => {
                    redactions.push(Redaction {
                        part,
                        ground,
                        reason: r.reason.clone().unwrap_or_default(),
                    });
                }
                _ => e.add("redactions", "invalid"),
            }
        }
        let decided_on = match input.decided_on.as_deref().filter(|d| !d.trim().is_empty()) {
            Some(d) => parse_date("decided_on", d, &mut e),
            None => Some(today),
        };
        if decided_on.is_some_and(|d| d > today) {
            e.add("decided_on", "in_the_future");
        }
        // A notice sent on paper may be recorded a few days late, never to rewrite history:
        // the decision day feeds the public statistics (on time, service days).
        if decided_on.is_some_and(|d| d < state.received_on) {
            e.add("decided_on", "before_received");
        } else if decided_on.is_some_and(|d| d < today - BACKDATING) {
            e.add("decided_on", "too_old");
        }
        let holder = input
            .holder
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .map(str::to_owned);
        let (Some(outcome), Some(decided_on)) = (outcome, decided_on) else {
            return Err(AppError::Invalid(e));
        };
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        let note = input.note.clone().unwrap_or_default();
        let reasons = if note.trim().is_empty() {
            match outcome {
                Outcome::Granted => "Informasi yang diminta dapat diberikan seluruhnya.".to_owned(),
                other => other.label_id().to_owned(),
            }
        } else {
            note.clone()
        };
        let material = input.material.clone().or_else(|| {
            outcome
                .grants()
                .then(|| note.clone())
                .filter(|n| !n.is_empty())
        });
        Ok(Decision {
            outcome,
            grounds,
            consequence_test,
            decided_on,
            notice: WrittenNotice {
                under_control: outcome != Outcome::NotHeld,
                holder,
                accepted: outcome.grants(),
                reasons,
                material,
                redactions,
                delivery: state.delivery,
                format: state.obtain,
                fee: Fee {
                    amount_idr: input.fee_idr.unwrap_or(0),
                    method: input.fee_method.clone(),
                },
            },
        })
    }

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
                allowed_actions: state.map(|s| s.allowed_actions()).unwrap_or_default(),
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
            request: self.view(&row, &state, &rows, &body),
            unit: state.unit.clone(),
            channel: row.channel.clone(),
            information: row.information.clone(),
            purpose: row.purpose.clone(),
            obtain: state.obtain.as_str(),
            delivery: state.delivery.as_str(),
            extension_reason: state.extension_reason.clone(),
            applicant,
            allowed_actions: if policy.may(Action::Decide, &body.row.slug, state.unit.as_deref()) {
                state.allowed_actions()
            } else {
                Vec::new()
            },
        })
    }

    /// The full identity number, for officers allowed to see it; every look is audited.
    pub async fn reveal_identity(
        &self,
        officer: &OfficerCtx,
        number: &str,
    ) -> Result<String, AppError> {
        let (row, body, state, _) = self.load(number.trim()).await?;
        if !officer
            .policy()
            .may(Action::ViewIdentity, &body.row.slug, state.unit.as_deref())
        {
            return Err(AppError::Forbidden);
        }
        let a = requests::applicant(&self.db, row.applicant_id).await?;
        let plain = self.secret().decrypt(&a.id_number_enc, a.id.as_bytes())?;
        lentera_store::audit::record(
            &self.db,
            self.now(),
            Some(officer.user.id),
            "identity.view",
            "request",
            &row.number,
            "",
        )
        .await?;
        Ok(plain)
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

fn required(field: &'static str, value: String) -> Result<String, AppError> {
    let v = value.trim();
    if v.is_empty() {
        Err(AppError::field(field, "required"))
    } else {
        Ok(v.to_owned())
    }
}

fn decision_view(d: &Decision) -> DecisionView {
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
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The officer's queue page: counters and the first page of cases.
#[derive(Debug, Clone)]
pub struct QueueView {
    pub counts: requests::QueueCounts,
    pub cases: Vec<CaseView>,
    pub units: Vec<crate::bodies::BodyItem>,
    pub today: Date,
}

/// A row of the public register (§11.3): initials only, personal data masked in the summary.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RegisterEntry {
    pub number: String,
    pub received_on: Date,
    pub applicant_kind: &'static str,
    /// Initials for persons, the name for legal entities.
    pub applicant: String,
    pub summary: String,
    pub channel: &'static str,
    pub status: &'static str,
    pub status_label: &'static str,
    pub outcome: Option<&'static str>,
    pub outcome_label: Option<&'static str>,
    pub grounds: Vec<&'static str>,
    pub decided_on: Option<Date>,
    pub service_working_days: Option<u32>,
    pub extended: bool,
}

/// How much of a request's summary the public register shows, in characters.
pub const PUBLIC_SUMMARY_CHARS: usize = 160;

/// A request summary as the public register shows it: what the personal-data scanner finds is
/// masked in the whole text first, then the text is cut, so no number is half-shown (§11.3).
pub fn public_summary(information: &str) -> String {
    lentera_domain::privacy::masked_excerpt(information, PUBLIC_SUMMARY_CHARS)
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

    /// The public register of a body's requests, newest first.
    /// One page of the request register read from the store (see [`App::request_register`]).
    pub(crate) async fn read_request_register(
        &self,
        body: &BodyEntry,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<RegisterEntry>, AppError> {
        let rows = requests::public_register(&self.db, body.row.id, limit, offset).await?;
        let entries = rows
            .into_iter()
            .map(|r| {
                let state: Option<RequestState> = serde_json::from_str(&r.state).ok();
                let kind = lentera_domain::ApplicantKind::parse(&r.applicant_kind)
                    .unwrap_or(lentera_domain::ApplicantKind::Individual);
                let outcome = r
                    .outcome
                    .as_deref()
                    .and_then(lentera_domain::Outcome::parse);
                let status = RequestStatus::parse(&r.status).unwrap_or(RequestStatus::Received);
                RegisterEntry {
                    number: r.number,
                    received_on: r.received_on,
                    applicant_kind: kind.label_id(),
                    applicant: if kind == lentera_domain::ApplicantKind::LegalEntity {
                        r.applicant_name
                    } else {
                        lentera_domain::submission::initials(&r.applicant_name)
                    },
                    summary: public_summary(&r.information),
                    channel: Channel::parse(&r.channel).map_or("web", Channel::label_id),
                    status: status.as_str(),
                    status_label: status.label_id(),
                    outcome: outcome.map(Outcome::as_str),
                    outcome_label: outcome.map(Outcome::label_id),
                    grounds: state
                        .as_ref()
                        .and_then(|s| s.decision.as_ref())
                        .map(|d| d.grounds.iter().map(|g| g.as_str()).collect())
                        .unwrap_or_default(),
                    decided_on: r.decided_on,
                    service_working_days: state
                        .as_ref()
                        .and_then(|s| s.service_working_days(&body.calendar))
                        .and_then(Result::ok),
                    extended: r.extended,
                }
            })
            .collect();
        Ok(entries)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn personal_data_is_masked_in_public_summaries() {
        let t = super::public_summary(
            "Data NIK 3302015708900007 dan surel siti@contoh.id, telp 0812-3456-7890 tahun 2025",
        );
        assert!(
            !t.contains("3302015708900007") && !t.contains("siti@") && !t.contains("3456"),
            "{t}"
        );
        assert!(t.contains("tahun 2025"));
        let t = super::public_summary("NIK 3302 0157 0890 0123 telp 0812 3456 7890");
        assert_eq!(t, "NIK [nomor disamarkan] telp [nomor disamarkan]");
    }
}
