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
            other => Self::Db(other),
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        Self::Corrupt(e.to_string())
    }
}
