//! Why a roster leaves demand unfilled: for every shift below its minimum
//! and every unmet quota, how the pool of volunteers is used up, and the one
//! relaxation (of a rule, of the shift's time, of a skill) that would fill one
//! more head.
//!
//! Every volunteer not on the shift (for a quota: every qualifying one) gets
//! the *first* reason that keeps them off, in this order: excluded from the
//! shift (rule 8, never relaxed), unavailable, lacks a required skill, home unreachable, overlapping shift, too-close shift (rest
//! or travel), daily minutes, max shifts, consecutive days, shift full (quota
//! only); a volunteer with no reason is free and "the solver left it".
//!
//! Relaxations are found by re-checking the rules with one parameter changed
//! (never by estimate), and ranked by the relative size of the change:
//! `|new − old| / old` for a rule or the shift's start (old = shift length),
//! 1 for granting one volunteer a missing skill, 2 for recruiting. Free
//! volunteers cost 0. The cheapest that frees at least one volunteer wins.
//!
//! A blocking shift the volunteer is pinned to is named with `(pinned)`, and
//! each item lists the crew members pinned to the shift (what fills it by
//! the planner's hand, rule 8).
//!
//! Items are ordered by their objective cost: `weight × priority × shortage`.

use crate::problem::{CompileError, Problem, NONE, UNREACHABLE};
use crate::rules::{self, Limits};
use crate::scenario::{Roster, Scenario, UnknownId};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use thiserror::Error;

/// At most this many volunteer ids are listed per item (counts are exact).
pub const LIST_CAP: usize = 20;
/// Shift moves tried, in minutes (both directions).
pub const MOVE_STEPS: [i64; 8] = [15, 30, 45, 60, 90, 120, 180, 240];

impl From<UnknownId> for ExplainError {
    fn from(e: UnknownId) -> Self {
        match e {
            UnknownId::Shift(id) => ExplainError::UnknownShift(id),
            UnknownId::Volunteer { shift, volunteer } => {
                ExplainError::UnknownVolunteer { shift, volunteer }
            }
        }
    }
}

/// Why explain could not run.
#[derive(Debug, Error)]
pub enum ExplainError {
    #[error("cannot compile the scenario: {0}")]
    /// The scenario does not compile.
    Compile(#[from] CompileError),
    #[error("unknown shift '{0}'")]
    /// The roster names a shift the scenario does not have.
    UnknownShift(String),
    #[error("roster names unknown volunteer '{volunteer}' on shift '{shift}'")]
    /// The roster names a volunteer the scenario does not have.
    UnknownVolunteer {
        /// The shift it is listed on.
        shift: String,
        /// The unknown volunteer id.
        volunteer: String,
    },
}

/// The whole explanation, most costly item first.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Explanation {
    /// Scenario name.
    pub scenario: String,
    /// Sum of the items' costs (the uncovered and quota terms of the shifts explained).
    pub total_cost: f64,
    /// The shortages, most costly first.
    pub items: Vec<Unfilled>,
}

/// What is missing: heads below `min`, or qualifying assignees below a quota.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Demand {
    /// Heads below the shift's `min`.
    Coverage,
    /// Qualifying assignees below one of the shift's quotas.
    Quota {
        /// Position in the shift's `quotas`.
        index: usize,
        /// `skill first_aid` or `language en>=3`.
        label: String,
    },
}

/// One shortage with its reasons and its cheapest fix.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Unfilled {
    /// Shift id.
    pub shift: String,
    /// Venue (site id).
    pub venue: String,
    /// Role, if the shift has one.
    pub role: Option<String>,
    /// Start, `"YYYY-MM-DDTHH:MM"`.
    pub start: String,
    /// End, `"YYYY-MM-DDTHH:MM"`.
    pub end: String,
    /// Headcount or quota.
    pub demand: Demand,
    /// Heads wanted: the shift's `min`, or the quota's `at_least`.
    pub required: u32,
    /// Heads the roster has (for a quota: qualifying assignees).
    pub assigned: u32,
    /// `required − assigned`.
    pub shortage: u32,
    /// The shift's priority.
    pub priority: f64,
    /// `weight × priority × shortage`.
    pub cost: f64,
    /// Volunteers considered (not on the shift; for a quota, qualifying).
    pub pool: usize,
    /// For a quota: volunteers not on the shift who do not qualify.
    pub not_qualifying: usize,
    /// Counts per reason, in the order of the module documentation.
    pub reasons: Vec<ReasonCount>,
    /// Free volunteers (who could simply be added), at most [`LIST_CAP`].
    pub free: Vec<String>,
    /// Assignees pinned to this shift (rule 8), at most [`LIST_CAP`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pinned: Vec<String>,
    /// The cheapest relaxation that fills one more head, if any.
    pub relaxation: Option<Relaxation>,
}

