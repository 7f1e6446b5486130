//! Lines of prices along a scarce qualification.
//!
//! When few volunteers hold a skill that some shifts require and quotas on
//! other shifts ask for, they cannot serve both: on the city preset the
//! medical shifts need first aid for their whole `min`, the spectator
//! shifts' first-aid quotas need about 85,000 qualifying heads more, and
//! the first-aiders' `max_shifts` fall short of the sum by some 38,000.
//! One cover price shared by all shifts cannot see that. Raising the price
//! of every row such a class of volunteers alone can serve, by one shared
//! step `t`, can: each of them collects at most `max_shifts` rewards while
//! L gains `t` per head the rows need.
//!
//! A class is the volunteers who count for the quotas of one
//! [`QuotaInfo::class`](crate::problem::QuotaInfo::class). Its rows are
//! those quotas and the cover rows of the shifts whose every eligible
//! volunteer counts for the class (as their pairs on the class's quota
//! shifts show: a volunteer with no such pair is taken not to count). Only
//! the class's volunteers have a pair on those rows, so L along the line
//! changes by the row values and their cheapest schedules alone:
//! [`dual::evaluate_members`] prices only them.

use super::dual::Prices;
use super::Probe;
use crate::problem::Problem;

/// The rows of one class and who can work them.
pub(super) struct ClassRows {
    /// Quota rows of the class.
    quotas: Vec<u32>,
    /// Cover rows of the shifts only the class can work.
    shifts: Vec<u32>,
    /// Volunteers with a pair on one of the rows.
    members: Vec<bool>,
    /// The members' pairs as a share of all pairs: what one evaluation of
    /// the members costs against a full one.
    share: f64,
}

impl ClassRows {
    /// The rows of every class that has a quota on some unfrozen shift.
    pub(super) fn of(p: &Problem) -> Vec<ClassRows> {
        let n_classes = p.quotas().iter().map(|q| q.class + 1).max().unwrap_or(0);
        (0..n_classes)
            .map(|c| Self::of_class(p, c))
            .filter(|rows| !rows.quotas.is_empty())
            .collect()
    }

