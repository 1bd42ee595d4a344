//! A disjunction whose scorer merges its clauses lazily, for the places where a union is only
//! ever *sought*: the alternatives of a required word inside an intersection, and the optional
//! clauses that add to the score of documents the required words already found.
//!
//! tantivy's union scorer buffers: seeking it past its 4,096-document window refills the
//! window from every clause, decoding and scoring every posting in it. Inside an intersection
//! driven by a rarer word, every seek lands past the window, so each match paid for the
//! decoding and scoring of thousands of postings of the frequent words ("dinas", "dan",
//! "permohonan"): two thirds of the time of the slowest queries. Here a seek moves each clause
//! to the target through its skip list, and the score is the sum of the clauses on the
//! document, as the union's.

use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError, Term};

/// Matches the documents of any clause; the score is the sum of the matching clauses' scores.
#[derive(Debug)]
pub(crate) struct LazySumQuery {
    clauses: Vec<Box<dyn Query>>,
}

impl LazySumQuery {
    pub(crate) fn new(clauses: Vec<Box<dyn Query>>) -> LazySumQuery {
        LazySumQuery { clauses }
    }
}

impl Clone for LazySumQuery {
    fn clone(&self) -> Self {
        LazySumQuery {
            clauses: self.clauses.iter().map(|q| q.box_clone()).collect(),
        }
    }
}

impl Query for LazySumQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .clauses
            .iter()
            .map(|q| q.weight(enable_scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(LazySumWeight { weights }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for clause in &self.clauses {
            clause.query_terms(visitor);
        }
    }
}

struct LazySumWeight {
    weights: Vec<Box<dyn Weight>>,
}

impl Weight for LazySumWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorers = Vec::with_capacity(self.weights.len());
        for weight in &self.weights {
            let scorer = weight.scorer(reader, boost)?;
            if scorer.doc() != TERMINATED {
                scorers.push(scorer);
            }
        }
        Ok(match scorers.len() {
            0 => Box::new(EmptyScorer),
            1 => scorers.remove(0),
            _ => {
                let doc = scorers.iter().map(|s| s.doc()).min().unwrap_or(TERMINATED);
                Box::new(LazySumScorer { scorers, doc })
            }
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document #({doc}) does not match"
            )));
        }
        let mut explanation = Explanation::new("sum of the matching clauses", scorer.score());
        for weight in &self.weights {
            if let Ok(child) = weight.explain(reader, doc) {
                explanation.add_detail(child);
            }
        }
        Ok(explanation)
    }
}

struct LazySumScorer {
    scorers: Vec<Box<dyn Scorer>>,
    doc: DocId,
}

impl LazySumScorer {
    fn settle(&mut self) -> DocId {
        self.doc = self
            .scorers
            .iter()
            .map(|s| s.doc())
            .min()
            .unwrap_or(TERMINATED);
        self.doc
    }
}

impl DocSet for LazySumScorer {
    fn advance(&mut self) -> DocId {
        let current = self.doc;
        for scorer in &mut self.scorers {
            if scorer.doc() == current {
                scorer.advance();
            }
        }
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for scorer in &mut self.scorers {
            if scorer.doc() < target {
                scorer.seek(target);
            }
        }
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.scorers
            .iter()
            .map(|s| s.size_hint())
            .fold(0u32, u32::saturating_add)
    }

    fn cost(&self) -> u64 {
        self.scorers
            .iter()
            .map(|s| s.cost())
            .fold(0u64, u64::saturating_add)
    }
}

impl Scorer for LazySumScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        let mut score = 0.0;
        for scorer in &mut self.scorers {
            if scorer.doc() == doc {
                score += scorer.score();
            }
        }
        score
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, Occur, TermQuery};
    use tantivy::schema::{IndexRecordOption, STRING, Schema, TEXT};
    use tantivy::{Index, TantivyDocument, doc};

    use super::*;

    /// Same matches and the same scores as tantivy's own union, sought or iterated.
    #[test]
    fn lazy_sum_agrees_with_the_union() -> tantivy::Result<()> {
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let tag = schema.add_text_field("tag", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 20_000_000)?;
        let words = ["alpha", "beta", "gamma", "delta"];
        for i in 0..20_000u32 {
            let mut body = String::new();
            for (k, w) in words.iter().enumerate() {
                if (i * 7 + k as u32 * 13).is_multiple_of(3 + k as u32 * 5) {
                    body.push_str(w);
                    body.push(' ');
                }
            }
            let t = if i.is_multiple_of(97) {
                "rare"
            } else {
                "common"
            };
            let d: TantivyDocument = doc!(text => body, tag => t);
            writer.add_document(d)?;
        }
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        let term = |w: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(text, w),
                IndexRecordOption::WithFreqs,
            ))
        };
        let clauses = || vec![term("alpha"), term("gamma"), term("delta")];
        let union = BooleanQuery::new(clauses().into_iter().map(|q| (Occur::Should, q)).collect());
        let lazy = LazySumQuery::new(clauses());
        let rare: Box<dyn Query> = Box::new(TermQuery::new(
            Term::from_field_text(tag, "rare"),
            IndexRecordOption::Basic,
        ));
        for (a, b) in [
            (
                Box::new(union.clone()) as Box<dyn Query>,
                Box::new(lazy.clone()) as Box<dyn Query>,
            ),
            (
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, rare.box_clone()),
                    (Occur::Must, Box::new(union.clone())),
                ])),
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, rare.box_clone()),
                    (Occur::Must, Box::new(lazy.clone())),
                ])),
            ),
            (
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, rare.box_clone()),
                    (Occur::Should, Box::new(union.clone())),
                ])),
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, rare.box_clone()),
                    (Occur::Should, Box::new(lazy.clone())),
                ])),
            ),
        ] {
            let top = TopDocs::with_limit(30_000).order_by_score();
            let (mut x, nx) = searcher.search(&*a, &(top, Count))?;
            let top = TopDocs::with_limit(30_000).order_by_score();
            let (mut y, ny) = searcher.search(&*b, &(top, Count))?;
            assert_eq!(nx, ny);
            assert!(nx > 0);
            x.sort_by_key(|h| h.1);
            y.sort_by_key(|h| h.1);
            assert_eq!(x.len(), y.len());
            for (p, q) in x.iter().zip(&y) {
                assert_eq!(p.1, q.1);
                assert!((p.0 - q.0).abs() < 1e-4, "{p:?} {q:?}");
            }
        }
        Ok(())
    }
}
