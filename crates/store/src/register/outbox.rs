//! The search outbox outside an aggregate's transaction: queueing, and the reads of the
//! indexer that follows it.

use crate::db::BeginWrite;
use sqlx::FromRow;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{Aggregate, OUTBOX, OUTBOX_LOCK};
use crate::{Db, StoreError, with_conn};

/// Queues entities for the index outside an aggregate transaction.
pub async fn enqueue(
    db: &Db,
    items: &[(Aggregate, Uuid)],
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    let backend = db.backend();
    let r: Result<(), sqlx::Error> = with_conn!(db.write(), |pool| async {
        let mut tx = pool.begin_write().await?;
        push_outbox!(tx, backend, items, at).await?;
        tx.commit().await
    }
    .await);
    Ok(r?)
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct OutboxRow {
    pub id: i64,
    pub entity: String,
    pub entity_id: Uuid,
}

/// Outbox rows after `cursor`, oldest first.
pub async fn outbox_after(db: &Db, cursor: i64, limit: i64) -> Result<Vec<OutboxRow>, StoreError> {
    const SQL: &str =
        "SELECT id, entity, entity_id FROM search_outbox WHERE id > $1 ORDER BY id LIMIT $2";
    Ok(with_conn!(db.write(), |pool| {
        sqlx::query_as::<_, OutboxRow>(SQL)
            .bind(cursor)
            .bind(limit)
            .fetch_all(pool)
            .await
    })?)
}

/// The newest outbox id (0 when empty): where a full rebuild leaves the cursor.
pub async fn outbox_head(db: &Db) -> Result<i64, StoreError> {
    const SQL: &str = "SELECT COALESCE(MAX(id), 0) FROM search_outbox";
    let v: Option<i64> = with_conn!(db.write(), |pool| sqlx::query_scalar(SQL)
        .fetch_one(pool)
        .await)?;
    Ok(v.unwrap_or(0))
}
