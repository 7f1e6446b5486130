//! Validation end to end: one fixture per error kind with its expected codes
//! and paths, a file with many errors reported at once, changes and roster
//! files, and the `vroster validate` command's output and exit codes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use vroster::validate::{
    codes, count, load_changes_str, load_roster_str, load_scenario, load_scenario_str, Diagnostic,
    Severity,
};

/// The valid scenario every fixture is a variation of.
const BASE: &str = r#"{
  "format": "volunteer-scenario/1",
  "name": "fixture",
  "sites": [ { "id": "NST", "name": "National Stadium" }, { "id": "HD" } ],
  "links": [ { "from": "NST", "to": "HD", "minutes": 35 } ],
  "shifts": [
    { "id": "S1", "venue": "NST", "role": "ss",
      "start": "2022-02-04T07:00", "end": "2022-02-04T15:00", "min": 1, "max": 2,
      "requires": ["acc"],
      "quotas": [ { "skill": "first_aid", "at_least": 1 },
                  { "language": "en", "level": 3, "at_least": 1 } ] }
  ],
  "volunteers": [
    { "id": "V1", "home": "HD", "skills": ["acc", "first_aid"], "languages": { "en": 4 },
      "available": [ ["2022-02-02T06:00", "2022-02-20T23:00"] ] },
    { "id": "V2", "home": "NST", "skills": ["acc"] }
  ]
}"#;

