//! The register of public information (*Daftar Informasi Publik*, DIP; domain spec §3.8) as an
//! event fold, and the minimum content of §3.2 and §3.4 as a checklist.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use crate::submission::FieldErrors;
use crate::values::{InfoForm, InfoKind};

/// Longest free-text field of an entry, in characters.
pub const MAX_TEXT: usize = 4000;
/// Longest one-line field, in characters.
pub const MAX_LINE: usize = 300;

/// The Perki columns of one DIP row plus what the software needs (§3.8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryFields {
    pub kind: InfoKind,
    /// Short title shown in lists and search results.
    pub title: String,
    /// *Ringkasan isi informasi*.
    pub summary: String,
    /// Slug of the unit (*PPID Pelaksana*) that holds it; `None` for the body itself.
    pub unit: Option<String>,
    /// *Penanggung jawab pembuatan atau penerbitan informasi*.
    pub responsible: String,
    /// *Waktu pembuatan*: free text ("Januari 2026", "2025").
    pub made_when: String,
    /// *Tempat pembuatan*.
    pub made_where: String,
    /// *Bentuk informasi yang tersedia*.
    pub forms: Vec<InfoForm>,
    /// *Jangka waktu penyimpanan / retensi arsip*.
    pub retention: String,
    pub year: i32,
    /// *Dasar hukum kewajiban* (defaults to the kind's article).
    pub legal_basis: String,
    /// Code of the minimum-content item this entry fulfils, if any.
    pub checklist: Option<String>,
}

impl EntryFields {
    /// The free-text fields the public reads, as (place, Indonesian label, text): what the
    /// personal-data check scans before the entry is public.
    pub fn public_texts(&self) -> [(&'static str, &'static str, &str); 7] {
        [
            ("title", "Judul", &self.title),
            ("summary", "Ringkasan isi informasi", &self.summary),
            ("responsible", "Penanggung jawab", &self.responsible),
            ("made_when", "Waktu pembuatan", &self.made_when),
            ("made_where", "Tempat pembuatan", &self.made_where),
            ("retention", "Jangka waktu penyimpanan", &self.retention),
            ("legal_basis", "Dasar hukum", &self.legal_basis),
        ]
    }
}

/// An entry form as typed: every field optional so all errors can be reported at once.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawEntry {
    pub kind: Option<String>,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub unit: Option<String>,
    pub responsible: Option<String>,
    pub made_when: Option<String>,
    pub made_where: Option<String>,
    #[serde(default)]
    pub forms: Vec<String>,
    pub retention: Option<String>,
    pub year: Option<serde_json::Value>,
    pub legal_basis: Option<String>,
    pub checklist: Option<String>,
}

fn text(
    e: &mut FieldErrors,
    field: &str,
    v: &Option<String>,
    max: usize,
    required: bool,
) -> String {
    let t = v.as_deref().unwrap_or("").trim();
    if t.is_empty() && required {
        e.add(field, "required");
    }
    if t.chars().count() > max {
        e.add(field, "too_long");
    }
    if t.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        e.add(field, "invalid_characters");
    }
    t.to_owned()
}

