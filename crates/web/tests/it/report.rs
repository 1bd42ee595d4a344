//! The annual service report over real HTTP on both databases: the HTML page, the PDF, CSV and
//! XLSX downloads, the back-office editor of the body's own texts, the roll-up of a parent.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use lentera_app::bodies::NewBody;
use serde_json::json;

use crate::common::{PASSWORD, TestServer, servers};

use crate::browser::{Browser, hidden};

async fn sign_in(s: &TestServer, email: &str) -> Browser {
    let mut b = Browser::new(s);
    let login = b.get("/kantor/masuk").await;
    let csrf = hidden(&login.text(), "csrf");
    let r = b
        .post(
            "/kantor/masuk",
            &[("csrf", &csrf), ("email", email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, 303, "{}: sign-in {email}", s.name);
    b
}

/// The PDF's text through poppler's `pdftotext` (`-layout` keeps the columns in place).
fn pdftotext(pdf: &[u8], name: &str, layout: bool) -> String {
    let path = std::env::temp_dir().join(format!(
        "lentera-web-report-{}-{name}.pdf",
        std::process::id()
    ));
    std::fs::write(&path, pdf).expect("write pdf");
    let mut cmd = std::process::Command::new("pdftotext");
    cmd.args(["-enc", "UTF-8"]);
    if layout {
        cmd.arg("-layout");
    }
    let out = cmd
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (apt-get install poppler-utils)");
    let _ = std::fs::remove_file(&path);
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The PDF's words joined by single spaces.
pub(crate) fn pdf_text(pdf: &[u8], name: &str) -> String {
    pdftotext(pdf, name, false)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The PDF's text line by line (trailing spaces and blank lines dropped), for a snapshot.
pub(crate) fn pdf_text_lines(pdf: &[u8]) -> String {
    pdftotext(pdf, "snapshot", true)
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The CSV's lines as records (tabel, judul, baris, kolom, nilai, teks).
fn csv_records(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}');
    let mut out = Vec::new();
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    for rec in r.records() {
        let rec = rec.expect("csv record");
        out.push(rec.iter().map(str::to_owned).collect());
    }
    out
}

/// kab-a: three requests in February 2026 — one granted, one withdrawn, one open.
pub(crate) async fn seed_requests(s: &TestServer) {
    let (a, _) = s.submit("kab-a").await;
    let (_, _) = s.submit("kab-a").await;
    let (c, code_c) = s.submit("kab-a").await;
    let token = s.token("ppid@a.id").await;
    let (status, v) = s
        .post(
            &format!("/requests/{a}/decision"),
            &json!({"outcome": "granted", "note": "Terlampir"}),
            Some(&token),
        )
        .await;
    assert_eq!(status, 200, "{}: {v}", s.name);
    let (status, v) = s
        .post(
            &format!("/requests/{c}/withdraw?code={code_c}"),
            &json!({}),
            None,
        )
        .await;
    assert_eq!(status, 200, "{}: {v}", s.name);
}

#[tokio::test]
async fn the_report_page_and_its_downloads_carry_the_figures() {
    for s in servers().await {
        seed_requests(&s).await;
        let mut b = Browser::new(&s);

        let page = b.get("/b/kab-a/laporan?tahun=2026").await;
        assert_eq!(page.status, 200, "{}", s.name);
        let html = page.text();
        for needle in [
            "LAPORAN LAYANAN INFORMASI PUBLIK",
            "Badan kab-a",
            "Tahun 2026",
            "BAB I",
            "BAB II",
            "BAB III",
            "BAB IV",
            "BAB V",
            "BAB VI",
            "3.1 Jumlah Permohonan Informasi Publik",
            "4.6 Hasil Putusan Pengadilan",
            "3 = 1 + 0 + 1 + 1 (cocok)",
            "Atasan PPID",
            "/b/kab-a/laporan.pdf?tahun=2026",
            "<svg",
        ] {
            assert!(html.contains(needle), "{}: page lacks {needle}", s.name);
        }
        // Open requests are listed by number only, never by who asked.
        assert!(!html.contains("Siti"), "{}: identity on the report", s.name);

        // CSV: table 3.1a, February, 3 received.
        let csv = b.get("/b/kab-a/laporan.csv?tahun=2026").await;
        assert_eq!(csv.status, 200, "{}", s.name);
        assert_eq!(csv.header("content-type"), "text/csv; charset=utf-8");
        assert!(
            csv.header("content-disposition")
                .contains("laporan-layanan-informasi-kab-a-2026.csv"),
            "{}",
            csv.header("content-disposition")
        );
        let rows = csv_records(&csv.bytes);
        assert_eq!(rows[0][0], "tabel");
        let feb = rows
            .iter()
            .find(|r| r[0] == "3.1a" && r[2] == "Februari" && r[3] == "Jumlah")
            .expect("3.1a February total");
        assert_eq!(feb[4], "3", "{}: {feb:?}", s.name);
        let jan = rows
            .iter()
            .find(|r| r[0] == "3.1a" && r[2] == "Januari" && r[3] == "Jumlah")
            .expect("3.1a January total");
        assert_eq!(jan[4], "0");
        let web = rows
            .iter()
            .find(|r| r[0] == "3.1a" && r[2] == "Februari" && r[3] == "Laman PPID")
            .expect("3.1a February web");
        assert_eq!(web[4], "3");
        let granted = rows
            .iter()
            .find(|r| r[0] == "3.3" && r[2] == "Dikabulkan seluruhnya" && r[3] == "Jumlah")
            .expect("3.3 granted");
        assert_eq!(granted[4], "1");

        // XLSX opens, with numbers as numbers.
        let x = b.get("/b/kab-a/laporan.xlsx?tahun=2026").await;
        assert_eq!(x.status, 200, "{}", s.name);
        assert_eq!(
            x.header("content-type"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert!(
            x.header("content-disposition")
                .contains("laporan-layanan-informasi-kab-a-2026.xlsx")
        );
        let mut wb: Xlsx<_> =
            calamine::open_workbook_from_rs(Cursor::new(x.bytes.clone())).expect("xlsx opens");
        let mut floats = Vec::new();
        for name in wb.sheet_names() {
            let range = wb.worksheet_range(&name).expect("sheet");
            for c in range.used_cells() {
                if let Data::Float(v) = c.2 {
                    floats.push(*v);
                }
            }
        }
        assert!(
            floats.iter().any(|v| (*v - 3.0).abs() < 1e-9),
            "{}: no numeric 3 in the workbook",
            s.name
        );

        // PDF: typeset with the title, the body and the figures.
        let pdf = b.get("/b/kab-a/laporan.pdf?tahun=2026").await;
        assert_eq!(pdf.status, 200, "{}", s.name);
        assert_eq!(pdf.header("content-type"), "application/pdf");
        assert!(
            pdf.header("content-disposition")
                .contains("laporan-layanan-informasi-kab-a-2026.pdf")
        );
        assert!(pdf.bytes.starts_with(b"%PDF"));
        let text = pdf_text(&pdf.bytes, s.name);
        assert!(text.contains("LAPORAN LAYANAN INFORMASI PUBLIK"), "{text}");
        assert!(text.contains("Badan kab-a"), "{text}");
        assert!(text.contains("3 = 1 + 0 + 1 + 1"), "{text}");

        // The API: JSON as the contract says by default, the outputs by `format`.
        let (status, j) = s.get("/reports/annual?body=kab-a&year=2026", None).await;
        assert_eq!(status, 200);
        assert_eq!(j["requests"]["received"], 3);
        assert_eq!(j["body"], "kab-a");
        let r = s
            .http
            .get(format!(
                "{}/reports/annual?body=kab-a&year=2026&period=q1&format=csv",
                s.base
            ))
            .send()
            .await
            .expect("send");
        assert_eq!(r.status().as_u16(), 200);
        assert!(
            r.headers()
                .get("content-disposition")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("laporan-layanan-informasi-kab-a-2026-q1.csv"))
        );
        let bytes = r.bytes().await.expect("bytes");
        assert!(
            csv_records(&bytes)
                .iter()
                .any(|r| r[0] == "3.1a" && r[2] == "Jumlah" && r[3] == "Jumlah" && r[4] == "3")
        );
        let r = s
            .http
            .get(format!(
                "{}/reports/annual?body=kab-a&year=2026&format=pdf",
                s.base
            ))
            .send()
            .await
            .expect("send");
        assert_eq!(r.status().as_u16(), 200);
        assert!(r.bytes().await.expect("pdf").starts_with(b"%PDF"));
    }
}

#[tokio::test]
async fn bad_years_and_periods_are_refused_clearly() {
    for s in servers().await {
        for q in [
            "body=kab-a&year=1999",
            "body=kab-a&year=abc",
            "body=kab-a&year=2026&period=s3",
            "body=kab-a&year=2026&format=doc",
            "body=kab-a&year=2026&rollup=maybe",
            "body=kab-a&year=1999&format=pdf",
            "year=2026",
        ] {
            let (status, e) = s.get(&format!("/reports/annual?{q}"), None).await;
            assert_eq!(status, 422, "{}: {q}: {e}", s.name);
            assert_eq!(e["error"]["code"], "validation.failed", "{q}: {e}");
        }
        let (status, _) = s
            .get("/reports/annual?body=nope&year=2026&format=csv", None)
            .await;
        assert_eq!(status, 404);

        let mut b = Browser::new(&s);
        for path in [
            "/b/kab-a/laporan?tahun=abc",
            "/b/kab-a/laporan?tahun=1999",
            "/b/kab-a/laporan?tahun=2026&periode=zz",
            "/b/kab-a/laporan.pdf?tahun=2026&periode=zz",
            "/b/kab-a/laporan.csv?tahun=99999",
        ] {
            let r = b.get(path).await;
            assert_eq!(r.status, 422, "{}: {path}", s.name);
            assert!(r.text().contains("tidak valid"), "{path}");
        }
        assert_eq!(b.get("/b/nope/laporan").await.status, 404);
        // Semester and quarter pages name their period.
        let r = b.get("/b/kab-a/laporan?tahun=2026&periode=q3").await;
        assert_eq!(r.status, 200);
        assert!(r.text().contains("Triwulan III 2026"));
    }
}

#[tokio::test]
async fn own_texts_are_edited_in_the_office_and_shown_escaped_everywhere() {
    for s in servers().await {
        let mut b = sign_in(&s, "ppid@a.id").await;
        let page = b.get("/kantor/laporan?tahun=2026").await;
        assert_eq!(page.status, 200, "{}", s.name);
        let html = page.text();
        assert!(html.contains("name=\"text_bab1\""));
        assert!(html.contains("href=\"/kantor/laporan\""), "nav link");
        let csrf = hidden(&html, "csrf");
        let policy = "Kebijakan layanan <script>alert(1)</script> & SK PPID 2026";

        // Without the CSRF token nothing is stored.
        let r = b
            .post(
                "/kantor/laporan",
                &[("tahun", "2026"), ("text_bab1", policy), ("v_bab1", "0")],
            )
            .await;
        assert_eq!(r.status, 403, "{}", s.name);
        let texts = s.app.report_texts("kab-a", 2026).await.expect("texts");
        assert_eq!(texts.get("bab1"), "");

        let r = b
            .post(
                "/kantor/laporan",
                &[
                    ("csrf", &csrf),
                    ("tahun", "2026"),
                    ("text_bab1", policy),
                    ("v_bab1", "0"),
                    ("text_bab5", "Jaringan internet\r\n\r\nSDM terbatas"),
                    ("v_bab5", "0"),
                    ("text_ttd_ppid", "Budi Santoso"),
                    ("v_ttd_ppid", "0"),
                    ("text_tempat", "Kendal"),
                    ("v_tempat", "0"),
                ],
            )
            .await;
        assert_eq!(
            (r.status, r.location.as_deref()),
            (303, Some("/kantor/laporan?tahun=2026&ok=1")),
            "{}: {}",
            s.name,
            r.text()
        );
        let office = b.get(r.location.as_deref().unwrap_or("")).await.text();
        assert!(office.contains("Teks laporan disimpan."));
        assert!(office.contains("ppid@a.id"), "author shown to officers");

        // Shown literally (escaped) on the public page.
        let public = Browser::new(&s)
            .get("/b/kab-a/laporan?tahun=2026")
            .await
            .text();
        assert!(
            public.contains(
                "Kebijakan layanan &#60;script&#62;alert(1)&#60;/script&#62; &#38; SK PPID 2026"
            ) || public.contains(
                "Kebijakan layanan &lt;script&gt;alert(1)&lt;/script&gt; &amp; SK PPID 2026"
            ),
            "{}: {public}",
            s.name
        );
        assert!(!public.contains("<script>alert(1)"));
        assert!(public.contains("Budi Santoso"));
        assert!(public.contains("Kendal, "));
        assert!(!public.contains("ppid@a.id"), "no author e-mail in public");

        // And in the PDF, as text.
        let pdf = b.get("/b/kab-a/laporan.pdf?tahun=2026").await;
        assert_eq!(pdf.status, 200);
        let text = pdf_text(&pdf.bytes, &format!("{}-texts", s.name));
        assert!(text.contains("<script>alert(1)</script>"), "{text}");
        assert!(text.contains("Budi Santoso"), "{text}");

        // A later year without its own text carries this one over.
        let later = b.get("/kantor/laporan?tahun=2027").await.text();
        assert!(later.contains("Teks dari tahun 2026"), "{}", s.name);

        // A stale editor (version 0 after a save) is a conflict; nothing is lost.
        let r = b
            .post(
                "/kantor/laporan",
                &[
                    ("csrf", &csrf),
                    ("tahun", "2026"),
                    ("text_bab1", "ditimpa"),
                    ("v_bab1", "0"),
                ],
            )
            .await;
        assert_eq!(r.status, 409, "{}", s.name);
        assert!(
            r.text().contains("ditimpa"),
            "the typed text is kept in the form"
        );

        // Too long: 422 naming the part.
        let long = "x".repeat(20_001);
        let r = b
            .post(
                "/kantor/laporan",
                &[
                    ("csrf", &csrf),
                    ("tahun", "2026"),
                    ("text_bab6", &long),
                    ("v_bab6", "0"),
                ],
            )
            .await;
        assert_eq!(r.status, 422, "{}", s.name);
        assert!(r.text().contains("bab6"));

        // The Atasan PPID may edit too; history keeps both versions.
        let mut atasan = sign_in(&s, "atasan@a.id").await;
        let html = atasan.get("/kantor/laporan?tahun=2026").await.text();
        let token = hidden(&html, "csrf");
        let v = hidden(&html, "v_bab1");
        assert_eq!(v, "1");
        let r = atasan
            .post(
                "/kantor/laporan",
                &[
                    ("csrf", &token),
                    ("tahun", "2026"),
                    ("text_bab1", "Kebijakan versi dua"),
                    ("v_bab1", &v),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}: {}", s.name, r.text());
        let texts = s.app.report_texts("kab-a", 2026).await.expect("texts");
        assert_eq!(texts.get("bab1"), "Kebijakan versi dua");
        let versions = texts
            .parts
            .iter()
            .find(|p| p.part.key == "bab1")
            .map(|p| p.versions_this_year);
        assert_eq!(versions, Some(2));

        // An officer of another body cannot edit kab-a's texts; nor can a viewer.
        let mut other = sign_in(&s, "ppid@b.id").await;
        let html = other.get("/kantor/laporan?tahun=2026").await.text();
        let token = hidden(&html, "csrf");
        let r = other
            .post(
                "/kantor/laporan",
                &[
                    ("csrf", &token),
                    ("tahun", "2026"),
                    ("badan", "kab-a"),
                    ("text_bab1", "bukan urusan saya"),
                ],
            )
            .await;
        assert_eq!(r.status, 403, "{}", s.name);
        assert_eq!(other.get("/kantor/laporan?badan=kab-a").await.status, 403);
        let mut viewer = sign_in(&s, "viewer@a.id").await;
        let html = viewer.get("/kantor/laporan?tahun=2026").await.text();
        assert!(html.contains("readonly"));
        let token = hidden(&html, "csrf");
        let r = viewer
            .post(
                "/kantor/laporan",
                &[
                    ("csrf", &token),
                    ("tahun", "2026"),
                    ("text_bab1", "pemantau"),
                ],
            )
            .await;
        assert_eq!(r.status, 403);
        let texts = s.app.report_texts("kab-a", 2026).await.expect("texts");
        assert_eq!(texts.get("bab1"), "Kebijakan versi dua");
        // Signed out: to the sign-in page.
        let r = Browser::new(&s).get("/kantor/laporan").await;
        assert_eq!(r.status, 303);
    }
}

#[tokio::test]
async fn the_roll_up_of_a_parent_sums_its_children() {
    for s in servers().await {
        for (slug, parent) in [
            ("prov-x", None),
            ("kota-x1", Some("prov-x")),
            ("kota-x2", Some("prov-x")),
        ] {
            s.app
                .create_body(&NewBody {
                    slug: slug.into(),
                    name: format!("Badan {slug}"),
                    kind: Some(if parent.is_some() { "city" } else { "province" }.into()),
                    parent: parent.map(str::to_owned),
                    ..NewBody::default()
                })
                .await
                .expect("body");
        }
        s.submit("kota-x1").await;
        s.submit("kota-x1").await;
        s.submit("kota-x2").await;
        s.submit("prov-x").await;

        let (status, j) = s
            .get("/reports/annual?body=prov-x&year=2026&rollup=true", None)
            .await;
        assert_eq!(status, 200, "{}: {j}", s.name);
        assert_eq!(j["requests"]["received"], 4, "{}: {j}", s.name);
        assert_eq!(j["children"].as_array().map(Vec::len), Some(2), "{j}");

        let mut b = Browser::new(&s);
        let html = b.get("/b/prov-x/laporan?tahun=2026&rollup=1").await.text();
        assert!(
            html.contains("Badan prov-x dan 2 badan publik di bawahnya"),
            "{html}"
        );
        assert!(html.contains("Tabel 3.0"));
        let csv = b.get("/b/prov-x/laporan.csv?tahun=2026&rollup=1").await;
        assert!(
            csv.header("content-disposition")
                .contains("laporan-layanan-informasi-prov-x-2026-gabungan.csv")
        );
        let rows = csv_records(&csv.bytes);
        let cell = |body: &str| {
            rows.iter()
                .find(|r| r[0] == "3.0" && r[2] == body && r[3] == "Diterima")
                .map(|r| r[4].clone())
        };
        assert_eq!(cell("Badan kota-x1").as_deref(), Some("2"));
        assert_eq!(cell("Badan kota-x2").as_deref(), Some("1"));
        let total = rows
            .iter()
            .find(|r| r[0] == "3.1a" && r[2] == "Jumlah" && r[3] == "Jumlah")
            .map(|r| r[4].clone());
        assert_eq!(total.as_deref(), Some("4"));
        // The single body's report stays its own.
        let (_, single) = s.get("/reports/annual?body=prov-x&year=2026", None).await;
        assert_eq!(single["requests"]["received"], 1);
    }
}

#[tokio::test]
async fn chapter_iv_counts_objections_and_disputes_as_of_the_period_end() {
    use time::macros::datetime;
    for s in servers().await {
        let (number, code) = s.submit("kab-a").await;
        s.clock.set(datetime!(2026-02-05 03:00 UTC));
        let ppid = s.token("ppid@a.id").await;
        let test = s.decided_test(&ppid, &["17h"], "188/9/PPID/2026").await;
        let refusal = json!({"outcome": "rejected_exempt", "grounds": ["17h"], "note": "Rahasia pribadi", "consequence_test": test});
        let (status, v) = s
            .post(
                &format!("/requests/{number}/decision"),
                &refusal,
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 200, "{}: {v}", s.name);
        s.clock.set(datetime!(2026-02-09 03:00 UTC));
        let objection = s.object(&number, &code, &["a"], "Bukan data pribadi").await;
        s.clock.set(datetime!(2026-02-20 03:00 UTC));
        let atasan = s.token("atasan@a.id").await;
        let (status, _) = s
            .post(
                &format!("/objections/{objection}/decision"),
                &json!({"outcome": "dismissed", "note": "Sudah tepat."}),
                Some(&atasan),
            )
            .await;
        assert_eq!(status, 200);
        s.clock.set(datetime!(2026-08-31 03:00 UTC));
        let ppid = s.token("ppid@a.id").await;
        for (name, body) in [
            (
                "filed",
                json!({"on": "2026-03-02", "commission": "Komisi Informasi Provinsi Jawa Tengah"}),
            ),
            (
                "registered",
                json!({"on": "2026-03-04", "ki_number": "012/REG-PSI/III/2026"}),
            ),
            (
                "ruled",
                json!({"on": "2026-05-04", "received_on": "2026-05-06", "ruling": "granted", "number": "012/PTS-A/KIP-JTG/2026"}),
            ),
        ] {
            let (status, v) = s
                .post(
                    &format!("/objections/{objection}/dispute/{name}"),
                    &body,
                    Some(&ppid),
                )
                .await;
            assert_eq!(status, 200, "{}: {name}: {v}", s.name);
        }
        let mut b = Browser::new(&s);
        let count = |rows: &[Vec<String>], table: &str, row: &str| {
            rows.iter()
                .find(|r| r[0] == table && r[2] == row && r[3] == "Jumlah")
                .map(|r| r[4].clone())
                .unwrap_or_default()
        };
        let year = csv_records(&b.get("/b/kab-a/laporan.csv?tahun=2026").await.bytes);
        assert_eq!(
            count(
                &year,
                "4.1",
                "A. Penolakan berdasarkan alasan pengecualian Pasal 17"
            ),
            "1",
            "{}",
            s.name
        );
        assert_eq!(count(&year, "4.2", "Ditolak"), "1");
        assert_eq!(count(&year, "4.3", "Diputus Komisi Informasi"), "1");
        assert_eq!(count(&year, "4.4", "Permohonan dikabulkan seluruhnya"), "1");
        assert_eq!(
            count(
                &year,
                "3.4",
                "– Pasal 17 huruf h: Mengungkap rahasia pribadi"
            ),
            "1"
        );
        // At the end of the first quarter the dispute was registered, not yet ruled.
        let q1 = csv_records(
            &b.get("/b/kab-a/laporan.csv?tahun=2026&periode=q1")
                .await
                .bytes,
        );
        assert_eq!(count(&q1, "4.3", "Teregistrasi"), "1", "{}", s.name);
        assert_eq!(count(&q1, "4.4", "Permohonan dikabulkan seluruhnya"), "0");
        // Nobody's identity anywhere in the report.
        let html = b.get("/b/kab-a/laporan?tahun=2026").await.text();
        assert!(!html.contains("Siti") && !html.contains("Bukan data pribadi"));
    }
}

/// Issue 19: the report of the running year is as of today, not of 31 December: nothing is
/// measured past today. A past year runs to its end.
#[tokio::test]
async fn the_report_of_the_running_year_is_as_of_today() {
    for s in crate::common::servers().await {
        let (status, j) = s.get("/reports/annual?body=kab-a&year=2026", None).await;
        assert_eq!(status, 200, "{}: {j}", s.name);
        assert_eq!(j["to"], "2026-02-02", "{}: {j}", s.name);
        let (_, j) = s.get("/reports/annual?body=kab-a&year=2025", None).await;
        assert_eq!(j["to"], "2025-12-31", "{}", s.name);
        let (_, j) = s
            .get("/reports/annual?body=kab-a&year=2026&period=s2", None)
            .await;
        assert_eq!(j["from"], "2026-07-01", "{}", s.name);
        assert_eq!(
            j["to"], "2026-07-01",
            "{}: a period not begun ends where it starts",
            s.name
        );
    }
}
