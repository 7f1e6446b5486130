//! Unit tests of the semantic errors that JSON cannot express and of the
//! whole-scenario warnings, including agreement of the cheap eligibility
//! check with `Problem::compile` on random scenarios.

use super::*;
use crate::problem::Problem;
use crate::scenario::{Link, Quota, Shift, Site, Volunteer};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn site(id: &str) -> Site {
    Site {
        id: id.into(),
        ..Site::default()
    }
}

fn shift(id: &str, venue: &str, start: &str, end: &str) -> Shift {
    Shift {
        id: id.into(),
        venue: venue.into(),
        start: start.into(),
        end: end.into(),
        min: 1,
        max: 2,
        priority: 1.0,
        ..Shift::default()
    }
}

fn volunteer(id: &str) -> Volunteer {
    Volunteer {
        id: id.into(),
        ..Volunteer::default()
    }
}

/// Two sites A, B and one shift at A on 2022-02-04 08:00–12:00.
fn small() -> Scenario {
    Scenario {
        format: crate::scenario::SCENARIO_FORMAT.into(),
        sites: vec![site("A"), site("B")],
        shifts: vec![shift("S1", "A", "2022-02-04T08:00", "2022-02-04T12:00")],
        volunteers: vec![volunteer("V1")],
        ..Scenario::default()
    }
}

fn with_code<'a>(d: &'a [Diagnostic], code: &str) -> Vec<&'a Diagnostic> {
    d.iter().filter(|x| x.code == code).collect()
}

#[test]
fn small_scenario_is_clean() {
    assert_eq!(validate_scenario(&small()), vec![]);
}

#[test]
fn non_finite_weight_and_priority_are_errors() {
    let mut sc = small();
    sc.weights.uncovered = f64::NAN;
    sc.weights.travel_minute = f64::INFINITY;
    sc.shifts[0].priority = f64::NAN;
    let d = validate_scenario(&sc);
    let paths: Vec<&str> = with_code(&d, codes::NOT_FINITE)
        .iter()
        .map(|x| x.path.as_str())
        .collect();
    assert_eq!(paths, ["weights.uncovered", "weights.travel_minute"]);
    assert_eq!(with_code(&d, codes::PRIORITY)[0].path, "shifts[0].priority");
}

#[test]
fn warnings_wait_for_a_scenario_without_errors() {
    let mut sc = small();
    sc.shifts[0].requires = vec!["x".into()];
    assert_eq!(
        with_code(&validate_scenario(&sc), codes::SKILL_UNHELD).len(),
        1
    );
    sc.shifts[0].min = -1;
    let d = validate_scenario(&sc);
    assert!(has_errors(&d));
    assert!(with_code(&d, codes::SKILL_UNHELD).is_empty());
    assert!(with_code(&d, codes::NOBODY_ELIGIBLE).is_empty());
}

#[test]
fn nobody_eligible_names_the_reason() {
    // Skills.
    let mut sc = small();
    sc.shifts[0].requires = vec!["acc".into()];
    let d = validate_scenario(&sc);
    let w = with_code(&d, codes::NOBODY_ELIGIBLE);
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].path, "shifts[0]");
    assert!(w[0].message.contains("required skills"), "{}", w[0]);
    assert_eq!(w[0].severity, Severity::Warning);

    // Availability: a window that ends one minute early.
    let mut sc = small();
    sc.volunteers[0].available = Some(vec![("2022-02-04T08:00".into(), "2022-02-04T11:59".into())]);
    let d = validate_scenario(&sc);
    let w = with_code(&d, codes::NOBODY_ELIGIBLE);
    assert_eq!(w.len(), 1);
    assert!(w[0].message.contains("available"), "{}", w[0]);
    // Windows are closed: exactly the shift's span is enough.
    sc.volunteers[0].available.as_mut().unwrap()[0].1 = "2022-02-04T12:00".into();
    assert!(with_code(&validate_scenario(&sc), codes::NOBODY_ELIGIBLE).is_empty());

    // Travel: home B, and a link that does not connect A and B.
    let mut sc = small();
    sc.sites.push(site("C"));
    sc.links = vec![Link {
        from: "B".into(),
        to: "C".into(),
        minutes: 5,
    }];
    sc.volunteers[0].home = Some("B".into());
    let d = validate_scenario(&sc);
    let w = with_code(&d, codes::NOBODY_ELIGIBLE);
    assert_eq!(w.len(), 1);
    assert!(w[0].message.contains("cannot be reached"), "{}", w[0]);
    // … and the venue itself is reported as unreachable.
    let u = with_code(&d, codes::VENUE_UNREACHABLE);
    assert_eq!(u.len(), 1);
    assert_eq!(u[0].path, "shifts[0].venue");
    // A second volunteer without a home can go anywhere.
    sc.volunteers.push(volunteer("V2"));
    assert!(with_code(&validate_scenario(&sc), codes::NOBODY_ELIGIBLE).is_empty());
}

