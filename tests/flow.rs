//! The min-cost flow solver against enumeration on tiny graphs, and the
//! flow construction on random scenarios: valid rosters (the independent
//! checker), pins and frozen pairs kept.

mod common;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;
use vroster::problem::{CompileOptions, Problem};
use vroster::scenario::Scenario;
use vroster::solver::flow::mcf::{Accuracy, Network};
use vroster::solver::{construct, score, state::Assignment, to_roster};

/// A random arc list on `n` nodes: (from, to, cap, cost).
fn random_arcs(rng: &mut ChaCha8Rng, n: usize, m: usize) -> Vec<(usize, usize, i32, i32)> {
    (0..m)
        .map(|_| {
            let from = rng.gen_range(0..n);
            let to = rng.gen_range(0..n);
            (from, to, rng.gen_range(0..=2), rng.gen_range(-6..=6))
        })
        .collect()
}

/// Minimum cost over every integer circulation (flows within capacity,
/// conserved at every node), by enumeration.
fn brute_force(n: usize, arcs: &[(usize, usize, i32, i32)]) -> i64 {
    let mut flow = vec![0i32; arcs.len()];
    let mut best = i64::MAX;
    loop {
        let mut balance = vec![0i32; n];
        for (k, &(u, v, _, _)) in arcs.iter().enumerate() {
            balance[u] -= flow[k];
            balance[v] += flow[k];
        }
        if balance.iter().all(|&b| b == 0) {
            let cost = arcs
                .iter()
                .zip(&flow)
                .map(|(a, &f)| i64::from(a.3) * i64::from(f))
                .sum();
            best = best.min(cost);
        }
        // Next flow vector (odometer over 0..=cap).
        let mut k = 0;
        loop {
            if k == arcs.len() {
                return best;
            }
            if flow[k] < arcs[k].2 {
                flow[k] += 1;
                break;
            }
            flow[k] = 0;
            k += 1;
        }
    }
}

/// A network holding `arcs`, in order (arc `k` is `arcs[k]`).
fn network(n: usize, arcs: &[(usize, usize, i32, i32)]) -> Network {
    let mut net = Network::new(n);
    for &(u, v, cap, cost) in arcs {
        net.add_arc(u, v, cap, cost);
    }
    net
}

/// Every arc's flow lies within its capacity and every node balances.
fn assert_circulation(net: &Network, n: usize, arcs: &[(usize, usize, i32, i32)], case: usize) {
    let mut balance = vec![0i32; n];
    for (k, &(u, v, cap, _)) in arcs.iter().enumerate() {
        let f = net.flow(k);
        assert!(
            (0..=cap).contains(&f),
            "case {case}: flow {f} outside 0..={cap}"
        );
        balance[u] -= f;
        balance[v] += f;
    }
    assert!(
        balance.iter().all(|&b| b == 0),
        "case {case}: not a circulation"
    );
}

#[test]
fn flow_solver_matches_enumeration_on_tiny_graphs() {
    let mut rng = ChaCha8Rng::seed_from_u64(17);
    let mut nonzero = 0;
    for case in 0..600 {
        let n = rng.gen_range(2..=5);
        let m = rng.gen_range(1..=8);
        let arcs = random_arcs(&mut rng, n, m);
        let mut net = network(n, &arcs);
        assert!(
            net.solve(Accuracy::exact(n), &|| false),
            "case {case} stopped"
        );
        assert_circulation(&net, n, &arcs, case);
        let want = brute_force(n, &arcs);
        assert_eq!(net.total_cost(), want, "case {case}: {arcs:?}");
        nonzero += usize::from(want != 0);
    }
    // The cases exercise negative cycles, not just the zero flow.
    assert!(nonzero > 200, "only {nonzero} cases with a negative cycle");
}

