//! For the tests of the crates above the app (feature `testing`, never in a release): fresh
//! databases, and the store itself, so that a test can look at what was written (the audit
//! rows, a tampered byte) without the production code of those crates reaching past the app.

pub use lentera_store as store;
pub use lentera_store::testing::*;
