//! Enumerations of the domain spec with their contract names (snake_case English) and
//! Indonesian labels. The glossary in `docs/GLOSSARY.md` maps each to its legal term.

use serde::{Deserialize, Serialize};

/// Declares a string-backed enum with `as_str`, `parse`, `ALL` and an Indonesian label.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal / $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }

            pub fn label_id(self) -> &'static str {
                match self { $(Self::$variant => $label),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some(Self::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum!(
    /// `SaluranPermohonan` (§4.2).
    Channel {
        Web = "web" / "Laman PPID",
        App = "app" / "Aplikasi",
        InPerson = "in_person" / "Datang langsung",
        Post = "post" / "Surat",
        Email = "email" / "Surat elektronik",
        Phone = "phone" / "Telepon",
        Whatsapp = "whatsapp" / "WhatsApp",
        Fax = "fax" / "Faksimili",
        SocialMedia = "social_media" / "Media sosial",
    }
);

string_enum!(
    /// `CaraMemperoleh` (§4.5).
    Obtain {
        View = "view" / "Melihat/membaca/mendengarkan/mencatat",
        Softcopy = "softcopy" / "Salinan softcopy",
        Hardcopy = "hardcopy" / "Salinan hardcopy",
    }
);

string_enum!(
    /// `CaraMengirim` (§4.5).
    Delivery {
        Pickup = "pickup" / "Mengambil langsung",
        Email = "email" / "Surat elektronik",
        Post = "post" / "Pos",
        Courier = "courier" / "Kurir",
        Fax = "fax" / "Faksimili",
        Download = "download" / "Unduh dari portal",
    }
);

string_enum!(
    /// `JenisPemohon` (§4.1).
    ApplicantKind {
        Individual = "individual" / "Perorangan",
        LegalEntity = "legal_entity" / "Badan hukum",
        Group = "group" / "Kelompok orang",
        Organisation = "organisation" / "Organisasi masyarakat tidak berbadan hukum",
    }
);

impl ApplicantKind {
    /// Kinds identified by a person's NIK (the representative's, for groups).
    pub fn uses_nik(self) -> bool {
        !matches!(self, Self::LegalEntity)
    }
}

string_enum!(
    /// `KeputusanPermohonan` (§4.8).
    Outcome {
        Granted = "granted" / "Dikabulkan seluruhnya",
        PartiallyGranted = "partially_granted" / "Dikabulkan sebagian",
        RejectedExempt = "rejected_exempt" / "Ditolak: informasi dikecualikan",
        NotHeld = "not_held" / "Ditolak: informasi tidak dikuasai",
        NotDocumented = "not_documented" / "Ditolak: informasi belum didokumentasikan",
    }
);

impl Outcome {
    /// Some information is given.
    pub fn grants(self) -> bool {
        matches!(self, Self::Granted | Self::PartiallyGranted)
    }
}

string_enum!(
    /// `DasarPengecualian`: the letters of UU KIP Pasal 17 (§3.5).
    ExemptionGround {
        A = "17a" / "Menghambat proses penegakan hukum",
        B = "17b" / "Mengganggu pelindungan HKI dan persaingan usaha yang sehat",
        C = "17c" / "Membahayakan pertahanan dan keamanan negara",
        D = "17d" / "Mengungkapkan kekayaan alam Indonesia",
        E = "17e" / "Merugikan ketahanan ekonomi nasional",
        F = "17f" / "Merugikan kepentingan hubungan luar negeri",
        G = "17g" / "Mengungkapkan isi akta otentik yang bersifat pribadi atau wasiat",
        H = "17h" / "Mengungkap rahasia pribadi",
        I = "17i" / "Memorandum atau surat antar/intra Badan Publik yang dirahasiakan",
        J = "17j" / "Informasi yang tidak boleh diungkapkan berdasarkan Undang-Undang",
    }
);

string_enum!(
    /// Officer roles (§10.2).
    Role {
        Admin = "admin" / "Administrator",
        Ppid = "ppid" / "PPID",
        PpidUnit = "ppid_unit" / "PPID Pelaksana",
        Supervisor = "supervisor" / "Atasan PPID",
        Viewer = "viewer" / "Pemantau",
    }
);

string_enum!(
    /// Kinds of public body. `Unit` is a *PPID Pelaksana* inside its parent body.
    BodyKind {
        Ministry = "ministry" / "Kementerian",
        Agency = "agency" / "Lembaga",
        Province = "province" / "Pemerintah provinsi",
        Regency = "regency" / "Pemerintah kabupaten",
        City = "city" / "Pemerintah kota",
        Bumn = "bumn" / "BUMN",
        Bumd = "bumd" / "BUMD",
        University = "university" / "Perguruan tinggi",
        Unit = "unit" / "PPID Pelaksana",
    }
);

string_enum!(
    /// Indonesian time zones; all fixed offsets, no daylight saving.
    TimeZone {
        Wib = "wib" / "WIB (UTC+7)",
        Wita = "wita" / "WITA (UTC+8)",
        Wit = "wit" / "WIT (UTC+9)",
    }
);

impl TimeZone {
    pub fn offset(self) -> time::UtcOffset {
        let hours = match self {
            Self::Wib => 7,
            Self::Wita => 8,
            Self::Wit => 9,
        };
        time::UtcOffset::from_hms(hours, 0, 0).unwrap_or(time::UtcOffset::UTC)
    }

    /// The legal date of an instant in this zone.
    pub fn date_of(self, at: time::OffsetDateTime) -> time::Date {
        at.to_offset(self.offset()).date()
    }
}

string_enum!(
    /// `JenisInformasi` (§3.1). DIP tables are grouped by the first three; `exempt` marks the DIK.
    InfoKind {
        Periodic = "periodic" / "Informasi berkala",
        Immediate = "immediate" / "Informasi serta merta",
        AnyTime = "any_time" / "Informasi tersedia setiap saat",
        Exempt = "exempt" / "Informasi yang dikecualikan",
    }
);

impl InfoKind {
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Periodic => "Periodic information",
            Self::Immediate => "Immediate information",
            Self::AnyTime => "Information available at any time",
            Self::Exempt => "Exempt information",
        }
    }

    /// The article of UU KIP that obliges the body to hold this kind.
    pub fn legal_basis(self) -> &'static str {
        match self {
            Self::Periodic => "Pasal 9 UU 14/2008",
            Self::Immediate => "Pasal 10 UU 14/2008",
            Self::AnyTime => "Pasal 11 UU 14/2008",
            Self::Exempt => "Pasal 17 UU 14/2008",
        }
    }
}

