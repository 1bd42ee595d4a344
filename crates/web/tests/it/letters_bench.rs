//! Letters and mail benchmark (`bench/letters.sh`): how long one letter takes to compose,
//! number, typeset and store, and how many mails a second the sender delivers, as `.eml`
//! files and, when `LENTERA_TEST_SMTP_URL` is set, to that SMTP server. Never run by default:
//! timings are printed, not asserted.

use std::time::Instant;

use lentera_app::mail::{MailConfig, MailTransport, SmtpUrl};

use crate::common::servers;

#[tokio::test]
#[ignore = "benchmark: bench/letters.sh"]
async fn letters_bench() {
    let n: usize = std::env::var("BENCH_LETTERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    for s in servers().await {
        let transport = match std::env::var("LENTERA_TEST_SMTP_URL") {
            Ok(u) => MailTransport::Smtp(SmtpUrl::parse(&u).expect("url")),
            Err(_) => MailTransport::Files(std::env::temp_dir().join(format!(
                "lentera-bench-mail-{}-{}",
                std::process::id(),
                s.name
            ))),
        };
        let via = match &transport {
            MailTransport::Smtp(u) => format!("SMTP {}:{}", u.host, u.port),
            MailTransport::Files(_) => ".eml files".to_owned(),
        };
        s.app.set_mail(MailConfig {
            transport,
            from: "PPID <ppid@a.go.id>".into(),
        });
        for _ in 0..n {
            s.submit("kab-a").await;
        }
        let t = Instant::now();
        let mut issued = 0;
        while issued < n {
            let k = s.app.issue_due_letters(32).await.expect("letters");
            assert!(k > 0, "letters stalled at {issued}");
            issued += k;
        }
        let letters = t.elapsed();
        let t = Instant::now();
        let mut sent = 0;
        while sent < n {
            let k = s.app.send_due_mail(64).await.expect("mail");
            assert!(k > 0, "mail stalled at {sent}");
            sent += k;
        }
        let mails = t.elapsed();
        println!(
            "{}: {n} letters in {:.2} s = {:.1} ms a letter (one at a time); {n} mails with the letter attached via {via} in {:.2} s = {:.0} mails/s",
            s.name,
            letters.as_secs_f64(),
            letters.as_secs_f64() * 1000.0 / n as f64,
            mails.as_secs_f64(),
            n as f64 / mails.as_secs_f64()
        );
    }
}
