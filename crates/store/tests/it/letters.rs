//! Letters on both databases: letterheads, jobs taken once under a lease, numbers taken once
//! per job and never twice, letters issued with their job ended in the same transaction.

use lentera_domain::numbering::LetterPattern;
use lentera_store::letters::{self, LetterRow, LetterheadRow, NewLetterJob};
use lentera_store::{bodies, testing};

use crate::repos::body;
use time::macros::{date, datetime};
use uuid::Uuid;

fn job(body_id: Uuid, case_id: Uuid, seq: i64, kind: &str) -> NewLetterJob {
    NewLetterJob {
        id: Uuid::now_v7(),
        body_id,
        kind: kind.into(),
        case_kind: "request".into(),
        case_id,
        event_seq: seq,
        issued_on: date!(2026 - 02 - 10),
    }
}

#[tokio::test]
async fn letterheads_are_kept_per_body() {
    for (name, db) in testing::databases().await.expect("databases") {
        let b = body("kab-l");
        bodies::insert(&db, &b).await.expect("body");
        assert_eq!(letters::letterhead(&db, b.id).await.expect("read"), None);
        let mut h = LetterheadRow {
            body_id: b.id,
            authority: "PEMERINTAH KABUPATEN L".into(),
            name: "PPID".into(),
            address: "Jl. A".into(),
            contacts: "ppid@l.go.id".into(),
            logo: Some(vec![0x89, b'P', b'N', b'G']),
            logo_mime: Some("image/png".into()),
            signatory_name: "Budi".into(),
            signatory_nip: "1980".into(),
            signatory_position: "PPID".into(),
            number_pattern: LetterPattern::DEFAULT.into(),
            updated_at: datetime!(2026-02-01 01:00 UTC),
        };
        letters::put_letterhead(&db, &h).await.expect("put");
        h.signatory_name = "Sri".into();
        h.logo = None;
        letters::put_letterhead(&db, &h).await.expect("replace");
        assert_eq!(
            letters::letterhead(&db, b.id).await.expect("read"),
            Some(h),
            "{name}"
        );
    }
}

