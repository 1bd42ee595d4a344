//! Official letters: each body's letterhead and signatory, the letters issued (inserted once,
//! never changed), and the jobs of letters still to issue. A job takes its number once, at its
//! first attempt, from the body's letter counter (one sequence per body and year through every
//! kind), so a retry prints the same number and none is reused or lost.

use crate::db::BeginWrite;
use sqlx::FromRow;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use lentera_domain::numbering::LetterPattern;

use crate::{Backend, Db, StoreError, with_conn};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct LetterheadRow {
    pub body_id: Uuid,
    pub authority: String,
    pub name: String,
    pub address: String,
    pub contacts: String,
    pub logo: Option<Vec<u8>>,
    pub logo_mime: Option<String>,
    pub signatory_name: String,
    pub signatory_nip: String,
    pub signatory_position: String,
    pub number_pattern: String,
    pub updated_at: OffsetDateTime,
}

/// A letter to issue for event `event_seq` of a request or an objection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLetterJob {
    pub id: Uuid,
    pub body_id: Uuid,
    pub kind: String,
    /// `request` or `objection`.
    pub case_kind: String,
    pub case_id: Uuid,
    pub event_seq: i64,
    pub issued_on: Date,
}

/// A letter an event calls for, carried by the event ([`crate::requests::NewEvent::letters`])
/// and written as a job in the event's own transaction: no letter for an event that rolled
/// back, no event without its letters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterCall {
    pub id: Uuid,
    pub body_id: Uuid,
    pub kind: String,
    /// `request` or `objection`.
    pub case_kind: String,
    pub case_id: Uuid,
    pub issued_on: Date,
}

/// One job for `$seq`, the number of the event in its log (bound by [`crate::events::insert`]).
pub(crate) const ENQUEUE: &str = "INSERT INTO letter_jobs (id, body_id, kind, case_kind, case_id, event_seq, issued_on, attempts, next_at_ms, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 0, $8) ON CONFLICT (case_kind, case_id, event_seq, kind) DO NOTHING";

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct LetterJobRow {
    pub id: Uuid,
    pub body_id: Uuid,
    pub kind: String,
    pub case_kind: String,
    pub case_id: Uuid,
    pub event_seq: i64,
    pub issued_on: Date,
    pub number: Option<String>,
    pub attempts: i64,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct LetterRow {
    pub id: Uuid,
    pub body_id: Uuid,
    pub kind: String,
    pub number: String,
    pub case_kind: String,
    pub case_id: Uuid,
    pub event_seq: i64,
    pub issued_on: Date,
    pub verify_code: String,
    pub sha256: String,
    pub size: i64,
    pub storage_key: String,
    pub created_at: OffsetDateTime,
}

const LETTER_COLUMNS: &str = "id, body_id, kind, number, case_kind, case_id, event_seq, issued_on, verify_code, sha256, size, storage_key, created_at";
const JOB_COLUMNS: &str =
    "id, body_id, kind, case_kind, case_id, event_seq, issued_on, number, attempts, last_error";

pub async fn letterhead(db: &Db, body_id: Uuid) -> Result<Option<LetterheadRow>, StoreError> {
    const SQL: &str = "SELECT body_id, authority, name, address, contacts, logo, logo_mime, signatory_name, signatory_nip, \
                       signatory_position, number_pattern, updated_at FROM letterheads WHERE body_id = $1";
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<
        _,
        LetterheadRow,
    >(SQL)
    .bind(body_id)
    .fetch_optional(pool)
    .await)?)
}

