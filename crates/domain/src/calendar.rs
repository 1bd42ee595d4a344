//! Working days (*hari kerja*) of the domain spec §7.
//!
//! The national holiday data ships as versioned JSON per year (`data/calendar/ID-YYYY.json`).
//! A [`WorkingCalendar`] is compiled once per body setting (workweek, *cuti bersama* switch,
//! closures) into a dense day table so that `add_working_days` is two array reads: the figure
//! the issue asks for is well under a microsecond over any span.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month, Weekday};

/// Why a day is not a working day. Serialised names are those of the API contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    Weekend,
    NationalHoliday,
    CollectiveLeave,
    Closure,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Weekend => "weekend",
            Self::NationalHoliday => "national_holiday",
            Self::CollectiveLeave => "collective_leave",
            Self::Closure => "closure",
        }
    }

    /// Indonesian label for pages and letters.
    pub fn label_id(self) -> &'static str {
        match self {
            Self::Weekend => "akhir pekan",
            Self::NationalHoliday => "libur nasional",
            Self::CollectiveLeave => "cuti bersama",
            Self::Closure => "penutupan kantor",
        }
    }
}

/// Kind of a day in the national calendar data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HolidayKind {
    NationalHoliday,
    CollectiveLeave,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub date: Date,
    pub kind: HolidayKind,
    pub name: String,
    pub legal_basis: String,
    /// Day the instrument was signed; a holiday added mid-year (e.g. 18 Aug 2025) is known only
    /// from then on.
    pub effective_from: Option<Date>,
}

/// One year of national holiday data, as shipped.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HolidayYear {
    pub country: String,
    pub year: i32,
    pub version: String,
    pub status: String,
    #[serde(default)]
    pub note: String,
    pub days: Vec<Holiday>,
}

