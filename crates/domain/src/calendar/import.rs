//! Reading a national calendar year that an admin loads at run time (domain spec §7.1): the
//! shipped JSON format or CSV `date,kind,name,legal_basis`. Every bad line is reported at once,
//! so an admin fixes a file in one round; nothing is loaded unless every line is good.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::format_description;

use super::{Holiday, HolidayKind, HolidayYear};

/// One problem of a file, by line (CSV: the line of the file; JSON: the position in `days`,
/// from 1; 0 for the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportProblem {
    pub line: usize,
    /// `date`, `kind`, `name`, `legal_basis`, `year`, `file`.
    pub field: &'static str,
    /// `invalid_date`, `wrong_year`, `unknown_kind`, `duplicate`, `required`, `too_long`,
    /// `not_json`, `no_days`, `mixed_years`, `invalid_year`, `invalid_csv`, `too_many_days`.
    pub code: &'static str,
    /// What was found, for the message (never longer than 80 characters).
    pub found: String,
}

impl ImportProblem {
    /// Indonesian text of the problem, for the CLI and the admin page.
    pub fn message(&self) -> String {
        let what = match self.code {
            "invalid_date" => "bukan tanggal yang sah (YYYY-MM-DD)",
            "wrong_year" => "tanggal di luar tahun berkas",
            "unknown_kind" => "jenis tidak dikenal (national_holiday atau collective_leave)",
            "duplicate" => "tanggal yang sama tercantum dua kali",
            "required" => "wajib diisi",
            "too_long" => "terlalu panjang",
            "not_json" => "bukan JSON yang sah",
            "no_days" => "tidak ada hari libur",
            "mixed_years" => "tanggal dari beberapa tahun",
            "invalid_year" => "tahun tidak sah",
            "invalid_csv" => "baris CSV tidak sah (date,kind,name,legal_basis)",
            "too_many_days" => "terlalu banyak hari (paling banyak 100)",
            _ => "tidak sah",
        };
        let found = if self.found.is_empty() {
            String::new()
        } else {
            format!(" («{}»)", self.found)
        };
        if self.line == 0 {
            format!("{}: {what}{found}", self.field)
        } else {
            format!("baris {}, {}: {what}{found}", self.line, self.field)
        }
    }
}

/// A year has at most a few dozen holidays; more is a wrong file.
pub const MAX_DAYS: usize = 100;
const MAX_TEXT: usize = 500;

fn shown(s: &str) -> String {
    s.chars().take(80).collect()
}

fn parse_kind(s: &str) -> Option<HolidayKind> {
    match s
        .trim()
        .to_ascii_lowercase()
        .replace([' ', '-'], "_")
        .as_str()
    {
        "national_holiday" | "libur_nasional" | "keppres_khusus" => {
            Some(HolidayKind::NationalHoliday)
        }
        "collective_leave" | "cuti_bersama" => Some(HolidayKind::CollectiveLeave),
        _ => None,
    }
}

fn parse_date(s: &str) -> Option<Date> {
    Date::parse(s.trim(), format_description!("[year]-[month]-[day]")).ok()
}

/// A day as written in a file, before it is checked.
#[derive(Debug, Clone, Default, Deserialize)]
struct RawDay {
    #[serde(default)]
    date: serde_json::Value,
    #[serde(default)]
    kind: serde_json::Value,
    #[serde(default)]
    name: serde_json::Value,
    #[serde(default)]
    legal_basis: serde_json::Value,
    #[serde(default)]
    effective_from: serde_json::Value,
}

#[derive(Debug, Clone, Deserialize)]
struct RawYear {
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    year: serde_json::Value,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    days: Vec<RawDay>,
}

fn text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Checks the days of one year: every problem is listed.
fn check_days(
    year: i32,
    days: Vec<(usize, String, String, String, String, String)>,
    problems: &mut Vec<ImportProblem>,
) -> Vec<Holiday> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    if days.len() > MAX_DAYS {
        problems.push(ImportProblem {
            line: 0,
            field: "file",
            code: "too_many_days",
            found: days.len().to_string(),
        });
        return out;
    }
    for (line, date, kind, name, basis, effective) in days {
        let mut ok = true;
        let mut bad = |field, code, found: &str| {
            problems.push(ImportProblem {
                line,
                field,
                code,
                found: shown(found),
            });
        };
        let d = parse_date(&date);
        match d {
            None => {
                bad("date", "invalid_date", &date);
                ok = false;
            }
            Some(d) if d.year() != year => {
                bad("date", "wrong_year", &date);
                ok = false;
            }
            Some(d) if !seen.insert(d) => {
                bad("date", "duplicate", &date);
                ok = false;
            }
            Some(_) => {}
        }
        let k = parse_kind(&kind);
        if k.is_none() {
            bad("kind", "unknown_kind", &kind);
            ok = false;
        }
        for (field, value) in [("name", &name), ("legal_basis", &basis)] {
            if value.trim().is_empty() {
                bad(field, "required", "");
                ok = false;
            } else if value.chars().count() > MAX_TEXT {
                bad(field, "too_long", "");
                ok = false;
            }
        }
        let effective_from = if effective.trim().is_empty() {
            None
        } else {
            let e = parse_date(&effective);
            if e.is_none() {
                bad("effective_from", "invalid_date", &effective);
                ok = false;
            }
            e
        };
        if let (true, Some(date), Some(kind)) = (ok, d, k) {
            out.push(Holiday {
                date,
                kind,
                name: name.trim().to_owned(),
                legal_basis: basis.trim().to_owned(),
                effective_from,
            });
        }
    }
    out.sort_by_key(|h| h.date);
    out
}

