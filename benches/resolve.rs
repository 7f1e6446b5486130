//! Re-solve benchmarks on `scenarios/medium.json` (2,000 volunteers, 10
//! venues, 7 days): a solved roster hit by 2 % and 5 % generated dropouts
//! (plus demand updates, a new shift and volunteer, maybe a cancelled venue
//! day) at the start of day 3; whole re-solve with a fixed search budget,
//! and `apply_changes` alone. About a minute in all.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use vroster::repair::{apply_changes, generate_changes, resolve};
use vroster::scenario::{Roster, Scenario};
use vroster::solver::{SolveContext, SolveOptions};

fn options(iterations: u64) -> SolveOptions {
    SolveOptions {
        seed: 1,
        threads: 2,
        iterations: Some(iterations),
        ..Default::default()
    }
}

fn medium() -> (Scenario, Roster) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/medium.json");
    let sc: Scenario =
        vroster::io::read_json(std::path::Path::new(path)).expect("scenarios/medium.json");
    let ctx = SolveContext::new(options(400_000), &|_| {});
    let roster = vroster::pipeline::solve(&sc, &ctx, 0.0)
        .expect("solves")
        .roster;
    (sc, roster)
}

fn benches(c: &mut Criterion) {
    let (sc, prev) = medium();
    let now = "2026-02-06T00:00";
    let mut g = c.benchmark_group("resolve_medium");
    g.sample_size(10);
    for rate in [0.02, 0.05] {
        let changes = generate_changes(&sc, &prev, now, rate, 5).expect("changes");
        let pct = (rate * 100.0).round() as u32;
        g.bench_function(format!("apply_changes_{pct}pct"), |b| {
            b.iter(|| black_box(apply_changes(&sc, &prev, &changes).expect("applies").forced))
        });
        g.bench_function(format!("resolve_{pct}pct"), |b| {
            b.iter(|| {
                let ctx = SolveContext::new(options(100_000), &|_| {});
                let out = resolve(&sc, &prev, &changes, &ctx, 0.0, 0).expect("re-solves");
                black_box(out.repair.changes)
            })
        });
    }
    g.finish();
}

criterion_group!(resolve_benches, benches);
criterion_main!(resolve_benches);
