//! The solver's view of a scenario: dense indices, minutes, travel matrix,
//! eligibility in both directions, per-pair static costs and quota masks.
//!
//! Nothing downstream of [`Problem::compile`] sees a string id. Volunteer `v`
//! is `scenario.volunteers[v]` and shift `s` is `scenario.shifts[s]`: the
//! dense index is the position in the file, so ids map back trivially.
//!
//! Eligible pairs are stored twice in CSR form: per volunteer sorted by shift
//! start (the spacing rule only needs neighbours in that order), and per
//! shift. A pair is identified by its position `p` in the volunteer-side
//! arrays; the shift side stores `p` too so both views share the per-pair
//! data (`pair_cost`, `pair_quota_mask`).

mod restrict;
pub use restrict::Part;

use crate::scenario::{Scenario, Volunteer, Weights};
use crate::time::{day_of, parse_time, TimeError, MINUTES_PER_DAY};
use petgraph::graph::{NodeIndex, UnGraph};
use rayon::prelude::*;
use std::collections::HashMap;
use thiserror::Error;

/// Travel time marking "unreachable". Travel is kept in `u64`: a path of
/// several links of up to 2^31 − 1 minutes each (the validator's range)
/// overflows `u32`, and the travel term must equal the checker's sum.
pub const UNREACHABLE: u64 = u64::MAX;
/// Most quotas one shift may carry (they are tracked as bits of a `u32`).
pub const MAX_QUOTAS_PER_SHIFT: usize = 32;
/// `pair_flags` bit: the pair is in the previous roster.
pub const PAIR_PREVIOUS: u8 = 4;
/// `pair_flags` mask: number of preference misses (0..=2).
pub const PAIR_MISSES: u8 = 3;
/// `pair_flags` bit: the pair is pinned (a frozen pair of a re-solve or a
/// volunteer's `pinned` shift, rule 8) and must stay assigned.
pub const PAIR_PINNED: u8 = 8;
/// Marker for "no role" / "no home" / "no group".
pub const NONE: u32 = u32::MAX;

/// Why a scenario could not be compiled. Validation reports these (and
/// more) with JSON paths; compile re-checks only what it relies on.
#[derive(Debug, Error)]
pub enum CompileError {
    #[error("{path}: unknown {what} '{id}'")]
    /// A reference to an id the scenario does not define.
    UnknownId {
        /// JSON path of the reference.
        path: String,
        /// What kind of id it should name (`"site"`, `"shift"`, …).
        what: &'static str,
        /// The unknown id.
        id: String,
    },
    #[error("{path}: {source}")]
    /// A time that does not parse or lies outside the event.
    Time {
        /// JSON path of the time.
        path: String,
        #[source]
        /// Why the time was refused.
        source: TimeError,
    },
    #[error("{path}: {message}")]
    /// Any other value compile cannot use.
    Invalid {
        /// JSON path of the value.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    #[error("shift '{shift}' has {count} quotas; at most {MAX_QUOTAS_PER_SHIFT} are supported")]
    /// A shift with more quotas than [`MAX_QUOTAS_PER_SHIFT`].
    TooManyQuotas {
        /// Shift id.
        shift: String,
        /// Number of quotas it has.
        count: usize,
    },
    /// More eligible pairs than the caller's limit (checked on an estimate
    /// from a sample of volunteers before the pair arrays are allocated,
    /// then on the exact count).
    #[error(
        "the scenario has {}{pairs} eligible (shift, volunteer) pairs; the memory limit allows {max_pairs}",
        if *estimated { "about " } else { "" }
    )]
    TooLarge {
        /// Eligible pairs counted (or estimated).
        pairs: usize,
        /// The caller's limit.
        max_pairs: usize,
        /// `pairs` is an estimate from a sample.
        estimated: bool,
    },
}

/// One shift, compiled.
#[derive(Clone, Debug)]
pub struct ShiftInfo {
    /// Minutes since the origin (midnight of the event's first day).
    pub start: i64,
    /// End, in minutes since the origin (after `start`).
    pub end: i64,
    /// Calendar day index of `start` since the origin day.
    pub day: u32,
    /// Index into `venues`.
    pub venue: u32,
    /// Index into `roles`, or [`NONE`].
    pub role: u32,
    /// Minimum headcount (demand); each missing volunteer costs `uncovered × priority`.
    pub min: u32,
    /// Maximum headcount (a hard rule).
    pub max: u32,
    /// Priority of the shift (multiplies the uncovered and quota costs).
    pub priority: f64,
    /// Quotas of this shift: `quotas[quota_start .. quota_start + quota_count]`.
    pub quota_start: u32,
    /// Number of quotas of this shift (at most [`MAX_QUOTAS_PER_SHIFT`]).
    pub(crate) quota_count: u32,
    /// Frozen (re-solve): the assignment is pinned and must not change.
    pub frozen: bool,
}

impl ShiftInfo {
    /// Length of the shift in minutes.
    pub fn duration(&self) -> i64 {
        self.end - self.start
    }
}

/// One volunteer, compiled (rules already resolved against the defaults).
#[derive(Clone, Debug)]
pub struct VolunteerInfo {
    /// Minimum rest between two shifts, in minutes.
    pub min_rest: i64,
    /// Most minutes worked on one calendar day.
    pub max_minutes_per_day: i64,
    /// Most consecutive calendar days worked.
    pub max_consecutive_days: u32,
    /// Commitment: shifts below this cost `under_commitment` each.
    pub min_shifts: u32,
    /// Most shifts in the event (a hard rule).
    pub max_shifts: u32,
    /// Site index of home, or [`NONE`].
    pub home: u32,
    /// Group index, or [`NONE`].
    pub group: u32,
}

/// One quota of one shift.
#[derive(Clone, Debug)]
pub struct QuotaInfo {
    /// Index of the shift the quota belongs to.
    pub shift: u32,
    /// Qualifying assignees wanted on the shift.
    pub at_least: u32,
    /// `quota_shortfall × priority`: cost per missing qualifying assignee.
    pub unit_cost: f64,
    /// Who counts for the quota, as a dense index: quotas with the same
    /// skill, or the same language at the same level, share a class.
    pub class: u32,
}