/// Scenario fixture → the exact set of `(code, path)` errors it must give.
const SCENARIO_FIXTURES: &[(&str, &[(&str, &str)])] = &[
    ("json_syntax", &[("E-JSON", "")]),
    ("json_trailing_comma", &[("E-JSON", "")]),
    ("shape_top_level_array", &[("E-SHAPE", "")]),
    ("shape_unknown_field", &[("E-SHAPE", "shifts[0].quotass")]),
    ("shape_unknown_top_level", &[("E-SHAPE", "shift")]),
    ("shape_wrong_type", &[("E-SHAPE", "volunteers[1].skills")]),
    ("shape_missing_field", &[("E-SHAPE", "shifts[0]")]),
    ("format_wrong", &[("E-FORMAT", "format")]),
    ("format_missing", &[("E-FORMAT", "format")]),
    ("dup_id_site", &[("E-DUP-ID", "sites[2].id")]),
    ("dup_id_shift", &[("E-DUP-ID", "shifts[1].id")]),
    ("dup_id_volunteer", &[("E-DUP-ID", "volunteers[2].id")]),
    ("empty_id", &[("E-EMPTY-ID", "volunteers[1].id")]),
    ("unknown_venue", &[("E-UNKNOWN-REF", "shifts[0].venue")]),
    ("unknown_home", &[("E-UNKNOWN-REF", "volunteers[0].home")]),
    ("unknown_link_end", &[("E-UNKNOWN-REF", "links[0].to")]),
    ("time_shift_start", &[("E-TIME", "shifts[0].start")]),
    (
        "time_window",
        &[("E-TIME", "volunteers[0].available[0][0]")],
    ),
    (
        "end_before_start",
        &[("E-END-BEFORE-START", "shifts[0].end")],
    ),
    ("min_gt_max", &[("E-MIN-GT-MAX", "shifts[0]")]),
    ("negative_min", &[("E-NEGATIVE", "shifts[0].min")]),
    (
        "negative_at_least",
        &[("E-NEGATIVE", "shifts[0].quotas[0].at_least")],
    ),
    ("negative_rule", &[("E-NEGATIVE", "rules.min_rest_minutes")]),
    (
        "negative_override",
        &[("E-NEGATIVE", "volunteers[0].max_minutes_per_day")],
    ),
    (
        "negative_weight",
        &[("E-NEGATIVE", "weights.travel_minute")],
    ),
    ("negative_link", &[("E-NEGATIVE", "links[0].minutes")]),
    ("range_max", &[("E-RANGE", "shifts[0].max")]),
    ("priority_zero", &[("E-PRIORITY", "shifts[0].priority")]),
    (
        "level_volunteer",
        &[("E-LEVEL", "volunteers[0].languages.en")],
    ),
    ("level_quota", &[("E-LEVEL", "shifts[0].quotas[1].level")]),
    (
        "window_reversed",
        &[("E-WINDOW", "volunteers[0].available[0]")],
    ),
    (
        "window_empty",
        &[("E-WINDOW", "volunteers[0].available[1]")],
    ),
    (
        "quota_kind_both",
        &[("E-QUOTA-KIND", "shifts[0].quotas[0]")],
    ),
    (
        "quota_kind_neither",
        &[("E-QUOTA-KIND", "shifts[0].quotas[0]")],
    ),
    (
        "too_many_quotas",
        &[("E-TOO-MANY-QUOTAS", "shifts[0].quotas")],
    ),
    (
        "pin_unknown_shift",
        &[
            ("E-UNKNOWN-REF", "volunteers[0].pinned[0]"),
            ("E-UNKNOWN-REF", "volunteers[1].excluded[1]"),
        ],
    ),
    (
        "pin_excluded",
        &[("E-PIN-EXCLUDED", "volunteers[0].excluded[0]")],
    ),
    (
        "pin_ineligible",
        &[("E-PIN-INELIGIBLE", "volunteers[2].pinned[0]")],
    ),
    (
        "pin_headcount",
        &[("E-PIN-HEADCOUNT", "volunteers[2].pinned[0]")],
    ),
    (
        "pin_spacing",
        &[("E-PIN-SPACING", "volunteers[0].pinned[1]")],
    ),
    (
        "pin_day_cap",
        &[("E-PIN-DAY-CAP", "volunteers[1].pinned[1]")],
    ),
    (
        "pin_max_shifts",
        &[("E-PIN-MAX-SHIFTS", "volunteers[1].pinned[1]")],
    ),
    (
        "pin_consecutive",
        &[("E-PIN-CONSECUTIVE", "volunteers[1].pinned[0]")],
    ),
    (
        "many_errors",
        &[
            ("E-FORMAT", "format"),
            ("E-SHAPE", "sites[2].idd"),
            ("E-SHAPE", "sites[2]"),
            ("E-NEGATIVE", "links[0].minutes"),
            ("E-SHAPE", "shifts[0].quotass"),
            ("E-END-BEFORE-START", "shifts[0].end"),
            ("E-SHAPE", "shifts[1].min"),
            ("E-MIN-GT-MAX", "shifts[2]"),
            ("E-PRIORITY", "shifts[2].priority"),
            ("E-QUOTA-KIND", "shifts[2].quotas[0]"),
            ("E-LEVEL", "shifts[2].quotas[1].level"),
            ("E-DUP-ID", "shifts[3].id"),
            ("E-LEVEL", "volunteers[0].languages.fr"),
            ("E-WINDOW", "volunteers[0].available[1]"),
            ("E-UNKNOWN-REF", "volunteers[1].home"),
            ("E-NEGATIVE", "volunteers[1].max_shifts"),
            ("E-SHAPE", "volunteers[2].skils"),
        ],
    ),
];

/// Changes fixture (against [`BASE`]) → its exact `(code, path)` errors.
const CHANGES_FIXTURES: &[(&str, &[(&str, &str)])] = &[
    (
        "changes_many_errors",
        &[
            ("E-FORMAT", "format"),
            ("E-TIME", "now"),
            ("E-UNKNOWN-REF", "dropouts[0].volunteer"),
            ("E-WINDOW", "dropouts[1].until"),
            ("E-TIME", "dropouts[2].until"),
            ("E-UNKNOWN-REF", "cancelled_shifts[0]"),
            ("E-UNKNOWN-REF", "shift_updates[0].shift"),
            ("E-MIN-GT-MAX", "shift_updates[1]"),
            ("E-NEGATIVE", "shift_updates[2].max"),
            ("E-DUP-ID", "new_volunteers[0].id"),
            ("E-UNKNOWN-REF", "new_volunteers[1].home"),
            ("E-LEVEL", "new_volunteers[1].languages.en"),
            ("E-DUP-ID", "new_volunteers[2].id"),
            ("E-DUP-ID", "new_shifts[0].id"),
            ("E-END-BEFORE-START", "new_shifts[1].end"),
            ("E-MIN-GT-MAX", "new_shifts[1]"),
        ],
    ),
    (
        "changes_shape",
        &[
            ("E-SHAPE", "now"),
            ("E-SHAPE", "dropouts[0].volunter"),
            ("E-SHAPE", "dropouts[0]"),
            ("E-SHAPE", "shift_updates[0].priority"),
            ("E-SHAPE", "new_shifts[0].min"),
        ],
    ),
];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/invalid")
        .join(format!("{name}.json"))
}

