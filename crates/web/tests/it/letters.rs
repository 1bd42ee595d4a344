//! Official letters end to end on both databases: written with their event, issued by the
//! worker, listed for the requester and the officer, downloaded as issued, verified in public.

use serde_json::{Value, json};
use sha2::Digest as _;

use crate::browser::Browser;
use crate::common::{TestServer, servers};
use crate::pages::sign_in;
use crate::report::pdf_text;

async fn fetch(s: &TestServer, url: &str) -> (u16, String, Vec<u8>) {
    let r = s.http.get(url).send().await.expect("get");
    let status = r.status().as_u16();
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (status, ct, r.bytes().await.expect("bytes").to_vec())
}

fn kinds(list: &Value) -> Vec<&str> {
    list.as_array()
        .expect("array")
        .iter()
        .filter_map(|l| l["kind"].as_str())
        .collect()
}

#[tokio::test]
async fn a_requester_gets_the_receipt_and_the_notice_as_letters_anyone_can_verify() {
    for s in servers().await {
        let origin = s.base.trim_end_matches("/api/v1").to_owned();
        assert!(s.app.set_public_url(&origin));
        let (number, code) = s.submit("kab-a").await;
        let path = format!("/requests/{number}/letters?code={code}");
        // Written with the submission, issued off the request path.
        let (status, before) = s.get(&path, None).await;
        assert_eq!((status, kinds(&before)), (200, vec![]), "{}", s.name);
        assert_eq!(s.app.issue_due_letters(64).await.expect("issue"), 1);
        let (_, list) = s.get(&path, None).await;
        assert_eq!(kinds(&list), vec!["receipt"], "{}: {list}", s.name);
        let receipt = &list[0];
        let letter_no = receipt["number"].as_str().expect("number");
        assert!(
            letter_no.starts_with("1/") && letter_no.ends_with("/PPID/II/2026"),
            "{}: {letter_no}",
            s.name
        );

        let url = receipt["url"].as_str().expect("url");
        assert!(url.starts_with(&origin), "{url}");
        let (status, ct, pdf) = fetch(&s, url).await;
        assert_eq!(
            (status, ct.as_str()),
            (200, "application/pdf"),
            "{}",
            s.name
        );
        assert_eq!(
            sha2::Sha256::digest(&pdf)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>(),
            receipt["sha256"].as_str().expect("sha"),
            "the PDF is the one issued"
        );
        let text = pdf_text(&pdf, &format!("receipt-{}", s.name));
        let verify = receipt["verify_url"].as_str().expect("verify");
        for needle in [
            "TANDA BUKTI PENERIMAAN PERMINTAAN INFORMASI PUBLIK",
            letter_no,
            &number,
            "Siti Aminah",
            verify,
        ] {
            assert!(
                text.contains(needle),
                "{}: {needle:?} not in {text}",
                s.name
            );
        }
        // The link is signed: without its token, or with another, nothing.
        let bare = url.split('?').next().expect("path");
        assert_eq!(fetch(&s, bare).await.0, 404);
        assert_eq!(fetch(&s, &format!("{bare}?t=00")).await.0, 404);
        // A wrong tracking code lists nothing.
        let (status, _) = s
            .get(
                &format!("/requests/{number}/letters?code=XXXX-XXXX-XXXX"),
                None,
            )
            .await;
        assert_eq!(status, 404);

        // The public verification page: the facts and the fingerprint, not the requester.
        let (status, _, page) = fetch(&s, verify).await;
        let page = String::from_utf8(page).expect("utf8");
        assert_eq!(status, 200, "{}", s.name);
        for needle in [
            letter_no,
            receipt["sha256"].as_str().expect("sha"),
            "Tanda bukti penerimaan",
        ] {
            assert!(
                page.contains(needle),
                "{}: {needle:?} not on the verification page",
                s.name
            );
        }
        assert!(
            !page.contains("Siti Aminah"),
            "no personal data on the public page"
        );
        let (status, _, _) = fetch(&s, &format!("{origin}/verifikasi/ZZZZZZZZZZ")).await;
        assert_eq!(status, 404);

        // The officer decides: the written notice follows, items a–g with the reasons.
        let token = s.token("ppid@a.id").await;
        let (status, v) = s
            .post(
                &format!("/requests/{number}/decision"),
                &json!({"outcome": "granted", "note": "Dokumen DPA 2026 diberikan lengkap.", "fee_idr": 0}),
                Some(&token),
            )
            .await;
        assert_eq!(status, 200, "{}: {v}", s.name);
        assert_eq!(s.app.issue_due_letters(64).await.expect("issue"), 1);
        let (_, list) = s.get(&path, None).await;
        assert_eq!(kinds(&list), vec!["receipt", "notice"], "{}", s.name);
        let notice = &list[1];
        let second = notice["number"].as_str().expect("number");
        assert!(
            second.starts_with("2/"),
            "numbers run per body and year: {second}"
        );
        let (_, _, pdf) = fetch(&s, notice["url"].as_str().expect("url")).await;
        let text = pdf_text(&pdf, &format!("notice-{}", s.name));
        for needle in [
            "PEMBERITAHUAN TERTULIS",
            "Penguasaan informasi",
            "Biaya dan cara pembayaran",
            "Dokumen DPA 2026 diberikan lengkap.",
        ] {
            assert!(
                text.contains(needle),
                "{}: {needle:?} not in {text}",
                s.name
            );
        }

        // The officer sees both on the case page, the requester on the tracking page.
        let (mut b, _) = sign_in(&s, "ppid@a.id").await;
        let case = b.get(&format!("/kantor/permohonan/{number}")).await;
        let path_of = |v: &Value| {
            v["url"]
                .as_str()
                .expect("url")
                .trim_start_matches(&origin)
                .replace('&', "&amp;")
        };
        assert!(case.body.contains(&path_of(&list[0])), "{}", s.name);
        assert!(case.body.contains(&path_of(&list[1])), "{}", s.name);
        let mut anon = Browser::new(&s);
        let start = anon.get("/lacak").await;
        let csrf = crate::browser::hidden(&start.body, "csrf");
        let track = anon
            .post(
                "/lacak",
                &[("csrf", &csrf), ("nomor", &number), ("kode", &code)],
            )
            .await;
        assert!(track.body.contains(&path_of(&list[1])), "{}", s.name);
        assert!(track.body.contains("Pemberitahuan tertulis"));
    }
}

