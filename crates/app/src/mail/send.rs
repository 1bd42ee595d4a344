//! The sender: takes due messages under a lease, reads recipient and text from the record,
//! attaches the letters of the same event (waiting a little for them to be issued), and sends
//! over SMTP or writes an `.eml` file. Every attempt is recorded; a refusal by the receiving
//! server (5xx) is a bounce shown to the officers, anything else is retried with back-off.

use std::sync::Arc;

use futures::StreamExt as _;
use std::time::Duration;

use lentera_domain::letters::LetterKind;
use lentera_domain::mail::{MailFacts, MailKind, compose};
use lentera_store::mail::{self as store, MailRow};
use lentera_store::{letters, objections, requests};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::{MailConfig, MailTransport, SmtpUrl, TlsMode};
use crate::{App, AppError};

const LEASE_MS: i64 = 120_000;
/// Messages sent at once (the SMTP pool keeps up to this many connections).
const IN_FLIGHT: usize = 16;
/// Attempts before a message is given up (about a day with the back-off below).
const MAX_ATTEMPTS: i64 = 12;
/// How long a message waits for the letter it carries before it goes without it.
const LETTER_WAIT: time::Duration = time::Duration::minutes(10);

fn backoff_ms(attempts: i64) -> i64 {
    let exp = u32::try_from(attempts.clamp(1, 12) - 1).unwrap_or(0);
    (30_000_i64 << exp).min(4 * 3_600_000)
}

enum Outcome {
    Sent { message_id: String, detail: String },
    NoAddress,
    WaitForLetter,
    Bounced(String),
    Transient(String),
}

/// What a message is made of, read from the record.
struct Draft {
    to: String,
    number: String,
    body_name: String,
    attachments: Vec<(String, Vec<u8>)>,
    attached_names: Vec<String>,
    thread: Option<String>,
}

impl App {
    /// Sends up to `limit` due messages; returns how many were delivered (or written).
    pub async fn send_due_mail(&self, limit: i64) -> Result<usize, AppError> {
        let Some(config) = self.mail.config.get().cloned() else {
            return Ok(0);
        };
        let now = self.now_ms();
        let due = store::take_due(&self.db, now, now + LEASE_MS, limit).await?;
        // One transport per node, so that its pooled connections outlive a batch.
        let transport = match &config.transport {
            MailTransport::Smtp(u) if !due.is_empty() => match self.mail.smtp.get() {
                Some(t) => Some(t.clone()),
                None => {
                    let t = smtp_transport(u)?;
                    Some(self.mail.smtp.get_or_init(|| t).clone())
                }
            },
            _ => None,
        };
        let mut sent = 0;
        // Several messages in flight at once over the transport's pooled connections: one
        // SMTP dialogue is mostly waiting for the other side.
        let outcomes: Vec<(MailRow, Outcome)> = futures::stream::iter(due)
            .map(|m| {
                let (config, transport) = (&config, transport.as_ref());
                async move {
                    let o = match self.deliver(config, transport, &m).await {
                        Ok(o) => o,
                        Err(e) => Outcome::Transient(e.to_string()),
                    };
                    (m, o)
                }
            })
            .buffer_unordered(IN_FLIGHT)
            .collect()
            .await;
        for (m, outcome) in outcomes {
            let at = self.now();
            match outcome {
                Outcome::Sent { message_id, detail } => {
                    sent += 1;
                    store::record_attempt(
                        &self.db,
                        m.id,
                        "sent",
                        "sent",
                        &detail,
                        now,
                        Some(&message_id),
                        at,
                    )
                    .await?;
                }
                Outcome::NoAddress => {
                    store::record_attempt(
                        &self.db,
                        m.id,
                        "no_address",
                        "no_address",
                        "Pemohon tidak memberikan alamat surel.",
                        now,
                        None,
                        at,
                    )
                    .await?;
                }
                // Due again at once: the letter worker wakes the sender when it has issued the letter.
                Outcome::WaitForLetter => store::defer(&self.db, m.id, now).await?,
                Outcome::Bounced(detail) => {
                    tracing::warn!(kind = %m.kind, "mail refused by the receiving server");
                    store::record_attempt(
                        &self.db, m.id, "bounced", "bounced", &detail, now, None, at,
                    )
                    .await?;
                }
                Outcome::Transient(detail) => {
                    let (status, next) = if m.attempts >= MAX_ATTEMPTS {
                        ("failed", now)
                    } else {
                        ("pending", now + backoff_ms(m.attempts))
                    };
                    tracing::warn!(kind = %m.kind, attempts = m.attempts, error = %detail, "mail not sent; will retry");
                    store::record_attempt(&self.db, m.id, status, "error", &detail, next, None, at)
                        .await?;
                }
            }
        }
        Ok(sent)
    }

