use crate::common::{NIK, servers};

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
        let row: (Vec<u8>, String) = lentera_store::with_conn!(s.app.db.read(), |pool| {
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
