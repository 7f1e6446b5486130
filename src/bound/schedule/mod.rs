//! The schedule-level relaxation: columns are volunteer schedules, the
//! shift-level rows (cover, headcount, quotas) are priced, and what remains
//! splits into one exact DP per volunteer ([`pricing`]). At any prices the
//! Lagrangian value is a proven lower bound ([`dual`]); the ascent below
//! only searches for good prices.
//!
//! The search for prices: a line search for one cover price shared by all
//! shifts, then a line search per class of volunteers who count for a
//! kind of quota and rounds of one per venue ([`groups`]), then the volume
//! algorithm ([`ascent`]) with
//! Polyak steps towards a target (an upper bound such as the constructed
//! roster's total). It
//! runs a fixed number of evaluations, so for a given problem and target
//! the prices are deterministic; only a deadline or a cancel can cut it
//! short (the result says so).

mod ascent;
pub mod dual;
mod groups;
pub mod pricing;
mod split;

use ascent::Ascent;
use groups::{Direction, FirstStep, GroupLine, RowGroup};

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
    /// Poll for a stop (a cancel) between evaluations.
    pub stop: Option<std::sync::Arc<dyn Fn() -> bool + Send + Sync>>,
    /// When the bound must be done. After its lines, the price search
    /// stops early enough for the groups' part ([`split`]) to fit, at the
    /// slowest evaluation's pace so far.
    pub deadline: Option<std::time::Instant>,
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
            deadline: None,
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
    /// The part of `bound` that keeping groups together adds
    /// ([`split`]): a lower bound on the `group_split` and the restrictions
    /// to fewer venues that any roster pays beyond the plain relaxation.
    pub group_split: f64,
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
/// first ([`uniform_cover_price`]), then a line per scarce qualification
/// ([`class_lines`]) and rounds of a line per venue ([`venue_rounds`]),
/// then the volume algorithm from there, within `opts.evaluations`
/// evaluations in all (the group lines' partial evaluations count by their
/// share of the pairs). The cover line leaves room for the class lines
/// ([`class_reserve`]): where the budget is a few evaluations (city, 3 s
/// each), they are worth far more than the cover line's last probes.
pub fn schedule_bound(p: &Problem, opts: &ScheduleOptions) -> ScheduleBound {
    let pricing = Pricing::new(p);
    let mut ev = Evaluator::new(p, &pricing);
    let pace = ev.pace.clone();
    let (mut heads, mut qualifying) = head_counts(p);
    let split = split::GroupSplitPlan::new(p);
    // Every poll comes just before work it would skip, so a poll that
    // says stop means the bound was cut short.
    let cut = std::cell::Cell::new(false);
    let stop_for = |reserve: f64| {
        let late = opts.deadline.is_some_and(|d| {
            std::time::Instant::now() + std::time::Duration::from_secs_f64(reserve) >= d
        });
        let stop = late || opts.stop.as_ref().is_some_and(|s| s());
        cut.set(cut.get() || stop);
        stop
    };
    // The lines come first (on city the class line is worth 3.4 M, the
    // groups 0.2 M); the rounds and the ascent after them leave the
    // groups' part its time.
    let stopped_now = || stop_for(0.0);
    let stopped = || stop_for(split.work() * pace.get());
    let budget = opts.evaluations.max(1);
    let classes = RowGroup::classes(p);
    let uniform_budget = UNIFORM_STEPS.min(budget.saturating_sub(class_reserve(&classes)).max(1));
    let (mut start, mut start_value, line_evaluations) = uniform_cover_price(
        p,
        &mut |prices: &Prices, h: &mut [u32], q: &mut [u32]| ev.all(prices, h, q),
        &mut heads,
        &mut qualifying,
        uniform_budget,
        &stopped_now,
    );
    if let Some(warm) = opts.start.as_ref().filter(|_| !stopped_now()) {
        let value = ev.all(warm, &mut heads, &mut qualifying);
        if value > start_value {
            (start, start_value) = (warm.clone(), value);
        }
    }
    let class_work;
    (start, start_value, class_work) =
        class_lines(p, &mut ev, &classes, (start, start_value), &stopped_now);
    let first = line_evaluations + usize::from(opts.start.is_some()) + class_work.ceil() as usize;
    let left = budget.saturating_sub(first);
    let venue_work;
    (start, start_value, venue_work) =
        venue_rounds(p, &mut ev, (start, start_value), left as f64, &stopped);
    let (mut value, mut prices, complete) = volume_ascent(
        p,
        &mut |prices: &Prices, h: &mut [u32], q: &mut [u32]| ev.all(prices, h, q),
        (&mut heads, &mut qualifying),
        start.clone(),
        left.saturating_sub(venue_work.ceil() as usize),
        opts.upper,
        &stopped,
    );
    if start_value >= value {
        (value, prices) = (start_value, start);
    }
    let group_split = if split.work() == 0.0 || stopped_now() {
        0.0
    } else {
        ev.member_work += split.work();
        split.bound(p, &pricing, &prices)
    };
    value += group_split;
    ev.note(value);
    ScheduleBound {
        bound: value - REL_TOL * value.abs().max(1.0),
        prices,
        evaluations: ev.evaluations(),
        complete: complete && !cut.get(),
        group_split,
        trace: ev.trace,
        pricing,
    }
}

