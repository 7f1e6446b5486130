//! Very large problems solved as parts side by side.
//!
//! The flow's cost grows faster than its size, and one network is solved by
//! one thread. Above [`SPLIT_ABOVE_PAIRS`] eligible pairs (a city
//! programme) the venues are grown into parts of about [`PART_PAIRS`]
//! candidate pairs each, greedily by how many volunteers two venues share,
//! so that few volunteers straddle two parts. Each volunteer joins the
//! part holding most of their candidate pairs and keeps all their pairs
//! there; each part is then its own problem ([`Problem::restrict`]),
//! relaxed in parallel on a network of its own candidate pairs (among its
//! own volunteers), most of its pairs ([`PART_PLAN`]). That is what makes
//! the parts' flows good: when the parts held only the candidates picked
//! on the whole city, many of them pairs of volunteers who had gone to other
//! parts, the flow carried 1.69 M pairs for 1.73 M heads of `min` (at
//! least 39,000 heads without a path) and its repaired roster cost
//! 16.73 M; with the parts' own candidates 13.92 M (scratch profile, the
//! same build), and 13.68 M since the coverage pass keeps quotas.
//! The parts' flows together are a flow of the whole network with the
//! straddling pairs left out: a heuristic start, not a bound, which the
//! repair of `construct_flow` and the search then improve.
//! Pins of a volunteer on a shift of another part are left out of both
//! parts (the repair still honours them).

use super::{candidate_pairs, relax_whole, HeadValues, Keep, Plan, Relaxed};
use crate::problem::{Part, Problem};
use rayon::prelude::*;

/// Problems with more eligible pairs than this are relaxed in parts.
pub const SPLIT_ABOVE_PAIRS: usize = 8_000_000;
/// Candidate pairs a part aims at: on city a part then holds 450,000 to
/// 1 M pairs in all (46 parts). Smaller parts cost less each (the flow's
/// cost grows faster than its size) and the cut costs the flow little.
pub const PART_PAIRS: usize = 250_000;
/// A volunteer eligible at more venues than this adds nothing to the
/// venues' affinity (it would cost the square of the count, and a
/// volunteer that mobile ties no two venues in particular).
const AFFINITY_MAX_VENUES: usize = 12;

/// Relaxes `p` in parts of about `part_pairs` candidate pairs each (see
/// the module doc; [`super::relax`] uses [`PART_PAIRS`]).
pub fn relax_in_parts(p: &Problem, part_pairs: usize, stop: &(dyn Fn() -> bool + Sync)) -> Relaxed {
    let t0 = std::time::Instant::now();
    let keep = candidate_pairs(p, &Keep::WHOLE);
    let venue_part = venue_parts(p, &keep, part_pairs.max(1));
    let n_parts = venue_part
        .iter()
        .map(|&x| x as usize + 1)
        .max()
        .unwrap_or(1);
    let (vols, shifts) = members(p, &keep, &venue_part, n_parts);
    let solved: Vec<(Part, Relaxed)> = (0..n_parts)
        .into_par_iter()
        .map(|k| {
            let part = p.restrict(&vols[k], &shifts[k], |_| true);
            let relaxed = relax_whole(&part.problem, &PART_PLAN, stop);
            (part, relaxed)
        })
        .collect();
    merge(p, solved, t0.elapsed().as_secs_f64())
}

/// How a part is relaxed: on a first network of its cheapest pairs, 12
/// per head of `max` plus 24 and 6 per volunteer-day (most of a part's
/// pairs), without pricing rounds: a round's warm re-solve costs about as
/// much as the first solve, and since the coverage pass keeps quotas
/// (`search/augment.rs`) what the round's pairs added the repair now finds
/// itself. Measured on city (scratch profile: parts' flows, then flow
/// roster after the coverage pass, one run each): 5/12/3 with one round
/// 85–88 s, 13.65 M; 5/12/3 without 66.9 s, 13.70 M; 8/16/4 59.7 s,
/// 13.69 M; 12/24/6 61.8 s, 13.68 M; every pair 75.9 s, 13.68 M. In
/// the 300-s run the 30 s saved go to the search: 13,472,348.7 against
/// 13,507,016.3 with one round.
const PART_PLAN: Plan = Plan {
    keep: Keep {
        per_head: 12,
        extra: 24,
        per_day: 6,
    },
    tolerance: super::COARSE_TOLERANCE,
    rounds: 0,
};

