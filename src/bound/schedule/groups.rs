//! Lines of prices over a group of rows that only some volunteers can
//! work: a scarce qualification ([`RowGroup::classes`]) or a venue
//! ([`RowGroup::venues`]).
//!
//! **Classes.** When few volunteers hold a skill that some shifts require
//! and quotas on other shifts ask for, they cannot serve both: on the city
//! preset the medical shifts need first aid for their whole `min`, the
//! spectator shifts' first-aid quotas need about 85,000 qualifying heads
//! more, and the first-aiders' `max_shifts` fall short of the sum by some
//! 38,000. One cover price shared by all shifts cannot see that. Raising
//! the price of every row such a class of volunteers alone can serve, by
//! one shared step `t`, can: each of them collects at most `max_shifts`
//! rewards while L gains `t` per head the rows need. A class is the
//! volunteers who count for the quotas of one
//! [`QuotaInfo::class`](crate::problem::QuotaInfo::class); its rows are
//! those quotas and the cover rows of the shifts whose every eligible
//! volunteer counts for the class (as their pairs on the class's quota
//! shifts show: a volunteer with no such pair is taken not to count).
//!
//! **Venues.** Only the volunteers accredited for a venue can work its
//! shifts, so one cover price for all shifts over-pays some venues and
//! under-pays others. A venue's line moves the cover prices of its shifts
//! together, up where the cheapest schedules leave them short, down where
//! they over-fill them.
//!
//! Only a group's members have a pair on its rows, so L along the line
//! changes by the row values and their cheapest schedules alone:
//! [`super::dual::evaluate_members`] prices only them.

use super::dual::Prices;
use super::Probe;
use crate::problem::Problem;

/// A group of rows and who can work them.
pub(super) struct RowGroup {
    /// Quota rows.
    quotas: Vec<u32>,
    /// Cover rows (shifts with a `min`).
    shifts: Vec<u32>,
    /// Volunteers with a pair on one of the rows.
    members: Vec<bool>,
    /// The members' pairs as a share of all pairs: what one evaluation of
    /// the members costs against a full one.
    share: f64,
}

impl RowGroup {
    /// The rows of every class that has a quota on some unfrozen shift.
    pub(super) fn classes(p: &Problem) -> Vec<RowGroup> {
        let n_classes = p.quotas().iter().map(|q| q.class + 1).max().unwrap_or(0);
        let mut quotas: Vec<Vec<u32>> = vec![Vec::new(); n_classes as usize];
        for (i, q) in p.quotas().iter().enumerate() {
            if !p.shifts()[q.shift as usize].frozen {
                quotas[q.class as usize].push(i as u32);
            }
        }
        quotas
            .into_iter()
            .filter(|rows| !rows.is_empty())
            .map(|rows| Self::of_class(p, rows))
            .collect()
    }

    /// The group of a class's unfrozen quotas `quotas`.
    fn of_class(p: &Problem, quotas: Vec<u32>) -> RowGroup {
        let counts = counting_volunteers(p, &quotas);
        let shifts: Vec<u32> = (0..p.n_shifts() as u32)
            .filter(|&s| {
                let sh = &p.shifts()[s as usize];
                let vols = p.shift_vol_list(s as usize);
                !sh.frozen
                    && sh.min > 0
                    && !vols.is_empty()
                    && vols.iter().all(|&v| counts[v as usize])
            })
            .collect();
        // Every volunteer with a pair on a cover row counts for the class.
        Self::with_members(p, quotas, shifts, counts)
    }

    /// The cover rows of every venue's unfrozen shifts with a `min`.
    pub(super) fn venues(p: &Problem) -> Vec<RowGroup> {
        let n_venues = p.shifts().iter().map(|sh| sh.venue + 1).max().unwrap_or(0);
        let mut shifts: Vec<Vec<u32>> = vec![Vec::new(); n_venues as usize];
        for (s, sh) in p.shifts().iter().enumerate() {
            if !sh.frozen && sh.min > 0 {
                shifts[sh.venue as usize].push(s as u32);
            }
        }
        shifts
            .into_iter()
            .filter(|rows| !rows.is_empty())
            .map(|rows| {
                let mut members = vec![false; p.n_volunteers()];
                for &s in &rows {
                    for &v in p.shift_vol_list(s as usize) {
                        members[v as usize] = true;
                    }
                }
                Self::with_members(p, Vec::new(), rows, members)
            })
            .collect()
    }

