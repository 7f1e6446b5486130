//! The roster as a min-cost flow: a relaxation of the whole problem that
//! the flow construction ([`super::construct::construct_flow`]) repairs to
//! a roster.
//!
//! ```text
//! source ─▶ volunteer ─▶ volunteer-day ─▶ shift ─▶ sink ─▶ source
//! ```
//!
//! - source → volunteer: up to `max_shifts`; the first `min_shifts` units
//!   earn `under_commitment`; with `extra_load` priced, every unit above
//!   the commitment is an arc of its own at its marginal cost (convex);
//! - volunteer → volunteer-day: the most shifts the volunteer could work
//!   that day (1 unless two of their shifts that day fit rules 4 and 5);
//! - volunteer-day → shift: one eligible pair, capacity 1, its static cost
//!   (preference misses, travel, re-solve change);
//! - shift → sink: the first `min` heads earn `uncovered × priority`, up to
//!   `max` in all.
//!
//! Pins and frozen pairs are taken out beforehand (they use up capacity);
//! frozen shifts get no arc. Left out of the relaxation: groups,
//! `volunteer_used` (a fixed charge), rules 4 and 7 across days and rule 5
//! beyond the day cap. Costs are scaled by [`COST_SCALE`] and rounded.

pub mod mcf;
pub mod split;

use crate::problem::{Problem, PAIR_PINNED};
use mcf::{Accuracy, Network};

/// Objective units are multiplied by this and rounded to integer arc costs.
pub const COST_SCALE: f64 = 100.0;
/// Cost multiplier of the scaling algorithm (the flow is then optimal to
/// within `tolerance / (COST_SCALE × FLOW_MULT)` per arc).
pub const FLOW_MULT: i64 = 1;
/// The scaling's last ε, in arc cost units, on problems of at most
/// [`PRICING_MAX_PAIRS`] pairs: within a hundredth of an objective unit
/// per arc.
pub const FINE_TOLERANCE: i64 = 1;
/// The scaling's last ε above [`PRICING_MAX_PAIRS`] pairs and in the parts
/// of a city programme: 0.6 objective units per arc, below the cheapest
/// preference miss or six minutes of travel. The last refinements are the
/// dearest and only settle ties worth less than that; the repair after the
/// flow reshapes far more. Measured (quiet, 2 cores): games (4.3 M pairs)
/// flow 16.8 s → 10.7 s, its roster 839,566.6 → 838,764.5 (30: 13.0 s,
/// 837,138.5; 120: 8.6 s, 847,334.3); city (37.7 M pairs, in parts) 173.5 s
/// → 84.7 s, its roster 16,847,195.0 → 16,780,436.0.
pub const COARSE_TOLERANCE: i64 = 60;

const SOURCE: usize = 0;
const SINK: usize = 1;

fn scaled(x: f64) -> i32 {
    (x * COST_SCALE).round().clamp(-1e8, 1e8) as i32
}

/// What the relaxation found.
pub struct Relaxed {
    /// Pairs carrying flow (pins excluded), in pair order.
    pub pairs: Vec<u32>,
    /// Cost of the flow in objective units (pins and constants excluded).
    pub cost: f64,
    /// The solver finished (not cut by the stop flag).
    pub complete: bool,
    /// Wall-clock seconds to build and solve the network.
    pub seconds: f64,
    /// What one more head is worth to each shift and one more qualifying
    /// head to each quota at the flow's optimum (its node potentials), when
    /// the solver finished: prices the schedule relaxation starts from.
    pub head_values: Option<HeadValues>,
}

/// Values per head from the flow's node potentials, in objective units.
#[derive(Clone, Debug)]
pub struct HeadValues {
    /// Per shift: potential of the shift node over the sink's (positive
    /// while the shift is short of `min`, negative when heads above what
    /// it needs crowd out better uses).
    pub shift: Vec<f64>,
    /// Per quota: potential of the quota node over its shift's.
    pub quota: Vec<f64>,
}

