use serde_json::{Value, json};
use time::macros::datetime;

use crate::common::{self, NIK, servers, submission};

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

#[tokio::test]
async fn officers_see_only_their_body_and_units_only_what_is_routed() {
    for s in servers().await {
        let (number, _) = s.submit("kab-a").await;
        let (other, _) = s.submit("kab-b").await;
        let a = s.token("ppid@a.id").await;
        let b = s.token("ppid@b.id").await;
        let unit = s.token("dinkes@a.id").await;
        let other_unit = s.token("disdik@a.id").await;
        let viewer = s.token("viewer@a.id").await;
        let admin = s.token("admin@a.id").await;

        let (_, cases) = s.get("/cases", Some(&a)).await;
        let numbers: Vec<&str> = cases
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|c| c["number"].as_str())
            .collect();
        assert_eq!(numbers, vec![number.as_str()], "{}", s.name);
        let (status, _) = s
            .post(
                &format!("/requests/{number}/extension"),
                &json!({"reason": "x"}),
                Some(&b),
            )
            .await;
        assert_eq!(status, 403);
        let (status, _) = s.get(&format!("/cases/{number}"), Some(&b)).await;
        assert_eq!(status, 403);
        let (status, _) = s.get("/cases?body=kab-b", Some(&a)).await;
        assert_eq!(status, 403);
        let (status, _) = s
            .post(
                &format!("/requests/{number}/extension"),
                &json!({"reason": "x"}),
                Some(&viewer),
            )
            .await;
        assert_eq!(status, 403);

        // Nothing routed yet: the unit's queue is empty and it may not act.
        let (_, cases) = s.get("/cases", Some(&unit)).await;
        assert_eq!(cases, json!([]));
        let (status, view) = s
            .post(
                &format!("/requests/{number}/route"),
                &json!({"unit": "kab-a-dinkes"}),
                Some(&a),
            )
            .await;
        assert_eq!(status, 200, "{view}");
        assert_eq!(view["status"], "in_progress");
        let (_, cases) = s.get("/cases", Some(&unit)).await;
        assert_eq!(cases[0]["number"], number.as_str(), "{}", s.name);
        assert_eq!(cases[0]["unit"], "kab-a-dinkes");
        let (status, _) = s.get(&format!("/cases/{number}"), Some(&other_unit)).await;
        assert_eq!(status, 403);
        // Routing to another body's unit is refused.
        let (status, err) = s
            .post(
                &format!("/requests/{other}/route"),
                &json!({"unit": "kab-a-dinkes"}),
                Some(&b),
            )
            .await;
        assert_eq!(status, 422, "{err}");

        // The case page shows the applicant with the NIK masked; the full NIK is audited.
        let (status, case) = s.get(&format!("/cases/{number}"), Some(&a)).await;
        assert_eq!(status, 200);
        assert_eq!(case["applicant"]["id_number_masked"], "************0007");
        assert!(!case.to_string().contains(NIK));
        let (status, id) = s.get(&format!("/cases/{number}/identity"), Some(&a)).await;
        assert_eq!((status, id["id_number"].as_str()), (200, Some(NIK)));
        assert_eq!(
            lentera_app::testing::store::audit::count_for(&s.app.db, "request", &number)
                .await
                .expect("audit"),
            1
        );
        let (status, _) = s
            .get(&format!("/cases/{number}/identity"), Some(&viewer))
            .await;
        assert_eq!(status, 403);

        // Admins see every body but do not handle cases.
        let (_, all) = s.get("/cases", Some(&admin)).await;
        assert_eq!(all.as_array().map(Vec::len), Some(2));
        let (status, _) = s
            .post(
                &format!("/requests/{other}/decision"),
                &json!({"outcome": "granted"}),
                Some(&admin),
            )
            .await;
        assert_eq!(status, 403);
    }
}

