//! The personal-data check run before an answer or a document is published (domain spec §11.4):
//! NIK, KK numbers, phone numbers, e-mail addresses and bank account numbers.
//!
//! It errs on the side of flagging: an officer confirms what is really public, so a false alarm
//! costs a click while a miss can cost a criminal case (UU PDP Pasal 67, Adminduk Pasal 95A).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonalKind {
    Nik,
    FamilyCard,
    Phone,
    Email,
    BankAccount,
}

impl PersonalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Nik => "nik",
            Self::FamilyCard => "kk",
            Self::Phone => "phone",
            Self::Email => "email",
            Self::BankAccount => "bank_account",
        }
    }

    pub fn label_id(self) -> &'static str {
        match self {
            Self::Nik => "NIK",
            Self::FamilyCard => "Nomor Kartu Keluarga",
            Self::Phone => "Nomor telepon",
            Self::Email => "Alamat surel",
            Self::BankAccount => "Nomor rekening bank",
        }
    }

    /// What the public sees in place of a value of this kind.
    pub fn mark(self) -> &'static str {
        match self {
            Self::Email => "[surel disamarkan]",
            _ => "[nomor disamarkan]",
        }
    }
}

/// How much of a document's text the check could read. Anything but [`TextStatus::Read`]
/// means the scanner did not see all of it, so an officer must look before it is public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextStatus {
    /// All of it.
    Read,
    /// Only the beginning: the rest lay beyond the extraction limit.
    Partial,
    /// No text at all, as in a scan without a text layer.
    Empty,
    /// A type without text (an image).
    Unsupported,
    /// The extractor failed on the file.
    Failed,
}

impl TextStatus {
    pub const ALL: [Self; 5] = [
        Self::Read,
        Self::Partial,
        Self::Empty,
        Self::Unsupported,
        Self::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Partial => "partial",
            Self::Empty => "empty",
            Self::Unsupported => "unsupported",
            Self::Failed => "failed",
        }
    }

    /// An unknown stored value counts as unread: the check fails closed.
    pub fn parse(s: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .unwrap_or(Self::Failed)
    }

    pub fn is_complete(self) -> bool {
        self == Self::Read
    }

    pub fn label_id(self) -> &'static str {
        match self {
            Self::Read => "Terbaca seluruhnya",
            Self::Partial => "Hanya sebagian yang terbaca (berkas terlalu panjang)",
            Self::Empty => "Tidak ada teks yang terbaca (misalnya hasil pindaian)",
            Self::Unsupported => "Gambar: teksnya tidak dapat dibaca",
            Self::Failed => "Berkas tidak dapat dibaca",
        }
    }
}

/// One suspected piece of personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub kind: PersonalKind,
    /// Byte range in the scanned text.
    pub start: usize,
    pub end: usize,
    /// Shown to officers instead of the value itself.
    pub masked: String,
    /// Stable across scans of the same value: what a confirmation refers to.
    pub key: String,
}

/// Whole words before a number that make it a bank account ("rek." and "no rek" give `rek`).
const BANK_WORDS: &[&str] = &[
    "rekening", "rek", "norek", "account", "bank", "bri", "bni", "bca", "mandiri", "bsi", "btn",
    "cimb", "danamon", "permata", "va",
];

/// Words that say what the number right after them is. People mistype and regroup these numbers
/// ("NIK 3302 0157 0890 012"), so after such a word any run of 8 to 20 digits is flagged.
const NAMING_WORDS: &[(&str, PersonalKind)] = &[
    ("nik", PersonalKind::Nik),
    ("ktp", PersonalKind::Nik),
    ("kk", PersonalKind::FamilyCard),
    ("telp", PersonalKind::Phone),
    ("tlp", PersonalKind::Phone),
    ("telepon", PersonalKind::Phone),
    ("hp", PersonalKind::Phone),
    ("ponsel", PersonalKind::Phone),
    ("wa", PersonalKind::Phone),
    ("whatsapp", PersonalKind::Phone),
];

/// The kind named by one of the last three words before a number, the nearest first.
fn named_kind(words: &[&str]) -> Option<PersonalKind> {
    words.iter().rev().take(3).find_map(|w| {
        NAMING_WORDS
            .iter()
            .find(|(name, _)| name == w)
            .map(|(_, k)| *k)
    })
}