/// The evaluations of L and their bookkeeping: how many, the bound
/// against effort, and the heads of the cheapest schedules at the best
/// value so far.
struct Evaluator<'a> {
    p: &'a Problem,
    pricing: &'a Pricing,
    workers: Vec<dual::Worker>,
    started: std::time::Instant,
    /// Full evaluations made.
    done: usize,
    /// Evaluations of a class's members, each counted by its share of the pairs.
    member_work: f64,
    best: f64,
    best_heads: Vec<u32>,
    best_qualifying: Vec<u32>,
    trace: Vec<(usize, f64, f64)>,
    /// Seconds of the slowest full evaluation so far.
    pace: std::rc::Rc<std::cell::Cell<f64>>,
}

impl<'a> Evaluator<'a> {
    fn new(p: &'a Problem, pricing: &'a Pricing) -> Self {
        Evaluator {
            p,
            pricing,
            workers: dual::workers(p),
            started: std::time::Instant::now(),
            done: 0,
            member_work: 0.0,
            best: f64::NEG_INFINITY,
            best_heads: vec![0; p.n_shifts()],
            best_qualifying: vec![0; p.quotas().len()],
            trace: Vec::new(),
            pace: Default::default(),
        }
    }

    /// L at `prices`, with the heads and qualifying heads of the cheapest
    /// schedules there.
    fn all(&mut self, prices: &Prices, heads: &mut [u32], qualifying: &mut [u32]) -> f64 {
        let (p, pricing) = (self.p, self.pricing);
        let ignore = |_: usize, _: &[u32]| {};
        let t0 = std::time::Instant::now();
        let value = dual::evaluate(
            p,
            pricing,
            prices,
            &mut self.workers,
            heads,
            qualifying,
            &ignore,
        );
        self.done += 1;
        self.pace
            .set(self.pace.get().max(t0.elapsed().as_secs_f64()));
        if value > self.best {
            self.best_heads.copy_from_slice(heads);
            self.best_qualifying.copy_from_slice(qualifying);
        }
        self.note(value);
        value
    }

    /// The summed cheapest schedules of `rows`' members at `prices`
    /// ([`dual::evaluate_members`]).
    fn members(
        &mut self,
        prices: &Prices,
        rows: &RowGroup,
        heads: &mut [u32],
        qualifying: &mut [u32],
    ) -> f64 {
        self.member_work += rows.share();
        let members = rows.members();
        dual::evaluate_members(
            self.p,
            self.pricing,
            prices,
            &mut self.workers,
            members,
            (heads, qualifying),
        )
    }

