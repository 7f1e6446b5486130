//! `vroster resolve`: repair a roster after last-minute changes.

use super::common::{invalid, load_scenario, progress_reporter, ProgressBarGuard};
use anyhow::Context;
use std::path::PathBuf;
use std::time::Instant;
use vroster::io::{write_atomic, write_json_atomic};
use vroster::solver::SolveContext;
use vroster::validate::{load_changes, load_roster};

/// Arguments of `vroster resolve`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file (volunteer-scenario/1) the previous roster was made for.
    pub scenario: PathBuf,
    /// The previous roster (volunteer-roster/1).
    #[arg(long)]
    pub roster: PathBuf,
    /// The changes (volunteer-changes/1).
    #[arg(long)]
    pub changes: PathBuf,
    /// Where to write the new roster (default: stdout).
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
    /// Stop the search after this many seconds.
    #[arg(long, default_value_t = 10.0)]
    pub time_limit: f64,
    /// Search workers.
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
    /// Random seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Search iterations per worker (default grows with the problem size).
    #[arg(long)]
    pub iterations: Option<u64>,
    /// No progress bar and no summary table.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Write the run summary (with the re-solve figures) as JSON.
    #[arg(long)]
    pub summary_json: Option<PathBuf>,
    /// Write who must be told what (volunteer, lost shifts, gained shifts) as CSV.
    #[arg(long)]
    pub notify: Option<PathBuf>,
    /// Add up to K ranked standby volunteers for every shift not yet started.
    #[arg(long, default_value_t = 0)]
    pub standby: usize,
    /// Write the scenario after the changes (the scenario of the next
    /// re-solve when changes come one after another).
    #[arg(long, value_name = "PATH")]
    pub scenario_out: Option<PathBuf>,
    /// Refuse scenarios that would need more memory than this (e.g. 6G,
    /// 500M; `none` for no limit) [default: 80% of physical memory].
    #[arg(long, value_name = "SIZE")]
    pub max_memory: Option<String>,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let t0 = Instant::now();
    // Ctrl-C from the start: a first one while loading still ends with the
    // constructed roster (only a second one aborts).
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    super::common::install_ctrlc(cancel.clone());
    let scenario = load_scenario(&args.scenario, args.quiet)?;
    let (prev, _) = load_roster(&args.roster, &scenario).map_err(|d| invalid(&args.roster, &d))?;
    let (changes, _) =
        load_changes(&args.changes, &scenario).map_err(|d| invalid(&args.changes, &d))?;
    let options = super::common::solve_options(
        args.seed,
        args.threads,
        t0,
        args.time_limit,
        args.iterations,
        args.max_memory.as_deref(),
    )?;
    let bar = ProgressBarGuard::new(args.quiet);
    let report = progress_reporter(&bar);
    let ctx = SolveContext {
        cancel,
        ..SolveContext::new(options, &report)
    };
    let pool = super::common::worker_pool(ctx.options.threads)?;
    let load_seconds = t0.elapsed().as_secs_f64();
    let out = pool
        .install(|| {
            vroster::repair::resolve(&scenario, &prev, &changes, &ctx, load_seconds, args.standby)
        })
        .map_err(|e| {
            let hint = match &e {
                vroster::repair::RepairError::Compile(c) => {
                    super::common::too_large(c, args.max_memory.as_deref(), ctx.options.threads)
                }
                _ => None,
            };
            hint.unwrap_or_else(|| anyhow::Error::new(e).context("cannot re-solve"))
        })?;
    bar.finish();
    write_outputs(&args, &out)?;
    if !args.quiet {
        print_summary(&out);
    }
    // The process ends here: freeing the scenarios and rosters one string
    // at a time took 4 % of a games re-solve, and the system frees them
    // at once.
    std::mem::forget((scenario, prev, changes, out));
    Ok(0)
}

/// The roster, scenario, notification list and summary files asked for.
fn write_outputs(args: &Args, out: &vroster::repair::RepairOutcome) -> anyhow::Result<()> {
    match &args.output {
        Some(path) => write_json_atomic(path, &out.roster)
            .with_context(|| format!("cannot write roster {}", path.display()))?,
        None => println!("{}", serde_json::to_string_pretty(&out.roster)?),
    }
    if let Some(path) = &args.scenario_out {
        write_json_atomic(path, &out.applied.scenario)
            .with_context(|| format!("cannot write scenario {}", path.display()))?;
    }
    if let Some(path) = &args.notify {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["volunteer", "lost", "gained"])?;
        for n in &out.notices {
            w.write_record([n.volunteer.as_str(), &n.lost.join(";"), &n.gained.join(";")])?;
        }
        let bytes = w
            .into_inner()
            .context("cannot build the notification list")?;
        write_atomic(path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = &args.summary_json {
        let value = serde_json::json!({ "run": out.summary, "repair": out.repair });
        let mut bytes = serde_json::to_vec_pretty(&value)?;
        bytes.push(b'\n');
        write_atomic(path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// The run summary and the re-solve's own lines, on stderr.
fn print_summary(out: &vroster::repair::RepairOutcome) {
    let r = &out.repair;
    eprint!("{}", out.summary.table());
    eprintln!(
        "re-solve        {} forced removals, {} changes, {} volunteers to notify, {} frozen shifts",
        r.forced_removals, r.changes, r.volunteers_affected, r.frozen_shifts
    );
    eprintln!(
        "coverage        before {:.2}% ({} heads) -> after {:.2}% ({} heads)",
        100.0 * r.coverage_before,
        r.min_demand_covered_before,
        100.0 * r.coverage_after,
        r.min_demand_covered_after
    );
}
