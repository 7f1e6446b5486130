//! Validation of a changes file (`volunteer-changes/1`) against the scenario
//! it changes.

use super::checks::{at, check_ids, check_shift, check_volunteer, time, whole};
use super::{codes, Diagnostic, Sink};
use crate::scenario::{Changes, Scenario, CHANGES_FORMAT};
use std::collections::{HashMap, HashSet};

/// File positions of the typed elements of a changes file (see
/// `checks::Origins`).
#[derive(Default, Debug)]
pub(crate) struct ChangesOrigins {
    pub dropouts: Vec<usize>,
    pub new_volunteers: Vec<usize>,
    pub cancelled_shifts: Vec<usize>,
    pub shift_updates: Vec<usize>,
    pub new_shifts: Vec<usize>,
    /// `now` was missing or not a string, and that was reported already.
    pub now_reported: bool,
}

impl ChangesOrigins {
    pub(crate) fn identity(c: &Changes) -> Self {
        ChangesOrigins {
            dropouts: (0..c.dropouts.len()).collect(),
            new_volunteers: (0..c.new_volunteers.len()).collect(),
            cancelled_shifts: (0..c.cancelled_shifts.len()).collect(),
            shift_updates: (0..c.shift_updates.len()).collect(),
            new_shifts: (0..c.new_shifts.len()).collect(),
            now_reported: false,
        }
    }
}

/// Every problem of `changes` as a change of `scenario`.
pub fn validate_changes(scenario: &Scenario, changes: &Changes) -> Vec<Diagnostic> {
    let mut sink = Sink::default();
    check_changes(
        scenario,
        changes,
        &ChangesOrigins::identity(changes),
        &mut sink,
    );
    sink.finish()
}

pub(crate) fn check_changes(sc: &Scenario, ch: &Changes, o: &ChangesOrigins, sink: &mut Sink) {
    if ch.format != CHANGES_FORMAT {
        sink.error(
            codes::FORMAT,
            "format",
            format!("format is \"{}\", expected \"{CHANGES_FORMAT}\"", ch.format),
            "a changes file starts with \"format\": \"volunteer-changes/1\"",
        );
    }
    if !o.now_reported {
        time(sink, &ch.now, || "now".into());
    }
    let ids = ScenarioIds::new(sc);
    let new_vols = check_new_elements(sc, ch, o, &ids, sink);
    check_dropouts(ch, o, &ids, &new_vols, sink);
    let cancelled = check_cancelled(ch, o, &ids, sink);
    check_updates(sc, ch, o, &ids, &cancelled, sink);
}

/// The scenario's site ids, and its volunteer and shift ids with their
/// first position.
struct ScenarioIds<'a> {
    sites: HashSet<&'a str>,
    volunteers: HashMap<&'a str, usize>,
    shifts: HashMap<&'a str, usize>,
}

impl<'a> ScenarioIds<'a> {
    fn new(sc: &'a Scenario) -> Self {
        let sites: HashSet<&str> = sc.sites.iter().map(|s| s.id.as_str()).collect();
        let mut volunteers: HashMap<&str, usize> = HashMap::with_capacity(sc.volunteers.len());
        for (i, v) in sc.volunteers.iter().enumerate() {
            volunteers.entry(v.id.as_str()).or_insert(i);
        }
        let mut shifts: HashMap<&str, usize> = HashMap::with_capacity(sc.shifts.len());
        for (i, s) in sc.shifts.iter().enumerate() {
            shifts.entry(s.id.as_str()).or_insert(i);
        }
        ScenarioIds {
            sites,
            volunteers,
            shifts,
        }
    }
}

/// New volunteers and shifts: the element checks of a scenario, and ids
/// that clash neither with each other nor with the scenario's. Returns the
/// new volunteers' ids.
fn check_new_elements<'a>(
    sc: &Scenario,
    ch: &'a Changes,
    o: &ChangesOrigins,
    ids: &ScenarioIds,
    sink: &mut Sink,
) -> HashMap<&'a str, usize> {
    let new_vols = check_ids(
        sink,
        "new_volunteers",
        &ch.new_volunteers,
        &o.new_volunteers,
        |v| v.id.as_str(),
        "volunteer",
        Some(("volunteers", &ids.volunteers)),
    );
    for (i, v) in ch.new_volunteers.iter().enumerate() {
        let p = format!("new_volunteers[{}]", at(&o.new_volunteers, i));
        check_volunteer(sink, &p, v, &ids.sites, &sc.rules);
    }
    check_ids(
        sink,
        "new_shifts",
        &ch.new_shifts,
        &o.new_shifts,
        |s| s.id.as_str(),
        "shift",
        Some(("shifts", &ids.shifts)),
    );
    for (i, s) in ch.new_shifts.iter().enumerate() {
        let p = format!("new_shifts[{}]", at(&o.new_shifts, i));
        check_shift(sink, &p, s, &ids.sites);
    }
    // Pins and exclusions of new volunteers name shifts after the changes.
    let shift_ids: HashSet<&str> = ids
        .shifts
        .keys()
        .copied()
        .chain(ch.new_shifts.iter().map(|s| s.id.as_str()))
        .collect();
    for (i, v) in ch.new_volunteers.iter().enumerate() {
        let p = format!("new_volunteers[{}]", at(&o.new_volunteers, i));
        super::pins::volunteer_refs(sink, &p, v, &shift_ids);
    }
    new_vols
}

