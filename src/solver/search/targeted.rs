//! Targeted moves: they spend draws where the roster is worst instead of
//! on random volunteers and shifts.
//! - `prefer`: an assigned pair that misses a preference (found by sampling
//!   a few random crew members) moves its volunteer onto one of their
//!   shifts on the same day that misses fewer;
//! - `regroup`: a group split across venues (found by sampling a few random
//!   groups) moves a member's assignment at its least-worked venue onto one
//!   of the member's shifts on the same day at another venue the group
//!   already works at.
//!
//! Both end in [`Ctx::relocate`]: when the target shift is full, or the
//! vacated shift would fall below `min`, a crew member of the target shift
//! who is eligible for the vacated one swaps with the volunteer (the one
//! whose exchange costs least by static pair cost); otherwise (or when no
//! one can swap onto a shift that has room) the volunteer moves and a
//! vacated shift left below `min` gets the best taker of a window of its
//! pool. The annealing rule decides on the exact change of the total (the
//! logged adds and removes of `ctx.rs`). A draw that finds nothing to
//! target returns `None` and goes to its fallback move.
//!
//! Measured at equal iterations (2 M per worker, 2 threads): medium seeds
//! 1–3 54,935 → 54,676 on average, games seed 1 827,126 → 819,355
//! (at weights 60 and 40 instead of 100 and 40, medium: both 54,775,
//! `prefer` alone 54,838, `regroup` alone 54,834). The target is on the same day: a window
//! of a day either side without that filter found twice the targets on
//! medium but got fewer accepted.

use super::ctx::Ctx;
use crate::problem::{Problem, NONE, PAIR_MISSES};
use rand::Rng;

/// Random crew members (or groups) a draw looks at before giving up.
const SAMPLES: usize = 8;

/// Most crew members (swap partners) or pool members (takers) priced.
const PARTNER_SCAN: usize = 24;

/// The members of every group (compressed rows), built once per worker;
/// empty when `group_split` is not priced, so other scenarios pay nothing.
#[derive(Default)]
pub(super) struct Groups {
    /// Per group: start of its members in `members` (one extra at the end).
    start: Vec<u32>,
    /// Volunteers, group by group.
    members: Vec<u32>,
}

impl Groups {
    pub(super) fn new(p: &Problem) -> Self {
        let n = p.group_ids().len();
        if p.weights().group_split <= 0.0 || n == 0 {
            return Groups::default();
        }
        let mut start = vec![0u32; n + 1];
        for vi in p.volunteers() {
            if vi.group != NONE {
                start[vi.group as usize + 1] += 1;
            }
        }
        for g in 0..n {
            start[g + 1] += start[g];
        }
        let mut fill = start.clone();
        let mut members = vec![0u32; start[n] as usize];
        for (v, vi) in p.volunteers().iter().enumerate() {
            if vi.group != NONE {
                let at = &mut fill[vi.group as usize];
                members[*at as usize] = v as u32;
                *at += 1;
            }
        }
        Groups { start, members }
    }

    /// Number of groups (0 when not built).
    fn len(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    /// The members of group `g`.
    fn of(&self, g: usize) -> &[u32] {
        &self.members[self.start[g] as usize..self.start[g + 1] as usize]
    }
}

impl Ctx<'_> {
    /// Preference repair: `None` when no sampled crew member misses a
    /// preference, else whether the move was applied.
    #[inline(never)]
    pub(super) fn prefer(&mut self, t: f64) -> Option<bool> {
        let r = self.missed_pair()?;
        let misses = self.p.pair_flags()[r] & PAIR_MISSES;
        let q = self.same_day_target(r, |c, q| c.p.pair_flags()[q] & PAIR_MISSES < misses);
        Some(match q {
            Some(q) => self.relocate(r, q, t),
            None => false,
        })
    }

    /// A movable assigned pair with a preference miss, among a few random
    /// crew members of random shifts of this worker's part.
    fn missed_pair(&mut self) -> Option<usize> {
        for _ in 0..SAMPLES {
            let s = self.pick_shift();
            let n = self.a.crew(s).len();
            if n == 0 {
                continue;
            }
            let r = self.a.crew(s)[self.rng.gen_range(0..n)] as usize;
            if self.p.pair_flags()[r] & PAIR_MISSES != 0 && self.movable(r) {
                return Some(r);
            }
        }
        None
    }