/// Why a volunteer cannot be added.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The volunteer's `excluded` list names the shift (rule 8).
    Excluded,
    /// No availability window contains the shift (rule 2).
    Unavailable,
    /// Lacks a skill the shift requires (rule 2).
    MissingSkill,
    /// Home has no route to the venue (rule 2).
    UnreachableHome,
    /// On a shift that overlaps this one (rule 4).
    Overlapping,
    /// On a shift too close for rest or travel (rule 4).
    TooClose,
    /// Would exceed their daily minutes (rule 5).
    DailyMinutes,
    /// Would exceed their max shifts (rule 6).
    MaxShifts,
    /// Would exceed their consecutive-day limit (rule 7).
    ConsecutiveDays,
    /// Could join, but the shift is at its `max` (quota only).
    ShiftFull,
    /// Could be added: the solver left it.
    Free,
}

impl Reason {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Reason::Excluded => {
                "are excluded from this shift (rule 8: the planner's `excluded` list)"
            }
            Reason::Unavailable => "unavailable (no availability window contains the shift)",
            Reason::MissingSkill => "lack a required skill",
            Reason::UnreachableHome => "have a home with no route to the venue",
            Reason::Overlapping => "are on an overlapping shift",
            Reason::TooClose => "are on a shift too close (rest or travel)",
            Reason::DailyMinutes => "would exceed their daily minutes",
            Reason::MaxShifts => "would exceed their max shifts",
            Reason::ConsecutiveDays => "would exceed their consecutive-day limit",
            Reason::ShiftFull => "could join but the shift is at its max",
            Reason::Free => "are free: the solver left it",
        }
    }
}

/// How many volunteers a reason keeps off, with details (the missing skill,
/// the conflicting shift) and their counts.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ReasonCount {
    /// The reason.
    pub reason: Reason,
    /// Volunteers it keeps off.
    pub count: usize,
    /// `(skill or shift id, count)`, most frequent first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<(String, usize)>,
}

/// One parameter changed so that one more head can be filled.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// Assign a free volunteer (nothing to relax).
    AddFree,
    /// Swap a non-qualifying assignee for a qualifying free volunteer (quota on a full shift).
    Swap {
        /// The assignee to take off the shift.
        out: String,
    },
    /// Change the volunteers' rest (rule 4), in minutes.
    MinRest {
        /// Current value.
        from: i64,
        /// Relaxed value.
        to: i64,
    },
    /// Change the volunteers' daily minutes (rule 5).
    MaxMinutesPerDay {
        /// Current value.
        from: i64,
        /// Relaxed value.
        to: i64,
    },
    /// Change the volunteers' max shifts (rule 6).
    MaxShifts {
        /// Current value.
        from: i64,
        /// Relaxed value.
        to: i64,
    },
    /// Change the volunteers' consecutive-day limit (rule 7).
    MaxConsecutiveDays {
        /// Current value.
        from: i64,
        /// Relaxed value.
        to: i64,
    },
    /// Move the shift in time.
    MoveShift {
        /// Minutes to move it (negative: earlier), one of ±[`MOVE_STEPS`].
        minutes: i64,
    },
    /// A quota that cannot be met within `max` (every assignee already qualifies).
    RaiseMax {
        /// Current `max`.
        from: i64,
        /// Raised `max`.
        to: i64,
    },
    /// Grant one volunteer a missing skill.
    GrantSkill {
        /// The skill.
        skill: String,
    },
    /// Recruit one more volunteer (the last resort).
    Recruit {
        /// What they need (`skill …`, a quota's label, or availability).
        qualification: String,
    },
}

/// The cheapest relaxation found, with the volunteers it frees.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Relaxation {
    /// What to change.
    pub change: Change,
    /// The change in the planner's words.
    pub description: String,
    /// Relative size of the change (see the module documentation).
    pub cost: f64,
    /// How many volunteers it makes addable.
    pub frees: usize,
    /// Some of them (at most [`LIST_CAP`]).
    pub volunteers: Vec<String>,
}

/// The first reason that keeps a volunteer off, with its detail.
#[derive(Clone, Debug, PartialEq)]
enum Block {
    Excluded,
    Unavailable,
    MissingSkill(String),
    Unreachable,
    Overlap(usize),
    TooClose(usize),
    Daily,
    MaxShifts,
    Consecutive,
}

