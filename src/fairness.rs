//! The fairness view: how the shifts a roster gives are spread against
//! each volunteer's commitment (`min_shifts`, the rules' default or the
//! volunteer's override). Computed from the scenario and the roster file
//! alone, so the run summary, the exports and any report can show the same
//! figures.

use crate::scenario::{Roster, Scenario};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// How many volunteers work a given number of shifts above (positive) or
/// below (negative) their commitment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadBucket {
    /// Shifts worked minus commitment.
    pub offset: i64,
    /// Volunteers at that offset.
    pub volunteers: usize,
}

/// The fairness figures of a roster.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Fairness {
    /// Distribution of shifts worked minus commitment, ascending offsets,
    /// only offsets some volunteer has.
    pub distribution: Vec<LoadBucket>,
    /// Largest number of shifts one volunteer works above commitment.
    pub largest_extra: i64,
    /// Volunteers working more than their commitment.
    pub volunteers_above: usize,
    /// `volunteers_above` over all volunteers (0 when there are none).
    pub share_above: f64,
    /// Shifts worked above commitment, summed over volunteers.
    pub extra_shifts: i64,
    /// Sum over volunteers of the squared extra shifts (what `extra_load`
    /// prices).
    pub squared_extra: i64,
    /// Extra shifts carried by the most loaded tenth of the volunteers
    /// (rounded up to whole volunteers).
    pub top_tenth_extra: i64,
}

/// The fairness figures of `roster` on `scenario`. Volunteer ids the
/// scenario does not know are ignored (the checker reports them).
pub fn fairness(scenario: &Scenario, roster: &Roster) -> Fairness {
    let index: HashMap<&str, usize> = scenario
        .volunteers
        .iter()
        .enumerate()
        .map(|(i, v)| (v.id.as_str(), i))
        .collect();
    let mut worked = vec![0i64; scenario.volunteers.len()];
    for ids in roster.assignments.values() {
        for id in ids {
            if let Some(&v) = index.get(id.as_str()) {
                worked[v] += 1;
            }
        }
    }
    let offsets = scenario
        .volunteers
        .iter()
        .zip(&worked)
        .map(|(v, &n)| n - v.effective_rules(&scenario.rules).min_shifts);
    from_offsets(offsets)
}

/// The fairness figures from each volunteer's shifts worked minus
/// commitment.
pub fn from_offsets(offsets: impl IntoIterator<Item = i64>) -> Fairness {
    let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
    let mut extras: Vec<i64> = Vec::new();
    let mut f = Fairness::default();
    let mut n = 0usize;
    for d in offsets {
        n += 1;
        *counts.entry(d).or_default() += 1;
        let extra = d.max(0);
        f.largest_extra = f.largest_extra.max(extra);
        f.extra_shifts += extra;
        f.squared_extra += extra * extra;
        if extra > 0 {
            f.volunteers_above += 1;
            extras.push(extra);
        }
    }
    f.distribution = counts
        .into_iter()
        .map(|(offset, volunteers)| LoadBucket { offset, volunteers })
        .collect();
    f.share_above = if n == 0 {
        0.0
    } else {
        f.volunteers_above as f64 / n as f64
    };
    extras.sort_unstable_by(|a, b| b.cmp(a));
    f.top_tenth_extra = extras.iter().take(n.div_ceil(10)).sum();
    f
}

impl Fairness {
    /// The distribution on one line: `-1: 205 · 0: 1685 · +1: 22`.
    pub fn histogram(&self) -> String {
        let parts: Vec<String> = self
            .distribution
            .iter()
            .map(|b| {
                let sign = if b.offset > 0 { "+" } else { "" };
                format!("{sign}{}: {}", b.offset, b.volunteers)
            })
            .collect();
        parts.join(" · ")
    }

    /// Share of the extra shifts the most loaded tenth carries (0 when
    /// nobody works extra).
    pub fn top_tenth_share(&self) -> f64 {
        if self.extra_shifts == 0 {
            0.0
        } else {
            self.top_tenth_extra as f64 / self.extra_shifts as f64
        }
    }

    /// Two lines for a text summary, each starting with `label_width`
    /// columns (the first holds `fairness`).
    pub fn summary_lines(&self, label_width: usize) -> String {
        format!(
            "{:<w$}worked − commitment: {}\n{:<w$}largest extra load {}, {} above commitment ({:.1}%), \
             top 10% carry {} of {} extra shifts ({:.0}%)\n",
            "fairness",
            self.histogram(),
            "",
            self.largest_extra,
            self.volunteers_above,
            100.0 * self.share_above,
            self.top_tenth_extra,
            self.extra_shifts,
            100.0 * self.top_tenth_share(),
            w = label_width,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_from_hand_counted_offsets() {
        // Ten volunteers: one +3, one +1, two −1, six at commitment.
        let f = from_offsets([3, 1, -1, -1, 0, 0, 0, 0, 0, 0]);
        assert_eq!(f.largest_extra, 3);
        assert_eq!(f.volunteers_above, 2);
        assert!((f.share_above - 0.2).abs() < 1e-12);
        assert_eq!(f.extra_shifts, 4);
        assert_eq!(f.squared_extra, 10);
        // The top tenth is one volunteer: the +3.
        assert_eq!(f.top_tenth_extra, 3);
        assert_eq!(f.histogram(), "-1: 2 · 0: 6 · +1: 1 · +3: 1");
        assert!((f.top_tenth_share() - 0.75).abs() < 1e-12);
    }

    #[test]
    fn empty_roster_has_no_extra_load() {
        let f = from_offsets(std::iter::empty());
        assert_eq!(f, Fairness::default());
        assert_eq!(f.top_tenth_share(), 0.0);
    }
}
