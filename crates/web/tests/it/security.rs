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
