//! `vroster solve` end to end: output file, summary JSON, exit codes.

mod common;

use std::process::Command;

fn vroster() -> Command {
    Command::new(env!("CARGO_BIN_EXE_vroster"))
}

/// A fixed search budget with a time limit no machine reaches: the roster
/// then depends on seed, threads and iterations only, however slow the
/// machine (the bound, which gets a share of the time left, also finishes).
const FIXED_BUDGET: [&str; 6] = [
    "--threads",
    "2",
    "--iterations",
    "20000",
    "--time-limit",
    "600",
];

#[test]
fn solve_writes_roster_and_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sc = common::random_scenario(11, 40, 3, 3);
    let scen = dir.path().join("s.json");
    std::fs::write(&scen, serde_json::to_string(&sc).expect("json")).expect("write");
    let out = dir.path().join("r.json");
    let sum = dir.path().join("sum.json");
    let st = vroster()
        .args([
            "solve",
            scen.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--quiet",
            "--seed",
            "3",
        ])
        .args(FIXED_BUDGET)
        .args(["--summary-json", sum.to_str().unwrap()])
        .status()
        .expect("runs");
    assert!(st.success());
    let roster: vroster::scenario::Roster = vroster::io::read_json(&out).expect("roster parses");
    assert_eq!(roster.format, vroster::scenario::ROSTER_FORMAT);
    let obj = roster.objective.expect("objective");
    assert!((obj.total - obj.sum_of_terms()).abs() < 1e-6);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sum).expect("summary")).expect("json");
    assert_eq!(summary["objective"]["total"].as_f64(), Some(obj.total));
    // The iteration budget ended the run, not the clock.
    assert_eq!(summary["stopped_early"].as_bool(), Some(false));
    // Same seed, threads and iterations: same roster.
    let out2 = dir.path().join("r2.json");
    let st = vroster()
        .args([
            "solve",
            scen.to_str().unwrap(),
            "-o",
            out2.to_str().unwrap(),
            "--quiet",
            "--seed",
            "3",
        ])
        .args(FIXED_BUDGET)
        .status()
        .expect("runs");
    assert!(st.success());
    let a = std::fs::read_to_string(&out).expect("r");
    let b = std::fs::read_to_string(&out2).expect("r2");
    assert_eq!(a, b);
}

#[test]
fn solve_rejects_missing_and_malformed_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let st = vroster()
        .args(["solve", "/nonexistent/x.json", "--quiet"])
        .output()
        .expect("runs");
    assert_eq!(st.status.code(), Some(2));
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{ \"format\": ").expect("write");
    let out = dir.path().join("r.json");
    let st = vroster()
        .args([
            "solve",
            bad.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--quiet",
        ])
        .output()
        .expect("runs");
    assert_eq!(st.status.code(), Some(2));
    let err = String::from_utf8_lossy(&st.stderr);
    assert!(
        err.contains("bad.json") && (err.contains(":1:12") || err.contains("column 12")),
        "{err}"
    );
    assert!(!out.exists(), "no roster written for bad input");
}

/// `--max-memory` below what the scenario needs: exit 2, a message naming
/// the pairs, the limit and what to do, and no roster file; `none` lifts it;
/// a malformed size is rejected.
#[test]
fn max_memory_refuses_cleanly_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let scen = format!("{}/scenarios/small.json", env!("CARGO_MANIFEST_DIR"));
    let out = dir.path().join("r.json");
    let o = vroster()
        .args(["solve", &scen, "-q", "--max-memory", "1M", "-o"])
        .arg(&out)
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("eligible (shift, volunteer) pairs"), "{err}");
    assert!(err.contains("--max-memory 1.0 MiB"), "{err}");
    assert!(err.contains("fewer --threads"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!out.exists());
    let o = vroster()
        .args(["solve", &scen, "-q", "--max-memory", "12X"])
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a memory size"));
    let st = vroster()
        .args([
            "solve",
            &scen,
            "-q",
            "--max-memory",
            "none",
            "--iterations",
            "2000",
            "-o",
        ])
        .arg(&out)
        .status()
        .expect("runs");
    assert!(st.success());
    assert!(out.exists());
}

