//! The incremental roster state: who is on which shift, the counts every
//! objective term depends on, and the running total of each term.
//!
//! Hard rules are checked per move by [`Assignment::can_add`]; objective
//! deltas by [`Assignment::add_delta`] / [`Assignment::remove_delta`]. The
//! from-scratch recomputation lives in `score.rs` and is compared against
//! these running totals in debug mode and in the tests.

use crate::problem::{Problem, NONE};
use crate::rules;

/// Running totals of the objective terms (the `change` term is folded into
/// pair costs and `constant_cost`; see `problem.rs`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Terms {
    /// Cost of missing minimum headcount (`uncovered × priority` per missing head).
    pub uncovered: f64,
    /// Cost of unmet quotas (`unit_cost` per missing qualifying assignee).
    pub quota_shortfall: f64,
    /// Cost of volunteers below their commitment (`min_shifts`).
    pub under_commitment: f64,
    /// Sum of static pair costs (preferences + travel + ±change).
    pub pair_cost: f64,
    /// Cost of groups working at more than one venue (per extra venue).
    pub group_split: f64,
    /// Cost of volunteers given at least one shift.
    pub volunteer_used: f64,
    /// Cost of shifts above commitment (squared per volunteer).
    pub extra_load: f64,
}

impl Terms {
    /// Sum of the terms plus the problem's objective constant.
    pub fn total(&self, constant: f64) -> f64 {
        self.uncovered
            + self.quota_shortfall
            + self.under_commitment
            + self.pair_cost
            + self.group_split
            + self.volunteer_used
            + self.extra_load
            + constant
    }
}

/// A set of indices with O(1) insert, remove and random pick.
#[derive(Clone, Debug, Default)]
pub struct IndexSet {
    items: Vec<u32>,
    pos: Vec<u32>,
}

impl IndexSet {
    /// An empty set for indices `0..n`.
    pub fn new(n: usize) -> Self {
        IndexSet {
            items: Vec::new(),
            pos: vec![u32::MAX; n],
        }
    }
    #[inline]
    /// Whether `i` is in the set.
    pub fn contains(&self, i: usize) -> bool {
        self.pos[i] != u32::MAX
    }
    #[inline]
    /// Adds `i` (no-op when present).
    pub fn insert(&mut self, i: usize) {
        if self.pos[i] == u32::MAX {
            self.pos[i] = self.items.len() as u32;
            self.items.push(i as u32);
        }
    }
    #[inline]
    /// Removes `i` (no-op when absent); the last item takes its place.
    pub fn remove(&mut self, i: usize) {
        let p = self.pos[i];
        if p != u32::MAX {
            let last = *self
                .items
                .last()
                .expect("non-empty when an item is present");
            self.items[p as usize] = last;
            self.pos[last as usize] = p;
            self.items.pop();
            self.pos[i] = u32::MAX;
        }
    }
    #[inline]
    /// Adds or removes `i`.
    pub fn set(&mut self, i: usize, present: bool) {
        if present {
            self.insert(i)
        } else {
            self.remove(i)
        }
    }
    /// Number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }
    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    /// The items, in no particular order.
    pub fn items(&self) -> &[u32] {
        &self.items
    }
}

/// The roster under construction, with all counts kept up to date.
///
/// Only [`Assignment::add`] and [`Assignment::remove`] change a roster (and
/// [`Assignment::adopt`] merges a worker's disjoint part after a parallel
/// epoch), so the counts the objective depends on are private: read them
/// through their accessors, as the roster itself (`on`, `schedule`,
/// `crew`): nothing outside this file can write any of them.
#[derive(Clone, Debug)]
pub struct Assignment {
    /// Per pair: assigned?
    on: Vec<bool>,
    /// Per volunteer: assigned pair positions, ascending (= by shift start).
    schedule: Vec<Vec<u32>>,
    /// Per shift: assigned pair positions (unordered).
    crew: Vec<Vec<u32>>,
    /// Per quota: qualifying assignees.
    quota_count: Vec<u32>,
    /// Per group: (venue, members' assignments there).
    group_venues: Vec<Vec<(u32, u32)>>,
    /// Per group: total assignments of its members.
    group_total: Vec<u32>,
    /// Shifts below `min`.
    short_shifts: IndexSet,
    /// Volunteers below `min_shifts`.
    under_committed: IndexSet,
    /// Volunteers above `min_shifts` (they carry extra load).
    over_committed: IndexSet,
    /// Quotas below `at_least`.
    unmet_quotas: IndexSet,
    terms: Terms,
    /// Pairs flipped since the last [`Assignment::mark`], while a search
    /// keeps its best roster as "now, minus these flips" (see
    /// [`Assignment::rewind`]); `None` when nothing journals.
    journal: Option<Journal>,
}

