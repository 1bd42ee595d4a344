#![allow(dead_code)]

use lentera_search::{IndexDoc, IndexOp, SearchIndex, SearchQuery, SearchResults};

pub fn doc(id: &str, kind: &str, body: &str, year: i32, title: &str, text: &str) -> IndexDoc {
    IndexDoc {
        id: id.to_owned(),
        kind: kind.to_owned(),
        body_slug: body.to_owned(),
        body_name: format!("Pemerintah {body}"),
        year,
        title: title.to_owned(),
        text: text.to_owned(),
        reference: format!("REF-{id}"),
        url: format!("/{body}/informasi/{id}"),
        published_at: i64::from(year - 1970) * 31_556_952,
    }
}

pub fn index_with(docs: Vec<IndexDoc>) -> SearchIndex {
    let index = SearchIndex::in_memory().expect("in-memory index");
    index
        .apply(docs.into_iter().map(IndexOp::Upsert).collect(), 1)
        .expect("apply");
    index
}

pub fn search(index: &SearchIndex, q: &str) -> SearchResults {
    index
        .search(&SearchQuery {
            q: q.to_owned(),
            limit: 10,
            ..SearchQuery::default()
        })
        .expect("search")
}

pub fn ids(results: &SearchResults) -> Vec<&str> {
    results.hits.iter().map(|h| h.id.as_str()).collect()
}
