//! The objection and dispute chain over HTTP, every deadline checked against the calendar.

use serde_json::json;
use time::macros::{date, datetime};

use crate::common::servers;

#[tokio::test]
async fn ignored_request_objection_upheld_then_answered() {
    for s in servers().await {
        let (number, code) = s.submit("kab-a").await;
        // Inside its time and undecided: "not answered" is not yet available.
        s.clock.set(datetime!(2026-02-10 03:00 UTC));
        let (status, err) = s
            .post(
                &format!("/requests/{number}/objections?code={code}"),
                &json!({"grounds": ["c"], "reason": "Belum dijawab"}),
                None,
            )
            .await;
        assert_eq!(status, 422, "{}: {err}", s.name);
        assert_eq!(
            err["error"]["fields"]["grounds"],
            json!(["not_available_c"])
        );
        assert_eq!(s.count_objections().await, 0);

        // Due 18 Feb; on 20 Feb the request is overdue and unanswered.
        s.clock.set(datetime!(2026-02-20 03:00 UTC));
        let (_, g) = s
            .get(
                &format!("/requests/{number}/objection-grounds?code={code}"),
                None,
            )
            .await;
        let grounds: Vec<&str> = g["available"]
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|x| x["ground"].as_str())
            .collect();
        assert_eq!(grounds, vec!["b", "c", "g"], "{}", s.name);
        let (status, wrong) = s
            .post(
                &format!("/requests/{number}/objections?code=AAAA-BBBB-CCCC"),
                &json!({"grounds": ["c"]}),
                None,
            )
            .await;
        assert_eq!(
            (status, wrong["error"]["code"].as_str()),
            (404, Some("request.not_found"))
        );
        let body = json!({"grounds": ["c"], "reason": "Tidak ada jawaban dalam 10 hari kerja"});
        let (status, receipt) = s
            .post(
                &format!("/requests/{number}/objections?code={code}"),
                &body,
                None,
            )
            .await;
        assert_eq!(status, 201, "{}: {receipt}", s.name);
        assert_eq!(receipt["status"], "received");
        assert_eq!(receipt["received_on"], "2026-02-20");
        // addWD(20 Feb 2026, 30), hand-checked: Nyepi, Lebaran and Good Friday are skipped.
        assert_eq!(receipt["due_on"], "2026-04-13");
        let objection = receipt["number"].as_str().expect("number").to_owned();
        assert!(objection.starts_with("KEB-0001-KAB-A-2026"), "{objection}");
        // The same grounds again: one objection.
        let (status, again) = s
            .post(
                &format!("/requests/{number}/objections?code={code}"),
                &body,
                None,
            )
            .await;
        assert_eq!(
            (status, again["number"].as_str()),
            (200, Some(objection.as_str()))
        );
        assert_eq!(s.count_objections().await, 1);

        let (status, view) = s
            .get(
                &format!(
                    "/objections/{objection}?code={}",
                    receipt["tracking_code"].as_str().unwrap_or("")
                ),
                None,
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(view["grounds"], json!(["c"]));
        assert_eq!(view["due_on"], "2026-04-13");
        assert_eq!(view["late"], false);
        assert_eq!(
            s.get(&format!("/objections/{objection}?code=WRONG"), None)
                .await
                .0,
            404
        );

        // Only the atasan PPID decides objections.
        s.clock.set(datetime!(2026-03-02 03:00 UTC));
        let ppid = s.token("ppid@a.id").await;
        let atasan = s.token("atasan@a.id").await;
        let decision = json!({"outcome": "upheld", "note": "PPID wajib memberikan jawaban dalam 10 hari kerja."});
        assert_eq!(
            s.post(
                &format!("/objections/{objection}/decision"),
                &decision,
                Some(&ppid)
            )
            .await
            .0,
            403
        );
        let (status, decided) = s
            .post(
                &format!("/objections/{objection}/decision"),
                &decision,
                Some(&atasan),
            )
            .await;
        assert_eq!(status, 200, "{}: {decided}", s.name);
        assert_eq!(decided["status"], "upheld");
        assert_eq!(decided["decision"]["decided_on"], "2026-03-02");
        // 14 WD to go to the KI from the answer.
        assert_eq!(decided["dispute_deadline"], "2026-03-27");
        assert_eq!(
            s.post(
                &format!("/objections/{objection}/decision"),
                &decision,
                Some(&atasan)
            )
            .await
            .0,
            409
        );

        // The request is back with the PPID, due 10 WD after the answer.
        let (_, req) = s
            .get(&format!("/requests/{number}?code={code}"), None)
            .await;
        assert_eq!(req["status"], "in_progress", "{}", s.name);
        assert_eq!(req["due_on"], "2026-03-16");
        assert!(
            req["events"]
                .as_array()
                .expect("events")
                .iter()
                .any(|e| e["kind"] == "reopened")
        );
        let (status, _) = s
            .post(
                &format!("/requests/{number}/decision"),
                &json!({"outcome": "granted", "note": "Terlampir"}),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 200);
        let (_, req) = s
            .get(&format!("/requests/{number}?code={code}"), None)
            .await;
        assert_eq!(req["status"], "decided");
        assert_eq!(req["decision"]["outcome"], "granted");
    }
}

