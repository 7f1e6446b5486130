//! The solver on random small scenarios: rosters obey every rule, the
//! incremental score equals the from-scratch score, results are reproducible.

mod common;

use vroster::problem::Problem;
use vroster::solver::{self, score, SolveContext, SolveOptions};

fn run(p: &Problem, seed: u64, threads: usize) -> solver::Solution {
    let opts = SolveOptions {
        seed,
        threads,
        iterations: Some(50_000),
        debug_checks: true,
        ..Default::default()
    };
    let ctx = SolveContext::new(opts, &|_| {});
    solver::solve(p, None, &ctx)
}

#[test]
fn rosters_obey_rules_and_scores_agree() {
    for seed in 0..30 {
        let sc = common::random_scenario(seed, 8 + (seed as usize % 5), 2 + seed as usize % 2, 3);
        let p = Problem::compile(&sc).expect("compiles");
        // Odd seeds run two partitioned workers (their merge is checked
        // against a from-scratch score after every epoch).
        let sol = run(&p, seed, 1 + seed as usize % 2);
        assert_eq!(score::violations(&p, &sol.on), 0, "seed {seed}");
        let again = score::breakdown(&p, &sol.on);
        assert!(
            (again.total - sol.objective.total).abs() < 1e-6,
            "seed {seed}"
        );
        assert!(
            sol.objective.total <= sol.construct_objective + 1e-9,
            "search never worsens the start"
        );
    }
}

#[test]
fn same_seed_and_threads_same_roster() {
    let sc = common::random_scenario(7, 30, 3, 4);
    let p = Problem::compile(&sc).expect("compiles");
    for threads in [1, 2] {
        let a = run(&p, 42, threads);
        let b = run(&p, 42, threads);
        assert_eq!(a.on, b.on, "threads {threads}");
    }
}

/// Exhaustive optimum over all subsets of eligible pairs (tiny problems only),
/// using the from-scratch scorer.
fn brute_force(p: &Problem) -> f64 {
    let n = p.n_pairs();
    assert!(n <= 16);
    let mut best = f64::INFINITY;
    let mut on = vec![false; n];
    for mask in 0u32..(1 << n) {
        for (i, o) in on.iter_mut().enumerate() {
            *o = mask & (1 << i) != 0;
        }
        if score::violations(p, &on) == 0 {
            best = best.min(score::breakdown(p, &on).total);
        }
    }
    best
}

#[test]
fn reaches_the_exhaustive_optimum_on_tiny_problems() {
    let mut tried = 0;
    for seed in 100..800 {
        let sc = common::random_scenario(seed, 3 + seed as usize % 2, 2, 2);
        let p = Problem::compile(&sc).expect("compiles");
        if p.n_pairs() > 15 || p.n_pairs() < 4 {
            continue;
        }
        tried += 1;
        let opt = brute_force(&p);
        let sol = run(&p, seed, 1);
        assert!(
            (sol.objective.total - opt).abs() < 1e-6,
            "seed {seed}: solver {} vs optimum {opt}",
            sol.objective.total
        );
    }
    assert!(tried >= 20, "only {tried} tiny problems tried");
}
