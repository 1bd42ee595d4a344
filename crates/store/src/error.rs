use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique key was hit; the text names the key (constraint on PostgreSQL, column on SQLite).
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("configuration: {0}")]
    Config(String),
    #[error("stored data is not readable: {0}")]
    Corrupt(String),
    /// A whole group commit failed; every request in it is not stored.
    #[error("batch not stored: {0}")]
    Batch(String),
    /// The storage cannot take the write now (disk full, I/O error, no connection): nothing
    /// was stored; the service answers 503 and recovers by itself when it can write again.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    #[error("database: {0}")]
    Db(#[source] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => Self::NotFound,
            sqlx::Error::Database(d) if d.is_unique_violation() => Self::Conflict(
                d.constraint()
                    .map_or_else(|| d.message().to_owned(), str::to_owned),
            ),
            e if is_unavailable(&e) => Self::Unavailable(e.to_string()),
            other => Self::Db(other),
        }
    }
}

/// Errors of the storage rather than of the statement: a full disk (SQLite `SQLITE_FULL`,
/// PostgreSQL class 53), I/O errors (SQLite `SQLITE_IOERR`, PostgreSQL class 58), a lost or
/// unobtainable connection.
fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(d) => {
            let code = d.code().unwrap_or_default();
            // SQLite codes are numbers; the low byte is the primary code (13 FULL, 10 IOERR).
            let sqlite_primary = code.parse::<i64>().ok().map(|c| c & 0xff);
            matches!(sqlite_primary, Some(10 | 13))
                || code.starts_with("53")
                || code.starts_with("58")
        }
        _ => false,
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        Self::Corrupt(e.to_string())
    }
}