fn context_words(ctx: &str) -> Vec<&str> {
    ctx.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Scans `text`; findings are sorted and never overlap.
pub fn scan(text: &str) -> Vec<Finding> {
    let mut out = emails(text);
    out.extend(numbers(text));
    out.sort_by_key(|f| (f.start, f.end));
    let mut last_end = 0;
    out.retain(|f| {
        let keep = f.start >= last_end;
        if keep {
            last_end = f.end;
        }
        keep
    });
    out
}

/// Replaces every finding whose key is not in `confirmed` with a visible blackout mark.
pub fn redact(text: &str, confirmed: &[String]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for f in scan(text) {
        if confirmed.contains(&f.key) {
            continue;
        }
        out.push_str(&text[at..f.start]);
        out.push_str("[dihitamkan]");
        at = f.end;
    }
    out.push_str(&text[at..]);
    out
}

/// `text` with every finding replaced by its mark, cut to at most `max_chars` characters: what
/// the public may read of free text typed by applicants (domain spec §11.3). The scan runs on
/// the whole text before the cut, so a number straddling the cut is still found, and a mark is
/// left out whole rather than cut.
pub fn masked_excerpt(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars * 4));
    let mut room = max_chars;
    let mut at = 0;
    for f in scan(text) {
        if !push_within(&mut out, &mut room, &text[at..f.start]) {
            return out;
        }
        let mark = f.kind.mark();
        let len = mark.chars().count();
        if len > room {
            return out;
        }
        out.push_str(mark);
        room -= len;
        at = f.end;
    }
    push_within(&mut out, &mut room, &text[at..]);
    out
}

/// Appends as much of `s` as `room` characters allow; false when something was left out.
fn push_within(out: &mut String, room: &mut usize, s: &str) -> bool {
    for c in s.chars() {
        if *room == 0 {
            return false;
        }
        out.push(c);
        *room -= 1;
    }
    true
}

