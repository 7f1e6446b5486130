//! Local search: simulated annealing over move, swap, replace and short
//! ejection-chain moves, scored incrementally with an undo log.

use super::state::Assignment;
use crate::problem::Problem;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Parameters of one annealing run.
#[derive(Clone, Debug)]
pub struct AnnealParams {
    /// Total iterations of the whole run (the temperature schedule spans them).
    pub iterations: u64,
    /// Iterations already done before this run (for the temperature).
    pub offset: u64,
    /// Iterations of this call.
    pub steps: u64,
    pub t_start: f64,
    pub t_end: f64,
    pub seed: u64,
}

/// What a run did.
#[derive(Clone, Debug, Default)]
pub struct AnnealStats {
    pub iterations: u64,
    pub accepted: u64,
    pub improved: u64,
    pub stopped_early: bool,
}

/// Most candidates a greedy step inside a move looks at.
const SCAN_CAP: usize = 96;

/// Most candidates a shed-load move prices (it runs often, so it looks at
/// fewer than the greedy steps' [`SCAN_CAP`]).
const SHED_SCAN: usize = 24;

/// Most shifts an augmenting-path search expands.
const AUGMENT_NODES: usize = 24;
/// Most candidates an augmenting-path search scans per shift.
const AUGMENT_SCAN: usize = 48;

#[derive(Clone, Copy)]
struct Node {
    shift: u32,
    parent: u32,
    add: u32,
    remove: u32,
}

#[derive(Clone, Copy)]
enum Op {
    Added(u32),
    Removed(u32),
}

/// A search worker: the roster, its RNG and an undo log.
pub struct Searcher<'p> {
    pub p: &'p Problem,
    pub a: Assignment,
    rng: ChaCha8Rng,
    log: Vec<Op>,
    /// Best roster seen: its total and its assigned pairs.
    pub best_total: f64,
    pub best_pairs: Vec<u32>,
    since_snapshot: u64,
    best_dirty: bool,
    touched: Vec<u32>,
    scratch: Vec<u32>,
    part: Option<(&'p Partition, u8)>,
    nodes: Vec<Node>,
    chain: Vec<(u32, u32)>,
    shift_seen: Vec<u32>,
    vol_seen: Vec<u32>,
    stamp: u32,
}

/// A split of shifts, volunteers and groups into disjoint parts, one per
/// worker: a worker only adds or removes pairs whose shift and volunteer are
/// both in its part, so the workers' changes touch disjoint state and merge
/// exactly (every objective term decomposes over shifts, quotas,
/// volunteers, groups and pairs).
#[derive(Clone, Debug)]
pub struct Partition {
    pub shift_part: Vec<u8>,
    pub vol_part: Vec<u8>,
    pub group_part: Vec<u8>,
    pub shifts_of: Vec<Vec<u32>>,
    pub vols_of: Vec<Vec<u32>>,
}

impl<'p> Searcher<'p> {
    pub fn new(p: &'p Problem, a: Assignment, seed: u64) -> Self {
        let best_total = a.total(p);
        let best_pairs = a.assigned_pairs().map(|x| x as u32).collect();
        Searcher {
            p,
            a,
            rng: ChaCha8Rng::seed_from_u64(seed),
            log: Vec::with_capacity(16),
            best_total,
            best_pairs,
            since_snapshot: 0,
            best_dirty: false,
            touched: Vec::new(),
            scratch: Vec::new(),
            part: None,
            nodes: Vec::new(),
            chain: Vec::new(),
            shift_seen: vec![0; p.n_shifts()],
            vol_seen: vec![0; p.n_volunteers()],
            stamp: 0,
        }
    }

    #[inline]
    fn total(&self) -> f64 {
        self.a.total(self.p)
    }

    #[inline]
    fn add(&mut self, pair: usize) {
        self.a.add(self.p, pair);
        self.log.push(Op::Added(pair as u32));
    }

    #[inline]
    fn remove(&mut self, pair: usize) {
        self.a.remove(self.p, pair);
        self.log.push(Op::Removed(pair as u32));
    }

