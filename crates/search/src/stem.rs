//! Indonesian stemming: the dictionary-based Nazief-Adriani / ECS stemmer of `sastrawi-rs`,
//! guarded and memoised.

use std::cell::RefCell;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use sastrawi::{Dictionary, Stemmer};

/// Words the dictionary stemmer gets wrong for this domain, and their right stem.
const OVERRIDES: &[(&str, &str)] = &[
    // "pemohon" and "termohon" are the parties of a request or dispute: they must meet
    // "permohonan" and "memohon" at "mohon".
    ("pemohon", "mohon"),
    ("termohon", "mohon"),
    ("pemohonnya", "mohon"),
];

/// Words shorter than this are left alone: affix stripping on them only does harm.
const MIN_STEM_LEN: usize = 4;
/// The per-thread memo is dropped whole when it grows past this many words, which bounds its
/// memory without the bookkeeping of an LRU (real text has a few ten thousand distinct words).
const MEMO_CAPACITY: usize = 200_000;

fn stemmer() -> &'static Stemmer<'static> {
    static DICTIONARY: OnceLock<Dictionary> = OnceLock::new();
    static STEMMER: OnceLock<Stemmer<'static>> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::new(DICTIONARY.get_or_init(Dictionary::new)))
}

/// Whether `word` is an Indonesian function word (yang, dan, di, …).
pub fn is_stopword(word: &str) -> bool {
    stemmer().is_stopword(word)
}

/// The stem of one lower-case Indonesian word: `permohonan`, `pemohon` and `memohon` give
/// `mohon`. Numbers, codes, short words and words outside ASCII are returned unchanged.
pub fn stem(word: &str) -> String {
    with_stem(word, str::to_owned)
}

/// Calls `f` with the stem of `word` ([`stem`]) without allocating when the word was seen
/// before on this thread: snippets stem every word of every hit.
pub(crate) fn with_stem<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    if word.len() < MIN_STEM_LEN || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return f(word);
    }
    thread_local! {
        static MEMO: RefCell<FxHashMap<Box<str>, Box<str>>> = RefCell::new(FxHashMap::default());
    }
    MEMO.with(|memo| {
        if let Some(found) = memo.borrow().get(word) {
            return f(found);
        }
        let stemmed = stem_uncached(word);
        let out = f(&stemmed);
        let mut memo = memo.borrow_mut();
        if memo.len() >= MEMO_CAPACITY {
            memo.clear();
        }
        memo.insert(word.into(), stemmed.into_boxed_str());
        out
    })
}

fn stem_uncached(word: &str) -> String {
    if let Some((_, fixed)) = OVERRIDES.iter().find(|(w, _)| *w == word) {
        return (*fixed).to_owned();
    }
    // A stemmer bug must cost one word its stem, never a whole indexing batch.
    let stemmed = std::panic::catch_unwind(|| stemmer().stem_word(word).into_owned())
        .unwrap_or_else(|_| word.to_owned());
    if stemmed.len() < 2 {
        word.to_owned()
    } else {
        stemmed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_codes_and_short_words() {
        assert_eq!(stem("2026"), "2026");
        assert_eq!(stem("ppid"), "ppid");
        assert_eq!(stem("di"), "di");
        assert_eq!(stem("café"), "café");
    }

    #[test]
    fn memo_gives_same_answer() {
        assert_eq!(stem("permohonan"), stem("permohonan"));
    }
}
