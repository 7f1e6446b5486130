//! The independent checker against hand-computed cases: every rule, every
//! objective term, re-solve counting, tiny.json's hand-derived optimum
//! (confirmed by exhaustive search), and the CLI's exit codes.

use indexmap::IndexMap;
use std::collections::BTreeMap;
use std::process::Command;
use vroster::check::{check_repair, check_roster, RosterCheck};
use vroster::scenario::*;

fn shift(id: &str, venue: &str, start: &str, end: &str, min: i64, max: i64) -> Shift {
    Shift {
        id: id.into(),
        venue: venue.into(),
        start: start.into(),
        end: end.into(),
        min,
        max,
        priority: 1.0,
        ..Default::default()
    }
}

fn vol(id: &str, home: Option<&str>, skills: &[&str], en: Option<i64>) -> Volunteer {
    let mut languages = BTreeMap::new();
    if let Some(l) = en {
        languages.insert("en".to_string(), l);
    }
    Volunteer {
        id: id.into(),
        home: home.map(|h| h.to_string()),
        skills: skills.iter().map(|s| s.to_string()).collect(),
        languages,
        ..Default::default()
    }
}

/// Venues A and B, hub H; links A–H 30, B–H 10, A–B 25 (so H→A is 30, not 35).
fn base() -> Scenario {
    let mut s1 = shift("S1", "A", "2026-03-01T08:00", "2026-03-01T12:00", 2, 2);
    s1.priority = 2.0;
    s1.requires = vec!["acc".into()];
    s1.quotas = vec![Quota {
        language: Some("en".into()),
        level: Some(3),
        at_least: 1,
        ..Default::default()
    }];
    let s2 = shift("S2", "B", "2026-03-01T13:00", "2026-03-01T17:00", 1, 1);
    let mut s3 = shift("S3", "A", "2026-03-02T08:00", "2026-03-02T16:00", 1, 2);
    s3.role = Some("info".into());
    let mut p1 = vol("P1", Some("H"), &["acc"], Some(3));
    p1.min_shifts = Some(3);
    p1.group = Some("G".into());
    p1.prefers = Some(Prefers {
        venues: vec!["B".into()],
        roles: vec!["info".into()],
    });
    let mut p2 = vol("P2", Some("H"), &["acc"], Some(2));
    p2.group = Some("G".into());
    let mut p3 = vol("P3", None, &[], None);
    p3.available = Some(vec![("2026-03-02T00:00".into(), "2026-03-02T23:59".into())]);
    let mut sc = Scenario {
        format: SCENARIO_FORMAT.into(),
        name: "hand".into(),
        sites: ["A", "B", "H"]
            .iter()
            .map(|s| Site {
                id: s.to_string(),
                ..Default::default()
            })
            .collect(),
        links: vec![
            Link {
                from: "A".into(),
                to: "H".into(),
                minutes: 30,
            },
            Link {
                from: "B".into(),
                to: "H".into(),
                minutes: 10,
            },
            Link {
                from: "A".into(),
                to: "B".into(),
                minutes: 25,
            },
        ],
        shifts: vec![s1, s2, s3],
        volunteers: vec![p1, p2, p3],
        ..Default::default()
    };
    sc.rules.min_rest_minutes = 60;
    sc.rules.max_consecutive_days = 6;
    sc.weights.volunteer_used = 5.0;
    sc
}

fn roster(pairs: &[(&str, &[&str])]) -> Roster {
    let mut assignments = IndexMap::new();
    for (s, vs) in pairs {
        assignments.insert(s.to_string(), vs.iter().map(|v| v.to_string()).collect());
    }
    Roster {
        format: ROSTER_FORMAT.into(),
        assignments,
        ..Default::default()
    }
}

fn kinds(r: &RosterCheck) -> Vec<(&'static str, usize)> {
    r.violations.iter().map(|g| (g.kind, g.count)).collect()
}

