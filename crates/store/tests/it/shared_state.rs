//! Issue 16: the state every node shares (brakes, leases, change signals) behaves the same on
//! both databases, and two handles on one PostgreSQL see each other's counts and signals.

use lentera_store::brakes::{self, Window};
use lentera_store::signals::{Heard, Listener};
use lentera_store::{Db, DbOptions, leases, testing};

const MIN: i64 = 60_000;

#[tokio::test]
async fn a_brake_counts_in_its_window_and_starts_again_after_it() {
    for (name, db) in testing::databases().await.expect("databases") {
        let t0 = 1_800_000_000_000;
        for i in 1..=3 {
            let n = brakes::hit(&db, "guess", "10.0.0.1", 10 * MIN, Window::Fixed, t0 + i)
                .await
                .expect("hit");
            assert_eq!(n, i, "{name}");
        }
        assert_eq!(
            brakes::hits(&db, "guess", "10.0.0.1", 10 * MIN, t0 + 5)
                .await
                .expect("hits"),
            3,
            "{name}"
        );
        // Another key and another scope are counted apart.
        assert_eq!(
            brakes::hits(&db, "guess", "10.0.0.2", 10 * MIN, t0)
                .await
                .expect("hits"),
            0
        );
        assert_eq!(
            brakes::hits(&db, "login", "10.0.0.1", 10 * MIN, t0)
                .await
                .expect("hits"),
            0
        );
        // A fixed window ends ten minutes after its first hit, whatever came later.
        let later = t0 + 10 * MIN + 1;
        assert_eq!(
            brakes::hits(&db, "guess", "10.0.0.1", 10 * MIN, later)
                .await
                .expect("hits"),
            0,
            "{name}"
        );
        assert_eq!(
            brakes::hit(&db, "guess", "10.0.0.1", 10 * MIN, Window::Fixed, later)
                .await
                .expect("hit"),
            1,
            "{name}"
        );
        // A sliding window lasts its length after the last hit.
        for i in 0..3 {
            brakes::hit(
                &db,
                "login",
                "k",
                15 * MIN,
                Window::Sliding,
                t0 + i * 10 * MIN,
            )
            .await
            .expect("hit");
        }
        assert_eq!(
            brakes::hits(&db, "login", "k", 15 * MIN, t0 + 20 * MIN + 14 * MIN)
                .await
                .expect("hits"),
            3,
            "{name}: 14 minutes after the last failure the lock holds"
        );
        brakes::clear(&db, "login", "k").await.expect("clear");
        assert_eq!(
            brakes::hits(&db, "login", "k", 15 * MIN, t0)
                .await
                .expect("hits"),
            0
        );
        // Counters whose window started before the given time are swept.
        assert_eq!(
            brakes::sweep(&db, later).await.expect("sweep"),
            0,
            "{name}: the live one stays"
        );
        assert_eq!(
            brakes::sweep(&db, later + 1).await.expect("sweep"),
            1,
            "{name}"
        );
    }
}

#[tokio::test]
async fn the_volume_brake_admits_up_to_its_limit_and_never_more() {
    for (name, db) in testing::databases().await.expect("databases") {
        let t0 = 1_800_000_000_000;
        for i in 0..3 {
            assert!(
                brakes::admit(&db, "submit", "a", 3, MIN, t0 + i)
                    .await
                    .expect("admit"),
                "{name}"
            );
        }
        assert!(
            !brakes::admit(&db, "submit", "a", 3, MIN, t0 + 10)
                .await
                .expect("admit"),
            "{name}"
        );
        // A refused action is not counted: the next minute admits three again.
        assert!(
            brakes::admit(&db, "submit", "a", 3, MIN, t0 + MIN + 1)
                .await
                .expect("admit"),
            "{name}"
        );
        assert_eq!(
            brakes::hits(&db, "submit", "a", MIN, t0 + MIN + 2)
                .await
                .expect("hits"),
            1
        );
        assert!(
            !brakes::admit(&db, "submit", "b", 0, MIN, t0)
                .await
                .expect("admit")
        );
    }
}

/// A second handle on the same database, as another node has.
async fn second_handle(url: &str) -> Db {
    Db::connect(
        url,
        &DbOptions {
            max_pg_connections: 8,
            ..DbOptions::default()
        },
    )
    .await
    .expect("second node")
}

