//! The index itself: schema, writing with a commit cursor, and searching.

use std::cmp::{Ordering as CmpOrdering, Reverse};
use std::collections::BinaryHeap;
use std::path::Path;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EnableScoring, Occur, PhraseQuery, Query,
    TermQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::{
    DocAddress, DocId, DocSet, Index, IndexReader, IndexSettings, IndexWriter, Order, ReloadPolicy,
    Score, Searcher, SegmentReader, TERMINATED, TantivyDocument, Term, Warmer,
};

use crate::analysis::{self, EXACT, REFERENCE, STEMMED};
use crate::facets::{FacetCache, FacetCollector, FacetFields};
use crate::fuzzy;
use crate::lazy_sum::LazySumQuery;
use crate::query::{ParsedQuery, Word, parse};
use crate::snippet::Snippets;
use crate::{
    Facets, Hit, IndexDoc, IndexOp, MAX_INDEXED_TEXT_BYTES, MAX_LIMIT, MAX_STORED_TEXT_BYTES,
    SearchError, SearchQuery, SearchResults,
};

/// Two indexing threads for two cores; the budget is shared between them.
/// The serving process writes small batches (one outbox batch at a time): one thread, a small arena.
const WRITER_THREADS: usize = 1;
const WRITER_MEMORY_BYTES: usize = 48 * 1024 * 1024;
/// Bulk loads (`bench-corpus`, the benchmark example) use both cores and a large arena.
const BULK_WRITER_THREADS: usize = 2;
const BULK_WRITER_MEMORY_BYTES: usize = 192 * 1024 * 1024;
/// Deeper pages than this are refused (empty): nobody reads them, and the top-k heap grows with
/// `offset + limit`.
const MAX_OFFSET: usize = 10_000;
/// A word this rare in the index (document frequency) may be a typo: look for near spellings.
const RARE_DOC_FREQ: u64 = 3;
const FUZZY_MIN_CHARS: usize = 5;
const FUZZY_TWO_EDITS_MIN_CHARS: usize = 9;
const SNIPPET_CHARS: usize = 220;
const DOCSTORE_BLOCK_BYTES: usize = 4 * 1024;
/// Near spellings beyond this many are merged by tantivy's buffered union rather than lazily:
/// a lazy merge steps through every clause at each document.
const LAZY_SUM_MAX_CLAUSES: usize = 16;
/// Matches times query clauses a search visits before it stops and extrapolates, unless
/// changed with [`SearchIndex::set_work_budget`]. About a quarter of a millisecond of scoring
/// and counting on one core: a two-word query ranks the newest 2,500 of its matches or so and
/// extrapolates its total and facets from them. On the 1,000,000-document benchmark, 10,000
/// made the average search a quarter slower (docs/BENCHMARKS.md).
pub const DEFAULT_WORK_BUDGET: usize = 5_000;
/// Documents a bounded search visits with one scorer at first: segments are read from their
/// end in windows, so that the newest documents of a big merged segment come first.
const WINDOW_DOCS: DocId = 65_536;
/// Each next window is sized to hold what is left of the budget at the density of matches
/// seen so far, within this many times the previous window: a query whose matches are sparse
/// crosses a million documents in a few windows instead of sixteen (each window sets up a
/// scorer: term lookups, posting lists opened, skip lists read).
const WINDOW_GROWTH: u64 = 8;

const BOOST_EXACT: f32 = 2.0;
const BOOST_META: f32 = 1.0;
const BOOST_FUZZY: f32 = 0.5;
const BOOST_REFERENCE: f32 = 50.0;

const F_BODY: &str = "body";
const F_KIND: &str = "kind";
const F_YEAR: &str = "year";
const F_PUBLISHED: &str = "published_at";

/// Top hits with their scores, total matches, facet counts, whether total and facets are
/// extrapolated.
struct Page {
    top: Vec<(f32, DocAddress)>,
    total: u64,
    facets: Facets,
    estimate: bool,
}