impl Block {
    fn reason(&self) -> Reason {
        match self {
            Block::Excluded => Reason::Excluded,
            Block::Unavailable => Reason::Unavailable,
            Block::MissingSkill(_) => Reason::MissingSkill,
            Block::Unreachable => Reason::UnreachableHome,
            Block::Overlap(_) => Reason::Overlapping,
            Block::TooClose(_) => Reason::TooClose,
            Block::Daily => Reason::DailyMinutes,
            Block::MaxShifts => Reason::MaxShifts,
            Block::Consecutive => Reason::ConsecutiveDays,
        }
    }
}

struct Ctx<'a> {
    sc: &'a Scenario,
    p: Problem,
    /// Availability windows relative to the problem's origin (rule 3).
    windows: Vec<Vec<(i64, i64)>>,
    skills: Vec<HashSet<&'a str>>,
    /// Per volunteer: the shift ids of its `pinned` and `excluded` lists.
    pinned: Vec<HashSet<&'a str>>,
    excluded: Vec<HashSet<&'a str>>,
    /// Per volunteer: shifts in the roster.
    sched: Vec<Vec<usize>>,
    /// Per shift: volunteers in the roster.
    crew: Vec<Vec<usize>>,
}

/// A shortage: (shift, quota or coverage, required, have).
type Shortage = (usize, Option<usize>, u32, u32);

/// Explains every shortage of `roster` (or only those of `only_shift`).
pub fn explain(
    scenario: &Scenario,
    roster: &Roster,
    only_shift: Option<&str>,
) -> Result<Explanation, ExplainError> {
    let p = Problem::compile(scenario)?;
    let only = match only_shift {
        Some(id) => Some(
            scenario
                .shifts
                .iter()
                .rposition(|s| s.id == id)
                .ok_or_else(|| ExplainError::UnknownShift(id.to_string()))?,
        ),
        None => None,
    };
    let ctx = Ctx::new(scenario, roster, p)?;
    let demands = ctx.shortages(only);
    // Items are independent: explain them in parallel (order kept).
    let mut items: Vec<Unfilled> = demands
        .par_iter()
        .map(|&(s, q, required, have)| ctx.item(s, q, required, have))
        .collect();
    items.sort_by(|a, b| b.cost.total_cmp(&a.cost).then(a.shift.cmp(&b.shift)));
    Ok(Explanation {
        scenario: scenario.name.clone(),
        total_cost: items.iter().map(|i| i.cost).sum(),
        items,
    })
}

impl<'a> Ctx<'a> {
    /// The compiled problem `p`, the roster's crews and schedules, and each
    /// volunteer's windows, skills, pins and exclusions.
    fn new(scenario: &'a Scenario, roster: &Roster, p: Problem) -> Result<Self, ExplainError> {
        let resolved = roster.resolve(scenario)?;
        let windows = scenario
            .volunteers
            .iter()
            .enumerate()
            .map(|(vi, v)| crate::problem::availability_windows(vi, v, p.origin_day()))
            .collect::<Result<_, _>>()?;
        let ids = |list: fn(&crate::scenario::Volunteer) -> &Vec<String>| {
            scenario
                .volunteers
                .iter()
                .map(|v| list(v).iter().map(String::as_str).collect())
                .collect()
        };
        Ok(Ctx {
            sc: scenario,
            p,
            windows,
            skills: ids(|v| &v.skills),
            pinned: ids(|v| &v.pinned),
            excluded: ids(|v| &v.excluded),
            sched: resolved.schedules,
            crew: resolved.crews,
        })
    }

    /// Every shortage of the roster (of shift `only` alone if given), in
    /// shift order: coverage first, then each unmet quota.
    fn shortages(&self, only: Option<usize>) -> Vec<Shortage> {
        let mut demands = Vec::new();
        for s in 0..self.sc.shifts.len() {
            if only.is_some_and(|o| o != s) {
                continue;
            }
            let sh = &self.p.shifts()[s];
            let n = self.crew[s].len() as u32;
            if n < sh.min {
                demands.push((s, None, sh.min, n));
            }
            for qi in 0..sh.quota_count as usize {
                let q = &self.p.quotas()[sh.quota_start as usize + qi];
                let have = self.crew[s]
                    .iter()
                    .filter(|&&v| self.qualifies(v, s, qi))
                    .count() as u32;
                if have < q.at_least {
                    demands.push((s, Some(qi), q.at_least, have));
                }
            }
        }
        demands
    }
}

