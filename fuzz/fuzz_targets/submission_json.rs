//! A request body as the API reads it (JSON into a `RawSubmission`, then validation): errors,
//! never panics, and what validates respects the field limits.
#![no_main]

use lentera_domain::submission::{MAX_INFORMATION, MAX_PURPOSE, RawSubmission};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = serde_json::from_slice::<RawSubmission>(data) else {
        return;
    };
    let Ok(submission) = raw.validate() else {
        return;
    };
    assert!(submission.information.chars().count() <= MAX_INFORMATION);
    assert!(submission.purpose.chars().count() <= MAX_PURPOSE);
    assert!(!submission.information.trim().is_empty());
    // Validation is stable: what it accepted, it accepts again.
    let again = RawSubmission {
        information: Some(submission.information.clone()),
        purpose: Some(submission.purpose.clone()),
        ..raw
    };
    assert!(again.validate().is_ok());
});
