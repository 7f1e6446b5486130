//! Minimum-cost circulation by cost scaling: Goldberg's ε-scaling
//! push-relabel ("An efficient implementation of a scaling minimum-cost
//! flow algorithm", 1997), on dense integer indices.
//!
//! Arcs are stored once (cost, capacity, flow); residual arc `2k` is arc
//! `k` forward, `2k + 1` its reverse. Costs are multiplied by `mult`; the
//! last refinement runs at ε = 1, so the flow is `1/mult`-optimal per arc
//! and exactly optimal when `mult > n` (Goldberg's Theorem).

use std::collections::VecDeque;

/// Costs are divided by this between two refinements.
const ALPHA: i64 = 16;
/// Pushes and relabels between two polls of the stop flag.
const STOP_POLL: u64 = 1 << 16;

/// A network of arcs with integer capacities and costs; its flow is a
/// circulation once [`Network::solve`] has returned `true`.
pub struct Network {
    n: usize,
    /// Per residual arc: its head (the tail of `e` is `head[e ^ 1]`).
    head: Vec<u32>,
    cost: Vec<i32>,
    cap: Vec<i32>,
    flow: Vec<i32>,
    /// Node prices of the last [`Network::solve`] (in cost units × the
    /// multiplier it ran with), and that multiplier.
    price: Vec<i64>,
    mult: i64,
}

impl Network {
    /// An empty network on nodes `0..n`.
    pub fn new(n: usize) -> Self {
        Network {
            n,
            head: Vec::new(),
            cost: Vec::new(),
            cap: Vec::new(),
            flow: Vec::new(),
            price: Vec::new(),
            mult: 1,
        }
    }

    /// Reserves room for `arcs` more arcs.
    pub fn reserve(&mut self, arcs: usize) {
        self.head.reserve(2 * arcs);
        self.cost.reserve(arcs);
        self.cap.reserve(arcs);
        self.flow.reserve(arcs);
    }

    /// Adds arc `from → to` with capacity `cap ≥ 0` and `cost`; returns its index.
    pub fn add_arc(&mut self, from: usize, to: usize, cap: i32, cost: i32) -> usize {
        debug_assert!(from < self.n && to < self.n && cap >= 0);
        self.head.push(to as u32);
        self.head.push(from as u32);
        self.cost.push(cost);
        self.cap.push(cap.max(0));
        self.flow.push(0);
        self.cost.len() - 1
    }

    pub fn n_nodes(&self) -> usize {
        self.n
    }

    pub fn n_arcs(&self) -> usize {
        self.cost.len()
    }

    /// Flow on arc `k`.
    pub fn flow(&self, k: usize) -> i32 {
        self.flow[k]
    }

    /// Σ cost × flow.
    pub fn total_cost(&self) -> i64 {
        self.cost
            .iter()
            .zip(&self.flow)
            .map(|(&c, &f)| i64::from(c) * i64::from(f))
            .sum()
    }

    /// Finds a minimum-cost circulation with costs scaled by `mult` (at
    /// least 1; above the node count the result is exactly optimal).
    /// Returns `false` when `stop` cut it short: the flow then respects
    /// capacities but not necessarily conservation.
    pub fn solve(&mut self, mult: i64, stop: &dyn Fn() -> bool) -> bool {
        let mut s = Scaling::new(self, mult.max(1));
        let done = s.run(stop);
        let price = std::mem::take(&mut s.price);
        self.price = price;
        self.mult = mult.max(1);
        done
    }

    /// Node `v`'s potential after [`Network::solve`], in cost units: every
    /// residual arc `u → w` then has `cost + potential(u) − potential(w)`
    /// at least −1 / multiplier (ε-optimality), so potentials are the
    /// optimal dual values to within that. 0 before any solve.
    pub fn potential(&self, v: usize) -> f64 {
        self.price
            .get(v)
            .map_or(0.0, |&x| x as f64 / self.mult as f64)
    }
}

