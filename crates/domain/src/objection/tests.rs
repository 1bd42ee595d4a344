use proptest::prelude::*;
use time::macros::date;

use super::*;
use crate::calendar::NationalCalendar;
use crate::dispute::{
    APPEAL_WORKING_DAYS, Court, DisputeError, DisputeEvent, DisputeState, DisputeStatus,
    FINISH_WORKING_DAYS, Ruling, START_WORKING_DAYS, SessionStage,
};
use crate::request::{Decision, Fee, RequestEvent, WrittenNotice};
use crate::values::{Channel, Delivery, ExemptionGround, Obtain, Outcome};

fn cal() -> WorkingCalendar {
    WorkingCalendar::national_default(&NationalCalendar::shipped().expect("shipped"))
}

fn request(on: Date) -> RequestState {
    RequestState::start(&RequestEvent::Received {
        received_on: on,
        channel: Channel::Web,
        obtain: Obtain::Softcopy,
        delivery: Delivery::Email,
    })
    .expect("start")
}

fn decide(
    r: &RequestState,
    outcome: Outcome,
    grounds: Vec<ExemptionGround>,
    on: Date,
    fee: u64,
) -> RequestState {
    let d = Decision {
        outcome,
        grounds,
        consequence_test: None,
        decided_on: on,
        notice: WrittenNotice {
            under_control: true,
            holder: None,
            accepted: outcome.grants(),
            reasons: "x".into(),
            material: None,
            redactions: vec![],
            delivery: Delivery::Email,
            format: Obtain::Softcopy,
            fee: Fee {
                amount_idr: fee,
                method: None,
            },
        },
    };
    r.apply(&RequestEvent::Decided(d), on, &cal())
        .expect("decide")
}

fn filed(on: Date, grounds: Vec<Ground>) -> ObjectionState {
    ObjectionState::start(&ObjectionEvent::Filed {
        received_on: on,
        grounds,
        reason: "alasan".into(),
        late: false,
    })
    .expect("file")
}

/// Domain spec §13.2: answer due 30 WD after filing; dispute window 14 WD after that.
#[test]
fn objection_deadlines_match_the_worked_examples() {
    let c = cal();
    for (received, answer, dispute) in [
        (
            date!(2024 - 03 - 25),
            date!(2024 - 05 - 20),
            date!(2024 - 06 - 11),
        ),
        (
            date!(2024 - 11 - 11),
            date!(2024 - 12 - 24),
            date!(2025 - 01 - 16),
        ),
        (
            date!(2024 - 12 - 02),
            date!(2025 - 01 - 16),
            date!(2025 - 02 - 10),
        ),
        (
            date!(2025 - 03 - 03),
            date!(2025 - 04 - 24),
            date!(2025 - 05 - 19),
        ),
    ] {
        let o = filed(received, vec![Ground::C]);
        assert_eq!(o.answer_due(&c), Ok(answer));
        assert_eq!(o.dispute_deadline(&c), Ok(dispute), "{received}");
        assert!(!o.unanswered(answer, &c));
        assert!(o.unanswered(answer.next_day().expect("day"), &c));
    }
}

#[test]
fn not_answered_is_available_only_after_the_due_date_passed() {
    let c = cal();
    let r = request(date!(2026 - 02 - 02));
    // Due 18 Feb 2026.
    assert_eq!(
        ground_date(Ground::C, &r, date!(2026 - 02 - 18), &c),
        Err("not_yet_overdue")
    );
    assert_eq!(
        available_grounds(&r, date!(2026 - 02 - 10), &c),
        vec![Ground::B]
    );
    let late = available_grounds(&r, date!(2026 - 02 - 19), &c);
    assert_eq!(late, vec![Ground::B, Ground::C, Ground::G]);
    // The window starts the working day after the lapsed due date.
    assert_eq!(
        ground_date(Ground::C, &r, date!(2026 - 02 - 19), &c),
        Ok(date!(2026 - 02 - 19))
    );
}

