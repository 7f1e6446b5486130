//! Lower bounds on the objective total. [`schedule`] is the main one (the
//! schedule-level relaxation); this module also keeps the pool LP, run
//! beside it on small problems, and the bounds that need no relaxation.
//!
//! Pipeline: exact classes of interchangeable volunteers ([`classes`]) →
//! pools, coarsened until the column budget holds ([`coarsen`]) → a sparse
//! LP ([`model`]) → a backend ([`solve`]) → a certified bound. Every step
//! only relaxes the problem (the comments at each step say why), and the
//! number reported is either an exact simplex optimum or a weak-duality
//! certificate computed by our own code from the solver's multipliers, less
//! a small tolerance. When the LP cannot be solved, [`fallback_bound`]
//! still gives a valid (weak) bound.

// Index loops over rows and columns read most naturally in LP code.
#![allow(clippy::needless_range_loop)]

mod classes;
mod coarsen;
mod model;
pub mod schedule;
mod solve;
#[doc(hidden)]
pub mod synth;

use crate::problem::Problem;
use thiserror::Error;

/// Which LP backend solves the relaxation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Backend {
    /// Pure-Rust exact simplex (primal for headcounts, dual for multipliers).
    #[default]
    Microlp,
    /// Pure-Rust interior point; its multipliers are certified by weak duality.
    Clarabel,
    /// Native HiGHS (cargo feature `highs`).
    #[cfg(feature = "highs")]
    Highs,
}

/// Options of [`lower_bound`].
#[derive(Clone, Debug)]
pub struct BoundOptions {
    /// Size budget: most LP columns (pool × shift × tier) before coarsening.
    pub max_columns: usize,
    /// LP backend to use.
    pub backend: Backend,
    /// Wall-clock cap per LP solve (microlp, and clarabel when it takes
    /// over); past it the fallback bound is reported. The only
    /// time-dependent input of the bound.
    pub time_limit_seconds: f64,
    /// Give up (with [`BoundError::OutOfTime`]) past this instant: checked
    /// between coarsening levels, and it caps the LP solves.
    pub deadline: Option<std::time::Instant>,
}

impl Default for BoundOptions {
    fn default() -> Self {
        BoundOptions {
            max_columns: 30_000,
            backend: Backend::Microlp,
            time_limit_seconds: 20.0,
            deadline: None,
        }
    }
}

/// The bound and how it was found.
#[derive(Clone, Debug, Default)]
pub struct BoundResult {
    /// Proven lower bound on the objective total (incl. `constant_cost`).
    pub bound: f64,
    /// Classes of interchangeable volunteers found.
    pub classes: usize,
    /// Pools after coarsening to the column budget.
    pub coarse_classes: usize,
    /// LP columns.
    pub columns: usize,
    /// LP rows.
    pub rows: usize,
    /// Wall-clock seconds spent.
    pub seconds: f64,
    /// How the bound was obtained, for the summary.
    pub note: String,
}

/// Why the LP bound could not be computed (the fallback still can).
#[derive(Debug, Error)]
pub enum BoundError {
    #[error("LP backend failed: {0}")]
    /// The backend reported an error.
    Solver(String),
    #[error("LP backend panicked: {0}")]
    /// The backend panicked (caught).
    Panic(String),
    #[error("LP has {columns} columns even fully coarsened (budget {budget})")]
    /// The LP stays over the column budget even fully coarsened.
    TooLarge {
        /// Columns at the coarsest level.
        columns: usize,
        /// The column budget ([`BoundOptions::max_columns`]).
        budget: usize,
    },
    #[error("out of time for the LP")]
    /// The deadline passed.
    OutOfTime,
}

/// Relative tolerance subtracted from every solver-derived number.
const REL_TOL: f64 = 1e-7;

fn shaved(v: f64) -> f64 {
    v - REL_TOL * v.abs().max(1.0)
}

