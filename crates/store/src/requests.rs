//! Requests: the append-only `request_events` log and the `requests` projection that is
//! rewritten with each event in the same transaction.

use crate::db::BeginWrite;
use sqlx::FromRow;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use lentera_domain::numbering::NumberPattern;

use crate::{Db, StoreError, with_conn};

mod batch;
pub use batch::create_batch;

/// Identity data of a requester; the identity number arrives already encrypted.
#[derive(Debug, Clone)]
pub struct NewApplicant {
    pub id: Uuid,
    pub kind: String,
    pub name: String,
    pub id_number_enc: Vec<u8>,
    pub id_number_last4: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: String,
    pub occupation: String,
}

/// The columns of the projection that change with events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Projection {
    pub unit_id: Option<Uuid>,
    pub status: String,
    pub extended: bool,
    pub notice_due_on: Option<Date>,
    pub due_on: Option<Date>,
    pub outcome: Option<String>,
    pub decided_on: Option<Date>,
    /// The folded state as JSON.
    pub state: String,
    pub calendar_version: String,
    /// How the applicant wants to obtain the information (`Obtain` contract name).
    pub obtain: String,
    /// Pasal 17 grounds of the decision as `,17a,17h,` (for the tallies), if any.
    pub grounds: Option<String>,
    /// Day a withdrawal or a not-processable decision ended the request.
    pub ended_on: Option<Date>,
    pub extended_on: Option<Date>,
    /// Working days from the start of the clock to the notice.
    pub service_wd: Option<i64>,
    /// Notice sent on or before the applicable due day.
    pub on_time: Option<bool>,
}

/// Revision of the projection's columns: rows written with an older one are re-projected at
/// start-up (and only then counted in the tallies).
pub const PROJECTION_REV: i64 = 1;

#[derive(Debug, Clone)]
pub struct NewEvent {
    pub id: Uuid,
    pub at: OffsetDateTime,
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    pub kind: String,
    pub data: String,
    /// The letters this event calls for (written as jobs with it).
    pub letters: Vec<crate::letters::LetterCall>,
    /// The e-mails this event calls for (written to the outbox with it).
    pub mails: Vec<crate::mail::MailCall>,
}

#[derive(Debug, Clone)]
pub struct NewRequest {
    pub id: Uuid,
    pub body_id: Uuid,
    pub applicant: NewApplicant,
    pub tracking_hash: String,
    pub submission_key: Option<String>,
    pub channel: String,
    pub information: String,
    pub purpose: String,
    pub received_on: Date,
    /// The projection after all of `events`.
    pub projection: Projection,
    /// The first events, stored with it in one transaction: the receipt, and the routing of a
    /// request filed at a unit.
    pub events: Vec<NewEvent>,
    pub now: OffsetDateTime,
}

