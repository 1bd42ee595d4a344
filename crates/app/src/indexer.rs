//! Keeps the search index in step with the database through `search_outbox`.
//!
//! The index stores the id of the last outbox row it applied in its own commit, so after a crash
//! or a restart it resumes exactly there; a full rebuild (`lentera reindex`) reads every public
//! entity again. Writers call [`App::after_register_change`], which applies the outbox before
//! answering, so a withdrawn publication is gone from results at once on this instance; other
//! instances follow within the background poll interval.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use lentera_domain::consequence::TestState;
use lentera_domain::publication::PublicationState;
use lentera_domain::register::EntryState;
use lentera_search::{IndexDoc, IndexOp, SearchIndex, SearchQuery, SearchResults};
use lentera_store::StoreError;
use lentera_store::register::{self as store, Aggregate};
use uuid::Uuid;

use crate::{App, AppError};

const BATCH: i64 = 500;

fn search_error(e: impl std::fmt::Display) -> AppError {
    AppError::Unexpected(anyhow::anyhow!("search index: {e}"))
}

fn doc_id(agg: Aggregate, id: Uuid) -> String {
    let prefix = match agg {
        Aggregate::Entry => "entry",
        Aggregate::Test => "test",
        Aggregate::Publication => "answer",
        Aggregate::Document => "document",
    };
    format!("{prefix}:{id}")
}

/// The search side of the app: the index, its outbox reader, the result cache and the slots
/// searches run in.
pub(crate) struct SearchPart {
    /// The full-text index; set once at start-up or created in memory.
    index: OnceLock<Arc<SearchIndex>>,
    /// One outbox reader at a time, so the cursor only moves forward.
    outbox_lock: tokio::sync::Mutex<()>,
    cache: SearchCache,
    /// Searches that may run at once: one per core. More would share the cores, and a costly
    /// query would then take as many times longer as there are searches beside it; queued in
    /// order instead, each runs at full speed and the slow tail stays short.
    slots: tokio::sync::Semaphore,
    /// Searches run on the calling task's thread (the default) rather than tokio's blocking
    /// pool (`LENTERA_SEARCH_INLINE=0`): see `App::search`.
    inline: bool,
    /// Bulk loads (the demo seed) apply the outbox once at the end instead of after each write.
    deferred: AtomicBool,
}

impl SearchPart {
    pub(crate) fn new() -> Self {
        Self {
            index: OnceLock::new(),
            outbox_lock: tokio::sync::Mutex::new(()),
            cache: SearchCache::default(),
            slots: tokio::sync::Semaphore::new(search_slots()),
            inline: std::env::var("LENTERA_SEARCH_INLINE").map_or(true, |v| v != "0"),
            deferred: AtomicBool::new(false),
        }
    }
}

/// How many searches run at once: `LENTERA_SEARCH_SLOTS` when set (at least 1), else one per
/// core.
fn search_slots() -> usize {
    std::env::var("LENTERA_SEARCH_SLOTS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
        })
        .min(tokio::sync::Semaphore::MAX_PERMITS)
}

impl App {
    /// The search index; an in-memory one when none was configured (tests, tools).
    pub fn search_index(&self) -> Arc<SearchIndex> {
        Arc::clone(self.search.index.get_or_init(|| {
            Arc::new(SearchIndex::in_memory().unwrap_or_else(|e| {
                // An in-memory index only fails if tantivy cannot build its schema: a bug.
                panic!("in-memory search index: {e}")
            }))
        }))
    }

    /// Defers index updates to the background follower (bulk loads).
    pub fn defer_index(&self, deferred: bool) {
        self.search.deferred.store(deferred, Ordering::Relaxed);
    }

    /// Uses an index opened by the caller (the server opens `{data_dir}/index`).
    pub fn set_search_index(&self, index: Arc<SearchIndex>) -> bool {
        self.search.index.set(index).is_ok()
    }

    /// Searches, answering repeated queries from a cache that any change of the index empties.
    /// Public searches repeat a lot (popular topics, suggestions while typing), and a query that
    /// matches half of a million documents costs tens of milliseconds to count and rank.
    pub async fn search(&self, q: SearchQuery) -> Result<Arc<SearchResults>, AppError> {
        let generation = self.search.cache.generation();
        if let Some(hit) = self.search.cache.get(&q, generation) {
            return Ok(hit);
        }
        let index = self.search_index();
        let query = q.clone();
        // A closed semaphore cannot happen (never closed); searching unthrottled is the fallback.
        let _slot = self.search.slots.acquire().await.ok();
        // A search does bounded work (the index's work budget: under a millisecond mostly,
        // tens at worst), so it runs on the runtime's own worker thread. Handing each one to
        // the blocking pool and back (two cross-thread wake-ups, parked threads on a virtual
        // machine) doubled the CPU time per search request and halved the throughput
        // (docs/BENCHMARKS.md). The price: while every worker is searching, other requests
        // wait for the first search to finish. One slot per core; fewer left cores idle and
        // measured worse still.
        let results = if self.search.inline {
            index.search(&query).map_err(search_error)?
        } else {
            tokio::task::spawn_blocking(move || index.search(&query))
                .await
                .map_err(search_error)?
                .map_err(search_error)?
        };
        let results = Arc::new(results);
        self.search.cache.put(q, generation, Arc::clone(&results));
        Ok(results)
    }

