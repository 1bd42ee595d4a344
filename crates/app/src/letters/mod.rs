//! Official letters (*surat*): the jobs an event writes with itself, the worker that typesets
//! them off the request path, and what requesters, officers and the public read of them.
//!
//! A letter is issued once and kept unchanged: its PDF in the storage, its SHA-256 and number
//! in the `letters` table. The public verification page shows the facts of a letter by its
//! code, never its content (the PDF names the requester); the PDF is downloaded with a signed
//! link handed to the requester (tracking code) and to officers of the body.

use lentera_domain::letters::LetterKind;
use lentera_store::letters::{self as store, LetterCall, LetterRow};
use serde::Serialize;
use time::Date;
use uuid::Uuid;

use crate::auth::OfficerCtx;
use crate::{App, AppError};

mod compose;
mod issue;
mod letterhead;

pub use issue::run_letter_worker;
pub use letterhead::{LetterheadInput, LetterheadView, MAX_LOGO};

/// Purpose of the signed download links (see [`crate::crypto::Secret::sign`]).
const LINK: &str = "letter-pdf";

/// The jobs of the letters `kinds` for one event of a case (`("request", id)`).
pub(crate) fn calls(
    kinds: &[LetterKind],
    (case_kind, case_id): (&str, Uuid),
    body_id: Uuid,
    on: Date,
) -> Vec<LetterCall> {
    kinds
        .iter()
        .map(|k| LetterCall {
            id: Uuid::now_v7(),
            body_id,
            kind: k.as_str().to_owned(),
            case_kind: case_kind.to_owned(),
            case_id,
            issued_on: on,
        })
        .collect()
}

/// A letter as listed (`GET /api/v1/requests/{n}/letters`): `url` downloads the PDF as issued.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LetterView {
    pub kind: &'static str,
    /// Its name in Indonesian, for pages.
    #[serde(skip)]
    pub name: &'static str,
    #[serde(skip)]
    pub name_en: &'static str,
    pub number: String,
    pub issued_on: Date,
    pub url: String,
    pub sha256: String,
    /// The public verification address printed on the letter.
    pub verify_url: String,
    /// `url` without the public address, for links on the service's own pages.
    #[serde(skip)]
    pub path: String,
    #[serde(skip)]
    pub verify_code: String,
}

/// A letter called for but not issued yet (officers see why).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PendingLetter {
    pub kind: &'static str,
    #[serde(skip)]
    pub name: &'static str,
    pub attempts: i64,
    pub last_error: Option<String>,
}

/// What the public verification page shows of a letter.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct VerifiedLetter {
    pub number: String,
    pub issued_on: Date,
    pub body: String,
    pub kind: &'static str,
    pub kind_name: &'static str,
    pub kind_name_en: &'static str,
    pub sha256: String,
}

fn kind_of(row: &LetterRow) -> LetterKind {
    LetterKind::parse(&row.kind).unwrap_or(LetterKind::Notice)
}

impl App {
    /// The address citizens reach the service at (`LENTERA_PUBLIC_URL`), without a trailing
    /// slash: links in letters, QR codes and mails.
    pub fn public_url(&self) -> &str {
        self.letters
            .public_url
            .get()
            .map_or("http://localhost:8080", String::as_str)
    }

    /// Sets [`Self::public_url`] once (the server, from its environment or listen address).
    pub fn set_public_url(&self, url: &str) -> bool {
        self.letters
            .public_url
            .set(url.trim().trim_end_matches('/').to_owned())
            .is_ok()
    }

    fn letter_view(&self, row: &LetterRow) -> LetterView {
        let kind = kind_of(row);
        let token = self.secret().sign(LINK, &row.verify_code);
        let path = format!("/surat/{}.pdf?t={token}", row.verify_code);
        LetterView {
            kind: kind.as_str(),
            name: kind.name_id(),
            name_en: kind.name_en(),
            number: row.number.clone(),
            issued_on: row.issued_on,
            url: format!("{}{path}", self.public_url()),
            sha256: row.sha256.clone(),
            verify_url: self.verify_url(&row.verify_code),
            path,
            verify_code: row.verify_code.clone(),
        }
    }

    pub(crate) fn verify_url(&self, code: &str) -> String {
        format!("{}/verifikasi/{code}", self.public_url())
    }

