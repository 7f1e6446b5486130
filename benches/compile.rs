//! `Problem::compile` on a generated scenario.
//!
//! By default a medium scenario (2,000 volunteers, 10 venues, 7 days) and a
//! games-shaped slice (5,000 volunteers, 40 venues, 18 days). With
//! `VROSTER_BENCH_SCENARIO=path/to/file.json` it instead compiles that file
//! once and prints the time, the eligible pairs and the peak resident memory
//! (for the large `city` scenario, which is too big for repeated sampling).

use criterion::{criterion_group, criterion_main, Criterion};
use std::time::{Duration, Instant};
use vroster::generate::{generate, GeneratorConfig};
use vroster::problem::Problem;
use vroster::scenario::Scenario;

fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(str::to_string)
        })
        .unwrap_or_else(|| "VmHWM: unknown".into())
}

fn once(path: &str) {
    let t = Instant::now();
    let scenario: Scenario = match vroster::io::read_json(std::path::Path::new(path)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return;
        }
    };
    let load = t.elapsed();
    eprintln!(
        "loaded {path} in {:.2} s; {}",
        load.as_secs_f64(),
        peak_rss()
    );
    let t = Instant::now();
    match Problem::compile(&scenario) {
        Ok(p) => eprintln!(
            "compiled: {} volunteers, {} shifts, {} eligible pairs in {:.2} s; {}",
            p.n_volunteers(),
            p.n_shifts(),
            p.n_pairs(),
            t.elapsed().as_secs_f64(),
            peak_rss()
        ),
        Err(e) => eprintln!("compile error: {e}"),
    }
}

fn bench(c: &mut Criterion) {
    if let Ok(path) = std::env::var("VROSTER_BENCH_SCENARIO") {
        once(&path);
        return;
    }
    let mut group = c.benchmark_group("compile");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));
    for (name, volunteers, venues, days) in [("medium", 2_000, 10, 7), ("games_5k", 5_000, 40, 18)]
    {
        let scenario = generate(&GeneratorConfig {
            volunteers,
            venues,
            days,
            ..GeneratorConfig::default()
        });
        group.bench_function(name, |b| {
            b.iter(|| {
                Problem::compile(&scenario)
                    .map(|p| p.n_pairs())
                    .unwrap_or(0)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
