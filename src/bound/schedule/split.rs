//! What keeping groups together adds to the bound: `group_split` priced
//! exactly in the Lagrangian subproblem of each volunteer group.
//!
//! With the shift-level rows relaxed, the volunteers of a group are no
//! longer independent: the roster pays `group_split × (distinct venues − 1)`
//! for their venues together. Their joint subproblem at given prices is
//!
//! `Σ_m best_m + G`, `G = min over venue sets U of
//!  group_split × max(0, |U| − 1) + Σ_m d_m(U ∩ E_m)`,
//!
//! where `best_m` is member m's cheapest schedule at the prices (what the
//! plain bound already counts), `E_m` the venues m has pairs at, and
//! `d_m(S) ≥ 0` what m's cheapest schedule costs more when it may use only
//! the venues in `S` (`S = ∅`: the empty schedule). `G ≥ 0`, so every
//! lower bound on it, clamped at 0, adds to the bound and keeps it valid.
//! The same relaxed DP computes every `d_m`, so any relaxation in it only
//! lowers `G`.
//!
//! `G` is a facility-location problem (venues open at `group_split` each,
//! the first free; members served by the set they use). Its LP relaxation
//! with `Σ_{S ∋ v} z_{m,S} ≤ y_v` has the dual
//!
//! `max Σ_m α_m − group_split` subject to
//! `α_m ≤ d_m(S) + Σ_{v ∈ S} β_{m,v}` for every option S of m,
//! `Σ_m β_{m,v} ≤ group_split` for every venue v, `β ≥ 0`,
//!
//! and any feasible point of it bounds `G` from below. [`dual_ascent`]
//! finds one by raising the members' α in small equal steps, each member
//! buying as little of its venues' budgets as it needs.
//!
//! A member with at most [`EXACT_VENUES`] venues has every subset of them
//! as an option, priced by one DP each (restricted to those venues); one
//! with more has the empty schedule and each single venue at cost 0 (a
//! relaxation: `d_m ≥ 0`). On the bundled presets every volunteer has 1–3
//! venues.

use super::dual::Prices;
use super::pricing::{count_cost, Pricing, Scratch};
use crate::problem::{Problem, NONE};
use rayon::prelude::*;

/// Members with at most this many venues get every subset as an option.
const EXACT_VENUES: usize = 3;

/// Members with more venues than this are left out (their α stays 0,
/// which is feasible): their options would not fit a venue mask.
const MAX_VENUES: usize = 64;

/// Steps per `group_split` weight in which the members' α rise together.
const STEPS_PER_WEIGHT: f64 = 8.0;

/// Most passes of equal steps before one last pass without a cap.
const MAX_PASSES: usize = 200;

/// One option of a member: a set of their venues (bits of the member's
/// venue list) and what m's cheapest schedule costs more using only those.
#[derive(Clone, Copy)]
struct Choice {
    venues: u64,
    extra: f64,
}

/// A member of a group, as the dual ascent sees them.
struct Member {
    /// Group-local indices of the member's venues.
    venues: Vec<usize>,
    choices: Vec<Choice>,
}

/// The groups' members and their venues, gathered once per problem.
pub struct GroupSplitPlan {
    /// Per group: its members who have pairs, with their venues (sorted).
    groups: Vec<Vec<(usize, Vec<u32>)>>,
    /// DP runs [`GroupSplitPlan::bound`] makes, in full evaluations (each
    /// run counted by the volunteer's share of the pairs).
    work: f64,
}

impl GroupSplitPlan {
    /// Gathers the members of `p`'s groups; none when `group_split` costs
    /// nothing.
    pub fn new(p: &Problem) -> Self {
        let mut groups = vec![Vec::new(); p.group_ids().len()];
        let mut runs = 0usize;
        if p.weights().group_split > 0.0 {
            for (v, info) in p.volunteers().iter().enumerate() {
                if info.group == NONE || p.vol_pairs(v).is_empty() {
                    continue;
                }
                let own = p.venues_of(v);
                if own.len() <= MAX_VENUES {
                    runs += p.vol_pairs(v).len() * dp_runs(own.len());
                    groups[info.group as usize].push((v, own));
                }
            }
        }
        GroupSplitPlan {
            groups,
            work: runs as f64 / p.n_pairs().max(1) as f64,
        }
    }

    /// What [`GroupSplitPlan::bound`] costs, in full evaluations of L.
    pub fn work(&self) -> f64 {
        self.work
    }

