//! Generated objection histories: every accepted sequence keeps the invariants of §5.5 and
//! Pasal 36.

use proptest::prelude::*;

use super::{any_filing_date, assert_reached, cal, filed};
use crate::objection::*;

/// One thing that happens to an objection; each happens on its own day after the filing.
#[derive(Debug, Clone)]
enum ObjectionStep {
    Review,
    /// Settled with the minutes, or (`blank`) without them.
    Settle {
        blank: bool,
    },
    Decide {
        outcome: ObjectionOutcome,
        blank: bool,
    },
    Dispute,
    Close,
    Recompute {
        in_doubt: bool,
    },
}

impl ObjectionStep {
    fn event(&self, today: Date) -> ObjectionEvent {
        let text = |blank: bool, s: &str| if blank { " ".to_owned() } else { s.to_owned() };
        match self {
            Self::Review => ObjectionEvent::ReviewStarted { note: None },
            Self::Settle { blank } => ObjectionEvent::Settled {
                on: today,
                minutes: text(*blank, "Berita acara musyawarah"),
            },
            Self::Decide { outcome, blank } => ObjectionEvent::Decided {
                outcome: *outcome,
                decided_on: today,
                answer: text(*blank, "Tanggapan atasan PPID"),
            },
            Self::Dispute => ObjectionEvent::Disputed { on: today },
            Self::Close => ObjectionEvent::Closed { note: None },
            Self::Recompute { in_doubt } => ObjectionEvent::DueRecomputed {
                from: today,
                to: today + time::Duration::days(2),
                reason: "SKB dimuat".into(),
                lateness_in_doubt: *in_doubt,
            },
        }
    }
}

fn any_objection_step() -> impl Strategy<Value = ObjectionStep> {
    let blank = prop::bool::weighted(0.15);
    prop_oneof![
        3 => Just(ObjectionStep::Review),
        2 => blank.prop_map(|blank| ObjectionStep::Settle { blank }),
        4 => (prop::sample::select(ObjectionOutcome::ALL.to_vec()), blank)
            .prop_map(|(outcome, blank)| ObjectionStep::Decide { outcome, blank }),
        2 => Just(ObjectionStep::Dispute),
        3 => Just(ObjectionStep::Close),
        1 => any::<bool>().prop_map(|in_doubt| ObjectionStep::Recompute { in_doubt }),
    ]
}

/// What must hold of an objection after any accepted events (spec §5.5 states, Pasal 36
/// deadlines).
fn check_objection_invariants(
    s: &ObjectionState,
    filed: &ObjectionState,
    decisions: usize,
    in_doubt_recorded: bool,
    today: Date,
    c: &WorkingCalendar,
) -> Result<(), TestCaseError> {
    use ObjectionStatus as S;
    // What the requester filed is never rewritten.
    prop_assert_eq!(s.received_on, filed.received_on);
    prop_assert_eq!(&s.grounds, &filed.grounds);
    prop_assert_eq!(&s.reason, &filed.reason);
    prop_assert_eq!(s.late, filed.late);
    // One answer at most, recorded whole.
    prop_assert!(decisions <= 1);
    prop_assert_eq!(s.outcome.is_some(), decisions == 1);
    prop_assert_eq!(s.decided_on.is_some(), decisions == 1);
    prop_assert_eq!(s.answer.is_some(), decisions == 1);
    if let Some(a) = &s.answer {
        prop_assert!(!a.trim().is_empty());
    }
    match s.status {
        S::Upheld => prop_assert_eq!(s.outcome, Some(ObjectionOutcome::Upheld)),
        S::PartiallyUpheld => prop_assert_eq!(s.outcome, Some(ObjectionOutcome::PartiallyUpheld)),
        S::Dismissed => prop_assert_eq!(s.outcome, Some(ObjectionOutcome::Dismissed)),
        S::Received | S::InReview => prop_assert_eq!(s.outcome, None),
        // Deliberation (Pasal 35(2)) is for grounds b–g, and ends without an answer.
        S::Settled => {
            prop_assert_eq!(s.outcome, None);
            prop_assert!(s.grounds.iter().all(|g| g.settleable()));
        }
        S::Disputed | S::Closed => {}
    }
    // A lateness in doubt stays flagged once raised.
    prop_assert_eq!(s.lateness_in_doubt, in_doubt_recorded);

    // The answer is due 30 WD after filing (Pasal 36(2)); the requester then has 14 WD.
    let due = s
        .answer_due(c)
        .map_err(|e| TestCaseError::fail(format!("no answer due date: {e}")))?;
    prop_assert!(due > s.received_on);
    prop_assert_eq!(
        c.working_days_between(s.received_on, due),
        Ok(ANSWER_WORKING_DAYS)
    );
    prop_assert_eq!(c.is_working_day(due), Ok(true));
    prop_assert_eq!(s.answer_due_provisional(c), due.year() >= 2027);
    let from = s.decided_on.unwrap_or(due);
    let last_day = s
        .dispute_deadline(c)
        .map_err(|e| TestCaseError::fail(format!("no dispute deadline: {e}")))?;
    prop_assert_eq!(c.working_days_between(from, last_day), Ok(14));
    prop_assert!(last_day > from);
    prop_assert_eq!(
        s.unanswered(today, c),
        s.status.awaits_answer() && today > due
    );
    Ok(())
}

