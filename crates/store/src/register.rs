//! The register (DIP entries), consequence tests, published answers and documents.
//!
//! Entries, tests and publications share one append-only log (`register_events`, tagged by
//! aggregate); each has a projection rewritten in the same transaction, guarded by its event
//! count like requests. Every change that the public search must see also lands in
//! `search_outbox` in that transaction, so the index can never miss a committed change.

use sqlx::FromRow;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::requests::NewEvent;
use crate::{Backend, Db, StoreError, with_conn};

const EVENT: &str = "INSERT INTO register_events (id, aggregate, aggregate_id, seq, at, actor_kind, actor_id, kind, data) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
const OUTBOX: &str = "INSERT INTO search_outbox (entity, entity_id, at) VALUES ($1, $2, $3)";
/// PostgreSQL hands out sequence values before commit; holding this lock until commit makes
/// outbox ids grow in commit order, so a reader's cursor never skips a late commit.
const OUTBOX_LOCK: &str = "LOCK TABLE search_outbox IN EXCLUSIVE MODE";

/// Which aggregate an event or outbox row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregate {
    Entry,
    Test,
    Publication,
    Document,
}

impl Aggregate {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Entry => "entry",
            Self::Test => "test",
            Self::Publication => "publication",
            Self::Document => "document",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Entry, Self::Test, Self::Publication, Self::Document]
            .into_iter()
            .find(|a| a.as_str() == s)
    }
}

