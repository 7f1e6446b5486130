//! Inputs from the fuzz targets in `fuzz/` (see `fuzz/README.md`).
//!
//! Every input a fuzz target ever crashed on belongs here, embedded or under
//! `tests/fixtures/fuzz/`, with the clean error or clean success it must
//! give now. The first tests pin what the targets rely on: the hand-made
//! seeds reach the code they are meant to reach (a seed that silently stops
//! parsing would leave a target fuzzing nothing but the parser).

use vroster::check::{check_repair, check_roster};
use vroster::csv_import::{import, CsvText, Settings};
use vroster::problem::Problem;
use vroster::scenario::Scenario;
use vroster::validate::{load_changes_str, load_roster_str, load_scenario_str, validate_scenario};

const TINY: &str = include_str!("../scenarios/tiny.json");

fn tiny() -> Scenario {
    load_scenario_str(TINY).expect("tiny.json is valid").0
}

/// The roster and changes seeds of the `roster_changes` target (fuzz/seed.sh).
const SEED_ROSTER: &str = r#"{"format":"volunteer-roster/1","scenario":"tiny","assignments":{"A1":["V1","V3"],"B1":["V2"],"A2":["V1"]},"objective":{"total":10,"uncovered":0,"quota_shortfall":0,"under_commitment":0,"preference_miss":0,"travel":0,"group_split":0,"volunteer_used":0,"change":0},"bound":10}"#;
const SEED_CHANGES: &str = r#"{"format":"volunteer-changes/1","now":"2026-02-04T12:00","dropouts":[{"volunteer":"V2","from":"2026-02-04T12:00","until":"2026-02-05T00:00"}],"cancelled_shifts":["A2"],"shift_updates":[{"shift":"B1","min":0,"max":1}],"new_shifts":[{"id":"B2","venue":"B","start":"2026-02-05T15:00","end":"2026-02-05T21:00","min":1,"max":1}],"new_volunteers":[{"id":"V9","home":"H"}]}"#;

#[test]
fn roster_changes_seed_reaches_the_repair_checker() {
    let sc = tiny();
    let (prev, _) = load_roster_str(SEED_ROSTER, &sc).expect("seed roster loads");
    let (changes, _) = load_changes_str(SEED_CHANGES, &sc).expect("seed changes load");
    check_roster(&sc, &prev).expect("checks");
    let report = check_repair(&sc, &prev, &changes, &prev).expect("repair check runs");
    assert!(report.repair.is_some());
    let applied = vroster::repair::apply_changes(&sc, &prev, &changes).expect("changes apply");
    vroster::repair::compile_applied(&applied, None).expect("applied scenario compiles");
}

fn csv(file: &str, text: &str) -> CsvText {
    CsvText {
        file: file.into(),
        text: text.into(),
    }
}

#[test]
fn csv_import_seed_imports_validates_and_compiles() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/planner/");
    let read = |n: &str| std::fs::read_to_string(format!("{dir}{n}")).expect("fixture");
    let settings: Settings =
        vroster::io::parse_json(&read("rules.json"), "rules.json").expect("rules.json");
    let sc = import(
        Some(&csv("volunteers.csv", &read("volunteers.csv"))),
        Some(&csv("shifts.csv", &read("shifts.csv"))),
        Some(&csv("sites.csv", &read("sites.csv"))),
        Some(&csv("links.csv", &read("links.csv"))),
        Some(settings),
        "planner",
    )
    .expect("imports");
    assert!(!vroster::validate::has_errors(&validate_scenario(&sc)));
    Problem::compile(&sc).expect("compiles");
}

/// `resolve` target, first run (2026-12-01): `timeout-b87b993a…`, input
/// `{ small: false, now: At(12336, 12336), no changes }` on `tiny.json`. The
/// 12 s went to solving the fixtures inside the first input (now done in
/// the target's `init`); the re-solve itself must be quick and pass the
/// checker: `now` is the start of shift 12336 mod 3 plus 12,336 minutes
/// (every shift frozen), no changes.
#[test]
fn resolve_target_first_timeout_input_resolves_cleanly() {
    use vroster::solver::{SolveContext, SolveOptions};
    let sc = tiny();
    let opts = SolveOptions {
        seed: 1,
        threads: 1,
        iterations: Some(2_000),
        debug_checks: true,
        ..SolveOptions::default()
    };
    let ctx = SolveContext::new(opts.clone(), &|_| {});
    let prev = vroster::pipeline::solve(&sc, &ctx, 0.0)
        .expect("solves")
        .roster;
    let shift = &sc.shifts[12336 % sc.shifts.len()];
    let start = vroster::time::parse_time(&shift.start).expect("time");
    let changes = vroster::scenario::Changes {
        format: vroster::scenario::CHANGES_FORMAT.into(),
        now: vroster::time::format_time(start + 12336),
        ..Default::default()
    };
    assert!(!vroster::validate::has_errors(
        &vroster::validate::validate_changes(&sc, &changes)
    ));
    let ctx = SolveContext::new(opts, &|_| {});
    let out = vroster::repair::resolve(&sc, &prev, &changes, &ctx, 0.0, 2).expect("re-solves");
    let report = check_repair(&sc, &prev, &changes, &out.roster).expect("checks");
    assert!(report.passes(), "{:?}", report.violations);
    assert_eq!(out.roster.assignments, prev.assignments, "all frozen");
}