impl Assignment {
    /// The empty roster (pinned pairs are added by the caller).
    pub fn new(p: &Problem) -> Self {
        let mut a = Assignment {
            on: vec![false; p.n_pairs()],
            schedule: vec![Vec::new(); p.n_volunteers()],
            crew: vec![Vec::new(); p.n_shifts()],
            quota_count: vec![0; p.quotas().len()],
            group_venues: vec![Vec::new(); p.group_ids().len()],
            group_total: vec![0; p.group_ids().len()],
            short_shifts: IndexSet::new(p.n_shifts()),
            under_committed: IndexSet::new(p.n_volunteers()),
            over_committed: IndexSet::new(p.n_volunteers()),
            unmet_quotas: IndexSet::new(p.quotas().len()),
            terms: Terms::default(),
            journal: None,
        };
        for (s, sh) in p.shifts().iter().enumerate() {
            if sh.min > 0 {
                a.short_shifts.insert(s);
                a.terms.uncovered += p.weights().uncovered * sh.priority * sh.min as f64;
            }
        }
        for (i, q) in p.quotas().iter().enumerate() {
            a.terms.quota_shortfall += q.unit_cost * q.at_least as f64;
            if q.at_least > 0 {
                a.unmet_quotas.insert(i);
            }
        }
        for (v, vi) in p.volunteers().iter().enumerate() {
            if vi.min_shifts > 0 {
                a.under_committed.insert(v);
                a.terms.under_commitment += p.weights().under_commitment * vi.min_shifts as f64;
            }
        }
        a
    }

    /// Per pair: assigned?
    pub fn on(&self) -> &[bool] {
        &self.on
    }

    /// The roster as one flag per pair, giving up the rest.
    pub fn into_on(self) -> Vec<bool> {
        self.on
    }

    /// Volunteer `v`'s assigned pair positions, ascending (= by shift start).
    pub fn schedule(&self, v: usize) -> &[u32] {
        &self.schedule[v]
    }

    /// Shift `s`'s assigned pair positions (unordered).
    pub fn crew(&self, s: usize) -> &[u32] {
        &self.crew[s]
    }

    /// Running totals of the objective terms.
    pub fn terms(&self) -> &Terms {
        &self.terms
    }

    /// Shifts below `min`.
    pub fn short_shifts(&self) -> &IndexSet {
        &self.short_shifts
    }

    /// Volunteers below `min_shifts`.
    pub fn under_committed(&self) -> &IndexSet {
        &self.under_committed
    }

    /// Volunteers above `min_shifts` (they carry extra load).
    pub fn over_committed(&self) -> &IndexSet {
        &self.over_committed
    }

    /// Quotas below `at_least`.
    pub fn unmet_quotas(&self) -> &IndexSet {
        &self.unmet_quotas
    }

    /// Group `g`'s venues, each with its members' assignments there (the
    /// group-repair move of the search reads where a split group works).
    pub fn group_venues(&self, g: usize) -> &[(u32, u32)] {
        &self.group_venues[g]
    }

    /// Qualifying assignees of quota `q`.
    pub fn quota_count(&self, q: usize) -> u32 {
        self.quota_count[q]
    }