impl Ctx<'_> {
    fn limits(&self, v: usize) -> Limits {
        Limits::of(&self.p.volunteers()[v])
    }

    /// Whether `v` counts towards quota `qi` of shift `s`.
    fn qualifies(&self, v: usize, s: usize, qi: usize) -> bool {
        crate::quota::qualifies(&self.sc.shifts[s].quotas[qi], &self.sc.volunteers[v])
    }

    fn quota_label(&self, s: usize, qi: usize) -> String {
        crate::quota::label(&self.sc.shifts[s].quotas[qi])
    }

    /// The first rule that keeps `v` off shift `s` (moved by `delta`
    /// minutes) under limits `lim`; `None` if `v` can be added. With
    /// `skip_skills`, required skills are not checked. Rules 3–7 are asked
    /// of [`crate::rules`], the solver's one home for each.
    fn check(
        &self,
        v: usize,
        s: usize,
        delta: i64,
        lim: Limits,
        skip_skills: bool,
    ) -> Option<Block> {
        let p = &self.p;
        let sh = &p.shifts()[s];
        let at = (sh.start + delta, sh.end + delta);
        if self.excluded[v].contains(self.sc.shifts[s].id.as_str()) {
            return Some(Block::Excluded);
        }
        if !rules::available(&self.windows[v], at.0, at.1) {
            return Some(Block::Unavailable);
        }
        if !skip_skills {
            if let Some(k) = self.sc.shifts[s]
                .requires
                .iter()
                .find(|k| !self.skills[v].contains(k.as_str()))
            {
                return Some(Block::MissingSkill(k.clone()));
            }
        }
        if p.volunteers()[v].home != NONE && p.home_travel(v, s) == UNREACHABLE {
            return Some(Block::Unreachable);
        }
        let others = self.others(v, s);
        self.spacing_block(s, at, lim.rest, &others)
            .or_else(|| self.load_block(at, lim, &others))
    }

    /// Volunteer `v`'s shifts in the roster other than `s` (roster order).
    fn others(&self, v: usize, s: usize) -> Vec<usize> {
        self.sched[v].iter().copied().filter(|&t| t != s).collect()
    }

    /// Rule 4 for shift `s` at `at` against `others`: overlaps first, then
    /// shifts too close (rest `rest` or travel).
    fn spacing_block(
        &self,
        s: usize,
        at: (i64, i64),
        rest: i64,
        others: &[usize],
    ) -> Option<Block> {
        let p = &self.p;
        let span = |t: usize| (p.shifts()[t].start, p.shifts()[t].end);
        if let Some(&t) = others.iter().find(|&&t| rules::overlap(span(t), at)) {
            return Some(Block::Overlap(t));
        }
        let venue = p.shifts()[s].venue;
        others
            .iter()
            .find(|&&t| {
                let need = rules::spacing_needed(rest, p.venue_travel(p.shifts()[t].venue, venue));
                !rules::spaced(span(t), at, need)
            })
            .map(|&t| Block::TooClose(t))
    }

    /// Rules 5–7 for a shift at `at` beside `others` under limits `lim`.
    fn load_block(&self, at: (i64, i64), lim: Limits, others: &[usize]) -> Option<Block> {
        let day = rules::day(at.0);
        if !rules::within_daily(self.day_minutes(day, at.1 - at.0, others), lim.daily) {
            return Some(Block::Daily);
        }
        if !rules::within_max_shifts(others.len() as i64, lim.max_shifts) {
            return Some(Block::MaxShifts);
        }
        if !rules::within_consecutive(self.run_through(others, day), lim.consecutive) {
            return Some(Block::Consecutive);
        }
        None
    }

    /// Rule 5: minutes on `day` with a shift of `minutes` there beside `others`.
    fn day_minutes(&self, day: i64, minutes: i64, others: &[usize]) -> i64 {
        let p = &self.p;
        let shift = |&t: &usize| (i64::from(p.shifts()[t].day), p.shifts()[t].duration());
        rules::day_minutes(day, minutes, others.iter().map(shift))
    }

    /// Rule 7: the run of worked days through `day` if `day` were worked.
    fn run_through(&self, others: &[usize], day: i64) -> i64 {
        let mut days: Vec<i64> = others
            .iter()
            .map(|&t| i64::from(self.p.shifts()[t].day))
            .collect();
        days.sort_unstable();
        rules::run_through(days.into_iter(), day)
    }

    fn item(&self, s: usize, quota: Option<usize>, required: u32, have: u32) -> Unfilled {
        let sc = &self.sc.shifts[s];
        let sh = &self.p.shifts()[s];
        let w = self.p.weights();
        let shortage = required - have;
        let (demand, weight) = match quota {
            None => (Demand::Coverage, w.uncovered),
            Some(qi) => (
                Demand::Quota {
                    index: qi,
                    label: self.quota_label(s, qi),
                },
                w.quota_shortfall,
            ),
        };
        let full = self.crew[s].len() as u32 >= sh.max;
        let (pool, not_qualifying) = self.candidates(s, quota);
        let blocks: Vec<Option<Block>> = pool
            .iter()
            .map(|&v| self.check(v, s, 0, self.limits(v), false))
            .collect();
        let (reasons, free) = self.tally(&pool, &blocks, full);
        let relaxation = self.relax(s, quota, &pool, &blocks, &free, full);
        let pinned: Vec<usize> = self.crew[s]
            .iter()
            .copied()
            .filter(|&v| self.pinned[v].contains(sc.id.as_str()))
            .collect();
        Unfilled {
            shift: sc.id.clone(),
            venue: sc.venue.clone(),
            role: sc.role.clone(),
            start: sc.start.clone(),
            end: sc.end.clone(),
            demand,
            required,
            assigned: have,
            shortage,
            priority: sh.priority,
            cost: weight * sh.priority * shortage as f64,
            pool: pool.len(),
            not_qualifying,
            reasons,
            free: self.ids(&free),
            pinned: self.ids(&pinned),
            relaxation: Some(relaxation),
        }
    }

    /// The volunteers not on shift `s` who could count (for `quota`, those
    /// who qualify), and how many were left out for not qualifying.
    fn candidates(&self, s: usize, quota: Option<usize>) -> (Vec<usize>, usize) {
        let mut pool = Vec::new();
        let mut not_qualifying = 0;
        for v in 0..self.sc.volunteers.len() {
            if self.crew[s].contains(&v) {
                continue;
            }
            if let Some(qi) = quota {
                if !self.qualifies(v, s, qi) {
                    not_qualifying += 1;
                    continue;
                }
            }
            pool.push(v);
        }
        (pool, not_qualifying)
    }

    /// Counts the candidates by the first rule that blocks them (with the
    /// skill or shift in the way), and lists those nothing blocks.
    fn tally(
        &self,
        pool: &[usize],
        blocks: &[Option<Block>],
        full: bool,
    ) -> (Vec<ReasonCount>, Vec<usize>) {
        let mut counts: BTreeMap<Reason, (usize, BTreeMap<String, usize>)> = BTreeMap::new();
        let mut free = Vec::new();
        for (&v, b) in pool.iter().zip(blocks) {
            let (reason, detail) = match b {
                None if full => (Reason::ShiftFull, None),
                None => (Reason::Free, None),
                Some(b) => (
                    b.reason(),
                    match b {
                        Block::MissingSkill(k) => Some(k.clone()),
                        Block::Overlap(t) | Block::TooClose(t) => Some(self.shift_name(v, *t)),
                        _ => None,
                    },
                ),
            };
            if b.is_none() {
                free.push(v);
            }
            let e = counts.entry(reason).or_default();
            e.0 += 1;
            if let Some(d) = detail {
                *e.1.entry(d).or_default() += 1;
            }
        }
        let reasons = counts
            .into_iter()
            .map(|(reason, (count, d))| {
                let mut details: Vec<(String, usize)> = d.into_iter().collect();
                details.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                ReasonCount {
                    reason,
                    count,
                    details,
                }
            })
            .collect();
        (reasons, free)
    }

    /// A shift id, with `(pinned)` when volunteer `v` is pinned to it.
    fn shift_name(&self, v: usize, t: usize) -> String {
        let id = &self.sc.shifts[t].id;
        if self.pinned[v].contains(id.as_str()) {
            format!("{id} (pinned)")
        } else {
            id.clone()
        }
    }

    fn ids(&self, vols: &[usize]) -> Vec<String> {
        vols.iter()
            .take(LIST_CAP)
            .map(|&v| self.sc.volunteers[v].id.clone())
            .collect()
    }

    /// The cheapest single relaxation that makes one more volunteer addable.
    fn relax(
        &self,
        s: usize,
        quota: Option<usize>,
        pool: &[usize],
        blocks: &[Option<Block>],
        free: &[usize],
        full: bool,
    ) -> Relaxation {
        Relax {
            ctx: self,
            s,
            quota,
            pool,
            blocks,
            free,
            full,
        }
        .cheapest()
    }
}