#[test]
fn every_term_matches_hand_computation() {
    let sc = base();
    let r = check_roster(
        &sc,
        &roster(&[("S1", &["P1", "P2"]), ("S2", &["P2"]), ("S3", &["P3"])]),
    )
    .unwrap();
    assert!(r.is_valid(), "{:?}", r.violations);
    let o = r.objective;
    assert_eq!(o.uncovered, 0.0); // S1 2/2, S2 1/1, S3 1/1
    assert_eq!(o.quota_shortfall, 0.0); // P1 speaks en 3 on S1
    assert_eq!(o.under_commitment, 100.0); // P1: 50 × (3 − 1)
    assert_eq!(o.preference_miss, 20.0); // P1 on S1: venue A ∉ [B] (+10), no role ∉ [info] (+10)
    assert!((o.travel - 7.0).abs() < 1e-9); // 0.1 × (30 + 30 + 10); P3 has no home
    assert_eq!(o.group_split, 20.0); // G uses A and B: 20 × (2 − 1)
    assert_eq!(o.volunteer_used, 15.0); // 3 volunteers × 5
    assert_eq!(o.change, 0.0);
    assert!((o.total - 162.0).abs() < 1e-9);
    assert_eq!(r.coverage.min_demand, 4);
    assert_eq!(r.coverage.volunteers_below_commitment, 1);
}

#[test]
fn uncovered_and_quota_shortfall_use_priority() {
    let sc = base();
    // S1 (priority 2) gets only P2 (en 2 < 3): one head short, quota unmet.
    let r = check_roster(&sc, &roster(&[("S1", &["P2"])])).unwrap();
    assert_eq!(
        r.objective.uncovered,
        1000.0 * 2.0 * 1.0 + 1000.0 * 1.0 + 1000.0 * 1.0
    );
    assert_eq!(r.objective.quota_shortfall, 100.0 * 2.0 * 1.0);
    assert_eq!(r.objective.group_split, 0.0); // one venue only
}

#[test]
fn each_hard_rule_is_detected() {
    let sc = base();
    // Rule 1: unknown ids and a duplicate.
    let r = check_roster(
        &sc,
        &roster(&[("NOPE", &["P1"]), ("S2", &["P2", "P2", "GHOST"])]),
    )
    .unwrap();
    assert_eq!(
        kinds(&r),
        vec![
            ("unknown_shift", 1),
            ("duplicate_assignment", 1),
            ("unknown_volunteer", 1)
        ]
    );
    // Rule 2: P3 lacks acc and is not available on day 1.
    let r = check_roster(&sc, &roster(&[("S1", &["P3"])])).unwrap();
    assert_eq!(kinds(&r), vec![("missing_skill", 1), ("unavailable", 1)]);
    // Rule 3: S2 holds one.
    let r = check_roster(&sc, &roster(&[("S2", &["P1", "P2"])])).unwrap();
    assert_eq!(kinds(&r), vec![("over_max", 1)]);
    // Rule 4: S1 ends 12:00 at A, S2 starts 13:00 at B; rest 90 > 60 left.
    let mut sc4 = base();
    sc4.volunteers[1].min_rest_minutes = Some(90);
    let r = check_roster(&sc4, &roster(&[("S1", &["P2"]), ("S2", &["P2"])])).unwrap();
    assert_eq!(kinds(&r), vec![("spacing", 1)]);
    // ...and travel counts: with A–B 70 minutes (and no shortcut) the 60 minutes are too few.
    let mut sc4b = base();
    sc4b.links = vec![
        Link {
            from: "A".into(),
            to: "H".into(),
            minutes: 30,
        },
        Link {
            from: "A".into(),
            to: "B".into(),
            minutes: 70,
        },
    ];
    let r = check_roster(&sc4b, &roster(&[("S1", &["P2"]), ("S2", &["P2"])])).unwrap();
    assert_eq!(kinds(&r), vec![("spacing", 1)]);
    // Rule 5: 240 + 240 minutes on one day, cap 300.
    let mut sc5 = base();
    sc5.volunteers[1].max_minutes_per_day = Some(300);
    let r = check_roster(&sc5, &roster(&[("S1", &["P2"]), ("S2", &["P2"])])).unwrap();
    assert_eq!(kinds(&r), vec![("daily_minutes", 1)]);
    // Rule 6: two shifts, max 1.
    let mut sc6 = base();
    sc6.volunteers[1].max_shifts = Some(1);
    let r = check_roster(&sc6, &roster(&[("S1", &["P2"]), ("S2", &["P2"])])).unwrap();
    assert_eq!(kinds(&r), vec![("max_shifts", 1)]);
    // Rule 7: day 1 and day 2, at most 1 consecutive day.
    let mut sc7 = base();
    sc7.rules.max_consecutive_days = 1;
    let r = check_roster(&sc7, &roster(&[("S1", &["P2"]), ("S3", &["P2"])])).unwrap();
    assert_eq!(kinds(&r), vec![("consecutive_days", 1)]);
}