    /// Called after every register write: applies the outbox now. A failure is logged, not
    /// returned: the change is committed and the background task will retry.
    pub async fn after_register_change(&self) {
        self.signal(&crate::signals::Signal::Outbox);
        if self.search.deferred.load(Ordering::Relaxed) {
            return;
        }
        if let Err(e) = self.sync_index().await {
            tracing::warn!(error = %e, "search index not updated yet; will retry");
        }
    }

    /// Applies outbox rows past the index's cursor. Returns how many rows were applied.
    pub async fn sync_index(&self) -> Result<usize, AppError> {
        let _guard = self.search.outbox_lock.lock().await;
        let index = self.search_index();
        let mut applied = 0;
        loop {
            let rows = store::outbox_after(&self.db, index.cursor(), BATCH).await?;
            let Some(last) = rows.last().map(|r| r.id) else {
                return Ok(applied);
            };
            let mut ops = Vec::with_capacity(rows.len());
            let mut seen = std::collections::HashSet::new();
            for r in rows.iter().rev() {
                // The newest row of an entity wins; older rows of it in this batch add nothing.
                if !seen.insert((r.entity.clone(), r.entity_id)) {
                    continue;
                }
                let Some(agg) = Aggregate::parse(&r.entity) else {
                    continue;
                };
                ops.push(self.index_op(agg, r.entity_id).await?);
            }
            applied += rows.len();
            let index = Arc::clone(&index);
            let applied_ok = tokio::task::spawn_blocking(move || index.apply(ops, last))
                .await
                .map_err(search_error)?;
            self.search.cache.invalidate();
            applied_ok.map_err(search_error)?;
        }
    }

    /// Rebuilds the index from the database. `progress(done, total)` is called after each batch.
    pub async fn reindex(&self, progress: &(dyn Fn(u64, u64) + Sync)) -> Result<u64, AppError> {
        let _guard = self.search.outbox_lock.lock().await;
        let index = self.search_index();
        // Everything after this point is replayed by the next sync, so nothing is lost while
        // the rebuild runs; replays are idempotent upserts.
        let head = store::outbox_head(&self.db).await?;
        let mut all: Vec<(Aggregate, Uuid)> = Vec::new();
        all.extend(
            store::published_entry_ids(&self.db)
                .await?
                .into_iter()
                .map(|i| (Aggregate::Entry, i)),
        );
        all.extend(
            store::decided_test_ids(&self.db)
                .await?
                .into_iter()
                .map(|i| (Aggregate::Test, i)),
        );
        all.extend(
            store::published_publication_ids(&self.db)
                .await?
                .into_iter()
                .map(|i| (Aggregate::Publication, i)),
        );
        all.extend(
            store::live_document_ids(&self.db)
                .await?
                .into_iter()
                .map(|i| (Aggregate::Document, i)),
        );
        let total = all.len() as u64;
        {
            let index = Arc::clone(&index);
            tokio::task::spawn_blocking(move || index.clear())
                .await
                .map_err(search_error)?
                .map_err(search_error)?;
        }
        let mut done = 0u64;
        progress(0, total);
        for chunk in all.chunks(BATCH as usize) {
            let mut ops = Vec::with_capacity(chunk.len());
            for (agg, id) in chunk {
                ops.push(self.index_op(*agg, *id).await?);
            }
            done += chunk.len() as u64;
            let index = Arc::clone(&index);
            tokio::task::spawn_blocking(move || index.apply(ops, 0))
                .await
                .map_err(search_error)?
                .map_err(search_error)?;
            progress(done, total);
        }
        let index2 = Arc::clone(&index);
        let done_ok = tokio::task::spawn_blocking(move || index2.apply(Vec::new(), head))
            .await
            .map_err(search_error)?;
        self.search.cache.invalidate();
        done_ok.map_err(search_error)?;
        drop(_guard);
        self.sync_index().await?;
        Ok(index.num_docs())
    }