/// Reads a year in the shipped JSON format.
pub fn parse_json(text_in: &str) -> Result<HolidayYear, Vec<ImportProblem>> {
    let raw: RawYear = serde_json::from_str(text_in).map_err(|e| {
        vec![ImportProblem {
            line: 0,
            field: "file",
            code: "not_json",
            found: shown(&e.to_string()),
        }]
    })?;
    let mut problems = Vec::new();
    let year = match &raw.year {
        serde_json::Value::Number(n) => n.as_i64().and_then(|y| i32::try_from(y).ok()),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|y| (2000..=2200).contains(y));
    let Some(year) = year else {
        return Err(vec![ImportProblem {
            line: 0,
            field: "year",
            code: "invalid_year",
            found: shown(&text(&raw.year)),
        }]);
    };
    if raw.days.is_empty() {
        problems.push(ImportProblem {
            line: 0,
            field: "days",
            code: "no_days",
            found: String::new(),
        });
    }
    let days = raw
        .days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            (
                i + 1,
                text(&d.date),
                text(&d.kind),
                text(&d.name),
                text(&d.legal_basis),
                text(&d.effective_from),
            )
        })
        .collect();
    let days = check_days(year, days, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(HolidayYear {
        country: raw.country.unwrap_or_else(|| "ID".into()),
        year,
        version: raw
            .version
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .unwrap_or_default(),
        status: raw.status.unwrap_or_else(|| "confirmed".into()),
        note: raw.note.unwrap_or_default(),
        days,
    })
}

/// Reads CSV `date,kind,name,legal_basis` (a header line is optional; fields with commas are
/// quoted). The year is that of the dates; the version is left empty for the caller to number.
pub fn parse_csv(text_in: &str) -> Result<HolidayYear, Vec<ImportProblem>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text_in.as_bytes());
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let line = rec
            .as_ref()
            .ok()
            .and_then(|r| r.position())
            .map_or(i + 1, |p| usize::try_from(p.line()).unwrap_or(i + 1));
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                problems.push(ImportProblem {
                    line,
                    field: "file",
                    code: "invalid_csv",
                    found: shown(&e.to_string()),
                });
                continue;
            }
        };
        if rec.iter().all(str::is_empty) {
            continue;
        }
        let field = |k: usize| rec.get(k).unwrap_or("").to_owned();
        if i == 0 && field(0).eq_ignore_ascii_case("date") {
            continue;
        }
        if rec.len() < 4 || rec.len() > 5 {
            problems.push(ImportProblem {
                line,
                field: "file",
                code: "invalid_csv",
                found: shown(&rec.iter().collect::<Vec<_>>().join(",")),
            });
            continue;
        }
        rows.push((line, field(0), field(1), field(2), field(3), field(4)));
    }
    // The year is the one most dates name; the others are reported as wrong.
    let mut years: Vec<i32> = rows
        .iter()
        .filter_map(|r| parse_date(&r.1).map(|d| d.year()))
        .collect();
    years.sort_unstable();
    let year = years
        .chunk_by(|a, b| a == b)
        .max_by_key(|c| c.len())
        .and_then(|c| c.first().copied());
    let Some(year) = year else {
        if problems.is_empty() && rows.is_empty() {
            problems.push(ImportProblem {
                line: 0,
                field: "days",
                code: "no_days",
                found: String::new(),
            });
        }
        // No valid date at all: every line says why.
        let _ = check_days(0, rows, &mut problems);
        return Err(problems);
    };
    let days = check_days(year, rows, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(HolidayYear {
        country: "ID".into(),
        year,
        version: String::new(),
        status: "confirmed".into(),
        note: String::new(),
        days,
    })
}

/// Reads either format: JSON when the text starts with `{`, CSV otherwise.
pub fn parse_any(text_in: &str) -> Result<HolidayYear, Vec<ImportProblem>> {
    let t = text_in.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('{') {
        parse_json(t)
    } else {
        parse_csv(t)
    }
}

/// A canonical digest input of a year's content (days with kind, name and basis), so that
/// loading the same content twice is recognised whatever the file's spacing or order.
pub fn canonical(y: &HolidayYear) -> String {
    let mut days = y.days.clone();
    days.sort_by_key(|h| h.date);
    serde_json::to_string(&(y.year, &y.version, &days)).unwrap_or_default()
}

