//! The `.eml` files the sender writes when no SMTP server is configured, for admins to read
//! (the demo shows a newcomer what the service mails).

use super::MailTransport;
use crate::{App, AppError};

/// One written mail, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmlSummary {
    pub name: String,
    pub to: String,
    pub subject: String,
    pub date: String,
}

/// A header's value with its folded continuation lines joined (RFC 5322 §2.2.3).
fn header(text: &str, name: &str) -> String {
    let prefix = format!("{}:", name.to_ascii_lowercase());
    let mut lines = text.lines().take_while(|l| !l.is_empty());
    let Some(first) = lines.find(|l| l.to_ascii_lowercase().starts_with(&prefix)) else {
        return String::new();
    };
    let mut value = first[prefix.len()..].trim().to_owned();
    for more in lines.take_while(|l| l.starts_with([' ', '\t'])) {
        value.push(' ');
        value.push_str(more.trim());
    }
    value
}

/// A file name the sender could have written (no path, no traversal).
fn valid_name(name: &str) -> bool {
    name.ends_with(".eml")
        && name.len() < 80
        && name
            .trim_end_matches(".eml")
            .chars()
            .all(|c| c.is_ascii_hexdigit() || c == '-')
}

impl App {
    fn mail_dir(&self) -> Option<std::path::PathBuf> {
        match &self.mail.config.get()?.transport {
            MailTransport::Files(d) => Some(d.clone()),
            MailTransport::Smtp(_) => None,
        }
    }

    /// The newest `.eml` files first, at most `limit`; `None` when mail goes to a server.
    pub async fn mail_files(&self, limit: usize) -> Result<Option<Vec<EmlSummary>>, AppError> {
        let Some(dir) = self.mail_dir() else {
            return Ok(None);
        };
        let list = tokio::task::spawn_blocking(move || {
            let mut names: Vec<String> = match std::fs::read_dir(&dir) {
                Ok(d) => d
                    .filter_map(|e| e.ok())
                    .filter_map(|e| e.file_name().into_string().ok())
                    .filter(|n| valid_name(n))
                    .collect(),
                Err(_) => Vec::new(),
            };
            names.sort_unstable_by(|a, b| b.cmp(a));
            names
                .into_iter()
                .take(limit)
                .filter_map(|name| {
                    let text = std::fs::read_to_string(dir.join(&name)).ok()?;
                    Some(EmlSummary {
                        to: header(&text, "To"),
                        subject: header(&text, "Subject"),
                        date: header(&text, "Date"),
                        name,
                    })
                })
                .collect::<Vec<_>>()
        })
        .await
        .map_err(|e| AppError::Unexpected(e.into()))?;
        Ok(Some(list))
    }

    /// One `.eml` file's text, attachments left out (their names stay).
    pub async fn mail_file(&self, name: &str) -> Result<String, AppError> {
        const MISSING: AppError = AppError::NotFound("mail.not_found");
        let dir = self.mail_dir().ok_or(MISSING)?;
        if !valid_name(name) {
            return Err(MISSING);
        }
        let path = dir.join(name);
        let text = tokio::task::spawn_blocking(move || std::fs::read_to_string(path))
            .await
            .map_err(|e| AppError::Unexpected(e.into()))?
            .map_err(|_| MISSING)?;
        // Base64 bodies of attachments are long runs of one line shape: keep the headers.
        let mut out = String::new();
        let mut skipping = false;
        for line in text.lines() {
            let b64 = line.len() >= 60
                && !line.contains(' ')
                && line
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='));
            if b64 {
                if !skipping {
                    out.push_str("[… lampiran PDF …]\n");
                }
                skipping = true;
                continue;
            }
            skipping = false;
            out.push_str(line);
            out.push('\n');
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::valid_name;

    #[test]
    fn folded_headers_read_whole() {
        let eml = "To: a@b.id\r\nSubject: [0001] Pemberitahuan tertulis atas\r\n permohonan Anda\r\nDate: x\r\n\r\nSubject: body";
        assert_eq!(
            super::header(eml, "Subject"),
            "[0001] Pemberitahuan tertulis atas permohonan Anda"
        );
        assert_eq!(super::header(eml, "To"), "a@b.id");
    }

    #[test]
    fn only_names_the_sender_writes_are_opened() {
        assert!(valid_name(
            "1770000000-019c-0000-7000-8000-000000000000.eml"
        ));
        for bad in ["../x.eml", "a/b.eml", "x.txt", ".eml.eml/..", "ab cd.eml"] {
            assert!(!valid_name(bad), "{bad}");
        }
    }
}
