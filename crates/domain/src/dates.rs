//! Dates as the service writes them, in Indonesian and English: one place for month and day
//! names, shared by pages, letters and reports.

use time::Date;

pub const MONTHS_ID: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];
pub const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
pub const DAYS_ID: [&str; 7] = [
    "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu",
];
pub const DAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The Indonesian name of month `m` (1–12; out-of-range values clamp).
pub fn month_id(m: u8) -> &'static str {
    MONTHS_ID[usize::from(m).saturating_sub(1).min(11)]
}

/// `5 Februari 2026`.
pub fn long_id(d: Date) -> String {
    format!("{} {} {}", d.day(), month_id(u8::from(d.month())), d.year())
}

/// `5 February 2026`.
pub fn long_en(d: Date) -> String {
    let m = usize::from(u8::from(d.month())) - 1;
    format!("{} {} {}", d.day(), MONTHS_EN[m], d.year())
}

/// `Kamis, 5 Februari 2026`.
pub fn with_day_id(d: Date) -> String {
    let w = usize::from(d.weekday().number_days_from_monday());
    format!("{}, {}", DAYS_ID[w], long_id(d))
}

/// `Thursday, 5 February 2026`.
pub fn with_day_en(d: Date) -> String {
    let w = usize::from(d.weekday().number_days_from_monday());
    format!("{}, {}", DAYS_EN[w], long_en(d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn dates_read_as_written_by_hand() {
        assert_eq!(long_id(date!(2026 - 02 - 05)), "5 Februari 2026");
        assert_eq!(with_day_id(date!(2026 - 02 - 05)), "Kamis, 5 Februari 2026");
        assert_eq!(
            with_day_en(date!(2026 - 12 - 31)),
            "Thursday, 31 December 2026"
        );
        assert_eq!(month_id(0), "Januari");
        assert_eq!(month_id(13), "Desember");
    }
}