#[test]
fn unreachable_home_breaks_rule_two_and_no_links_means_zero_travel() {
    let mut sc = base();
    sc.links.retain(|l| l.from != "B" && l.to != "B"); // B now unreachable
    let r = check_roster(&sc, &roster(&[("S2", &["P2"])])).unwrap();
    assert_eq!(kinds(&r), vec![("unreachable_home", 1)]);
    let mut sc = base();
    sc.links.clear();
    let r = check_roster(&sc, &roster(&[("S1", &["P1", "P2"]), ("S2", &["P2"])])).unwrap();
    assert!(r.is_valid());
    assert_eq!(r.objective.travel, 0.0);
}

#[test]
fn claims_and_bounds_are_compared() {
    let sc = base();
    let mut ro = roster(&[("S1", &["P1", "P2"]), ("S2", &["P2"]), ("S3", &["P3"])]);
    let truth = check_roster(&sc, &ro).unwrap().objective;
    ro.objective = Some(truth);
    ro.bound = Some(100.0);
    assert!(check_roster(&sc, &ro).unwrap().passes());
    let mut wrong = truth;
    wrong.travel += 1.0;
    wrong.total += 1.0;
    ro.objective = Some(wrong);
    let r = check_roster(&sc, &ro).unwrap();
    assert!(r.is_valid() && !r.claimed_matches && r.mismatches.len() == 2);
    ro.objective = Some(truth);
    ro.bound = Some(truth.total + 1.0);
    assert!(!check_roster(&sc, &ro).unwrap().bound_ok);
}

#[test]
fn repair_counts_forced_removals_and_changes() {
    let sc = base();
    let prev = roster(&[("S1", &["P1", "P2"]), ("S2", &["P2"]), ("S3", &["P3"])]);
    // now = 10:00 on day 1: S1 (08:00) is frozen. P2 drops out from 12:30: S2 is lost (forced).
    let changes = Changes {
        format: CHANGES_FORMAT.into(),
        now: "2026-03-01T10:00".into(),
        dropouts: vec![Dropout {
            volunteer: "P2".into(),
            from: "2026-03-01T12:30".into(),
            until: None,
        }],
        ..Default::default()
    };
    // P1 takes S2 (S1 ends 12:00 at A; 13:00 at B: 60 ≥ max(60, 25)).
    let new = roster(&[("S1", &["P1", "P2"]), ("S2", &["P1"]), ("S3", &["P3"])]);
    let r = check_repair(&sc, &prev, &changes, &new).unwrap();
    assert!(r.is_valid(), "{:?}", r.violations);
    let rep = r.repair.clone().unwrap();
    assert_eq!(
        (
            rep.frozen_shifts,
            rep.forced_removals,
            rep.changes,
            rep.affected_volunteers
        ),
        (1, 1, 1, 1)
    );
    assert_eq!(r.objective.change, 200.0);
    // A dropout keeps a frozen shift untouched; changing it is a violation.
    let bad = roster(&[("S1", &["P1"]), ("S2", &["P1"]), ("S3", &["P3"])]);
    let r = check_repair(&sc, &prev, &changes, &bad).unwrap();
    assert_eq!(kinds(&r), vec![("frozen_changed", 1)]);
    // Keeping the dropout on S2 breaks rule 2.
    let r = check_repair(&sc, &prev, &changes, &prev).unwrap();
    assert_eq!(kinds(&r), vec![("unavailable", 1)]);
    // A lowered max forces the excess off, and a cancelled shift its crew.
    let changes = Changes {
        format: CHANGES_FORMAT.into(),
        now: "2026-03-01T00:00".into(),
        cancelled_shifts: vec!["S2".into()],
        shift_updates: vec![ShiftUpdate {
            shift: "S3".into(),
            min: Some(0),
            max: Some(0),
        }],
        ..Default::default()
    };
    let new = roster(&[("S1", &["P1", "P2"])]);
    let r = check_repair(&sc, &prev, &changes, &new).unwrap();
    assert!(r.is_valid(), "{:?}", r.violations);
    let rep = r.repair.unwrap();
    assert_eq!(
        (rep.frozen_shifts, rep.forced_removals, rep.changes),
        (0, 2, 0)
    );
    assert_eq!(r.objective.change, 0.0);
}

