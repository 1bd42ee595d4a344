//! The bodies this process has loaded, each with its calendar compiled, kept for a short
//! while and by the national calendar generation they were compiled from.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use lentera_domain::{CalendarSettings, ClockMode, TimeZone, WorkingCalendar};
use lentera_store::bodies::BodyRow;
use uuid::Uuid;

use crate::{App, AppError};

/// A body with the calendar compiled for its settings.
#[derive(Debug, Clone)]
pub struct BodyEntry {
    pub row: BodyRow,
    pub calendar: Arc<WorkingCalendar>,
    pub loaded: Instant,
    /// The national calendar generation it was compiled from.
    pub generation: (i64, i64),
}

impl BodyEntry {
    pub fn time_zone(&self) -> TimeZone {
        TimeZone::parse(&self.row.time_zone).unwrap_or(TimeZone::Wib)
    }
}

/// Loaded bodies by id, and the ids by slug.
#[derive(Default)]
pub(crate) struct Directory {
    by_id: RwLock<HashMap<Uuid, Arc<BodyEntry>>>,
    slugs: RwLock<HashMap<String, Uuid>>,
}

impl Directory {
    fn insert(&self, entry: &Arc<BodyEntry>) {
        if let (Ok(mut by_id), Ok(mut slugs)) = (self.by_id.write(), self.slugs.write()) {
            slugs.insert(entry.row.slug.clone(), entry.row.id);
            by_id.insert(entry.row.id, Arc::clone(entry));
        }
    }

    /// The entry of `id` if it was loaded less than `ttl` ago from calendar `generation`.
    fn fresh(&self, id: Uuid, ttl: Duration, generation: (i64, i64)) -> Option<Arc<BodyEntry>> {
        let guard = self.by_id.read().ok()?;
        guard
            .get(&id)
            .filter(|e| e.loaded.elapsed() < ttl && e.generation == generation)
            .cloned()
    }

    fn id_of(&self, slug: &str) -> Option<Uuid> {
        self.slugs.read().ok().and_then(|m| m.get(slug).copied())
    }

    fn forget(&self, id: Uuid) {
        if let Ok(mut m) = self.by_id.write() {
            m.remove(&id);
        }
    }

    fn clear(&self) {
        if let Ok(mut m) = self.by_id.write() {
            m.clear();
        }
    }
}

impl App {
    pub(crate) fn settings_of(
        &self,
        row: &BodyRow,
        closures: Vec<lentera_domain::calendar::Closure>,
    ) -> CalendarSettings {
        CalendarSettings {
            collective_leave_is_working: row.collective_leave_is_working,
            clock_mode: if row.clock_mode == "register" {
                ClockMode::Register
            } else {
                ClockMode::Strict
            },
            closures,
            ..CalendarSettings::default()
        }
    }

    pub(crate) async fn closure_days(
        &self,
        body_id: Uuid,
    ) -> Result<Vec<lentera_domain::calendar::Closure>, AppError> {
        Ok(lentera_store::bodies::closures(&self.db, body_id)
            .await?
            .into_iter()
            .map(|c| lentera_domain::calendar::Closure {
                date: c.day,
                reason: c.reason,
            })
            .collect())
    }

    async fn load_entry(&self, row: BodyRow) -> Result<Arc<BodyEntry>, AppError> {
        let closures = self.closure_days(row.id).await?;
        let national = self.national();
        let calendar = Arc::new(WorkingCalendar::new(
            &national.calendar,
            &self.settings_of(&row, closures),
        ));
        let entry = Arc::new(BodyEntry {
            row,
            calendar,
            loaded: Instant::now(),
            generation: national.generation,
        });
        self.bodies.insert(&entry);
        Ok(entry)
    }

    fn cached(&self, id: Uuid) -> Option<Arc<BodyEntry>> {
        let generation = self.national().generation;
        self.bodies
            .fresh(id, self.config.body_cache_ttl, generation)
    }

    /// A body by id, with its compiled calendar.
    pub async fn body(&self, id: Uuid) -> Result<Arc<BodyEntry>, AppError> {
        self.refresh_calendar_soon().await;
        if let Some(e) = self.cached(id) {
            return Ok(e);
        }
        let row = lentera_store::bodies::get(&self.db, id).await?;
        self.load_entry(row).await
    }

    /// A body by slug; `None` when there is no such body.
    pub async fn body_by_slug(&self, slug: &str) -> Result<Option<Arc<BodyEntry>>, AppError> {
        self.refresh_calendar_soon().await;
        let id = self.bodies.id_of(slug);
        if let Some(e) = id.and_then(|id| self.cached(id)) {
            return Ok(Some(e));
        }
        match lentera_store::bodies::get_by_slug(&self.db, slug).await {
            Ok(row) => Ok(Some(self.load_entry(row).await?)),
            Err(lentera_store::StoreError::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Drops a body from the cache after a change of its settings, here and on the other nodes.
    pub fn forget_body(&self, id: Uuid) {
        self.forget_body_here(id);
        self.signal(&crate::signals::Signal::Settings(id));
    }

    pub(crate) fn forget_body_here(&self, id: Uuid) {
        self.bodies.forget(id);
    }

    pub(crate) fn forget_all_bodies(&self) {
        self.bodies.clear();
    }

    /// The top-level body a body belongs to (itself unless it is a unit).
    pub async fn home_body(&self, entry: &Arc<BodyEntry>) -> Result<Arc<BodyEntry>, AppError> {
        match (entry.row.kind.as_str(), entry.row.parent_id) {
            ("unit", Some(parent)) => self.body(parent).await,
            _ => Ok(Arc::clone(entry)),
        }
    }
}
