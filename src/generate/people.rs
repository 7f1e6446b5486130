//! Volunteers: university groups, then each volunteer's home hub,
//! availability, skills, languages, venue and role preferences,
//! accreditations, rule overrides and commitments.

use super::model::{
    pick_weighted, DayKind, Pattern, VenueModel, VolModel, LS, MD, RARE_LANGUAGES, ROLES,
    SHORT_MINUTES, SS, TR, UNIVERSITIES,
};
use super::model::{ES, LG, PO, RS};
use super::sites::Map;
use super::{workable_days, Calendar};
use crate::scenario::{Prefers, Rules, Volunteer};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// A university group: members mostly share its hub, pattern and venue.
struct Group {
    id: String,
    hub: usize,
    pattern: Pattern,
    venue: Option<u32>,
}

/// The generated volunteers and the generator's model of each.
pub(super) struct People {
    pub(super) volunteers: Vec<Volunteer>,
    pub(super) models: Vec<VolModel>,
    pub(super) groups: usize,
}

/// `n` volunteers, about half of them in university groups of 10–40.
pub(super) fn build(rng: &mut ChaCha8Rng, cal: &Calendar, map: &Map, n: usize) -> People {
    let (groups, group_of) = form_groups(rng, cal, map, n);
    let width = n.to_string().len().max(6);
    let mut volunteers: Vec<Volunteer> = Vec::with_capacity(n);
    let mut models: Vec<VolModel> = Vec::with_capacity(n);
    for (i, &gid) in group_of.iter().enumerate() {
        let group = gid.map(|g| &groups[g as usize]);
        let id = format!("V{:0width$}", i + 1);
        let (volunteer, model) = volunteer(rng, cal, map, group, id);
        volunteers.push(volunteer);
        models.push(model);
    }
    People {
        volunteers,
        models,
        groups: groups.len(),
    }
}

/// The groups, and per volunteer the index of their group, if any.
fn form_groups(
    rng: &mut ChaCha8Rng,
    cal: &Calendar,
    map: &Map,
    n: usize,
) -> (Vec<Group>, Vec<Option<u32>>) {
    let mut groups: Vec<Group> = Vec::new();
    let mut uni_count = [0usize; UNIVERSITIES.len()];
    let mut group_of: Vec<Option<u32>> = Vec::with_capacity(n);
    while group_of.len() < n {
        if !rng.gen_bool(1.0 / 26.0) {
            group_of.push(None);
            continue;
        }
        let size = rng.gen_range(10..=40).min(n - group_of.len());
        let hub = pick_weighted(rng, &map.hub_weight).unwrap_or(0);
        let uni = hub % UNIVERSITIES.len();
        uni_count[uni] += 1;
        let pattern = pick_pattern(rng);
        let mut days = Vec::new();
        for (a, b) in windows_of(rng, cal, pattern) {
            days.extend(a..=b);
        }
        let w: Vec<f64> = map.hub_near[hub]
            .iter()
            .map(|&(v, w)| w * overlap(&map.venues, v, &days) as f64)
            .collect();
        let venue = pick_weighted(rng, &w).map(|i| map.hub_near[hub][i].0);
        let gi = groups.len() as u32;
        groups.push(Group {
            id: format!("{}-{:02}", UNIVERSITIES[uni], uni_count[uni]),
            hub,
            pattern,
            venue,
        });
        group_of.extend(std::iter::repeat_n(Some(gi), size));
    }
    (groups, group_of)
}

fn pick_pattern(rng: &mut ChaCha8Rng) -> Pattern {
    let x = rng.gen::<f64>();
    if x < 0.4 {
        Pattern::Whole
    } else if x < 0.6 {
        Pattern::FirstHalf
    } else if x < 0.8 {
        Pattern::SecondHalf
    } else if x < 0.9 {
        Pattern::Weekends
    } else {
        Pattern::TwoWindows
    }
}