    /// Lower bound on what keeping groups together adds at `prices` (see
    /// the module doc), summed over groups in their order, so the result
    /// does not depend on the thread count.
    pub fn bound(&self, p: &Problem, pricing: &Pricing, prices: &Prices) -> f64 {
        let weight = p.weights().group_split;
        let per_group: Vec<f64> = self
            .groups
            .par_iter()
            .map_init(
                || (Scratch::default(), Vec::new()),
                |(scratch, chosen), members| {
                    let mut group = GroupVenues::default();
                    let members: Vec<Member> = members
                        .iter()
                        .filter_map(|(v, own)| {
                            let mut dp = |mask: u64| {
                                restricted_cheapest(
                                    p,
                                    pricing,
                                    prices,
                                    (*v, own, mask),
                                    (scratch, chosen),
                                )
                            };
                            member_choices(p, pricing, (*v, own), &mut group, &mut dp)
                        })
                        .collect();
                    (dual_ascent(&members, group.len(), weight) - weight).max(0.0)
                },
            )
            .collect();
        per_group.iter().sum()
    }
}

/// DP runs for a member with `venues` venues: the unrestricted one, and
/// one per proper non-empty subset when they are few enough.
fn dp_runs(venues: usize) -> usize {
    if venues <= EXACT_VENUES {
        (1usize << venues) - 1
    } else {
        1
    }
}

/// The venues a group's members have pairs at, numbered in the order met.
#[derive(Default)]
struct GroupVenues {
    venues: Vec<u32>,
}

impl GroupVenues {
    fn local(&mut self, venue: u32) -> usize {
        match self.venues.iter().position(|&x| x == venue) {
            Some(i) => i,
            None => {
                self.venues.push(venue);
                self.venues.len() - 1
            }
        }
    }

    fn len(&self) -> usize {
        self.venues.len()
    }
}

/// Member `v`'s options with their extra costs, or `None` when the member
/// adds nothing (no finite schedule). `own` are v's venues (sorted);
/// `dp(mask)` is v's cheapest schedule using only the venues of `own`
/// whose bits `mask` sets.
fn member_choices(
    p: &Problem,
    pricing: &Pricing,
    (v, own): (usize, &[u32]),
    group: &mut GroupVenues,
    dp: &mut dyn FnMut(u64) -> f64,
) -> Option<Member> {
    let best = dp(u64::MAX);
    if !best.is_finite() {
        return None;
    }
    let empty = if pricing.has_pins(v) {
        f64::INFINITY
    } else {
        count_cost(p, v, 0) - best
    };
    let mut choices = vec![Choice {
        venues: 0,
        extra: empty.max(0.0),
    }];
    if own.len() <= EXACT_VENUES {
        let full = (1u64 << own.len()) - 1;
        for mask in 1..full {
            let extra = dp(mask) - best;
            choices.push(Choice {
                venues: mask,
                extra: extra.max(0.0),
            });
        }
        choices.push(Choice {
            venues: full,
            extra: 0.0,
        });
    } else {
        choices.extend((0..own.len()).map(|i| Choice {
            venues: 1 << i,
            extra: 0.0,
        }));
    }
    Some(Member {
        venues: own.iter().map(|&x| group.local(x)).collect(),
        choices,
    })
}

/// Cheapest schedule value of `v` at `prices` using only the venues of
/// `own` (v's venues, sorted) whose bits `mask` sets: pairs elsewhere cost
/// +∞.
fn restricted_cheapest(
    p: &Problem,
    pricing: &Pricing,
    prices: &Prices,
    (v, own, mask): (usize, &[u32], u64),
    (scratch, chosen): (&mut Scratch, &mut Vec<u32>),
) -> f64 {
    let rc = |q: usize| {
        let venue = p.shifts()[p.pair_shift()[q] as usize].venue;
        let allowed = own
            .binary_search(&venue)
            .is_ok_and(|i| i >= 64 || mask >> i & 1 == 1);
        if allowed {
            prices.reduced_cost(p, q)
        } else {
            f64::INFINITY
        }
    };
    pricing.cheapest(p, v, &rc, scratch, chosen).value
}

/// A feasible point of the dual in the module doc, for a group with
/// `n_venues` venues: returns Σ_m α_m. The α rise in steps of
/// `weight / STEPS_PER_WEIGHT`, member by member, then once more without
/// a cap.
fn dual_ascent(members: &[Member], n_venues: usize, weight: f64) -> f64 {
    let mut left = vec![weight; n_venues];
    let mut alpha = vec![0.0; members.len()];
    let mut bought: Vec<Vec<f64>> = members.iter().map(|m| vec![0.0; m.venues.len()]).collect();
    let step = weight / STEPS_PER_WEIGHT;
    let mut next = Vec::new();
    for pass in 0..=MAX_PASSES {
        let cap = if pass == MAX_PASSES {
            f64::INFINITY
        } else {
            step
        };
        let mut moved = false;
        for (i, m) in members.iter().enumerate() {
            let target = alpha[i] + cap;
            if let Some(reached) = raise(m, (&mut bought[i], &mut left), target, &mut next) {
                moved |= reached > alpha[i] + 1e-12;
                alpha[i] = reached.max(alpha[i]);
            }
        }
        if !moved && pass < MAX_PASSES {
            break;
        }
    }
    alpha.iter().sum()
}

