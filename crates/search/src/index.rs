//! The index itself: the handle and its settings, opening, and the figures it reports. Its
//! schema, writing, searching, query planning and the bounded search have a file each
//! below `index/`.

use std::path::Path;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, Warmer};

use crate::SearchError;
use crate::analysis;
use crate::facets::{FacetCache, FacetFields};

mod bounded;
mod plan;
mod schema;
mod search;
mod write;

use schema::{F_BODY, F_KIND, F_YEAR, Fields, schema};
pub(crate) use search::escape_html;

/// Two indexing threads for two cores; the budget is shared between them.
/// The serving process writes small batches (one outbox batch at a time): one thread, a small arena.
const WRITER_THREADS: usize = 1;
const WRITER_MEMORY_BYTES: usize = 48 * 1024 * 1024;
/// Bulk loads (`bench-corpus`, the benchmark example) use both cores and a large arena.
const BULK_WRITER_THREADS: usize = 2;
const BULK_WRITER_MEMORY_BYTES: usize = 192 * 1024 * 1024;
const DOCSTORE_BLOCK_BYTES: usize = 4 * 1024;
/// Matches times query clauses a search visits before it stops and extrapolates, unless
/// changed with [`SearchIndex::set_work_budget`]. About a quarter of a millisecond of scoring
/// and counting on one core: a two-word query ranks the newest 2,500 of its matches or so and
/// extrapolates its total and facets from them. On the 1,000,000-document benchmark, 10,000
/// made the average search a quarter slower (docs/BENCHMARKS.md).
pub const DEFAULT_WORK_BUDGET: usize = 5_000;

/// The search index. Cheap to clone (shared state); searches run concurrently, writes are
/// serialised through a single tantivy writer.
#[derive(Clone)]
pub struct SearchIndex {
    inner: Arc<Inner>,
}

struct Inner {
    index: Index,
    reader: IndexReader,
    writer: Mutex<Option<IndexWriter>>,
    fields: Fields,
    cursor: AtomicI64,
    work_budget: AtomicUsize,
    /// Facet values per segment, refreshed by every reload (a warmer).
    facets: Arc<FacetCache>,
    /// (threads, arena bytes) of the writer, kept to recreate it after merges.
    writer_settings: (usize, usize),
}

/// Settings of a new index (an existing one keeps those it was made with).
///
/// A page of ten hits reads ten documents from scattered places of the store, and each read
/// decompresses the whole block holding the document: with tantivy's 16 KiB blocks that was a
/// tenth of the time of a search. Blocks of 4 KiB (two or three documents) cost a few percent
/// of compression.
fn index_settings() -> IndexSettings {
    IndexSettings {
        docstore_blocksize: DOCSTORE_BLOCK_BYTES,
        ..IndexSettings::default()
    }
}

fn truncate_bytes(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the directory and an empty index if missing.
    pub fn open(dir: &Path) -> Result<SearchIndex, SearchError> {
        Self::open_with(dir, (WRITER_THREADS, WRITER_MEMORY_BYTES))
    }

    /// [`SearchIndex::open`] with a writer sized for loading hundreds of thousands of documents.
    pub fn open_bulk(dir: &Path) -> Result<SearchIndex, SearchError> {
        Self::open_with(dir, (BULK_WRITER_THREADS, BULK_WRITER_MEMORY_BYTES))
    }

    fn open_with(dir: &Path, writer: (usize, usize)) -> Result<SearchIndex, SearchError> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = schema();
        let index = Index::builder()
            .schema(schema)
            .settings(index_settings())
            .open_or_create(MmapDirectory::open(dir)?)?;
        Self::from_index(index, fields, writer)
    }

    /// A throw-away index in memory (tests, previews).
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        let (schema, fields) = schema();
        Self::from_index(
            Index::builder()
                .schema(schema)
                .settings(index_settings())
                .create_in_ram()?,
            fields,
            (WRITER_THREADS, WRITER_MEMORY_BYTES),
        )
    }

    fn from_index(
        index: Index,
        fields: Fields,
        writer_settings: (usize, usize),
    ) -> Result<SearchIndex, SearchError> {
        analysis::register(&index);
        let cursor = match index.load_metas()?.payload {
            None => 0,
            Some(p) => p.trim().parse().map_err(|_| SearchError::BadCursor(p))?,
        };
        let writer = index.writer_with_num_threads(writer_settings.0, writer_settings.1)?;
        let facets = Arc::new(FacetCache::new(FacetFields {
            body: F_BODY,
            kind: F_KIND,
            year: F_YEAR,
        }));
        let warmer: Arc<dyn Warmer> = Arc::clone(&facets) as Arc<dyn Warmer>;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .num_warming_threads(1)
            .warmers(vec![Arc::downgrade(&warmer)])
            .try_into()?;
        Ok(SearchIndex {
            inner: Arc::new(Inner {
                index,
                reader,
                writer: Mutex::new(Some(writer)),
                fields,
                cursor: AtomicI64::new(cursor),
                facets,
                work_budget: AtomicUsize::new(DEFAULT_WORK_BUDGET),
                writer_settings,
            }),
        })
    }

    /// The cursor of the last commit; 0 for a new or cleared index.
    pub fn cursor(&self) -> i64 {
        self.inner.cursor.load(Ordering::SeqCst)
    }

    /// Number of searchable documents.
    pub fn num_docs(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }

    /// Number of segments of the current reader (diagnostics).
    pub fn num_segments(&self) -> usize {
        self.inner.reader.searcher().segment_readers().len()
    }

    /// The work a search does at most before it stops and extrapolates (see the crate
    /// documentation, "Bounded work for huge match sets"), in matches visited times clauses
    /// (words, quoted phrases and filters) of the query: a one-word query visits at most this
    /// many matches, a two-word query half as many.
    pub fn work_budget(&self) -> usize {
        self.inner.work_budget.load(Ordering::Relaxed)
    }

    /// Changes [`SearchIndex::work_budget`] (at least 1) for this index and its clones, from
    /// the next search on. Searches whose estimated match count is at most four fifths of
    /// their share of the budget are run exhaustively. Meant for tests, which lower it to exercise the bounded
    /// search on a small corpus, and for tuning; the default is [`DEFAULT_WORK_BUDGET`].
    pub fn set_work_budget(&self, matches: usize) {
        self.inner
            .work_budget
            .store(matches.max(1), Ordering::Relaxed);
    }
}
