//! The scenario generator: determinism, counts, compilability, calibration,
//! the committed scenarios, and referential integrity.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;
use vroster::generate::{capacity, generate, generate_with_stats, scenario_json, GeneratorConfig};
use vroster::problem::Problem;
use vroster::scenario::Scenario;
use vroster::time::parse_time;

fn cfg(volunteers: usize, venues: usize, days: u32, seed: u64) -> GeneratorConfig {
    GeneratorConfig {
        volunteers,
        venues,
        days,
        seed,
        ..GeneratorConfig::default()
    }
}

/// Sizes covering the games composition, the city stations and tiny edges.
fn configs() -> Vec<GeneratorConfig> {
    vec![
        cfg(200, 3, 3, 1),
        cfg(150, 1, 1, 7),
        cfg(1_500, 10, 7, 3),
        cfg(3_000, 60, 9, 4),
        GeneratorConfig {
            demand_ratio: 1.4,
            ..cfg(1_000, 12, 10, 5)
        },
    ]
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let c = cfg(500, 6, 5, 11);
    let a = scenario_json(&generate(&c), false);
    let b = scenario_json(&generate(&c), false);
    assert_eq!(a, b);
    let other = scenario_json(&generate(&GeneratorConfig { seed: 12, ..c }), false);
    assert_ne!(a, other);
}

#[test]
fn counts_match_the_config() {
    for c in configs() {
        let g = generate_with_stats(&c);
        let s = &g.scenario;
        assert_eq!(s.volunteers.len(), c.volunteers);
        let venues: Vec<_> = s
            .sites
            .iter()
            .filter(|x| x.kind.as_deref() != Some("hub"))
            .collect();
        assert_eq!(venues.len(), c.venues, "{c:?}");
        assert!(s.sites.iter().all(|x| x.kind.is_some()));
        assert!(s.sites.iter().any(|x| x.kind.as_deref() == Some("hub")));
        if c.venues > 48 {
            let stations = venues
                .iter()
                .filter(|x| x.kind.as_deref() == Some("station"))
                .count();
            assert_eq!(stations, c.venues - 40);
        }
        // Every shift lies within the event's days.
        let first = parse_time(&format!("{}T00:00", c.start_date)).unwrap();
        let days: BTreeSet<i64> = s
            .shifts
            .iter()
            .map(|sh| (parse_time(&sh.start).unwrap() - first).div_euclid(1440))
            .collect();
        assert!(days.iter().all(|&d| (0..c.days as i64).contains(&d)));
        assert_eq!(g.stats.shifts, s.shifts.len());
        assert_eq!(g.stats.volunteers, c.volunteers);
        assert_eq!(g.stats.sites, s.sites.len());
        assert_eq!(g.stats.links, s.links.len());
        assert_eq!(
            g.stats.min_demand,
            s.shifts.iter().map(|x| x.min as u64).sum::<u64>()
        );
    }
}

#[test]
fn compiles_with_eligible_pools_and_calibrated_demand() {
    for c in configs() {
        let g = generate_with_stats(&c);
        let p = Problem::compile(&g.scenario).expect("generated scenario compiles");
        assert_eq!(p.n_shifts(), g.scenario.shifts.len());
        assert_eq!(p.n_pairs() as u64, g.stats.eligible_pairs, "{c:?}");
        let empty = (0..p.n_shifts())
            .filter(|&s| p.shift_pair_list(s).is_empty())
            .count();
        assert_eq!(empty, 0, "{c:?}: shifts nobody can work");
        // Nobody is asked for more people than could ever come.
        for s in 0..p.n_shifts() {
            assert!(p.shifts()[s].min as usize <= p.shift_pair_list(s).len());
        }
        // The generator's capacity is the compiled problem's capacity.
        let cap = capacity(&p);
        assert_eq!(cap, g.stats.capacity, "{c:?}");
        let ratio = g.stats.min_demand as f64 / cap as f64;
        assert!(
            (ratio - c.demand_ratio).abs() <= 0.03 * c.demand_ratio,
            "{c:?}: ratio {ratio}"
        );
        // Eligibility stays modest: accreditation keeps pools local.
        let per_vol = p.n_pairs() as f64 / p.n_volunteers() as f64;
        assert!(per_vol < 400.0, "{per_vol} pairs per volunteer");
    }
}

