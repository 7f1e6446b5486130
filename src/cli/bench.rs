//! `vroster bench`: run scenarios (and SMPTSP `.dat` instances) with several
//! seeds, each run in its own process so that peak memory is per run, and
//! print one table.

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use vroster::summary::RunSummary;

/// Arguments of `vroster bench`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario files (`.json`) or SMPTSP instances (`.dat` or `.dat.gz`, imported on the fly).
    pub files: Vec<PathBuf>,
    /// A suite file listing runs (see benches/suite.json).
    #[arg(long)]
    pub suite: Option<PathBuf>,
    /// Time limit per run in seconds.
    #[arg(long, default_value_t = 60.0)]
    pub time_limit: f64,
    /// Threads per run.
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
    /// Seeds per file (1..=K).
    #[arg(long, default_value_t = 1)]
    pub seeds: u64,
    /// SMPTSP reference bounds (instance,set,lb,lb_time_s,ub,…) for a status column.
    #[arg(long)]
    pub smptsp_bounds: Option<PathBuf>,
    /// Write all runs as JSON.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Print the table as Markdown.
    #[arg(long)]
    pub markdown: bool,
    /// Runs at a time (each its own process; keep jobs × threads ≤ cores
    /// for timings that mean something).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=64))]
    pub jobs: u64,
}

/// One entry of a suite file.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct SuiteRun {
    scenario: PathBuf,
    #[serde(default)]
    time_limit: Option<f64>,
    #[serde(default)]
    threads: Option<usize>,
    #[serde(default)]
    seeds: Option<u64>,
    /// Shell-free command (argument list for `vroster`) that creates the scenario when missing.
    #[serde(default)]
    generate: Option<Vec<String>>,
}

/// One measured run.
#[derive(Serialize, Debug, Clone)]
struct RunRecord {
    file: String,
    seed: u64,
    threads: usize,
    volunteers: u64,
    shifts: u64,
    pairs: u64,
    phases: Vec<(String, f64)>,
    total_seconds: f64,
    peak_memory_mib: f64,
    objective: f64,
    bound: Option<f64>,
    gap: Option<f64>,
    coverage: f64,
    stopped_early: bool,
    checker_agrees: bool,
    workers_used: f64,
    reference: Option<(f64, f64)>,
    /// Empty when the file has no reference bounds.
    #[serde(serialize_with = "status_text")]
    status: Option<SmptspStatus>,
}

/// Where an SMPTSP run's workers stand against the reference bounds.
#[derive(Clone, Copy, Debug, PartialEq)]
enum SmptspStatus {
    /// Some task is uncovered: the worker count does not compare.
    TasksUncovered,
    /// At the lower bound.
    Optimal,
    /// The reference has no upper bound.
    NoUb,
    AtMostUb,
    WithinTwoPercentOfUb,
    /// More than 2 % over the upper bound, by this percentage.
    OverUb(f64),
}

impl SmptspStatus {
    /// The status of `workers` against `(lb, ub)` (`ub` NaN when unknown).
    fn of(coverage: f64, workers: f64, (lb, ub): (f64, f64)) -> SmptspStatus {
        if coverage < 1.0 {
            SmptspStatus::TasksUncovered
        } else if workers <= lb {
            SmptspStatus::Optimal
        } else if ub.is_nan() {
            SmptspStatus::NoUb
        } else if workers <= ub {
            SmptspStatus::AtMostUb
        } else if workers <= 1.02 * ub {
            SmptspStatus::WithinTwoPercentOfUb
        } else {
            SmptspStatus::OverUb(100.0 * (workers / ub - 1.0))
        }
    }
}

impl std::fmt::Display for SmptspStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SmptspStatus::TasksUncovered => f.write_str("tasks uncovered"),
            SmptspStatus::Optimal => f.write_str("optimal"),
            SmptspStatus::NoUb => f.write_str("no ub recorded"),
            SmptspStatus::AtMostUb => f.write_str("≤ ub"),
            SmptspStatus::WithinTwoPercentOfUb => f.write_str("≤ ub + 2%"),
            SmptspStatus::OverUb(pct) => write!(f, "+{pct:.1}% over ub"),
        }
    }
}

fn status_text<S: serde::Serializer>(
    status: &Option<SmptspStatus>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_str(&status.map(|x| x.to_string()).unwrap_or_default())
}

