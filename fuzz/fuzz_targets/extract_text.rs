//! Every text extractor on any bytes: an answer or an error, never a panic, an abort or more
//! memory than libFuzzer's limit, and never more text than the output limit.
#![no_main]

use std::time::Duration;

use lentera_search::extract::{
    ExtractError, Limits, MAX_OUTPUT_BYTES, MIME_CSV, MIME_DOCX, MIME_PDF, MIME_TEXT, MIME_XLSX,
    extract,
};
use libfuzzer_sys::fuzz_target;

const MIMES: [&str; 5] = [MIME_PDF, MIME_DOCX, MIME_XLSX, MIME_TEXT, MIME_CSV];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let mime = MIMES[usize::from(selector) % MIMES.len()];
    let limits = Limits {
        deadline: Duration::from_secs(10),
        ..Limits::default()
    };
    match extract(bytes, mime, &limits) {
        Ok(extraction) => {
            assert!(extraction.text.len() <= MAX_OUTPUT_BYTES);
        }
        Err(ExtractError::Unsupported(m)) => panic!("{mime} unsupported as {m}"),
        Err(_) => {}
    }
});
