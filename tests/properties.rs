//! Property tests over random small scenarios (proptest, with shrinking):
//!
//! a. every solver roster passes the independent checker, whose objective
//!    equals the solver's;
//! b. the incremental score of `Assignment` equals the from-scratch score
//!    after any sequence of legal adds and removes (also with re-solve pair
//!    costs carrying the `change` term);
//! c. the LP lower bound never exceeds the objective of any feasible roster
//!    (the solver's and random ones);
//! d. a re-solve with no changes keeps every pair;
//! e. after random changes the re-solved roster passes `check_repair`, its
//!    counts agree with the checker's, and frozen shifts are unchanged;
//! f. random feasible pins and random exclusions (rule 8) pass validation,
//!    every roster honours them (also under workforce reduction) and the
//!    checker agrees, and a re-solve keeps the pins that did not lapse.
//!
//! The scenario strategy draws every feature of the format: several venues
//! and homes, links that may leave sites unreachable, shifts over 1–3 days
//! (some across midnight), skills, languages, quotas, availability windows,
//! per-volunteer overrides, groups and preferences.

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use std::collections::BTreeMap;
use vroster::check::{agrees, check_repair, check_roster};
use vroster::problem::{CompileOptions, Problem};
use vroster::repair::{generate_changes, resolve};
use vroster::scenario::*;
use vroster::solver::state::Assignment;
use vroster::solver::{score, SolveContext, SolveOptions};
use vroster::time::{format_time, parse_time};

const BASE: &str = "2026-02-04T00:00";

fn base() -> i64 {
    parse_time(BASE).expect("base time")
}

#[derive(Clone, Debug)]
struct ShiftSpec {
    venue: usize,
    day: i64,
    /// Start in half hours after midnight.
    start_slot: i64,
    /// Length in half hours.
    len_slots: i64,
    min: i64,
    extra: i64,
    priority: u8,
    role: usize,
    requires_driving: bool,
    en_quota: Option<(i64, i64)>,
    first_aid_quota: Option<i64>,
}

#[derive(Clone, Debug)]
struct VolSpec {
    home: Option<usize>,
    driving: bool,
    first_aid: bool,
    en: Option<i64>,
    /// Windows as (day, start hour, length in hours).
    windows: Option<Vec<(i64, i64, i64)>>,
    min_shifts: Option<i64>,
    max_shifts: Option<i64>,
    max_minutes_per_day: Option<i64>,
    min_rest: Option<i64>,
    prefers_venue: Option<usize>,
    prefers_role: Option<usize>,
    group: Option<usize>,
    max_consecutive_days: Option<i64>,
}

#[derive(Clone, Debug)]
struct Spec {
    venues: usize,
    homes: usize,
    /// `None`: no links at all (travel 0 everywhere).
    links: Option<Vec<(usize, usize, i64)>>,
    min_rest: i64,
    max_minutes_per_day: i64,
    max_consecutive_days: i64,
    max_shifts: i64,
    min_shifts: i64,
    volunteer_used: f64,
    extra_load: f64,
    travel_minute: f64,
    shifts: Vec<ShiftSpec>,
    volunteers: Vec<VolSpec>,
}

const ROLES: [&str; 3] = ["info", "transport", "medical"];

fn shift_spec() -> impl Strategy<Value = ShiftSpec> {
    (
        (0usize..8, 0i64..3, 0i64..48, 2i64..=20, 0i64..=3, 0i64..=2),
        (
            1u8..=3,
            0usize..3,
            any::<bool>(),
            proptest::option::weighted(0.4, (1i64..=4, 1i64..=2)),
            proptest::option::weighted(0.3, 1i64..=2),
        ),
    )
        .prop_map(
            |(
                (venue, day, start_slot, len_slots, min, extra),
                (priority, role, requires_driving, en_quota, first_aid_quota),
            )| ShiftSpec {
                venue,
                day,
                start_slot,
                len_slots,
                min,
                extra,
                priority,
                role,
                requires_driving: requires_driving && role == 1,
                en_quota,
                first_aid_quota,
            },
        )
}

