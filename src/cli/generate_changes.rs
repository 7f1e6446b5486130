//! `vroster generate-changes`: realistic last-minute changes for a roster.

use super::common::{invalid, load_scenario};
use anyhow::Context;
use std::path::PathBuf;

/// Arguments of `vroster generate-changes`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file.
    pub scenario: PathBuf,
    /// The roster the changes hit.
    pub roster: PathBuf,
    /// The moment of the re-solve (YYYY-MM-DDTHH:MM).
    #[arg(long)]
    pub now: String,
    /// Fraction of working volunteers who drop out (0..1).
    #[arg(long, default_value_t = 0.01)]
    pub dropout_rate: f64,
    /// Random seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Where to write the changes file.
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    if !(0.0..=1.0).contains(&args.dropout_rate) {
        anyhow::bail!("--dropout-rate must be between 0 and 1");
    }
    let scenario = load_scenario(&args.scenario, true)?;
    let (roster, _) = vroster::validate::load_roster(&args.roster, &scenario)
        .map_err(|d| invalid(&args.roster, &d))?;
    let changes = vroster::repair::generate_changes(
        &scenario,
        &roster,
        &args.now,
        args.dropout_rate,
        args.seed,
    )?;
    vroster::io::write_json_atomic(&args.output, &changes)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    eprintln!(
        "{} dropouts, {} cancelled shifts, {} updates, {} new shifts, {} new volunteers",
        changes.dropouts.len(),
        changes.cancelled_shifts.len(),
        changes.shift_updates.len(),
        changes.new_shifts.len(),
        changes.new_volunteers.len()
    );
    Ok(0)
}
