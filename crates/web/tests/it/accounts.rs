//! Accounts (issue 15): two-factor sign-in in the browser and for API tokens, recovery codes,
//! the password rule, password change and an admin's reset link, sessions with idle time-out,
//! deactivation; every step in the audit log. On SQLite and PostgreSQL.

use std::sync::Arc;

use lentera_app::{AppConfig, FixedClock, totp};
use serde_json::json;
use time::macros::datetime;

use crate::common::{PASSWORD, TestServer, servers, servers_configured, test_web};
use crate::pages::{Browser, between, hidden, sign_in};

/// Real-looking time for one-time codes, set by the test (the legal clock is another).
const TOTP_START: time::OffsetDateTime = datetime!(2026-02-02 03:00:15 UTC);

async fn two_factor_servers() -> Vec<(TestServer, Arc<FixedClock>)> {
    let config = AppConfig {
        require_2fa: true,
        ..AppConfig::default()
    };
    servers_configured(test_web(), config)
        .await
        .into_iter()
        .map(|s| {
            let clock = Arc::new(FixedClock::new(TOTP_START));
            assert!(
                s.app
                    .set_totp_clock(Arc::clone(&clock) as Arc<dyn lentera_app::Clock>)
            );
            (s, clock)
        })
        .collect()
}

fn code_now(secret: &[u8], clock: &FixedClock) -> String {
    use lentera_app::Clock;
    totp::code_at(secret, totp::step_of(clock.now().unix_timestamp()))
}

fn advance(clock: &FixedClock, seconds: i64) {
    use lentera_app::Clock;
    clock.set(clock.now() + time::Duration::seconds(seconds));
}

async fn audit_actions(s: &TestServer) -> Vec<String> {
    lentera_app::testing::store::with_conn!(s.app.db.read(), |pool| {
        sqlx::query_scalar::<_, String>("SELECT action FROM audit_log ORDER BY seq")
            .fetch_all(pool)
            .await
    })
    .expect("audit")
}

/// Password step of the browser sign-in: where it sends the officer.
async fn password_step(s: &TestServer, email: &str, password: &str) -> (Browser, Option<String>) {
    let mut b = Browser::new(s);
    let login = b.get("/kantor/masuk").await;
    let csrf = hidden(&login.body, "csrf");
    let r = b
        .post(
            "/kantor/masuk",
            &[("csrf", &csrf), ("email", email), ("password", password)],
        )
        .await;
    assert_eq!(r.status, 303, "{}: {}", s.name, r.body);
    (b, r.location)
}

/// Enrols `email` through the required enrolment of the sign-in: the secret and the recovery
/// codes, and the browser signed in.
async fn enrol(s: &TestServer, clock: &FixedClock, email: &str) -> (Vec<u8>, Vec<String>, Browser) {
    let (mut b, to) = password_step(s, email, PASSWORD).await;
    assert_eq!(to.as_deref(), Some("/kantor/masuk/daftar-dua-langkah"));
    // The pending sign-in opens nothing else.
    let q = b.get("/kantor").await;
    assert_eq!(
        (q.status, q.location.as_deref()),
        (303, Some("/kantor/masuk")),
        "{}",
        s.name
    );
    let page = b.get("/kantor/masuk/daftar-dua-langkah").await;
    assert_eq!(page.status, 200, "{}", s.name);
    assert!(page.body.contains("<svg"), "QR code shown");
    let grouped = between(&page.body, "id=\"totp-secret\">", "<");
    let secret = totp::base32_decode(&grouped).expect("base32");
    assert_eq!(secret.len(), 20);
    assert!(between(&page.body, "id=\"totp-uri\">", "<").starts_with("otpauth://totp/"));
    let csrf = hidden(&page.body, "csrf");
    // A reload shows the same secret.
    let again = b.get("/kantor/masuk/daftar-dua-langkah").await;
    assert_eq!(between(&again.body, "id=\"totp-secret\">", "<"), grouped);
    let wrong = b
        .post(
            "/kantor/masuk/daftar-dua-langkah",
            &[("csrf", &csrf), ("code", "000000")],
        )
        .await;
    assert_eq!(wrong.status, 401, "{}", s.name);
    let done = b
        .post(
            "/kantor/masuk/daftar-dua-langkah",
            &[("csrf", &csrf), ("code", &code_now(&secret, clock))],
        )
        .await;
    assert_eq!(done.status, 200, "{}: {}", s.name, done.body);
    let list = between(&done.body, "id=\"recovery-codes\">", "</ol>");
    let codes: Vec<String> = list
        .split("<li>")
        .filter_map(|x| x.split_once("</li>").map(|(c, _)| c.to_owned()))
        .collect();
    assert_eq!(codes.len(), 10, "{list}");
    let q = b.get("/kantor").await;
    assert_eq!(q.status, 200, "{}: signed in after enrolment", s.name);
    (secret, codes, b)
}

