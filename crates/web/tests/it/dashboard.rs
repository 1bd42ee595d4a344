//! The live command centre and the public accountability page over real HTTP.

use std::time::Duration;

use lentera_app::bodies::NewBody;
use lentera_app::dashboard::DashboardScope;
use serde_json::{Value, json};
use time::macros::datetime;

use crate::common::{NIK, PASSWORD, TestServer, servers};

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

fn root(s: &TestServer) -> String {
    s.base.trim_end_matches("/api/v1").to_owned()
}

/// Signs an officer in through the HTML form and returns the cookie header.
async fn sign_in(s: &TestServer, email: &str) -> String {
    let http = no_redirects();
    let login = http
        .get(format!("{}/kantor/masuk", root(s)))
        .send()
        .await
        .expect("get");
    let mut cookies: Vec<String> = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_owned))
        .collect();
    let body = login.text().await.expect("text");
    let csrf = body
        .split_once("name=\"csrf\" value=\"")
        .and_then(|(_, r)| r.split_once('"'))
        .map(|(v, _)| v.to_owned())
        .expect("csrf");
    let r = http
        .post(format!("{}/kantor/masuk", root(s)))
        .header("cookie", cookies.join("; "))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", email),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 303, "{}: sign-in {email}", s.name);
    cookies.extend(
        r.headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_owned)),
    );
    cookies.join("; ")
}

async fn figures(s: &TestServer, query: &str) -> Value {
    let (status, f) = s.get(&format!("/dashboard?{query}"), None).await;
    assert_eq!(status, 200, "{}: {f}", s.name);
    f
}

async fn decide(s: &TestServer, number: &str) {
    let token = s.token("ppid@a.id").await;
    let (status, v) = s
        .post(
            &format!("/requests/{number}/decision"),
            &json!({"outcome": "granted", "note": "Terlampir"}),
            Some(&token),
        )
        .await;
    assert_eq!(status, 200, "{}: {v}", s.name);
}

#[tokio::test]
async fn dashboard_figures_follow_submissions_decisions_and_the_clock() {
    for s in servers().await {
        let mut numbers = Vec::new();
        for _ in 0..3 {
            numbers.push(s.submit("kab-a").await.0);
        }
        s.submit("kab-b").await;
        let f = figures(&s, "body=kab-a").await;
        let t = &f["totals"];
        assert_eq!(t["received_today"], 3, "{}: {f}", s.name);
        assert_eq!(t["received_year"], 3);
        assert_eq!(t["open"], 3);
        assert_eq!(t["overdue"], 0);
        assert_eq!(t["on_time_pct"], Value::Null);
        assert_eq!(f["by_channel"][0]["key"], "web");
        assert_eq!(f["by_channel"][0]["received_year"], 3);
        assert_eq!(f["months"][1]["received"], 3);

        // Due 18 Feb; decided on 13 Feb (9 working days) is on time.
        s.clock.set(datetime!(2026-02-13 03:00 UTC));
        decide(&s, &numbers[0]).await;
        let f = figures(&s, "body=kab-a").await;
        assert_eq!(f["totals"]["received_today"], 0, "{}", s.name);
        assert_eq!(f["totals"]["open"], 2);
        assert_eq!(f["totals"]["on_time_pct"], 100.0);
        assert_eq!(f["median_wd"], 9);

        // Past the due date: the two open requests are overdue; a late decision lowers on-time.
        s.clock.set(datetime!(2026-02-19 03:00 UTC));
        let f = figures(&s, "body=kab-a").await;
        assert_eq!(f["totals"]["overdue"], 2, "{}: {f}", s.name);
        decide(&s, &numbers[1]).await;
        let f = figures(&s, "body=kab-a").await;
        assert_eq!(f["totals"]["overdue"], 1, "{}", s.name);
        assert_eq!(f["totals"]["decided_year"], 2);
        assert_eq!(f["totals"]["on_time_pct"], 50.0);
        assert_eq!(f["p90_wd"], 11);
        let classes: Vec<i64> = f["time_to_answer"]
            .as_array()
            .expect("classes")
            .iter()
            .filter_map(|c| c["count"].as_i64())
            .collect();
        assert_eq!(classes, vec![0, 1, 1, 0]);
        assert_eq!(f["months"][1]["decided"], 2);
        let text = f.to_string();
        assert!(!text.contains("Siti") && !text.contains(NIK));

        let (status, _) = s.get("/dashboard?body=nope", None).await;
        assert_eq!(status, 404);
        let (status, _) = s.get("/dashboard?body=kab-a&scope=x", None).await;
        assert_eq!(status, 422);
    }
}

