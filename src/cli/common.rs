//! Helpers shared by the commands: loading with diagnostics, progress bars,
//! Ctrl-C.

use indicatif::{ProgressBar, ProgressStyle};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use vroster::scenario::Scenario;
use vroster::solver::Progress;

/// Loads and validates a scenario file. Warnings go to stderr (unless
/// quiet); any error fails with every diagnostic listed, one per line.
pub fn load_scenario(path: &Path, quiet: bool) -> anyhow::Result<Scenario> {
    match vroster::validate::load_scenario(path) {
        Ok((scenario, warnings)) => {
            if !quiet {
                for w in &warnings {
                    eprintln!("{}: {w}", path.display());
                }
            }
            Ok(scenario)
        }
        Err(diagnostics) => Err(invalid(path, &diagnostics)),
    }
}

/// An error listing every diagnostic of an invalid input file.
pub fn invalid(path: &Path, diagnostics: &[vroster::validate::Diagnostic]) -> anyhow::Error {
    let (errors, _) = vroster::validate::count(diagnostics);
    let lines: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {d}", path.display()))
        .collect();
    anyhow::anyhow!(
        "{} is not valid ({errors} error{}):\n{}",
        path.display(),
        if errors == 1 { "" } else { "s" },
        lines.join("\n")
    )
}

/// A progress bar on stderr (hidden when quiet).
pub struct ProgressBarGuard {
    bar: ProgressBar,
}

impl ProgressBarGuard {
    pub fn new(quiet: bool) -> Self {
        let bar = if quiet {
            ProgressBar::hidden()
        } else {
            let b = ProgressBar::new(1000);
            b.set_style(
                ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            b
        };
        ProgressBarGuard { bar }
    }
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// A progress callback that updates the bar with phase, objective and coverage.
pub fn progress_reporter(guard: &ProgressBarGuard) -> impl Fn(&Progress) + Sync + '_ {
    let last = Mutex::new(());
    move |p: &Progress| {
        let _l = last.lock();
        guard.bar.set_position((p.fraction * 1000.0) as u64);
        guard.bar.set_message(format!(
            "{:<9} objective {:.1}  coverage {:.2}%",
            p.phase,
            p.objective,
            100.0 * p.coverage
        ));
    }
}

static CANCEL: OnceLock<Mutex<Option<Arc<AtomicBool>>>> = OnceLock::new();

/// Ctrl-C sets `flag` (the run then writes its best roster); a second Ctrl-C exits.
pub fn install_ctrlc(flag: Arc<AtomicBool>) {
    let slot = CANCEL.get_or_init(|| Mutex::new(None));
    if let Ok(mut s) = slot.lock() {
        let first = s.is_none();
        *s = Some(flag);
        if first {
            let _ = ctrlc::set_handler(|| {
                if let Some(slot) = CANCEL.get() {
                    if let Ok(s) = slot.lock() {
                        if let Some(f) = s.as_ref() {
                            if f.swap(true, Ordering::SeqCst) {
                                std::process::exit(130);
                            }
                            eprintln!("\ninterrupted: finishing with the best roster so far (Ctrl-C again to abort)");
                        }
                    }
                }
            });
        }
    }
}

/// Search options from the shared `--seed/--threads/--time-limit/--iterations/--max-memory`
/// flags; the deadline counts from `t0`, the start of the command.
pub fn solve_options(
    seed: u64,
    threads: usize,
    t0: std::time::Instant,
    time_limit: f64,
    iterations: Option<u64>,
    max_memory: Option<&str>,
) -> anyhow::Result<vroster::solver::SolveOptions> {
    if !time_limit.is_finite() || time_limit <= 0.0 || time_limit > 1e9 {
        anyhow::bail!("--time-limit must be a positive number of seconds");
    }
    let threads = threads.max(1);
    let max_pairs = memory_limit(max_memory)?.map(|limit| {
        let in_use = vroster::limits::resident_bytes().unwrap_or(0);
        vroster::limits::max_pairs(limit, in_use, threads)
    });
    Ok(vroster::solver::SolveOptions {
        seed,
        threads,
        deadline: Some(t0 + std::time::Duration::from_secs_f64(time_limit)),
        iterations,
        max_pairs,
        ..vroster::solver::SolveOptions::default()
    })
}

/// The `--max-memory` limit in bytes: the flag's size, `none` for no limit,
/// or by default 80% of physical memory.
pub fn memory_limit(flag: Option<&str>) -> anyhow::Result<Option<u64>> {
    match flag {
        Some(t) if t.eq_ignore_ascii_case("none") => Ok(None),
        Some(t) => Ok(Some(
            vroster::limits::parse_size(t).map_err(|e| anyhow::anyhow!("--max-memory: {e}"))?,
        )),
        None => Ok(vroster::limits::default_memory_limit()),
    }
}

/// Help for a scenario over the memory limit: what it would need and what to do.
pub fn too_large(
    e: &vroster::problem::CompileError,
    max_memory: Option<&str>,
    threads: usize,
) -> Option<anyhow::Error> {
    use vroster::summary::human_bytes;
    let vroster::problem::CompileError::TooLarge { pairs, .. } = e else {
        return None;
    };
    let limit = memory_limit(max_memory).ok().flatten().unwrap_or(0);
    let in_use = vroster::limits::resident_bytes().unwrap_or(0);
    Some(anyhow::anyhow!(
        "{e}: with {threads} thread(s) the pairs need about {} on top of the {} already in use \
         (the loaded scenario), over --max-memory {} ({}). \
         Raise --max-memory, use fewer --threads, or split the scenario (by venue or day)",
        human_bytes(vroster::limits::bytes_for_pairs(*pairs as u64, threads)),
        human_bytes(in_use),
        human_bytes(limit),
        if max_memory.is_some() {
            "given"
        } else {
            "default: 80% of physical memory"
        }
    ))
}

/// A rayon pool of exactly `threads` workers (results depend on the count).
pub fn worker_pool(threads: usize) -> anyhow::Result<rayon::ThreadPool> {
    use anyhow::Context;
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start worker threads")
}