#[tokio::test]
async fn an_officer_enrols_and_signs_in_with_codes_in_the_browser_and_the_api() {
    for (s, clock) in two_factor_servers().await {
        // Required but not enrolled: the API says to enrol in the browser.
        let creds = json!({"email": "ppid@a.id", "password": PASSWORD});
        let (st, body) = s.post("/auth/token", &creds, None).await;
        assert_eq!(
            (st, body["error"]["code"].as_str()),
            (401, Some("auth.totp_enrolment_required")),
            "{}: {body}",
            s.name
        );
        // A viewer (cannot reveal or decide) signs in with the password alone.
        let (st, _) = s
            .post(
                "/auth/token",
                &json!({"email": "viewer@a.id", "password": PASSWORD}),
                None,
            )
            .await;
        assert_eq!(st, 200, "{}", s.name);

        let (secret, codes, _b) = enrol(&s, &clock, "ppid@a.id").await;

        // The API: missing, wrong, right, replayed, a recovery code, the same again.
        let (st, body) = s.post("/auth/token", &creds, None).await;
        assert_eq!(
            body["error"]["code"], "auth.totp_required",
            "{}: {st}",
            s.name
        );
        let (st, body) = s
            .post(
                "/auth/token",
                &json!({"email": "ppid@a.id", "password": PASSWORD, "totp": "123 456"}),
                None,
            )
            .await;
        assert_eq!(
            (st, body["error"]["code"].as_str()),
            (401, Some("auth.totp_invalid"))
        );
        // The enrolment used the code of this step: it cannot be used again.
        let now_code = code_now(&secret, &clock);
        let with = |code: &str| json!({"email": "ppid@a.id", "password": PASSWORD, "totp": code});
        let (st, _) = s.post("/auth/token", &with(&now_code), None).await;
        assert_eq!(st, 401, "{}: replay of the enrolment's code", s.name);
        advance(&clock, 30);
        let next = code_now(&secret, &clock);
        let (st, body) = s.post("/auth/token", &with(&next), None).await;
        assert_eq!(st, 200, "{}: {body}", s.name);
        let token = body["token"].as_str().expect("token").to_owned();
        let (st, _) = s.get("/cases", Some(&token)).await;
        assert_eq!(st, 200);
        let (st, _) = s.post("/auth/token", &with(&next), None).await;
        assert_eq!(st, 401, "{}: a code works once", s.name);
        let (st, body) = s
            .post("/auth/token", &with(&codes[3].to_lowercase()), None)
            .await;
        assert_eq!(st, 200, "{}: recovery code: {body}", s.name);
        let (st, _) = s.post("/auth/token", &with(&codes[3]), None).await;
        assert_eq!(st, 401, "{}: a recovery code works once", s.name);

        // The browser: password, then the code of the next step.
        advance(&clock, 30);
        let (mut b, to) = password_step(&s, "ppid@a.id", PASSWORD).await;
        assert_eq!(to.as_deref(), Some("/kantor/masuk/kode"));
        assert_eq!(b.get("/kantor").await.status, 303, "pending opens nothing");
        let form = b.get("/kantor/masuk/kode").await;
        let csrf = hidden(&form.body, "csrf");
        let bad = b
            .post("/kantor/masuk/kode", &[("csrf", &csrf), ("code", "999999")])
            .await;
        assert_eq!(bad.status, 401);
        assert!(bad.body.contains("Kode salah"), "{}", bad.body);
        let ok = b
            .post(
                "/kantor/masuk/kode",
                &[("csrf", &csrf), ("code", &code_now(&secret, &clock))],
            )
            .await;
        assert_eq!(
            (ok.status, ok.location.as_deref()),
            (303, Some("/kantor")),
            "{}: {}",
            s.name,
            ok.body
        );
        assert_eq!(b.get("/kantor").await.status, 200);
        let account = b.get("/kantor/akun").await;
        assert!(
            account.body.contains("id=\"recovery-left\">9<"),
            "{}",
            s.name
        );

        // Wrong codes lock the (e-mail, address) pair like wrong passwords, also for the
        // right code afterwards.
        advance(&clock, 30);
        for _ in 0..5 {
            let (st, _) = s.post("/auth/token", &with("000000"), None).await;
            assert_eq!(st, 401);
        }
        let (st, body) = s
            .post("/auth/token", &with(&code_now(&secret, &clock)), None)
            .await;
        assert_eq!(
            (st, body["error"]["code"].as_str()),
            (401, Some("auth.locked")),
            "{}",
            s.name
        );

        let actions = audit_actions(&s).await;
        assert!(actions.iter().any(|a| a == "totp.enrolled"), "{actions:?}");
        assert!(actions.iter().any(|a| a == "totp.recovery_used"));
        // Every sign-in and every wrong password of an officer's account is accountable
        // (a wrong password from another address: this one's pair is locked by now).
        let wrong = s
            .http
            .post(format!("{}/auth/token", s.base))
            .header("x-forwarded-for", "198.51.100.20")
            .json(&json!({"email": "ppid@a.id", "password": "bukan-sandinya-sama-sekali"}))
            .send()
            .await
            .expect("send");
        assert_eq!(wrong.status().as_u16(), 401);
        let actions = audit_actions(&s).await;
        assert!(
            actions.iter().any(|a| a == "session.signed_in"),
            "{actions:?}"
        );
        assert!(
            actions.iter().any(|a| a == "session.sign_in_failed"),
            "{actions:?}"
        );
    }
}

