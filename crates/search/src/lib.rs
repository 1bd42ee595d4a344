//! Embedded full-text search of Lentera: a tantivy index with an Indonesian analyser, the
//! extraction of text from uploaded documents, and a generator of realistic benchmark corpora.
//!
//! The crate knows nothing of the database: the application feeds it [`IndexOp`]s together with
//! a cursor (its own change-log position), and reads the cursor back after a restart to know
//! where to resume. [`SearchIndex::clear`] is the way to a full rebuild.
//!
//! # Query language
//!
//! There is none, on purpose: user input is never handed to tantivy's query parser, so quotes,
//! operators and punctuation can never produce an error. The input is cut to
//! [`MAX_QUERY_CHARS`] characters and [`MAX_QUERY_TOKENS`] words, each word matches its stem,
//! itself (ranked higher) or a part of a reference number, and every word is required; when
//! that finds nothing, any word is enough. Text between double quotes must also appear as a
//! phrase. A rare word (absent or nearly absent from the index) also matches words within one
//! or two typing mistakes of it that start with the same letter, or with any letter when the
//! query finds nothing otherwise.
//!
//! A query without any word (empty, or only punctuation) lists the documents that pass the
//! filters, newest first: it is how a listing page browses the index.
//!
//! # Bounded work for huge match sets
//!
//! A query whose words match a large part of the index (say "permohonan informasi", which a
//! third of a portal's documents contain) is not scored and counted to the last match: when the
//! document frequencies of its words say it may match more than about
//! [`SearchIndex::work_budget`] documents, the search visits the newest matches first and stops
//! after that many. The hits are then the best scored among the newest matches, the `total`
//! and the facet counts are extrapolated from the share of the index visited, and
//! [`SearchResults::total_is_estimate`] is set. For a public-information portal, where recent
//! documents matter most and nobody pages through a hundred thousand results, this trade keeps
//! every query to a few milliseconds. A query that turns out to match fewer documents than the
//! budget is still answered exactly.

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
