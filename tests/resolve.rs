//! Re-solving after changes: every re-solved roster passes the independent
//! checker (`check_repair`), frozen shifts never change, and the reported
//! counts equal the checker's.

mod common;

use std::collections::BTreeSet;
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
    common::assert_repair_agrees(sc, prev, changes, &out);
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
    // Standby on the re-solved roster (which names the scenario after changes).
    let listed = roster
        .standby
        .iter()
        .find(|l| !l.volunteers.is_empty())
        .unwrap();
    let sb = std::process::Command::new(bin)
        .args([
            "standby",
            &scen,
            out.to_str().unwrap(),
            "--shift",
            &listed.shift,
        ])
        .args(["-k", "3", "--changes", ch.to_str().unwrap()])
        .args(["--prev", prev_path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        sb.status.success(),
        "{}",
        String::from_utf8_lossy(&sb.stderr)
    );
    let text = String::from_utf8_lossy(&sb.stdout);
    for v in &listed.volunteers {
        assert!(text.contains(v.as_str()), "{v} missing from {text}");
    }
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

fn minutes(t: &str) -> i64 {
    vroster::time::parse_time(t).expect("time")
}

/// `changes` of the format page counted straight from the files: previous
/// and new pairs on shifts that are not frozen (a cancelled shift is not
/// frozen: it is gone), symmetric difference, minus the forced removals
/// (dropouts in their absence, cancelled shifts, excess over a lowered max).
fn direct_counts(sc: &Scenario, prev: &Roster, ch: &Changes, new: &Roster) -> (usize, usize) {
    let now = minutes(&ch.now);
    let shift = |id: &str| sc.shifts.iter().find(|s| s.id == id);
    let cancelled = |id: &str| ch.cancelled_shifts.iter().any(|c| c == id);
    let frozen = |id: &str| !cancelled(id) && shift(id).is_some_and(|s| minutes(&s.start) < now);
    let pairs = |r: &Roster| -> BTreeSet<(String, String)> {
        r.assignments
            .iter()
            .filter(|(s, _)| !frozen(s))
            .flat_map(|(s, vs)| vs.iter().map(move |v| (s.clone(), v.clone())))
            .collect()
    };
    let (p, n) = (pairs(prev), pairs(new));
    let sym = p.symmetric_difference(&n).count();
    let mut forced = 0;
    let mut remaining: std::collections::BTreeMap<&str, i64> = Default::default();
    for (s, v) in &p {
        if cancelled(s) {
            forced += 1;
            continue;
        }
        let sh = shift(s).expect("shift");
        let (start, end) = (minutes(&sh.start), minutes(&sh.end));
        let absent = ch.dropouts.iter().any(|d| {
            &d.volunteer == v
                && end > minutes(&d.from)
                && d.until.as_deref().is_none_or(|u| start < minutes(u))
        });
        if absent {
            forced += 1;
        } else {
            *remaining.entry(s.as_str()).or_default() += 1;
        }
    }
    for u in &ch.shift_updates {
        let old = shift(&u.shift).expect("updated shift").max;
        if let Some(max) = u.max.filter(|&m| m < old) {
            let r = remaining.get(u.shift.as_str()).copied().unwrap_or(0);
            forced += (r - max).max(0) as usize;
        }
    }
    (sym - forced, forced)
}

#[test]
fn changes_and_change_term_equal_a_direct_count() {
    let sc = load("small.json");
    let prev = solved(&sc);
    for (seed, now) in [(21, "2026-02-04T13:30"), (22, "2026-02-05T00:00")] {
        let changes = generate_changes(&sc, &prev, now, 0.08, seed).expect("changes");
        let out = resolve_and_check(&sc, &prev, &changes);
        let (changes_direct, forced_direct) = direct_counts(&sc, &prev, &changes, &out.roster);
        assert_eq!(out.repair.changes, changes_direct, "changes, seed {seed}");
        assert_eq!(
            out.repair.forced_removals, forced_direct,
            "forced, seed {seed}"
        );
        let obj = out.roster.objective.expect("objective");
        let expected = sc.weights.change * out.repair.changes as f64;
        assert!(
            (obj.change - expected).abs() <= 1e-6 * expected.max(1.0),
            "change term {} != {} x {}",
            obj.change,
            sc.weights.change,
            out.repair.changes
        );
    }
}

#[test]
fn now_in_the_middle_of_a_shift_freezes_it_with_its_dropout() {
    let sc = load("small.json");
    let prev = solved(&sc);
    // A staffed shift of day 2; `now` one hour into it; one of its crew drops
    // out from `now`: the shift is frozen and keeps them, later shifts lose them.
    let (sid, crew) = prev
        .assignments
        .iter()
        .filter(|(id, v)| {
            !v.is_empty()
                && sc
                    .shifts
                    .iter()
                    .any(|s| &s.id == *id && s.start.starts_with("2026-02-05"))
        })
        .min_by_key(|(id, _)| id.as_str())
        .map(|(id, v)| (id.clone(), v.clone()))
        .expect("a staffed shift on day 2");
    let sh = sc.shifts.iter().find(|s| s.id == sid).unwrap();
    let now = vroster::time::format_time(minutes(&sh.start) + 60);
    assert!(minutes(&now) < minutes(&sh.end));
    let mut changes = empty_changes(&now);
    changes.dropouts.push(Dropout {
        volunteer: crew[0].clone(),
        from: now.clone(),
        until: None,
    });
    let out = resolve_and_check(&sc, &prev, &changes);
    let s_idx = out
        .applied
        .scenario
        .shifts
        .iter()
        .position(|s| s.id == sid)
        .unwrap();
    assert!(out.applied.frozen.contains(&s_idx));
    assert!(out.roster.assignments[&sid].contains(&crew[0]));
    let later: usize = prev
        .assignments
        .iter()
        .filter(|(id, v)| {
            v.contains(&crew[0])
                && sc.shifts.iter().any(|s| {
                    &s.id == *id
                        && minutes(&s.end) > minutes(&now)
                        && minutes(&s.start) >= minutes(&now)
                })
        })
        .count();
    assert_eq!(out.repair.forced_removals, later);
    for (id, v) in &out.roster.assignments {
        let s = sc.shifts.iter().find(|s| &s.id == id).unwrap();
        if minutes(&s.start) >= minutes(&now) {
            assert!(!v.contains(&crew[0]), "dropout kept on {id}");
        }
    }
}

#[test]
fn same_seed_same_roster_and_same_changes() {
    let sc = load("small.json");
    let prev = solved(&sc);
    let a = generate_changes(&sc, &prev, "2026-02-05T00:00", 0.05, 7).unwrap();
    let b = generate_changes(&sc, &prev, "2026-02-05T00:00", 0.05, 7).unwrap();
    let c = generate_changes(&sc, &prev, "2026-02-05T00:00", 0.05, 8).unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
    // Dropouts start at or after `now`, `until` after `from`.
    for d in &a.dropouts {
        assert!(minutes(&d.from) >= minutes(&a.now));
        if let Some(u) = &d.until {
            assert!(minutes(u) > minutes(&d.from));
        }
    }
    let x = resolve_and_check(&sc, &prev, &a);
    let y = resolve_and_check(&sc, &prev, &a);
    assert_eq!(x.roster.assignments, y.roster.assignments);
    assert_eq!(x.repair.changes, y.repair.changes);
}

#[test]
fn unknown_ids_are_errors_naming_the_place() {
    let sc = load("small.json");
    let prev = solved(&sc);
    let c = SolveContext::new(ctx(1_000), &|_| {});
    let err = |changes: &Changes, prev: &Roster| {
        resolve(&sc, prev, changes, &c, 0.0, 0)
            .expect_err("an error")
            .to_string()
    };
    let mut ch = empty_changes("2026-02-05T00:00");
    ch.dropouts.push(Dropout {
        volunteer: "NOBODY".into(),
        from: "2026-02-05T00:00".into(),
        until: None,
    });
    let e = err(&ch, &prev);
    assert!(
        e.contains("changes.dropouts[0].volunteer") && e.contains("NOBODY"),
        "{e}"
    );
    let mut ch = empty_changes("2026-02-05T00:00");
    ch.cancelled_shifts.push("NO-SHIFT".into());
    assert!(err(&ch, &prev).contains("changes.cancelled_shifts[0]"));
    let mut ch = empty_changes("2026-02-05T00:00");
    ch.shift_updates.push(ShiftUpdate {
        shift: "NO-SHIFT".into(),
        min: Some(1),
        max: Some(2),
    });
    assert!(err(&ch, &prev).contains("changes.shift_updates[0].shift"));
    let mut ch = empty_changes("2026-02-05T00:00");
    ch.new_volunteers.push(sc.volunteers[0].clone());
    assert!(err(&ch, &prev).contains("changes.new_volunteers[0].id"));
    let mut bad = prev.clone();
    let first = bad.assignments.keys().next().unwrap().clone();
    bad.assignments
        .get_mut(&first)
        .unwrap()
        .push("GHOST".into());
    let e = err(&empty_changes("2026-02-05T00:00"), &bad);
    assert!(e.contains("previous roster") && e.contains("GHOST"), "{e}");
}

#[test]
fn standby_candidates_fit_every_rule_but_headcount() {
    use vroster::problem::Problem;
    let sc = load("small.json");
    let prev = solved(&sc);
    let p = Problem::compile(&sc).unwrap();
    let a = vroster::repair::assignment_of(&p, &prev).unwrap();
    let mut listed = 0;
    for s in (0..p.n_shifts()).step_by(7) {
        let list = vroster::repair::standby(&p, &a, s, 4);
        assert_eq!(
            list,
            vroster::repair::standby(&p, &a, s, 4),
            "deterministic"
        );
        assert!(list.len() <= 4);
        let sid = &p.shift_ids()[s];
        let mut last = f64::NEG_INFINITY;
        for &v in &list {
            let vid = &p.volunteer_ids()[v];
            assert!(!prev.assignments.get(sid).is_some_and(|c| c.contains(vid)));
            // Ranked by the cost of adding them.
            let q = p.find_pair(v, s).expect("eligible");
            let d = a.add_delta(&p, q);
            assert!(d >= last - 1e-9);
            last = d;
            // Added, the roster breaks at most the headcount rule.
            let mut r = prev.clone();
            r.objective = None;
            r.bound = None;
            r.assignments
                .entry(sid.clone())
                .or_default()
                .push(vid.clone());
            let rep = vroster::check::check_roster(&sc, &r).unwrap();
            assert!(
                rep.violations.iter().all(|g| g.rule == 3),
                "{vid} on {sid}: {:?}",
                rep.violations
            );
            listed += 1;
        }
    }
    assert!(listed > 0);
}

/// Rule 8 in a re-solve. Pins and an exclusion are added to the scenario
/// after the previous roster was made: a pin on a cancelled shift and a pin
/// whose volunteer drops out for the shift lapse; a pin on a frozen shift
/// does not move its crew; a pin on a later shift holds, and an excluded
/// previous pair is dropped. The repair checker agrees.
#[test]
fn pins_lapse_with_cancelled_shifts_and_dropouts() {
    let mut sc = load("small.json");
    let prev = solved(&sc);
    let now = "2026-02-05T12:00";
    let now_m = vroster::time::parse_time(now).unwrap();
    let start = |id: &str| {
        let s = sc.shifts.iter().find(|s| s.id == id).unwrap();
        vroster::time::parse_time(&s.start).unwrap()
    };
    let ids: Vec<String> = sc.volunteers.iter().map(|v| v.id.clone()).collect();
    let index = |id: &str| ids.iter().position(|v| v == id).unwrap();
    // Previous pairs on later shifts, one volunteer each.
    let mut used = BTreeSet::new();
    let mut later = Vec::new();
    for (sid, vids) in &prev.assignments {
        if start(sid) >= now_m + 60 {
            if let Some(v) = vids.iter().find(|v| !used.contains(*v)) {
                used.insert(v.clone());
                later.push((sid.clone(), v.clone()));
            }
        }
    }
    let [dropped, cancelled, held, excluded] = [0, 1, 2, 3].map(|i| later[i].clone());
    // A frozen shift and an eligible volunteer who is not on it.
    let p = vroster::problem::Problem::compile(&sc).unwrap();
    let frozen = (0..p.n_pairs())
        .map(|q| (p.pair_shift()[q] as usize, p.pair_vol()[q] as usize))
        .map(|(s, v)| (sc.shifts[s].id.clone(), sc.volunteers[v].id.clone()))
        .find(|(s, v)| {
            start(s) < now_m
                && !used.contains(v)
                && !prev.assignments.get(s).is_some_and(|c| c.contains(v))
        })
        .expect("a frozen shift with an eligible volunteer off it");
    for (sid, vid) in [&dropped, &cancelled, &held, &frozen] {
        let v = index(vid);
        sc.volunteers[v].pinned.push(sid.clone());
    }
    let v = index(&excluded.1);
    sc.volunteers[v].excluded.push(excluded.0.clone());
    let diags = vroster::validate::validate_scenario(&sc);
    assert!(!vroster::validate::has_errors(&diags), "{diags:?}");
    let mut changes = empty_changes(now);
    changes.cancelled_shifts.push(cancelled.0.clone());
    changes.dropouts.push(Dropout {
        volunteer: dropped.1.clone(),
        from: now.into(),
        until: None,
    });
    let out = resolve_and_check(&sc, &prev, &changes);
    let on =
        |(s, v): &(String, String)| out.roster.assignments.get(s).is_some_and(|c| c.contains(v));
    let lapsed: BTreeSet<(String, String)> = out.applied.lapsed_pins.iter().cloned().collect();
    assert_eq!(lapsed, [dropped.clone(), cancelled.clone()].into());
    assert!(!on(&dropped), "a dropped volunteer keeps a lapsed pin");
    assert!(!on(&frozen), "a pin moved a frozen crew");
    assert!(on(&held), "a pin that did not lapse is missing");
    assert!(!on(&excluded), "an excluded pair was kept");
}

/// Standby never suggests an excluded pair: excluding every candidate the
/// list names for a shift takes each of them off the next list.
#[test]
fn standby_skips_excluded_volunteers() {
    let mut sc = load("small.json");
    let roster = solved(&sc);
    let lists = |sc: &Scenario| {
        let p = vroster::problem::Problem::compile(sc).unwrap();
        let a = vroster::repair::assignment_of(&p, &roster).unwrap();
        (0..p.n_shifts())
            .map(|s| {
                vroster::repair::standby(&p, &a, s, 5)
                    .into_iter()
                    .map(|v| p.volunteer_ids()[v].clone())
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    };
    let before = lists(&sc);
    let s = (0..sc.shifts.len())
        .find(|&s| before[s].len() >= 2)
        .expect("a shift with standby candidates");
    let shift_id = sc.shifts[s].id.clone();
    for vid in &before[s] {
        let v = sc.volunteers.iter_mut().find(|v| &v.id == vid).unwrap();
        v.excluded.push(shift_id.clone());
    }
    let after = lists(&sc);
    assert!(
        after[s].iter().all(|v| !before[s].contains(v)),
        "{:?} then {:?}",
        before[s],
        after[s]
    );
}
