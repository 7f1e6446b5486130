//! The small context every move works over: the problem, the roster, the
//! RNG, the undo log and the worker's part, with the primitives the moves
//! share (logged add and remove, rollback, acceptance, greedy completion).

use super::Partition;
use crate::problem::Problem;
use crate::solver::state::{spaced, Assignment};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Most candidates a greedy step inside a move looks at.
const SCAN_CAP: usize = 96;

/// Draws a worker makes for an item of its own part before it takes one
/// it does not own (the move then finds nothing it may change). With two
/// parts, a draw without retries left half of city's quota moves scanning
/// shifts the worker may not touch.
const PICK_TRIES: usize = 4;

/// A random item of `items` (not empty) that `owns`, tried on up to
/// [`PICK_TRIES`] draws; else the last draw.
fn pick_owned(rng: &mut ChaCha8Rng, items: &[u32], owns: impl Fn(usize) -> bool) -> usize {
    let mut x = 0;
    for _ in 0..PICK_TRIES {
        x = items[rng.gen_range(0..items.len())] as usize;
        if owns(x) {
            break;
        }
    }
    x
}

/// One entry of the undo log.
#[derive(Clone, Copy)]
pub(super) enum Op {
    Added(u32),
    Removed(u32),
}

/// The roster, its RNG, the undo log of the move under way and the part of
/// the problem this worker may change.
pub(super) struct Ctx<'p> {
    pub(super) p: &'p Problem,
    pub(super) a: Assignment,
    pub(super) rng: ChaCha8Rng,
    pub(super) log: Vec<Op>,
    pub(super) part: Option<(&'p Partition, u8)>,
}

impl<'p> Ctx<'p> {
    #[inline]
    pub(super) fn total(&self) -> f64 {
        self.a.total(self.p)
    }

    /// Adds `pair` and logs it.
    #[inline]
    pub(super) fn add(&mut self, pair: usize) {
        self.a.add(self.p, pair);
        self.log.push(Op::Added(pair as u32));
    }

    /// Removes `pair` and logs it.
    #[inline]
    pub(super) fn remove(&mut self, pair: usize) {
        self.a.remove(self.p, pair);
        self.log.push(Op::Removed(pair as u32));
    }

    /// Undoes every logged change, newest first.
    pub(super) fn rollback(&mut self) {
        while let Some(op) = self.log.pop() {
            match op {
                Op::Added(x) => self.a.remove(self.p, x as usize),
                Op::Removed(x) => self.a.add(self.p, x as usize),
            }
        }
    }

    /// Adds `q` when the rules allow it; otherwise rolls the whole move
    /// back and returns `false`.
    pub(super) fn add_or_rollback(&mut self, q: usize) -> bool {
        if !self.can_add(q, None) {
            self.rollback();
            return false;
        }
        self.add(q);
        true
    }

    /// Adds pair `q` straight away when the rules allow it without
    /// ejections and the annealing accepts its delta: `Some(true)` if
    /// added, `Some(false)` if rejected, `None` if it needs room first.
    pub(super) fn add_if_accepted(&mut self, q: usize, t: f64) -> Option<bool> {
        if !self.can_add(q, None) {
            return None;
        }
        let d = self.a.add_delta(self.p, q);
        let accepted = self.accept(d, t);
        if accepted {
            self.a.add(self.p, q);
        }
        Some(accepted)
    }

    /// The annealing acceptance test for an objective change `delta` at
    /// temperature `t`.
    #[inline]
    pub(super) fn accept(&mut self, delta: f64, t: f64) -> bool {
        delta <= 1e-9 || (t > 0.0 && self.rng.gen::<f64>() < (-delta / t).exp())
    }

    /// Ends a logged move: keeps it when accepted, else rolls it back.
    pub(super) fn finish(&mut self, before: f64, t: f64) -> bool {
        let delta = self.total() - before;
        if self.accept(delta, t) {
            self.log.clear();
            true
        } else {
            self.rollback();
            false
        }
    }

    /// Whether this worker may add or remove `pair`: not fixed (frozen
    /// shift or pinned pair), and inside its part when the search is
    /// partitioned.
    #[inline]
    pub(super) fn movable(&self, pair: usize) -> bool {
        match self.part {
            None => !self.p.is_fixed(pair),
            Some((part, k)) => part.pair_part[pair] == k,
        }
    }

    /// [`Assignment::can_add`] restricted to pairs this worker may touch.
    #[inline]
    pub(super) fn can_add(&self, q: usize, ignore: Option<u32>) -> bool {
        self.movable(q) && self.a.can_add(self.p, q, ignore)
    }

