//! Construction: pinned pairs first, then the scarcest demand first (fewest
//! eligible volunteers per missing head, higher priority first), then
//! commitments and quotas where adding someone lowers the objective. A
//! second construction starts from the relaxation's priced schedules
//! ([`construct_priced`]), a third from the min-cost flow relaxation of the
//! whole problem ([`construct_flow`]).

use super::state::Assignment;
use crate::problem::Problem;

/// Builds a first roster into `a` (which must be empty or hold only pins).
/// `stop` is polled between shifts: a stopped construction leaves a valid,
/// partial roster (pins always included).
pub fn construct(p: &Problem, a: &mut Assignment, stop: &dyn Fn() -> bool) {
    add_pins(p, a);
    fill_short_shifts(p, a, stop);
    // 2. Quotas and commitments: add whoever lowers the objective.
    fill_beneficial(p, a, stop);
}

fn add_pins(p: &Problem, a: &mut Assignment) {
    for &pair in &p.pinned {
        if !a.on[pair as usize] {
            a.add(p, pair as usize);
        }
    }
}

/// Each volunteer's cheapest schedule at the relaxation's prices, and the
/// reduced cost of every pair at those prices.
pub struct PricedSchedules {
    /// Per volunteer: pair positions of their cheapest schedule.
    pub schedules: Vec<Vec<u32>>,
    /// Per pair: static cost less what the prices pay for it.
    pub reduced_cost: Vec<f64>,
}

/// Builds a first roster from priced schedules: pins, then every pair of
/// every cheapest schedule in order of reduced cost (cheapest first) as
/// long as the rules and the headcount allow it (this repairs the
/// conflicts between schedules: a shift over `max` keeps its cheapest
/// heads), then the greedy fill of [`construct`] for what is still short.
pub fn construct_priced(
    p: &Problem,
    a: &mut Assignment,
    priced: &PricedSchedules,
    stop: &dyn Fn() -> bool,
) {
    add_pins(p, a);
    let mut pairs: Vec<u32> = priced.schedules.iter().flatten().copied().collect();
    pairs.sort_by(|&x, &y| {
        let (cx, cy) = (
            priced.reduced_cost[x as usize],
            priced.reduced_cost[y as usize],
        );
        cx.total_cmp(&cy).then(x.cmp(&y))
    });
    for (i, &pair) in pairs.iter().enumerate() {
        if i % (STOP_POLL_SHIFTS * 64) == 0 && stop() {
            return;
        }
        let pair = pair as usize;
        let s = p.pair_shift[pair] as usize;
        if !a.on[pair] && !p.shifts[s].frozen && a.can_add(p, pair, None) {
            a.add(p, pair);
        }
    }
    fill_short_shifts(p, a, stop);
    fill_beneficial(p, a, stop);
}

/// Builds a first roster from the min-cost flow relaxation
/// ([`super::flow`]): pins, then the pairs carrying flow, scarcest shift
/// first (the order of [`fill_short_shifts`]), each while the rules and
/// `max` allow (this repairs what the relaxation left out: spacing and
/// consecutive days across days, quotas, groups), then the greedy fill for
/// what is still short, then every assignment whose removal lowers the
/// objective is dropped. Returns the relaxation's outcome.
pub fn construct_flow(
    p: &Problem,
    a: &mut Assignment,
    stop: &dyn Fn() -> bool,
) -> super::flow::Relaxed {
    add_pins(p, a);
    let relaxed = super::flow::relax(p, stop);
    let keys = scarcity_keys(p);
    let mut pairs = relaxed.pairs.clone();
    pairs.sort_by(|&x, &y| {
        let (sx, sy) = (p.pair_shift[x as usize], p.pair_shift[y as usize]);
        keys[sx as usize]
            .total_cmp(&keys[sy as usize])
            .then(sx.cmp(&sy))
            .then(x.cmp(&y))
    });
    for &pair in &pairs {
        let pair = pair as usize;
        if !a.on[pair] && a.can_add(p, pair, None) {
            a.add(p, pair);
        }
    }
    fill_short_shifts(p, a, stop);
    fill_beneficial(p, a, stop);
    drop_costly(p, a);
    relaxed
}

