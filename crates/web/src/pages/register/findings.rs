//! What the personal-data check found, as shown on the entry and publish pages.

use lentera_app::AppError;
use lentera_app::register::{FindingKind, PersonalFinding};
use lentera_domain::privacy::TextStatus;

use crate::pages::common::{Lang, app_error_text};

pub struct FindingView {
    pub key: String,
    pub kind: &'static str,
    pub masked: String,
    pub place: String,
    /// A document that could not be read: its checkbox says the officer checked it by hand.
    pub unreadable: bool,
}

fn finding_kind_label(t: Lang, k: FindingKind) -> &'static str {
    use lentera_domain::privacy::PersonalKind as K;
    match (t, k) {
        (Lang::Id, FindingKind::Personal(k)) => k.label_id(),
        (Lang::Id, FindingKind::Unreadable) => "Dokumen tidak dapat dibaca",
        (Lang::En, FindingKind::Personal(k)) => match k {
            K::Nik => "NIK (national ID number)",
            K::FamilyCard => "Family card number",
            K::Phone => "Telephone number",
            K::Email => "E-mail address",
            K::BankAccount => "Bank account number",
        },
        (Lang::En, FindingKind::Unreadable) => "Document could not be read",
    }
}

/// How much of a document the check could read, in the page's language.
pub fn text_status_label(t: Lang, s: TextStatus) -> &'static str {
    match t {
        Lang::Id => s.label_id(),
        Lang::En => match s {
            TextStatus::Read => "Read in full",
            TextStatus::Partial => "Only partly read (the file is too long)",
            TextStatus::Empty => "No text could be read (a scan, for example)",
            TextStatus::Unsupported => "An image: its text cannot be read",
            TextStatus::Failed => "The file could not be read",
        },
    }
}

pub(crate) fn finding_views(t: Lang, f: &[PersonalFinding]) -> Vec<FindingView> {
    f.iter()
        .map(|x| FindingView {
            key: x.key.clone(),
            kind: finding_kind_label(t, x.kind),
            masked: match x.text_status {
                Some(s) if x.kind == FindingKind::Unreadable => text_status_label(t, s).to_owned(),
                _ => x.masked.clone(),
            },
            place: x.place_label.clone(),
            unreadable: x.kind == FindingKind::Unreadable,
        })
        .collect()
}

/// The banner of an edit stopped by the check.
pub(crate) fn not_saved(t: Lang, findings: &[PersonalFinding]) -> String {
    format!(
        "{} {}",
        app_error_text(t, &AppError::PersonalData(findings.to_vec())),
        t.pick(
            "Perubahan belum disimpan: entri ini sudah publik.",
            "Nothing was saved: this entry is public.",
        )
    )
}
