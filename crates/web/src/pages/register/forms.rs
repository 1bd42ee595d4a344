//! What the register's back-office forms share: error texts per field, form readers, and an
//! aggregate's history.

use std::collections::BTreeMap;

use lentera_app::AppError;
use time::Date;
use uuid::Uuid;

use crate::pages::common::{FormPairs, Lang, Page, app_error_text, error_text, field};
use crate::state::AppState;

pub(crate) type Errors = BTreeMap<String, Vec<String>>;

/// Text of an error code of the register forms, in the page's language.
pub fn reg_error_text(t: Lang, code: &str) -> String {
    let (id, en) = match code {
        "file.empty" => (
            "Berkas kosong atau belum dipilih.",
            "The file is empty or none was chosen.",
        ),
        "file.too_large" => (
            "Berkas lebih besar dari 20 MB.",
            "The file is larger than 20 MB.",
        ),
        "file.type_not_allowed" => (
            "Jenis berkas tidak diizinkan. Gunakan PDF, DOCX, XLSX, PNG, JPEG, TXT, atau CSV.",
            "This type of file is not accepted. Use PDF, DOCX, XLSX, PNG, JPEG, TXT or CSV.",
        ),
        "file.type_mismatch" => (
            "Isi berkas tidak sesuai dengan ekstensi namanya.",
            "The file's content does not match the extension of its name.",
        ),
        "file.name_invalid" => (
            "Nama berkas tidak dapat digunakan.",
            "The file name cannot be used.",
        ),
        "file.unreadable" => (
            "Unggahan tidak terbaca. Coba kirim lagi.",
            "The upload could not be read. Try again.",
        ),
        "exempt_needs_consequence_test" => (
            "Informasi yang dikecualikan ditetapkan melalui uji konsekuensi, bukan di DIP.",
            "Exempt information is declared through a consequence test, not in the DIP.",
        ),
        "other_kind" => (
            "Butir daftar periksa ini untuk jenis informasi lain.",
            "This checklist item belongs to another kind of information.",
        ),
        "invalid" => ("Isian tidak valid.", "Invalid value."),
        "not_found" => ("Tidak ditemukan.", "Not found."),
        "required_for_17j" => (
            "Wajib diisi untuk Pasal 17 huruf j.",
            "Required for Article 17(j).",
        ),
        "date_required_for_17a_17f" => (
            "Pengecualian berdasarkan Pasal 17 huruf a–f harus sampai tanggal tertentu (Pasal 20).",
            "Exemptions on Article 17(a)–(f) must end on a set date (Article 20).",
        ),
        "more_than_30_years" => (
            "Lebih dari 30 tahun sejak penetapan.",
            "More than 30 years after the decision.",
        ),
        "before_decision" => (
            "Berakhir sebelum tanggal penetapan.",
            "Ends before the decision date.",
        ),
        "already_used" => ("Nomor ini sudah dipakai.", "This number is already used."),
        "not_a_document_of_this_request" => (
            "Dokumen bukan milik permohonan ini.",
            "Not a document of this request.",
        ),
        "required_for_rejected_exempt" => (
            "Penolakan informasi yang dikecualikan harus menyebut uji konsekuensi.",
            "A refusal on exemption grounds must cite a consequence test.",
        ),
        "not_decided" => (
            "Uji konsekuensi belum ditetapkan.",
            "The test is not decided.",
        ),
        "not_in_force" => (
            "Uji konsekuensi tidak berlaku.",
            "The test is not in force.",
        ),
        "grounds_not_in_test" => (
            "Dasar yang dipilih tidak tercantum dalam uji konsekuensi.",
            "The chosen grounds are not in the test.",
        ),
        other => return error_text(t, other).to_owned(),
    };
    t.pick(id, en).to_owned()
}

pub(crate) fn errors_of(e: &AppError) -> Errors {
    match e {
        AppError::Invalid(f) => {
            f.0.iter()
                .map(|(k, v)| (k.clone(), v.iter().map(|c| (*c).to_owned()).collect()))
                .collect()
        }
        _ => BTreeMap::new(),
    }
}

