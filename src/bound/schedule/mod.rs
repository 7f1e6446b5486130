//! The schedule-level relaxation: columns are volunteer schedules, the
//! shift-level rows (cover, headcount, quotas) are priced, and what remains
//! splits into one exact DP per volunteer ([`pricing`]). At any prices the
//! Lagrangian value is a proven lower bound ([`dual`]); the ascent below
//! only searches for good prices.
//!
//! The search for prices: a line search for one cover price shared by all
//! shifts, then the volume algorithm ([`ascent`]) with Polyak steps towards
//! a target (an upper bound such as the constructed roster's total). It
//! runs a fixed number of evaluations, so for a given problem and target
//! the prices are deterministic; only a deadline or a cancel can cut it
//! short (the result says so).

mod ascent;
pub mod dual;
pub mod pricing;

use ascent::Ascent;

use crate::problem::Problem;
pub use dual::Prices;
pub use pricing::Pricing;

/// Options of [`schedule_bound`].
#[derive(Clone)]
pub struct ScheduleOptions {
    /// Evaluations of L (each prices every volunteer once).
    pub evaluations: usize,
    /// An upper bound on the optimum (e.g. a roster's total): the Polyak
    /// target. `None` aims a few percent above the best value so far.
    pub upper: Option<f64>,
    /// Poll for a stop (deadline or cancel) between evaluations.
    pub stop: Option<std::sync::Arc<dyn Fn() -> bool + Send + Sync>>,
    /// Prices to start from besides the line search's (for example the
    /// node potentials of the flow relaxation); the ascent starts from the
    /// better of the two.
    pub start: Option<Prices>,
}

impl Default for ScheduleOptions {
    fn default() -> Self {
        ScheduleOptions {
            evaluations: 300,
            upper: None,
            stop: None,
            start: None,
        }
    }
}

/// The outcome: the best value found, the prices that gave it, and how the
/// ascent went.
pub struct ScheduleBound {
    /// Proven lower bound (shaved by a relative 1e-7 against rounding).
    pub bound: f64,
    /// The prices (duals) that gave the bound.
    pub prices: Prices,
    /// Evaluations of the dual function made.
    pub evaluations: usize,
    /// The ascent ran its whole budget (not cut by a stop).
    pub complete: bool,
    /// `(evaluations, seconds, value)` each time the best value improved by
    /// more than 0.1 %: the bound against effort.
    pub trace: Vec<(usize, f64, f64)>,
    /// The per-volunteer DP data, for [`priced_schedules`] at these prices
    /// without building it again.
    pub pricing: Pricing,
}

/// Relative tolerance subtracted from the value against rounding.
const REL_TOL: f64 = 1e-7;

/// Starting step scale of the ascent.
const START_SCALE: f64 = 0.1;

/// Computes the schedule-level bound of `p`: the best single cover price
/// first ([`uniform_cover_price`]), then the volume algorithm from there,
/// within `opts.evaluations` evaluations in all.
pub fn schedule_bound(p: &Problem, opts: &ScheduleOptions) -> ScheduleBound {
    let started = std::time::Instant::now();
    let pricing = Pricing::new(p);
    let mut workers = dual::workers(p);
    let mut heads = vec![0u32; p.n_shifts()];
    let mut qualifying = vec![0u32; p.quotas().len()];
    let mut trace: Vec<(usize, f64, f64)> = Vec::new();
    let mut done = 0usize;
    let mut best = f64::NEG_INFINITY;
    let stopped = || opts.stop.as_ref().is_some_and(|s| s());
    let ignore = |_: usize, _: &[u32]| {};
    let mut eval = |prices: &Prices, heads: &mut [u32], qualifying: &mut [u32]| {
        let value = dual::evaluate(
            p,
            &pricing,
            prices,
            &mut workers,
            heads,
            qualifying,
            &ignore,
        );
        done += 1;
        let gain = if best.is_finite() {
            value - best
        } else {
            f64::INFINITY
        };
        if gain > 1e-3 * best.abs().max(1.0) {
            trace.push((done, started.elapsed().as_secs_f64(), value));
        }
        best = best.max(value);
        value
    };
    let budget = opts.evaluations.max(1);
    let uniform_budget = UNIFORM_STEPS.min(budget);
    let (mut start, mut start_value) = uniform_cover_price(
        p,
        &mut eval,
        &mut heads,
        &mut qualifying,
        uniform_budget,
        &stopped,
    );
    if let Some(warm) = opts.start.as_ref().filter(|_| !stopped()) {
        let value = eval(warm, &mut heads, &mut qualifying);
        if value > start_value {
            (start, start_value) = (warm.clone(), value);
        }
    }
    let first = uniform_budget + usize::from(opts.start.is_some());
    let (mut value, mut prices, complete) = volume_ascent(
        p,
        &mut eval,
        (&mut heads, &mut qualifying),
        start.clone(),
        budget.saturating_sub(first),
        opts.upper,
        &stopped,
    );
    if start_value >= value {
        (value, prices) = (start_value, start);
    }
    ScheduleBound {
        bound: value - REL_TOL * value.abs().max(1.0),
        prices,
        evaluations: done,
        complete: complete && !stopped(),
        trace,
        pricing,
    }
}