fn read(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).expect("fixture exists")
}

fn error_set(diagnostics: &[Diagnostic]) -> BTreeSet<(String, String)> {
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.code.to_string(), d.path.clone()))
        .collect()
}

fn expected_set(expected: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    expected
        .iter()
        .map(|(c, p)| (c.to_string(), p.to_string()))
        .collect()
}

fn base() -> vroster::scenario::Scenario {
    match load_scenario_str(BASE) {
        Ok((s, warnings)) => {
            assert!(warnings.is_empty(), "{warnings:?}");
            s
        }
        Err(d) => panic!("base scenario is invalid: {d:?}"),
    }
}

#[test]
fn base_scenario_is_clean() {
    let s = base();
    assert_eq!(s.shifts.len(), 1);
    assert_eq!(s.volunteers.len(), 2);
}

#[test]
fn each_scenario_fixture_gives_exactly_its_errors() {
    let mut failures = Vec::new();
    for (name, expected) in SCENARIO_FIXTURES {
        let diagnostics = match load_scenario(&fixture(name)) {
            Ok((_, warnings)) => {
                failures.push(format!("{name}: loaded without errors ({warnings:?})"));
                continue;
            }
            Err(d) => d,
        };
        let got = error_set(&diagnostics);
        let want = expected_set(expected);
        if got != want {
            failures.push(format!("{name}:\n  want {want:?}\n  got  {got:?}"));
        }
        // Every error says what is wrong and (here always) how to fix it.
        for d in diagnostics.iter().filter(|d| d.is_error()) {
            if d.message.is_empty() || d.hint.is_none() {
                failures.push(format!("{name}: no message or hint in {d}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn fixtures_cover_every_error_code() {
    let covered: BTreeSet<&str> = SCENARIO_FIXTURES
        .iter()
        .chain(CHANGES_FIXTURES)
        .flat_map(|(_, e)| e.iter().map(|(c, _)| *c))
        .collect();
    for (code, severity, _) in codes::ALL {
        // E-IO has its own CLI test; E-NOT-FINITE cannot be written in JSON
        // (unit-tested on a typed scenario).
        if *severity == Severity::Error && !["E-IO", "E-NOT-FINITE"].contains(code) {
            assert!(covered.contains(code), "no fixture for {code}");
        }
    }
    assert!(SCENARIO_FIXTURES.len() >= 15);
}

#[test]
fn many_errors_are_reported_in_one_run() {
    let diagnostics = load_scenario(&fixture("many_errors")).unwrap_err();
    let (errors, _) = count(&diagnostics);
    assert_eq!(errors, 17, "{diagnostics:#?}");
    // Shape errors in several elements, and semantic errors next to them.
    let shape = diagnostics.iter().filter(|d| d.code == "E-SHAPE").count();
    assert_eq!(shape, 5);
    assert!(diagnostics.iter().any(|d| d.code == "E-MIN-GT-MAX"));
}

#[test]
fn json_error_names_line_and_column() {
    let d = load_scenario_str(&read("json_syntax")).unwrap_err();
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("line 3, column 30"), "{}", d[0]);
}

#[test]
fn misspelt_field_gets_a_suggestion() {
    let d = load_scenario_str(&read("shape_unknown_field")).unwrap_err();
    assert_eq!(d[0].hint.as_deref(), Some("did you mean `quotas`?"));
}

#[test]
fn display_has_severity_code_path_message_and_hint() {
    let d = load_scenario_str(&read("min_gt_max")).unwrap_err();
    assert_eq!(
        d[0].to_string(),
        "error[E-MIN-GT-MAX] shifts[0]: min 5 is greater than max 4 \
         (hint: need 0 <= min <= max: lower min or raise max)"
    );
}

#[test]
fn each_changes_fixture_gives_exactly_its_errors() {
    let scenario = base();
    for (name, expected) in CHANGES_FIXTURES {
        let d = load_changes_str(&read(name), &scenario).unwrap_err();
        assert_eq!(error_set(&d), expected_set(expected), "{name}: {d:#?}");
    }
}

#[test]
fn valid_changes_load() {
    let scenario = base();
    let text = r#"{ "format": "volunteer-changes/1", "now": "2022-02-04T06:00",
        "dropouts": [ { "volunteer": "V1", "from": "2022-02-04T06:00", "until": "2022-02-05T06:00" } ],
        "cancelled_shifts": ["S1"],
        "shift_updates": [ { "shift": "S1", "max": 1 } ],
        "new_volunteers": [ { "id": "V3", "home": "HD" } ],
        "new_shifts": [ { "id": "S2", "venue": "HD", "start": "2022-02-05T07:00",
                          "end": "2022-02-05T15:00", "min": 1, "max": 1 } ] }"#;
    let (changes, warnings) = load_changes_str(text, &scenario).expect("valid");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(changes.new_shifts[0].id, "S2");
}

#[test]
fn roster_with_unknown_ids_and_wrong_format() {
    let scenario = base();
    let d = load_roster_str(&read("roster_bad"), &scenario).unwrap_err();
    assert_eq!(
        error_set(&d),
        expected_set(&[
            ("E-FORMAT", "format"),
            ("E-UNKNOWN-REF", "assignments.S1[1]"),
            ("E-UNKNOWN-REF", "assignments.S9"),
        ])
    );
    let ok = r#"{ "format": "volunteer-roster/1", "scenario": "fixture",
                  "assignments": { "S1": ["V1", "V2"] } }"#;
    assert!(load_roster_str(ok, &scenario).is_ok());
    let shape = r#"{ "format": "volunteer-roster/1", "assignments": { "S1": "V1", "S2": [1] } }"#;
    let d = load_roster_str(shape, &scenario).unwrap_err();
    assert_eq!(
        error_set(&d),
        expected_set(&[
            ("E-SHAPE", "assignments.S1"),
            ("E-SHAPE", "assignments.S2[0]")
        ])
    );
}

#[test]
fn codes_are_documented() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/validation.md"))
            .expect("docs/validation.md exists");
    for (code, severity, _) in codes::ALL {
        assert!(
            doc.contains(&format!("`{code}`")),
            "{code} missing from docs/validation.md"
        );
        assert_eq!(codes::severity(code), *severity, "{code}");
    }
}

#[test]
fn hostile_inputs_never_panic() {
    let scenario = base();
    let inputs = [
        "", " ", "null", "[]", "{}", "\"x\"", "{\"format\":1}", "{\"shifts\":{}}",
        "{\"shifts\":[1,null,[],{}]}", "{\"volunteers\":[{\"id\":\"a\",\"available\":[[\"x\"]]}]}",
        "{\"format\":\"volunteer-scenario/1\",\"shifts\":[{\"id\":\"a\",\"venue\":\"\",\"start\":\"\",\"end\":\"\",\"min\":-9223372036854775808,\"max\":9223372036854775807,\"priority\":1e308}]}",
        "{\"format\":\"volunteer-scenario/1\",\"volunteers\":[{\"id\":\"a\",\"languages\":{\"en\":18446744073709551615}}]}",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
        "{\"format\":\"volunteer-scenario/1\"} trailing",
    ];
    for text in inputs {
        let d = match load_scenario_str(text) {
            Ok((_, w)) => w,
            Err(d) => d,
        };
        if text.contains("trailing") || text.trim().is_empty() {
            assert!(d.iter().any(|x| x.code == "E-JSON"), "{text}: {d:?}");
        }
        let _ = load_changes_str(text, &scenario);
        let _ = load_roster_str(text, &scenario);
    }
}

// ---- the command ----

fn vroster(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vroster"))
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn base_file(dir: &tempfile::TempDir) -> String {
    let path = dir.path().join("base.json");
    std::fs::write(&path, BASE).expect("write");
    path.display().to_string()
}

#[test]
fn cli_valid_scenario_exits_0() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, stdout, _) = vroster(&["validate", &base_file(&dir)]);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(stdout.trim(), "0 errors, 0 warnings");
}

