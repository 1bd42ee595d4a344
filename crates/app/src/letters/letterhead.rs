//! A body's letterhead (*kop surat*), signatory and letter-number pattern, as the admin edits
//! them; the logo is checked by its content (PNG or JPEG only, at most [`MAX_LOGO`]).

use lentera_domain::numbering::LetterPattern;
use lentera_domain::submission::FieldErrors;
use lentera_render::letter::{Letter, LetterItem, Signatory};
use lentera_store::letters::{self as store, LetterheadRow};

use crate::auth::OfficerCtx;
use crate::upload::{UploadPolicy, check_upload};
use crate::{App, AppError};

/// The largest logo accepted.
pub const MAX_LOGO: usize = 512 * 1024;

/// What the admin form sends.
#[derive(Debug, Clone, Default)]
pub struct LetterheadInput {
    pub authority: String,
    pub name: String,
    pub address: String,
    pub contacts: String,
    pub signatory_name: String,
    pub signatory_nip: String,
    pub signatory_position: String,
    pub number_pattern: String,
    /// A new logo: the client's file name and the bytes.
    pub logo: Option<(String, Vec<u8>)>,
    pub remove_logo: bool,
}

/// The letterhead as the admin page shows it (the body's own defaults when none is saved).
#[derive(Debug, Clone)]
pub struct LetterheadView {
    pub saved: bool,
    pub authority: String,
    pub name: String,
    pub address: String,
    pub contacts: String,
    pub signatory_name: String,
    pub signatory_nip: String,
    pub signatory_position: String,
    pub number_pattern: String,
    pub has_logo: bool,
    /// The next letter's number under this pattern (an example for the form).
    pub example_number: String,
}

impl App {
    pub async fn letterhead_of(&self, slug: &str) -> Result<LetterheadView, AppError> {
        let body = self
            .body_by_slug(slug)
            .await?
            .ok_or(AppError::NotFound("body.not_found"))?;
        let row = store::letterhead(&self.db, body.row.id).await?;
        let head = super::compose::letterhead(&body, row.as_ref());
        let pattern = row.as_ref().map_or_else(
            || LetterPattern::DEFAULT.to_owned(),
            |h| h.number_pattern.clone(),
        );
        let today = self.today_in(body.time_zone());
        let example_number = LetterPattern::parse(&pattern)
            .unwrap_or_else(|_| LetterPattern::standard())
            .format(
                1,
                &body.row.code,
                "PT",
                u8::from(today.month()),
                today.year(),
            );
        Ok(LetterheadView {
            saved: row.is_some(),
            authority: head.authority,
            name: head.name,
            address: head.address,
            contacts: head.contacts,
            signatory_name: row
                .as_ref()
                .map(|h| h.signatory_name.clone())
                .unwrap_or_default(),
            signatory_nip: row
                .as_ref()
                .map(|h| h.signatory_nip.clone())
                .unwrap_or_default(),
            signatory_position: row.as_ref().map_or_else(
                || format!("PPID {}", body.row.name),
                |h| h.signatory_position.clone(),
            ),
            number_pattern: pattern,
            has_logo: row.as_ref().is_some_and(|h| h.logo.is_some()),
            example_number,
        })
    }

