//! Brake counters in the database, so that every node of an installation counts the same
//! guesses: an attacker who spreads tracking-code or password guesses over several nodes is
//! stopped at the same count as on one. Times are milliseconds since the Unix epoch, given by
//! the caller (the nodes' clocks agree to well under a second; the windows are minutes).

use crate::{Db, StoreError, with_conn};

/// How a counter's window moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Starts at the first hit and lasts its length (guesses, volume).
    Fixed,
    /// Restarts with every hit (a lock-out lasts its length after the last failure).
    Sliding,
}

/// Counts one hit and returns the count in the current window (1 when the window had lapsed).
pub async fn hit(
    db: &Db,
    scope: &str,
    key: &str,
    window_ms: i64,
    mode: Window,
    now_ms: i64,
) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO brakes (scope, key, since_ms, hits) VALUES ($1, $2, $3, 1) \
        ON CONFLICT (scope, key) DO UPDATE SET \
          hits = CASE WHEN brakes.since_ms <= $4 THEN 1 ELSE brakes.hits + 1 END, \
          since_ms = CASE WHEN brakes.since_ms <= $4 OR $5 THEN $3 ELSE brakes.since_ms END \
        RETURNING hits";
    let cutoff = now_ms.saturating_sub(window_ms);
    let n: i64 = with_conn!(db.write(), |pool| sqlx::query_scalar(SQL)
        .bind(scope)
        .bind(key)
        .bind(now_ms)
        .bind(cutoff)
        .bind(mode == Window::Sliding)
        .fetch_one(pool)
        .await)?;
    Ok(n)
}

/// The count in the current window (0 when there is none).
pub async fn hits(
    db: &Db,
    scope: &str,
    key: &str,
    window_ms: i64,
    now_ms: i64,
) -> Result<i64, StoreError> {
    const SQL: &str = "SELECT hits FROM brakes WHERE scope = $1 AND key = $2 AND since_ms > $3";
    let cutoff = now_ms.saturating_sub(window_ms);
    let n: Option<i64> = with_conn!(db.read(), |pool| sqlx::query_scalar(SQL)
        .bind(scope)
        .bind(key)
        .bind(cutoff)
        .fetch_optional(pool)
        .await)?;
    Ok(n.unwrap_or(0))
}

/// Counts one action if the window still has room for it: `true` when admitted. One statement,
/// so two nodes admitting at the same moment cannot both take the last place.
pub async fn admit(
    db: &Db,
    scope: &str,
    key: &str,
    limit: i64,
    window_ms: i64,
    now_ms: i64,
) -> Result<bool, StoreError> {
    const SQL: &str = "INSERT INTO brakes (scope, key, since_ms, hits) VALUES ($1, $2, $3, 1) \
        ON CONFLICT (scope, key) DO UPDATE SET \
          hits = CASE WHEN brakes.since_ms <= $4 THEN 1 ELSE brakes.hits + 1 END, \
          since_ms = CASE WHEN brakes.since_ms <= $4 THEN $3 ELSE brakes.since_ms END \
        WHERE brakes.since_ms <= $4 OR brakes.hits < $5 \
        RETURNING hits";
    if limit <= 0 {
        return Ok(false);
    }
    let cutoff = now_ms.saturating_sub(window_ms);
    let n: Option<i64> = with_conn!(db.write(), |pool| sqlx::query_scalar(SQL)
        .bind(scope)
        .bind(key)
        .bind(now_ms)
        .bind(cutoff)
        .bind(limit)
        .fetch_optional(pool)
        .await)?;
    Ok(n.is_some())
}

/// Forgets a counter (a sign-in that passed every factor clears its lock-out count).
pub async fn clear(db: &Db, scope: &str, key: &str) -> Result<(), StoreError> {
    const SQL: &str = "DELETE FROM brakes WHERE scope = $1 AND key = $2";
    with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(scope)
        .bind(key)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Deletes counters whose window ended before `before_ms`; returns how many.
pub async fn sweep(db: &Db, before_ms: i64) -> Result<u64, StoreError> {
    const SQL: &str = "DELETE FROM brakes WHERE since_ms < $1";
    let n = with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(before_ms)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n)
}

/// Forgets every counter of `scope` whose key starts with `prefix` (a password reset clears the
/// lock-outs of an account at every address).
pub async fn clear_prefix(db: &Db, scope: &str, prefix: &str) -> Result<(), StoreError> {
    const SQL: &str = "DELETE FROM brakes WHERE scope = $1 AND substr(key, 1, length($2)) = $2";
    with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(scope)
        .bind(prefix)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(())
}
