//! Time as a dependency: the system clock in service, a settable clock in tests and demo seeding.

use std::cell::Cell;
use std::future::Future;
use std::sync::Mutex;

use time::OffsetDateTime;

pub trait Clock: Send + Sync {
    /// Now in UTC, whole seconds (stored instants compare as text on SQLite).
    fn now(&self) -> OffsetDateTime;
}

#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        let n = OffsetDateTime::now_utc();
        n.replace_nanosecond(0).unwrap_or(n)
    }
}

/// The system clock moved to another day: `LENTERA_TODAY=2026-03-02` runs `serve` and `demo` as
/// if today were that day (time of day and its passing stay real), so journeys, smoke tests and
/// benchmarks do not depend on the real date.
#[derive(Debug, Clone, Copy)]
pub struct PinnedClock {
    offset: time::Duration,
    pub today: time::Date,
}

impl PinnedClock {
    /// Today becomes `today` in Western Indonesia Time (WIB).
    pub fn new(today: time::Date) -> Self {
        let real = OffsetDateTime::now_utc().to_offset(lentera_domain::TimeZone::Wib.offset());
        Self {
            offset: today - real.date(),
            today,
        }
    }

    /// `LENTERA_TODAY` when set: `Ok(None)` when it is not, an error when it is not a date.
    pub fn from_env() -> Result<Option<Self>, String> {
        match std::env::var("LENTERA_TODAY") {
            Err(_) => Ok(None),
            Ok(v) if v.trim().is_empty() => Ok(None),
            Ok(v) => time::Date::parse(
                v.trim(),
                time::macros::format_description!("[year]-[month]-[day]"),
            )
            .map(|d| Some(Self::new(d)))
            .map_err(|_| format!("LENTERA_TODAY={v} is not a date (YYYY-MM-DD)")),
        }
    }
}

impl Clock for PinnedClock {
    fn now(&self) -> OffsetDateTime {
        SystemClock.now() + self.offset
    }
}

tokio::task_local! {
    /// The time of one line of work inside [`FixedClock::scoped`]; `None` until it sets one.
    static SCOPED_NOW: Cell<Option<OffsetDateTime>>;
}

/// A clock that stays where it is put.
///
/// Several lines of work may share one clock and still each keep their own time: inside
/// [`FixedClock::scoped`], `set` and `now` use a time private to that future (the demo seeds its
/// bodies side by side, each walking through its own year).
#[derive(Debug)]
pub struct FixedClock(Mutex<OffsetDateTime>, Mutex<Option<OffsetDateTime>>);

impl FixedClock {
    pub fn new(at: OffsetDateTime) -> Self {
        Self(Mutex::new(at), Mutex::new(None))
    }

    /// From now on `set` never moves the clock past `limit` (the demo seeds nothing later than
    /// its "now").
    pub fn cap_at(&self, limit: OffsetDateTime) {
        if let Ok(mut g) = self.1.lock() {
            *g = Some(limit);
        }
    }

    pub fn set(&self, at: OffsetDateTime) {
        let at = match self.1.lock().ok().and_then(|g| *g) {
            Some(limit) if at > limit => limit,
            _ => at,
        };
        if SCOPED_NOW.try_with(|c| c.set(Some(at))).is_ok() {
            return;
        }
        if let Ok(mut g) = self.0.lock() {
            *g = at;
        }
    }

    /// Runs `work` with a time of its own: it starts at the shared time, and its `set` calls
    /// move only its own time. App calls read the clock in the caller's task, so everything
    /// `work` awaits directly sees its time.
    pub fn scoped<F: Future>(work: F) -> impl Future<Output = F::Output> {
        SCOPED_NOW.scope(Cell::new(None), work)
    }
}

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        if let Ok(Some(at)) = SCOPED_NOW.try_with(Cell::get) {
            return at;
        }
        self.0.lock().map_or(OffsetDateTime::UNIX_EPOCH, |g| *g)
    }
}

#[cfg(test)]
mod pinned_tests {
    use super::*;

    #[test]
    fn a_pinned_clock_says_its_day_and_keeps_the_time_moving() {
        let day = time::macros::date!(2026 - 03 - 02);
        let c = PinnedClock::new(day);
        assert_eq!(lentera_domain::TimeZone::Wib.date_of(c.now()), day);
        let capped = FixedClock::new(time::macros::datetime!(2026-01-01 00:00 UTC));
        capped.cap_at(time::macros::datetime!(2026-01-02 00:00 UTC));
        capped.set(time::macros::datetime!(2026-01-05 00:00 UTC));
        assert_eq!(capped.now(), time::macros::datetime!(2026-01-02 00:00 UTC));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[tokio::test]
    async fn scoped_lines_of_work_keep_their_own_time() {
        let clock = FixedClock::new(datetime!(2026-01-01 00:00 UTC));
        let walk = |start: OffsetDateTime| {
            let clock = &clock;
            FixedClock::scoped(async move {
                // Starts at the shared time until it sets its own.
                assert_eq!(clock.now(), datetime!(2026-01-01 00:00 UTC));
                let mut seen = Vec::new();
                for day in 0..20 {
                    clock.set(start + time::Duration::days(day));
                    tokio::task::yield_now().await;
                    seen.push(clock.now());
                }
                seen
            })
        };
        let a = datetime!(2026-03-01 09:00 UTC);
        let b = datetime!(2026-07-01 09:00 UTC);
        let (sa, sb) = tokio::join!(walk(a), walk(b));
        for (day, (x, y)) in sa.iter().zip(&sb).enumerate() {
            let d = time::Duration::days(i64::try_from(day).unwrap_or(0));
            assert_eq!(*x, a + d);
            assert_eq!(*y, b + d);
        }
        // Outside any scope the shared time is untouched and still settable.
        assert_eq!(clock.now(), datetime!(2026-01-01 00:00 UTC));
        clock.set(b);
        assert_eq!(clock.now(), b);
    }
}
