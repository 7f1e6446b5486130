//! `vroster bench`: run scenarios (and SMPTSP `.dat` instances) with several
//! seeds, each run in its own process so that peak memory is per run, and
//! print one table.

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

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
    status: String,
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
) -> anyhow::Result<serde_json::Value> {
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
    Ok(serde_json::from_str(&text)?)
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let exe = std::env::current_exe().context("cannot find the vroster executable")?;
    let mut plan: Vec<(PathBuf, f64, usize, u64)> = args
        .files
        .iter()
        .map(|f| (f.clone(), args.time_limit, args.threads, args.seeds))
        .collect();
    if let Some(suite) = &args.suite {
        let runs: Vec<SuiteRun> = vroster::io::read_json(suite)?;
        for r in runs {
            if !r.scenario.exists() {
                match &r.generate {
                    Some(cmd) => {
                        if let Some(parent) = r.scenario.parent() {
                            std::fs::create_dir_all(parent)?;
                        }
                        let st = Command::new(&exe).args(cmd).status()?;
                        if !st.success() {
                            bail!("could not generate {}", r.scenario.display());
                        }
                    }
                    None => bail!("{} does not exist", r.scenario.display()),
                }
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
    for ((file, _, threads, seed), v) in runs.iter().zip(results) {
        let (file, threads, seed) = (*file, threads, *seed);
        let v = v?;
        {
            let num = |p: &str| v.pointer(p).and_then(|x| x.as_f64());
            let stem = vroster::ptask::instance_name(file);
            let objective = num("/objective/total").unwrap_or(f64::NAN);
            let workers = num("/objective/volunteer_used").unwrap_or(0.0);
            let coverage = num("/coverage/coverage").unwrap_or(0.0);
            let reference = bounds
                .get(&stem)
                .map(|&(lb, ub)| (lb, ub.unwrap_or(f64::NAN)));
            let status = match reference {
                None => String::new(),
                Some(_) if coverage < 1.0 => "tasks uncovered".into(),
                Some((lb, _)) if workers <= lb => "optimal".into(),
                Some((_, ub)) if ub.is_nan() => "no ub recorded".into(),
                Some((_, ub)) if workers <= ub => "≤ ub".into(),
                Some((_, ub)) if workers <= 1.02 * ub => "≤ ub + 2%".into(),
                Some((_, ub)) => format!("+{:.1}% over ub", 100.0 * (workers / ub - 1.0)),
            };
            let rec = RunRecord {
                file: file.display().to_string(),
                seed,
                threads: *threads,
                volunteers: num("/volunteers").unwrap_or(0.0) as u64,
                shifts: num("/shifts").unwrap_or(0.0) as u64,
                pairs: num("/eligible_pairs").unwrap_or(0.0) as u64,
                phases: v
                    .get("phases")
                    .and_then(|p| p.as_array())
                    .map(|a| {
                        a.iter()
                            .map(|x| {
                                (
                                    x["phase"].as_str().unwrap_or("").to_string(),
                                    x["seconds"].as_f64().unwrap_or(0.0),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                total_seconds: num("/total_seconds").unwrap_or(0.0),
                peak_memory_mib: num("/peak_memory_bytes").unwrap_or(0.0) / 1048576.0,
                objective,
                bound: num("/bound"),
                gap: num("/gap"),
                coverage,
                stopped_early: v["stopped_early"].as_bool().unwrap_or(false),
                checker_agrees: v["checker_agrees"].as_bool().unwrap_or(false),
                workers_used: workers,
                reference,
                status,
            };
            records.push(rec);
        }
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

/// Runs every `(file, time limit, threads, seed)` with `jobs` at a time,
/// each in its own directory; results in input order.
fn run_all(
    exe: &Path,
    runs: &[(&PathBuf, f64, usize, u64)],
    jobs: usize,
    dir: &Path,
) -> Vec<anyhow::Result<serde_json::Value>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<anyhow::Result<serde_json::Value>>>> =
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
                        v.pointer("/objective/total")
                            .and_then(|x| x.as_f64())
                            .unwrap_or(f64::NAN),
                        v.pointer("/total_seconds")
                            .and_then(|x| x.as_f64())
                            .unwrap_or(f64::NAN)
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
        match best.status.as_str() {
            "optimal" => optimal += 1,
            "≤ ub" => le_ub += 1,
            "≤ ub + 2%" => within += 1,
            "tasks uncovered" => uncovered += 1,
            "no ub recorded" => no_ub += 1,
            _ => over += 1,
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

fn table(records: &[RunRecord], markdown: bool) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let smptsp = records.iter().any(|r| r.reference.is_some());
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
        let avg = |g: &dyn Fn(&RunRecord) -> f64| {
            runs.iter().map(|r| g(r)).sum::<f64>() / runs.len() as f64
        };
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
        let mut cells = vec![
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
            format!("{:.2}", avg(&|r| r.total_seconds)),
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
        ];
        if smptsp {
            let best = runs
                .iter()
                .min_by(|a, b| a.objective.total_cmp(&b.objective))
                .unwrap_or(&r);
            cells.push(format!("{:.0}", best.workers_used));
            cells.push(best.reference.map_or("-".into(), |x| format!("{:.0}", x.0)));
            cells.push(best.reference.map_or("-".into(), |x| {
                if x.1.is_nan() {
                    "?".into()
                } else {
                    format!("{:.0}", x.1)
                }
            }));
            cells.push(best.status.clone());
        }
        if markdown {
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        } else {
            let _ = writeln!(out, "{}", cells.join(sep));
        }
    }
    out
}
