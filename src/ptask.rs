//! The OR-Library shift minimisation personnel task scheduling instances
//! (PTSP/SMPTSP "ptask") as scenarios.
//!
//! Format (whitespace separated, `#` comment lines): `Type = 1`,
//! `Jobs = n` then n lines `start end` (minutes 0..1440, half-open
//! `[start, end)`), `Qualifications = m` then m lines `k: j1 … jk` (0-based
//! tasks worker i may do).
//!
//! Mapping: one shift per task (min = max = 1) at one site, requiring the
//! skill `task:j`; one volunteer per worker holding `task:j` for every task
//! it may do. Rest 0 and no links make rule 4 read `b.start >= a.end`,
//! which is exactly "half-open intervals do not overlap"; the daily cap,
//! shift count and consecutive days are lifted. Weights: `uncovered` 1e6,
//! `volunteer_used` 1, every other 0 — so once every task is covered the
//! objective is the number of workers used.

use crate::scenario::{Rules, Scenario, Shift, Site, Volunteer, Weights, SCENARIO_FORMAT};
use crate::time::format_time;
use std::io::Read;
use std::path::Path;
use thiserror::Error;

/// A malformed instance file, with the line at fault.
#[derive(Debug, Error)]
#[error("line {line}: {message}")]
pub struct PtaskError {
    /// Line of the instance file at fault (1-based; 0 when no single line is).
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

/// A parsed instance.
#[derive(Clone, Debug, PartialEq)]
pub struct Instance {
    /// Tasks as `(start, end)` in minutes 0..1440, half-open.
    pub tasks: Vec<(i64, i64)>,
    /// Per worker, the (0-based) tasks it may do.
    pub workers: Vec<Vec<usize>>,
}

fn err(line: usize, message: impl Into<String>) -> PtaskError {
    PtaskError {
        line,
        message: message.into(),
    }
}

/// Whether `path` names an instance file: `.dat`, or `.dat.gz` (gzip, as
/// the instances bundled under `benches/smptsp/ptask/` are).
pub fn is_instance_path(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase());
    name.is_some_and(|n| n.ends_with(".dat") || n.ends_with(".dat.gz"))
}

/// The name of an instance or scenario file without its extension, and
/// without `.gz` first: `data_1_23_40_66.dat.gz` → `data_1_23_40_66`.
pub fn instance_name(path: &Path) -> String {
    let plain = match path.extension() {
        Some(e) if e.eq_ignore_ascii_case("gz") => path.with_extension(""),
        _ => path.to_path_buf(),
    };
    plain
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads the text of an instance file, decompressing it when its name
/// ends in `.gz`.
pub fn read_text(path: &Path) -> std::io::Result<String> {
    let bytes = std::fs::read(path)?;
    let gz = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    if !gz {
        return String::from_utf8(bytes).map_err(std::io::Error::other);
    }
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes.as_slice()).read_to_string(&mut text)?;
    Ok(text)
}

/// Numbered non-empty, non-comment lines of an instance, trimmed.
type Lines<'a> = std::vec::IntoIter<(usize, &'a str)>;

/// Parses the text of one `.dat` file.
pub fn parse(text: &str) -> Result<Instance, PtaskError> {
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let mut it = lines.into_iter();
    let kind = header(&mut it, "Type")?;
    if kind != 1 {
        return Err(err(
            0,
            format!("Type = {kind}: only type 1 (minimise workers) is supported"),
        ));
    }
    let n = header(&mut it, "Jobs")?;
    let tasks = parse_tasks(&mut it, n)?;
    let workers = parse_workers(&mut it, n)?;
    Ok(Instance { tasks, workers })
}

/// The next line as `key = count`.
fn header(it: &mut Lines, key: &str) -> Result<usize, PtaskError> {
    let (n, l) = it
        .next()
        .ok_or_else(|| err(0, format!("missing '{key} = …'")))?;
    let (k, v) = l
        .split_once('=')
        .ok_or_else(|| err(n, format!("expected '{key} = …'")))?;
    if k.trim() != key {
        return Err(err(n, format!("expected '{key} = …', found '{l}'")));
    }
    v.trim()
        .parse()
        .map_err(|_| err(n, format!("'{}' is not a count", v.trim())))
}

/// `n` task lines `start end` with `0 ≤ start < end`.
fn parse_tasks(it: &mut Lines, n: usize) -> Result<Vec<(i64, i64)>, PtaskError> {
    let mut tasks = Vec::with_capacity(n);
    for _ in 0..n {
        let (ln, l) = it
            .next()
            .ok_or_else(|| err(0, "fewer task lines than Jobs says"))?;
        let mut f = l.split_whitespace().map(|x| x.parse::<i64>());
        match (f.next(), f.next(), f.next()) {
            (Some(Ok(a)), Some(Ok(b)), None) if 0 <= a && a < b => tasks.push((a, b)),
            _ => {
                return Err(err(
                    ln,
                    format!("expected 'start end' with start < end, found '{l}'"),
                ))
            }
        }
    }
    Ok(tasks)
}

