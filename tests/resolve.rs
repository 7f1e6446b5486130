//! Re-solving after changes: every re-solved roster passes the independent
//! checker (`check_repair`), frozen shifts never change, and the reported
//! counts equal the checker's.

use std::collections::BTreeSet;
use vroster::check::check_repair;
use vroster::repair::{generate_changes, resolve};
use vroster::scenario::*;
use vroster::solver::{SolveContext, SolveOptions};

fn load(name: &str) -> Scenario {
    let path = format!("{}/scenarios/{name}", env!("CARGO_MANIFEST_DIR"));
    vroster::io::read_json(std::path::Path::new(&path)).expect("scenario")
}

fn ctx(iterations: u64) -> SolveOptions {
    SolveOptions {
        seed: 3,
        threads: 2,
        iterations: Some(iterations),
        debug_checks: true,
        ..Default::default()
    }
}

fn solved(sc: &Scenario) -> Roster {
    let c = SolveContext::new(ctx(60_000), &|_| {});
    vroster::pipeline::solve(sc, &c, 0.0)
        .expect("solves")
        .roster
}

/// Re-solves and checks: valid, claims agree, counts agree, frozen kept.
fn resolve_and_check(
    sc: &Scenario,
    prev: &Roster,
    changes: &Changes,
) -> vroster::repair::RepairOutcome {
    let c = SolveContext::new(ctx(30_000), &|_| {});
    let out = resolve(sc, prev, changes, &c, 0.0, 2).expect("re-solves");
    let r = check_repair(sc, prev, changes, &out.roster).expect("checks");
    assert!(
        r.passes(),
        "violations {:?} mismatches {:?}",
        r.violations,
        r.mismatches
    );
    let rep = r.repair.expect("repair stats");
    assert_eq!(rep.changes, out.repair.changes, "changes");
    assert_eq!(rep.forced_removals, out.repair.forced_removals, "forced");
    assert_eq!(
        rep.affected_volunteers, out.repair.volunteers_affected,
        "affected"
    );
    // Frozen shifts: exactly the previous crews.
    let now = vroster::time::parse_time(&changes.now).unwrap();
    for s in &out.applied.scenario.shifts {
        if vroster::time::parse_time(&s.start).unwrap() < now {
            let before: BTreeSet<&String> =
                prev.assignments.get(&s.id).into_iter().flatten().collect();
            let after: BTreeSet<&String> = out
                .roster
                .assignments
                .get(&s.id)
                .into_iter()
                .flatten()
                .collect();
            assert_eq!(before, after, "frozen shift {} changed", s.id);
        }
    }
    out
}

fn empty_changes(now: &str) -> Changes {
    Changes {
        format: CHANGES_FORMAT.into(),
        now: now.into(),
        ..Default::default()
    }
}

#[test]
fn empty_changes_change_nothing() {
    let sc = load("small.json");
    let prev = solved(&sc);
    let out = resolve_and_check(&sc, &prev, &empty_changes("2026-02-05T10:00"));
    assert_eq!(out.repair.changes, 0);
    assert_eq!(out.repair.forced_removals, 0);
    assert_eq!(out.roster.assignments, prev.assignments);
}

#[test]
fn generated_dropouts_at_several_moments() {
    let sc = load("small.json");
    let prev = solved(&sc);
    // Start of day 2, the middle of a day (shifts under way), and before everything.
    for (i, now) in ["2026-02-05T00:00", "2026-02-05T10:30", "2026-02-01T00:00"]
        .iter()
        .enumerate()
    {
        let changes = generate_changes(&sc, &prev, now, 0.05, 10 + i as u64).expect("changes");
        assert!(!changes.dropouts.is_empty());
        let out = resolve_and_check(&sc, &prev, &changes);
        assert!(out.repair.coverage_after >= out.repair.coverage_before - 1e-12);
    }
}