#[test]
fn cli_lists_every_error_and_exits_2() {
    let file = fixture("many_errors");
    let (code, stdout, _) = vroster(&["validate", file.to_str().expect("utf-8 path")]);
    assert_eq!(code, 2);
    for (c, p) in SCENARIO_FIXTURES
        .iter()
        .find(|f| f.0 == "many_errors")
        .map_or(&[][..], |f| f.1)
    {
        assert!(
            stdout.contains(&format!("error[{c}] {p}:")),
            "missing {c} {p} in\n{stdout}"
        );
    }
    assert!(
        stdout.trim_end().ends_with("17 errors, 0 warnings"),
        "{stdout}"
    );
}

#[test]
fn cli_json_output_is_an_array_of_diagnostics() {
    let file = fixture("end_before_start");
    let (code, stdout, stderr) = vroster(&["validate", "--json", file.to_str().expect("utf-8")]);
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("stdout is JSON");
    let items = v.as_array().expect("an array");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["code"], "E-END-BEFORE-START");
    assert_eq!(items[0]["path"], "shifts[0].end");
    assert_eq!(items[0]["severity"], "error");
    assert!(items[0]["file"]
        .as_str()
        .is_some_and(|f| f.ends_with("end_before_start.json")));
    assert!(stderr.contains("1 error, 0 warnings"), "{stderr}");
}