string_enum!(
    /// *Bentuk informasi yang tersedia* (§3.8 column 6).
    InfoForm {
        Softcopy = "softcopy" / "Softcopy (daring)",
        Hardcopy = "hardcopy" / "Hardcopy (cetak)",
    }
);

string_enum!(
    /// *Kesimpulan* of a consequence test (§3.6).
    TestConclusion {
        Exempt = "exempt" / "Dikecualikan",
        PartiallyOpen = "partially_open" / "Terbuka sebagian (dengan penghitaman)",
        Open = "open" / "Terbuka",
    }
);

string_enum!(
    /// *Jangka waktu pengecualian* kinds (§3.7).
    PeriodKind {
        UntilDate = "until_date" / "Sampai tanggal tertentu",
        UntilEvent = "until_event" / "Sampai peristiwa tertentu",
        WhileOtherLaw = "while_other_law" / "Selama ditentukan undang-undang lain",
    }
);

string_enum!(
    /// *Pemicu* of a consequence test (Perki 1/2021 Pasal 49(1)).
    TestTrigger {
        BeforeRequest = "before_request" / "Sebelum ada permohonan",
        OnRequest = "on_request" / "Saat ada permohonan",
        CommissionOrder = "commission_order" / "Perintah Majelis Komisioner",
    }
);
