//! Plain tables as CSV and XLSX (the DIP and DIK exports), and the one rule that keeps a cell
//! from running as a spreadsheet formula, shared with the report's tables.

use crate::RenderError;

/// A sheet: column headers and rows of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// The worksheet's name in XLSX (at most 31 characters).
    pub name: &'static str,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

/// A cell a spreadsheet will not run as a formula: a text starting with `=`, `+`, `-`, `@`, a
/// tab or a carriage return gets a leading `'`, except a plain number such as `-3` or
/// `-12,5`, which cannot be one.
#[must_use]
pub fn csv_safe(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if !is_plain_number(s) => format!("'{s}"),
        _ => s.to_owned(),
    }
}

/// `-3`, `+1.234`, `-12,5`, `-4,0 %`: a sign, digits with `.`/`,` and an optional percent.
fn is_plain_number(s: &str) -> bool {
    let s = s.strip_suffix('%').map_or(s, str::trim_end);
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    s.starts_with(|c: char| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
}

/// UTF-8 CSV with a byte-order mark (so spreadsheet programs read it as UTF-8), every cell
/// made [`csv_safe`].
#[must_use]
pub fn sheet_to_csv(s: &Sheet) -> Vec<u8> {
    // Writing to a Vec cannot fail; a record can only fail on I/O.
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let _ = w.write_record(&s.headers);
    for row in &s.rows {
        let _ = w.write_record(row.iter().map(|c| csv_safe(c)));
    }
    w.into_inner().unwrap_or_default()
}

/// One worksheet: bold wrapped headers, frozen under the first row, every cell a string cell
/// (never read as a formula).
pub fn sheet_to_xlsx(s: &Sheet) -> Result<Vec<u8>, RenderError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold().set_text_wrap();
    let wrap = Format::new().set_text_wrap();
    let ws = wb.add_worksheet();
    ws.set_name(s.name)?;
    for (c, h) in s.headers.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        ws.write_string_with_format(0, c, *h, &bold)?;
        ws.set_column_width(c, if c == 0 { 5.0 } else { 28.0 })?;
    }
    for (r, row) in s.rows.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            ws.write_string_with_format(r, c, cell, &wrap)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(wb.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_but_plain_numbers_and_text_are_not() {
        assert_eq!(csv_safe("=1+1"), "'=1+1");
        assert_eq!(csv_safe("-x"), "'-x");
        assert_eq!(csv_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_safe("+62 812"), "'+62 812");
        assert_eq!(csv_safe("\tcmd"), "'\tcmd");
        assert_eq!(csv_safe("-2+3"), "'-2+3");
        assert_eq!(csv_safe("-12,5"), "-12,5");
        assert_eq!(csv_safe("-12,5 %"), "-12,5 %");
        assert_eq!(csv_safe("Laporan"), "Laporan");
    }

    #[test]
    fn a_sheet_as_csv_has_the_mark_the_headers_and_safe_cells() {
        let s = Sheet {
            name: "DIP",
            headers: vec!["No", "Judul"],
            rows: vec![vec!["1".into(), "=HYPERLINK(\"x\")".into()]],
        };
        let csv = sheet_to_csv(&s);
        let text = String::from_utf8(csv).expect("utf-8");
        assert!(text.starts_with("\u{feff}No,Judul\n"), "{text}");
        assert!(text.contains("1,\"'=HYPERLINK(\"\"x\"\")\""), "{text}");
        let xlsx = sheet_to_xlsx(&s).expect("xlsx");
        assert!(xlsx.starts_with(b"PK"), "an XLSX is a zip");
    }
}
