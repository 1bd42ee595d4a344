//! The *Laporan Layanan Informasi Publik* as a document (domain spec §8.2): the figures of
//! [`crate::reports`], the body's own texts ([`crate::report_texts`]) and the disputes at the
//! Komisi Informasi and in court, laid out as a [`Report`] that the web layer draws as HTML and
//! `lentera-render` writes as PDF, CSV and XLSX — one value, so the outputs cannot disagree.
//!
//! The document is in Indonesian (it is a legal document submitted to the Komisi Informasi).
//! It never carries an applicant's identity: open cases are listed by number and date only.

use std::collections::{BTreeMap, HashMap};

use lentera_render::report::{Report, Signature};
use serde::Serialize;
use time::{Date, OffsetDateTime};

use crate::report_texts::ReportTexts;
use crate::reports::AnnualReport;

mod assemble;
mod blocks;
mod disputes;
mod narrative;
mod services;

pub use blocks::bar_chart;
pub use disputes::DisputeFigures;

pub const TITLE: &str = "LAPORAN LAYANAN INFORMASI PUBLIK";

use lentera_domain::dates::MONTHS_ID as MONTHS;

/// The report as a document, with the figures it was built from.
#[derive(Debug, Clone, Serialize)]
pub struct ReportDocument {
    pub report: Report,
    pub figures: AnnualReport,
    pub texts: ReportTexts,
    /// `laporan-layanan-informasi-{slug}-{year}[-{period}][-gabungan]`, for download names.
    pub file_stem: String,
    pub rollup: bool,
}

/// `Tahun 2025`, `Semester I 2025`, `Triwulan III 2025`.
pub fn period_label(year: i32, period: &str) -> String {
    match period {
        "s1" => format!("Semester I {year}"),
        "s2" => format!("Semester II {year}"),
        "q1" => format!("Triwulan I {year}"),
        "q2" => format!("Triwulan II {year}"),
        "q3" => format!("Triwulan III {year}"),
        "q4" => format!("Triwulan IV {year}"),
        _ => format!("Tahun {year}"),
    }
}

/// `2 Februari 2026`.
pub fn date_id(d: Date) -> String {
    lentera_domain::dates::long_id(d)
}

/// What the builder needs besides the figures.
pub struct DocInput<'a> {
    pub report: &'a AnnualReport,
    /// The bodies below the parent, for a roll-up (empty otherwise).
    pub children: &'a [AnnualReport],
    /// For a roll-up, the parent's own figures (its row in the table per body).
    pub own: Option<&'a AnnualReport>,
    pub texts: &'a ReportTexts,
    /// Received requests per (month, channel).
    pub month_channel: &'a BTreeMap<(u8, String), u64>,
    pub disputes: &'a DisputeFigures,
    /// Unit slug → name.
    pub unit_names: &'a HashMap<String, String>,
    /// When the figures were computed, in the body's zone.
    pub generated_at: OffsetDateTime,
    /// The day printed under the signatures.
    pub signed_on: Date,
    /// The first year without its SKB that deadlines of the period's last requests run into:
    /// their figures are then partly provisional (domain spec §7.1).
    pub provisional_year: Option<i32>,
}

/// Builds the document (pure: everything it shows is in `input`).
pub fn build(input: &DocInput<'_>) -> Report {
    let r = input.report;
    let f = &r.figures;
    let t = input.texts;
    let rollup = !input.children.is_empty();
    let bab1 = narrative::bab1(t);
    let bab2 = narrative::bab2(t);
    let bab3 = services::chapter(input);
    let bab4 = disputes::chapter(input);
    let bab5 = narrative::bab5(t);
    let bab6 = narrative::bab6(t);

    let place = t.get("tempat").trim();
    let place_date = if place.is_empty() {
        date_id(input.signed_on)
    } else {
        format!("{place}, {}", date_id(input.signed_on))
    };
    let subtitle = if rollup {
        format!(
            "{} dan {} badan publik di bawahnya",
            r.body_name,
            input.children.len()
        )
    } else {
        r.body_name.clone()
    };
    let at = input.generated_at;
    Report {
        title: TITLE.into(),
        subtitle,
        period: r_period(r),
        generated: format!(
            "Angka dihitung dari catatan permohonan, keberatan dan sengketa per {} ({} s.d. {}), disusun {} pukul {:02}.{:02}.",
            date_id(f.to),
            date_id(f.from),
            date_id(f.to),
            date_id(at.date()),
            at.hour(),
            at.minute()
        ),
        chapters: vec![bab1, bab2, bab3, bab4, bab5, bab6],
        signatures: vec![
            Signature {
                prefix: String::new(),
                role: "Pejabat Pengelola Informasi dan Dokumentasi (PPID)".into(),
                name: t.get("ttd_ppid").trim().to_owned(),
                place_date: place_date.clone(),
            },
            Signature {
                prefix: "Mengetahui,".into(),
                role: "Atasan PPID".into(),
                name: t.get("ttd_atasan").trim().to_owned(),
                place_date,
            },
        ],
    }
}

fn r_period(r: &AnnualReport) -> String {
    period_label(r.year, &r.period)
}

/// `laporan-layanan-informasi-{slug}-{year}[-{period}][-gabungan]`.
pub fn file_stem(slug: &str, year: i32, period: &str, rollup: bool) -> String {
    let mut s = format!("laporan-layanan-informasi-{slug}-{year}");
    if period != "year" && !period.is_empty() {
        s.push('-');
        s.push_str(period);
    }
    if rollup {
        s.push_str("-gabungan");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_named_in_indonesian() {
        assert_eq!(period_label(2025, "year"), "Tahun 2025");
        assert_eq!(period_label(2025, "s1"), "Semester I 2025");
        assert_eq!(period_label(2025, "q3"), "Triwulan III 2025");
        assert_eq!(
            file_stem("kab-a", 2025, "year", false),
            "laporan-layanan-informasi-kab-a-2025"
        );
        assert_eq!(
            file_stem("kab-a", 2025, "s1", true),
            "laporan-layanan-informasi-kab-a-2025-s1-gabungan"
        );
    }
}