    /// Takes over the state worker `w` owned in a parallel epoch (its
    /// volunteers `vols`, shifts `shifts` and groups `groups`) and adds the
    /// change of each term the worker made since `before` (the terms of
    /// the roster all workers started from): the terms decompose over that
    /// state, so the merge is exact.
    pub fn adopt(
        &mut self,
        p: &Problem,
        w: &Assignment,
        (vols, shifts, groups): (&[u32], &[u32], &[usize]),
        before: &Terms,
    ) {
        for &v in vols {
            let v = v as usize;
            let r = p.vol_pairs(v);
            self.on[r.clone()].copy_from_slice(&w.on[r]);
            self.schedule[v].clone_from(&w.schedule[v]);
            self.under_committed.set(v, w.under_committed.contains(v));
            self.over_committed.set(v, w.over_committed.contains(v));
        }
        for &s in shifts {
            let s = s as usize;
            self.crew[s].clone_from(&w.crew[s]);
            self.short_shifts.set(s, w.short_shifts.contains(s));
            let sh = &p.shifts()[s];
            let qs = sh.quota_start as usize..(sh.quota_start + sh.quota_count) as usize;
            self.quota_count[qs.clone()].copy_from_slice(&w.quota_count[qs.clone()]);
            for q in qs {
                self.unmet_quotas.set(q, w.unmet_quotas.contains(q));
            }
        }
        for &g in groups {
            self.group_venues[g].clone_from(&w.group_venues[g]);
            self.group_total[g] = w.group_total[g];
        }
        let t = &mut self.terms;
        t.uncovered += w.terms.uncovered - before.uncovered;
        t.quota_shortfall += w.terms.quota_shortfall - before.quota_shortfall;
        t.under_commitment += w.terms.under_commitment - before.under_commitment;
        t.pair_cost += w.terms.pair_cost - before.pair_cost;
        t.group_split += w.terms.group_split - before.group_split;
        t.volunteer_used += w.terms.volunteer_used - before.volunteer_used;
        t.extra_load += w.terms.extra_load - before.extra_load;
    }

    /// The total objective (including the problem's constant).
    pub fn total(&self, p: &Problem) -> f64 {
        self.terms.total(p.constant_cost())
    }

    #[inline]
    /// Headcount of shift `s`.
    pub fn shift_count(&self, s: usize) -> u32 {
        self.crew[s].len() as u32
    }

    /// Whether pair `pair` (volunteer v, shift s) can be added under rules
    /// 3–7, pretending the volunteer's pair `ignore` (if any) were removed.
    /// Eligibility (rule 2) holds by construction of the pair list.
    pub fn can_add(&self, p: &Problem, pair: usize, ignore: Option<u32>) -> bool {
        let s = p.pair_shift()[pair] as usize;
        let sh = &p.shifts()[s];
        if self.on[pair] || self.crew[s].len() as u32 >= sh.max {
            return false;
        }
        let v = p.pair_vol()[pair] as usize;
        self.fits_schedule(p, v, pair, ignore)
    }

    /// Objective change if `pair` were added now (rules not checked).
    pub fn add_delta(&self, p: &Problem, pair: usize) -> f64 {
        let s = p.pair_shift()[pair] as usize;
        let v = p.pair_vol()[pair] as usize;
        let (sh, w, vi) = (&p.shifts()[s], p.weights(), &p.volunteers()[v]);
        let mut d = p.pair_cost()[pair];
        if (self.crew[s].len() as u32) < sh.min {
            d -= w.uncovered * sh.priority;
        }
        let mut mask = p.pair_quota_mask()[pair];
        while mask != 0 {
            let q = (sh.quota_start + mask.trailing_zeros()) as usize;
            mask &= mask - 1;
            if self.quota_count[q] < p.quotas()[q].at_least {
                d -= p.quotas()[q].unit_cost;
            }
        }
        let n = self.schedule[v].len() as u32;
        if n < vi.min_shifts {
            d -= w.under_commitment;
        }
        if n == 0 {
            d += w.volunteer_used;
        }
        d += extra_load_step(w.extra_load, n, vi.min_shifts);
        if vi.group != NONE {
            let g = vi.group as usize;
            if self.group_total[g] > 0 && !self.group_venues[g].iter().any(|&(x, _)| x == sh.venue)
            {
                d += w.group_split;
            }
        }
        d
    }

