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
use crate::scenario::{
    Link, Prefers, Quota, Rules, Scenario, Shift, Site, Volunteer, Weights, SCENARIO_FORMAT,
};
use crate::time::{format_time, parse_time, MINUTES_PER_DAY};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

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
    pub sites: usize,
    pub competition_venues: usize,
    pub stations: usize,
    pub hubs: usize,
    pub links: usize,
    pub shifts: usize,
    pub volunteers: usize,
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
    pub scenario: Scenario,
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
        let info = &problem.volunteers[v];
        days.clear();
        for p in problem.vol_pairs(v) {
            let sh = &problem.shifts[problem.pair_shift[p] as usize];
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
// Model tables.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Competition,
    Village,
    Media,
    Airport,
    Hotel,
    Station,
    Hub,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Competition => "competition",
            Kind::Village => "village",
            Kind::Media => "media",
            Kind::Airport => "airport",
            Kind::Hotel => "hotel",
            Kind::Station => "station",
            Kind::Hub => "hub",
        }
    }
}

const COMPETITION_NAMES: [(&str, &str); 20] = [
    ("NST", "National Stadium"),
    ("NAC", "National Aquatics Centre"),
    ("NIS", "National Indoor Stadium"),
    ("NSS", "National Speed Skating Oval"),
    ("WKS", "Wukesong Arena"),
    ("CIS", "Capital Indoor Stadium"),
    ("SBA", "Big Air Shougang"),
    ("NTC", "National Tennis Centre"),
    ("NVE", "National Velodrome"),
    ("NHC", "National Hockey Centre"),
    ("NGY", "National Gymnastics Hall"),
    ("NRC", "National Rowing Centre"),
    ("NSH", "National Shooting Range"),
    ("NEQ", "National Equestrian Centre"),
    ("NSC", "National Sliding Centre"),
    ("NAS", "National Alpine Ski Centre"),
    ("GTP", "Genting Snow Park"),
    ("NBC", "National Biathlon Centre"),
    ("NCC", "National Cross-Country Centre"),
    ("NSJ", "National Ski Jumping Centre"),
];

const DISTRICTS: [&str; 16] = [
    "Haidian",
    "Chaoyang",
    "Dongcheng",
    "Xicheng",
    "Fengtai",
    "Shijingshan",
    "Tongzhou",
    "Shunyi",
    "Changping",
    "Daxing",
    "Fangshan",
    "Mentougou",
    "Huairou",
    "Pinggu",
    "Miyun",
    "Yanqing",
];

const UNIVERSITIES: [&str; 16] = [
    "BNU", "THU", "PKU", "RUC", "BFSU", "BLCU", "CUC", "BIT", "BUAA", "BJTU", "USTB", "CUPL",
    "BUPT", "BSU", "CNU", "UIBE",
];

/// Foreign languages that quotas ask for besides English.
const RARE_LANGUAGES: [&str; 6] = ["fr", "ru", "ja", "ko", "de", "es"];

/// Shift bands: (id letter, start minute of day, duration).
const BANDS: [(&str, i64, i64); 5] = [
    ("A", 6 * 60, 480),
    ("B", 13 * 60, 480),
    ("N", 22 * 60, 480),
    ("M", 9 * 60, 240),
    ("E", 17 * 60, 240),
];
const BAND_A: u8 = 0;
const BAND_B: u8 = 1;
const BAND_N: u8 = 2;
const BAND_M: u8 = 3;
const BAND_E: u8 = 4;
const SHORT_MINUTES: i64 = 300;

/// Roles: (name, id code, skill class: 0 none, 1 driving, 2 first_aid).
const ROLES: [(&str, &str, u8); 8] = [
    ("spectator_services", "SS", 0),
    ("event_services", "ES", 0),
    ("language_services", "LS", 0),
    ("results", "RS", 0),
    ("logistics", "LG", 0),
    ("press_ops", "PO", 0),
    ("medical_support", "MD", 2),
    ("transport", "TR", 1),
];
const SS: u8 = 0;
const ES: u8 = 1;
const LS: u8 = 2;
const RS: u8 = 3;
const LG: u8 = 4;
const PO: u8 = 5;
const MD: u8 = 6;
const TR: u8 = 7;
const CLASS_SKILL: [&str; 3] = ["", "driving", "first_aid"];

/// What a venue does on one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DayKind {
    Off,
    Setup,
    Competition,
    Operations,
}

struct VenueModel {
    id: String,
    kind: Kind,
    /// Popularity for preferences and accreditation.
    size: f64,
    days: Vec<DayKind>,
}

struct Candidate {
    venue: u32,
    day: u32,
    band: u8,
    role: u8,
    weight: f64,
}

