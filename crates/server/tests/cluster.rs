//! Issue 16: several nodes on one PostgreSQL and one S3 store, behind nginx, started by
//! `deploy/local-cluster` (the script operators and CI use), exercised through the proxy and
//! node by node. Needs PostgreSQL (`LENTERA_TEST_PG_URL`), nginx and moto; without them it
//! prints that it was not run, unless `LENTERA_REQUIRE_CLUSTER=1` (CI) makes that a failure.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_lentera");
/// Tests run at a pinned date, never the real one.
const TODAY: &str = "2026-03-02";
const PASSWORD: &str = "kata-sandi-klaster-uji";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn have(cmd: &str, args: &[&str]) -> bool {
    Command::new(cmd)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The cluster of one test: stopped (gracefully) when dropped.
struct Cluster {
    state: PathBuf,
    port: u16,
    db_url: String,
}

impl Cluster {
    fn script(&self, args: &[&str]) -> std::process::Output {
        Command::new(root().join("deploy/local-cluster"))
            .args(args)
            .env("LENTERA_BIN", BIN)
            .env("LENTERA_DATABASE_URL", &self.db_url)
            .env("CLUSTER_PORT", self.port.to_string())
            .env("LENTERA_TODAY", TODAY)
            .env("LENTERA_REQUIRE_2FA", "0")
            .env("LENTERA_RATE_SUBMIT_PER_MIN", "0")
            .env("LENTERA_LOG", "warn")
            .output()
            .expect("run deploy/local-cluster")
    }

    fn run(&self, args: &[&str]) {
        let out = self.script(args);
        assert!(
            out.status.success(),
            "local-cluster {args:?} failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn proxy(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn node(&self, i: u16) -> String {
        format!("http://127.0.0.1:{}", self.port + i)
    }

    /// An administrative command on the shared database with the installation's key.
    fn admin(&self, args: &[&str], stdin: Option<&str>) {
        use std::io::Write as _;
        let key = std::fs::read_to_string(self.state.join("secret.key")).expect("key");
        let mut child = Command::new(BIN)
            .args(args)
            .env("LENTERA_DATABASE_URL", &self.db_url)
            .env("LENTERA_DATA_DIR", self.state.join("admin"))
            .env("LENTERA_SECRET_KEY", key.trim())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("admin command");
        if let Some(text) = stdin {
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(text.as_bytes())
                .expect("write stdin");
        } else {
            drop(child.stdin.take());
        }
        let out = child.wait_with_output().expect("admin output");
        assert!(
            out.status.success(),
            "lentera {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.script(&["down", &self.state.to_string_lossy()]);
    }
}

/// A port p with p..p+4 and p+50 free (the proxy, the nodes and moto).
fn free_ports() -> u16 {
    for _ in 0..200 {
        let p: u16 = 20_000 + (rand_u16() % 20_000);
        let free = [0, 1, 2, 3, 4, 50]
            .iter()
            .all(|d| std::net::TcpListener::bind(("127.0.0.1", p + d)).is_ok());
        if free {
            return p;
        }
    }
    panic!("no free ports");
}

fn rand_u16() -> u16 {
    let b = uuid::Uuid::new_v4();
    u16::from_le_bytes([b.as_bytes()[0], b.as_bytes()[1]])
}

async fn prerequisites() -> Option<String> {
    let required = std::env::var("LENTERA_REQUIRE_CLUSTER").is_ok_and(|v| v == "1");
    let missing = |what: &str| {
        assert!(!required, "LENTERA_REQUIRE_CLUSTER=1 but {what}");
        eprintln!("NOTE: multi-node cluster test NOT RUN: {what}");
        None
    };
    if !have("nginx", &["-v"]) {
        return missing("nginx is not installed (apt-get install nginx-light)");
    }
    if !have("python3", &["-c", "import moto.server"]) {
        return missing("moto is not installed (pip install 'moto[server]')");
    }
    match lentera_store::testing::postgres_url().await {
        Ok(Some(url)) => Some(url),
        Ok(None) => missing("LENTERA_TEST_PG_URL is not set"),
        Err(e) => panic!("PostgreSQL: {e}"),
    }
}

struct Http {
    c: reqwest::Client,
}

impl Http {
    async fn send(&self, r: reqwest::RequestBuilder, token: Option<&str>) -> (u16, Value) {
        let r = match token {
            Some(t) => r.bearer_auth(t),
            None => r,
        };
        match r.send().await {
            Ok(resp) => {
                let s = resp.status().as_u16();
                (s, resp.json().await.unwrap_or(Value::Null))
            }
            Err(_) => (0, Value::Null),
        }
    }

    async fn get(&self, url: &str, token: Option<&str>) -> (u16, Value) {
        self.send(self.c.get(url), token).await
    }

    async fn post(&self, url: &str, body: &Value, token: Option<&str>) -> (u16, Value) {
        self.send(self.c.post(url).json(body), token).await
    }
}

fn submission(i: usize) -> Value {
    json!({
        "body": "kota-klaster",
        "applicant": {"kind": "individual", "name": format!("Pemohon Klaster {i}"), "id_number": "3374010101900001", "occupation": "Peneliti",
            "address": "Jl. Pemuda 1, Semarang", "phone": "081234567890", "email": format!("pemohon{i}@contoh.id")},
        "information": "Salinan laporan realisasi anggaran dinas pendidikan tahun 2025",
        "purpose": "Penelitian tentang belanja pendidikan",
        "obtain": "softcopy",
        "delivery": "email"
    })
}

/// Waits until `f` answers true, at most `limit`; returns how long it took.
async fn within<F, Fut>(limit: Duration, mut f: F) -> Option<Duration>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let start = Instant::now();
    while start.elapsed() < limit {
        if f().await {
            return Some(start.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_nodes_behind_nginx_share_one_installation() {
    let Some(db_url) = prerequisites().await else {
        return;
    };
    let state =
        std::env::temp_dir().join(format!("lentera-cluster-{}", uuid::Uuid::now_v7().simple()));
    let cluster = Cluster {
        state: state.clone(),
        port: free_ports(),
        db_url,
    };
    let st = state.to_string_lossy().into_owned();
    // Both nodes start at once on an empty database: one migrates, the other waits.
    cluster.run(&["up", &st, "2"]);
    // Administrative commands beside the running nodes, with the installation's key.
    cluster.admin(
        &[
            "body",
            "add",
            "--slug",
            "kota-klaster",
            "--name",
            "Pemerintah Kota Klaster",
            "--kind",
            "city",
        ],
        None,
    );
    cluster.admin(
        &[
            "user",
            "add",
            "--email",
            "ppid@klaster.go.id",
            "--role",
            "ppid",
            "--body",
            "kota-klaster",
            "--password-stdin",
        ],
        Some(&format!("{PASSWORD}\n")),
    );
    let http = Http {
        c: reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .expect("client"),
    };
    let (n1, n2, proxy) = (cluster.node(1), cluster.node(2), cluster.proxy());

    // Readiness names the node and its parts.
    for n in [&n1, &n2] {
        let (s, r) = http.get(&format!("{n}/api/v1/health/ready"), None).await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(r["database"]["ok"], true);
        assert_eq!(r["storage"]["ok"], true);
        assert_eq!(r["index"]["ok"], true);
    }
    let (_, r1) = http.get(&format!("{n1}/api/v1/health/ready"), None).await;
    let (_, r2) = http.get(&format!("{n2}/api/v1/health/ready"), None).await;
    assert_ne!(r1["node"], r2["node"], "two nodes, two names");

    // A request submitted on node 1 is tracked on node 2.
    let (s, receipt) = http
        .post(&format!("{n1}/api/v1/requests"), &submission(0), None)
        .await;
    assert_eq!(s, 201, "{receipt}");
    let number = receipt["number"].as_str().expect("number").to_owned();
    let code = receipt["tracking_code"].as_str().expect("code").to_owned();
    let (s, view) = http
        .get(&format!("{n2}/api/v1/requests/{number}?code={code}"), None)
        .await;
    assert_eq!(s, 200, "{view}");
    assert_eq!(view["due_on"], receipt["due_on"]);

    // A token issued by node 2 works on node 1; an officer's action on node 1 is seen on node 2.
    let (s, t) = http
        .post(
            &format!("{n2}/api/v1/auth/token"),
            &json!({"email": "ppid@klaster.go.id", "password": PASSWORD}),
            None,
        )
        .await;
    assert_eq!(s, 200, "{t}");
    let token = t["token"].as_str().expect("token").to_owned();
    let (s, cases) = http.get(&format!("{n1}/api/v1/cases"), Some(&token)).await;
    assert_eq!(s, 200, "{cases}");
    assert!(cases.to_string().contains(&number), "{cases}");

    // An objection filed on node 2 is read on node 1.
    let (s, obj) = http
        .post(
            &format!("{n2}/api/v1/requests/{number}/objections?code={code}"),
            &json!({"grounds": ["b"], "reason": "Informasi berkala belum diumumkan di laman badan publik"}),
            None,
        )
        .await;
    assert_eq!(s, 201, "{obj}");
    let (onum, ocode) = (
        obj["number"].as_str().expect("objection number").to_owned(),
        obj["tracking_code"]
            .as_str()
            .expect("objection code")
            .to_owned(),
    );
    let (s, oview) = http
        .get(&format!("{n1}/api/v1/objections/{onum}?code={ocode}"), None)
        .await;
    assert_eq!(s, 200, "{oview}");

    // A register entry published on node 1 is found by search on node 2 within 2 s.
    let (s, en) = http
        .post(
            &format!("{n1}/api/v1/register/entries"),
            &json!({"kind": "periodic", "title": "Laporan Keuangan Kecamatan Tembalang", "summary": "Neraca dan realisasi anggaran kecamatan",
                "responsible": "Sekretaris Kecamatan", "made_when": "Januari 2026", "made_where": "Semarang",
                "forms": ["softcopy"], "retention": "5 tahun", "checklist": "berkala.keuangan"}),
            Some(&token),
        )
        .await;
    assert_eq!(s, 201, "{en}");
    let id = en["id"].as_str().expect("entry id").to_owned();
    let (s, _) = http
        .get(&format!("{n2}/api/v1/register/entries/{id}"), None)
        .await;
    assert_eq!(s, 404, "a draft is private on every node");
    let (s, p) = http
        .post(
            &format!("{n1}/api/v1/register/entries/{id}/publish"),
            &json!({}),
            Some(&token),
        )
        .await;
    assert_eq!(s, 200, "{p}");
    let found = within(Duration::from_secs(2), || async {
        let (_, r) = http
            .get(&format!("{n2}/api/v1/search?q=tembalang"), None)
            .await;
        r["total"].as_u64().unwrap_or(0) > 0
    })
    .await;
    assert!(
        found.is_some(),
        "node 2's index did not follow node 1's write within 2 s"
    );
    eprintln!(
        "search on node 2 found node 1's entry after {:?}",
        found.unwrap_or_default()
    );
    let (s, _) = http
        .get(&format!("{n2}/api/v1/register/entries/{id}"), None)
        .await;
    assert_eq!(s, 200);

    // The public command centre on node 2 gets an event within 2 s of a submission on node 1.
    let sse = reqwest::Client::new()
        .get(format!("{n2}/b/kota-klaster/kinerja/stream"))
        .send()
        .await
        .expect("stream");
    assert_eq!(sse.status().as_u16(), 200);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Instant>();
    let reader = tokio::spawn(async move {
        let mut sse = sse;
        let mut buf = String::new();
        while let Ok(Some(chunk)) = sse.chunk().await {
            buf.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buf.find("\n\n") {
                let ev: String = buf.drain(..end + 2).collect();
                if ev.contains("event: figures") {
                    let _ = tx.send(Instant::now());
                }
            }
        }
    });
    // The first event is the figures as they are now.
    tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .expect("first figures")
        .expect("event");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let sent = Instant::now();
    let (s, _) = http
        .post(&format!("{n1}/api/v1/requests"), &submission(1), None)
        .await;
    assert_eq!(s, 201);
    let got = tokio::time::timeout(Duration::from_secs(2), rx.recv())
        .await
        .expect("node 2's live figures moved within 2 s of node 1's submission")
        .expect("event");
    eprintln!("dashboard event on node 2 after {:?}", got - sent);
    reader.abort();

    // Guessing tracking codes through the proxy (spread over both nodes) is braked at the same
    // count as on one node: 30 wrong codes, then 429.
    let mut wrong = 0;
    loop {
        let (s, _) = http
            .get(
                &format!("{proxy}/api/v1/requests/{number}?code=SALAH-{wrong:04}"),
                None,
            )
            .await;
        match s {
            404 => wrong += 1,
            429 => break,
            other => panic!("unexpected {other} after {wrong} wrong codes"),
        }
        assert!(wrong <= 40, "no brake after {wrong} wrong codes");
    }
    assert_eq!(
        wrong, 30,
        "braked after {wrong} wrong codes across two nodes"
    );
    // Each node refuses now, also the right code (the brake is per address, not per guess).
    for n in [&n1, &n2] {
        let (s, _) = http
            .get(&format!("{n}/api/v1/requests/{number}?code={code}"), None)
            .await;
        assert_eq!(s, 429, "{n}");
    }

    // kill -9 of node 1 under submission load through the proxy: no acknowledged request is
    // lost, and the clients see no 5xx beyond the requests in flight on the killed node.
    let clients = 4usize;
    let stop_at = Instant::now() + Duration::from_secs(6);
    let mut tasks = Vec::new();
    for c in 0..clients {
        let url = format!("{proxy}/api/v1/requests");
        let client = http.c.clone();
        tasks.push(tokio::spawn(async move {
            let mut acked = Vec::new();
            let mut failed = Vec::new();
            let mut i = 0;
            while Instant::now() < stop_at {
                i += 1;
                let r = client
                    .post(&url)
                    .json(&submission(10_000 + c * 1000 + i))
                    .send()
                    .await;
                match r {
                    Ok(resp) if resp.status().as_u16() == 201 => {
                        let v: Value = resp.json().await.unwrap_or(Value::Null);
                        acked.push((
                            v["number"].as_str().unwrap_or("").to_owned(),
                            v["tracking_code"].as_str().unwrap_or("").to_owned(),
                        ));
                    }
                    Ok(resp) => failed.push(resp.status().as_u16()),
                    Err(_) => failed.push(0),
                }
            }
            (acked, failed)
        }));
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    cluster.run(&["kill", &st, "1"]);
    let mut acked = Vec::new();
    let mut failed = Vec::new();
    for t in tasks {
        let (a, f) = t.await.expect("client");
        acked.extend(a);
        failed.extend(f);
    }
    eprintln!(
        "under kill -9: {} acknowledged, failures {:?}",
        acked.len(),
        failed
    );
    assert!(
        acked.len() > 20,
        "too few submissions went through: {}",
        acked.len()
    );
    assert!(
        failed.len() <= clients,
        "more failures ({failed:?}) than requests in flight on the killed node ({clients})"
    );
    // Every acknowledged request is there, with its code, on the surviving node. The brake
    // above counted this address: the lookups come as another client, named by the trusted
    // proxy's header (the nodes believe it from 127.0.0.1 only).
    let mut lookups = Vec::new();
    for chunk in acked.chunks(acked.len().div_ceil(8).max(1)) {
        let chunk = chunk.to_vec();
        let client = http.c.clone();
        let base = n2.clone();
        lookups.push(tokio::spawn(async move {
            let mut lost = Vec::new();
            for (number, code) in chunk {
                let s = client
                    .get(format!("{base}/api/v1/requests/{number}?code={code}"))
                    .header("x-forwarded-for", "198.51.100.77")
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0);
                if s != 200 {
                    lost.push((number, s));
                }
            }
            lost
        }));
    }
    let mut lost = Vec::new();
    for l in lookups {
        lost.extend(l.await.expect("lookups"));
    }
    lost.truncate(10);
    assert!(lost.is_empty(), "acknowledged but not found: {lost:?}");

    // Node 1 comes back, and a third node started later catches up the index.
    cluster.run(&["start", &st, "1"]);
    cluster.run(&["start", &st, "3"]);
    let n3 = cluster.node(3);
    let caught_up = within(Duration::from_secs(10), || async {
        let (s, r) = http.get(&format!("{n3}/api/v1/health/ready"), None).await;
        s == 200 && r["index"]["lag"] == 0
    })
    .await;
    assert!(caught_up.is_some(), "node 3's index did not catch up");
    let (_, r) = http
        .get(&format!("{n3}/api/v1/search?q=tembalang"), None)
        .await;
    assert!(
        r["total"].as_u64().unwrap_or(0) > 0,
        "node 3 finds the entry: {r}"
    );

    // A node shutting down says so to the proxy, and finishes its work.
    let out = cluster.script(&["stop", &st, "3"]);
    assert!(out.status.success());
    let log = std::fs::read_to_string(state.join("node3.log")).unwrap_or_default();
    assert!(
        log.contains("berhenti dengan rapi"),
        "node 3 did not stop gracefully:\n{log}"
    );
    assert!(
        !log.contains("closed pool"),
        "work went on after the pool closed:\n{log}"
    );

    // A node with another key refuses to start.
    let bad = Command::new(BIN)
        .args(["body", "list"])
        .env("LENTERA_DATABASE_URL", &cluster.db_url)
        .env("LENTERA_DATA_DIR", state.join("stranger"))
        .env("LENTERA_SECRET_KEY", "00".repeat(32))
        .output()
        .expect("stranger");
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("kunci instalasi berbeda"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    drop(cluster);
    let _ = std::fs::remove_dir_all(&state);
}
