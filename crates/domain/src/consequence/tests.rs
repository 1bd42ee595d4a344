use proptest::prelude::*;
use time::macros::date;

use super::*;

fn raw() -> RawTest {
    RawTest {
        information: Some("Dokumen penyelidikan kasus korupsi dana desa".into()),
        source: Some("Berkas penyidikan No. 12/2026".into()),
        grounds: vec!["17a".into()],
        harm: Some("Menghambat proses penyidikan".into()),
        public_interest: Some("Kepentingan penegakan hukum lebih besar".into()),
        period_kind: Some("until_date".into()),
        period_until: Some("2030-12-31".into()),
        ..RawTest::default()
    }
}

fn determination(on: Date) -> Determination {
    Determination {
        number: "188/01/PPID/2026".into(),
        on,
        place: "Kendal".into(),
        official: "PPID Utama".into(),
    }
}

fn decided(on: Date) -> TestState {
    let fields = raw().validate().expect("valid");
    TestState::from_events(&[
        TestEvent::Drafted { fields },
        TestEvent::Submitted,
        TestEvent::Decided(determination(on)),
    ])
    .expect("decided")
}

#[test]
fn submission_needs_the_four_minimum_fields() {
    let fields = RawTest {
        information: Some("x".into()),
        ..RawTest::default()
    }
    .validate()
    .expect("a draft may be incomplete");
    let mut s = TestState::create(&TestEvent::Drafted { fields }).expect("draft");
    let Err(TestError::Incomplete(e)) = s.apply(&TestEvent::Submitted) else {
        panic!("incomplete test was submitted")
    };
    for f in ["grounds", "harm", "public_interest", "period_kind"] {
        assert!(e.has(f), "{f} not reported: {e:?}");
    }
}

#[test]
fn grounds_a_to_f_need_an_end_date_within_30_years() {
    let mut r = raw();
    r.period_kind = Some("while_other_law".into());
    let f = r.validate().expect("shape");
    assert!(f.completeness_errors().has("period_kind"));
    let mut r = raw();
    r.grounds = vec!["17h".into()];
    r.period_kind = Some("until_event".into());
    r.period_event = Some("pemilik data meninggal dunia".into());
    assert!(
        r.validate()
            .expect("shape")
            .completeness_errors()
            .is_empty()
    );

    let mut r = raw();
    r.period_until = Some("2057-01-01".into());
    let mut s = TestState::from_events(&[
        TestEvent::Drafted {
            fields: r.validate().expect("valid"),
        },
        TestEvent::Submitted,
    ])
    .expect("tested");
    assert_eq!(
        s.apply(&TestEvent::Decided(determination(date!(2026 - 03 - 01)))),
        Err(TestError::PeriodTooLong)
    );
    let mut s = TestState::from_events(&[
        TestEvent::Drafted {
            fields: raw().validate().expect("valid"),
        },
        TestEvent::Submitted,
    ])
    .expect("tested");
    assert_eq!(
        s.apply(&TestEvent::Decided(determination(date!(2031 - 01 - 01)))),
        Err(TestError::PeriodEndsBeforeDecision)
    );
}

#[test]
fn decided_test_is_in_force_until_its_period_ends() {
    let s = decided(date!(2026 - 03 - 01));
    assert!(
        !s.in_force(date!(2026 - 02 - 28)),
        "not before its decision"
    );
    assert!(s.in_force(date!(2026 - 03 - 01)));
    assert!(s.in_force(date!(2030 - 12 - 31)));
    assert!(!s.in_force(date!(2031 - 01 - 01)));
    assert!(s.lapsed(date!(2031 - 01 - 01)));
    assert_eq!(s.review_due, Some(date!(2027 - 03 - 01)));
    assert_eq!(
        s.refusal_problem(date!(2026 - 04 - 01), &[ExemptionGround::A]),
        None
    );
    assert_eq!(
        s.refusal_problem(date!(2026 - 04 - 01), &[ExemptionGround::H]),
        Some("grounds_not_in_test")
    );
}

#[test]
fn annulled_or_open_tests_cannot_be_cited() {
    let mut s = decided(date!(2026 - 03 - 01));
    s.apply(&TestEvent::Annulled {
        on: date!(2026 - 06 - 01),
        ruling: "Putusan KI 12/2026".into(),
    })
    .expect("annul");
    assert_eq!(
        s.refusal_problem(date!(2026 - 06 - 02), &[]),
        Some("not_decided")
    );
    let mut r = raw();
    r.conclusion = Some("open".into());
    let open = TestState::from_events(&[
        TestEvent::Drafted {
            fields: r.validate().expect("valid"),
        },
        TestEvent::Submitted,
        TestEvent::Decided(determination(date!(2026 - 03 - 01))),
    ])
    .expect("decided open");
    assert!(!open.in_force(date!(2026 - 03 - 02)));
}

fn arb_event() -> impl Strategy<Value = TestEvent> {
    let day = (0i64..4000).prop_map(|n| date!(2026 - 01 - 01) + time::Duration::days(n));
    prop_oneof![
        Just(TestEvent::Submitted),
        day.clone()
            .prop_map(|on| TestEvent::Decided(determination(on))),
        (day.clone(), any::<bool>()).prop_map(|(on, keep)| TestEvent::Reviewed {
            on,
            keep,
            note: String::new()
        }),
        day.clone().prop_map(|on| TestEvent::Expired {
            on,
            note: String::new()
        }),
        day.prop_map(|on| TestEvent::Annulled {
            on,
            ruling: "x".into()
        }),
        Just(TestEvent::Amended {
            fields: raw().validate().expect("valid")
        }),
    ]
}

proptest! {
    /// Only decided tests with all minimum fields are ever in force, and a replay of the accepted
    /// events gives the same state.
    #[test]
    fn only_complete_decided_tests_close_information(
        events in proptest::collection::vec(arb_event(), 0..20),
        probe in 0i64..5000,
    ) {
        let mut s = TestState::create(&TestEvent::Drafted { fields: raw().validate().expect("valid") }).expect("draft");
        let mut accepted = vec![TestEvent::Drafted { fields: raw().validate().expect("valid") }];
        for e in events {
            if s.apply(&e).is_ok() {
                accepted.push(e);
            }
        }
        let day = date!(2026 - 01 - 01) + time::Duration::days(probe);
        if s.in_force(day) {
            prop_assert_eq!(s.status, TestStatus::Decided);
            prop_assert!(s.fields.completeness_errors().is_empty());
            prop_assert!(s.determination.is_some());
        }
        prop_assert_eq!(s.ended_on.is_some(), matches!(s.status, TestStatus::Expired | TestStatus::Annulled));
        let replayed = TestState::from_events(&accepted).expect("replay");
        prop_assert_eq!(replayed, s);
    }
}
