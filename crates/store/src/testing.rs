//! Databases for tests: a fresh SQLite file always, and a fresh PostgreSQL database when
//! `LENTERA_TEST_PG_URL` points at a server (CI always sets it; `LENTERA_REQUIRE_PG=1` turns its
//! absence into a failure so CI cannot silently skip PostgreSQL).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use uuid::Uuid;

use crate::{Db, DbOptions, StoreError};

static WARNED: AtomicBool = AtomicBool::new(false);

/// A temporary SQLite database URL in the system temp folder.
pub fn sqlite_url() -> (String, PathBuf) {
    let dir = std::env::temp_dir().join(format!("lentera-test-{}", Uuid::now_v7().simple()));
    let _ = std::fs::create_dir_all(&dir);
    (
        format!("sqlite://{}", dir.join("lentera.sqlite3").display()),
        dir,
    )
}

/// Creates a fresh, empty PostgreSQL database and returns its URL, or `None` when no server is
/// configured.
pub async fn postgres_url() -> Result<Option<String>, StoreError> {
    let Ok(admin_url) = std::env::var("LENTERA_TEST_PG_URL") else {
        if std::env::var("LENTERA_REQUIRE_PG").is_ok_and(|v| v == "1") {
            return Err(StoreError::Config(
                "LENTERA_REQUIRE_PG=1 but LENTERA_TEST_PG_URL is not set".into(),
            ));
        }
        if !WARNED.swap(true, Ordering::Relaxed) {
            eprintln!("NOTE: PostgreSQL tests NOT RUN (set LENTERA_TEST_PG_URL; CI does)");
        }
        return Ok(None);
    };
    let name = format!("lentera_t_{}", Uuid::now_v7().simple());
    let admin = Db::connect(
        &admin_url,
        &DbOptions {
            max_pg_connections: 1,
            ..DbOptions::default()
        },
    )
    .await?;
    crate::with_conn!(admin.write(), |pool| sqlx::query(sqlx::AssertSqlSafe(
        format!("CREATE DATABASE {name}")
    ))
    .execute(pool)
    .await
    .map(|_| ()))?;
    admin.close().await;
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url.as_str(), |(b, _)| b);
    Ok(Some(format!("{base}/{name}")))
}

/// Every back end available to this test run, migrated and empty, with its name.
pub async fn databases() -> Result<Vec<(&'static str, Db)>, StoreError> {
    let mut out = Vec::new();
    let (url, _) = sqlite_url();
    let db = Db::connect(&url, &DbOptions::default()).await?;
    db.migrate().await?;
    out.push(("sqlite", db));
    if let Some(url) = postgres_url().await? {
        let db = Db::connect(
            &url,
            &DbOptions {
                max_pg_connections: 4,
                ..DbOptions::default()
            },
        )
        .await?;
        db.migrate().await?;
        out.push(("postgres", db));
    }
    Ok(out)
}
