//! The independent checker: every hard rule and every objective term of
//! `docs/format.md`, recomputed from the scenario and the roster with
//! plain code that shares nothing with the solver (no `Problem`, no
//! incremental state). It backs `vroster check` and the end-to-end tests.
//!
//! One file per concern: `travel.rs` (shortest paths), `rules.rs` (rules
//! 1–7), `pins.rs` (rule 8: pins and exclusions, with their lapses in a
//! re-solve), `objective.rs` (the terms), `repair.rs` (changes applied for
//! a re-solve: frozen shifts, forced removals, `changes`).

pub mod objective;
pub mod pins;
pub mod repair;
pub mod rules;
pub mod travel;

use crate::scenario::{Changes, ObjectiveBreakdown, Roster, Scenario, Shift};
use crate::time::{day_of, parse_time};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use thiserror::Error;
use travel::Travel;

/// Inputs the checker cannot work with at all.
#[derive(Debug, Error)]
pub enum CheckError {
    #[error("{path}: {message}")]
    /// A roster, scenario or changes file the checker cannot use.
    Input {
        /// Where in the input (JSON path or file).
        path: String,
        /// What is wrong.
        message: String,
    },
}

/// Violations of one kind, counted, with up to five examples.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ViolationGroup {
    /// Short name of the violation kind.
    pub kind: &'static str,
    /// Hard rule number of the format page (1–8), or 0 for re-solve rules.
    pub rule: u8,
    /// How many violations of this kind.
    pub count: usize,
    /// Up to five of them, described.
    pub examples: Vec<String>,
}

/// Coverage figures of a roster.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CoverageStats {
    /// Sum of every shift's `min`.
    pub min_demand: u64,
    /// Part of `min_demand` filled: `min(assigned, min)` summed over shifts.
    pub min_demand_covered: u64,
    /// `min_demand_covered / min_demand` (1 when there is no demand).
    pub coverage: f64,
    /// Number of shifts.
    pub shifts: usize,
    /// Shifts with fewer than `min` volunteers.
    pub shifts_below_min: usize,
    /// Number of quotas.
    pub quotas: usize,
    /// Quotas with at least `at_least` qualifying assignees.
    pub quotas_met: usize,
    /// Number of volunteers.
    pub volunteers: usize,
    /// Volunteers with at least one shift.
    pub volunteers_used: usize,
    /// Volunteers with fewer shifts than their `min_shifts`.
    pub volunteers_below_commitment: usize,
    /// Number of (shift, volunteer) assignments.
    pub assignments: usize,
}

/// Re-solve figures.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct RepairStats {
    /// Shifts that started before `now` (kept as they were).
    pub frozen_shifts: usize,
    /// Previous assignments that became invalid (dropouts, cancelled shifts, lowered `max`).
    pub forced_removals: usize,
    /// Changes counted by the `change` term (forced removals excluded).
    pub changes: usize,
    /// Volunteers who lost or gained a shift (not counting frozen shifts).
    pub affected_volunteers: usize,
}

/// The outcome of checking a roster: everything the checker found (what
/// `vroster check` prints; the HTML report and the workbook show it too).
#[derive(Clone, Debug, Serialize)]
pub struct RosterCheck {
    /// Hard-rule violations, grouped by kind; empty when the roster is valid.
    pub violations: Vec<ViolationGroup>,
    /// The objective recomputed from the scenario and the assignments.
    pub objective: ObjectiveBreakdown,
    /// The objective the roster claims, if any.
    pub claimed: Option<ObjectiveBreakdown>,
    /// Every claimed term (and the total) within 1e-6 relative; true when
    /// the roster claims nothing.
    pub claimed_matches: bool,
    /// Each claimed figure that disagrees with the recomputation.
    pub mismatches: Vec<String>,
    /// The bound the roster claims, if any.
    pub bound: Option<f64>,
    /// A claimed bound must not exceed the recomputed total.
    pub bound_ok: bool,
    /// `(total − bound) / max(total, 1)` with the recomputed total, when a bound is claimed.
    pub gap: Option<f64>,
    /// Coverage figures.
    pub coverage: CoverageStats,
    /// Re-solve figures, when the roster was checked against changes.
    pub repair: Option<RepairStats>,
}

impl RosterCheck {
    /// No hard rule is broken.
    pub fn is_valid(&self) -> bool {
        self.violations.is_empty()
    }
    /// Valid, and what the roster claims is true.
    pub fn passes(&self) -> bool {
        self.is_valid() && self.claimed_matches && self.bound_ok
    }
}

/// Whether two amounts agree to within 1e-6 relative.
pub fn agrees(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

/// A shift with its times parsed.
pub(crate) struct ShiftView<'a> {
    pub sc: &'a Shift,
    pub start: i64,
    pub end: i64,
    pub day: i64,
}