impl RawEntry {
    /// Validates against the Perki columns. `exempt` is not a DIP kind: exempt information is
    /// declared through a consequence test and listed in the DIK.
    pub fn validate(&self, this_year: i32) -> Result<EntryFields, FieldErrors> {
        let mut e = FieldErrors::default();
        let kind = match self.kind.as_deref().map(str::trim) {
            None | Some("") => {
                e.add("kind", "required");
                None
            }
            Some(k) => match InfoKind::parse(k) {
                Some(InfoKind::Exempt) => {
                    e.add("kind", "exempt_needs_consequence_test");
                    None
                }
                Some(k) => Some(k),
                None => {
                    e.add("kind", "invalid_choice");
                    None
                }
            },
        };
        let title = text(&mut e, "title", &self.title, MAX_LINE, true);
        let summary = text(&mut e, "summary", &self.summary, MAX_TEXT, true);
        let responsible = text(&mut e, "responsible", &self.responsible, MAX_LINE, true);
        let made_when = text(&mut e, "made_when", &self.made_when, MAX_LINE, true);
        let made_where = text(&mut e, "made_where", &self.made_where, MAX_LINE, false);
        let retention = text(&mut e, "retention", &self.retention, MAX_LINE, true);
        let legal_basis = text(&mut e, "legal_basis", &self.legal_basis, MAX_LINE, false);
        let unit = self
            .unit
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_owned);
        let mut forms = Vec::new();
        for f in &self.forms {
            match InfoForm::parse(f.trim()) {
                Some(f) if !forms.contains(&f) => forms.push(f),
                Some(_) => {}
                None => e.add("forms", "invalid_choice"),
            }
        }
        if forms.is_empty() && !e.has("forms") {
            e.add("forms", "required");
        }
        forms.sort();
        let year = match &self.year {
            None | Some(serde_json::Value::Null) => Some(this_year),
            Some(serde_json::Value::Number(n)) => n.as_i64().and_then(|y| i32::try_from(y).ok()),
            Some(serde_json::Value::String(s)) if s.trim().is_empty() => Some(this_year),
            Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
            Some(_) => None,
        };
        let year = match year {
            Some(y) if (1945..=this_year + 1).contains(&y) => Some(y),
            _ => {
                e.add("year", "invalid");
                None
            }
        };
        let checklist = match self.checklist.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(c) => match checklist_item(c) {
                Some(item) if Some(item.kind) == kind || kind.is_none() => Some(c.to_owned()),
                Some(_) => {
                    e.add("checklist", "other_kind");
                    None
                }
                None => {
                    e.add("checklist", "invalid_choice");
                    None
                }
            },
        };
        match (kind, year) {
            (Some(kind), Some(year)) if e.is_empty() => Ok(EntryFields {
                kind,
                legal_basis: if legal_basis.is_empty() {
                    kind.legal_basis().to_owned()
                } else {
                    legal_basis
                },
                title,
                summary,
                unit,
                responsible,
                made_when,
                made_where,
                forms,
                retention,
                year,
                checklist,
            }),
            _ => Err(e),
        }
    }
}

/// What happened to a register entry. Stored with a `kind` tag in the append-only log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EntryEvent {
    Created {
        fields: EntryFields,
    },
    Updated {
        fields: EntryFields,
        /// Keys of personal-data findings confirmed as public with this change.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        confirmed: Vec<String>,
    },
    Published {
        on: Date,
        /// Keys of personal-data findings confirmed as public before publishing.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        confirmed: Vec<String>,
    },
    Unpublished {
        on: Date,
        reason: String,
    },
    DocumentAttached {
        document: Uuid,
    },
    DocumentDetached {
        document: Uuid,
    },
}

impl EntryEvent {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Created { .. } => "created",
            Self::Updated { .. } => "updated",
            Self::Published { .. } => "published",
            Self::Unpublished { .. } => "unpublished",
            Self::DocumentAttached { .. } => "document_attached",
            Self::DocumentDetached { .. } => "document_detached",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegisterError {
    #[error("the first event must create the entry")]
    NotCreated,
    #[error("the entry already exists")]
    AlreadyCreated,
    #[error("already published")]
    AlreadyPublished,
    #[error("not published")]
    NotPublished,
    #[error("document already attached")]
    AlreadyAttached,
    #[error("document not attached")]
    NotAttached,
}

/// The entry as its events leave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryState {
    pub fields: EntryFields,
    pub published: bool,
    /// First publication: the date the public could first see it.
    pub first_published_on: Option<Date>,
    pub updated_on: Date,
    pub documents: Vec<Uuid>,
    /// Keys of personal-data findings an officer confirmed as public information.
    #[serde(default)]
    pub confirmed: Vec<String>,
}

impl EntryState {
    pub fn create(event: &EntryEvent, day: Date) -> Result<Self, RegisterError> {
        match event {
            EntryEvent::Created { fields } => Ok(Self {
                fields: fields.clone(),
                published: false,
                first_published_on: None,
                updated_on: day,
                documents: Vec::new(),
                confirmed: Vec::new(),
            }),
            _ => Err(RegisterError::NotCreated),
        }
    }

