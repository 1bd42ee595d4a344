//! Objections and disputes: event logs with projections, as for requests. The request's own log
//! gets a `reopened` event in the same transaction when an upheld objection sends it back.

use crate::db::BeginWrite;
use sqlx::FromRow;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::requests::{EventRow, NewEvent, Projection};
use crate::{Db, StoreError, with_conn};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct ObjectionRow {
    pub id: Uuid,
    pub number: String,
    pub request_id: Uuid,
    pub body_id: Uuid,
    pub tracking_hash: String,
    pub grounds: String,
    pub reason: String,
    pub status: String,
    pub received_on: Date,
    pub answer_due_on: Option<Date>,
    pub outcome: Option<String>,
    pub decided_on: Option<Date>,
    pub late: bool,
    pub state: String,
    pub event_count: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

macro_rules! objection_columns {
    () => {
        "id, number, request_id, body_id, tracking_hash, grounds, reason, status, received_on, answer_due_on, outcome, decided_on, late, state, event_count, created_at, updated_at"
    };
}

/// What changes in the objection projection with each event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectionProjection {
    pub status: String,
    pub answer_due_on: Option<Date>,
    pub outcome: Option<String>,
    pub decided_on: Option<Date>,
    pub state: String,
}

#[derive(Debug, Clone)]
pub struct NewObjection {
    pub id: Uuid,
    pub request_id: Uuid,
    pub body_id: Uuid,
    pub tracking_hash: String,
    /// Sorted letters, comma-separated: the key that makes a repeated filing one objection.
    pub grounds: String,
    pub reason: String,
    pub received_on: Date,
    pub late: bool,
    pub projection: ObjectionProjection,
    pub event: NewEvent,
    pub now: OffsetDateTime,
}

/// Stores a new objection, numbered from the body's yearly counter. If the same request already
/// has an objection on the same grounds, nothing is stored and that one's number is returned
/// with `false`.
pub async fn create(
    db: &Db,
    o: &NewObjection,
    numbering: &crate::requests::Numbering,
) -> Result<(String, bool), StoreError> {
    const EXISTING: &str = "SELECT number FROM objections WHERE request_id = $1 AND grounds = $2";
    const NEXT: &str = "INSERT INTO counters (scope, year, value) VALUES ($1, $2, 1) \
                        ON CONFLICT (scope, year) DO UPDATE SET value = counters.value + 1 RETURNING value";
    const INSERT: &str = "INSERT INTO objections (id, number, request_id, body_id, tracking_hash, grounds, reason, status, received_on, answer_due_on, \
                          outcome, decided_on, late, state, event_count, created_at, updated_at) \
                          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1, $15, $15)";
    let existing: Option<String> = with_conn!(db.write(), |pool| sqlx::query_scalar(EXISTING)
        .bind(o.request_id)
        .bind(&o.grounds)
        .fetch_optional(pool)
        .await)?;
    if let Some(n) = existing {
        return Ok((n, false));
    }
    let p = &o.projection;
    let e = &o.event;
    let result: Result<String, sqlx::Error> = with_conn!(db.write(), |pool| {
        async {
            let mut tx = pool.begin_write().await?;
            let seq: i64 = sqlx::query_scalar(NEXT)
                .bind(&numbering.scope)
                .bind(i64::from(numbering.pattern.year()))
                .fetch_one(&mut *tx)
                .await?;
            let number = numbering.pattern.format(seq);
            sqlx::query(INSERT)
                .bind(o.id)
                .bind(&number)
                .bind(o.request_id)
                .bind(o.body_id)
                .bind(&o.tracking_hash)
                .bind(&o.grounds)
                .bind(&o.reason)
                .bind(&p.status)
                .bind(o.received_on)
                .bind(p.answer_due_on)
                .bind(&p.outcome)
                .bind(p.decided_on)
                .bind(o.late)
                .bind(&p.state)
                .bind(o.now)
                .execute(&mut *tx)
                .await?;
            crate::events::insert!(crate::events::OBJECTION, o.id, 1_i64, e, &mut *tx).await?;
            tx.commit().await?;
            Ok(number)
        }
        .await
    });
    match result.map_err(StoreError::from) {
        Ok(n) => Ok((n, true)),
        Err(StoreError::Conflict(_)) => {
            let n: Option<String> = with_conn!(db.write(), |pool| sqlx::query_scalar(EXISTING)
                .bind(o.request_id)
                .bind(&o.grounds)
                .fetch_optional(pool)
                .await)?;
            n.map(|n| (n, false))
                .ok_or_else(|| StoreError::Conflict("objection".into()))
        }
        Err(e) => Err(e),
    }
}

pub async fn get_by_id(db: &Db, id: Uuid) -> Result<ObjectionRow, StoreError> {
    let sql = concat!(
        "SELECT ",
        objection_columns!(),
        " FROM objections WHERE id = $1"
    );
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<
        _,
        ObjectionRow,
    >(sql)
    .bind(id)
    .fetch_one(pool)
    .await)?)
}

