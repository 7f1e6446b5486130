//! Re-solve semantics for the checker: the changes applied to the
//! scenario, frozen shifts, forced removals and the `changes` count, each
//! straight from the "Changes" section of the format page.

use super::{CheckError, Findings, RepairStats, World};
use crate::scenario::{Changes, Roster, Scenario};
use crate::time::parse_time;
use std::collections::{BTreeSet, HashMap, HashSet};

/// The scenario after the changes, with what the count needs.
pub struct Applied {
    /// The scenario with the changes applied.
    pub scenario: Scenario,
    /// The changes' `now`, in minutes since 1970-01-01 (event-local).
    pub now: i64,
    /// Dropout periods `[from, until)` by volunteer id.
    pub absent: HashMap<String, Vec<(i64, Option<i64>)>>,
    /// Ids of the cancelled shifts.
    pub cancelled: HashSet<String>,
    /// Shifts whose `max` an update lowered.
    pub lowered: HashSet<String>,
}

fn time(text: &str, path: impl FnOnce() -> String) -> Result<i64, CheckError> {
    parse_time(text).map_err(|e| CheckError::Input {
        path: path(),
        message: e.to_string(),
    })
}

/// Applies the changes: cancelled shifts removed, updates replace min/max,
/// new volunteers and shifts added, dropouts recorded as absences.
pub fn apply(scenario: &Scenario, changes: &Changes) -> Result<Applied, CheckError> {
    let now = time(&changes.now, || "now".into())?;
    let cancelled: HashSet<String> = changes.cancelled_shifts.iter().cloned().collect();
    let mut sc = scenario.clone();
    sc.shifts.retain(|s| !cancelled.contains(&s.id));
    // Updates apply in file order (those of cancelled shifts are moot); a
    // shift updated more than once has its
    // max lowered when the final max is below the one before any update.
    let mut max_before: HashMap<String, i64> = HashMap::new();
    for (i, u) in changes.shift_updates.iter().enumerate() {
        if cancelled.contains(&u.shift) {
            continue; // the shift disappears, whatever its update says
        }
        let Some(sh) = sc.shifts.iter_mut().find(|s| s.id == u.shift) else {
            return Err(CheckError::Input {
                path: format!("shift_updates[{i}].shift"),
                message: format!("unknown shift '{}'", u.shift),
            });
        };
        max_before.entry(sh.id.clone()).or_insert(sh.max);
        if let Some(min) = u.min {
            sh.min = min;
        }
        if let Some(max) = u.max {
            sh.max = max;
        }
    }
    let lowered: HashSet<String> = sc
        .shifts
        .iter()
        .filter(|sh| max_before.get(&sh.id).is_some_and(|&m| sh.max < m))
        .map(|sh| sh.id.clone())
        .collect();
    sc.shifts.extend(changes.new_shifts.iter().cloned());
    sc.volunteers.extend(changes.new_volunteers.iter().cloned());
    let mut absent: HashMap<String, Vec<(i64, Option<i64>)>> = HashMap::new();
    for (i, d) in changes.dropouts.iter().enumerate() {
        let from = time(&d.from, || format!("dropouts[{i}].from"))?;
        let until = match &d.until {
            Some(u) => Some(time(u, || format!("dropouts[{i}].until"))?),
            None => None,
        };
        absent
            .entry(d.volunteer.clone())
            .or_default()
            .push((from, until));
    }
    Ok(Applied {
        scenario: sc,
        now,
        absent,
        cancelled,
        lowered,
    })
}

/// Frozen shifts kept exactly (violation `frozen_changed` otherwise),
/// forced removals, changes and affected volunteers.
pub(crate) fn count(applied: &Applied, w: &World, prev: &Roster, f: &mut Findings) -> RepairStats {
    let mut stats = RepairStats::default();
    let mut affected: BTreeSet<&str> = BTreeSet::new();
    // Previous pairs on cancelled shifts are forced removals.
    for (sid, vols) in &prev.assignments {
        if applied.cancelled.contains(sid) {
            let mut distinct: Vec<&String> = vols.iter().collect();
            distinct.sort();
            distinct.dedup();
            stats.forced_removals += distinct.len();
            affected.extend(distinct.iter().map(|v| v.as_str()));
        }
    }
    for (s, view) in w.shifts.iter().enumerate() {
        let id = &view.sc.id;
        let before: BTreeSet<&str> = prev
            .assignments
            .get(id)
            .map(|v| v.iter().map(|x| x.as_str()).collect())
            .unwrap_or_default();
        let after: BTreeSet<&str> = w.crews[s]
            .iter()
            .map(|&v| w.scenario.volunteers[v].id.as_str())
            .collect();
        if w.frozen[s] {
            stats.frozen_shifts += 1;
            if before != after {
                f.add("frozen_changed", 0, || {
                    format!("frozen shift '{id}' (started before now) changed its assignments")
                });
            }
            continue;
        }
        // Dropped volunteers in their absence: forced.
        let gone = |vid: &str| {
            applied.absent.get(vid).is_some_and(|periods| {
                periods
                    .iter()
                    .any(|&(from, until)| until.is_none_or(|u| view.start < u) && view.end > from)
            })
        };
        let dropped = before.iter().filter(|v| gone(v)).count();
        let remaining = before.len() - dropped;
        let over = if applied.lowered.contains(id) {
            remaining.saturating_sub(view.sc.max.max(0) as usize)
        } else {
            0
        };
        let forced_here = dropped + over;
        stats.forced_removals += forced_here;
        let symmetric = before.symmetric_difference(&after).count();
        stats.changes += symmetric.saturating_sub(forced_here);
        for v in before.symmetric_difference(&after) {
            if !(before.contains(v) && gone(v)) {
                affected.insert(v);
            }
        }
    }
    stats.affected_volunteers = affected.len();
    stats
}