    pub fn apply(&mut self, event: &EntryEvent, day: Date) -> Result<(), RegisterError> {
        match event {
            EntryEvent::Created { .. } => return Err(RegisterError::AlreadyCreated),
            EntryEvent::Updated { fields, confirmed } => {
                self.fields = fields.clone();
                self.confirm(confirmed);
            }
            EntryEvent::Published { on, confirmed } => {
                if self.published {
                    return Err(RegisterError::AlreadyPublished);
                }
                self.published = true;
                self.first_published_on.get_or_insert(*on);
                self.confirm(confirmed);
            }
            EntryEvent::Unpublished { .. } => {
                if !self.published {
                    return Err(RegisterError::NotPublished);
                }
                self.published = false;
            }
            EntryEvent::DocumentAttached { document } => {
                if self.documents.contains(document) {
                    return Err(RegisterError::AlreadyAttached);
                }
                self.documents.push(*document);
            }
            EntryEvent::DocumentDetached { document } => {
                let before = self.documents.len();
                self.documents.retain(|d| d != document);
                if before == self.documents.len() {
                    return Err(RegisterError::NotAttached);
                }
            }
        }
        self.updated_on = day;
        Ok(())
    }

    fn confirm(&mut self, keys: &[String]) {
        for k in keys {
            if !self.confirmed.contains(k) {
                self.confirmed.push(k.clone());
            }
        }
    }

    pub fn from_events<'a>(
        events: impl IntoIterator<Item = (&'a EntryEvent, Date)>,
    ) -> Result<Self, RegisterError> {
        let mut it = events.into_iter();
        let (first, day) = it.next().ok_or(RegisterError::NotCreated)?;
        let mut s = Self::create(first, day)?;
        for (e, day) in it {
            s.apply(e, day)?;
        }
        Ok(s)
    }

    /// *Berkala* information must be refreshed at least every six months (Pasal 9(4)).
    pub fn stale(&self, today: Date) -> bool {
        self.fields.kind == InfoKind::Periodic && (today - self.updated_on).whole_days() > 183
    }
}

/// One item of the minimum content a body must hold (§3.2, §3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ChecklistItem {
    pub code: &'static str,
    pub kind: InfoKind,
    pub label: &'static str,
    pub basis: &'static str,
}

macro_rules! items {
    ($($code:literal, $kind:ident, $basis:literal, $label:literal;)+) => {
        &[$(ChecklistItem { code: $code, kind: InfoKind::$kind, basis: $basis, label: $label }),+]
    };
}

