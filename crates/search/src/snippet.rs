//! Highlighted passages of search hits.
//!
//! A word of the text is highlighted when its stem is the stem of a word of the query, as the
//! index matched it. tantivy's `SnippetGenerator` ran the whole analyser chain over each hit's
//! text, allocating a string per word, and took a seventh of the time of a search (a page of
//! ten hits); here a word is cut, lower-cased into a reused buffer and stemmed through the
//! per-thread memo, without allocating. The passage is the window of at most `max_bytes`
//! with the most distinct query words (by weight), widened backwards so that the first
//! highlighted word has some context.

use tantivy::tokenizer::TextAnalyzer;

use crate::analysis::{MAX_TOKEN_LEN, exact_analyzer};
use crate::index::escape_html;
use crate::stem::with_stem;

/// Query words beyond this many do not highlight (a query has at most 32 words).
const MAX_TERMS: usize = 64;

/// A highlighted word: byte range in the text and the query word it stands for.
#[derive(Clone, Copy, Debug)]
struct Match {
    start: usize,
    end: usize,
    term: usize,
}

/// Makes the passages of one search: the query's stems with their weights.
pub(crate) struct Snippets {
    terms: Vec<(String, f32)>,
    max_bytes: usize,
}

impl Snippets {
    /// `terms`: the stems of the query's words and their weights (function words weigh less).
    pub(crate) fn new(mut terms: Vec<(String, f32)>, max_bytes: usize) -> Snippets {
        terms.truncate(MAX_TERMS);
        Snippets { terms, max_bytes }
    }

    /// The passage of `text` as plain text and as HTML with `<mark>` around the query's words
    /// (everything else escaped), or `None` when no word of the query is in the text.
    pub(crate) fn make(&self, text: &str) -> Option<(String, String)> {
        let matches = self.matches(text);
        let (first, last) = self.best_window(&matches)?;
        let (start, end) = self.widen(text, matches[first].start, matches[last].end);
        let plain = text[start..end].to_owned();
        let mut html = String::with_capacity(plain.len() + 16 * (last - first + 1));
        let mut at = start;
        for m in &matches[first..=last] {
            if m.end > end {
                break;
            }
            html.push_str(&escape_html(&text[at..m.start]));
            html.push_str("<mark>");
            html.push_str(&escape_html(&text[m.start..m.end]));
            html.push_str("</mark>");
            at = m.end;
        }
        html.push_str(&escape_html(&text[at..end]));
        Some((plain, html))
    }

