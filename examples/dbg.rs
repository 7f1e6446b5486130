#[path = "../tests/common/mod.rs"]
mod common;
use vroster::problem::Problem;
use vroster::solver::{self, score, SolveContext, SolveOptions};
fn main() {
    let seed: u64 = std::env::args().nth(1).unwrap().parse().unwrap();
    let sc = common::random_scenario(seed, 3 + seed as usize % 2, 2, 2);
    let p = Problem::compile(&sc).unwrap();
    for (s, sh) in p.shifts.iter().enumerate() {
        println!(
            "shift {s} {} {:?} pairs {:?}",
            p.shift_ids[s],
            sh,
            p.shift_vol_list(s)
        );
    }
    for (v, vi) in p.volunteers.iter().enumerate() {
        println!("vol {v} {:?}", vi);
    }
    println!("quotas {:?}", p.quotas);
    let n = p.n_pairs();
    let mut best = (f64::INFINITY, vec![]);
    let mut on = vec![false; n];
    for mask in 0u32..(1 << n) {
        for (i, o) in on.iter_mut().enumerate() {
            *o = mask & (1 << i) != 0;
        }
        if score::violations(&p, &on) == 0 {
            let t = score::breakdown(&p, &on).total;
            if t < best.0 {
                best = (t, on.clone());
            }
        }
    }
    println!("opt {} {:?}", best.0, best.1);
    println!("{:?}", score::breakdown(&p, &best.1));
    let opts = SolveOptions {
        seed,
        threads: 1,
        iterations: Some(50_000),
        debug_checks: true,
        ..Default::default()
    };
    let ctx = SolveContext::new(opts, &|_| {});
    let sol = solver::solve(&p, None, &ctx);
    println!("sol {} {:?}", sol.objective.total, sol.on);
    println!("{:?}", sol.objective);
}
