//! What the public pages read on every view and rarely changes: the list of bodies, a body's
//! closure days, a body's public register. Read from the database once and kept until a change
//! could have touched it, because a page that asks SQLite's worker thread for the same rows on
//! every view spends most of its time handing work between threads (issue 17).
//!
//! An entry is current while both hold:
//! - the *generation* is the one it was read under: this process bumps it on every change it
//!   signals (a body's settings, the register outbox, any figures) and on every signal heard
//!   from another node on the same PostgreSQL, or after a gap in those signals;
//! - on SQLite, the database's [`ChangeMark`] is the one taken before it was read (any commit,
//!   by this process or by an administrative command beside it, changes the mark); on
//!   PostgreSQL, where another node's command may not signal, it is younger than
//!   [`SHARED_TTL`]. Every entry also ends after [`MAX_AGE`], whatever the marks say.
//!
//! Marks and generations are taken *before* the read, so a change that lands during the read
//! makes the entry stale at once rather than hiding the change.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use lentera_store::ChangeMark;
use time::Date;
use uuid::Uuid;

use crate::bodies::{BodyItem, ClosureRow};
use crate::objections::ObjectionRegisterEntry;
use crate::register::RegisterView;
use crate::requests::RegisterEntry;
use crate::{App, AppError, BodyEntry};

/// How long an entry is trusted on PostgreSQL without a signal.
const SHARED_TTL: Duration = Duration::from_secs(2);
/// The longest any entry lives (a mark that failed to move, a clock jump).
const MAX_AGE: Duration = Duration::from_secs(30);

/// The point in time an entry was read at.
#[derive(Debug, Clone, Copy)]
struct Taken {
    generation: u64,
    mark: Option<ChangeMark>,
    at: Instant,
}

struct Entry<T> {
    value: Arc<T>,
    taken: Taken,
}

/// One kind of cached value, by key.
struct Shelf<K, T>(RwLock<HashMap<K, Entry<T>>>);

impl<K, T> Default for Shelf<K, T> {
    fn default() -> Self {
        Self(RwLock::new(HashMap::new()))
    }
}

#[derive(Default)]
pub(crate) struct PublicCache {
    generation: AtomicU64,
    bodies: Shelf<(), Vec<BodyItem>>,
    closures: Shelf<Uuid, Vec<ClosureRow>>,
    registers: Shelf<(Uuid, Date), RegisterView>,
    /// The request register by body, day, limit and offset.
    request_registers: Shelf<(Uuid, Date, i64, i64), Vec<RegisterEntry>>,
    objection_registers: Shelf<(Uuid, Date), Vec<ObjectionRegisterEntry>>,
}

/// Entries kept per map before it is emptied (bodies × days; a province has a few hundred).
const MAX_ENTRIES: usize = 4_096;

impl PublicCache {
    /// Something changed that an entry may show.
    pub(crate) fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }
}

impl App {
    fn taken_now(&self) -> Taken {
        Taken {
            generation: self.public_cache.generation.load(Ordering::Acquire),
            mark: self.db.change_mark(),
            at: Instant::now(),
        }
    }

    fn is_current(&self, t: &Taken, now: &Taken) -> bool {
        let age = now.at.saturating_duration_since(t.at);
        t.generation == now.generation
            && age < MAX_AGE
            && match (t.mark, now.mark) {
                (Some(a), Some(b)) => a == b,
                (None, None) => age < SHARED_TTL,
                _ => false,
            }
    }

    /// The value under `key`, or what `load` reads (then kept under the marks taken before).
    async fn shelved<K, T, F>(
        &self,
        shelf: &Shelf<K, T>,
        key: K,
        load: F,
    ) -> Result<Arc<T>, AppError>
    where
        K: std::hash::Hash + Eq,
        F: std::future::Future<Output = Result<T, AppError>>,
    {
        let now = self.taken_now();
        if let Ok(g) = shelf.0.read()
            && let Some(e) = g.get(&key).filter(|e| self.is_current(&e.taken, &now))
        {
            return Ok(Arc::clone(&e.value));
        }
        let value = Arc::new(load.await?);
        if let Ok(mut m) = shelf.0.write() {
            if m.len() >= MAX_ENTRIES {
                m.clear();
            }
            m.insert(
                key,
                Entry {
                    value: Arc::clone(&value),
                    taken: now,
                },
            );
        }
        Ok(value)
    }

    /// Every body and unit, as the contract lists them, from the cache when current.
    pub async fn bodies_shared(&self) -> Result<Arc<Vec<BodyItem>>, AppError> {
        self.shelved(&self.public_cache.bodies, (), self.read_bodies())
            .await
    }

    /// A body's closure days, from the cache when current.
    pub(crate) async fn closures_shared(
        &self,
        body_id: Uuid,
    ) -> Result<Arc<Vec<ClosureRow>>, AppError> {
        self.shelved(&self.public_cache.closures, body_id, async {
            Ok(lentera_store::bodies::closures(&self.db, body_id).await?)
        })
        .await
    }

    /// A body's register as the public sees it today, from the cache when current.
    pub async fn public_register(&self, slug: &str) -> Result<Arc<RegisterView>, AppError> {
        let body = self.public_body(slug).await?;
        let key = (body.row.id, self.today_in(body.time_zone()));
        self.shelved(
            &self.public_cache.registers,
            key,
            self.read_register(&body, None),
        )
        .await
    }

    /// One page of a body's request register, from the cache when current.
    pub async fn request_register(
        &self,
        slug: &str,
        limit: i64,
        offset: i64,
    ) -> Result<(Arc<BodyEntry>, Arc<Vec<RegisterEntry>>), AppError> {
        let body = self.found_body(slug).await?;
        let (limit, offset) = (limit.clamp(1, 200), offset.max(0));
        let key = (body.row.id, self.today_in(body.time_zone()), limit, offset);
        let entries = self
            .shelved(
                &self.public_cache.request_registers,
                key,
                self.read_request_register(&body, limit, offset),
            )
            .await?;
        Ok((body, entries))
    }

    /// A body's objection register, from the cache when current.
    pub async fn objection_register(
        &self,
        slug: &str,
    ) -> Result<(Arc<BodyEntry>, Arc<Vec<ObjectionRegisterEntry>>), AppError> {
        let body = self.found_body(slug).await?;
        let key = (body.row.id, self.today_in(body.time_zone()));
        let entries = self
            .shelved(
                &self.public_cache.objection_registers,
                key,
                self.read_objection_register(&body),
            )
            .await?;
        Ok((body, entries))
    }

    async fn found_body(&self, slug: &str) -> Result<Arc<BodyEntry>, AppError> {
        self.body_by_slug(slug)
            .await?
            .ok_or(AppError::NotFound("body.not_found"))
    }

    /// The body whose public register a slug names (a unit's is its home body's).
    async fn public_body(&self, slug: &str) -> Result<Arc<BodyEntry>, AppError> {
        let body = self.found_body(slug).await?;
        self.home_body(&body).await
    }
}
