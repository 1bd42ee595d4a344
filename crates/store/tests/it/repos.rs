use lentera_store::requests::{
    self, CaseFilter, NewApplicant, NewEvent, NewRequest, Numbering, Projection,
};
use lentera_store::{StoreError, bodies, testing, users};
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// A regency row with code `slug` in capitals (shared with the letter tests).
pub(crate) fn body(slug: &str) -> bodies::BodyRow {
    bodies::BodyRow {
        id: Uuid::now_v7(),
        slug: slug.into(),
        name: format!("Pemerintah {slug}"),
        kind: "regency".into(),
        parent_id: None,
        code: slug.to_uppercase(),
        time_zone: "wib".into(),
        collective_leave_is_working: false,
        clock_mode: "strict".into(),
        calendar_rev: 0,
        created_at: datetime!(2026-01-05 01:00 UTC),
        address: String::new(),
        email: String::new(),
        phone: String::new(),
        service_hours: String::new(),
        charter: String::new(),
    }
}

pub(crate) fn projection(status: &str, due: Option<Date>) -> Projection {
    Projection {
        unit_id: None,
        status: status.into(),
        extended: false,
        notice_due_on: due,
        due_on: due,
        outcome: None,
        decided_on: None,
        state: "{}".into(),
        calendar_version: "test".into(),
        obtain: "view".into(),
        grounds: None,
        ended_on: None,
        extended_on: None,
        service_wd: None,
        on_time: None,
    }
}

pub(crate) fn event(kind: &str) -> NewEvent {
    NewEvent {
        id: Uuid::now_v7(),
        at: datetime!(2026-01-05 02:00 UTC),
        actor_kind: "applicant".into(),
        actor_id: None,
        kind: kind.into(),
        data: format!("{{\"kind\":\"{kind}\"}}"),
        letters: Vec::new(),
        mails: Vec::new(),
    }
}

pub(crate) fn new_request(body_id: Uuid, due: Option<Date>, key: Option<&str>) -> NewRequest {
    NewRequest {
        id: Uuid::now_v7(),
        body_id,
        applicant: NewApplicant {
            id: Uuid::now_v7(),
            kind: "individual".into(),
            name: "Siti".into(),
            id_number_enc: vec![1, 2, 3],
            id_number_last4: "0001".into(),
            email: Some("s@example.id".into()),
            phone: None,
            address: "Jl. A".into(),
            occupation: "Guru".into(),
        },
        tracking_hash: "h".into(),
        submission_key: key.map(str::to_owned),
        channel: "web".into(),
        information: "DPA 2025".into(),
        purpose: "riset".into(),
        received_on: date!(2026 - 01 - 05),
        projection: projection("received", due),
        events: vec![event("received")],
        now: datetime!(2026-01-05 02:00 UTC),
    }
}

pub(crate) fn numbering(scope: &str) -> Numbering {
    Numbering {
        scope: scope.into(),
        pattern: lentera_domain::numbering::NumberPattern::Request {
            code: "T".into(),
            month: 1,
            year: 2026,
        },
    }
}

#[tokio::test]
async fn requests_get_sequential_numbers_and_an_event_log() {
    for (name, db) in testing::databases().await.expect("databases") {
        let b = body("kab-a");
        bodies::insert(&db, &b).await.expect("body");
        let n1 = requests::create(
            &db,
            &new_request(b.id, Some(date!(2026 - 01 - 19)), None),
            &numbering("kab-a"),
        )
        .await
        .expect("create");
        let n2 = requests::create(
            &db,
            &new_request(b.id, Some(date!(2026 - 01 - 16)), None),
            &numbering("kab-a"),
        )
        .await
        .expect("create");
        assert_eq!(
            (n1.as_str(), n2.as_str()),
            ("0001-PPID-T-01-2026", "0002-PPID-T-01-2026"),
            "{name}"
        );
        let row = requests::get_by_number(&db, &n1).await.expect("get");
        assert_eq!(row.received_on, date!(2026 - 01 - 05), "{name}");
        assert_eq!(row.event_count, 1);
        // Queue order: soonest due first.
        let cases = requests::list_cases(
            &db,
            &CaseFilter {
                bodies: Some(vec![b.id]),
                limit: 10,
                ..CaseFilter::default()
            },
        )
        .await
        .expect("cases");
        assert_eq!(
            cases.iter().map(|c| c.number.as_str()).collect::<Vec<_>>(),
            vec!["0002-PPID-T-01-2026", "0001-PPID-T-01-2026"],
            "{name}"
        );
        let filtered = requests::list_cases(
            &db,
            &CaseFilter {
                statuses: Some(vec!["decided".into()]),
                limit: 10,
                ..CaseFilter::default()
            },
        )
        .await
        .expect("cases");
        assert!(filtered.is_empty());
    }
}

