//! The command centre's counters of one (body, unit, channel) group, and the objection and
//! dispute counts; the request counters come from the running tallies (`tallies.rs`).

use uuid::Uuid;

use crate::{Db, StoreError, marks, with_conn};

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
