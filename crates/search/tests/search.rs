mod common;

use common::{doc, ids, index_with, search};
use lentera_search::{IndexOp, SearchIndex, SearchQuery};

#[test]
fn stem_finds_affixed_forms() {
    let index = index_with(vec![
        doc(
            "a",
            "answer",
            "kab-kendal",
            2025,
            "Jawaban",
            "Permohonan salinan kontrak telah diproses.",
        ),
        doc(
            "b",
            "periodic",
            "kab-kendal",
            2025,
            "Laporan",
            "Laporan realisasi belanja modal.",
        ),
    ]);
    assert_eq!(ids(&search(&index, "mohon")), ["a"]);
    assert_eq!(ids(&search(&index, "MEMOHON")), ["a"]);
}

#[test]
fn exact_word_ranks_above_same_stem() {
    let index = index_with(vec![
        doc(
            "pemohon",
            "answer",
            "kab-kendal",
            2025,
            "Jawaban satu",
            "Data pemohon dicatat oleh petugas layanan.",
        ),
        doc(
            "permohonan",
            "answer",
            "kab-kendal",
            2025,
            "Jawaban dua",
            "Data permohonan dicatat oleh petugas layanan.",
        ),
    ]);
    let r = search(&index, "permohonan");
    assert_eq!(ids(&r), ["permohonan", "pemohon"]);
    assert!(r.hits[0].score > r.hits[1].score);
}

#[test]
fn all_words_required_then_any_word() {
    let index = index_with(vec![
        doc(
            "a",
            "periodic",
            "kab-kendal",
            2025,
            "Anggaran kesehatan",
            "Realisasi anggaran puskesmas.",
        ),
        doc(
            "b",
            "periodic",
            "kab-kendal",
            2025,
            "Anggaran pendidikan",
            "Realisasi anggaran sekolah.",
        ),
    ]);
    assert_eq!(ids(&search(&index, "anggaran puskesmas")), ["a"]);
    // No document has both words: falls back to any word.
    let r = search(&index, "puskesmas sekolah");
    assert_eq!(r.total, 2);
}

#[test]
fn quoted_phrase_must_appear_in_order() {
    let index = index_with(vec![
        doc(
            "a",
            "periodic",
            "kab-kendal",
            2025,
            "Satu",
            "realisasi anggaran daerah",
        ),
        doc(
            "b",
            "periodic",
            "kab-kendal",
            2025,
            "Dua",
            "anggaran untuk realisasi daerah",
        ),
    ]);
    assert_eq!(search(&index, "realisasi anggaran").total, 2);
    assert_eq!(ids(&search(&index, "\"realisasi anggaran\"")), ["a"]);
}

#[test]
fn reference_matches_whole_and_by_parts() {
    let mut a = doc(
        "a",
        "periodic",
        "kab-kendal",
        2026,
        "Daftar informasi",
        "Isi daftar.",
    );
    a.reference = "0012/PPID-KENDAL/2026".to_owned();
    let mut b = doc(
        "b",
        "periodic",
        "kab-kendal",
        2026,
        "Daftar informasi 0012",
        "Nomor 0012 kendal 2026 ppid.",
    );
    b.reference = "0013/PPID-KENDAL/2026".to_owned();
    let index = index_with(vec![a, b]);
    // A registration number on its own is a lookup: only the document that carries it, not
    // the one that merely mentions its parts.
    let r = search(&index, "0012/PPID-KENDAL/2026");
    assert_eq!(ids(&r), ["a"]);
    assert_eq!((r.total, r.total_is_estimate), (1, false));
    assert_eq!(r.facets.kind, [("periodic".to_owned(), 1)]);
    assert_eq!(ids(&search(&index, " (0012/ppid-kendal/2026). ")), ["a"]);
    // Filters still apply to the lookup.
    let filtered = index
        .search(&SearchQuery {
            q: "0012/PPID-KENDAL/2026".into(),
            kind: Some("answer".into()),
            limit: 10,
            ..SearchQuery::default()
        })
        .expect("search");
    assert_eq!(filtered.total, 0);
    // A number nobody carries is searched by its parts, all of them: never loosened to any
    // ("ppid" and a year match most of an index).
    assert_eq!(search(&index, "0012/kendal/2026").total, 2);
    assert_eq!(search(&index, "0012/PPID-KENDAL/2027").total, 0);
    let any_part = search(&index, "0012 ppid kendal 2027");
    let mut loosened = ids(&any_part);
    loosened.sort_unstable();
    assert_eq!(loosened, ["a", "b"]);
    assert_eq!(ids(&search(&index, "0013")), ["b"]);
    assert_eq!(
        search(&index, "nomor 0012/ppid-kendal/2026").hits[0].id,
        "a"
    );
}

