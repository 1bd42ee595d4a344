//! What every HTML page shares: language, the signed-in officer, CSRF, date and label formatting,
//! and the error page.

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use lentera_app::AppError;
use lentera_app::auth::OfficerCtx;
use lentera_domain::calendar::SkipReason;
use lentera_domain::{RequestStatus, Role};
use time::{Date, OffsetDateTime};

use crate::state::AppState;

pub const SESSION_COOKIE: &str = "lentera_sid";
pub const CSRF_COOKIE: &str = "lentera_csrf";
pub const LANG_COOKIE: &str = "lentera_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Id,
    En,
}

impl Lang {
    pub fn pick<'a>(&self, id: &'a str, en: &'a str) -> &'a str {
        match self {
            Self::Id => id,
            Self::En => en,
        }
    }

    /// For texts that carry both languages (`Said::pick`).
    pub fn is_en(&self) -> bool {
        *self == Self::En
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::En => "en",
        }
    }

    pub fn other_code(&self) -> &'static str {
        match self {
            Self::Id => "en",
            Self::En => "id",
        }
    }
}

#[derive(Debug, Clone)]
pub struct OfficerNav {
    pub email: String,
    pub admin: bool,
    /// Works on objections: the PPID and the atasan PPID.
    pub objections: bool,
}

/// A date however deeply a template borrows it.
pub trait AsDate {
    fn as_date(&self) -> Date;
}

impl AsDate for Date {
    fn as_date(&self) -> Date {
        *self
    }
}

impl<T: AsDate + ?Sized> AsDate for &T {
    fn as_date(&self) -> Date {
        (**self).as_date()
    }
}

/// The frame of every page.
#[derive(Debug, Clone)]
pub struct Page {
    pub t: Lang,
    pub title: String,
    pub officer: Option<OfficerNav>,
    pub path: String,
    pub csrf: String,
    pub htmx: bool,
    pub tz_offset: time::UtcOffset,
    /// For admins and PPIDs from 1 October: next year's SKB is not loaded yet (§7.1).
    pub calendar_warning: Option<i32>,
}

/// The names of a request's choices (the codes stay off pages).
pub mod choices {
    use super::Lang;
    use lentera_domain::{ApplicantKind, Delivery, Obtain};

    pub fn kind_label(t: Lang, k: ApplicantKind) -> &'static str {
        match t {
            Lang::Id => k.label_id(),
            Lang::En => match k {
                ApplicantKind::Individual => "Individual",
                ApplicantKind::LegalEntity => "Legal entity",
                ApplicantKind::Group => "Group of persons",
                ApplicantKind::Organisation => "Unincorporated organisation",
            },
        }
    }

    pub fn obtain_label(t: Lang, o: Obtain) -> &'static str {
        match t {
            Lang::Id => o.label_id(),
            Lang::En => match o {
                Obtain::View => "See/read/listen/take notes",
                Obtain::Softcopy => "Electronic copy",
                Obtain::Hardcopy => "Printed copy",
            },
        }
    }

    pub fn delivery_label(t: Lang, d: Delivery) -> &'static str {
        match t {
            Lang::Id => d.label_id(),
            Lang::En => match d {
                Delivery::Pickup => "Pick up in person",
                Delivery::Email => "E-mail",
                Delivery::Post => "Post",
                Delivery::Courier => "Courier",
                Delivery::Fax => "Fax",
                Delivery::Download => "Download from the portal",
            },
        }
    }
}

impl Page {
    /// `softcopy` → "Salinan elektronik (softcopy)".
    pub fn obtain_label(&self, code: &str) -> String {
        lentera_domain::Obtain::parse(code).map_or_else(
            || code.to_owned(),
            |o| choices::obtain_label(self.t, o).to_owned(),
        )
    }

    /// `email` → "Surat elektronik".
    pub fn delivery_label(&self, code: &str) -> String {
        lentera_domain::Delivery::parse(code).map_or_else(
            || code.to_owned(),
            |d| choices::delivery_label(self.t, d).to_owned(),
        )
    }