/// A word of the query with what the index says of it, looked up once for both the all-words
/// query and its any-word fallback.
struct WordPlan<'a> {
    word: &'a Word,
    /// The largest document frequency among the word's stem, exact and metadata terms.
    max_doc_freq: u64,
    /// Whether the word itself, as typed, is in the text of some document.
    in_text: bool,
    /// Whether the word is in the metadata (reference, body name) of some document.
    in_meta: bool,
    /// Edit distance of the near-spelling alternative, when the word looks like a typo.
    fuzzy: Option<u8>,
    /// The near spellings in the text, with their document frequencies (see `fuzzy.rs`).
    near: Vec<(Term, u64)>,
}

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    kind: Field,
    body: Field,
    body_name: Field,
    year: Field,
    title: Field,
    url: Field,
    published_at: Field,
    /// Stored only: the head of the text, to cut snippets from.
    snippet_text: Field,
    /// Title and text, stemmed.
    text_stem: Field,
    /// Title and text, as typed (with positions, for phrases).
    text_exact: Field,
    /// Reference number and body name, by words.
    meta: Field,
    /// Whole reference number.
    reference: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str, record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(record),
        )
    };
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        kind: b.add_text_field(F_KIND, STRING | STORED | tantivy::schema::FAST),
        body: b.add_text_field(F_BODY, STRING | STORED | tantivy::schema::FAST),
        body_name: b.add_text_field("body_name", STORED),
        year: b.add_i64_field(
            F_YEAR,
            NumericOptions::default()
                .set_indexed()
                .set_stored()
                .set_fast(),
        ),
        title: b.add_text_field("title", STORED),
        url: b.add_text_field("url", STORED),
        published_at: b.add_i64_field(F_PUBLISHED, NumericOptions::default().set_fast()),
        snippet_text: b.add_text_field("snippet_text", STORED),
        // Frequencies without positions: phrases are matched on the exact field only.
        text_stem: b.add_text_field("text_stem", text(STEMMED, IndexRecordOption::WithFreqs)),
        text_exact: b.add_text_field(
            "text_exact",
            text(EXACT, IndexRecordOption::WithFreqsAndPositions),
        ),
        meta: b.add_text_field("meta", text(EXACT, IndexRecordOption::WithFreqs)),
        reference: b.add_text_field("reference", text(REFERENCE, IndexRecordOption::Basic)),
    };
    (b.build(), fields)
}

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

    fn writer(&self) -> MutexGuard<'_, Option<IndexWriter>> {
        // A panic while holding the lock leaves at worst uncommitted operations, which the next
        // failure path rolls back: the writer itself stays usable.
        self.inner
            .writer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Applies the operations in order and commits them with `cursor` as the commit payload.
    /// When this returns, the next search sees the change. On error nothing is committed.
    pub fn apply(&self, ops: Vec<IndexOp>, cursor: i64) -> Result<(), SearchError> {
        let mut guard = self.writer();
        let writer = guard.as_mut().ok_or(SearchError::WriterGone)?;
        let result = self.apply_locked(writer, ops, cursor);
        if result.is_err() {
            // Keep the failed batch from riding along with the next commit.
            let _ = writer.rollback();
        }
        result
    }

    fn apply_locked(
        &self,
        writer: &mut IndexWriter,
        ops: Vec<IndexOp>,
        cursor: i64,
    ) -> Result<(), SearchError> {
        let f = self.inner.fields;
        for op in ops {
            match op {
                IndexOp::Upsert(doc) => {
                    writer.delete_term(Term::from_field_text(f.id, &doc.id));
                    writer.add_document(self.to_document(&doc))?;
                }
                IndexOp::Delete(id) => {
                    writer.delete_term(Term::from_field_text(f.id, &id));
                }
            }
        }
        self.commit(writer, cursor)
    }

    fn commit(&self, writer: &mut IndexWriter, cursor: i64) -> Result<(), SearchError> {
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&cursor.to_string());
        prepared.commit()?;
        self.inner.reader.reload()?;
        self.inner.cursor.store(cursor, Ordering::SeqCst);
        Ok(())
    }

    fn to_document(&self, d: &IndexDoc) -> TantivyDocument {
        let f = self.inner.fields;
        let text = truncate_bytes(&d.text, MAX_INDEXED_TEXT_BYTES);
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &d.id);
        doc.add_text(f.kind, &d.kind);
        doc.add_text(f.body, &d.body_slug);
        doc.add_text(f.body_name, &d.body_name);
        doc.add_i64(f.year, i64::from(d.year));
        doc.add_text(f.title, &d.title);
        doc.add_text(f.url, &d.url);
        doc.add_i64(f.published_at, d.published_at);
        doc.add_text(
            f.snippet_text,
            truncate_bytes(&d.text, MAX_STORED_TEXT_BYTES),
        );
        for field in [f.text_stem, f.text_exact] {
            doc.add_text(field, &d.title);
            doc.add_text(field, text);
        }
        doc.add_text(f.meta, &d.reference);
        doc.add_text(f.meta, &d.body_name);
        doc.add_text(f.reference, d.reference.trim());
        doc
    }

    /// The cursor of the last commit; 0 for a new or cleared index.
    pub fn cursor(&self) -> i64 {
        self.inner.cursor.load(Ordering::SeqCst)
    }

    /// Removes every document and sets the cursor to 0, committed: the start of a rebuild.
    pub fn clear(&self) -> Result<(), SearchError> {
        let mut guard = self.writer();
        let writer = guard.as_mut().ok_or(SearchError::WriterGone)?;
        let result = writer
            .delete_all_documents()
            .map_err(SearchError::from)
            .and_then(|_| self.commit(writer, 0));
        if result.is_err() {
            let _ = writer.rollback();
        }
        result
    }

    /// Blocks until background segment merges are done (benchmarks, before measuring the size
    /// on disk, and shutdown), then deletes the files merges left unused.
    pub fn wait_for_merges(&self) -> Result<(), SearchError> {
        let mut guard = self.writer();
        let writer = guard.take().ok_or(SearchError::WriterGone)?;
        writer.wait_merging_threads()?;
        let writer: IndexWriter = self
            .inner
            .index
            .writer_with_num_threads(self.inner.writer_settings.0, self.inner.writer_settings.1)?;
        writer.garbage_collect_files().wait()?;
        *guard = Some(writer);
        drop(guard);
        self.inner.reader.reload()?;
        Ok(())
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

    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults, SearchError> {
        let searcher = self.inner.reader.searcher();
        let parsed = parse(&q.q);
        let limit = q.limit.min(MAX_LIMIT);
        let limit = if q.offset > MAX_OFFSET { 0 } else { limit };
        let facets = FacetCollector {
            cache: Arc::clone(&self.inner.facets),
        };

        if parsed.words.is_empty() {
            let query = self.with_filters(Box::new(AllQuery), q);
            let top = (limit > 0).then(|| {
                TopDocs::with_limit(limit)
                    .and_offset(q.offset)
                    .order_by_fast_field::<i64>(F_PUBLISHED, Order::Desc)
            });
            let (top, total, counts) = searcher.search(&*query, &(top, Count, facets))?;
            let addrs = top
                .unwrap_or_default()
                .into_iter()
                .map(|(_, addr)| (0.0, addr));
            let hits = self.hits(&searcher, &parsed, addrs)?;
            return Ok(SearchResults {
                total: total as u64,
                hits,
                facets: counts.into_facets(),
                total_is_estimate: false,
            });
        }

        let lone_reference = lone_reference(&q.q, &parsed);
        if let Some(reference) = lone_reference
            && searcher.doc_freq(&Term::from_field_text(
                self.inner.fields.reference,
                reference,
            ))? > 0
        {
            // A registration number on its own is a lookup: the documents that carry it, not
            // the thousands that mention "ppid" and the year (searching those was 3-5 ms).
            let term = Term::from_field_text(self.inner.fields.reference, reference);
            let lookup: Box<dyn Query> = Box::new(BoostQuery::new(
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                BOOST_REFERENCE,
            ));
            let query = self.with_filters(lookup, q);
            let page = exact_search(&searcher, &*query, facets, q.offset, limit)?;
            let hits = self.hits(&searcher, &parsed, page.top.into_iter())?;
            return Ok(SearchResults {
                total: page.total,
                hits,
                facets: page.facets,
                total_is_estimate: false,
            });
        }

        // Near spellings keep the word's first letter unless that finds nothing (fuzzy.rs).
        let mut plan = self.plan(&searcher, &parsed, true)?;
        // Visiting a match costs a step in the postings of every word, phrase and filter, and
        // scoring it: the budget is shared among them.
        let clauses = parsed.words.len()
            + parsed.phrases.len()
            + usize::from(q.body.is_some())
            + usize::from(q.kind.is_some())
            + usize::from(q.year.is_some());
        let budget = (self.work_budget() / clauses.max(1)).max(1);
        let run = |plan: &[WordPlan<'_>], all_words: bool| -> Result<Page, SearchError> {
            let query = self.with_filters(self.text_query(&parsed, plan, all_words, true), q);
            let estimate = self.estimate_matches(&searcher, &parsed, plan, all_words, q)?;
            if estimate > (budget as u64).saturating_mul(4) / 5 {
                // Matches are visited and ranked without the optional clauses (the exact
                // forms of the words, function words), which only add to the score: seeking
                // their long posting lists at every match was a quarter of the time of a
                // search. The best candidates are then scored by the whole query.
                let visit = self.with_filters(self.text_query(&parsed, plan, all_words, false), q);
                let pages = Pages {
                    offset: q.offset,
                    limit,
                };
                return bounded_search(&searcher, &*visit, &*query, facets.clone(), pages, budget);
            }
            exact_search(&searcher, &*query, facets.clone(), q.offset, limit)
        };
        let mut page = run(&plan, true)?;
        if page.total == 0 && plan.iter().any(|p| p.fuzzy.is_some()) {
            plan = self.plan(&searcher, &parsed, false)?;
            page = run(&plan, true)?;
        }
        // Loosened to any of its words when no document has them all; but a registration
        // number is not loosened to any of its parts ("ppid", the year: most of the index).
        if page.total == 0 && parsed.words.len() > 1 && lone_reference.is_none() {
            page = run(&plan, false)?;
        }
        let hits = self.hits(&searcher, &parsed, page.top.into_iter())?;
        Ok(SearchResults {
            total: page.total,
            hits,
            facets: page.facets,
            total_is_estimate: page.estimate,
        })
    }

    /// Looks up, once per query, the document frequencies that decide each word's alternatives
    /// and the estimate of the number of matches.
    fn plan<'a>(
        &self,
        searcher: &Searcher,
        parsed: &'a ParsedQuery,
        keep_first_letter: bool,
    ) -> Result<Vec<WordPlan<'a>>, SearchError> {
        let f = self.inner.fields;
        let mut plan = Vec::with_capacity(parsed.words.len());
        for word in &parsed.words {
            let stem_df = searcher.doc_freq(&Term::from_field_text(f.text_stem, &word.stem))?;
            let exact_df = searcher.doc_freq(&Term::from_field_text(f.text_exact, &word.exact))?;
            let meta_df = searcher.doc_freq(&Term::from_field_text(f.meta, &word.exact))?;
            let max_doc_freq = stem_df.max(exact_df).max(meta_df);
            let chars = word.exact.chars().count();
            // A word is a likely typo when none of its alternatives is (nearly) in the index: a
            // rare inflection of a common stem is found through the stem, a body name through
            // the metadata, and fuzzing them would only add the cost of the expansion.
            let fuzzy = (chars >= FUZZY_MIN_CHARS
                && !word.exact.bytes().all(|b| b.is_ascii_digit())
                && max_doc_freq < RARE_DOC_FREQ)
                .then_some(if chars >= FUZZY_TWO_EDITS_MIN_CHARS {
                    2
                } else {
                    1
                });
            let near = match fuzzy {
                Some(distance) => fuzzy::expand(
                    searcher,
                    f.text_exact,
                    &word.exact,
                    distance,
                    keep_first_letter,
                )?,
                None => Vec::new(),
            };
            plan.push(WordPlan {
                word,
                max_doc_freq,
                in_text: exact_df > 0,
                in_meta: meta_df > 0,
                fuzzy,
                near,
            });
        }
        Ok(plan)
    }

    /// A cheap guess of the number of matches, from document frequencies: for all words the
    /// smallest, over the required words, of the word's most frequent alternative plus its
    /// near spellings; for any word their sum; plus the reference numbers; at most the
    /// smallest filter. Deleted documents still count: the guess only picks the way to search.
    fn estimate_matches(
        &self,
        searcher: &Searcher,
        parsed: &ParsedQuery,
        plan: &[WordPlan<'_>],
        all_words: bool,
        q: &SearchQuery,
    ) -> Result<u64, SearchError> {
        let f = self.inner.fields;
        let n = searcher.num_docs();
        let word_estimate =
            |p: &WordPlan<'_>| p.max_doc_freq + p.near.iter().map(|(_, df)| df).sum::<u64>();
        let has_content_word = plan.iter().any(|p| !p.word.stopword);
        let mut estimate = if all_words {
            plan.iter()
                .filter(|p| !(p.word.stopword && has_content_word))
                .map(word_estimate)
                .min()
                .unwrap_or(0)
        } else {
            plan.iter().map(word_estimate).sum()
        };
        for reference in &parsed.references {
            estimate += searcher.doc_freq(&Term::from_field_text(f.reference, reference))?;
        }
        let mut filters: Vec<Term> = Vec::new();
        if let Some(body) = &q.body {
            filters.push(Term::from_field_text(f.body, body));
        }
        if let Some(kind) = &q.kind {
            filters.push(Term::from_field_text(f.kind, kind));
        }
        if let Some(year) = q.year {
            filters.push(Term::from_field_i64(f.year, i64::from(year)));
        }
        for term in &filters {
            estimate = estimate.min(searcher.doc_freq(term)?);
        }
        Ok(estimate.min(n))
    }

    fn with_filters(&self, query: Box<dyn Query>, q: &SearchQuery) -> Box<dyn Query> {
        let filters = self.filter_clauses(q);
        if filters.is_empty() {
            return query;
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query)];
        clauses.extend(filters);
        Box::new(BooleanQuery::new(clauses))
    }

    fn filter_clauses(&self, q: &SearchQuery) -> Vec<(Occur, Box<dyn Query>)> {
        let f = self.inner.fields;
        let mut filters: Vec<Term> = Vec::new();
        if let Some(body) = &q.body {
            filters.push(Term::from_field_text(f.body, body));
        }
        if let Some(kind) = &q.kind {
            filters.push(Term::from_field_text(f.kind, kind));
        }
        if let Some(year) = q.year {
            filters.push(Term::from_field_i64(f.year, i64::from(year)));
        }
        filters
            .into_iter()
            .map(|term| {
                // A filter narrows, it must not reorder: no score of its own.
                let filter = TermQuery::new(term, IndexRecordOption::Basic);
                let clause: Box<dyn Query> = Box::new(ConstScoreQuery::new(Box::new(filter), 0.0));
                (Occur::Must, clause)
            })
            .collect()
    }

    fn text_query(
        &self,
        parsed: &ParsedQuery,
        plan: &[WordPlan<'_>],
        all_words: bool,
        with_optional: bool,
    ) -> Box<dyn Query> {
        let f = self.inner.fields;
        let has_content_word = parsed.words.iter().any(|w| !w.stopword);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for p in plan {
            let word = p.word;
            // A document with the word as typed also has its stem (both fields hold the same
            // text, one stemmed): the exact term only adds to the score, so it is an optional
            // clause of the whole query rather than an alternative of the word. The score is the
            // same sum, but a required word is then a single posting list (or a small union),
            // which intersections skip through instead of decoding every block of a union.
            let mut alternatives: Vec<Box<dyn Query>> = vec![Box::new(TermQuery::new(
                Term::from_field_text(f.text_stem, &word.stem),
                IndexRecordOption::WithFreqs,
            ))];
            if p.in_meta {
                alternatives.push(Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.meta, &word.exact),
                        IndexRecordOption::WithFreqs,
                    )),
                    BOOST_META,
                )));
            }
            let exact = Term::from_field_text(f.text_exact, &word.exact);
            if !p.near.is_empty() {
                // Any near spelling, one constant score (as tantivy's fuzzy query scores).
                let mut near: Vec<Box<dyn Query>> = p
                    .near
                    .iter()
                    .map(|(term, _)| {
                        Box::new(TermQuery::new(term.clone(), IndexRecordOption::Basic))
                            as Box<dyn Query>
                    })
                    .collect();
                let any: Box<dyn Query> = if near.len() == 1 {
                    near.remove(0)
                } else if near.len() <= LAZY_SUM_MAX_CLAUSES {
                    Box::new(LazySumQuery::new(near))
                } else {
                    Box::new(BooleanQuery::new(
                        near.into_iter().map(|q| (Occur::Should, q)).collect(),
                    ))
                };
                alternatives.push(Box::new(ConstScoreQuery::new(any, BOOST_FUZZY)));
            }
            // Function words only rank when there is something else to look for: requiring
            // "yang" excludes nothing and costs a scan of most of the index.
            let occur = if all_words && !(word.stopword && has_content_word) {
                Occur::Must
            } else {
                Occur::Should
            };
            let clause: Box<dyn Query> = if alternatives.len() == 1 {
                alternatives.remove(0)
            } else if all_words {
                // Sought through by the intersection: merged lazily, never buffered.
                Box::new(LazySumQuery::new(alternatives))
            } else {
                Box::new(BooleanQuery::new(
                    alternatives
                        .into_iter()
                        .map(|q| (Occur::Should, q))
                        .collect(),
                ))
            };
            clauses.push((occur, clause));
            if p.in_text {
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(
                        Box::new(TermQuery::new(exact, IndexRecordOption::WithFreqs)),
                        BOOST_EXACT,
                    )),
                ));
            }
        }
        if all_words {
            // With required words, the optional clauses (exact forms, function words) only add
            // to the score of documents already found: one lazily merged clause, sought per
            // match, instead of a union that decodes their frequent postings window by window.
            let (required, optional): (Vec<_>, Vec<_>) = clauses
                .into_iter()
                .partition(|(occur, _)| *occur == Occur::Must);
            clauses = required;
            if clauses.is_empty() {
                clauses = optional;
            } else if !with_optional {
                // Same matches: optional clauses only add to the score.
            } else if optional.len() == 1 {
                clauses.extend(optional);
            } else if !optional.is_empty() {
                let optional = optional.into_iter().map(|(_, q)| q).collect();
                clauses.push((Occur::Should, Box::new(LazySumQuery::new(optional))));
            }
        }
        if all_words {
            for phrase in &parsed.phrases {
                let terms = phrase
                    .iter()
                    .map(|w| Term::from_field_text(f.text_exact, w))
                    .collect();
                clauses.push((Occur::Must, Box::new(PhraseQuery::new(terms))));
            }
        }
        if parsed.references.is_empty() {
            return Box::new(BooleanQuery::new(clauses));
        }
        // A whole reference number matches on its own, whatever the other words of the query.
        let mut either: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Should, Box::new(BooleanQuery::new(clauses)))];
        for reference in &parsed.references {
            either.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.reference, reference),
                        IndexRecordOption::Basic,
                    )),
                    BOOST_REFERENCE,
                )),
            ));
        }
        Box::new(BooleanQuery::new(either))
    }

    fn hits(
        &self,
        searcher: &Searcher,
        parsed: &ParsedQuery,
        top: impl Iterator<Item = (f32, DocAddress)>,
    ) -> Result<Vec<Hit>, SearchError> {
        let f = self.inner.fields;
        let mut terms: Vec<(String, f32)> = Vec::new();
        for word in &parsed.words {
            let weight = if word.stopword { 0.1 } else { 1.0 };
            match terms.iter_mut().find(|(stem, _)| *stem == word.stem) {
                Some(found) => found.1 = found.1.max(weight),
                None => terms.push((word.stem.clone(), weight)),
            }
        }
        let snippets = Snippets::new(terms, SNIPPET_CHARS);
        let mut hits = Vec::new();
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text_of = |field: Field| -> String {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            let stored_text = text_of(f.snippet_text);
            let (snippet, snippet_html) = make_snippet(&snippets, &stored_text);
            hits.push(Hit {
                id: text_of(f.id),
                kind: text_of(f.kind),
                title: text_of(f.title),
                url: text_of(f.url),
                body_slug: text_of(f.body),
                body_name: text_of(f.body_name),
                year: doc
                    .get_first(f.year)
                    .and_then(|v| v.as_i64())
                    .and_then(|y| i32::try_from(y).ok())
                    .unwrap_or_default(),
                snippet,
                snippet_html,
                score,
            });
        }
        Ok(hits)
    }
}

