//! Any query text, offset and limit: the search answers, never an error or a panic.
#![no_main]

use std::sync::LazyLock;

use lentera_search::{IndexDoc, IndexOp, SearchIndex, SearchQuery};
use libfuzzer_sys::fuzz_target;

static INDEX: LazyLock<SearchIndex> = LazyLock::new(|| {
    let index = SearchIndex::in_memory().expect("index");
    let docs = [
        (
            "a",
            "periodic",
            "Laporan keuangan",
            "Permohonan informasi pengadaan barang.",
        ),
        (
            "b",
            "answer",
            "Jawaban keberatan",
            "Informasi yang dikecualikan sebagian.",
        ),
        (
            "c",
            "periodic",
            "Anggaran desa",
            "Realisasi anggaran pembangunan jembatan 2025.",
        ),
    ];
    let ops = docs
        .iter()
        .enumerate()
        .map(|(i, (id, kind, title, text))| {
            IndexOp::Upsert(IndexDoc {
                id: (*id).to_owned(),
                kind: (*kind).to_owned(),
                body_slug: "kab-kendal".to_owned(),
                body_name: "Pemerintah Kabupaten Kendal".to_owned(),
                year: 2024 + i as i32,
                title: (*title).to_owned(),
                text: (*text).to_owned(),
                reference: format!("REF-{id}"),
                url: format!("/kab-kendal/informasi/{id}"),
                published_at: 1_700_000_000 + i as i64,
            })
        })
        .collect();
    index.apply(ops, 1).expect("apply");
    index
});

fuzz_target!(|data: &[u8]| {
    let Some((&[offset, limit], text)) = data.split_first_chunk::<2>() else {
        return;
    };
    let query = SearchQuery {
        q: String::from_utf8_lossy(text).into_owned(),
        offset: usize::from(offset),
        limit: usize::from(limit),
        ..SearchQuery::default()
    };
    let results = INDEX
        .search(&query)
        .expect("search never fails on user input");
    // Three documents are indexed.
    assert!(results.hits.len() <= 3 && results.total <= 3, "{results:?}");
});
