//! Snapshots of what citizens and officers see: the main pages' HTML and the generated annual
//! report (its CSV and the text of its PDF), at a pinned date on a seeded database. A change to
//! any of them shows in review as a diff of `tests/it/snapshots/*.snap`; after an intended
//! change, accept it with `INSTA_UPDATE=always cargo test -p lentera-web --test it snapshots`
//! (or `cargo insta review`). In CI (`CI` set) a difference fails the test and writes nothing.
//!
//! Both databases must render the same bytes: the PostgreSQL run compares against the snapshot
//! the SQLite run made.

use std::sync::LazyLock;

use regex::Regex;
use time::macros::datetime;

use crate::browser::{Browser, hidden};
use crate::common::{TestServer, servers};
use crate::pages::sign_in;

/// What differs from one run to the next and says nothing about the page: CSRF tokens, tracking
/// codes, submission keys, ids, the asset version.
fn normalised(text: &str) -> String {
    static RULES: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
        [
            (
                r#"name="csrf" value="[^"]*""#,
                r#"name="csrf" value="[csrf]""#,
            ),
            (
                r#"name="csrf-token" content="[^"]*""#,
                r#"name="csrf-token" content="[csrf]""#,
            ),
            (
                r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b",
                "[tracking-code]",
            ),
            (
                r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",
                "[uuid]",
            ),
            (
                r#"name="submission_key" value="[^"]*""#,
                r#"name="submission_key" value="[key]""#,
            ),
            (r"\?v=[0-9a-zA-Z]+", "?v=[asset]"),
            (r"code=[0-9A-Za-z-]{12,}", "code=[tracking-code]"),
        ]
        .into_iter()
        .map(|(re, to)| (Regex::new(re).expect("pattern"), to))
        .collect()
    });
    let mut out = text.to_owned();
    for (re, to) in RULES.iter() {
        out = re.replace_all(&out, *to).into_owned();
    }
    // One line per tag keeps a diff readable; the page's bytes are otherwise as served.
    out.replace("><", ">\n<")
}

/// The part of a page that is its own (the layout around it has one snapshot of its own).
fn main_of(html: &str) -> &str {
    let start = html.find("<main").unwrap_or(0);
    let end = html
        .find("</main>")
        .map_or(html.len(), |i| i + "</main>".len());
    &html[start..end]
}

fn check(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path("snapshots");
    settings.bind(|| insta::assert_snapshot!(name, normalised(text)));
}

/// kab-a at 2 Feb 2026: three requests (one granted, one withdrawn, one open, as the report
/// tests seed them); then the clock moves to 10 Feb. The open one's number and tracking code.
async fn seeded(s: &TestServer) -> (String, String) {
    crate::report::seed_requests(s).await;
    let (open, code) = s.submit("kab-a").await;
    s.clock.set(datetime!(2026-02-10 03:00 UTC));
    (open, code)
}

#[tokio::test]
async fn the_main_pages_look_as_reviewed() {
    for s in servers().await {
        let (open, code) = seeded(&s).await;
        let mut b = Browser::new(&s);

        let home = b.get("/").await;
        assert_eq!(home.status, 200, "{}", s.name);
        check("portal_home_full_page", &home.body);
        for (name, path) in [
            ("portal_body", "/b/kab-a"),
            ("portal_request_form", "/b/kab-a/permohonan"),
            ("portal_request_register", "/b/kab-a/register"),
            ("portal_dip", "/b/kab-a/dip"),
            ("portal_objection_register", "/b/kab-a/keberatan"),
            ("portal_track_form", "/lacak"),
            ("portal_report", "/b/kab-a/laporan?tahun=2026"),
        ] {
            let page = b.get(path).await;
            assert_eq!(page.status, 200, "{}: {path}", s.name);
            check(name, main_of(&page.body));
        }

        let form = b.get("/lacak").await;
        let csrf = hidden(&form.body, "csrf");
        let tracked = b
            .post(
                "/lacak",
                &[("csrf", &csrf), ("nomor", &open), ("kode", &code)],
            )
            .await;
        assert_eq!(tracked.status, 200, "{}", s.name);
        check("portal_tracked_request", main_of(&tracked.body));

        let (mut officer, _) = sign_in(&s, "ppid@a.id").await;
        for (name, path) in [
            ("office_queue", "/kantor".to_owned()),
            ("office_case", format!("/kantor/permohonan/{open}")),
        ] {
            let page = officer.get(&path).await;
            assert_eq!(page.status, 200, "{}: {path}", s.name);
            check(name, main_of(&page.body));
        }
    }
}

#[tokio::test]
async fn the_annual_report_reads_as_reviewed() {
    for s in servers().await {
        seeded(&s).await;
        let mut b = Browser::new(&s);
        let csv = b.get("/b/kab-a/laporan.csv?tahun=2026").await;
        assert_eq!(csv.status, 200, "{}", s.name);
        check("report_annual_csv", csv.body.trim_start_matches('\u{feff}'));

        let pdf = b.get("/b/kab-a/laporan.pdf?tahun=2026").await;
        assert_eq!(pdf.status, 200, "{}", s.name);
        check(
            "report_annual_pdf_text",
            &crate::report::pdf_text_lines(&pdf.bytes),
        );
    }
}
