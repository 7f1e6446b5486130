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
use search::{AnnealParams, Partition, Searcher};
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
    let base = 1_000 * p.n_shifts() as u64 + 100 * p.n_volunteers() as u64;
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
/// an augmenting-path coverage pass, then annealing in epochs (see
/// [`improve`]).
pub fn solve(p: &Problem, shift_value: Option<&[f64]>, ctx: &SolveContext) -> Solution {
    let t0 = Instant::now();
    let mut a = Assignment::new(p);
    construct::construct(p, &mut a, shift_value);
    // Matching-style coverage pass: augmenting paths towards short shifts.
    let mut s = Searcher::new(p, a, ctx.options.seed);
    s.augment_all(4, &|| ctx.should_stop());
    let a = s.a;
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
        let seed_of = |k: usize| {
            o.seed
                .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                .wrapping_add(e.wrapping_mul(1_000_003).wrapping_add(k as u64))
        };
        let params = |seed| AnnealParams {
            iterations: total,
            offset: e * per_epoch,
            steps: per_epoch,
            t_start,
            t_end,
            seed,
        };
        if threads == 1 {
            let mut s = Searcher::new(p, best, seed_of(0));
            let st = s.anneal(&params(seed_of(0)), &stop);
            s.restore_best();
            done += st.iterations;
            stopped |= st.stopped_early;
            best = s.a;
        } else {
            let part = partition(p, threads, seed_of(usize::MAX));
            let results: Vec<(Assignment, u64, bool)> = (0..threads)
                .into_par_iter()
                .map(|k| {
                    let mut s = Searcher::new(p, best.clone(), seed_of(k));
                    s.restrict(&part, k as u8);
                    let st = s.anneal(&params(seed_of(k)), &stop);
                    s.restore_best();
                    (s.a, st.iterations, st.stopped_early)
                })
                .collect();
            let mut parts = Vec::with_capacity(threads);
            for (a, it, early) in results {
                done += it;
                stopped |= early;
                parts.push(a);
            }
            best = merge(p, best, parts, &part);
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

/// Splits venues (and so shifts) into `k` parts of similar shift counts in
/// a seeded random order; each volunteer joins the part holding most of its
/// eligible pairs, and a group's members all join the part holding most of
/// the group's pairs.
pub fn partition(p: &Problem, k: usize, seed: u64) -> Partition {
    use rand::seq::SliceRandom;
    use rand::SeedableRng;
    let k = k.clamp(1, 255);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let n_venues = p.venue_sites.len();
    let mut per_venue = vec![0usize; n_venues];
    for sh in &p.shifts {
        per_venue[sh.venue as usize] += 1;
    }
    let mut order: Vec<usize> = (0..n_venues).collect();
    order.shuffle(&mut rng);
    let mut load = vec![0usize; k];
    let mut venue_part = vec![0u8; n_venues];
    for v in order {
        let (lightest, _) = load
            .iter()
            .enumerate()
            .min_by_key(|&(i, &l)| (l, i))
            .unwrap_or((0, &0));
        venue_part[v] = lightest as u8;
        load[lightest] += per_venue[v];
    }
    let shift_part: Vec<u8> = p
        .shifts
        .iter()
        .map(|sh| venue_part[sh.venue as usize])
        .collect();
    let mut counts = vec![0u32; k];
    let mut group_counts = vec![0u32; p.group_ids.len() * k];
    let mut vol_part = vec![0u8; p.n_volunteers()];
    for (v, slot) in vol_part.iter_mut().enumerate() {
        counts.iter_mut().for_each(|c| *c = 0);
        for q in p.vol_pairs(v) {
            counts[shift_part[p.pair_shift[q] as usize] as usize] += 1;
        }
        let g = p.volunteers[v].group;
        if g != crate::problem::NONE {
            for (i, c) in counts.iter().enumerate() {
                group_counts[g as usize * k + i] += c;
            }
        }
        *slot = argmax(&counts);
    }
    let group_part: Vec<u8> = (0..p.group_ids.len())
        .map(|g| argmax(&group_counts[g * k..(g + 1) * k]))
        .collect();
    for (v, vi) in p.volunteers.iter().enumerate() {
        if vi.group != crate::problem::NONE {
            vol_part[v] = group_part[vi.group as usize];
        }
    }
    let mut shifts_of = vec![Vec::new(); k];
    for (s, &x) in shift_part.iter().enumerate() {
        shifts_of[x as usize].push(s as u32);
    }
    let mut vols_of = vec![Vec::new(); k];
    for (v, &x) in vol_part.iter().enumerate() {
        vols_of[x as usize].push(v as u32);
    }
    Partition {
        shift_part,
        vol_part,
        group_part,
        shifts_of,
        vols_of,
    }
}

fn argmax(counts: &[u32]) -> u8 {
    let mut best = 0;
    for (i, &c) in counts.iter().enumerate() {
        if c > counts[best] {
            best = i;
        }
    }
    best as u8
}

/// Merges the workers' rosters: worker `k` owns the state of part `k`
/// (its volunteers' schedules and pairs, its shifts' crews and quotas, its
/// groups), and the terms add up because they decompose over that state.
pub fn merge(
    p: &Problem,
    mut base: Assignment,
    parts: Vec<Assignment>,
    part: &Partition,
) -> Assignment {
    let before = base.terms;
    for (k, w) in parts.into_iter().enumerate() {
        for &v in &part.vols_of[k] {
            let v = v as usize;
            let r = p.vol_pairs(v);
            base.on[r.clone()].copy_from_slice(&w.on[r]);
            base.schedule[v].clone_from(&w.schedule[v]);
            base.under_committed.set(v, w.under_committed.contains(v));
        }
        for &s in &part.shifts_of[k] {
            let s = s as usize;
            base.crew[s].clone_from(&w.crew[s]);
            base.short_shifts.set(s, w.short_shifts.contains(s));
            let sh = &p.shifts[s];
            let qs = sh.quota_start as usize..(sh.quota_start + sh.quota_count) as usize;
            base.quota_count[qs.clone()].copy_from_slice(&w.quota_count[qs]);
        }
        for (g, &gp) in part.group_part.iter().enumerate() {
            if gp as usize == k {
                base.group_venues[g].clone_from(&w.group_venues[g]);
                base.group_total[g] = w.group_total[g];
            }
        }
        let t = &mut base.terms;
        t.uncovered += w.terms.uncovered - before.uncovered;
        t.quota_shortfall += w.terms.quota_shortfall - before.quota_shortfall;
        t.under_commitment += w.terms.under_commitment - before.under_commitment;
        t.pair_cost += w.terms.pair_cost - before.pair_cost;
        t.group_split += w.terms.group_split - before.group_split;
        t.volunteer_used += w.terms.volunteer_used - before.volunteer_used;
    }
    base
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
