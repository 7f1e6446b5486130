//! The shape of a roster file against its scenario: format tag and ids.
//! Hard rules and the objective are the checker's job.

use super::{codes, Diagnostic, Sink};
use crate::scenario::{Roster, Scenario, ROSTER_FORMAT};
use std::collections::{HashMap, HashSet};

/// Errors of a roster file: wrong format tag, unknown shift or volunteer
/// ids. A volunteer listed twice on one shift is a warning here (the
/// checker reports it as a broken rule 1). For a re-solve, pass the
/// scenario with the changes applied.
pub fn validate_roster_shape(scenario: &Scenario, roster: &Roster) -> Vec<Diagnostic> {
    let mut sink = Sink::default();
    check_roster(scenario, roster, &mut sink);
    sink.finish()
}

pub(crate) fn check_roster(sc: &Scenario, r: &Roster, sink: &mut Sink) {
    if r.format != ROSTER_FORMAT {
        sink.error(
            codes::FORMAT,
            "format",
            format!("format is \"{}\", expected \"{ROSTER_FORMAT}\"", r.format),
            "a roster starts with \"format\": \"volunteer-roster/1\"",
        );
    }
    let shifts: HashSet<&str> = sc.shifts.iter().map(|s| s.id.as_str()).collect();
    let volunteers: HashSet<&str> = sc.volunteers.iter().map(|v| v.id.as_str()).collect();
    for (shift, vols) in &r.assignments {
        let p = format!("assignments.{shift}");
        if !shifts.contains(shift.as_str()) {
            sink.error(
                codes::UNKNOWN_REF,
                p.as_str(),
                format!("unknown shift '{shift}'"),
                "is this roster for another scenario (or for the scenario after changes)?",
            );
        }
        let mut seen: HashMap<&str, usize> = HashMap::with_capacity(vols.len());
        for (k, v) in vols.iter().enumerate() {
            if !volunteers.contains(v.as_str()) {
                sink.error(
                    codes::UNKNOWN_REF,
                    format!("{p}[{k}]"),
                    format!("unknown volunteer '{v}'"),
                    "is this roster for another scenario (or for the scenario after changes)?",
                );
            } else if let Some(first) = seen.insert(v.as_str(), k) {
                sink.warn(
                    codes::DUPLICATE_ENTRY,
                    format!("{p}[{k}]"),
                    format!("volunteer '{v}' is listed twice on shift '{shift}' (also [{first}])"),
                    "a volunteer appears at most once per shift",
                );
            }
        }
    }
}
