//! Store tests: every test runs on SQLite and, when configured, on PostgreSQL.

mod parity;
mod repos;
