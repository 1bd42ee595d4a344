//! The HTML portal and back office over real HTTP, as a browser without JavaScript uses them.

use time::macros::datetime;

use crate::common::{NIK, PASSWORD, TestServer, servers};

pub(crate) use crate::browser::{Browser, between, hidden};

#[tokio::test]
async fn a_citizen_submits_without_javascript_and_tracks() {
    for s in servers().await {
        let mut b = Browser::new(&s);
        let home = b.get("/").await;
        assert_eq!(home.status, 200);
        assert!(home.body.contains("Badan kab-a"), "{}", s.name);
        let form = b.get("/b/kab-a/permohonan").await;
        assert_eq!(form.status, 200);
        let csrf = hidden(&form.body, "csrf");
        let key = hidden(&form.body, "submission_key");
        assert_eq!(csrf.len(), 32);

        // Bad input: errors beside the fields, what was typed is kept, nothing stored.
        let bad = b
            .post(
                "/b/kab-a/permohonan",
                &[
                    ("csrf", &csrf),
                    ("submission_key", &key),
                    ("kind", "individual"),
                    ("applicant.name", "Siti <b>Aminah</b>"),
                    ("applicant.id_number", "123"),
                ],
            )
            .await;
        assert_eq!(bad.status, 422, "{}", s.name);
        assert!(bad.body.contains("NIK harus 16 angka."));
        assert!(
            bad.body
                .contains("value=\"Siti &#60;b&#62;Aminah&#60;/b&#62;\"")
                || bad
                    .body
                    .contains("value=\"Siti &lt;b&gt;Aminah&lt;/b&gt;\""),
            "typed value not kept or not escaped"
        );
        assert!(bad.body.contains("aria-invalid=\"true\""));
        assert_eq!(s.count_requests().await, 0);

        let fields = [
            ("csrf", csrf.as_str()),
            ("submission_key", key.as_str()),
            ("kind", "individual"),
            ("applicant.name", "Siti Aminah"),
            ("applicant.id_number", NIK),
            ("applicant.address", "Jl. Pemuda 1"),
            ("applicant.occupation", "Wartawan"),
            ("applicant.email", "siti@example.id"),
            ("information", "Salinan <script>alert(1)</script> DPA 2026"),
            ("purpose", "Liputan"),
            ("obtain", "softcopy"),
            ("delivery", "email"),
            ("website", ""),
        ];
        let receipt = b.post("/b/kab-a/permohonan", &fields).await;
        assert_eq!(receipt.status, 201, "{}: {}", s.name, receipt.body);
        let number = between(&receipt.body, "id=\"receipt-number\">", "<");
        let code = between(&receipt.body, "id=\"receipt-code\">", "<");
        assert!(number.ends_with("-PPID-KAB-A-02-2026"), "{number}");
        assert_eq!(code.len(), 14);
        assert!(
            receipt.body.contains("Rabu, 18 Februari 2026"),
            "due date on the receipt"
        );
        // Issue 19: the receipt restates what was asked (escaped) and says what happens next.
        assert!(
            receipt
                .body
                .contains("Salinan &#60;script&#62;alert(1)&#60;/script&#62; DPA 2026")
                || receipt
                    .body
                    .contains("Salinan &lt;script&gt;alert(1)&lt;/script&gt; DPA 2026"),
            "{}: the request is not restated",
            s.name
        );
        assert!(!receipt.body.contains("<script>alert"));
        assert!(receipt.body.contains("id=\"receipt-next\""));
        assert!(receipt.body.contains("Liputan"));
        assert!(
            !receipt.body.contains(">softcopy ·"),
            "a raw code on the receipt"
        );
        // Sent twice (double click, reload): one request, the same receipt and code.
        let again = b.post("/b/kab-a/permohonan", &fields).await;
        assert_eq!(again.status, 200, "{}: nothing new was created", s.name);
        assert_eq!(between(&again.body, "id=\"receipt-number\">", "<"), number);
        assert_eq!(
            between(&again.body, "id=\"receipt-code\">", "<"),
            code,
            "{}",
            s.name
        );
        assert_eq!(s.count_requests().await, 1);

        let track = b
            .post(
                "/lacak",
                &[("csrf", &csrf), ("nomor", &number), ("kode", &code)],
            )
            .await;
        assert_eq!(track.status, 200);
        assert!(track.body.contains("id=\"track-status\">Diterima"));
        assert!(
            track.body.contains("Imlek"),
            "skipped holidays are explained"
        );
        let wrong = b
            .post(
                "/lacak",
                &[
                    ("csrf", &csrf),
                    ("nomor", &number),
                    ("kode", "XXXX-XXXX-XXXX"),
                ],
            )
            .await;
        assert_eq!(wrong.status, 404);

        // The public register shows initials, never the name or the NIK; markup is escaped.
        let register = b.get("/b/kab-a/register").await;
        assert!(register.body.contains("S.A."));
        assert!(!register.body.contains("Siti") && !register.body.contains(NIK));
        assert!(!register.body.contains("<script>alert(1)</script>"));
    }
}

