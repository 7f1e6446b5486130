//! Stage 3: the meaning of a typed scenario, element by element. The element
//! checks (`check_shift`, `check_volunteer`, `check_ids`) are shared with the
//! changes file, whose new shifts and volunteers obey the same rules.

use super::{codes, Sink};
use crate::scenario::{Rules, Scenario, Shift, Volunteer, SCENARIO_FORMAT};
use crate::time::{format_time, parse_time, Minute};
use std::collections::{HashMap, HashSet};

/// Largest whole number accepted for counts, minutes and limits (what
/// `Problem::compile` accepts).
pub const MAX_WHOLE: i64 = u32::MAX as i64 / 2;

/// Most quotas one shift may carry.
const MAX_QUOTAS: usize = crate::problem::MAX_QUOTAS_PER_SHIFT;

/// Where each typed element came from in the file: after a shape error the
/// typed lists skip the bad elements, but paths must name the original
/// positions.
#[derive(Default, Debug)]
pub(crate) struct Origins {
    pub sites: Vec<usize>,
    pub links: Vec<usize>,
    pub shifts: Vec<usize>,
    pub volunteers: Vec<usize>,
    /// Ids of site elements that failed their shape check: references to
    /// them are not reported as unknown as well.
    pub failed_site_ids: Vec<String>,
}

impl Origins {
    pub(crate) fn identity(sc: &Scenario) -> Origins {
        Origins {
            sites: (0..sc.sites.len()).collect(),
            links: (0..sc.links.len()).collect(),
            shifts: (0..sc.shifts.len()).collect(),
            volunteers: (0..sc.volunteers.len()).collect(),
            failed_site_ids: Vec::new(),
        }
    }
}

/// The file position of typed element `i`.
pub(crate) fn at(index: &[usize], i: usize) -> usize {
    index.get(i).copied().unwrap_or(i)
}

const TIME_HINT: &str =
    "write times as YYYY-MM-DDTHH:MM, e.g. 2022-02-04T07:00 (zero-padded, no seconds, no zone)";

/// Parses a time, reporting `E-TIME` at `path`.
pub(crate) fn time(sink: &mut Sink, text: &str, path: impl FnOnce() -> String) -> Option<Minute> {
    match parse_time(text) {
        Ok(t) => Some(t),
        Err(e) => {
            sink.error(codes::TIME, path(), e.to_string(), TIME_HINT);
            None
        }
    }
}

/// Checks a whole number that must be in `0..=MAX_WHOLE`; true when it is.
pub(crate) fn whole(
    sink: &mut Sink,
    value: i64,
    path: impl FnOnce() -> String,
    what: &str,
) -> bool {
    if value < 0 {
        sink.error(
            codes::NEGATIVE,
            path(),
            format!("{what} is {value}; it must be 0 or more"),
            "counts, minutes and limits are whole numbers, 0 or more",
        );
        false
    } else if value > MAX_WHOLE {
        sink.error(
            codes::RANGE,
            path(),
            format!("{what} is {value}, larger than the supported {MAX_WHOLE}"),
            format!("use a whole number of at most {MAX_WHOLE}"),
        );
        false
    } else {
        true
    }
}

/// Checks ids of one list for emptiness and duplicates (also against
/// `existing`, the ids of another list they must not clash with). Returns
/// the map from id to file position of its first use.
pub(crate) fn check_ids<'a, T>(
    sink: &mut Sink,
    list: &str,
    items: &'a [T],
    index: &[usize],
    id_of: impl Fn(&'a T) -> &'a str,
    what: &str,
    existing: Option<(&str, &HashMap<&str, usize>)>,
) -> HashMap<&'a str, usize> {
    let mut seen: HashMap<&'a str, usize> = HashMap::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let pos = at(index, i);
        let id = id_of(item);
        if id.is_empty() {
            sink.error(
                codes::EMPTY_ID,
                format!("{list}[{pos}].id"),
                format!("{what} id is empty"),
                "ids are non-empty strings, unique within their list",
            );
            continue;
        }
        if let Some((other_list, other)) = existing {
            if let Some(j) = other.get(id) {
                sink.error(
                    codes::DUP_ID,
                    format!("{list}[{pos}].id"),
                    format!("{what} id '{id}' already exists ({other_list}[{j}])"),
                    format!("give the new {what} an id not used in the scenario"),
                );
                continue;
            }
        }
        match seen.get(id) {
            Some(&first) => sink.error(
                codes::DUP_ID,
                format!("{list}[{pos}].id"),
                format!("duplicate {what} id '{id}' (first used by {list}[{first}])"),
                format!("{what} ids must be unique within `{list}`; rename or merge the two"),
            ),
            None => {
                seen.insert(id, pos);
            }
        }
    }
    seen
}

