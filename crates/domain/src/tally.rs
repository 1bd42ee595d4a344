//! Running tallies of requests: what one request adds to the counters the annual report reads
//! (`request_report_tally`, kept by the triggers of migration 0006), and the report's request
//! figures read back from summed counters.
//!
//! Report periods are whole months, so "as it stood at the end of the period" needs only the
//! month of each request's fate: a request received in the period and decided in a later
//! month was open at its end. [`contributions`] is the reference for the SQL of the triggers
//! (a store test checks the database's counters against it), and [`request_figures`] is checked
//! against the fold of [`crate::report::annual`] by a property test.

use std::collections::BTreeMap;

use time::Date;

use crate::calendar::WorkingCalendar;
use crate::report::{RequestFigures, median_of_histogram};
use crate::request::{RequestState, RequestStatus};
use crate::values::{ApplicantKind, Outcome};

/// A calendar month as `(year, month 1–12)`; orders chronologically.
pub type YearMonth = (i32, u8);

pub fn month_of(d: Date) -> YearMonth {
    (d.year(), u8::from(d.month()))
}

/// `"2025-03"` → `(2025, 3)`; `None` for `""` (no fate yet) or anything else.
pub fn parse_month(s: &str) -> Option<YearMonth> {
    let (y, m) = s.split_once('-')?;
    let y: i32 = y.parse().ok()?;
    let m: u8 = m.parse().ok()?;
    (1..=12).contains(&m).then_some((y, m))
}

/// One counter of the report tally (already summed over whatever bodies were asked for).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TallyRow {
    /// The unit (its slug) for the `unit` metric; `None` otherwise.
    pub unit: Option<String>,
    pub r_month: YearMonth,
    /// Month of the fate or the decision; `None` while open (and for receipt metrics).
    pub f_month: Option<YearMonth>,
    pub metric: String,
    pub n: i64,
}

/// The facts of one request that the tallies count, as the projection stores them.
pub struct RequestFacts<'a> {
    pub state: &'a RequestState,
    pub applicant_kind: ApplicantKind,
    pub unit: Option<&'a str>,
    pub service_wd: Option<u32>,
    pub on_time: Option<bool>,
}

impl<'a> RequestFacts<'a> {
    pub fn of(
        state: &'a RequestState,
        applicant_kind: ApplicantKind,
        unit: Option<&'a str>,
        cal: &WorkingCalendar,
    ) -> Self {
        Self {
            state,
            applicant_kind,
            unit,
            service_wd: state.service_working_days(cal).and_then(Result::ok),
            on_time: state.decided_on_time(cal),
        }
    }
}

