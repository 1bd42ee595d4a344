//! `lentera`: the one binary. Serves the portal and API, seeds a demo, runs migrations and the
//! few administrative commands of the contract.

mod backup;

use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use lentera_app::auth::NewUser;
use lentera_app::bodies::NewBody;
use lentera_app::lentera_search::{IndexOp, SearchIndex};
use lentera_app::storage::{Storage, StorageConfig};
use lentera_app::{App, AppConfig, AppError, Clock, FixedClock, PinnedClock, Secret, SystemClock};
use lentera_store::{Db, DbOptions, redact_url};

#[derive(Parser)]
#[command(
    name = "lentera",
    version,
    about = "Layanan informasi publik (PPID) — UU 14/2008"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct StoreArgs {
    /// Folder for the embedded database, the key file and documents.
    #[arg(long, env = "LENTERA_DATA_DIR", default_value = "./lentera-data")]
    data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; default: SQLite in the data folder.
    #[arg(long, env = "LENTERA_DATABASE_URL")]
    database_url: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the service.
    Serve {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long, env = "LENTERA_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
    },
    /// Run the service on a fresh data folder seeded with demo bodies, officers and a year of requests.
    Demo {
        #[arg(long, env = "LENTERA_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        /// Where to put the demo data (default: a new temporary folder).
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Apply database migrations and exit.
    Migrate {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Rebuild the search index from the database.
    Reindex {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Fill the search index with a generated corpus (for the search benchmark only).
    #[command(hide = true)]
    BenchCorpus {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long, default_value_t = 1_000_000)]
        docs: usize,
        /// Also write this many sample queries to `{data_dir}/queries.txt` (URL query strings).
        #[arg(long, default_value_t = 0)]
        queries: usize,
    },
    /// Public bodies and PPID units.
    Body {
        #[command(subcommand)]
        command: BodyCommand,
    },
    /// Officers.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The national holiday calendar (SKB libur nasional dan cuti bersama).
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
    /// Back up the database, the documents and a manifest with their checksums into a new
    /// folder, also while `lentera serve` runs. The encryption key is never put in it.
    Backup {
        /// A new (or empty) folder.
        dest: PathBuf,
        /// Also export the encryption key to this file (0600), outside the backup folder.
        #[arg(long)]
        key_out: Option<PathBuf>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Restore a backup into a fresh data folder (or an empty PostgreSQL database): every
    /// checksum first, then the database, the documents, migrations and the search index.
    Restore {
        /// The backup folder (with manifest.json).
        src: PathBuf,
        /// The key file exported with the backup (`lentera backup --key-out`).
        #[arg(long, required_unless_present = "check")]
        key: Option<PathBuf>,
        /// Replace a data folder or database that is not empty.
        #[arg(long)]
        force: bool,
        /// Only verify the backup (checksums; with --key also the key and the manifest's seal);
        /// nothing is written.
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// The audit log of officer and admin actions.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the hash chain of the audit log; exit status 1 names the first broken link.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Subcommand)]
enum CalendarCommand {
    /// Load a year or an amendment (JSON in the shipped format, or CSV
    /// `date,kind,name,legal_basis`) and recompute every open deadline it moves.
    Import {
        file: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Show what loading a file would move, without loading it.
    Preview {
        file: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// The years in force with their version and legal basis.
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Subcommand)]
enum BodyCommand {
    /// Add a public body or a PPID unit (a unit has --parent).
    Add {
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        parent: Option<String>,
        /// ministry, agency, province, regency, city, bumn, bumd, university, unit
        #[arg(long)]
        kind: Option<String>,
        /// wib, wita or wit
        #[arg(long)]
        time_zone: Option<String>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// List bodies and units.
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add an officer; the password is read from standard input.
    Add {
        #[arg(long)]
        email: String,
        /// admin, ppid, ppid_unit, supervisor (atasan PPID), viewer
        #[arg(long)]
        role: String,
        #[arg(long)]
        body: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long, required = true)]
        password_stdin: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// A serving process logs its work; an admin command prints its own result and logs only
/// warnings, so its output stays readable. Colours only on a terminal.
fn init_tracing(serving: bool) {
    use std::io::IsTerminal;
    let default = if serving {
        "info,sqlx=warn,tower_http=warn"
    } else {
        "warn,sqlx=error"
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("LENTERA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}

fn database_url(store: &StoreArgs) -> String {
    store
        .database_url
        .clone()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| {
            format!(
                "sqlite://{}",
                store.data_dir.join("lentera.sqlite3").display()
            )
        })
}

/// What a command needs of the installation: the service and `reindex` own the search index
/// folder; the administrative commands never touch it, so they run beside a serving process.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Service,
    Admin,
}

/// The clock of `serve` and `demo`: the system's, or the day pinned by `LENTERA_TODAY`.
fn service_clock() -> anyhow::Result<Arc<dyn Clock>> {
    match PinnedClock::from_env().map_err(anyhow::Error::msg)? {
        Some(p) => {
            tracing::warn!(today = %p.today, "clock pinned by LENTERA_TODAY");
            eprintln!(
                "Perhatian: jam dipatok ke tanggal {} (LENTERA_TODAY); tenggat dihitung dari tanggal itu.",
                p.today
            );
            Ok(Arc::new(p))
        }
        None => Ok(Arc::new(SystemClock)),
    }
}

async fn open(store: &StoreArgs, durable: bool, clock: Arc<dyn Clock>) -> anyhow::Result<Arc<App>> {
    open_as(store, durable, clock, Role::Service).await
}

async fn open_as(
    store: &StoreArgs,
    durable: bool,
    clock: Arc<dyn Clock>,
    role: Role,
) -> anyhow::Result<Arc<App>> {
    open_with(store, durable, clock, role, account_config()?).await
}

/// `LENTERA_REQUIRE_2FA` (on unless `0`) and `LENTERA_SESSION_IDLE_MINUTES` (30).
fn account_config() -> anyhow::Result<AppConfig> {
    let require_2fa = std::env::var("LENTERA_REQUIRE_2FA").map_or(true, |v| v.trim() != "0");
    let idle = match std::env::var("LENTERA_SESSION_IDLE_MINUTES") {
        Err(_) => 30,
        Ok(v) => v
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|m| *m > 0)
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "LENTERA_SESSION_IDLE_MINUTES: {v:?} bukan jumlah menit (contoh: 30)"
                )
            })?,
    };
    Ok(AppConfig {
        require_2fa,
        session_idle: time::Duration::minutes(idle),
        ..AppConfig::default()
    })
}

async fn open_with(
    store: &StoreArgs,
    durable: bool,
    clock: Arc<dyn Clock>,
    role: Role,
    config: AppConfig,
) -> anyhow::Result<Arc<App>> {
    private_folder(&store.data_dir)?;
    let url = database_url(store);
    let options = DbOptions {
        durable,
        ..DbOptions::default()
    };
    let db = Db::connect(&url, &options)
        .await
        .with_context(|| format!("cannot open database {}", redact_url(&url)))?;
    db.migrate().await.context("migrations failed")?;
    let key = std::env::var("LENTERA_SECRET_KEY").ok();
    let secret =
        Secret::load(key.as_deref(), &store.data_dir).context("cannot load the secret key")?;
    let app = Arc::new(App::new(db, secret, clock, config)?);
    app.check_installation_key().await.map_err(|e| match e {
        AppError::Unexpected(why) => why,
        other => explain(other),
    })?;
    let storage_cfg = StorageConfig::from_env(&store.data_dir)
        .map_err(|e| anyhow::anyhow!("document storage settings: {e}"))?;
    let storage =
        Storage::new(&storage_cfg).map_err(|e| anyhow::anyhow!("document storage: {e}"))?;
    if role == Role::Service {
        tracing::info!(storage = %storage.describe(), "document storage");
    }
    app.set_storage(storage);
    // The national calendar in force (the shipped years seeded into a new installation), and
    // any recomputation a crash cut short.
    app.refresh_calendar()
        .await
        .map_err(|e| anyhow::anyhow!("national calendar: {}", explain(e)))?;
    if role == Role::Admin {
        // Changes reach the running service's index through the outbox it follows.
        app.defer_index(true);
        return Ok(app);
    }
    let index_dir = store.data_dir.join("index");
    let index = SearchIndex::open(&index_dir).map_err(|e| {
        let text = e.to_string();
        if text.to_lowercase().contains("lock") {
            anyhow::anyhow!(
                "the search index {} is in use by a running `lentera serve`; stop it first (while it runs it keeps the index up to date itself)",
                index_dir.display()
            )
        } else {
            anyhow::anyhow!("search index {}: {text}", index_dir.display())
        }
    })?;
    app.set_search_index(Arc::new(index));
    let resumed = app
        .run_jobs(&|_| {})
        .await
        .map_err(|e| anyhow::anyhow!("resuming the deadline recomputation: {}", explain(e)))?;
    if resumed > 0 {
        tracing::info!(
            deadlines = resumed,
            "interrupted deadline recomputation finished"
        );
    }
    // Projections written by an older version lack the columns the running tallies count.
    let n = app
        .reproject_stale()
        .await
        .map_err(|e| anyhow::anyhow!("re-projecting requests: {e}"))?;
    if n > 0 {
        tracing::info!(
            requests = n,
            "requests re-projected for the running tallies"
        );
    }
    Ok(app)
}

/// An application error in the words an admin reads on the pages (Indonesian), one problem
/// per line for a refused calendar file.
fn explain(e: AppError) -> anyhow::Error {
    use lentera_web::pages::common::{Lang, app_error_text, error_text};
    match e {
        AppError::CalendarFile(problems) => {
            let lines: Vec<String> = problems.iter().map(|p| p.message()).collect();
            anyhow::anyhow!(
                "berkas kalender tidak dimuat, tidak ada yang disimpan ({} masalah):\n  {}",
                problems.len(),
                lines.join("\n  ")
            )
        }
        AppError::Invalid(f) => {
            let list: Vec<String> =
                f.0.iter()
                    .map(|(k, v)| {
                        let texts: Vec<&str> = v.iter().map(|c| error_text(Lang::Id, c)).collect();
                        format!("{k}: {}", texts.join(" "))
                    })
                    .collect();
            anyhow::anyhow!("isian tidak valid — {}", list.join("; "))
        }
        other => anyhow::anyhow!("{}", app_error_text(Lang::Id, &other)),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
    tracing::info!("shutting down");
}

/// `LENTERA_TRUSTED_PROXIES`: the proxies whose `X-Forwarded-For` is believed (none unless set).
fn trusted_proxies() -> anyhow::Result<lentera_web::limiter::TrustedProxies> {
    let list = std::env::var("LENTERA_TRUSTED_PROXIES").unwrap_or_default();
    lentera_web::limiter::TrustedProxies::parse(&list).map_err(|item| {
        anyhow::anyhow!(
            "LENTERA_TRUSTED_PROXIES: {item:?} bukan alamat IP atau rentang CIDR (contoh: 10.0.0.1, 192.168.0.0/16)"
        )
    })
}

/// `LENTERA_RATE_SUBMIT_PER_MIN`: submissions per client address and minute (30; 0 is no limit).
fn submit_per_min() -> anyhow::Result<u32> {
    match std::env::var("LENTERA_RATE_SUBMIT_PER_MIN") {
        Err(_) => Ok(30),
        Ok(v) => v.trim().parse::<u32>().map_err(|_| {
            anyhow::anyhow!(
                "LENTERA_RATE_SUBMIT_PER_MIN: {v:?} bukan bilangan bulat (0 mematikan batas)"
            )
        }),
    }
}

async fn run_server(app: Arc<App>, listen: &str) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let addr = listener.local_addr()?;
    // Start-up work (demo seed, re-projection) is done: give its freed memory back (the index's
    // first catch-up, below, does the same when it has applied something).
    let _ = lentera_memtrim::release_free_memory();
    tracing::info!(%addr, backend = ?app.db.backend(), "Lentera siap");
    println!("Lentera berjalan di http://{addr}/  (API: http://{addr}/api/v1/health)");
    // Cookies are marked Secure unless the service listens on loopback only (development and the
    // demo); LENTERA_COOKIE_SECURE overrides.
    let cookie_secure = std::env::var("LENTERA_COOKIE_SECURE")
        .map(|v| v == "1" || v.eq_ignore_ascii_case("true"))
        .unwrap_or(!addr.ip().is_loopback());
    let web = lentera_web::WebConfig {
        cookie_secure,
        trusted_proxies: trusted_proxies()?,
        submit_per_min: submit_per_min()?,
    };
    // Other nodes on the same PostgreSQL tell this one what changed (LISTEN/NOTIFY); the loop
    // below also looks every second, so a lost signal only delays a change.
    app.start_signals();
    let background = tokio::spawn(background_loop(Arc::clone(&app)));
    let stopping = Arc::clone(&app);
    let shutdown = async move {
        shutdown_signal().await;
        // Readiness answers 503 from now on and live streams end; requests in flight finish.
        stopping.begin_shutdown();
    };
    lentera_web::serve_with(listener, Arc::clone(&app), web, shutdown).await?;
    app.begin_shutdown();
    // The background loop stops between batches, storing its cursor; then its leases go back.
    if tokio::time::timeout(std::time::Duration::from_secs(20), background)
        .await
        .is_err()
    {
        tracing::warn!("background work did not stop within 20 s");
    }
    app.hand_back_leases().await;
    app.db.close().await;
    tracing::info!("stopped");
    println!(
        "Lentera berhenti dengan rapi: permintaan yang sedang berjalan selesai, pekerjaan diserahkan kembali."
    );
    Ok(())
}

/// What every node does in the background, once a second or as soon as another node signals
/// a change: the national calendar and its recomputations, the search index following the
/// outbox (at start it catches up on changes made while it was stopped or by other nodes), and
/// the installation's housekeeping on the node that holds its lease.
async fn background_loop(app: Arc<App>) {
    let mut last_housekeeping: Option<std::time::Instant> = None;
    while !app.is_shutting_down() {
        if let Err(e) = app.refresh_calendar().await {
            tracing::warn!(error = %e, "calendar refresh failed; retrying");
        }
        if let Err(e) = app.run_jobs(&|_| {}).await {
            tracing::warn!(error = %e, "deadline recomputation failed; retrying");
        }
        match app.sync_index().await {
            // An index commit leaves its buffers freed but held by the allocator.
            Ok(n) if n > 0 => {
                let _ = lentera_memtrim::release_free_memory();
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "search index sync failed; retrying"),
        }
        if last_housekeeping.is_none_or(|t| t.elapsed() >= std::time::Duration::from_secs(60)) {
            last_housekeeping = Some(std::time::Instant::now());
            if let Err(e) = app.housekeeping().await {
                tracing::warn!(error = %e, "housekeeping failed; retrying");
            }
        }
        tokio::select! {
            () = app.outbox_signal(std::time::Duration::from_secs(1)) => {}
            () = app.shutting_down() => {}
        }
    }
}

/// The data folder holds the database, the documents and `secret.key`: readable by the
/// service's user only (0700), also when an existing installation starts again.
fn private_folder(dir: &std::path::Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create data folder {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .with_context(|| format!("cannot restrict data folder {}", dir.display()))?;
    }
    Ok(())
}

fn fresh_demo_dir(requested: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    let dir = requested.unwrap_or_else(|| {
        std::env::temp_dir().join(format!("lentera-demo-{}", std::process::id()))
    });
    if dir.exists() {
        let looks_like_demo = dir.join("lentera.sqlite3").exists()
            || dir.read_dir().is_ok_and(|mut d| d.next().is_none());
        if !looks_like_demo {
            bail!(
                "{} exists and is not a Lentera demo folder; choose another --data-dir",
                dir.display()
            );
        }
        std::fs::remove_dir_all(&dir).with_context(|| format!("cannot clear {}", dir.display()))?;
    }
    Ok(dir)
}

async fn demo(listen: &str, data_dir: Option<PathBuf>) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let dir = fresh_demo_dir(data_dir)?;
    let store = StoreArgs {
        data_dir: dir.clone(),
        database_url: Some(format!(
            "sqlite://{}",
            dir.join("lentera.sqlite3").display()
        )),
    };
    // Seeding writes thousands of events; durability is pointless for throw-away demo data.
    let service = service_clock()?;
    let clock = Arc::new(FixedClock::new(service.now()));
    let seeding = open(&store, false, Arc::clone(&clock) as Arc<dyn Clock>).await?;
    let summary = lentera_app::demo::seed(&seeding, &clock)
        .await
        .map_err(explain)?;
    seeding.db.close().await;
    drop(seeding);
    // The demo's published accounts sign in with the password alone.
    let config = AppConfig {
        require_2fa: false,
        ..account_config()?
    };
    let app = open_with(&store, true, service, Role::Service, config).await?;
    println!(
        "Data demo: {} (dibuat dalam {} ms)",
        dir.display(),
        started.elapsed().as_millis()
    );
    println!("{summary}");
    run_server(app, listen).await
}

/// Writes `docs` generated documents straight into `{data_dir}/index`.
fn bench_corpus(store: &StoreArgs, docs: usize, queries: usize) -> anyhow::Result<()> {
    if queries > 0 {
        let encode = |s: &str| -> String {
            s.bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                        char::from(b).to_string()
                    }
                    other => format!("%{other:02X}"),
                })
                .collect()
        };
        let mut out = String::new();
        for q in lentera_app::lentera_search::corpus::sample_queries(queries, 7) {
            out.push_str("q=");
            out.push_str(&encode(&q.q));
            if let Some(b) = &q.body {
                out.push_str("&body=");
                out.push_str(&encode(b));
            }
            if let Some(k) = &q.kind {
                out.push_str("&kind=");
                out.push_str(&encode(k));
            }
            if let Some(y) = q.year {
                out.push_str(&format!("&year={y}"));
            }
            out.push('\n');
        }
        std::fs::create_dir_all(&store.data_dir)?;
        std::fs::write(store.data_dir.join("queries.txt"), out)?;
        if docs == 0 {
            return Ok(());
        }
    }
    let index_dir = store.data_dir.join("index");
    std::fs::create_dir_all(&index_dir)?;
    let index = SearchIndex::open_bulk(&index_dir).map_err(|e| anyhow::anyhow!("{e}"))?;
    let bar = ProgressBar::new(docs as u64);
    let started = std::time::Instant::now();
    let mut batch = Vec::with_capacity(10_000);
    for d in lentera_app::lentera_search::corpus::generate(docs, 2026) {
        batch.push(IndexOp::Upsert(d));
        if batch.len() == 10_000 {
            index
                .apply(std::mem::take(&mut batch), 0)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            bar.inc(10_000);
        }
    }
    index.apply(batch, 0).map_err(|e| anyhow::anyhow!("{e}"))?;
    // Background merges finish before the figure is taken: a served index is merged too.
    index
        .wait_for_merges()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    bar.finish();
    println!(
        "{} documents indexed in {:.1} s",
        index.num_docs(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn read_password() -> anyhow::Result<String> {
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .context("cannot read the password from standard input")?;
    let p = s.trim_end_matches(['\n', '\r']).to_owned();
    if p.is_empty() {
        bail!("no password on standard input");
    }
    Ok(p)
}

fn main() -> std::process::ExitCode {
    // A bug must never show a user a backtrace: one line, and a non-zero exit.
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".into());
        let first = what.lines().next().unwrap_or("").to_owned();
        eprintln!("lentera: internal error: {first} (please report it)");
    }));
    let cli = Cli::parse();
    init_tracing(matches!(
        cli.command,
        Command::Serve { .. } | Command::Demo { .. }
    ));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("lentera: cannot start: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // One line per problem: the chain of causes joined, never a backtrace.
            let text = e
                .chain()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(": ");
            eprintln!("lentera: {text}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve { store, listen } => {
            run_server(open(&store, true, service_clock()?).await?, &listen).await
        }
        Command::Demo { listen, data_dir } => demo(&listen, data_dir).await,
        Command::Reindex { store } => {
            let app = open(&store, true, Arc::new(SystemClock)).await?;
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar.set_message("Membangun ulang indeks");
            let n = app
                .reindex(&|done, total| {
                    bar.set_length(total);
                    bar.set_position(done);
                })
                .await
                .map_err(explain)?;
            bar.finish();
            println!("Indeks pencarian dibangun ulang: {n} dokumen.");
            Ok(())
        }
        Command::BenchCorpus {
            store,
            docs,
            queries,
        } => bench_corpus(&store, docs, queries),
        Command::Migrate { store } => {
            let app = open_as(&store, true, Arc::new(SystemClock), Role::Admin).await?;
            println!("Migrasi selesai ({:?}).", app.db.backend());
            Ok(())
        }
        Command::Body {
            command:
                BodyCommand::Add {
                    slug,
                    name,
                    parent,
                    kind,
                    time_zone,
                    store,
                },
        } => {
            let app = open_as(&store, true, Arc::new(SystemClock), Role::Admin).await?;
            let b = app
                .create_body(&NewBody {
                    slug,
                    name,
                    kind,
                    parent,
                    time_zone,
                    collective_leave_is_working: false,
                })
                .await
                .map_err(explain)?;
            println!(
                "Badan publik ditambahkan: {} ({}){}",
                b.slug,
                lentera_domain::BodyKind::parse(&b.kind).map_or(b.kind.as_str(), |k| k.label_id()),
                b.parent.map(|p| format!(", induk {p}")).unwrap_or_default()
            );
            Ok(())
        }
        Command::Body {
            command: BodyCommand::List { store },
        } => {
            let app = open_as(&store, true, Arc::new(SystemClock), Role::Admin).await?;
            for b in app.list_bodies().await.map_err(explain)? {
                println!(
                    "{}\t{}\t{}\t{}",
                    b.slug,
                    b.kind,
                    b.parent.unwrap_or_else(|| "-".into()),
                    b.name
                );
            }
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Add {
                    email,
                    role,
                    body,
                    name,
                    password_stdin: _,
                    store,
                },
        } => {
            let password = read_password()?;
            let app = open_as(&store, true, Arc::new(SystemClock), Role::Admin).await?;
            app.create_user(&NewUser {
                email: email.clone(),
                display_name: name,
                role,
                body,
                password,
            })
            .await
            .map_err(explain)?;
            println!("Petugas ditambahkan: {email}");
            Ok(())
        }
        Command::Backup {
            dest,
            key_out,
            store,
        } => backup::backup(&store, &dest, key_out.as_deref()).await,
        Command::Restore {
            src,
            key,
            force,
            check,
            store,
        } => backup::restore(&store, &src, key.as_deref(), force, check).await,
        Command::Calendar { command } => calendar(command).await,
        Command::Audit {
            command: AuditCommand::Verify { store },
        } => audit_verify(&store).await,
    }
}

