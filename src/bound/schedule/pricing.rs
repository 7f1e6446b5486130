//! Pricing: each volunteer's cheapest schedule at given prices, by dynamic
//! programming over their eligible shifts in start order.
//!
//! A schedule is a set of the volunteer's pairs that they can work
//! together. The state of the DP is (last pair, shifts taken):
//!
//! * rule 4 (spacing with travel) is checked between consecutive shifts of
//!   the schedule, which is enough: `max(rest, travel)` satisfies the
//!   triangle inequality and shifts have positive length, so spacing
//!   between neighbours implies spacing between any two;
//! * rule 6 (`max_shifts`) bounds the count, and the count makes
//!   `under_commitment`, `volunteer_used` and `extra_load` exact;
//! * rule 5 (`max_minutes_per_day`) is checked for every single shift and
//!   between consecutive shifts of the same day: a relaxation when three or
//!   more shifts could share a day (then the sum of all three is not
//!   checked), exact otherwise;
//! * rule 7 (`max_consecutive_days`) is exact: for a volunteer whose
//!   schedule could break it (more shifts allowed than the limit, and a
//!   longer run of days among their shifts), the state also holds the run
//!   of consecutive days worked up to the last pair ([`Pricing::cheapest`]).
//!
//! Every relaxation only lowers the cheapest value, so the bound built on
//! it stays valid.
//!
//! Speed: predecessors whose end lies at least `reach` (the longest gap the
//! volunteer can need: `max(rest, travel between any two of their
//! venues)`) before a pair's start, and on an earlier day, are compatible
//! whatever their venue; a running minimum over them (per count) replaces
//! a scan. Only the few pairs ending inside that window are checked one by
//! one. Volunteers with pinned pairs take a plain quadratic DP that also
//! forces the pins.

use crate::problem::Problem;
use crate::time::MINUTES_PER_DAY;

/// Marker for "no predecessor".
const START: u32 = u32::MAX;

/// The per-volunteer data the DP needs, computed once per problem.
pub struct Pricing {
    /// Per volunteer (CSR by `vol_start`): local pair indices sorted by
    /// (shift end, local index).
    end_order: Vec<u32>,
    /// Per volunteer: the longest gap any two of their shifts may need, or
    /// `None` when some pair of their venues is unreachable (every
    /// predecessor is then checked one by one).
    reach: Vec<Option<i64>>,
    /// Per pair: pinned (must be in every schedule).
    forced: Vec<bool>,
    /// Per volunteer: has a pinned pair.
    has_forced: Vec<bool>,
    /// Per pair: usable at all (not a non-pinned pair of a frozen shift,
    /// and not longer than the volunteer's daily cap unless pinned).
    usable: Vec<bool>,
    /// Per volunteer: the run lengths the DP tracks (`max_consecutive_days`
    /// when rule 7 could bind on their schedule, else 0: no run state).
    runs: Vec<u32>,
}

/// Reusable buffers of one worker: no allocation per call once grown.
#[derive(Default)]
pub struct Scratch {
    /// `dp[(j * width + k) * runs + r]`: cheapest schedule ending at local
    /// pair `j` with `k` shifts and a run of `r + 1` consecutive days.
    dp: Vec<f64>,
    /// Predecessor of each state (`i * runs + r` for local pair `i` and its
    /// run index, or [`START`]).
    pred: Vec<u32>,
    /// Highest reachable count per local pair.
    top: Vec<u32>,
    /// Running minimum per count over the sure predecessors, and its pair.
    run: Vec<f64>,
    run_arg: Vec<u32>,
    /// With run states: the running minimum per (count, run) over the sure
    /// predecessors of the day before, and its state.
    yesterday: Vec<f64>,
    yesterday_arg: Vec<u32>,
}

/// A volunteer's cheapest schedule: its priced value and its pairs.
pub struct Cheapest {
    /// Priced value: the pairs' costs plus [`count_cost`] of their number (the pairs go to `chosen`).
    pub value: f64,
}

