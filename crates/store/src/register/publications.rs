//! Published answers (*jawaban yang dipublikasikan*): a request's answer made public with its
//! documents, for the lists and the Atom feed.

use sqlx::FromRow;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{Aggregate, EVENT, OUTBOX, OUTBOX_LOCK};
use crate::requests::NewEvent;
use crate::{Db, StoreError, with_conn};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct PublicationRow {
    pub id: Uuid,
    pub body_id: Uuid,
    pub request_id: Option<Uuid>,
    pub title: String,
    pub published: bool,
    pub published_at: OffsetDateTime,
    pub state: String,
    pub event_count: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

macro_rules! publication_columns {
    () => {
        "id, body_id, request_id, title, published, published_at, state, event_count, created_at, updated_at"
    };
}

/// Stores a publication and its first event, and points the given documents at it.
pub async fn create_publication(
    db: &Db,
    row: &PublicationRow,
    event: &NewEvent,
    documents: &[Uuid],
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO publications (id, body_id, request_id, title, published, published_at, state, event_count, created_at, updated_at) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)";
    const MOVE: &str = "UPDATE documents SET owner_kind = 'publication', owner_id = $2 WHERE id = $1 AND removed_at IS NULL";
    let mut outbox = vec![(Aggregate::Publication, row.id)];
    outbox.extend(documents.iter().map(|d| (Aggregate::Document, *d)));
    create!(
        db,
        SQL,
        [
            row.id,
            row.body_id,
            row.request_id,
            &row.title,
            row.published,
            row.published_at,
            &row.state,
            event.at,
        ],
        Aggregate::Publication,
        row.id,
        event,
        &outbox;
        |tx| {
            for d in documents {
                sqlx::query(MOVE)
                    .bind(*d)
                    .bind(row.id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
    )
}

pub async fn append_publication(
    db: &Db,
    id: Uuid,
    expected: i64,
    event: &NewEvent,
    published: bool,
    state: &str,
    documents: &[Uuid],
) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE publications SET published = $3, state = $4, event_count = event_count + 1, updated_at = $5 \
                       WHERE id = $1 AND event_count = $2";
    let mut outbox = vec![(Aggregate::Publication, id)];
    outbox.extend(documents.iter().map(|d| (Aggregate::Document, *d)));
    guarded_append!(
        db,
        SQL,
        [id, expected, published, state, event.at],
        Aggregate::Publication,
        id,
        expected,
        event,
        &outbox
    )
}

pub async fn get_publication(db: &Db, id: Uuid) -> Result<PublicationRow, StoreError> {
    let sql = concat!(
        "SELECT ",
        publication_columns!(),
        " FROM publications WHERE id = $1"
    );
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<
        _,
        PublicationRow,
    >(sql)
    .bind(id)
    .fetch_one(pool)
    .await)?)
}

pub async fn publications_for_request(
    db: &Db,
    request_id: Uuid,
) -> Result<Vec<PublicationRow>, StoreError> {
    let sql = concat!(
        "SELECT ",
        publication_columns!(),
        " FROM publications WHERE request_id = $1 ORDER BY published_at"
    );
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<
        _,
        PublicationRow,
    >(sql)
    .bind(request_id)
    .fetch_all(pool)
    .await)?)
}

/// Newest published answers, of one body or all, for lists and the Atom feed.
pub async fn recent_publications(
    db: &Db,
    body_id: Option<Uuid>,
    limit: i64,
) -> Result<Vec<PublicationRow>, StoreError> {
    let sql = concat!(
        "SELECT ",
        publication_columns!(),
        " FROM publications WHERE published AND ($1 IS NULL OR body_id = $1) ORDER BY published_at DESC LIMIT $2"
    );
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<
        _,
        PublicationRow,
    >(sql)
    .bind(body_id)
    .bind(limit)
    .fetch_all(pool)
    .await)?)
}

pub async fn published_publication_ids(db: &Db) -> Result<Vec<Uuid>, StoreError> {
    const SQL: &str = "SELECT id FROM publications WHERE published ORDER BY id";
    Ok(with_conn!(db.read(), |pool| sqlx::query_scalar(SQL)
        .fetch_all(pool)
        .await)?)
}