/// One shortage's search for its cheapest relaxation: the shift, the
/// candidates with the first rule blocking each, and who is free.
struct Relax<'c, 'a> {
    ctx: &'c Ctx<'a>,
    s: usize,
    quota: Option<usize>,
    pool: &'c [usize],
    blocks: &'c [Option<Block>],
    free: &'c [usize],
    /// The shift is at its `max`.
    full: bool,
}

/// Keeps `r` if it is cheaper than the best so far.
fn offer(best: &mut Option<Relaxation>, r: Relaxation) {
    if best.as_ref().is_none_or(|b| r.cost < b.cost) {
        *best = Some(r);
    }
}

/// Picks one limit out of a volunteer's [`Limits`].
type Pick = fn(&mut Limits) -> &mut i64;

/// The limits a relaxation may change, with the reason each one lifts.
const LIMIT_PARAMS: [(Reason, Pick); 4] = [
    (Reason::TooClose, |l| &mut l.rest),
    (Reason::DailyMinutes, |l| &mut l.daily),
    (Reason::MaxShifts, |l| &mut l.max_shifts),
    (Reason::ConsecutiveDays, |l| &mut l.consecutive),
];

impl Relax<'_, '_> {
    /// Nothing to relax first (a free volunteer, a swap, or only a higher
    /// `max` helps); else the cheapest change of a limit, a skill or the
    /// shift's time; else recruiting.
    fn cheapest(&self) -> Relaxation {
        let swap_out = self.swap_out();
        if let Some(r) = self.without_relaxing(swap_out.as_deref()) {
            return r;
        }
        let mut best: Option<Relaxation> = None;
        for (reason, pick) in LIMIT_PARAMS {
            if let Some(r) = self.limit(reason, pick) {
                offer(&mut best, r);
            }
        }
        if let Some(r) = self.grant_skill() {
            offer(&mut best, r);
        }
        if let Some(r) = self.move_shift(best.as_ref().map(|b| b.cost)) {
            offer(&mut best, r);
        }
        if let (Some(b), Some(out)) = (best.as_mut(), swap_out.filter(|_| self.full)) {
            b.description
                .push_str(&format!(", then swap out {out} (the shift is at its max)"));
        }
        best.unwrap_or_else(|| self.recruit())
    }

