//! Realistic games-scale scenario generator.
//!
//! [`generate`] builds a [`Scenario`] from a [`GeneratorConfig`]: sites on a
//! connected travel graph (competition venues in up to three clusters, the
//! athletes' village, media centre, airport, hotels, city stations for large
//! venue counts, and residential hubs), shifts per venue, day, band and role,
//! and volunteers with skills, languages, availability, commitments,
//! preferences, accreditations and university groups.
//!
//! Shifts require `accreditation:<VENUE>` (volunteers hold 1–3, mostly near
//! home): this keeps eligibility in the low hundreds of shifts per volunteer.
//! Demand follows supply: every (venue, day) cell receives a share of the
//! capacity of the volunteers who can work there, so Σ `min` ≈
//! `demand_ratio ×` [`capacity`] and no generated shift has an empty
//! eligible pool (shifts nobody could work are never emitted).
//!
//! Deterministic: one `ChaCha8Rng` stream, fixed iteration order, no hash
//! maps in the output path. The same config gives the same bytes.

use crate::problem::Problem;
use crate::scenario::{Link, Rules, Scenario, Shift, Volunteer, Weights, SCENARIO_FORMAT};
use crate::time::{format_time, parse_time, MINUTES_PER_DAY};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// What to generate.
#[derive(Clone, Debug, PartialEq)]
pub struct GeneratorConfig {
    /// Number of volunteers.
    pub volunteers: usize,
    /// Number of venues (sites that host shifts). Up to 48 they are all games
    /// venues; beyond that 40 are games venues and the rest city stations.
    pub venues: usize,
    /// Number of event days.
    pub days: u32,
    /// Seed of the generator (same options and seed give the same scenario).
    pub seed: u64,
    /// Σ shift `min` over volunteer [`capacity`]; above 1 over-subscribes.
    pub demand_ratio: f64,
    /// First event day, `YYYY-MM-DD`.
    pub start_date: String,
    /// Scenario name; a descriptive default when `None`.
    pub name: Option<String>,
    /// Weight of the `extra_load` (fair load) term; 0 keeps the default
    /// weights, and the output bytes, of every preset.
    pub extra_load: f64,
}

impl Default for GeneratorConfig {
    fn default() -> Self {
        GeneratorConfig {
            volunteers: 200,
            venues: 3,
            days: 3,
            seed: 1,
            demand_ratio: 0.9,
            start_date: "2026-02-04".to_string(),
            name: None,
            extra_load: 0.0,
        }
    }
}

/// Named sizes: `(name, volunteers, venues, days)`.
pub const PRESETS: [(&str, usize, usize, u32); 4] = [
    ("small", 200, 3, 3),
    ("medium", 2_000, 10, 7),
    ("games", 20_000, 40, 18),
    ("city", 200_000, 300, 30),
];

impl GeneratorConfig {
    /// The config of a named preset (seed 1, default ratio and date).
    pub fn preset(name: &str) -> Option<GeneratorConfig> {
        PRESETS
            .iter()
            .find(|p| p.0 == name)
            .map(|&(_, volunteers, venues, days)| GeneratorConfig {
                volunteers,
                venues,
                days,
                ..GeneratorConfig::default()
            })
    }

    /// Checks the numbers; [`generate`] assumes a config that passed.
    pub fn check(&self) -> Result<(), String> {
        if !(1..=10_000_000).contains(&self.volunteers) {
            return Err(format!(
                "volunteers must be 1..=10000000, got {}",
                self.volunteers
            ));
        }
        if !(1..=10_000).contains(&self.venues) {
            return Err(format!("venues must be 1..=10000, got {}", self.venues));
        }
        if !(1..=366).contains(&self.days) {
            return Err(format!("days must be 1..=366, got {}", self.days));
        }
        if !(self.demand_ratio.is_finite() && self.demand_ratio > 0.0 && self.demand_ratio <= 10.0)
        {
            return Err(format!(
                "demand ratio must be in (0, 10], got {}",
                self.demand_ratio
            ));
        }
        if !(self.extra_load.is_finite() && self.extra_load >= 0.0) {
            return Err(format!(
                "extra load weight must be a finite number, 0 or more, got {}",
                self.extra_load
            ));
        }
        if start_minute(&self.start_date).is_none() {
            return Err(format!(
                "start date must be YYYY-MM-DD, got '{}'",
                self.start_date
            ));
        }
        Ok(())
    }
}

