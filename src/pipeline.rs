//! The run orchestrator: one home for the order and timing of a run's
//! phases (compile, construct, bound, priced construction, search, check),
//! the time kept after the search, and the run summary. A solve
//! ([`solve`]) and a re-solve ([`crate::repair::resolve`]) are two [`Job`]s
//! it runs; the CLI and the bench command call them.
//!
//! Every stop yields a usable roster: construction runs to its end whatever
//! happens (a first Ctrl-C or a passed deadline only cut the phases after
//! it; the CLI's second Ctrl-C exits the process), and the bound is the
//! phase that gets cut, skipped when the time left could not pay for one
//! evaluation of the relaxation.

use crate::problem::{CompileError, CompileOptions, Problem};
use crate::scenario::{Roster, Scenario};
use crate::solver::search::steer::Favourites;
use crate::solver::{self, FirstRoster, Solution, SolveContext};
use crate::summary::{gap, peak_memory_bytes, Coverage, PhaseTime, RunSummary};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A finished run: the roster to write and its summary.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The roster file to write.
    pub roster: Roster,
    /// The run summary.
    pub summary: RunSummary,
}

/// The bound a run reports, and the prices that may steer construction.
pub struct BoundInfo {
    /// Lower bound on the objective.
    pub bound: f64,
    /// How the bound was obtained, or why it is weak or missing.
    pub note: String,
    /// The part of `bound` that volunteer groups add (see
    /// [`crate::bound::schedule::ScheduleBound::group_split`]); 0 when
    /// another bound is reported.
    pub groups: f64,
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
    (2_000_000_000 / evaluation_states(p).max(1)).clamp(3, 100)
}

/// DP states of one evaluation of the schedule relaxation: a volunteer's
/// DP has pairs × (longest schedule + 1) states.
fn evaluation_states(p: &Problem) -> usize {
    (0..p.n_volunteers())
        .map(|v| {
            let pairs = p.vol_pairs(v).len();
            pairs * (pairs.min(p.volunteers()[v].max_shifts as usize) + 1)
        })
        .sum()
}

/// DP states one evaluation gets through per second, on the slow side
/// (measured: games, about 57 M states an evaluation, took 0.7–0.9 s on
/// 2 loaded cores; medium 5 ms). The run states of rule 7 are not counted:
/// they made an evaluation of games 2.5 times slower (0.11 → 0.27 s on a
/// quiet machine), well inside this rate's margin.
const STATES_PER_SECOND: f64 = 50e6;