#[tokio::test]
async fn a_job_is_taken_once_numbered_once_and_ended_by_its_letter() {
    for (name, db) in testing::databases().await.expect("databases") {
        let b = body("kab-m");
        bodies::insert(&db, &b).await.expect("body");
        let case = Uuid::now_v7();
        let now = datetime!(2026-02-10 03:00 UTC);
        let first = job(b.id, case, 1, "receipt");
        let second = job(b.id, case, 4, "written_notice");
        letters::enqueue(&db, &[first.clone(), second.clone()], now)
            .await
            .expect("enqueue");
        // The same event's letter again: still one job.
        letters::enqueue(&db, &[job(b.id, case, 1, "receipt")], now)
            .await
            .expect("again");
        let taken = letters::take_due(&db, 1_000, 61_000, 10)
            .await
            .expect("take");
        assert_eq!(taken.len(), 2, "{name}");
        assert!(taken.iter().all(|j| j.attempts == 1));
        // Leased: not due again before the lease ends.
        assert!(
            letters::take_due(&db, 2_000, 62_000, 10)
                .await
                .expect("take")
                .is_empty()
        );

        let pattern = LetterPattern::standard();
        let a = taken.iter().find(|j| j.id == first.id).expect("first");
        let n1 = letters::number_for(&db, a, &pattern, "KAB-M", "TBP")
            .await
            .expect("n");
        assert_eq!(n1, "1/KAB-M/PPID/II/2026", "{name}");
        // A retry of the same job: the number it took, no new one.
        letters::retry_later(&db, a.id, "typst: oops", 5_000)
            .await
            .expect("retry");
        let again = letters::take_due(&db, 70_000, 130_000, 10)
            .await
            .expect("take");
        assert_eq!(again.len(), 2, "{name}: both leases lapsed");
        let a2 = again.iter().find(|j| j.id == first.id).expect("first");
        assert_eq!(
            (a2.attempts, a2.last_error.as_deref()),
            (2, Some("typst: oops"))
        );
        assert_eq!(
            letters::number_for(&db, a2, &pattern, "KAB-M", "TBP")
                .await
                .expect("n"),
            n1
        );
        let b2 = again.iter().find(|j| j.id == second.id).expect("second");
        let n2 = letters::number_for(&db, b2, &pattern, "KAB-M", "PT")
            .await
            .expect("n");
        assert_eq!(n2, "2/KAB-M/PPID/II/2026", "{name}");

        let letter = LetterRow {
            id: Uuid::now_v7(),
            body_id: b.id,
            kind: "receipt".into(),
            number: n1.clone(),
            case_kind: "request".into(),
            case_id: case,
            event_seq: 1,
            issued_on: date!(2026 - 02 - 10),
            verify_code: "ABCD-EFGH-JKMN".into(),
            sha256: "00".repeat(32),
            size: 1234,
            storage_key: format!("letters/{n1}.pdf"),
            created_at: now,
        };
        letters::issue(&db, &letter, a2.id).await.expect("issue");
        assert_eq!(
            letters::by_verify_code(&db, "ABCD-EFGH-JKMN")
                .await
                .expect("by code"),
            Some(letter.clone()),
            "{name}"
        );
        assert_eq!(
            letters::for_case(&db, "request", case).await.expect("case"),
            vec![letter]
        );
        let pending = letters::pending_for_case(&db, "request", case)
            .await
            .expect("pending");
        assert_eq!(
            pending.iter().map(|j| j.id).collect::<Vec<_>>(),
            vec![second.id]
        );
        // The issued job is gone: never taken again.
        let later = letters::take_due(&db, i64::MAX / 2, i64::MAX / 2 + 1, 10)
            .await
            .expect("take");
        assert_eq!(
            later.iter().map(|j| j.id).collect::<Vec<_>>(),
            vec![second.id],
            "{name}"
        );
    }
}

fn call(body_id: Uuid, case_id: Uuid, kind: &str) -> letters::LetterCall {
    letters::LetterCall {
        id: Uuid::now_v7(),
        body_id,
        kind: kind.into(),
        case_kind: "request".into(),
        case_id,
        issued_on: date!(2026 - 01 - 05),
    }
}

#[tokio::test]
async fn letters_are_written_with_their_event_and_not_without_it() {
    use crate::repos::{event, new_request, numbering, projection};
    use lentera_store::requests;
    for (name, db) in testing::databases().await.expect("databases") {
        let b = body("kab-lt");
        bodies::insert(&db, &b).await.expect("body");
        let mut r = new_request(b.id, Some(date!(2026 - 01 - 19)), None);
        r.events[0].letters = vec![call(b.id, r.id, "receipt")];
        requests::create(&db, &r, &numbering("kab-lt"))
            .await
            .expect("create");
        let mut decided = event("decided");
        decided.letters = vec![call(b.id, r.id, "notice"), call(b.id, r.id, "forwarding")];
        requests::append_event(&db, r.id, 1, &decided, &projection("decided", None))
            .await
            .expect("append");
        // A writer that lost the race stores neither its event nor its letter.
        let mut stale = event("extended");
        stale.letters = vec![call(b.id, r.id, "extension")];
        assert!(
            requests::append_event(&db, r.id, 1, &stale, &projection("in_progress", None))
                .await
                .is_err()
        );
        let mut jobs = letters::pending_for_case(&db, "request", r.id)
            .await
            .expect("jobs");
        jobs.sort_by(|a, b| (a.event_seq, &a.kind).cmp(&(b.event_seq, &b.kind)));
        assert_eq!(
            jobs.iter()
                .map(|j| (j.event_seq, j.kind.as_str()))
                .collect::<Vec<_>>(),
            vec![(1, "receipt"), (2, "forwarding"), (2, "notice")],
            "{name}"
        );
    }
}