    /// Takes in a value of L reached: the best so far, and the trace when
    /// it improves on it by more than 0.1 %.
    fn note(&mut self, value: f64) {
        let gain = if self.best.is_finite() {
            value - self.best
        } else {
            f64::INFINITY
        };
        if gain > 1e-3 * self.best.abs().max(1.0) {
            let at = (
                self.evaluations(),
                self.started.elapsed().as_secs_f64(),
                value,
            );
            self.trace.push(at);
        }
        self.best = self.best.max(value);
    }

    /// Evaluations made, a class's partial ones by their share (rounded up).
    fn evaluations(&self) -> usize {
        self.done + self.member_work.ceil() as usize
    }
}

/// Work the classes' lines may use in all, in full evaluations (apart
/// from the budget).
const CLASS_WORK: f64 = 2.0;

/// Probes one group's line may make.
const GROUP_STEPS: usize = 10;

/// Work one class's line may use, in full evaluations: a line needs at
/// least 3 probes, so a class with more than a third of the pairs gets
/// none (on city English ≥ 3, whose line found nothing for 7 s). Venue
/// lines have no such cap: their rounds spend the budget's evaluations.
const CLASS_LINE_WORK: f64 = 1.0;

/// A line per class of volunteers who count for a kind of quota
/// ([`RowGroup::classes`]), from `start`, within [`CLASS_WORK`]; the heads
/// of the best full evaluation so far (at `start`) order them. Returns the
/// best prices, L there and the work used.
fn class_lines(
    p: &Problem,
    ev: &mut Evaluator,
    classes: &[RowGroup],
    (start, value): (Prices, f64),
    stopped: &dyn Fn() -> bool,
) -> (Prices, f64, f64) {
    let heads = (ev.best_heads.clone(), ev.best_qualifying.clone());
    let lines = GroupLines {
        groups: classes,
        first: FirstStep::FirstEnd,
        line_work: CLASS_LINE_WORK,
        heads: (&heads.0, &heads.1),
    };
    lines.search(p, ev, (start, value), CLASS_WORK, stopped)
}

/// The evaluations the cover line leaves for the class lines: their
/// members' shares in all, at most [`CLASS_WORK`], rounded up. On city
/// (5 evaluations of 3 s, about 1.1 of member shares) the cover line then
/// stops after 3 evaluations (8,416,474 against 8,430,846 after 5), and the
/// first-aid line fits in the time the bound has at 300 s.
fn class_reserve(classes: &[RowGroup]) -> usize {
    let shares: f64 = classes.iter().map(RowGroup::share).sum();
    shares.min(CLASS_WORK).ceil() as usize
}

/// Rounds of a line per venue ([`RowGroup::venues`]) from `start`, each
/// round after a full evaluation there (for the heads that order the
/// venues), while a round gains more than [`LINE_TOLERANCE`] and `work`
/// full evaluations last. Returns the best prices, L there and the work
/// used.
fn venue_rounds(
    p: &Problem,
    ev: &mut Evaluator,
    (mut start, mut value): (Prices, f64),
    work: f64,
    stopped: &dyn Fn() -> bool,
) -> (Prices, f64, f64) {
    // Each round starts from a full evaluation, whose value replaces the
    // one the member probes summed (equal but for rounding). The venues'
    // member sets are built only when a round can run (city has no room
    // for one, and 300 of them take 60 MB).
    if work < 2.0 {
        return (start, value, 0.0);
    }
    let venues = RowGroup::venues(p);
    let (mut heads, mut qualifying) = head_counts(p);
    let mut used = 0.0;
    while used + 2.0 <= work && venues.len() > 1 && !stopped() {
        let at_start = ev.all(&start, &mut heads, &mut qualifying);
        used += 1.0;
        let lines = GroupLines {
            groups: &venues,
            first: FirstStep::QuarterOfPrice,
            line_work: f64::INFINITY,
            heads: (&heads, &qualifying),
        };
        let (next, next_value, spent) =
            lines.search(p, ev, (start, at_start), work - used, stopped);
        used += spent;
        let gained = next_value - at_start;
        (start, value) = (next, next_value);
        if gained <= LINE_TOLERANCE * at_start.abs() {
            break;
        }
    }
    (start, value, used)
}

