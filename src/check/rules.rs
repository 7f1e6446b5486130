//! Hard rules 2–7 (rule 1, ids and duplicates, is checked while reading the
//! roster). Frozen pairs of a re-solve are exempt from rules 2 and 3.

use super::{Findings, World};
use crate::time::format_time;

/// Runs every rule.
pub(crate) fn check_all(w: &World, f: &mut Findings) {
    eligibility(w, f);
    headcount(w, f);
    for v in 0..w.scenario.volunteers.len() {
        spacing(w, v, f);
        daily_minutes(w, v, f);
        max_shifts(w, v, f);
        consecutive_days(w, v, f);
    }
}

fn describe(w: &World, s: usize) -> String {
    let sh = &w.shifts[s];
    format!(
        "'{}' ({} to {} at {})",
        sh.sc.id,
        format_time(sh.start),
        format_time(sh.end),
        sh.sc.venue
    )
}

/// Rule 2: skills, availability (and re-solve absences), reachable home.
fn eligibility(w: &World, f: &mut Findings) {
    for (s, crew) in w.crews.iter().enumerate() {
        if w.frozen[s] {
            continue;
        }
        let sh = &w.shifts[s];
        for &v in crew {
            let vol = &w.scenario.volunteers[v];
            for r in &sh.sc.requires {
                if !vol.skills.contains(r) {
                    f.add("missing_skill", 2, || {
                        format!(
                            "volunteer '{}' lacks '{r}' required by {}",
                            vol.id,
                            describe(w, s)
                        )
                    });
                }
            }
            let in_window = match &w.windows[v] {
                None => true,
                Some(ws) => ws.iter().any(|&(a, b)| a <= sh.start && sh.end <= b),
            };
            let absent = w.absent[v]
                .iter()
                .any(|&(from, until)| until.is_none_or(|u| sh.start < u) && sh.end > from);
            if !in_window || absent {
                f.add("unavailable", 2, || {
                    format!(
                        "volunteer '{}' is not available for {}",
                        vol.id,
                        describe(w, s)
                    )
                });
            }
            if let Some(home) = &vol.home {
                if w.travel.between(&sh.sc.venue, home).is_none() {
                    f.add("unreachable_home", 2, || {
                        format!(
                            "volunteer '{}' cannot reach {} from home '{home}'",
                            vol.id,
                            describe(w, s)
                        )
                    });
                }
            }
        }
    }
}

/// Rule 3: at most `max` volunteers on a shift.
fn headcount(w: &World, f: &mut Findings) {
    for (s, crew) in w.crews.iter().enumerate() {
        let max = w.shifts[s].sc.max;
        if !w.frozen[s] && crew.len() as i64 > max {
            f.add("over_max", 3, || {
                format!(
                    "{} has {} volunteers, max {max}",
                    describe(w, s),
                    crew.len()
                )
            });
        }
    }
}

/// Rule 4: for every two shifts a, b of a volunteer with a.start <= b.start,
/// b.start >= a.end + max(min_rest, travel(a.venue, b.venue)).
fn spacing(w: &World, v: usize, f: &mut Findings) {
    let vol = &w.scenario.volunteers[v];
    let rest = vol.effective_rules(&w.scenario.rules).min_rest_minutes;
    let sched = &w.schedules[v];
    for (i, &a) in sched.iter().enumerate() {
        for &b in &sched[i + 1..] {
            let (sa, sb) = (&w.shifts[a], &w.shifts[b]);
            let ok = match w.travel.between(&sa.sc.venue, &sb.sc.venue) {
                Some(t) => sb.start >= sa.end + rest.max(t as i64),
                None => false,
            };
            if !ok {
                f.add("spacing", 4, || {
                    format!(
                        "volunteer '{}': {} then {} too close (rest {rest} min, travel included)",
                        vol.id,
                        describe(w, a),
                        describe(w, b)
                    )
                });
            }
        }
    }
}

/// Rule 5: summed minutes of the shifts starting on one calendar day.
fn daily_minutes(w: &World, v: usize, f: &mut Findings) {
    let vol = &w.scenario.volunteers[v];
    let cap = vol.effective_rules(&w.scenario.rules).max_minutes_per_day;
    let sched = &w.schedules[v];
    let mut i = 0;
    while i < sched.len() {
        let day = w.shifts[sched[i]].day;
        let mut total = 0;
        while i < sched.len() && w.shifts[sched[i]].day == day {
            total += w.shifts[sched[i]].end - w.shifts[sched[i]].start;
            i += 1;
        }
        if total > cap {
            f.add("daily_minutes", 5, || {
                format!(
                    "volunteer '{}' works {total} minutes on {}, max {cap}",
                    vol.id,
                    crate::time::format_day(day)
                )
            });
        }
    }
}

/// Rule 6: at most `max_shifts` shifts.
fn max_shifts(w: &World, v: usize, f: &mut Findings) {
    let vol = &w.scenario.volunteers[v];
    let cap = vol.effective_rules(&w.scenario.rules).max_shifts;
    let n = w.schedules[v].len() as i64;
    if n > cap {
        f.add("max_shifts", 6, || {
            format!("volunteer '{}' has {n} shifts, max {cap}", vol.id)
        });
    }
}

/// Rule 7: at most `max_consecutive_days` consecutive calendar days worked.
fn consecutive_days(w: &World, v: usize, f: &mut Findings) {
    let vol = &w.scenario.volunteers[v];
    let cap = vol.effective_rules(&w.scenario.rules).max_consecutive_days;
    let mut days: Vec<i64> = w.schedules[v].iter().map(|&s| w.shifts[s].day).collect();
    days.sort_unstable();
    days.dedup();
    let mut run = 0i64;
    let mut longest = 0i64;
    for (i, &d) in days.iter().enumerate() {
        run = if i > 0 && days[i - 1] + 1 == d {
            run + 1
        } else {
            1
        };
        longest = longest.max(run);
    }
    if longest > cap {
        f.add("consecutive_days", 7, || {
            format!(
                "volunteer '{}' works {longest} consecutive days, max {cap}",
                vol.id
            )
        });
    }
}
