//! Planner experience: explain, CSV import, exports (CSV, iCal, HTML).

mod common;

use serde_json::json;
use std::path::Path;
use vroster::csv_import::{import, import_files, CsvPaths, CsvText, ImportError, Settings};
use vroster::explain::{explain, Change, Demand, Reason};
use vroster::export::{self, write_dir, View};
use vroster::scenario::{Roster, Scenario, ROSTER_FORMAT};

/// A one-venue scenario with the target shift `S` (2026-02-04 08:00–12:00,
/// min 1) and the given extra shifts, volunteers and rules.
fn scenario(
    rules: serde_json::Value,
    shifts: serde_json::Value,
    vols: serde_json::Value,
) -> Scenario {
    let mut all = vec![json!({"id": "S", "venue": "A", "role": "info",
        "start": "2026-02-04T08:00", "end": "2026-02-04T12:00", "min": 1, "max": 2})];
    all.extend(shifts.as_array().cloned().unwrap_or_default());
    let v = json!({
        "format": "volunteer-scenario/1", "name": "t",
        "rules": rules,
        "sites": [{"id": "A"}, {"id": "B"}, {"id": "H"}],
        "links": [{"from": "A", "to": "H", "minutes": 20}, {"from": "A", "to": "B", "minutes": 10}],
        "shifts": all, "volunteers": vols });
    serde_json::from_value(v).expect("test scenario")
}

fn roster(pairs: &[(&str, &str)]) -> Roster {
    let mut r = Roster::empty("t");
    r.format = ROSTER_FORMAT.into();
    for (s, v) in pairs {
        r.assignments
            .entry(s.to_string())
            .or_default()
            .push(v.to_string());
    }
    r
}

fn shift(id: &str, start: &str, end: &str) -> serde_json::Value {
    json!({"id": id, "venue": "A", "start": start, "end": end, "min": 0, "max": 3})
}

/// The single coverage item of shift `S`: its reasons and relaxation.
fn explain_s(sc: &Scenario, r: &Roster) -> vroster::explain::Unfilled {
    let e = explain(sc, r, Some("S")).expect("explain");
    let items: Vec<_> = e
        .items
        .into_iter()
        .filter(|i| i.demand == Demand::Coverage)
        .collect();
    assert_eq!(items.len(), 1, "one coverage item");
    items.into_iter().next().expect("item")
}

fn only_reason(it: &vroster::explain::Unfilled, reason: Reason) -> Vec<(String, usize)> {
    assert_eq!(it.reasons.len(), 1, "{:?}", it.reasons);
    assert_eq!(it.reasons[0].reason, reason);
    assert_eq!(it.reasons[0].count, 1);
    it.reasons[0].details.clone()
}

#[test]
fn explain_unavailable() {
    let sc = scenario(
        json!({}),
        json!([]),
        json!([{"id": "P", "available": [["2026-02-05T00:00", "2026-02-06T00:00"]]}]),
    );
    let it = explain_s(&sc, &roster(&[]));
    only_reason(&it, Reason::Unavailable);
    assert_eq!(it.shortage, 1);
    assert_eq!(it.cost, 1000.0);
    assert!(matches!(
        it.relaxation.expect("fix").change,
        Change::Recruit { .. }
    ));
}

#[test]
fn explain_move_shift_frees_an_unavailable_volunteer() {
    let sc = scenario(
        json!({}),
        json!([]),
        json!([{"id": "P", "available": [["2026-02-04T09:00", "2026-02-04T20:00"]]}]),
    );
    let it = explain_s(&sc, &roster(&[]));
    only_reason(&it, Reason::Unavailable);
    let fix = it.relaxation.expect("fix");
    assert_eq!(fix.change, Change::MoveShift { minutes: 60 });
    assert_eq!(fix.volunteers, vec!["P".to_string()]);
    assert!(
        fix.description.contains("60 minutes later"),
        "{}",
        fix.description
    );
}

#[test]
fn explain_missing_skill() {
    let mut sc = scenario(json!({}), json!([]), json!([{"id": "P", "skills": ["x"]}]));
    sc.shifts[0].requires = vec!["driving".into()];
    let it = explain_s(&sc, &roster(&[]));
    let d = only_reason(&it, Reason::MissingSkill);
    assert_eq!(d, vec![("driving".to_string(), 1)]);
    let fix = it.relaxation.expect("fix");
    assert_eq!(
        fix.change,
        Change::GrantSkill {
            skill: "driving".into()
        }
    );
    assert!(fix
        .description
        .contains("one more volunteer with skill driving"));
}

#[test]
fn explain_unreachable_home() {
    let mut sc = scenario(json!({}), json!([]), json!([{"id": "P", "home": "Z"}]));
    sc.sites.push(vroster::scenario::Site {
        id: "Z".into(),
        ..Default::default()
    });
    let it = explain_s(&sc, &roster(&[]));
    only_reason(&it, Reason::UnreachableHome);
}

#[test]
fn explain_overlapping_names_the_shift() {
    let sc = scenario(
        json!({}),
        json!([shift("T", "2026-02-04T09:00", "2026-02-04T13:00")]),
        json!([{"id": "P"}]),
    );
    let it = explain_s(&sc, &roster(&[("T", "P")]));
    let d = only_reason(&it, Reason::Overlapping);
    assert_eq!(d, vec![("T".to_string(), 1)]);
}