/// Seconds one evaluation of the relaxation is expected to take.
pub fn evaluation_seconds(p: &Problem) -> f64 {
    evaluation_states(p) as f64 / STATES_PER_SECOND
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
    if p.weights().volunteer_used > 0.0 {
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
/// [`crate::bound::schedule`]) aiming at `upper` (a roster's total), done
/// by `deadline` and cut on `stop` (a cancel), and never below the bounds
/// that need no relaxation (fallback and peak staffing).
pub fn bound(
    p: &Problem,
    upper: Option<f64>,
    start: Option<crate::bound::schedule::Prices>,
    evaluations: usize,
    pool_lp: PoolLp,
    (deadline, stop): (
        Option<Instant>,
        std::sync::Arc<dyn Fn() -> bool + Send + Sync>,
    ),
) -> BoundInfo {
    use crate::bound::schedule::{schedule_bound, ScheduleOptions};
    let r = schedule_bound(
        p,
        &ScheduleOptions {
            evaluations,
            upper,
            stop: Some(stop.clone()),
            deadline,
            start,
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
    let late = move || stop() || deadline.is_some_and(|d| Instant::now() >= d);
    let (other, label) = other_bound(p, pool_lp, &late);
    if other > r.bound {
        return BoundInfo {
            bound: other,
            note: format!("{label} (higher than the {how})"),
            groups: 0.0,
            prices: None,
        };
    }
    BoundInfo {
        bound: r.bound,
        note: how,
        groups: r.group_split,
        prices: r.complete.then_some((r.prices, r.pricing)),
    }
}

/// Time to keep after the search for checking and writing the roster, from
/// what loading and compiling took: the check reads every assignment once
/// more, then the roster and the summary are written (measured on the city
/// preset: 3.4 s of check and 1.7 s of writing after 4.6 s of loading and
/// compiling; the earlier 0.75 × that ended a 300-s run at 301.4 s, and
/// 1.2 × that + 0.3 s one at 300.13 s, with 3.9 s of check after 4.7 s;
/// games: 0.2 s of check after 0.9 s).
pub fn reserve_after_search(prepare_seconds: f64) -> Duration {
    Duration::from_secs_f64(1.35 * prepare_seconds.max(0.0) + 0.5)
}

/// Share of the time left that the bound may use (60 s at most): the roster
/// comes first. Measured: medium needs 0.55 s of its 10 s, games 4.2 s of
/// its 60 s; the SMPTSP instances (hundreds of pairs per volunteer, long
/// schedules) would take 15 s and more, which their search needs.
const BOUND_SHARE: f64 = 0.1;

/// The bound phase of a solve: the relaxation may use [`BOUND_SHARE`] of
/// the time left and aims at the first roster's total. When that share
/// cannot pay for one evaluation ([`evaluation_seconds`]), or the run is
/// already stopped, the relaxation is skipped for the fallback bound, so a
/// short time limit goes to the search (the bound is what gets cut).
fn bound_phase(p: &Problem, first: &FirstRoster, ctx: &SolveContext) -> BoundInfo {
    let left = ctx
        .options
        .deadline
        .map(|d| d.saturating_duration_since(Instant::now()).as_secs_f64());
    let share = left.map(|l| (BOUND_SHARE * l).min(60.0));
    if ctx.should_stop() || share.is_some_and(|s| s < evaluation_seconds(p)) {
        return cheap_bound(p, "the time limit left no room for the schedule relaxation");
    }
    let cut = share.map(|s| Instant::now() + Duration::from_secs_f64(s));
    let cancel = ctx.cancel.clone();
    let stop = Arc::new(move || cancel.load(std::sync::atomic::Ordering::Relaxed));
    let start = first
        .head_values
        .as_ref()
        .map(|v| crate::bound::schedule::Prices::from_values(p, &v.shift, &v.quota));
    bound(
        p,
        Some(first.a.total(p)),
        start,
        default_bound_evaluations(p),
        PoolLp::OnSmallProblems,
        (cut, stop),
    )
}

/// The bounds that need no relaxation (fallback, and peak staffing where
/// volunteers are priced), with `why` the relaxation did not run.
pub fn cheap_bound(p: &Problem, why: &str) -> BoundInfo {
    let (bound, label) = other_bound(p, PoolLp::Never, &|| true);
    BoundInfo {
        bound,
        note: format!("{label} ({why})"),
        groups: 0.0,
        prices: None,
    }
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

/// The context of construction: no deadline and a cancel flag of its own
/// that nothing sets, so the constructed roster is always complete (a
/// second Ctrl-C in the CLI still ends the process).
fn construction_context<'a>(ctx: &SolveContext<'a>) -> SolveContext<'a> {
    SolveContext {
        options: crate::solver::SolveOptions {
            deadline: None,
            ..ctx.options.clone()
        },
        cancel: Arc::new(AtomicBool::new(false)),
        progress: ctx.progress,
    }
}

/// The phases of a run, in the order the orchestrator runs them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Compiling the scenario into a [`Problem`].
    Compile,
    /// Building the first roster.
    Construct,
    /// Computing the lower bound.
    Bound,
    /// Building a second first roster from the bound's prices, and the
    /// pairs they favour for the search.
    PricedConstruction,
    /// Local search.
    Search,
    /// The independent checker.
    Check,
}

impl Phase {
    /// Every phase, in order.
    pub const ALL: [Phase; 6] = [
        Phase::Compile,
        Phase::Construct,
        Phase::Bound,
        Phase::PricedConstruction,
        Phase::Search,
        Phase::Check,
    ];

    /// The phase's name in the run summary.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Compile => "compile",
            Phase::Construct => "construct",
            Phase::Bound => "bound",
            Phase::PricedConstruction => "priced construction",
            Phase::Search => "search",
            Phase::Check => "check",
        }
    }
}

/// What one kind of run does in each phase; [`run`] orders the phases,
/// times them, keeps the reserve and builds the summary.
pub trait Job {
    /// The job's error type.
    type Error: From<CompileError>;
    /// The scenario the roster is for (its name and fairness go into the
    /// summary).
    fn scenario(&self) -> &Scenario;
    /// Compiles the scenario, refusing more than `max_pairs` eligible pairs.
    fn compile(&self, max_pairs: Option<usize>) -> Result<Problem, Self::Error>;
    /// A first roster built before the covering one, where the job has one
    /// that pays to build first under the run's deadline (`run`), falling
    /// back to a covering roster under `never` (see
    /// [`construction_context`]) when it does not finish. `None`: build
    /// the covering roster first ([`Job::construct`], then
    /// [`Job::improve_first`]).
    fn construct_first(
        &self,
        _p: &Problem,
        _run: &SolveContext,
        _never: &SolveContext,
    ) -> Option<FirstRoster> {
        None
    }
    /// The first roster; `ctx` never stops (see [`construction_context`]).
    fn construct(&self, p: &Problem, ctx: &SolveContext) -> FirstRoster;
    /// A better first roster where the job has one, under the run's own
    /// deadline and Ctrl-C (a stop keeps `first`).
    fn improve_first(&self, _p: &Problem, first: FirstRoster, _ctx: &SolveContext) -> FirstRoster {
        first
    }
    /// The lower bound, given the first roster.
    fn bound(&self, p: &Problem, first: &FirstRoster, ctx: &SolveContext) -> BoundInfo;
    /// Whether the job has a second construction from the bound's prices.
    fn refines(&self) -> bool {
        false
    }
    /// That second construction (only called when [`Job::refines`]).
    fn refine(
        &self,
        _p: &Problem,
        first: FirstRoster,
        _b: &BoundInfo,
        _ctx: &SolveContext,
    ) -> FirstRoster {
        first
    }
    /// Improves the first roster by local search.
    fn search(&self, p: &Problem, first: FirstRoster, ctx: &SolveContext) -> Solution;
    /// Anything the roster file carries beyond the assignments (standby lists).
    fn dress(&self, _p: &Problem, _sol: &Solution, _roster: &mut Roster) {}
    /// The checker's coverage and verdict (`None`: the checker could not run).
    fn check(&self, roster: &Roster) -> Option<(Coverage, bool)>;
}

