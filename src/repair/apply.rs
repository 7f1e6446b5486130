//! Applying a changes file to a scenario and its previous roster: the new
//! scenario, and which previous pairs are pinned, may be kept, or are
//! removed by force.
//!
//! The changes are first validated by [`crate::validate::validate_changes`]
//! (the one home of those checks); what is left here is applying them, with
//! ids looked up in hash maps built once.

use super::{input, time, Applied, RepairError};
use crate::scenario::{Changes, Roster, Scenario};
use crate::time::format_time;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The first and last times of the format, for the availability of a
/// volunteer without windows split around a dropout (any narrower range
/// would take shifts outside it from them).
const FAR_PAST: &str = "0000-01-01T00:00";
const FAR_FUTURE: &str = "9999-12-31T23:59";

/// Absence periods `[from, until)` of each dropped-out volunteer.
type Absences = HashMap<String, Vec<(i64, Option<i64>)>>;

/// Whether a shift `[start, end)` meets one of `periods`.
fn meets(periods: &[(i64, Option<i64>)], start: i64, end: i64) -> bool {
    periods
        .iter()
        .any(|&(from, until)| until.is_none_or(|u| start < u) && end > from)
}

/// Applies `changes` to `scenario` with the previous roster `prev`.
pub fn apply_changes(
    scenario: &Scenario,
    prev: &Roster,
    changes: &Changes,
) -> Result<Applied, RepairError> {
    first_error(scenario, changes)?;
    let now = time(&changes.now, || "changes.now".into())?;
    let cancelled: HashSet<String> = changes.cancelled_shifts.iter().cloned().collect();
    let mut sc = scenario.clone();
    sc.shifts.retain(|s| !cancelled.contains(&s.id));
    let excess_cap = update_demand(&mut sc, changes, &cancelled);
    sc.shifts.extend(changes.new_shifts.iter().cloned());
    sc.volunteers.extend(changes.new_volunteers.iter().cloned());
    let absent = split_availability(&mut sc, changes)?;
    let lapsed_pins = lapse_pins(&mut sc, &cancelled, &absent)?;
    let sorted = sort_previous(&sc, prev, now, &cancelled, &absent)?;
    let (baseline, excess) = baseline(&sc, &sorted.per_shift, &excess_cap);
    Ok(Applied {
        scenario: sc,
        now,
        frozen: sorted.frozen,
        pinned: sorted.pinned,
        remaining: sorted.remaining,
        forced: sorted.forced_pairs.len() + excess,
        baseline,
        forced_pairs: sorted.forced_pairs,
        lapsed_pins,
        dropouts: changes
            .dropouts
            .iter()
            .map(|d| d.volunteer.clone())
            .collect(),
    })
}

/// The first error the validator finds in `changes`, as a re-solve error
/// naming its place (`changes.<path>`).
fn first_error(scenario: &Scenario, changes: &Changes) -> Result<(), RepairError> {
    match crate::validate::validate_changes(scenario, changes)
        .into_iter()
        .find(|d| d.is_error())
    {
        Some(d) => Err(input(format!("changes.{}", d.path), d.message)),
        None => Ok(()),
    }
}

/// Applies the demand updates in file order (an update of a cancelled shift
/// is moot; validation made sure each final `0 <= min <= max`). Returns the
/// final `max` of every shift whose `max` went down, by id.
fn update_demand(
    sc: &mut Scenario,
    changes: &Changes,
    cancelled: &HashSet<String>,
) -> HashMap<String, i64> {
    let index: HashMap<String, usize> = sc
        .shifts
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), i))
        .collect();
    let mut original_max: HashMap<usize, i64> = HashMap::new();
    for u in &changes.shift_updates {
        let Some(&k) = index
            .get(&u.shift)
            .filter(|_| !cancelled.contains(&u.shift))
        else {
            continue;
        };
        let sh = &mut sc.shifts[k];
        original_max.entry(k).or_insert(sh.max);
        if let Some(min) = u.min {
            sh.min = min;
        }
        if let Some(max) = u.max {
            sh.max = max;
        }
    }
    original_max
        .into_iter()
        .filter(|&(k, before)| sc.shifts[k].max < before)
        .map(|(k, _)| (sc.shifts[k].id.clone(), sc.shifts[k].max))
        .collect()
}