pub(crate) fn err_line(t: Lang, errors: &Errors, field: &str) -> Option<String> {
    errors.get(field).map(|codes| {
        codes
            .iter()
            .map(|c| reg_error_text(t, c))
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// A banner for an error that is not tied to one field.
pub(crate) fn banner(t: Lang, e: &AppError) -> String {
    match e {
        AppError::Invalid(_) => t
            .pick(
                "Periksa isian yang ditandai.",
                "Please check the marked fields.",
            )
            .to_owned(),
        other => app_error_text(t, other),
    }
}

pub(crate) fn all(f: &FormPairs, name: &str) -> Vec<String> {
    f.iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

pub(crate) fn opt(f: &FormPairs, name: &str) -> Option<String> {
    field(f, name).map(str::to_owned)
}

pub(crate) fn parse_id(s: &str) -> Option<Uuid> {
    Uuid::parse_str(s.trim()).ok()
}

pub(crate) fn parse_date(s: &str) -> Result<Option<Date>, ()> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, fmt).map(Some).map_err(|_| ())
}

/// One line of an aggregate's history.
pub struct HistoryLine {
    pub at: String,
    pub label: &'static str,
    pub detail: String,
}

fn event_label(t: Lang, kind: &str) -> &'static str {
    let (id, en) = match kind {
        "created" => ("Entri dibuat", "Entry created"),
        "updated" => ("Entri diubah", "Entry changed"),
        "published" => ("Dipublikasikan", "Published"),
        "unpublished" => ("Ditarik dari publikasi", "Withdrawn"),
        "document_attached" => ("Dokumen dilampirkan", "Document attached"),
        "document_detached" => ("Dokumen dihapus", "Document removed"),
        "drafted" => ("Draf dibuat", "Drafted"),
        "amended" => ("Diubah", "Amended"),
        "submitted" => ("Diajukan untuk diuji", "Submitted for testing"),
        "decided" => ("Ditetapkan", "Decided"),
        "reviewed" => ("Ditinjau", "Reviewed"),
        "expired" => ("Berakhir, informasi dibuka", "Ended, information opened"),
        "annulled" => ("Dibatalkan oleh putusan", "Annulled by a ruling"),
        _ => ("Peristiwa", "Event"),
    };
    t.pick(id, en)
}

pub(crate) async fn history(app: &AppState, p: &Page, id: Uuid) -> Vec<HistoryLine> {
    let rows = app.register_history(id).await.unwrap_or_default();
    rows.iter()
        .map(|e| {
            let data: serde_json::Value = serde_json::from_str(&e.data).unwrap_or_default();
            let detail = ["reason", "note", "ruling", "number"]
                .iter()
                .filter_map(|k| data.get(k).and_then(|v| v.as_str()))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" · ");
            let detail = match (e.kind.as_str(), data.get("keep").and_then(|k| k.as_bool())) {
                ("reviewed", Some(true)) => {
                    format!("{} {detail}", p.t.pick("Dipertahankan.", "Kept."))
                        .trim()
                        .to_owned()
                }
                ("reviewed", Some(false)) => {
                    format!("{} {detail}", p.t.pick("Diakhiri.", "Ended."))
                        .trim()
                        .to_owned()
                }
                _ => detail,
            };
            HistoryLine {
                at: p.local(&e.at),
                label: event_label(p.t, &e.kind),
                detail,
            }
        })
        .collect()
}

/// A same-site back-office path to return to.
pub(crate) fn back_to(f: &FormPairs, default: &str) -> String {
    field(f, "kembali")
        .and_then(crate::pages::common::same_site_path)
        .filter(|b| b.starts_with("/kantor/"))
        .unwrap_or(default)
        .to_owned()
}

/// The banner of a redirect back with `?ok=…`, in the page's language.
pub(crate) fn notice_text(t: Lang, ok: &str) -> Option<String> {
    let (id, en) = match ok {
        "created" => (
            "Entri dibuat. Periksa, lalu publikasikan.",
            "Entry created. Check it, then publish.",
        ),
        "saved" => ("Perubahan disimpan.", "Changes saved."),
        "published" => ("Entri dipublikasikan.", "Entry published."),
        "unpublished" => ("Entri ditarik dari publikasi.", "Entry withdrawn."),
        "uploaded" => ("Dokumen diunggah.", "Document uploaded."),
        "removed" => ("Dokumen dihapus.", "Document removed."),
        "checked" => (
            "Pemeriksaan dokumen dicatat atas nama Anda.",
            "Your check of the document is recorded under your name.",
        ),
        "test_created" => (
            "Uji konsekuensi dibuat sebagai draf.",
            "Consequence test drafted.",
        ),
        "amend" => ("Perubahan disimpan.", "Changes saved."),
        "submit" => ("Diajukan untuk diuji.", "Submitted for testing."),
        "decide" => ("Uji konsekuensi ditetapkan.", "Consequence test decided."),
        "review" => ("Tinjauan dicatat.", "Review recorded."),
        "expire" => ("Pengecualian diakhiri.", "Exemption ended."),
        "annul" => ("Pembatalan dicatat.", "Annulment recorded."),
        "unpublished_answer" => ("Publikasi ditarik.", "Publication withdrawn."),
        _ => return None,
    };
    Some(t.pick(id, en).to_owned())
}
