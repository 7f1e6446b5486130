//! From-scratch scoring of a set of assigned pairs on the compiled problem:
//! the objective breakdown of the format page and a count of hard-rule
//! violations. Used to report the final roster and, in debug mode and the
//! tests, to verify the incremental totals of `state.rs`.

use crate::problem::{Problem, NONE, PAIR_MISSES, PAIR_PREVIOUS, UNREACHABLE};
use crate::scenario::ObjectiveBreakdown;
use std::collections::HashSet;

/// The objective breakdown of the roster given by its assigned pairs.
pub fn breakdown(p: &Problem, on: &[bool]) -> ObjectiveBreakdown {
    let w = p.weights();
    let mut crew = vec![0u32; p.n_shifts()];
    let mut quota = vec![0u32; p.quotas().len()];
    let mut b = ObjectiveBreakdown::default();
    let mut changes_kept_or_new = 0.0;
    let mut group_venues: Vec<HashSet<u32>> = vec![HashSet::new(); p.group_ids().len()];
    for v in 0..p.n_volunteers() {
        let mut worked = 0u32;
        for pair in p.vol_pairs(v) {
            if !on[pair] {
                continue;
            }
            worked += 1;
            let s = p.pair_shift()[pair] as usize;
            let sh = &p.shifts()[s];
            crew[s] += 1;
            for i in 0..sh.quota_count {
                if p.pair_quota_mask()[pair] & (1 << i) != 0 {
                    quota[(sh.quota_start + i) as usize] += 1;
                }
            }
            let flags = p.pair_flags()[pair];
            b.preference_miss += w.preference_miss * f64::from(flags & PAIR_MISSES);
            let t = p.home_travel(v, s);
            if t != UNREACHABLE {
                b.travel += w.travel_minute * t as f64;
            }
            if !sh.frozen && p.pair_cost_has_change() {
                changes_kept_or_new += if flags & PAIR_PREVIOUS != 0 {
                    -1.0
                } else {
                    1.0
                };
            }
            let g = p.volunteers()[v].group;
            if g != NONE {
                group_venues[g as usize].insert(sh.venue);
            }
        }
        let vi = &p.volunteers()[v];
        if worked < vi.min_shifts {
            b.under_commitment += w.under_commitment * (vi.min_shifts - worked) as f64;
        }
        if worked > 0 {
            b.volunteer_used += w.volunteer_used;
        }
        if worked > vi.min_shifts {
            let extra = f64::from(worked - vi.min_shifts);
            b.extra_load += w.extra_load * extra * extra;
        }
    }
    for (s, sh) in p.shifts().iter().enumerate() {
        if crew[s] < sh.min {
            b.uncovered += w.uncovered * sh.priority * (sh.min - crew[s]) as f64;
        }
    }
    for (q, qi) in p.quotas().iter().enumerate() {
        if quota[q] < qi.at_least {
            b.quota_shortfall += qi.unit_cost * (qi.at_least - quota[q]) as f64;
        }
    }
    for g in &group_venues {
        if g.len() > 1 {
            b.group_split += w.group_split * (g.len() - 1) as f64;
        }
    }
    if p.pair_cost_has_change() {
        b.change = p.constant_cost() + w.change * changes_kept_or_new;
    }
    b.total = b.sum_of_terms();
    b
}

/// Number of hard-rule violations (rules 3–7) of the roster, from scratch.
pub fn violations(p: &Problem, on: &[bool]) -> usize {
    let mut bad = 0;
    let mut crew = vec![0u32; p.n_shifts()];
    for v in 0..p.n_volunteers() {
        let vi = &p.volunteers()[v];
        let mine: Vec<usize> = p
            .vol_pairs(v)
            .filter(|&q| on[q])
            .map(|q| p.pair_shift()[q] as usize)
            .collect();
        for (i, &a) in mine.iter().enumerate() {
            crew[a] += 1;
            for &b in &mine[i + 1..] {
                let (x, y) = if p.shifts()[a].start <= p.shifts()[b].start {
                    (a, b)
                } else {
                    (b, a)
                };
                if !p.spaced(v, x, y) {
                    bad += 1;
                }
            }
        }
        if mine.len() as u32 > vi.max_shifts {
            bad += 1;
        }
        let mut days: Vec<u32> = mine.iter().map(|&s| p.shifts()[s].day).collect();
        days.dedup();
        for &d in &days {
            let minutes: i64 = mine
                .iter()
                .filter(|&&s| p.shifts()[s].day == d)
                .map(|&s| p.shifts()[s].duration())
                .sum();
            if minutes > vi.max_minutes_per_day {
                bad += 1;
            }
        }
        let mut run = 0;
        for (i, &d) in days.iter().enumerate() {
            run = if i > 0 && days[i - 1] + 1 == d {
                run + 1
            } else {
                1
            };
            if run > vi.max_consecutive_days {
                bad += 1;
            }
        }
    }
    for (s, sh) in p.shifts().iter().enumerate() {
        if crew[s] > sh.max && !sh.frozen {
            bad += 1;
        }
    }
    bad
}