#[test]
fn no_links_means_everything_is_reachable() {
    let mut sc = small();
    sc.volunteers[0].home = Some("B".into());
    let d = validate_scenario(&sc);
    assert!(with_code(&d, codes::VENUE_UNREACHABLE).is_empty());
    assert!(with_code(&d, codes::NOBODY_ELIGIBLE).is_empty());
}

#[test]
fn warnings_are_capped_with_a_summary() {
    let mut sc = small();
    sc.shifts = (0..120)
        .map(|i| {
            let mut s = shift(
                &format!("S{i}"),
                "A",
                "2022-02-04T08:00",
                "2022-02-04T12:00",
            );
            s.requires = vec!["rare".into()];
            s
        })
        .collect();
    let d = validate_scenario(&sc);
    let w = with_code(&d, codes::NOBODY_ELIGIBLE);
    assert_eq!(w.len(), WARNING_CAP + 1);
    assert_eq!(w[0].path, "shifts[0]");
    assert!(
        w[WARNING_CAP].message.starts_with("70 more"),
        "{}",
        w[WARNING_CAP]
    );
    // The unheld skill is one warning counting all its shifts.
    let s = with_code(&d, codes::SKILL_UNHELD);
    assert_eq!(s.len(), 1);
    assert!(s[0].message.contains("120 shifts"), "{}", s[0]);
    assert_eq!(s[0].path, "shifts[0].requires[0]");
}

#[test]
fn quota_warnings() {
    let mut sc = small();
    sc.volunteers[0].skills = vec!["first_aid".into()];
    sc.volunteers[0].languages.insert("en".into(), 3);
    sc.shifts[0].quotas = vec![
        Quota {
            skill: Some("first_aid".into()),
            level: Some(2),
            at_least: 1,
            ..Quota::default()
        },
        Quota {
            skill: Some("driving".into()),
            at_least: 1,
            ..Quota::default()
        },
        Quota {
            language: Some("en".into()),
            level: Some(4),
            at_least: 1,
            ..Quota::default()
        },
        Quota {
            language: Some("en".into()),
            level: Some(3),
            at_least: 3,
            ..Quota::default()
        },
    ];
    let d = validate_scenario(&sc);
    assert!(!has_errors(&d), "{d:?}");
    let one = |code| {
        let w = with_code(&d, code);
        assert_eq!(w.len(), 1, "{code}: {d:?}");
        w[0].path.clone()
    };
    assert_eq!(one(codes::LEVEL_IGNORED), "shifts[0].quotas[0].level");
    assert_eq!(one(codes::SKILL_UNHELD), "shifts[0].quotas[1].skill");
    assert_eq!(
        one(codes::LANGUAGE_UNSPOKEN),
        "shifts[0].quotas[2].language"
    );
    assert_eq!(one(codes::QUOTA_GT_MAX), "shifts[0].quotas[3].at_least");
}

#[test]
fn volunteer_warnings() {
    let mut sc = small();
    sc.volunteers.push(volunteer("V2"));
    sc.volunteers[0].prefers = Some(crate::scenario::Prefers {
        venues: vec!["A".into(), "Nowhere".into()],
        roles: vec![],
    });
    sc.volunteers[0].min_shifts = Some(30);
    sc.volunteers[1].available = Some(vec![]);
    let d = validate_scenario(&sc);
    assert!(!has_errors(&d), "{d:?}");
    assert_eq!(
        with_code(&d, codes::UNKNOWN_PREFERENCE)[0].path,
        "volunteers[0].prefers.venues[1]"
    );
    assert_eq!(
        with_code(&d, codes::MIN_SHIFTS_GT_MAX)[0].path,
        "volunteers[0]"
    );
    assert_eq!(
        with_code(&d, codes::NEVER_AVAILABLE)[0].path,
        "volunteers[1].available"
    );
}