fn smptsp_bounds(path: &Path) -> anyhow::Result<HashMap<String, (f64, Option<f64>)>> {
    let mut r =
        csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut out = HashMap::new();
    for rec in r.records() {
        let rec = rec?;
        let name = rec.get(0).unwrap_or_default().to_string();
        let lb: f64 = rec.get(2).unwrap_or_default().parse().unwrap_or(0.0);
        let ub: Option<f64> = rec.get(4).and_then(|x| x.parse().ok());
        out.insert(name, (lb, ub));
    }
    Ok(out)
}

fn run_one(
    exe: &Path,
    file: &Path,
    seed: u64,
    threads: usize,
    time_limit: f64,
    dir: &Path,
) -> anyhow::Result<RunSummary> {
    let scenario = if vroster::ptask::is_instance_path(file) {
        let out = dir.join(format!("{}.json", vroster::ptask::instance_name(file)));
        let st = Command::new(exe)
            .arg("import")
            .arg("ptask")
            .arg(file)
            .arg("-o")
            .arg(&out)
            .output()?;
        if !st.status.success() {
            bail!(
                "import of {} failed: {}",
                file.display(),
                String::from_utf8_lossy(&st.stderr)
            );
        }
        out
    } else {
        file.to_path_buf()
    };
    let roster = dir.join("roster.json");
    let summary = dir.join("summary.json");
    let st = Command::new(exe)
        .arg("solve")
        .arg(&scenario)
        .arg("-o")
        .arg(&roster)
        .arg("--summary-json")
        .arg(&summary)
        .args([
            "--quiet",
            "--seed",
            &seed.to_string(),
            "--threads",
            &threads.to_string(),
        ])
        .args(["--time-limit", &time_limit.to_string()])
        .output()?;
    if !st.status.success() {
        bail!(
            "solve of {} failed: {}",
            file.display(),
            String::from_utf8_lossy(&st.stderr)
        );
    }
    let text = std::fs::read_to_string(&summary)?;
    parse_summary(&text).with_context(|| format!("run summary of {}", file.display()))
}

/// A child's `--summary-json` as the real type: a missing, renamed or
/// mistyped field is an error, never a 0 or NaN in the table.
fn parse_summary(text: &str) -> anyhow::Result<RunSummary> {
    serde_json::from_str(text).context("the run summary does not have the expected fields")
}

/// One planned run: scenario, time limit, threads, seeds.
type Planned = (PathBuf, f64, usize, u64);

pub fn run(args: Args) -> anyhow::Result<u8> {
    let exe = std::env::current_exe().context("cannot find the vroster executable")?;
    let plan = plan(&args, &exe)?;
    let bounds = match &args.smptsp_bounds {
        Some(p) => smptsp_bounds(p)?,
        None => HashMap::new(),
    };
    let dir = tempfile::tempdir()?;
    let runs: Vec<(&PathBuf, f64, usize, u64)> = plan
        .iter()
        .flat_map(|(file, limit, threads, seeds)| {
            (1..=*seeds).map(move |seed| (file, *limit, *threads, seed))
        })
        .collect();
    let results = run_all(&exe, &runs, args.jobs as usize, dir.path());
    let mut records = Vec::new();
    for ((file, _, threads, seed), summary) in runs.iter().zip(results) {
        records.push(record(file, *threads, *seed, &summary?, &bounds));
    }
    print!("{}", table(&records, args.markdown));
    if let Some(line) = status_counts(&records) {
        println!("\n{line}");
    }
    if let Some(path) = &args.json {
        let mut bytes = serde_json::to_vec_pretty(&records)?;
        bytes.push(b'\n');
        vroster::io::write_atomic(path, &bytes)?;
    }
    Ok(0)
}

/// The files of the command line, then the suite's runs (generating the
/// scenarios that are missing).
fn plan(args: &Args, exe: &Path) -> anyhow::Result<Vec<Planned>> {
    let mut plan: Vec<Planned> = args
        .files
        .iter()
        .map(|f| (f.clone(), args.time_limit, args.threads, args.seeds))
        .collect();
    if let Some(suite) = &args.suite {
        let runs: Vec<SuiteRun> = vroster::io::read_json(suite)?;
        for r in runs {
            if !r.scenario.exists() {
                generate_missing(exe, &r)?;
            }
            plan.push((
                r.scenario,
                r.time_limit.unwrap_or(args.time_limit),
                r.threads.unwrap_or(args.threads),
                r.seeds.unwrap_or(args.seeds),
            ));
        }
    }
    if plan.is_empty() {
        bail!("nothing to run: name scenario files or --suite");
    }
    Ok(plan)
}

