use proptest::prelude::*;

use super::*;

fn all(q: &Questionnaire, yes: bool) -> Vec<Answer> {
    q.questions()
        .map(|(_, x)| Answer {
            question: x.code.clone(),
            yes,
            evidence: None,
            note: String::new(),
        })
        .collect()
}

#[test]
fn default_questionnaire_is_valid_with_six_indicators() {
    let q = Questionnaire::default_for(2026);
    assert_eq!(q.validate(), Ok(()));
    assert_eq!(q.indicators.len(), 6);
    assert!(
        q.indicators
            .iter()
            .all(|i| (4..=6).contains(&i.questions.len()))
    );
    let json = serde_json::to_string(&q).expect("json");
    let back: Questionnaire = serde_json::from_str(&json).expect("back");
    assert_eq!(back, q);
}

#[test]
fn validation_finds_bad_weights_and_duplicates() {
    let mut q = Questionnaire::default_for(2026);
    q.indicators[0].weight += 1.0;
    assert_eq!(q.validate(), Err(QuestionnaireError::IndicatorWeights));
    let mut q = Questionnaire::default_for(2026);
    q.indicators[0].weight += 0.005;
    q.indicators[1].weight -= 0.0;
    assert_eq!(q.validate(), Ok(()));
    let mut q = Questionnaire::default_for(2026);
    q.indicators[1].questions[0].code = "KI1".into();
    assert_eq!(
        q.validate(),
        Err(QuestionnaireError::DuplicateCode("KI1".into()))
    );
    let mut q = Questionnaire::default_for(2026);
    q.presentation_weight = 30.0;
    assert_eq!(q.validate(), Err(QuestionnaireError::PartWeights));
    let mut q = Questionnaire::default_for(2026);
    q.indicators[2].questions[1].weight = 0.0;
    assert!(matches!(q.validate(), Err(QuestionnaireError::Weight(_))));
}

#[test]
fn predicate_examples_of_spec_13_4() {
    use Predicate::*;
    for (s, p) in [
        (100.0, Informatif),
        (90.0, Informatif),
        (89.99, MenujuInformatif),
        (89.95, MenujuInformatif),
        (80.0, MenujuInformatif),
        (79.99, CukupInformatif),
        (60.0, CukupInformatif),
        (59.99, KurangInformatif),
        (40.0, KurangInformatif),
        (39.99, TidakInformatif),
        (0.0, TidakInformatif),
    ] {
        assert_eq!(Predicate::of(s), p, "{s}");
    }
    assert_eq!(Predicate::of(f64::NAN), TidakInformatif);
}

#[test]
fn all_yes_with_full_presentation_is_100_and_none_is_0() {
    let q = Questionnaire::default_for(2026);
    let s = score(&q, &all(&q, true), 100.0);
    assert!((s - 100.0).abs() < 1e-9, "{s}");
    assert_eq!(Predicate::of(s), Predicate::Informatif);
    assert_eq!(score(&q, &all(&q, false), 0.0), 0.0);
    // SAQ only, without presentation: 80.
    assert!((score(&q, &all(&q, true), 0.0) - 80.0).abs() < 1e-9);
}

#[test]
fn formula_of_spec_9_2() {
    // One indicator half answered (by weight) → its weight × 50 %.
    let q = Questionnaire::default_for(2026);
    let first = &q.indicators[0];
    let answers = vec![Answer {
        question: "KI2".into(),
        yes: true,
        evidence: None,
        note: String::new(),
    }];
    // KI2 has weight 2 of 7 in an indicator of weight 20.
    let expect = 20.0 * 2.0 / 7.0;
    assert!((saq_score(&q, &answers) - expect).abs() < 1e-9);
    assert!((indicator_score(first, &answers) - 200.0 / 7.0).abs() < 1e-9);
    assert!((score(&q, &answers, 50.0) - (0.8 * expect + 10.0)).abs() < 1e-9);
}

