//! The [`Report`]'s figures for machines and spreadsheets: a long-format CSV (one line per
//! table cell) and an XLSX workbook (a summary sheet, then one sheet per table).

use std::collections::HashSet;

use rust_xlsxwriter::{Format, Workbook, Worksheet};

use crate::report::{Block, Cell, Report, Table};
use crate::report_pdf::RenderError;
use crate::sheet::csv_safe;

/// The header line of [`report_to_csv`].
pub const CSV_HEADER: [&str; 6] = ["tabel", "judul", "baris", "kolom", "nilai", "teks"];

/// The report's tables in long format: one line per data cell, with the columns
/// `tabel,judul,baris,kolom,nilai,teks` — the table's stable id, its caption, the row label
/// (the row's first cell; for the totals row, the footer's first cell), the column header,
/// the numeric value if the cell has one (`.` as decimal separator, empty otherwise) and the
/// text as shown.
///
/// The first column of a table is the row label and gets no line of its own (unless it is
/// the table's only column). UTF-8 with a byte-order mark, so spreadsheet programs read it as
/// UTF-8; CSV quoting by the `csv` crate. A text field starting with `=`, `+`, `-`, `@`, a tab
/// or a carriage return gets a leading `'` so that no spreadsheet runs it as a formula —
/// except a plain number such as `-3` or `-12,5`, which cannot be one.
#[must_use]
pub fn report_to_csv(r: &Report) -> Vec<u8> {
    // Writing to a Vec cannot fail; a record can only fail on I/O.
    let mut w = csv::WriterBuilder::new().from_writer(b"\xEF\xBB\xBF".to_vec());
    let mut write = |rec: &[&str]| {
        let _ = w.write_record(rec);
    };
    write(&CSV_HEADER);
    for (_, t) in r.tables() {
        let id = csv_safe(&t.id);
        let caption = csv_safe(&t.caption);
        let body = t.rows.iter().chain(t.footer.iter());
        for row in body {
            let label = csv_safe(row.first().map_or("", |c| c.text.as_str()));
            let first = usize::from(row.len() > 1 || t.columns.len() > 1);
            for (i, cell) in row.iter().enumerate().skip(first) {
                let column = csv_safe(&column_name(t, i));
                let value = cell.value.filter(|v| v.is_finite()).map(|v| v.to_string());
                let text = csv_safe(&cell.text);
                write(&[
                    &id,
                    &caption,
                    &label,
                    &column,
                    value.as_deref().unwrap_or(""),
                    &text,
                ]);
            }
        }
    }
    w.into_inner().unwrap_or_default()
}

fn column_name(t: &Table, i: usize) -> String {
    t.columns
        .get(i)
        .cloned()
        .unwrap_or_else(|| format!("kolom {}", i + 1))
}

/// The report as an XLSX workbook: the sheet `Ringkasan` (title, subtitle, period, origin of
/// the figures, then the facts and checks of every chapter), then one sheet per table named
/// after its id (`Tabel 3.1`; at most 31 characters, unique), with the caption on top, a bold
/// header row, the rows (numbers as numbers where the cell has a value, text otherwise), the
/// totals row in bold and the note under it.
pub fn report_to_xlsx(r: &Report) -> Result<Vec<u8>, RenderError> {
    let mut wb = Workbook::new();
    let title = Format::new().set_bold().set_font_size(14);
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(0x00E4_E7EB)
        .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin);
    let foot = Format::new()
        .set_bold()
        .set_border_top(rust_xlsxwriter::FormatBorder::Thin);
    let italic = Format::new().set_italic();
    let mut used = HashSet::new();
    used.insert("ringkasan".to_owned());

    let ws = wb.add_worksheet();
    ws.set_name("Ringkasan")?;
    ws.set_column_width(0, 48.0)?;
    ws.set_column_width(1, 24.0)?;
    let mut row = 0u32;
    ws.write_string_with_format(row, 0, &r.title, &title)?;
    for line in [&r.subtitle, &r.period, &r.generated] {
        if !line.is_empty() {
            row += 1;
            ws.write_string(row, 0, line)?;
        }
    }
    row += 1;
    for c in &r.chapters {
        let mut chapter_written = false;
        for s in &c.sections {
            for b in &s.blocks {
                if !matches!(b, Block::Facts { .. } | Block::Check { .. }) {
                    continue;
                }
                if !chapter_written {
                    row += 2;
                    let name = if c.number.is_empty() {
                        c.title.clone()
                    } else {
                        format!("BAB {} {}", c.number, c.title)
                    };
                    ws.write_string_with_format(row, 0, &name, &bold)?;
                    chapter_written = true;
                }
                match b {
                    Block::Facts { rows } => {
                        for f in rows {
                            row += 1;
                            ws.write_string(row, 0, &f.label)?;
                            write_cell(ws, row, 1, &f.value, None)?;
                        }
                    }
                    Block::Check { text, ok } => {
                        row += 1;
                        ws.write_string(row, 0, text)?;
                        ws.write_string(row, 1, if *ok { "✓ sesuai" } else { "⚠ perhatikan" })?;
                    }
                    _ => {}
                }
            }
        }
    }

    for (_, t) in r.tables() {
        let name = sheet_name(&t.id, &mut used);
        let ws = wb.add_worksheet();
        ws.set_name(&name)?;
        let n = t
            .rows
            .iter()
            .chain(t.footer.iter())
            .map(Vec::len)
            .chain([t.columns.len(), 1])
            .max()
            .unwrap_or(1);
        ws.write_string_with_format(0, 0, &t.caption, &bold)?;
        for i in 0..n {
            let c = col(i);
            ws.write_string_with_format(2, c, t.columns.get(i).map_or("", String::as_str), &head)?;
            ws.set_column_width(c, column_width(t, i))?;
        }
        let mut row = 2u32;
        for cells in &t.rows {
            row += 1;
            for (i, cell) in cells.iter().enumerate() {
                write_cell(ws, row, col(i), cell, None)?;
            }
        }
        if let Some(cells) = &t.footer {
            row += 1;
            for i in 0..n {
                match cells.get(i) {
                    Some(cell) => write_cell(ws, row, col(i), cell, Some(&foot))?,
                    None => {
                        ws.write_blank(row, col(i), &foot)?;
                    }
                }
            }
        }
        if let Some(note) = t.note.as_deref().filter(|n| !n.is_empty()) {
            row += 2;
            ws.write_string_with_format(row, 0, note, &italic)?;
        }
        ws.set_freeze_panes(3, 0)?;
    }
    Ok(wb.save_to_buffer()?)
}