/// The day windows `(first, last)` of an availability pattern; never empty.
fn windows_of(rng: &mut ChaCha8Rng, cal: &Calendar, p: Pattern) -> Vec<(u32, u32)> {
    let n_days = cal.n_days;
    let last = n_days - 1;
    let half = n_days / 2;
    let w = match p {
        Pattern::Whole => vec![(0, last)],
        Pattern::FirstHalf => vec![(0, half.max(1).min(last))],
        Pattern::SecondHalf => vec![(half.min(last), last)],
        Pattern::Weekends => {
            let mut out: Vec<(u32, u32)> = Vec::new();
            for d in 0..n_days {
                if cal.weekend[d as usize] {
                    match out.last_mut() {
                        Some(w) if w.1 + 1 == d => w.1 = d,
                        _ => out.push((d, d)),
                    }
                }
            }
            out
        }
        Pattern::TwoWindows if n_days >= 5 => {
            let a = rng.gen_range(1..n_days - 3);
            let b = rng.gen_range(a + 2..n_days);
            vec![(0, a), (b, last)]
        }
        Pattern::TwoWindows => vec![(0, last)],
    };
    if w.is_empty() {
        vec![(0, last)]
    } else {
        w
    }
}

/// How many of `days` venue `venue` is open.
fn overlap(venues: &[VenueModel], venue: u32, days: &[u32]) -> usize {
    let vd = &venues[venue as usize].days;
    days.iter()
        .filter(|&&d| vd[d as usize] != DayKind::Off)
        .count()
}

/// Where a volunteer lives and when they are free.
struct Home {
    hub: usize,
    windows: Vec<(u32, u32)>,
    days: Vec<u32>,
}

/// Skills drawn for one volunteer.
struct Skills {
    driving: bool,
    first_aid: bool,
    names: Vec<String>,
}

/// Rule overrides and commitments of one volunteer.
struct Limits {
    max_minutes: Option<i64>,
    max_consec: Option<i64>,
    min_rest: Option<i64>,
    consec: u32,
    min_shifts: u32,
    max_shifts: u32,
}

/// One volunteer, drawn in a fixed order, and the generator's model of them.
fn volunteer(
    rng: &mut ChaCha8Rng,
    cal: &Calendar,
    map: &Map,
    group: Option<&Group>,
    id: String,
) -> (Volunteer, VolModel) {
    let home = draw_home(rng, cal, map, group);
    let mut skills = draw_skills(rng);
    let languages = draw_languages(rng);
    let near = &map.hub_near[home.hub];
    let near_w: Vec<f64> = near
        .iter()
        .map(|&(v, w)| w * overlap(&map.venues, v, &home.days) as f64)
        .collect();
    let group_venue = group.and_then(|g| g.venue);
    let pref_venues = venue_preferences(rng, near, &near_w, group_venue);
    let acc = accreditations(rng, map, &home, &near_w, group_venue, &pref_venues);
    for &v in &acc {
        skills
            .names
            .push(format!("accreditation:{}", map.venues[v as usize].id));
    }
    let pref_roles = role_preferences(rng, &skills, languages.len());
    let limits = draw_limits(rng, &home.days);
    let model = VolModel {
        days: home.days,
        venues: acc,
        mask: cell_mask(&skills, &limits),
        max_consecutive: limits.consec,
        max_shifts: limits.max_shifts,
    };
    let volunteer = Volunteer {
        id,
        home: Some(map.sites[map.venues.len() + home.hub].id.clone()),
        skills: skills.names,
        languages,
        available: Some(availability(cal, &home.windows)),
        min_shifts: Some(limits.min_shifts as i64),
        max_shifts: Some(limits.max_shifts as i64),
        min_rest_minutes: limits.min_rest,
        max_minutes_per_day: limits.max_minutes,
        max_consecutive_days: limits.max_consec,
        prefers: if pref_venues.is_empty() && pref_roles.is_empty() {
            None
        } else {
            Some(Prefers {
                venues: pref_venues
                    .iter()
                    .map(|&v| map.venues[v as usize].id.clone())
                    .collect(),
                roles: pref_roles,
            })
        },
        group: group.map(|g| g.id.clone()),
        ..Volunteer::default()
    };
    (volunteer, model)
}

