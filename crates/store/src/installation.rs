//! Facts of the installation that every node must agree on (`installation_facts`).

use crate::{Db, StoreError, with_conn};

/// Records `value` under `name` unless a value is there already; returns the value in force
/// (the first one recorded, by whichever node started first).
pub async fn claim(db: &Db, name: &str, value: &str) -> Result<String, StoreError> {
    const INSERT: &str = "INSERT INTO installation_facts (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";
    const SELECT: &str = "SELECT value FROM installation_facts WHERE name = $1";
    with_conn!(db.write(), |pool| sqlx::query(INSERT)
        .bind(name)
        .bind(value)
        .execute(pool)
        .await
        .map(|_| ()))?;
    let v: String = with_conn!(db.write(), |pool| sqlx::query_scalar(SELECT)
        .bind(name)
        .fetch_one(pool)
        .await)?;
    Ok(v)
}
