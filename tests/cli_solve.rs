//! `vroster solve` end to end: output file, summary JSON, exit codes.

mod common;

use std::process::Command;

fn vroster() -> Command {
    Command::new(env!("CARGO_BIN_EXE_vroster"))
}

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
        .args(["--summary-json", sum.to_str().unwrap(), "--time-limit", "5"])
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
    // Same seed, same roster.
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
            "--time-limit",
            "5",
        ])
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

/// Ctrl-C (SIGINT) during the search: the run finishes with the best
/// roster so far, written whole, valid, and marked as stopped early.
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
    std::thread::sleep(std::time::Duration::from_secs(4));
    let st = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(st.success());
    let t = std::time::Instant::now();
    let st = child.wait().expect("exits");
    assert!(st.success(), "{st:?}");
    // Loose: the interrupted run must not carry on searching for minutes.
    assert!(t.elapsed().as_secs() < 60);
    let sc: vroster::scenario::Scenario =
        vroster::io::read_json(std::path::Path::new(&scen)).expect("scenario");
    let roster: vroster::scenario::Roster = vroster::io::read_json(&out).expect("roster");
    let report = vroster::check::check_roster(&sc, &roster).expect("checks");
    assert!(report.passes(), "{:?}", report.violations);
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