/// Creates a suite run's missing scenario with its `generate` command.
fn generate_missing(exe: &Path, r: &SuiteRun) -> anyhow::Result<()> {
    let Some(cmd) = &r.generate else {
        bail!("{} does not exist", r.scenario.display());
    };
    if let Some(parent) = r.scenario.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let st = Command::new(exe).args(cmd).status()?;
    if !st.success() {
        bail!("could not generate {}", r.scenario.display());
    }
    Ok(())
}

/// The record of one run from its summary, with the SMPTSP status when
/// `bounds` has the file's instance.
fn record(
    file: &Path,
    threads: usize,
    seed: u64,
    v: &RunSummary,
    bounds: &HashMap<String, (f64, Option<f64>)>,
) -> RunRecord {
    let workers = v.objective.volunteer_used;
    let coverage = v.coverage.coverage;
    let reference = bounds
        .get(&vroster::ptask::instance_name(file))
        .map(|&(lb, ub)| (lb, ub.unwrap_or(f64::NAN)));
    RunRecord {
        file: file.display().to_string(),
        seed,
        threads,
        volunteers: v.volunteers as u64,
        shifts: v.shifts as u64,
        pairs: v.eligible_pairs as u64,
        phases: v
            .phases
            .iter()
            .map(|p| (p.phase.clone(), p.seconds))
            .collect(),
        total_seconds: v.total_seconds,
        peak_memory_mib: v.peak_memory_bytes.map_or(0.0, |b| b as f64) / 1048576.0,
        objective: v.objective.total,
        bound: v.bound,
        gap: v.gap,
        coverage,
        stopped_early: v.stopped_early,
        checker_agrees: v.checker_agrees,
        workers_used: workers,
        reference,
        status: reference.map(|r| SmptspStatus::of(coverage, workers, r)),
    }
}

/// Runs every `(file, time limit, threads, seed)` with `jobs` at a time,
/// each in its own directory; results in input order.
fn run_all(
    exe: &Path,
    runs: &[(&PathBuf, f64, usize, u64)],
    jobs: usize,
    dir: &Path,
) -> Vec<anyhow::Result<RunSummary>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<anyhow::Result<RunSummary>>>> =
        Mutex::new((0..runs.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(runs.len()).max(1) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(&(file, limit, threads, seed)) = runs.get(i) else {
                    break;
                };
                let sub = dir.join(format!("run{i}"));
                let r = std::fs::create_dir_all(&sub)
                    .map_err(anyhow::Error::from)
                    .and_then(|()| run_one(exe, file, seed, threads, limit, &sub));
                if let Ok(v) = &r {
                    eprintln!(
                        "{} seed {seed}: objective {:.1} in {:.1}s",
                        file.display(),
                        v.objective.total,
                        v.total_seconds
                    );
                }
                if let Ok(mut all) = results.lock() {
                    all[i] = Some(r);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(anyhow::anyhow!("run did not finish"))))
        .collect()
}

/// One line counting SMPTSP statuses (best run per file), if any.
fn status_counts(records: &[RunRecord]) -> Option<String> {
    let mut files: Vec<&str> = records
        .iter()
        .filter(|r| r.reference.is_some())
        .map(|r| r.file.as_str())
        .collect();
    files.dedup();
    if files.is_empty() {
        return None;
    }
    let (mut optimal, mut le_ub, mut within, mut over, mut uncovered, mut no_ub) =
        (0, 0, 0, 0, 0, 0);
    let mut excess = Vec::new();
    for f in &files {
        let best = records
            .iter()
            .filter(|r| r.file == *f)
            .min_by(|a, b| a.objective.total_cmp(&b.objective))?;
        match best.status {
            Some(SmptspStatus::Optimal) => optimal += 1,
            Some(SmptspStatus::AtMostUb) => le_ub += 1,
            Some(SmptspStatus::WithinTwoPercentOfUb) => within += 1,
            Some(SmptspStatus::TasksUncovered) => uncovered += 1,
            Some(SmptspStatus::NoUb) => no_ub += 1,
            Some(SmptspStatus::OverUb(_)) => over += 1,
            None => {}
        }
        if let Some((_, ub)) = best.reference {
            if ub.is_finite() && best.coverage >= 1.0 {
                excess.push(100.0 * (best.workers_used / ub - 1.0));
            }
        }
    }
    excess.sort_by(f64::total_cmp);
    let median = excess.get(excess.len() / 2).copied().unwrap_or(f64::NAN);
    let worst = excess.last().copied().unwrap_or(f64::NAN);
    Some(format!(
        "{} instances: {optimal} optimal (at lb), {le_ub} at or below ub, {within} within 2% of ub, \
         {over} more than 2% over ub, {uncovered} with tasks uncovered, {no_ub} without a recorded ub; \
         workers vs ub: median {median:+.1}%, worst {worst:+.1}%.",
        files.len()
    ))
}