    /// For a quota: an assignee who does not count towards it.
    fn swap_out(&self) -> Option<String> {
        let (ctx, s) = (self.ctx, self.s);
        self.quota.and_then(|qi| {
            ctx.crew[s]
                .iter()
                .find(|&&v| !ctx.qualifies(v, s, qi))
                .map(|&v| ctx.sc.volunteers[v].id.clone())
        })
    }

    /// A fix that changes no rule: a higher `max` when every assignee
    /// already counts, adding a free volunteer, or swapping one in.
    fn without_relaxing(&self, swap_out: Option<&str>) -> Option<Relaxation> {
        let free = self.free;
        if self.full && swap_out.is_none() {
            let from = self.ctx.sc.shifts[self.s].max;
            return Some(Relaxation {
                change: Change::RaiseMax { from, to: from + 1 },
                description: format!(
                    "every assignee already counts: a max of {} instead of {from} is needed",
                    from + 1
                ),
                cost: 1.0 / from.max(1) as f64,
                frees: free.len(),
                volunteers: self.ctx.ids(free),
            });
        }
        if free.is_empty() {
            return None;
        }
        let (change, description) = match swap_out {
            None if self.full => return None,
            Some(out) if self.full => (
                Change::Swap { out: out.to_string() },
                format!(
                    "swap assignee {out} (not counting for the quota) for one of {} free qualifying volunteer(s)",
                    free.len()
                ),
            ),
            _ => (
                Change::AddFree,
                format!(
                    "nothing to relax: {} free volunteer(s) could simply be added (the solver left it)",
                    free.len()
                ),
            ),
        };
        Some(Relaxation {
            change,
            description,
            cost: 0.0,
            frees: free.len(),
            volunteers: self.ctx.ids(free),
        })
    }

