//! Aggregate figures of the command centre and the public accountability page: a few grouped
//! queries over the `requests`, `objections` and `disputes` projections, the same SQL on both
//! back ends (dates are compared with bound `Date` parameters).

use time::Date;
use uuid::Uuid;

use crate::{Db, StoreError, with_conn};

/// Statuses in which the statutory clock runs (`RequestStatus::awaits_decision`).
const OPEN: &str = "('received', 'awaiting_completion', 'in_progress', 'extended')";

/// Counters of one (unit, channel) group of requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCounts {
    pub body_id: Uuid,
    pub unit_id: Option<Uuid>,
    pub channel: String,
    pub received_today: i64,
    pub received_year: i64,
    pub open: i64,
    pub due_soon: i64,
    pub overdue: i64,
    pub decided_year: i64,
    pub on_time: i64,
    pub extended_year: i64,
}

/// The days that bound the figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub today: Date,
    /// Last day counted as "due soon" (today + 3 working days).
    pub soon: Date,
    pub year_start: Date,
    pub year_end: Date,
}

fn marks(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

type GroupRow = (
    Uuid,
    Option<Uuid>,
    String,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
);

/// Counters grouped by body, unit and channel for the requests of these top-level bodies.
pub async fn group_counts(
    db: &Db,
    bodies: &[Uuid],
    w: Window,
) -> Result<Vec<GroupCounts>, StoreError> {
    if bodies.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT body_id, unit_id, channel, \
         SUM(CASE WHEN received_on = $1 THEN 1 ELSE 0 END), \
         SUM(CASE WHEN received_on >= $3 AND received_on <= $4 THEN 1 ELSE 0 END), \
         SUM(CASE WHEN status IN {OPEN} THEN 1 ELSE 0 END), \
         SUM(CASE WHEN status IN {OPEN} AND due_on >= $1 AND due_on <= $2 THEN 1 ELSE 0 END), \
         SUM(CASE WHEN status IN {OPEN} AND due_on < $1 THEN 1 ELSE 0 END), \
         SUM(CASE WHEN decided_on >= $3 AND decided_on <= $4 THEN 1 ELSE 0 END), \
         SUM(CASE WHEN decided_on >= $3 AND decided_on <= $4 AND decided_on <= due_on THEN 1 ELSE 0 END), \
         SUM(CASE WHEN extended AND received_on >= $3 AND received_on <= $4 THEN 1 ELSE 0 END) \
         FROM requests WHERE body_id IN ({}) GROUP BY body_id, unit_id, channel",
        marks(5, bodies.len())
    );
    let rows: Vec<GroupRow> = with_conn!(db.read(), |pool| {
        let mut q = sqlx::query_as::<_, GroupRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(w.today)
            .bind(w.soon)
            .bind(w.year_start)
            .bind(w.year_end);
        for b in bodies {
            q = q.bind(*b);
        }
        q.fetch_all(pool).await
    })?;
    Ok(rows
        .into_iter()
        .map(|r| GroupCounts {
            body_id: r.0,
            unit_id: r.1,
            channel: r.2,
            received_today: r.3,
            received_year: r.4,
            open: r.5,
            due_soon: r.6,
            overdue: r.7,
            decided_year: r.8,
            on_time: r.9,
            extended_year: r.10,
        })
        .collect())
}

/// Requests received per day between `from` and `to` (inclusive).
pub async fn received_by_day(
    db: &Db,
    bodies: &[Uuid],
    from: Date,
    to: Date,
) -> Result<Vec<(Date, i64)>, StoreError> {
    if bodies.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT received_on, COUNT(*) FROM requests WHERE body_id IN ({}) \
         AND received_on >= $1 AND received_on <= $2 GROUP BY received_on",
        marks(3, bodies.len())
    );
    Ok(with_conn!(db.read(), |pool| {
        let mut q = sqlx::query_as::<_, (Date, i64)>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(from)
            .bind(to);
        for b in bodies {
            q = q.bind(*b);
        }
        q.fetch_all(pool).await
    })?)
}

/// Distinct `(received_on, decided_on)` pairs with their counts, for requests decided between
/// `from` and `to`: the input of the time-to-answer figures (converted with a calendar).
pub async fn decided_pairs(
    db: &Db,
    bodies: &[Uuid],
    from: Date,
    to: Date,
) -> Result<Vec<(Date, Date, i64)>, StoreError> {
    if bodies.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT received_on, decided_on, COUNT(*) FROM requests WHERE body_id IN ({}) \
         AND decided_on >= $1 AND decided_on <= $2 GROUP BY received_on, decided_on",
        marks(3, bodies.len())
    );
    Ok(with_conn!(db.read(), |pool| {
        let mut q = sqlx::query_as::<_, (Date, Date, i64)>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(from)
            .bind(to);
        for b in bodies {
            q = q.bind(*b);
        }
        q.fetch_all(pool).await
    })?)
}

/// Open and total objections and disputes of these bodies: `(objections_open,
/// objections_total, disputes_open, disputes_total)`.
pub async fn objection_counts(
    db: &Db,
    bodies: &[Uuid],
) -> Result<(i64, i64, i64, i64), StoreError> {
    if bodies.is_empty() {
        return Ok((0, 0, 0, 0));
    }
    let m = marks(1, bodies.len());
    let sql = format!(
        "SELECT \
         (SELECT COUNT(*) FROM objections WHERE body_id IN ({m}) AND status IN ('received', 'in_review')), \
         (SELECT COUNT(*) FROM objections WHERE body_id IN ({m})), \
         (SELECT COUNT(*) FROM disputes WHERE body_id IN ({m}) AND status NOT IN ('final', 'complied', 'withdrawn')), \
         (SELECT COUNT(*) FROM disputes WHERE body_id IN ({m}))"
    );
    Ok(with_conn!(db.read(), |pool| {
        let mut q = sqlx::query_as::<_, (i64, i64, i64, i64)>(sqlx::AssertSqlSafe(sql.clone()));
        for b in bodies {
            q = q.bind(*b);
        }
        q.fetch_one(pool).await
    })?)
}