/// Registration numbers come from a per-scope, per-year counter taken inside the transaction
/// and are written out by the domain's pattern.
#[derive(Debug, Clone)]
pub struct Numbering {
    pub scope: String,
    pub pattern: NumberPattern,
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct RequestRow {
    pub id: Uuid,
    pub number: String,
    pub body_id: Uuid,
    pub unit_id: Option<Uuid>,
    pub applicant_id: Uuid,
    pub tracking_hash: String,
    pub channel: String,
    pub information: String,
    pub purpose: String,
    pub received_on: Date,
    pub status: String,
    pub extended: bool,
    pub notice_due_on: Option<Date>,
    pub due_on: Option<Date>,
    pub outcome: Option<String>,
    pub decided_on: Option<Date>,
    pub state: String,
    pub event_count: i64,
    pub calendar_version: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

macro_rules! request_columns {
    () => {
        "id, number, body_id, unit_id, applicant_id, tracking_hash, channel, information, purpose, received_on, status, extended, \
                       notice_due_on, due_on, outcome, decided_on, state, event_count, calendar_version, created_at, updated_at"
    };
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct EventRow {
    pub id: Uuid,
    pub request_id: Uuid,
    pub seq: i64,
    pub at: OffsetDateTime,
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    pub kind: String,
    pub data: String,
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct ApplicantRow {
    pub id: Uuid,
    pub kind: String,
    pub name: String,
    pub id_number_enc: Vec<u8>,
    pub id_number_last4: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: String,
    pub occupation: String,
}

/// The number of the request stored earlier under this submission key, if any.
pub async fn number_for_key(db: &Db, key: &str) -> Result<Option<String>, StoreError> {
    const SQL: &str = "SELECT number FROM requests WHERE submission_key = $1";
    Ok(with_conn!(db.write(), |pool| sqlx::query_scalar(SQL)
        .bind(key)
        .fetch_optional(pool)
        .await)?)
}

/// Stores a new request with its applicant and first events in one transaction and returns the
/// registration number. A submission key seen before is refused with [`StoreError::Conflict`]
/// (the unique index decides); what a repeated submission gets back is the app's business.
pub async fn create(db: &Db, r: &NewRequest, numbering: &Numbering) -> Result<String, StoreError> {
    create_batch(db, std::slice::from_ref(&(r.clone(), numbering.clone())))
        .await?
        .pop()
        .unwrap_or(Err(StoreError::NotFound))
}

/// Appends event number `expected_count + 1` and rewrites the projection, atomically. If another
/// writer appended first, nothing is stored and [`StoreError::Conflict`] is returned.
pub async fn append_event(
    db: &Db,
    request_id: Uuid,
    expected_count: i64,
    event: &NewEvent,
    p: &Projection,
) -> Result<(), StoreError> {
    let updated: Result<u64, sqlx::Error> = with_conn!(db.write(), |pool| {
        async {
            let mut tx = pool.begin_write().await?;
            let n =
                crate::events::project_request!(request_id, expected_count, p, event.at, &mut *tx)
                    .await?
                    .rows_affected();
            if n == 1 {
                crate::events::insert!(
                    crate::events::REQUEST,
                    request_id,
                    expected_count + 1,
                    event,
                    &mut *tx
                )
                .await?;
                tx.commit().await?;
            } else {
                tx.rollback().await?;
            }
            Ok(n)
        }
        .await
    });
    match updated? {
        1 => Ok(()),
        _ => Err(StoreError::Conflict("request changed concurrently".into())),
    }
}

/// Rewrites only the projection (after a calendar change), guarded like [`append_event`].
pub async fn reproject(
    db: &Db,
    request_id: Uuid,
    expected_count: i64,
    p: &Projection,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let n = with_conn!(db.write(), |pool| crate::events::project_request!(
        crate::events::REPROJECT_REQUEST;
        request_id,
        expected_count,
        p,
        now,
        pool
    )
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Requests whose projection predates [`PROJECTION_REV`] (id, number), a page at a time.
pub async fn stale_projections(db: &Db, limit: i64) -> Result<Vec<(Uuid, String)>, StoreError> {
    const SQL: &str =
        "SELECT id, number FROM requests WHERE projection_rev < $1 ORDER BY id LIMIT $2";
    Ok(with_conn!(db.read(), |pool| sqlx::query_as(SQL)
        .bind(PROJECTION_REV)
        .bind(limit)
        .fetch_all(pool)
        .await)?)
}

pub async fn get_by_number(db: &Db, number: &str) -> Result<RequestRow, StoreError> {
    let sql = concat!(
        "SELECT ",
        request_columns!(),
        " FROM requests WHERE number = $1"
    );
    Ok(with_conn!(db.read(), |pool| {
        sqlx::query_as::<_, RequestRow>(sql)
            .bind(number)
            .fetch_one(pool)
            .await
    })?)
}

pub async fn get_by_id(db: &Db, id: Uuid) -> Result<RequestRow, StoreError> {
    let sql = concat!(
        "SELECT ",
        request_columns!(),
        " FROM requests WHERE id = $1"
    );
    Ok(with_conn!(db.read(), |pool| {
        sqlx::query_as::<_, RequestRow>(sql)
            .bind(id)
            .fetch_one(pool)
            .await
    })?)
}

/// Reads from the write side: used right before appending so a replica lag (or SQLite's
/// separate read pool) cannot hand out a stale event count.
pub async fn get_for_update(db: &Db, number: &str) -> Result<RequestRow, StoreError> {
    let sql = concat!(
        "SELECT ",
        request_columns!(),
        " FROM requests WHERE number = $1"
    );
    Ok(with_conn!(db.write(), |pool| sqlx::query_as::<
        _,
        RequestRow,
    >(sql)
    .bind(number)
    .fetch_one(pool)
    .await)?)
}

pub async fn events(db: &Db, request_id: Uuid) -> Result<Vec<EventRow>, StoreError> {
    const SQL: &str = "SELECT id, request_id, seq, at, actor_kind, actor_id, kind, data FROM request_events WHERE request_id = $1 ORDER BY seq";
    Ok(with_conn!(db.read(), |pool| {
        sqlx::query_as::<_, EventRow>(SQL)
            .bind(request_id)
            .fetch_all(pool)
            .await
    })?)
}

pub async fn applicant(db: &Db, id: Uuid) -> Result<ApplicantRow, StoreError> {
    const SQL: &str = "SELECT id, kind, name, id_number_enc, id_number_last4, email, phone, address, occupation FROM applicants WHERE id = $1";
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<
        _,
        ApplicantRow,
    >(SQL)
    .bind(id)
    .fetch_one(pool)
    .await)?)
}

/// Which requests a queue shows.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Restrict to these top-level bodies (`None`: all, for admins).
    pub bodies: Option<Vec<Uuid>>,
    /// Restrict to requests routed to this unit.
    pub unit: Option<Uuid>,
    pub statuses: Option<Vec<String>>,
    pub limit: i64,
    pub offset: i64,
}

/// Requests ordered by legal due date (undated last), then receipt.
pub async fn list_cases(db: &Db, f: &CaseFilter) -> Result<Vec<RequestRow>, StoreError> {
    let mut sql = concat!("SELECT ", request_columns!(), " FROM requests WHERE 1 = 1").to_owned();
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    if let Some(bodies) = &f.bodies {
        if bodies.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = bodies.iter().map(|_| next()).collect();
        sql.push_str(&format!(" AND body_id IN ({})", marks.join(", ")));
    }
    if f.unit.is_some() {
        sql.push_str(&format!(" AND unit_id = {}", next()));
    }
    if let Some(statuses) = &f.statuses {
        if statuses.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = statuses.iter().map(|_| next()).collect();
        sql.push_str(&format!(" AND status IN ({})", marks.join(", ")));
    }
    sql.push_str(&format!(
        " ORDER BY CASE WHEN due_on IS NULL THEN 1 ELSE 0 END, due_on, received_on, number LIMIT {} OFFSET {}",
        next(),
        next()
    ));
    with_conn!(db.read(), |pool| {
        let mut q = sqlx::query_as::<_, RequestRow>(sqlx::AssertSqlSafe(sql.clone()));
        for b in f.bodies.iter().flatten() {
            q = q.bind(*b);
        }
        if let Some(u) = f.unit {
            q = q.bind(u);
        }
        for s in f.statuses.iter().flatten() {
            q = q.bind(s.as_str());
        }
        Ok(q.bind(f.limit).bind(f.offset).fetch_all(pool).await?)
    })
}

/// Ids and event counts of requests still waiting for a decision (for re-projection after a
/// calendar change).
pub async fn open_ids(db: &Db, body_id: Uuid) -> Result<Vec<(Uuid, String)>, StoreError> {
    const SQL: &str = "SELECT id, number FROM requests WHERE body_id = $1 AND status IN ('received', 'awaiting_completion', 'in_progress', 'extended')";
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<
        _,
        (Uuid, String),
    >(SQL)
    .bind(body_id)
    .fetch_all(pool)
    .await)?)
}

pub async fn count(db: &Db) -> Result<i64, StoreError> {
    Ok(with_conn!(db.read(), |pool| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM requests"
    )
    .fetch_one(pool)
    .await)?)
}

