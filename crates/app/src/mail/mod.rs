//! E-mail to requesters: the messages an event calls for (written to the outbox in its
//! transaction), the sender that delivers them over SMTP or, without a server configured, as
//! `.eml` files under the data folder, and what officers see of each message.

use std::path::PathBuf;

use lentera_domain::mail::MailKind;
use lentera_store::mail::{self as store, MailCall};
use serde::Serialize;
use uuid::Uuid;

use crate::auth::OfficerCtx;
use crate::{App, AppError};

mod files;
mod send;
pub mod smtp_url;

pub use files::EmlSummary;
pub use send::run_mail_sender;
pub use smtp_url::{SmtpUrl, TlsMode};

/// Where messages go.
#[derive(Clone)]
pub enum MailTransport {
    Smtp(SmtpUrl),
    /// No server configured: each message is written as an `.eml` file here.
    Files(PathBuf),
}

/// The sender's configuration (`LENTERA_SMTP_URL`, `LENTERA_MAIL_FROM`).
#[derive(Clone)]
pub struct MailConfig {
    pub transport: MailTransport,
    /// `PPID Kabupaten A <ppid@a.go.id>`.
    pub from: String,
}

impl MailConfig {
    /// From the environment: SMTP when `LENTERA_SMTP_URL` is set, else files under
    /// `data_dir/mail`.
    pub fn from_lookup(
        get: impl Fn(&str) -> Option<String>,
        data_dir: &std::path::Path,
    ) -> Result<Self, String> {
        let from = get("LENTERA_MAIL_FROM")
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| "Lentera PPID <ppid@localhost>".to_owned());
        from.parse::<lettre::message::Mailbox>()
            .map_err(|e| format!("LENTERA_MAIL_FROM {from:?}: {e}"))?;
        let transport = match get("LENTERA_SMTP_URL").filter(|v| !v.trim().is_empty()) {
            Some(url) => MailTransport::Smtp(
                SmtpUrl::parse(&url).map_err(|e| format!("LENTERA_SMTP_URL: {e}"))?,
            ),
            None => MailTransport::Files(data_dir.join("mail")),
        };
        Ok(Self { transport, from })
    }

    pub fn describe(&self) -> String {
        match &self.transport {
            MailTransport::Smtp(u) => format!("SMTP {}:{} ({:?})", u.host, u.port, u.tls),
            MailTransport::Files(d) => format!("berkas .eml di {}", d.display()),
        }
    }
}

/// The message an event calls for, if any (`("request", id)`).
pub(crate) fn call(
    kind: Option<MailKind>,
    (case_kind, case_id): (&str, Uuid),
    body_id: Uuid,
) -> Vec<MailCall> {
    kind.map(|k| MailCall {
        id: Uuid::now_v7(),
        body_id,
        kind: k.as_str().to_owned(),
        case_kind: case_kind.to_owned(),
        case_id,
        lang: "id".to_owned(),
    })
    .into_iter()
    .collect()
}

/// A message as officers see it on the case page.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MailView {
    pub kind: &'static str,
    /// `pending`, `sent`, `bounced`, `failed` or `no_address`.
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub sent_at: Option<time::OffsetDateTime>,
}

impl App {
    /// Sets how mail is sent (once; the server, from its environment).
    pub fn set_mail(&self, config: MailConfig) -> bool {
        self.mail.config.set(config).is_ok()
    }

    /// The messages of a request and its objections, for an officer who may see the case.
    pub async fn mail_for_officer(
        &self,
        officer: &OfficerCtx,
        number: &str,
    ) -> Result<Vec<MailView>, AppError> {
        let (row, body, state, _) = self.load(number.trim()).await?;
        if !officer.policy().may(
            lentera_domain::access::Action::View,
            &body.row.slug,
            state.unit.as_deref(),
        ) {
            return Err(AppError::Forbidden);
        }
        let mut cases = vec![("request", row.id)];
        for o in lentera_store::objections::for_request(&self.db, row.id).await? {
            cases.push(("objection", o.id));
        }
        let mut out = Vec::new();
        for (kind, id) in cases {
            for m in store::for_case(&self.db, kind, id).await? {
                out.push(MailView {
                    kind: MailKind::parse(&m.kind).map_or("receipt", MailKind::as_str),
                    status: m.status,
                    attempts: m.attempts,
                    last_error: m.last_error,
                    sent_at: m.sent_at,
                });
            }
        }
        Ok(out)
    }
}

/// The mail part of [`App`].
#[derive(Default)]
pub(crate) struct Mail {
    config: std::sync::OnceLock<MailConfig>,
    smtp: std::sync::OnceLock<lettre::AsyncSmtpTransport<lettre::Tokio1Executor>>,
    wake: tokio::sync::Notify,
}

impl Mail {
    pub(crate) fn wake(&self) {
        self.wake.notify_one();
    }
}
