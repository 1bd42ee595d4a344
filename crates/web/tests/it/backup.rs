//! Backup and restore (issue 15): a backup taken while the server receives submissions over
//! HTTP holds every request acknowledged before it started, every document and every
//! published answer; a changed file is refused by name; the key never lands in the backup.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use lentera_app::backup::{self, BackupError, manifest};
use lentera_app::lentera_search::SearchIndex;
use lentera_app::storage::{Storage, StorageConfig};
use lentera_app::testing::store::{Db, DbOptions, testing};
use lentera_app::{App, AppConfig, FixedClock, Secret};
use serde_json::{Value, json};

use crate::common::{START, TestServer, servers, start_on, submission};

const KEY: [u8; 32] = [3; 32];

fn temp_dir(what: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lentera-{what}-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&d).expect("dir");
    d
}

fn local_storage(root: &Path) -> Storage {
    Storage::new(&StorageConfig::Local {
        root: root.to_path_buf(),
    })
    .expect("storage")
}

fn pdf(text: &str) -> Vec<u8> {
    let mut d = lentera_render::Document::new("Dokumen uji");
    d.push(lentera_render::Block::Paragraph(text.into()));
    d.to_pdf()
}

/// What must survive: a published entry and a published answer, each with a document.
struct Published {
    entry: String,
    publication: String,
    documents: Vec<(String, String, Vec<u8>)>,
}

impl TestServer {
    async fn upload_doc(&self, token: &str, owner: &str, name: &str, bytes: &[u8]) -> String {
        let resp = self
            .http
            .post(format!("{}/documents", self.base))
            .query(&[("owner", owner), ("filename", name)])
            .bearer_auth(token)
            .body(bytes.to_vec())
            .send()
            .await
            .expect("send");
        let status = resp.status().as_u16();
        let d: Value = resp.json().await.unwrap_or(Value::Null);
        assert_eq!(status, 201, "{}: upload {name}: {d}", self.name);
        d["id"].as_str().expect("id").to_owned()
    }

    async fn publish_some(&self) -> Published {
        let ppid = self.token("ppid@a.id").await;
        let raw = json!({
            "kind": "periodic", "title": "Rencana Strategis Dinas", "summary": "Renstra lima tahunan",
            "responsible": "Kepala Bagian Umum", "made_when": "Januari 2026", "made_where": "Kendal",
            "forms": ["softcopy"], "retention": "5 tahun", "checklist": "berkala.keuangan",
        });
        let (status, en) = self.post("/register/entries", &raw, Some(&ppid)).await;
        assert_eq!(status, 201, "{}: {en}", self.name);
        let entry = en["id"].as_str().expect("id").to_owned();
        let entry_pdf = pdf("Renstra belanja hibah kelurahan Sukamaju");
        let d1 = self
            .upload_doc(&ppid, &format!("entry:{entry}"), "renstra.pdf", &entry_pdf)
            .await;
        let (status, e) = self
            .post(
                &format!("/register/entries/{entry}/publish"),
                &json!({}),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 200, "{}: publish entry: {e}", self.name);

        let (number, _) = self.submit("kab-a").await;
        let (status, e) = self
            .post(
                &format!("/requests/{number}/decision"),
                &json!({"outcome": "granted", "note": "Terlampir"}),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 200, "{}: {e}", self.name);
        let answer = b"DPA Dinas Pendidikan 2026 terlampir lengkap.".to_vec();
        let d2 = self
            .upload_doc(&ppid, &format!("request:{number}"), "dpa.txt", &answer)
            .await;
        let (status, p) = self
            .post(
                &format!("/requests/{number}/publication"),
                &json!({"title": "Salinan DPA Dinas Pendidikan 2026", "text": "DPA terlampir.", "documents": [d2]}),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 201, "{}: publish answer: {p}", self.name);
        Published {
            entry,
            publication: p["id"].as_str().expect("id").to_owned(),
            documents: vec![
                (d1, "renstra.pdf".into(), entry_pdf),
                (d2, "dpa.txt".into(), answer),
            ],
        }
    }

    /// The public download of a document, through the page route.
    async fn download(&self, id: &str, name: &str) -> (u16, Vec<u8>) {
        let site = self.base.trim_end_matches("/api/v1");
        let resp = self
            .http
            .get(format!("{site}/dokumen/{id}/{name}"))
            .send()
            .await
            .expect("send");
        let status = resp.status().as_u16();
        (
            status,
            resp.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
        )
    }
}

