//! Tests of the LP lower bound: validity against exhaustive search on small
//! random scenarios, tightness on hand-computed cases, the fallback,
//! coarsening, re-solve pins, and (ignored) timing at 2,000 / 20,000 volunteers.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use vroster::bound::{bound_or_fallback, fallback_bound, lower_bound, Backend, BoundOptions};
use vroster::problem::{CompileOptions, Problem};
use vroster::scenario::{Link, Prefers, Quota, Scenario, Shift, Site, Volunteer};
use vroster::time::parse_time;

// ---------------------------------------------------------------------
// A from-scratch evaluator of the format page (test code: shares nothing
// with the solver but the time parser), and an exhaustive search.
// ---------------------------------------------------------------------

struct Eval<'a> {
    sc: &'a Scenario,
    /// travel[site][site], None = unreachable.
    travel: Vec<Vec<Option<i64>>>,
    site: HashMap<&'a str, usize>,
    start: Vec<i64>,
    end: Vec<i64>,
}

impl<'a> Eval<'a> {
    fn new(sc: &'a Scenario) -> Self {
        let site: HashMap<&str, usize> = sc
            .sites
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let n = sc.sites.len();
        let mut travel = vec![vec![None; n]; n];
        for (i, row) in travel.iter_mut().enumerate() {
            row[i] = Some(0);
        }
        if sc.links.is_empty() {
            travel = vec![vec![Some(0); n]; n];
        }
        for l in &sc.links {
            let (a, b) = (site[l.from.as_str()], site[l.to.as_str()]);
            let m = Some(travel[a][b].map_or(l.minutes, |x: i64| x.min(l.minutes)));
            travel[a][b] = m;
            travel[b][a] = m;
        }
        for k in 0..n {
            for i in 0..n {
                for j in 0..n {
                    if let (Some(x), Some(y)) = (travel[i][k], travel[k][j]) {
                        if travel[i][j].is_none_or(|t| x + y < t) {
                            travel[i][j] = Some(x + y);
                        }
                    }
                }
            }
        }
        let t = |s: &str| parse_time(s).expect("time");
        Eval {
            sc,
            travel,
            site,
            start: sc.shifts.iter().map(|s| t(&s.start)).collect(),
            end: sc.shifts.iter().map(|s| t(&s.end)).collect(),
        }
    }
    fn tr(&self, a: &str, b: &str) -> Option<i64> {
        self.travel[self.site[a]][self.site[b]]
    }
    /// Rule 2.
    fn eligible(&self, v: usize, s: usize) -> bool {
        let (vol, sh) = (&self.sc.volunteers[v], &self.sc.shifts[s]);
        if !sh.requires.iter().all(|r| vol.skills.contains(r)) {
            return false;
        }
        if let Some(ws) = &vol.available {
            let ok = ws.iter().any(|(a, b)| {
                parse_time(a).expect("t") <= self.start[s]
                    && self.end[s] <= parse_time(b).expect("t")
            });
            if !ok {
                return false;
            }
        }
        match &vol.home {
            Some(h) => self.tr(h, &sh.venue).is_some(),
            None => true,
        }
    }
    /// Rules 4–7 for one volunteer's set of shifts.
    fn personal_ok(&self, v: usize, set: &[usize]) -> bool {
        let r = self.sc.volunteers[v].effective_rules(&self.sc.rules);
        if set.len() as i64 > r.max_shifts {
            return false;
        }
        for (i, &a) in set.iter().enumerate() {
            for &b in &set[i + 1..] {
                let (a, b) = if self.start[a] <= self.start[b] {
                    (a, b)
                } else {
                    (b, a)
                };
                let t = self.tr(&self.sc.shifts[a].venue, &self.sc.shifts[b].venue);
                let Some(t) = t else { return false };
                if self.start[b] < self.end[a] + r.min_rest_minutes.max(t) {
                    return false;
                }
            }
        }
        let mut per_day: BTreeMap<i64, i64> = BTreeMap::new();
        for &s in set {
            *per_day.entry(self.start[s].div_euclid(1440)).or_default() +=
                self.end[s] - self.start[s];
        }
        if per_day.values().any(|&m| m > r.max_minutes_per_day) {
            return false;
        }
        let days: Vec<i64> = per_day.keys().copied().collect();
        let mut run = 0;
        for (i, &d) in days.iter().enumerate() {
            run = if i > 0 && days[i - 1] + 1 == d {
                run + 1
            } else {
                1
            };
            if run > r.max_consecutive_days {
                return false;
            }
        }
        true
    }
    /// The objective (without `change`) of assignment lists per volunteer.
    fn objective(&self, sets: &[Vec<usize>]) -> f64 {
        let (sc, w) = (self.sc, &self.sc.weights);
        let mut assigned: Vec<Vec<usize>> = vec![Vec::new(); sc.shifts.len()];
        for (v, set) in sets.iter().enumerate() {
            for &s in set {
                assigned[s].push(v);
            }
        }
        let mut total = 0.0;
        for (s, sh) in sc.shifts.iter().enumerate() {
            let n = assigned[s].len() as i64;
            total += w.uncovered * sh.priority * (sh.min - n).max(0) as f64;
            for q in &sh.quotas {
                let qual = assigned[s]
                    .iter()
                    .filter(|&&v| {
                        let vol = &sc.volunteers[v];
                        match (&q.skill, &q.language) {
                            (Some(k), _) => vol.skills.contains(k),
                            (_, Some(l)) => vol
                                .languages
                                .get(l)
                                .is_some_and(|&x| x >= q.level_or_default()),
                            _ => false,
                        }
                    })
                    .count() as i64;
                total += w.quota_shortfall * sh.priority * (q.at_least - qual).max(0) as f64;
            }
        }
        let mut groups: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for (v, set) in sets.iter().enumerate() {
            let vol = &sc.volunteers[v];
            let r = vol.effective_rules(&sc.rules);
            total += w.under_commitment * (r.min_shifts - set.len() as i64).max(0) as f64;
            let extra = (set.len() as i64 - r.min_shifts).max(0) as f64;
            total += w.extra_load * extra * extra;
            if !set.is_empty() {
                total += w.volunteer_used;
            }
            for &s in set {
                let sh = &sc.shifts[s];
                if let Some(p) = &vol.prefers {
                    if !p.venues.is_empty() && !p.venues.contains(&sh.venue) {
                        total += w.preference_miss;
                    }
                    if !p.roles.is_empty() && !sh.role.as_ref().is_some_and(|r| p.roles.contains(r))
                    {
                        total += w.preference_miss;
                    }
                }
                if let Some(h) = &vol.home {
                    total += w.travel_minute * self.tr(h, &sh.venue).unwrap_or(0) as f64;
                }
                if let Some(g) = &vol.group {
                    groups
                        .entry(g.as_str())
                        .or_default()
                        .insert(sh.venue.as_str());
                }
            }
        }
        for venues in groups.values() {
            total += w.group_split * (venues.len() as f64 - 1.0);
        }
        total
    }
}

