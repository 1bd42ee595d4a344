//! Brakes on guessing (tracking codes, passwords, one-time codes) and on volume (public
//! submissions). On PostgreSQL they are counted in the database (`store::brakes`), so that every
//! node of an installation counts the same attempts and an attacker who spreads guesses over the
//! nodes is stopped at the same count as on one. On SQLite, where one process serves, they are
//! counted in memory by the same rules. A check that cannot be made refuses (fails closed).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use lentera_store::brakes::{self, Window};
use lentera_store::db::Backend;

use crate::App;

/// What is counted, how many are allowed, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub scope: &'static str,
    pub limit: i64,
    pub window: Duration,
    pub mode: Window,
}

/// Wrong tracking codes and passwords per client address: 30 in 10 minutes, enough for typos,
/// useless for guessing.
pub const GUESSES: Rule = Rule {
    scope: "guess",
    limit: 30,
    window: Duration::from_secs(600),
    mode: Window::Fixed,
};

/// Public submissions per client address and minute (`LENTERA_RATE_SUBMIT_PER_MIN`).
pub const fn submissions(per_min: u32) -> Rule {
    Rule {
        scope: "submit",
        limit: per_min as i64,
        window: Duration::from_secs(60),
        mode: Window::Fixed,
    }
}

impl Rule {
    fn window_ms(&self) -> i64 {
        i64::try_from(self.window.as_millis()).unwrap_or(i64::MAX)
    }
}

/// Milliseconds since the Unix epoch of the system clock: brakes run on real time whatever the
/// legal clock says.
pub fn now_ms() -> i64 {
    let now = time::OffsetDateTime::now_utc();
    i64::try_from(now.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// (scope, key) → (hits, window start in ms).
type Counters = HashMap<(&'static str, String), (i64, i64)>;

/// The in-memory counters of a single node.
#[derive(Default)]
pub(crate) struct Local {
    seen: Mutex<Counters>,
}

impl Local {
    fn hits(&self, rule: &Rule, key: &str, now: i64) -> Option<i64> {
        let m = self.seen.lock().ok()?;
        let cutoff = now.saturating_sub(rule.window_ms());
        Some(
            m.get(&(rule.scope, key.to_owned()))
                .filter(|(_, since)| *since > cutoff)
                .map_or(0, |(n, _)| *n),
        )
    }

    /// Counts a hit when `limit` allows it (`None`: always); `None` when the lock is poisoned.
    fn hit(&self, rule: &Rule, key: &str, now: i64, limit: Option<i64>) -> Option<bool> {
        let mut m = self.seen.lock().ok()?;
        let window = rule.window_ms();
        let cutoff = now.saturating_sub(window);
        if m.len() > 100_000 {
            m.retain(|_, (_, since)| *since > now.saturating_sub(window.max(3_600_000)));
        }
        let e = m.entry((rule.scope, key.to_owned())).or_insert((0, now));
        if e.1 <= cutoff {
            *e = (0, now);
        }
        if limit.is_some_and(|l| e.0 >= l) {
            return Some(false);
        }
        e.0 += 1;
        if rule.mode == Window::Sliding {
            e.1 = now;
        }
        Some(true)
    }

    fn clear(&self, scope: &'static str, prefix: &str, whole: bool) {
        if let Ok(mut m) = self.seen.lock() {
            m.retain(|(s, k), _| {
                *s != scope
                    || if whole {
                        k != prefix
                    } else {
                        !k.starts_with(prefix)
                    }
            });
        }
    }
}

impl App {
    fn brakes_shared(&self) -> bool {
        self.db.backend() == Backend::Postgres
    }

    /// Whether `key` has used up its allowance of failures under `rule`.
    pub async fn brake_blocked(&self, rule: &Rule, key: &str, now: i64) -> bool {
        let hits = if self.brakes_shared() {
            match brakes::hits(&self.db, rule.scope, key, rule.window_ms(), now).await {
                Ok(n) => Some(n),
                Err(e) => {
                    tracing::warn!(error = %e, scope = rule.scope, "brake check failed; refusing");
                    None
                }
            }
        } else {
            self.brakes.hits(rule, key, now)
        };
        hits.is_none_or(|n| n >= rule.limit)
    }

    /// Counts one failure of `key` under `rule`.
    pub async fn brake_hit(&self, rule: &Rule, key: &str, now: i64) {
        if self.brakes_shared() {
            if let Err(e) =
                brakes::hit(&self.db, rule.scope, key, rule.window_ms(), rule.mode, now).await
            {
                tracing::warn!(error = %e, scope = rule.scope, "brake not counted");
            }
        } else {
            self.brakes.hit(rule, key, now, None);
        }
    }

    /// Counts one action of `key` if its allowance has room: `false` when it is over (or the
    /// count cannot be made). A limit of 0 admits everything (the brake is off).
    pub async fn brake_admit(&self, rule: &Rule, key: &str, now: i64) -> bool {
        if rule.limit == 0 {
            return true;
        }
        if self.brakes_shared() {
            match brakes::admit(&self.db, rule.scope, key, rule.limit, rule.window_ms(), now).await
            {
                Ok(ok) => ok,
                Err(e) => {
                    tracing::warn!(error = %e, scope = rule.scope, "volume brake failed; refusing");
                    false
                }
            }
        } else {
            self.brakes.hit(rule, key, now, Some(rule.limit)) == Some(true)
        }
    }

    /// Forgets the count of `key`.
    pub async fn brake_clear(&self, rule: &Rule, key: &str) {
        if self.brakes_shared() {
            if let Err(e) = brakes::clear(&self.db, rule.scope, key).await {
                tracing::warn!(error = %e, scope = rule.scope, "brake not cleared");
            }
        } else {
            self.brakes.clear(rule.scope, key, true);
        }
    }

    /// Forgets every count of `rule` whose key starts with `prefix`.
    pub async fn brake_clear_prefix(&self, rule: &Rule, prefix: &str) {
        if self.brakes_shared() {
            if let Err(e) = brakes::clear_prefix(&self.db, rule.scope, prefix).await {
                tracing::warn!(error = %e, scope = rule.scope, "brakes not cleared");
            }
        } else {
            self.brakes.clear(rule.scope, prefix, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_counters_follow_the_rules_of_the_shared_ones() {
        let l = Local::default();
        let r = Rule {
            scope: "guess",
            limit: 3,
            window: Duration::from_secs(60),
            mode: Window::Fixed,
        };
        for i in 0..3 {
            assert_eq!(l.hits(&r, "a", i), Some(i));
            l.hit(&r, "a", i, None);
        }
        assert_eq!(l.hits(&r, "a", 10), Some(3));
        assert_eq!(l.hits(&r, "b", 10), Some(0));
        assert_eq!(l.hits(&r, "a", 60_001), Some(0), "the window ended");
        let v = Rule { limit: 2, ..r };
        assert_eq!(l.hit(&v, "v", 0, Some(2)), Some(true));
        assert_eq!(l.hit(&v, "v", 1, Some(2)), Some(true));
        assert_eq!(l.hit(&v, "v", 2, Some(2)), Some(false));
        assert_eq!(l.hits(&v, "v", 3), Some(2), "a refusal is not counted");
        let s = Rule {
            mode: Window::Sliding,
            ..r
        };
        l.hit(&s, "s", 0, None);
        l.hit(&s, "s", 50_000, None);
        assert_eq!(
            l.hits(&s, "s", 100_000),
            Some(2),
            "sliding: 50 s after the last"
        );
        l.clear("guess", "s", true);
        assert_eq!(l.hits(&s, "s", 100_000), Some(0));
    }
}
