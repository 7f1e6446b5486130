//! Prices and the Lagrangian value at given prices.
//!
//! The shift-level rows are relaxed with non-negative prices: `cover[s]`
//! on `assigned_s + uncovered_s ≥ min_s`, `headcount[s]` on
//! `assigned_s ≤ max_s`, `quota[q]` on `qualifying_q + short_q ≥ at_least_q`.
//! With `uncovered_s ∈ [0, min_s]` and `short_q ∈ [0, at_least_q]` (the
//! roster's own values always are), the value at any prices is
//!
//! `L = constant + Σ_s cover_s·min_s − Σ_s headcount_s·max_s + Σ_q quota_q·at_least_q
//!      + Σ_s min(0, U_s − cover_s)·min_s + Σ_q min(0, Q_q − quota_q)·at_least_q
//!      + Σ_v cheapest schedule of v`,
//!
//! where a pair costs its static cost − cover + headcount − the quotas it
//! counts for, `U_s = uncovered × priority`, `Q_q = quota_shortfall ×
//! priority`. Every roster's total is at least L (weak duality; the term
//! this sum leaves out, `group_split`, is non-negative, and
//! [`super::split`] adds a lower bound on what groups pay), so L is a
//! lower bound whatever the prices, computed by our own code alone.

use super::pricing::{Pricing, Scratch};
use crate::problem::Problem;
use rayon::prelude::*;

/// Prices of the relaxed rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Prices {
    /// Per shift: value of one more head towards `min` (0 ..= `U_s`).
    pub cover: Vec<f64>,
    /// Per shift: cost of one head above `max` (≥ 0; 0 on frozen shifts,
    /// which rule 3 exempts).
    pub headcount: Vec<f64>,
    /// Per quota: value of one more qualifying head (0 ..= `Q_q`).
    pub quota: Vec<f64>,
}

impl Prices {
    /// All prices zero.
    pub fn zero(p: &Problem) -> Self {
        Prices {
            cover: vec![0.0; p.n_shifts()],
            headcount: vec![0.0; p.n_shifts()],
            quota: vec![0.0; p.quotas().len()],
        }
    }

    /// Prices from a value per head of each shift and per qualifying head
    /// of each quota, such as the node potentials of a flow relaxation: a
    /// positive value is a cover (or quota) price, capped at what the
    /// shortfall costs; a negative shift value is a headcount price (none on
    /// frozen shifts). Any prices give a valid bound; these are a start.
    pub fn from_values(p: &Problem, shift_value: &[f64], quota_value: &[f64]) -> Self {
        let w = p.weights();
        let mut prices = Prices::zero(p);
        for (s, sh) in p.shifts().iter().enumerate() {
            let y = finite_or_zero(shift_value.get(s));
            prices.cover[s] = y.clamp(0.0, w.uncovered * sh.priority);
            if !sh.frozen {
                prices.headcount[s] = (-y).max(0.0);
            }
        }
        for (i, q) in p.quotas().iter().enumerate() {
            let y = finite_or_zero(quota_value.get(i));
            prices.quota[i] = y.clamp(0.0, q.unit_cost);
        }
        prices
    }

    /// Static cost of pair `q` less what the prices pay for it.
    #[inline]
    pub fn reduced_cost(&self, p: &Problem, q: usize) -> f64 {
        let s = p.pair_shift()[q] as usize;
        let mut c = p.pair_cost()[q] - self.cover[s] + self.headcount[s];
        let mut mask = p.pair_quota_mask()[q];
        let first = p.shifts()[s].quota_start as usize;
        while mask != 0 {
            let bit = mask.trailing_zeros() as usize;
            c -= self.quota[first + bit];
            mask &= mask - 1;
        }
        c
    }

    /// The part of L that does not depend on schedules (see the module doc).
    pub fn row_value(&self, p: &Problem) -> f64 {
        let w = p.weights();
        let mut total = p.constant_cost();
        for (s, sh) in p.shifts().iter().enumerate() {
            let cap = w.uncovered * sh.priority;
            let min = sh.min as f64;
            total += self.cover[s] * min - self.headcount[s] * sh.max as f64;
            total += (cap - self.cover[s]).min(0.0) * min;
        }
        for (i, q) in p.quotas().iter().enumerate() {
            let need = q.at_least as f64;
            total += self.quota[i] * need + (q.unit_cost - self.quota[i]).min(0.0) * need;
        }
        total
    }
}

fn finite_or_zero(x: Option<&f64>) -> f64 {
    x.copied().filter(|y| y.is_finite()).unwrap_or(0.0)
}

/// One worker's share of the volunteers with its buffers (kept across
/// evaluations, so an evaluation allocates nothing once they have grown).
pub struct Worker {
    volunteers: std::ops::Range<usize>,
    scratch: Scratch,
    chosen: Vec<u32>,
    /// Heads per shift in this share's cheapest schedules.
    heads: Vec<u32>,
    /// Qualifying heads per quota.
    qualifying: Vec<u32>,
    value: f64,
}