/// Re-solve data for the exhaustive search: frozen shifts with their pinned
/// volunteers, and the previous (keepable) pairs on the other shifts.
#[derive(Default, Clone)]
struct Resolve {
    frozen: BTreeSet<usize>,
    pinned: BTreeSet<(usize, usize)>,
    previous: BTreeSet<(usize, usize)>,
}

/// Exact optimum by exhaustive search (None if no feasible roster).
fn optimum(sc: &Scenario, rs: &Resolve) -> Option<f64> {
    let ev = Eval::new(sc);
    let nv = sc.volunteers.len();
    let ns = sc.shifts.len();
    // Feasible personal schedules of each volunteer.
    let mut options: Vec<Vec<Vec<usize>>> = Vec::new();
    for v in 0..nv {
        let forced: Vec<usize> = (0..ns).filter(|&s| rs.pinned.contains(&(s, v))).collect();
        let free: Vec<usize> = (0..ns)
            .filter(|&s| !rs.frozen.contains(&s) && ev.eligible(v, s))
            .collect();
        let mut list = Vec::new();
        for bits in 0u32..(1 << free.len()) {
            let mut set = forced.clone();
            set.extend(
                (0..free.len())
                    .filter(|i| bits & (1 << i) != 0)
                    .map(|i| free[i]),
            );
            if ev.personal_ok(v, &set) {
                list.push(set);
            }
        }
        options.push(list);
    }
    let change = sc.weights.change;
    let mut best: Option<f64> = None;
    if options.iter().any(|o| o.is_empty()) {
        return None;
    }
    let mut choice = vec![0usize; nv];
    loop {
        let sets: Vec<Vec<usize>> = (0..nv).map(|v| options[v][choice[v]].clone()).collect();
        let mut count = vec![0i64; ns];
        for set in &sets {
            for &s in set {
                count[s] += 1;
            }
        }
        let headcount_ok = (0..ns).all(|s| rs.frozen.contains(&s) || count[s] <= sc.shifts[s].max);
        if headcount_ok {
            let mut total = ev.objective(&sets);
            if !rs.previous.is_empty() || !rs.frozen.is_empty() {
                let new: BTreeSet<(usize, usize)> = sets
                    .iter()
                    .enumerate()
                    .flat_map(|(v, set)| set.iter().map(move |&s| (s, v)))
                    .filter(|(s, _)| !rs.frozen.contains(s))
                    .collect();
                total += change * new.symmetric_difference(&rs.previous).count() as f64;
            }
            best = Some(best.map_or(total, |b: f64| b.min(total)));
        }
        // Next combination.
        let mut v = 0;
        loop {
            if v == nv {
                return best;
            }
            if options[v].is_empty() {
                return None;
            }
            choice[v] += 1;
            if choice[v] < options[v].len() {
                break;
            }
            choice[v] = 0;
            v += 1;
        }
    }
}

// ---------------------------------------------------------------------
// Tiny random scenarios.
// ---------------------------------------------------------------------

fn tiny(seed: u64) -> Scenario {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let sites = ["A", "B", "H"];
    let mut sc = Scenario {
        format: "volunteer-scenario/1".into(),
        name: format!("tiny {seed}"),
        sites: sites
            .iter()
            .map(|s| Site {
                id: s.to_string(),
                ..Site::default()
            })
            .collect(),
        ..Scenario::default()
    };
    if rng.gen_bool(0.7) {
        sc.links = vec![
            Link {
                from: "H".into(),
                to: "A".into(),
                minutes: rng.gen_range(5..60),
            },
            Link {
                from: "A".into(),
                to: "B".into(),
                minutes: rng.gen_range(30..600),
            },
        ];
    }
    sc.weights.volunteer_used = if rng.gen_bool(0.3) { 30.0 } else { 0.0 };
    sc.rules.min_rest_minutes = [0, 120, 480][rng.gen_range(0..3)];
    let n_shifts = rng.gen_range(3..=5);
    for i in 0..n_shifts {
        let day = rng.gen_range(0..2);
        let hour = [6, 10, 14, 18, 22][rng.gen_range(0..5)];
        let len = rng.gen_range(4..=8);
        let start = (day * 24 + hour) * 60;
        let end = start + len * 60;
        let fmt =
            |m: i64| vroster::time::format_time(parse_time("2022-02-04T00:00").expect("t") + m);
        let min = rng.gen_range(0..=2);
        let mut quotas = Vec::new();
        if rng.gen_bool(0.3) {
            quotas.push(Quota {
                skill: Some("fa".into()),
                at_least: 1,
                ..Quota::default()
            });
        }
        if rng.gen_bool(0.2) {
            quotas.push(Quota {
                language: Some("en".into()),
                level: Some(3),
                at_least: 1,
                ..Quota::default()
            });
        }
        sc.shifts.push(Shift {
            id: format!("S{i}"),
            venue: if rng.gen_bool(0.5) { "A" } else { "B" }.into(),
            role: Some(if rng.gen_bool(0.5) { "r1" } else { "r2" }.into()),
            start: fmt(start),
            end: fmt(end),
            min,
            max: min + rng.gen_range(0..=1),
            priority: if rng.gen_bool(0.3) { 2.0 } else { 1.0 },
            requires: if rng.gen_bool(0.3) {
                vec!["acc".into()]
            } else {
                Vec::new()
            },
            quotas,
        });
    }
    let n_vols = rng.gen_range(3..=4);
    for i in 0..n_vols {
        let mut v = Volunteer {
            id: format!("V{i}"),
            ..Volunteer::default()
        };
        if rng.gen_bool(0.7) {
            v.skills.push("acc".into());
        }
        if rng.gen_bool(0.4) {
            v.skills.push("fa".into());
        }
        if rng.gen_bool(0.5) {
            v.languages.insert("en".into(), rng.gen_range(1..=5));
        }
        if rng.gen_bool(0.6) {
            v.home = Some(["H", "A", "B"][rng.gen_range(0..3)].into());
        }
        if rng.gen_bool(0.3) {
            v.available = Some(vec![("2022-02-04T00:00".into(), "2022-02-05T00:00".into())]);
        }
        if rng.gen_bool(0.4) {
            v.min_shifts = Some(rng.gen_range(1..=2));
        }
        if rng.gen_bool(0.5) {
            v.max_shifts = Some(rng.gen_range(1..=3));
        }
        if rng.gen_bool(0.4) {
            v.min_rest_minutes = Some([0, 60, 600][rng.gen_range(0..3)]);
        }
        if rng.gen_bool(0.4) {
            v.max_minutes_per_day = Some([300, 480, 720][rng.gen_range(0..3)]);
        }
        if rng.gen_bool(0.3) {
            v.max_consecutive_days = Some(1);
        }
        if rng.gen_bool(0.5) {
            v.prefers = Some(Prefers {
                venues: if rng.gen_bool(0.5) {
                    vec!["A".into()]
                } else {
                    Vec::new()
                },
                roles: if rng.gen_bool(0.5) {
                    vec!["r1".into()]
                } else {
                    Vec::new()
                },
            });
        }
        if rng.gen_bool(0.4) {
            v.group = Some("G".into());
        }
        sc.volunteers.push(v);
    }
    sc
}

