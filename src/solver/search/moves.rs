//! The move table: every move of the search, when it applies and how
//! often it is drawn.

use super::ctx::Ctx;

/// One move of the local search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Move {
    /// Augmenting path towards a random short shift (`augment.rs`).
    Augment,
    /// A short shift gets a volunteer, by an ejection chain if need be (`cover.rs`).
    FillShort,
    /// A volunteer above their commitment hands one assignment on (`exchange.rs`).
    ShedLoad,
    /// A lightly used volunteer hands every assignment on (`exchange.rs`).
    Vacate,
    /// An unmet quota gets a qualifying volunteer (`cover.rs`).
    FixQuota,
    /// A volunteer below their commitment toggles a shift (`flip.rs`).
    FlipUnder,
    /// A random volunteer toggles a shift (`flip.rs`).
    Flip,
    /// A volunteer on a shift that misses a preference moves to one that
    /// misses fewer on the same day (`targeted.rs`).
    Prefer,
    /// A group member moves to a venue where the group works (`targeted.rs`).
    Regroup,
    /// A crew member is replaced by another volunteer (`exchange.rs`).
    Replace,
    /// Two volunteers exchange shifts (`exchange.rs`).
    Swap,
    /// A random volunteer's schedule is rebuilt (`flip.rs`).
    Rebuild,
    /// Ruin and recreate around a random shift (`ruin.rs`).
    RuinRecreate,
}

/// Which moves can do anything in the current state.
#[derive(Clone, Copy)]
pub(super) struct Applies {
    short: bool,
    unmet_quota: bool,
    under_committed: bool,
    shed_load: bool,
    vacate: bool,
    prefer: bool,
    regroup: bool,
}

impl Applies {
    pub(super) fn of(c: &Ctx) -> Self {
        let w = c.p.weights();
        Applies {
            short: !c.a.short_shifts().is_empty(),
            unmet_quota: !c.a.unmet_quotas().is_empty(),
            under_committed: !c.a.under_committed().is_empty(),
            // Only when fair load is priced, so the draws of other
            // scenarios stay as they were.
            shed_load: w.extra_load > 0.0 && !c.a.over_committed().is_empty(),
            // Only when volunteers are priced and someone works.
            vacate: w.volunteer_used > 0.0 && c.a.terms().volunteer_used > 0.0,
            // Only when misses are priced and some pair costs anything
            // (the move samples for a miss itself), and never in a
            // re-solve: there a relocation costs at least two changes,
            // far more than a miss or a split saves, so it could only pay
            // as a chain into a hole, which the re-solve's own fill steps
            // weigh; a re-solve keeps its draws, and so its roster.
            prefer: w.preference_miss > 0.0
                && c.a.terms().pair_cost > 0.0
                && !c.p.pair_cost_has_change(),
            // Only when some group is split and that is priced, and not in
            // a re-solve (as `prefer`).
            regroup: w.group_split > 0.0
                && c.a.terms().group_split > 0.0
                && !c.p.pair_cost_has_change(),
        }
    }

    /// Whether `m` applies.
    #[inline]
    fn allows(&self, m: Move) -> bool {
        match m {
            Move::Augment | Move::FillShort => self.short,
            Move::ShedLoad => self.shed_load,
            Move::Vacate => self.vacate,
            Move::Prefer => self.prefer,
            Move::Regroup => self.regroup,
            Move::FixQuota => self.unmet_quota,
            Move::FlipUnder => self.under_committed,
            Move::Flip | Move::Replace | Move::Swap | Move::Rebuild | Move::RuinRecreate => true,
        }
    }
}

/// The move table: each move's weight (per mille of the draws) and the
/// move that takes its draws while it does not apply. The fallbacks end at
/// moves that always apply, so the draws of a state split exactly as the
/// weights of its applicable moves plus what falls back to them: the cheap
/// moves run often, the large-neighbourhood ones (augment, rebuild, ruin)
/// rarely; with no shift short, the demand moves' draws go to quotas, then
/// to volunteers below their commitment, then to random flips. The
/// targeted moves hold draws that were `replace`'s and `swap`'s and fall
/// back to them, so where they do not apply the draws are as before.
const TABLE: [(Move, u32, Move); 13] = [
    (Move::Augment, 10, Move::FillShort),
    (Move::FillShort, 240, Move::FixQuota),
    (Move::FixQuota, 80, Move::FlipUnder),
    (Move::FlipUnder, 70, Move::Flip),
    (Move::Vacate, 100, Move::Flip),
    (Move::Flip, 100, Move::Flip),
    (Move::ShedLoad, 60, Move::Replace),
    (Move::Prefer, 100, Move::Replace),
    (Move::Replace, 60, Move::Replace),
    (Move::Regroup, 40, Move::Swap),
    (Move::Swap, 115, Move::Swap),
    (Move::Rebuild, 20, Move::Rebuild),
    (Move::RuinRecreate, 5, Move::RuinRecreate),
];

/// Sum of the weights: a draw is in `0..DRAWS`.
pub(super) const DRAWS: u32 = {
    let mut sum = 0;
    let mut i = 0;
    while i < TABLE.len() {
        sum += TABLE[i].1;
        i += 1;
    }
    sum
};

/// The move for draw `r` in `0..DRAWS`: the table entry holding `r`, or the
/// first applicable move down its fallbacks.
#[inline]
pub(super) fn pick(applies: Applies, r: u32) -> Move {
    let mut from = 0;
    let mut m = Move::RuinRecreate;
    for &(entry, weight, _) in &TABLE {
        if r < from + weight {
            m = entry;
            break;
        }
        from += weight;
    }
    while !applies.allows(m) {
        m = fallback(m);
    }
    m
}