#[test]
fn explain_too_close_and_rest_relaxation() {
    let sc = scenario(
        json!({"min_rest_minutes": 480}),
        json!([shift("T", "2026-02-03T22:00", "2026-02-04T02:00")]),
        json!([{"id": "P"}]),
    );
    let it = explain_s(&sc, &roster(&[("T", "P")]));
    let d = only_reason(&it, Reason::TooClose);
    assert_eq!(d, vec![("T".to_string(), 1)]);
    let fix = it.relaxation.expect("fix");
    assert_eq!(fix.change, Change::MinRest { from: 480, to: 360 });
    assert_eq!(fix.frees, 1);
    assert!(
        fix.description
            .contains("a rest of 360 minutes instead of 480 would free 1"),
        "{}",
        fix.description
    );
}

#[test]
fn explain_daily_minutes() {
    let sc = scenario(
        json!({"min_rest_minutes": 0, "max_minutes_per_day": 300}),
        json!([shift("T", "2026-02-04T14:00", "2026-02-04T18:00")]),
        json!([{"id": "P"}]),
    );
    let it = explain_s(&sc, &roster(&[("T", "P")]));
    only_reason(&it, Reason::DailyMinutes);
    assert_eq!(
        it.relaxation.expect("fix").change,
        Change::MaxMinutesPerDay { from: 300, to: 480 }
    );
}

#[test]
fn explain_max_shifts() {
    let sc = scenario(
        json!({"max_shifts": 1}),
        json!([shift("T", "2026-02-06T08:00", "2026-02-06T12:00")]),
        json!([{"id": "P"}]),
    );
    let it = explain_s(&sc, &roster(&[("T", "P")]));
    only_reason(&it, Reason::MaxShifts);
    assert_eq!(
        it.relaxation.expect("fix").change,
        Change::MaxShifts { from: 1, to: 2 }
    );
}

#[test]
fn explain_consecutive_days() {
    let sc = scenario(
        json!({"max_consecutive_days": 1}),
        json!([shift("T", "2026-02-03T08:00", "2026-02-03T12:00")]),
        json!([{"id": "P"}]),
    );
    let it = explain_s(&sc, &roster(&[("T", "P")]));
    only_reason(&it, Reason::ConsecutiveDays);
    assert_eq!(
        it.relaxation.expect("fix").change,
        Change::MaxConsecutiveDays { from: 1, to: 2 }
    );
}

#[test]
fn explain_free_volunteer_left_by_the_solver() {
    let sc = scenario(json!({}), json!([]), json!([{"id": "P"}]));
    let it = explain_s(&sc, &roster(&[]));
    only_reason(&it, Reason::Free);
    assert_eq!(it.free, vec!["P".to_string()]);
    assert_eq!(it.relaxation.expect("fix").change, Change::AddFree);
}

#[test]
fn explain_quota_on_full_shift_suggests_swap() {
    let mut sc = scenario(
        json!({}),
        json!([]),
        json!([{"id": "P"}, {"id": "Q", "skills": ["first_aid"]}, {"id": "R"}]),
    );
    sc.shifts[0].max = 1;
    sc.shifts[0].quotas = vec![vroster::scenario::Quota {
        skill: Some("first_aid".into()),
        at_least: 1,
        ..Default::default()
    }];
    let e = explain(&sc, &roster(&[("S", "P")]), None).expect("explain");
    assert_eq!(e.items.len(), 1);
    let it = &e.items[0];
    assert!(matches!(it.demand, Demand::Quota { index: 0, .. }));
    assert_eq!(it.pool, 1);
    assert_eq!(it.not_qualifying, 1);
    assert_eq!(it.reasons[0].reason, Reason::ShiftFull);
    assert_eq!(it.cost, 100.0);
    assert_eq!(
        it.relaxation.as_ref().expect("fix").change,
        Change::Swap { out: "P".into() }
    );
}

#[test]
fn explain_orders_by_weighted_shortage_and_rejects_unknown_ids() {
    let mut sc = scenario(
        json!({}),
        json!([shift("T", "2026-02-05T08:00", "2026-02-05T12:00")]),
        json!([]),
    );
    sc.shifts[1].min = 1;
    sc.shifts[1].priority = 3.0;
    let e = explain(&sc, &roster(&[]), None).expect("explain");
    let order: Vec<&str> = e.items.iter().map(|i| i.shift.as_str()).collect();
    assert_eq!(order, vec!["T", "S"]);
    assert_eq!(e.total_cost, 4000.0);
    assert!(e.text().contains("recruit one more volunteer"));
    assert!(explain(&sc, &roster(&[]), Some("nope")).is_err());
    assert!(explain(&sc, &roster(&[("S", "ghost")]), None).is_err());
    // Structured and serializable for reuse by `solve`'s summary.
    let j = serde_json::to_value(&e).expect("json");
    assert_eq!(j["items"][0]["relaxation"]["change"]["kind"], "recruit");
}

// ---------------------------------------------------------------- CSV import

fn text(file: &str, body: &str) -> CsvText {
    CsvText {
        file: file.into(),
        text: body.into(),
    }
}

fn files_map(files: &[(String, Vec<u8>)]) -> std::collections::HashMap<String, String> {
    files
        .iter()
        .map(|(n, b)| (n.clone(), String::from_utf8(b.clone()).expect("utf-8")))
        .collect()
}