#[tokio::test]
async fn a_province_rolls_up_the_bodies_below_it() {
    for s in servers().await {
        for (slug, parent, kind) in [
            ("prov-x", None, "province"),
            ("kab-x1", Some("prov-x"), "regency"),
            ("kab-x2", Some("prov-x"), "regency"),
        ] {
            s.app
                .create_body(&NewBody {
                    slug: slug.into(),
                    name: format!("Badan {slug}"),
                    kind: Some(kind.into()),
                    parent: parent.map(str::to_owned),
                    ..NewBody::default()
                })
                .await
                .expect("body");
        }
        s.submit("kab-x1").await;
        s.submit("kab-x2").await;
        s.submit("kab-x2").await;
        s.submit("prov-x").await;
        let f = figures(&s, "body=prov-x&scope=province").await;
        assert_eq!(f["totals"]["received_year"], 4, "{}: {f}", s.name);
        let by_body: Vec<(String, i64)> = f["by_body"]
            .as_array()
            .expect("by_body")
            .iter()
            .map(|b| {
                (
                    b["key"].as_str().unwrap_or("").to_owned(),
                    b["received_year"].as_i64().unwrap_or(-1),
                )
            })
            .collect();
        assert_eq!(
            by_body,
            vec![
                ("prov-x".to_owned(), 1),
                ("kab-x1".to_owned(), 1),
                ("kab-x2".to_owned(), 2)
            ]
        );
        let f = figures(&s, "body=prov-x").await;
        assert_eq!(f["totals"]["received_year"], 1);

        // A refresh reuses the shares of the bodies that did not change: after each change the
        // figures served equal a computation from the database alone.
        let scope = DashboardScope::Province("prov-x".into());
        let body = s.app.body_by_slug("prov-x").await.expect("b").expect("b");
        for step in 0..4 {
            match step {
                0 => drop(s.submit("kab-x1").await),
                1 => drop(s.submit("prov-x").await),
                2 => s.clock.set(s.app.now() + time::Duration::days(30)),
                _ => drop(s.submit("kab-x2").await),
            }
            let served = figures(&s, "body=prov-x&scope=province").await;
            let today = s.app.today_in(body.time_zone());
            let generation = served["generation"].as_u64().expect("generation");
            let cold = s
                .app
                .compute_dashboard(&scope, today, generation)
                .await
                .expect("cold");
            assert_eq!(
                served,
                serde_json::to_value(&cold).expect("json"),
                "{} step {step}",
                s.name
            );
        }
        let f = figures(&s, "body=prov-x&scope=province").await;
        assert_eq!(f["totals"]["received_year"], 7, "{}: {f}", s.name);
        assert_eq!(f["totals"]["overdue"], 6, "{}: {f}", s.name);
    }
}

/// Reads the stream until `want` `event: figures` messages arrived or the deadline passes.
async fn read_events(
    resp: &mut reqwest::Response,
    text: &mut String,
    want: usize,
    within: Duration,
) {
    let deadline = tokio::time::Instant::now() + within;
    while text.matches("event: figures").count() < want {
        match tokio::time::timeout_at(deadline, resp.chunk()).await {
            Ok(Ok(Some(bytes))) => text.push_str(&String::from_utf8_lossy(&bytes)),
            _ => break,
        }
    }
}

#[tokio::test]
async fn the_stream_sends_new_figures_within_two_seconds_of_a_submission() {
    for s in servers().await {
        let mut resp = s
            .http
            .get(format!("{}/b/kab-a/kinerja/stream", root(&s)))
            .send()
            .await
            .expect("stream");
        assert_eq!(resp.status().as_u16(), 200);
        assert!(
            resp.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/event-stream"))
        );
        let mut text = String::new();
        read_events(&mut resp, &mut text, 1, Duration::from_secs(2)).await;
        assert!(text.contains("id=\"d-today\">0<"), "{}: {text}", s.name);
        s.submit("kab-a").await;
        read_events(&mut resp, &mut text, 2, Duration::from_secs(2)).await;
        assert_eq!(text.matches("event: figures").count(), 2, "{}", s.name);
        let last = text.rsplit("event: figures").next().unwrap_or("");
        assert!(last.contains("id=\"d-today\">1<"), "{}: {last}", s.name);
        assert!(!text.contains("Siti"));
    }
}

#[tokio::test]
async fn dashboard_pages_draw_svg_and_keep_personal_data_out() {
    for s in servers().await {
        s.submit("kab-a").await;
        let http = no_redirects();
        let public = http
            .get(format!("{}/b/kab-a/kinerja", root(&s)))
            .send()
            .await
            .expect("get");
        assert_eq!(public.status().as_u16(), 200);
        let body = public.text().await.expect("text");
        assert!(body.contains("<svg") && body.contains("</svg>"));
        assert!(body.contains("<title id=\"chart-trend-t\">Tren bulanan 2026</title>"));
        assert_eq!(body.matches("<svg").count(), body.matches("</svg>").count());
        assert!(body.contains("/assets/live.js") && body.contains("/b/kab-a/kinerja/stream"));
        assert!(!body.contains("Siti") && !body.contains(NIK) && !body.contains("siti@"));
        let page = http
            .get(format!("{}/b/kab-a", root(&s)))
            .send()
            .await
            .expect("get");
        assert!(
            page.text()
                .await
                .expect("text")
                .contains("/b/kab-a/kinerja")
        );

        // The back office: sign-in required; a body's own officers and admins only.
        let anon = http
            .get(format!("{}/kantor/pusat-kendali", root(&s)))
            .send()
            .await
            .expect("get");
        assert_eq!(anon.status().as_u16(), 303);
        let cookie = sign_in(&s, "ppid@a.id").await;
        let office = http
            .get(format!("{}/kantor/pusat-kendali", root(&s)))
            .header("cookie", &cookie)
            .send()
            .await
            .expect("get");
        assert_eq!(office.status().as_u16(), 200, "{}", s.name);
        let body = office.text().await.expect("text");
        assert!(body.contains("id=\"d-open\">1<"), "{}", s.name);
        assert!(body.contains("</svg>"));
        let other = http
            .get(format!("{}/kantor/pusat-kendali?body=kab-b", root(&s)))
            .header("cookie", &cookie)
            .send()
            .await
            .expect("get");
        assert_eq!(other.status().as_u16(), 403);
        let stream = http
            .get(format!(
                "{}/kantor/pusat-kendali/stream?scope=province",
                root(&s)
            ))
            .header("cookie", &cookie)
            .send()
            .await
            .expect("get");
        assert_eq!(stream.status().as_u16(), 200);
        let js = http
            .get(format!("{}/assets/live.js", root(&s)))
            .send()
            .await
            .expect("get");
        assert_eq!(js.status().as_u16(), 200);
    }
}