fn unknown_site(sink: &mut Sink, path: String, what: &str, id: &str) {
    sink.error(
        codes::UNKNOWN_REF,
        path,
        format!("unknown {what} '{id}': no site has this id"),
        format!("add a site with id '{id}' to `sites`, or correct the reference"),
    );
}

/// Checks one shift whose path is `p` (e.g. `shifts[3]`).
pub(crate) fn check_shift(sink: &mut Sink, p: &str, sh: &Shift, sites: &HashSet<&str>) {
    if !sites.contains(sh.venue.as_str()) {
        unknown_site(sink, format!("{p}.venue"), "venue", &sh.venue);
    }
    let start = time(sink, &sh.start, || format!("{p}.start"));
    let end = time(sink, &sh.end, || format!("{p}.end"));
    if let (Some(s), Some(e)) = (start, end) {
        if e <= s {
            sink.error(
                codes::END_BEFORE_START,
                format!("{p}.end"),
                format!(
                    "end {} is not after start {}",
                    format_time(e),
                    format_time(s)
                ),
                "a shift must end after it starts; a night shift ends on the next day's date",
            );
        }
    }
    let min_ok = whole(sink, sh.min, || format!("{p}.min"), "min");
    let max_ok = whole(sink, sh.max, || format!("{p}.max"), "max");
    if min_ok && max_ok && sh.min > sh.max {
        sink.error(
            codes::MIN_GT_MAX,
            p,
            format!("min {} is greater than max {}", sh.min, sh.max),
            "need 0 <= min <= max: lower min or raise max",
        );
    }
    if !(sh.priority.is_finite() && sh.priority > 0.0) {
        sink.error(
            codes::PRIORITY,
            format!("{p}.priority"),
            format!(
                "priority is {}; it must be a finite number greater than 0",
                sh.priority
            ),
            "leave it out for the default 1, or use e.g. 2 for a shift twice as important",
        );
    }
    check_quotas(sink, p, sh, max_ok);
}

/// The quotas of shift `sh` at `p`: how many, their kind, level and
/// `at_least` (against `max` when `max_ok`).
fn check_quotas(sink: &mut Sink, p: &str, sh: &Shift, max_ok: bool) {
    if sh.quotas.len() > MAX_QUOTAS {
        sink.error(
            codes::TOO_MANY_QUOTAS,
            format!("{p}.quotas"),
            format!(
                "{} quotas; at most {MAX_QUOTAS} per shift are supported",
                sh.quotas.len()
            ),
            "merge quotas or split the shift",
        );
    }
    for (qi, q) in sh.quotas.iter().enumerate() {
        let qp = format!("{p}.quotas[{qi}]");
        match (&q.skill, &q.language) {
            (Some(_), Some(_)) => sink.error(
                codes::QUOTA_KIND,
                qp.as_str(),
                "a quota names both `skill` and `language`",
                "split it into two quotas, one per kind",
            ),
            (None, None) => sink.error(
                codes::QUOTA_KIND,
                qp.as_str(),
                "a quota names neither `skill` nor `language`",
                "add \"skill\": … or \"language\": … (with an optional \"level\")",
            ),
            (Some(_), None) if q.level.is_some() => sink.warn(
                codes::LEVEL_IGNORED,
                format!("{qp}.level"),
                "a skill quota has a `level`; levels apply only to language quotas",
                "remove `level`",
            ),
            _ => {}
        }
        if let Some(level) = q.level {
            if !(1..=5).contains(&level) {
                sink.error(
                    codes::LEVEL,
                    format!("{qp}.level"),
                    format!("language level {level} is outside 1..5"),
                    "levels go from 1 (basic) to 5 (native)",
                );
            }
        }
        if whole(sink, q.at_least, || format!("{qp}.at_least"), "at_least")
            && max_ok
            && q.at_least > sh.max
        {
            sink.warn(
                codes::QUOTA_GT_MAX,
                format!("{qp}.at_least"),
                format!(
                    "quota asks for at least {} but the shift takes at most {}: it can never be met",
                    q.at_least, sh.max
                ),
                "lower at_least or raise the shift's max",
            );
        }
    }
}

