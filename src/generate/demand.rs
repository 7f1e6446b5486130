//! Demand follows supply: each cell's capacity share decides how many of its
//! candidate shifts are kept, and the shifts' `min` are scaled so that
//! Σ `min` ≈ ratio × capacity, never above the eligible pool.

use super::candidates::Cells;
use super::model::VolModel;
use super::workable_days;

/// Per cell, the volunteers' capacity and who could work there.
pub(super) struct Supply {
    /// Σ over volunteers of their workable days spread over their cells.
    pub(super) cap_share: Vec<f64>,
    /// Accredited volunteers per skill class (none, driving, first aid).
    pub(super) pool: Vec<[u32; 3]>,
}

/// Capacity shares and eligible counts per class, cell by cell.
pub(super) fn supply(models: &[VolModel], cells: &Cells, nd: usize) -> Supply {
    let n_cells = cells.len();
    let mut cap_share = vec![0.0f64; n_cells];
    let mut pool = vec![[0u32; 3]; n_cells];
    let mut work_days: Vec<u32> = Vec::new();
    let mut usable: Vec<usize> = Vec::new();
    for m in models {
        work_days.clear();
        usable.clear();
        for &d in &m.days {
            let mut any = false;
            for &v in &m.venues {
                let c = v as usize * nd + d as usize;
                let p = &mut pool[c];
                p[0] += 1;
                p[1] += (m.mask & 0b1100 != 0) as u32;
                p[2] += (m.mask & 0b11_0000 != 0) as u32;
                if cells.mask[c] & m.mask != 0 {
                    usable.push(c);
                    any = true;
                }
            }
            if any {
                work_days.push(d);
            }
        }
        let cap = workable_days(&work_days, m.max_consecutive, m.max_shifts);
        if !usable.is_empty() {
            let share = cap as f64 / usable.len() as f64;
            for &c in &usable {
                cap_share[c] += share;
            }
        }
    }
    Supply { cap_share, pool }
}

/// The candidates kept as shifts.
pub(super) struct Kept {
    /// Candidate indices, by cell, ascending within a cell.
    pub(super) shifts: Vec<usize>,
    /// Per cell, the [`Candidate::bit`](super::model::Candidate::bit)s kept.
    pub(super) mask: Vec<u8>,
    /// Candidates left out.
    pub(super) dropped: usize,
}

/// Keeps, per cell, the heaviest shifts that someone can work, as many as
/// the cell's capacity carries.
pub(super) fn keep(cells: &Cells, supply: &Supply, ratio: f64) -> Kept {
    let candidates = &cells.candidates;
    let mut kept = Kept {
        shifts: Vec::new(),
        mask: vec![0u8; cells.len()],
        dropped: 0,
    };
    for c in 0..cells.len() {
        let range = cells.first[c]..cells.first[c + 1];
        let mut ok: Vec<usize> = range
            .clone()
            .filter(|&s| supply.pool[c][candidates[s].class() as usize] > 0)
            .collect();
        let room = (2.0 * ratio * supply.cap_share[c]).floor() as usize;
        if ok.len() > room {
            ok.sort_by(|&a, &b| {
                candidates[b]
                    .weight
                    .total_cmp(&candidates[a].weight)
                    .then(a.cmp(&b))
            });
            ok.truncate(room);
            ok.sort_unstable();
        }
        kept.dropped += range.len() - ok.len();
        for &s in &ok {
            kept.mask[c] |= candidates[s].bit();
        }
        kept.shifts.extend(ok);
    }
    kept
}

/// Final capacity over the kept shifts.
pub(super) fn capacity(models: &[VolModel], kept: &Kept, nd: usize) -> u64 {
    let mut total_capacity = 0u64;
    let mut work_days: Vec<u32> = Vec::new();
    for m in models {
        work_days.clear();
        for &d in &m.days {
            if m.venues
                .iter()
                .any(|&v| kept.mask[v as usize * nd + d as usize] & m.mask != 0)
            {
                work_days.push(d);
            }
        }
        total_capacity += workable_days(&work_days, m.max_consecutive, m.max_shifts) as u64;
    }
    total_capacity
}

/// Per kept shift: its share of demand before scaling, and its eligible pool.
pub(super) struct Demand {
    pub(super) raw: Vec<(f64, u32)>,
    pub(super) mins: Vec<u32>,
}

/// `min` ∝ cell capacity × role weight, scaled so that Σ `min` ≈ `target`;
/// never more than the eligible pool, never less than 1.
pub(super) fn demand(
    cells: &Cells,
    supply: &Supply,
    kept: &Kept,
    nd: usize,
    target: f64,
) -> Demand {
    let candidates = &cells.candidates;
    let mut cell_weight = vec![0.0f64; cells.len()];
    for &s in &kept.shifts {
        let c = &candidates[s];
        cell_weight[c.venue as usize * nd + c.day as usize] += c.weight;
    }
    let raw: Vec<(f64, u32)> = kept
        .shifts
        .iter()
        .map(|&s| {
            let c = &candidates[s];
            let cell = c.venue as usize * nd + c.day as usize;
            (
                supply.cap_share[cell] * c.weight / cell_weight[cell],
                supply.pool[cell][c.class() as usize],
            )
        })
        .collect();
    let k = scale_for(&raw, target);
    let mins = mins_at(&raw, k);
    Demand { raw, mins }
}

fn mins_at(raw: &[(f64, u32)], k: f64) -> Vec<u32> {
    raw.iter()
        .map(|&(r, p)| ((k * r).round().max(1.0) as u32).min(p))
        .collect()
}

fn sum_at(raw: &[(f64, u32)], k: f64) -> u64 {
    mins_at(raw, k).iter().map(|&m| m as u64).sum()
}

/// The scale whose Σ `min` is nearest `target` (bisection).
fn scale_for(raw: &[(f64, u32)], target: f64) -> f64 {
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    while (sum_at(raw, hi) as f64) < target && hi < 1e9 {
        hi *= 2.0;
    }
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if (sum_at(raw, mid) as f64) < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    if (sum_at(raw, hi) as f64 - target).abs() <= (target - sum_at(raw, lo) as f64).abs() {
        hi
    } else {
        lo
    }
}
