//! The flow baseline of BENCHMARKS.md: the greedy and the min-cost flow
//! constructions (each followed by the augmenting-path pass, no search) on
//! one scenario, with their objective (the checker's) and time.
//!
//! `cargo run --release --example flow_baseline -- SCENARIO.json [greedy|flow|both]`

use std::time::Instant;
use vroster::problem::Problem;
use vroster::solver::{construct, search::Searcher, state::Assignment, to_roster};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .ok_or_else(|| anyhow::anyhow!("usage: flow_baseline SCENARIO.json [greedy|flow|both]"))?;
    let which = args.get(2).map_or("both", String::as_str);
    let (scenario, _) = vroster::validate::load_scenario(std::path::Path::new(path))
        .map_err(|d| anyhow::anyhow!("{} validation errors", d.len()))?;
    let t = Instant::now();
    let p = Problem::compile(&scenario)?;
    println!(
        "{path}: {} volunteers, {} shifts, {} pairs, compiled in {:.2} s",
        p.n_volunteers(),
        p.n_shifts(),
        p.n_pairs(),
        t.elapsed().as_secs_f64()
    );
    let never = || false;
    for method in ["greedy", "flow"] {
        if which != "both" && which != method {
            continue;
        }
        let t = Instant::now();
        let mut a = Assignment::new(&p);
        let mut note = String::new();
        if method == "greedy" {
            construct::construct(&p, &mut a, &never);
        } else {
            let r = construct::construct_flow(&p, &mut a, &never);
            note = format!(
                "relaxation cost {:.1} ({} pairs, complete {}, {:.2} s); ",
                r.cost,
                r.pairs.len(),
                r.complete,
                r.seconds
            );
        }
        let built = t.elapsed().as_secs_f64();
        let mut s = Searcher::new(&p, a, 1);
        s.augment_all(4, &never);
        let secs = t.elapsed().as_secs_f64();
        let b = vroster::solver::score::breakdown(&p, s.assignment().on());
        let roster = to_roster(&p, s.assignment().on(), b);
        let report = vroster::check::check_roster(&scenario, &roster)?;
        println!(
            "{method}: {note}construct {built:.2} s, with augmenting paths {secs:.2} s; total {:.1} (checker {:.1}, violations {}), uncovered {:.0}, quota {:.0}, under {:.0}, pref {:.0}, travel {:.1}, group {:.0}",
            b.total,
            report.objective.total,
            report.violations.len(),
            b.uncovered,
            b.quota_shortfall,
            b.under_commitment,
            b.preference_miss,
            b.travel,
            b.group_split
        );
    }
    Ok(())
}
