//! The three append-only logs share one row shape; one statement each and one macro bind a
//! [`crate::requests::NewEvent`] to them.

pub(crate) const REQUEST: &str = "INSERT INTO request_events (id, request_id, seq, at, actor_kind, actor_id, kind, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
pub(crate) const OBJECTION: &str = "INSERT INTO objection_events (id, objection_id, seq, at, actor_kind, actor_id, kind, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
pub(crate) const DISPUTE: &str = "INSERT INTO dispute_events (id, dispute_id, seq, at, actor_kind, actor_id, kind, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

/// `insert!(SQL, parent_id, seq, event, executor)`: appends `event` as number `seq` of the log.
macro_rules! insert {
    ($sql:expr, $parent:expr, $seq:expr, $e:expr, $conn:expr) => {
        sqlx::query($sql)
            .bind($e.id)
            .bind($parent)
            .bind($seq)
            .bind($e.at)
            .bind(&$e.actor_kind)
            .bind($e.actor_id)
            .bind(&$e.kind)
            .bind(&$e.data)
            .execute($conn)
    };
}
pub(crate) use insert;