/// The volume algorithm from `start` for `iterations` evaluations, aiming
/// at `upper` (or a few percent above the best value so far). Returns the
/// best value, its prices, and whether no stop cut it short.
fn volume_ascent(
    p: &Problem,
    eval: &mut Evaluate,
    (heads, qualifying): (&mut [u32], &mut [u32]),
    start: Prices,
    iterations: usize,
    upper: Option<f64>,
    stopped: &dyn Fn() -> bool,
) -> (f64, Prices, bool) {
    let mut ascent = Ascent::new(start, START_SCALE);
    let mut complete = true;
    for _ in 0..iterations {
        if stopped() {
            complete = false;
            break;
        }
        let value = eval(ascent.trial(), heads, qualifying);
        ascent.observe(value, heads, qualifying);
        let centre = ascent.best().0;
        let target = upper
            .filter(|&u| u > centre)
            .unwrap_or(centre + 0.05 * centre.abs().max(1.0));
        if !ascent.next_trial(p, target) {
            break;
        }
    }
    let (value, prices) = ascent.into_best();
    (value, prices, complete)
}

/// L at given prices, writing the heads and qualifying heads.
type Evaluate<'a> = dyn FnMut(&Prices, &mut [u32], &mut [u32]) -> f64 + 'a;

/// Evaluations of the line search for one cover price shared by every shift.
const UNIFORM_STEPS: usize = 14;

/// The best single cover price `θ` for every shift (capped at each shift's
/// `uncovered × priority`), with the other prices zero: L along that line is
/// concave, so bisection on the sign of its slope (min demand not covered
/// by the cheapest schedules) finds the top. A much better start than zero
/// prices when volunteers must work beyond their commitments to cover the
/// demand. Returns the prices and the evaluations used.
fn uniform_cover_price(
    p: &Problem,
    eval: &mut Evaluate,
    heads: &mut [u32],
    qualifying: &mut [u32],
    steps: usize,
    stopped: &dyn Fn() -> bool,
) -> (Prices, f64) {
    let w = p.weights();
    let top = p
        .shifts()
        .iter()
        .map(|sh| w.uncovered * sh.priority)
        .fold(0.0f64, f64::max);
    let at = |theta: f64| {
        let mut prices = Prices::zero(p);
        for (s, sh) in p.shifts().iter().enumerate() {
            prices.cover[s] = theta.min(w.uncovered * sh.priority);
        }
        prices
    };
    let (mut lo, mut hi) = (0.0f64, top);
    let mut best = (f64::NEG_INFINITY, 0.0);
    for step in 0..steps {
        if hi - lo <= 1e-3 || (step > 0 && stopped()) {
            break;
        }
        // Zero first: the search never ends below the value there.
        let mid = if step == 0 { 0.0 } else { 0.5 * (lo + hi) };
        let prices = at(mid);
        let value = eval(&prices, heads, qualifying);
        if value > best.0 {
            best = (value, mid);
        }
        let slope: f64 = p
            .shifts()
            .iter()
            .enumerate()
            .filter(|(_, sh)| mid < w.uncovered * sh.priority)
            .map(|(s, sh)| sh.min as f64 - heads[s] as f64)
            .sum();
        if slope > 0.0 {
            lo = mid;
        } else if step == 0 {
            break;
        } else {
            hi = mid;
        }
    }
    (at(best.1), best.0)
}

/// Each volunteer's cheapest schedule at `prices` (global pair positions),
/// and the value L there.
pub fn priced_schedules(p: &Problem, pricing: &Pricing, prices: &Prices) -> (Vec<Vec<u32>>, f64) {
    let mut workers = dual::workers(p);
    let mut heads = vec![0u32; p.n_shifts()];
    let mut qualifying = vec![0u32; p.quotas().len()];
    let out: Vec<std::sync::Mutex<Vec<u32>>> = (0..p.n_volunteers())
        .map(|_| std::sync::Mutex::new(Vec::new()))
        .collect();
    let visit = |v: usize, pairs: &[u32]| {
        if let Ok(mut slot) = out[v].lock() {
            slot.extend_from_slice(pairs);
        }
    };
    let value = dual::evaluate(
        p,
        pricing,
        prices,
        &mut workers,
        &mut heads,
        &mut qualifying,
        &visit,
    );
    let schedules = out
        .into_iter()
        .map(|m| m.into_inner().unwrap_or_default())
        .collect();
    (schedules, value)
}
