//! Construction: pinned pairs first, then the scarcest demand first (fewest
//! eligible volunteers per missing head, higher priority and LP value first),
//! then commitments and quotas where adding someone lowers the objective.

use super::state::Assignment;
use crate::problem::Problem;

/// Builds a first roster into `a` (which must be empty or hold only pins).
/// `shift_value` (e.g. LP duals) raises a shift's urgency when given.
pub fn construct(p: &Problem, a: &mut Assignment, shift_value: Option<&[f64]>) {
    for &pair in &p.pinned {
        if !a.on[pair as usize] {
            a.add(p, pair as usize);
        }
    }
    // 1. Minimum demand, scarcest first.
    let mut order: Vec<usize> = (0..p.n_shifts())
        .filter(|&s| !p.shifts[s].frozen && p.shifts[s].min > 0)
        .collect();
    let key = |s: usize| {
        let sh = &p.shifts[s];
        let pool = p.shift_pair_list(s).len() as f64;
        let value = shift_value.map_or(0.0, |v| v.get(s).copied().unwrap_or(0.0));
        // Fewer candidates per head and higher priority/value come first.
        pool / sh.min as f64 / (sh.priority * (1.0 + value.max(0.0) / 1000.0))
    };
    let keys: Vec<f64> = (0..p.n_shifts())
        .map(|s| if p.shifts[s].min > 0 { key(s) } else { 0.0 })
        .collect();
    order.sort_by(|&x, &y| keys[x].total_cmp(&keys[y]).then(x.cmp(&y)));
    for &s in &order {
        while a.shift_count(s) < p.shifts[s].min {
            match best_candidate(p, a, s, f64::INFINITY) {
                Some(pair) => a.add(p, pair),
                None => break,
            }
        }
    }
    // 2. Quotas and commitments: add whoever lowers the objective.
    fill_beneficial(p, a);
}

/// Adds, for every shift below `max`, the best candidates while that lowers
/// the objective (unmet quotas, volunteers below commitment).
pub fn fill_beneficial(p: &Problem, a: &mut Assignment) {
    for _round in 0..2 {
        let mut changed = false;
        for s in 0..p.n_shifts() {
            if p.shifts[s].frozen {
                continue;
            }
            while a.shift_count(s) < p.shifts[s].max {
                match best_candidate(p, a, s, -1e-9) {
                    Some(pair) => {
                        a.add(p, pair);
                        changed = true;
                    }
                    None => break,
                }
            }
        }
        if !changed {
            break;
        }
    }
}

/// The addable volunteer of shift `s` with the lowest objective delta below
/// `threshold`; ties go to the volunteer with fewer eligible shifts (the less
/// flexible one), then the lower index.
fn best_candidate(p: &Problem, a: &Assignment, s: usize, threshold: f64) -> Option<usize> {
    let mut best: Option<(f64, usize, usize)> = None;
    for (&pair, &v) in p.shift_pair_list(s).iter().zip(p.shift_vol_list(s)) {
        let pair = pair as usize;
        if a.on[pair] {
            continue;
        }
        let d = a.add_delta(p, pair);
        if d >= threshold {
            continue;
        }
        let flex = p.vol_pairs(v as usize).len();
        let better = match best {
            None => true,
            Some((bd, bf, _)) => d < bd - 1e-9 || (d <= bd + 1e-9 && flex < bf),
        };
        if better && a.can_add(p, pair, None) {
            best = Some((d, flex, pair));
        }
    }
    best.map(|b| b.2)
}
