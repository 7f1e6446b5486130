//! `vroster standby`: who could step in on one shift right now.

use super::common::{invalid, load_scenario};
use std::path::PathBuf;
use vroster::problem::Problem;

/// Arguments of `vroster standby`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file.
    pub scenario: PathBuf,
    /// Current roster.
    pub roster: PathBuf,
    /// The shift id.
    #[arg(long)]
    pub shift: String,
    /// How many volunteers to list.
    #[arg(short = 'k', long, default_value_t = 10)]
    pub k: usize,
    /// For a re-solved roster: the changes it was made for (with `--prev`).
    #[arg(long, requires = "prev")]
    pub changes: Option<PathBuf>,
    /// For a re-solved roster: the roster before the changes (with `--changes`).
    #[arg(long, requires = "changes")]
    pub prev: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let scenario = load_scenario(&args.scenario, true)?;
    let (roster, p) = match (&args.changes, &args.prev) {
        (Some(changes), Some(prev)) => {
            // The roster belongs to the scenario after the changes.
            let (prev, _) =
                vroster::validate::load_roster(prev, &scenario).map_err(|d| invalid(prev, &d))?;
            let (changes, _) = vroster::validate::load_changes(changes, &scenario)
                .map_err(|d| invalid(changes, &d))?;
            let applied = vroster::repair::apply_changes(&scenario, &prev, &changes)?;
            let roster = vroster::validate::load_roster(&args.roster, &applied.scenario)
                .map_err(|d| invalid(&args.roster, &d))?
                .0;
            (roster, vroster::repair::compile_applied(&applied, None)?)
        }
        _ => {
            let (roster, _) = vroster::validate::load_roster(&args.roster, &scenario)
                .map_err(|d| invalid(&args.roster, &d))?;
            (roster, Problem::compile(&scenario)?)
        }
    };
    let Some(s) = p.shift_ids().iter().position(|x| *x == args.shift) else {
        anyhow::bail!("unknown shift '{}'", args.shift);
    };
    let a = vroster::repair::assignment_of(&p, &roster)?;
    let list = vroster::repair::standby(&p, &a, s, args.k);
    println!(
        "standby for {} ({} on it, min {}, max {}):",
        args.shift,
        a.crew(s).len(),
        p.shifts()[s].min,
        p.shifts()[s].max
    );
    if list.is_empty() {
        println!("  nobody can step in without breaking a rule");
    }
    for (rank, v) in list.iter().enumerate() {
        let q = p.find_pair(*v, s).unwrap_or(0);
        println!(
            "  {:>2}. {:<16} objective {:+.1}, {} shift(s) now",
            rank + 1,
            p.volunteer_ids()[*v],
            a.add_delta(&p, q),
            a.schedule(*v).len()
        );
    }
    Ok(0)
}