/// Checks one volunteer whose path is `p` (e.g. `volunteers[7]`).
pub(crate) fn check_volunteer(
    sink: &mut Sink,
    p: &str,
    v: &Volunteer,
    sites: &HashSet<&str>,
    rules: &Rules,
) {
    if let Some(home) = &v.home {
        if !sites.contains(home.as_str()) {
            unknown_site(sink, format!("{p}.home"), "home", home);
        }
    }
    for (lang, &level) in &v.languages {
        if !(1..=5).contains(&level) {
            sink.error(
                codes::LEVEL,
                format!("{p}.languages.{lang}"),
                format!("language level {level} for '{lang}' is outside 1..5"),
                "levels go from 1 (basic) to 5 (native)",
            );
        }
    }
    check_availability(sink, p, v);
    check_overrides(sink, p, v, rules);
    if let Some(prefers) = &v.prefers {
        for (k, venue) in prefers.venues.iter().enumerate() {
            if !sites.contains(venue.as_str()) {
                sink.warn_with(codes::UNKNOWN_PREFERENCE, || {
                    (
                        format!("{p}.prefers.venues[{k}]"),
                        format!("preferred venue '{venue}' is not a site; it can never be matched"),
                        "correct the site id or remove it".into(),
                    )
                });
            }
        }
    }
}

/// Volunteer `v`'s availability windows: not an empty list, each window
/// parsed and not empty.
fn check_availability(sink: &mut Sink, p: &str, v: &Volunteer) {
    if let Some(windows) = &v.available {
        if windows.is_empty() {
            sink.warn(
                codes::NEVER_AVAILABLE,
                format!("{p}.available"),
                format!(
                    "volunteer '{}' has an empty availability list and can work no shift",
                    v.id
                ),
                "leave `available` out for \"always available\"",
            );
        }
        for (wi, (a, b)) in windows.iter().enumerate() {
            let from = time(sink, a, || format!("{p}.available[{wi}][0]"));
            let to = time(sink, b, || format!("{p}.available[{wi}][1]"));
            if let (Some(from), Some(to)) = (from, to) {
                if from >= to {
                    let what = if from == to { "empty" } else { "reversed" };
                    sink.error(
                        codes::WINDOW,
                        format!("{p}.available[{wi}]"),
                        format!("availability window [{a}, {b}] is {what}"),
                        "a window is [from, to] with from before to",
                    );
                }
            }
        }
    }
}

/// Volunteer `v`'s rule overrides: whole numbers, and a commitment that can
/// be met.
fn check_overrides(sink: &mut Sink, p: &str, v: &Volunteer, rules: &Rules) {
    let overrides = [
        ("min_rest_minutes", v.min_rest_minutes),
        ("max_minutes_per_day", v.max_minutes_per_day),
        ("max_consecutive_days", v.max_consecutive_days),
        ("min_shifts", v.min_shifts),
        ("max_shifts", v.max_shifts),
    ];
    let mut ok = true;
    for (name, value) in overrides {
        if let Some(x) = value {
            ok &= whole(sink, x, || format!("{p}.{name}"), name);
        }
    }
    if ok && (v.min_shifts.is_some() || v.max_shifts.is_some()) {
        let r = v.effective_rules(rules);
        if r.min_shifts > r.max_shifts {
            sink.warn_with(codes::MIN_SHIFTS_GT_MAX, || {
                (
                    p.to_string(),
                    format!(
                        "min_shifts {} is greater than max_shifts {}: the commitment can never be met",
                        r.min_shifts, r.max_shifts
                    ),
                    "lower min_shifts or raise max_shifts".into(),
                )
            });
        }
    }
}