    async fn draft(&self, m: &MailRow) -> Result<Option<Draft>, AppError> {
        let (number, request_id) = match m.case_kind.as_str() {
            "request" => {
                let r = requests::get_by_id(&self.db, m.case_id).await?;
                (r.number, r.id)
            }
            _ => {
                let o = objections::get_by_id(&self.db, m.case_id).await?;
                (o.number, o.request_id)
            }
        };
        let request = requests::get_by_id(&self.db, request_id).await?;
        let applicant = requests::applicant(&self.db, request.applicant_id).await?;
        let Some(to) = applicant.email.filter(|e| e.contains('@')) else {
            return Ok(None);
        };
        let body = self.body(m.body_id).await?;
        let mut attachments = Vec::new();
        let mut attached_names = Vec::new();
        for l in letters::for_case(&self.db, &m.case_kind, m.case_id).await? {
            if l.event_seq != m.event_seq {
                continue;
            }
            let bytes =
                self.storage().get(&l.storage_key).await.map_err(|e| {
                    AppError::Unexpected(anyhow::anyhow!("letter {}: {e}", l.number))
                })?;
            let kind = LetterKind::parse(&l.kind).unwrap_or(LetterKind::Notice);
            attached_names.push(format!("{} {}", kind.name_id(), l.number));
            attachments.push((
                format!(
                    "{}-{}.pdf",
                    kind.as_str().replace('_', "-"),
                    l.number.replace(['/', ' '], "-")
                ),
                bytes.to_vec(),
            ));
        }
        let thread = store::thread_root(&self.db, &m.case_kind, m.case_id).await?;
        Ok(Some(Draft {
            to,
            number,
            body_name: body.row.name.clone(),
            attachments,
            attached_names,
            thread,
        }))
    }

