//! Demand moves: a short shift gets a volunteer (`fill_short`), an unmet
//! quota gets a qualifying one (`fix_quota`).

use super::ctx::Ctx;
use rand::Rng;

impl Ctx<'_> {
    /// A short shift gets a volunteer: a free one, or one moved off another
    /// shift whose hole is then refilled if possible (ejection chain).
    #[inline(never)]
    pub(super) fn fill_short(&mut self, t: f64) -> bool {
        let p = self.p;
        let s = self.pick_short_shift();
        let list = p.shift_pair_list(s);
        if list.is_empty() {
            return false;
        }
        let q = list[self.rng.gen_range(0..list.len())] as usize;
        if self.a.on()[q] {
            return false;
        }
        let before = self.total();
        if let Some(added) = self.add_if_accepted(q, t) {
            return added;
        }
        if !self.make_room(q) {
            self.rollback();
            return false;
        }
        self.add(q);
        let v = self.p.pair_vol()[q] as usize;
        self.complete_near(v, s, 1);
        self.refill_removed(8);
        self.finish(before, t)
    }

    /// An unmet quota gets a qualifying volunteer: added when the shift has
    /// room, else in place of a crew member who does not qualify; the
    /// newcomer's clashing assignments make room first.
    #[inline(never)]
    pub(super) fn fix_quota(&mut self, t: f64) -> bool {
        let p = self.p;
        let qi = self.pick_unmet_quota();
        let s = p.quotas()[qi].shift as usize;
        if p.shifts()[s].frozen {
            return false;
        }
        let bit = 1u32 << (qi as u32 - p.shifts()[s].quota_start);
        let Some(q) = self.qualifying_candidate(s, bit) else {
            return false;
        };
        let before = self.total();
        if self.a.shift_count(s) >= p.shifts()[s].max {
            let crew = &self.a.crew(s);
            let off = self.rng.gen_range(0..crew.len().max(1));
            let out = (0..crew.len())
                .map(|k| crew[(off + k) % crew.len()] as usize)
                .find(|&r| p.pair_quota_mask()[r] & bit == 0 && self.movable(r));
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

    /// The first unassigned, movable pair of shift `s` (in a random window
    /// of its pool) whose volunteer counts for the quota of bit `bit`.
    fn qualifying_candidate(&mut self, s: usize, bit: u32) -> Option<usize> {
        let p = self.p;
        let list = p.shift_pair_list(s);
        let (off, n) = self.window(list.len());
        (0..n)
            .map(|k| list[(off + k) % list.len()] as usize)
            .find(|&q| !self.a.on()[q] && p.pair_quota_mask()[q] & bit != 0 && self.movable(q))
    }
}
