//! The Excel workbook (read back with calamine) and the service-hours
//! ledger, on a solved roster and on a re-solved one.

use calamine::{open_workbook_from_rs, Data, Range, Reader, Xlsx};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Cursor;
use std::path::Path;
use std::process::Command;
use vroster::export::{hours, xlsx, View};
use vroster::scenario::{Changes, Roster, Scenario};
use vroster::solver::{SolveContext, SolveOptions};
use vroster::time::parse_time;

fn small() -> Scenario {
    let path = format!("{}/scenarios/small.json", env!("CARGO_MANIFEST_DIR"));
    vroster::io::read_json(Path::new(&path)).expect("scenario")
}

fn options() -> SolveOptions {
    SolveOptions {
        seed: 3,
        threads: 1,
        iterations: Some(20_000),
        ..Default::default()
    }
}

fn solve(sc: &Scenario) -> Roster {
    let ctx = SolveContext::new(options(), &|_| {});
    vroster::pipeline::solve(sc, &ctx, 0.0)
        .expect("solves")
        .roster
}

/// A cell as a number (numbers and date-times).
fn num(range: &Range<Data>, row: usize, col: usize) -> f64 {
    match range.get((row, col)) {
        Some(Data::Float(f)) => *f,
        Some(Data::Int(i)) => *i as f64,
        Some(Data::DateTime(dt)) => dt.as_f64(),
        other => panic!("cell ({row}, {col}) is not a number: {other:?}"),
    }
}