/// Solves the relaxation; `stop` is polled while it runs (a stopped run
/// still returns the pairs carrying flow at that moment).
///
/// The network starts with a share of the pairs ([`candidate_pairs`]);
/// after each solve every other pair is priced at the flow's node
/// potentials, and those that would lower the cost join before a warm
/// re-solve, until a round gains less than [`MIN_ROUND_GAIN`] or none
/// would join ([`MAX_PRICING_ROUNDS`] at most, only up to
/// [`PRICING_MAX_PAIRS`]). With every round run, the flow is as good as a
/// solve on every pair, on a network a fraction of the size.
///
/// Problems above [`split::SPLIT_ABOVE_PAIRS`] pairs are relaxed in parts
/// side by side ([`split`]).
pub fn relax(p: &Problem, stop: &(dyn Fn() -> bool + Sync)) -> Relaxed {
    if p.n_pairs() > split::SPLIT_ABOVE_PAIRS {
        return split::relax_in_parts(p, split::PART_PAIRS, stop);
    }
    let (tolerance, rounds) = if p.n_pairs() > PRICING_MAX_PAIRS {
        (COARSE_TOLERANCE, 0)
    } else {
        (FINE_TOLERANCE, MAX_PRICING_ROUNDS)
    };
    let plan = Plan {
        keep: Keep::WHOLE,
        tolerance,
        rounds,
    };
    relax_whole(p, &plan, stop)
}

/// How [`relax_whole`] relaxes a network: its first pairs, its last ε and
/// the most pricing rounds after the first solve.
struct Plan {
    keep: Keep,
    tolerance: i64,
    rounds: usize,
}

/// Relaxes `p` as one network as `plan` says (see [`relax`]).
fn relax_whole(p: &Problem, plan: &Plan, stop: &dyn Fn() -> bool) -> Relaxed {
    let t0 = std::time::Instant::now();
    let pricing = Pricing {
        accuracy: Accuracy {
            mult: FLOW_MULT,
            tolerance: plan.tolerance,
        },
        rounds: plan.rounds,
        min_gain: MIN_ROUND_GAIN,
    };
    let first = candidate_pairs(p, &plan.keep);
    let (net, arcs, complete) = solve_priced(p, &first, &pricing, stop);
    let pairs = (0..p.n_pairs())
        .filter(|&k| arcs.flow(&net, k) > 0)
        .map(|k| k as u32)
        .collect();
    Relaxed {
        pairs,
        cost: net.total_cost() as f64 / COST_SCALE,
        complete,
        seconds: t0.elapsed().as_secs_f64(),
        head_values: complete.then(|| head_values(p, &net)),
    }
}

/// How [`solve_priced`] runs: the accuracy, the most pricing rounds, and
/// the least gain per round to go on.
struct Pricing {
    accuracy: Accuracy,
    rounds: usize,
    min_gain: i64,
}

/// Solves on the pairs of `first`, then prices the others in rounds;
/// returns the network, which arc carries each pair, and whether the
/// solver finished.
fn solve_priced(
    p: &Problem,
    first: &[bool],
    pricing: &Pricing,
    stop: &dyn Fn() -> bool,
) -> (Network, PairArcs, bool) {
    let quota = QuotaNodes::new(p, first_quota_node(p));
    let mut arcs = PairArcs::new(p);
    let mut net = build(p, &quota, &mut arcs, first);
    let mut complete = net.solve(pricing.accuracy, stop);
    let mut cost = net.total_cost();
    for _ in 0..pricing.rounds {
        if !complete || arcs.add_improving(p, &quota, &mut net) == 0 {
            break;
        }
        complete = net.resolve(stop);
        let before = std::mem::replace(&mut cost, net.total_cost());
        if before - cost < pricing.min_gain {
            break;
        }
    }
    (net, arcs, complete)
}

