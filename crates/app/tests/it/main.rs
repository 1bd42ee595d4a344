//! Use-case tests on both back ends.

mod public_cache;
mod storage;
mod storage_s3;
mod storage_upload;

use std::collections::BTreeSet;
use std::sync::Arc;

use lentera_app::{App, AppConfig, Clock, FixedClock, Secret};
use lentera_store::testing;
use time::OffsetDateTime;

async fn seeded_demo(db: lentera_store::Db, today: OffsetDateTime) -> (App, String) {
    let clock = Arc::new(FixedClock::new(today));
    let app = App::new(
        db,
        Secret::from_key([1; 32]),
        Arc::clone(&clock) as Arc<dyn Clock>,
        AppConfig::default(),
    )
    .expect("app");
    let summary = lentera_app::demo::seed(&app, &clock).await.expect("seed");
    (app, summary)
}

/// The demo's queues show an extended case in every body whatever the weekday it starts on: the
/// smoke test asks for one on the real date (it once found none on a Wednesday in December).
#[tokio::test]
async fn every_demo_body_has_an_extended_case_whatever_the_day() {
    let mut day = time::macros::datetime!(2026-12-02 03:00 UTC);
    for _ in 0..7 {
        let (url, _) = testing::sqlite_url();
        let db = lentera_store::Db::connect(&url, &lentera_store::DbOptions::default())
            .await
            .expect("db");
        db.migrate().await.expect("migrate");
        let (app, _) = seeded_demo(db, day).await;
        let bodies: BTreeSet<String> = lentera_store::with_conn!(app.db.read(), |pool| {
            sqlx::query_scalar::<_, String>(
                "SELECT DISTINCT b.slug FROM requests r JOIN bodies b ON b.id = r.body_id \
                 WHERE r.status = 'extended'",
            )
            .fetch_all(pool)
            .await
        })
        .expect("extended")
        .into_iter()
        .collect();
        for slug in ["jateng", "kab-banyumas", "kab-kendal"] {
            assert!(bodies.contains(slug), "{day}: {slug} has no extended case");
        }
        day += time::Duration::days(1);
    }
}

#[tokio::test]
async fn the_demo_seeds_a_year_in_every_state() {
    for (name, db) in testing::databases().await.expect("databases") {
        // A pinned day (tests never depend on the real date; the smoke test runs on it).
        let (app, summary) = seeded_demo(db, time::macros::datetime!(2026-06-10 03:00 UTC)).await;
        assert!(summary.contains("ppid@jateng.demo"), "{summary}");
        let statuses: BTreeSet<String> = lentera_store::with_conn!(app.db.read(), |pool| {
            sqlx::query_scalar::<_, String>("SELECT DISTINCT status FROM requests")
                .fetch_all(pool)
                .await
        })
        .expect("statuses")
        .into_iter()
        .collect();
        for s in [
            "in_progress",
            "extended",
            "decided",
            "awaiting_payment",
            "delivered",
            "closed",
            "withdrawn",
            "not_processable",
        ] {
            assert!(
                statuses.contains(s),
                "{name}: no demo request is {s}: {statuses:?}"
            );
        }
        let total = lentera_store::requests::count(&app.db)
            .await
            .expect("count");
        assert_eq!(total, 450, "{name}");
        // Every projection is the fold of its log: re-deriving the open requests changes nothing.
        let snapshot = || async {
            lentera_store::with_conn!(app.db.read(), |pool| {
                sqlx::query_as::<_, (String, String, Option<time::Date>, bool)>(
                    "SELECT number, status, due_on, extended FROM requests ORDER BY number",
                )
                .fetch_all(pool)
                .await
            })
            .expect("snapshot")
        };
        let before = snapshot().await;
        for slug in ["jateng", "kab-banyumas", "kab-kendal"] {
            app.set_collective_leave_working(slug, false, "strict")
                .await
                .expect("re-derive");
        }
        assert_eq!(before, snapshot().await, "{name}");
        // Counting cuti bersama as working days moves open deadlines earlier or keeps them.
        app.set_collective_leave_working("kab-kendal", true, "strict")
            .await
            .expect("switch");
        let after = snapshot().await;
        assert!(before.iter().zip(&after).all(|(b, a)| a.2 <= b.2), "{name}");
    }
}