#[test]
fn scenario_csv_round_trips_to_an_equal_scenario() {
    for seed in 0..6 {
        let mut sc = common::random_scenario(seed, 12, 3, 3);
        // Exercise quoting and the less common cells too.
        sc.sites[0].name = Some("Stadium, \"North\"; gate 3".into());
        sc.sites[0].kind = Some("competition".into());
        sc.volunteers[0].available = Some(vec![]);
        sc.volunteers[1].min_rest_minutes = Some(300);
        sc.volunteers[1].max_consecutive_days = Some(2);
        sc.shifts[0].priority = 2.5;
        // Pins and exclusions (rule 8): lists of shift ids.
        sc.volunteers[2].pinned = vec![sc.shifts[0].id.clone(), sc.shifts[1].id.clone()];
        sc.volunteers[3].excluded = vec![sc.shifts[2].id.clone()];
        sc.shifts[0].quotas.push(vroster::scenario::Quota {
            language: Some("fr".into()),
            at_least: 2,
            ..Default::default()
        });
        let files = files_map(&export::csv::scenario_files(&sc).expect("export"));
        let settings: Settings =
            serde_json::from_str(&files["rules.json"]).expect("rules.json parses");
        let back = import(
            Some(&text("volunteers.csv", &files["volunteers.csv"])),
            Some(&text("shifts.csv", &files["shifts.csv"])),
            Some(&text("sites.csv", &files["sites.csv"])),
            Some(&text("links.csv", &files["links.csv"])),
            Some(settings),
            &sc.name,
        )
        .expect("import");
        assert_eq!(back, sc, "seed {seed}");
    }
}

#[test]
fn scenario_csv_round_trips_through_files() {
    let sc = common::random_scenario(3, 10, 2, 2);
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("scsv");
    write_dir(&dir, &export::csv::scenario_files(&sc).expect("export")).expect("write");
    let p = |n: &str| dir.join(n);
    let (v, s, si, l, r) = (
        p("volunteers.csv"),
        p("shifts.csv"),
        p("sites.csv"),
        p("links.csv"),
        p("rules.json"),
    );
    let paths = CsvPaths {
        volunteers: Some(&v),
        shifts: Some(&s),
        sites: Some(&si),
        links: Some(&l),
        rules: Some(&r),
    };
    assert_eq!(import_files(&paths, &sc.name).expect("import"), sc);
}

#[test]
fn import_reports_every_bad_cell_with_file_row_and_column() {
    let vols = "id,skills,languages,available,max_shifts\n\
                A,first_aid,en:3;fr:2,2026-02-04T06:00/2026-02-05T22:00,4\n\
                B,,en:x,2026-02-04T06:00/2026-02-31T22:00,four\n\
                A,,,,\n\
                C,,en,yesterday,\n";
    let shifts = "id,venue,start,end,min,max,quotas,priority\n\
                  S1,NST,2026-02-04T07:00,2026-02-04T15:00,2,3,skill:first_aid:1;lang:en:3:1,1\n\
                  S2,NST,2026-02-04 07:00,2026-02-04T15:00,x,3,skill:first_aid,high\n\
                  ,NST,2026-02-04T07:00,2026-02-04T15:00,1,1,,\n";
    let err = import(
        Some(&text("v.csv", vols)),
        Some(&text("s.csv", shifts)),
        None,
        None,
        None,
        "t",
    )
    .expect_err("bad cells");
    let ImportError::Cells(cells) = err else {
        panic!("expected cell errors, got {err}");
    };
    let got: Vec<(&str, u64, &str)> = cells
        .iter()
        .map(|c| (c.file.as_str(), c.row, c.column.as_str()))
        .collect();
    let want = vec![
        ("s.csv", 3, "start"),
        ("s.csv", 3, "min"),
        ("s.csv", 3, "priority"),
        ("s.csv", 3, "quotas"),
        ("s.csv", 4, "id"),
        ("v.csv", 3, "languages"),
        ("v.csv", 3, "available"),
        ("v.csv", 3, "max_shifts"),
        ("v.csv", 4, "id"),
        ("v.csv", 5, "languages"),
        ("v.csv", 5, "available"),
    ];
    let mut got_sorted = got.clone();
    got_sorted.sort();
    let mut want_sorted = want.clone();
    want_sorted.sort();
    assert_eq!(got_sorted, want_sorted, "{cells:#?}");
    let shown = ImportError::Cells(cells).to_string();
    assert!(
        shown.contains("v.csv:4: column 'id': id 'A' already used on line 2"),
        "{shown}"
    );
}

#[test]
fn import_rejects_unknown_and_missing_columns() {
    let err = import(
        Some(&text("v.csv", "id,skils\nA,x\n")),
        Some(&text("s.csv", "id,venue,start,end,min\n")),
        None,
        None,
        None,
        "t",
    )
    .expect_err("bad header");
    let ImportError::Cells(cells) = err else {
        panic!("cells");
    };
    assert!(cells
        .iter()
        .any(|c| c.file == "v.csv" && c.row == 1 && c.column == "skils"));
    assert!(cells
        .iter()
        .any(|c| c.file == "s.csv" && c.row == 1 && c.column == "max"));
}

