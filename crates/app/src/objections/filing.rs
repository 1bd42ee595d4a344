//! Filing an objection: the grounds a request allows, by the applicant or an officer.

use lentera_domain::access::Action;
use lentera_domain::numbering::NumberPattern;
use lentera_domain::objection::{self, Ground, ObjectionEvent, ObjectionState, ObjectionStatus};
use lentera_domain::submission::FieldErrors;
use lentera_store::StoreError;
use lentera_store::objections::{self, NewObjection};
use lentera_store::requests;
use uuid::Uuid;

use super::views::ObjectionReceipt;
use crate::auth::OfficerCtx;
use crate::crypto::{normalize_code, tracking_code};
use crate::{App, AppError};

fn grounds_key(g: &[Ground]) -> String {
    g.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(",")
}

impl App {
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
        let objection_id = Uuid::now_v7();
        let mut filed = self.objection_event_row(
            event.kind(),
            serde_json::to_string(&event).map_err(|e| AppError::Unexpected(e.into()))?,
            officer,
        );
        filed.letters = crate::letters::calls(
            &lentera_domain::letters::for_objection_event(&event),
            ("objection", objection_id),
            body.row.id,
            today,
        );
        filed.mails = crate::mail::call(
            lentera_domain::mail::for_objection_event(&event),
            ("objection", objection_id),
            body.row.id,
        );
        let new = NewObjection {
            id: objection_id,
            request_id: row.id,
            body_id: body.row.id,
            tracking_hash,
            grounds: grounds_key(&chosen),
            reason: reason.trim().to_owned(),
            received_on: today,
            late,
            projection: self.objection_projection(&s, &body)?,
            event: filed,
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
}
