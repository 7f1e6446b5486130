//! One-volunteer moves: `flip` toggles one of a volunteer's shifts (or
//! moves them onto it), `rebuild` ruins and recreates their whole schedule.

use super::ctx::Ctx;
use rand::Rng;

impl Ctx<'_> {
    /// Volunteer `v` toggles a shift (or moves to it): `favourite` when
    /// given (one of v's pairs), else a random eligible one.
    #[inline(never)]
    pub(super) fn flip(&mut self, v: usize, favourite: Option<usize>, t: f64) -> bool {
        let p = self.p;
        let range = p.vol_pairs(v);
        if range.is_empty() {
            return false;
        }
        let q = favourite.unwrap_or_else(|| self.rng.gen_range(range));
        if !self.movable(q) {
            return false;
        }
        if self.a.on()[q] {
            let d = self.a.remove_delta(p, q);
            if self.accept(d, t) {
                self.a.remove(p, q);
                return true;
            }
            return false;
        }
        if let Some(added) = self.add_if_accepted(q, t) {
            return added;
        }
        let before = self.total();
        if !self.make_room(q) {
            self.rollback();
            return false;
        }
        self.add(q);
        self.complete_near(v, p.pair_shift()[q] as usize, 1);
        self.refill_removed(4);
        self.finish(before, t)
    }

    /// Ruin and recreate one volunteer's schedule: drop every movable
    /// assignment, refill the holes from others, then greedily add the
    /// volunteer's best shifts while that lowers the objective.
    #[inline(never)]
    pub(super) fn rebuild(&mut self, v: usize, t: f64) -> bool {
        let p = self.p;
        if p.vol_pairs(v).is_empty() {
            return false;
        }
        let before = self.total();
        let mut k = 0;
        while k < self.a.schedule(v).len() {
            let r = self.a.schedule(v)[k] as usize;
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
}
