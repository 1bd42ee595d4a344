use proptest::prelude::*;
use time::macros::date;

use super::*;

fn national() -> NationalCalendar {
    NationalCalendar::shipped().expect("shipped calendar parses")
}

fn cal(cb_working: bool) -> WorkingCalendar {
    WorkingCalendar::new(
        &national(),
        &CalendarSettings {
            collective_leave_is_working: cb_working,
            ..CalendarSettings::default()
        },
    )
}

/// Domain spec §13.1: (received, 10-WD due, 17-WD due, alt 10, alt 17) with *cuti bersama*
/// closed, and the alternative with it counted as working.
const REQUEST_EXAMPLES: [(Date, Date, Date, Date, Date); 11] = [
    (
        date!(2024 - 02 - 05),
        date!(2024 - 02 - 22),
        date!(2024 - 03 - 04),
        date!(2024 - 02 - 21),
        date!(2024 - 03 - 01),
    ),
    (
        date!(2024 - 02 - 13),
        date!(2024 - 02 - 28),
        date!(2024 - 03 - 08),
        date!(2024 - 02 - 28),
        date!(2024 - 03 - 08),
    ),
    (
        date!(2024 - 04 - 05),
        date!(2024 - 04 - 29),
        date!(2024 - 05 - 13),
        date!(2024 - 04 - 23),
        date!(2024 - 05 - 03),
    ),
    (
        date!(2024 - 04 - 10),
        date!(2024 - 04 - 29),
        date!(2024 - 05 - 13),
        date!(2024 - 04 - 25),
        date!(2024 - 05 - 07),
    ),
    (
        date!(2024 - 05 - 08),
        date!(2024 - 05 - 28),
        date!(2024 - 06 - 06),
        date!(2024 - 05 - 24),
        date!(2024 - 06 - 04),
    ),
    (
        date!(2024 - 06 - 10),
        date!(2024 - 06 - 26),
        date!(2024 - 07 - 05),
        date!(2024 - 06 - 25),
        date!(2024 - 07 - 04),
    ),
    (
        date!(2024 - 11 - 20),
        date!(2024 - 12 - 05),
        date!(2024 - 12 - 16),
        date!(2024 - 12 - 05),
        date!(2024 - 12 - 16),
    ),
    (
        date!(2024 - 12 - 19),
        date!(2025 - 01 - 07),
        date!(2025 - 01 - 16),
        date!(2025 - 01 - 06),
        date!(2025 - 01 - 15),
    ),
    (
        date!(2024 - 12 - 23),
        date!(2025 - 01 - 09),
        date!(2025 - 01 - 20),
        date!(2025 - 01 - 08),
        date!(2025 - 01 - 17),
    ),
    (
        date!(2025 - 01 - 22),
        date!(2025 - 02 - 10),
        date!(2025 - 02 - 19),
        date!(2025 - 02 - 07),
        date!(2025 - 02 - 18),
    ),
    (
        date!(2025 - 03 - 25),
        date!(2025 - 04 - 17),
        date!(2025 - 04 - 29),
        date!(2025 - 04 - 10),
        date!(2025 - 04 - 22),
    ),
];

#[test]
fn request_deadlines_match_the_worked_examples() {
    let closed = cal(false);
    let open = cal(true);
    for (t0, due10, due17, alt10, alt17) in REQUEST_EXAMPLES {
        assert_eq!(
            closed.add_working_days(t0, 10),
            Ok(due10),
            "10 WD from {t0}"
        );
        assert_eq!(
            closed.add_working_days(t0, 17),
            Ok(due17),
            "17 WD from {t0}"
        );
        assert_eq!(
            closed.add_working_days(due10, 7),
            Ok(due17),
            "extension of {t0}"
        );
        assert_eq!(
            open.add_working_days(t0, 10),
            Ok(alt10),
            "alt 10 WD from {t0}"
        );
        assert_eq!(
            open.add_working_days(t0, 17),
            Ok(alt17),
            "alt 17 WD from {t0}"
        );
    }
}

