//! Embedded full-text search of Lentera: a tantivy index with an Indonesian analyser, the
//! extraction of text from uploaded documents, and a generator of realistic benchmark corpora.
//!
//! The crate knows nothing of the database: the application feeds it [`IndexOp`]s together with
//! a cursor (its own change-log position), and reads the cursor back after a restart to know
//! where to resume. [`SearchIndex::clear`] is the way to a full rebuild.
//!
//! How the application drives it (outbox, cache, concurrency) is described at the end, "Around
//! the crate"; the measurements behind the choices below are in `docs/BENCHMARKS.md`.
//!
//! # Query language
//!
//! There is none, on purpose: user input is never handed to tantivy's query parser, so quotes,
//! operators and punctuation can never produce an error (`query.rs`). The input is cut to
//! [`MAX_QUERY_CHARS`] characters and [`MAX_QUERY_TOKENS`] words. Each word matches its stem in
//! the title and text, or itself in the metadata (reference number and body name, by words); the
//! word as typed also adds to the score. Every word is required, except that function words
//! (*yang*, *dan*, …) only rank when the query has another word; when no document has them
//! all, any word is enough. Text between double quotes must also appear as a phrase. A whole
//! reference number among the words matches on its own, whatever the other words.
//!
//! A word that looks like a typo (at least 5 characters, not all digits, and fewer than 3
//! documents holding its stem, itself or its metadata form) also matches the words within one
//! edit of it, two from 9 characters, that start with the same letter; only when that finds
//! nothing for the whole query is the walk repeated over every first letter.
//!
//! A query that is a registration number on its own (`0012/PPID-KENDAL/2026`) and that some
//! document carries is a lookup: exactly the documents that carry it, with the filters. A number
//! nobody carries is searched by its parts, all of them, and never loosened to any of its parts
//! ("ppid" and a year match most of an index); that loosening had made such queries the
//! costliest 5 % of the benchmark's mix.
//!
//! A query without any word (empty, or only punctuation) lists the documents that pass the
//! filters, newest first: it is how a listing page browses the index.
//!
//! # Fields and analysers
//!
//! `analysis.rs` defines the analysers, shared by indexing, querying and snippets so that a word
//! is cut the same way everywhere. Words are lower-cased and ASCII-folded, and words longer than
//! 40 bytes (base64, hashes) are dropped. The fields (`index.rs`, `schema`):
//! - `text_stem`: title and text, stemmed, with frequencies.
//! - `text_exact`: the same as typed, with positions for phrases.
//! - `meta`: reference number and body name, by words.
//! - `reference`: the whole reference number as one token.
//! - `body`, `kind`, `year`: filters and facets (fast fields); `published_at` for the order.
//! - Stored for the hit: id, title, URL, body name, and the first [`MAX_STORED_TEXT_BYTES`] of
//!   the text to cut snippets from. Only the first [`MAX_INDEXED_TEXT_BYTES`] of a text are
//!   indexed.
//!
//! Stemming is Sastrawi's dictionary stemmer (`stem.rs`), not Snowball's Indonesian, whose
//! algorithmic rules send `memohon` and `pemohon` to `pohon`. A short override list puts
//! `pemohon` and `termohon` at `mohon` too; words under 4 characters, numbers, codes and words
//! outside ASCII are left alone. Stems are memoised per thread (`stem::with_stem`, no allocation for a known word;
//! the memo is dropped whole past 200,000 words).
//!
//! # The shape of a query
//!
//! The uncached query is shaped for intersections (`SearchIndex::search` and `text_query` in
//! `index.rs`):
//! - A required word is one posting list, or a lazily merged sum of its alternatives (stem,
//!   metadata, near spellings; `lazy_sum.rs`).
//! - The optional clauses (the words as typed, function words) are one lazily merged clause.
//!   It is sought only at the documents the required words found.
//! - tantivy's buffered union is never used where a union is only sought: it decodes and
//!   scores every posting of the frequent words in each 4,096-document window it is sought
//!   into, which was two thirds of the time of the slowest queries. The exception: more than
//!   16 near spellings of a word are merged by tantivy's union.
//! - Filters (body, kind, year) are constant-score clauses of zero: they narrow, they never
//!   reorder.
//! - Near spellings are expanded once per search into the terms they stand for, with their
//!   document frequencies (`fuzzy.rs`, a walk of one first letter's part of the dictionary),
//!   not by tantivy's fuzzy query, which walks the dictionary for every scorer it makes (per
//!   segment, and per window of a bounded search). The match count is then estimated like
//!   any word's.
//!
//! # Bounded work for huge match sets
//!
//! A query whose words match a large part of the index (say "permohonan informasi", which a
//! third of a portal's documents contain) is not scored and counted to the last match.
//! - The budget is in match-clauses: [`SearchIndex::work_budget`] ([`DEFAULT_WORK_BUDGET`],
//!   5,000) is divided by the query's clauses (its words, phrases and filters), so a two-word
//!   query visits its newest 2,500 matches or so. 10,000 made the average search a quarter
//!   slower.
//! - When the estimate from document frequencies (`estimate_matches`) exceeds four fifths of
//!   that share, the search is bounded (`bounded_search`). It visits the newest matches first
//!   and stops after the budget, ranking what it visits by the required words only.
//! - The optional clauses score just the best 30 candidates at the end (`RESCORE_DEPTH`; the
//!   same depth for every page, so pages agree). Seeking their long posting lists at every
//!   match had been a quarter of the search time, and rescoring 100 candidates instead of 30
//!   made searches a quarter slower.
//! - "Newest first" comes from the index layout, without reading a document. Segments are
//!   taken by their newest `published_at`, each from its end backwards, in windows of 65,536
//!   documents (`WINDOW_DOCS`). Each next window is sized for what is left of the budget at
//!   the density of matches seen, at most 8 times the last (`WINDOW_GROWTH`), so a sparse
//!   query crosses a segment in a few scorer set-ups instead of sixteen.
//! - The hits are then the best scored among the newest matches, the `total` and the facet
//!   counts are extrapolated from the share of the index traversed, and
//!   [`SearchResults::total_is_estimate`] is set.
//!
//! For a public-information portal, where recent documents matter most and nobody pages
//! through a hundred thousand results, this trade keeps every query to a few milliseconds. A
//! query that turns out to match fewer documents than the budget is still answered exactly
//! (`exact_search`: one scored pass for ranking, count and facets). Pages beyond an offset of
//! 10,000 are empty.
//!
//! # Snippets
//!
//! Snippets are cut by `snippet.rs`, not by tantivy's `SnippetGenerator`. That generator ran the
//! analyser chain with a string per word and cost a seventh of a search. Here a word is cut,
//! lower-cased into one buffer and stemmed through the per-thread memo. The passage is the
//! window of at most 220 bytes with the most distinct query words (function words weigh less).
//!
//! Only the words that can match are stemmed (`Snippets::matches`). The stemmer takes affixes
//! off and at most recodes the first letter of what remains (`menulis` → `tulis`), so a word
//! that stems to a query stem contains that stem after its first letter. A substring search of
//! the lower-cased text finds the candidates, and words with letters outside ASCII are always
//! stemmed. A test checks the rule over every affix combination of a list of roots (with and
//! without the melted first letter), and a property test checks that the fast path finds
//! exactly what stemming every word finds (`matches_by_scan`). Stemming every word was a sixth
//! of the instructions of a search.
//!
//! # Facets
//!
//! Facets are counted from one packed `u32` per document and segment (body ordinal, kind
//! ordinal, year offset: `facets.rs`). It is built when a segment becomes searchable, by a
//! tantivy warmer on every reload, and forgotten when no searcher uses the segment. Reading
//! three fast columns per match had been a seventh of a search's instructions. A segment whose
//! values do not fit (more than 65,535 bodies, 63 kinds or a span of 1,022 years) is counted
//! from the columns, and a test checks that both ways agree.
//!
//! # Storage and writing
//!
//! A new index stores documents in 4 KiB blocks (tantivy's default is 16 KiB). Each hit read
//! decompresses its whole block, and with 16 KiB blocks a page of ten hits was a tenth of a
//! search's time; 4 KiB cost a few percent of compression. The serving process writes with one
//! thread and a 48 MiB arena (one outbox batch at a time); [`SearchIndex::open_bulk`] uses two
//! threads and 192 MiB for corpus loads. Every [`SearchIndex::apply`] is one commit carrying the
//! caller's cursor as its payload ([`SearchIndex::cursor`] reads it back); a failed batch is
//! rolled back, not carried into the next commit.
//!
//! # Around the crate
//!
//! The application's side of the index is in `crates/app/src/indexer.rs`:
//! - **Outbox.** Every change the public could see writes a row to `search_outbox` in its own
//!   transaction. `App::sync_index` applies the rows past the index's cursor, the newest row
//!   of an entity winning, and commits with the last id as the cursor. On PostgreSQL the
//!   outbox insert takes a table lock until commit, so ids grow in commit order and a cursor
//!   never skips a late commit. Writers apply the outbox before answering
//!   (`App::after_register_change`). The background loop follows it every second, and at once
//!   when another node signals `o`. `lentera reindex` (`App::reindex`) clears the index and
//!   rebuilds it from the database.
//! - **Cache.** `App::search` answers repeated searches from a cache keyed by the query
//!   (whitespace-normalised, lower-cased), the filters, limit and offset. Counting and ranking
//!   a query that matches half of a million documents costs tens of milliseconds on two
//!   cores. The cache is emptied on every change of the index, and a result computed before a
//!   change is not stored after it.
//!
//!   It holds two generations of up to 10,000 entries: the current one becomes the previous
//!   one when full, and a hit in the previous one moves back. Popular queries thus stay while
//!   one-off queries age out; emptying the whole cache when full had made every popular query
//!   miss at once. Results are shared (`Arc`), never copied per hit.
//! - **Slots.** Uncached searches run one per core (a fair semaphore; `LENTERA_SEARCH_SLOTS`
//!   to change): more would share the cores and stretch every costly query by the number
//!   running beside it.
//! - **Inline.** Searches run on the runtime's worker thread that took the request, not in
//!   tokio's blocking pool. A search does bounded work (the work budget), and the hand-off to
//!   the pool and back (two cross-thread wake-ups of parked threads, costly on a virtual
//!   machine) took as much CPU as the search itself: inline, the same searches used half the
//!   CPU per request and served twice as many per second. The price is that while every
//!   worker is searching, other requests wait for a search to finish (under a millisecond
//!   mostly). `LENTERA_SEARCH_INLINE=0` restores the blocking pool.