#[test]
fn grounds_follow_the_decision() {
    let c = cal();
    let r = request(date!(2026 - 02 - 02));
    let refused = decide(
        &r,
        Outcome::RejectedExempt,
        vec![ExemptionGround::H],
        date!(2026 - 02 - 10),
        0,
    );
    let g = available_grounds(&refused, date!(2026 - 02 - 11), &c);
    assert!(g.contains(&Ground::A) && g.contains(&Ground::D) && g.contains(&Ground::E));
    assert!(
        !g.contains(&Ground::C) && !g.contains(&Ground::F) && !g.contains(&Ground::G),
        "{g:?}"
    );
    let late_with_fee = decide(&r, Outcome::Granted, vec![], date!(2026 - 02 - 20), 50_000);
    let g = available_grounds(&late_with_fee, date!(2026 - 02 - 23), &c);
    assert!(
        g.contains(&Ground::F) && g.contains(&Ground::G) && !g.contains(&Ground::A),
        "{g:?}"
    );
}

#[test]
fn only_grounds_b_to_g_can_be_settled_by_deliberation() {
    let o = filed(date!(2026 - 02 - 02), vec![Ground::A, Ground::D]);
    let settle = ObjectionEvent::Settled {
        on: date!(2026 - 02 - 05),
        minutes: "Berita acara".into(),
    };
    assert_eq!(
        o.apply(&settle),
        Err(ObjectionError::NotSettleable(vec![Ground::A]))
    );
    let o = filed(date!(2026 - 02 - 02), vec![Ground::F]);
    assert_eq!(
        o.apply(&settle).map(|s| s.status),
        Ok(ObjectionStatus::Settled)
    );
}

#[test]
fn a_decided_objection_cannot_be_decided_again() {
    let o = filed(date!(2026 - 02 - 02), vec![Ground::C]);
    let d = ObjectionEvent::Decided {
        outcome: ObjectionOutcome::Upheld,
        decided_on: date!(2026 - 02 - 20),
        answer: "PPID diperintahkan menjawab".into(),
    };
    let o = o.apply(&d).expect("decide");
    assert_eq!(o.status, ObjectionStatus::Upheld);
    assert!(matches!(
        o.apply(&d),
        Err(ObjectionError::NotAllowed { .. })
    ));
    assert_eq!(
        o.dispute_deadline(&cal()),
        cal().add_working_days(date!(2026 - 02 - 20), 14)
    );
}

#[test]
fn an_upheld_objection_reopens_the_request_with_a_new_due_date() {
    let c = cal();
    let r = request(date!(2026 - 02 - 02));
    let refused = decide(
        &r,
        Outcome::RejectedExempt,
        vec![ExemptionGround::H],
        date!(2026 - 02 - 10),
        0,
    );
    let reopened = refused
        .apply(
            &RequestEvent::Reopened {
                on: date!(2026 - 03 - 02),
                objection: "KEB".into(),
            },
            date!(2026 - 03 - 02),
            &c,
        )
        .expect("reopen");
    assert_eq!(reopened.status, RequestStatus::InProgress);
    assert!(reopened.decision.is_none());
    assert_eq!(
        reopened.deadlines(&c).map(|d| d.effective_due),
        c.add_working_days(date!(2026 - 03 - 02), 10)
    );
    assert!(!reopened.allowed_actions().contains(&"extend"));
    assert!(reopened.allowed_actions().contains(&"decide"));
}