    /// A mail's kind in words.
    pub fn mail_kind_label(&self, code: &str) -> &'static str {
        use lentera_domain::mail::MailKind;
        let (id, en) = match MailKind::parse(code) {
            Some(MailKind::Receipt) => ("Tanda terima permohonan", "Receipt"),
            Some(MailKind::Incomplete) => ("Permintaan melengkapi", "Request to complete"),
            Some(MailKind::Extension) => ("Pemberitahuan perpanjangan", "Notice of extension"),
            Some(MailKind::Decision) => ("Pemberitahuan tertulis", "Written notice"),
            Some(MailKind::Payment) => ("Pemberitahuan biaya", "Fee to pay"),
            Some(MailKind::Delivery) => ("Penyerahan informasi", "Delivery"),
            Some(MailKind::ObjectionReceipt) => ("Tanda terima keberatan", "Objection receipt"),
            Some(MailKind::ObjectionAnswer) => {
                ("Tanggapan atas keberatan", "Answer to the objection")
            }
            None => ("Surel", "Mail"),
        };
        self.t.pick(id, en)
    }

    /// `individual` → "Perorangan".
    pub fn applicant_kind_label(&self, code: &str) -> String {
        lentera_domain::ApplicantKind::parse(code).map_or_else(
            || code.to_owned(),
            |k| choices::kind_label(self.t, k).to_owned(),
        )
    }

    /// The sentence beside a provisional (*sementara*) due date (domain spec §7.1).
    pub fn provisional_note(&self, d: impl AsDate) -> String {
        let (id, en) = lentera_domain::labels::provisional_note(d.as_date().year());
        match self.t {
            Lang::Id => id,
            Lang::En => en,
        }
    }

    /// "Senin, 2 Februari 2026".
    pub fn date(&self, d: impl AsDate) -> String {
        let d = d.as_date();
        match self.t {
            Lang::Id => lentera_domain::dates::with_day_id(d),
            Lang::En => lentera_domain::dates::with_day_en(d),
        }
    }

    pub fn instant(&self, at: &OffsetDateTime) -> String {
        at.format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    }

    /// An instant in the body's zone: "2 Februari 2026 10.00".
    pub fn local(&self, at: &OffsetDateTime) -> String {
        let l = at.to_offset(self.tz_offset);
        format!("{} {:02}.{:02}", self.date(l.date()), l.hour(), l.minute())
    }

    /// A request channel's name (the code stays off pages).
    pub fn channel_label(&self, c: &str) -> String {
        match (self.t, lentera_domain::Channel::parse(c)) {
            (Lang::Id, Some(ch)) => ch.label_id().to_owned(),
            _ => c.replace('_', " "),
        }
    }

    pub fn status_label(&self, s: &str) -> &'static str {
        let status = RequestStatus::parse(s).unwrap_or(RequestStatus::Received);
        match self.t {
            Lang::Id => status.label_id(),
            Lang::En => match status {
                RequestStatus::Received => "Received",
                RequestStatus::AwaitingCompletion => "Awaiting completion",
                RequestStatus::InProgress => "In progress",
                RequestStatus::Extended => "Extended",
                RequestStatus::Decided => "Decided",
                RequestStatus::AwaitingPayment => "Awaiting payment",
                RequestStatus::Delivered => "Information delivered",
                RequestStatus::Closed => "Closed",
                RequestStatus::Withdrawn => "Withdrawn",
                RequestStatus::NotProcessable => "Not processable",
            },
        }
    }

    pub fn outcome_label(&self, o: &str) -> &'static str {
        use lentera_domain::Outcome as O;
        let outcome = O::parse(o).unwrap_or(O::Granted);
        match self.t {
            Lang::Id => outcome.label_id(),
            Lang::En => match outcome {
                O::Granted => "Granted in full",
                O::PartiallyGranted => "Granted in part",
                O::RejectedExempt => "Refused: exempt information",
                O::NotHeld => "Refused: not held",
                O::NotDocumented => "Refused: not yet documented",
            },
        }
    }

    /// An objection ground (Pasal 35(1) a–g) as its letter and its words.
    pub fn ground_label(&self, letter: &str) -> String {
        match lentera_domain::objection::Ground::parse(letter) {
            Some(g) => format!(
                "{}. {}",
                g.as_str(),
                self.t.pick(g.label_id(), g.label_en())
            ),
            None => letter.to_owned(),
        }
    }

    pub fn event_label(&self, kind: &str) -> &'static str {
        let (id, en) = lentera_domain::labels::event_label(kind);
        self.t.pick(id, en)
    }

    pub fn reason(&self, r: &SkipReason) -> &'static str {
        match self.t {
            Lang::Id => r.label_id(),
            Lang::En => match r {
                SkipReason::Weekend => "weekend",
                SkipReason::NationalHoliday => "national holiday",
                SkipReason::CollectiveLeave => "collective leave",
                SkipReason::Closure => "office closure",
            },
        }
    }

    pub fn action_label(&self, a: &str) -> &'static str {
        let (id, en) = action_names(a);
        self.t.pick(id, en)
    }
}