#[tokio::test]
async fn officer_intake_records_the_real_receipt_date_and_channel() {
    for s in servers().await {
        let token = s.token("ppid@a.id").await;
        let mut body = submission("kab-a");
        body["received_on"] = json!("2026-01-27");
        body["channel"] = json!("post");
        let (status, r) = s.post("/requests", &body, Some(&token)).await;
        assert_eq!(status, 201, "{}: {r}", s.name);
        assert_eq!(r["received_on"], "2026-01-27");
        assert_eq!(r["due_on"], "2026-02-10");
        body["received_on"] = json!("2026-03-01");
        let (status, err) = s.post("/requests", &body, Some(&token)).await;
        assert_eq!(status, 422);
        assert_eq!(
            err["error"]["fields"]["received_on"],
            json!(["in_the_future"])
        );
        // The same fields from an anonymous requester are ignored: the clock starts today.
        body["received_on"] = json!("2026-01-27");
        let (_, r) = s.post("/requests", &body, None).await;
        assert_eq!(r["received_on"], "2026-02-02");
        // Another body's officer may not enter requests for kab-a.
        let b = s.token("ppid@b.id").await;
        let (status, _) = s.post("/requests", &body, Some(&b)).await;
        assert_eq!(status, 403);
    }
}

#[tokio::test]
async fn full_lifecycle_through_delivery_and_withdrawal() {
    for s in servers().await {
        let token = s.token("ppid@a.id").await;
        let (number, code) = s.submit("kab-a").await;
        let path = |a: &str| format!("/requests/{number}/{a}");
        assert_eq!(
            s.post(&path("verify"), &json!({}), Some(&token)).await.0,
            200
        );
        let (status, v) = s
            .post(
                &path("decision"),
                &json!({"outcome": "granted", "note": "Terlampir"}),
                Some(&token),
            )
            .await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(
            s.post(&path("close"), &json!({}), Some(&token)).await.0,
            409,
            "a grant is closed after delivery"
        );
        assert_eq!(
            s.post(&path("delivery"), &json!({"note": "surel"}), Some(&token))
                .await
                .0,
            200
        );
        let (status, v) = s.post(&path("close"), &json!({}), Some(&token)).await;
        assert_eq!((status, v["status"].as_str()), (200, Some("closed")));
        // Withdrawing a closed request is refused; an open one can be withdrawn with its code.
        assert_eq!(
            s.post(
                &format!("/requests/{number}/withdraw?code={code}"),
                &json!({}),
                None
            )
            .await
            .0,
            409
        );
        let (n2, c2) = s.submit("kab-a").await;
        assert_eq!(
            s.post(
                &format!("/requests/{n2}/withdraw?code=WRONG"),
                &json!({}),
                None
            )
            .await
            .0,
            404
        );
        let (status, v) = s
            .post(
                &format!("/requests/{n2}/withdraw?code={c2}"),
                &json!({"reason": "sudah dapat"}),
                None,
            )
            .await;
        assert_eq!(
            (status, v["status"].as_str()),
            (200, Some("withdrawn")),
            "{}",
            s.name
        );
    }
}

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

#[tokio::test]
async fn sign_in_locks_after_repeated_failures() {
    for s in servers().await {
        for _ in 0..5 {
            let (status, err) = s
                .post(
                    "/auth/token",
                    &json!({"email": "ppid@a.id", "password": "salah"}),
                    None,
                )
                .await;
            assert_eq!(status, 401);
            assert_eq!(err["error"]["code"], "auth.invalid_credentials");
        }
        let (status, err) = s
            .post(
                "/auth/token",
                &json!({"email": "ppid@a.id", "password": common::PASSWORD}),
                None,
            )
            .await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (401, Some("auth.locked")),
            "{}",
            s.name
        );
        // The lock is the address's, not the account's: the officer at another desk (another
        // address, named by the trusted proxy) still signs in.
        let from = |ip: &'static str, email: &'static str, password: &'static str| {
            let req = s
                .http
                .post(format!("{}/auth/token", s.base))
                .header("x-forwarded-for", ip)
                .json(&json!({"email": email, "password": password}));
            async move {
                let r = req.send().await.expect("send");
                let status = r.status().as_u16();
                let v: serde_json::Value = r.json().await.unwrap_or_default();
                (status, v["error"]["code"].as_str().unwrap_or("").to_owned())
            }
        };
        assert_eq!(
            from("198.51.100.20", "ppid@a.id", common::PASSWORD).await.0,
            200,
            "{}: locked out by someone else's guesses",
            s.name
        );
        // An account that does not exist locks the same way: the lock reveals nothing.
        for _ in 0..5 {
            assert_eq!(
                from("198.51.100.30", "nobody@a.id", "x").await,
                (401, "auth.invalid_credentials".to_owned())
            );
        }
        assert_eq!(
            from("198.51.100.30", "nobody@a.id", "x").await,
            (401, "auth.locked".to_owned()),
            "{}",
            s.name
        );
        assert_eq!(s.get("/cases", Some("lnt_forged")).await.0, 401);
        assert_eq!(s.get("/cases", None).await.0, 401);
        // After the lock-out period the right password works again.
        s.clock.set(datetime!(2026-02-02 03:20 UTC));
        assert_eq!(
            s.post(
                "/auth/token",
                &json!({"email": "ppid@a.id", "password": common::PASSWORD}),
                None
            )
            .await
            .0,
            200
        );
    }
}

