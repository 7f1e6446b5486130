//! `vroster check`: the independent checker on a roster file.

use super::common::{invalid, load_scenario};
use anyhow::Context;
use std::path::PathBuf;
use vroster::check::{check_repair, check_roster, RosterCheck};
use vroster::validate::{load_changes, load_roster};

/// Arguments of `vroster check`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file (volunteer-scenario/1).
    pub scenario: PathBuf,
    /// Roster file (volunteer-roster/1) to check.
    pub roster: PathBuf,
    /// Previous roster, for a re-solved roster (with --changes).
    #[arg(long, requires = "changes")]
    pub prev: Option<PathBuf>,
    /// Changes file (volunteer-changes/1) the roster was re-solved for.
    #[arg(long, requires = "prev")]
    pub changes: Option<PathBuf>,
    /// Print the report as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Reads a roster file as it is (ids are the checker's business, so a
/// re-solved roster may name new volunteers and shifts).
fn read_roster(path: &std::path::Path) -> anyhow::Result<vroster::scenario::Roster> {
    let roster: vroster::scenario::Roster = vroster::io::read_json(path)?;
    if roster.format != vroster::scenario::ROSTER_FORMAT {
        anyhow::bail!(
            "{}: format is '{}', expected '{}'",
            path.display(),
            roster.format,
            vroster::scenario::ROSTER_FORMAT
        );
    }
    Ok(roster)
}

/// Exit 0: valid and the claims agree; 1: not; 2: unreadable input.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let scenario = load_scenario(&args.scenario, true)?;
    let report = match (&args.prev, &args.changes) {
        (Some(prev_path), Some(changes_path)) => {
            let (changes, _) =
                load_changes(changes_path, &scenario).map_err(|d| invalid(changes_path, &d))?;
            let (prev, _) =
                load_roster(prev_path, &scenario).map_err(|d| invalid(prev_path, &d))?;
            // The new roster may name new volunteers and shifts.
            let roster = read_roster(&args.roster)?;
            check_repair(&scenario, &prev, &changes, &roster).context("cannot check")?
        }
        _ => {
            let roster = read_roster(&args.roster)?;
            check_roster(&scenario, &roster).context("cannot check")?
        }
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", render(&report));
    }
    Ok(if report.passes() { 0 } else { 1 })
}

/// The human-readable report.
pub fn render(r: &RosterCheck) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    render_violations(&mut out, r);
    render_coverage(&mut out, r);
    render_objective(&mut out, r);
    for m in &r.mismatches {
        let _ = writeln!(out, "mismatch        {m}");
    }
    let verdict = if r.passes() {
        "PASS: valid roster, claims agree"
    } else if !r.is_valid() {
        "FAIL: hard rules broken"
    } else {
        "FAIL: claimed figures disagree with the recomputation"
    };
    let _ = writeln!(out, "{verdict}");
    out
}

/// The hard rules: all hold, or each kind of violation with examples.
fn render_violations(out: &mut String, r: &RosterCheck) {
    use std::fmt::Write;
    if r.violations.is_empty() {
        let _ = writeln!(out, "rules           all hard rules hold");
        return;
    }
    let total: usize = r.violations.iter().map(|g| g.count).sum();
    let _ = writeln!(out, "rules           {total} violation(s)");
    for g in &r.violations {
        let rule = if g.rule == 0 {
            "re-solve".to_string()
        } else {
            format!("rule {}", g.rule)
        };
        let _ = writeln!(out, "  {} ({rule}): {}", g.kind, g.count);
        for e in &g.examples {
            let _ = writeln!(out, "    - {e}");
        }
    }
}

/// Coverage, quotas, volunteers and the re-solve figures.
fn render_coverage(out: &mut String, r: &RosterCheck) {
    use std::fmt::Write;
    let c = &r.coverage;
    out.push_str(&vroster::summary::coverage_lines(c));
    let _ = writeln!(
        out,
        "volunteers      {} used, {} below commitment, {} assignments",
        c.volunteers_used, c.volunteers_below_commitment, c.assignments
    );
    if let Some(rep) = &r.repair {
        let _ = writeln!(
            out,
            "re-solve        {} frozen shifts, {} forced removals, {} changes, {} volunteers affected",
            rep.frozen_shifts, rep.forced_removals, rep.changes, rep.affected_volunteers
        );
    }
}

/// The objective recomputed and claimed, term by term, and the bound.
fn render_objective(out: &mut String, r: &RosterCheck) {
    use std::fmt::Write;
    let _ = writeln!(
        out,
        "objective       {:>16} {:>16}",
        "recomputed", "claimed"
    );
    let claimed = r.claimed.map(|c| c.terms());
    for (i, (name, v)) in r.objective.terms().iter().enumerate() {
        let cl = claimed.map_or("-".to_string(), |c| format!("{:.3}", c[i].1));
        let _ = writeln!(out, "  {name:<14}{v:>16.3} {cl:>16}");
    }
    let cl = r
        .claimed
        .map_or("-".to_string(), |c| format!("{:.3}", c.total));
    let _ = writeln!(out, "  {:<14}{:>16.3} {cl:>16}", "total", r.objective.total);
    if let (Some(b), Some(g)) = (r.bound, r.gap) {
        let _ = writeln!(
            out,
            "bound           {b:.3}  gap {:.3}%{}",
            100.0 * g,
            if r.bound_ok {
                ""
            } else {
                "  (ABOVE the total: not a valid bound)"
            }
        );
    }
}