/// Lines over some groups of rows, ordered by the heads at their start.
struct GroupLines<'a> {
    groups: &'a [RowGroup],
    first: FirstStep,
    /// Most work one group's line may use, in full evaluations.
    line_work: f64,
    /// Heads and qualifying heads of the cheapest schedules at the start.
    heads: (&'a [u32], &'a [u32]),
}

impl GroupLines<'_> {
    /// From `start`, a line for each group whose rows' slope there is
    /// positive in some direction, the steepest first, each from the best
    /// prices so far, within `work` full evaluations. Returns the best
    /// prices, L there and the work used.
    fn search(
        &self,
        p: &Problem,
        ev: &mut Evaluator,
        (mut start, mut value): (Prices, f64),
        work: f64,
        stopped: &dyn Fn() -> bool,
    ) -> (Prices, f64, f64) {
        let order = self.order(p, &start);
        let (mut heads, mut qualifying) = head_counts(p);
        let mut used = 0.0;
        for (_, g, direction) in order {
            let rows = &self.groups[g];
            let afford = (work - used).min(self.line_work);
            let steps = ((afford / rows.share()).floor() as usize).min(GROUP_STEPS);
            if steps < 3 || stopped() {
                continue;
            }
            let mut eval = |prices: &Prices, rows: &RowGroup, h: &mut [u32], q: &mut [u32]| {
                ev.members(prices, rows, h, q)
            };
            let mut line = GroupLine::new(
                p,
                (rows, direction, self.first),
                (&start, value),
                &mut eval,
                (&mut heads, &mut qualifying),
            );
            let (best, probes) = search_line(&mut line, steps, stopped);
            used += probes as f64 * rows.share();
            if best.value > value {
                let next = line.at(best.theta);
                (start, value) = (next, best.value);
                ev.note(value);
            }
        }
        (start, value, used)
    }

    /// The groups with a positive slope at `start` in some direction, with
    /// that slope and direction, the steepest first (ties by index).
    fn order(&self, p: &Problem, start: &Prices) -> Vec<(f64, usize, Direction)> {
        let mut order: Vec<(f64, usize, Direction)> = self
            .groups
            .iter()
            .enumerate()
            .filter_map(|(g, rows)| {
                [Direction::Up, Direction::Down]
                    .into_iter()
                    .map(|d| (rows.slope(p, d, start, self.heads), g, d))
                    .filter(|&(slope, _, _)| slope > 0.0)
                    .max_by(|a, b| a.0.total_cmp(&b.0))
            })
            .collect();
        order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        order
    }
}