fn catch<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, BoundError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(BoundError::Solver(e)),
        Err(p) => Err(BoundError::Panic(
            p.downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into()),
        )),
    }
}

/// Chooses the finest pools whose column count fits the budget. Levels,
/// finest first; each is tried with exact tiers, then with collapsed tiers:
/// 0 exact classes; 1 same (rest, home, venues, first and last day);
/// 2 same (rest, home, venues); 3 same (rest, venues); 4 same venues;
/// then consecutive chunks of classes ordered by venues, halving the chunk
/// count down to a single pool.
fn choose_pools(
    problem: &Problem,
    cls: &classes::Classes,
    pinned: &[bool],
    budget: usize,
    deadline: Option<std::time::Instant>,
) -> Result<(Vec<coarsen::Pool>, String), BoundError> {
    let n = cls.rep.len();
    let facts = coarsen::class_facts(problem, cls);
    let mut levels: Vec<(String, Vec<Vec<u32>>)> = vec![(
        "exact classes".into(),
        (0..n as u32).map(|c| vec![c]).collect(),
    )];
    let f = &facts;
    levels.push((
        "pools by rest, home, venues, days".into(),
        coarsen::group_by(n, |c| {
            (
                f[c].min_rest,
                f[c].home,
                f[c].venue_hash,
                f[c].first_day,
                f[c].last_day,
            )
        }),
    ));
    levels.push((
        "pools by rest, home, venues".into(),
        coarsen::group_by(n, |c| (f[c].min_rest, f[c].home, f[c].venue_hash)),
    ));
    levels.push((
        "pools by rest, venues".into(),
        coarsen::group_by(n, |c| (f[c].min_rest, f[c].venue_hash)),
    ));
    levels.push((
        "pools by venues".into(),
        coarsen::group_by(n, |c| f[c].venue_hash),
    ));
    let mut last_groups = levels.last().map(|l| l.1.len()).unwrap_or(1);
    while last_groups > 1 {
        last_groups = (last_groups / 2).max(1);
        levels.push((
            format!("{last_groups} chunks of classes"),
            coarsen::chunks(f, last_groups),
        ));
    }
    let mut prev_len = usize::MAX;
    let mut fallback = None;
    for (name, groups) in levels {
        if groups.len() >= prev_len {
            continue;
        }
        prev_len = groups.len();
        if deadline.is_some_and(|d| std::time::Instant::now() >= d) {
            return Err(BoundError::OutOfTime);
        }
        // Collapsed tiers never have more columns than exact tiers: when
        // even they exceed the budget, the level is skipped.
        let collapsed = coarsen::build_pools(problem, cls, pinned, &groups, true);
        let cols = coarsen::n_columns(&collapsed);
        let note = format!(
            "{name}, collapsed tiers: {} pools, {cols} columns",
            collapsed.len()
        );
        if cols > budget {
            fallback = Some((collapsed, note));
            continue;
        }
        let tiered = coarsen::build_pools(problem, cls, pinned, &groups, false);
        let tiered_cols = coarsen::n_columns(&tiered);
        if tiered_cols <= budget {
            let note = format!("{name}: {} pools, {tiered_cols} columns", tiered.len());
            return Ok((tiered, note));
        }
        return Ok((collapsed, note));
    }
    Ok(fallback.unwrap_or_default())
}

