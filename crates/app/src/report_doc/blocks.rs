//! The building blocks of the report: paragraphs, count tables, the oldest-open table, bar charts.

use std::fmt::Write;

use lentera_render::report::{Block, Cell, Section, Table, group_thousands};
use time::Date;

use super::{MONTHS, date_id};
use crate::reports::AnnualReport;

#[allow(clippy::cast_precision_loss)]
pub(super) fn pct(n: u64, d: u64) -> Option<f64> {
    (d > 0).then(|| n as f64 * 100.0 / d as f64)
}

pub(super) fn paragraph(text: &str, missing: &str) -> Block {
    let t = text.trim();
    Block::Paragraph {
        text: if t.is_empty() {
            missing.to_owned()
        } else {
            t.to_owned()
        },
    }
}

pub(super) const NOT_WRITTEN: &str = "(Bagian ini belum diisi oleh PPID.)";

/// A table of labelled counts with their share of `total`, and a totals row.
pub(super) fn count_table(
    id: &str,
    caption: &str,
    first: &str,
    rows: Vec<(String, u64)>,
    total: u64,
    note: Option<String>,
) -> Table {
    Table {
        id: id.to_owned(),
        caption: caption.to_owned(),
        columns: vec![first.to_owned(), "Jumlah".into(), "%".into()],
        rows: rows
            .into_iter()
            .map(|(label, n)| {
                vec![
                    Cell::text(label),
                    Cell::count(n),
                    Cell::percent(pct(n, total)),
                ]
            })
            .collect(),
        footer: Some(vec![
            Cell::text("Jumlah"),
            Cell::count(total),
            Cell::percent(pct(total, total)),
        ]),
        note,
    }
}

pub(super) fn section(number: &str, title: &str, blocks: Vec<Block>) -> Section {
    Section {
        number: Some(number.to_owned()),
        title: Some(title.to_owned()),
        blocks,
    }
}

pub(super) fn months_of(r: &AnnualReport) -> Vec<u8> {
    let a = u8::from(r.figures.from.month());
    let b = u8::from(r.figures.to.month());
    (a..=b).collect()
}

/// A bar chart drawn as SVG (one series). Labels are escaped; sizes are fixed so that every
/// SVG reader (browsers, typst) draws it the same.
pub fn bar_chart(id: &str, title: &str, labels: &[String], values: &[u64], color: &str) -> String {
    const W: u64 = 640;
    const H: u64 = 260;
    const LEFT: u64 = 44;
    const RIGHT: u64 = 10;
    const TOP: u64 = 16;
    const BOTTOM: u64 = 40;
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    // Four gridline steps of a whole number, so that no two gridlines carry the same value.
    let step = values.iter().copied().max().unwrap_or(0).div_ceil(4).max(1);
    let max = step * 4;
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let n = u64::try_from(labels.len()).unwrap_or(1).max(1);
    let slot = plot_w / n;
    let bar = slot.saturating_sub(8).max(2);
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-labelledby=\"{id}-t\"><title id=\"{id}-t\">{}</title>",
        esc(title)
    );
    for i in 0..=4u64 {
        let v = step * i;
        let y = TOP + plot_h - plot_h * i / 4;
        let _ = write!(
            s,
            "<line stroke=\"#d4d4d8\" x1=\"{LEFT}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\"/><text font-family=\"sans-serif\" font-size=\"11\" fill=\"#3f3f46\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            W - RIGHT,
            LEFT - 4,
            y + 4,
            group_thousands(v)
        );
    }
    for (i, label) in labels.iter().enumerate() {
        let i = u64::try_from(i).unwrap_or(0);
        let v = values
            .get(usize::try_from(i).unwrap_or(0))
            .copied()
            .unwrap_or(0);
        let h = plot_h * v / max;
        let x = LEFT + slot * i + 4;
        let _ = write!(
            s,
            "<rect fill=\"{color}\" x=\"{x}\" y=\"{}\" width=\"{bar}\" height=\"{h}\"><title>{}: {}</title></rect><text font-family=\"sans-serif\" font-size=\"11\" fill=\"#3f3f46\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            TOP + plot_h - h,
            esc(label),
            group_thousands(v),
            x + bar / 2,
            TOP + plot_h + 16,
            esc(label)
        );
    }
    s.push_str("</svg>");
    s
}

pub(super) fn month_short(m: u8) -> String {
    MONTHS[usize::from(m).saturating_sub(1).min(11)]
        .chars()
        .take(3)
        .collect()
}

/// Numbers and dates only — never who asked.
pub(super) fn oldest_table(id: &str, caption: &str, rows: &[(String, Date)], to: Date) -> Table {
    Table {
        id: id.to_owned(),
        caption: caption.to_owned(),
        columns: vec![
            "Nomor".into(),
            "Tanggal diterima".into(),
            "Umur (hari kalender)".into(),
        ],
        rows: rows
            .iter()
            .map(|(n, since)| {
                vec![
                    Cell::text(n.clone()),
                    Cell::text(date_id(*since)),
                    Cell::count(u64::try_from((to - *since).whole_days()).unwrap_or(0)),
                ]
            })
            .collect(),
        footer: None,
        note: rows
            .is_empty()
            .then(|| "Tidak ada yang masih terbuka pada akhir periode.".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_escape_their_labels() {
        let svg = bar_chart("c", "a <b>", &["<x>".into()], &[3], "#000");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(!svg.contains("<x>") && !svg.contains("<b>"));
    }
}