#[test]
fn objection_sequences_keep_their_invariants() {
    use proptest::test_runner::{Config, TestRunner};
    let c = cal();
    let reach = std::cell::RefCell::new(std::collections::BTreeMap::<&str, usize>::new());
    let cases = std::cell::Cell::new(0usize);
    // A fixed number of cases: the reach below is a share of them.
    let mut runner = TestRunner::new(Config {
        cases: 256,
        ..Config::with_source_file(file!())
    });
    let strategy = (
        any_filing_date(),
        prop::collection::btree_set(prop::sample::select(Ground::ALL.to_vec()), 1..4),
        any::<bool>(),
        prop::collection::vec((any_objection_step(), 0i64..8), 0..14),
    );
    let result = runner.run(&strategy, |(t0, grounds, late, steps)| {
        let grounds: Vec<Ground> = grounds.into_iter().collect();
        let filing = ObjectionEvent::Filed {
            received_on: t0,
            grounds: grounds.clone(),
            reason: "alasan".into(),
            late,
        };
        let filed = ObjectionState::start(&filing).expect("file");
        let mut s = filed.clone();
        let (mut decisions, mut in_doubt) = (0, false);
        let mut seen = std::collections::BTreeSet::new();
        let mut day = 0;
        for (step, gap) in steps {
            day += gap;
            let today = t0 + time::Duration::days(day);
            let e = step.event(today);
            let before = s.clone();
            match before.apply(&e) {
                Ok(next) => {
                    if before.status == ObjectionStatus::Closed {
                        prop_assert!(
                            matches!(e, ObjectionEvent::DueRecomputed { .. }),
                            "{} after closing",
                            e.kind()
                        );
                    }
                    match &e {
                        ObjectionEvent::ReviewStarted { .. } => {
                            prop_assert_eq!(before.status, ObjectionStatus::Received)
                        }
                        ObjectionEvent::Settled { .. } | ObjectionEvent::Decided { .. } => {
                            prop_assert!(before.status.awaits_answer());
                        }
                        ObjectionEvent::DueRecomputed {
                            lateness_in_doubt, ..
                        } => {
                            in_doubt |= *lateness_in_doubt;
                            // A record beside the chain: only the flag may change.
                            prop_assert_eq!(next.status, before.status);
                        }
                        _ => {}
                    }
                    if matches!(e, ObjectionEvent::Decided { .. }) {
                        decisions += 1;
                    }
                    if matches!(e, ObjectionEvent::Disputed { .. }) {
                        prop_assert!(!matches!(
                            before.status,
                            ObjectionStatus::Settled
                                | ObjectionStatus::Disputed
                                | ObjectionStatus::Closed
                        ));
                    }
                    s = next;
                    seen.insert(s.status.as_str());
                }
                Err(err) => {
                    // Grounds with a Pasal 17 refusal (a) cannot be settled, whatever the minutes.
                    if matches!(e, ObjectionEvent::Settled { .. })
                        && before.status.awaits_answer()
                        && grounds.contains(&Ground::A)
                    {
                        prop_assert_eq!(err, ObjectionError::NotSettleable(vec![Ground::A]));
                    }
                }
            }
            check_objection_invariants(&s, &filed, decisions, in_doubt, today, &c)?;
        }
        check_objection_invariants(&s, &filed, decisions, in_doubt, t0, &c)?;
        cases.set(cases.get() + 1);
        let mut r = reach.borrow_mut();
        for st in seen {
            *r.entry(st).or_default() += 1;
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    // The rarest outcomes come in 12-17 % of cases: 5 % is more than three standard deviations
    // below, so a miss means the generator regressed, not bad luck.
    let statuses = ObjectionStatus::ALL
        .into_iter()
        .filter(|s| *s != ObjectionStatus::Received)
        .map(ObjectionStatus::as_str);
    assert_reached("objection", &reach.into_inner(), cases.get(), statuses, 5);
}

proptest! {
    #[test]
    fn answer_is_due_thirty_working_days_after_filing(on in any_filing_date()) {
        let c = cal();
        let o = filed(on, vec![Ground::B]);
        let due = o.answer_due(&c).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(c.working_days_between(on, due), Ok(30));
        prop_assert_eq!(c.is_working_day(due), Ok(true));
    }
}

proptest! {
    /// What the tracking page offers is allowed by the record, never ground b alone, and
    /// nothing that arose on or before the last filing.
    #[test]
    fn offered_grounds_are_available_new_and_about_the_request(
        received in any_filing_date(),
        decided_after in prop::option::of(0i64..40),
        outcome in prop::sample::select(crate::values::Outcome::ALL.to_vec()),
        today_after in 0i64..80,
        filed_after in prop::option::of(0i64..80),
    ) {
        let c = cal();
        let mut r = super::request(received);
        if let Some(d) = decided_after {
            let grounds = if matches!(outcome, crate::values::Outcome::RejectedExempt | crate::values::Outcome::PartiallyGranted) { vec![crate::values::ExemptionGround::H] } else { vec![] };
            r = super::decide(&r, outcome, grounds, received + time::Duration::days(d), 0);
        }
        let today = received + time::Duration::days(today_after);
        let last = filed_after.map(|f| received + time::Duration::days(f));
        let offered = offered_grounds(&r, today, &c, last);
        let available = available_grounds(&r, today, &c);
        prop_assert!(offered.iter().all(|g| available.contains(g)));
        prop_assert!(offered != vec![Ground::B]);
        if let Some(f) = last {
            for g in &offered {
                let arose = ground_date(*g, &r, today, &c).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert!(arose > f, "{g:?} arose {arose} on or before the filing {f}");
            }
        }
        if last.is_none() && available.iter().any(|g| *g != Ground::B) {
            prop_assert_eq!(offered, available);
        }
    }
}
