//! The national calendar as data (domain spec §7.1, revised): the versions in the database,
//! seen by every instance within a second; loading a year at run time; and the recomputation
//! that moves every open deadline a change touches, in batches, each with its events.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use lentera_domain::calendar::import::{self, YearDiff};
use lentera_domain::calendar::{HolidayYear, NationalCalendar, WorkingCalendar};
use lentera_domain::dispute::{DisputeDeadlines, DisputeEvent, DisputeState};
use lentera_domain::objection::{ObjectionEvent, ObjectionState};
use lentera_domain::request::{RequestEvent, RequestState, RequestStatus};
pub use lentera_store::calendar::VersionRow;
use lentera_store::calendar::{self as store, JobRow, NewVersion, Progress, Write};
use lentera_store::requests::NewEvent;
use serde::Serialize;
use sha2::Digest;
use time::{Date, Duration};
use uuid::Uuid;

use crate::{App, AppError, BodyEntry};

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

/// What loading a file did.
#[derive(Debug, Clone, Serialize)]
pub struct ImportOutcome {
    pub year: i32,
    pub version: String,
    /// Open cases whose deadline moved.
    pub recomputed: u64,
    /// The same content was already in force: nothing was stored.
    pub unchanged: bool,
}

/// One case that a calendar change would move.
#[derive(Debug, Clone, Serialize)]
pub struct Move {
    pub kind: &'static str,
    pub number: String,
    pub body: String,
    pub body_name: String,
    pub from: Date,
    pub to: Date,
}

impl Move {
    /// Calendar days the deadline moves by (negative: earlier).
    pub fn days(&self) -> i64 {
        (self.to - self.from).whole_days()
    }
}

/// What a file would change, before it is applied.
#[derive(Debug, Clone, Serialize)]
pub struct Preview {
    pub year: HolidayYear,
    pub diff: YearDiff,
    pub in_force: Option<String>,
    pub moves: Vec<Move>,
    /// The same content is already in force.
    pub unchanged: bool,
}

/// Requests older than this before the changed year cannot have a date inside it.
const REACH: Duration = Duration::days(150);
const BATCH: i64 = 500;
const LEASE: Duration = Duration::seconds(30);

fn unexpected(e: impl std::fmt::Display) -> AppError {
    AppError::Unexpected(anyhow::anyhow!("{e}"))
}

fn year_of(row: &VersionRow) -> Result<HolidayYear, AppError> {
    serde_json::from_str(&row.data)
        .map_err(|e| unexpected(format!("calendar version {}: {e}", row.id)))
}

/// The distinct legal bases of a year's days, as one line.
fn instrument(y: &HolidayYear) -> String {
    let mut out: Vec<&str> = Vec::new();
    for h in &y.days {
        for part in h.legal_basis.split(';').map(str::trim) {
            if !part.is_empty() && !out.contains(&part) {
                out.push(part);
            }
        }
    }
    out.join("; ")
}

fn digest(y: &HolidayYear) -> String {
    hex::encode(sha2::Sha256::digest(import::canonical(y).as_bytes()))
}

/// Loading `new` over `old` would change nothing: the same days with the same names and bases,
/// and the same version name when the file gives one.
fn same_content(old: &HolidayYear, new: &HolidayYear, named: bool) -> bool {
    let key = |y: &HolidayYear| {
        let mut d: Vec<_> = y
            .days
            .iter()
            .map(|h| (h.date, h.kind as u8, h.name.clone(), h.legal_basis.clone()))
            .collect();
        d.sort();
        d
    };
    key(old) == key(new) && (!named || old.version == new.version)
}

/// `YEAR.N` with the smallest N above the number of stored versions of the year that is not
/// taken yet (names given by files may use any scheme).
fn next_version_name(versions: &[VersionRow], year: i32) -> String {
    let of_year: Vec<&str> = versions
        .iter()
        .filter(|r| r.year == i64::from(year))
        .map(|r| r.version.as_str())
        .collect();
    (of_year.len() + 1..)
        .map(|n| format!("{year}.{n}"))
        .find(|name| !of_year.contains(&name.as_str()))
        .unwrap_or_else(|| format!("{year}.x"))
}

