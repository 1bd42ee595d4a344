//! Issue 16, in process: two application instances on one PostgreSQL share their brakes and
//! signal their changes to each other; readiness answers part by part on both databases and
//! turns 503 when a node begins to shut down. (`crates/server/tests/cluster.rs` does the same
//! through nginx with real processes.)

use std::sync::Arc;
use std::time::Duration;

use lentera_app::FixedClock;

use crate::common::{START, servers, start_on};

#[tokio::test]
async fn readiness_names_each_part_and_turns_503_on_shutdown() {
    for s in servers().await {
        let (status, r) = s.get("/health/ready", None).await;
        assert_eq!(status, 200, "{}: {r}", s.name);
        assert_eq!(r["status"], "ready");
        for part in ["database", "storage", "index"] {
            assert_eq!(r[part]["ok"], true, "{}: {part} in {r}", s.name);
        }
        assert_eq!(r["index"]["lag"], 0, "{}: {r}", s.name);
        assert!(r["node"].as_str().is_some_and(|n| !n.is_empty()));
        // Liveness stays as the contract has it.
        let (status, h) = s.get("/health", None).await;
        assert_eq!((status, h["status"].as_str()), (200, Some("ok")));

        s.app.begin_shutdown();
        let (status, r) = s.get("/health/ready", None).await;
        assert_eq!(status, 503, "{}: {r}", s.name);
        assert_eq!(r["shutting_down"], true);
        assert_eq!(r["status"], "not_ready");
    }
}

#[tokio::test]
async fn two_instances_on_one_postgresql_share_brakes_and_signal_changes() {
    let Some(a) = servers().await.into_iter().find(|s| s.name == "postgres") else {
        return;
    };
    let b = start_on(
        "postgres-b",
        a.url.clone(),
        None,
        [3; 32],
        Arc::new(FixedClock::new(START)),
    )
    .await;
    a.app.start_signals();
    b.app.start_signals();
    // Let both listeners subscribe.
    tokio::time::sleep(Duration::from_millis(300)).await;

    // A submission through A moves B's live figures (its change signal) within 2 s.
    let mut changes = b.app.changes();
    changes.borrow_and_update();
    let (number, code) = a.submit("kab-a").await;
    tokio::time::timeout(Duration::from_secs(2), changes.changed())
        .await
        .expect("B heard of A's submission within 2 s")
        .expect("signal");
    // And B tracks it.
    let (status, _) = b
        .get(&format!("/requests/{number}?code={code}"), None)
        .await;
    assert_eq!(status, 200);

    // Twenty wrong codes through A and ten through B: the thirty-first guess is refused on
    // both, as one instance would refuse it.
    for i in 0..30 {
        let s = if i < 20 { &a } else { &b };
        let (status, _) = s
            .get(&format!("/requests/{number}?code=SALAH{i:04}"), None)
            .await;
        assert_eq!(status, 404, "guess {i}");
    }
    for s in [&a, &b] {
        let (status, _) = s
            .get(&format!("/requests/{number}?code={code}"), None)
            .await;
        assert_eq!(status, 429, "{}", s.name);
    }

    // Five wrong passwords for one officer through A lock the pair (e-mail, address) on B too.
    // Another client address (named by the trusted proxy's header), whose guess brake is fresh,
    // so that B's refusal can only be the shared lock-out.
    let sign_in = |s: &crate::common::TestServer, password: &str| {
        s.http
            .post(format!("{}/auth/token", s.base))
            .header("x-forwarded-for", "198.51.100.9")
            .json(&serde_json::json!({"email": "ppid@a.id", "password": password}))
            .send()
    };
    for _ in 0..5 {
        let r = sign_in(&a, "salah-sekali-ini").await.expect("send");
        assert_eq!(r.status().as_u16(), 401);
    }
    let r = sign_in(&b, crate::common::PASSWORD).await.expect("send");
    assert_eq!(r.status().as_u16(), 401);
    let e: serde_json::Value = r.json().await.expect("json");
    assert_eq!(
        e["error"]["code"], "auth.locked",
        "B must refuse the locked pair: {e}"
    );
    // From yet another address the officer signs in on B (the lock is per pair).
    let r = b
        .http
        .post(format!("{}/auth/token", b.base))
        .header("x-forwarded-for", "198.51.100.10")
        .json(&serde_json::json!({"email": "ppid@a.id", "password": crate::common::PASSWORD}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 200);
}