#[test]
fn ad_hoc_keppres_holiday_moves_the_deadline() {
    // Example 2: without the 14 Feb 2024 election holiday the due date would be 27 Feb.
    let mut years: Vec<HolidayYear> = national().years().cloned().collect();
    years[0].days.retain(|h| h.date != date!(2024 - 02 - 14));
    let without =
        WorkingCalendar::national_default(&NationalCalendar::from_years(years).expect("valid"));
    assert_eq!(
        without.add_working_days(date!(2024 - 02 - 13), 10),
        Ok(date!(2024 - 02 - 27))
    );
}

/// Domain spec §13.2: objection answer due (30 WD) and last day to go to the KI (+14 WD).
#[test]
fn objection_deadlines_match_the_worked_examples() {
    let closed = cal(false);
    let open = cal(true);
    let rows = [
        (
            date!(2024 - 03 - 25),
            date!(2024 - 05 - 20),
            date!(2024 - 06 - 11),
            date!(2024 - 05 - 13),
        ),
        (
            date!(2024 - 11 - 11),
            date!(2024 - 12 - 24),
            date!(2025 - 01 - 16),
            date!(2024 - 12 - 24),
        ),
        (
            date!(2024 - 12 - 02),
            date!(2025 - 01 - 16),
            date!(2025 - 02 - 10),
            date!(2025 - 01 - 15),
        ),
        (
            date!(2025 - 03 - 03),
            date!(2025 - 04 - 24),
            date!(2025 - 05 - 19),
            date!(2025 - 04 - 16),
        ),
    ];
    for (filed, answer, dispute, alt) in rows {
        assert_eq!(
            closed.add_working_days(filed, 30),
            Ok(answer),
            "answer for {filed}"
        );
        assert_eq!(
            closed.add_working_days(answer, 14),
            Ok(dispute),
            "dispute for {filed}"
        );
        assert_eq!(
            open.add_working_days(filed, 30),
            Ok(alt),
            "alt answer for {filed}"
        );
    }
    // Row 24's alternative dispute date.
    assert_eq!(
        open.add_working_days(date!(2024 - 12 - 24), 14),
        Ok(date!(2025 - 01 - 15))
    );
    // Hand check #29 of the spec.
    assert_eq!(
        closed.add_working_days(date!(2026 - 02 - 09), 30),
        Ok(date!(2026 - 04 - 01))
    );
}

#[test]
fn hand_check_lists_the_skipped_days_with_reasons() {
    let e = cal(false)
        .explain(date!(2024 - 02 - 05), 10)
        .expect("in range");
    assert_eq!(e.due, date!(2024 - 02 - 22));
    let listed: Vec<(Date, SkipReason)> = e.skipped.iter().map(|s| (s.date, s.reason)).collect();
    assert_eq!(
        listed,
        vec![
            (date!(2024 - 02 - 08), SkipReason::NationalHoliday),
            (date!(2024 - 02 - 09), SkipReason::CollectiveLeave),
            (date!(2024 - 02 - 10), SkipReason::NationalHoliday),
            (date!(2024 - 02 - 11), SkipReason::Weekend),
            (date!(2024 - 02 - 14), SkipReason::NationalHoliday),
            (date!(2024 - 02 - 17), SkipReason::Weekend),
            (date!(2024 - 02 - 18), SkipReason::Weekend),
        ]
    );
    assert_eq!(
        e.skipped[4].name.as_deref(),
        Some("Pemungutan suara Pemilu 2024")
    );
}

#[test]
fn weekday_counts_of_the_shipped_data_match_the_spec() {
    let n = national();
    for (year, ln, cb) in [(2024, 14, 10), (2025, 13, 11), (2026, 13, 8)] {
        let weekday = |k: HolidayKind| {
            n.holidays()
                .filter(|h| h.date.year() == year && h.kind == k)
                .filter(|h| !matches!(h.date.weekday(), Weekday::Saturday | Weekday::Sunday))
                .count()
        };
        assert_eq!(weekday(HolidayKind::NationalHoliday), ln, "{year}");
        assert_eq!(weekday(HolidayKind::CollectiveLeave), cb, "{year}");
    }
}

#[test]
fn every_shipped_holiday_has_a_legal_basis() {
    for h in national().holidays() {
        assert!(!h.legal_basis.trim().is_empty(), "{}", h.date);
        assert!(!h.name.trim().is_empty(), "{}", h.date);
    }
}