#[tokio::test]
async fn forms_without_a_valid_csrf_token_or_from_another_site_are_refused() {
    for s in servers().await {
        let mut b = Browser::new(&s);
        let form = b.get("/b/kab-a/permohonan").await;
        let csrf = hidden(&form.body, "csrf");
        assert_eq!(
            b.post("/b/kab-a/permohonan", &[("csrf", "0".repeat(32).as_str())])
                .await
                .status,
            403
        );
        assert_eq!(
            b.post(
                "/kantor/masuk",
                &[("email", "ppid@a.id"), ("password", PASSWORD)]
            )
            .await
            .status,
            403
        );
        let cross = b
            .http
            .post(format!("{}/kantor/masuk", b.root))
            .header("cookie", b.cookie_header())
            .header("origin", "https://evil.example")
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", "ppid@a.id"),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(cross.status().as_u16(), 403, "{}", s.name);
        // Issue 15, finding 6: `Origin: null` (a sandboxed frame, a data: page) and the same
        // host under another scheme are cross-site too.
        let host = b.root.trim_start_matches("http://").to_owned();
        for origin in [
            "null".to_owned(),
            format!("ftp://{host}"),
            format!("ws://{host}"),
        ] {
            let r = b
                .http
                .post(format!("{}/kantor/masuk", b.root))
                .header("cookie", b.cookie_header())
                .header("origin", origin.as_str())
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("email", "ppid@a.id"),
                    ("password", PASSWORD),
                ])
                .send()
                .await
                .expect("post");
            assert_eq!(r.status().as_u16(), 403, "{}: Origin {origin}", s.name);
        }
        assert_eq!(s.count_requests().await, 0);
    }
}

