//! Hard rule 8: every volunteer is on each shift of their `pinned` list and
//! on no shift of their `excluded` list. In a re-solve a pin or exclusion
//! of a cancelled shift lapses with the shift (it is no longer in the
//! scenario the checker sees), a pin lapses when its volunteer dropped out
//! for the shift, and frozen shifts keep their previous crew regardless.

use super::{Findings, World};
use std::collections::HashMap;

/// Checks rule 8 for every volunteer.
pub(crate) fn check(w: &World, f: &mut Findings) {
    let index: HashMap<&str, usize> = w
        .shifts
        .iter()
        .enumerate()
        .map(|(i, s)| (s.sc.id.as_str(), i))
        .collect();
    for (v, vol) in w.scenario.volunteers.iter().enumerate() {
        for sid in &vol.pinned {
            let Some(&s) = index.get(sid.as_str()) else {
                continue; // a cancelled shift: the pin lapsed with it
            };
            if w.frozen[s] || dropped_out(w, v, s) || w.crews[s].contains(&v) {
                continue;
            }
            f.add("pin_missing", 8, || {
                format!(
                    "volunteer '{}' is pinned to shift '{sid}' but not on it",
                    vol.id
                )
            });
        }
        for sid in &vol.excluded {
            let Some(&s) = index.get(sid.as_str()) else {
                continue;
            };
            if !w.frozen[s] && w.crews[s].contains(&v) {
                f.add("excluded_assigned", 8, || {
                    format!(
                        "volunteer '{}' is on shift '{sid}', which excludes them",
                        vol.id
                    )
                });
            }
        }
    }
}

/// Whether a dropout of volunteer `v` overlaps shift `s` (`start < until`
/// and `end > from`).
fn dropped_out(w: &World, v: usize, s: usize) -> bool {
    let sh = &w.shifts[s];
    w.absent[v]
        .iter()
        .any(|&(from, until)| until.is_none_or(|u| sh.start < u) && sh.end > from)
}