#[tokio::test]
async fn an_enrolled_officer_always_needs_the_code_and_an_admin_resets_it() {
    // The installation does not require it; the officer enrols by choice.
    for s in servers().await {
        let clock = Arc::new(FixedClock::new(TOTP_START));
        s.app
            .set_totp_clock(Arc::clone(&clock) as Arc<dyn lentera_app::Clock>);
        let (mut b, _) = sign_in(&s, "viewer@a.id").await;
        let page = b.get("/kantor/akun/dua-langkah").await;
        assert_eq!(page.status, 200);
        let secret =
            totp::base32_decode(&between(&page.body, "id=\"totp-secret\">", "<")).expect("b32");
        let csrf = hidden(&page.body, "csrf");
        let done = b
            .post(
                "/kantor/akun/dua-langkah",
                &[("csrf", &csrf), ("code", &code_now(&secret, &clock))],
            )
            .await;
        assert_eq!(done.status, 200, "{}", s.name);
        assert!(done.body.contains("id=\"recovery-codes\""));
        // New recovery codes need a current code; the old step is spent.
        advance(&clock, 30);
        let renewed = b
            .post(
                "/kantor/akun/kode-pemulihan",
                &[("csrf", &csrf), ("code", &code_now(&secret, &clock))],
            )
            .await;
        assert_eq!(renewed.status, 200, "{}", s.name);

        let (st, body) = s
            .post(
                "/auth/token",
                &json!({"email": "viewer@a.id", "password": PASSWORD}),
                None,
            )
            .await;
        assert_eq!(
            (st, body["error"]["code"].as_str()),
            (401, Some("auth.totp_required"))
        );
        let (_, to) = password_step(&s, "viewer@a.id", PASSWORD).await;
        assert_eq!(to.as_deref(), Some("/kantor/masuk/kode"));

        // The admin resets it (a lost phone): the password alone works again, audited.
        let users = lentera_app::testing::store::users::list(&s.app.db)
            .await
            .expect("users");
        let viewer = users
            .iter()
            .find(|u| u.email == "viewer@a.id")
            .expect("viewer");
        let (mut admin, acsrf) = sign_in(&s, "admin@a.id").await;
        let list = admin.get("/kantor/admin").await;
        assert!(
            list.body
                .contains(&format!("/kantor/admin/petugas/{}/dua-langkah", viewer.id))
        );
        let r = admin
            .post(
                &format!("/kantor/admin/petugas/{}/dua-langkah", viewer.id),
                &[("csrf", &acsrf)],
            )
            .await;
        assert_eq!(r.status, 200, "{}: {}", s.name, r.body);
        // The reset ended the officer's sessions.
        assert_eq!(b.get("/kantor").await.status, 303, "{}", s.name);
        s.token("viewer@a.id").await;
        let actions = audit_actions(&s).await;
        for a in ["totp.enrolled", "totp.recovery_renewed", "totp.reset"] {
            assert!(actions.iter().any(|x| x == a), "{a}: {actions:?}");
        }
        let audit = admin.get("/kantor/admin/audit").await;
        assert!(
            audit
                .body
                .contains("Verifikasi dua langkah diatur ulang oleh admin")
        );
        assert!(!audit.body.contains("totp.reset<"), "no raw codes");
    }
}

