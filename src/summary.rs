//! Run summaries: what `solve` and `resolve` print at the end and write with
//! `--summary-json`, plus the process's peak memory. (The HTML report is
//! `export::html::report`, the checker's outcome is `check::RosterCheck`.)

pub use crate::fairness::Fairness;
use crate::problem::Problem;
use crate::scenario::ObjectiveBreakdown;
use serde::{Deserialize, Serialize};

/// Time spent in one phase of a run.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseTime {
    /// Phase name (`"load"` or a [`crate::pipeline::Phase::name`]).
    pub phase: String,
    /// Wall-clock seconds spent in it.
    pub seconds: f64,
}

/// Coverage figures of a roster: the checker's type, so the solver's
/// count and the checker's are the same fields.
pub use crate::check::CoverageStats as Coverage;

/// Coverage counted from the assigned pairs `on` of a compiled problem
/// (the solver's view; the run summary uses the checker's count).
pub fn coverage_of(p: &Problem, on: &[bool]) -> Coverage {
    let mut crew = vec![0u32; p.n_shifts()];
    let mut quota = vec![0u32; p.quotas().len()];
    let mut c = Coverage {
        shifts: p.n_shifts(),
        quotas: p.quotas().len(),
        volunteers: p.n_volunteers(),
        ..Coverage::default()
    };
    for v in 0..p.n_volunteers() {
        let mut n = 0u32;
        for pair in p.vol_pairs(v) {
            if on[pair] {
                n += 1;
                let s = p.pair_shift()[pair] as usize;
                crew[s] += 1;
                let sh = &p.shifts()[s];
                for i in 0..sh.quota_count {
                    if p.pair_quota_mask()[pair] & (1 << i) != 0 {
                        quota[(sh.quota_start + i) as usize] += 1;
                    }
                }
            }
        }
        c.assignments += n as usize;
        if n > 0 {
            c.volunteers_used += 1;
        }
        if n < p.volunteers()[v].min_shifts {
            c.volunteers_below_commitment += 1;
        }
    }
    (c.min_demand, c.min_demand_covered) = crate::solver::min_demand_covered(p, |s| crew[s]);
    c.shifts_below_min = p
        .shifts()
        .iter()
        .enumerate()
        .filter(|(s, sh)| crew[*s] < sh.min)
        .count();
    c.quotas_met = p
        .quotas()
        .iter()
        .enumerate()
        .filter(|(q, qi)| quota[*q] >= qi.at_least)
        .count();
    c.coverage = crate::solver::covered_fraction(c.min_demand, c.min_demand_covered);
    c
}

/// Everything a run reports at the end. Reading a summary back (as `vroster
/// bench` does) rejects unknown fields, so a renamed field is an error.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunSummary {
    /// Scenario name.
    pub scenario: String,
    /// Number of volunteers.
    pub volunteers: usize,
    /// Number of shifts.
    pub shifts: usize,
    /// Number of eligible (shift, volunteer) pairs.
    pub eligible_pairs: usize,
    /// Seed of the run.
    pub seed: u64,
    /// Search workers.
    pub threads: usize,
    /// Objective of the roster, term by term.
    pub objective: ObjectiveBreakdown,
    /// Lower bound on the objective, when one was computed.
    pub bound: Option<f64>,
    /// Optimality gap `(total − bound) / max(total, 1)`, when there is a bound.
    pub gap: Option<f64>,
    /// How the bound was obtained, or why it is weak or missing.
    pub bound_note: String,
    /// What volunteer groups add to the bound: a lower bound on the
    /// `group_split` (and the cost of keeping members to fewer venues)
    /// that any roster pays at the bound's prices; 0 when not computed.
    #[serde(default)]
    pub bound_groups: f64,
    /// The roster's `group_split` above `bound_groups` ([`unpriced`]): that
    /// much of `total − bound` is in a term the bound does not fully price,
    /// so it may be splits a better roster avoids or splits the bound
    /// cannot prove.
    #[serde(default)]
    pub unpriced: f64,
    /// How the first roster was built, with its total.
    #[serde(default)]
    pub construction: String,
    /// Coverage of demand and quotas.
    pub coverage: Coverage,
    /// How shifts are spread against commitments (see [`crate::fairness`]).
    pub fairness: Fairness,
    /// The independent checker found the roster valid and agreed with every
    /// claimed figure.
    pub checker_agrees: bool,
    /// Search iterations run.
    pub iterations: u64,
    /// The search stopped on the deadline or a cancel, not on its budget.
    pub stopped_early: bool,
    /// Time spent in each phase, in run order.
    pub phases: Vec<PhaseTime>,
    /// Wall-clock seconds of the whole run.
    pub total_seconds: f64,
    /// Peak resident memory in bytes, when the system reports it.
    pub peak_memory_bytes: Option<u64>,
}

/// The optimality gap `(total − bound) / max(total, 1)` (not the spacing
/// between two shifts, which the rules call rest).
pub fn gap(total: f64, bound: f64) -> f64 {
    (total - bound) / total.max(1.0)
}

/// The roster's `group_split` above what the bound counts for volunteer
/// groups (`bound_groups`): the part of `total − bound` in a term the
/// bound does not fully price.
pub fn unpriced(objective: &ObjectiveBreakdown, bound_groups: f64) -> f64 {
    (objective.group_split - bound_groups).max(0.0)
}

/// Peak resident memory of this process (Linux `VmHWM`), if known.
pub fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Human-readable bytes (`1.4 GiB`).
pub fn human_bytes(b: u64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut x = b as f64;
    let mut u = 0;
    while x >= 1024.0 && u + 1 < units.len() {
        x /= 1024.0;
        u += 1;
    }
    format!("{x:.1} {}", units[u])
}

