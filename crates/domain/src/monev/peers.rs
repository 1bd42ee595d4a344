//! The comparison of bodies with their peers (*studi tiru*): ranks per indicator, strongest
//! and weakest, whom to learn from.

use serde::{Deserialize, Serialize};

/// The indicators of the comparison, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeerIndicator {
    OnTime,
    MedianDays,
    ObjectionRate,
    Completeness,
    SelfAssessment,
}

impl PeerIndicator {
    pub const ALL: [Self; 5] = [
        Self::OnTime,
        Self::MedianDays,
        Self::ObjectionRate,
        Self::Completeness,
        Self::SelfAssessment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::OnTime => "on_time",
            Self::MedianDays => "median_days",
            Self::ObjectionRate => "objection_rate",
            Self::Completeness => "completeness",
            Self::SelfAssessment => "self_assessment",
        }
    }

    pub fn higher_is_better(self) -> bool {
        !matches!(self, Self::MedianDays | Self::ObjectionRate)
    }

    /// Points 0–100 for the composite: percentages as they are; the median as
    /// `100 × (1 − days / 20)` (20 working days is past every legal limit); the objection rate
    /// as `100 − rate`.
    pub fn points(self, value: f64) -> f64 {
        let p = match self {
            Self::MedianDays => 100.0 * (1.0 - value / 20.0),
            Self::ObjectionRate => 100.0 - value,
            _ => value,
        };
        if p.is_finite() {
            p.clamp(0.0, 100.0)
        } else {
            0.0
        }
    }
}

/// One body's figures; `None` where there is nothing to measure (no decided request).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeerFigures {
    pub slug: String,
    /// By [`PeerIndicator::ALL`] order.
    pub values: [Option<f64>; 5],
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BestPeer {
    pub indicator: PeerIndicator,
    pub slug: String,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeerRanking {
    pub slug: String,
    pub rank: usize,
    /// Mean of the indicators' points; an indicator without a value counts 0 ("no data, no
    /// points"), so a body cannot climb by having no requests.
    pub composite: f64,
    /// Rank among the bodies having a value, per indicator (1 = best).
    pub ranks: [Option<usize>; 5],
    pub strongest: Option<PeerIndicator>,
    pub weakest: Option<PeerIndicator>,
    /// Per indicator, the best peer doing better than this body.
    pub learn_from: Vec<BestPeer>,
}

fn better(ind: PeerIndicator, a: f64, b: f64) -> bool {
    if ind.higher_is_better() { a > b } else { a < b }
}

/// Ranks bodies by composite (ties by slug), with strongest and weakest indicators by relative
/// rank among the peers having a value, and whom to learn from on each indicator.
pub fn rank_peers(bodies: &[PeerFigures]) -> Vec<PeerRanking> {
    let n_ind = PeerIndicator::ALL.len();
    let mut out: Vec<PeerRanking> = bodies
        .iter()
        .map(|b| {
            let composite = PeerIndicator::ALL
                .iter()
                .enumerate()
                .map(|(k, ind)| b.values[k].map_or(0.0, |v| ind.points(v)))
                .sum::<f64>()
                / n_ind as f64;
            let mut ranks = [None; 5];
            let mut learn_from = Vec::new();
            let mut rel: Vec<(f64, PeerIndicator)> = Vec::new();
            for (k, ind) in PeerIndicator::ALL.iter().enumerate() {
                let Some(v) = b.values[k] else { continue };
                let others: Vec<(&str, f64)> = bodies
                    .iter()
                    .filter_map(|o| o.values[k].map(|x| (o.slug.as_str(), x)))
                    .collect();
                let rank = 1 + others.iter().filter(|(_, x)| better(*ind, *x, v)).count();
                ranks[k] = Some(rank);
                if others.len() > 1 {
                    rel.push(((rank - 1) as f64 / (others.len() - 1) as f64, *ind));
                }
                if let Some((slug, x)) = others
                    .iter()
                    .filter(|(s, x)| *s != b.slug && better(*ind, *x, v))
                    .fold(None::<(&str, f64)>, |best, (s, x)| match best {
                        Some((_, bx)) if !better(*ind, *x, bx) => best,
                        _ => Some((s, *x)),
                    })
                {
                    learn_from.push(BestPeer {
                        indicator: *ind,
                        slug: slug.to_owned(),
                        value: x,
                    });
                }
            }
            let strongest = rel
                .iter()
                .fold(None::<(f64, PeerIndicator)>, |m, &(r, i)| match m {
                    Some((mr, _)) if mr <= r => m,
                    _ => Some((r, i)),
                })
                .map(|(_, i)| i);
            let weakest = rel
                .iter()
                .fold(None::<(f64, PeerIndicator)>, |m, &(r, i)| match m {
                    Some((mr, _)) if mr >= r => m,
                    _ => Some((r, i)),
                })
                .map(|(_, i)| i);
            PeerRanking {
                slug: b.slug.clone(),
                rank: 0,
                composite,
                ranks,
                strongest,
                weakest: if weakest == strongest { None } else { weakest },
                learn_from,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.composite
            .total_cmp(&a.composite)
            .then_with(|| a.slug.cmp(&b.slug))
    });
    for (i, r) in out.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    out
}