#[tokio::test]
async fn sessions_are_listed_end_when_idle_and_can_be_ended() {
    for s in servers().await {
        let (mut one, csrf) = sign_in(&s, "ppid@a.id").await;
        let (mut two, _) = sign_in(&s, "ppid@a.id").await;
        let page = one.get("/kantor/akun").await;
        assert_eq!(page.status, 200);
        let list = between(&page.body, "id=\"session-list\">", "</ul>");
        assert_eq!(list.matches("<li>").count(), 2, "{}: {list}", s.name);
        assert!(list.contains("127.0.0.1"));

        // Touched at most once a minute; an idle session ends after 30 minutes.
        use lentera_app::Clock;
        let t0 = s.clock.now();
        s.clock.set(t0 + time::Duration::minutes(20));
        assert_eq!(one.get("/kantor").await.status, 200);
        s.clock.set(t0 + time::Duration::minutes(40));
        assert_eq!(
            one.get("/kantor").await.status,
            200,
            "{}: touched at 20 min",
            s.name
        );
        assert_eq!(
            two.get("/kantor").await.status,
            303,
            "{}: idle 40 min ended",
            s.name
        );

        let (mut three, _) = sign_in(&s, "ppid@a.id").await;
        let r = one
            .post("/kantor/akun/sesi/akhiri-lainnya", &[("csrf", &csrf)])
            .await;
        assert_eq!(r.status, 200, "{}", s.name);
        assert_eq!(three.get("/kantor").await.status, 303);
        assert_eq!(one.get("/kantor").await.status, 200);

        // Ending one's own current session signs out; another officer's id does nothing.
        let page = one.get("/kantor/akun").await;
        let id = hidden(&page.body, "id");
        let (mut other, ocsrf) = sign_in(&s, "ppid@b.id").await;
        let r = other
            .post("/kantor/akun/sesi/akhiri", &[("csrf", &ocsrf), ("id", &id)])
            .await;
        assert_eq!(r.status, 404, "{}", s.name);
        assert_eq!(one.get("/kantor").await.status, 200);
        let r = one
            .post("/kantor/akun/sesi/akhiri", &[("csrf", &csrf), ("id", &id)])
            .await;
        assert_eq!(r.status, 303);
        assert_eq!(one.get("/kantor").await.status, 303);
        let actions = audit_actions(&s).await;
        assert!(actions.iter().any(|a| a == "session.ended_others"));
        assert!(actions.iter().any(|a| a == "session.ended"));
    }
}

