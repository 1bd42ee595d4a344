//! The personal-data check run before an answer or a document is published (domain spec §11.4):
//! NIK, KK numbers, phone numbers, e-mail addresses and bank account numbers.
//!
//! It errs on the side of flagging: an officer confirms what is really public, so a false alarm
//! costs a click while a miss can cost a criminal case (UU PDP Pasal 67, Adminduk Pasal 95A).

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
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
        fn findings_are_ordered_disjoint_and_on_char_boundaries(t in "\\PC{0,300}") {
            let f = scan(&t);
            for w in f.windows(2) {
                prop_assert!(w[0].end <= w[1].start);
            }
            for x in &f {
                prop_assert!(t.is_char_boundary(x.start) && t.is_char_boundary(x.end));
            }
            let _ = redact(&t, &[]);
        }
    }
}