#[test]
fn counts_past_the_loaded_years_are_provisional_never_missing() {
    let c = cal(false);
    // 20 Dec 2026 + 10 WD runs into 2027, whose SKB is not loaded: weekends and 1 January only
    // (24 and 25 December 2026 are loaded: cuti bersama and Natal).
    assert_eq!(
        c.add_working_days(date!(2026 - 12 - 20), 10),
        Ok(date!(2027 - 01 - 06))
    );
    assert!(c.is_provisional_span(date!(2026 - 12 - 20), date!(2027 - 01 - 06)));
    let e = c.explain(date!(2026 - 12 - 20), 10).expect("provisional");
    assert!(e.provisional);
    let new_year = e
        .skipped
        .iter()
        .find(|s| s.date == date!(2027 - 01 - 01))
        .expect("1 January is fixed by law");
    assert_eq!(new_year.reason, SkipReason::NationalHoliday);
    assert!(
        new_year
            .name
            .as_deref()
            .is_some_and(|n| n.contains("sementara"))
    );
    // Inside the loaded years nothing is provisional.
    assert!(
        !c.explain(date!(2026 - 11 - 02), 10)
            .expect("loaded")
            .provisional
    );
    assert_eq!(
        c.add_working_days(date!(2026 - 12 - 30), 1),
        Ok(date!(2026 - 12 - 31))
    );
    assert!(!c.is_provisional_span(date!(2026 - 12 - 30), date!(2026 - 12 - 31)));
    // Before the first loaded year, and past the provisional horizon, nothing is guessed.
    assert_eq!(
        c.add_working_days(date!(2023 - 12 - 29), 1),
        Err(CalendarIncomplete { year: 2023 })
    );
    let horizon = 2026 + PROVISIONAL_YEARS_AHEAD;
    assert!(
        c.add_working_days(
            Date::from_calendar_date(horizon, Month::December, 20).expect("date"),
            30
        )
        .is_err()
    );
    for (m, d, _) in FIXED_HOLIDAYS {
        let day = Date::from_calendar_date(2029, m, d).expect("date");
        assert!(!c.is_working_day(day).expect("in range"), "{day}");
    }
}

#[test]
fn register_mode_starts_on_the_next_working_day() {
    let settings = CalendarSettings {
        clock_mode: ClockMode::Register,
        ..CalendarSettings::default()
    };
    let reg = WorkingCalendar::new(&national(), &settings);
    let strict = cal(false);
    // Received on Idul Fitri (Wed 10 Apr 2024): registration is Tue 16 Apr.
    assert_eq!(
        reg.clock_start(date!(2024 - 04 - 10)),
        Ok(date!(2024 - 04 - 16))
    );
    assert!(
        reg.due_date(date!(2024 - 04 - 10), 10).expect("in range")
            > strict
                .due_date(date!(2024 - 04 - 10), 10)
                .expect("in range")
    );
    // A working-day receipt gives the same result in both modes.
    assert_eq!(
        reg.due_date(date!(2024 - 02 - 05), 10),
        strict.due_date(date!(2024 - 02 - 05), 10)
    );
    let e = reg.explain(date!(2024 - 04 - 13), 10).expect("in range");
    assert_eq!(e.skipped[0].date, date!(2024 - 04 - 13));
}

#[test]
fn closures_are_skipped_with_their_reason() {
    let settings = CalendarSettings {
        closures: vec![Closure {
            date: date!(2025 - 02 - 03),
            reason: "Hari jadi kabupaten".into(),
        }],
        ..CalendarSettings::default()
    };
    let c = WorkingCalendar::new(&national(), &settings);
    assert_eq!(
        c.skip_reason(date!(2025 - 02 - 03)),
        Ok(Some(SkipReason::Closure))
    );
    assert_eq!(
        c.day_name(date!(2025 - 02 - 03)),
        Some("Hari jadi kabupaten")
    );
    // Example 10 shifts by one working day.
    assert_eq!(
        c.add_working_days(date!(2025 - 01 - 22), 10),
        Ok(date!(2025 - 02 - 11))
    );
}