#[test]
fn ids_unique_and_references_resolve() {
    for c in configs() {
        let s = generate(&c);
        check_references(&s);
    }
}

fn unique<'a>(ids: Vec<&'a str>, what: &str) -> BTreeSet<&'a str> {
    let set: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(set.len(), ids.len(), "duplicate {what} id");
    assert!(ids.iter().all(|i| !i.is_empty()));
    set
}

fn check_references(s: &Scenario) {
    let sites = unique(s.sites.iter().map(|x| x.id.as_str()).collect(), "site");
    unique(s.shifts.iter().map(|x| x.id.as_str()).collect(), "shift");
    unique(
        s.volunteers.iter().map(|x| x.id.as_str()).collect(),
        "volunteer",
    );
    let mut pairs = BTreeSet::new();
    for l in &s.links {
        assert!(sites.contains(l.from.as_str()) && sites.contains(l.to.as_str()));
        assert!(l.from != l.to && l.minutes > 0);
        assert!(
            pairs.insert((l.from.clone(), l.to.clone())),
            "duplicate link"
        );
    }
    let venues: BTreeSet<&str> = s.shifts.iter().map(|x| x.venue.as_str()).collect();
    for sh in &s.shifts {
        assert!(sites.contains(sh.venue.as_str()));
        assert!(parse_time(&sh.end).unwrap() > parse_time(&sh.start).unwrap());
        assert!(1 <= sh.min && sh.min <= sh.max, "{}", sh.id);
        assert!(sh.max as f64 <= (sh.min as f64 * 1.2).ceil() + 1.0);
        assert!((1.0..=3.0).contains(&sh.priority));
        assert_eq!(sh.requires[0], format!("accreditation:{}", sh.venue));
        for q in &sh.quotas {
            assert!(q.skill.is_some() != q.language.is_some());
            assert!(q.at_least >= 1 && q.at_least <= sh.min, "{}", sh.id);
            if q.language.is_some() {
                assert!(q.level_or_default() >= 3);
            }
        }
    }
    let mut group_sizes: BTreeMap<&str, usize> = BTreeMap::new();
    for v in &s.volunteers {
        assert!(sites.contains(v.home.as_deref().unwrap()));
        let acc: Vec<&str> = v
            .skills
            .iter()
            .filter_map(|k| k.strip_prefix("accreditation:"))
            .collect();
        assert!((1..=3).contains(&acc.len()), "{}", v.id);
        assert!(acc.iter().all(|a| sites.contains(a)));
        if let Some(p) = &v.prefers {
            assert!(p.venues.iter().all(|x| sites.contains(x.as_str())));
        }
        assert!(v.languages.values().all(|l| (1..=5).contains(l)));
        assert!(v.min_shifts.unwrap() <= v.max_shifts.unwrap());
        for (a, b) in v.available.as_ref().unwrap() {
            assert!(parse_time(a).unwrap() < parse_time(b).unwrap());
        }
        if let Some(g) = &v.group {
            *group_sizes.entry(g).or_default() += 1;
        }
    }
    // Accreditations name venues (sites that are not hubs).
    let hubs: BTreeSet<&str> = s
        .sites
        .iter()
        .filter(|x| x.kind.as_deref() == Some("hub"))
        .map(|x| x.id.as_str())
        .collect();
    for v in &s.volunteers {
        for a in v
            .skills
            .iter()
            .filter_map(|k| k.strip_prefix("accreditation:"))
        {
            assert!(!hubs.contains(a), "{}: accredited for hub {a}", v.id);
        }
        assert!(
            hubs.contains(v.home.as_deref().unwrap()),
            "{} lives at a venue",
            v.id
        );
    }
    assert!(venues.iter().all(|x| !hubs.contains(x)));
    // Groups hold 10–40; only the last one may be cut short by the count.
    assert!(group_sizes.values().all(|&n| n <= 40));
    assert!(group_sizes.values().filter(|&&n| n < 10).count() <= 1);
}

