//! Solver benchmarks on `scenarios/medium.json`: construction, search moves
//! per second (incremental scoring), and from-scratch scoring for contrast.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use vroster::problem::Problem;
use vroster::scenario::Scenario;
use vroster::solver::search::{AnnealParams, Searcher};
use vroster::solver::state::Assignment;
use vroster::solver::{construct, score};

fn medium() -> Problem {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/medium.json");
    let sc: Scenario =
        vroster::io::read_json(std::path::Path::new(path)).expect("scenarios/medium.json");
    Problem::compile(&sc).expect("compiles")
}

fn benches(c: &mut Criterion) {
    let p = medium();
    let mut g = c.benchmark_group("medium");
    g.sample_size(10);
    g.bench_function("construct", |b| {
        b.iter(|| {
            let mut a = Assignment::new(&p);
            construct::construct(&p, &mut a, &|| false);
            black_box(a.total(&p))
        })
    });
    let mut start = Assignment::new(&p);
    construct::construct(&p, &mut start, &|| false);
    const MOVES: u64 = 200_000;
    g.throughput(Throughput::Elements(MOVES));
    g.bench_function("search_moves", |b| {
        b.iter(|| {
            let mut s = Searcher::new(&p, start.clone(), 7);
            let params = AnnealParams {
                iterations: MOVES,
                offset: 0,
                steps: MOVES,
                t_start: 5.0,
                t_end: 0.05,
                seed: 7,
            };
            black_box(s.anneal(&params, &|| false).accepted)
        })
    });
    g.throughput(Throughput::Elements(1));
    g.bench_function("score_from_scratch", |b| {
        b.iter(|| black_box(score::breakdown(&p, start.on()).total))
    });
    g.finish();
}

criterion_group!(solver, benches);
criterion_main!(solver);