    /// The change of one limit that frees the most volunteers blocked by
    /// `reason` for the least change: for each, the least value that lets
    /// them in; then the value nearest the current one.
    fn limit(&self, reason: Reason, pick: Pick) -> Option<Relaxation> {
        let (ctx, s) = (self.ctx, self.s);
        // (needed value, current value, volunteer)
        let mut needs: Vec<(i64, i64, usize)> = Vec::new();
        for (&v, b) in self.pool.iter().zip(self.blocks) {
            if b.as_ref().is_none_or(|b| b.reason() != reason) {
                continue;
            }
            let lim = ctx.limits(v);
            let current = *pick(&mut lim.clone());
            if let Some(n) = ctx.needed(v, s, reason, lim) {
                let mut l2 = lim;
                *pick(&mut l2) = n;
                if ctx.check(v, s, 0, l2, false).is_none() {
                    needs.push((n, current, v));
                }
            }
        }
        let &(n, cur, _) = needs
            .iter()
            .min_by(|a, b| rel(a.0, a.1).total_cmp(&rel(b.0, b.1)))?;
        let freed: Vec<usize> = needs
            .iter()
            .filter(|&&(n2, c2, _)| {
                c2 == cur
                    && (n2 - c2).abs() <= (n - cur).abs()
                    && (n2 - c2).signum() == (n - cur).signum()
            })
            .map(|x| x.2)
            .collect();
        let (change, description) = limit_change(reason, cur, n, freed.len());
        Some(Relaxation {
            change,
            description,
            cost: rel(n, cur),
            frees: freed.len(),
            volunteers: ctx.ids(&freed),
        })
    }

    /// Granting one missing skill: the skill that is the only obstacle of
    /// the most volunteers.
    fn grant_skill(&self) -> Option<Relaxation> {
        let (ctx, s) = (self.ctx, self.s);
        let mut by_skill: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (&v, b) in self.pool.iter().zip(self.blocks) {
            if let Some(Block::MissingSkill(_)) = b {
                let missing: Vec<&str> = ctx.sc.shifts[s]
                    .requires
                    .iter()
                    .filter(|k| !ctx.skills[v].contains(k.as_str()))
                    .map(String::as_str)
                    .collect();
                if missing.len() == 1 && ctx.check(v, s, 0, ctx.limits(v), true).is_none() {
                    by_skill.entry(missing[0]).or_default().push(v);
                }
            }
        }
        let (skill, vols) = by_skill.iter().max_by_key(|(_, v)| v.len())?;
        Some(Relaxation {
            change: Change::GrantSkill {
                skill: skill.to_string(),
            },
            description: format!(
                "one more volunteer with skill {skill}: {} volunteer(s) could serve but lack it",
                vols.len()
            ),
            cost: 1.0,
            frees: vols.len(),
            volunteers: ctx.ids(vols),
        })
    }

    /// Moving the shift, nearest first, only while cheaper than `best`
    /// (the cost of the best relaxation so far): the first move that frees
    /// someone (never on a full shift).
    fn move_shift(&self, best: Option<f64>) -> Option<Relaxation> {
        let ctx = self.ctx;
        let duration = ctx.p.shifts()[self.s].duration().max(1);
        let movable = self.movable();
        for step in MOVE_STEPS {
            let cost = step as f64 / duration as f64;
            if best.is_some_and(|b| b <= cost) {
                return None;
            }
            for delta in [-step, step] {
                let freed: Vec<usize> = movable
                    .iter()
                    .copied()
                    .filter(|&v| ctx.check(v, self.s, delta, ctx.limits(v), false).is_none())
                    .collect();
                if !freed.is_empty() && !self.full {
                    let dir = if delta < 0 { "earlier" } else { "later" };
                    return Some(Relaxation {
                        change: Change::MoveShift { minutes: delta },
                        description: format!(
                            "starting the shift {step} minutes {dir} would free {} volunteer(s)",
                            freed.len()
                        ),
                        cost,
                        frees: freed.len(),
                        volunteers: ctx.ids(&freed),
                    });
                }
            }
        }
        None
    }

    /// Candidates kept off by a time-dependent rule (the only obstacles
    /// that can move with the shift).
    fn movable(&self) -> Vec<usize> {
        self.pool
            .iter()
            .zip(self.blocks)
            .filter(|(_, b)| {
                matches!(
                    b,
                    Some(
                        Block::Unavailable
                            | Block::Overlap(_)
                            | Block::TooClose(_)
                            | Block::Daily
                            | Block::Consecutive
                    )
                )
            })
            .map(|(&v, _)| v)
            .collect()
    }