/// The state of one cost-scaling run.
struct Scaling<'a> {
    net: &'a mut Network,
    mult: i64,
    /// Residual arcs grouped by tail: `adj[first[v]..first[v + 1]]`.
    first: Vec<usize>,
    adj: Vec<u32>,
    price: Vec<i64>,
    excess: Vec<i64>,
    current: Vec<usize>,
    queue: VecDeque<u32>,
    ops: u64,
    rank: Vec<u64>,
    scanned: Vec<bool>,
    relabels: u64,
}

impl<'a> Scaling<'a> {
    fn new(net: &'a mut Network, mult: i64) -> Self {
        let n = net.n;
        let mut first = vec![0usize; n + 1];
        for e in 0..net.head.len() {
            first[net.head[e ^ 1] as usize + 1] += 1;
        }
        for v in 0..n {
            first[v + 1] += first[v];
        }
        let mut fill = first.clone();
        let mut adj = vec![0u32; net.head.len()];
        for e in 0..net.head.len() {
            let t = net.head[e ^ 1] as usize;
            adj[fill[t]] = e as u32;
            fill[t] += 1;
        }
        Scaling {
            net,
            mult,
            current: first.clone(),
            first,
            adj,
            price: vec![0; n],
            excess: vec![0; n],
            queue: VecDeque::new(),
            ops: 0,
            rank: Vec::new(),
            scanned: Vec::new(),
            relabels: 0,
        }
    }

    /// Scaled cost of residual arc `e`.
    #[inline]
    fn arc_cost(&self, e: usize) -> i64 {
        let c = i64::from(self.net.cost[e >> 1]) * self.mult;
        if e & 1 == 0 {
            c
        } else {
            -c
        }
    }

    /// Residual capacity of residual arc `e`.
    #[inline]
    fn residual(&self, e: usize) -> i32 {
        let k = e >> 1;
        if e & 1 == 0 {
            self.net.cap[k] - self.net.flow[k]
        } else {
            self.net.flow[k]
        }
    }

    #[inline]
    fn push(&mut self, e: usize, d: i32) {
        let k = e >> 1;
        if e & 1 == 0 {
            self.net.flow[k] += d;
        } else {
            self.net.flow[k] -= d;
        }
        let (t, h) = (self.net.head[e ^ 1] as usize, self.net.head[e] as usize);
        self.excess[t] -= i64::from(d);
        let before = self.excess[h];
        self.excess[h] += i64::from(d);
        if before <= 0 && self.excess[h] > 0 {
            self.queue.push_back(h as u32);
        }
    }

    fn run(&mut self, stop: &dyn Fn() -> bool) -> bool {
        let max_cost = self
            .net
            .cost
            .iter()
            .map(|&c| i64::from(c).abs())
            .max()
            .unwrap_or(0);
        if max_cost == 0 {
            return true;
        }
        let mut eps = max_cost * self.mult;
        loop {
            eps = (eps / ALPHA).max(1);
            if !self.refine(eps, stop) {
                return false;
            }
            if eps == 1 {
                return true;
            }
        }
    }

    /// Turns an ε·α-optimal circulation into an ε-optimal one.
    fn refine(&mut self, eps: i64, stop: &dyn Fn() -> bool) -> bool {
        self.saturate_negative_arcs();
        self.price_update(eps);
        let mut since_update = 0u64;
        let every = (self.net.n as u64 / 2).max(64);
        while let Some(v) = self.queue.pop_front() {
            let before = self.relabels;
            self.discharge(v as usize, eps);
            since_update += self.relabels - before;
            if since_update >= every {
                since_update = 0;
                self.price_update(eps);
            }
            if self.ops >= STOP_POLL {
                self.ops = 0;
                if stop() {
                    self.queue.clear();
                    return false;
                }
            }
        }
        true
    }

    /// Saturates every residual arc of negative reduced cost and queues
    /// the nodes left with excess.
    fn saturate_negative_arcs(&mut self) {
        let m = self.net.cost.len();
        for k in 0..m {
            let (t, h) = (
                self.net.head[2 * k + 1] as usize,
                self.net.head[2 * k] as usize,
            );
            let rc = self.arc_cost(2 * k) + self.price[t] - self.price[h];
            let d = if rc < 0 {
                self.net.cap[k] - self.net.flow[k]
            } else if rc > 0 {
                -self.net.flow[k]
            } else {
                0
            };
            if d != 0 {
                self.net.flow[k] += d;
                self.excess[t] -= i64::from(d);
                self.excess[h] += i64::from(d);
            }
        }
        self.queue.clear();
        for v in 0..self.net.n {
            if self.excess[v] > 0 {
                self.queue.push_back(v as u32);
            }
        }
    }