    fn rollback(&mut self) {
        while let Some(op) = self.log.pop() {
            match op {
                Op::Added(x) => self.a.remove(self.p, x as usize),
                Op::Removed(x) => self.a.add(self.p, x as usize),
            }
        }
    }

    #[inline]
    fn accept(&mut self, delta: f64, t: f64) -> bool {
        delta <= 1e-9 || (t > 0.0 && self.rng.gen::<f64>() < (-delta / t).exp())
    }

    /// Whether this worker may add or remove `pair`: not fixed (frozen
    /// shift or pinned pair), and inside its part when the search is
    /// partitioned.
    #[inline]
    fn movable(&self, pair: usize) -> bool {
        let s = self.p.pair_shift[pair] as usize;
        if self.p.is_fixed(pair) {
            return false;
        }
        match self.part {
            None => true,
            Some((part, k)) => {
                part.shift_part[s] == k && part.vol_part[self.p.pair_vol[pair] as usize] == k
            }
        }
    }

    /// [`Assignment::can_add`] restricted to pairs this worker may touch.
    #[inline]
    fn can_add(&self, q: usize, ignore: Option<u32>) -> bool {
        self.movable(q) && self.a.can_add(self.p, q, ignore)
    }

    /// A random volunteer of this worker's part.
    fn pick_volunteer(&mut self) -> usize {
        match self.part {
            Some((part, k)) if !part.vols_of[k as usize].is_empty() => {
                let list = &part.vols_of[k as usize];
                list[self.rng.gen_range(0..list.len())] as usize
            }
            _ => self.rng.gen_range(0..self.p.n_volunteers()),
        }
    }

    /// A random shift of this worker's part.
    fn pick_shift(&mut self) -> usize {
        match self.part {
            Some((part, k)) if !part.shifts_of[k as usize].is_empty() => {
                let list = &part.shifts_of[k as usize];
                list[self.rng.gen_range(0..list.len())] as usize
            }
            _ => self.rng.gen_range(0..self.p.n_shifts()),
        }
    }

    /// Restricts this worker to part `k` of `part`.
    pub fn restrict(&mut self, part: &'p Partition, k: u8) {
        self.part = Some((part, k));
    }

    /// Runs `params.steps` iterations; `stop` is polled every 1,024.
    pub fn anneal(&mut self, params: &AnnealParams, stop: &dyn Fn() -> bool) -> AnnealStats {
        let mut stats = AnnealStats::default();
        if self.p.n_pairs() == 0 {
            return stats;
        }
        let ratio = if params.t_start > 0.0 && params.t_end > 0.0 {
            (params.t_end / params.t_start).ln()
        } else {
            0.0
        };
        let span = params.iterations.max(1) as f64;
        for i in 0..params.steps {
            if i % 1024 == 0 && stop() {
                stats.stopped_early = true;
                break;
            }
            let progress = ((params.offset + i) as f64 / span).min(1.0);
            let t = params.t_start * (ratio * progress).exp();
            let before = self.total();
            let moved = self.step(t);
            stats.iterations += 1;
            if moved {
                stats.accepted += 1;
                let now = self.total();
                if now < self.best_total - 1e-9 {
                    stats.improved += 1;
                    self.best_total = now;
                    self.best_dirty = true;
                }
                let _ = before;
            }
            self.since_snapshot += 1;
            if self.best_dirty
                && self.since_snapshot >= 2048
                && self.total() <= self.best_total + 1e-9
            {
                self.snapshot();
            }
        }
        if self.best_dirty && self.total() <= self.best_total + 1e-9 {
            self.snapshot();
        }
        stats
    }

    fn snapshot(&mut self) {
        self.best_pairs.clear();
        let on = &self.a.on;
        self.best_pairs.extend(
            on.iter()
                .enumerate()
                .filter(|(_, &b)| b)
                .map(|(i, _)| i as u32),
        );
        self.best_total = self.total();
        self.best_dirty = false;
        self.since_snapshot = 0;
    }

    /// Whether the current roster is at least as good as the best snapshot.
    pub fn current_is_best(&self) -> bool {
        !self.best_dirty || self.total() <= self.best_total + 1e-9
    }

