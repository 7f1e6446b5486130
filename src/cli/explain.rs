//! `vroster explain`: why shifts stay below their minimum and quotas unmet.

use super::common::{invalid, load_scenario};
use anyhow::Context;
use std::path::PathBuf;

/// Arguments of `vroster explain`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file (volunteer-scenario/1).
    pub scenario: PathBuf,
    /// Roster file (volunteer-roster/1).
    pub roster: PathBuf,
    /// Explain only this shift.
    #[arg(long, value_name = "ID")]
    pub shift: Option<String>,
    /// Print the explanation as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Exit code 0 (also when something is unfilled: that is what is explained).
pub fn run(args: Args) -> anyhow::Result<u8> {
    let scenario = load_scenario(&args.scenario, true)?;
    let roster = match vroster::validate::load_roster(&args.roster, &scenario) {
        Ok((roster, _)) => roster,
        Err(d) => return Err(invalid(&args.roster, &d)),
    };
    let e = vroster::explain::explain(&scenario, &roster, args.shift.as_deref())
        .with_context(|| format!("cannot explain {}", args.roster.display()))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&e)?);
    } else {
        print!("{}", e.text());
    }
    Ok(0)
}