fn vol_spec() -> impl Strategy<Value = VolSpec> {
    (
        (
            proptest::option::weighted(0.8, 0usize..8),
            proptest::bool::weighted(0.5),
            proptest::bool::weighted(0.3),
            proptest::option::weighted(0.8, 1i64..=5),
            proptest::option::weighted(
                0.3,
                proptest::collection::vec((0i64..3, 0i64..24, 4i64..=48), 0..4),
            ),
        ),
        (
            proptest::option::weighted(0.5, 0i64..=3),
            proptest::option::weighted(0.2, 0i64..=4),
            proptest::option::weighted(0.2, prop_oneof![Just(480i64), Just(1200i64)]),
            proptest::option::weighted(0.2, 0i64..=720),
            proptest::option::weighted(0.4, 0usize..8),
            proptest::option::weighted(0.3, 0usize..3),
            proptest::option::weighted(0.4, 0usize..2),
            proptest::option::weighted(0.2, 1i64..=2),
        ),
    )
        .prop_map(
            |(
                (home, driving, first_aid, en, windows),
                (
                    min_shifts,
                    max_shifts,
                    max_minutes_per_day,
                    min_rest,
                    prefers_venue,
                    prefers_role,
                    group,
                    max_consecutive_days,
                ),
            )| VolSpec {
                home,
                driving,
                first_aid,
                en,
                windows,
                min_shifts,
                max_shifts,
                max_minutes_per_day,
                min_rest,
                prefers_venue,
                prefers_role,
                group,
                max_consecutive_days,
            },
        )
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        (
            1usize..=3,
            0usize..=2,
            proptest::option::weighted(
                0.8,
                proptest::collection::vec((0usize..8, 0usize..8, 0i64..120), 0..6),
            ),
            prop_oneof![Just(0i64), Just(60), Just(480), 0i64..=720],
            240i64..=900,
            1i64..=3,
            1i64..=5,
            0i64..=1,
        ),
        (
            prop_oneof![Just(0.0), Just(5.0)],
            prop_oneof![Just(0.0), Just(3.0), Just(30.0), Just(0.7)],
            prop_oneof![Just(0.1), Just(0.0), Just(1.0)],
            proptest::collection::vec(shift_spec(), 0..12),
            proptest::collection::vec(vol_spec(), 0..14),
        ),
    )
        .prop_map(
            |(
                (
                    venues,
                    homes,
                    links,
                    min_rest,
                    max_minutes_per_day,
                    max_consecutive_days,
                    max_shifts,
                    min_shifts,
                ),
                (volunteer_used, extra_load, travel_minute, shifts, volunteers),
            )| Spec {
                venues,
                homes,
                links,
                min_rest,
                max_minutes_per_day,
                max_consecutive_days,
                max_shifts,
                min_shifts,
                volunteer_used,
                extra_load,
                travel_minute,
                shifts,
                volunteers,
            },
        )
}

fn site_id(spec: &Spec, i: usize) -> String {
    let n = spec.venues + spec.homes;
    let i = i % n;
    if i < spec.venues {
        format!("V{i}")
    } else {
        format!("H{}", i - spec.venues)
    }
}

