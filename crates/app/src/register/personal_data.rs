//! The personal-data check of entries and documents: stored findings, hand checks, reading a file's
//! text.

use lentera_domain::privacy::{self, PersonalKind, TextStatus};
use lentera_domain::publication::unconfirmed;
use lentera_domain::register::EntryState;
use lentera_store::register::DocumentRow;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::views::{FindingKind, PersonalFinding};

/// A finding as stored with its document: masked, never the value itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct StoredFinding {
    kind: PersonalKind,
    masked: String,
    key: String,
}

pub(super) fn stored_findings_of(text: &str) -> Vec<StoredFinding> {
    privacy::scan(text)
        .into_iter()
        .map(|f| StoredFinding {
            kind: f.kind,
            masked: f.masked,
            key: f.key,
        })
        .collect()
}

pub(super) fn stored_findings(d: &DocumentRow) -> Vec<StoredFinding> {
    // Documents stored before findings were kept, or with an unreadable record, are scanned
    // again: never taken as clean.
    d.findings
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_else(|| stored_findings_of(&d.extracted_text))
}

/// Where a document stands in the personal-data check (domain spec §11.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentCheck {
    /// Read whole; nothing found that is not confirmed.
    Clear,
    /// Read whole; these findings are not confirmed.
    PersonalData(Vec<PersonalFinding>),
    /// Not read whole, so nothing is known of what it holds.
    Unreadable(TextStatus),
    /// An officer checked it by hand.
    Checked,
}

impl DocumentCheck {
    pub fn passes(&self) -> bool {
        matches!(self, Self::Clear | Self::Checked)
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Clear => "clear",
            Self::PersonalData(_) => "personal_data",
            Self::Unreadable(_) => "unreadable",
            Self::Checked => "checked",
        }
    }
}

/// The check of `d` against the keys its owner confirmed as public.
pub fn document_check(d: &DocumentRow, confirmed: &[String]) -> DocumentCheck {
    if d.checked_at.is_some() {
        return DocumentCheck::Checked;
    }
    let status = TextStatus::parse(&d.text_status);
    if !status.is_complete() {
        return DocumentCheck::Unreadable(status);
    }
    let open: Vec<PersonalFinding> = stored_findings(d)
        .into_iter()
        .filter(|f| !confirmed.contains(&f.key))
        .map(|f| PersonalFinding {
            place: d.id.to_string(),
            place_label: d.filename.clone(),
            kind: FindingKind::Personal(f.kind),
            masked: f.masked,
            key: f.key,
            text_status: None,
        })
        .collect();
    if open.is_empty() {
        DocumentCheck::Clear
    } else {
        DocumentCheck::PersonalData(open)
    }
}

/// The key that confirms an officer checked an unreadable document by hand.
pub fn unreadable_key(id: Uuid) -> String {
    format!("unreadable:{id}")
}

/// What blocks publishing `d`: its unconfirmed findings, or the document itself while it
/// could not be read and nobody checked it.
pub(super) fn document_findings(d: &DocumentRow, confirmed: &[String]) -> Vec<PersonalFinding> {
    match document_check(d, confirmed) {
        DocumentCheck::Clear | DocumentCheck::Checked => Vec::new(),
        DocumentCheck::PersonalData(f) => f,
        DocumentCheck::Unreadable(status) => {
            let key = unreadable_key(d.id);
            if confirmed.contains(&key) {
                Vec::new()
            } else {
                vec![PersonalFinding {
                    place: d.id.to_string(),
                    place_label: d.filename.clone(),
                    kind: FindingKind::Unreadable,
                    masked: String::new(),
                    key,
                    text_status: Some(status),
                }]
            }
        }
    }
}

/// Unconfirmed findings in what the public reads of an entry.
pub(crate) fn entry_findings(
    fields: &lentera_domain::register::EntryFields,
    confirmed: &[String],
) -> Vec<PersonalFinding> {
    fields
        .public_texts()
        .iter()
        .flat_map(|(place, label, text)| findings_in(place, label, text, confirmed))
        .collect()
}

/// Findings in what the public reads of a consequence test once it is decided. Nothing can be
/// confirmed here: a test describes the exempted information, it never needs to quote it.
pub(super) fn test_findings(
    fields: &lentera_domain::consequence::TestFields,
) -> Vec<PersonalFinding> {
    fields
        .public_texts()
        .iter()
        .flat_map(|(place, label, text)| findings_in(place, label, text, &[]))
        .collect()
}

/// Whether the personal-data check lets the public see an entry (when published).
pub(crate) fn entry_passes(state: &EntryState) -> bool {
    entry_findings(&state.fields, &state.confirmed).is_empty()
}

/// The keys of `offered` that confirm one of `found`: only what an officer was shown is kept.
pub(super) fn keys_confirming(offered: &[String], found: &[PersonalFinding]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for k in offered {
        if found.iter().any(|f| &f.key == k) && !out.contains(k) {
            out.push(k.clone());
        }
    }
    out
}