/// Counters of a queue: open, due today, due within the next days, overdue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueCounts {
    pub open: i64,
    pub due_today: i64,
    pub due_soon: i64,
    pub overdue: i64,
}

/// Counts for the requests awaiting a decision in the given bodies (or unit).
pub async fn queue_counts(
    db: &Db,
    bodies: Option<&[Uuid]>,
    unit: Option<Uuid>,
    today: Date,
    soon: Date,
) -> Result<QueueCounts, StoreError> {
    let mut sql = String::from(
        "SELECT COUNT(*), \
         COALESCE(SUM(CASE WHEN due_on = $1 THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN due_on > $1 AND due_on <= $2 THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN due_on < $1 THEN 1 ELSE 0 END), 0) \
         FROM requests WHERE status IN ('received', 'awaiting_completion', 'in_progress', 'extended')",
    );
    let mut n = 2;
    if let Some(b) = bodies {
        if b.is_empty() {
            return Ok(QueueCounts::default());
        }
        let marks: Vec<String> = b
            .iter()
            .map(|_| {
                n += 1;
                format!("${n}")
            })
            .collect();
        sql.push_str(&format!(" AND body_id IN ({})", marks.join(", ")));
    }
    if unit.is_some() {
        n += 1;
        sql.push_str(&format!(" AND unit_id = ${n}"));
    }
    let row: (i64, i64, i64, i64) = with_conn!(db.read(), |pool| {
        let mut q = sqlx::query_as::<_, (i64, i64, i64, i64)>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(today)
            .bind(soon);
        for id in bodies.into_iter().flatten() {
            q = q.bind(*id);
        }
        if let Some(u) = unit {
            q = q.bind(u);
        }
        q.fetch_one(pool).await
    })?;
    Ok(QueueCounts {
        open: row.0,
        due_today: row.1,
        due_soon: row.2,
        overdue: row.3,
    })
}