/// Every semantic error of a scenario, plus the per-element warnings.
pub(crate) fn check_scenario(sc: &Scenario, o: &Origins, sink: &mut Sink) {
    if sc.format != SCENARIO_FORMAT {
        sink.error(
            codes::FORMAT,
            "format",
            format!("format is \"{}\", expected \"{SCENARIO_FORMAT}\"", sc.format),
            "is this a changes or roster file? A scenario starts with \"format\": \"volunteer-scenario/1\"",
        );
    }
    check_settings(sc, sink);
    let site_ids = check_ids(
        sink,
        "sites",
        &sc.sites,
        &o.sites,
        |s| s.id.as_str(),
        "site",
        None,
    );
    let mut sites: HashSet<&str> = site_ids.keys().copied().collect();
    sites.extend(o.failed_site_ids.iter().map(String::as_str));

    check_links(sc, o, &sites, sink);

    check_ids(
        sink,
        "shifts",
        &sc.shifts,
        &o.shifts,
        |s| s.id.as_str(),
        "shift",
        None,
    );
    for (i, sh) in sc.shifts.iter().enumerate() {
        check_shift(sink, &format!("shifts[{}]", at(&o.shifts, i)), sh, &sites);
    }

    check_ids(
        sink,
        "volunteers",
        &sc.volunteers,
        &o.volunteers,
        |v| v.id.as_str(),
        "volunteer",
        None,
    );
    for (i, v) in sc.volunteers.iter().enumerate() {
        let p = format!("volunteers[{}]", at(&o.volunteers, i));
        check_volunteer(sink, &p, v, &sites, &sc.rules);
    }
}

/// The scenario's rules (whole numbers, min_shifts ≤ max_shifts) and
/// weights (finite, 0 or more).
fn check_settings(sc: &Scenario, sink: &mut Sink) {
    let r = &sc.rules;
    let rules = [
        ("min_rest_minutes", r.min_rest_minutes),
        ("max_minutes_per_day", r.max_minutes_per_day),
        ("max_consecutive_days", r.max_consecutive_days),
        ("min_shifts", r.min_shifts),
        ("max_shifts", r.max_shifts),
    ];
    let mut rules_ok = true;
    for (name, value) in rules {
        rules_ok &= whole(sink, value, || format!("rules.{name}"), name);
    }
    if rules_ok && r.min_shifts > r.max_shifts {
        sink.warn(
            codes::MIN_SHIFTS_GT_MAX,
            "rules",
            format!(
                "rules.min_shifts {} is greater than rules.max_shifts {}",
                r.min_shifts, r.max_shifts
            ),
            "lower min_shifts or raise max_shifts",
        );
    }
    let w = &sc.weights;
    let weights = [
        ("uncovered", w.uncovered),
        ("quota_shortfall", w.quota_shortfall),
        ("under_commitment", w.under_commitment),
        ("preference_miss", w.preference_miss),
        ("travel_minute", w.travel_minute),
        ("group_split", w.group_split),
        ("change", w.change),
        ("volunteer_used", w.volunteer_used),
        ("extra_load", w.extra_load),
    ];
    for (name, value) in weights {
        if !value.is_finite() {
            sink.error(
                codes::NOT_FINITE,
                format!("weights.{name}"),
                format!("weight {name} is {value}"),
                "weights are finite numbers, 0 or more",
            );
        } else if value < 0.0 {
            sink.error(
                codes::NEGATIVE,
                format!("weights.{name}"),
                format!("weight {name} is {value}; it must be 0 or more"),
                "every objective term is non-negative; use 0 to switch a term off",
            );
        }
    }
}

/// Links join known sites with a whole number of minutes.
fn check_links(sc: &Scenario, o: &Origins, sites: &HashSet<&str>, sink: &mut Sink) {
    for (i, l) in sc.links.iter().enumerate() {
        let p = format!("links[{}]", at(&o.links, i));
        if !sites.contains(l.from.as_str()) {
            unknown_site(sink, format!("{p}.from"), "site", &l.from);
        }
        if !sites.contains(l.to.as_str()) {
            unknown_site(sink, format!("{p}.to"), "site", &l.to);
        }
        whole(sink, l.minutes, || format!("{p}.minutes"), "minutes");
    }
}