#[test]
fn a_whole_group_drops_out() {
    let sc = load("small.json");
    let prev = solved(&sc);
    let group = sc
        .volunteers
        .iter()
        .find_map(|v| v.group.clone())
        .expect("a group");
    let mut changes = empty_changes("2026-02-04T12:00");
    for v in sc
        .volunteers
        .iter()
        .filter(|v| v.group.as_deref() == Some(&group))
    {
        changes.dropouts.push(Dropout {
            volunteer: v.id.clone(),
            from: "2026-02-04T12:00".into(),
            until: None,
        });
    }
    let out = resolve_and_check(&sc, &prev, &changes);
    let members: BTreeSet<&str> = changes
        .dropouts
        .iter()
        .map(|d| d.volunteer.as_str())
        .collect();
    let now = vroster::time::parse_time("2026-02-04T12:00").unwrap();
    for (sid, vids) in &out.roster.assignments {
        let s = sc.shifts.iter().find(|s| &s.id == sid).unwrap();
        let start = vroster::time::parse_time(&s.start).unwrap();
        let end = vroster::time::parse_time(&s.end).unwrap();
        if start >= now && end > start {
            assert!(
                vids.iter().all(|v| !members.contains(v.as_str())),
                "dropped volunteer kept on {sid}"
            );
        }
    }
}

#[test]
fn cancelled_venue_day_and_lowered_max() {
    let sc = load("small.json");
    let prev = solved(&sc);
    let day = "2026-02-05";
    let venue = sc
        .shifts
        .iter()
        .find(|s| s.start.starts_with(day))
        .unwrap()
        .venue
        .clone();
    let mut changes = empty_changes("2026-02-04T00:00");
    changes.cancelled_shifts = sc
        .shifts
        .iter()
        .filter(|s| s.venue == venue && s.start.starts_with(day))
        .map(|s| s.id.clone())
        .collect();
    // Lower the max of a busy shift elsewhere to one below its crew.
    let (busy, crew) = prev
        .assignments
        .iter()
        .filter(|(id, v)| v.len() >= 2 && !changes.cancelled_shifts.contains(id))
        .max_by_key(|(_, v)| v.len())
        .map(|(id, v)| (id.clone(), v.len() as i64))
        .unwrap();
    changes.shift_updates.push(ShiftUpdate {
        shift: busy.clone(),
        min: Some(0),
        max: Some(crew - 1),
    });
    let out = resolve_and_check(&sc, &prev, &changes);
    let cancelled_pairs: usize = changes
        .cancelled_shifts
        .iter()
        .map(|id| prev.assignments.get(id).map_or(0, |v| v.len()))
        .sum();
    assert_eq!(out.repair.forced_removals, cancelled_pairs + 1);
    assert!(
        out.roster
            .assignments
            .get(&busy)
            .map_or(0, |v| v.len() as i64)
            < crew
    );
    assert!(changes
        .cancelled_shifts
        .iter()
        .all(|id| !out.roster.assignments.contains_key(id)));
}

#[test]
fn resolve_cli_writes_roster_notify_and_standby() {
    let dir = tempfile::tempdir().unwrap();
    let scen = format!("{}/scenarios/small.json", env!("CARGO_MANIFEST_DIR"));
    let sc = load("small.json");
    let prev = solved(&sc);
    let prev_path = dir.path().join("prev.json");
    vroster::io::write_json_atomic(&prev_path, &prev).unwrap();
    let ch = dir.path().join("changes.json");
    let bin = env!("CARGO_BIN_EXE_vroster");
    let st = std::process::Command::new(bin)
        .args([
            "generate-changes",
            &scen,
            prev_path.to_str().unwrap(),
            "--now",
            "2026-02-05T06:00",
            "--dropout-rate",
            "0.05",
            "--seed",
            "4",
            "-o",
            ch.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert!(st.success());
    let out = dir.path().join("new.json");
    let notify = dir.path().join("notify.csv");
    let st = std::process::Command::new(bin)
        .args([
            "resolve",
            &scen,
            "--roster",
            prev_path.to_str().unwrap(),
            "--changes",
            ch.to_str().unwrap(),
        ])
        .args([
            "-o",
            out.to_str().unwrap(),
            "--notify",
            notify.to_str().unwrap(),
            "--standby",
            "3",
            "--quiet",
            "--iterations",
            "20000",
        ])
        .status()
        .unwrap();
    assert!(st.success());
    let roster: Roster = vroster::io::read_json(&out).unwrap();
    assert!(!roster.standby.is_empty());
    assert!(roster.standby.iter().all(|l| l.volunteers.len() <= 3));
    let text = std::fs::read_to_string(&notify).unwrap();
    assert!(text.starts_with("volunteer,lost,gained"));
    let st = std::process::Command::new(bin)
        .args([
            "check",
            &scen,
            out.to_str().unwrap(),
            "--prev",
            prev_path.to_str().unwrap(),
            "--changes",
            ch.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert_eq!(st.code(), Some(0));
}
