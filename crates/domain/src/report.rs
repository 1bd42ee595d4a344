//! Figures of the *Laporan Layanan Informasi Publik* (domain spec §8.3), computed from the event
//! logs as they stood at the end of the period — never typed in.

use std::collections::BTreeMap;

use serde::Serialize;
use time::Date;

use crate::calendar::WorkingCalendar;
use crate::objection::{Ground, ObjectionOutcome, ObjectionState, ObjectionStatus};
use crate::request::{RequestEvent, RequestState, RequestStatus};
use crate::values::{ApplicantKind, Outcome};

/// One request as the report needs it: its log (with each event's legal date) and the facts
/// that are not events.
pub struct RequestInput<'a> {
    pub events: &'a [(RequestEvent, Date)],
    pub applicant_kind: ApplicantKind,
    pub unit: Option<&'a str>,
    pub number: &'a str,
}

pub struct ObjectionInput<'a> {
    pub events: &'a [crate::objection::ObjectionEvent],
    pub disputed: bool,
    pub number: &'a str,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Refusals {
    pub total: u64,
    pub exempt: u64,
    /// Per letter of Pasal 17 (a request may cite several).
    pub exempt_by_ground: BTreeMap<&'static str, u64>,
    pub not_held: u64,
    pub not_documented: u64,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ServiceTime {
    /// Decided within 10 WD.
    pub within_10: u64,
    /// Decided in 11–17 WD after a valid extension.
    pub extended_on_time: u64,
    /// Decided after the applicable due date.
    pub late: u64,
    pub mean_wd: Option<f64>,
    pub median_wd: Option<f64>,
    pub on_time_percent: Option<f64>,
    /// Decided requests by working days taken (so that roll-ups and charts stay exact).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub wd_histogram: BTreeMap<u32, u64>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct RequestFigures {
    pub received: u64,
    pub decided: u64,
    pub granted_fully: u64,
    pub granted_partially: u64,
    pub refused: Refusals,
    pub not_processable: u64,
    pub withdrawn: u64,
    pub open_at_end: u64,
    /// `received = decided + not_processable + withdrawn + open_at_end`.
    pub reconciles: bool,
    pub by_month: BTreeMap<u8, u64>,
    pub by_channel: BTreeMap<&'static str, u64>,
    /// Table 3.1: month of receipt × channel.
    pub by_month_channel: BTreeMap<u8, BTreeMap<&'static str, u64>>,
    pub by_applicant_kind: BTreeMap<&'static str, u64>,
    pub by_obtain: BTreeMap<&'static str, u64>,
    pub by_unit: BTreeMap<String, u64>,
    pub extended: u64,
    pub service_time: ServiceTime,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ObjectionFigures {
    pub received: u64,
    pub by_ground: BTreeMap<&'static str, u64>,
    pub answered: u64,
    pub answered_on_time: u64,
    pub upheld: u64,
    pub partially_upheld: u64,
    pub dismissed: u64,
    pub settled: u64,
    pub unanswered: u64,
    pub disputed: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OldOpen {
    pub number: String,
    pub since: Date,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AnnualFigures {
    pub from: Date,
    pub to: Date,
    pub requests: RequestFigures,
    pub objections: ObjectionFigures,
    /// The ten oldest requests still open at the end of the period.
    pub oldest_open_requests: Vec<OldOpen>,
    pub oldest_open_objections: Vec<OldOpen>,
}

/// The median of a histogram of working days (the mean of the two middle values when even).
pub fn median_of_histogram(h: &BTreeMap<u32, u64>) -> Option<f64> {
    let n: u64 = h.values().sum();
    if n == 0 {
        return None;
    }
    // Zero-based ranks of the middle value(s).
    let (lo, hi) = if n % 2 == 1 {
        (n / 2, n / 2)
    } else {
        (n / 2 - 1, n / 2)
    };
    let mut seen = 0u64;
    let mut lo_v = None;
    for (v, c) in h {
        if lo_v.is_none() && seen + c > lo {
            lo_v = Some(*v);
        }
        if seen + c > hi {
            return lo_v.map(|l| (f64::from(l) + f64::from(*v)) / 2.0);
        }
        seen += c;
    }
    None
}

fn median(sorted: &[u32]) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    Some(if n % 2 == 1 {
        f64::from(sorted[n / 2])
    } else {
        (f64::from(sorted[n / 2 - 1]) + f64::from(sorted[n / 2])) / 2.0
    })
}

/// The figures for requests received in `[from, to]`, each folded as of `to`.
pub fn annual(
    requests: &[RequestInput<'_>],
    objections: &[ObjectionInput<'_>],
    from: Date,
    to: Date,
    cal: &WorkingCalendar,
) -> AnnualFigures {
    let mut r = RequestFigures::default();
    let mut service: Vec<u32> = Vec::new();
    let mut on_time = 0u64;
    let mut open = Vec::new();
    for input in requests {
        let upto: Vec<(&RequestEvent, Date)> = input
            .events
            .iter()
            .filter(|(_, d)| *d <= to)
            .map(|(e, d)| (e, *d))
            .collect();
        let Ok(state) = RequestState::from_events(upto, cal) else {
            continue;
        };
        if state.received_on < from || state.received_on > to {
            continue;
        }
        r.received += 1;
        *r.by_month
            .entry(u8::from(state.received_on.month()))
            .or_default() += 1;
        *r.by_channel.entry(state.channel.as_str()).or_default() += 1;
        *r.by_month_channel
            .entry(u8::from(state.received_on.month()))
            .or_default()
            .entry(state.channel.as_str())
            .or_default() += 1;
        *r.by_applicant_kind
            .entry(input.applicant_kind.as_str())
            .or_default() += 1;
        *r.by_obtain.entry(state.obtain.as_str()).or_default() += 1;
        if let Some(u) = input.unit {
            *r.by_unit.entry(u.to_owned()).or_default() += 1;
        }
        if state.extended {
            r.extended += 1;
        }
        match (state.status, &state.decision) {
            (RequestStatus::Withdrawn, _) => r.withdrawn += 1,
            (RequestStatus::NotProcessable, _) => r.not_processable += 1,
            (_, Some(d)) => {
                r.decided += 1;
                match d.outcome {
                    Outcome::Granted => r.granted_fully += 1,
                    Outcome::PartiallyGranted => r.granted_partially += 1,
                    Outcome::RejectedExempt => {
                        r.refused.exempt += 1;
                        for g in &d.grounds {
                            *r.refused.exempt_by_ground.entry(g.as_str()).or_default() += 1;
                        }
                    }
                    Outcome::NotHeld => r.refused.not_held += 1,
                    Outcome::NotDocumented => r.refused.not_documented += 1,
                }
                if let Some(Ok(wd)) = state.service_working_days(cal) {
                    service.push(wd);
                }
                match state.decided_on_time(cal) {
                    Some(true) if state.extended => {
                        r.service_time.extended_on_time += 1;
                        on_time += 1;
                    }
                    Some(true) => {
                        r.service_time.within_10 += 1;
                        on_time += 1;
                    }
                    _ => r.service_time.late += 1,
                }
            }
            (_, None) => {
                r.open_at_end += 1;
                open.push(OldOpen {
                    number: input.number.to_owned(),
                    since: state.received_on,
                });
            }
        }
    }
    r.refused.total = r.refused.exempt + r.refused.not_held + r.refused.not_documented;
    r.reconciles = r.received == r.decided + r.not_processable + r.withdrawn + r.open_at_end;
    service.sort_unstable();
    if !service.is_empty() {
        let sum: f64 = service.iter().map(|x| f64::from(*x)).sum();
        r.service_time.mean_wd = Some((sum / service.len() as f64 * 100.0).round() / 100.0);
    }
    r.service_time.median_wd = median(&service);
    for wd in &service {
        *r.service_time.wd_histogram.entry(*wd).or_default() += 1;
    }
    if r.decided > 0 {
        r.service_time.on_time_percent =
            Some((on_time as f64 * 10_000.0 / r.decided as f64).round() / 100.0);
    }
    open.sort_by(|a, b| a.since.cmp(&b.since).then_with(|| a.number.cmp(&b.number)));
    open.truncate(10);

    let mut o = ObjectionFigures::default();
    let mut open_objections = Vec::new();
    for input in objections {
        let Ok(s) = ObjectionState::from_events(input.events.iter()) else {
            continue;
        };
        if s.received_on < from || s.received_on > to {
            continue;
        }
        o.received += 1;
        for g in &s.grounds {
            *o.by_ground.entry(Ground::as_str(*g)).or_default() += 1;
        }
        match (s.outcome, s.decided_on) {
            (Some(outcome), Some(d)) if d <= to => {
                o.answered += 1;
                if s.answer_due(cal).is_ok_and(|due| d <= due) {
                    o.answered_on_time += 1;
                }
                match outcome {
                    ObjectionOutcome::Upheld => o.upheld += 1,
                    ObjectionOutcome::PartiallyUpheld => o.partially_upheld += 1,
                    ObjectionOutcome::Dismissed => o.dismissed += 1,
                }
            }
            _ if s.status == ObjectionStatus::Settled => o.settled += 1,
            _ => {
                if s.unanswered(to, cal) {
                    o.unanswered += 1;
                }
                open_objections.push(OldOpen {
                    number: input.number.to_owned(),
                    since: s.received_on,
                });
            }
        }
        if input.disputed {
            o.disputed += 1;
        }
    }
    open_objections.sort_by(|a, b| a.since.cmp(&b.since).then_with(|| a.number.cmp(&b.number)));
    open_objections.truncate(10);
    AnnualFigures {
        from,
        to,
        requests: r,
        objections: o,
        oldest_open_requests: open,
        oldest_open_objections: open_objections,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use time::macros::date;

    use super::*;
    use crate::calendar::NationalCalendar;
    use crate::request::{Decision, Fee, WrittenNotice};
    use crate::values::{Channel, Delivery, ExemptionGround, Obtain};

    fn cal() -> WorkingCalendar {
        WorkingCalendar::national_default(&NationalCalendar::shipped().expect("shipped"))
    }

    fn received(on: Date) -> (RequestEvent, Date) {
        (
            RequestEvent::Received {
                received_on: on,
                channel: Channel::Web,
                obtain: Obtain::Softcopy,
                delivery: Delivery::Email,
            },
            on,
        )
    }

    fn decided(outcome: Outcome, grounds: Vec<ExemptionGround>, on: Date) -> (RequestEvent, Date) {
        let notice = WrittenNotice {
            under_control: true,
            holder: None,
            accepted: outcome.grants(),
            reasons: String::new(),
            material: None,
            redactions: vec![],
            delivery: Delivery::Email,
            format: Obtain::Softcopy,
            fee: Fee::default(),
        };
        (
            RequestEvent::Decided(Decision {
                outcome,
                grounds,
                consequence_test: None,
                decided_on: on,
                notice,
            }),
            on,
        )
    }

    /// Domain spec §13.5, scaled: every kind of ending plus requests still open on 31 Dec.
    #[test]
    fn the_report_reconciles_and_counts_what_happened_by_the_end_of_the_year() {
        let c = cal();
        let t0 = date!(2025 - 03 - 03);
        let logs: Vec<Vec<(RequestEvent, Date)>> = vec![
            vec![
                received(t0),
                decided(Outcome::Granted, vec![], date!(2025 - 03 - 10)),
            ],
            vec![
                received(t0),
                decided(
                    Outcome::PartiallyGranted,
                    vec![ExemptionGround::H],
                    date!(2025 - 03 - 12),
                ),
            ],
            vec![
                received(t0),
                decided(
                    Outcome::RejectedExempt,
                    vec![ExemptionGround::H, ExemptionGround::A],
                    date!(2025 - 03 - 14),
                ),
            ],
            vec![
                received(t0),
                decided(Outcome::NotHeld, vec![], date!(2025 - 04 - 30)),
            ],
            vec![
                received(t0),
                (
                    RequestEvent::Withdrawn {
                        on: date!(2025 - 03 - 05),
                        reason: None,
                    },
                    date!(2025 - 03 - 05),
                ),
            ],
            vec![
                received(t0),
                (
                    RequestEvent::NotProcessable { reason: "x".into() },
                    date!(2025 - 03 - 06),
                ),
            ],
            // Received in December, decided in January: open at the end of 2025.
            vec![
                received(date!(2025 - 12 - 22)),
                decided(Outcome::Granted, vec![], date!(2026 - 01 - 05)),
            ],
            // Received in 2024: not in the 2025 report.
            vec![
                received(date!(2024 - 12 - 02)),
                decided(Outcome::Granted, vec![], date!(2024 - 12 - 10)),
            ],
        ];
        let inputs: Vec<RequestInput<'_>> = logs
            .iter()
            .map(|l| RequestInput {
                events: l,
                applicant_kind: ApplicantKind::Individual,
                unit: None,
                number: "x",
            })
            .collect();
        let f = annual(
            &inputs,
            &[],
            date!(2025 - 01 - 01),
            date!(2025 - 12 - 31),
            &c,
        );
        let r = &f.requests;
        assert_eq!(
            (
                r.received,
                r.decided,
                r.not_processable,
                r.withdrawn,
                r.open_at_end
            ),
            (7, 4, 1, 1, 1)
        );
        assert!(r.reconciles);
        assert_eq!(
            (
                r.granted_fully,
                r.granted_partially,
                r.refused.total,
                r.refused.exempt,
                r.refused.not_held
            ),
            (1, 1, 2, 1, 1)
        );
        assert_eq!(r.refused.exempt_by_ground.get("17h"), Some(&1));
        assert_eq!(
            r.service_time.late, 1,
            "the not-held answer came after its due date"
        );
        assert_eq!(r.service_time.on_time_percent, Some(75.0));
        assert_eq!(f.oldest_open_requests.len(), 1);
        assert_eq!(r.by_month.get(&3), Some(&6));
    }

    proptest! {
        /// Whatever happened, the four endings add up to what was received.
        #[test]
        fn received_always_reconciles(
            days in prop::collection::vec((0i64..500, 0u8..5, 0i64..40), 0..40),
        ) {
            let c = cal();
            let logs: Vec<Vec<(RequestEvent, Date)>> = days
                .iter()
                .map(|(offset, fate, after)| {
                    let t0 = date!(2025 - 01 - 01) + time::Duration::days(*offset);
                    let then = t0 + time::Duration::days(*after);
                    let mut log = vec![received(t0)];
                    match fate {
                        0 => log.push(decided(Outcome::Granted, vec![], then)),
                        1 => log.push(decided(Outcome::RejectedExempt, vec![ExemptionGround::C], then)),
                        2 => log.push((RequestEvent::Withdrawn { on: then, reason: None }, then)),
                        3 => log.push((RequestEvent::NotProcessable { reason: "x".into() }, then)),
                        _ => {}
                    }
                    log
                })
                .collect();
            let inputs: Vec<RequestInput<'_>> =
                logs.iter().map(|l| RequestInput { events: l, applicant_kind: ApplicantKind::Individual, unit: None, number: "n" }).collect();
            let f = annual(&inputs, &[], date!(2025 - 01 - 01), date!(2025 - 12 - 31), &c);
            let r = &f.requests;
            prop_assert!(r.reconciles);
            prop_assert_eq!(r.decided, r.granted_fully + r.granted_partially + r.refused.total);
            prop_assert_eq!(r.decided, r.service_time.within_10 + r.service_time.extended_on_time + r.service_time.late);
            prop_assert_eq!(r.by_month.values().sum::<u64>(), r.received);
        }
    }
}
