//! Replays the HTTP benchmark's query file in process, one thread, and prints the latency
//! percentiles and the slowest queries (to find what sets the tail).
//!
//! `cargo run --release -p lentera-search --example profile_queries -- INDEX_DIR QUERIES_TXT [N] [SHOW]`
//! where QUERIES_TXT holds one URL query string a line (`q=...&body=...`), as written by
//! `lentera bench-corpus`.

use std::time::{Duration, Instant};

use lentera_search::{SearchIndex, SearchQuery};

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn parse_line(line: &str) -> SearchQuery {
    let mut q = SearchQuery {
        limit: 10,
        ..SearchQuery::default()
    };
    for pair in line.split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = decode(v);
        match k {
            "q" => q.q = v,
            "body" => q.body = Some(v),
            "kind" => q.kind = Some(v),
            "year" => q.year = v.parse().ok(),
            _ => {}
        }
    }
    q
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("INDEX_DIR")?;
    let file = args.next().ok_or("QUERIES_TXT")?;
    let n: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(5_000);
    let show: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(40);
    let index = SearchIndex::open(std::path::Path::new(&dir))?;
    if let Some(budget) = std::env::var("PROFILE_BUDGET")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        index.set_work_budget(budget);
    }
    let text = std::fs::read_to_string(&file)?;
    let lines: Vec<&str> = text.lines().collect();
    // Spread over the file (the HTTP bench draws uniformly).
    let step = (lines.len() / n.max(1)).max(1);
    // PROFILE_LIMIT=0 leaves out the page of hits (stored fields, snippets): the difference is
    // what a page costs.
    let limit: Option<usize> = std::env::var("PROFILE_LIMIT")
        .ok()
        .and_then(|v| v.parse().ok());
    let queries: Vec<(&str, SearchQuery)> = lines
        .iter()
        .step_by(step)
        .take(n)
        .map(|l| {
            let mut q = parse_line(l);
            if let Some(limit) = limit {
                q.limit = limit;
            }
            (*l, q)
        })
        .collect();
    for (_, q) in queries.iter().take(500) {
        std::hint::black_box(index.search(q)?);
    }
    let mut timed = Vec::with_capacity(queries.len());
    let wall = Instant::now();
    for (line, q) in &queries {
        let start = Instant::now();
        let r = index.search(q)?;
        let took = start.elapsed();
        timed.push((took, *line, r.total, r.total_is_estimate));
    }
    let wall = wall.elapsed();
    let mut lat: Vec<Duration> = timed.iter().map(|t| t.0).collect();
    lat.sort_unstable();
    let pct = |p: f64| ms(lat[((lat.len() as f64 - 1.0) * p).round() as usize]);
    let sum: Duration = lat.iter().sum();
    println!(
        "{} queries, {:.0} q/s, mean {:.3} ms, p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        lat.len(),
        lat.len() as f64 / wall.as_secs_f64(),
        ms(sum) / lat.len() as f64,
        pct(0.5),
        pct(0.9),
        pct(0.99),
        pct(1.0)
    );
    // Share of total time spent in the slowest 1 %, 5 %, 10 %.
    for share in [0.01, 0.05, 0.10] {
        let k = (lat.len() as f64 * share) as usize;
        let slow: Duration = lat.iter().rev().take(k).sum();
        println!(
            "slowest {:.0} %: {:.1} % of the time",
            share * 100.0,
            100.0 * slow.as_secs_f64() / sum.as_secs_f64()
        );
    }
    timed.sort_by_key(|t| std::cmp::Reverse(t.0));
    if let Some(dump) = std::env::var_os("PROFILE_DUMP") {
        let slow: Vec<&str> = timed.iter().take(show).map(|t| t.1).collect();
        std::fs::write(dump, slow.join("\n") + "\n")?;
    }
    for (took, line, total, est) in timed.iter().take(show) {
        println!(
            "{:8.2} ms  {}{:>8}  {}",
            ms(*took),
            if *est { "~" } else { " " },
            total,
            decode(line)
        );
    }
    Ok(())
}