/// Every match of `query`, counted and faceted, and the page asked for by score. One scored
/// pass feeds ranking, count and facets. Measured: a separate unscored counting pass plus a
/// ranking pass is slower, as the nested query gains nothing from block-max WAND.
fn exact_search(
    searcher: &Searcher,
    query: &dyn Query,
    facets: FacetCollector,
    offset: usize,
    limit: usize,
) -> Result<Page, SearchError> {
    let top = (limit > 0).then(|| {
        TopDocs::with_limit(limit)
            .and_offset(offset)
            .order_by_score()
    });
    let (top, total, counts) = searcher.search(query, &(top, Count, facets))?;
    Ok(Page {
        top: top.unwrap_or_default(),
        total: total as u64,
        facets: counts.into_facets(),
        estimate: false,
    })
}

/// The registration number the whole query is: a single chunk without spaces or quotes, such
/// as `0012/PPID-KENDAL/2026`.
fn lone_reference<'a>(input: &str, parsed: &'a ParsedQuery) -> Option<&'a str> {
    let mut chunks = input.split_whitespace();
    let lone = chunks.next().is_some() && chunks.next().is_none();
    match parsed.references.as_slice() {
        [reference] if lone && parsed.phrases.is_empty() && !input.contains('"') => Some(reference),
        _ => None,
    }
}

