//! Ruin and recreate around a random shift.

use super::ctx::{Ctx, Op};
use rand::Rng;

/// Scratch space of the ruin-and-recreate move, kept between calls.
#[derive(Default)]
pub(super) struct Ruiner {
    /// Volunteers whose assignments were dropped.
    touched: Vec<u32>,
    /// Shifts emptied by the ruin.
    shifts: Vec<u32>,
}

impl Ruiner {
    /// Ruin and recreate around a random shift: the assignments of up to
    /// six of its eligible volunteers within a day of it are dropped, then
    /// the emptied shifts are refilled best-first in random order and the
    /// volunteers completed.
    #[inline(never)]
    pub(super) fn ruin_recreate(&mut self, c: &mut Ctx, t: f64) -> bool {
        let p = c.p;
        let s = c.pick_shift();
        if p.shift_vol_list(s).is_empty() || p.shifts()[s].frozen {
            return false;
        }
        let before = c.total();
        self.ruin(c, s);
        self.emptied_shifts(c);
        for i in 0..self.shifts.len() {
            recreate(c, self.shifts[i] as usize);
        }
        for &v in &self.touched {
            c.complete_near(v as usize, s, 2);
        }
        if c.log.is_empty() {
            return false;
        }
        c.finish(before, t)
    }

    /// Drops the movable assignments within a day of shift `s` of up to six
    /// of its eligible volunteers.
    fn ruin(&mut self, c: &mut Ctx, s: usize) {
        let p = c.p;
        let vols = p.shift_vol_list(s);
        let (lo, hi) = (p.shifts()[s].start - 1440, p.shifts()[s].end + 1440);
        let take = vols.len().min(6);
        let off = c.rng.gen_range(0..vols.len());
        self.touched.clear();
        for k in 0..take {
            let v = vols[(off + k * 7919) % vols.len()] as usize;
            self.touched.push(v as u32);
            let mut i = 0;
            while i < c.a.schedule(v).len() {
                let r = c.a.schedule(v)[i] as usize;
                let sh = &p.shifts()[p.pair_shift()[r] as usize];
                if c.movable(r) && sh.end >= lo && sh.start <= hi {
                    c.remove(r);
                } else {
                    i += 1;
                }
            }
        }
    }

    /// The shifts the ruin took heads from, in random order.
    fn emptied_shifts(&mut self, c: &mut Ctx) {
        let p = c.p;
        let shifts = &mut self.shifts;
        shifts.clear();
        shifts.extend(c.log.iter().filter_map(|op| match op {
            Op::Removed(r) => Some(p.pair_shift()[*r as usize]),
            Op::Added(_) => None,
        }));
        shifts.sort_unstable();
        shifts.dedup();
        for i in (1..shifts.len()).rev() {
            let j = c.rng.gen_range(0..=i);
            shifts.swap(i, j);
        }
    }
}

/// Refills shift `s` best candidate first (with a little noise), at most as
/// many heads as the ruin took from it, while that lowers the objective.
fn recreate(c: &mut Ctx, s: usize) {
    let p = c.p;
    let taken = c
        .log
        .iter()
        .filter(|op| matches!(op, Op::Removed(r) if p.pair_shift()[*r as usize] as usize == s))
        .count();
    for _ in 0..taken {
        if c.a.shift_count(s) >= p.shifts()[s].max {
            break;
        }
        let mut best: Option<(f64, usize)> = None;
        let list = p.shift_pair_list(s);
        let (off, n) = c.window(list.len());
        for k in 0..n {
            let q = list[(off + k) % list.len()] as usize;
            if c.a.on()[q] {
                continue;
            }
            let d = c.a.add_delta(p, q) + c.rng.gen::<f64>() * 1e-3;
            if d < -1e-9 && best.is_none_or(|b| d < b.0) && c.can_add(q, None) {
                best = Some((d, q));
            }
        }
        match best {
            Some((_, q)) => c.add(q),
            None => break,
        }
    }
}