    fn with_members(p: &Problem, quotas: Vec<u32>, shifts: Vec<u32>, members: Vec<bool>) -> Self {
        let member_pairs: usize = (0..p.n_volunteers())
            .filter(|&v| members[v])
            .map(|v| p.vol_pairs(v).len())
            .sum();
        RowGroup {
            quotas,
            shifts,
            members,
            share: member_pairs as f64 / p.n_pairs().max(1) as f64,
        }
    }

    /// The members' pairs as a share of all pairs.
    pub(super) fn share(&self) -> f64 {
        self.share
    }

    /// `members()[v]` when volunteer `v` has a pair on one of the rows.
    pub(super) fn members(&self) -> &[bool] {
        &self.members
    }

    /// L's slope along the line in `direction` at `prices`, from the heads
    /// and qualifying heads of the cheapest schedules there: what the rows
    /// whose price may still move that way leave unmet, or over-fill when
    /// the prices go down.
    pub(super) fn slope(
        &self,
        p: &Problem,
        direction: Direction,
        prices: &Prices,
        (heads, qualifying): (&[u32], &[u32]),
    ) -> f64 {
        let w = p.weights();
        let cover: f64 = self
            .shifts
            .iter()
            .map(|&s| s as usize)
            .filter(|&s| direction.can_move(prices.cover[s], w.uncovered * p.shifts()[s].priority))
            .map(|s| p.shifts()[s].min as f64 - heads[s] as f64)
            .sum();
        let quota: f64 = self
            .quotas
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| direction.can_move(prices.quota[i], p.quotas()[i].unit_cost))
            .map(|i| p.quotas()[i].at_least as f64 - qualifying[i] as f64)
            .sum();
        direction.sign() * (cover + quota)
    }

    /// The smallest and the largest step that brings a row's price to the
    /// end of its range in `direction` (its cap, or 0): where L's first
    /// and last kink of those ends lie.
    fn room(&self, p: &Problem, direction: Direction, base: &Prices) -> (f64, f64) {
        let w = p.weights();
        let cover = self.shifts.iter().map(|&s| {
            let s = s as usize;
            direction.room(base.cover[s], w.uncovered * p.shifts()[s].priority)
        });
        let quota = self.quotas.iter().map(|&i| {
            let i = i as usize;
            direction.room(base.quota[i], p.quotas()[i].unit_cost)
        });
        cover
            .chain(quota)
            .filter(|&r| r > 0.0)
            .fold((f64::INFINITY, 0.0f64), |(lo, hi), r| {
                (lo.min(r), hi.max(r))
            })
    }

    /// The mean cover price of the group's shifts at `prices`.
    fn mean_cover(&self, prices: &Prices) -> f64 {
        let sum: f64 = self.shifts.iter().map(|&s| prices.cover[s as usize]).sum();
        sum / self.shifts.len().max(1) as f64
    }

    /// `base` with every row of the group moved by `t` in `direction`,
    /// each within 0 ..= its cap.
    fn moved(&self, p: &Problem, direction: Direction, base: &Prices, t: f64) -> Prices {
        let w = p.weights();
        let mut prices = base.clone();
        for &s in &self.shifts {
            let s = s as usize;
            let cap = w.uncovered * p.shifts()[s].priority;
            prices.cover[s] = direction.step(base.cover[s], t, cap);
        }
        for &i in &self.quotas {
            let i = i as usize;
            prices.quota[i] = direction.step(base.quota[i], t, p.quotas()[i].unit_cost);
        }
        prices
    }
}

/// Which way a line moves its group's prices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Direction {
    Up,
    Down,
}

