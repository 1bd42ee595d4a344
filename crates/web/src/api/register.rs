//! The register, consequence tests, documents, publications and search over the API.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use lentera_app::AppError;
use lentera_app::lentera_search::{self, SearchQuery};
use lentera_app::register::{
    DocOwner, DocumentView, EntryView, PublicationView, PublishDraft, PublishInput, RegisterView,
    TestAction, TestView,
};
use lentera_domain::consequence::RawTest;
use lentera_domain::register::RawEntry;
use lentera_domain::submission::FieldErrors;
use serde::Deserialize;
use serde_json::Value;
use time::Date;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::extract::{Bearer, JsonBody, JsonOrEmpty, MaybeBearer};
use crate::state::AppState;

/// Largest page of search hits.
pub const MAX_SEARCH_LIMIT: usize = 100;

fn parse_id(s: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(s.trim()).map_err(|_| ApiError::not_found())
}

fn number(q: &HashMap<String, String>, key: &str, e: &mut FieldErrors) -> Option<usize> {
    match q.get(key).map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => s
            .parse::<usize>()
            .map_err(|_| e.add(key, "invalid_number"))
            .ok(),
    }
}

/// `GET /api/v1/search?q=…[&body=SLUG][&kind=…][&year=YYYY][&limit=N][&offset=N]`
pub async fn search(
    State(app): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<axum::response::Response> {
    let mut e = FieldErrors::default();
    let limit = number(&q, "limit", &mut e).unwrap_or(10);
    if limit == 0 || limit > MAX_SEARCH_LIMIT {
        e.add("limit", "out_of_range");
    }
    let offset = number(&q, "offset", &mut e).unwrap_or(0);
    if offset > 10_000 {
        e.add("offset", "out_of_range");
    }
    let kind = q
        .get("kind")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    if let Some(k) = &kind
        && !lentera_search::KINDS.contains(&k.as_str())
    {
        e.add("kind", "invalid_choice");
    }
    let year = match q.get("year").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => None,
        Some(y) => match y.parse::<i32>() {
            Ok(y) if (1945..=9999).contains(&y) => Some(y),
            _ => {
                e.add("year", "invalid");
                None
            }
        },
    };
    if !e.is_empty() {
        return Err(AppError::Invalid(e).into());
    }
    let results = app
        .search(SearchQuery {
            q: q.get("q").cloned().unwrap_or_default(),
            body: q
                .get("body")
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty()),
            kind,
            year,
            limit,
            offset,
        })
        .await?;
    // Serialised into a buffer sized for a page of hits: axum's `Json` starts at 128 bytes and
    // grows by copying, seven times for a typical 9 KB answer.
    let mut buf = Vec::with_capacity(16 * 1024);
    serde_json::to_writer(&mut buf, &SearchBody::from(&*results))
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("search response: {e}")))?;
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/json"),
        )],
        buf,
    )
        .into_response())
}

/// The contract's search response, serialised straight from the results (no intermediate
/// `Value` tree: a page of hits is a few kilobytes, serialised thousands of times a second).
#[derive(serde::Serialize)]
struct SearchBody<'a> {
    total: u64,
    total_is_estimate: bool,
    hits: Vec<HitBody<'a>>,
    facets: FacetsBody<'a>,
}

#[derive(serde::Serialize)]
struct HitBody<'a> {
    kind: &'a str,
    title: &'a str,
    url: &'a str,
    snippet: &'a str,
    body: &'a str,
    body_name: &'a str,
    year: i32,
    id: &'a str,
    snippet_html: &'a str,
}

#[derive(serde::Serialize)]
struct FacetsBody<'a> {
    body: Vec<FacetBody<&'a str>>,
    kind: Vec<FacetBody<&'a str>>,
    year: Vec<FacetBody<i32>>,
}

#[derive(serde::Serialize)]
struct FacetBody<T> {
    value: T,
    count: u64,
}

impl<'a> From<&'a lentera_search::SearchResults> for SearchBody<'a> {
    fn from(r: &'a lentera_search::SearchResults) -> Self {
        let named = |counts: &'a [(String, u64)]| {
            counts
                .iter()
                .map(|(k, n)| FacetBody {
                    value: k.as_str(),
                    count: *n,
                })
                .collect()
        };
        SearchBody {
            total: r.total,
            total_is_estimate: r.total_is_estimate,
            hits: r
                .hits
                .iter()
                .map(|h| HitBody {
                    kind: &h.kind,
                    title: &h.title,
                    url: &h.url,
                    snippet: &h.snippet,
                    body: &h.body_slug,
                    body_name: &h.body_name,
                    year: h.year,
                    id: &h.id,
                    snippet_html: &h.snippet_html,
                })
                .collect(),
            facets: FacetsBody {
                body: named(&r.facets.body),
                kind: named(&r.facets.kind),
                year: r
                    .facets
                    .year
                    .iter()
                    .map(|(y, n)| FacetBody {
                        value: *y,
                        count: *n,
                    })
                    .collect(),
            },
        }
    }
}

