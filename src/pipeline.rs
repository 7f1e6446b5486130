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
/// the default size budget, each LP solve capped at `lp_seconds` (or the
/// fallback bound when the LP cannot be solved in time). The per-shift duals
/// are returned, but the solver does not use them: a capped LP would make
/// the roster depend on timing, and the roster must depend only on the
/// scenario, seed and thread count.
pub fn bound(p: &Problem, lp_seconds: f64) -> BoundInfo {
    let opts = crate::bound::BoundOptions {
        time_limit_seconds: lp_seconds,
        ..crate::bound::BoundOptions::default()
    };
    let r = crate::bound::bound_or_fallback(p, &opts);
    BoundInfo {
        bound: r.bound,
        shift_value: r.shift_dual,
        note: r.note,
    }
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
    // microlp may use up to 10% of the time limit (10 s at most; 2 s when
    // there is no time limit) before clarabel takes over.
    let lp_seconds = ctx.options.deadline.map_or(2.0, |d| {
        (0.1 * d.saturating_duration_since(Instant::now()).as_secs_f64()).clamp(0.5, 10.0)
    });
    let b = bound(&problem, lp_seconds);
    phases.done("bound", t);
    let guidance = None;
    // Keep time after the search for writing the roster and checking it:
    // about three times what loading and compiling took (the check reads
    // every assignment once more), at least a second.
    let mut options = ctx.options.clone();
    if let Some(deadline) = options.deadline {
        let reserve = std::time::Duration::from_secs_f64((3.0 * prepare_seconds).max(1.0));
        options.deadline = Some(deadline.checked_sub(reserve).unwrap_or(deadline));
    }
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
        checker_agrees,
        iterations: sol.iterations,
        stopped_early: sol.stopped_early,
        phases: phases.0,
        total_seconds: load_seconds + start.elapsed().as_secs_f64(),
        peak_memory_bytes: peak_memory_bytes(),
    };
    Ok(Outcome { roster, summary })
}
