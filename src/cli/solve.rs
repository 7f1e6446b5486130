//! `vroster solve`: build a roster for a scenario.

use super::common::{load_scenario, progress_reporter, ProgressBarGuard};
use anyhow::Context;
use std::path::PathBuf;
use std::time::Instant;
use vroster::io::{write_atomic, write_json_atomic};
use vroster::solver::SolveContext;

/// Arguments of `vroster solve`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file (volunteer-scenario/1).
    pub scenario: PathBuf,
    /// Where to write the roster (default: print it to stdout).
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
    /// Stop the search after this many seconds (the best roster so far is written).
    #[arg(long, default_value_t = 60.0)]
    pub time_limit: f64,
    /// Search workers. With `--iterations` set and the time limit not
    /// reached, the roster depends on the seed and the thread count only.
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
    /// Random seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Search iterations per worker, each worker runs them all (default
    /// grows with the problem size); the workforce reduction, when
    /// `volunteer_used` is priced, gets a quarter of this per worker.
    #[arg(long)]
    pub iterations: Option<u64>,
    /// No progress bar and no summary table.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Write the run summary as JSON to this file.
    #[arg(long)]
    pub summary_json: Option<PathBuf>,
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
    let load_seconds = t0.elapsed().as_secs_f64();
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
    let outcome = pool
        .install(|| vroster::pipeline::solve(&scenario, &ctx, load_seconds))
        .map_err(|e| {
            super::common::too_large(&e, args.max_memory.as_deref(), ctx.options.threads)
                .unwrap_or_else(|| anyhow::Error::new(e).context("cannot compile the scenario"))
        })?;
    bar.finish();
    match &args.output {
        Some(path) => write_json_atomic(path, &outcome.roster)
            .with_context(|| format!("cannot write roster {}", path.display()))?,
        None => {
            let mut text = serde_json::to_string_pretty(&outcome.roster)?;
            text.push('\n');
            print!("{text}");
        }
    }
    if let Some(path) = &args.summary_json {
        let mut bytes = serde_json::to_vec_pretty(&outcome.summary)?;
        bytes.push(b'\n');
        write_atomic(path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if !args.quiet {
        eprint!("{}", outcome.summary.table());
        if let Some(hint) = longer_search_hint(&outcome.summary, args.time_limit) {
            eprintln!("{hint}");
        }
    }
    Ok(0)
}

/// Share of the time the default budget left unused from which the
/// summary suggests a longer search.
const UNUSED_SHARE_FOR_HINT: f64 = 0.5;

/// Share of the time the other phases leave that the suggested budget
/// would fill at the run's pace.
const HINT_FILL_SHARE: f64 = 0.5;

/// When the search spent its budget (not the clock) in under half the
/// time limit, a line saying so, with an `--iterations` that would fill
/// about half the time the other phases leave at this run's pace (a
/// longer search goes slower per iteration: on medium, 3 and 6 times the
/// default budget took 4.5 and 9 times as long).
fn longer_search_hint(summary: &vroster::summary::RunSummary, time_limit: f64) -> Option<String> {
    let per_worker = summary.iterations / summary.threads.max(1) as u64;
    let search: f64 = summary
        .phases
        .iter()
        .filter(|p| p.phase == "search")
        .map(|p| p.seconds)
        .sum();
    let unused = time_limit - summary.total_seconds;
    if summary.stopped_early || per_worker == 0 || search <= 0.0 {
        return None;
    }
    if unused < UNUSED_SHARE_FOR_HINT * time_limit {
        return None;
    }
    let others = summary.total_seconds - search;
    let factor = ((HINT_FILL_SHARE * (time_limit - others) / search).floor() as u64).clamp(2, 16);
    Some(format!(
        "hint            the search spent its budget at {:.0} s of the {time_limit:.0}-s limit; \
         `--iterations {}` ({factor}× this run's per worker) searches longer, which usually \
         finds a better roster",
        summary.total_seconds,
        factor * per_worker
    ))
}
