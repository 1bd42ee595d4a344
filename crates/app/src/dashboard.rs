//! The live command centre and the public accountability page: aggregate figures per body or
//! per province, computed with a few grouped queries, cached for up to a second and refreshed
//! when the change signal moves (every stored request, objection or dispute event bumps it).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lentera_domain::Role;
use lentera_domain::tally::parse_month;
use lentera_store::dashboard::{self as store, GroupCounts};
use lentera_store::tallies;
use serde::Serialize;
use time::Date;
use tokio::sync::watch;
use uuid::Uuid;

use crate::auth::OfficerCtx;
use crate::{App, AppError, BodyEntry};

/// How long computed figures are reused when nothing changed.
pub const CACHE_TTL: Duration = Duration::from_secs(1);

/// Time-to-answer classes in working days (inclusive upper bounds; the last is open).
pub const CLASSES: [(u32, Option<u32>); 4] =
    [(0, Some(5)), (6, Some(10)), (11, Some(17)), (18, None)];

/// Whose figures: one top-level body (with its units) or a province with the bodies below it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DashboardScope {
    Body(String),
    Province(String),
}

impl DashboardScope {
    pub fn slug(&self) -> &str {
        match self {
            Self::Body(s) | Self::Province(s) => s,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Self::Body(_) => "body",
            Self::Province(_) => "province",
        }
    }
}

/// Counters of one row of a breakdown (a unit, a channel, a body).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Breakdown {
    pub key: String,
    pub name: String,
    pub received_today: i64,
    pub received_year: i64,
    pub open: i64,
    pub due_soon: i64,
    pub overdue: i64,
    pub decided_year: i64,
    pub on_time: i64,
    pub on_time_pct: Option<f64>,
    pub extensions: i64,
}

impl Breakdown {
    fn add(&mut self, g: &GroupCounts) {
        self.received_today += g.received_today;
        self.received_year += g.received_year;
        self.open += g.open;
        self.due_soon += g.due_soon;
        self.overdue += g.overdue;
        self.decided_year += g.decided_year;
        self.on_time += g.on_time;
        self.extensions += g.extended_year;
    }

    fn finish(&mut self) {
        self.on_time_pct = pct(self.on_time, self.decided_year);
    }
}

