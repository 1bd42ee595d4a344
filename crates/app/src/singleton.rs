//! Jobs that run once per installation however many nodes serve it: the node that holds the
//! job's lease (`store::leases`) runs it and renews the lease each round; if that node dies the
//! lease lapses and another node takes the job over; a node shutting down hands its leases back
//! at once. Housekeeping is the first such job; the mail sender and reminders are the next.

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::Duration;

use lentera_store::leases;

use crate::{App, AppError};

/// Brake counters older than this are deleted (the longest window is 15 minutes).
const BRAKE_KEEP: Duration = Duration::from_secs(3600);

/// This node's life in the installation: the leases it holds, and whether it is shutting down.
pub(crate) struct Lifecycle {
    /// The installation-wide leases this node holds.
    leases_held: Mutex<BTreeSet<String>>,
    /// Set once the process is shutting down: live streams end, jobs are handed back.
    shutdown: tokio::sync::watch::Sender<bool>,
}

impl Default for Lifecycle {
    fn default() -> Self {
        Self {
            leases_held: Mutex::default(),
            shutdown: tokio::sync::watch::Sender::new(false),
        }
    }
}

impl Lifecycle {
    fn note_lease(&self, name: &str, got: bool) {
        if let Ok(mut held) = self.leases_held.lock() {
            if got {
                held.insert(name.to_owned());
            } else {
                held.remove(name);
            }
        }
    }

    fn take_leases(&self) -> BTreeSet<String> {
        self.leases_held
            .lock()
            .map(|mut h| std::mem::take(&mut *h))
            .unwrap_or_default()
    }
}

impl App {
    /// Starts the shutdown: live streams end and background jobs stop between batches,
    /// handing their work back, while requests in flight finish.
    pub fn begin_shutdown(&self) {
        self.lifecycle.shutdown.send_replace(true);
    }

    pub fn is_shutting_down(&self) -> bool {
        *self.lifecycle.shutdown.borrow()
    }

    /// Completes when the shutdown begins.
    pub async fn shutting_down(&self) {
        let mut rx = self.lifecycle.shutdown.subscribe();
        let _ = rx.wait_for(|s| *s).await;
    }

    /// Takes or renews the lease `name` for `ttl`: `true` when this node holds it now.
    pub async fn lease(&self, name: &str, ttl: Duration) -> Result<bool, AppError> {
        let ttl_ms = i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX);
        let got = leases::take(
            &self.db,
            name,
            self.node_id(),
            ttl_ms,
            crate::brakes::now_ms(),
        )
        .await?;
        self.lifecycle.note_lease(name, got);
        Ok(got)
    }

    /// Hands back every lease this node holds (graceful shutdown).
    pub async fn hand_back_leases(&self) {
        for name in self.lifecycle.take_leases() {
            if let Err(e) = leases::release(&self.db, &name, self.node_id()).await {
                tracing::warn!(error = %e, lease = %name, "lease not handed back; it lapses");
            }
        }
    }

    /// One round of housekeeping, if this node holds its lease: old brake counters are
    /// deleted. Returns whether this node did it.
    pub async fn housekeeping(&self) -> Result<bool, AppError> {
        if !self.lease("housekeeping", Duration::from_secs(120)).await? {
            return Ok(false);
        }
        let keep = i64::try_from(BRAKE_KEEP.as_millis()).unwrap_or(i64::MAX);
        let swept = lentera_store::brakes::sweep(&self.db, crate::brakes::now_ms() - keep).await?;
        if swept > 0 {
            tracing::debug!(counters = swept, "old brake counters deleted");
        }
        Ok(true)
    }
}

impl App {
    /// Refuses to run with a key other than the installation's: the first node (or command)
    /// that starts records the key's fingerprint; every later one must have the same key, or
    /// it would encrypt identity numbers and hash tracking codes that the others cannot read.
    pub async fn check_installation_key(&self) -> Result<(), AppError> {
        let mine = self.secret().fingerprint();
        let recorded =
            lentera_store::installation::claim(&self.db, "key_fingerprint", &mine).await?;
        if recorded == mine {
            Ok(())
        } else {
            Err(AppError::Unexpected(anyhow::anyhow!(
                "kunci instalasi berbeda: basis data ini dibuat dengan kunci lain (sidik {}…, \
                 kunci ini {}…). Setiap node harus memakai kunci yang sama (LENTERA_SECRET_KEY \
                 atau secret.key); lihat docs/DEPLOY.md",
                &recorded[..recorded.len().min(12)],
                &mine[..mine.len().min(12)]
            )))
        }
    }
}