    /// Objective change if assigned `pair` were removed now.
    pub fn remove_delta(&self, p: &Problem, pair: usize) -> f64 {
        let s = p.pair_shift()[pair] as usize;
        let v = p.pair_vol()[pair] as usize;
        let (sh, w, vi) = (&p.shifts()[s], p.weights(), &p.volunteers()[v]);
        let mut d = -p.pair_cost()[pair];
        if (self.crew[s].len() as u32) <= sh.min {
            d += w.uncovered * sh.priority;
        }
        let mut mask = p.pair_quota_mask()[pair];
        while mask != 0 {
            let q = (sh.quota_start + mask.trailing_zeros()) as usize;
            mask &= mask - 1;
            if self.quota_count[q] <= p.quotas()[q].at_least {
                d += p.quotas()[q].unit_cost;
            }
        }
        let n = self.schedule[v].len() as u32;
        if n <= vi.min_shifts {
            d += w.under_commitment;
        }
        if n == 1 {
            d -= w.volunteer_used;
        }
        if n > 0 {
            d -= extra_load_step(w.extra_load, n - 1, vi.min_shifts);
        }
        if vi.group != NONE {
            let g = vi.group as usize;
            let here = self.group_venues[g]
                .iter()
                .find(|&&(x, _)| x == sh.venue)
                .map_or(0, |&(_, c)| c);
            if here == 1 && self.group_total[g] > 1 {
                d -= w.group_split;
            }
        }
        d
    }

    /// Adds `pair` (rules must have been checked) and updates every count and term.
    pub fn add(&mut self, p: &Problem, pair: usize) {
        debug_assert!(!self.on[pair]);
        self.record(pair);
        let s = p.pair_shift()[pair] as usize;
        let v = p.pair_vol()[pair] as usize;
        let (sh, w, vi) = (&p.shifts()[s], p.weights(), &p.volunteers()[v]);
        self.on[pair] = true;
        let n_crew = self.crew[s].len() as u32;
        if n_crew < sh.min {
            self.terms.uncovered -= w.uncovered * sh.priority;
        }
        self.crew[s].push(pair as u32);
        self.short_shifts.set(s, n_crew + 1 < sh.min);
        let mut mask = p.pair_quota_mask()[pair];
        while mask != 0 {
            let q = (sh.quota_start + mask.trailing_zeros()) as usize;
            mask &= mask - 1;
            if self.quota_count[q] < p.quotas()[q].at_least {
                self.terms.quota_shortfall -= p.quotas()[q].unit_cost;
            }
            self.quota_count[q] += 1;
            if self.quota_count[q] >= p.quotas()[q].at_least {
                self.unmet_quotas.remove(q);
            }
        }
        let sched = &mut self.schedule[v];
        let n = sched.len() as u32;
        if n < vi.min_shifts {
            self.terms.under_commitment -= w.under_commitment;
        }
        if n == 0 {
            self.terms.volunteer_used += w.volunteer_used;
        }
        self.terms.extra_load += extra_load_step(w.extra_load, n, vi.min_shifts);
        let at = sched.partition_point(|&x| (x as usize) < pair);
        sched.insert(at, pair as u32);
        self.under_committed.set(v, n + 1 < vi.min_shifts);
        self.over_committed.set(v, n + 1 > vi.min_shifts);
        self.terms.pair_cost += p.pair_cost()[pair];
        if vi.group != NONE {
            let g = vi.group as usize;
            let total = self.group_total[g];
            let venues = &mut self.group_venues[g];
            match venues.iter_mut().find(|e| e.0 == sh.venue) {
                Some(e) => e.1 += 1,
                None => {
                    if total > 0 {
                        self.terms.group_split += w.group_split;
                    }
                    venues.push((sh.venue, 1));
                }
            }
            self.group_total[g] = total + 1;
        }
    }

