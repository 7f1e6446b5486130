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
}

impl Applies {
    pub(super) fn of(c: &Ctx) -> Self {
        let w = &c.p.weights;
        Applies {
            short: !c.a.short_shifts.is_empty(),
            unmet_quota: !c.a.unmet_quotas.is_empty(),
            under_committed: !c.a.under_committed.is_empty(),
            // Only when fair load is priced, so the draws of other
            // scenarios stay as they were.
            shed_load: w.extra_load > 0.0 && !c.a.over_committed.is_empty(),
            vacate: w.volunteer_used > 0.0,
        }
    }

    /// Whether `m` applies.
    #[inline]
    fn allows(&self, m: Move) -> bool {
        match m {
            Move::Augment | Move::FillShort => self.short,
            Move::ShedLoad => self.shed_load,
            Move::Vacate => self.vacate,
            Move::FixQuota => self.unmet_quota,
            Move::FlipUnder => self.under_committed,
            Move::Flip | Move::Replace | Move::Swap | Move::Rebuild | Move::RuinRecreate => true,
        }
    }
}

/// Per-mille ranges `[lo, hi)` of a draw in `0..1000`, in priority order:
/// the first applicable move whose range holds the draw runs. The cheap
/// moves run often, the large-neighbourhood ones (augment, rebuild, ruin)
/// rarely.
const TABLE: [(Move, u32, u32); 11] = [
    (Move::Augment, 0, 10),
    (Move::FillShort, 0, 250),
    (Move::ShedLoad, 600, 660),
    (Move::Vacate, 250, 450),
    (Move::FixQuota, 0, 330),
    (Move::FlipUnder, 0, 400),
    (Move::Flip, 0, 600),
    (Move::Replace, 0, 820),
    (Move::Swap, 0, 975),
    (Move::Rebuild, 0, 995),
    (Move::RuinRecreate, 0, 1000),
];

/// The move for draw `r` in `0..1000`.
#[inline]
pub(super) fn pick(applies: Applies, r: u32) -> Move {
    for &(m, lo, hi) in &TABLE {
        if (lo..hi).contains(&r) && applies.allows(m) {
            return m;
        }
    }
    Move::RuinRecreate
}
