//! The register (DIP entries), consequence tests, published answers and documents.
//!
//! Entries, tests and publications share one append-only log (`register_events`, tagged by
//! aggregate); each has a projection rewritten in the same transaction, guarded by its event
//! count like requests. Every change that the public search must see also lands in
//! `search_outbox` in that transaction, so the index can never miss a committed change.
//!
//! One file per aggregate (`entries`, `consequence`, `publications`, `documents`) and the
//! outbox; this file holds the log and the macros that write a projection with its event.

use sqlx::FromRow;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Db, StoreError, with_conn};

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

/// `push_outbox!(tx, backend, items, at)`: outbox rows inside the transaction `tx`, under
/// [`OUTBOX_LOCK`] on PostgreSQL.
macro_rules! push_outbox {
    ($tx:expr, $backend:expr, $items:expr, $at:expr) => {
        async {
            let items: &[(Aggregate, Uuid)] = $items;
            if !items.is_empty() && $backend == crate::Backend::Postgres {
                sqlx::query(OUTBOX_LOCK).execute(&mut *$tx).await?;
            }
            for (agg, id) in items {
                sqlx::query(OUTBOX)
                    .bind(agg.as_str())
                    .bind(*id)
                    .bind($at)
                    .execute(&mut *$tx)
                    .await?;
            }
            Ok::<(), sqlx::Error>(())
        }
    };
}

/// `append_event!(tx, backend, aggregate, id, seq, event, outbox)`: one event plus outbox rows.
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
            push_outbox!($tx, $backend, $outbox, $e.at).await
        }
    };
}

/// `create!(db, INSERT, [binds…], aggregate, id, event, outbox)`: a new projection row and its
/// first event (with outbox rows) in one transaction; evaluates to `Result<(), StoreError>`.
/// `create!(…; |tx| { … })` runs more statements on `tx` between the two.
macro_rules! create {
    ($db:expr, $sql:expr, [$($bind:expr),* $(,)?], $agg:expr, $id:expr, $event:expr, $outbox:expr) => {
        create!($db, $sql, [$($bind),*], $agg, $id, $event, $outbox; |tx| {})
    };
    ($db:expr, $sql:expr, [$($bind:expr),* $(,)?], $agg:expr, $id:expr, $event:expr, $outbox:expr; |$tx:ident| $then:block) => {{
        let backend = $db.backend();
        let r: Result<(), sqlx::Error> = crate::with_conn!($db.write(), |pool| async {
            let mut $tx = crate::db::BeginWrite::begin_write(pool).await?;
            sqlx::query($sql)$(.bind($bind))*.execute(&mut *$tx).await?;
            $then
            append_event!($tx, backend, $agg, $id, 1_i64, $event, $outbox).await?;
            $tx.commit().await
        }
        .await);
        r.map_err(crate::StoreError::from)
    }};
}

/// `guarded_append!(db, UPDATE, [binds…], aggregate, id, expected, event, outbox)`: rewrites a
/// projection whose log still has `expected` events (the UPDATE's `$2`) and appends event
/// `expected + 1` with its outbox rows, in one transaction; a conflict when another writer came
/// first. Evaluates to `Result<(), StoreError>`.
macro_rules! guarded_append {
    ($db:expr, $sql:expr, [$($bind:expr),* $(,)?], $agg:expr, $id:expr, $expected:expr, $event:expr, $outbox:expr) => {{
        let backend = $db.backend();
        let done: Result<bool, sqlx::Error> = crate::with_conn!($db.write(), |pool| async {
            let mut tx = crate::db::BeginWrite::begin_write(pool).await?;
            let n = sqlx::query($sql)$(.bind($bind))*
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n != 1 {
                tx.rollback().await?;
                return Ok(false);
            }
            append_event!(tx, backend, $agg, $id, $expected + 1, $event, $outbox).await?;
            tx.commit().await?;
            Ok(true)
        }
        .await);
        match done {
            Ok(true) => Ok(()),
            Ok(false) => Err(crate::StoreError::Conflict("changed concurrently".into())),
            Err(e) => Err(crate::StoreError::from(e)),
        }
    }};
}

mod consequence;
mod documents;
mod entries;
mod outbox;
mod publications;

pub use consequence::*;
pub use documents::*;
pub use entries::*;
pub use outbox::*;
pub use publications::*;

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