    /// What the index should hold for one entity now: the document, or its deletion.
    async fn index_op(&self, agg: Aggregate, id: Uuid) -> Result<IndexOp, AppError> {
        let key = doc_id(agg, id);
        let doc = match self.index_doc(agg, id).await {
            Ok(d) => d,
            Err(AppError::NotFound(_)) => None,
            Err(e) => return Err(e),
        };
        Ok(match doc {
            Some(d) => IndexOp::Upsert(d),
            None => IndexOp::Delete(key),
        })
    }

    async fn index_doc(&self, agg: Aggregate, id: Uuid) -> Result<Option<IndexDoc>, AppError> {
        let missing = |e: StoreError| match e {
            StoreError::NotFound => AppError::NotFound("gone"),
            other => other.into(),
        };
        let corrupt = |e: serde_json::Error| AppError::Unexpected(e.into());
        match agg {
            Aggregate::Entry => {
                let row = store::get_entry(&self.db, id).await.map_err(missing)?;
                let s: EntryState = serde_json::from_str(&row.state).map_err(corrupt)?;
                let body = self.body(row.body_id).await?;
                let today = self.today_in(body.time_zone());
                if !s.published
                    || !crate::register::entry_passes(&s)
                    || self.closing_test(id, today).await?.is_some()
                {
                    return Ok(None);
                }
                let f = &s.fields;
                let text = format!(
                    "{}\n{}\n{} {}\n{}",
                    f.summary, f.responsible, f.made_when, f.made_where, f.legal_basis
                );
                Ok(Some(IndexDoc {
                    id: doc_id(agg, id),
                    kind: f.kind.as_str().into(),
                    body_slug: body.row.slug.clone(),
                    body_name: body.row.name.clone(),
                    year: f.year,
                    title: f.title.clone(),
                    text,
                    reference: String::new(),
                    url: format!("/b/{}/dip/{}", body.row.slug, id),
                    published_at: row.updated_at.unix_timestamp(),
                }))
            }
            Aggregate::Test => {
                let row = store::get_test(&self.db, id).await.map_err(missing)?;
                let s: TestState = serde_json::from_str(&row.state).map_err(corrupt)?;
                let body = self.body(row.body_id).await?;
                let today = self.today_in(body.time_zone());
                if !s.listed_in_dik(today) {
                    return Ok(None);
                }
                let grounds: Vec<String> = s
                    .fields
                    .grounds
                    .iter()
                    .map(|g| format!("Pasal {} {}", g.as_str(), g.label_id()))
                    .collect();
                let text = format!(
                    "{}\n{}\n{}\n{}",
                    s.fields.information,
                    grounds.join("; "),
                    s.fields.harm,
                    s.fields.public_interest
                );
                let d = s.determination.as_ref();
                Ok(Some(IndexDoc {
                    id: doc_id(agg, id),
                    kind: "exempt".into(),
                    body_slug: body.row.slug.clone(),
                    body_name: body.row.name.clone(),
                    year: d.map_or(today.year(), |d| d.on.year()),
                    title: s.fields.information.chars().take(160).collect(),
                    text,
                    reference: d.map(|d| d.number.clone()).unwrap_or_default(),
                    url: format!("/b/{}/dik/{}", body.row.slug, id),
                    published_at: row.updated_at.unix_timestamp(),
                }))
            }
            Aggregate::Publication => {
                let row = store::get_publication(&self.db, id)
                    .await
                    .map_err(missing)?;
                if !row.published {
                    return Ok(None);
                }
                let s: PublicationState = serde_json::from_str(&row.state).map_err(corrupt)?;
                let body = self.body(row.body_id).await?;
                Ok(Some(IndexDoc {
                    id: doc_id(agg, id),
                    kind: "answer".into(),
                    body_slug: body.row.slug.clone(),
                    body_name: body.row.name.clone(),
                    year: row.published_at.year(),
                    title: s.title,
                    text: s.text,
                    reference: s.request.unwrap_or_default(),
                    url: format!("/b/{}/jawaban/{}", body.row.slug, id),
                    published_at: row.published_at.unix_timestamp(),
                }))
            }
            Aggregate::Document => {
                let doc = store::get_document(&self.db, id).await.map_err(missing)?;
                if !self.document_is_public(&doc).await? {
                    return Ok(None);
                }
                let body = self.body(doc.body_id).await?;
                Ok(Some(IndexDoc {
                    id: doc_id(agg, id),
                    kind: "document".into(),
                    body_slug: body.row.slug.clone(),
                    body_name: body.row.name.clone(),
                    year: doc.created_at.year(),
                    title: doc.filename.clone(),
                    text: doc.extracted_text.clone(),
                    reference: String::new(),
                    url: crate::register::document_url(doc.id, &doc.filename),
                    published_at: doc.created_at.unix_timestamp(),
                }))
            }
        }
    }
}

