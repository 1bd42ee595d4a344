//! The worked examples: objection and dispute deadlines, grounds, deliberation, reopening.

use time::macros::date;

use super::{cal, decide, filed, request};
use crate::dispute::{Court, DisputeEvent, DisputeState, DisputeStatus, Ruling, SessionStage};
use crate::objection::*;
use crate::request::RequestEvent;
use crate::values::{ExemptionGround, Outcome};

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
    assert!(
        !reopened
            .allowed_actions(date!(2026 - 03 - 02), &c)
            .contains(&"extend")
    );
    assert!(
        reopened
            .allowed_actions(date!(2026 - 03 - 02), &c)
            .contains(&"decide")
    );
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

#[test]
fn a_new_request_is_offered_no_objection_and_a_filed_ground_is_not_offered_again() {
    let c = cal();
    let r = request(date!(2026 - 02 - 02));
    // Ground b alone (periodic information) is always available, but offers nothing here.
    assert_eq!(
        available_grounds(&r, date!(2026 - 02 - 02), &c),
        vec![Ground::B]
    );
    assert!(offered_grounds(&r, date!(2026 - 02 - 02), &c, None).is_empty());
    // Ignored past its due date: c and g arise, b comes along.
    let late = date!(2026 - 02 - 19);
    assert_eq!(
        offered_grounds(&r, late, &c, None),
        vec![Ground::B, Ground::C, Ground::G]
    );
    // Once objected to, nothing new has arisen: no second form.
    assert!(offered_grounds(&r, late, &c, Some(late)).is_empty());
    assert!(offered_grounds(&r, date!(2026 - 03 - 02), &c, Some(late)).is_empty());
    // A refusal decided after that objection is a new ground.
    let refused = decide(
        &r,
        Outcome::RejectedExempt,
        vec![ExemptionGround::H],
        date!(2026 - 02 - 20),
        0,
    );
    let offered = offered_grounds(&refused, date!(2026 - 02 - 23), &c, Some(late));
    assert!(offered.contains(&Ground::A), "{offered:?}");
    assert!(!offered.contains(&Ground::C), "{offered:?}");
}
