//! Facet counting over every match: a match costs one read of a per-segment array and three
//! increments, never a stored-document lookup, so counting a million matches stays cheap.
//!
//! Each segment's body, kind and year are packed into one `u32` per document when the segment
//! becomes searchable ([`FacetCache`] is a tantivy warmer, run by every reload before the new
//! searcher is used). Reading the three fast columns per match instead (column index, then a
//! bit-unpacked value, three times) was a seventh of the instructions of a search. A segment
//! whose values do not fit (more than 65,535 bodies, 63 kinds or a span of 1,022 years) is
//! counted from the columns as before.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, Warmer};
use tantivy::{Searcher, SearcherGeneration};

use crate::Facets;

#[derive(Clone)]
pub(crate) struct FacetCollector {
    pub(crate) cache: Arc<FacetCache>,
}

/// The facet columns' names, one entry per field.
#[derive(Clone, Copy)]
pub(crate) struct FacetFields {
    pub(crate) body: &'static str,
    pub(crate) kind: &'static str,
    pub(crate) year: &'static str,
}

/// The facet values of each searchable segment, by segment. A segment never changes.
pub(crate) struct FacetCache {
    fields: FacetFields,
    /// Whether segments get packed codes (always, but for the test of the column path).
    pack: bool,
    by_segment: Mutex<HashMap<SegmentId, Arc<SegmentFacets>>>,
}

/// Segments come and go with merges, and the warmer forgets those no searcher uses; a cache
/// used without the warmer (never, but bounded all the same) starts again past this many.
const MAX_CACHED_SEGMENTS: usize = 1_024;

/// Bits of the packed code: body ordinal + 1, kind ordinal + 1, year - minimum + 1; zero in a
/// part means "no value".
const BODY_BITS: u32 = 16;
const KIND_BITS: u32 = 6;
const YEAR_BITS: u32 = 10;
const BODY_MASK: u32 = (1 << BODY_BITS) - 1;
const KIND_MASK: u32 = (1 << KIND_BITS) - 1;
const YEAR_MASK: u32 = (1 << YEAR_BITS) - 1;
const _: () = assert!(BODY_BITS + KIND_BITS + YEAR_BITS == 32);

/// One segment's facet values.
pub(crate) struct SegmentFacets {
    body_names: Vec<String>,
    kind_names: Vec<String>,
    year_min: i64,
    /// Years counted in a dense vector from `year_min`.
    year_slots: usize,
    /// One packed code per document, when every value fits.
    codes: Option<Vec<u32>>,
}

fn names(column: Option<&StrColumn>) -> Vec<String> {
    let Some(column) = column else {
        return Vec::new();
    };
    (0..column.num_terms() as u64)
        .map(|ord| {
            let mut name = String::new();
            // An unreadable ordinal keeps an empty name, which counting skips.
            let _ = column.ord_to_str(ord, &mut name);
            name
        })
        .collect()
}

/// Years outside a span this wide from the segment minimum are not counted.
const MAX_YEAR_SPAN: u64 = 1_000;

struct Columns {
    body: Option<StrColumn>,
    kind: Option<StrColumn>,
    year: Column<i64>,
}

impl Columns {
    fn open(fields: FacetFields, segment: &SegmentReader) -> tantivy::Result<Columns> {
        let fast = segment.fast_fields();
        Ok(Columns {
            body: fast.str(fields.body)?,
            kind: fast.str(fields.kind)?,
            year: fast.i64(fields.year)?,
        })
    }
}

impl Columns {
    /// The counting slots of a document: body ordinal + 1, kind ordinal + 1, year offset + 1
    /// (years outside `year_slots` from `year_min` are not counted); 0 where it has no value.
    fn slots(&self, doc: DocId, year_min: i64, year_slots: usize) -> [usize; 3] {
        let ord_slot = |column: Option<&StrColumn>| {
            column
                .and_then(|c| c.ords().first(doc))
                .and_then(|o| usize::try_from(o).ok())
                .map_or(0, |o| o + 1)
        };
        let year = self
            .year
            .first(doc)
            .and_then(|y| usize::try_from(y - year_min).ok())
            .filter(|offset| *offset < year_slots)
            .map_or(0, |offset| offset + 1);
        [
            ord_slot(self.body.as_ref()),
            ord_slot(self.kind.as_ref()),
            year,
        ]
    }
}

