//! The audit log for admins (issue 15): every officer and admin action, newest first, filtered
//! by action, by what it touched, by officer and by day; with the state of the hash chain.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use lentera_app::audit::{Filter, Link};
use time::{Date, OffsetDateTime};

use crate::pages::common::Page;
use crate::pages::guards::Admin;
use crate::state::AppState;

const PAGE: i64 = 100;

/// Action codes and their names, Indonesian then English (the codes stay off the page).
const ACTIONS: &[(&str, &str, &str)] = &[
    (
        "calendar.load",
        "Kalender libur dimuat",
        "Holiday calendar loaded",
    ),
    (
        "closure.added",
        "Penutupan kantor ditambahkan",
        "Office closure added",
    ),
    (
        "closure.removed",
        "Penutupan kantor dihapus",
        "Office closure removed",
    ),
    (
        "decision.backdated",
        "Keputusan dicatat bertanggal mundur",
        "Decision recorded back-dated",
    ),
    (
        "identity.view",
        "Identitas pemohon dibuka",
        "Applicant identity revealed",
    ),
    ("token.revoked", "Token API dicabut", "API token revoked"),
    (
        "document.checked",
        "Dokumen diperiksa dan disetujui tampil",
        "Document checked and released",
    ),
    (
        "totp.enrolled",
        "Verifikasi dua langkah diaktifkan",
        "Two-step verification turned on",
    ),
    (
        "totp.recovery_used",
        "Masuk dengan kode pemulihan",
        "Signed in with a recovery code",
    ),
    (
        "totp.recovery_renewed",
        "Kode pemulihan baru dibuat",
        "New recovery codes made",
    ),
    (
        "totp.reset",
        "Verifikasi dua langkah diatur ulang oleh admin",
        "Two-step verification reset by an admin",
    ),
    ("password.changed", "Kata sandi diganti", "Password changed"),
    (
        "password.reset_started",
        "Tautan setel ulang kata sandi dibuat",
        "Password reset link made",
    ),
    (
        "password.reset_done",
        "Kata sandi disetel ulang lewat tautan",
        "Password reset through the link",
    ),
    ("user.created", "Petugas ditambahkan", "Officer added"),
    (
        "user.deactivated",
        "Petugas dinonaktifkan",
        "Officer deactivated",
    ),
    (
        "user.reactivated",
        "Petugas diaktifkan kembali",
        "Officer reactivated",
    ),
    ("session.signed_in", "Masuk ke kantor", "Signed in"),
    (
        "session.sign_in_failed",
        "Gagal masuk (kata sandi salah)",
        "Failed sign-in (wrong password)",
    ),
    ("session.ended", "Sesi diakhiri", "Session ended"),
    (
        "session.ended_others",
        "Semua sesi lain diakhiri",
        "All other sessions ended",
    ),
];

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    p: Page,
    rows: Vec<Link>,
    actors: HashMap<uuid::Uuid, String>,
    action: String,
    entity_id: String,
    officer: String,
    from: String,
    until: String,
    next: Option<i64>,
    chain: Option<String>,
    chain_ok: bool,
}

impl AuditPage {
    fn actions(&self) -> Vec<(&'static str, &'static str)> {
        ACTIONS
            .iter()
            .map(|(c, id, en)| (*c, self.p.t.pick(id, en)))
            .collect()
    }

    fn action_label(&self, code: &str) -> String {
        ACTIONS.iter().find(|(c, _, _)| *c == code).map_or_else(
            || code.replace(['.', '_'], " "),
            |(_, id, en)| self.p.t.pick(id, en).to_owned(),
        )
    }

    /// What an entry touched: an officer by e-mail, anything else by its number or code.
    fn object(&self, r: &Link) -> String {
        if r.entity == "user"
            && let Some(email) = uuid::Uuid::parse_str(&r.entity_id)
                .ok()
                .and_then(|id| self.actors.get(&id))
        {
            return email.clone();
        }
        r.entity_id.clone()
    }