#[tokio::test]
async fn an_objection_gets_its_receipt_and_the_superiors_answer() {
    for s in servers().await {
        assert!(s.app.set_public_url(s.base.trim_end_matches("/api/v1")));
        let token = s.token("ppid@a.id").await;
        let (number, code) = s.submit("kab-a").await;
        let (status, v) = s
            .post(
                &format!("/requests/{number}/decision"),
                &json!({"outcome": "not_documented", "note": "Belum disusun."}),
                Some(&token),
            )
            .await;
        assert_eq!(status, 200, "{}: {v}", s.name);
        let objection = s
            .object(&number, &code, &["b"], "Informasi seharusnya ada.")
            .await;
        s.app.issue_due_letters(64).await.expect("issue");
        let (status, list) = s
            .get(
                &format!("/objections/{objection}/letters?code={code}"),
                None,
            )
            .await;
        assert_eq!(status, 200, "{}: {list}", s.name);
        assert_eq!(kinds(&list), vec!["objection_receipt"], "{}", s.name);
        let (_, _, pdf) = fetch(&s, list[0]["url"].as_str().expect("url")).await;
        let text = pdf_text(&pdf, &format!("objection-{}", s.name));
        assert!(text.contains("TANDA BUKTI PENERIMAAN KEBERATAN"), "{text}");
        assert!(text.contains(&objection), "{text}");
        // The request's list carries the objection's letters too.
        let (_, all) = s
            .get(&format!("/requests/{number}/letters?code={code}"), None)
            .await;
        assert_eq!(
            kinds(&all),
            vec!["receipt", "notice", "objection_receipt"],
            "{}",
            s.name
        );
    }
}

/// Two nodes on one PostgreSQL work the same jobs at once: every letter is issued once, and no
/// number is given twice or skipped.
#[tokio::test]
async fn two_nodes_issue_each_letter_once_with_numbers_in_sequence() {
    use std::sync::Arc;
    let Some(a) = servers().await.into_iter().find(|s| s.name == "postgres") else {
        return;
    };
    let b = crate::common::start_on(
        "postgres-b",
        a.url.clone(),
        None,
        [3; 32],
        Arc::new(lentera_app::FixedClock::new(crate::common::START)),
    )
    .await;
    let mut numbers = Vec::new();
    for _ in 0..24 {
        numbers.push(a.submit("kab-a").await);
    }
    let (mut on_a, mut on_b) = (0, 0);
    loop {
        let (x, y) = tokio::join!(a.app.issue_due_letters(4), b.app.issue_due_letters(4));
        let (x, y) = (x.expect("a"), y.expect("b"));
        if x + y == 0 {
            break;
        }
        on_a += x;
        on_b += y;
    }
    assert_eq!(on_a + on_b, 24, "a issued {on_a}, b {on_b}");
    assert!(
        on_a > 0 && on_b > 0,
        "both nodes took work: a {on_a}, b {on_b}"
    );
    let mut seqs = Vec::new();
    for (number, code) in &numbers {
        let (_, list) = a
            .get(&format!("/requests/{number}/letters?code={code}"), None)
            .await;
        assert_eq!(kinds(&list), vec!["receipt"], "{number}");
        let n = list[0]["number"].as_str().expect("number");
        seqs.push(
            n.split('/')
                .next()
                .and_then(|s| s.parse::<u32>().ok())
                .expect("sequence"),
        );
    }
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=24).collect::<Vec<_>>());
}

