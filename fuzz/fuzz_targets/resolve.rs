//! Structured: a fixed valid scenario (`tiny.json`, or `small.json`) with
//! a roster solved once, and fuzzer-chosen changes (now, dropouts,
//! cancellations, min/max updates, new shifts and volunteers copied from
//! existing ones). Changes the validator accepts go through
//! `repair::resolve` (a small fixed search budget, one thread).
//!
//! Oracles: no panic; a re-solve of valid changes either refuses with a
//! typed error or gives a roster that passes the independent checker
//! (`check_repair`) and agrees with the figures it reports.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use vroster::scenario::{Roster, Scenario};
use vroster::solver::{SolveContext, SolveOptions};

fn options() -> SolveOptions {
    SolveOptions {
        seed: 1,
        threads: 1,
        iterations: Some(2_000),
        debug_checks: true,
        ..SolveOptions::default()
    }
}

fn solved(text: &str) -> (Scenario, Roster) {
    let sc = vroster::validate::load_scenario_str(text)
        .expect("committed scenario is valid")
        .0;
    let ctx = SolveContext::new(options(), &|_| {});
    let roster = vroster::pipeline::solve(&sc, &ctx, 0.0)
        .expect("solves")
        .roster;
    (sc, roster)
}

fn fixtures() -> &'static [(Scenario, Roster); 2] {
    static SC: OnceLock<[(Scenario, Roster); 2]> = OnceLock::new();
    SC.get_or_init(|| {
        [
            solved(include_str!("../../scenarios/tiny.json")),
            solved(include_str!("../../scenarios/small.json")),
        ]
    })
}

#[path = "shared/changes.rs"]
mod changes;
use changes::{changes_of, ChangesIn};

#[derive(Arbitrary, Debug)]
struct Input {
    small: bool,
    changes: ChangesIn,
}

fuzz_target!(init: {
    // Solve the fixtures before the first input, not inside it (the first
    // run timed out on that: see README).
    fixtures();
}, |input: Input| {
    let ci = &input.changes;
    if ci.dropouts.len() + ci.cancelled.len() + ci.updates.len() > 64
        || ci.new_shifts.len() + ci.new_volunteers.len() > 16
    {
        return;
    }
    let (sc, prev) = &fixtures()[input.small as usize];
    let mut changes = changes_of(sc, ci);
    // A copied volunteer's pins would name shifts they may not fit twice.
    for vol in &mut changes.new_volunteers {
        vol.pinned.clear();
    }
    // Like `vroster resolve`, only changes the validator accepts.
    if vroster::validate::has_errors(&vroster::validate::validate_changes(sc, &changes)) {
        return;
    }
    let ctx = SolveContext::new(options(), &|_| {});
    let Ok(out) = vroster::repair::resolve(sc, prev, &changes, &ctx, 0.0, 2) else {
        return;
    };
    let report = vroster::check::check_repair(sc, prev, &changes, &out.roster)
        .expect("the checker reads what resolve accepted");
    assert!(
        report.passes(),
        "re-solved roster fails the checker: {:?} {:?}",
        report.violations,
        report.mismatches
    );
    assert!(out.summary.checker_agrees);
});
