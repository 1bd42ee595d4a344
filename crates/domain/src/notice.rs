//! The written notice (*pemberitahuan tertulis*, UU KIP Pasal 22(7)) as people read it: the
//! items a–g in plain words, each in Indonesian and English. One text for the tracking page,
//! the case page and the letter, so that what the requester reads on screen is what the letter
//! says.

use crate::request::{Decision, WrittenNotice};
use crate::values::{Delivery, ExemptionGround, Obtain, Outcome};

/// A sentence in both languages of the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    pub id: String,
    pub en: String,
}

impl Said {
    fn new(id: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            en: en.into(),
        }
    }

    /// The sentence in the reader's language (`english` or Indonesian).
    pub fn pick(&self, english: bool) -> &str {
        if english { &self.en } else { &self.id }
    }
}

/// One item of the notice: its letter in Pasal 22(7), what the item asks, and the answer (one
/// or more paragraphs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeItem {
    pub letter: char,
    pub heading: Said,
    pub lines: Vec<Said>,
}

/// What Pasal 17 protects under each ground, in plain words (the law's own wording, shortened).
pub fn ground_explained(g: ExemptionGround) -> Said {
    let (id, en) = match g {
        ExemptionGround::A => (
            "informasi yang bila dibuka dapat menghambat proses penegakan hukum",
            "information whose disclosure could obstruct law enforcement",
        ),
        ExemptionGround::B => (
            "informasi yang bila dibuka dapat mengganggu perlindungan hak atas kekayaan intelektual dan persaingan usaha yang sehat",
            "information whose disclosure could harm intellectual property or fair competition",
        ),
        ExemptionGround::C => (
            "informasi yang bila dibuka dapat membahayakan pertahanan dan keamanan negara",
            "information whose disclosure could endanger national defence and security",
        ),
        ExemptionGround::D => (
            "informasi yang bila dibuka dapat mengungkapkan kekayaan alam Indonesia",
            "information whose disclosure could reveal Indonesia's natural resources",
        ),
        ExemptionGround::E => (
            "informasi yang bila dibuka dapat merugikan ketahanan ekonomi nasional",
            "information whose disclosure could harm the national economy",
        ),
        ExemptionGround::F => (
            "informasi yang bila dibuka dapat merugikan kepentingan hubungan luar negeri",
            "information whose disclosure could harm foreign relations",
        ),
        ExemptionGround::G => (
            "informasi yang bila dibuka dapat mengungkapkan isi akta otentik yang bersifat pribadi dan kemauan terakhir atau wasiat seseorang",
            "information whose disclosure would reveal a private authentic deed or someone's will",
        ),
        ExemptionGround::H => (
            "informasi yang bila dibuka dapat mengungkap rahasia pribadi",
            "information whose disclosure would reveal personal secrets",
        ),
        ExemptionGround::I => (
            "memorandum atau surat antar atau intra badan publik yang menurut sifatnya dirahasiakan",
            "memoranda or letters between or within public bodies that are confidential by nature",
        ),
        ExemptionGround::J => (
            "informasi yang tidak boleh diungkapkan berdasarkan undang-undang",
            "information that a statute forbids disclosing",
        ),
    };
    Said::new(id, en)
}

/// `Pasal 17 huruf a UU 14/2008` for ground `17a`.
pub fn ground_citation(g: ExemptionGround) -> Said {
    let letter = g.as_str().trim_start_matches("17");
    Said::new(
        format!("Pasal 17 huruf {letter} UU 14/2008"),
        format!("Article 17({letter}) of Law 14/2008"),
    )
}

fn delivery_said(d: Delivery) -> Said {
    let en = match d {
        Delivery::Pickup => "collection in person",
        Delivery::Email => "e-mail",
        Delivery::Post => "post",
        Delivery::Courier => "courier",
        Delivery::Fax => "fax",
        Delivery::Download => "download from the portal",
    };
    Said::new(d.label_id().to_lowercase(), en)
}

fn format_said(o: Obtain) -> Said {
    let (id, en) = match o {
        Obtain::View => (
            "melihat, membaca, mendengarkan atau mencatat di tempat",
            "viewing, reading, listening or taking notes on site",
        ),
        Obtain::Softcopy => ("salinan elektronik (softcopy)", "an electronic copy"),
        Obtain::Hardcopy => ("salinan cetak (hardcopy)", "a printed copy"),
    };
    Said::new(id, en)
}

/// `Rp15.000` for 15000.
pub fn rupiah(amount: u64) -> String {
    let digits = amount.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 2);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    format!("Rp{out}")
}

/// Items a–g of the notice of `decision`, in order, every item present (an item that does not
/// apply says so rather than disappearing). `test_reference` names the consequence test the
/// refusal rests on (its number and date), when there is one.
pub fn notice_items(decision: &Decision, test_reference: Option<&str>) -> Vec<NoticeItem> {
    let n = &decision.notice;
    vec![
        item_a(n),
        item_b(n),
        item_c(decision, test_reference),
        item_d(decision),
        item_e(n),
        item_f(n),
        item_g(n),
    ]
}

fn item_a(n: &WrittenNotice) -> NoticeItem {
    NoticeItem {
        letter: 'a',
        heading: Said::new("Penguasaan informasi", "Whether we hold the information"),
        lines: vec![if n.under_control {
            Said::new(
                "Informasi yang Anda minta berada di bawah penguasaan kami.",
                "The information you asked for is held by us.",
            )
        } else {
            Said::new(
                "Informasi yang Anda minta tidak berada di bawah penguasaan kami.",
                "The information you asked for is not held by us.",
            )
        }],
    }
}