#[tokio::test]
async fn password_change_and_reset_follow_the_rule_and_end_other_sessions() {
    for s in servers().await {
        let (mut me, csrf) = sign_in(&s, "atasan@a.id").await;
        let (mut elsewhere, _) = sign_in(&s, "atasan@a.id").await;
        let token = s.token("atasan@a.id").await;
        let change = |old: &'static str, new: &'static str| {
            vec![
                ("csrf", csrf.clone()),
                ("old_password", old.to_owned()),
                ("new_password", new.to_owned()),
                ("new_password2", new.to_owned()),
            ]
        };
        let send = |v: &Vec<(&'static str, String)>| {
            v.iter().map(|(k, x)| (*k, x.clone())).collect::<Vec<_>>()
        };
        let form = send(&change("salah-sandi-lama", "Kopi tubruk pagi hari"));
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = me.post("/kantor/akun/sandi", &pairs).await;
        assert_eq!(r.status, 422, "{}", s.name);
        assert!(r.body.contains("Kata sandi lama salah."), "{}", r.body);
        let form = send(&change(PASSWORD, "password12345"));
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = me.post("/kantor/akun/sandi", &pairs).await;
        assert_eq!(r.status, 422);
        assert!(r.body.contains("terlalu umum"), "{}", r.body);
        let form = send(&change(PASSWORD, "Kopi tubruk pagi hari"));
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = me.post("/kantor/akun/sandi", &pairs).await;
        assert_eq!(r.status, 200, "{}: {}", s.name, r.body);
        assert_eq!(me.get("/kantor").await.status, 200, "this session stays");
        assert_eq!(elsewhere.get("/kantor").await.status, 303, "others end");
        assert_eq!(s.get("/cases", Some(&token)).await.0, 401, "tokens end");
        let (st, _) = s
            .post(
                "/auth/token",
                &json!({"email": "atasan@a.id", "password": "Kopi tubruk pagi hari"}),
                None,
            )
            .await;
        assert_eq!(st, 200);

        // The admin's one-time reset link.
        let users = lentera_app::testing::store::users::list(&s.app.db)
            .await
            .expect("users");
        let atasan = users
            .iter()
            .find(|u| u.email == "atasan@a.id")
            .expect("atasan");
        let (mut admin, acsrf) = sign_in(&s, "admin@a.id").await;
        let r = admin
            .post(
                &format!("/kantor/admin/petugas/{}/setel-ulang", atasan.id),
                &[("csrf", &acsrf)],
            )
            .await;
        assert_eq!(r.status, 200, "{}", s.name);
        let link = between(&r.body, "id=\"reset-link\">", "<");
        let path = link
            .split_once("/kantor/")
            .map(|(_, p)| format!("/kantor/{p}"))
            .expect("path");
        let mut officer = Browser::new(&s);
        let f = officer.get(&path).await;
        assert_eq!(f.status, 200, "{}: {path}", s.name);
        assert!(f.body.contains("atasan@a.id"));
        let rc = hidden(&f.body, "csrf");
        let weak = officer
            .post(
                &path,
                &[
                    ("csrf", &rc),
                    ("new_password", "aaaaaaaaaaaa"),
                    ("new_password2", "aaaaaaaaaaaa"),
                ],
            )
            .await;
        assert_eq!(weak.status, 422);
        let good = officer
            .post(
                &path,
                &[
                    ("csrf", &rc),
                    ("new_password", "Teh manis sore ini"),
                    ("new_password2", "Teh manis sore ini"),
                ],
            )
            .await;
        assert_eq!(good.status, 200, "{}: {}", s.name, good.body);
        assert_eq!(
            me.get("/kantor").await.status,
            303,
            "the reset ended the sessions"
        );
        assert_eq!(officer.get(&path).await.status, 404, "the link works once");
        let (st, _) = s
            .post(
                "/auth/token",
                &json!({"email": "atasan@a.id", "password": "Teh manis sore ini"}),
                None,
            )
            .await;
        assert_eq!(st, 200);
        // An expired link does not work.
        let r = admin
            .post(
                &format!("/kantor/admin/petugas/{}/setel-ulang", atasan.id),
                &[("csrf", &acsrf)],
            )
            .await;
        let link = between(&r.body, "id=\"reset-link\">", "<");
        let path = link
            .split_once("/kantor/")
            .map(|(_, p)| format!("/kantor/{p}"))
            .expect("path");
        use lentera_app::Clock;
        s.clock.set(s.clock.now() + time::Duration::hours(25));
        assert_eq!(Browser::new(&s).get(&path).await.status, 404, "{}", s.name);

        let actions = audit_actions(&s).await;
        for a in [
            "password.changed",
            "password.reset_started",
            "password.reset_done",
        ] {
            assert!(actions.iter().any(|x| x == a), "{a}: {actions:?}");
        }
    }
}

