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
    /// The relaxation's prices with its DP data, when its ascent ran its
    /// whole budget (a cut ascent would make the roster depend on timing).
    pub prices: Option<(
        crate::bound::schedule::Prices,
        crate::bound::schedule::Pricing,
    )>,
}

/// Evaluations of the schedule relaxation by default: about 2·10^9 DP
/// states in all (a volunteer's DP has pairs × (longest schedule + 1)
/// states), between 3 and 100. Measured: medium gets 100 (0.55 s), games
/// about 35; the SMPTSP instances, whose workers have hundreds of pairs and
/// long schedules, a few dozen instead of seconds of a 60 s search.
pub fn default_bound_evaluations(p: &Problem) -> usize {
    let states: usize = (0..p.n_volunteers())
        .map(|v| {
            let pairs = p.vol_pairs(v).len();
            pairs * (pairs.min(p.volunteers[v].max_shifts as usize) + 1)
        })
        .sum();
    (2_000_000_000 / states.max(1)).clamp(3, 100)
}

/// Problems up to this many eligible pairs also get the pool LP.
pub const POOL_LP_MAX_PAIRS: usize = 30_000;
/// Wall-clock cap of that LP (it takes about a second on 11,000 pairs).
const POOL_LP_SECONDS: f64 = 3.0;

/// Whether [`bound`] may also run the pool LP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolLp {
    /// On problems of at most [`POOL_LP_MAX_PAIRS`] pairs that do not
    /// price volunteers (a solve).
    OnSmallProblems,
    /// Never (a re-solve, which cannot wait for it).
    Never,
}

/// The highest of the bounds beside the schedule relaxation, with its name:
/// the fallback bound, the peak-staffing bound (when volunteers are
/// priced) and, on small problems that do not price volunteers, the pool
/// LP (exact classes fit its column budget there, and its simplex optimum
/// can beat the prices the ascent finds). Where volunteers are priced (the
/// SMPTSP instances) the pool LP is skipped: there it ran into its time
/// cap and the peak-staffing bound was the one reported.
fn other_bound(p: &Problem, pool_lp: PoolLp, stop: &dyn Fn() -> bool) -> (f64, &'static str) {
    let cheap = crate::bound::fallback_bound(p);
    let mut best = (cheap, "fallback bound");
    if p.weights.volunteer_used > 0.0 {
        let peak = crate::bound::peak_bound(p);
        if peak > best.0 {
            best = (peak, "peak-staffing bound");
        }
    } else if pool_lp == PoolLp::OnSmallProblems && p.n_pairs() <= POOL_LP_MAX_PAIRS && !stop() {
        let opts = crate::bound::BoundOptions {
            time_limit_seconds: POOL_LP_SECONDS,
            deadline: Some(Instant::now() + std::time::Duration::from_secs_f64(POOL_LP_SECONDS)),
            ..crate::bound::BoundOptions::default()
        };
        // An LP that stops at its time cap simply gives no bound here.
        if let Ok(lp) = crate::bound::lower_bound(p, &opts) {
            if lp.bound > best.0 {
                best = (lp.bound, "pool LP");
            }
        }
    }
    best
}

/// The bound of a compiled problem: the schedule-level relaxation (see
/// [`crate::bound::schedule`]) aiming at `upper` (a roster's total), cut at
/// `deadline` or on `stop`, and never below the bounds that need no
/// relaxation (fallback and peak staffing).
pub fn bound(
    p: &Problem,
    upper: Option<f64>,
    evaluations: usize,
    pool_lp: PoolLp,
    stop: std::sync::Arc<dyn Fn() -> bool + Send + Sync>,
) -> BoundInfo {
    use crate::bound::schedule::{schedule_bound, ScheduleOptions};
    let r = schedule_bound(
        p,
        &ScheduleOptions {
            evaluations,
            upper,
            stop: Some(stop.clone()),
            start: None,
        },
    );
    let how = if r.complete {
        format!("schedule relaxation, {} price evaluations", r.evaluations)
    } else {
        format!(
            "schedule relaxation, cut by the time limit after {} price evaluations",
            r.evaluations
        )
    };
    let (other, label) = other_bound(p, pool_lp, &*stop);
    if other > r.bound {
        return BoundInfo {
            bound: other,
            note: format!("{label} (higher than the {how})"),
            prices: None,
        };
    }
    BoundInfo {
        bound: r.bound,
        note: how,
        prices: r.complete.then_some((r.prices, r.pricing)),
    }
}