#[test]
fn dispute_deadlines_follow_the_law() {
    let c = cal();
    let filed_on = date!(2026 - 03 - 02);
    let d = DisputeState::start(&DisputeEvent::Filed {
        filed_on,
        commission: "KI Provinsi Jawa Tengah".into(),
    })
    .expect("file");
    let dl = d.deadlines(&c).expect("in range");
    assert_eq!(dl.ki_start_by, c.add_working_days(filed_on, 14).ok());
    assert_eq!(dl.ki_finish_by, c.add_working_days(filed_on, 100).ok());
    assert!(dl.ki_finish_by.is_some());
    assert_eq!((dl.appeal_by, dl.cassation_by), (None, None));
    // Past the loaded years each deadline is provisional on its own, not all of them.
    let late = DisputeState::start(&DisputeEvent::Filed {
        filed_on: date!(2026 - 11 - 23),
        commission: "KI".into(),
    })
    .expect("file");
    let late = late.deadlines(&c).expect("computed");
    assert!(late.ki_start_by.is_some() && late.ki_finish_by.is_some());
    assert!(!late.ki_start_provisional && late.ki_finish_provisional);
    let steps = [
        DisputeEvent::Registered {
            on: date!(2026 - 03 - 04),
            ki_number: "012/REG-PSI/III/2026".into(),
        },
        DisputeEvent::Session {
            on: date!(2026 - 03 - 16),
            stage: SessionStage::Mediation,
            note: "Mediasi I".into(),
        },
        DisputeEvent::MediationFailed {
            on: date!(2026 - 03 - 30),
        },
        DisputeEvent::Session {
            on: date!(2026 - 04 - 13),
            stage: SessionStage::Adjudication,
            note: "Sidang ajudikasi".into(),
        },
        DisputeEvent::Ruled {
            ruling: Ruling::Granted,
            on: date!(2026 - 05 - 04),
            received_on: date!(2026 - 05 - 06),
            number: "012/PTS/2026".into(),
        },
    ];
    let ruled = DisputeState::from_events(
        std::iter::once(&DisputeEvent::Filed {
            filed_on,
            commission: "KI".into(),
        })
        .chain(steps.iter()),
    )
    .expect("fold");
    assert_eq!(ruled.status, DisputeStatus::Ruled);
    assert_eq!(
        ruled.deadlines(&c).expect("in range").appeal_by,
        c.add_working_days(date!(2026 - 05 - 06), 14).ok()
    );
    let in_court = ruled
        .apply(&DisputeEvent::Appealed {
            court: Court::Ptun,
            filed_on: date!(2026 - 05 - 20),
            case_number: "45/G/KI/2026/PTUN.SMG".into(),
        })
        .and_then(|s| {
            s.apply(&DisputeEvent::CourtDecided {
                on: date!(2026 - 07 - 01),
                received_on: date!(2026 - 07 - 03),
                summary: "Menguatkan putusan KI".into(),
            })
        })
        .expect("court");
    // Kasasi: 14 calendar days, weekends included.
    assert_eq!(
        in_court.deadlines(&c).expect("in range").cassation_by,
        Some(date!(2026 - 07 - 17))
    );
    let done = in_court
        .apply(&DisputeEvent::Final {
            on: date!(2026 - 07 - 20),
        })
        .and_then(|s| {
            s.apply(&DisputeEvent::Complied {
                on: date!(2026 - 07 - 27),
                evidence: "Informasi diserahkan".into(),
            })
        })
        .expect("complied");
    assert_eq!(done.status, DisputeStatus::Complied);
    assert!(
        done.apply(&DisputeEvent::Withdrawn {
            on: date!(2026 - 07 - 28)
        })
        .is_err()
    );
    // Steps cannot be dated before the previous one.
    assert!(matches!(
        ruled.apply(&DisputeEvent::Final {
            on: date!(2026 - 04 - 01)
        }),
        Err(crate::dispute::DisputeError::OutOfOrder { .. })
    ));
}

/// Filing dates over the loaded years, with extra weight on the autumn of 2026 so that some
/// answer and dispute deadlines run into 2027, whose SKB is not loaded.
fn any_filing_date() -> impl Strategy<Value = Date> {
    prop_oneof![
        4 => 0i64..1096,
        1 => 1000i64..1096,
    ]
    .prop_map(|o| date!(2024 - 01 - 01) + time::Duration::days(o))
}

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

/// Each of `statuses` was reached in at least `percent` % of the generated cases.
fn assert_reached<'a>(
    what: &str,
    reach: &std::collections::BTreeMap<&str, usize>,
    cases: usize,
    statuses: impl Iterator<Item = &'a str>,
    percent: usize,
) {
    println!("{what} reach in {cases} cases: {reach:?}");
    for st in statuses {
        let n = reach.get(st).copied().unwrap_or(0);
        assert!(
            n * 100 >= cases * percent,
            "{what}: {st} reached in {n} of {cases} cases"
        );
    }
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