#[test]
fn facets_count_all_matches_and_follow_filters() {
    let mut docs = Vec::new();
    for i in 0..30 {
        let body = if i % 3 == 0 {
            "kota-semarang"
        } else {
            "kab-kendal"
        };
        let kind = if i % 2 == 0 { "periodic" } else { "answer" };
        let year = 2020 + (i % 4);
        docs.push(doc(
            &format!("d{i}"),
            kind,
            body,
            year,
            "Laporan keuangan",
            "Rincian keuangan daerah.",
        ));
    }
    docs.push(doc(
        "other",
        "periodic",
        "kab-demak",
        2020,
        "Lain",
        "Tidak relevan.",
    ));
    let index = index_with(docs);
    let r = index
        .search(&SearchQuery {
            q: "keuangan".into(),
            limit: 5,
            ..SearchQuery::default()
        })
        .expect("search");
    assert_eq!(r.total, 30);
    assert_eq!(r.hits.len(), 5);
    assert_eq!(
        r.facets.body,
        [
            ("kab-kendal".to_owned(), 20),
            ("kota-semarang".to_owned(), 10)
        ]
    );
    assert_eq!(
        r.facets.kind,
        [("answer".to_owned(), 15), ("periodic".to_owned(), 15)]
    );
    assert_eq!(r.facets.year, [(2020, 8), (2021, 8), (2022, 7), (2023, 7)]);

    let r = index
        .search(&SearchQuery {
            q: "keuangan".into(),
            body: Some("kota-semarang".into()),
            kind: Some("periodic".into()),
            limit: 50,
            ..SearchQuery::default()
        })
        .expect("search");
    // i in 0..30 with i % 3 == 0 and i % 2 == 0: 0, 6, 12, 18, 24.
    assert_eq!(r.total, 5);
    assert_eq!(r.facets.body, [("kota-semarang".to_owned(), 5)]);
    assert_eq!(r.facets.kind, [("periodic".to_owned(), 5)]);
    assert!(
        r.hits
            .iter()
            .all(|h| h.body_slug == "kota-semarang" && h.kind == "periodic")
    );

    let r = index
        .search(&SearchQuery {
            q: "keuangan".into(),
            year: Some(2021),
            limit: 50,
            ..SearchQuery::default()
        })
        .expect("search");
    assert_eq!(r.total, 8);
    assert!(r.hits.iter().all(|h| h.year == 2021));
}

#[test]
fn empty_query_lists_newest_first_within_filters() {
    let index = index_with(vec![
        doc("old", "periodic", "kab-kendal", 2020, "Lama", "teks"),
        doc("new", "periodic", "kab-kendal", 2025, "Baru", "teks"),
        doc("mid", "answer", "kab-kendal", 2023, "Tengah", "teks"),
    ]);
    assert_eq!(ids(&search(&index, "")), ["new", "mid", "old"]);
    let r = index
        .search(&SearchQuery {
            q: " ?! ".into(),
            kind: Some("periodic".into()),
            limit: 10,
            ..SearchQuery::default()
        })
        .expect("search");
    assert_eq!(ids(&r), ["new", "old"]);
    assert_eq!(r.total, 2);
}

