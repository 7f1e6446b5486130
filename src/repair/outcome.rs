//! What a re-solve reports beyond the roster: the `changes` count of the
//! format page and who must be told what.

use super::{Applied, Notice};
use crate::problem::{Problem, PAIR_PREVIOUS};
use crate::scenario::Scenario;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// `changes` of the format page: pairs on non-frozen shifts in exactly one
/// of the previous and new rosters, not counting forced removals.
pub(super) fn changes_count(p: &Problem, applied: &Applied, on: &[bool]) -> usize {
    let mut kept = 0;
    let mut added = 0;
    for q in (0..p.n_pairs()).filter(|&q| on[q]) {
        if p.shifts()[p.pair_shift()[q] as usize].frozen {
            continue;
        }
        if p.pair_flags()[q] & PAIR_PREVIOUS != 0 {
            kept += 1;
        } else {
            added += 1;
        }
    }
    applied.baseline - kept.min(applied.baseline) + added
}

/// Per affected volunteer: shifts lost (forced or by choice, frozen shifts
/// excluded; a dropout's own absence needs no call) and gained.
pub(super) fn notices(
    p: &Problem,
    applied: &Applied,
    original: &Scenario,
    on: &[bool],
) -> Vec<Notice> {
    let sc = &applied.scenario;
    let label = |s: usize| {
        let sh = &sc.shifts[s];
        format!("{} {} at {}", sh.id, sh.start, sh.venue)
    };
    let mut lost: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut gained: BTreeMap<String, Vec<String>> = BTreeMap::new();
    // Forced pairs are of dropouts (no call: they told us) or on cancelled
    // shifts (a call, with the shift as it was planned).
    let surviving: HashSet<&str> = sc.shifts.iter().map(|s| s.id.as_str()).collect();
    let original: HashMap<&str, &crate::scenario::Shift> =
        original.shifts.iter().map(|s| (s.id.as_str(), s)).collect();
    for (sid, vid) in &applied.forced_pairs {
        if !surviving.contains(sid.as_str()) {
            let text = match original.get(sid.as_str()) {
                Some(sh) => format!("{} {} at {} (cancelled)", sh.id, sh.start, sh.venue),
                None => format!("{sid} (cancelled)"),
            };
            lost.entry(vid.clone()).or_default().push(text);
        }
    }
    // Each volunteer's shifts in the new roster, in one pass over the pairs.
    let mut kept: Vec<Vec<u32>> = vec![Vec::new(); p.n_volunteers()];
    for (v, shifts) in kept.iter_mut().enumerate() {
        for q in p.vol_pairs(v).filter(|&q| on[q]) {
            let s = p.pair_shift()[q] as usize;
            shifts.push(s as u32);
            if !p.shifts()[s].frozen && p.pair_flags()[q] & PAIR_PREVIOUS == 0 {
                gained
                    .entry(sc.volunteers[v].id.clone())
                    .or_default()
                    .push(label(s));
            }
        }
    }
    for &(s, v) in &applied.remaining {
        if !kept[v].contains(&(s as u32)) {
            lost.entry(sc.volunteers[v].id.clone())
                .or_default()
                .push(label(s));
        }
    }
    let ids: BTreeSet<String> = lost.keys().chain(gained.keys()).cloned().collect();
    ids.into_iter()
        .map(|id| Notice {
            lost: lost.remove(&id).unwrap_or_default(),
            gained: gained.remove(&id).unwrap_or_default(),
            volunteer: id,
        })
        .collect()
}
