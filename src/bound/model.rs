//! The relaxation as a plain sparse LP (our own representation, so that the
//! bound can be certified by weak duality independently of the backend).
//!
//! `min c·x + constant` subject to rows `a·x (≥ | ≤ | =) b` and
//! `lb ≤ x ≤ ub` (every variable bounded).

use super::coarsen::Pool;
use crate::problem::Problem;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sense {
    Ge,
    Le,
    Eq,
}

#[derive(Default, Debug)]
pub(crate) struct Lp {
    pub cost: Vec<f64>,
    pub lb: Vec<f64>,
    pub ub: Vec<f64>,
    pub row_start: Vec<usize>,
    pub row_col: Vec<u32>,
    pub row_val: Vec<f64>,
    pub sense: Vec<Sense>,
    pub rhs: Vec<f64>,
    pub constant: f64,
    /// Row of each shift's cover equation (`usize::MAX` when the shift has no column).
    pub shift_row: Vec<usize>,
    /// Columns (x only) of each shift, for the LP headcount.
    pub shift_cols: Vec<Vec<u32>>,
    /// Number of `x` columns (pool columns); the rest are slacks.
    pub n_x: usize,
}

impl Lp {
    fn col(&mut self, cost: f64, lb: f64, ub: f64) -> u32 {
        self.cost.push(cost);
        self.lb.push(lb);
        self.ub.push(ub);
        (self.cost.len() - 1) as u32
    }
    fn row(&mut self, entries: impl IntoIterator<Item = (u32, f64)>, sense: Sense, rhs: f64) {
        if self.row_start.is_empty() {
            self.row_start.push(0);
        }
        for (c, v) in entries {
            self.row_col.push(c);
            self.row_val.push(v);
        }
        self.row_start.push(self.row_col.len());
        self.sense.push(sense);
        self.rhs.push(rhs);
    }
    pub fn n_rows(&self) -> usize {
        self.sense.len()
    }
    pub fn n_cols(&self) -> usize {
        self.cost.len()
    }
    pub fn row_entries(&self, i: usize) -> impl Iterator<Item = (u32, f64)> + '_ {
        let r = self.row_start[i]..self.row_start[i + 1];
        self.row_col[r.clone()]
            .iter()
            .copied()
            .zip(self.row_val[r].iter().copied())
    }

    /// Weak-duality certificate: for any multipliers `y` (projected onto the
    /// sign each row needs: `≥` rows `y ≥ 0`, `≤` rows `y ≤ 0`, `=` free),
    /// `L(y) = constant + b·y + Σ_j min(r_j lb_j, r_j ub_j)` with reduced
    /// costs `r = c − Aᵀy` is ≤ `c·x + constant` for every feasible `x`,
    /// because `(b − A x)·y ≤ 0` row by row. Valid whatever the solver's
    /// accuracy, so it certifies interior-point and dual-simplex output.
    pub fn lagrangian(&self, y: &[f64]) -> f64 {
        let mut r = self.cost.clone();
        let mut value = self.constant;
        for i in 0..self.n_rows() {
            let yi = match self.sense[i] {
                Sense::Ge => y[i].max(0.0),
                Sense::Le => y[i].min(0.0),
                Sense::Eq => y[i],
            };
            if yi == 0.0 || !yi.is_finite() {
                continue;
            }
            value += self.rhs[i] * yi;
            for (c, a) in self.row_entries(i) {
                r[c as usize] -= a * yi;
            }
        }
        for j in 0..self.n_cols() {
            value += (r[j] * self.lb[j]).min(r[j] * self.ub[j]);
        }
        value
    }
}

/// Builds the relaxation for the given pools.
pub(crate) fn build(problem: &Problem, pools: &[Pool]) -> Lp {
    let n_shifts = problem.n_shifts();
    let mut lp = Lp {
        constant: problem.constant_cost(),
        shift_row: vec![usize::MAX; n_shifts],
        shift_cols: vec![Vec::new(); n_shifts],
        ..Lp::default()
    };
    let pool_first = add_x_columns(&mut lp, pools);
    // Mask of each x column (for quotas).
    let masks: Vec<u32> = pools
        .iter()
        .flat_map(|p| p.cols.iter().map(|c| c.mask))
        .collect();
    add_cover_rows(problem, &mut lp);
    add_quota_rows(problem, &mut lp, &masks);
    for (k, pool) in pools.iter().enumerate() {
        if !pool.cols.is_empty() {
            add_pool_rows(problem, &mut lp, pool, pool_first[k]);
        }
    }
    lp
}