#[test]
fn a_gap_in_loaded_years_is_counted_provisionally() {
    let years: Vec<HolidayYear> = national()
        .years()
        .filter(|y| y.year != 2025)
        .cloned()
        .collect();
    let gap = WorkingCalendar::national_default(&NationalCalendar::from_years(years).expect("gap"));
    assert!(!gap.is_loaded_year(2025));
    assert!(gap.is_loaded_year(2026));
    assert!(gap.is_provisional_span(date!(2024 - 12 - 20), date!(2025 - 01 - 10)));
    assert!(!gap.is_provisional_span(date!(2026 - 01 - 05), date!(2026 - 01 - 20)));
    // Idul Fitri 2025 is not known without the SKB: 31 March 2025 is a working day then.
    assert_eq!(gap.is_working_day(date!(2025 - 03 - 31)), Ok(true));
    assert_eq!(cal(false).is_working_day(date!(2025 - 03 - 31)), Ok(false));
}

#[test]
fn working_days_between_counts_service_time() {
    let c = cal(false);
    assert_eq!(
        c.working_days_between(date!(2024 - 02 - 05), date!(2024 - 02 - 22)),
        Ok(10)
    );
    assert_eq!(
        c.working_days_between(date!(2024 - 02 - 05), date!(2024 - 02 - 05)),
        Ok(0)
    );
}

fn in_range_date() -> impl Strategy<Value = Date> {
    (0i32..2500).prop_map(|o| {
        Date::from_julian_day(date!(2024 - 01 - 01).to_julian_day() + o).expect("valid")
    })
}

fn any_settings() -> impl Strategy<Value = CalendarSettings> {
    (
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(0i32..1096, 0..6),
    )
        .prop_map(|(cb, register, closures)| CalendarSettings {
            collective_leave_is_working: cb,
            clock_mode: if register {
                ClockMode::Register
            } else {
                ClockMode::Strict
            },
            closures: closures
                .into_iter()
                .map(|o| Closure {
                    date: Date::from_julian_day(date!(2024 - 01 - 01).to_julian_day() + o)
                        .expect("valid"),
                    reason: "penutupan".into(),
                })
                .collect(),
            ..CalendarSettings::default()
        })
}

/// The naive loop of the spec, as the oracle.
fn naive_add(c: &WorkingCalendar, start: Date, n: u32) -> Result<Date, CalendarIncomplete> {
    let mut d = start;
    let mut k = 0;
    while k < n {
        d = d.next_day().expect("no overflow");
        if c.is_working_day(d)? {
            k += 1;
        }
    }
    Ok(d)
}

proptest! {
    #[test]
    fn add_matches_the_spec_loop(settings in any_settings(), start in in_range_date(), n in 0u32..60) {
        let c = WorkingCalendar::new(&national(), &settings);
        prop_assert_eq!(c.add_working_days(start, n), naive_add(&c, start, n));
    }

    #[test]
    fn due_is_a_working_day_after_the_start(settings in any_settings(), start in in_range_date(), n in 1u32..60) {
        let c = WorkingCalendar::new(&national(), &settings);
        // Every generated start is inside the table (loaded or provisional years): the count
        // always runs, so a failure to count fails the property instead of skipping it.
        let Ok(due) = c.due_date(start, n) else {
            return Err(TestCaseError::fail("no due date inside the table"));
        };
        prop_assert!(due > start);
        prop_assert_eq!(c.is_working_day(due), Ok(true));
    }

    #[test]
    fn due_is_monotone_in_n_and_in_start(settings in any_settings(), start in in_range_date(), n in 1u32..40, dn in 0u32..10, ds in 0i64..20) {
        let c = WorkingCalendar::new(&national(), &settings);
        let (Ok(a), Ok(b)) = (c.due_date(start, n), c.due_date(start, n + dn)) else {
            return Err(TestCaseError::fail("no due date inside the table"));
        };
        prop_assert!(a <= b);
        if dn > 0 { prop_assert!(a < b); }
        let later = start + Duration::days(ds);
        let Ok(b) = c.due_date(later, n) else {
            return Err(TestCaseError::fail("no due date inside the table"));
        };
        prop_assert!(a <= b);
    }

    #[test]
    fn skipped_days_plus_n_is_the_calendar_span(settings in any_settings(), start in in_range_date(), n in 0u32..60) {
        let c = WorkingCalendar::new(&national(), &settings);
        let Ok(e) = c.explain(start, n) else {
            return Err(TestCaseError::fail("no explanation inside the table"));
        };
        let span = u32::try_from((e.due - start).whole_days()).expect("positive");
        // In REGISTER mode the receipt day is listed too, and the registration day is day 0.
        prop_assert_eq!(u32::try_from(e.skipped.len()).expect("small") + n, span);
        for s in &e.skipped {
            prop_assert_eq!(c.skip_reason(s.date), Ok(Some(s.reason)));
        }
    }

    #[test]
    fn extension_is_seven_more_working_days(start in in_range_date()) {
        let c = cal(false);
        let (Ok(d10), Ok(d17)) = (c.add_working_days(start, 10), c.add_working_days(start, 17)) else {
            return Err(TestCaseError::fail("no count inside the table"));
        };
        prop_assert_eq!(c.add_working_days(d10, 7), Ok(d17));
        prop_assert_eq!(c.working_days_between(start, d17), Ok(17));
    }

    #[test]
    fn counting_collective_leave_as_working_never_makes_a_deadline_later(start in in_range_date(), n in 1u32..40) {
        let (Ok(closed), Ok(open)) = (cal(false).add_working_days(start, n), cal(true).add_working_days(start, n)) else {
            return Err(TestCaseError::fail("no count inside the table"));
        };
        prop_assert!(open <= closed);
    }
}