#[tokio::test]
async fn appending_checks_the_expected_count() {
    for (name, db) in testing::databases().await.expect("databases") {
        let b = body("kab-b");
        bodies::insert(&db, &b).await.expect("body");
        let r = new_request(b.id, Some(date!(2026 - 01 - 19)), None);
        let number = requests::create(&db, &r, &numbering("kab-b"))
            .await
            .expect("create");
        requests::append_event(
            &db,
            r.id,
            1,
            &event("verified"),
            &projection("in_progress", Some(date!(2026 - 01 - 19))),
        )
        .await
        .expect("append");
        // A writer that read the old count loses and nothing is stored.
        let stale = requests::append_event(
            &db,
            r.id,
            1,
            &event("verified"),
            &projection("decided", None),
        )
        .await;
        assert!(
            matches!(stale, Err(StoreError::Conflict(_))),
            "{name}: {stale:?}"
        );
        let row = requests::get_by_number(&db, &number).await.expect("get");
        assert_eq!(
            (row.status.as_str(), row.event_count),
            ("in_progress", 2),
            "{name}"
        );
        let events = requests::events(&db, r.id).await.expect("events");
        assert_eq!(events.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![1, 2]);
    }
}

#[tokio::test]
async fn the_event_log_refuses_updates_and_deletes() {
    for (name, db) in testing::databases().await.expect("databases") {
        let b = body("kab-c");
        bodies::insert(&db, &b).await.expect("body");
        let r = new_request(b.id, None, None);
        requests::create(&db, &r, &numbering("kab-c"))
            .await
            .expect("create");
        let res: Result<(), sqlx::Error> = lentera_store::with_conn!(db.write(), |pool| {
            sqlx::query("UPDATE request_events SET kind = 'forged'")
                .execute(pool)
                .await
                .map(|_| ())
        });
        assert!(res.is_err(), "{name}: update allowed");
        let res: Result<(), sqlx::Error> = lentera_store::with_conn!(db.write(), |pool| {
            sqlx::query("DELETE FROM request_events")
                .execute(pool)
                .await
                .map(|_| ())
        });
        assert!(res.is_err(), "{name}: delete allowed");
    }
}

#[tokio::test]
async fn a_repeated_submission_key_stores_one_request() {
    for (name, db) in testing::databases().await.expect("databases") {
        let b = body("kab-d");
        bodies::insert(&db, &b).await.expect("body");
        let first = requests::create(
            &db,
            &new_request(b.id, None, Some("k1")),
            &numbering("kab-d"),
        )
        .await
        .expect("create");
        let again = requests::create(
            &db,
            &new_request(b.id, None, Some("k1")),
            &numbering("kab-d"),
        )
        .await;
        // The store refuses the second; the app answers it with the first one's number.
        assert!(
            matches!(again, Err(StoreError::Conflict(_))),
            "{name}: {again:?}"
        );
        assert_eq!(
            requests::number_for_key(&db, "k1").await.expect("key"),
            Some(first)
        );
        assert_eq!(requests::count(&db).await.expect("count"), 1, "{name}");
    }
}