/// The LP lower bound. Errors when the LP cannot be solved or stays above
/// the budget; [`bound_or_fallback`] always gives a bound.
pub fn lower_bound(problem: &Problem, opts: &BoundOptions) -> Result<BoundResult, BoundError> {
    let started = std::time::Instant::now();
    // Every shift with an eligible pair needs at least one column, so a
    // problem with more such shifts than the budget cannot fit however far
    // the classes are coarsened: say so at once instead of coarsening.
    let busy_shifts = (0..problem.n_shifts())
        .filter(|&s| !problem.shift_pair_list(s).is_empty())
        .count();
    if busy_shifts > opts.max_columns {
        return Err(BoundError::TooLarge {
            columns: busy_shifts,
            budget: opts.max_columns,
        });
    }
    let pinned = classes::pinned_flags(problem);
    let cls = classes::build(problem, &pinned);
    let (pools, note) = choose_pools(problem, &cls, &pinned, opts.max_columns, opts.deadline)?;
    let lp = model::build(problem, &pools);
    if lp.n_x > opts.max_columns {
        return Err(BoundError::TooLarge {
            columns: lp.n_x,
            budget: opts.max_columns,
        });
    }
    let mut opts = opts.clone();
    if let Some(d) = opts.deadline {
        let left = d.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return Err(BoundError::OutOfTime);
        }
        opts.time_limit_seconds = opts.time_limit_seconds.min(left.as_secs_f64());
    }
    let (bound, backend_note) = solve_certified(&lp, &opts)?;
    // The trivial bound is valid too; never report less.
    let bound = bound.max(fallback_bound(problem));
    Ok(BoundResult {
        bound,
        classes: cls.rep.len(),
        coarse_classes: pools.len(),
        columns: lp.n_cols(),
        rows: lp.n_rows(),
        seconds: started.elapsed().as_secs_f64(),
        note: format!("{backend_note}; {note}"),
    })
}

/// Solves `lp` with the chosen backend and certifies the value: microlp's
/// exact objective, or the Lagrangian of the backend's duals (weak
/// duality). Returns the bound and the backend's name for the note.
fn solve_certified(lp: &model::Lp, opts: &BoundOptions) -> Result<(f64, &'static str), BoundError> {
    let mut bound = f64::NEG_INFINITY;
    let mut y: Vec<f64> = Vec::new();
    let backend_note;
    match opts.backend {
        Backend::Microlp => {
            // microlp's simplex can stall on degenerate LPs (seen on tiny
            // random ones): past its time cap, clarabel (interior point,
            // certified by weak duality below) takes over.
            // microlp gets half the time, so clarabel has the rest.
            match catch(|| solve::microlp_primal(lp, 0.5 * opts.time_limit_seconds)) {
                Ok(solved) => {
                    if let Some(obj) = solved.exact_objective {
                        bound = bound.max(shaved(obj));
                    }
                    backend_note = "microlp";
                }
                Err(_) => {
                    let left = opts.deadline.map_or(opts.time_limit_seconds, |d| {
                        d.saturating_duration_since(std::time::Instant::now())
                            .as_secs_f64()
                            .min(opts.time_limit_seconds)
                    });
                    let solved = catch(|| solve::clarabel(lp, left))?;
                    y = solved.y;
                    backend_note = "clarabel (microlp stalled)";
                }
            }
        }
        Backend::Clarabel => {
            let solved = catch(|| solve::clarabel(lp, opts.time_limit_seconds))?;
            y = solved.y;
            backend_note = "clarabel";
        }
        #[cfg(feature = "highs")]
        Backend::Highs => {
            let solved = catch(|| solve::highs(lp))?;
            y = solved.y;
            backend_note = "highs";
        }
    }
    if y.len() == lp.n_rows() {
        let cert = lp.lagrangian(&y);
        if cert.is_finite() {
            bound = bound.max(shaved(cert));
        }
    }
    if !bound.is_finite() {
        return Err(BoundError::Solver(format!(
            "{backend_note}: no certified value"
        )));
    }
    Ok((bound, backend_note))
}

/// The LP bound, or the fallback bound (with the error in `note`); the
/// peak-staffing bound when it is higher.
pub fn bound_or_fallback(problem: &Problem, opts: &BoundOptions) -> BoundResult {
    let r = match lower_bound(problem, opts) {
        Ok(r) => r,
        Err(e) => return cheap_bound(problem, &e.to_string()),
    };
    with_peak(problem, r)
}

