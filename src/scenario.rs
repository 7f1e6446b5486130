//! The user's files as they are: scenario, changes and roster, version 1.
//!
//! Plain serde types with string ids and string times, no logic beyond the
//! defaults that `docs/format.md` fixes. Unknown fields are rejected so a
//! typo such as `quotass` never vanishes silently. Everything downstream of
//! [`crate::problem::Problem::compile`] works on dense indices instead.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The `format` tag of a scenario file.
pub const SCENARIO_FORMAT: &str = "volunteer-scenario/1";
/// The `format` tag of a changes file.
pub const CHANGES_FORMAT: &str = "volunteer-changes/1";
/// The `format` tag of a roster file.
pub const ROSTER_FORMAT: &str = "volunteer-roster/1";

/// A whole scenario: rules, weights, the places, the shifts and the people.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// `"volunteer-scenario/1"` ([`SCENARIO_FORMAT`]).
    pub format: String,
    #[serde(default)]
    /// Name of the event or cluster, carried into rosters and summaries.
    pub name: String,
    #[serde(default)]
    /// Default limits for every volunteer.
    pub rules: Rules,
    #[serde(default)]
    /// Objective weights.
    pub weights: Weights,
    #[serde(default)]
    /// Venues and the hubs or districts where volunteers live.
    pub sites: Vec<Site>,
    #[serde(default)]
    /// Undirected travel edges between sites.
    pub links: Vec<Link>,
    #[serde(default)]
    /// The shifts to staff.
    pub shifts: Vec<Shift>,
    #[serde(default)]
    /// The people who can staff them.
    pub volunteers: Vec<Volunteer>,
}

/// Default limits for every volunteer; each may be overridden per volunteer.
///
/// Stored as `i64` so that validation, not the parser, reports a negative
/// value with its own code and hint.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Rules {
    /// Rule 4: minutes of rest between two shifts (default 480).
    pub min_rest_minutes: i64,
    /// Rule 5: most minutes worked on one calendar day (default 600).
    pub max_minutes_per_day: i64,
    /// Rule 7: most consecutive calendar days worked (default 6).
    pub max_consecutive_days: i64,
    /// Commitment: fewer shifts cost `under_commitment` each (default 0).
    pub min_shifts: i64,
    /// Rule 6: most shifts in the event (default 20).
    pub max_shifts: i64,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            min_rest_minutes: 480,
            max_minutes_per_day: 600,
            max_consecutive_days: 6,
            min_shifts: 0,
            max_shifts: 20,
        }
    }
}

/// Objective weights (see the objective table of the format page).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Weights {
    /// Per missing head below a shift's `min`, times its priority.
    pub uncovered: f64,
    /// Per missing qualifying assignee of a quota, times the shift's priority.
    pub quota_shortfall: f64,
    /// Per shift a volunteer works below their `min_shifts`.
    pub under_commitment: f64,
    /// Per assignment outside the volunteer's preferred venues, and again outside their preferred roles.
    pub preference_miss: f64,
    /// Per minute of travel from home to the venue, per assignment.
    pub travel_minute: f64,
    /// Per extra venue a group's members work at, beyond the first.
    pub group_split: f64,
    /// Per change to the previous roster (re-solve only).
    pub change: f64,
    /// Per volunteer with at least one shift (workforce sizing).
    pub volunteer_used: f64,
    /// Fair load: `extra_load × max(0, shifts worked − min_shifts)²` per
    /// volunteer. Left out of the file when 0, so scenarios written before
    /// the term existed keep their bytes.
    #[serde(skip_serializing_if = "is_zero")]
    pub extra_load: f64,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            uncovered: 1000.0,
            quota_shortfall: 100.0,
            under_commitment: 50.0,
            preference_miss: 10.0,
            travel_minute: 0.1,
            group_split: 20.0,
            change: 200.0,
            volunteer_used: 0.0,
            extra_load: 0.0,
        }
    }
}

/// A place: a venue where shifts happen, or a hub where volunteers live.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// Site id, unique among sites.
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Display name.
    pub name: Option<String>,
    /// Optional free-form kind (`competition`, `village`, `hub`, `station`…);
    /// informational only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// An undirected travel edge between two sites.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// Site id of one end.
    pub from: String,
    /// Site id of the other end.
    pub to: String,
    /// Travel time in minutes.
    pub minutes: i64,
}

/// One shift: a role at a venue over a time span, with its headcount.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Shift {
    /// Shift id, unique among shifts.
    pub id: String,
    /// Site id where the shift happens.
    pub venue: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Role worked (preferences may name it).
    pub role: Option<String>,
    /// Start, `"YYYY-MM-DDTHH:MM"` event-local.
    pub start: String,
    /// End, `"YYYY-MM-DDTHH:MM"` event-local, after `start`.
    pub end: String,
    /// Headcount wanted; each missing head costs `uncovered × priority`.
    pub min: i64,
    /// Most volunteers on the shift (rule 3); `0 <= min <= max`.
    pub max: i64,
    #[serde(default = "default_priority")]
    /// Weight of the shift's uncovered and quota costs (> 0, default 1).
    pub priority: f64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// Skills every assignee must hold (rule 2).
    pub requires: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// Quotas of qualifying assignees.
    pub quotas: Vec<Quota>,
}

