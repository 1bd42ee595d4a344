//! The national calendar's versions (`calendar_versions`, append-only) and the recomputation
//! jobs that move open deadlines after a calendar change (`recompute_jobs`), with the batch
//! writes that store each moved deadline together with its event.

use crate::db::BeginWrite;
use sqlx::FromRow;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::objections::ObjectionProjection;
use crate::requests::{NewEvent, Projection};
use crate::{Db, StoreError, with_conn};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct VersionRow {
    pub id: i64,
    pub year: i64,
    pub version: String,
    pub status: String,
    pub note: String,
    pub instrument: String,
    /// The year as JSON in the shipped format.
    pub data: String,
    pub digest: String,
    pub source: String,
    pub loaded_by: String,
    pub loaded_at: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub struct NewVersion {
    pub year: i64,
    pub version: String,
    pub status: String,
    pub note: String,
    pub instrument: String,
    pub data: String,
    pub digest: String,
    pub source: String,
    pub loaded_by: String,
    pub loaded_at: OffsetDateTime,
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct JobRow {
    pub id: Uuid,
    pub version_id: Option<i64>,
    /// A closure change recomputes one body; a national version, every body.
    pub body_id: Option<Uuid>,
    pub reason: String,
    /// `requests`, `objections`, `disputes`, then `done`.
    pub phase: String,
    /// The last id of the phase already handled.
    pub cursor: Option<Uuid>,
    pub recomputed: i64,
    pub created_at: OffsetDateTime,
    pub lease_until: Option<OffsetDateTime>,
    pub finished_at: Option<OffsetDateTime>,
}

macro_rules! job_columns {
    () => {
        "id, version_id, body_id, reason, phase, cursor, recomputed, created_at, lease_until, finished_at"
    };
}

pub async fn versions(db: &Db) -> Result<Vec<VersionRow>, StoreError> {
    const SQL: &str = "SELECT id, year, version, status, note, instrument, data, digest, source, loaded_by, loaded_at \
                       FROM calendar_versions ORDER BY id";
    Ok(with_conn!(db.read(), |pool| {
        sqlx::query_as::<_, VersionRow>(SQL).fetch_all(pool).await
    })?)
}

/// A number that moves whenever a version is loaded or a recomputation finishes: instances
/// compare it every second to see a change made by another process.
pub async fn generation(db: &Db) -> Result<(i64, i64), StoreError> {
    const SQL: &str = "SELECT (SELECT COALESCE(MAX(id), 0) FROM calendar_versions), \
                       (SELECT COUNT(*) FROM recompute_jobs WHERE finished_at IS NOT NULL)";
    Ok(with_conn!(db.read(), |pool| {
        sqlx::query_as::<_, (i64, i64)>(SQL).fetch_one(pool).await
    })?)
}

/// Stores a version and, in the same transaction, the job that recomputes what it moves
/// (none for the shipped years seeded into an empty installation). Returns the version's id.
/// A version name already used for that year is a conflict.
pub async fn insert_version(
    db: &Db,
    v: &NewVersion,
    job: Option<(Uuid, &str)>,
) -> Result<i64, StoreError> {
    const NEXT: &str = "SELECT COALESCE(MAX(id), 0) + 1 FROM calendar_versions";
    const SQL: &str = "INSERT INTO calendar_versions (id, year, version, status, note, instrument, data, digest, source, loaded_by, loaded_at) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
    const JOB: &str = "INSERT INTO recompute_jobs (id, version_id, body_id, reason, phase, cursor, recomputed, created_at) \
                       VALUES ($1, $2, NULL, $3, 'requests', NULL, 0, $4)";
    Ok(with_conn!(db.write(), |pool| async {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query_scalar(NEXT).fetch_one(&mut *tx).await?;
        sqlx::query(SQL)
            .bind(id)
            .bind(v.year)
            .bind(&v.version)
            .bind(&v.status)
            .bind(&v.note)
            .bind(&v.instrument)
            .bind(&v.data)
            .bind(&v.digest)
            .bind(&v.source)
            .bind(&v.loaded_by)
            .bind(v.loaded_at)
            .execute(&mut *tx)
            .await?;
        if let Some((job_id, reason)) = job {
            sqlx::query(JOB)
                .bind(job_id)
                .bind(id)
                .bind(reason)
                .bind(v.loaded_at)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok::<i64, sqlx::Error>(id)
    }
    .await)?)
}

/// A recomputation of one body's deadlines (a closure added or removed).
pub async fn create_body_job(
    db: &Db,
    id: Uuid,
    body_id: Uuid,
    reason: &str,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO recompute_jobs (id, version_id, body_id, reason, phase, cursor, recomputed, created_at) \
                       VALUES ($1, NULL, $2, $3, 'requests', NULL, 0, $4)";
    with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(id)
        .bind(body_id)
        .bind(reason)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(())
}

pub async fn jobs(db: &Db) -> Result<Vec<JobRow>, StoreError> {
    const SQL: &str = concat!(
        "SELECT ",
        job_columns!(),
        " FROM recompute_jobs ORDER BY created_at, id"
    );
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<_, JobRow>(
        SQL
    )
    .fetch_all(pool)
    .await)?)
}

/// Unfinished jobs, oldest first.
pub async fn open_jobs(db: &Db) -> Result<Vec<JobRow>, StoreError> {
    const SQL: &str = concat!(
        "SELECT ",
        job_columns!(),
        " FROM recompute_jobs WHERE finished_at IS NULL ORDER BY created_at, id"
    );
    Ok(with_conn!(db.write(), |pool| sqlx::query_as::<_, JobRow>(
        SQL
    )
    .fetch_all(pool)
    .await)?)
}

/// Takes (or renews) a job's lease until `until` unless another runner holds it. Returns the
/// job as it stands when taken.
pub async fn take_lease(
    db: &Db,
    id: Uuid,
    now: OffsetDateTime,
    until: OffsetDateTime,
) -> Result<Option<JobRow>, StoreError> {
    const SQL: &str = "UPDATE recompute_jobs SET lease_until = $3 \
                       WHERE id = $1 AND finished_at IS NULL AND (lease_until IS NULL OR lease_until < $2)";
    const ONE: &str = concat!(
        "SELECT ",
        job_columns!(),
        " FROM recompute_jobs WHERE id = $1"
    );
    Ok(with_conn!(db.write(), |pool| async {
        let n = sqlx::query(SQL)
            .bind(id)
            .bind(now)
            .bind(until)
            .execute(pool)
            .await?
            .rows_affected();
        if n == 0 {
            return Ok::<_, sqlx::Error>(None);
        }
        sqlx::query_as::<_, JobRow>(ONE)
            .bind(id)
            .fetch_optional(pool)
            .await
    }
    .await)?)
}

/// Gives a lease back without finishing (a runner that stops early).
pub async fn release_lease(db: &Db, id: Uuid) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE recompute_jobs SET lease_until = NULL WHERE id = $1";
    with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// A request as the recomputation needs it.
// The columns of each candidate, shared by the job's pages and the re-reads of skipped cases.
macro_rules! request_candidate {
    () => {
        "SELECT id, number, body_id, status, event_count, state, notice_due_on, due_on, service_wd, on_time, calendar_version FROM requests"
    };
}
macro_rules! objection_candidate {
    () => {
        "SELECT id, number, body_id, request_id, event_count, state, answer_due_on, late FROM objections"
    };
}
macro_rules! dispute_candidate {
    () => {
        "SELECT id, objection_id, body_id, event_count, state, deadlines FROM disputes"
    };
}

#[derive(Debug, Clone, FromRow)]
pub struct RequestCandidate {
    pub id: Uuid,
    pub number: String,
    pub body_id: Uuid,
    pub status: String,
    pub event_count: i64,
    pub state: String,
    pub notice_due_on: Option<Date>,
    pub due_on: Option<Date>,
    pub service_wd: Option<i64>,
    pub on_time: Option<bool>,
    pub calendar_version: String,
}

/// Requests after `cursor` (by id) whose dates a calendar change may touch: every request not
/// closed for good, and every request received on or after `since` (its figures, even when
/// closed). `body` limits the page to one body and its units' requests.
pub async fn request_candidates(
    db: &Db,
    body: Option<Uuid>,
    since: Date,
    cursor: Option<Uuid>,
    limit: i64,
) -> Result<Vec<RequestCandidate>, StoreError> {
    const SQL: &str = concat!(
        request_candidate!(),
        " WHERE id > $1 AND ($2 IS NULL OR body_id = $2) \
                       AND (status NOT IN ('closed', 'withdrawn', 'not_processable') OR received_on >= $3) \
                       ORDER BY id LIMIT $4"
    );
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<
        _,
        RequestCandidate,
    >(SQL)
    // A range from the nil id, never `$1 IS NULL OR id > $1`: that form keeps the planners
    // from walking the primary key, and every batch would scan and sort the whole table.
    .bind(cursor.unwrap_or(Uuid::nil()))
    .bind(body)
    .bind(since)
    .bind(limit)
    .fetch_all(pool)
    .await)?)
}