/// What one request adds to the report tally (mirror of `lentera_request_tally` in the
/// migrations).
pub fn contributions(f: &RequestFacts<'_>) -> Vec<TallyRow> {
    let s = f.state;
    let rm = month_of(s.received_on);
    let row = |unit: Option<&str>, f_month: Option<YearMonth>, metric: String| TallyRow {
        unit: unit.map(str::to_owned),
        r_month: rm,
        f_month,
        metric,
        n: 1,
    };
    let mut out = vec![
        row(None, None, "received".into()),
        row(None, None, format!("channel:{}", s.channel.as_str())),
        row(
            None,
            None,
            format!("applicant:{}", f.applicant_kind.as_str()),
        ),
        row(None, None, format!("obtain:{}", s.obtain.as_str())),
    ];
    if let Some(u) = f.unit {
        out.push(row(Some(u), None, "unit".into()));
    }
    if s.extended {
        out.push(row(
            None,
            Some(s.extended_on.map_or(rm, month_of)),
            "extended".into(),
        ));
    }
    let decided_on = s.decision.as_ref().map(|d| d.decided_on);
    let ended = matches!(
        s.status,
        RequestStatus::Withdrawn | RequestStatus::NotProcessable
    );
    // One known difference from the fold: a request decided in the period and withdrawn while
    // awaiting payment after its end counts here as open at the end (its fate month is the
    // withdrawal's), where the fold as of the period's last day sees it decided. Rare, and the
    // reconciliation still holds.
    let (fate_month, fate) = match (s.status, decided_on) {
        (RequestStatus::Withdrawn, _) => (Some(s.ended_on.map_or(rm, month_of)), "withdrawn"),
        (RequestStatus::NotProcessable, _) => {
            (Some(s.ended_on.map_or(rm, month_of)), "not_processable")
        }
        (_, Some(d)) => (Some(month_of(d)), "decided"),
        (_, None) => (None, "open"),
    };
    out.push(row(None, fate_month, format!("fate:{fate}")));
    if let (false, Some(decision)) = (ended, s.decision.as_ref()) {
        let dm = Some(month_of(decision.decided_on));
        out.push(row(
            None,
            dm,
            format!("outcome:{}", decision.outcome.as_str()),
        ));
        let class = match f.on_time {
            Some(true) if s.extended => "extended_on_time",
            Some(true) => "within_10",
            _ => "late",
        };
        out.push(row(None, dm, format!("time:{class}")));
        if let Some(wd) = f.service_wd {
            out.push(row(None, dm, format!("wd:{wd}")));
        }
        if decision.outcome == Outcome::RejectedExempt {
            let mut grounds: Vec<&str> = decision.grounds.iter().map(|g| g.as_str()).collect();
            grounds.sort_unstable();
            grounds.dedup();
            for g in grounds {
                out.push(row(None, dm, format!("ground:{g}")));
            }
        }
    }
    out
}

/// The request figures of a period of whole months `[first, last]` from summed counters
/// (rows outside the period are ignored).
pub fn request_figures(rows: &[TallyRow], first: YearMonth, last: YearMonth) -> RequestFigures {
    let mut r = RequestFigures::default();
    let mut histogram: BTreeMap<u32, u64> = BTreeMap::new();
    let mut on_time = 0u64;
    for row in rows {
        if row.r_month < first || row.r_month > last || row.n <= 0 {
            continue;
        }
        let n = u64::try_from(row.n).unwrap_or(0);
        let by_end = row.f_month.is_some_and(|m| m <= last);
        let (kind, value) = row.metric.split_once(':').unwrap_or((&row.metric, ""));
        match kind {
            "received" => {
                r.received += n;
                *r.by_month.entry(row.r_month.1).or_default() += n;
            }
            "channel" => {
                *r.by_channel.entry(leak(value)).or_default() += n;
                *r.by_month_channel
                    .entry(row.r_month.1)
                    .or_default()
                    .entry(leak(value))
                    .or_default() += n;
            }
            "applicant" => *r.by_applicant_kind.entry(leak(value)).or_default() += n,
            "obtain" => *r.by_obtain.entry(leak(value)).or_default() += n,
            "unit" => {
                if let Some(u) = &row.unit {
                    *r.by_unit.entry(u.clone()).or_default() += n;
                }
            }
            "extended" if by_end => r.extended += n,
            "fate" => match value {
                _ if !by_end => r.open_at_end += n,
                "decided" => r.decided += n,
                "withdrawn" => r.withdrawn += n,
                "not_processable" => r.not_processable += n,
                _ => r.open_at_end += n,
            },
            "outcome" if by_end => match Outcome::parse(value) {
                Some(Outcome::Granted) => r.granted_fully += n,
                Some(Outcome::PartiallyGranted) => r.granted_partially += n,
                Some(Outcome::RejectedExempt) => r.refused.exempt += n,
                Some(Outcome::NotHeld) => r.refused.not_held += n,
                Some(Outcome::NotDocumented) => r.refused.not_documented += n,
                None => {}
            },
            "ground" if by_end => *r.refused.exempt_by_ground.entry(leak(value)).or_default() += n,
            "time" if by_end => match value {
                "within_10" => {
                    r.service_time.within_10 += n;
                    on_time += n;
                }
                "extended_on_time" => {
                    r.service_time.extended_on_time += n;
                    on_time += n;
                }
                _ => r.service_time.late += n,
            },
            "wd" if by_end => {
                if let Ok(wd) = value.parse::<u32>() {
                    *histogram.entry(wd).or_default() += n;
                }
            }
            _ => {}
        }
    }
    r.refused.total = r.refused.exempt + r.refused.not_held + r.refused.not_documented;
    r.reconciles = r.received == r.decided + r.not_processable + r.withdrawn + r.open_at_end;
    let count: u64 = histogram.values().sum();
    if count > 0 {
        let sum: f64 = histogram
            .iter()
            .map(|(wd, n)| f64::from(*wd) * as_f64(*n))
            .sum();
        r.service_time.mean_wd = Some((sum / as_f64(count) * 100.0).round() / 100.0);
    }
    r.service_time.median_wd = median_of_histogram(&histogram);
    if r.decided > 0 {
        r.service_time.on_time_percent =
            Some((as_f64(on_time) * 10_000.0 / as_f64(r.decided)).round() / 100.0);
    }
    r.service_time.wd_histogram = histogram;
    r
}