/// Holiday data of every loaded year. A year that is not loaded (a gap, or the years after the
/// last one) is counted provisionally: weekends and the holidays fixed by law only (§7.1).
#[derive(Debug, Clone)]
pub struct NationalCalendar {
    years: BTreeMap<i32, HolidayYear>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CalendarDataError {
    #[error("calendar data is not valid JSON: {0}")]
    Parse(String),
    #[error("holiday {date} is listed under year {year}")]
    WrongYear { date: Date, year: i32 },
    #[error("no calendar year loaded")]
    Empty,
}

const SHIPPED: [&str; 3] = [
    include_str!("../data/calendar/ID-2024.json"),
    include_str!("../data/calendar/ID-2025.json"),
    include_str!("../data/calendar/ID-2026.json"),
];

impl NationalCalendar {
    /// The calendar shipped with this build (2024–2026).
    pub fn shipped() -> Result<Self, CalendarDataError> {
        let years = SHIPPED
            .iter()
            .map(|text| {
                serde_json::from_str::<HolidayYear>(text)
                    .map_err(|e| CalendarDataError::Parse(e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Self::from_years(years)
    }

    pub fn from_years(list: Vec<HolidayYear>) -> Result<Self, CalendarDataError> {
        let mut years = BTreeMap::new();
        for y in list {
            if let Some(h) = y.days.iter().find(|h| h.date.year() != y.year) {
                return Err(CalendarDataError::WrongYear {
                    date: h.date,
                    year: y.year,
                });
            }
            years.insert(y.year, y);
        }
        if years.is_empty() {
            return Err(CalendarDataError::Empty);
        }
        Ok(Self { years })
    }

    pub fn first_year(&self) -> i32 {
        self.years.keys().next().copied().unwrap_or(0)
    }

    pub fn last_year(&self) -> i32 {
        self.years.keys().last().copied().unwrap_or(0)
    }

    pub fn years(&self) -> impl Iterator<Item = &HolidayYear> {
        self.years.values()
    }

    /// Whether the SKB of `year` is loaded (otherwise it is counted provisionally).
    pub fn is_loaded(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    pub fn year(&self, year: i32) -> Option<&HolidayYear> {
        self.years.get(&year)
    }

    /// The same calendar with `year` replaced by (or extended with) `y`.
    #[must_use]
    pub fn with_year(&self, y: HolidayYear) -> Self {
        let mut years = self.years.clone();
        years.insert(y.year, y);
        Self { years }
    }

    pub fn holidays(&self) -> impl Iterator<Item = &Holiday> {
        self.years.values().flat_map(|y| y.days.iter())
    }

    /// A short identifier of the loaded data, stored with each deadline so a later change of the
    /// data can be detected.
    pub fn version(&self) -> String {
        self.years
            .values()
            .map(|y| y.version.as_str())
            .collect::<Vec<_>>()
            .join("+")
    }
}

/// A body's own closure day (regional holiday, office closure), with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closure {
    pub date: Date,
    pub reason: String,
}

/// When the statutory clock starts (domain spec §7.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockMode {
    /// Day of receipt is day 0, whatever kind of day it is.
    #[default]
    Strict,
    /// Day 0 is the first working day on or after receipt (registration).
    Register,
}

/// The per-body switches that change which days count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarSettings {
    /// Monday..Sunday; `true` = office open.
    pub workweek: [bool; 7],
    /// Count *cuti bersama* as working days (e.g. a BUMN that works on them). Default `false`.
    pub collective_leave_is_working: bool,
    pub closures: Vec<Closure>,
    pub clock_mode: ClockMode,
}

impl Default for CalendarSettings {
    fn default() -> Self {
        Self {
            workweek: [true, true, true, true, true, false, false],
            collective_leave_is_working: false,
            closures: Vec::new(),
            clock_mode: ClockMode::Strict,
        }
    }
}

/// The count ran past (or starts before) the years whose holidays are loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("calendar incomplete: no holiday data for {year}")]
pub struct CalendarIncomplete {
    pub year: i32,
}

/// A skipped day with its reason and, for holidays and closures, its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedDay {
    pub date: Date,
    pub reason: SkipReason,
    pub name: Option<String>,
}

/// `addWD` together with the days it stepped over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueExplanation {
    pub from: Date,
    /// Day 0 of the count: `from` in STRICT mode, the registration day in REGISTER mode.
    pub clock_start: Date,
    pub days: u32,
    pub due: Date,
    pub skipped: Vec<SkippedDay>,
    /// Counted through a year whose SKB is not loaded: the earliest the real date can be.
    #[serde(default)]
    pub provisional: bool,
}

/// Years after the last loaded one that are counted provisionally. A request, an objection or a
/// dispute step runs at most a few months, so ten years is "never null" in practice, at a table
/// of about 50 KiB per body.
pub const PROVISIONAL_YEARS_AHEAD: i32 = 10;

/// The national holidays whose date is fixed by law every year (domain spec §7.1): the only
/// holidays a year whose SKB is not loaded yet is counted with.
pub const FIXED_HOLIDAYS: [(Month, u8, &str); 5] = [
    (Month::January, 1, "Tahun Baru Masehi"),
    (Month::May, 1, "Hari Buruh Internasional"),
    (Month::June, 1, "Hari Lahir Pancasila"),
    (Month::August, 17, "Hari Proklamasi Kemerdekaan RI"),
    (Month::December, 25, "Hari Raya Natal"),
];

/// A compiled calendar: every day of the loaded years, and of the provisional years after them,
/// classified once.
#[derive(Debug, Clone)]
pub struct WorkingCalendar {
    base_julian: i32,
    first_year: i32,
    last_year: i32,
    /// The last year of the table (provisional past `last_year`).
    horizon_year: i32,
    /// `provisional[i]` = days in `[0, i]` that belong to a year whose SKB is not loaded.
    provisional: Vec<u32>,
    /// The years that are loaded, as offsets from `first_year`.
    loaded: Vec<bool>,
    /// `None` = working day.
    reasons: Vec<Option<SkipReason>>,
    /// `count[i]` = working days in `[0, i]`.
    count: Vec<u32>,
    /// Day indices of the working days, ascending.
    working: Vec<u32>,
    names: BTreeMap<Date, String>,
    clock_mode: ClockMode,
    version: String,
}

fn weekday_index(w: Weekday) -> usize {
    usize::from(w.number_days_from_monday())
}

impl WorkingCalendar {
    pub fn new(national: &NationalCalendar, settings: &CalendarSettings) -> Self {
        let first_year = national.first_year();
        let last_year = national.last_year();
        let horizon_year = last_year + PROVISIONAL_YEARS_AHEAD;
        let start = Date::from_calendar_date(first_year, Month::January, 1).unwrap_or(Date::MIN);
        let end = Date::from_calendar_date(horizon_year, Month::December, 31).unwrap_or(Date::MIN);
        let base_julian = start.to_julian_day();
        let len = usize::try_from(end.to_julian_day() - base_julian + 1).unwrap_or(0);

        let mut reasons: Vec<Option<SkipReason>> = Vec::with_capacity(len);
        let mut d = start;
        for _ in 0..len {
            reasons.push(
                (!settings.workweek[weekday_index(d.weekday())]).then_some(SkipReason::Weekend),
            );
            d = d.next_day().unwrap_or(d);
        }
        let mut names = BTreeMap::new();
        let index = |date: Date| {
            usize::try_from(date.to_julian_day() - base_julian)
                .ok()
                .filter(|i| *i < len)
        };
        let loaded: Vec<bool> = (first_year..=horizon_year)
            .map(|y| national.is_loaded(y))
            .collect();
        let provisional_holidays = (first_year..=horizon_year)
            .filter(|y| !national.is_loaded(*y))
            .flat_map(|y| {
                FIXED_HOLIDAYS.iter().filter_map(move |(m, d, name)| {
                    Some(Holiday {
                        date: Date::from_calendar_date(y, *m, *d).ok()?,
                        kind: HolidayKind::NationalHoliday,
                        name: format!("{name} (sementara: SKB {y} belum dimuat)"),
                        legal_basis: String::new(),
                        effective_from: None,
                    })
                })
            })
            .collect::<Vec<_>>();
        for h in national.holidays().chain(provisional_holidays.iter()) {
            let Some(i) = index(h.date) else { continue };
            let reason = match h.kind {
                HolidayKind::NationalHoliday => Some(SkipReason::NationalHoliday),
                HolidayKind::CollectiveLeave if settings.collective_leave_is_working => None,
                HolidayKind::CollectiveLeave => Some(SkipReason::CollectiveLeave),
            };
            // A weekend stays a weekend in the explanation only if no holiday falls on it: the
            // holiday is the more informative reason for a reader.
            if let Some(r) = reason {
                reasons[i] = Some(r);
                names.insert(h.date, h.name.clone());
            }
        }
        for c in &settings.closures {
            let Some(i) = index(c.date) else { continue };
            if reasons[i].is_none() {
                reasons[i] = Some(SkipReason::Closure);
                names.insert(c.date, c.reason.clone());
            }
        }
        let mut count = Vec::with_capacity(len);
        let mut provisional = Vec::with_capacity(len);
        let mut working = Vec::new();
        let mut n = 0u32;
        let mut p = 0u32;
        let mut d = start;
        for (i, r) in reasons.iter().enumerate() {
            if r.is_none() {
                n += 1;
                working.push(u32::try_from(i).unwrap_or(u32::MAX));
            }
            if !national.is_loaded(d.year()) {
                p += 1;
            }
            count.push(n);
            provisional.push(p);
            d = d.next_day().unwrap_or(d);
        }
        Self {
            base_julian,
            first_year,
            last_year,
            horizon_year,
            provisional,
            loaded,
            reasons,
            count,
            working,
            names,
            clock_mode: settings.clock_mode,
            version: national.version(),
        }
    }

