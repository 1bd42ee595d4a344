use crate::common::{NIK, servers};
use serde_json::json;

/// The identity number never reaches the database in plain text (nor its WAL).
#[tokio::test]
async fn nik_is_encrypted_at_rest() {
    for s in servers().await {
        let (number, _) = s.submit("kab-a").await;
        if let Some(dir) = &s.dir {
            let mut found = false;
            for entry in std::fs::read_dir(dir).expect("dir").flatten() {
                let bytes = std::fs::read(entry.path()).expect("read");
                found |= bytes.windows(NIK.len()).any(|w| w == NIK.as_bytes());
            }
            assert!(!found, "plain NIK found in the SQLite files");
        }
        let row: (Vec<u8>, String) = lentera_app::testing::store::with_conn!(s.app.db.read(), |pool| {
            sqlx::query_as("SELECT a.id_number_enc, a.id_number_last4 FROM applicants a JOIN requests r ON r.applicant_id = a.id WHERE r.number = $1")
                .bind(&number)
                .fetch_one(pool)
                .await
        })
        .expect("row");
        assert!(
            !row.0.windows(NIK.len()).any(|w| w == NIK.as_bytes()),
            "{}",
            s.name
        );
        assert_eq!(row.1, "0007");
    }
}

#[tokio::test]
async fn responses_carry_security_headers() {
    for s in servers().await {
        let r = s
            .http
            .get(format!("{}/health", s.base))
            .send()
            .await
            .expect("send");
        assert_eq!(r.headers()["x-content-type-options"], "nosniff");
        assert_eq!(r.headers()["x-frame-options"], "DENY");
        assert!(r.headers().contains_key("content-security-policy"));
    }
}

/// Guessing tracking codes stops after 30 failures from one address.
#[tokio::test]
async fn guessing_tracking_codes_is_braked() {
    for s in servers().await {
        let (number, code) = s.submit("kab-a").await;
        for i in 0..30 {
            let (status, _) = s
                .get(&format!("/requests/{number}?code=GUESS-{i:04}"), None)
                .await;
            assert_eq!(status, 404, "{}", s.name);
        }
        let (status, err) = s
            .get(&format!("/requests/{number}?code={code}"), None)
            .await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (429, Some("rate.limited")),
            "{}",
            s.name
        );
    }
}

/// Issue 15, findings 5 and 6: the language switch sends a browser back only to a path of this
/// site: never to another host through a backslash or a tab, never a 500 for a CR/LF.
#[tokio::test]
async fn the_language_switch_never_redirects_off_site() {
    let s = crate::common::servers().await.remove(0);
    let root = s.base.trim_end_matches("/api/v1").to_owned();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    for (back, expected) in [
        ("/%5Cevil.example", "/"),
        ("/%09/evil.example", "/"),
        ("/%5C%5Cevil.example", "/"),
        ("//evil.example", "/"),
        ("https://evil.example", "/"),
        ("/lacak%0D%0ASet-Cookie:%20x=1", "/"),
        ("/b/kab-a", "/b/kab-a"),
    ] {
        let r = http
            .get(format!("{root}/bahasa/en?kembali={back}"))
            .send()
            .await
            .expect("send");
        assert!(r.status().is_redirection(), "{back}: {}", r.status());
        let location = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert_eq!(location, expected, "{back}");
    }
}

/// Issue 15, finding 6: back-office pages (a revealed NIK among them) are never stored by a
/// cache; public pages stay revalidated.
#[tokio::test]
async fn back_office_pages_are_not_stored() {
    let s = crate::common::servers().await.remove(0);
    let root = s.base.trim_end_matches("/api/v1").to_owned();
    let office = s
        .http
        .get(format!("{root}/kantor/masuk"))
        .send()
        .await
        .expect("send");
    assert_eq!(office.headers()["cache-control"], "no-store");
    let public = s.http.get(format!("{root}/")).send().await.expect("send");
    assert_eq!(public.headers()["cache-control"], "no-cache");
}