fn assert_valid(bound: f64, opt: f64, what: &str) {
    assert!(
        bound <= opt + 1e-6 * opt.abs().max(1.0),
        "{what}: bound {bound} exceeds the optimum {opt}"
    );
}

/// On random tiny scenarios every bound stays at or below the exhaustive
/// optimum; both LP backends solve the same relaxation, so their certified
/// bounds agree; and the LP bound beats the fallback somewhere, so the
/// comparison with the optimum is not only about the fallback.
#[test]
fn bound_never_exceeds_exhaustive_optimum() {
    let mut lp_above_fallback = 0usize;
    for seed in 0..4 {
        let sc = tiny(seed);
        let p = Problem::compile(&sc).expect("compiles");
        let t = std::time::Instant::now();
        let opt = optimum(&sc, &Resolve::default()).expect("an empty roster is feasible");
        eprintln!("seed {seed}: optimum {opt} in {:?}", t.elapsed());
        let mut bounds = Vec::new();
        for backend in [Backend::Microlp, Backend::Clarabel] {
            let opts = BoundOptions { backend, ..quick() };
            let r = lower_bound(&p, &opts).expect("LP solves");
            eprintln!(
                "seed {seed} {backend:?}: bound {} fallback {} optimum {opt}",
                r.bound,
                fallback_bound(&p)
            );
            assert_valid(r.bound, opt, &format!("seed {seed} {backend:?}"));
            assert!(r.bound >= fallback_bound(&p) - 1e-9);
            bounds.push(r.bound);
        }
        let scale = opt.abs().max(1.0);
        assert!(
            (bounds[0] - bounds[1]).abs() <= 1e-4 * scale,
            "seed {seed}: the backends disagree on the same LP: {bounds:?}"
        );
        if bounds[0] > fallback_bound(&p) + 1e-6 * scale {
            lp_above_fallback += 1;
        }
        assert_valid(fallback_bound(&p), opt, &format!("seed {seed} fallback"));
        // Coarsening down to one pool: still valid, never above the class LP.
        let fine = lower_bound(&p, &quick()).expect("LP").bound;
        let coarse = lower_bound(
            &p,
            &BoundOptions {
                max_columns: 1,
                ..quick()
            },
        );
        let coarse = coarse
            .map(|r| r.bound)
            .unwrap_or_else(|_| fallback_bound(&p));
        assert_valid(coarse, opt, &format!("seed {seed} coarse"));
        assert!(
            coarse <= fine + 1e-6 * fine.abs().max(1.0),
            "seed {seed}: coarse {coarse} > fine {fine}"
        );
    }
    assert!(
        lp_above_fallback > 0,
        "the LP bound never beats the fallback: the check says nothing about the LP"
    );
}

/// With fair load priced (`extra_load`), every bound (LP on both backends,
/// fallback, peak staffing) stays at or below the exhaustive optimum, which
/// does count the term; and the weight does change some optimum, so the
/// comparison is not vacuous.
#[test]
fn bound_stays_valid_with_extra_load() {
    use vroster::bound::peak_bound;
    let mut raised = 0;
    for seed in 0..6 {
        for (extra, used) in [(5.0, 0.0), (400.0, 0.0), (40.0, 30.0)] {
            let mut sc = tiny(seed);
            sc.weights.volunteer_used = used;
            let Some(plain) = optimum(&sc, &Resolve::default()) else {
                continue;
            };
            sc.weights.extra_load = extra;
            let p = Problem::compile(&sc).expect("compiles");
            let opt = optimum(&sc, &Resolve::default()).expect("same rosters feasible");
            assert!(
                opt >= plain - 1e-9,
                "seed {seed}: weight lowered the optimum"
            );
            if opt > plain + 1e-9 {
                raised += 1;
            }
            let what = format!("seed {seed} extra_load {extra} volunteer_used {used}");
            for backend in [Backend::Microlp, Backend::Clarabel] {
                let opts = BoundOptions { backend, ..quick() };
                let r = lower_bound(&p, &opts).expect("LP solves");
                assert_valid(r.bound, opt, &format!("{what} {backend:?}"));
            }
            assert_valid(fallback_bound(&p), opt, &format!("{what} fallback"));
            assert_valid(peak_bound(&p), opt, &format!("{what} peak"));
            let either = vroster::bound::bound_or_fallback(&p, &quick()).bound;
            assert_valid(either, opt, &format!("{what} bound_or_fallback"));
        }
    }
    assert!(raised > 0, "extra_load never changed an optimum");
}

fn one_site_scenario() -> Scenario {
    Scenario {
        format: "volunteer-scenario/1".into(),
        sites: vec![
            Site {
                id: "A".into(),
                ..Site::default()
            },
            Site {
                id: "H".into(),
                ..Site::default()
            },
        ],
        links: vec![Link {
            from: "H".into(),
            to: "A".into(),
            minutes: 30,
        }],
        ..Scenario::default()
    }
}

fn shift(id: &str, start: &str, end: &str, min: i64, max: i64) -> Shift {
    Shift {
        id: id.into(),
        venue: "A".into(),
        start: start.into(),
        end: end.into(),
        min,
        max,
        priority: 1.0,
        ..Shift::default()
    }
}

