//! `vroster export`: CSV tables, iCalendar files, an HTML report, an Excel
//! workbook and the service-hours ledger of a roster.

use super::common::{invalid, load_scenario};
use anyhow::Context;
use std::path::{Path, PathBuf};
use vroster::export::{self, write_dir, View};
use vroster::scenario::{Roster, Scenario};

/// Arguments of `vroster export`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file (volunteer-scenario/1).
    pub scenario: PathBuf,
    /// Roster file (volunteer-roster/1); needed for every export but --scenario-csv.
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
    /// Excel workbook: summary, one sheet per venue, volunteers.
    #[arg(long, value_name = "FILE")]
    pub xlsx: Option<PathBuf>,
    /// Service-hours ledger (CSV, one row per volunteer).
    #[arg(long, value_name = "FILE")]
    pub hours: Option<PathBuf>,
    /// Directory for the scenario in the `import csv` layout (replaced whole).
    #[arg(long, value_name = "DIR")]
    pub scenario_csv: Option<PathBuf>,
    /// Previous roster, for a re-solved ROSTER (with --changes): the exports
    /// then read the scenario with the changes applied.
    #[arg(long, requires = "changes")]
    pub prev: Option<PathBuf>,
    /// Changes file (volunteer-changes/1) the ROSTER was re-solved for.
    #[arg(long, requires = "prev")]
    pub changes: Option<PathBuf>,
}

impl Args {
    fn wants_roster(&self) -> bool {
        self.csv.is_some()
            || self.ical.is_some()
            || self.html.is_some()
            || self.xlsx.is_some()
            || self.hours.is_some()
    }
}

/// The exports built in memory, before anything is written.
#[derive(Default)]
struct Built {
    csv: Option<Vec<export::OutFile>>,
    ical: Option<Vec<export::OutFile>>,
    html: Option<String>,
    xlsx: Option<Vec<u8>>,
    hours: Option<(Vec<u8>, usize, i64)>,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    if !args.wants_roster() && args.scenario_csv.is_none() {
        anyhow::bail!(
            "nothing to export: give --csv, --ical, --html, --xlsx, --hours or --scenario-csv"
        );
    }
    let scenario = load_scenario(&args.scenario, true)?;
    if let Some(dir) = &args.scenario_csv {
        let files = export::csv::scenario_files(&scenario)?;
        write_dir(dir, &files)?;
        eprintln!("{}: {} files", dir.display(), files.len());
    }
    if !args.wants_roster() {
        return Ok(0);
    }
    let roster_path = args
        .roster
        .as_ref()
        .context("--csv, --ical, --html, --xlsx and --hours need a ROSTER")?;
    let (scenario, roster, check) = load_roster(&args, scenario, roster_path)?;
    let view = View::new(&scenario, &roster)?;
    // Build everything first, then write: a failure while building writes nothing.
    let built = build(&args, &view, check.as_ref())?;
    write(&args, built)?;
    Ok(0)
}

/// The scenario the roster belongs to (with the changes applied for a
/// re-solved roster), the roster, and the checker's report (None when the
/// checker could not run).
fn load_roster(
    args: &Args,
    scenario: Scenario,
    roster_path: &Path,
) -> anyhow::Result<(Scenario, Roster, Option<vroster::check::RosterCheck>)> {
    if let (Some(prev_path), Some(changes_path)) = (&args.prev, &args.changes) {
        let (changes, _) = vroster::validate::load_changes(changes_path, &scenario)
            .map_err(|d| invalid(changes_path, &d))?;
        let (prev, _) = vroster::validate::load_roster(prev_path, &scenario)
            .map_err(|d| invalid(prev_path, &d))?;
        let applied = vroster::repair::apply_changes(&scenario, &prev, &changes)
            .context("cannot apply the changes")?;
        let (roster, _) = vroster::validate::load_roster(roster_path, &applied.scenario)
            .map_err(|d| invalid(roster_path, &d))?;
        let check = vroster::check::check_repair(&scenario, &prev, &changes, &roster).ok();
        return Ok((applied.scenario, roster, check));
    }
    let (roster, _) = vroster::validate::load_roster(roster_path, &scenario)
        .map_err(|d| invalid(roster_path, &d))?;
    let check = vroster::check::check_roster(&scenario, &roster).ok();
    Ok((scenario, roster, check))
}

fn build(
    args: &Args,
    view: &View,
    check: Option<&vroster::check::RosterCheck>,
) -> anyhow::Result<Built> {
    let mut built = Built::default();
    if args.csv.is_some() {
        built.csv = Some(export::csv::roster_files(view)?);
    }
    if args.ical.is_some() {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        built.ical = Some(export::ical::files(view, &export::ical::utc_stamp(now)));
    }
    if args.html.is_some() {
        let explanation = vroster::explain::explain(view.scenario, view.roster, None)?;
        built.html = Some(export::html::report(view, &explanation, check));
    }
    if args.xlsx.is_some() {
        built.xlsx = Some(export::xlsx::workbook(view, check)?);
    }
    if args.hours.is_some() {
        let (shifts, minutes) = export::hours::totals(&export::hours::ledger(view));
        built.hours = Some((export::hours::csv(view)?, shifts, minutes));
    }
    Ok(built)
}

fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    vroster::io::write_atomic(path, bytes)
        .with_context(|| format!("cannot write {}", path.display()))
}

fn write(args: &Args, built: Built) -> anyhow::Result<()> {
    if let (Some(dir), Some(files)) = (&args.csv, &built.csv) {
        write_dir(dir, files)?;
        eprintln!("{}: {} files", dir.display(), files.len());
    }
    if let (Some(dir), Some(files)) = (&args.ical, &built.ical) {
        write_dir(dir, files)?;
        eprintln!("{}: {} calendars", dir.display(), files.len());
    }
    if let (Some(path), Some(html)) = (&args.html, &built.html) {
        write_file(path, html.as_bytes())?;
        eprintln!("{}: report written", path.display());
    }
    if let (Some(path), Some(bytes)) = (&args.xlsx, &built.xlsx) {
        write_file(path, bytes)?;
        eprintln!("{}: workbook written", path.display());
    }
    if let (Some(path), Some((bytes, shifts, minutes))) = (&args.hours, &built.hours) {
        write_file(path, bytes)?;
        eprintln!(
            "{}: {shifts} shifts served, {} hours ({minutes} minutes)",
            path.display(),
            export::hours::hours_text(*minutes)
        );
    }
    Ok(())
}
