//! The solver: construction, then parallel local search with incremental
//! scoring, under a deadline, reproducible for a seed and thread count.
//!
//! The library never reads the environment; the caller passes the seed,
//! thread count, deadline, cancel flag and progress reporter in a
//! [`SolveContext`].

pub mod construct;
pub mod score;
pub mod search;
pub mod state;

use crate::problem::Problem;
use crate::scenario::{ObjectiveBreakdown, Roster};
use rayon::prelude::*;
use search::{AnnealParams, Searcher};
use state::Assignment;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What the caller decides about a run.
#[derive(Clone, Debug)]
pub struct SolveOptions {
    pub seed: u64,
    /// Search workers (results depend on it; 1 = sequential).
    pub threads: usize,
    /// Stop the search at this instant (best roster so far is returned).
    pub deadline: Option<Instant>,
    /// Search iterations in total; `None` picks a size-based default.
    pub iterations: Option<u64>,
    /// Recompute the score from scratch after every epoch and assert equality.
    pub debug_checks: bool,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            seed: 1,
            threads: 1,
            deadline: None,
            iterations: None,
            debug_checks: cfg!(debug_assertions),
        }
    }
}

/// A progress report, sent between phases and epochs.
#[derive(Clone, Debug)]
pub struct Progress {
    pub phase: &'static str,
    pub objective: f64,
    /// Fraction of the phase done (0..1).
    pub fraction: f64,
    /// Fraction of total minimum demand covered.
    pub coverage: f64,
}

/// Seed, threads, deadline, cancel flag and progress reporter of one run.
pub struct SolveContext<'a> {
    pub options: SolveOptions,
    pub cancel: Arc<AtomicBool>,
    pub progress: &'a (dyn Fn(&Progress) + Sync),
}

impl<'a> SolveContext<'a> {
    pub fn new(options: SolveOptions, progress: &'a (dyn Fn(&Progress) + Sync)) -> Self {
        SolveContext {
            options,
            cancel: Arc::new(AtomicBool::new(false)),
            progress,
        }
    }

    /// Whether the run must stop now (deadline passed or cancelled).
    pub fn should_stop(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
            || self.options.deadline.is_some_and(|d| Instant::now() >= d)
    }
}

/// The result of a run.
#[derive(Clone, Debug)]
pub struct Solution {
    /// Per pair: assigned?
    pub on: Vec<bool>,
    pub objective: ObjectiveBreakdown,
    pub construct_objective: f64,
    pub construct_seconds: f64,
    pub search_seconds: f64,
    pub iterations: u64,
    /// The search stopped on the deadline or a cancel, not on its budget.
    pub stopped_early: bool,
}

/// Default search budget: enough iterations for the roster to settle,
/// growing with the problem size.
pub fn default_iterations(p: &Problem) -> u64 {
    let base = 2_000 * p.n_shifts() as u64 + 200 * p.n_volunteers() as u64;
    base.clamp(200_000, 200_000_000)
}

/// Fraction of total minimum demand covered.
pub fn coverage(p: &Problem, a: &Assignment) -> f64 {
    let (mut need, mut got) = (0u64, 0u64);
    for (s, sh) in p.shifts.iter().enumerate() {
        need += sh.min as u64;
        got += (a.shift_count(s).min(sh.min)) as u64;
    }
    if need == 0 {
        1.0
    } else {
        got as f64 / need as f64
    }
}

/// Builds a roster: construction (guided by `shift_value`, e.g. LP duals),
/// then annealing in epochs; each epoch runs `threads` seeded workers from
/// the best roster so far and keeps the best (ties to the lowest worker).
pub fn solve(p: &Problem, shift_value: Option<&[f64]>, ctx: &SolveContext) -> Solution {
    let t0 = Instant::now();
    let mut a = Assignment::new(p);
    construct::construct(p, &mut a, shift_value);
    let construct_objective = a.total(p);
    let construct_seconds = t0.elapsed().as_secs_f64();
    (ctx.progress)(&Progress {
        phase: "construct",
        objective: construct_objective,
        fraction: 1.0,
        coverage: coverage(p, &a),
    });
    let t1 = Instant::now();
    let (a, iterations, stopped_early) = improve(p, a, ctx);
    let search_seconds = t1.elapsed().as_secs_f64();
    let objective = score::breakdown(p, &a.on);
    Solution {
        on: a.on,
        objective,
        construct_objective,
        construct_seconds,
        search_seconds,
        iterations,
        stopped_early,
    }
}