fn vol(id: &str) -> Volunteer {
    Volunteer {
        id: id.into(),
        ..Volunteer::default()
    }
}

#[test]
fn tight_on_hand_computed_cases() {
    // (a) min 3, two volunteers: one head uncovered = 1000 × 1 × 1.
    let mut sc = one_site_scenario();
    sc.shifts
        .push(shift("S", "2022-02-04T06:00", "2022-02-04T14:00", 3, 3));
    sc.volunteers = vec![vol("a"), vol("b")];
    let p = Problem::compile(&sc).expect("compiles");
    let b = lower_bound(&p, &quick()).expect("LP").bound;
    assert!((b - 1000.0).abs() < 1e-3, "{b}");
    // (b) two simultaneous shifts, one volunteer: clique x1 + x2 ≤ 1, one
    // shift stays uncovered: 1000. With travel 30 min × 0.1 = 3 per
    // assignment (home H): 1003.
    let mut sc = one_site_scenario();
    sc.shifts
        .push(shift("S1", "2022-02-04T06:00", "2022-02-04T14:00", 1, 1));
    sc.shifts
        .push(shift("S2", "2022-02-04T07:00", "2022-02-04T12:00", 1, 1));
    let mut v = vol("a");
    v.home = Some("H".into());
    sc.volunteers = vec![v];
    let p = Problem::compile(&sc).expect("compiles");
    let b = lower_bound(&p, &quick()).expect("LP").bound;
    assert_eq!(optimum(&sc, &Resolve::default()), Some(1003.0));
    assert!((b - 1003.0).abs() < 1e-3, "{b}");
    // (c) quota first aid at_least 1 on a 1-head shift: the first-aider
    // misses their venue preference (10), the other would cost a quota
    // shortfall (100): optimum 10, and the LP sees the same.
    let mut sc = one_site_scenario();
    let mut s = shift("S", "2022-02-04T06:00", "2022-02-04T14:00", 1, 1);
    s.quotas.push(Quota {
        skill: Some("fa".into()),
        at_least: 1,
        ..Quota::default()
    });
    sc.shifts.push(s);
    let mut fa = vol("fa");
    fa.skills.push("fa".into());
    fa.prefers = Some(Prefers {
        venues: vec!["H".into()],
        roles: Vec::new(),
    });
    sc.volunteers = vec![fa, vol("plain")];
    let p = Problem::compile(&sc).expect("compiles");
    let b = lower_bound(&p, &quick()).expect("LP").bound;
    assert!((b - 10.0).abs() < 1e-3, "{b}");
    // (d) min_shifts 2 with one eligible shift: under-commitment 50 × 1.
    let mut sc = one_site_scenario();
    sc.shifts
        .push(shift("S", "2022-02-04T06:00", "2022-02-04T14:00", 1, 1));
    let mut v = vol("a");
    v.min_shifts = Some(2);
    sc.volunteers = vec![v];
    let p = Problem::compile(&sc).expect("compiles");
    let b = lower_bound(&p, &quick()).expect("LP").bound;
    assert!((b - 50.0).abs() < 1e-3, "{b}");
}

#[test]
fn resolve_with_pins_and_constant() {
    // Shift F (frozen) has V0 pinned; B overlaps F; the previous roster had
    // V1 on B (change 200, baseline 1). Keeping V1 on B costs nothing:
    // constant 200 + (−200) = 0, and the LP finds exactly that.
    let mut sc = one_site_scenario();
    sc.links.clear();
    sc.shifts
        .push(shift("F", "2022-02-04T06:00", "2022-02-04T14:00", 1, 1));
    sc.shifts
        .push(shift("B", "2022-02-04T10:00", "2022-02-04T18:00", 1, 1));
    sc.volunteers = vec![vol("V0"), vol("V1")];
    let opts = CompileOptions {
        frozen_shifts: vec![0],
        pinned_pairs: vec![(0, 0)],
        previous_pairs: vec![(1, 1)],
        repair: true,
        change_baseline: 1,
        ..Default::default()
    };
    let p = Problem::compile_with(&sc, &opts).expect("compiles");
    assert!((p.constant_cost() - 200.0).abs() < 1e-9);
    let rs = Resolve {
        frozen: [0].into(),
        pinned: [(0, 0)].into(),
        previous: [(1, 1)].into(),
    };
    assert_eq!(optimum(&sc, &rs), Some(0.0));
    let r = lower_bound(&p, &quick()).expect("LP");
    assert!(r.bound.abs() < 1e-3, "{}", r.bound);
    // Random re-solves: first shift frozen with whoever was eligible pinned.
    for seed in 100..104 {
        let sc = tiny(seed);
        let ev = Eval::new(&sc);
        let frozen = 0usize;
        let pinned: Vec<(usize, usize)> = (0..sc.volunteers.len())
            .filter(|&v| ev.eligible(v, frozen))
            .take(sc.shifts[frozen].max as usize)
            .map(|v| (frozen, v))
            .collect();
        // Previous pairs: each volunteer on the last eligible shift.
        let previous: Vec<(usize, usize)> = (0..sc.volunteers.len())
            .filter_map(|v| {
                (1..sc.shifts.len())
                    .rev()
                    .find(|&s| ev.eligible(v, s))
                    .map(|s| (s, v))
            })
            .collect();
        let rs = Resolve {
            frozen: [frozen].into(),
            pinned: pinned.iter().copied().collect(),
            previous: previous.iter().copied().collect(),
        };
        let Some(opt) = optimum(&sc, &rs) else {
            continue;
        };
        let opts = CompileOptions {
            frozen_shifts: vec![frozen],
            pinned_pairs: pinned.clone(),
            previous_pairs: previous.clone(),
            repair: true,
            change_baseline: previous.len(),
            ..Default::default()
        };
        let p = Problem::compile_with(&sc, &opts).expect("compiles");
        let r = bound_or_fallback(&p, &quick());
        assert_valid(r.bound, opt, &format!("resolve seed {seed}"));
    }
}

/// Default options with a short LP time cap, so a simplex stall falls back
/// (to a valid bound) within seconds instead of holding the test.
fn quick() -> BoundOptions {
    BoundOptions {
        time_limit_seconds: 2.0,
        ..BoundOptions::default()
    }
}

