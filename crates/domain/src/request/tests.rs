use proptest::prelude::*;
use time::macros::date;

use super::*;
use crate::calendar::NationalCalendar;
use crate::values::{Channel, Delivery, ExemptionGround, Obtain, Outcome};

fn cal() -> WorkingCalendar {
    WorkingCalendar::national_default(&NationalCalendar::shipped().expect("shipped"))
}

fn received(on: Date) -> RequestEvent {
    RequestEvent::Received {
        received_on: on,
        channel: Channel::Web,
        obtain: Obtain::Softcopy,
        delivery: Delivery::Email,
    }
}

fn decision(outcome: Outcome, grounds: Vec<ExemptionGround>, on: Date) -> RequestEvent {
    RequestEvent::Decided(Decision {
        outcome,
        grounds,
        consequence_test: None,
        decided_on: on,
        notice: WrittenNotice {
            under_control: outcome != Outcome::NotHeld,
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

fn extend(on: Date) -> RequestEvent {
    RequestEvent::Extended {
        reason: "Informasi masih dihimpun dari unit".into(),
        notice_on: on,
    }
}

#[test]
fn submit_extend_decide_deliver_close() {
    let c = cal();
    let t0 = date!(2024 - 02 - 05);
    let s = RequestState::start(&received(t0)).expect("start");
    assert_eq!(
        s.deadlines(&c).expect("in range").effective_due,
        date!(2024 - 02 - 22)
    );
    let s = s
        .apply(&extend(date!(2024 - 02 - 20)), date!(2024 - 02 - 20), &c)
        .expect("extend");
    assert_eq!(s.status, RequestStatus::Extended);
    assert_eq!(
        s.deadlines(&c).expect("in range").effective_due,
        date!(2024 - 03 - 04)
    );
    let s = s
        .apply(
            &decision(Outcome::Granted, vec![], date!(2024 - 03 - 01)),
            date!(2024 - 03 - 01),
            &c,
        )
        .expect("decide");
    assert_eq!(s.decided_on_time(&c), Some(true));
    assert_eq!(s.service_working_days(&c), Some(Ok(16)));
    let s = s
        .apply(
            &RequestEvent::Delivered {
                on: date!(2024 - 03 - 01),
                note: None,
            },
            date!(2024 - 03 - 01),
            &c,
        )
        .expect("deliver");
    let s = s
        .apply(
            &RequestEvent::Closed { note: None },
            date!(2024 - 03 - 02),
            &c,
        )
        .expect("close");
    assert!(s.status.is_final());
    assert!(s.allowed_actions(s.received_on, &cal()).is_empty());
}

#[test]
fn a_second_extension_is_refused() {
    let c = cal();
    let t0 = date!(2024 - 02 - 05);
    let s = RequestState::start(&received(t0)).expect("start");
    let s = s.apply(&extend(t0), t0, &c).expect("first");
    assert_eq!(
        s.apply(&extend(t0), t0, &c),
        Err(TransitionError::AlreadyExtended)
    );
}

#[test]
fn an_extension_after_the_due_date_is_refused() {
    let c = cal();
    let s = RequestState::start(&received(date!(2024 - 02 - 05))).expect("start");
    let late = date!(2024 - 02 - 23);
    assert_eq!(
        s.apply(&extend(late), late, &c),
        Err(TransitionError::PastDue {
            due: date!(2024 - 02 - 22)
        })
    );
    // On the due date itself it is still on time.
    let due = date!(2024 - 02 - 22);
    assert!(s.apply(&extend(due), due, &c).is_ok());
}

#[test]
fn overdue_is_computed_from_the_calendar() {
    let c = cal();
    let s = RequestState::start(&received(date!(2024 - 02 - 05))).expect("start");
    assert!(!s.is_overdue(date!(2024 - 02 - 22), &c));
    assert!(s.is_overdue(date!(2024 - 02 - 23), &c));
    let decided = s
        .apply(
            &decision(Outcome::NotHeld, vec![], date!(2024 - 02 - 26)),
            date!(2024 - 02 - 26),
            &c,
        )
        .expect("decide");
    assert!(!decided.is_overdue(date!(2024 - 03 - 30), &c));
    assert_eq!(decided.decided_on_time(&c), Some(false));
}

#[test]
fn refusal_on_exemption_needs_its_grounds() {
    let c = cal();
    let t0 = date!(2024 - 02 - 05);
    let s = RequestState::start(&received(t0)).expect("start");
    let err = s
        .apply(&decision(Outcome::RejectedExempt, vec![], t0), t0, &c)
        .expect_err("no grounds");
    assert_eq!(err.code(), "request.invalid_decision");
    assert!(
        s.apply(
            &decision(Outcome::RejectedExempt, vec![ExemptionGround::H], t0),
            t0,
            &c
        )
        .is_ok()
    );
    assert!(
        s.apply(
            &decision(Outcome::Granted, vec![ExemptionGround::H], t0),
            t0,
            &c
        )
        .is_err()
    );
}

#[test]
fn illegal_transitions_name_the_state() {
    let c = cal();
    let t0 = date!(2024 - 02 - 05);
    let s = RequestState::start(&received(t0)).expect("start");
    let err = s
        .apply(&RequestEvent::Delivered { on: t0, note: None }, t0, &c)
        .expect_err("not decided");
    assert_eq!(
        err,
        TransitionError::NotAllowed {
            from: RequestStatus::Received,
            action: "deliver"
        }
    );
    assert_eq!(
        err.to_string(),
        "'deliver' is not allowed while the request is 'received'"
    );
    assert!(RequestState::from_events([(&RequestEvent::Verified, t0)], &c).is_err());
}

#[test]
fn events_round_trip_through_json_with_a_kind_tag() {
    let e = extend(date!(2024 - 02 - 06));
    let json = serde_json::to_value(&e).expect("serialise");
    assert_eq!(json["kind"], "extended");
    assert_eq!(
        serde_json::from_value::<RequestEvent>(json).expect("parse"),
        e
    );
}

/// One thing an officer, the requester or the system does to a request. Dates are not part of
/// the step: each step happens on its own day, counted from the receipt, so that deadlines
/// guarded by the machine (the extension before the notice due date, a decision not before the
/// receipt) are met or missed as in real files rather than by accident of a far-off date.
#[derive(Debug, Clone)]
enum Step {
    MarkIncomplete,
    Verify,
    Route,
    /// The extension notice is dated `notice_later` days after the day it is recorded.
    Extend {
        notice_later: i64,
    },
    Decide(Outcome),
    /// A notice dated before the receipt: always refused.
    DecideBackdated(Outcome),
    RequestPayment {
        amount_idr: u64,
    },
    Deliver,
    Close,
    Withdraw,
    NotProcessable,
    /// An upheld objection.
    Reopen,
    /// The calendar moved the due date from `today + from` to `today + to`.
    Recompute {
        from: i64,
        to: i64,
    },
}

impl Step {
    fn event(&self, t0: Date, today: Date) -> RequestEvent {
        let decided = |o: Outcome, on: Date| {
            let grounds = if matches!(o, Outcome::RejectedExempt | Outcome::PartiallyGranted) {
                vec![ExemptionGround::H]
            } else {
                vec![]
            };
            decision(o, grounds, on)
        };
        match self {
            Self::MarkIncomplete => RequestEvent::MarkedIncomplete {
                note: "KTP tidak terbaca".into(),
            },
            Self::Verify => RequestEvent::Verified,
            Self::Route => RequestEvent::Routed {
                unit: "dinas".into(),
                internal_due: None,
            },
            Self::Extend { notice_later } => RequestEvent::Extended {
                reason: "Informasi masih dihimpun dari unit".into(),
                notice_on: today + time::Duration::days(*notice_later),
            },
            Self::Decide(o) => decided(*o, today),
            Self::DecideBackdated(o) => decided(*o, t0 - time::Duration::days(3)),
            Self::RequestPayment { amount_idr } => RequestEvent::PaymentRequested {
                fee: Fee {
                    amount_idr: *amount_idr,
                    method: None,
                },
            },
            Self::Deliver => RequestEvent::Delivered {
                on: today,
                note: None,
            },
            Self::Close => RequestEvent::Closed { note: None },
            Self::Withdraw => RequestEvent::Withdrawn {
                on: today,
                reason: None,
            },
            Self::NotProcessable => RequestEvent::NotProcessable {
                reason: "tidak dilengkapi".into(),
            },
            Self::Reopen => RequestEvent::Reopened {
                on: today,
                objection: "KEB-0001/2026".into(),
            },
            Self::Recompute { from, to } => RequestEvent::DueRecomputed {
                from: today + time::Duration::days(*from),
                to: today + time::Duration::days(*to),
                reason: "SKB dimuat".into(),
            },
        }
    }
}

/// Grants and refusals equally often: grants lead on to payment and delivery, refusals to
/// closing straight away.
fn any_outcome() -> impl Strategy<Value = Outcome> {
    prop_oneof![
        2 => Just(Outcome::Granted),
        1 => Just(Outcome::PartiallyGranted),
        1 => Just(Outcome::RejectedExempt),
        1 => Just(Outcome::NotHeld),
        1 => Just(Outcome::NotDocumented),
    ]
}

/// The weights make long legal paths common: withdrawing and "not processable" end a request
/// for good, so they are rare, while the steps that lead on to payment, delivery, closing and
/// reopening are frequent.
fn any_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        1 => Just(Step::MarkIncomplete),
        2 => Just(Step::Verify),
        1 => Just(Step::Route),
        3 => prop_oneof![6 => Just(0i64), 1 => 1i64..30]
            .prop_map(|notice_later| Step::Extend { notice_later }),
        4 => any_outcome().prop_map(Step::Decide),
        1 => any_outcome().prop_map(Step::DecideBackdated),
        4 => prop_oneof![5 => Just(5_000u64), 1 => Just(0u64)]
            .prop_map(|amount_idr| Step::RequestPayment { amount_idr }),
        3 => Just(Step::Deliver),
        3 => Just(Step::Close),
        1 => Just(Step::Withdraw),
        1 => Just(Step::NotProcessable),
        2 => Just(Step::Reopen),
        1 => (-10i64..10, -10i64..10).prop_map(|(from, to)| Step::Recompute { from, to }),
    ]
}

/// One entry of a generated history: a step, the days since the previous entry, and, for an
/// office that follows its own menu at that point, which offered action it takes (and the
/// outcome, if it decides).
#[derive(Debug, Clone)]
struct Move {
    step: Step,
    gap: i64,
    follow: Option<(prop::sample::Index, Outcome)>,
}

impl Move {
    /// The step actually taken. Following the menu makes deep states common whatever their
    /// depth; the other moves are arbitrary and mostly refused, which tests the refusals.
    /// Ending a request for good weighs little so that most files go on.
    fn resolve(
        &self,
        s: &RequestState,
        today: Date,
        c: &WorkingCalendar,
    ) -> Result<Step, TestCaseError> {
        let Some((pick, outcome)) = &self.follow else {
            return Ok(self.step.clone());
        };
        let mut menu: Vec<Step> = Vec::new();
        for action in s.allowed_actions(today, c) {
            let (step, weight) = match action {
                "verify" => (Step::Verify, 3),
                "mark_incomplete" => (Step::MarkIncomplete, 2),
                "route" => (Step::Route, 1),
                "decide" => (Step::Decide(*outcome), 5),
                "extend" => (Step::Extend { notice_later: 0 }, 4),
                "request_payment" => (Step::RequestPayment { amount_idr: 5_000 }, 3),
                "deliver" => (Step::Deliver, 3),
                "close" => (Step::Close, 3),
                "withdraw" => (Step::Withdraw, 1),
                "not_processable" => (Step::NotProcessable, 1),
                other => return Err(TestCaseError::fail(format!("unknown action {other}"))),
            };
            menu.extend(std::iter::repeat_n(step, weight));
        }
        // An answered request may meet an upheld objection.
        if s.decision.is_some() {
            menu.extend(std::iter::repeat_n(Step::Reopen, 2));
        }
        Ok(if menu.is_empty() {
            self.step.clone()
        } else {
            menu[pick.index(menu.len())].clone()
        })
    }
}

/// A history in date order over at most 60 days from the receipt. The first step is often
/// the check of the form (incomplete, or not processable), possible only right after the
/// receipt. A brisk office (a day or two between steps) extends before the due date; a slow
/// one (up to a week between steps, or weeks of nothing) lets it lapse.
fn any_history() -> impl Strategy<Value = Vec<Move>> {
    let opening = prop_oneof![
        3 => Just(Step::MarkIncomplete),
        1 => Just(Step::NotProcessable),
        9 => any_step(),
    ];
    let pace = prop::sample::select(vec![2i64, 4, 8]);
    (opening, pace).prop_flat_map(|(first, pace)| {
        let follow = prop::option::weighted(0.65, (any::<prop::sample::Index>(), any_outcome()));
        // Now and then the file lies untouched for weeks.
        let gap = prop_oneof![9 => 0..pace, 1 => 10i64..25];
        prop::collection::vec((any_step(), gap, follow), 3..30).prop_map(move |rest| {
            std::iter::once(Move {
                step: first.clone(),
                gap: 0,
                follow: None,
            })
            .chain(
                rest.into_iter()
                    .map(|(step, gap, follow)| Move { step, gap, follow }),
            )
            .collect()
        })
    })
}

/// Receipt dates over the three loaded years, with extra weight on the last weeks of 2026 so
/// that deadlines running into 2027 (whose SKB is not loaded) are provisional in some cases.
fn any_receipt() -> impl Strategy<Value = Date> {
    prop_oneof![
        4 => 0i64..1090,
        1 => 1050i64..1094,
    ]
    .prop_map(|o| date!(2024 - 01 - 02) + time::Duration::days(o))
}

/// The officer action an event stands for in [`RequestState::allowed_actions`].
fn action_of(e: &RequestEvent) -> Option<&'static str> {
    Some(match e {
        RequestEvent::MarkedIncomplete { .. } => "mark_incomplete",
        RequestEvent::Verified => "verify",
        RequestEvent::Routed { .. } => "route",
        RequestEvent::Extended { .. } => "extend",
        RequestEvent::Decided(_) => "decide",
        RequestEvent::PaymentRequested { .. } => "request_payment",
        RequestEvent::Delivered { .. } => "deliver",
        RequestEvent::Closed { .. } => "close",
        RequestEvent::Withdrawn { .. } => "withdraw",
        RequestEvent::NotProcessable { .. } => "not_processable",
        RequestEvent::Received { .. }
        | RequestEvent::Reopened { .. }
        | RequestEvent::DueRecomputed { .. } => return None,
    })
}

/// What must hold of a request after any sequence of accepted events, read against the spec
/// (§4.6 deadlines, §4.10 states) rather than against the fold itself.
fn check_request_invariants(
    s: &RequestState,
    c: &WorkingCalendar,
    extensions: usize,
    today: Date,
) -> Result<(), TestCaseError> {
    use RequestStatus as S;
    let grants = s.decision.as_ref().map(|d| d.outcome.grants());

    // Final states, and only they, carry the end date and offer nothing to do.
    prop_assert_eq!(s.ended_on.is_some(), s.status.is_final(), "{:?}", s.status);
    if s.status.is_final() {
        prop_assert!(s.allowed_actions(s.received_on, &cal()).is_empty());
    }

    // The written notice exists exactly in the states after it.
    if matches!(
        s.status,
        S::Decided | S::AwaitingPayment | S::Delivered | S::Closed
    ) {
        prop_assert!(s.decision.is_some(), "{:?} without a decision", s.status);
    }
    if s.status.awaits_decision() || s.status == S::NotProcessable {
        prop_assert!(s.decision.is_none(), "{:?} with a decision", s.status);
    }
    if let Some(d) = &s.decision {
        prop_assert!(d.decided_on >= s.received_on);
        prop_assert!(check_decision(d).is_ok());
        prop_assert!(s.decided_on_time(c).is_some());
        prop_assert!(s.service_working_days(c).is_some_and(|r| r.is_ok()));
    } else {
        prop_assert_eq!(s.decided_on_time(c), None);
    }

    // Payment and delivery only follow a grant.
    if matches!(s.status, S::AwaitingPayment | S::Delivered) {
        prop_assert_eq!(grants, Some(true));
    }
    if s.status == S::AwaitingPayment {
        prop_assert!(s.fee.is_some());
    }
    if let Some(fee) = &s.fee {
        prop_assert!(fee.amount_idr > 0);
        prop_assert_eq!(grants, Some(true));
        prop_assert!(
            matches!(
                s.status,
                S::AwaitingPayment | S::Delivered | S::Closed | S::Withdrawn
            ),
            "fee in {:?}",
            s.status
        );
    }
    let delivered = s.status == S::Delivered || (s.status == S::Closed && grants == Some(true));
    prop_assert_eq!(s.delivered_on.is_some(), delivered, "{:?}", s.status);

    // One extension at most, recorded with its reason and day, sent by the first due date.
    prop_assert!(extensions <= 1);
    prop_assert_eq!(s.extended, extensions == 1);
    prop_assert_eq!(s.extension_reason.is_some(), s.extended);
    prop_assert_eq!(s.extended_on.is_some(), s.extended);
    if s.status == S::Extended {
        prop_assert!(s.extended && s.reopened_on.is_none());
    }
    let first_due = c
        .add_working_days(s.received_on, NOTICE_WORKING_DAYS)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    if let Some(on) = s.extended_on {
        prop_assert!(
            on <= first_due,
            "extended on {} after the due date {}",
            on,
            first_due
        );
    }

    // Deadlines (§4.6): 10 WD from receipt, 7 more once extended; 10 WD from the reopening.
    let d = s
        .deadlines(c)
        .map_err(|e| TestCaseError::fail(format!("no deadline inside the calendar: {e}")))?;
    prop_assert!(d.notice_due > s.received_on);
    prop_assert!(d.notice_due <= d.effective_due);
    prop_assert_eq!(c.is_working_day(d.notice_due), Ok(true));
    prop_assert_eq!(c.is_working_day(d.effective_due), Ok(true));
    match s.reopened_on {
        None => {
            prop_assert_eq!(d.notice_due, first_due);
            prop_assert_eq!(c.working_days_between(s.received_on, d.notice_due), Ok(10));
            let extra = if s.extended { 7 } else { 0 };
            prop_assert_eq!(
                c.working_days_between(d.notice_due, d.effective_due),
                Ok(extra)
            );
        }
        Some(on) => {
            prop_assert_eq!(d.notice_due, d.effective_due);
            prop_assert_eq!(c.working_days_between(on, d.effective_due), Ok(10));
        }
    }
    // Only 2024–2026 are loaded: a deadline is provisional exactly when it reaches 2027.
    prop_assert_eq!(
        d.provisional,
        d.effective_due.year() >= 2027,
        "{}",
        d.effective_due
    );

    // Overdue is the lapse of the effective due date while the answer is owed.
    prop_assert_eq!(
        s.is_overdue(today, c),
        s.status.awaits_decision() && today > d.effective_due
    );
    // A due date moved earlier is flagged only while the answer is owed; answering clears it.
    if s.moved_earlier_from.is_some() {
        prop_assert!(s.decision.is_none());
    }
    Ok(())
}

/// How often a run got somewhere, so that a generator that stops reaching deep states fails
/// the test instead of passing it vacuously.
#[derive(Debug, Default)]
struct Reach {
    cases: usize,
    status: std::collections::BTreeMap<&'static str, usize>,
    reopened: usize,
    reopened_after_an_answer: usize,
    decided_after_reopening: usize,
    guard_refusals: usize,
    overdue: usize,
    provisional: usize,
}

#[test]
fn random_event_sequences_keep_the_invariants() {
    use proptest::test_runner::{Config, TestRunner};
    let c = cal();
    let reach = std::cell::RefCell::new(Reach::default());
    // A fixed number of cases: the reach below is a share of them.
    let mut runner = TestRunner::new(Config {
        cases: 256,
        ..Config::with_source_file(file!())
    });
    let result = runner.run(&(any_receipt(), any_history()), |(t0, steps)| {
        let mut state = RequestState::start(&received(t0)).expect("start");
        let mut log = vec![(received(t0), t0)];
        let mut first_refusal = None;
        let mut extensions = 0;
        let mut seen = std::collections::BTreeSet::from([state.status.as_str()]);
        let (mut reopened, mut reopened_after_answer, mut decided_after_reopening) =
            (false, false, false);
        let (mut guard_refusal, mut overdue, mut provisional) = (false, false, false);
        let mut day = 0;
        check_request_invariants(&state, &c, extensions, t0)?;
        for m in steps {
            day = (day + m.gap).min(60);
            let today = t0 + time::Duration::days(day);
            let event = m.resolve(&state, today, &c)?.event(t0, today);
            let before = state.clone();
            overdue |= before.is_overdue(today, &c);
            let offered =
                action_of(&event).map(|a| (a, before.allowed_actions(today, &c).contains(&a)));
            match before.apply(&event, today, &c) {
                Ok(next) => {
                    if let Some((action, listed)) = offered {
                        prop_assert!(
                            listed,
                            "{} accepted in {:?} but not offered",
                            action,
                            before.status
                        );
                    }
                    if before.status.is_final() {
                        // An upheld objection may reopen a closed request (the 30-WD window
                        // opens at closing); nothing else moves a final state.
                        prop_assert!(
                            matches!(event, RequestEvent::Reopened { .. })
                                && before.status == RequestStatus::Closed,
                            "{} accepted in final {:?}",
                            event.kind(),
                            before.status
                        );
                    }
                    match &event {
                        RequestEvent::Extended { .. } => extensions += 1,
                        RequestEvent::Reopened { .. } => {
                            reopened = true;
                            reopened_after_answer |= before.decision.is_some();
                            prop_assert_eq!(next.status, RequestStatus::InProgress);
                            prop_assert_eq!(next.reopened_on, Some(today));
                        }
                        RequestEvent::Decided(_) => {
                            decided_after_reopening |= before.reopened_on.is_some()
                        }
                        RequestEvent::DueRecomputed { .. } => {
                            // A record: it changes nothing but the flag for the PPID.
                            let mut unflagged = next.clone();
                            unflagged.moved_earlier_from = before.moved_earlier_from;
                            prop_assert_eq!(&unflagged, &before);
                        }
                        _ => {}
                    }
                    state = next;
                    seen.insert(state.status.as_str());
                    log.push((event, today));
                }
                Err(err) => {
                    if let Some((action, listed)) = offered {
                        // "Not allowed" means the action was not offered; any other refusal
                        // (past due, no grounds, zero fee, a second extension) is a guard.
                        let not_allowed = matches!(err, TransitionError::NotAllowed { .. });
                        // An extension offered today, sent today, is never refused.
                        if let RequestEvent::Extended { notice_on, reason } = &event
                            && listed
                            && *notice_on == today
                            && !reason.trim().is_empty()
                        {
                            prop_assert!(false, "extend offered on {} but refused: {}", today, err);
                        }
                        if not_allowed {
                            prop_assert!(
                                !listed,
                                "{} offered in {:?} but refused",
                                action,
                                before.status
                            );
                        } else {
                            guard_refusal = true;
                        }
                    }
                    if first_refusal.is_none() {
                        first_refusal = Some((log.len(), event, today, err));
                    }
                }
            }
            check_request_invariants(&state, &c, extensions, today)?;
            overdue |= state.is_overdue(today, &c);
            provisional |= state.deadlines(&c).is_ok_and(|d| d.provisional);
        }
        // Replaying a log that contains a refused event fails with the same refusal: what is
        // stored is only ever what the machine accepted on that day.
        if let Some((accepted_so_far, event, today, err)) = first_refusal {
            let mut bad = log[..accepted_so_far].to_vec();
            bad.push((event, today));
            prop_assert_eq!(
                RequestState::from_events(bad.iter().map(|(e, d)| (e, *d)), &c),
                Err(err)
            );
        }
        let mut r = reach.borrow_mut();
        r.cases += 1;
        for s in seen {
            *r.status.entry(s).or_default() += 1;
        }
        r.reopened += usize::from(reopened);
        r.reopened_after_an_answer += usize::from(reopened_after_answer);
        r.decided_after_reopening += usize::from(decided_after_reopening);
        r.guard_refusals += usize::from(guard_refusal);
        r.overdue += usize::from(overdue);
        r.provisional += usize::from(provisional);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let r = reach.into_inner();
    println!("request reach: {r:?}");
    // Each state and path must be reached in a good share of the cases. The generator gives at
    // least twice these shares (`--nocapture` prints them), so a miss means it regressed.
    let share = |n: usize, percent: usize| n * 100 >= r.cases * percent;
    for s in RequestStatus::ALL {
        let n = r.status.get(s.as_str()).copied().unwrap_or(0);
        assert!(
            share(n, 8),
            "{} reached in {n} of {} cases",
            s.as_str(),
            r.cases
        );
    }
    for (what, n) in [
        ("reopened", r.reopened),
        ("reopened after an answer", r.reopened_after_an_answer),
        ("decided after reopening", r.decided_after_reopening),
        ("refused by a guard", r.guard_refusals),
        ("overdue", r.overdue),
    ] {
        assert!(share(n, 8), "{what} in {n} of {} cases", r.cases);
    }
    assert!(
        share(r.provisional, 4),
        "provisional in {} of {} cases",
        r.provisional,
        r.cases
    );
}

proptest! {
    /// Every state reachable by legal events has a legal path to a final state.
    #[test]
    fn every_reachable_state_can_end(t0 in any_receipt(), steps in any_history()) {
        let c = cal();
        let mut state = RequestState::start(&received(t0)).expect("start");
        let mut day = 0;
        for m in &steps {
            day = (day + m.gap).min(60);
            let today = t0 + time::Duration::days(day);
            if let Ok(next) = state.apply(&m.resolve(&state, today, &c)?.event(t0, today), today, &c) { state = next; }
        }
        let today = t0 + time::Duration::days(day);
        let finishers = [
            RequestEvent::Withdrawn { on: today, reason: None },
            RequestEvent::Delivered { on: today, note: None },
            RequestEvent::Closed { note: None },
            RequestEvent::NotProcessable { reason: "x".into() },
        ];
        let mut s = state;
        for _ in 0..3 {
            if s.status.is_final() { break; }
            if let Some(next) = finishers.iter().find_map(|f| s.apply(f, today, &c).ok()) { s = next; }
        }
        prop_assert!(s.status.is_final(), "stuck in {:?}", s.status);
    }
}

#[test]
fn a_recomputed_date_earlier_than_the_one_given_is_marked_until_the_answer() {
    let c = cal();
    let t0 = date!(2025 - 03 - 03);
    let s = RequestState::start(&RequestEvent::Received {
        received_on: t0,
        channel: Channel::Web,
        obtain: Obtain::Softcopy,
        delivery: Delivery::Email,
    })
    .expect("start");
    let later = s
        .apply(
            &RequestEvent::DueRecomputed {
                from: date!(2025 - 03 - 17),
                to: date!(2025 - 03 - 19),
                reason: "SKB".into(),
            },
            t0,
            &c,
        )
        .expect("recorded");
    assert_eq!(later.moved_earlier_from, None);
    let earlier = s
        .apply(
            &RequestEvent::DueRecomputed {
                from: date!(2025 - 03 - 19),
                to: date!(2025 - 03 - 17),
                reason: "Penutupan dihapus".into(),
            },
            t0,
            &c,
        )
        .expect("recorded");
    assert_eq!(earlier.moved_earlier_from, Some(date!(2025 - 03 - 19)));
    assert_eq!(earlier.status, s.status);
    let answered = earlier
        .apply(&decision(Outcome::Granted, vec![], t0), t0, &c)
        .expect("decided");
    assert_eq!(answered.moved_earlier_from, None);
}
