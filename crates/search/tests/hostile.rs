mod common;

use common::{doc, index_with};
use lentera_search::{SearchIndex, SearchQuery};
use proptest::prelude::*;
use std::sync::LazyLock;

fn corpus_index() -> &'static SearchIndex {
    static INDEX: LazyLock<SearchIndex> = LazyLock::new(|| {
        index_with(vec![
            doc(
                "a",
                "periodic",
                "kab-kendal",
                2025,
                "Laporan keuangan",
                "Permohonan informasi pengadaan.",
            ),
            doc(
                "b",
                "answer",
                "kota-semarang",
                2024,
                "Jawaban",
                "Informasi yang dikecualikan.",
            ),
        ])
    });
    &INDEX
}

#[test]
fn operator_soup_never_errors() {
    let index = corpus_index();
    let long = "permohonan ".repeat(1_000);
    let huge = "x".repeat(10_240);
    let cases = [
        "",
        " ",
        "\"",
        "\"\"",
        "(",
        ")",
        "AND",
        "OR",
        "NOT",
        "-",
        "+",
        "*",
        ":",
        "~",
        "^",
        "\\",
        "title:foo",
        "a AND (b OR",
        "\"unclosed phrase",
        "pengadaan~2",
        "info*",
        "+keuangan -pengadaan",
        "[2020 TO 2025]",
        "{}",
        "/regex/",
        "'; DROP TABLE",
        "\u{0}",
        "💥🔥",
        "ǅ̈",
        "ا",
        &long,
        &huge,
    ];
    for q in cases {
        let r = index.search(&SearchQuery {
            q: q.to_owned(),
            limit: 10,
            ..SearchQuery::default()
        });
        assert!(r.is_ok(), "{q:?}: {r:?}");
    }
}

#[test]
fn odd_filters_never_error() {
    let index = corpus_index();
    let r = index.search(&SearchQuery {
        q: "informasi".into(),
        body: Some("\" OR *".into()),
        kind: Some(String::new()),
        year: Some(i32::MIN),
        limit: usize::MAX,
        offset: usize::MAX,
    });
    assert_eq!(r.expect("search").total, 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn arbitrary_input_never_errors(q in any::<String>(), limit in 0usize..50, offset in 0usize..20) {
        let index = corpus_index();
        let r = index.search(&SearchQuery { q, limit, offset, ..SearchQuery::default() });
        prop_assert!(r.is_ok());
    }

    #[test]
    fn query_like_input_never_errors(q in r#"[a-z "():*~^+\-/\\ ]{0,60}"#) {
        let index = corpus_index();
        let r = index.search(&SearchQuery { q, limit: 10, ..SearchQuery::default() });
        prop_assert!(r.is_ok());
    }
}