/// The peak-staffing bound on a hand case: three shifts overlap at 10:00
/// (min 1, 2 and 1) and a fourth starts when the first ends, so 4 units run
/// at once; with `volunteer_used` 3 and `uncovered` 2 (cheaper per unit),
/// each costs 2: bound 8. It is also below the exhaustive optimum of random
/// tiny scenarios that price volunteers used.
#[test]
fn peak_staffing_bound_is_hand_computed_and_valid() {
    use vroster::bound::peak_bound;
    let mut sc = tiny(1);
    sc.weights.volunteer_used = 3.0;
    sc.weights.uncovered = 2.0;
    let times = [
        ("08:00", "12:00", 1),
        ("09:00", "11:00", 2),
        ("10:00", "14:00", 1),
        ("12:00", "13:00", 1),
    ];
    let template = sc.shifts[0].clone();
    sc.shifts = times
        .iter()
        .enumerate()
        .map(|(i, (a, b, min))| {
            let mut sh = template.clone();
            sh.id = format!("s{i}");
            sh.start = format!("2022-02-04T{a}");
            sh.end = format!("2022-02-04T{b}");
            sh.min = *min;
            sh.max = 3;
            sh.priority = 1.0;
            sh.quotas.clear();
            sh
        })
        .collect();
    let p = Problem::compile(&sc).expect("compiles");
    assert!((peak_bound(&p) - 8.0).abs() < 1e-5, "{}", peak_bound(&p));
    let mut checked = 0;
    for seed in 0..40 {
        let mut sc = tiny(seed);
        sc.weights.volunteer_used = [1.0, 30.0, 500.0][seed as usize % 3];
        let p = Problem::compile(&sc).expect("compiles");
        let Some(opt) = optimum(&sc, &Resolve::default()) else {
            continue;
        };
        assert_valid(peak_bound(&p), opt, &format!("seed {seed} peak"));
        checked += 1;
    }
    assert!(checked >= 30);
}

// ---------------------------------------------------------------------
// The schedule-level relaxation (bound::schedule).
// ---------------------------------------------------------------------

mod schedule {
    use super::*;
    use vroster::bound::schedule::dual::{self, Prices};
    use vroster::bound::schedule::pricing::{count_cost, Pricing, Scratch};
    use vroster::bound::schedule::{schedule_bound, ScheduleBound, ScheduleOptions};

    /// Random non-negative prices within the bounds the ascent keeps.
    fn random_prices(p: &Problem, rng: &mut ChaCha8Rng) -> Prices {
        let mut pr = Prices::zero(p);
        for (s, sh) in p.shifts().iter().enumerate() {
            let cap = p.weights().uncovered * sh.priority;
            pr.cover[s] = if rng.gen_bool(0.5) {
                rng.gen_range(0.0..60.0)
            } else {
                rng.gen_range(0.0..cap)
            };
            pr.headcount[s] = if sh.frozen {
                0.0
            } else {
                rng.gen_range(0.0..40.0)
            };
        }
        for (i, q) in p.quotas().iter().enumerate() {
            pr.quota[i] = rng.gen_range(0.0..=q.unit_cost);
        }
        pr
    }

    /// Whether the pairs `set` (global positions of volunteer `v`, in start
    /// order) pass the rules the DP keeps: rule 4 between consecutive
    /// shifts, rule 5 for single shifts and consecutive same-day pairs,
    /// rules 6 and 7. Written from the module doc, independently of the DP.
    fn dp_rules_ok(p: &Problem, v: usize, set: &[usize]) -> bool {
        dp_rules_ok_without_runs(p, v, set)
            && longest_run(p, set) <= p.volunteers()[v].max_consecutive_days
    }

    /// [`dp_rules_ok`] without rule 7.
    fn dp_rules_ok_without_runs(p: &Problem, v: usize, set: &[usize]) -> bool {
        let vi = &p.volunteers()[v];
        if set.len() > vi.max_shifts as usize {
            return false;
        }
        for &q in set {
            if p.shifts()[p.pair_shift()[q] as usize].duration() > vi.max_minutes_per_day {
                return false;
            }
        }
        set.windows(2).all(|w| {
            let (a, b) = (p.pair_shift()[w[0]] as usize, p.pair_shift()[w[1]] as usize);
            let (sa, sb) = (&p.shifts()[a], &p.shifts()[b]);
            sa.start < sb.start
                && p.spaced(v, a, b)
                && (sa.day != sb.day || sa.duration() + sb.duration() <= vi.max_minutes_per_day)
        })
    }

    /// The longest run of consecutive days among the shifts of `set`.
    fn longest_run(p: &Problem, set: &[usize]) -> u32 {
        let days: BTreeSet<u32> = set
            .iter()
            .map(|&q| p.shifts()[p.pair_shift()[q] as usize].day)
            .collect();
        let (mut best, mut run, mut last) = (0, 0, None);
        for d in days {
            run = if last.is_some_and(|l: u32| l + 1 == d) {
                run + 1
            } else {
                1
            };
            best = best.max(run);
            last = Some(d);
        }
        best
    }

    /// Every schedule of volunteer `v` that contains its pins and passes
    /// `ok`, by enumeration of subsets.
    fn schedules(p: &Problem, v: usize, ok: &dyn Fn(&[usize]) -> bool) -> Vec<Vec<usize>> {
        let pairs: Vec<usize> = p.vol_pairs(v).collect();
        let pinned: BTreeSet<usize> = p.pinned().iter().map(|&q| q as usize).collect();
        let mut out = Vec::new();
        for bits in 0u32..(1 << pairs.len()) {
            let set: Vec<usize> = (0..pairs.len())
                .filter(|i| bits & (1 << i) != 0)
                .map(|i| pairs[i])
                .collect();
            let pins_in = pairs
                .iter()
                .filter(|q| pinned.contains(q))
                .all(|q| set.contains(q));
            let frozen_ok = set
                .iter()
                .all(|q| pinned.contains(q) || !p.shifts()[p.pair_shift()[*q] as usize].frozen);
            if pins_in && frozen_ok && ok(&set) {
                out.push(set);
            }
        }
        out
    }

    fn priced_cost(p: &Problem, pr: &Prices, v: usize, set: &[usize]) -> f64 {
        set.iter().map(|&q| pr.reduced_cost(p, q)).sum::<f64>() + count_cost(p, v, set.len())
    }

