//! Facet counting over every match, from the fast columns: a match costs an ordinal read and an
//! increment, never a stored-document lookup, so counting a million matches stays cheap.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::Facets;

#[derive(Clone)]
pub(crate) struct FacetCollector {
    pub(crate) body_field: &'static str,
    pub(crate) kind_field: &'static str,
    pub(crate) year_field: &'static str,
    pub(crate) names: Arc<FacetNames>,
}

/// The values of a segment's facet columns by ordinal. A segment never changes, and reading
/// its dictionary for every search was a few percent of the time of each.
#[derive(Default)]
pub(crate) struct FacetNames {
    by_segment: Mutex<HashMap<ColumnKey, Arc<[String]>>>,
}

/// A segment and the name of one of its columns.
type ColumnKey = (SegmentId, &'static str);

/// Segments come and go with merges; past this many entries the cache starts again.
const MAX_CACHED_COLUMNS: usize = 256;

impl FacetNames {
    fn of(&self, segment: SegmentId, field: &'static str, column: &StrColumn) -> Arc<[String]> {
        let mut cache = self
            .by_segment
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(found) = cache.get(&(segment, field)) {
            return Arc::clone(found);
        }
        let mut names = Vec::with_capacity(column.num_terms());
        for ord in 0..column.num_terms() as u64 {
            let mut name = String::new();
            // An unreadable ordinal keeps an empty name, which counting skips.
            let _ = column.ord_to_str(ord, &mut name);
            names.push(name);
        }
        let names: Arc<[String]> = names.into();
        if cache.len() >= MAX_CACHED_COLUMNS {
            cache.clear();
        }
        cache.insert((segment, field), Arc::clone(&names));
        names
    }
}

#[derive(Default)]
pub(crate) struct FacetCounts {
    body: HashMap<String, u64>,
    kind: HashMap<String, u64>,
    year: HashMap<i64, u64>,
}

impl FacetCounts {
    pub(crate) fn into_facets(self) -> Facets {
        fn sorted<K: Ord>(map: HashMap<K, u64>) -> Vec<(K, u64)> {
            let mut v: Vec<(K, u64)> = map.into_iter().filter(|(_, n)| *n > 0).collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v
        }
        Facets {
            body: sorted(self.body),
            kind: sorted(self.kind),
            year: sorted(self.year)
                .into_iter()
                .filter_map(|(y, n)| i32::try_from(y).ok().map(|y| (y, n)))
                .collect(),
        }
    }
}

pub(crate) struct FacetSegmentCollector {
    body: Option<StrColumn>,
    kind: Option<StrColumn>,
    body_names: Arc<[String]>,
    kind_names: Arc<[String]>,
    year: Column<i64>,
    body_counts: Vec<u64>,
    kind_counts: Vec<u64>,
    /// Years are few and close together: a dense vector from `year_min` beats a hash map.
    year_min: i64,
    year_counts: Vec<u64>,
}

/// Years outside a span this wide from the segment minimum are not counted densely.
const MAX_YEAR_SPAN: u64 = 1_000;

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        let fast = segment.fast_fields();
        let body = fast.str(self.body_field)?;
        let kind = fast.str(self.kind_field)?;
        let year = fast.i64(self.year_field)?;
        let year_min = year.min_value();
        let span = year.max_value().abs_diff(year_min).min(MAX_YEAR_SPAN);
        let id = segment.segment_id();
        let names_of = |field, column: &Option<StrColumn>| match column {
            Some(column) => self.names.of(id, field, column),
            None => Arc::from(Vec::new()),
        };
        Ok(FacetSegmentCollector {
            body_names: names_of(self.body_field, &body),
            kind_names: names_of(self.kind_field, &kind),
            body_counts: vec![0; body.as_ref().map_or(0, |c| c.num_terms())],
            kind_counts: vec![0; kind.as_ref().map_or(0, |c| c.num_terms())],
            year_counts: vec![0; usize::try_from(span).unwrap_or(0) + 1],
            body,
            kind,
            year,
            year_min,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut all = FacetCounts::default();
        for fruit in fruits {
            for (k, n) in fruit.body {
                *all.body.entry(k).or_default() += n;
            }
            for (k, n) in fruit.kind {
                *all.kind.entry(k).or_default() += n;
            }
            for (k, n) in fruit.year {
                *all.year.entry(k).or_default() += n;
            }
        }
        Ok(all)
    }
}

fn count_ord(column: Option<&StrColumn>, counts: &mut [u64], doc: DocId) {
    if let Some(column) = column
        && let Some(ord) = column.ords().first(doc)
        && let Some(slot) = usize::try_from(ord).ok().and_then(|o| counts.get_mut(o))
    {
        *slot += 1;
    }
}

fn named_counts(names: &[String], counts: &[u64]) -> HashMap<String, u64> {
    counts
        .iter()
        .zip(names)
        .filter(|(n, name)| **n > 0 && !name.is_empty())
        .map(|(n, name)| (name.clone(), *n))
        .collect()
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        count_ord(self.body.as_ref(), &mut self.body_counts, doc);
        count_ord(self.kind.as_ref(), &mut self.kind_counts, doc);
        if let Some(year) = self.year.first(doc)
            && let Some(slot) = usize::try_from(year - self.year_min)
                .ok()
                .and_then(|i| self.year_counts.get_mut(i))
        {
            *slot += 1;
        }
    }

    fn harvest(self) -> FacetCounts {
        let year = self
            .year_counts
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(i, n)| (self.year_min + i as i64, *n))
            .collect();
        FacetCounts {
            body: named_counts(&self.body_names, &self.body_counts),
            kind: named_counts(&self.kind_names, &self.kind_counts),
            year,
        }
    }
}