    /// An entry's detail; a role code in words.
    fn detail(&self, r: &Link) -> String {
        match (r.action.as_str(), lentera_domain::Role::parse(&r.detail)) {
            ("user.created", Some(role)) => {
                self.p.t.pick(role.label_id(), role.as_str()).to_owned()
            }
            _ => r.detail.clone(),
        }
    }

    fn actor(&self, id: &Option<uuid::Uuid>) -> String {
        id.and_then(|i| self.actors.get(&i).cloned())
            .unwrap_or_else(|| {
                self.p
                    .t
                    .pick("Sistem / baris perintah", "System / command line")
                    .to_owned()
            })
    }
}

fn day(q: &HashMap<String, String>, key: &str) -> Option<Date> {
    let f = time::macros::format_description!("[year]-[month]-[day]");
    q.get(key).and_then(|v| Date::parse(v.trim(), &f).ok())
}

/// `GET /kantor/admin/audit`
pub async fn page(
    State(app): State<AppState>,
    Admin { ctx, .. }: Admin,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let users = app.accounts().await.unwrap_or_default();
    let text = |k: &str| q.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
    let officer = text("petugas");
    let actor_id = users
        .iter()
        .find(|u| !officer.is_empty() && u.email.eq_ignore_ascii_case(&officer))
        .map(|u| u.id);
    let start = |d: Date| OffsetDateTime::new_utc(d, time::Time::MIDNIGHT);
    let filter = Filter {
        action: Some(text("tindakan")).filter(|a| !a.is_empty()),
        entity_id: Some(text("objek")).filter(|a| !a.is_empty()),
        // An unknown officer matches nothing rather than everything.
        actor_id: if officer.is_empty() {
            None
        } else {
            Some(actor_id.unwrap_or(uuid::Uuid::nil()))
        },
        from: day(&q, "dari").map(start),
        until: day(&q, "sampai").map(|d| start(d) + time::Duration::days(1)),
        before_seq: q.get("sebelum").and_then(|v| v.parse().ok()),
        limit: PAGE,
    };
    let rows = match app.audit_page(&filter).await {
        Ok(r) => r,
        Err(e) => {
            return ctx.error_page(
                StatusCode::SERVICE_UNAVAILABLE,
                ctx.t.pick("Log audit", "Audit log"),
                &crate::pages::common::app_error_text(ctx.t, &e),
            );
        }
    };
    // The chain is checked on request only: it reads the whole log.
    let (chain, chain_ok) = if q.contains_key("periksa") {
        match app.audit_verify(&|_| {}).await {
            Ok((n, None)) => (
                Some(format!(
                    "{} {n} {}",
                    ctx.t.pick("Rantai utuh:", "Chain intact:"),
                    ctx.t.pick("catatan diperiksa.", "entries checked.")
                )),
                true,
            ),
            Ok((n, Some(b))) => (
                Some(format!(
                    "{} #{} ({} {n} {})",
                    ctx.t
                        .pick("Rantai RUSAK pada catatan", "Chain BROKEN at entry"),
                    b.seq,
                    ctx.t.pick("sebelumnya", "before it"),
                    ctx.t.pick("catatan utuh", "entries intact")
                )),
                false,
            ),
            Err(_) => (
                Some(
                    ctx.t
                        .pick(
                            "Rantai tidak dapat diperiksa sekarang.",
                            "The chain cannot be checked now.",
                        )
                        .to_owned(),
                ),
                false,
            ),
        }
    } else {
        (None, true)
    };
    let next = (rows.len() as i64 == PAGE)
        .then(|| rows.last().map(|r| r.seq))
        .flatten();
    let page = AuditPage {
        p: ctx.page(ctx.t.pick("Log audit", "Audit log")),
        rows,
        actors: users.into_iter().map(|u| (u.id, u.email)).collect(),
        action: text("tindakan"),
        entity_id: text("objek"),
        officer,
        from: text("dari"),
        until: text("sampai"),
        next,
        chain,
        chain_ok,
    };
    ctx.render(StatusCode::OK, &page)
}