/// Raises one member's α towards `target` as far as the venues' budgets
/// `left` allow, buying as little of them as it can (each venue in turn
/// gives back what the member's options do not need; `next` is scratch).
/// Returns the new α, or `None` when it cannot rise at all.
fn raise(
    m: &Member,
    (bought, left): (&mut [f64], &mut [f64]),
    target: f64,
    next: &mut Vec<f64>,
) -> Option<f64> {
    let most = |c: &Choice| {
        let mut total = c.extra;
        for (j, &venue) in m.venues.iter().enumerate() {
            if c.venues >> j & 1 == 1 {
                total += bought[j] + left[venue];
            }
        }
        total
    };
    let reachable = m.choices.iter().map(most).fold(f64::INFINITY, f64::min);
    let alpha = target.min(reachable);
    if !alpha.is_finite() {
        return None;
    }
    next.clear();
    next.extend((0..m.venues.len()).map(|j| bought[j] + left[m.venues[j]]));
    for j in 0..m.venues.len() {
        let mut need = bought[j];
        for c in m.choices.iter().filter(|c| c.venues >> j & 1 == 1) {
            let others: f64 = (0..m.venues.len())
                .filter(|&i| i != j && c.venues >> i & 1 == 1)
                .map(|i| next[i])
                .sum();
            need = need.max(alpha - c.extra - others);
        }
        next[j] = need.min(next[j]);
    }
    for (j, &venue) in m.venues.iter().enumerate() {
        left[venue] -= next[j] - bought[j];
        bought[j] = next[j];
    }
    Some(alpha)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(venues: Vec<usize>, choices: &[(u64, f64)]) -> Member {
        Member {
            venues,
            choices: choices
                .iter()
                .map(|&(venues, extra)| Choice { venues, extra })
                .collect(),
        }
    }

    /// Brute force of G over every venue set (members take their cheapest
    /// option inside it).
    fn exact(members: &[Member], n_venues: usize, weight: f64) -> f64 {
        (0u64..1 << n_venues)
            .map(|open| {
                let mut total = weight * (open.count_ones() as f64 - 1.0).max(0.0);
                for m in members {
                    let fits = |c: &Choice| {
                        (0..m.venues.len())
                            .all(|j| c.venues >> j & 1 == 0 || open >> m.venues[j] & 1 == 1)
                    };
                    total += m
                        .choices
                        .iter()
                        .filter(|c| fits(c))
                        .map(|c| c.extra)
                        .fold(f64::INFINITY, f64::min);
                }
                total
            })
            .fold(f64::INFINITY, f64::min)
    }

    #[test]
    fn members_at_separate_venues_pay_for_the_split() {
        // Three members who must work, one venue each, two of them alike.
        let members = vec![
            member(vec![0], &[(0, 100.0), (1, 0.0)]),
            member(vec![1], &[(0, 100.0), (1, 0.0)]),
            member(vec![1], &[(0, 100.0), (1, 0.0)]),
        ];
        assert_eq!(exact(&members, 2, 20.0), 20.0);
        assert!((dual_ascent(&members, 2, 20.0) - 20.0 - 20.0).abs() < 1e-9);
    }

    #[test]
    fn the_ascent_never_exceeds_the_exact_value() {
        let mut seed = 7u64;
        let mut next = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        for _ in 0..500 {
            let n_venues = 1 + next() % 4;
            let members: Vec<Member> = (0..1 + next() % 5)
                .map(|_| {
                    let mut venues: Vec<usize> =
                        (0..n_venues).filter(|_| next() % 2 == 0).collect();
                    if venues.is_empty() {
                        venues.push(next() % n_venues);
                    }
                    let full = (1u64 << venues.len()) - 1;
                    let mut choices: Vec<(u64, f64)> =
                        (0..full).map(|mask| (mask, (next() % 60) as f64)).collect();
                    choices.push((full, 0.0));
                    member(venues, &choices)
                })
                .collect();
            let lower = dual_ascent(&members, n_venues, 20.0) - 20.0;
            let g = exact(&members, n_venues, 20.0);
            assert!(lower <= g + 1e-9, "{lower} > {g}");
        }
    }
}