    async fn case_letters(
        &self,
        case_kind: &str,
        case_id: Uuid,
    ) -> Result<Vec<LetterView>, AppError> {
        Ok(store::for_case(&self.db, case_kind, case_id)
            .await?
            .iter()
            .map(|r| self.letter_view(r))
            .collect())
    }

    /// The letters of a request and of its objections, for its requester (tracking code).
    pub async fn letters_of_tracked(
        &self,
        number: &str,
        code: &str,
    ) -> Result<Vec<LetterView>, AppError> {
        let (loaded, _) = self.tracked(number, code).await?;
        self.letters_of_request_id(loaded.row.id).await
    }

    async fn letters_of_request_id(&self, id: Uuid) -> Result<Vec<LetterView>, AppError> {
        let mut out = self.case_letters("request", id).await?;
        for o in lentera_store::objections::for_request(&self.db, id).await? {
            out.extend(self.case_letters("objection", o.id).await?);
        }
        Ok(out)
    }

    /// The letters of one objection, for its requester (`GET /api/v1/objections/{n}/letters`).
    pub async fn letters_of_tracked_objection(
        &self,
        number: &str,
        code: &str,
    ) -> Result<Vec<LetterView>, AppError> {
        self.track_objection(number, code).await?;
        let row = lentera_store::objections::get_by_number(&self.db, number.trim()).await?;
        self.case_letters("objection", row.id).await
    }

    /// The letters of a case for an officer who may see it, with those still to be issued.
    pub async fn letters_for_officer(
        &self,
        officer: &OfficerCtx,
        number: &str,
    ) -> Result<(Vec<LetterView>, Vec<PendingLetter>), AppError> {
        let (row, body, state, _) = self.load(number.trim()).await?;
        if !officer.policy().may(
            lentera_domain::access::Action::View,
            &body.row.slug,
            state.unit.as_deref(),
        ) {
            return Err(AppError::Forbidden);
        }
        let issued = self.letters_of_request_id(row.id).await?;
        let mut pending = Vec::new();
        let mut cases = vec![("request", row.id)];
        for o in lentera_store::objections::for_request(&self.db, row.id).await? {
            cases.push(("objection", o.id));
        }
        for (kind, id) in cases {
            for j in store::pending_for_case(&self.db, kind, id).await? {
                let k = LetterKind::parse(&j.kind).unwrap_or(LetterKind::Notice);
                pending.push(PendingLetter {
                    kind: k.as_str(),
                    name: k.name_id(),
                    attempts: j.attempts,
                    last_error: j.last_error,
                });
            }
        }
        Ok((issued, pending))
    }

    /// The public facts of a letter by its verification code (`None`: no such letter).
    pub async fn verify_letter(&self, code: &str) -> Result<Option<VerifiedLetter>, AppError> {
        let code = crate::crypto::normalize_code(code);
        if code.len() != 10 {
            return Ok(None);
        }
        let Some(row) = store::by_verify_code(&self.db, &code).await? else {
            return Ok(None);
        };
        let body = self.body(row.body_id).await?;
        let kind = kind_of(&row);
        Ok(Some(VerifiedLetter {
            number: row.number,
            issued_on: row.issued_on,
            body: body.row.name.clone(),
            kind: kind.as_str(),
            kind_name: kind.name_id(),
            kind_name_en: kind.name_en(),
            sha256: row.sha256,
        }))
    }

    /// The PDF of a letter through its signed link: its file name and bytes as issued.
    pub async fn letter_pdf(
        &self,
        code: &str,
        token: &str,
    ) -> Result<(String, bytes::Bytes), AppError> {
        const MISSING: AppError = AppError::NotFound("letter.not_found");
        let code = crate::crypto::normalize_code(code);
        if !self.secret().verify(LINK, &code, token.trim()) {
            return Err(MISSING);
        }
        let row = store::by_verify_code(&self.db, &code)
            .await?
            .ok_or(MISSING)?;
        let bytes = self
            .storage()
            .get(&row.storage_key)
            .await
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!("letter {}: {e}", row.number)))?;
        let name = format!(
            "{}-{}.pdf",
            kind_of(&row).as_str().replace('_', "-"),
            row.number.replace(['/', ' '], "-")
        );
        Ok((name, bytes))
    }
}

/// The letters' part of [`App`]: the public address and the worker's wake-up.
#[derive(Default)]
pub(crate) struct Letters {
    public_url: std::sync::OnceLock<String>,
    wake: tokio::sync::Notify,
}

impl Letters {
    pub(crate) fn wake(&self) {
        self.wake.notify_one();
    }
}