fn finding(kind: PersonalKind, start: usize, end: usize, normal: &str) -> Finding {
    let masked = match kind {
        PersonalKind::Email => {
            let (user, domain) = normal.split_once('@').unwrap_or((normal, ""));
            let first: String = user.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        _ => {
            let n = normal.chars().count();
            let tail: String = normal.chars().skip(n.saturating_sub(3)).collect();
            format!("{}{tail}", "*".repeat(n.saturating_sub(3)))
        }
    };
    Finding {
        kind,
        start,
        end,
        masked,
        key: format!("{}:{:016x}", kind.as_str(), fnv1a(normal.as_bytes())),
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn is_local(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn is_domain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
}

fn emails(text: &str) -> Vec<Finding> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    for (i, _) in text.match_indices('@') {
        let mut s = i;
        while s > 0 && is_local(b[s - 1]) {
            s -= 1;
        }
        while s < i && matches!(b[s], b'.' | b'-' | b'+') {
            s += 1;
        }
        let mut e = i + 1;
        while e < b.len() && is_domain(b[e]) {
            e += 1;
        }
        while e > i + 1 && matches!(b[e - 1], b'.' | b'-') {
            e -= 1;
        }
        let domain = &text[i + 1..e];
        let tld_ok = domain.rsplit_once('.').is_some_and(|(host, tld)| {
            !host.is_empty() && tld.len() >= 2 && tld.bytes().all(|c| c.is_ascii_alphabetic())
        });
        if s < i && tld_ok {
            out.push(finding(
                PersonalKind::Email,
                s,
                e,
                &text[s..e].to_ascii_lowercase(),
            ));
        }
    }
    out
}

/// The lower-cased 40 bytes before `at`, on a char boundary.
fn context_before(text: &str, at: usize) -> String {
    let mut s = at.saturating_sub(40);
    while !text.is_char_boundary(s) {
        s += 1;
    }
    text[s..at].to_lowercase()
}

fn numbers(text: &str) -> Vec<Finding> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        // Numbers glued to letters or slashes are codes ("0012/PPID", "A1234"), not identities.
        let glued_before = i > 0 && (b[i - 1].is_ascii_alphabetic() || b[i - 1] == b'/');
        let plus = i > 0 && b[i - 1] == b'+';
        let start = if plus { i - 1 } else { i };
        let mut digits = String::new();
        let mut j = i;
        let mut end = i;
        while j < b.len() {
            if b[j].is_ascii_digit() {
                digits.push(char::from(b[j]));
                j += 1;
                end = j;
            } else if matches!(b[j], b' ' | b'-' | b'.')
                && j + 1 < b.len()
                && b[j + 1].is_ascii_digit()
                && digits.len() < 16
            {
                // One separator between digit groups, as people write "0812-3456-7890".
                j += 1;
            } else {
                break;
            }
        }
        let glued_after = end < b.len() && (b[end].is_ascii_alphabetic() || b[end] == b'/');
        i = end.max(i + 1);
        if glued_before || glued_after {
            continue;
        }
        let n = digits.len();
        let ctx = context_before(text, start);
        let words = context_words(&ctx);
        let kind = if (10..=16).contains(&n)
            && words.iter().any(|w| BANK_WORDS.contains(w))
            && !words.contains(&"nik")
        {
            Some(PersonalKind::BankAccount)
        } else if n == 16 {
            if words.contains(&"kk") || ctx.contains("kartu keluarga") {
                Some(PersonalKind::FamilyCard)
            } else {
                Some(PersonalKind::Nik)
            }
        } else if (plus && digits.starts_with("62") && (10..=14).contains(&n))
            || (digits.starts_with("628") && (11..=14).contains(&n))
            || (digits.starts_with("08") && (10..=13).contains(&n))
        {
            Some(PersonalKind::Phone)
        } else if (8..=20).contains(&n) {
            named_kind(&words)
        } else {
            None
        };
        if let Some(kind) = kind {
            let normal = if kind == PersonalKind::Phone && digits.starts_with('0') {
                format!("62{}", &digits[1..])
            } else {
                digits
            };
            out.push(finding(kind, start, end, &normal));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn kinds(text: &str) -> Vec<PersonalKind> {
        scan(text).into_iter().map(|f| f.kind).collect()
    }

    #[test]
    fn finds_each_kind_in_indonesian_text() {
        let t = "Pemohon NIK 3374014501900002, No. KK 3374010101080011, HP 0812-3456-7890 \
                 atau +62 811 222 3333, surel budi.s@contoh.go.id, rekening BRI 0123 0100 1234 567.";
        assert_eq!(
            kinds(t),
            vec![
                PersonalKind::Nik,
                PersonalKind::FamilyCard,
                PersonalKind::Phone,
                PersonalKind::Phone,
                PersonalKind::Email,
                PersonalKind::BankAccount
            ]
        );
    }

    #[test]
    fn bank_words_count_only_as_whole_words() {
        // "bersubsidi" contains "bsi", "fabrik" contains "bri": neither makes a phone an account.
        let t = "Daftar penerima pupuk bersubsidi per desa. Pengaduan: 0812 3456 7890.";
        assert_eq!(kinds(t), vec![PersonalKind::Phone]);
        assert_eq!(
            kinds("No. Rek. 1234567890"),
            vec![PersonalKind::BankAccount]
        );
    }

    #[test]
    fn codes_dates_and_money_are_not_flagged() {
        let t = "Nomor 0012/PPID-KENDAL/2026 tanggal 2026-02-02, anggaran Rp 1.250.000.000 \
                 untuk 2.500 penerima, pasal 17 huruf h.";
        assert_eq!(kinds(t), vec![]);
    }

    #[test]
    fn same_value_same_key_whatever_the_spelling() {
        let a = scan("telp 081234567890");
        let b = scan("telp +62 812-3456-7890");
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].key, b[0].key);
        assert!(!a[0].masked.contains("1234567"));
    }

    #[test]
    fn redaction_keeps_confirmed_values() {
        let t = "Hubungi humas@kendalkab.go.id atau 081234567890.";
        let keys: Vec<String> = scan(t)
            .into_iter()
            .filter(|f| f.kind == PersonalKind::Email)
            .map(|f| f.key)
            .collect();
        let r = redact(t, &keys);
        assert_eq!(r, "Hubungi humas@kendalkab.go.id atau [dihitamkan].");
        assert!(scan(&redact(t, &[])).is_empty());
    }

    #[test]
    fn spaced_and_mistyped_numbers_after_their_name_are_found() {
        let t = "NIK 3302 0157 0890 0123 telp 0812 3456 7890";
        assert_eq!(kinds(t), vec![PersonalKind::Nik, PersonalKind::Phone]);
        assert_eq!(kinds("no. KTP 3302 0157 0890 012"), vec![PersonalKind::Nik]);
        assert_eq!(kinds("telp. kantor 0294-381234"), vec![PersonalKind::Phone]);
        // Too far from the word, or too short, it is just a number.
        assert_eq!(kinds("NIK terlampir pada berkas nomor 1234567890"), vec![]);
        assert_eq!(kinds("NIK 1234567"), vec![]);
    }

    #[test]
    fn the_public_excerpt_masks_before_cutting_and_never_cuts_a_mark() {
        let t = "NIK 3302 0157 0890 0123 telp 0812 3456 7890, surel budi@contoh.id";
        let m = masked_excerpt(t, 160);
        assert_eq!(
            m,
            "NIK [nomor disamarkan] telp [nomor disamarkan], surel [surel disamarkan]"
        );
        // The phone number starts before the cut and ends after it: left out whole.
        let lead = "a".repeat(150);
        let t = format!("{lead} HP 0812 3456 7890 ok");
        let m = masked_excerpt(&t, 160);
        assert_eq!(m, format!("{lead} HP "));
        assert!(!m.contains("0812"));
        let m = masked_excerpt(&t, 200);
        assert_eq!(m, format!("{lead} HP [nomor disamarkan] ok"));
        assert_eq!(masked_excerpt("ééé", 2), "éé");
    }

    #[test]
    fn unknown_text_states_count_as_unread() {
        for t in TextStatus::ALL {
            assert_eq!(TextStatus::parse(t.as_str()), t);
        }
        assert_eq!(TextStatus::parse("?"), TextStatus::Failed);
        assert!(!TextStatus::Failed.is_complete());
    }

    /// Any text with NIKs, telephone numbers and e-mail addresses set between its words.
    fn text_with_personal_data() -> impl Strategy<Value = String> {
        let secret = prop_oneof![
            "[1-9][0-9]{15}",
            "08[1-9][0-9]{8,10}",
            "\\+628[1-9][0-9]{8,10}",
            "[a-z]{2,10}@[a-z]{2,10}\\.(id|com|go\\.id)",
        ];
        let piece = prop_oneof![2 => "\\PC{0,40}", 1 => secret.clone()];
        (secret, proptest::collection::vec(piece, 0..6)).prop_map(|(first, rest)| {
            let mut words = vec![first];
            words.extend(rest);
            // `;` ends a digit group, so neighbouring digits never join a secret.
            words.join(" ; ")
        })
    }

    proptest! {
        #[test]
        fn a_nik_in_any_text_is_found(
            before in "[a-zA-Z ,.]{0,60}",
            nik in "[1-9][0-9]{15}",
            after in "[a-zA-Z ,.]{0,60}",
        ) {
            let text = format!("{before} {nik} {after}");
            let found = scan(&text);
            prop_assert!(found.iter().any(|f| &text[f.start..f.end] == nik.as_str()));
            prop_assert!(scan(&redact(&text, &[])).is_empty());
        }

        #[test]
        fn text_without_digits_or_at_signs_is_clean(t in "[^0-9@]{0,200}") {
            prop_assert!(scan(&t).is_empty());
        }

        #[test]
        fn findings_are_ordered_disjoint_and_on_char_boundaries(t in text_with_personal_data()) {
            let f = scan(&t);
            // Every generated text holds at least one NIK, number or address: the loops run.
            prop_assert!(!f.is_empty(), "nothing found in {:?}", t);
            for w in f.windows(2) {
                prop_assert!(w[0].end <= w[1].start);
            }
            for x in &f {
                prop_assert!(t.is_char_boundary(x.start) && t.is_char_boundary(x.end));
            }
            let _ = redact(&t, &[]);
        }

        #[test]
        fn no_digit_of_a_nik_survives_the_public_excerpt(
            before in "[a-zA-Z ,.]{0,200}",
            nik in "[1-9][0-9]{15}",
            after in "[a-zA-Z ,.]{0,60}",
            max in 0usize..300,
        ) {
            let m = masked_excerpt(&format!("{before} {nik} {after}"), max);
            prop_assert!(!m.chars().any(|c| c.is_ascii_digit()), "{m:?}");
        }

        #[test]
        fn the_public_excerpt_is_bounded_and_shows_no_finding(t in text_with_personal_data(), max in 0usize..200) {
            let m = masked_excerpt(&t, max);
            prop_assert!(m.chars().count() <= max);
            let found = scan(&t);
            prop_assert!(!found.is_empty(), "nothing found in {:?}", t);
            for f in found {
                let value = &t[f.start..f.end];
                prop_assert!(value.len() < 8 || !m.contains(value), "{value:?} in {m:?}");
            }
        }
    }
}
