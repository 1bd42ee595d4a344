//! Registration numbers (*nomor pendaftaran*, spec §4.4). The law prescribes no national format;
//! Lentera follows the spec's recommended pattern with `-` for `/`, so that a number is one path
//! segment in a URL and can be read out over the telephone. The sequence comes from the
//! store's per-body, per-year counter; this module only writes it out.

/// How one kind of number is written for one body and year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberPattern {
    /// A request: `{seq:04}-PPID-{code}-{MM}-{YYYY}` (month and year of receipt).
    Request { code: String, month: u8, year: i32 },
    /// An objection: `KEB-{seq:04}-{code}-{YYYY}`.
    Objection { code: String, year: i32 },
}

impl NumberPattern {
    /// The year whose counter numbers it (the sequence restarts every year).
    pub fn year(&self) -> i32 {
        match self {
            Self::Request { year, .. } | Self::Objection { year, .. } => *year,
        }
    }

    /// The number with sequence `seq` (1 for the year's first).
    pub fn format(&self, seq: i64) -> String {
        match self {
            Self::Request { code, month, year } => {
                format!("{seq:04}-PPID-{code}-{month:02}-{year}")
            }
            Self::Objection { code, year } => format!("KEB-{seq:04}-{code}-{year}"),
        }
    }
}

/// A body's pattern for the numbers of its letters (*nomor surat*), set by its administrator:
/// placeholders `{seq}` (the year's sequence, from 1), `{seq:N}` (padded to N digits, N ≤ 9),
/// `{code}` (the body's code), `{kind}` (the letter's kind code, e.g. `TBP`), `{month}`
/// (`01`–`12`), `{month_roman}` (`I`–`XII`) and `{year}`. One sequence per body and year runs
/// through every kind, so a pattern must hold `{seq}` and `{year}`: without the year, numbers
/// of two years would meet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterPattern(Vec<Piece>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Seq(usize),
    Code,
    Kind,
    Month,
    MonthRoman,
    Year,
}

/// Why a letter pattern was refused (a field error code of the admin form).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterPatternError {
    /// Over 120 characters, or a control character.
    Malformed,
    /// `{something}` that is not one of the placeholders, or a `{` left open.
    UnknownPlaceholder,
    /// No `{seq}`, or no `{year}`.
    MissingSeqOrYear,
}

impl LetterPatternError {
    pub fn code(self) -> &'static str {
        match self {
            Self::Malformed => "malformed",
            Self::UnknownPlaceholder => "unknown_placeholder",
            Self::MissingSeqOrYear => "missing_seq_or_year",
        }
    }
}

/// The month in Roman numerals, as Indonesian letter numbers write it.
pub fn month_roman(month: u8) -> &'static str {
    const ROMAN: [&str; 12] = [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
    ];
    ROMAN[usize::from(month.clamp(1, 12)) - 1]
}

impl LetterPattern {
    /// The pattern a body starts with.
    pub const DEFAULT: &'static str = "{seq}/{code}/PPID/{month_roman}/{year}";

