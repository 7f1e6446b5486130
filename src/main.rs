//! The `vroster` command-line tool for planners.

mod cli;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Volunteer rostering for games-scale events.
#[derive(Parser, Debug)]
#[command(name = "vroster", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Validate a scenario file: every problem at once, with its JSON path.
    Validate(cli::validate::Args),
    /// Check a roster against a scenario: hard rules and objective.
    Check(cli::check::Args),
    /// Generate a realistic games-scale scenario.
    Generate(cli::generate::Args),
    /// Build a roster for a scenario.
    Solve(cli::solve::Args),
    /// Benchmark scenarios (and SMPTSP instances): one table of times, memory, objective, bound, gap.
    Bench(cli::bench::Args),
    /// Repair a roster after last-minute changes (dropouts, updates, new shifts).
    Resolve(cli::resolve::Args),
    /// Rank who could step in on one shift.
    Standby(cli::standby::Args),
    /// Generate realistic last-minute changes for a roster.
    GenerateChanges(cli::generate_changes::Args),
    /// Explain unfilled shifts and unmet quotas of a roster, with the cheapest fix.
    Explain(cli::explain::Args),
    /// Import a scenario from other formats.
    Import(cli::import::Args),
    /// Export a roster as CSV tables, iCalendar files or an HTML report.
    Export(cli::export::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate(a) => cli::validate::run(a),
        Command::Check(a) => cli::check::run(a),
        Command::Generate(a) => cli::generate::run(a),
        Command::Solve(a) => cli::solve::run(a),
        Command::Bench(a) => cli::bench::run(a),
        Command::Resolve(a) => cli::resolve::run(a),
        Command::Standby(a) => cli::standby::run(a),
        Command::GenerateChanges(a) => cli::generate_changes::run(a),
        Command::Explain(a) => cli::explain::run(a),
        Command::Import(a) => cli::import::run(a),
        Command::Export(a) => cli::export::run(a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
