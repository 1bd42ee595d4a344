//! The JSON API v1 for officers: what each sees, intake with the real receipt, the whole
//! lifecycle to delivery and withdrawal, and the sign-in lock.

use serde_json::json;
use time::macros::datetime;

use crate::common::{self, NIK, servers, submission};

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
