//! Audit log: who looked at or changed what outside the request event log (identity views,
//! administration). Never holds identity data itself.

use crate::db::BeginWrite;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Db, StoreError, with_conn};

/// The `prev_hash` of the first link.
pub const GENESIS: &str = "lentera-audit-v1";

/// Appends one entry to the chain: numbered after the last one, hashed over the last one's
/// hash and its own fields, in one transaction (PostgreSQL instances take an advisory lock, so
/// two of them never number the same link; SQLite has a single writer).
pub async fn record(
    db: &Db,
    at: OffsetDateTime,
    actor_id: Option<Uuid>,
    action: &str,
    entity: &str,
    entity_id: &str,
    detail: &str,
) -> Result<(), StoreError> {
    const LOCK: &str = "SELECT pg_advisory_xact_lock(7241501)";
    const HEAD: &str =
        "SELECT seq, hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1";
    const SQL: &str = "INSERT INTO audit_log (id, at, actor_id, action, entity, entity_id, detail, seq, prev_hash, hash) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
    let postgres = db.backend() == crate::db::Backend::Postgres;
    let link = Link {
        seq: 0,
        id: Uuid::now_v7(),
        // Microseconds: what both databases keep, so that the hash reads back the same.
        at: at
            .replace_nanosecond(at.nanosecond() / 1000 * 1000)
            .unwrap_or(at),
        actor_id,
        action: action.to_owned(),
        entity: entity.to_owned(),
        entity_id: entity_id.to_owned(),
        detail: detail.to_owned(),
        prev_hash: None,
        hash: None,
    };
    with_conn!(db.write(), |pool| {
        async {
            let mut tx = pool.begin_write().await?;
            if postgres {
                sqlx::query(LOCK).execute(&mut *tx).await?;
            }
            let head: Option<(i64, Option<String>)> =
                sqlx::query_as(HEAD).fetch_optional(&mut *tx).await?;
            let (seq, prev) = match head {
                Some((s, h)) => (s + 1, h.unwrap_or_default()),
                None => (1, GENESIS.to_owned()),
            };
            let hash = link.hash_after(&prev, seq);
            sqlx::query(SQL)
                .bind(link.id)
                .bind(link.at)
                .bind(link.actor_id)
                .bind(&link.action)
                .bind(&link.entity)
                .bind(&link.entity_id)
                .bind(&link.detail)
                .bind(seq)
                .bind(&prev)
                .bind(&hash)
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        }
        .await
    })?;
    Ok(())
}

/// One row of the chain as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Link {
    pub seq: i64,
    pub id: Uuid,
    pub at: OffsetDateTime,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub detail: String,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

impl Link {
    /// SHA-256 over the previous hash and every field, each length-prefixed so that no two
    /// different rows hash the same text.
    pub fn hash_after(&self, prev: &str, seq: i64) -> String {
        use sha2::Digest as _;
        let micros = self.at.unix_timestamp_nanos() / 1000;
        let actor = self.actor_id.map(|a| a.to_string()).unwrap_or_default();
        let mut h = sha2::Sha256::new();
        for part in [
            prev,
            &seq.to_string(),
            &self.id.to_string(),
            &micros.to_string(),
            &actor,
            &self.action,
            &self.entity,
            &self.entity_id,
            &self.detail,
        ] {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part.as_bytes());
        }
        hex::encode(h.finalize())
    }
}

const LINK_COLUMNS: &str =
    "COALESCE(seq, 0) AS seq, id, at, actor_id, action, entity, entity_id, detail, prev_hash, hash";

/// Gives the rows written before the chain existed their place in it, oldest first (once: at
/// start-up, after the migrations).
pub async fn seal_legacy(db: &Db) -> Result<u64, StoreError> {
    let sql = format!(
        "SELECT {LINK_COLUMNS} FROM audit_log WHERE hash IS NULL ORDER BY at, id LIMIT 1000"
    );
    const HEAD: &str =
        "SELECT seq, hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1";
    const SEAL: &str =
        "UPDATE audit_log SET seq = $2, prev_hash = $3, hash = $4 WHERE id = $1 AND hash IS NULL";
    let mut sealed = 0u64;
    loop {
        let n = with_conn!(db.write(), |pool| {
            async {
                let mut tx = pool.begin_write().await?;
                let rows: Vec<Link> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                    .fetch_all(&mut *tx)
                    .await?;
                let head: Option<(i64, Option<String>)> =
                    sqlx::query_as(HEAD).fetch_optional(&mut *tx).await?;
                let (mut seq, mut prev) = match head {
                    Some((s, h)) => (s, h.unwrap_or_default()),
                    None => (0, GENESIS.to_owned()),
                };
                for r in &rows {
                    seq += 1;
                    let hash = r.hash_after(&prev, seq);
                    sqlx::query(SEAL)
                        .bind(r.id)
                        .bind(seq)
                        .bind(&prev)
                        .bind(&hash)
                        .execute(&mut *tx)
                        .await?;
                    prev = hash;
                }
                tx.commit().await?;
                Ok::<usize, sqlx::Error>(rows.len())
            }
            .await
        })?;
        sealed += n as u64;
        if n < 1000 {
            return Ok(sealed);
        }
    }
}