/// A 2027 SKB as the real one would be: the five fixed holidays plus any other days.
fn any_year_2027() -> impl Strategy<Value = HolidayYear> {
    prop::collection::btree_set((0i32..365, any::<bool>()), 0..30).prop_map(|extra| {
        let mut days: Vec<Holiday> = FIXED_HOLIDAYS
            .iter()
            .map(|(m, d, name)| Holiday {
                date: Date::from_calendar_date(2027, *m, *d).expect("date"),
                kind: HolidayKind::NationalHoliday,
                name: (*name).into(),
                legal_basis: "SKB 2027".into(),
                effective_from: None,
            })
            .collect();
        for (o, cb) in extra {
            let date =
                Date::from_julian_day(date!(2027 - 01 - 01).to_julian_day() + o).expect("valid");
            if days.iter().any(|h| h.date == date) {
                continue;
            }
            days.push(Holiday {
                date,
                kind: if cb {
                    HolidayKind::CollectiveLeave
                } else {
                    HolidayKind::NationalHoliday
                },
                name: "Libur".into(),
                legal_basis: "SKB 2027".into(),
                effective_from: None,
            });
        }
        HolidayYear {
            country: "ID".into(),
            year: 2027,
            version: "2027.1".into(),
            status: "confirmed".into(),
            note: String::new(),
            days,
        }
    })
}

fn around_new_year() -> impl Strategy<Value = Date> {
    (0i32..500).prop_map(|o| {
        Date::from_julian_day(date!(2026 - 09 - 01).to_julian_day() + o).expect("valid")
    })
}

proptest! {
    /// §7.1: every holiday of the real SKB can only push a date later, so the provisional date
    /// is the earliest the real one can be; a count that stays in loaded years does not move,
    /// and is not marked.
    #[test]
    fn a_provisional_date_is_never_later_than_the_real_one(
        y2027 in any_year_2027(), settings in any_settings(), start in around_new_year(), n in 1u32..100,
    ) {
        let before = WorkingCalendar::new(&national(), &settings);
        let after = WorkingCalendar::new(&national().with_year(y2027), &settings);
        let (Ok(p), Ok(r)) = (before.due_date(start, n), after.due_date(start, n)) else {
            return Err(TestCaseError::fail("both calendars count this far"));
        };
        prop_assert!(p <= r, "provisional {} after real {}", p, r);
        let touches_2027 = before.is_provisional_span(start, p);
        prop_assert_eq!(touches_2027, p.year() >= 2027);
        if !touches_2027 {
            prop_assert_eq!(p, r);
        }
        // Once loaded, nothing up to the new horizon is provisional.
        if r.year() <= 2027 {
            prop_assert!(!after.is_provisional_span(start, r));
        }
    }
}
