//! Issue 15, finding 1, for every writer and both databases: with the storage full, new
//! requests, objections, register entries and documents are refused with `503` and store
//! nothing; whatever got `201` is kept; once space returns each writer works again by itself.
//!
//! SQLite is filled with `max_page_count` on the writer's connection. PostgreSQL is filled for
//! real: the test database lives in a tablespace on a small tmpfs that is then filled up, so
//! that PostgreSQL fails to extend its files (`53100 disk_full`) as on a full disk.

use std::sync::Arc;

use lentera_app::FixedClock;
use lentera_app::storage::{Storage, StorageConfig};
use lentera_app::testing::store::{Db, DbOptions, with_conn};
use serde_json::{Value, json};

use crate::common::{self, TestServer};
use crate::durability::{Tmpfs, burst, noise, untrackable};

/// About 3 KB of officer or citizen text: every write needs a new page.
fn long_text(what: &str, i: usize) -> String {
    format!("{what} {i}: {}", noise(i + what.len() * 1000, 3000))
}

fn entry(i: usize) -> Value {
    json!({
        "kind": "periodic", "title": format!("Laporan keuangan {i}"), "summary": long_text("Ringkasan", i),
        "responsible": "Kepala Bagian Umum", "made_when": "Januari 2026", "made_where": "Kendal",
        "forms": ["softcopy"], "retention": "5 tahun", "checklist": "berkala.keuangan",
    })
}

/// What was acknowledged, to be found again later.
#[derive(Default)]
struct Acknowledged {
    requests: Vec<(String, String)>,
    objections: Vec<(String, String)>,
    entries: Vec<String>,
    documents: Vec<String>,
}

/// Requests decided "not documented" (each can take an objection on ground b), and one entry
/// to attach documents to.
async fn prepare(s: &TestServer, ppid: &str, n: usize) -> (Vec<(String, String)>, String) {
    let mut decided = Vec::new();
    for _ in 0..n {
        let (number, code) = s.submit("kab-a").await;
        let (status, v) = s
            .post(
                &format!("/requests/{number}/decision"),
                &json!({"outcome": "not_documented", "note": "Belum disusun."}),
                Some(ppid),
            )
            .await;
        assert_eq!(status, 200, "{}: {v}", s.name);
        decided.push((number, code));
    }
    let (status, e) = s.post("/register/entries", &entry(0), Some(ppid)).await;
    assert_eq!(status, 201, "{}: {e}", s.name);
    (decided, e["id"].as_str().expect("id").to_owned())
}