fn tiny() -> Scenario {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/tiny.json");
    vroster::io::read_json(std::path::Path::new(path)).expect("tiny.json")
}

#[test]
fn tiny_hand_optimum_holds_and_exhaustive_search_confirms_it() {
    let sc = tiny();
    let best = roster(&[("A1", &["V1", "V2"]), ("B1", &["V4"]), ("A2", &["V1"])]);
    let r = check_roster(&sc, &best).unwrap();
    assert!(r.is_valid(), "{:?}", r.violations);
    assert!((r.objective.total - 10.0).abs() < 1e-9, "{:?}", r.objective);
    // Every subset of the 11 eligible pairs (rule 2 by hand, see tiny.md).
    let pairs = [
        ("A1", "V1"),
        ("A1", "V2"),
        ("A1", "V4"),
        ("A1", "V5"),
        ("B1", "V2"),
        ("B1", "V4"),
        ("B1", "V5"),
        ("A2", "V1"),
        ("A2", "V2"),
        ("A2", "V3"),
        ("A2", "V5"),
    ];
    let mut optimum = f64::INFINITY;
    for mask in 0u32..(1 << pairs.len()) {
        let mut ro = Roster {
            format: ROSTER_FORMAT.into(),
            ..Default::default()
        };
        for (i, (s, v)) in pairs.iter().enumerate() {
            if mask & (1 << i) != 0 {
                ro.assignments
                    .entry(s.to_string())
                    .or_default()
                    .push(v.to_string());
            }
        }
        let r = check_roster(&sc, &ro).unwrap();
        if r.is_valid() {
            optimum = optimum.min(r.objective.total);
        }
    }
    assert!(
        (optimum - 10.0).abs() < 1e-9,
        "exhaustive optimum {optimum}"
    );
}

#[test]
fn check_cli_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let scen = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/tiny.json");
    let good = dir.path().join("good.json");
    let mut ro = roster(&[("A1", &["V1", "V2"]), ("B1", &["V4"]), ("A2", &["V1"])]);
    ro.objective = Some(check_roster(&tiny(), &ro).unwrap().objective);
    std::fs::write(&good, serde_json::to_string(&ro).unwrap()).unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        serde_json::to_string(&roster(&[("A1", &["V3"])])).unwrap(),
    )
    .unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(
        &broken,
        "{\"format\": \"volunteer-roster/1\", \"assignments\": [",
    )
    .unwrap();
    let run = |r: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_vroster"))
            .args(["check", scen, r.to_str().unwrap()])
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(run(&good), Some(0));
    assert_eq!(run(&bad), Some(1));
    assert_eq!(run(&broken), Some(2));
    assert_eq!(run(&dir.path().join("missing.json")), Some(2));
}