/// Minimum content of the DIP per Perki 1/2021 and UU KIP Pasal 9, 11 and 12.
pub const CHECKLIST: &[ChecklistItem] = items![
    "berkala.profil", Periodic, "Pasal 9(2)a", "Profil Badan Publik: kedudukan, tugas dan fungsi, struktur organisasi, profil singkat pejabat struktural";
    "berkala.program", Periodic, "Pasal 9(2)b", "Ringkasan program/kegiatan yang sedang dijalankan (penanggung jawab, target, jadwal, anggaran)";
    "berkala.kinerja", Periodic, "Pasal 9(2)b", "Ringkasan informasi tentang kinerja";
    "berkala.keuangan", Periodic, "Pasal 9(2)c", "Ringkasan laporan keuangan (realisasi anggaran, neraca, arus kas, daftar aset)";
    "berkala.akses", Periodic, "Pasal 9(2)d, Pasal 12", "Ringkasan laporan akses informasi publik (jumlah permohonan, waktu, dikabulkan/ditolak, alasan)";
    "berkala.peraturan", Periodic, "Pasal 9(2)d", "Ringkasan peraturan, keputusan, dan/atau kebijakan yang mengikat publik";
    "berkala.hak_tata_cara", Periodic, "Pasal 9(2)d", "Hak dan tata cara memperoleh informasi, tata cara keberatan dan sengketa";
    "berkala.pengaduan", Periodic, "Pasal 9(2)d", "Tata cara pengaduan penyalahgunaan wewenang atau pelanggaran";
    "berkala.pengadaan", Periodic, "Pasal 9(2)d", "Pengumuman pengadaan barang dan jasa";
    "berkala.darurat", Periodic, "Pasal 9(2)d", "Prosedur peringatan dini dan evakuasi keadaan darurat";
    "setiap_saat.dip", AnyTime, "Pasal 11(1)a", "Daftar Informasi Publik";
    "setiap_saat.keputusan", AnyTime, "Pasal 11(1)b", "Keputusan Badan Publik dan pertimbangannya";
    "setiap_saat.kebijakan", AnyTime, "Pasal 11(1)c", "Seluruh kebijakan dengan dokumen pendukungnya";
    "setiap_saat.rencana_kerja", AnyTime, "Pasal 11(1)d", "Rencana kerja proyek termasuk perkiraan pengeluaran tahunan";
    "setiap_saat.perjanjian", AnyTime, "Pasal 11(1)e", "Perjanjian Badan Publik dengan pihak ketiga";
    "setiap_saat.pertemuan", AnyTime, "Pasal 11(1)f", "Informasi dan kebijakan yang disampaikan pejabat dalam pertemuan terbuka";
    "setiap_saat.prosedur", AnyTime, "Pasal 11(1)g", "Prosedur kerja pegawai yang berkaitan dengan pelayanan masyarakat";
    "setiap_saat.laporan_layanan", AnyTime, "Pasal 11(1)h", "Laporan mengenai pelayanan akses informasi publik";
];

pub fn checklist_item(code: &str) -> Option<&'static ChecklistItem> {
    CHECKLIST.iter().find(|i| i.code == code)
}

/// Items with no published entry yet, in checklist order.
pub fn missing_items<'a>(
    present: impl IntoIterator<Item = &'a str>,
) -> Vec<&'static ChecklistItem> {
    let present: BTreeSet<&str> = present.into_iter().collect();
    CHECKLIST
        .iter()
        .filter(|i| !present.contains(i.code))
        .collect()
}