/// `Qualifications = m`, then `m` worker lines `k: j1 … jk` naming tasks
/// below `n`.
fn parse_workers(it: &mut Lines, n: usize) -> Result<Vec<Vec<usize>>, PtaskError> {
    let (qn, ql) = it
        .next()
        .ok_or_else(|| err(0, "missing 'Qualifications = …'"))?;
    let m: usize = ql
        .split_once('=')
        .filter(|(k, _)| k.trim() == "Qualifications")
        .and_then(|(_, v)| v.trim().parse().ok())
        .ok_or_else(|| err(qn, format!("expected 'Qualifications = m', found '{ql}'")))?;
    let mut workers = Vec::with_capacity(m);
    for _ in 0..m {
        let (ln, l) = it
            .next()
            .ok_or_else(|| err(0, "fewer worker lines than Qualifications says"))?;
        workers.push(parse_worker(ln, l, n)?);
    }
    Ok(workers)
}

/// One worker line `k: j1 … jk` (line number `ln`).
fn parse_worker(ln: usize, l: &str, n: usize) -> Result<Vec<usize>, PtaskError> {
    let (k, list) = l
        .split_once(':')
        .ok_or_else(|| err(ln, "expected 'k: j1 … jk'"))?;
    let k: usize = k
        .trim()
        .parse()
        .map_err(|_| err(ln, "bad count before ':'"))?;
    let mut js = Vec::with_capacity(k);
    for x in list.split_whitespace() {
        let j: usize = x
            .parse()
            .map_err(|_| err(ln, format!("'{x}' is not a task index")))?;
        if j >= n {
            return Err(err(ln, format!("task {j} out of range (Jobs = {n})")));
        }
        js.push(j);
    }
    if js.len() != k {
        return Err(err(ln, format!("says {k} tasks, lists {}", js.len())));
    }
    Ok(js)
}

/// The scenario for an instance (see the module comment for the mapping).
pub fn to_scenario(inst: &Instance, name: &str) -> Scenario {
    let base = crate::time::parse_time("2026-01-01T00:00").unwrap_or(0);
    let shifts = inst
        .tasks
        .iter()
        .enumerate()
        .map(|(j, &(a, b))| Shift {
            id: format!("T{j}"),
            venue: "W".into(),
            start: format_time(base + a),
            end: format_time(base + b),
            min: 1,
            max: 1,
            priority: 1.0,
            requires: vec![format!("task:{j}")],
            ..Default::default()
        })
        .collect();
    let volunteers = inst
        .workers
        .iter()
        .enumerate()
        .map(|(i, js)| Volunteer {
            id: format!("W{i}"),
            skills: js.iter().map(|j| format!("task:{j}")).collect(),
            ..Default::default()
        })
        .collect();
    let n = inst.tasks.len() as i64;
    Scenario {
        format: SCENARIO_FORMAT.into(),
        name: name.to_string(),
        rules: Rules {
            min_rest_minutes: 0,
            max_minutes_per_day: 1_000_000,
            max_consecutive_days: 1_000,
            min_shifts: 0,
            max_shifts: n.max(1),
        },
        weights: Weights {
            uncovered: 1e6,
            quota_shortfall: 0.0,
            under_commitment: 0.0,
            preference_miss: 0.0,
            travel_minute: 0.0,
            group_split: 0.0,
            change: 0.0,
            volunteer_used: 1.0,
            extra_load: 0.0,
        },
        sites: vec![Site {
            id: "W".into(),
            name: Some("workplace".into()),
            kind: None,
        }],
        links: Vec::new(),
        shifts,
        volunteers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINY: &str = "# comment\nType = 1\nJobs = 3\n 0 10\n 10 20\n 5 15\nQualifications = 2\n 2: 0 1\n 2: 1 2\n";

    #[test]
    fn parses_and_maps() {
        let inst = parse(TINY).unwrap();
        assert_eq!(inst.tasks, vec![(0, 10), (10, 20), (5, 15)]);
        assert_eq!(inst.workers, vec![vec![0, 1], vec![1, 2]]);
        let sc = to_scenario(&inst, "t");
        assert_eq!(sc.shifts[1].start, "2026-01-01T00:10");
        assert_eq!(sc.volunteers[1].skills, vec!["task:1", "task:2"]);
    }

    #[test]
    fn touching_tasks_do_not_overlap_and_overlapping_ones_do() {
        // W0 does tasks 0 and 1 ([0,10) then [10,20)): valid, 1 worker... and W1 task 2.
        let sc = to_scenario(&parse(TINY).unwrap(), "t");
        let mut r = crate::scenario::Roster::empty("t");
        r.assignments.insert("T0".into(), vec!["W0".into()]);
        r.assignments.insert("T1".into(), vec!["W0".into()]);
        r.assignments.insert("T2".into(), vec!["W1".into()]);
        let rep = crate::check::check_roster(&sc, &r).unwrap();
        assert!(rep.is_valid(), "{:?}", rep.violations);
        assert_eq!(rep.objective.total, 2.0);
        // W1 on [10,20) and [5,15) overlaps.
        let mut r = crate::scenario::Roster::empty("t");
        r.assignments.insert("T1".into(), vec!["W1".into()]);
        r.assignments.insert("T2".into(), vec!["W1".into()]);
        assert!(!crate::check::check_roster(&sc, &r).unwrap().is_valid());
    }

    #[test]
    fn bad_files_name_the_line() {
        let e = parse("Type = 1\nJobs = 1\n 5 3\nQualifications = 0\n").unwrap_err();
        assert_eq!(e.line, 3);
        let e = parse("Type = 1\nJobs = 1\n 1 3\nQualifications = 1\n 2: 0 7\n").unwrap_err();
        assert_eq!(e.line, 5);
    }
}
