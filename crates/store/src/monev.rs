//! The self-assessment (monev/SAQ): edited questionnaires per year, and each body's answers for
//! a year as an append-only log (`monev_events`) with its projection (`monev_assessments`)
//! rewritten in the same transaction, guarded by the event count like the other logs.

use crate::db::BeginWrite;
use sqlx::FromRow;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::requests::NewEvent;
use crate::{Db, StoreError, with_conn};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct QuestionnaireRow {
    pub year: i64,
    pub data: String,
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct AssessmentRow {
    pub body_id: Uuid,
    pub year: i64,
    pub state: String,
    pub event_count: i64,
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct MonevEventRow {
    pub id: Uuid,
    pub seq: i64,
    pub at: OffsetDateTime,
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    pub kind: String,
    pub data: String,
}

pub async fn questionnaire(db: &Db, year: i64) -> Result<Option<QuestionnaireRow>, StoreError> {
    const SQL: &str = "SELECT year, data, updated_at FROM monev_questionnaires WHERE year = $1";
    Ok(with_conn!(db.read(), |pool| {
        sqlx::query_as::<_, QuestionnaireRow>(SQL)
            .bind(year)
            .fetch_optional(pool)
            .await
    })?)
}

/// Stores (or replaces) the questionnaire of a year.
pub async fn put_questionnaire(
    db: &Db,
    year: i64,
    data: &str,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO monev_questionnaires (year, data, updated_at) VALUES ($1, $2, $3) \
                       ON CONFLICT (year) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at";
    with_conn!(db.write(), |pool| {
        sqlx::query(SQL)
            .bind(year)
            .bind(data)
            .bind(at)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

pub async fn assessment(
    db: &Db,
    body_id: Uuid,
    year: i64,
) -> Result<Option<AssessmentRow>, StoreError> {
    const SQL: &str = "SELECT body_id, year, state, event_count, updated_at FROM monev_assessments \
                       WHERE body_id = $1 AND year = $2";
    Ok(with_conn!(db.read(), |pool| {
        sqlx::query_as::<_, AssessmentRow>(SQL)
            .bind(body_id)
            .bind(year)
            .fetch_optional(pool)
            .await
    })?)
}

pub async fn events(db: &Db, body_id: Uuid, year: i64) -> Result<Vec<MonevEventRow>, StoreError> {
    const SQL: &str = "SELECT id, seq, at, actor_kind, actor_id, kind, data FROM monev_events \
                       WHERE body_id = $1 AND year = $2 ORDER BY seq";
    Ok(with_conn!(db.read(), |pool| {
        sqlx::query_as::<_, MonevEventRow>(SQL)
            .bind(body_id)
            .bind(year)
            .fetch_all(pool)
            .await
    })?)
}

/// Appends event `expected + 1` of a body's assessment for a year and rewrites the projection
/// to `state`. A stale writer (the log no longer has `expected` events) gets a conflict.
pub async fn append(
    db: &Db,
    body_id: Uuid,
    year: i64,
    expected: i64,
    event: &NewEvent,
    state: &str,
) -> Result<(), StoreError> {
    const CREATE: &str = "INSERT INTO monev_assessments (body_id, year, state, event_count, updated_at) \
                          VALUES ($1, $2, $3, 1, $4)";
    const UPDATE: &str = "UPDATE monev_assessments SET state = $4, event_count = event_count + 1, updated_at = $5 \
                          WHERE body_id = $1 AND year = $2 AND event_count = $3";
    const EVENT: &str = "INSERT INTO monev_events (id, body_id, year, seq, at, actor_kind, actor_id, kind, data) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    let done: Result<bool, sqlx::Error> = with_conn!(db.write(), |pool| async {
        let mut tx = pool.begin_write().await?;
        let n = if expected == 0 {
            sqlx::query(CREATE)
                .bind(body_id)
                .bind(year)
                .bind(state)
                .bind(event.at)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        } else {
            sqlx::query(UPDATE)
                .bind(body_id)
                .bind(year)
                .bind(expected)
                .bind(state)
                .bind(event.at)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        };
        if n != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query(EVENT)
            .bind(event.id)
            .bind(body_id)
            .bind(year)
            .bind(expected + 1)
            .bind(event.at)
            .bind(&event.actor_kind)
            .bind(event.actor_id)
            .bind(&event.kind)
            .bind(&event.data)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }
    .await);
    if done? {
        Ok(())
    } else {
        Err(StoreError::Conflict("changed concurrently".into()))
    }
}