    /// Goldberg's price update: lowers every price by ε times the node's
    /// distance to the nearest deficit, arcs of reduced cost `c` counting
    /// `⌊c/ε⌋ + 1` (Dijkstra from the deficits, stopped once every node with
    /// excess is reached; the others move by the last distance). Keeps
    /// ε-optimality and gives every excess an admissible path.
    fn price_update(&mut self, eps: i64) {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        let n = self.net.n;
        let mut waiting = (0..n).filter(|&v| self.excess[v] > 0).count();
        if waiting == 0 {
            return;
        }
        self.rank.clear();
        self.rank.resize(n, u64::MAX);
        self.scanned.clear();
        self.scanned.resize(n, false);
        let mut heap: BinaryHeap<Reverse<(u64, u32)>> = BinaryHeap::new();
        for v in 0..n {
            if self.excess[v] < 0 {
                self.rank[v] = 0;
                heap.push(Reverse((0, v as u32)));
            }
        }
        let mut level = 0u64;
        while let Some(Reverse((d, w))) = heap.pop() {
            let w = w as usize;
            if self.scanned[w] || d > self.rank[w] {
                continue;
            }
            self.scanned[w] = true;
            level = d;
            if self.excess[w] > 0 {
                waiting -= 1;
                if waiting == 0 {
                    break;
                }
            }
            let pw = self.price[w];
            for i in self.first[w]..self.first[w + 1] {
                let e = self.adj[i] as usize;
                let back = e ^ 1;
                let v = self.net.head[e] as usize;
                if self.scanned[v] || self.residual(back) <= 0 {
                    continue;
                }
                let rc = self.arc_cost(back) + self.price[v] - pw;
                let len = ((rc + eps).max(0) / eps) as u64;
                let nd = d + len;
                if nd < self.rank[v] {
                    self.rank[v] = nd;
                    heap.push(Reverse((nd, v as u32)));
                }
            }
        }
        for v in 0..n {
            let d = if self.scanned[v] { self.rank[v] } else { level };
            self.price[v] -= eps * d as i64;
        }
        self.current.copy_from_slice(&self.first[..n + 1]);
    }

    /// Pushes `v`'s excess along admissible arcs, relabelling when none is left.
    fn discharge(&mut self, v: usize, eps: i64) {
        while self.excess[v] > 0 {
            let end = self.first[v + 1];
            let mut i = self.current[v];
            let pv = self.price[v];
            while i < end {
                let e = self.adj[i] as usize;
                let r = self.residual(e);
                if r > 0 {
                    let w = self.net.head[e] as usize;
                    if self.arc_cost(e) + pv - self.price[w] < 0 {
                        let d = (self.excess[v].min(i64::from(r))) as i32;
                        self.push(e, d);
                        self.ops += 1;
                        if self.excess[v] == 0 {
                            break;
                        }
                    }
                }
                i += 1;
            }
            self.current[v] = i;
            if self.excess[v] > 0 {
                self.relabel(v, eps);
            }
        }
    }

    /// Lowers `v`'s price so that its best residual arc has reduced cost −ε.
    fn relabel(&mut self, v: usize, eps: i64) {
        let mut best = i64::MIN;
        for i in self.first[v]..self.first[v + 1] {
            let e = self.adj[i] as usize;
            if self.residual(e) > 0 {
                let w = self.net.head[e] as usize;
                best = best.max(self.price[w] - self.arc_cost(e));
            }
        }
        // A node with excess always has a residual arc (flow entered it).
        debug_assert!(best > i64::MIN);
        self.price[v] = if best == i64::MIN {
            self.price[v] - eps
        } else {
            best - eps
        };
        self.current[v] = self.first[v];
        self.ops += 1;
        self.relabels += 1;
    }
}
