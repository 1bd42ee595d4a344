//! Public bodies, their PPID units and per-body closures.

use crate::db::BeginWrite;
use sqlx::FromRow;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{Db, StoreError, with_conn};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct BodyRow {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<Uuid>,
    pub code: String,
    pub time_zone: String,
    pub collective_leave_is_working: bool,
    pub clock_mode: String,
    /// Bumped on every change of what makes the body's calendar, so caches can tell.
    pub calendar_rev: i64,
    pub created_at: OffsetDateTime,
    pub address: String,
    pub email: String,
    pub phone: String,
    pub service_hours: String,
    /// The *maklumat pelayanan* (service charter), as the body wrote it.
    pub charter: String,
}

macro_rules! body_columns {
    () => {
        "id, slug, name, kind, parent_id, code, time_zone, collective_leave_is_working, clock_mode, calendar_rev, created_at, address, email, phone, service_hours, charter"
    };
}

pub async fn insert(db: &Db, b: &BodyRow) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO bodies (id, slug, name, kind, parent_id, code, time_zone, collective_leave_is_working, clock_mode, calendar_rev, created_at, \
                       address, email, phone, service_hours, charter) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";
    with_conn!(db.write(), |pool| {
        sqlx::query(SQL)
            .bind(b.id)
            .bind(&b.slug)
            .bind(&b.name)
            .bind(&b.kind)
            .bind(b.parent_id)
            .bind(&b.code)
            .bind(&b.time_zone)
            .bind(b.collective_leave_is_working)
            .bind(&b.clock_mode)
            .bind(b.calendar_rev)
            .bind(b.created_at)
            .bind(&b.address)
            .bind(&b.email)
            .bind(&b.phone)
            .bind(&b.service_hours)
            .bind(&b.charter)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

pub async fn list(db: &Db) -> Result<Vec<BodyRow>, StoreError> {
    let sql = concat!("SELECT ", body_columns!(), " FROM bodies ORDER BY slug");
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<_, BodyRow>(
        sql
    )
    .fetch_all(pool)
    .await)?)
}

pub async fn get_by_slug(db: &Db, slug: &str) -> Result<BodyRow, StoreError> {
    let sql = concat!("SELECT ", body_columns!(), " FROM bodies WHERE slug = $1");
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<_, BodyRow>(
        sql
    )
    .bind(slug)
    .fetch_one(pool)
    .await)?)
}

pub async fn get(db: &Db, id: Uuid) -> Result<BodyRow, StoreError> {
    let sql = concat!("SELECT ", body_columns!(), " FROM bodies WHERE id = $1");
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<_, BodyRow>(
        sql
    )
    .bind(id)
    .fetch_one(pool)
    .await)?)
}

/// Changes the calendar switches of a body and bumps its calendar revision.
pub async fn update_calendar_settings(
    db: &Db,
    id: Uuid,
    collective_leave_is_working: bool,
    clock_mode: &str,
) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE bodies SET collective_leave_is_working = $2, clock_mode = $3, calendar_rev = calendar_rev + 1 WHERE id = $1";
    let r = with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(id)
        .bind(collective_leave_is_working)
        .bind(clock_mode)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    if r == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct ClosureRow {
    pub body_id: Uuid,
    pub day: Date,
    pub reason: String,
}

pub async fn closures(db: &Db, body_id: Uuid) -> Result<Vec<ClosureRow>, StoreError> {
    const SQL: &str = "SELECT body_id, day, reason FROM closures WHERE body_id = $1 ORDER BY day";
    Ok(with_conn!(db.read(), |pool| {
        sqlx::query_as::<_, ClosureRow>(SQL)
            .bind(body_id)
            .fetch_all(pool)
            .await
    })?)
}

/// Adds (or renames) a closure day and bumps the body's calendar revision, atomically.
pub async fn add_closure(
    db: &Db,
    body_id: Uuid,
    day: Date,
    reason: &str,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    const INSERT: &str = "INSERT INTO closures (body_id, day, reason, created_at) VALUES ($1, $2, $3, $4) \
                          ON CONFLICT (body_id, day) DO UPDATE SET reason = excluded.reason";
    const BUMP: &str = "UPDATE bodies SET calendar_rev = calendar_rev + 1 WHERE id = $1";
    with_conn!(db.write(), |pool| {
        let mut tx = pool.begin_write().await?;
        sqlx::query(INSERT)
            .bind(body_id)
            .bind(day)
            .bind(reason)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(BUMP).bind(body_id).execute(&mut *tx).await?;
        tx.commit().await
    })?;
    Ok(())
}

pub async fn remove_closure(db: &Db, body_id: Uuid, day: Date) -> Result<(), StoreError> {
    const DELETE: &str = "DELETE FROM closures WHERE body_id = $1 AND day = $2";
    const BUMP: &str = "UPDATE bodies SET calendar_rev = calendar_rev + 1 WHERE id = $1";
    with_conn!(db.write(), |pool| {
        let mut tx = pool.begin_write().await?;
        sqlx::query(DELETE)
            .bind(body_id)
            .bind(day)
            .execute(&mut *tx)
            .await?;
        sqlx::query(BUMP).bind(body_id).execute(&mut *tx).await?;
        tx.commit().await
    })?;
    Ok(())
}

/// The public profile of a body: contacts, service hours and charter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    pub address: String,
    pub email: String,
    pub phone: String,
    pub service_hours: String,
    pub charter: String,
}

pub async fn update_profile(db: &Db, id: Uuid, p: &Profile) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE bodies SET name = $2, address = $3, email = $4, phone = $5, service_hours = $6, charter = $7 WHERE id = $1";
    let n = with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(id)
        .bind(&p.name)
        .bind(&p.address)
        .bind(&p.email)
        .bind(&p.phone)
        .bind(&p.service_hours)
        .bind(&p.charter)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}