/// Dropouts: each volunteer's availability split around `[from, until)`.
/// Returns the absence periods by volunteer id.
fn split_availability(sc: &mut Scenario, changes: &Changes) -> Result<Absences, RepairError> {
    let index: HashMap<String, usize> = sc
        .volunteers
        .iter()
        .enumerate()
        .map(|(i, v)| (v.id.clone(), i))
        .collect();
    let mut absent: Absences = HashMap::new();
    for (i, d) in changes.dropouts.iter().enumerate() {
        let from = time(&d.from, || format!("changes.dropouts[{i}].from"))?;
        let until = match &d.until {
            Some(u) => Some(time(u, || format!("changes.dropouts[{i}].until"))?),
            None => None,
        };
        let Some(&vi) = index.get(&d.volunteer) else {
            return Err(input(
                format!("changes.dropouts[{i}].volunteer"),
                format!("unknown volunteer '{}'", d.volunteer),
            ));
        };
        let windows = split_windows(sc, vi, from, until)?;
        sc.volunteers[vi].available = Some(windows);
        absent
            .entry(d.volunteer.clone())
            .or_default()
            .push((from, until));
    }
    Ok(absent)
}

/// Volunteer `vi`'s availability windows without `[from, until)`.
fn split_windows(
    sc: &Scenario,
    vi: usize,
    from: i64,
    until: Option<i64>,
) -> Result<Vec<(String, String)>, RepairError> {
    let windows = sc.volunteers[vi]
        .available
        .clone()
        .unwrap_or_else(|| vec![(FAR_PAST.to_string(), FAR_FUTURE.to_string())]);
    let mut out = Vec::new();
    for (k, (ws, we)) in windows.iter().enumerate() {
        let a = time(ws, || format!("volunteers[{vi}].available[{k}][0]"))?;
        let b = time(we, || format!("volunteers[{vi}].available[{k}][1]"))?;
        // A shift is lost when start < until and end > from: it fits
        // neither [a, min(b, from)] nor [max(a, until), b]; any other
        // shift inside [a, b] fits one of them.
        if a < b.min(from) {
            out.push((format_time(a), format_time(b.min(from))));
        }
        if let Some(u) = until {
            if a.max(u) < b {
                out.push((format_time(a.max(u)), format_time(b)));
            }
        }
    }
    Ok(out)
}

/// Start and end minutes of every shift of `sc`.
fn shift_times(sc: &Scenario) -> Result<(Vec<i64>, Vec<i64>), RepairError> {
    let mut starts = Vec::with_capacity(sc.shifts.len());
    let mut ends = Vec::with_capacity(sc.shifts.len());
    for (i, s) in sc.shifts.iter().enumerate() {
        starts.push(time(&s.start, || format!("shifts[{i}].start"))?);
        ends.push(time(&s.end, || format!("shifts[{i}].end"))?);
    }
    Ok((starts, ends))
}