/// Tries of a gated move between two looks at how it went.
const GATE_WINDOW: u32 = 512;

/// Fewest applied moves in a window that keep the gate open (1 in 64).
const GATE_MIN_APPLIED: u32 = GATE_WINDOW / 64;

/// Draws of the move the gate sends elsewhere once it closes (7 in 8 of
/// the draws while the move stays futile).
const GATE_REST: u32 = 7 * GATE_WINDOW;

/// Closes a move whose draws keep failing, such as `fix_quota` where the
/// quotas left unmet cannot be met (on city, first-aiders are too few for
/// the medical shifts and the first-aid quotas both): after a window of
/// tries with too few applied, its next draws are redrawn, so that time
/// goes to the moves that still find something. It counts draws, not
/// time, so the search stays deterministic.
#[derive(Default)]
pub(super) struct Gate {
    tries: u32,
    applied: u32,
    rest: u32,
}

impl Gate {
    /// Whether the move may run on this draw (a closed gate counts the
    /// draw it refuses).
    pub(super) fn open(&mut self) -> bool {
        if self.rest > 0 {
            self.rest -= 1;
            return false;
        }
        true
    }

    /// Takes in one try of the move and whether it was applied.
    pub(super) fn record(&mut self, applied: bool) {
        self.tries += 1;
        self.applied += u32::from(applied);
        if self.tries == GATE_WINDOW {
            if self.applied < GATE_MIN_APPLIED {
                self.rest = GATE_REST;
            }
            self.tries = 0;
            self.applied = 0;
        }
    }
}

/// The move that takes `m`'s draws while `m` does not apply.
#[inline]
pub(super) fn fallback(m: Move) -> Move {
    TABLE.iter().find(|e| e.0 == m).map_or(Move::Flip, |e| e.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(short: bool, unmet_quota: bool, under_committed: bool, priced: bool) -> Applies {
        Applies {
            short,
            unmet_quota,
            under_committed,
            shed_load: priced,
            vacate: priced,
            prefer: priced,
            regroup: priced,
        }
    }

    fn share(applies: Applies, m: Move) -> u32 {
        (0..DRAWS).filter(|&r| pick(applies, r) == m).count() as u32
    }

    #[test]
    fn quota_and_commitment_moves_run_while_shifts_are_short_and_volunteers_priced() {
        let a = all(true, true, true, true);
        assert_eq!(share(a, Move::FixQuota), 80);
        assert_eq!(share(a, Move::FlipUnder), 70);
        assert_eq!(share(a, Move::Vacate), 100);
        assert_eq!(share(a, Move::FillShort), 240);
        assert_eq!(share(a, Move::Prefer), 100);
        assert_eq!(share(a, Move::Regroup), 40);
    }

    #[test]
    fn targeted_moves_run_in_a_solve_and_not_in_a_re_solve() {
        use crate::generate::{generate, GeneratorConfig};
        use crate::problem::{CompileOptions, Problem};
        use crate::solver::construct::construct;
        use crate::solver::state::Assignment;
        use rand::SeedableRng;
        let sc = generate(&GeneratorConfig::preset("small").expect("preset"));
        let targeted = |p: &Problem| {
            let mut a = Assignment::new(p);
            construct(p, &mut a, &|| false);
            let c = Ctx {
                p,
                a,
                rng: rand_chacha::ChaCha8Rng::seed_from_u64(1),
                log: Vec::new(),
                part: None,
            };
            let applies = Applies::of(&c);
            (share(applies, Move::Prefer), share(applies, Move::Regroup))
        };
        let solve = Problem::compile(&sc).expect("compiles");
        assert_eq!(targeted(&solve), (100, 40));
        let options = CompileOptions {
            repair: true,
            ..CompileOptions::default()
        };
        let resolve = Problem::compile_with(&sc, &options).expect("compiles");
        assert_eq!(targeted(&resolve), (0, 0));
    }

    #[test]
    fn targeted_moves_hold_draws_of_replace_and_swap() {
        let a = all(false, false, false, false);
        for r in 0..DRAWS {
            let m = pick(all(false, false, false, true), r);
            if m == Move::Prefer {
                assert_eq!(pick(a, r), Move::Replace);
            }
            if m == Move::Regroup {
                assert_eq!(pick(a, r), Move::Swap);
            }
        }
        assert_eq!(share(a, Move::Prefer) + share(a, Move::Regroup), 0);
        assert_eq!(share(a, Move::Swap), 155);
    }

    #[test]
    fn draws_of_moves_that_do_not_apply_fall_back() {
        let a = all(false, false, true, false);
        assert_eq!(share(a, Move::Augment) + share(a, Move::FillShort), 0);
        assert_eq!(share(a, Move::Vacate) + share(a, Move::ShedLoad), 0);
        assert_eq!(share(a, Move::FlipUnder), 400);
        assert_eq!(share(a, Move::Flip), 200);
        assert_eq!(share(a, Move::Replace), 220);
        assert_eq!(DRAWS, 1000);
    }

    #[test]
    fn a_futile_move_is_gated_and_tried_again_later() {
        let mut gate = Gate::default();
        // A window with enough applied keeps the gate open.
        for i in 0..GATE_WINDOW {
            assert!(gate.open());
            gate.record(i < GATE_MIN_APPLIED);
        }
        assert!(gate.open());
        // A window with fewer closes it for GATE_REST draws, then it
        // opens again for a new window.
        for i in 0..GATE_WINDOW {
            assert!(gate.open());
            gate.record(i + 1 < GATE_MIN_APPLIED);
        }
        let refused = (0..2 * GATE_REST).take_while(|_| !gate.open()).count() as u32;
        assert_eq!(refused, GATE_REST);
        assert!(gate.open());
    }
}