#[test]
fn import_derives_sites_and_defaults() {
    let sc = import(
        Some(&text("v.csv", "id,home\nA,HUB\nB,\n")),
        Some(&text(
            "s.csv",
            "end,start,id,venue,min,max\n2026-02-04T15:00,2026-02-04T07:00,S1,NST,1,2\n",
        )),
        None,
        None,
        None,
        "named",
    )
    .expect("import");
    let ids: Vec<&str> = sc.sites.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, vec!["NST", "HUB"]);
    assert_eq!(sc.shifts[0].priority, 1.0);
    assert_eq!(sc.volunteers[1].home, None);
    assert_eq!(sc.volunteers[0].available, None);
    assert_eq!(sc.rules, vroster::scenario::Rules::default());
    assert_eq!(sc.name, "named");
    assert!(!vroster::validate::has_errors(
        &vroster::validate::validate_scenario(&sc)
    ));
}

fn bin() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_vroster"))
}

fn write(path: &Path, body: &str) {
    std::fs::write(path, body).expect("write fixture");
}

#[test]
fn cli_import_writes_nothing_when_a_cell_is_bad() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (v, s, out) = (
        tmp.path().join("v.csv"),
        tmp.path().join("s.csv"),
        tmp.path().join("sc.json"),
    );
    write(&v, "id,languages\nA,en:3\nB,en=3\n");
    write(
        &s,
        "id,venue,start,end,min,max\nS,NST,2026-02-04T07:00,2026-02-04T09:00,1,1\n",
    );
    let o = bin()
        .args(["import", "csv", "--volunteers"])
        .arg(&v)
        .arg("--shifts")
        .arg(&s)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("run");
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("v.csv:3: column 'languages'"), "{err}");
    assert!(!out.exists());
    write(&v, "id,languages\nA,en:3\nB,en:3\n");
    let o = bin()
        .args(["import", "csv", "--volunteers"])
        .arg(&v)
        .arg("--shifts")
        .arg(&s)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("run");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let sc: Scenario = vroster::io::read_json(&out).expect("scenario");
    assert_eq!(sc.volunteers.len(), 2);
    assert_eq!(sc.name, "sc");
}

// ---------------------------------------------------------------- exports

/// Two venues over two days; `S` is short, `T` is full, `U` has nobody.
fn export_case() -> (Scenario, Roster) {
    let mut sc = scenario(
        json!({"min_rest_minutes": 0}),
        json!([
            {"id": "T", "venue": "B", "role": "medical", "start": "2026-02-04T13:00",
             "end": "2026-02-04T17:00", "min": 2, "max": 2,
             "quotas": [{"language": "en", "level": 3, "at_least": 1}]},
            {"id": "U", "venue": "A", "start": "2026-02-05T08:00", "end": "2026-02-05T12:00",
             "min": 1, "max": 1, "priority": 2}
        ]),
        json!([
            {"id": "P,1; \\x", "languages": {"en": 4}, "home": "H", "min_shifts": 2},
            {"id": "Q", "prefers": {"venues": ["A"]}},
            {"id": "R", "available": [["2026-02-10T00:00", "2026-02-11T00:00"]]}
        ]),
    );
    sc.sites[1].name = Some(
        "Bird's Nest, National Stadium; gate \\ 3 — 北京国家体育场 long enough to need folding"
            .into(),
    );
    sc.shifts[0].min = 2;
    let r = roster(&[("S", "P,1; \\x"), ("T", "P,1; \\x"), ("T", "Q")]);
    (sc, r)
}

#[test]
fn roster_csv_tables_have_the_right_rows() {
    let (sc, r) = export_case();
    let view = View::new(&sc, &r).expect("view");
    let files = files_map(&export::csv::roster_files(&view).expect("csv"));
    let read = |name: &str| -> Vec<Vec<String>> {
        let mut rd = ::csv::Reader::from_reader(files[name].as_bytes());
        rd.records()
            .map(|r| r.expect("record").iter().map(str::to_string).collect())
            .collect()
    };
    let a = read("assignments.csv");
    assert_eq!(a.len(), 3);
    assert_eq!(a[0][..2], ["S".to_string(), "P,1; \\x".to_string()]);
    let crew = read("shifts_crew.csv");
    let t = crew.iter().find(|r| r[0] == "T").expect("T");
    assert_eq!(t[7], "2");
    assert_eq!(t[8], "ok");
    assert_eq!(t[9], "language en>=3 1/1 met");
    let s = crew.iter().find(|r| r[0] == "S").expect("S");
    assert_eq!(s[8], "below min");
    let sched = read("volunteers_schedule.csv");
    assert_eq!(sched[0][1], "2");
    assert_eq!(sched[0][4], "ok");
    assert_eq!(sched[1][1], "1");
    let daily = read("venues_daily.csv");
    // venue, day, shifts, min, covered, assigned, volunteers
    assert_eq!(
        daily,
        vec![
            vec!["A", "2026-02-04", "1", "2", "1", "1", "1"],
            vec!["A", "2026-02-05", "1", "1", "0", "0", "0"],
            vec!["B", "2026-02-04", "1", "2", "2", "2", "2"],
        ]
        .into_iter()
        .map(|r| r.into_iter().map(String::from).collect::<Vec<_>>())
        .collect::<Vec<_>>()
    );
}

