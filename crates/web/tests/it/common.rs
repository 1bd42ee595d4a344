use std::sync::Arc;

use lentera_app::auth::NewUser;
use lentera_app::bodies::NewBody;
use lentera_app::testing::store::{Db, DbOptions, testing};
use lentera_app::{App, AppConfig, FixedClock, Secret};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::macros::datetime;

pub const PASSWORD: &str = "rahasia-petugas-1";
pub const NIK: &str = "3302015708900007";

pub struct TestServer {
    pub name: &'static str,
    pub base: String,
    pub app: Arc<App>,
    pub clock: Arc<FixedClock>,
    pub http: reqwest::Client,
    pub url: String,
    pub dir: Option<std::path::PathBuf>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

/// Monday 2 Feb 2026, 10:00 WIB.
pub const START: OffsetDateTime = datetime!(2026-02-02 03:00 UTC);

/// The tests' web settings: the client is the proxy, so `X-Forwarded-For` names other clients.
pub fn test_web() -> lentera_web::WebConfig {
    lentera_web::WebConfig {
        trusted_proxies: lentera_web::limiter::TrustedProxies::parse("127.0.0.1").expect("proxies"),
        ..lentera_web::WebConfig::default()
    }
}

pub async fn start_on(
    name: &'static str,
    url: String,
    dir: Option<std::path::PathBuf>,
    key: [u8; 32],
    clock: Arc<FixedClock>,
) -> TestServer {
    start_with(name, url, dir, key, clock, test_web()).await
}

pub async fn start_with(
    name: &'static str,
    url: String,
    dir: Option<std::path::PathBuf>,
    key: [u8; 32],
    clock: Arc<FixedClock>,
    web: lentera_web::WebConfig,
) -> TestServer {
    start_configured(name, url, dir, key, clock, web, AppConfig::default()).await
}

pub async fn start_configured(
    name: &'static str,
    url: String,
    dir: Option<std::path::PathBuf>,
    key: [u8; 32],
    clock: Arc<FixedClock>,
    web: lentera_web::WebConfig,
    config: AppConfig,
) -> TestServer {
    let db = Db::connect(
        &url,
        &DbOptions {
            max_pg_connections: 4,
            ..DbOptions::default()
        },
    )
    .await
    .expect("connect");
    db.migrate().await.expect("migrate");
    let app = Arc::new(
        App::new(
            db,
            Secret::from_key(key),
            Arc::clone(&clock) as Arc<dyn lentera_app::Clock>,
            config,
        )
        .expect("app"),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}/api/v1", listener.local_addr().expect("addr"));
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let served = Arc::clone(&app);
    let task = tokio::spawn(async move {
        let _ = lentera_web::serve_with(listener, served, web, async {
            let _ = rx.await;
        })
        .await;
    });
    TestServer {
        name,
        base,
        app,
        clock,
        http: reqwest::Client::new(),
        url,
        dir,
        shutdown: Some(tx),
        task: Some(task),
    }
}

impl TestServer {
    /// Stops serving and closes the database, as a process exit would.
    pub async fn stop(mut self) -> (String, Option<std::path::PathBuf>, Arc<FixedClock>) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
        self.app.db.close().await;
        (self.url.clone(), self.dir.clone(), Arc::clone(&self.clock))
    }
}

/// One seeded server per available back end: body `kab-a` with units `kab-a-dinkes` and
/// `kab-a-disdik`, body `kab-b`, and officers of each role.
pub async fn servers() -> Vec<TestServer> {
    servers_with(test_web()).await
}

/// [`servers`] with other web settings.
pub async fn servers_with(web: lentera_web::WebConfig) -> Vec<TestServer> {
    servers_configured(web, AppConfig::default()).await
}

/// [`servers`] with other web and application settings.
pub async fn servers_configured(web: lentera_web::WebConfig, config: AppConfig) -> Vec<TestServer> {
    let mut out = Vec::new();
    let (url, dir) = testing::sqlite_url();
    out.push(
        start_configured(
            "sqlite",
            url,
            Some(dir),
            [3; 32],
            Arc::new(FixedClock::new(START)),
            web.clone(),
            config.clone(),
        )
        .await,
    );
    if let Some(url) = testing::postgres_url().await.expect("postgres config") {
        out.push(
            start_configured(
                "postgres",
                url,
                None,
                [3; 32],
                Arc::new(FixedClock::new(START)),
                web,
                config,
            )
            .await,
        );
    }
    for s in &out {
        seed(&s.app).await;
    }
    out
}

