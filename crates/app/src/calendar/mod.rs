//! The national calendar as data (domain spec §7.1, revised): the versions in the database,
//! seen by every instance within a second; loading a year at run time; and the recomputation
//! that moves every open deadline a change touches, in batches, each with its events.

use std::collections::HashMap;

use lentera_domain::calendar::HolidayYear;
use lentera_domain::calendar::import;
pub use lentera_store::calendar::VersionRow;
use sha2::Digest;
use time::Duration;

use crate::AppError;

mod import_year;
mod national;
mod recompute;

pub use import_year::{ImportOutcome, Move, Preview};
pub(crate) use national::National;
pub use national::{CalendarYearItem, NationalState};

/// Requests older than this before the changed year cannot have a date inside it.
const REACH: Duration = Duration::days(150);
const BATCH: i64 = 500;
const LEASE: Duration = Duration::seconds(30);

fn unexpected(e: impl std::fmt::Display) -> AppError {
    AppError::Unexpected(anyhow::anyhow!("{e}"))
}

/// The distinct legal bases of a year's days, as one line.
fn instrument(y: &HolidayYear) -> String {
    let mut out: Vec<&str> = Vec::new();
    for h in &y.days {
        for part in h.legal_basis.split(';').map(str::trim) {
            if !part.is_empty() && !out.contains(&part) {
                out.push(part);
            }
        }
    }
    out.join("; ")
}

fn digest(y: &HolidayYear) -> String {
    hex::encode(sha2::Sha256::digest(import::canonical(y).as_bytes()))
}

/// The version in force of each year: the latest loaded.
fn in_force(rows: &[VersionRow]) -> HashMap<i64, &VersionRow> {
    let mut m: HashMap<i64, &VersionRow> = HashMap::new();
    for r in rows {
        if m.get(&r.year).is_none_or(|o| o.id < r.id) {
            m.insert(r.year, r);
        }
    }
    m
}
