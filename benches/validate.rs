//! Loading and validating a scenario (parse, checks, whole-scenario
//! warnings) at scale: a station network with 20,000 volunteers by default;
//! with `VROSTER_BENCH_CITY=1`, once at city scale (200,000 volunteers,
//! 2,000 stations, too big for repeated sampling), printing the time.

use criterion::{criterion_group, criterion_main, Criterion};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;
use std::time::{Duration, Instant};
use vroster::scenario::{Link, Prefers, Quota, Scenario, Shift, Site, Volunteer};
use vroster::validate::load_scenario_str;

fn time_at(day: i64, minute: i64) -> String {
    vroster::time::format_time(
        vroster::time::parse_time("2022-02-01T00:00").unwrap_or(0) + day * 1440 + minute,
    )
}

/// Stations in a chain, day shifts at random stations needing one of 500
/// accreditations and an English speaker, volunteers with one
/// accreditation, a nine-day window and a preferred station.
fn stations(n_sites: usize, n_shifts: usize, n_volunteers: usize) -> Scenario {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let station = |i: usize| format!("ST{i:04}");
    let sites = (0..n_sites)
        .map(|i| Site {
            id: station(i),
            ..Site::default()
        })
        .collect();
    let links = (1..n_sites)
        .map(|i| Link {
            from: station(i - 1),
            to: station(i),
            minutes: 10,
        })
        .collect();
    let shifts = (0..n_shifts)
        .map(|i| {
            let day = rng.gen_range(0..18);
            Shift {
                id: format!("SH{i:05}"),
                venue: station(rng.gen_range(0..n_sites)),
                start: time_at(day, 480),
                end: time_at(day, 960),
                min: 1,
                max: 2,
                priority: 1.0,
                requires: vec![format!("acc:{}", i % 500)],
                quotas: vec![Quota {
                    language: Some("en".into()),
                    level: Some(3),
                    at_least: 1,
                    ..Quota::default()
                }],
                ..Shift::default()
            }
        })
        .collect();
    let volunteers = (0..n_volunteers)
        .map(|i| {
            let mut v = Volunteer {
                id: format!("V{i:06}"),
                home: Some(station(rng.gen_range(0..n_sites))),
                skills: vec![format!("acc:{}", rng.gen_range(0..500)), "first_aid".into()],
                ..Volunteer::default()
            };
            v.languages.insert("en".into(), rng.gen_range(1..6));
            let d = rng.gen_range(0..10);
            v.available = Some(vec![(time_at(d, 0), time_at(d + 8, 1439))]);
            v.prefers = Some(Prefers {
                venues: vec![station(rng.gen_range(0..n_sites))],
                roles: vec![],
            });
            v
        })
        .collect();
    Scenario {
        format: vroster::scenario::SCENARIO_FORMAT.into(),
        sites,
        links,
        shifts,
        volunteers,
        ..Scenario::default()
    }
}

fn city_once() {
    let text = serde_json::to_string(&stations(2000, 20_000, 200_000)).unwrap_or_default();
    let t = Instant::now();
    let result = load_scenario_str(&text);
    let elapsed = t.elapsed();
    match result {
        Ok((_, w)) => eprintln!(
            "200k volunteers, {} MB: loaded and validated in {elapsed:?} ({} warnings)",
            text.len() / 1_000_000,
            w.len()
        ),
        Err(d) => eprintln!("errors: {:?}", &d[..d.len().min(5)]),
    }
}

fn bench(c: &mut Criterion) {
    if std::env::var("VROSTER_BENCH_CITY").is_ok() {
        city_once();
        return;
    }
    let text = serde_json::to_string(&stations(200, 2_000, 20_000)).unwrap_or_default();
    let mut group = c.benchmark_group("validate");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));
    group.bench_function("stations_20k", |b| {
        b.iter(|| black_box(load_scenario_str(&text).map(|(_, w)| w.len()).ok()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
