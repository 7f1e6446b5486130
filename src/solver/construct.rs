//! Construction: pinned pairs first, then the scarcest demand first (fewest
//! eligible volunteers per missing head, higher priority first), then
//! commitments and quotas where adding someone lowers the objective. A
//! second construction starts from the relaxation's priced schedules
//! ([`construct_priced`]), a third from the min-cost flow relaxation of the
//! whole problem ([`construct_flow`]).

use super::state::Assignment;
use crate::problem::{Problem, PAIR_PREVIOUS};

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
    for &pair in p.pinned() {
        if !a.on()[pair as usize] {
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
        let s = p.pair_shift()[pair] as usize;
        if !a.on()[pair] && !p.shifts()[s].frozen && a.can_add(p, pair, None) {
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
    stop: &(dyn Fn() -> bool + Sync),
) -> super::flow::Relaxed {
    let relaxed = super::flow::relax(p, stop);
    repair_relaxed(p, a, &relaxed, stop);
    relaxed
}

/// The roster of [`construct_flow`] from a relaxation already solved
/// (pins first, then its pairs, the fills and the drop of costly
/// assignments).
pub fn repair_relaxed(
    p: &Problem,
    a: &mut Assignment,
    relaxed: &super::flow::Relaxed,
    stop: &dyn Fn() -> bool,
) {
    add_pins(p, a);
    let keys = scarcity_keys(p);
    let mut pairs = relaxed.pairs.clone();
    pairs.sort_by(|&x, &y| {
        let (sx, sy) = (p.pair_shift()[x as usize], p.pair_shift()[y as usize]);
        keys[sx as usize]
            .total_cmp(&keys[sy as usize])
            .then(sx.cmp(&sy))
            .then(x.cmp(&y))
    });
    for &pair in &pairs {
        let pair = pair as usize;
        if !a.on()[pair] && a.can_add(p, pair, None) {
            a.add(p, pair);
        }
    }
    fill_short_shifts(p, a, stop);
    fill_beneficial(p, a, stop);
    drop_costly(p, a);
}

/// Removes every movable assignment whose removal lowers the objective
/// (flow pairs kept for a reward the repair took away), in pair order.
pub fn drop_costly(p: &Problem, a: &mut Assignment) {
    for pair in 0..p.n_pairs() {
        if a.on()[pair] && !p.is_fixed(pair) && a.remove_delta(p, pair) < -1e-9 {
            a.remove(p, pair);
        }
    }
}

/// Per shift: candidates per missing head over priority (lower is scarcer);
/// infinite for shifts without minimum demand.
fn scarcity_keys(p: &Problem) -> Vec<f64> {
    (0..p.n_shifts())
        .map(|s| {
            let sh = &p.shifts()[s];
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
        .filter(|&s| !p.shifts()[s].frozen && p.shifts()[s].min > 0)
        .collect();
    // Fewer candidates per head and higher priority come first.
    let keys = scarcity_keys(p);
    order.sort_by(|&x, &y| keys[x].total_cmp(&keys[y]).then(x.cmp(&y)));
    for (i, &s) in order.iter().enumerate() {
        if i % STOP_POLL_SHIFTS == 0 && stop() {
            return;
        }
        fill_shift(p, a, s, p.shifts()[s].min, f64::INFINITY);
    }
}

/// Adds, for every shift below `max`, the best candidates while that lowers
/// the objective (unmet quotas, volunteers below commitment). A shift none
/// of whose pairs can lower it is passed over without scoring them (see
/// [`Unchanged`]).
pub fn fill_beneficial(p: &Problem, a: &mut Assignment, stop: &dyn Fn() -> bool) {
    const THRESHOLD: f64 = -1e-9;
    let unchanged = Unchanged::new(p);
    for _round in 0..2 {
        let mut changed = false;
        for s in 0..p.n_shifts() {
            if s % STOP_POLL_SHIFTS == 0 && stop() {
                return;
            }
            if p.shifts()[s].frozen || unchanged.cannot_gain(p, a, s, THRESHOLD) {
                continue;
            }
            changed |= fill_shift(p, a, s, p.shifts()[s].max, THRESHOLD) > 0;
        }
        if !changed {
            break;
        }
    }
}

/// What lets [`fill_beneficial`] pass over a shift whole: a floor under the
/// static cost of every pair that is not a previous pair of a re-solve
/// (`change` in a re-solve, 0 in a solve, with non-negative preference and
/// travel weights), and the previous pairs of each shift. In a re-solve a
/// shift the changes left covered, with its quotas met and its previous
/// pairs all kept, has no pair whose addition could pay its `change`.
struct Unchanged {
    floor: f64,
    previous: Vec<Vec<u32>>,
}

impl Unchanged {
    fn new(p: &Problem) -> Self {
        let w = p.weights();
        let floor = match (
            w.preference_miss >= 0.0 && w.travel_minute >= 0.0,
            p.pair_cost_has_change(),
        ) {
            (false, _) => f64::NEG_INFINITY,
            (true, true) => w.change,
            (true, false) => 0.0,
        };
        let mut previous = vec![Vec::new(); p.n_shifts()];
        for q in (0..p.n_pairs()).filter(|&q| p.pair_flags()[q] & PAIR_PREVIOUS != 0) {
            previous[p.pair_shift()[q] as usize].push(q as u32);
        }
        Unchanged { floor, previous }
    }

    /// Whether no pair of shift `s` can have a delta below `threshold` in
    /// `a`: [`fill_shift`] would score them all and add none.
    fn cannot_gain(&self, p: &Problem, a: &Assignment, s: usize, threshold: f64) -> bool {
        best_saving(p, a, s).is_some_and(|x| cannot_beat(self.floor, x, threshold))
            && self.previous[s].iter().all(|&q| a.on()[q as usize])
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

/// The most that adding any one volunteer to shift `s` can save in `a`:
/// its unmet minimum demand, its unmet quotas, and a volunteer below
/// commitment. Every other term of [`Assignment::add_delta`] can only grow
/// on an addition, so a pair's delta is at least its static cost less
/// this. `None` when a negative weight breaks that argument.
fn best_saving(p: &Problem, a: &Assignment, s: usize) -> Option<f64> {
    let w = p.weights();
    if w.volunteer_used < 0.0 || w.group_split < 0.0 || w.extra_load < 0.0 {
        return None;
    }
    let sh = &p.shifts()[s];
    let mut saving = w.under_commitment.max(0.0);
    if a.shift_count(s) < sh.min {
        saving += (w.uncovered * sh.priority).max(0.0);
    }
    let quotas = sh.quota_start as usize..(sh.quota_start + sh.quota_count) as usize;
    for q in quotas {
        if a.quota_count(q) < p.quotas()[q].at_least {
            saving += p.quotas()[q].unit_cost.max(0.0);
        }
    }
    Some(saving)
}

/// What [`best_saving`] counts for a volunteer below commitment that
/// volunteer `v` cannot save: the whole `under_commitment` once they have
/// reached their commitment (on city, after the flow, most volunteers
/// have, so most pairs of a covered shift with its quotas met are passed
/// over unscored: `fill_beneficial` there took 8.4–10.6 s, now 7.0 s),
/// else nothing.
fn commitment_not_saved(p: &Problem, a: &Assignment, v: usize) -> f64 {
    if a.schedule(v).len() as u32 >= p.volunteers()[v].min_shifts {
        p.weights().under_commitment.max(0.0)
    } else {
        0.0
    }
}

/// Whether a pair of static cost `cost` on a shift whose additions save at
/// most `saving` surely has a delta at or above `threshold` (with a margin
/// for rounding, so only pairs far from it are skipped unscored). In a
/// re-solve this skips almost every new pair on a shift the changes left
/// covered: each costs `change`, more than a commitment saves.
fn cannot_beat(cost: f64, saving: f64, threshold: f64) -> bool {
    cost - saving >= threshold + 1e-6 * (1.0 + cost.abs() + saving)
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
    let saving = best_saving(p, a, s);
    for (&pair, &v) in p.shift_pair_list(s).iter().zip(p.shift_vol_list(s)) {
        let pair = pair as usize;
        let bounded = saving.is_some_and(|x| {
            let x = x - commitment_not_saved(p, a, v as usize);
            cannot_beat(p.pair_cost()[pair], x, threshold)
        });
        if a.on()[pair] || bounded {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{generate, GeneratorConfig};
    use crate::problem::CompileOptions;

    /// [`fill_beneficial`] scoring every shift, none passed over.
    fn fill_every_shift(p: &Problem, a: &mut Assignment) {
        for _round in 0..2 {
            let mut changed = false;
            for s in (0..p.n_shifts()).filter(|&s| !p.shifts()[s].frozen) {
                changed |= fill_shift(p, a, s, p.shifts()[s].max, -1e-9) > 0;
            }
            if !changed {
                break;
            }
        }
    }

    /// Pins and minimum demand of `p`, then the same roster from
    /// [`fill_beneficial`] as from scoring every shift; returns how many
    /// shifts it could pass over at its start.
    fn assert_same_fill(p: &Problem, mut a: Assignment) -> usize {
        fill_short_shifts(p, &mut a, &|| false);
        let unchanged = Unchanged::new(p);
        let passed = (0..p.n_shifts())
            .filter(|&s| unchanged.cannot_gain(p, &a, s, -1e-9))
            .count();
        let mut every = a.clone();
        fill_every_shift(p, &mut every);
        fill_beneficial(p, &mut a, &|| false);
        assert_eq!(a.on(), every.on());
        assert!(a.total(p) <= every.total(p) + 1e-9);
        passed
    }

    #[test]
    fn passing_over_shifts_changes_no_roster() {
        let sc = generate(&GeneratorConfig::preset("small").expect("preset"));
        // A solve: new pairs are cheap, so few shifts can be passed over.
        let p = Problem::compile(&sc).expect("compiles");
        let mut a = Assignment::new(&p);
        add_pins(&p, &mut a);
        assert_same_fill(&p, a.clone());
        fill_short_shifts(&p, &mut a, &|| false);
        fill_beneficial(&p, &mut a, &|| false);
        // A re-solve keeping every other pair of that roster: each new pair
        // costs `change`, so most shifts are passed over.
        let previous: Vec<(usize, usize)> = a
            .assigned_pairs()
            .step_by(2)
            .map(|q| (p.pair_shift()[q] as usize, p.pair_vol()[q] as usize))
            .collect();
        let options = CompileOptions {
            change_baseline: previous.len(),
            previous_pairs: previous,
            repair: true,
            ..CompileOptions::default()
        };
        let r = Problem::compile_with(&sc, &options).expect("compiles");
        let mut kept = Assignment::new(&r);
        for q in (0..r.n_pairs()).filter(|&q| r.pair_flags()[q] & PAIR_PREVIOUS != 0) {
            if kept.can_add(&r, q, None) {
                kept.add(&r, q);
            }
        }
        let passed = assert_same_fill(&r, kept);
        assert!(passed > r.n_shifts() / 2, "{passed} of {}", r.n_shifts());
    }
}