/// Stores (or replaces) a body's letterhead.
pub async fn put_letterhead(db: &Db, h: &LetterheadRow) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO letterheads (body_id, authority, name, address, contacts, logo, logo_mime, signatory_name, \
                       signatory_nip, signatory_position, number_pattern, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
                       ON CONFLICT (body_id) DO UPDATE SET authority = excluded.authority, name = excluded.name, \
                       address = excluded.address, contacts = excluded.contacts, logo = excluded.logo, logo_mime = excluded.logo_mime, \
                       signatory_name = excluded.signatory_name, signatory_nip = excluded.signatory_nip, \
                       signatory_position = excluded.signatory_position, number_pattern = excluded.number_pattern, \
                       updated_at = excluded.updated_at";
    with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(h.body_id)
        .bind(&h.authority)
        .bind(&h.name)
        .bind(&h.address)
        .bind(&h.contacts)
        .bind(&h.logo)
        .bind(&h.logo_mime)
        .bind(&h.signatory_name)
        .bind(&h.signatory_nip)
        .bind(&h.signatory_position)
        .bind(&h.number_pattern)
        .bind(h.updated_at)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Jobs of letters to issue, due at once. A job already there for the same event and kind is
/// left as it is (an event calls for each of its letters once).
pub async fn enqueue(
    db: &Db,
    jobs: &[NewLetterJob],
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    const SQL: &str = ENQUEUE;
    if jobs.is_empty() {
        return Ok(());
    }
    with_conn!(db.write(), |pool| {
        async {
            let mut tx = pool.begin_write().await?;
            for j in jobs {
                sqlx::query(SQL)
                    .bind(j.id)
                    .bind(j.body_id)
                    .bind(&j.kind)
                    .bind(&j.case_kind)
                    .bind(j.case_id)
                    .bind(j.event_seq)
                    .bind(j.issued_on)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        }
        .await
    })?;
    Ok(())
}

/// Takes up to `limit` due jobs for this node until `lease_until_ms` (another node skips
/// them until then) and counts the attempt.
pub async fn take_due(
    db: &Db,
    now_ms: i64,
    lease_until_ms: i64,
    limit: i64,
) -> Result<Vec<LetterJobRow>, StoreError> {
    // PostgreSQL: rows another node is taking are skipped, not waited for.
    let lock = match db.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE letter_jobs SET next_at_ms = $2, attempts = attempts + 1 WHERE id IN \
         (SELECT id FROM letter_jobs WHERE next_at_ms <= $1 ORDER BY next_at_ms, id LIMIT $3{lock}) \
         RETURNING {JOB_COLUMNS}"
    );
    Ok(with_conn!(db.write(), |pool| sqlx::query_as::<
        _,
        LetterJobRow,
    >(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(now_ms)
    .bind(lease_until_ms)
    .bind(limit)
    .fetch_all(pool)
    .await)?)
}

/// The job's letter number: taken now from the body's counter for the year of issue if the
/// job has none yet, else the one it took before.
pub async fn number_for(
    db: &Db,
    job: &LetterJobRow,
    pattern: &LetterPattern,
    code: &str,
    kind_code: &str,
) -> Result<String, StoreError> {
    const NEXT: &str = "INSERT INTO counters (scope, year, value) VALUES ($1, $2, 1) \
                        ON CONFLICT (scope, year) DO UPDATE SET value = counters.value + 1 RETURNING value";
    const KEEP: &str = "UPDATE letter_jobs SET number = $2 WHERE id = $1 AND number IS NULL";
    const READ: &str = "SELECT number FROM letter_jobs WHERE id = $1";
    if let Some(n) = &job.number {
        return Ok(n.clone());
    }
    let year = job.issued_on.year();
    let month = u8::from(job.issued_on.month());
    let number: Option<String> = with_conn!(db.write(), |pool| {
        async {
            let mut tx = pool.begin_write().await?;
            let seq: i64 = sqlx::query_scalar(NEXT)
                .bind(format!("letter:{}", job.body_id))
                .bind(i64::from(year))
                .fetch_one(&mut *tx)
                .await?;
            let number = pattern.format(seq, code, kind_code, month, year);
            sqlx::query(KEEP)
                .bind(job.id)
                .bind(&number)
                .execute(&mut *tx)
                .await?;
            let kept: Option<Option<String>> = sqlx::query_scalar(READ)
                .bind(job.id)
                .fetch_optional(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(kept.flatten())
        }
        .await
    })?;
    number.ok_or(StoreError::NotFound)
}

/// Records the issued letter and ends its job, in one transaction.
pub async fn issue(db: &Db, letter: &LetterRow, job_id: Uuid) -> Result<(), StoreError> {
    const INSERT: &str = "INSERT INTO letters (id, body_id, kind, number, case_kind, case_id, event_seq, issued_on, verify_code, \
                          sha256, size, storage_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
    const DONE: &str = "DELETE FROM letter_jobs WHERE id = $1";
    with_conn!(db.write(), |pool| {
        async {
            let mut tx = pool.begin_write().await?;
            sqlx::query(INSERT)
                .bind(letter.id)
                .bind(letter.body_id)
                .bind(&letter.kind)
                .bind(&letter.number)
                .bind(&letter.case_kind)
                .bind(letter.case_id)
                .bind(letter.event_seq)
                .bind(letter.issued_on)
                .bind(&letter.verify_code)
                .bind(&letter.sha256)
                .bind(letter.size)
                .bind(&letter.storage_key)
                .bind(letter.created_at)
                .execute(&mut *tx)
                .await?;
            sqlx::query(DONE).bind(job_id).execute(&mut *tx).await?;
            tx.commit().await
        }
        .await
    })?;
    Ok(())
}

/// A failed attempt: the job comes due again at `next_at_ms`, with the error kept for the
/// officers' view.
pub async fn retry_later(
    db: &Db,
    job_id: Uuid,
    error: &str,
    next_at_ms: i64,
) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE letter_jobs SET last_error = $2, next_at_ms = $3 WHERE id = $1";
    with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(job_id)
        .bind(error)
        .bind(next_at_ms)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Drops the jobs of letters dated before `day` (the demo's older cases only); returns how
/// many.
pub async fn discard_jobs_before(db: &Db, day: Date) -> Result<u64, StoreError> {
    const SQL: &str = "DELETE FROM letter_jobs WHERE issued_on < $1";
    Ok(with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(day)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?)
}

pub async fn by_verify_code(db: &Db, code: &str) -> Result<Option<LetterRow>, StoreError> {
    let sql = format!("SELECT {LETTER_COLUMNS} FROM letters WHERE verify_code = $1");
    Ok(with_conn!(db.read(), |pool| {
        sqlx::query_as::<_, LetterRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(code)
            .fetch_optional(pool)
            .await
    })?)
}

/// The letters of a case, in the order they were issued.
pub async fn for_case(
    db: &Db,
    case_kind: &str,
    case_id: Uuid,
) -> Result<Vec<LetterRow>, StoreError> {
    let sql = format!(
        "SELECT {LETTER_COLUMNS} FROM letters WHERE case_kind = $1 AND case_id = $2 ORDER BY event_seq, created_at, id"
    );
    Ok(with_conn!(db.read(), |pool| {
        sqlx::query_as::<_, LetterRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(case_kind)
            .bind(case_id)
            .fetch_all(pool)
            .await
    })?)
}

/// The jobs of a case not issued yet (shown to officers with their last error).
pub async fn pending_for_case(
    db: &Db,
    case_kind: &str,
    case_id: Uuid,
) -> Result<Vec<LetterJobRow>, StoreError> {
    let sql = format!(
        "SELECT {JOB_COLUMNS} FROM letter_jobs WHERE case_kind = $1 AND case_id = $2 ORDER BY event_seq, id"
    );
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<
        _,
        LetterJobRow,
    >(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(case_kind)
    .bind(case_id)
    .fetch_all(pool)
    .await)?)
}