/// How a new version of a year differs from the one in force, day by day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct YearDiff {
    pub added: Vec<Holiday>,
    pub removed: Vec<Holiday>,
    /// Same date, other kind.
    pub changed: Vec<(Holiday, Holiday)>,
}

impl YearDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// Days added, removed or changed in kind from `old` (absent: the year was provisional, its
/// fixed holidays only) to `new`.
pub fn diff(old: Option<&HolidayYear>, new: &HolidayYear) -> YearDiff {
    let old_days: Vec<Holiday> = match old {
        Some(o) => o.days.clone(),
        None => Vec::new(),
    };
    let mut d = YearDiff::default();
    for h in &new.days {
        match old_days.iter().find(|o| o.date == h.date) {
            None => d.added.push(h.clone()),
            Some(o) if o.kind != h.kind => d.changed.push((o.clone(), h.clone())),
            Some(_) => {}
        }
    }
    for o in &old_days {
        if !new.days.iter().any(|h| h.date == o.date) {
            d.removed.push(o.clone());
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_shipped_files_read_back() {
        for text_in in super::super::SHIPPED {
            let y = parse_any(text_in).expect("shipped file is valid");
            assert!(!y.days.is_empty());
            assert!(!y.version.is_empty());
        }
    }

    #[test]
    fn csv_with_quoted_commas_and_a_header() {
        let csv = "date,kind,name,legal_basis\n\
                   2027-01-01,national_holiday,Tahun Baru 2027 Masehi,\"SKB No. 1/2026, 2/2026, 3/2026\"\n\
                   2027-02-08,cuti_bersama,Tahun Baru Imlek,\"SKB No. 1/2026, 2/2026, 3/2026\"\n";
        let y = parse_csv(csv).expect("valid");
        assert_eq!(y.year, 2027);
        assert_eq!(y.days.len(), 2);
        assert_eq!(y.days[1].kind, HolidayKind::CollectiveLeave);
        assert_eq!(y.days[0].legal_basis, "SKB No. 1/2026, 2/2026, 3/2026");
    }

    #[test]
    fn every_bad_line_is_listed() {
        let csv = "2027-01-01,national_holiday,Tahun Baru,SKB 1\n\
                   2027-02-30,national_holiday,Tanggal mustahil,SKB 1\n\
                   2026-12-31,national_holiday,Tahun lain,SKB 1\n\
                   2027-03-01,libur_daerah,Jenis asing,SKB 1\n\
                   2027-01-01,collective_leave,Dua kali,SKB 1\n\
                   2027-04-01,national_holiday,,SKB 1\n";
        let p = parse_csv(csv).expect_err("bad lines");
        let got: Vec<(usize, &str, &str)> = p.iter().map(|p| (p.line, p.field, p.code)).collect();
        assert_eq!(
            got,
            vec![
                (2, "date", "invalid_date"),
                (3, "date", "wrong_year"),
                (4, "kind", "unknown_kind"),
                (5, "date", "duplicate"),
                (6, "name", "required"),
            ]
        );
        assert!(p[0].message().contains("baris 2"), "{}", p[0].message());
    }

    #[test]
    fn json_problems_name_the_day() {
        let json = r#"{"country":"ID","year":2027,"version":"2027.1","status":"confirmed",
            "days":[{"date":"2027-01-01","kind":"national_holiday","name":"Tahun Baru","legal_basis":"SKB"},
                    {"date":"2028-01-01","kind":"national_holiday","name":"Salah tahun","legal_basis":"SKB"},
                    {"date":"kemarin","kind":"weekend","name":"x","legal_basis":"SKB"}]}"#;
        let p = parse_json(json).expect_err("bad days");
        let got: Vec<(usize, &str)> = p.iter().map(|p| (p.line, p.code)).collect();
        assert_eq!(
            got,
            vec![(2, "wrong_year"), (3, "invalid_date"), (3, "unknown_kind")]
        );
        assert_eq!(
            parse_json("{not json").expect_err("not json")[0].code,
            "not_json"
        );
        assert_eq!(
            parse_json(r#"{"year": 1850, "days": []}"#).expect_err("year")[0].code,
            "invalid_year"
        );
    }

    #[test]
    fn a_diff_lists_added_removed_and_changed_days() {
        let old = parse_any(super::super::SHIPPED[1]).expect("2025");
        let mut new = old.clone();
        let removed = new.days.remove(0);
        new.days[0].kind = HolidayKind::CollectiveLeave;
        new.days.push(Holiday {
            date: date!(2025 - 12 - 31),
            kind: HolidayKind::CollectiveLeave,
            name: "Tambahan".into(),
            legal_basis: "SKB perubahan".into(),
            effective_from: None,
        });
        let d = diff(Some(&old), &new);
        assert_eq!(d.removed, vec![removed]);
        assert_eq!(d.added.len(), 1);
        assert_eq!(d.changed.len(), 1);
        assert!(diff(Some(&old), &old).is_empty());
    }
}
