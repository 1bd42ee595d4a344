//! Near spellings of a word, looked up once per search in the term dictionaries.
//!
//! tantivy's fuzzy query walks the term dictionary with a Levenshtein automaton every time a
//! scorer is made: once per segment, and once per window of a bounded search (a dozen times
//! for a large segment). Expanding the word once into the terms it stands for, with their
//! document frequencies, makes the walk happen once, lets the match count be estimated like
//! any other word's, and turns the alternative into a handful of posting lists.
//!
//! The walk keeps the first letter of the word: people rarely mistype the first letter of a
//! word, and a walk under one first letter visits a small part of the dictionary. A word whose
//! first letter was mistyped is still found, by a second walk without that restriction, when
//! the first finds nothing for the whole query (see `SearchIndex::search`).

use std::collections::BTreeMap;

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

/// The terms of `field` within `distance` edits of `word`, each with its document frequency
/// summed over the segments (deleted documents included), in term order. With
/// `keep_first_letter`, only terms that start with the word's first letter.
pub(crate) fn expand(
    searcher: &Searcher,
    field: Field,
    word: &str,
    distance: u8,
    keep_first_letter: bool,
) -> tantivy::Result<Vec<(Term, u64)>> {
    let automaton =
        FuzzyTermQuery::new(Term::from_field_text(field, word), distance, true).automaton()?;
    // Terms from the word's first letter up to the next letter.
    let first = word
        .chars()
        .next()
        .filter(|_| keep_first_letter)
        .map(|c| c.to_string().into_bytes());
    let next = first.as_ref().and_then(|first| {
        let mut next = first.clone();
        let last = next.last_mut()?;
        *last = last.checked_add(1)?;
        Some(next)
    });
    let mut found: BTreeMap<Vec<u8>, u64> = BTreeMap::new();
    for reader in searcher.segment_readers() {
        let index = reader.inverted_index(field)?;
        let mut terms = index.terms().search(&automaton);
        if let Some(first) = &first {
            terms = terms.ge(first);
        }
        if let Some(next) = &next {
            terms = terms.lt(next);
        }
        let mut stream = terms.into_stream()?;
        while stream.advance() {
            *found.entry(stream.key().to_vec()).or_default() += u64::from(stream.value().doc_freq);
        }
    }
    Ok(found
        .into_iter()
        .filter_map(|(bytes, df)| {
            let text = String::from_utf8(bytes).ok()?;
            Some((Term::from_field_text(field, &text), df))
        })
        .collect())
}
