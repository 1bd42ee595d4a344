//! The cache of what public pages read (bodies, closures, the public register): kept while
//! nothing changed, and never hiding a change, by this process or another beside it.

use std::sync::Arc;

use lentera_app::bodies::NewBody;
use lentera_app::{App, AppConfig, Clock, FixedClock, Secret};
use lentera_store::{Db, DbOptions, testing};

fn app_on(db: Db) -> App {
    let clock = Arc::new(FixedClock::new(
        time::macros::datetime!(2026-03-02 03:00 UTC),
    ));
    App::new(
        db,
        Secret::from_key([1; 32]),
        clock as Arc<dyn Clock>,
        AppConfig::default(),
    )
    .expect("app")
}

fn body(slug: &str, parent: Option<&str>) -> NewBody {
    NewBody {
        slug: slug.into(),
        name: format!("Badan {slug}"),
        kind: parent.is_none().then(|| "regency".into()),
        parent: parent.map(str::to_owned),
        ..NewBody::default()
    }
}

#[tokio::test]
async fn public_reads_are_kept_until_a_change_and_a_change_shows_at_once() {
    for (name, db) in testing::databases().await.expect("databases") {
        let app = app_on(db);
        app.create_body(&body("kab-a", None)).await.expect("body");
        let first = app.bodies_shared().await.expect("bodies");
        let again = app.bodies_shared().await.expect("bodies");
        // Read once: the second view is served from memory.
        assert!(Arc::ptr_eq(&first, &again), "{name}: not cached");
        let r1 = app.public_register("kab-a").await.expect("register");
        let r2 = app.public_register("kab-a").await.expect("register");
        assert!(Arc::ptr_eq(&r1, &r2), "{name}: register not cached");
        let (_, q1) = app
            .request_register("kab-a", 51, 0)
            .await
            .expect("requests");
        let (_, q2) = app
            .request_register("kab-a", 51, 0)
            .await
            .expect("requests");
        assert!(Arc::ptr_eq(&q1, &q2), "{name}: request register not cached");
        let (_, o1) = app.objection_register("kab-a").await.expect("objections");
        let (_, o2) = app.objection_register("kab-a").await.expect("objections");
        assert!(
            Arc::ptr_eq(&o1, &o2),
            "{name}: objection register not cached"
        );
        // A change made here shows on the next read.
        app.create_body(&body("kab-a-dinkes", Some("kab-a")))
            .await
            .expect("unit");
        let after = app.bodies_shared().await.expect("bodies");
        assert!(
            after.iter().any(|b| b.slug == "kab-a-dinkes"),
            "{name}: the new unit is missing"
        );
        assert_eq!(app.units_of("kab-a").await.expect("units").len(), 1);
        app.add_closure("kab-a", time::macros::date!(2026 - 03 - 04), "Banjir", None)
            .await
            .expect("closure");
        assert_eq!(app.closures_of("kab-a").await.expect("closures").len(), 1);
    }
}

/// An administrative command is another process on the same SQLite file: what it commits is
/// on the server's next page, not half a minute later.
#[tokio::test]
async fn a_change_by_another_process_on_the_same_sqlite_file_shows_at_once() {
    let (url, _dir) = testing::sqlite_url();
    let open = || async {
        let db = Db::connect(&url, &DbOptions::default()).await.expect("db");
        db.migrate().await.expect("migrate");
        app_on(db)
    };
    let server = open().await;
    let command = open().await;
    server
        .create_body(&body("kab-b", None))
        .await
        .expect("body");
    assert_eq!(server.list_bodies().await.expect("bodies").len(), 1);
    assert!(
        server
            .closures_of("kab-b")
            .await
            .expect("closures")
            .is_empty()
    );
    command
        .create_body(&body("kab-c", None))
        .await
        .expect("body by the command");
    command
        .add_closure("kab-b", time::macros::date!(2026 - 03 - 04), "Banjir", None)
        .await
        .expect("closure by the command");
    assert_eq!(
        server.list_bodies().await.expect("bodies").len(),
        2,
        "the server still shows the list from before the command"
    );
    assert_eq!(
        server.closures_of("kab-b").await.expect("closures").len(),
        1
    );
}