#[test]
fn paging_and_zero_limit() {
    let docs = (0..15)
        .map(|i| {
            doc(
                &format!("d{i}"),
                "periodic",
                "kab-kendal",
                2025,
                "Pengumuman",
                "pengumuman",
            )
        })
        .collect();
    let index = index_with(docs);
    let page = |offset, limit| {
        index
            .search(&SearchQuery {
                q: "pengumuman".into(),
                limit,
                offset,
                ..SearchQuery::default()
            })
            .expect("search")
    };
    assert_eq!(page(10, 10).hits.len(), 5);
    assert_eq!(page(0, 0).hits.len(), 0);
    assert_eq!(page(0, 0).total, 15);
    assert_eq!(page(1_000_000, 10).hits.len(), 0);
}

#[test]
fn upsert_replaces_and_delete_is_immediate() {
    let index = index_with(vec![doc(
        "a",
        "periodic",
        "kab-kendal",
        2025,
        "Laporan",
        "jembatan gantung",
    )]);
    assert_eq!(search(&index, "jembatan").total, 1);
    index
        .apply(
            vec![IndexOp::Upsert(doc(
                "a",
                "periodic",
                "kab-kendal",
                2025,
                "Laporan",
                "irigasi sawah",
            ))],
            2,
        )
        .expect("apply");
    assert_eq!(search(&index, "jembatan").total, 0);
    assert_eq!(search(&index, "irigasi").total, 1);
    assert_eq!(index.num_docs(), 1);
    index
        .apply(vec![IndexOp::Delete("a".into())], 3)
        .expect("apply");
    assert_eq!(search(&index, "irigasi").total, 0);
    assert_eq!(index.num_docs(), 0);
    assert_eq!(index.cursor(), 3);
}

#[test]
fn reopen_keeps_documents_and_cursor() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("index");
    {
        let index = SearchIndex::open(&path).expect("open");
        assert_eq!(index.cursor(), 0);
        index
            .apply(
                vec![IndexOp::Upsert(doc(
                    "a",
                    "periodic",
                    "kab-kendal",
                    2025,
                    "Laporan",
                    "drainase kota",
                ))],
                42,
            )
            .expect("apply");
    }
    let index = SearchIndex::open(&path).expect("reopen");
    assert_eq!(index.cursor(), 42);
    assert_eq!(index.num_docs(), 1);
    assert_eq!(ids(&search(&index, "drainase")), ["a"]);

    index.clear().expect("clear");
    assert_eq!(index.cursor(), 0);
    assert_eq!(index.num_docs(), 0);
    assert_eq!(search(&index, "drainase").total, 0);
    drop(index);
    let index = SearchIndex::open(&path).expect("reopen after clear");
    assert_eq!(index.cursor(), 0);
    assert_eq!(index.num_docs(), 0);
}

#[test]
fn typo_on_rare_word_still_finds() {
    let index = index_with(vec![
        doc(
            "a",
            "periodic",
            "kab-kendal",
            2025,
            "Daftar pengadaan",
            "Rencana umum pengadaan barang.",
        ),
        doc(
            "b",
            "periodic",
            "kab-kendal",
            2025,
            "Laporan anggaran",
            "Realisasi anggaran belanja.",
        ),
        doc(
            "c",
            "periodic",
            "kab-kendal",
            2025,
            "Lain",
            "Pembinaan olahraga.",
        ),
    ]);
    assert_eq!(ids(&search(&index, "pengadan")), ["a"]);
    assert_eq!(ids(&search(&index, "anggran")), ["b"]);
    assert_eq!(ids(&search(&index, "olahragaa")), ["c"]);
    // Short words are not fuzzed: "ada" must not become everything.
    assert_eq!(search(&index, "xyz").total, 0);
}

