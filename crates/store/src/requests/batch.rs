//! Group commit of new requests: a batch is stored in one transaction, normally in a handful of
//! multi-row statements, and request by request only when one of them must be refused.

use crate::db::BeginWrite;
use uuid::Uuid;

use super::{NewEvent, NewRequest, Numbering, PROJECTION_REV};
use crate::{Db, StoreError, with_conn};

/// Rows in one multi-row statement at most: at 30 columns a row, far below the bound parameters
/// SQLite (32,766) and PostgreSQL (65,535) accept.
const ROWS_PER_STATEMENT: usize = 256;

/// `0..n` cut into runs of 256, 128, …, 2, 1 rows (largest first). Each run length is one
/// statement text, so the connection's statement cache holds the nine texts of a table instead
/// of preparing a new statement for every batch size.
fn runs(n: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < n {
        let left = n - start;
        let len = if left >= ROWS_PER_STATEMENT {
            ROWS_PER_STATEMENT
        } else {
            1 << left.ilog2()
        };
        out.push(start..start + len);
        start += len;
    }
    out
}

/// One counter step for `n` requests of one scope and year: the last number taken.
const NEXT_MANY: &str = "INSERT INTO counters (scope, year, value) VALUES ($1, $2, $3) \
                         ON CONFLICT (scope, year) DO UPDATE SET value = counters.value + excluded.value RETURNING value";

/// The sequence numbers of `items`, in order, given the scopes' counters: requests of the same
/// scope and year take consecutive numbers in the order they arrived.
fn sequence_groups(items: &[(NewRequest, Numbering)]) -> Vec<((&str, i32), Vec<usize>)> {
    let mut groups: Vec<((&str, i32), Vec<usize>)> = Vec::new();
    for (i, (_, n)) in items.iter().enumerate() {
        let key = (n.scope.as_str(), n.pattern.year());
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(i),
            None => groups.push((key, vec![i])),
        }
    }
    groups
}

/// `insert_all!(tx, items)`: the whole batch — counters, applicants, requests, events — in a
/// few multi-row statements; the registration numbers in the order of `items`.
macro_rules! insert_all {
    ($c:ident, $items:ident) => {{
        async {
            let items = $items;
            let mut numbers = vec![String::new(); items.len()];
            for ((scope, year), idx) in sequence_groups(items) {
                let count = i64::try_from(idx.len()).unwrap_or(i64::MAX);
                let last: i64 = sqlx::query_scalar(NEXT_MANY)
                    .bind(scope)
                    .bind(i64::from(year))
                    .bind(count)
                    .fetch_one(&mut *$c)
                    .await?;
                for (seq, i) in (last - count + 1..).zip(idx) {
                    numbers[i] = items[i].1.pattern.format(seq);
                }
            }
            for run in runs(items.len()) {
                let chunk = &items[run];
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO applicants (id, kind, name, id_number_enc, id_number_last4, email, phone, address, occupation, created_at) ",
                );
                q.push_values(chunk, |mut b, (r, _)| {
                    let a = &r.applicant;
                    b.push_bind(a.id)
                        .push_bind(&a.kind)
                        .push_bind(&a.name)
                        .push_bind(&a.id_number_enc)
                        .push_bind(&a.id_number_last4)
                        .push_bind(&a.email)
                        .push_bind(&a.phone)
                        .push_bind(&a.address)
                        .push_bind(&a.occupation)
                        .push_bind(r.now);
                });
                q.build().execute(&mut *$c).await?;
            }
            for run in runs(items.len()) {
                let (chunk, numbers) = (&items[run.clone()], &numbers[run]);
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO requests (id, number, body_id, unit_id, applicant_id, tracking_hash, submission_key, channel, information, purpose, \
                     received_on, status, extended, notice_due_on, due_on, outcome, decided_on, state, event_count, calendar_version, created_at, updated_at, \
                     applicant_kind, obtain, grounds, ended_on, extended_on, service_wd, on_time, projection_rev) ",
                );
                q.push_values(chunk.iter().zip(numbers), |mut b, ((r, _), number)| {
                    let a = &r.applicant;
                    let p = &r.projection;
                    b.push_bind(r.id)
                        .push_bind(number)
                        .push_bind(r.body_id)
                        .push_bind(p.unit_id)
                        .push_bind(a.id)
                        .push_bind(&r.tracking_hash)
                        .push_bind(&r.submission_key)
                        .push_bind(&r.channel)
                        .push_bind(&r.information)
                        .push_bind(&r.purpose)
                        .push_bind(r.received_on)
                        .push_bind(&p.status)
                        .push_bind(p.extended)
                        .push_bind(p.notice_due_on)
                        .push_bind(p.due_on)
                        .push_bind(&p.outcome)
                        .push_bind(p.decided_on)
                        .push_bind(&p.state)
                        .push_bind(i64::try_from(r.events.len()).unwrap_or(i64::MAX))
                        .push_bind(&p.calendar_version)
                        .push_bind(r.now)
                        .push_bind(r.now)
                        .push_bind(&a.kind)
                        .push_bind(&p.obtain)
                        .push_bind(&p.grounds)
                        .push_bind(p.ended_on)
                        .push_bind(p.extended_on)
                        .push_bind(p.service_wd)
                        .push_bind(p.on_time)
                        .push_bind(PROJECTION_REV);
                });
                q.build().execute(&mut *$c).await?;
            }
            let events: Vec<(Uuid, i64, &NewEvent)> = items
                .iter()
                .flat_map(|(r, _)| (1_i64..).zip(&r.events).map(|(seq, e)| (r.id, seq, e)))
                .collect();
            for run in runs(events.len()) {
                let chunk = &events[run];
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO request_events (id, request_id, seq, at, actor_kind, actor_id, kind, data) ",
                );
                q.push_values(chunk, |mut b, (request, seq, e)| {
                    b.push_bind(e.id)
                        .push_bind(*request)
                        .push_bind(*seq)
                        .push_bind(e.at)
                        .push_bind(&e.actor_kind)
                        .push_bind(e.actor_id)
                        .push_bind(&e.kind)
                        .push_bind(&e.data);
                });
                q.build().execute(&mut *$c).await?;
            }
            let letters: Vec<(i64, &NewEvent, &crate::letters::LetterCall)> = events
                .iter()
                .flat_map(|(_, seq, e)| e.letters.iter().map(move |l| (*seq, *e, l)))
                .collect();
            for run in runs(letters.len()) {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO letter_jobs (id, body_id, kind, case_kind, case_id, event_seq, issued_on, attempts, next_at_ms, created_at) ",
                );
                q.push_values(&letters[run], |mut b, (seq, e, l)| {
                    b.push_bind(l.id)
                        .push_bind(l.body_id)
                        .push_bind(&l.kind)
                        .push_bind(&l.case_kind)
                        .push_bind(l.case_id)
                        .push_bind(*seq)
                        .push_bind(l.issued_on)
                        .push_bind(0_i64)
                        .push_bind(0_i64)
                        .push_bind(e.at);
                });
                q.build().execute(&mut *$c).await?;
            }
            let mails: Vec<(i64, &NewEvent, &crate::mail::MailCall)> = events
                .iter()
                .flat_map(|(_, seq, e)| e.mails.iter().map(move |m| (*seq, *e, m)))
                .collect();
            for run in runs(mails.len()) {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO mail_outbox (id, body_id, kind, case_kind, case_id, event_seq, lang, status, attempts, next_at_ms, created_at) ",
                );
                q.push_values(&mails[run], |mut b, (seq, e, m)| {
                    b.push_bind(m.id)
                        .push_bind(m.body_id)
                        .push_bind(&m.kind)
                        .push_bind(&m.case_kind)
                        .push_bind(m.case_id)
                        .push_bind(*seq)
                        .push_bind(&m.lang)
                        .push_bind("pending")
                        .push_bind(0_i64)
                        .push_bind(0_i64)
                        .push_bind(e.at);
                });
                q.build().execute(&mut *$c).await?;
            }
            Ok::<_, sqlx::Error>(numbers)
        }
    }};
}

