//! The bounded search for queries matching a large part of the index: estimated totals and
//! facets, exact answers below the threshold, newest documents first.

mod common;

use common::doc;
use lentera_search::{
    DEFAULT_WORK_BUDGET, IndexOp, SearchIndex, SearchQuery, SearchResults, corpus,
};

fn query(index: &SearchIndex, q: &str, offset: usize, limit: usize) -> SearchResults {
    index
        .search(&SearchQuery {
            q: q.to_owned(),
            offset,
            limit,
            ..SearchQuery::default()
        })
        .expect("search")
}

fn facet_sum<K>(counts: &[(K, u64)]) -> u64 {
    counts.iter().map(|(_, n)| n).sum()
}

fn assert_sorted_desc<K>(counts: &[(K, u64)]) {
    assert!(counts.windows(2).all(|w| w[0].1 >= w[1].1), "not sorted");
}

fn within(actual: u64, expected: u64, percent: u64) -> bool {
    actual.abs_diff(expected) * 100 <= expected * percent
}

#[test]
fn huge_match_sets_are_estimated_small_ones_exact() {
    let index = SearchIndex::in_memory().expect("index");
    assert_eq!(index.work_budget(), DEFAULT_WORK_BUDGET);
    let docs: Vec<_> = corpus::generate(20_000, 7).collect();
    // Several commits, so that several segments are traversed.
    for (i, chunk) in docs.chunks(5_000).enumerate() {
        let ops = chunk.iter().cloned().map(IndexOp::Upsert).collect();
        index.apply(ops, i as i64 + 1).expect("apply");
    }
    assert_eq!(index.num_docs(), 20_000);

    let common = ["permohonan informasi", "pengadaan", "anggran"];
    let rare = "stunting kendal";
    // A budget above these match counts: every answer is exact.
    index.set_work_budget(10_000_000);
    let exact: Vec<SearchResults> = common.iter().map(|q| query(&index, q, 0, 10)).collect();
    let exact_rare = query(&index, rare, 0, 10);
    let exact_fallback = query(&index, "permohonan qwzxv", 0, 10);
    for r in exact.iter().chain([&exact_rare, &exact_fallback]) {
        assert!(!r.total_is_estimate);
    }
    for (q, r) in common.iter().zip(&exact) {
        assert!(r.total > 2_000, "{q:?} matches only {}", r.total);
        assert_eq!(facet_sum(&r.facets.kind), r.total);
    }
    assert!(exact_rare.total > 0 && exact_rare.total < 400);
    assert!(exact_fallback.total > 2_000);

    index.set_work_budget(1_000);
    for (q, exact) in common.iter().zip(&exact) {
        let r = query(&index, q, 0, 10);
        assert!(r.total_is_estimate, "{q:?}");
        assert!(
            within(r.total, exact.total, 30),
            "{q:?}: estimated {} for {} matches",
            r.total,
            exact.total
        );
        assert_eq!(r.hits.len(), 10);
        assert!(r.hits.windows(2).all(|w| w[0].score >= w[1].score));
        assert!(r.hits.iter().all(|h| h.score > 0.0));
        for (name, sum) in [
            ("body", facet_sum(&r.facets.body)),
            ("kind", facet_sum(&r.facets.kind)),
            ("year", facet_sum(&r.facets.year)),
        ] {
            assert!(
                within(sum, r.total, 2),
                "{q:?}: {name} facets sum to {sum}, total {}",
                r.total
            );
        }
        assert_sorted_desc(&r.facets.body);
        assert_sorted_desc(&r.facets.kind);
        assert_sorted_desc(&r.facets.year);
        // The estimated share of each kind stays close to the exact one.
        for (kind, n) in &exact.facets.kind {
            let estimated = r
                .facets
                .kind
                .iter()
                .find(|(k, _)| k == kind)
                .map_or(0, |(_, m)| *m);
            assert!(
                within(estimated, *n, 35),
                "{q:?}: kind {kind} estimated {estimated}, exact {n}"
            );
        }

        // Pages of a bounded search are consistent with each other.
        let first = query(&index, q, 0, 20);
        let second = query(&index, q, 10, 10);
        let ids = |r: &SearchResults| r.hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&first)[10..], ids(&second)[..]);
        assert_eq!(ids(&first)[..10], ids(&r)[..]);
        assert_eq!(query(&index, q, 0, 0).total, r.total);
    }

    // Below the threshold nothing changes.
    let r = query(&index, rare, 0, 10);
    assert!(!r.total_is_estimate);
    assert_eq!(r.total, exact_rare.total);
    assert_eq!(r.facets, exact_rare.facets);
    assert_eq!(r.hits, exact_rare.hits);

    // The any-word fallback (no document has both words) is bounded the same way.
    let r = query(&index, "permohonan qwzxv", 0, 10);
    assert!(r.total_is_estimate);
    assert!(within(r.total, exact_fallback.total, 30));
    assert!(!r.hits.is_empty());

    // A filter that leaves few matches is answered exactly even on the bounded path.
    let filtered = SearchQuery {
        q: "permohonan informasi".into(),
        year: Some(2021),
        body: Some(docs[0].body_slug.clone()),
        limit: 10,
        ..SearchQuery::default()
    };
    let r = index.search(&filtered).expect("search");
    index.set_work_budget(DEFAULT_WORK_BUDGET);
    let e = index.search(&filtered).expect("search");
    assert!(!r.total_is_estimate);
    assert_eq!(r.total, e.total);
    assert_eq!(r.facets, e.facets);
}

#[test]
fn bounded_search_prefers_the_newest_documents() {
    let index = SearchIndex::in_memory().expect("index");
    let batch = |prefix: &str, year: i32, n: usize| -> Vec<IndexOp> {
        (0..n)
            .map(|i| {
                IndexOp::Upsert(doc(
                    &format!("{prefix}{i}"),
                    "periodic",
                    "kab-kendal",
                    year,
                    "Laporan keuangan",
                    // The old documents say it twice: they would score higher.
                    if prefix == "old" {
                        "Rincian keuangan dan keuangan daerah."
                    } else {
                        "Rincian keuangan daerah."
                    },
                ))
            })
            .collect()
    };
    index.apply(batch("old", 2019, 600), 1).expect("apply");
    index.apply(batch("new", 2025, 300), 2).expect("apply");
    index.set_work_budget(100);
    let r = query(&index, "keuangan", 0, 10);
    assert!(r.total_is_estimate);
    assert!(r.hits.iter().all(|h| h.id.starts_with("new")), "{r:?}");
    assert_eq!(r.facets.year, [(2025, r.total)]);
    // Extrapolated from the newest documents only, but never beyond the index.
    assert!(r.total <= 900);

    index.set_work_budget(10_000);
    let r = query(&index, "keuangan", 0, 10);
    assert!(!r.total_is_estimate);
    assert_eq!(r.total, 900);
    assert!(r.hits.iter().all(|h| h.id.starts_with("old")));
}
