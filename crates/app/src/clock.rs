//! Time as a dependency: the system clock in service, a settable clock in tests and demo seeding.

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

/// A clock that stays where it is put.
#[derive(Debug)]
pub struct FixedClock(Mutex<OffsetDateTime>);

impl FixedClock {
    pub fn new(at: OffsetDateTime) -> Self {
        Self(Mutex::new(at))
    }

    pub fn set(&self, at: OffsetDateTime) {
        if let Ok(mut g) = self.0.lock() {
            *g = at;
        }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        self.0.lock().map_or(OffsetDateTime::UNIX_EPOCH, |g| *g)
    }
}