    /// Group repair: `None` when no sampled group is split across venues,
    /// else whether the move was applied.
    #[inline(never)]
    pub(super) fn regroup(&mut self, groups: &Groups, t: f64) -> Option<bool> {
        let g = self.split_group(groups)?;
        let venue = self.least_worked_venue(g);
        let Some(r) = self.member_pair_at(groups.of(g), venue) else {
            return Some(false);
        };
        let q = self.same_day_target(r, |c, q| {
            let there = c.p.shifts()[c.p.pair_shift()[q] as usize].venue;
            there != venue && c.a.group_venues(g).iter().any(|&(x, _)| x == there)
        });
        Some(match q {
            Some(q) => self.relocate(r, q, t),
            None => false,
        })
    }

    /// A group working at more than one venue, among a few random groups
    /// of this worker's part.
    fn split_group(&mut self, groups: &Groups) -> Option<usize> {
        if groups.len() == 0 {
            return None;
        }
        for _ in 0..SAMPLES {
            let g = self.rng.gen_range(0..groups.len());
            if let Some((part, k)) = self.part {
                if part.group_part[g] != k {
                    continue;
                }
            }
            if self.a.group_venues(g).len() > 1 {
                return Some(g);
            }
        }
        None
    }

    /// The venue where group `g` has the fewest assignments (ties: a random
    /// one of them first in a cyclic scan).
    fn least_worked_venue(&mut self, g: usize) -> u32 {
        let n = self.a.group_venues(g).len();
        let off = self.rng.gen_range(0..n);
        let venues = self.a.group_venues(g);
        let mut best = venues[off];
        for k in 1..n {
            let e = venues[(off + k) % n];
            if e.1 < best.1 {
                best = e;
            }
        }
        best.0
    }

    /// A random movable assignment of `members` at `venue`.
    fn member_pair_at(&mut self, members: &[u32], venue: u32) -> Option<usize> {
        let p = self.p;
        let at_venue = |c: &Self, r: u32| {
            p.shifts()[p.pair_shift()[r as usize] as usize].venue == venue && c.movable(r as usize)
        };
        let count: usize = members
            .iter()
            .map(|&v| {
                let sched = self.a.schedule(v as usize);
                sched.iter().filter(|&&r| at_venue(self, r)).count()
            })
            .sum();
        if count == 0 {
            return None;
        }
        let mut k = self.rng.gen_range(0..count);
        for &v in members {
            for &r in self.a.schedule(v as usize) {
                if at_venue(self, r) {
                    if k == 0 {
                        return Some(r as usize);
                    }
                    k -= 1;
                }
            }
        }
        None
    }

    /// The cheapest (static pair cost) unassigned, movable pair of `r`'s
    /// volunteer on the day of `r`'s shift, on another shift, that passes
    /// `wanted`; a window of at most the scan cap, from a random offset.
    fn same_day_target(
        &mut self,
        r: usize,
        wanted: impl Fn(&Self, usize) -> bool,
    ) -> Option<usize> {
        let p = self.p;
        let (v, s) = (p.pair_vol()[r] as usize, p.pair_shift()[r] as usize);
        let day = p.shifts()[s].day;
        let range = p.vol_pairs(v);
        let (lo, hi) = (p.shifts()[s].start - 1440, p.shifts()[s].end + 1440);
        let slice = &p.pair_shift()[range.clone()];
        let a = range.start + slice.partition_point(|&x| p.shifts()[x as usize].start < lo);
        let b = range.start + slice.partition_point(|&x| p.shifts()[x as usize].start <= hi);
        let (off, n) = self.window(b - a);
        let mut best: Option<usize> = None;
        for k in 0..n {
            let q = a + (off + k) % (b - a);
            if q == r || self.a.on()[q] || p.shifts()[p.pair_shift()[q] as usize].day != day {
                continue;
            }
            if best.is_none_or(|b| p.pair_cost()[q] < p.pair_cost()[b])
                && self.movable(q)
                && wanted(self, q)
            {
                best = Some(q);
            }
        }
        best
    }

