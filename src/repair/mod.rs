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
    /// A changes file or previous roster the re-solve cannot use.
    Input {
        /// Where in the input (JSON path or file).
        path: String,
        /// What is wrong.
        message: String,
    },
    #[error(transparent)]
    /// The scenario after the changes does not compile.
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
    /// The scenario with the changes applied.
    pub scenario: Scenario,
    /// The changes' `now`, in minutes since 1970-01-01 (event-local).
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
    /// Previous assignments that became invalid (dropouts, cancelled shifts, lowered `max`).
    pub forced_removals: usize,
    /// Changes counted by the `change` term (forced removals excluded).
    pub changes: usize,
    /// Volunteers to notify (see [`Notice`]).
    pub volunteers_affected: usize,
    /// Shifts that started before `now`, kept as they were.
    pub frozen_shifts: usize,
    /// Coverage of the previous roster after the changes, before repair.
    pub coverage_before: f64,
    /// Coverage of the repaired roster.
    pub coverage_after: f64,
    /// Minimum demand covered before repair (see `coverage_before`).
    pub min_demand_covered_before: u64,
    /// Minimum demand covered by the repaired roster.
    pub min_demand_covered_after: u64,
}

/// What one volunteer must be told.
#[derive(Clone, Debug, Serialize)]
pub struct Notice {
    /// Volunteer id.
    pub volunteer: String,
    /// Shift ids they no longer work (frozen shifts excluded).
    pub lost: Vec<String>,
    /// Shift ids they now work in addition.
    pub gained: Vec<String>,
}

/// A finished re-solve.
#[derive(Clone, Debug)]
pub struct RepairOutcome {
    /// The repaired roster file.
    pub roster: Roster,
    /// The run summary.
    pub summary: RunSummary,
    /// Re-solve figures.
    pub repair: RepairSummary,
    /// Who must be told what, one notice per affected volunteer.
    pub notices: Vec<Notice>,
    /// The changes applied.
    pub applied: Applied,
}