fn text(range: &Range<Data>, row: usize, col: usize) -> String {
    match range.get((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        other => panic!("cell ({row}, {col}) is not text: {other:?}"),
    }
}

/// The format-page time of an Excel serial date-time (days since
/// 1899-12-30), to the minute.
fn time_of(serial: f64) -> String {
    vroster::time::format_time(((serial - 25_569.0) * 1440.0).round() as i64)
}

fn minutes(time_a: &str, time_b: &str) -> i64 {
    parse_time(time_b).expect("end") - parse_time(time_a).expect("start")
}

/// Row label → value column of the summary sheet.
fn summary(range: &Range<Data>) -> HashMap<String, f64> {
    (1..range.height())
        .filter_map(|r| match range.get((r, 1)) {
            Some(Data::Float(f)) => Some((text(range, r, 0), *f)),
            _ => None,
        })
        .collect()
}

fn check_summary(range: &Range<Data>, report: &vroster::check::RosterCheck) {
    let s = summary(range);
    assert_eq!(s["objective: total"], report.objective.total);
    for (name, v) in report.objective.terms() {
        assert_eq!(s[&format!("objective: {name}")], v, "term {name}");
    }
    assert_eq!(s["coverage"], report.coverage.coverage);
    let cov = &report.coverage;
    assert_eq!(s["minimum demand covered"], cov.min_demand_covered as f64);
    assert_eq!(s["quotas met"], cov.quotas_met as f64);
    assert_eq!(s["assignments"], cov.assignments as f64);
    assert_eq!(s["hard-rule violations"], 0.0);
}

/// Every venue sheet row: the shift's times, counts and crew as on the roster.
fn check_venue_sheets(wb: &mut Xlsx<Cursor<Vec<u8>>>, sc: &Scenario, roster: &Roster) {
    let view = View::new(sc, roster).expect("view");
    let venues = xlsx::venues(&view);
    let names = xlsx::sheet_names(&venues.iter().map(|v| v.1.clone()).collect::<Vec<_>>());
    let mut rows_seen = 0;
    for ((venue, _), name) in venues.iter().zip(&names) {
        let range = wb.worksheet_range(name).expect("venue sheet");
        assert_eq!(text(&range, 0, 11), "crew");
        let mut last_start = f64::MIN;
        for r in 1..range.height() {
            let id = text(&range, r, 3);
            let sh = sc.shifts.iter().find(|s| s.id == id).expect("known shift");
            assert_eq!(&sh.venue, venue);
            assert_eq!(time_of(num(&range, r, 1)), sh.start);
            assert_eq!(time_of(num(&range, r, 2)), sh.end);
            assert_eq!(
                time_of(num(&range, r, 0)),
                format!("{}T00:00", &sh.start[..10])
            );
            assert!(num(&range, r, 1) >= last_start, "rows by start");
            last_start = num(&range, r, 1);
            let crew: BTreeSet<String> = roster
                .assignments
                .get(&id)
                .map(|v| v.iter().cloned().collect())
                .unwrap_or_default();
            let listed: BTreeSet<String> = text(&range, r, 11)
                .split(", ")
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
            assert_eq!(listed, crew, "crew of {id}");
            assert_eq!(num(&range, r, 7), crew.len() as f64);
            assert_eq!(
                num(&range, r, 8),
                (sh.min - crew.len() as i64).max(0) as f64
            );
            rows_seen += 1;
        }
    }
    assert_eq!(rows_seen, sc.shifts.len());
}

/// The volunteers sheet: shifts and hours per volunteer from the roster.
fn check_volunteers_sheet(range: &Range<Data>, sc: &Scenario, roster: &Roster) {
    let mut served: HashMap<&str, (usize, i64)> = HashMap::new();
    for (sid, vols) in &roster.assignments {
        let sh = sc.shifts.iter().find(|s| &s.id == sid).expect("shift");
        for v in vols {
            let e = served.entry(v.as_str()).or_default();
            e.0 += 1;
            e.1 += minutes(&sh.start, &sh.end);
        }
    }
    assert_eq!(range.height(), sc.volunteers.len() + 1);
    for r in 1..range.height() {
        let id = text(range, r, 0);
        let (n, m) = served.get(id.as_str()).copied().unwrap_or_default();
        assert_eq!(num(range, r, 1), n as f64, "shifts of {id}");
        assert!(
            (num(range, r, 2) - m as f64 / 60.0).abs() < 1e-9,
            "hours of {id}"
        );
        assert_eq!(
            text(range, r, 6)
                .split(", ")
                .filter(|s| !s.is_empty())
                .count(),
            n
        );
    }
}

#[test]
fn workbook_reads_back_as_the_roster() {
    let sc = small();
    let roster = solve(&sc);
    let report = vroster::check::check_roster(&sc, &roster).expect("checks");
    assert!(report.passes());
    let view = View::new(&sc, &roster).expect("view");
    let bytes = xlsx::workbook(&view, Some(&report)).expect("workbook");
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("opens");
    let names = wb.sheet_names();
    assert_eq!(names.first().map(String::as_str), Some(xlsx::SUMMARY));
    assert_eq!(names.last().map(String::as_str), Some(xlsx::VOLUNTEERS));
    assert_eq!(names.len(), xlsx::venues(&view).len() + 2);
    let summary_range = wb.worksheet_range(xlsx::SUMMARY).expect("summary");
    check_summary(&summary_range, &report);
    // The fairness view, recounted from the roster by hand.
    let s = summary(&summary_range);
    let rules = &sc.rules;
    let mut worked: HashMap<&str, i64> = HashMap::new();
    for crew in roster.assignments.values() {
        for v in crew {
            *worked.entry(v.as_str()).or_default() += 1;
        }
    }
    let extras: Vec<i64> = sc
        .volunteers
        .iter()
        .map(|v| {
            let min = v.min_shifts.unwrap_or(rules.min_shifts);
            (worked.get(v.id.as_str()).copied().unwrap_or(0) - min).max(0)
        })
        .collect();
    let above = extras.iter().filter(|&&e| e > 0).count();
    assert_eq!(s["fairness: volunteers above commitment"], above as f64);
    assert_eq!(
        s["fairness: extra shifts in all"],
        extras.iter().sum::<i64>() as f64
    );
    assert_eq!(
        s["fairness: largest extra load (shifts)"],
        *extras.iter().max().unwrap_or(&0) as f64
    );
    // The solver's roster says how much of its group_split the bound
    // does not count; never more than the group_split itself.
    let unpriced = roster
        .unpriced
        .expect("a solved roster says what is unpriced");
    assert!((0.0..=report.objective.group_split).contains(&unpriced));
    assert_eq!(s["group_split beyond the bound"], unpriced);
    check_venue_sheets(&mut wb, &sc, &roster);
    let vols = wb.worksheet_range(xlsx::VOLUNTEERS).expect("volunteers");
    check_volunteers_sheet(&vols, &sc, &roster);
}

/// The ledger's totals agree with the roster: shifts served = assignments,
/// minutes = Σ shift durations over assignments, per role too.
fn assert_ledger_agrees(sc: &Scenario, roster: &Roster) -> (usize, i64) {
    let view = View::new(sc, roster).expect("view");
    let rows = hours::ledger(&view);
    let mut assignments = 0;
    let mut total = 0;
    let mut per_role: BTreeMap<String, i64> = BTreeMap::new();
    for (sid, vols) in &roster.assignments {
        let sh = sc.shifts.iter().find(|s| &s.id == sid).expect("shift");
        let m = minutes(&sh.start, &sh.end);
        assignments += vols.len();
        total += m * vols.len() as i64;
        *per_role
            .entry(sh.role.clone().unwrap_or_default())
            .or_default() += m * vols.len() as i64;
    }
    assert_eq!(hours::totals(&rows), (assignments, total));
    let mut ledger_roles: BTreeMap<String, i64> = BTreeMap::new();
    for r in &rows {
        assert_eq!(r.role_minutes.values().sum::<i64>(), r.minutes);
        assert_eq!(r.first_day.is_some(), r.shifts > 0);
        for (role, m) in &r.role_minutes {
            *ledger_roles.entry(role.clone()).or_default() += m;
        }
    }
    assert_eq!(ledger_roles, per_role);
    assert_eq!(rows.len(), sc.volunteers.len());
    (assignments, total)
}

/// Changes for the re-solve: the busiest volunteer drops out, a new
/// volunteer (a copy of them) and a new shift (a copy of one of theirs) arrive.
fn changes_for(sc: &Scenario, roster: &Roster) -> Changes {
    let mut count: HashMap<&str, usize> = HashMap::new();
    for vols in roster.assignments.values() {
        for v in vols {
            *count.entry(v.as_str()).or_default() += 1;
        }
    }
    let busiest = count
        .iter()
        .max_by_key(|(v, n)| (**n, *v))
        .expect("someone works")
        .0;
    let mut newcomer = sc
        .volunteers
        .iter()
        .find(|v| v.id == *busiest)
        .cloned()
        .expect("v");
    newcomer.id = "NEWCOMER".into();
    let first = sc
        .shifts
        .iter()
        .map(|s| s.start.clone())
        .min()
        .expect("shifts");
    let mut extra = sc.shifts[sc.shifts.len() - 1].clone();
    extra.id = "EXTRA-SHIFT".into();
    serde_json::from_value(serde_json::json!({
        "format": "volunteer-changes/1", "now": first,
        "dropouts": [{"volunteer": busiest, "from": first}],
        "new_volunteers": [newcomer], "new_shifts": [extra]
    }))
    .expect("changes")
}

fn csv_totals(path: &Path) -> (usize, i64) {
    let mut r = csv::Reader::from_path(path).expect("ledger csv");
    let headers = r.headers().expect("header").clone();
    assert_eq!(&headers[0], "volunteer");
    assert_eq!(&headers[3], "minutes");
    r.records()
        .map(|rec| rec.expect("row"))
        .fold((0, 0), |(n, m), rec| {
            let shifts: usize = rec[1].parse().expect("shifts");
            let minutes: i64 = rec[3].parse().expect("minutes");
            let hours: f64 = rec[2].parse().expect("hours");
            assert!((hours - minutes as f64 / 60.0).abs() <= 0.005);
            (n + shifts, m + minutes)
        })
}

#[test]
fn ledger_totals_agree_with_first_and_resolved_rosters() {
    let sc = small();
    let prev = solve(&sc);
    let first = assert_ledger_agrees(&sc, &prev);
    assert!(first.0 > 0);
    let changes = changes_for(&sc, &prev);
    let ctx = SolveContext::new(options(), &|_| {});
    let out = vroster::repair::resolve(&sc, &prev, &changes, &ctx, 0.0, 0).expect("re-solves");
    let applied = vroster::repair::apply_changes(&sc, &prev, &changes).expect("applies");
    let again = assert_ledger_agrees(&applied.scenario, &out.roster);

    // The CLI writes the same ledger for the re-solved roster (--prev, --changes).
    let dir = tempfile::tempdir().expect("tmp");
    let write = |name: &str, v: &dyn erased::Json| {
        let p = dir.path().join(name);
        std::fs::write(&p, v.json()).expect("write");
        p
    };
    let sc_path = write("sc.json", &sc);
    let prev_path = write("prev.json", &prev);
    let new_path = write("new.json", &out.roster);
    let ch_path = write("changes.json", &changes);
    let ledger = dir.path().join("hours.csv");
    let book = dir.path().join("roster.xlsx");
    let st = Command::new(env!("CARGO_BIN_EXE_vroster"))
        .arg("export")
        .args([&sc_path, &new_path])
        .arg("--prev")
        .arg(&prev_path)
        .arg("--changes")
        .arg(&ch_path)
        .arg("--hours")
        .arg(&ledger)
        .arg("--xlsx")
        .arg(&book)
        .output()
        .expect("runs");
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    assert_eq!(csv_totals(&ledger), again);
    let mut wb: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(std::fs::read(&book).expect("xlsx"))).expect("opens");
    let vols = wb.worksheet_range(xlsx::VOLUNTEERS).expect("volunteers");
    check_volunteers_sheet(&vols, &applied.scenario, &out.roster);
    assert!((1..vols.height()).any(|r| text(&vols, r, 0) == "NEWCOMER"));
}

/// Serialising the test inputs without naming each type.
mod erased {
    pub trait Json {
        fn json(&self) -> Vec<u8>;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> Vec<u8> {
            serde_json::to_vec(self).expect("json")
        }
    }
}

#[test]
fn export_refuses_a_roster_with_unknown_ids_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let sc_path = format!("{}/scenarios/tiny.json", env!("CARGO_MANIFEST_DIR"));
    let roster = dir.path().join("r.json");
    std::fs::write(
        &roster,
        r#"{"format": "volunteer-roster/1", "assignments": {"NO-SUCH-SHIFT": ["x"]}}"#,
    )
    .expect("write");
    let ledger = dir.path().join("hours.csv");
    let book = dir.path().join("roster.xlsx");
    let st = Command::new(env!("CARGO_BIN_EXE_vroster"))
        .arg("export")
        .arg(&sc_path)
        .arg(&roster)
        .arg("--hours")
        .arg(&ledger)
        .arg("--xlsx")
        .arg(&book)
        .output()
        .expect("runs");
    assert!(!st.status.success());
    assert!(String::from_utf8_lossy(&st.stderr).contains("NO-SUCH-SHIFT"));
    assert!(!ledger.exists() && !book.exists());
}