pub(crate) async fn sign_in(s: &TestServer, email: &str) -> (Browser, String) {
    let mut b = Browser::new(s);
    let login = b.get("/kantor/masuk").await;
    let csrf = hidden(&login.body, "csrf");
    let r = b
        .post(
            "/kantor/masuk",
            &[("csrf", &csrf), ("email", email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        (r.status, r.location.as_deref()),
        (303, Some("/kantor")),
        "{}: sign-in {email}",
        s.name
    );
    assert!(b.cookies.contains_key("lentera_sid"));
    let queue = b.get("/kantor").await;
    assert_eq!(queue.status, 200);
    let token = hidden(&queue.body, "csrf");
    (b, token)
}

#[tokio::test]
async fn an_officer_works_the_queue_extends_and_decides() {
    for s in servers().await {
        let (number, code) = s.submit("kab-a").await;
        let mut anon = Browser::new(&s);
        assert_eq!(
            anon.get("/kantor").await.location.as_deref(),
            Some("/kantor/masuk")
        );

        s.clock.set(datetime!(2026-02-13 03:00 UTC));
        let (mut b, csrf) = sign_in(&s, "ppid@a.id").await;
        let queue = b.get("/kantor").await;
        assert!(queue.body.contains(&number), "{}", s.name);
        assert!(queue.body.contains("id=\"c-open\">1<"));

        let case = b.get(&format!("/kantor/permohonan/{number}")).await;
        assert_eq!(case.status, 200);
        assert!(case.body.contains("************0007") && !case.body.contains(NIK));
        let path = format!("/kantor/permohonan/{number}/tindakan");
        // First step: the confirmation shows the due date the extension will give.
        let confirm = b
            .post(
                &path,
                &[
                    ("csrf", &csrf),
                    ("action", "extend"),
                    ("reason", "Dihimpun dari unit"),
                ],
            )
            .await;
        assert_eq!(confirm.status, 200);
        assert!(
            confirm.body.contains("Jumat, 27 Februari 2026"),
            "{}",
            s.name
        );
        let done = b
            .post(
                &path,
                &[
                    ("csrf", &csrf),
                    ("action", "extend"),
                    ("reason", "Dihimpun dari unit"),
                    ("confirm", "1"),
                ],
            )
            .await;
        assert_eq!(done.status, 303);
        // A second extension is refused with the reason shown.
        let twice = b
            .post(
                &path,
                &[
                    ("csrf", &csrf),
                    ("action", "extend"),
                    ("reason", "lagi"),
                    ("confirm", "1"),
                ],
            )
            .await;
        assert_eq!(twice.status, 409);
        assert!(twice.body.contains("sudah pernah diperpanjang"));

        let decided = b
            .post(
                &path,
                &[
                    ("csrf", &csrf),
                    ("action", "decide"),
                    ("outcome", "partially_granted"),
                    ("grounds", "17h"),
                    ("note", "Data pribadi dihitamkan"),
                    ("fee_idr", "0"),
                    ("confirm", "1"),
                ],
            )
            .await;
        assert_eq!(decided.status, 303, "{}: {}", s.name, decided.body);
        let view = s.app.track(&number, &code).await.expect("track");
        assert_eq!(view.status, "decided");
        assert_eq!(
            view.decision.as_ref().map(|d| d.grounds.clone()),
            Some(vec!["17h"])
        );

        // Revealing the full NIK is possible and audited.
        let revealed = b
            .post(
                &format!("/kantor/permohonan/{number}/identitas"),
                &[("csrf", &csrf)],
            )
            .await;
        assert!(revealed.body.contains(NIK));
        assert_eq!(
            lentera_app::testing::store::audit::count_for(&s.app.db, "request", &number)
                .await
                .expect("audit"),
            1
        );

        // Another body's officer cannot open the case; a PPID is not an admin.
        let (mut other, _) = sign_in(&s, "ppid@b.id").await;
        assert_eq!(
            other
                .get(&format!("/kantor/permohonan/{number}"))
                .await
                .status,
            403
        );
        assert_eq!(b.get("/kantor/admin").await.status, 403);
    }
}

#[tokio::test]
async fn walk_in_intake_and_administration() {
    for s in servers().await {
        let (mut b, csrf) = sign_in(&s, "ppid@a.id").await;
        let form = b.get("/kantor/permohonan-baru").await;
        let key = hidden(&form.body, "submission_key");
        let r = b
            .post(
                "/kantor/permohonan-baru",
                &[
                    ("csrf", &csrf),
                    ("submission_key", &key),
                    ("kind", "individual"),
                    ("applicant.name", "Budi"),
                    ("applicant.id_number", NIK),
                    ("applicant.address", "Jl. B"),
                    ("applicant.occupation", "Petani"),
                    ("applicant.phone", "081234567890"),
                    ("information", "Data irigasi"),
                    ("purpose", "Usaha tani"),
                    ("obtain", "hardcopy"),
                    ("delivery", "pickup"),
                    ("received_on", "2026-01-27"),
                    ("channel", "in_person"),
                ],
            )
            .await;
        assert_eq!(r.status, 201, "{}: {}", s.name, r.body);
        assert!(
            r.body.contains("Selasa, 10 Februari 2026"),
            "due date counted from the real receipt date"
        );
        let number = s
            .get("/cases", Some(&s.token("ppid@a.id").await))
            .await
            .1
            .as_array()
            .and_then(|a| a.iter().find(|c| c["channel"] == "in_person").cloned())
            .and_then(|c| c["number"].as_str().map(str::to_owned))
            .expect("walk-in case listed");
        let case = b.get(&format!("/kantor/permohonan/{number}")).await;
        assert!(
            case.body.contains("Datang langsung") && !case.body.contains("in_person"),
            "{}: the channel's code on the case page",
            s.name
        );

        let (mut admin, csrf) = sign_in(&s, "admin@a.id").await;
        let added = admin
            .post(
                "/kantor/admin/badan",
                &[
                    ("csrf", &csrf),
                    ("slug", "kab-a-bappeda"),
                    ("name", "Bappeda"),
                    ("kind", "unit"),
                    ("parent", "kab-a"),
                    ("time_zone", "wib"),
                ],
            )
            .await;
        assert_eq!(added.status, 200);
        assert!(added.body.contains("kab-a-bappeda"));
        let bad = admin
            .post(
                "/kantor/admin/badan",
                &[
                    ("csrf", &csrf),
                    ("slug", "Bad Slug"),
                    ("name", "x"),
                    ("kind", "unit"),
                    ("parent", "kab-a"),
                ],
            )
            .await;
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains("value=\"Bad Slug\""), "typed slug lost");
        let closure = admin
            .post(
                "/kantor/admin/badan/kab-a/penutupan",
                &[("csrf", &csrf), ("day", "2026-02-05"), ("reason", "Banjir")],
            )
            .await;
        assert_eq!(closure.status, 303, "{}", s.name);
        let (_, v) = s
            .get(
                "/calendar/working-days?from=2026-02-02&days=10&body=kab-a",
                None,
            )
            .await;
        assert_eq!(v["due"], "2026-02-19");
        let user = admin
            .post(
                "/kantor/admin/petugas",
                &[
                    ("csrf", &csrf),
                    ("email", "baru@a.id"),
                    ("role", "viewer"),
                    ("body", "kab-a"),
                    ("password", "kata-sandi-baru"),
                ],
            )
            .await;
        assert!(user.body.contains("baru@a.id"));
        // Codes stay off the page: kinds and roles by name, bodies by name.
        for code in [">viewer<", ">unit<", ">ppid_unit<"] {
            assert!(
                !user.body.contains(code),
                "{}: {code} on the admin page",
                s.name
            );
        }
        assert!(user.body.contains(">Pemantau<") && user.body.contains(">PPID Pelaksana<"));
    }
}

#[tokio::test]
async fn pages_switch_to_english_and_stay_small() {
    for s in servers().await {
        let mut b = Browser::new(&s);
        let r = b.get("/bahasa/en?kembali=/lacak").await;
        assert_eq!(r.location.as_deref(), Some("/lacak"));
        let page = b.get("/lacak").await;
        assert!(page.body.contains("<html lang=\"en\">") && page.body.contains("Track a request"));
        // Open redirects are refused.
        assert_eq!(
            b.get("/bahasa/id?kembali=//evil.example")
                .await
                .location
                .as_deref(),
            Some("/")
        );
        for path in [
            "/",
            "/b/kab-a",
            "/b/kab-a/permohonan",
            "/lacak",
            "/assets/lentera.css",
        ] {
            let p = b.get(path).await;
            assert_eq!(p.status, 200, "{path}");
            assert!(
                p.body.len() < 100_000,
                "{path} weighs {} bytes",
                p.body.len()
            );
        }
        assert_eq!(b.get("/b/nope").await.status, 404);
    }
}

#[tokio::test]
async fn failed_officer_and_objection_forms_come_back_filled_in() {
    for s in servers().await {
        let (number, code) = s.submit("kab-a").await;
        let (mut b, csrf) = sign_in(&s, "ppid@a.id").await;
        let path = format!("/kantor/permohonan/{number}/tindakan");
        // A grant cannot cite Pasal 17: the error stands beside the grounds, the note is kept.
        let r = b
            .post(
                &path,
                &[
                    ("csrf", &csrf),
                    ("action", "decide"),
                    ("outcome", "granted"),
                    ("grounds", "17h"),
                    ("note", "Catatan yang diketik"),
                    ("confirm", "1"),
                ],
            )
            .await;
        assert_eq!(r.status, 422, "{}", s.name);
        assert!(
            r.body.contains(">Catatan yang diketik</textarea>"),
            "typed note lost"
        );
        assert!(
            r.body.contains("Tidak berlaku untuk keputusan ini."),
            "no error beside the grounds"
        );
        // An objection on grounds not yet available keeps the statement typed.
        let mut citizen = Browser::new(&s);
        let page = citizen.get("/lacak").await;
        let token = hidden(&page.body, "csrf");
        let r = citizen
            .post(
                "/lacak/keberatan",
                &[
                    ("csrf", &token),
                    ("nomor", &number),
                    ("kode", &code),
                    ("grounds", "c"),
                    ("reason", "Pernyataan saya"),
                ],
            )
            .await;
        assert_eq!(r.status, 422, "{}", s.name);
        assert!(r.body.contains(">Pernyataan saya</textarea>"));
        assert_eq!(s.count_objections().await, 0);
    }
}

#[tokio::test]
async fn an_officer_records_a_paper_objection_on_the_case_page() {
    for s in servers().await {
        let (number, _) = s.submit("kab-a").await;
        s.clock.set(datetime!(2026-02-23 03:00 UTC));
        let (mut b, csrf) = sign_in(&s, "ppid@a.id").await;
        let case = b.get(&format!("/kantor/permohonan/{number}")).await;
        assert!(
            case.body.contains("name=\"grounds\" value=\"c\""),
            "{}: ground c not offered",
            s.name
        );
        assert!(!case.body.contains("name=\"grounds\" value=\"a\""));
        let r = b
            .post(
                &format!("/kantor/permohonan/{number}/keberatan"),
                &[
                    ("csrf", &csrf),
                    ("grounds", "c"),
                    ("reason", "Surat keberatan tertanggal 20 Februari"),
                ],
            )
            .await;
        assert_eq!(r.status, 200, "{}", s.name);
        assert!(
            r.body.contains("Keberatan dicatat KEB-0001-KAB-A-2026"),
            "{}",
            r.body
        );
        assert_eq!(s.count_objections().await, 1);
    }
}

/// Every form route of the pages router: `(path, multipart)`. The routes are read from the
/// source of every `router()` under `src/pages`, found at test time, so a new feature folder is
/// covered the day it is added.
fn form_routes() -> Vec<(String, bool)> {
    let pages = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/pages");
    let mut files = Vec::new();
    rust_files(&pages, &mut files);
    let mut routers = 0;
    let mut routes = Vec::new();
    for file in &files {
        let src = std::fs::read_to_string(file).expect("a source file of the pages");
        let Some(start) = src.find("pub fn router() -> Router<AppState> {") else {
            assert!(
                !src.contains(".route("),
                "{} routes outside a router(): not read",
                file.display()
            );
            continue;
        };
        let body = &src[start..];
        let body = &body[..body.find("\n}\n").expect("end of router()")];
        assert_eq!(
            body.matches(".route(").count(),
            src.matches(".route(").count(),
            "{} routes outside its router(): not read",
            file.display()
        );
        routers += 1;
        routes.extend(crate::common::routes_in(body));
    }
    // Every merged feature router was read, and the composing one itself.
    let merged = include_str!("../../src/pages/mod.rs")
        .matches(".merge(")
        .count();
    assert_eq!(routers, merged + 1, "routers read in {files:?}");
    routes
        .into_iter()
        .filter(|(_, handlers)| handlers.contains("post("))
        .map(|(path, handlers)| (path, handlers.contains("DefaultBodyLimit")))
        .collect()
}

fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("the pages folder")
        .map(|e| e.expect("a folder entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Issue 17: a form handler cannot run without its guard. An administrator (who passes every
/// role check) posting each form with a wrong token is refused with 403 before anything runs,
/// and a browser without a session is refused or sent to sign in.
#[tokio::test]
async fn every_form_route_refuses_a_wrong_token_before_it_runs() {
    let routes = form_routes();
    // 43 form routes, 4 of them uploads, when the router was split by feature.
    assert!(routes.len() >= 43, "routes read: {routes:?}");
    assert!(
        routes.iter().filter(|(_, multipart)| *multipart).count() >= 4,
        "uploads read: {routes:?}"
    );
    let s = &servers().await[0];
    let (number, _) = s.submit("kab-a").await;
    let (mut admin, _) = sign_in(s, "admin@a.id").await;
    let mut anon = Browser::new(s);
    let _ = anon.get("/b/kab-a/permohonan").await;
    let before = s.count_requests().await;
    for (route, multipart) in &routes {
        let path = route
            .replace("{slug}", "kab-a")
            .replace("{number}", &number)
            .replace("{id}", "0190d4a2-6f1e-7000-8000-000000000001")
            .replace("{action}", "nonaktifkan")
            .replace("{year}", "2026")
            .replace("{token}", &"ab".repeat(32));
        assert!(
            !path.contains('{'),
            "a path parameter this test does not fill: {route}"
        );
        let wrong = [("csrf", "0".repeat(32))];
        let wrong: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = if *multipart {
            admin
                .upload(&path, &wrong, "a.txt", "text/plain", b"x")
                .await
        } else {
            admin.post(&path, &wrong).await
        };
        assert_eq!(r.status, 403, "{route} with a wrong token: {}", r.status);
        let r = if *multipart {
            anon.upload(&path, &wrong, "a.txt", "text/plain", b"x")
                .await
        } else {
            anon.post(&path, &wrong).await
        };
        assert!(
            r.status == 403 || (r.status == 303 && r.location.as_deref() == Some("/kantor/masuk")),
            "{route} without a session: {}",
            r.status
        );
    }
    assert_eq!(s.count_requests().await, before);
}

/// Issue 19: the tracking page offers no objection on a request filed minutes ago (ground b
/// alone is no reason), says when one becomes possible, offers it once the request is ignored,
/// and not again once it was filed.
#[tokio::test]
async fn the_tracking_page_offers_an_objection_only_when_one_has_arisen() {
    for s in servers().await {
        let (number, code) = s.submit("kab-a").await;
        let mut citizen = Browser::new(&s);
        let token = hidden(&citizen.get("/lacak").await.body, "csrf");
        let form = [
            ("csrf", token.as_str()),
            ("nomor", &number),
            ("kode", &code),
        ];
        let page = citizen.post("/lacak", &form).await;
        assert_eq!(page.status, 200, "{}", s.name);
        assert!(
            !page.body.contains(r#"name="grounds""#),
            "{}: offered on a new request",
            s.name
        );
        assert!(page.body.contains(r#"id="objection-later""#), "{}", s.name);

        // Ignored past its due date: offered.
        s.clock.set(datetime!(2026-02-23 03:00 UTC));
        let page = citizen.post("/lacak", &form).await;
        assert!(
            page.body.contains(r#"name="grounds" value="c""#),
            "{}",
            s.name
        );
        s.object(&number, &code, &["c"], "Tidak dijawab").await;
        // Filed: shown as filed, not offered again.
        let page = citizen.post("/lacak", &form).await;
        assert!(
            !page.body.contains(r#"name="grounds""#),
            "{}: offered twice",
            s.name
        );
        assert!(!page.body.contains(r#"id="objection-later""#), "{}", s.name);
        s.clock.set(datetime!(2026-03-02 03:00 UTC));
        assert!(
            !citizen
                .post("/lacak", &form)
                .await
                .body
                .contains(r#"name="grounds""#)
        );
    }
}

/// Issue 19: a refusal as exempt without its consequence test is refused before the
/// confirmation, in words (not a field code), with what was typed kept; an overdue case is not
/// offered an extension whose new date has already passed.
#[tokio::test]
async fn refused_actions_are_explained_before_confirmation_and_nothing_typed_is_lost() {
    for s in servers().await {
        let (number, _) = s.submit("kab-a").await;
        let (mut b, csrf) = sign_in(&s, "ppid@a.id").await;
        let path = format!("/kantor/permohonan/{number}/tindakan");
        let r = b
            .post(
                &path,
                &[
                    ("csrf", &csrf),
                    ("action", "decide"),
                    ("outcome", "rejected_exempt"),
                    ("grounds", "17h"),
                    ("note", "Memuat data pribadi penerima"),
                ],
            )
            .await;
        assert_eq!(r.status, 422, "{}", s.name);
        assert!(
            !r.body.contains("Ya, lakukan"),
            "{}: confirmation offered",
            s.name
        );
        assert!(
            r.body.contains(">Memuat data pribadi penerima</textarea>"),
            "{}",
            s.name
        );
        assert!(
            !r.body.contains("consequence_test:"),
            "{}: a field code on the page",
            s.name
        );
        assert!(
            r.body.contains("uji konsekuensi"),
            "{}: not explained",
            s.name
        );

        // Ten working days have passed: no extension is offered.
        let case = b.get(&format!("/kantor/permohonan/{number}")).await;
        assert!(case.body.contains(r#"value="extend""#), "{}", s.name);
        s.clock.set(datetime!(2026-02-19 03:00 UTC));
        let case = b.get(&format!("/kantor/permohonan/{number}")).await;
        assert!(
            !case.body.contains(r#"value="extend""#),
            "{}: extension offered past due",
            s.name
        );
    }
}
