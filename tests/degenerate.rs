//! Degenerate inputs, through the library and the `vroster` binary: no
//! volunteers, no shifts, nobody eligible, every shift at `max` before a
//! re-solve, every volunteer dropping out, unreachable sites, shifts across
//! midnight and over many days, availability with hundreds of windows.
//! Each gives a roster that passes the checker with the claimed objective,
//! or a validation error naming the JSON path (exit code 2) — never a panic.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use vroster::check::{check_roster, RosterCheck};
use vroster::repair::{resolve, RepairOutcome};
use vroster::scenario::*;
use vroster::solver::{SolveContext, SolveOptions};
use vroster::time::{format_time, parse_time};

// ---------------------------------------------------------------- helpers

fn options(seed: u64) -> SolveOptions {
    SolveOptions {
        seed,
        threads: 1,
        iterations: Some(5_000),
        debug_checks: true,
        ..Default::default()
    }
}

fn scenario() -> Scenario {
    Scenario {
        format: SCENARIO_FORMAT.into(),
        name: "degenerate".into(),
        ..Default::default()
    }
}

fn site(id: &str) -> Site {
    Site {
        id: id.into(),
        ..Default::default()
    }
}

fn link(a: &str, b: &str, minutes: i64) -> Link {
    Link {
        from: a.into(),
        to: b.into(),
        minutes,
    }
}

fn shift(id: &str, venue: &str, start: &str, end: &str, min: i64, max: i64) -> Shift {
    Shift {
        id: id.into(),
        venue: venue.into(),
        role: None,
        start: start.into(),
        end: end.into(),
        min,
        max,
        priority: 1.0,
        requires: vec![],
        quotas: vec![],
    }
}

fn volunteer(id: &str) -> Volunteer {
    Volunteer {
        id: id.into(),
        ..Default::default()
    }
}

fn changes(now: &str) -> Changes {
    Changes {
        format: CHANGES_FORMAT.into(),
        now: now.into(),
        ..Default::default()
    }
}

/// The scenario has no validation errors (warnings allowed); returns them.
fn valid(sc: &Scenario) -> Vec<vroster::validate::Diagnostic> {
    let diags = vroster::validate::validate_scenario(sc);
    assert!(
        !vroster::validate::has_errors(&diags),
        "scenario invalid: {diags:?}"
    );
    diags
}

/// Solves through the pipeline and checks: no violation, and the checker's
/// objective equals the solver's.
fn solve_checked(sc: &Scenario) -> (Roster, RosterCheck) {
    valid(sc);
    let ctx = SolveContext::new(options(7), &|_| {});
    let out = vroster::pipeline::solve(sc, &ctx, 0.0).expect("solves");
    let report = check_roster(sc, &out.roster).expect("checks");
    assert!(
        report.passes(),
        "violations {:?} mismatches {:?} bound_ok {}",
        report.violations,
        report.mismatches,
        report.bound_ok
    );
    let claimed = out.roster.objective.expect("objective");
    assert!(vroster::check::agrees(
        claimed.total,
        report.objective.total
    ));
    assert!(out.summary.checker_agrees);
    (out.roster, report)
}

/// Re-solves and checks: valid, claims agree, counts agree, frozen shifts
/// exactly as before.
fn resolve_checked(sc: &Scenario, prev: &Roster, ch: &Changes) -> RepairOutcome {
    let diags = vroster::validate::validate_changes(sc, ch);
    assert!(!vroster::validate::has_errors(&diags), "{diags:?}");
    let ctx = SolveContext::new(options(3), &|_| {});
    let out = resolve(sc, prev, ch, &ctx, 0.0, 2).expect("re-solves");
    common::assert_repair_agrees(sc, prev, ch, &out);
    let now = parse_time(&ch.now).expect("now");
    for s in &out.applied.scenario.shifts {
        if parse_time(&s.start).expect("start") < now {
            let before = prev.assignments.get(&s.id).filter(|v| !v.is_empty());
            let after = out.roster.assignments.get(&s.id).filter(|v| !v.is_empty());
            assert_eq!(before, after, "frozen shift {} changed", s.id);
        }
    }
    out
}

