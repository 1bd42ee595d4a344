//! The fields of a document in the index and how each is analysed.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions,
};

use crate::analysis::{EXACT, REFERENCE, STEMMED};

pub(super) const F_BODY: &str = "body";
pub(super) const F_KIND: &str = "kind";
pub(super) const F_YEAR: &str = "year";
pub(super) const F_PUBLISHED: &str = "published_at";

#[derive(Clone, Copy)]
pub(super) struct Fields {
    pub(super) id: Field,
    pub(super) kind: Field,
    pub(super) body: Field,
    pub(super) body_name: Field,
    pub(super) year: Field,
    pub(super) title: Field,
    pub(super) url: Field,
    pub(super) published_at: Field,
    /// Stored only: the head of the text, to cut snippets from.
    pub(super) snippet_text: Field,
    /// Title and text, stemmed.
    pub(super) text_stem: Field,
    /// Title and text, as typed (with positions, for phrases).
    pub(super) text_exact: Field,
    /// Reference number and body name, by words.
    pub(super) meta: Field,
    /// Whole reference number.
    pub(super) reference: Field,
}

pub(super) fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str, record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(record),
        )
    };
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        kind: b.add_text_field(F_KIND, STRING | STORED | tantivy::schema::FAST),
        body: b.add_text_field(F_BODY, STRING | STORED | tantivy::schema::FAST),
        body_name: b.add_text_field("body_name", STORED),
        year: b.add_i64_field(
            F_YEAR,
            NumericOptions::default()
                .set_indexed()
                .set_stored()
                .set_fast(),
        ),
        title: b.add_text_field("title", STORED),
        url: b.add_text_field("url", STORED),
        published_at: b.add_i64_field(F_PUBLISHED, NumericOptions::default().set_fast()),
        snippet_text: b.add_text_field("snippet_text", STORED),
        // Frequencies without positions: phrases are matched on the exact field only.
        text_stem: b.add_text_field("text_stem", text(STEMMED, IndexRecordOption::WithFreqs)),
        text_exact: b.add_text_field(
            "text_exact",
            text(EXACT, IndexRecordOption::WithFreqsAndPositions),
        ),
        meta: b.add_text_field("meta", text(EXACT, IndexRecordOption::WithFreqs)),
        reference: b.add_text_field("reference", text(REFERENCE, IndexRecordOption::Basic)),
    };
    (b.build(), fields)
}