/// Options for compiling a re-solve (pinned frozen pairs, previous roster).
#[derive(Clone, Debug, Default)]
pub struct CompileOptions {
    /// Shifts (scenario indices) whose assignment is frozen.
    pub frozen_shifts: Vec<usize>,
    /// `(shift, volunteer)` pairs (scenario indices) pinned on frozen shifts;
    /// they exist even when not eligible.
    pub pinned_pairs: Vec<(usize, usize)>,
    /// `(shift, volunteer)` pairs of the previous roster that may be kept;
    /// keeping one saves the `change` weight, dropping one costs it.
    pub previous_pairs: Vec<(usize, usize)>,
    /// A re-solve: every pair not in `previous_pairs` costs `change`.
    pub repair: bool,
    /// Number of previous pairs whose removal would count as a change if no
    /// previous pair were kept (the re-solve computes it, since forced
    /// removals on lowered-`max` shifts depend on the update). The objective
    /// constant is `change × change_baseline`; each kept previous pair then
    /// saves `change`.
    pub change_baseline: usize,
    /// Refuse (with [`CompileError::TooLarge`]) scenarios with more eligible
    /// pairs than this; see [`crate::limits`] for the memory model.
    pub max_pairs: Option<usize>,
}

/// The compiled problem. Fields are private: the two CSR views, the
/// pair arrays and the sorted pin list are built together by
/// [`Problem::compile_with`] and must stay consistent, so they are read
/// through accessors only.
#[derive(Clone, Debug)]
pub struct Problem {
    /// Scenario name.
    name: String,
    /// Objective weights, as in the scenario.
    weights: Weights,
    /// Day number (days since 1970-01-01) of the origin.
    origin_day: i64,
    /// Site ids, indexed by site.
    site_ids: Vec<String>,
    /// Site index of each venue (a site that hosts at least one shift).
    venue_sites: Vec<u32>,
    /// `travel[venue * n_sites + site]` in minutes, [`UNREACHABLE`] if none.
    travel: Vec<u64>,
    /// Role names, indexed by role (see [`ShiftInfo::role`]).
    role_names: Vec<String>,
    /// Shift ids, indexed by shift (scenario order).
    shift_ids: Vec<String>,
    /// Compiled shifts, indexed by shift (scenario order).
    shifts: Vec<ShiftInfo>,
    /// Volunteer ids, indexed by volunteer (scenario order).
    volunteer_ids: Vec<String>,
    /// Compiled volunteers, indexed by volunteer (scenario order).
    volunteers: Vec<VolunteerInfo>,
    /// All quotas, indexed by quota; each shift's quotas are contiguous (see [`ShiftInfo::quota_start`]).
    quotas: Vec<QuotaInfo>,
    /// Group ids, indexed by group (see [`VolunteerInfo::group`]).
    group_ids: Vec<String>,
    /// Number of calendar days from the origin day to the last shift's day.
    n_days: u32,
    /// Volunteer-side CSR: pairs of volunteer `v` are `vol_start[v]..vol_start[v+1]`,
    /// sorted by (shift start, shift index).
    vol_start: Vec<usize>,
    /// Shift of each pair, indexed by pair (volunteer-side CSR order).
    pair_shift: Vec<u32>,
    /// Volunteer of each pair (the inverse of `vol_start`).
    pair_vol: Vec<u32>,
    /// Static cost of the pair when assigned: preference misses, travel, and
    /// in a re-solve ±`change` (kept previous pairs are cheaper).
    pair_cost: Vec<f64>,
    /// Bit `i` set when the volunteer counts for quota `quota_start + i` of the shift.
    pair_quota_mask: Vec<u32>,
    /// Per pair: bits 0–1 the number of preference misses (venue, role),
    /// bit 2 set when the pair is in the previous roster (re-solve), bit 3
    /// ([`PAIR_PINNED`]) set when the pair is pinned.
    pair_flags: Vec<u8>,
    /// Shift-side CSR: pairs of shift `s` are `shift_pairs[shift_start[s]..shift_start[s+1]]`
    /// (positions into the volunteer-side arrays), ordered by volunteer.
    shift_start: Vec<usize>,
    /// Shift-side CSR: pair position (into the volunteer-side arrays) of each entry, indexed via `shift_start`.
    shift_pairs: Vec<u32>,
    /// Shift-side CSR: volunteer of each entry, parallel to `shift_pairs`.
    shift_pair_vol: Vec<u32>,
    /// Objective constant not captured by pairs (re-solve: `change ×` number
    /// of previous pairs that may be kept).
    constant_cost: f64,
    /// Pairs that are pinned and must stay assigned: the frozen pairs of a
    /// re-solve and the volunteers' `pinned` shifts (rule 8), sorted.
    pinned: Vec<u32>,
    /// A re-solve: pair costs include ±`change` (see [`CompileOptions::repair`]).
    repair: bool,
}

/// One eligible pair while compiling: shift, static cost, quota mask, flags.
type PairRow = (u32, f64, u32, u8);

struct Interner<'a> {
    map: HashMap<&'a str, u32>,
    names: Vec<&'a str>,
}

impl<'a> Interner<'a> {
    fn new() -> Self {
        Interner {
            map: HashMap::new(),
            names: Vec::new(),
        }
    }
    fn intern(&mut self, s: &'a str) -> u32 {
        if let Some(&i) = self.map.get(s) {
            return i;
        }
        let i = self.names.len() as u32;
        self.map.insert(s, i);
        self.names.push(s);
        i
    }
    fn get(&self, s: &str) -> Option<u32> {
        self.map.get(s).copied()
    }
}

/// Shortest travel times from each of `sources` to every site, in minutes.
/// With no links at all, travel is 0 everywhere (format page).
pub fn travel_matrix(n_sites: usize, edges: &[(u32, u32, u32)], sources: &[u32]) -> Vec<u64> {
    if edges.is_empty() {
        return vec![0; sources.len() * n_sites];
    }
    let mut g: UnGraph<(), u32> = UnGraph::with_capacity(n_sites, edges.len());
    for _ in 0..n_sites {
        g.add_node(());
    }
    for &(a, b, m) in edges {
        g.add_edge(NodeIndex::new(a as usize), NodeIndex::new(b as usize), m);
    }
    let rows: Vec<Vec<u64>> = sources
        .par_iter()
        .map(|&src| {
            let dist = petgraph::algo::dijkstra(&g, NodeIndex::new(src as usize), None, |e| {
                *e.weight() as u64
            });
            let mut row = vec![UNREACHABLE; n_sites];
            for (node, d) in dist {
                row[node.index()] = d.min(UNREACHABLE - 1);
            }
            row
        })
        .collect();
    rows.concat()
}

/// Per volunteer: the shifts of its `pinned` and of its `excluded` list
/// (rule 8), as sorted scenario indices. Pins on frozen shifts are left out:
/// a frozen shift keeps its previous crew regardless.
type PinLists = (Vec<Vec<u32>>, Vec<Vec<u32>>);