/// The `x` columns, pool by pool; returns each pool's first column (and
/// the end).
fn add_x_columns(lp: &mut Lp, pools: &[Pool]) -> Vec<usize> {
    let mut pool_first = Vec::with_capacity(pools.len() + 1);
    for pool in pools {
        pool_first.push(lp.n_cols());
        for col in &pool.cols {
            let n = col.count as f64;
            let j = lp.col(col.cost, if col.pinned { n } else { 0.0 }, n);
            lp.shift_cols[col.shift as usize].push(j);
        }
    }
    pool_first.push(lp.n_cols());
    lp.n_x = lp.n_cols();
    pool_first
}

/// Shift cover: Σ x − h1 − h2 = 0, h1 ∈ [0, min] costs −uncovered·priority
/// (with the constant uncovered·priority·min), h2 ∈ [0, max − min] is free:
/// together exactly `uncovered·priority·max(0, min − Σx)` and `Σx ≤ max`.
/// Frozen shifts are exempt from `max` (rule 3): h2 gets room for every pin.
fn add_cover_rows(problem: &Problem, lp: &mut Lp) {
    for s in 0..problem.n_shifts() {
        let sh = &problem.shifts()[s];
        let unit = problem.weights().uncovered * sh.priority;
        lp.constant += unit * sh.min as f64;
        if lp.shift_cols[s].is_empty() {
            continue;
        }
        let total: f64 = lp.shift_cols[s].iter().map(|&j| lp.ub[j as usize]).sum();
        let h1 = lp.col(-unit, 0.0, sh.min as f64);
        let room = if sh.frozen {
            total.max((sh.max - sh.min) as f64)
        } else {
            (sh.max - sh.min) as f64
        };
        let h2 = lp.col(0.0, 0.0, room);
        let entries: Vec<(u32, f64)> = lp.shift_cols[s]
            .iter()
            .map(|&j| (j, 1.0))
            .chain([(h1, -1.0), (h2, -1.0)])
            .collect();
        lp.shift_row[s] = lp.n_rows();
        lp.row(entries, Sense::Eq, 0.0);
    }
}

/// Quotas: Σ qualifying x − g ≥ 0, g ∈ [0, at_least] costs −unit (constant
/// unit·at_least): exactly `unit·max(0, at_least − qualifying)`. `masks`
/// holds each `x` column's quota bits.
fn add_quota_rows(problem: &Problem, lp: &mut Lp, masks: &[u32]) {
    for (qi, q) in problem.quotas().iter().enumerate() {
        let s = q.shift as usize;
        let bit = 1u32 << (qi - problem.shifts()[s].quota_start as usize);
        lp.constant += q.unit_cost * q.at_least as f64;
        let qual: Vec<(u32, f64)> = lp.shift_cols[s]
            .iter()
            .filter(|&&j| masks[j as usize] & bit != 0)
            .map(|&j| (j, 1.0))
            .collect();
        if qual.is_empty() || q.at_least == 0 {
            continue;
        }
        let g = lp.col(-q.unit_cost, 0.0, q.at_least as f64);
        lp.row(qual.into_iter().chain([(g, -1.0)]), Sense::Ge, 0.0);
    }
}

/// The rows of one pool whose columns start at `first`: spacing cliques,
/// day minutes, and the shift-count rows.
fn add_pool_rows(problem: &Problem, lp: &mut Lp, pool: &Pool, first: usize) {
    add_cliques(problem, lp, pool, first);
    add_day_rows(problem, lp, pool, first);
    add_count_rows(problem, lp, pool, first);
}