impl Candidate {
    fn class(&self) -> u8 {
        ROLES[self.role as usize].2
    }
    fn short(&self) -> bool {
        BANDS[self.band as usize].2 <= SHORT_MINUTES
    }
    /// Bit of this shift in a cell mask: class × 2 + short.
    fn bit(&self) -> u8 {
        1 << (self.class() * 2 + self.short() as u8)
    }
}

struct VolModel {
    days: Vec<u32>,
    venues: Vec<u32>,
    /// Cell-mask bits this volunteer can use (skill classes × durations).
    mask: u8,
    max_consecutive: u32,
    max_shifts: u32,
}

#[derive(Clone, Copy)]
enum Pattern {
    Whole,
    FirstHalf,
    SecondHalf,
    Weekends,
    TwoWindows,
}

fn pick_weighted(rng: &mut ChaCha8Rng, weights: &[f64]) -> Option<usize> {
    let total: f64 = weights.iter().sum();
    if total.is_nan() || total <= 0.0 {
        return None;
    }
    let mut x = rng.gen::<f64>() * total;
    for (i, &w) in weights.iter().enumerate() {
        if x < w {
            return Some(i);
        }
        x -= w;
    }
    weights.iter().rposition(|&w| w > 0.0)
}

fn travel_minutes(a: (f64, f64), b: (f64, f64)) -> i64 {
    let d = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
    let m = if d <= 30.0 {
        5.0 + 2.0 * d
    } else {
        15.0 + 0.9 * d
    };
    m.round().max(3.0) as i64
}

fn disc(rng: &mut ChaCha8Rng, centre: (f64, f64), radius: f64) -> (f64, f64) {
    let r = radius * rng.gen::<f64>().sqrt();
    let t = rng.gen::<f64>() * std::f64::consts::TAU;
    (centre.0 + r * t.cos(), centre.1 + r * t.sin())
}

/// Venue kinds for `k` venues, in site order.
fn composition(k: usize) -> Vec<Kind> {
    let games = if k > 48 { 40 } else { k };
    let mut non_comp = Vec::new();
    if games >= 3 {
        non_comp.push(Kind::Village);
    }
    if games >= 4 {
        non_comp.push(Kind::Media);
    }
    if games >= 5 {
        non_comp.push(Kind::Airport);
    }
    if games >= 8 {
        for _ in 0..(games / 10).clamp(1, 4) {
            non_comp.push(Kind::Hotel);
        }
    }
    let mut kinds = vec![Kind::Competition; games - non_comp.len()];
    kinds.extend(non_comp);
    kinds.extend(std::iter::repeat_n(Kind::Station, k - games));
    kinds
}

// ---------------------------------------------------------------------------
// The generator.

