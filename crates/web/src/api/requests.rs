//! Requests: submission, tracking, withdrawal and the officer's actions.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use lentera_app::AppError;
use lentera_app::requests::{CaseQuery, DecisionInput, Intake, OfficerAction};
use lentera_app::views::{CaseDetail, CaseView, RequestView};
use lentera_domain::submission::{FieldErrors, RawApplicant, RawSubmission};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::error::{ApiError, ApiResult};
use crate::extract::{Bearer, JsonBody, JsonOrEmpty, MaybeBearer};
use crate::state::AppState;

fn text_field(
    obj: &Map<String, Value>,
    key: &str,
    path: &str,
    errors: &mut FieldErrors,
) -> Option<String> {
    match obj.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        // Numbers typed without quotes (NIK, phone) are still what the requester meant.
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => {
            errors.add(path, "invalid_type");
            None
        }
    }
}

/// Reads the submission leniently so that a wrong type is a 422 on that field, not a 400.
fn submission_from_json(v: &Value) -> (RawSubmission, Intake, FieldErrors) {
    let mut e = FieldErrors::default();
    let empty = Map::new();
    let obj = match v {
        Value::Object(m) => m,
        _ => {
            e.add("body", "required");
            &empty
        }
    };
    let applicant = match obj.get("applicant") {
        None | Some(Value::Null) => None,
        Some(Value::Object(a)) => Some(RawApplicant {
            kind: text_field(a, "kind", "applicant.kind", &mut e),
            name: text_field(a, "name", "applicant.name", &mut e),
            id_number: text_field(a, "id_number", "applicant.id_number", &mut e),
            email: text_field(a, "email", "applicant.email", &mut e),
            phone: text_field(a, "phone", "applicant.phone", &mut e),
            address: text_field(a, "address", "applicant.address", &mut e),
            occupation: text_field(a, "occupation", "applicant.occupation", &mut e),
        }),
        Some(_) => {
            e.add("applicant", "invalid_type");
            Some(RawApplicant::default())
        }
    };
    let raw = RawSubmission {
        body: text_field(obj, "body", "body", &mut e),
        applicant,
        information: text_field(obj, "information", "information", &mut e),
        purpose: text_field(obj, "purpose", "purpose", &mut e),
        obtain: text_field(obj, "obtain", "obtain", &mut e),
        delivery: text_field(obj, "delivery", "delivery", &mut e),
    };
    let intake = Intake {
        received_on: text_field(obj, "received_on", "received_on", &mut e),
        channel: text_field(obj, "channel", "channel", &mut e),
    };
    (raw, intake, e)
}

pub async fn submit(
    State(app): State<AppState>,
    crate::limiter::ClientIp(ip): crate::limiter::ClientIp,
    MaybeBearer(officer): MaybeBearer,
    headers: HeaderMap,
    JsonBody(body): JsonBody<Value>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    // Officers entering paper requests are accountable by name; the public has a volume brake.
    if officer.is_none() && !app.submission_admitted(ip).await {
        return Err(ApiError::too_many_submissions());
    }
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(200).collect::<String>())
        .filter(|s| !s.is_empty());
    let (raw, intake, mut type_errors) = submission_from_json(&body);
    if !type_errors.is_empty() {
        if let Err(more) = raw.validate() {
            for (field, codes) in more.0 {
                if !type_errors.has(&field) {
                    for c in codes {
                        type_errors.add(&field, c);
                    }
                }
            }
        }
        return Err(AppError::Invalid(type_errors).into());
    }
    let receipt = app
        .submit(&raw, Some(&intake), officer.as_ref(), key)
        .await?;
    let status = if receipt.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(serde_json::to_value(&receipt).map_err(|_| ApiError::not_found())?),
    ))
}

fn code_of(q: &HashMap<String, String>) -> &str {
    q.get("code").map_or("", String::as_str)
}

