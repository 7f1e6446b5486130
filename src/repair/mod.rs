//! Re-solve after last-minute changes (run by the orchestrator in
//! [`crate::pipeline`]): apply the changes, pin the frozen
//! shifts, start from every previous assignment still valid, fill the holes
//! (free volunteers first, then augmenting paths and ejection chains) and
//! anneal briefly with `change × changes` in the objective, so the repair
//! touches as few people as it can.
//!
//! The `change` term is carried by the compiled problem: each previous pair
//! that is kept saves `change`, each new pair costs it, and the constant
//! `change × baseline` makes the sum equal `change × changes` of the format
//! page (see [`Applied::baseline`]).

mod apply;
mod job;
mod outcome;
mod standby;

pub use crate::generate::changes::generate_changes;
pub use apply::apply_changes;
pub use job::{default_repair_iterations, resolve, resolve_observed};
pub use standby::{assignment_of, standby, standby_lists};

use crate::problem::{CompileError, CompileOptions, Problem};
use crate::scenario::{Roster, Scenario};
use crate::summary::RunSummary;
use crate::time::parse_time;
use serde::Serialize;
use thiserror::Error;

/// Why a re-solve cannot start.
#[derive(Debug, Error)]
pub enum RepairError {
    #[error("{path}: {message}")]
    Input { path: String, message: String },
    #[error(transparent)]
    Compile(#[from] CompileError),
}

fn input(path: impl Into<String>, message: impl Into<String>) -> RepairError {
    RepairError::Input {
        path: path.into(),
        message: message.into(),
    }
}

fn time(text: &str, path: impl FnOnce() -> String) -> Result<i64, RepairError> {
    parse_time(text).map_err(|e| input(path(), e.to_string()))
}

/// The changes applied: the new scenario and what the re-solve pins, keeps
/// and counts.
#[derive(Clone, Debug)]
pub struct Applied {
    pub scenario: Scenario,
    pub now: i64,
    /// Shifts (indices in the new scenario) that started before `now`.
    pub frozen: Vec<usize>,
    /// `(shift, volunteer)` previous pairs on frozen shifts, kept exactly.
    pub pinned: Vec<(usize, usize)>,
    /// Previous pairs on non-frozen shifts that may be kept (dropouts in
    /// their absence and cancelled shifts removed).
    pub remaining: Vec<(usize, usize)>,
    /// Forced removals: dropouts in their absence, cancelled shifts, and the
    /// excess over a lowered `max`.
    pub forced: usize,
    /// Previous pairs of the remaining ones that would count as changes if
    /// none were kept: `Σ_s |R_s| − excess_s`.
    pub baseline: usize,
    /// Previous `(shift id, volunteer id)` pairs removed by force.
    pub forced_pairs: Vec<(String, String)>,
    /// Pins that lapsed (rule 8), as `(shift id, volunteer id)`: on a
    /// cancelled shift, or the volunteer dropped out for the shift. They are
    /// gone from `scenario`, as are exclusions of cancelled shifts.
    pub lapsed_pins: Vec<(String, String)>,
    /// Volunteers of the changes' dropouts, by id.
    pub dropouts: Vec<String>,
}

/// Compiles the scenario after changes as the re-solve sees it: frozen
/// shifts with their pinned crews, previous pairs carrying the change term.
pub fn compile_applied(
    applied: &Applied,
    max_pairs: Option<usize>,
) -> Result<Problem, RepairError> {
    let options = CompileOptions {
        frozen_shifts: applied.frozen.clone(),
        pinned_pairs: applied.pinned.clone(),
        previous_pairs: applied.remaining.clone(),
        repair: true,
        change_baseline: applied.baseline,
        max_pairs,
    };
    Ok(Problem::compile_with(&applied.scenario, &options)?)
}

/// Figures of a re-solve beyond the ordinary run summary.
#[derive(Clone, Debug, Serialize)]
pub struct RepairSummary {
    pub forced_removals: usize,
    pub changes: usize,
    pub volunteers_affected: usize,
    pub frozen_shifts: usize,
    pub coverage_before: f64,
    pub coverage_after: f64,
    pub min_demand_covered_before: u64,
    pub min_demand_covered_after: u64,
}

/// What one volunteer must be told.
#[derive(Clone, Debug, Serialize)]
pub struct Notice {
    pub volunteer: String,
    pub lost: Vec<String>,
    pub gained: Vec<String>,
}

/// A finished re-solve.
#[derive(Clone, Debug)]
pub struct RepairOutcome {
    pub roster: Roster,
    pub summary: RunSummary,
    pub repair: RepairSummary,
    pub notices: Vec<Notice>,
    pub applied: Applied,
}
