//! Use-case tests on both back ends.

mod storage;

use std::collections::BTreeSet;
use std::sync::Arc;

use lentera_app::{App, AppConfig, Clock, FixedClock, Secret};
use lentera_store::testing;
use time::OffsetDateTime;

#[tokio::test]
async fn the_demo_seeds_a_year_in_every_state() {
    for (name, db) in testing::databases().await.expect("databases") {
        let clock = Arc::new(FixedClock::new(OffsetDateTime::now_utc()));
        let app = App::new(
            db,
            Secret::from_key([1; 32]),
            Arc::clone(&clock) as Arc<dyn Clock>,
            AppConfig::default(),
        )
        .expect("app");
        let summary = lentera_app::demo::seed(&app, &clock).await.expect("seed");
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
