//! The recomputation after a calendar change: open deadlines moved in batches, each with its
//! events.

use std::collections::VecDeque;

use lentera_domain::calendar::{NationalCalendar, WorkingCalendar};
use lentera_domain::dispute::{DisputeDeadlines, DisputeEvent, DisputeState};
use lentera_domain::objection::{ObjectionEvent, ObjectionState};
use lentera_domain::request::{RequestEvent, RequestState};

use lentera_store::calendar::{self as store, JobRow, Progress, Write};
use lentera_store::requests::NewEvent;
use lentera_store::{Backend, Db, StoreError};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::{BATCH, LEASE, REACH, unexpected};
use crate::{App, AppError, BodyEntry};

impl App {
    /// A body's calendar compiled against another national calendar (for previews).
    pub(super) async fn compile_with(
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
        // PostgreSQL writes two batches at once, on two connections (a core each); SQLite has
        // one writer and writes them in turn. Either way the next page is read and planned
        // meanwhile, on the read pool and this task.
        let mut depth = match self.db.backend() {
            Backend::Postgres => 2,
            Backend::Sqlite => 1,
        };
        let mut flights: VecDeque<Flight> = VecDeque::new();
        let mut total = 0u64;
        let mut batches = 0usize;
        // After the last batch sent (job.phase and job.cursor: after the last one stored).
        let (mut at_phase, mut at_cursor) = (job.phase.clone(), job.cursor);
        let (body_id, reason) = (job.body_id, job.reason.clone());
        let mut page = Some(
            self.plan_page(&at_phase, body_id, since, at_cursor, &reason)
                .await?,
        );
        loop {
            // A node shutting down hands the job back between batches (its cursor is stored);
            // another node, or this one after its restart, goes on from there.
            let stop = max_batches.is_some_and(|m| batches >= m) || self.is_shutting_down();
            let failed = match page.take().filter(|_| !stop) {
                // Nothing more to send: what is in flight lands, one by one.
                None => match flights.pop_front() {
                    None => return Ok(total),
                    Some(f) => {
                        self.settle(job, f, &mut flights, &mut total, progress)
                            .await?
                    }
                },
                Some((writes, next_cursor)) => {
                    let (phase, cursor) = match (at_phase.as_str(), next_cursor) {
                        (p, Some(c)) => (p.to_owned(), Some(c)),
                        ("requests", None) => ("objections".to_owned(), None),
                        ("objections", None) => ("disputes".to_owned(), None),
                        _ => ("done".to_owned(), None),
                    };
                    let finished = phase == "done";
                    let now = self.now();
                    let p = Progress {
                        from_phase: std::mem::replace(&mut at_phase, phase.clone()),
                        from_cursor: std::mem::replace(&mut at_cursor, cursor),
                        phase: phase.clone(),
                        cursor,
                        lease_until: now + LEASE,
                        finished,
                    };
                    // The batch before holds its lock before this one is sent.
                    if let Some(prev) = flights.back_mut() {
                        prev.started().await;
                    }
                    flights.push_back(Flight::launch(&self.db, job.id, writes, p, now));
                    batches += 1;
                    // The next page is read and planned while this one is written: its cases
                    // are others (ids after the cursor), and its writes stay guarded by their
                    // event counts like any.
                    let prefetch = async {
                        if finished || max_batches.is_some_and(|m| batches >= m) {
                            return Ok(None);
                        }
                        self.plan_page(&phase, body_id, since, cursor, &reason)
                            .await
                            .map(Some)
                    };
                    let (failed, planned) = if flights.len() >= depth {
                        let oldest = flights.pop_front();
                        let settle = async {
                            match oldest {
                                Some(f) => {
                                    self.settle(job, f, &mut flights, &mut total, progress)
                                        .await
                                }
                                None => Ok(None),
                            }
                        };
                        tokio::join!(settle, prefetch)
                    } else {
                        (Ok(None), prefetch.await)
                    };
                    page = planned?;
                    failed?
                }
            };
            if let Some((writes, p, e)) = failed {
                // A batch written beside another failed (say, a deadlock between their tally
                // updates): the batches sent after it are refused by their guard. The job goes
                // on from the failed batch, one batch at a time.
                if depth == 1 {
                    return Err(e);
                }
                tracing::warn!(error = %e, "recompute batch failed beside another; writing in turn");
                while let Some(f) = flights.pop_front() {
                    let _ = f.outcome().await;
                    batches -= 1;
                }
                depth = 1;
                let next = (p.phase == p.from_phase).then_some(p.cursor).flatten();
                at_phase = p.from_phase;
                at_cursor = p.from_cursor;
                page = Some((writes, next));
                batches -= 1;
                continue;
            }
            // Let submissions and tracking run between batches.
            tokio::task::yield_now().await;
        }
    }

