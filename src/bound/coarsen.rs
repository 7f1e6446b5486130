//! Pools: groups of exact classes that share one set of LP columns and rows.
//!
//! At level 0 every class is its own pool and the relaxation is exactly the
//! class-level LP. Above the column budget, classes are merged into coarse
//! pools. Every pool-level quantity is chosen so that any feasible integer
//! roster maps to a feasible LP point of no greater cost (so the LP optimum
//! stays a lower bound):
//!
//! * Columns are per (pool, shift, tier) where a tier is a distinct
//!   (pair cost, quota mask, pinned) triple; the column's upper bound is the
//!   number of members holding that tier on that shift. A roster maps to
//!   `x = number of those members assigned`, which respects the bound and
//!   has exactly the roster's pair costs and quota counts.
//! * "Collapsed" pools (a tighter budget) keep one column per (pool, shift,
//!   pinned): cost = minimum over the members' costs (never above the real
//!   cost), quota mask = OR of the members' masks (counts at least the real
//!   qualifying assignees, so shortfall is never overstated), upper bound =
//!   number of eligible members.
//! * Spacing cliques use the smallest `min_rest` of the members: two shifts
//!   that both cover a point of `[start, end + r_min)` also conflict for a
//!   member with a larger rest (and travel only enlarges the gap), so each
//!   member still works at most one shift of the clique; the right-hand side
//!   is min(members, Σ column bounds), as only eligible members can count.
//! * Day minutes: the right-hand side sums `max_minutes_per_day` over the
//!   members that have an eligible shift on that day (the others work 0
//!   minutes there). Max shifts: the members' `max_shifts` summed.
//! * Min shifts: `z ≥ Σ min_shifts − Σ x` with cost `under_commitment`; valid
//!   because Σ max(0, a_i) ≥ max(0, Σ a_i) and the weight is the same for all.
//! * Volunteers used: `max_shifts_max · y ≥ Σ x` — each used member works at
//!   most the largest `max_shifts` of the pool.

use super::classes::Classes;
use crate::problem::Problem;
use rayon::prelude::*;
use std::collections::HashMap;

/// One LP column template of a pool.
#[derive(Clone, Debug)]
pub(crate) struct PoolCol {
    pub shift: u32,
    pub cost: f64,
    pub mask: u32,
    /// Members that may take this column (its upper bound).
    pub count: u32,
    /// Pinned (frozen) pairs: the column is fixed at `count`.
    pub pinned: bool,
}

/// A pool of (one or more) classes.
#[derive(Clone, Debug, Default)]
pub(crate) struct Pool {
    pub members: u64,
    pub min_rest: i64,
    pub max_shifts_sum: f64,
    pub min_shifts_sum: f64,
    pub max_shifts_max: u32,
    /// `(day, Σ max_minutes_per_day of members eligible that day)`, sorted by day.
    pub day_caps: Vec<(u32, f64)>,
    /// Columns sorted by (shift start, shift, pinned, cost, mask).
    pub cols: Vec<PoolCol>,
}

/// Per-class facts used by the coarsening keys.
pub(crate) struct ClassFacts {
    pub venue_hash: u64,
    pub home: u32,
    pub min_rest: i64,
    pub first_day: u32,
    pub last_day: u32,
}

pub(crate) fn class_facts(problem: &Problem, classes: &Classes) -> Vec<ClassFacts> {
    use std::hash::{Hash, Hasher};
    classes
        .rep
        .par_iter()
        .map(|&v| {
            let v = v as usize;
            let venues = problem.venues_of(v);
            let mut h = std::collections::hash_map::DefaultHasher::new();
            venues.hash(&mut h);
            let days = problem
                .vol_pairs(v)
                .map(|p| problem.shifts()[problem.pair_shift()[p] as usize].day);
            let first_day = days.clone().min().unwrap_or(0);
            let last_day = days.max().unwrap_or(0);
            ClassFacts {
                venue_hash: h.finish(),
                home: problem.volunteers()[v].home,
                min_rest: problem.volunteers()[v].min_rest,
                first_day,
                last_day,
            }
        })
        .collect()
}

/// Whether pair `p` of volunteer `v` can ever be worked: a shift longer than
/// the volunteer's day cap can never be assigned (rule 5), unless pinned.
fn usable(problem: &Problem, pinned: &[bool], v: usize, p: usize) -> bool {
    let sh = &problem.shifts()[problem.pair_shift()[p] as usize];
    pinned.get(p).copied().unwrap_or(false)
        || sh.duration() <= problem.volunteers()[v].max_minutes_per_day
}