impl Pricing {
    /// Prepares pricing for the volunteers of `p`.
    pub fn new(p: &Problem) -> Self {
        let n_pairs = p.n_pairs();
        let mut forced = vec![false; n_pairs];
        for &pair in p.pinned() {
            forced[pair as usize] = true;
        }
        let mut end_order = Vec::with_capacity(n_pairs);
        let mut reach = Vec::with_capacity(p.n_volunteers());
        let mut has_forced = Vec::with_capacity(p.n_volunteers());
        let mut usable = vec![true; n_pairs];
        let mut runs = Vec::with_capacity(p.n_volunteers());
        for v in 0..p.n_volunteers() {
            let range = p.vol_pairs(v);
            let base = range.start;
            let mut local: Vec<u32> = (0..range.len() as u32).collect();
            local.sort_by_key(|&j| {
                (
                    p.shifts()[p.pair_shift()[base + j as usize] as usize].end,
                    j,
                )
            });
            end_order.extend_from_slice(&local);
            reach.push(volunteer_reach(p, v));
            has_forced.push(range.clone().any(|q| forced[q]));
            let cap = p.volunteers()[v].max_minutes_per_day;
            for q in range {
                let sh = &p.shifts()[p.pair_shift()[q] as usize];
                if !forced[q] && (sh.frozen || sh.duration() > cap) {
                    usable[q] = false;
                }
            }
            runs.push(run_states(p, v, &usable));
        }
        Pricing {
            end_order,
            reach,
            forced,
            has_forced,
            usable,
            runs,
        }
    }

    /// Whether volunteer `v` has a pinned pair.
    pub fn has_pins(&self, v: usize) -> bool {
        self.has_forced[v]
    }

    /// Whether pair `q` is pinned.
    pub fn is_forced(&self, q: usize) -> bool {
        self.forced[q]
    }

    /// The latest end of a predecessor of shift `sj` (for volunteer `v`)
    /// that is compatible whatever its venue: at least `reach` before its
    /// start and before its day ([`i64::MIN`] when two of their venues are
    /// not connected, so none is sure).
    #[inline]
    fn sure_until(&self, v: usize, sj: &crate::problem::ShiftInfo) -> i64 {
        match self.reach[v] {
            Some(r) => (sj.start - r).min(i64::from(sj.day) * MINUTES_PER_DAY),
            None => i64::MIN,
        }
    }

    /// How the run of days moves from a pair on day `from` to one on day
    /// `to` (0: the same day, 1: the next, more: a day off between), or 0
    /// when volunteer `v`'s runs are not tracked (the run index stays 0).
    #[inline]
    fn step(&self, v: usize, from: u32, to: u32) -> u32 {
        if self.runs[v] > 0 {
            to - from
        } else {
            0
        }
    }

    /// Cheapest schedule of volunteer `v` when pair `q` costs `rc(q)`, plus
    /// [`count_cost`] of its length; its pairs (global positions, in start
    /// order) replace the contents of `chosen`. A pair costing +∞ is barred
    /// and skipped (no schedule when it is pinned).
    pub fn cheapest(
        &self,
        p: &Problem,
        v: usize,
        rc: &dyn Fn(usize) -> f64,
        scratch: &mut Scratch,
        chosen: &mut Vec<u32>,
    ) -> Cheapest {
        chosen.clear();
        let n = p.vol_pairs(v).len();
        let kmax = (p.volunteers()[v].max_shifts as usize).min(n);
        if kmax == 0 {
            return self.finish(p, v, scratch, Shape { width: 0, runs: 1 }, chosen);
        }
        let runs = (self.runs[v] as usize).max(1);
        let shape = Shape {
            width: kmax + 1,
            runs,
        };
        let states = n * shape.width * runs;
        scratch.dp.clear();
        scratch.dp.resize(states, f64::INFINITY);
        scratch.pred.clear();
        scratch.pred.resize(states, START);
        scratch.top.clear();
        scratch.top.resize(n, 0);
        if self.has_forced[v] {
            self.fill_forced(p, v, rc, scratch, shape);
        } else {
            self.fill_free(p, v, rc, scratch, shape);
        }
        self.finish(p, v, scratch, shape, chosen)
    }