/// The version in force of each year: the latest loaded.
fn in_force(rows: &[VersionRow]) -> HashMap<i64, &VersionRow> {
    let mut m: HashMap<i64, &VersionRow> = HashMap::new();
    for r in rows {
        if m.get(&r.year).is_none_or(|o| o.id < r.id) {
            m.insert(r.year, r);
        }
    }
    m
}

impl App {
    /// The national calendar in force (see [`Self::refresh_calendar`]).
    pub fn national(&self) -> Arc<NationalState> {
        self.national
            .read()
            .map(|g| Arc::clone(&g))
            .unwrap_or_else(|p| Arc::clone(&p.into_inner()))
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
        if let Ok(mut at) = self.national_checked.lock() {
            *at = Instant::now();
        }
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
        if let Ok(mut g) = self.national.write() {
            *g = Arc::new(state);
        }
        self.forget_all_tracked();
        self.changed();
        Ok(true)
    }

    /// [`Self::refresh_calendar`] at most once a second, from the request paths: an instance
    /// sees a year loaded elsewhere within a second or two, without a restart.
    pub(crate) async fn refresh_calendar_soon(&self) {
        let due = self
            .national_checked
            .lock()
            .map(|at| at.elapsed() >= std::time::Duration::from_secs(1))
            .unwrap_or(false);
        if due && let Err(e) = self.refresh_calendar().await {
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

    /// Reads a file against the versions in force; a file without a version name (CSV) gets
    /// the next free `YEAR.N` of its year. Returns whether the file named its version.
    async fn parse_calendar(&self, text: &str) -> Result<(HolidayYear, bool), AppError> {
        let mut y = import::parse_any(text).map_err(AppError::CalendarFile)?;
        self.refresh_calendar().await?;
        let named = !y.version.is_empty();
        if !named {
            y.version = next_version_name(&self.national().versions, y.year);
        }
        Ok((y, named))
    }

    /// What loading `text` would change: the days added, removed or changed, and every open
    /// case whose deadline would move, by how much. Nothing is stored.
    pub async fn preview_calendar(&self, text: &str) -> Result<Preview, AppError> {
        let (year, named) = self.parse_calendar(text).await?;
        let national = self.national();
        let current = national.calendar.year(year.year);
        let unchanged = current.is_some_and(|c| same_content(c, &year, named));
        let diff = import::diff(current, &year);
        let candidate = national.calendar.with_year(year.clone());
        let since = Date::from_calendar_date(year.year, time::Month::January, 1)
            .map_err(unexpected)?
            - REACH;
        let mut moves = Vec::new();
        let mut compiled: HashMap<Uuid, (Arc<BodyEntry>, WorkingCalendar)> = HashMap::new();
        let mut cursor = None;
        loop {
            let page = store::request_candidates(&self.db, None, since, cursor, BATCH).await?;
            let Some(last) = page.last() else { break };
            cursor = Some(last.id);
            for c in page {
                let status = RequestStatus::parse(&c.status);
                if !status.is_some_and(RequestStatus::awaits_decision) {
                    continue;
                }
                if let std::collections::hash_map::Entry::Vacant(v) = compiled.entry(c.body_id) {
                    let body = self.body(c.body_id).await?;
                    let cal = self.compile_with(&candidate, &body).await?;
                    v.insert((body, cal));
                }
                let Some((body, cal)) = compiled.get(&c.body_id) else {
                    continue;
                };
                let Ok(state) = serde_json::from_str::<RequestState>(&c.state) else {
                    continue;
                };
                let to = state.deadlines(cal).ok().map(|d| d.effective_due);
                if let (Some(from), Some(to)) = (c.due_on, to)
                    && from != to
                {
                    moves.push(Move {
                        kind: "request",
                        number: c.number,
                        body: body.row.slug.clone(),
                        body_name: body.row.name.clone(),
                        from,
                        to,
                    });
                }
            }
        }
        let mut cursor = None;
        loop {
            let page = store::objection_candidates(&self.db, None, cursor, BATCH).await?;
            let Some(last) = page.last() else { break };
            cursor = Some(last.id);
            for c in page {
                if let std::collections::hash_map::Entry::Vacant(v) = compiled.entry(c.body_id) {
                    let body = self.body(c.body_id).await?;
                    let cal = self.compile_with(&candidate, &body).await?;
                    v.insert((body, cal));
                }
                let Some((body, cal)) = compiled.get(&c.body_id) else {
                    continue;
                };
                let Ok(state) = serde_json::from_str::<ObjectionState>(&c.state) else {
                    continue;
                };
                if !state.status.awaits_answer() {
                    continue;
                }
                if let (Some(from), Ok(to)) = (c.answer_due_on, state.answer_due(cal))
                    && from != to
                {
                    moves.push(Move {
                        kind: "objection",
                        number: c.number,
                        body: body.row.slug.clone(),
                        body_name: body.row.name.clone(),
                        from,
                        to,
                    });
                }
            }
        }
        Ok(Preview {
            in_force: current.map(|c| c.version.clone()),
            year,
            diff,
            moves,
            unchanged,
        })
    }

    /// Loads a year (the shipped JSON format or CSV) and recomputes every open deadline it
    /// moves before answering. Loading content already in force changes nothing.
    pub async fn import_calendar(
        &self,
        text: &str,
        source: &str,
        loaded_by: &str,
        progress: &(dyn Fn(u64) + Send + Sync),
    ) -> Result<ImportOutcome, AppError> {
        let (year, named) = self.parse_calendar(text).await?;
        let national = self.national();
        let rows_of_year: Vec<&VersionRow> = national
            .versions
            .iter()
            .filter(|r| r.year == i64::from(year.year))
            .collect();
        let current = rows_of_year.iter().max_by_key(|r| r.id);
        let new_digest = digest(&year);
        if let Some(cur) = current {
            let same = national
                .calendar
                .year(year.year)
                .is_some_and(|c| same_content(c, &year, named));
            if cur.digest == new_digest || same {
                // A job of that version may still be running (or have been cut short).
                let recomputed = self.run_jobs(progress).await?;
                return Ok(ImportOutcome {
                    year: year.year,
                    version: cur.version.clone(),
                    recomputed,
                    unchanged: true,
                });
            }
        }
        if rows_of_year.iter().any(|r| r.version == year.version) {
            return Err(AppError::field("version", "taken"));
        }
        let reason = format!(
            "Kalender libur nasional {} versi {} dimuat: {}",
            year.year,
            year.version,
            {
                let i = instrument(&year);
                if i.is_empty() {
                    "tanpa dasar hukum".into()
                } else {
                    i
                }
            }
        );
        let v = NewVersion {
            year: i64::from(year.year),
            version: year.version.clone(),
            status: year.status.clone(),
            note: year.note.clone(),
            instrument: instrument(&year),
            data: serde_json::to_string(&year).map_err(unexpected)?,
            digest: new_digest,
            source: source.into(),
            loaded_by: loaded_by.into(),
            loaded_at: self.now(),
        };
        let job = Uuid::now_v7();
        match store::insert_version(&self.db, &v, Some((job, &reason))).await {
            Ok(_) => {}
            Err(e) if e.to_string().to_lowercase().contains("unique") => {
                return Err(AppError::field("version", "taken"));
            }
            Err(e) => return Err(e.into()),
        }
        tracing::info!(year = year.year, version = %year.version, source, "calendar version loaded");
        self.refresh_calendar().await?;
        self.signal_now_calendar().await;
        let recomputed = self.run_jobs(progress).await?;
        Ok(ImportOutcome {
            year: year.year,
            version: year.version,
            recomputed,
            unchanged: false,
        })
    }

    /// A body's calendar compiled against another national calendar (for previews).
    async fn compile_with(
        &self,
        national: &NationalCalendar,
        body: &BodyEntry,
    ) -> Result<WorkingCalendar, AppError> {
        let closures = self.closure_days(body.row.id).await?;
        Ok(WorkingCalendar::new(
            national,
            &self.settings_of(&body.row, closures),
        ))
    }

    /// Starts a recomputation of one body's deadlines (after a closure change) and runs it.
    pub(crate) async fn recompute_body(
        &self,
        body_id: Uuid,
        reason: &str,
    ) -> Result<u64, AppError> {
        store::create_body_job(&self.db, Uuid::now_v7(), body_id, reason, self.now()).await?;
        self.run_jobs(&|_| {}).await
    }

    /// Runs every unfinished recomputation (a crashed one resumes at its cursor). Returns the
    /// deadlines moved. Jobs leased by another runner are left to it.
    pub async fn run_jobs(&self, progress: &(dyn Fn(u64) + Send + Sync)) -> Result<u64, AppError> {
        let mut moved = 0;
        for job in store::open_jobs(&self.db).await? {
            moved += self.run_job(job.id, progress, None).await?;
        }
        Ok(moved)
    }

    /// Runs one job to its end, or for at most `max_batches` batches (tests of a crash midway).
    pub async fn run_job(
        &self,
        id: Uuid,
        progress: &(dyn Fn(u64) + Send + Sync),
        max_batches: Option<usize>,
    ) -> Result<u64, AppError> {
        let now = self.now();
        let Some(mut job) = store::take_lease(&self.db, id, now, now + LEASE).await? else {
            return Ok(0);
        };
        let result = self.drive(&mut job, progress, max_batches).await;
        if result.is_err() || job.finished_at.is_none() {
            let _ = store::release_lease(&self.db, id).await;
        }
        let moved = result?;
        if job.finished_at.is_some() {
            self.refresh_calendar().await?;
            self.signal_now_calendar().await;
            if let Some(b) = job.body_id {
                self.changed_in(b);
            }
            self.changed();
        }
        Ok(moved)
    }

    async fn job_since(&self, job: &JobRow) -> Result<Date, AppError> {
        let national = self.national();
        let year = job
            .version_id
            .and_then(|v| national.versions.iter().find(|r| r.id == v))
            .map(|r| i32::try_from(r.year).unwrap_or(2024));
        Ok(match year {
            Some(y) => {
                Date::from_calendar_date(y, time::Month::January, 1).map_err(unexpected)? - REACH
            }
            // A closure may lie anywhere in the body's loaded years.
            None => {
                Date::from_calendar_date(national.calendar.first_year(), time::Month::January, 1)
                    .map_err(unexpected)?
            }
        })
    }

    /// Reads the page after `cursor` of `phase` and plans its writes; `None` for the cursor
    /// when the phase has no page left.
    async fn plan_page(
        &self,
        phase: &str,
        body: Option<Uuid>,
        since: Date,
        cursor: Option<Uuid>,
        reason: &str,
    ) -> Result<(Vec<Write>, Option<Uuid>), AppError> {
        Ok(match phase {
            "requests" => {
                let page = store::request_candidates(&self.db, body, since, cursor, BATCH).await?;
                let next = page.last().map(|c| c.id);
                (self.plan_requests(page, reason).await?.0, next)
            }
            "objections" => {
                let page = store::objection_candidates(&self.db, body, cursor, BATCH).await?;
                let next = page.last().map(|c| c.id);
                (self.plan_objections(page, reason).await?.0, next)
            }
            "disputes" => {
                let page = store::dispute_candidates(&self.db, body, cursor, BATCH).await?;
                let next = page.last().map(|c| c.id);
                (self.plan_disputes(page, reason).await?.0, next)
            }
            _ => (Vec::new(), None),
        })
    }

    async fn drive(
        &self,
        job: &mut JobRow,
        progress: &(dyn Fn(u64) + Send + Sync),
        max_batches: Option<usize>,
    ) -> Result<u64, AppError> {
        // Deadlines are computed with the calendar in force, which includes the version.
        self.refresh_calendar().await?;
        let since = self.job_since(job).await?;
        let mut moved_total = 0u64;
        let mut batches = 0usize;
        let t0 = std::time::Instant::now();
        let mut page = self
            .plan_page(&job.phase, job.body_id, since, job.cursor, &job.reason)
            .await?;
        let mut t_plan = t0.elapsed();
        loop {
            // A node shutting down hands the job back between batches (its cursor is stored);
            // another node, or this one after its restart, goes on from there.
            if max_batches.is_some_and(|m| batches >= m) || self.is_shutting_down() {
                return Ok(moved_total);
            }
            let (writes, next_cursor) = page;
            let (phase, cursor) = match (job.phase.as_str(), next_cursor) {
                (p, Some(c)) => (p.to_owned(), Some(c)),
                ("requests", None) => ("objections".to_owned(), None),
                ("objections", None) => ("disputes".to_owned(), None),
                _ => ("done".to_owned(), None),
            };
            let finished = phase == "done";
            let now = self.now();
            let p = Progress {
                phase: phase.clone(),
                cursor,
                lease_until: now + LEASE,
                finished,
            };
            // The next page is read and planned while this one is written: its cases are
            // others (ids after the cursor), and its writes stay guarded by their event counts
            // like any. Reading runs on the read pool, planning on this task, writing on the
            // writer: the two cores work at once instead of in turn.
            let t1 = std::time::Instant::now();
            let apply = store::apply_batch(&self.db, job.id, &writes, &p, now);
            let prefetch = async {
                if finished || max_batches.is_some_and(|m| batches + 1 >= m) {
                    return Ok((Vec::new(), None));
                }
                self.plan_page(&phase, job.body_id, since, cursor, &job.reason)
                    .await
            };
            let (applied, planned) = tokio::join!(apply, prefetch);
            let (mut moved, mut skipped) = applied?;
            let next_page = planned?;
            // Where a batch's time goes (`LENTERA_LOG=lentera_app=debug`): see BENCHMARKS.md.
            tracing::debug!(
                plan_ms = t_plan.as_secs_f64() * 1e3,
                apply_and_next_plan_ms = t1.elapsed().as_secs_f64() * 1e3,
                writes = writes.len(),
                "recompute batch"
            );
            t_plan = std::time::Duration::ZERO;
            // A case changed by someone else between the read and the write (perhaps with the
            // calendar of before) is planned again from its new state, the job staying where
            // it is; three rounds, then it is left to the next change of that case.
            let kind = job.phase.clone();
            for _ in 0..3 {
                if skipped.is_empty() {
                    break;
                }
                let again = store::candidates_again(&self.db, &kind, &skipped).await?;
                let (w, _) = match kind.as_str() {
                    "requests" => self.plan_requests(again.requests, &job.reason).await?,
                    "objections" => self.plan_objections(again.objections, &job.reason).await?,
                    _ => self.plan_disputes(again.disputes, &job.reason).await?,
                };
                let hold = Progress {
                    phase: phase.clone(),
                    cursor,
                    lease_until: now + LEASE,
                    finished,
                };
                let (m, s) = store::apply_batch(&self.db, job.id, &w, &hold, now).await?;
                moved += m;
                skipped = s;
            }
            if !skipped.is_empty() {
                tracing::warn!(
                    cases = skipped.len(),
                    "cases changed during recomputation; left as they are"
                );
            }
            for w in &writes {
                if let Write::Request { .. } = w {
                    // Tracking caches of this process; other instances drop theirs on refresh.
                    self.forget_all_tracked();
                    break;
                }
            }
            moved_total += moved;
            progress(moved_total);
            batches += 1;
            job.phase = phase;
            job.cursor = cursor;
            job.recomputed += i64::try_from(moved).unwrap_or(0);
            if finished {
                job.finished_at = Some(now);
                return Ok(moved_total);
            }
            page = next_page;
            // Let submissions and tracking run between batches.
            tokio::task::yield_now().await;
        }
    }

    fn recompute_event(&self, kind: &str, data: String) -> NewEvent {
        NewEvent {
            id: Uuid::now_v7(),
            at: self.now(),
            actor_kind: "system".into(),
            actor_id: None,
            kind: kind.into(),
            data,
        }
    }

    async fn plan_requests(
        &self,
        page: Vec<store::RequestCandidate>,
        reason: &str,
    ) -> Result<(Vec<Write>, u64), AppError> {
        let mut writes = Vec::new();
        let mut moved = 0;
        for c in page {
            let body = self.body(c.body_id).await?;
            let Ok(state) = serde_json::from_str::<RequestState>(&c.state) else {
                tracing::warn!(number = %c.number, "unreadable request state; not recomputed");
                continue;
            };
            let to = state
                .deadlines(&body.calendar)
                .ok()
                .map(|d| d.effective_due);
            let open = state.status.awaits_decision();
            if let (true, Some(from), Some(to)) = (open, c.due_on, to)
                && from != to
            {
                let event = RequestEvent::DueRecomputed {
                    from,
                    to,
                    reason: reason.to_owned(),
                };
                let today = self.today_in(body.time_zone());
                let next = state.apply(&event, today, &body.calendar)?;
                let projection = self.projection(&next, &body).await?;
                writes.push(Write::Request {
                    id: c.id,
                    expected: c.event_count,
                    event: Some(self.recompute_event(
                        event.kind(),
                        serde_json::to_string(&event).map_err(unexpected)?,
                    )),
                    projection: Box::new(projection),
                });
                moved += 1;
                continue;
            }
            let projection = self.projection(&state, &body).await?;
            let differs = projection.due_on != c.due_on
                || projection.notice_due_on != c.notice_due_on
                || projection.service_wd != c.service_wd
                || projection.on_time != c.on_time
                || projection.calendar_version != c.calendar_version;
            if differs {
                writes.push(Write::Request {
                    id: c.id,
                    expected: c.event_count,
                    event: None,
                    projection: Box::new(projection),
                });
            }
        }
        Ok((writes, moved))
    }

    async fn plan_objections(
        &self,
        page: Vec<store::ObjectionCandidate>,
        reason: &str,
    ) -> Result<(Vec<Write>, u64), AppError> {
        let mut writes = Vec::new();
        let mut moved = 0;
        for c in page {
            let body = self.body(c.body_id).await?;
            let Ok(state) = serde_json::from_str::<ObjectionState>(&c.state) else {
                continue;
            };
            let to = state.answer_due(&body.calendar).ok();
            let due_moved = match (state.status.awaits_answer(), c.answer_due_on, to) {
                (true, Some(from), Some(to)) if from != to => Some((from, to)),
                _ => None,
            };
            let in_doubt =
                c.late && !state.lateness_in_doubt && !self.still_late(&c, &body).await?;
            if due_moved.is_none() && !in_doubt {
                continue;
            }
            let (from, to) = due_moved.unwrap_or_else(|| {
                let d = c.answer_due_on.unwrap_or(state.received_on);
                (d, to.unwrap_or(d))
            });
            let event = ObjectionEvent::DueRecomputed {
                from,
                to,
                reason: reason.to_owned(),
                lateness_in_doubt: in_doubt,
            };
            let next = state.apply(&event).map_err(unexpected)?;
            writes.push(Write::Objection {
                id: c.id,
                expected: c.event_count,
                event: self.recompute_event(
                    event.kind(),
                    serde_json::to_string(&event).map_err(unexpected)?,
                ),
                projection: self.objection_projection(&next, &body)?,
            });
            if due_moved.is_some() {
                moved += 1;
            }
        }
        Ok((writes, moved))
    }

    /// Whether an objection recorded as late is still late under the calendar in force: its
    /// request as it stood on the filing day, and every ground's 30-WD window.
    async fn still_late(
        &self,
        c: &store::ObjectionCandidate,
        body: &BodyEntry,
    ) -> Result<bool, AppError> {
        let Ok(state) = serde_json::from_str::<ObjectionState>(&c.state) else {
            return Ok(true);
        };
        let rows = lentera_store::requests::events(&self.db, c.request_id).await?;
        let tz = body.time_zone();
        let upto: Vec<(RequestEvent, Date)> = rows
            .iter()
            .filter_map(|r| {
                let day = tz.date_of(r.at);
                let e: RequestEvent = serde_json::from_str(&r.data).ok()?;
                (day <= state.received_on).then_some((e, day))
            })
            .collect();
        let Ok(request) =
            RequestState::from_events(upto.iter().map(|(e, d)| (e, *d)), &body.calendar)
        else {
            return Ok(true);
        };
        Ok(lentera_domain::objection::is_late(
            &state.grounds,
            &request,
            state.received_on,
            &body.calendar,
        ))
    }

    async fn plan_disputes(
        &self,
        page: Vec<store::DisputeCandidate>,
        reason: &str,
    ) -> Result<(Vec<Write>, u64), AppError> {
        let mut writes = Vec::new();
        let mut moved = 0;
        for c in page {
            let body = self.body(c.body_id).await?;
            let Ok(state) = serde_json::from_str::<DisputeState>(&c.state) else {
                continue;
            };
            let Ok(new) = state.deadlines(&body.calendar) else {
                continue;
            };
            let old: Option<DisputeDeadlines> = c
                .deadlines
                .as_deref()
                .and_then(|d| serde_json::from_str(d).ok());
            let today = self.today_in(body.time_zone());
            let mut events = Vec::new();
            if let Some(old) = old {
                for (name, a, b) in [
                    ("ki_start", old.ki_start_by, new.ki_start_by),
                    ("ki_finish", old.ki_finish_by, new.ki_finish_by),
                    ("appeal", old.appeal_by, new.appeal_by),
                ] {
                    if let (Some(from), Some(to)) = (a, b)
                        && from != to
                    {
                        events.push(DisputeEvent::DueRecomputed {
                            on: today,
                            deadline: name.into(),
                            from,
                            to,
                            reason: reason.to_owned(),
                        });
                    }
                }
            }
            let deadlines = serde_json::to_string(&new).map_err(unexpected)?;
            if events.is_empty() && c.deadlines.as_deref() == Some(deadlines.as_str()) {
                continue;
            }
            // One event per dispute and batch keeps the log's numbering simple: the first moved
            // deadline's event names it; the others are in its reason.
            let event = match events.len() {
                0 => None,
                1 => events.pop(),
                _ => {
                    let names: Vec<String> = events
                        .iter()
                        .filter_map(|e| match e {
                            DisputeEvent::DueRecomputed {
                                deadline, from, to, ..
                            } => Some(format!(
                                "{}: {from} → {to}",
                                lentera_domain::dispute::deadline_label(deadline)
                            )),
                            _ => None,
                        })
                        .collect();
                    let mut first = events.swap_remove(0);
                    if let DisputeEvent::DueRecomputed { reason: r, .. } = &mut first {
                        *r = format!("{reason} ({})", names.join("; "));
                    }
                    Some(first)
                }
            };
            let event =
                match event {
                    Some(e) => {
                        moved += 1;
                        Some(self.recompute_event(
                            e.kind(),
                            serde_json::to_string(&e).map_err(unexpected)?,
                        ))
                    }
                    None => None,
                };
            writes.push(Write::Dispute {
                id: c.id,
                expected: c.event_count,
                event,
                state: c.state.clone(),
                deadlines,
            });
        }
        Ok((writes, moved))
    }
}

impl App {
    /// [`Self::import_calendar`] by an officer: admins only, audited.
    pub async fn import_calendar_by(
        &self,
        officer: &crate::auth::OfficerCtx,
        text: &str,
        source: &str,
    ) -> Result<ImportOutcome, AppError> {
        if officer.role != lentera_domain::Role::Admin {
            return Err(AppError::Forbidden);
        }
        let out = self
            .import_calendar(text, source, &officer.user.email, &|_| {})
            .await?;
        if !out.unchanged {
            lentera_store::audit::record(
                &self.db,
                self.now(),
                Some(officer.user.id),
                "calendar.load",
                "calendar",
                &format!("{}/{}", out.year, out.version),
                &format!("recomputed={}", out.recomputed),
            )
            .await?;
        }
        Ok(out)
    }

    /// [`Self::preview_calendar`] for an admin.
    pub async fn preview_calendar_by(
        &self,
        officer: &crate::auth::OfficerCtx,
        text: &str,
    ) -> Result<Preview, AppError> {
        if officer.role != lentera_domain::Role::Admin {
            return Err(AppError::Forbidden);
        }
        self.preview_calendar(text).await
    }
}