/// `GET /api/v1/register?body=SLUG`: DIP, DIK and what is still missing.
pub async fn register(
    State(app): State<AppState>,
    MaybeBearer(officer): MaybeBearer,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<RegisterView>> {
    let Some(slug) = q.get("body").map(|s| s.trim()).filter(|s| !s.is_empty()) else {
        return Err(AppError::field("body", "required").into());
    };
    Ok(Json(
        app.information_register(slug, officer.as_ref()).await?,
    ))
}

/// `POST /api/v1/register/entries`
pub async fn create_entry(
    State(app): State<AppState>,
    Bearer(officer): Bearer,
    JsonBody(raw): JsonBody<RawEntry>,
) -> ApiResult<(StatusCode, Json<EntryView>)> {
    Ok((
        StatusCode::CREATED,
        Json(app.create_entry(&officer, &raw).await?),
    ))
}

/// `GET /api/v1/register/entries/{id}`
pub async fn entry(
    State(app): State<AppState>,
    MaybeBearer(officer): MaybeBearer,
    Path(id): Path<String>,
) -> ApiResult<Json<EntryView>> {
    Ok(Json(app.entry(parse_id(&id)?, officer.as_ref()).await?))
}

/// An entry's fields, plus the keys of personal-data findings confirmed as public.
#[derive(Debug, Default, Deserialize)]
pub struct EntryBody {
    #[serde(flatten)]
    pub raw: RawEntry,
    #[serde(default)]
    pub confirmed: Vec<String>,
}

/// `PUT /api/v1/register/entries/{id}`: a published entry's new text passes the personal-data
/// check (`422 publication.personal_data` until each finding is removed or confirmed).
pub async fn update_entry(
    State(app): State<AppState>,
    Bearer(officer): Bearer,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<EntryBody>,
) -> ApiResult<Json<EntryView>> {
    Ok(Json(
        app.update_entry(&officer, parse_id(&id)?, &body.raw, &body.confirmed)
            .await?,
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct ReasonBody {
    pub reason: Option<String>,
    /// For publishing: keys of personal-data findings confirmed as public.
    #[serde(default)]
    pub confirmed: Vec<String>,
}

/// `POST /api/v1/register/entries/{id}/publish|unpublish`
pub async fn entry_publication(
    State(app): State<AppState>,
    Bearer(officer): Bearer,
    Path((id, action)): Path<(String, String)>,
    JsonOrEmpty(body): JsonOrEmpty<ReasonBody>,
) -> ApiResult<Json<EntryView>> {
    let publish = match action.as_str() {
        "publish" => true,
        "unpublish" => false,
        _ => return Err(ApiError::not_found()),
    };
    Ok(Json(
        app.set_entry_published(
            &officer,
            parse_id(&id)?,
            publish,
            body.reason,
            &body.confirmed,
        )
        .await?,
    ))
}

/// `POST /api/v1/consequence-tests`
pub async fn create_consequence_test(
    State(app): State<AppState>,
    Bearer(officer): Bearer,
    JsonBody(raw): JsonBody<RawTest>,
) -> ApiResult<(StatusCode, Json<TestView>)> {
    Ok((
        StatusCode::CREATED,
        Json(app.create_test(&officer, &raw).await?),
    ))
}

/// `GET /api/v1/consequence-tests/{id}`
pub async fn consequence_test(
    State(app): State<AppState>,
    MaybeBearer(officer): MaybeBearer,
    Path(id): Path<String>,
) -> ApiResult<Json<TestView>> {
    Ok(Json(app.test(parse_id(&id)?, officer.as_ref()).await?))
}

#[derive(Debug, Default, Deserialize)]
pub struct TestActionBody {
    pub number: Option<String>,
    pub place: Option<String>,
    pub official: Option<String>,
    pub on: Option<Date>,
    pub keep: Option<bool>,
    pub note: Option<String>,
    pub ruling: Option<String>,
    #[serde(flatten)]
    pub fields: HashMap<String, Value>,
}

/// `POST /api/v1/consequence-tests/{id}/{action}`: amend, submit, decide, review, expire, annul.
pub async fn consequence_test_action(
    State(app): State<AppState>,
    Bearer(officer): Bearer,
    Path((id, action)): Path<(String, String)>,
    JsonOrEmpty(body): JsonOrEmpty<Value>,
) -> ApiResult<Json<TestView>> {
    let id = parse_id(&id)?;
    let parse = |v: Value| -> Result<TestActionBody, ApiError> {
        serde_json::from_value(v).map_err(|e| ApiError::malformed(&e.to_string()))
    };
    let action = match action.as_str() {
        "amend" => {
            let raw: RawTest =
                serde_json::from_value(body).map_err(|e| ApiError::malformed(&e.to_string()))?;
            TestAction::Amend(Box::new(raw))
        }
        "submit" => TestAction::Submit,
        "decide" => {
            let b = parse(body)?;
            TestAction::Decide {
                number: b.number.unwrap_or_default(),
                place: b.place.unwrap_or_default(),
                official: b.official.unwrap_or_default(),
                on: b.on,
            }
        }
        "review" => {
            let b = parse(body)?;
            TestAction::Review {
                keep: b.keep.unwrap_or(true),
                note: b.note.unwrap_or_default(),
            }
        }
        "expire" => TestAction::Expire {
            note: parse(body)?.note.unwrap_or_default(),
        },
        "annul" => TestAction::Annul {
            ruling: parse(body)?.ruling.unwrap_or_default(),
        },
        _ => return Err(ApiError::not_found()),
    };
    Ok(Json(app.act_on_test(&officer, id, action).await?))
}

/// `POST /api/v1/documents?owner=entry:ID|test:ID|request:NUMBER&filename=NAME`, the file as
/// the raw body. Its type is decided by its content, never by the client.
pub async fn upload(
    State(app): State<AppState>,
    Bearer(officer): Bearer,
    Query(q): Query<HashMap<String, String>>,
    bytes: Bytes,
) -> ApiResult<(StatusCode, Json<DocumentView>)> {
    let mut e = FieldErrors::default();
    let owner = match q.get("owner").and_then(|o| o.split_once(':')) {
        Some(("entry", id)) => Uuid::parse_str(id).ok().map(DocOwner::Entry),
        Some(("test", id)) => Uuid::parse_str(id).ok().map(DocOwner::Test),
        Some(("request", n)) if !n.trim().is_empty() => Some(DocOwner::Request(n.to_owned())),
        _ => None,
    };
    if owner.is_none() {
        e.add("owner", "invalid");
    }
    let filename = q.get("filename").cloned().unwrap_or_default();
    if filename.trim().is_empty() {
        e.add("filename", "required");
    }
    let (Some(owner), true) = (owner, e.is_empty()) else {
        return Err(AppError::Invalid(e).into());
    };
    Ok((
        StatusCode::CREATED,
        Json(
            app.upload_document(&officer, owner, &filename, bytes)
                .await?,
        ),
    ))
}

/// `DELETE /api/v1/documents/{id}`
pub async fn remove_document(
    State(app): State<AppState>,
    Bearer(officer): Bearer,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.remove_document(&officer, parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/documents/{id}/check`: the officer confirms, by name, that they checked the
/// document by hand (audited); it then passes the personal-data check.
pub async fn check_document(
    State(app): State<AppState>,
    Bearer(officer): Bearer,
    Path(id): Path<String>,
) -> ApiResult<Json<DocumentView>> {
    Ok(Json(app.check_document(&officer, parse_id(&id)?).await?))
}

/// `GET /api/v1/requests/{number}/publication`: defaults and the personal-data check.
pub async fn publish_draft(
    State(app): State<AppState>,
    Bearer(officer): Bearer,
    Path(number): Path<String>,
) -> ApiResult<Json<PublishDraft>> {
    Ok(Json(app.publish_draft(&officer, &number).await?))
}

/// `POST /api/v1/requests/{number}/publication`
pub async fn publish(
    State(app): State<AppState>,
    Bearer(officer): Bearer,
    Path(number): Path<String>,
    JsonBody(input): JsonBody<PublishInput>,
) -> ApiResult<(StatusCode, Json<PublicationView>)> {
    Ok((
        StatusCode::CREATED,
        Json(app.publish_answer(&officer, &number, &input).await?),
    ))
}

/// `GET /api/v1/publications[?body=SLUG][&limit=N]`
pub async fn publications(
    State(app): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Vec<PublicationView>>> {
    let mut e = FieldErrors::default();
    let limit = number(&q, "limit", &mut e).unwrap_or(20).min(200);
    if !e.is_empty() {
        return Err(AppError::Invalid(e).into());
    }
    let slug = q.get("body").map(|s| s.trim()).filter(|s| !s.is_empty());
    Ok(Json(
        app.recent_publications(slug, i64::try_from(limit).unwrap_or(20))
            .await?,
    ))
}

/// `GET /api/v1/publications/{id}`
pub async fn publication(
    State(app): State<AppState>,
    MaybeBearer(officer): MaybeBearer,
    Path(id): Path<String>,
) -> ApiResult<Json<PublicationView>> {
    Ok(Json(
        app.publication(parse_id(&id)?, officer.as_ref()).await?,
    ))
}

/// `POST /api/v1/publications/{id}/unpublish` `{"reason"}`
pub async fn unpublish(
    State(app): State<AppState>,
    Bearer(officer): Bearer,
    Path(id): Path<String>,
    JsonOrEmpty(body): JsonOrEmpty<ReasonBody>,
) -> ApiResult<Json<PublicationView>> {
    Ok(Json(
        app.unpublish(
            &officer,
            parse_id(&id)?,
            body.reason.as_deref().unwrap_or(""),
        )
        .await?,
    ))
}