impl Direction {
    fn sign(self) -> f64 {
        match self {
            Direction::Up => 1.0,
            Direction::Down => -1.0,
        }
    }

    /// Whether a price may still move this way within `0 ..= cap`.
    fn can_move(self, price: f64, cap: f64) -> bool {
        match self {
            Direction::Up => price < cap,
            Direction::Down => price > 0.0,
        }
    }

    /// How far a price may move this way within `0 ..= cap`.
    fn room(self, price: f64, cap: f64) -> f64 {
        match self {
            Direction::Up => cap - price,
            Direction::Down => price,
        }
    }

    /// `price` moved by `t` this way, kept within `0 ..= cap` (and never
    /// moved the other way).
    fn step(self, price: f64, t: f64, cap: f64) -> f64 {
        match self {
            Direction::Up => (price + t).min(cap).max(price),
            Direction::Down => (price - t).max(0.0).min(price),
        }
    }
}

/// Where a line's search takes its first step after 0.
#[derive(Clone, Copy, Debug)]
pub(super) enum FirstStep {
    /// The first end of a row's range (a class: the quotas' caps, a tenth
    /// of the cover rows' under the default weights; on city the top of
    /// the first-aid line lies right there, at t = 100).
    FirstEnd,
    /// A quarter of the group's mean cover price (a venue: L's kinks lie at
    /// differences of pair costs, far below the caps).
    QuarterOfPrice,
}

/// The members' summed cheapest schedules at some prices, with their heads
/// and qualifying heads: [`dual::evaluate_members`] over a class.
pub(super) type EvaluateMembers<'a> =
    dyn FnMut(&Prices, &RowGroup, &mut [u32], &mut [u32]) -> f64 + 'a;

/// The line `base ± t` on a group's rows. L there is the value at `base`
/// plus the change of the row values and of the members' schedules, so a
/// probe prices the members alone.
pub(super) struct GroupLine<'a, 'e> {
    p: &'a Problem,
    rows: &'a RowGroup,
    direction: Direction,
    base: &'a Prices,
    base_value: f64,
    base_rows: f64,
    /// The members' schedules at `base` (the first probe, at 0, sets it).
    base_members: Option<f64>,
    first: f64,
    top: f64,
    eval: &'a mut EvaluateMembers<'e>,
    heads: &'a mut [u32],
    qualifying: &'a mut [u32],
}