/// A row of the public register: no identity data beyond what §11.3 allows (the name is
/// reduced to initials by the caller).
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct RegisterRow {
    pub number: String,
    pub received_on: Date,
    pub channel: String,
    pub status: String,
    pub extended: bool,
    pub outcome: Option<String>,
    pub decided_on: Option<Date>,
    pub due_on: Option<Date>,
    pub information: String,
    pub state: String,
    pub applicant_kind: String,
    pub applicant_name: String,
}

/// The most recent requests of a body, newest first.
pub async fn public_register(
    db: &Db,
    body_id: Uuid,
    limit: i64,
    offset: i64,
) -> Result<Vec<RegisterRow>, StoreError> {
    const SQL: &str = "SELECT r.number, r.received_on, r.channel, r.status, r.extended, r.outcome, r.decided_on, r.due_on, r.information, r.state, \
                       a.kind AS applicant_kind, a.name AS applicant_name \
                       FROM requests r JOIN applicants a ON a.id = r.applicant_id WHERE r.body_id = $1 \
                       ORDER BY r.received_on DESC, r.number DESC LIMIT $2 OFFSET $3";
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<
        _,
        RegisterRow,
    >(SQL)
    .bind(body_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await)?)
}

/// Number of requests of a body.
pub async fn count_for_body(db: &Db, body_id: Uuid) -> Result<i64, StoreError> {
    const SQL: &str = "SELECT COUNT(*) FROM requests WHERE body_id = $1";
    Ok(with_conn!(db.read(), |pool| sqlx::query_scalar::<_, i64>(
        SQL
    )
    .bind(body_id)
    .fetch_one(pool)
    .await)?)
}

/// The registration number of a request by id.
pub async fn get_by_id_number(db: &Db, id: Uuid) -> Result<String, StoreError> {
    const SQL: &str = "SELECT number FROM requests WHERE id = $1";
    Ok(with_conn!(db.read(), |pool| {
        sqlx::query_scalar::<_, String>(SQL)
            .bind(id)
            .fetch_one(pool)
            .await
    })?)
}

/// Requests of a body received in `[from, to]` with the applicant kind: the report's population.
#[derive(Debug, Clone, FromRow)]
pub struct ReportRow {
    pub id: Uuid,
    pub number: String,
    pub unit_id: Option<Uuid>,
    pub applicant_kind: String,
}

pub async fn report_population(
    db: &Db,
    body_id: Uuid,
    from: Date,
    to: Date,
) -> Result<Vec<ReportRow>, StoreError> {
    const SQL: &str = "SELECT r.id, r.number, r.unit_id, a.kind AS applicant_kind FROM requests r JOIN applicants a ON a.id = r.applicant_id \
                       WHERE r.body_id = $1 AND r.received_on >= $2 AND r.received_on <= $3 ORDER BY r.id";
    Ok(with_conn!(db.read(), |pool| {
        sqlx::query_as::<_, ReportRow>(SQL)
            .bind(body_id)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await
    })?)
}

/// Every event of those requests in one read, ordered by request and sequence.
pub async fn report_events(
    db: &Db,
    body_id: Uuid,
    from: Date,
    to: Date,
) -> Result<Vec<(Uuid, OffsetDateTime, String)>, StoreError> {
    const SQL: &str = "SELECT e.request_id, e.at, e.data FROM request_events e JOIN requests r ON r.id = e.request_id \
                       WHERE r.body_id = $1 AND r.received_on >= $2 AND r.received_on <= $3 ORDER BY e.request_id, e.seq";
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<
        _,
        (Uuid, OffsetDateTime, String),
    >(SQL)
    .bind(body_id)
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await)?)
}
