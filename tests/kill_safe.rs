//! `kill -9` is safe: a `vroster solve` killed at any moment leaves the
//! output path holding the previous file or a whole new roster, never a
//! partial one; a temporary file it leaves behind is removed by the next
//! run writing the same path.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn vroster() -> Command {
    Command::new(env!("CARGO_BIN_EXE_vroster"))
}

fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("reads dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(vroster::io::TEMP_SUFFIX))
        .collect()
}

fn solve(scen: &str, out: &Path) -> Command {
    let mut c = vroster();
    c.args([
        "solve",
        scen,
        "-q",
        "--threads",
        "1",
        "--iterations",
        "20000",
    ])
    .args(["--time-limit", "120", "-o"])
    .arg(out);
    c
}

#[test]
fn sigkill_leaves_the_previous_file_or_a_whole_roster() {
    let dir = tempfile::tempdir().expect("tempdir");
    let scen = format!("{}/scenarios/medium.json", env!("CARGO_MANIFEST_DIR"));
    let out = dir.path().join("roster.json");
    // One whole run: its length spreads the kill moments over a run.
    let t = Instant::now();
    assert!(solve(&scen, &out).status().expect("runs").success());
    let full = t.elapsed();
    let whole = std::fs::read(&out).expect("roster");
    let previous = b"{\"previous\": true}\n".to_vec();
    let kills = 16u32;
    for k in 0..kills {
        std::fs::write(&out, &previous).expect("writes the previous file");
        let mut child = solve(&scen, &out).spawn().expect("starts");
        // From early in the run to just past its end (k / (kills - 2)).
        std::thread::sleep(full.mul_f64(f64::from(k) / f64::from(kills - 2)));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = std::fs::read(&out).expect("the output path still holds a file");
        assert!(
            now == previous || now == whole,
            "kill {k}: the output is neither the previous file nor the whole roster ({} bytes)",
            now.len()
        );
        for t in temporaries(dir.path()) {
            assert!(t.starts_with(".roster.json."), "unexpected file {t}");
        }
    }
    // The next run to the same path removes what the killed runs left.
    assert!(solve(&scen, &out).status().expect("runs").success());
    assert_eq!(temporaries(dir.path()), Vec::<String>::new());
    assert_eq!(std::fs::read(&out).expect("roster"), whole);
}
