//! The lower bound (`bound::lower_bound`) on synthetic scenarios with
//! games-like structure: medium (≈2,000 volunteers) with each LP backend.
//! With `VROSTER_BENCH_GAMES=1`, once on the games-sized one (≈20,000
//! volunteers), printing the figures of the bound.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::time::{Duration, Instant};
use vroster::bound::synth::{build, SynthSpec};
use vroster::bound::{fallback_bound, lower_bound, Backend, BoundOptions};
use vroster::problem::Problem;

fn options(backend: Backend) -> BoundOptions {
    BoundOptions {
        backend,
        time_limit_seconds: 2.0,
        ..BoundOptions::default()
    }
}

fn games_once() {
    let sc = build(&SynthSpec::games(1));
    let t = Instant::now();
    let Ok(p) = Problem::compile(&sc) else {
        eprintln!("the synthetic scenario does not compile");
        return;
    };
    let compile = t.elapsed().as_secs_f64();
    match lower_bound(&p, &options(Backend::Microlp)) {
        Ok(r) => eprintln!(
            "{} vols, {} shifts, {} pairs (compile {compile:.2}s): bound {:.1} fallback {:.1} \
             classes {} coarse {} columns {} rows {} seconds {:.3} [{}]",
            p.n_volunteers(),
            p.n_shifts(),
            p.n_pairs(),
            r.bound,
            fallback_bound(&p),
            r.classes,
            r.coarse_classes,
            r.columns,
            r.rows,
            r.seconds,
            r.note
        ),
        Err(e) => eprintln!("bound failed: {e}"),
    }
}

fn bench(c: &mut Criterion) {
    if std::env::var("VROSTER_BENCH_GAMES").is_ok() {
        games_once();
        return;
    }
    let Ok(p) = Problem::compile(&build(&SynthSpec::medium(1))) else {
        eprintln!("the synthetic scenario does not compile");
        return;
    };
    let mut group = c.benchmark_group("bound");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    for (name, backend) in [
        ("medium_microlp", Backend::Microlp),
        ("medium_clarabel", Backend::Clarabel),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| black_box(lower_bound(&p, &options(backend)).map(|r| r.bound).ok()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