#[tokio::test]
async fn two_nodes_on_one_postgresql_share_brakes_leases_and_signals() {
    let Some(url) = testing::postgres_url().await.expect("postgres") else {
        return;
    };
    let a = second_handle(&url).await;
    // Both nodes migrate at the same moment: one waits for the other, neither fails.
    let b = second_handle(&url).await;
    let (ra, rb) = tokio::join!(a.migrate(), b.migrate());
    ra.expect("node a migrates");
    rb.expect("node b migrates");

    // Forty guesses spread over the two nodes at once are forty in the shared count.
    let t0 = 1_800_000_000_000;
    let mut tasks = Vec::new();
    for i in 0..40 {
        let db = if i % 2 == 0 { a.clone() } else { b.clone() };
        tasks.push(tokio::spawn(async move {
            brakes::hit(&db, "guess", "203.0.113.9", 10 * MIN, Window::Fixed, t0 + i).await
        }));
    }
    for t in tasks {
        t.await.expect("task").expect("hit");
    }
    assert_eq!(
        brakes::hits(&a, "guess", "203.0.113.9", 10 * MIN, t0 + 50)
            .await
            .expect("hits"),
        40
    );
    assert_eq!(
        brakes::hits(&b, "guess", "203.0.113.9", 10 * MIN, t0 + 50)
            .await
            .expect("hits"),
        40
    );

    // Thirty submissions admitted at once over two nodes with a limit of 25: exactly 25 pass.
    let mut tasks = Vec::new();
    for i in 0..30 {
        let db = if i % 2 == 0 { a.clone() } else { b.clone() };
        tasks.push(tokio::spawn(async move {
            brakes::admit(&db, "submit", "198.51.100.4", 25, MIN, t0 + i).await
        }));
    }
    let mut admitted = 0;
    for t in tasks {
        if t.await.expect("task").expect("admit") {
            admitted += 1;
        }
    }
    assert_eq!(admitted, 25);

    // A lease has one holder; it lapses or is handed back, then the other node takes it.
    let (la, lb) = tokio::join!(
        leases::take(&a, "housekeeping", "node-a", 30_000, t0),
        leases::take(&b, "housekeeping", "node-b", 30_000, t0)
    );
    let (la, lb) = (la.expect("lease a"), lb.expect("lease b"));
    assert!(la ^ lb, "exactly one node holds the lease: {la} {lb}");
    let (first, second, db_second) = if la {
        ("node-a", "node-b", &b)
    } else {
        ("node-b", "node-a", &a)
    };
    assert!(
        !leases::take(db_second, "housekeeping", second, 30_000, t0 + 1000)
            .await
            .expect("take")
    );
    assert_eq!(
        leases::holder(&a, "housekeeping", t0 + 1000)
            .await
            .expect("holder")
            .as_deref(),
        Some(first)
    );
    assert!(
        leases::take(db_second, "housekeeping", second, 30_000, t0 + 30_001)
            .await
            .expect("lapsed")
    );
    leases::release(db_second, "housekeeping", second)
        .await
        .expect("release");
    assert_eq!(
        leases::holder(&a, "housekeeping", t0 + 30_002)
            .await
            .expect("holder"),
        None
    );

    // A signal sent through one node reaches a listener on the other.
    let mut listener = Listener::connect(&b)
        .await
        .expect("listen")
        .expect("postgres listens");
    lentera_store::signals::notify(&a, "b:test")
        .await
        .expect("notify");
    let heard = tokio::time::timeout(std::time::Duration::from_secs(2), listener.next())
        .await
        .expect("within 2 s")
        .expect("signal");
    assert_eq!(heard, Heard::Signal("b:test".into()));
}

#[tokio::test]
async fn sqlite_has_no_listener_and_notify_is_a_no_op() {
    let (url, _dir) = testing::sqlite_url();
    let db = Db::connect(&url, &DbOptions::default())
        .await
        .expect("sqlite");
    db.migrate().await.expect("migrate");
    assert!(Listener::connect(&db).await.expect("connect").is_none());
    lentera_store::signals::notify(&db, "b:x")
        .await
        .expect("no-op");
}