#[tokio::test]
async fn health_bodies_and_openapi() {
    for s in servers().await {
        let (status, h) = s.get("/health", None).await;
        assert_eq!((status, h["status"].as_str()), (200, Some("ok")));
        assert!(h["version"].is_string());
        let (_, bodies) = s.get("/bodies", None).await;
        let unit = bodies
            .as_array()
            .expect("list")
            .iter()
            .find(|b| b["slug"] == "kab-a-dinkes")
            .expect("unit listed")
            .clone();
        assert_eq!(
            unit,
            json!({"slug": "kab-a-dinkes", "name": "Badan kab-a-dinkes", "parent": "kab-a", "kind": "unit"})
        );
        let (status, doc) = s.get("/openapi.json", None).await;
        assert_eq!(status, 200);
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(s.get("/no-such-thing", None).await.0, 404);
    }
}

/// The `(METHOD, path)` pairs of the API router, read from its source (`api_router` in
/// `web/src/lib.rs`), so that a route added there without its OpenAPI entry fails below.
fn routed_operations() -> Vec<(String, String)> {
    let src = include_str!("../../src/lib.rs");
    let start = src.find("fn api_router()").expect("api_router in lib.rs");
    let body = &src[start..];
    let body = &body[..body.find("\n}\n").expect("end of api_router")];
    let mut out = Vec::new();
    for (path, handlers) in crate::common::routes_in(body) {
        if path.contains("{*") {
            continue; // the API's own 404 for every other path
        }
        for method in ["get", "post", "put", "delete", "patch"] {
            let called = handlers
                .match_indices(&format!("{method}("))
                .any(|(i, _)| i == 0 || !handlers.as_bytes()[i - 1].is_ascii_alphanumeric());
            if called {
                out.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_route_is_documented_and_every_documented_path_is_routed() {
    let mut documented = lentera_web::openapi::operations();
    documented.sort();
    let routed = routed_operations();
    assert!(routed.len() >= 50, "routes read: {routed:?}");
    assert_eq!(documented, routed);
}

/// The source reading above is the router's truth only if the router answers each of them:
/// every documented operation reaches a handler (not the API's fallback 404, not a 405).
#[tokio::test]
async fn every_documented_operation_reaches_a_handler() {
    let s = &servers().await[0];
    let http = reqwest::Client::new();
    for (method, path) in lentera_web::openapi::operations() {
        let url = format!(
            "{}{}",
            s.base.trim_end_matches("/api/v1"),
            path.replace("{number}", "0001-PPID-X-01-2026")
                .replace("{id}", "0190d4a2-6f1e-7000-8000-000000000001")
                .replace("{action}", "withdraw")
                .replace("{step}", "answer")
        );
        let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let r = http
            .request(m, &url)
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .expect("send");
        let status = r.status().as_u16();
        let text = r.text().await.unwrap_or_default();
        assert_ne!(status, 405, "{method} {path}: not routed for this method");
        assert!(
            !(status == 404 && text.contains("\"not_found\"")),
            "{method} {path}: fell through to the API's fallback: {text}"
        );
    }
}

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
