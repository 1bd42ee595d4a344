//! Reading the running tallies that the triggers of migration 0006 keep in the same
//! transaction as every write to the `requests` projection, and the few index-only queries
//! the command centre still needs (today's and the open requests' due days).

use time::Date;
use uuid::Uuid;

use crate::{Db, StoreError, marks, with_conn};

/// One counter of `request_report_tally`, summed over the bodies asked for.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReportCounter {
    /// The unit for the `unit` metric, the nil id otherwise.
    pub unit_key: Uuid,
    pub r_month: String,
    pub f_month: String,
    pub metric: String,
    pub n: i64,
}

/// The report counters of these bodies for requests received in months `first..=last`
/// (`"YYYY-MM"`).
pub async fn report_counters(
    db: &Db,
    bodies: &[Uuid],
    first: &str,
    last: &str,
) -> Result<Vec<ReportCounter>, StoreError> {
    if bodies.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT unit_key, r_month, f_month, metric, CAST(SUM(n) AS BIGINT) AS n FROM request_report_tally \
         WHERE body_id IN ({}) AND r_month >= $1 AND r_month <= $2 \
         GROUP BY unit_key, r_month, f_month, metric HAVING SUM(n) <> 0",
        marks(3, bodies.len())
    );
    Ok(with_conn!(db.read(), |pool| {
        let mut q = sqlx::query_as::<_, ReportCounter>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(first)
            .bind(last);
        for b in bodies {
            q = q.bind(*b);
        }
        q.fetch_all(pool).await
    })?)
}

/// The live counters of these bodies for months `first..=last` (and the month-less `open`)
/// summed over the months, per body, unit, channel and metric (`wd:N` left out). Grouped in
/// the order of the table's key (migration 0008), so SQLite streams the groups without a sort.
pub async fn live_totals(
    db: &Db,
    bodies: &[Uuid],
    first: &str,
    last: &str,
) -> Result<Vec<(Uuid, Uuid, String, String, i64)>, StoreError> {
    if bodies.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT body_id, unit_key, channel, metric, CAST(SUM(n) AS BIGINT) FROM request_live_tally \
         WHERE body_id IN ({}) AND (month = '' OR (month >= $1 AND month <= $2)) AND metric NOT LIKE 'wd:%' \
         GROUP BY body_id, metric, unit_key, channel",
        marks(3, bodies.len())
    );
    Ok(with_conn!(db.read(), |pool| {
        let mut q = sqlx::query_as::<_, (Uuid, Uuid, String, String, i64)>(sqlx::AssertSqlSafe(
            sql.clone(),
        ))
        .bind(first)
        .bind(last);
        for b in bodies {
            q = q.bind(*b);
        }
        q.fetch_all(pool).await
    })?)
}

/// Received and decided per month and the working-days histogram (`wd:N`) of each of these
/// bodies, for months `first..=last`: `(body, month, metric, n)`.
pub async fn live_by_month(
    db: &Db,
    bodies: &[Uuid],
    first: &str,
    last: &str,
) -> Result<Vec<(Uuid, String, String, i64)>, StoreError> {
    if bodies.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT body_id, month, metric, CAST(SUM(n) AS BIGINT) FROM request_live_tally \
         WHERE body_id IN ({}) AND month >= $1 AND month <= $2 \
         AND (metric IN ('received', 'decided') OR metric LIKE 'wd:%') GROUP BY body_id, metric, month",
        marks(3, bodies.len())
    );
    Ok(with_conn!(db.read(), |pool| {
        let mut q =
            sqlx::query_as::<_, (Uuid, String, String, i64)>(sqlx::AssertSqlSafe(sql.clone()))
                .bind(first)
                .bind(last);
        for b in bodies {
            q = q.bind(*b);
        }
        q.fetch_all(pool).await
    })?)
}

/// Statuses in which the statutory clock runs (`RequestStatus::awaits_decision`).
const OPEN: &str = "('received', 'awaiting_completion', 'in_progress', 'extended')";

/// Per (body, unit, channel): open requests not overdue (due from `today` on, or paused without
/// a due day) and, of those, the ones due by `soon`. Overdue requests are the open ones (a
/// running tally) less these: a province carries tens of thousands of overdue requests, and
/// the few not yet due are what an index range reads quickly.
pub async fn open_upcoming(
    db: &Db,
    bodies: &[Uuid],
    today: Date,
    soon: Date,
) -> Result<Vec<(Uuid, Option<Uuid>, String, i64, i64)>, StoreError> {
    if bodies.is_empty() {
        return Ok(Vec::new());
    }
    let m = marks(3, bodies.len());
    // Two index ranges (due from today on; no due day) rather than an OR that would read
    // every open request.
    let sql = format!(
        "SELECT body_id, unit_id, channel, CAST(COUNT(*) AS BIGINT), CAST(SUM(soon) AS BIGINT) FROM ( \
         SELECT body_id, unit_id, channel, CASE WHEN due_on <= $2 THEN 1 ELSE 0 END AS soon FROM requests \
         WHERE body_id IN ({m}) AND status IN {OPEN} AND due_on >= $1 \
         UNION ALL SELECT body_id, unit_id, channel, 0 FROM requests \
         WHERE body_id IN ({m}) AND status IN {OPEN} AND due_on IS NULL \
         ) AS upcoming GROUP BY body_id, unit_id, channel"
    );
    Ok(with_conn!(db.read(), |pool| {
        let mut q = sqlx::query_as::<_, (Uuid, Option<Uuid>, String, i64, i64)>(
            sqlx::AssertSqlSafe(sql.clone()),
        )
        .bind(today)
        .bind(soon);
        for b in bodies {
            q = q.bind(*b);
        }
        q.fetch_all(pool).await
    })?)
}

/// Per (body, unit, channel): requests received on `day`.
pub async fn received_on(
    db: &Db,
    bodies: &[Uuid],
    day: Date,
) -> Result<Vec<(Uuid, Option<Uuid>, String, i64)>, StoreError> {
    if bodies.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT body_id, unit_id, channel, COUNT(*) FROM requests \
         WHERE body_id IN ({}) AND received_on = $1 GROUP BY body_id, unit_id, channel",
        marks(2, bodies.len())
    );
    Ok(with_conn!(db.read(), |pool| {
        let mut q = sqlx::query_as::<_, (Uuid, Option<Uuid>, String, i64)>(sqlx::AssertSqlSafe(
            sql.clone(),
        ))
        .bind(day);
        for b in bodies {
            q = q.bind(*b);
        }
        q.fetch_all(pool).await
    })?)
}

/// The ten oldest requests received in `from..=to` (from `scan_from` on, a lower bound the
/// caller knows from the tallies) that were still open on `to`: `(number, received_on)`.
pub async fn oldest_open_at(
    db: &Db,
    bodies: &[Uuid],
    scan_from: Date,
    to: Date,
) -> Result<Vec<(String, Date)>, StoreError> {
    if bodies.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT number, received_on FROM requests \
         WHERE body_id IN ({}) AND received_on >= $1 AND received_on <= $2 \
         AND NOT ((status IN ('withdrawn', 'not_processable') AND ended_on <= $2) \
              OR (status NOT IN ('withdrawn', 'not_processable') AND decided_on IS NOT NULL AND decided_on <= $2)) \
         ORDER BY received_on, number LIMIT 10",
        marks(3, bodies.len())
    );
    Ok(with_conn!(db.read(), |pool| {
        let mut q = sqlx::query_as::<_, (String, Date)>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(scan_from)
            .bind(to);
        for b in bodies {
            q = q.bind(*b);
        }
        q.fetch_all(pool).await
    })?)
}