/// What the rule and term functions look at.
pub(crate) struct World<'a> {
    pub scenario: &'a Scenario,
    pub shifts: Vec<ShiftView<'a>>,
    pub travel: Travel,
    /// Per volunteer: parsed availability windows (`None`: always).
    pub windows: Vec<Option<Vec<(i64, i64)>>>,
    /// Per volunteer: dropout periods `[from, until)` (re-solve).
    pub absent: Vec<Vec<(i64, Option<i64>)>>,
    /// Per shift: frozen (re-solve).
    pub frozen: Vec<bool>,
    /// Per shift: assigned volunteers (distinct, valid ids).
    pub crews: Vec<Vec<usize>>,
    /// Per volunteer: assigned shifts sorted by (start, index).
    pub schedules: Vec<Vec<usize>>,
}

fn parse(text: &str, path: impl FnOnce() -> String) -> Result<i64, CheckError> {
    parse_time(text).map_err(|e| CheckError::Input {
        path: path(),
        message: e.to_string(),
    })
}

/// Collects violations of one kind.
#[derive(Default)]
pub(crate) struct Findings {
    groups: Vec<ViolationGroup>,
}

impl Findings {
    pub fn add(&mut self, kind: &'static str, rule: u8, example: impl FnOnce() -> String) {
        match self.groups.iter_mut().find(|g| g.kind == kind) {
            Some(g) => {
                g.count += 1;
                if g.examples.len() < 5 {
                    g.examples.push(example());
                }
            }
            None => self.groups.push(ViolationGroup {
                kind,
                rule,
                count: 1,
                examples: vec![example()],
            }),
        }
    }
}

impl Findings {
    /// Takes `later`'s findings as if they had been added after these (the
    /// same counts and examples as one sequential pass).
    fn absorb(&mut self, later: Findings) {
        for g in later.groups {
            match self.groups.iter_mut().find(|x| x.kind == g.kind) {
                Some(x) => {
                    x.count += g.count;
                    let room = 5usize.saturating_sub(x.examples.len());
                    x.examples.extend(g.examples.into_iter().take(room));
                }
                None => self.groups.push(g),
            }
        }
    }
}

impl<'a> World<'a> {
    fn build(
        scenario: &'a Scenario,
        roster: &Roster,
        absent_by_id: &HashMap<String, Vec<(i64, Option<i64>)>>,
        now: Option<i64>,
        findings: &mut Findings,
    ) -> Result<World<'a>, CheckError> {
        // Times and crews are read side by side (two cores, half the time).
        let ((shifts, windows), (crews, read)) = rayon::join(
            || (shift_views(scenario), availability_windows(scenario)),
            || {
                let mut read = Findings::default();
                (read_crews(scenario, roster, &mut read), read)
            },
        );
        findings.absorb(read);
        let (shifts, windows) = (shifts?, windows?);
        let absent = scenario
            .volunteers
            .iter()
            .map(|v| absent_by_id.get(&v.id).cloned().unwrap_or_default())
            .collect();
        let frozen = shifts
            .iter()
            .map(|s| now.is_some_and(|n| s.start < n))
            .collect();
        let mut schedules: Vec<Vec<usize>> = vec![Vec::new(); scenario.volunteers.len()];
        for (s, crew) in crews.iter().enumerate() {
            for &v in crew {
                schedules[v].push(s);
            }
        }
        for sched in &mut schedules {
            sched.sort_by_key(|&s| (shifts[s].start, s));
        }
        let extra: Vec<&str> = Vec::new();
        Ok(World {
            travel: Travel::new(scenario, &extra),
            scenario,
            shifts,
            windows,
            absent,
            frozen,
            crews,
            schedules,
        })
    }
}

/// Every shift with its times parsed.
fn shift_views(scenario: &Scenario) -> Result<Vec<ShiftView<'_>>, CheckError> {
    let mut shifts = Vec::with_capacity(scenario.shifts.len());
    for (i, sh) in scenario.shifts.iter().enumerate() {
        let start = parse(&sh.start, || format!("shifts[{i}].start"))?;
        let end = parse(&sh.end, || format!("shifts[{i}].end"))?;
        shifts.push(ShiftView {
            sc: sh,
            start,
            end,
            day: day_of(start),
        });
    }
    Ok(shifts)
}

/// One volunteer's parsed availability windows (`None`: always available).
type Windows = Option<Vec<(i64, i64)>>;