/// The columns of the table; the SMPTSP ones when some run has a reference.
fn header(smptsp: bool) -> Vec<&'static str> {
    let mut head = vec![
        "file",
        "vols",
        "shifts",
        "pairs",
        "load+compile s",
        "bound s",
        "construct s",
        "search s",
        "total s",
        "peak MiB",
        "objective (min/med/max over seeds)",
        "bound",
        "gap",
        "coverage",
        "checker",
    ];
    if smptsp {
        head.extend(["workers", "lb", "ub", "status"]);
    }
    head
}

/// One row per file (its runs summed up), as text or Markdown.
fn table(records: &[RunRecord], markdown: bool) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let smptsp = records.iter().any(|r| r.reference.is_some());
    let head = header(smptsp);
    let sep = if markdown { " | " } else { "  " };
    if markdown {
        let _ = writeln!(out, "| {} |", head.join(" | "));
        let _ = writeln!(out, "|{}", " --- |".repeat(head.len()));
    } else {
        let _ = writeln!(out, "{}", head.join(sep));
    }
    let mut files: Vec<&str> = records.iter().map(|r| r.file.as_str()).collect();
    files.dedup();
    for f in files {
        let runs: Vec<&RunRecord> = records.iter().filter(|r| r.file == f).collect();
        let mut cells = file_cells(f, &runs);
        if smptsp {
            cells.extend(smptsp_cells(&runs));
        }
        if markdown {
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        } else {
            let _ = writeln!(out, "{}", cells.join(sep));
        }
    }
    out
}

/// The common cells of file `f` over its `runs` (at least one): sizes
/// from the first run, mean phase times, peak memory, the objective's
/// spread, the best gap, the worst coverage and the checker's verdict.
fn file_cells(f: &str, runs: &[&RunRecord]) -> Vec<String> {
    let mut objs: Vec<f64> = runs.iter().map(|r| r.objective).collect();
    objs.sort_by(|a, b| a.total_cmp(b));
    let r = runs[0];
    let ph = |names: &[&str]| -> f64 {
        let total: f64 = runs
            .iter()
            .map(|r| {
                r.phases
                    .iter()
                    .filter(|(n, _)| names.contains(&n.as_str()))
                    .map(|(_, s)| s)
                    .sum::<f64>()
            })
            .sum();
        total / runs.len() as f64
    };
    let mean_total = runs.iter().map(|r| r.total_seconds).sum::<f64>() / runs.len() as f64;
    let spread = if objs.len() > 1 {
        format!(
            "{:.1} / {:.1} / {:.1}",
            objs[0],
            objs[objs.len() / 2],
            objs[objs.len() - 1]
        )
    } else {
        format!("{:.1}", objs[0])
    };
    vec![
        Path::new(f)
            .file_name()
            .map(|x| x.to_string_lossy().into_owned())
            .unwrap_or_default(),
        r.volunteers.to_string(),
        r.shifts.to_string(),
        r.pairs.to_string(),
        format!("{:.2}", ph(&["load", "compile"])),
        format!("{:.2}", ph(&["bound"])),
        format!("{:.2}", ph(&["construct"])),
        format!("{:.2}", ph(&["search"])),
        format!("{mean_total:.2}"),
        format!(
            "{:.0}",
            runs.iter().map(|r| r.peak_memory_mib).fold(0.0, f64::max)
        ),
        spread,
        r.bound.map_or("-".into(), |b| format!("{b:.1}")),
        runs.iter()
            .filter_map(|r| r.gap)
            .fold(None, |m: Option<f64>, g| Some(m.map_or(g, |m| m.min(g))))
            .map_or("-".into(), |g| format!("{:.2}%", 100.0 * g)),
        format!(
            "{:.2}%",
            100.0 * runs.iter().map(|r| r.coverage).fold(1.0, f64::min)
        ),
        if runs.iter().all(|r| r.checker_agrees) {
            "agrees".into()
        } else {
            "DISAGREES".into()
        },
    ]
}