#[derive(Debug, Clone, FromRow)]
pub struct ObjectionCandidate {
    pub id: Uuid,
    pub number: String,
    pub body_id: Uuid,
    pub request_id: Uuid,
    pub event_count: i64,
    pub state: String,
    pub answer_due_on: Option<Date>,
    pub late: bool,
}

/// Objections after `cursor` still awaiting the atasan PPID's answer, or recorded late.
pub async fn objection_candidates(
    db: &Db,
    body: Option<Uuid>,
    cursor: Option<Uuid>,
    limit: i64,
) -> Result<Vec<ObjectionCandidate>, StoreError> {
    const SQL: &str = concat!(
        objection_candidate!(),
        " WHERE id > $1 AND ($2 IS NULL OR body_id = $2) \
          AND (status IN ('received', 'in_review') OR late) ORDER BY id LIMIT $3"
    );
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<
        _,
        ObjectionCandidate,
    >(SQL)
    // A range from the nil id, never `$1 IS NULL OR id > $1`: that form keeps the planners
    // from walking the primary key, and every batch would scan and sort the whole table.
    .bind(cursor.unwrap_or(Uuid::nil()))
    .bind(body)
    .bind(limit)
    .fetch_all(pool)
    .await)?)
}

#[derive(Debug, Clone, FromRow)]
pub struct DisputeCandidate {
    pub id: Uuid,
    pub objection_id: Uuid,
    pub body_id: Uuid,
    pub event_count: i64,
    pub state: String,
    pub deadlines: Option<String>,
}

