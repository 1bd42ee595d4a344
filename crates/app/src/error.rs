//! One error type for every use case, with a stable code (the API's `error.code`) and an
//! Indonesian message. Unexpected causes are logged by the web layer and never shown.

use lentera_domain::CalendarIncomplete;
use lentera_domain::request::TransitionError;
use lentera_domain::submission::FieldErrors;
use lentera_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound(&'static str),
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error("conflict: {code}")]
    Conflict { code: &'static str, message: String },
    #[error("unauthorized")]
    Unauthorized(&'static str),
    #[error("forbidden")]
    Forbidden,
    /// Personal data found before publication; each must be removed or confirmed as public.
    #[error("personal data found")]
    PersonalData(Vec<crate::register::PersonalFinding>),
    #[error("calendar incomplete for {0}")]
    CalendarIncomplete(i32),
    /// A calendar file with bad lines: every one is listed, nothing was stored.
    #[error("invalid calendar file")]
    CalendarFile(Vec<lentera_domain::calendar::import::ImportProblem>),
    /// The storage cannot take writes now (disk full, I/O error): nothing was stored.
    #[error("storage unavailable")]
    Unavailable,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound(code) | Self::Unauthorized(code) => code,
            Self::Invalid(_) => "validation.failed",
            Self::PersonalData(_) => "publication.personal_data",
            Self::Conflict { code, .. } => code,
            Self::Forbidden => "auth.forbidden",
            Self::CalendarIncomplete(_) => "calendar.incomplete",
            Self::CalendarFile(_) => "calendar.invalid_file",
            Self::Unavailable => "storage.unavailable",
            Self::Unexpected(_) => "internal",
        }
    }

    pub fn message(&self) -> String {
        match self {
            Self::NotFound(_) => "Data tidak ditemukan.".into(),
            Self::Invalid(_) => "Isian tidak valid; periksa kolom yang ditandai.".into(),
            Self::PersonalData(f) => {
                let unreadable = f
                    .iter()
                    .filter(|x| x.kind == crate::register::FindingKind::Unreadable)
                    .count();
                let personal = f.len() - unreadable;
                let mut parts = Vec::new();
                if personal > 0 {
                    parts.push(format!(
                        "Ditemukan {personal} kemungkinan data pribadi. Hapus atau hitamkan, atau nyatakan sebagai informasi publik."
                    ));
                }
                if unreadable > 0 {
                    parts.push(format!(
                        "{unreadable} dokumen tidak dapat dibaca oleh pemeriksa data pribadi; periksa isinya sendiri dan nyatakan sudah diperiksa, atau hapus."
                    ));
                }
                parts.join(" ")
            }
            Self::Conflict { message, .. } => message.clone(),
            Self::Unauthorized("auth.locked") => {
                "Akun dikunci sementara karena terlalu banyak percobaan masuk yang gagal.".into()
            }
            Self::Unauthorized("auth.totp_required") => {
                "Akun ini memakai verifikasi dua langkah: kirim kode dari aplikasi autentikator (totp).".into()
            }
            Self::Unauthorized("auth.totp_invalid") => {
                "Kode verifikasi salah, kedaluwarsa, atau sudah pernah dipakai.".into()
            }
            Self::Unauthorized("auth.totp_enrolment_required") => {
                "Peran ini wajib memakai verifikasi dua langkah: daftarkan dulu aplikasi autentikator dengan masuk lewat peramban di /kantor/masuk.".into()
            }
            Self::Unauthorized(_) => "Kredensial tidak valid atau sudah kedaluwarsa.".into(),
            Self::Forbidden => "Anda tidak berwenang melakukan tindakan ini.".into(),
            Self::CalendarIncomplete(y) => {
                format!("Kalender hari libur tahun {y} belum dimuat; tenggat belum dapat dihitung.")
            }
            Self::CalendarFile(p) => {
                let lines: Vec<String> = p.iter().map(|p| p.message()).collect();
                format!(
                    "Berkas kalender tidak dimuat ({} masalah): {}",
                    p.len(),
                    lines.join("; ")
                )
            }
            Self::Unavailable => "Penyimpanan sedang tidak dapat menerima data; tidak ada yang tersimpan. Coba lagi beberapa saat lagi.".into(),
            Self::Unexpected(_) => "Terjadi kesalahan pada server.".into(),
        }
    }

    pub fn field(field: &str, code: &'static str) -> Self {
        let mut e = FieldErrors::default();
        e.add(field, code);
        Self::Invalid(e)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound("not_found"),
            StoreError::Conflict(what) => Self::Conflict {
                code: "conflict",
                message: format!("Data bentrok: {what}"),
            },
            StoreError::Unavailable(cause) => {
                tracing::error!(%cause, "storage unavailable");
                Self::Unavailable
            }
            other => Self::Unexpected(anyhow::Error::new(other)),
        }
    }
}

impl From<CalendarIncomplete> for AppError {
    fn from(e: CalendarIncomplete) -> Self {
        Self::CalendarIncomplete(e.year)
    }
}

impl From<crate::crypto::CryptoError> for AppError {
    fn from(e: crate::crypto::CryptoError) -> Self {
        Self::Unexpected(anyhow::Error::new(e))
    }
}

impl From<TransitionError> for AppError {
    fn from(e: TransitionError) -> Self {
        match e {
            TransitionError::Calendar(c) => c.into(),
            TransitionError::InvalidDecision { field, code } => Self::field(field, code),
            TransitionError::AlreadyExtended => Self::Conflict {
                code: "request.already_extended",
                message: "Permohonan ini sudah pernah diperpanjang; perpanjangan hanya sekali (Pasal 22 ayat 8).".into(),
            },
            TransitionError::PastDue { due } => Self::Conflict {
                code: "request.extension_past_due",
                message: format!("Perpanjangan harus diberitahukan paling lambat {due}; tenggat sudah lewat."),
            },
            TransitionError::NotAllowed { from, action } => Self::Conflict {
                code: "request.transition_not_allowed",
                message: format!("Tindakan '{action}' tidak dapat dilakukan pada status '{}'.", from.label_id()),
            },
            TransitionError::NotStarted => Self::Unexpected(anyhow::anyhow!("event log does not start with receipt")),
        }
    }
}
