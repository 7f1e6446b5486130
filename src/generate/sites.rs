//! The map: venues in up to three clusters, residential hubs, the travel
//! links between them (connected by construction) and, per hub, its nearby
//! venues; then each venue's calendar.

use super::model::{disc, DayKind, Kind, VenueModel, COMPETITION_NAMES, DISTRICTS};
use crate::scenario::Site;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

/// Sites, links and hubs of a generated scenario.
pub(super) struct Map {
    /// One per venue, in site order (the first `venues.len()` sites).
    pub(super) venues: Vec<VenueModel>,
    /// Venues, then hubs.
    pub(super) sites: Vec<Site>,
    pub(super) competition_venues: usize,
    pub(super) stations: usize,
    /// Travel minutes by (lower site index, higher site index).
    pub(super) links: BTreeMap<(usize, usize), i64>,
    /// How likely a volunteer lives near each hub.
    pub(super) hub_weight: Vec<f64>,
    /// Per hub, its nearest venues by travel time with their appeal.
    pub(super) hub_near: Vec<Vec<(u32, f64)>>,
}

impl Map {
    pub(super) fn hubs(&self) -> usize {
        self.hub_weight.len()
    }
}

/// Where the clusters are: the main cluster around the origin, a second one
/// nearby and a mountain cluster far out.
struct Layout {
    /// Competition venues in the main, second and mountain cluster.
    main: usize,
    second: usize,
    mountain: usize,
    second_centre: (f64, f64),
    mountain_centre: (f64, f64),
    station_radius: f64,
}

impl Layout {
    fn new(rng: &mut ChaCha8Rng, kinds: &[Kind]) -> Layout {
        let n_comp = kinds.iter().filter(|k| **k == Kind::Competition).count();
        let n_stations = kinds.iter().filter(|k| **k == Kind::Station).count();
        let mountain = if n_comp >= 8 { (n_comp / 5).max(2) } else { 0 };
        let second = if n_comp >= 5 {
            (n_comp - mountain) / 4
        } else {
            0
        };
        let t = rng.gen::<f64>() * std::f64::consts::TAU;
        let mountain_centre = (140.0 * t.cos(), 140.0 * t.sin());
        let t = rng.gen::<f64>() * std::f64::consts::TAU;
        let second_centre = (18.0 * t.cos(), 18.0 * t.sin());
        Layout {
            main: n_comp - mountain - second,
            second,
            mountain,
            second_centre,
            mountain_centre,
            station_radius: 6.0 + 1.5 * (n_stations as f64).sqrt(),
        }
    }
}

/// One venue as placed: site id, name, position and popularity.
struct Placed {
    id: String,
    name: String,
    pos: (f64, f64),
    size: f64,
}

/// Builds the map for `venues` venues and `volunteers` volunteers, drawing
/// from `rng` in a fixed order. Venue calendars are left empty.
pub(super) fn build(rng: &mut ChaCha8Rng, venues: usize, volunteers: usize) -> Map {
    let kinds = composition(venues.clamp(1, 10_000));
    let layout = Layout::new(rng, &kinds);
    let mut venues: Vec<VenueModel> = Vec::with_capacity(kinds.len());
    let mut sites: Vec<Site> = Vec::new();
    let mut pos: Vec<(f64, f64)> = Vec::new();
    let mut counts = (0, 0);
    for (i, &kind) in kinds.iter().enumerate() {
        let placed = place_venue(rng, &layout, kind, i, &mut counts);
        sites.push(Site {
            id: placed.id.clone(),
            name: Some(placed.name),
            kind: Some(kind.as_str().to_string()),
        });
        pos.push(placed.pos);
        venues.push(VenueModel {
            id: placed.id,
            kind,
            size: placed.size,
            days: Vec::new(),
        });
    }
    let nv = kinds.len();
    let n_hubs = (nv / 2 + 2).clamp(2, 200).min((volunteers / 20).max(2));
    let hub_weight = place_hubs(rng, &layout, n_hubs, &mut sites, &mut pos);
    let links = link_sites(&pos, nv);
    let hub_near = hub_near_venues(&links, &venues, sites.len(), n_hubs);
    Map {
        competition_venues: kinds.iter().filter(|k| **k == Kind::Competition).count(),
        stations: kinds.iter().filter(|k| **k == Kind::Station).count(),
        venues,
        sites,
        links,
        hub_weight,
        hub_near,
    }
}