#[test]
fn typo_on_first_letter_and_with_other_words_still_finds() {
    let index = index_with(vec![
        doc(
            "a",
            "periodic",
            "kab-kendal",
            2025,
            "Daftar pengadaan",
            "Rencana umum pengadaan barang.",
        ),
        doc(
            "b",
            "periodic",
            "kab-kendal",
            2025,
            "Laporan anggaran",
            "Realisasi anggaran belanja.",
        ),
    ]);
    // Near spellings keep the first letter first; when that finds nothing, any letter.
    assert_eq!(ids(&search(&index, "enggaran")), ["b"]);
    assert_eq!(ids(&search(&index, "realisasi anggran")), ["b"]);
    assert_eq!(ids(&search(&index, "rencana pengadan barang")), ["a"]);
}

#[test]
fn snippets_mark_matches_and_escape_html() {
    let index = index_with(vec![doc(
        "a",
        "answer",
        "kab-kendal",
        2025,
        "Jawaban",
        "Pemohon menulis <script>alert(1)</script> & meminta salinan permohonan \"lengkap\".",
    )]);
    let r = search(&index, "permohonan");
    let hit = &r.hits[0];
    assert!(
        hit.snippet_html.contains("<mark>permohonan</mark>"),
        "{}",
        hit.snippet_html
    );
    assert!(
        hit.snippet_html.contains("<mark>Pemohon</mark>"),
        "{}",
        hit.snippet_html
    );
    assert!(
        hit.snippet_html.contains("&lt;script&gt;"),
        "{}",
        hit.snippet_html
    );
    assert!(
        !hit.snippet_html.contains("<script>"),
        "{}",
        hit.snippet_html
    );
    assert!(
        hit.snippet.contains("<script>"),
        "plain text stays plain: {}",
        hit.snippet
    );
    assert!(!hit.snippet.contains("<mark>"));

    // A match only in the title still gives an escaped snippet from the text.
    let index = index_with(vec![doc(
        "b",
        "answer",
        "kab-kendal",
        2025,
        "Irigasi",
        "a < b & c",
    )]);
    let hit = &search(&index, "irigasi").hits[0];
    assert_eq!(hit.snippet_html, "a &lt; b &amp; c");
}

#[test]
fn hits_carry_stored_fields() {
    let index = index_with(vec![doc(
        "entry:1",
        "immediate",
        "kab-kendal",
        2024,
        "Peringatan dini banjir",
        "Banjir di Kaliwungu.",
    )]);
    let hit = &search(&index, "banjir").hits[0];
    assert_eq!(hit.id, "entry:1");
    assert_eq!(hit.kind, "immediate");
    assert_eq!(hit.title, "Peringatan dini banjir");
    assert_eq!(hit.url, "/kab-kendal/informasi/entry:1");
    assert_eq!(hit.body_slug, "kab-kendal");
    assert_eq!(hit.body_name, "Pemerintah kab-kendal");
    assert_eq!(hit.year, 2024);
    let json = serde_json::to_string(&search(&index, "banjir")).expect("json");
    assert!(json.contains("\"snippet_html\""));
}

#[test]
fn generated_corpus_is_searchable() {
    let index = SearchIndex::in_memory().expect("index");
    let docs: Vec<_> = lentera_search::corpus::generate(2_000, 3).collect();
    let probe = docs[17].clone();
    index
        .apply(docs.into_iter().map(IndexOp::Upsert).collect(), 2_000)
        .expect("apply");
    assert_eq!(index.num_docs(), 2_000);
    let r = search(&index, &probe.reference);
    assert_eq!(r.hits[0].id, probe.id);
    for q in lentera_search::corpus::sample_queries(200, 1) {
        index.search(&q).expect("sample query");
    }
}

#[test]
fn index_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}
    assert_send_sync::<SearchIndex>();
    let index = index_with(vec![doc(
        "a",
        "periodic",
        "kab-kendal",
        2025,
        "Laporan",
        "sanitasi",
    )]);
    std::thread::scope(|s| {
        for _ in 0..4 {
            let index = index.clone();
            s.spawn(move || assert_eq!(search(&index, "sanitasi").total, 1));
        }
    });
}