    /// Removes assigned `pair` and updates every count and term.
    pub fn remove(&mut self, p: &Problem, pair: usize) {
        debug_assert!(self.on[pair]);
        self.record(pair);
        let s = p.pair_shift()[pair] as usize;
        let v = p.pair_vol()[pair] as usize;
        let (sh, w, vi) = (&p.shifts()[s], p.weights(), &p.volunteers()[v]);
        self.on[pair] = false;
        let crew = &mut self.crew[s];
        if let Some(i) = crew.iter().position(|&x| x as usize == pair) {
            crew.swap_remove(i);
        }
        let n_crew = crew.len() as u32;
        if n_crew < sh.min {
            self.terms.uncovered += w.uncovered * sh.priority;
        }
        self.short_shifts.set(s, n_crew < sh.min);
        let mut mask = p.pair_quota_mask()[pair];
        while mask != 0 {
            let q = (sh.quota_start + mask.trailing_zeros()) as usize;
            mask &= mask - 1;
            self.quota_count[q] -= 1;
            if self.quota_count[q] < p.quotas()[q].at_least {
                self.terms.quota_shortfall += p.quotas()[q].unit_cost;
                self.unmet_quotas.insert(q);
            }
        }
        let sched = &mut self.schedule[v];
        if let Ok(i) = sched.binary_search(&(pair as u32)) {
            sched.remove(i);
        }
        let n = sched.len() as u32;
        if n < vi.min_shifts {
            self.terms.under_commitment += w.under_commitment;
        }
        if n == 0 {
            self.terms.volunteer_used -= w.volunteer_used;
        }
        self.terms.extra_load -= extra_load_step(w.extra_load, n, vi.min_shifts);
        self.under_committed.set(v, n < vi.min_shifts);
        self.over_committed.set(v, n > vi.min_shifts);
        self.terms.pair_cost -= p.pair_cost()[pair];
        if vi.group != NONE {
            let g = vi.group as usize;
            let total = self.group_total[g] - 1;
            self.group_total[g] = total;
            let venues = &mut self.group_venues[g];
            if let Some(i) = venues.iter().position(|e| e.0 == sh.venue) {
                venues[i].1 -= 1;
                if venues[i].1 == 0 {
                    venues.swap_remove(i);
                    if total > 0 {
                        self.terms.group_split -= w.group_split;
                    }
                }
            }
        }
    }

    /// Makes the roster as it is now the one [`Assignment::rewind`]
    /// returns to, and starts journaling flips if it was not.
    pub fn mark(&mut self) {
        match &mut self.journal {
            Some(j) => j.clear(),
            None => self.journal = Some(Journal::default()),
        }
    }

    /// Stops journaling (the roster leaves the search that marked it).
    pub fn unmark(&mut self) {
        self.journal = None;
    }

    /// Journals a flip of `pair` while a mark is set.
    #[inline]
    fn record(&mut self, pair: usize) {
        if let Some(j) = &mut self.journal {
            j.push(pair as u32);
        }
    }

    /// Returns to the roster of the last [`Assignment::mark`] by undoing
    /// every net flip since then (removals first, so no intermediate
    /// roster exceeds a headcount the marked one kept), and marks it again.
    /// Without a mark, does nothing.
    pub fn rewind(&mut self, p: &Problem) {
        let Some(mut journal) = self.journal.take() else {
            return;
        };
        let j = journal.net_flips();
        // Pairs on now were off at the mark: to the front, removed first.
        let mut split = 0;
        for i in 0..j.len() {
            if self.on[j[i] as usize] {
                j.swap(split, i);
                split += 1;
            }
        }
        for &x in &j[..split] {
            self.remove(p, x as usize);
        }
        for &x in &j[split..] {
            self.add(p, x as usize);
        }
        journal.clear();
        self.journal = Some(journal);
    }

