//! Travel times for the checker: shortest paths over the undirected links,
//! 0 from a site to itself, 0 everywhere when there are no links at all,
//! `None` (infinite) between sites that no path joins.

use crate::scenario::Scenario;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// Shortest travel times from the sites that host shifts.
pub struct Travel {
    index: HashMap<String, usize>,
    no_links: bool,
    /// Rows for source sites: `rows[&source][site]`.
    rows: HashMap<usize, Vec<Option<u64>>>,
}

impl Travel {
    /// Computes rows from every venue (site with a shift) by Dijkstra.
    pub fn new(scenario: &Scenario, extra_venues: &[&str]) -> Travel {
        let index: HashMap<String, usize> = scenario
            .sites
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i))
            .collect();
        let n = scenario.sites.len();
        let mut adj: Vec<Vec<(usize, u64)>> = vec![Vec::new(); n];
        for l in &scenario.links {
            if let (Some(&a), Some(&b)) = (index.get(&l.from), index.get(&l.to)) {
                let m = l.minutes.max(0) as u64;
                adj[a].push((b, m));
                adj[b].push((a, m));
            }
        }
        let mut rows = HashMap::new();
        let no_links = scenario.links.is_empty();
        if !no_links {
            let venues = scenario
                .shifts
                .iter()
                .map(|s| s.venue.as_str())
                .chain(extra_venues.iter().copied());
            for v in venues {
                if let Some(&src) = index.get(v) {
                    rows.entry(src).or_insert_with(|| dijkstra(&adj, src));
                }
            }
        }
        Travel {
            index,
            no_links,
            rows,
        }
    }

    /// Minutes between a venue and any site; `None` when unreachable or unknown.
    pub fn between(&self, venue: &str, site: &str) -> Option<u64> {
        if venue == site {
            return Some(0);
        }
        if self.no_links {
            return Some(0);
        }
        let a = *self.index.get(venue)?;
        let b = *self.index.get(site)?;
        self.rows.get(&a).and_then(|row| row[b])
    }
}

fn dijkstra(adj: &[Vec<(usize, u64)>], src: usize) -> Vec<Option<u64>> {
    let mut dist: Vec<Option<u64>> = vec![None; adj.len()];
    let mut heap = BinaryHeap::new();
    dist[src] = Some(0);
    heap.push(Reverse((0u64, src)));
    while let Some(Reverse((d, u))) = heap.pop() {
        if dist[u].is_some_and(|x| x < d) {
            continue;
        }
        for &(w, m) in &adj[u] {
            let nd = d + m;
            if dist[w].is_none_or(|x| nd < x) {
                dist[w] = Some(nd);
                heap.push(Reverse((nd, w)));
            }
        }
    }
    dist
}
