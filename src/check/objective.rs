//! The objective terms, each from its definition in the format page.

use super::{CoverageStats, World};
use crate::scenario::{ObjectiveBreakdown, Quota, Volunteer};
use std::collections::{BTreeSet, HashMap};

/// Whether a volunteer counts for a quota.
pub fn qualifies(v: &Volunteer, q: &Quota) -> bool {
    match (&q.skill, &q.language) {
        (Some(skill), _) => v.skills.contains(skill),
        (None, Some(lang)) => v
            .languages
            .get(lang)
            .is_some_and(|&l| l >= q.level_or_default()),
        (None, None) => false,
    }
}

/// Every term; `changes` is the re-solve count (0 otherwise).
pub(crate) fn breakdown(w: &World, changes: usize) -> ObjectiveBreakdown {
    let wt = &w.scenario.weights;
    let mut b = ObjectiveBreakdown::default();
    for (s, crew) in w.crews.iter().enumerate() {
        let sh = w.shifts[s].sc;
        let assigned = crew.len() as i64;
        // uncovered × priority × max(0, min − assigned)
        b.uncovered += wt.uncovered * sh.priority * (sh.min - assigned).max(0) as f64;
        // quota_shortfall × priority × max(0, at_least − qualifying)
        for q in &sh.quotas {
            let have = crew
                .iter()
                .filter(|&&v| qualifies(&w.scenario.volunteers[v], q))
                .count() as i64;
            b.quota_shortfall +=
                wt.quota_shortfall * sh.priority * (q.at_least - have).max(0) as f64;
        }
        for &v in crew {
            let vol = &w.scenario.volunteers[v];
            if let Some(p) = &vol.prefers {
                if !p.venues.is_empty() && !p.venues.contains(&sh.venue) {
                    b.preference_miss += wt.preference_miss;
                }
                if !p.roles.is_empty() && !sh.role.as_ref().is_some_and(|r| p.roles.contains(r)) {
                    b.preference_miss += wt.preference_miss;
                }
            }
            if let Some(home) = &vol.home {
                if let Some(t) = w.travel.between(&sh.venue, home) {
                    b.travel += wt.travel_minute * t as f64;
                }
            }
        }
    }
    let mut group_venues: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for (v, vol) in w.scenario.volunteers.iter().enumerate() {
        let worked = w.schedules[v].len() as i64;
        let min_shifts = vol.effective_rules(&w.scenario.rules).min_shifts;
        b.under_commitment += wt.under_commitment * (min_shifts - worked).max(0) as f64;
        if worked > 0 {
            b.volunteer_used += wt.volunteer_used;
        }
        // extra_load × max(0, shifts worked − min_shifts)²
        let extra = (worked - min_shifts).max(0) as f64;
        b.extra_load += wt.extra_load * extra.powi(2);
        if let Some(g) = &vol.group {
            let venues = group_venues.entry(g.as_str()).or_default();
            for &s in &w.schedules[v] {
                venues.insert(w.shifts[s].sc.venue.as_str());
            }
        }
    }
    for venues in group_venues.values() {
        if !venues.is_empty() {
            b.group_split += wt.group_split * (venues.len() - 1) as f64;
        }
    }
    b.change = wt.change * changes as f64;
    b.total = b.sum_of_terms();
    b
}

/// Coverage of minimum demand, quotas and commitments.
pub(crate) fn coverage(w: &World) -> CoverageStats {
    let mut c = CoverageStats {
        shifts: w.shifts.len(),
        volunteers: w.scenario.volunteers.len(),
        ..CoverageStats::default()
    };
    for (s, crew) in w.crews.iter().enumerate() {
        let sh = w.shifts[s].sc;
        let min = sh.min.max(0) as u64;
        c.min_demand += min;
        c.min_demand_covered += (crew.len() as u64).min(min);
        if (crew.len() as u64) < min {
            c.shifts_below_min += 1;
        }
        c.assignments += crew.len();
        for q in &sh.quotas {
            c.quotas += 1;
            let have = crew
                .iter()
                .filter(|&&v| qualifies(&w.scenario.volunteers[v], q))
                .count() as i64;
            if have >= q.at_least {
                c.quotas_met += 1;
            }
        }
    }
    for (v, vol) in w.scenario.volunteers.iter().enumerate() {
        let worked = w.schedules[v].len() as i64;
        if worked > 0 {
            c.volunteers_used += 1;
        }
        if worked < vol.effective_rules(&w.scenario.rules).min_shifts {
            c.volunteers_below_commitment += 1;
        }
    }
    c.coverage = if c.min_demand == 0 {
        1.0
    } else {
        c.min_demand_covered as f64 / c.min_demand as f64
    };
    c
}
