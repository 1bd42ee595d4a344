//! Writing: operations applied in order and committed with the outbox cursor as payload;
//! clearing for a rebuild, waiting for merges.

use std::sync::atomic::Ordering;
use std::sync::{MutexGuard, PoisonError};

use tantivy::{IndexWriter, TantivyDocument, Term};

use crate::{IndexDoc, IndexOp, MAX_INDEXED_TEXT_BYTES, MAX_STORED_TEXT_BYTES, SearchError};

use super::{SearchIndex, truncate_bytes};

impl SearchIndex {
    pub(super) fn writer(&self) -> MutexGuard<'_, Option<IndexWriter>> {
        // A panic while holding the lock leaves at worst uncommitted operations, which the next
        // failure path rolls back: the writer itself stays usable.
        self.inner
            .writer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Applies the operations in order and commits them with `cursor` as the commit payload.
    /// When this returns, the next search sees the change. On error nothing is committed.
    pub fn apply(&self, ops: Vec<IndexOp>, cursor: i64) -> Result<(), SearchError> {
        let mut guard = self.writer();
        let writer = guard.as_mut().ok_or(SearchError::WriterGone)?;
        let result = self.apply_locked(writer, ops, cursor);
        if result.is_err() {
            // Keep the failed batch from riding along with the next commit.
            let _ = writer.rollback();
        }
        result
    }

    fn apply_locked(
        &self,
        writer: &mut IndexWriter,
        ops: Vec<IndexOp>,
        cursor: i64,
    ) -> Result<(), SearchError> {
        let f = self.inner.fields;
        for op in ops {
            match op {
                IndexOp::Upsert(doc) => {
                    writer.delete_term(Term::from_field_text(f.id, &doc.id));
                    writer.add_document(self.to_document(&doc))?;
                }
                IndexOp::Delete(id) => {
                    writer.delete_term(Term::from_field_text(f.id, &id));
                }
            }
        }
        self.commit(writer, cursor)
    }

    fn commit(&self, writer: &mut IndexWriter, cursor: i64) -> Result<(), SearchError> {
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&cursor.to_string());
        prepared.commit()?;
        self.inner.reader.reload()?;
        self.inner.cursor.store(cursor, Ordering::SeqCst);
        Ok(())
    }

    fn to_document(&self, d: &IndexDoc) -> TantivyDocument {
        let f = self.inner.fields;
        let text = truncate_bytes(&d.text, MAX_INDEXED_TEXT_BYTES);
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &d.id);
        doc.add_text(f.kind, &d.kind);
        doc.add_text(f.body, &d.body_slug);
        doc.add_text(f.body_name, &d.body_name);
        doc.add_i64(f.year, i64::from(d.year));
        doc.add_text(f.title, &d.title);
        doc.add_text(f.url, &d.url);
        doc.add_i64(f.published_at, d.published_at);
        doc.add_text(
            f.snippet_text,
            truncate_bytes(&d.text, MAX_STORED_TEXT_BYTES),
        );
        for field in [f.text_stem, f.text_exact] {
            doc.add_text(field, &d.title);
            doc.add_text(field, text);
        }
        doc.add_text(f.meta, &d.reference);
        doc.add_text(f.meta, &d.body_name);
        doc.add_text(f.reference, d.reference.trim());
        doc
    }

    /// Removes every document and sets the cursor to 0, committed: the start of a rebuild.
    pub fn clear(&self) -> Result<(), SearchError> {
        let mut guard = self.writer();
        let writer = guard.as_mut().ok_or(SearchError::WriterGone)?;
        let result = writer
            .delete_all_documents()
            .map_err(SearchError::from)
            .and_then(|_| self.commit(writer, 0));
        if result.is_err() {
            let _ = writer.rollback();
        }
        result
    }

    /// Blocks until background segment merges are done (benchmarks, before measuring the size
    /// on disk, and shutdown), then deletes the files merges left unused.
    pub fn wait_for_merges(&self) -> Result<(), SearchError> {
        let mut guard = self.writer();
        let writer = guard.take().ok_or(SearchError::WriterGone)?;
        writer.wait_merging_threads()?;
        let writer: IndexWriter = self
            .inner
            .index
            .writer_with_num_threads(self.inner.writer_settings.0, self.inner.writer_settings.1)?;
        writer.garbage_collect_files().wait()?;
        *guard = Some(writer);
        drop(guard);
        self.inner.reader.reload()?;
        Ok(())
    }
}