impl SegmentFacets {
    fn build(columns: &Columns, max_doc: DocId, pack: bool) -> SegmentFacets {
        let body_names = names(columns.body.as_ref());
        let kind_names = names(columns.kind.as_ref());
        let year_min = columns.year.min_value();
        let span = columns
            .year
            .max_value()
            .abs_diff(year_min)
            .min(MAX_YEAR_SPAN);
        let year_slots = usize::try_from(span).unwrap_or(0) + 1;
        let fits = pack
            && body_names.len() < BODY_MASK as usize
            && kind_names.len() < KIND_MASK as usize
            && year_slots < YEAR_MASK as usize;
        let codes = fits.then(|| {
            (0..max_doc)
                .map(|doc| {
                    // Every slot fits its bits (checked above).
                    let [body, kind, year] = columns.slots(doc, year_min, year_slots);
                    body as u32
                        | ((kind as u32) << BODY_BITS)
                        | ((year as u32) << (BODY_BITS + KIND_BITS))
                })
                .collect()
        });
        SegmentFacets {
            body_names,
            kind_names,
            year_min,
            year_slots,
            codes,
        }
    }
}

impl FacetCache {
    pub(crate) fn new(fields: FacetFields) -> FacetCache {
        FacetCache {
            fields,
            pack: true,
            by_segment: Mutex::new(HashMap::new()),
        }
    }

    /// A cache that counts from the columns, as for a segment whose values do not fit.
    #[cfg(test)]
    fn unpacked(fields: FacetFields) -> FacetCache {
        FacetCache {
            pack: false,
            ..FacetCache::new(fields)
        }
    }