#[test]
fn population_mixes_are_realistic() {
    let s = generate(&cfg(4_000, 10, 7, 2));
    let n = s.volunteers.len() as f64;
    let share = |f: &dyn Fn(&vroster::scenario::Volunteer) -> bool| {
        s.volunteers.iter().filter(|v| f(v)).count() as f64 / n
    };
    let has =
        |k: &'static str| move |v: &vroster::scenario::Volunteer| v.skills.iter().any(|x| x == k);
    assert!((share(&has("driving")) - 0.25).abs() < 0.03);
    assert!((share(&has("first_aid")) - 0.15).abs() < 0.03);
    let in_group = share(&|v| v.group.is_some());
    assert!((0.35..0.65).contains(&in_group), "{in_group}");
    let en3 = share(&|v| v.languages.get("en").is_some_and(|&l| l >= 3));
    assert!((0.4..0.75).contains(&en3), "{en3}");
    let overrides = share(&|v| v.max_minutes_per_day.is_some());
    assert!(overrides > 0.0 && overrides < 0.03);
    // Availability varies: not everybody is there for the whole event.
    let whole = share(&|v| {
        v.available.as_ref().is_some_and(|w| {
            w.len() == 1 && w[0].0.ends_with("04T00:00") && w[0].1.starts_with("2026-02-11")
        })
    });
    assert!((0.25..0.7).contains(&whole), "{whole}");
}

#[test]
fn presets_are_the_documented_sizes() {
    let p = |n| GeneratorConfig::preset(n).unwrap();
    assert_eq!(
        (p("small").volunteers, p("small").venues, p("small").days),
        (200, 3, 3)
    );
    assert_eq!(
        (p("medium").volunteers, p("medium").venues, p("medium").days),
        (2_000, 10, 7)
    );
    assert_eq!(
        (p("games").volunteers, p("games").venues, p("games").days),
        (20_000, 40, 18)
    );
    assert_eq!(
        (p("city").volunteers, p("city").venues, p("city").days),
        (200_000, 300, 30)
    );
    assert!(GeneratorConfig::preset("huge").is_none());
    assert!(cfg(0, 3, 3, 1).check().is_err());
    assert!(cfg(10, 3, 0, 1).check().is_err());
    assert!(GeneratorConfig {
        start_date: "2026-02-30".into(),
        ..cfg(10, 3, 3, 1)
    }
    .check()
    .is_err());
    assert!(GeneratorConfig {
        demand_ratio: f64::NAN,
        ..cfg(10, 3, 3, 1)
    }
    .check()
    .is_err());
}

/// The committed scenarios are exactly what `scenarios/README.md` says
/// regenerates them.
#[test]
fn committed_scenarios_regenerate_byte_for_byte() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("scenarios/README.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for name in ["small", "medium"] {
        let args = format!("generate --preset {name} --seed 1 -o scenarios/{name}.json");
        assert!(
            readme.contains(&format!("vroster {args}")),
            "README lacks: {args}"
        );
        let out = dir.path().join(format!("{name}.json"));
        let status = Command::new(env!("CARGO_BIN_EXE_vroster"))
            .args(["generate", "--preset", name, "--seed", "1", "-o"])
            .arg(&out)
            .status()
            .unwrap();
        assert!(status.success());
        let fresh = std::fs::read(&out).unwrap();
        let committed = std::fs::read(root.join(format!("scenarios/{name}.json"))).unwrap();
        assert!(
            fresh == committed,
            "scenarios/{name}.json differs from a fresh generation"
        );
        assert!(committed.len() < 3_000_000);
        let s: Scenario = serde_json::from_slice(&committed).unwrap();
        check_references(&s);
    }
}

#[test]
fn cli_requires_sizes_without_a_preset() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_vroster"))
        .args(["generate", "--volunteers", "10", "-o"])
        .arg(dir.path().join("x.json"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--venues"));
}