mod analysis;
pub mod corpus;
pub mod extract;
mod facets;
mod fuzzy;
mod index;
mod lazy_sum;
mod query;
mod snippet;
pub mod stem;

use serde::Serialize;

pub use extract::ExtractError;
pub use index::{DEFAULT_WORK_BUDGET, SearchIndex};

/// User input beyond this many characters is ignored.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Words of a query beyond this many are ignored.
pub const MAX_QUERY_TOKENS: usize = 32;
/// Body text beyond this many bytes is not indexed.
pub const MAX_INDEXED_TEXT_BYTES: usize = 1 << 20;
/// Bytes of body text kept in the index to cut snippets from.
pub const MAX_STORED_TEXT_BYTES: usize = 3 * 1024;
/// The largest page a search returns; larger limits are reduced to it.
pub const MAX_LIMIT: usize = 1_000;
/// Kinds of indexed items.
pub const KINDS: [&str; 6] = [
    "periodic",
    "immediate",
    "any_time",
    "exempt",
    "answer",
    "document",
];

/// One item to index. Upserting a document with an `id` already in the index replaces it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndexDoc {
    /// Stable unique key, such as `entry:0190…`, `answer:…` or `document:…`.
    pub id: String,
    /// One of [`KINDS`].
    pub kind: String,
    pub body_slug: String,
    pub body_name: String,
    pub year: i32,
    pub title: String,
    /// Summary, answer text or extracted document text; only the first
    /// [`MAX_INDEXED_TEXT_BYTES`] are indexed.
    pub text: String,
    /// Registration or decision number, matched whole and by parts.
    pub reference: String,
    /// Permanent public path, returned as is.
    pub url: String,
    /// Unix seconds.
    pub published_at: i64,
}