#[tokio::test]
async fn a_failed_submission_leaves_nothing_behind() {
    for (name, db) in testing::databases().await.expect("databases") {
        let b = body("kab-e");
        bodies::insert(&db, &b).await.expect("body");
        let ok = new_request(b.id, None, None);
        requests::create(&db, &ok, &numbering("kab-e"))
            .await
            .expect("create");
        // Same request id again: the request insert fails after the counter and the applicant.
        let mut dup = new_request(b.id, None, None);
        dup.id = ok.id;
        assert!(
            requests::create(&db, &dup, &numbering("kab-e"))
                .await
                .is_err(),
            "{name}"
        );
        assert_eq!(requests::count(&db).await.expect("count"), 1);
        let applicants: i64 = lentera_store::with_conn!(db.read(), |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM applicants"
        )
        .fetch_one(pool)
        .await)
        .expect("count");
        assert_eq!(applicants, 1, "{name}: orphan applicant");
        // The counter did not advance either: the next number is 2.
        let n = requests::create(&db, &new_request(b.id, None, None), &numbering("kab-e"))
            .await
            .expect("create");
        assert_eq!(n, "0002-PPID-T-01-2026", "{name}");
    }
}

#[tokio::test]
async fn users_tokens_and_lockout() {
    for (name, db) in testing::databases().await.expect("databases") {
        let b = body("kab-f");
        bodies::insert(&db, &b).await.expect("body");
        let u = users::UserRow {
            id: Uuid::now_v7(),
            email: "ppid@kab-f.go.id".into(),
            display_name: "PPID".into(),
            password_hash: "x".into(),
            role: "ppid".into(),
            body_id: b.id,
            active: true,
            failed_logins: 0,
            locked_until: None,
            created_at: datetime!(2026-01-05 01:00 UTC),
        };
        users::insert(&db, &u).await.expect("user");
        assert!(
            matches!(users::insert(&db, &u).await, Err(StoreError::Conflict(_))),
            "{name}"
        );
        let now: OffsetDateTime = datetime!(2026-01-05 03:00 UTC);
        users::insert_token(&db, "th", u.id, now, datetime!(2026-01-05 15:00 UTC))
            .await
            .expect("token");
        assert_eq!(
            users::user_by_token(&db, "th", now)
                .await
                .expect("valid")
                .id,
            u.id
        );
        assert!(
            matches!(
                users::user_by_token(&db, "th", datetime!(2026-01-06 00:00 UTC)).await,
                Err(StoreError::NotFound)
            ),
            "{name}"
        );
        for _ in 0..3 {
            users::record_failed_login(&db, u.id, 3, datetime!(2026-01-05 03:15 UTC))
                .await
                .expect("fail");
        }
        let locked = users::get(&db, u.id).await.expect("get");
        assert_eq!(locked.failed_logins, 3);
        assert_eq!(
            locked.locked_until,
            Some(datetime!(2026-01-05 03:15 UTC)),
            "{name}"
        );
    }
}

#[tokio::test]
async fn closures_bump_the_calendar_revision() {
    for (name, db) in testing::databases().await.expect("databases") {
        let b = body("kab-g");
        bodies::insert(&db, &b).await.expect("body");
        bodies::add_closure(
            &db,
            b.id,
            date!(2026 - 02 - 02),
            "Hari jadi",
            datetime!(2026-01-05 01:00 UTC),
        )
        .await
        .expect("closure");
        let c = bodies::closures(&db, b.id).await.expect("list");
        assert_eq!(c.len(), 1);
        assert_eq!(
            bodies::get(&db, b.id).await.expect("get").calendar_rev,
            1,
            "{name}"
        );
        bodies::remove_closure(&db, b.id, date!(2026 - 02 - 02))
            .await
            .expect("remove");
        assert!(bodies::closures(&db, b.id).await.expect("list").is_empty());
    }
}

