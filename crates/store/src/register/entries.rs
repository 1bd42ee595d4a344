//! DIP entries: the projection of an entry's log, the Perki tables read from it.

use sqlx::FromRow;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::{Aggregate, EVENT, OUTBOX, OUTBOX_LOCK};
use crate::requests::NewEvent;
use crate::{Db, StoreError, with_conn};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct EntryRow {
    pub id: Uuid,
    pub body_id: Uuid,
    pub unit_id: Option<Uuid>,
    pub kind: String,
    pub title: String,
    pub year: i64,
    pub checklist: Option<String>,
    pub published: bool,
    pub published_on: Option<Date>,
    pub updated_on: Date,
    pub state: String,
    pub event_count: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

macro_rules! entry_columns {
    () => {
        "id, body_id, unit_id, kind, title, year, checklist, published, published_on, updated_on, state, event_count, created_at, updated_at"
    };
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryProjection {
    pub unit_id: Option<Uuid>,
    pub kind: String,
    pub title: String,
    pub year: i64,
    pub checklist: Option<String>,
    pub published: bool,
    pub published_on: Option<Date>,
    pub updated_on: Date,
    pub state: String,
}

pub async fn create_entry(
    db: &Db,
    id: Uuid,
    body_id: Uuid,
    p: &EntryProjection,
    event: &NewEvent,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO register_entries (id, body_id, unit_id, kind, title, year, checklist, published, published_on, updated_on, \
                       state, event_count, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $12)";
    create!(
        db,
        SQL,
        [
            id,
            body_id,
            p.unit_id,
            &p.kind,
            &p.title,
            p.year,
            &p.checklist,
            p.published,
            p.published_on,
            p.updated_on,
            &p.state,
            event.at,
        ],
        Aggregate::Entry,
        id,
        event,
        &[]
    )
}

/// Appends event `expected + 1` to an entry; `reindex` when the public may see a difference.
pub async fn append_entry(
    db: &Db,
    id: Uuid,
    expected: i64,
    event: &NewEvent,
    p: &EntryProjection,
    reindex: bool,
) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE register_entries SET unit_id = $3, kind = $4, title = $5, year = $6, checklist = $7, published = $8, \
                       published_on = $9, updated_on = $10, state = $11, event_count = event_count + 1, updated_at = $12 \
                       WHERE id = $1 AND event_count = $2";
    let outbox: Vec<(Aggregate, Uuid)> = if reindex {
        vec![(Aggregate::Entry, id)]
    } else {
        Vec::new()
    };
    guarded_append!(
        db,
        SQL,
        [
            id,
            expected,
            p.unit_id,
            &p.kind,
            &p.title,
            p.year,
            &p.checklist,
            p.published,
            p.published_on,
            p.updated_on,
            &p.state,
            event.at,
        ],
        Aggregate::Entry,
        id,
        expected,
        event,
        &outbox
    )
}
pub async fn get_entry(db: &Db, id: Uuid) -> Result<EntryRow, StoreError> {
    let sql = concat!(
        "SELECT ",
        entry_columns!(),
        " FROM register_entries WHERE id = $1"
    );
    Ok(with_conn!(db.read(), |pool| {
        sqlx::query_as::<_, EntryRow>(sql)
            .bind(id)
            .fetch_one(pool)
            .await
    })?)
}

/// Entries of a body (and its units), ordered for the Perki tables.
pub async fn entries_for_body(
    db: &Db,
    body_id: Uuid,
    published_only: bool,
) -> Result<Vec<EntryRow>, StoreError> {
    let sql = concat!(
        "SELECT ",
        entry_columns!(),
        " FROM register_entries WHERE body_id = $1 AND (published OR NOT $2) ORDER BY kind, year DESC, title"
    );
    Ok(with_conn!(db.read(), |pool| {
        sqlx::query_as::<_, EntryRow>(sql)
            .bind(body_id)
            .bind(published_only)
            .fetch_all(pool)
            .await
    })?)
}

pub async fn published_entry_ids(db: &Db) -> Result<Vec<Uuid>, StoreError> {
    const SQL: &str = "SELECT id FROM register_entries WHERE published ORDER BY id";
    Ok(with_conn!(db.read(), |pool| sqlx::query_scalar(SQL)
        .fetch_all(pool)
        .await)?)
}
