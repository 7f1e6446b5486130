//! `import csv`: errors found only when the imported scenario is validated
//! (end before start, min above max, …) name the CSV file, line and column
//! the value came from, not the output file; a site id used once without a
//! sites file is warned about; `export --csv` creates a missing parent.

use std::process::Command;
use vroster::csv_import::{import_traced, CsvText};

fn text(file: &str, text: &str) -> CsvText {
    CsvText {
        file: file.into(),
        text: text.into(),
    }
}

const SHIFTS: &str = "id,venue,start,end,min,max\n\
                      S1,A,2026-02-04T10:00,2026-02-04T08:00,1,2\n\
                      S2,A,2026-02-04T10:00,2026-02-04T12:00,3,2\n";
const VOLUNTEERS: &str = "id,home,prefer_venues\nV1,H1,A\nV2,H1,A\nV3,HX,\n";

#[test]
fn validation_paths_map_to_csv_cells() {
    let (v, s) = (
        text("volunteers.csv", VOLUNTEERS),
        text("shifts.csv", SHIFTS),
    );
    let imported = import_traced(Some(&v), Some(&s), None, None, None, "x").expect("cells ok");
    let o = &imported.origins;
    assert_eq!(
        o.locate("shifts[0].end").as_deref(),
        Some("shifts.csv:2: column 'end'")
    );
    assert_eq!(o.locate("shifts[1]").as_deref(), Some("shifts.csv:3"));
    assert_eq!(
        o.locate("volunteers[1].prefers.venues[0]").as_deref(),
        Some("volunteers.csv:3: column 'prefer_venues'")
    );
    assert_eq!(
        o.locate("sites[0]"),
        None,
        "sites were not read from a file"
    );
    assert_eq!(o.locate("rules.max_shifts"), None, "no rules file");
    // The validator's own paths for these rows map to the same cells.
    let diags = vroster::validate::validate_scenario(&imported.scenario);
    let located: Vec<String> = diags
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| o.locate(&d.path))
        .collect();
    assert!(
        located.iter().any(|l| l == "shifts.csv:2: column 'end'"),
        "{located:?}"
    );
    assert!(
        located.iter().any(|l| l.starts_with("shifts.csv:3")),
        "{located:?}"
    );
    // HX (one volunteer's home) is used once; H1 twice, A by two shifts.
    assert_eq!(imported.warnings.len(), 1, "{:?}", imported.warnings);
    assert!(imported.warnings[0].starts_with("volunteers.csv:4: column 'home': site 'HX'"));
}

#[test]
fn cli_names_the_csv_cell_and_writes_nothing() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    std::fs::write(dir.join("shifts.csv"), SHIFTS).expect("write");
    std::fs::write(dir.join("volunteers.csv"), VOLUNTEERS).expect("write");
    let out = dir.join("out.json");
    let run = Command::new(env!("CARGO_BIN_EXE_vroster"))
        .current_dir(dir)
        .args(["import", "csv", "--volunteers", "volunteers.csv"])
        .args(["--shifts", "shifts.csv", "-o", "out.json"])
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert!(err.contains("shifts.csv:2: column 'end': error"), "{err}");
    assert!(err.contains("shifts.csv:3: error"), "{err}");
    assert!(!err.contains("out.json"), "{err}");
    assert!(!out.exists());
}

#[test]
fn export_csv_creates_missing_parents() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = env!("CARGO_MANIFEST_DIR");
    let sc = format!("{root}/scenarios/tiny.json");
    let roster = tmp.path().join("roster.json");
    let solve = Command::new(env!("CARGO_BIN_EXE_vroster"))
        .args([
            "solve",
            &sc,
            "-q",
            "--iterations",
            "2000",
            "--time-limit",
            "5",
        ])
        .arg("-o")
        .arg(&roster)
        .output()
        .expect("runs");
    assert!(solve.status.success());
    let dir = tmp.path().join("a/b/tables");
    let run = Command::new(env!("CARGO_BIN_EXE_vroster"))
        .args(["export", &sc])
        .arg(&roster)
        .arg("--csv")
        .arg(&dir)
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{err}");
    assert!(dir.join("fairness.csv").exists());
    // A parent that is a file: one line naming it, no temporary name.
    let file = tmp.path().join("plain");
    std::fs::write(&file, "x").expect("write");
    let run = Command::new(env!("CARGO_BIN_EXE_vroster"))
        .args(["export", &sc])
        .arg(&roster)
        .arg("--csv")
        .arg(file.join("sub/tables"))
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(!err.contains(".vroster-export-"), "{err}");
}