#[tokio::test]
async fn a_batch_stores_each_request_or_none_of_it() {
    for (name, db) in testing::databases().await.expect("databases") {
        let b = body("kab-h");
        bodies::insert(&db, &b).await.expect("body");
        let first = new_request(b.id, None, Some("same"));
        let mut dup_id = new_request(b.id, None, Some("other-key"));
        dup_id.id = first.id;
        let items = vec![
            (first, numbering("kab-h")),
            (dup_id, numbering("kab-h")),
            (new_request(b.id, None, Some("same")), numbering("kab-h")),
            (new_request(b.id, None, None), numbering("kab-h")),
        ];
        let results = requests::create_batch(&db, &items).await.expect("batch");
        let shape: Vec<Result<&str, bool>> = results
            .iter()
            .map(|r| {
                r.as_ref()
                    .map(String::as_str)
                    .map_err(|e| matches!(e, StoreError::Conflict(_)))
            })
            .collect();
        // The failed ones roll back to their savepoint, numbers and all.
        assert_eq!(
            shape,
            vec![
                Ok("0001-PPID-T-01-2026"),
                Err(true),
                Err(true),
                Ok("0002-PPID-T-01-2026")
            ],
            "{name}"
        );
        assert_eq!(requests::count(&db).await.expect("count"), 2);
        let applicants: i64 = lentera_store::with_conn!(db.read(), |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM applicants"
        )
        .fetch_one(pool)
        .await)
        .expect("count");
        assert_eq!(applicants, 2, "{name}");
        // Without a key a request is not isolated: its failure fails the whole batch.
        let fresh = new_request(b.id, None, None);
        let mut keyless_dup = new_request(b.id, None, None);
        keyless_dup.id = fresh.id;
        let all = requests::create_batch(
            &db,
            &[
                (fresh, numbering("kab-h")),
                (keyless_dup, numbering("kab-h")),
            ],
        )
        .await;
        assert!(all.is_err(), "{name}");
        assert_eq!(
            requests::count(&db).await.expect("count"),
            2,
            "{name}: a failed batch left rows"
        );
    }
}

#[tokio::test]
async fn a_large_batch_takes_numbers_in_arrival_order_across_statements() {
    for (name, db) in testing::databases().await.expect("databases") {
        let (a, b) = (body("kab-p"), body("kab-q"));
        bodies::insert(&db, &a).await.expect("body");
        bodies::insert(&db, &b).await.expect("body");
        // More rows than one multi-row statement carries, two scopes interleaved, two events
        // for some, a year apart for others.
        let mut items = Vec::new();
        for i in 0..600_usize {
            let (body_id, scope) = if i % 3 == 0 { (b.id, "q") } else { (a.id, "p") };
            let key = format!("key-{i}");
            let mut r = new_request(body_id, None, (i % 5 == 0).then_some(key.as_str()));
            if i % 4 == 0 {
                r.events.push(event("routed"));
            }
            items.push((r, scoped(scope, if i % 7 == 0 { 2027 } else { 2026 })));
        }
        let results = requests::create_batch(&db, &items).await.expect("batch");
        let mut next: std::collections::HashMap<(String, i32), i64> = Default::default();
        for ((_, n), got) in items.iter().zip(&results) {
            let seq = next.entry((n.scope.clone(), n.pattern.year())).or_insert(0);
            *seq += 1;
            assert_eq!(
                got.as_deref().ok(),
                Some(n.pattern.format(*seq).as_str()),
                "{name}"
            );
        }
        assert_eq!(requests::count(&db).await.expect("count"), 600, "{name}");
        let events: i64 = lentera_store::with_conn!(db.read(), |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM request_events"
        )
        .fetch_one(pool)
        .await)
        .expect("count");
        assert_eq!(events, 600 + 150, "{name}");
        // The tally triggers ran for every row of the multi-row statements.
        let received: i64 = lentera_store::with_conn!(db.read(), |pool| sqlx::query_scalar(
            "SELECT CAST(SUM(n) AS BIGINT) FROM request_live_tally WHERE metric = 'received'"
        )
        .fetch_one(pool)
        .await)
        .expect("sum");
        assert_eq!(received, 600, "{name}");
        // A later single request continues each counter.
        let after = requests::create(&db, &new_request(a.id, None, None), &scoped("p", 2026))
            .await
            .expect("create");
        let p_2026 = items
            .iter()
            .filter(|(_, n)| n.scope == "p" && n.pattern.year() == 2026)
            .count();
        assert_eq!(
            after,
            scoped("p", 2026).pattern.format(p_2026 as i64 + 1),
            "{name}"
        );
    }
}

/// Numbering of scope `scope` (also its code) in `year`.
fn scoped(scope: &str, year: i32) -> Numbering {
    Numbering {
        scope: scope.into(),
        pattern: lentera_domain::numbering::NumberPattern::Request {
            code: scope.to_uppercase(),
            month: 1,
            year,
        },
    }
}