fn start_minute(date: &str) -> Option<i64> {
    parse_time(&format!("{date}T00:00")).ok()
}

/// Figures about a generated scenario.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GenerationStats {
    /// Sites in all.
    pub sites: usize,
    /// Competition venues.
    pub competition_venues: usize,
    /// City stations.
    pub stations: usize,
    /// Residential hubs where volunteers live.
    pub hubs: usize,
    /// Travel links.
    pub links: usize,
    /// Shifts.
    pub shifts: usize,
    /// Volunteers.
    pub volunteers: usize,
    /// Volunteer groups.
    pub groups: usize,
    /// Σ shift `min`.
    pub min_demand: u64,
    /// Σ over volunteers of their [`capacity`] (computed from the generator's
    /// own model; equal to [`capacity`] of the compiled problem).
    pub capacity: u64,
    /// Eligible (volunteer, shift) pairs, as `Problem::compile` finds them.
    pub eligible_pairs: u64,
    /// Candidate shifts left out because nobody could work them or their
    /// (venue, day) had too little capacity.
    pub dropped_shifts: usize,
}

/// A scenario and its figures.
#[derive(Clone, Debug)]
pub struct Generated {
    /// The scenario.
    pub scenario: Scenario,
    /// Its figures.
    pub stats: GenerationStats,
}

/// Generates a scenario (see the module documentation).
pub fn generate(cfg: &GeneratorConfig) -> Scenario {
    generate_with_stats(cfg).scenario
}

