//! Issue 14: the calendar outlives its year. Deadlines past the loaded years are provisional and
//! never null; loading a year while serving moves them to the exact dates, each with a
//! `due_recomputed` event on its timeline; bad files are refused line by line; only admins load.

use serde_json::{Value, json};
use time::macros::datetime;

use crate::common;

/// A 2027 calendar for tests (not the real SKB): the five fixed holidays, and Monday 4 January
/// as an extra *cuti bersama*, so that counts across New Year move by one working day.
fn year_2027(version: &str, extra: &[(&str, &str)]) -> Value {
    let mut days = vec![
        json!({"date": "2027-01-01", "kind": "national_holiday", "name": "Tahun Baru 2027 Masehi", "legal_basis": "SKB uji No. 1/2026"}),
        json!({"date": "2027-05-01", "kind": "national_holiday", "name": "Hari Buruh Internasional", "legal_basis": "SKB uji No. 1/2026"}),
        json!({"date": "2027-06-01", "kind": "national_holiday", "name": "Hari Lahir Pancasila", "legal_basis": "SKB uji No. 1/2026"}),
        json!({"date": "2027-08-17", "kind": "national_holiday", "name": "Proklamasi Kemerdekaan", "legal_basis": "SKB uji No. 1/2026"}),
        json!({"date": "2027-12-25", "kind": "national_holiday", "name": "Natal", "legal_basis": "SKB uji No. 1/2026"}),
    ];
    for (date, name) in extra {
        days.push(json!({"date": date, "kind": "collective_leave", "name": name, "legal_basis": "SKB uji No. 1/2026"}));
    }
    json!({"country": "ID", "year": 2027, "version": version, "status": "confirmed", "note": "uji", "days": days})
}

