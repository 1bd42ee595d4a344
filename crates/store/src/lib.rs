//! Persistence for Lentera on SQLite (embedded default) or PostgreSQL, with one set of SQL texts
//! and two migration folders kept identical by a test.
//!
//! Repositories are free async functions taking `&Db`, named verb-first. Requests are stored as
//! an append-only event log plus a projection rewritten in the same transaction.

pub mod audit;
pub mod backup;
pub mod bodies;
pub mod brakes;
pub mod calendar;
pub mod dashboard;
pub mod db;
mod error;
mod events;
pub mod installation;
pub mod leases;
pub mod letters;
pub mod mail;
pub mod monev;
pub mod objections;
pub mod register;
pub mod report_texts;
pub mod requests;
pub mod sessions;
pub mod signals;
pub mod tallies;
#[cfg(feature = "testing")]
pub mod testing;
pub mod two_factor;
pub mod users;

pub use db::{Backend, ChangeMark, Db, DbOptions, redact_url};
pub use error::StoreError;

/// `$from, $from+1, …` for `n` bound values of an `IN (…)` list (same text on both back ends).
pub(crate) fn marks(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}