/// Workers, lb, ub and status of the best run (lowest objective).
fn smptsp_cells(runs: &[&RunRecord]) -> Vec<String> {
    let best = runs
        .iter()
        .min_by(|a, b| a.objective.total_cmp(&b.objective))
        .unwrap_or(&runs[0]);
    vec![
        format!("{:.0}", best.workers_used),
        best.reference.map_or("-".into(), |x| format!("{:.0}", x.0)),
        best.reference.map_or("-".into(), |x| {
            if x.1.is_nan() {
                "?".into()
            } else {
                format!("{:.0}", x.1)
            }
        }),
        best.status.map(|s| s.to_string()).unwrap_or_default(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use vroster::scenario::ObjectiveBreakdown;
    use vroster::summary::{Coverage, Fairness, PhaseTime};

    fn summary() -> RunSummary {
        RunSummary {
            scenario: "s".into(),
            volunteers: 7,
            shifts: 3,
            eligible_pairs: 11,
            seed: 1,
            threads: 2,
            objective: ObjectiveBreakdown {
                total: 12.5,
                volunteer_used: 4.0,
                ..ObjectiveBreakdown::default()
            },
            bound: Some(10.0),
            gap: Some(0.2),
            bound_note: String::new(),
            bound_groups: 0.0,
            unpriced: 0.0,
            construction: String::new(),
            coverage: Coverage {
                coverage: 0.75,
                ..Coverage::default()
            },
            fairness: Fairness::default(),
            checker_agrees: true,
            iterations: 100,
            stopped_early: false,
            phases: vec![PhaseTime {
                phase: "search".into(),
                seconds: 1.5,
            }],
            total_seconds: 2.0,
            peak_memory_bytes: Some(3 * 1048576),
        }
    }

    #[test]
    fn a_summary_reads_back_into_the_record() {
        let text = serde_json::to_string(&summary()).unwrap();
        let v = parse_summary(&text).unwrap();
        let r = record(Path::new("x.json"), 2, 1, &v, &HashMap::new());
        assert_eq!(r.objective, 12.5);
        assert_eq!(r.workers_used, 4.0);
        assert_eq!(r.coverage, 0.75);
        assert_eq!(r.peak_memory_mib, 3.0);
        assert_eq!(r.phases, vec![("search".to_string(), 1.5)]);
        assert_eq!((r.volunteers, r.shifts, r.pairs), (7, 3, 11));
        assert_eq!(r.status, None);
    }

    #[test]
    fn a_renamed_or_missing_field_is_an_error() {
        let text = serde_json::to_string(&summary()).unwrap();
        let renamed = text.replace("\"total_seconds\"", "\"total_secs\"");
        assert_ne!(renamed, text);
        assert!(parse_summary(&renamed).is_err());
        let inner = text.replace("\"volunteer_used\"", "\"workers\"");
        assert_ne!(inner, text);
        assert!(parse_summary(&inner).is_err());
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v.as_object_mut().unwrap().remove("coverage");
        assert!(parse_summary(&v.to_string()).is_err());
        let mistyped = text.replace("\"checker_agrees\":true", "\"checker_agrees\":\"yes\"");
        assert_ne!(mistyped, text);
        assert!(parse_summary(&mistyped).is_err());
    }

    #[test]
    fn smptsp_status_against_the_reference() {
        use SmptspStatus::*;
        assert_eq!(SmptspStatus::of(0.99, 5.0, (5.0, 6.0)), TasksUncovered);
        assert_eq!(SmptspStatus::of(1.0, 5.0, (5.0, 6.0)), Optimal);
        assert_eq!(SmptspStatus::of(1.0, 6.0, (5.0, f64::NAN)), NoUb);
        assert_eq!(SmptspStatus::of(1.0, 6.0, (5.0, 6.0)), AtMostUb);
        assert_eq!(
            SmptspStatus::of(1.0, 101.0, (5.0, 100.0)),
            WithinTwoPercentOfUb
        );
        let over = SmptspStatus::of(1.0, 110.0, (5.0, 100.0));
        assert!(matches!(over, OverUb(p) if (p - 10.0).abs() < 1e-9));
        assert_eq!(over.to_string(), "+10.0% over ub");
        assert_eq!(AtMostUb.to_string(), "≤ ub");
    }
}