    async fn deliver(
        &self,
        config: &MailConfig,
        transport: Option<&AsyncSmtpTransport<Tokio1Executor>>,
        m: &MailRow,
    ) -> Result<Outcome, AppError> {
        let letter_pending = letters::pending_for_case(&self.db, &m.case_kind, m.case_id)
            .await?
            .iter()
            .any(|j| j.event_seq == m.event_seq);
        if letter_pending && self.now() - m.created_at < LETTER_WAIT {
            return Ok(Outcome::WaitForLetter);
        }
        let Some(d) = self.draft(m).await? else {
            return Ok(Outcome::NoAddress);
        };
        let kind = MailKind::parse(&m.kind).unwrap_or(MailKind::Receipt);
        let english = m.lang == "en";
        let facts = MailFacts {
            number: d.number.clone(),
            body_name: d.body_name.clone(),
            tracking_url: format!("{}/lacak?nomor={}", self.public_url(), d.number),
            attached: d.attached_names.clone(),
        };
        let (subject, text) = compose(kind, &facts, english);
        let from: Mailbox = config
            .from
            .parse()
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!("LENTERA_MAIL_FROM: {e}")))?;
        let to: Mailbox = match d.to.parse() {
            Ok(t) => t,
            Err(e) => return Ok(Outcome::Bounced(format!("alamat tidak valid: {e}"))),
        };
        let domain = config
            .from
            .rsplit('@')
            .next()
            .unwrap_or("localhost")
            .trim_end_matches('>')
            .to_owned();
        let message_id = format!("<{}@{domain}>", m.id);
        let mut b = Message::builder()
            .from(from)
            .to(to)
            .subject(subject)
            // The legal clock, like every date the service writes.
            .date(std::time::SystemTime::from(self.now()))
            .message_id(Some(message_id.clone()));
        if let Some(root) = d.thread.filter(|r| *r != message_id) {
            b = b.in_reply_to(root.clone()).references(root);
        }
        let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(text));
        for (name, bytes) in d.attachments {
            let pdf = ContentType::parse("application/pdf")
                .map_err(|e| AppError::Unexpected(anyhow::anyhow!("{e}")))?;
            parts = parts.singlepart(Attachment::new(name).body(bytes, pdf));
        }
        let message = b
            .multipart(parts)
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!("message: {e}")))?;
        match (&config.transport, transport) {
            (MailTransport::Smtp(_), Some(t)) => match t.send(message).await {
                Ok(r) => Ok(Outcome::Sent {
                    message_id,
                    detail: format!("{} {}", r.code(), r.message().collect::<Vec<_>>().join(" ")),
                }),
                Err(e) if e.is_permanent() => Ok(Outcome::Bounced(e.to_string())),
                Err(e) => Ok(Outcome::Transient(e.to_string())),
            },
            (MailTransport::Files(dir), _) => {
                let name = format!("{}-{}.eml", m.created_at.unix_timestamp(), m.id);
                let bytes = message.formatted();
                let dir = dir.clone();
                let written = tokio::task::spawn_blocking(move || {
                    std::fs::create_dir_all(&dir)?;
                    std::fs::write(dir.join(name), bytes)
                })
                .await
                .map_err(|e| AppError::Unexpected(e.into()))?;
                match written {
                    Ok(()) => Ok(Outcome::Sent {
                        message_id,
                        detail: "ditulis sebagai berkas .eml".into(),
                    }),
                    Err(e) => Ok(Outcome::Transient(format!("berkas .eml: {e}"))),
                }
            }
            (MailTransport::Smtp(_), None) => Ok(Outcome::Transient("no SMTP transport".into())),
        }
    }
}

fn smtp_transport(u: &SmtpUrl) -> Result<AsyncSmtpTransport<Tokio1Executor>, AppError> {
    let params = TlsParameters::new(u.host.clone())
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("TLS for {}: {e}", u.host)))?;
    let tls = match u.tls {
        TlsMode::Opportunistic => Tls::Opportunistic(params),
        TlsMode::Required => Tls::Required(params),
        TlsMode::Wrapper => Tls::Wrapper(params),
    };
    let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(u.host.clone())
        .port(u.port)
        .tls(tls)
        .timeout(Some(Duration::from_secs(20)))
        .pool_config(
            lettre::transport::smtp::PoolConfig::new()
                .max_size(u32::try_from(IN_FLIGHT).unwrap_or(16)),
        );
    if let Some(user) = &u.user {
        b = b.credentials(Credentials::new(
            user.clone(),
            u.password.clone().unwrap_or_default(),
        ));
    }
    Ok(b.build())
}

/// Sends as soon as a change calls for mail, and once a second for retries and for messages
/// written by other nodes, until the node shuts down.
pub async fn run_mail_sender(app: Arc<App>) {
    const BATCH: i64 = 32;
    while !app.is_shutting_down() {
        let more = match app.send_due_mail(BATCH).await {
            Ok(n) => n == usize::try_from(BATCH).unwrap_or(32),
            Err(e) => {
                tracing::warn!(error = %e, "mail sender failed; retrying");
                false
            }
        };
        if more {
            continue;
        }
        tokio::select! {
            () = app.mail.wake.notified() => {}
            () = tokio::time::sleep(Duration::from_secs(1)) => {}
            () = app.shutting_down() => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::backoff_ms;

    #[test]
    fn retries_back_off_to_four_hours() {
        assert_eq!(backoff_ms(1), 30_000);
        assert_eq!(backoff_ms(3), 120_000);
        assert_eq!(backoff_ms(12), 4 * 3_600_000);
    }
}