/// Opens the installation as a separate process would (`lentera backup` beside `serve`).
async fn beside(url: &str, storage: Storage) -> App {
    let db = Db::connect(url, &DbOptions::default()).await.expect("db");
    let app = App::new(
        db,
        Secret::from_key(KEY),
        Arc::new(FixedClock::new(START)),
        AppConfig::default(),
    )
    .expect("app");
    app.set_storage(storage);
    app
}

fn every_file(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            every_file(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Submits over HTTP until stopped; each acknowledgement is recorded when it arrives.
fn load(
    s: &TestServer,
    acked: &Arc<Mutex<Vec<(String, String)>>>,
    stop: &Arc<AtomicBool>,
) -> Vec<tokio::task::JoinHandle<Vec<u16>>> {
    (0..3)
        .map(|_| {
            let (http, base) = (s.http.clone(), s.base.clone());
            let (acked, stop) = (Arc::clone(acked), Arc::clone(stop));
            tokio::spawn(async move {
                let mut refused = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let resp = http
                        .post(format!("{base}/requests"))
                        .json(&submission("kab-a"))
                        .send()
                        .await
                        .expect("send");
                    let status = resp.status().as_u16();
                    let r: Value = resp.json().await.unwrap_or(Value::Null);
                    if status == 201 {
                        let pair = (
                            r["number"].as_str().expect("number").to_owned(),
                            r["tracking_code"].as_str().expect("code").to_owned(),
                        );
                        acked.lock().expect("lock").push(pair);
                    } else {
                        refused.push(status);
                    }
                }
                refused
            })
        })
        .collect()
}

#[tokio::test]
async fn a_backup_under_load_restores_every_acknowledged_request_document_and_answer() {
    for s in servers().await {
        let documents = s
            .dir
            .clone()
            .map_or_else(|| temp_dir("docs"), |d| d.join("documents"));
        let restored = s
            .dir
            .as_ref()
            .map_or_else(|| temp_dir("docs"), |_| temp_dir("restored-docs"));
        round_trip(s, local_storage(&documents), local_storage(&restored)).await;
    }
}

/// Issue 15: the installation of several nodes (PostgreSQL, documents on S3) backs up its
/// bucket and restores it into another bucket, against moto's local S3 server.
#[tokio::test]
async fn a_backup_of_documents_on_s3_restores_into_another_bucket() {
    let Some(s) = servers().await.into_iter().find(|s| s.name == "postgres") else {
        return;
    };
    let Some(moto) = Moto::start().await else {
        return;
    };
    let source = moto.bucket("lentera-sumber").await;
    let target = moto.bucket("lentera-pulih").await;
    round_trip(s, source, target).await;
    drop(moto);
}

/// A moto S3 server on a free loopback port, killed when dropped.
struct Moto {
    child: std::process::Child,
    endpoint: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Moto {
    /// `None` (with a note) when moto is not installed, unless `LENTERA_REQUIRE_S3=1`.
    async fn start() -> Option<Self> {
        use std::process::{Command, Stdio};
        let installed = Command::new("python3")
            .args(["-c", "import moto.server"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|st| st.success());
        if !installed {
            assert!(
                std::env::var("LENTERA_REQUIRE_S3").map_or(true, |v| v != "1"),
                "LENTERA_REQUIRE_S3=1 but moto is not installed"
            );
            eprintln!("S3 emulator (moto) not installed: S3 backup test NOT RUN");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let child = Command::new("python3")
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto");
        let moto = Self {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        for _ in 0..300 {
            if reqwest::get(format!("{}/", moto.endpoint)).await.is_ok() {
                return Some(moto);
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        panic!("moto did not answer within 60 s");
    }

    async fn bucket(&self, name: &str) -> Storage {
        let made = reqwest::Client::new()
            .put(format!("{}/{name}", self.endpoint))
            .send()
            .await
            .expect("create bucket");
        assert!(
            made.status().is_success(),
            "bucket {name}: {}",
            made.status()
        );
        Storage::new(&StorageConfig::S3 {
            bucket: name.into(),
            endpoint: Some(self.endpoint.clone()),
            region: "us-east-1".into(),
            access_key_id: "uji".into(),
            secret_access_key: "rahasia-uji".into(),
            allow_http: true,
            prefix: None,
        })
        .expect("s3 storage")
    }
}

/// Backs up `s` (documents in `source`) under submission load, restores into a fresh
/// database with documents in `restored`, and checks that nothing acknowledged is missing.
async fn round_trip(s: TestServer, source: Storage, restored: Storage) {
    {
        assert!(s.app.set_storage(source.clone()));
        let published = s.publish_some().await;

        let acked = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let clients = load(&s, &acked, &stop);
        while acked.lock().expect("lock").len() < 40 {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        let other = beside(&s.url, source.clone()).await;
        let dest = temp_dir("backup").join("cadangan");
        let before: Vec<(String, String)> = acked.lock().expect("lock").clone();
        let m = other
            .backup(&s.url, &dest, "uji", &|_, _, _| {})
            .await
            .expect("backup");
        let during = acked.lock().expect("lock").len() - before.len();
        stop.store(true, Ordering::Relaxed);
        for c in clients {
            let refused = c.await.expect("client");
            assert!(refused.is_empty(), "{}: refused {refused:?}", s.name);
        }
        other.db.close().await;
        eprintln!(
            "{}: {} acknowledged before the backup, {during} while it ran; {} files",
            s.name,
            before.len(),
            m.files.len()
        );
        assert_eq!(m.database.kind, s.name);
        assert!(!m.key.included);
        assert_eq!(m.documents.count, 2, "{}: {m:?}", s.name);

        // The key never lands in the backup, as text or as bytes.
        let mut files = Vec::new();
        every_file(&dest, &mut files);
        let hex_key = hex_of(&KEY);
        for f in &files {
            let bytes = std::fs::read(f).expect("read");
            assert!(
                !contains(&bytes, hex_key.as_bytes()) && !contains(&bytes, &KEY),
                "{}: the key is inside {}",
                s.name,
                f.display()
            );
        }
        assert!(!files.iter().any(|f| f.ends_with("secret.key")));

        // Restore into a fresh installation.
        let checked = manifest::verify(&dest, &|_, _| {}).expect("verify");
        checked.check_key(&Secret::from_key(KEY)).expect("key");
        let (url, dir) = match s.name {
            "sqlite" => {
                let d = temp_dir("restored");
                (
                    format!("sqlite://{}", d.join("lentera.sqlite3").display()),
                    Some(d),
                )
            }
            _ => (
                testing::postgres_url()
                    .await
                    .expect("pg")
                    .expect("a second database"),
                None,
            ),
        };
        backup::restore_database(&dest, &checked, &url, false, &|_, _, _| {})
            .await
            .expect("restore database");
        // A second restore into the now occupied target is refused.
        let again = backup::restore_database(&dest, &checked, &url, false, &|_, _, _| {}).await;
        assert!(
            matches!(again, Err(BackupError::Target(_))),
            "{}: {again:?}",
            s.name
        );
        // Even with --force, a database a running node is connected to is never replaced.
        if s.name == "postgres" {
            let live = backup::restore_database(&dest, &checked, &s.url, true, &|_, _, _| {}).await;
            assert!(
                matches!(&live, Err(BackupError::Target(t)) if t.contains("sedang dipakai")),
                "force over a live database: {live:?}"
            );
            assert!(
                s.count_requests().await > 0,
                "the live database is untouched"
            );
        }
        let r = start_on(s.name, url, dir, KEY, Arc::new(FixedClock::new(START))).await;
        assert!(r.app.set_storage(restored));
        let index_dir = temp_dir("index");
        r.app
            .set_search_index(Arc::new(SearchIndex::open(&index_dir).expect("index")));
        let (docs, indexed) = r
            .app
            .finish_restore(&dest, &checked, "uji", &|_, _, _| {})
            .await
            .expect("finish restore");
        assert_eq!(docs, 2, "{}", s.name);
        assert!(indexed >= 3, "{}: {indexed} indexed", s.name);

        for (number, code) in &before {
            let (status, t) = r
                .get(&format!("/requests/{number}?code={code}"), None)
                .await;
            assert_eq!(status, 200, "{}: {number} lost: {t}", s.name);
            assert_eq!(t["number"], number.as_str());
        }
        assert!(r.count_requests().await > before.len() as i64);
        assert_eq!(
            r.get(&format!("/publications/{}", published.publication), None)
                .await
                .0,
            200,
            "{}: the published answer",
            s.name
        );
        assert_eq!(
            r.get(&format!("/register/entries/{}", published.entry), None)
                .await
                .0,
            200,
            "{}: the published entry",
            s.name
        );
        for (id, name, bytes) in &published.documents {
            let (status, got) = r.download(id, name).await;
            assert_eq!(status, 200, "{}: document {name}", s.name);
            assert_eq!(&got, bytes, "{}: document {name} differs", s.name);
        }
        let found = r.get("/search?q=renstra", None).await.1;
        assert!(
            found["total"].as_u64().unwrap_or(0) >= 1,
            "{}: not reindexed: {found}",
            s.name
        );
        // Restore is in the audit log, and the chain holds across it.
        assert_eq!(
            lentera_app::testing::store::audit::count_for(
                &r.app.db,
                "installation",
                &dest.display().to_string()
            )
            .await
            .expect("audit"),
            1,
            "{}",
            s.name
        );
        let (_, broken) = lentera_app::testing::store::audit::verify(&r.app.db, &|_| {})
            .await
            .expect("verify chain");
        assert!(broken.is_none(), "{}: {broken:?}", s.name);
        // And the backup in the source's.
        assert_eq!(
            lentera_app::testing::store::audit::count_for(
                &s.app.db,
                "installation",
                &dest.display().to_string()
            )
            .await
            .expect("audit"),
            1,
            "{}",
            s.name
        );
        r.stop().await;
        let _ = std::fs::remove_dir_all(index_dir);
    }
}

fn hex_of(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[tokio::test]
async fn a_changed_backup_is_refused_naming_the_file() {
    for s in servers().await {
        let documents = s
            .dir
            .clone()
            .map_or_else(|| temp_dir("docs"), |d| d.join("documents"));
        assert!(s.app.set_storage(local_storage(&documents)));
        s.publish_some().await;
        let dest = temp_dir("backup").join("cadangan");
        s.app
            .backup(&s.url, &dest, "uji", &|_, _, _| {})
            .await
            .expect("backup");
        // Writing into an existing backup is refused.
        assert!(matches!(
            s.app.backup(&s.url, &dest, "uji", &|_, _, _| {}).await,
            Err(BackupError::Target(_))
        ));
        let m = manifest::verify(&dest, &|_, _| {}).expect("intact");
        let doc = m
            .files
            .iter()
            .find(|f| f.path.starts_with("objects/"))
            .expect("a document")
            .clone();
        let path = dest.join(&doc.path);
        let original = std::fs::read(&path).expect("read");

        // One byte changed.
        let mut changed = original.clone();
        changed[0] ^= 0x20;
        std::fs::write(&path, &changed).expect("write");
        match manifest::verify(&dest, &|_, _| {}) {
            Err(e @ BackupError::Tampered(_)) => {
                assert!(e.to_string().contains(&doc.path), "{}: {e}", s.name);
            }
            other => panic!("{}: a changed document was accepted: {other:?}", s.name),
        }

        // The same change with its checksum rewritten in the manifest: the seal refuses it.
        let mut forged = m.clone();
        for f in &mut forged.files {
            if f.path == doc.path {
                f.sha256 = hex_of(&<sha2::Sha256 as sha2::Digest>::digest(&changed));
            }
        }
        forged.write(&dest).expect("forge");
        let checked = manifest::verify(&dest, &|_, _| {}).expect("checksums agree now");
        assert!(
            matches!(
                checked.check_key(&Secret::from_key(KEY)),
                Err(BackupError::Unsealed)
            ),
            "{}",
            s.name
        );
        assert!(matches!(
            m.check_key(&Secret::from_key([9; 32])),
            Err(BackupError::WrongKey)
        ));

        // An extra file and a missing one are named too.
        m.write(&dest).expect("manifest back");
        std::fs::write(&path, &original).expect("restore file");
        std::fs::write(dest.join("objects/extra"), b"x").expect("extra");
        assert!(matches!(
            manifest::verify(&dest, &|_, _| {}),
            Err(BackupError::Unlisted(p)) if p == "objects/extra"
        ));
        std::fs::remove_file(dest.join("objects/extra")).expect("rm");
        std::fs::remove_file(&path).expect("rm");
        assert!(matches!(
            manifest::verify(&dest, &|_, _| {}),
            Err(BackupError::Missing(p)) if p == doc.path
        ));
    }
}
