//! Connection to SQLite or PostgreSQL, chosen by the URL at start-up.
//!
//! Both back ends run the same SQL strings; [`with_conn!`] expands a body once per driver so
//! the compiler checks each. SQLite gets a single-connection write pool (one writer at a time is
//! what SQLite allows anyway; queuing in the pool is cheaper than busy-waiting in the engine)
//! and a read pool for concurrent readers.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::StoreError;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
enum Pools {
    Sqlite {
        read: SqlitePool,
        write: SqlitePool,
        /// The database file, whose WAL shows every commit of every process (see [`Db::change_mark`]).
        file: std::path::PathBuf,
    },
    Postgres(PgPool),
}

/// The database handle shared by the whole application.
#[derive(Clone, Debug)]
pub struct Db {
    pools: Pools,
}

/// One pool of either back end; what [`with_conn!`] matches on.
#[derive(Clone, Copy)]
pub enum Conn<'a> {
    Sqlite(&'a SqlitePool),
    Postgres(&'a PgPool),
}

/// Runs the same body with `$pool` bound to the SQLite or the PostgreSQL pool.
#[macro_export]
macro_rules! with_conn {
    ($conn:expr, |$pool:ident| $body:expr) => {
        match $conn {
            $crate::db::Conn::Sqlite($pool) => $body,
            $crate::db::Conn::Postgres($pool) => $body,
        }
    };
}

/// A write transaction. On SQLite the write lock is taken at `BEGIN IMMEDIATE`: a deferred
/// transaction that has read and then meets another process's commit (`lentera calendar
/// import` or `backup` beside `serve`) fails at once with SQLITE_BUSY ("database is locked")
/// instead of waiting out the busy timeout, because its snapshot is stale. PostgreSQL waits on
/// row locks anyway.
pub(crate) trait BeginWrite {
    type Database: sqlx::Database;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Self::Database>, sqlx::Error>;
}

impl BeginWrite for SqlitePool {
    type Database = sqlx::Sqlite;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl BeginWrite for PgPool {
    type Database = sqlx::Postgres;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.begin().await
    }
}

/// See [`Db::change_mark`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeMark {
    main: (u64, Option<std::time::SystemTime>),
    wal: Option<(u64, Option<std::time::SystemTime>)>,
}

/// Options that do not come from the URL.
#[derive(Debug, Clone)]
pub struct DbOptions {
    pub max_read_connections: u32,
    pub max_pg_connections: u32,
    /// `false` only for throw-away data (the demo seed): commits are not synced to disk.
    pub durable: bool,
}

impl Default for DbOptions {
    fn default() -> Self {
        Self {
            max_read_connections: 8,
            max_pg_connections: 16,
            durable: true,
        }
    }
}

/// A URL with its password replaced, for logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Whether the SQLite writer connection may be used again. A COMMIT or ROLLBACK that failed
/// (disk full, I/O error) can leave it inside a transaction that sqlx has lost count of, after
/// which every later "commit" only releases a savepoint of a transaction that never ends:
/// acknowledged and lost. Such a connection is closed (which rolls back) and a fresh one opened.
async fn still_clean(conn: &mut sqlx::SqliteConnection) -> bool {
    use sqlx::Connection;
    // The ping runs after any rollback still queued by a dropped transaction.
    if conn.ping().await.is_err() || conn.is_in_transaction() {
        tracing::warn!("writer connection left inside a transaction; replaced");
        return false;
    }
    // sqlx may count no transaction while SQLite still has one open.
    if sqlx::query("BEGIN").execute(&mut *conn).await.is_err() {
        tracing::warn!("writer connection still inside a transaction; replaced");
        return false;
    }
    sqlx::query("ROLLBACK").execute(&mut *conn).await.is_ok()
}

