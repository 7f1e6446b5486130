//! Hand-over moves between volunteers: `replace` (one crew member for
//! another), `swap` (two volunteers exchange shifts), `shed_load` (a loaded
//! volunteer hands one assignment on) and `vacate` (a lightly used volunteer
//! hands every assignment on).

use super::ctx::Ctx;
use rand::Rng;

/// Most candidates a shed-load move prices (it runs often, so it looks at
/// fewer than the greedy steps' window).
const SHED_SCAN: usize = 24;

impl Ctx<'_> {
    /// Someone on a shift is replaced by another eligible volunteer.
    #[inline(never)]
    pub(super) fn replace(&mut self, t: f64) -> bool {
        let p = self.p;
        let s = self.pick_shift();
        if p.shifts()[s].frozen || self.a.crew(s).is_empty() {
            return false;
        }
        let list = p.shift_pair_list(s);
        let q = list[self.rng.gen_range(0..list.len())] as usize;
        if self.a.on()[q] {
            return false;
        }
        let crew = &self.a.crew(s);
        let r = crew[self.rng.gen_range(0..crew.len())] as usize;
        if !self.movable(r) {
            return false;
        }
        let before = self.total();
        self.remove(r);
        if !self.add_or_rollback(q) {
            return false;
        }
        self.finish(before, t)
    }

    /// Two volunteers on two shifts exchange them.
    #[inline(never)]
    pub(super) fn swap(&mut self, t: f64) -> bool {
        let p = self.p;
        let s1 = self.pick_shift();
        if p.shifts()[s1].frozen || self.a.crew(s1).is_empty() {
            return false;
        }
        let list = p.shift_pair_list(s1);
        let k = self.rng.gen_range(0..list.len());
        let q2 = list[k] as usize; // u on s1
        let u = p.shift_vol_list(s1)[k] as usize;
        if self.a.on()[q2] || self.a.schedule(u).is_empty() {
            return false;
        }
        let crew = &self.a.crew(s1);
        let r1 = crew[self.rng.gen_range(0..crew.len())] as usize; // v1 on s1
        let v1 = self.p.pair_vol()[r1] as usize;
        let sched = &self.a.schedule(u);
        let r2 = sched[self.rng.gen_range(0..sched.len())] as usize; // u on s2
        let s2 = p.pair_shift()[r2] as usize;
        if s2 == s1 || !self.movable(r2) || !self.movable(r1) {
            return false;
        }
        let Some(q1) = p.find_pair(v1, s2) else {
            return false;
        };
        if self.a.on()[q1] {
            return false;
        }
        let before = self.total();
        self.remove(r1);
        self.remove(r2);
        if !self.add_or_rollback(q1) {
            return false;
        }
        if !self.add_or_rollback(q2) {
            return false;
        }
        self.finish(before, t)
    }

    /// Fair load: a volunteer above their commitment hands one assignment
    /// to the eligible volunteer (of a window of the shift's pool) whose
    /// taking it lowers the objective most, typically one with less extra
    /// load. Of two random loaded volunteers, the more loaded one gives.
    #[inline(never)]
    pub(super) fn shed_load(&mut self, t: f64) -> bool {
        let p = self.p;
        let over = self.a.over_committed().items();
        let mut v = over[self.rng.gen_range(0..over.len())] as usize;
        let u = over[self.rng.gen_range(0..over.len())] as usize;
        if self.a.schedule(u).len() > self.a.schedule(v).len() {
            v = u;
        }
        let sched = &self.a.schedule(v);
        let r = sched[self.rng.gen_range(0..sched.len())] as usize;
        if !self.movable(r) {
            return false;
        }
        let s = p.pair_shift()[r] as usize;
        let before = self.total();
        self.remove(r);
        let list = p.shift_pair_list(s);
        let n = list.len().min(SHED_SCAN);
        let off = self.rng.gen_range(0..list.len());
        let mut best: Option<(f64, usize)> = None;
        for k in 0..n {
            let q = list[(off + k) % list.len()] as usize;
            if q == r || self.a.on()[q] {
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

    /// Workforce sizing: a lightly used volunteer hands every assignment to
    /// volunteers already working (or anyone, failing that), so one fewer
    /// person is needed. Rarely accepted: the workforce reduction
    /// (`reduce.rs`) does this job; this move keeps the annealer able to
    /// close a volunteer on its own.
    #[inline(never)]
    pub(super) fn vacate(&mut self, t: f64) -> bool {
        let Some(v) = self.lightly_used() else {
            return false;
        };
        let before = self.total();
        let n = self.a.schedule(v).len();
        for _ in 0..n {
            let Some(&r) = self.a.schedule(v).first() else {
                break;
            };
            let r = r as usize;
            if !self.movable(r) || !self.hand_over(v, r) {
                self.rollback();
                return false;
            }
        }
        self.finish(before, t)
    }

    /// Tournament: of a few random working volunteers, the least busy one.
    fn lightly_used(&mut self) -> Option<usize> {
        let mut pick: Option<usize> = None;
        for _ in 0..8 {
            let v = self.pick_volunteer();
            if self.a.schedule(v).is_empty() {
                continue;
            }
            pick = match pick {
                Some(u) if self.a.schedule(u).len() <= self.a.schedule(v).len() => Some(u),
                _ => Some(v),
            };
            if self.rng.gen_bool(0.5) {
                break;
            }
        }
        pick
    }

    /// Removes `v`'s assignment `r` and gives its shift to another
    /// volunteer of a window of its pool, one already working first.
    /// Returns false (the log to roll back) when nobody can take it.
    fn hand_over(&mut self, v: usize, r: usize) -> bool {
        let p = self.p;
        let s = p.pair_shift()[r] as usize;
        self.remove(r);
        let list = p.shift_pair_list(s);
        let (off, m) = self.window(list.len());
        let mut fallback = None;
        for k in 0..m {
            let q = list[(off + k) % list.len()] as usize;
            let u = p.pair_vol()[q] as usize;
            if u == v || self.a.on()[q] || !self.can_add(q, None) {
                continue;
            }
            if !self.a.schedule(u).is_empty() {
                self.add(q);
                return true;
            }
            fallback.get_or_insert(q);
        }
        match fallback {
            Some(q) => {
                self.add(q);
                true
            }
            None => false,
        }
    }
}
