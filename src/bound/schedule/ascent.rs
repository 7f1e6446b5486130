//! The dual method: the volume algorithm (Barahona–Anbil), a subgradient
//! method that moves a stability centre (the best prices so far) along the
//! violation of a running average of the cheapest schedules, rather than
//! of the latest ones. Averaging matters here: many volunteers have several
//! equally cheap schedules (the same venue and role on different days), so
//! the latest argmin is one arbitrary tie-break and its subgradient is a
//! poor direction; the average approximates a fractional primal solution.

use super::dual::Prices;
use crate::problem::Problem;

/// Weight of the newest schedules in the running average.
const AVERAGE: f64 = 0.1;
/// Step scale growth after an improving trial, and shrink after a failed one.
const GROW: f64 = 1.1;
const SHRINK: f64 = 0.8;
/// Largest step scale.
const MAX_SCALE: f64 = 2.0;

/// The volume algorithm's state.
pub struct Ascent {
    centre: Prices,
    centre_value: f64,
    trial: Prices,
    avg_heads: Vec<f64>,
    avg_qualifying: Vec<f64>,
    scale: f64,
}

impl Ascent {
    /// Starts at `start` (its value unknown yet) with step scale `scale`.
    pub fn new(start: Prices, scale: f64) -> Self {
        Ascent {
            centre: start.clone(),
            centre_value: f64::NEG_INFINITY,
            trial: start,
            avg_heads: Vec::new(),
            avg_qualifying: Vec::new(),
            scale,
        }
    }

    /// The prices to evaluate next.
    pub fn trial(&self) -> &Prices {
        &self.trial
    }

    /// The best value so far and its prices.
    pub fn best(&self) -> (f64, &Prices) {
        (self.centre_value, &self.centre)
    }

    pub fn into_best(self) -> (f64, Prices) {
        (self.centre_value, self.centre)
    }

    /// Takes in the value and the heads of the cheapest schedules at the
    /// trial prices: moves the centre when the value improved, updates the
    /// averages and the step scale. Returns whether the centre moved.
    pub fn observe(&mut self, value: f64, heads: &[u32], qualifying: &[u32]) -> bool {
        let first = self.avg_heads.is_empty();
        if first {
            self.avg_heads = vec![0.0; heads.len()];
            self.avg_qualifying = vec![0.0; qualifying.len()];
        }
        let a = if first { 1.0 } else { AVERAGE };
        blend(&mut self.avg_heads, heads, a);
        blend(&mut self.avg_qualifying, qualifying, a);
        let moved = value > self.centre_value;
        if moved {
            self.centre.clone_from(&self.trial);
            self.centre_value = value;
            self.scale = (self.scale * GROW).min(MAX_SCALE);
        } else {
            self.scale *= SHRINK;
        }
        moved
    }

    /// Next trial prices: the centre moved along the averaged violation (of
    /// the rows whose price may move that way) by a Polyak step towards
    /// `target`. False when nothing is violated (the prices are optimal).
    pub fn next_trial(&mut self, p: &Problem, target: f64) -> bool {
        let norm: f64 = (0..p.n_shifts())
            .map(|s| self.dir_cover(p, s).powi(2) + self.dir_headcount(p, s).powi(2))
            .sum::<f64>()
            + (0..p.quotas().len())
                .map(|i| self.dir_quota(p, i).powi(2))
                .sum::<f64>();
        if norm <= 1e-12 {
            return false;
        }
        let t = self.scale * (target - self.centre_value).max(0.0) / norm;
        let w = p.weights();
        for (s, sh) in p.shifts().iter().enumerate() {
            let cap = w.uncovered * sh.priority;
            self.trial.cover[s] = (self.centre.cover[s] + t * self.dir_cover(p, s)).clamp(0.0, cap);
            self.trial.headcount[s] =
                (self.centre.headcount[s] + t * self.dir_headcount(p, s)).max(0.0);
        }
        for (i, q) in p.quotas().iter().enumerate() {
            self.trial.quota[i] =
                (self.centre.quota[i] + t * self.dir_quota(p, i)).clamp(0.0, q.unit_cost);
        }
        true
    }

    /// Averaged violation of shift `s`'s cover row, 0 when its price sits
    /// at the bound the violation pushes against.
    fn dir_cover(&self, p: &Problem, s: usize) -> f64 {
        let sh = &p.shifts()[s];
        let g = sh.min as f64 - self.avg_heads[s];
        let cap = p.weights().uncovered * sh.priority;
        let price = self.centre.cover[s];
        if g < 0.0 && price <= 0.0 || g > 0.0 && price >= cap {
            0.0
        } else {
            g
        }
    }

    /// Averaged violation of shift `s`'s headcount row (none on frozen
    /// shifts: rule 3 exempts them).
    fn dir_headcount(&self, p: &Problem, s: usize) -> f64 {
        let sh = &p.shifts()[s];
        let g = self.avg_heads[s] - sh.max as f64;
        if sh.frozen || g < 0.0 && self.centre.headcount[s] <= 0.0 {
            0.0
        } else {
            g
        }
    }

    /// Averaged violation of quota `i`'s row.
    fn dir_quota(&self, p: &Problem, i: usize) -> f64 {
        let q = &p.quotas()[i];
        let g = q.at_least as f64 - self.avg_qualifying[i];
        let price = self.centre.quota[i];
        if g < 0.0 && price <= 0.0 || g > 0.0 && price >= q.unit_cost {
            0.0
        } else {
            g
        }
    }
}

/// `avg = a·x + (1 − a)·avg`.
fn blend(avg: &mut [f64], x: &[u32], a: f64) {
    for (m, &h) in avg.iter_mut().zip(x) {
        *m = a * h as f64 + (1.0 - a) * *m;
    }
}