/// Time to keep after the search for checking and writing the roster, from
/// what loading and compiling took: the check reads every assignment once
/// more (measured: 4.0 s after 6.0 s of loading and compiling on the city
/// preset, 0.1 s after 1.3 s on games), writing is faster still.
pub fn reserve_after_search(prepare_seconds: f64) -> std::time::Duration {
    std::time::Duration::from_secs_f64(0.75 * prepare_seconds.max(0.0) + 0.3)
}

/// Share of the time left that the bound may use (60 s at most): the roster
/// comes first. Measured: medium needs 0.55 s of its 10 s, games 4.2 s of
/// its 60 s; the SMPTSP instances (hundreds of pairs per volunteer, long
/// schedules) would take 15 s and more, which their search needs.
const BOUND_SHARE: f64 = 0.1;

/// The bound phase of a solve: the relaxation may use [`BOUND_SHARE`] of
/// the time left and aims at the first roster's total.
fn bound_phase(p: &Problem, upper: f64, ctx: &SolveContext) -> BoundInfo {
    let left = ctx
        .options
        .deadline
        .map(|d| d.saturating_duration_since(Instant::now()).as_secs_f64());
    let cut = left
        .map(|l| Instant::now() + std::time::Duration::from_secs_f64((BOUND_SHARE * l).min(60.0)));
    let cancel = ctx.cancel.clone();
    let stop = std::sync::Arc::new(move || {
        cancel.load(std::sync::atomic::Ordering::Relaxed)
            || cut.is_some_and(|c| Instant::now() >= c)
    });
    bound(
        p,
        Some(upper),
        default_bound_evaluations(p),
        PoolLp::OnSmallProblems,
        stop,
    )
}

/// Each volunteer's cheapest schedule at `prices`, with the reduced costs.
fn priced(
    p: &Problem,
    (prices, pricing): &(
        crate::bound::schedule::Prices,
        crate::bound::schedule::Pricing,
    ),
) -> solver::construct::PricedSchedules {
    let (schedules, _) = crate::bound::schedule::priced_schedules(p, pricing, prices);
    solver::construct::PricedSchedules {
        schedules,
        reduced_cost: (0..p.n_pairs())
            .map(|q| prices.reduced_cost(p, q))
            .collect(),
    }
}

/// The run's context less the time kept after the search for the check and
/// the write.
fn search_context<'a>(ctx: &SolveContext<'a>, prepare_seconds: f64) -> SolveContext<'a> {
    let mut options = ctx.options.clone();
    if let Some(deadline) = options.deadline {
        let reserve = reserve_after_search(prepare_seconds);
        options.deadline = Some(deadline.checked_sub(reserve).unwrap_or(deadline));
    }
    SolveContext {
        options,
        cancel: ctx.cancel.clone(),
        progress: ctx.progress,
    }
}

/// Greedy roster, bound, priced roster, search; each phase timed from `t`.
fn build_roster(
    problem: &Problem,
    sub: &SolveContext,
    phases: &mut Phases,
    t: Instant,
) -> (solver::Solution, BoundInfo) {
    // A covering roster first, so a stop at any later moment still has it.
    let greedy = solver::first_roster(problem, sub);
    let t = phases.done("construct", t);
    let b = bound_phase(problem, greedy.a.total(problem), sub);
    let t = phases.done("bound", t);
    let first = match &b.prices {
        Some(prices) if !sub.should_stop() => {
            solver::priced_roster(problem, greedy, &priced(problem, prices), sub)
        }
        _ => greedy,
    };
    phases.done("priced construction", t);
    let sol = solver::improve_roster(problem, first, sub);
    phases.0.push(PhaseTime {
        phase: "search".into(),
        seconds: sol.search_seconds,
    });
    (sol, b)
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
    let sub = search_context(ctx, load_seconds + start.elapsed().as_secs_f64());
    let (sol, b) = build_roster(&problem, &sub, &mut phases, t);
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