/// The first link that does not hold, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub seq: i64,
    pub id: Option<Uuid>,
    pub reason: BreakReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakReason {
    /// The row's fields no longer give its hash: it was edited.
    Edited,
    /// The row does not point at the hash of the one before: a row was replaced or reordered.
    Relinked,
    /// A number is missing: a row was deleted.
    Missing,
    /// A row outside the chain (no hash), written behind the application's back.
    Unsealed,
}

/// Walks the whole chain in order; `progress` gets the links checked so far. Returns how many
/// links hold and the first broken one, if any.
pub async fn verify(
    db: &Db,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<(u64, Option<BrokenLink>), StoreError> {
    let page_sql =
        format!("SELECT {LINK_COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 1000");
    const UNSEALED: &str = "SELECT id FROM audit_log WHERE hash IS NULL OR seq IS NULL LIMIT 1";
    let mut last = 0i64;
    let mut prev = GENESIS.to_owned();
    let mut checked = 0u64;
    loop {
        let rows: Vec<Link> = with_conn!(db.read(), |pool| sqlx::query_as(sqlx::AssertSqlSafe(
            page_sql.as_str()
        ))
        .bind(last)
        .fetch_all(pool)
        .await)?;
        for r in &rows {
            let broken = |reason| BrokenLink {
                seq: r.seq,
                id: Some(r.id),
                reason,
            };
            if r.seq != last + 1 {
                return Ok((
                    checked,
                    Some(BrokenLink {
                        seq: last + 1,
                        id: None,
                        reason: BreakReason::Missing,
                    }),
                ));
            }
            if r.prev_hash.as_deref() != Some(prev.as_str()) {
                return Ok((checked, Some(broken(BreakReason::Relinked))));
            }
            let expected = r.hash_after(&prev, r.seq);
            if r.hash.as_deref() != Some(expected.as_str()) {
                return Ok((checked, Some(broken(BreakReason::Edited))));
            }
            prev = expected;
            last = r.seq;
            checked += 1;
        }
        progress(checked);
        if rows.len() < 1000 {
            break;
        }
    }
    let stray: Option<Uuid> = with_conn!(db.read(), |pool| sqlx::query_scalar(UNSEALED)
        .fetch_optional(pool)
        .await)?;
    Ok((
        checked,
        stray.map(|id| BrokenLink {
            seq: last + 1,
            id: Some(id),
            reason: BreakReason::Unsealed,
        }),
    ))
}

/// What an admin filters the log by; empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// An action or its family (`closure` finds `closure.added` and `closure.removed`).
    pub action: Option<String>,
    pub entity_id: Option<String>,
    pub actor_id: Option<Uuid>,
    pub from: Option<OffsetDateTime>,
    pub until: Option<OffsetDateTime>,
    /// Entries numbered below this one (the next page, newest first).
    pub before_seq: Option<i64>,
    pub limit: i64,
}

/// The newest entries matching `f`, newest first.
pub async fn list(db: &Db, f: &Filter) -> Result<Vec<Link>, StoreError> {
    let sql = format!(
        "SELECT {LINK_COLUMNS} FROM audit_log WHERE seq < $1 \
         AND ($2 IS NULL OR action = $2 OR action LIKE $3) AND ($4 IS NULL OR entity_id = $4) \
         AND ($5 IS NULL OR actor_id = $5) AND ($6 IS NULL OR at >= $6) AND ($7 IS NULL OR at < $7) \
         ORDER BY seq DESC LIMIT $8"
    );
    let family = f.action.as_ref().map(|a| format!("{a}.%"));
    Ok(with_conn!(db.read(), |pool| sqlx::query_as(
        sqlx::AssertSqlSafe(sql.as_str())
    )
    .bind(f.before_seq.unwrap_or(i64::MAX))
    .bind(&f.action)
    .bind(&family)
    .bind(&f.entity_id)
    .bind(f.actor_id)
    .bind(f.from)
    .bind(f.until)
    .bind(f.limit.clamp(1, 500))
    .fetch_all(pool)
    .await)?)
}

pub async fn count_for(db: &Db, entity: &str, entity_id: &str) -> Result<i64, StoreError> {
    const SQL: &str = "SELECT COUNT(*) FROM audit_log WHERE entity = $1 AND entity_id = $2";
    Ok(with_conn!(db.read(), |pool| sqlx::query_scalar::<_, i64>(
        SQL
    )
    .bind(entity)
    .bind(entity_id)
    .fetch_one(pool)
    .await)?)
}

/// One line of the audit log.
#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct AuditRow {
    pub at: OffsetDateTime,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub detail: String,
}

/// What the log holds about one entity, oldest first.
pub async fn for_entity(
    db: &Db,
    entity: &str,
    entity_id: &str,
) -> Result<Vec<AuditRow>, StoreError> {
    const SQL: &str = "SELECT at, actor_id, action, detail FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY at, id";
    Ok(with_conn!(db.read(), |pool| {
        sqlx::query_as::<_, AuditRow>(SQL)
            .bind(entity)
            .bind(entity_id)
            .fetch_all(pool)
            .await
    })?)
}