pub async fn get_by_number(db: &Db, number: &str) -> Result<ObjectionRow, StoreError> {
    let sql = concat!(
        "SELECT ",
        objection_columns!(),
        " FROM objections WHERE number = $1"
    );
    Ok(with_conn!(db.write(), |pool| sqlx::query_as::<
        _,
        ObjectionRow,
    >(sql)
    .bind(number)
    .fetch_one(pool)
    .await)?)
}

pub async fn for_request(db: &Db, request_id: Uuid) -> Result<Vec<ObjectionRow>, StoreError> {
    let sql = concat!(
        "SELECT ",
        objection_columns!(),
        " FROM objections WHERE request_id = $1 ORDER BY received_on, number"
    );
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<
        _,
        ObjectionRow,
    >(sql)
    .bind(request_id)
    .fetch_all(pool)
    .await)?)
}

/// A body's objections, soonest answer due first (the *atasan PPID*'s queue and the register).
pub async fn for_body(db: &Db, body_id: Uuid, limit: i64) -> Result<Vec<ObjectionRow>, StoreError> {
    let sql = concat!(
        "SELECT ",
        objection_columns!(),
        " FROM objections WHERE body_id = $1 ORDER BY CASE WHEN status IN ('received', 'in_review') THEN 0 ELSE 1 END, answer_due_on, number LIMIT $2"
    );
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<
        _,
        ObjectionRow,
    >(sql)
    .bind(body_id)
    .bind(limit)
    .fetch_all(pool)
    .await)?)
}

pub async fn events(db: &Db, objection_id: Uuid) -> Result<Vec<EventRow>, StoreError> {
    const SQL: &str = "SELECT id, objection_id AS request_id, seq, at, actor_kind, actor_id, kind, data FROM objection_events WHERE objection_id = $1 ORDER BY seq";
    Ok(with_conn!(db.write(), |pool| {
        sqlx::query_as::<_, EventRow>(SQL)
            .bind(objection_id)
            .fetch_all(pool)
            .await
    })?)
}

/// A request event to append together with an objection event (the reopening of the request).
#[derive(Debug, Clone)]
pub struct LinkedRequestEvent {
    pub request_id: Uuid,
    pub expected_count: i64,
    pub event: NewEvent,
    pub projection: Projection,
}

/// `then_append!(tx, rows, LOG, parent, seq, event)`, after a projection update guarded by its
/// event count: when it touched no row (another writer came first) rolls back and makes the
/// enclosing transaction block return `Ok(false)`; otherwise appends `event` as number `seq` of
/// the log.
macro_rules! then_append {
    ($tx:ident, $rows:expr, $log:expr, $parent:expr, $seq:expr, $event:expr) => {
        if $rows != 1 {
            $tx.rollback().await?;
            return Ok(false);
        }
        crate::events::insert!($log, $parent, $seq, $event, &mut *$tx).await?;
    };
}

/// The result of a transaction block that says whether its guarded updates all applied.
fn committed(done: Result<bool, sqlx::Error>) -> Result<(), StoreError> {
    if done? {
        Ok(())
    } else {
        Err(StoreError::Conflict("changed concurrently".into()))
    }
}

