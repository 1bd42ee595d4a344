//! Comparison across bodies (*studi tiru*): the bodies under a parent (or every top-level body)
//! side by side on on-time percentage, median working days to a decision, objection rate,
//! register completeness and self-assessment score, ranked by a composite, with each body's
//! strongest and weakest indicator and the peer to learn from on each.
//!
//! The composite is the mean of five 0–100 points ([`PeerIndicator::points`]): on-time % as
//! is; `100 × (1 − median / 20 WD)`; `100 − objection rate %`; completeness as is; the
//! self-assessment score as is. An indicator without data (no decided request) scores 0.

use lentera_domain::monev::{PeerFigures, PeerIndicator, PeerRanking, rank_peers};
use lentera_store::bodies as store_bodies;
use serde::Serialize;

use crate::{App, AppError};

#[derive(Debug, Clone, Serialize)]
pub struct ComparisonRow {
    pub slug: String,
    pub name: String,
    pub on_time_percent: Option<f64>,
    pub median_days: Option<f64>,
    /// Objections per decided request, in percent.
    pub objection_rate: Option<f64>,
    pub completeness: f64,
    pub self_assessment: f64,
    pub predicate: &'static str,
    pub predicate_label: &'static str,
    pub decided: u64,
    pub objections: u64,
    #[serde(flatten)]
    pub ranking: PeerRanking,
}

#[derive(Debug, Clone, Serialize)]
pub struct ComparisonView {
    pub parent: Option<String>,
    pub year: i32,
    pub indicators: Vec<PeerIndicator>,
    pub composite: &'static str,
    /// Ranked, best first.
    pub bodies: Vec<ComparisonRow>,
}

pub const COMPOSITE: &str = "mean of five 0-100 points: on-time %, 100*(1-median/20 WD), 100-objection rate %, register completeness %, self-assessment score; missing data counts 0";

impl App {
    pub async fn comparison(
        &self,
        parent: Option<&str>,
        year: i32,
    ) -> Result<ComparisonView, AppError> {
        let all = store_bodies::list(&self.db).await?;
        let parent_row = match parent.map(str::trim).filter(|s| !s.is_empty()) {
            Some(slug) => Some(
                all.iter()
                    .find(|b| b.slug == slug)
                    .cloned()
                    .ok_or(AppError::NotFound("body.not_found"))?,
            ),
            None => None,
        };
        let members: Vec<_> = all
            .iter()
            .filter(|b| b.kind != "unit")
            .filter(|b| match &parent_row {
                Some(p) => b.id == p.id || b.parent_id == Some(p.id),
                None => true,
            })
            .collect();
        let mut rows = Vec::with_capacity(members.len());
        let mut figures = Vec::with_capacity(members.len());
        for b in members {
            let report = self.annual_report(&b.slug, year, None).await?;
            let sa = self.self_assessment(None, &b.slug, year).await?;
            let r = &report.figures.requests;
            let decided = r.decided;
            let objections = report.figures.objections.received;
            let objection_rate = (decided > 0).then(|| 100.0 * objections as f64 / decided as f64);
            let values = [
                r.service_time.on_time_percent,
                r.service_time.median_wd,
                objection_rate,
                Some(sa.facts.completeness),
                Some(sa.score),
            ];
            figures.push(PeerFigures {
                slug: b.slug.clone(),
                values,
            });
            rows.push((
                b.slug.clone(),
                b.name.clone(),
                values,
                sa.predicate,
                decided,
                objections,
            ));
        }
        let ranked = rank_peers(&figures);
        let bodies = ranked
            .into_iter()
            .filter_map(|ranking| {
                let (slug, name, v, predicate, decided, objections) =
                    rows.iter().find(|r| r.0 == ranking.slug)?.clone();
                Some(ComparisonRow {
                    slug,
                    name,
                    on_time_percent: v[0],
                    median_days: v[1],
                    objection_rate: v[2],
                    completeness: v[3].unwrap_or(0.0),
                    self_assessment: v[4].unwrap_or(0.0),
                    predicate: predicate.as_str(),
                    predicate_label: predicate.label(),
                    decided,
                    objections,
                    ranking,
                })
            })
            .collect();
        Ok(ComparisonView {
            parent: parent_row.map(|p| p.slug),
            year,
            indicators: PeerIndicator::ALL.to_vec(),
            composite: COMPOSITE,
            bodies,
        })
    }
}
