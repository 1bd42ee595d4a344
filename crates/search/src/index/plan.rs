//! From a parsed query to tantivy queries: what the index says of each word (near spellings,
//! document frequencies), the estimate of the matches that picks the way to search, filters,
//! and the text query with its boosts.

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use crate::fuzzy;
use crate::lazy_sum::LazySumQuery;
use crate::query::{ParsedQuery, Word};
use crate::{SearchError, SearchQuery};

use super::SearchIndex;

/// A word this rare in the index (document frequency) may be a typo: look for near spellings.
const RARE_DOC_FREQ: u64 = 3;
const FUZZY_MIN_CHARS: usize = 5;
const FUZZY_TWO_EDITS_MIN_CHARS: usize = 9;
/// Near spellings beyond this many are merged by tantivy's buffered union rather than lazily:
/// a lazy merge steps through every clause at each document.
const LAZY_SUM_MAX_CLAUSES: usize = 16;

const BOOST_EXACT: f32 = 2.0;
const BOOST_META: f32 = 1.0;
const BOOST_FUZZY: f32 = 0.5;
pub(super) const BOOST_REFERENCE: f32 = 50.0;

/// A word of the query with what the index says of it, looked up once for both the all-words
/// query and its any-word fallback.
pub(super) struct WordPlan<'a> {
    pub(super) word: &'a Word,
    /// The largest document frequency among the word's stem, exact and metadata terms.
    pub(super) max_doc_freq: u64,
    /// Whether the word itself, as typed, is in the text of some document.
    pub(super) in_text: bool,
    /// Whether the word is in the metadata (reference, body name) of some document.
    pub(super) in_meta: bool,
    /// Edit distance of the near-spelling alternative, when the word looks like a typo.
    pub(super) fuzzy: Option<u8>,
    /// The near spellings in the text, with their document frequencies (see `fuzzy.rs`).
    pub(super) near: Vec<(Term, u64)>,
}
impl SearchIndex {
    /// Looks up, once per query, the document frequencies that decide each word's alternatives
    /// and the estimate of the number of matches.
    pub(super) fn plan<'a>(
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
    pub(super) fn estimate_matches(
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

    pub(super) fn with_filters(&self, query: Box<dyn Query>, q: &SearchQuery) -> Box<dyn Query> {
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

    pub(super) fn text_query(
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
}