/// Disputes after `cursor` that are still running.
pub async fn dispute_candidates(
    db: &Db,
    body: Option<Uuid>,
    cursor: Option<Uuid>,
    limit: i64,
) -> Result<Vec<DisputeCandidate>, StoreError> {
    const SQL: &str = concat!(
        dispute_candidate!(),
        " WHERE id > $1 AND ($2 IS NULL OR body_id = $2) \
          AND status NOT IN ('complied', 'withdrawn') ORDER BY id LIMIT $3"
    );
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<
        _,
        DisputeCandidate,
    >(SQL)
    // A range from the nil id, never `$1 IS NULL OR id > $1`: that form keeps the planners
    // from walking the primary key, and every batch would scan and sort the whole table.
    .bind(cursor.unwrap_or(Uuid::nil()))
    .bind(body)
    .bind(limit)
    .fetch_all(pool)
    .await)?)
}

/// The candidates among `ids` (cases whose write was skipped because they changed meanwhile),
/// read again with the same columns as the pages. `kind` is `requests`, `objections` or
/// `disputes`.
pub async fn candidates_again(db: &Db, kind: &str, ids: &[Uuid]) -> Result<Candidates, StoreError> {
    const REQUEST: &str = concat!(request_candidate!(), " WHERE id = $1");
    const OBJECTION: &str = concat!(objection_candidate!(), " WHERE id = $1");
    const DISPUTE: &str = concat!(dispute_candidate!(), " WHERE id = $1");
    let mut out = Candidates::default();
    for id in ids {
        match kind {
            "requests" => out
                .requests
                .extend(with_conn!(db.read(), |pool| sqlx::query_as::<
                    _,
                    RequestCandidate,
                >(REQUEST)
                .bind(*id)
                .fetch_optional(pool)
                .await)?),
            "objections" => out
                .objections
                .extend(with_conn!(db.read(), |pool| sqlx::query_as::<
                    _,
                    ObjectionCandidate,
                >(OBJECTION)
                .bind(*id)
                .fetch_optional(pool)
                .await)?),
            _ => out
                .disputes
                .extend(with_conn!(db.read(), |pool| sqlx::query_as::<
                    _,
                    DisputeCandidate,
                >(DISPUTE)
                .bind(*id)
                .fetch_optional(pool)
                .await)?),
        }
    }
    Ok(out)
}

/// Candidates read again, by kind.
#[derive(Debug, Default)]
pub struct Candidates {
    pub requests: Vec<RequestCandidate>,
    pub objections: Vec<ObjectionCandidate>,
    pub disputes: Vec<DisputeCandidate>,
}

/// One case's new projection, with the event that says why its deadline moved (none when
/// only derived figures change).
#[derive(Debug, Clone)]
pub enum Write {
    Request {
        id: Uuid,
        expected: i64,
        event: Option<NewEvent>,
        projection: Box<Projection>,
    },
    Objection {
        id: Uuid,
        expected: i64,
        event: NewEvent,
        projection: ObjectionProjection,
    },
    Dispute {
        id: Uuid,
        expected: i64,
        event: Option<NewEvent>,
        state: String,
        deadlines: String,
    },
}

/// Where a job stands after a batch.
#[derive(Debug, Clone)]
pub struct Progress {
    /// Where the job stood when this batch was planned: the batch is stored only if the job is
    /// still there, so batches applied side by side (PostgreSQL) land in order or not at all.
    pub from_phase: String,
    pub from_cursor: Option<Uuid>,
    pub phase: String,
    pub cursor: Option<Uuid>,
    pub lease_until: OffsetDateTime,
    pub finished: bool,
}

/// The job's new position, in the batch's transaction (the same text on both databases),
/// guarded by the position the batch was planned from. A batch whose predecessor was not
/// stored finds the job elsewhere: it is refused, and its transaction rolls back.
macro_rules! job_progress {
    ($tx:expr, $job:expr, $progress:expr, $moved:expr, $now:expr) => {
        if sqlx::query(
            "UPDATE recompute_jobs SET phase = $2, cursor = $3, recomputed = recomputed + $4, \
             lease_until = $5, finished_at = $6 \
             WHERE id = $1 AND phase = $7 AND cursor IS NOT DISTINCT FROM $8",
        )
        .bind($job)
        .bind(&$progress.phase)
        .bind($progress.cursor)
        .bind(i64::try_from($moved).unwrap_or(i64::MAX))
        .bind($progress.lease_until)
        .bind($progress.finished.then_some($now))
        .bind(&$progress.from_phase)
        .bind($progress.from_cursor)
        .execute(&mut *$tx)
        .await?
        .rows_affected()
            != 1
        {
            return Err(StoreError::Conflict(OUT_OF_ORDER.into()));
        }
    };
}

