//! The two migration folders must describe the same schema.

use std::collections::BTreeSet;

use lentera_store::testing;
use lentera_store::{Db, DbOptions};

fn files(dir: &str) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(format!("{}/migrations/{dir}", env!("CARGO_MANIFEST_DIR")))
            .expect("migrations folder")
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect();
    v.sort();
    v
}

#[test]
fn migration_folders_have_the_same_files() {
    assert_eq!(files("sqlite"), files("postgres"));
    assert!(!files("sqlite").is_empty());
}

/// (table, column, nullable) of every user table.
async fn sqlite_catalogue(db: &Db) -> BTreeSet<(String, String, bool)> {
    let lentera_store::db::Conn::Sqlite(pool) = db.read() else {
        panic!("sqlite")
    };
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT m.name, p.name, p.\"notnull\", p.pk FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'",
    )
    .fetch_all(pool)
    .await
    .expect("catalogue");
    // SQLite lets primary-key columns be NULL unless declared otherwise; PostgreSQL never does.
    rows.into_iter()
        .map(|(t, c, nn, pk)| (t, c, nn == 0 && pk == 0))
        .collect()
}

async fn pg_catalogue(db: &Db) -> BTreeSet<(String, String, bool)> {
    let lentera_store::db::Conn::Postgres(pool) = db.read() else {
        panic!("postgres")
    };
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, is_nullable::text FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%'",
    )
    .fetch_all(pool)
    .await
    .expect("catalogue");
    rows.into_iter()
        .map(|(t, c, n)| (t, c, n == "YES"))
        .collect()
}

async fn sqlite_indexes(db: &Db) -> BTreeSet<String> {
    let lentera_store::db::Conn::Sqlite(pool) = db.read() else {
        panic!("sqlite")
    };
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(pool)
    .await
    .expect("indexes");
    rows.into_iter().map(|r| r.0).collect()
}

async fn pg_indexes(db: &Db) -> BTreeSet<String> {
    let lentera_store::db::Conn::Postgres(pool) = db.read() else {
        panic!("postgres")
    };
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key'",
    )
    .fetch_all(pool)
    .await
    .expect("indexes");
    rows.into_iter().map(|r| r.0).collect()
}

#[tokio::test]
async fn both_backends_have_the_same_tables_columns_and_indexes() {
    let Some(pg_url) = testing::postgres_url().await.expect("postgres config") else {
        return;
    };
    let (sqlite_url, _) = testing::sqlite_url();
    let lite = Db::connect(&sqlite_url, &DbOptions::default())
        .await
        .expect("sqlite");
    lite.migrate().await.expect("migrate sqlite");
    let pg = Db::connect(&pg_url, &DbOptions::default())
        .await
        .expect("postgres");
    pg.migrate().await.expect("migrate postgres");
    let a = sqlite_catalogue(&lite).await;
    let b = pg_catalogue(&pg).await;
    assert!(a.len() > 40, "catalogue looks empty: {a:?}");
    assert_eq!(
        a.symmetric_difference(&b).collect::<Vec<_>>(),
        Vec::<&(String, String, bool)>::new()
    );
    assert_eq!(sqlite_indexes(&lite).await, pg_indexes(&pg).await);
}
