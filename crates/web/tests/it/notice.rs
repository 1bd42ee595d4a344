//! The written notice (Pasal 22(7)) reads the same, items a–g complete, on the tracking page and
//! the case page, and the officer sees it before deciding.

use crate::browser::Browser;
use crate::common::servers;
use crate::pages::sign_in;

const REASONS: &str = "Sebagian data memuat rahasia pribadi penerima bantuan";
const MATERIAL: &str = "Salinan daftar penerima bantuan tanpa kolom identitas";
const PART: &str = "Kolom NIK dan alamat rumah";

const HEADINGS: [&str; 7] = [
    "Penguasaan informasi",
    "Badan publik yang menguasai informasi",
    "Diterima atau ditolak, dan alasannya",
    "Materi yang diberikan",
    "Bagian yang dihitamkan dan alasannya",
    "Cara penyampaian dan format informasi",
    "Biaya dan cara pembayaran",
];

fn assert_complete(page: &str, what: &str) {
    for h in HEADINGS {
        assert!(page.contains(h), "{what}: item {h:?} missing");
    }
    for text in [
        REASONS,
        MATERIAL,
        PART,
        "Pasal 17 huruf h UU 14/2008: informasi yang bila dibuka dapat mengungkap rahasia pribadi",
        "uji konsekuensi UK-0007/2026",
        "Rp15.000",
        "transfer ke rekening kas daerah",
    ] {
        assert!(page.contains(text), "{what}: {text:?} missing");
    }
}

#[tokio::test]
async fn the_notice_is_complete_on_the_tracking_and_case_pages() {
    for s in servers().await {
        let token = s.token("ppid@a.id").await;
        let test = s.decided_test(&token, &["17h"], "UK-0007/2026").await;
        let (number, code) = s.submit("kab-a").await;
        let (mut b, csrf) = sign_in(&s, "ppid@a.id").await;
        let path = format!("/kantor/permohonan/{number}/tindakan");
        let form = [
            ("csrf", csrf.as_str()),
            ("action", "decide"),
            ("outcome", "partially_granted"),
            ("grounds", "17h"),
            ("consequence_test", test.as_str()),
            ("note", REASONS),
            ("material", MATERIAL),
            ("redaction_part", PART),
            ("redaction_ground", "17h"),
            ("redaction_reason", "Data pribadi penerima"),
            ("redaction_part", ""),
            ("redaction_ground", "17h"),
            ("redaction_reason", ""),
            ("fee_idr", "15.000"),
            ("fee_method", "transfer ke rekening kas daerah"),
        ];
        // The first step shows the notice as the requester will read it, in words.
        let confirm = b.post(&path, &form).await;
        assert_eq!(confirm.status, 200, "{}: {}", s.name, confirm.body);
        assert_complete(&confirm.body, &format!("{}: confirmation", s.name));
        for raw in [">note<", ">material<", ">fee_method<", ">redaction_part<"] {
            assert!(!confirm.body.contains(raw), "{}: raw key {raw}", s.name);
        }
        let mut sure = form.to_vec();
        sure.push(("confirm", "1"));
        let done = b.post(&path, &sure).await;
        assert_eq!(done.status, 303, "{}: {}", s.name, done.body);

        let case = b.get(&format!("/kantor/permohonan/{number}")).await;
        assert_complete(&case.body, &format!("{}: case page", s.name));

        let mut anon = Browser::new(&s);
        let start = anon.get("/lacak").await;
        let anon_csrf = crate::browser::hidden(&start.body, "csrf");
        let track = anon
            .post(
                "/lacak",
                &[("csrf", &anon_csrf), ("nomor", &number), ("kode", &code)],
            )
            .await;
        assert_eq!(track.status, 200);
        assert_complete(&track.body, &format!("{}: tracking page", s.name));

        let view = s.app.track(&number, &code).await.expect("track");
        let notice = view.decision.expect("decided").notice;
        assert_eq!(notice.material.as_deref(), Some(MATERIAL));
        assert_eq!(notice.fee_idr, 15_000);
        assert_eq!(
            notice.redactions.len(),
            1,
            "the empty row is not a redaction"
        );
    }
}