/// A coarse tolerance ε gives a circulation within ε per unit of flow that
/// differs from an optimum's (that difference splits into residual cycles,
/// each costing at least −ε per arc), so within ε × Σ capacity, and never
/// below the optimum.
#[test]
fn a_coarse_tolerance_stays_within_tolerance_per_unit_of_capacity() {
    let mut rng = ChaCha8Rng::seed_from_u64(41);
    let mut off = 0;
    for case in 0..600 {
        let n = rng.gen_range(2..=5);
        let m = rng.gen_range(1..=8);
        let arcs = random_arcs(&mut rng, n, m);
        let tolerance = [2, 5, 20][case % 3];
        let mut net = network(n, &arcs);
        let accuracy = Accuracy { mult: 1, tolerance };
        assert!(net.solve(accuracy, &|| false), "case {case} stopped");
        assert_circulation(&net, n, &arcs, case);
        let want = brute_force(n, &arcs);
        let got = net.total_cost();
        assert!(got >= want, "case {case}: {got} below the optimum {want}");
        let capacity: i64 = arcs.iter().map(|a| i64::from(a.2)).sum();
        assert!(
            got - want <= capacity * tolerance,
            "case {case}: {got} against {want}, tolerance {tolerance}"
        );
        off += usize::from(got != want);
    }
    // Some cases stop short of the optimum, so the tolerance is exercised.
    assert!(off > 0, "every coarse solve was exact");
}

/// A warm `resolve` after arcs join a solved network reaches the optimum
/// of the whole network, whatever the first solve's flow and prices were.
#[test]
fn warm_resolve_after_adding_arcs_matches_enumeration() {
    let mut rng = ChaCha8Rng::seed_from_u64(29);
    let mut changed = 0;
    for case in 0..400 {
        let n = rng.gen_range(2..=5);
        let m = rng.gen_range(2..=8);
        let arcs = random_arcs(&mut rng, n, m);
        let split = rng.gen_range(1..m);
        let mut net = network(n, &arcs[..split]);
        assert!(
            net.solve(Accuracy::exact(n), &|| false),
            "case {case} stopped"
        );
        let before = net.total_cost();
        for &(u, v, cap, cost) in &arcs[split..] {
            net.add_arc(u, v, cap, cost);
        }
        assert!(net.resolve(&|| false), "case {case} stopped");
        let want = brute_force(n, &arcs);
        assert_eq!(
            net.total_cost(),
            want,
            "case {case}: {arcs:?} split {split}"
        );
        changed += usize::from(want != before);
    }
    assert!(
        changed > 50,
        "only {changed} cases where the new arcs mattered"
    );
}

#[test]
fn flow_solver_handles_parallel_arcs_and_a_long_cycle() {
    // 0 → 1 → … → 9 → 0 with one rewarding arc; two parallel arcs 3 → 4,
    // the cheaper one of capacity 1.
    let mut net = Network::new(10);
    let mut want = 0;
    for v in 0..10 {
        let cost = if v == 0 { -50 } else { 1 };
        if v == 3 {
            net.add_arc(3, 4, 1, 2);
            net.add_arc(3, 4, 5, 7);
        } else {
            net.add_arc(v, (v + 1) % 10, 3, cost);
        }
        want += if v == 3 { 0 } else { 3 * cost };
    }
    want += 2 + 2 * 7;
    assert!(net.solve(Accuracy::exact(10), &|| false));
    assert_eq!(net.total_cost(), i64::from(want));
}

/// The flow construction's roster on `p` (no search, no augmenting paths).
fn flow_roster(p: &Problem) -> Assignment {
    let mut a = Assignment::new(p);
    construct::construct_flow(p, &mut a, &|| false);
    a
}

/// The checker finds no violation and the same objective as the solver.
fn assert_valid(sc: &Scenario, p: &Problem, a: &Assignment, what: &str) {
    let b = score::breakdown(p, a.on());
    let roster = to_roster(p, a.on(), b);
    let report = vroster::check::check_roster(sc, &roster).expect("checks");
    assert!(
        report.violations.is_empty(),
        "{what}: {:?}",
        report.violations
    );
    assert!(
        (report.objective.total - b.total).abs() <= 1e-6 * b.total.abs().max(1.0),
        "{what}: checker {} vs solver {}",
        report.objective.total,
        b.total
    );
    assert!(
        (a.total(p) - b.total).abs() <= 1e-6 * b.total.abs().max(1.0),
        "{what}: incremental {} vs from scratch {}",
        a.total(p),
        b.total
    );
}

#[test]
fn flow_rosters_pass_the_checker_on_random_scenarios() {
    for seed in 0..40 {
        let sc = common::random_scenario(seed, 12 + (seed as usize % 20), 2 + seed as usize % 3, 3);
        let p = Problem::compile(&sc).expect("compiles");
        assert_valid(&sc, &p, &flow_roster(&p), &format!("seed {seed}"));
    }
}