/// Rounds of pricing the pairs left out of the network (each adds those
/// that would lower the cost, then re-solves from the last flow).
pub const MAX_PRICING_ROUNDS: usize = 40;
/// Pricing runs on whole problems of at most this many pairs (a city's
/// parts run [`split`]'s own plan). Above it a round
/// costs about as much as the first solve for little: on games (4.3 M
/// pairs) the rounds lowered the flow's cost by 1,250 (0.15 % of the
/// roster) and took 40 % of the time; on medium (177,000 pairs) they gain
/// 540 (0.9 %) in a fraction of a second.
pub const PRICING_MAX_PAIRS: usize = 1_000_000;

/// Pricing stops once a round lowers the flow's cost by less than this
/// (one objective unit, in arc cost units).
const MIN_ROUND_GAIN: i64 = COST_SCALE as i64;
/// Which pairs a first network holds: per shift its cheapest pairs,
/// `per_head` per head of `max` plus `extra`; the same per quota among
/// the qualifying pairs; and each volunteer-day's `per_day` cheapest.
#[derive(Clone, Copy, Debug)]
struct Keep {
    per_head: usize,
    extra: usize,
    per_day: usize,
}

impl Keep {
    /// The first network of a problem relaxed whole, and the candidate
    /// pairs by which a city programme is cut into parts.
    const WHOLE: Keep = Keep {
        per_head: 3,
        extra: 8,
        per_day: 2,
    };
}

/// The pairs of a first network (see [`Keep`]).
fn candidate_pairs(p: &Problem, rule: &Keep) -> Vec<bool> {
    let mut keep = vec![false; p.n_pairs()];
    let mut scratch: Vec<u32> = Vec::new();
    for (s, sh) in p.shifts().iter().enumerate() {
        let list = p.shift_pair_list(s);
        let per_shift = rule.per_head * sh.max as usize + rule.extra;
        keep_cheapest(p, list.iter().copied(), per_shift, &mut scratch, &mut keep);
        for (i, q) in (sh.quota_start..sh.quota_start + sh.quota_count).enumerate() {
            let at_least = p.quotas()[q as usize].at_least as usize;
            let per_quota = rule.per_head * at_least + rule.extra;
            let qualifying = list
                .iter()
                .copied()
                .filter(|&k| p.pair_quota_mask()[k as usize] & (1 << i) != 0);
            keep_cheapest(p, qualifying, per_quota, &mut scratch, &mut keep);
        }
    }
    for v in 0..p.n_volunteers() {
        for run in day_runs(p, v) {
            let pairs = run.map(|k| k as u32);
            keep_cheapest(p, pairs, rule.per_day, &mut scratch, &mut keep);
        }
    }
    keep
}