/// The scenario a spec describes (always valid: ids unique, references
/// resolve, end after start, min <= max).
fn build(spec: &Spec) -> Scenario {
    let base = base();
    let mut sc = Scenario {
        format: SCENARIO_FORMAT.into(),
        name: "prop".into(),
        ..Default::default()
    };
    sc.rules.min_rest_minutes = spec.min_rest;
    sc.rules.max_minutes_per_day = spec.max_minutes_per_day;
    sc.rules.max_consecutive_days = spec.max_consecutive_days;
    sc.rules.max_shifts = spec.max_shifts;
    sc.rules.min_shifts = spec.min_shifts;
    sc.weights.volunteer_used = spec.volunteer_used;
    sc.weights.extra_load = spec.extra_load;
    sc.weights.travel_minute = spec.travel_minute;
    for i in 0..spec.venues + spec.homes {
        sc.sites.push(Site {
            id: site_id(spec, i),
            ..Default::default()
        });
    }
    if let Some(links) = &spec.links {
        for &(a, b, m) in links {
            sc.links.push(Link {
                from: site_id(spec, a),
                to: site_id(spec, b),
                minutes: m,
            });
        }
    }
    for (k, s) in spec.shifts.iter().enumerate() {
        let start = base + s.day * 1440 + s.start_slot * 30;
        let mut quotas = Vec::new();
        if let Some((level, at_least)) = s.en_quota {
            quotas.push(Quota {
                language: Some("en".into()),
                level: Some(level),
                at_least,
                ..Default::default()
            });
        }
        if let Some(at_least) = s.first_aid_quota {
            quotas.push(Quota {
                skill: Some("first_aid".into()),
                at_least,
                ..Default::default()
            });
        }
        sc.shifts.push(Shift {
            id: format!("S{k}"),
            venue: format!("V{}", s.venue % spec.venues),
            role: Some(ROLES[s.role].into()),
            start: format_time(start),
            end: format_time(start + s.len_slots * 30),
            min: s.min,
            max: s.min + s.extra,
            priority: f64::from(s.priority),
            requires: if s.requires_driving {
                vec!["driving".into()]
            } else {
                vec![]
            },
            quotas,
        });
    }
    for (k, v) in spec.volunteers.iter().enumerate() {
        let mut skills = Vec::new();
        if v.driving {
            skills.push("driving".into());
        }
        if v.first_aid {
            skills.push("first_aid".into());
        }
        let mut languages = BTreeMap::new();
        if let Some(l) = v.en {
            languages.insert("en".to_string(), l);
        }
        let available = v.windows.as_ref().map(|ws| {
            ws.iter()
                .map(|&(d, h, len)| {
                    let a = base + d * 1440 + h * 60;
                    (format_time(a), format_time(a + len * 60))
                })
                .collect()
        });
        let prefers = (v.prefers_venue.is_some() || v.prefers_role.is_some()).then(|| Prefers {
            venues: v
                .prefers_venue
                .map(|i| vec![format!("V{}", i % spec.venues)])
                .unwrap_or_default(),
            roles: v
                .prefers_role
                .map(|r| vec![ROLES[r].to_string()])
                .unwrap_or_default(),
        });
        sc.volunteers.push(Volunteer {
            id: format!("P{k}"),
            home: v.home.map(|h| site_id(spec, h)),
            skills,
            languages,
            available,
            min_shifts: v.min_shifts,
            max_shifts: v.max_shifts,
            min_rest_minutes: v.min_rest,
            max_minutes_per_day: v.max_minutes_per_day,
            max_consecutive_days: v.max_consecutive_days,
            prefers,
            group: v.group.map(|g| format!("G{g}")),
            ..Volunteer::default()
        });
    }
    sc
}

fn valid_scenario() -> impl Strategy<Value = Scenario> {
    spec().prop_map(|s| build(&s))
}

fn options(seed: u64, threads: usize, iterations: u64) -> SolveOptions {
    SolveOptions {
        seed,
        threads,
        iterations: Some(iterations),
        debug_checks: true,
        ..Default::default()
    }
}

fn solve(sc: &Scenario, seed: u64, threads: usize) -> vroster::pipeline::Outcome {
    let ctx = SolveContext::new(options(seed, threads, 4_000), &|_| {});
    vroster::pipeline::solve(sc, &ctx, 0.0).expect("a valid scenario compiles")
}