/// Generates a scenario and its figures. The config should pass
/// [`GeneratorConfig::check`]; out-of-range numbers are clamped.
pub fn generate_with_stats(cfg: &GeneratorConfig) -> Generated {
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
    let n_days = cfg.days.clamp(1, 366);
    let nd = n_days as usize;
    let ratio = if cfg.demand_ratio.is_finite() && cfg.demand_ratio > 0.0 {
        cfg.demand_ratio
    } else {
        0.9
    };
    let origin = start_minute(&cfg.start_date)
        .or_else(|| start_minute("2026-02-04"))
        .unwrap_or(0);
    let origin_day = origin.div_euclid(MINUTES_PER_DAY);
    let day_text: Vec<String> = (0..=nd as i64 + 1)
        .map(|d| format_time(origin + d * MINUTES_PER_DAY)[..10].to_string())
        .collect();
    // 1970-01-01 was a Thursday: weekday 0 = Monday.
    let weekend: Vec<bool> = (0..nd as i64)
        .map(|d| (origin_day + d + 3).rem_euclid(7) >= 5)
        .collect();

    // --- Sites. -----------------------------------------------------------
    let kinds = composition(cfg.venues.clamp(1, 10_000));
    let nv = kinds.len();
    let n_comp = kinds.iter().filter(|k| **k == Kind::Competition).count();
    let n_stations = kinds.iter().filter(|k| **k == Kind::Station).count();
    let mut venues: Vec<VenueModel> = Vec::with_capacity(nv);
    let mut sites: Vec<Site> = Vec::new();
    let mut pos: Vec<(f64, f64)> = Vec::new();
    let mountain = if n_comp >= 8 { (n_comp / 5).max(2) } else { 0 };
    let second = if n_comp >= 5 {
        (n_comp - mountain) / 4
    } else {
        0
    };
    let main = n_comp - mountain - second;
    let t = rng.gen::<f64>() * std::f64::consts::TAU;
    let mountain_centre = (140.0 * t.cos(), 140.0 * t.sin());
    let t = rng.gen::<f64>() * std::f64::consts::TAU;
    let second_centre = (18.0 * t.cos(), 18.0 * t.sin());
    let station_radius = 6.0 + 1.5 * (n_stations as f64).sqrt();
    let (mut hotels, mut stations) = (0, 0);
    for (i, &kind) in kinds.iter().enumerate() {
        let (id, name, p, size) = match kind {
            Kind::Competition => {
                let (code, name) = COMPETITION_NAMES[i % COMPETITION_NAMES.len()];
                let round = i / COMPETITION_NAMES.len();
                let (id, name) = if round == 0 {
                    (code.to_string(), name.to_string())
                } else {
                    (
                        format!("{code}{}", round + 1),
                        format!("{name} {}", round + 1),
                    )
                };
                let p = if i < main {
                    disc(&mut rng, (0.0, 0.0), 7.0)
                } else if i < main + second {
                    disc(&mut rng, second_centre, 4.0)
                } else {
                    disc(&mut rng, mountain_centre, 6.0)
                };
                let size = if i == 0 { 2.5 } else { rng.gen_range(1.0..2.0) };
                (id, name, p, size)
            }
            Kind::Village => (
                "VIL".into(),
                "Athletes' Village".into(),
                disc(&mut rng, (0.0, 0.0), 2.0),
                2.0,
            ),
            Kind::Media => (
                "MMC".into(),
                "Main Media Centre".into(),
                disc(&mut rng, (0.0, 0.0), 3.0),
                1.5,
            ),
            Kind::Airport => {
                let t = rng.gen::<f64>() * std::f64::consts::TAU;
                (
                    "APT".into(),
                    "Capital Airport".into(),
                    (28.0 * t.cos(), 28.0 * t.sin()),
                    1.2,
                )
            }
            Kind::Hotel => {
                hotels += 1;
                (
                    format!("HT{hotels}"),
                    format!("Games Hotel {hotels}"),
                    disc(&mut rng, (0.0, 0.0), 5.0),
                    0.6,
                )
            }
            Kind::Station | Kind::Hub => {
                stations += 1;
                (
                    format!("ST{stations:03}"),
                    format!("City Station {stations}"),
                    disc(&mut rng, (0.0, 0.0), station_radius),
                    rng.gen_range(0.4..1.0),
                )
            }
        };
        sites.push(Site {
            id: id.clone(),
            name: Some(name),
            kind: Some(kind.as_str().to_string()),
        });
        pos.push(p);
        venues.push(VenueModel {
            id,
            kind,
            size,
            days: Vec::new(),
        });
    }
    // Hubs: districts spread over the city, one near each outer cluster.
    let n_hubs = (nv / 2 + 2).clamp(2, 200).min((cfg.volunteers / 20).max(2));
    let city_radius = station_radius.max(12.0);
    let mut hub_weight = Vec::with_capacity(n_hubs);
    for h in 0..n_hubs {
        let (p, w) = if mountain > 0 && h == n_hubs - 1 {
            (disc(&mut rng, mountain_centre, 5.0), 0.4)
        } else if second > 0 && h == n_hubs - 2 && n_hubs > 2 {
            (disc(&mut rng, second_centre, 3.0), 0.8)
        } else {
            (
                disc(&mut rng, (0.0, 0.0), city_radius),
                rng.gen_range(0.5..1.5),
            )
        };
        let district = DISTRICTS[h % DISTRICTS.len()];
        let round = h / DISTRICTS.len();
        let name = if round == 0 {
            format!("{district} hub")
        } else {
            format!("{district} hub {}", round + 1)
        };
        sites.push(Site {
            id: format!("H{:02}", h + 1),
            name: Some(name),
            kind: Some(Kind::Hub.as_str().to_string()),
        });
        pos.push(p);
        hub_weight.push(w);
    }
    let n_sites = sites.len();

    // --- Links: a spanning tree over venues (each to its nearest earlier
    // venue), each venue to its two nearest, each hub to its three nearest
    // venues. Connected by construction.
    let mut links: BTreeMap<(usize, usize), i64> = BTreeMap::new();
    let dist2 = |a: usize, b: usize| (pos[a].0 - pos[b].0).powi(2) + (pos[a].1 - pos[b].1).powi(2);
    let nearest = |from: usize, among: std::ops::Range<usize>, k: usize| -> Vec<usize> {
        let mut c: Vec<usize> = among.filter(|&j| j != from).collect();
        c.sort_by(|&a, &b| dist2(from, a).total_cmp(&dist2(from, b)).then(a.cmp(&b)));
        c.truncate(k);
        c
    };
    for i in 0..nv {
        let mut to = nearest(i, 0..nv, 2);
        if i > 0 {
            to.extend(nearest(i, 0..i, 1));
        }
        for j in to {
            links.insert((i.min(j), i.max(j)), travel_minutes(pos[i], pos[j]));
        }
    }
    for h in nv..n_sites {
        for j in nearest(h, 0..nv, 3) {
            links.insert((j, h), travel_minutes(pos[h], pos[j]));
        }
    }
    let mut adj: Vec<Vec<(usize, i64)>> = vec![Vec::new(); n_sites];
    for (&(a, b), &m) in &links {
        adj[a].push((b, m));
        adj[b].push((a, m));
    }
    // Hub → venue travel (Dijkstra), and each hub's nearby venues.
    let mut hub_near: Vec<Vec<(u32, f64)>> = Vec::with_capacity(n_hubs);
    for h in 0..n_hubs {
        let mut dist = vec![i64::MAX; n_sites];
        let mut heap = BinaryHeap::new();
        dist[nv + h] = 0;
        heap.push(Reverse((0i64, nv + h)));
        while let Some(Reverse((d, u))) = heap.pop() {
            if d > dist[u] {
                continue;
            }
            for &(w, m) in &adj[u] {
                if d + m < dist[w] {
                    dist[w] = d + m;
                    heap.push(Reverse((d + m, w)));
                }
            }
        }
        let mut c: Vec<usize> = (0..nv).collect();
        c.sort_by_key(|&v| (dist[v], v));
        c.truncate(12);
        hub_near.push(
            c.into_iter()
                .map(|v| (v as u32, venues[v].size * (-(dist[v] as f64) / 30.0).exp()))
                .collect(),
        );
    }

    // --- Venue calendars. --------------------------------------------------
    for v in venues.iter_mut() {
        v.days = if v.kind == Kind::Competition {
            let len = ((nd as f64 * rng.gen_range(0.35..0.85)).round() as usize).clamp(1, nd);
            let start = rng.gen_range(0..=nd - len);
            let mut days = vec![DayKind::Off; nd];
            for d in days
                .iter_mut()
                .skip(start.saturating_sub(2))
                .take(2.min(start))
            {
                *d = DayKind::Setup;
            }
            for d in days.iter_mut().skip(start).take(len) {
                *d = DayKind::Competition;
            }
            if len >= 6 && rng.gen_bool(0.3) {
                days[start + len / 2] = DayKind::Off;
            }
            days
        } else {
            vec![DayKind::Operations; nd]
        };
    }

    // --- Candidate shifts, by (venue, day) cell. ---------------------------
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut cell_first: Vec<usize> = Vec::with_capacity(nv * nd + 1);
    let mut cell_mask: Vec<u8> = vec![0; nv * nd];
    for (vi, v) in venues.iter().enumerate() {
        for d in 0..nd {
            cell_first.push(candidates.len());
            let day_kind = v.days[d];
            let (bands, roles): (Vec<u8>, Vec<(u8, f64)>) = match (v.kind, day_kind) {
                (_, DayKind::Off) => (vec![], vec![]),
                (Kind::Competition, DayKind::Setup) => {
                    (vec![BAND_A, BAND_B], vec![(LG, 2.0), (ES, 1.5), (TR, 0.8)])
                }
                (Kind::Competition, _) => {
                    let mut b = vec![BAND_A, BAND_B];
                    if rng.gen_bool(0.4) {
                        b.push(BAND_E);
                    }
                    (
                        b,
                        vec![
                            (SS, 3.0),
                            (ES, 2.0),
                            (LS, 1.0),
                            (RS, 0.8),
                            (LG, 1.0),
                            (PO, 0.6),
                            (MD, 0.6),
                            (TR, 0.8),
                        ],
                    )
                }
                (Kind::Village, _) => (
                    vec![BAND_A, BAND_B, BAND_N],
                    vec![(LS, 1.5), (MD, 0.8), (LG, 1.5), (TR, 1.2), (ES, 1.5)],
                ),
                (Kind::Media, _) => {
                    let mut b = vec![BAND_A, BAND_B];
                    if rng.gen_bool(0.5) {
                        b.push(BAND_N);
                    }
                    (b, vec![(PO, 2.0), (LS, 1.2), (TR, 0.8), (RS, 1.0)])
                }
                (Kind::Airport, _) => (
                    vec![BAND_A, BAND_B, BAND_N],
                    vec![(TR, 1.5), (LS, 1.5), (LG, 1.0), (ES, 1.0)],
                ),
                (Kind::Hotel, _) => {
                    let mut b = vec![BAND_A, BAND_B];
                    if rng.gen_bool(0.3) {
                        b.push(BAND_N);
                    }
                    (b, vec![(LS, 1.0), (TR, 0.8), (ES, 1.0)])
                }
                (Kind::Station | Kind::Hub, _) => {
                    let mut b = vec![BAND_A, BAND_B];
                    if weekend[d] {
                        b.push(BAND_M);
                    }
                    (b, vec![(SS, 2.0), (LS, 1.0), (MD, 0.5)])
                }
            };
            for &band in &bands {
                let band_factor = match band {
                    BAND_N => 0.4,
                    BAND_M | BAND_E => 0.6,
                    _ => 1.0,
                };
                for &(role, w) in &roles {
                    let c = Candidate {
                        venue: vi as u32,
                        day: d as u32,
                        band,
                        role,
                        weight: w * band_factor * rng.gen_range(0.8..1.25),
                    };
                    cell_mask[vi * nd + d] |= c.bit();
                    candidates.push(c);
                }
            }
        }
    }
    cell_first.push(candidates.len());

    // --- Groups: about half the volunteers in university groups of 10–40. --
    struct Group {
        id: String,
        hub: usize,
        pattern: Pattern,
        venue: Option<u32>,
    }
    let pick_pattern = |rng: &mut ChaCha8Rng| {
        let x = rng.gen::<f64>();
        if x < 0.4 {
            Pattern::Whole
        } else if x < 0.6 {
            Pattern::FirstHalf
        } else if x < 0.8 {
            Pattern::SecondHalf
        } else if x < 0.9 {
            Pattern::Weekends
        } else {
            Pattern::TwoWindows
        }
    };
    let windows_of = |rng: &mut ChaCha8Rng, p: Pattern| -> Vec<(u32, u32)> {
        let last = n_days - 1;
        let half = n_days / 2;
        let w = match p {
            Pattern::Whole => vec![(0, last)],
            Pattern::FirstHalf => vec![(0, half.max(1).min(last))],
            Pattern::SecondHalf => vec![(half.min(last), last)],
            Pattern::Weekends => {
                let mut out: Vec<(u32, u32)> = Vec::new();
                for d in 0..n_days {
                    if weekend[d as usize] {
                        match out.last_mut() {
                            Some(w) if w.1 + 1 == d => w.1 = d,
                            _ => out.push((d, d)),
                        }
                    }
                }
                out
            }
            Pattern::TwoWindows if n_days >= 5 => {
                let a = rng.gen_range(1..n_days - 3);
                let b = rng.gen_range(a + 2..n_days);
                vec![(0, a), (b, last)]
            }
            Pattern::TwoWindows => vec![(0, last)],
        };
        if w.is_empty() {
            vec![(0, last)]
        } else {
            w
        }
    };
    let overlap = |venue: u32, days: &[u32]| -> usize {
        let vd = &venues[venue as usize].days;
        days.iter()
            .filter(|&&d| vd[d as usize] != DayKind::Off)
            .count()
    };
    let mut groups: Vec<Group> = Vec::new();
    let mut uni_count = [0usize; UNIVERSITIES.len()];
    let mut group_of: Vec<Option<u32>> = Vec::with_capacity(cfg.volunteers);
    while group_of.len() < cfg.volunteers {
        if rng.gen_bool(1.0 / 26.0) {
            let size = rng.gen_range(10..=40).min(cfg.volunteers - group_of.len());
            let hub = pick_weighted(&mut rng, &hub_weight).unwrap_or(0);
            let uni = hub % UNIVERSITIES.len();
            uni_count[uni] += 1;
            let pattern = pick_pattern(&mut rng);
            let mut days = Vec::new();
            for (a, b) in windows_of(&mut rng, pattern) {
                days.extend(a..=b);
            }
            let w: Vec<f64> = hub_near[hub]
                .iter()
                .map(|&(v, w)| w * overlap(v, &days) as f64)
                .collect();
            let venue = pick_weighted(&mut rng, &w).map(|i| hub_near[hub][i].0);
            let gi = groups.len() as u32;
            groups.push(Group {
                id: format!("{}-{:02}", UNIVERSITIES[uni], uni_count[uni]),
                hub,
                pattern,
                venue,
            });
            group_of.extend(std::iter::repeat_n(Some(gi), size));
        } else {
            group_of.push(None);
        }
    }

    // --- Volunteers. -------------------------------------------------------
    let width = cfg.volunteers.to_string().len().max(6);
    let mut people: Vec<Volunteer> = Vec::with_capacity(cfg.volunteers);
    let mut models: Vec<VolModel> = Vec::with_capacity(cfg.volunteers);
    for (i, &gid) in group_of.iter().enumerate() {
        let group = gid.map(|g| &groups[g as usize]);
        let hub = match group {
            Some(g) if rng.gen_bool(0.9) => g.hub,
            _ => pick_weighted(&mut rng, &hub_weight).unwrap_or(0),
        };
        let pattern = match group {
            Some(g) if rng.gen_bool(0.8) => g.pattern,
            _ => pick_pattern(&mut rng),
        };
        let windows = windows_of(&mut rng, pattern);
        let mut days: Vec<u32> = Vec::new();
        for &(a, b) in &windows {
            days.extend(a..=b);
        }
        // Skills.
        let driving = rng.gen_bool(0.25);
        let first_aid = rng.gen_bool(0.15);
        let mut skills: Vec<String> = Vec::new();
        if driving {
            skills.push("driving".into());
        }
        if first_aid {
            skills.push("first_aid".into());
        }
        if rng.gen_bool(0.08) {
            skills.push("it_support".into());
        }
        if rng.gen_bool(0.02) {
            skills.push("sign_language".into());
        }
        // Languages.
        let mut languages: BTreeMap<String, i64> = BTreeMap::new();
        let x = rng.gen::<f64>();
        let native = if x < 0.85 {
            "zh"
        } else if x < 0.9 {
            "en"
        } else {
            RARE_LANGUAGES[rng.gen_range(0..RARE_LANGUAGES.len())]
        };
        languages.insert(native.into(), 5);
        if native != "en" && rng.gen_bool(0.85) {
            let y = rng.gen::<f64>();
            let level = if y < 0.35 {
                2
            } else if y < 0.75 {
                3
            } else {
                4
            };
            languages.insert("en".into(), level);
        }
        if rng.gen_bool(0.2) {
            let l = RARE_LANGUAGES[rng.gen_range(0..RARE_LANGUAGES.len())];
            languages.entry(l.into()).or_insert(rng.gen_range(2..=4));
        }
        // Venue preferences and accreditations, near home.
        let near = &hub_near[hub];
        let near_w: Vec<f64> = near
            .iter()
            .map(|&(v, w)| w * overlap(v, &days) as f64)
            .collect();
        let mut pref_venues: Vec<u32> = Vec::new();
        if let Some(v) = group.and_then(|g| g.venue) {
            pref_venues.push(v);
        }
        if rng.gen_bool(0.7) {
            for _ in 0..rng.gen_range(1..=2) {
                if let Some(k) = pick_weighted(&mut rng, &near_w) {
                    if !pref_venues.contains(&near[k].0) {
                        pref_venues.push(near[k].0);
                    }
                }
            }
        }
        let y = rng.gen::<f64>();
        let n_acc = if y < 0.5 {
            1
        } else if y < 0.85 {
            2
        } else {
            3
        };
        let mut acc: Vec<u32> = Vec::with_capacity(3);
        if let Some(v) = group.and_then(|g| g.venue) {
            if rng.gen_bool(0.9) && overlap(v, &days) > 0 {
                acc.push(v);
            }
        }
        let mut tries = 0;
        while acc.len() < n_acc && tries < 8 {
            tries += 1;
            let from_pref = pref_venues
                .iter()
                .copied()
                .find(|v| !acc.contains(v) && overlap(*v, &days) > 0);
            let pick = match from_pref {
                Some(v) if rng.gen_bool(0.75) => Some(v),
                _ => {
                    let w: Vec<f64> = near
                        .iter()
                        .zip(&near_w)
                        .map(|(&(v, _), &w)| if acc.contains(&v) { 0.0 } else { w })
                        .collect();
                    pick_weighted(&mut rng, &w).map(|k| near[k].0)
                }
            };
            match pick {
                Some(v) if !acc.contains(&v) => acc.push(v),
                Some(_) => {}
                None => break,
            }
        }
        if acc.is_empty() {
            // Nothing nearby is open on their days: the nearest venue.
            acc.push(near.first().map_or(0, |n| n.0));
        }
        for &v in &acc {
            skills.push(format!("accreditation:{}", venues[v as usize].id));
        }
        // Role preferences.
        let mut pref_roles: Vec<String> = Vec::new();
        if rng.gen_bool(0.6) {
            for _ in 0..rng.gen_range(1..=2) {
                let role = if driving && rng.gen_bool(0.5) {
                    TR
                } else if first_aid && rng.gen_bool(0.4) {
                    MD
                } else if languages.len() >= 3 && rng.gen_bool(0.4) {
                    LS
                } else {
                    [SS, ES, LS, RS, LG, PO][rng.gen_range(0..6)]
                };
                let name = ROLES[role as usize].0.to_string();
                if !pref_roles.contains(&name) {
                    pref_roles.push(name);
                }
            }
        }
        // Rule overrides and commitments.
        let z = rng.gen::<f64>();
        let (mut max_minutes, mut max_consec, mut min_rest) = (None, None, None);
        if z < 0.01 {
            max_minutes = Some(SHORT_MINUTES);
        } else if z < 0.02 {
            max_consec = Some(4);
        } else if z < 0.025 {
            min_rest = Some(600);
        }
        let consec = max_consec.unwrap_or(Rules::default().max_consecutive_days) as u32;
        let workable = workable_days(&days, consec, u32::MAX).max(1);
        let mut min_shifts = rng.gen_range(4..=10u32).min(workable);
        if max_minutes.is_some() {
            min_shifts = min_shifts.min(2);
        }
        let max_shifts = (min_shifts + rng.gen_range(0..=6)).max(1);
        let mut mask = 1u8 << 1; // class 0, short
        if max_minutes.is_none() {
            mask |= 1;
        }
        for (class, has) in [(1u8, driving), (2u8, first_aid)] {
            if has {
                mask |= (mask & 3) << (class * 2);
            }
        }
        people.push(Volunteer {
            id: format!("V{:0width$}", i + 1),
            home: Some(sites[nv + hub].id.clone()),
            skills,
            languages,
            available: Some(
                windows
                    .iter()
                    .map(|&(a, b)| {
                        (
                            format!("{}T00:00", day_text[a as usize]),
                            format!("{}T06:00", day_text[b as usize + 1]),
                        )
                    })
                    .collect(),
            ),
            min_shifts: Some(min_shifts as i64),
            max_shifts: Some(max_shifts as i64),
            min_rest_minutes: min_rest,
            max_minutes_per_day: max_minutes,
            max_consecutive_days: max_consec,
            prefers: if pref_venues.is_empty() && pref_roles.is_empty() {
                None
            } else {
                Some(Prefers {
                    venues: pref_venues
                        .iter()
                        .map(|&v| venues[v as usize].id.clone())
                        .collect(),
                    roles: pref_roles,
                })
            },
            group: group.map(|g| g.id.clone()),
            ..Volunteer::default()
        });
        models.push(VolModel {
            days,
            venues: acc,
            mask,
            max_consecutive: consec,
            max_shifts,
        });
    }

    // --- Supply per cell: capacity shares and eligible counts per class. ---
    let n_cells = nv * nd;
    let mut cap_share = vec![0.0f64; n_cells];
    let mut pool = vec![[0u32; 3]; n_cells];
    let mut work_days: Vec<u32> = Vec::new();
    let mut cells: Vec<usize> = Vec::new();
    for m in &models {
        work_days.clear();
        cells.clear();
        for &d in &m.days {
            let mut any = false;
            for &v in &m.venues {
                let c = v as usize * nd + d as usize;
                let p = &mut pool[c];
                p[0] += 1;
                p[1] += (m.mask & 0b1100 != 0) as u32;
                p[2] += (m.mask & 0b11_0000 != 0) as u32;
                if cell_mask[c] & m.mask != 0 {
                    cells.push(c);
                    any = true;
                }
            }
            if any {
                work_days.push(d);
            }
        }
        let cap = workable_days(&work_days, m.max_consecutive, m.max_shifts);
        if !cells.is_empty() {
            let share = cap as f64 / cells.len() as f64;
            for &c in &cells {
                cap_share[c] += share;
            }
        }
    }

    // --- Keep, per cell, the heaviest shifts that someone can work, as many
    // as the cell's capacity carries. ---------------------------------------
    let mut kept: Vec<usize> = Vec::new();
    let mut kept_mask = vec![0u8; n_cells];
    let mut dropped = 0usize;
    for c in 0..n_cells {
        let range = cell_first[c]..cell_first[c + 1];
        let mut ok: Vec<usize> = range
            .clone()
            .filter(|&s| pool[c][candidates[s].class() as usize] > 0)
            .collect();
        let room = (2.0 * ratio * cap_share[c]).floor() as usize;
        if ok.len() > room {
            ok.sort_by(|&a, &b| {
                candidates[b]
                    .weight
                    .total_cmp(&candidates[a].weight)
                    .then(a.cmp(&b))
            });
            ok.truncate(room);
            ok.sort_unstable();
        }
        dropped += range.len() - ok.len();
        for &s in &ok {
            kept_mask[c] |= candidates[s].bit();
        }
        kept.extend(ok);
    }

    // --- Final capacity over the kept shifts. ------------------------------
    let mut total_capacity = 0u64;
    for m in &models {
        work_days.clear();
        for &d in &m.days {
            if m.venues
                .iter()
                .any(|&v| kept_mask[v as usize * nd + d as usize] & m.mask != 0)
            {
                work_days.push(d);
            }
        }
        total_capacity += workable_days(&work_days, m.max_consecutive, m.max_shifts) as u64;
    }

    // --- Demand: min ∝ cell capacity × role weight, scaled so that
    // Σ min ≈ ratio × capacity; never more than the eligible pool. ----------
    let mut cell_weight = vec![0.0f64; n_cells];
    for &s in &kept {
        let c = &candidates[s];
        cell_weight[c.venue as usize * nd + c.day as usize] += c.weight;
    }
    let raw: Vec<(f64, u32)> = kept
        .iter()
        .map(|&s| {
            let c = &candidates[s];
            let cell = c.venue as usize * nd + c.day as usize;
            (
                cap_share[cell] * c.weight / cell_weight[cell],
                pool[cell][c.class() as usize],
            )
        })
        .collect();
    let mins_at = |k: f64| -> Vec<u32> {
        raw.iter()
            .map(|&(r, p)| ((k * r).round().max(1.0) as u32).min(p))
            .collect()
    };
    let sum_at = |k: f64| -> u64 { mins_at(k).iter().map(|&m| m as u64).sum() };
    let target = ratio * total_capacity as f64;
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    while (sum_at(hi) as f64) < target && hi < 1e9 {
        hi *= 2.0;
    }
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if (sum_at(mid) as f64) < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let k = if (sum_at(hi) as f64 - target).abs() <= (target - sum_at(lo) as f64).abs() {
        hi
    } else {
        lo
    };
    let mins = mins_at(k);

    // --- Shifts. ------------------------------------------------------------
    let mut order: Vec<usize> = (0..kept.len()).collect();
    order.sort_by_key(|&i| {
        let c = &candidates[kept[i]];
        (c.day, c.venue, c.band, c.role)
    });
    let mut shifts: Vec<Shift> = Vec::with_capacity(kept.len());
    let mut min_demand = 0u64;
    let mut eligible_pairs = 0u64;
    for i in order {
        let c = &candidates[kept[i]];
        let v = &venues[c.venue as usize];
        let min = mins[i] as i64;
        min_demand += min as u64;
        eligible_pairs += raw[i].1 as u64;
        let (band_id, band_start, band_len) = BANDS[c.band as usize];
        let (role_name, role_code, class) = ROLES[c.role as usize];
        let start = origin + c.day as i64 * MINUTES_PER_DAY + band_start;
        let day_kind = v.days[c.day as usize];
        let priority = match (v.kind, day_kind) {
            (_, DayKind::Setup) => 1.0,
            (Kind::Competition, _) if [SS, MD, RS].contains(&c.role) => 3.0,
            (Kind::Competition | Kind::Village | Kind::Media | Kind::Airport, _) => 2.0,
            _ => 1.0,
        };
        let mut requires = vec![format!("accreditation:{}", v.id)];
        if class > 0 {
            requires.push(CLASS_SKILL[class as usize].to_string());
        }
        let lang = |l: &str, n: i64| Quota {
            skill: None,
            language: Some(l.to_string()),
            level: Some(3),
            at_least: n,
        };
        let skill = |s: &str, n: i64| Quota {
            skill: Some(s.to_string()),
            language: None,
            level: None,
            at_least: n,
        };
        let mut quotas = Vec::new();
        match c.role {
            LS => {
                quotas.push(lang("en", (min + 1) / 2));
                if min >= 3 {
                    let n_rare = if matches!(v.kind, Kind::Village | Kind::Airport | Kind::Media) {
                        2
                    } else {
                        1
                    };
                    let first = rng.gen_range(0..RARE_LANGUAGES.len());
                    for j in 0..n_rare {
                        quotas.push(lang(RARE_LANGUAGES[(first + j) % RARE_LANGUAGES.len()], 1));
                    }
                }
            }
            SS if min >= 6 => {
                quotas.push(skill("first_aid", (min / 10).max(1)));
                quotas.push(lang("en", (min + 3) / 4));
            }
            PO if min >= 2 => {
                quotas.push(lang("en", (min + 1) / 2));
                if min >= 4 && rng.gen_bool(0.5) {
                    quotas.push(lang("fr", 1));
                }
            }
            RS if min >= 3 => quotas.push(skill("it_support", 1)),
            MD if min >= 3 && v.kind == Kind::Competition => quotas.push(lang("en", 1)),
            _ => {}
        }
        let mmdd = &day_text[c.day as usize][5..];
        shifts.push(Shift {
            id: format!(
                "{}-{}-{}-{}",
                v.id,
                role_code,
                mmdd.replace('-', ""),
                band_id
            ),
            venue: v.id.clone(),
            role: Some(role_name.to_string()),
            start: format_time(start),
            end: format_time(start + band_len),
            min,
            max: min + (min + 4) / 5,
            priority,
            requires,
            quotas,
        });
    }

    let name = cfg.name.clone().unwrap_or_else(|| {
        format!(
            "Generated games: {} volunteers, {} venues, {} days (seed {})",
            cfg.volunteers, nv, n_days, cfg.seed
        )
    });
    let stats = GenerationStats {
        sites: n_sites,
        competition_venues: n_comp,
        stations: n_stations,
        hubs: n_hubs,
        links: links.len(),
        shifts: shifts.len(),
        volunteers: people.len(),
        groups: groups.len(),
        min_demand,
        capacity: total_capacity,
        eligible_pairs,
        dropped_shifts: dropped,
    };
    let scenario = Scenario {
        format: SCENARIO_FORMAT.to_string(),
        name,
        rules: Rules::default(),
        weights: Weights {
            extra_load: cfg.extra_load,
            ..Weights::default()
        },
        links: links
            .iter()
            .map(|(&(a, b), &m)| Link {
                from: sites[a].id.clone(),
                to: sites[b].id.clone(),
                minutes: m,
            })
            .collect(),
        sites,
        shifts,
        volunteers: people,
    };
    Generated { scenario, stats }
}

#[cfg(test)]
mod tests {
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
