//! The national calendar in force: its versions in the database, read again when they change.

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use lentera_domain::calendar::{HolidayYear, NationalCalendar, WorkingCalendar};
use lentera_store::calendar::VersionRow;
use lentera_store::calendar::{self as store, NewVersion};
use serde::Serialize;
use time::Date;

use super::{digest, in_force, instrument, unexpected};
use crate::{App, AppError};

/// The national calendar in force, as last read from the database.
#[derive(Debug)]
pub struct NationalState {
    pub calendar: NationalCalendar,
    /// With default settings (no body named).
    pub default: Arc<WorkingCalendar>,
    /// Moves with every loaded version and finished recomputation (see
    /// [`store::generation`]); compiled body calendars carry the one they were built from.
    pub generation: (i64, i64),
    pub versions: Vec<VersionRow>,
}

impl NationalState {
    pub fn shipped() -> Result<Self, AppError> {
        let calendar =
            NationalCalendar::shipped().map_err(|e| AppError::Unexpected(anyhow::Error::new(e)))?;
        Ok(Self {
            default: Arc::new(WorkingCalendar::national_default(&calendar)),
            calendar,
            generation: (0, 0),
            versions: Vec::new(),
        })
    }
}

/// A year in force, for `GET /api/v1/calendar/years` and `lentera calendar list`.
#[derive(Debug, Clone, Serialize)]
pub struct CalendarYearItem {
    pub year: i64,
    pub version: String,
    pub status: String,
    pub loaded_at: time::OffsetDateTime,
    pub days: usize,
    pub instrument: String,
    pub source: String,
    pub loaded_by: String,
    /// Every open deadline it touches has been recomputed.
    pub applied: bool,
    /// Earlier versions of the year (kept, no longer in force).
    pub superseded: usize,
}

fn year_of(row: &VersionRow) -> Result<HolidayYear, AppError> {
    serde_json::from_str(&row.data)
        .map_err(|e| unexpected(format!("calendar version {}: {e}", row.id)))
}

/// The national calendar this process uses, and when the database was last asked about it.
pub(crate) struct National {
    /// The calendar in force (database versions; the shipped years until read).
    state: RwLock<Arc<NationalState>>,
    /// When the database was last asked whether the calendar changed.
    checked: Mutex<Instant>,
}

/// An instant long enough ago that the next request path asks the database.
fn long_ago() -> Instant {
    Instant::now()
        .checked_sub(Duration::from_secs(3600))
        .unwrap_or_else(Instant::now)
}

impl National {
    /// The shipped years, to be checked against the database on first use.
    pub(crate) fn shipped() -> Result<Self, AppError> {
        Ok(Self {
            state: RwLock::new(Arc::new(NationalState::shipped()?)),
            checked: Mutex::new(long_ago()),
        })
    }

    fn current(&self) -> Arc<NationalState> {
        self.state
            .read()
            .map(|g| Arc::clone(&g))
            .unwrap_or_else(|p| Arc::clone(&p.into_inner()))
    }

    fn replace(&self, state: NationalState) {
        if let Ok(mut g) = self.state.write() {
            *g = Arc::new(state);
        }
    }

    fn mark_checked(&self) {
        if let Ok(mut at) = self.checked.lock() {
            *at = Instant::now();
        }
    }

    /// Whether a second has passed since the last check.
    fn check_due(&self) -> bool {
        self.checked
            .lock()
            .map(|at| at.elapsed() >= Duration::from_secs(1))
            .unwrap_or(false)
    }

    /// The next request path asks the database whether the national calendar changed.
    pub(crate) fn check_now(&self) {
        if let Ok(mut at) = self.checked.lock() {
            *at = long_ago();
        }
    }
}

impl App {
    /// The national calendar in force (see [`Self::refresh_calendar`]).
    pub fn national(&self) -> Arc<NationalState> {
        self.national.current()
    }

    /// The national calendar with default settings (used when no body is named).
    pub fn national_calendar(&self) -> Arc<WorkingCalendar> {
        Arc::clone(&self.national().default)
    }