#[tokio::test]
async fn a_deactivated_officer_stops_at_once_and_the_rule_applies_to_new_accounts() {
    for s in servers().await {
        let (mut unit, _) = sign_in(&s, "dinkes@a.id").await;
        let token = s.token("dinkes@a.id").await;
        let users = lentera_app::testing::store::users::list(&s.app.db)
            .await
            .expect("users");
        let dinkes = users
            .iter()
            .find(|u| u.email == "dinkes@a.id")
            .expect("dinkes");
        let admin_id = users
            .iter()
            .find(|u| u.email == "admin@a.id")
            .expect("admin")
            .id;
        let (mut admin, acsrf) = sign_in(&s, "admin@a.id").await;
        let r = admin
            .post(
                &format!("/kantor/admin/petugas/{}/nonaktifkan", dinkes.id),
                &[("csrf", &acsrf)],
            )
            .await;
        assert_eq!(r.status, 200, "{}", s.name);
        assert!(r.body.contains("Nonaktif"));
        assert_eq!(
            unit.get("/kantor").await.status,
            303,
            "{}: session stopped",
            s.name
        );
        assert_eq!(s.get("/cases", Some(&token)).await.0, 401, "token stopped");
        let (st, _) = s
            .post(
                "/auth/token",
                &json!({"email": "dinkes@a.id", "password": PASSWORD}),
                None,
            )
            .await;
        assert_eq!(st, 401);
        // Without the CSRF token nothing happens; the admin cannot deactivate themselves.
        let r = admin
            .post(
                &format!("/kantor/admin/petugas/{}/aktifkan", dinkes.id),
                &[],
            )
            .await;
        assert_eq!(r.status, 403);
        let r = admin
            .post(
                &format!("/kantor/admin/petugas/{admin_id}/nonaktifkan"),
                &[("csrf", &acsrf)],
            )
            .await;
        assert_eq!(r.status, 409);
        let r = admin
            .post(
                &format!("/kantor/admin/petugas/{}/aktifkan", dinkes.id),
                &[("csrf", &acsrf)],
            )
            .await;
        assert_eq!(r.status, 200);
        s.token("dinkes@a.id").await;
        // Only admins.
        let (mut ppid, pcsrf) = sign_in(&s, "ppid@a.id").await;
        let r = ppid
            .post(
                &format!("/kantor/admin/petugas/{}/nonaktifkan", dinkes.id),
                &[("csrf", &pcsrf)],
            )
            .await;
        assert_eq!(r.status, 403);

        // New accounts follow the password rule (the CLI's `user add` calls the same).
        for (pw, code) in [
            ("password2026", "common_password"),
            ("baru@a.id-2026", "contains_email"),
            ("zzzzzzzzzzzz", "too_simple"),
        ] {
            let e = s
                .app
                .create_user(&lentera_app::auth::NewUser {
                    email: "baru@a.id".into(),
                    display_name: None,
                    role: "viewer".into(),
                    body: "kab-a".into(),
                    password: pw.into(),
                })
                .await
                .expect_err(pw);
            assert!(format!("{e:?}").contains(code), "{pw}: {e:?}");
        }
        let actions = audit_actions(&s).await;
        assert!(actions.iter().any(|a| a == "user.deactivated"));
        assert!(actions.iter().any(|a| a == "user.reactivated"));
    }
}