async fn post_text(
    s: &common::TestServer,
    path: &str,
    text: &str,
    token: Option<&str>,
) -> (u16, Value) {
    let mut req = s
        .http
        .post(format!("{}{path}", s.base))
        .header("content-type", "application/json")
        .body(text.to_owned());
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.expect("send");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn deadlines_past_the_loaded_years_are_provisional_and_move_when_the_year_is_loaded() {
    for s in common::servers().await {
        // Friday 18 December 2026, 10:00 WIB: 10 WD run into 2027, whose SKB is not loaded.
        s.clock.set(datetime!(2026-12-18 03:00 UTC));
        let (number, code) = s.submit("kab-a").await;
        let (status, view) = s
            .get(&format!("/requests/{number}?code={code}"), None)
            .await;
        assert_eq!(status, 200, "{}: {view}", s.name);
        // 21–23, 28–31 Dec, (1 Jan fixed holiday), 4, 5, 6 Jan: the earliest the real date can be.
        assert_eq!(view["due_on"], "2027-01-06", "{}: {view}", s.name);
        assert_eq!(view["due_provisional"], true, "{}", s.name);

        // A request decided today: an objection gets a date 30 WD on, provisional, never null.
        let (n2, c2) = s.submit("kab-a").await;
        let ppid = s.token("ppid@a.id").await;
        let (status, d) = s
            .post(
                &format!("/requests/{n2}/decision"),
                &json!({"outcome": "not_held", "holder": "Badan lain", "note": "Tidak dikuasai"}),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 200, "{}: {d}", s.name);
        let (status, o) = s
            .post(
                &format!("/requests/{n2}/objections?code={c2}"),
                &json!({"grounds": ["d"], "reason": "Jawaban tidak sesuai"}),
                None,
            )
            .await;
        assert_eq!(status, 201, "{}: {o}", s.name);
        assert!(o["due_on"].is_string(), "{}: {o}", s.name);
        assert_eq!(o["due_provisional"], true, "{}: {o}", s.name);
        let objection = o["number"].as_str().expect("number").to_owned();
        let objection_due = o["due_on"].as_str().expect("due").to_owned();

        // The bare calculator still refuses to guess, unless asked.
        let (status, e) = s
            .get("/calendar/working-days?from=2026-12-18&days=10", None)
            .await;
        assert_eq!(
            (status, e["error"]["code"].as_str()),
            (422, Some("calendar.incomplete"))
        );
        let (status, w) = s
            .get(
                "/calendar/working-days?from=2026-12-18&days=10&provisional=true",
                None,
            )
            .await;
        assert_eq!(status, 200, "{}: {w}", s.name);
        assert_eq!(
            (w["due"].as_str(), w["provisional"].as_bool()),
            (Some("2027-01-06"), Some(true))
        );

        // The queue carries the mark too.
        let (_, cases) = s.get("/cases", Some(&ppid)).await;
        let row = cases
            .as_array()
            .and_then(|a| a.iter().find(|c| c["number"] == number.as_str()))
            .cloned()
            .expect("in the queue");
        assert_eq!(row["due_provisional"], true, "{}: {row}", s.name);

        // Only admins load calendars.
        let file = year_2027("2027.uji", &[("2027-01-04", "Cuti bersama Tahun Baru")]).to_string();
        let (status, _) = post_text(&s, "/calendar/years", &file, Some(&ppid)).await;
        assert_eq!(status, 403, "{}", s.name);
        let (status, _) = post_text(&s, "/calendar/years", &file, None).await;
        assert_eq!(status, 401, "{}", s.name);

        // A bad file: every bad line listed, nothing stored.
        let admin = s.token("admin@a.id").await;
        let bad = json!({"year": 2027, "version": "2027.rusak", "days": [
            {"date": "2027-02-30", "kind": "national_holiday", "name": "Mustahil", "legal_basis": "x"},
            {"date": "2028-01-01", "kind": "national_holiday", "name": "Tahun lain", "legal_basis": "x"},
            {"date": "2027-03-01", "kind": "libur_daerah", "name": "Jenis asing", "legal_basis": "x"},
            {"date": "2027-04-01", "kind": "national_holiday", "name": "Dua kali", "legal_basis": "x"},
            {"date": "2027-04-01", "kind": "collective_leave", "name": "Dua kali", "legal_basis": "x"}]});
        let (status, e) = post_text(&s, "/calendar/years", &bad.to_string(), Some(&admin)).await;
        assert_eq!(status, 422, "{}: {e}", s.name);
        let fields = &e["error"]["fields"];
        for (k, code) in [
            ("days.1.date", "invalid_date"),
            ("days.2.date", "wrong_year"),
            ("days.3.kind", "unknown_kind"),
            ("days.5.date", "duplicate"),
        ] {
            assert_eq!(fields[k][0], code, "{}: {k} in {e}", s.name);
        }
        let (_, years) = s.get("/calendar/years", None).await;
        assert_eq!(
            years.as_array().map(Vec::len),
            Some(3),
            "{}: {years}",
            s.name
        );

        // Loading 2027 while serving moves both to the exact dates and says so.
        let (status, r) = post_text(&s, "/calendar/years", &file, Some(&admin)).await;
        assert_eq!(status, 201, "{}: {r}", s.name);
        assert_eq!(
            (r["year"].as_i64(), r["version"].as_str()),
            (Some(2027), Some("2027.uji"))
        );
        assert!(
            r["recomputed"].as_u64().unwrap_or(0) >= 2,
            "{}: {r}",
            s.name
        );
        let (_, view) = s
            .get(&format!("/requests/{number}?code={code}"), None)
            .await;
        assert_eq!(view["due_on"], "2027-01-07", "{}: {view}", s.name);
        assert_eq!(view["due_provisional"], false, "{}", s.name);
        let moved = view["events"]
            .as_array()
            .and_then(|e| e.iter().find(|e| e["kind"] == "due_recomputed"))
            .cloned()
            .expect("a due_recomputed event");
        assert_eq!(
            (moved["from"].as_str(), moved["to"].as_str()),
            (Some("2027-01-06"), Some("2027-01-07"))
        );
        assert!(
            moved["reason"]
                .as_str()
                .is_some_and(|r| r.contains("2027") && r.contains("SKB uji")),
            "{}: {moved}",
            s.name
        );
        let (_, o) = s
            .get(&format!("/objections/{objection}?code={c2}"), None)
            .await;
        assert_eq!(o["due_provisional"], false, "{}: {o}", s.name);
        assert_ne!(
            o["due_on"].as_str(),
            Some(objection_due.as_str()),
            "{}: {o}",
            s.name
        );
        assert!(
            o["events"]
                .as_array()
                .is_some_and(|e| e.iter().any(|e| e["kind"] == "due_recomputed")),
            "{}: {o}",
            s.name
        );
        let (_, years) = s.get("/calendar/years", None).await;
        let y2027 = years
            .as_array()
            .and_then(|a| a.iter().find(|y| y["year"] == 2027))
            .cloned()
            .expect("2027 listed");
        assert_eq!(
            (y2027["version"].as_str(), y2027["applied"].as_bool()),
            (Some("2027.uji"), Some(true))
        );

        // The same version again changes nothing.
        let (status, r) = post_text(&s, "/calendar/years", &file, Some(&admin)).await;
        assert_eq!(
            (status, r["recomputed"].as_u64()),
            (200, Some(0)),
            "{}: {r}",
            s.name
        );
        let (_, again) = s
            .get(&format!("/requests/{number}?code={code}"), None)
            .await;
        assert_eq!(again["events"], view["events"], "{}", s.name);

        // The figures still agree with a fold of every log under the new calendar.
        for year in [2026, 2027] {
            let tallied = s
                .app
                .annual_report("kab-a", year, None)
                .await
                .expect("report");
            let folded = s
                .app
                .annual_report_by_fold("kab-a", year, None)
                .await
                .expect("fold");
            assert_eq!(
                tallied.figures.requests, folded.figures.requests,
                "{}: {year}",
                s.name
            );
            assert!(tallied.figures.requests.reconciles, "{}: {year}", s.name);
        }
        s.stop().await;
    }
}

#[tokio::test]
async fn a_recomputation_cut_short_resumes_where_it_stopped() {
    for s in common::servers().await {
        s.clock.set(datetime!(2026-12-21 03:00 UTC));
        let mut tracked = Vec::new();
        for _ in 0..5 {
            tracked.push(s.submit("kab-a").await);
        }
        // Store the version and its job, then run a single empty-cursor batch of it only.
        let text = year_2027("2027.a", &[("2027-01-04", "Cuti bersama")]).to_string();
        let before: Vec<Value> = {
            let mut v = Vec::new();
            for (n, c) in &tracked {
                v.push(s.get(&format!("/requests/{n}?code={c}"), None).await.1);
            }
            v
        };
        assert!(
            before.iter().all(|v| v["due_provisional"] == true),
            "{}",
            s.name
        );
        let out = s
            .app
            .import_calendar(&text, "test", "uji", &|_| {})
            .await
            .expect("import");
        assert_eq!(out.recomputed, 5, "{}", s.name);
        // Loaded without an officer (the command line): still accountable in the audit log.
        let audit = s
            .app
            .audit_page(&lentera_app::audit::Filter {
                action: Some("calendar.load".into()),
                limit: 10,
                ..Default::default()
            })
            .await
            .expect("audit");
        assert!(
            audit
                .iter()
                .any(|l| l.entity_id == format!("2027/{}", out.version) && l.detail.contains("uji")),
            "{}: {audit:?}",
            s.name
        );
        // A second version whose job is cut after its first batch (a crash), then resumed.
        let text = year_2027(
            "2027.b",
            &[
                ("2027-01-04", "Cuti bersama"),
                ("2027-01-05", "Cuti bersama"),
            ],
        )
        .to_string();
        let job = {
            let v = lentera_app::testing::store::calendar::NewVersion {
                year: 2027,
                version: "2027.b".into(),
                status: "confirmed".into(),
                note: String::new(),
                instrument: "SKB uji".into(),
                data: serde_json::to_string(
                    &lentera_domain::calendar::import::parse_json(&text).expect("valid"),
                )
                .expect("json"),
                digest: "b".into(),
                source: "test".into(),
                loaded_by: "uji".into(),
                loaded_at: s.app.now(),
            };
            let id = uuid::Uuid::now_v7();
            lentera_app::testing::store::calendar::insert_version(
                &s.app.db,
                &v,
                Some((id, "SKB uji perubahan")),
            )
            .await
            .expect("stored");
            id
        };
        s.app.refresh_calendar().await.expect("refresh");
        // No batch ran yet: the version is not applied.
        let (_, years) = s.get("/calendar/years", None).await;
        assert!(
            years
                .as_array()
                .is_some_and(|a| a.iter().any(|y| y["year"] == 2027 && y["applied"] == false)),
            "{}: {years}",
            s.name
        );
        let moved = s.app.run_job(job, &|_| {}, Some(0)).await.expect("cut");
        assert_eq!(moved, 0);
        let moved = s.app.run_jobs(&|_| {}).await.expect("resumed");
        assert_eq!(moved, 5, "{}", s.name);
        assert_eq!(s.app.run_jobs(&|_| {}).await.expect("nothing left"), 0);
        for (n, c) in &tracked {
            let (_, v) = s.get(&format!("/requests/{n}?code={c}"), None).await;
            let kinds: Vec<&str> = v["events"]
                .as_array()
                .map(|e| e.iter().filter_map(|e| e["kind"].as_str()).collect())
                .unwrap_or_default();
            assert_eq!(
                kinds.iter().filter(|k| **k == "due_recomputed").count(),
                2,
                "{}: {v}",
                s.name
            );
        }
        s.stop().await;
    }
}

/// A case written by someone else between the job's read and its write (its event count
/// moved) is not overwritten: the batch skips it, names it, and the job plans it again from
/// what is stored now.
#[tokio::test]
async fn a_case_changed_during_a_batch_is_skipped_and_read_again() {
    use lentera_app::testing::store::calendar as store;
    for s in common::servers().await {
        s.clock.set(datetime!(2026-12-21 03:00 UTC));
        let (number, code) = s.submit("kab-a").await;
        let page = store::request_candidates(
            &s.app.db,
            None,
            time::macros::date!(2026 - 01 - 01),
            None,
            100,
        )
        .await
        .expect("candidates");
        let c = page
            .into_iter()
            .find(|c| c.number == number)
            .expect("the new request is a candidate");
        let (_, before) = s
            .get(&format!("/requests/{number}?code={code}"), None)
            .await;
        // Planned from an event count that is no longer the stored one (someone wrote since).
        let stale = store::Write::Request {
            id: c.id,
            expected: c.event_count - 1,
            event: None,
            projection: Box::new(lentera_app::testing::store::requests::Projection {
                unit_id: None,
                status: "in_progress".into(),
                extended: false,
                notice_due_on: None,
                due_on: None,
                outcome: None,
                decided_on: None,
                state: c.state.clone(),
                calendar_version: "x".into(),
                obtain: "softcopy".into(),
                grounds: None,
                ended_on: None,
                extended_on: None,
                service_wd: None,
                on_time: None,
            }),
        };
        let job = uuid::Uuid::now_v7();
        store::create_body_job(&s.app.db, job, c.body_id, "uji", s.app.now())
            .await
            .expect("job");
        let p = store::Progress {
            from_phase: "requests".into(),
            from_cursor: None,
            phase: "requests".into(),
            cursor: None,
            lease_until: s.app.now(),
            finished: false,
        };
        let fresh = match &stale {
            store::Write::Request { id, projection, .. } => store::Write::Request {
                id: *id,
                expected: c.event_count,
                event: None,
                projection: projection.clone(),
            },
            _ => unreachable!("a request write"),
        };
        let (moved, skipped) = store::apply_batch(&s.app.db, job, &[stale], &p, s.app.now())
            .await
            .expect("batch");
        assert_eq!((moved, skipped.clone()), (0, vec![c.id]), "{}", s.name);
        // A batch planned from a position the job has left (its predecessor was not stored) is
        // refused whole: its case keeps what it had.
        let elsewhere = store::Progress {
            from_cursor: Some(uuid::Uuid::now_v7()),
            ..p.clone()
        };
        let refused = store::apply_batch(&s.app.db, job, &[fresh], &elsewhere, s.app.now()).await;
        assert!(
            matches!(&refused, Err(lentera_app::testing::store::StoreError::Conflict(k)) if k == store::OUT_OF_ORDER),
            "{}: {refused:?}",
            s.name
        );
        let unchanged = store::candidates_again(&s.app.db, "requests", &[c.id])
            .await
            .expect("read again");
        assert_eq!(
            unchanged.requests[0].calendar_version, c.calendar_version,
            "{}: the refused batch stored nothing",
            s.name
        );
        let again = store::candidates_again(&s.app.db, "requests", &skipped)
            .await
            .expect("read again");
        assert_eq!(again.requests.len(), 1, "{}", s.name);
        assert_eq!(again.requests[0].event_count, c.event_count, "{}", s.name);
        let (_, after) = s
            .get(&format!("/requests/{number}?code={code}"), None)
            .await;
        assert_eq!(
            before["due_on"], after["due_on"],
            "{}: nothing overwritten",
            s.name
        );
        s.stop().await;
    }
}

/// The annual report's time figures carry the provisional sentence while the next year's SKB
/// is missing, and lose it once the year is loaded.
#[tokio::test]
async fn the_annual_report_says_its_time_figures_are_provisional_until_the_year_is_loaded() {
    const NOTE: &str = "SKB hari libur tahun 2027 belum dimuat";
    for s in common::servers().await {
        s.clock.set(datetime!(2026-12-18 03:00 UTC));
        let _ = s.submit("kab-a").await;
        let page = |year: i32| {
            let url = format!(
                "{}/b/kab-a/laporan?tahun={year}",
                s.base.trim_end_matches("/api/v1")
            );
            let http = s.http.clone();
            async move {
                let r = http.get(url).send().await.expect("report page");
                assert_eq!(r.status().as_u16(), 200);
                r.text().await.expect("text")
            }
        };
        assert!(page(2026).await.contains(NOTE), "{}: 2026 report", s.name);
        assert!(
            !page(2025).await.contains("belum dimuat"),
            "{}: 2025",
            s.name
        );

        let admin = s.token("admin@a.id").await;
        let file = year_2027("2027.uji", &[]).to_string();
        let (status, v) = post_text(&s, "/calendar/years", &file, Some(&admin)).await;
        assert!((200..=202).contains(&status), "{}: {v}", s.name);
        let mut gone = false;
        for _ in 0..100 {
            if !page(2026).await.contains(NOTE) {
                gone = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(gone, "{}: the note stays after 2027 was loaded", s.name);
    }
}

/// A closure inside a running dispute's window moves the KI's deadlines, with a
/// `due_recomputed` event on the dispute's own log (the dispute phase of a recomputation, on
/// both databases).
#[tokio::test]
async fn a_closure_moves_a_running_disputes_deadlines_with_an_event() {
    use time::macros::date;
    for s in common::servers().await {
        let (number, code) = s.submit("kab-a").await;
        s.clock.set(datetime!(2026-02-05 03:00 UTC));
        let ppid = s.token("ppid@a.id").await;
        let test = s.decided_test(&ppid, &["17h"], "189/7/PPID/2026").await;
        let refusal = json!({"outcome": "rejected_exempt", "grounds": ["17h"], "note": "Rahasia pribadi", "consequence_test": test});
        let path = format!("/requests/{number}/decision");
        assert_eq!(s.post(&path, &refusal, Some(&ppid)).await.0, 200);
        s.clock.set(datetime!(2026-02-09 03:00 UTC));
        let objection = s.object(&number, &code, &["a"], "Bukan data pribadi").await;
        s.clock.set(datetime!(2026-02-20 03:00 UTC));
        let atasan = s.token("atasan@a.id").await;
        let answer = json!({"outcome": "dismissed", "note": "Penolakan PPID sudah tepat."});
        let path = format!("/objections/{objection}/decision");
        assert_eq!(s.post(&path, &answer, Some(&atasan)).await.0, 200);
        s.clock.set(datetime!(2026-03-02 03:00 UTC));
        let ppid = s.token("ppid@a.id").await;
        let filed =
            json!({"on": "2026-03-02", "commission": "Komisi Informasi Provinsi Jawa Tengah"});
        let path = format!("/objections/{objection}/dispute/filed");
        let (status, v) = s.post(&path, &filed, Some(&ppid)).await;
        assert_eq!(status, 200, "{}: {v}", s.name);
        assert_eq!(v["dispute"]["deadlines"]["ki_start_by"], "2026-03-27");

        s.app
            .add_closure("kab-a", date!(2026 - 03 - 10), "Banjir: kantor tutup", None)
            .await
            .expect("closure");
        let (_, v) = s
            .get(&format!("/objections/{objection}?code={code}"), None)
            .await;
        assert_eq!(
            v["dispute"]["deadlines"]["ki_start_by"], "2026-03-30",
            "{}: one working day fewer before the KI must start",
            s.name
        );
        let moved: Vec<&Value> = v["dispute"]["events"]
            .as_array()
            .expect("events")
            .iter()
            .filter(|e| e["kind"] == "due_recomputed")
            .collect();
        assert_eq!(moved.len(), 1, "{}: {}", s.name, v["dispute"]["events"]);
    }
}