    /// A random volunteer of this worker's part.
    pub(super) fn pick_volunteer(&mut self) -> usize {
        match self.part {
            Some((part, k)) if !part.vols_of[k as usize].is_empty() => {
                let list = &part.vols_of[k as usize];
                list[self.rng.gen_range(0..list.len())] as usize
            }
            _ => self.rng.gen_range(0..self.p.n_volunteers()),
        }
    }

    /// A random shift of this worker's part.
    pub(super) fn pick_shift(&mut self) -> usize {
        match self.part {
            Some((part, k)) if !part.shifts_of[k as usize].is_empty() => {
                let list = &part.shifts_of[k as usize];
                list[self.rng.gen_range(0..list.len())] as usize
            }
            _ => self.rng.gen_range(0..self.p.n_shifts()),
        }
    }

    /// A random short shift (there must be one), of this worker's part
    /// when [`PICK_TRIES`] draws find one.
    pub(super) fn pick_short_shift(&mut self) -> usize {
        let part = self.part;
        pick_owned(&mut self.rng, self.a.short_shifts().items(), |s| {
            part.is_none_or(|(pt, k)| pt.shift_part[s] == k)
        })
    }

    /// A random under-committed volunteer (there must be one), of this
    /// worker's part when [`PICK_TRIES`] draws find one.
    pub(super) fn pick_under_committed(&mut self) -> usize {
        let part = self.part;
        pick_owned(&mut self.rng, self.a.under_committed().items(), |v| {
            part.is_none_or(|(pt, k)| pt.vol_part[v] == k)
        })
    }

    /// A random unmet quota (there must be one) on a shift of this worker's
    /// part when [`PICK_TRIES`] draws find one.
    pub(super) fn pick_unmet_quota(&mut self) -> usize {
        let (p, part) = (self.p, self.part);
        pick_owned(&mut self.rng, self.a.unmet_quotas().items(), |q| {
            let s = p.quotas()[q].shift as usize;
            part.is_none_or(|(pt, k)| pt.shift_part[s] == k)
        })
    }

    /// A cyclic window of at most [`SCAN_CAP`] positions in a list of `len`:
    /// (offset, count). Keeps greedy scans cheap on huge pools.
    #[inline]
    pub(super) fn window(&mut self, len: usize) -> (usize, usize) {
        if len <= SCAN_CAP {
            (0, len)
        } else {
            (self.rng.gen_range(0..len), SCAN_CAP)
        }
    }

    /// Tries up to `tries` random candidates for shift `s`; adds the first that fits.
    #[inline(never)]
    pub(super) fn refill(&mut self, s: usize, tries: usize) {
        let list = self.p.shift_pair_list(s);
        if list.is_empty() {
            return;
        }
        for _ in 0..tries {
            let q = list[self.rng.gen_range(0..list.len())] as usize;
            if !self.a.on()[q] && self.can_add(q, None) {
                self.add(q);
                return;
            }
        }
    }

    /// Removes from `q`'s volunteer every assignment that clashes with `q`
    /// (spacing), then one more if a daily, count or consecutive-day limit
    /// still blocks it. Returns false (leaving the log to roll back) when `q`
    /// still cannot be added or a frozen assignment is in the way.
    pub(super) fn make_room(&mut self, q: usize) -> bool {
        let p = self.p;
        if !self.movable(q) {
            return false;
        }
        let s = p.pair_shift()[q] as usize;
        if self.a.shift_count(s) >= p.shifts()[s].max {
            return false;
        }
        let v = self.p.pair_vol()[q] as usize;
        let mut k = 0;
        while k < self.a.schedule(v).len() {
            let r = self.a.schedule(v)[k] as usize;
            let t = p.pair_shift()[r] as usize;
            if spaced(p, v, s, t) {
                k += 1;
                continue;
            }
            if !self.movable(r) {
                return false;
            }
            self.remove(r);
        }
        if self.can_add(q, None) {
            return true;
        }
        match self.blocking_pair(q) {
            Some(r) => {
                self.remove(r);
                true
            }
            None => false,
        }
    }

    /// After a chain: refills shifts emptied below `min` by removals in the log.
    pub(super) fn refill_removed(&mut self, tries: usize) {
        let n = self.log.len();
        for i in 0..n {
            if let Op::Removed(r) = self.log[i] {
                let s = self.p.pair_shift()[r as usize] as usize;
                if self.a.shift_count(s) < self.p.shifts()[s].min {
                    self.refill(s, tries);
                }
            }
        }
    }