/// Fixed number of shares: the split (and so the summation order) does not
/// depend on the thread count. Each share keeps its own DP buffers, so more
/// shares cost memory (a share's buffers reach pairs × longest schedule of
/// its largest volunteer: about 5 MB on the SMPTSP instances).
const SHARES: usize = 16;

/// Splits the volunteers into [`SHARES`] runs of about equal pair counts.
pub fn workers(p: &Problem) -> Vec<Worker> {
    let n = p.n_volunteers();
    let per = (p.n_pairs() / SHARES).max(1);
    let mut out = Vec::new();
    let mut from = 0;
    while from < n {
        let mut to = from + 1;
        while to < n && p.vol_pairs(to).start - p.vol_pairs(from).start < per {
            to += 1;
        }
        out.push(Worker {
            volunteers: from..to,
            scratch: Scratch::default(),
            chosen: Vec::new(),
            heads: vec![0; p.n_shifts()],
            qualifying: vec![0; p.quotas().len()],
            value: 0.0,
        });
        from = to;
    }
    out
}

/// L at `prices`, with the heads and qualifying heads of the cheapest
/// schedules (the subgradient) summed into `heads` and `qualifying`.
/// `visit(v, pairs)` sees every volunteer's cheapest schedule.
pub fn evaluate(
    p: &Problem,
    pricing: &Pricing,
    prices: &Prices,
    workers: &mut [Worker],
    heads: &mut [u32],
    qualifying: &mut [u32],
    visit: &(dyn Fn(usize, &[u32]) + Sync),
) -> f64 {
    let schedules = cheapest_schedules(
        p,
        pricing,
        prices,
        workers,
        (heads, qualifying),
        &|_| true,
        visit,
    );
    prices.row_value(p) + schedules
}

/// The summed cheapest schedule values of the volunteers `v` with
/// `members[v]` only, with their heads and qualifying heads in `heads` and
/// `qualifying` (the rows no member can work get none). When prices change
/// only on rows that no one outside `members` can work, L changes by the
/// change of [`Prices::row_value`] and of this sum alone.
pub fn evaluate_members(
    p: &Problem,
    pricing: &Pricing,
    prices: &Prices,
    workers: &mut [Worker],
    members: &[bool],
    (heads, qualifying): (&mut [u32], &mut [u32]),
) -> f64 {
    cheapest_schedules(
        p,
        pricing,
        prices,
        workers,
        (heads, qualifying),
        &|v| members[v],
        &|_, _| {},
    )
}

/// Σ of the cheapest schedule values of the volunteers `include` accepts,
/// their heads and qualifying heads summed into the two slices.
fn cheapest_schedules(
    p: &Problem,
    pricing: &Pricing,
    prices: &Prices,
    workers: &mut [Worker],
    (heads, qualifying): (&mut [u32], &mut [u32]),
    include: &(dyn Fn(usize) -> bool + Sync),
    visit: &(dyn Fn(usize, &[u32]) + Sync),
) -> f64 {
    let rc = |q: usize| prices.reduced_cost(p, q);
    workers.par_iter_mut().for_each(|w| {
        w.heads.iter_mut().for_each(|h| *h = 0);
        w.qualifying.iter_mut().for_each(|h| *h = 0);
        w.value = 0.0;
        for v in w.volunteers.clone().filter(|&v| include(v)) {
            let got = pricing.cheapest(p, v, &rc, &mut w.scratch, &mut w.chosen);
            let value = if got.value.is_finite() {
                got.value
            } else {
                w.chosen.clear();
                rule_free_value(p, pricing, v, &rc)
            };
            w.value += value;
            for &q in &w.chosen {
                let s = p.pair_shift()[q as usize] as usize;
                w.heads[s] += 1;
                let mut mask = p.pair_quota_mask()[q as usize];
                let first = p.shifts()[s].quota_start as usize;
                while mask != 0 {
                    w.qualifying[first + mask.trailing_zeros() as usize] += 1;
                    mask &= mask - 1;
                }
            }
            visit(v, &w.chosen);
        }
    });
    heads.iter_mut().for_each(|h| *h = 0);
    qualifying.iter_mut().for_each(|h| *h = 0);
    let mut total = 0.0;
    for w in workers.iter() {
        total += w.value;
        for (h, x) in heads.iter_mut().zip(&w.heads) {
            *h += x;
        }
        for (h, x) in qualifying.iter_mut().zip(&w.qualifying) {
            *h += x;
        }
    }
    total
}

/// A lower bound on volunteer `v`'s priced schedule cost ignoring rules
/// 4–7: pins, every other pair with a negative price, the cheapest count
/// cost. Used only when the DP finds no schedule at all (pins that break
/// the rules, which validation rejects), so the bound stays finite.
fn rule_free_value(p: &Problem, pricing: &Pricing, v: usize, rc: &dyn Fn(usize) -> f64) -> f64 {
    let mut total = 0.0;
    for q in p.vol_pairs(v) {
        let c = rc(q);
        total += if pricing.is_forced(q) { c } else { c.min(0.0) };
    }
    let n = p.vol_pairs(v).len();
    let cheapest_count = (0..=n)
        .map(|k| super::pricing::count_cost(p, v, k))
        .fold(f64::INFINITY, f64::min);
    total + cheapest_count
}