pub fn action_names(a: &str) -> (&'static str, &'static str) {
    match a {
        "verify" => ("Verifikasi persyaratan", "Verify requirements"),
        "mark_incomplete" => ("Minta kelengkapan", "Ask for missing requirements"),
        "route" => ("Disposisi ke PPID Pelaksana", "Route to a unit"),
        "extend" => ("Perpanjang 7 hari kerja", "Extend by 7 working days"),
        "decide" => (
            "Terbitkan pemberitahuan tertulis",
            "Issue the written notice",
        ),
        "request_payment" => ("Minta pembayaran biaya", "Ask for payment"),
        "deliver" => ("Catat penyerahan informasi", "Record delivery"),
        "close" => ("Tutup permohonan", "Close the request"),
        "not_processable" => ("Nyatakan tidak dapat diproses", "Declare not processable"),
        _ => ("Tindakan", "Action"),
    }
}

/// Text of a field error code.
pub fn error_text(t: Lang, code: &str) -> &'static str {
    let (id, en) = match code {
        "required" => ("Wajib diisi.", "Required."),
        "too_large" => ("Berkas terlalu besar.", "The file is too large."),
        "only_ppid_unit_in_a_unit" => (
            "Di unit hanya dapat dibuat akun PPID Pelaksana.",
            "A unit can only have unit PPID accounts.",
        ),
        "used_for_other_content" => (
            "Kunci ini sudah dipakai untuk permohonan lain.",
            "This key was already used for another request.",
        ),
        "unreadable" => ("Berkas tidak dapat dibaca.", "The file could not be read."),
        "not_text" => (
            "Berkas bukan teks (JSON atau CSV, UTF-8).",
            "The file is not text (JSON or CSV, UTF-8).",
        ),
        "too_long" => ("Terlalu panjang.", "Too long."),
        "invalid_characters" => (
            "Mengandung karakter yang tidak diizinkan.",
            "Contains characters that are not allowed.",
        ),
        "invalid_choice" => (
            "Pilih salah satu pilihan yang tersedia.",
            "Choose one of the options.",
        ),
        "invalid_type" => ("Isian tidak valid.", "Invalid value."),
        "nik_16_digits" => ("NIK harus 16 angka.", "The NIK must be 16 digits."),
        "invalid_legal_entity_number" => (
            "Nomor badan hukum tidak valid.",
            "Invalid legal-entity number.",
        ),
        "invalid_email" => ("Alamat surel tidak valid.", "Invalid e-mail address."),
        "invalid_phone" => (
            "Nomor telepon tidak valid (8–15 angka).",
            "Invalid telephone number (8–15 digits).",
        ),
        "contact_required" => (
            "Isi surel atau nomor telepon.",
            "Give an e-mail address or a telephone number.",
        ),
        "unknown_body" => ("Badan publik tidak dikenal.", "Unknown public body."),
        "invalid_date" => ("Tanggal tidak valid.", "Invalid date."),
        "in_the_future" => (
            "Tanggal tidak boleh di masa depan.",
            "The date cannot be in the future.",
        ),
        "too_old" => ("Tanggal terlalu lama.", "The date is too far back."),
        "before_received" => (
            "Tanggal tidak boleh sebelum permohonan diterima.",
            "The date cannot be before the request was received.",
        ),
        "taken" => ("Sudah dipakai.", "Already taken."),
        "invalid_slug" => (
            "Gunakan huruf kecil, angka, dan tanda hubung.",
            "Use lower-case letters, digits and hyphens.",
        ),
        "too_short" => ("Terlalu pendek.", "Too short."),
        "common_password" => (
            "Kata sandi ini terlalu umum atau pernah bocor; pilih yang lain (misalnya beberapa kata acak).",
            "This password is too common or has been breached; choose another (a few random words, for example).",
        ),
        "contains_email" => (
            "Kata sandi tidak boleh memuat alamat surel.",
            "The password must not contain the e-mail address.",
        ),
        "too_simple" => (
            "Kata sandi terlalu sederhana (satu huruf berulang atau urutan).",
            "The password is too simple (one repeated character or a sequence).",
        ),
        "not_a_unit_of_this_body" => (
            "Bukan PPID Pelaksana badan ini.",
            "Not a unit of this body.",
        ),
        "not_applicable" => (
            "Tidak berlaku untuk keputusan ini.",
            "Not applicable to this decision.",
        ),
        "must_be_positive" => ("Harus lebih dari nol.", "Must be more than zero."),
        "invalid_pattern" => (
            "Pola nomor tidak dikenal. Gunakan {seq} (wajib), {code}, {kind}, {month}, {month_roman} dan {year}.",
            "Unknown number pattern. Use {seq} (required), {code}, {kind}, {month}, {month_roman} and {year}.",
        ),
        "invalid_nip" => (
            "NIP terdiri atas 18 angka.",
            "A NIP (civil service number) has 18 digits.",
        ),
        "not_an_image" | "file.type_not_allowed" | "file.type_mismatch" => (
            "Logo harus berupa gambar PNG atau JPEG.",
            "The logo must be a PNG or JPEG image.",
        ),
        "file.too_large" => (
            "Berkas terlalu besar (logo paling besar 512 KB).",
            "The file is too large (a logo is at most 512 KB).",
        ),
        "file.empty" => ("Berkas kosong.", "The file is empty."),
        "file.name_invalid" => ("Nama berkas tidak valid.", "Invalid file name."),
        "required_for_rejected_exempt" => (
            "Penolakan karena informasi dikecualikan wajib merujuk uji konsekuensi yang sudah ditetapkan dan berlaku (Pasal 19 UU KIP). Pilih uji konsekuensinya, atau buat dan tetapkan dahulu di menu Uji konsekuensi.",
            "A refusal as exempt must cite a consequence test that is decided and in force (Article 19). Choose it, or make and decide one first under Consequence tests.",
        ),
        "not_in_force" => (
            "Uji konsekuensi ini tidak berlaku pada tanggal keputusan.",
            "This consequence test is not in force on the decision date.",
        ),
        "grounds_not_in_test" => (
            "Dasar pengecualian yang dipilih tidak tercakup dalam uji konsekuensi ini.",
            "The chosen exemption grounds are not covered by this consequence test.",
        ),
        "not_decided" => (
            "Uji konsekuensi ini belum ditetapkan.",
            "This consequence test is not decided yet.",
        ),
        _ => ("Isian tidak valid.", "Invalid value."),
    };
    t.pick(id, en)
}

