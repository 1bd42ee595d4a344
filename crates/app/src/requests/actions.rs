//! Officer actions on a request (verify, route, extend, decide, ask for the fee, deliver,
//! close) and revealing the applicant's identity number.

use lentera_domain::access::Action;
use lentera_domain::request::{
    Decision, Fee, Redaction, RequestEvent, RequestState, WrittenNotice,
};
use lentera_domain::submission::FieldErrors;
use lentera_domain::{ExemptionGround, Outcome};
use lentera_store::StoreError;
use lentera_store::requests;
use serde::Deserialize;
use time::Date;

use super::{BACKDATING, NOT_FOUND, parse_date};
use crate::auth::OfficerCtx;
use crate::views::RequestView;
use crate::{App, AppError, BodyEntry};

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

impl App {
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
    pub(super) async fn cite_consequence_test(
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

    pub(super) fn decision(
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
}
fn required(field: &'static str, value: String) -> Result<String, AppError> {
    let v = value.trim();
    if v.is_empty() {
        Err(AppError::field(field, "required"))
    } else {
        Ok(v.to_owned())
    }
}
