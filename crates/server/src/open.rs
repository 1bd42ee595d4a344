//! Opening an installation: the database, the secret key, document storage, the national
//! calendar and, for the service, the search index; and the words an admin reads for an error.

use std::sync::Arc;

use anyhow::Context;
use lentera_app::lentera_search::SearchIndex;
use lentera_app::storage::{Storage, StorageConfig};
use lentera_app::{App, AppConfig, AppError, Clock, PinnedClock, Secret, SystemClock};
use lentera_store::{Db, DbOptions, redact_url};

use crate::cli::StoreArgs;

pub(crate) fn database_url(store: &StoreArgs) -> String {
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
pub(crate) enum Role {
    Service,
    Admin,
}

/// The clock of `serve` and `demo`: the system's, or the day pinned by `LENTERA_TODAY`.
pub(crate) fn service_clock() -> anyhow::Result<Arc<dyn Clock>> {
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

pub(crate) async fn open(
    store: &StoreArgs,
    durable: bool,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<Arc<App>> {
    open_as(store, durable, clock, Role::Service).await
}

pub(crate) async fn open_as(
    store: &StoreArgs,
    durable: bool,
    clock: Arc<dyn Clock>,
    role: Role,
) -> anyhow::Result<Arc<App>> {
    open_with(store, durable, clock, role, account_config()?).await
}

/// `LENTERA_REQUIRE_2FA` (on unless `0`) and `LENTERA_SESSION_IDLE_MINUTES` (30).
pub(crate) fn account_config() -> anyhow::Result<AppConfig> {
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

pub(crate) async fn open_with(
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
    let mail =
        lentera_app::mail::MailConfig::from_lookup(|k| std::env::var(k).ok(), &store.data_dir)
            .map_err(|e| anyhow::anyhow!("mail settings: {e}"))?;
    if role == Role::Service {
        tracing::info!(mail = %mail.describe(), "mail");
    }
    app.set_mail(mail);
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
pub(crate) fn explain(e: AppError) -> anyhow::Error {
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

/// The data folder holds the database, the documents and `secret.key`: readable by the
/// service's user only (0700), also when an existing installation starts again.
pub(crate) fn private_folder(dir: &std::path::Path) -> anyhow::Result<()> {
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