/// A finished run: the compiled problem, the solution, the roster file and
/// the summary.
pub struct Finished {
    /// The compiled problem.
    pub problem: Problem,
    /// The solver's result.
    pub(crate) solution: Solution,
    /// The roster file.
    pub roster: Roster,
    /// The run summary.
    pub summary: RunSummary,
}

/// Phase timings of a run, and the hook told as each phase starts.
struct Clock<'h> {
    phases: Vec<PhaseTime>,
    hook: &'h dyn Fn(Phase),
    since: Instant,
}

impl Clock<'_> {
    /// Starts `phase`: tells the hook, starts its timer.
    fn start(&mut self, phase: Phase) {
        (self.hook)(phase);
        self.since = Instant::now();
    }
    /// Ends `phase`, recording its time.
    fn end(&mut self, phase: Phase) {
        self.record(phase, self.since.elapsed().as_secs_f64());
    }
    fn record(&mut self, phase: Phase, seconds: f64) {
        self.phases.push(PhaseTime {
            phase: phase.name().into(),
            seconds,
        });
    }
}

/// Runs `job`: compile, construct (never cut), bound, priced construction,
/// search (stopping early enough to keep [`reserve_after_search`]), check.
/// `hook` is told as each phase starts (tests stop runs there).
pub fn run<J: Job>(
    job: &J,
    ctx: &SolveContext,
    load_seconds: f64,
    hook: &dyn Fn(Phase),
) -> Result<Finished, J::Error> {
    let start = Instant::now();
    let mut clock = Clock {
        phases: vec![PhaseTime {
            phase: "load".into(),
            seconds: load_seconds,
        }],
        hook,
        since: start,
    };
    clock.start(Phase::Compile);
    let problem = job.compile(ctx.options.max_pairs)?;
    clock.record(Phase::Compile, start.elapsed().as_secs_f64());
    let sub = search_context(ctx, load_seconds + start.elapsed().as_secs_f64());
    let (solution, b) = build_roster(job, &problem, &sub, &mut clock);
    let mut roster = solver::to_roster(&problem, &solution.on, solution.objective);
    let total = solution.objective.total;
    roster.bound = Some(b.bound);
    roster.gap = Some(gap(total, b.bound));
    roster.unpriced = Some(crate::summary::unpriced(&solution.objective, b.groups));
    job.dress(&problem, &solution, &mut roster);
    // The summary's figures come from the independent checker, so what the
    // tool prints is what anyone recomputing the roster would find.
    clock.start(Phase::Check);
    let (coverage, checker_agrees) = job
        .check(&roster)
        .unwrap_or_else(|| (crate::summary::coverage_of(&problem, &solution.on), false));
    clock.end(Phase::Check);
    let summary = summarise(job.scenario(), &problem, &solution, &roster, b, ctx);
    let summary = RunSummary {
        coverage,
        checker_agrees,
        phases: clock.phases,
        total_seconds: load_seconds + start.elapsed().as_secs_f64(),
        ..summary
    };
    Ok(Finished {
        problem,
        solution,
        roster,
        summary,
    })
}

/// Construction, bound, priced construction and search, each timed.
fn build_roster<J: Job>(
    job: &J,
    p: &Problem,
    sub: &SolveContext,
    clock: &mut Clock,
) -> (Solution, BoundInfo) {
    // A covering roster first, so a stop at any later moment still has it.
    clock.start(Phase::Construct);
    let never = construction_context(sub);
    let first = match job.construct_first(p, sub, &never) {
        Some(first) => first,
        None => {
            let first = job.construct(p, &never);
            job.improve_first(p, first, sub)
        }
    };
    clock.end(Phase::Construct);
    clock.start(Phase::Bound);
    let b = job.bound(p, &first, sub);
    clock.end(Phase::Bound);
    let first = if job.refines() {
        clock.start(Phase::PricedConstruction);
        let refined = job.refine(p, first, &b, sub);
        clock.end(Phase::PricedConstruction);
        refined
    } else {
        first
    };
    (clock.hook)(Phase::Search);
    let sol = job.search(p, first, sub);
    clock.record(Phase::Search, sol.search_seconds);
    (sol, b)
}

