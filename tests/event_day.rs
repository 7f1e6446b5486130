//! A day of successive re-solves (the CI version of
//! `scripts/event-day.sh`): changes generated at advancing `now` through
//! one event day, each re-solve starting from the previous result and the
//! scenario as the previous changes left it. Every step:
//!
//! - passes the independent checker (`check --prev --changes`);
//! - leaves frozen shifts (started before `now`) byte-identical;
//! - makes at most 1.25 × forced removals changes, plus the heads of
//!   minimum demand the changes added (raised `min`, new shifts), which no
//!   roster can staff without new assignments;
//! - leaves no volunteer *newly below commitment* who could take a shift.
//!   A volunteer is newly below commitment after a step when they did not
//!   drop out in that step's changes, worked at least their `min_shifts` in
//!   the previous roster and work fewer now. They *could take a shift* when
//!   some shift that has not started has fewer than `max` volunteers and
//!   adding them breaks no hard rule.

use std::collections::{BTreeSet, HashMap};
use vroster::problem::Problem;
use vroster::repair::{generate_changes, resolve, RepairOutcome};
use vroster::scenario::{Changes, Roster, Scenario};
use vroster::solver::{SolveContext, SolveOptions};
use vroster::time::{format_time, parse_time};

/// Options of every run of the day: seed 5, 2 threads, a fixed budget (how
/// the per-step limit depends on the seed: see [`CHAIN_SLACK`]).
fn options(iterations: u64) -> SolveOptions {
    SolveOptions {
        seed: 5,
        threads: 2,
        iterations: Some(iterations),
        ..Default::default()
    }
}

fn crew(r: &Roster, shift: &str) -> Vec<String> {
    r.assignments.get(shift).cloned().unwrap_or_default()
}

/// Heads of minimum demand the changes add: raised `min` values (against
/// the scenario before them) and new shifts.
fn added_demand(sc: &Scenario, ch: &Changes) -> i64 {
    let min: HashMap<&str, i64> = sc.shifts.iter().map(|s| (s.id.as_str(), s.min)).collect();
    let raised: i64 = ch
        .shift_updates
        .iter()
        .filter_map(|u| Some((u.min? - min.get(u.shift.as_str())?).max(0)))
        .sum();
    raised + ch.new_shifts.iter().map(|s| s.min).sum::<i64>()
}

fn assert_frozen_kept(prev: &Roster, out: &RepairOutcome, now: i64) {
    for s in &out.applied.scenario.shifts {
        if parse_time(&s.start).expect("time") < now {
            assert_eq!(
                crew(prev, &s.id),
                crew(&out.roster, &s.id),
                "frozen shift {} changed",
                s.id
            );
        }
    }
}

fn assert_no_needless_under_commitment(prev: &Roster, ch: &Changes, out: &RepairOutcome) {
    // Compiled as the re-solve saw it: frozen crews are pinned even where
    // no longer eligible.
    let p: Problem = vroster::repair::compile_applied(&out.applied, None).expect("compiles");
    let a = vroster::repair::assignment_of(&p, &out.roster).expect("roster fits");
    let mut before: HashMap<&str, u32> = HashMap::new();
    for vids in prev.assignments.values() {
        for v in vids.iter().collect::<BTreeSet<_>>() {
            *before.entry(v.as_str()).or_default() += 1;
        }
    }
    let dropouts: BTreeSet<&str> = ch.dropouts.iter().map(|d| d.volunteer.as_str()).collect();
    for v in 0..p.n_volunteers() {
        let id = p.volunteer_ids()[v].as_str();
        let min = p.volunteers()[v].min_shifts;
        let now = a.schedule(v).len() as u32;
        if dropouts.contains(id) || before.get(id).copied().unwrap_or(0) < min || now >= min {
            continue;
        }
        let could = p.vol_pairs(v).find(|&q| {
            let s = p.pair_shift()[q] as usize;
            p.shifts()[s].start + p.origin_day() * 1440 >= out.applied.now && a.can_add(&p, q, None)
        });
        assert!(
            could.is_none(),
            "{id} is newly below commitment ({now} < {min}) but could take {}",
            p.shift_ids()[p.pair_shift()[could.unwrap()] as usize]
        );
    }
}

#[test]
fn a_day_of_successive_resolves_stays_valid() {
    let path = format!("{}/scenarios/small.json", env!("CARGO_MANIFEST_DIR"));
    let mut sc: Scenario = vroster::io::read_json(std::path::Path::new(&path)).expect("scenario");
    let ctx = SolveContext::new(options(60_000), &|_| {});
    let mut prev = vroster::pipeline::solve(&sc, &ctx, 0.0)
        .expect("solves")
        .roster;
    let first = sc
        .shifts
        .iter()
        .filter_map(|s| parse_time(&s.start).ok())
        .min()
        .expect("shifts");
    // One event day, the second of the event, from 07:00 every 90 minutes.
    let day = (first / 1440 + 1) * 1440;
    let mut total_forced = 0;
    let (mut day_changes, mut day_added) = (0usize, 0i64);
    for step in 0..10u64 {
        let now = format_time(day + 7 * 60 + 90 * step as i64);
        let ch = generate_changes(&sc, &prev, &now, 0.03, 100 + step).expect("changes");
        let ctx = SolveContext::new(options(20_000), &|_| {});
        let out = resolve(&sc, &prev, &ch, &ctx, 0.0, 0).expect("re-solves");
        let report = vroster::check::check_repair(&sc, &prev, &ch, &out.roster).expect("checks");
        assert!(report.passes(), "step {step}: {:?}", report.violations);
        assert_frozen_kept(&prev, &out, out.applied.now);
        let r = &out.repair;
        // One hole may need a chain (see `CHAIN_SLACK`), so a step may
        // exceed 1.25× by one such chain; the day as a whole may not.
        let added = added_demand(&sc, &ch);
        let allowed = 1.25 * r.forced_removals as f64 + added as f64 + CHAIN_SLACK;
        assert!(
            r.changes as f64 <= allowed,
            "step {step}: {} changes for {} forced removals",
            r.changes,
            r.forced_removals
        );
        day_changes += r.changes;
        day_added += added;
        assert_no_needless_under_commitment(&prev, &ch, &out);
        total_forced += r.forced_removals;
        sc = out.applied.scenario.clone();
        prev = out.roster;
    }
    assert!(total_forced > 0, "the chain never removed anyone");
    let day_allowed = 1.25 * total_forced as f64 + day_added as f64;
    assert!(
        day_changes as f64 <= day_allowed,
        "the day: {day_changes} changes for {total_forced} forced removals and {day_added} heads of new demand"
    );
}

/// Changes a single step may make beyond 1.25 × its forced removals: one
/// chain of three moves that fills a hole (each move is a removal and an
/// addition, then the last shift is backfilled: 7 changes). Coverage
/// weighs more than `change`, so a step may rightly spend such a chain on
/// one hole. Which step needs one depends on the first roster (seeds 5, 6
/// and 7 have each needed one with some version of the solver; seeds 5–9
/// pass now), so the per-step limit allows one and the day as a whole is
/// held to 1.25 × its forced removals plus new demand.
const CHAIN_SLACK: f64 = 7.0;
