//! The JSON API v1, public side: submit, track, extend and decide a request; refusals of bad
//! input, unknown numbers and repeated idempotency keys.

use serde_json::{Value, json};
use time::macros::datetime;

use crate::common::{NIK, servers, submission};

#[tokio::test]
async fn submit_track_extend_decide_track() {
    for s in servers().await {
        let (status, receipt) = s.post("/requests", &submission("kab-a"), None).await;
        assert_eq!(status, 201, "{}", s.name);
        assert_eq!(receipt["status"], "received");
        assert_eq!(receipt["received_on"], "2026-02-02");
        // Isra Mikraj is in January; CB Imlek 16 Feb and Imlek 17 Feb are skipped.
        assert_eq!(receipt["due_on"], "2026-02-18", "{}", s.name);
        let number = receipt["number"].as_str().expect("number").to_owned();
        let code = receipt["tracking_code"].as_str().expect("code").to_owned();

        let (status, view) = s
            .get(&format!("/requests/{number}?code={code}"), None)
            .await;
        assert_eq!(status, 200);
        assert_eq!(view["status"], "received");
        assert_eq!(view["extended"], false);
        assert_eq!(view["decision"], Value::Null);
        assert_eq!(view["events"][0]["kind"], "received");
        assert!(view["events"][0]["at"].as_str().expect("at").ends_with('Z'));

        s.clock.set(datetime!(2026-02-13 03:00 UTC));
        let token = s.token("ppid@a.id").await;
        let (status, view) = s
            .post(
                &format!("/requests/{number}/extension"),
                &json!({"reason": "Informasi dihimpun dari unit"}),
                Some(&token),
            )
            .await;
        assert_eq!(status, 200, "{}: {view}", s.name);
        assert_eq!(view["due_on"], "2026-02-27");
        assert_eq!(view["extended"], true);
        assert_eq!(view["status"], "extended");
        let (status, err) = s
            .post(
                &format!("/requests/{number}/extension"),
                &json!({"reason": "lagi"}),
                Some(&token),
            )
            .await;
        assert_eq!(status, 409);
        assert_eq!(err["error"]["code"], "request.already_extended");

        s.clock.set(datetime!(2026-02-25 03:00 UTC));
        let token = s.token("ppid@a.id").await;
        let decision = json!({"outcome": "partially_granted", "grounds": ["17h"], "consequence_test": null, "note": "Data pribadi dihitamkan"});
        let (status, view) = s
            .post(
                &format!("/requests/{number}/decision"),
                &decision,
                Some(&token),
            )
            .await;
        assert_eq!(status, 200, "{}: {view}", s.name);

        let (status, view) = s
            .get(&format!("/requests/{number}?code={code}"), None)
            .await;
        assert_eq!(status, 200);
        assert_eq!(view["status"], "decided");
        assert_eq!(view["decision"]["outcome"], "partially_granted");
        assert_eq!(view["decision"]["decided_on"], "2026-02-25");
        assert_eq!(view["decision"]["grounds"], json!(["17h"]));
        let kinds: Vec<&str> = view["events"]
            .as_array()
            .expect("events")
            .iter()
            .filter_map(|e| e["kind"].as_str())
            .collect();
        assert_eq!(kinds, vec!["received", "extended", "decided"]);
        let text = view.to_string();
        assert!(
            !text.contains(NIK) && !text.contains("Siti"),
            "identity data in the public view: {text}"
        );
        // A decided request cannot be decided again.
        let (status, _) = s
            .post(
                &format!("/requests/{number}/decision"),
                &decision,
                Some(&token),
            )
            .await;
        assert_eq!(status, 409);
    }
}

#[tokio::test]
async fn extension_after_the_due_date_is_refused() {
    for s in servers().await {
        let (number, _) = s.submit("kab-a").await;
        s.clock.set(datetime!(2026-02-19 03:00 UTC));
        let token = s.token("ppid@a.id").await;
        let (status, err) = s
            .post(
                &format!("/requests/{number}/extension"),
                &json!({"reason": "terlambat"}),
                Some(&token),
            )
            .await;
        assert_eq!(status, 409, "{}: {err}", s.name);
        assert_eq!(err["error"]["code"], "request.extension_past_due");
        // Overdue is computed, not stored: the queue shows it.
        let (_, cases) = s.get("/cases", Some(&token)).await;
        assert_eq!(cases[0]["overdue"], true, "{}", s.name);
        assert_eq!(cases[0]["working_days_left"], -1);
    }
}