#[test]
fn changes_and_roster_on_typed_values() {
    let sc = small();
    let changes = Changes {
        format: crate::scenario::CHANGES_FORMAT.into(),
        now: "2022-02-04T06:00".into(),
        cancelled_shifts: vec!["S1".into(), "S1".into()],
        ..Changes::default()
    };
    let d = validate_changes(&sc, &changes);
    assert!(!has_errors(&d));
    assert_eq!(
        with_code(&d, codes::DUPLICATE_ENTRY)[0].path,
        "cancelled_shifts[1]"
    );

    let mut roster = Roster::empty("x");
    roster
        .assignments
        .insert("S1".into(), vec!["V1".into(), "V1".into()]);
    let d = validate_roster_shape(&sc, &roster);
    assert!(!has_errors(&d));
    assert_eq!(
        with_code(&d, codes::DUPLICATE_ENTRY)[0].path,
        "assignments.S1[1]"
    );
}

fn time_at(day: i64, minute: i64) -> String {
    crate::time::format_time(
        crate::time::parse_time("2022-02-01T00:00").unwrap_or(0) + day * 1440 + minute,
    )
}

/// A small random scenario without errors.
fn random_scenario(rng: &mut ChaCha8Rng) -> Scenario {
    let n_sites = rng.gen_range(1..5);
    let sites: Vec<Site> = (0..n_sites).map(|i| site(&format!("P{i}"))).collect();
    let links = if rng.gen_bool(0.5) {
        (0..rng.gen_range(0..4))
            .map(|_| Link {
                from: format!("P{}", rng.gen_range(0..n_sites)),
                to: format!("P{}", rng.gen_range(0..n_sites)),
                minutes: rng.gen_range(0..60),
            })
            .collect()
    } else {
        vec![]
    };
    let skills = ["a", "b", "c"];
    let pick = |rng: &mut ChaCha8Rng, p: f64| -> Vec<String> {
        skills
            .iter()
            .filter(|_| rng.gen_bool(p))
            .map(|s| s.to_string())
            .collect()
    };
    let shifts = (0..rng.gen_range(1..9))
        .map(|i| {
            // Whole hours, so that windows often meet shifts exactly.
            let start = rng.gen_range(0..72) * 60;
            let len = rng.gen_range(1..10) * 60;
            let mut s = shift(
                &format!("S{i}"),
                &format!("P{}", rng.gen_range(0..n_sites)),
                &time_at(0, start),
                &time_at(0, start + len),
            );
            s.requires = pick(rng, 0.3);
            s
        })
        .collect();
    let volunteers = (0..rng.gen_range(0..7))
        .map(|i| {
            let mut v = volunteer(&format!("V{i}"));
            v.skills = pick(rng, 0.5);
            if rng.gen_bool(0.6) {
                v.home = Some(format!("P{}", rng.gen_range(0..n_sites)));
            }
            if rng.gen_bool(0.7) {
                v.available = Some(
                    (0..rng.gen_range(1..3))
                        .map(|_| {
                            let a = rng.gen_range(0..72) * 60;
                            let b = a + rng.gen_range(1..24) * 60;
                            (time_at(0, a), time_at(0, b))
                        })
                        .collect(),
                );
            }
            v
        })
        .collect();
    Scenario {
        format: crate::scenario::SCENARIO_FORMAT.into(),
        sites,
        links,
        shifts,
        volunteers,
        ..Scenario::default()
    }
}

#[test]
fn eligibility_warning_agrees_with_compile() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut warned_total = 0;
    for case in 0..400 {
        let sc = random_scenario(&mut rng);
        let d = validate_scenario(&sc);
        assert!(!has_errors(&d), "case {case}: {d:?}");
        let problem = match Problem::compile(&sc) {
            Ok(p) => p,
            Err(e) => panic!("case {case}: a scenario without errors must compile: {e}"),
        };
        let expected: Vec<String> = (0..problem.n_shifts())
            .filter(|&s| problem.shift_pair_list(s).is_empty())
            .map(|s| format!("shifts[{s}]"))
            .collect();
        let warned: Vec<String> = with_code(&d, codes::NOBODY_ELIGIBLE)
            .iter()
            .map(|x| x.path.clone())
            .collect();
        assert_eq!(warned, expected, "case {case}: {sc:#?}");
        warned_total += warned.len();
    }
    // The generator makes both outcomes common.
    assert!(warned_total > 100, "{warned_total}");
}