fn pct(part: i64, whole: i64) -> Option<f64> {
    // Figures are counts far below 2^52: exact as f64.
    #[allow(clippy::cast_precision_loss)]
    (whole > 0).then(|| ((part as f64) * 1000.0 / (whole as f64)).round() / 10.0)
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MonthFigures {
    pub month: u8,
    pub received: i64,
    pub decided: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Class {
    pub from: u32,
    pub to: Option<u32>,
    pub count: i64,
}

/// Aggregate figures only: no request, no person.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Figures {
    pub scope: &'static str,
    pub body: String,
    pub body_name: String,
    /// The top-level bodies counted (slug, name).
    pub bodies: Vec<(String, String)>,
    pub today: Date,
    pub year: i32,
    pub totals: Breakdown,
    pub median_wd: Option<u32>,
    pub p90_wd: Option<u32>,
    pub objections_open: i64,
    pub objections_total: i64,
    pub disputes_open: i64,
    pub disputes_total: i64,
    pub by_unit: Vec<Breakdown>,
    pub by_channel: Vec<Breakdown>,
    pub by_body: Vec<Breakdown>,
    pub months: Vec<MonthFigures>,
    pub time_to_answer: Vec<Class>,
    /// The year whose SKB is not loaded when a request received today already runs into it
    /// (its longest deadline, 17 working days): the due dates counted are partly provisional.
    pub provisional_year: Option<i32>,
    /// The change signal the figures were computed at.
    pub generation: u64,
}

type CacheKey = (DashboardScope, Date);

/// How long a body's share is reused on the embedded back end, where this process is the only
/// writer and every change of a body's requests moves its version: a safety net only.
const SHARE_TTL_SINGLE_WRITER: Duration = Duration::from_secs(300);

/// Computed figures by scope and day.
#[derive(Default)]
pub struct Cache {
    entries: Mutex<HashMap<CacheKey, (Instant, Arc<Figures>)>>,
    /// One computation at a time: many live pages waking on the same change share it.
    compute: tokio::sync::Mutex<()>,
    shares: Shares,
}

/// One top-level body's part of the figures (its units' requests included): what sums across
/// the bodies of a province. A province's refresh after an event recomputes the share of the
/// body whose request changed and reuses the others'.
#[derive(Debug, Clone, Default)]
struct BodyShare {
    groups: Vec<GroupCounts>,
    /// Received and decided per month of the year.
    months: [(i64, i64); 12],
    /// Answered requests by working days taken.
    durations: BTreeMap<u32, i64>,
}

type ShareKey = (Uuid, Date, Date);
/// When computed, at which version, the share.
type ShareEntry = (Instant, (u64, u64), Arc<BodyShare>);

/// Shares by (body, today, due-soon limit), each with the version it was computed at: the
/// body's own change counter and an epoch for changes whose body is not known.
#[derive(Default)]
struct Shares {
    versions: Mutex<HashMap<Uuid, u64>>,
    epoch: std::sync::atomic::AtomicU64,
    entries: Mutex<HashMap<ShareKey, ShareEntry>>,
}

impl Shares {
    fn version(&self, body: Uuid) -> (u64, u64) {
        let epoch = self.epoch.load(std::sync::atomic::Ordering::Acquire);
        let own = self
            .versions
            .lock()
            .ok()
            .and_then(|m| m.get(&body).copied())
            .unwrap_or(0);
        (epoch, own)
    }

    fn bump(&self, body: Uuid) {
        if let Ok(mut m) = self.versions.lock() {
            let v = m.entry(body).or_insert(0);
            *v = v.wrapping_add(1);
        }
    }

    fn bump_all(&self) {
        self.epoch.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    fn get(
        &self,
        body: Uuid,
        today: Date,
        soon: Date,
        version: (u64, u64),
        ttl: Duration,
    ) -> Option<Arc<BodyShare>> {
        let m = self.entries.lock().ok()?;
        m.get(&(body, today, soon))
            .filter(|(at, v, _)| *v == version && at.elapsed() < ttl)
            .map(|(_, _, s)| Arc::clone(s))
    }

    fn put(&self, body: Uuid, today: Date, soon: Date, version: (u64, u64), share: Arc<BodyShare>) {
        if let Ok(mut m) = self.entries.lock() {
            // Yesterday's shares and stale versions go; a province holds one entry per body.
            m.retain(|(_, d, _), (at, _, _)| *d == today && at.elapsed() < SHARE_TTL_SINGLE_WRITER);
            m.insert((body, today, soon), (Instant::now(), version, share));
        }
    }
}

impl Cache {
    fn get(&self, key: &CacheKey, generation: u64) -> Option<Arc<Figures>> {
        let m = self.entries.lock().ok()?;
        m.get(key)
            .filter(|(at, f)| at.elapsed() < CACHE_TTL && f.generation == generation)
            .map(|(_, f)| Arc::clone(f))
    }
}

/// What live dashboards share: the change counter they wait on, and the figures computed.
#[derive(Default)]
pub(crate) struct Live {
    /// Bumped on every stored request, objection or dispute event.
    changes: Changes,
    cache: Cache,
}

/// The change signal: bumped whenever a request, objection or dispute event is stored.
pub struct Changes {
    tx: watch::Sender<u64>,
}

impl Default for Changes {
    fn default() -> Self {
        Self {
            tx: watch::Sender::new(0),
        }
    }
}

/// Percentile (0–100) of a weighted list of values sorted ascending.
fn percentile(sorted: &[(u32, i64)], total: i64, p: i64) -> Option<u32> {
    if total <= 0 {
        return None;
    }
    // The smallest value whose cumulative count reaches p% of the total (nearest rank).
    let rank = (total * p + 99) / 100;
    let mut seen = 0;
    for (v, n) in sorted {
        seen += n;
        if seen >= rank.max(1) {
            return Some(*v);
        }
    }
    sorted.last().map(|(v, _)| *v)
}

impl App {
    /// Tells the live pages that something changed, in a body not known here (every body's
    /// cached share of the figures is recomputed).
    pub fn changed(&self) {
        // A change may have called for letters: the worker looks now rather than at its tick.
        self.letters.wake();
        self.mail.wake();
        self.changed_here();
        self.signal(&crate::signals::Signal::AllFigures);
    }

    /// Tells the live pages that requests of this (top-level) body changed, here and on the
    /// other nodes.
    pub fn changed_in(&self, body_id: Uuid) {
        self.letters.wake();
        self.mail.wake();
        self.changed_in_here(body_id);
        self.signal(&crate::signals::Signal::Figures(body_id));
    }

    pub(crate) fn changed_here(&self) {
        self.dashboard.cache.shares.bump_all();
        self.dashboard
            .changes
            .tx
            .send_modify(|n| *n = n.wrapping_add(1));
    }

    pub(crate) fn changed_in_here(&self, body_id: Uuid) {
        self.dashboard.cache.shares.bump(body_id);
        self.dashboard
            .changes
            .tx
            .send_modify(|n| *n = n.wrapping_add(1));
    }

    /// The change signal, for live pages.
    pub fn changes(&self) -> watch::Receiver<u64> {
        self.dashboard.changes.tx.subscribe()
    }

    /// Whether an officer may see the back-office command centre of this body: its own
    /// officers (any role but unit PPIDs) and admins.
    pub fn may_see_dashboard(officer: &OfficerCtx, body: &BodyEntry) -> bool {
        officer.role == Role::Admin
            || (officer.home.row.id == body.row.id && officer.role != Role::PpidUnit)
    }

    /// The figures of a scope as of `today`, reused for up to a second unless something changed.
    pub async fn dashboard(
        &self,
        scope: &DashboardScope,
        today: Date,
    ) -> Result<Arc<Figures>, AppError> {
        let generation = *self.dashboard.changes.tx.borrow();
        let key = (scope.clone(), today);
        if let Some(f) = self.dashboard.cache.get(&key, generation) {
            return Ok(f);
        }
        let _one = self.dashboard.cache.compute.lock().await;
        if let Some(f) = self.dashboard.cache.get(&key, generation) {
            return Ok(f);
        }
        let f = Arc::new(
            self.assemble_dashboard(scope, today, generation, true)
                .await?,
        );
        if let Ok(mut m) = self.dashboard.cache.entries.lock() {
            m.retain(|_, (at, _)| at.elapsed() < CACHE_TTL);
            m.insert(key, (Instant::now(), Arc::clone(&f)));
        }
        Ok(f)
    }

    /// The figures computed now from the database alone (no cached share of any body): the
    /// first view after start-up, and the benchmark's cold case.
    pub async fn compute_dashboard(
        &self,
        scope: &DashboardScope,
        today: Date,
        generation: u64,
    ) -> Result<Figures, AppError> {
        self.assemble_dashboard(scope, today, generation, false)
            .await
    }

    /// The figures recomputed for the bodies that changed since their share was last computed,
    /// reusing the others' shares: what a live page does after an event.
    pub async fn refresh_dashboard(
        &self,
        scope: &DashboardScope,
        today: Date,
    ) -> Result<Figures, AppError> {
        let generation = *self.dashboard.changes.tx.borrow();
        self.assemble_dashboard(scope, today, generation, true)
            .await
    }

    async fn assemble_dashboard(
        &self,
        scope: &DashboardScope,
        today: Date,
        generation: u64,
        reuse: bool,
    ) -> Result<Figures, AppError> {
        let root = self
            .body_by_slug(scope.slug())
            .await?
            .ok_or(AppError::NotFound("body.not_found"))?;
        let root = self.home_body(&root).await?;
        let all = lentera_store::bodies::list(&self.db).await?;
        let names: HashMap<Uuid, (String, String)> = all
            .iter()
            .map(|b| (b.id, (b.slug.clone(), b.name.clone())))
            .collect();
        // Top-level bodies of the scope: the root, and for a province the bodies below it
        // (two levels), never units (their requests are counted under their parent).
        let mut ids = vec![root.row.id];
        if matches!(scope, DashboardScope::Province(_)) {
            let mut frontier = vec![root.row.id];
            for _ in 0..2 {
                let next: Vec<Uuid> = all
                    .iter()
                    .filter(|b| {
                        b.kind != "unit" && b.parent_id.is_some_and(|p| frontier.contains(&p))
                    })
                    .map(|b| b.id)
                    .collect();
                ids.extend(&next);
                frontier = next;
            }
        }
        let year = today.year();
        let soon = root.calendar.add_working_days(today, 3).unwrap_or(today);
        let (shares, objections) =
            tokio::try_join!(self.body_shares(&ids, today, soon, reuse), async {
                store::objection_counts(&self.db, &ids)
                    .await
                    .map_err(AppError::from)
            },)?;
        let (objections_open, objections_total, disputes_open, disputes_total) = objections;

        let mut groups: BTreeMap<(Uuid, Option<Uuid>, String), GroupCounts> = BTreeMap::new();
        let mut months: Vec<MonthFigures> = (1..=12)
            .map(|m| MonthFigures {
                month: m,
                received: 0,
                decided: 0,
            })
            .collect();
        let mut classes: Vec<Class> = CLASSES
            .iter()
            .map(|(from, to)| Class {
                from: *from,
                to: *to,
                count: 0,
            })
            .collect();
        let mut durations: BTreeMap<u32, i64> = BTreeMap::new();
        for share in &shares {
            for g in &share.groups {
                groups.insert((g.body_id, g.unit_id, g.channel.clone()), g.clone());
            }
            for (m, (received, decided)) in months.iter_mut().zip(share.months) {
                m.received += received;
                m.decided += decided;
            }
            for (wd, n) in &share.durations {
                *durations.entry(*wd).or_default() += n;
                if let Some(k) = classes
                    .iter_mut()
                    .find(|k| *wd >= k.from && k.to.is_none_or(|t| *wd <= t))
                {
                    k.count += n;
                }
            }
        }
        let groups: Vec<GroupCounts> = groups.into_values().collect();
        let sorted: Vec<(u32, i64)> = durations.into_iter().collect();
        let answered: i64 = sorted.iter().map(|(_, n)| n).sum();

        let mut totals = Breakdown::default();
        let mut units: BTreeMap<String, Breakdown> = BTreeMap::new();
        let mut channels: BTreeMap<String, Breakdown> = BTreeMap::new();
        for g in &groups {
            totals.add(g);
            let (ukey, uname) = match g.unit_id.and_then(|u| names.get(&u)) {
                Some((slug, name)) => (slug.clone(), name.clone()),
                None => (String::new(), String::new()),
            };
            let u = units.entry(ukey.clone()).or_insert_with(|| Breakdown {
                key: ukey,
                name: uname,
                ..Breakdown::default()
            });
            u.add(g);
            let c = channels
                .entry(g.channel.clone())
                .or_insert_with(|| Breakdown {
                    key: g.channel.clone(),
                    name: g.channel.clone(),
                    ..Breakdown::default()
                });
            c.add(g);
        }
        totals.finish();
        let finish = |m: BTreeMap<String, Breakdown>| {
            m.into_values()
                .map(|mut b| {
                    b.finish();
                    b
                })
                .collect::<Vec<_>>()
        };
        let mut bodies_map: BTreeMap<Uuid, Breakdown> = BTreeMap::new();
        for g in &groups {
            bodies_map
                .entry(g.body_id)
                .or_insert_with(|| {
                    let (slug, name) = names.get(&g.body_id).cloned().unwrap_or_default();
                    Breakdown {
                        key: slug,
                        name,
                        ..Breakdown::default()
                    }
                })
                .add(g);
        }
        let by_body = if ids.len() > 1 {
            ids.iter()
                .map(|id| {
                    let mut b = bodies_map.remove(id).unwrap_or_else(|| {
                        let (slug, name) = names.get(id).cloned().unwrap_or_default();
                        Breakdown {
                            key: slug,
                            name,
                            ..Breakdown::default()
                        }
                    });
                    b.finish();
                    b
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(Figures {
            scope: scope.kind(),
            body: root.row.slug.clone(),
            body_name: root.row.name.clone(),
            bodies: ids.iter().filter_map(|id| names.get(id).cloned()).collect(),
            today,
            year,
            totals,
            median_wd: percentile(&sorted, answered, 50),
            p90_wd: percentile(&sorted, answered, 90),
            objections_open,
            objections_total,
            disputes_open,
            disputes_total,
            by_unit: finish(units),
            by_channel: finish(channels),
            by_body,
            months,
            time_to_answer: classes,
            provisional_year: provisional_year(&root.calendar, today),
            generation,
        })
    }
    /// Each body's share of the figures as of `today`: reused while the body's requests are
    /// unchanged (and, where other instances may write, for at most [`CACHE_TTL`]), computed
    /// for the others with one grouped read per kind of counter.
    async fn body_shares(
        &self,
        ids: &[Uuid],
        today: Date,
        soon: Date,
        reuse: bool,
    ) -> Result<Vec<Arc<BodyShare>>, AppError> {
        let shares = &self.dashboard.cache.shares;
        let ttl = match self.db.backend() {
            lentera_store::Backend::Sqlite => SHARE_TTL_SINGLE_WRITER,
            lentera_store::Backend::Postgres => CACHE_TTL,
        };
        let mut found: HashMap<Uuid, Arc<BodyShare>> = HashMap::new();
        let mut versions: HashMap<Uuid, (u64, u64)> = HashMap::new();
        for id in ids {
            let version = shares.version(*id);
            versions.insert(*id, version);
            if reuse && let Some(s) = shares.get(*id, today, soon, version, ttl) {
                found.insert(*id, s);
            }
        }
        let missing: Vec<Uuid> = ids
            .iter()
            .filter(|id| !found.contains_key(id))
            .copied()
            .collect();
        if !missing.is_empty() {
            let computed = self.compute_shares(&missing, today, soon).await?;
            for (id, share) in computed {
                let share = Arc::new(share);
                if let Some(v) = versions.get(&id) {
                    shares.put(id, today, soon, *v, Arc::clone(&share));
                }
                found.insert(id, share);
            }
        }
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    /// The shares of these bodies read from the running tallies and the projection.
    async fn compute_shares(
        &self,
        ids: &[Uuid],
        today: Date,
        soon: Date,
    ) -> Result<HashMap<Uuid, BodyShare>, AppError> {
        let year = today.year();
        let first = format!("{year:04}-01");
        let last = format!("{year:04}-12");
        // Independent reads, run side by side on the read pool.
        let (by_month, totals_rows, due_rows, today_rows) = tokio::try_join!(
            tallies::live_by_month(&self.db, ids, &first, &last),
            tallies::live_totals(&self.db, ids, &first, &last),
            tallies::open_upcoming(&self.db, ids, today, soon),
            tallies::received_on(&self.db, ids, today),
        )?;
        let mut out: HashMap<Uuid, BodyShare> =
            ids.iter().map(|id| (*id, BodyShare::default())).collect();
        let mut groups: BTreeMap<(Uuid, Option<Uuid>, String), GroupCounts> = BTreeMap::new();
        fn group<'a>(
            groups: &'a mut BTreeMap<(Uuid, Option<Uuid>, String), GroupCounts>,
            body_id: Uuid,
            unit_id: Option<Uuid>,
            channel: &str,
        ) -> &'a mut GroupCounts {
            groups
                .entry((body_id, unit_id, channel.to_owned()))
                .or_insert_with(|| GroupCounts {
                    body_id,
                    unit_id,
                    channel: channel.to_owned(),
                    received_today: 0,
                    received_year: 0,
                    open: 0,
                    due_soon: 0,
                    overdue: 0,
                    decided_year: 0,
                    on_time: 0,
                    extended_year: 0,
                })
        }
        for (body_id, month, metric, n) in by_month {
            let Some(share) = out.get_mut(&body_id) else {
                continue;
            };
            if let Some(wd) = metric.strip_prefix("wd:") {
                if let Ok(wd) = wd.parse::<u32>() {
                    *share.durations.entry(wd).or_default() += n;
                }
                continue;
            }
            let Some(m) =
                parse_month(&month).and_then(|(_, m)| share.months.get_mut(usize::from(m) - 1))
            else {
                continue;
            };
            match metric.as_str() {
                "received" => m.0 += n,
                "decided" => m.1 += n,
                _ => {}
            }
        }
        for (body_id, unit_key, channel, metric, n) in totals_rows {
            let unit = (!unit_key.is_nil()).then_some(unit_key);
            let g = group(&mut groups, body_id, unit, &channel);
            match metric.as_str() {
                "received" => g.received_year += n,
                "extended" => g.extended_year += n,
                "decided" => g.decided_year += n,
                "on_time" => g.on_time += n,
                "open" => g.open += n,
                _ => {}
            }
        }
        // Overdue = open − not yet overdue, per group; a group whose open requests are all
        // overdue has no row here, so every group starts with all its open ones overdue.
        for g in groups.values_mut() {
            g.overdue = g.open;
        }
        for (body_id, unit_id, channel, upcoming, due_soon) in due_rows {
            let g = group(&mut groups, body_id, unit_id, &channel);
            g.overdue -= upcoming;
            g.due_soon += due_soon;
        }
        for (body_id, unit_id, channel, n) in today_rows {
            group(&mut groups, body_id, unit_id, &channel).received_today += n;
        }
        for g in groups.into_values() {
            if let Some(share) = out.get_mut(&g.body_id) {
                share.groups.push(g);
            }
        }
        Ok(out)
    }
}

/// See [`Figures::provisional_year`]; also the annual report's, with `today` the period's last
/// day.
pub(crate) fn provisional_year(
    cal: &lentera_domain::calendar::WorkingCalendar,
    today: Date,
) -> Option<i32> {
    use lentera_domain::request::{EXTENSION_WORKING_DAYS, NOTICE_WORKING_DAYS};
    let longest = cal.add_working_days(today, NOTICE_WORKING_DAYS + EXTENSION_WORKING_DAYS);
    let provisional = longest.map_or(true, |d| cal.is_provisional_span(today, d));
    provisional.then(|| cal.first_unloaded_year_after(today))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let v = [(2, 5), (7, 4), (20, 1)];
        assert_eq!(percentile(&v, 10, 50), Some(2));
        assert_eq!(percentile(&v, 10, 90), Some(7));
        assert_eq!(percentile(&v, 10, 100), Some(20));
        assert_eq!(percentile(&[], 0, 50), None);
        assert_eq!(pct(2, 3), Some(66.7));
        assert_eq!(pct(1, 0), None);
    }
}
