//! Local search: simulated annealing over a table of moves, scored
//! incrementally, each move a sequence of logged adds and removes that a
//! rejection rolls back.
//!
//! The moves (`moves.rs` says when each applies and how often it runs):
//! - `fill_short`: a short shift gets a volunteer, by an ejection chain if
//!   need be; `augment`: an augmenting path towards a short shift
//!   (`cover.rs`, `augment.rs`);
//! - `fix_quota`: an unmet quota gets a qualifying volunteer (`cover.rs`);
//!   while it keeps failing, a gate redraws most of its draws (`moves.rs`);
//! - `flip`: a volunteer (random, or below their commitment) toggles a
//!   shift or moves onto it, on half its draws one of the few the bound's
//!   prices favour when the bound ran to the end (`steer.rs`); `rebuild`:
//!   one volunteer's schedule is rebuilt (`flip.rs`);
//! - `replace`, `swap`, `shed_load` (only when `extra_load` is priced) and
//!   `vacate` (only when `volunteer_used` is priced): hand-overs between
//!   volunteers (`exchange.rs`);
//! - `ruin_recreate`: the assignments around a shift are dropped and
//!   rebuilt (`ruin.rs`);
//! - `prefer` (only when `preference_miss` is priced) and `regroup` (only
//!   when a group is split and `group_split` is priced; neither in a
//!   re-solve, where a relocation costs two changes): targeted moves
//!   that sample a few crew members for one missing a preference, or a few
//!   groups for one split across venues, and move that volunteer onto a
//!   shift the same day without the miss or at a venue the group works at,
//!   swapping with a crew member there when the shift is full
//!   (`targeted.rs`); a draw that finds nothing goes to `replace` or `swap`.
//!
//! Every move works over [`ctx::Ctx`]: the roster, the RNG, the undo log
//! and the worker's part.

mod augment;
mod cover;
mod ctx;
mod exchange;
mod flip;
mod moves;
mod ruin;
pub mod steer;
mod targeted;

use super::state::Assignment;
use crate::problem::Problem;
use augment::{Augmenter, Paths};
use ctx::Ctx;
use moves::{Applies, Gate, Move};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use ruin::Ruiner;
use steer::Favourites;
use targeted::Groups;

/// Draws a closed gate may send elsewhere in one step before the move
/// runs anyway.
const REDRAWS: usize = 4;

/// Parameters of one annealing run.
#[derive(Clone, Debug)]
pub struct AnnealParams {
    /// Total iterations of the whole run (the temperature schedule spans them).
    pub iterations: u64,
    /// Iterations already done before this run (for the temperature).
    pub offset: u64,
    /// Iterations of this call.
    pub steps: u64,
    /// Temperature at the start of the whole run.
    pub t_start: f64,
    /// Temperature at its end (geometric cooling in between).
    pub t_end: f64,
    /// Seed of the run's RNG.
    pub seed: u64,
}

/// What a run did.
#[derive(Clone, Debug, Default)]
pub struct AnnealStats {
    /// Moves drawn.
    pub iterations: u64,
    /// Moves applied.
    pub accepted: u64,
    /// Moves that gave a new best total.
    pub improved: u64,
    /// The stop callback ended the run before its steps were done.
    pub stopped_early: bool,
}

/// [`Partition::pair_part`] of a pair no worker may change (parts are
/// numbered below it: at most 255).
pub const NOT_OWNED: u8 = u8::MAX;

/// A split of shifts, volunteers and groups into disjoint parts, one per
/// worker: a worker only adds or removes pairs whose shift and volunteer are
/// both in its part, so the workers' changes touch disjoint state and merge
/// exactly (every objective term decomposes over shifts, quotas,
/// volunteers, groups and pairs).
#[derive(Clone, Debug)]
pub struct Partition {
    /// Per shift: its part.
    pub shift_part: Vec<u8>,
    /// Per volunteer: their part.
    pub vol_part: Vec<u8>,
    /// Per pair: the part that may change it, or [`NOT_OWNED`] (its shift
    /// and volunteer are in different parts, or it is fixed). One read
    /// where the move context's `movable` took four scattered ones on city.
    pub pair_part: Vec<u8>,
    /// Per group: its part.
    pub group_part: Vec<u8>,
    /// Per part: its shifts.
    pub shifts_of: Vec<Vec<u32>>,
    /// Per part: its volunteers.
    pub vols_of: Vec<Vec<u32>>,
}

/// A search worker: the move context, the best roster seen and the
/// scratch space of the large moves.
pub struct Searcher<'p> {
    c: Ctx<'p>,
    /// Total of the best roster seen. That roster itself is the current one
    /// with the flips journaled since its [`Assignment::mark`] undone
    /// (copying the roster at each new best cost most of a city search's
    /// time).
    best_total: f64,
    augmenter: Augmenter,
    ruiner: Ruiner,
    groups: Groups,
    /// Sends `fix_quota`'s draws elsewhere while it keeps failing.
    quota_gate: Gate,
    /// Pairs the bound's prices favour, which `flip` tries first.
    favourites: Option<&'p Favourites>,
}

impl<'p> Searcher<'p> {
    /// A worker starting from roster `a`, its RNG seeded with `seed`.
    pub fn new(p: &'p Problem, mut a: Assignment, seed: u64) -> Self {
        let best_total = a.total(p);
        a.mark();
        Searcher {
            c: Ctx {
                p,
                a,
                rng: ChaCha8Rng::seed_from_u64(seed),
                log: Vec::with_capacity(16),
                part: None,
            },
            best_total,
            augmenter: Augmenter::new(p),
            ruiner: Ruiner::default(),
            groups: Groups::new(p),
            quota_gate: Gate::default(),
            favourites: None,
        }
    }

