//! `vroster export`: CSV tables, iCalendar files and an HTML report of a roster.

use super::common::{invalid, load_scenario};
use anyhow::Context;
use std::path::PathBuf;
use vroster::export::{self, write_dir, View};

/// Arguments of `vroster export`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file (volunteer-scenario/1).
    pub scenario: PathBuf,
    /// Roster file (volunteer-roster/1); needed for --csv, --ical and --html.
    pub roster: Option<PathBuf>,
    /// Directory for the roster tables (replaced whole).
    #[arg(long, value_name = "DIR")]
    pub csv: Option<PathBuf>,
    /// Directory for one .ics per volunteer (replaced whole).
    #[arg(long, value_name = "DIR")]
    pub ical: Option<PathBuf>,
    /// Self-contained HTML report.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Directory for the scenario in the `import csv` layout (replaced whole).
    #[arg(long, value_name = "DIR")]
    pub scenario_csv: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    if args.csv.is_none()
        && args.ical.is_none()
        && args.html.is_none()
        && args.scenario_csv.is_none()
    {
        anyhow::bail!("nothing to export: give --csv, --ical, --html or --scenario-csv");
    }
    let scenario = load_scenario(&args.scenario, true)?;
    if let Some(dir) = &args.scenario_csv {
        let files = export::csv::scenario_files(&scenario)?;
        write_dir(dir, &files)?;
        eprintln!("{}: {} files", dir.display(), files.len());
    }
    if args.csv.is_none() && args.ical.is_none() && args.html.is_none() {
        return Ok(0);
    }
    let roster_path = args
        .roster
        .as_ref()
        .context("--csv, --ical and --html need a ROSTER")?;
    let roster = match vroster::validate::load_roster(roster_path, &scenario) {
        Ok((roster, _)) => roster,
        Err(d) => return Err(invalid(roster_path, &d)),
    };
    let view = View::new(&scenario, &roster)?;
    // Build everything first, then write: a failure while building writes nothing.
    let csv_files = match &args.csv {
        Some(_) => Some(export::csv::roster_files(&view)?),
        None => None,
    };
    let ical_files = args.ical.as_ref().map(|_| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        export::ical::files(&view, &export::ical::utc_stamp(now))
    });
    let html = match &args.html {
        Some(_) => {
            let explanation = vroster::explain::explain(&scenario, &roster, None)?;
            let check = vroster::check::check_roster(&scenario, &roster).ok();
            Some(export::html::report(&view, &explanation, check.as_ref()))
        }
        None => None,
    };
    if let (Some(dir), Some(files)) = (&args.csv, &csv_files) {
        write_dir(dir, files)?;
        eprintln!("{}: {} files", dir.display(), files.len());
    }
    if let (Some(dir), Some(files)) = (&args.ical, &ical_files) {
        write_dir(dir, files)?;
        eprintln!("{}: {} calendars", dir.display(), files.len());
    }
    if let (Some(path), Some(html)) = (&args.html, &html) {
        vroster::io::write_atomic(path, html.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("{}: report written", path.display());
    }
    Ok(0)
}