    /// Moves the volunteer of assigned pair `r` onto their pair `q`: by a
    /// swap with a crew member of `q`'s shift when it is full or `r`'s
    /// shift would fall short, else (or when no one can swap) by a move
    /// (the vacated shift, if it falls short, gets a taker). Accepted by
    /// the annealing rule on the exact change of the total.
    pub(super) fn relocate(&mut self, r: usize, q: usize, t: f64) -> bool {
        let p = self.p;
        let (s, to) = (p.pair_shift()[r] as usize, p.pair_shift()[q] as usize);
        let before = self.total();
        let full = self.a.shift_count(to) >= p.shifts()[to].max;
        let partner = if full || self.a.shift_count(s) <= p.shifts()[s].min {
            match self.swap_partner(s, to) {
                Some(partner) => Some(partner),
                None if full => return false,
                None => None,
            }
        } else {
            None
        };
        self.remove(r);
        if let Some((out, back)) = partner {
            self.remove(out);
            if !self.add_or_rollback(back) {
                return false;
            }
        }
        if !self.add_or_rollback(q) {
            return false;
        }
        if partner.is_none() && self.a.shift_count(s) < p.shifts()[s].min {
            self.give_shift(s);
        }
        self.finish(before, t)
    }

    /// A crew member of shift `to` who could take shift `s` instead: their
    /// assigned pair on `to` and their unassigned pair on `s`, the one whose
    /// exchange costs least by static pair cost (of a window of the crew).
    fn swap_partner(&mut self, s: usize, to: usize) -> Option<(usize, usize)> {
        let p = self.p;
        let n = self.a.crew(to).len();
        if n == 0 {
            return None;
        }
        let off = self.rng.gen_range(0..n);
        let mut best: Option<(f64, usize, usize)> = None;
        for k in 0..n.min(PARTNER_SCAN) {
            let out = self.a.crew(to)[(off + k) % n] as usize;
            let u = p.pair_vol()[out] as usize;
            let Some(back) = p.find_pair(u, s) else {
                continue;
            };
            let d = p.pair_cost()[back] - p.pair_cost()[out];
            if best.is_none_or(|b| d < b.0)
                && !self.a.on()[back]
                && self.movable(out)
                && self.movable(back)
            {
                best = Some((d, out, back));
            }
        }
        best.map(|(_, out, back)| (out, back))
    }

