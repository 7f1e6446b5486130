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

/// The bound a run reports, and the prices that may steer construction.
pub struct BoundInfo {
    pub bound: f64,
    pub note: String,
    /// The relaxation's prices, when its ascent ran its whole budget (a
    /// cut ascent would make the roster depend on timing).
    pub prices: Option<crate::bound::schedule::Prices>,
}

/// Evaluations of the schedule relaxation by default: about 10^8 pair
/// visits in all, between 15 (the line search) and 100.
pub fn default_bound_evaluations(p: &Problem) -> usize {
    (100_000_000 / p.n_pairs().max(1)).clamp(15, 100)
}

/// Problems up to this many eligible pairs also get the pool LP.
pub const POOL_LP_MAX_PAIRS: usize = 30_000;
/// Wall-clock cap of that LP (it takes about a second on 11,000 pairs).
const POOL_LP_SECONDS: f64 = 3.0;

/// The bound of a compiled problem: the schedule-level relaxation (see
/// [`crate::bound::schedule`]) aiming at `upper` (a roster's total), cut at
/// `deadline` or on `stop`, and never below the bounds that need no
/// relaxation (fallback and peak staffing).
pub fn bound(
    p: &Problem,
    upper: Option<f64>,
    evaluations: usize,
    stop: std::sync::Arc<dyn Fn() -> bool + Send + Sync>,
) -> BoundInfo {
    use crate::bound::schedule::{schedule_bound, ScheduleOptions};
    let r = schedule_bound(
        p,
        &ScheduleOptions {
            evaluations,
            upper,
            stop: Some(stop.clone()),
        },
    );
    // Small problems also get the pool LP (exact classes fit its column
    // budget there, and on them its simplex optimum can beat the prices the
    // ascent finds); the higher bound is reported. Both are valid.
    let cheap = if p.n_pairs() <= POOL_LP_MAX_PAIRS && !stop() {
        let opts = crate::bound::BoundOptions {
            time_limit_seconds: POOL_LP_SECONDS,
            deadline: Some(Instant::now() + std::time::Duration::from_secs_f64(POOL_LP_SECONDS)),
            ..crate::bound::BoundOptions::default()
        };
        crate::bound::bound_or_fallback(p, &opts)
    } else {
        crate::bound::cheap_bound(p, "")
    };
    let how = if r.complete {
        format!("schedule relaxation, {} price evaluations", r.evaluations)
    } else {
        format!(
            "schedule relaxation, cut by the time limit after {} price evaluations",
            r.evaluations
        )
    };
    if cheap.bound > r.bound {
        return BoundInfo {
            bound: cheap.bound,
            note: format!(
                "{} (higher than the {how})",
                cheap.note.trim_end_matches(" ()")
            ),
            prices: None,
        };
    }
    BoundInfo {
        bound: r.bound,
        note: how,
        prices: r.complete.then_some(r.prices),
    }
}

/// Time to keep after the search for checking and writing the roster, from
/// what loading and compiling took: the check reads every assignment once
/// more (measured: 4.0 s after 6.0 s of loading and compiling on the city
/// preset, 0.1 s after 1.3 s on games), writing is faster still.
pub fn reserve_after_search(prepare_seconds: f64) -> std::time::Duration {
    std::time::Duration::from_secs_f64(0.75 * prepare_seconds.max(0.0) + 0.3)
}

/// The bound phase of a solve: the LP may use a quarter of the time left
/// (60 s at most), the relaxation aims at the first roster's total.
fn bound_phase(p: &Problem, upper: f64, ctx: &SolveContext) -> BoundInfo {
    let left = ctx
        .options
        .deadline
        .map(|d| d.saturating_duration_since(Instant::now()).as_secs_f64());
    let cut =
        left.map(|l| Instant::now() + std::time::Duration::from_secs_f64((0.25 * l).min(60.0)));
    let cancel = ctx.cancel.clone();
    let stop = std::sync::Arc::new(move || {
        cancel.load(std::sync::atomic::Ordering::Relaxed)
            || cut.is_some_and(|c| Instant::now() >= c)
    });
    bound(p, Some(upper), default_bound_evaluations(p), stop)
}

/// Each volunteer's cheapest schedule at `prices`, with the reduced costs.
fn priced(
    p: &Problem,
    prices: &crate::bound::schedule::Prices,
) -> solver::construct::PricedSchedules {
    let (schedules, _) = crate::bound::schedule::priced_schedules(p, prices);
    solver::construct::PricedSchedules {
        schedules,
        reduced_cost: (0..p.n_pairs())
            .map(|q| prices.reduced_cost(p, q))
            .collect(),
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
    let mut options = ctx.options.clone();
    if let Some(deadline) = options.deadline {
        let reserve = reserve_after_search(prepare_seconds);
        options.deadline = Some(deadline.checked_sub(reserve).unwrap_or(deadline));
    }
    let sub = SolveContext {
        options,
        cancel: ctx.cancel.clone(),
        progress: ctx.progress,
    };
    // A covering roster first, so a stop at any later moment still has it.
    let greedy = solver::first_roster(&problem, &sub);
    let t = phases.done("construct", t);
    let b = bound_phase(&problem, greedy.a.total(&problem), &sub);
    let t = phases.done("bound", t);
    let first = match &b.prices {
        Some(prices) if !sub.should_stop() => {
            let priced = priced(&problem, prices);
            solver::priced_roster(&problem, greedy, &priced, &sub)
        }
        _ => greedy,
    };
    phases.done("priced construction", t);
    let sol = solver::improve_roster(&problem, first, &sub);
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
        unpriced: sol.objective.group_split,
        construction: format!(
            "{}, total {:.3}",
            sol.construct_method, sol.construct_objective
        ),
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
