//! Back office of the register: DIP entries with their documents, consequence tests, and
//! publishing a granted request's answer after the personal-data check.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lentera_app::AppError;
use lentera_app::auth::OfficerCtx;
use lentera_app::register::{
    DocOwner, DocumentView, EntryView, FindingKind, PersonalFinding, PublicationView, PublishInput,
    TestAction, TestView,
};
use lentera_domain::consequence::{RawTest, TestFields};
use lentera_domain::privacy::TextStatus;
use lentera_domain::register::RawEntry;
use lentera_domain::{
    ExemptionGround, InfoForm, InfoKind, PeriodKind, TestConclusion, TestTrigger,
};
use time::Date;
use uuid::Uuid;

use super::common::{Ctx, FormPairs, Lang, Page, app_error_text, error_text, field, text};
use super::guards::{Office, OfficeForm};
use super::register::{info_kind_label, short_date, size_label};
use crate::state::AppState;

// ------------------------------------------------------------------ shared

type Errors = BTreeMap<String, Vec<String>>;

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

fn errors_of(e: &AppError) -> Errors {
    match e {
        AppError::Invalid(f) => {
            f.0.iter()
                .map(|(k, v)| (k.clone(), v.iter().map(|c| (*c).to_owned()).collect()))
                .collect()
        }
        _ => BTreeMap::new(),
    }
}