/// Day minutes: per day, Σ duration · x ≤ the pool's minutes that day
/// (only where the columns could exceed it). Columns are sorted by day.
fn add_day_rows(problem: &Problem, lp: &mut Lp, pool: &Pool, first: usize) {
    let cols = &pool.cols;
    let mut i = 0;
    while i < cols.len() {
        let day = problem.shifts()[cols[i].shift as usize].day;
        let mut e = i;
        while e < cols.len() && problem.shifts()[cols[e].shift as usize].day == day {
            e += 1;
        }
        let cap = pool
            .day_caps
            .binary_search_by_key(&day, |&(d, _)| d)
            .map(|at| pool.day_caps[at].1)
            .unwrap_or(0.0);
        let entries: Vec<(u32, f64)> = (i..e)
            .map(|c| {
                let sh = &problem.shifts()[cols[c].shift as usize];
                ((first + c) as u32, sh.duration() as f64)
            })
            .collect();
        let most: f64 = entries.iter().map(|&(j, d)| d * lp.ub[j as usize]).sum();
        if most > cap + 1e-9 {
            lp.row(entries, Sense::Le, cap);
        }
        i = e;
    }
}

/// Max shifts, min shifts (with an under-commitment slack) and volunteers
/// used of one pool.
fn add_count_rows(problem: &Problem, lp: &mut Lp, pool: &Pool, first: usize) {
    let w = problem.weights();
    let members = pool.members as f64;
    let all: Vec<(u32, f64)> = (0..pool.cols.len())
        .map(|c| ((first + c) as u32, 1.0))
        .collect();
    let most: f64 = all.iter().map(|&(j, _)| lp.ub[j as usize]).sum();
    if most > pool.max_shifts_sum + 1e-9 {
        lp.row(all.iter().copied(), Sense::Le, pool.max_shifts_sum);
    }
    // Min shifts: Σ x + z ≥ Σ min_shifts, z costs under_commitment.
    if pool.min_shifts_sum > 0.0 {
        let z = lp.col(w.under_commitment, 0.0, pool.min_shifts_sum);
        lp.row(
            all.iter().copied().chain([(z, 1.0)]),
            Sense::Ge,
            pool.min_shifts_sum,
        );
    }
    // Volunteers used: max_shifts_max · y − Σ x ≥ 0.
    if w.volunteer_used > 0.0 && pool.max_shifts_max > 0 {
        let y = lp.col(w.volunteer_used, 0.0, members);
        lp.row(
            all.iter()
                .map(|&(j, _)| (j, -1.0))
                .chain([(y, pool.max_shifts_max as f64)]),
            Sense::Ge,
            0.0,
        );
    }
}

/// Spacing cliques of one pool: at each distinct shift start `t`, the
/// shifts with `start ≤ t < end + min_rest` pairwise conflict (rule 4), so a
/// member works at most one of them. Only maximal cliques are emitted: the
/// clique at `t` is kept when some of its shifts ends (plus rest) before the
/// next distinct start, otherwise the next clique contains it.
fn add_cliques(problem: &Problem, lp: &mut Lp, pool: &Pool, first: usize) {
    let cols = &pool.cols;
    let rest = pool.min_rest;
    let members = pool.members as f64;
    let mut active: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < cols.len() {
        let t = problem.shifts()[cols[i].shift as usize].start;
        while i < cols.len() && problem.shifts()[cols[i].shift as usize].start == t {
            active.push(i);
            i += 1;
        }
        active.retain(|&c| {
            problem.shifts()[cols[c].shift as usize]
                .end
                .saturating_add(rest)
                > t
        });
        let next = cols
            .get(i)
            .map(|c| problem.shifts()[c.shift as usize].start);
        let maximal = match next {
            None => true,
            Some(nt) => active.iter().any(|&c| {
                problem.shifts()[cols[c].shift as usize]
                    .end
                    .saturating_add(rest)
                    <= nt
            }),
        };
        if !maximal || active.len() < 2 {
            continue;
        }
        let bound_sum: f64 = active.iter().map(|&c| cols[c].count as f64).sum();
        // Several tiers of one shift are one shift: a clique of a single shift
        // is already implied by the column bounds.
        let one_shift = active
            .iter()
            .all(|&c| cols[c].shift == cols[active[0]].shift);
        let cap = members.min(bound_sum);
        if one_shift || bound_sum <= cap {
            continue;
        }
        lp.row(
            active.iter().map(|&c| ((first + c) as u32, 1.0)),
            Sense::Le,
            cap,
        );
    }
}