/// The summary's figures that do not depend on the check or the clock.
fn summarise(
    scenario: &Scenario,
    problem: &Problem,
    sol: &Solution,
    roster: &Roster,
    b: BoundInfo,
    ctx: &SolveContext,
) -> RunSummary {
    RunSummary {
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
        bound_groups: b.groups,
        unpriced: crate::summary::unpriced(&sol.objective, b.groups),
        construction: format!(
            "{}, total {:.3}",
            sol.construct_method, sol.construct_objective
        ),
        coverage: Coverage::default(),
        fairness: crate::fairness::fairness(scenario, roster),
        checker_agrees: false,
        iterations: sol.iterations,
        stopped_early: sol.stopped_early,
        phases: Vec::new(),
        total_seconds: 0.0,
        peak_memory_bytes: peak_memory_bytes(),
    }
}

/// A solve from scratch.
struct SolveJob<'s> {
    scenario: &'s Scenario,
    /// The pairs the bound's prices favour, for the search (set by
    /// [`Job::refine`] when the relaxation ran to the end).
    favourites: std::cell::RefCell<Option<Favourites>>,
}

impl<'s> SolveJob<'s> {
    fn new(scenario: &'s Scenario) -> Self {
        SolveJob {
            scenario,
            favourites: std::cell::RefCell::new(None),
        }
    }
}

impl Job for SolveJob<'_> {
    type Error = CompileError;
    fn scenario(&self) -> &Scenario {
        self.scenario
    }
    fn compile(&self, max_pairs: Option<usize>) -> Result<Problem, CompileError> {
        let options = CompileOptions {
            max_pairs,
            ..CompileOptions::default()
        };
        Problem::compile_with(self.scenario, &options)
    }
    fn construct_first(
        &self,
        p: &Problem,
        run: &SolveContext,
        never: &SolveContext,
    ) -> Option<FirstRoster> {
        solver::flow_first(p, run).then(|| solver::flow_first_roster(p, run, never))
    }
    fn construct(&self, p: &Problem, ctx: &SolveContext) -> FirstRoster {
        solver::first_roster(p, ctx)
    }
    fn improve_first(&self, p: &Problem, first: FirstRoster, ctx: &SolveContext) -> FirstRoster {
        solver::flow_roster(p, first, ctx)
    }
    fn bound(&self, p: &Problem, first: &FirstRoster, ctx: &SolveContext) -> BoundInfo {
        bound_phase(p, first, ctx)
    }
    fn refines(&self) -> bool {
        true
    }
    fn refine(
        &self,
        p: &Problem,
        first: FirstRoster,
        b: &BoundInfo,
        ctx: &SolveContext,
    ) -> FirstRoster {
        if let Some((prices, _)) = b.prices.as_ref().filter(|_| !ctx.should_stop()) {
            let rc = |q: usize| prices.reduced_cost(p, q);
            *self.favourites.borrow_mut() = Some(Favourites::new(p, &rc));
        }
        match &b.prices {
            Some(prices) if !ctx.should_stop() && p.n_pairs() <= solver::PRICED_MAX_PAIRS => {
                solver::priced_roster(p, first, &priced(p, prices), ctx)
            }
            _ => first,
        }
    }
    fn search(&self, p: &Problem, first: FirstRoster, ctx: &SolveContext) -> Solution {
        solver::improve_roster(p, first, self.favourites.borrow().as_ref(), ctx)
    }
    fn check(&self, roster: &Roster) -> Option<(Coverage, bool)> {
        let r = crate::check::check_roster(self.scenario, roster).ok()?;
        let passes = r.passes();
        Some((r.coverage, passes))
    }
}

/// Solves `scenario` from scratch.
pub fn solve(
    scenario: &Scenario,
    ctx: &SolveContext,
    load_seconds: f64,
) -> Result<Outcome, CompileError> {
    solve_observed(scenario, ctx, load_seconds, &|_| {})
}

/// [`solve`], telling `hook` as each phase starts (a test can set the
/// cancel flag there, as a Ctrl-C at that moment would).
pub fn solve_observed(
    scenario: &Scenario,
    ctx: &SolveContext,
    load_seconds: f64,
    hook: &dyn Fn(Phase),
) -> Result<Outcome, CompileError> {
    let done = run(&SolveJob::new(scenario), ctx, load_seconds, hook)?;
    Ok(Outcome {
        roster: done.roster,
        summary: done.summary,
    })
}