/// Rule 8 in a re-solve: a pin or exclusion of a cancelled shift lapses
/// with the shift, and a pin lapses when its volunteer dropped out for the
/// shift. `sc` holds the shifts that are left. Returns the lapsed pins.
fn lapse_pins(
    sc: &mut Scenario,
    cancelled: &HashSet<String>,
    absent: &Absences,
) -> Result<Vec<(String, String)>, RepairError> {
    let (starts, ends) = shift_times(sc)?;
    let times: HashMap<String, (i64, i64)> = sc
        .shifts
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), (starts[i], ends[i])))
        .collect();
    let mut lapsed = Vec::new();
    for v in &mut sc.volunteers {
        let periods = absent.get(&v.id).map_or(&[][..], Vec::as_slice);
        let dropped = |sid: &str| {
            times
                .get(sid)
                .is_some_and(|&(start, end)| meets(periods, start, end))
        };
        let (keep, gone): (Vec<String>, Vec<String>) = std::mem::take(&mut v.pinned)
            .into_iter()
            .partition(|sid| !cancelled.contains(sid) && !dropped(sid));
        lapsed.extend(gone.into_iter().map(|sid| (sid, v.id.clone())));
        v.pinned = keep;
        v.excluded.retain(|sid| !cancelled.contains(sid));
    }
    Ok(lapsed)
}

/// The previous pairs sorted: pinned (frozen shifts), remaining, or forced
/// out (cancelled shifts, dropouts in their absence).
struct Sorted {
    frozen: Vec<usize>,
    pinned: Vec<(usize, usize)>,
    remaining: Vec<(usize, usize)>,
    forced_pairs: Vec<(String, String)>,
    /// Remaining previous pairs per shift.
    per_shift: BTreeMap<usize, usize>,
}

/// Sorts the previous roster's pairs against the changed scenario `sc`.
fn sort_previous(
    sc: &Scenario,
    prev: &Roster,
    now: i64,
    cancelled: &HashSet<String>,
    absent: &Absences,
) -> Result<Sorted, RepairError> {
    let shift_index: HashMap<&str, usize> = sc
        .shifts
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let vol_index: HashMap<&str, usize> = sc
        .volunteers
        .iter()
        .enumerate()
        .map(|(i, v)| (v.id.as_str(), i))
        .collect();
    let (starts, ends) = shift_times(sc)?;
    let mut out = Sorted {
        frozen: (0..sc.shifts.len()).filter(|&s| starts[s] < now).collect(),
        pinned: Vec::new(),
        remaining: Vec::new(),
        forced_pairs: Vec::new(),
        per_shift: BTreeMap::new(),
    };
    for (sid, vids) in &prev.assignments {
        let distinct: BTreeSet<&String> = vids.iter().collect();
        if cancelled.contains(sid) {
            out.forced_pairs
                .extend(distinct.iter().map(|v| (sid.clone(), v.to_string())));
            continue;
        }
        let Some(&s) = shift_index.get(sid.as_str()) else {
            return Err(input(
                format!("previous roster: assignments.{sid}"),
                format!("unknown shift '{sid}'"),
            ));
        };
        for vid in distinct {
            let Some(&v) = vol_index.get(vid.as_str()) else {
                return Err(input(
                    format!("previous roster: assignments.{sid}"),
                    format!("unknown volunteer '{vid}'"),
                ));
            };
            if starts[s] < now {
                out.pinned.push((s, v));
            } else if absent
                .get(vid)
                .is_some_and(|ps| meets(ps, starts[s], ends[s]))
            {
                out.forced_pairs.push((sid.clone(), vid.clone()));
            } else {
                out.remaining.push((s, v));
                *out.per_shift.entry(s).or_default() += 1;
            }
        }
    }
    Ok(out)
}

/// `(baseline, excess)`: previous pairs that would count as changes if none
/// were kept (`Σ_s |R_s| − excess_s`), and the forced excess over lowered
/// `max` values.
fn baseline(
    sc: &Scenario,
    per_shift: &BTreeMap<usize, usize>,
    excess_cap: &HashMap<String, i64>,
) -> (usize, usize) {
    let (mut baseline, mut forced) = (0, 0);
    for (&s, &r) in per_shift {
        let excess = match excess_cap.get(&sc.shifts[s].id) {
            Some(&max) => r.saturating_sub(max.max(0) as usize),
            None => 0,
        };
        forced += excess;
        baseline += r - excess;
    }
    (baseline, forced)
}