    /// Restores the best snapshot when the current roster is worse.
    pub fn restore_best(&mut self) {
        if self.total() > self.best_total + 1e-9 || self.best_dirty {
            if self.best_dirty && self.total() <= self.best_total + 1e-9 {
                self.snapshot();
                return;
            }
            let mut a = Assignment::new(self.p);
            for &x in &self.best_pairs {
                a.add(self.p, x as usize);
            }
            self.a = a;
            self.best_total = self.total();
            self.best_dirty = false;
        }
    }

    /// One move; returns whether it was applied.
    #[inline(never)]
    fn step(&mut self, t: f64) -> bool {
        // Move mix in per mille: the cheap moves run often, the expensive
        // large-neighbourhood ones (augment, rebuild, ruin) rarely.
        let r = self.rng.gen_range(0..1000u32);
        let short = !self.a.short_shifts.is_empty();
        if r < 10 && short {
            let i = self.rng.gen_range(0..self.a.short_shifts.len());
            let s = self.a.short_shifts.items()[i] as usize;
            self.augment(s, t)
        } else if r < 250 && short {
            self.fill_short(t)
        } else if self.p.weights.extra_load > 0.0
            && (600..660).contains(&r)
            && !self.a.over_committed.is_empty()
        {
            // Only when fair load is priced, so the draws of other
            // scenarios stay as they were.
            self.shed_load(t)
        } else if (250..450).contains(&r) && self.p.weights.volunteer_used > 0.0 {
            self.vacate(t)
        } else if r < 330 && !self.a.unmet_quotas.is_empty() {
            self.fix_quota(t)
        } else if r < 400 && !self.a.under_committed.is_empty() {
            let i = self.rng.gen_range(0..self.a.under_committed.len());
            let v = self.a.under_committed.items()[i] as usize;
            self.flip(v, t)
        } else if r < 600 {
            let v = self.pick_volunteer();
            self.flip(v, t)
        } else if r < 820 {
            self.replace(t)
        } else if r < 975 {
            self.swap(t)
        } else if r < 995 {
            let v = self.pick_volunteer();
            self.rebuild(v, t)
        } else {
            self.ruin_recreate(t)
        }
    }

    fn finish(&mut self, before: f64, t: f64) -> bool {
        let delta = self.total() - before;
        if self.accept(delta, t) {
            self.log.clear();
            true
        } else {
            self.rollback();
            false
        }
    }

    /// A short shift gets a volunteer: a free one, or one moved off another
    /// shift whose hole is then refilled if possible (ejection chain).
    #[inline(never)]
    fn fill_short(&mut self, t: f64) -> bool {
        let p = self.p;
        let i = self.rng.gen_range(0..self.a.short_shifts.len());
        let s = self.a.short_shifts.items()[i] as usize;
        let list = p.shift_pair_list(s);
        if list.is_empty() {
            return false;
        }
        let q = list[self.rng.gen_range(0..list.len())] as usize;
        if self.a.on[q] {
            return false;
        }
        let before = self.total();
        if self.can_add(q, None) {
            let d = self.a.add_delta(p, q);
            if self.accept(d, t) {
                self.a.add(p, q);
                return true;
            }
            return false;
        }
        if !self.make_room(q) {
            self.rollback();
            return false;
        }
        self.add(q);
        let v = self.p.pair_vol[q] as usize;
        self.complete_near(v, s, 1);
        self.refill_removed(8);
        self.finish(before, t)
    }

    /// Tries up to `tries` random candidates for shift `s`; adds the first that fits.
    #[inline(never)]
    fn refill(&mut self, s: usize, tries: usize) {
        let list = self.p.shift_pair_list(s);
        if list.is_empty() {
            return;
        }
        for _ in 0..tries {
            let q = list[self.rng.gen_range(0..list.len())] as usize;
            if !self.a.on[q] && self.can_add(q, None) {
                self.add(q);
                return;
            }
        }
    }