/// A change to the index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IndexOp {
    Upsert(IndexDoc),
    /// Removes the document with this id (nothing happens if there is none).
    Delete(String),
}

/// What to search for. `limit` is capped at [`MAX_LIMIT`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchQuery {
    pub q: String,
    /// A body slug.
    pub body: Option<String>,
    pub kind: Option<String>,
    pub year: Option<i32>,
    pub limit: usize,
    pub offset: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SearchResults {
    /// Number of matching documents; an extrapolation when `total_is_estimate` is set.
    pub total: u64,
    pub hits: Vec<Hit>,
    /// Counts over the matches; extrapolated like `total` when `total_is_estimate` is set.
    pub facets: Facets,
    /// The query matched so many documents that only the newest of them were visited: `total`
    /// and `facets` are extrapolations (rounded, never below the matches actually seen, never
    /// above the number of documents) and `hits` are the best among the visited matches. See
    /// the crate documentation, "Bounded work for huge match sets".
    pub total_is_estimate: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Hit {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub url: String,
    pub body_slug: String,
    pub body_name: String,
    pub year: i32,
    /// Plain text.
    pub snippet: String,
    /// HTML-escaped text with `<mark>` around the matches: safe to insert as is.
    pub snippet_html: String,
    /// Relevance; 0 when the results are listed newest first.
    pub score: f32,
}

/// Counts over all matches (not only the returned page), largest first, ties by value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    pub body: Vec<(String, u64)>,
    pub kind: Vec<(String, u64)>,
    pub year: Vec<(i32, u64)>,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index directory: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("search index I/O: {0}")]
    Io(#[from] std::io::Error),
    #[error("search index commit payload is not a cursor: {0:?}")]
    BadCursor(String),
    #[error("search index writer is unavailable after an earlier failure")]
    WriterGone,
}