fn pin_lists(scenario: &Scenario, frozen: &[bool]) -> Result<PinLists, CompileError> {
    let index: HashMap<&str, u32> = scenario
        .shifts
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i as u32))
        .collect();
    let resolve = |vi: usize, field: &str, ids: &[String]| {
        let mut out = Vec::with_capacity(ids.len());
        for (k, id) in ids.iter().enumerate() {
            let &s = index
                .get(id.as_str())
                .ok_or_else(|| CompileError::UnknownId {
                    path: format!("volunteers[{vi}].{field}[{k}]"),
                    what: "shift",
                    id: id.clone(),
                })?;
            if !frozen[s as usize] {
                out.push(s);
            }
        }
        out.sort_unstable();
        out.dedup();
        Ok::<_, CompileError>(out)
    };
    let mut pins = Vec::with_capacity(scenario.volunteers.len());
    let mut excluded = Vec::with_capacity(scenario.volunteers.len());
    for (vi, v) in scenario.volunteers.iter().enumerate() {
        pins.push(resolve(vi, "pinned", &v.pinned)?);
        excluded.push(resolve(vi, "excluded", &v.excluded)?);
    }
    Ok((pins, excluded))
}

/// Pair positions of the pinned pairs: the caller's (frozen) pairs and the
/// volunteers' pins; each is flagged [`PAIR_PINNED`].
fn pinned_positions(
    options_pairs: &[(usize, usize)],
    vol_pins: &[Vec<u32>],
    vol_start: &[usize],
    pair_shift: &[u32],
    pair_flags: &mut [u8],
) -> Vec<u32> {
    let wanted = options_pairs.iter().copied().chain(
        vol_pins
            .iter()
            .enumerate()
            .flat_map(|(v, list)| list.iter().map(move |&s| (s as usize, v))),
    );
    let mut pinned = Vec::new();
    for (s, v) in wanted {
        if let Some(p) = (vol_start[v]..vol_start[v + 1]).find(|&p| pair_shift[p] as usize == s) {
            pinned.push(p as u32);
            pair_flags[p] |= PAIR_PINNED;
        }
    }
    pinned.sort_unstable();
    pinned.dedup();
    pinned
}

fn time_at(text: &str, path: impl FnOnce() -> String) -> Result<i64, CompileError> {
    parse_time(text).map_err(|source| CompileError::Time {
        path: path(),
        source,
    })
}

/// Availability windows (rule 3) of volunteer `v` (at position `vi` of the
/// scenario), in minutes from midnight of `origin_day`; one endless window
/// when the volunteer gives none.
pub fn availability_windows(
    vi: usize,
    v: &Volunteer,
    origin_day: i64,
) -> Result<Vec<(i64, i64)>, CompileError> {
    let origin = origin_day * MINUTES_PER_DAY;
    let Some(ws) = &v.available else {
        return Ok(vec![(i64::MIN / 4, i64::MAX / 4)]);
    };
    let mut out = Vec::with_capacity(ws.len());
    for (wi, (a, b)) in ws.iter().enumerate() {
        let a = time_at(a, || format!("volunteers[{vi}].available[{wi}][0]"))?;
        let b = time_at(b, || format!("volunteers[{vi}].available[{wi}][1]"))?;
        out.push((a - origin, b - origin));
    }
    Ok(out)
}

fn non_negative(value: i64, path: impl FnOnce() -> String) -> Result<u32, CompileError> {
    if value < 0 || value > u32::MAX as i64 / 2 {
        return Err(CompileError::Invalid {
            path: path(),
            message: format!("value {value} out of range"),
        });
    }
    Ok(value as u32)
}

/// Sites interned in file order, and the links between them.
struct Sites<'a> {
    interner: Interner<'a>,
    edges: Vec<(u32, u32, u32)>,
}

impl<'a> Sites<'a> {
    fn new(scenario: &'a Scenario) -> Result<Self, CompileError> {
        let mut interner = Interner::new();
        for s in &scenario.sites {
            interner.intern(&s.id);
        }
        let mut sites = Sites {
            interner,
            edges: Vec::with_capacity(scenario.links.len()),
        };
        for (i, l) in scenario.links.iter().enumerate() {
            let a = sites.of(&l.from, &|| format!("links[{i}].from"))?;
            let b = sites.of(&l.to, &|| format!("links[{i}].to"))?;
            let m = non_negative(l.minutes, || format!("links[{i}].minutes"))?;
            sites.edges.push((a, b, m));
        }
        Ok(sites)
    }
    fn n(&self) -> usize {
        self.interner.names.len()
    }
    /// The index of site `id`, or an error naming `path`.
    fn of(&self, id: &str, path: &dyn Fn() -> String) -> Result<u32, CompileError> {
        self.interner
            .get(id)
            .ok_or_else(|| CompileError::UnknownId {
                path: path(),
                what: "site",
                id: id.to_string(),
            })
    }
}

/// Skills and languages held by volunteers, interned in file order.
struct Vocabulary<'a> {
    skills: Interner<'a>,
    langs: Interner<'a>,
}

impl<'a> Vocabulary<'a> {
    fn new(scenario: &'a Scenario) -> Self {
        let mut skills = Interner::new();
        let mut langs = Interner::new();
        for v in &scenario.volunteers {
            for s in &v.skills {
                skills.intern(s);
            }
            for l in v.languages.keys() {
                langs.intern(l);
            }
        }
        Vocabulary { skills, langs }
    }
}

/// Who counts for a quota.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum QuotaKind {
    Skill(u32),
    Lang(u32, i64),
    Nobody,
}

/// The shifts compiled, with what eligibility needs about them.
struct CompiledShifts {
    shifts: Vec<ShiftInfo>,
    quotas: Vec<QuotaInfo>,
    quota_kinds: Vec<QuotaKind>,
    /// The class of each distinct kind (see [`QuotaInfo::class`]).
    quota_classes: HashMap<QuotaKind, u32>,
    /// Required skill ids per shift; `None` when some required skill is held by nobody.
    requires: Vec<Option<Vec<u32>>>,
    venue_sites: Vec<u32>,
    roles: Vec<String>,
    origin_day: i64,
    n_days: u32,
}