/// The bounds that need no LP: fallback and, when volunteers are priced,
/// peak staffing; `why` says why the LP was not used.
pub fn cheap_bound(problem: &Problem, why: &str) -> BoundResult {
    let started = std::time::Instant::now();
    let r = BoundResult {
        bound: fallback_bound(problem),
        note: format!("fallback bound ({why})"),
        ..BoundResult::default()
    };
    let mut r = with_peak(problem, r);
    r.seconds = started.elapsed().as_secs_f64();
    r
}

fn with_peak(problem: &Problem, mut r: BoundResult) -> BoundResult {
    if problem.weights().volunteer_used > 0.0 {
        let peak = peak_bound(problem);
        if peak > r.bound {
            r.bound = peak;
            r.note = format!("peak-staffing bound (higher than: {})", r.note);
        }
    }
    r
}

/// A trivial but valid bound, summing separately-valid parts:
/// * per shift, the cheapest way to handle it alone: `min over k` of
///   `uncovered·priority·max(0, min − k)` plus the `k` cheapest pair costs
///   (pinned pairs always included, k ≤ its eligible pool and ≤ max unless
///   frozen). Pair costs and uncovered cost are per shift, so these add up;
/// * per quota, `unit × max(0, at_least − qualifying eligible pairs)`;
/// * per volunteer, `under_commitment × max(0, min_shifts − min(max_shifts,
///   eligible shifts))`;
/// * `constant_cost`. Every other term is ≥ 0.
pub fn fallback_bound(problem: &Problem) -> f64 {
    use rayon::prelude::*;
    let pinned = classes::pinned_flags(problem);
    // Per shift in parallel, summed in shift order (the same total on any
    // number of threads).
    let per_shift: Vec<f64> = (0..problem.n_shifts())
        .into_par_iter()
        .map(|s| cheapest_alone(problem, &pinned, s))
        .collect();
    let mut total = problem.constant_cost();
    for best in per_shift {
        if best.is_finite() {
            total += best;
        }
    }
    total += quota_part(problem) + commitment_part(problem);
    shaved(total)
}

/// Shift `s` handled alone at its cheapest (see [`fallback_bound`]): its
/// pinned pairs, then `k` more of its cheapest free pairs, the rest of its
/// `min` uncovered. Only the cheapest `max` free costs are sorted (the
/// others cannot be taken), which gives the same sums as sorting them all.
fn cheapest_alone(problem: &Problem, pinned: &[bool], s: usize) -> f64 {
    let sh = &problem.shifts()[s];
    let unit = problem.weights().uncovered * sh.priority;
    let mut forced = 0usize;
    let mut forced_cost = 0.0;
    let mut free: Vec<f64> = Vec::new();
    for &p in problem.shift_pair_list(s) {
        if pinned.get(p as usize).copied().unwrap_or(false) {
            forced += 1;
            forced_cost += problem.pair_cost()[p as usize];
        } else {
            free.push(problem.pair_cost()[p as usize]);
        }
    }
    let max_k = if sh.frozen {
        forced
    } else {
        (sh.max as usize).max(forced).min(forced + free.len())
    };
    let taken = max_k - forced;
    if taken < free.len() {
        free.select_nth_unstable_by(taken, f64::total_cmp);
        free.truncate(taken);
    }
    free.sort_by(f64::total_cmp);
    let mut best = f64::INFINITY;
    let mut acc = forced_cost;
    for k in forced..=max_k {
        if k > forced {
            acc += free[k - forced - 1];
        }
        let miss = (sh.min as f64 - k as f64).max(0.0);
        best = best.min(acc + unit * miss);
    }
    best
}

