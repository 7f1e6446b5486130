//! Re-solve after last-minute changes: apply the changes, pin the frozen
//! shifts, start from every previous assignment still valid, fill the holes
//! (free volunteers first, then augmenting paths and ejection chains) and
//! anneal briefly with `change × changes` in the objective, so the repair
//! touches as few people as it can.
//!
//! The `change` term is carried by the compiled problem: each previous pair
//! that is kept saves `change`, each new pair costs it, and the constant
//! `change × baseline` makes the sum equal `change × changes` of the format
//! page (see [`Applied::baseline`]).

use crate::problem::{CompileError, CompileOptions, Problem};
use crate::report::{gap, peak_memory_bytes, PhaseTime, RunSummary};
use crate::scenario::{Changes, Roster, Scenario, StandbyList};
use crate::solver::search::Searcher;
use crate::solver::state::Assignment;
use crate::solver::{self, construct, SolveContext, SolveOptions};
use crate::time::{format_time, parse_time};
use rand::{Rng, SeedableRng};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::time::Instant;
use thiserror::Error;

/// The first and last times of the format, for the availability of a
/// volunteer without windows split around a dropout (any narrower range
/// would take shifts outside it from them).
const FAR_PAST: &str = "0000-01-01T00:00";
const FAR_FUTURE: &str = "9999-12-31T23:59";

