//! Readiness: whether this node can serve, part by part (database, document store, search
//! index), for the proxy in front of the nodes and for the operator. Liveness is
//! `/api/v1/health`; this is the deeper answer.

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::App;

/// How far behind the database the index may be before the node calls itself not ready: a
/// node that just started and is catching up should not take searches yet.
pub const MAX_INDEX_LAG: i64 = 1_000;

/// A check may take this long before it counts as failed (a hung database must not hang the
/// proxy's probe).
const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub ok: bool,
    /// How long the check took, in milliseconds.
    pub ms: u64,
    /// Why it failed, in a word (`timeout`, `unreachable`, `refusing_writes`, `behind`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndexCheck {
    #[serde(flatten)]
    pub check: Check,
    /// Outbox rows the database has and the index has not applied yet.
    pub lag: Option<i64>,
    pub cursor: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Readiness {
    pub ready: bool,
    pub node: String,
    pub shutting_down: bool,
    pub database: Check,
    pub storage: Check,
    pub index: IndexCheck,
}

async fn timed<T, E: std::fmt::Display>(
    what: &'static str,
    f: impl Future<Output = Result<T, E>>,
) -> (Option<T>, Check) {
    let start = Instant::now();
    let r = tokio::time::timeout(CHECK_TIMEOUT, f).await;
    let ms = u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX);
    match r {
        Ok(Ok(v)) => (
            Some(v),
            Check {
                ok: true,
                ms,
                problem: None,
            },
        ),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, check = what, "readiness check failed");
            (
                None,
                Check {
                    ok: false,
                    ms,
                    problem: Some("unreachable"),
                },
            )
        }
        Err(_) => (
            None,
            Check {
                ok: false,
                ms,
                problem: Some("timeout"),
            },
        ),
    }
}

impl App {
    /// Whether the database answers a read (the health check's question).
    pub async fn database_answers(&self) -> Result<(), crate::AppError> {
        lentera_store::requests::count(&self.db).await?;
        Ok(())
    }

    /// Checks the parts this node needs, each with a time limit.
    pub async fn readiness(&self) -> Readiness {
        let (head, mut database) =
            timed("database", lentera_store::register::outbox_head(&self.db)).await;
        if database.ok && self.storage_refusing() {
            database.ok = false;
            database.problem = Some("refusing_writes");
        }
        let (_, storage) = timed("storage", self.storage().reachable()).await;
        let cursor = self.search_index().cursor();
        let lag = head.map(|h| (h - cursor).max(0));
        let behind = lag.is_some_and(|l| l > MAX_INDEX_LAG);
        let index = IndexCheck {
            check: Check {
                ok: head.is_some() && !behind,
                ms: 0,
                problem: if behind { Some("behind") } else { None },
            },
            lag,
            cursor,
        };
        let shutting_down = self.is_shutting_down();
        Readiness {
            ready: database.ok && storage.ok && index.check.ok && !shutting_down,
            node: self.node_id().to_owned(),
            shutting_down,
            database,
            storage,
            index,
        }
    }
}
