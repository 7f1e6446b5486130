//! Backends: the LP of [`super::model`] handed to good_lp.

use super::model::{Lp, Sense};
use good_lp::{
    microlp, variable, Expression, ProblemVariables, Solution, SolutionStatus, SolverModel,
    Variable, WithTimeLimit,
};

/// What a backend returns: multipliers per row (may be empty), and the
/// backend's own objective (if trusted).
pub(crate) struct Solved {
    pub y: Vec<f64>,
    /// Objective of an exact (simplex) optimum, `None` if not to be trusted.
    pub exact_objective: Option<f64>,
}

fn vars(lp: &Lp, problem: &mut ProblemVariables) -> Vec<Variable> {
    (0..lp.n_cols())
        .map(|j| problem.add(variable().min(lp.lb[j]).max(lp.ub[j])))
        .collect()
}

fn row_expr(lp: &Lp, vars: &[Variable], i: usize) -> Expression {
    let mut e = Expression::with_capacity(lp.row_start[i + 1] - lp.row_start[i]);
    for (c, a) in lp.row_entries(i) {
        e.add_mul(a, vars[c as usize]);
    }
    e
}

fn objective(lp: &Lp, vars: &[Variable]) -> Expression {
    let mut e = Expression::with_capacity(lp.n_cols());
    for (j, &c) in lp.cost.iter().enumerate() {
        if c != 0.0 {
            e.add_mul(c, vars[j]);
        }
    }
    e
}

fn constraint(e: Expression, sense: Sense, rhs: f64) -> good_lp::Constraint {
    match sense {
        Sense::Ge => e.geq(rhs),
        Sense::Le => e.leq(rhs),
        Sense::Eq => e.eq(rhs),
    }
}

/// Exact primal simplex (microlp): primal values and the optimum.
pub(crate) fn microlp_primal(lp: &Lp, seconds: f64) -> Result<Solved, String> {
    let mut pv = ProblemVariables::new();
    let xs = vars(lp, &mut pv);
    // The time cap guards against simplex stalls (seen on a degenerate tiny
    // LP); a capped solve is not optimal and falls back, never overstating.
    let mut model = pv
        .minimise(objective(lp, &xs))
        .using(microlp)
        .with_time_limit(seconds);
    for i in 0..lp.n_rows() {
        model.add_constraint(constraint(row_expr(lp, &xs, i), lp.sense[i], lp.rhs[i]));
    }
    let sol = model.solve().map_err(|e| e.to_string())?;
    if !matches!(sol.status(), SolutionStatus::Optimal) {
        return Err("microlp stopped before optimality".into());
    }
    let x: Vec<f64> = xs.iter().map(|&v| sol.value(v)).collect();
    let obj = lp.constant + x.iter().zip(&lp.cost).map(|(a, c)| a * c).sum::<f64>();
    Ok(Solved {
        y: Vec::new(),
        exact_objective: Some(obj),
    })
}

/// Interior point (clarabel): primal values and shadow prices in one solve.
/// Its objective is never trusted; the caller certifies `y` instead. Past
/// `time_limit` seconds it gives up (an error: the caller falls back).
pub(crate) fn clarabel(lp: &Lp, time_limit: f64) -> Result<Solved, String> {
    use good_lp::solvers::{DualValues, SolutionWithDual};
    let mut pv = ProblemVariables::new();
    let xs = vars(lp, &mut pv);
    let mut model = pv.minimise(objective(lp, &xs)).using(good_lp::clarabel);
    model.settings().time_limit(time_limit.max(0.01));
    let refs: Vec<_> = (0..lp.n_rows())
        .map(|i| model.add_constraint(constraint(row_expr(lp, &xs, i), lp.sense[i], lp.rhs[i])))
        .collect();
    let mut sol = model.solve().map_err(|e| e.to_string())?;
    let dual = sol.compute_dual();
    let y: Vec<f64> = refs.iter().map(|r| dual.dual(r.clone())).collect();
    Ok(Solved {
        y,
        exact_objective: None,
    })
}

/// HiGHS (opt-in native backend): an exact simplex optimum with duals.
#[cfg(feature = "highs")]
pub(crate) fn highs(lp: &Lp) -> Result<Solved, String> {
    use good_lp::solvers::{DualValues, SolutionWithDual};
    let mut pv = ProblemVariables::new();
    let xs = vars(lp, &mut pv);
    let mut model = pv.minimise(objective(lp, &xs)).using(good_lp::highs);
    let refs: Vec<_> = (0..lp.n_rows())
        .map(|i| model.add_constraint(constraint(row_expr(lp, &xs, i), lp.sense[i], lp.rhs[i])))
        .collect();
    let mut sol = model.solve().map_err(|e| e.to_string())?;
    let dual = sol.compute_dual();
    let y: Vec<f64> = refs.iter().map(|r| dual.dual(r.clone())).collect();
    Ok(Solved {
        y,
        exact_objective: None,
    })
}