#[tokio::test]
async fn refusal_objection_dismissed_dispute_mediation_ruling_complied() {
    for s in servers().await {
        let (number, code) = s.submit("kab-a").await;
        s.clock.set(datetime!(2026-02-05 03:00 UTC));
        let ppid = s.token("ppid@a.id").await;
        let test = s.decided_test(&ppid, &["17h"], "188/7/PPID/2026").await;
        let refusal = json!({"outcome": "rejected_exempt", "grounds": ["17h"], "note": "Rahasia pribadi", "consequence_test": test});
        assert_eq!(
            s.post(
                &format!("/requests/{number}/decision"),
                &refusal,
                Some(&ppid)
            )
            .await
            .0,
            200
        );
        s.clock.set(datetime!(2026-02-09 03:00 UTC));
        let objection = s.object(&number, &code, &["a"], "Bukan data pribadi").await;
        // Ground a cannot be settled by deliberation.
        let atasan = s.token("atasan@a.id").await;
        let (status, err) = s
            .post(
                &format!("/objections/{objection}/settle"),
                &json!({"note": "BA musyawarah"}),
                Some(&atasan),
            )
            .await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (409, Some("objection.not_settleable"))
        );
        // A dispute cannot be recorded while the atasan is still within time.
        let ppid = s.token("ppid@a.id").await;
        let filed =
            json!({"on": "2026-02-09", "commission": "Komisi Informasi Provinsi Jawa Tengah"});
        let (status, err) = s
            .post(
                &format!("/objections/{objection}/dispute/filed"),
                &filed,
                Some(&ppid),
            )
            .await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (409, Some("dispute.objection_still_open")),
            "{}",
            s.name
        );

        s.clock.set(datetime!(2026-02-20 03:00 UTC));
        let atasan = s.token("atasan@a.id").await;
        let (status, d) = s
            .post(
                &format!("/objections/{objection}/decision"),
                &json!({"outcome": "dismissed", "note": "Penolakan PPID sudah tepat."}),
                Some(&atasan),
            )
            .await;
        assert_eq!((status, d["status"].as_str()), (200, Some("dismissed")));
        // Dismissed: the request is not reopened.
        let (_, req) = s
            .get(&format!("/requests/{number}?code={code}"), None)
            .await;
        assert_eq!(req["status"], "decided");

        s.clock.set(datetime!(2026-08-31 03:00 UTC));
        let ppid = s.token("ppid@a.id").await;
        let step = |name: &str| format!("/objections/{objection}/dispute/{name}");
        let (status, v) = s
            .post(
                &step("filed"),
                &json!({"on": "2026-03-02", "commission": "Komisi Informasi Provinsi Jawa Tengah"}),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 200, "{}: {v}", s.name);
        assert_eq!(v["status"], "disputed");
        assert_eq!(v["dispute"]["status"], "filed");
        // KI must start within 14 WD and finish within 100 WD of the application.
        assert_eq!(v["dispute"]["deadlines"]["ki_start_by"], "2026-03-27");
        let cal = lentera_domain::WorkingCalendar::national_default(
            &lentera_domain::NationalCalendar::shipped().expect("calendar"),
        );
        assert_eq!(
            v["dispute"]["deadlines"]["ki_finish_by"],
            cal.add_working_days(date!(2026 - 03 - 02), 100)
                .expect("in range")
                .to_string()
        );
        assert_eq!(
            s.post(
                &step("filed"),
                &json!({"on": "2026-03-02", "commission": "KI"}),
                Some(&ppid)
            )
            .await
            .0,
            409
        );

        for (name, body) in [
            (
                "registered",
                json!({"on": "2026-03-04", "ki_number": "012/REG-PSI/III/2026"}),
            ),
            (
                "session",
                json!({"on": "2026-03-16", "stage": "mediation", "note": "Mediasi pertama"}),
            ),
            ("mediation_failed", json!({"on": "2026-03-30"})),
            (
                "session",
                json!({"on": "2026-04-13", "stage": "adjudication", "note": "Pemeriksaan para pihak"}),
            ),
            (
                "ruled",
                json!({"on": "2026-05-04", "received_on": "2026-05-06", "ruling": "granted", "number": "012/PTS-A/KIP-JTG/2026"}),
            ),
        ] {
            let (status, v) = s.post(&step(name), &body, Some(&ppid)).await;
            assert_eq!(status, 200, "{}: {name}: {v}", s.name);
        }
        let (_, v) = s
            .get(&format!("/objections/{objection}/officer"), Some(&ppid))
            .await;
        assert_eq!(v["dispute"]["status"], "ruled");
        // 14 WD after the decision was received to take it to court.
        assert_eq!(
            v["dispute"]["deadlines"]["appeal_by"],
            cal.add_working_days(date!(2026 - 05 - 06), 14)
                .expect("in range")
                .to_string()
        );
        // A step dated before the last one is refused.
        assert_eq!(
            s.post(&step("final"), &json!({"on": "2026-04-01"}), Some(&ppid))
                .await
                .0,
            409
        );
        // Nothing in the future.
        assert_eq!(
            s.post(&step("final"), &json!({"on": "2026-12-01"}), Some(&ppid))
                .await
                .0,
            422
        );
        for (name, body) in [
            ("final", json!({"on": "2026-05-27"})),
            (
                "complied",
                json!({"on": "2026-06-03", "evidence": "Salinan informasi diserahkan kepada pemohon"}),
            ),
        ] {
            let (status, v) = s.post(&step(name), &body, Some(&ppid)).await;
            assert_eq!(status, 200, "{}: {name}: {v}", s.name);
        }
        let (_, v) = s
            .get(&format!("/objections/{objection}?code={code}"), None)
            .await;
        assert_eq!(v["dispute"]["status"], "complied", "{}", s.name);
        let kinds: Vec<&str> = v["dispute"]["events"]
            .as_array()
            .expect("events")
            .iter()
            .filter_map(|e| e["kind"].as_str())
            .collect();
        assert_eq!(kinds.len(), 8);

        // The dossier: one PDF with the chain from request to ruling.
        let r = s
            .http
            .get(format!("{}/objections/{objection}/dossier.pdf", s.base))
            .bearer_auth(&ppid)
            .send()
            .await
            .expect("dossier");
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        let pdf = r.bytes().await.expect("bytes");
        assert!(pdf.starts_with(b"%PDF-1."));
        if let Some(text) = pdftotext(&pdf) {
            for needle in [
                number.as_str(),
                objection.as_str(),
                "012/REG-PSI/III/2026",
                "Berkas Sengketa Informasi Publik",
                "Halaman 1 dari",
            ] {
                assert!(
                    text.contains(needle),
                    "{needle} missing from the dossier: {text}"
                );
            }
        }
        let other = s.token("ppid@b.id").await;
        assert_eq!(
            s.http
                .get(format!("{}/objections/{objection}/dossier.pdf", s.base))
                .bearer_auth(&other)
                .send()
                .await
                .expect("x")
                .status()
                .as_u16(),
            403
        );
    }
}