/// A match kept for the page of a bounded search: better is a higher score, then an earlier
/// visit (a newer document).
struct Candidate {
    score: Score,
    visit: u64,
    addr: DocAddress,
}

impl Candidate {
    fn rank(&self, other: &Self) -> CmpOrdering {
        self.score
            .total_cmp(&other.score)
            .then_with(|| other.visit.cmp(&self.visit))
    }
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.rank(other) == CmpOrdering::Equal
    }
}
impl Eq for Candidate {}
impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<CmpOrdering> {
        Some(self.cmp(other))
    }
}
impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> CmpOrdering {
        self.rank(other)
    }
}

/// The page a search returns.
#[derive(Clone, Copy)]
struct Pages {
    offset: usize,
    limit: usize,
}

/// The best this many candidates of a bounded search (by the visit's score) are ranked again
/// by the whole query; a document with a lower visit score but the words as typed can rise
/// among them. Candidates past these keep the visit's order. The depth does not depend on the
/// page asked for, so that pages agree with each other. Each candidate costs a seek of every
/// clause to a scattered document (about 2 µs): 100 candidates made searches a quarter slower
/// than 30 (three pages).
const RESCORE_DEPTH: usize = 30;

/// Searches with bounded work: visits the matches of `visit` newest first and stops after
/// `budget` of them, keeping the best candidates by `visit`'s score and counting facets on
/// the way; the candidates are then scored by `rank` (the same matches, more clauses) for the
/// page. When it stops early, the total and the facets are extrapolated from the share of
/// documents traversed up to the stop.
///
/// "Newest first" is approximated from the index layout, without reading any document:
/// segments are taken by decreasing largest `published_at` (a segment holding recent documents
/// first), and each segment from its end backwards, in windows of [`WINDOW_DOCS`] documents,
/// since tantivy appends new documents at the end of a segment and a merge puts the documents
/// of the larger (older) segments first. The page is thus "the best scored among the newest
/// `budget` matches or so": for a public-information portal, where recent documents matter
/// most, that is what a query matching a third of the index should show.
fn bounded_search(
    searcher: &Searcher,
    visit: &dyn Query,
    rank: &dyn Query,
    facets: FacetCollector,
    pages: Pages,
    budget: usize,
) -> Result<Page, SearchError> {
    let weight = visit.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let keep = if pages.limit == 0 {
        0
    } else {
        pages.offset + pages.limit
    };
    let keep_candidates = if keep == 0 {
        0
    } else {
        keep.max(RESCORE_DEPTH)
    };
    let mut segments: Vec<(i64, usize, &SegmentReader)> = Vec::new();
    let mut all_docs: u64 = 0;
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        if reader.max_doc() == 0 {
            continue;
        }
        all_docs += u64::from(reader.max_doc());
        let newest = reader.fast_fields().i64(F_PUBLISHED)?.max_value();
        segments.push((newest, ord, reader));
    }
    segments.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| b.1.cmp(&a.1)));

    let budget = budget.max(1) as u64;
    let mut heap: BinaryHeap<Reverse<Candidate>> = BinaryHeap::with_capacity(keep_candidates + 1);
    let mut fruits = Vec::new();
    let mut seen: u64 = 0;
    let mut traversed: u64 = 0;
    let mut stopped = false;
    'segments: for (_, ord, reader) in segments {
        let segment_ord = u32::try_from(ord).unwrap_or(u32::MAX);
        let mut counts = facets.for_segment(segment_ord, reader)?;
        let alive = reader.alive_bitset();
        let mut end = reader.max_doc();
        let mut window = WINDOW_DOCS;
        while end > 0 {
            let start = end.saturating_sub(window);
            let seen_before = seen;
            let mut scorer = weight.scorer(reader, 1.0)?;
            let mut doc = scorer.doc();
            if doc < start {
                doc = scorer.seek(start);
            }
            while doc != TERMINATED && doc < end {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    seen += 1;
                    counts.collect(doc, 0.0);
                    if keep_candidates > 0 {
                        let candidate = Candidate {
                            score: scorer.score(),
                            visit: seen,
                            addr: DocAddress::new(segment_ord, doc),
                        };
                        if heap.len() < keep_candidates {
                            heap.push(Reverse(candidate));
                        } else if heap.peek().is_some_and(|worst| candidate > worst.0) {
                            heap.pop();
                            heap.push(Reverse(candidate));
                        }
                    }
                    if seen >= budget {
                        traversed += u64::from(doc - start) + 1;
                        stopped = true;
                        fruits.push(counts.harvest());
                        break 'segments;
                    }
                }
                doc = scorer.advance();
            }
            traversed += u64::from(end - start);
            window = next_window(window, seen - seen_before, end - start, budget - seen);
            end = start;
        }
        fruits.push(counts.harvest());
    }
    let mut facet_counts = facets.merge_fruits(fruits)?.into_facets();
    let mut total = seen;
    if stopped && traversed < all_docs {
        let extrapolated = (seen as f64 * all_docs as f64 / traversed.max(1) as f64).round();
        total = (extrapolated as u64).clamp(seen, searcher.num_docs().max(seen));
        facet_counts = scale_facets(facet_counts, total as f64 / seen as f64);
    }
    let mut top: Vec<Candidate> = heap.into_iter().map(|Reverse(c)| c).collect();
    top.sort_unstable_by(|a, b| b.cmp(a));
    let rest = top.split_off(top.len().min(RESCORE_DEPTH));
    let mut top = rescore(searcher, rank, top)?;
    top.sort_unstable_by(|a, b| b.cmp(a));
    top.extend(rest);
    Ok(Page {
        top: top
            .into_iter()
            .skip(pages.offset)
            .take(pages.limit)
            .map(|c| (c.score, c.addr))
            .collect(),
        total,
        facets: facet_counts,
        estimate: stopped && total > seen,
    })
}