/// Issue 15, finding 3: a unit officer files walk-in requests for its own body only, not
/// (back-dated or not) into another body.
#[tokio::test]
async fn a_unit_officer_cannot_file_into_another_body() {
    for s in crate::common::servers().await {
        let unit = s.token("dinkes@a.id").await;
        let mut walk_in = crate::common::submission("kab-b");
        walk_in["channel"] = serde_json::json!("in_person");
        walk_in["received_on"] = serde_json::json!("2026-01-20");
        let before = s.count_requests().await;
        let (status, body) = s.post("/requests", &walk_in, Some(&unit)).await;
        assert_eq!(status, 403, "{}: {body}", s.name);
        assert_eq!(s.count_requests().await, before, "{}", s.name);
        walk_in["body"] = serde_json::json!("kab-a");
        let (status, body) = s.post("/requests", &walk_in, Some(&unit)).await;
        assert_eq!(status, 201, "{}: its own body still works: {body}", s.name);
    }
}

/// Issue 15, finding 3: the role `ppid` (or atasan, viewer) is refused on a unit body.
#[tokio::test]
async fn a_unit_body_takes_only_unit_officers() {
    let s = crate::common::servers().await.remove(0);
    let refused = s
        .app
        .create_user(&lentera_app::auth::NewUser {
            email: "ppid-di-unit@a.id".into(),
            display_name: None,
            role: "ppid".into(),
            body: "kab-a-dinkes".into(),
            password: crate::common::PASSWORD.into(),
        })
        .await;
    match refused {
        Err(lentera_app::AppError::Invalid(f)) => assert!(f.has("role"), "{f:?}"),
        other => panic!("a PPID on a unit was accepted: {other:?}"),
    }
}

/// Issue 15, finding 6: an upload over the limit is answered in the API's JSON error shape,
/// not a bare text 413.
#[tokio::test]
async fn an_oversized_upload_is_a_json_413() {
    let s = crate::common::servers().await.remove(0);
    let token = s.token("ppid@a.id").await;
    let r = s
        .http
        .post(format!("{}/documents", s.base))
        .bearer_auth(&token)
        .header("content-type", "application/pdf")
        .body(vec![b'%'; 21 * 1024 * 1024])
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 413);
    let v: serde_json::Value = r.json().await.expect("a JSON body");
    assert_eq!(v["error"]["code"], "request.too_large");
}

/// Issue 15, finding 5: a volume brake on public submissions per client address
/// (`LENTERA_RATE_SUBMIT_PER_MIN`), on the API and the web form alike; other addresses and
/// officers entering paper requests are not slowed.
#[tokio::test]
async fn submissions_are_braked_per_address_and_minute() {
    let web = lentera_web::WebConfig {
        submit_per_min: 3,
        ..crate::common::test_web()
    };
    for s in crate::common::servers_with(web).await {
        let post = |ip: &'static str| {
            let req = s
                .http
                .post(format!("{}/requests", s.base))
                .header("x-forwarded-for", ip)
                .json(&crate::common::submission("kab-a"));
            async move {
                let r = req.send().await.expect("send");
                let status = r.status().as_u16();
                let v: serde_json::Value = r.json().await.unwrap_or_default();
                (status, v["error"]["code"].as_str().unwrap_or("").to_owned())
            }
        };
        for _ in 0..3 {
            assert_eq!(post("203.0.113.5").await.0, 201, "{}", s.name);
        }
        assert_eq!(
            post("203.0.113.5").await,
            (429, "rate.limited".to_owned()),
            "{}",
            s.name
        );
        // The web form of the same address is braked too, and says so in words.
        let root = s.base.trim_end_matches("/api/v1").to_owned();
        let (http, csrf, cookies) = web_client(&root, "/b/kab-a/permohonan", "203.0.113.5").await;
        let form = http
            .post(format!("{root}/b/kab-a/permohonan"))
            .header("x-forwarded-for", "203.0.113.5")
            .header("cookie", cookies)
            .header("origin", root.clone())
            .form(&[("csrf", csrf.as_str()), ("information", "Data")])
            .send()
            .await
            .expect("send");
        assert_eq!(form.status().as_u16(), 429, "{}", s.name);
        assert!(
            form.text()
                .await
                .expect("text")
                .contains("Terlalu banyak pengajuan")
        );
        assert_eq!(
            post("203.0.113.6").await.0,
            201,
            "{}: another address",
            s.name
        );
        let token = s.token("ppid@a.id").await;
        let (status, _) = s
            .post(
                "/requests",
                &crate::common::submission("kab-a"),
                Some(&token),
            )
            .await;
        assert_eq!(status, 201, "{}: an officer's intake", s.name);
    }
}