/// Appends objection event `expected + 1`, rewrites its projection, and, when given, appends the
/// linked request event — all in one transaction, each guarded by its expected event count.
pub async fn append(
    db: &Db,
    objection_id: Uuid,
    expected: i64,
    event: &NewEvent,
    p: &ObjectionProjection,
    linked: Option<&LinkedRequestEvent>,
) -> Result<(), StoreError> {
    let done: Result<bool, sqlx::Error> = with_conn!(db.write(), |pool| {
        async {
            let mut tx = pool.begin_write().await?;
            let n =
                crate::events::project_objection!(objection_id, expected, p, event.at, &mut *tx)
                    .await?
                    .rows_affected();
            then_append!(
                tx,
                n,
                crate::events::OBJECTION,
                objection_id,
                expected + 1,
                event
            );
            if let Some(l) = linked {
                let rp = &l.projection;
                let n = crate::events::project_request!(
                    l.request_id,
                    l.expected_count,
                    rp,
                    l.event.at,
                    &mut *tx
                )
                .await?
                .rows_affected();
                then_append!(
                    tx,
                    n,
                    crate::events::REQUEST,
                    l.request_id,
                    l.expected_count + 1,
                    &l.event
                );
            }
            tx.commit().await?;
            Ok(true)
        }
        .await
    });
    committed(done)
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct DisputeRow {
    pub id: Uuid,
    pub objection_id: Uuid,
    pub body_id: Uuid,
    pub status: String,
    pub filed_on: Date,
    pub state: String,
    pub event_count: i64,
}

pub async fn dispute_for(db: &Db, objection_id: Uuid) -> Result<Option<DisputeRow>, StoreError> {
    const SQL: &str = "SELECT id, objection_id, body_id, status, filed_on, state, event_count FROM disputes WHERE objection_id = $1";
    Ok(with_conn!(db.write(), |pool| sqlx::query_as::<
        _,
        DisputeRow,
    >(SQL)
    .bind(objection_id)
    .fetch_optional(pool)
    .await)?)
}

pub async fn dispute_events(db: &Db, dispute_id: Uuid) -> Result<Vec<EventRow>, StoreError> {
    const SQL: &str = "SELECT id, dispute_id AS request_id, seq, at, actor_kind, actor_id, kind, data FROM dispute_events WHERE dispute_id = $1 ORDER BY seq";
    Ok(with_conn!(db.write(), |pool| {
        sqlx::query_as::<_, EventRow>(SQL)
            .bind(dispute_id)
            .fetch_all(pool)
            .await
    })?)
}

/// Opens a dispute (first event) and, in the same transaction, records on the objection that it
/// was disputed.
#[allow(clippy::too_many_arguments)]
pub async fn create_dispute(
    db: &Db,
    id: Uuid,
    objection_id: Uuid,
    body_id: Uuid,
    filed_on: Date,
    state: &str,
    deadlines: Option<&str>,
    event: &NewEvent,
    objection_expected: i64,
    objection_event: &NewEvent,
    objection_projection: &ObjectionProjection,
) -> Result<(), StoreError> {
    const INSERT: &str = "INSERT INTO disputes (id, objection_id, body_id, status, filed_on, state, event_count, created_at, updated_at, deadlines) \
                          VALUES ($1, $2, $3, 'filed', $4, $5, 1, $6, $6, $7)";
    let p = objection_projection;
    let done: Result<bool, sqlx::Error> = with_conn!(db.write(), |pool| {
        async {
            let mut tx = pool.begin_write().await?;
            sqlx::query(INSERT)
                .bind(id)
                .bind(objection_id)
                .bind(body_id)
                .bind(filed_on)
                .bind(state)
                .bind(event.at)
                .bind(deadlines)
                .execute(&mut *tx)
                .await?;
            crate::events::insert!(crate::events::DISPUTE, id, 1_i64, event, &mut *tx).await?;
            let n = crate::events::project_objection!(
                objection_id,
                objection_expected,
                p,
                event.at,
                &mut *tx
            )
            .await?
            .rows_affected();
            then_append!(
                tx,
                n,
                crate::events::OBJECTION,
                objection_id,
                objection_expected + 1,
                objection_event
            );
            tx.commit().await?;
            Ok(true)
        }
        .await
    });
    committed(done)
}

/// Appends dispute event `expected + 1` and rewrites its projection.
pub async fn append_dispute(
    db: &Db,
    dispute_id: Uuid,
    expected: i64,
    event: &NewEvent,
    status: &str,
    state: &str,
    deadlines: Option<&str>,
) -> Result<(), StoreError> {
    const PROJECT: &str = "UPDATE disputes SET status = $3, state = $4, event_count = event_count + 1, updated_at = $5, deadlines = $6 WHERE id = $1 AND event_count = $2";
    let done: Result<bool, sqlx::Error> = with_conn!(db.write(), |pool| {
        async {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(PROJECT)
                .bind(dispute_id)
                .bind(expected)
                .bind(status)
                .bind(state)
                .bind(event.at)
                .bind(deadlines)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            then_append!(
                tx,
                n,
                crate::events::DISPUTE,
                dispute_id,
                expected + 1,
                event
            );
            tx.commit().await?;
            Ok(true)
        }
        .await
    });
    committed(done)
}

/// Objections of a body received in `[from, to]`, with their events and whether they were
/// disputed: the report's objection population.
pub async fn report_population(
    db: &Db,
    body_id: Uuid,
    from: Date,
    to: Date,
) -> Result<Vec<(Uuid, String, bool)>, StoreError> {
    const SQL: &str = "SELECT o.id, o.number, CASE WHEN d.id IS NULL THEN FALSE ELSE TRUE END FROM objections o LEFT JOIN disputes d ON d.objection_id = o.id \
                       WHERE o.body_id = $1 AND o.received_on >= $2 AND o.received_on <= $3 ORDER BY o.id";
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<
        _,
        (Uuid, String, bool),
    >(SQL)
    .bind(body_id)
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await)?)
}

pub async fn report_events(
    db: &Db,
    body_id: Uuid,
    from: Date,
    to: Date,
) -> Result<Vec<(Uuid, String)>, StoreError> {
    const SQL: &str = "SELECT e.objection_id, e.data FROM objection_events e JOIN objections o ON o.id = e.objection_id \
                       WHERE o.body_id = $1 AND o.received_on >= $2 AND o.received_on <= $3 ORDER BY e.objection_id, e.seq";
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<
        _,
        (Uuid, String),
    >(SQL)
    .bind(body_id)
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await)?)
}
