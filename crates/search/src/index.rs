//! The index itself: schema, writing with a commit cursor, and searching.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query,
    TermQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, TantivyDocument,
    Term,
};

use crate::analysis::{self, EXACT, REFERENCE, STEMMED};
use crate::facets::FacetCollector;
use crate::query::{ParsedQuery, parse};
use crate::{
    Facets, Hit, IndexDoc, IndexOp, MAX_INDEXED_TEXT_BYTES, MAX_LIMIT, MAX_STORED_TEXT_BYTES,
    SearchError, SearchQuery, SearchResults,
};

/// Two indexing threads for two cores; the budget is shared between them.
const WRITER_THREADS: usize = 2;
const WRITER_MEMORY_BYTES: usize = 192 * 1024 * 1024;
/// Deeper pages than this are refused (empty): nobody reads them, and the top-k heap grows with
/// `offset + limit`.
const MAX_OFFSET: usize = 10_000;
/// A word this rare in the index (document frequency) may be a typo: look for near spellings.
const RARE_DOC_FREQ: u64 = 3;
const FUZZY_MIN_CHARS: usize = 5;
const FUZZY_TWO_EDITS_MIN_CHARS: usize = 9;
const SNIPPET_CHARS: usize = 220;

const BOOST_EXACT: f32 = 2.0;
const BOOST_META: f32 = 1.0;
const BOOST_FUZZY: f32 = 0.5;
const BOOST_REFERENCE: f32 = 50.0;

const F_BODY: &str = "body";
const F_KIND: &str = "kind";
const F_YEAR: &str = "year";
const F_PUBLISHED: &str = "published_at";

/// Top hits with their scores, total matches, facet counts.
type Page = (Vec<(f32, DocAddress)>, usize, Facets);

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
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = schema();
        let index = Index::open_or_create(MmapDirectory::open(dir)?, schema)?;
        Self::from_index(index, fields)
    }

    /// A throw-away index in memory (tests, previews).
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        let (schema, fields) = schema();
        Self::from_index(Index::create_in_ram(schema), fields)
    }

    fn from_index(index: Index, fields: Fields) -> Result<SearchIndex, SearchError> {
        analysis::register(&index);
        let cursor = match index.load_metas()?.payload {
            None => 0,
            Some(p) => p.trim().parse().map_err(|_| SearchError::BadCursor(p))?,
        };
        let writer = index.writer_with_num_threads(WRITER_THREADS, WRITER_MEMORY_BYTES)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            inner: Arc::new(Inner {
                index,
                reader,
                writer: Mutex::new(Some(writer)),
                fields,
                cursor: AtomicI64::new(cursor),
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
            .writer_with_num_threads(WRITER_THREADS, WRITER_MEMORY_BYTES)?;
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

    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults, SearchError> {
        let searcher = self.inner.reader.searcher();
        let parsed = parse(&q.q);
        let limit = q.limit.min(MAX_LIMIT);
        let limit = if q.offset > MAX_OFFSET { 0 } else { limit };
        let facets = FacetCollector {
            body_field: F_BODY,
            kind_field: F_KIND,
            year_field: F_YEAR,
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
            });
        }

        let run = |all_words: bool| -> Result<Page, SearchError> {
            let query = self.with_filters(self.text_query(&searcher, &parsed, all_words)?, q);
            // One scored pass feeds ranking, count and facets. Measured: a separate unscored
            // counting pass plus a ranking pass is slower, as the nested query gains nothing
            // from block-max WAND.
            let top = (limit > 0).then(|| {
                TopDocs::with_limit(limit)
                    .and_offset(q.offset)
                    .order_by_score()
            });
            let (top, total, counts) = searcher.search(&*query, &(top, Count, facets))?;
            Ok((top.unwrap_or_default(), total, counts.into_facets()))
        };
        let (mut top, mut total, mut facet_counts) = run(true)?;
        if total == 0 && parsed.words.len() > 1 {
            (top, total, facet_counts) = run(false)?;
        }
        let hits = self.hits(&searcher, &parsed, top.into_iter())?;
        Ok(SearchResults {
            total: total as u64,
            hits,
            facets: facet_counts,
        })
    }

    fn with_filters(&self, query: Box<dyn Query>, q: &SearchQuery) -> Box<dyn Query> {
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
        if filters.is_empty() {
            return query;
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query)];
        for term in filters {
            // A filter narrows, it must not reorder: no score of its own.
            let filter = TermQuery::new(term, IndexRecordOption::Basic);
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(filter), 0.0)),
            ));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    fn text_query(
        &self,
        searcher: &Searcher,
        parsed: &ParsedQuery,
        all_words: bool,
    ) -> Result<Box<dyn Query>, SearchError> {
        let f = self.inner.fields;
        let has_content_word = parsed.words.iter().any(|w| !w.stopword);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in &parsed.words {
            let exact = Term::from_field_text(f.text_exact, &word.exact);
            let mut alternatives: Vec<(Occur, Box<dyn Query>)> = vec![
                (
                    Occur::Should,
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.text_stem, &word.stem),
                        IndexRecordOption::WithFreqs,
                    )),
                ),
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(
                        Box::new(TermQuery::new(exact.clone(), IndexRecordOption::WithFreqs)),
                        BOOST_EXACT,
                    )),
                ),
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(
                        Box::new(TermQuery::new(
                            Term::from_field_text(f.meta, &word.exact),
                            IndexRecordOption::WithFreqs,
                        )),
                        BOOST_META,
                    )),
                ),
            ];
            let chars = word.exact.chars().count();
            if chars >= FUZZY_MIN_CHARS
                && !word.exact.bytes().all(|b| b.is_ascii_digit())
                && searcher.doc_freq(&exact)? < RARE_DOC_FREQ
            {
                let distance = if chars >= FUZZY_TWO_EDITS_MIN_CHARS {
                    2
                } else {
                    1
                };
                alternatives.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(
                        Box::new(FuzzyTermQuery::new(exact, distance, true)),
                        BOOST_FUZZY,
                    )),
                ));
            }
            // Function words only rank when there is something else to look for: requiring
            // "yang" excludes nothing and costs a scan of most of the index.
            let occur = if all_words && !(word.stopword && has_content_word) {
                Occur::Must
            } else {
                Occur::Should
            };
            clauses.push((occur, Box::new(BooleanQuery::new(alternatives))));
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
            return Ok(Box::new(BooleanQuery::new(clauses)));
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
        Ok(Box::new(BooleanQuery::new(either)))
    }

    fn hits(
        &self,
        searcher: &Searcher,
        parsed: &ParsedQuery,
        top: impl Iterator<Item = (f32, DocAddress)>,
    ) -> Result<Vec<Hit>, SearchError> {
        let f = self.inner.fields;
        let mut terms: BTreeMap<String, f32> = BTreeMap::new();
        for word in &parsed.words {
            let weight = if word.stopword { 0.1 } else { 1.0 };
            terms.insert(word.stem.clone(), weight);
        }
        let mut snippets = SnippetGenerator::new(
            terms,
            analysis::stemmed_analyzer(),
            f.snippet_text,
            SNIPPET_CHARS,
        );
        snippets.set_max_num_chars(SNIPPET_CHARS);
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

/// A passage around the best matches, or the start of the text when the match is elsewhere
/// (title, reference, a near spelling).
fn make_snippet(generator: &SnippetGenerator, text: &str) -> (String, String) {
    let mut snippet = generator.snippet(text);
    if !snippet.highlighted().is_empty() {
        snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
        return (snippet.fragment().to_owned(), snippet.to_html());
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
