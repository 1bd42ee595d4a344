//! The chapters the body writes itself (I, II, V and VI): its texts, or a placeholder.

use lentera_render::report::{Chapter, Section};

use super::blocks::{NOT_WRITTEN, paragraph, section};
use crate::report_texts::ReportTexts;

/// Chapter I: the body's service policy, in its own words.
pub(super) fn bab1(t: &ReportTexts) -> Chapter {
    Chapter {
        number: "I".into(),
        title: "Gambaran Umum Kebijakan Layanan Informasi Publik".into(),
        sections: vec![Section {
            number: None,
            title: None,
            blocks: vec![paragraph(t.get("bab1"), NOT_WRITTEN)],
        }],
    }
}

/// Chapter II: how the service is run (facilities, staff, budget), in the body's words.
pub(super) fn bab2(t: &ReportTexts) -> Chapter {
    let mut bab2_sections = Vec::new();
    if !t.get("bab2").trim().is_empty() {
        bab2_sections.push(Section {
            number: None,
            title: None,
            blocks: vec![paragraph(t.get("bab2"), NOT_WRITTEN)],
        });
    }
    for (n, title, key) in [
        ("2.1", "Sarana dan Prasarana", "bab2_1"),
        ("2.2", "Sumber Daya Manusia", "bab2_2"),
        ("2.3", "Anggaran Layanan Informasi Publik", "bab2_3"),
    ] {
        bab2_sections.push(section(n, title, vec![paragraph(t.get(key), NOT_WRITTEN)]));
    }
    Chapter {
        number: "II".into(),
        title: "Gambaran Umum Pelaksanaan Layanan Informasi Publik".into(),
        sections: bab2_sections,
    }
}

/// Chapter V: obstacles met.
pub(super) fn bab5(t: &ReportTexts) -> Chapter {
    Chapter {
        number: "V".into(),
        title: "Kendala Eksternal dan Internal dalam Pelaksanaan Layanan Informasi Publik".into(),
        sections: vec![Section {
            number: None,
            title: None,
            blocks: vec![paragraph(t.get("bab5"), NOT_WRITTEN)],
        }],
    }
}

/// Chapter VI: recommendations and follow-up.
pub(super) fn bab6(t: &ReportTexts) -> Chapter {
    Chapter {
        number: "VI".into(),
        title:
            "Rekomendasi dan Rencana Tindak Lanjut untuk Meningkatkan Kualitas Pelayanan Informasi"
                .into(),
        sections: vec![Section {
            number: None,
            title: None,
            blocks: vec![paragraph(t.get("bab6"), NOT_WRITTEN)],
        }],
    }
}
