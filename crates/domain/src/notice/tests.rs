use super::*;
use crate::request::{Fee, Redaction};
use proptest::prelude::*;
use time::macros::date;

fn decision(outcome: Outcome) -> Decision {
    Decision {
        outcome,
        grounds: Vec::new(),
        consequence_test: None,
        decided_on: date!(2026 - 02 - 10),
        notice: WrittenNotice {
            under_control: outcome != Outcome::NotHeld,
            holder: None,
            accepted: outcome.grants(),
            reasons: String::new(),
            material: None,
            redactions: Vec::new(),
            delivery: Delivery::Email,
            format: Obtain::Softcopy,
            fee: Fee::default(),
        },
    }
}

fn all_text(items: &[NoticeItem], english: bool) -> String {
    items
        .iter()
        .flat_map(|i| std::iter::once(&i.heading).chain(&i.lines))
        .map(|s| s.pick(english))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_partial_grant_reads_in_plain_words() {
    let mut d = decision(Outcome::PartiallyGranted);
    d.grounds = vec![ExemptionGround::H];
    d.notice.reasons = "Data pribadi penerima bantuan tidak dibuka.".into();
    d.notice.material = Some("Daftar penerima bantuan 2025 tanpa NIK".into());
    d.notice.redactions = vec![Redaction {
        part: "Kolom NIK".into(),
        ground: ExemptionGround::H,
        reason: "Rahasia pribadi".into(),
    }];
    d.notice.fee = Fee {
        amount_idr: 15_000,
        method: Some("transfer ke rekening kas daerah".into()),
    };
    let items = notice_items(&d, Some("UK-0003/2026 tanggal 5 Februari 2026"));
    let text = all_text(&items, false);
    for needle in [
        "Permohonan Anda diterima sebagian.",
        "Alasan: Data pribadi penerima bantuan tidak dibuka.",
        "Pasal 17 huruf h UU 14/2008: informasi yang bila dibuka dapat mengungkap rahasia pribadi.",
        "uji konsekuensi UK-0003/2026 tanggal 5 Februari 2026",
        "Daftar penerima bantuan 2025 tanpa NIK",
        "Kolom NIK (Pasal 17 huruf h UU 14/2008): Rahasia pribadi",
        "Disampaikan melalui surat elektronik dalam bentuk salinan elektronik (softcopy).",
        "Biaya Rp15.000",
        "transfer ke rekening kas daerah",
    ] {
        assert!(text.contains(needle), "{needle} missing from\n{text}");
    }
    assert!(all_text(&items, true).contains("Article 17(h) of Law 14/2008"));
}

#[test]
fn not_held_names_the_holder_or_says_it_is_unknown() {
    let mut d = decision(Outcome::NotHeld);
    let text = all_text(&notice_items(&d, None), false);
    assert!(text.contains("tidak berada di bawah penguasaan kami"));
    assert!(text.contains("Kami tidak mengetahui badan publik"));
    d.notice.holder = Some("Badan Pertanahan Nasional".into());
    let text = all_text(&notice_items(&d, None), false);
    assert!(text.contains("dikuasai oleh Badan Pertanahan Nasional"));
    assert!(text.contains("Tidak ada materi yang diberikan."));
}

#[test]
fn amounts_in_rupiah() {
    assert_eq!(rupiah(0), "Rp0");
    assert_eq!(rupiah(500), "Rp500");
    assert_eq!(rupiah(1_000), "Rp1.000");
    assert_eq!(rupiah(1_234_567), "Rp1.234.567");
}

fn any_outcome() -> impl Strategy<Value = Outcome> {
    proptest::sample::select(Outcome::ALL.to_vec())
}

fn any_ground() -> impl Strategy<Value = ExemptionGround> {
    proptest::sample::select(ExemptionGround::ALL.to_vec())
}

prop_compose! {
    fn any_decision()(
        outcome in any_outcome(),
        grounds in proptest::collection::vec(any_ground(), 0..4),
        holder in proptest::option::of("[A-Z][a-z]{2,12} [A-Z][a-z]{2,12}"),
        reasons in "[a-zA-Z ]{0,40}",
        material in proptest::option::of("[a-zA-Z0-9 ]{1,40}"),
        redactions in proptest::collection::vec(("[A-Z][a-z]{2,10}", any_ground(), "[a-z]{3,12}"), 0..3),
        delivery in proptest::sample::select(Delivery::ALL.to_vec()),
        format in proptest::sample::select(Obtain::ALL.to_vec()),
        fee in prop_oneof![Just(0u64), 1u64..10_000_000],
        method in proptest::option::of("[a-z ]{3,20}"),
    ) -> Decision {
        let mut d = decision(outcome);
        d.grounds = grounds;
        d.notice.holder = holder;
        d.notice.reasons = reasons;
        d.notice.material = material;
        d.notice.redactions = redactions
            .into_iter()
            .map(|(part, ground, reason)| Redaction { part, ground, reason })
            .collect();
        d.notice.delivery = delivery;
        d.notice.format = format;
        d.notice.fee = Fee { amount_idr: fee, method };
        d
    }
}

proptest! {
    /// Every notice has the seven items in the law's order, each with an answer in both
    /// languages, whatever was decided.
    #[test]
    fn every_notice_has_items_a_to_g(d in any_decision()) {
        let items = notice_items(&d, None);
        let letters: String = items.iter().map(|i| i.letter).collect();
        prop_assert_eq!(letters, "abcdefg");
        for i in &items {
            prop_assert!(!i.lines.is_empty());
            for l in &i.lines {
                prop_assert!(!l.id.trim().is_empty() && !l.en.trim().is_empty());
            }
        }
    }

    /// What the officer wrote (reasons, material, holder, redactions, payment method) reaches
    /// the reader word for word, and no stored code (`17h`, `softcopy`, `pickup`) does.
    #[test]
    fn the_officers_words_are_kept_and_no_code_shows(d in any_decision()) {
        let items = notice_items(&d, None);
        for english in [false, true] {
            let text = all_text(&items, english);
            let n = &d.notice;
            if !n.reasons.trim().is_empty() {
                prop_assert!(text.contains(n.reasons.trim()));
            }
            if let Some(m) = n.material.as_deref().filter(|m| !m.trim().is_empty()) {
                prop_assert!(text.contains(m.trim()));
            }
            if let (Some(h), false) = (&n.holder, n.under_control) {
                prop_assert!(text.contains(h.as_str()));
            }
            for r in &n.redactions {
                prop_assert!(text.contains(r.part.trim()) && text.contains(r.reason.trim()));
            }
            if n.fee.amount_idr > 0 {
                prop_assert!(text.contains(&rupiah(n.fee.amount_idr)));
            }
            for g in d.grounds.iter().chain(n.redactions.iter().map(|r| &r.ground)) {
                prop_assert!(text.contains(ground_citation(*g).pick(english)));
            }
            // Officer-typed text is random letters; a code could only come from us. Codes
            // that are English words are looked for in the Indonesian text only.
            let mut ours = text.replace(n.reasons.as_str(), "");
            for typed in n.material.iter().chain(n.holder.iter())
                .chain(n.redactions.iter().flat_map(|r| [&r.part, &r.reason]))
            {
                ours = ours.replace(typed.as_str(), "");
            }
            let words: Vec<&str> = ours.split(|c: char| !c.is_alphanumeric() && c != '_').collect();
            for code in Delivery::ALL.iter().map(|x| x.as_str())
                .chain(Obtain::ALL.iter().map(|x| x.as_str()))
                .chain(ExemptionGround::ALL.iter().map(|x| x.as_str()))
                .chain(Outcome::ALL.iter().map(|x| x.as_str()))
                .filter(|c| !english || c.contains(|ch: char| ch == '_' || ch.is_ascii_digit()))
                .filter(|c| !matches!(*c, "softcopy" | "hardcopy"))
            {
                prop_assert!(!words.contains(&code), "code {} shown", code);
            }
        }
    }
}