    /// An assigned, movable pair of `q`'s volunteer whose removal lets `q` in.
    fn blocking_pair(&mut self, q: usize) -> Option<usize> {
        let p = self.p;
        let s = p.pair_shift()[q] as usize;
        if self.a.shift_count(s) >= p.shifts()[s].max {
            return None;
        }
        let v = self.p.pair_vol()[q] as usize;
        let n = self.a.schedule(v).len();
        if n == 0 {
            return None;
        }
        let off = self.rng.gen_range(0..n);
        for k in 0..n {
            let r = self.a.schedule(v)[(off + k) % n] as usize;
            if self.movable(r) && self.a.fits_schedule(p, v, q, Some(r as u32)) {
                return Some(r);
            }
        }
        None
    }

    /// Greedily adds up to `limit` of volunteer `v`'s shifts, best first,
    /// while each addition lowers the objective.
    pub(super) fn complete(&mut self, v: usize, limit: usize) {
        let range = self.p.vol_pairs(v);
        self.complete_in(range, limit);
    }

    /// [`Self::complete`] restricted to `v`'s shifts starting within a day
    /// of shift `s` (where a move just freed or took time).
    pub(super) fn complete_near(&mut self, v: usize, s: usize, limit: usize) {
        let p = self.p;
        let range = p.vol_pairs(v);
        let (lo, hi) = (p.shifts()[s].start - 1440, p.shifts()[s].end + 1440);
        let slice = &p.pair_shift()[range.clone()];
        let a = slice.partition_point(|&x| p.shifts()[x as usize].start < lo);
        let b = slice.partition_point(|&x| p.shifts()[x as usize].start <= hi);
        self.complete_in(range.start + a..range.start + b, limit);
    }

    /// Greedy completion over the pairs `range` of one volunteer.
    fn complete_in(&mut self, range: std::ops::Range<usize>, limit: usize) {
        let p = self.p;
        if range.is_empty() {
            return;
        }
        for _ in 0..limit {
            let mut best: Option<(f64, usize)> = None;
            let (off, n) = self.window(range.len());
            for k in 0..n {
                let q = range.start + (off + k) % range.len();
                if self.a.on()[q] {
                    continue;
                }
                let d = self.a.add_delta(p, q);
                if d < -1e-9 && best.is_none_or(|b| d < b.0) && self.can_add(q, None) {
                    best = Some((d, q));
                }
            }
            match best {
                Some((_, q)) => self.add(q),
                None => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{generate, GeneratorConfig};
    use crate::solver::partition;
    use crate::solver::state::Assignment;
    use rand::SeedableRng;

    /// The draws land in part 0 (`owned`) with probability 1 − (1 − f)^t
    /// for t = [`PICK_TRIES`], where f is the share of `items` there.
    fn assert_retry_law(items: &[u32], owned: impl Fn(usize) -> bool, draws: &[usize]) {
        let of_items = items.iter().filter(|&&x| owned(x as usize)).count() as f64;
        let f = of_items / items.len() as f64;
        assert!((0.05..0.95).contains(&f), "both parts hold some: {f}");
        let got = draws.iter().filter(|&&x| owned(x)).count() as f64 / draws.len() as f64;
        let expected = 1.0 - (1.0 - f).powi(PICK_TRIES as i32);
        assert!(
            (got - expected).abs() < 0.04,
            "{got} vs {expected} (one draw: {f})"
        );
    }

    #[test]
    fn a_worker_draws_quotas_and_volunteers_of_its_own_part() {
        let cfg = GeneratorConfig {
            volunteers: 600,
            ..GeneratorConfig::default()
        };
        let p = Problem::compile(&generate(&cfg)).expect("compiles");
        let part = partition(&p, 2, 7);
        // In the empty roster every quota is unmet and every volunteer with
        // a commitment is under it.
        let mut c = Ctx {
            p: &p,
            a: Assignment::new(&p),
            rng: ChaCha8Rng::seed_from_u64(5),
            log: Vec::new(),
            part: Some((&part, 0)),
        };
        let quota_in_part = |q: usize| part.shift_part[p.quotas()[q].shift as usize] == 0;
        let draws: Vec<usize> = (0..4000).map(|_| c.pick_unmet_quota()).collect();
        assert_retry_law(c.a.unmet_quotas().items(), quota_in_part, &draws);
        let draws: Vec<usize> = (0..4000).map(|_| c.pick_under_committed()).collect();
        assert_retry_law(
            c.a.under_committed().items(),
            |v| part.vol_part[v] == 0,
            &draws,
        );
    }
}
