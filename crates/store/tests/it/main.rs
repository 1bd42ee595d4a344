//! Store tests: every test runs on SQLite and, when configured, on PostgreSQL.

mod audit_chain;
mod letters;
mod parity;
mod repos;
mod shared_state;