/// The conflict of a batch planned from a position the job is no longer at.
pub const OUT_OF_ORDER: &str = "recompute_jobs.cursor";

/// Writes one batch in one transaction with the job's new position: either every write of the
/// batch and the cursor are stored, or none. A case changed meanwhile by someone else (its
/// event count moved) is skipped and its id returned, for the caller to plan again from its
/// new state. Returns the deadlines moved (writes done with an event) and the skipped ids.
///
/// Each kind costs two statements per batch whatever its size (the guarded projections, then
/// the events of the rows they updated): on SQLite every statement is a round trip to the
/// single writer's thread, which per-case statements made the bulk of a recomputation. On
/// PostgreSQL the rows travel as one array per column (`unnest`): ten parameters instead of
/// five thousand, so the statement is planned once, not for every batch.
pub async fn apply_batch(
    db: &Db,
    job: Uuid,
    writes: &[Write],
    progress: &Progress,
    now: OffsetDateTime,
) -> Result<(u64, Vec<Uuid>), StoreError> {
    apply_batch_signalled(db, job, writes, progress, now, || {}).await
}

/// [`apply_batch`], calling `started` once the batch holds its position's lock (PostgreSQL; at
/// its start on SQLite): the next batch is sent only then, so that it cannot reach its guard
/// before this one holds the lock it waits on.
pub async fn apply_batch_signalled(
    db: &Db,
    job: Uuid,
    writes: &[Write],
    progress: &Progress,
    now: OffsetDateTime,
    started: impl FnOnce() + Send,
) -> Result<(u64, Vec<Uuid>), StoreError> {
    let batch = Batch::split(writes);
    Ok(match db.write() {
        crate::db::Conn::Sqlite(pool) => {
            let mut tx = pool.begin_write().await?;
            started();
            let updated = sqlite::update(&mut tx, &batch, now).await?;
            let (moved, skipped, logs) = batch.events(&updated);
            sqlite::insert_events(&mut tx, &logs).await?;
            job_progress!(tx, job, progress, moved, now);
            tx.commit().await?;
            (moved, skipped)
        }
        crate::db::Conn::Postgres(pool) => {
            let mut tx = pool.begin_write().await?;
            if !progress.finished {
                // A batch's commit need not wait for its log to reach the disk: a crash may
                // lose the last batches, cursor and all (one transaction), and the job does
                // them again. The last batch waits, and with it every batch before it (the
                // log is written in order): nothing counts as applied before it is durable.
                sqlx::query("SET LOCAL synchronous_commit = off")
                    .execute(&mut *tx)
                    .await?;
            }
            // Two batches are written side by side: the later one's guard must see the earlier
            // one committed, not the job as it was before. Each batch holds the lock named by
            // where it leaves the job, from its start to its commit; the next one, whose
            // planning started there, takes that lock before its guard and so waits for it.
            position_lock(&mut tx, job, &progress.phase, progress.cursor).await?;
            started();
            let updated = postgres::update(&mut tx, &batch, now).await?;
            let (moved, skipped, logs) = batch.events(&updated);
            postgres::insert_events(&mut tx, &logs).await?;
            position_lock(&mut tx, job, &progress.from_phase, progress.from_cursor).await?;
            job_progress!(tx, job, progress, moved, now);
            tx.commit().await?;
            (moved, skipped)
        }
    })
}

/// A transaction-scoped advisory lock named by a job's position (PostgreSQL).
async fn position_lock(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    job: Uuid,
    phase: &str,
    cursor: Option<Uuid>,
) -> Result<(), StoreError> {
    let name = match cursor {
        Some(c) => format!("recompute {job} {phase} {c}"),
        None => format!("recompute {job} {phase}"),
    };
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind(name)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A batch's writes by kind.
struct Batch<'a> {
    requests: Vec<&'a Write>,
    objections: Vec<&'a Write>,
    disputes: Vec<&'a Write>,
}