/// The scenario as JSON bytes, pretty or compact, with a final newline: the
/// exact bytes `vroster generate` writes.
pub fn scenario_json(scenario: &Scenario, pretty: bool) -> Vec<u8> {
    let mut bytes = if pretty {
        serde_json::to_vec_pretty(scenario)
    } else {
        serde_json::to_vec(scenario)
    }
    .unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// Most shifts a volunteer can work on the given sorted, distinct days with
/// one shift a day and at most `max_consecutive` consecutive days (greedy
/// earliest-first, which is optimal), capped at `max_shifts`.
pub fn workable_days(days: &[u32], max_consecutive: u32, max_shifts: u32) -> u32 {
    let mut count = 0u32;
    let mut run = 0u32;
    let mut last: Option<u32> = None;
    for &d in days {
        if count >= max_shifts {
            break;
        }
        if last.is_some_and(|l| l + 1 == d) {
            if run >= max_consecutive {
                // Rest on `d`: the run restarts after it.
                run = 0;
                last = None;
                continue;
            }
        } else {
            run = 0;
        }
        run += 1;
        count += 1;
        last = Some(d);
    }
    count
}

/// Volunteer capacity of a compiled problem: Σ over volunteers of
/// [`workable_days`] over the days on which they have an eligible shift no
/// longer than their `max_minutes_per_day`, capped at `max_shifts`.
pub fn capacity(problem: &Problem) -> u64 {
    let mut total = 0u64;
    let mut days: Vec<u32> = Vec::new();
    for v in 0..problem.n_volunteers() {
        let info = &problem.volunteers()[v];
        days.clear();
        for p in problem.vol_pairs(v) {
            let sh = &problem.shifts()[problem.pair_shift()[p] as usize];
            if sh.duration() <= info.max_minutes_per_day {
                days.push(sh.day);
            }
        }
        days.sort_unstable();
        days.dedup();
        total += workable_days(&days, info.max_consecutive_days, info.max_shifts) as u64;
    }
    total
}

// ---------------------------------------------------------------------------
// The generator: phases in the order they draw from the one random stream.

mod candidates;
pub mod changes;
mod demand;
mod model;
mod people;
mod shifts;
mod sites;

/// The event's days: how many, the first minute, their dates and weekends.
struct Calendar {
    n_days: u32,
    /// Minute of midnight of day 0.
    origin: i64,
    /// `YYYY-MM-DD` of days `0..=n_days + 1`.
    day_text: Vec<String>,
    /// Per event day, whether it falls on a Saturday or Sunday.
    weekend: Vec<bool>,
}

impl Calendar {
    fn new(cfg: &GeneratorConfig) -> Calendar {
        let n_days = cfg.days.clamp(1, 366);
        let nd = n_days as i64;
        let origin = start_minute(&cfg.start_date)
            .or_else(|| start_minute("2026-02-04"))
            .unwrap_or(0);
        let origin_day = origin.div_euclid(MINUTES_PER_DAY);
        let day_text = (0..=nd + 1)
            .map(|d| format_time(origin + d * MINUTES_PER_DAY)[..10].to_string())
            .collect();
        // 1970-01-01 was a Thursday: weekday 0 = Monday.
        let weekend = (0..nd)
            .map(|d| (origin_day + d + 3).rem_euclid(7) >= 5)
            .collect();
        Calendar {
            n_days,
            origin,
            day_text,
            weekend,
        }
    }

    fn len(&self) -> usize {
        self.n_days as usize
    }
}

/// Generates a scenario and its figures. The config should pass
/// [`GeneratorConfig::check`]; out-of-range numbers are clamped.
pub fn generate_with_stats(cfg: &GeneratorConfig) -> Generated {
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
    let ratio = if cfg.demand_ratio.is_finite() && cfg.demand_ratio > 0.0 {
        cfg.demand_ratio
    } else {
        0.9
    };
    let cal = Calendar::new(cfg);
    let nd = cal.len();
    let mut map = sites::build(&mut rng, cfg.venues, cfg.volunteers);
    sites::plan_calendars(&mut rng, &mut map.venues, nd);
    let cells = candidates::build(&mut rng, &map.venues, &cal.weekend);
    let people = people::build(&mut rng, &cal, &map, cfg.volunteers);
    let supply = demand::supply(&people.models, &cells, nd);
    let kept = demand::keep(&cells, &supply, ratio);
    let total_capacity = demand::capacity(&people.models, &kept, nd);
    let target = ratio * total_capacity as f64;
    let demand = demand::demand(&cells, &supply, &kept, nd, target);
    let emitted = shifts::emit(&mut rng, &cal, &map.venues, &cells, &kept, &demand);
    let stats = GenerationStats {
        sites: map.sites.len(),
        competition_venues: map.competition_venues,
        stations: map.stations,
        hubs: map.hubs(),
        links: map.links.len(),
        shifts: emitted.shifts.len(),
        volunteers: people.volunteers.len(),
        groups: people.groups,
        min_demand: emitted.min_demand,
        capacity: total_capacity,
        eligible_pairs: emitted.eligible_pairs,
        dropped_shifts: kept.dropped,
    };
    let scenario = assemble(cfg, &cal, map, emitted.shifts, people.volunteers);
    Generated { scenario, stats }
}

/// The scenario from its parts, with default rules and weights (but the
/// configured `extra_load`).
fn assemble(
    cfg: &GeneratorConfig,
    cal: &Calendar,
    map: sites::Map,
    shifts: Vec<Shift>,
    volunteers: Vec<Volunteer>,
) -> Scenario {
    let name = cfg.name.clone().unwrap_or_else(|| {
        format!(
            "Generated games: {} volunteers, {} venues, {} days (seed {})",
            cfg.volunteers,
            map.venues.len(),
            cal.n_days,
            cfg.seed
        )
    });
    let sites = map.sites;
    Scenario {
        format: SCENARIO_FORMAT.to_string(),
        name,
        rules: Rules::default(),
        weights: Weights {
            extra_load: cfg.extra_load,
            ..Weights::default()
        },
        links: map
            .links
            .iter()
            .map(|(&(a, b), &m)| Link {
                from: sites[a].id.clone(),
                to: sites[b].id.clone(),
                minutes: m,
            })
            .collect(),
        sites,
        shifts,
        volunteers,
    }
}

#[cfg(test)]
mod tests {
    use super::model::Kind;
    use super::sites::composition;
    use super::*;

    #[test]
    fn workable_days_respects_runs_and_cap() {
        let all: Vec<u32> = (0..14).collect();
        assert_eq!(workable_days(&all, 6, 99), 12);
        assert_eq!(workable_days(&all, 6, 5), 5);
        assert_eq!(workable_days(&[0, 1, 2, 4, 5, 6], 3, 99), 6);
        assert_eq!(workable_days(&[0, 1, 2, 3], 3, 99), 3);
        assert_eq!(workable_days(&[], 3, 99), 0);
    }

    #[test]
    fn composition_counts() {
        assert_eq!(composition(3).len(), 3);
        assert_eq!(composition(40).len(), 40);
        let city = composition(300);
        assert_eq!(city.iter().filter(|k| **k == Kind::Station).count(), 260);
    }
}
