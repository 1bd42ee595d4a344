//! Objections (*keberatan*) and disputes (*sengketa*) on a request: filing, the *atasan PPID*'s
//! answer (which reopens the request when upheld), the dispute chain at the Komisi Informasi and
//! in court, and the public objection register.

use std::sync::Arc;

use lentera_domain::Role;
use lentera_domain::access::Action;
use lentera_domain::dispute::{
    Court, DisputeDeadlines, DisputeEvent, DisputeState, Ruling, SessionStage,
};
use lentera_domain::numbering::NumberPattern;
use lentera_domain::objection::{
    self, Ground, ObjectionEvent, ObjectionOutcome, ObjectionState, ObjectionStatus,
};
use lentera_domain::request::{RequestEvent, RequestState};
use lentera_domain::submission::FieldErrors;
use lentera_store::StoreError;
use lentera_store::objections::{
    self, LinkedRequestEvent, NewObjection, ObjectionProjection, ObjectionRow,
};
use lentera_store::requests::{self, EventRow, NewEvent, RequestRow};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::auth::OfficerCtx;
use crate::crypto::{normalize_code, tracking_code};
use crate::{App, AppError, BodyEntry};

const NOT_FOUND: AppError = AppError::NotFound("objection.not_found");

/// Receipt of a filed objection (the contract's answer).
#[derive(Debug, Clone, Serialize)]
pub struct ObjectionReceipt {
    pub number: String,
    pub tracking_code: String,
    pub status: &'static str,
    pub received_on: Date,
    pub due_on: Option<Date>,
    pub due_provisional: bool,
    pub request: String,
    pub late: bool,
    #[serde(skip)]
    pub created: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub kind: &'static str,
    /// The legal date of the step, where it has one.
    pub on: Option<Date>,
    pub detail: String,
    /// For `due_recomputed`: the date before, the date after and the instrument.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DisputeView {
    pub status: &'static str,
    pub status_label: &'static str,
    pub commission: String,
    pub ki_number: Option<String>,
    pub filed_on: Date,
    pub ruling: Option<&'static str>,
    pub deadlines: Option<DisputeDeadlines>,
    pub events: Vec<StepView>,
    pub next_steps: Vec<&'static str>,
}

/// The objection as the requester and officers see it (no identity data).
#[derive(Debug, Clone, Serialize)]
pub struct ObjectionView {
    pub number: String,
    pub request: String,
    pub body: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub received_on: Date,
    pub due_on: Option<Date>,
    /// `due_on` counted through a year whose SKB is not loaded (*sementara*).
    pub due_provisional: bool,
    pub grounds: Vec<&'static str>,
    pub reason: String,
    pub late: bool,
    /// Recorded late under an earlier calendar, in time under the one loaded since: kept as
    /// recorded, for the atasan PPID to look at.
    pub lateness_in_doubt: bool,
    /// Not answered within 30 working days (computed).
    pub unanswered: bool,
    pub decision: Option<ObjectionDecisionView>,
    /// Last day for the requester to take the matter to the Komisi Informasi.
    pub dispute_deadline: Option<Date>,
    pub dispute_deadline_provisional: bool,
    pub events: Vec<StepView>,
    pub dispute: Option<DisputeView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObjectionDecisionView {
    pub outcome: &'static str,
    pub outcome_label: &'static str,
    pub decided_on: Date,
    pub answer: String,
}

/// A dispute step as sent by an officer.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DisputeInput {
    pub on: Option<String>,
    pub received_on: Option<String>,
    pub commission: Option<String>,
    pub ki_number: Option<String>,
    pub stage: Option<String>,
    pub note: Option<String>,
    pub ruling: Option<String>,
    pub number: Option<String>,
    pub court: Option<String>,
    pub case_number: Option<String>,
    pub evidence: Option<String>,
}

/// A row of the public objection register (§5.4, privacy-safe).
#[derive(Debug, Clone, Serialize)]
pub struct ObjectionRegisterEntry {
    pub number: String,
    pub request: String,
    pub received_on: Date,
    pub grounds: Vec<&'static str>,
    pub status: &'static str,
    pub status_label: &'static str,
    pub outcome: Option<&'static str>,
    pub decided_on: Option<Date>,
    pub answered_in_time: Option<bool>,
    pub disputed: bool,
}

fn parse_date(field: &'static str, s: Option<&str>, e: &mut FieldErrors) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            e.add(field, "required");
            None
        }
        Some(s) => Date::parse(s, &format)
            .map_err(|_| e.add(field, "invalid_date"))
            .ok(),
    }
}

fn grounds_key(g: &[Ground]) -> String {
    g.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(",")
}