fn item_b(n: &WrittenNotice) -> NoticeItem {
    let line = match (&n.holder, n.under_control) {
        (_, true) => Said::new(
            "Tidak berlaku: informasi ada pada kami.",
            "Does not apply: we hold the information.",
        ),
        (Some(h), false) => Said::new(
            format!(
                "Informasi tersebut dikuasai oleh {h}. Silakan ajukan permohonan kepada badan publik tersebut."
            ),
            format!("The information is held by {h}. Please send your request to that body."),
        ),
        (None, false) => Said::new(
            "Kami tidak mengetahui badan publik yang menguasai informasi tersebut.",
            "We do not know which public body holds the information.",
        ),
    };
    NoticeItem {
        letter: 'b',
        heading: Said::new(
            "Badan publik yang menguasai informasi",
            "The body that holds the information",
        ),
        lines: vec![line],
    }
}

fn item_c(d: &Decision, test_reference: Option<&str>) -> NoticeItem {
    let n = &d.notice;
    let verdict = match d.outcome {
        Outcome::Granted => Said::new(
            "Permohonan Anda diterima seluruhnya.",
            "Your request is granted in full.",
        ),
        Outcome::PartiallyGranted => Said::new(
            "Permohonan Anda diterima sebagian.",
            "Your request is granted in part.",
        ),
        Outcome::RejectedExempt => Said::new(
            "Permohonan Anda ditolak karena informasi yang diminta termasuk informasi yang dikecualikan.",
            "Your request is refused because the information is exempt from disclosure.",
        ),
        Outcome::NotHeld => Said::new(
            "Permohonan Anda ditolak karena informasi tidak dikuasai oleh badan publik ini.",
            "Your request is refused because this body does not hold the information.",
        ),
        Outcome::NotDocumented => Said::new(
            "Permohonan Anda ditolak karena informasi belum didokumentasikan.",
            "Your request is refused because the information has not been documented yet.",
        ),
    };
    let mut lines = vec![verdict];
    let reasons = n.reasons.trim();
    if !reasons.is_empty() {
        lines.push(Said::new(
            format!("Alasan: {reasons}"),
            format!("Reasons: {reasons}"),
        ));
    }
    for g in &d.grounds {
        let c = ground_citation(*g);
        let e = ground_explained(*g);
        lines.push(Said::new(
            format!("{}: {}.", c.id, e.id),
            format!("{}: {}.", c.en, e.en),
        ));
    }
    if let Some(r) = test_reference.map(str::trim).filter(|r| !r.is_empty()) {
        lines.push(Said::new(
            format!("Pengecualian ini ditetapkan melalui uji konsekuensi {r}."),
            format!("The exemption rests on consequence test {r}."),
        ));
    }
    NoticeItem {
        letter: 'c',
        heading: Said::new(
            "Diterima atau ditolak, dan alasannya",
            "Granted or refused, and why",
        ),
        lines,
    }
}

fn item_d(d: &Decision) -> NoticeItem {
    let line = match d.notice.material.as_deref().map(str::trim) {
        Some(m) if !m.is_empty() => Said::new(m, m),
        _ if d.outcome.grants() => Said::new(
            "Informasi sebagaimana yang Anda minta.",
            "The information as you asked for it.",
        ),
        _ => Said::new("Tidak ada materi yang diberikan.", "No material is given."),
    };
    NoticeItem {
        letter: 'd',
        heading: Said::new("Materi yang diberikan", "Material given"),
        lines: vec![line],
    }
}

fn item_e(n: &WrittenNotice) -> NoticeItem {
    let lines = if n.redactions.is_empty() {
        vec![Said::new(
            "Tidak ada bagian yang dihitamkan.",
            "No part is blacked out.",
        )]
    } else {
        n.redactions
            .iter()
            .map(|r| {
                let c = ground_citation(r.ground);
                Said::new(
                    format!("{} ({}): {}", r.part.trim(), c.id, r.reason.trim()),
                    format!("{} ({}): {}", r.part.trim(), c.en, r.reason.trim()),
                )
            })
            .collect()
    };
    NoticeItem {
        letter: 'e',
        heading: Said::new(
            "Bagian yang dihitamkan dan alasannya",
            "Parts blacked out, and why",
        ),
        lines,
    }
}

fn item_f(n: &WrittenNotice) -> NoticeItem {
    let (d, f) = (delivery_said(n.delivery), format_said(n.format));
    NoticeItem {
        letter: 'f',
        heading: Said::new(
            "Cara penyampaian dan format informasi",
            "How and in what form it is given",
        ),
        lines: vec![Said::new(
            format!("Disampaikan melalui {} dalam bentuk {}.", d.id, f.id),
            format!("Given by {} as {}.", d.en, f.en),
        )],
    }
}

fn item_g(n: &WrittenNotice) -> NoticeItem {
    let line = if n.fee.amount_idr == 0 {
        Said::new("Tanpa biaya.", "Free of charge.")
    } else {
        let amount = rupiah(n.fee.amount_idr);
        match n
            .fee
            .method
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty())
        {
            Some(m) => Said::new(
                format!(
                    "Biaya {amount} (biaya nyata penggandaan atau pengiriman), dibayar melalui {m}."
                ),
                format!("A fee of {amount} (the actual cost of copying or sending), paid by {m}."),
            ),
            None => Said::new(
                format!(
                    "Biaya {amount} (biaya nyata penggandaan atau pengiriman); cara pembayaran diberitahukan petugas."
                ),
                format!(
                    "A fee of {amount} (the actual cost of copying or sending); the officer will tell you how to pay."
                ),
            ),
        }
    };
    NoticeItem {
        letter: 'g',
        heading: Said::new("Biaya dan cara pembayaran", "Fee and how to pay"),
        lines: vec![line],
    }
}

#[cfg(test)]
mod tests;