/// A minimal RFC 5545 reader: checks CRLF, the 75-octet limit, unfolds,
/// and returns the components as (name, properties) with nesting checked.
fn parse_ics(bytes: &[u8]) -> Vec<(String, Vec<(String, String)>)> {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    assert!(text.ends_with("\r\n"));
    let physical: Vec<&str> = text[..text.len() - 2].split("\r\n").collect();
    for l in &physical {
        assert!(
            !l.contains('\n') && !l.contains('\r'),
            "bare LF/CR in {l:?}"
        );
        assert!(l.len() <= 75, "line of {} octets: {l:?}", l.len());
    }
    let mut lines: Vec<String> = Vec::new();
    for l in physical {
        if let Some(rest) = l.strip_prefix(' ') {
            lines
                .last_mut()
                .expect("continuation after a line")
                .push_str(rest);
        } else {
            lines.push(l.to_string());
        }
    }
    let mut stack: Vec<(String, Vec<(String, String)>)> = Vec::new();
    let mut done = Vec::new();
    for l in lines {
        let (name, value) = l.split_once(':').expect("NAME:VALUE");
        assert!(
            name.chars().all(|c| c.is_ascii_uppercase() || c == '-'),
            "property name {name:?}"
        );
        match name {
            "BEGIN" => stack.push((value.to_string(), Vec::new())),
            "END" => {
                let c = stack.pop().expect("END without BEGIN");
                assert_eq!(c.0, value, "mismatched END");
                done.push(c);
            }
            _ => stack
                .last_mut()
                .expect("property inside a component")
                .1
                .push((name.to_string(), value.to_string())),
        }
    }
    assert!(stack.is_empty(), "unclosed component");
    done
}

fn unescape(v: &str) -> String {
    let mut out = String::new();
    let mut it = v.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next().expect("escape") {
                'n' | 'N' => out.push('\n'),
                c @ ('\\' | ';' | ',') => out.push(c),
                c => panic!("bad escape \\{c}"),
            }
        } else {
            assert!(c != ';' && c != ',', "unescaped {c} in {v:?}");
            out.push(c);
        }
    }
    out
}

#[test]
fn ical_files_are_valid_rfc5545() {
    let (sc, r) = export_case();
    let view = View::new(&sc, &r).expect("view");
    let stamp = export::ical::utc_stamp(1_700_000_000);
    assert_eq!(stamp, "20231114T221320Z");
    let files = export::ical::files(&view, &stamp);
    assert_eq!(files.len(), 2, "one per volunteer with a shift");
    assert_eq!(files[0].0, "P_1___x.ics");
    let mut uids = std::collections::HashSet::new();
    for (name, bytes) in &files {
        let comps = parse_ics(bytes);
        let cal = comps.last().expect("calendar");
        assert_eq!(cal.0, "VCALENDAR", "{name}");
        let prop = |c: &(String, Vec<(String, String)>), k: &str| {
            c.1.iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("{k} missing in {name}"))
        };
        assert_eq!(prop(cal, "VERSION"), "2.0");
        prop(cal, "PRODID");
        let events: Vec<_> = comps.iter().filter(|c| c.0 == "VEVENT").collect();
        for e in &events {
            assert!(uids.insert(prop(e, "UID")), "UIDs are unique");
            assert_eq!(prop(e, "DTSTAMP"), stamp);
            for k in ["DTSTART", "DTEND"] {
                let t = prop(e, k);
                assert!(
                    t.len() == 15
                        && t.as_bytes()[8] == b'T'
                        && t.chars().filter(char::is_ascii_digit).count() == 14,
                    "floating time {t}"
                );
            }
            unescape(&prop(e, "SUMMARY"));
            unescape(&prop(e, "DESCRIPTION"));
        }
        if name.starts_with('P') {
            assert_eq!(events.len(), 2);
            assert_eq!(prop(events[0], "DTSTART"), "20260204T080000");
            assert_eq!(prop(events[1], "DTEND"), "20260204T170000");
            assert_eq!(
                unescape(&prop(events[1], "LOCATION")),
                sc.sites[1].name.clone().expect("name")
            );
            assert!(unescape(&prop(events[1], "UID")).starts_with("T/P,1; \\x@"));
        } else {
            assert_eq!(events.len(), 1);
        }
    }
}

/// Checks that the tags are balanced (void elements self-closed), skipping
/// the content of `<script>` and `<style>`; returns the start tags.
fn html_tags(html: &str) -> Vec<String> {
    let mut stack: Vec<String> = Vec::new();
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        assert!(
            !rest[..i].contains('>'),
            "stray > before {:?}",
            &rest[i..(i + 40).min(rest.len())]
        );
        rest = &rest[i..];
        let end = rest.find('>').expect("unclosed tag");
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name), "mismatched </{name}>");
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert_eq!(
            tag.matches('"').count() % 2,
            0,
            "unbalanced quotes in <{tag}>"
        );
        tags.push(tag.to_string());
        if tag.ends_with('/') {
            continue;
        }
        if name == "script" || name == "style" {
            let close = format!("</{name}>");
            let j = rest.find(&close).expect("raw text element closed");
            rest = &rest[j + close.len()..];
            continue;
        }
        stack.push(name);
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    tags
}

