//! Realistic last-minute changes for tests and benchmarks (`vroster
//! generate-changes`): dropouts clustered by day and by university group
//! (sometimes a whole group), some returning (`until`), a few demand
//! updates, a new shift, a new volunteer, and sometimes a cancelled venue
//! day. Deterministic for the seed.

use crate::repair::RepairError;
use crate::scenario::{Changes, Dropout, Roster, Scenario, Shift, ShiftUpdate, Volunteer};
use crate::time::{format_time, parse_time};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, BTreeSet};

/// Changes at `now` hitting about `dropout_rate` of the volunteers working
/// in `roster`. Deterministic for the seed.
pub fn generate_changes(
    scenario: &Scenario,
    roster: &Roster,
    now: &str,
    dropout_rate: f64,
    seed: u64,
) -> Result<Changes, RepairError> {
    let now_m = parse_time(now).map_err(|e| RepairError::Input {
        path: "now".into(),
        message: e.to_string(),
    })?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let vols = working_volunteers(scenario, roster);
    let chosen = choose_dropouts(&vols, dropout_rate, &mut rng);
    let dropouts = dropout_times(&chosen, now_m, &mut rng);
    let future: Vec<&Shift> = scenario
        .shifts
        .iter()
        .filter(|s| parse_time(&s.start).is_ok_and(|t| t >= now_m))
        .collect();
    let mut shift_updates = Vec::new();
    let mut new_shifts = Vec::new();
    let mut cancelled_shifts = Vec::new();
    if !future.is_empty() {
        shift_updates = demand_updates(scenario, &future, &mut rng);
        new_shifts.extend(extra_shift(scenario, &future, &mut rng));
        if rng.gen_bool(0.3) {
            cancelled_shifts = cancelled_venue_day(&future, &shift_updates, &mut rng);
        }
    }
    new_shifts.retain(|n| !cancelled_shifts.contains(&n.id));
    Ok(Changes {
        format: crate::scenario::CHANGES_FORMAT.into(),
        now: now.to_string(),
        dropouts,
        new_volunteers: new_volunteer(scenario, &vols).into_iter().collect(),
        cancelled_shifts,
        shift_updates,
        new_shifts,
    })
}

/// Volunteers with at least one shift in `roster`, in file order.
fn working_volunteers<'a>(scenario: &'a Scenario, roster: &Roster) -> Vec<&'a Volunteer> {
    let mut working: BTreeSet<&str> = BTreeSet::new();
    for vids in roster.assignments.values() {
        working.extend(vids.iter().map(|v| v.as_str()));
    }
    scenario
        .volunteers
        .iter()
        .filter(|v| working.contains(v.id.as_str()))
        .collect()
}

/// Who drops out: about a fifth as a whole group (a bus that did not
/// come), the rest at random.
fn choose_dropouts<'a>(
    vols: &[&'a Volunteer],
    dropout_rate: f64,
    rng: &mut ChaCha8Rng,
) -> BTreeSet<&'a str> {
    let target = ((vols.len() as f64) * dropout_rate.clamp(0.0, 1.0)).round() as usize;
    let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for v in vols {
        if let Some(g) = &v.group {
            groups.entry(g.as_str()).or_default().push(v.id.as_str());
        }
    }
    let mut chosen: BTreeSet<&str> = BTreeSet::new();
    if target >= 10 && !groups.is_empty() && rng.gen_bool(0.7) {
        let keys: Vec<&&str> = groups.keys().collect();
        let g = keys[rng.gen_range(0..keys.len())];
        for v in groups[*g].iter().take(target / 5 + 1) {
            chosen.insert(v);
        }
    }
    let mut guard = 0;
    while chosen.len() < target && guard < 100 * target + 100 {
        guard += 1;
        chosen.insert(vols[rng.gen_range(0..vols.len())].id.as_str());
    }
    chosen
}

/// Dropout periods: they cluster on the day of `now` and the next one, and
/// about a third come back after one to three days.
fn dropout_times(chosen: &BTreeSet<&str>, now_m: i64, rng: &mut ChaCha8Rng) -> Vec<Dropout> {
    let day = crate::time::day_of(now_m);
    chosen
        .iter()
        .map(|v| {
            let offset = if rng.gen_bool(0.7) {
                rng.gen_range(0..12 * 60)
            } else {
                1440 + rng.gen_range(0..1440)
            };
            let from = (now_m.max(day * 1440) + offset).max(now_m);
            let until = rng
                .gen_bool(0.3)
                .then(|| format_time(from + rng.gen_range(1..4) * 1440));
            Dropout {
                volunteer: v.to_string(),
                from: format_time(from),
                until,
            }
        })
        .collect()
}

/// About one future shift in 200 gets its demand raised or lowered by one
/// (never below the volunteers pinned to it, rule 8).
fn demand_updates(
    scenario: &Scenario,
    future: &[&Shift],
    rng: &mut ChaCha8Rng,
) -> Vec<ShiftUpdate> {
    let mut updates: Vec<ShiftUpdate> = Vec::new();
    for _ in 0..(future.len() / 200 + 1) {
        let s = future[rng.gen_range(0..future.len())];
        let up = rng.gen_bool(0.5);
        let pins = scenario
            .volunteers
            .iter()
            .filter(|v| v.pinned.contains(&s.id))
            .count() as i64;
        let (min, max) = if up {
            (s.min + 1, s.max + 1)
        } else {
            let min = (s.min - 1).max(0);
            (min, (s.max - 1).max(min).max(pins.min(s.max)))
        };
        if !updates.iter().any(|u| u.shift == s.id) {
            updates.push(ShiftUpdate {
                shift: s.id.clone(),
                min: Some(min),
                max: Some(max),
            });
        }
    }
    updates
}

/// A new shift copied from a future one (`<id>-EXTRA`, a quarter of its demand).
fn extra_shift(scenario: &Scenario, future: &[&Shift], rng: &mut ChaCha8Rng) -> Option<Shift> {
    let s = future[rng.gen_range(0..future.len())];
    let mut extra = s.clone();
    extra.id = format!("{}-EXTRA", s.id);
    extra.min = (s.min / 4).max(1);
    extra.max = extra.min + 1;
    (!scenario.shifts.iter().any(|x| x.id == extra.id)).then_some(extra)
}

/// A cancelled venue day: every future shift of one venue on one day that
/// has no demand update.
fn cancelled_venue_day(
    future: &[&Shift],
    updates: &[ShiftUpdate],
    rng: &mut ChaCha8Rng,
) -> Vec<String> {
    let s = future[rng.gen_range(0..future.len())];
    let day = &s.start[..10];
    future
        .iter()
        .filter(|x| {
            x.venue == s.venue && &x.start[..10] == day && !updates.iter().any(|u| u.shift == x.id)
        })
        .map(|x| x.id.clone())
        .collect()
}

/// A new volunteer copied from the first working one (`<id>-NEW`, no
/// group, pins or exclusions).
fn new_volunteer(scenario: &Scenario, vols: &[&Volunteer]) -> Option<Volunteer> {
    let v = vols.first()?;
    let mut nv = (*v).clone();
    nv.id = format!("{}-NEW", v.id);
    nv.group = None;
    nv.pinned.clear();
    nv.excluded.clear();
    (!scenario.volunteers.iter().any(|x| x.id == nv.id)).then_some(nv)
}
