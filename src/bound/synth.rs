//! A small random-scenario builder with games-like structure (venues ×
//! days × shift bands × roles, accreditation per venue, skills, languages,
//! availability windows, homes with travel), for the bound's tests and
//! benchmark. Not a user-facing generator.

use crate::scenario::{Link, Prefers, Quota, Rules, Scenario, Shift, Site, Volunteer, Weights};
use crate::time::{format_time, parse_time};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Size knobs of [`build`].
#[derive(Clone, Debug)]
pub struct SynthSpec {
    pub volunteers: usize,
    pub venues: usize,
    pub days: usize,
    pub roles: usize,
    pub hubs: usize,
    pub seed: u64,
}

impl SynthSpec {
    /// ≈2,000 volunteers, 10 venues, 7 days (≈1,000 shifts).
    pub fn medium(seed: u64) -> Self {
        SynthSpec {
            volunteers: 2_000,
            venues: 10,
            days: 7,
            roles: 5,
            hubs: 6,
            seed,
        }
    }
    /// ≈20,000 volunteers, 40 venues, 18 days.
    pub fn games(seed: u64) -> Self {
        SynthSpec {
            volunteers: 20_000,
            venues: 40,
            days: 18,
            roles: 4,
            hubs: 12,
            seed,
        }
    }
}

const BANDS: [(i64, i64); 3] = [(6 * 60, 14 * 60), (14 * 60, 22 * 60), (22 * 60, 30 * 60)];
const ROLES: [&str; 6] = [
    "spectator_services",
    "accreditation",
    "language_services",
    "medical",
    "transport",
    "media",
];

fn venue(i: usize) -> String {
    format!("VEN{i:02}")
}

fn hub(i: usize) -> String {
    format!("HUB{i:02}")
}

/// Builds a random scenario.
pub fn build(spec: &SynthSpec) -> Scenario {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let origin = parse_time("2022-02-04T00:00").unwrap_or(0);
    let (sites, links) = sites_and_links(&mut rng, spec);
    let shifts = shifts(&mut rng, spec, origin);
    let volunteers = (0..spec.volunteers)
        .map(|i| volunteer(&mut rng, spec, origin, i))
        .collect();
    Scenario {
        format: crate::scenario::SCENARIO_FORMAT.to_string(),
        name: format!("synthetic {} volunteers", spec.volunteers),
        rules: Rules::default(),
        weights: Weights::default(),
        sites,
        links,
        shifts,
        volunteers,
    }
}

/// Venues, then hubs; each hub linked to about half the venues (always to
/// its own), venues in a chain.
fn sites_and_links(rng: &mut ChaCha8Rng, spec: &SynthSpec) -> (Vec<Site>, Vec<Link>) {
    let mut sites: Vec<Site> = (0..spec.venues)
        .map(|i| Site {
            id: venue(i),
            ..Site::default()
        })
        .collect();
    sites.extend((0..spec.hubs).map(|i| Site {
        id: hub(i),
        ..Site::default()
    }));
    let mut links = Vec::new();
    for h in 0..spec.hubs {
        for v in 0..spec.venues {
            if rng.gen_bool(0.5) || v % spec.hubs.max(1) == h {
                links.push(Link {
                    from: hub(h),
                    to: venue(v),
                    minutes: rng.gen_range(10..90),
                });
            }
        }
    }
    for v in 1..spec.venues {
        links.push(Link {
            from: venue(v - 1),
            to: venue(v),
            minutes: rng.gen_range(15..60),
        });
    }
    (sites, links)
}

/// Per venue, day, band (the night band 40 % of the time) and role.
fn shifts(rng: &mut ChaCha8Rng, spec: &SynthSpec, origin: i64) -> Vec<Shift> {
    let mut shifts = Vec::new();
    for v in 0..spec.venues {
        for d in 0..spec.days {
            for (b, &(s, e)) in BANDS.iter().enumerate() {
                if b == 2 && rng.gen_bool(0.6) {
                    continue;
                }
                for r in 0..spec.roles {
                    let min = rng.gen_range(1..6);
                    let quotas = quotas(rng);
                    let base = origin + d as i64 * 1440;
                    shifts.push(Shift {
                        id: format!("{}-{}-D{d}-B{b}", venue(v), r),
                        venue: venue(v),
                        role: Some(ROLES[r % ROLES.len()].to_string()),
                        start: format_time(base + s),
                        end: format_time(base + e),
                        min,
                        max: min + rng.gen_range(0..3),
                        priority: if rng.gen_bool(0.2) { 2.0 } else { 1.0 },
                        requires: vec![format!("accreditation:{}", venue(v))],
                        quotas,
                    });
                }
            }
        }
    }
    shifts
}

/// Sometimes a first-aid quota, sometimes an English one.
fn quotas(rng: &mut ChaCha8Rng) -> Vec<Quota> {
    let mut quotas = Vec::new();
    if rng.gen_bool(0.2) {
        quotas.push(Quota {
            skill: Some("first_aid".into()),
            at_least: 1,
            ..Quota::default()
        });
    }
    if rng.gen_bool(0.15) {
        quotas.push(Quota {
            language: Some("en".into()),
            level: Some(3),
            at_least: rng.gen_range(1..3),
            ..Quota::default()
        });
    }
    quotas
}

/// Volunteer `i`: a home hub, one or two accredited venues, skills,
/// languages, one availability window, sometimes preferences and limits.
fn volunteer(rng: &mut ChaCha8Rng, spec: &SynthSpec, origin: i64, i: usize) -> Volunteer {
    let home_hub = rng.gen_range(0..spec.hubs.max(1));
    let mut skills = Vec::new();
    let n_acc = if rng.gen_bool(0.7) { 1 } else { 2 };
    let mut accredited = Vec::new();
    for _ in 0..n_acc {
        let v = rng.gen_range(0..spec.venues);
        skills.push(format!("accreditation:{}", venue(v)));
        accredited.push(venue(v));
    }
    if rng.gen_bool(0.25) {
        skills.push("first_aid".into());
    }
    let mut languages = std::collections::BTreeMap::new();
    languages.insert("zh".to_string(), 5);
    if rng.gen_bool(0.5) {
        languages.insert("en".to_string(), rng.gen_range(1..6));
    }
    let span = rng.gen_range(3..=spec.days.clamp(3, 9)) as i64;
    let first = rng.gen_range(0..=(spec.days as i64 - span).max(0));
    let available = Some(vec![(
        format_time(origin + first * 1440),
        format_time(origin + (first + span) * 1440 + 360),
    )]);
    let prefers = rng.gen_bool(0.4).then(|| Prefers {
        venues: vec![accredited[0].clone()],
        roles: if rng.gen_bool(0.5) {
            vec![ROLES[rng.gen_range(0..spec.roles.min(ROLES.len()))].to_string()]
        } else {
            Vec::new()
        },
    });
    Volunteer {
        id: format!("V{i:06}"),
        home: Some(hub(home_hub)),
        skills,
        languages,
        available,
        min_shifts: rng.gen_bool(0.3).then_some(3),
        max_shifts: rng.gen_bool(0.2).then_some(4),
        prefers,
        group: None,
        ..Volunteer::default()
    }
}