/// Removes every movable assignment whose removal lowers the objective
/// (flow pairs kept for a reward the repair took away), in pair order.
pub fn drop_costly(p: &Problem, a: &mut Assignment) {
    for pair in 0..p.n_pairs() {
        if a.on[pair] && !p.is_fixed(pair) && a.remove_delta(p, pair) < -1e-9 {
            a.remove(p, pair);
        }
    }
}

/// Per shift: candidates per missing head over priority (lower is scarcer);
/// infinite for shifts without minimum demand.
fn scarcity_keys(p: &Problem) -> Vec<f64> {
    (0..p.n_shifts())
        .map(|s| {
            let sh = &p.shifts[s];
            if sh.min == 0 {
                return f64::INFINITY;
            }
            p.shift_pair_list(s).len() as f64 / sh.min as f64 / sh.priority
        })
        .collect()
}

/// Shifts between two polls of the stop flag.
const STOP_POLL_SHIFTS: usize = 32;

/// Fills every non-frozen shift up to `min`, scarcest first (fewest
/// eligible volunteers per head, higher priority first).
pub fn fill_short_shifts(p: &Problem, a: &mut Assignment, stop: &dyn Fn() -> bool) {
    let mut order: Vec<usize> = (0..p.n_shifts())
        .filter(|&s| !p.shifts[s].frozen && p.shifts[s].min > 0)
        .collect();
    // Fewer candidates per head and higher priority come first.
    let keys = scarcity_keys(p);
    order.sort_by(|&x, &y| keys[x].total_cmp(&keys[y]).then(x.cmp(&y)));
    for (i, &s) in order.iter().enumerate() {
        if i % STOP_POLL_SHIFTS == 0 && stop() {
            return;
        }
        fill_shift(p, a, s, p.shifts[s].min, f64::INFINITY);
    }
}

/// Adds, for every shift below `max`, the best candidates while that lowers
/// the objective (unmet quotas, volunteers below commitment).
pub fn fill_beneficial(p: &Problem, a: &mut Assignment, stop: &dyn Fn() -> bool) {
    for _round in 0..2 {
        let mut changed = false;
        for s in 0..p.n_shifts() {
            if s % STOP_POLL_SHIFTS == 0 && stop() {
                return;
            }
            if p.shifts[s].frozen {
                continue;
            }
            changed |= fill_shift(p, a, s, p.shifts[s].max, -1e-9) > 0;
        }
        if !changed {
            break;
        }
    }
}

/// Candidate order key: objective delta, then fewer eligible shifts (the
/// less flexible volunteer), then pair index; totally ordered.
struct Key(f64, usize, usize);

impl PartialEq for Key {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == std::cmp::Ordering::Equal
    }
}

impl Eq for Key {}

impl PartialOrd for Key {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Key {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.0
            .total_cmp(&o.0)
            .then(self.1.cmp(&o.1))
            .then(self.2.cmp(&o.2))
    }
}

/// Adds volunteers to shift `s` until it has `target` heads, best objective
/// delta first, each below `threshold`. Deltas only grow as the shift fills
/// (coverage and quota benefits run out), so candidates sit in a lazy heap:
/// a popped candidate whose delta grew is pushed back with the new value.
/// Returns how many were added.
fn fill_shift(p: &Problem, a: &mut Assignment, s: usize, target: u32, threshold: f64) -> usize {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    if a.shift_count(s) >= target {
        return 0;
    }
    let mut heap: BinaryHeap<Reverse<Key>> = BinaryHeap::new();
    for (&pair, &v) in p.shift_pair_list(s).iter().zip(p.shift_vol_list(s)) {
        let pair = pair as usize;
        if a.on[pair] {
            continue;
        }
        let d = a.add_delta(p, pair);
        if d < threshold {
            heap.push(Reverse(Key(d, p.vol_pairs(v as usize).len(), pair)));
        }
    }
    let mut added = 0;
    while a.shift_count(s) < target {
        let Some(Reverse(Key(d, flex, pair))) = heap.pop() else {
            break;
        };
        let now = a.add_delta(p, pair);
        if now >= threshold {
            continue;
        }
        if now > d + 1e-9 {
            heap.push(Reverse(Key(now, flex, pair)));
            continue;
        }
        if a.can_add(p, pair, None) {
            a.add(p, pair);
            added += 1;
        }
    }
    added
}