    /// The cheapest priced schedule of `v` among those that pass `ok`, by
    /// enumeration (+∞ when none does).
    fn enumerated_best(p: &Problem, pr: &Prices, v: usize, ok: &dyn Fn(&[usize]) -> bool) -> f64 {
        schedules(p, v, ok)
            .iter()
            .map(|s| priced_cost(p, pr, v, s))
            .fold(f64::INFINITY, f64::min)
    }

    /// L at `pr`, from scratch: the row terms of the module doc plus each
    /// volunteer's cheapest enumerated schedule.
    fn plain_l(p: &Problem, pr: &Prices) -> f64 {
        let w = p.weights();
        let mut total = p.constant_cost();
        for (s, sh) in p.shifts().iter().enumerate() {
            let (min, cap) = (sh.min as f64, w.uncovered * sh.priority);
            total += pr.cover[s] * min - pr.headcount[s] * sh.max as f64
                + (cap - pr.cover[s]).min(0.0) * min;
        }
        for (i, q) in p.quotas().iter().enumerate() {
            let need = q.at_least as f64;
            total += pr.quota[i] * need + (q.unit_cost - pr.quota[i]).min(0.0) * need;
        }
        for v in 0..p.n_volunteers() {
            total += enumerated_best(p, pr, v, &|set| dp_rules_ok(p, v, set));
        }
        total
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
    }

    #[test]
    fn pricing_dp_agrees_with_enumeration() {
        let mut checked = 0;
        for seed in 0..300u64 {
            let mut sc = tiny(seed);
            if seed % 2 == 1 {
                sc.weights.extra_load = 30.0;
            }
            let p = Problem::compile(&sc).expect("compiles");
            each_cheapest(&p, seed ^ 0xABCD, |pr, v, got, set| {
                let want = enumerated_best(&p, pr, v, &|set| dp_rules_ok(&p, v, set));
                assert!(
                    close(got, want),
                    "seed {seed} v{v}: DP {got} enumeration {want}"
                );
                assert!(
                    dp_rules_ok(&p, v, set),
                    "seed {seed} v{v}: chosen schedule breaks a kept rule"
                );
                assert!(
                    close(priced_cost(&p, pr, v, set), got),
                    "seed {seed} v{v}: chosen schedule is not the value"
                );
                // A relaxation of the real rules: never above the cheapest valid schedule.
                let ev = Eval::new(&sc);
                let best_valid = enumerated_best(&p, pr, v, &|set| {
                    let shifts: Vec<usize> =
                        set.iter().map(|&q| p.pair_shift()[q] as usize).collect();
                    ev.personal_ok(v, &shifts)
                });
                assert!(
                    got <= best_valid + 1e-9,
                    "seed {seed} v{v}: DP above a valid schedule"
                );
                checked += 1;
            });
        }
        assert!(checked > 600);
    }

    /// Prices every volunteer of `p` at random prices (from `seed`) and
    /// hands `check` the prices, the volunteer, the DP's value and its
    /// chosen schedule.
    fn each_cheapest(p: &Problem, seed: u64, mut check: impl FnMut(&Prices, usize, f64, &[usize])) {
        let pricing = Pricing::new(p);
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let pr = random_prices(p, &mut rng);
        let mut scratch = Scratch::default();
        let mut chosen = Vec::new();
        for v in 0..p.n_volunteers() {
            let rc = |q: usize| pr.reduced_cost(p, q);
            let got = pricing.cheapest(p, v, &rc, &mut scratch, &mut chosen);
            let set: Vec<usize> = chosen.iter().map(|&q| q as usize).collect();
            check(&pr, v, got.value, &set);
        }
    }

    /// A tiny scenario with two copies of each shift, each moved by up to
    /// four days, and a limit of one to three consecutive days: rule 7
    /// binds on many volunteers.
    fn spread(seed: u64) -> Scenario {
        spread_copies(seed, 2)
    }

