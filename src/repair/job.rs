//! The re-solve as a [`Job`] of the run orchestrator: the changed scenario
//! compiled with its frozen and previous pairs, a construction that keeps
//! every previous pair it can and fills the holes, a cheap bound, a short
//! search sized by what the changes touched, then commitments topped up.

use super::outcome::{changes_count, notices};
use super::{apply_changes, compile_applied, Applied, RepairError, RepairOutcome, RepairSummary};
use crate::pipeline::{cheap_bound, BoundInfo, Job, Phase};
use crate::problem::{Problem, PAIR_PREVIOUS};
use crate::scenario::{Changes, Roster, Scenario};
use crate::solver::search::{AnnealParams, Searcher};
use crate::solver::state::Assignment;
use crate::solver::{self, construct, FirstRoster, Solution, SolveContext};
use crate::summary::Coverage;
use std::collections::{HashMap, HashSet};
use std::time::Instant;

/// Problems up to this many eligible pairs get one evaluation of the
/// schedule relaxation (at zero prices) as their bound; larger ones the
/// fallback bound (measured on games, 4.3 M pairs: one evaluation of the
/// re-solve problem took 10–18 s on 2 loaded cores).
const RELAXATION_MAX_PAIRS: usize = 200_000;

/// Default search budget of a re-solve, sized by what the changes touched
/// (forced removals), not by the whole problem: most moves away from the
/// holes cost `change`, and the construction already covers the holes it
/// can. 10 iterations per forced removal, between 1,000 and 10,000:
/// measured on games (858 forced removals: the same total to the cent from
/// 1 to 200,000 iterations, and 200,000 took 2.2 s) and medium (three
/// change files, 85–178 forced removals: the same totals from 1 to 10,000
/// iterations; 100,000 saved 3.4 of 73,773 once).
pub fn default_repair_iterations(_p: &Problem, forced: usize) -> u64 {
    (10 * forced as u64).clamp(1_000, 10_000)
}

/// A re-solve: the changes applied, and the previous roster.
struct RepairJob<'a> {
    original: &'a Scenario,
    prev: &'a Roster,
    changes: &'a Changes,
    applied: &'a Applied,
    standby_k: usize,
    /// Coverage of the pairs kept before any hole is filled.
    before: std::cell::RefCell<Option<Coverage>>,
}

impl Job for RepairJob<'_> {
    type Error = RepairError;
    fn scenario(&self) -> &Scenario {
        &self.applied.scenario
    }
    fn compile(&self, max_pairs: Option<usize>) -> Result<Problem, RepairError> {
        compile_applied(self.applied, max_pairs)
    }
    fn construct(&self, p: &Problem, ctx: &SolveContext) -> FirstRoster {
        let t0 = Instant::now();
        let kept = kept_pairs(p);
        *self.before.borrow_mut() = Some(crate::summary::coverage_of(p, kept.on()));
        let a = filled(p, kept, ctx);
        FirstRoster {
            a,
            seconds: t0.elapsed().as_secs_f64(),
            method: "previous roster, holes filled",
            head_values: None,
        }
    }
    fn bound(&self, p: &Problem, _first: &FirstRoster, ctx: &SolveContext) -> BoundInfo {
        if p.n_pairs() > RELAXATION_MAX_PAIRS || ctx.should_stop() {
            return cheap_bound(p, "a re-solve does not wait for the schedule relaxation");
        }
        // The schedule relaxation at zero prices, one pass over the pairs.
        let cancel = ctx.cancel.clone();
        crate::pipeline::bound(
            p,
            None,
            None,
            1,
            crate::pipeline::PoolLp::Never,
            (
                None,
                std::sync::Arc::new(move || cancel.load(std::sync::atomic::Ordering::Relaxed)),
            ),
        )
    }
    fn search(&self, p: &Problem, first: FirstRoster, ctx: &SolveContext) -> Solution {
        search(p, self.applied, first, ctx)
    }
    fn dress(&self, p: &Problem, sol: &Solution, roster: &mut Roster) {
        if self.standby_k > 0 {
            let a = assignment_from(p, &sol.on);
            roster.standby = super::standby_lists(p, &a, self.applied.now, self.standby_k);
        }
    }
    fn check(&self, roster: &Roster) -> Option<(Coverage, bool)> {
        let r = crate::check::check_repair(self.original, self.prev, self.changes, roster).ok()?;
        let passes = r.passes();
        Some((r.coverage, passes))
    }
}

/// The incremental state of the assigned pairs `on`.
fn assignment_from(p: &Problem, on: &[bool]) -> Assignment {
    let mut a = Assignment::new(p);
    for q in (0..p.n_pairs()).filter(|&q| on[q]) {
        a.add(p, q);
    }
    a
}

/// Pins, then every previous pair still valid (by shift start). The
/// compiler flagged the pairs of `applied.remaining` that are still
/// eligible ([`PAIR_PREVIOUS`]), so one pass over the flags finds them.
fn kept_pairs(p: &Problem) -> Assignment {
    let mut a = Assignment::new(p);
    for &pair in p.pinned() {
        a.add(p, pair as usize);
    }
    let mut keep: Vec<usize> = (0..p.n_pairs())
        .filter(|&q| p.pair_flags()[q] & PAIR_PREVIOUS != 0)
        .collect();
    keep.sort_by_key(|&q| (p.shifts()[p.pair_shift()[q] as usize].start, q));
    for q in keep {
        if !a.on()[q] && a.can_add(p, q, None) {
            a.add(p, q);
        }
    }
    a
}

