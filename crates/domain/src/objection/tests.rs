//! Tests of objections and disputes: the worked examples of the law (`tests/examples.rs`) and
//! generated sequences of steps (`tests/objection_sequences.rs`, `tests/dispute_sequences.rs`),
//! with the fixtures and generators they share.

use proptest::prelude::*;
use time::macros::date;

use super::*;
use crate::calendar::NationalCalendar;
use crate::request::{Decision, Fee, RequestEvent, WrittenNotice};
use crate::values::{Channel, Delivery, ExemptionGround, Obtain, Outcome};

mod dispute_sequences;
mod examples;
mod objection_sequences;

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

/// Filing dates over the loaded years, with extra weight on the autumn of 2026 so that some
/// answer and dispute deadlines run into 2027, whose SKB is not loaded.
fn any_filing_date() -> impl Strategy<Value = Date> {
    prop_oneof![
        4 => 0i64..1096,
        1 => 1000i64..1096,
    ]
    .prop_map(|o| date!(2024 - 01 - 01) + time::Duration::days(o))
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