fn default_priority() -> f64 {
    1.0
}

/// A quota: at least `at_least` assignees holding `skill`, or speaking
/// `language` at `level` or above. Exactly one of `skill` and `language`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Quota {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Skill an assignee must hold to count.
    pub skill: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Language an assignee must speak to count.
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Language level 1..5 at or above which an assignee counts (default 1).
    pub level: Option<i64>,
    /// Qualifying assignees wanted.
    pub at_least: i64,
}

impl Quota {
    /// The language level a quota asks for (default 1).
    pub fn level_or_default(&self) -> i64 {
        self.level.unwrap_or(1)
    }
}

/// One volunteer. Everything but `id` is optional.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Volunteer {
    /// Volunteer id, unique among volunteers.
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Site id where the volunteer lives (travel is counted from there).
    pub home: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// Skills held (shift `requires` and skill quotas check them).
    pub skills: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    /// Language code to level 1..5.
    pub languages: BTreeMap<String, i64>,
    /// Closed windows `[from, to]`; `None` means always available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<Vec<(String, String)>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Overrides [`Rules::min_shifts`].
    pub min_shifts: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Overrides [`Rules::max_shifts`].
    pub max_shifts: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Overrides [`Rules::min_rest_minutes`].
    pub min_rest_minutes: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Overrides [`Rules::max_minutes_per_day`].
    pub max_minutes_per_day: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Overrides [`Rules::max_consecutive_days`].
    pub max_consecutive_days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Preferred venues and roles.
    pub prefers: Option<Prefers>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Team that should serve at one venue.
    pub group: Option<String>,
    /// Shift ids the planner fixed for this volunteer (hard rule 8).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pinned: Vec<String>,
    /// Shift ids this volunteer must never get (hard rule 8).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded: Vec<String>,
}

/// A volunteer's preferred venues and roles (empty lists mean no preference).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Prefers {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// Preferred venue (site) ids.
    pub venues: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// Preferred roles.
    pub roles: Vec<String>,
}

/// A volunteer's limits after applying the scenario's rules as defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EffectiveRules {
    /// See [`Rules::min_rest_minutes`].
    pub min_rest_minutes: i64,
    /// See [`Rules::max_minutes_per_day`].
    pub max_minutes_per_day: i64,
    /// See [`Rules::max_consecutive_days`].
    pub max_consecutive_days: i64,
    /// See [`Rules::min_shifts`].
    pub min_shifts: i64,
    /// See [`Rules::max_shifts`].
    pub max_shifts: i64,
}

impl Volunteer {
    /// This volunteer's limits: their own field where given, else the rule.
    pub fn effective_rules(&self, rules: &Rules) -> EffectiveRules {
        EffectiveRules {
            min_rest_minutes: self.min_rest_minutes.unwrap_or(rules.min_rest_minutes),
            max_minutes_per_day: self
                .max_minutes_per_day
                .unwrap_or(rules.max_minutes_per_day),
            max_consecutive_days: self
                .max_consecutive_days
                .unwrap_or(rules.max_consecutive_days),
            min_shifts: self.min_shifts.unwrap_or(rules.min_shifts),
            max_shifts: self.max_shifts.unwrap_or(rules.max_shifts),
        }
    }
}

/// Last-minute changes, input to a re-solve.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Changes {
    /// `"volunteer-changes/1"` ([`CHANGES_FORMAT`]).
    pub format: String,
    /// The moment of the re-solve: shifts starting before it are frozen.
    pub now: String,
    #[serde(default)]
    /// Volunteers unavailable from some time on.
    pub dropouts: Vec<Dropout>,
    #[serde(default)]
    /// Volunteers added.
    pub new_volunteers: Vec<Volunteer>,
    #[serde(default)]
    /// Ids of shifts that no longer happen (their assignments go too).
    pub cancelled_shifts: Vec<String>,
    #[serde(default)]
    /// New `min`/`max` of existing shifts.
    pub shift_updates: Vec<ShiftUpdate>,
    #[serde(default)]
    /// Shifts added.
    pub new_shifts: Vec<Shift>,
}

/// A volunteer unavailable on `[from, until)` (no `until`: to the end).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Dropout {
    /// Volunteer id.
    pub volunteer: String,
    /// Start of the absence, `"YYYY-MM-DDTHH:MM"`.
    pub from: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// End of the absence (exclusive); `None` to the end of the event.
    pub until: Option<String>,
}

/// New `min` and/or `max` for an existing shift.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct ShiftUpdate {
    /// Shift id.
    pub shift: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// New minimum headcount.
    pub min: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// New maximum headcount.
    pub max: Option<i64>,
}