/// Whether process `pid` catches SIGINT (its Ctrl-C handler is installed):
/// bit 1 of `SigCgt` in `/proc/<pid>/status`.
fn catches_sigint(pid: u32) -> bool {
    let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) else {
        return false;
    };
    status
        .lines()
        .find_map(|l| l.strip_prefix("SigCgt:"))
        .and_then(|m| u64::from_str_radix(m.trim(), 16).ok())
        .is_some_and(|mask| mask & (1 << 1) != 0)
}

/// Ctrl-C (SIGINT) as soon as the handler is installed (whatever phase the
/// run is in, with a search budget no machine finishes): the run finishes
/// with a roster written whole, valid, at least as covering as the
/// construction alone, and marked as stopped early. No sleeping: the test
/// waits for the handler by reading the process's signal mask.
#[test]
fn interrupt_writes_the_best_roster_so_far() {
    let dir = tempfile::tempdir().expect("tempdir");
    let scen = format!("{}/scenarios/medium.json", env!("CARGO_MANIFEST_DIR"));
    let out = dir.path().join("r.json");
    let sum = dir.path().join("s.json");
    let mut child = vroster()
        .args(["solve", &scen, "-q", "--time-limit", "300"])
        .args(["--iterations", "100000000000", "-o"])
        .arg(&out)
        .arg("--summary-json")
        .arg(&sum)
        .spawn()
        .expect("starts");
    while !catches_sigint(child.id()) {
        assert!(child.try_wait().expect("waits").is_none(), "exited early");
        std::thread::yield_now();
    }
    let st = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(st.success());
    let st = child.wait().expect("exits");
    assert!(st.success(), "{st:?}");
    let sc: vroster::scenario::Scenario =
        vroster::io::read_json(std::path::Path::new(&scen)).expect("scenario");
    let roster: vroster::scenario::Roster = vroster::io::read_json(&out).expect("roster");
    let report = vroster::check::check_roster(&sc, &roster).expect("checks");
    assert!(report.passes(), "{:?}", report.violations);
    let p = vroster::problem::Problem::compile(&sc).expect("compiles");
    let ctx = vroster::solver::SolveContext::new(Default::default(), &|_| {});
    let first = vroster::solver::first_roster(&p, &ctx);
    let floor = vroster::summary::coverage_of(&p, first.a.on()).min_demand_covered;
    assert!(report.coverage.min_demand_covered >= floor);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sum).expect("summary")).expect("json");
    assert_eq!(summary["stopped_early"].as_bool(), Some(true));
}

/// A short time limit is honoured even when loading, compiling and the
/// bound leave little of it (loose bound: the point is that construction
/// and the LP stop too, not a timing target).
#[test]
fn a_short_time_limit_ends_the_run_soon() {
    let dir = tempfile::tempdir().expect("tempdir");
    let scen = format!("{}/scenarios/medium.json", env!("CARGO_MANIFEST_DIR"));
    let out = dir.path().join("r.json");
    let t = std::time::Instant::now();
    let st = vroster()
        .args(["solve", &scen, "-q", "--time-limit", "0.5", "-o"])
        .arg(&out)
        .status()
        .expect("runs");
    assert!(st.success());
    assert!(t.elapsed().as_secs_f64() < 20.0);
    let sc: vroster::scenario::Scenario =
        vroster::io::read_json(std::path::Path::new(&scen)).expect("scenario");
    let roster: vroster::scenario::Roster = vroster::io::read_json(&out).expect("roster");
    assert!(vroster::check::check_roster(&sc, &roster)
        .expect("checks")
        .passes());
}