#[test]
fn html_report_is_well_formed_with_the_right_numbers() {
    let (sc, r) = export_case();
    let view = View::new(&sc, &r).expect("view");
    let e = explain(&sc, &r, None).expect("explain");
    let check = vroster::check::check_roster(&sc, &r).expect("check");
    let html = export::html::report(&view, &e, Some(&check));
    assert!(html.contains("Every hard rule holds."));
    let tags = html_tags(&html);
    for bad in ["http://", "https://", "src=", "<link"] {
        assert!(!html.contains(bad), "self-contained: found {bad}");
    }
    let cells: Vec<&String> = tags
        .iter()
        .filter(|t| t.contains("class=\"hm\" data-venue"))
        .collect();
    assert_eq!(cells.len(), 3);
    let has = |venue: &str, day: &str, covered: i64, min: i64| {
        tags.iter().any(|t| {
            t.contains(&format!("data-venue=\"{venue}\" data-day=\"{day}\" data-covered=\"{covered}\" data-min=\"{min}\""))
        })
    };
    assert!(has("A", "2026-02-04", 1, 2));
    assert!(has("A", "2026-02-05", 0, 1));
    assert!(has("B", "2026-02-04", 2, 2));
    // Objective by hand: uncovered 1000×1×1 (S) + 1000×2×1 (U); under-commitment 0
    // (P works 2); preference: Q at B misses venue A (10); travel: P's home H
    // is 20 minutes from A and 30 from B: 0.1 × 50 = 5.
    let ours = view.objective();
    assert_eq!(ours.uncovered, 3000.0);
    assert_eq!(ours.preference_miss, 10.0);
    assert!((ours.travel - 5.0).abs() < 1e-9);
    assert!((ours.total - 3015.0).abs() < 1e-9);
    assert!(html.contains("<td id=\"total\"><b>3015</b></td>"));
    // Unfilled list names both short shifts with explain's fix.
    for id in ["S", "U"] {
        assert!(
            html.contains(&format!("<tr><td class=\"l\">{id}</td>")),
            "{id}"
        );
    }
    assert!(html.contains("R"), "R is named in a reason or fix");
    assert!(html.contains("language en&gt;=3"));
    assert!(html.contains("table class=\"sortable"));
}

#[test]
fn write_dir_replaces_the_directory_whole() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("out");
    write_dir(&dir, &[("a.txt".into(), b"1".to_vec())]).expect("first");
    write_dir(&dir, &[("b.txt".into(), b"2".to_vec())]).expect("second");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["b.txt".to_string()]);
    let leftovers = std::fs::read_dir(tmp.path()).expect("tmp").count();
    assert_eq!(leftovers, 1, "no temporary directories left behind");
}

#[test]
fn cli_explain_and_export_run_end_to_end() {
    let (sc, r) = export_case();
    let tmp = tempfile::tempdir().expect("tmp");
    let (scp, rp) = (tmp.path().join("sc.json"), tmp.path().join("r.json"));
    vroster::io::write_json_atomic(&scp, &sc).expect("sc");
    vroster::io::write_json_atomic(&rp, &r).expect("r");
    let o = bin()
        .arg("explain")
        .arg(&scp)
        .arg(&rp)
        .args(["--shift", "U", "--json"])
        .output()
        .expect("run");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let e: vroster::explain::Explanation = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(e.items.len(), 1);
    assert_eq!(e.items[0].shift, "U");
    let o = bin()
        .arg("export")
        .arg(&scp)
        .arg(&rp)
        .arg("--csv")
        .arg(tmp.path().join("csv"))
        .arg("--ical")
        .arg(tmp.path().join("ics"))
        .arg("--html")
        .arg(tmp.path().join("report.html"))
        .arg("--scenario-csv")
        .arg(tmp.path().join("scsv"))
        .output()
        .expect("run");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in [
        "csv/assignments.csv",
        "ics/Q.ics",
        "report.html",
        "scsv/shifts.csv",
    ] {
        assert!(tmp.path().join(f).is_file(), "{f}");
    }
    // A roster naming an unknown volunteer fails cleanly, writing nothing.
    let bad = roster(&[("S", "ghost")]);
    vroster::io::write_json_atomic(&rp, &bad).expect("r");
    let o = bin()
        .arg("export")
        .arg(&scp)
        .arg(&rp)
        .arg("--html")
        .arg(tmp.path().join("x.html"))
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2));
    assert!(!tmp.path().join("x.html").exists());
}

#[test]
fn report_objective_agrees_with_the_solvers_scoring_on_random_rosters() {
    for seed in 0..10 {
        let sc = common::random_scenario(seed, 10, 2, 3);
        let p = vroster::problem::Problem::compile(&sc).expect("compiles");
        let ctx = vroster::solver::SolveContext::new(
            vroster::solver::SolveOptions {
                seed,
                iterations: Some(2_000),
                ..Default::default()
            },
            &|_| {},
        );
        let sol = vroster::solver::solve(&p, &ctx);
        let r = vroster::solver::to_roster(&p, &sol.on, sol.objective);
        let view = View::new(&sc, &r).expect("view");
        // The exports show the checker's figures; the solver scores on its own.
        let ours = view.objective();
        let solver = vroster::solver::score::breakdown(&p, &sol.on);
        for ((name, a), (_, b)) in ours.terms().iter().zip(solver.terms()) {
            assert!((a - b).abs() < 1e-6, "seed {seed} {name}: {a} vs {b}");
        }
        // Explain finds exactly the shortages the objective charges for.
        let e = explain(&sc, &r, None).expect("explain");
        assert!(
            (e.total_cost - ours.uncovered - ours.quota_shortfall).abs() < 1e-6,
            "seed {seed}"
        );
        let html = export::html::report(&view, &e, None);
        html_tags(&html);
    }
}

