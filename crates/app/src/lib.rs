//! Use cases of Lentera. The web layer and the CLI call these; they call the pure domain for
//! every rule and the store for every byte.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod bodies;
pub mod brakes;
pub mod calendar;
pub mod clock;
pub mod comparison;
pub mod crypto;
pub mod dashboard;
pub mod demo;

mod error;
pub mod health;
pub mod indexer;
pub mod letters;
pub mod mail;
pub mod monev;
pub mod objections;
pub mod passwords;
mod public_cache;
pub mod register;
pub mod report_doc;
pub mod report_texts;
pub mod reports;
pub mod requests;
pub mod sessions;
mod signals;
mod singleton;
pub mod storage;
#[cfg(feature = "testing")]
pub mod testing;
pub mod totp;
pub mod two_factor;
pub mod upload;
pub mod views;
mod writer;

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use lentera_domain::TimeZone;

use lentera_store::Db;
use time::{Date, OffsetDateTime};

pub use bodies::BodyEntry;
pub use clock::{Clock, FixedClock, PinnedClock, SystemClock};
pub use crypto::Secret;
pub use error::AppError;
pub use lentera_search;

/// Settings of the use cases that an operator may change.
#[derive(Debug, Clone)]
pub struct AppConfig {
    pub token_ttl: time::Duration,
    /// How long a back-office session lasts.
    pub session_ttl: time::Duration,
    pub max_failed_logins: i64,
    pub lockout: time::Duration,
    /// How long a cached body (and its calendar) is trusted before re-reading it, so that
    /// changes made by another process or instance are seen.
    pub body_cache_ttl: Duration,
    /// Officers who can reveal identity numbers, decide, or grant those roles must sign in with
    /// a second factor (`LENTERA_REQUIRE_2FA`; on in `serve`, off in `demo` and the library).
    /// Officers who enrolled always need it.
    pub require_2fa: bool,
    /// A session unused this long ends (`LENTERA_SESSION_IDLE_MINUTES`).
    pub session_idle: time::Duration,
    /// How long a password has to wait for its code (or enrolment) at the second step.
    pub pending_ttl: time::Duration,
    /// How long an admin's one-time reset link works.
    pub reset_ttl: time::Duration,
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            token_ttl: time::Duration::hours(12),
            session_ttl: time::Duration::hours(10),
            max_failed_logins: 5,
            lockout: time::Duration::minutes(15),
            body_cache_ttl: Duration::from_secs(30),
            require_2fa: false,
            session_idle: time::Duration::minutes(30),
            pending_ttl: time::Duration::minutes(10),
            reset_ttl: time::Duration::hours(24),
        }
    }
}

pub struct App {
    pub db: Db,
    pub config: AppConfig,
    /// The national calendar in force (see [`calendar::National`]).
    national: calendar::National,
    secret: Secret,
    clock: Arc<dyn Clock>,
    /// Loaded bodies (see [`bodies::Directory`]).
    bodies: bodies::Directory,
    writer: OnceLock<tokio::sync::mpsc::Sender<writer::Job>>,
    /// Set while the storage refuses writes (the last group commit failed for it), cleared by
    /// the next one that succeeds: readiness reports it.
    storage_refusing: Arc<std::sync::atomic::AtomicBool>,
    /// Tracked requests and recent tracking codes (see [`requests::Tracking`]).
    tracking: requests::Tracking,
    /// Brake counters when this process is the only node (SQLite); see [`brakes`].
    brakes: brakes::Local,
    /// The full-text index, its cache and its slots (see [`indexer`]).
    search: indexer::SearchPart,
    storage: OnceLock<storage::Storage>,
    /// Live dashboards: the change counter and the figures (see [`dashboard::Live`]).
    dashboard: dashboard::Live,
    /// The leases this node holds and whether it is shutting down (see [`singleton`]).
    lifecycle: singleton::Lifecycle,
    /// Change signals to and from the other nodes (see [`signals`]).
    signals: signals::Signals,
    /// Official letters: the public address and the worker's wake-up (see [`letters`]).
    letters: letters::Letters,
    /// E-mail out: the sender's configuration and wake-up (see [`mail`]).
    mail: mail::Mail,
    /// What public pages read on every view (see [`public_cache`]).
    public_cache: public_cache::PublicCache,
    /// The clock of one-time codes: the real one (phones use real time), not the legal
    /// clock that tests and `LENTERA_TODAY` move; tests may set another.
    totp_clock: OnceLock<Arc<dyn Clock>>,
}

impl App {
    pub fn new(
        db: Db,
        secret: Secret,
        clock: Arc<dyn Clock>,
        config: AppConfig,
    ) -> Result<Self, AppError> {
        Ok(Self {
            db,
            config,
            national: calendar::National::shipped()?,
            secret,
            clock,
            bodies: bodies::Directory::default(),
            writer: OnceLock::new(),
            storage_refusing: Arc::default(),
            tracking: requests::Tracking::default(),
            brakes: brakes::Local::default(),
            search: indexer::SearchPart::new(),
            storage: OnceLock::new(),
            dashboard: dashboard::Live::default(),
            signals: signals::Signals::default(),
            letters: letters::Letters::default(),
            mail: mail::Mail::default(),
            lifecycle: singleton::Lifecycle::default(),
            public_cache: public_cache::PublicCache::default(),
            totp_clock: OnceLock::new(),
        })
    }

    /// Where documents are kept; in memory unless the server configured a store.
    pub fn storage(&self) -> &storage::Storage {
        self.storage.get_or_init(|| {
            storage::Storage::new(&storage::StorageConfig::Memory)
                .unwrap_or_else(|e| panic!("in-memory storage: {e}"))
        })
    }

    pub fn set_storage(&self, s: storage::Storage) -> bool {
        self.storage.set(s).is_ok()
    }

    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// Real time, for one-time codes (see `totp_clock`).
    pub fn totp_now(&self) -> OffsetDateTime {
        self.totp_clock
            .get()
            .map_or_else(|| SystemClock.now(), |c| c.now())
    }

    /// Sets the clock of one-time codes once (tests); `false` if it was set already.
    pub fn set_totp_clock(&self, clock: Arc<dyn Clock>) -> bool {
        self.totp_clock.set(clock).is_ok()
    }

    pub fn today_in(&self, tz: TimeZone) -> Date {
        tz.date_of(self.now())
    }

    pub fn secret(&self) -> &Secret {
        &self.secret
    }
}
