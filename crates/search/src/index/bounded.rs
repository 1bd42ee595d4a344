//! The bounded search for huge match sets: matches visited newest first in growing windows
//! until the work budget runs out, the best candidates rescored, totals and facets
//! extrapolated.

use std::cmp::{Ordering as CmpOrdering, Reverse};
use std::collections::BinaryHeap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{EnableScoring, Query};
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, SegmentReader, TERMINATED};

use crate::facets::FacetCollector;
use crate::{Facets, SearchError};

use super::schema::F_PUBLISHED;
use super::search::Page;

/// Documents a bounded search visits with one scorer at first: segments are read from their
/// end in windows, so that the newest documents of a big merged segment come first.
const WINDOW_DOCS: DocId = 65_536;
/// Each next window is sized to hold what is left of the budget at the density of matches
/// seen so far, within this many times the previous window: a query whose matches are sparse
/// crosses a million documents in a few windows instead of sixteen (each window sets up a
/// scorer: term lookups, posting lists opened, skip lists read).
const WINDOW_GROWTH: u64 = 8;

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
pub(super) struct Pages {
    pub(super) offset: usize,
    pub(super) limit: usize,
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
pub(super) fn bounded_search(
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