async fn upload(s: &TestServer, token: &str, entry: &str, i: usize) -> (u16, Value) {
    let text = format!("Lampiran {i}\n{}", noise(50_000 + i, 24_000));
    let resp = s
        .http
        .post(format!("{}/documents", s.base))
        .query(&[
            ("owner", format!("entry:{entry}")),
            ("filename", format!("lampiran-{i}.txt")),
        ])
        .bearer_auth(token)
        .body(text)
        .send()
        .await
        .expect("send");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// Tries each writer up to `tries` times; returns the refusals' statuses by writer.
async fn write_each(
    s: &TestServer,
    ppid: &str,
    objectable: &mut Vec<(String, String)>,
    entry_id: &str,
    tries: usize,
    acks: &mut Acknowledged,
) -> Vec<(&'static str, u16)> {
    let mut refused = Vec::new();
    let (ok, other) = burst(s, 10_000 + acks.requests.len(), tries * 4, 2).await;
    acks.requests.extend(ok);
    refused.extend(other.into_iter().map(|c| ("request", c)));
    for _ in 0..tries {
        let Some((number, code)) = objectable.pop() else {
            break;
        };
        let (status, v) = s
            .post(
                &format!("/requests/{number}/objections?code={code}"),
                &json!({"grounds": ["b"], "reason": long_text("Keberatan", acks.objections.len())}),
                None,
            )
            .await;
        if status == 201 {
            acks.objections
                .push((v["number"].as_str().expect("number").to_owned(), code));
        } else {
            refused.push(("objection", status));
            // The request can take its objection once space returns.
            objectable.insert(0, (number, code));
        }
    }
    for i in 0..tries {
        let (status, v) = s
            .post(
                "/register/entries",
                &entry(acks.entries.len() + 1 + i),
                Some(ppid),
            )
            .await;
        if status == 201 {
            acks.entries.push(v["id"].as_str().expect("id").to_owned());
        } else {
            refused.push(("entry", status));
        }
    }
    for i in 0..tries {
        let (status, v) = upload(s, ppid, entry_id, acks.documents.len() + i).await;
        if status == 201 {
            acks.documents
                .push(v["id"].as_str().expect("id").to_owned());
        } else {
            refused.push(("document", status));
        }
    }
    refused
}

async fn count(s: &TestServer, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    with_conn!(s.app.db.read(), |pool| sqlx::query_scalar::<_, i64>(
        sqlx::AssertSqlSafe(sql)
    )
    .fetch_one(pool)
    .await)
    .expect("count")
}

/// Every acknowledged write is found, and nothing refused was stored.
async fn all_kept(s: &TestServer, ppid: &str, acks: &Acknowledged, entries_before: usize) {
    let lost = untrackable(s, &acks.requests).await;
    assert!(lost.is_empty(), "{}: requests lost: {lost:?}", s.name);
    for (number, code) in &acks.objections {
        let (status, _) = s
            .get(&format!("/objections/{number}?code={code}"), None)
            .await;
        assert_eq!(status, 200, "{}: objection {number} lost", s.name);
    }
    assert_eq!(
        count(s, "objections").await,
        i64::try_from(acks.objections.len()).expect("len"),
        "{}: a refused objection was stored",
        s.name
    );
    for id in &acks.entries {
        let (status, _) = s.get(&format!("/register/entries/{id}"), Some(ppid)).await;
        assert_eq!(status, 200, "{}: entry {id} lost", s.name);
    }
    assert_eq!(
        count(s, "register_entries").await,
        i64::try_from(acks.entries.len() + entries_before).expect("len"),
        "{}: a refused entry was stored",
        s.name
    );
    assert_eq!(
        count(s, "documents").await,
        i64::try_from(acks.documents.len()).expect("len"),
        "{}: a refused document was stored",
        s.name
    );
}

/// The whole drill on one server: `fill` makes the storage full, `free` gives space back.
async fn drill<F, G>(s: &TestServer, fill: F, free: G)
where
    F: AsyncFnOnce(),
    G: AsyncFnOnce(),
{
    let ppid = s.token("ppid@a.id").await;
    let (mut objectable, entry_id) = prepare(s, &ppid, 30).await;
    let mut acks = Acknowledged::default();
    fill().await;
    let refused = write_each(s, &ppid, &mut objectable, &entry_id, 12, &mut acks).await;
    for writer in ["request", "objection", "entry", "document"] {
        assert!(
            refused.iter().any(|(w, _)| *w == writer),
            "{}: the full storage never refused a {writer}: {refused:?}",
            s.name
        );
    }
    assert!(
        refused.iter().all(|(_, c)| *c == 503),
        "{}: a storage failure is 503: {refused:?}",
        s.name
    );
    free().await;
    let refused = write_each(s, &ppid, &mut objectable, &entry_id, 2, &mut acks).await;
    assert!(
        refused.is_empty(),
        "{}: not recovered once space returned: {refused:?}",
        s.name
    );
    let (status, _) = s.get("/health", None).await;
    assert_eq!(status, 200, "{}: ready again", s.name);
    all_kept(s, &ppid, &acks, 1).await;
}

/// Fills `fs` but `room` bytes; the returned closure frees it again.
fn fill(fs: &Tmpfs, room: u64) {
    let filler = fs.0.join("filler");
    let size = fs.free_bytes().saturating_sub(room);
    std::fs::write(&filler, vec![0u8; usize::try_from(size).unwrap_or(0)]).expect("fill");
}

fn free(fs: &Tmpfs) {
    std::fs::remove_file(fs.0.join("filler")).expect("free");
}

/// Documents go to the same full disk as the database.
fn documents_on(s: &TestServer, fs: &Tmpfs) {
    let docs = StorageConfig::Local {
        root: fs.0.join("documents"),
    };
    assert!(s.app.set_storage(Storage::new(&docs).expect("storage")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_writer_refuses_on_a_full_disk_under_sqlite_and_recovers() {
    let Some(fs) = Tmpfs::mount(24) else { return };
    let url = format!("sqlite://{}/lentera.sqlite3", fs.0.display());
    let clock = Arc::new(FixedClock::new(common::START));
    let s = common::start_on("sqlite", url, None, [5; 32], clock).await;
    common::seed(&s.app).await;
    documents_on(&s, &fs);
    drill(&s, async || fill(&fs, 96 * 1024), async || free(&fs)).await;
    // And after a restart on the same files.
    let (url, _, clock) = s.stop().await;
    let s = common::start_on("sqlite", url, None, [5; 32], clock).await;
    assert_eq!(s.get("/health", None).await.0, 200);
    s.stop().await;
    drop(fs);
}

/// A fresh PostgreSQL database in a tablespace on a tmpfs. Dropped (database, then
/// tablespace) before the tmpfs goes, even when the test fails: a database whose files vanish
/// under a running PostgreSQL wedges its checkpoints.
struct FullSpace {
    admin: String,
    url: String,
    name: String,
    space: String,
}

impl FullSpace {
    /// `None` without a PostgreSQL on this machine (its files must be on the tmpfs).
    async fn create(fs: &Tmpfs) -> Option<Self> {
        let admin = std::env::var("LENTERA_TEST_PG_URL").ok()?;
        if !(admin.contains("@127.0.0.1") || admin.contains("@localhost")) {
            eprintln!("NOTE: full-tablespace test NOT RUN (PostgreSQL is not on this machine)");
            return None;
        }
        let owned = std::process::Command::new("chown")
            .args(["postgres:postgres"])
            .arg(&fs.0)
            .status()
            .is_ok_and(|s| s.success());
        assert!(owned, "cannot give the tmpfs to the postgres user");
        let suffix = uuid::Uuid::now_v7().simple().to_string();
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
        let this = Self {
            url: format!("{base}/lentera_t_{suffix}"),
            name: format!("lentera_t_{suffix}"),
            space: format!("lentera_full_{suffix}"),
            admin: admin.clone(),
        };
        let db = Db::connect(&admin, &DbOptions::default())
            .await
            .expect("admin");
        for sql in [
            format!(
                "CREATE TABLESPACE {} LOCATION '{}'",
                this.space,
                fs.0.display()
            ),
            format!("CREATE DATABASE {} TABLESPACE {}", this.name, this.space),
        ] {
            with_conn!(db.write(), |pool| sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(pool)
                .await
                .map(|_| ()))
            .expect("tablespace");
        }
        db.close().await;
        Some(this)
    }
}

impl Drop for FullSpace {
    fn drop(&mut self) {
        let dropped = std::process::Command::new("psql")
            .arg(&self.admin)
            .args(["-q", "-v", "ON_ERROR_STOP=1", "-c"])
            .arg(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .arg("-c")
            .arg(format!("DROP TABLESPACE IF EXISTS {}", self.space))
            .status()
            .is_ok_and(|s| s.success());
        if !dropped {
            eprintln!("WARNING: could not drop {} and {}", self.name, self.space);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_writer_refuses_on_a_full_postgres_tablespace_and_recovers() {
    if std::env::var("LENTERA_TEST_PG_URL").is_err() {
        eprintln!("NOTE: full-tablespace test NOT RUN (no PostgreSQL)");
        return;
    }
    let Some(fs) = Tmpfs::mount(48) else { return };
    let Some(space) = FullSpace::create(&fs).await else {
        return;
    };
    let clock = Arc::new(FixedClock::new(common::START));
    let s = common::start_on("postgres", space.url.clone(), None, [5; 32], clock).await;
    common::seed(&s.app).await;
    documents_on(&s, &fs);
    drill(&s, async || fill(&fs, 96 * 1024), async || free(&fs)).await;
    s.stop().await;
}