/// Anneals from `start` under the context's budget and deadline.
pub fn improve(p: &Problem, start: Assignment, ctx: &SolveContext) -> (Assignment, u64, bool) {
    let o = &ctx.options;
    let total = o.iterations.unwrap_or_else(|| default_iterations(p));
    let threads = o.threads.max(1);
    let epochs = (total / 1_000_000).clamp(4, 64);
    let per_epoch = total.div_ceil(epochs);
    let w = &p.weights;
    let t_start = 0.5 * w.preference_miss.max(w.group_split).max(1.0);
    let t_end = 0.01 * t_start;
    let mut best = start;
    let mut done = 0u64;
    let mut stopped = false;
    let stop = || ctx.should_stop();
    for e in 0..epochs {
        if stopped || stop() {
            stopped = true;
            break;
        }
        let results: Vec<(f64, Assignment, u64, bool)> = (0..threads)
            .into_par_iter()
            .map(|k| {
                let seed = o
                    .seed
                    .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                    .wrapping_add(e * 1_000_003 + k as u64);
                let mut s = Searcher::new(p, best.clone(), seed);
                let params = AnnealParams {
                    iterations: total,
                    offset: e * per_epoch,
                    steps: per_epoch,
                    t_start,
                    t_end,
                    seed,
                };
                let st = s.anneal(&params, &stop);
                s.restore_best();
                (s.a.total(p), s.a, st.iterations, st.stopped_early)
            })
            .collect();
        let mut chosen: Option<(f64, Assignment)> = None;
        for (tot, a, it, early) in results {
            done += it;
            stopped |= early;
            if chosen.as_ref().is_none_or(|c| tot < c.0 - 1e-9) {
                chosen = Some((tot, a));
            }
        }
        if let Some((tot, a)) = chosen {
            if tot <= best.total(p) + 1e-9 {
                best = a;
            }
        }
        if o.debug_checks {
            let b = score::breakdown(p, &best.on);
            let inc = best.total(p);
            assert!(
                (b.total - inc).abs() <= 1e-6 * b.total.abs().max(1.0),
                "incremental total {inc} differs from from-scratch {}",
                b.total
            );
            assert_eq!(
                score::violations(p, &best.on),
                0,
                "search produced a rule violation"
            );
        }
        (ctx.progress)(&Progress {
            phase: "search",
            objective: best.total(p),
            fraction: (e + 1) as f64 / epochs as f64,
            coverage: coverage(p, &best),
        });
    }
    (best, done, stopped)
}

/// The roster file for a solution (assignments in scenario shift order).
pub fn to_roster(
    p: &Problem,
    on: &[bool],
    objective: ObjectiveBreakdown,
    bound: Option<f64>,
) -> Roster {
    let mut roster = Roster::empty(&p.name);
    let mut crews: Vec<Vec<u32>> = vec![Vec::new(); p.n_shifts()];
    for v in 0..p.n_volunteers() {
        for pair in p.vol_pairs(v) {
            if on[pair] {
                crews[p.pair_shift[pair] as usize].push(v as u32);
            }
        }
    }
    for (s, crew) in crews.into_iter().enumerate() {
        if !crew.is_empty() {
            roster.assignments.insert(
                p.shift_ids[s].clone(),
                crew.into_iter()
                    .map(|v| p.volunteer_ids[v as usize].clone())
                    .collect(),
            );
        }
    }
    roster.objective = Some(objective);
    if let Some(b) = bound {
        roster.bound = Some(b);
        roster.gap = Some((objective.total - b) / objective.total.max(1.0));
    }
    roster
}

/// Seconds since `t` (helper for reports).
pub fn secs(t: Instant) -> f64 {
    t.elapsed().as_secs_f64()
}

/// A deadline `limit` from now.
pub fn deadline_in(limit: Duration) -> Instant {
    Instant::now() + limit
}
