//! Generated dispute histories: the chain of §6.3 (mediation, adjudication, ruling, appeal) and
//! its invariants.

use proptest::prelude::*;

use super::{any_filing_date, assert_reached, cal};
use crate::dispute::{
    APPEAL_WORKING_DAYS, Court, DisputeError, DisputeEvent, DisputeState, DisputeStatus,
    FINISH_WORKING_DAYS, Ruling, START_WORKING_DAYS, SessionStage,
};
use crate::objection::*;

/// One step of a dispute (spec §6.3), dated on its own day.
#[derive(Debug, Clone)]
enum DisputeStep {
    /// Registered with the KI's number, or (`blank`) without one.
    Register {
        blank: bool,
    },
    Session(SessionStage),
    MediationFailed,
    /// The ruling, received `received_after` days after it was given.
    Rule {
        ruling: Ruling,
        received_after: i64,
    },
    Appeal(Court),
    CourtDecide {
        received_after: i64,
    },
    FileCassation,
    DecideCassation,
    Final,
    Comply {
        blank: bool,
    },
    Withdraw,
    Recompute,
}

impl DisputeStep {
    fn event(&self, on: Date) -> DisputeEvent {
        let later = |d: &i64| on + time::Duration::days(*d);
        match self {
            Self::Register { blank } => DisputeEvent::Registered {
                on,
                ki_number: if *blank {
                    String::new()
                } else {
                    "012/REG-PSI/2026".into()
                },
            },
            Self::Session(stage) => DisputeEvent::Session {
                on,
                stage: *stage,
                note: "Sidang".into(),
            },
            Self::MediationFailed => DisputeEvent::MediationFailed { on },
            Self::Rule {
                ruling,
                received_after,
            } => DisputeEvent::Ruled {
                ruling: *ruling,
                on,
                received_on: later(received_after),
                number: "012/PTS/2026".into(),
            },
            Self::Appeal(court) => DisputeEvent::Appealed {
                court: *court,
                filed_on: on,
                case_number: "45/G/KI/2026".into(),
            },
            Self::CourtDecide { received_after } => DisputeEvent::CourtDecided {
                on,
                received_on: later(received_after),
                summary: "Menguatkan putusan KI".into(),
            },
            Self::FileCassation => DisputeEvent::CassationFiled { filed_on: on },
            Self::DecideCassation => DisputeEvent::CassationDecided {
                on,
                summary: "Kasasi ditolak".into(),
            },
            Self::Final => DisputeEvent::Final { on },
            Self::Comply { blank } => DisputeEvent::Complied {
                on,
                evidence: if *blank {
                    String::new()
                } else {
                    "Informasi diserahkan".into()
                },
            },
            Self::Withdraw => DisputeEvent::Withdrawn { on },
            Self::Recompute => DisputeEvent::DueRecomputed {
                on,
                deadline: "ki_finish".into(),
                from: on,
                to: on + time::Duration::days(1),
                reason: "SKB dimuat".into(),
            },
        }
    }

    /// Whether the spec's dispute chain (§6.3, Perki 1/2013, UU KIP Pasal 47–50) allows this
    /// step now, written out here independently of [`DisputeState::apply`].
    fn legal_in(&self, s: &DisputeState) -> bool {
        use DisputeStatus as S;
        let before_ruling = matches!(
            s.status,
            S::Filed | S::Registered | S::Mediation | S::Adjudication
        );
        match self {
            Self::Register { .. } => s.status == S::Filed,
            Self::Session(_) | Self::Withdraw => before_ruling,
            Self::MediationFailed => s.status == S::Mediation,
            // A mediation agreement needs a mediation; an adjudication needs a registered case.
            Self::Rule {
                ruling: Ruling::MediationAgreed,
                ..
            } => s.status == S::Mediation,
            Self::Rule { .. } => matches!(s.status, S::Registered | S::Mediation | S::Adjudication),
            Self::Appeal(_) => s.status == S::Ruled,
            Self::CourtDecide { .. } => {
                s.status == S::InCourt && s.court_decision_received_on.is_none()
            }
            Self::FileCassation => s.status == S::InCourt && s.court_decision_received_on.is_some(),
            Self::DecideCassation => s.status == S::Cassation,
            Self::Final => {
                s.status == S::Ruled
                    || (s.status == S::InCourt && s.court_decision_received_on.is_some())
            }
            Self::Comply { .. } => s.status == S::Final,
            Self::Recompute => !matches!(s.status, S::Complied | S::Withdrawn),
        }
    }
}