/// Compiles the shifts: times from the origin day, venues, roles, demand,
/// required skills and quotas.
fn compile_shifts(
    scenario: &Scenario,
    sites: &Sites,
    vocab: &Vocabulary,
    frozen_shifts: &[usize],
) -> Result<CompiledShifts, CompileError> {
    let mut starts = Vec::with_capacity(scenario.shifts.len());
    for (i, sh) in scenario.shifts.iter().enumerate() {
        starts.push(time_at(&sh.start, || format!("shifts[{i}].start"))?);
    }
    let origin_day = starts.iter().map(|&t| day_of(t)).min().unwrap_or(0);
    let mut frozen = vec![false; scenario.shifts.len()];
    for &s in frozen_shifts {
        if let Some(f) = frozen.get_mut(s) {
            *f = true;
        }
    }
    let mut out = CompiledShifts {
        shifts: Vec::with_capacity(scenario.shifts.len()),
        quotas: Vec::new(),
        quota_kinds: Vec::new(),
        quota_classes: HashMap::new(),
        requires: Vec::with_capacity(scenario.shifts.len()),
        venue_sites: Vec::new(),
        roles: Vec::new(),
        origin_day,
        n_days: 0,
    };
    let mut venue_of_site: Vec<u32> = vec![NONE; sites.n()];
    let mut roles = Interner::new();
    for (i, sh) in scenario.shifts.iter().enumerate() {
        let site = sites.of(&sh.venue, &|| format!("shifts[{i}].venue"))?;
        if venue_of_site[site as usize] == NONE {
            venue_of_site[site as usize] = out.venue_sites.len() as u32;
            out.venue_sites.push(site);
        }
        let origin = origin_day * MINUTES_PER_DAY;
        let start = starts[i] - origin;
        let end = time_at(&sh.end, || format!("shifts[{i}].end"))? - origin;
        if end <= start {
            return Err(CompileError::Invalid {
                path: format!("shifts[{i}].end"),
                message: "end must be after start".into(),
            });
        }
        let (min, max) = shift_demand(i, sh)?;
        out.requires.push(required_skills(sh, vocab));
        let quota_start = out.quotas.len() as u32;
        compile_quotas(i, sh, vocab, scenario.weights.quota_shortfall, &mut out)?;
        let day = (day_of(starts[i]) - origin_day) as u32;
        out.n_days = out.n_days.max(day + 1);
        out.shifts.push(ShiftInfo {
            start,
            end,
            day,
            venue: venue_of_site[site as usize],
            role: sh.role.as_deref().map_or(NONE, |r| roles.intern(r)),
            min,
            max,
            priority: sh.priority,
            quota_start,
            quota_count: sh.quotas.len() as u32,
            frozen: frozen[i],
        });
    }
    out.roles = roles.names.iter().map(|s| s.to_string()).collect();
    Ok(out)
}

/// `(min, max)` of shift `i`, checked with its priority and quota count.
fn shift_demand(i: usize, sh: &crate::scenario::Shift) -> Result<(u32, u32), CompileError> {
    let min = non_negative(sh.min, || format!("shifts[{i}].min"))?;
    let max = non_negative(sh.max, || format!("shifts[{i}].max"))?;
    if min > max
        || sh.priority.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater)
        || !sh.priority.is_finite()
    {
        return Err(CompileError::Invalid {
            path: format!("shifts[{i}]"),
            message: "need 0 <= min <= max and priority > 0".into(),
        });
    }
    if sh.quotas.len() > MAX_QUOTAS_PER_SHIFT {
        return Err(CompileError::TooManyQuotas {
            shift: sh.id.clone(),
            count: sh.quotas.len(),
        });
    }
    Ok((min, max))
}

/// Sorted required skill ids; `None` when a required skill is held by nobody.
fn required_skills(sh: &crate::scenario::Shift, vocab: &Vocabulary) -> Option<Vec<u32>> {
    let mut req: Option<Vec<u32>> = Some(Vec::new());
    for r in &sh.requires {
        match (vocab.skills.get(r), req.as_mut()) {
            (Some(id), Some(list)) => list.push(id),
            _ => req = None,
        }
    }
    if let Some(list) = req.as_mut() {
        list.sort_unstable();
        list.dedup();
    }
    req
}

/// The quotas of shift `i`, appended to `out`.
fn compile_quotas(
    i: usize,
    sh: &crate::scenario::Shift,
    vocab: &Vocabulary,
    quota_shortfall: f64,
    out: &mut CompiledShifts,
) -> Result<(), CompileError> {
    for (qi, q) in sh.quotas.iter().enumerate() {
        let kind = match (&q.skill, &q.language) {
            (Some(s), None) => vocab.skills.get(s).map(QuotaKind::Skill),
            (None, Some(l)) => vocab
                .langs
                .get(l)
                .map(|l| QuotaKind::Lang(l, q.level_or_default())),
            _ => {
                return Err(CompileError::Invalid {
                    path: format!("shifts[{i}].quotas[{qi}]"),
                    message: "a quota names exactly one of skill and language".into(),
                })
            }
        };
        let kind = kind.unwrap_or(QuotaKind::Nobody);
        let next = out.quota_classes.len() as u32;
        let class = *out.quota_classes.entry(kind).or_insert(next);
        out.quota_kinds.push(kind);
        out.quotas.push(QuotaInfo {
            shift: i as u32,
            at_least: non_negative(q.at_least, || format!("shifts[{i}].quotas[{qi}].at_least"))?,
            unit_cost: quota_shortfall * sh.priority,
            class,
        });
    }
    Ok(())
}

/// Compiles the volunteers (rules resolved against the defaults); returns
/// them with the group ids.
fn compile_volunteers(
    scenario: &Scenario,
    sites: &Sites,
) -> Result<(Vec<VolunteerInfo>, Vec<String>), CompileError> {
    let mut groups = Interner::new();
    let mut volunteers = Vec::with_capacity(scenario.volunteers.len());
    for (i, v) in scenario.volunteers.iter().enumerate() {
        let r = v.effective_rules(&scenario.rules);
        let home = match &v.home {
            Some(h) => sites.of(h, &|| format!("volunteers[{i}].home"))?,
            None => NONE,
        };
        volunteers.push(VolunteerInfo {
            min_rest: r.min_rest_minutes.max(0),
            max_minutes_per_day: r.max_minutes_per_day.max(0),
            max_consecutive_days: non_negative(r.max_consecutive_days, || {
                format!("volunteers[{i}].max_consecutive_days")
            })?,
            min_shifts: non_negative(r.min_shifts, || format!("volunteers[{i}].min_shifts"))?,
            max_shifts: non_negative(r.max_shifts, || format!("volunteers[{i}].max_shifts"))?,
            home,
            group: v.group.as_deref().map_or(NONE, |g| groups.intern(g)),
        });
    }
    Ok((
        volunteers,
        groups.names.iter().map(|s| s.to_string()).collect(),
    ))
}

/// Non-frozen shifts grouped by required-skill set, each list sorted by
/// start; a set is found from its rarest skill (its "anchor") or, when
/// empty, by everyone.
struct SkillSets {
    /// `(skills, shifts)` per set.
    sets: Vec<(Vec<u32>, Vec<u32>)>,
    /// Sets anchored at each skill.
    anchored: Vec<Vec<u32>>,
    /// Sets that require no skill.
    free: Vec<u32>,
}

