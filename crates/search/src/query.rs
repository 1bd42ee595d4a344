//! Turning untrusted user input into words, phrases and reference candidates. Nothing here can
//! fail: whatever the input, the outcome is a (possibly empty) list of plain words.

use crate::analysis::{exact_analyzer, tokens};
use crate::stem::{is_stopword, stem};
use crate::{MAX_QUERY_CHARS, MAX_QUERY_TOKENS};

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Word {
    /// Lower-cased, ASCII-folded, as typed.
    pub(crate) exact: String,
    pub(crate) stem: String,
    pub(crate) stopword: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ParsedQuery {
    /// Distinct words, in order of appearance.
    pub(crate) words: Vec<Word>,
    /// Quoted runs of two words or more.
    pub(crate) phrases: Vec<Vec<String>>,
    /// Lower-case strings that may be a whole reference number.
    pub(crate) references: Vec<String>,
}

/// The longest input considered as a whole reference number.
const MAX_REFERENCE_LEN: usize = 100;

fn truncate_chars(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((at, _)) => &s[..at],
        None => s,
    }
}

pub(crate) fn parse(input: &str) -> ParsedQuery {
    let input = truncate_chars(input, MAX_QUERY_CHARS);
    let mut analyzer = exact_analyzer();
    let mut parsed = ParsedQuery::default();
    // Odd segments between double quotes are the quoted ones; an unclosed quote simply quotes
    // to the end.
    for (i, segment) in input.split('"').enumerate() {
        let seg_tokens = tokens(&mut analyzer, segment);
        if i % 2 == 1 && seg_tokens.len() >= 2 {
            let mut phrase = seg_tokens.clone();
            phrase.truncate(MAX_QUERY_TOKENS);
            parsed.phrases.push(phrase);
        }
        for token in seg_tokens {
            if parsed.words.len() >= MAX_QUERY_TOKENS {
                break;
            }
            if parsed.words.iter().any(|w| w.exact == token) {
                continue;
            }
            parsed.words.push(Word {
                stem: stem(&token),
                stopword: is_stopword(&token),
                exact: token,
            });
        }
    }
    let mut push_reference = |candidate: &str| {
        let candidate = candidate
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        if !candidate.is_empty()
            && candidate.len() <= MAX_REFERENCE_LEN
            && candidate.chars().any(|c| c.is_ascii_digit())
            && !parsed.references.contains(&candidate)
        {
            parsed.references.push(candidate);
        }
    };
    push_reference(input.trim());
    for chunk in input.split_whitespace().take(MAX_QUERY_TOKENS) {
        push_reference(chunk);
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_deduplicated_folded_and_stemmed() {
        let p = parse("Permohonan  permohonan INFORMASI yang");
        let exact: Vec<_> = p.words.iter().map(|w| w.exact.as_str()).collect();
        assert_eq!(exact, ["permohonan", "informasi", "yang"]);
        assert_eq!(p.words[0].stem, "mohon");
        assert!(p.words[2].stopword);
        assert!(!p.words[0].stopword);
    }

    #[test]
    fn quoted_runs_become_phrases() {
        let p = parse(r#"laporan "realisasi anggaran" 2025 "tunggal""#);
        assert_eq!(p.phrases, [vec!["realisasi", "anggaran"]]);
        assert_eq!(p.words.len(), 5);
    }

    #[test]
    fn reference_candidates_keep_their_punctuation() {
        let p = parse("surat (0012/PPID-KENDAL/2026)");
        assert!(p.references.contains(&"0012/ppid-kendal/2026".to_owned()));
    }

    #[test]
    fn input_is_bounded() {
        let long = "kata ".repeat(5_000);
        assert_eq!(parse(&long).words.len(), 1);
        let many: String = (0..500).map(|i| format!("w{i} ")).collect();
        assert_eq!(parse(&many).words.len(), MAX_QUERY_TOKENS);
    }
}