/// Share of the checklist covered, 0–100, for the comparison across bodies.
pub fn completeness<'a>(present: impl IntoIterator<Item = &'a str>) -> f64 {
    let missing = missing_items(present).len();
    let total = CHECKLIST.len();
    100.0 * (total - missing) as f64 / total as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn raw() -> RawEntry {
        RawEntry {
            kind: Some("periodic".into()),
            title: Some("Laporan Realisasi Anggaran 2025".into()),
            summary: Some("Realisasi belanja per program".into()),
            responsible: Some("Kepala Bidang Keuangan".into()),
            made_when: Some("Januari 2026".into()),
            retention: Some("10 tahun".into()),
            forms: vec!["softcopy".into(), "hardcopy".into(), "softcopy".into()],
            checklist: Some("berkala.keuangan".into()),
            ..RawEntry::default()
        }
    }

    #[test]
    fn valid_entry_takes_defaults() {
        let f = raw().validate(2026).expect("valid");
        assert_eq!(f.year, 2026);
        assert_eq!(f.legal_basis, "Pasal 9 UU 14/2008");
        assert_eq!(f.forms, vec![InfoForm::Softcopy, InfoForm::Hardcopy]);
    }

    #[test]
    fn every_missing_field_is_reported_at_once() {
        let e = RawEntry::default().validate(2026).expect_err("invalid");
        for f in [
            "kind",
            "title",
            "summary",
            "responsible",
            "made_when",
            "retention",
            "forms",
        ] {
            assert!(e.has(f), "{f} missing from {e:?}");
        }
    }

    #[test]
    fn exempt_is_not_a_dip_kind_and_checklist_must_fit_the_kind() {
        let mut r = raw();
        r.kind = Some("exempt".into());
        assert_eq!(
            r.validate(2026).expect_err("exempt").0["kind"],
            vec!["exempt_needs_consequence_test"]
        );
        let mut r = raw();
        r.checklist = Some("setiap_saat.perjanjian".into());
        assert!(r.validate(2026).expect_err("kind").has("checklist"));
        let mut r = raw();
        r.year = Some(serde_json::json!(2090));
        assert!(r.validate(2026).expect_err("year").has("year"));
    }

    #[test]
    fn checklist_codes_are_unique_and_missing_items_shrink() {
        let codes: BTreeSet<_> = CHECKLIST.iter().map(|i| i.code).collect();
        assert_eq!(codes.len(), CHECKLIST.len());
        assert_eq!(missing_items([]).len(), CHECKLIST.len());
        assert_eq!(
            missing_items(["berkala.profil", "x"]).len(),
            CHECKLIST.len() - 1
        );
        assert!((completeness(codes.iter().copied()) - 100.0).abs() < f64::EPSILON);
    }

    #[test]
    fn confirmations_accumulate_and_old_records_still_read() {
        let fields = raw().validate(2026).expect("valid");
        let day = date!(2026 - 02 - 02);
        let mut s = EntryState::create(
            &EntryEvent::Created {
                fields: fields.clone(),
            },
            day,
        )
        .expect("create");
        let confirmed = vec!["phone:1".to_owned()];
        s.apply(
            &EntryEvent::Published {
                on: day,
                confirmed: confirmed.clone(),
            },
            day,
        )
        .expect("publish");
        s.apply(&EntryEvent::Updated { fields, confirmed }, day)
            .expect("update");
        assert_eq!(s.confirmed, vec!["phone:1".to_owned()]);
        // Events and states stored before confirmations existed.
        let old: EntryEvent =
            serde_json::from_str(r#"{"kind":"published","on":"2026-02-02"}"#).expect("event");
        assert_eq!(
            old,
            EntryEvent::Published {
                on: day,
                confirmed: Vec::new()
            }
        );
        let mut v = serde_json::to_value(&s).expect("state");
        v.as_object_mut().map(|o| o.remove("confirmed"));
        let back: EntryState = serde_json::from_value(v).expect("old state");
        assert!(back.confirmed.is_empty());
        assert_eq!(
            serde_json::to_string(&EntryEvent::Published {
                on: day,
                confirmed: Vec::new()
            })
            .expect("json"),
            r#"{"kind":"published","on":"2026-02-02"}"#,
            "unchanged for events without confirmations"
        );
    }

    fn arb_event() -> impl Strategy<Value = EntryEvent> {
        let doc = (0u8..4).prop_map(|n| Uuid::from_u128(u128::from(n) + 1));
        prop_oneof![
            Just(EntryEvent::Published {
                on: date!(2026 - 03 - 01),
                confirmed: vec!["nik:1".into()],
            }),
            Just(EntryEvent::Unpublished {
                on: date!(2026 - 03 - 02),
                reason: "x".into()
            }),
            doc.clone()
                .prop_map(|document| EntryEvent::DocumentAttached { document }),
            doc.prop_map(|document| EntryEvent::DocumentDetached { document }),
        ]
    }

    proptest! {
        /// Whatever officers try, applied events keep the documents unique, and replaying the
        /// accepted events gives the same state.
        #[test]
        fn replay_equals_state(events in proptest::collection::vec(arb_event(), 0..30)) {
            let fields = raw().validate(2026).expect("valid");
            let created = EntryEvent::Created { fields };
            let day = date!(2026 - 02 - 02);
            let mut s = EntryState::create(&created, day).expect("create");
            let mut accepted = vec![created];
            for e in events {
                if s.apply(&e, day).is_ok() {
                    accepted.push(e);
                }
            }
            let set: BTreeSet<_> = s.documents.iter().collect();
            prop_assert_eq!(set.len(), s.documents.len());
            prop_assert_eq!(s.first_published_on.is_some() || !s.published, true);
            let replayed = EntryState::from_events(accepted.iter().map(|e| (e, day))).expect("replay");
            prop_assert_eq!(replayed, s);
        }
    }
}