/// A small real PNG (a red square).
fn red_png() -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, 16, 16);
        enc.set_color(png::ColorType::Rgb);
        let mut w = enc.write_header().expect("header");
        w.write_image_data(&[200u8, 20, 20].repeat(256))
            .expect("data");
    }
    out
}

#[tokio::test]
async fn the_admin_sets_the_letterhead_and_the_next_letter_carries_it() {
    for s in servers().await {
        let (mut admin, csrf) = sign_in(&s, "admin@a.id").await;
        let path = "/kantor/admin/badan/kab-a/kop-surat";
        let form = admin.get(path).await;
        assert_eq!(form.status, 200, "{}", s.name);
        assert!(form.body.contains("{seq}/{code}/PPID/{month_roman}/{year}"));
        let fields = |pattern: &'static str, nip: &'static str| {
            vec![
                ("csrf", csrf.clone()),
                ("authority", "PEMERINTAH KABUPATEN CONTOH".to_owned()),
                ("name", "DINAS KOMUNIKASI DAN INFORMATIKA".to_owned()),
                ("address", "Jl. Pemuda No. 5, Kendal".to_owned()),
                ("contacts", "ppid@contoh.go.id".to_owned()),
                ("signatory_position", "PPID Kabupaten Contoh".to_owned()),
                ("signatory_name", "Dra. Sri Wahyuni".to_owned()),
                ("signatory_nip", nip.to_owned()),
                ("number_pattern", pattern.to_owned()),
            ]
        };
        let send = |v: &Vec<(&'static str, String)>| -> Vec<(&'static str, String)> { v.clone() };
        // An executable named .png, a bad pattern and a short NIP: refused, each said.
        let bad = send(&fields("{code}/{year}", "1234"));
        let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = admin
            .upload(
                path,
                &bad,
                "logo.png",
                "image/png",
                b"MZ\x90\0\x03\0\0\0 this is not an image",
            )
            .await;
        assert_eq!(r.status, 422, "{}: {}", s.name, r.body);
        for msg in [
            "Logo harus berupa gambar PNG atau JPEG.",
            "NIP terdiri atas 18 angka.",
            "Pola nomor tidak dikenal.",
        ] {
            assert!(r.body.contains(msg), "{}: {msg}", s.name);
        }
        assert!(
            r.body.contains("DINAS KOMUNIKASI DAN INFORMATIKA"),
            "typed values come back"
        );

        let good = send(&fields(
            "{seq:3}/{kind}/{code}/{year}",
            "197806122005012003",
        ));
        let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = admin
            .upload(path, &good, "logo.png", "image/png", &red_png())
            .await;
        assert_eq!(r.status, 303, "{}: {}", s.name, r.body);
        // Not for a PPID who is not an admin.
        let (mut ppid, _) = sign_in(&s, "ppid@a.id").await;
        assert_eq!(ppid.get(path).await.status, 403);

        assert!(s.app.set_public_url(s.base.trim_end_matches("/api/v1")));
        let (number, code) = s.submit("kab-a").await;
        s.app.issue_due_letters(64).await.expect("issue");
        let (_, list) = s
            .get(&format!("/requests/{number}/letters?code={code}"), None)
            .await;
        let n = list[0]["number"].as_str().expect("number");
        assert!(n.starts_with("001/TBP/"), "{}: {n}", s.name);
        let (_, _, pdf) = fetch(&s, list[0]["url"].as_str().expect("url")).await;
        let text = pdf_text(&pdf, &format!("letterhead-{}", s.name));
        for needle in [
            "PEMERINTAH KABUPATEN CONTOH",
            "DINAS KOMUNIKASI DAN INFORMATIKA",
            "Kendal,",
            "Dra. Sri Wahyuni",
            "197806122005012003",
        ] {
            assert!(
                text.contains(needle),
                "{}: {needle:?} not in {text}",
                s.name
            );
        }
        // The logo is in the letter: poppler lists one image.
        let file = std::env::temp_dir().join(format!(
            "lentera-letterhead-{}-{}.pdf",
            std::process::id(),
            s.name
        ));
        std::fs::write(&file, &pdf).expect("write");
        let images = std::process::Command::new("pdfimages")
            .arg("-list")
            .arg(&file)
            .output()
            .expect("pdfimages (poppler-utils)");
        let _ = std::fs::remove_file(&file);
        let listed = String::from_utf8_lossy(&images.stdout).lines().count();
        assert!(listed >= 3, "{}: no image in the letter", s.name);
        let (status, ct, sample) = {
            let r = admin.get(&format!("{path}/contoh.pdf")).await;
            (r.status, r.header("content-type"), r.body)
        };
        assert_eq!(
            (status, ct.as_str()),
            (200, "application/pdf"),
            "{}",
            s.name
        );
        assert!(sample.starts_with("%PDF-"));
    }
}