pub async fn track(
    State(app): State<AppState>,
    crate::limiter::ClientIp(ip): crate::limiter::ClientIp,
    Path(number): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<RequestView>> {
    if !app.guess_allowed(ip).await {
        return Err(ApiError::too_many());
    }
    let r = app.track(&number, code_of(&q)).await;
    if matches!(r, Err(AppError::NotFound(_))) {
        app.guess_failed(ip).await;
    }
    Ok(Json(r?))
}

/// `GET /api/v1/requests/{number}/letters?code=…`: the letters of the request and of its
/// objections, for the requester (tracking code) or an officer of the body (bearer token).
pub async fn letters(
    State(app): State<AppState>,
    crate::limiter::ClientIp(ip): crate::limiter::ClientIp,
    MaybeBearer(officer): MaybeBearer,
    Path(number): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Vec<lentera_app::letters::LetterView>>> {
    if let (Some(officer), None) = (officer, q.get("code")) {
        return Ok(Json(app.letters_for_officer(&officer, &number).await?.0));
    }
    if !app.guess_allowed(ip).await {
        return Err(ApiError::too_many());
    }
    let r = app.letters_of_tracked(&number, code_of(&q)).await;
    if matches!(r, Err(AppError::NotFound(_))) {
        app.guess_failed(ip).await;
    }
    Ok(Json(r?))
}

#[derive(Debug, Default, Deserialize)]
pub struct ReasonBody {
    pub reason: Option<String>,
}

pub async fn withdraw(
    State(app): State<AppState>,
    crate::limiter::ClientIp(ip): crate::limiter::ClientIp,
    Path(number): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    JsonOrEmpty(body): JsonOrEmpty<ReasonBody>,
) -> ApiResult<Json<RequestView>> {
    if !app.guess_allowed(ip).await {
        return Err(ApiError::too_many());
    }
    let r = app.withdraw(&number, code_of(&q), body.reason).await;
    if matches!(r, Err(AppError::NotFound(_))) {
        app.guess_failed(ip).await;
    }
    Ok(Json(r?))
}

pub async fn cases(
    State(app): State<AppState>,
    Bearer(officer): Bearer,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Vec<CaseView>>> {
    let parse_i64 = |k: &str| q.get(k).and_then(|v| v.parse::<i64>().ok());
    let query = CaseQuery {
        statuses: q.get("status").map(|s| {
            s.split(',')
                .map(|x| x.trim().to_owned())
                .filter(|x| !x.is_empty())
                .collect()
        }),
        body: q.get("body").cloned(),
        unit: q.get("unit").cloned(),
        limit: parse_i64("limit"),
        offset: parse_i64("offset"),
    };
    Ok(Json(app.cases(&officer, &query).await?))
}

pub async fn case_detail(
    State(app): State<AppState>,
    Bearer(officer): Bearer,
    Path(number): Path<String>,
) -> ApiResult<Json<CaseDetail>> {
    Ok(Json(app.case_detail(&officer, &number).await?))
}

pub async fn reveal_identity(
    State(app): State<AppState>,
    Bearer(officer): Bearer,
    Path(number): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        json!({"id_number": app.reveal_identity(&officer, &number).await?}),
    ))
}

async fn act(
    app: &AppState,
    officer: &Bearer,
    number: &str,
    action: OfficerAction,
) -> ApiResult<Json<RequestView>> {
    Ok(Json(app.act(&officer.0, number, action).await?))
}

pub async fn extend(
    State(app): State<AppState>,
    officer: Bearer,
    Path(number): Path<String>,
    JsonBody(body): JsonBody<ReasonBody>,
) -> ApiResult<Json<RequestView>> {
    act(
        &app,
        &officer,
        &number,
        OfficerAction::Extend {
            reason: body.reason.unwrap_or_default(),
        },
    )
    .await
}

pub async fn decide(
    State(app): State<AppState>,
    officer: Bearer,
    Path(number): Path<String>,
    JsonBody(body): JsonBody<DecisionInput>,
) -> ApiResult<Json<RequestView>> {
    act(
        &app,
        &officer,
        &number,
        OfficerAction::Decide(Box::new(body)),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct ActionBody {
    pub note: Option<String>,
    pub reason: Option<String>,
    pub unit: Option<String>,
    pub amount_idr: Option<u64>,
    pub method: Option<String>,
}

/// `POST /api/v1/requests/{number}/{action}` for the lifecycle steps beyond the contract's two.
pub async fn action(
    State(app): State<AppState>,
    officer: Bearer,
    Path((number, name)): Path<(String, String)>,
    JsonOrEmpty(b): JsonOrEmpty<ActionBody>,
) -> ApiResult<Json<RequestView>> {
    let text = |v: Option<String>| v.unwrap_or_default();
    let action = match name.as_str() {
        "verify" => OfficerAction::Verify,
        "incomplete" => OfficerAction::MarkIncomplete {
            note: text(b.note.or(b.reason)),
        },
        "route" => OfficerAction::Route { unit: text(b.unit) },
        "payment" => OfficerAction::RequestPayment {
            amount_idr: b.amount_idr.unwrap_or(0),
            method: b.method,
        },
        "delivery" => OfficerAction::Deliver { note: b.note },
        "close" => OfficerAction::Close { note: b.note },
        "not-processable" => OfficerAction::NotProcessable {
            reason: text(b.reason.or(b.note)),
        },
        _ => return Err(ApiError::not_found()),
    };
    act(&app, &officer, &number, action).await
}