impl<'a, 'e> GroupLine<'a, 'e> {
    pub(super) fn new(
        p: &'a Problem,
        (rows, direction, first): (&'a RowGroup, Direction, FirstStep),
        (base, base_value): (&'a Prices, f64),
        eval: &'a mut EvaluateMembers<'e>,
        (heads, qualifying): (&'a mut [u32], &'a mut [u32]),
    ) -> Self {
        let (first_end, top) = rows.room(p, direction, base);
        let first = match first {
            FirstStep::FirstEnd => first_end,
            FirstStep::QuarterOfPrice => 0.25 * rows.mean_cover(base),
        };
        let first = if first > 0.0 {
            first
        } else {
            top * super::FIRST_SHARE
        };
        GroupLine {
            p,
            rows,
            direction,
            base,
            base_value,
            base_rows: base.row_value(p),
            base_members: None,
            first: first.min(top),
            top,
            eval,
            heads,
            qualifying,
        }
    }

    /// The prices at step `t`.
    pub(super) fn at(&self, t: f64) -> Prices {
        self.rows.moved(self.p, self.direction, self.base, t)
    }
}

impl super::Line for GroupLine<'_, '_> {
    fn top(&self) -> f64 {
        self.top
    }

    /// See [`FirstStep`].
    fn first(&self) -> f64 {
        self.first
    }

    fn probe(&mut self, t: f64) -> Probe {
        let prices = self.at(t);
        let members = (self.eval)(&prices, self.rows, self.heads, self.qualifying);
        let base_members = *self.base_members.get_or_insert(members);
        let value = if t == 0.0 {
            self.base_value
        } else {
            self.base_value + (prices.row_value(self.p) - self.base_rows) + (members - base_members)
        };
        let slope = if t >= self.top {
            0.0
        } else {
            let heads = (&*self.heads, &*self.qualifying);
            self.rows.slope(self.p, self.direction, &prices, heads)
        };
        Probe {
            theta: t,
            value,
            slope,
        }
    }
}

/// Marks the volunteers who count for some quota of `quotas` (by their
/// pairs' quota masks).
fn counting_volunteers(p: &Problem, quotas: &[u32]) -> Vec<bool> {
    let mut counts = vec![false; p.n_volunteers()];
    for &i in quotas {
        let q = &p.quotas()[i as usize];
        let bit = 1u32 << (i - p.shifts()[q.shift as usize].quota_start);
        let list = p.shift_pair_list(q.shift as usize);
        for (&k, &v) in list.iter().zip(p.shift_vol_list(q.shift as usize)) {
            if p.pair_quota_mask()[k as usize] & bit != 0 {
                counts[v as usize] = true;
            }
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::super::{dual, head_counts, Line, Pricing};
    use super::*;
    use crate::generate::{generate, GeneratorConfig};

    /// A probe prices the group's members alone, yet its value is L at the
    /// line's prices: the same as a full evaluation there. For every class
    /// (up) and every venue (up and down).
    #[test]
    fn a_probe_equals_a_full_evaluation_at_its_prices() {
        let sc = generate(&GeneratorConfig::preset("small").expect("preset"));
        let p = Problem::compile(&sc).expect("compiles");
        let pricing = Pricing::new(&p);
        let mut workers = dual::workers(&p);
        let classes = RowGroup::classes(&p);
        assert!(
            classes.iter().any(|c| !c.shifts.is_empty()),
            "no class with cover rows"
        );
        let venues = RowGroup::venues(&p);
        assert!(venues.len() > 1);
        let (mut heads, mut qualifying) = head_counts(&p);
        let mut base = Prices::zero(&p);
        base.cover.iter_mut().for_each(|x| *x = 2.0);
        let ignore = |_: usize, _: &[u32]| {};
        let base_value = dual::evaluate(
            &p,
            &pricing,
            &base,
            &mut workers,
            &mut heads,
            &mut qualifying,
            &ignore,
        );
        let mut full_workers = dual::workers(&p);
        let lines = classes
            .iter()
            .map(|g| (g, Direction::Up, FirstStep::FirstEnd))
            .chain(venues.iter().flat_map(|g| {
                [Direction::Up, Direction::Down].map(|d| (g, d, FirstStep::QuarterOfPrice))
            }));
        for (rows, direction, first) in lines {
            assert!(rows.share() > 0.0 && rows.share() < 1.0);
            let mut eval = |pr: &Prices, r: &RowGroup, h: &mut [u32], q: &mut [u32]| {
                dual::evaluate_members(&p, &pricing, pr, &mut workers, r.members(), (h, q))
            };
            let (mut h, mut q) = head_counts(&p);
            let mut line = GroupLine::new(
                &p,
                (rows, direction, first),
                (&base, base_value),
                &mut eval,
                (&mut h, &mut q),
            );
            assert!(line.first() > 0.0 && line.first() <= line.top());
            for t in [0.0, 0.5, 3.0, 40.0, 150.0, 900.0] {
                let got = line.probe(t);
                let prices = line.at(t);
                let want = dual::evaluate(
                    &p,
                    &pricing,
                    &prices,
                    &mut full_workers,
                    &mut heads,
                    &mut qualifying,
                    &ignore,
                );
                let tol = 1e-9 * want.abs().max(1.0);
                assert!(
                    (got.value - want).abs() < tol,
                    "{direction:?} t {t}: probe {} full {want}",
                    got.value
                );
                let slope = if t >= line.top() {
                    0.0
                } else {
                    rows.slope(&p, direction, &prices, (&heads, &qualifying))
                };
                assert_eq!(got.slope, slope, "{direction:?} t {t}");
            }
        }
    }
}