    /// Assigned `(shift, volunteer)` pairs, for output.
    pub fn assigned_pairs(&self) -> impl Iterator<Item = usize> + '_ {
        self.on
            .iter()
            .enumerate()
            .filter(|(_, &b)| b)
            .map(|(i, _)| i)
    }

    /// Rules 4–7 (asked of [`crate::rules`]) for adding `pair` to volunteer
    /// `v`'s schedule (minus `ignore`).
    pub fn fits_schedule(&self, p: &Problem, v: usize, pair: usize, ignore: Option<u32>) -> bool {
        let vi = &p.volunteers()[v];
        let s = p.pair_shift()[pair] as usize;
        let sh = &p.shifts()[s];
        let ig = ignore.unwrap_or(u32::MAX);
        // The volunteer's other shifts, in start order.
        let others = self.schedule[v]
            .iter()
            .filter(move |&&q| q != ig)
            .map(|&q| p.pair_shift()[q as usize] as usize);
        let mut count = 0;
        for t in others.clone() {
            if !spaced(p, v, s, t) {
                return false;
            }
            count += 1;
        }
        let day = i64::from(sh.day);
        let minutes = rules::day_minutes(
            day,
            sh.duration(),
            others
                .clone()
                .map(|t| (i64::from(p.shifts()[t].day), p.shifts()[t].duration())),
        );
        if !rules::within_max_shifts(count, i64::from(vi.max_shifts))
            || !rules::within_daily(minutes, vi.max_minutes_per_day)
        {
            return false;
        }
        // Rule 7 (no run can be longer than the event).
        if vi.max_consecutive_days < p.n_days() {
            let days = others.map(|t| i64::from(p.shifts()[t].day));
            let run = rules::run_through(days, day);
            if !rules::within_consecutive(run, i64::from(vi.max_consecutive_days)) {
                return false;
            }
        }
        true
    }
}

/// Journal length from which [`Journal`] compacts itself.
const JOURNAL_COMPACT_AT: usize = 1 << 16;

/// The pairs flipped since a mark, in order. Compacted to the pairs flipped
/// an odd number of times whenever it doubles from its last compacted
/// length (and from [`JOURNAL_COMPACT_AT`]), so it never outgrows twice the
/// pairs touched since the mark and each flip costs O(log) amortised.
#[derive(Clone, Debug)]
struct Journal {
    flips: Vec<u32>,
    compact_at: usize,
}

impl Default for Journal {
    fn default() -> Self {
        Journal {
            flips: Vec::new(),
            compact_at: JOURNAL_COMPACT_AT,
        }
    }
}

impl Journal {
    fn clear(&mut self) {
        self.flips.clear();
        self.compact_at = JOURNAL_COMPACT_AT;
    }

    #[inline]
    fn push(&mut self, pair: u32) {
        self.flips.push(pair);
        if self.flips.len() >= self.compact_at {
            net_flips_in_place(&mut self.flips);
            self.compact_at = (2 * self.flips.len()).max(JOURNAL_COMPACT_AT);
        }
    }

    /// The pairs flipped an odd number of times since the mark, sorted.
    fn net_flips(&mut self) -> &mut Vec<u32> {
        net_flips_in_place(&mut self.flips);
        &mut self.flips
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.flips.len()
    }
}

/// Sorts `j` and keeps each pair that appears in it an odd number of times.
fn net_flips_in_place(j: &mut Vec<u32>) {
    j.sort_unstable();
    let mut w = 0;
    let mut i = 0;
    while i < j.len() {
        let x = j[i];
        let run = j[i..].iter().take_while(|&&y| y == x).count();
        if run % 2 == 1 {
            j[w] = x;
            w += 1;
        }
        i += run;
    }
    j.truncate(w);
}

/// Change of the `extra_load` term when a volunteer with `min_shifts` goes
/// from `n` to `n + 1` shifts: `weight × ((e + 1)² − e²) = weight × (2e + 1)`
/// with `e = n − min_shifts` once the commitment is met, else 0. Removing a
/// shift from `n + 1` costs the negation, so deltas by count are exact.
#[inline]
pub fn extra_load_step(weight: f64, n: u32, min_shifts: u32) -> f64 {
    if n < min_shifts {
        return 0.0;
    }
    weight * f64::from(2 * (n - min_shifts) + 1)
}