fn col(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

/// A number where the cell has a finite value, else its text (never a formula).
fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    c: u16,
    cell: &Cell,
    format: Option<&Format>,
) -> Result<(), RenderError> {
    match (cell.value.filter(|v| v.is_finite()), format) {
        (Some(v), Some(f)) => ws.write_number_with_format(row, c, v, f)?,
        (Some(v), None) => ws.write_number(row, c, v)?,
        (None, Some(f)) => ws.write_string_with_format(row, c, &cell.text, f)?,
        (None, None) => ws.write_string(row, c, &cell.text)?,
    };
    Ok(())
}

/// A width in characters that fits the column's longest text, within 8–60.
fn column_width(t: &Table, i: usize) -> f64 {
    let longest = t
        .rows
        .iter()
        .chain(t.footer.iter())
        .filter_map(|r| r.get(i))
        .map(|c| c.text.chars().count())
        .chain(t.columns.get(i).map(|h| h.chars().count().min(30)))
        .max()
        .unwrap_or(0);
    #[allow(clippy::cast_precision_loss)]
    let w = (longest + 2) as f64;
    w.clamp(if i == 0 { 12.0 } else { 8.0 }, 60.0)
}

/// `Tabel <id>` made a valid, unique sheet name: no `[]:*?/\\`, no leading or trailing `'`, at
/// most 31 UTF-16 units (Excel's limit), and not used before (compared case-insensitively, as
/// Excel does).
fn sheet_name(id: &str, used: &mut HashSet<String>) -> String {
    let clean: String = id
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let clean = clean.trim().trim_matches('\'').trim();
    let base = if clean.is_empty() {
        "Tabel".to_owned()
    } else {
        fit(&format!("Tabel {clean}"), 31)
    };
    let mut name = base.clone();
    let mut k = 2;
    while !used.insert(name.to_lowercase()) {
        let suffix = format!(" ({k})");
        name = format!("{}{suffix}", fit(&base, 31 - suffix.len()));
        k += 1;
    }
    name
}

/// The longest prefix of `s` within `units` UTF-16 units, with no trailing space or `'`.
fn fit(s: &str, units: usize) -> String {
    let mut n = 0;
    let cut: String = s
        .chars()
        .take_while(|c| {
            n += c.len_utf16();
            n <= units
        })
        .collect();
    cut.trim_end_matches(|c: char| c.is_whitespace() || c == '\'')
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut used = HashSet::new();
        used.insert("ringkasan".to_owned());
        assert_eq!(sheet_name("3.1", &mut used), "Tabel 3.1");
        assert_eq!(sheet_name("3.1", &mut used), "Tabel 3.1 (2)");
        assert_eq!(sheet_name("a/b:c", &mut used), "Tabel a_b_c");
        let long = sheet_name(&"x".repeat(40), &mut used);
        assert_eq!(long.chars().count(), 31);
        let again = sheet_name(&"x".repeat(40), &mut used);
        assert!(again.ends_with(" (2)") && again.chars().count() == 31);
        assert_eq!(sheet_name("", &mut used), "Tabel");
        let astral = sheet_name(&"𐀀".repeat(20), &mut used);
        assert_eq!(astral.encode_utf16().count(), 30);
        assert_eq!(sheet_name("x'  '", &mut used), "Tabel x");
    }
}