/// Reads a document's text for the index and the personal-data check. It fails closed: what
/// could not be read whole is marked so, and then waits for an officer.
pub(super) fn read_text(bytes: &[u8], mime: &str) -> (String, TextStatus) {
    use lentera_search::extract::{ExtractError, MAX_OUTPUT_BYTES, extract_text};
    let essence = mime.split(';').next().unwrap_or("").trim();
    let extracted = match extract_text(bytes, mime) {
        // A CSV is text (the upload check made sure it is UTF-8): read it here for as long as
        // the extractor has no CSV reader of its own.
        Err(ExtractError::Unsupported(_)) if essence.eq_ignore_ascii_case("text/csv") => {
            let end = bytes.len().min(MAX_OUTPUT_BYTES);
            let text = String::from_utf8_lossy(&bytes[..end]).into_owned();
            if end < bytes.len() {
                return (text, TextStatus::Partial);
            }
            Ok(text)
        }
        other => other,
    };
    match extracted {
        // The extractor cuts its output at the limit (on a character boundary): what reaches
        // it was not read whole.
        Ok(text) if text.len() + 4 > MAX_OUTPUT_BYTES => (text, TextStatus::Partial),
        Ok(text) if text.trim().is_empty() => (text, TextStatus::Empty),
        Ok(text) => (text, TextStatus::Read),
        Err(ExtractError::Unsupported(_)) => (String::new(), TextStatus::Unsupported),
        Err(e) => {
            tracing::info!(error = %e, "document text not extracted; held for an officer");
            (String::new(), TextStatus::Failed)
        }
    }
}

pub(super) fn findings_in(
    place: &str,
    label: &str,
    text: &str,
    confirmed: &[String],
) -> Vec<PersonalFinding> {
    unconfirmed(text, confirmed)
        .into_iter()
        .map(|f| PersonalFinding {
            place: place.to_owned(),
            place_label: label.to_owned(),
            kind: FindingKind::Personal(f.kind),
            masked: f.masked,
            key: f.key,
            text_status: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::OffsetDateTime;

    #[test]
    fn csv_is_read_as_text_and_what_cannot_be_read_is_marked() {
        let (text, status) = read_text("nama,nik\nSiti,3302015708900007\n".as_bytes(), "text/csv");
        assert_eq!(status, TextStatus::Read);
        assert!(text.contains("3302015708900007"));
        let (_, status) = read_text(b"%PDF-1.7\n\x01\x02 not really", "application/pdf");
        assert_eq!(status, TextStatus::Failed);
        let (_, status) = read_text(b"\x89PNG\r\n\x1a\n\0\0\0\0", "image/png");
        assert_eq!(status, TextStatus::Unsupported);
        let (_, status) = read_text(b" \n\t\n", "text/plain");
        assert_eq!(status, TextStatus::Empty);
        let big = "a,b\n".repeat(lentera_search::extract::MAX_OUTPUT_BYTES / 4 + 10);
        let (text, status) = read_text(big.as_bytes(), "text/csv");
        assert_eq!(status, TextStatus::Partial);
        assert!(text.len() <= lentera_search::extract::MAX_OUTPUT_BYTES);
        let (_, status) = read_text(big.as_bytes(), "text/plain");
        assert_eq!(status, TextStatus::Partial);
    }

    fn doc(text: &str, status: TextStatus) -> DocumentRow {
        let now = OffsetDateTime::UNIX_EPOCH;
        DocumentRow {
            id: Uuid::from_u128(7),
            body_id: Uuid::from_u128(1),
            owner_kind: "entry".into(),
            owner_id: Uuid::from_u128(2),
            filename: "x.txt".into(),
            mime: "text/plain".into(),
            size: 1,
            sha256: String::new(),
            storage_key: String::new(),
            extracted_text: text.into(),
            uploaded_by: None,
            created_at: now,
            removed_at: None,
            text_status: status.as_str().into(),
            findings: None,
            checked_by: None,
            checked_by_name: None,
            checked_at: None,
        }
    }

    #[test]
    fn a_document_passes_only_when_read_and_clear_or_checked_by_hand() {
        let clean = doc("Realisasi belanja hibah", TextStatus::Read);
        assert_eq!(document_check(&clean, &[]), DocumentCheck::Clear);
        // Stored before findings were kept: scanned when read.
        let nik = doc("Penerima NIK 3302015708900007", TextStatus::Read);
        let DocumentCheck::PersonalData(f) = document_check(&nik, &[]) else {
            panic!("not found");
        };
        assert_eq!(f[0].kind, FindingKind::Personal(PersonalKind::Nik));
        assert!(!f[0].masked.contains("3302015708900007"));
        assert_eq!(
            document_check(&nik, &[f[0].key.clone()]),
            DocumentCheck::Clear
        );
        // A broken record of findings is no clean bill either.
        let mut broken = nik.clone();
        broken.findings = Some("{not json".into());
        assert!(!document_check(&broken, &[]).passes());
        let image = doc("", TextStatus::Unsupported);
        assert_eq!(
            document_check(&image, &[]),
            DocumentCheck::Unreadable(TextStatus::Unsupported)
        );
        let found = document_findings(&image, &[]);
        assert_eq!(found[0].key, unreadable_key(image.id));
        assert!(document_findings(&image, &[unreadable_key(image.id)]).is_empty());
        let mut checked = image.clone();
        checked.checked_at = Some(OffsetDateTime::UNIX_EPOCH);
        assert_eq!(document_check(&checked, &[]), DocumentCheck::Checked);
        let mut odd = clean.clone();
        odd.text_status = "something new".into();
        assert!(!document_check(&odd, &[]).passes());
    }
}
