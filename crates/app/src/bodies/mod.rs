//! Public bodies and PPID units.

use lentera_domain::submission::FieldErrors;
use lentera_domain::{BodyKind, TimeZone};
use lentera_store::bodies::{self, BodyRow};
pub use lentera_store::bodies::{ClosureRow, Profile};
use serde::Serialize;
use time::Date;
use uuid::Uuid;

use crate::{App, AppError};

mod directory;

pub use directory::BodyEntry;
pub(crate) use directory::Directory;

#[derive(Debug, Clone, Default)]
pub struct NewBody {
    pub slug: String,
    pub name: String,
    pub kind: Option<String>,
    pub parent: Option<String>,
    pub time_zone: Option<String>,
    pub collective_leave_is_working: bool,
}

/// The contract's body item.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct BodyItem {
    pub slug: String,
    pub name: String,
    pub parent: Option<String>,
    pub kind: String,
}

fn slug_ok(s: &str) -> bool {
    (2..=60).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

impl App {
    /// Adds a body or unit. A body with a parent is a unit unless its kind says otherwise.
    pub async fn create_body(&self, b: &NewBody) -> Result<BodyItem, AppError> {
        let mut e = FieldErrors::default();
        let slug = b.slug.trim().to_owned();
        if !slug_ok(&slug) {
            e.add("slug", "invalid_slug");
        }
        let name = b.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 200 {
            e.add(
                "name",
                if name.is_empty() {
                    "required"
                } else {
                    "too_long"
                },
            );
        }
        let parent = match b.parent.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            None => None,
            Some(p) => match self.body_by_slug(p).await? {
                Some(entry) => Some(entry),
                None => {
                    e.add("parent", "unknown_body");
                    None
                }
            },
        };
        let default_kind = if b.parent.is_some() {
            BodyKind::Unit
        } else {
            BodyKind::Agency
        };
        let kind = match b.kind.as_deref() {
            None | Some("") => Some(default_kind),
            Some(k) => BodyKind::parse(k).or_else(|| {
                e.add("kind", "invalid_choice");
                None
            }),
        };
        if kind == Some(BodyKind::Unit) && b.parent.is_none() {
            e.add("parent", "required_for_unit");
        }
        if parent.as_ref().is_some_and(|p| p.row.kind == "unit") {
            e.add("parent", "unit_cannot_have_units");
        }
        let tz = match b.time_zone.as_deref() {
            None | Some("") => parent
                .as_ref()
                .map_or(Some(TimeZone::Wib), |p| Some(p.time_zone())),
            Some(t) => TimeZone::parse(t).or_else(|| {
                e.add("time_zone", "invalid_choice");
                None
            }),
        };
        let (Some(kind), Some(tz)) = (kind, tz) else {
            return Err(AppError::Invalid(e));
        };
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        let row = BodyRow {
            id: Uuid::now_v7(),
            code: slug.to_uppercase(),
            slug: slug.clone(),
            name: name.clone(),
            kind: kind.as_str().into(),
            parent_id: parent.as_ref().map(|p| p.row.id),
            time_zone: tz.as_str().into(),
            collective_leave_is_working: b.collective_leave_is_working,
            clock_mode: "strict".into(),
            calendar_rev: 0,
            created_at: self.now(),
            address: String::new(),
            email: String::new(),
            phone: String::new(),
            service_hours: String::new(),
            charter: String::new(),
        };
        match bodies::insert(&self.db, &row).await {
            Ok(()) => {}
            Err(lentera_store::StoreError::Conflict(_)) => {
                return Err(AppError::field("slug", "taken"));
            }
            Err(e) => return Err(e.into()),
        }
        // The lists that other nodes cached now lack it.
        self.forget_body(row.id);
        Ok(BodyItem {
            slug,
            name,
            parent: parent.map(|p| p.row.slug.clone()),
            kind: kind.as_str().into(),
        })
    }

    pub async fn list_bodies(&self) -> Result<Vec<BodyItem>, AppError> {
        Ok((*self.bodies_shared().await?).clone())
    }

    pub(crate) async fn read_bodies(&self) -> Result<Vec<BodyItem>, AppError> {
        let rows = bodies::list(&self.db).await?;
        let slug_of: std::collections::HashMap<Uuid, String> =
            rows.iter().map(|r| (r.id, r.slug.clone())).collect();
        Ok(rows
            .into_iter()
            .map(|r| BodyItem {
                parent: r.parent_id.and_then(|p| slug_of.get(&p).cloned()),
                slug: r.slug,
                name: r.name,
                kind: r.kind,
            })
            .collect())
    }

    /// Adds a closure day to a body's calendar and re-derives the deadlines of its open requests.
    /// Closures more than two weeks back are refused: they would rewrite the figures of cases
    /// long closed. Every change is in the audit log, by `actor` (`None`: the command line).
    pub async fn add_closure(
        &self,
        slug: &str,
        day: Date,
        reason: &str,
        actor: Option<uuid::Uuid>,
    ) -> Result<(), AppError> {
        let entry = self
            .body_by_slug(slug)
            .await?
            .ok_or(AppError::NotFound("body.not_found"))?;
        if reason.trim().is_empty() {
            return Err(AppError::field("reason", "required"));
        }
        self.closure_day_allowed(&entry, day)?;
        self.record_closure(&entry, day, reason, actor).await
    }

    /// [`Self::add_closure`] without the look-back limit: the demo seeds its history with it.
    pub(crate) async fn record_closure(
        &self,
        entry: &crate::BodyEntry,
        day: Date,
        reason: &str,
        actor: Option<uuid::Uuid>,
    ) -> Result<(), AppError> {
        bodies::add_closure(&self.db, entry.row.id, day, reason.trim(), self.now()).await?;
        lentera_store::audit::record(
            &self.db,
            self.now(),
            actor,
            "closure.added",
            "body",
            &entry.row.slug,
            &format!("{day}: {}", reason.trim()),
        )
        .await?;
        self.forget_body(entry.row.id);
        self.recompute_body(
            entry.row.id,
            &format!("Penutupan kantor {day} ditambahkan: {}", reason.trim()),
        )
        .await
        .map(|_| ())
    }

    /// Switches whether *cuti bersama* counts as working days for a body.
    pub async fn set_collective_leave_working(
        &self,
        slug: &str,
        working: bool,
        clock_mode: &str,
    ) -> Result<(), AppError> {
        let entry = self
            .body_by_slug(slug)
            .await?
            .ok_or(AppError::NotFound("body.not_found"))?;
        if !matches!(clock_mode, "strict" | "register") {
            return Err(AppError::field("clock_mode", "invalid_choice"));
        }
        bodies::update_calendar_settings(&self.db, entry.row.id, working, clock_mode).await?;
        self.forget_body(entry.row.id);
        self.recompute_body(
            entry.row.id,
            if working {
                "Cuti bersama dihitung sebagai hari kerja"
            } else {
                "Cuti bersama dihitung sebagai hari libur"
            },
        )
        .await
        .map(|_| ())
    }
}