    /// Saves the letterhead; letters issued before keep theirs (a letter never changes).
    pub async fn save_letterhead(
        &self,
        admin: &OfficerCtx,
        slug: &str,
        input: &LetterheadInput,
    ) -> Result<(), AppError> {
        let body = self
            .body_by_slug(slug)
            .await?
            .ok_or(AppError::NotFound("body.not_found"))?;
        let mut e = FieldErrors::default();
        let text = |v: &str| v.trim().to_owned();
        for (field, value, max) in [
            ("authority", &input.authority, 200),
            ("name", &input.name, 200),
            ("address", &input.address, 500),
            ("contacts", &input.contacts, 300),
            ("signatory_name", &input.signatory_name, 200),
            ("signatory_nip", &input.signatory_nip, 40),
            ("signatory_position", &input.signatory_position, 200),
        ] {
            if value.chars().count() > max {
                e.add(field, "too_long");
            }
        }
        if input.name.trim().is_empty() {
            e.add("name", "required");
        }
        if input.signatory_position.trim().is_empty() {
            e.add("signatory_position", "required");
        }
        let nip = input.signatory_nip.replace(' ', "");
        if !nip.is_empty() && (nip.len() != 18 || !nip.chars().all(|c| c.is_ascii_digit())) {
            e.add("signatory_nip", "invalid_nip");
        }
        let pattern = match LetterPattern::parse(input.number_pattern.trim()) {
            Ok(_) => input.number_pattern.trim().to_owned(),
            Err(_) => {
                e.add("number_pattern", "invalid_pattern");
                String::new()
            }
        };
        let old = store::letterhead(&self.db, body.row.id).await?;
        let mut logo = old
            .as_ref()
            .and_then(|h| h.logo.clone().zip(h.logo_mime.clone()));
        if input.remove_logo {
            logo = None;
        }
        if let Some((name, bytes)) = &input.logo {
            match check_upload(
                name,
                bytes,
                &UploadPolicy {
                    max_bytes: MAX_LOGO,
                },
            ) {
                Ok(c) if matches!(c.mime, "image/png" | "image/jpeg") => {
                    logo = Some((bytes.clone(), c.mime.to_owned()));
                }
                Ok(_) => e.add("logo", "not_an_image"),
                Err(err) => e.add("logo", err.code()),
            }
        }
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        let (logo, logo_mime) = logo.unzip();
        store::put_letterhead(
            &self.db,
            &LetterheadRow {
                body_id: body.row.id,
                authority: text(&input.authority),
                name: text(&input.name),
                address: text(&input.address),
                contacts: text(&input.contacts),
                logo,
                logo_mime,
                signatory_name: text(&input.signatory_name),
                signatory_nip: nip,
                signatory_position: text(&input.signatory_position),
                number_pattern: pattern,
                updated_at: self.now(),
            },
        )
        .await?;
        lentera_store::audit::record(
            &self.db,
            self.now(),
            Some(admin.user.id),
            "letterhead.saved",
            "body",
            &body.row.slug,
            "kop surat, penandatangan dan pola nomor surat",
        )
        .await?;
        Ok(())
    }

    /// A sample letter under the saved letterhead, for the admin to look at before a real one
    /// goes out; it carries no number or code of a real letter.
    pub async fn sample_letter(&self, slug: &str) -> Result<Vec<u8>, AppError> {
        let body = self
            .body_by_slug(slug)
            .await?
            .ok_or(AppError::NotFound("body.not_found"))?;
        let row = store::letterhead(&self.db, body.row.id).await?;
        let view = self.letterhead_of(slug).await?;
        let today = self.today_in(body.time_zone());
        let letter = Letter {
            letterhead: super::compose::letterhead(&body, row.as_ref()),
            title: "CONTOH SURAT".into(),
            number: view.example_number,
            place_date: lentera_domain::dates::long_id(today),
            subject: "Contoh tata letak kop surat".into(),
            addressee: vec!["Yth. Nama Pemohon".into(), "Alamat pemohon".into()],
            opening: "Ini adalah contoh surat untuk memeriksa kop surat, penandatangan dan pola nomor. Surat ini tidak tercatat dan tidak sah.".into(),
            facts: vec![("Nomor pendaftaran".into(), "0001/PPID/CONTOH".into())],
            items: vec![LetterItem {
                label: "a.".into(),
                heading: "Butir contoh".into(),
                lines: vec!["Isi butir contoh.".into()],
            }],
            closing: "Demikian disampaikan.".into(),
            signatory: Signatory {
                position: view.signatory_position,
                name: view.signatory_name,
                nip: view.signatory_nip,
            },
            verify_url: self.verify_url("CONTOH0000"),
            verify_note: "Contoh alamat pemeriksaan keaslian:".into(),
            logo: row.and_then(|h| h.logo),
            ..Letter::default()
        };
        tokio::task::spawn_blocking(move || lentera_render::letter::letter_to_pdf(&letter))
            .await
            .map_err(|e| AppError::Unexpected(e.into()))?
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!("typesetting: {e}")))
    }
}