/// The events to append to each log: (log's INSERT head, rows of (case, seq, event)).
type Logs<'a> = Vec<(&'static str, Vec<(Uuid, i64, &'a NewEvent)>)>;

impl<'a> Batch<'a> {
    fn split(writes: &'a [Write]) -> Self {
        let mut b = Self {
            requests: Vec::new(),
            objections: Vec::new(),
            disputes: Vec::new(),
        };
        for w in writes {
            match w {
                Write::Request { .. } => b.requests.push(w),
                Write::Objection { .. } => b.objections.push(w),
                Write::Dispute { .. } => b.disputes.push(w),
            }
        }
        b
    }

    /// The events of the rows actually updated, numbered after the count they matched; the
    /// deadlines moved; the cases skipped because they changed meanwhile.
    fn events(&self, updated: &std::collections::HashSet<Uuid>) -> (u64, Vec<Uuid>, Logs<'a>) {
        let mut moved = 0u64;
        let mut skipped = Vec::new();
        let mut logs = Vec::new();
        for (log, kind) in [
            (EVENTS_REQUEST, &self.requests),
            (EVENTS_OBJECTION, &self.objections),
            (EVENTS_DISPUTE, &self.disputes),
        ] {
            let mut rows: Vec<(Uuid, i64, &'a NewEvent)> = Vec::new();
            for w in kind.iter() {
                let (id, expected, event) = match w {
                    Write::Request {
                        id,
                        expected,
                        event,
                        ..
                    }
                    | Write::Dispute {
                        id,
                        expected,
                        event,
                        ..
                    } => (*id, *expected, event.as_ref()),
                    Write::Objection {
                        id,
                        expected,
                        event,
                        ..
                    } => (*id, *expected, Some(event)),
                };
                if !updated.contains(&id) {
                    skipped.push(id);
                } else if let Some(e) = event {
                    rows.push((id, expected + 1, e));
                }
            }
            moved += rows.len() as u64;
            if !rows.is_empty() {
                logs.push((log, rows));
            }
        }
        (moved, skipped, logs)
    }
}

mod sqlite {
    use std::collections::HashSet;

    use sqlx::{Sqlite, Transaction};
    use time::OffsetDateTime;
    use uuid::Uuid;

    use super::{
        Batch, CHUNK, DISPUTE_UPDATE, Logs, OBJECTION_UPDATE, REQUEST_UPDATE, Write,
        guarded_update, values_list,
    };

    /// The guarded updates of a batch; the ids of the rows they updated.
    pub(super) async fn update(
        tx: &mut Transaction<'_, Sqlite>,
        batch: &Batch<'_>,
        now: OffsetDateTime,
    ) -> Result<HashSet<Uuid>, sqlx::Error> {
        let mut updated = HashSet::new();
        for chunk in batch.requests.chunks(CHUNK) {
            let sql = guarded_update(REQUEST_UPDATE, chunk.len());
            // Built only from the constants above and parameter numbers.
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            for w in chunk {
                if let Write::Request {
                    id,
                    expected,
                    event,
                    projection: p,
                } = w
                {
                    q = q
                        .bind(*id)
                        .bind(*expected)
                        .bind(i64::from(event.is_some()))
                        .bind(p.notice_due_on)
                        .bind(p.due_on)
                        .bind(&p.state)
                        .bind(&p.calendar_version)
                        .bind(now)
                        .bind(p.service_wd)
                        .bind(p.on_time);
                }
            }
            for r in q.fetch_all(&mut **tx).await? {
                updated.insert(sqlx::Row::try_get::<Uuid, _>(&r, 0)?);
            }
        }
        for chunk in batch.objections.chunks(CHUNK) {
            let sql = guarded_update(OBJECTION_UPDATE, chunk.len());
            // Built only from the constants above and parameter numbers.
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            for w in chunk {
                if let Write::Objection {
                    id,
                    expected,
                    projection: p,
                    ..
                } = w
                {
                    q = q
                        .bind(*id)
                        .bind(*expected)
                        .bind(&p.status)
                        .bind(p.answer_due_on)
                        .bind(&p.outcome)
                        .bind(p.decided_on)
                        .bind(&p.state)
                        .bind(now);
                }
            }
            for r in q.fetch_all(&mut **tx).await? {
                updated.insert(sqlx::Row::try_get::<Uuid, _>(&r, 0)?);
            }
        }
        for chunk in batch.disputes.chunks(CHUNK) {
            let sql = guarded_update(DISPUTE_UPDATE, chunk.len());
            // Built only from the constants above and parameter numbers.
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            for w in chunk {
                if let Write::Dispute {
                    id,
                    expected,
                    event,
                    state,
                    deadlines,
                } = w
                {
                    q = q
                        .bind(*id)
                        .bind(*expected)
                        .bind(i64::from(event.is_some()))
                        .bind(state)
                        .bind(deadlines)
                        .bind(now);
                }
            }
            for r in q.fetch_all(&mut **tx).await? {
                updated.insert(sqlx::Row::try_get::<Uuid, _>(&r, 0)?);
            }
        }
        Ok(updated)
    }

    pub(super) async fn insert_events(
        tx: &mut Transaction<'_, Sqlite>,
        logs: &Logs<'_>,
    ) -> Result<(), sqlx::Error> {
        for (log, rows) in logs {
            for chunk in rows.chunks(CHUNK) {
                let sql = values_list(log, 8, chunk.len());
                // Built only from the constants above and parameter numbers.
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
                for (parent, seq, e) in chunk {
                    q = q
                        .bind(e.id)
                        .bind(*parent)
                        .bind(*seq)
                        .bind(e.at)
                        .bind(&e.actor_kind)
                        .bind(e.actor_id)
                        .bind(&e.kind)
                        .bind(&e.data);
                }
                q.execute(&mut **tx).await?;
            }
        }
        Ok(())
    }
}

mod postgres {
    use std::collections::HashSet;

    use sqlx::{Postgres, Transaction};
    use time::{Date, OffsetDateTime};
    use uuid::Uuid;

    use super::{Batch, Logs, Write};

    const REQUESTS: &str = "UPDATE requests SET notice_due_on = v.notice_due_on, due_on = v.due_on, \
        state = v.state, calendar_version = v.calendar_version, \
        event_count = requests.event_count + v.inc, updated_at = $10, service_wd = v.service_wd, \
        on_time = v.on_time \
        FROM unnest($1::uuid[], $2::int8[], $3::int8[], $4::date[], $5::date[], $6::text[], \
                    $7::text[], $8::int8[], $9::bool[]) \
             AS v(id, expected, inc, notice_due_on, due_on, state, calendar_version, service_wd, on_time) \
        WHERE requests.id = v.id AND requests.event_count = v.expected RETURNING requests.id";
    const OBJECTIONS: &str = "UPDATE objections SET status = v.status, answer_due_on = v.answer_due_on, \
        outcome = v.outcome, decided_on = v.decided_on, state = v.state, \
        event_count = objections.event_count + 1, updated_at = $8 \
        FROM unnest($1::uuid[], $2::int8[], $3::text[], $4::date[], $5::text[], $6::date[], $7::text[]) \
             AS v(id, expected, status, answer_due_on, outcome, decided_on, state) \
        WHERE objections.id = v.id AND objections.event_count = v.expected RETURNING objections.id";
    const DISPUTES: &str = "UPDATE disputes SET state = v.state, deadlines = v.deadlines, \
        event_count = disputes.event_count + v.inc, updated_at = $6 \
        FROM unnest($1::uuid[], $2::int8[], $3::int8[], $4::text[], $5::text[]) \
             AS v(id, expected, inc, state, deadlines) \
        WHERE disputes.id = v.id AND disputes.event_count = v.expected RETURNING disputes.id";

    pub(super) async fn update(
        tx: &mut Transaction<'_, Postgres>,
        batch: &Batch<'_>,
        now: OffsetDateTime,
    ) -> Result<HashSet<Uuid>, sqlx::Error> {
        let mut updated = HashSet::new();
        if !batch.requests.is_empty() {
            let n = batch.requests.len();
            let (mut id, mut expected, mut inc) = (
                Vec::with_capacity(n),
                Vec::with_capacity(n),
                Vec::with_capacity(n),
            );
            let (mut notice, mut due, mut state, mut version, mut wd, mut on_time) = (
                Vec::<Option<Date>>::with_capacity(n),
                Vec::<Option<Date>>::with_capacity(n),
                Vec::with_capacity(n),
                Vec::with_capacity(n),
                Vec::with_capacity(n),
                Vec::with_capacity(n),
            );
            for w in &batch.requests {
                if let Write::Request {
                    id: i,
                    expected: e,
                    event,
                    projection: p,
                } = w
                {
                    id.push(*i);
                    expected.push(*e);
                    inc.push(i64::from(event.is_some()));
                    notice.push(p.notice_due_on);
                    due.push(p.due_on);
                    state.push(p.state.as_str());
                    version.push(p.calendar_version.as_str());
                    wd.push(p.service_wd);
                    on_time.push(p.on_time);
                }
            }
            let ids: Vec<Uuid> = sqlx::query_scalar(REQUESTS)
                .bind(id)
                .bind(expected)
                .bind(inc)
                .bind(notice)
                .bind(due)
                .bind(state)
                .bind(version)
                .bind(wd)
                .bind(on_time)
                .bind(now)
                .fetch_all(&mut **tx)
                .await?;
            updated.extend(ids);
        }
        if !batch.objections.is_empty() {
            let n = batch.objections.len();
            let (mut id, mut expected, mut status, mut answer, mut outcome, mut decided, mut state) = (
                Vec::with_capacity(n),
                Vec::with_capacity(n),
                Vec::with_capacity(n),
                Vec::<Option<Date>>::with_capacity(n),
                Vec::<Option<&str>>::with_capacity(n),
                Vec::<Option<Date>>::with_capacity(n),
                Vec::with_capacity(n),
            );
            for w in &batch.objections {
                if let Write::Objection {
                    id: i,
                    expected: e,
                    projection: p,
                    ..
                } = w
                {
                    id.push(*i);
                    expected.push(*e);
                    status.push(p.status.as_str());
                    answer.push(p.answer_due_on);
                    outcome.push(p.outcome.as_deref());
                    decided.push(p.decided_on);
                    state.push(p.state.as_str());
                }
            }
            let ids: Vec<Uuid> = sqlx::query_scalar(OBJECTIONS)
                .bind(id)
                .bind(expected)
                .bind(status)
                .bind(answer)
                .bind(outcome)
                .bind(decided)
                .bind(state)
                .bind(now)
                .fetch_all(&mut **tx)
                .await?;
            updated.extend(ids);
        }
        if !batch.disputes.is_empty() {
            let n = batch.disputes.len();
            let (mut id, mut expected, mut inc, mut state, mut deadlines) = (
                Vec::with_capacity(n),
                Vec::with_capacity(n),
                Vec::with_capacity(n),
                Vec::with_capacity(n),
                Vec::with_capacity(n),
            );
            for w in &batch.disputes {
                if let Write::Dispute {
                    id: i,
                    expected: e,
                    event,
                    state: s,
                    deadlines: d,
                } = w
                {
                    id.push(*i);
                    expected.push(*e);
                    inc.push(i64::from(event.is_some()));
                    state.push(s.as_str());
                    deadlines.push(d.as_str());
                }
            }
            let ids: Vec<Uuid> = sqlx::query_scalar(DISPUTES)
                .bind(id)
                .bind(expected)
                .bind(inc)
                .bind(state)
                .bind(deadlines)
                .bind(now)
                .fetch_all(&mut **tx)
                .await?;
            updated.extend(ids);
        }
        Ok(updated)
    }

    pub(super) async fn insert_events(
        tx: &mut Transaction<'_, Postgres>,
        logs: &Logs<'_>,
    ) -> Result<(), sqlx::Error> {
        for (head, rows) in logs {
            // `INSERT INTO log (columns) VALUES ` becomes `INSERT INTO log (columns) SELECT *
            // FROM unnest(…)`: the same columns in the same order.
            let sql = format!(
                "{} SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int8[], $4::timestamptz[], \
                 $5::text[], $6::uuid[], $7::text[], $8::text[])",
                head.trim_end().trim_end_matches("VALUES").trim_end()
            );
            let n = rows.len();
            let (
                mut id,
                mut parent,
                mut seq,
                mut at,
                mut actor_kind,
                mut actor_id,
                mut kind,
                mut data,
            ) = (
                Vec::with_capacity(n),
                Vec::with_capacity(n),
                Vec::with_capacity(n),
                Vec::with_capacity(n),
                Vec::with_capacity(n),
                Vec::<Option<Uuid>>::with_capacity(n),
                Vec::with_capacity(n),
                Vec::with_capacity(n),
            );
            for (p, s, e) in rows {
                id.push(e.id);
                parent.push(*p);
                seq.push(*s);
                at.push(e.at);
                actor_kind.push(e.actor_kind.as_str());
                actor_id.push(e.actor_id);
                kind.push(e.kind.as_str());
                data.push(e.data.as_str());
            }
            // Built only from the constants of this module's parent.
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(id)
                .bind(parent)
                .bind(seq)
                .bind(at)
                .bind(actor_kind)
                .bind(actor_id)
                .bind(kind)
                .bind(data)
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }
}

/// Rows per statement: under both databases' limits on bound parameters (10 per request row;
/// SQLite allows 32,766, PostgreSQL 65,535).
const CHUNK: usize = 500;

/// `(columns, SET list, table)` of a guarded update: the rows are `v`, matched on `id` and on
/// the event count they were planned from (`expected`); `inc` is 1 when an event comes along.
type Guarded = (&'static str, &'static str, &'static str);

/// Only what a calendar can move: the dates, the working days of service and the folded state
/// (its due dates). Status, unit, decision and the rest stay as their own events left them, so
/// the indexes over them and the tally triggers watching them are not touched.
const REQUEST_UPDATE: Guarded = (
    "id, expected, inc, notice_due_on, due_on, state, calendar_version, updated_at, service_wd, on_time",
    "notice_due_on = v.notice_due_on, due_on = v.due_on, state = v.state, \
     calendar_version = v.calendar_version, event_count = requests.event_count + v.inc, \
     updated_at = v.updated_at, service_wd = v.service_wd, on_time = v.on_time",
    "requests",
);

const OBJECTION_UPDATE: Guarded = (
    "id, expected, status, answer_due_on, outcome, decided_on, state, updated_at",
    "status = v.status, answer_due_on = v.answer_due_on, outcome = v.outcome, \
     decided_on = v.decided_on, state = v.state, event_count = objections.event_count + 1, \
     updated_at = v.updated_at",
    "objections",
);

const DISPUTE_UPDATE: Guarded = (
    "id, expected, inc, state, deadlines, updated_at",
    "state = v.state, deadlines = v.deadlines, event_count = disputes.event_count + v.inc, \
     updated_at = v.updated_at",
    "disputes",
);

const EVENTS_REQUEST: &str = "INSERT INTO request_events (id, request_id, seq, at, actor_kind, actor_id, kind, data) VALUES ";
const EVENTS_OBJECTION: &str = "INSERT INTO objection_events (id, objection_id, seq, at, actor_kind, actor_id, kind, data) VALUES ";
const EVENTS_DISPUTE: &str = "INSERT INTO dispute_events (id, dispute_id, seq, at, actor_kind, actor_id, kind, data) VALUES ";

/// `WITH v(cols) AS (VALUES …) UPDATE table SET … FROM v WHERE …  RETURNING id`, for `rows`
/// rows (SQLite; PostgreSQL takes the rows as arrays, see `postgres`).
///
/// The `id IN (SELECT id FROM v)` repeats the join for SQLite's planner: without it, SQLite
/// 3.51 scans the whole table against a Bloom filter of `v` (60 ms a batch of 500 among
/// 100,000 requests) instead of looking the 500 ids up (10 ms).
fn guarded_update((columns, set, table): Guarded, rows: usize) -> String {
    let width = columns.split(',').count();
    let mut sql = format!("WITH v({columns}) AS (");
    sql.push_str(&values_list("VALUES ", width, rows));
    sql.push_str(&format!(
        ") UPDATE {table} SET {set} FROM v WHERE {table}.id IN (SELECT id FROM v) \
         AND {table}.id = v.id AND {table}.event_count = v.expected RETURNING {table}.id"
    ));
    sql
}

/// `head` followed by `rows` tuples of `width` anonymous `?` parameters (SQLite): looking up
/// the name of each numbered parameter walks the list of all of them
/// (`sqlite3_bind_parameter_name`), quadratic in a statement of thousands.
fn values_list(head: &str, width: usize, rows: usize) -> String {
    let mut sql = String::with_capacity(head.len() + rows * width * 6);
    sql.push_str(head);
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..width {
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push('?');
        }
        sql.push(')');
    }
    sql
}

#[cfg(test)]
mod tests {
    use crate::db::{Db, DbOptions};

    /// A migrated SQLite database in a folder of its own: (folder, URL, database).
    async fn fresh_sqlite(name: &str) -> (std::path::PathBuf, String, Db) {
        let dir = std::env::temp_dir().join(format!("lentera-{name}-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).expect("dir");
        let url = format!("sqlite://{}", dir.join(format!("{name}.sqlite3")).display());
        let db = Db::connect(&url, &DbOptions::default())
            .await
            .expect("connect");
        db.migrate().await.expect("migrate");
        (dir, url, db)
    }

    /// `lentera calendar import` beside `serve`: two processes, two writers on one file. The
    /// import's transaction reads the next version number, then writes; if the server commits
    /// in between, a deferred transaction's snapshot is stale and SQLite answers "database is
    /// locked" at once (seen in the gate's smoke test). Taken up front, the lock is waited for.
    #[tokio::test]
    async fn a_write_beside_another_processes_commit_waits_instead_of_failing() {
        let (dir, url, server) = fresh_sqlite("busy").await;
        let command = Db::connect(&url, &DbOptions::default())
            .await
            .expect("connect again");
        let crate::db::Conn::Sqlite(pool) = server.write() else {
            panic!("sqlite")
        };
        for round in 0..5 {
            // The server holds the write lock and commits a change while the import runs.
            let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.expect("begin");
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "CREATE TABLE elsewhere_{round} (x)"
            )))
            .execute(&mut *tx)
            .await
            .expect("write");
            let import = tokio::spawn({
                let command = command.clone();
                async move {
                    let v = super::NewVersion {
                        year: 2027,
                        version: format!("2027.{round}"),
                        status: "confirmed".into(),
                        note: String::new(),
                        instrument: "SKB".into(),
                        data: "{}".into(),
                        digest: format!("d{round}"),
                        source: "test".into(),
                        loaded_by: "uji".into(),
                        loaded_at: time::OffsetDateTime::UNIX_EPOCH,
                    };
                    super::insert_version(&command, &v, None).await
                }
            });
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            tx.commit().await.expect("commit");
            import
                .await
                .expect("task")
                .unwrap_or_else(|e| panic!("round {round}: {e}"));
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A batch's update looks its rows up by id, on a table the planner has statistics of;
    /// the plans, not a timing, so that the test says the same on any machine.
    #[tokio::test]
    async fn a_batch_update_looks_its_rows_up_instead_of_scanning_the_table() {
        let (dir, _, db) = fresh_sqlite("plan").await;
        let crate::db::Conn::Sqlite(pool) = db.write() else {
            panic!("sqlite")
        };
        let mut conn = pool.acquire().await.expect("conn");
        // Rows without their body and applicant: the plan is what is looked at.
        sqlx::query("PRAGMA foreign_keys = OFF")
            .execute(&mut *conn)
            .await
            .expect("pragma");
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) \
             INSERT INTO requests (id, number, body_id, applicant_id, tracking_hash, channel, \
             information, purpose, received_on, status, extended, due_on, state, event_count, \
             calendar_version, created_at, updated_at) \
             SELECT CAST(printf('%016d', i) AS BLOB), 'N' || i, x'01', x'02', '', 'web', '', '', \
             '2026-12-18', 'received', 0, '2027-01-04', '{}', 1, 'v', '', '' FROM n",
        )
        .execute(&mut *conn)
        .await
        .expect("rows");
        sqlx::query("ANALYZE")
            .execute(&mut *conn)
            .await
            .expect("analyze");
        for (guarded, width) in [
            (super::REQUEST_UPDATE, 10),
            (super::OBJECTION_UPDATE, 8),
            (super::DISPUTE_UPDATE, 6),
        ] {
            let sql = format!("EXPLAIN QUERY PLAN {}", super::guarded_update(guarded, 500));
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            for _ in 0..500 * width {
                q = q.bind(None::<i64>);
            }
            let plan: Vec<String> = q
                .fetch_all(&mut *conn)
                .await
                .expect("plan")
                .iter()
                .map(|r| sqlx::Row::get::<String, _>(r, 3))
                .collect();
            let table = guarded.2;
            assert!(
                plan.iter()
                    .any(|l| l.starts_with(&format!("SEARCH {table} USING"))),
                "{plan:#?}"
            );
            assert!(
                !plan.iter().any(|l| l.starts_with(&format!("SCAN {table}"))),
                "{plan:#?}"
            );
        }
        drop(conn);
        db.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }
}