/// Issue 15, finding 5: `X-Forwarded-For` is believed only from `LENTERA_TRUSTED_PROXIES`:
/// with none configured, a client on loopback cannot escape the brakes by naming others.
#[tokio::test]
async fn forwarded_for_from_an_untrusted_peer_is_ignored() {
    let web = lentera_web::WebConfig {
        submit_per_min: 2,
        ..lentera_web::WebConfig::default()
    };
    for s in crate::common::servers_with(web).await {
        let mut statuses = Vec::new();
        for i in 0..3 {
            let r = s
                .http
                .post(format!("{}/requests", s.base))
                .header("x-forwarded-for", format!("203.0.113.{i}"))
                .json(&crate::common::submission("kab-a"))
                .send()
                .await
                .expect("send");
            statuses.push(r.status().as_u16());
        }
        assert_eq!(statuses, [201, 201, 429], "{}", s.name);
    }
}

/// Issue 15, finding 5: the web tracking and objection forms have the same brake on wrong
/// codes as the API.
#[tokio::test]
async fn the_web_tracking_form_is_braked_like_the_api() {
    for s in servers().await {
        let (number, code) = s.submit("kab-a").await;
        let root = s.base.trim_end_matches("/api/v1").to_owned();
        let (http, csrf, cookies) = web_client(&root, "/lacak", "198.51.100.99").await;
        let track = |kode: String| {
            let req = http
                .post(format!("{root}/lacak"))
                .header("x-forwarded-for", "198.51.100.99")
                .header("cookie", cookies.clone())
                .header("origin", root.clone())
                .form(&[
                    ("csrf", csrf.clone()),
                    ("nomor", number.clone()),
                    ("kode", kode),
                ]);
            async move { req.send().await.expect("send").status().as_u16() }
        };
        for i in 0..30 {
            assert_eq!(track(format!("SALAH-{i:04}")).await, 404, "{}", s.name);
        }
        assert_eq!(track(code.clone()).await, 429, "{}: braked", s.name);
        let (status, _) = s
            .post(
                &format!("/requests/{number}/objections?code=SALAH"),
                &json!({"grounds": ["a"]}),
                None,
            )
            .await;
        assert_eq!(status, 404, "{}: another address is not braked", s.name);
    }
}

/// A browser-like client from `ip` (named through the trusted proxy): the client, the CSRF
/// token of the form at `path` and the cookies that go with it.
async fn web_client(root: &str, path: &str, ip: &str) -> (reqwest::Client, String, String) {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let r = http
        .get(format!("{root}{path}"))
        .header("x-forwarded-for", ip)
        .send()
        .await
        .expect("send");
    let cookies = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_owned))
        .collect::<Vec<_>>()
        .join("; ");
    let page = r.text().await.expect("text");
    let csrf = page
        .split_once("name=\"csrf\" value=\"")
        .and_then(|(_, r)| r.split_once('"'))
        .map(|(v, _)| v.to_owned())
        .expect("csrf field");
    (http, csrf, cookies)
}