fn step_detail(e: &ObjectionEvent) -> String {
    match e {
        ObjectionEvent::Filed { grounds, .. } => grounds
            .iter()
            .map(|g| g.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        ObjectionEvent::Decided { outcome, .. } => outcome.label_id().to_owned(),
        ObjectionEvent::Settled { .. } => "musyawarah".to_owned(),
        ObjectionEvent::DueRecomputed {
            from,
            to,
            reason,
            lateness_in_doubt,
        } => {
            let mut d = format!("{from} → {to}: {reason}");
            if *lateness_in_doubt {
                d.push_str(
                    " — keterlambatan yang tercatat dipertahankan dan perlu ditinjau Atasan PPID",
                );
            }
            d
        }
        _ => String::new(),
    }
}

fn dispute_detail(e: &DisputeEvent) -> String {
    match e {
        DisputeEvent::Filed { commission, .. } => commission.clone(),
        DisputeEvent::Registered { ki_number, .. } => ki_number.clone(),
        DisputeEvent::Session { stage, note, .. } => format!("{}: {note}", stage.label_id()),
        DisputeEvent::Ruled { ruling, number, .. } => format!("{} ({number})", ruling.label_id()),
        DisputeEvent::Appealed {
            court, case_number, ..
        } => format!("{} ({case_number})", court.label_id()),
        DisputeEvent::CourtDecided { summary, .. }
        | DisputeEvent::CassationDecided { summary, .. } => summary.clone(),
        DisputeEvent::Complied { evidence, .. } => evidence.clone(),
        DisputeEvent::DueRecomputed {
            deadline,
            from,
            to,
            reason,
            ..
        } => format!(
            "{}: {from} → {to}: {reason}",
            lentera_domain::dispute::deadline_label(deadline)
        ),
        _ => String::new(),
    }
}

impl App {
    fn objection_event_row(
        &self,
        kind: &str,
        data: String,
        officer: Option<&OfficerCtx>,
    ) -> NewEvent {
        NewEvent {
            id: Uuid::now_v7(),
            at: self.now(),
            actor_kind: if officer.is_some() {
                "officer"
            } else {
                "applicant"
            }
            .into(),
            actor_id: officer.map(|o| o.user.id),
            kind: kind.into(),
            data,
        }
    }

    pub(crate) fn objection_projection(
        &self,
        s: &ObjectionState,
        body: &BodyEntry,
    ) -> Result<ObjectionProjection, AppError> {
        Ok(ObjectionProjection {
            status: s.status.as_str().into(),
            answer_due_on: s.answer_due(&body.calendar).ok(),
            outcome: s.outcome.map(|o| o.as_str().into()),
            decided_on: s.decided_on,
            state: serde_json::to_string(s).map_err(|e| AppError::Unexpected(e.into()))?,
        })
    }

    async fn request_state(
        &self,
        row: &RequestRow,
        body: &BodyEntry,
    ) -> Result<RequestState, AppError> {
        let rows = requests::events(&self.db, row.id).await?;
        let tz = body.time_zone();
        let parsed = rows
            .iter()
            .map(|r| serde_json::from_str::<RequestEvent>(&r.data).map(|e| (e, tz.date_of(r.at))))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| AppError::Unexpected(e.into()))?;
        Ok(RequestState::from_events(
            parsed.iter().map(|(e, d)| (e, *d)),
            &body.calendar,
        )?)
    }

    /// The grounds the requester may use now on request `number`.
    pub async fn objection_grounds(
        &self,
        number: &str,
        code: &str,
    ) -> Result<Vec<Ground>, AppError> {
        self.track(number, code).await?;
        let row = requests::get_for_update(&self.db, number.trim()).await?;
        let body = self.body(row.body_id).await?;
        let state = self.request_state(&row, &body).await?;
        Ok(objection::available_grounds(
            &state,
            self.today_in(body.time_zone()),
            &body.calendar,
        ))
    }

    /// The grounds an officer may record for the requester now (paper or walk-in objections).
    pub async fn objection_grounds_for_officer(
        &self,
        officer: &OfficerCtx,
        number: &str,
    ) -> Result<Vec<Ground>, AppError> {
        let row = requests::get_for_update(&self.db, number.trim()).await?;
        let body = self.body(row.body_id).await?;
        if !officer.policy().may(Action::Intake, &body.row.slug, None) {
            return Ok(Vec::new());
        }
        let state = self.request_state(&row, &body).await?;
        Ok(objection::available_grounds(
            &state,
            self.today_in(body.time_zone()),
            &body.calendar,
        ))
    }

    /// Files an objection: online with the request's tracking code, or entered by an officer.
    pub async fn file_objection(
        &self,
        number: &str,
        code: &str,
        grounds: &[String],
        reason: &str,
        officer: Option<&OfficerCtx>,
    ) -> Result<ObjectionReceipt, AppError> {
        let row = match officer {
            None => {
                // Same answer for a wrong code as for an unknown number.
                self.track(number, code)
                    .await
                    .map_err(|_| AppError::NotFound("request.not_found"))?;
                requests::get_for_update(&self.db, number.trim()).await?
            }
            Some(o) => {
                let row = match requests::get_for_update(&self.db, number.trim()).await {
                    Ok(r) => r,
                    Err(StoreError::NotFound) => {
                        return Err(AppError::NotFound("request.not_found"));
                    }
                    Err(e) => return Err(e.into()),
                };
                let body = self.body(row.body_id).await?;
                if !o.policy().may(Action::Intake, &body.row.slug, None)
                    && !o
                        .policy()
                        .may(Action::DecideObjection, &body.row.slug, None)
                {
                    return Err(AppError::Forbidden);
                }
                row
            }
        };
        let body = self.body(row.body_id).await?;
        let state = self.request_state(&row, &body).await?;
        let today = self.today_in(body.time_zone());
        let mut e = FieldErrors::default();
        let mut chosen = Vec::new();
        for g in grounds {
            match Ground::parse(g) {
                Some(g) if !chosen.contains(&g) => chosen.push(g),
                Some(_) => {}
                None => e.add("grounds", "invalid_choice"),
            }
        }
        if grounds.is_empty() {
            e.add("grounds", "required");
        }
        if reason.chars().count() > 10_000 {
            e.add("reason", "too_long");
        }
        chosen.sort();
        let late = objection::is_late(&chosen, &state, today, &body.calendar);
        for g in &chosen {
            match objection::ground_date(*g, &state, today, &body.calendar) {
                Ok(_) => {}
                Err(why) => {
                    let code: &'static str = match (g, why) {
                        (Ground::A, _) => "not_available_a",
                        (Ground::C, _) => "not_available_c",
                        (Ground::D, _) => "not_available_d",
                        (Ground::E, _) => "not_available_e",
                        (Ground::F, _) => "not_available_f",
                        (Ground::G, _) => "not_available_g",
                        (Ground::B, _) => "not_available_b",
                    };
                    e.add("grounds", code);
                }
            }
        }
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        let event = ObjectionEvent::Filed {
            received_on: today,
            grounds: chosen.clone(),
            reason: reason.trim().to_owned(),
            late,
        };
        let s = ObjectionState::start(&event)
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!("{e}")))?;
        let (tracking_hash, shown_code) = match officer {
            None => (row.tracking_hash.clone(), code.trim().to_owned()),
            Some(_) => {
                let c = tracking_code()?;
                (self.secret().hash(&normalize_code(&c)), c)
            }
        };
        let new = NewObjection {
            id: Uuid::now_v7(),
            request_id: row.id,
            body_id: body.row.id,
            tracking_hash,
            grounds: grounds_key(&chosen),
            reason: reason.trim().to_owned(),
            received_on: today,
            late,
            projection: self.objection_projection(&s, &body)?,
            event: self.objection_event_row(
                event.kind(),
                serde_json::to_string(&event).map_err(|e| AppError::Unexpected(e.into()))?,
                officer,
            ),
            now: self.now(),
        };
        let numbering = lentera_store::requests::Numbering {
            scope: format!("objection:{}", body.row.id),
            pattern: NumberPattern::Objection {
                code: body.row.code.clone(),
                year: today.year(),
            },
        };
        let (number, created) = objections::create(&self.db, &new, &numbering).await?;
        self.changed();
        let stored = objections::get_by_number(&self.db, &number).await?;
        Ok(ObjectionReceipt {
            number,
            tracking_code: if created || officer.is_none() {
                shown_code
            } else {
                String::new()
            },
            status: ObjectionStatus::parse(&stored.status)
                .map_or("received", ObjectionStatus::as_str),
            received_on: stored.received_on,
            due_on: stored.answer_due_on,
            due_provisional: stored
                .answer_due_on
                .is_none_or(|d| body.calendar.is_provisional_span(stored.received_on, d)),
            request: row.number.clone(),
            late: stored.late,
            created,
        })
    }

    async fn load_objection(
        &self,
        number: &str,
    ) -> Result<(ObjectionRow, Arc<BodyEntry>, ObjectionState, Vec<EventRow>), AppError> {
        let row = match objections::get_by_number(&self.db, number.trim()).await {
            Ok(r) => r,
            Err(StoreError::NotFound) => return Err(NOT_FOUND),
            Err(e) => return Err(e.into()),
        };
        let body = self.body(row.body_id).await?;
        let rows = objections::events(&self.db, row.id).await?;
        let events = rows
            .iter()
            .map(|r| serde_json::from_str::<ObjectionEvent>(&r.data))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| AppError::Unexpected(e.into()))?;
        let state = ObjectionState::from_events(events.iter())
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!("{e}")))?;
        Ok((row, body, state, rows))
    }

    async fn objection_view(
        &self,
        row: &ObjectionRow,
        body: &BodyEntry,
        s: &ObjectionState,
        rows: &[EventRow],
    ) -> Result<ObjectionView, AppError> {
        let today = self.today_in(body.time_zone());
        let request = requests::get_by_id_number(&self.db, row.request_id).await?;
        let dispute = self.dispute_view(row.id, body).await?;
        Ok(ObjectionView {
            number: row.number.clone(),
            request,
            body: body.row.slug.clone(),
            status: s.status.as_str(),
            status_label: s.status.label_id(),
            received_on: s.received_on,
            due_on: s.answer_due(&body.calendar).ok(),
            due_provisional: s.answer_due_provisional(&body.calendar),
            grounds: s.grounds.iter().map(|g| g.as_str()).collect(),
            reason: s.reason.clone(),
            late: s.late,
            lateness_in_doubt: s.lateness_in_doubt,
            unanswered: s.unanswered(today, &body.calendar),
            decision: match (s.outcome, s.decided_on) {
                (Some(o), Some(d)) => Some(ObjectionDecisionView {
                    outcome: o.as_str(),
                    outcome_label: o.label_id(),
                    decided_on: d,
                    answer: s.answer.clone().unwrap_or_default(),
                }),
                _ => None,
            },
            dispute_deadline: s.dispute_deadline(&body.calendar).ok(),
            dispute_deadline_provisional: s
                .dispute_deadline(&body.calendar)
                .is_ok_and(|d| body.calendar.is_provisional_span(s.received_on, d)),
            events: rows
                .iter()
                .filter_map(|r| {
                    let e: ObjectionEvent = serde_json::from_str(&r.data).ok()?;
                    let on = match &e {
                        ObjectionEvent::Filed { received_on, .. } => Some(*received_on),
                        ObjectionEvent::Decided { decided_on, .. } => Some(*decided_on),
                        ObjectionEvent::Settled { on, .. } | ObjectionEvent::Disputed { on } => {
                            Some(*on)
                        }
                        _ => None,
                    };
                    let (from, to, reason) = match &e {
                        ObjectionEvent::DueRecomputed {
                            from, to, reason, ..
                        } => (Some(*from), Some(*to), Some(reason.clone())),
                        _ => (None, None, None),
                    };
                    Some(StepView {
                        at: r.at,
                        kind: e.kind(),
                        on,
                        detail: step_detail(&e),
                        from,
                        to,
                        reason,
                    })
                })
                .collect(),
            dispute,
        })
    }

    async fn dispute_view(
        &self,
        objection_id: Uuid,
        body: &BodyEntry,
    ) -> Result<Option<DisputeView>, AppError> {
        let Some(d) = objections::dispute_for(&self.db, objection_id).await? else {
            return Ok(None);
        };
        let rows = objections::dispute_events(&self.db, d.id).await?;
        let events: Vec<DisputeEvent> = rows
            .iter()
            .map(|r| serde_json::from_str(&r.data))
            .collect::<Result<_, _>>()
            .map_err(|e| AppError::Unexpected(e.into()))?;
        let state = DisputeState::from_events(events.iter())
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!("{e}")))?;
        let next_steps = DISPUTE_STEPS
            .iter()
            .copied()
            .filter(|step| probe(&state, step).is_some_and(|e| state.apply(&e).is_ok()))
            .collect();
        Ok(Some(DisputeView {
            status: state.status.as_str(),
            status_label: state.status.label_id(),
            commission: state.commission.clone(),
            ki_number: state.ki_number.clone(),
            filed_on: state.filed_on,
            ruling: state.ruling.map(Ruling::as_str),
            deadlines: state.deadlines(&body.calendar).ok(),
            events: rows
                .iter()
                .zip(&events)
                .map(|(r, e)| {
                    let (from, to, reason) = match e {
                        DisputeEvent::DueRecomputed {
                            from, to, reason, ..
                        } => (Some(*from), Some(*to), Some(reason.clone())),
                        _ => (None, None, None),
                    };
                    StepView {
                        at: r.at,
                        kind: e.kind(),
                        on: Some(e.date()),
                        detail: dispute_detail(e),
                        from,
                        to,
                        reason,
                    }
                })
                .collect(),
            next_steps,
        }))
    }

    /// The objection view for the requester (with the request's or the objection's code).
    pub async fn track_objection(
        &self,
        number: &str,
        code: &str,
    ) -> Result<ObjectionView, AppError> {
        let hashed = self.secret().hash(&normalize_code(code));
        let (row, body, state, rows) = self.load_objection(number).await?;
        if hashed != row.tracking_hash {
            return Err(NOT_FOUND);
        }
        self.objection_view(&row, &body, &state, &rows).await
    }

    /// The objection view for an officer of the body.
    pub async fn objection_for_officer(
        &self,
        officer: &OfficerCtx,
        number: &str,
    ) -> Result<ObjectionView, AppError> {
        let (row, body, state, rows) = self.load_objection(number).await?;
        if !officer.policy().may(Action::View, &body.row.slug, None) {
            return Err(AppError::Forbidden);
        }
        self.objection_view(&row, &body, &state, &rows).await
    }

    /// Objections of a request, for its case page and tracking page.
    pub async fn objections_of_request(
        &self,
        request_number: &str,
    ) -> Result<Vec<ObjectionView>, AppError> {
        let row = requests::get_by_number(&self.db, request_number).await?;
        self.objections_of_request_id(row.id).await
    }

    pub(crate) async fn objections_of_request_id(
        &self,
        request_id: Uuid,
    ) -> Result<Vec<ObjectionView>, AppError> {
        let mut out = Vec::new();
        for o in objections::for_request(&self.db, request_id).await? {
            let (row, body, state, rows) = self.load_objection(&o.number).await?;
            out.push(self.objection_view(&row, &body, &state, &rows).await?);
        }
        Ok(out)
    }

    /// The *atasan PPID*'s written answer; an upheld objection reopens the request.
    pub async fn decide_objection(
        &self,
        officer: &OfficerCtx,
        number: &str,
        outcome: &str,
        note: &str,
    ) -> Result<ObjectionView, AppError> {
        let (row, body, state, _) = self.load_objection(number).await?;
        if !officer
            .policy()
            .may(Action::DecideObjection, &body.row.slug, None)
        {
            return Err(AppError::Forbidden);
        }
        let mut e = FieldErrors::default();
        let outcome = ObjectionOutcome::parse(outcome);
        if outcome.is_none() {
            e.add("outcome", "invalid_choice");
        }
        if note.trim().is_empty() {
            e.add("note", "required");
        }
        let Some(outcome) = outcome.filter(|_| e.is_empty()) else {
            return Err(AppError::Invalid(e));
        };
        let today = self.today_in(body.time_zone());
        let event = ObjectionEvent::Decided {
            outcome,
            decided_on: today,
            answer: note.trim().to_owned(),
        };
        let next = state.apply(&event).map_err(objection_error)?;
        let linked = if outcome.reopens() {
            let req = requests::get_by_number(
                &self.db,
                &requests::get_by_id_number(&self.db, row.request_id).await?,
            )
            .await?;
            let req_state = self.request_state(&req, &body).await?;
            let reopen = RequestEvent::Reopened {
                on: today,
                objection: row.number.clone(),
            };
            let after = req_state.apply(&reopen, today, &body.calendar)?;
            Some(LinkedRequestEvent {
                request_id: req.id,
                expected_count: req.event_count,
                event: self.objection_event_row(
                    reopen.kind(),
                    serde_json::to_string(&reopen).map_err(|e| AppError::Unexpected(e.into()))?,
                    Some(officer),
                ),
                projection: self.request_projection(&after, &body).await?,
            })
        } else {
            None
        };
        let ev = self.objection_event_row(
            event.kind(),
            serde_json::to_string(&event).map_err(|e| AppError::Unexpected(e.into()))?,
            Some(officer),
        );
        objections::append(
            &self.db,
            row.id,
            row.event_count,
            &ev,
            &self.objection_projection(&next, &body)?,
            linked.as_ref(),
        )
        .await?;
        self.changed();
        if linked.is_some() {
            self.forget_request(&requests::get_by_id_number(&self.db, row.request_id).await?);
        }
        self.objection_for_officer(officer, number).await
    }

    /// Other objection steps: `review` (the atasan takes it up), `settle` (deliberation, b–g only),
    /// `close`.
    pub async fn objection_step(
        &self,
        officer: &OfficerCtx,
        number: &str,
        step: &str,
        note: &str,
    ) -> Result<ObjectionView, AppError> {
        let (row, body, state, _) = self.load_objection(number).await?;
        let allowed = match step {
            "review" | "close" => {
                officer.policy().may(Action::Decide, &body.row.slug, None)
                    || officer
                        .policy()
                        .may(Action::DecideObjection, &body.row.slug, None)
            }
            "settle" => officer
                .policy()
                .may(Action::DecideObjection, &body.row.slug, None),
            _ => return Err(AppError::NotFound("objection.step_not_found")),
        };
        if !allowed {
            return Err(AppError::Forbidden);
        }
        let today = self.today_in(body.time_zone());
        let note = Some(note.trim().to_owned()).filter(|n| !n.is_empty());
        let event = match step {
            "review" => ObjectionEvent::ReviewStarted { note },
            "settle" => ObjectionEvent::Settled {
                on: today,
                minutes: note.unwrap_or_default(),
            },
            _ => ObjectionEvent::Closed { note },
        };
        let next = state.apply(&event).map_err(objection_error)?;
        let ev = self.objection_event_row(
            event.kind(),
            serde_json::to_string(&event).map_err(|e| AppError::Unexpected(e.into()))?,
            Some(officer),
        );
        objections::append(
            &self.db,
            row.id,
            row.event_count,
            &ev,
            &self.objection_projection(&next, &body)?,
            None,
        )
        .await?;
        self.changed();
        self.objection_for_officer(officer, number).await
    }

    /// Records that the requester took the objection to the Komisi Informasi, or a later step of
    /// that dispute. `step` is `filed` (first) or one of [`DISPUTE_STEPS`].
    pub async fn dispute_step(
        &self,
        officer: &OfficerCtx,
        number: &str,
        step: &str,
        input: &DisputeInput,
    ) -> Result<ObjectionView, AppError> {
        let (row, body, state, _) = self.load_objection(number).await?;
        let may = matches!(officer.role, Role::Ppid | Role::Supervisor)
            && officer.policy().may(Action::View, &body.row.slug, None);
        if !may {
            return Err(AppError::Forbidden);
        }
        let today = self.today_in(body.time_zone());
        let mut e = FieldErrors::default();
        let event = dispute_event(step, input, &mut e)?;
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        if event.date() > today {
            return Err(AppError::field("on", "in_the_future"));
        }
        let ev = self.objection_event_row(
            event.kind(),
            serde_json::to_string(&event).map_err(|e| AppError::Unexpected(e.into()))?,
            Some(officer),
        );
        match objections::dispute_for(&self.db, row.id).await? {
            None => {
                let DisputeEvent::Filed { filed_on, .. } = &event else {
                    return Err(AppError::Conflict { code: "dispute.not_filed", message: "Sengketa belum dicatat; catat pengajuan ke Komisi Informasi terlebih dahulu.".into() });
                };
                // Only once the objection was answered, or its answer period lapsed.
                if state.status.awaits_answer() && !state.unanswered(*filed_on, &body.calendar) {
                    return Err(AppError::Conflict {
                        code: "dispute.objection_still_open",
                        message: "Keberatan masih dalam jangka waktu tanggapan atasan PPID (30 hari kerja).".into(),
                    });
                }
                let ds = DisputeState::start(&event).map_err(dispute_error)?;
                let oe = ObjectionEvent::Disputed { on: *filed_on };
                let next = state.apply(&oe).map_err(objection_error)?;
                let oev = self.objection_event_row(
                    oe.kind(),
                    serde_json::to_string(&oe).map_err(|e| AppError::Unexpected(e.into()))?,
                    Some(officer),
                );
                objections::create_dispute(
                    &self.db,
                    Uuid::now_v7(),
                    row.id,
                    body.row.id,
                    *filed_on,
                    &serde_json::to_string(&ds).map_err(|e| AppError::Unexpected(e.into()))?,
                    dispute_deadlines_json(&ds, &body).as_deref(),
                    &ev,
                    row.event_count,
                    &oev,
                    &self.objection_projection(&next, &body)?,
                )
                .await
                .map_err(|e| match e {
                    StoreError::Conflict(_) => AppError::Conflict {
                        code: "dispute.exists",
                        message: "Sengketa untuk keberatan ini sudah dicatat.".into(),
                    },
                    other => other.into(),
                })?;
            }
            Some(d) => {
                let rows = objections::dispute_events(&self.db, d.id).await?;
                let events: Vec<DisputeEvent> = rows
                    .iter()
                    .map(|r| serde_json::from_str(&r.data))
                    .collect::<Result<_, _>>()
                    .map_err(|e| AppError::Unexpected(e.into()))?;
                let ds = DisputeState::from_events(events.iter()).map_err(dispute_error)?;
                let next = ds.apply(&event).map_err(dispute_error)?;
                objections::append_dispute(
                    &self.db,
                    d.id,
                    d.event_count,
                    &ev,
                    next.status.as_str(),
                    &serde_json::to_string(&next).map_err(|e| AppError::Unexpected(e.into()))?,
                    dispute_deadlines_json(&next, &body).as_deref(),
                )
                .await?;
            }
        }
        self.changed();
        self.objection_for_officer(officer, number).await
    }

    /// The objections of a body, open ones first by answer due date.
    pub async fn objection_queue(
        &self,
        officer: &OfficerCtx,
    ) -> Result<Vec<ObjectionView>, AppError> {
        let mut out = Vec::new();
        for o in objections::for_body(&self.db, officer.home.row.id, 200).await? {
            if let Ok(v) = self.objection_for_officer(officer, &o.number).await {
                out.push(v);
            }
        }
        Ok(out)
    }

    /// The public objection register of a body (§5.4 without identity data).
    /// The objection register read from the store (see [`App::objection_register`]).
    pub(crate) async fn read_objection_register(
        &self,
        body: &BodyEntry,
    ) -> Result<Vec<ObjectionRegisterEntry>, AppError> {
        let mut out = Vec::new();
        for o in objections::for_body(&self.db, body.row.id, 500).await? {
            let state: Option<ObjectionState> = serde_json::from_str(&o.state).ok();
            let status = ObjectionStatus::parse(&o.status).unwrap_or(ObjectionStatus::Received);
            out.push(ObjectionRegisterEntry {
                request: requests::get_by_id_number(&self.db, o.request_id).await?,
                number: o.number,
                received_on: o.received_on,
                grounds: state
                    .as_ref()
                    .map(|s| s.grounds.iter().map(|g| g.as_str()).collect())
                    .unwrap_or_default(),
                status: status.as_str(),
                status_label: status.label_id(),
                outcome: state
                    .as_ref()
                    .and_then(|s| s.outcome)
                    .map(ObjectionOutcome::as_str),
                decided_on: o.decided_on,
                answered_in_time: match (o.decided_on, o.answer_due_on) {
                    (Some(d), Some(due)) => Some(d <= due),
                    _ => None,
                },
                disputed: status == ObjectionStatus::Disputed,
            });
        }
        Ok(out)
    }
}