/// `append!(tx, backend, aggregate, id, seq, event, outbox)`: one event plus outbox rows.
macro_rules! append_event {
    ($tx:expr, $backend:expr, $agg:expr, $id:expr, $seq:expr, $e:expr, $outbox:expr) => {
        async {
            sqlx::query(EVENT)
                .bind($e.id)
                .bind($agg.as_str())
                .bind($id)
                .bind($seq)
                .bind($e.at)
                .bind(&$e.actor_kind)
                .bind($e.actor_id)
                .bind(&$e.kind)
                .bind(&$e.data)
                .execute(&mut *$tx)
                .await?;
            let outbox: &[(Aggregate, Uuid)] = $outbox;
            if !outbox.is_empty() && $backend == Backend::Postgres {
                sqlx::query(OUTBOX_LOCK).execute(&mut *$tx).await?;
            }
            for (agg, id) in outbox {
                sqlx::query(OUTBOX)
                    .bind(agg.as_str())
                    .bind(*id)
                    .bind($e.at)
                    .execute(&mut *$tx)
                    .await?;
            }
            Ok::<(), sqlx::Error>(())
        }
    };
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct EventRow {
    pub id: Uuid,
    pub aggregate_id: Uuid,
    pub seq: i64,
    pub at: OffsetDateTime,
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    pub kind: String,
    pub data: String,
}

pub async fn events(db: &Db, aggregate_id: Uuid) -> Result<Vec<EventRow>, StoreError> {
    const SQL: &str = "SELECT id, aggregate_id, seq, at, actor_kind, actor_id, kind, data FROM register_events \
                       WHERE aggregate_id = $1 ORDER BY seq";
    Ok(with_conn!(db.read(), |pool| {
        sqlx::query_as::<_, EventRow>(SQL)
            .bind(aggregate_id)
            .fetch_all(pool)
            .await
    })?)
}

// ---------------------------------------------------------------- entries

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct EntryRow {
    pub id: Uuid,
    pub body_id: Uuid,
    pub unit_id: Option<Uuid>,
    pub kind: String,
    pub title: String,
    pub year: i64,
    pub checklist: Option<String>,
    pub published: bool,
    pub published_on: Option<Date>,
    pub updated_on: Date,
    pub state: String,
    pub event_count: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

macro_rules! entry_columns {
    () => {
        "id, body_id, unit_id, kind, title, year, checklist, published, published_on, updated_on, state, event_count, created_at, updated_at"
    };
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryProjection {
    pub unit_id: Option<Uuid>,
    pub kind: String,
    pub title: String,
    pub year: i64,
    pub checklist: Option<String>,
    pub published: bool,
    pub published_on: Option<Date>,
    pub updated_on: Date,
    pub state: String,
}

pub async fn create_entry(
    db: &Db,
    id: Uuid,
    body_id: Uuid,
    p: &EntryProjection,
    event: &NewEvent,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO register_entries (id, body_id, unit_id, kind, title, year, checklist, published, published_on, updated_on, \
                       state, event_count, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $12)";
    let backend = db.backend();
    let r: Result<(), sqlx::Error> = with_conn!(db.write(), |pool| async {
        let mut tx = pool.begin().await?;
        sqlx::query(SQL)
            .bind(id)
            .bind(body_id)
            .bind(p.unit_id)
            .bind(&p.kind)
            .bind(&p.title)
            .bind(p.year)
            .bind(&p.checklist)
            .bind(p.published)
            .bind(p.published_on)
            .bind(p.updated_on)
            .bind(&p.state)
            .bind(event.at)
            .execute(&mut *tx)
            .await?;
        append_event!(tx, backend, Aggregate::Entry, id, 1_i64, event, &[]).await?;
        tx.commit().await
    }
    .await);
    Ok(r?)
}

/// Appends event `expected + 1` to an entry; `reindex` when the public may see a difference.
pub async fn append_entry(
    db: &Db,
    id: Uuid,
    expected: i64,
    event: &NewEvent,
    p: &EntryProjection,
    reindex: bool,
) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE register_entries SET unit_id = $3, kind = $4, title = $5, year = $6, checklist = $7, published = $8, \
                       published_on = $9, updated_on = $10, state = $11, event_count = event_count + 1, updated_at = $12 \
                       WHERE id = $1 AND event_count = $2";
    let backend = db.backend();
    let outbox: Vec<(Aggregate, Uuid)> = if reindex {
        vec![(Aggregate::Entry, id)]
    } else {
        Vec::new()
    };
    let done: Result<bool, sqlx::Error> = with_conn!(db.write(), |pool| async {
        let mut tx = pool.begin().await?;
        let n = sqlx::query(SQL)
            .bind(id)
            .bind(expected)
            .bind(p.unit_id)
            .bind(&p.kind)
            .bind(&p.title)
            .bind(p.year)
            .bind(&p.checklist)
            .bind(p.published)
            .bind(p.published_on)
            .bind(p.updated_on)
            .bind(&p.state)
            .bind(event.at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        append_event!(
            tx,
            backend,
            Aggregate::Entry,
            id,
            expected + 1,
            event,
            &outbox
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
    .await);
    if done? {
        Ok(())
    } else {
        Err(StoreError::Conflict("changed concurrently".into()))
    }
}

pub async fn get_entry(db: &Db, id: Uuid) -> Result<EntryRow, StoreError> {
    let sql = concat!(
        "SELECT ",
        entry_columns!(),
        " FROM register_entries WHERE id = $1"
    );
    Ok(with_conn!(db.read(), |pool| {
        sqlx::query_as::<_, EntryRow>(sql)
            .bind(id)
            .fetch_one(pool)
            .await
    })?)
}

/// Entries of a body (and its units), ordered for the Perki tables.
pub async fn entries_for_body(
    db: &Db,
    body_id: Uuid,
    published_only: bool,
) -> Result<Vec<EntryRow>, StoreError> {
    let sql = concat!(
        "SELECT ",
        entry_columns!(),
        " FROM register_entries WHERE body_id = $1 AND (published OR NOT $2) ORDER BY kind, year DESC, title"
    );
    Ok(with_conn!(db.read(), |pool| {
        sqlx::query_as::<_, EntryRow>(sql)
            .bind(body_id)
            .bind(published_only)
            .fetch_all(pool)
            .await
    })?)
}

pub async fn published_entry_ids(db: &Db) -> Result<Vec<Uuid>, StoreError> {
    const SQL: &str = "SELECT id FROM register_entries WHERE published ORDER BY id";
    Ok(with_conn!(db.read(), |pool| sqlx::query_scalar(SQL)
        .fetch_all(pool)
        .await)?)
}

// ---------------------------------------------------------------- consequence tests

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct TestRow {
    pub id: Uuid,
    pub body_id: Uuid,
    pub entry_id: Option<Uuid>,
    pub number: Option<String>,
    pub status: String,
    pub decided_on: Option<Date>,
    pub until_on: Option<Date>,
    pub review_due: Option<Date>,
    pub grounds: String,
    pub information: String,
    pub state: String,
    pub event_count: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

macro_rules! test_columns {
    () => {
        "id, body_id, entry_id, number, status, decided_on, until_on, review_due, grounds, information, state, event_count, created_at, updated_at"
    };
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestProjection {
    pub entry_id: Option<Uuid>,
    pub number: Option<String>,
    pub status: String,
    pub decided_on: Option<Date>,
    pub until_on: Option<Date>,
    pub review_due: Option<Date>,
    pub grounds: String,
    pub information: String,
    pub state: String,
}

pub async fn create_test(
    db: &Db,
    id: Uuid,
    body_id: Uuid,
    p: &TestProjection,
    event: &NewEvent,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO consequence_tests (id, body_id, entry_id, number, status, decided_on, until_on, review_due, grounds, \
                       information, state, event_count, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $12)";
    let backend = db.backend();
    let r: Result<(), sqlx::Error> = with_conn!(db.write(), |pool| async {
        let mut tx = pool.begin().await?;
        sqlx::query(SQL)
            .bind(id)
            .bind(body_id)
            .bind(p.entry_id)
            .bind(&p.number)
            .bind(&p.status)
            .bind(p.decided_on)
            .bind(p.until_on)
            .bind(p.review_due)
            .bind(&p.grounds)
            .bind(&p.information)
            .bind(&p.state)
            .bind(event.at)
            .execute(&mut *tx)
            .await?;
        append_event!(tx, backend, Aggregate::Test, id, 1_i64, event, &[]).await?;
        tx.commit().await
    }
    .await);
    Ok(r?)
}

/// Appends a test event. A test in or out of force changes the DIK and may hide or show the
/// entry it closes, so both go to the outbox.
pub async fn append_test(
    db: &Db,
    id: Uuid,
    expected: i64,
    event: &NewEvent,
    p: &TestProjection,
) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE consequence_tests SET entry_id = $3, number = $4, status = $5, decided_on = $6, until_on = $7, review_due = $8, \
                       grounds = $9, information = $10, state = $11, event_count = event_count + 1, updated_at = $12 \
                       WHERE id = $1 AND event_count = $2";
    let backend = db.backend();
    let mut outbox = vec![(Aggregate::Test, id)];
    if let Some(e) = p.entry_id {
        outbox.push((Aggregate::Entry, e));
    }
    let done: Result<bool, sqlx::Error> = with_conn!(db.write(), |pool| async {
        let mut tx = pool.begin().await?;
        let n = sqlx::query(SQL)
            .bind(id)
            .bind(expected)
            .bind(p.entry_id)
            .bind(&p.number)
            .bind(&p.status)
            .bind(p.decided_on)
            .bind(p.until_on)
            .bind(p.review_due)
            .bind(&p.grounds)
            .bind(&p.information)
            .bind(&p.state)
            .bind(event.at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        append_event!(
            tx,
            backend,
            Aggregate::Test,
            id,
            expected + 1,
            event,
            &outbox
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
    .await);
    if done? {
        Ok(())
    } else {
        Err(StoreError::Conflict("changed concurrently".into()))
    }
}

pub async fn get_test(db: &Db, id: Uuid) -> Result<TestRow, StoreError> {
    let sql = concat!(
        "SELECT ",
        test_columns!(),
        " FROM consequence_tests WHERE id = $1"
    );
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<_, TestRow>(
        sql
    )
    .bind(id)
    .fetch_one(pool)
    .await)?)
}

pub async fn get_test_by_number(
    db: &Db,
    body_id: Uuid,
    number: &str,
) -> Result<TestRow, StoreError> {
    let sql = concat!(
        "SELECT ",
        test_columns!(),
        " FROM consequence_tests WHERE body_id = $1 AND number = $2"
    );
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<_, TestRow>(
        sql
    )
    .bind(body_id)
    .bind(number)
    .fetch_one(pool)
    .await)?)
}

pub async fn tests_for_body(db: &Db, body_id: Uuid) -> Result<Vec<TestRow>, StoreError> {
    let sql = concat!(
        "SELECT ",
        test_columns!(),
        " FROM consequence_tests WHERE body_id = $1 ORDER BY decided_on DESC, created_at DESC"
    );
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<_, TestRow>(
        sql
    )
    .bind(body_id)
    .fetch_all(pool)
    .await)?)
}

/// Tests that close a given entry, any status.
pub async fn tests_for_entry(db: &Db, entry_id: Uuid) -> Result<Vec<TestRow>, StoreError> {
    let sql = concat!(
        "SELECT ",
        test_columns!(),
        " FROM consequence_tests WHERE entry_id = $1"
    );
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<_, TestRow>(
        sql
    )
    .bind(entry_id)
    .fetch_all(pool)
    .await)?)
}

pub async fn decided_test_ids(db: &Db) -> Result<Vec<Uuid>, StoreError> {
    const SQL: &str = "SELECT id FROM consequence_tests WHERE status = 'decided' ORDER BY id";
    Ok(with_conn!(db.read(), |pool| sqlx::query_scalar(SQL)
        .fetch_all(pool)
        .await)?)
}

// ---------------------------------------------------------------- publications

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
    let backend = db.backend();
    let mut outbox = vec![(Aggregate::Publication, row.id)];
    outbox.extend(documents.iter().map(|d| (Aggregate::Document, *d)));
    let r: Result<(), sqlx::Error> = with_conn!(db.write(), |pool| async {
        let mut tx = pool.begin().await?;
        sqlx::query(SQL)
            .bind(row.id)
            .bind(row.body_id)
            .bind(row.request_id)
            .bind(&row.title)
            .bind(row.published)
            .bind(row.published_at)
            .bind(&row.state)
            .bind(event.at)
            .execute(&mut *tx)
            .await?;
        for d in documents {
            sqlx::query(MOVE)
                .bind(*d)
                .bind(row.id)
                .execute(&mut *tx)
                .await?;
        }
        append_event!(
            tx,
            backend,
            Aggregate::Publication,
            row.id,
            1_i64,
            event,
            &outbox
        )
        .await?;
        tx.commit().await
    }
    .await);
    Ok(r?)
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
    let backend = db.backend();
    let mut outbox = vec![(Aggregate::Publication, id)];
    outbox.extend(documents.iter().map(|d| (Aggregate::Document, *d)));
    let done: Result<bool, sqlx::Error> = with_conn!(db.write(), |pool| async {
        let mut tx = pool.begin().await?;
        let n = sqlx::query(SQL)
            .bind(id)
            .bind(expected)
            .bind(published)
            .bind(state)
            .bind(event.at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        append_event!(
            tx,
            backend,
            Aggregate::Publication,
            id,
            expected + 1,
            event,
            &outbox
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
    .await);
    if done? {
        Ok(())
    } else {
        Err(StoreError::Conflict("changed concurrently".into()))
    }
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

// ---------------------------------------------------------------- documents

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
        let mut tx = pool.begin().await?;
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
        let mut tx = pool.begin().await?;
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
        if backend == Backend::Postgres {
            sqlx::query(OUTBOX_LOCK).execute(&mut *tx).await?;
        }
        sqlx::query(OUTBOX)
            .bind(Aggregate::Document.as_str())
            .bind(id)
            .bind(check.at)
            .execute(&mut *tx)
            .await?;
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

// ---------------------------------------------------------------- outbox

/// Queues entities for the index outside an aggregate transaction.
pub async fn enqueue(
    db: &Db,
    items: &[(Aggregate, Uuid)],
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    let backend = db.backend();
    let r: Result<(), sqlx::Error> = with_conn!(db.write(), |pool| async {
        let mut tx = pool.begin().await?;
        if backend == Backend::Postgres {
            sqlx::query(OUTBOX_LOCK).execute(&mut *tx).await?;
        }
        for (agg, id) in items {
            sqlx::query(OUTBOX)
                .bind(agg.as_str())
                .bind(*id)
                .bind(at)
                .execute(&mut *tx)
                .await?;
        }
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
