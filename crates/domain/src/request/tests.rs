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
    assert!(s.allowed_actions().is_empty());
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

fn any_event(t0: Date) -> impl Strategy<Value = RequestEvent> {
    let d = (0i64..40).prop_map(move |o| t0 + time::Duration::days(o));
    prop_oneof![
        Just(RequestEvent::Verified),
        Just(RequestEvent::MarkedIncomplete {
            note: "KTP tidak terbaca".into()
        }),
        Just(RequestEvent::Routed {
            unit: "dinas".into(),
            internal_due: None
        }),
        d.clone().prop_map(extend),
        (d.clone(), prop::sample::select(Outcome::ALL.to_vec())).prop_map(|(on, o)| {
            let grounds = if matches!(o, Outcome::RejectedExempt | Outcome::PartiallyGranted) {
                vec![ExemptionGround::H]
            } else {
                vec![]
            };
            decision(o, grounds, on)
        }),
        Just(RequestEvent::PaymentRequested {
            fee: Fee {
                amount_idr: 5000,
                method: None
            }
        }),
        d.clone()
            .prop_map(|on| RequestEvent::Delivered { on, note: None }),
        Just(RequestEvent::Closed { note: None }),
        d.clone()
            .prop_map(|on| RequestEvent::Withdrawn { on, reason: None }),
        (d.clone(), d.clone()).prop_map(|(from, to)| RequestEvent::DueRecomputed {
            from,
            to,
            reason: "SKB 2027 dimuat".into()
        }),
        Just(RequestEvent::NotProcessable {
            reason: "tidak dilengkapi".into()
        }),
    ]
}

proptest! {
    /// Whatever officers try, accepted events keep the machine's invariants, and a refused
    /// event changes nothing.
    #[test]
    fn random_event_sequences_keep_the_invariants(
        offset in 0i64..900,
        tries in prop::collection::vec((any_event(date!(2024 - 01 - 02)), 0i64..40), 1..25),
    ) {
        let c = cal();
        let t0 = date!(2024 - 01 - 02) + time::Duration::days(offset);
        let mut state = RequestState::start(&received(t0)).expect("start");
        let mut log = vec![(received(t0), t0)];
        let mut extensions = 0;
        for (event, day) in tries {
            let event = match event {
                RequestEvent::Extended { reason, .. } => RequestEvent::Extended { reason, notice_on: t0 + time::Duration::days(day) },
                other => other,
            };
            let today = t0 + time::Duration::days(day);
            let before = state.clone();
            match state.apply(&event, today, &c) {
                Ok(next) => {
                    if matches!(event, RequestEvent::Extended { .. }) { extensions += 1; }
                    prop_assert!(!before.status.is_final(), "a final state accepted {:?}", event.kind());
                    if next.decision.is_some() { prop_assert!(!next.status.awaits_decision()); }
                    state = next;
                    log.push((event, today));
                }
                Err(_) => prop_assert_eq!(&state, &before),
            }
            prop_assert!(extensions <= 1);
            prop_assert_eq!(state.extended, extensions == 1);
            // Every offered action's name is one the machine knows; final states offer none.
            if state.status.is_final() { prop_assert!(state.allowed_actions().is_empty()); }
        }
        // The state is exactly the fold of the accepted log (replay gives the same result).
        let replayed = RequestState::from_events(log.iter().map(|(e, d)| (e, *d)), &c).expect("replay");
        prop_assert_eq!(&replayed, &state);
        if let Ok(Deadlines { notice_due, effective_due, .. }) = state.deadlines(&c) {
            prop_assert!(notice_due <= effective_due);
            prop_assert_eq!(c.working_days_between(notice_due, effective_due), Ok(if state.extended { 7 } else { 0 }));
        }
            }

    /// Every state reachable by legal events has a legal path to a final state.
    #[test]
    fn every_reachable_state_can_end(
        tries in prop::collection::vec(any_event(date!(2025 - 03 - 03)), 0..12),
    ) {
        let c = cal();
        let t0 = date!(2025 - 03 - 03);
        let mut state = RequestState::start(&received(t0)).expect("start");
        for e in &tries {
            if let Ok(next) = state.apply(e, t0, &c) { state = next; }
        }
        let finishers = [
            RequestEvent::Withdrawn { on: t0, reason: None },
            RequestEvent::Delivered { on: t0, note: None },
            RequestEvent::Closed { note: None },
            RequestEvent::NotProcessable { reason: "x".into() },
        ];
        let mut s = state;
        for _ in 0..3 {
            if s.status.is_final() { break; }
            if let Some(next) = finishers.iter().find_map(|f| s.apply(f, t0, &c).ok()) { s = next; }
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
