//! The national calendar import (the shipped JSON format or CSV): problems reported, never a
//! panic, and an accepted year holds only days of that year.
#![no_main]

use lentera_domain::calendar::import::parse_any;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(year) = parse_any(&text) else {
        return;
    };
    assert!(
        year.days.iter().all(|d| d.date.year() == year.year),
        "{year:?}"
    );
});