/// The dispute steps an officer can record after the filing.
pub const DISPUTE_STEPS: [&str; 11] = [
    "registered",
    "session",
    "mediation_failed",
    "ruled",
    "appealed",
    "court_decided",
    "cassation_filed",
    "cassation_decided",
    "final",
    "complied",
    "withdrawn",
];

/// A sample event of a step, to tell which steps the state allows next.
fn probe(s: &DisputeState, step: &str) -> Option<DisputeEvent> {
    let on = s.last_step;
    Some(match step {
        "registered" => DisputeEvent::Registered {
            on,
            ki_number: "x".into(),
        },
        "session" => DisputeEvent::Session {
            on,
            stage: SessionStage::Adjudication,
            note: String::new(),
        },
        "mediation_failed" => DisputeEvent::MediationFailed { on },
        "ruled" => DisputeEvent::Ruled {
            ruling: Ruling::Granted,
            on,
            received_on: on,
            number: "x".into(),
        },
        "appealed" => DisputeEvent::Appealed {
            court: Court::Ptun,
            filed_on: on,
            case_number: "x".into(),
        },
        "court_decided" => DisputeEvent::CourtDecided {
            on,
            received_on: on,
            summary: "x".into(),
        },
        "cassation_filed" => DisputeEvent::CassationFiled { filed_on: on },
        "cassation_decided" => DisputeEvent::CassationDecided {
            on,
            summary: "x".into(),
        },
        "final" => DisputeEvent::Final { on },
        "complied" => DisputeEvent::Complied {
            on,
            evidence: "x".into(),
        },
        "withdrawn" => DisputeEvent::Withdrawn { on },
        _ => return None,
    })
}