impl SkillSets {
    fn new(scenario: &Scenario, vocab: &Vocabulary, sh: &CompiledShifts) -> Self {
        let mut holders = vec![0u32; vocab.skills.names.len()];
        for v in &scenario.volunteers {
            for s in &v.skills {
                if let Some(id) = vocab.skills.get(s) {
                    holders[id as usize] += 1;
                }
            }
        }
        let mut set_index: HashMap<&[u32], usize> = HashMap::new();
        let mut sets: Vec<(Vec<u32>, Vec<u32>)> = Vec::new();
        for (s, req) in sh.requires.iter().enumerate() {
            if sh.shifts[s].frozen {
                continue;
            }
            if let Some(req) = req {
                let k = *set_index.entry(req.as_slice()).or_insert_with(|| {
                    sets.push((req.clone(), Vec::new()));
                    sets.len() - 1
                });
                sets[k].1.push(s as u32);
            }
        }
        for set in &mut sets {
            set.1.sort_by_key(|&s| (sh.shifts[s as usize].start, s));
        }
        let mut anchored: Vec<Vec<u32>> = vec![Vec::new(); vocab.skills.names.len()];
        let mut free: Vec<u32> = Vec::new();
        for (k, (req, _)) in sets.iter().enumerate() {
            match req.iter().min_by_key(|&&s| holders[s as usize]) {
                Some(&anchor) => anchored[anchor as usize].push(k as u32),
                None => free.push(k as u32),
            }
        }
        SkillSets {
            sets,
            anchored,
            free,
        }
    }
}

/// `(shift, volunteer)` pairs as sorted shift lists per volunteer.
fn per_volunteer(pairs: &[(usize, usize)], n_volunteers: usize) -> Vec<Vec<u32>> {
    let mut out = vec![Vec::new(); n_volunteers];
    for &(s, v) in pairs {
        if let Some(list) = out.get_mut(v) {
            list.push(s as u32);
        }
    }
    for list in &mut out {
        list.sort_unstable();
        list.dedup();
    }
    out
}

/// A volunteer's eligible shifts (by start), with their skills and
/// languages for the quota masks.
type Eligible = (Vec<u32>, Vec<u32>, Vec<(u32, i64)>);

/// What a volunteer's pair rows need to know about the volunteer.
struct Candidate<'v> {
    vi: usize,
    vskills: &'v [u32],
    vlangs: &'v [(u32, i64)],
    prefers: &'v Preferred,
}

/// What deciding a volunteer's eligible pairs needs.
struct Eligibility<'a> {
    scenario: &'a Scenario,
    vocab: &'a Vocabulary<'a>,
    sh: &'a CompiledShifts,
    sets: SkillSets,
    travel: &'a [u64],
    n_sites: usize,
    volunteers: &'a [VolunteerInfo],
    vol_pins: &'a [Vec<u32>],
    vol_excluded: &'a [Vec<u32>],
    /// The caller's pinned (frozen) pairs, per volunteer.
    extra: Vec<Vec<u32>>,
    /// The previous roster's pairs that may be kept, per volunteer.
    previous: Vec<Vec<u32>>,
    /// Venue index of each venue's site id, and role index of each role.
    venue_index: HashMap<&'a str, u32>,
    role_index: HashMap<&'a str, u32>,
}

/// A volunteer's preferences as venue and role indices (ids that name no
/// venue or role of a shift match nothing); `None` for an empty list,
/// which never misses.
struct Preferred {
    venues: Option<Vec<u32>>,
    roles: Option<Vec<u32>>,
}

impl Preferred {
    /// Preference misses of a shift at `venue` with `role` (0, 1 or 2).
    fn misses(&self, venue: u32, role: u32) -> u8 {
        let venue_miss = self.venues.as_ref().is_some_and(|l| !l.contains(&venue));
        let role_miss = self
            .roles
            .as_ref()
            .is_some_and(|l| role == NONE || !l.contains(&role));
        u8::from(venue_miss) + u8::from(role_miss)
    }
}

