//! SVG charts drawn on the server: grouped bar charts with a title and description for screen
//! readers (pages show the same numbers in a table next to each chart). Pure text, no I/O.

use std::fmt::Write;

/// One series of a bar chart: its name, fill colour and values (one per label).
pub struct Series<'a> {
    pub name: &'a str,
    pub color: &'a str,
    pub values: Vec<i64>,
}

/// Escapes text for XML content and attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const W: i64 = 640;
const H: i64 = 260;
const LEFT: i64 = 40;
const RIGHT: i64 = 10;
const TOP: i64 = 24;
const BOTTOM: i64 = 40;

/// A grouped bar chart. `id` must be unique on the page (it links title and description).
pub fn bar_chart(
    id: &str,
    title: &str,
    desc: &str,
    labels: &[String],
    series: &[Series<'_>],
) -> String {
    let id = escape(id);
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let n = i64::try_from(labels.len()).unwrap_or(1).max(1);
    let k = i64::try_from(series.len()).unwrap_or(1).max(1);
    let slot = plot_w / n;
    let bar = ((slot - 6) / k).max(1);
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"100%\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        escape(title),
        escape(desc)
    );
    // Axis and a few gridlines with their values.
    for i in 0..=4 {
        let v = max * i / 4;
        let y = TOP + plot_h - plot_h * i / 4;
        let _ = write!(
            s,
            "<line stroke=\"#d4d4d8\" x1=\"{LEFT}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\"/><text font-size=\"11\" fill=\"#3f3f46\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{v}</text>",
            W - RIGHT,
            LEFT - 4,
            y + 4
        );
    }
    for (i, label) in labels.iter().enumerate() {
        let i = i64::try_from(i).unwrap_or(0);
        let x0 = LEFT + slot * i + 3;
        for (j, se) in series.iter().enumerate() {
            let j = i64::try_from(j).unwrap_or(0);
            let v = se
                .values
                .get(usize::try_from(i).unwrap_or(0))
                .copied()
                .unwrap_or(0)
                .max(0);
            let h = plot_h * v / max;
            let x = x0 + bar * j;
            let y = TOP + plot_h - h;
            let _ = write!(
                s,
                "<rect fill=\"{}\" x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{h}\"><title>{}: {}: {v}</title></rect>",
                escape(se.color),
                (bar - 1).max(1),
                escape(label),
                escape(se.name)
            );
        }
        let _ = write!(
            s,
            "<text font-size=\"11\" fill=\"#3f3f46\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            x0 + (slot - 6) / 2,
            TOP + plot_h + 16,
            escape(label)
        );
    }
    // Legend.
    for (j, se) in series.iter().enumerate() {
        let j = i64::try_from(j).unwrap_or(0);
        let x = LEFT + 160 * j;
        let _ = write!(
            s,
            "<rect fill=\"{}\" x=\"{x}\" y=\"{}\" width=\"10\" height=\"10\"/><text font-size=\"11\" fill=\"#3f3f46\" x=\"{}\" y=\"{}\">{}</text>",
            escape(se.color),
            H - 14,
            x + 14,
            H - 5,
            escape(se.name)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_well_formed_and_escaped() {
        let svg = bar_chart(
            "c",
            "Tren <bulanan>",
            "a & b",
            &["Jan".into(), "Feb".into()],
            &[Series {
                name: "Diterima \"x\"",
                color: "#1d4ed8",
                values: vec![3, 0],
            }],
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("Tren &lt;bulanan&gt;") && svg.contains("a &amp; b"));
        assert!(svg.contains("Diterima &quot;x&quot;"));
        assert!(!svg.contains("<bulanan>"));
        assert_eq!(
            svg.matches("<rect").count(),
            svg.matches("</rect>").count() + 1
        );
    }
}