/// Text of a PDF through poppler's `pdftotext`, when installed (CI installs it).
fn pdftotext(pdf: &[u8]) -> Option<String> {
    let path = std::env::temp_dir().join(format!(
        "lentera-dossier-{}.pdf",
        uuid::Uuid::now_v7().simple()
    ));
    std::fs::write(&path, pdf).ok()?;
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output();
    let _ = std::fs::remove_file(&path);
    match out {
        Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
        _ => {
            assert!(std::env::var("CI").is_err(), "pdftotext is required in CI");
            eprintln!("NOTE: pdftotext not installed; dossier text not checked");
            None
        }
    }
}

/// Issue 19: the atasan PPID's objection workspace. The queue lists the objection by its due
/// date with the grounds in words; its page shows the statement, the notice appealed against,
/// the deadline's basis and the dossier; the answer is checked and shown before it takes effect,
/// a refused answer comes back as typed, and only the confirmation writes it.
#[tokio::test]
async fn the_superior_answers_an_objection_from_its_own_workspace() {
    use crate::browser::hidden;
    use crate::pages::sign_in;
    for s in servers().await {
        let ppid = s.token("ppid@a.id").await;
        let (number, code) = s.submit("kab-a").await;
        let (status, v) = s
            .post(
                &format!("/requests/{number}/decision"),
                &json!({"outcome": "not_documented", "note": "Dokumen belum disusun tahun ini."}),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 200, "{}: {v}", s.name);
        let objection = s
            .object(
                &number,
                &code,
                &["b"],
                "Laporan berkala wajib tersedia setiap tahun.",
            )
            .await;

        let (mut b, _) = sign_in(&s, "atasan@a.id").await;
        let home = b.get("/kantor").await;
        assert!(
            home.body.contains(r#"<a href="/kantor/keberatan">"#),
            "{}: the menu leads to the objections",
            s.name
        );
        let queue = b.get("/kantor/keberatan").await;
        assert_eq!(queue.status, 200, "{}", s.name);
        assert!(
            queue
                .body
                .contains(&format!(r#"href="/kantor/keberatan/{objection}""#)),
            "{}: the objection number is a link",
            s.name
        );
        assert!(
            queue
                .body
                .contains("b. Tidak disediakannya informasi berkala")
        );

        let page = b.get(&format!("/kantor/keberatan/{objection}")).await;
        assert_eq!(page.status, 200, "{}", s.name);
        for text in [
            "Laporan berkala wajib tersedia setiap tahun.",
            "Dokumen belum disusun tahun ini.",
            "Pasal 36 ayat 2",
            &format!("/kantor/keberatan/{objection}/berkas.pdf"),
        ] {
            assert!(page.body.contains(text), "{}: missing {text:?}", s.name);
        }
        let csrf = hidden(&page.body, "csrf");
        let decide = format!("/kantor/keberatan/{objection}/putusan");

        // No answer written: refused before any confirmation, the choice kept.
        let r = b
            .post(
                &decide,
                &[("csrf", &csrf), ("outcome", "dismissed"), ("note", " ")],
            )
            .await;
        assert_eq!(r.status, 422, "{}", s.name);
        assert!(r.body.contains(r#"<option value="dismissed" selected>"#));
        // The answer is shown with what follows, and nothing is written yet.
        let answer = "Informasi berkala wajib disediakan; PPID menyusunnya.";
        let r = b
            .post(
                &decide,
                &[("csrf", &csrf), ("outcome", "upheld"), ("note", answer)],
            )
            .await;
        assert_eq!(r.status, 200, "{}", s.name);
        assert!(r.body.contains("Ya, tetapkan tanggapan"), "{}", s.name);
        assert!(r.body.contains("dibuka kembali"), "{}", s.name);
        let (_, o) = s
            .get(&format!("/objections/{objection}?code={code}"), None)
            .await;
        assert_eq!(
            o["status"], "received",
            "{}: written before confirmation",
            s.name
        );
        // Back to change it: the text comes back as typed.
        let r = b
            .post(
                &decide,
                &[
                    ("csrf", &csrf),
                    ("edit", "1"),
                    ("outcome", "upheld"),
                    ("note", answer),
                ],
            )
            .await;
        assert!(r.body.contains(answer), "{}: the answer was lost", s.name);
        // Confirmed: written, and the request is reopened.
        let r = b
            .post(
                &decide,
                &[
                    ("csrf", &csrf),
                    ("confirm", "1"),
                    ("outcome", "upheld"),
                    ("note", answer),
                ],
            )
            .await;
        assert_eq!(
            (r.status, r.location.as_deref()),
            (
                303,
                Some(format!("/kantor/keberatan/{objection}?ok=decided").as_str())
            ),
            "{}",
            s.name
        );
        let (_, o) = s
            .get(&format!("/objections/{objection}?code={code}"), None)
            .await;
        assert_eq!(o["status"], "upheld", "{}", s.name);
        let (_, t) = s
            .get(&format!("/requests/{number}?code={code}"), None)
            .await;
        assert_eq!(t["status"], "in_progress", "{}: reopened", s.name);

        // Another body's officer reads nothing of it; a viewer has no menu entry.
        let (mut other, _) = sign_in(&s, "ppid@b.id").await;
        let r = other.get(&format!("/kantor/keberatan/{objection}")).await;
        assert!(
            r.status == 403 || r.status == 404,
            "{}: {}",
            s.name,
            r.status
        );
        assert!(
            !other
                .get("/kantor/keberatan")
                .await
                .body
                .contains(&objection)
        );
        let (mut viewer, _) = sign_in(&s, "viewer@a.id").await;
        assert!(
            !viewer
                .get("/kantor")
                .await
                .body
                .contains(r#"<a href="/kantor/keberatan">"#)
        );
    }
}
