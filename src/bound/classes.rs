//! Exact volunteer classes: volunteers whose LP columns and rows would be
//! identical (same eligible shifts with the same pair costs, quota masks and
//! pinned flags, same rules). Members of a class are interchangeable in the
//! relaxation, so one column `x[c, s] ∈ [0, |c|]` replaces `|c|` columns.

use crate::problem::Problem;
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// Classes of interchangeable volunteers, in order of first appearance.
pub(crate) struct Classes {
    /// Representative volunteer of each class (its first member).
    pub rep: Vec<u32>,
    /// Number of members of each class.
    pub size: Vec<u32>,
}

/// `pinned[p]` for every pair (empty when nothing is pinned).
pub(crate) fn pinned_flags(problem: &Problem) -> Vec<bool> {
    if problem.pinned().is_empty() {
        return Vec::new();
    }
    let mut flags = vec![false; problem.n_pairs()];
    for &p in problem.pinned() {
        if let Some(f) = flags.get_mut(p as usize) {
            *f = true;
        }
    }
    flags
}

fn rules_key(problem: &Problem, v: usize) -> (i64, i64, u32, u32, u32) {
    let r = &problem.volunteers()[v];
    (
        r.min_rest,
        r.max_minutes_per_day,
        r.max_consecutive_days,
        r.min_shifts,
        r.max_shifts,
    )
}

fn same_signature(problem: &Problem, pinned: &[bool], a: usize, b: usize) -> bool {
    if rules_key(problem, a) != rules_key(problem, b) {
        return false;
    }
    let (ra, rb) = (problem.vol_pairs(a), problem.vol_pairs(b));
    if ra.len() != rb.len() {
        return false;
    }
    ra.zip(rb).all(|(p, q)| {
        problem.pair_shift()[p] == problem.pair_shift()[q]
            && problem.pair_cost()[p].to_bits() == problem.pair_cost()[q].to_bits()
            && problem.pair_quota_mask()[p] == problem.pair_quota_mask()[q]
            && pinned.get(p) == pinned.get(q)
    })
}

/// Groups volunteers into exact classes. Signatures are hashed in parallel
/// (a fixed-key hasher, so the result is deterministic) and every hash hit
/// is verified by comparing the full signature, so a collision can never
/// merge two different volunteers.
pub(crate) fn build(problem: &Problem, pinned: &[bool]) -> Classes {
    let n = problem.n_volunteers();
    let hashes: Vec<u64> = (0..n)
        .into_par_iter()
        .map(|v| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            rules_key(problem, v).hash(&mut h);
            for p in problem.vol_pairs(v) {
                problem.pair_shift()[p].hash(&mut h);
                problem.pair_cost()[p].to_bits().hash(&mut h);
                problem.pair_quota_mask()[p].hash(&mut h);
                pinned.get(p).hash(&mut h);
            }
            h.finish()
        })
        .collect();
    let mut by_hash: HashMap<u64, Vec<u32>> = HashMap::with_capacity(n);
    let mut rep = Vec::new();
    let mut size = Vec::new();
    for (v, &h) in hashes.iter().enumerate() {
        let list = by_hash.entry(h).or_default();
        let found = list
            .iter()
            .copied()
            .find(|&c| same_signature(problem, pinned, rep[c as usize] as usize, v));
        match found {
            Some(c) => size[c as usize] += 1,
            None => {
                list.push(rep.len() as u32);
                rep.push(v as u32);
                size.push(1);
            }
        }
    }
    Classes { rep, size }
}