#[test]
fn flow_rosters_keep_pins() {
    let mut pinned_somewhere = 0;
    for seed in 100..130 {
        let sc = common::random_scenario(seed, 20, 3, 3);
        let p = Problem::compile(&sc).expect("compiles");
        // Pins from a valid roster, so they can all be honoured together.
        let mut g = Assignment::new(&p);
        construct::construct(&p, &mut g, &|| false);
        let mut sc2 = sc.clone();
        let mut pins = HashSet::new();
        for (i, q) in g.assigned_pairs().enumerate() {
            if i % 3 == 0 {
                let (s, v) = (p.pair_shift()[q] as usize, p.pair_vol()[q] as usize);
                sc2.volunteers[v].pinned.push(sc.shifts[s].id.clone());
                pins.insert((s, v));
            }
        }
        let p2 = Problem::compile(&sc2).expect("compiles");
        let a = flow_roster(&p2);
        assert_valid(&sc2, &p2, &a, &format!("seed {seed}"));
        for &(s, v) in &pins {
            let q = p2.find_pair(v, s).expect("pinned pair is eligible");
            assert!(a.on()[q], "seed {seed}: pin ({s}, {v}) dropped");
        }
        pinned_somewhere += pins.len();
    }
    assert!(pinned_somewhere > 30);
}

#[test]
fn flow_rosters_keep_frozen_shifts_exactly() {
    let mut frozen_pairs = 0;
    for seed in 200..230 {
        let sc = common::random_scenario(seed, 20, 3, 3);
        let p = Problem::compile(&sc).expect("compiles");
        let mut g = Assignment::new(&p);
        construct::construct(&p, &mut g, &|| false);
        // Freeze every third shift with its greedy crew.
        let frozen: Vec<usize> = (0..p.n_shifts()).filter(|s| s % 3 == 0).collect();
        let mut pinned = Vec::new();
        for &s in &frozen {
            for &q in p.shift_pair_list(s) {
                if g.on()[q as usize] {
                    pinned.push((s, p.pair_vol()[q as usize] as usize));
                }
            }
        }
        let options = CompileOptions {
            frozen_shifts: frozen.clone(),
            pinned_pairs: pinned.clone(),
            ..CompileOptions::default()
        };
        let p2 = Problem::compile_with(&sc, &options).expect("compiles");
        let a = flow_roster(&p2);
        assert_eq!(score::violations(&p2, a.on()), 0, "seed {seed}");
        for &s in &frozen {
            let mut crew: Vec<usize> = p2
                .shift_pair_list(s)
                .iter()
                .filter(|&&q| a.on()[q as usize])
                .map(|&q| p2.pair_vol()[q as usize] as usize)
                .collect();
            crew.sort_unstable();
            let mut want: Vec<usize> = pinned.iter().filter(|x| x.0 == s).map(|x| x.1).collect();
            want.sort_unstable();
            assert_eq!(crew, want, "seed {seed}: frozen shift {s} changed");
        }
        frozen_pairs += pinned.len();
    }
    assert!(frozen_pairs > 30);
}

#[test]
fn flow_construction_is_deterministic_and_its_relaxation_is_below_its_roster() {
    let mut sc = common::random_scenario(7, 30, 3, 4);
    // Without quotas the relaxation is exact about every reward, so the
    // roster (a feasible flow) cannot beat it.
    for sh in &mut sc.shifts {
        sh.quotas.clear();
    }
    let p = Problem::compile(&sc).expect("compiles");
    let (a, b) = (flow_roster(&p), flow_roster(&p));
    assert_eq!(a.on(), b.on());
    let mut r = Assignment::new(&p);
    let relaxed = construct::construct_flow(&p, &mut r, &|| false);
    assert!(relaxed.complete);
    assert!(!relaxed.pairs.is_empty());
    // The relaxation's cost is pair costs less rewards; a roster's total
    // less the full cover and commitment penalties is at least that (up to
    // rounding to hundredths and the solver's ε per arc).
    let w = p.weights();
    let penalties: f64 = p
        .shifts()
        .iter()
        .map(|sh| w.uncovered * sh.priority * f64::from(sh.min))
        .sum::<f64>()
        + p.volunteers()
            .iter()
            .map(|v| w.under_commitment * f64::from(v.min_shifts))
            .sum::<f64>();
    let roster_total = score::breakdown(&p, a.on()).total;
    assert!(
        relaxed.cost <= roster_total - penalties + 1.0 + 0.02 * p.n_pairs() as f64,
        "relaxation {} vs roster {} - penalties {}",
        relaxed.cost,
        roster_total,
        penalties
    );
}
