//! `vroster bench` and `vroster import ptask` end to end.

use std::process::Command;

#[test]
fn bench_runs_scenarios_and_ptask_instances_into_one_table() {
    let dir = tempfile::tempdir().unwrap();
    let dat = dir.path().join("t.dat");
    // Tasks [0,10), [10,20), [5,15): worker 0 may do 0 and 1, worker 1 may do 1 and 2.
    std::fs::write(
        &dat,
        "# tiny\nType = 1\nJobs = 3\n 0 10\n 10 20\n 5 15\nQualifications = 2\n 2: 0 1\n 2: 1 2\n",
    )
    .unwrap();
    let bounds = dir.path().join("bounds.csv");
    std::fs::write(
        &bounds,
        "instance,set,lb,lb_time_s,ub,ub_time_s,lb_equals_ub,note\nt,ptask,2,0,2,0,yes,\n",
    )
    .unwrap();
    let json = dir.path().join("runs.json");
    let tiny = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/tiny.json");
    let out = Command::new(env!("CARGO_BIN_EXE_vroster"))
        .args([
            "bench",
            tiny,
            dat.to_str().unwrap(),
            "--seeds",
            "2",
            "--time-limit",
            "5",
            "--markdown",
        ])
        .args([
            "--smptsp-bounds",
            bounds.to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("| tiny.json |"), "{table}");
    // tiny's optimum is 10.0 on both seeds; the instance needs both workers: optimal.
    assert!(table.contains("10.0 / 10.0 / 10.0"), "{table}");
    let row = table
        .lines()
        .find(|l| l.starts_with("| t.dat"))
        .expect("ptask row");
    assert!(row.contains("| 2 | 2 | 2 | optimal |"), "{row}");
    let runs: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(runs.as_array().map(|a| a.len()), Some(4));
    assert!(runs
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["checker_agrees"] == true));
}

#[test]
fn import_ptask_rejects_a_bad_file_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let dat = dir.path().join("bad.dat");
    std::fs::write(&dat, "Type = 1\nJobs = 1\n 5 3\nQualifications = 0\n").unwrap();
    let out_path = dir.path().join("s.json");
    let out = Command::new(env!("CARGO_BIN_EXE_vroster"))
        .args([
            "import",
            "ptask",
            dat.to_str().unwrap(),
            "-o",
            out_path.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 3"));
    assert!(!out_path.exists());
}
