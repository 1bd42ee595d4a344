//! Tracking by number and code, the tracked-request cache, withdrawal by the applicant.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use lentera_domain::request::{RequestEvent, RequestState};
use lentera_store::requests::{self, Projection};
use lentera_store::{Backend, StoreError};

use super::{Loaded, NOT_FOUND};
use crate::crypto::normalize_code;
use crate::views::RequestView;
use crate::{App, AppError, BodyEntry};

/// Most requests kept loaded for tracking; the cache is emptied when full.
const TRACKED_CAPACITY: usize = 20_000;

/// How long a retried submission still gets its tracking code again.
const RECENT_CODE_TTL: Duration = Duration::from_secs(15 * 60);

/// What tracking keeps in memory.
#[derive(Default)]
pub(crate) struct Tracking {
    /// Loaded requests by number, for tracking on the embedded back end, where this process is
    /// the only writer (every append invalidates its entry). Not used on PostgreSQL, where other
    /// instances may write.
    loaded: RwLock<HashMap<String, Arc<Loaded>>>,
    /// Bumped by every invalidation, so that a load that began before it does not put a stale
    /// copy back.
    generation: AtomicU64,
    /// Tracking codes of recent submissions by submission key, so that a retried submission
    /// (lost answer, double click) gets the same receipt. Kept in memory only, briefly.
    recent_codes: Mutex<HashMap<String, (String, Instant)>>,
}

impl Tracking {
    fn get(&self, number: &str) -> Option<Arc<Loaded>> {
        self.loaded.read().ok().and_then(|m| m.get(number).cloned())
    }

    fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Keeps `loaded` unless something was invalidated since `generation` was read.
    fn insert_unless_changed(&self, number: &str, loaded: &Arc<Loaded>, generation: u64) {
        if let Ok(mut m) = self.loaded.write()
            && self.generation() == generation
        {
            if m.len() >= TRACKED_CAPACITY {
                m.clear();
            }
            m.insert(number.to_owned(), Arc::clone(loaded));
        }
    }

    fn forget(&self, number: &str) {
        if let Ok(mut m) = self.loaded.write() {
            m.remove(number);
            // A load that read the store before this write must not put its stale copy back.
            self.generation.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn clear(&self) {
        if let Ok(mut m) = self.loaded.write() {
            m.clear();
            self.generation.fetch_add(1, Ordering::SeqCst);
        }
    }

    pub(super) fn remember_code(&self, key: &str, code: &str) {
        if let Ok(mut m) = self.recent_codes.lock() {
            m.retain(|_, (_, at)| at.elapsed() < RECENT_CODE_TTL);
            m.insert(key.to_owned(), (code.to_owned(), Instant::now()));
        }
    }

    pub(super) fn recent_code(&self, key: &str) -> Option<String> {
        let m = self.recent_codes.lock().ok()?;
        m.get(key)
            .filter(|(_, at)| at.elapsed() < RECENT_CODE_TTL)
            .map(|(c, _)| c.clone())
    }
}

impl App {
    /// Drops a request from the tracking cache after a write elsewhere (objections).
    pub(crate) fn forget_request(&self, number: &str) {
        self.forget_tracked(number);
    }

    pub(crate) async fn request_projection(
        &self,
        state: &RequestState,
        body: &BodyEntry,
    ) -> Result<Projection, AppError> {
        self.projection(state, body).await
    }

    /// Drops every tracked request (the calendar changed, or another process recomputed).
    pub(crate) fn forget_all_tracked(&self) {
        self.tracking.clear();
    }

    pub(super) fn forget_tracked(&self, number: &str) {
        self.tracking.forget(number);
    }

    async fn load_tracked(&self, number: &str) -> Result<Option<Arc<Loaded>>, AppError> {
        let cache = self.db.backend() == Backend::Sqlite;
        if cache && let Some(hit) = self.tracking.get(number) {
            return Ok(Some(hit));
        }
        let generation = self.tracking.generation();
        let row = match requests::get_by_number(&self.db, number).await {
            Ok(r) => r,
            Err(StoreError::NotFound) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let body = self.body(row.body_id).await?;
        let rows = requests::events(&self.db, row.id).await?;
        let (state, _) = self.fold(&rows, &body)?;
        let loaded = Arc::new(Loaded { row, state, rows });
        // Only if no write happened since the read began (else the copy may be stale).
        if cache {
            self.tracking
                .insert_unless_changed(number, &loaded, generation);
        }
        Ok(Some(loaded))
    }

    /// The public tracking view. A wrong code answers exactly like an unknown number.
    pub async fn track(&self, number: &str, code: &str) -> Result<RequestView, AppError> {
        let (loaded, body) = self.tracked(number, code).await?;
        Ok(self
            .view(&loaded.row, &loaded.state, &loaded.rows, &body)
            .await)
    }

    /// The loaded request behind a number and its tracking code (same answer for both misses).
    pub(crate) async fn tracked(
        &self,
        number: &str,
        code: &str,
    ) -> Result<(Arc<Loaded>, Arc<BodyEntry>), AppError> {
        let hashed = self.secret().hash(&normalize_code(code));
        let Some(loaded) = self.load_tracked(number.trim()).await? else {
            return Err(NOT_FOUND);
        };
        if !crate::crypto::constant_time_eq(hashed.as_bytes(), loaded.row.tracking_hash.as_bytes())
        {
            return Err(NOT_FOUND);
        }
        let body = self.body(loaded.row.body_id).await?;
        Ok((loaded, body))
    }

    /// The requester's tracking page in one load: the view, the objections filed, and the
    /// grounds a new objection may use now.
    pub async fn track_with_objections(
        &self,
        number: &str,
        code: &str,
    ) -> Result<
        (
            RequestView,
            Vec<crate::objections::ObjectionView>,
            Vec<lentera_domain::objection::Ground>,
        ),
        AppError,
    > {
        let (loaded, body) = self.tracked(number, code).await?;
        let view = self
            .view(&loaded.row, &loaded.state, &loaded.rows, &body)
            .await;
        let today = self.today_in(body.time_zone());
        let objections = self.objections_of_request_id(loaded.row.id).await?;
        let last_filed = objections.iter().map(|o| o.received_on).max();
        let grounds = lentera_domain::objection::offered_grounds(
            &loaded.state,
            today,
            &body.calendar,
            last_filed,
        );
        Ok((view, objections, grounds))
    }

    /// The requester withdraws their request (with the tracking code).
    pub async fn withdraw(
        &self,
        number: &str,
        code: &str,
        reason: Option<String>,
    ) -> Result<RequestView, AppError> {
        self.track(number, code).await?;
        let row = requests::get_for_update(&self.db, number.trim()).await?;
        let body = self.body(row.body_id).await?;
        let rows = requests::events(&self.db, row.id).await?;
        let (state, _) = self.fold(&rows, &body)?;
        let today = self.today_in(body.time_zone());
        let event = RequestEvent::Withdrawn {
            on: today,
            reason: reason.filter(|r| !r.trim().is_empty()),
        };
        self.commit(&row, &body, &state, &event, None, today).await
    }
}