/// `path` when it is a path of this site to send a browser back to: it starts with one `/`, and
/// has no backslash, whitespace or control character that a browser could read as another host
/// (`/\\evil.example`, `/\tevil.example`) or that cannot go in a header (CR, LF).
pub fn same_site_path(path: &str) -> Option<&str> {
    let rest = path.strip_prefix('/')?;
    let bad = |c: char| c == '\\' || c.is_whitespace() || c.is_control();
    (!rest.starts_with('/') && !path.chars().any(bad)).then_some(path)
}

pub use crate::error::app_error_text;

pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name).then_some(v)
        })
}

/// Request context for pages: language, officer session, the anonymous CSRF cookie.
pub struct Ctx {
    pub t: Lang,
    pub path: String,
    pub officer: Option<(OfficerCtx, String)>,
    pub session_cookie: Option<String>,
    /// The anonymous CSRF token and whether it must be set as a cookie on the response.
    pub anon_csrf: String,
    pub set_anon_csrf: bool,
    pub same_origin: bool,
    pub secure: bool,
    pub calendar_warning: Option<i32>,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let h = &parts.headers;
        let t = match cookie_value(h, LANG_COOKIE) {
            Some("en") => Lang::En,
            _ => Lang::Id,
        };
        let session_cookie = cookie_value(h, SESSION_COOKIE)
            .map(str::to_owned)
            .filter(|c| c.len() == 64);
        let officer = match &session_cookie {
            Some(c) => state.session(c).await.ok(),
            None => None,
        };
        let existing = cookie_value(h, CSRF_COOKIE)
            .filter(|c| c.len() == 32 && c.bytes().all(|b| b.is_ascii_hexdigit()));
        let (anon_csrf, set_anon_csrf) = match existing {
            Some(c) => (c.to_owned(), false),
            None => (hex_token(), true),
        };
        // Browsers send Origin on POST; a different host means a cross-site form.
        let host = h
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        // The scheme counts: https always (a TLS proxy in front of a loopback listener), plain
        // http only where cookies are not marked Secure. `null` is a sandboxed frame or a
        // data: page, never this site.
        let secure = state.cookie_secure();
        let scheme_ok = |s: &str| s == "https" || (s == "http" && !secure);
        let same_origin = match h.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
            None => h
                .get("sec-fetch-site")
                .and_then(|v| v.to_str().ok())
                .is_none_or(|s| s != "cross-site"),
            Some(origin) => origin
                .split_once("://")
                .is_some_and(|(s, rest)| scheme_ok(s) && rest == host),
        };
        let calendar_warning = officer.as_ref().and_then(|(o, _)| {
            matches!(o.role, Role::Admin | Role::Ppid)
                .then(|| state.calendar_warning(state.today_in(o.home.time_zone())))
                .flatten()
        });
        Ok(Self {
            t,
            path: parts.uri.path().to_owned(),
            officer,
            calendar_warning,
            session_cookie,
            anon_csrf,
            set_anon_csrf,
            same_origin,
            secure: state.cookie_secure(),
        })
    }
}

