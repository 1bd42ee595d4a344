//! The letter worker: takes due jobs under a lease (several nodes on one PostgreSQL issue each
//! letter once), composes, numbers and typesets each off the request path, keeps the PDF in
//! the storage and records the letter with its job ended in one transaction. A failed attempt
//! keeps its number and comes back later, with the error shown to officers.

use std::sync::Arc;
use std::time::Duration;

use lentera_store::letters::{self as store, LetterJobRow, LetterRow};
use sha2::Digest as _;
use uuid::Uuid;

use crate::{App, AppError};

/// How long a node holds the jobs it took before another may take them.
const LEASE_MS: i64 = 120_000;

/// The wait before attempt `n + 1`: 10 s, doubling, at most an hour.
fn backoff_ms(attempts: i64) -> i64 {
    let exp = u32::try_from(attempts.clamp(1, 10) - 1).unwrap_or(0);
    (10_000_i64 << exp).min(3_600_000)
}

impl App {
    pub(crate) fn now_ms(&self) -> i64 {
        i64::try_from(self.now().unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
    }

    /// Issues up to `limit` letters that are due; returns how many were issued.
    pub async fn issue_due_letters(&self, limit: i64) -> Result<usize, AppError> {
        let now = self.now_ms();
        let jobs = store::take_due(&self.db, now, now + LEASE_MS, limit).await?;
        let mut issued = 0;
        for job in jobs {
            match self.issue_letter(&job).await {
                Ok(()) => issued += 1,
                Err(e) => {
                    tracing::warn!(kind = %job.kind, attempts = job.attempts, error = %e, "letter not issued; will retry");
                    let shown = match &e {
                        AppError::Unavailable => "penyimpanan tidak dapat ditulisi".to_owned(),
                        other => other.to_string(),
                    };
                    store::retry_later(&self.db, job.id, &shown, now + backoff_ms(job.attempts))
                        .await?;
                }
            }
        }
        Ok(issued)
    }

    async fn issue_letter(&self, job: &LetterJobRow) -> Result<(), AppError> {
        let mut s = self.compose(job).await?;
        let number =
            store::number_for(&self.db, job, &s.pattern, &s.body.row.code, s.kind.code()).await?;
        let code = crate::crypto::verify_code().map_err(|e| AppError::Unexpected(e.into()))?;
        s.letter.number = number.clone();
        s.letter.verify_url = self.verify_url(&code);
        let letter = s.letter;
        let pdf =
            tokio::task::spawn_blocking(move || lentera_render::letter::letter_to_pdf(&letter))
                .await
                .map_err(|e| AppError::Unexpected(e.into()))?
                .map_err(|e| AppError::Unexpected(anyhow::anyhow!("typesetting: {e}")))?;
        let id = Uuid::now_v7();
        let key = format!(
            "letters/{}/{}/{id}.pdf",
            s.body.row.slug,
            job.issued_on.year()
        );
        let sha256 = hex::encode(sha2::Sha256::digest(&pdf));
        let size = i64::try_from(pdf.len()).unwrap_or(i64::MAX);
        self.storage()
            .put(&key, bytes::Bytes::from(pdf))
            .await
            .map_err(|_| AppError::Unavailable)?;
        let row = LetterRow {
            id,
            body_id: job.body_id,
            kind: job.kind.clone(),
            number,
            case_kind: job.case_kind.clone(),
            case_id: job.case_id,
            event_seq: job.event_seq,
            issued_on: job.issued_on,
            verify_code: code,
            sha256,
            size,
            storage_key: key.clone(),
            created_at: self.now(),
        };
        if let Err(e) = store::issue(&self.db, &row, job.id).await {
            // The PDF of a letter that was not recorded is nobody's: remove it.
            let _ = self.storage().delete(&key).await;
            return Err(e.into());
        }
        tracing::info!(kind = %row.kind, number = %row.number, "letter issued");
        self.mail.wake();
        Ok(())
    }
}

/// Issues letters as soon as a change calls for them, and once a second for jobs written by
/// other nodes or due for a retry, until the node shuts down.
pub async fn run_letter_worker(app: Arc<App>) {
    const BATCH: i64 = 16;
    while !app.is_shutting_down() {
        let more = match app.issue_due_letters(BATCH).await {
            Ok(n) => n == usize::try_from(BATCH).unwrap_or(16),
            Err(e) => {
                tracing::warn!(error = %e, "letter worker failed; retrying");
                false
            }
        };
        if more {
            continue;
        }
        tokio::select! {
            () = app.letters.wake.notified() => {}
            () = tokio::time::sleep(Duration::from_secs(1)) => {}
            () = app.shutting_down() => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::backoff_ms;

    #[test]
    fn retries_back_off_to_an_hour() {
        assert_eq!(backoff_ms(1), 10_000);
        assert_eq!(backoff_ms(2), 20_000);
        assert_eq!(backoff_ms(40), 3_600_000);
    }
}
