//! The `extra_load` (fair load) term on hand-computed rosters: the
//! checker, the solver's from-scratch score and its incremental state all
//! find the same figure; the fairness view counts the same roster; the
//! search spreads extra shifts once the term is priced; the generator sets
//! the weight only when asked.

use indexmap::IndexMap;
use vroster::check::check_roster;
use vroster::fairness::fairness;
use vroster::generate::{generate, scenario_json, GeneratorConfig};
use vroster::problem::Problem;
use vroster::scenario::*;
use vroster::solver::state::Assignment;
use vroster::solver::{self, score, SolveContext, SolveOptions};

/// One venue, one 8-hour shift a day on days 1–4 (min 1, max 2); P1
/// commits to 1 shift, P2 to none (the rules' default), P3 to 3.
fn scenario(extra_load: f64) -> Scenario {
    let shifts = (1..=4)
        .map(|d| Shift {
            id: format!("D{d}"),
            venue: "A".into(),
            start: format!("2026-03-0{d}T08:00"),
            end: format!("2026-03-0{d}T16:00"),
            min: 1,
            max: 2,
            priority: 1.0,
            ..Default::default()
        })
        .collect();
    let vol = |id: &str, min_shifts: Option<i64>| Volunteer {
        id: id.into(),
        min_shifts,
        ..Default::default()
    };
    let mut sc = Scenario {
        format: SCENARIO_FORMAT.into(),
        name: "fair".into(),
        sites: vec![Site {
            id: "A".into(),
            ..Default::default()
        }],
        shifts,
        volunteers: vec![vol("P1", Some(1)), vol("P2", None), vol("P3", Some(3))],
        ..Default::default()
    };
    sc.weights.extra_load = extra_load;
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

/// P1 works 3 (commitment 1: 2 extra), P2 works 2 (commitment 0: 2 extra),
/// P3 works 1 (commitment 3: 2 short, no extra).
fn hand_roster() -> Roster {
    roster(&[
        ("D1", &["P1", "P2"]),
        ("D2", &["P1", "P3"]),
        ("D3", &["P1"]),
        ("D4", &["P2"]),
    ])
}

/// The roster's pairs added one by one to the incremental state.
fn incremental(p: &Problem, sc: &Scenario, r: &Roster) -> Assignment {
    let mut a = Assignment::new(p);
    for (shift, vols) in &r.assignments {
        let s = sc
            .shifts
            .iter()
            .position(|x| &x.id == shift)
            .expect("shift");
        for id in vols {
            let v = sc.volunteers.iter().position(|x| &x.id == id).expect("vol");
            let q = p.find_pair(v, s).expect("eligible");
            assert!(a.can_add(p, q, None), "{shift} {id} legal");
            a.add(p, q);
        }
    }
    a
}

#[test]
fn extra_load_matches_hand_computation_everywhere() {
    let sc = scenario(10.0);
    let r = hand_roster();
    // 10 × (2² + 2² + 0) = 80; under_commitment 50 × (3 − 1) = 100.
    let report = check_roster(&sc, &r).expect("checks");
    assert!(report.is_valid(), "{:?}", report.violations);
    assert_eq!(report.objective.extra_load, 80.0);
    assert_eq!(report.objective.under_commitment, 100.0);
    assert_eq!(report.objective.total, 180.0);

    let p = Problem::compile(&sc).expect("compiles");
    let a = incremental(&p, &sc, &r);
    assert_eq!(a.terms().extra_load, 80.0);
    assert_eq!(a.total(&p), 180.0);
    let b = score::breakdown(&p, a.on());
    assert_eq!(b.extra_load, 80.0);
    assert_eq!(b.total, 180.0);
    // P1 taking D4 would go from 2 to 3 extra: 10 × (9 − 4) = 50.
    let q = p.find_pair(0, 3).expect("P1 on D4");
    assert_eq!(a.add_delta(&p, q), 50.0);
    // P1 leaving D1 (still covered by P2) goes from 2 to 1 extra:
    // 10 × (1 − 4) = −30.
    let q = p.find_pair(0, 0).expect("P1 on D1");
    assert_eq!(a.remove_delta(&p, q), -30.0);
    // P3 (below commitment) taking D3: no extra load, one less short shift.
    let q = p.find_pair(2, 2).expect("P3 on D3");
    assert_eq!(a.add_delta(&p, q), -50.0);
}

#[test]
fn weight_zero_keeps_the_term_at_zero() {
    let sc = scenario(0.0);
    let report = check_roster(&sc, &hand_roster()).expect("checks");
    assert_eq!(report.objective.extra_load, 0.0);
    assert_eq!(report.objective.total, 100.0);
}

#[test]
fn fairness_view_counts_the_hand_roster() {
    let f = fairness(&scenario(10.0), &hand_roster());
    assert_eq!(f.histogram(), "-2: 1 · +2: 2");
    assert_eq!(f.largest_extra, 2);
    assert_eq!(f.volunteers_above, 2);
    assert!((f.share_above - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(f.extra_shifts, 4);
    assert_eq!(f.squared_extra, 8);
    // The top tenth of 3 volunteers is one volunteer with 2 extra.
    assert_eq!(f.top_tenth_extra, 2);
}

fn solve(sc: &Scenario, seed: u64) -> solver::Solution {
    let p = Problem::compile(sc).expect("compiles");
    let opts = SolveOptions {
        seed,
        threads: 1,
        iterations: Some(20_000),
        debug_checks: true,
        ..Default::default()
    };
    let ctx = SolveContext::new(opts, &|_| {});
    let sol = solver::solve(&p, &ctx);
    assert_eq!(score::violations(&p, &sol.on), 0);
    sol
}

/// Two volunteers with no commitment, four shifts of one head each that
/// either can work: with the weight, the only optimum is two shifts each
/// (10 × (2² + 2²) = 80, where 3 + 1 costs 100 and 4 + 0 costs 160).
#[test]
fn search_spreads_extra_shifts() {
    let mut sc = scenario(10.0);
    sc.volunteers.truncate(2);
    sc.volunteers[0].min_shifts = None;
    for sh in &mut sc.shifts {
        sh.max = 1;
    }
    for seed in 0..5 {
        let sol = solve(&sc, seed);
        assert_eq!(sol.objective.uncovered, 0.0, "seed {seed}");
        assert_eq!(sol.objective.extra_load, 80.0, "seed {seed}");
    }
}

#[test]
fn generator_sets_the_weight_only_when_asked() {
    let cfg = GeneratorConfig::default();
    let plain = generate(&cfg);
    assert_eq!(plain.weights.extra_load, 0.0);
    let bytes = String::from_utf8(scenario_json(&plain, false)).expect("utf-8");
    assert!(
        !bytes.contains("extra_load"),
        "weight 0 stays out of the file"
    );
    let fair = generate(&GeneratorConfig {
        extra_load: 30.0,
        ..cfg.clone()
    });
    assert_eq!(fair.weights.extra_load, 30.0);
    // Only the weight differs.
    assert_eq!(fair.shifts, plain.shifts);
    assert_eq!(fair.volunteers, plain.volunteers);
    assert!(GeneratorConfig {
        extra_load: -1.0,
        ..cfg
    }
    .check()
    .is_err());
}
