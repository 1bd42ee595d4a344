//! `lentera serve` and `lentera demo`: the HTTP service with its background loop and a clean
//! shutdown, and the demo on a fresh seeded folder.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};
use lentera_app::{App, AppConfig, Clock, FixedClock};

use crate::cli::StoreArgs;
use crate::open::{Role, account_config, explain, open, open_with, service_clock};

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

pub(crate) async fn run_server(app: Arc<App>, listen: &str) -> anyhow::Result<()> {
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
    // Links in letters, their QR codes and mails: the address citizens reach the service at.
    let public = std::env::var("LENTERA_PUBLIC_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| format!("http://{addr}"));
    if !(public.starts_with("http://") || public.starts_with("https://")) {
        anyhow::bail!("LENTERA_PUBLIC_URL must start with http:// or https:// (got {public:?})");
    }
    app.set_public_url(&public);
    let background = tokio::spawn(background_loop(Arc::clone(&app)));
    let letters = tokio::spawn(lentera_app::letters::run_letter_worker(Arc::clone(&app)));
    let mail = tokio::spawn(lentera_app::mail::run_mail_sender(Arc::clone(&app)));
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
    if tokio::time::timeout(std::time::Duration::from_secs(10), letters)
        .await
        .is_err()
    {
        tracing::warn!(
            "the letter worker did not stop within 10 s; its jobs come back to any node"
        );
    }
    if tokio::time::timeout(std::time::Duration::from_secs(10), mail)
        .await
        .is_err()
    {
        tracing::warn!(
            "the mail sender did not stop within 10 s; its messages come back to any node"
        );
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

pub(crate) async fn demo(listen: &str, data_dir: Option<PathBuf>) -> anyhow::Result<()> {
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