fn vroster() -> Command {
    Command::new(env!("CARGO_BIN_EXE_vroster"))
}

fn write_json<T: serde::Serialize>(dir: &Path, name: &str, value: &T) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(value).expect("json")).expect("write");
    path
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn no_panic(out: &Output) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("panicked") && out.status.code() != Some(101),
        "the binary panicked: {err}"
    );
}

/// The command exited 0 (its output in the message otherwise).
fn succeeded(out: &Output, what: &str) {
    no_panic(out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `vroster solve` then `vroster check` on its roster: both exit 0.
fn cli_solve_checked(sc: &Scenario) -> Roster {
    let dir = tempfile::tempdir().expect("tempdir");
    let scen = write_json(dir.path(), "s.json", sc);
    let roster = dir.path().join("r.json");
    let out = vroster()
        .args(["solve", path_str(&scen), "-o", path_str(&roster), "--quiet"])
        .args([
            "--iterations",
            "5000",
            "--threads",
            "1",
            "--time-limit",
            "30",
        ])
        .output()
        .expect("runs");
    succeeded(&out, "solve");
    let out = vroster()
        .args(["check", path_str(&scen), path_str(&roster)])
        .output()
        .expect("runs");
    succeeded(&out, "check");
    vroster::io::read_json(&roster).expect("roster")
}

/// `vroster resolve` then `vroster check --prev --changes`: both exit 0.
fn cli_resolve_checked(sc: &Scenario, prev: &Roster, ch: &Changes) -> Roster {
    let dir = tempfile::tempdir().expect("tempdir");
    let scen = write_json(dir.path(), "s.json", sc);
    let prev_p = write_json(dir.path(), "prev.json", prev);
    let ch_p = write_json(dir.path(), "changes.json", ch);
    let roster = dir.path().join("r.json");
    let out = vroster()
        .args(["resolve", path_str(&scen), "--roster", path_str(&prev_p)])
        .args(["--changes", path_str(&ch_p), "-o", path_str(&roster)])
        .args(["--quiet", "--iterations", "5000", "--threads", "1"])
        .output()
        .expect("runs");
    succeeded(&out, "resolve");
    let out = vroster()
        .args(["check", path_str(&scen), path_str(&roster)])
        .args(["--prev", path_str(&prev_p), "--changes", path_str(&ch_p)])
        .output()
        .expect("runs");
    succeeded(&out, "check");
    vroster::io::read_json(&roster).expect("roster")
}

/// `vroster solve` on an invalid scenario: exit 2, the message names `path`,
/// no roster written.
fn cli_rejects(sc_json: &str, path: &str, code: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let scen = dir.path().join("s.json");
    std::fs::write(&scen, sc_json).expect("write");
    let roster = dir.path().join("r.json");
    let out = vroster()
        .args(["solve", path_str(&scen), "-o", path_str(&roster), "--quiet"])
        .args(["--iterations", "1000", "--threads", "1"])
        .output()
        .expect("runs");
    no_panic(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(path) && err.contains(code),
        "message should name {path} and {code}: {err}"
    );
    assert!(!roster.exists(), "no roster for an invalid scenario");
}

fn assigned(r: &Roster) -> usize {
    r.assignments.values().map(|v| v.len()).sum()
}

// ---------------------------------------------------------------- cases

/// Shifts but nobody to staff them: every head and quota is missing.
fn no_volunteers_scenario() -> Scenario {
    let mut sc = scenario();
    sc.sites.push(site("A"));
    let mut s = shift("S1", "A", "2026-02-04T08:00", "2026-02-04T16:00", 2, 3);
    s.priority = 2.0;
    s.quotas.push(Quota {
        skill: Some("first_aid".into()),
        at_least: 1,
        ..Default::default()
    });
    sc.shifts.push(s);
    sc.shifts.push(shift(
        "S2",
        "A",
        "2026-02-05T08:00",
        "2026-02-05T16:00",
        1,
        1,
    ));
    sc
}

#[test]
fn no_volunteers() {
    let sc = no_volunteers_scenario();
    let (roster, report) = solve_checked(&sc);
    assert_eq!(assigned(&roster), 0);
    assert_eq!(report.objective.uncovered, 1000.0 * 2.0 * 2.0 + 1000.0);
    assert_eq!(report.objective.quota_shortfall, 100.0 * 2.0);
    let cli = cli_solve_checked(&sc);
    assert_eq!(assigned(&cli), 0);
}

#[test]
fn no_shifts() {
    // Volunteers with commitments but nothing to work.
    let mut sc = scenario();
    sc.sites.push(site("H"));
    sc.rules.min_shifts = 2;
    for i in 0..3 {
        let mut v = volunteer(&format!("P{i}"));
        v.home = Some("H".into());
        sc.volunteers.push(v);
    }
    let (roster, report) = solve_checked(&sc);
    assert_eq!(assigned(&roster), 0);
    assert_eq!(report.objective.under_commitment, 3.0 * 2.0 * 50.0);
    cli_solve_checked(&sc);
    // The emptiest scenario there is: only the format tag.
    let empty = scenario();
    let (_, report) = solve_checked(&empty);
    assert_eq!(report.objective.total, 0.0);
    cli_solve_checked(&empty);
    // And re-solving it, with dropouts of nobody.
    let prev = Roster::empty("degenerate");
    resolve_checked(&empty, &prev, &changes("2026-02-04T00:00"));
    cli_resolve_checked(&empty, &prev, &changes("2026-02-04T00:00"));
}

#[test]
fn nobody_eligible_anywhere() {
    let mut sc = scenario();
    for s in ["A", "B", "H", "X"] {
        sc.sites.push(site(s));
    }
    sc.links.push(link("A", "H", 10));
    sc.links.push(link("B", "H", 10));
    // S1 needs a skill nobody holds; S2 is outside everyone's availability;
    // S3 is at a venue no home reaches; S4 and S5 have no room (max 0, or
    // longer than anyone's day); S6 is on a day nobody may work (max_shifts 0
    // for the only volunteer without a window).
    let mut s1 = shift("S1", "A", "2026-02-04T08:00", "2026-02-04T12:00", 1, 2);
    s1.requires.push("pilot".into());
    sc.shifts.push(s1);
    sc.shifts.push(shift(
        "S2",
        "A",
        "2026-02-10T08:00",
        "2026-02-10T12:00",
        1,
        2,
    ));
    sc.shifts.push(shift(
        "S3",
        "X",
        "2026-02-04T14:00",
        "2026-02-04T18:00",
        1,
        2,
    ));
    sc.shifts.push(shift(
        "S4",
        "B",
        "2026-02-05T08:00",
        "2026-02-05T12:00",
        0,
        0,
    ));
    sc.shifts.push(shift(
        "S5",
        "B",
        "2026-02-05T13:00",
        "2026-02-06T01:00",
        1,
        1,
    ));
    for i in 0..4 {
        let mut v = volunteer(&format!("P{i}"));
        v.home = Some("H".into());
        v.available = Some(vec![("2026-02-04T00:00".into(), "2026-02-08T00:00".into())]);
        sc.volunteers.push(v);
    }
    let diags = valid(&sc);
    assert!(
        diags.iter().any(|d| d.code == "W-NOBODY-ELIGIBLE"),
        "{diags:?}"
    );
    let (roster, report) = solve_checked(&sc);
    assert_eq!(assigned(&roster), 0, "{roster:?}");
    assert_eq!(report.objective.uncovered, 4000.0);
    let p = vroster::problem::Problem::compile(&sc).expect("compiles");
    // S4 (max 0) and S5 (12 h > 600 min a day) are eligible but unworkable.
    assert!(p.n_pairs() > 0);
    let cli = cli_solve_checked(&sc);
    assert_eq!(assigned(&cli), 0);
    // Everybody capped at zero shifts: same answer.
    sc.rules.max_shifts = 0;
    sc.shifts[3].max = 3;
    let (roster, _) = solve_checked(&sc);
    assert_eq!(assigned(&roster), 0);
}

/// Three shifts of max 2 over two days and six volunteers; the previous
/// roster puts every shift at its max.
fn at_max() -> (Scenario, Roster) {
    let mut sc = scenario();
    sc.sites.push(site("A"));
    sc.rules.min_rest_minutes = 60;
    sc.shifts.push(shift(
        "S1",
        "A",
        "2026-02-04T08:00",
        "2026-02-04T12:00",
        1,
        2,
    ));
    sc.shifts.push(shift(
        "S2",
        "A",
        "2026-02-04T14:00",
        "2026-02-04T18:00",
        1,
        2,
    ));
    sc.shifts.push(shift(
        "S3",
        "A",
        "2026-02-05T08:00",
        "2026-02-05T12:00",
        1,
        2,
    ));
    for i in 0..6 {
        sc.volunteers.push(volunteer(&format!("P{i}")));
    }
    let mut prev = Roster::empty("degenerate");
    prev.assignments
        .insert("S1".into(), vec!["P0".into(), "P1".into()]);
    prev.assignments
        .insert("S2".into(), vec!["P2".into(), "P3".into()]);
    prev.assignments
        .insert("S3".into(), vec!["P0".into(), "P4".into()]);
    let r = check_roster(&sc, &prev).expect("checks");
    assert!(r.is_valid());
    (sc, prev)
}

#[test]
fn every_shift_already_at_max() {
    let (sc, prev) = at_max();
    // No changes: nothing moves.
    let out = resolve_checked(&sc, &prev, &changes("2026-02-04T10:00"));
    assert_eq!(out.roster.assignments, prev.assignments);
    // Demand raised to the max everywhere, a new volunteer: still no room.
    let mut ch = changes("2026-02-04T00:00");
    for s in ["S1", "S2", "S3"] {
        ch.shift_updates.push(ShiftUpdate {
            shift: s.into(),
            min: Some(2),
            max: None,
        });
    }
    ch.new_volunteers.push(volunteer("NEW"));
    let out = resolve_checked(&sc, &prev, &ch);
    assert_eq!(out.repair.changes, 0);
    // Max lowered to 1 on every shift: one forced removal each.
    let mut ch = changes("2026-02-04T00:00");
    for s in ["S1", "S2", "S3"] {
        ch.shift_updates.push(ShiftUpdate {
            shift: s.into(),
            min: Some(1),
            max: Some(1),
        });
    }
    let out = resolve_checked(&sc, &prev, &ch);
    assert_eq!(out.repair.forced_removals, 3);
    assert_eq!(assigned(&out.roster), 3);
    // Max lowered to 0 while S1 is under way: S1 is frozen and keeps both.
    let mut ch = changes("2026-02-04T09:00");
    for s in ["S1", "S2", "S3"] {
        ch.shift_updates.push(ShiftUpdate {
            shift: s.into(),
            min: Some(0),
            max: Some(0),
        });
    }
    let out = resolve_checked(&sc, &prev, &ch);
    assert_eq!(out.roster.assignments.get("S1"), prev.assignments.get("S1"));
    assert_eq!(assigned(&out.roster), 2);
    cli_resolve_checked(&sc, &prev, &ch);
}

#[test]
fn all_volunteers_drop_out() {
    let sc = common::random_scenario(5, 12, 2, 3);
    let ctx = SolveContext::new(options(1), &|_| {});
    let prev = vroster::pipeline::solve(&sc, &ctx, 0.0)
        .expect("solves")
        .roster;
    assert!(assigned(&prev) > 0);
    for now in ["2026-02-03T00:00", "2026-02-05T12:00", "2026-03-01T00:00"] {
        let mut ch = changes(now);
        for v in &sc.volunteers {
            ch.dropouts.push(Dropout {
                volunteer: v.id.clone(),
                from: now.into(),
                until: None,
            });
        }
        let out = resolve_checked(&sc, &prev, &ch);
        let now_m = parse_time(now).expect("now");
        // Only frozen shifts keep anyone.
        for (sid, vids) in &out.roster.assignments {
            let s = sc.shifts.iter().find(|s| &s.id == sid).expect("shift");
            assert!(
                vids.is_empty() || parse_time(&s.start).expect("start") < now_m,
                "{sid} staffed after everyone dropped out"
            );
        }
        assert_eq!(out.repair.changes, 0);
        let cli = cli_resolve_checked(&sc, &prev, &ch);
        assert_eq!(cli.assignments, out.roster.assignments);
    }
}

#[test]
fn links_with_unreachable_sites() {
    // Components {A, H}, {B, C}, {X}; the volunteer without a home can go
    // anywhere but never between components.
    let mut sc = scenario();
    for s in ["A", "H", "B", "C", "X"] {
        sc.sites.push(site(s));
    }
    sc.links.push(link("A", "H", 15));
    sc.links.push(link("B", "C", 5));
    sc.rules.min_rest_minutes = 0;
    sc.shifts.push(shift(
        "SA",
        "A",
        "2026-02-04T08:00",
        "2026-02-04T10:00",
        1,
        2,
    ));
    sc.shifts.push(shift(
        "SB",
        "B",
        "2026-02-04T12:00",
        "2026-02-04T14:00",
        1,
        2,
    ));
    sc.shifts.push(shift(
        "SX",
        "X",
        "2026-02-04T16:00",
        "2026-02-04T18:00",
        1,
        2,
    ));
    sc.shifts.push(shift(
        "SA2",
        "A",
        "2026-02-05T08:00",
        "2026-02-05T10:00",
        1,
        2,
    ));
    let mut p0 = volunteer("HOMEH");
    p0.home = Some("H".into());
    let mut p1 = volunteer("HOMEC");
    p1.home = Some("C".into());
    let free = volunteer("NOHOME");
    sc.volunteers = vec![p0, p1, free];
    let diags = valid(&sc);
    assert!(
        diags.iter().any(|d| d.code == "W-VENUE-UNREACHABLE"),
        "{diags:?}"
    );
    let (roster, report) = solve_checked(&sc);
    // Each shift can be covered (SX only by NOHOME) but NOHOME cannot work
    // two components on one day... or on two days either: travel is infinite.
    let crew = |id: &str| roster.assignments.get(id).cloned().unwrap_or_default();
    assert_eq!(crew("SX"), vec!["NOHOME".to_string()]);
    assert!(!crew("SB").contains(&"HOMEH".to_string()));
    assert!(!crew("SA").contains(&"HOMEC".to_string()));
    // HOMEH takes SA and SA2 (1.5 travel each); SB goes to HOMEC.
    assert_eq!(report.objective.uncovered, 0.0);
    let cli = cli_solve_checked(&sc);
    assert_eq!(cli.assignments, roster.assignments);
}

#[test]
fn shifts_across_midnight_and_many_days() {
    let mut sc = scenario();
    sc.sites.push(site("A"));
    sc.rules.max_consecutive_days = 5;
    sc.rules.min_rest_minutes = 600;
    // A 30-hour shift (only the volunteer allowed 2,000 minutes a day fits),
    // a night shift across midnight, one across the new year, one on a leap
    // day, and a shift every day for 60 days.
    sc.shifts.push(shift(
        "LONG",
        "A",
        "2026-02-04T18:00",
        "2026-02-06T00:00",
        1,
        1,
    ));
    sc.shifts.push(shift(
        "NIGHT",
        "A",
        "2026-02-06T22:00",
        "2026-02-07T06:00",
        1,
        2,
    ));
    sc.shifts.push(shift(
        "NYE",
        "A",
        "2026-12-31T22:00",
        "2027-01-01T04:00",
        1,
        1,
    ));
    sc.shifts.push(shift(
        "LEAP",
        "A",
        "2028-02-29T08:00",
        "2028-02-29T12:00",
        1,
        1,
    ));
    let day0 = parse_time("2026-03-01T09:00").expect("time");
    for d in 0..60 {
        let st = day0 + d * 1440;
        sc.shifts.push(shift(
            &format!("D{d}"),
            "A",
            &format_time(st),
            &format_time(st + 300),
            1,
            1,
        ));
    }
    let mut marathon = volunteer("MARATHON");
    marathon.max_minutes_per_day = Some(2_000);
    marathon.max_shifts = Some(3);
    sc.volunteers.push(marathon);
    for i in 0..8 {
        sc.volunteers.push(volunteer(&format!("P{i}")));
    }
    let (roster, report) = solve_checked(&sc);
    assert_eq!(
        roster.assignments.get("LONG"),
        Some(&vec!["MARATHON".to_string()])
    );
    // 8 + 1 volunteers × 5 days on, then a day off: every day coverable.
    assert_eq!(report.objective.uncovered, 0.0, "{:?}", report.objective);
    let cli = cli_solve_checked(&sc);
    assert_eq!(
        cli.assignments.get("LONG"),
        Some(&vec!["MARATHON".to_string()])
    );
    // Nobody may take a 30-hour shift under the default day limit.
    sc.volunteers[0].max_minutes_per_day = None;
    let (roster, _) = solve_checked(&sc);
    assert!(!roster.assignments.contains_key("LONG"));
    // A night shift written with the wrong end date is an error naming its end.
    let mut bad = sc.clone();
    bad.shifts[1].end = "2026-02-06T06:00".into();
    cli_rejects(
        &serde_json::to_string(&bad).expect("json"),
        "shifts[1].end",
        "E-END-BEFORE-START",
    );
}

/// One volunteer with `n` two-hour windows, one each day at 08:00, listed
/// in reverse order, plus an overlapping duplicate of the 100th.
fn many_windows(n: i64) -> Scenario {
    let mut sc = scenario();
    sc.sites.push(site("A"));
    sc.rules.max_consecutive_days = 400;
    sc.rules.max_shifts = 400;
    sc.rules.min_rest_minutes = 0;
    let day0 = parse_time("2026-02-04T08:00").expect("time");
    let mut windows: Vec<(String, String)> = (0..n)
        .rev()
        .map(|d| {
            let a = day0 + d * 1440;
            (format_time(a), format_time(a + 120))
        })
        .collect();
    windows.push((
        format_time(day0 + 99 * 1440 - 60),
        format_time(day0 + 99 * 1440 + 60),
    ));
    let mut v = volunteer("MANY");
    v.available = Some(windows);
    sc.volunteers.push(v);
    // Shifts inside windows (even days), and ones straddling a window's end
    // (odd days: 09:00–11:00 ends after the window closes at 10:00).
    for d in (0..n).step_by(7) {
        let st = day0 + d * 1440 + if d % 2 == 0 { 0 } else { 60 };
        sc.shifts.push(shift(
            &format!("S{d}"),
            "A",
            &format_time(st),
            &format_time(st + 120),
            1,
            1,
        ));
    }
    sc
}

#[test]
fn availability_with_many_windows() {
    let sc = many_windows(200);
    let (roster, report) = solve_checked(&sc);
    for s in &sc.shifts {
        let d: i64 = s.id[1..].parse().expect("day");
        let on = roster.assignments.contains_key(&s.id);
        assert_eq!(on, d % 2 == 0, "shift {} (day {d})", s.id);
    }
    assert!(report.objective.uncovered > 0.0);
    let cli = cli_solve_checked(&sc);
    assert_eq!(cli.assignments, roster.assignments);
    // A dropout in the middle splits the 201 windows; the re-solve keeps the
    // shifts before it and drops the ones in it.
    let mut ch = changes("2026-03-01T00:00");
    ch.dropouts.push(Dropout {
        volunteer: "MANY".into(),
        from: "2026-04-01T00:00".into(),
        until: Some("2026-05-01T00:00".into()),
    });
    let out = resolve_checked(&sc, &roster, &ch);
    let april = parse_time("2026-04-01T00:00").expect("t");
    let may = parse_time("2026-05-01T00:00").expect("t");
    for s in &sc.shifts {
        let st = parse_time(&s.start).expect("start");
        let on = out.roster.assignments.contains_key(&s.id);
        if (april..may).contains(&st) {
            assert!(!on, "{} kept during the absence", s.id);
        } else {
            assert_eq!(on, roster.assignments.contains_key(&s.id), "{}", s.id);
        }
    }
    cli_resolve_checked(&sc, &roster, &ch);
    // One backwards window among them: a validation error with its path.
    let mut bad = sc.clone();
    if let Some(ws) = bad.volunteers[0].available.as_mut() {
        let (a, b) = ws[137].clone();
        ws[137] = (b, a);
    }
    cli_rejects(
        &serde_json::to_string(&bad).expect("json"),
        "volunteers[0].available[137]",
        "E-WINDOW",
    );
}

#[test]
fn invalid_degenerate_inputs_name_their_path() {
    // A negative max, an unknown venue, a level out of range: exit 2 with paths.
    let mut sc = no_volunteers_scenario();
    sc.shifts[1].max = -1;
    sc.shifts[1].min = 0;
    cli_rejects(
        &serde_json::to_string(&sc).expect("json"),
        "shifts[1].max",
        "E-NEGATIVE",
    );
    let mut sc = no_volunteers_scenario();
    sc.shifts[0].venue = "NOWHERE".into();
    cli_rejects(
        &serde_json::to_string(&sc).expect("json"),
        "shifts[0].venue",
        "E-UNKNOWN-REF",
    );
    let mut sc = no_volunteers_scenario();
    let mut v = volunteer("P");
    v.languages = BTreeMap::from([("en".to_string(), 9)]);
    sc.volunteers.push(v);
    cli_rejects(
        &serde_json::to_string(&sc).expect("json"),
        "volunteers[0].languages.en",
        "E-LEVEL",
    );
    // A changes file dropping an unknown volunteer: exit 2 naming it.
    let (sc, prev) = at_max();
    let dir = tempfile::tempdir().expect("tempdir");
    let scen = write_json(dir.path(), "s.json", &sc);
    let prev_p = write_json(dir.path(), "prev.json", &prev);
    let mut ch = changes("2026-02-04T00:00");
    ch.dropouts.push(Dropout {
        volunteer: "GHOST".into(),
        from: "2026-02-04T00:00".into(),
        until: None,
    });
    let ch_p = write_json(dir.path(), "c.json", &ch);
    let out = vroster()
        .args(["resolve", path_str(&scen), "--roster", path_str(&prev_p)])
        .args(["--changes", path_str(&ch_p), "--quiet"])
        .output()
        .expect("runs");
    no_panic(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("dropouts[0].volunteer"), "{err}");
}

/// Regression: a path of three links of 2^31 − 1 minutes (each within the
/// validator's range) is 6,442,450,941 minutes; the compiled travel matrix
/// was `u32` and clamped it to 4,294,967,294, so the solver claimed a
/// travel term the checker could not reproduce.
#[test]
fn travel_beyond_u32_minutes_agrees_with_the_checker() {
    let mut sc = scenario();
    for s in ["A", "B", "C", "D"] {
        sc.sites.push(site(s));
    }
    let far = i64::from(i32::MAX);
    sc.links.push(link("A", "B", far));
    sc.links.push(link("B", "C", far));
    sc.links.push(link("C", "D", far));
    sc.weights.travel_minute = 1e-9;
    sc.shifts.push(shift(
        "S1",
        "A",
        "2026-02-04T08:00",
        "2026-02-04T16:00",
        1,
        1,
    ));
    let mut v = volunteer("P1");
    v.home = Some("D".into());
    sc.volunteers.push(v);
    let (roster, report) = solve_checked(&sc);
    assert_eq!(assigned(&roster), 1);
    assert!((report.objective.travel - 3.0 * far as f64 * 1e-9).abs() < 1e-9);
    cli_solve_checked(&sc);
}

/// Regression: a dropout of a volunteer without `available` replaced "always"
/// by windows between 1900 and 2999, so a re-solve took every shift outside
/// those years from them (here: the previous assignment in 3001 was dropped
/// and counted as a change, the shift left uncovered).
#[test]
fn dropout_without_windows_keeps_shifts_far_in_the_future() {
    let mut sc = scenario();
    sc.sites.push(site("A"));
    sc.shifts.push(shift(
        "S1",
        "A",
        "2026-02-04T08:00",
        "2026-02-04T16:00",
        1,
        2,
    ));
    sc.shifts.push(shift(
        "OLD",
        "A",
        "1850-02-04T08:00",
        "1850-02-04T16:00",
        1,
        1,
    ));
    sc.shifts.push(shift(
        "FUT",
        "A",
        "3001-02-04T08:00",
        "3001-02-04T16:00",
        1,
        1,
    ));
    sc.volunteers.push(volunteer("P1"));
    let (prev, _) = solve_checked(&sc);
    assert_eq!(assigned(&prev), 3);
    let mut ch = changes("1800-01-01T00:00");
    ch.dropouts.push(Dropout {
        volunteer: "P1".into(),
        from: "2026-02-04T00:00".into(),
        until: Some("2026-02-05T00:00".into()),
    });
    let out = resolve_checked(&sc, &prev, &ch);
    assert_eq!(out.repair.forced_removals, 1);
    assert_eq!(out.repair.changes, 0);
    for id in ["OLD", "FUT"] {
        assert_eq!(out.roster.assignments.get(id), prev.assignments.get(id));
    }
    cli_resolve_checked(&sc, &prev, &ch);
}

/// Regression: with two updates of one shift, the re-solve took the max
/// lowered by the first as the cap for forced removals even when the second
/// raised it again, and reported a forced removal the checker does not count;
/// and the validator checked each update against the scenario, not against
/// the earlier updates, so it accepted files the re-solve then refused.
#[test]
fn repeated_updates_of_one_shift() {
    let (sc, prev) = at_max();
    // Lowered, then raised back: nothing is forced, nothing changes.
    let mut ch = changes("2026-02-04T00:00");
    for max in [1, 2] {
        ch.shift_updates.push(ShiftUpdate {
            shift: "S2".into(),
            min: None,
            max: Some(max),
        });
    }
    let out = resolve_checked(&sc, &prev, &ch);
    assert_eq!(out.repair.forced_removals, 0);
    assert_eq!(out.roster.assignments, prev.assignments);
    // min 1 > max 0 between the two updates, 0 <= 0 after both: valid.
    let mut ch = changes("2026-02-04T00:00");
    ch.shift_updates.push(ShiftUpdate {
        shift: "S3".into(),
        min: None,
        max: Some(0),
    });
    ch.shift_updates.push(ShiftUpdate {
        shift: "S3".into(),
        min: Some(0),
        max: None,
    });
    let out = resolve_checked(&sc, &prev, &ch);
    assert_eq!(out.repair.forced_removals, 2);
    assert!(!out.roster.assignments.contains_key("S3"));
    // Raised max then min above the first max: min 3 > max 2 at the end is
    // an error at the last update of the shift.
    let mut ch = changes("2026-02-04T00:00");
    ch.shift_updates.push(ShiftUpdate {
        shift: "S1".into(),
        min: None,
        max: Some(5),
    });
    ch.shift_updates.push(ShiftUpdate {
        shift: "S2".into(),
        min: Some(1),
        max: None,
    });
    ch.shift_updates.push(ShiftUpdate {
        shift: "S1".into(),
        min: Some(3),
        max: Some(2),
    });
    let diags = vroster::validate::validate_changes(&sc, &ch);
    let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{diags:?}");
    assert_eq!(errors[0].code, "E-MIN-GT-MAX");
    assert_eq!(errors[0].path, "shift_updates[2]");
}

/// Regression: the validator accepts an update of a shift the same file
/// cancels (tests/validate.rs `valid_changes_load`), but the re-solve and the
/// checker refused such a file ("unknown or cancelled shift"). The update of
/// a cancelled shift is now moot: the shift disappears with its assignments.
#[test]
fn update_of_a_cancelled_shift_is_moot() {
    let (sc, prev) = at_max();
    let mut ch = changes("2026-02-04T00:00");
    ch.cancelled_shifts.push("S2".into());
    ch.shift_updates.push(ShiftUpdate {
        shift: "S2".into(),
        min: Some(0),
        max: Some(1),
    });
    let out = resolve_checked(&sc, &prev, &ch);
    assert_eq!(out.repair.forced_removals, 2);
    assert!(!out.roster.assignments.contains_key("S2"));
    let cli = cli_resolve_checked(&sc, &prev, &ch);
    assert_eq!(cli.assignments, out.roster.assignments);
}
