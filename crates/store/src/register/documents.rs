//! Documents attached to entries, publications and requests: their records, removal, the
//! officer's check by hand, and the reads by owner.

use crate::db::BeginWrite;
use sqlx::FromRow;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{Aggregate, EntryProjection, OUTBOX, OUTBOX_LOCK, append_entry, enqueue};
use crate::requests::NewEvent;
use crate::{Db, StoreError, with_conn};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct DocumentRow {
    pub id: Uuid,
    pub body_id: Uuid,
    pub owner_kind: String,
    pub owner_id: Uuid,
    pub filename: String,
    pub mime: String,
    pub size: i64,
    pub sha256: String,
    pub storage_key: String,
    pub extracted_text: String,
    pub uploaded_by: Option<Uuid>,
    pub created_at: OffsetDateTime,
    pub removed_at: Option<OffsetDateTime>,
    /// How much of the text the personal-data check could read (`read`, `partial`, `empty`,
    /// `unsupported`, `failed`).
    pub text_status: String,
    /// The masked findings of the scan as JSON; `None` when stored before scans were kept.
    pub findings: Option<String>,
    /// The officer who checked the document by hand, with their name at the time.
    pub checked_by: Option<Uuid>,
    pub checked_by_name: Option<String>,
    pub checked_at: Option<OffsetDateTime>,
}

macro_rules! document_columns {
    () => {
        "id, body_id, owner_kind, owner_id, filename, mime, size, sha256, storage_key, extracted_text, uploaded_by, created_at, removed_at, \
         text_status, findings, checked_by, checked_by_name, checked_at"
    };
}

/// Stores a document's record; `event` (if any) is appended to the owning entry's log with its
/// projection, in the same transaction.
pub async fn insert_document(
    db: &Db,
    d: &DocumentRow,
    owner_event: Option<(i64, &NewEvent, &EntryProjection)>,
) -> Result<(), StoreError> {
    let sql = concat!(
        "INSERT INTO documents (",
        document_columns!(),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)"
    );
    let r: Result<(), sqlx::Error> = with_conn!(db.write(), |pool| async {
        let mut tx = pool.begin_write().await?;
        sqlx::query(sql)
            .bind(d.id)
            .bind(d.body_id)
            .bind(&d.owner_kind)
            .bind(d.owner_id)
            .bind(&d.filename)
            .bind(&d.mime)
            .bind(d.size)
            .bind(&d.sha256)
            .bind(&d.storage_key)
            .bind(&d.extracted_text)
            .bind(d.uploaded_by)
            .bind(d.created_at)
            .bind(d.removed_at)
            .bind(&d.text_status)
            .bind(&d.findings)
            .bind(d.checked_by)
            .bind(&d.checked_by_name)
            .bind(d.checked_at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }
    .await);
    r?;
    if let Some((expected, event, p)) = owner_event {
        append_entry(db, d.owner_id, expected, event, p, true).await?;
        // The new document must be searchable too.
        enqueue(db, &[(Aggregate::Document, d.id)], d.created_at).await?;
    }
    Ok(())
}

/// Marks a document removed and queues it for removal from the index.
pub async fn remove_document(db: &Db, id: Uuid, at: OffsetDateTime) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE documents SET removed_at = $2 WHERE id = $1 AND removed_at IS NULL";
    let n = with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(id)
        .bind(at)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    enqueue(db, &[(Aggregate::Document, id)], at).await
}

/// Who checked a document by hand, for [`check_document`].
#[derive(Debug, Clone)]
pub struct DocumentCheck<'a> {
    pub officer: Uuid,
    pub officer_name: &'a str,
    pub at: OffsetDateTime,
    /// The audit log's detail for the check.
    pub detail: &'a str,
}

/// Records that an officer checked a live document, with its audit line and its outbox row in
/// the same transaction. False when it was checked already (nothing changes then).
pub async fn check_document(
    db: &Db,
    id: Uuid,
    check: &DocumentCheck<'_>,
) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE documents SET checked_by = $2, checked_by_name = $3, checked_at = $4 \
                       WHERE id = $1 AND removed_at IS NULL AND checked_at IS NULL";
    const AUDIT: &str = "INSERT INTO audit_log (id, at, actor_id, action, entity, entity_id, detail) \
                         VALUES ($1, $2, $3, 'document.checked', 'document', $4, $5)";
    let backend = db.backend();
    let r: Result<bool, sqlx::Error> = with_conn!(db.write(), |pool| async {
        let mut tx = pool.begin_write().await?;
        let n = sqlx::query(SQL)
            .bind(id)
            .bind(check.officer)
            .bind(check.officer_name)
            .bind(check.at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query(AUDIT)
            .bind(Uuid::now_v7())
            .bind(check.at)
            .bind(check.officer)
            .bind(id.to_string())
            .bind(check.detail)
            .execute(&mut *tx)
            .await?;
        push_outbox!(tx, backend, &[(Aggregate::Document, id)], check.at).await?;
        tx.commit().await?;
        Ok(true)
    }
    .await);
    Ok(r?)
}

pub async fn get_document(db: &Db, id: Uuid) -> Result<DocumentRow, StoreError> {
    let sql = concat!(
        "SELECT ",
        document_columns!(),
        " FROM documents WHERE id = $1"
    );
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<
        _,
        DocumentRow,
    >(sql)
    .bind(id)
    .fetch_one(pool)
    .await)?)
}

pub async fn documents_of(
    db: &Db,
    owner_kind: &str,
    owner_id: Uuid,
) -> Result<Vec<DocumentRow>, StoreError> {
    let sql = concat!(
        "SELECT ",
        document_columns!(),
        " FROM documents WHERE owner_kind = $1 AND owner_id = $2 AND removed_at IS NULL ORDER BY created_at"
    );
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<
        _,
        DocumentRow,
    >(sql)
    .bind(owner_kind)
    .bind(owner_id)
    .fetch_all(pool)
    .await)?)
}

/// Live documents of one kind of owner across a body, for lists that show many owners at once.
pub async fn documents_of_body(
    db: &Db,
    body_id: Uuid,
    owner_kind: &str,
) -> Result<Vec<DocumentRow>, StoreError> {
    let sql = concat!(
        "SELECT ",
        document_columns!(),
        " FROM documents WHERE body_id = $1 AND owner_kind = $2 AND removed_at IS NULL ORDER BY created_at"
    );
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<
        _,
        DocumentRow,
    >(sql)
    .bind(body_id)
    .bind(owner_kind)
    .fetch_all(pool)
    .await)?)
}

pub async fn live_document_ids(db: &Db) -> Result<Vec<Uuid>, StoreError> {
    const SQL: &str = "SELECT id FROM documents WHERE removed_at IS NULL ORDER BY id";
    Ok(with_conn!(db.read(), |pool| sqlx::query_scalar(SQL)
        .fetch_all(pool)
        .await)?)
}
