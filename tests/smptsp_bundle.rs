//! The bundled SMPTSP/PTSP instances (`benches/smptsp/`): complete, read
//! through their gzip files, and importable by `vroster import ptask`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bundle() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/smptsp")
}

/// Instance names of the `ptask` set in the bounds file.
fn ptask_names() -> Vec<String> {
    let mut r = csv::Reader::from_path(bundle().join("bounds_vale1410_results2xls.csv"))
        .expect("bounds file");
    r.records()
        .map(|rec| rec.expect("row"))
        .filter(|rec| &rec[1] == "ptask")
        .map(|rec| rec[0].to_string())
        .collect()
}

#[test]
fn every_ptask_instance_of_the_bounds_file_is_bundled() {
    let names = ptask_names();
    assert_eq!(names.len(), 137);
    for n in &names {
        let file = bundle().join("ptask").join(format!("{n}.dat.gz"));
        assert!(file.is_file(), "{} missing", file.display());
    }
    let bundled = std::fs::read_dir(bundle().join("ptask"))
        .expect("ptask dir")
        .count();
    assert_eq!(bundled, 137);
    assert!(bundle().join("SOURCE.md").is_file());
}

#[test]
fn gzip_instance_reads_as_the_original_bytes() {
    let original =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ptask/data_11_24_119_33.dat");
    let packed = bundle().join("ptask/data_11_24_119_33.dat.gz");
    let plain = vroster::ptask::read_text(&original).expect("plain");
    let unpacked = vroster::ptask::read_text(&packed).expect("gzip");
    assert_eq!(plain, unpacked);
    assert_eq!(vroster::ptask::instance_name(&packed), "data_11_24_119_33");
    assert!(vroster::ptask::is_instance_path(&packed));
    assert!(!vroster::ptask::is_instance_path(Path::new("x.json")));
}

#[test]
fn import_ptask_reads_a_bundled_gzip_instance() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("smptsp1.json");
    let st = Command::new(env!("CARGO_BIN_EXE_vroster"))
        .args(["import", "ptask"])
        .arg(bundle().join("ptask/data_1_23_40_66.dat.gz"))
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let sc: vroster::scenario::Scenario = vroster::io::read_json(&out).expect("scenario");
    // data_<id>_<workers>_<tasks>_<multiskill>: 23 workers, 40 tasks.
    assert_eq!(sc.name, "data_1_23_40_66");
    assert_eq!(sc.shifts.len(), 40);
    assert_eq!(sc.volunteers.len(), 23);
    let report = vroster::check::check_roster(&sc, &vroster::scenario::Roster::empty(&sc.name))
        .expect("checks");
    assert_eq!(report.coverage.min_demand, 40);
}

#[test]
fn a_corrupt_gzip_instance_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tmp");
    let bad = dir.path().join("broken.dat.gz");
    std::fs::write(&bad, b"not gzip at all").expect("write");
    let out = dir.path().join("x.json");
    let st = Command::new(env!("CARGO_BIN_EXE_vroster"))
        .args(["import", "ptask"])
        .arg(&bad)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    assert!(!st.status.success());
    assert!(String::from_utf8_lossy(&st.stderr).contains("broken.dat.gz"));
    assert!(!out.exists());
}

/// The README's bench example on one bundled instance: `.dat.gz` is
/// imported on the fly and matched to its row of the bundled bounds file.
#[test]
fn bench_runs_a_bundled_instance_with_the_bundled_bounds() {
    let dir = tempfile::tempdir().expect("tmp");
    let json = dir.path().join("runs.json");
    let out = Command::new(env!("CARGO_BIN_EXE_vroster"))
        .arg("bench")
        .arg(bundle().join("ptask/data_1_23_40_66.dat.gz"))
        .args(["--threads", "1", "--time-limit", "3", "--markdown"])
        .arg("--smptsp-bounds")
        .arg(bundle().join("bounds_vale1410_results2xls.csv"))
        .arg("--json")
        .arg(&json)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8_lossy(&out.stdout);
    let row = table
        .lines()
        .find(|l| l.starts_with("| data_1_23_40_66"))
        .expect("instance row");
    // lb = ub = 20 in the bounds file: found through the `.dat.gz` name.
    assert!(row.contains(" | 20 | 20 | "), "{row}");
    let runs: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("parses");
    assert_eq!(runs[0]["checker_agrees"], true);
}
