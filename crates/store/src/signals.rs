//! Change signals between the nodes of an installation (PostgreSQL `LISTEN/NOTIFY`). A signal
//! only says "look again soon": the database stays the source of truth, and whoever listens also
//! looks on a timer, so a signal lost with a dropped connection delays a change, never loses it.
//! On SQLite there is one node, and signals are not sent.

use crate::{Db, StoreError};

/// The one channel every node listens on.
pub const CHANNEL: &str = "lentera_changes";

/// Sends `payload` (at most a few hundred bytes) to every listening node, this one included.
pub async fn notify(db: &Db, payload: &str) -> Result<(), StoreError> {
    let Some(pool) = db.postgres_pool() else {
        return Ok(());
    };
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(payload)
        .execute(pool)
        .await?;
    Ok(())
}

/// What a listener heard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Heard {
    Signal(String),
    /// The connection was lost and re-made: signals sent meanwhile are gone, so everything
    /// should be looked at again.
    Gap,
}

/// A node's subscription to [`CHANNEL`], on a connection of its own.
pub struct Listener(sqlx::postgres::PgListener);

impl Listener {
    /// Subscribes; `None` on SQLite.
    pub async fn connect(db: &Db) -> Result<Option<Self>, StoreError> {
        let Some(pool) = db.postgres_pool() else {
            return Ok(None);
        };
        let mut l = sqlx::postgres::PgListener::connect_with(pool).await?;
        l.listen(CHANNEL).await?;
        Ok(Some(Self(l)))
    }

    /// Waits for the next signal. A lost connection is re-made by the next call (after a
    /// [`Heard::Gap`]); an error means it could not be re-made yet.
    pub async fn next(&mut self) -> Result<Heard, StoreError> {
        match self.0.try_recv().await? {
            Some(n) => Ok(Heard::Signal(n.payload().to_owned())),
            None => Ok(Heard::Gap),
        }
    }
}
