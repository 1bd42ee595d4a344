//! E-mail to requesters on both databases: written with the event, sent by the sender with the
//! event's letter attached and threaded per case; without a server as `.eml` files; through a
//! real SMTP server when CI gives one (`LENTERA_TEST_SMTP_URL`, `LENTERA_TEST_SMTP_MAILDIR`);
//! a server that is down delays mail, never a request.

use lentera_app::mail::{MailConfig, MailTransport, SmtpUrl};
use serde_json::json;

use crate::common::{TestServer, servers, submission};

fn eml_files(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_else(|_| Vec::new());
    names.sort();
    names
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("eml"))
        .collect()
}

fn header<'a>(eml: &'a str, name: &str) -> Option<&'a str> {
    eml.lines()
        .find(|l| {
            l.to_ascii_lowercase()
                .starts_with(&format!("{}:", name.to_ascii_lowercase()))
        })
        .map(|l| l[name.len() + 1..].trim())
}

async fn work(s: &TestServer) {
    s.app.issue_due_letters(64).await.expect("letters");
    s.app.send_due_mail(64).await.expect("mail");
}

#[tokio::test]
async fn without_a_server_each_mail_is_an_eml_file_with_its_letter_threaded_per_case() {
    for s in servers().await {
        let dir =
            std::env::temp_dir().join(format!("lentera-mail-{}-{}", std::process::id(), s.name));
        let _ = std::fs::remove_dir_all(&dir);
        assert!(s.app.set_mail(MailConfig {
            transport: MailTransport::Files(dir.clone()),
            from: "PPID Kabupaten A <ppid@a.go.id>".into(),
        }));
        assert!(s.app.set_public_url(s.base.trim_end_matches("/api/v1")));
        let (number, _) = s.submit("kab-a").await;
        // The receipt waits for its letter, then goes with it.
        s.app.send_due_mail(64).await.expect("mail");
        assert!(
            eml_files(&dir).is_empty(),
            "{}: sent before its letter",
            s.name
        );
        work(&s).await;
        let mails = eml_files(&dir);
        assert_eq!(mails.len(), 1, "{}", s.name);
        let receipt = &mails[0];
        assert_eq!(header(receipt, "To"), Some("siti@example.id"));
        assert!(
            header(receipt, "Subject").is_some_and(|v| v.contains(&number)),
            "{}: {receipt}",
            s.name
        );
        assert!(
            receipt.contains("Content-Type: application/pdf"),
            "{}",
            s.name
        );
        assert!(
            receipt.contains("receipt-"),
            "the letter is attached by name"
        );
        assert!(receipt.contains("/lacak?nomor="), "the tracking link");
        let root = header(receipt, "Message-ID")
            .expect("message id")
            .to_owned();

        let token = s.token("ppid@a.id").await;
        let (status, v) = s
            .post(
                &format!("/requests/{number}/decision"),
                &json!({"outcome": "granted", "note": "Diberikan.", "fee_idr": 0}),
                Some(&token),
            )
            .await;
        assert_eq!(status, 200, "{}: {v}", s.name);
        work(&s).await;
        let mails = eml_files(&dir);
        assert_eq!(mails.len(), 2, "{}", s.name);
        let notice = &mails[1];
        assert_eq!(
            header(notice, "In-Reply-To"),
            Some(root.as_str()),
            "{}: threaded",
            s.name
        );
        assert!(
            notice.contains("notice-"),
            "{}: the notice is attached",
            s.name
        );
        // The admin reads them on the mail page; nobody else does.
        let (mut admin, _) = crate::pages::sign_in(&s, "admin@a.id").await;
        let list = admin.get("/kantor/admin/surel").await;
        assert_eq!(list.status, 200, "{}", s.name);
        assert!(list.body.contains(&number), "{}", s.name);
        let first = std::fs::read_dir(&dir)
            .expect("dir")
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().into_string().ok())
            .next()
            .expect("a file");
        let one = admin.get(&format!("/kantor/admin/surel/{first}")).await;
        assert_eq!(one.status, 200);
        assert!(one.body.contains("lampiran PDF") && one.body.contains("Yth. Pemohon"));
        assert_eq!(
            admin.get("/kantor/admin/surel/..%2Fkey.eml").await.status,
            404
        );
        let (mut ppid, _) = crate::pages::sign_in(&s, "ppid@a.id").await;
        assert_eq!(ppid.get("/kantor/admin/surel").await.status, 403);
        // Sending again sends nothing twice.
        assert_eq!(s.app.send_due_mail(64).await.expect("mail"), 0);
        assert_eq!(eml_files(&dir).len(), 2);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[tokio::test]
async fn a_server_that_is_down_delays_mail_and_never_a_request() {
    for s in servers().await {
        assert!(s.app.set_mail(MailConfig {
            transport: MailTransport::Smtp(SmtpUrl::parse("smtp://127.0.0.1:9").expect("url")),
            from: "PPID <ppid@a.go.id>".into(),
        }));
        let (number, code) = s.submit("kab-a").await;
        work(&s).await;
        // The request is there, tracked as usual; the officer sees the failed attempt.
        let (status, _) = s
            .get(&format!("/requests/{number}?code={code}"), None)
            .await;
        assert_eq!(status, 200);
        let (mut b, _) = crate::pages::sign_in(&s, "ppid@a.id").await;
        let case = b.get(&format!("/kantor/permohonan/{number}")).await;
        assert!(case.body.contains("Surel ke pemohon"), "{}", s.name);
        assert!(
            case.body.contains("akan dicoba lagi"),
            "{}: {}",
            s.name,
            case.body
        );
    }
}

#[tokio::test]
async fn an_address_that_could_carry_headers_is_refused_at_the_door() {
    for s in servers().await {
        let mut sub = submission("kab-a");
        sub["applicant"]["email"] = json!("siti@example.id\r\nBcc: all@example.id");
        let (status, v) = s.post("/requests", &sub, None).await;
        assert_eq!(status, 422, "{}: {v}", s.name);
    }
}

#[tokio::test]
async fn through_a_real_smtp_server() {
    let (Ok(url), Ok(maildir)) = (
        std::env::var("LENTERA_TEST_SMTP_URL"),
        std::env::var("LENTERA_TEST_SMTP_MAILDIR"),
    ) else {
        assert!(
            std::env::var("LENTERA_REQUIRE_SMTP").is_err(),
            "LENTERA_REQUIRE_SMTP is set but LENTERA_TEST_SMTP_URL/MAILDIR are not"
        );
        eprintln!("SMTP tests not run: set LENTERA_TEST_SMTP_URL and LENTERA_TEST_SMTP_MAILDIR");
        return;
    };
    for s in servers().await {
        assert!(s.app.set_mail(MailConfig {
            transport: MailTransport::Smtp(SmtpUrl::parse(&url).expect("url")),
            from: "PPID Kabupaten A <ppid@a.go.id>".into(),
        }));
        let (number, _) = s.submit("kab-a").await;
        work(&s).await;
        let mut found = None;
        for _ in 0..50 {
            let new = std::path::Path::new(&maildir).join("new");
            found = eml_files(&new).into_iter().find(|m| m.contains(&number));
            if found.is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let mail = found.unwrap_or_else(|| panic!("{}: no mail for {number} in {maildir}", s.name));
        assert!(
            mail.contains("application/pdf"),
            "{}: the receipt letter is attached",
            s.name
        );
    }
}
