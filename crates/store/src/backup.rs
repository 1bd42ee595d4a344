//! The database half of a backup: a consistent copy taken beside a running service, and its
//! way back into an empty database.
//!
//! SQLite: `VACUUM INTO` writes one transaction's snapshot to a new file (a file copy of a live
//! WAL database can miss or tear the pages still in the WAL). PostgreSQL: `pg_dump` in its
//! custom format, which reads every table inside one snapshot, and `pg_restore`, which loads
//! the rows before it creates the triggers and foreign keys (an append-only trigger or a tally
//! trigger must not see the restored rows as new writes).

use std::path::Path;
use std::process::Stdio;

use crate::db::Backend;
use crate::{Db, StoreError, with_conn};

/// Writes a snapshot of the SQLite database to `dest` (which must not exist).
pub async fn sqlite_snapshot(db: &Db, dest: &Path) -> Result<(), StoreError> {
    if db.backend() != Backend::Sqlite {
        return Err(StoreError::Config("not an SQLite database".into()));
    }
    let target = dest
        .to_str()
        .ok_or_else(|| StoreError::Config(format!("path is not UTF-8: {}", dest.display())))?
        .to_owned();
    with_conn!(db.write(), |pool| sqlx::query("VACUUM INTO $1")
        .bind(target)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Whether the database holds no table yet (a fresh installation to restore into).
pub async fn is_empty(db: &Db) -> Result<bool, StoreError> {
    let n: i64 = match db.backend() {
        Backend::Sqlite => with_conn!(db.read(), |pool| {
            sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        .fetch_one(pool)
        .await
        })?,
        Backend::Postgres => with_conn!(db.read(), |pool| {
            sqlx::query_scalar(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()"
        )
        .fetch_one(pool)
        .await
        })?,
    };
    Ok(n == 0)
}

/// How many other sessions are connected to this PostgreSQL database now (0 on SQLite): a
/// restore must not replace a database that running nodes are writing to.
pub async fn other_sessions(db: &Db) -> Result<i64, StoreError> {
    let Some(pool) = db.postgres_pool() else {
        return Ok(0);
    };
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .fetch_one(pool)
    .await?;
    Ok(n)
}

/// Every stored file's key (documents and letters), in the order they were stored.
pub async fn document_keys(db: &Db) -> Result<Vec<String>, StoreError> {
    Ok(with_conn!(db.read(), |pool| {
        sqlx::query_scalar(
        "SELECT storage_key FROM (SELECT storage_key, created_at, id FROM documents \
         UNION ALL SELECT storage_key, created_at, id FROM letters) AS stored ORDER BY created_at, id"
    )
    .fetch_all(pool)
    .await
    })?)
}

/// A `postgres://` URL split for the PostgreSQL tools: the URL without its password (command
/// lines are visible to every user of the machine) and the password for `PGPASSWORD`.
fn for_tools(url: &str) -> (String, Option<String>) {
    let (Some(s), Some(at)) = (url.find("://"), url.rfind('@')) else {
        return (url.to_owned(), None);
    };
    if at < s {
        return (url.to_owned(), None);
    }
    match url[s + 3..at].split_once(':') {
        Some((user, password)) => (
            format!("{}{user}{}", &url[..s + 3], &url[at..]),
            Some(percent_decode(password)),
        ),
        None => (url.to_owned(), None),
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b[i], hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Runs a tool to its end off the async workers (the dump of a large database takes minutes).
async fn output(mut cmd: std::process::Command) -> std::io::Result<std::process::Output> {
    tokio::task::spawn_blocking(move || cmd.output())
        .await
        .map_err(std::io::Error::other)?
}

/// The first line of `TOOL --version`, or a one-line reason why the tool cannot run.
pub async fn tool_version(tool: &str) -> Result<String, StoreError> {
    let mut cmd = std::process::Command::new(tool);
    cmd.arg("--version").stdin(Stdio::null());
    let out = output(cmd).await.map_err(|e| {
            StoreError::Config(if e.kind() == std::io::ErrorKind::NotFound {
                format!(
                    "{tool} tidak ada di PATH; pasang klien PostgreSQL (mis. apt-get install postgresql-client) dengan versi setidaknya versi server"
                )
            } else {
                format!("{tool} tidak dapat dijalankan: {e}")
            })
        })?;
    let text = String::from_utf8_lossy(&out.stdout);
    Ok(text.lines().next().unwrap_or(tool).trim().to_owned())
}

async fn run_tool(tool: &str, args: &[String], password: Option<String>) -> Result<(), StoreError> {
    let mut cmd = std::process::Command::new(tool);
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    let out = output(cmd).await.map_err(|e| {
        StoreError::Config(if e.kind() == std::io::ErrorKind::NotFound {
            format!("{tool} tidak ada di PATH; pasang klien PostgreSQL (mis. apt-get install postgresql-client)")
        } else {
            format!("{tool} tidak dapat dijalankan: {e}")
        })
    })?;
    if out.status.success() {
        return Ok(());
    }
    let err = String::from_utf8_lossy(&out.stderr);
    let first = err
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("no message");
    Err(StoreError::Config(format!(
        "{tool} gagal ({}): {first}",
        out.status
    )))
}

/// `pg_dump --format=custom` of the database at `url` into `dest`; one snapshot for all tables,
/// so concurrent writers neither block nor tear it.
pub async fn pg_dump(url: &str, dest: &Path) -> Result<(), StoreError> {
    let (url, password) = for_tools(url);
    let args = vec![
        "--format=custom".to_owned(),
        "--no-owner".to_owned(),
        "--no-privileges".to_owned(),
        format!("--file={}", dest.display()),
        format!("--dbname={url}"),
    ];
    run_tool("pg_dump", &args, password).await
}

/// `pg_restore` of a custom-format dump into the database at `url`, in one transaction (a
/// failure leaves the database as it was). `clean` drops the objects of the dump first.
pub async fn pg_restore(url: &str, dump: &Path, clean: bool) -> Result<(), StoreError> {
    let (url, password) = for_tools(url);
    let mut args = vec![
        "--no-owner".to_owned(),
        "--no-privileges".to_owned(),
        "--exit-on-error".to_owned(),
        "--single-transaction".to_owned(),
    ];
    if clean {
        args.push("--clean".to_owned());
        args.push("--if-exists".to_owned());
    }
    args.push(format!("--dbname={url}"));
    args.push(dump.display().to_string());
    run_tool("pg_restore", &args, password).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_leave_the_command_line() {
        assert_eq!(
            super::for_tools("postgres://app:s%40cret@db:5432/lentera?sslmode=disable"),
            (
                "postgres://app@db:5432/lentera?sslmode=disable".to_owned(),
                Some("s@cret".to_owned())
            )
        );
        assert_eq!(
            super::for_tools("postgres://db/lentera"),
            ("postgres://db/lentera".to_owned(), None)
        );
    }
}
