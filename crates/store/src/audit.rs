//! Audit log: who looked at or changed what outside the request event log (identity views,
//! administration). Never holds identity data itself.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Db, StoreError, with_conn};

pub async fn record(
    db: &Db,
    at: OffsetDateTime,
    actor_id: Option<Uuid>,
    action: &str,
    entity: &str,
    entity_id: &str,
    detail: &str,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO audit_log (id, at, actor_id, action, entity, entity_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(Uuid::now_v7())
        .bind(at)
        .bind(actor_id)
        .bind(action)
        .bind(entity)
        .bind(entity_id)
        .bind(detail)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(())
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
