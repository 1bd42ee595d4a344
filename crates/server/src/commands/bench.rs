//! The hidden `lentera bench-corpus`: a generated corpus written straight into the index, and
//! sample queries for the benchmarks.

use indicatif::ProgressBar;
use lentera_app::lentera_search::{IndexOp, SearchIndex};

use crate::cli::StoreArgs;

/// Writes `docs` generated documents straight into `{data_dir}/index`.
pub(crate) fn bench_corpus(store: &StoreArgs, docs: usize, queries: usize) -> anyhow::Result<()> {
    if queries > 0 {
        let encode = |s: &str| -> String {
            s.bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                        char::from(b).to_string()
                    }
                    other => format!("%{other:02X}"),
                })
                .collect()
        };
        let mut out = String::new();
        for q in lentera_app::lentera_search::corpus::sample_queries(queries, 7) {
            out.push_str("q=");
            out.push_str(&encode(&q.q));
            if let Some(b) = &q.body {
                out.push_str("&body=");
                out.push_str(&encode(b));
            }
            if let Some(k) = &q.kind {
                out.push_str("&kind=");
                out.push_str(&encode(k));
            }
            if let Some(y) = q.year {
                out.push_str(&format!("&year={y}"));
            }
            out.push('\n');
        }
        std::fs::create_dir_all(&store.data_dir)?;
        std::fs::write(store.data_dir.join("queries.txt"), out)?;
        if docs == 0 {
            return Ok(());
        }
    }
    let index_dir = store.data_dir.join("index");
    std::fs::create_dir_all(&index_dir)?;
    let index = SearchIndex::open_bulk(&index_dir).map_err(|e| anyhow::anyhow!("{e}"))?;
    let bar = ProgressBar::new(docs as u64);
    let started = std::time::Instant::now();
    let mut batch = Vec::with_capacity(10_000);
    for d in lentera_app::lentera_search::corpus::generate(docs, 2026) {
        batch.push(IndexOp::Upsert(d));
        if batch.len() == 10_000 {
            index
                .apply(std::mem::take(&mut batch), 0)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            bar.inc(10_000);
        }
    }
    index.apply(batch, 0).map_err(|e| anyhow::anyhow!("{e}"))?;
    // Background merges finish before the figure is taken: a served index is merged too.
    index
        .wait_for_merges()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    bar.finish();
    println!(
        "{} documents indexed in {:.1} s",
        index.num_docs(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
