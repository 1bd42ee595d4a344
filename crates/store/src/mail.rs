//! E-mail out: the outbox (a row per message, written with its event), the attempts, and
//! taking due messages under a lease so that several nodes send each message once.

use crate::db::BeginWrite;
use sqlx::FromRow;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Backend, Db, StoreError, with_conn};

/// A message an event calls for, carried by the event ([`crate::requests::NewEvent::mails`])
/// and written in its transaction. Who it goes to and what it says are read from the record
/// when it is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailCall {
    pub id: Uuid,
    pub body_id: Uuid,
    pub kind: String,
    /// `request` or `objection`.
    pub case_kind: String,
    pub case_id: Uuid,
    /// `id` or `en`: the language the requester used.
    pub lang: String,
}

/// One message for `$seq` (bound by [`crate::events::insert`]).
pub(crate) const ENQUEUE: &str = "INSERT INTO mail_outbox (id, body_id, kind, case_kind, case_id, event_seq, lang, status, attempts, next_at_ms, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, 0, $8) ON CONFLICT (case_kind, case_id, event_seq, kind) DO NOTHING";

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct MailRow {
    pub id: Uuid,
    pub body_id: Uuid,
    pub kind: String,
    pub case_kind: String,
    pub case_id: Uuid,
    pub event_seq: i64,
    pub lang: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub message_id: Option<String>,
    pub created_at: OffsetDateTime,
    pub sent_at: Option<OffsetDateTime>,
}

const COLUMNS: &str = "id, body_id, kind, case_kind, case_id, event_seq, lang, status, attempts, last_error, message_id, created_at, sent_at";

/// Takes up to `limit` pending messages due now for this node until `lease_until_ms`, and
/// counts the attempt.
pub async fn take_due(
    db: &Db,
    now_ms: i64,
    lease_until_ms: i64,
    limit: i64,
) -> Result<Vec<MailRow>, StoreError> {
    let lock = match db.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE mail_outbox SET next_at_ms = $2, attempts = attempts + 1 WHERE id IN \
         (SELECT id FROM mail_outbox WHERE status = 'pending' AND next_at_ms <= $1 ORDER BY next_at_ms, id LIMIT $3{lock}) \
         RETURNING {COLUMNS}"
    );
    Ok(with_conn!(db.write(), |pool| {
        sqlx::query_as::<_, MailRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(now_ms)
            .bind(lease_until_ms)
            .bind(limit)
            .fetch_all(pool)
            .await
    })?)
}

/// The end of an attempt: `status` (`sent`, `bounced`, `failed`, or `pending` to retry at
/// `next_at_ms`), recorded with the attempt in one transaction.
#[allow(clippy::too_many_arguments)]
pub async fn record_attempt(
    db: &Db,
    mail_id: Uuid,
    status: &str,
    outcome: &str,
    detail: &str,
    next_at_ms: i64,
    message_id: Option<&str>,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    const UPDATE: &str = "UPDATE mail_outbox SET status = $2, last_error = $3, next_at_ms = $4, \
                          message_id = COALESCE($5, message_id), sent_at = CASE WHEN $2 = 'sent' THEN $6 ELSE sent_at END WHERE id = $1";
    const ATTEMPT: &str =
        "INSERT INTO mail_attempts (id, mail_id, at, outcome, detail) VALUES ($1, $2, $3, $4, $5)";
    let error = (status != "sent").then_some(detail);
    with_conn!(db.write(), |pool| {
        async {
            let mut tx = pool.begin_write().await?;
            sqlx::query(UPDATE)
                .bind(mail_id)
                .bind(status)
                .bind(error)
                .bind(next_at_ms)
                .bind(message_id)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            sqlx::query(ATTEMPT)
                .bind(Uuid::now_v7())
                .bind(mail_id)
                .bind(at)
                .bind(outcome)
                .bind(detail)
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        }
        .await
    })?;
    Ok(())
}

/// The messages of a case, oldest first.
pub async fn for_case(db: &Db, case_kind: &str, case_id: Uuid) -> Result<Vec<MailRow>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM mail_outbox WHERE case_kind = $1 AND case_id = $2 ORDER BY event_seq, created_at, id"
    );
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<_, MailRow>(
        sqlx::AssertSqlSafe(sql.clone())
    )
    .bind(case_kind)
    .bind(case_id)
    .fetch_all(pool)
    .await)?)
}

/// The earlier message of a case that was sent (its `Message-ID` threads the next one).
pub async fn thread_root(
    db: &Db,
    case_kind: &str,
    case_id: Uuid,
) -> Result<Option<String>, StoreError> {
    const SQL: &str = "SELECT message_id FROM mail_outbox WHERE case_kind = $1 AND case_id = $2 \
                       AND message_id IS NOT NULL ORDER BY event_seq, created_at LIMIT 1";
    let v: Option<Option<String>> = with_conn!(db.read(), |pool| sqlx::query_scalar(SQL)
        .bind(case_kind)
        .bind(case_id)
        .fetch_optional(pool)
        .await)?;
    Ok(v.flatten())
}

/// Puts a taken message back without counting the attempt (its letter is not issued yet).
pub async fn defer(db: &Db, mail_id: Uuid, next_at_ms: i64) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE mail_outbox SET next_at_ms = $2, attempts = attempts - 1 WHERE id = $1 AND attempts > 0";
    with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(mail_id)
        .bind(next_at_ms)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Drops pending messages written before `at` (the demo's older cases only); returns how many.
pub async fn discard_pending_before(db: &Db, at: OffsetDateTime) -> Result<u64, StoreError> {
    const SQL: &str = "DELETE FROM mail_outbox WHERE status = 'pending' AND created_at < $1";
    Ok(with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(at)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?)
}