/// Issue 15, finding 5: a decision cannot be dated before the request or more than two weeks
/// back, and a back-dated one is in the audit log; closures likewise, and every closure change
/// is audited.
#[tokio::test]
async fn back_dating_decisions_and_closures_is_bounded_and_audited() {
    use time::macros::date;
    for s in servers().await {
        s.clock.set(time::macros::datetime!(2026-03-02 03:00 UTC));
        let (number, _) = s.submit("kab-a").await;
        let ppid = s.token("ppid@a.id").await;
        for (day, code) in [
            ("2026-02-27", "before_received"),
            ("2025-06-01", "before_received"),
        ] {
            let (status, e) = s
                .post(
                    &format!("/requests/{number}/decision"),
                    &json!({"outcome": "granted", "note": "Terlampir", "decided_on": day}),
                    Some(&ppid),
                )
                .await;
            assert_eq!(status, 422, "{}: {e}", s.name);
            assert_eq!(
                e["error"]["fields"]["decided_on"][0], code,
                "{}: {e}",
                s.name
            );
        }
        // Received long ago, decided today with a date three weeks back: too old.
        s.clock.set(time::macros::datetime!(2026-03-30 03:00 UTC));
        let ppid = s.token("ppid@a.id").await;
        let (status, e) = s
            .post(
                &format!("/requests/{number}/decision"),
                &json!({"outcome": "granted", "note": "Terlampir", "decided_on": "2026-03-05"}),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 422, "{}: {e}", s.name);
        assert_eq!(
            e["error"]["fields"]["decided_on"][0], "too_old",
            "{}",
            s.name
        );
        let audited = lentera_app::testing::store::audit::count_for(&s.app.db, "request", &number)
            .await
            .expect("audit");
        let (status, v) = s
            .post(
                &format!("/requests/{number}/decision"),
                &json!({"outcome": "granted", "note": "Terlampir", "decided_on": "2026-03-25"}),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 200, "{}: {v}", s.name);
        assert_eq!(
            lentera_app::testing::store::audit::count_for(&s.app.db, "request", &number)
                .await
                .expect("audit"),
            audited + 1,
            "{}: the back-dated decision is audited",
            s.name
        );

        let before = lentera_app::testing::store::audit::count_for(&s.app.db, "body", "kab-a")
            .await
            .expect("audit");
        let old = s
            .app
            .add_closure("kab-a", date!(2026 - 03 - 02), "Banjir", None)
            .await;
        assert!(
            matches!(&old, Err(lentera_app::AppError::Invalid(f)) if f.has("day")),
            "{}: {old:?}",
            s.name
        );
        s.app
            .add_closure("kab-a", date!(2026 - 03 - 27), "Banjir", None)
            .await
            .expect("recent closure");
        s.app
            .remove_closure("kab-a", date!(2026 - 03 - 27), None)
            .await
            .expect("removed");
        assert_eq!(
            lentera_app::testing::store::audit::count_for(&s.app.db, "body", "kab-a")
                .await
                .expect("audit"),
            before + 2,
            "{}: closure changes audited",
            s.name
        );
    }
}

/// Issue 15: `DELETE /api/v1/auth/token` revokes the token sent, at once; other tokens of the
/// officer keep working.
#[tokio::test]
async fn a_revoked_token_stops_working() {
    for s in servers().await {
        let token = s.token("ppid@a.id").await;
        let other = s.token("ppid@a.id").await;
        assert_eq!(s.get("/cases", Some(&token)).await.0, 200);
        let r = s
            .http
            .delete(format!("{}/auth/token", s.base))
            .bearer_auth(&token)
            .send()
            .await
            .expect("send");
        assert_eq!(r.status().as_u16(), 204, "{}", s.name);
        assert_eq!(s.get("/cases", Some(&token)).await.0, 401, "{}", s.name);
        assert_eq!(s.get("/cases", Some(&other)).await.0, 200, "{}", s.name);
        let again = s
            .http
            .delete(format!("{}/auth/token", s.base))
            .bearer_auth(&token)
            .send()
            .await
            .expect("send");
        assert_eq!(again.status().as_u16(), 401, "{}", s.name);
    }
}
