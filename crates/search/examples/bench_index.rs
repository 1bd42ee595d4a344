//! Indexing and search benchmark over a generated corpus.
//!
//! `cargo run --release -p lentera-search --example bench_index -- [DOCS] [QUERIES_PER_THREAD]`
//! (defaults: 1,000,000 documents, 2,000 queries for each of 16 threads). The index is built in
//! a temporary directory (or `BENCH_DIR`), which is removed at the end unless `BENCH_KEEP` is set.
//! With `BENCH_REUSE` set, an index already in `BENCH_DIR` holding exactly DOCS documents is
//! searched as is (no indexing), to compare search changes on the same index.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lentera_search::{IndexOp, SearchIndex, SearchQuery, corpus};

const BATCH: usize = 50_000;
const THREADS: usize = 16;
const SEED: u64 = 2026;

fn dir_size(path: &Path) -> std::io::Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(path)? {
        let entry = entry?;
        let meta = entry.metadata()?;
        total += if meta.is_dir() {
            dir_size(&entry.path())?
        } else {
            meta.len()
        };
    }
    Ok(total)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

fn report(label: &str, mut latencies: Vec<Duration>, wall: Duration) {
    latencies.sort_unstable();
    println!(
        "{label}: {} queries in {:.1} s, {:.0} QPS, p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        latencies.len(),
        wall.as_secs_f64(),
        latencies.len() as f64 / wall.as_secs_f64(),
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.95)),
        ms(percentile(&latencies, 0.99)),
        ms(percentile(&latencies, 1.0)),
    );
}

fn run_queries(
    index: &SearchIndex,
    queries: &[SearchQuery],
) -> Result<Vec<Duration>, Box<dyn std::error::Error + Send + Sync>> {
    let mut latencies = Vec::with_capacity(queries.len());
    for q in queries {
        let start = Instant::now();
        let results = index.search(q)?;
        latencies.push(start.elapsed());
        std::hint::black_box(results);
    }
    Ok(latencies)
}

fn build(
    index: &SearchIndex,
    dir: &Path,
    docs: usize,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut raw_bytes: u64 = 0;
    let mut text_bytes: u64 = 0;
    let mut generating = Duration::ZERO;
    let start = Instant::now();
    let mut docs_iter = corpus::generate(docs, SEED);
    let mut done = 0usize;
    while done < docs {
        let gen_start = Instant::now();
        let batch: Vec<IndexOp> = docs_iter
            .by_ref()
            .take(BATCH)
            .inspect(|d| {
                raw_bytes += (d.title.len() + d.text.len() + d.reference.len()) as u64;
                text_bytes += d.text.len() as u64;
            })
            .map(IndexOp::Upsert)
            .collect();
        generating += gen_start.elapsed();
        if batch.is_empty() {
            break;
        }
        done += batch.len();
        index.apply(batch, done as i64)?;
        eprint!("\rindexed {done}");
    }
    eprintln!();
    let indexed_in = start.elapsed();
    let merge_start = Instant::now();
    index.wait_for_merges()?;
    let merged_in = merge_start.elapsed();
    let indexing = indexed_in.saturating_sub(generating);
    println!(
        "indexing: {done} docs in {:.1} s ({:.1} s of it generating the corpus) = {:.0} docs/s \
         excluding generation ({:.0} docs/s including it); final merges {:.1} s",
        indexed_in.as_secs_f64(),
        generating.as_secs_f64(),
        done as f64 / indexing.as_secs_f64(),
        done as f64 / indexed_in.as_secs_f64(),
        merged_in.as_secs_f64(),
    );
    let on_disk = dir_size(dir)?;
    println!(
        "size: raw title+text+reference {:.1} MB (text alone {:.1} MB, average {} B), index {:.1} MB, ratio {:.2}, {} segments, {} docs, cursor {}",
        raw_bytes as f64 / 1e6,
        text_bytes as f64 / 1e6,
        text_bytes / done.max(1) as u64,
        on_disk as f64 / 1e6,
        on_disk as f64 / raw_bytes as f64,
        index.num_segments(),
        index.num_docs(),
        index.cursor(),
    );

    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut args = std::env::args().skip(1);
    let docs: usize = args
        .next()
        .map(|a| a.replace('_', "").parse())
        .transpose()?
        .unwrap_or(1_000_000);
    let per_thread: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(2_000);
    let dir: PathBuf = match std::env::var_os("BENCH_DIR") {
        Some(d) => PathBuf::from(d),
        None => std::env::temp_dir().join(format!("lentera-search-bench-{}", std::process::id())),
    };
    let reuse = std::env::var_os("BENCH_REUSE").is_some()
        && dir.exists()
        && SearchIndex::open(&dir)?.num_docs() == docs as u64;
    if dir.exists() && !reuse {
        std::fs::remove_dir_all(&dir)?;
    }
    println!("corpus: {docs} documents, index in {}", dir.display());

    let index = SearchIndex::open_bulk(&dir)?;
    if !reuse {
        build(&index, &dir, docs)?;
    } else {
        println!(
            "reusing the index: {} segments, {} docs",
            index.num_segments(),
            index.num_docs()
        );
    }
    let queries = corpus::sample_queries(THREADS * per_thread, SEED);
    // Warm the page cache and the stemmer memo as a running server would be.
    run_queries(&index, &queries[..queries.len().min(1_000)])?;

    let sequential = &queries[..queries.len().min(per_thread * 2)];
    let wall = Instant::now();
    let latencies = run_queries(&index, sequential)?;
    report("search, 1 thread", latencies, wall.elapsed());

    let wall = Instant::now();
    let latencies = std::thread::scope(|s| {
        let handles: Vec<_> = queries
            .chunks(per_thread)
            .map(|chunk| {
                let index = index.clone();
                s.spawn(move || run_queries(&index, chunk))
            })
            .collect();
        let mut all = Vec::new();
        for h in handles {
            match h.join() {
                Ok(Ok(l)) => all.extend(l),
                Ok(Err(e)) => return Err(e),
                Err(_) => return Err("a query thread panicked".into()),
            }
        }
        Ok(all)
    })?;
    report(
        &format!("search, {THREADS} threads"),
        latencies,
        wall.elapsed(),
    );

    let examples = [
        "permohonan informasi",
        "pengadaan",
        "anggran",
        "stunting kendal",
        "laporan realisasi anggaran dinas kesehatan",
    ];
    for q in examples {
        let query = SearchQuery {
            q: q.to_owned(),
            limit: 10,
            ..SearchQuery::default()
        };
        let start = Instant::now();
        let r = index.search(&query)?;
        println!(
            "  {q:?}: {}{} hits in {:.2} ms; top: {:?}",
            if r.total_is_estimate { "~" } else { "" },
            r.total,
            ms(start.elapsed()),
            r.hits.first().map(|h| &h.title)
        );
    }

    if std::env::var_os("BENCH_KEEP").is_none() {
        drop(index);
        std::fs::remove_dir_all(&dir)?;
    }
    Ok(())
}
