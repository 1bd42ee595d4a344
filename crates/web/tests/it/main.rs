//! HTTP tests against the real router on a loopback port, on SQLite and (when configured)
//! PostgreSQL.

mod accounts;
mod api;
mod api_calendar;
mod api_durability;
mod api_officers;
mod api_openapi;
mod backup;
mod bench;
mod browser;
mod calendar;
mod common;
mod dashboard;
mod durability;
mod monev;
mod nodes;
mod objections;
mod pages;
mod privacy;
mod questionnaire;
mod register_api;
mod register_pages;
mod report;
mod security;
mod snapshots;
mod tallies;