/// Why a re-solve cannot start.
#[derive(Debug, Error)]
pub enum RepairError {
    #[error("{path}: {message}")]
    Input { path: String, message: String },
    #[error(transparent)]
    Compile(#[from] CompileError),
}

fn input(path: impl Into<String>, message: impl Into<String>) -> RepairError {
    RepairError::Input {
        path: path.into(),
        message: message.into(),
    }
}

fn time(text: &str, path: impl FnOnce() -> String) -> Result<i64, RepairError> {
    parse_time(text).map_err(|e| input(path(), e.to_string()))
}

/// The changes applied: the new scenario and what the re-solve pins, keeps
/// and counts.
#[derive(Clone, Debug)]
pub struct Applied {
    pub scenario: Scenario,
    pub now: i64,
    /// Shifts (indices in the new scenario) that started before `now`.
    pub frozen: Vec<usize>,
    /// `(shift, volunteer)` previous pairs on frozen shifts, kept exactly.
    pub pinned: Vec<(usize, usize)>,
    /// Previous pairs on non-frozen shifts that may be kept (dropouts in
    /// their absence and cancelled shifts removed).
    pub remaining: Vec<(usize, usize)>,
    /// Forced removals: dropouts in their absence, cancelled shifts, and the
    /// excess over a lowered `max`.
    pub forced: usize,
    /// Previous pairs of the remaining ones that would count as changes if
    /// none were kept: `Σ_s |R_s| − excess_s`.
    pub baseline: usize,
    /// Previous `(shift id, volunteer id)` pairs removed by force.
    pub forced_pairs: Vec<(String, String)>,
    /// Pins that lapsed (rule 8), as `(shift id, volunteer id)`: on a
    /// cancelled shift, or the volunteer dropped out for the shift. They are
    /// gone from `scenario`, as are exclusions of cancelled shifts.
    pub lapsed_pins: Vec<(String, String)>,
}

/// Rule 8 in a re-solve: a pin or exclusion of a cancelled shift lapses
/// with the shift, and a pin lapses when its volunteer dropped out for the
/// shift (`absent` periods `[from, until)`). `sc` holds the shifts that are
/// left. Returns the lapsed pins.
fn lapse_pins(
    sc: &mut Scenario,
    cancelled: &HashSet<String>,
    absent: &HashMap<String, Vec<(i64, Option<i64>)>>,
) -> Result<Vec<(String, String)>, RepairError> {
    let mut times: HashMap<String, (i64, i64)> = HashMap::with_capacity(sc.shifts.len());
    for (i, s) in sc.shifts.iter().enumerate() {
        let start = time(&s.start, || format!("shifts[{i}].start"))?;
        times.insert(
            s.id.clone(),
            (start, time(&s.end, || format!("shifts[{i}].end"))?),
        );
    }
    let mut lapsed = Vec::new();
    for v in &mut sc.volunteers {
        let periods = absent.get(&v.id).map_or(&[][..], Vec::as_slice);
        let dropped = |sid: &str| {
            times.get(sid).is_some_and(|&(start, end)| {
                periods
                    .iter()
                    .any(|&(from, until)| until.is_none_or(|u| start < u) && end > from)
            })
        };
        let (keep, gone): (Vec<String>, Vec<String>) = std::mem::take(&mut v.pinned)
            .into_iter()
            .partition(|sid| !cancelled.contains(sid) && !dropped(sid));
        lapsed.extend(gone.into_iter().map(|sid| (sid, v.id.clone())));
        v.pinned = keep;
        v.excluded.retain(|sid| !cancelled.contains(sid));
    }
    Ok(lapsed)
}

/// Applies `changes` to `scenario` with the previous roster `prev`.
pub fn apply_changes(
    scenario: &Scenario,
    prev: &Roster,
    changes: &Changes,
) -> Result<Applied, RepairError> {
    let now = time(&changes.now, || "changes.now".into())?;
    let mut sc = scenario.clone();
    let known: HashSet<&str> = scenario.shifts.iter().map(|s| s.id.as_str()).collect();
    let mut cancelled = HashSet::new();
    for (i, id) in changes.cancelled_shifts.iter().enumerate() {
        if !known.contains(id.as_str()) {
            return Err(input(
                format!("changes.cancelled_shifts[{i}]"),
                format!("unknown shift '{id}'"),
            ));
        }
        cancelled.insert(id.clone());
    }
    sc.shifts.retain(|s| !cancelled.contains(&s.id));
    // Updates apply in file order (an update of a cancelled shift is moot);
    // a shift may be updated more than once and only its final min and max
    // must satisfy 0 <= min <= max. Its max is lowered when the final max is
    // below the max before the updates.
    let mut original_max: HashMap<String, i64> = HashMap::new();
    let mut last_update: HashMap<usize, usize> = HashMap::new(); // shift -> its last update
    for (i, u) in changes.shift_updates.iter().enumerate() {
        if cancelled.contains(&u.shift) {
            // The shift disappears, whatever its update says.
            continue;
        }
        let Some(k) = sc.shifts.iter().position(|s| s.id == u.shift) else {
            return Err(input(
                format!("changes.shift_updates[{i}].shift"),
                format!("unknown or cancelled shift '{}'", u.shift),
            ));
        };
        let sh = &mut sc.shifts[k];
        original_max.entry(sh.id.clone()).or_insert(sh.max);
        if let Some(min) = u.min {
            sh.min = min;
        }
        if let Some(max) = u.max {
            sh.max = max;
        }
        last_update.insert(k, i);
    }
    let mut finals: Vec<(usize, usize)> = last_update.into_iter().map(|(k, i)| (i, k)).collect();
    finals.sort_unstable();
    for (i, k) in finals {
        let sh = &sc.shifts[k];
        if sh.min < 0 || sh.min > sh.max {
            return Err(input(
                format!("changes.shift_updates[{i}]"),
                "need 0 <= min <= max",
            ));
        }
    }
    let excess_cap: HashMap<String, i64> = sc
        .shifts
        .iter()
        .filter_map(|sh| {
            let before = *original_max.get(&sh.id)?;
            (sh.max < before).then(|| (sh.id.clone(), sh.max))
        })
        .collect();
    let mut shift_ids: HashSet<String> = scenario.shifts.iter().map(|s| s.id.clone()).collect();
    for (i, s) in changes.new_shifts.iter().enumerate() {
        if !shift_ids.insert(s.id.clone()) {
            return Err(input(
                format!("changes.new_shifts[{i}].id"),
                format!("shift id '{}' is already used", s.id),
            ));
        }
    }
    let mut vol_ids: HashSet<String> = scenario.volunteers.iter().map(|v| v.id.clone()).collect();
    for (i, v) in changes.new_volunteers.iter().enumerate() {
        if !vol_ids.insert(v.id.clone()) {
            return Err(input(
                format!("changes.new_volunteers[{i}].id"),
                format!("volunteer id '{}' is already used", v.id),
            ));
        }
    }
    sc.shifts.extend(changes.new_shifts.iter().cloned());
    sc.volunteers.extend(changes.new_volunteers.iter().cloned());
    // Dropouts: split availability around [from, until).
    let mut absent: HashMap<String, Vec<(i64, Option<i64>)>> = HashMap::new();
    for (i, d) in changes.dropouts.iter().enumerate() {
        let from = time(&d.from, || format!("changes.dropouts[{i}].from"))?;
        let until = match &d.until {
            Some(u) => Some(time(u, || format!("changes.dropouts[{i}].until"))?),
            None => None,
        };
        if until.is_some_and(|u| u <= from) {
            return Err(input(
                format!("changes.dropouts[{i}].until"),
                "until must be after from",
            ));
        }
        let Some(vi) = sc.volunteers.iter().position(|v| v.id == d.volunteer) else {
            return Err(input(
                format!("changes.dropouts[{i}].volunteer"),
                format!("unknown volunteer '{}'", d.volunteer),
            ));
        };
        let v = &mut sc.volunteers[vi];
        let windows = v
            .available
            .clone()
            .unwrap_or_else(|| vec![(FAR_PAST.to_string(), FAR_FUTURE.to_string())]);
        let mut out = Vec::new();
        for (k, (ws, we)) in windows.iter().enumerate() {
            let a = time(ws, || format!("volunteers[{vi}].available[{k}][0]"))?;
            let b = time(we, || format!("volunteers[{vi}].available[{k}][1]"))?;
            // A shift is lost when start < until and end > from: it fits
            // neither [a, min(b, from)] nor [max(a, until), b]; any other
            // shift inside [a, b] fits one of them.
            if a < b.min(from) {
                out.push((format_time(a), format_time(b.min(from))));
            }
            if let Some(u) = until {
                if a.max(u) < b {
                    out.push((format_time(a.max(u)), format_time(b)));
                }
            }
        }
        v.available = Some(out);
        absent
            .entry(d.volunteer.clone())
            .or_default()
            .push((from, until));
    }
    let lapsed_pins = lapse_pins(&mut sc, &cancelled, &absent)?;
    // Previous pairs: pinned, remaining or forced.
    let shift_index: HashMap<&str, usize> = sc
        .shifts
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let vol_index: HashMap<&str, usize> = sc
        .volunteers
        .iter()
        .enumerate()
        .map(|(i, v)| (v.id.as_str(), i))
        .collect();
    let mut starts = Vec::with_capacity(sc.shifts.len());
    let mut ends = Vec::with_capacity(sc.shifts.len());
    for (i, s) in sc.shifts.iter().enumerate() {
        starts.push(time(&s.start, || format!("shifts[{i}].start"))?);
        ends.push(time(&s.end, || format!("shifts[{i}].end"))?);
    }
    let frozen: Vec<usize> = (0..sc.shifts.len()).filter(|&s| starts[s] < now).collect();
    let is_frozen: HashSet<usize> = frozen.iter().copied().collect();
    let mut pinned = Vec::new();
    let mut remaining = Vec::new();
    let mut forced = 0;
    let mut forced_pairs = Vec::new();
    let mut per_shift: BTreeMap<usize, usize> = BTreeMap::new();
    for (sid, vids) in &prev.assignments {
        let distinct: BTreeSet<&String> = vids.iter().collect();
        if cancelled.contains(sid) {
            forced += distinct.len();
            forced_pairs.extend(distinct.iter().map(|v| (sid.clone(), v.to_string())));
            continue;
        }
        let Some(&s) = shift_index.get(sid.as_str()) else {
            return Err(input(
                format!("previous roster: assignments.{sid}"),
                format!("unknown shift '{sid}'"),
            ));
        };
        for vid in distinct {
            let Some(&v) = vol_index.get(vid.as_str()) else {
                return Err(input(
                    format!("previous roster: assignments.{sid}"),
                    format!("unknown volunteer '{vid}'"),
                ));
            };
            if is_frozen.contains(&s) {
                pinned.push((s, v));
                continue;
            }
            let gone = absent.get(vid).is_some_and(|ps| {
                ps.iter()
                    .any(|&(from, until)| until.is_none_or(|u| starts[s] < u) && ends[s] > from)
            });
            if gone {
                forced += 1;
                forced_pairs.push((sid.clone(), vid.clone()));
            } else {
                remaining.push((s, v));
                *per_shift.entry(s).or_default() += 1;
            }
        }
    }
    let mut baseline = 0;
    for (&s, &r) in &per_shift {
        let excess = match excess_cap.get(&sc.shifts[s].id) {
            Some(&max) => r.saturating_sub(max.max(0) as usize),
            None => 0,
        };
        forced += excess;
        baseline += r - excess;
    }
    Ok(Applied {
        scenario: sc,
        now,
        frozen,
        pinned,
        remaining,
        forced,
        baseline,
        forced_pairs,
        lapsed_pins,
    })
}

/// Compiles the scenario after changes as the re-solve sees it: frozen
/// shifts with their pinned crews, previous pairs carrying the change term.
pub fn compile_applied(
    applied: &Applied,
    max_pairs: Option<usize>,
) -> Result<Problem, RepairError> {
    let options = CompileOptions {
        frozen_shifts: applied.frozen.clone(),
        pinned_pairs: applied.pinned.clone(),
        previous_pairs: applied.remaining.clone(),
        repair: true,
        change_baseline: applied.baseline,
        max_pairs,
    };
    Ok(Problem::compile_with(&applied.scenario, &options)?)
}

/// Figures of a re-solve beyond the ordinary run summary.
#[derive(Clone, Debug, Serialize)]
pub struct RepairSummary {
    pub forced_removals: usize,
    pub changes: usize,
    pub volunteers_affected: usize,
    pub frozen_shifts: usize,
    pub coverage_before: f64,
    pub coverage_after: f64,
    pub min_demand_covered_before: u64,
    pub min_demand_covered_after: u64,
}

/// What one volunteer must be told.
#[derive(Clone, Debug, Serialize)]
pub struct Notice {
    pub volunteer: String,
    pub lost: Vec<String>,
    pub gained: Vec<String>,
}

/// A finished re-solve.
#[derive(Clone, Debug)]
pub struct RepairOutcome {
    pub roster: Roster,
    pub summary: RunSummary,
    pub repair: RepairSummary,
    pub notices: Vec<Notice>,
    pub applied: Applied,
}

/// Default search budget of a re-solve: short, because it runs on the
/// morning of the event and most moves away from the holes cost `change`;
/// it grows with the holes (`forced` removals). Measured on the games
/// scenario (20,000 volunteers, 2 threads): the construction already
/// covers every hole, and a budget five times larger lowers the objective
/// by less than 0.01 %.
pub fn default_repair_iterations(p: &Problem, forced: usize) -> u64 {
    (10 * p.n_shifts() as u64 + p.n_volunteers() as u64 + 100 * forced as u64)
        .clamp(20_000, 300_000)
}

/// Re-solves: changes applied, frozen shifts pinned, holes filled.
pub fn resolve(
    scenario: &Scenario,
    prev: &Roster,
    changes: &Changes,
    ctx: &SolveContext,
    load_seconds: f64,
    standby_k: usize,
) -> Result<RepairOutcome, RepairError> {
    let t0 = Instant::now();
    let mut phases = vec![PhaseTime {
        phase: "load".into(),
        seconds: load_seconds,
    }];
    let applied = apply_changes(scenario, prev, changes)?;
    let p = compile_applied(&applied, ctx.options.max_pairs)?;
    phases.push(PhaseTime {
        phase: "compile".into(),
        seconds: t0.elapsed().as_secs_f64(),
    });
    let t_bound = Instant::now();
    // A bound of the compiled re-solve problem (its pair costs and constant
    // carry the change term, frozen shifts only their pins): the schedule
    // relaxation at zero prices, one pass over the pairs (a morning repair
    // cannot wait for the whole price search).
    let cancel = ctx.cancel.clone();
    let b = crate::pipeline::bound(
        &p,
        None,
        1,
        crate::pipeline::PoolLp::Never,
        std::sync::Arc::new(move || cancel.load(std::sync::atomic::Ordering::Relaxed)),
    );
    phases.push(PhaseTime {
        phase: "bound".into(),
        seconds: t_bound.elapsed().as_secs_f64(),
    });
    let t1 = Instant::now();
    // Start: pins, then every remaining previous pair still valid.
    let mut a = Assignment::new(&p);
    for &pair in &p.pinned {
        a.add(&p, pair as usize);
    }
    let mut keep: Vec<usize> = applied
        .remaining
        .iter()
        .filter_map(|&(s, v)| p.find_pair(v, s))
        .collect();
    keep.sort_by_key(|&q| (p.shifts[p.pair_shift[q] as usize].start, q));
    for q in keep {
        if !a.on[q] && a.can_add(&p, q, None) {
            a.add(&p, q);
        }
    }
    let before = crate::report::coverage_of(&p, &a.on);
    // Holes first from free volunteers (scarcest first), then augmenting paths.
    construct::fill_short_shifts(&p, &mut a, &|| ctx.should_stop());
    let mut s = Searcher::new(&p, a, ctx.options.seed);
    s.augment_all(4, &|| ctx.should_stop());
    let mut a = s.into_assignment();
    // Quotas and commitments, where a new pair is worth its `change` cost.
    construct::fill_beneficial(&p, &mut a, &|| ctx.should_stop());
    phases.push(PhaseTime {
        phase: "construct".into(),
        seconds: t1.elapsed().as_secs_f64(),
    });
    let t2 = Instant::now();
    let mut opts: SolveOptions = ctx.options.clone();
    // Keep time after the search for the check, the standby lists and
    // writing, as `pipeline::solve` does.
    if let Some(deadline) = opts.deadline {
        let reserve = crate::pipeline::reserve_after_search(
            load_seconds + t1.duration_since(t0).as_secs_f64(),
        );
        opts.deadline = Some(deadline.checked_sub(reserve).unwrap_or(deadline));
    }
    opts.iterations = Some(
        opts.iterations
            .unwrap_or_else(|| default_repair_iterations(&p, applied.forced)),
    );
    let sub = SolveContext {
        options: opts,
        cancel: ctx.cancel.clone(),
        progress: ctx.progress,
    };
    let (a, iterations, stopped_early) = solver::improve(&p, a, &sub);
    phases.push(PhaseTime {
        phase: "search".into(),
        seconds: t2.elapsed().as_secs_f64(),
    });
    let objective = solver::score::breakdown(&p, &a.on);
    let mut roster = solver::to_roster(&p, &a.on, objective, Some(b.bound));
    if standby_k > 0 {
        roster.standby = standby_lists(&p, &a, applied.now, standby_k);
    }
    let after = crate::report::coverage_of(&p, &a.on);
    let notices = notices(&p, &applied, scenario, &a);
    let changes_made = changes_count(&p, &applied, &a);
    let t3 = Instant::now();
    let checked = crate::check::check_repair(scenario, prev, changes, &roster);
    let (coverage, checker_agrees) = match &checked {
        Ok(r) => (r.coverage.clone(), r.passes()),
        Err(_) => (after.clone(), false),
    };
    phases.push(PhaseTime {
        phase: "check".into(),
        seconds: t3.elapsed().as_secs_f64(),
    });
    let summary = RunSummary {
        scenario: applied.scenario.name.clone(),
        volunteers: p.n_volunteers(),
        shifts: p.n_shifts(),
        eligible_pairs: p.n_pairs(),
        seed: ctx.options.seed,
        threads: ctx.options.threads,
        objective,
        bound: Some(b.bound),
        gap: Some(gap(objective.total, b.bound)),
        bound_note: b.note,
        unpriced: objective.group_split,
        construction: String::new(),
        coverage,
        fairness: crate::fairness::fairness(&applied.scenario, &roster),
        checker_agrees,
        iterations,
        stopped_early,
        phases,
        total_seconds: load_seconds + t0.elapsed().as_secs_f64(),
        peak_memory_bytes: peak_memory_bytes(),
    };
    let repair = RepairSummary {
        forced_removals: applied.forced,
        changes: changes_made,
        volunteers_affected: notices.len(),
        frozen_shifts: applied.frozen.len(),
        coverage_before: before.coverage,
        coverage_after: after.coverage,
        min_demand_covered_before: before.min_demand_covered,
        min_demand_covered_after: after.min_demand_covered,
    };
    Ok(RepairOutcome {
        roster,
        summary,
        repair,
        notices,
        applied,
    })
}

/// `changes` of the format page: pairs on non-frozen shifts in exactly one
/// of the previous and new rosters, not counting forced removals.
fn changes_count(p: &Problem, applied: &Applied, a: &Assignment) -> usize {
    let prev: HashSet<(usize, usize)> = applied.remaining.iter().copied().collect();
    let mut kept = 0;
    let mut added = 0;
    for v in 0..p.n_volunteers() {
        for q in p.vol_pairs(v) {
            let s = p.pair_shift[q] as usize;
            if a.on[q] && !p.shifts[s].frozen {
                if prev.contains(&(s, v)) {
                    kept += 1;
                } else {
                    added += 1;
                }
            }
        }
    }
    applied.baseline - kept.min(applied.baseline) + added
}

/// Per affected volunteer: shifts lost (forced or by choice, frozen shifts
/// excluded; a dropout's own absence needs no call) and gained.
fn notices(p: &Problem, applied: &Applied, original: &Scenario, a: &Assignment) -> Vec<Notice> {
    let sc = &applied.scenario;
    let label = |s: usize| {
        let sh = &sc.shifts[s];
        format!("{} {} at {}", sh.id, sh.start, sh.venue)
    };
    let mut lost: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut gained: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let prev_set: HashSet<(usize, usize)> = applied.remaining.iter().copied().collect();
    // Forced pairs are of dropouts (no call: they told us) or on cancelled
    // shifts (a call, with the shift as it was planned).
    let surviving: HashSet<&str> = sc.shifts.iter().map(|s| s.id.as_str()).collect();
    let original: HashMap<&str, &crate::scenario::Shift> =
        original.shifts.iter().map(|s| (s.id.as_str(), s)).collect();
    for (sid, vid) in &applied.forced_pairs {
        if !surviving.contains(sid.as_str()) {
            let text = match original.get(sid.as_str()) {
                Some(sh) => format!("{} {} at {} (cancelled)", sh.id, sh.start, sh.venue),
                None => format!("{sid} (cancelled)"),
            };
            lost.entry(vid.clone()).or_default().push(text);
        }
    }
    for &(s, v) in &applied.remaining {
        let on = p.find_pair(v, s).is_some_and(|q| a.on[q]);
        if !on {
            lost.entry(sc.volunteers[v].id.clone())
                .or_default()
                .push(label(s));
        }
    }
    for v in 0..p.n_volunteers() {
        for q in p.vol_pairs(v) {
            let s = p.pair_shift[q] as usize;
            if a.on[q] && !p.shifts[s].frozen && !prev_set.contains(&(s, v)) {
                gained
                    .entry(sc.volunteers[v].id.clone())
                    .or_default()
                    .push(label(s));
            }
        }
    }
    let ids: BTreeSet<String> = lost.keys().chain(gained.keys()).cloned().collect();
    ids.into_iter()
        .map(|id| Notice {
            lost: lost.remove(&id).unwrap_or_default(),
            gained: gained.remove(&id).unwrap_or_default(),
            volunteer: id,
        })
        .collect()
}

/// Up to `k` volunteers not on shift `s` who could step in without breaking
/// any rule but the headcount, cheapest first (objective delta, then fewer
/// current shifts, then file order).
pub fn standby(p: &Problem, a: &Assignment, s: usize, k: usize) -> Vec<usize> {
    let mut cands: Vec<(f64, usize, usize)> = Vec::new();
    for (&q, &v) in p.shift_pair_list(s).iter().zip(p.shift_vol_list(s)) {
        let (q, v) = (q as usize, v as usize);
        if a.on[q] || !a.fits_schedule(p, v, q, None) {
            continue;
        }
        cands.push((a.add_delta(p, q), a.schedule[v].len(), v));
    }
    cands.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    cands.into_iter().take(k).map(|c| c.2).collect()
}

/// Standby lists for every shift starting at or after `now`.
pub fn standby_lists(p: &Problem, a: &Assignment, now: i64, k: usize) -> Vec<StandbyList> {
    let origin = p.origin_day * crate::time::MINUTES_PER_DAY;
    (0..p.n_shifts())
        .filter(|&s| p.shifts[s].start + origin >= now)
        .map(|s| StandbyList {
            shift: p.shift_ids[s].clone(),
            volunteers: standby(p, a, s, k)
                .into_iter()
                .map(|v| p.volunteer_ids[v].clone())
                .collect(),
        })
        .collect()
}

/// Rebuilds the incremental state of a roster file on a compiled problem
/// (for `vroster standby`); pairs that are not eligible are reported.
pub fn assignment_of(p: &Problem, roster: &Roster) -> Result<Assignment, RepairError> {
    let shift_index: HashMap<&str, usize> = p
        .shift_ids
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    let vol_index: HashMap<&str, usize> = p
        .volunteer_ids
        .iter()
        .enumerate()
        .map(|(i, v)| (v.as_str(), i))
        .collect();
    let mut a = Assignment::new(p);
    for (sid, vids) in &roster.assignments {
        let s = *shift_index
            .get(sid.as_str())
            .ok_or_else(|| input(format!("roster: assignments.{sid}"), "unknown shift"))?;
        for vid in vids {
            let v = *vol_index.get(vid.as_str()).ok_or_else(|| {
                input(
                    format!("roster: assignments.{sid}"),
                    format!("unknown volunteer '{vid}'"),
                )
            })?;
            let q = p.find_pair(v, s).ok_or_else(|| {
                input(
                    format!("roster: assignments.{sid}"),
                    format!("volunteer '{vid}' is not eligible"),
                )
            })?;
            if !a.on[q] {
                a.add(p, q);
            }
        }
    }
    Ok(a)
}

/// Realistic changes for tests and benchmarks: dropouts clustered by day
/// and by university group (sometimes a whole group), some returning
/// (`until`), a few demand updates, a new shift, a new volunteer, and
/// sometimes a cancelled venue day. Deterministic for the seed.
pub fn generate_changes(
    scenario: &Scenario,
    roster: &Roster,
    now: &str,
    dropout_rate: f64,
    seed: u64,
) -> Result<Changes, RepairError> {
    let now_m = time(now, || "now".into())?;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut working: BTreeSet<&str> = BTreeSet::new();
    for vids in roster.assignments.values() {
        working.extend(vids.iter().map(|v| v.as_str()));
    }
    let vols: Vec<&crate::scenario::Volunteer> = scenario
        .volunteers
        .iter()
        .filter(|v| working.contains(v.id.as_str()))
        .collect();
    let target = ((vols.len() as f64) * dropout_rate.clamp(0.0, 1.0)).round() as usize;
    let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for v in &vols {
        if let Some(g) = &v.group {
            groups.entry(g.as_str()).or_default().push(v.id.as_str());
        }
    }
    let mut chosen: BTreeSet<&str> = BTreeSet::new();
    // About a fifth of the dropouts as a whole group (a bus that did not come).
    if target >= 10 && !groups.is_empty() && rng.gen_bool(0.7) {
        let keys: Vec<&&str> = groups.keys().collect();
        let g = keys[rng.gen_range(0..keys.len())];
        for v in groups[*g].iter().take(target / 5 + 1) {
            chosen.insert(v);
        }
    }
    let mut guard = 0;
    while chosen.len() < target && guard < 100 * target + 100 {
        guard += 1;
        chosen.insert(vols[rng.gen_range(0..vols.len())].id.as_str());
    }
    // Dropouts cluster on the day of `now` and the next one.
    let day = crate::time::day_of(now_m);
    let dropouts = chosen
        .iter()
        .map(|v| {
            let offset = if rng.gen_bool(0.7) {
                rng.gen_range(0..12 * 60)
            } else {
                1440 + rng.gen_range(0..1440)
            };
            let from = (now_m.max(day * 1440) + offset).max(now_m);
            let until = rng
                .gen_bool(0.3)
                .then(|| format_time(from + rng.gen_range(1..4) * 1440));
            crate::scenario::Dropout {
                volunteer: v.to_string(),
                from: format_time(from),
                until,
            }
        })
        .collect();
    let future: Vec<&crate::scenario::Shift> = scenario
        .shifts
        .iter()
        .filter(|s| parse_time(&s.start).is_ok_and(|t| t >= now_m))
        .collect();
    let mut shift_updates = Vec::new();
    let mut new_shifts = Vec::new();
    let mut cancelled_shifts = Vec::new();
    if !future.is_empty() {
        for _ in 0..(future.len() / 200 + 1) {
            let s = future[rng.gen_range(0..future.len())];
            let up = rng.gen_bool(0.5);
            // Never below the volunteers pinned to the shift (rule 8).
            let pins = scenario
                .volunteers
                .iter()
                .filter(|v| v.pinned.contains(&s.id))
                .count() as i64;
            let (min, max) = if up {
                (s.min + 1, s.max + 1)
            } else {
                let min = (s.min - 1).max(0);
                (min, (s.max - 1).max(min).max(pins.min(s.max)))
            };
            if !shift_updates
                .iter()
                .any(|u: &crate::scenario::ShiftUpdate| u.shift == s.id)
            {
                shift_updates.push(crate::scenario::ShiftUpdate {
                    shift: s.id.clone(),
                    min: Some(min),
                    max: Some(max),
                });
            }
        }
        let s = future[rng.gen_range(0..future.len())];
        let mut extra = s.clone();
        extra.id = format!("{}-EXTRA", s.id);
        extra.min = (s.min / 4).max(1);
        extra.max = extra.min + 1;
        if !scenario.shifts.iter().any(|x| x.id == extra.id) {
            new_shifts.push(extra);
        }
        if rng.gen_bool(0.3) {
            // A cancelled venue day: every shift of one venue on one day.
            let s = future[rng.gen_range(0..future.len())];
            let day = &s.start[..10];
            for x in &future {
                if x.venue == s.venue
                    && &x.start[..10] == day
                    && !shift_updates.iter().any(|u| u.shift == x.id)
                {
                    cancelled_shifts.push(x.id.clone());
                }
            }
        }
    }
    new_shifts.retain(|n| !cancelled_shifts.contains(&n.id));
    let mut new_volunteers = Vec::new();
    if let Some(v) = vols.first() {
        let mut nv = (*v).clone();
        nv.id = format!("{}-NEW", v.id);
        nv.group = None;
        nv.pinned.clear();
        nv.excluded.clear();
        if !scenario.volunteers.iter().any(|x| x.id == nv.id) {
            new_volunteers.push(nv);
        }
    }
    Ok(Changes {
        format: crate::scenario::CHANGES_FORMAT.into(),
        now: now.to_string(),
        dropouts,
        new_volunteers,
        cancelled_shifts,
        shift_updates,
        new_shifts,
    })
}
