//! The accountability benchmarks of issue 6 (`bench/report.sh`, `bench/dashboard.sh`): a
//! generated population of request projections (inserted in multi-row statements, so the
//! tally triggers run for every row as they would for live writes), then the report figures,
//! its PDF, and the command centre's uncached refresh. On SQLite, and on PostgreSQL when
//! `LENTERA_TEST_PG_URL` is set. Never run by default (`#[ignore]`): timings are printed, not
//! asserted.

use std::fmt::Write;
use std::time::{Duration, Instant};

use lentera_app::bodies::NewBody;
use lentera_app::dashboard::DashboardScope;
use lentera_app::testing::store::Db;
use lentera_app::testing::store::db::Conn;
use time::Date;
use time::macros::{date, datetime};
use uuid::Uuid;

const TODAY: Date = date!(2026 - 11 - 20);

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The databases to run on: SQLite always, PostgreSQL when configured.
async fn databases() -> Vec<(&'static str, Db, Option<std::path::PathBuf>)> {
    let opts = lentera_app::testing::store::DbOptions {
        durable: false,
        ..lentera_app::testing::store::DbOptions::default()
    };
    let mut out = Vec::new();
    // BENCH_SQLITE_DIR keeps the generated SQLite database between runs (generation takes
    // minutes); the folder is then not deleted.
    let (url, dir) = match std::env::var("BENCH_SQLITE_DIR") {
        Ok(d) => {
            let _ = std::fs::create_dir_all(&d);
            (format!("sqlite://{d}/lentera.sqlite3"), None)
        }
        Err(_) => {
            let (url, dir) = lentera_app::testing::store::testing::sqlite_url();
            (url, Some(dir))
        }
    };
    let db = Db::connect(&url, &opts).await.expect("sqlite");
    db.migrate().await.expect("migrate");
    out.push(("sqlite", db, dir));
    if let Some(url) = lentera_app::testing::store::testing::postgres_url()
        .await
        .expect("postgres config")
    {
        let db = Db::connect(&url, &opts).await.expect("postgres");
        db.migrate().await.expect("migrate");
        out.push(("postgres", db, None));
    }
    out
}

fn app_on(db: &Db) -> std::sync::Arc<lentera_app::App> {
    let clock = std::sync::Arc::new(lentera_app::FixedClock::new(
        datetime!(2026-11-20 03:00 UTC),
    ));
    std::sync::Arc::new(
        lentera_app::App::new(
            db.clone(),
            lentera_app::Secret::from_key([5; 32]),
            clock as std::sync::Arc<dyn lentera_app::Clock>,
            lentera_app::AppConfig::default(),
        )
        .expect("app"),
    )
}

/// Creates `slug` (under `parent`) with three units; returns (body id, unit ids).
async fn body_with_units(
    app: &lentera_app::App,
    slug: &str,
    kind: &str,
    parent: Option<&str>,
) -> (Uuid, Vec<Uuid>) {
    app.create_body(&NewBody {
        slug: slug.into(),
        name: format!("Badan {slug}"),
        kind: Some(kind.into()),
        parent: parent.map(str::to_owned),
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
            parent: Some(slug.to_owned()),
            ..NewBody::default()
        })
        .await
        .expect("unit");
        units.push(app.body_by_slug(&us).await.expect("u").expect("u").row.id);
    }
    let id = app.body_by_slug(slug).await.expect("b").expect("b").row.id;
    (id, units)
}