    /// Every word of `text` whose stem is a query stem, in order. Words are cut as the index
    /// cuts them (runs of alphanumeric characters, words of 40 bytes or more dropped),
    /// lower-cased and folded to ASCII, then stemmed.
    ///
    /// Only the words that can stem to a query stem are stemmed: the stemmer takes affixes off
    /// and at most recodes the first letter of what remains (`menulis` → `tulis`, `memohon`
    /// → `mohon`), so a word whose stem is `tulis` contains `ulis`. Those words are found by
    /// a substring search of the lower-cased text, and words with characters outside ASCII
    /// (which folding may change) are always stemmed. Stemming every word was a sixth of the
    /// instructions of a search. `matches_by_scan` is the definition; a test checks the rule
    /// over the affixes of the language and a property test checks that both agree.
    fn matches(&self, text: &str) -> Vec<Match> {
        if self.terms.is_empty() {
            return Vec::new();
        }
        let lower = text.to_ascii_lowercase();
        let mut candidates: Vec<(usize, usize)> = Vec::new();
        for (term, _) in &self.terms {
            let mut chars = term.chars();
            chars.next();
            let needle = chars.as_str();
            if needle.is_empty() || !needle.chars().all(char::is_alphanumeric) {
                return self.matches_by_scan(text);
            }
            for at in memchr::memmem::find_iter(lower.as_bytes(), needle.as_bytes()) {
                candidates.push(word_around(text, at));
            }
        }
        if !text.is_ascii() {
            for (at, c) in text.char_indices() {
                if !c.is_ascii() && c.is_alphanumeric() {
                    candidates.push(word_around(text, at));
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut out = Vec::new();
        let mut folded = String::new();
        let mut fold_non_ascii: Option<TextAnalyzer> = None;
        for (start, end) in candidates {
            if let Some(term) = self.term_of(&text[start..end], &mut folded, &mut fold_non_ascii) {
                out.push(Match { start, end, term });
            }
        }
        out
    }

    /// [`Snippets::matches`] by stemming every word of the text.
    fn matches_by_scan(&self, text: &str) -> Vec<Match> {
        let mut out = Vec::new();
        if self.terms.is_empty() {
            return out;
        }
        let mut folded = String::new();
        let mut fold_non_ascii: Option<TextAnalyzer> = None;
        let mut rest = text.char_indices().peekable();
        while let Some((start, c)) = rest.next() {
            if !c.is_alphanumeric() {
                continue;
            }
            let mut end = start + c.len_utf8();
            while let Some(&(at, c)) = rest.peek() {
                if !c.is_alphanumeric() {
                    break;
                }
                end = at + c.len_utf8();
                rest.next();
            }
            if let Some(term) = self.term_of(&text[start..end], &mut folded, &mut fold_non_ascii) {
                out.push(Match { start, end, term });
            }
        }
        out
    }

    /// The query word that `word` (a whole word of the text) stands for, if any.
    fn term_of(
        &self,
        word: &str,
        folded: &mut String,
        fold_non_ascii: &mut Option<TextAnalyzer>,
    ) -> Option<usize> {
        if word.is_empty() || word.len() >= MAX_TOKEN_LEN {
            return None;
        }
        folded.clear();
        if word.is_ascii() {
            folded.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            // Rare: let the index's own analyser lower-case and fold it.
            let analyzer = fold_non_ascii.get_or_insert_with(exact_analyzer);
            let mut stream = analyzer.token_stream(word);
            while stream.advance() {
                folded.push_str(&stream.token().text);
            }
        }
        with_stem(folded, |stem| {
            self.terms.iter().position(|(term, _)| term == stem)
        })
    }

    /// The run of matches `first..=last` spanning at most `max_bytes` whose distinct query
    /// words weigh most; ties go to more matches, then to the earliest run.
    fn best_window(&self, matches: &[Match]) -> Option<(usize, usize)> {
        let mut best: Option<(f32, usize, usize, usize)> = None;
        let mut last = 0;
        for first in 0..matches.len() {
            last = last.max(first);
            while last + 1 < matches.len()
                && matches[last + 1].end - matches[first].start <= self.max_bytes
            {
                last += 1;
            }
            let mut seen = 0u64;
            let mut weight = 0.0f32;
            for m in &matches[first..=last] {
                let bit = 1u64 << m.term;
                if seen & bit == 0 {
                    seen |= bit;
                    weight += self.terms[m.term].1;
                }
            }
            let count = last - first + 1;
            let better = match best {
                None => true,
                Some((w, c, _, _)) => weight > w || (weight == w && count > c),
            };
            if better {
                best = Some((weight, count, first, last));
            }
        }
        best.map(|(_, _, first, last)| (first, last))
    }

    /// Widens the span of the chosen matches to at most `max_bytes`: about a third of the room
    /// before the first match, the rest after the last, cut at spaces and character
    /// boundaries. A span already longer (one very long word) is kept as it is.
    fn widen(&self, text: &str, span_start: usize, span_end: usize) -> (usize, usize) {
        let room = self.max_bytes.saturating_sub(span_end - span_start);
        let mut start = span_start.saturating_sub(room / 3);
        if start > 0 {
            while !text.is_char_boundary(start) {
                start += 1;
            }
            // Begin at a word: after the first space of the context, if there is one.
            start = match text[start..span_start].find(char::is_whitespace) {
                Some(space) => start + space + 1,
                None => span_start,
            };
        }
        let mut end = (start + self.max_bytes).min(text.len()).max(span_end);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        if end < text.len() {
            // End at a word: before the last space of the context, if there is one.
            if let Some(space) = text[span_end..end].rfind(char::is_whitespace) {
                end = span_end + space;
            } else {
                end = end.max(span_end);
            }
        }
        let trimmed = text[start..end].trim_end();
        (start, start + trimmed.len())
    }
}

/// The word (maximal run of alphanumeric characters) around the character at byte `at`, or
/// an empty range there when that character is not part of a word.
fn word_around(text: &str, at: usize) -> (usize, usize) {
    let is_word_char = |c: &char| c.is_alphanumeric();
    let Some(first) = text[at..].chars().next().filter(is_word_char) else {
        return (at, at);
    };
    let start = text[..at]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word_char(c))
        .last()
        .map_or(at, |(i, _)| i);
    let end = text[at + first.len_utf8()..]
        .char_indices()
        .find(|(_, c)| !is_word_char(c))
        .map_or(text.len(), |(i, _)| at + first.len_utf8() + i);
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn snippets(terms: &[&str], max: usize) -> Snippets {
        Snippets::new(terms.iter().map(|t| (t.to_string(), 1.0)).collect(), max)
    }

    #[test]
    fn marks_every_form_of_the_stem_and_escapes_the_rest() {
        let (plain, html) = snippets(&["mohon"], 220)
            .make("Pemohon menulis <b>surat</b> & memohon salinan permohonan.")
            .expect("matches");
        assert_eq!(
            plain,
            "Pemohon menulis <b>surat</b> & memohon salinan permohonan."
        );
        assert_eq!(
            html,
            "<mark>Pemohon</mark> menulis &lt;b&gt;surat&lt;/b&gt; &amp; <mark>memohon</mark> \
             salinan <mark>permohonan</mark>."
        );
    }

    #[test]
    fn picks_the_window_with_the_most_query_words() {
        let filler = "lorem ipsum dolor sit amet ".repeat(20);
        let text = format!("banjir di awal. {filler} banjir dan irigasi bersama. {filler}");
        let (plain, html) = snippets(&["banjir", "irigasi"], 120)
            .make(&text)
            .expect("matches");
        assert!(plain.contains("banjir dan irigasi"), "{plain}");
        assert!(plain.len() <= 120, "{}", plain.len());
        assert!(html.contains("<mark>irigasi</mark>"), "{html}");
        assert!(!plain.starts_with(' ') && !plain.ends_with(' '));
    }

    #[test]
    fn no_match_gives_none() {
        assert!(
            snippets(&["banjir"], 220)
                .make("tidak ada apa-apa")
                .is_none()
        );
        assert!(snippets(&[], 220).make("banjir").is_none());
    }

    #[test]
    fn folds_accents_as_the_index_does() {
        let (_, html) = snippets(&["cafe"], 220)
            .make("Di Café itu")
            .expect("matches");
        assert_eq!(html, "Di <mark>Café</mark> itu");
    }

    const ROOTS: &[&str] = &[
        "mohon",
        "tulis",
        "sapu",
        "kirim",
        "pukul",
        "ajar",
        "ambil",
        "bom",
        "cat",
        "kenal",
        "lapor",
        "minta",
        "baca",
        "tanya",
        "jawab",
        "putus",
        "serah",
        "tolak",
        "uji",
        "guna",
        "atur",
        "olah",
        "informasi",
        "terang",
        "buka",
        "kecuali",
        "daftar",
        "nilai",
        "rawat",
        "tanggap",
        "proses",
        "kaji",
        "layan",
        "berat",
        "tetap",
        "ubah",
        "catat",
        "simpan",
        "sebar",
        "sedia",
        "periksa",
        "dengar",
        "adil",
        "alih",
        "ikut",
        "rancang",
        "produksi",
        "kritik",
        "fasilitas",
        "gugat",
        "sengketa",
        "ganti",
        "hapus",
        "ingat",
        "lihat",
    ];
    const PREFIXES: &[&str] = &[
        "", "me", "mem", "men", "meng", "meny", "menge", "pe", "pem", "pen", "peng", "peny",
        "penge", "ber", "be", "bel", "ter", "te", "di", "ke", "se", "per", "pel", "diper",
        "memper", "mempe", "ber", "keber", "keter", "pember", "penye", "mence", "terper",
    ];
    const SUFFIXES: &[&str] = &[
        "", "kan", "an", "i", "nya", "lah", "kah", "pun", "ku", "mu", "annya", "kannya", "inya",
        "kanlah", "nyalah",
    ];

    /// The rule the fast path rests on, over every affix combination of the roots: a word's
    /// stem is the word itself or what remains after the first letter is in the word.
    #[test]
    fn a_stem_after_its_first_letter_is_inside_the_word() {
        let mut checked = 0;
        for root in ROOTS {
            for prefix in PREFIXES {
                for suffix in SUFFIXES {
                    // As written, and with the root's first letter melted into a nasal prefix
                    // (me- + tulis = menulis, pe- + kirim = pengirim).
                    for word in [
                        format!("{prefix}{root}{suffix}"),
                        format!("{prefix}{}{suffix}", &root[1..]),
                    ] {
                        let stem = crate::stem::stem(&word);
                        let mut rest = stem.chars();
                        rest.next();
                        assert!(
                            stem == word || word.contains(rest.as_str()),
                            "{word} -> {stem}"
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 50_000);
    }

    /// A word made of one of `roots` with affixes, as written or with the root's first letter
    /// melted into a nasal prefix (menulis, memohon), in lower or upper case.
    fn affixed_word(roots: Vec<&'static str>) -> impl Strategy<Value = String> {
        (
            proptest::sample::select(PREFIXES),
            proptest::sample::select(roots),
            proptest::sample::select(SUFFIXES),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(p, r, s, melt, upper)| {
                let r = if melt && !p.is_empty() { &r[1..] } else { r };
                let w = format!("{p}{r}{s}");
                if upper { w.to_uppercase() } else { w }
            })
    }

    /// A text of affixed forms of a few roots among other words, and a query of such forms.
    fn text_and_query() -> impl Strategy<Value = (String, Vec<String>)> {
        proptest::sample::subsequence(ROOTS, 1..4).prop_flat_map(|roots| {
            (
                proptest::collection::vec(
                    prop_oneof![
                        4 => affixed_word(roots.clone()),
                        1 => "[a-zA-Z0-9éü\\-]{1,12}",
                        1 => "[ .,;()“”–]{1,3}",
                    ],
                    0..60,
                )
                .prop_map(|words| words.join(" ")),
                proptest::collection::vec(affixed_word(roots), 1..4),
            )
        })
    }

    proptest! {
        /// The fast path finds exactly the words that stemming every word finds.
        #[test]
        fn fast_matches_are_the_scan_matches((text, query) in text_and_query()) {
            let terms: Vec<(String, f32)> = query
                .iter()
                .map(|w| (crate::stem::stem(&w.to_lowercase()), 1.0))
                .collect();
            let s = Snippets::new(terms, 220);
            let fast: Vec<(usize, usize, usize)> =
                s.matches(&text).iter().map(|m| (m.start, m.end, m.term)).collect();
            let scan: Vec<(usize, usize, usize)> =
                s.matches_by_scan(&text).iter().map(|m| (m.start, m.end, m.term)).collect();
            prop_assert_eq!(fast, scan);
        }

        /// Whatever the text: the passage is a slice of it within the size, the HTML without its
        /// marks and unescaped is the passage, and every marked word stems to a query stem.
        #[test]
        fn passages_are_bounded_slices_with_true_marks(
            before in "[a-zA-Z0-9 <>&\\\"'.,é\\-]{0,300}",
            word in prop::sample::select(vec!["Pemohon", "mohon", "ADA", "banjir", "a"]),
            after in "[a-zA-Z0-9 <>&\\\"'.,é\\-]{0,300}",
            max in 20usize..300,
        ) {
            // A query word stands in every text, so a passage is always made and checked.
            let text = format!("{before} {word} {after}");
            let s = snippets(&["mohon", "ada", "banjir", "a"], max);
            let made = s.make(&text);
            prop_assert!(made.is_some(), "no passage for {:?}", text);
            if let Some((plain, html)) = made {
                prop_assert!(text.contains(&plain));
                let longest_word = text
                    .split(|c: char| !c.is_alphanumeric())
                    .map(str::len)
                    .max()
                    .unwrap_or(0);
                prop_assert!(plain.len() <= max.max(longest_word), "{} > {}", plain.len(), max);
                let unmarked = html.replace("<mark>", "").replace("</mark>", "");
                let unescaped = unmarked
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&#39;", "'")
                    .replace("&amp;", "&");
                prop_assert_eq!(&unescaped, &plain);
                for marked in html.split("<mark>").skip(1) {
                    let word = marked.split("</mark>").next().unwrap_or_default().to_lowercase();
                    let word = word.replace('é', "e");
                    let stem = crate::stem::stem(&word);
                    prop_assert!(["mohon", "ada", "banjir", "a"].contains(&stem.as_str()), "{}", word);
                }
            }
        }
    }
}
