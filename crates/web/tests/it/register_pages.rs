//! The register pages over real HTTP: the back-office forms, the public DIP/DIK with exports,
//! documents, published answers and their feeds, and the search.

use crate::common::{NIK, PASSWORD, TestServer, servers};

pub(crate) use crate::browser::{Browser, Page, hidden};

fn header(p: &Page, name: &str) -> String {
    p.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
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
    assert_eq!(r.status, 303, "{}: sign-in {email}", s.name);
    let queue = b.get("/kantor/register").await;
    assert_eq!(queue.status, 200, "{}: {}", s.name, queue.body);
    let token = hidden(&queue.body, "csrf");
    assert!(!token.is_empty());
    (b, token)
}

const SCRIPT: &str = "<script>alert(1)</script>";

/// Creates a draft entry through the form; returns its id.
pub(crate) async fn create_entry(
    b: &mut Browser,
    csrf: &str,
    title: &str,
    summary: &str,
) -> String {
    let r = b
        .post(
            "/kantor/register",
            &[
                ("csrf", csrf),
                ("kind", "periodic"),
                ("title", title),
                ("summary", summary),
                ("unit", ""),
                ("responsible", "-Kepala Bidang Keuangan"),
                ("made_when", "Januari 2026"),
                ("made_where", "Kota A"),
                ("forms", "softcopy"),
                ("forms", "hardcopy"),
                ("retention", "10 tahun"),
                ("year", "2026"),
                ("legal_basis", ""),
                ("checklist", "berkala.keuangan"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let loc = r.location.expect("location");
    let id = loc
        .trim_start_matches("/kantor/register/")
        .split('?')
        .next()
        .unwrap_or("")
        .to_owned();
    assert_eq!(id.len(), 36, "{loc}");
    id
}

async fn count(s: &TestServer, table: &str) -> i64 {
    let sql: &'static str = match table {
        "register_entries" => "SELECT COUNT(*) FROM register_entries",
        "documents" => "SELECT COUNT(*) FROM documents WHERE removed_at IS NULL",
        "publications" => "SELECT COUNT(*) FROM publications",
        other => panic!("no count for {other}"),
    };
    lentera_app::testing::store::with_conn!(s.app.db.read(), |pool| sqlx::query_scalar::<_, i64>(
        sql
    )
    .fetch_one(pool)
    .await)
    .expect("count")
}

fn not_raw_script(page: &Page, what: &str) {
    assert!(
        !page.body.contains(SCRIPT),
        "{what}: unescaped markup in the page"
    );
}

#[tokio::test]
async fn an_entry_made_in_the_back_office_reaches_the_public_dip_exports_and_search() {
    for s in servers().await {
        let mut anon = Browser::new(&s);
        let (mut b, csrf) = sign_in(&s, "ppid@a.id").await;

        // Errors come back beside the fields with the typed values kept; nothing stored.
        let bad = b
            .post(
                "/kantor/register",
                &[
                    ("csrf", &csrf),
                    ("kind", "periodic"),
                    ("title", ""),
                    ("summary", "Ringkasan <b>tebal</b>"),
                ],
            )
            .await;
        assert_eq!(bad.status, 422, "{}: {}", s.name, bad.body);
        assert!(bad.body.contains("id=\"e-title-err\""));
        assert!(bad.body.contains("Wajib diisi."));
        assert!(
            bad.body.contains("Ringkasan &#60;b&#62;tebal&#60;/b&#62;")
                || bad.body.contains("Ringkasan &lt;b&gt;tebal&lt;/b&gt;")
        );
        assert_eq!(count(&s, "register_entries").await, 0, "{}", s.name);
        // Without the token nothing happens.
        let forged = b
            .post("/kantor/register", &[("kind", "periodic"), ("title", "x")])
            .await;
        assert_eq!(forged.status, 403);

        let title = format!("Laporan Keuangan {SCRIPT} Tahunan");
        let id = create_entry(&mut b, &csrf, &title, "=1+2 realisasi anggaran daerah").await;
        let office = b.get(&format!("/kantor/register/{id}?ok=created")).await;
        assert_eq!(office.status, 200);
        not_raw_script(&office, "office entry page");
        assert!(office.body.contains("Draf (belum publik)"));
        let list = b.get("/kantor/register").await;
        not_raw_script(&list, "office list");
        assert!(list.body.contains(&format!("/kantor/register/{id}")));

        // Not public before publication.
        let path = format!("/b/kab-a/dip/{id}");
        assert_eq!(anon.get(&path).await.status, 404, "{}", s.name);
        let dip = anon.get("/b/kab-a/dip").await;
        assert_eq!(dip.status, 200);
        assert!(!dip.body.contains("Laporan Keuangan"));
        assert!(dip.body.contains("Yang belum tersedia"));
        assert!(dip.body.contains("id=\"completeness\">0%"), "{}", s.name);

        let published = b
            .post(
                &format!("/kantor/register/{id}/publikasi"),
                &[("csrf", &csrf), ("publish", "1")],
            )
            .await;
        assert_eq!(published.status, 303, "{}", published.body);

        let dip = anon.get("/b/kab-a/dip").await;
        assert!(dip.body.contains(&path), "{}", s.name);
        assert!(dip.body.contains("Informasi berkala"));
        assert!(
            dip.body.contains("Laporan Keuangan &#60;script&#62;")
                || dip.body.contains("Laporan Keuangan &lt;script&gt;")
        );
        not_raw_script(&dip, "public DIP");
        assert!(
            !dip.body.contains("id=\"completeness\">0%"),
            "checklist coverage moved"
        );
        assert!(dip.body.contains("/b/kab-a/dip.csv") && dip.body.contains("/b/kab-a/dip.xlsx"));
        assert!(dip.body.contains("/b/kab-a/dik") && dip.body.contains("/b/kab-a/publikasi.atom"));
        let page = anon.get(&path).await;
        assert_eq!(page.status, 200);
        not_raw_script(&page, "permanent page");
        assert!(page.body.contains("Januari 2026, Kota A"));
        assert_eq!(anon.get(&format!("/b/kab-b/dip/{id}")).await.status, 404);
        assert_eq!(anon.get("/b/kab-a/dip/not-a-uuid").await.status, 404);
        let body_page = anon.get("/b/kab-a").await;
        assert!(body_page.body.contains("href=\"/b/kab-a/dip\""));
        assert!(body_page.body.contains("href=\"/b/kab-a/jawaban\""));
        assert!(body_page.body.contains("href=\"/cari\""));

        // CSV: an attachment, the entry with its permanent URL, formulas neutralised.
        let csv = anon.get("/b/kab-a/dip.csv").await;
        assert_eq!(csv.status, 200);
        assert!(header(&csv, "content-type").starts_with("text/csv"));
        assert!(header(&csv, "content-disposition").starts_with("attachment;"));
        assert!(csv.body.contains("Ringkasan isi informasi"));
        assert!(csv.body.contains("Laporan Keuangan <script>"));
        assert!(csv.body.contains(&format!("/b/kab-a/dip/{id}")));
        assert!(csv.body.contains("'=1+2 realisasi"), "{}", csv.body);
        assert!(csv.body.contains("'-Kepala Bidang"), "{}", csv.body);
        assert!(!csv.body.contains(",=1+2") && !csv.body.contains(",-Kepala"));
        let xlsx = anon.get("/b/kab-a/dip.xlsx").await;
        assert_eq!(xlsx.status, 200);
        assert!(xlsx.bytes.starts_with(b"PK"), "{}", s.name);
        assert!(header(&xlsx, "content-type").contains("spreadsheetml"));
        assert!(header(&xlsx, "content-disposition").starts_with("attachment;"));

        // Search finds it, escapes it, and survives hostile queries.
        let found = anon.get("/cari?q=realisasi+anggaran").await;
        assert_eq!(found.status, 200);
        assert!(found.body.contains(&path), "{}: {}", s.name, found.body);
        assert!(found.body.contains("<mark>"));
        assert!(found.body.contains("Informasi berkala"));
        not_raw_script(&found, "search results");
        let facet = anon
            .get("/cari?q=realisasi&kind=periodic&body=kab-a&year=2026")
            .await;
        assert!(facet.body.contains(&path));
        let none = anon.get("/cari?q=zzzqqqxxx").await;
        assert_eq!(none.status, 200);
        assert!(none.body.contains("id=\"no-results\""));
        let long = "a".repeat(10 * 1024);
        for q in [
            "%22",
            "((",
            "%22%22%22",
            "AND+OR+NOT",
            "%3Cscript%3E",
            "*",
            "\\",
            long.as_str(),
        ] {
            let r = anon
                .get(&format!("/cari?q={q}&page=99999&year=abc&kind=<x>"))
                .await;
            assert_eq!(r.status, 200, "{}: query {}", s.name, &q[..q.len().min(20)]);
        }
        let hostile = anon.get("/cari?q=%3Cscript%3Ealert(1)%3C/script%3E").await;
        not_raw_script(&hostile, "search with markup in the query");

        // Suggestions while typing a request; the form wires them with htmx.
        let form = anon.get("/b/kab-a/permohonan").await;
        assert!(form.body.contains("hx-get=\"/cari/saran\""));
        assert!(form.body.contains("id=\"saran\""));
        let saran = anon.get("/cari/saran?information=realisasi+anggaran").await;
        assert_eq!(saran.status, 200);
        assert!(saran.body.contains("Mungkin sudah tersedia:"), "{}", s.name);
        assert!(saran.body.contains(&path));
        assert!(!saran.body.contains("<html"));
        let nothing = anon.get("/cari/saran?information=zzzqqqxxx").await;
        assert_eq!(nothing.body.trim(), "");

        // Withdrawing needs a reason; afterwards the entry is gone from the public.
        let no_reason = b
            .post(
                &format!("/kantor/register/{id}/publikasi"),
                &[("csrf", &csrf), ("publish", "0"), ("reason", " ")],
            )
            .await;
        assert_eq!(no_reason.status, 422);
        assert!(no_reason.body.contains("id=\"u-reason-err\""));
        let withdrawn = b
            .post(
                &format!("/kantor/register/{id}/publikasi"),
                &[("csrf", &csrf), ("publish", "0"), ("reason", "Data keliru")],
            )
            .await;
        assert_eq!(withdrawn.status, 303);
        assert_eq!(anon.get(&path).await.status, 404);
        let csv = anon.get("/b/kab-a/dip.csv").await;
        assert!(!csv.body.contains("Laporan Keuangan"));
        let gone = anon.get("/cari?q=realisasi+anggaran").await;
        assert!(
            !gone.body.contains(&path),
            "withdrawn entries leave the search"
        );
        // The officer still sees it, with its history.
        let office = b.get(&format!("/kantor/register/{id}")).await;
        assert!(office.body.contains("Data keliru"));
    }
}

#[tokio::test]
async fn documents_are_uploaded_checked_and_downloaded_by_who_may() {
    for s in servers().await {
        let mut anon = Browser::new(&s);
        let (mut b, csrf) = sign_in(&s, "ppid@a.id").await;
        let id = create_entry(&mut b, &csrf, "Laporan Kinerja 2025", "Capaian kinerja").await;
        let upload = format!("/kantor/register/{id}/dokumen");

        // A disallowed type: the error is shown in Indonesian and nothing is stored.
        let exe = b
            .upload(
                &upload,
                &[("csrf", &csrf)],
                "program.exe",
                "application/octet-stream",
                b"MZ\x90\x00\x03\x00\x00\x00\x04\x00",
            )
            .await;
        assert_eq!(exe.status, 422, "{}: {}", s.name, exe.body);
        assert!(
            exe.body.contains("Jenis berkas tidak diizinkan"),
            "{}",
            exe.body
        );
        let html = b
            .upload(
                &upload,
                &[("csrf", &csrf)],
                "x.txt",
                "text/plain",
                b"<html><script>x</script></html>",
            )
            .await;
        assert_eq!(html.status, 422);
        assert_eq!(count(&s, "documents").await, 0, "{}", s.name);
        // Without a token nothing is stored either.
        let forged = b
            .upload(&upload, &[], "laporan.txt", "text/plain", b"isi laporan")
            .await;
        assert_eq!(forged.status, 403);
        assert_eq!(count(&s, "documents").await, 0);

        let content = "Capaian kinerja dinas tahun 2025: 97 persen.\n";
        let ok = b
            .upload(
                &upload,
                &[("csrf", &csrf)],
                "laporan kinerja é.txt",
                "text/plain",
                content.as_bytes(),
            )
            .await;
        assert_eq!(ok.status, 303, "{}: {}", s.name, ok.body);
        assert_eq!(count(&s, "documents").await, 1);
        let page = b.get(&format!("/kantor/register/{id}")).await;
        let url = page
            .body
            .split("href=\"/dokumen/")
            .nth(1)
            .and_then(|r| r.split_once('"'))
            .map(|(u, _)| format!("/dokumen/{u}"))
            .expect("document link");

        // Before publication: the public gets a 404, the body's officer the file.
        assert_eq!(anon.get(&url).await.status, 404, "{}", s.name);
        let (mut other, _) = sign_in(&s, "ppid@b.id").await;
        assert_eq!(other.get(&url).await.status, 404);
        let own = b.get(&url).await;
        assert_eq!(own.status, 200);
        assert_eq!(own.body, content);
        assert_eq!(header(&own, "cache-control"), "private, no-store");
        assert_eq!(header(&own, "x-content-type-options"), "nosniff");
        let disposition = header(&own, "content-disposition");
        assert!(
            disposition.starts_with("attachment; filename=\""),
            "{disposition}"
        );
        assert!(disposition.contains("filename*=UTF-8''"), "{disposition}");
        assert!(disposition.is_ascii());

        let published = b
            .post(
                &format!("/kantor/register/{id}/publikasi"),
                &[("csrf", &csrf), ("publish", "1")],
            )
            .await;
        assert_eq!(published.status, 303);
        let public = anon.get(&url).await;
        assert_eq!(public.status, 200, "{}", s.name);
        assert_eq!(public.body, content);
        assert!(header(&public, "content-type").starts_with("text/plain"));
        assert_eq!(header(&public, "x-content-type-options"), "nosniff");
        assert_ne!(header(&public, "cache-control"), "private, no-store");
        let entry_page = anon.get(&format!("/b/kab-a/dip/{id}")).await;
        assert!(entry_page.body.contains(&url));

        // Removing the document takes it away from the public.
        let doc_id = url
            .trim_start_matches("/dokumen/")
            .split('/')
            .next()
            .unwrap_or("")
            .to_owned();
        let removed = b
            .post(
                &format!("/kantor/dokumen/{doc_id}/hapus"),
                &[
                    ("csrf", &csrf),
                    ("kembali", &format!("/kantor/register/{id}")),
                ],
            )
            .await;
        assert_eq!(removed.status, 303);
        assert_eq!(anon.get(&url).await.status, 404);
    }
}

/// Submits a request and decides it granted through the case page; returns its number.
pub(crate) async fn granted_request(
    s: &TestServer,
    b: &mut Browser,
    csrf: &str,
    note: &str,
) -> String {
    let (number, _) = s.submit("kab-a").await;
    let decided = b
        .post(
            &format!("/kantor/permohonan/{number}/tindakan"),
            &[
                ("csrf", csrf),
                ("action", "decide"),
                ("outcome", "granted"),
                ("note", note),
                ("fee_idr", "0"),
                ("confirm", "1"),
            ],
        )
        .await;
    assert_eq!(decided.status, 303, "{}: {}", s.name, decided.body);
    number
}

#[tokio::test]
async fn publishing_an_answer_blocks_on_a_nik_until_removed_or_confirmed() {
    for s in servers().await {
        let mut anon = Browser::new(&s);
        let (mut b, csrf) = sign_in(&s, "ppid@a.id").await;
        let note = format!("Salinan DPA diberikan. NIK pemohon {NIK}.");
        let number = granted_request(&s, &mut b, &csrf, &note).await;

        let case = b.get(&format!("/kantor/permohonan/{number}")).await;
        assert!(
            case.body
                .contains(&format!("/kantor/permohonan/{number}/publikasi")),
            "{}",
            s.name
        );
        let form = b
            .get(&format!("/kantor/permohonan/{number}/publikasi"))
            .await;
        assert_eq!(form.status, 200, "{}", form.body);
        assert!(form.body.contains("Saya pastikan ini informasi publik"));
        assert!(form.body.contains("name=\"confirmed\""));

        // A notice document for the request.
        let up = b
            .upload(
                &format!("/kantor/permohonan/{number}/dokumen"),
                &[("csrf", &csrf)],
                "pemberitahuan.txt",
                "text/plain",
                b"Pemberitahuan tertulis: informasi diberikan.",
            )
            .await;
        assert_eq!(up.status, 303, "{}", up.body);
        let form = b
            .get(&format!("/kantor/permohonan/{number}/publikasi"))
            .await;
        assert!(form.body.contains("pemberitahuan.txt"));
        let doc = form
            .body
            .split("name=\"documents\" value=\"")
            .nth(1)
            .and_then(|r| r.split_once('"'))
            .map(|(v, _)| v.to_owned())
            .expect("document checkbox");

        let title = "Salinan DPA <b>&</b> Dinas 2026";
        let path = format!("/kantor/permohonan/{number}/publikasi");
        let blocked = b
            .post(
                &path,
                &[
                    ("csrf", &csrf),
                    ("title", title),
                    ("text", &note),
                    ("documents", &doc),
                ],
            )
            .await;
        assert_eq!(blocked.status, 422, "{}: {}", s.name, blocked.body);
        assert!(blocked.body.contains("class=\"findings blocked\""));
        assert!(blocked.body.contains("NIK"));
        assert!(
            blocked
                .body
                .contains("Salinan DPA &#60;b&#62;&#38;&#60;/b&#62; Dinas 2026")
                || blocked
                    .body
                    .contains("Salinan DPA &lt;b&gt;&amp;&lt;/b&gt; Dinas 2026"),
            "title kept"
        );
        assert_eq!(count(&s, "publications").await, 0);
        let key = blocked
            .body
            .split("name=\"confirmed\" value=\"")
            .nth(1)
            .and_then(|r| r.split_once('"'))
            .map(|(v, _)| v.to_owned())
            .expect("finding key");
        assert!(!key.contains(NIK), "the key does not reveal the NIK");

        // Removed from the text: published.
        let clean = b
            .post(
                &path,
                &[
                    ("csrf", &csrf),
                    ("title", title),
                    ("text", "Salinan DPA diberikan."),
                    ("documents", &doc),
                ],
            )
            .await;
        assert_eq!(clean.status, 303, "{}: {}", s.name, clean.body);
        let answer = clean.location.expect("location");
        assert!(answer.starts_with("/b/kab-a/jawaban/"), "{answer}");
        // Confirmed as public: published too.
        let confirmed = b
            .post(
                &path,
                &[
                    ("csrf", &csrf),
                    ("title", "Kedua"),
                    ("text", &note),
                    ("confirmed", &key),
                ],
            )
            .await;
        assert_eq!(confirmed.status, 303, "{}", confirmed.body);
        assert_eq!(count(&s, "publications").await, 2);

        let page = anon.get(&answer).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("pemberitahuan.txt"));
        assert!(!page.body.contains("<b>&</b>"));
        let notice_url = page
            .body
            .split("href=\"/dokumen/")
            .nth(1)
            .and_then(|r| r.split_once('"'))
            .map(|(u, _)| format!("/dokumen/{u}"))
            .expect("notice link");
        assert_eq!(anon.get(&notice_url).await.status, 200);
        let all = anon.get("/jawaban").await;
        assert!(all.body.contains(&answer));
        assert!(anon.get("/b/kab-a/jawaban").await.body.contains(&answer));
        assert!(!anon.get("/b/kab-b/jawaban").await.body.contains(&answer));

        // Atom feeds: absolute links from the Host header, escaped titles.
        let feed = anon.get("/publikasi.atom").await;
        assert_eq!(feed.status, 200);
        assert!(header(&feed, "content-type").starts_with("application/atom+xml"));
        assert!(feed.body.starts_with("<?xml"));
        assert!(
            feed.body
                .contains("<feed xmlns=\"http://www.w3.org/2005/Atom\"")
        );
        assert!(
            feed.body.contains(&format!("{}{answer}", anon.root)),
            "{}",
            feed.body
        );
        assert!(
            feed.body
                .contains("Salinan DPA &lt;b&gt;&amp;&lt;/b&gt; Dinas 2026")
        );
        assert!(!feed.body.contains("<b>"));
        let body_feed = anon.get("/b/kab-a/publikasi.atom").await;
        assert!(body_feed.body.contains(&answer));
        let other_feed = anon.get("/b/kab-b/publikasi.atom").await;
        assert_eq!(other_feed.status, 200);
        assert!(!other_feed.body.contains(&answer));
        assert_eq!(anon.get("/b/tidak-ada/publikasi.atom").await.status, 404);

        // Withdrawing needs a reason; then the answer and its document are gone.
        let pub_id = answer.trim_start_matches("/b/kab-a/jawaban/").to_owned();
        let no_reason = b
            .post(
                &format!("/kantor/publikasi/{pub_id}/tarik"),
                &[("csrf", &csrf), ("reason", "")],
            )
            .await;
        assert_eq!(no_reason.status, 422, "{}", no_reason.body);
        let withdrawn = b
            .post(
                &format!("/kantor/publikasi/{pub_id}/tarik"),
                &[("csrf", &csrf), ("reason", "Salah lampiran")],
            )
            .await;
        assert_eq!(withdrawn.status, 303);
        assert_eq!(anon.get(&answer).await.status, 404);
        assert_eq!(anon.get(&notice_url).await.status, 404);
        assert!(!anon.get("/publikasi.atom").await.body.contains(&answer));
    }
}

#[tokio::test]
async fn a_consequence_test_made_in_the_forms_is_listed_in_the_dik() {
    for s in servers().await {
        let mut anon = Browser::new(&s);
        let (mut b, csrf) = sign_in(&s, "ppid@a.id").await;
        let list = b.get("/kantor/uji").await;
        assert_eq!(list.status, 200);
        assert!(list.body.contains("value=\"17j\""));
        let created = b
            .post(
                "/kantor/uji",
                &[
                    ("csrf", &csrf),
                    ("information", "Berkas penyelidikan <i>kasus</i> X"),
                    ("source", "Berkas perkara"),
                    ("grounds", "17a"),
                    ("conclusion", "exempt"),
                    ("period_kind", "until_date"),
                    ("period_until", "2030-01-01"),
                    ("trigger", "before_request"),
                ],
            )
            .await;
        assert_eq!(created.status, 303, "{}: {}", s.name, created.body);
        let loc = created.location.expect("location");
        let id = loc
            .trim_start_matches("/kantor/uji/")
            .split('?')
            .next()
            .unwrap_or("")
            .to_owned();
        let act = format!("/kantor/uji/{id}/tindakan");
        // Incomplete: the errors are shown on the amend form.
        let incomplete = b.post(&act, &[("csrf", &csrf), ("action", "submit")]).await;
        assert_eq!(incomplete.status, 422, "{}", incomplete.body);
        assert!(incomplete.body.contains("Wajib diisi."));
        let amended = b
            .post(
                &act,
                &[
                    ("csrf", &csrf),
                    ("action", "amend"),
                    ("information", "Berkas penyelidikan <i>kasus</i> X"),
                    ("grounds", "17a"),
                    ("harm", "Menghambat penyidikan"),
                    ("public_interest", "Kepentingan penegakan hukum lebih besar"),
                    ("conclusion", "exempt"),
                    ("period_kind", "until_date"),
                    ("period_until", "2030-01-01"),
                    ("trigger", "before_request"),
                ],
            )
            .await;
        assert_eq!(amended.status, 303, "{}", amended.body);
        assert_eq!(
            b.post(&act, &[("csrf", &csrf), ("action", "submit")])
                .await
                .status,
            303
        );
        assert_eq!(
            anon.get(&format!("/b/kab-a/dik/{id}")).await.status,
            404,
            "not listed before the decision"
        );
        let decided = b
            .post(
                &act,
                &[
                    ("csrf", &csrf),
                    ("action", "decide"),
                    ("number", "PPID/UK/01/2026"),
                    ("place", "Kota A"),
                    ("official", "PPID Kabupaten A"),
                    ("on", ""),
                ],
            )
            .await;
        assert_eq!(decided.status, 303, "{}", decided.body);
        let detail = b.get(&format!("/kantor/uji/{id}")).await;
        assert!(detail.body.contains("Ditetapkan"));
        assert!(detail.body.contains("id=\"test-history\""));

        let dik = anon.get("/b/kab-a/dik").await;
        assert_eq!(dik.status, 200);
        assert!(dik.body.contains("PPID/UK/01/2026"), "{}", s.name);
        assert!(dik.body.contains("Pasal 17 huruf a"));
        assert!(!dik.body.contains("<i>kasus</i>"));
        let page = anon.get(&format!("/b/kab-a/dik/{id}")).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Menghambat penyidikan"));
        assert!(
            !page.body.contains("Berkas perkara"),
            "the source stays internal"
        );
        let csv = anon.get("/b/kab-a/dik.csv").await;
        assert!(csv.body.contains("PPID/UK/01/2026"));
        assert!(anon.get("/b/kab-a/dik.xlsx").await.bytes.starts_with(b"PK"));
    }
}