/// Failed trials in a row after which the volume algorithm stops: by then
/// its step has shrunk to 0.8^25 ≈ 0.4 % of where it stood. On medium and
/// games it never moved the centre in 100 evaluations, and the time they
/// took brought medium's bound (at 10 s) close to its tenth of the time,
/// where a cut drops the prices.
const VOLUME_PATIENCE: usize = 25;

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
    let mut stalled = 0;
    for _ in 0..iterations {
        if stopped() {
            complete = false;
            break;
        }
        let value = eval(ascent.trial(), heads, qualifying);
        stalled = if ascent.observe(value, heads, qualifying) {
            0
        } else {
            stalled + 1
        };
        if stalled >= VOLUME_PATIENCE {
            break;
        }
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

/// Zeroed counts of heads per shift and of qualifying heads per quota,
/// for an evaluation to fill.
fn head_counts(p: &Problem) -> (Vec<u32>, Vec<u32>) {
    (vec![0; p.n_shifts()], vec![0; p.quotas().len()])
}

/// L at given prices, writing the heads and qualifying heads.
type Evaluate<'a> = dyn FnMut(&Prices, &mut [u32], &mut [u32]) -> f64 + 'a;

/// Evaluations of the line search for one cover price shared by every shift.
const UNIFORM_STEPS: usize = 14;

/// A probe of the line search: the shared cover price, L there and L's
/// slope there.
#[derive(Clone, Copy)]
struct Probe {
    theta: f64,
    value: f64,
    slope: f64,
}

/// The first price the line search tries after zero, as a share of the
/// highest cap: the top lies far below the caps where `uncovered` dwarfs
/// the pair costs (θ ≈ 1.9 on games and 4 on city, with caps of 3,000).
const FIRST_SHARE: f64 = 1.0 / 1024.0;

/// How much the line search raises its price while L still rises.
const GROWTH: f64 = 4.0;

/// A line of prices the line search walks, from a step of 0 up to
/// [`Line::top`]: L along it is concave and piecewise linear.
trait Line {
    /// The step beyond which no price rises any more.
    fn top(&self) -> f64;
    /// The first step tried after 0.
    fn first(&self) -> f64 {
        self.top() * FIRST_SHARE
    }
    /// L at step `t` and its slope there (on the right of `t`, or on the
    /// left at the top).
    fn probe(&mut self, t: f64) -> Probe;
}

/// The line of prices `θ` on every shift's cover row, capped at the
/// shift's `uncovered × priority`, the other prices zero.
struct CoverLine<'a, 'e> {
    p: &'a Problem,
    caps: Vec<f64>,
    top: f64,
    eval: &'a mut Evaluate<'e>,
    heads: &'a mut [u32],
    qualifying: &'a mut [u32],
}

impl<'a, 'e> CoverLine<'a, 'e> {
    fn new(
        p: &'a Problem,
        eval: &'a mut Evaluate<'e>,
        heads: &'a mut [u32],
        qualifying: &'a mut [u32],
    ) -> Self {
        let w = p.weights();
        let caps: Vec<f64> = p
            .shifts()
            .iter()
            .map(|sh| w.uncovered * sh.priority)
            .collect();
        let top = caps.iter().copied().fold(0.0f64, f64::max);
        CoverLine {
            p,
            caps,
            top,
            eval,
            heads,
            qualifying,
        }
    }

    fn at(&self, theta: f64) -> Prices {
        let mut prices = Prices::zero(self.p);
        for (price, &cap) in prices.cover.iter_mut().zip(&self.caps) {
            *price = theta.min(cap);
        }
        prices
    }
}

impl Line for CoverLine<'_, '_> {
    fn top(&self) -> f64 {
        self.top
    }

    /// L at `theta` and its slope there: the min demand the cheapest
    /// schedules leave uncovered, over the shifts whose cap lies above
    /// `theta` (on the right of it), or at the top on its left.
    fn probe(&mut self, theta: f64) -> Probe {
        let prices = self.at(theta);
        let value = (self.eval)(&prices, self.heads, self.qualifying);
        let slope: f64 = self
            .p
            .shifts()
            .iter()
            .zip(&self.caps)
            .enumerate()
            .filter(|(_, (_, &cap))| theta < cap || theta == self.top)
            .map(|(s, (sh, _))| sh.min as f64 - self.heads[s] as f64)
            .sum();
        Probe {
            theta,
            value,
            slope,
        }
    }
}

/// The best single cover price `θ` for every shift (capped at each shift's
/// `uncovered × priority`), with the other prices zero. A much better start
/// than zero prices when volunteers must work beyond their commitments to
/// cover the demand ([`search_line`] along a [`CoverLine`]). Returns the
/// prices, L there and the evaluations made.
fn uniform_cover_price(
    p: &Problem,
    eval: &mut Evaluate,
    heads: &mut [u32],
    qualifying: &mut [u32],
    steps: usize,
    stopped: &dyn Fn() -> bool,
) -> (Prices, f64, usize) {
    let mut line = CoverLine::new(p, eval, heads, qualifying);
    let (best, used) = search_line(&mut line, steps, stopped);
    (line.at(best.theta), best.value, used)
}

/// The top of L along `line` within `steps` probes. The search probes
/// zero (so it never ends below the value there), then raises the step
/// from [`Line::first`] by [`GROWTH`] while L rises, then
/// probes where the tangents at the bracket's ends meet ([`next_theta`]).
/// Bisection from the top took about ten probes to reach the top of the
/// cover line on city; this takes four. Returns the best probe and the
/// probes made.
fn search_line(line: &mut dyn Line, steps: usize, stopped: &dyn Fn() -> bool) -> (Probe, usize) {
    let top = line.top();
    let mut lo = line.probe(0.0);
    let mut best = lo;
    let mut used = 1;
    let mut theta = line.first();
    let mut hi = None;
    while hi.is_none() && lo.slope > 0.0 && top > 0.0 && used < steps && !stopped() {
        let next = line.probe(theta.min(top));
        used += 1;
        best = better(best, next);
        if next.slope > 0.0 && next.theta < top {
            lo = next;
            theta *= GROWTH;
        } else if next.slope <= 0.0 {
            hi = Some(next);
        } else {
            break;
        }
    }
    let open = |lo: &Probe, h: &Probe, best: &Probe| {
        h.theta - lo.theta > 1e-6 && ceiling(lo, h) - best.value > LINE_TOLERANCE * best.value.abs()
    };
    while let Some(h) = hi.filter(|h| open(&lo, h, &best) && used < steps && !stopped()) {
        let next = line.probe(next_theta(&lo, &h));
        used += 1;
        best = better(best, next);
        if next.slope > 0.0 {
            lo = next;
        } else {
            hi = Some(next);
        }
    }
    (best, used)
}

/// The probe with the higher value (the first on a tie).
fn better(a: Probe, b: Probe) -> Probe {
    if b.value > a.value {
        b
    } else {
        a
    }
}

/// The line search stops once the best value is within this share of
/// what the bracket can still hold ([`ceiling`]): on city, the cover
/// line's last two evaluations (6 s) gained 0.17 %.
const LINE_TOLERANCE: f64 = 1e-4;

/// The most L can reach between the bracket's ends: where their tangents
/// meet (L is concave, so it lies below both).
fn ceiling(lo: &Probe, hi: &Probe) -> f64 {
    let top = lo.value + lo.slope * (tangent_meet(lo, hi) - lo.theta);
    if top.is_finite() {
        top
    } else {
        f64::INFINITY
    }
}

/// Where the tangents at the bracket's ends meet (the top of the
/// two-piece model of a concave function), kept at least a sixteenth of
/// the bracket from either end so the bracket always shrinks.
fn next_theta(lo: &Probe, hi: &Probe) -> f64 {
    let width = hi.theta - lo.theta;
    let meet = tangent_meet(lo, hi);
    let margin = width / 16.0;
    if meet.is_finite() {
        meet.clamp(lo.theta + margin, hi.theta - margin)
    } else {
        lo.theta + 0.5 * width
    }
}

/// The step where the tangents at `lo` and `hi` meet.
fn tangent_meet(lo: &Probe, hi: &Probe) -> f64 {
    (hi.value - lo.value + lo.slope * lo.theta - hi.slope * hi.theta) / (lo.slope - hi.slope)
}

/// Each volunteer's cheapest schedule at `prices` (global pair positions),
/// and the value L there.
pub fn priced_schedules(p: &Problem, pricing: &Pricing, prices: &Prices) -> (Vec<Vec<u32>>, f64) {
    let mut workers = dual::workers(p);
    let (mut heads, mut qualifying) = head_counts(p);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{generate, GeneratorConfig};

    fn small() -> Problem {
        let sc = generate(&GeneratorConfig::preset("small").expect("preset"));
        Problem::compile(&sc).expect("compiles")
    }

    /// A concave L along the cover line with its top at `kink`: every shift
    /// gets one head short of `min` below it and one above from it on.
    fn kinked(p: &Problem, kink: f64) -> impl FnMut(&Prices, &mut [u32], &mut [u32]) -> f64 + '_ {
        let n = p.n_shifts() as f64;
        move |prices: &Prices, heads: &mut [u32], _: &mut [u32]| {
            let theta = prices.cover[0];
            for (s, sh) in p.shifts().iter().enumerate() {
                heads[s] = if theta < kink { sh.min - 1 } else { sh.min + 1 };
            }
            100.0 - n * (theta - kink).abs()
        }
    }

    /// A bound whose stop flag turns on only after its last evaluation is
    /// complete; one stopped at its last poll is not.
    #[test]
    fn a_stop_after_the_last_evaluation_does_not_cut_the_bound() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        let p = small();
        let run = |stop_from: usize| {
            let polls = Arc::new(AtomicUsize::new(0));
            let seen = polls.clone();
            let opts = ScheduleOptions {
                evaluations: 10,
                stop: Some(Arc::new(move || {
                    seen.fetch_add(1, Ordering::SeqCst) + 1 >= stop_from
                })),
                ..ScheduleOptions::default()
            };
            let r = schedule_bound(&p, &opts);
            (r.complete, r.evaluations, polls.load(Ordering::SeqCst))
        };
        let (complete, evaluations, polls) = run(usize::MAX);
        assert!(complete && polls > 0);
        assert_eq!(run(polls + 1), (true, evaluations, polls));
        let (complete, cut_evaluations, _) = run(polls);
        assert!(!complete);
        assert!(cut_evaluations <= evaluations);
    }

    #[test]
    fn tangents_meet_at_the_kink_of_two_pieces() {
        let lo = Probe {
            theta: 0.0,
            value: 0.0,
            slope: 2.0,
        };
        let hi = Probe {
            theta: 10.0,
            value: 2.0,
            slope: -1.0,
        };
        // 2θ = 2 − (θ − 10) at θ = 4.
        assert!((next_theta(&lo, &hi) - 4.0).abs() < 1e-12);
        // A meeting point beyond the bracket is kept a sixteenth inside.
        let steep = Probe {
            slope: -100.0,
            ..hi
        };
        let far = Probe {
            value: 50.0,
            ..steep
        };
        assert!((next_theta(&lo, &far) - (10.0 - 10.0 / 16.0)).abs() < 1e-9);
    }

    #[test]
    fn the_line_search_finds_a_low_top_in_a_few_evaluations() {
        let p = small();
        assert!(p.shifts().iter().all(|sh| sh.min >= 1));
        let w = p.weights();
        let top = p
            .shifts()
            .iter()
            .map(|sh| w.uncovered * sh.priority)
            .fold(0.0f64, f64::max);
        for kink in [0.37, 2.9, 41.0, 0.6 * top] {
            let mut eval = kinked(&p, kink);
            let (mut heads, mut qualifying) = (vec![0; p.n_shifts()], vec![0; p.quotas().len()]);
            let (prices, value, used) =
                uniform_cover_price(&p, &mut eval, &mut heads, &mut qualifying, 14, &|| false);
            assert!(used <= 14);
            assert!(
                (prices.cover[0] - kink).abs() < 1e-6 * kink.max(1.0),
                "kink {kink}: θ {}",
                prices.cover[0]
            );
            assert!(value > 100.0 - 1e-3, "kink {kink}: {value}");
        }
    }

    #[test]
    fn the_line_search_keeps_zero_when_l_falls_from_there() {
        let p = small();
        let mut eval = kinked(&p, 0.0);
        let (mut heads, mut qualifying) = (vec![0; p.n_shifts()], vec![0; p.quotas().len()]);
        let (prices, value, used) =
            uniform_cover_price(&p, &mut eval, &mut heads, &mut qualifying, 14, &|| false);
        assert_eq!(used, 1);
        assert!(prices.cover.iter().all(|&x| x == 0.0));
        assert_eq!(value, 100.0);
    }
}