#[test]
fn cli_unreadable_or_malformed_file_exits_2() {
    let (code, stdout, _) = vroster(&["validate", "/nonexistent/scenario.json"]);
    assert_eq!(code, 2);
    assert!(stdout.contains("error[E-IO]"), "{stdout}");
    let file = fixture("json_syntax");
    let (code, stdout, _) = vroster(&["validate", file.to_str().expect("utf-8")]);
    assert_eq!(code, 2);
    assert!(
        stdout.contains("error[E-JSON]: malformed JSON at line 3, column 30"),
        "{stdout}"
    );
}

#[test]
fn cli_checks_changes_against_the_scenario() {
    let dir = tempfile::tempdir().expect("tempdir");
    let scenario = base_file(&dir);
    let bad = fixture("changes_many_errors");
    let (code, stdout, _) = vroster(&[
        "validate",
        &scenario,
        "--changes",
        bad.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 2);
    assert!(
        stdout.contains("changes_many_errors.json: error[E-UNKNOWN-REF] dropouts[0].volunteer:"),
        "{stdout}"
    );
    assert!(
        stdout.trim_end().ends_with("16 errors, 0 warnings"),
        "{stdout}"
    );

    let good = dir.path().join("changes.json");
    std::fs::write(
        &good,
        r#"{ "format": "volunteer-changes/1", "now": "2022-02-04T06:00", "cancelled_shifts": ["S1"] }"#,
    )
    .expect("write");
    let (code, stdout, _) = vroster(&[
        "validate",
        &scenario,
        "--changes",
        good.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{stdout}");
}

#[test]
fn cli_warnings_do_not_fail() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("warn.json");
    // A quota above the shift's max and a preferred venue that is no site.
    let text = BASE
        .replace(
            r#""skill": "first_aid", "at_least": 1"#,
            r#""skill": "first_aid", "at_least": 3"#,
        )
        .replace(
            r#""home": "NST","#,
            r#""home": "NST", "prefers": { "venues": ["XYZ"] },"#,
        );
    std::fs::write(&path, text).expect("write");
    let (code, stdout, _) = vroster(&["validate", path.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("warning[W-QUOTA-GT-MAX] shifts[0].quotas[0].at_least:"),
        "{stdout}"
    );
    assert!(
        stdout.contains("warning[W-UNKNOWN-PREFERENCE] volunteers[1].prefers.venues[0]:"),
        "{stdout}"
    );
    assert!(
        stdout.trim_end().ends_with("0 errors, 2 warnings"),
        "{stdout}"
    );
}

#[test]
fn duplicate_keys_and_nested_typos() {
    // A key given twice is invisible to a JSON value but not to the format.
    let d = load_scenario_str(r#"{"format":"volunteer-scenario/1","shifts":[],"shifts":[]}"#)
        .unwrap_err();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, "E-SHAPE");
    assert!(
        d[0].message.contains("duplicate field `shifts`"),
        "{}",
        d[0]
    );
    // A typo deep inside an element is reported, and the element's other
    // fields are still checked.
    let d = load_scenario_str(
        r#"{"format":"volunteer-scenario/1",
            "volunteers":[{"id":"a","prefers":{"venuez":["X"]},"home":"Q"}]}"#,
    )
    .unwrap_err();
    assert_eq!(
        error_set(&d),
        expected_set(&[
            ("E-SHAPE", "volunteers[0].prefers.venuez"),
            ("E-UNKNOWN-REF", "volunteers[0].home"),
        ])
    );
    assert_eq!(d[0].hint.as_deref(), Some("did you mean `venues`?"));
}

/// A pin conflict names the rule and the other pin; a pin that breaks a
/// rule on its own (here the day cap) is rejected too; feasible pins and
/// exclusions load cleanly.
#[test]
fn pin_conflicts_name_the_rule_and_the_other_pin() {
    let d = load_scenario(&fixture("pin_spacing")).unwrap_err();
    let e = d
        .iter()
        .find(|d| d.code == "E-PIN-SPACING")
        .expect("spacing");
    assert!(e.message.contains("rule 4"), "{e}");
    assert!(e.message.contains("volunteers[0].pinned[0] 'S1'"), "{e}");
    let d = load_scenario(&fixture("pin_headcount")).unwrap_err();
    let e = d
        .iter()
        .find(|d| d.code == "E-PIN-HEADCOUNT")
        .expect("headcount");
    assert!(e.message.contains("rule 3") && e.message.contains("volunteers[0].pinned[0]"));

    let mut sc = base();
    sc.rules.max_minutes_per_day = 60;
    sc.volunteers[0].pinned = vec!["S1".into()];
    let d = vroster::validate::validate_scenario(&sc);
    let e = d
        .iter()
        .find(|d| d.code == "E-PIN-DAY-CAP")
        .expect("day cap");
    assert_eq!(e.path, "volunteers[0].pinned[0]");
    assert!(e.message.contains("on its own"), "{e}");

    let mut sc = base();
    sc.volunteers[0].pinned = vec!["S1".into()];
    sc.volunteers[1].excluded = vec!["S1".into()];
    let d = vroster::validate::validate_scenario(&sc);
    assert!(!vroster::validate::has_errors(&d), "{d:?}");
}

/// An update that lowers `max` below the pins of a shift is rejected; a
/// pin of a volunteer who drops out for the shift lapses and does not count.
#[test]
fn update_below_the_pins_of_a_shift_is_rejected() {
    let mut sc = base();
    sc.volunteers[0].pinned = vec!["S1".into()];
    let text = r#"{ "format": "volunteer-changes/1", "now": "2022-02-03T00:00",
        "shift_updates": [ { "shift": "S1", "min": 0, "max": 0 } ] }"#;
    let d = load_changes_str(text, &sc).unwrap_err();
    let got = error_set(&d);
    assert_eq!(
        got,
        expected_set(&[("E-PIN-HEADCOUNT", "shift_updates[0].max")]),
        "{d:?}"
    );
    let text = r#"{ "format": "volunteer-changes/1", "now": "2022-02-03T00:00",
        "dropouts": [ { "volunteer": "V1", "from": "2022-02-04T00:00" } ],
        "shift_updates": [ { "shift": "S1", "min": 0, "max": 0 } ] }"#;
    assert!(load_changes_str(text, &sc).is_ok());
}