/// Every volunteer's availability windows parsed.
fn availability_windows(scenario: &Scenario) -> Result<Vec<Windows>, CheckError> {
    let mut windows = Vec::with_capacity(scenario.volunteers.len());
    for (i, v) in scenario.volunteers.iter().enumerate() {
        windows.push(match &v.available {
            None => None,
            Some(ws) => {
                let mut out = Vec::with_capacity(ws.len());
                for (k, (a, b)) in ws.iter().enumerate() {
                    out.push((
                        parse(a, || format!("volunteers[{i}].available[{k}][0]"))?,
                        parse(b, || format!("volunteers[{i}].available[{k}][1]"))?,
                    ));
                }
                Some(out)
            }
        });
    }
    Ok(windows)
}

/// Each shift's crew as volunteer indices; unknown ids and repeats are
/// findings and left out.
fn read_crews(scenario: &Scenario, roster: &Roster, findings: &mut Findings) -> Vec<Vec<usize>> {
    let shift_index: HashMap<&str, usize> = scenario
        .shifts
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let vol_index: HashMap<&str, usize> = scenario
        .volunteers
        .iter()
        .enumerate()
        .map(|(i, v)| (v.id.as_str(), i))
        .collect();
    let mut crews: Vec<Vec<usize>> = vec![Vec::new(); scenario.shifts.len()];
    for (sid, vols) in &roster.assignments {
        let Some(&s) = shift_index.get(sid.as_str()) else {
            findings.add("unknown_shift", 1, || {
                format!("shift '{sid}' is not in the scenario")
            });
            continue;
        };
        for vid in vols {
            let Some(&v) = vol_index.get(vid.as_str()) else {
                findings.add("unknown_volunteer", 1, || {
                    format!("volunteer '{vid}' on shift '{sid}' is not in the scenario")
                });
                continue;
            };
            if crews[s].contains(&v) {
                findings.add("duplicate_assignment", 1, || {
                    format!("volunteer '{vid}' appears twice on shift '{sid}'")
                });
                continue;
            }
            crews[s].push(v);
        }
    }
    crews
}

/// Checks a roster against a scenario: rules 1–8 and the objective.
pub fn check_roster(scenario: &Scenario, roster: &Roster) -> Result<RosterCheck, CheckError> {
    let mut findings = Findings::default();
    let world = World::build(scenario, roster, &HashMap::new(), None, &mut findings)?;
    let ((), objective) = rayon::join(
        || {
            rules::check_all(&world, &mut findings);
            pins::check(&world, &mut findings);
        },
        || objective::breakdown(&world, 0),
    );
    Ok(conclude(roster, &world, findings, objective, None))
}

/// Checks a re-solved roster: the changes applied to the scenario, frozen
/// shifts exactly as in `prev`, forced removals and `changes` counted, and
/// `change × changes` in the objective.
pub fn check_repair(
    scenario: &Scenario,
    prev: &Roster,
    changes: &Changes,
    roster: &Roster,
) -> Result<RosterCheck, CheckError> {
    let applied = repair::apply(scenario, changes)?;
    let mut findings = Findings::default();
    let world = World::build(
        &applied.scenario,
        roster,
        &applied.absent,
        Some(applied.now),
        &mut findings,
    )?;
    // The rules and the counts only read the world: they run side by side
    // (on two cores the check takes half the time), their findings merged
    // in the order of one pass.
    let ((), (counted, stats, objective)) = rayon::join(
        || {
            rules::check_all(&world, &mut findings);
            pins::check(&world, &mut findings);
        },
        || {
            let mut counted = Findings::default();
            let stats = repair::count(&applied, &world, prev, &mut counted);
            let objective = objective::breakdown(&world, stats.changes);
            (counted, stats, objective)
        },
    );
    findings.absorb(counted);
    Ok(conclude(roster, &world, findings, objective, Some(stats)))
}

fn conclude(
    roster: &Roster,
    world: &World,
    findings: Findings,
    objective: ObjectiveBreakdown,
    repair: Option<RepairStats>,
) -> RosterCheck {
    let mut mismatches = Vec::new();
    if let Some(c) = &roster.objective {
        let mine = objective.terms();
        for (i, (name, claimed)) in c.terms().iter().enumerate() {
            if !agrees(*claimed, mine[i].1) {
                mismatches.push(format!(
                    "{name}: claimed {claimed}, recomputed {}",
                    mine[i].1
                ));
            }
        }
        if !agrees(c.total, objective.total) {
            mismatches.push(format!(
                "total: claimed {}, recomputed {}",
                c.total, objective.total
            ));
        }
    }
    let bound_ok = roster
        .bound
        .is_none_or(|b| b <= objective.total + 1e-6 * objective.total.abs().max(1.0));
    RosterCheck {
        violations: findings.groups,
        objective,
        claimed: roster.objective,
        claimed_matches: mismatches.is_empty(),
        mismatches,
        bound: roster.bound,
        bound_ok,
        gap: roster
            .bound
            .map(|b| (objective.total - b) / objective.total.max(1.0)),
        coverage: objective::coverage(world),
        repair,
    }
}