fn text(v: &Option<String>) -> String {
    v.as_deref().map(str::trim).unwrap_or("").to_owned()
}

fn required(field: &'static str, v: &Option<String>, e: &mut FieldErrors) -> String {
    let t = text(v);
    if t.is_empty() {
        e.add(field, "required");
    }
    t
}

fn dispute_event(
    step: &str,
    i: &DisputeInput,
    e: &mut FieldErrors,
) -> Result<DisputeEvent, AppError> {
    let on = parse_date("on", i.on.as_deref(), e);
    let fallback = Date::MIN;
    let on_or = on.unwrap_or(fallback);
    Ok(match step {
        "filed" => DisputeEvent::Filed {
            filed_on: on_or,
            commission: required("commission", &i.commission, e),
        },
        "registered" => DisputeEvent::Registered {
            on: on_or,
            ki_number: required("ki_number", &i.ki_number, e),
        },
        "session" => {
            let stage = i.stage.as_deref().and_then(SessionStage::parse);
            if stage.is_none() {
                e.add("stage", "invalid_choice");
            }
            DisputeEvent::Session {
                on: on_or,
                stage: stage.unwrap_or(SessionStage::Preliminary),
                note: text(&i.note),
            }
        }
        "mediation_failed" => DisputeEvent::MediationFailed { on: on_or },
        "ruled" => {
            let ruling = i.ruling.as_deref().and_then(Ruling::parse);
            if ruling.is_none() {
                e.add("ruling", "invalid_choice");
            }
            let received = match i.received_on.as_deref().filter(|s| !s.trim().is_empty()) {
                Some(s) => parse_date("received_on", Some(s), e),
                None => on,
            };
            DisputeEvent::Ruled {
                ruling: ruling.unwrap_or(Ruling::Granted),
                on: on_or,
                received_on: received.unwrap_or(on_or),
                number: required("number", &i.number, e),
            }
        }
        "appealed" => {
            let court = i.court.as_deref().and_then(Court::parse);
            if court.is_none() {
                e.add("court", "invalid_choice");
            }
            DisputeEvent::Appealed {
                court: court.unwrap_or(Court::Ptun),
                filed_on: on_or,
                case_number: required("case_number", &i.case_number, e),
            }
        }
        "court_decided" => {
            let received = match i.received_on.as_deref().filter(|s| !s.trim().is_empty()) {
                Some(s) => parse_date("received_on", Some(s), e),
                None => on,
            };
            DisputeEvent::CourtDecided {
                on: on_or,
                received_on: received.unwrap_or(on_or),
                summary: required("note", &i.note, e),
            }
        }
        "cassation_filed" => DisputeEvent::CassationFiled { filed_on: on_or },
        "cassation_decided" => DisputeEvent::CassationDecided {
            on: on_or,
            summary: required("note", &i.note, e),
        },
        "final" => DisputeEvent::Final { on: on_or },
        "complied" => DisputeEvent::Complied {
            on: on_or,
            evidence: required("evidence", &i.evidence, e),
        },
        "withdrawn" => DisputeEvent::Withdrawn { on: on_or },
        _ => return Err(AppError::NotFound("dispute.step_not_found")),
    })
}

