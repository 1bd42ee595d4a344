//! The body's own texts of the annual report (`report_texts`, append-only versions per body,
//! year and part) and the dispute logs the report's chapter IV counts.

use crate::db::BeginWrite;
use sqlx::FromRow;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{Db, StoreError, with_conn};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct ReportTextRow {
    pub year: i64,
    pub part: String,
    pub version: i64,
    pub text: String,
    pub at: OffsetDateTime,
    pub actor_id: Option<Uuid>,
    /// The author's e-mail, when the author is still a user.
    pub author: Option<String>,
}

/// A new version of one part.
#[derive(Debug, Clone)]
pub struct NewText {
    pub part: String,
    /// The version this one replaces in the same year (0: the year's first).
    pub expected: i64,
    pub text: String,
}

/// Every stored version of a body's texts for years up to `year`, newest first within each
/// part (by year, then version): the first row of each part is the one in force.
pub async fn up_to(db: &Db, body_id: Uuid, year: i64) -> Result<Vec<ReportTextRow>, StoreError> {
    const SQL: &str = "SELECT t.year, t.part, t.version, t.text, t.at, t.actor_id, u.email AS author \
                       FROM report_texts t LEFT JOIN users u ON u.id = t.actor_id \
                       WHERE t.body_id = $1 AND t.year <= $2 \
                       ORDER BY t.part, t.year DESC, t.version DESC";
    Ok(with_conn!(db.read(), |pool| {
        sqlx::query_as::<_, ReportTextRow>(SQL)
            .bind(body_id)
            .bind(year)
            .fetch_all(pool)
            .await
    })?)
}

/// Stores new versions of several parts of one year in one transaction. A part whose latest
/// version in that year is no longer `expected` makes the whole save a conflict.
pub async fn append(
    db: &Db,
    body_id: Uuid,
    year: i64,
    texts: &[NewText],
    at: OffsetDateTime,
    actor_id: Option<Uuid>,
) -> Result<(), StoreError> {
    const LATEST: &str = "SELECT COALESCE(MAX(version), 0) FROM report_texts \
                          WHERE body_id = $1 AND year = $2 AND part = $3";
    const INSERT: &str = "INSERT INTO report_texts (id, body_id, year, part, version, text, at, actor_id) \
                          VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    let done: Result<bool, sqlx::Error> = with_conn!(db.write(), |pool| async {
        let mut tx = pool.begin_write().await?;
        for t in texts {
            let latest: i64 = sqlx::query_scalar(LATEST)
                .bind(body_id)
                .bind(year)
                .bind(&t.part)
                .fetch_one(&mut *tx)
                .await?;
            if latest != t.expected {
                tx.rollback().await?;
                return Ok(false);
            }
            sqlx::query(INSERT)
                .bind(Uuid::now_v7())
                .bind(body_id)
                .bind(year)
                .bind(&t.part)
                .bind(t.expected + 1)
                .bind(&t.text)
                .bind(at)
                .bind(actor_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }
    .await);
    if done? {
        Ok(())
    } else {
        Err(StoreError::Conflict(
            "report text changed concurrently".into(),
        ))
    }
}

/// The event logs (JSON, in order) of the body's disputes filed in `[from, to]`.
pub async fn dispute_logs(
    db: &Db,
    body_id: Uuid,
    from: Date,
    to: Date,
) -> Result<Vec<(Uuid, String)>, StoreError> {
    const SQL: &str = "SELECT e.dispute_id, e.data FROM dispute_events e JOIN disputes d ON d.id = e.dispute_id \
                       WHERE d.body_id = $1 AND d.filed_on >= $2 AND d.filed_on <= $3 \
                       ORDER BY e.dispute_id, e.seq";
    Ok(with_conn!(db.read(), |pool| {
        sqlx::query_as::<_, (Uuid, String)>(SQL)
            .bind(body_id)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await
    })?)
}
