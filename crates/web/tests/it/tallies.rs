//! The running tallies (kept by database triggers) against the reference: folding every
//! request's log. A generated history of submissions, extensions, decisions and withdrawals
//! over several months, on SQLite and PostgreSQL.

use lentera_app::testing::store::with_conn;
use serde_json::json;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use crate::common::servers;

/// One planned action: `(when, request index, what)`.
#[derive(Clone, Copy, Debug)]
enum Act {
    Submit,
    Extend,
    Decide(&'static str),
    Withdraw,
}

fn plan(n: usize) -> Vec<(OffsetDateTime, usize, Act)> {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let start = datetime!(2026-01-05 02:00 UTC);
    let mut acts = Vec::new();
    for i in 0..n {
        let r = next();
        let day = |d: u64| start + Duration::days(i64::try_from(d).unwrap_or(0));
        let t0 = r % 150;
        acts.push((day(t0), i, Act::Submit));
        let extend = (r >> 8) % 3 == 0;
        if extend {
            acts.push((day(t0 + 1 + (r >> 12) % 5), i, Act::Extend));
        }
        let fate_day = day(t0 + 7 + (r >> 16) % 30);
        match (r >> 24) % 6 {
            0 | 1 => acts.push((fate_day, i, Act::Decide("granted"))),
            2 => acts.push((fate_day, i, Act::Decide("not_held"))),
            3 => acts.push((fate_day, i, Act::Decide("not_documented"))),
            4 => acts.push((fate_day, i, Act::Withdraw)),
            _ => {}
        }
    }
    // Chronological (a request's own actions never share a day with its submission).
    acts.sort_by_key(|(at, i, _)| (*at, *i));
    acts
}

#[tokio::test]
async fn tallies_give_the_figures_of_folding_every_log() {
    for s in servers().await {
        let mut subs: Vec<Option<(String, String)>> = vec![None; 40];
        for (at, i, act) in plan(40) {
            s.clock.set(at);
            match act {
                Act::Submit => subs[i] = Some(s.submit("kab-a").await),
                Act::Extend | Act::Decide(_) | Act::Withdraw => {
                    let Some((number, code)) = subs[i].clone() else {
                        continue;
                    };
                    // Tokens expire with the clock: sign in on the day.
                    let token = s.token("ppid@a.id").await;
                    // Refusals (a due date passed, a request already ended) are part of life.
                    let (status, v) = match act {
                        Act::Extend => {
                            s.post(
                                &format!("/requests/{number}/extension"),
                                &json!({"reason": "Dihimpun dari unit"}),
                                Some(&token),
                            )
                            .await
                        }
                        Act::Decide(outcome) => {
                            s.post(
                                &format!("/requests/{number}/decision"),
                                &json!({"outcome": outcome, "note": "Terlampir"}),
                                Some(&token),
                            )
                            .await
                        }
                        _ => {
                            s.post(
                                &format!("/requests/{number}/withdraw?code={code}"),
                                &json!({}),
                                None,
                            )
                            .await
                        }
                    };
                    if status >= 500 {
                        panic!("{}: {act:?} {number}: {v}", s.name);
                    }
                    if std::env::var("TALLY_DEBUG").is_ok() {
                        eprintln!("{act:?} {number} {at} -> {status} {v}");
                    }
                }
            }
        }
        s.clock.set(datetime!(2026-11-20 03:00 UTC));
        let check = |label: &'static str| {
            let app = s.app.clone();
            let name = s.name;
            async move {
                for part in [None, Some("q1"), Some("q2"), Some("s1"), Some("q3")] {
                    let fast = app
                        .annual_report("kab-a", 2026, part)
                        .await
                        .expect("tallies");
                    let slow = app
                        .annual_report_by_fold("kab-a", 2026, part)
                        .await
                        .expect("fold");
                    assert_eq!(
                        fast.figures.requests, slow.figures.requests,
                        "{name} {label} {part:?}"
                    );
                    assert_eq!(
                        fast.figures.oldest_open_requests, slow.figures.oldest_open_requests,
                        "{name} {label} {part:?}"
                    );
                    assert!(fast.figures.requests.reconciles);
                }
            }
        };
        check("incremental").await;
        let r = s
            .app
            .annual_report("kab-a", 2026, None)
            .await
            .expect("report");
        assert!(r.figures.requests.received >= 30, "{}: {r:?}", s.name);
        assert!(
            r.figures.requests.decided >= 10 && r.figures.requests.withdrawn > 0,
            "{}: {r:?}",
            s.name
        );
        assert!(r.figures.requests.extended > 0);

        // An upgrade from projections without the tallied columns: everything is re-projected
        // at start-up and counted again.
        for sql in [
            "UPDATE requests SET projection_rev = 0, service_wd = NULL",
            "DELETE FROM request_report_tally",
            "DELETE FROM request_live_tally",
        ] {
            with_conn!(s.app.db.write(), |pool| sqlx::query(sql)
                .execute(pool)
                .await
                .map(|r| r.rows_affected()))
            .expect("reset");
        }
        let emptied = s
            .app
            .annual_report("kab-a", 2026, None)
            .await
            .expect("report");
        assert_eq!(emptied.figures.requests.received, 0, "{}", s.name);
        let n = s.app.reproject_stale().await.expect("reproject");
        assert!(n >= 30, "{}: {n}", s.name);
        check("rebuilt").await;

        // The command centre's year counters agree with the projection rows.
        let (received, decided, open): (i64, i64, i64) = with_conn!(s.app.db.read(), |pool| {
            sqlx::query_as(
                "SELECT COUNT(*), \
                 SUM(CASE WHEN decided_on IS NOT NULL THEN 1 ELSE 0 END), \
                 SUM(CASE WHEN status IN ('received', 'awaiting_completion', 'in_progress', 'extended') THEN 1 ELSE 0 END) \
                 FROM requests",
            )
            .fetch_one(pool)
            .await
        })
        .expect("count");
        let (status, f) = s.get("/dashboard?body=kab-a", None).await;
        assert_eq!(status, 200);
        assert_eq!(f["totals"]["received_year"], received, "{}: {f}", s.name);
        assert_eq!(f["totals"]["decided_year"], decided, "{}", s.name);
        assert_eq!(f["totals"]["open"], open, "{}", s.name);

        // Overdue (derived from the open tally less the requests not yet due) and due within
        // 3 working days agree with the projection rows on several days around the history.
        let body = s.app.body_by_slug("kab-a").await.expect("b").expect("b");
        let end = s.app.now();
        for back in [0, 3, 9, 20, 45] {
            s.clock.set(end - Duration::days(back));
            let today = s.app.today_in(body.time_zone());
            let soon = body.calendar.add_working_days(today, 3).unwrap_or(today);
            let (overdue, due_soon): (i64, i64) = with_conn!(s.app.db.read(), |pool| {
                sqlx::query_as(
                    "SELECT CAST(COALESCE(SUM(CASE WHEN due_on < $1 THEN 1 ELSE 0 END), 0) AS BIGINT), \
                     CAST(COALESCE(SUM(CASE WHEN due_on >= $1 AND due_on <= $2 THEN 1 ELSE 0 END), 0) AS BIGINT) \
                     FROM requests WHERE status IN ('received', 'awaiting_completion', 'in_progress', 'extended')",
                )
                .bind(today)
                .bind(soon)
                .fetch_one(pool)
                .await
            })
            .expect("count");
            let (status, f) = s.get("/dashboard?body=kab-a", None).await;
            assert_eq!(status, 200);
            assert_eq!(f["totals"]["overdue"], overdue, "{} {today}: {f}", s.name);
            assert_eq!(f["totals"]["due_soon"], due_soon, "{} {today}", s.name);
        }
        assert!(
            with_conn!(s.app.db.read(), |pool| sqlx::query_as::<_, (i64,)>(
                "SELECT COUNT(*) FROM requests WHERE status IN ('received', 'in_progress', 'extended')"
            )
            .fetch_one(pool)
            .await)
            .expect("open")
            .0
                > 0,
            "the history leaves some requests open"
        );
    }
}