    /// The DP without pins: a running minimum per count over the sure
    /// predecessors (those ending early enough before the pair's day to be
    /// compatible whatever their venue), plus a scan of the window of the
    /// others. With run states (rule 7), the sure predecessors of the day
    /// before are kept apart per run (their run goes on) from older ones (a
    /// day off between: the run restarts); without, every sure predecessor
    /// is older and the run index stays 0. (Measured back to back, one DP
    /// for both costs no more than a separate one without run states.)
    fn fill_free(
        &self,
        p: &Problem,
        v: usize,
        rc: &dyn Fn(usize) -> f64,
        sc: &mut Scratch,
        shape: Shape,
    ) {
        let Shape { width, runs } = shape;
        let range = p.vol_pairs(v);
        let base = range.start;
        let n = range.len();
        let order = &self.end_order[base..base + n];
        let min_rest = p.volunteers()[v].min_rest;
        let shift_of = |j: usize| &p.shifts()[p.pair_shift()[base + j] as usize];
        reset(&mut sc.run, &mut sc.run_arg, width);
        reset(&mut sc.yesterday, &mut sc.yesterday_arg, width * runs);
        let mut yesterday = None;
        let mut run_top = 0usize;
        let (mut sure, mut seen) = (0usize, 0usize);
        for j in 0..n {
            let q = base + j;
            if !self.usable[q] {
                continue;
            }
            let sj = shift_of(j);
            let day = sj.day;
            if yesterday.is_some_and(|y: u32| y + 1 < day) {
                fold_yesterday(sc, shape);
                yesterday = None;
            }
            let sure_until = self.sure_until(v, sj);
            while sure < n && shift_of(order[sure] as usize).end <= sure_until {
                let i = order[sure] as usize;
                if self.step(v, shift_of(i).day, day) == 1 {
                    yesterday = Some(day - 1);
                    take_yesterday(sc, shape, i);
                } else {
                    take_older(sc, shape, i);
                }
                run_top = run_top.max(sc.top[i] as usize);
                sure += 1;
            }
            seen = seen.max(sure);
            while seen < n && shift_of(order[seen] as usize).end <= sj.start - min_rest {
                seen += 1;
            }
            let c = rc(q);
            if c == f64::INFINITY {
                continue;
            }
            let mut top = extend_sure(sc, shape, j, c, run_top);
            for &i in &order[sure..seen] {
                let i = i as usize;
                if !self.usable[base + i] || !compatible(p, v, base + i, q) {
                    continue;
                }
                let step = self.step(v, shift_of(i).day, day);
                top = top.max(extend_from(sc, shape, (i, j), c, step));
            }
            sc.top[j] = top as u32;
        }
    }

    /// The plain DP over all earlier pairs, for volunteers with pins: a
    /// schedule may not skip a pinned pair, and must end at or after the
    /// last one.
    fn fill_forced(
        &self,
        p: &Problem,
        v: usize,
        rc: &dyn Fn(usize) -> f64,
        sc: &mut Scratch,
        shape: Shape,
    ) {
        let range = p.vol_pairs(v);
        let base = range.start;
        let n = range.len();
        let shift_of = |j: usize| &p.shifts()[p.pair_shift()[base + j] as usize];
        let starts_before = |a: usize, b: usize| shift_of(a).start < shift_of(b).start;
        let pins: Vec<usize> = (0..n).filter(|&i| self.forced[base + i]).collect();
        for j in 0..n {
            let q = base + j;
            let c = rc(q);
            if !self.usable[q] || c == f64::INFINITY || !fits_pins(p, v, base, &pins, j) {
                continue;
            }
            // A first shift may not come after a pin.
            let pins_before = (0..j).any(|i| self.forced[base + i] && starts_before(i, j));
            if !pins_before {
                sc.dp[(j * shape.width + 1) * shape.runs] = c;
                sc.top[j] = 1;
            }
            // The predecessor must be at or after the last pin before j.
            for i in (0..j).rev() {
                if starts_before(i, j) && self.usable[base + i] && compatible(p, v, base + i, q) {
                    let top = extend_from(
                        sc,
                        shape,
                        (i, j),
                        c,
                        self.step(v, shift_of(i).day, shift_of(j).day),
                    );
                    sc.top[j] = sc.top[j].max(top as u32);
                }
                if self.forced[base + i] && starts_before(i, j) {
                    break;
                }
            }
        }
    }