impl RunSummary {
    /// The bound, the gap and what they mean.
    fn bound_lines(&self) -> String {
        match (self.bound, self.gap) {
            (Some(b), Some(g)) => format!(
                "bound           {b:.3}  gap {:.3}%  ({})\n                {}\n",
                100.0 * g,
                self.bound_note,
                self.bound_meaning(g)
            ),
            _ => "bound           (none)\n".into(),
        }
    }

    /// What the bound and gap mean, in words, with what the bound counts
    /// for volunteer groups and the share of the gap in `group_split`
    /// beyond that.
    pub fn bound_meaning(&self, gap: f64) -> String {
        let total = self.objective.total;
        let share = if total - self.bound.unwrap_or(total) > 1e-9 {
            self.unpriced / (total - self.bound.unwrap_or(0.0))
        } else {
            0.0
        };
        let saved = format!(
            "every roster of this scenario totals at least the bound, so at most {:.1}% of this total could still be saved",
            100.0 * gap
        );
        let split = self.objective.group_split;
        if self.bound_groups <= 0.0 {
            return format!(
                "{saved}; the bound leaves out group_split ({split:.1} in this roster, {:.0}% of the gap)",
                100.0 * share.min(1.0)
            );
        }
        let groups = format!(
            "{saved}; the bound counts {:.1} for volunteer groups (their splits, and keeping members to fewer venues)",
            self.bound_groups
        );
        if self.unpriced <= 0.0 {
            return format!("{groups}, no less than this roster's group_split of {split:.1}");
        }
        format!(
            "{groups}, against this roster's group_split of {split:.1}: {:.1} above that ({:.0}% of the gap) may be splits a better roster avoids",
            self.unpriced,
            100.0 * share.min(1.0)
        )
    }

    /// The summary table printed at the end of a run.
    pub fn table(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let c = &self.coverage;
        let _ = writeln!(out, "scenario        {}", self.scenario);
        let _ = writeln!(
            out,
            "size            {} volunteers, {} shifts, {} eligible pairs",
            self.volunteers, self.shifts, self.eligible_pairs
        );
        out.push_str(&coverage_lines(c));
        let _ = writeln!(
            out,
            "volunteers      {} used, {} below commitment",
            c.volunteers_used, c.volunteers_below_commitment
        );
        out.push_str(&self.fairness.summary_lines(16));
        let _ = writeln!(out, "objective");
        for (name, v) in self.objective.terms() {
            let _ = writeln!(out, "  {name:<17}{v:>16.3}");
        }
        let _ = writeln!(out, "  {:<17}{:>16.3}", "total", self.objective.total);
        out.push_str(&self.bound_lines());
        if !self.construction.is_empty() {
            let _ = writeln!(out, "construction    {}", self.construction);
        }
        let phases: Vec<String> = self
            .phases
            .iter()
            .map(|p| format!("{} {:.2}s", p.phase, p.seconds))
            .collect();
        let _ = writeln!(
            out,
            "time            {} (total {:.2}s)",
            phases.join(", "),
            self.total_seconds
        );
        let _ = writeln!(
            out,
            "search          {} iterations{}, seed {}, {} threads",
            self.iterations,
            if self.stopped_early {
                " (stopped by deadline or Ctrl-C)"
            } else {
                ""
            },
            self.seed,
            self.threads
        );
        let _ = writeln!(
            out,
            "checker         {}",
            if self.checker_agrees {
                "independent recomputation agrees: valid roster, same figures"
            } else {
                "DISAGREES with the solver's figures (please report this)"
            }
        );
        if let Some(m) = self.peak_memory_bytes {
            let _ = writeln!(out, "peak memory     {}", human_bytes(m));
        }
        out
    }
}

/// The coverage and quota lines of a summary table (the run's and
/// `vroster check`'s).
pub fn coverage_lines(c: &Coverage) -> String {
    format!(
        "coverage        {}/{} of minimum demand ({:.2}%), {} shifts below min\nquotas met      {}/{}\n",
        c.min_demand_covered,
        c.min_demand,
        100.0 * c.coverage,
        c.shifts_below_min,
        c.quotas_met,
        c.quotas
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_split(group_split: f64, bound_groups: f64) -> RunSummary {
        let objective = ObjectiveBreakdown {
            total: 1000.0,
            group_split,
            ..ObjectiveBreakdown::default()
        };
        RunSummary {
            bound: Some(900.0),
            bound_groups,
            unpriced: unpriced(&objective, bound_groups),
            objective,
            ..RunSummary::default()
        }
    }

    #[test]
    fn the_bound_words_say_what_groups_add_and_what_is_left() {
        let s = with_split(60.0, 20.0);
        assert_eq!(s.unpriced, 40.0);
        let words = s.bound_meaning(0.1);
        assert!(
            words.contains("at most 10.0% of this total could still be saved"),
            "{words}"
        );
        assert!(
            words.contains("the bound counts 20.0 for volunteer groups"),
            "{words}"
        );
        assert!(
            words.contains("group_split of 60.0: 40.0 above that (40% of the gap)"),
            "{words}"
        );
        // The bound may count more than the roster's splits (it includes
        // keeping members to fewer venues): nothing is then left over.
        let covered = with_split(60.0, 75.0);
        assert_eq!(covered.unpriced, 0.0);
        let words = covered.bound_meaning(0.1);
        assert!(
            words.contains("counts 75.0 for volunteer groups"),
            "{words}"
        );
        assert!(
            words.contains("no less than this roster's group_split of 60.0"),
            "{words}"
        );
        let words = with_split(60.0, 0.0).bound_meaning(0.1);
        assert!(
            words
                .contains("the bound leaves out group_split (60.0 in this roster, 60% of the gap)"),
            "{words}"
        );
    }
}