/// The holes filled: free volunteers first (scarcest first), augmenting
/// paths, and quotas and commitments where a new pair is worth its
/// `change` cost.
fn filled(p: &Problem, mut a: Assignment, ctx: &SolveContext) -> Assignment {
    construct::fill_short_shifts(p, &mut a, &|| ctx.should_stop());
    let mut s = Searcher::new(p, a, ctx.options.seed);
    s.augment_all(4, &|| ctx.should_stop());
    let mut a = s.into_assignment();
    construct::fill_beneficial(p, &mut a, &|| ctx.should_stop());
    a
}

/// One annealing run from the repaired roster (one worker: a re-solve's
/// budget is too small to pay for splitting the problem), then the
/// commitments topped up.
fn search(p: &Problem, applied: &Applied, first: FirstRoster, ctx: &SolveContext) -> Solution {
    let construct_objective = first.a.total(p);
    let t0 = Instant::now();
    let total = ctx
        .options
        .iterations
        .unwrap_or_else(|| default_repair_iterations(p, applied.forced));
    let w = p.weights();
    let t_start = 0.5 * w.preference_miss.max(w.group_split).max(1.0);
    let params = AnnealParams {
        iterations: total,
        offset: 0,
        steps: total,
        t_start,
        t_end: 0.01 * t_start,
        seed: ctx.options.seed,
    };
    let mut s = Searcher::new(p, first.a, ctx.options.seed);
    let stats = s.anneal(&params, &|| ctx.should_stop());
    s.restore_best();
    let mut a = s.into_assignment();
    top_up_commitments(p, applied, &mut a);
    Solution {
        objective: solver::score::breakdown(p, a.on()),
        on: a.into_on(),
        construct_objective,
        construct_method: first.method,
        construct_seconds: first.seconds,
        search_seconds: t0.elapsed().as_secs_f64(),
        iterations: stats.iterations,
        stopped_early: stats.stopped_early,
    }
}

/// Volunteers newly below commitment get shifts they can take: a volunteer
/// who did not drop out, had at least `min_shifts` shifts in the previous
/// roster and has fewer now is given, while still short, the cheapest pair
/// on a shift that has not started whose headcount is below its `max` and
/// that breaks no rule. (The objective alone would not do it: `change`
/// weighs more than `under_commitment` by default.)
pub(super) fn top_up_commitments(p: &Problem, applied: &Applied, a: &mut Assignment) {
    for v in newly_below_commitment(p, applied, a) {
        while (a.schedule(v).len() as u32) < p.volunteers()[v].min_shifts {
            let best = p
                .vol_pairs(v)
                .filter(|&q| {
                    !p.shifts()[p.pair_shift()[q] as usize].frozen && a.can_add(p, q, None)
                })
                .map(|q| (a.add_delta(p, q), q))
                .min_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
            match best {
                Some((_, q)) => a.add(p, q),
                None => break,
            }
        }
    }
}

/// Volunteers (not dropouts of these changes) with at least `min_shifts`
/// shifts in the previous roster and fewer in `a`.
pub fn newly_below_commitment(p: &Problem, applied: &Applied, a: &Assignment) -> Vec<usize> {
    let dropouts: HashSet<&str> = applied.dropouts.iter().map(|d| d.as_str()).collect();
    let index: HashMap<&str, usize> = p
        .volunteer_ids()
        .iter()
        .enumerate()
        .map(|(v, id)| (id.as_str(), v))
        .collect();
    let mut before = vec![0u32; p.n_volunteers()];
    for &(_, v) in applied.pinned.iter().chain(&applied.remaining) {
        before[v] += 1;
    }
    for (_, vid) in &applied.forced_pairs {
        if let Some(&v) = index.get(vid.as_str()) {
            before[v] += 1;
        }
    }
    (0..p.n_volunteers())
        .filter(|&v| {
            let min = p.volunteers()[v].min_shifts;
            before[v] >= min
                && (a.schedule(v).len() as u32) < min
                && !dropouts.contains(p.volunteer_ids()[v].as_str())
        })
        .collect()
}

/// Re-solves: changes applied, frozen shifts pinned, holes filled.
pub fn resolve(
    scenario: &Scenario,
    prev: &Roster,
    changes: &Changes,
    ctx: &SolveContext,
    load_seconds: f64,
    standby_k: usize,
) -> Result<RepairOutcome, RepairError> {
    resolve_observed(
        scenario,
        prev,
        changes,
        ctx,
        load_seconds,
        standby_k,
        &|_| {},
    )
}

/// [`resolve`], telling `hook` as each phase starts.
pub fn resolve_observed(
    scenario: &Scenario,
    prev: &Roster,
    changes: &Changes,
    ctx: &SolveContext,
    load_seconds: f64,
    standby_k: usize,
    hook: &dyn Fn(Phase),
) -> Result<RepairOutcome, RepairError> {
    let t0 = Instant::now();
    let applied = apply_changes(scenario, prev, changes)?;
    let job = RepairJob {
        original: scenario,
        prev,
        changes,
        applied: &applied,
        standby_k,
        before: Default::default(),
    };
    let load = load_seconds + t0.elapsed().as_secs_f64();
    let done = crate::pipeline::run(&job, ctx, load, hook)?;
    let p = &done.problem;
    let before = job.before.take().unwrap_or_default();
    let after = crate::summary::coverage_of(p, &done.solution.on);
    let notices = notices(p, &applied, scenario, &done.solution.on);
    let repair = RepairSummary {
        forced_removals: applied.forced,
        changes: changes_count(p, &applied, &done.solution.on),
        volunteers_affected: notices.len(),
        frozen_shifts: applied.frozen.len(),
        coverage_before: before.coverage,
        coverage_after: after.coverage,
        min_demand_covered_before: before.min_demand_covered,
        min_demand_covered_after: after.min_demand_covered,
    };
    Ok(RepairOutcome {
        roster: done.roster,
        summary: done.summary,
        repair,
        notices,
        applied,
    })
}