fn any_dispute_step() -> impl Strategy<Value = DisputeStep> {
    let blank = prop::bool::weighted(0.1);
    let received_after = 0i64..6;
    prop_oneof![
        3 => blank.prop_map(|blank| DisputeStep::Register { blank }),
        4 => prop::sample::select(SessionStage::ALL.to_vec()).prop_map(DisputeStep::Session),
        2 => Just(DisputeStep::MediationFailed),
        4 => (prop::sample::select(Ruling::ALL.to_vec()), received_after.clone())
            .prop_map(|(ruling, received_after)| DisputeStep::Rule { ruling, received_after }),
        2 => prop::sample::select(Court::ALL.to_vec()).prop_map(DisputeStep::Appeal),
        2 => received_after.prop_map(|received_after| DisputeStep::CourtDecide { received_after }),
        2 => Just(DisputeStep::FileCassation),
        2 => Just(DisputeStep::DecideCassation),
        2 => Just(DisputeStep::Final),
        2 => blank.prop_map(|blank| DisputeStep::Comply { blank }),
        1 => Just(DisputeStep::Withdraw),
        1 => Just(DisputeStep::Recompute),
    ]
}

/// One entry of a generated dispute: a step, the days since the previous one, whether the
/// parties follow the chain at that point (then a legal step is picked from `pool` by
/// `pick`), and whether the step is misdated before the previous one.
#[derive(Debug, Clone)]
struct DisputeMove {
    step: DisputeStep,
    gap: i64,
    follow: Option<(prop::sample::Index, Vec<DisputeStep>)>,
    backdated: bool,
}

impl DisputeMove {
    /// Following the chain makes its far end (court, cassation, compliance) common; the
    /// arbitrary steps test the refusals. Withdrawing weighs little, as it ends the case.
    fn resolve(&self, s: &DisputeState) -> DisputeStep {
        let Some((pick, pool)) = &self.follow else {
            return self.step.clone();
        };
        let legal: Vec<&DisputeStep> = pool
            .iter()
            .filter(|st| st.legal_in(s) && !matches!(st, DisputeStep::Recompute))
            .collect();
        if legal.is_empty() {
            self.step.clone()
        } else {
            legal[pick.index(legal.len())].clone()
        }
    }
}

fn any_dispute() -> impl Strategy<Value = Vec<DisputeMove>> {
    let pool = prop::collection::vec(any_dispute_step(), 12..24);
    let follow = prop::option::weighted(0.75, (any::<prop::sample::Index>(), pool));
    prop::collection::vec(
        (
            any_dispute_step(),
            0i64..20,
            follow,
            prop::bool::weighted(0.05),
        ),
        3..24,
    )
    .prop_map(|moves| {
        moves
            .into_iter()
            .map(|(step, gap, follow, backdated)| DisputeMove {
                step,
                gap,
                follow,
                backdated,
            })
            .collect()
    })
}

