//! `vroster validate`: every problem of a scenario (and of a changes file)
//! at once, each with its code and JSON path.

use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use vroster::validate::{count, load_changes, load_scenario, Diagnostic};

/// Arguments of `vroster validate`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file (`volunteer-scenario/1`).
    pub scenario: PathBuf,
    /// Changes file (`volunteer-changes/1`) to check against the scenario.
    #[arg(long, value_name = "CHANGES")]
    pub changes: Option<PathBuf>,
    /// Print the diagnostics as a JSON array on stdout (summary on stderr).
    #[arg(long)]
    pub json: bool,
}

/// One diagnostic with the file it is about (the `--json` element).
#[derive(Serialize)]
struct FileDiagnostic {
    file: String,
    #[serde(flatten)]
    diagnostic: Diagnostic,
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Exit code 0 without errors, 2 with errors or an unreadable file.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let mut reported: Vec<FileDiagnostic> = Vec::new();
    let mut add = |file: &PathBuf, diagnostics: Vec<Diagnostic>| {
        reported.extend(diagnostics.into_iter().map(|diagnostic| FileDiagnostic {
            file: file.display().to_string(),
            diagnostic,
        }));
    };
    let scenario = match load_scenario(&args.scenario) {
        Ok((scenario, warnings)) => {
            add(&args.scenario, warnings);
            Some(scenario)
        }
        Err(diagnostics) => {
            add(&args.scenario, diagnostics);
            None
        }
    };
    let mut notes = Vec::new();
    if let Some(path) = &args.changes {
        match &scenario {
            Some(sc) => match load_changes(path, sc) {
                Ok((_, warnings)) => add(path, warnings),
                Err(diagnostics) => add(path, diagnostics),
            },
            None => notes.push(format!(
                "note: {} was not checked because the scenario has errors",
                path.display()
            )),
        }
    }

    let all: Vec<Diagnostic> = reported.iter().map(|r| r.diagnostic.clone()).collect();
    let (errors, warnings) = count(&all);
    let summary = format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    );
    let code = if errors > 0 { 2 } else { 0 };
    match print(&args, &reported, &notes, &summary) {
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(code),
        Err(e) => Err(e.into()),
        Ok(()) => Ok(code),
    }
}

fn print(
    args: &Args,
    reported: &[FileDiagnostic],
    notes: &[String],
    summary: &str,
) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, reported)?;
        writeln!(out)?;
        for n in notes {
            eprintln!("{n}");
        }
        eprintln!("{summary}");
    } else {
        for r in reported {
            writeln!(out, "{}: {}", r.file, r.diagnostic)?;
        }
        for n in notes {
            writeln!(out, "{n}")?;
        }
        writeln!(out, "{summary}")?;
    }
    out.flush()
}