pub async fn seed(app: &App) {
    for (slug, parent, kind) in [
        ("kab-a", None, "regency"),
        ("kab-a-dinkes", Some("kab-a"), "unit"),
        ("kab-a-disdik", Some("kab-a"), "unit"),
        ("kab-b", None, "regency"),
    ] {
        app.create_body(&NewBody {
            slug: slug.into(),
            name: format!("Badan {slug}"),
            kind: Some(kind.into()),
            parent: parent.map(str::to_owned),
            ..NewBody::default()
        })
        .await
        .expect("body");
    }
    for (email, role, body) in [
        ("ppid@a.id", "ppid", "kab-a"),
        ("atasan@a.id", "supervisor", "kab-a"),
        ("viewer@a.id", "viewer", "kab-a"),
        ("dinkes@a.id", "ppid_unit", "kab-a-dinkes"),
        ("disdik@a.id", "ppid_unit", "kab-a-disdik"),
        ("ppid@b.id", "ppid", "kab-b"),
        ("admin@a.id", "admin", "kab-a"),
    ] {
        app.create_user(&NewUser {
            email: email.into(),
            display_name: None,
            role: role.into(),
            body: body.into(),
            password: PASSWORD.into(),
        })
        .await
        .expect("user");
    }
}

pub fn submission(body: &str) -> Value {
    json!({
        "body": body,
        "applicant": {"kind": "individual", "name": "Siti Aminah", "id_number": NIK, "email": "siti@example.id",
                      "phone": "081234567890", "address": "Jl. Pemuda 1", "occupation": "Wartawan"},
        "information": "Salinan DPA Dinas Pendidikan 2026",
        "purpose": "Liputan",
        "obtain": "softcopy",
        "delivery": "email"
    })
}

impl TestServer {
    pub async fn post(&self, path: &str, body: &Value, token: Option<&str>) -> (u16, Value) {
        let mut req = self.http.post(format!("{}{path}", self.base)).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.expect("send");
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        let mut req = self.http.get(format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.expect("send");
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    pub async fn token(&self, email: &str) -> String {
        let (status, body) = self
            .post(
                "/auth/token",
                &json!({"email": email, "password": PASSWORD}),
                None,
            )
            .await;
        assert_eq!(status, 200, "{}: sign-in {email}: {body}", self.name);
        body["token"].as_str().expect("token").to_owned()
    }

    pub async fn submit(&self, body: &str) -> (String, String) {
        let (status, r) = self.post("/requests", &submission(body), None).await;
        assert_eq!(status, 201, "{}: {r}", self.name);
        (
            r["number"].as_str().expect("number").to_owned(),
            r["tracking_code"].as_str().expect("code").to_owned(),
        )
    }

    /// Files an objection on a request as its applicant (by tracking code); its number.
    pub async fn object(&self, number: &str, code: &str, grounds: &[&str], reason: &str) -> String {
        let (status, receipt) = self
            .post(
                &format!("/requests/{number}/objections?code={code}"),
                &serde_json::json!({"grounds": grounds, "reason": reason}),
                None,
            )
            .await;
        assert_eq!(status, 201, "{}: {receipt}", self.name);
        receipt["number"].as_str().expect("number").to_owned()
    }

    pub async fn count_objections(&self) -> i64 {
        lentera_app::testing::store::with_conn!(self.app.db.read(), |pool| sqlx::query_scalar::<
            _,
            i64,
        >(
            "SELECT COUNT(*) FROM objections"
        )
        .fetch_one(pool)
        .await)
        .expect("count")
    }

    /// Drafts, submits and decides a consequence test (today) and returns its id.
    pub async fn decided_test(&self, token: &str, grounds: &[&str], number: &str) -> String {
        let raw = json!({
            "information": "Data pribadi penerima bantuan sosial",
            "grounds": grounds,
            "harm": "Mengungkap rahasia pribadi penerima",
            "public_interest": "Pelindungan data pribadi lebih besar",
            "period_kind": "until_date",
            "period_until": "2030-12-31",
        });
        let (status, t) = self.post("/consequence-tests", &raw, Some(token)).await;
        assert_eq!(status, 201, "{}: {t}", self.name);
        let id = t["id"].as_str().expect("id").to_owned();
        let (status, t) = self
            .post(
                &format!("/consequence-tests/{id}/submit"),
                &json!({}),
                Some(token),
            )
            .await;
        assert_eq!(status, 200, "{}: {t}", self.name);
        let decide = json!({"number": number, "place": "Kendal", "official": "PPID Utama"});
        let (status, t) = self
            .post(
                &format!("/consequence-tests/{id}/decide"),
                &decide,
                Some(token),
            )
            .await;
        assert_eq!(status, 200, "{}: {t}", self.name);
        id
    }

    pub async fn count_requests(&self) -> i64 {
        lentera_app::testing::store::requests::count(&self.app.db)
            .await
            .expect("count")
    }
}

/// The `.route("PATH", HANDLERS)` calls in a router's source: each path with the text of its
/// handlers (what the route tests read the methods and guards from).
pub fn routes_in(src: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for part in src.split(".route(").skip(1) {
        let Some((_, rest)) = part.split_once('"') else {
            continue;
        };
        let Some((path, handlers)) = rest.split_once('"') else {
            continue;
        };
        out.push((path.to_owned(), handlers.to_owned()));
    }
    out
}
