//! Random small scenarios for property-style tests.
#![allow(dead_code)]

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use vroster::scenario::*;
use vroster::time::format_time;

/// A random scenario with `volunteers` people, `venues` venues plus two
/// homes, `days` days of 2–3 shifts per venue; every feature of the format
/// appears (skills, quotas, languages, groups, preferences, availability,
/// per-volunteer overrides, travel links).
pub fn random_scenario(seed: u64, volunteers: usize, venues: usize, days: usize) -> Scenario {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let base = vroster::time::parse_time("2026-02-04T00:00").expect("valid");
    let mut sc = Scenario {
        format: SCENARIO_FORMAT.into(),
        name: format!("random-{seed}"),
        ..Default::default()
    };
    sc.rules.min_rest_minutes = rng.gen_range(0..=600);
    sc.rules.max_minutes_per_day = rng.gen_range(240..=720);
    sc.rules.max_consecutive_days = rng.gen_range(1..=4);
    sc.rules.max_shifts = rng.gen_range(1..=6);
    sc.weights.volunteer_used = if rng.gen_bool(0.3) { 5.0 } else { 0.0 };
    for i in 0..venues {
        sc.sites.push(Site {
            id: format!("V{i}"),
            ..Default::default()
        });
    }
    for h in 0..2 {
        sc.sites.push(Site {
            id: format!("H{h}"),
            ..Default::default()
        });
    }
    if rng.gen_bool(0.8) {
        for i in 0..venues {
            sc.links.push(Link {
                from: format!("V{i}"),
                to: format!("H{}", i % 2),
                minutes: rng.gen_range(5..90),
            });
        }
        sc.links.push(Link {
            from: "H0".into(),
            to: "H1".into(),
            minutes: rng.gen_range(10..60),
        });
    }
    let roles = ["info", "transport", "medical"];
    for d in 0..days {
        for i in 0..venues {
            let bands = rng.gen_range(1..=3);
            for b in 0..bands {
                let start = base + d as i64 * 1440 + [360, 780, 1320][b] + rng.gen_range(0..4) * 30;
                let len = [240, 360, 480][rng.gen_range(0..3)];
                let role = roles[rng.gen_range(0..roles.len())];
                let min = rng.gen_range(0..=2);
                let mut requires = Vec::new();
                if role == "transport" && rng.gen_bool(0.5) {
                    requires.push("driving".to_string());
                }
                let mut quotas = Vec::new();
                if rng.gen_bool(0.4) {
                    quotas.push(Quota {
                        language: Some("en".into()),
                        level: Some(rng.gen_range(1..=4)),
                        at_least: 1,
                        ..Default::default()
                    });
                }
                if rng.gen_bool(0.3) {
                    quotas.push(Quota {
                        skill: Some("first_aid".into()),
                        at_least: 1,
                        ..Default::default()
                    });
                }
                sc.shifts.push(Shift {
                    id: format!("S{d}-{i}-{b}"),
                    venue: format!("V{i}"),
                    role: Some(role.into()),
                    start: format_time(start),
                    end: format_time(start + len),
                    min,
                    max: min + rng.gen_range(0..=2),
                    priority: [1.0, 2.0, 3.0][rng.gen_range(0..3)],
                    requires,
                    quotas,
                });
            }
        }
    }
    for k in 0..volunteers {
        let mut skills = Vec::new();
        if rng.gen_bool(0.4) {
            skills.push("driving".into());
        }
        if rng.gen_bool(0.3) {
            skills.push("first_aid".into());
        }
        let mut languages = BTreeMap::new();
        languages.insert("en".to_string(), rng.gen_range(1..=5));
        let available = if rng.gen_bool(0.3) {
            let d0 = rng.gen_range(0..days) as i64;
            Some(vec![(
                format_time(base + d0 * 1440),
                format_time(base + (d0 + 2) * 1440),
            )])
        } else {
            None
        };
        let prefers = rng.gen_bool(0.5).then(|| Prefers {
            venues: vec![format!("V{}", rng.gen_range(0..venues))],
            roles: if rng.gen_bool(0.5) {
                vec![roles[rng.gen_range(0..3)].to_string()]
            } else {
                vec![]
            },
        });
        sc.volunteers.push(Volunteer {
            id: format!("P{k}"),
            home: rng
                .gen_bool(0.8)
                .then(|| format!("H{}", rng.gen_range(0..2))),
            skills,
            languages,
            available,
            min_shifts: rng.gen_bool(0.5).then(|| rng.gen_range(0..=3)),
            max_shifts: None,
            min_rest_minutes: None,
            max_minutes_per_day: rng.gen_bool(0.2).then_some(480),
            max_consecutive_days: None,
            prefers,
            group: rng
                .gen_bool(0.4)
                .then(|| format!("G{}", rng.gen_range(0..2))),
            ..Volunteer::default()
        });
    }
    sc
}

/// The independent repair checker passes a re-solve and agrees with its
/// claimed counts (changes, forced removals, volunteers affected).
pub fn assert_repair_agrees(
    sc: &Scenario,
    prev: &Roster,
    changes: &Changes,
    out: &vroster::repair::RepairOutcome,
) {
    let r = vroster::check::check_repair(sc, prev, changes, &out.roster).expect("checks");
    assert!(
        r.passes(),
        "violations {:?} mismatches {:?}",
        r.violations,
        r.mismatches
    );
    let rep = r.repair.expect("repair stats");
    assert_eq!(rep.changes, out.repair.changes, "changes");
    assert_eq!(rep.forced_removals, out.repair.forced_removals, "forced");
    assert_eq!(
        rep.affected_volunteers, out.repair.volunteers_affected,
        "affected"
    );
}