mod robustness {
    use super::*;
    use proptest::prelude::*;

    /// A CSV line: well-formed cells (volunteer: skill, languages, window,
    /// max_shifts, preferred venue, group, rest; shift: start hour, min) or
    /// arbitrary text.
    #[derive(Clone, Debug)]
    enum Line {
        Volunteer([&'static str; 7]),
        Shift(u32, u32),
        Noise(String),
    }

    fn noise() -> impl Strategy<Value = Line> {
        "[A-C0-9,;:/\"T -]{0,40}".prop_map(Line::Noise)
    }

    fn volunteer_lines() -> impl Strategy<Value = Vec<Line>> {
        let pick = |o: &[&'static str]| prop::sample::select(o.to_vec());
        let cells = (
            pick(&["", "first_aid", "driving;first_aid"]),
            pick(&["", "en:3", "zh:5;en:2"]),
            pick(&["", "2026-02-04T06:00/2026-02-04T20:00", "none"]),
            pick(&["", "1", "4"]),
            pick(&["", "A"]),
            pick(&["", "G"]),
            pick(&["", "60"]),
        )
            .prop_map(|(a, b, c, d, e, f, g)| Line::Volunteer([a, b, c, d, e, f, g]));
        prop::collection::vec(prop_oneof![4 => cells, 1 => noise()], 0..6)
    }

    fn shift_lines() -> impl Strategy<Value = Vec<Line>> {
        let cells = (6u32..20, 1u32..3).prop_map(|(h, m)| Line::Shift(h, m));
        prop::collection::vec(prop_oneof![4 => cells, 1 => noise()], 0..5)
    }

    /// The CSV text of `lines` under header `k` of [`VOLUNTEER_HEADERS`],
    /// or of the shifts file.
    fn csv_body(lines: &[Line], k: usize) -> String {
        let mut out = String::new();
        for (i, line) in lines.iter().enumerate() {
            let row = match line {
                Line::Volunteer(c) => match k {
                    0 => format!("V{i},{},{},{},{},", c[0], c[1], c[2], c[3]),
                    1 => format!("V{i},{},{}", c[1], c[2]),
                    _ => format!("V{i},{},{},{}", c[4], c[5], c[6]),
                },
                Line::Shift(h, m) => format!(
                    "S{i},A,2026-02-04T{h:02}:00,2026-02-04T{:02}:00,{m},{},,",
                    h + 3,
                    m + 1
                ),
                Line::Noise(t) => t.clone(),
            };
            out.push_str(&row);
            out.push('\n');
        }
        out
    }

    const VOLUNTEER_HEADERS: [&str; 3] = [
        "id,skills,languages,available,max_shifts,home",
        "id,languages,available",
        "id,prefer_venues,group,min_rest_minutes",
    ];

    /// Lines of well-formed cells mixed with arbitrary text never panic the
    /// import; what imports and validates also explains and exports (HTML,
    /// iCal, CSV) without panicking, with one calendar per volunteer on the
    /// roster. The cases run from a fixed seed and are counted, so the test
    /// fails if too few get past the import and validation (the export
    /// path would go untested).
    #[test]
    fn import_explain_export_never_panic() {
        use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
        use std::sync::atomic::{AtomicUsize, Ordering};
        const CASES: u32 = 96;
        let strategy = (volunteer_lines(), shift_lines(), 0usize..3);
        let (imported, exported) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let mut runner = TestRunner::new_with_rng(
            Config::with_cases(CASES),
            TestRng::deterministic_rng(RngAlgorithm::ChaCha),
        );
        let result = runner.run(&strategy, |(vols, shifts, k)| {
            let v = text(
                "v.csv",
                &format!("{}\n{}", VOLUNTEER_HEADERS[k], csv_body(&vols, k)),
            );
            let s = text(
                "s.csv",
                &format!(
                    "id,venue,start,end,min,max,quotas,requires\nS,A,2026-02-04T08:00,2026-02-04T12:00,1,2,,\n{}",
                    csv_body(&shifts, 0)
                ),
            );
            let Ok(sc) = import(Some(&v), Some(&s), None, None, None, "p") else {
                return Ok(());
            };
            imported.fetch_add(1, Ordering::Relaxed);
            if vroster::validate::has_errors(&vroster::validate::validate_scenario(&sc)) {
                return Ok(());
            }
            // Everyone on the always-present shift S, whether eligible or not:
            // exports show a roster as it is.
            let pairs: Vec<(&str, &str)> =
                sc.volunteers.iter().map(|v| ("S", v.id.as_str())).collect();
            let r = roster(&pairs);
            let e = explain(&sc, &r, None).expect("valid scenario explains");
            let view = View::new(&sc, &r).expect("view");
            html_tags(&export::html::report(&view, &e, None));
            let calendars = export::ical::files(&view, "20260101T000000Z");
            prop_assert_eq!(calendars.len(), sc.volunteers.len());
            for (name, bytes) in &calendars {
                prop_assert!(name.ends_with(".ics"), "{}", name);
                prop_assert!(bytes.starts_with(b"BEGIN:VCALENDAR"), "{}", name);
            }
            export::csv::roster_files(&view).expect("csv");
            exported.fetch_add(1, Ordering::Relaxed);
            Ok(())
        });
        if let Err(e) = result {
            panic!("{e}");
        }
        let (imported, exported) = (imported.into_inner(), exported.into_inner());
        eprintln!("{CASES} cases: {imported} imported, {exported} validated and exported");
        assert!(
            exported >= CASES as usize / 4,
            "only {exported} of {CASES} cases got past validation ({imported} imported)"
        );
        assert!(
            imported < CASES as usize,
            "every case imported: the arbitrary text never reached the importer's errors"
        );
    }

    #[test]
    fn bad_rules_file_is_an_error_not_a_panic() {
        let tmp = tempfile::tempdir().expect("tmp");
        let (v, s, r) = (
            tmp.path().join("v.csv"),
            tmp.path().join("s.csv"),
            tmp.path().join("rules.json"),
        );
        write(&v, "id\nA\n");
        write(&s, "id,venue,start,end,min,max\n");
        write(&r, "{\"rules\": {\"max_shift\": 3}}");
        let paths = CsvPaths {
            volunteers: Some(&v),
            shifts: Some(&s),
            rules: Some(&r),
            ..Default::default()
        };
        let err = import_files(&paths, "x").expect_err("unknown field");
        assert!(err.to_string().contains("max_shift"), "{err}");
        let missing = tmp.path().join("nope.csv");
        let paths = CsvPaths {
            volunteers: Some(&missing),
            shifts: Some(&s),
            ..Default::default()
        };
        assert!(matches!(
            import_files(&paths, "x"),
            Err(ImportError::Io { .. })
        ));
    }
}

#[test]
fn explain_quota_beyond_max_asks_for_a_higher_max() {
    let mut sc = scenario(
        json!({}),
        json!([]),
        json!([{"id": "P", "skills": ["first_aid"]}, {"id": "Q", "skills": ["first_aid"]}]),
    );
    sc.shifts[0].max = 1;
    sc.shifts[0].quotas = vec![vroster::scenario::Quota {
        skill: Some("first_aid".into()),
        at_least: 2,
        ..Default::default()
    }];
    let e = explain(&sc, &roster(&[("S", "P")]), None).expect("explain");
    assert_eq!(e.items.len(), 1);
    let fix = e.items[0].relaxation.as_ref().expect("fix");
    assert_eq!(fix.change, Change::RaiseMax { from: 1, to: 2 });
    assert_eq!(fix.volunteers, vec!["Q".to_string()]);
}

#[test]
fn documented_example_files_import() {
    let f = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/planner");
    let (v, s, si, l, r) = (
        f.join("volunteers.csv"),
        f.join("shifts.csv"),
        f.join("sites.csv"),
        f.join("links.csv"),
        f.join("rules.json"),
    );
    let paths = CsvPaths {
        volunteers: Some(&v),
        shifts: Some(&s),
        sites: Some(&si),
        links: Some(&l),
        rules: Some(&r),
    };
    let sc = import_files(&paths, "example").expect("import");
    assert!(!vroster::validate::has_errors(
        &vroster::validate::validate_scenario(&sc)
    ));
    assert_eq!(sc.rules.min_rest_minutes, 600);
    assert_eq!(sc.rules.max_consecutive_days, 6, "default kept");
    assert_eq!(sc.weights.travel_minute, 0.2);
    assert_eq!(
        sc.sites[0].name.as_deref(),
        Some("National Stadium, \"Bird's Nest\"")
    );
    let v3 = &sc.volunteers[2];
    assert_eq!(v3.skills, vec!["accreditation:NST", "driving"]);
    assert_eq!(v3.languages.get("fr"), Some(&2));
    assert_eq!(v3.available.as_ref().map(Vec::len), Some(2));
    assert_eq!(v3.max_shifts, Some(3));
    let q = &sc.shifts[0].quotas;
    assert_eq!(q.len(), 2);
    assert_eq!(q[1].language.as_deref(), Some("en"));
    assert_eq!((q[1].level, q[1].at_least), (Some(3), 1));
    assert_eq!(sc.shifts[1].priority, 1.0);
    assert_eq!(sc.shifts[1].requires, vec!["accreditation:NST", "driving"]);
}

/// Explain names an exclusion as the reason a volunteer is off a shift
/// (never relaxed), a pinned shift as what blocks another, and the pinned
/// assignees as what fills the shift.
#[test]
fn explain_names_exclusions_and_pins() {
    let mut sc = scenario(
        json!({}),
        json!([shift("T", "2026-02-04T09:00", "2026-02-04T10:00")]),
        json!([{"id": "P", "excluded": ["S"]}, {"id": "Q", "pinned": ["T"]}]),
    );
    sc.shifts[0].min = 2;
    let it = explain_s(&sc, &roster(&[("T", "Q")]));
    let reasons: Vec<Reason> = it.reasons.iter().map(|r| r.reason).collect();
    assert_eq!(reasons, vec![Reason::Excluded, Reason::Overlapping]);
    assert_eq!(it.reasons[1].details, vec![("T (pinned)".to_string(), 1)]);
    let e = explain(&sc, &roster(&[("T", "Q")]), Some("S")).expect("explain");
    assert!(e.text().contains("are excluded from this shift (rule 8"));
    // The pinned assignee of a short shift is named as what fills it.
    sc.shifts[1].min = 3;
    let e = explain(&sc, &roster(&[("T", "Q")]), Some("T")).expect("explain");
    assert_eq!(e.items[0].pinned, vec!["Q".to_string()]);
    assert!(e.text().contains("pinned (rule 8) on the shift: Q"));
}