/// A scenario with pins and exclusions: `vroster solve` honours them and
/// `vroster check` passes; the checker fails a roster that drops a pin; a
/// pin that cannot be honoured stops the solve with its code.
#[test]
fn solve_and_check_a_pinned_scenario() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut sc = common::random_scenario(11, 40, 3, 3);
    // Pins from one valid roster (feasible together), exclusions from another.
    let solve_lib = |sc: &vroster::scenario::Scenario, seed| {
        let opts = vroster::solver::SolveOptions {
            seed,
            threads: 1,
            iterations: Some(5_000),
            ..Default::default()
        };
        let ctx = vroster::solver::SolveContext::new(opts, &|_| {});
        vroster::pipeline::solve(sc, &ctx, 0.0)
            .expect("solves")
            .roster
    };
    let (a, b) = (solve_lib(&sc, 1), solve_lib(&sc, 2));
    let pair_list = |r: &vroster::scenario::Roster| -> Vec<(String, String)> {
        let mut v: Vec<_> = r
            .assignments
            .iter()
            .flat_map(|(s, vs)| vs.iter().map(move |v| (s.clone(), v.clone())))
            .collect();
        v.sort();
        v
    };
    let pins: Vec<_> = pair_list(&a).into_iter().step_by(4).collect();
    let excluded: Vec<_> = pair_list(&b)
        .into_iter()
        .filter(|p| !pins.contains(p))
        .step_by(3)
        .collect();
    assert!(!pins.is_empty() && !excluded.is_empty());
    for (list, pairs) in [(0, &pins), (1, &excluded)] {
        for (s, v) in pairs {
            let vol = sc.volunteers.iter_mut().find(|x| &x.id == v).unwrap();
            if list == 0 {
                vol.pinned.push(s.clone());
            } else {
                vol.excluded.push(s.clone());
            }
        }
    }
    let scen = dir.path().join("pinned.json");
    std::fs::write(&scen, serde_json::to_string(&sc).expect("json")).expect("write");
    let out = dir.path().join("r.json");
    let (scen_s, out_s) = (scen.to_str().unwrap(), out.to_str().unwrap());
    let st = vroster()
        .args(["solve", scen_s, "-o", out_s, "--quiet", "--time-limit", "5"])
        .status()
        .expect("runs");
    assert!(st.success());
    let roster: vroster::scenario::Roster = vroster::io::read_json(&out).expect("roster");
    let pairs = pair_list(&roster);
    assert!(pins.iter().all(|p| pairs.contains(p)), "a pin is missing");
    assert!(
        excluded.iter().all(|p| !pairs.contains(p)),
        "an exclusion is broken"
    );
    let check = vroster()
        .args(["check", scen_s, out_s])
        .output()
        .expect("runs");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    // Drop one pin: the checker names rule 8.
    let mut bad = roster.clone();
    let (s, v) = &pins[0];
    bad.assignments.get_mut(s).unwrap().retain(|x| x != v);
    bad.objective = None;
    let bad_path = dir.path().join("bad.json");
    std::fs::write(&bad_path, serde_json::to_string(&bad).unwrap()).unwrap();
    let check = vroster()
        .args(["check", scen_s, bad_path.to_str().unwrap()])
        .output()
        .expect("runs");
    assert!(!check.status.success());
    assert!(String::from_utf8_lossy(&check.stdout).contains("pin_missing (rule 8)"));
    // A shift both pinned and excluded: the solve refuses with its code.
    sc.volunteers[0].pinned = vec![sc.shifts[0].id.clone()];
    sc.volunteers[0].excluded = vec![sc.shifts[0].id.clone()];
    std::fs::write(&scen, serde_json::to_string(&sc).expect("json")).expect("write");
    let run = vroster()
        .args(["solve", scen_s, "--quiet"])
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("E-PIN-EXCLUDED"));
}

/// A search that spends its budget in under half the time limit says so,
/// with an `--iterations` of at least twice this run's per worker; one the
/// clock stopped does not.
#[test]
fn summary_suggests_a_longer_search_only_when_time_was_left() {
    let scen = format!("{}/scenarios/tiny.json", env!("CARGO_MANIFEST_DIR"));
    let run = |extra: &[&str]| {
        let out = vroster()
            .args(["solve", &scen, "-o", "/dev/null", "--threads", "1"])
            .args(extra)
            .output()
            .expect("runs");
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let spent = run(&["--iterations", "20000", "--time-limit", "600"]);
    let hint = spent
        .lines()
        .find(|l| l.starts_with("hint"))
        .unwrap_or_else(|| panic!("no hint in {spent}"));
    let n: u64 = hint
        .split('`')
        .nth(1)
        .and_then(|c| c.strip_prefix("--iterations "))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no --iterations in {hint}"));
    assert!(n >= 40_000 && n.is_multiple_of(20_000), "{hint}");
    let cut = run(&["--iterations", "100000000000", "--time-limit", "1"]);
    assert!(cut.contains("stopped by deadline"), "{cut}");
    assert!(!cut.lines().any(|l| l.starts_with("hint")), "{cut}");
}