    /// The current roster.
    pub fn assignment(&self) -> &Assignment {
        &self.c.a
    }

    /// The current roster, taken out of the worker.
    pub fn into_assignment(self) -> Assignment {
        let mut a = self.c.a;
        a.unmark();
        a
    }

    #[inline]
    fn total(&self) -> f64 {
        self.c.total()
    }

    /// `flip` tries the pairs `favourites` holds on part of its draws.
    pub fn steer_by(&mut self, favourites: &'p Favourites) {
        self.favourites = Some(favourites);
    }

    /// Restricts this worker to part `k` of `part`.
    pub fn restrict(&mut self, part: &'p Partition, k: u8) {
        self.c.part = Some((part, k));
    }

    /// Runs `params.steps` iterations; `stop` is polled every 1,024.
    pub fn anneal(&mut self, params: &AnnealParams, stop: &dyn Fn() -> bool) -> AnnealStats {
        let mut stats = AnnealStats::default();
        if self.c.p.n_pairs() == 0 {
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
            let moved = self.step(t);
            stats.iterations += 1;
            if moved {
                stats.accepted += 1;
                if self.total() < self.best_total - 1e-9 {
                    stats.improved += 1;
                    self.keep_as_best();
                }
            }
        }
        stats
    }

    /// The current roster becomes the best.
    fn keep_as_best(&mut self) {
        self.best_total = self.total();
        self.c.a.mark();
    }

    /// Whether the current roster is at least as good as the best seen.
    fn current_is_best(&self) -> bool {
        self.total() <= self.best_total + 1e-9
    }

    /// Returns to the best roster seen when the current one is worse.
    pub fn restore_best(&mut self) {
        if !self.current_is_best() {
            self.c.a.rewind(self.c.p);
            self.best_total = self.total();
        }
    }

    /// One move, drawn from the move table; returns whether it was applied.
    #[inline(never)]
    fn step(&mut self, t: f64) -> bool {
        let applies = Applies::of(&self.c);
        let mut m = moves::pick(applies, self.c.rng.gen_range(0..moves::DRAWS));
        for _ in 0..REDRAWS {
            if m != Move::FixQuota || self.quota_gate.open() {
                break;
            }
            m = moves::pick(applies, self.c.rng.gen_range(0..moves::DRAWS));
        }
        let moved = self.run(m, t);
        if m == Move::FixQuota {
            self.quota_gate.record(moved);
        }
        moved
    }

    /// Runs move `m` at temperature `t`.
    #[inline]
    fn run(&mut self, m: Move, t: f64) -> bool {
        let c = &mut self.c;
        match m {
            Move::Augment => {
                let s = c.pick_short_shift();
                self.augmenter.augment(c, s, t)
            }
            Move::FillShort => c.fill_short(t),
            Move::ShedLoad => c.shed_load(t),
            Move::Vacate => c.vacate(t),
            Move::FixQuota => c.fix_quota(t),
            Move::FlipUnder => {
                let v = c.pick_under_committed();
                let favourite = self.favourites.and_then(|f| f.draw(v, &mut c.rng));
                c.flip(v, favourite, t)
            }
            Move::Flip => {
                let v = c.pick_volunteer();
                let favourite = self.favourites.and_then(|f| f.draw(v, &mut c.rng));
                c.flip(v, favourite, t)
            }
            Move::Prefer => match c.prefer(t) {
                Some(moved) => moved,
                None => self.run(moves::fallback(m), t),
            },
            Move::Regroup => match c.regroup(&self.groups, t) {
                Some(moved) => moved,
                None => self.run(moves::fallback(m), t),
            },
            Move::Replace => c.replace(t),
            Move::Swap => c.swap(t),
            Move::Rebuild => {
                let v = c.pick_volunteer();
                c.rebuild(v, t)
            }
            Move::RuinRecreate => self.ruiner.ruin_recreate(c, t),
        }
    }

    /// Repeated augmenting paths towards every short shift (a matching-style
    /// coverage pass); only improving paths are kept: first phases of
    /// paths that keep every quota as met as it was, towards all short
    /// shifts at once, while they find any; then up to `rounds` rounds of
    /// any path, one short shift at a time. Returns paths applied.
    pub fn augment_all(&mut self, rounds: usize, stop: &dyn Fn() -> bool) -> usize {
        let mut applied = 0;
        while !stop() {
            let roots = self.sorted_short_shifts();
            let found = self.augmenter.phase(&mut self.c, &roots, Paths::KeepQuotas);
            applied += found;
            if found == 0 {
                break;
            }
        }
        for _ in 0..rounds {
            if stop() {
                break;
            }
            let found = self.augment_round(stop);
            applied += found;
            if found == 0 {
                break;
            }
        }
        self.keep_as_best();
        applied
    }

    /// The shifts below `min`, in index order (the passes' fixed order).
    fn sorted_short_shifts(&self) -> Vec<u32> {
        let mut shorts = self.c.a.short_shifts().items().to_vec();
        shorts.sort_unstable();
        shorts
    }

    /// One pass of augmenting paths over the short shifts, in index order;
    /// returns paths applied.
    fn augment_round(&mut self, stop: &dyn Fn() -> bool) -> usize {
        let shorts = self.sorted_short_shifts();
        let mut applied = 0;
        for (i, &s) in shorts.iter().enumerate() {
            if i % 64 == 0 && stop() {
                break;
            }
            let s = s as usize;
            while self.c.a.shift_count(s) < self.c.p.shifts()[s].min
                && self.augmenter.augment(&mut self.c, s, 0.0)
            {
                applied += 1;
            }
        }
        applied
    }
}