    fn of_class(p: &Problem, class: u32) -> ClassRows {
        let quotas: Vec<u32> = (0..p.quotas().len() as u32)
            .filter(|&i| {
                let q = &p.quotas()[i as usize];
                q.class == class && !p.shifts()[q.shift as usize].frozen
            })
            .collect();
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
        let members = counts;
        let member_pairs: usize = (0..p.n_volunteers())
            .filter(|&v| members[v])
            .map(|v| p.vol_pairs(v).len())
            .sum();
        ClassRows {
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

    /// L's slope along the line at `prices`, from the heads and qualifying
    /// heads of the cheapest schedules there: what the rows whose price
    /// may still rise leave unmet (negative where they are over-served).
    pub(super) fn slope(
        &self,
        p: &Problem,
        prices: &Prices,
        heads: &[u32],
        qualifying: &[u32],
    ) -> f64 {
        let w = p.weights();
        let cover: f64 = self
            .shifts
            .iter()
            .map(|&s| s as usize)
            .filter(|&s| prices.cover[s] < w.uncovered * p.shifts()[s].priority)
            .map(|s| p.shifts()[s].min as f64 - heads[s] as f64)
            .sum();
        let quota: f64 = self
            .quotas
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| prices.quota[i] < p.quotas()[i].unit_cost)
            .map(|i| p.quotas()[i].at_least as f64 - qualifying[i] as f64)
            .sum();
        cover + quota
    }

    /// The smallest and the largest step that brings a row's price to its
    /// cap: where L's first and last kink of the caps lie.
    fn room(&self, p: &Problem, base: &Prices) -> (f64, f64) {
        let w = p.weights();
        let cover = self.shifts.iter().map(|&s| {
            let s = s as usize;
            w.uncovered * p.shifts()[s].priority - base.cover[s]
        });
        let quota = self.quotas.iter().map(|&i| {
            let i = i as usize;
            p.quotas()[i].unit_cost - base.quota[i]
        });
        cover
            .chain(quota)
            .filter(|&r| r > 0.0)
            .fold((f64::INFINITY, 0.0f64), |(lo, hi), r| {
                (lo.min(r), hi.max(r))
            })
    }

    /// `base` with every row of the class raised by `t`, each at most its cap.
    fn raised(&self, p: &Problem, base: &Prices, t: f64) -> Prices {
        let w = p.weights();
        let mut prices = base.clone();
        for &s in &self.shifts {
            let s = s as usize;
            let cap = w.uncovered * p.shifts()[s].priority;
            prices.cover[s] = (base.cover[s] + t).min(cap).max(base.cover[s]);
        }
        for &i in &self.quotas {
            let i = i as usize;
            let cap = p.quotas()[i].unit_cost;
            prices.quota[i] = (base.quota[i] + t).min(cap).max(base.quota[i]);
        }
        prices
    }
}

/// The members' summed cheapest schedules at some prices, with their heads
/// and qualifying heads: [`dual::evaluate_members`] over a class.
pub(super) type EvaluateMembers<'a> =
    dyn FnMut(&Prices, &ClassRows, &mut [u32], &mut [u32]) -> f64 + 'a;

/// The line `base + t` on a class's rows. L there is the value at `base`
/// plus the change of the row values and of the members' schedules, so a
/// probe prices the members alone.
pub(super) struct ClassLine<'a, 'e> {
    p: &'a Problem,
    rows: &'a ClassRows,
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

impl<'a, 'e> ClassLine<'a, 'e> {
    pub(super) fn new(
        p: &'a Problem,
        rows: &'a ClassRows,
        (base, base_value): (&'a Prices, f64),
        eval: &'a mut EvaluateMembers<'e>,
        (heads, qualifying): (&'a mut [u32], &'a mut [u32]),
    ) -> Self {
        let (first, top) = rows.room(p, base);
        ClassLine {
            p,
            rows,
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
        self.rows.raised(self.p, self.base, t)
    }
}

impl super::Line for ClassLine<'_, '_> {
    fn top(&self) -> f64 {
        self.top
    }

    /// The first cap a row reaches: the quotas' caps are a tenth of the
    /// cover rows' where both weights keep their defaults, and on city the
    /// top of the first-aid line lies right there (t = 100).
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
            self.rows
                .slope(self.p, &prices, self.heads, self.qualifying)
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
    use super::super::{dual, Line, Pricing};
    use super::*;
    use crate::generate::{generate, GeneratorConfig};

    /// A probe prices the class's members alone, yet its value is L at the
    /// line's prices: the same as a full evaluation there.
    #[test]
    fn a_probe_equals_a_full_evaluation_at_its_prices() {
        let sc = generate(&GeneratorConfig::preset("small").expect("preset"));
        let p = Problem::compile(&sc).expect("compiles");
        let pricing = Pricing::new(&p);
        let mut workers = dual::workers(&p);
        let classes = ClassRows::of(&p);
        assert!(
            classes.iter().any(|c| !c.shifts.is_empty()),
            "no class with cover rows"
        );
        let (mut heads, mut qualifying) = (vec![0u32; p.n_shifts()], vec![0u32; p.quotas().len()]);
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
        for rows in &classes {
            assert!(rows.share() > 0.0 && rows.share() < 1.0);
            let mut eval = |pr: &Prices, r: &ClassRows, h: &mut [u32], q: &mut [u32]| {
                dual::evaluate_members(&p, &pricing, pr, &mut workers, r.members(), (h, q))
            };
            let (mut h, mut q) = (vec![0u32; p.n_shifts()], vec![0u32; p.quotas().len()]);
            let mut line =
                ClassLine::new(&p, rows, (&base, base_value), &mut eval, (&mut h, &mut q));
            for t in [0.0, 3.0, 40.0, 150.0, 900.0] {
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
                    "t {t}: probe {} full {want}",
                    got.value
                );
                let slope = if t >= line.top() {
                    0.0
                } else {
                    rows.slope(&p, &prices, &heads, &qualifying)
                };
                assert_eq!(got.slope, slope, "t {t}");
            }
        }
    }
}
