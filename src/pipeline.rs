//! The whole `solve` job as a library call: compile, bound, construct,
//! search, report. The CLI and the bench command both use it.

use crate::problem::{CompileError, CompileOptions, Problem};
use crate::report::{gap, peak_memory_bytes, PhaseTime, RunSummary};
use crate::scenario::{Roster, Scenario};
use crate::solver::{self, SolveContext};
use std::time::Instant;

/// A finished run: the roster to write and its summary.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub roster: Roster,
    pub summary: RunSummary,
}

/// Phase timings collected along the way.
#[derive(Default)]
struct Phases(Vec<PhaseTime>);

impl Phases {
    fn done(&mut self, phase: &str, since: Instant) -> Instant {
        self.0.push(PhaseTime {
            phase: phase.to_string(),
            seconds: since.elapsed().as_secs_f64(),
        });
        Instant::now()
    }
}

/// A lower bound and the per-shift values that guide construction.
pub struct BoundInfo {
    pub bound: f64,
    pub shift_value: Vec<f64>,
    pub note: String,
}

/// Computes the lower bound of a compiled problem: the LP relaxation under
/// the default size budget, given up after `lp_seconds` in all (then the
/// fallback bound). The per-shift duals
/// are returned, but the solver does not use them: a capped LP would make
/// the roster depend on timing, and the roster must depend only on the
/// scenario, seed and thread count.
pub fn bound(p: &Problem, lp_seconds: f64) -> BoundInfo {
    let opts = crate::bound::BoundOptions {
        time_limit_seconds: lp_seconds,
        deadline: Some(Instant::now() + std::time::Duration::from_secs_f64(lp_seconds)),
        ..crate::bound::BoundOptions::default()
    };
    let r = crate::bound::bound_or_fallback(p, &opts);
    BoundInfo {
        bound: r.bound,
        shift_value: r.shift_dual,
        note: r.note,
    }
}

/// Time to keep after the search for checking and writing the roster, from
/// what loading and compiling took: the check reads every assignment once
/// more (measured: 4.0 s after 6.0 s of loading and compiling on the city
/// preset, 0.1 s after 1.3 s on games), writing is faster still.
pub fn reserve_after_search(prepare_seconds: f64) -> std::time::Duration {
    std::time::Duration::from_secs_f64(0.75 * prepare_seconds.max(0.0) + 0.3)
}

/// Solves `scenario` from scratch.
pub fn solve(
    scenario: &Scenario,
    ctx: &SolveContext,
    load_seconds: f64,
) -> Result<Outcome, CompileError> {
    let start = Instant::now();
    let mut phases = Phases::default();
    phases.0.push(PhaseTime {
        phase: "load".into(),
        seconds: load_seconds,
    });
    let problem = Problem::compile_with(
        scenario,
        &CompileOptions {
            max_pairs: ctx.options.max_pairs,
            ..CompileOptions::default()
        },
    )?;
    let t = phases.done("compile", start);
    let prepare_seconds = load_seconds + start.elapsed().as_secs_f64();
    let mut options = ctx.options.clone();
    if let Some(deadline) = options.deadline {
        let reserve = reserve_after_search(prepare_seconds);
        options.deadline = Some(deadline.checked_sub(reserve).unwrap_or(deadline));
    }
    // The LP (coarsening, then microlp, then clarabel) may use a quarter of
    // the time left, or up to half of it for its first two seconds (small
    // scenarios solve their LP in about a second), 15 s at most (5 s
    // without a time limit); with under a second left it is skipped for
    // the bounds that need none.
    let left = options
        .deadline
        .map(|d| d.saturating_duration_since(Instant::now()).as_secs_f64());
    let b = match left {
        Some(l) if l < 1.0 => {
            let r = crate::bound::cheap_bound(&problem, "LP skipped: under a second left");
            BoundInfo {
                bound: r.bound,
                shift_value: r.shift_dual,
                note: r.note,
            }
        }
        _ => bound(
            &problem,
            left.map_or(5.0, |l| (0.25 * l).max((0.5 * l).min(2.0)).min(15.0)),
        ),
    };
    phases.done("bound", t);
    let guidance = None;
    let sub = SolveContext {
        options,
        cancel: ctx.cancel.clone(),
        progress: ctx.progress,
    };
    let sol = solver::solve(&problem, guidance, &sub);
    phases.0.push(PhaseTime {
        phase: "construct".into(),
        seconds: sol.construct_seconds,
    });
    phases.0.push(PhaseTime {
        phase: "search".into(),
        seconds: sol.search_seconds,
    });
    let roster = solver::to_roster(&problem, &sol.on, sol.objective, Some(b.bound));
    // The summary's figures come from the independent checker, so what the
    // tool prints is what anyone recomputing the roster would find.
    let t = Instant::now();
    let checked = crate::check::check_roster(scenario, &roster);
    let (coverage, checker_agrees) = match &checked {
        Ok(r) => (r.coverage.clone(), r.passes()),
        Err(_) => (crate::report::coverage_of(&problem, &sol.on), false),
    };
    phases.0.push(PhaseTime {
        phase: "check".into(),
        seconds: t.elapsed().as_secs_f64(),
    });
    let summary = RunSummary {
        scenario: scenario.name.clone(),
        volunteers: problem.n_volunteers(),
        shifts: problem.n_shifts(),
        eligible_pairs: problem.n_pairs(),
        seed: ctx.options.seed,
        threads: ctx.options.threads,
        objective: sol.objective,
        bound: Some(b.bound),
        gap: Some(gap(sol.objective.total, b.bound)),
        bound_note: b.note,
        coverage,
        fairness: crate::fairness::fairness(scenario, &roster),
        checker_agrees,
        iterations: sol.iterations,
        stopped_early: sol.stopped_early,
        phases: phases.0,
        total_seconds: load_seconds + start.elapsed().as_secs_f64(),
        peak_memory_bytes: peak_memory_bytes(),
    };
    Ok(Outcome { roster, summary })
}