fn objection_error(e: objection::ObjectionError) -> AppError {
    match e {
        objection::ObjectionError::Required { field } => AppError::field(field, "required"),
        objection::ObjectionError::NotSettleable(_) => AppError::Conflict {
            code: "objection.not_settleable",
            message: "Keberatan atas penolakan berdasarkan Pasal 17 (alasan a) tidak dapat diselesaikan melalui musyawarah.".into(),
        },
        other => AppError::Conflict { code: "objection.transition_not_allowed", message: other.to_string() },
    }
}

fn dispute_error(e: lentera_domain::dispute::DisputeError) -> AppError {
    match e {
        lentera_domain::dispute::DisputeError::Required(f) => AppError::field(f, "required"),
        other => AppError::Conflict {
            code: "dispute.transition_not_allowed",
            message: other.to_string(),
        },
    }
}

impl App {
    /// One PDF with the whole chain from request to ruling, for the hearing: the request, its
    /// events and written notice, the objection and its answer, the dispute steps and deadlines.
    pub async fn dossier(&self, officer: &OfficerCtx, number: &str) -> Result<Vec<u8>, AppError> {
        use lentera_domain::labels::{dated, event_label};
        use lentera_render::{Block, Document};
        let o = self.objection_for_officer(officer, number).await?;
        let request = self.case_detail(officer, &o.request).await?;
        let body = self
            .body_by_slug(&o.body)
            .await?
            .ok_or(AppError::NotFound("body.not_found"))?;
        let tz = body.time_zone();
        let at = |t: &OffsetDateTime| {
            let l = t.to_offset(tz.offset());
            format!("{} {:02}.{:02}", l.date(), l.hour(), l.minute())
        };
        let mut d = Document::new(format!("Berkas sengketa informasi {}", o.number));
        d.set_author(body.row.name.clone());
        d.push(Block::Title(format!(
            "Berkas Sengketa Informasi Publik — {}",
            body.row.name
        )));
        d.push(Block::Paragraph(
            "Kronologi lengkap permohonan informasi, keberatan, dan sengketa, disusun dari catatan peristiwa Lentera (tidak diketik ulang).".into(),
        ));
        d.push(Block::Heading("I. Permohonan informasi".into()));
        let r = &request.request;
        d.push(Block::KeyValue(vec![
            ("Nomor pendaftaran".into(), r.number.clone()),
            ("Tanggal diterima".into(), r.received_on.to_string()),
            ("Batas waktu".into(), dated(r.due_on, r.due_provisional)),
            (
                "Diperpanjang".into(),
                if r.extended { "Ya" } else { "Tidak" }.into(),
            ),
            ("Informasi yang diminta".into(), request.information.clone()),
            ("Tujuan".into(), request.purpose.clone()),
            ("Status".into(), r.status_label.into()),
        ]));
        d.push(Block::Table {
            header: vec!["Waktu".into(), "Peristiwa".into()],
            rows: r
                .events
                .iter()
                .map(|e| {
                    let mut what = e.label.to_owned();
                    if let (Some(from), Some(to)) = (e.from, e.to) {
                        what = format!("{what}: {from} → {to}");
                    }
                    vec![at(&e.at), what]
                })
                .collect(),
        });
        if let Some(dec) = &r.decision {
            d.push(Block::Heading(
                "Pemberitahuan tertulis (Pasal 22 ayat 7)".into(),
            ));
            d.push(Block::KeyValue(vec![
                (
                    "Keputusan".into(),
                    lentera_domain::Outcome::parse(dec.outcome)
                        .map_or(dec.outcome, |x| x.label_id())
                        .into(),
                ),
                ("Tanggal".into(), dec.decided_on.to_string()),
                (
                    "Dasar pengecualian".into(),
                    if dec.grounds.is_empty() {
                        "—".into()
                    } else {
                        dec.grounds.join(", ")
                    },
                ),
                ("Alasan".into(), dec.notice.reasons.clone()),
            ]));
        }
        d.push(Block::Heading("II. Keberatan".into()));
        d.push(Block::KeyValue(vec![
            ("Nomor registrasi keberatan".into(), o.number.clone()),
            ("Tanggal diterima".into(), o.received_on.to_string()),
            ("Alasan (Pasal 35 ayat 1)".into(), o.grounds.join(", ")),
            ("Kasus posisi".into(), o.reason.clone()),
            (
                "Batas tanggapan atasan PPID".into(),
                dated(o.due_on, o.due_provisional),
            ),
            (
                "Diajukan lewat waktu".into(),
                if o.late { "Ya" } else { "Tidak" }.into(),
            ),
            ("Status".into(), o.status_label.into()),
        ]));
        if let Some(dec) = &o.decision {
            d.push(Block::KeyValue(vec![
                ("Tanggapan atasan PPID".into(), dec.outcome_label.into()),
                ("Tanggal tanggapan".into(), dec.decided_on.to_string()),
                ("Isi tanggapan".into(), dec.answer.clone()),
            ]));
        }
        d.push(Block::Table {
            header: vec![
                "Waktu".into(),
                "Tanggal hukum".into(),
                "Peristiwa".into(),
                "Keterangan".into(),
            ],
            rows: o
                .events
                .iter()
                .map(|e| {
                    vec![
                        at(&e.at),
                        e.on.map(|x| x.to_string()).unwrap_or_default(),
                        event_label(e.kind).0.into(),
                        e.detail.clone(),
                    ]
                })
                .collect(),
        });
        if let Some(s) = &o.dispute {
            d.push(Block::Heading("III. Sengketa informasi".into()));
            let mut kv = vec![
                ("Komisi Informasi".into(), s.commission.clone()),
                (
                    "Nomor registrasi".into(),
                    s.ki_number.clone().unwrap_or_else(|| "—".into()),
                ),
                ("Tanggal permohonan ke KI".into(), s.filed_on.to_string()),
                ("Status".into(), s.status_label.into()),
            ];
            if let Some(dl) = &s.deadlines {
                kv.push((
                    "KI wajib mulai paling lambat (14 HK)".into(),
                    dated(dl.ki_start_by, dl.ki_start_provisional),
                ));
                kv.push((
                    "KI wajib selesai paling lambat (100 HK)".into(),
                    dated(dl.ki_finish_by, dl.ki_finish_provisional),
                ));
                if dl.appeal_by.is_some() {
                    kv.push((
                        "Batas keberatan ke pengadilan (14 HK)".into(),
                        dated(dl.appeal_by, dl.appeal_provisional),
                    ));
                }
                if let Some(k) = dl.cassation_by {
                    kv.push(("Batas kasasi (14 hari)".into(), k.to_string()));
                }
            }
            d.push(Block::KeyValue(kv));
            d.push(Block::Table {
                header: vec!["Tanggal".into(), "Tahap".into(), "Keterangan".into()],
                rows: s
                    .events
                    .iter()
                    .map(|e| {
                        vec![
                            e.on.map(|x| x.to_string()).unwrap_or_default(),
                            event_label(e.kind).0.into(),
                            e.detail.clone(),
                        ]
                    })
                    .collect(),
            });
        }
        Ok(d.to_pdf())
    }
}

/// The deadlines a dispute shows now, as stored with it (so a recomputation can say what moved).
pub(crate) fn dispute_deadlines_json(ds: &DisputeState, body: &BodyEntry) -> Option<String> {
    ds.deadlines(&body.calendar)
        .ok()
        .and_then(|d| serde_json::to_string(&d).ok())
}
