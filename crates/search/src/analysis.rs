//! The analysers of the index, shared by indexing, querying and snippets so that a word is cut
//! and normalised the same way everywhere.

use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
};

use crate::stem::with_stem;

pub(crate) const STEMMED: &str = "lentera_id_stem";
pub(crate) const EXACT: &str = "lentera_id_exact";
pub(crate) const REFERENCE: &str = "lentera_reference";

/// Longer "words" are base64, hashes or glued tables: noise that would only bloat the index.
pub(crate) const MAX_TOKEN_LEN: usize = 40;

/// Lower-cased, ASCII-folded words, as typed.
pub(crate) fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_LEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// [`exact_analyzer`] followed by Indonesian stemming.
pub(crate) fn stemmed_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_LEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(IndonesianStemmer)
        .build()
}

/// A whole reference number as one lower-case token.
pub(crate) fn reference_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .build()
}

pub(crate) fn register(index: &Index) {
    let tokenizers = index.tokenizers();
    tokenizers.register(STEMMED, stemmed_analyzer());
    tokenizers.register(EXACT, exact_analyzer());
    tokenizers.register(REFERENCE, reference_analyzer());
}

/// The texts of the tokens `analyzer` makes of `text`.
pub(crate) fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// Replaces each token by its stem ([`crate::stem::stem`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct IndonesianStemmer;

impl TokenFilter for IndonesianStemmer {
    type Tokenizer<T: Tokenizer> = StemmerWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> StemmerWrapper<T> {
        StemmerWrapper { inner: tokenizer }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct StemmerWrapper<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for StemmerWrapper<T> {
    type TokenStream<'a> = StemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemmerStream {
            tail: self.inner.token_stream(text),
        }
    }
}

pub(crate) struct StemmerStream<S> {
    tail: S,
}

impl<S: TokenStream> TokenStream for StemmerStream<S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let text = &token.text;
        if let Some(stemmed) = with_stem(text, |s| (s != text).then(|| s.to_owned())) {
            token.text = stemmed;
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stemmed_analyzer_folds_and_stems() {
        let got = tokens(
            &mut stemmed_analyzer(),
            "Permohonan INFORMASI Pengadaan, café",
        );
        assert_eq!(got, ["mohon", "informasi", "ada", "cafe"]);
    }

    #[test]
    fn exact_analyzer_splits_references() {
        let got = tokens(&mut exact_analyzer(), "0012/PPID-KENDAL/2026");
        assert_eq!(got, ["0012", "ppid", "kendal", "2026"]);
    }
}
