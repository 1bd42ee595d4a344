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

    proptest! {
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
