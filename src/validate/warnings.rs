//! Whole-scenario warnings, run only on a scenario without errors: skills
//! and languages nobody has, venues no home can reach, and shifts nobody is
//! eligible for.
//!
//! The eligibility check does not compile the problem (at city scale the
//! eligible pairs run into the tens of millions). It groups shifts by their
//! set of required skills, takes the volunteers holding that set (from the
//! holders of its rarest skill), and answers "does some window contain
//! `[start, end]`?" as a dominance query: windows sorted by start, with a
//! running maximum of their ends. Reachability is "same connected component
//! of the link graph", which is what a finite shortest path means.

use super::{codes, Sink, ELIGIBILITY_BUDGET};
use crate::scenario::Scenario;
use crate::time::{parse_time, Minute};
use std::collections::{HashMap, HashSet};

/// All whole-scenario warnings.
pub(crate) fn scenario_warnings(sc: &Scenario, sink: &mut Sink) {
    skills_and_languages(sc, sink);
    let components = components(sc);
    venue_reachability(sc, components.as_ref(), sink);
    eligibility(sc, components.as_ref(), sink);
}

/// Keys in first-seen order with a count and the first path.
struct Tally<K> {
    order: Vec<(K, usize, String)>,
    index: HashMap<K, usize>,
}

impl<K: std::hash::Hash + Eq + Clone> Tally<K> {
    fn new() -> Self {
        Tally {
            order: Vec::new(),
            index: HashMap::new(),
        }
    }
    fn add(&mut self, key: K, path: impl FnOnce() -> String) {
        match self.index.get(&key) {
            Some(&i) => self.order[i].1 += 1,
            None => {
                self.index.insert(key.clone(), self.order.len());
                self.order.push((key, 1, path()));
            }
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn skills_and_languages(sc: &Scenario, sink: &mut Sink) {
    let mut held: HashSet<&str> = HashSet::new();
    let mut best: HashMap<&str, i64> = HashMap::new();
    for v in &sc.volunteers {
        held.extend(v.skills.iter().map(String::as_str));
        for (lang, &level) in &v.languages {
            let b = best.entry(lang.as_str()).or_insert(level);
            *b = (*b).max(level);
        }
    }
    // (is a quota, skill)
    let mut skills: Tally<(bool, &str)> = Tally::new();
    let mut langs: Tally<(&str, i64)> = Tally::new();
    for (i, sh) in sc.shifts.iter().enumerate() {
        for (k, r) in sh.requires.iter().enumerate() {
            if !held.contains(r.as_str()) {
                skills.add((false, r.as_str()), || format!("shifts[{i}].requires[{k}]"));
            }
        }
        for (q, quota) in sh.quotas.iter().enumerate() {
            if let Some(s) = &quota.skill {
                if !held.contains(s.as_str()) {
                    skills.add((true, s.as_str()), || {
                        format!("shifts[{i}].quotas[{q}].skill")
                    });
                }
            } else if let Some(l) = &quota.language {
                let level = quota.level_or_default();
                if best.get(l.as_str()).is_none_or(|&b| b < level) {
                    langs.add((l.as_str(), level), || {
                        format!("shifts[{i}].quotas[{q}].language")
                    });
                }
            }
        }
    }
    for ((quota, skill), n, path) in skills.order {
        sink.warn_with(codes::SKILL_UNHELD, || {
            if quota {
                (
                    path,
                    format!(
                        "no volunteer holds skill '{skill}', asked for by quotas of {}",
                        plural(n, "shift")
                    ),
                    "these quotas can never be met; check the skill's spelling".into(),
                )
            } else {
                (
                    path,
                    format!(
                        "no volunteer holds skill '{skill}', required by {}",
                        plural(n, "shift")
                    ),
                    "nobody is eligible for these shifts; check the skill's spelling or add holders".into(),
                )
            }
        });
    }
    for ((lang, level), n, path) in langs.order {
        sink.warn_with(codes::LANGUAGE_UNSPOKEN, || {
            let have = match best.get(lang) {
                Some(b) => format!("the best level is {b}"),
                None => "nobody speaks it".into(),
            };
            (
                path,
                format!(
                    "no volunteer speaks '{lang}' at level {level} or above ({have}), asked for by quotas of {}",
                    plural(n, "shift")
                ),
                "these quotas can never be met; lower the level or check the language code".into(),
            )
        });
    }
}

/// Connected component of each site over the links, or `None` without
/// links (then travel is 0 everywhere and everything is reachable).
fn components(sc: &Scenario) -> Option<HashMap<&str, u32>> {
    if sc.links.is_empty() {
        return None;
    }
    let index: HashMap<&str, usize> = sc
        .sites
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut parent: Vec<usize> = (0..sc.sites.len()).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for l in &sc.links {
        if let (Some(&a), Some(&b)) = (index.get(l.from.as_str()), index.get(l.to.as_str())) {
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            if ra != rb {
                parent[ra] = rb;
            }
        }
    }
    Some(
        index
            .iter()
            .map(|(&id, &i)| (id, find(&mut parent, i) as u32))
            .collect(),
    )
}

fn venue_reachability(sc: &Scenario, comps: Option<&HashMap<&str, u32>>, sink: &mut Sink) {
    let Some(comps) = comps else { return };
    let homes: HashSet<u32> = sc
        .volunteers
        .iter()
        .filter_map(|v| v.home.as_deref().and_then(|h| comps.get(h).copied()))
        .collect();
    if homes.is_empty() {
        return;
    }
    let mut venues: Tally<&str> = Tally::new();
    for (i, sh) in sc.shifts.iter().enumerate() {
        let reachable = comps
            .get(sh.venue.as_str())
            .is_some_and(|c| homes.contains(c));
        if !reachable {
            venues.add(sh.venue.as_str(), || format!("shifts[{i}].venue"));
        }
    }
    for (venue, n, path) in venues.order {
        sink.warn_with(codes::VENUE_UNREACHABLE, || {
            (
                path,
                format!(
                    "venue '{venue}' ({}) cannot be reached from any volunteer's home over the links",
                    plural(n, "shift")
                ),
                "only volunteers without a home can work there; add a link to the rest of the network".into(),
            )
        });
    }
}

/// Windows sorted by start with the running maximum of their ends.
struct Dominance {
    starts: Vec<Minute>,
    max_end: Vec<Minute>,
}

impl Dominance {
    fn new(mut windows: Vec<(Minute, Minute)>) -> Self {
        windows.sort_unstable();
        let mut running = Minute::MIN;
        let max_end = windows
            .iter()
            .map(|w| {
                running = running.max(w.1);
                running
            })
            .collect();
        Dominance {
            starts: windows.into_iter().map(|w| w.0).collect(),
            max_end,
        }
    }

    /// Whether some window `[ws, we]` has `ws <= start` and `end <= we`.
    fn covers(&self, start: Minute, end: Minute) -> bool {
        let k = self.starts.partition_point(|&ws| ws <= start);
        k > 0 && self.max_end[k - 1] >= end
    }
}

enum Why {
    Skills,
    Availability,
    Travel,
}

/// Component marker for "reaches every venue" (no home, or no links).
const ANYWHERE: u32 = u32::MAX;

fn eligibility(sc: &Scenario, comps: Option<&HashMap<&str, u32>>, sink: &mut Sink) {
    let windows = VolunteerWindows::new(sc, comps);
    let sets = SkillSets::new(sc);
    if sets.work(windows.windows.len()) > ELIGIBILITY_BUDGET {
        return;
    }
    let mut why: Vec<Option<Why>> = (0..sc.shifts.len()).map(|_| None).collect();
    for (key, shifts) in &sets.groups {
        let candidates = sets.candidates(sc, key);
        if candidates.is_empty() {
            for &s in shifts {
                why[s] = Some(Why::Skills);
            }
            continue;
        }
        judge_group(sc, comps, &windows, &candidates, shifts, &mut why);
    }
    warn_ineligible(sc, why, sink);
}

/// Volunteers' availability windows (CSR) and link-graph components.
struct VolunteerWindows {
    /// `windows[start[v]..start[v + 1]]` are volunteer `v`'s.
    start: Vec<usize>,
    windows: Vec<(Minute, Minute)>,
    comp: Vec<u32>,
}

impl VolunteerWindows {
    fn new(sc: &Scenario, comps: Option<&HashMap<&str, u32>>) -> Self {
        let mut start = Vec::with_capacity(sc.volunteers.len() + 1);
        let mut windows: Vec<(Minute, Minute)> = Vec::with_capacity(sc.volunteers.len());
        let mut comp = Vec::with_capacity(sc.volunteers.len());
        start.push(0);
        for v in &sc.volunteers {
            match &v.available {
                None => windows.push((Minute::MIN, Minute::MAX)),
                Some(ws) => windows.extend(
                    ws.iter()
                        .filter_map(|(a, b)| Some((parse_time(a).ok()?, parse_time(b).ok()?))),
                ),
            }
            start.push(windows.len());
            let c = match (comps, v.home.as_deref()) {
                (Some(c), Some(h)) => c.get(h).copied().unwrap_or(ANYWHERE),
                _ => ANYWHERE,
            };
            comp.push(c);
        }
        VolunteerWindows {
            start,
            windows,
            comp,
        }
    }

    fn of(&self, v: u32) -> &[(Minute, Minute)] {
        &self.windows[self.start[v as usize]..self.start[v as usize + 1]]
    }
}

/// Shifts grouped by their (sorted, distinct) required-skill set, and the
/// holders of each required skill.
struct SkillSets<'a> {
    groups: HashMap<Vec<&'a str>, Vec<usize>>,
    holders: HashMap<&'a str, Vec<u32>>,
}

impl<'a> SkillSets<'a> {
    fn new(sc: &'a Scenario) -> Self {
        let mut groups: HashMap<Vec<&str>, Vec<usize>> = HashMap::new();
        let mut required: HashSet<&str> = HashSet::new();
        for (i, sh) in sc.shifts.iter().enumerate() {
            let mut key: Vec<&str> = sh.requires.iter().map(String::as_str).collect();
            key.sort_unstable();
            key.dedup();
            required.extend(key.iter().copied());
            groups.entry(key).or_default().push(i);
        }
        let mut holders: HashMap<&str, Vec<u32>> = HashMap::new();
        for (vi, v) in sc.volunteers.iter().enumerate() {
            for s in &v.skills {
                if required.contains(s.as_str()) {
                    let list = holders.entry(s.as_str()).or_default();
                    if list.last() != Some(&(vi as u32)) {
                        list.push(vi as u32);
                    }
                }
            }
        }
        SkillSets { groups, holders }
    }

    /// Holders of the rarest skill of `key`; `None` when one has no holder.
    fn anchor(&self, key: &[&str]) -> Option<&Vec<u32>> {
        key.iter()
            .map(|s| self.holders.get(*s))
            .min_by_key(|h| h.map_or(0, |l| l.len()))
            .flatten()
    }

    /// Windows or holders the check would visit, given `n_windows` windows.
    fn work(&self, n_windows: usize) -> usize {
        self.groups
            .keys()
            .map(|key| match key.is_empty() {
                true => n_windows,
                false => self.anchor(key).map_or(0, Vec::len),
            })
            .sum()
    }

    /// Volunteers holding every skill of `key`.
    fn candidates(&self, sc: &Scenario, key: &[&str]) -> Vec<u32> {
        if key.is_empty() {
            return (0..sc.volunteers.len() as u32).collect();
        }
        match self.anchor(key) {
            None => Vec::new(),
            Some(list) => list
                .iter()
                .copied()
                .filter(|&v| {
                    let skills = &sc.volunteers[v as usize].skills;
                    key.iter().all(|k| skills.iter().any(|s| s == k))
                })
                .collect(),
        }
    }
}

/// For the `shifts` of one skill set with their `candidates`: whether some
/// candidate is available for the whole shift, and lives where the venue
/// can be reached.
fn judge_group(
    sc: &Scenario,
    comps: Option<&HashMap<&str, u32>>,
    windows: &VolunteerWindows,
    candidates: &[u32],
    shifts: &[usize],
    why: &mut [Option<Why>],
) {
    let mut every: Vec<(Minute, Minute)> = Vec::new();
    let mut by_comp: HashMap<u32, Vec<(Minute, Minute)>> = HashMap::new();
    for &v in candidates {
        let ws = windows.of(v);
        every.extend_from_slice(ws);
        if comps.is_some() {
            by_comp
                .entry(windows.comp[v as usize])
                .or_default()
                .extend_from_slice(ws);
        }
    }
    let every = Dominance::new(every);
    let by_comp: HashMap<u32, Dominance> = by_comp
        .into_iter()
        .map(|(c, w)| (c, Dominance::new(w)))
        .collect();
    for &s in shifts {
        let sh = &sc.shifts[s];
        let (Ok(start), Ok(end)) = (parse_time(&sh.start), parse_time(&sh.end)) else {
            continue;
        };
        if !every.covers(start, end) {
            why[s] = Some(Why::Availability);
            continue;
        }
        if let Some(c) = comps {
            let venue = c.get(sh.venue.as_str()).copied().unwrap_or(ANYWHERE);
            let reach = |comp: u32| by_comp.get(&comp).is_some_and(|d| d.covers(start, end));
            if !reach(ANYWHERE) && (venue == ANYWHERE || !reach(venue)) {
                why[s] = Some(Why::Travel);
            }
        }
    }
}

/// One warning per shift nobody is eligible for, in shift order.
fn warn_ineligible(sc: &Scenario, why: Vec<Option<Why>>, sink: &mut Sink) {
    for (s, reason) in why.into_iter().enumerate() {
        let Some(reason) = reason else { continue };
        sink.warn_with(codes::NOBODY_ELIGIBLE, || {
            let sh = &sc.shifts[s];
            let detail = match reason {
                Why::Skills => format!("nobody holds all its required skills ({})", sh.requires.join(", ")),
                Why::Availability => format!(
                    "nobody with the required skills is available from {} to {}",
                    sh.start, sh.end
                ),
                Why::Travel => format!(
                    "everyone with the skills and the time lives where venue '{}' cannot be reached",
                    sh.venue
                ),
            };
            (
                format!("shifts[{s}]"),
                format!("no volunteer is eligible for shift '{}': {detail}", sh.id),
                "it will stay uncovered; check requires, availability windows and links".into(),
            )
        });
    }
}