#[allow(clippy::cast_precision_loss)]
fn as_f64(n: u64) -> f64 {
    n as f64
}

/// The figures' maps are keyed by the contract's `&'static str` names; tally metrics carry them
/// as text. Known names map back to their static strings; an unknown one (a newer version's
/// value in an older binary) is kept under `"other"`.
fn leak(value: &str) -> &'static str {
    use crate::values::{Channel, ExemptionGround, Obtain};
    Channel::parse(value)
        .map(Channel::as_str)
        .or_else(|| ApplicantKind::parse(value).map(ApplicantKind::as_str))
        .or_else(|| Obtain::parse(value).map(Obtain::as_str))
        .or_else(|| ExemptionGround::parse(value).map(ExemptionGround::as_str))
        .unwrap_or("other")
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use time::macros::date;

    use super::*;
    use crate::calendar::NationalCalendar;
    use crate::report::{RequestInput, annual};
    use crate::request::{Decision, Fee, RequestEvent, WrittenNotice};
    use crate::values::{Channel, Delivery, ExemptionGround, Obtain};

    fn cal() -> WorkingCalendar {
        WorkingCalendar::national_default(&NationalCalendar::shipped().expect("shipped"))
    }

    fn decided(outcome: Outcome, grounds: Vec<ExemptionGround>, on: Date) -> RequestEvent {
        RequestEvent::Decided(Decision {
            outcome,
            grounds,
            consequence_test: None,
            decided_on: on,
            notice: WrittenNotice {
                under_control: true,
                holder: None,
                accepted: outcome.grants(),
                reasons: String::new(),
                material: None,
                redactions: vec![],
                delivery: Delivery::Email,
                format: Obtain::Softcopy,
                fee: Fee::default(),
            },
        })
    }

    type Log = Vec<(RequestEvent, Date)>;

    const CHANNELS: [Channel; 3] = [Channel::Web, Channel::Email, Channel::InPerson];
    const GROUNDS: [ExemptionGround; 3] =
        [ExemptionGround::A, ExemptionGround::H, ExemptionGround::J];

    /// One generated history: received on `t0`, maybe extended after `ext` days, then a fate
    /// `after` days later.
    fn history(
        offset: i64,
        ext: Option<i64>,
        fate: u8,
        after: i64,
        ch: usize,
    ) -> Vec<(RequestEvent, Date)> {
        let t0 = date!(2024 - 10 - 01) + time::Duration::days(offset);
        let mut log = vec![(
            RequestEvent::Received {
                received_on: t0,
                channel: CHANNELS[ch % CHANNELS.len()],
                obtain: if ch.is_multiple_of(2) {
                    Obtain::Softcopy
                } else {
                    Obtain::View
                },
                delivery: Delivery::Email,
            },
            t0,
        )];
        if let Some(e) = ext {
            let on = t0 + time::Duration::days(e);
            log.push((
                RequestEvent::Extended {
                    reason: "perlu waktu".into(),
                    notice_on: on,
                },
                on,
            ));
        }
        // Events come in date order: the fate is not before the extension.
        let then = t0 + time::Duration::days(after.max(ext.unwrap_or(0)));
        let g = GROUNDS[usize::from(fate) % GROUNDS.len()];
        let event = match fate % 8 {
            0 => Some(decided(Outcome::Granted, vec![], then)),
            1 => Some(decided(Outcome::PartiallyGranted, vec![g], then)),
            2 => Some(decided(
                Outcome::RejectedExempt,
                vec![g, ExemptionGround::C],
                then,
            )),
            3 => Some(decided(Outcome::NotHeld, vec![], then)),
            4 => Some(RequestEvent::Withdrawn {
                on: then,
                reason: None,
            }),
            5 => Some(RequestEvent::NotProcessable { reason: "x".into() }),
            6 => Some(decided(Outcome::NotDocumented, vec![], then)),
            _ => None,
        };
        if let Some(e) = event {
            log.push((e, then));
        }
        log
    }

    proptest! {
        /// Counting each request once into month counters and reading the period back gives
        /// exactly the figures of folding every log as of the period's last day.
        #[test]
        fn tallies_give_the_figures_of_the_fold(
            reqs in prop::collection::vec(
                (0i64..540, prop::option::of(0i64..12), 0u8..8, 0i64..45, 0usize..3, 0usize..3),
                0..60,
            ),
            part in 0usize..4,
        ) {
            let c = cal();
            let (from, to) = [
                (date!(2025 - 01 - 01), date!(2025 - 12 - 31)),
                (date!(2025 - 01 - 01), date!(2025 - 06 - 30)),
                (date!(2025 - 07 - 01), date!(2025 - 09 - 30)),
                (date!(2025 - 10 - 01), date!(2025 - 12 - 31)),
            ][part];
            let units = [None, Some("bappeda"), Some("dinkes")];
            let logs: Vec<(Log, Option<&str>)> = reqs
                .iter()
                .map(|(o, e, f, a, ch, u)| (history(*o, *e, *f, *a, *ch), units[*u]))
                // Histories the state machine refuses are not generated on purpose.
                .filter(|(l, _)| RequestState::from_events(l.iter().map(|(e, d)| (e, *d)), &c).is_ok())
                .collect();
            let inputs: Vec<RequestInput<'_>> = logs
                .iter()
                .map(|(l, u)| RequestInput {
                    events: l,
                    applicant_kind: ApplicantKind::Individual,
                    unit: *u,
                    number: "n",
                })
                .collect();
            let oracle = annual(&inputs, &[], from, to, &c).requests;

            let mut rows: Vec<TallyRow> = Vec::new();
            for (log, unit) in &logs {
                let Ok(state) = RequestState::from_events(log.iter().map(|(e, d)| (e, *d)), &c) else {
                    continue;
                };
                rows.extend(contributions(&RequestFacts::of(&state, ApplicantKind::Individual, *unit, &c)));
            }
            let got = request_figures(&rows, month_of(from), month_of(to));
            prop_assert_eq!(got, oracle);
        }
    }

    #[test]
    fn histogram_median_matches_the_list_median() {
        let h: BTreeMap<u32, u64> = [(2, 2), (5, 1), (9, 1)].into_iter().collect();
        assert_eq!(median_of_histogram(&h), Some(3.5));
        let h: BTreeMap<u32, u64> = [(2, 2), (5, 1)].into_iter().collect();
        assert_eq!(median_of_histogram(&h), Some(2.0));
        assert_eq!(median_of_histogram(&BTreeMap::new()), None);
        assert_eq!(parse_month("2025-03"), Some((2025, 3)));
        assert_eq!(parse_month(""), None);
        assert_eq!(parse_month("2025-13"), None);
    }
}