/// Home hub and availability: mostly the group's, otherwise drawn.
fn draw_home(rng: &mut ChaCha8Rng, cal: &Calendar, map: &Map, group: Option<&Group>) -> Home {
    let hub = match group {
        Some(g) if rng.gen_bool(0.9) => g.hub,
        _ => pick_weighted(rng, &map.hub_weight).unwrap_or(0),
    };
    let pattern = match group {
        Some(g) if rng.gen_bool(0.8) => g.pattern,
        _ => pick_pattern(rng),
    };
    let windows = windows_of(rng, cal, pattern);
    let mut days: Vec<u32> = Vec::new();
    for &(a, b) in &windows {
        days.extend(a..=b);
    }
    Home { hub, windows, days }
}

fn draw_skills(rng: &mut ChaCha8Rng) -> Skills {
    let driving = rng.gen_bool(0.25);
    let first_aid = rng.gen_bool(0.15);
    let mut names: Vec<String> = Vec::new();
    if driving {
        names.push("driving".into());
    }
    if first_aid {
        names.push("first_aid".into());
    }
    if rng.gen_bool(0.08) {
        names.push("it_support".into());
    }
    if rng.gen_bool(0.02) {
        names.push("sign_language".into());
    }
    Skills {
        driving,
        first_aid,
        names,
    }
}

/// A native language (mostly Chinese), usually English, sometimes a rare one.
fn draw_languages(rng: &mut ChaCha8Rng) -> BTreeMap<String, i64> {
    let mut languages: BTreeMap<String, i64> = BTreeMap::new();
    let x = rng.gen::<f64>();
    let native = if x < 0.85 {
        "zh"
    } else if x < 0.9 {
        "en"
    } else {
        RARE_LANGUAGES[rng.gen_range(0..RARE_LANGUAGES.len())]
    };
    languages.insert(native.into(), 5);
    if native != "en" && rng.gen_bool(0.85) {
        let y = rng.gen::<f64>();
        let level = if y < 0.35 {
            2
        } else if y < 0.75 {
            3
        } else {
            4
        };
        languages.insert("en".into(), level);
    }
    if rng.gen_bool(0.2) {
        let l = RARE_LANGUAGES[rng.gen_range(0..RARE_LANGUAGES.len())];
        languages.entry(l.into()).or_insert(rng.gen_range(2..=4));
    }
    languages
}

/// Preferred venues: the group's, and often one or two near home.
fn venue_preferences(
    rng: &mut ChaCha8Rng,
    near: &[(u32, f64)],
    near_w: &[f64],
    group_venue: Option<u32>,
) -> Vec<u32> {
    let mut pref_venues: Vec<u32> = Vec::new();
    if let Some(v) = group_venue {
        pref_venues.push(v);
    }
    if rng.gen_bool(0.7) {
        for _ in 0..rng.gen_range(1..=2) {
            if let Some(k) = pick_weighted(rng, near_w) {
                if !pref_venues.contains(&near[k].0) {
                    pref_venues.push(near[k].0);
                }
            }
        }
    }
    pref_venues
}

