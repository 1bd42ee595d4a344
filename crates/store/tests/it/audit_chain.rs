//! Issue 15: the audit log is a hash chain that refuses edits and deletions, and `verify` names
//! the first link broken behind the application's back.

use lentera_store::audit::{self, BreakReason};
use lentera_store::{testing, with_conn};
use time::macros::datetime;

async fn exec(db: &lentera_store::Db, sql: &'static str) -> Result<u64, sqlx::Error> {
    with_conn!(db.write(), |pool| sqlx::query(sql)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
}

#[tokio::test]
async fn the_audit_chain_refuses_edits_and_names_the_first_broken_link() {
    for (name, db) in testing::databases().await.expect("databases") {
        for i in 0..5 {
            audit::record(
                &db,
                datetime!(2026-12-02 03:00:00.123456789 UTC) + time::Duration::seconds(i),
                None,
                "closure.added",
                "body",
                "kab-a",
                &format!("day=2026-12-{:02}", 10 + i),
            )
            .await
            .expect("record");
        }
        let (ok, broken) = audit::verify(&db, &|_| {}).await.expect("verify");
        assert_eq!((ok, broken), (5, None), "{name}");

        // The database itself refuses to edit or delete a link.
        assert!(
            exec(&db, "UPDATE audit_log SET detail = 'x' WHERE seq = 3")
                .await
                .is_err(),
            "{name}"
        );
        assert!(
            exec(&db, "DELETE FROM audit_log WHERE seq = 4")
                .await
                .is_err(),
            "{name}"
        );

        // Someone with the database's own rights removes the guard and edits row 3.
        let disable = if name == "postgres" {
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"
        } else {
            "DROP TRIGGER audit_log_no_update"
        };
        exec(&db, disable).await.expect("drop the guard");
        exec(
            &db,
            "UPDATE audit_log SET detail = 'day=2026-12-31' WHERE seq = 3",
        )
        .await
        .expect("edit behind its back");
        let (ok, broken) = audit::verify(&db, &|_| {}).await.expect("verify");
        let broken = broken.expect("the edit is found");
        assert_eq!(
            (ok, broken.seq, broken.reason),
            (2, 3, BreakReason::Edited),
            "{name}"
        );

        // A deleted link is found too.
        exec(
            &db,
            "UPDATE audit_log SET detail = 'day=2026-12-12' WHERE seq = 3",
        )
        .await
        .expect("edit back");
        assert_eq!(
            audit::verify(&db, &|_| {}).await.expect("verify").1,
            None,
            "{name}"
        );
        let delete_guard = if name == "postgres" {
            "SELECT 1"
        } else {
            "DROP TRIGGER audit_log_no_delete"
        };
        exec(&db, delete_guard)
            .await
            .expect("drop the delete guard");
        exec(&db, "DELETE FROM audit_log WHERE seq = 4")
            .await
            .expect("delete");
        let broken = audit::verify(&db, &|_| {})
            .await
            .expect("verify")
            .1
            .expect("found");
        assert_eq!(
            (broken.seq, broken.reason),
            (4, BreakReason::Missing),
            "{name}"
        );
    }
}