fn no_errors(sc: &Scenario) -> Result<(), TestCaseError> {
    let diags = vroster::validate::validate_scenario(sc);
    prop_assert!(
        !vroster::validate::has_errors(&diags),
        "generated scenario is invalid: {:?}",
        diags
    );
    Ok(())
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

/// Property a, on one scenario.
fn solver_roster_passes_checker(
    sc: &Scenario,
    seed: u64,
    threads: usize,
) -> Result<(), TestCaseError> {
    no_errors(sc)?;
    let out = solve(sc, seed, threads);
    let report = check_roster(sc, &out.roster).expect("roster checks");
    prop_assert!(
        report.violations.is_empty(),
        "violations {:?}",
        report.violations
    );
    prop_assert!(report.mismatches.is_empty(), "{:?}", report.mismatches);
    let claimed = out.roster.objective.expect("objective claimed");
    prop_assert!(
        agrees(claimed.total, report.objective.total),
        "solver {} vs checker {}",
        claimed.total,
        report.objective.total
    );
    prop_assert!(close(out.summary.objective.total, report.objective.total));
    prop_assert!(
        report.bound_ok,
        "bound {:?} above {}",
        report.bound,
        report.objective.total
    );
    prop_assert!(out.summary.checker_agrees);
    Ok(())
}

/// Compares the incremental state with a from-scratch recomputation.
fn terms_agree(p: &Problem, a: &Assignment) -> Result<(), TestCaseError> {
    let b = score::breakdown(p, a.on());
    let t = a.terms();
    let static_part = b.preference_miss + b.travel + b.change - p.constant_cost();
    for (name, inc, scratch) in [
        ("uncovered", t.uncovered, b.uncovered),
        ("quota", t.quota_shortfall, b.quota_shortfall),
        ("under_commitment", t.under_commitment, b.under_commitment),
        ("group_split", t.group_split, b.group_split),
        ("volunteer_used", t.volunteer_used, b.volunteer_used),
        ("extra_load", t.extra_load, b.extra_load),
        ("pair costs", t.pair_cost, static_part),
        ("total", a.total(p), b.total),
    ] {
        prop_assert!(close(inc, scratch), "{} {} vs {}", name, inc, scratch);
    }
    // The bookkeeping sets agree with the counts.
    for (s, sh) in p.shifts().iter().enumerate() {
        prop_assert_eq!(a.short_shifts().contains(s), a.shift_count(s) < sh.min);
    }
    for (v, vi) in p.volunteers().iter().enumerate() {
        prop_assert_eq!(
            a.under_committed().contains(v),
            (a.schedule(v).len() as u32) < vi.min_shifts
        );
        prop_assert_eq!(
            a.over_committed().contains(v),
            (a.schedule(v).len() as u32) > vi.min_shifts
        );
    }
    Ok(())
}

/// Property b: random legal add/remove moves; after each, the delta the
/// state predicted is the change of the from-scratch total, and the running
/// terms equal the from-scratch terms.
fn incremental_equals_scratch(p: &Problem, moves: &[(u16, bool)]) -> Result<(), TestCaseError> {
    let mut a = Assignment::new(p);
    terms_agree(p, &a)?;
    if p.n_pairs() == 0 {
        return Ok(());
    }
    for &(pick, remove) in moves {
        let before = score::breakdown(p, a.on()).total;
        let (q, predicted);
        if remove {
            let on: Vec<usize> = a.assigned_pairs().collect();
            if on.is_empty() {
                continue;
            }
            q = on[pick as usize % on.len()];
            predicted = a.remove_delta(p, q);
            a.remove(p, q);
        } else {
            q = pick as usize % p.n_pairs();
            if a.on()[q] {
                continue;
            }
            if !a.can_add(p, q, None) {
                // can_add must be right that the pair breaks a rule or the max.
                let mut on = a.on().to_vec();
                on[q] = true;
                let s = p.pair_shift()[q] as usize;
                let full = a.shift_count(s) >= p.shifts()[s].max;
                prop_assert!(
                    full || score::violations(p, &on) > 0,
                    "can_add refused pair {q}, which breaks no rule"
                );
                continue;
            }
            predicted = a.add_delta(p, q);
            a.add(p, q);
        }
        let after = score::breakdown(p, a.on()).total;
        prop_assert!(
            close(after - before, predicted),
            "pair {q}: predicted delta {predicted}, actual {}",
            after - before
        );
        prop_assert_eq!(score::violations(p, a.on()), 0, "legal moves broke a rule");
        terms_agree(p, &a)?;
    }
    Ok(())
}

/// A random feasible roster: legal adds in the order `picks` gives.
fn random_roster(p: &Problem, picks: &[u16]) -> Assignment {
    let mut a = Assignment::new(p);
    for &pin in p.pinned() {
        a.add(p, pin as usize);
    }
    if p.n_pairs() == 0 {
        return a;
    }
    for &pick in picks {
        let q = pick as usize % p.n_pairs();
        if a.can_add(p, q, None) {
            a.add(p, q);
        }
    }
    a
}

/// Times at which a re-solve may happen: before everything, inside the
/// event at a few offsets, after everything.
fn now_for(sc: &Scenario, k: u8) -> String {
    let starts: Vec<i64> = sc
        .shifts
        .iter()
        .map(|s| parse_time(&s.start).expect("start"))
        .collect();
    let lo = starts.iter().copied().min().unwrap_or(base());
    let hi = starts.iter().copied().max().unwrap_or(base());
    let t = match k % 5 {
        0 => lo - 60,
        1 => lo + (hi - lo) / 3,
        2 => lo + (hi - lo) / 2 + 1,
        3 => hi,
        _ => hi + 60,
    };
    format_time(t)
}

fn frozen_unchanged(
    sc_after: &Scenario,
    prev: &Roster,
    new: &Roster,
    now: i64,
) -> Result<(), TestCaseError> {
    for s in &sc_after.shifts {
        if parse_time(&s.start).expect("start") < now {
            let before = prev.assignments.get(&s.id).filter(|v| !v.is_empty());
            let after = new.assignments.get(&s.id).filter(|v| !v.is_empty());
            prop_assert_eq!(
                before.map(|v| serde_json::to_string(v).expect("json")),
                after.map(|v| serde_json::to_string(v).expect("json")),
                "frozen shift {} changed",
                &s.id
            );
        }
    }
    Ok(())
}

fn resolve_ctx_options(seed: u64) -> SolveOptions {
    options(seed, 1, 3_000)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 48,
        max_shrink_iters: 2_000,
        max_global_rejects: 100_000,
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_solver_rosters_pass_the_checker(sc in valid_scenario(), seed in 0u64..1000, threads in 1usize..=2) {
        solver_roster_passes_checker(&sc, seed, threads)?;
    }

    #[test]
    fn b_incremental_score_equals_scratch(
        sc in valid_scenario(),
        moves in proptest::collection::vec((any::<u16>(), proptest::bool::weighted(0.3)), 0..120),
        repair in any::<bool>(),
        prev_picks in proptest::collection::vec(any::<u16>(), 0..20),
    ) {
        no_errors(&sc)?;
        let p = if repair {
            // A re-solve problem: some pairs count as previous (keeping one
            // saves `change`, a new one costs it).
            let plain = Problem::compile(&sc).expect("compiles");
            let mut prev = Vec::new();
            if plain.n_pairs() > 0 {
                for &k in &prev_picks {
                    let q = k as usize % plain.n_pairs();
                    let pair = (plain.pair_shift()[q] as usize, plain.pair_vol()[q] as usize);
                    if !prev.contains(&pair) {
                        prev.push(pair);
                    }
                }
            }
            let opts = CompileOptions {
                previous_pairs: prev.clone(),
                repair: true,
                change_baseline: prev.len(),
                ..Default::default()
            };
            Problem::compile_with(&sc, &opts).expect("compiles")
        } else {
            Problem::compile(&sc).expect("compiles")
        };
        incremental_equals_scratch(&p, &moves)?;
    }

    #[test]
    fn c_bound_never_exceeds_a_feasible_roster(
        sc in valid_scenario(),
        seed in 0u64..1000,
        rosters in proptest::collection::vec(proptest::collection::vec(any::<u16>(), 0..60), 1..4),
    ) {
        no_errors(&sc)?;
        let p = Problem::compile(&sc).expect("compiles");
        let lp = vroster::bound::lower_bound(&p, &vroster::bound::BoundOptions::default());
        let fallback = vroster::bound::fallback_bound(&p);
        let schedule = vroster::bound::schedule::schedule_bound(
            &p,
            &vroster::bound::schedule::ScheduleOptions { evaluations: 30, ..Default::default() },
        )
        .bound;
        // The highest of the pool LP, the fallback and the schedule relaxation.
        let bound = lp.as_ref().map_or(fallback, |r| r.bound).max(schedule);
        prop_assert!(bound.is_finite());
        prop_assert!(fallback <= bound + 1e-9, "LP {bound} below fallback {fallback}");
        let ctx = SolveContext::new(options(seed, 1, 4_000), &|_| {});
        let sol = vroster::solver::solve(&p, &ctx);
        let tol = |x: f64| 1e-6 * x.abs().max(1.0);
        prop_assert!(
            bound <= sol.objective.total + tol(sol.objective.total),
            "bound {bound} above the solver's {}",
            sol.objective.total
        );
        for picks in &rosters {
            let a = random_roster(&p, picks);
            prop_assert_eq!(score::violations(&p, a.on()), 0);
            let total = score::breakdown(&p, a.on()).total;
            prop_assert!(
                bound <= total + tol(total),
                "bound {bound} above a random feasible roster's {total}"
            );
        }
    }

    #[test]
    fn d_resolve_without_changes_keeps_every_pair(
        sc in valid_scenario(),
        seed in 0u64..1000,
        k in any::<u8>(),
    ) {
        no_errors(&sc)?;
        let prev = solve(&sc, seed, 1).roster;
        let changes = Changes {
            format: CHANGES_FORMAT.into(),
            now: now_for(&sc, k),
            ..Default::default()
        };
        let ctx = SolveContext::new(resolve_ctx_options(seed), &|_| {});
        let out = resolve(&sc, &prev, &changes, &ctx, 0.0, 0).expect("re-solves");
        prop_assert_eq!(out.repair.forced_removals, 0);
        prop_assert_eq!(out.repair.changes, 0);
        prop_assert_eq!(&out.roster.assignments, &prev.assignments);
        let r = check_repair(&sc, &prev, &changes, &out.roster).expect("checks");
        prop_assert!(r.passes(), "{:?} {:?}", r.violations, r.mismatches);
    }

    #[test]
    fn e_resolve_after_random_changes_passes_check_repair(
        sc in valid_scenario(),
        seed in 0u64..1000,
        k in any::<u8>(),
        rate in prop_oneof![Just(0.1), Just(0.3), Just(1.0)],
        extra_dropouts in proptest::collection::vec((any::<u16>(), 0i64..2880, proptest::option::of(60i64..2880)), 0..3),
        extra_updates in proptest::collection::vec(
            (any::<u16>(), proptest::option::of(0i64..=3), proptest::option::of(0i64..=4)),
            0..4,
        ),
        extra_cancels in proptest::collection::vec(any::<u16>(), 0..2),
    ) {
        no_errors(&sc)?;
        let prev = solve(&sc, seed, 1).roster;
        let now = now_for(&sc, k);
        let mut changes = generate_changes(&sc, &prev, &now, rate, seed).expect("changes");
        let now_m = parse_time(&now).expect("now");
        if !sc.volunteers.is_empty() {
            for &(v, from, until) in &extra_dropouts {
                let from_m = now_m + from;
                changes.dropouts.push(Dropout {
                    volunteer: sc.volunteers[v as usize % sc.volunteers.len()].id.clone(),
                    from: format_time(from_m),
                    until: until.map(|u| format_time(from_m + u)),
                });
            }
        }
        // Updates (a shift may be updated twice, or be cancelled as well)
        // and cancellations of shifts of the scenario.
        if !sc.shifts.is_empty() {
            let n = sc.shifts.len();
            for &(s, min, max) in &extra_updates {
                changes.shift_updates.push(ShiftUpdate {
                    shift: sc.shifts[s as usize % n].id.clone(),
                    min,
                    max,
                });
            }
            for &s in &extra_cancels {
                let id = sc.shifts[s as usize % n].id.clone();
                if !changes.cancelled_shifts.contains(&id) {
                    changes.cancelled_shifts.push(id);
                }
            }
        }
        let diags = vroster::validate::validate_changes(&sc, &changes);
        // Random updates may leave min > max: the validator must say so, and
        // then the re-solve is not attempted.
        prop_assume!(!vroster::validate::has_errors(&diags));
        let ctx = SolveContext::new(resolve_ctx_options(seed), &|_| {});
        let out = resolve(&sc, &prev, &changes, &ctx, 0.0, 2).expect("re-solves");
        let r = check_repair(&sc, &prev, &changes, &out.roster).expect("checks");
        prop_assert!(r.violations.is_empty(), "violations {:?}", r.violations);
        prop_assert!(r.mismatches.is_empty(), "mismatches {:?}", r.mismatches);
        prop_assert!(r.passes());
        let rep = r.repair.expect("repair stats");
        prop_assert_eq!(rep.changes, out.repair.changes, "changes");
        prop_assert_eq!(rep.forced_removals, out.repair.forced_removals, "forced");
        prop_assert_eq!(rep.affected_volunteers, out.repair.volunteers_affected, "affected");
        frozen_unchanged(&out.applied.scenario, &prev, &out.roster, now_m)?;
    }
}

/// Pins drawn from a random feasible roster (so they can be honoured
/// together) and exclusions drawn from the other eligible pairs.
fn with_pins_and_exclusions(
    sc: &Scenario,
    picks: &[u16],
    pin_every: usize,
    excl_picks: &[u16],
) -> Scenario {
    let p = Problem::compile(sc).expect("compiles");
    let a = random_roster(&p, picks);
    let mut out = sc.clone();
    let mut pinned = std::collections::HashSet::new();
    for (i, q) in a.assigned_pairs().enumerate() {
        if i % pin_every == 0 {
            let (s, v) = (p.pair_shift()[q] as usize, p.pair_vol()[q] as usize);
            out.volunteers[v].pinned.push(sc.shifts[s].id.clone());
            pinned.insert((s, v));
        }
    }
    if p.n_pairs() > 0 {
        for &k in excl_picks {
            let q = k as usize % p.n_pairs();
            let (s, v) = (p.pair_shift()[q] as usize, p.pair_vol()[q] as usize);
            let id = &sc.shifts[s].id;
            if !pinned.contains(&(s, v)) && !out.volunteers[v].excluded.contains(id) {
                out.volunteers[v].excluded.push(id.clone());
            }
        }
    }
    out
}

/// Every pin of `sc` is on `roster` and no exclusion is (rule 8, checked
/// here directly, apart from the checker).
fn honours_pins(sc: &Scenario, roster: &Roster) -> Result<(), TestCaseError> {
    let on = |s: &str, v: &str| {
        roster
            .assignments
            .get(s)
            .is_some_and(|crew| crew.iter().any(|x| x == v))
    };
    for v in &sc.volunteers {
        for s in &v.pinned {
            prop_assert!(on(s, &v.id), "pin {} on {} missing", v.id, s);
        }
        for s in &v.excluded {
            prop_assert!(!on(s, &v.id), "excluded {} on {}", v.id, s);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 32,
        max_shrink_iters: 1_000,
        ..ProptestConfig::default()
    })]

    /// f. Random feasible pins and random exclusions: validation accepts
    /// them, the roster honours them (also with workforce reduction), the
    /// checker agrees; after random changes the re-solve keeps the pins
    /// that did not lapse and passes `check_repair`.
    #[test]
    fn f_pins_and_exclusions_hold(
        sc in valid_scenario(),
        seed in 0u64..1000,
        picks in proptest::collection::vec(any::<u16>(), 0..60),
        pin_every in 1usize..4,
        excl_picks in proptest::collection::vec(any::<u16>(), 0..12),
        price_workforce in any::<bool>(),
        k in any::<u8>(),
    ) {
        no_errors(&sc)?;
        let mut sc = with_pins_and_exclusions(&sc, &picks, pin_every, &excl_picks);
        if price_workforce {
            sc.weights.volunteer_used = 500.0;
        }
        solver_roster_passes_checker(&sc, seed, 1 + (seed % 2) as usize)?;
        let prev = solve(&sc, seed, 1).roster;
        honours_pins(&sc, &prev)?;
        let now = now_for(&sc, k);
        let changes = generate_changes(&sc, &prev, &now, 0.5, seed).expect("changes");
        prop_assume!(!vroster::validate::has_errors(&vroster::validate::validate_changes(&sc, &changes)));
        let ctx = SolveContext::new(resolve_ctx_options(seed), &|_| {});
        let out = resolve(&sc, &prev, &changes, &ctx, 0.0, 2).expect("re-solves");
        let r = check_repair(&sc, &prev, &changes, &out.roster).expect("checks");
        prop_assert!(r.passes(), "{:?} {:?}", r.violations, r.mismatches);
        // Pins that did not lapse hold on every shift not frozen.
        let now_m = parse_time(&now).expect("now");
        let mut after = out.applied.scenario.clone();
        let frozen: std::collections::HashSet<String> = after
            .shifts
            .iter()
            .filter(|s| parse_time(&s.start).expect("start") < now_m)
            .map(|s| s.id.clone())
            .collect();
        for v in &mut after.volunteers {
            v.pinned.retain(|s| !frozen.contains(s));
            v.excluded.retain(|s| !frozen.contains(s));
        }
        honours_pins(&after, &out.roster)?;
    }
}
