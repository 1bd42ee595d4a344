//! A search from query to hits: the listing without words, the lookup of a lone registration
//! number, the text search (exact or bounded) and its loosenings, then hits with snippets.

use std::sync::Arc;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BoostQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};

use crate::facets::FacetCollector;
use crate::query::{ParsedQuery, parse};
use crate::snippet::Snippets;
use crate::{Facets, Hit, MAX_LIMIT, SearchError, SearchQuery, SearchResults};

use super::bounded::{Pages, bounded_search};
use super::plan::{BOOST_REFERENCE, WordPlan};
use super::schema::F_PUBLISHED;
use super::{SearchIndex, truncate_bytes};

/// Deeper pages than this are refused (empty): nobody reads them, and the top-k heap grows with
/// `offset + limit`.
const MAX_OFFSET: usize = 10_000;
const SNIPPET_CHARS: usize = 220;

/// Top hits with their scores, total matches, facet counts, whether total and facets are
/// extrapolated.
pub(super) struct Page {
    pub(super) top: Vec<(f32, DocAddress)>,
    pub(super) total: u64,
    pub(super) facets: Facets,
    pub(super) estimate: bool,
}
impl SearchIndex {
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
pub(super) fn exact_search(
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