    /// Shift `s` gets the volunteer (of a window of its pool) whose taking
    /// it lowers the objective most, if anyone can take it.
    fn give_shift(&mut self, s: usize) {
        let p = self.p;
        let list = p.shift_pair_list(s);
        if list.is_empty() {
            return;
        }
        let off = self.rng.gen_range(0..list.len());
        let mut best: Option<(f64, usize)> = None;
        for k in 0..list.len().min(PARTNER_SCAN) {
            let q = list[(off + k) % list.len()] as usize;
            if self.a.on()[q] {
                continue;
            }
            let d = self.a.add_delta(p, q);
            if best.is_none_or(|b| d < b.0) && self.can_add(q, None) {
                best = Some((d, q));
            }
        }
        if let Some((_, q)) = best {
            self.add(q);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::check_roster;
    use crate::generate::{generate, GeneratorConfig};
    use crate::scenario::Scenario;
    use crate::solver::construct::construct;
    use crate::solver::search::{AnnealParams, Searcher};
    use crate::solver::state::Assignment;
    use crate::solver::{score, to_roster};
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    /// The small preset (200 volunteers, 5 groups, preferences) with a pin
    /// on each of the first volunteers who hold a pair missing a
    /// preference with a better shift the same day: exactly the pairs the
    /// targeted moves would like to move.
    fn pinned_scenario() -> (Scenario, Problem, Vec<usize>) {
        let mut sc = generate(&GeneratorConfig::preset("small").expect("preset"));
        let p = Problem::compile(&sc).expect("compiles");
        let empty = Assignment::new(&p);
        let mut used = vec![false; p.n_shifts()];
        let mut pins = 0;
        for v in 0..p.n_volunteers() {
            let tempting = p.vol_pairs(v).find(|&r| {
                let s = p.pair_shift()[r] as usize;
                p.pair_flags()[r] & PAIR_MISSES != 0
                    && !used[s]
                    && empty.can_add(&p, r, None)
                    && p.vol_pairs(v).any(|q| {
                        p.shifts()[p.pair_shift()[q] as usize].day == p.shifts()[s].day
                            && p.pair_flags()[q] & PAIR_MISSES < p.pair_flags()[r] & PAIR_MISSES
                    })
            });
            if let Some(r) = tempting {
                let s = p.pair_shift()[r] as usize;
                used[s] = true;
                sc.volunteers[v].pinned = vec![p.shift_ids()[s].clone()];
                pins += 1;
            }
            if pins == 12 {
                break;
            }
        }
        assert_eq!(pins, 12, "the preset has volunteers to pin");
        let p = Problem::compile(&sc).expect("compiles with pins");
        let pinned: Vec<usize> = p.pinned().iter().map(|&x| x as usize).collect();
        assert!(pinned.iter().all(|&x| p.is_fixed(x)));
        (sc, p, pinned)
    }

    fn greedy(p: &Problem) -> Assignment {
        let mut a = Assignment::new(p);
        construct(p, &mut a, &|| false);
        a
    }

    fn ctx(p: &Problem, a: Assignment, seed: u64) -> Ctx<'_> {
        Ctx {
            p,
            a,
            rng: ChaCha8Rng::seed_from_u64(seed),
            log: Vec::new(),
            part: None,
        }
    }

    /// The independent checker finds no broken rule, and the running terms
    /// agree with a from-scratch score.
    fn assert_valid(sc: &Scenario, p: &Problem, a: &Assignment) {
        let objective = score::breakdown(p, a.on());
        assert!((objective.total - a.total(p)).abs() < 1e-6);
        let roster = to_roster(p, a.on(), objective);
        let check = check_roster(sc, &roster).expect("checks");
        assert!(check.is_valid(), "{:?}", check.violations);
        assert!(check.claimed_matches, "{:?}", check.mismatches);
    }

    #[test]
    fn preference_repair_lowers_misses_and_keeps_the_roster_valid() {
        let (sc, p, pinned) = pinned_scenario();
        let a = greedy(&p);
        let (misses, total) = (score::breakdown(&p, a.on()).preference_miss, a.total(&p));
        let mut c = ctx(&p, a, 3);
        let applied = (0..3000).filter(|_| c.prefer(0.0) == Some(true)).count();
        assert!(applied > 0);
        assert!(c.a.total(&p) <= total + 1e-9, "no worse at temperature 0");
        let after = score::breakdown(&p, c.a.on()).preference_miss;
        assert!(after < misses, "misses {misses} -> {after}");
        assert!(pinned.iter().all(|&x| c.a.on()[x]));
        assert_valid(&sc, &p, &c.a);
    }

    #[test]
    fn group_repair_lowers_splits_and_keeps_the_roster_valid() {
        let (sc, p, pinned) = pinned_scenario();
        let a = greedy(&p);
        let (split, total) = (a.terms().group_split, a.total(&p));
        assert!(split > 0.0, "the greedy roster splits a group");
        let groups = Groups::new(&p);
        let mut c = ctx(&p, a, 5);
        let applied = (0..3000)
            .filter(|_| c.regroup(&groups, 0.0) == Some(true))
            .count();
        assert!(applied > 0);
        assert!(c.a.total(&p) <= total + 1e-9, "no worse at temperature 0");
        let after = score::breakdown(&p, c.a.on()).group_split;
        assert!(after < split, "group split {split} -> {after}");
        assert!(pinned.iter().all(|&x| c.a.on()[x]));
        assert_valid(&sc, &p, &c.a);
    }

    #[test]
    fn targeted_moves_never_move_a_pin_even_when_accepting_everything() {
        let (sc, p, pinned) = pinned_scenario();
        let groups = Groups::new(&p);
        let mut c = ctx(&p, greedy(&p), 7);
        let mut applied = 0;
        for _ in 0..3000 {
            applied += usize::from(c.prefer(1e12) == Some(true));
            applied += usize::from(c.regroup(&groups, 1e12) == Some(true));
        }
        assert!(applied > 100, "the moves ran ({applied} applied)");
        assert!(pinned.iter().all(|&x| c.a.on()[x]), "a pin was moved");
        assert_valid(&sc, &p, &c.a);
    }

    #[test]
    fn the_search_with_targeted_moves_is_reproducible() {
        let (_, p, _) = pinned_scenario();
        let params = AnnealParams {
            iterations: 40_000,
            offset: 0,
            steps: 40_000,
            t_start: 5.0,
            t_end: 0.05,
            seed: 11,
        };
        let run = || {
            let mut s = Searcher::new(&p, greedy(&p), 11);
            s.anneal(&params, &|| false);
            s.restore_best();
            s.into_assignment().into_on()
        };
        assert_eq!(run(), run());
    }
}
