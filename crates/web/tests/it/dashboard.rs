//! The live command centre and the public accountability page over real HTTP.

use std::time::Duration;

use lentera_app::bodies::NewBody;
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

/// The benchmark of the issue (`bench/dashboard.sh`): a province of 40 bodies with 1,000,000
/// requests (projections only, inserted in multi-row statements), then the uncached refresh.
#[tokio::test]
#[ignore = "benchmark: run with bench/dashboard.sh"]
async fn dashboard_bench() {
    use lentera_app::dashboard::DashboardScope;
    use lentera_store::db::Conn;
    use std::fmt::Write;

    let total: usize = std::env::var("BENCH_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let (url, dir) = lentera_store::testing::sqlite_url();
    let db = lentera_store::Db::connect(
        &url,
        &lentera_store::DbOptions {
            durable: false,
            ..lentera_store::DbOptions::default()
        },
    )
    .await
    .expect("connect");
    db.migrate().await.expect("migrate");
    let clock = std::sync::Arc::new(lentera_app::FixedClock::new(
        datetime!(2026-11-20 03:00 UTC),
    ));
    let app = lentera_app::App::new(
        db.clone(),
        lentera_app::Secret::from_key([5; 32]),
        clock as std::sync::Arc<dyn lentera_app::Clock>,
        lentera_app::AppConfig::default(),
    )
    .expect("app");
    let mut bodies = Vec::new();
    for i in 0..40 {
        let slug = if i == 0 {
            "prov".to_owned()
        } else {
            format!("kab-{i:02}")
        };
        app.create_body(&NewBody {
            slug: slug.clone(),
            name: format!("Badan {slug}"),
            kind: Some(if i == 0 { "province" } else { "regency" }.into()),
            parent: (i > 0).then(|| "prov".to_owned()),
            ..NewBody::default()
        })
        .await
        .expect("body");
        let mut units = Vec::new();
        for u in 0..3 {
            let us = format!("{slug}-u{u}");
            app.create_body(&NewBody {
                slug: us.clone(),
                name: format!("Unit {us}"),
                kind: Some("unit".into()),
                parent: Some(slug.clone()),
                ..NewBody::default()
            })
            .await
            .expect("unit");
            units.push(app.body_by_slug(&us).await.expect("u").expect("u").row.id);
        }
        let id = app.body_by_slug(&slug).await.expect("b").expect("b").row.id;
        bodies.push((id, units));
    }
    let Conn::Sqlite(pool) = db.write() else {
        panic!("the generator writes SQLite");
    };
    let hex = |u: uuid::Uuid| format!("X'{}'", u.simple());
    let applicant = uuid::Uuid::now_v7();
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO applicants (id, kind, name, id_number_enc, id_number_last4, address, occupation, created_at) \
         VALUES ({}, 'individual', 'X', X'00', '0000', '-', '-', '2026-01-01')",
        hex(applicant)
    )))
    .execute(pool)
    .await
    .expect("applicant");
    let started = std::time::Instant::now();
    let base = time::macros::date!(2026 - 01 - 02);
    let today = time::macros::date!(2026 - 11 - 20);
    let span = (today - base).whole_days();
    let channels = ["web", "email", "in_person", "post", "whatsapp"];
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut tx = pool.begin().await.expect("begin");
    let mut n = 0usize;
    while n < total {
        let mut sql = String::from(
            "INSERT INTO requests (id, number, body_id, unit_id, applicant_id, tracking_hash, channel, information, purpose, \
             received_on, status, extended, due_on, outcome, decided_on, state, event_count, calendar_version, created_at, updated_at) VALUES ",
        );
        for k in 0..500 {
            if n >= total {
                break;
            }
            let (body, units) = &bodies[n % bodies.len()];
            let r = next();
            let received =
                base + time::Duration::days(i64::try_from(r % 1000).unwrap_or(0) * span / 1000);
            let unit = match (r >> 10) % 4 {
                0 => "NULL".to_owned(),
                u => hex(units[usize::try_from(u - 1).unwrap_or(0)]),
            };
            let due = received + time::Duration::days(14);
            let extended = (r >> 14) % 10 == 0;
            let decided =
                received + time::Duration::days(i64::try_from(2 + (r >> 20) % 24).unwrap_or(0));
            let (status, decided) = if decided <= today && (r >> 30) % 20 != 0 {
                ("'decided'", format!("'{decided}'"))
            } else {
                ("'in_progress'", "NULL".to_owned())
            };
            if k > 0 {
                sql.push(',');
            }
            let _ = write!(
                sql,
                "({}, 'N{n}', {}, {unit}, {}, 'h', '{}', 'i', 'p', '{received}', {status}, {}, '{due}', NULL, {decided}, '{{}}', 1, 'v', '2026-01-01', '2026-01-01')",
                hex(uuid::Uuid::from_u64_pair(r, n as u64)),
                hex(*body),
                hex(applicant),
                channels[usize::try_from((r >> 40) % 5).unwrap_or(0)],
                i32::from(extended),
            );
            n += 1;
        }
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut *tx)
            .await
            .expect("insert");
    }
    tx.commit().await.expect("commit");
    sqlx::query("ANALYZE").execute(pool).await.expect("analyze");
    println!("generated {total} requests in {:.1?}", started.elapsed());
    for scope in [
        DashboardScope::Province("prov".into()),
        DashboardScope::Body("kab-01".into()),
    ] {
        let mut times = Vec::new();
        let mut last = None;
        for _ in 0..5 {
            let t = std::time::Instant::now();
            let f = app
                .compute_dashboard(&scope, today, 0)
                .await
                .expect("figures");
            times.push(t.elapsed());
            last = Some(f);
        }
        times.sort();
        let f = last.expect("figures");
        println!(
            "{scope:?}: uncached refresh min {:.1?} median {:.1?} max {:.1?} (received {} open {} overdue {} on-time {:?}% median {:?} p90 {:?} WD)",
            times[0],
            times[2],
            times[4],
            f.totals.received_year,
            f.totals.open,
            f.totals.overdue,
            f.totals.on_time_pct,
            f.median_wd,
            f.p90_wd
        );
        let t = std::time::Instant::now();
        app.dashboard(&scope, today).await.expect("cached");
        app.dashboard(&scope, today).await.expect("cached");
        println!("{scope:?}: cached {:.1?}", t.elapsed() / 2);
    }
    db.close().await;
    let _ = std::fs::remove_dir_all(dir);
}