/// Inserts `total` requests spread over the bodies, received from 2 January to `TODAY`, with
/// every fate: decided (all outcomes, some late, some after an extension), withdrawn, not
/// processable, open (some overdue).
async fn generate(db: &Db, bodies: &[(Uuid, Vec<Uuid>)], total: usize) -> Duration {
    let pg = matches!(db.write(), Conn::Postgres(_));
    let id = |u: Uuid| {
        if pg {
            format!("'{u}'")
        } else {
            format!("X'{}'", u.simple())
        }
    };
    let applicant = Uuid::now_v7();
    let insert_applicant = format!(
        "INSERT INTO applicants (id, kind, name, id_number_enc, id_number_last4, address, occupation, created_at) \
         VALUES ({}, 'individual', 'X', {}, '0000', '-', '-', '2026-01-01')",
        id(applicant),
        if pg { "'\\x00'" } else { "X'00'" }
    );
    lentera_app::testing::store::with_conn!(db.write(), |pool| sqlx::query(sqlx::AssertSqlSafe(
        insert_applicant.clone()
    ))
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))
    .expect("applicant");
    let started = Instant::now();
    let base = date!(2026 - 01 - 02);
    let span = (TODAY - base).whole_days();
    let channels = ["web", "email", "in_person", "post", "whatsapp"];
    let kinds = ["individual", "legal_entity", "group"];
    let obtains = ["view", "softcopy", "hardcopy"];
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let day = |d: Date| format!("'{d}'");
    let mut n = 0usize;
    while n < total {
        let mut sql = String::from(
            "INSERT INTO requests (id, number, body_id, unit_id, applicant_id, tracking_hash, channel, information, purpose, \
             received_on, status, extended, notice_due_on, due_on, outcome, decided_on, state, event_count, calendar_version, created_at, updated_at, \
             applicant_kind, obtain, grounds, ended_on, extended_on, service_wd, on_time, projection_rev) VALUES ",
        );
        for k in 0..1000 {
            if n >= total {
                break;
            }
            let (body, units) = &bodies[n % bodies.len()];
            let r = next();
            let days = |v: u64| time::Duration::days(i64::try_from(v).unwrap_or(0));
            let received = base + days((r % 1000) * u64::try_from(span).unwrap_or(0) / 1000);
            let unit = match (r >> 10) % 4 {
                0 => "NULL".to_owned(),
                u => id(units[usize::try_from(u - 1).unwrap_or(0)]),
            };
            let extended = (r >> 14) % 10 == 0;
            let notice_due = received + days(14);
            let due = if extended {
                received + days(24)
            } else {
                notice_due
            };
            let extended_on = if extended {
                day(received + days(3))
            } else {
                "NULL".into()
            };
            let decided = received + days(2 + (r >> 20) % 24);
            let fate = (r >> 30) % 20;
            let (
                mut status,
                mut outcome,
                mut decided_s,
                mut grounds,
                mut ended,
                mut wd,
                mut on_time,
            ) = (
                if extended {
                    "'extended'"
                } else {
                    "'in_progress'"
                },
                "NULL",
                "NULL".to_owned(),
                "NULL",
                "NULL".to_owned(),
                "NULL".to_owned(),
                "NULL",
            );
            if fate == 1 {
                status = "'withdrawn'";
                ended = day(received + days(2));
            } else if fate == 2 {
                status = "'not_processable'";
                ended = day(received + days(1));
            } else if fate > 2 && decided <= TODAY {
                status = "'decided'";
                decided_s = day(decided);
                outcome = match (r >> 44) % 10 {
                    0..=5 => "'granted'",
                    6 => "'partially_granted'",
                    7 => {
                        grounds = if (r >> 48) % 2 == 0 {
                            "',17h,'"
                        } else {
                            "',17a,17h,'"
                        };
                        "'rejected_exempt'"
                    }
                    8 => "'not_held'",
                    _ => "'not_documented'",
                };
                let w = (decided - received).whole_days() * 5 / 7;
                wd = w.to_string();
                on_time = if decided <= due { "TRUE" } else { "FALSE" };
            }
            if k > 0 {
                sql.push(',');
            }
            let _ = write!(
                sql,
                "({}, 'N{n}', {}, {unit}, {}, 'h', '{}', 'i', 'p', {}, {status}, {}, {}, {}, {outcome}, {decided_s}, '{{}}', 1, 'v', '2026-01-01', '2026-01-01', \
                 '{}', '{}', {grounds}, {ended}, {extended_on}, {wd}, {on_time}, 1)",
                id(Uuid::from_u64_pair(r, n as u64)),
                id(*body),
                id(applicant),
                channels[usize::try_from((r >> 40) % 5).unwrap_or(0)],
                day(received),
                if extended { "TRUE" } else { "FALSE" },
                day(notice_due),
                day(due),
                kinds[usize::try_from((r >> 52) % 3).unwrap_or(0)],
                obtains[usize::try_from((r >> 56) % 3).unwrap_or(0)],
            );
            n += 1;
        }
        lentera_app::testing::store::with_conn!(db.write(), |pool| sqlx::query(
            sqlx::AssertSqlSafe(sql.clone())
        )
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
        .expect("insert");
        if n.is_multiple_of(100_000) {
            println!("  {n} requests, {:.1?}", started.elapsed());
        }
    }
    lentera_app::testing::store::with_conn!(db.write(), |pool| sqlx::query("ANALYZE")
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
    .expect("analyze");
    started.elapsed()
}

fn summary(times: &mut [Duration]) -> String {
    times.sort();
    format!(
        "min {:.1?} median {:.1?} max {:.1?}",
        times[0],
        times[times.len() / 2],
        times[times.len() - 1]
    )
}

/// Issue 6: the annual report of a body with 1,000,000 requests (figures < 1 s; PDF < 2 s).
#[tokio::test]
#[ignore = "benchmark: run with bench/report.sh"]
async fn report_bench() {
    let total = env_usize("BENCH_REQUESTS", 1_000_000);
    for (name, db, dir) in databases().await {
        let app = app_on(&db);
        let big = body_with_units(&app, "kab-besar", "regency", None).await;
        let took = generate(&db, std::slice::from_ref(&big), total).await;
        println!("{name}: generated {total} requests in one body in {took:.1?}");
        let mut times = Vec::new();
        let mut last = None;
        for _ in 0..5 {
            let t = Instant::now();
            let r = app
                .annual_report("kab-besar", 2026, None)
                .await
                .expect("report");
            times.push(t.elapsed());
            last = Some(r);
        }
        let r = last.expect("report");
        println!(
            "{name}: annual report figures {} (received {} decided {} open {} reconciles {} on-time {:?}% median {:?} WD)",
            summary(&mut times),
            r.figures.requests.received,
            r.figures.requests.decided,
            r.figures.requests.open_at_end,
            r.figures.requests.reconciles,
            r.figures.requests.service_time.on_time_percent,
            r.figures.requests.service_time.median_wd,
        );
        let mut times = Vec::new();
        for _ in 0..3 {
            let t = Instant::now();
            app.annual_report("kab-besar", 2026, Some("q2"))
                .await
                .expect("report");
            times.push(t.elapsed());
        }
        println!("{name}: quarter figures {}", summary(&mut times));
        let mut doc_times = Vec::new();
        let mut pdf_times = Vec::new();
        let mut size = 0;
        for _ in 0..3 {
            let t = Instant::now();
            let doc = app
                .annual_report_document("kab-besar", 2026, None, false)
                .await
                .expect("document");
            doc_times.push(t.elapsed());
            let t = Instant::now();
            let pdf = lentera_render::report_to_pdf(&doc.report).expect("pdf");
            pdf_times.push(t.elapsed());
            size = pdf.len();
        }
        println!(
            "{name}: document (figures + texts + charts) {}; PDF {} ({size} bytes)",
            summary(&mut doc_times),
            summary(&mut pdf_times)
        );
        db.close().await;
        if let Some(dir) = dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Times each read of the province's refresh on its own, to see which one dominates.
async fn dashboard_breakdown(name: &str, app: &lentera_app::App, db: &Db) {
    use lentera_app::testing::store::tallies;
    let prov = app.body_by_slug("prov").await.expect("b").expect("prov");
    let ids: Vec<Uuid> = lentera_app::testing::store::bodies::list(db)
        .await
        .expect("bodies")
        .iter()
        .filter(|b| b.id == prov.row.id || b.parent_id == Some(prov.row.id) && b.kind != "unit")
        .map(|b| b.id)
        .collect();
    let soon = prov.calendar.add_working_days(TODAY, 3).unwrap_or(TODAY);
    for _ in 0..2 {
        let mut line = format!("{name}: province reads ({} bodies):", ids.len());
        let t = Instant::now();
        let n = tallies::live_by_month(db, &ids, "2026-01", "2026-12")
            .await
            .expect("q")
            .len();
        let _ = write!(line, " by_month {:.1?} ({n} rows)", t.elapsed());
        let t = Instant::now();
        let n = tallies::live_totals(db, &ids, "2026-01", "2026-12")
            .await
            .expect("q")
            .len();
        let _ = write!(line, "; totals {:.1?} ({n} rows)", t.elapsed());
        let t = Instant::now();
        let n = tallies::open_upcoming(db, &ids, TODAY, soon)
            .await
            .expect("q")
            .len();
        let _ = write!(line, "; open_upcoming {:.1?} ({n} rows)", t.elapsed());
        let t = Instant::now();
        let n = tallies::received_on(db, &ids, TODAY)
            .await
            .expect("q")
            .len();
        let _ = write!(line, "; received_on {:.1?} ({n} rows)", t.elapsed());
        let t = Instant::now();
        let _ = lentera_app::testing::store::dashboard::objection_counts(db, &ids).await;
        let _ = write!(line, "; objections {:.1?}", t.elapsed());
        println!("{line}");
    }
}

/// Issue 6: the command centre of a province of 40 bodies (1,000,000 requests, about
/// 5,000,000 events at five per request): uncached refresh < 100 ms.
#[tokio::test]
#[ignore = "benchmark: run with bench/dashboard.sh"]
async fn dashboard_bench() {
    let total = env_usize("BENCH_REQUESTS", 1_000_000);
    for (name, db, dir) in databases().await {
        let app = app_on(&db);
        let reused = app.body_by_slug("prov").await.expect("body").is_some();
        let mut bodies = Vec::new();
        for i in 0..40 {
            if reused {
                break;
            }
            let slug = if i == 0 {
                "prov".to_owned()
            } else {
                format!("kab-{i:02}")
            };
            let (kind, parent) = if i == 0 {
                ("province", None)
            } else {
                ("regency", Some("prov"))
            };
            bodies.push(body_with_units(&app, &slug, kind, parent).await);
        }
        if reused {
            println!("{name}: reusing the generated database");
        } else {
            let took = generate(&db, &bodies, total).await;
            println!("{name}: generated {total} requests in 40 bodies in {took:.1?}");
        }
        dashboard_breakdown(name, &app, &db).await;
        for scope in [
            DashboardScope::Province("prov".into()),
            DashboardScope::Body("kab-01".into()),
        ] {
            let mut times = Vec::new();
            let mut last = None;
            for _ in 0..7 {
                let t = Instant::now();
                let f = app
                    .compute_dashboard(&scope, TODAY, 0)
                    .await
                    .expect("figures");
                times.push(t.elapsed());
                last = Some(f);
            }
            let f = last.expect("figures");
            // A live page's refresh after an event in one body: that body's share recomputed,
            // the others' reused.
            let changed = app
                .body_by_slug("kab-01")
                .await
                .expect("body")
                .expect("kab-01")
                .row
                .id;
            app.refresh_dashboard(&scope, TODAY).await.expect("warm");
            let mut refresh = Vec::new();
            for _ in 0..7 {
                app.changed_in(changed);
                let t = Instant::now();
                let r = app.refresh_dashboard(&scope, TODAY).await.expect("refresh");
                refresh.push(t.elapsed());
                assert_eq!(r.totals, f.totals, "refresh equals the cold figures");
            }
            println!(
                "{name}: {scope:?}: refresh after an event in kab-01 {}",
                summary(&mut refresh)
            );
            println!(
                "{name}: {scope:?}: uncached refresh {} (received {} open {} overdue {} on-time {:?}% median {:?} p90 {:?} WD)",
                summary(&mut times),
                f.totals.received_year,
                f.totals.open,
                f.totals.overdue,
                f.totals.on_time_pct,
                f.median_wd,
                f.p90_wd
            );
        }
        let t = Instant::now();
        app.annual_report_rollup("prov", 2026, None)
            .await
            .expect("rollup");
        println!(
            "{name}: roll-up report of the province (40 bodies): {:.1?}",
            t.elapsed()
        );
        db.close().await;
        if let Some(dir) = dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Copies the request `template` into `total` requests with their own ids and numbers (the
/// columns read from the schema, so the copy follows every migration); the tally triggers
/// run for each row as they would for live writes.
async fn clone_requests(db: &Db, template: &str, total: usize) -> Duration {
    let pg = matches!(db.write(), Conn::Postgres(_));
    let columns_sql = if pg {
        "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'requests' \
         AND table_schema = current_schema() ORDER BY ordinal_position"
    } else {
        "SELECT name FROM pragma_table_info('requests') ORDER BY cid"
    };
    let columns: Vec<(String,)> = lentera_app::testing::store::with_conn!(db.write(), |pool| {
        sqlx::query_as(columns_sql).fetch_all(pool).await
    })
    .expect("columns");
    let names: Vec<&str> = columns.iter().map(|c| c.0.as_str()).collect();
    let exprs: Vec<String> = names
        .iter()
        .map(|c| match *c {
            // Ordered like the UUIDv7 ids the service gives (time first), so that, as in a
            // real installation, a page of ids is a run of neighbouring rows, not 500 rows
            // scattered over the whole table.
            "id" if pg => "(lpad(to_hex(1800000000000 + s.n), 12, '0') || '7' || substr(md5(s.n::text), 1, 3) \
                           || '8' || substr(md5(s.n::text), 4, 15))::uuid"
                .to_owned(),
            "id" => "CAST(printf('%016d', s.n) AS BLOB)".to_owned(),
            "number" => "'B' || s.n".to_owned(),
            "submission_key" => "NULL".to_owned(),
            other => format!("r.{other}"),
        })
        .collect();
    // 250 rows per statement: on PostgreSQL one statement updating the same tally row
    // 100,000 times walks an ever longer chain of its own row versions.
    let started = Instant::now();
    let mut done = 0usize;
    while done < total {
        let (a, b) = (done + 1, (done + 250).min(total));
        let series = if pg {
            format!("generate_series({a}, {b}) AS s(n)")
        } else {
            "s".to_owned()
        };
        let with = if pg {
            String::new()
        } else {
            format!(
                "WITH RECURSIVE s(n) AS (SELECT {a} UNION ALL SELECT n + 1 FROM s WHERE n < {b}) "
            )
        };
        let sql = format!(
            "{with}INSERT INTO requests ({}) SELECT {} FROM requests r, {series} WHERE r.number = '{template}'",
            names.join(", "),
            exprs.join(", ")
        );
        let n = lentera_app::testing::store::with_conn!(db.write(), |pool| sqlx::query(
            sqlx::AssertSqlSafe(sql.clone())
        )
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
        .expect("clone");
        assert_eq!(n, (b + 1 - a) as u64);
        done = b;
    }
    lentera_app::testing::store::with_conn!(db.write(), |pool| sqlx::query("ANALYZE")
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
    .expect("analyze");
    started.elapsed()
}

/// Latencies of submissions and of tracking, from `clients` loops over HTTP, until `stop`.
async fn serve_load(
    s: &crate::common::TestServer,
    clients: usize,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> (Vec<Duration>, Vec<Duration>) {
    use std::sync::atomic::Ordering;
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let http = s.http.clone();
        let base = s.base.clone();
        let stop = std::sync::Arc::clone(&stop);
        tasks.push(tokio::spawn(async move {
            let (mut submit, mut track) = (Vec::new(), Vec::new());
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                let r = http
                    .post(format!("{base}/requests"))
                    .json(&crate::common::submission("kab-a"))
                    .send()
                    .await
                    .expect("submit");
                assert_eq!(r.status().as_u16(), 201);
                let v: serde_json::Value = r.json().await.expect("json");
                submit.push(t.elapsed());
                let (Some(n), Some(c)) = (v["number"].as_str(), v["tracking_code"].as_str()) else {
                    panic!("receipt without number: {v}");
                };
                let t = Instant::now();
                let r = http
                    .get(format!("{base}/requests/{n}?code={c}"))
                    .send()
                    .await
                    .expect("track");
                assert_eq!(r.status().as_u16(), 200);
                let _ = r.bytes().await;
                track.push(t.elapsed());
            }
            (submit, track)
        }));
    }
    let (mut submit, mut track) = (Vec::new(), Vec::new());
    for t in tasks {
        let (a, b) = t.await.expect("client");
        submit.extend(a);
        track.extend(b);
    }
    (submit, track)
}

fn p99(times: &mut [Duration]) -> String {
    if times.is_empty() {
        return "none".into();
    }
    times.sort();
    let at = |q: usize| times[(times.len() * q / 100).min(times.len() - 1)];
    format!(
        "n {} median {:.1?} p99 {:.1?} max {:.1?}",
        times.len(),
        at(50),
        at(99),
        times[times.len() - 1]
    )
}

/// Issue 14: loading a year into an installation with 100,000 open cases whose deadlines run
/// into it (recomputation < 5 s), while submissions and tracking are served over HTTP: their
/// latencies before and during the load.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run with bench/recompute.sh"]
async fn recompute_bench() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let total = env_usize("BENCH_OPEN_CASES", 100_000);
    let clients = env_usize("BENCH_CLIENTS", 4);
    // Where a batch's time goes: LENTERA_LOG=lentera_app=debug bench/recompute.sh
    if let Ok(filter) = std::env::var("LENTERA_LOG") {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .try_init();
    }
    for s in crate::common::servers().await {
        // Friday 18 December 2026: ten working days run into 2027, not loaded yet.
        s.clock.set(datetime!(2026-12-18 03:00 UTC));
        let (template, _) = s.submit("kab-a").await;
        let took = clone_requests(&s.app.db, &template, total).await;
        println!("{}: {total} open requests copied in {took:.1?}", s.name);
        // A copy of the database as the load finds it, to study its plans offline.
        if let (Ok(to), false) = (std::env::var("BENCH_SNAPSHOT"), s.name == "postgres") {
            lentera_app::testing::store::with_conn!(s.app.db.write(), |pool| {
                sqlx::query(sqlx::AssertSqlSafe(format!("VACUUM INTO '{to}'")))
                    .execute(pool)
                    .await
                    .map(|_| ())
            })
            .expect("snapshot");
        }
        let (state, text): (f64, f64) = lentera_app::testing::store::with_conn!(s.app.db.read(), |pool| {
            sqlx::query_as(
                "SELECT CAST(AVG(LENGTH(state)) AS DOUBLE PRECISION), \
                 CAST(AVG(LENGTH(information) + LENGTH(purpose)) AS DOUBLE PRECISION) FROM requests",
            )
            .fetch_one(pool)
            .await
        })
        .expect("row sizes");
        println!(
            "{}: a request row holds {state:.0} B of state, {text:.0} B of text",
            s.name
        );

        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let quiet = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(5)).await;
            flag.store(true, Ordering::Relaxed);
        });
        let (mut sub0, mut track0) = serve_load(&s, clients, Arc::clone(&stop)).await;
        quiet.await.expect("timer");
        println!(
            "{}: without recomputation: submit {} | track {}",
            s.name,
            p99(&mut sub0),
            p99(&mut track0)
        );

        let admin = s.token("admin@a.id").await;
        let file = serde_json::json!({"country": "ID", "year": 2027, "version": "2027.bench", "status": "confirmed", "days": [
            {"date": "2027-01-01", "kind": "national_holiday", "name": "Tahun Baru 2027 Masehi", "legal_basis": "SKB uji"},
            {"date": "2027-01-04", "kind": "collective_leave", "name": "Cuti bersama uji", "legal_basis": "SKB uji"}]})
        .to_string();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let http = s.http.clone();
        let url = format!("{}/calendar/years", s.base);
        let load = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            let t = Instant::now();
            let r = http
                .post(url)
                .bearer_auth(admin)
                .header("content-type", "application/json")
                .body(file)
                .send()
                .await
                .expect("load");
            let status = r.status().as_u16();
            let body: serde_json::Value = r.json().await.expect("json");
            let took = t.elapsed();
            flag.store(true, Ordering::Relaxed);
            (status, body, took)
        });
        let (mut sub1, mut track1) = serve_load(&s, clients, Arc::clone(&stop)).await;
        let (status, body, took) = load.await.expect("load");
        assert_eq!(status, 201, "{body}");
        println!(
            "{}: year loaded and {} open deadlines recomputed in {took:.2?}",
            s.name, body["recomputed"]
        );
        println!(
            "{}: during recomputation: submit {} | track {}",
            s.name,
            p99(&mut sub1),
            p99(&mut track1)
        );
        assert!(body["recomputed"].as_u64().unwrap_or(0) >= total as u64);
    }
}
