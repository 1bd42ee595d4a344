//! The three append-only logs share one row shape; one statement each and one macro bind a
//! [`crate::requests::NewEvent`] to them. The request and objection projections are rewritten
//! with each appended event by one guarded statement each, bound by one macro each.

pub(crate) const REQUEST: &str = "INSERT INTO request_events (id, request_id, seq, at, actor_kind, actor_id, kind, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
pub(crate) const OBJECTION: &str = "INSERT INTO objection_events (id, objection_id, seq, at, actor_kind, actor_id, kind, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
pub(crate) const DISPUTE: &str = "INSERT INTO dispute_events (id, dispute_id, seq, at, actor_kind, actor_id, kind, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

/// `insert!(SQL, parent_id, seq, event, executor)`: appends `event` as number `seq` of the log,
/// with the jobs of the letters and the messages it calls for, on the same connection (inside the caller's
/// transaction).
macro_rules! insert {
    ($sql:expr, $parent:expr, $seq:expr, $e:expr, $conn:expr) => {
        async {
            let conn = $conn;
            let (e, seq) = ($e, $seq);
            sqlx::query($sql)
                .bind(e.id)
                .bind($parent)
                .bind(seq)
                .bind(e.at)
                .bind(&e.actor_kind)
                .bind(e.actor_id)
                .bind(&e.kind)
                .bind(&e.data)
                .execute(&mut *conn)
                .await?;
            for l in &e.letters {
                sqlx::query(crate::letters::ENQUEUE)
                    .bind(l.id)
                    .bind(l.body_id)
                    .bind(&l.kind)
                    .bind(&l.case_kind)
                    .bind(l.case_id)
                    .bind(seq)
                    .bind(l.issued_on)
                    .bind(e.at)
                    .execute(&mut *conn)
                    .await?;
            }
            for m in &e.mails {
                sqlx::query(crate::mail::ENQUEUE)
                    .bind(m.id)
                    .bind(m.body_id)
                    .bind(&m.kind)
                    .bind(&m.case_kind)
                    .bind(m.case_id)
                    .bind(seq)
                    .bind(&m.lang)
                    .bind(e.at)
                    .execute(&mut *conn)
                    .await?;
            }
            Ok::<(), sqlx::Error>(())
        }
    };
}
pub(crate) use insert;

/// Rewrites a request's projection if its log still has `$2` events (and counts the new one).
pub(crate) const PROJECT_REQUEST: &str = "UPDATE requests SET unit_id = $3, status = $4, extended = $5, notice_due_on = $6, due_on = $7, \
     outcome = $8, decided_on = $9, state = $10, calendar_version = $11, event_count = event_count + 1, updated_at = $12, \
     obtain = $13, grounds = $14, ended_on = $15, extended_on = $16, service_wd = $17, on_time = $18, projection_rev = $19 \
     WHERE id = $1 AND event_count = $2";

/// The same for an objection.
pub(crate) const PROJECT_OBJECTION: &str = "UPDATE objections SET status = $3, answer_due_on = $4, outcome = $5, decided_on = $6, \
     state = $7, event_count = event_count + 1, updated_at = $8 WHERE id = $1 AND event_count = $2";

/// The same without a new event (derived figures after a calendar change).
pub(crate) const REPROJECT_REQUEST: &str = "UPDATE requests SET unit_id = $3, status = $4, extended = $5, notice_due_on = $6, due_on = $7, outcome = $8, decided_on = $9, \
     state = $10, calendar_version = $11, updated_at = $12, obtain = $13, grounds = $14, ended_on = $15, extended_on = $16, \
     service_wd = $17, on_time = $18, projection_rev = $19 WHERE id = $1 AND event_count = $2";

/// `project_request!(id, expected, projection, at, executor)`: rows affected (0 = stale writer).
/// `project_request!(SQL; …)` binds the same columns to another statement of that shape.
macro_rules! project_request {
    ($id:expr, $expected:expr, $p:expr, $at:expr, $conn:expr) => {
        crate::events::project_request!(crate::events::PROJECT_REQUEST; $id, $expected, $p, $at, $conn)
    };
    ($sql:expr; $id:expr, $expected:expr, $p:expr, $at:expr, $conn:expr) => {
        sqlx::query($sql)
            .bind($id)
            .bind($expected)
            .bind($p.unit_id)
            .bind(&$p.status)
            .bind($p.extended)
            .bind($p.notice_due_on)
            .bind($p.due_on)
            .bind(&$p.outcome)
            .bind($p.decided_on)
            .bind(&$p.state)
            .bind(&$p.calendar_version)
            .bind($at)
            .bind(&$p.obtain)
            .bind(&$p.grounds)
            .bind($p.ended_on)
            .bind($p.extended_on)
            .bind($p.service_wd)
            .bind($p.on_time)
            .bind(crate::requests::PROJECTION_REV)
            .execute($conn)
    };
}
pub(crate) use project_request;

/// `project_objection!(id, expected, projection, at, executor)`.
macro_rules! project_objection {
    ($id:expr, $expected:expr, $p:expr, $at:expr, $conn:expr) => {
        sqlx::query(crate::events::PROJECT_OBJECTION)
            .bind($id)
            .bind($expected)
            .bind(&$p.status)
            .bind($p.answer_due_on)
            .bind(&$p.outcome)
            .bind($p.decided_on)
            .bind(&$p.state)
            .bind($at)
            .execute($conn)
    };
}
pub(crate) use project_objection;