    /// Reads the calendar from the database when it changed (another process loaded a year or
    /// finished a recomputation): seeds the shipped years into an installation that has none,
    /// rebuilds the calendar, and drops every cache compiled from the old one. Returns whether
    /// anything changed.
    pub async fn refresh_calendar(&self) -> Result<bool, AppError> {
        self.national.mark_checked();
        let mut generation = store::generation(&self.db).await?;
        if generation.0 == 0 {
            self.seed_shipped_calendar().await?;
            generation = store::generation(&self.db).await?;
        }
        if generation == self.national().generation {
            return Ok(false);
        }
        let versions = store::versions(&self.db).await?;
        let years = in_force(&versions)
            .values()
            .map(|r| year_of(r))
            .collect::<Result<Vec<_>, _>>()?;
        let calendar = NationalCalendar::from_years(years).map_err(unexpected)?;
        let state = NationalState {
            default: Arc::new(WorkingCalendar::national_default(&calendar)),
            calendar,
            generation,
            versions,
        };
        self.national.replace(state);
        self.forget_all_tracked();
        self.changed();
        Ok(true)
    }

    /// [`Self::refresh_calendar`] at most once a second, from the request paths: an instance
    /// sees a year loaded elsewhere within a second or two, without a restart.
    pub(crate) async fn refresh_calendar_soon(&self) {
        if self.national.check_due()
            && let Err(e) = self.refresh_calendar().await
        {
            tracing::warn!(error = %e, "calendar refresh failed");
        }
    }

    /// The shipped years (2024–2026) become the first versions of a new installation.
    async fn seed_shipped_calendar(&self) -> Result<(), AppError> {
        let shipped = NationalCalendar::shipped().map_err(unexpected)?;
        for y in shipped.years() {
            let v = NewVersion {
                year: i64::from(y.year),
                version: y.version.clone(),
                status: y.status.clone(),
                note: y.note.clone(),
                instrument: instrument(y),
                data: serde_json::to_string(y).map_err(unexpected)?,
                digest: digest(y),
                source: "shipped".into(),
                loaded_by: "Lentera (data bawaan)".into(),
                loaded_at: self.now(),
            };
            match store::insert_version(&self.db, &v, None).await {
                Ok(_) | Err(lentera_store::StoreError::Conflict(_)) => {}
                // Another instance seeded at the same moment.
                Err(e) if e.to_string().contains("UNIQUE") || e.to_string().contains("unique") => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    /// The years in force, oldest first.
    pub async fn calendar_years(&self) -> Result<Vec<CalendarYearItem>, AppError> {
        self.refresh_calendar().await?;
        let national = self.national();
        let jobs = store::jobs(&self.db).await?;
        let mut items: Vec<CalendarYearItem> = in_force(&national.versions)
            .values()
            .map(|r| CalendarYearItem {
                year: r.year,
                version: r.version.clone(),
                status: r.status.clone(),
                loaded_at: r.loaded_at,
                days: national
                    .calendar
                    .year(i32::try_from(r.year).unwrap_or(0))
                    .map_or(0, |y| y.days.len()),
                instrument: r.instrument.clone(),
                source: r.source.clone(),
                loaded_by: r.loaded_by.clone(),
                applied: !jobs
                    .iter()
                    .any(|j| j.version_id == Some(r.id) && j.finished_at.is_none()),
                superseded: national
                    .versions
                    .iter()
                    .filter(|o| o.year == r.year && o.id < r.id)
                    .count(),
            })
            .collect();
        items.sort_by_key(|i| i.year);
        Ok(items)
    }

    /// Every stored version (history), newest first.
    pub async fn calendar_history(&self) -> Result<Vec<VersionRow>, AppError> {
        let mut v = store::versions(&self.db).await?;
        v.reverse();
        Ok(v)
    }

    /// Next year's SKB is not loaded and it is 1 October or later (or this year's is missing):
    /// the year admins and PPIDs are warned about.
    pub fn calendar_warning(&self, today: Date) -> Option<i32> {
        let national = self.national();
        let c = &national.calendar;
        if !c.is_loaded(today.year()) {
            return Some(today.year());
        }
        (u8::from(today.month()) >= 10 && !c.is_loaded(today.year() + 1))
            .then_some(today.year() + 1)
    }
}