#[tokio::test]
async fn unknown_number_and_wrong_code_answer_identically() {
    for s in servers().await {
        let (number, _) = s.submit("kab-a").await;
        let a = s
            .get(&format!("/requests/{number}?code=AAAA-BBBB-CCCC"), None)
            .await;
        let b = s
            .get(
                "/requests/0999-PPID-KAB-A-02-2026?code=AAAA-BBBB-CCCC",
                None,
            )
            .await;
        let c = s.get(&format!("/requests/{number}"), None).await;
        assert_eq!(a.0, 404);
        assert_eq!(a, b, "{}", s.name);
        assert_eq!(a, c);
    }
}

#[tokio::test]
async fn bad_input_gets_400_422_413_and_stores_nothing() {
    for s in servers().await {
        let raw = |body: &'static str| {
            let http = s.http.clone();
            let url = format!("{}/requests", s.base);
            async move {
                let r = http
                    .post(url)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .expect("send");
                (
                    r.status().as_u16(),
                    r.json::<Value>().await.unwrap_or(Value::Null),
                )
            }
        };
        let (status, err) = raw("{\"body\": ").await;
        assert_eq!(status, 400);
        assert_eq!(err["error"]["code"], "request.malformed_json");
        assert_eq!(raw("").await.0, 400);

        let mut bad = submission("kab-a");
        bad["applicant"]["id_number"] = json!("12345");
        bad["obtain"] = json!("telepati");
        bad["information"] = json!("");
        bad["applicant"]["name"] = json!(["not", "a", "name"]);
        let (status, err) = s.post("/requests", &bad, None).await;
        assert_eq!(status, 422, "{}: {err}", s.name);
        let fields = err["error"]["fields"].as_object().expect("fields");
        for f in [
            "applicant.id_number",
            "obtain",
            "information",
            "applicant.name",
        ] {
            assert!(fields.contains_key(f), "{f} not listed: {err}");
        }
        assert_eq!(fields["applicant.id_number"], json!(["nik_16_digits"]));

        let mut unknown = submission("kab-zz");
        unknown["purpose"] = json!(null);
        let (status, err) = s.post("/requests", &unknown, None).await;
        assert_eq!(status, 422);
        assert_eq!(err["error"]["fields"]["body"], json!(["unknown_body"]));
        assert!(err["error"]["fields"]["purpose"].is_array());

        let big = json!({"information": "x".repeat(1_100_000)});
        let (status, err) = s.post("/requests", &big, None).await;
        assert_eq!(status, 413, "{}: {err}", s.name);
        assert_eq!(
            s.count_requests().await,
            0,
            "{}: something was stored",
            s.name
        );
    }
}

#[tokio::test]
async fn the_same_idempotency_key_stores_one_request() {
    for s in servers().await {
        let send = || {
            s.http
                .post(format!("{}/requests", s.base))
                .header("idempotency-key", "form-7f3a")
                .json(&submission("kab-a"))
                .send()
        };
        let first = send().await.expect("send");
        assert_eq!(first.status().as_u16(), 201);
        let first: Value = first.json().await.expect("json");
        let second = send().await.expect("send");
        assert_eq!(second.status().as_u16(), 200, "{}", s.name);
        let second: Value = second.json().await.expect("json");
        assert_eq!(first["number"], second["number"]);
        assert_eq!(s.count_requests().await, 1);
        // Issue 15, finding 5: someone else's key with another payload gets neither the
        // number nor the tracking code of the first request.
        let mut other = submission("kab-a");
        other["information"] = json!("Daftar aset tanah pemerintah daerah");
        let third = s
            .http
            .post(format!("{}/requests", s.base))
            .header("idempotency-key", "form-7f3a")
            .json(&other)
            .send()
            .await
            .expect("send");
        assert_eq!(third.status().as_u16(), 422, "{}", s.name);
        let third: Value = third.json().await.expect("json");
        assert!(
            third.get("number").is_none() && third.get("tracking_code").is_none(),
            "{third}"
        );
        assert_eq!(
            third["error"]["fields"]["idempotency_key"][0],
            "used_for_other_content"
        );
        assert_eq!(s.count_requests().await, 1);
    }
}
