//! Submission: a new request from the portal, the API or an officer at the desk, with de-
//! duplication.

use std::sync::Arc;

use lentera_domain::access::Action;
use lentera_domain::numbering::NumberPattern;
use lentera_domain::request::{RequestEvent, RequestState};
use lentera_domain::submission::RawSubmission;
use lentera_domain::{Channel, RequestStatus};
use lentera_store::StoreError;
use lentera_store::requests::{self, NewApplicant, NewRequest, Numbering};
use serde::Deserialize;
use uuid::Uuid;

use super::parse_date;
use crate::auth::OfficerCtx;
use crate::crypto::{normalize_code, tracking_code};
use crate::views::Receipt;
use crate::{App, AppError, BodyEntry};

/// What an officer entering a walk-in, postal, phone or e-mail request adds.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Intake {
    pub received_on: Option<String>,
    pub channel: Option<String>,
}

impl App {
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
        let request_id = Uuid::now_v7();
        let mut received = self.event_row(&event, officer)?;
        received.letters = crate::letters::calls(
            &lentera_domain::letters::for_request_event(&event),
            ("request", request_id),
            body.row.id,
            today,
        );
        // Mail only when there is somewhere to send it (the sender checks again).
        if sub
            .applicant
            .email
            .as_deref()
            .is_some_and(|e| !e.trim().is_empty())
        {
            received.mails = crate::mail::call(
                lentera_domain::mail::for_request_event(&event),
                ("request", request_id),
                body.row.id,
            );
        }
        let mut events = vec![received];
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
            id: request_id,
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
                        self.tracking.remember_code(key, &code);
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
                .and_then(|k| self.tracking.recent_code(k))
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
}