    fn of(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentFacets>> {
        let id = segment.segment_id();
        if let Some(found) = self.lock().get(&id) {
            return Ok(Arc::clone(found));
        }
        // Built outside the lock: a large segment takes milliseconds, and searches of the
        // other segments need not wait for it.
        let columns = Columns::open(self.fields, segment)?;
        let built = Arc::new(SegmentFacets::build(&columns, segment.max_doc(), self.pack));
        let mut cache = self.lock();
        if cache.len() >= MAX_CACHED_SEGMENTS {
            cache.clear();
        }
        Ok(Arc::clone(cache.entry(id).or_insert(built)))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SegmentId, Arc<SegmentFacets>>> {
        self.by_segment
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl Warmer for FacetCache {
    fn warm(&self, searcher: &Searcher) -> tantivy::Result<()> {
        for segment in searcher.segment_readers() {
            // A segment that cannot be read here fails its searches with the error; it must
            // not fail the reload that makes every other change searchable.
            let _ = self.of(segment);
        }
        Ok(())
    }

    fn garbage_collect(&self, live_generations: &[&SearcherGeneration]) {
        let live: HashSet<SegmentId> = live_generations
            .iter()
            .flat_map(|generation| generation.segments().keys().copied())
            .collect();
        self.lock().retain(|id, _| live.contains(id));
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
    facets: Arc<SegmentFacets>,
    /// Read per match only when the segment has no packed codes.
    columns: Option<Columns>,
    /// Slot 0 of each counts "no value" and is never reported.
    body_counts: Vec<u64>,
    kind_counts: Vec<u64>,
    year_counts: Vec<u64>,
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        let facets = self.cache.of(segment)?;
        let columns = match facets.codes {
            Some(_) => None,
            None => Some(Columns::open(self.cache.fields, segment)?),
        };
        Ok(FacetSegmentCollector {
            body_counts: vec![0; facets.body_names.len() + 1],
            kind_counts: vec![0; facets.kind_names.len() + 1],
            year_counts: vec![0; facets.year_slots + 1],
            facets,
            columns,
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

fn bump(counts: &mut [u64], slot: usize) {
    if let Some(n) = counts.get_mut(slot) {
        *n += 1;
    }
}

fn named_counts(names: &[String], counts: &[u64]) -> HashMap<String, u64> {
    counts
        .iter()
        .skip(1)
        .zip(names)
        .filter(|(n, name)| **n > 0 && !name.is_empty())
        .map(|(n, name)| (name.clone(), *n))
        .collect()
}

impl FacetSegmentCollector {
    fn collect_from_columns(&mut self, doc: DocId) {
        let Some(columns) = &self.columns else {
            return;
        };
        let [body, kind, year] = columns.slots(doc, self.facets.year_min, self.facets.year_slots);
        bump(&mut self.body_counts, body);
        bump(&mut self.kind_counts, kind);
        bump(&mut self.year_counts, year);
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let code = match &self.facets.codes {
            Some(codes) => match codes.get(doc as usize) {
                Some(code) => *code,
                None => return,
            },
            None => return self.collect_from_columns(doc),
        };
        bump(&mut self.body_counts, (code & BODY_MASK) as usize);
        bump(
            &mut self.kind_counts,
            ((code >> BODY_BITS) & KIND_MASK) as usize,
        );
        bump(
            &mut self.year_counts,
            (code >> (BODY_BITS + KIND_BITS)) as usize,
        );
    }

    fn harvest(self) -> FacetCounts {
        let year = self
            .year_counts
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, n)| **n > 0)
            .map(|(slot, n)| (self.facets.year_min + slot as i64 - 1, *n))
            .collect();
        FacetCounts {
            body: named_counts(&self.facets.body_names, &self.body_counts),
            kind: named_counts(&self.facets.kind_names, &self.kind_counts),
            year,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::Count;
    use tantivy::query::AllQuery;
    use tantivy::schema::{FAST, INDEXED, STRING, Schema};
    use tantivy::{Index, TantivyDocument};

    /// Packed codes and column reads count the same, over several segments, with documents
    /// lacking a value and deleted ones.
    #[test]
    fn packed_codes_count_as_the_columns() -> tantivy::Result<()> {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", STRING | FAST);
        let kind = schema.add_text_field("kind", STRING | FAST);
        let year = schema.add_i64_field("year", INDEXED | FAST);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000)?;
        for batch in 0..3u64 {
            for i in 0..500u64 {
                let mut doc = TantivyDocument::default();
                if i % 7 != 0 {
                    doc.add_text(body, format!("badan-{}", (i * 31 + batch) % 23));
                }
                if i % 11 != 0 {
                    doc.add_text(kind, ["periodic", "answer", "exempt"][(i % 3) as usize]);
                }
                if i % 13 != 0 {
                    doc.add_i64(year, 2019 + ((i + batch) % 8) as i64);
                }
                writer.add_document(doc)?;
            }
            writer.commit()?;
        }
        writer.delete_term(tantivy::Term::from_field_text(body, "badan-3"));
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        assert_eq!(searcher.segment_readers().len(), 3);
        let fields = FacetFields {
            body: "body",
            kind: "kind",
            year: "year",
        };
        let count = |cache: FacetCache| -> tantivy::Result<(usize, Facets)> {
            let collector = FacetCollector {
                cache: Arc::new(cache),
            };
            let (n, counts) = searcher.search(&AllQuery, &(Count, collector))?;
            Ok((n, counts.into_facets()))
        };
        let (n, packed) = count(FacetCache::new(fields))?;
        let (_, columns) = count(FacetCache::unpacked(fields))?;
        assert_eq!(packed, columns);
        assert!(packed.body.iter().all(|(b, _)| b != "badan-3"));
        // Documents without a body (one in seven) are not counted under any body.
        let with_body = packed.body.iter().map(|(_, c)| *c).sum::<u64>() as usize;
        assert!(
            with_body < n && with_body > n * 6 / 7 - 50,
            "{with_body} of {n}"
        );
        assert_eq!(packed.year.len(), 8);
        assert_eq!(packed.kind.len(), 3);
        Ok(())
    }

    #[test]
    fn codes_pack_without_overlap() {
        let code = 65_534 | (62 << BODY_BITS) | (1_022 << (BODY_BITS + KIND_BITS));
        assert_eq!(code & BODY_MASK, 65_534);
        assert_eq!((code >> BODY_BITS) & KIND_MASK, 62);
        assert_eq!(code >> (BODY_BITS + KIND_BITS), 1_022);
    }
}
