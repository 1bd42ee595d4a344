//! The JSON API v1 calendar: every skipped day explained, and a closure that moves the
//! deadlines of open requests.

use time::macros::datetime;

use crate::common::{self, servers};

#[tokio::test]
async fn calendar_endpoint_explains_every_skipped_day() {
    for s in servers().await {
        let (status, v) = s
            .get("/calendar/working-days?from=2024-02-05&days=10", None)
            .await;
        assert_eq!(status, 200);
        assert_eq!(v["due"], "2024-02-22");
        assert_eq!(v["from"], "2024-02-05");
        assert_eq!(v["days"], 10);
        let reasons: Vec<(&str, &str)> = v["skipped"]
            .as_array()
            .expect("skipped")
            .iter()
            .map(|d| {
                (
                    d["date"].as_str().unwrap_or(""),
                    d["reason"].as_str().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            reasons[..3],
            [
                ("2024-02-08", "national_holiday"),
                ("2024-02-09", "collective_leave"),
                ("2024-02-10", "national_holiday")
            ]
        );
        let (status, err) = s
            .get("/calendar/working-days?from=2026-12-20&days=10", None)
            .await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (422, Some("calendar.incomplete"))
        );
        let (status, err) = s
            .get("/calendar/working-days?from=2024-13-01&days=x", None)
            .await;
        assert_eq!(status, 422);
        assert!(
            err["error"]["fields"]["from"].is_array() && err["error"]["fields"]["days"].is_array()
        );
        assert_eq!(
            s.get(
                "/calendar/working-days?from=2024-02-05&days=10&body=nope",
                None
            )
            .await
            .0,
            404
        );

        // A body's closure and its cuti-bersama switch change its own calendar only.
        s.clock.set(datetime!(2025-01-20 03:00 UTC));
        s.app
            .add_closure(
                "kab-a",
                time::macros::date!(2025 - 01 - 23),
                "Hari jadi",
                None,
            )
            .await
            .expect("closure");
        s.clock.set(common::START);
        let (_, v) = s
            .get(
                "/calendar/working-days?from=2025-01-22&days=10&body=kab-a",
                None,
            )
            .await;
        assert_eq!(v["due"], "2025-02-11", "{}", s.name);
        assert!(
            v["skipped"]
                .as_array()
                .expect("list")
                .iter()
                .any(|d| d["reason"] == "closure")
        );
        let (_, v) = s
            .get(
                "/calendar/working-days?from=2025-01-22&days=10&body=kab-b",
                None,
            )
            .await;
        assert_eq!(v["due"], "2025-02-10");
        s.app
            .set_collective_leave_working("kab-b", true, "strict")
            .await
            .expect("switch");
        let (_, v) = s
            .get(
                "/calendar/working-days?from=2025-01-22&days=10&body=kab-b",
                None,
            )
            .await;
        assert_eq!(v["due"], "2025-02-07", "{}", s.name);
    }
}

#[tokio::test]
async fn a_closure_moves_the_deadline_of_open_requests() {
    for s in servers().await {
        let (number, code) = s.submit("kab-a").await;
        s.app
            .add_closure(
                "kab-a",
                time::macros::date!(2026 - 02 - 05),
                "Banjir: kantor tutup",
                None,
            )
            .await
            .expect("closure");
        let (_, v) = s
            .get(&format!("/requests/{number}?code={code}"), None)
            .await;
        assert_eq!(v["due_on"], "2026-02-19", "{}", s.name);
        let token = s.token("ppid@a.id").await;
        let (_, cases) = s.get("/cases", Some(&token)).await;
        assert_eq!(
            cases[0]["due_on"], "2026-02-19",
            "the queue's projection follows the calendar"
        );
    }
}