    /// The national calendar with default settings (Mon–Fri, *cuti bersama* closed, STRICT).
    pub fn national_default(national: &NationalCalendar) -> Self {
        Self::new(national, &CalendarSettings::default())
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn first_year(&self) -> i32 {
        self.first_year
    }

    pub fn last_year(&self) -> i32 {
        self.last_year
    }

    /// Whether `year`'s SKB is loaded (days of other years in range are provisional).
    pub fn is_loaded_year(&self, year: i32) -> bool {
        usize::try_from(year - self.first_year)
            .ok()
            .and_then(|i| self.loaded.get(i).copied())
            .unwrap_or(false)
    }

    /// Whether a count over the days `(from, to]` went through a year whose SKB is not loaded:
    /// its result is the earliest the real date can be (*sementara*). Days outside the table
    /// count as provisional.
    pub fn is_provisional_span(&self, from: Date, to: Date) -> bool {
        if to <= from {
            return !self.is_loaded_year(to.year());
        }
        match (self.index(from), self.index(to)) {
            (Ok(a), Ok(b)) => self.provisional[b] > self.provisional[a],
            _ => true,
        }
    }

    /// The first year after `from`'s whose SKB is not loaded: deadlines that reach it are
    /// provisional.
    pub fn first_unloaded_year_after(&self, from: Date) -> i32 {
        let mut y = from.year();
        while self.is_loaded_year(y) {
            y += 1;
        }
        y
    }

    pub fn clock_mode(&self) -> ClockMode {
        self.clock_mode
    }

    fn index(&self, d: Date) -> Result<usize, CalendarIncomplete> {
        usize::try_from(d.to_julian_day() - self.base_julian)
            .ok()
            .filter(|i| *i < self.reasons.len())
            .ok_or(CalendarIncomplete { year: d.year() })
    }

    fn date_at(&self, i: usize) -> Date {
        let offset = i32::try_from(i).unwrap_or(i32::MAX);
        Date::from_julian_day(self.base_julian + offset).unwrap_or(Date::MAX)
    }

    fn past_end(&self) -> CalendarIncomplete {
        CalendarIncomplete {
            year: self.horizon_year + 1,
        }
    }

    /// Why `d` is not a working day, or `None` when it is one.
    pub fn skip_reason(&self, d: Date) -> Result<Option<SkipReason>, CalendarIncomplete> {
        Ok(self.reasons[self.index(d)?])
    }

    pub fn is_working_day(&self, d: Date) -> Result<bool, CalendarIncomplete> {
        Ok(self.skip_reason(d)?.is_none())
    }

    /// The holiday's or closure's name for a skipped day.
    pub fn day_name(&self, d: Date) -> Option<&str> {
        self.names.get(&d).map(String::as_str)
    }

    /// Day 0 of a statutory count for something received on `received`.
    pub fn clock_start(&self, received: Date) -> Result<Date, CalendarIncomplete> {
        match self.clock_mode {
            ClockMode::Strict => {
                self.index(received)?;
                Ok(received)
            }
            ClockMode::Register => {
                let i = self.index(received)?;
                let before = if i == 0 { 0 } else { self.count[i - 1] };
                let pos = usize::try_from(before).unwrap_or(usize::MAX);
                let day = self.working.get(pos).ok_or_else(|| self.past_end())?;
                Ok(self.date_at(usize::try_from(*day).unwrap_or(usize::MAX)))
            }
        }
    }

    /// `addWD(start, n)` of the domain spec: day of `start` is day 0, the result is the n-th
    /// working day after it. `n = 0` returns `start`.
    pub fn add_working_days(&self, start: Date, n: u32) -> Result<Date, CalendarIncomplete> {
        let i = self.index(start)?;
        if n == 0 {
            return Ok(start);
        }
        let pos = usize::try_from(self.count[i] + n - 1).unwrap_or(usize::MAX);
        match self.working.get(pos) {
            Some(day) => Ok(self.date_at(usize::try_from(*day).unwrap_or(usize::MAX))),
            None => Err(self.past_end()),
        }
    }

    /// `addWD` applied after the body's clock rule: the legal due date for something received
    /// on `received` with a limit of `n` working days.
    pub fn due_date(&self, received: Date, n: u32) -> Result<Date, CalendarIncomplete> {
        self.add_working_days(self.clock_start(received)?, n)
    }

    /// Working days in `(from, to]`: the *waktu layanan* of §8.3 (0 when `to <= from`).
    pub fn working_days_between(&self, from: Date, to: Date) -> Result<u32, CalendarIncomplete> {
        if to <= from {
            return Ok(0);
        }
        let a = self.index(from)?;
        let b = self.index(to)?;
        Ok(self.count[b] - self.count[a])
    }

    /// [`Self::due_date`] with every skipped day listed with its reason.
    pub fn explain(&self, received: Date, n: u32) -> Result<DueExplanation, CalendarIncomplete> {
        let clock_start = self.clock_start(received)?;
        let due = self.add_working_days(clock_start, n)?;
        let mut skipped = Vec::new();
        let mut d = received;
        while d < due {
            d = d.next_day().ok_or_else(|| self.past_end())?;
            // In REGISTER mode the days between receipt and registration are skipped too.
            if let Some(reason) = self.skip_reason(d)? {
                skipped.push(SkippedDay {
                    date: d,
                    reason,
                    name: self.day_name(d).map(str::to_owned),
                });
            }
        }
        if clock_start > received {
            // The receipt day itself was not a working day and did not start the clock.
            if let Some(reason) = self.skip_reason(received)? {
                skipped.insert(
                    0,
                    SkippedDay {
                        date: received,
                        reason,
                        name: self.day_name(received).map(str::to_owned),
                    },
                );
            }
        }
        Ok(DueExplanation {
            from: received,
            clock_start,
            days: n,
            due,
            skipped,
            provisional: self.is_provisional_span(received, due),
        })
    }

    /// Calendar-day arithmetic, for the few rules counted in calendar days (*kasasi*: 14 days).
    pub fn add_calendar_days(start: Date, n: u32) -> Option<Date> {
        start.checked_add(Duration::days(i64::from(n)))
    }
}

pub mod import;

#[cfg(test)]
mod tests;