/// Stores several new requests in one transaction (group commit: one disk sync for the whole
/// batch). One failing request (a repeated submission key) leaves the others stored: the batch
/// is then written again request by request, each isolated by a savepoint. The outer error is
/// for the batch as a whole.
pub async fn create_batch(
    db: &Db,
    items: &[(NewRequest, Numbering)],
) -> Result<Vec<Result<String, StoreError>>, StoreError> {
    let outcome: Result<Vec<Result<String, sqlx::Error>>, sqlx::Error> =
        with_conn!(db.write(), |pool| {
            async {
                // First the whole batch in a handful of set-based statements: each statement is
                // a round trip to SQLite's worker thread, and the single writer's time per batch
                // is what a submission waits for.
                let mut tx = pool.begin_write().await?;
                match insert_all!(tx, items).await {
                    Ok(numbers) => {
                        tx.commit().await?;
                        return Ok(numbers.into_iter().map(Ok).collect());
                    }
                    // A repeated submission key: undone whole (no number is spent), and written
                    // again one by one below, so that only the repeated one is refused.
                    Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
                        tx.rollback().await?;
                    }
                    Err(e) => return Err(e),
                }
                let mut tx = pool.begin_write().await?;
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    let one = std::slice::from_ref(item);
                    let mut sp = sqlx::Connection::begin(&mut *tx).await?;
                    match insert_all!(sp, one).await {
                        Ok(mut n) => {
                            sp.commit().await?;
                            out.push(Ok(n.pop().unwrap_or_default()));
                        }
                        // Only the refusal of a repeated submission key is this request's own;
                        // any other failure (fresh ids and counters cannot collide) fails the
                        // batch.
                        Err(sqlx::Error::Database(d))
                            if d.is_unique_violation() && item.0.submission_key.is_some() =>
                        {
                            sp.rollback().await?;
                            out.push(Err(sqlx::Error::Database(d)));
                        }
                        Err(e) => return Err(e),
                    }
                }
                tx.commit().await?;
                Ok(out)
            }
            .await
        });
    Ok(outcome?
        .into_iter()
        .map(|r| r.map_err(StoreError::from))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::{ROWS_PER_STATEMENT, runs};

    #[test]
    fn runs_cover_every_row_once_in_few_lengths() {
        for n in 0..2_000 {
            let r = runs(n);
            assert_eq!(r.iter().map(|x| x.len()).sum::<usize>(), n);
            assert!(r.windows(2).all(|w| w[0].end == w[1].start));
            assert!(
                r.iter()
                    .all(|x| x.len().is_power_of_two() && x.len() <= ROWS_PER_STATEMENT)
            );
            assert!(r.len() <= n / ROWS_PER_STATEMENT + 9);
        }
    }
}
