//! Disputes at the Komisi Informasi and in court: the steps, which come next, their deadlines.

use lentera_domain::Role;
use lentera_domain::access::Action;
use lentera_domain::dispute::{Court, DisputeEvent, DisputeState, Ruling, SessionStage};
use lentera_domain::objection::ObjectionEvent;
use lentera_domain::submission::FieldErrors;
use lentera_store::StoreError;
use lentera_store::objections;
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use super::objection_error;
use super::views::{DisputeView, ObjectionView, StepView};
use crate::auth::OfficerCtx;
use crate::{App, AppError, BodyEntry};

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
    pub(super) async fn dispute_view(
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

pub(super) fn required(field: &'static str, v: &Option<String>, e: &mut FieldErrors) -> String {
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

fn dispute_error(e: lentera_domain::dispute::DisputeError) -> AppError {
    match e {
        lentera_domain::dispute::DisputeError::Required(f) => AppError::field(f, "required"),
        other => AppError::Conflict {
            code: "dispute.transition_not_allowed",
            message: other.to_string(),
        },
    }
}

/// The deadlines a dispute shows now, as stored with it (so a recomputation can say what moved).
pub(crate) fn dispute_deadlines_json(ds: &DisputeState, body: &BodyEntry) -> Option<String> {
    ds.deadlines(&body.calendar)
        .ok()
        .and_then(|d| serde_json::to_string(&d).ok())
}
