//! `addWD` speed over a 10-year span: `cargo bench -p lentera-domain --bench calendar`.
//!
//! The shipped data covers 2024–2026; the benchmark appends seven synthetic years (weekends only)
//! so counts can span ten years. The cost of `add_working_days` does not depend on how many
//! holidays a year has.

use std::hint::black_box;
use std::time::Instant;

use lentera_domain::calendar::{HolidayYear, NationalCalendar, WorkingCalendar};
use time::{Date, Duration, Month};

fn main() {
    let shipped = NationalCalendar::shipped().expect("shipped calendar");
    let mut years: Vec<HolidayYear> = shipped.years().cloned().collect();
    for year in 2027..=2033 {
        years.push(HolidayYear {
            country: "ID".into(),
            year,
            version: "synthetic".into(),
            status: "benchmark".into(),
            note: String::new(),
            days: Vec::new(),
        });
    }
    let national = NationalCalendar::from_years(years).expect("contiguous years");
    let built = Instant::now();
    let cal = WorkingCalendar::national_default(&national);
    let build_time = built.elapsed();
    let first = Date::from_calendar_date(2024, Month::January, 1).expect("date");
    // Start dates spread over the first nine years, counts up to 60 working days.
    let starts: Vec<(Date, u32)> = (0..4096u32)
        .map(|i| {
            (
                first + Duration::days(i64::from(i.wrapping_mul(2_654_435_761) % 3_200)),
                1 + i % 60,
            )
        })
        .collect();
    let calls: u32 = 20_000_000;
    let t = Instant::now();
    let mut acc = 0i64;
    for i in 0..calls {
        let (d, n) = starts[(i as usize) & 4095];
        if let Ok(due) = cal.add_working_days(black_box(d), black_box(n)) {
            acc += i64::from(due.ordinal());
        }
    }
    let elapsed = t.elapsed();
    black_box(acc);
    let ns = elapsed.as_nanos() as f64 / f64::from(calls);
    println!(
        "calendar compile (10 years): {:.2} ms",
        build_time.as_secs_f64() * 1e3
    );
    println!(
        "add_working_days: {calls} calls in {:.3} s = {ns:.1} ns/call",
        elapsed.as_secs_f64()
    );
    let t = Instant::now();
    let explains = 200_000u32;
    for i in 0..explains {
        let (d, n) = starts[(i as usize) & 4095];
        black_box(cal.explain(black_box(d), n).ok());
    }
    println!(
        "explain (with skipped days): {:.0} ns/call",
        t.elapsed().as_nanos() as f64 / f64::from(explains)
    );

    // As served: the years read from the database at run time (the shipped JSON parsed again),
    // counts running into the ten provisional years after them, with the provisional flag.
    let text: Vec<String> = shipped
        .years()
        .map(|y| serde_json::to_string(y).expect("json"))
        .collect();
    let loaded: Vec<HolidayYear> = text
        .iter()
        .map(|t| lentera_domain::calendar::import::parse_json(t).expect("valid"))
        .collect();
    let runtime =
        WorkingCalendar::national_default(&NationalCalendar::from_years(loaded).expect("years"));
    let late: Vec<(Date, u32)> = starts
        .iter()
        .map(|(d, n)| (*d + Duration::days(365 * 2), *n))
        .collect();
    let t = Instant::now();
    let mut provisional = 0u32;
    for i in 0..calls {
        let (d, n) = late[(i as usize) & 4095];
        if let Ok(due) = runtime.add_working_days(black_box(d), black_box(n)) {
            provisional += u32::from(runtime.is_provisional_span(d, due));
        }
    }
    let ns = t.elapsed().as_nanos() as f64 / f64::from(calls);
    black_box(provisional);
    println!(
        "add_working_days + is_provisional_span, calendar loaded at run time, 2026-2035: {ns:.1} ns/call ({provisional} provisional)"
    );
}