/// Results of recent searches, valid for one generation of the index.
///
/// Two generations of entries: when the current one is full it becomes the previous one and
/// the previous one is dropped, and a hit in the previous one moves back to the current one.
/// Popular queries thus stay while one-off queries age out; emptying the whole cache when full
/// made every popular query miss at once (a burst of searches, p99 178 ms on the benchmark).
#[derive(Default)]
pub struct SearchCache {
    generation: std::sync::atomic::AtomicU64,
    entries: std::sync::Mutex<CacheEntries>,
}

#[derive(Default)]
struct CacheEntries {
    /// The index generation the entries were computed at.
    generation: u64,
    current: CacheMap,
    previous: CacheMap,
}

type CacheMap = std::collections::HashMap<CacheKey, Arc<SearchResults>>;

type CacheKey = (
    String,
    Option<String>,
    Option<String>,
    Option<i32>,
    usize,
    usize,
);

/// Entries of one generation of the cache; the cache holds up to twice this many.
const CACHE_ENTRIES: usize = 10_000;

impl SearchCache {
    fn key(q: &SearchQuery) -> CacheKey {
        let normal =
            q.q.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
        (
            normal,
            q.body.clone(),
            q.kind.clone(),
            q.year,
            q.limit,
            q.offset,
        )
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::Acquire)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CacheEntries> {
        // Entries are whole values: a panic elsewhere cannot leave one half-written.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn invalidate(&self) {
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        let stale = {
            let mut m = self.lock();
            (
                std::mem::take(&mut m.current),
                std::mem::take(&mut m.previous),
            )
        };
        // Freed outside the lock: searches need not wait for thousands of results to drop.
        drop(stale);
    }

    fn get(&self, q: &SearchQuery, generation: u64) -> Option<Arc<SearchResults>> {
        let key = Self::key(q);
        let (found, dropped) = {
            let mut m = self.lock();
            if m.generation != generation {
                return None;
            }
            if let Some(found) = m.current.get(&key) {
                return Some(Arc::clone(found));
            }
            let found = m.previous.remove(&key)?;
            let dropped = m.insert(key, Arc::clone(&found));
            (found, dropped)
        };
        drop(dropped);
        Some(found)
    }

    fn put(&self, q: SearchQuery, generation: u64, r: Arc<SearchResults>) {
        let key = Self::key(&q);
        let dropped = {
            let mut m = self.lock();
            // A result computed before a change must not be stored after it.
            if generation != self.generation() {
                return;
            }
            if m.generation != generation {
                m.generation = generation;
                m.current.clear();
                m.previous.clear();
            }
            m.insert(key, r)
        };
        drop(dropped);
    }
}

impl CacheEntries {
    /// Inserts into the current generation; returns the entries aged out, to be dropped by the
    /// caller after the lock.
    fn insert(&mut self, key: CacheKey, r: Arc<SearchResults>) -> CacheMap {
        let mut dropped = CacheMap::new();
        if self.current.len() >= CACHE_ENTRIES {
            dropped = std::mem::replace(&mut self.previous, std::mem::take(&mut self.current));
        }
        self.current.insert(key, r);
        dropped
    }
}

#[cfg(test)]
mod cache_tests {
    use super::*;

    fn query(i: usize) -> SearchQuery {
        SearchQuery {
            q: format!("kata {i}"),
            limit: 10,
            ..SearchQuery::default()
        }
    }

    fn results(total: u64) -> Arc<SearchResults> {
        Arc::new(SearchResults {
            total,
            ..SearchResults::default()
        })
    }

    #[test]
    fn popular_queries_survive_a_flood_of_one_off_queries() {
        let cache = SearchCache::default();
        let g = cache.generation();
        cache.put(query(0), g, results(7));
        for i in 1..(CACHE_ENTRIES * 5) {
            cache.put(query(i), g, results(1));
            if i % 1_000 == 0 {
                assert_eq!(
                    cache.get(&query(0), g).map(|r| r.total),
                    Some(7),
                    "after {i}"
                );
            }
        }
        assert!(cache.get(&query(1), g).is_none(), "one-off queries age out");
        let entries = cache.lock();
        assert!(entries.current.len() + entries.previous.len() <= 2 * CACHE_ENTRIES);
    }

    #[test]
    fn a_change_of_the_index_empties_the_cache() {
        let cache = SearchCache::default();
        let g = cache.generation();
        cache.put(query(0), g, results(7));
        assert!(cache.get(&query(0), g).is_some());
        cache.invalidate();
        let g2 = cache.generation();
        assert!(cache.get(&query(0), g2).is_none());
        // A result computed before the change is not stored after it.
        cache.put(query(0), g, results(7));
        assert!(cache.get(&query(0), g2).is_none());
    }
}