/// Dropouts name a known volunteer and a period that is not empty.
fn check_dropouts(
    ch: &Changes,
    o: &ChangesOrigins,
    ids: &ScenarioIds,
    new_vols: &HashMap<&str, usize>,
    sink: &mut Sink,
) {
    for (i, d) in ch.dropouts.iter().enumerate() {
        let p = format!("dropouts[{}]", at(&o.dropouts, i));
        let id = d.volunteer.as_str();
        if !ids.volunteers.contains_key(id) && !new_vols.contains_key(id) {
            sink.error(
                codes::UNKNOWN_REF,
                format!("{p}.volunteer"),
                format!("unknown volunteer '{id}'"),
                "a dropout names a volunteer of the scenario (or a new one)",
            );
        }
        let from = time(sink, &d.from, || format!("{p}.from"));
        let until = d
            .until
            .as_deref()
            .and_then(|u| time(sink, u, || format!("{p}.until")));
        if let (Some(f), Some(u)) = (from, until) {
            if u <= f {
                sink.error(
                    codes::WINDOW,
                    format!("{p}.until"),
                    format!(
                        "dropout period [{}, {}) is {}",
                        d.from,
                        d.until.as_deref().unwrap_or_default(),
                        if u == f { "empty" } else { "reversed" }
                    ),
                    "until must be after from; leave until out for \"to the end\"",
                );
            }
        }
    }
}

/// Cancelled shifts are known and cancelled once. Returns them with the
/// position of their first cancellation.
fn check_cancelled<'a>(
    ch: &'a Changes,
    o: &ChangesOrigins,
    ids: &ScenarioIds,
    sink: &mut Sink,
) -> HashMap<&'a str, usize> {
    let mut cancelled: HashMap<&str, usize> = HashMap::new();
    for (i, id) in ch.cancelled_shifts.iter().enumerate() {
        let pos = at(&o.cancelled_shifts, i);
        let p = format!("cancelled_shifts[{pos}]");
        if !ids.shifts.contains_key(id.as_str()) {
            sink.error(
                codes::UNKNOWN_REF,
                p,
                format!("unknown shift '{id}'"),
                "only shifts of the scenario can be cancelled",
            );
        } else if let Some(first) = cancelled.insert(id.as_str(), pos) {
            sink.warn(
                codes::DUPLICATE_ENTRY,
                p,
                format!("shift '{id}' is cancelled twice (also cancelled_shifts[{first}])"),
                "remove the repeated entry",
            );
        }
    }
    cancelled
}

/// A shift's `min` and `max` as the updates so far leave them.
struct Running {
    min: i64,
    max: i64,
    /// Whether an update gave `min` (`max`).
    min_given: bool,
    max_given: bool,
    /// Path and position of the shift's last update.
    path: String,
    last: usize,
}

/// Updates apply in file order; only the final min and max of a shift must
/// satisfy min <= max (reported at its last update).
fn check_updates(
    sc: &Scenario,
    ch: &Changes,
    o: &ChangesOrigins,
    ids: &ScenarioIds,
    cancelled: &HashMap<&str, usize>,
    sink: &mut Sink,
) {
    let mut current: HashMap<&str, Running> = HashMap::new();
    for (i, u) in ch.shift_updates.iter().enumerate() {
        let p = format!("shift_updates[{}]", at(&o.shift_updates, i));
        let id = u.shift.as_str();
        let base = match ids.shifts.get(id) {
            Some(&s) => Some(&sc.shifts[s]),
            None => {
                sink.error(
                    codes::UNKNOWN_REF,
                    format!("{p}.shift"),
                    format!("unknown shift '{id}'"),
                    "updates apply to shifts of the scenario; put new shifts in new_shifts",
                );
                None
            }
        };
        let min_ok = u
            .min
            .is_none_or(|m| whole(sink, m, || format!("{p}.min"), "min"));
        let max_ok = u
            .max
            .is_none_or(|m| whole(sink, m, || format!("{p}.max"), "max"));
        if !(min_ok && max_ok) {
            continue;
        }
        let Some(base) = base else {
            // Unknown shift: only the update itself can be checked.
            if let (Some(min), Some(max)) = (u.min, u.max) {
                if min > max {
                    sink.error(
                        codes::MIN_GT_MAX,
                        p,
                        format!("after the update min {min} is greater than max {max}"),
                        "need 0 <= min <= max: update both when lowering max",
                    );
                }
            }
            continue;
        };
        if cancelled.contains_key(id) {
            continue; // an update of a shift this file cancels is moot
        }
        let entry = current.entry(id).or_insert(Running {
            min: base.min,
            max: base.max,
            min_given: false,
            max_given: false,
            path: String::new(),
            last: 0,
        });
        if let Some(m) = u.min {
            entry.min = m;
            entry.min_given = true;
        }
        if let Some(m) = u.max {
            entry.max = m;
            entry.max_given = true;
        }
        entry.path = p;
        entry.last = i;
    }
    check_final_updates(sc, ch, current, sink);
}

/// The final `min` and `max` of each updated shift, in the order of their
/// last updates: `max` below the pins (warning), `min > max` (error).
fn check_final_updates(
    sc: &Scenario,
    ch: &Changes,
    current: HashMap<&str, Running>,
    sink: &mut Sink,
) {
    let mut finals: Vec<_> = current.into_iter().collect();
    finals.sort_by_key(|(_, r)| r.last);
    for (id, r) in finals {
        let (min, max) = (r.min, r.max);
        if r.max_given && min <= max {
            super::pins::update_below_pins(sc, ch, id, max, &r.path, sink);
        }
        if min > max {
            let from = |given: bool| if given { "" } else { " (unchanged)" };
            sink.error(
                codes::MIN_GT_MAX,
                r.path,
                format!(
                    "after the update min {min}{} is greater than max {max}{}",
                    from(r.min_given),
                    from(r.max_given)
                ),
                "need 0 <= min <= max: update both when lowering max",
            );
        }
    }
}