    /// Picks the best end state (the empty schedule unless pinned) and
    /// writes the chosen pairs.
    fn finish(
        &self,
        p: &Problem,
        v: usize,
        sc: &Scratch,
        shape: Shape,
        chosen: &mut Vec<u32>,
    ) -> Cheapest {
        let range = p.vol_pairs(v);
        let base = range.start;
        let n = range.len();
        let Shape { width, runs } = shape;
        let last_pin = (0..n).rev().find(|&j| self.forced[base + j]);
        let mut best = if last_pin.is_some() {
            f64::INFINITY
        } else {
            count_cost(p, v, 0)
        };
        let mut at: Option<(usize, usize, usize)> = None;
        let shift_of = |j: usize| &p.shifts()[p.pair_shift()[base + j] as usize];
        for j in 0..n {
            if let Some(l) = last_pin {
                // The schedule must end at the last pin or a later-starting shift.
                if j != l && shift_of(j).start <= shift_of(l).start {
                    continue;
                }
            }
            for k in 1..width.min(sc.top.get(j).map_or(0, |&t| t as usize) + 1) {
                for r in 0..runs {
                    let d = sc.dp[(j * width + k) * runs + r];
                    if d.is_finite() {
                        let total = d + count_cost(p, v, k);
                        if total < best {
                            best = total;
                            at = Some((j, k, r));
                        }
                    }
                }
            }
        }
        if let Some((mut j, mut k, mut r)) = at {
            loop {
                chosen.push((base + j) as u32);
                let prev = sc.pred[(j * width + k) * runs + r];
                if prev == START || k == 1 {
                    break;
                }
                (j, r) = (prev as usize / runs, prev as usize % runs);
                k -= 1;
            }
            chosen.reverse();
        }
        Cheapest { value: best }
    }
}

/// The DP's state space of one volunteer: counts `0..width` and run
/// lengths `1..=runs` (one run state when rule 7 is not tracked).
#[derive(Clone, Copy)]
struct Shape {
    width: usize,
    runs: usize,
}

/// The run states volunteer `v` needs: `max_consecutive_days` when a
/// schedule could break rule 7 (more shifts allowed than the limit, and a
/// longer run of days among their usable pairs), else 0 (not tracked).
fn run_states(p: &Problem, v: usize, usable: &[bool]) -> u32 {
    let vi = &p.volunteers()[v];
    let limit = vi.max_consecutive_days;
    let range = p.vol_pairs(v);
    if limit == 0 || vi.max_shifts <= limit || range.len() <= limit as usize {
        return 0;
    }
    let mut days: Vec<u32> = range
        .filter(|&q| usable[q])
        .map(|q| p.shifts()[p.pair_shift()[q] as usize].day)
        .collect();
    days.sort_unstable();
    days.dedup();
    let mut run = 0u32;
    for (i, &d) in days.iter().enumerate() {
        run = if i > 0 && days[i - 1] + 1 == d {
            run + 1
        } else {
            1
        };
        if run > limit {
            return limit;
        }
    }
    0
}

/// Empties a running minimum of `len` states.
fn reset(values: &mut Vec<f64>, args: &mut Vec<u32>, len: usize) {
    values.clear();
    values.resize(len, f64::INFINITY);
    args.clear();
    args.resize(len, START);
}

/// A sure predecessor `i` of the day before: into the per-run minimum.
fn take_yesterday(sc: &mut Scratch, Shape { width, runs }: Shape, i: usize) {
    for k in 1..=sc.top[i] as usize {
        for r in 0..runs.min(k) {
            let d = sc.dp[(i * width + k) * runs + r];
            if d < sc.yesterday[k * runs + r] {
                sc.yesterday[k * runs + r] = d;
                sc.yesterday_arg[k * runs + r] = (i * runs + r) as u32;
            }
        }
    }
}

/// A sure predecessor `i` at least two days back: into the minimum over
/// all runs (a schedule after it starts a new run).
fn take_older(sc: &mut Scratch, Shape { width, runs }: Shape, i: usize) {
    for k in 1..=sc.top[i] as usize {
        for r in 0..runs.min(k) {
            let d = sc.dp[(i * width + k) * runs + r];
            if d < sc.run[k] {
                sc.run[k] = d;
                sc.run_arg[k] = (i * runs + r) as u32;
            }
        }
    }
}

/// The day moved on by two or more: the day before's minimum joins the
/// older one.
fn fold_yesterday(sc: &mut Scratch, Shape { width, runs }: Shape) {
    for k in 1..width {
        for r in 0..runs.min(k) {
            let at = k * runs + r;
            if sc.yesterday[at] < sc.run[k] {
                sc.run[k] = sc.yesterday[at];
                sc.run_arg[k] = sc.yesterday_arg[at];
            }
            sc.yesterday[at] = f64::INFINITY;
            sc.yesterday_arg[at] = START;
        }
    }
}

