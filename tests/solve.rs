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
        let sol = run(&p, seed, 1);
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