/// Marks the `count` cheapest open pairs of `pairs` (ties by position).
fn keep_cheapest(
    p: &Problem,
    pairs: impl Iterator<Item = u32>,
    count: usize,
    scratch: &mut Vec<u32>,
    keep: &mut [bool],
) {
    scratch.clear();
    scratch.extend(pairs.filter(|&k| open_pair(p, k as usize)));
    if scratch.len() > count {
        let key = |&k: &u32| (p.pair_cost()[k as usize], k);
        scratch.select_nth_unstable_by(count, |a, b| {
            key(a)
                .partial_cmp(&key(b))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        scratch.truncate(count);
    }
    for &k in scratch.iter() {
        keep[k as usize] = true;
    }
}

/// Which arc, if any, carries each pair.
struct PairArcs {
    arc: Vec<u32>,
}

impl PairArcs {
    const NONE: u32 = u32::MAX;

    fn new(p: &Problem) -> Self {
        PairArcs {
            arc: vec![Self::NONE; p.n_pairs()],
        }
    }

    fn flow(&self, net: &Network, k: usize) -> i32 {
        match self.arc[k] {
            Self::NONE => 0,
            a => net.flow(a as usize),
        }
    }

    /// Adds the arc of pair `k` from volunteer-day node `vd`.
    fn add(&mut self, p: &Problem, quota: &QuotaNodes, net: &mut Network, vd: usize, k: usize) {
        let a = net.add_arc(vd, quota.pair_head(p, k), 1, scaled(p.pair_cost()[k]));
        self.arc[k] = a as u32;
    }

    /// Adds every open pair outside the network whose arc would have a
    /// negative reduced cost (beyond the solver's ε = 1) at the last
    /// solve's prices; returns how many.
    fn add_improving(&mut self, p: &Problem, quota: &QuotaNodes, net: &mut Network) -> usize {
        let mut added = 0;
        let mut vd = first_vd_node(p);
        for v in 0..p.n_volunteers() {
            for run in day_runs(p, v) {
                for k in run {
                    if self.arc[k] != Self::NONE || !open_pair(p, k) {
                        continue;
                    }
                    let head = quota.pair_head(p, k);
                    if net.reduced_cost(vd, head, scaled(p.pair_cost()[k])) < -1 {
                        self.add(p, quota, net, vd, k);
                        added += 1;
                    }
                }
                vd += 1;
            }
        }
        added
    }
}

/// The shift and quota node potentials over the sink's and the shift's.
fn head_values(p: &Problem, net: &Network) -> HeadValues {
    let unit = |x: f64| x / COST_SCALE;
    let sink = net.potential(SINK);
    let shift: Vec<f64> = (0..p.n_shifts())
        .map(|s| unit(net.potential(shift_node(p, s)) - sink))
        .collect();
    let first_quota = first_quota_node(p);
    let quota = p
        .quotas()
        .iter()
        .enumerate()
        .map(|(q, info)| {
            let at_shift = net.potential(shift_node(p, info.shift as usize));
            unit(net.potential(first_quota + q) - at_shift)
        })
        .collect();
    HeadValues { shift, quota }
}

/// The first quota node: after the volunteer-days.
fn first_quota_node(p: &Problem) -> usize {
    2 + p.n_volunteers() + p.n_shifts() + n_volunteer_days(p)
}

/// Node layout: source, sink, volunteers, shifts, then volunteer-days.
fn vol_node(v: usize) -> usize {
    2 + v
}

fn shift_node(p: &Problem, s: usize) -> usize {
    2 + p.n_volunteers() + s
}

/// Number of volunteer-day nodes: runs of a volunteer's pairs on one day.
fn n_volunteer_days(p: &Problem) -> usize {
    (0..p.n_volunteers()).map(|v| day_runs(p, v).count()).sum()
}

/// Quota and quota-set nodes: per shift with quotas, its quota nodes
/// (`quota_start..` of the shift, offset by `first_quota`) and its distinct
/// quota masks with their node, sorted by mask.
struct QuotaNodes {
    first_quota: usize,
    masks: Vec<Vec<(u32, u32)>>,
    n_nodes: usize,
}

impl QuotaNodes {
    fn new(p: &Problem, first_free: usize) -> Self {
        let first_quota = first_free;
        let mut next = first_free + p.quotas().len();
        let mut masks = vec![Vec::new(); p.n_shifts()];
        for (s, list) in masks.iter_mut().enumerate() {
            if p.shifts()[s].quota_count == 0 {
                continue;
            }
            let mut seen: Vec<u32> = p
                .shift_pair_list(s)
                .iter()
                .map(|&k| p.pair_quota_mask()[k as usize])
                .filter(|&m| m != 0)
                .collect();
            seen.sort_unstable();
            seen.dedup();
            for m in seen {
                list.push((m, next as u32));
                next += 1;
            }
        }
        QuotaNodes {
            first_quota,
            masks,
            n_nodes: next - first_free,
        }
    }

    /// The node pair `k` flows into: its shift's quota-set node, or the shift.
    fn pair_head(&self, p: &Problem, k: usize) -> usize {
        let s = p.pair_shift()[k] as usize;
        let m = p.pair_quota_mask()[k];
        if m == 0 {
            return shift_node(p, s);
        }
        let list = &self.masks[s];
        match list.binary_search_by_key(&m, |&(x, _)| x) {
            Ok(i) => list[i].1 as usize,
            Err(_) => shift_node(p, s),
        }
    }

    /// Quota-set → quota → shift arcs.
    fn add_arcs(&self, p: &Problem, net: &mut Network) {
        for (s, sh) in p.shifts().iter().enumerate() {
            let big = sh.max as i32;
            for &(m, node) in &self.masks[s] {
                let mut bits = m;
                while bits != 0 {
                    let q = sh.quota_start as usize + bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    net.add_arc(node as usize, self.first_quota + q, big, 0);
                }
            }
            for q in sh.quota_start..sh.quota_start + sh.quota_count {
                let (q, node) = (q as usize, self.first_quota + q as usize);
                let reward = scaled(-p.quotas()[q].unit_cost);
                let need = p.quotas()[q].at_least.min(sh.max) as i32;
                if need > 0 {
                    net.add_arc(node, shift_node(p, s), need, reward);
                }
                net.add_arc(node, shift_node(p, s), big, 0);
            }
        }
    }
}

/// A volunteer's pairs split into runs of one calendar day each (pairs are
/// sorted by start, so a day's pairs are contiguous).
fn day_runs(p: &Problem, v: usize) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let r = p.vol_pairs(v);
    let end = r.end;
    let mut at = r.start;
    std::iter::from_fn(move || {
        if at >= end {
            return None;
        }
        let day = p.shifts()[p.pair_shift()[at] as usize].day;
        let start = at;
        while at < end && p.shifts()[p.pair_shift()[at] as usize].day == day {
            at += 1;
        }
        Some(start..at)
    })
}

fn is_pinned(p: &Problem, pair: usize) -> bool {
    p.pair_flags()[pair] & PAIR_PINNED != 0
}

/// Whether pair `k` may carry flow: not pinned (pins are taken out) and
/// not on a frozen shift.
fn open_pair(p: &Problem, k: usize) -> bool {
    !is_pinned(p, k) && !p.shifts()[p.pair_shift()[k] as usize].frozen
}

/// Builds the network on the pairs marked in `keep` (and pins' capacity).
fn build(p: &Problem, quota: &QuotaNodes, arcs: &mut PairArcs, keep: &[bool]) -> Network {
    let n_vd = n_volunteer_days(p);
    let first_vd = first_vd_node(p);
    let mut net = Network::new(first_vd + n_vd + quota.n_nodes);
    let kept = keep.iter().filter(|&&x| x).count();
    net.reserve(kept + n_vd + 2 * (p.n_volunteers() + p.n_shifts()) + 1);
    let mut vd = first_vd;
    for v in 0..p.n_volunteers() {
        for run in day_runs(p, v) {
            for k in run.clone().filter(|&k| keep[k]) {
                arcs.add(p, quota, &mut net, vd, k);
            }
            let pins = run.clone().filter(|&k| is_pinned(p, k)).count() as i32;
            let cap = (day_cap(p, v, run) as i32 - pins).max(0);
            net.add_arc(vol_node(v), vd, cap, 0);
            vd += 1;
        }
    }
    add_volunteer_arcs(p, &mut net);
    quota.add_arcs(p, &mut net);
    let total = add_shift_arcs(p, &mut net);
    net.add_arc(SINK, SOURCE, total, 0);
    net
}

/// The first volunteer-day node: after the shifts.
fn first_vd_node(p: &Problem) -> usize {
    2 + p.n_volunteers() + p.n_shifts()
}

/// Source → volunteer: the first `min_shifts` units earn the commitment
/// reward; units above it cost their `extra_load` step.
fn add_volunteer_arcs(p: &Problem, net: &mut Network) {
    let w = p.weights();
    let reward = scaled(-w.under_commitment);
    for (v, vi) in p.volunteers().iter().enumerate() {
        let pins = p.vol_pairs(v).filter(|&k| is_pinned(p, k)).count() as u32;
        let cap = vi.max_shifts.saturating_sub(pins);
        let under = vi.min_shifts.saturating_sub(pins).min(cap);
        if under > 0 {
            net.add_arc(SOURCE, vol_node(v), under as i32, reward);
        }
        if w.extra_load > 0.0 {
            for j in under..cap {
                let step = super::state::extra_load_step(w.extra_load, pins + j, vi.min_shifts);
                net.add_arc(SOURCE, vol_node(v), 1, scaled(step));
            }
        } else if cap > under {
            net.add_arc(SOURCE, vol_node(v), (cap - under) as i32, 0);
        }
    }
}

/// Shift → sink: `min` heads at the cover reward, up to `max`. Returns the
/// total headcount the sink can take.
fn add_shift_arcs(p: &Problem, net: &mut Network) -> i32 {
    let mut pinned = vec![0u32; p.n_shifts()];
    for &k in p.pinned() {
        pinned[p.pair_shift()[k as usize] as usize] += 1;
    }
    let mut total = 0i32;
    for (s, sh) in p.shifts().iter().enumerate() {
        if sh.frozen {
            continue;
        }
        let max = sh.max.saturating_sub(pinned[s]);
        let min = sh.min.saturating_sub(pinned[s]).min(max);
        if min > 0 {
            let reward = scaled(-p.weights().uncovered * sh.priority);
            net.add_arc(shift_node(p, s), SINK, min as i32, reward);
        }
        if max > min {
            net.add_arc(shift_node(p, s), SINK, (max - min) as i32, 0);
        }
        total = total.saturating_add(max as i32);
    }
    total
}

/// How many of the volunteer's shifts on one day (pairs `run`) could be
/// worked together: 1, unless two of them fit the spacing rule and the
/// daily minutes; then the daily minutes over the shortest shift.
fn day_cap(p: &Problem, v: usize, run: std::ops::Range<usize>) -> u32 {
    let vi = &p.volunteers()[v];
    let dur = |k: usize| p.shifts()[p.pair_shift()[k] as usize].duration();
    let shortest = run.clone().map(dur).min().unwrap_or(1).max(1);
    let most = (vi.max_minutes_per_day / shortest).max(1) as usize;
    if most < 2 || run.len() < 2 {
        return 1;
    }
    for i in run.clone() {
        for j in i + 1..run.end {
            let (a, b) = (p.pair_shift()[i] as usize, p.pair_shift()[j] as usize);
            if dur(i) + dur(j) <= vi.max_minutes_per_day && p.spaced(v, a, b) {
                return most.min(run.len()) as u32;
            }
        }
    }
    1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{generate, GeneratorConfig};

    /// The flow on every pair, solved exactly (multiplier above the node count).
    fn full_cost(p: &Problem) -> i64 {
        let quota = QuotaNodes::new(p, first_quota_node(p));
        let mut arcs = PairArcs::new(p);
        let mut net = build(p, &quota, &mut arcs, &vec![true; p.n_pairs()]);
        assert!(net.solve(Accuracy::exact(net.n_nodes()), &|| false));
        net.total_cost()
    }

    #[test]
    fn pricing_until_no_pair_joins_reaches_the_full_networks_optimum() {
        let mut joined = 0;
        for seed in 0..6 {
            let cfg = GeneratorConfig {
                volunteers: 60,
                venues: 2,
                days: 2,
                seed,
                demand_ratio: 0.6 + 0.2 * seed as f64,
                ..GeneratorConfig::default()
            };
            let p = Problem::compile(&generate(&cfg)).expect("compiles");
            let keep = candidate_pairs(&p, &Keep::WHOLE);
            let first = build(
                &p,
                &QuotaNodes::new(&p, first_quota_node(&p)),
                &mut PairArcs::new(&p),
                &keep,
            );
            let pricing = Pricing {
                accuracy: Accuracy::exact(first.n_nodes()),
                rounds: usize::MAX,
                min_gain: i64::MIN,
            };
            let (net, _, complete) = solve_priced(&p, &keep, &pricing, &|| false);
            assert!(complete);
            assert_eq!(net.total_cost(), full_cost(&p), "seed {seed}");
            joined += net.n_arcs() - first.n_arcs();
        }
        // Pricing had work to do: the candidates alone are not the optimum.
        assert!(joined > 0, "no pair ever joined");
    }
}