fn err_line(t: Lang, errors: &Errors, field: &str) -> Option<String> {
    errors.get(field).map(|codes| {
        codes
            .iter()
            .map(|c| reg_error_text(t, c))
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// A banner for an error that is not tied to one field.
fn banner(t: Lang, e: &AppError) -> String {
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

use crate::error::status_of;

fn all(f: &FormPairs, name: &str) -> Vec<String> {
    f.iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

fn opt(f: &FormPairs, name: &str) -> Option<String> {
    field(f, name).map(str::to_owned)
}

fn parse_id(s: &str) -> Option<Uuid> {
    Uuid::parse_str(s.trim()).ok()
}

fn parse_date(s: &str) -> Result<Option<Date>, ()> {
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

async fn history(app: &AppState, p: &Page, id: Uuid) -> Vec<HistoryLine> {
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

/// A multipart upload as read: the CSRF token, the file, the other fields.
pub(crate) struct Upload {
    pub(crate) csrf: Option<String>,
    pub(crate) filename: String,
    pub(crate) bytes: Option<Bytes>,
    pub(crate) fields: FormPairs,
    /// Why the body could not be read to the end, if it could not.
    pub(crate) broken: Option<&'static str>,
}

pub(crate) async fn read_upload(mut mp: Multipart) -> Upload {
    let mut u = Upload {
        csrf: None,
        filename: String::new(),
        bytes: None,
        fields: Vec::new(),
        broken: None,
    };
    loop {
        match mp.next_field().await {
            Ok(Some(f)) => {
                let name = f.name().unwrap_or("").to_owned();
                if name == "file" {
                    u.filename = f.file_name().unwrap_or("").to_owned();
                    match f.bytes().await {
                        Ok(b) => u.bytes = Some(b),
                        Err(e) => {
                            u.broken = Some(too_large_or_unreadable(e.status()));
                            break;
                        }
                    }
                } else {
                    match f.text().await {
                        Ok(v) if name == "csrf" => u.csrf = Some(v),
                        Ok(v) => u.fields.push((name, v)),
                        Err(e) => {
                            u.broken = Some(too_large_or_unreadable(e.status()));
                            break;
                        }
                    }
                }
            }
            Ok(None) => break,
            Err(e) => {
                u.broken = Some(too_large_or_unreadable(e.status()));
                break;
            }
        }
    }
    u
}

fn too_large_or_unreadable(s: StatusCode) -> &'static str {
    if s == StatusCode::PAYLOAD_TOO_LARGE {
        "file.too_large"
    } else {
        "file.unreadable"
    }
}

/// Checks the upload's token; a broken body without a token gets a plain error page.
fn upload_refused(ctx: &Ctx, u: &Upload) -> Option<Response> {
    if ctx.csrf_ok(u.csrf.as_deref()) {
        return None;
    }
    Some(match u.broken {
        Some(code) => ctx.error_page(
            if code == "file.too_large" {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::BAD_REQUEST
            },
            ctx.t.pick("Unggahan gagal", "Upload failed"),
            &reg_error_text(ctx.t, code),
        ),
        None => ctx.forbidden_csrf(),
    })
}

async fn store_upload(
    app: &AppState,
    officer: &OfficerCtx,
    owner: DocOwner,
    u: Upload,
) -> Result<DocumentView, AppError> {
    if let Some(code) = u.broken {
        return Err(AppError::field("file", code));
    }
    let bytes = u.bytes.unwrap_or_default();
    app.upload_document(officer, owner, &u.filename, bytes)
        .await
}

fn upload_error_text(t: Lang, e: &AppError) -> String {
    match e {
        AppError::Invalid(f) => {
            f.0.values()
                .flatten()
                .map(|c| reg_error_text(t, c))
                .collect::<Vec<_>>()
                .join(" ")
        }
        other => app_error_text(t, other),
    }
}

/// A same-site back-office path to return to.
fn back_to(f: &FormPairs, default: &str) -> String {
    field(f, "kembali")
        .and_then(super::common::same_site_path)
        .filter(|b| b.starts_with("/kantor/"))
        .unwrap_or(default)
        .to_owned()
}

// ------------------------------------------------------------------ entry form

/// The entry form as typed.
#[derive(Debug, Clone, Default)]
pub struct EntryForm {
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub unit: String,
    pub responsible: String,
    pub made_when: String,
    pub made_where: String,
    pub forms: Vec<String>,
    pub retention: String,
    pub year: String,
    pub legal_basis: String,
    pub checklist: String,
}

impl EntryForm {
    fn from_pairs(f: &FormPairs) -> Self {
        Self {
            kind: text(f, "kind"),
            title: text(f, "title"),
            summary: text(f, "summary"),
            unit: text(f, "unit"),
            responsible: text(f, "responsible"),
            made_when: text(f, "made_when"),
            made_where: text(f, "made_where"),
            forms: all(f, "forms"),
            retention: text(f, "retention"),
            year: text(f, "year"),
            legal_basis: text(f, "legal_basis"),
            checklist: text(f, "checklist"),
        }
    }

    fn from_view(e: &EntryView) -> Self {
        let f = &e.fields;
        Self {
            kind: f.kind.as_str().into(),
            title: f.title.clone(),
            summary: f.summary.clone(),
            unit: f.unit.clone().unwrap_or_default(),
            responsible: f.responsible.clone(),
            made_when: f.made_when.clone(),
            made_where: f.made_where.clone(),
            forms: f.forms.iter().map(|x| x.as_str().to_owned()).collect(),
            retention: f.retention.clone(),
            year: f.year.to_string(),
            legal_basis: f.legal_basis.clone(),
            checklist: f.checklist.clone().unwrap_or_default(),
        }
    }

    fn raw(&self) -> RawEntry {
        let o = |s: &String| Some(s.clone()).filter(|s| !s.trim().is_empty());
        RawEntry {
            kind: o(&self.kind),
            title: o(&self.title),
            summary: o(&self.summary),
            unit: o(&self.unit),
            responsible: o(&self.responsible),
            made_when: o(&self.made_when),
            made_where: o(&self.made_where),
            forms: self.forms.clone(),
            retention: o(&self.retention),
            year: o(&self.year).map(serde_json::Value::String),
            legal_basis: o(&self.legal_basis),
            checklist: o(&self.checklist),
        }
    }

    pub fn has_form(&self, f: &str) -> bool {
        self.forms.iter().any(|x| x == f)
    }
}

/// What the entry form needs: values, errors and the choices.
pub struct EntryFormCtx {
    pub t: Lang,
    pub action: String,
    pub v: EntryForm,
    pub errors: Errors,
    pub kinds: Vec<(&'static str, &'static str)>,
    pub forms: Vec<(&'static str, &'static str)>,
    pub units: Vec<(String, String)>,
    pub checklist: Vec<(&'static str, String)>,
}

impl EntryFormCtx {
    pub fn err(&self, field: &str) -> Option<String> {
        err_line(self.t, &self.errors, field)
    }

    async fn new(
        app: &AppState,
        t: Lang,
        officer: &OfficerCtx,
        action: String,
        v: EntryForm,
        errors: Errors,
    ) -> Self {
        let units = app
            .units_of(&officer.home.row.slug)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|u| (u.slug, u.name))
            .collect();
        Self {
            t,
            action,
            v,
            errors,
            kinds: [InfoKind::Periodic, InfoKind::Immediate, InfoKind::AnyTime]
                .into_iter()
                .map(|k| (k.as_str(), info_kind_label(t, k)))
                .collect(),
            forms: InfoForm::ALL
                .iter()
                .map(|f| {
                    (
                        f.as_str(),
                        match (t, f) {
                            (Lang::Id, f) => f.label_id(),
                            (Lang::En, InfoForm::Softcopy) => "Softcopy (online)",
                            (Lang::En, InfoForm::Hardcopy) => "Hardcopy (printed)",
                        },
                    )
                })
                .collect(),
            units,
            checklist: app
                .checklist()
                .iter()
                .map(|c| {
                    (
                        c.code,
                        format!("{} — {} ({})", info_kind_label(t, c.kind), c.label, c.basis),
                    )
                })
                .collect(),
        }
    }
}

// ------------------------------------------------------------------ entry list

pub struct OfficeEntryRow {
    pub id: Uuid,
    pub title: String,
    pub kind: &'static str,
    pub unit: String,
    pub year: i32,
    pub published: bool,
    pub stale: bool,
    pub closed: bool,
    /// Something in it or in one of its documents waits for the personal-data check.
    pub held: bool,
    pub documents: usize,
    pub updated_on: String,
}

#[derive(Template)]
#[template(path = "office/register.html")]
struct RegisterListPage {
    p: Page,
    body_name: String,
    slug: String,
    rows: Vec<OfficeEntryRow>,
    f: EntryFormCtx,
    error: Option<String>,
    completeness: String,
}

async fn register_list_page(
    app: &AppState,
    ctx: &Ctx,
    officer: &OfficerCtx,
    v: EntryForm,
    errors: Errors,
    error: Option<(StatusCode, String)>,
) -> Response {
    let t = ctx.t;
    let reg = match app
        .information_register(&officer.home.row.slug, Some(officer))
        .await
    {
        Ok(r) => r,
        Err(e) => {
            return ctx.error_page(
                status_of(&e),
                t.pick("Register", "Register"),
                &banner(t, &e),
            );
        }
    };
    let rows = reg
        .dip
        .iter()
        .flat_map(|(k, list)| {
            list.iter().map(move |e| OfficeEntryRow {
                id: e.id,
                title: e.fields.title.clone(),
                kind: info_kind_label(t, *k),
                unit: e.unit_name.clone().unwrap_or_default(),
                year: e.fields.year,
                published: e.published,
                stale: e.stale,
                closed: e.closed_by.is_some(),
                held: e.held || e.documents.iter().any(|d| d.held),
                documents: e.documents.len(),
                updated_on: short_date(t, e.updated_on),
            })
        })
        .collect();
    let f = EntryFormCtx::new(app, t, officer, "/kantor/register".into(), v, errors).await;
    let (status, error) = match error {
        Some((s, m)) => (s, Some(m)),
        None => (StatusCode::OK, None),
    };
    let page = RegisterListPage {
        p: ctx.page(t.pick("Register informasi", "Information register")),
        body_name: reg.body_name.clone(),
        slug: reg.body.clone(),
        rows,
        f,
        error,
        completeness: format!("{:.0}", reg.completeness),
    };
    ctx.render(status, &page)
}

pub async fn register_list(
    State(app): State<AppState>,
    Office { ctx, officer }: Office,
) -> Response {
    let officer = &officer;
    let today = app.today_in(officer.home.time_zone());
    let v = EntryForm {
        kind: "periodic".into(),
        forms: vec!["softcopy".into()],
        year: today.year().to_string(),
        ..EntryForm::default()
    };
    register_list_page(&app, &ctx, officer, v, BTreeMap::new(), None).await
}

pub async fn register_create(
    State(app): State<AppState>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    let v = EntryForm::from_pairs(&f);
    match app.create_entry(officer, &v.raw()).await {
        Ok(e) => Redirect::to(&format!("/kantor/register/{}?ok=created", e.id)).into_response(),
        Err(e) => {
            let errors = errors_of(&e);
            let msg = banner(ctx.t, &e);
            register_list_page(&app, &ctx, officer, v, errors, Some((status_of(&e), msg))).await
        }
    }
}

// ------------------------------------------------------------------ one entry

#[derive(Template)]
#[template(path = "office/register_entry.html")]
struct EntryEditPage {
    p: Page,
    e: EntryView,
    f: EntryFormCtx,
    notice: Option<String>,
    error: Option<String>,
    upload_error: Option<String>,
    reason_error: Option<String>,
    reason: String,
    history: Vec<HistoryLine>,
    /// What publishing would have to confirm (the check's findings in the entry and its
    /// documents), shown in the publish form.
    publish_findings: Vec<FindingView>,
    publish_blocked: bool,
    /// Findings that stopped an edit of the published entry, shown in the edit form.
    edit_findings: Vec<FindingView>,
    /// Keys confirmed in an earlier attempt that need no checkbox now.
    confirmed: Vec<String>,
    /// Documents the check holds back, with why.
    held: Vec<HeldDocument>,
    check_error: Option<(Uuid, String)>,
}

/// A document the personal-data check holds back from the public.
pub struct HeldDocument {
    pub id: Uuid,
    pub filename: String,
    pub url: String,
    pub reason: String,
    pub findings: Vec<FindingView>,
}

impl EntryEditPage {
    fn size(&self, d: &DocumentView) -> String {
        size_label(d)
    }

    fn is_confirmed(&self, key: &str) -> bool {
        self.confirmed.iter().any(|k| k == key)
    }

    fn check_err(&self, id: &Uuid) -> Option<String> {
        self.check_error
            .as_ref()
            .filter(|(i, _)| i == id)
            .map(|(_, m)| m.clone())
    }

    fn checked_line(&self, d: &DocumentView) -> Option<String> {
        d.checked_by.as_ref().map(|c| {
            format!(
                "{} {}, {}",
                self.p.t.pick("Diperiksa oleh", "Checked by"),
                c.name,
                self.p.local(&c.at)
            )
        })
    }
}

#[derive(Default)]
struct EntryExtras {
    form: Option<(EntryForm, Errors)>,
    notice: Option<String>,
    error: Option<(StatusCode, String)>,
    upload_error: Option<String>,
    reason_error: Option<(String, String)>,
    /// Findings that refused publishing.
    publish_findings: Option<Vec<PersonalFinding>>,
    /// Findings that refused an edit.
    edit_findings: Option<Vec<PersonalFinding>>,
    confirmed: Vec<String>,
    check_error: Option<(Uuid, String)>,
}

/// Why the check holds a document back, in the page's language.
fn held_reason(t: Lang, d: &DocumentView) -> String {
    if d.privacy_check == "unreadable" {
        format!(
            "{} {}",
            text_status_label(t, d.text_status),
            t.pick(
                "— isinya belum diperiksa siapa pun.",
                "— nobody has checked its content.",
            )
        )
    } else {
        t.pick(
            "Memuat kemungkinan data pribadi yang belum dinyatakan sebagai informasi publik.",
            "Holds possible personal data not confirmed as public information.",
        )
        .to_owned()
    }
}

/// The publish form's findings for an entry: its fields and its held documents.
fn entry_findings_of(e: &EntryView) -> Vec<PersonalFinding> {
    let mut out = e.findings.clone();
    for d in e.documents.iter().filter(|d| d.held) {
        if d.privacy_check == "unreadable" {
            out.push(PersonalFinding {
                place: d.id.to_string(),
                place_label: d.filename.clone(),
                kind: FindingKind::Unreadable,
                masked: String::new(),
                key: lentera_app::register::unreadable_key(d.id),
                text_status: Some(d.text_status),
            });
        } else {
            out.extend(d.findings.iter().cloned());
        }
    }
    out
}

fn notice_text(t: Lang, ok: &str) -> Option<String> {
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

async fn entry_page(
    app: &AppState,
    ctx: &Ctx,
    officer: &OfficerCtx,
    id: Uuid,
    x: EntryExtras,
) -> Response {
    let t = ctx.t;
    let e = match app.entry(id, Some(officer)).await {
        Ok(e) => e,
        Err(AppError::NotFound(_)) => return ctx.not_found(),
        Err(err) => {
            return ctx.error_page(
                status_of(&err),
                t.pick("Register", "Register"),
                &banner(t, &err),
            );
        }
    };
    let (v, errors) = x
        .form
        .unwrap_or_else(|| (EntryForm::from_view(&e), BTreeMap::new()));
    let f = EntryFormCtx::new(app, t, officer, format!("/kantor/register/{id}"), v, errors).await;
    let p = ctx.page(e.fields.title.clone());
    let history = history(app, &p, id).await;
    let (status, error) = match x.error {
        Some((s, m)) => (s, Some(m)),
        None if x.upload_error.is_some() || x.reason_error.is_some() => {
            (StatusCode::UNPROCESSABLE_ENTITY, None)
        }
        None => (StatusCode::OK, None),
    };
    let (reason, reason_error) = match x.reason_error {
        Some((typed, msg)) => (typed, Some(msg)),
        None => (String::new(), None),
    };
    let publish_blocked = x.publish_findings.is_some();
    let publish_findings = finding_views(
        t,
        &x.publish_findings.unwrap_or_else(|| entry_findings_of(&e)),
    );
    let edit_findings = finding_views(t, x.edit_findings.as_deref().unwrap_or(&[]));
    let open: Vec<&str> = publish_findings
        .iter()
        .chain(&edit_findings)
        .map(|f| f.key.as_str())
        .collect();
    let confirmed = x
        .confirmed
        .into_iter()
        .filter(|k| !open.contains(&k.as_str()))
        .collect();
    let held = e
        .documents
        .iter()
        .filter(|d| d.held)
        .map(|d| HeldDocument {
            id: d.id,
            filename: d.filename.clone(),
            url: d.url.clone(),
            reason: held_reason(t, d),
            findings: finding_views(t, &d.findings),
        })
        .collect();
    let page = EntryEditPage {
        p,
        e,
        f,
        notice: x.notice,
        error,
        upload_error: x.upload_error,
        reason_error,
        reason,
        history,
        publish_findings,
        publish_blocked,
        edit_findings,
        confirmed,
        held,
        check_error: x.check_error,
    };
    ctx.render(status, &page)
}

pub async fn entry_edit(
    State(app): State<AppState>,
    Office { ctx, officer }: Office,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let officer = &officer;
    let Some(id) = parse_id(&id) else {
        return ctx.not_found();
    };
    let x = EntryExtras {
        notice: q.get("ok").and_then(|ok| notice_text(ctx.t, ok)),
        ..EntryExtras::default()
    };
    entry_page(&app, &ctx, officer, id, x).await
}

pub async fn entry_update(
    State(app): State<AppState>,
    Path(id): Path<String>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    let Some(id) = parse_id(&id) else {
        return ctx.not_found();
    };
    let v = EntryForm::from_pairs(&f);
    let confirmed = all(&f, "confirmed");
    match app.update_entry(officer, id, &v.raw(), &confirmed).await {
        Ok(_) => Redirect::to(&format!("/kantor/register/{id}?ok=saved")).into_response(),
        Err(AppError::NotFound(_)) => ctx.not_found(),
        Err(AppError::PersonalData(findings)) => {
            let x = EntryExtras {
                form: Some((v, BTreeMap::new())),
                error: Some((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    not_saved(ctx.t, &findings),
                )),
                edit_findings: Some(findings),
                confirmed,
                ..EntryExtras::default()
            };
            entry_page(&app, &ctx, officer, id, x).await
        }
        Err(e) => {
            let x = EntryExtras {
                form: Some((v, errors_of(&e))),
                error: Some((status_of(&e), banner(ctx.t, &e))),
                ..EntryExtras::default()
            };
            entry_page(&app, &ctx, officer, id, x).await
        }
    }
}

pub async fn entry_publish(
    State(app): State<AppState>,
    Path(id): Path<String>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    let Some(id) = parse_id(&id) else {
        return ctx.not_found();
    };
    let publish = field(&f, "publish") == Some("1");
    let reason = opt(&f, "reason");
    let confirmed = all(&f, "confirmed");
    match app
        .set_entry_published(officer, id, publish, reason.clone(), &confirmed)
        .await
    {
        Ok(_) => Redirect::to(&format!(
            "/kantor/register/{id}?ok={}",
            if publish { "published" } else { "unpublished" }
        ))
        .into_response(),
        Err(AppError::NotFound(_)) => ctx.not_found(),
        Err(AppError::PersonalData(findings)) => {
            let x = EntryExtras {
                error: Some((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!(
                        "{} {}",
                        app_error_text(ctx.t, &AppError::PersonalData(findings.clone())),
                        ctx.t
                            .pick("Belum dipublikasikan.", "Nothing was published.")
                    ),
                )),
                publish_findings: Some(findings),
                confirmed,
                ..EntryExtras::default()
            };
            entry_page(&app, &ctx, officer, id, x).await
        }
        Err(e) => {
            let x = match &e {
                AppError::Invalid(fe) if fe.0.contains_key("reason") => EntryExtras {
                    reason_error: Some((
                        reason.unwrap_or_default(),
                        reg_error_text(ctx.t, "required"),
                    )),
                    ..EntryExtras::default()
                },
                _ => EntryExtras {
                    error: Some((status_of(&e), banner(ctx.t, &e))),
                    ..EntryExtras::default()
                },
            };
            entry_page(&app, &ctx, officer, id, x).await
        }
    }
}

pub async fn entry_upload(
    State(app): State<AppState>,
    Office { ctx, officer }: Office,
    Path(id): Path<String>,
    mp: Multipart,
) -> Response {
    let officer = &officer;
    let u = read_upload(mp).await;
    if let Some(r) = upload_refused(&ctx, &u) {
        return r;
    }
    let Some(id) = parse_id(&id) else {
        return ctx.not_found();
    };
    match store_upload(&app, officer, DocOwner::Entry(id), u).await {
        Ok(_) => Redirect::to(&format!("/kantor/register/{id}?ok=uploaded")).into_response(),
        Err(AppError::NotFound(_)) => ctx.not_found(),
        Err(e) => {
            let x = EntryExtras {
                upload_error: Some(upload_error_text(ctx.t, &e)),
                error: match &e {
                    AppError::Invalid(_) => None,
                    other => Some((status_of(other), banner(ctx.t, other))),
                },
                ..EntryExtras::default()
            };
            entry_page(&app, &ctx, officer, id, x).await
        }
    }
}

pub async fn document_remove(
    State(app): State<AppState>,
    Path(id): Path<String>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    let Some(id) = parse_id(&id) else {
        return ctx.not_found();
    };
    let back = back_to(&f, "/kantor/register");
    match app.remove_document(officer, id).await {
        Ok(()) => {
            let sep = if back.contains('?') { '&' } else { '?' };
            Redirect::to(&format!("{back}{sep}ok=removed")).into_response()
        }
        Err(AppError::NotFound(_)) => ctx.not_found(),
        Err(e) => ctx.error_page(
            status_of(&e),
            ctx.t.pick("Dokumen tidak dihapus", "Document not removed"),
            &banner(ctx.t, &e),
        ),
    }
}

/// `POST /kantor/dokumen/{id}/periksa`: the officer confirms, by name, that they checked the
/// document by hand.
pub async fn document_check(
    State(app): State<AppState>,
    Path(id): Path<String>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    let Some(id) = parse_id(&id) else {
        return ctx.not_found();
    };
    let back = back_to(&f, "/kantor/register");
    let t = ctx.t;
    let title = t.pick("Dokumen belum diperiksa", "Document not checked");
    if field(&f, "confirm") != Some("1") {
        let msg = t
            .pick(
                "Centang pernyataan bahwa Anda sudah memeriksa isi dokumen ini.",
                "Tick the statement that you have checked this document's content.",
            )
            .to_owned();
        let entry = back
            .strip_prefix("/kantor/register/")
            .and_then(|r| parse_id(r.split('?').next().unwrap_or("")));
        return match entry {
            Some(entry) => {
                let x = EntryExtras {
                    check_error: Some((id, msg.clone())),
                    error: Some((StatusCode::UNPROCESSABLE_ENTITY, msg)),
                    ..EntryExtras::default()
                };
                entry_page(&app, &ctx, officer, entry, x).await
            }
            None => ctx.error_page(StatusCode::UNPROCESSABLE_ENTITY, title, &msg),
        };
    }
    match app.check_document(officer, id).await {
        Ok(_) => {
            let sep = if back.contains('?') { '&' } else { '?' };
            Redirect::to(&format!("{back}{sep}ok=checked")).into_response()
        }
        Err(AppError::NotFound(_)) => ctx.not_found(),
        Err(e) => ctx.error_page(status_of(&e), title, &banner(t, &e)),
    }
}

// ------------------------------------------------------------------ consequence tests

#[derive(Debug, Clone, Default)]
pub struct TestForm {
    pub information: String,
    pub source: String,
    pub grounds: Vec<String>,
    pub other_law: String,
    pub harm: String,
    pub public_interest: String,
    pub conclusion: String,
    pub redaction_plan: String,
    pub period_kind: String,
    pub period_until: String,
    pub period_event: String,
    pub trigger: String,
    pub request: String,
    pub entry: String,
}

impl TestForm {
    fn from_pairs(f: &FormPairs) -> Self {
        Self {
            information: text(f, "information"),
            source: text(f, "source"),
            grounds: all(f, "grounds"),
            other_law: text(f, "other_law"),
            harm: text(f, "harm"),
            public_interest: text(f, "public_interest"),
            conclusion: text(f, "conclusion"),
            redaction_plan: text(f, "redaction_plan"),
            period_kind: text(f, "period_kind"),
            period_until: text(f, "period_until"),
            period_event: text(f, "period_event"),
            trigger: text(f, "trigger"),
            request: text(f, "request"),
            entry: text(f, "entry"),
        }
    }

    fn from_fields(f: &TestFields) -> Self {
        Self {
            information: f.information.clone(),
            source: f.source.clone(),
            grounds: f.grounds.iter().map(|g| g.as_str().to_owned()).collect(),
            other_law: f.other_law.clone(),
            harm: f.harm.clone(),
            public_interest: f.public_interest.clone(),
            conclusion: f.conclusion.as_str().into(),
            redaction_plan: f.redaction_plan.clone(),
            period_kind: f
                .period
                .as_ref()
                .map(|p| p.kind.as_str().to_owned())
                .unwrap_or_default(),
            period_until: f
                .period
                .as_ref()
                .and_then(|p| p.until)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            period_event: f
                .period
                .as_ref()
                .and_then(|p| p.event.clone())
                .unwrap_or_default(),
            trigger: f.trigger.as_str().into(),
            request: f.request.clone().unwrap_or_default(),
            entry: f.entry.map(|e| e.to_string()).unwrap_or_default(),
        }
    }

    fn raw(&self) -> RawTest {
        let o = |s: &String| Some(s.clone()).filter(|s| !s.trim().is_empty());
        RawTest {
            information: o(&self.information),
            source: o(&self.source),
            grounds: self.grounds.clone(),
            other_law: o(&self.other_law),
            harm: o(&self.harm),
            public_interest: o(&self.public_interest),
            conclusion: o(&self.conclusion),
            redaction_plan: o(&self.redaction_plan),
            period_kind: o(&self.period_kind),
            period_until: o(&self.period_until),
            period_event: o(&self.period_event),
            trigger: o(&self.trigger),
            request: o(&self.request),
            entry: o(&self.entry),
            unit: None,
        }
    }

    pub fn has_ground(&self, g: &str) -> bool {
        self.grounds.iter().any(|x| x == g)
    }
}

pub struct TestFormCtx {
    pub t: Lang,
    pub action: String,
    pub v: TestForm,
    pub errors: Errors,
    pub grounds: Vec<(&'static str, &'static str)>,
    pub conclusions: Vec<(&'static str, &'static str)>,
    pub period_kinds: Vec<(&'static str, &'static str)>,
    pub triggers: Vec<(&'static str, &'static str)>,
    pub entries: Vec<(String, String)>,
}

impl TestFormCtx {
    pub fn err(&self, field: &str) -> Option<String> {
        err_line(self.t, &self.errors, field)
    }

    async fn new(
        app: &AppState,
        t: Lang,
        officer: &OfficerCtx,
        action: String,
        v: TestForm,
        errors: Errors,
    ) -> Self {
        let entries = match app
            .information_register(&officer.home.row.slug, Some(officer))
            .await
        {
            Ok(r) => r
                .dip
                .iter()
                .flat_map(|(_, l)| l.iter().map(|e| (e.id.to_string(), e.fields.title.clone())))
                .collect(),
            Err(_) => Vec::new(),
        };
        Self {
            t,
            action,
            v,
            errors,
            grounds: ExemptionGround::ALL
                .iter()
                .map(|g| (g.as_str(), g.label_id()))
                .collect(),
            conclusions: TestConclusion::ALL
                .iter()
                .map(|c| (c.as_str(), c.label_id()))
                .collect(),
            period_kinds: PeriodKind::ALL
                .iter()
                .map(|k| (k.as_str(), k.label_id()))
                .collect(),
            triggers: TestTrigger::ALL
                .iter()
                .map(|k| (k.as_str(), k.label_id()))
                .collect(),
            entries,
        }
    }
}

pub struct OfficeTestRow {
    pub id: Uuid,
    pub information: String,
    pub status: &'static str,
    pub status_code: &'static str,
    pub in_force: bool,
    pub lapsed: bool,
    pub number: String,
    pub review_due: Option<String>,
}

#[derive(Template)]
#[template(path = "office/tests.html")]
struct TestsPage {
    p: Page,
    body_name: String,
    rows: Vec<OfficeTestRow>,
    f: TestFormCtx,
    error: Option<String>,
}

fn consequence_status_label(t: Lang, s: lentera_domain::consequence::TestStatus) -> &'static str {
    use lentera_domain::consequence::TestStatus as S;
    match t {
        Lang::Id => s.label_id(),
        Lang::En => match s {
            S::Draft => "Draft",
            S::Tested => "Tested",
            S::Decided => "Decided",
            S::Expired => "Ended (opened)",
            S::Annulled => "Annulled by a ruling",
        },
    }
}

async fn tests_page(
    app: &AppState,
    ctx: &Ctx,
    officer: &OfficerCtx,
    v: TestForm,
    errors: Errors,
    error: Option<(StatusCode, String)>,
) -> Response {
    let t = ctx.t;
    let list = match app.tests_for_officer(officer).await {
        Ok(l) => l,
        Err(e) => {
            return ctx.error_page(
                status_of(&e),
                t.pick("Uji konsekuensi", "Consequence tests"),
                &banner(t, &e),
            );
        }
    };
    let rows = list
        .iter()
        .map(|v| OfficeTestRow {
            id: v.id,
            information: v.state.fields.information.clone(),
            status: consequence_status_label(t, v.status),
            status_code: v.status.as_str(),
            in_force: v.in_force,
            lapsed: v.lapsed,
            number: v
                .state
                .determination
                .as_ref()
                .map(|d| d.number.clone())
                .unwrap_or_default(),
            review_due: v.state.review_due.map(|d| short_date(t, d)),
        })
        .collect();
    let f = TestFormCtx::new(app, t, officer, "/kantor/uji".into(), v, errors).await;
    let (status, error) = match error {
        Some((s, m)) => (s, Some(m)),
        None => (StatusCode::OK, None),
    };
    let page = TestsPage {
        p: ctx.page(t.pick("Uji konsekuensi", "Consequence tests")),
        body_name: officer.home.row.name.clone(),
        rows,
        f,
        error,
    };
    ctx.render(status, &page)
}

pub async fn consequence_tests(
    State(app): State<AppState>,
    Office { ctx, officer }: Office,
) -> Response {
    let officer = &officer;
    let v = TestForm {
        conclusion: "exempt".into(),
        trigger: "before_request".into(),
        period_kind: "until_date".into(),
        ..TestForm::default()
    };
    tests_page(&app, &ctx, officer, v, BTreeMap::new(), None).await
}

pub async fn create_consequence_test(
    State(app): State<AppState>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    let v = TestForm::from_pairs(&f);
    match app.create_test(officer, &v.raw()).await {
        Ok(t) => Redirect::to(&format!("/kantor/uji/{}?ok=test_created", t.id)).into_response(),
        Err(e) => {
            let errors = errors_of(&e);
            let msg = banner(ctx.t, &e);
            tests_page(&app, &ctx, officer, v, errors, Some((status_of(&e), msg))).await
        }
    }
}

#[derive(Template)]
#[template(path = "office/test.html")]
struct TestDetailPage {
    p: Page,
    v: TestView,
    status: &'static str,
    f: TestFormCtx,
    history: Vec<HistoryLine>,
    notice: Option<String>,
    error: Option<String>,
    /// The action whose form failed, with what was typed and the errors.
    posted: Option<(String, FormPairs, Errors)>,
    basis: String,
    period: String,
    determination: String,
    today: String,
}

impl TestDetailPage {
    fn val(&self, action: &str, name: &str) -> String {
        self.posted
            .as_ref()
            .filter(|(a, _, _)| a == action)
            .and_then(|(_, f, _)| field(f, name))
            .unwrap_or("")
            .to_owned()
    }

    fn err(&self, action: &str, name: &str) -> Option<String> {
        let (_, _, errors) = self.posted.as_ref().filter(|(a, _, _)| a == action)?;
        err_line(self.p.t, errors, name)
    }

    fn can(&self, action: &str) -> bool {
        use lentera_domain::consequence::TestStatus as S;
        matches!(
            (self.v.status, action),
            (S::Draft, "amend" | "submit")
                | (S::Tested, "amend" | "decide")
                | (S::Decided, "review" | "expire" | "annul")
        )
    }
}

async fn consequence_test_page(
    app: &AppState,
    ctx: &Ctx,
    officer: &OfficerCtx,
    id: Uuid,
    notice: Option<String>,
    error: Option<(StatusCode, String)>,
    posted: Option<(String, FormPairs, Errors)>,
) -> Response {
    let t = ctx.t;
    let v = match app.test(id, Some(officer)).await {
        Ok(v) => v,
        Err(AppError::NotFound(_)) => return ctx.not_found(),
        Err(e) => {
            return ctx.error_page(
                status_of(&e),
                t.pick("Uji konsekuensi", "Consequence test"),
                &banner(t, &e),
            );
        }
    };
    let (form_v, form_errors) = match &posted {
        Some((a, f, errors)) if a == "amend" => (TestForm::from_pairs(f), errors.clone()),
        _ => (TestForm::from_fields(&v.state.fields), BTreeMap::new()),
    };
    let f = TestFormCtx::new(
        app,
        t,
        officer,
        format!("/kantor/uji/{id}/tindakan"),
        form_v,
        form_errors,
    )
    .await;
    let p = ctx.page(t.pick("Uji konsekuensi", "Consequence test"));
    let history = history(app, &p, id).await;
    let (status, error) = match error {
        Some((s, m)) => (s, Some(m)),
        None => (StatusCode::OK, None),
    };
    let fields = &v.state.fields;
    let page = TestDetailPage {
        status: consequence_status_label(t, v.status),
        basis: super::register::legal_basis(fields),
        period: super::register::period_label(t, fields.period.as_ref()),
        determination: v.state.determination.as_ref().map_or_else(
            || "—".to_owned(),
            |d| {
                format!(
                    "{} / {} · {} · {}",
                    d.number,
                    short_date(t, d.on),
                    d.place,
                    d.official
                )
            },
        ),
        today: app.today_in(officer.home.time_zone()).to_string(),
        p,
        v,
        f,
        history,
        notice,
        error,
        posted,
    };
    ctx.render(status, &page)
}

pub async fn consequence_test_detail(
    State(app): State<AppState>,
    Office { ctx, officer }: Office,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let officer = &officer;
    let Some(id) = parse_id(&id) else {
        return ctx.not_found();
    };
    let notice = q.get("ok").and_then(|ok| notice_text(ctx.t, ok));
    consequence_test_page(&app, &ctx, officer, id, notice, None, None).await
}

fn consequence_test_action(f: &FormPairs) -> Result<TestAction, Errors> {
    let mut errors = Errors::new();
    let action = match field(f, "action").unwrap_or("") {
        "amend" => TestAction::Amend(Box::new(TestForm::from_pairs(f).raw())),
        "submit" => TestAction::Submit,
        "decide" => {
            let on = match parse_date(&text(f, "on")) {
                Ok(d) => d,
                Err(()) => {
                    errors.insert("on".into(), vec!["invalid_date".into()]);
                    None
                }
            };
            TestAction::Decide {
                number: text(f, "number"),
                place: text(f, "place"),
                official: text(f, "official"),
                on,
            }
        }
        "review" => TestAction::Review {
            keep: field(f, "keep") != Some("0"),
            note: text(f, "note"),
        },
        "expire" => TestAction::Expire {
            note: text(f, "note"),
        },
        "annul" => TestAction::Annul {
            ruling: text(f, "ruling"),
        },
        _ => {
            errors.insert("action".into(), vec!["invalid_choice".into()]);
            TestAction::Submit
        }
    };
    if errors.is_empty() {
        Ok(action)
    } else {
        Err(errors)
    }
}

pub async fn act_on_consequence_test(
    State(app): State<AppState>,
    Path(id): Path<String>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    let Some(id) = parse_id(&id) else {
        return ctx.not_found();
    };
    let name = text(&f, "action");
    let values: FormPairs = f.iter().filter(|(k, _)| k != "csrf").cloned().collect();
    let action = match consequence_test_action(&f) {
        Ok(a) => a,
        Err(errors) => {
            let msg = ctx
                .t
                .pick(
                    "Periksa isian yang ditandai.",
                    "Please check the marked fields.",
                )
                .to_owned();
            return consequence_test_page(
                &app,
                &ctx,
                officer,
                id,
                None,
                Some((StatusCode::UNPROCESSABLE_ENTITY, msg)),
                Some((name, values, errors)),
            )
            .await;
        }
    };
    match app.act_on_test(officer, id, action).await {
        Ok(_) => Redirect::to(&format!("/kantor/uji/{id}?ok={name}")).into_response(),
        Err(AppError::NotFound(_)) => ctx.not_found(),
        Err(e) => {
            // Completeness errors on submission belong to the amend form's fields.
            let form = if name == "submit" {
                "amend".to_owned()
            } else {
                name
            };
            let values = if form == "amend" && values.iter().all(|(k, _)| k == "action") {
                Vec::new()
            } else {
                values
            };
            let posted = if form == "amend" && values.is_empty() {
                // Keep the stored values, show the errors beside them.
                match app.test(id, Some(officer)).await {
                    Ok(v) => {
                        let tf = TestForm::from_fields(&v.state.fields);
                        Some((form, form_pairs_of(&tf), errors_of(&e)))
                    }
                    Err(_) => None,
                }
            } else {
                Some((form, values, errors_of(&e)))
            };
            consequence_test_page(
                &app,
                &ctx,
                officer,
                id,
                None,
                Some((status_of(&e), banner(ctx.t, &e))),
                posted,
            )
            .await
        }
    }
}

fn form_pairs_of(v: &TestForm) -> FormPairs {
    let mut f: FormPairs = vec![
        ("information".into(), v.information.clone()),
        ("source".into(), v.source.clone()),
        ("other_law".into(), v.other_law.clone()),
        ("harm".into(), v.harm.clone()),
        ("public_interest".into(), v.public_interest.clone()),
        ("conclusion".into(), v.conclusion.clone()),
        ("redaction_plan".into(), v.redaction_plan.clone()),
        ("period_kind".into(), v.period_kind.clone()),
        ("period_until".into(), v.period_until.clone()),
        ("period_event".into(), v.period_event.clone()),
        ("trigger".into(), v.trigger.clone()),
        ("request".into(), v.request.clone()),
        ("entry".into(), v.entry.clone()),
    ];
    f.extend(v.grounds.iter().map(|g| ("grounds".to_owned(), g.clone())));
    f
}

pub async fn upload_to_consequence_test(
    State(app): State<AppState>,
    Office { ctx, officer }: Office,
    Path(id): Path<String>,
    mp: Multipart,
) -> Response {
    let officer = &officer;
    let u = read_upload(mp).await;
    if let Some(r) = upload_refused(&ctx, &u) {
        return r;
    }
    let Some(id) = parse_id(&id) else {
        return ctx.not_found();
    };
    match store_upload(&app, officer, DocOwner::Test(id), u).await {
        Ok(_) => Redirect::to(&format!("/kantor/uji/{id}?ok=uploaded")).into_response(),
        Err(AppError::NotFound(_)) => ctx.not_found(),
        Err(e) => {
            let msg = upload_error_text(ctx.t, &e);
            consequence_test_page(
                &app,
                &ctx,
                officer,
                id,
                None,
                Some((status_of(&e), msg)),
                None,
            )
            .await
        }
    }
}

// ------------------------------------------------------------------ publishing an answer

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

fn finding_views(t: Lang, f: &[PersonalFinding]) -> Vec<FindingView> {
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
fn not_saved(t: Lang, findings: &[PersonalFinding]) -> String {
    format!(
        "{} {}",
        app_error_text(t, &AppError::PersonalData(findings.to_vec())),
        t.pick(
            "Perubahan belum disimpan: entri ini sudah publik.",
            "Nothing was saved: this entry is public.",
        )
    )
}

#[derive(Template)]
#[template(path = "office/publish.html")]
struct PublishPage {
    p: Page,
    number: String,
    title: String,
    text: String,
    documents: Vec<(DocumentView, bool)>,
    findings: Vec<FindingView>,
    /// Keys already confirmed in an earlier attempt, kept as hidden fields.
    confirmed: Vec<String>,
    blocked: bool,
    publications: Vec<(PublicationView, String)>,
    errors: Errors,
    notice: Option<String>,
    error: Option<String>,
    upload_error: Option<String>,
    withdraw_error: Option<(Uuid, String)>,
}

impl PublishPage {
    fn err(&self, name: &str) -> Option<String> {
        err_line(self.p.t, &self.errors, name)
    }

    fn size(&self, d: &DocumentView) -> String {
        size_label(d)
    }

    fn is_confirmed(&self, key: &str) -> bool {
        self.confirmed.iter().any(|k| k == key)
    }

    fn withdraw_err(&self, id: &Uuid) -> Option<String> {
        self.withdraw_error
            .as_ref()
            .filter(|(i, _)| i == id)
            .map(|(_, m)| m.clone())
    }
}

#[derive(Default)]
struct PublishExtras {
    posted: Option<FormPairs>,
    findings: Option<Vec<PersonalFinding>>,
    errors: Errors,
    notice: Option<String>,
    error: Option<(StatusCode, String)>,
    upload_error: Option<String>,
    withdraw_error: Option<(Uuid, String)>,
}

async fn publish_page(
    app: &AppState,
    ctx: &Ctx,
    officer: &OfficerCtx,
    number: &str,
    x: PublishExtras,
) -> Response {
    let t = ctx.t;
    let draft = match app.publish_draft(officer, number).await {
        Ok(d) => d,
        Err(AppError::NotFound(_)) => return ctx.not_found(),
        Err(e) => {
            return ctx.error_page(
                status_of(&e),
                t.pick("Publikasikan jawaban", "Publish the answer"),
                &banner(t, &e),
            );
        }
    };
    let p = ctx.page(format!(
        "{} {}",
        t.pick("Publikasikan jawaban", "Publish the answer"),
        draft.number
    ));
    let (title, text, chosen, confirmed) = match &x.posted {
        Some(f) => (
            super::common::text(f, "title"),
            super::common::text(f, "text"),
            all(f, "documents"),
            all(f, "confirmed"),
        ),
        None => (
            draft.title.clone(),
            draft.text.clone(),
            Vec::new(),
            Vec::new(),
        ),
    };
    let blocked = x.findings.is_some();
    let findings = finding_views(t, x.findings.as_deref().unwrap_or(&draft.findings));
    let documents = draft
        .documents
        .iter()
        .map(|d| (d.clone(), chosen.iter().any(|c| *c == d.id.to_string())))
        .collect();
    let publications = draft
        .publications
        .iter()
        .map(|a| (a.clone(), p.local(&a.published_at)))
        .collect();
    let (status, error) = match x.error {
        Some((s, m)) => (s, Some(m)),
        None if x.upload_error.is_some() || x.withdraw_error.is_some() => {
            (StatusCode::UNPROCESSABLE_ENTITY, None)
        }
        None => (StatusCode::OK, None),
    };
    // Confirmations still needed are shown as checkboxes; the others stay as hidden fields.
    let open_keys: Vec<&str> = findings.iter().map(|f| f.key.as_str()).collect();
    let confirmed = confirmed
        .into_iter()
        .filter(|k| !open_keys.contains(&k.as_str()))
        .collect();
    let page = PublishPage {
        p,
        number: draft.number.clone(),
        title,
        text,
        documents,
        findings,
        confirmed,
        blocked,
        publications,
        errors: x.errors,
        notice: x.notice,
        error,
        upload_error: x.upload_error,
        withdraw_error: x.withdraw_error,
    };
    ctx.render(status, &page)
}

pub async fn publish_form(
    State(app): State<AppState>,
    Office { ctx, officer }: Office,
    Path(number): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let officer = &officer;
    let x = PublishExtras {
        notice: q.get("ok").and_then(|ok| notice_text(ctx.t, ok)),
        ..PublishExtras::default()
    };
    publish_page(&app, &ctx, officer, &number, x).await
}

pub async fn publish(
    State(app): State<AppState>,
    Path(number): Path<String>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    let t = ctx.t;
    let mut errors = Errors::new();
    let mut documents = Vec::new();
    for d in all(&f, "documents") {
        match parse_id(&d) {
            Some(id) => documents.push(id),
            None => {
                errors.insert("documents".into(), vec!["invalid".into()]);
            }
        }
    }
    let input = PublishInput {
        title: opt(&f, "title"),
        text: opt(&f, "text"),
        documents,
        confirmed: all(&f, "confirmed"),
    };
    let posted: FormPairs = f.iter().filter(|(k, _)| k != "csrf").cloned().collect();
    if !errors.is_empty() {
        let x = PublishExtras {
            posted: Some(posted),
            errors,
            error: Some((
                StatusCode::UNPROCESSABLE_ENTITY,
                t.pick(
                    "Periksa isian yang ditandai.",
                    "Please check the marked fields.",
                )
                .to_owned(),
            )),
            ..PublishExtras::default()
        };
        return publish_page(&app, &ctx, officer, &number, x).await;
    }
    match app.publish_answer(officer, &number, &input).await {
        Ok(v) => Redirect::to(&v.url).into_response(),
        Err(AppError::NotFound(_)) => ctx.not_found(),
        Err(AppError::PersonalData(findings)) => {
            let msg = format!(
                "{} {}",
                app_error_text(t, &AppError::PersonalData(findings.clone())),
                t.pick("Belum dipublikasikan.", "Nothing was published.")
            );
            let x = PublishExtras {
                posted: Some(posted),
                findings: Some(findings),
                error: Some((StatusCode::UNPROCESSABLE_ENTITY, msg)),
                ..PublishExtras::default()
            };
            publish_page(&app, &ctx, officer, &number, x).await
        }
        Err(e) => {
            let x = PublishExtras {
                posted: Some(posted),
                errors: errors_of(&e),
                error: Some((status_of(&e), banner(t, &e))),
                ..PublishExtras::default()
            };
            publish_page(&app, &ctx, officer, &number, x).await
        }
    }
}

pub async fn request_upload(
    State(app): State<AppState>,
    Office { ctx, officer }: Office,
    Path(number): Path<String>,
    mp: Multipart,
) -> Response {
    let officer = &officer;
    let u = read_upload(mp).await;
    if let Some(r) = upload_refused(&ctx, &u) {
        return r;
    }
    match store_upload(&app, officer, DocOwner::Request(number.clone()), u).await {
        Ok(_) => Redirect::to(&format!(
            "/kantor/permohonan/{number}/publikasi?ok=uploaded"
        ))
        .into_response(),
        Err(AppError::NotFound(_)) => ctx.not_found(),
        Err(e) => {
            let x = PublishExtras {
                upload_error: Some(upload_error_text(ctx.t, &e)),
                error: match &e {
                    AppError::Invalid(_) => None,
                    other => Some((status_of(other), banner(ctx.t, other))),
                },
                ..PublishExtras::default()
            };
            publish_page(&app, &ctx, officer, &number, x).await
        }
    }
}

pub async fn withdraw(
    State(app): State<AppState>,
    Path(id): Path<String>,
    OfficeForm { ctx, officer, f }: OfficeForm,
) -> Response {
    let officer = &officer;
    let Some(id) = parse_id(&id) else {
        return ctx.not_found();
    };
    let current = match app.publication(id, Some(officer)).await {
        Ok(v) => v,
        Err(AppError::NotFound(_)) => return ctx.not_found(),
        Err(e) => {
            return ctx.error_page(
                status_of(&e),
                ctx.t.pick("Gagal", "Failed"),
                &banner(ctx.t, &e),
            );
        }
    };
    match app.unpublish(officer, id, &text(&f, "reason")).await {
        Ok(v) => match &v.request {
            Some(n) => Redirect::to(&format!(
                "/kantor/permohonan/{n}/publikasi?ok=unpublished_answer"
            ))
            .into_response(),
            None => Redirect::to(&v.url).into_response(),
        },
        Err(e) => match &current.request {
            Some(n) => {
                let msg = match &e {
                    AppError::Invalid(_) => reg_error_text(ctx.t, "required"),
                    other => banner(ctx.t, other),
                };
                let x = PublishExtras {
                    withdraw_error: Some((id, msg)),
                    error: match &e {
                        AppError::Invalid(_) => None,
                        other => Some((status_of(other), banner(ctx.t, other))),
                    },
                    ..PublishExtras::default()
                };
                publish_page(&app, &ctx, officer, n, x).await
            }
            None => ctx.error_page(
                status_of(&e),
                ctx.t.pick("Gagal", "Failed"),
                &banner(ctx.t, &e),
            ),
        },
    }
}

/// The body's decided tests in force, for the refusal form's select: (id, label).
pub async fn tests_in_force(app: &AppState, officer: &OfficerCtx) -> Vec<(String, String)> {
    app.tests_for_officer(officer)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|v| v.in_force)
        .map(|v| {
            let number = v
                .state
                .determination
                .as_ref()
                .map(|d| d.number.clone())
                .unwrap_or_default();
            let grounds = v
                .state
                .fields
                .grounds
                .iter()
                .map(|g| g.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let info: String = v.state.fields.information.chars().take(80).collect();
            (v.id.to_string(), format!("{number} — {info} ({grounds})"))
        })
        .collect()
}
