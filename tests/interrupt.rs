//! Every stop yields a usable roster: a cancel (what Ctrl-C sets) or a
//! passed deadline at the start of any phase still ends with a roster that
//! passes the independent checker and covers at least the heads the
//! construction alone covers. The stop is set by the orchestrator's phase
//! hook, so the test is deterministic (no sleeping, no timing).

use std::sync::atomic::Ordering;
use std::time::Instant;
use vroster::pipeline::{solve_observed, Phase};
use vroster::problem::Problem;
use vroster::scenario::Scenario;
use vroster::solver::{SolveContext, SolveOptions};

fn load(name: &str) -> Scenario {
    let path = format!("{}/scenarios/{name}", env!("CARGO_MANIFEST_DIR"));
    vroster::io::read_json(std::path::Path::new(&path)).expect("scenario")
}

fn options() -> SolveOptions {
    SolveOptions {
        seed: 2,
        threads: 2,
        iterations: Some(400_000),
        ..Default::default()
    }
}

/// Heads of minimum demand covered by the construction alone.
fn construction_heads(sc: &Scenario) -> u64 {
    let p = Problem::compile(sc).expect("compiles");
    let ctx = SolveContext::new(options(), &|_| {});
    let first = vroster::solver::first_roster(&p, &ctx);
    vroster::summary::coverage_of(&p, first.a.on()).min_demand_covered
}

/// Solves with a cancel set as `phase` starts; returns the checker's
/// covered heads, after asserting the roster passes.
fn heads_when_cancelled_at(sc: &Scenario, phase: Phase) -> u64 {
    let ctx = SolveContext::new(options(), &|_| {});
    let cancel = ctx.cancel.clone();
    let hook = move |at: Phase| {
        if at == phase {
            cancel.store(true, Ordering::SeqCst);
        }
    };
    let out = solve_observed(sc, &ctx, 0.0, &hook).expect("solves");
    let report = vroster::check::check_roster(sc, &out.roster).expect("checks");
    assert!(report.passes(), "{phase:?}: {:?}", report.violations);
    assert!(out.summary.checker_agrees, "{phase:?}");
    assert!(
        !out.roster.assignments.is_empty(),
        "{phase:?}: an empty roster"
    );
    report.coverage.min_demand_covered
}

#[test]
fn a_cancel_at_any_phase_keeps_at_least_the_constructed_roster() {
    for name in ["small.json", "medium.json"] {
        let sc = load(name);
        let floor = construction_heads(&sc);
        assert!(floor > 0, "{name}: the construction covers nothing");
        eprintln!("{name}: construction alone covers {floor} heads");
        for phase in Phase::ALL {
            let heads = heads_when_cancelled_at(&sc, phase);
            eprintln!("{name}: cancelled as {phase:?} starts: {heads} heads");
            assert!(
                heads >= floor,
                "{name}, cancelled at {phase:?}: {heads} heads < construction's {floor}"
            );
        }
    }
}

/// A deadline that passed before the run started (a time limit shorter
/// than loading) still gives the constructed roster, and skips the bound's
/// relaxation rather than the roster.
#[test]
fn a_passed_deadline_still_gives_the_constructed_roster() {
    let sc = load("medium.json");
    let floor = construction_heads(&sc);
    let opts = SolveOptions {
        deadline: Some(Instant::now()),
        ..options()
    };
    let ctx = SolveContext::new(opts, &|_| {});
    let out = vroster::pipeline::solve(&sc, &ctx, 0.0).expect("solves");
    let report = vroster::check::check_roster(&sc, &out.roster).expect("checks");
    assert!(report.passes(), "{:?}", report.violations);
    assert!(report.coverage.min_demand_covered >= floor);
    assert!(out.summary.stopped_early);
    assert_eq!(out.summary.iterations, 0, "the search should not run");
    assert!(
        out.summary.bound_note.contains("no room"),
        "{}",
        out.summary.bound_note
    );
}

/// A re-solve cancelled at any phase still writes a roster that passes
/// `check --prev --changes`, with the holes the construction filled.
#[test]
fn a_cancelled_resolve_still_fills_the_holes() {
    let sc = load("small.json");
    let ctx = SolveContext::new(options(), &|_| {});
    let prev = vroster::pipeline::solve(&sc, &ctx, 0.0)
        .expect("solves")
        .roster;
    let changes =
        vroster::repair::generate_changes(&sc, &prev, "2026-02-05T08:00", 0.1, 4).expect("changes");
    let mut floor = None;
    for phase in Phase::ALL {
        let ctx = SolveContext::new(options(), &|_| {});
        let cancel = ctx.cancel.clone();
        let hook = move |at: Phase| {
            if at == phase {
                cancel.store(true, Ordering::SeqCst);
            }
        };
        let out = vroster::repair::resolve_observed(&sc, &prev, &changes, &ctx, 0.0, 0, &hook)
            .expect("re-solves");
        let report =
            vroster::check::check_repair(&sc, &prev, &changes, &out.roster).expect("checks");
        assert!(report.passes(), "{phase:?}: {:?}", report.violations);
        let heads = out.repair.min_demand_covered_after;
        let floor = *floor.get_or_insert(heads);
        assert!(heads >= floor, "{phase:?}: {heads} < {floor}");
        assert!(heads >= out.repair.min_demand_covered_before);
    }
}