#[test]
fn auto_checks_read_the_facts() {
    let f = Facts {
        dip_published: true,
        completeness: 80.0,
        on_time_percent: Some(90.0),
        ..Facts::default()
    };
    assert!(AutoCheck::DipPublished.holds(&f));
    assert!(!AutoCheck::DikPublished.holds(&f));
    assert!(AutoCheck::ChecklistCompleteAtLeast(80).holds(&f));
    assert!(!AutoCheck::ChecklistCompleteAtLeast(81).holds(&f));
    assert!(AutoCheck::OnTimeAtLeast(90).holds(&f));
    assert!(!AutoCheck::OnTimeAtLeast(91).holds(&f));
    assert!(!AutoCheck::OnTimeAtLeast(0).holds(&Facts::default()));
    assert_eq!(
        AutoCheck::DipPublished.evidence_url("kab-a", 2026),
        "/b/kab-a/dip"
    );
    assert_eq!(
        AutoCheck::AnnualFiguresAvailable.evidence_url("kab-a", 2025),
        "/api/v1/reports/annual?body=kab-a&year=2025"
    );
    let j = serde_json::to_string(&AutoCheck::OnTimeAtLeast(90)).expect("json");
    assert_eq!(j, r#"{"on_time_at_least":90}"#);
    assert_eq!(
        serde_json::to_string(&AutoCheck::DipPublished).expect("json"),
        r#""dip_published""#
    );
}

#[test]
fn later_answers_replace_earlier_ones_in_the_fold() {
    let mut s = AssessmentState::default();
    let a = |yes| Answer {
        question: "KI1".into(),
        yes,
        evidence: None,
        note: String::new(),
    };
    s.apply(&MonevEvent::Answered {
        answers: vec![a(true)],
        presentation_score: Some(120.0),
    });
    s.apply(&MonevEvent::Answered {
        answers: vec![a(false)],
        presentation_score: None,
    });
    assert!(!s.answers["KI1"].yes);
    assert_eq!(s.presentation_score, Some(100.0));
}

#[test]
fn peers_are_ranked_with_strongest_weakest_and_whom_to_learn_from() {
    let b = |slug: &str, v: [Option<f64>; 5]| PeerFigures {
        slug: slug.into(),
        values: v,
    };
    let r = rank_peers(&[
        b("kab-b", [None, None, None, Some(40.0), Some(50.0)]),
        b(
            "kab-a",
            [Some(100.0), Some(3.0), Some(0.0), Some(20.0), Some(70.0)],
        ),
    ]);
    assert_eq!(r[0].slug, "kab-a");
    assert_eq!(r[0].rank, 1);
    assert_eq!(r[1].rank, 2);
    assert_eq!(r[0].weakest, Some(PeerIndicator::Completeness));
    assert_eq!(r[0].strongest, Some(PeerIndicator::SelfAssessment));
    assert_eq!(
        r[0].learn_from,
        vec![BestPeer {
            indicator: PeerIndicator::Completeness,
            slug: "kab-b".into(),
            value: 40.0
        }]
    );
    assert_eq!(r[1].strongest, Some(PeerIndicator::Completeness));
    assert_eq!(r[1].learn_from.len(), 1);
    assert_eq!(r[1].ranks[4], Some(2));
    assert!(rank_peers(&[]).is_empty());
}

fn answers_strategy(n: usize) -> impl Strategy<Value = Vec<bool>> {
    proptest::collection::vec(any::<bool>(), n)
}

fn to_answers(q: &Questionnaire, yes: &[bool]) -> Vec<Answer> {
    q.questions()
        .zip(yes)
        .map(|((_, x), y)| Answer {
            question: x.code.clone(),
            yes: *y,
            evidence: None,
            note: String::new(),
        })
        .collect()
}

proptest! {
    #[test]
    fn score_is_within_0_and_100(yes in answers_strategy(30), pres in -50.0f64..200.0) {
        let q = Questionnaire::default_for(2026);
        let s = score(&q, &to_answers(&q, &yes), pres);
        prop_assert!((0.0..=100.0).contains(&s), "{}", s);
    }

    #[test]
    fn adding_a_yes_never_lowers_the_score(yes in answers_strategy(30), k in 0usize..30, pres in 0.0f64..100.0) {
        let q = Questionnaire::default_for(2026);
        let before = score(&q, &to_answers(&q, &yes), pres);
        let mut more = yes.clone();
        if let Some(x) = more.get_mut(k) { *x = true; }
        let after = score(&q, &to_answers(&q, &more), pres);
        prop_assert!(after + 1e-9 >= before);
    }

    #[test]
    fn predicate_is_monotone(a in -10.0f64..110.0, b in -10.0f64..110.0) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(Predicate::of(lo) <= Predicate::of(hi));
    }

    #[test]
    fn all_yes_is_100_for_any_valid_weights(ws in proptest::collection::vec(1u32..50, 6), qw in proptest::collection::vec(1u32..9, 30)) {
        let mut q = Questionnaire::default_for(2026);
        let total: u32 = ws.iter().sum();
        let mut acc = 0.0;
        let n = q.indicators.len();
        for (i, ind) in q.indicators.iter_mut().enumerate() {
            ind.weight = if i + 1 == n { 100.0 - acc } else { 100.0 * f64::from(ws[i]) / f64::from(total) };
            acc += ind.weight;
        }
        for ((_, x), w) in q.indicators.iter_mut().flat_map(|i| i.questions.iter_mut().map(|x| ((), x))).zip(&qw) {
            x.weight = f64::from(*w);
        }
        prop_assert!(q.validate().is_ok());
        let s = score(&q, &all(&q, true), 100.0);
        prop_assert!((s - 100.0).abs() < 1e-9);
        prop_assert_eq!(Predicate::of(s), Predicate::Informatif);
    }
}
