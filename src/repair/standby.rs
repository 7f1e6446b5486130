//! Standby lists: who could step in on a shift without breaking any rule
//! but the headcount.

use super::{input, RepairError};
use crate::problem::Problem;
use crate::scenario::{Roster, StandbyList};
use crate::solver::state::Assignment;
use std::collections::HashMap;

/// Up to `k` volunteers not on shift `s` who could step in without breaking
/// any rule but the headcount, cheapest first (objective delta, then fewer
/// current shifts, then file order).
pub fn standby(p: &Problem, a: &Assignment, s: usize, k: usize) -> Vec<usize> {
    let mut cands: Vec<(f64, usize, usize)> = Vec::new();
    for (&q, &v) in p.shift_pair_list(s).iter().zip(p.shift_vol_list(s)) {
        let (q, v) = (q as usize, v as usize);
        if a.on()[q] || !a.fits_schedule(p, v, q, None) {
            continue;
        }
        cands.push((a.add_delta(p, q), a.schedule(v).len(), v));
    }
    cands.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    cands.into_iter().take(k).map(|c| c.2).collect()
}

/// Standby lists for every shift starting at or after `now`.
pub fn standby_lists(p: &Problem, a: &Assignment, now: i64, k: usize) -> Vec<StandbyList> {
    let origin = p.origin_day() * crate::time::MINUTES_PER_DAY;
    (0..p.n_shifts())
        .filter(|&s| p.shifts()[s].start + origin >= now)
        .map(|s| StandbyList {
            shift: p.shift_ids()[s].clone(),
            volunteers: standby(p, a, s, k)
                .into_iter()
                .map(|v| p.volunteer_ids()[v].clone())
                .collect(),
        })
        .collect()
}

/// Rebuilds the incremental state of a roster file on a compiled problem
/// (for `vroster standby`); pairs that are not eligible are reported.
pub fn assignment_of(p: &Problem, roster: &Roster) -> Result<Assignment, RepairError> {
    let shift_index: HashMap<&str, usize> = p
        .shift_ids()
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    let vol_index: HashMap<&str, usize> = p
        .volunteer_ids()
        .iter()
        .enumerate()
        .map(|(i, v)| (v.as_str(), i))
        .collect();
    let mut a = Assignment::new(p);
    for (sid, vids) in &roster.assignments {
        let s = *shift_index
            .get(sid.as_str())
            .ok_or_else(|| input(format!("roster: assignments.{sid}"), "unknown shift"))?;
        for vid in vids {
            let v = *vol_index.get(vid.as_str()).ok_or_else(|| {
                input(
                    format!("roster: assignments.{sid}"),
                    format!("unknown volunteer '{vid}'"),
                )
            })?;
            let q = p.find_pair(v, s).ok_or_else(|| {
                input(
                    format!("roster: assignments.{sid}"),
                    format!("volunteer '{vid}' is not eligible"),
                )
            })?;
            if !a.on()[q] {
                a.add(p, q);
            }
        }
    }
    Ok(a)
}
