//! Writes the sample annual report as PDF, CSV and XLSX and times the PDF:
//! `cargo run --release -p lentera-render --example report_pdf -- /tmp/laporan`
//! (12 tables, one of them over several pages, and 2 SVG charts).

use std::time::Instant;

#[path = "../tests/common/sample.rs"]
#[allow(dead_code)]
mod sample;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let stem = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "laporan".to_owned());
    let report = sample::sample_report();

    let start = Instant::now();
    let pdf = lentera_render::report_to_pdf(&report)?;
    let first = start.elapsed();
    // Later reports reuse the engine; each differs a little, as real reports do, so that
    // typst's cache cannot simply hand back the previous result.
    let runs = 5u32;
    let start = Instant::now();
    for i in 0..runs {
        let mut other = report.clone();
        other.period = format!("Tahun {}", 2020 + i);
        other.subtitle.push_str(&" ".repeat(i as usize + 1));
        lentera_render::report_to_pdf(&other)?;
    }
    let warm = start.elapsed() / runs;
    println!(
        "PDF: first {:.0} ms (engine and fonts loaded), then {:.0} ms per report; {} bytes",
        first.as_secs_f64() * 1000.0,
        warm.as_secs_f64() * 1000.0,
        pdf.len()
    );
    std::fs::write(format!("{stem}.pdf"), &pdf)?;

    let start = Instant::now();
    let csv = lentera_render::report_to_csv(&report);
    let xlsx = lentera_render::report_to_xlsx(&report)?;
    println!(
        "CSV {} bytes, XLSX {} bytes, both in {:.0} ms",
        csv.len(),
        xlsx.len(),
        start.elapsed().as_secs_f64() * 1000.0
    );
    std::fs::write(format!("{stem}.csv"), &csv)?;
    std::fs::write(format!("{stem}.xlsx"), &xlsx)?;
    println!("written {stem}.pdf, {stem}.csv, {stem}.xlsx");
    Ok(())
}