    /// Takes the outcome of the oldest batch in flight and moves the job past it. A batch that
    /// was not stored comes back with its writes and its error. Cases that changed between the
    /// read and the write are planned again from what is stored now, the batches after it
    /// having landed first (nothing else is in flight then), up to three rounds.
    async fn settle(
        &self,
        job: &mut JobRow,
        flight: Flight,
        later: &mut VecDeque<Flight>,
        total: &mut u64,
        progress: &(dyn Fn(u64) + Send + Sync),
    ) -> Result<Option<(Vec<Write>, Progress, AppError)>, AppError> {
        let (writes, p, result) = flight.outcome().await?;
        let (mut moved, mut skipped) = match result {
            Ok(r) => r,
            Err(e) => return Ok(Some((writes, p, e.into()))),
        };
        let now = self.now();
        let kind = p.from_phase.clone();
        let mut round = 0;
        while !skipped.is_empty() && round < 3 {
            round += 1;
            // Where the job stands once what is in flight has landed.
            let mut hold = p.clone();
            for f in later.iter_mut() {
                match f.landed().await? {
                    Some(q) => hold.clone_from(q),
                    None => break,
                }
            }
            hold.from_phase.clone_from(&hold.phase);
            hold.from_cursor = hold.cursor;
            hold.lease_until = now + LEASE;
            let again = store::candidates_again(&self.db, &kind, &skipped).await?;
            let (w, _) = match kind.as_str() {
                "requests" => self.plan_requests(again.requests, &job.reason).await?,
                "objections" => self.plan_objections(again.objections, &job.reason).await?,
                _ => self.plan_disputes(again.disputes, &job.reason).await?,
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
        if writes.iter().any(|w| matches!(w, Write::Request { .. })) {
            // Tracking caches of this process; other instances drop theirs on refresh.
            self.forget_all_tracked();
        }
        *total += moved;
        progress(*total);
        job.phase = p.phase;
        job.cursor = p.cursor;
        job.recomputed += i64::try_from(moved).unwrap_or(0);
        if p.finished {
            job.finished_at = Some(now);
        }
        Ok(None)
    }
    fn recompute_event(&self, kind: &str, data: String) -> NewEvent {
        NewEvent {
            id: Uuid::now_v7(),
            at: self.now(),
            actor_kind: "system".into(),
            actor_id: None,
            kind: kind.into(),
            data,
            letters: Vec::new(),
            mails: Vec::new(),
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

type Outcome = (Vec<Write>, Progress, Result<(u64, Vec<Uuid>), StoreError>);

/// A batch sent to the database on a task of its own, or its outcome once awaited.
enum Flight {
    Running(
        tokio::task::JoinHandle<Outcome>,
        Option<tokio::sync::oneshot::Receiver<()>>,
    ),
    Landed(Outcome),
}

impl Flight {
    fn launch(db: &Db, job: Uuid, writes: Vec<Write>, p: Progress, now: OffsetDateTime) -> Self {
        let db = db.clone();
        let (tx, rx) = tokio::sync::oneshot::channel();
        Self::Running(
            tokio::spawn(async move {
                let t = std::time::Instant::now();
                let started = move || {
                    let _ = tx.send(());
                };
                let r = store::apply_batch_signalled(&db, job, &writes, &p, now, started).await;
                // Where a batch's time goes (`LENTERA_LOG=lentera_app=debug`): see BENCHMARKS.md.
                tracing::debug!(
                    apply_ms = t.elapsed().as_secs_f64() * 1e3,
                    writes = writes.len(),
                    "recompute batch"
                );
                (writes, p, r)
            }),
            Some(rx),
        )
    }

    /// Waits until the batch holds its position's lock, or has ended.
    async fn started(&mut self) {
        if let Self::Running(_, rx) = self
            && let Some(rx) = rx.take()
        {
            // A batch that failed before its lock dropped the sender: nothing to wait for.
            let _ = rx.await;
        }
    }

    /// Waits for the batch; its position if it was stored.
    async fn landed(&mut self) -> Result<Option<&Progress>, AppError> {
        if let Self::Running(h, _) = self {
            let o = h.await.map_err(unexpected)?;
            *self = Self::Landed(o);
        }
        Ok(match self {
            Self::Landed((_, p, Ok(_))) => Some(p),
            _ => None,
        })
    }

    async fn outcome(self) -> Result<Outcome, AppError> {
        match self {
            Self::Running(h, _) => h.await.map_err(unexpected),
            Self::Landed(o) => Ok(o),
        }
    }
}