/// 1–3 accredited venues open on the volunteer's days: the group's venue,
/// preferred venues, then others near home; the nearest venue if none.
fn accreditations(
    rng: &mut ChaCha8Rng,
    map: &Map,
    home: &Home,
    near_w: &[f64],
    group_venue: Option<u32>,
    pref_venues: &[u32],
) -> Vec<u32> {
    let near = &map.hub_near[home.hub];
    let open = |v: u32| overlap(&map.venues, v, &home.days) > 0;
    let y = rng.gen::<f64>();
    let n_acc = if y < 0.5 {
        1
    } else if y < 0.85 {
        2
    } else {
        3
    };
    let mut acc: Vec<u32> = Vec::with_capacity(3);
    if let Some(v) = group_venue {
        if rng.gen_bool(0.9) && open(v) {
            acc.push(v);
        }
    }
    let mut tries = 0;
    while acc.len() < n_acc && tries < 8 {
        tries += 1;
        let from_pref = pref_venues
            .iter()
            .copied()
            .find(|v| !acc.contains(v) && open(*v));
        let pick = match from_pref {
            Some(v) if rng.gen_bool(0.75) => Some(v),
            _ => {
                let w: Vec<f64> = near
                    .iter()
                    .zip(near_w)
                    .map(|(&(v, _), &w)| if acc.contains(&v) { 0.0 } else { w })
                    .collect();
                pick_weighted(rng, &w).map(|k| near[k].0)
            }
        };
        match pick {
            Some(v) if !acc.contains(&v) => acc.push(v),
            Some(_) => {}
            None => break,
        }
    }
    if acc.is_empty() {
        // Nothing nearby is open on their days: the nearest venue.
        acc.push(near.first().map_or(0, |n| n.0));
    }
    acc
}

/// Often one or two preferred roles, leaning to what the volunteer can do.
fn role_preferences(rng: &mut ChaCha8Rng, skills: &Skills, n_languages: usize) -> Vec<String> {
    let mut pref_roles: Vec<String> = Vec::new();
    if rng.gen_bool(0.6) {
        for _ in 0..rng.gen_range(1..=2) {
            let role = if skills.driving && rng.gen_bool(0.5) {
                TR
            } else if skills.first_aid && rng.gen_bool(0.4) {
                MD
            } else if n_languages >= 3 && rng.gen_bool(0.4) {
                LS
            } else {
                [SS, ES, LS, RS, LG, PO][rng.gen_range(0..6)]
            };
            let name = ROLES[role as usize].0.to_string();
            if !pref_roles.contains(&name) {
                pref_roles.push(name);
            }
        }
    }
    pref_roles
}

/// Rare rule overrides, then commitments that fit the available `days`.
fn draw_limits(rng: &mut ChaCha8Rng, days: &[u32]) -> Limits {
    let z = rng.gen::<f64>();
    let (mut max_minutes, mut max_consec, mut min_rest) = (None, None, None);
    if z < 0.01 {
        max_minutes = Some(SHORT_MINUTES);
    } else if z < 0.02 {
        max_consec = Some(4);
    } else if z < 0.025 {
        min_rest = Some(600);
    }
    let consec = max_consec.unwrap_or(Rules::default().max_consecutive_days) as u32;
    let workable = workable_days(days, consec, u32::MAX).max(1);
    let mut min_shifts = rng.gen_range(4..=10u32).min(workable);
    if max_minutes.is_some() {
        min_shifts = min_shifts.min(2);
    }
    let max_shifts = (min_shifts + rng.gen_range(0..=6)).max(1);
    Limits {
        max_minutes,
        max_consec,
        min_rest,
        consec,
        min_shifts,
        max_shifts,
    }
}

/// The cell-mask bits (skill classes × durations) the volunteer can use.
fn cell_mask(skills: &Skills, limits: &Limits) -> u8 {
    let mut mask = 1u8 << 1; // class 0, short
    if limits.max_minutes.is_none() {
        mask |= 1;
    }
    for (class, has) in [(1u8, skills.driving), (2u8, skills.first_aid)] {
        if has {
            mask |= (mask & 3) << (class * 2);
        }
    }
    mask
}

/// Availability windows as times: from midnight of the first day to 06:00
/// after the last (night shifts end then).
fn availability(cal: &Calendar, windows: &[(u32, u32)]) -> Vec<(String, String)> {
    windows
        .iter()
        .map(|&(a, b)| {
            (
                format!("{}T00:00", cal.day_text[a as usize]),
                format!("{}T06:00", cal.day_text[b as usize + 1]),
            )
        })
        .collect()
}