/// `lentera audit verify`: walks the chain; one line of result, exit 1 when it is broken.
async fn audit_verify(store: &StoreArgs) -> anyhow::Result<()> {
    use lentera_store::audit::BreakReason;
    let app = open_as(store, true, Arc::new(SystemClock), Role::Admin).await?;
    let bar = ProgressBar::new_spinner();
    bar.set_message("Memeriksa rantai log audit");
    let (ok, broken) = lentera_store::audit::verify(&app.db, &|n| {
        bar.set_message(format!("Memeriksa rantai log audit: {n} catatan"));
    })
    .await
    .map_err(|e| explain(e.into()))?;
    bar.finish_and_clear();
    let Some(b) = broken else {
        println!(
            "Rantai log audit utuh: {ok} catatan diperiksa, tidak ada yang diubah atau dihapus."
        );
        return Ok(());
    };
    let why = match b.reason {
        BreakReason::Edited => "isinya diubah setelah dicatat",
        BreakReason::Relinked => "tidak menunjuk ke catatan sebelumnya (diganti atau disisipkan)",
        BreakReason::Missing => "hilang (dihapus)",
        BreakReason::Unsealed => "ditulis di luar aplikasi, tanpa tautan rantai",
    };
    let id = b.id.map(|i| format!(" ({i})")).unwrap_or_default();
    bail!(
        "Rantai log audit RUSAK pada catatan #{}{id}: {why}. {ok} catatan sebelumnya utuh.",
        b.seq
    )
}