    /// Removes from `q`'s volunteer every assignment that clashes with `q`
    /// (spacing), then one more if a daily, count or consecutive-day limit
    /// still blocks it. Returns false (leaving the log to roll back) when `q`
    /// still cannot be added or a frozen assignment is in the way.
    fn make_room(&mut self, q: usize) -> bool {
        let p = self.p;
        if !self.movable(q) {
            return false;
        }
        let s = p.pair_shift[q] as usize;
        if self.a.shift_count(s) >= p.shifts[s].max {
            return false;
        }
        let v = self.p.pair_vol[q] as usize;
        let mut k = 0;
        while k < self.a.schedule[v].len() {
            let r = self.a.schedule[v][k] as usize;
            let t = p.pair_shift[r] as usize;
            let spaced = if p.shifts[t].start <= p.shifts[s].start {
                p.spaced(v, t, s)
            } else {
                p.spaced(v, s, t)
            };
            if spaced {
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
    fn refill_removed(&mut self, tries: usize) {
        let n = self.log.len();
        for i in 0..n {
            if let Op::Removed(r) = self.log[i] {
                let s = self.p.pair_shift[r as usize] as usize;
                if self.a.shift_count(s) < self.p.shifts[s].min {
                    self.refill(s, tries);
                }
            }
        }
    }

    /// An assigned, movable pair of `q`'s volunteer whose removal lets `q` in.
    fn blocking_pair(&mut self, q: usize) -> Option<usize> {
        let p = self.p;
        let s = p.pair_shift[q] as usize;
        if self.a.shift_count(s) >= p.shifts[s].max {
            return None;
        }
        let v = self.p.pair_vol[q] as usize;
        let n = self.a.schedule[v].len();
        if n == 0 {
            return None;
        }
        let off = self.rng.gen_range(0..n);
        for k in 0..n {
            let r = self.a.schedule[v][(off + k) % n] as usize;
            if self.movable(r) && self.a.fits_schedule(p, v, q, Some(r as u32)) {
                return Some(r);
            }
        }
        None
    }

    /// Volunteer `v` toggles a random eligible shift (or moves to it).
    #[inline(never)]
    fn flip(&mut self, v: usize, t: f64) -> bool {
        let p = self.p;
        let range = p.vol_pairs(v);
        if range.is_empty() {
            return false;
        }
        let q = self.rng.gen_range(range);
        if !self.movable(q) {
            return false;
        }
        if self.a.on[q] {
            let d = self.a.remove_delta(p, q);
            if self.accept(d, t) {
                self.a.remove(p, q);
                return true;
            }
            return false;
        }
        if self.can_add(q, None) {
            let d = self.a.add_delta(p, q);
            if self.accept(d, t) {
                self.a.add(p, q);
                return true;
            }
            return false;
        }
        let before = self.total();
        if !self.make_room(q) {
            self.rollback();
            return false;
        }
        self.add(q);
        self.complete_near(v, p.pair_shift[q] as usize, 1);
        self.refill_removed(4);
        self.finish(before, t)
    }

    /// Ruin and recreate one volunteer's schedule: drop every movable
    /// assignment, refill the holes from others, then greedily add the
    /// volunteer's best shifts while that lowers the objective.
    #[inline(never)]
    fn rebuild(&mut self, v: usize, t: f64) -> bool {
        let p = self.p;
        if p.vol_pairs(v).is_empty() {
            return false;
        }
        let before = self.total();
        let mut k = 0;
        while k < self.a.schedule[v].len() {
            let r = self.a.schedule[v][k] as usize;
            if self.movable(r) {
                self.remove(r);
            } else {
                k += 1;
            }
        }
        self.complete(v, usize::MAX);
        self.refill_removed(4);
        if self.log.is_empty() {
            return false;
        }
        self.finish(before, t)
    }

    /// Ruin and recreate around a random shift: the assignments of up to a
    /// dozen of its eligible volunteers within a day of it are dropped, then
    /// the emptied shifts are refilled best-first in random order and the
    /// volunteers completed.
    #[inline(never)]
    fn ruin_recreate(&mut self, t: f64) -> bool {
        let p = self.p;
        let s = self.pick_shift();
        let vols = p.shift_vol_list(s);
        if vols.is_empty() || p.shifts[s].frozen {
            return false;
        }
        let before = self.total();
        let (lo, hi) = (p.shifts[s].start - 1440, p.shifts[s].end + 1440);
        let take = vols.len().min(6);
        let off = self.rng.gen_range(0..vols.len());
        self.touched.clear();
        for k in 0..take {
            let v = vols[(off + k * 7919) % vols.len()] as usize;
            self.touched.push(v as u32);
            let mut i = 0;
            while i < self.a.schedule[v].len() {
                let r = self.a.schedule[v][i] as usize;
                let sh = &p.shifts[p.pair_shift[r] as usize];
                if self.movable(r) && sh.end >= lo && sh.start <= hi {
                    self.remove(r);
                } else {
                    i += 1;
                }
            }
        }
        // Refill emptied shifts (random order), best candidate first.
        let mut shifts = std::mem::take(&mut self.scratch);
        shifts.clear();
        shifts.extend(self.log.iter().filter_map(|op| match op {
            Op::Removed(r) => Some(p.pair_shift[*r as usize]),
            Op::Added(_) => None,
        }));
        shifts.sort_unstable();
        shifts.dedup();
        for i in (1..shifts.len()).rev() {
            let j = self.rng.gen_range(0..=i);
            shifts.swap(i, j);
        }
        for &s2 in &shifts {
            let s2 = s2 as usize;
            // Refill at most as many heads as the ruin took from this shift.
            let taken = self
                .log
                .iter()
                .filter(
                    |op| matches!(op, Op::Removed(r) if p.pair_shift[*r as usize] as usize == s2),
                )
                .count();
            for _ in 0..taken {
                if self.a.shift_count(s2) >= p.shifts[s2].max {
                    break;
                }
                let mut best: Option<(f64, usize)> = None;
                let list = p.shift_pair_list(s2);
                let (off, n) = self.window(list.len());
                for k in 0..n {
                    let q = list[(off + k) % list.len()] as usize;
                    if self.a.on[q] {
                        continue;
                    }
                    let d = self.a.add_delta(p, q) + self.rng.gen::<f64>() * 1e-3;
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
        self.scratch = shifts;
        let touched = std::mem::take(&mut self.touched);
        for &v in &touched {
            self.complete_near(v as usize, s, 2);
        }
        self.touched = touched;
        if self.log.is_empty() {
            return false;
        }
        self.finish(before, t)
    }

    /// Augmenting path (as in bipartite matching) towards short shift `s0`:
    /// a breadth-first search over chains "volunteer v_i leaves shift s_i
    /// for shift s_{i-1}" that ends at a volunteer who can join without
    /// leaving anything, or who leaves a shift with headcount to spare.
    /// Applied root first so headcounts never exceed `max` on the way.
    #[inline(never)]
    pub fn augment(&mut self, s0: usize, t: f64) -> bool {
        let p = self.p;
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.shift_seen.iter_mut().for_each(|x| *x = 0);
            self.vol_seen.iter_mut().for_each(|x| *x = 0);
            self.stamp = 1;
        }
        let stamp = self.stamp;
        // BFS nodes: (shift needing a head, parent node, pair to add into the
        // parent's shift, pair removed to free the volunteer).
        self.nodes.clear();
        self.nodes.push(Node {
            shift: s0 as u32,
            parent: u32::MAX,
            add: u32::MAX,
            remove: u32::MAX,
        });
        self.shift_seen[s0] = stamp;
        let mut head = 0;
        let mut found: Option<(usize, usize, Option<usize>)> = None; // (node, add pair, removed pair)
        'bfs: while head < self.nodes.len() && head < AUGMENT_NODES {
            let s = self.nodes[head].shift as usize;
            let list = p.shift_pair_list(s);
            let (off, n) = if list.len() <= AUGMENT_SCAN {
                (0, list.len())
            } else {
                (self.rng.gen_range(0..list.len()), AUGMENT_SCAN)
            };
            for k in 0..n {
                let q = list[(off + k) % list.len()] as usize;
                let v = p.pair_vol[q] as usize;
                if self.a.on[q] || self.vol_seen[v] == stamp || !self.movable(q) {
                    continue;
                }
                if head > 0 || self.a.shift_count(s) < p.shifts[s].max {
                    // Room on s is guaranteed below the root (its volunteer leaves first).
                    if self.a.fits_schedule(p, v, q, None) {
                        found = Some((head, q, None));
                        break 'bfs;
                    }
                }
                let Some(r) = self.single_blocker(q) else {
                    continue;
                };
                self.vol_seen[v] = stamp;
                let s2 = p.pair_shift[r] as usize;
                if self.a.shift_count(s2) > p.shifts[s2].min {
                    found = Some((head, q, Some(r)));
                    break 'bfs;
                }
                if self.shift_seen[s2] != stamp {
                    self.shift_seen[s2] = stamp;
                    self.nodes.push(Node {
                        shift: s2 as u32,
                        parent: head as u32,
                        add: q as u32,
                        remove: r as u32,
                    });
                }
            }
            head += 1;
        }
        let Some((node, q_last, r_last)) = found else {
            return false;
        };
        // The chain from the root down to `node`, then the final step.
        self.chain.clear();
        let mut i = node;
        while i != 0 {
            let n = self.nodes[i];
            self.chain.push((n.add, n.remove));
            i = n.parent as usize;
        }
        self.chain.reverse();
        self.chain
            .push((q_last as u32, r_last.map_or(u32::MAX, |r| r as u32)));
        let before = self.total();
        for k in 0..self.chain.len() {
            let (q, r) = self.chain[k];
            if r != u32::MAX {
                self.remove(r as usize);
            }
            if !self.a.can_add(p, q as usize, None) {
                self.rollback();
                return false;
            }
            self.add(q as usize);
        }
        self.finish(before, t)
    }

    /// Repeated augmenting paths towards every short shift (a matching-style
    /// coverage pass); only improving paths are kept. Returns paths applied.
    pub fn augment_all(&mut self, rounds: usize, stop: &dyn Fn() -> bool) -> usize {
        let mut applied = 0;
        for _ in 0..rounds {
            let mut shorts: Vec<u32> = self.a.short_shifts.items().to_vec();
            shorts.sort_unstable();
            let mut progress = false;
            for (i, &s) in shorts.iter().enumerate() {
                if i % 64 == 0 && stop() {
                    return applied;
                }
                let s = s as usize;
                while self.a.shift_count(s) < self.p.shifts[s].min && self.augment(s, 0.0) {
                    applied += 1;
                    progress = true;
                }
            }
            if !progress {
                break;
            }
        }
        self.best_total = self.total();
        self.best_pairs.clear();
        self.best_pairs
            .extend(self.a.crew.iter().flatten().copied());
        self.best_dirty = false;
        applied
    }

    /// The one movable assignment of `q`'s volunteer whose removal lets the
    /// volunteer take `q` (ignoring `q`'s headcount), if exactly such exists.
    fn single_blocker(&self, q: usize) -> Option<usize> {
        let p = self.p;
        let v = p.pair_vol[q] as usize;
        for &r in &self.a.schedule[v] {
            let r = r as usize;
            if self.movable(r) && self.a.fits_schedule(p, v, q, Some(r as u32)) {
                return Some(r);
            }
        }
        None
    }

    /// A cyclic window of at most [`SCAN_CAP`] positions in a list of `len`:
    /// (offset, count). Keeps greedy scans cheap on huge pools.
    #[inline]
    fn window(&mut self, len: usize) -> (usize, usize) {
        if len <= SCAN_CAP {
            (0, len)
        } else {
            (self.rng.gen_range(0..len), SCAN_CAP)
        }
    }

    /// Greedily adds up to `limit` of volunteer `v`'s shifts, best first,
    /// while each addition lowers the objective.
    fn complete(&mut self, v: usize, limit: usize) {
        let range = self.p.vol_pairs(v);
        self.complete_in(v, range, limit);
    }

    /// [`Self::complete`] restricted to `v`'s shifts starting within a day
    /// of shift `s` (where a move just freed or took time).
    fn complete_near(&mut self, v: usize, s: usize, limit: usize) {
        let p = self.p;
        let range = p.vol_pairs(v);
        let (lo, hi) = (p.shifts[s].start - 1440, p.shifts[s].end + 1440);
        let slice = &p.pair_shift[range.clone()];
        let a = slice.partition_point(|&x| p.shifts[x as usize].start < lo);
        let b = slice.partition_point(|&x| p.shifts[x as usize].start <= hi);
        self.complete_in(v, range.start + a..range.start + b, limit);
    }

    fn complete_in(&mut self, v: usize, range: std::ops::Range<usize>, limit: usize) {
        let p = self.p;
        let _ = v;
        if range.is_empty() {
            return;
        }
        for _ in 0..limit {
            let mut best: Option<(f64, usize)> = None;
            let (off, n) = self.window(range.len());
            for k in 0..n {
                let q = range.start + (off + k) % range.len();
                if self.a.on[q] {
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

    /// Someone on a shift is replaced by another eligible volunteer.
    /// Workforce sizing: a lightly used volunteer hands every assignment to
    /// volunteers already working (or anyone, failing that), so one fewer
    /// person is needed.
    #[inline(never)]
    fn vacate(&mut self, t: f64) -> bool {
        let p = self.p;
        // Tournament: of two random working volunteers, the less busy one.
        let mut pick: Option<usize> = None;
        for _ in 0..8 {
            let v = self.pick_volunteer();
            if self.a.schedule[v].is_empty() {
                continue;
            }
            pick = match pick {
                Some(u) if self.a.schedule[u].len() <= self.a.schedule[v].len() => Some(u),
                _ => Some(v),
            };
            if self.rng.gen_bool(0.5) {
                break;
            }
        }
        let Some(v) = pick else {
            return false;
        };
        let before = self.total();
        let n = self.a.schedule[v].len();
        for _ in 0..n {
            let Some(&r) = self.a.schedule[v].first() else {
                break;
            };
            let r = r as usize;
            if !self.movable(r) {
                self.rollback();
                return false;
            }
            let s = p.pair_shift[r] as usize;
            self.remove(r);
            let list = p.shift_pair_list(s);
            let (off, m) = self.window(list.len());
            let mut fallback = None;
            let mut placed = false;
            for k in 0..m {
                let q = list[(off + k) % list.len()] as usize;
                let u = p.pair_vol[q] as usize;
                if u == v || self.a.on[q] || !self.can_add(q, None) {
                    continue;
                }
                if !self.a.schedule[u].is_empty() {
                    self.add(q);
                    placed = true;
                    break;
                }
                fallback.get_or_insert(q);
            }
            if !placed {
                match fallback {
                    Some(q) => self.add(q),
                    None => {
                        self.rollback();
                        return false;
                    }
                }
            }
        }
        self.finish(before, t)
    }

    /// An unmet quota gets a qualifying volunteer: added when the shift has
    /// room, else in place of a crew member who does not qualify; the
    /// newcomer's clashing assignments make room first.
    #[inline(never)]
    fn fix_quota(&mut self, t: f64) -> bool {
        let p = self.p;
        let i = self.rng.gen_range(0..self.a.unmet_quotas.len());
        let qi = self.a.unmet_quotas.items()[i] as usize;
        let s = p.quotas[qi].shift as usize;
        if p.shifts[s].frozen {
            return false;
        }
        let bit = 1u32 << (qi as u32 - p.shifts[s].quota_start);
        let list = p.shift_pair_list(s);
        let (off, n) = self.window(list.len());
        let mut cand = None;
        for k in 0..n {
            let q = list[(off + k) % list.len()] as usize;
            if !self.a.on[q] && p.pair_quota_mask[q] & bit != 0 && self.movable(q) {
                cand = Some(q);
                break;
            }
        }
        let Some(q) = cand else {
            return false;
        };
        let before = self.total();
        if self.a.shift_count(s) >= p.shifts[s].max {
            let crew = &self.a.crew[s];
            let off = self.rng.gen_range(0..crew.len().max(1));
            let out = (0..crew.len())
                .map(|k| crew[(off + k) % crew.len()] as usize)
                .find(|&r| p.pair_quota_mask[r] & bit == 0 && self.movable(r));
            match out {
                Some(r) => self.remove(r),
                None => return false,
            }
        }
        if !self.make_room(q) {
            self.rollback();
            return false;
        }
        self.add(q);
        self.refill_removed(4);
        self.finish(before, t)
    }

    /// Fair load: a volunteer above their commitment hands one assignment
    /// to the eligible volunteer (of a window of the shift's pool) whose
    /// taking it lowers the objective most, typically one with less extra
    /// load. Of two random loaded volunteers, the more loaded one gives.
    #[inline(never)]
    fn shed_load(&mut self, t: f64) -> bool {
        let p = self.p;
        let over = self.a.over_committed.items();
        let mut v = over[self.rng.gen_range(0..over.len())] as usize;
        let u = over[self.rng.gen_range(0..over.len())] as usize;
        if self.a.schedule[u].len() > self.a.schedule[v].len() {
            v = u;
        }
        let sched = &self.a.schedule[v];
        let r = sched[self.rng.gen_range(0..sched.len())] as usize;
        if !self.movable(r) {
            return false;
        }
        let s = p.pair_shift[r] as usize;
        let before = self.total();
        self.remove(r);
        let list = p.shift_pair_list(s);
        let n = list.len().min(SHED_SCAN);
        let off = self.rng.gen_range(0..list.len());
        let mut best: Option<(f64, usize)> = None;
        for k in 0..n {
            let q = list[(off + k) % list.len()] as usize;
            if q == r || self.a.on[q] {
                continue;
            }
            let d = self.a.add_delta(p, q);
            if best.is_none_or(|b| d < b.0) && self.can_add(q, None) {
                best = Some((d, q));
            }
        }
        match best {
            Some((_, q)) => self.add(q),
            None => {
                self.rollback();
                return false;
            }
        }
        self.finish(before, t)
    }

    #[inline(never)]
    fn replace(&mut self, t: f64) -> bool {
        let p = self.p;
        let s = self.pick_shift();
        if p.shifts[s].frozen || self.a.crew[s].is_empty() {
            return false;
        }
        let list = p.shift_pair_list(s);
        let q = list[self.rng.gen_range(0..list.len())] as usize;
        if self.a.on[q] {
            return false;
        }
        let crew = &self.a.crew[s];
        let r = crew[self.rng.gen_range(0..crew.len())] as usize;
        if !self.movable(r) {
            return false;
        }
        let before = self.total();
        self.remove(r);
        if !self.can_add(q, None) {
            self.rollback();
            return false;
        }
        self.add(q);
        self.finish(before, t)
    }

    /// Two volunteers on two shifts exchange them.
    #[inline(never)]
    fn swap(&mut self, t: f64) -> bool {
        let p = self.p;
        let s1 = self.pick_shift();
        if p.shifts[s1].frozen || self.a.crew[s1].is_empty() {
            return false;
        }
        let list = p.shift_pair_list(s1);
        let k = self.rng.gen_range(0..list.len());
        let q2 = list[k] as usize; // u on s1
        let u = p.shift_vol_list(s1)[k] as usize;
        if self.a.on[q2] || self.a.schedule[u].is_empty() {
            return false;
        }
        let crew = &self.a.crew[s1];
        let r1 = crew[self.rng.gen_range(0..crew.len())] as usize; // v1 on s1
        let v1 = self.p.pair_vol[r1] as usize;
        let sched = &self.a.schedule[u];
        let r2 = sched[self.rng.gen_range(0..sched.len())] as usize; // u on s2
        let s2 = p.pair_shift[r2] as usize;
        if s2 == s1 || !self.movable(r2) || !self.movable(r1) {
            return false;
        }
        let Some(q1) = p.find_pair(v1, s2) else {
            return false;
        };
        if self.a.on[q1] {
            return false;
        }
        let before = self.total();
        self.remove(r1);
        self.remove(r2);
        if !self.can_add(q1, None) {
            self.rollback();
            return false;
        }
        self.add(q1);
        if !self.can_add(q2, None) {
            self.rollback();
            return false;
        }
        self.add(q2);
        self.finish(before, t)
    }
}