    /// [`spread`] with `copies` copies of each shift.
    fn spread_copies(seed: u64, copies: usize) -> Scenario {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5EED);
        let mut sc = tiny(seed);
        let moved = |t: &str, days: i64| {
            vroster::time::format_time(parse_time(t).expect("time") + days * 1440)
        };
        let base = std::mem::take(&mut sc.shifts);
        for copy in 0..copies {
            for sh in &base {
                let days = rng.gen_range(0..5);
                let mut s = sh.clone();
                s.id = format!("{}-{copy}", sh.id);
                s.start = moved(&sh.start, days);
                s.end = moved(&sh.end, days);
                sc.shifts.push(s);
            }
        }
        sc.rules.max_consecutive_days = rng.gen_range(1..=3);
        for v in &mut sc.volunteers {
            v.available = None;
            v.max_consecutive_days = None;
            v.max_shifts = v.max_shifts.map(|_| rng.gen_range(2..=6));
        }
        sc
    }

    #[test]
    fn pricing_dp_keeps_consecutive_days() {
        let (mut checked, mut binding, mut pinned) = (0, 0, 0);
        for seed in 0..150u64 {
            let sc = spread(seed);
            let mut p = Problem::compile(&sc).expect("compiles");
            if seed % 2 == 1 {
                // A re-solve: the first shift frozen with its first
                // eligible volunteers pinned (their DP forces the pins).
                let pins: Vec<(usize, usize)> = p
                    .shift_vol_list(0)
                    .iter()
                    .take(p.shifts()[0].max as usize)
                    .map(|&v| (0, v as usize))
                    .collect();
                let opts = CompileOptions {
                    frozen_shifts: vec![0],
                    pinned_pairs: pins,
                    repair: true,
                    ..CompileOptions::default()
                };
                p = Problem::compile_with(&sc, &opts).expect("compiles");
            }
            each_cheapest(&p, seed ^ 0x7777, |pr, v, got, set| {
                let want = enumerated_best(&p, pr, v, &|set| dp_rules_ok(&p, v, set));
                if want.is_infinite() {
                    // A pin no schedule can hold (longer than the day's
                    // cap): validation rejects it before any solve.
                    return;
                }
                assert!(
                    close(got, want),
                    "seed {seed} v{v}: DP {got} enumeration {want}"
                );
                assert!(dp_rules_ok(&p, v, set), "seed {seed} v{v}: breaks rule 7");
                assert!(close(priced_cost(&p, pr, v, set), got));
                // Without rule 7 some volunteers would be priced lower.
                let relaxed =
                    enumerated_best(&p, pr, v, &|set| dp_rules_ok_without_runs(&p, v, set));
                if relaxed < want - 1e-6 {
                    binding += 1;
                }
                if p.vol_pairs(v).any(|q| p.pinned().contains(&(q as u32))) {
                    pinned += 1;
                }
                checked += 1;
            });
        }
        assert!(checked > 400, "{checked}");
        assert!(binding > 20, "rule 7 bound only {binding} times");
        assert!(pinned > 20, "only {pinned} pinned volunteers checked");
    }

    #[test]
    fn priced_schedules_on_medium_keep_every_personal_rule() {
        // Medium's shifts last 4 or 8 hours with 8 hours of rest between,
        // so no day holds three: the rules the DP keeps are all of rules
        // 4-7 there, rule 7 included.
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/medium.json");
        let sc: Scenario = vroster::io::read_json(std::path::Path::new(path)).expect("medium");
        let p = Problem::compile(&sc).expect("compiles");
        let options = ScheduleOptions {
            evaluations: 12,
            ..ScheduleOptions::default()
        };
        let r = schedule_bound(&p, &options);
        let (schedules, _) = vroster::bound::schedule::priced_schedules(&p, &r.pricing, &r.prices);
        let ev = Eval::new(&sc);
        let mut past_the_limit = 0;
        for (v, pairs) in schedules.iter().enumerate() {
            let shifts: Vec<usize> = pairs
                .iter()
                .map(|&q| p.pair_shift()[q as usize] as usize)
                .collect();
            assert!(ev.personal_ok(v, &shifts), "volunteer {v}: {shifts:?}");
            let limit = p.volunteers()[v].max_consecutive_days as usize;
            past_the_limit += usize::from(shifts.len() > limit);
        }
        // Schedules with more shifts than the limit took a day off.
        assert!(past_the_limit > 5, "only {past_the_limit}");
    }

    #[test]
    fn lagrangian_matches_a_from_scratch_recomputation() {
        for seed in 0..200u64 {
            let mut sc = tiny(seed);
            if seed % 2 == 1 {
                sc.weights.extra_load = 3.0;
            }
            let p = Problem::compile(&sc).expect("compiles");
            let pricing = Pricing::new(&p);
            let mut workers = dual::workers(&p);
            let mut heads = vec![0u32; p.n_shifts()];
            let mut qualifying = vec![0u32; p.quotas().len()];
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            for _ in 0..3 {
                let pr = random_prices(&p, &mut rng);
                let got = dual::evaluate(
                    &p,
                    &pricing,
                    &pr,
                    &mut workers,
                    &mut heads,
                    &mut qualifying,
                    &|_, _| {},
                );
                let want = plain_l(&p, &pr);
                assert!(close(got, want), "seed {seed}: L {got} from scratch {want}");
            }
        }
    }

    #[test]
    fn prices_from_head_values_split_into_cover_and_headcount() {
        let sc = tiny(7);
        let p = Problem::compile(&sc).expect("compiles");
        let n = p.n_shifts();
        assert!(n >= 3, "tiny(7) has {n} shifts");
        let cap = |s: usize| p.weights().uncovered * p.shifts()[s].priority;
        let mut values = vec![0.0; n];
        values[0] = 5.0;
        values[1] = -3.0;
        values[2] = 1e12;
        let quota_values = vec![f64::NAN; p.quotas().len()];
        let pr = Prices::from_values(&p, &values, &quota_values);
        assert_eq!((pr.cover[0], pr.headcount[0]), (5.0, 0.0));
        assert_eq!((pr.cover[1], pr.headcount[1]), (0.0, 3.0));
        assert_eq!((pr.cover[2], pr.headcount[2]), (cap(2), 0.0));
        assert!(pr.quota.iter().all(|&x| x == 0.0));
    }

    /// Start prices (as the flow relaxation's potentials would give) are
    /// one more candidate: whatever they are, the bound stays at most the
    /// exhaustive optimum and at least the value at those prices.
    #[test]
    fn warm_started_schedule_bound_is_valid_and_at_least_its_start() {
        for seed in 0..120u64 {
            let sc = tiny(7_000 + seed);
            let p = Problem::compile(&sc).expect("compiles");
            let opt = optimum(&sc, &Resolve::default()).expect("an empty roster is feasible");
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let start = random_prices(&p, &mut rng);
            let at_start = plain_l(&p, &start);
            let warm = schedule_bound(
                &p,
                &ScheduleOptions {
                    evaluations: 40,
                    start: Some(start),
                    ..ScheduleOptions::default()
                },
            );
            assert_valid(warm.bound, opt, &format!("seed {seed} warm-started bound"));
            let slack = 1e-6 * opt.abs().max(1.0);
            assert!(
                warm.bound >= at_start - slack,
                "seed {seed}: bound {} below the value at the start prices {at_start}",
                warm.bound
            );
        }
    }

    /// The schedule bound of `sc` after `evaluations`, and its exhaustive
    /// optimum.
    fn bound_and_optimum(sc: &Scenario, evaluations: usize) -> (ScheduleBound, f64) {
        let p = Problem::compile(sc).expect("compiles");
        let opt = optimum(sc, &Resolve::default()).expect("an empty roster is feasible");
        let options = ScheduleOptions {
            evaluations,
            ..ScheduleOptions::default()
        };
        (schedule_bound(&p, &options), opt)
    }

    #[test]
    fn schedule_bound_never_exceeds_exhaustive_optimum() {
        let (mut tight, mut split, mut split_tight) = (0, 0, 0);
        let n = 500u64;
        for seed in 0..n {
            let mut sc = tiny(1_000 + seed);
            if seed % 3 == 0 {
                sc.weights.under_commitment = 50.0 + (seed % 7) as f64 * 20.0;
            }
            if seed % 4 == 1 {
                sc.weights.extra_load = [3.0, 30.0, 0.7][(seed as usize / 4) % 3];
            }
            let (r, opt) = bound_and_optimum(&sc, 80);
            assert_valid(r.bound, opt, &format!("seed {seed} schedule bound"));
            let is_tight = r.bound >= opt - 1e-6 * opt.abs().max(1.0);
            tight += usize::from(is_tight);
            if r.group_split > 0.0 {
                split += 1;
                split_tight += usize::from(is_tight);
            }
        }
        // Valid is the property; being tight on some shows the test can tell.
        assert!(tight > 0, "never tight on {n} scenarios");
        // The groups' part of the bound is exercised, and sometimes closes it.
        assert!(split_tight > 0, "groups priced on {split}, never tight");
    }

    #[test]
    fn schedule_bound_with_runs_of_days_never_exceeds_exhaustive_optimum() {
        // Shifts over five days, everyone committed: the bound now counts
        // the commitment rule 7 keeps a volunteer from meeting.
        let (mut checked, mut rule7_costs, mut tight) = (0, 0, 0);
        for seed in 0..120u64 {
            let mut sc = spread_copies(40_000 + seed, 1);
            sc.weights.under_commitment = 80.0;
            for v in &mut sc.volunteers {
                v.min_shifts = Some(3);
            }
            let (r, opt) = bound_and_optimum(&sc, 60);
            assert_valid(
                r.bound,
                opt,
                &format!("seed {seed} bound with runs of days"),
            );
            tight += usize::from(r.bound >= opt - 1e-6 * opt.abs().max(1.0));
            let mut free = sc.clone();
            free.rules.max_consecutive_days = 99;
            let opt_free = optimum(&free, &Resolve::default()).expect("feasible");
            rule7_costs += usize::from(opt_free < opt - 1e-6);
            checked += 1;
        }
        assert_eq!(checked, 120);
        assert!(
            rule7_costs > 10,
            "rule 7 raised the optimum on only {rule7_costs}"
        );
        assert!(tight > 0, "never tight");
    }

    #[test]
    fn group_split_part_of_the_bound_never_exceeds_exhaustive_optimum() {
        // Everyone in one or two groups, shifts at three venues, most
        // volunteers committed: the groups' part of the bound is large.
        let (mut priced, mut tight) = (0, 0);
        for seed in 0..300u64 {
            let mut sc = tiny(20_000 + seed);
            let venues = ["A", "B", "H"];
            for (i, sh) in sc.shifts.iter_mut().enumerate() {
                sh.venue = venues[(seed as usize + i * 7) % 3].into();
            }
            for (i, v) in sc.volunteers.iter_mut().enumerate() {
                v.group = Some(
                    if seed % 4 == 0 && i % 2 == 1 {
                        "G2"
                    } else {
                        "G"
                    }
                    .into(),
                );
                if !(seed + i as u64).is_multiple_of(3) {
                    v.min_shifts = Some(1);
                }
            }
            sc.weights.group_split = [20.0, 200.0, 5.0][seed as usize % 3];
            let (r, opt) = bound_and_optimum(&sc, 40);
            assert_valid(
                r.bound,
                opt,
                &format!("seed {seed} schedule bound with groups"),
            );
            if r.group_split > 0.0 {
                priced += 1;
                tight += usize::from(r.bound >= opt - 1e-6 * opt.abs().max(1.0));
            }
        }
        assert!(
            priced > 30 && tight > 0,
            "groups priced on {priced}, tight on {tight}"
        );
    }

    #[test]
    fn schedule_bound_is_valid_in_a_resolve_with_pins() {
        for seed in 0..60u64 {
            let sc = tiny(5_000 + seed);
            let p0 = Problem::compile(&sc).expect("compiles");
            // Freeze the first shift with whoever is eligible for it (at most its max).
            let frozen = 0usize;
            let pins: Vec<(usize, usize)> = p0
                .shift_vol_list(frozen)
                .iter()
                .take(p0.shifts()[frozen].max as usize)
                .map(|&v| (frozen, v as usize))
                .collect();
            let previous: Vec<(usize, usize)> = (1..sc.shifts.len())
                .flat_map(|s| {
                    p0.shift_vol_list(s)
                        .iter()
                        .take(1)
                        .map(move |&v| (s, v as usize))
                })
                .collect();
            let rs = Resolve {
                frozen: [frozen].into_iter().collect(),
                pinned: pins.iter().copied().collect(),
                previous: previous.iter().copied().collect(),
            };
            let Some(opt) = optimum(&sc, &rs) else {
                continue;
            };
            let p = Problem::compile_with(
                &sc,
                &CompileOptions {
                    frozen_shifts: vec![frozen],
                    pinned_pairs: pins,
                    previous_pairs: previous.clone(),
                    repair: true,
                    change_baseline: previous.len(),
                    ..CompileOptions::default()
                },
            )
            .expect("compiles");
            let r = schedule_bound(
                &p,
                &ScheduleOptions {
                    evaluations: 60,
                    ..ScheduleOptions::default()
                },
            );
            assert_valid(
                r.bound,
                opt,
                &format!("seed {seed} re-solve schedule bound"),
            );
        }
    }

    /// Two first-aiders, a medical shift that requires first aid for both
    /// of its heads, and at the same time a shift whose quota wants two
    /// first-aiders: one of the rows must go short. The optimum leaves the
    /// quota short (2 × 100) rather than the medical shift (2 × 1000). One
    /// cover price for all shifts sees nothing of this (L = 0 there); the
    /// line along the first-aiders' rows sees all of it.
    #[test]
    fn a_scarce_skill_shared_by_a_required_shift_and_a_quota_is_priced() {
        let mut sc = one_site_scenario();
        let mut medical = shift("M", "2022-02-04T06:00", "2022-02-04T14:00", 2, 2);
        medical.requires.push("fa".into());
        let mut spectators = shift("S", "2022-02-04T06:00", "2022-02-04T14:00", 2, 4);
        spectators.quotas.push(Quota {
            skill: Some("fa".into()),
            at_least: 2,
            ..Quota::default()
        });
        sc.shifts = vec![medical, spectators];
        let first_aider = |id: &str| {
            let mut v = vol(id);
            v.skills.push("fa".into());
            v
        };
        // Ten others who can work the spectator shift only: the
        // first-aiders then hold under a third of the pairs, so their
        // line may make its three probes within one evaluation's work.
        sc.volunteers = vec![first_aider("f1"), first_aider("f2")];
        sc.volunteers.extend((0..10).map(|i| vol(&format!("p{i}"))));
        let opt = optimum(&sc, &Resolve::default()).expect("feasible");
        assert_eq!(opt, 200.0);
        let p = Problem::compile(&sc).expect("compiles");
        // Two evaluations: the cover line's, none left for the volume
        // algorithm (which also gets there, given a hundred).
        let opts = ScheduleOptions {
            evaluations: 2,
            ..ScheduleOptions::default()
        };
        let r = schedule_bound(&p, &opts);
        assert_valid(r.bound, opt, "scarce first aid");
        assert!(
            r.bound > opt - 1e-3,
            "bound {} against the optimum {opt}",
            r.bound
        );
    }
}