    pub fn parse(text: &str) -> Result<Self, LetterPatternError> {
        let text = text.trim();
        if text.is_empty() || text.chars().count() > 120 || text.chars().any(char::is_control) {
            return Err(LetterPatternError::Malformed);
        }
        let mut pieces = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            if rest[..open].contains('}') {
                return Err(LetterPatternError::UnknownPlaceholder);
            }
            if open > 0 {
                pieces.push(Piece::Text(rest[..open].to_owned()));
            }
            let after = &rest[open + 1..];
            let close = after
                .find('}')
                .ok_or(LetterPatternError::UnknownPlaceholder)?;
            let name = &after[..close];
            pieces.push(match name {
                "seq" => Piece::Seq(0),
                "code" => Piece::Code,
                "kind" => Piece::Kind,
                "month" => Piece::Month,
                "month_roman" => Piece::MonthRoman,
                "year" => Piece::Year,
                _ => match name
                    .strip_prefix("seq:")
                    .and_then(|w| w.parse::<usize>().ok())
                {
                    Some(w) if (1..=9).contains(&w) => Piece::Seq(w),
                    _ => return Err(LetterPatternError::UnknownPlaceholder),
                },
            });
            rest = &after[close + 1..];
        }
        if rest.contains('}') {
            return Err(LetterPatternError::UnknownPlaceholder);
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest.to_owned()));
        }
        let has = |f: fn(&Piece) -> bool| pieces.iter().any(f);
        if !has(|p| matches!(p, Piece::Seq(_))) || !has(|p| matches!(p, Piece::Year)) {
            return Err(LetterPatternError::MissingSeqOrYear);
        }
        Ok(Self(pieces))
    }

    /// The default pattern, parsed.
    pub fn standard() -> Self {
        Self::parse(Self::DEFAULT).unwrap_or_else(|_| Self(vec![Piece::Seq(0), Piece::Year]))
    }

    /// The number of letter `seq` of the year `year`, issued in `month`.
    pub fn format(&self, seq: i64, code: &str, kind: &str, month: u8, year: i32) -> String {
        let mut out = String::new();
        for p in &self.0 {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Seq(0) => out.push_str(&seq.to_string()),
                Piece::Seq(w) => out.push_str(&format!("{seq:0w$}", w = *w)),
                Piece::Code => out.push_str(code),
                Piece::Kind => out.push_str(kind),
                Piece::Month => out.push_str(&format!("{:02}", month.clamp(1, 12))),
                Piece::MonthRoman => out.push_str(month_roman(month)),
                Piece::Year => out.push_str(&year.to_string()),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::NumberPattern;
    use proptest::prelude::*;

    #[test]
    fn the_spec_patterns_with_dashes() {
        let r = NumberPattern::Request {
            code: "KOMINFO".into(),
            month: 3,
            year: 2026,
        };
        assert_eq!(r.format(7), "0007-PPID-KOMINFO-03-2026");
        assert_eq!(r.format(12345), "12345-PPID-KOMINFO-03-2026");
        let o = NumberPattern::Objection {
            code: "KOMINFO".into(),
            year: 2026,
        };
        assert_eq!(o.format(1), "KEB-0001-KOMINFO-2026");
        assert_eq!((r.year(), o.year()), (2026, 2026));
    }

    use super::{LetterPattern, LetterPatternError, month_roman};

    #[test]
    fn letter_numbers_follow_the_default_pattern() {
        let p = LetterPattern::standard();
        assert_eq!(
            p.format(7, "DISKOMINFO", "TBP", 3, 2026),
            "7/DISKOMINFO/PPID/III/2026"
        );
        let q = LetterPattern::parse("{kind}-{seq:3}/{code}/{month}/{year}").expect("pattern");
        assert_eq!(q.format(7, "DKI", "PT", 11, 2026), "PT-007/DKI/11/2026");
        assert_eq!(month_roman(12), "XII");
        assert_eq!(month_roman(4), "IV");
    }

    #[test]
    fn a_letter_pattern_without_its_sequence_or_year_is_refused() {
        for (text, why) in [
            ("{code}/PPID/{year}", LetterPatternError::MissingSeqOrYear),
            ("{seq}/{code}", LetterPatternError::MissingSeqOrYear),
            ("{seq}/{tahun}", LetterPatternError::UnknownPlaceholder),
            ("{seq}/{year", LetterPatternError::UnknownPlaceholder),
            ("{seq}}/{year}", LetterPatternError::UnknownPlaceholder),
            ("{seq:12}/{year}", LetterPatternError::UnknownPlaceholder),
            ("", LetterPatternError::Malformed),
            ("{seq}/\n{year}", LetterPatternError::Malformed),
        ] {
            assert_eq!(LetterPattern::parse(text), Err(why), "{text}");
        }
    }

    proptest! {
        /// Within a year, distinct sequences give distinct numbers; the same sequence in two
        /// years too — whatever the accepted pattern.
        #[test]
        fn letter_numbers_never_meet(
            prefix in "[A-Z./-]{0,6}", sep in "[/.-]", padded in 0usize..6,
            a in 1i64..100_000, b in 1i64..100_000, y in 2020i32..2100, month in 1u8..=12,
        ) {
            let seq = if padded == 0 { "{seq}".to_owned() } else { format!("{{seq:{padded}}}") };
            let p = LetterPattern::parse(&format!("{prefix}{seq}{sep}{{code}}{sep}{{month_roman}}{sep}{{year}}"))
                .expect("pattern");
            let (na, nb) = (p.format(a, "KOT", "TBP", month, y), p.format(b, "KOT", "TBP", month, y));
            prop_assert_eq!(a == b, na == nb);
            prop_assert_ne!(p.format(a, "KOT", "TBP", month, y), p.format(a, "KOT", "TBP", month, y + 1));
        }

        /// Any text is either refused with a reason or gives a pattern that formats.
        #[test]
        fn any_text_parses_or_is_refused(text in "[{}a-z_:0-9/ -]{0,40}") {
            if let Ok(p) = LetterPattern::parse(&text) {
                let n = p.format(1, "C", "K", 1, 2026);
                prop_assert!(n.contains("2026") && n.contains('1'));
            }
        }

        /// Distinct sequences give distinct numbers, each one URL path segment.
        #[test]
        fn numbers_are_distinct_and_path_safe(a in 1i64..100_000, b in 1i64..100_000,
                                              month in 1u8..=12, year in 2020i32..2100) {
            let p = NumberPattern::Request { code: "DISKOMINFO".into(), month, year };
            let (na, nb) = (p.format(a), p.format(b));
            prop_assert_eq!(a == b, na == nb);
            prop_assert!(na.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-'));
        }
    }
}
