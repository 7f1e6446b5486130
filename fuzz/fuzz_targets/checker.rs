//! Structured: a fixed valid scenario (`tiny.json` or `small.json`), a
//! roster built from fuzzer-chosen (shift, volunteer) index pairs, checked
//! by `check_roster`; optionally fuzzer-chosen changes (now, dropouts,
//! cancellations, min/max updates, new shifts and volunteers copied from
//! existing ones) run through `repair::apply_changes`, `compile_applied`
//! and `check_repair` with a second roster over the changed scenario.
//!
//! Oracles: no panic; every objective term the checker reports is finite.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use vroster::scenario::{ObjectiveBreakdown, Roster, Scenario};

fn load(text: &str) -> Scenario {
    vroster::validate::load_scenario_str(text)
        .expect("committed scenario is valid")
        .0
}

fn scenarios() -> &'static [Scenario; 2] {
    static SC: OnceLock<[Scenario; 2]> = OnceLock::new();
    SC.get_or_init(|| {
        [
            load(include_str!("../../scenarios/tiny.json")),
            load(include_str!("../../scenarios/small.json")),
        ]
    })
}

#[derive(Arbitrary, Debug)]
struct Input {
    small: bool,
    pairs: Vec<(u16, u16)>,
    bound: Option<f64>,
    claimed_total: Option<f64>,
    changes: Option<ChangesIn>,
}

#[path = "shared/changes.rs"]
mod changes;

#[derive(Arbitrary, Debug)]
struct ChangesIn {
    changes: changes::ChangesIn,
    /// The re-solved roster, over the changed scenario.
    pairs: Vec<(u16, u16)>,
}

fn roster_of(shifts: &[String], vols: &[String], pairs: &[(u16, u16)]) -> Roster {
    let mut r = Roster::empty("fuzz");
    if shifts.is_empty() || vols.is_empty() {
        return r;
    }
    for &(s, v) in pairs {
        r.assignments
            .entry(shifts[s as usize % shifts.len()].clone())
            .or_default()
            .push(vols[v as usize % vols.len()].clone());
    }
    r
}

fn assert_finite(o: &ObjectiveBreakdown) {
    assert!(o.total.is_finite(), "objective total not finite: {o:?}");
    for (name, v) in o.terms() {
        assert!(v.is_finite(), "objective term {name} not finite: {o:?}");
    }
}

fuzz_target!(|input: Input| {
    let sc = &scenarios()[input.small as usize];
    let shift_ids: Vec<String> = sc.shifts.iter().map(|s| s.id.clone()).collect();
    let vol_ids: Vec<String> = sc.volunteers.iter().map(|v| v.id.clone()).collect();
    let mut roster = roster_of(&shift_ids, &vol_ids, &input.pairs);
    roster.bound = input.bound;
    if let Some(t) = input.claimed_total {
        roster.objective = Some(ObjectiveBreakdown {
            total: t,
            ..ObjectiveBreakdown::default()
        });
    }
    let report = vroster::check::check_roster(sc, &roster).expect("valid scenario");
    assert_finite(&report.objective);
    let _ = report.passes();

    let Some(ci) = input.changes else {
        return;
    };
    let changes = changes::changes_of(sc, &ci.changes);
    // Like the CLI, the checker gets validated changes; apply_changes is a
    // library entry point with its own checks, so it gets them either way.
    let valid = !vroster::validate::has_errors(&vroster::validate::validate_changes(sc, &changes));
    let applied = vroster::repair::apply_changes(sc, &roster, &changes);
    if let Ok(applied) = &applied {
        let _ = vroster::repair::compile_applied(applied, None);
    }
    if !valid {
        return;
    }
    let mut new_shift_ids: Vec<String> = shift_ids
        .iter()
        .filter(|id| !changes.cancelled_shifts.contains(id))
        .cloned()
        .collect();
    new_shift_ids.extend(changes.new_shifts.iter().map(|s| s.id.clone()));
    let mut new_vol_ids = vol_ids.clone();
    new_vol_ids.extend(changes.new_volunteers.iter().map(|v| v.id.clone()));
    let new_roster = roster_of(&new_shift_ids, &new_vol_ids, &ci.pairs);
    if let Ok(report) = vroster::check::check_repair(sc, &roster, &changes, &new_roster) {
        assert_finite(&report.objective);
    }
});