    /// The last resort: one more volunteer with the missing qualification.
    fn recruit(&self) -> Relaxation {
        let sc = &self.ctx.sc.shifts[self.s];
        let qualification = match self.quota {
            Some(qi) => self.ctx.quota_label(self.s, qi),
            None if sc.requires.is_empty() => "available at that time".to_string(),
            None => format!("skill {}", sc.requires.join(" + ")),
        };
        Relaxation {
            description: format!("recruit one more volunteer with {qualification}"),
            change: Change::Recruit { qualification },
            cost: 2.0,
            frees: 0,
            volunteers: Vec::new(),
        }
    }
}

/// The change of the limit behind `reason` from `cur` to `n`, and its
/// description (it frees `k` volunteers).
fn limit_change(reason: Reason, cur: i64, n: i64, k: usize) -> (Change, String) {
    match reason {
        Reason::TooClose => (
            Change::MinRest { from: cur, to: n },
            format!("a rest of {n} minutes instead of {cur} would free {k} volunteer(s)"),
        ),
        Reason::DailyMinutes => (
            Change::MaxMinutesPerDay { from: cur, to: n },
            format!("a daily limit of {n} minutes instead of {cur} would free {k} volunteer(s)"),
        ),
        Reason::MaxShifts => (
            Change::MaxShifts { from: cur, to: n },
            format!("max shifts {n} instead of {cur} would free {k} volunteer(s)"),
        ),
        _ => (
            Change::MaxConsecutiveDays { from: cur, to: n },
            format!("{n} consecutive days instead of {cur} would free {k} volunteer(s)"),
        ),
    }
}

impl Ctx<'_> {
    /// The value of one limit that `v` would need to pass the rule that blocks them.
    fn needed(&self, v: usize, s: usize, reason: Reason, lim: Limits) -> Option<i64> {
        let p = &self.p;
        let sh = &p.shifts()[s];
        let others = self.others(v, s);
        let day = rules::day(sh.start);
        match reason {
            Reason::TooClose => {
                // The largest rest every neighbour allows; travel must still fit.
                let mut r = i64::MAX;
                for &t in &others {
                    let o = &p.shifts()[t];
                    let (a, b) = ((o.start, o.end), (sh.start, sh.end));
                    let travel_only = rules::spacing_needed(0, p.venue_travel(o.venue, sh.venue));
                    if !rules::spaced(a, b, travel_only) {
                        return None;
                    }
                    r = r.min(rules::idle_between(a, b));
                }
                (r < lim.rest).then_some(r)
            }
            Reason::DailyMinutes => Some(self.day_minutes(day, sh.duration(), &others)),
            Reason::MaxShifts => Some(others.len() as i64 + 1),
            Reason::ConsecutiveDays => Some(self.run_through(&others, day)),
            _ => None,
        }
    }
}

/// Relative size of changing a limit from `cur` to `new`.
fn rel(new: i64, cur: i64) -> f64 {
    (new - cur).abs() as f64 / cur.max(1) as f64
}

impl Explanation {
    /// A plain-text report, one block per item.
    pub fn text(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        if self.items.is_empty() {
            out.push_str("every shift is at its minimum and every quota is met\n");
            return out;
        }
        for it in &self.items {
            let what = match &it.demand {
                Demand::Coverage => "coverage".to_string(),
                Demand::Quota { label, .. } => format!("quota {label}"),
            };
            let _ = writeln!(
                out,
                "{} ({} {}, {}..{}): {what} {}/{} short {} (cost {:.1})",
                it.shift,
                it.venue,
                it.role.as_deref().unwrap_or("-"),
                it.start,
                it.end,
                it.assigned,
                it.required,
                it.shortage,
                it.cost
            );
            let _ = write!(out, "  pool {} volunteer(s)", it.pool);
            if it.not_qualifying > 0 {
                let _ = write!(out, " ({} more do not qualify)", it.not_qualifying);
            }
            out.push('\n');
            for r in &it.reasons {
                let _ = write!(out, "  {:>6} {}", r.count, r.reason.describe());
                if !r.details.is_empty() {
                    let d: Vec<String> = r
                        .details
                        .iter()
                        .take(5)
                        .map(|(n, c)| format!("{n} ×{c}"))
                        .collect();
                    let _ = write!(out, ": {}", d.join(", "));
                }
                out.push('\n');
            }
            if !it.pinned.is_empty() {
                let _ = writeln!(
                    out,
                    "  pinned (rule 8) on the shift: {}",
                    it.pinned.join(", ")
                );
            }
            if let Some(r) = &it.relaxation {
                let _ = writeln!(out, "  fix: {}", r.description);
            }
        }
        out
    }
}