/// Builds one pool from the given classes.
fn build_pool(
    problem: &Problem,
    classes: &Classes,
    pinned: &[bool],
    members: &[u32],
    collapse: bool,
) -> Pool {
    let mut pool = Pool {
        min_rest: i64::MAX,
        ..Pool::default()
    };
    let mut cols: Vec<PoolCol> = Vec::new();
    let mut day_caps: Vec<(u32, f64)> = Vec::new();
    for &c in members {
        let v = classes.rep[c as usize] as usize;
        let n = classes.size[c as usize];
        let info = &problem.volunteers()[v];
        pool.members += n as u64;
        pool.min_rest = pool.min_rest.min(info.min_rest);
        pool.max_shifts_sum += info.max_shifts as f64 * n as f64;
        pool.min_shifts_sum += info.min_shifts as f64 * n as f64;
        pool.max_shifts_max = pool.max_shifts_max.max(info.max_shifts);
        let mut last_day = u32::MAX;
        let mut days: Vec<u32> = Vec::new();
        for p in problem.vol_pairs(v) {
            if !usable(problem, pinned, v, p) {
                continue;
            }
            let s = problem.pair_shift()[p];
            let d = problem.shifts()[s as usize].day;
            if d != last_day {
                days.push(d);
                last_day = d;
            }
            cols.push(PoolCol {
                shift: s,
                cost: problem.pair_cost()[p],
                mask: problem.pair_quota_mask()[p],
                count: n,
                pinned: pinned.get(p).copied().unwrap_or(false),
            });
        }
        days.sort_unstable();
        days.dedup();
        let cap = info.max_minutes_per_day as f64 * n as f64;
        day_caps.extend(days.into_iter().map(|d| (d, cap)));
    }
    if pool.min_rest == i64::MAX {
        pool.min_rest = 0;
    }
    pool.day_caps = merge_day_caps(day_caps);
    pool.cols = merge_columns(problem, cols, collapse);
    pool
}

/// Day caps summed per day, by day.
fn merge_day_caps(mut day_caps: Vec<(u32, f64)>) -> Vec<(u32, f64)> {
    day_caps.sort_unstable_by_key(|&(d, _)| d);
    let mut merged_days: Vec<(u32, f64)> = Vec::new();
    for (d, cap) in day_caps {
        match merged_days.last_mut() {
            Some(last) if last.0 == d => last.1 += cap,
            _ => merged_days.push((d, cap)),
        }
    }
    merged_days
}

/// Columns sorted by shift start, shift and pin, then merged: columns of
/// one shift and pin state become one (at the lowest cost, with the union
/// of the quota masks) when `collapse`, otherwise only when cost and mask
/// are equal too.
fn merge_columns(problem: &Problem, mut cols: Vec<PoolCol>, collapse: bool) -> Vec<PoolCol> {
    let shifts = problem.shifts();
    cols.sort_by(|a, b| {
        (shifts[a.shift as usize].start, a.shift, a.pinned)
            .cmp(&(shifts[b.shift as usize].start, b.shift, b.pinned))
            .then(a.cost.total_cmp(&b.cost))
            .then(a.mask.cmp(&b.mask))
    });
    let mut out: Vec<PoolCol> = Vec::with_capacity(cols.len());
    for col in cols {
        match out.last_mut() {
            Some(last)
                if last.shift == col.shift
                    && last.pinned == col.pinned
                    && (collapse
                        || (last.cost.to_bits() == col.cost.to_bits()
                            && last.mask == col.mask)) =>
            {
                // Sorted by cost, so `last.cost` is already the minimum.
                last.mask |= col.mask;
                last.count += col.count;
            }
            _ => out.push(col),
        }
    }
    out
}

pub(crate) fn build_pools(
    problem: &Problem,
    classes: &Classes,
    pinned: &[bool],
    groups: &[Vec<u32>],
    collapse: bool,
) -> Vec<Pool> {
    groups
        .par_iter()
        .map(|g| build_pool(problem, classes, pinned, g, collapse))
        .collect()
}

/// Groups classes by a key, in order of first appearance (deterministic).
pub(crate) fn group_by<K: std::hash::Hash + Eq>(
    n: usize,
    key: impl Fn(usize) -> K,
) -> Vec<Vec<u32>> {
    let mut index: HashMap<K, usize> = HashMap::new();
    let mut groups: Vec<Vec<u32>> = Vec::new();
    for c in 0..n {
        let k = key(c);
        let g = *index.entry(k).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(c as u32);
    }
    groups
}

/// Splits the classes, ordered by (venues, rest, home, first day), into
/// `k` chunks of consecutive classes.
pub(crate) fn chunks(facts: &[ClassFacts], k: usize) -> Vec<Vec<u32>> {
    let mut order: Vec<u32> = (0..facts.len() as u32).collect();
    order.sort_by_key(|&c| {
        let f = &facts[c as usize];
        (f.venue_hash, f.min_rest, f.home, f.first_day, c)
    });
    let k = k.clamp(1, order.len().max(1));
    let per = order.len().div_ceil(k).max(1);
    order.chunks(per).map(|c| c.to_vec()).collect()
}

/// Number of columns of a set of pools.
pub(crate) fn n_columns(pools: &[Pool]) -> usize {
    pools.iter().map(|p| p.cols.len()).sum()
}