/// The peak-staffing bound, for scenarios that price `volunteer_used`: at
/// any instant each volunteer works at most one shift (rule 4), so the
/// shifts running then need their `min` either from distinct volunteers or
/// as uncovered demand, each unit costing at least
/// `min(volunteer_used, uncovered × priority)`; the quota and commitment
/// parts of [`fallback_bound`] are other terms and add up. Pair costs are
/// never negative outside a re-solve; a re-solve, whose pair costs may be,
/// gets [`fallback_bound`] instead. Deterministic and cheap (one sweep), so
/// the solver may stop on it. [`bound_or_fallback`] reports the higher of
/// this and its own bound.
pub fn peak_bound(problem: &Problem) -> f64 {
    let w = problem.weights();
    if problem.pair_cost_has_change() {
        return fallback_bound(problem);
    }
    let mut events: Vec<(i64, bool, f64)> = Vec::with_capacity(2 * problem.n_shifts());
    for sh in problem.shifts() {
        let unit = w.volunteer_used.min(w.uncovered * sh.priority).max(0.0);
        let need = unit * sh.min as f64;
        if need > 0.0 {
            events.push((sh.start, true, need));
            events.push((sh.end, false, need));
        }
    }
    // Ends before starts at the same instant: back-to-back shifts do not overlap.
    events.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let (mut running, mut peak) = (0.0f64, 0.0f64);
    for (_, starts, need) in events {
        if starts {
            running += need;
            peak = peak.max(running);
        } else {
            running -= need;
        }
    }
    let total = problem.constant_cost() + peak + quota_part(problem) + commitment_part(problem);
    shaved(total)
}

/// Per quota, `unit × max(0, at_least − qualifying eligible pairs)`.
fn quota_part(problem: &Problem) -> f64 {
    let mut total = 0.0;
    for (qi, q) in problem.quotas().iter().enumerate() {
        let sh = &problem.shifts()[q.shift as usize];
        let bit = 1u32 << (qi - sh.quota_start as usize);
        let qualifying = problem
            .shift_pair_list(q.shift as usize)
            .iter()
            .filter(|&&p| problem.pair_quota_mask()[p as usize] & bit != 0)
            .count();
        let cap = if sh.frozen {
            qualifying
        } else {
            qualifying.min(sh.max as usize)
        };
        total += q.unit_cost * (q.at_least as f64 - cap as f64).max(0.0);
    }
    total
}

/// Per volunteer, `under_commitment × max(0, min_shifts − min(max_shifts,
/// eligible shifts))`.
fn commitment_part(problem: &Problem) -> f64 {
    let w = problem.weights();
    let mut total = 0.0;
    for v in 0..problem.n_volunteers() {
        let info = &problem.volunteers()[v];
        let most = (problem.vol_pairs(v).len() as f64).min(info.max_shifts as f64);
        total += w.under_commitment * (info.min_shifts as f64 - most).max(0.0);
    }
    total
}

#[cfg(test)]
mod fallback_tests {
    use super::*;
    use crate::generate::{generate, GeneratorConfig};

    /// The fallback bound's per-shift part with every free pair cost
    /// sorted, as it was before only the cheapest `max` were.
    fn sorting_all(problem: &Problem, s: usize) -> f64 {
        let sh = &problem.shifts()[s];
        let mut free: Vec<f64> = problem
            .shift_pair_list(s)
            .iter()
            .map(|&q| problem.pair_cost()[q as usize])
            .collect();
        free.sort_by(f64::total_cmp);
        let max_k = (sh.max as usize).min(free.len());
        let unit = problem.weights().uncovered * sh.priority;
        (0..=max_k)
            .map(|k| free[..k].iter().sum::<f64>() + unit * (sh.min as f64 - k as f64).max(0.0))
            .fold(f64::INFINITY, f64::min)
    }

    #[test]
    fn partial_sort_gives_the_same_shift_parts() {
        let sc = generate(&GeneratorConfig::preset("small").expect("preset"));
        let p = Problem::compile(&sc).expect("compiles");
        assert!(p.pinned().is_empty());
        for s in 0..p.n_shifts() {
            assert_eq!(cheapest_alone(&p, &[], s), sorting_all(&p, s), "shift {s}");
        }
    }
}
