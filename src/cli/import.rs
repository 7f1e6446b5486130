//! `vroster import`: scenarios from other formats, one subcommand per format.

use anyhow::Context;
use std::path::PathBuf;
use vroster::csv_import::{import_files_traced, CsvPaths, Origins};
use vroster::io::write_json_atomic;
use vroster::validate::Diagnostic;

/// Arguments of `vroster import`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub format: Format,
}

/// The formats `vroster import` reads.
#[derive(clap::Subcommand, Debug)]
pub enum Format {
    /// Volunteers, shifts, sites and links from CSV (layout: docs/csv.md).
    Csv(CsvArgs),
    /// An OR-Library SMPTSP/PTSP "ptask" instance (objective = workers used).
    Ptask(PtaskArgs),
}

/// Arguments of `vroster import ptask`.
#[derive(clap::Args, Debug)]
pub struct PtaskArgs {
    /// The instance file: `.dat`, or gzip-compressed `.dat.gz`.
    pub file: PathBuf,
    /// Scenario file to write.
    #[arg(short = 'o', long = "output", value_name = "SCENARIO")]
    pub output: PathBuf,
}

fn run_ptask(a: PtaskArgs) -> anyhow::Result<u8> {
    let text = vroster::ptask::read_text(&a.file)
        .with_context(|| format!("cannot read {}", a.file.display()))?;
    let inst = vroster::ptask::parse(&text).with_context(|| format!("{}", a.file.display()))?;
    let name = vroster::ptask::instance_name(&a.file);
    let sc = vroster::ptask::to_scenario(&inst, &name);
    write_json_atomic(&a.output, &sc)
        .with_context(|| format!("cannot write {}", a.output.display()))?;
    eprintln!(
        "{}: {} tasks, {} workers",
        name,
        inst.tasks.len(),
        inst.workers.len()
    );
    Ok(0)
}

/// Arguments of `vroster import csv`.
#[derive(clap::Args, Debug)]
pub struct CsvArgs {
    /// Volunteers CSV.
    #[arg(long, value_name = "FILE")]
    pub volunteers: PathBuf,
    /// Shifts CSV.
    #[arg(long, value_name = "FILE")]
    pub shifts: PathBuf,
    /// Sites CSV (default: the venues and homes named, with no names).
    #[arg(long, value_name = "FILE")]
    pub sites: Option<PathBuf>,
    /// Travel links CSV.
    #[arg(long, value_name = "FILE")]
    pub links: Option<PathBuf>,
    /// JSON with `rules` and `weights` (default: the format's defaults).
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Scenario name (default: the output file's stem).
    #[arg(long)]
    pub name: Option<String>,
    /// Scenario file to write.
    #[arg(short = 'o', long = "output", value_name = "SCENARIO")]
    pub output: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    match args.format {
        Format::Csv(a) => run_csv(a),
        Format::Ptask(a) => run_ptask(a),
    }
}

fn run_csv(a: CsvArgs) -> anyhow::Result<u8> {
    let name = a.name.clone().unwrap_or_else(|| {
        a.output
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    let paths = CsvPaths {
        volunteers: Some(&a.volunteers),
        shifts: Some(&a.shifts),
        sites: a.sites.as_deref(),
        links: a.links.as_deref(),
        rules: a.rules.as_deref(),
    };
    let imported = import_files_traced(&paths, &name).context("nothing written")?;
    let scenario = &imported.scenario;
    let diagnostics = vroster::validate::validate_scenario(scenario);
    if vroster::validate::has_errors(&diagnostics) {
        return Err(invalid_import(&imported.origins, &diagnostics));
    }
    for w in &imported.warnings {
        eprintln!("warning: {w}");
    }
    for d in &diagnostics {
        eprintln!("{}", located(&imported.origins, d, &a.output));
    }
    write_json_atomic(&a.output, scenario)
        .with_context(|| format!("cannot write {}", a.output.display()))?;
    eprintln!(
        "{}: {} volunteers, {} shifts, {} sites, {} links",
        a.output.display(),
        scenario.volunteers.len(),
        scenario.shifts.len(),
        scenario.sites.len(),
        scenario.links.len()
    );
    Ok(0)
}

/// A diagnostic on the imported scenario at the CSV cell its value came
/// from (`shifts.csv:2: column 'end': …`); at the output's JSON path when
/// no input row gave it.
fn located(origins: &Origins, d: &Diagnostic, output: &std::path::Path) -> String {
    match origins.locate(&d.path) {
        Some(at) => {
            let bare = Diagnostic {
                path: String::new(),
                ..d.clone()
            };
            format!("{at}: {bare}")
        }
        None => format!("{}: {d}", output.display()),
    }
}

/// The import's validation errors, each at its CSV location.
fn invalid_import(origins: &Origins, diagnostics: &[Diagnostic]) -> anyhow::Error {
    let (errors, _) = vroster::validate::count(diagnostics);
    let lines: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| located(origins, d, std::path::Path::new("scenario")))
        .collect();
    anyhow::anyhow!(
        "the CSV files do not make a valid scenario ({errors} error{}); nothing written:\n{}",
        if errors == 1 { "" } else { "s" },
        lines.join("\n")
    )
}