/// Venue kinds for `k` venues, in site order.
pub(super) fn composition(k: usize) -> Vec<Kind> {
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

/// Places venue `i` of `kind`; `counts` numbers hotels and stations so far.
fn place_venue(
    rng: &mut ChaCha8Rng,
    layout: &Layout,
    kind: Kind,
    i: usize,
    counts: &mut (usize, usize),
) -> Placed {
    let placed = |id: &str, name: &str, pos, size| Placed {
        id: id.to_string(),
        name: name.to_string(),
        pos,
        size,
    };
    match kind {
        Kind::Competition => place_competition(rng, layout, i),
        Kind::Village => placed("VIL", "Athletes' Village", disc(rng, (0.0, 0.0), 2.0), 2.0),
        Kind::Media => placed("MMC", "Main Media Centre", disc(rng, (0.0, 0.0), 3.0), 1.5),
        Kind::Airport => {
            let t = rng.gen::<f64>() * std::f64::consts::TAU;
            placed(
                "APT",
                "Capital Airport",
                (28.0 * t.cos(), 28.0 * t.sin()),
                1.2,
            )
        }
        Kind::Hotel => {
            counts.0 += 1;
            let n = counts.0;
            placed(
                &format!("HT{n}"),
                &format!("Games Hotel {n}"),
                disc(rng, (0.0, 0.0), 5.0),
                0.6,
            )
        }
        Kind::Station | Kind::Hub => {
            counts.1 += 1;
            let n = counts.1;
            let pos = disc(rng, (0.0, 0.0), layout.station_radius);
            placed(
                &format!("ST{n:03}"),
                &format!("City Station {n}"),
                pos,
                rng.gen_range(0.4..1.0),
            )
        }
    }
}

/// Competition venue `i`: a name from the table (numbered after the first
/// round) and a place in its cluster.
fn place_competition(rng: &mut ChaCha8Rng, layout: &Layout, i: usize) -> Placed {
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
    let pos = if i < layout.main {
        disc(rng, (0.0, 0.0), 7.0)
    } else if i < layout.main + layout.second {
        disc(rng, layout.second_centre, 4.0)
    } else {
        disc(rng, layout.mountain_centre, 6.0)
    };
    let size = if i == 0 { 2.5 } else { rng.gen_range(1.0..2.0) };
    Placed {
        id,
        name,
        pos,
        size,
    }
}

/// Hubs: districts spread over the city, one near each outer cluster.
/// Appends their sites and positions; returns their weights.
fn place_hubs(
    rng: &mut ChaCha8Rng,
    layout: &Layout,
    n_hubs: usize,
    sites: &mut Vec<Site>,
    pos: &mut Vec<(f64, f64)>,
) -> Vec<f64> {
    let city_radius = layout.station_radius.max(12.0);
    let mut hub_weight = Vec::with_capacity(n_hubs);
    for h in 0..n_hubs {
        let (p, w) = if layout.mountain > 0 && h == n_hubs - 1 {
            (disc(rng, layout.mountain_centre, 5.0), 0.4)
        } else if layout.second > 0 && h == n_hubs - 2 && n_hubs > 2 {
            (disc(rng, layout.second_centre, 3.0), 0.8)
        } else {
            (disc(rng, (0.0, 0.0), city_radius), rng.gen_range(0.5..1.5))
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
    hub_weight
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

/// Links: a spanning tree over the `nv` venues (each to its nearest earlier
/// venue), each venue to its two nearest, each hub to its three nearest
/// venues. Connected by construction.
fn link_sites(pos: &[(f64, f64)], nv: usize) -> BTreeMap<(usize, usize), i64> {
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
    for h in nv..pos.len() {
        for j in nearest(h, 0..nv, 3) {
            links.insert((j, h), travel_minutes(pos[h], pos[j]));
        }
    }
    links
}

/// Hub → venue travel (Dijkstra over the links), and each hub's twelve
/// nearest venues weighted by size and closeness.
fn hub_near_venues(
    links: &BTreeMap<(usize, usize), i64>,
    venues: &[VenueModel],
    n_sites: usize,
    n_hubs: usize,
) -> Vec<Vec<(u32, f64)>> {
    let nv = venues.len();
    let mut adj: Vec<Vec<(usize, i64)>> = vec![Vec::new(); n_sites];
    for (&(a, b), &m) in links {
        adj[a].push((b, m));
        adj[b].push((a, m));
    }
    let mut hub_near: Vec<Vec<(u32, f64)>> = Vec::with_capacity(n_hubs);
    for h in 0..n_hubs {
        let dist = travel_from(&adj, nv + h);
        let mut c: Vec<usize> = (0..nv).collect();
        c.sort_by_key(|&v| (dist[v], v));
        c.truncate(12);
        hub_near.push(
            c.into_iter()
                .map(|v| (v as u32, venues[v].size * (-(dist[v] as f64) / 30.0).exp()))
                .collect(),
        );
    }
    hub_near
}

/// Shortest travel minutes from `source` to every site.
fn travel_from(adj: &[Vec<(usize, i64)>], source: usize) -> Vec<i64> {
    let mut dist = vec![i64::MAX; adj.len()];
    let mut heap = BinaryHeap::new();
    dist[source] = 0;
    heap.push(Reverse((0i64, source)));
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
    dist
}

/// Gives each venue its calendar over `nd` days: competition venues set up
/// for two days, compete for 35–85 % of the event (sometimes with a rest
/// day), the others operate every day.
pub(super) fn plan_calendars(rng: &mut ChaCha8Rng, venues: &mut [VenueModel], nd: usize) {
    for v in venues.iter_mut() {
        v.days = if v.kind == Kind::Competition {
            competition_days(rng, nd)
        } else {
            vec![DayKind::Operations; nd]
        };
    }
}

fn competition_days(rng: &mut ChaCha8Rng, nd: usize) -> Vec<DayKind> {
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
}