impl App {
    /// Changes the public profile (name, contacts, hours, service charter) of a body.
    pub async fn update_profile(&self, slug: &str, p: &bodies::Profile) -> Result<(), AppError> {
        let entry = self
            .body_by_slug(slug)
            .await?
            .ok_or(AppError::NotFound("body.not_found"))?;
        let mut e = FieldErrors::default();
        if p.name.trim().is_empty() {
            e.add("name", "required");
        }
        for (field, value, max) in [
            ("name", &p.name, 200),
            ("address", &p.address, 500),
            ("email", &p.email, 254),
            ("phone", &p.phone, 40),
            ("service_hours", &p.service_hours, 500),
            ("charter", &p.charter, 10_000),
        ] {
            if value.chars().count() > max {
                e.add(field, "too_long");
            }
        }
        if !p.email.trim().is_empty() && !p.email.contains('@') {
            e.add("email", "invalid_email");
        }
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        let clean = bodies::Profile {
            name: p.name.trim().to_owned(),
            address: p.address.trim().to_owned(),
            email: p.email.trim().to_owned(),
            phone: p.phone.trim().to_owned(),
            service_hours: p.service_hours.trim().to_owned(),
            charter: p.charter.trim().to_owned(),
        };
        bodies::update_profile(&self.db, entry.row.id, &clean).await?;
        self.forget_body(entry.row.id);
        Ok(())
    }

    /// Removes a closure day and re-derives the deadlines of open requests.
    pub async fn remove_closure(
        &self,
        slug: &str,
        day: Date,
        actor: Option<uuid::Uuid>,
    ) -> Result<(), AppError> {
        let entry = self
            .body_by_slug(slug)
            .await?
            .ok_or(AppError::NotFound("body.not_found"))?;
        self.closure_day_allowed(&entry, day)?;
        bodies::remove_closure(&self.db, entry.row.id, day).await?;
        lentera_store::audit::record(
            &self.db,
            self.now(),
            actor,
            "closure.removed",
            "body",
            &entry.row.slug,
            &day.to_string(),
        )
        .await?;
        self.forget_body(entry.row.id);
        self.recompute_body(entry.row.id, &format!("Penutupan kantor {day} dihapus"))
            .await
            .map(|_| ())
    }

    fn closure_day_allowed(&self, entry: &crate::BodyEntry, day: Date) -> Result<(), AppError> {
        let today = self.today_in(entry.time_zone());
        if day < today - crate::requests::BACKDATING {
            return Err(AppError::field("day", "too_old"));
        }
        Ok(())
    }

    /// The units of a body.
    pub async fn units_of(&self, slug: &str) -> Result<Vec<BodyItem>, AppError> {
        Ok(self
            .bodies_shared()
            .await?
            .iter()
            .filter(|b| b.kind == "unit" && b.parent.as_deref() == Some(slug))
            .cloned()
            .collect())
    }

    /// Closure days of a body.
    pub async fn closures_of(&self, slug: &str) -> Result<Vec<bodies::ClosureRow>, AppError> {
        let entry = self
            .body_by_slug(slug)
            .await?
            .ok_or(AppError::NotFound("body.not_found"))?;
        Ok((*self.closures_shared(entry.row.id).await?).clone())
    }
}