fn read_calendar_file(file: &std::path::Path) -> anyhow::Result<String> {
    let meta =
        std::fs::metadata(file).with_context(|| format!("cannot read {}", file.display()))?;
    if meta.len() > 1024 * 1024 {
        bail!(
            "{} is larger than 1 MiB; a calendar year is a few kilobytes",
            file.display()
        );
    }
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("{} is not UTF-8 text", file.display()))
}

async fn calendar(command: CalendarCommand) -> anyhow::Result<()> {
    match command {
        CalendarCommand::Import { file, store } => {
            let text = read_calendar_file(&file)?;
            let app = open_as(&store, true, Arc::new(SystemClock), Role::Admin).await?;
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_message("Menghitung ulang tenggat");
            let who = format!(
                "lentera calendar import ({})",
                std::env::var("USER").unwrap_or_else(|_| "shell".into())
            );
            let out = app
                .import_calendar(&text, "cli", &who, &|n| {
                    bar.set_message(format!("Menghitung ulang tenggat: {n} berubah"));
                    bar.tick();
                })
                .await
                .map_err(explain)?;
            bar.finish_and_clear();
            if out.unchanged {
                println!(
                    "Kalender {} versi {} sudah berlaku; tidak ada yang berubah.",
                    out.year, out.version
                );
            } else {
                println!(
                    "Kalender {} versi {} dimuat; {} tenggat kasus terbuka dihitung ulang.",
                    out.year, out.version, out.recomputed
                );
            }
            Ok(())
        }
        CalendarCommand::Preview { file, store } => {
            let text = read_calendar_file(&file)?;
            let app = open_as(&store, true, Arc::new(SystemClock), Role::Admin).await?;
            let p = app.preview_calendar(&text).await.map_err(explain)?;
            println!(
                "Tahun {} versi {} (berlaku sekarang: {}): {} hari libur, {} ditambah, {} dihapus, {} berubah jenis.",
                p.year.year,
                p.year.version,
                p.in_force.as_deref().unwrap_or("sementara"),
                p.year.days.len(),
                p.diff.added.len(),
                p.diff.removed.len(),
                p.diff.changed.len()
            );
            if p.unchanged {
                println!("Isi yang sama sudah berlaku; memuatnya tidak mengubah apa pun.");
            }
            println!("{} kasus terbuka akan bergeser tenggatnya.", p.moves.len());
            for m in p.moves.iter().take(50) {
                println!(
                    "{}\t{}\t{}\t{} → {} ({:+} hari)",
                    m.kind,
                    m.body,
                    m.number,
                    m.from,
                    m.to,
                    m.days()
                );
            }
            if p.moves.len() > 50 {
                println!("… dan {} lainnya.", p.moves.len() - 50);
            }
            Ok(())
        }
        CalendarCommand::List { store } => {
            let app = open_as(&store, true, Arc::new(SystemClock), Role::Admin).await?;
            println!("tahun\tversi\tstatus\thari\tdimuat\toleh\tditerapkan\tdasar hukum");
            for y in app.calendar_years().await.map_err(explain)? {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    y.year,
                    y.version,
                    if y.status == "confirmed" {
                        "ditetapkan"
                    } else {
                        "rancangan"
                    },
                    y.days,
                    y.loaded_at.date(),
                    y.loaded_by,
                    if y.applied { "ya" } else { "sedang dihitung" },
                    y.instrument
                );
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod folder_tests {
    /// Issue 15, finding 6: the database and documents were readable by every user.
    #[cfg(unix)]
    #[test]
    fn the_data_folder_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("lentera-private-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("open");
        super::private_folder(&dir).expect("private");
        let mode = std::fs::metadata(&dir).expect("meta").permissions().mode() & 0o777;
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(mode, 0o700);
    }
}