impl Eligibility<'_> {
    /// Volunteer `vi`'s availability windows, in minutes from the origin.
    fn windows(&self, vi: usize, v: &Volunteer) -> Result<Vec<(i64, i64)>, CompileError> {
        availability_windows(vi, v, self.sh.origin_day)
    }

    /// Volunteer `vi`'s eligible shifts, skills and languages.
    fn eligible(&self, vi: usize, v: &Volunteer) -> Result<Eligible, CompileError> {
        let (skills, langs) = (&self.vocab.skills, &self.vocab.langs);
        let mut vskills: Vec<u32> = v.skills.iter().filter_map(|s| skills.get(s)).collect();
        vskills.sort_unstable();
        vskills.dedup();
        let vlangs: Vec<(u32, i64)> = v
            .languages
            .iter()
            .filter_map(|(l, lv)| langs.get(l).map(|id| (id, *lv)))
            .collect();
        let windows = self.windows(vi, v)?;
        let mut cand: Vec<u32> = Vec::new();
        for &k in &self.sets.free {
            self.visit_set(k, vi, &vskills, &windows, &mut cand);
        }
        for s in &vskills {
            for &k in &self.sets.anchored[*s as usize] {
                self.visit_set(k, vi, &vskills, &windows, &mut cand);
            }
        }
        // Rule 8: exclusions leave the eligible pairs; pins join them.
        let excluded = &self.vol_excluded[vi];
        cand.retain(|s| excluded.binary_search(s).is_err());
        cand.extend_from_slice(&self.vol_pins[vi]);
        cand.extend_from_slice(&self.extra[vi]);
        let shifts = &self.sh.shifts;
        cand.sort_by_key(|&s| (shifts[s as usize].start, s));
        cand.dedup();
        Ok((cand, vskills, vlangs))
    }

    /// Adds the shifts of set `k` that volunteer `vi` (skills `vskills`)
    /// can reach inside one of `windows`.
    fn visit_set(
        &self,
        k: u32,
        vi: usize,
        vskills: &[u32],
        windows: &[(i64, i64)],
        cand: &mut Vec<u32>,
    ) {
        let (req, list) = &self.sets.sets[k as usize];
        if !req.iter().all(|s| vskills.binary_search(s).is_ok()) {
            return;
        }
        let shifts = &self.sh.shifts;
        let home = self.volunteers[vi].home;
        for &(ws, we) in windows {
            let from = list.partition_point(|&s| shifts[s as usize].start < ws);
            for &s in &list[from..] {
                let sh = &shifts[s as usize];
                if sh.start > we {
                    break;
                }
                if !crate::rules::within((ws, we), sh.start, sh.end) {
                    continue;
                }
                if home != NONE
                    && self.travel[sh.venue as usize * self.n_sites + home as usize] == UNREACHABLE
                {
                    continue;
                }
                cand.push(s);
            }
        }
    }

    /// Refuses a scenario whose pairs, estimated from an even sample of up
    /// to 1,024 volunteers, exceed `max_pairs` (before anything per pair is
    /// allocated).
    fn check_estimate(&self, max_pairs: usize) -> Result<(), CompileError> {
        let n = self.scenario.volunteers.len();
        let step = n.div_ceil(1024).max(1);
        let sample: Vec<usize> = (0..n).step_by(step).collect();
        let counted: Result<Vec<usize>, CompileError> = sample
            .par_iter()
            .map(|&vi| {
                self.eligible(vi, &self.scenario.volunteers[vi])
                    .map(|e| e.0.len())
            })
            .collect();
        let counted: usize = counted?.iter().sum();
        let pairs = (counted as f64 * n as f64 / sample.len().max(1) as f64) as usize;
        if pairs > max_pairs {
            return Err(CompileError::TooLarge {
                pairs,
                max_pairs,
                estimated: true,
            });
        }
        Ok(())
    }

    /// Every volunteer's eligible shifts and preferences, in parallel.
    fn candidates(&self) -> Vec<Result<(Eligible, Preferred), CompileError>> {
        self.scenario
            .volunteers
            .par_iter()
            .enumerate()
            .map(|(vi, v)| Ok((self.eligible(vi, v)?, self.preferred(v))))
            .collect()
    }

    /// Volunteer `v`'s preferences as indices (compared per pair as
    /// numbers, not strings).
    fn preferred(&self, v: &Volunteer) -> Preferred {
        let Some(p) = &v.prefers else {
            return Preferred {
                venues: None,
                roles: None,
            };
        };
        let indices = |list: &[String], index: &HashMap<&str, u32>| {
            (!list.is_empty()).then(|| {
                list.iter()
                    .filter_map(|x| index.get(x.as_str()).copied())
                    .collect()
            })
        };
        Preferred {
            venues: indices(&p.venues, &self.venue_index),
            roles: indices(&p.roles, &self.role_index),
        }
    }

    /// The row of pair (`vol`, `s`): static cost, quota mask, flags.
    fn pair_row(&self, w: &Weights, repair: bool, vol: &Candidate, s: u32) -> PairRow {
        let sh = &self.sh.shifts[s as usize];
        let vi = vol.vi;
        let mut flags = vol.prefers.misses(sh.venue, sh.role);
        let mut cost = w.preference_miss * flags as f64;
        let home = self.volunteers[vi].home;
        if home != NONE {
            let t = self.travel[sh.venue as usize * self.n_sites + home as usize];
            if t != UNREACHABLE {
                cost += w.travel_minute * t as f64;
            }
        }
        let is_prev = self.previous[vi].binary_search(&s).is_ok();
        if is_prev {
            flags |= PAIR_PREVIOUS;
        }
        if !sh.frozen && repair {
            cost += if is_prev { -w.change } else { w.change };
        }
        (s, cost, self.quota_mask(sh, vol.vskills, vol.vlangs), flags)
    }

    /// Bit `i` set when the volunteer counts for quota `i` of shift `sh`.
    fn quota_mask(&self, sh: &ShiftInfo, vskills: &[u32], vlangs: &[(u32, i64)]) -> u32 {
        let kinds = &self.sh.quota_kinds
            [sh.quota_start as usize..(sh.quota_start + sh.quota_count) as usize];
        let mut mask = 0u32;
        for (qi, kind) in kinds.iter().enumerate() {
            let ok = match *kind {
                QuotaKind::Skill(k) => vskills.binary_search(&k).is_ok(),
                QuotaKind::Lang(l, lvl) => vlangs.iter().any(|&(x, have)| x == l && have >= lvl),
                QuotaKind::Nobody => false,
            };
            if ok {
                mask |= 1 << qi;
            }
        }
        mask
    }
}

/// The volunteer-side arrays, each volunteer's rows in one slice.
struct PairArrays {
    vol_start: Vec<usize>,
    pair_shift: Vec<u32>,
    pair_cost: Vec<f64>,
    pair_quota_mask: Vec<u32>,
    pair_flags: Vec<u8>,
}

/// One volunteer's slices of the four pair arrays.
type RowSlices<'r> = (&'r mut [u32], &'r mut [f64], &'r mut [u32], &'r mut [u8]);

impl PairArrays {
    /// Sized from every volunteer's eligible shifts (refusing more than
    /// `max_pairs` pairs, then the first error wins), then filled in
    /// parallel: no per-volunteer rows are built and copied (they were
    /// 24 bytes a pair, 100 MB at games scale).
    fn build(
        elig: &Eligibility,
        w: &Weights,
        repair: bool,
        max_pairs: Option<usize>,
    ) -> Result<Self, CompileError> {
        let per_vol = elig.candidates();
        let total: usize = per_vol.iter().flatten().map(|(e, _)| e.0.len()).sum();
        if let Some(max_pairs) = max_pairs.filter(|&m| total > m) {
            return Err(CompileError::TooLarge {
                pairs: total,
                max_pairs,
                estimated: false,
            });
        }
        let per_vol: Vec<(Eligible, Preferred)> = per_vol.into_iter().collect::<Result<_, _>>()?;
        let mut vol_start = Vec::with_capacity(per_vol.len() + 1);
        vol_start.push(0);
        for (e, _) in &per_vol {
            vol_start.push(vol_start[vol_start.len() - 1] + e.0.len());
        }
        let mut out = PairArrays {
            vol_start,
            pair_shift: vec![0; total],
            pair_cost: vec![0.0; total],
            pair_quota_mask: vec![0; total],
            pair_flags: vec![0; total],
        };
        let rows = out.row_slices(&per_vol);
        rows.into_par_iter()
            .zip(per_vol.par_iter())
            .enumerate()
            .for_each(|(vi, ((shift, cost, mask, flags), (e, prefers)))| {
                let vol = Candidate {
                    vi,
                    vskills: &e.1,
                    vlangs: &e.2,
                    prefers,
                };
                for (k, &s) in e.0.iter().enumerate() {
                    (shift[k], cost[k], mask[k], flags[k]) = elig.pair_row(w, repair, &vol, s);
                }
            });
        Ok(out)
    }

    /// The arrays cut into each volunteer's slices.
    fn row_slices(&mut self, per_vol: &[(Eligible, Preferred)]) -> Vec<RowSlices<'_>> {
        let mut rest: RowSlices = (
            &mut self.pair_shift,
            &mut self.pair_cost,
            &mut self.pair_quota_mask,
            &mut self.pair_flags,
        );
        let mut rows = Vec::with_capacity(per_vol.len());
        for (e, _) in per_vol {
            let n = e.0.len();
            let (a, shift) = std::mem::take(&mut rest.0).split_at_mut(n);
            let (b, cost) = std::mem::take(&mut rest.1).split_at_mut(n);
            let (c, mask) = std::mem::take(&mut rest.2).split_at_mut(n);
            let (d, flags) = std::mem::take(&mut rest.3).split_at_mut(n);
            rows.push((a, b, c, d));
            rest = (shift, cost, mask, flags);
        }
        rows
    }
}

