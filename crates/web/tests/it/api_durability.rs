//! What the API acknowledged is kept: across a restart, under concurrent submissions, and in
//! the annual report computed from the logs.

use serde_json::{Value, json};

use crate::common::{self, servers, submission};

#[tokio::test]
async fn a_restart_loses_nothing_that_was_acknowledged() {
    let (url, dir) = lentera_app::testing::store::testing::sqlite_url();
    let clock = std::sync::Arc::new(lentera_app::FixedClock::new(common::START));
    let s = common::start_on("sqlite", url, Some(dir), [9; 32], clock).await;
    common::seed(&s.app).await;
    let (number, code) = s.submit("kab-a").await;
    let token = s.token("ppid@a.id").await;
    assert_eq!(
        s.post(
            &format!("/requests/{number}/extension"),
            &json!({"reason": "x"}),
            Some(&token)
        )
        .await
        .0,
        200
    );
    let (url, dir, clock) = s.stop().await;
    let s = common::start_on("sqlite", url, dir, [9; 32], clock).await;
    let (status, v) = s
        .get(&format!("/requests/{number}?code={code}"), None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(v["extended"], true);
    // The token survived too (it is stored, hashed).
    assert_eq!(s.get("/cases", Some(&token)).await.0, 200);
}

#[tokio::test]
async fn concurrent_submissions_get_distinct_numbers_and_are_all_stored() {
    for s in servers().await {
        let mut tasks = Vec::new();
        for _ in 0..40 {
            let http = s.http.clone();
            let url = format!("{}/requests", s.base);
            tasks.push(tokio::spawn(async move {
                let r = http
                    .post(url)
                    .json(&submission("kab-a"))
                    .send()
                    .await
                    .expect("send");
                assert_eq!(r.status().as_u16(), 201);
                r.json::<Value>().await.expect("json")["number"]
                    .as_str()
                    .expect("number")
                    .to_owned()
            }));
        }
        let mut numbers = std::collections::BTreeSet::new();
        for t in tasks {
            numbers.insert(t.await.expect("task"));
        }
        assert_eq!(numbers.len(), 40, "{}", s.name);
        assert!(
            numbers.contains("0001-PPID-KAB-A-02-2026")
                && numbers.contains("0040-PPID-KAB-A-02-2026")
        );
        assert_eq!(s.count_requests().await, 40);
    }
}

#[tokio::test]
async fn the_annual_report_is_computed_from_the_logs_and_reconciles() {
    for s in servers().await {
        let (a, _) = s.submit("kab-a").await;
        let (_, _) = s.submit("kab-a").await;
        let (c, code_c) = s.submit("kab-a").await;
        let (_, _) = s.submit("kab-b").await;
        let token = s.token("ppid@a.id").await;
        let test = s
            .decided_test(&token, &["17a", "17h"], "188/1/PPID/2026")
            .await;
        let refusal = json!({"outcome": "rejected_exempt", "grounds": ["17h", "17a"], "note": "x", "consequence_test": test});
        assert_eq!(
            s.post(&format!("/requests/{a}/decision"), &refusal, Some(&token))
                .await
                .0,
            200
        );
        assert_eq!(
            s.post(
                &format!("/requests/{c}/withdraw?code={code_c}"),
                &json!({}),
                None
            )
            .await
            .0,
            200
        );
        let (status, r) = s.get("/reports/annual?body=kab-a&year=2026", None).await;
        assert_eq!(status, 200, "{}: {r}", s.name);
        let q = &r["requests"];
        assert_eq!(
            (
                q["received"].as_u64(),
                q["decided"].as_u64(),
                q["withdrawn"].as_u64(),
                q["open_at_end"].as_u64()
            ),
            (Some(3), Some(1), Some(1), Some(1))
        );
        assert_eq!(q["reconciles"], true);
        assert_eq!(q["refused"]["exempt_by_ground"]["17h"], 1);
        assert_eq!(q["by_month"]["2"], 3);
        assert_eq!(q["service_time"]["on_time_percent"], 100.0);
        assert_eq!(r["oldest_open_requests"].as_array().map(Vec::len), Some(1));
        // The 2025 report of the same body is empty; the first quarter of 2026 has all three.
        let (_, empty) = s.get("/reports/annual?body=kab-a&year=2025", None).await;
        assert_eq!(empty["requests"]["received"], 0);
        let (_, q1) = s
            .get("/reports/annual?body=kab-a&year=2026&period=q1", None)
            .await;
        assert_eq!(q1["requests"]["received"], 3);
        assert_eq!(s.get("/reports/annual?body=kab-a", None).await.0, 422);
        assert_eq!(
            s.get("/reports/annual?body=nope&year=2026", None).await.0,
            404
        );
    }
}