impl Db {
    /// `sqlite://path` (created if missing) or `postgres://…` / `postgresql://…`.
    pub async fn connect(url: &str, options: &DbOptions) -> Result<Self, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(options.max_pg_connections)
                .after_release(|conn, _| {
                    Box::pin(async move {
                        use sqlx::Connection;
                        Ok(conn.ping().await.is_ok() && !conn.is_in_transaction())
                    })
                })
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            return Ok(Self {
                pools: Pools::Postgres(pool),
            });
        }
        if !url.starts_with("sqlite:") {
            return Err(StoreError::Config(format!(
                "database URL must start with sqlite:// or postgres://, got {}",
                redact_url(url)
            )));
        }
        let opts = SqliteConnectOptions::from_str(url)?;
        let file = opts.get_filename().to_path_buf();
        let opts = opts
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: an acknowledged submission survives a power cut, not only a crash.
            .synchronous(if options.durable {
                SqliteSynchronous::Full
            } else {
                SqliteSynchronous::Off
            })
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            .pragma("temp_store", "memory")
            .pragma("cache_size", "-16000");
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .after_release(|conn, _| Box::pin(async move { Ok(still_clean(conn).await) }))
            .connect_with(opts.clone())
            .await?;
        let read = SqlitePoolOptions::new()
            .max_connections(options.max_read_connections.max(1))
            .min_connections(1)
            .connect_with(opts.read_only(true))
            .await?;
        Ok(Self {
            pools: Pools::Sqlite { read, write, file },
        })
    }

    /// A mark that changes with every commit to the database, by this process or another (an
    /// administrative command beside a running server), read from the file system without a
    /// query: the length and modification time of the database file and its write-ahead log.
    /// `None` on PostgreSQL (other nodes send change signals instead) and for an in-memory
    /// database. A cache holding what it read after taking a mark is current while the mark is
    /// the same.
    pub fn change_mark(&self) -> Option<ChangeMark> {
        let Pools::Sqlite { file, .. } = &self.pools else {
            return None;
        };
        let stat = |p: &std::path::Path| {
            std::fs::metadata(p)
                .ok()
                .map(|m| (m.len(), m.modified().ok()))
        };
        let mut wal = file.clone().into_os_string();
        wal.push("-wal");
        let main = stat(file)?;
        Some(ChangeMark {
            main,
            wal: stat(std::path::Path::new(&wal)),
        })
    }

    pub fn backend(&self) -> Backend {
        match self.pools {
            Pools::Sqlite { .. } => Backend::Sqlite,
            Pools::Postgres(_) => Backend::Postgres,
        }
    }

    pub fn read(&self) -> Conn<'_> {
        match &self.pools {
            Pools::Sqlite { read, .. } => Conn::Sqlite(read),
            Pools::Postgres(p) => Conn::Postgres(p),
        }
    }

    pub fn write(&self) -> Conn<'_> {
        match &self.pools {
            Pools::Sqlite { write, .. } => Conn::Sqlite(write),
            Pools::Postgres(p) => Conn::Postgres(p),
        }
    }

    /// The PostgreSQL pool, for what only PostgreSQL has (`LISTEN/NOTIFY`); `None` on SQLite.
    pub fn postgres_pool(&self) -> Option<&PgPool> {
        match &self.pools {
            Pools::Postgres(p) => Some(p),
            Pools::Sqlite { .. } => None,
        }
    }

    /// Applies the embedded migrations of the back end.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.pools {
            Pools::Sqlite { write, .. } => SQLITE_MIGRATIONS.run(write).await?,
            Pools::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        }
        crate::audit::seal_legacy(self).await?;
        Ok(())
    }

    pub async fn close(&self) {
        match &self.pools {
            Pools::Sqlite { read, write, .. } => {
                read.close().await;
                write.close().await;
            }
            Pools::Postgres(p) => p.close().await,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(
            super::redact_url("postgres://app:s3cret@db:5432/lentera"),
            "postgres://app:***@db:5432/lentera"
        );
        assert_eq!(
            super::redact_url("sqlite://./data/x.sqlite3"),
            "sqlite://./data/x.sqlite3"
        );
    }
}