/// The volunteer of each pair (the inverse of `vol_start`).
fn pair_volunteers(vol_start: &[usize]) -> Vec<u32> {
    let mut pair_vol = vec![0u32; *vol_start.last().unwrap_or(&0)];
    for v in 0..vol_start.len().saturating_sub(1) {
        pair_vol[vol_start[v]..vol_start[v + 1]].fill(v as u32);
    }
    pair_vol
}

/// The shift-side CSR by counting sort: `(shift_start, shift_pairs,
/// shift_pair_vol)`, each shift's pairs ordered by volunteer.
fn shift_csr(
    vol_start: &[usize],
    pair_shift: &[u32],
    n_shifts: usize,
) -> (Vec<usize>, Vec<u32>, Vec<u32>) {
    let mut shift_start = vec![0usize; n_shifts + 1];
    for &s in pair_shift {
        shift_start[s as usize + 1] += 1;
    }
    for i in 0..n_shifts {
        shift_start[i + 1] += shift_start[i];
    }
    let mut fill = shift_start.clone();
    let mut shift_pairs = vec![0u32; pair_shift.len()];
    let mut shift_pair_vol = vec![0u32; pair_shift.len()];
    for v in 0..vol_start.len().saturating_sub(1) {
        for (p, &s) in pair_shift
            .iter()
            .enumerate()
            .take(vol_start[v + 1])
            .skip(vol_start[v])
        {
            let s = s as usize;
            shift_pairs[fill[s]] = p as u32;
            shift_pair_vol[fill[s]] = v as u32;
            fill[s] += 1;
        }
    }
    (shift_start, shift_pairs, shift_pair_vol)
}

impl Problem {
    /// Compiles a scenario (that passed validation) into the solver's problem.
    pub fn compile(scenario: &Scenario) -> Result<Problem, CompileError> {
        Self::compile_with(scenario, &CompileOptions::default())
    }

    /// Compiles with re-solve options (frozen shifts, pinned and previous
    /// pairs). The phases: sites and travel, shifts, volunteers, each
    /// volunteer's eligible pairs (in parallel, after a size estimate
    /// against `max_pairs`), then both CSR views and the pinned pairs.
    pub fn compile_with(
        scenario: &Scenario,
        options: &CompileOptions,
    ) -> Result<Problem, CompileError> {
        let w = scenario.weights.clone();
        let sites = Sites::new(scenario)?;
        let vocab = Vocabulary::new(scenario);
        let sh = compile_shifts(scenario, &sites, &vocab, &options.frozen_shifts)?;
        let travel = travel_matrix(sites.n(), &sites.edges, &sh.venue_sites);
        let (volunteers, groups) = compile_volunteers(scenario, &sites)?;
        let is_frozen: Vec<bool> = sh.shifts.iter().map(|s| s.frozen).collect();
        let (vol_pins, vol_excluded) = pin_lists(scenario, &is_frozen)?;
        let elig = Eligibility {
            scenario,
            vocab: &vocab,
            sh: &sh,
            sets: SkillSets::new(scenario, &vocab, &sh),
            travel: &travel,
            n_sites: sites.n(),
            volunteers: &volunteers,
            vol_pins: &vol_pins,
            vol_excluded: &vol_excluded,
            extra: per_volunteer(&options.pinned_pairs, volunteers.len()),
            previous: per_volunteer(&options.previous_pairs, volunteers.len()),
            venue_index: (sh.venue_sites.iter().enumerate())
                .map(|(k, &site)| (sites.interner.names[site as usize], k as u32))
                .collect(),
            role_index: (sh.roles.iter().enumerate())
                .map(|(k, r)| (r.as_str(), k as u32))
                .collect(),
        };
        if let Some(max_pairs) = options.max_pairs {
            elig.check_estimate(max_pairs)?;
        }
        let mut pairs = PairArrays::build(&elig, &w, options.repair, options.max_pairs)?;
        let (shift_start, shift_pairs, shift_pair_vol) =
            shift_csr(&pairs.vol_start, &pairs.pair_shift, sh.shifts.len());
        let pinned = pinned_positions(
            &options.pinned_pairs,
            &vol_pins,
            &pairs.vol_start,
            &pairs.pair_shift,
            &mut pairs.pair_flags,
        );
        Ok(Problem {
            name: scenario.name.clone(),
            constant_cost: if options.repair {
                w.change * options.change_baseline as f64
            } else {
                0.0
            },
            weights: w,
            origin_day: sh.origin_day,
            site_ids: sites.interner.names.iter().map(|s| s.to_string()).collect(),
            venue_sites: sh.venue_sites,
            travel,
            role_names: sh.roles,
            shift_ids: scenario.shifts.iter().map(|s| s.id.clone()).collect(),
            shifts: sh.shifts,
            volunteer_ids: scenario.volunteers.iter().map(|v| v.id.clone()).collect(),
            volunteers,
            quotas: sh.quotas,
            group_ids: groups,
            n_days: sh.n_days,
            pair_vol: pair_volunteers(&pairs.vol_start),
            vol_start: pairs.vol_start,
            pair_shift: pairs.pair_shift,
            pair_cost: pairs.pair_cost,
            pair_quota_mask: pairs.pair_quota_mask,
            pair_flags: pairs.pair_flags,
            shift_start,
            shift_pairs,
            shift_pair_vol,
            pinned,
            repair: options.repair,
        })
    }

