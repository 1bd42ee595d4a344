//! JSON API v1 handlers, one module per resource.

pub mod auth;
pub mod calendar;
pub mod dashboard;
pub mod monev;
pub mod objections;
pub mod public;
pub mod register;
pub mod requests;
