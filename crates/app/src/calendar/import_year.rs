//! Loading a year of the national calendar: parse, preview what moves, import a version.

use std::collections::HashMap;
use std::sync::Arc;

use lentera_domain::calendar::import::{self, YearDiff};
use lentera_domain::calendar::{HolidayYear, WorkingCalendar};
use lentera_domain::objection::ObjectionState;
use lentera_domain::request::{RequestState, RequestStatus};
use lentera_store::calendar::VersionRow;
use lentera_store::calendar::{self as store, NewVersion};
use serde::Serialize;
use time::Date;
use uuid::Uuid;

use super::{BATCH, REACH, digest, instrument, unexpected};
use crate::{App, AppError, BodyEntry};

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

impl App {
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
    /// The load is written to the audit log as `calendar.load` (by `loaded_by`, from `source`)
    /// before the deadlines are recomputed, whoever loads it: an officer through the API or
    /// the admin page, or a shell user through `lentera calendar import`.
    pub async fn import_calendar(
        &self,
        text: &str,
        source: &str,
        loaded_by: &str,
        progress: &(dyn Fn(u64) + Send + Sync),
    ) -> Result<ImportOutcome, AppError> {
        self.import_calendar_as(text, source, loaded_by, None, progress)
            .await
    }

    async fn import_calendar_as(
        &self,
        text: &str,
        source: &str,
        loaded_by: &str,
        actor: Option<Uuid>,
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
        lentera_store::audit::record(
            &self.db,
            self.now(),
            actor,
            "calendar.load",
            "calendar",
            &format!("{}/{}", year.year, year.version),
            &format!("source={source}; by={loaded_by}"),
        )
        .await?;
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
        self.import_calendar_as(
            text,
            source,
            &officer.user.email,
            Some(officer.user.id),
            &|_| {},
        )
        .await
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