    /// Scenario name.
    #[inline]
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Objective weights, as in the scenario.
    #[inline]
    pub fn weights(&self) -> &Weights {
        &self.weights
    }
    /// Day number (days since 1970-01-01) of the origin.
    #[inline]
    pub fn origin_day(&self) -> i64 {
        self.origin_day
    }
    /// Number of calendar days from the origin day to the last shift's day.
    #[inline]
    pub fn n_days(&self) -> u32 {
        self.n_days
    }
    /// Site ids, indexed by site.
    #[inline]
    pub fn site_ids(&self) -> &[String] {
        &self.site_ids
    }
    /// Site index of each venue (a site that hosts at least one shift).
    #[inline]
    pub fn venue_sites(&self) -> &[u32] {
        &self.venue_sites
    }
    /// Role names, indexed by role (see [`ShiftInfo::role`]).
    #[inline]
    pub fn role_names(&self) -> &[String] {
        &self.role_names
    }
    /// Shift ids, indexed by shift (scenario order).
    #[inline]
    pub fn shift_ids(&self) -> &[String] {
        &self.shift_ids
    }
    /// Compiled shifts, indexed by shift (scenario order).
    #[inline]
    pub fn shifts(&self) -> &[ShiftInfo] {
        &self.shifts
    }
    /// Volunteer ids, indexed by volunteer (scenario order).
    #[inline]
    pub fn volunteer_ids(&self) -> &[String] {
        &self.volunteer_ids
    }
    /// Compiled volunteers, indexed by volunteer (scenario order).
    #[inline]
    pub fn volunteers(&self) -> &[VolunteerInfo] {
        &self.volunteers
    }
    /// All quotas, indexed by quota; each shift's are contiguous (see
    /// [`ShiftInfo::quota_start`]).
    #[inline]
    pub fn quotas(&self) -> &[QuotaInfo] {
        &self.quotas
    }
    /// Group ids, indexed by group (see [`VolunteerInfo::group`]).
    #[inline]
    pub fn group_ids(&self) -> &[String] {
        &self.group_ids
    }
    /// Shift of each pair, indexed by pair (volunteer-side order: see
    /// [`Self::vol_pairs`]).
    #[inline]
    pub fn pair_shift(&self) -> &[u32] {
        &self.pair_shift
    }
    /// Volunteer of each pair.
    #[inline]
    pub fn pair_vol(&self) -> &[u32] {
        &self.pair_vol
    }
    /// Static cost of each pair when assigned: preference misses, travel,
    /// and in a re-solve ±`change` (kept previous pairs are cheaper).
    #[inline]
    pub fn pair_cost(&self) -> &[f64] {
        &self.pair_cost
    }
    /// Per pair: bit `i` set when the volunteer counts for quota
    /// `quota_start + i` of the shift.
    #[inline]
    pub fn pair_quota_mask(&self) -> &[u32] {
        &self.pair_quota_mask
    }
    /// Per pair: bits 0–1 the number of preference misses (venue, role),
    /// bit 2 set when the pair is in the previous roster (re-solve), bit 3
    /// ([`PAIR_PINNED`]) set when the pair is pinned.
    #[inline]
    pub fn pair_flags(&self) -> &[u8] {
        &self.pair_flags
    }
    /// Objective constant not captured by pairs (re-solve: `change ×` the
    /// number of previous pairs that may be kept).
    #[inline]
    pub fn constant_cost(&self) -> f64 {
        self.constant_cost
    }
    /// Pairs that must stay assigned, sorted: the frozen pairs of a
    /// re-solve and the volunteers' `pinned` shifts (rule 8).
    #[inline]
    pub fn pinned(&self) -> &[u32] {
        &self.pinned
    }
    /// Number of volunteers.
    pub fn n_volunteers(&self) -> usize {
        self.volunteers.len()
    }
    /// Number of shifts.
    pub fn n_shifts(&self) -> usize {
        self.shifts.len()
    }
    /// Number of eligible (shift, volunteer) pairs.
    pub fn n_pairs(&self) -> usize {
        self.pair_shift.len()
    }
    /// Pair positions of volunteer `v` (sorted by shift start).
    pub fn vol_pairs(&self, v: usize) -> std::ops::Range<usize> {
        self.vol_start[v]..self.vol_start[v + 1]
    }
    /// Pair positions of shift `s`.
    pub fn shift_pair_list(&self, s: usize) -> &[u32] {
        &self.shift_pairs[self.shift_start[s]..self.shift_start[s + 1]]
    }
    /// Volunteer of each pair of shift `s` (parallel to [`Self::shift_pair_list`]).
    pub fn shift_vol_list(&self, s: usize) -> &[u32] {
        &self.shift_pair_vol[self.shift_start[s]..self.shift_start[s + 1]]
    }
    /// Travel minutes between two venues ([`UNREACHABLE`] if none).
    #[inline]
    pub fn venue_travel(&self, a: u32, b: u32) -> u64 {
        self.travel[a as usize * self.site_ids.len() + self.venue_sites[b as usize] as usize]
    }
    /// Minutes volunteer `v` needs between the end of shift `a` and the
    /// start of a later shift `b` (rest or travel, whichever is longer).
    #[inline]
    pub fn spacing_needed(&self, v: usize, a: usize, b: usize) -> i64 {
        let t = self.venue_travel(self.shifts[a].venue, self.shifts[b].venue);
        crate::rules::spacing_needed(self.volunteers[v].min_rest, t)
    }
    /// Whether `b` may follow `a` (a.start <= b.start) for volunteer `v` (rule 4).
    #[inline]
    pub fn spaced(&self, v: usize, a: usize, b: usize) -> bool {
        let (sa, sb) = (&self.shifts[a], &self.shifts[b]);
        debug_assert!(sa.start <= sb.start);
        crate::rules::follows(sa.end, sb.start, self.spacing_needed(v, a, b))
    }
    /// Whether pair `q` must never move: its shift is frozen, or the pair is
    /// pinned (rule 8). The search and workforce reduction leave it alone.
    #[inline]
    pub fn is_fixed(&self, q: usize) -> bool {
        self.shifts[self.pair_shift[q] as usize].frozen || self.pair_flags[q] & PAIR_PINNED != 0
    }
    /// Whether pair costs carry the `change` term (a re-solve).
    pub fn pair_cost_has_change(&self) -> bool {
        self.repair
    }
    /// Travel minutes from volunteer `v`'s home to the venue of shift `s`
    /// (0 without a home).
    #[inline]
    pub fn home_travel(&self, v: usize, s: usize) -> u64 {
        let home = self.volunteers[v].home;
        if home == NONE {
            0
        } else {
            self.travel[self.shifts[s].venue as usize * self.site_ids.len() + home as usize]
        }
    }
    /// The venues volunteer `v` has eligible shifts at, sorted, each once.
    pub fn venues_of(&self, v: usize) -> Vec<u32> {
        let mut venues: Vec<u32> = self
            .vol_pairs(v)
            .map(|q| self.shifts[self.pair_shift[q] as usize].venue)
            .collect();
        venues.sort_unstable();
        venues.dedup();
        venues
    }

    /// Position of pair `(v, s)` if eligible.
    pub fn find_pair(&self, v: usize, s: usize) -> Option<usize> {
        let r = self.vol_pairs(v);
        let key = (self.shifts[s].start, s as u32);
        let slice = &self.pair_shift[r.clone()];
        let i = slice.partition_point(|&x| (self.shifts[x as usize].start, x) < key);
        (i < slice.len() && slice[i] as usize == s).then(|| r.start + i)
    }
}