/// Pair `j` (cost `c`) alone or after the sure predecessors; the highest
/// count reached.
fn extend_sure(
    sc: &mut Scratch,
    Shape { width, runs }: Shape,
    j: usize,
    c: f64,
    run_top: usize,
) -> usize {
    sc.dp[(j * width + 1) * runs] = c;
    let mut top = 1;
    for k in 2..width.min(run_top + 2) {
        let at = (j * width + k) * runs;
        if sc.run[k - 1].is_finite() {
            sc.dp[at] = c + sc.run[k - 1];
            sc.pred[at] = sc.run_arg[k - 1];
            top = k;
        }
        for r in 0..(runs - 1).min(k - 1) {
            let d = c + sc.yesterday[(k - 1) * runs + r];
            if d < sc.dp[at + r + 1] {
                sc.dp[at + r + 1] = d;
                sc.pred[at + r + 1] = sc.yesterday_arg[(k - 1) * runs + r];
                top = k;
            }
        }
    }
    top
}

/// Pair `j` (cost `c`) right after pair `i`, `step` days later; the
/// highest count reached.
fn extend_from(
    sc: &mut Scratch,
    Shape { width, runs }: Shape,
    (i, j): (usize, usize),
    c: f64,
    step: u32,
) -> usize {
    let mut top = 0;
    for k in 2..width.min(sc.top[i] as usize + 2) {
        for r in 0..runs.min(k - 1) {
            let d = sc.dp[(i * width + k - 1) * runs + r];
            let next = match step {
                0 => r,
                1 => r + 1,
                _ => 0,
            };
            if !d.is_finite() || next >= runs {
                continue;
            }
            let at = (j * width + k) * runs + next;
            if c + d < sc.dp[at] {
                sc.dp[at] = c + d;
                sc.pred[at] = (i * runs + r) as u32;
                top = k;
            }
        }
    }
    top
}

/// The part of the objective that depends only on how many shifts `k` the
/// volunteer works: `under_commitment × max(0, min_shifts − k)`,
/// `extra_load × max(0, k − min_shifts)²`, plus `volunteer_used` when
/// `k > 0`.
pub fn count_cost(p: &Problem, v: usize, k: usize) -> f64 {
    let w = p.weights();
    let min = p.volunteers()[v].min_shifts as f64;
    let k = k as f64;
    let used = if k > 0.0 { w.volunteer_used } else { 0.0 };
    let extra = (k - min).max(0.0);
    used + w.under_commitment * (min - k).max(0.0) + w.extra_load * extra * extra
}

/// Whether local pair `j` can be worked together with every pin (local
/// indices `pins`) of volunteer `v`, as far as two shifts go.
fn fits_pins(p: &Problem, v: usize, base: usize, pins: &[usize], j: usize) -> bool {
    pins.iter().all(|&f| {
        f == j || compatible(p, v, base + f, base + j) || compatible(p, v, base + j, base + f)
    })
}

/// Whether pair `b` may directly follow pair `a` (same volunteer, `a`
/// starting no later): rule 4, and rule 5 between the two when they share
/// a day.
fn compatible(p: &Problem, v: usize, a: usize, b: usize) -> bool {
    let (s, t) = (p.pair_shift()[a] as usize, p.pair_shift()[b] as usize);
    let (sa, sb) = (&p.shifts()[s], &p.shifts()[t]);
    if sa.start >= sb.start || !p.spaced(v, s, t) {
        return false;
    }
    sa.day != sb.day || sa.duration() + sb.duration() <= p.volunteers()[v].max_minutes_per_day
}

/// The longest gap volunteer `v` can need between two of their shifts:
/// `max(rest, travel)` over every pair of their venues; `None` when two of
/// them are not connected.
fn volunteer_reach(p: &Problem, v: usize) -> Option<i64> {
    let venues = p.venues_of(v);
    let mut longest = p.volunteers()[v].min_rest;
    for &a in &venues {
        for &b in &venues {
            let t = p.venue_travel(a, b);
            if t == crate::problem::UNREACHABLE {
                return None;
            }
            longest = longest.max(t.min(i64::MAX as u64 / 4) as i64);
        }
    }
    Some(longest)
}