/// The size of the next window of a bounded search, after `found` matches in the last
/// `width` documents, with `left` matches of the budget still to visit: enough documents to
/// find three quarters of them at that density, at least [`WINDOW_DOCS`], at most
/// [`WINDOW_GROWTH`] times the last window. Aiming short keeps the order: a window is visited
/// oldest first, so the budget had better run out in a small window than in a large one.
fn next_window(last: DocId, found: u64, width: DocId, left: u64) -> DocId {
    let last = u64::from(last);
    let wanted = match left.saturating_mul(u64::from(width)).checked_div(found) {
        Some(at_density) => at_density * 3 / 4,
        None => last * WINDOW_GROWTH,
    };
    let next = wanted.clamp(u64::from(WINDOW_DOCS), last * WINDOW_GROWTH);
    DocId::try_from(next).unwrap_or(DocId::MAX)
}

/// The candidates with their scores by `query`, which matches each of them: per segment, one
/// scorer sought through the candidates in document order.
fn rescore(
    searcher: &Searcher,
    query: &dyn Query,
    mut candidates: Vec<Candidate>,
) -> Result<Vec<Candidate>, SearchError> {
    if candidates.is_empty() {
        return Ok(candidates);
    }
    let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
    candidates.sort_unstable_by_key(|c| (c.addr.segment_ord, c.addr.doc_id));
    let mut at = 0;
    while at < candidates.len() {
        let segment_ord = candidates[at].addr.segment_ord;
        let reader = searcher.segment_reader(segment_ord);
        let mut scorer = weight.scorer(reader, 1.0)?;
        while at < candidates.len() && candidates[at].addr.segment_ord == segment_ord {
            let c = &mut candidates[at];
            let doc = c.addr.doc_id;
            let found = if scorer.doc() >= doc {
                scorer.doc()
            } else {
                scorer.seek(doc)
            };
            if found == doc {
                c.score = scorer.score();
            }
            at += 1;
        }
    }
    Ok(candidates)
}

/// Multiplies every count by `factor`, rounded, and sorts again (largest first, ties by value).
fn scale_facets(facets: Facets, factor: f64) -> Facets {
    fn scale<K: Ord>(counts: Vec<(K, u64)>, factor: f64) -> Vec<(K, u64)> {
        let mut out: Vec<(K, u64)> = counts
            .into_iter()
            .map(|(k, n)| (k, ((n as f64 * factor).round() as u64).max(n)))
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }
    Facets {
        body: scale(facets.body, factor),
        kind: scale(facets.kind, factor),
        year: scale(facets.year, factor),
    }
}

/// A passage around the best matches, or the start of the text when the match is elsewhere
/// (title, reference, a near spelling).
fn make_snippet(snippets: &Snippets, text: &str) -> (String, String) {
    if let Some(found) = snippets.make(text) {
        return found;
    }
    let mut head = truncate_bytes(text, SNIPPET_CHARS * 4);
    if let Some((at, _)) = head.char_indices().nth(SNIPPET_CHARS) {
        head = &head[..at];
        if let Some(space) = head.rfind(char::is_whitespace) {
            head = &head[..space];
        }
    }
    let plain = head.trim().to_owned();
    let html = escape_html(&plain);
    (plain, html)
}

pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