/// What must hold of a dispute after any accepted steps.
fn check_dispute_invariants(
    s: &DisputeState,
    filed_on: Date,
    c: &WorkingCalendar,
) -> Result<(), TestCaseError> {
    use DisputeStatus as S;
    prop_assert_eq!(s.filed_on, filed_on);
    prop_assert!(s.last_step >= s.filed_on);
    // A ruling exists exactly from the ruling on, with the day it was received.
    let ruled = matches!(
        s.status,
        S::Ruled | S::InCourt | S::Cassation | S::Final | S::Complied
    );
    prop_assert_eq!(s.ruling.is_some(), ruled, "{:?}", s.status);
    prop_assert_eq!(s.ruling_received_on.is_some(), ruled);
    if s.ruling == Some(Ruling::MediationAgreed) {
        prop_assert!(s.mediated);
        // A mediation agreement is final at once: it is not taken to court.
        prop_assert!(s.court.is_none());
    }
    if matches!(s.status, S::InCourt | S::Cassation) {
        prop_assert!(s.court.is_some());
    }
    if s.court_decision_received_on.is_some() {
        prop_assert!(s.court.is_some());
    }
    if s.status == S::Cassation {
        prop_assert!(s.court_decision_received_on.is_some());
    }
    prop_assert_eq!(
        s.final_on.is_some(),
        matches!(s.status, S::Final | S::Complied)
    );
    prop_assert_eq!(s.complied_on.is_some(), s.status == S::Complied);
    if let Some(f) = s.final_on {
        prop_assert!(f >= s.filed_on && f <= s.last_step);
    }

    // The KI starts within 14 WD and finishes within 100 WD (Pasal 38); the court appeal runs
    // 14 WD from receipt of a ruling; kasasi 14 calendar days from the court decision.
    let d = s
        .deadlines(c)
        .map_err(|e| TestCaseError::fail(format!("no dispute deadlines: {e}")))?;
    let (Some(start), Some(finish)) = (d.ki_start_by, d.ki_finish_by) else {
        return Err(TestCaseError::fail(
            "KI deadlines missing inside the calendar",
        ));
    };
    prop_assert_eq!(
        c.working_days_between(s.filed_on, start),
        Ok(START_WORKING_DAYS)
    );
    prop_assert_eq!(
        c.working_days_between(s.filed_on, finish),
        Ok(FINISH_WORKING_DAYS)
    );
    prop_assert!(s.filed_on < start && start < finish);
    prop_assert_eq!(d.ki_start_provisional, start.year() >= 2027);
    prop_assert_eq!(d.ki_finish_provisional, finish.year() >= 2027);
    prop_assert_eq!(d.appeal_by.is_some(), s.status == S::Ruled);
    if let (Some(appeal), Some(received)) = (d.appeal_by, s.ruling_received_on) {
        prop_assert_eq!(
            c.working_days_between(received, appeal),
            Ok(APPEAL_WORKING_DAYS)
        );
    }
    let cassation_open = s.status == S::InCourt && s.court_decision_received_on.is_some();
    prop_assert_eq!(d.cassation_by.is_some(), cassation_open);
    if let (Some(by), Some(received)) = (d.cassation_by, s.court_decision_received_on) {
        prop_assert_eq!((by - received).whole_days(), 14);
    }
    Ok(())
}

#[test]
fn dispute_sequences_follow_the_chain_and_keep_their_invariants() {
    use proptest::test_runner::{Config, TestRunner};
    let c = cal();
    let reach = std::cell::RefCell::new(std::collections::BTreeMap::<&str, usize>::new());
    let cases = std::cell::Cell::new(0usize);
    // A fixed number of cases: the reach below is a share of them.
    let mut runner = TestRunner::new(Config {
        cases: 256,
        ..Config::with_source_file(file!())
    });
    let result = runner.run(&(any_filing_date(), any_dispute()), |(filed_on, moves)| {
        let mut s = DisputeState::start(&DisputeEvent::Filed {
            filed_on,
            commission: "KI Provinsi Jawa Tengah".into(),
        })
        .expect("file");
        let mut seen = std::collections::BTreeSet::new();
        let mut day = 0;
        for m in moves {
            day += m.gap;
            let step = m.resolve(&s);
            let on = if m.backdated {
                s.last_step - time::Duration::days(1)
            } else {
                filed_on + time::Duration::days(day).max(s.last_step - filed_on)
            };
            let e = step.event(on);
            let before = s.clone();
            let result = before.apply(&e);
            if matches!(step, DisputeStep::Recompute) {
                // A record beside the chain: it changes nothing.
                if let Ok(next) = &result {
                    prop_assert_eq!(next, &before);
                }
            } else if m.backdated {
                prop_assert_eq!(
                    result.clone(),
                    Err(DisputeError::OutOfOrder {
                        previous: before.last_step
                    })
                );
            }
            let blank = matches!(
                step,
                DisputeStep::Register { blank: true } | DisputeStep::Comply { blank: true }
            );
            if !m.backdated && !blank {
                // In date order and complete, a step is accepted exactly when the chain allows it.
                prop_assert_eq!(
                    result.is_ok(),
                    step.legal_in(&before),
                    "{:?} in {:?}: {:?}",
                    step,
                    before.status,
                    result
                );
            }
            if let Ok(next) = result {
                if !matches!(step, DisputeStep::Recompute) {
                    prop_assert_eq!(next.last_step, on);
                }
                s = next;
                seen.insert(s.status.as_str());
            }
            check_dispute_invariants(&s, filed_on, &c)?;
        }
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
    // The rarest status (cassation) comes in 9-14 % of cases: 4 % is more than three standard
    // deviations below it, so a miss means the generator regressed, not bad luck.
    let statuses = DisputeStatus::ALL
        .iter()
        .filter(|s| **s != DisputeStatus::Filed)
        .map(|s| s.as_str());
    assert_reached("dispute", &reach.into_inner(), cases.get(), statuses, 4);
}
