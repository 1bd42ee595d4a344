//! The self-assessment (monev/SAQ) and the comparison across bodies over real HTTP, on both
//! databases.

use serde_json::{Value, json};

use crate::common::{PASSWORD, TestServer, servers};

fn question<'a>(view: &'a Value, code: &str) -> &'a Value {
    view["indicators"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|i| i["questions"].as_array().into_iter().flatten())
        .find(|q| q["code"] == code)
        .unwrap_or(&Value::Null)
}

fn all_codes(view: &Value) -> Vec<String> {
    view["indicators"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|i| i["questions"].as_array().into_iter().flatten())
        .filter_map(|q| q["code"].as_str().map(str::to_owned))
        .collect()
}

impl TestServer {
    async fn get_text(&self, path: &str, token: Option<&str>) -> (u16, String) {
        let mut req = self.http.get(format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.expect("send");
        (
            resp.status().as_u16(),
            resp.text().await.unwrap_or_default(),
        )
    }

    async fn put_json(&self, path: &str, body: &Value, token: &str) -> (u16, Value) {
        let resp = self
            .http
            .put(format!("{}{path}", self.base))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("send");
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    fn root(&self) -> String {
        self.base.trim_end_matches("/api/v1").to_owned()
    }
}

#[tokio::test]
async fn default_questionnaire_all_yes_is_informatif_and_csv_carries_the_evidence() {
    for s in servers().await {
        let (status, q) = s.get("/self-assessment/questionnaire", None).await;
        assert_eq!(status, 200, "{}: {q}", s.name);
        assert_eq!(q["year"], 2026);
        assert_eq!(q["indicators"].as_array().map(Vec::len), Some(6));

        let (status, v) = s.get("/self-assessment?body=kab-a", None).await;
        assert_eq!(status, 200, "{}: {v}", s.name);
        assert_eq!(v["questionnaire"], "default");
        assert_eq!(v["provisional"], true);
        // The online form is always there: the system answers it with its evidence.
        assert_eq!(question(&v, "SP4")["system"]["yes"], true);
        assert_eq!(
            question(&v, "SP4")["system"]["evidence"],
            "/b/kab-a/permohonan"
        );
        let initial = v["score"].as_f64().expect("score");
        assert!(initial > 0.0 && initial < 60.0, "{}: {initial}", s.name);

        let ppid = s.token("ppid@a.id").await;
        let answers: Vec<Value> = all_codes(&v)
            .iter()
            .map(|c| {
                let evidence = if c == "KO1" {
                    json!("https://kab-a.go.id/sk-ppid.pdf")
                } else {
                    Value::Null
                };
                json!({"question": c, "yes": true, "evidence": evidence, "note": "ada"})
            })
            .collect();
        let (status, v) = s
            .post(
                "/self-assessment",
                &json!({"answers": answers, "presentation_score": 100}),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 200, "{}: {v}", s.name);
        assert!((v["score"].as_f64().expect("score") - 100.0).abs() < 1e-9);
        assert_eq!(v["predicate"], "informatif");
        assert_eq!(v["predicate_label"], "Informatif");
        assert_eq!(v["provisional"], false);
        assert_eq!(v["event_count"], 1);

        // The public sees the answers and the score, not the notes.
        let (_, public) = s.get("/self-assessment?body=kab-a&year=2026", None).await;
        assert_eq!(public["predicate"], "informatif");
        assert_eq!(question(&public, "KO1")["officer"]["note"], "");
        assert_eq!(
            question(&public, "KO1")["evidence"],
            "https://kab-a.go.id/sk-ppid.pdf"
        );

        let (status, csv) = s
            .get_text("/self-assessment/evidence.csv?year=2026", Some(&ppid))
            .await;
        assert_eq!(status, 200, "{}: {csv}", s.name);
        assert!(csv.starts_with("indikator,kode,pertanyaan"));
        assert!(csv.contains("https://kab-a.go.id/sk-ppid.pdf"), "{csv}");
        assert!(csv.contains("/b/kab-a/permohonan"), "{csv}");
        assert!(csv.contains("/b/kab-a/dip"), "{csv}");
        assert!(csv.contains("Informatif"));
        assert_eq!(
            s.get_text("/self-assessment/evidence.csv", None).await.0,
            401
        );
    }
}

#[tokio::test]
async fn auto_checks_follow_the_published_register() {
    for s in servers().await {
        let (_, v) = s.get("/self-assessment?body=kab-a", None).await;
        assert_eq!(question(&v, "KI2")["system"]["yes"], false, "{}", s.name);
        assert_eq!(question(&v, "KI2")["yes"], false);
        assert_eq!(question(&v, "KI2")["system"]["evidence"], "/b/kab-a/dip");

        let ppid = s.token("ppid@a.id").await;
        let (status, e) = s
            .post(
                "/register/entries",
                &json!({
                    "kind": "periodic", "title": "Laporan Keuangan 2025", "summary": "Neraca dan laporan realisasi",
                    "responsible": "Kepala Bagian Umum", "made_when": "Januari 2026", "made_where": "Kendal",
                    "forms": ["softcopy"], "retention": "5 tahun", "checklist": "berkala.keuangan",
                }),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 201, "{}: {e}", s.name);
        let id = e["id"].as_str().expect("id").to_owned();
        let (status, p) = s
            .post(
                &format!("/register/entries/{id}/publish"),
                &json!({}),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 200, "{}: {p}", s.name);

        let (_, after) = s.get("/self-assessment?body=kab-a", None).await;
        let q = question(&after, "KI2");
        assert_eq!(q["system"]["yes"], true, "{}: {q}", s.name);
        assert_eq!(q["yes"], true);
        assert_eq!(q["evidence"], "/b/kab-a/dip");
        assert_eq!(after["facts"]["dip_published"], true);
        assert!(
            after["score"].as_f64().expect("score") > v["score"].as_f64().expect("score"),
            "{}",
            s.name
        );
        // The other body is not affected.
        let (_, b) = s.get("/self-assessment?body=kab-b", None).await;
        assert_eq!(question(&b, "KI2")["system"]["yes"], false);
    }
}

#[tokio::test]
async fn predicate_thresholds_over_http_with_an_edited_questionnaire() {
    for s in servers().await {
        let admin = s.token("admin@a.id").await;
        let ppid = s.token("ppid@a.id").await;
        let questionnaire = json!({
            "year": 2025, "saq_weight": 50, "presentation_weight": 50,
            "indicators": [{"code": "A", "label": "Satu", "weight": 100,
                "questions": [{"code": "A1", "text": "Ada?", "weight": 1}]}]
        });
        // Only admins edit the questionnaire, and it must add up.
        assert_eq!(
            s.put_json(
                "/self-assessment/questionnaire?year=2025",
                &questionnaire,
                &ppid
            )
            .await
            .0,
            403
        );
        let mut bad = questionnaire.clone();
        bad["presentation_weight"] = json!(40);
        assert_eq!(
            s.put_json("/self-assessment/questionnaire?year=2025", &bad, &admin)
                .await
                .0,
            422
        );
        let (status, q) = s
            .put_json(
                "/self-assessment/questionnaire?year=2025",
                &questionnaire,
                &admin,
            )
            .await;
        assert_eq!(status, 200, "{}: {q}", s.name);

        for (yes, pres, score, predicate) in [
            (true, 80.0, 90.0, "informatif"),
            (true, 79.9, 89.95, "menuju_informatif"),
            (true, 20.0, 60.0, "cukup_informatif"),
            (false, 80.0, 40.0, "kurang_informatif"),
            (false, 79.98, 39.99, "tidak_informatif"),
        ] {
            let (status, v) = s
                .post(
                    "/self-assessment",
                    &json!({"year": 2025, "answers": [{"question": "A1", "yes": yes}], "presentation_score": pres}),
                    Some(&ppid),
                )
                .await;
            assert_eq!(status, 200, "{}: {v}", s.name);
            assert_eq!(v["questionnaire"], "edited");
            let got = v["score"].as_f64().expect("score");
            assert!((got - score).abs() < 1e-6, "{}: {got} vs {score}", s.name);
            assert_eq!(v["predicate"], predicate, "{}: {score}", s.name);
        }
        // 2026 still uses the default.
        let (_, v) = s.get("/self-assessment?body=kab-a&year=2026", None).await;
        assert_eq!(v["questionnaire"], "default");
    }
}

#[tokio::test]
async fn answering_needs_the_ppid_of_the_body() {
    for s in servers().await {
        let body = json!({"body": "kab-a", "answers": [{"question": "KI1", "yes": true}]});
        assert_eq!(s.post("/self-assessment", &body, None).await.0, 401);
        let other = s.token("ppid@b.id").await;
        assert_eq!(s.post("/self-assessment", &body, Some(&other)).await.0, 403);
        let viewer = s.token("viewer@a.id").await;
        assert_eq!(
            s.post("/self-assessment", &body, Some(&viewer)).await.0,
            403
        );
        let ppid = s.token("ppid@a.id").await;
        let (status, e) = s
            .post(
                "/self-assessment",
                &json!({"answers": [{"question": "NOPE", "yes": true}, {"question": "KI1", "yes": true, "evidence": "javascript:alert(1)"}]}),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 422, "{}: {e}", s.name);
        let (_, v) = s.get("/self-assessment?body=kab-a", None).await;
        assert_eq!(v["event_count"], 0);
        // Nothing was stored by the refused attempts.
        assert_eq!(question(&v, "KI1")["officer"], Value::Null);
    }
}

#[tokio::test]
async fn comparison_ranks_the_body_with_on_time_decisions_first() {
    for s in servers().await {
        let (number, _) = s.submit("kab-b").await;
        let ppid = s.token("ppid@b.id").await;
        let (status, v) = s
            .post(
                &format!("/requests/{number}/decision"),
                &json!({"outcome": "granted", "note": "Terlampir"}),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 200, "{}: {v}", s.name);

        let (status, c) = s.get("/comparison?year=2026", None).await;
        assert_eq!(status, 200, "{}: {c}", s.name);
        let bodies = c["bodies"].as_array().expect("bodies");
        let slugs: Vec<&str> = bodies.iter().filter_map(|b| b["slug"].as_str()).collect();
        assert_eq!(slugs, vec!["kab-b", "kab-a"], "{}: {c}", s.name);
        assert_eq!(bodies[0]["rank"], 1);
        assert_eq!(bodies[0]["on_time_percent"], 100.0);
        assert_eq!(bodies[0]["objection_rate"], 0.0);
        assert_eq!(bodies[1]["on_time_percent"], Value::Null);
        assert!(bodies[0]["composite"].as_f64() > bodies[1]["composite"].as_f64());
        // kab-a can learn its self-assessment from kab-b, which now has annual figures.
        assert!(
            bodies[1]["learn_from"]
                .as_array()
                .expect("learn")
                .iter()
                .any(|l| l["slug"] == "kab-b" && l["indicator"] == "self_assessment"),
            "{}: {c}",
            s.name
        );

        // Under a parent: the parent itself and no units.
        let (_, c) = s.get("/comparison?parent=kab-a&year=2026", None).await;
        let slugs: Vec<&str> = c["bodies"]
            .as_array()
            .expect("bodies")
            .iter()
            .filter_map(|b| b["slug"].as_str())
            .collect();
        assert_eq!(slugs, vec!["kab-a"]);
        assert_eq!(s.get("/comparison?parent=nope", None).await.0, 404);

        // The public page.
        let resp = s
            .http
            .get(format!("{}/perbandingan?tahun=2026", s.root()))
            .send()
            .await
            .expect("page");
        assert_eq!(resp.status().as_u16(), 200);
        let html = resp.text().await.unwrap_or_default();
        assert!(html.contains("data-slug=\"kab-b\""), "{html}");
        assert!(html.contains("Belajar dari"));
    }
}

#[tokio::test]
async fn the_office_page_saves_answers_with_csrf_and_exports_csv() {
    for s in servers().await {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let root = s.root();
        // Without a session: to the sign-in page.
        let r = http
            .get(format!("{root}/kantor/monev"))
            .send()
            .await
            .expect("get");
        assert_eq!(r.status().as_u16(), 303, "{}", s.name);

        let mut cookies: Vec<String> = Vec::new();
        let keep = |r: &reqwest::Response, cookies: &mut Vec<String>| {
            for v in r.headers().get_all("set-cookie") {
                if let Some((kv, _)) = v.to_str().unwrap_or("").split_once(';') {
                    let name = kv.split('=').next().unwrap_or("").to_owned();
                    cookies.retain(|c| !c.starts_with(&format!("{name}=")));
                    cookies.push(kv.to_owned());
                }
            }
        };
        let hidden = |body: &str, name: &str| -> String {
            let marker = format!("name=\"{name}\" value=\"");
            body.split_once(&marker)
                .and_then(|(_, rest)| rest.split_once('"'))
                .map(|(v, _)| v.to_owned())
                .unwrap_or_default()
        };
        let r = http
            .get(format!("{root}/kantor/masuk"))
            .send()
            .await
            .expect("login");
        keep(&r, &mut cookies);
        let csrf = hidden(&r.text().await.unwrap_or_default(), "csrf");
        let r = http
            .post(format!("{root}/kantor/masuk"))
            .header("cookie", cookies.join("; "))
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", "ppid@a.id"),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .expect("sign in");
        assert_eq!(r.status().as_u16(), 303, "{}", s.name);
        keep(&r, &mut cookies);

        let r = http
            .get(format!("{root}/kantor/monev?year=2026"))
            .header("cookie", cookies.join("; "))
            .send()
            .await
            .expect("page");
        assert_eq!(r.status().as_u16(), 200, "{}", s.name);
        let page = r.text().await.unwrap_or_default();
        assert!(page.contains("id=\"monev-predicate\""));
        assert!(page.contains("/b/kab-a/permohonan"));
        let token = hidden(&page, "csrf");

        // A wrong token is refused and stores nothing.
        let r = http
            .post(format!("{root}/kantor/monev"))
            .header("cookie", cookies.join("; "))
            .form(&[("csrf", "x"), ("year", "2026"), ("yes_KI1", "1")])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status().as_u16(), 403);

        let r = http
            .post(format!("{root}/kantor/monev"))
            .header("cookie", cookies.join("; "))
            .form(&[
                ("csrf", token.as_str()),
                ("year", "2026"),
                ("yes_KI1", "1"),
                ("evidence_KI1", "https://kab-a.go.id/profil-ppid"),
                ("note_KI1", "SK 2026"),
                ("presentation_score", "75"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status().as_u16(), 303, "{}", s.name);
        let (_, v) = s.get("/self-assessment?body=kab-a", None).await;
        assert_eq!(
            question(&v, "KI1")["officer"]["yes"],
            true,
            "{}: {v}",
            s.name
        );
        assert_eq!(v["presentation_score"], 75.0);

        let r = http
            .get(format!("{root}/kantor/monev/bukti.csv?year=2026"))
            .header("cookie", cookies.join("; "))
            .send()
            .await
            .expect("csv");
        assert_eq!(r.status().as_u16(), 200);
        let csv = r.text().await.unwrap_or_default();
        assert!(csv.contains("https://kab-a.go.id/profil-ppid"), "{csv}");
        assert!(csv.contains("SK 2026"));
    }
}
