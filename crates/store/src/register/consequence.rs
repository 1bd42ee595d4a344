//! Consequence tests (*uji konsekuensi*): the projection of a test's log, and the reads of the
//! DIK and of an entry's tests.

use sqlx::FromRow;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::{Aggregate, EVENT, OUTBOX, OUTBOX_LOCK};
use crate::requests::NewEvent;
use crate::{Db, StoreError, with_conn};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct TestRow {
    pub id: Uuid,
    pub body_id: Uuid,
    pub entry_id: Option<Uuid>,
    pub number: Option<String>,
    pub status: String,
    pub decided_on: Option<Date>,
    pub until_on: Option<Date>,
    pub review_due: Option<Date>,
    pub grounds: String,
    pub information: String,
    pub state: String,
    pub event_count: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

macro_rules! test_columns {
    () => {
        "id, body_id, entry_id, number, status, decided_on, until_on, review_due, grounds, information, state, event_count, created_at, updated_at"
    };
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestProjection {
    pub entry_id: Option<Uuid>,
    pub number: Option<String>,
    pub status: String,
    pub decided_on: Option<Date>,
    pub until_on: Option<Date>,
    pub review_due: Option<Date>,
    pub grounds: String,
    pub information: String,
    pub state: String,
}

pub async fn create_test(
    db: &Db,
    id: Uuid,
    body_id: Uuid,
    p: &TestProjection,
    event: &NewEvent,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO consequence_tests (id, body_id, entry_id, number, status, decided_on, until_on, review_due, grounds, \
                       information, state, event_count, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $12)";
    create!(
        db,
        SQL,
        [
            id,
            body_id,
            p.entry_id,
            &p.number,
            &p.status,
            p.decided_on,
            p.until_on,
            p.review_due,
            &p.grounds,
            &p.information,
            &p.state,
            event.at,
        ],
        Aggregate::Test,
        id,
        event,
        &[]
    )
}

/// Appends a test event. A test in or out of force changes the DIK and may hide or show the
/// entry it closes, so both go to the outbox.
pub async fn append_test(
    db: &Db,
    id: Uuid,
    expected: i64,
    event: &NewEvent,
    p: &TestProjection,
) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE consequence_tests SET entry_id = $3, number = $4, status = $5, decided_on = $6, until_on = $7, review_due = $8, \
                       grounds = $9, information = $10, state = $11, event_count = event_count + 1, updated_at = $12 \
                       WHERE id = $1 AND event_count = $2";
    let mut outbox = vec![(Aggregate::Test, id)];
    if let Some(e) = p.entry_id {
        outbox.push((Aggregate::Entry, e));
    }
    guarded_append!(
        db,
        SQL,
        [
            id,
            expected,
            p.entry_id,
            &p.number,
            &p.status,
            p.decided_on,
            p.until_on,
            p.review_due,
            &p.grounds,
            &p.information,
            &p.state,
            event.at,
        ],
        Aggregate::Test,
        id,
        expected,
        event,
        &outbox
    )
}

pub async fn get_test(db: &Db, id: Uuid) -> Result<TestRow, StoreError> {
    let sql = concat!(
        "SELECT ",
        test_columns!(),
        " FROM consequence_tests WHERE id = $1"
    );
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<_, TestRow>(
        sql
    )
    .bind(id)
    .fetch_one(pool)
    .await)?)
}

pub async fn get_test_by_number(
    db: &Db,
    body_id: Uuid,
    number: &str,
) -> Result<TestRow, StoreError> {
    let sql = concat!(
        "SELECT ",
        test_columns!(),
        " FROM consequence_tests WHERE body_id = $1 AND number = $2"
    );
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<_, TestRow>(
        sql
    )
    .bind(body_id)
    .bind(number)
    .fetch_one(pool)
    .await)?)
}

pub async fn tests_for_body(db: &Db, body_id: Uuid) -> Result<Vec<TestRow>, StoreError> {
    let sql = concat!(
        "SELECT ",
        test_columns!(),
        " FROM consequence_tests WHERE body_id = $1 ORDER BY decided_on DESC, created_at DESC"
    );
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<_, TestRow>(
        sql
    )
    .bind(body_id)
    .fetch_all(pool)
    .await)?)
}

/// Tests that close a given entry, any status.
pub async fn tests_for_entry(db: &Db, entry_id: Uuid) -> Result<Vec<TestRow>, StoreError> {
    let sql = concat!(
        "SELECT ",
        test_columns!(),
        " FROM consequence_tests WHERE entry_id = $1"
    );
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<_, TestRow>(
        sql
    )
    .bind(entry_id)
    .fetch_all(pool)
    .await)?)
}

pub async fn decided_test_ids(db: &Db) -> Result<Vec<Uuid>, StoreError> {
    const SQL: &str = "SELECT id FROM consequence_tests WHERE status = 'decided' ORDER BY id";
    Ok(with_conn!(db.read(), |pool| sqlx::query_scalar(SQL)
        .fetch_all(pool)
        .await)?)
}