/// The part of every venue: grown one at a time from the largest venue
/// left, each time adding the venue sharing most volunteers with the part,
/// until the part holds `part_pairs` candidate pairs.
fn venue_parts(p: &Problem, keep: &[bool], part_pairs: usize) -> Vec<u8> {
    let n = p.venue_sites().len();
    let mut size = vec![0usize; n];
    for (k, _) in keep.iter().enumerate().filter(|(_, &x)| x) {
        size[p.shifts()[p.pair_shift()[k] as usize].venue as usize] += 1;
    }
    let affinity = venue_affinity(p);
    let total: usize = size.iter().sum();
    let n_parts = total.div_ceil(part_pairs).clamp(1, 255).min(n.max(1));
    let target = total.div_ceil(n_parts);
    let mut part = vec![u8::MAX; n];
    let mut link = vec![0u64; n];
    for k in 0..n_parts {
        link.iter_mut().for_each(|x| *x = 0);
        let mut held = 0;
        while held < target || k + 1 == n_parts {
            let Some(v) = next_venue(&part, &link, &size) else {
                break;
            };
            part[v] = k as u8;
            held += size[v];
            for (u, w) in &affinity[v] {
                link[*u as usize] += *w as u64;
            }
        }
    }
    part
}

/// The unplaced venue most tied to the part (then the largest, then the
/// first).
fn next_venue(part: &[u8], link: &[u64], size: &[usize]) -> Option<usize> {
    (0..part.len())
        .filter(|&v| part[v] == u8::MAX)
        .max_by_key(|&v| (link[v], size[v], std::cmp::Reverse(v)))
}

/// Per venue: the other venues and how many volunteers are eligible at
/// both.
fn venue_affinity(p: &Problem) -> Vec<Vec<(u32, u32)>> {
    let n = p.venue_sites().len();
    let mut counts = std::collections::HashMap::<(u32, u32), u32>::new();
    let mut venues = Vec::new();
    for v in 0..p.n_volunteers() {
        venues.clear();
        venues.extend(
            p.vol_pairs(v)
                .map(|k| p.shifts()[p.pair_shift()[k] as usize].venue),
        );
        venues.sort_unstable();
        venues.dedup();
        if venues.len() > AFFINITY_MAX_VENUES {
            continue;
        }
        for (i, &a) in venues.iter().enumerate() {
            for &b in &venues[i + 1..] {
                *counts.entry((a, b)).or_insert(0) += 1;
            }
        }
    }
    let mut out = vec![Vec::new(); n];
    for (&(a, b), &c) in &counts {
        out[a as usize].push((b, c));
        out[b as usize].push((a, c));
    }
    for list in &mut out {
        list.sort_unstable();
    }
    out
}

/// Each part's volunteers and shifts, ascending. A volunteer joins the part
/// holding most of their candidate pairs (the first on ties; part 0 if
/// they have none).
fn members(
    p: &Problem,
    keep: &[bool],
    venue_part: &[u8],
    n_parts: usize,
) -> (Vec<Vec<u32>>, Vec<Vec<u32>>) {
    let shift_part = |s: usize| venue_part[p.shifts()[s].venue as usize] as usize;
    let mut shifts = vec![Vec::new(); n_parts];
    for s in 0..p.n_shifts() {
        shifts[shift_part(s)].push(s as u32);
    }
    let mut vols = vec![Vec::new(); n_parts];
    let mut count = vec![0u32; n_parts];
    for v in 0..p.n_volunteers() {
        count.iter_mut().for_each(|c| *c = 0);
        for k in p.vol_pairs(v).filter(|&k| keep[k]) {
            count[shift_part(p.pair_shift()[k] as usize)] += 1;
        }
        let best = (0..n_parts).max_by_key(|&i| (count[i], std::cmp::Reverse(i)));
        vols[best.unwrap_or(0)].push(v as u32);
    }
    (vols, shifts)
}

