//! Named leases, so that a job meant to run once per installation (housekeeping, the mail
//! sender, reminders) runs on one node at a time: a node takes the lease for a while and renews
//! it as long as it works; when it stops (crash, `kill -9`) the lease lapses and another node
//! takes it. A graceful shutdown hands it back at once.

use crate::{Db, StoreError, with_conn};

/// Takes or renews the lease `name` for `holder` until `now_ms + ttl_ms`: `true` when this
/// holder has it now. One statement: of two nodes asking at once, one wins.
pub async fn take(
    db: &Db,
    name: &str,
    holder: &str,
    ttl_ms: i64,
    now_ms: i64,
) -> Result<bool, StoreError> {
    const SQL: &str = "INSERT INTO job_leases (name, holder, until_ms, taken_ms) VALUES ($1, $2, $3, $4) \
        ON CONFLICT (name) DO UPDATE SET holder = $2, until_ms = $3, \
          taken_ms = CASE WHEN job_leases.holder = $2 THEN job_leases.taken_ms ELSE $4 END \
        WHERE job_leases.holder = $2 OR job_leases.until_ms <= $4 \
        RETURNING holder";
    let got: Option<String> = with_conn!(db.write(), |pool| sqlx::query_scalar(SQL)
        .bind(name)
        .bind(holder)
        .bind(now_ms.saturating_add(ttl_ms))
        .bind(now_ms)
        .fetch_optional(pool)
        .await)?;
    Ok(got.is_some())
}

/// Hands a lease back (graceful shutdown), if this holder has it.
pub async fn release(db: &Db, name: &str, holder: &str) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE job_leases SET until_ms = 0 WHERE name = $1 AND holder = $2";
    with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(name)
        .bind(holder)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Who holds a lease now (`None` when nobody does), for readiness and tests.
pub async fn holder(db: &Db, name: &str, now_ms: i64) -> Result<Option<String>, StoreError> {
    const SQL: &str = "SELECT holder FROM job_leases WHERE name = $1 AND until_ms > $2";
    let h: Option<String> = with_conn!(db.read(), |pool| sqlx::query_scalar(SQL)
        .bind(name)
        .bind(now_ms)
        .fetch_optional(pool)
        .await)?;
    Ok(h)
}