/// The objective breakdown of a roster, term by term, plus the total.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct ObjectiveBreakdown {
    /// Sum of the terms.
    pub total: f64,
    /// `uncovered × priority × max(0, min − assigned)`, summed over shifts.
    pub uncovered: f64,
    /// `quota_shortfall × priority × max(0, at_least − qualifying)`, summed over quotas.
    pub quota_shortfall: f64,
    /// `under_commitment × max(0, min_shifts − worked)`, summed over volunteers.
    pub under_commitment: f64,
    /// `preference_miss` per assignment outside preferred venues, and again outside preferred roles.
    pub preference_miss: f64,
    /// `travel_minute × travel(home, venue)` per assignment.
    pub travel: f64,
    /// `group_split × (venues used − 1)` per group with an assignment.
    pub group_split: f64,
    /// `volunteer_used` per volunteer with at least one assignment.
    pub volunteer_used: f64,
    #[serde(default)]
    /// `extra_load × max(0, worked − min_shifts)²` per volunteer.
    pub extra_load: f64,
    #[serde(default)]
    /// `change × changes` (re-solve only).
    pub change: f64,
}

impl ObjectiveBreakdown {
    /// Sum of the terms (what `total` must equal).
    pub fn sum_of_terms(&self) -> f64 {
        self.uncovered
            + self.quota_shortfall
            + self.under_commitment
            + self.preference_miss
            + self.travel
            + self.group_split
            + self.volunteer_used
            + self.extra_load
            + self.change
    }

    /// The terms as `(name, amount)` pairs, in the format page's order.
    pub fn terms(&self) -> [(&'static str, f64); 9] {
        [
            ("uncovered", self.uncovered),
            ("quota_shortfall", self.quota_shortfall),
            ("under_commitment", self.under_commitment),
            ("preference_miss", self.preference_miss),
            ("travel", self.travel),
            ("group_split", self.group_split),
            ("volunteer_used", self.volunteer_used),
            ("extra_load", self.extra_load),
            ("change", self.change),
        ]
    }
}

/// A standby candidate for one shift (optional roster extension).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct StandbyList {
    /// Shift id.
    pub shift: String,
    /// Volunteer ids, best first.
    pub volunteers: Vec<String>,
}

/// The solver's output: who works which shift, and what it claims it costs.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Roster {
    /// `"volunteer-roster/1"` ([`ROSTER_FORMAT`]).
    pub format: String,
    #[serde(default)]
    /// Name of the scenario the roster is for.
    pub scenario: String,
    #[serde(default)]
    /// Shift id to the ids of the volunteers on it.
    pub assignments: IndexMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The objective the solver claims, term by term.
    pub objective: Option<ObjectiveBreakdown>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Lower bound on the objective the solver claims.
    pub bound: Option<f64>,
    /// `(total − bound) / max(total, 1)`, when both are known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap: Option<f64>,
    /// The part of `total` in terms the bound does not price
    /// (`group_split`), when a bound is given: that much of the gap says
    /// nothing about the roster's quality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unpriced: Option<f64>,
    /// Ranked replacements per shift (from `resolve --standby`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub standby: Vec<StandbyList>,
}

/// A roster entry naming an id the scenario does not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnknownId {
    /// A shift id the scenario does not have.
    Shift(String),
    /// A volunteer id the scenario does not have.
    Volunteer {
        /// The shift it is listed on.
        shift: String,
        /// The unknown volunteer id.
        volunteer: String,
    },
}

/// A roster resolved against its scenario: who is on each shift and what
/// each volunteer works, as positions in the scenario's lists (roster
/// order, duplicates dropped).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResolvedRoster {
    /// Per shift: its crew (volunteer positions).
    pub crews: Vec<Vec<usize>>,
    /// Per volunteer: their schedule (shift positions).
    pub schedules: Vec<Vec<usize>>,
}

impl Roster {
    /// The roster's crews and schedules as scenario positions, or the first
    /// unknown id.
    pub fn resolve(&self, scenario: &Scenario) -> Result<ResolvedRoster, UnknownId> {
        use std::collections::HashMap;
        let shift_ix: HashMap<&str, usize> = scenario
            .shifts
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let vol_ix: HashMap<&str, usize> = scenario
            .volunteers
            .iter()
            .enumerate()
            .map(|(i, v)| (v.id.as_str(), i))
            .collect();
        let mut crew = vec![Vec::new(); scenario.shifts.len()];
        let mut sched = vec![Vec::new(); scenario.volunteers.len()];
        for (sid, vols) in &self.assignments {
            let s = *shift_ix
                .get(sid.as_str())
                .ok_or_else(|| UnknownId::Shift(sid.clone()))?;
            for vid in vols {
                let v = *vol_ix
                    .get(vid.as_str())
                    .ok_or_else(|| UnknownId::Volunteer {
                        shift: sid.clone(),
                        volunteer: vid.clone(),
                    })?;
                if !crew[s].contains(&v) {
                    crew[s].push(v);
                    sched[v].push(s);
                }
            }
        }
        Ok(ResolvedRoster {
            crews: crew,
            schedules: sched,
        })
    }

    /// An empty roster for a scenario.
    pub fn empty(scenario_name: &str) -> Roster {
        Roster {
            format: ROSTER_FORMAT.to_string(),
            scenario: scenario_name.to_string(),
            ..Roster::default()
        }
    }
}