fn hex_token() -> String {
    let b: [u8; 16] = lentera_app::crypto::random_bytes().unwrap_or([0; 16]);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

impl Ctx {
    pub fn page(&self, title: impl Into<String>) -> Page {
        Page {
            t: self.t,
            title: title.into(),
            officer: self.officer.as_ref().map(|(o, _)| OfficerNav {
                email: o.user.email.clone(),
                admin: o.role == Role::Admin,
                objections: matches!(o.role, Role::Ppid | Role::Supervisor),
            }),
            path: self.path.clone(),
            csrf: self
                .officer
                .as_ref()
                .map_or_else(|| self.anon_csrf.clone(), |(_, c)| c.clone()),
            htmx: false,
            calendar_warning: self.calendar_warning,
            tz_offset: self
                .officer
                .as_ref()
                .map_or(lentera_domain::TimeZone::Wib.offset(), |(o, _)| {
                    o.home.time_zone().offset()
                }),
        }
    }

    /// The form's CSRF token matches the session's (officers) or the anonymous cookie's.
    pub fn csrf_ok(&self, form_token: Option<&str>) -> bool {
        let Some(token) = form_token else {
            return false;
        };
        if !self.same_origin {
            return false;
        }
        match &self.officer {
            Some((_, csrf)) => token == csrf || (!self.set_anon_csrf && token == self.anon_csrf),
            None => !self.set_anon_csrf && token == self.anon_csrf,
        }
    }

    pub fn cookie(&self, name: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
        let secure = if self.secure { "; Secure" } else { "" };
        let age = max_age
            .map(|a| format!("; Max-Age={a}"))
            .unwrap_or_default();
        HeaderValue::from_str(&format!(
            "{name}={value}; Path=/; HttpOnly; SameSite=Lax{secure}{age}"
        ))
        .unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    /// Renders a template as a page, setting the anonymous CSRF cookie when it is new.
    pub fn render(&self, status: StatusCode, t: &impl Template) -> Response {
        match t.render() {
            Ok(body) => {
                let mut resp = (status, Html(body)).into_response();
                if self.set_anon_csrf {
                    resp.headers_mut().append(
                        header::SET_COOKIE,
                        self.cookie(CSRF_COOKIE, &self.anon_csrf, None),
                    );
                }
                resp
            }
            Err(e) => {
                tracing::error!(error = %e, "template failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
            }
        }
    }

    pub fn error_page(&self, status: StatusCode, heading: &str, message: &str) -> Response {
        let page = ErrorPage {
            p: self.page(heading),
            heading: heading.to_owned(),
            message: message.to_owned(),
        };
        self.render(status, &page)
    }

    /// The error page of an application error: its status and message from the one mapping
    /// (`crate::error`), which also logs an unexpected cause.
    pub fn error_of(&self, heading: &str, e: &AppError) -> Response {
        self.error_page(
            crate::error::status_of(e),
            heading,
            &app_error_text(self.t, e),
        )
    }

    /// Turns a failed application call into the page error of `heading`, for `?`:
    /// `app.call().await.map_err(ctx.fail(heading))?` in a handler returning [`PageResult`].
    pub fn fail<'a>(&'a self, heading: &'a str) -> impl FnOnce(AppError) -> PageError + 'a {
        move |e| PageError(self.error_of(heading, &e))
    }

    pub fn forbidden_csrf(&self) -> Response {
        self.error_page(
            StatusCode::FORBIDDEN,
            self.t.pick("Formulir kedaluwarsa", "Form expired"),
            self.t.pick(
                "Formulir ini tidak dapat diterima (token keamanan tidak cocok). Muat ulang halaman dan kirim lagi.",
                "This form cannot be accepted (security token mismatch). Reload the page and send it again.",
            ),
        )
    }

    pub fn not_found(&self) -> Response {
        self.error_page(
            StatusCode::NOT_FOUND,
            self.t.pick("Tidak ditemukan", "Not found"),
            self.t.pick(
                "Halaman atau data yang Anda cari tidak ada.",
                "The page or data you are looking for does not exist.",
            ),
        )
    }

    /// The officer, or a redirect to the sign-in page.
    pub fn officer(&self) -> Result<&OfficerCtx, Response> {
        self.officer
            .as_ref()
            .map(|(o, _)| o)
            .ok_or_else(|| Redirect::to("/kantor/masuk").into_response())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub p: Page,
    pub heading: String,
    pub message: String,
}

/// Form fields as pairs (repeated keys kept: checkboxes).
pub type FormPairs = Vec<(String, String)>;

pub fn field<'a>(f: &'a FormPairs, name: &str) -> Option<&'a str> {
    f.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

pub fn text(f: &FormPairs, name: &str) -> String {
    field(f, name).unwrap_or("").to_owned()
}

/// A form field's name in words, for messages that name the field.
pub fn field_name(t: Lang, field: &str) -> Option<&'static str> {
    Some(match field {
        "consequence_test" => t.pick("Uji konsekuensi", "Consequence test"),
        "outcome" => t.pick("Keputusan", "Decision"),
        "grounds" => t.pick("Dasar pengecualian", "Exemption grounds"),
        "note" => t.pick("Alasan", "Reasons"),
        "reason" => t.pick("Alasan", "Reason"),
        "holder" => t.pick("Badan publik yang menguasai", "Body holding it"),
        "material" => t.pick("Materi informasi", "Material"),
        "fee_idr" | "amount_idr" => t.pick("Biaya", "Fee"),
        "fee_method" | "method" => t.pick("Cara pembayaran", "Payment method"),
        "unit" => t.pick("PPID Pelaksana", "Unit"),
        "redactions" => t.pick("Bagian yang dihitamkan", "Redactions"),
        "received_on" => t.pick("Tanggal diterima", "Date received"),
        "on" => t.pick("Tanggal", "Date"),
        "email" => t.pick("Surel", "E-mail"),
        "password" => t.pick("Kata sandi", "Password"),
        "name" => t.pick("Nama", "Name"),
        "title" => t.pick("Judul", "Title"),
        "summary" => t.pick("Ringkasan", "Summary"),
        "number" => t.pick("Nomor", "Number"),
        "file" => t.pick("Berkas", "File"),
        _ => return None,
    })
}

/// What a page handler returns with `?` when it cannot go on: the error page, already rendered
/// through the one mapping ([`Ctx::error_of`]: `status_of` for the status, `app_error_text` for
/// the message in the reader's language, an unexpected cause logged and never shown), with the
/// page's navigation. Made by [`Ctx::fail`]; a finished response (the sign-in redirect of
/// `ctx.officer()`, a not-found page) converts as it is.
pub struct PageError(Response);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        self.0
    }
}

impl From<Response> for PageError {
    fn from(r: Response) -> Self {
        Self(r)
    }
}

/// The result of a page handler that uses `?`.
pub type PageResult = Result<Response, PageError>;
