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
    solver::solve(p, &ctx)
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
fn partitioned_search_merges_exactly_and_is_reproducible() {
    // 17 venues ≥ 8 per thread: two workers on venue partitions; the debug
    // check after every epoch compares the merged totals with a from-scratch score.
    let sc = common::random_scenario(21, 60, 17, 3);
    let p = Problem::compile(&sc).expect("compiles");
    let a = run(&p, 9, 2);
    let b = run(&p, 9, 2);
    assert_eq!(a.on, b.on);
    assert_eq!(score::violations(&p, &a.on), 0);
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

fn load(name: &str) -> vroster::scenario::Scenario {
    let path = format!("{}/scenarios/{name}", env!("CARGO_MANIFEST_DIR"));
    vroster::io::read_json(std::path::Path::new(&path)).expect("scenario")
}

/// Solves through the pipeline (as `vroster solve` does) and checks the
/// roster with the independent checker: valid, and every claimed figure agrees.
fn solve_and_check(
    sc: &vroster::scenario::Scenario,
    threads: usize,
    iterations: u64,
) -> vroster::check::RosterCheck {
    let opts = SolveOptions {
        seed: 5,
        threads,
        iterations: Some(iterations),
        debug_checks: true,
        ..Default::default()
    };
    let ctx = SolveContext::new(opts, &|_| {});
    let out = vroster::pipeline::solve(sc, &ctx, 0.0).expect("solves");
    let report = vroster::check::check_roster(sc, &out.roster).expect("checks");
    assert!(
        report.passes(),
        "violations {:?} mismatches {:?}",
        report.violations,
        report.mismatches
    );
    assert_eq!(
        report.coverage.min_demand_covered,
        out.summary.coverage.min_demand_covered
    );
    assert_eq!(report.coverage.quotas_met, out.summary.coverage.quotas_met);
    assert_eq!(
        report.coverage.volunteers_below_commitment,
        out.summary.coverage.volunteers_below_commitment
    );
    report
}

#[test]
fn tiny_is_solved_to_its_hand_derived_optimum() {
    let r = solve_and_check(&load("tiny.json"), 1, 20_000);
    assert!((r.objective.total - 10.0).abs() < 1e-9, "{:?}", r.objective);
}

#[test]
fn committed_scenarios_solve_to_checked_rosters() {
    for name in ["small.json", "medium.json"] {
        let sc = load(name);
        let r = solve_and_check(&sc, 2, 100_000);
        assert!(
            r.coverage.coverage > 0.99,
            "{name}: coverage {}",
            r.coverage.coverage
        );
    }
}

#[test]
fn random_scenarios_solve_to_checked_rosters() {
    for seed in 0..25 {
        let sc = common::random_scenario(
            1000 + seed,
            10 + seed as usize,
            2 + seed as usize % 3,
            2 + seed as usize % 3,
        );
        solve_and_check(&sc, 1 + seed as usize % 2, 20_000);
    }
}

/// The workforce reduction (PartialCol-style tabu over volunteers used)
/// takes a public shift-minimisation instance to its proven optimum: OR
/// Library ptask `data_11_24_119_33` (119 tasks, 24 workers, lb = ub = 20).
/// The peak-staffing bound proves it, so the run also stops there. (Seed 2:
/// seed 3 of 1–5 stalls at 21 within the default budget, the others reach
/// 20; `BENCHMARKS.md` shows how often such stalls happen.)
#[test]
fn smptsp_instance_reaches_its_proven_optimum() {
    let path = format!(
        "{}/tests/fixtures/ptask/data_11_24_119_33.dat",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).expect("fixture");
    let inst = vroster::ptask::parse(&text).expect("parses");
    let sc = vroster::ptask::to_scenario(&inst, "data_11");
    let p = Problem::compile(&sc).expect("compiles");
    assert!((vroster::bound::peak_bound(&p) - 20.0).abs() < 1e-3);
    let ctx = SolveContext::new(
        SolveOptions {
            seed: 2,
            threads: 1,
            debug_checks: true,
            ..Default::default()
        },
        &|_| {},
    );
    let out = vroster::pipeline::solve(&sc, &ctx, 0.0).expect("solves");
    assert!(out.summary.checker_agrees);
    assert_eq!(out.summary.objective.uncovered, 0.0);
    assert_eq!(out.summary.objective.volunteer_used, 20.0);
    assert!(!out.summary.stopped_early);
}

/// A scenario over the pair limit is refused before its pair arrays are
/// allocated (estimated from a sample) or right after counting them.
#[test]
fn the_pair_limit_refuses_large_scenarios_cleanly() {
    use vroster::problem::{CompileError, CompileOptions};
    let sc = load("small.json");
    let n = Problem::compile(&sc).expect("compiles").n_pairs();
    let with = |max| {
        Problem::compile_with(
            &sc,
            &CompileOptions {
                max_pairs: Some(max),
                ..Default::default()
            },
        )
    };
    assert_eq!(with(n).expect("fits exactly").n_pairs(), n);
    match with(n - 1) {
        Err(CompileError::TooLarge {
            pairs, max_pairs, ..
        }) => {
            assert_eq!(max_pairs, n - 1);
            assert_eq!(
                pairs, n,
                "small has < 1,024 volunteers: the sample is the whole"
            );
        }
        other => panic!("expected TooLarge, got {:?}", other.map(|p| p.n_pairs())),
    }
    match with(n / 10) {
        Err(CompileError::TooLarge { estimated, .. }) => assert!(estimated),
        other => panic!("expected TooLarge, got {:?}", other.map(|p| p.n_pairs())),
    }
}