/// The parts' flows as one: pairs and values mapped back to `p`.
fn merge(p: &Problem, solved: Vec<(Part, Relaxed)>, seconds: f64) -> Relaxed {
    let complete = solved.iter().all(|(_, r)| r.complete);
    let mut pairs = Vec::new();
    let mut cost = 0.0;
    let mut values = HeadValues {
        shift: vec![0.0; p.n_shifts()],
        quota: vec![0.0; p.quotas().len()],
    };
    for (part, relaxed) in solved {
        pairs.extend(relaxed.pairs.iter().map(|&k| part.pair_of[k as usize]));
        cost += relaxed.cost;
        if let Some(h) = relaxed.head_values {
            for (s, x) in h.shift.into_iter().enumerate() {
                values.shift[part.shift_of[s] as usize] = x;
            }
            for (q, x) in h.quota.into_iter().enumerate() {
                values.quota[part.quota_of[q] as usize] = x;
            }
        }
    }
    pairs.sort_unstable();
    Relaxed {
        pairs,
        cost,
        complete,
        seconds,
        head_values: complete.then_some(values),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{generate, GeneratorConfig};

    fn problem(seed: u64) -> Problem {
        let cfg = GeneratorConfig {
            volunteers: 300,
            venues: 6,
            days: 3,
            seed,
            ..GeneratorConfig::default()
        };
        Problem::compile(&generate(&cfg)).expect("compiles")
    }

    /// The parts' flows together are a flow of the whole network, so they
    /// cost at least the whole network's optimum; each pair stays inside
    /// one part (its volunteer's).
    #[test]
    fn parts_cost_at_least_the_whole_and_keep_their_volunteers() {
        let never = || false;
        for seed in 0..3 {
            let p = problem(seed);
            let whole = super::super::relax(&p, &never);
            assert!(whole.complete);
            let mut owner = vec![usize::MAX; p.n_volunteers()];
            let split = relax_in_parts(&p, p.n_pairs() / 4, &never);
            assert!(split.complete);
            assert!(split.cost >= whole.cost - 1e-6, "seed {seed}");
            let keep = candidate_pairs(&p, &Keep::WHOLE);
            let parts = venue_parts(&p, &keep, p.n_pairs() / 4);
            assert!(parts.iter().any(|&x| x > 0), "one part only");
            for &k in &split.pairs {
                let (v, s) = (
                    p.pair_vol()[k as usize] as usize,
                    p.pair_shift()[k as usize],
                );
                let part = parts[p.shifts()[s as usize].venue as usize] as usize;
                assert!(owner[v] == usize::MAX || owner[v] == part, "seed {seed}");
                owner[v] = part;
            }
            let values = split.head_values.expect("complete");
            assert_eq!(values.shift.len(), p.n_shifts());
        }
    }

    /// With one part the part is the whole problem, so the parts' flow is
    /// the whole network's, on the part plan's first network.
    #[test]
    fn one_part_is_the_whole_network() {
        let p = problem(7);
        let never = || false;
        let split = relax_in_parts(&p, usize::MAX, &never);
        let whole = relax_whole(&p, &PART_PLAN, &never);
        assert!(split.complete && whole.complete);
        assert_eq!(split.pairs, whole.pairs);
        assert!((split.cost - whole.cost).abs() < 1e-6);
        let first = candidate_pairs(&p, &PART_PLAN.keep);
        assert!(split.pairs.iter().all(|&k| first[k as usize]));
        assert!(first.iter().any(|&x| !x), "the plan kept every pair");
    }
}
