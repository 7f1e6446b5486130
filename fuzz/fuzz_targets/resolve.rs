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
use vroster::scenario::{Changes, Dropout, Roster, Scenario, ShiftUpdate, CHANGES_FORMAT};
use vroster::solver::{SolveContext, SolveOptions};
use vroster::time::{format_time, parse_time};

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

/// A time as (shift index, minutes after its start).
#[derive(Arbitrary, Debug, Clone, Copy)]
struct At(u16, i16);

#[derive(Arbitrary, Debug)]
struct Input {
    small: bool,
    now: At,
    dropouts: Vec<(u16, At, Option<u16>)>,
    cancelled: Vec<u16>,
    updates: Vec<(u16, Option<i8>, Option<i8>)>,
    /// Copies of existing shifts, moved by minutes.
    new_shifts: Vec<(u16, i16)>,
    /// Copies of existing volunteers.
    new_volunteers: Vec<u16>,
}

fn time_at(sc: &Scenario, at: At) -> String {
    let sh = &sc.shifts[at.0 as usize % sc.shifts.len()];
    let start = parse_time(&sh.start).expect("valid scenario");
    format_time(start + at.1 as i64)
}

fn changes_of(sc: &Scenario, input: &Input) -> Changes {
    let (n_sh, n_vol) = (sc.shifts.len(), sc.volunteers.len());
    let mut changes = Changes {
        format: CHANGES_FORMAT.to_string(),
        now: time_at(sc, input.now),
        ..Changes::default()
    };
    for (v, from, hours) in &input.dropouts {
        let from_t = time_at(sc, *from);
        changes.dropouts.push(Dropout {
            volunteer: sc.volunteers[*v as usize % n_vol].id.clone(),
            until: hours
                .map(|h| format_time(parse_time(&from_t).expect("formatted") + 60 * h as i64)),
            from: from_t,
        });
    }
    for &c in &input.cancelled {
        let id = sc.shifts[c as usize % n_sh].id.clone();
        changes.cancelled_shifts.push(id);
    }
    for &(s, min, max) in &input.updates {
        changes.shift_updates.push(ShiftUpdate {
            shift: sc.shifts[s as usize % n_sh].id.clone(),
            min: min.map(i64::from),
            max: max.map(i64::from),
        });
    }
    for (k, &(s, shift_by)) in input.new_shifts.iter().enumerate() {
        let mut sh = sc.shifts[s as usize % n_sh].clone();
        sh.id = format!("fuzz-shift-{k}");
        for t in [&mut sh.start, &mut sh.end] {
            *t = format_time(parse_time(t).expect("valid") + shift_by as i64);
        }
        changes.new_shifts.push(sh);
    }
    for (k, &v) in input.new_volunteers.iter().enumerate() {
        let mut vol = sc.volunteers[v as usize % n_vol].clone();
        vol.id = format!("fuzz-vol-{k}");
        vol.pinned.clear();
        changes.new_volunteers.push(vol);
    }
    changes
}

fuzz_target!(init: {
    // Solve the fixtures before the first input, not inside it (the first
    // run timed out on that: see README).
    fixtures();
}, |input: Input| {
    if input.dropouts.len() + input.cancelled.len() + input.updates.len() > 64
        || input.new_shifts.len() + input.new_volunteers.len() > 16
    {
        return;
    }
    let (sc, prev) = &fixtures()[input.small as usize];
    let changes = changes_of(sc, &input);
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