/// Rule 4 (spacing) between shifts `s` and `t` of volunteer `v`, in
/// whichever order the two start.
#[inline]
pub fn spaced(p: &Problem, v: usize, s: usize, t: usize) -> bool {
    if p.shifts()[t].start <= p.shifts()[s].start {
        p.spaced(v, t, s)
    } else {
        p.spaced(v, s, t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{generate, GeneratorConfig};

    /// Quotas whose qualifying heads are short of `at_least`, from scratch.
    fn unmet(p: &Problem, a: &Assignment) -> Vec<usize> {
        (0..p.quotas().len())
            .filter(|&q| a.quota_count(q) < p.quotas()[q].at_least)
            .collect()
    }

    #[test]
    fn adopting_a_workers_shifts_carries_their_unmet_quotas() {
        let cfg = GeneratorConfig {
            volunteers: 120,
            ..GeneratorConfig::default()
        };
        let p = Problem::compile(&generate(&cfg)).expect("compiles");
        let mut base = Assignment::new(&p);
        let mut worker = base.clone();
        let before = *worker.terms();
        // The worker staffs every shift with quotas as far as the rules allow.
        let shifts: Vec<u32> = (0..p.n_shifts() as u32)
            .filter(|&s| p.shifts()[s as usize].quota_count > 0)
            .collect();
        assert!(!shifts.is_empty(), "the scenario has quotas");
        for &s in &shifts {
            for &k in p.shift_pair_list(s as usize) {
                if worker.can_add(&p, k as usize, None) {
                    worker.add(&p, k as usize);
                }
            }
        }
        assert_ne!(
            unmet(&p, &worker),
            unmet(&p, &base),
            "the worker met some quota"
        );
        let vols: Vec<u32> = (0..p.n_volunteers() as u32).collect();
        base.adopt(&p, &worker, (&vols, &shifts, &[]), &before);
        let listed: Vec<usize> = (0..p.quotas().len())
            .filter(|&q| base.unmet_quotas().contains(q))
            .collect();
        assert_eq!(listed, unmet(&p, &base));
    }

    #[test]
    fn rewinding_returns_to_the_marked_roster_through_compactions() {
        use rand::{Rng, SeedableRng};
        let cfg = GeneratorConfig {
            volunteers: 150,
            ..GeneratorConfig::default()
        };
        let p = Problem::compile(&generate(&cfg)).expect("compiles");
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let mut a = Assignment::new(&p);
        let flip = |a: &mut Assignment, rng: &mut rand_chacha::ChaCha8Rng| {
            let k = rng.gen_range(0..p.n_pairs());
            if a.on()[k] {
                a.remove(&p, k);
            } else if a.can_add(&p, k, None) {
                a.add(&p, k);
            } else {
                return 0;
            }
            1
        };
        for _ in 0..2_000 {
            flip(&mut a, &mut rng);
        }
        a.mark();
        let (marked_on, marked_total) = (a.on().to_vec(), a.total(&p));
        // Enough flips to compact the journal several times.
        let mut flips = 0;
        while flips < 4 * JOURNAL_COMPACT_AT {
            flips += flip(&mut a, &mut rng);
        }
        let journaled = a.journal.as_ref().map_or(0, Journal::len);
        assert!(journaled < flips, "compacted: {journaled} of {flips}");
        assert_ne!(a.on(), &marked_on[..], "the roster moved");
        a.rewind(&p);
        assert_eq!(a.on(), &marked_on[..]);
        assert!((a.total(&p) - marked_total).abs() <= 1e-6 * marked_total.abs().max(1.0));
        let fresh = crate::solver::score::breakdown(&p, a.on()).total;
        assert!((a.total(&p) - fresh).abs() <= 1e-6 * fresh.abs().max(1.0));
        for v in 0..p.n_volunteers() {
            assert!(a.schedule(v).windows(2).all(|w| w[0] < w[1]));
        }
        // Marked again: a second rewind with no flips changes nothing.
        a.rewind(&p);
        assert_eq!(a.on(), &marked_on[..]);
    }
}
