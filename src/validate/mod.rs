//! Input validation: every problem of a scenario, changes or roster file in
//! one run, each as a [`Diagnostic`] with a stable code, a JSON path, a
//! message and a hint.
//!
//! Loading happens in three stages so that one typo never hides the next:
//!
//! 1. JSON syntax. Malformed JSON gives one `E-JSON` with line and column.
//! 2. Shape. The top level is checked key by key, and every element of the
//!    lists (`sites`, `links`, `shifts`, `volunteers`, …) is deserialized on
//!    its own, so an unknown field or a wrong type is reported for each
//!    element that has one (`E-SHAPE`, path prefixed with e.g. `shifts[3]`).
//!    A well-formed file takes a fast path (one typed parse) instead.
//! 3. Meaning. The typed elements are checked against the format page:
//!    ids, references, times, ranges (`E-…`), then, only when there is no
//!    error, cheap whole-scenario warnings (`W-…`) such as shifts nobody is
//!    eligible for.
//!
//! Warnings never stop a run. Each warning code is listed at most
//! [`WARNING_CAP`] times, followed by one summary line with the same code.
//! Errors are never capped. Nothing here panics on any input; the work is
//! linear in the file size (hash maps, sorting), apart from the eligibility
//! warning, which is bounded by [`ELIGIBILITY_BUDGET`].
//!
//! The codes are listed in [`codes`] and documented in `docs/validation.md`.

mod changes;
mod checks;
mod pins;
mod roster;
mod shape;
mod warnings;

pub use changes::validate_changes;
pub use roster::validate_roster_shape;

use crate::scenario::{Changes, Roster, Scenario};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use thiserror::Error;

/// At most this many diagnostics per warning code are listed; the rest are
/// counted in one summary diagnostic with the same code.
pub const WARNING_CAP: usize = 50;

/// Most (required-skill holder, shift group) candidates the eligibility
/// warning examines; past it the check is skipped rather than slow.
pub const ELIGIBILITY_BUDGET: usize = 50_000_000;

/// How serious a diagnostic is: errors make the file unusable, warnings don't.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Makes the file unusable.
    Error,
    /// Worth a look; the file can still be used.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem found in an input file.
///
/// Displays as `error[E-MIN-GT-MAX] shifts[3]: min 5 is greater than max 4 (hint: …)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Error)]
#[error("{severity}[{code}]{}: {message}{}", path_part(.path), hint_part(.hint))]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable code, one of [`codes`].
    pub code: &'static str,
    /// JSON path of the offending value, e.g. `shifts[12].quotas[0].level`;
    /// empty for the whole file.
    pub path: String,
    /// What is wrong, in the planner's words.
    pub message: String,
    /// How to fix it, when there is something useful to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

fn path_part(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!(" {path}")
    }
}

fn hint_part(hint: &Option<String>) -> String {
    match hint {
        Some(h) => format!(" (hint: {h})"),
        None => String::new(),
    }
}

impl Diagnostic {
    /// An error diagnostic.
    pub fn error(code: &'static str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            path: path.into(),
            message: message.into(),
            hint: None,
        }
    }

    /// A warning diagnostic.
    pub fn warning(
        code: &'static str,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, path, message)
        }
    }

    /// The same diagnostic with a hint (an empty hint means none).
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        let h = hint.into();
        self.hint = (!h.is_empty()).then_some(h);
        self
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Whether any diagnostic is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

/// `(errors, warnings)` among `diagnostics`.
pub fn count(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    (errors, diagnostics.len() - errors)
}

/// A file that failed validation, as one error value (for `?` and anyhow).
#[derive(Debug, Error)]
#[error("{file}: {} error(s); first: {}", count(.diagnostics).0, first_error(.diagnostics))]
pub struct ValidationFailed {
    /// Path of the file that failed.
    pub file: String,
    /// Every diagnostic, errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
}

fn first_error(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .find(|d| d.is_error())
        .map_or_else(|| "none".to_string(), |d| d.to_string())
}

/// Stable diagnostic codes. Never renamed; new ones may be added.
pub mod codes {
    use super::Severity;

    /// The file cannot be read.
    pub const IO: &str = "E-IO";
    /// Malformed JSON (line and column given).
    pub const JSON: &str = "E-JSON";
    /// Unknown field, missing field or wrong JSON type.
    pub const SHAPE: &str = "E-SHAPE";
    /// Missing or wrong `format` tag.
    pub const FORMAT: &str = "E-FORMAT";
    /// An id is the empty string.
    pub const EMPTY_ID: &str = "E-EMPTY-ID";
    /// An id is used twice in its list, or a new id clashes with an existing one.
    pub const DUP_ID: &str = "E-DUP-ID";
    /// A reference names no existing site, shift or volunteer.
    pub const UNKNOWN_REF: &str = "E-UNKNOWN-REF";
    /// A time is not YYYY-MM-DDTHH:MM or not a real date.
    pub const TIME: &str = "E-TIME";
    /// A shift's end is not after its start.
    pub const END_BEFORE_START: &str = "E-END-BEFORE-START";
    /// A shift's (or update's) min is greater than its max.
    pub const MIN_GT_MAX: &str = "E-MIN-GT-MAX";
    /// A count, duration, rule or weight is negative.
    pub const NEGATIVE: &str = "E-NEGATIVE";
    /// A whole number is too large (above 2147483647).
    pub const RANGE: &str = "E-RANGE";
    /// A weight is not a finite number.
    pub const NOT_FINITE: &str = "E-NOT-FINITE";
    /// A shift's priority is not a finite number > 0.
    pub const PRIORITY: &str = "E-PRIORITY";
    /// A language level is outside 1..5.
    pub const LEVEL: &str = "E-LEVEL";
    /// An availability window or dropout period is empty or reversed.
    pub const WINDOW: &str = "E-WINDOW";
    /// A quota names both or neither of `skill` and `language`.
    pub const QUOTA_KIND: &str = "E-QUOTA-KIND";
    /// A shift has more than 32 quotas.
    pub const TOO_MANY_QUOTAS: &str = "E-TOO-MANY-QUOTAS";
    /// A shift is both pinned and excluded for a volunteer.
    pub const PIN_EXCLUDED: &str = "E-PIN-EXCLUDED";
    /// A pin breaks rule 2: skills, availability or unreachable home.
    pub const PIN_INELIGIBLE: &str = "E-PIN-INELIGIBLE";
    /// More volunteers are pinned to a shift than its max (rule 3).
    pub const PIN_HEADCOUNT: &str = "E-PIN-HEADCOUNT";
    /// Two pins of a volunteer are too close, rest and travel included (rule 4).
    pub const PIN_SPACING: &str = "E-PIN-SPACING";
    /// A volunteer's pins on one day exceed max_minutes_per_day (rule 5).
    pub const PIN_DAY_CAP: &str = "E-PIN-DAY-CAP";
    /// A volunteer has more pins than max_shifts (rule 6).
    pub const PIN_MAX_SHIFTS: &str = "E-PIN-MAX-SHIFTS";
    /// A volunteer's pinned days exceed max_consecutive_days (rule 7).
    pub const PIN_CONSECUTIVE: &str = "E-PIN-CONSECUTIVE";

    /// No volunteer is eligible for a shift.
    pub const NOBODY_ELIGIBLE: &str = "W-NOBODY-ELIGIBLE";
    /// A required or quota skill is held by nobody.
    pub const SKILL_UNHELD: &str = "W-SKILL-UNHELD";
    /// Nobody speaks a quota's language at its level.
    pub const LANGUAGE_UNSPOKEN: &str = "W-LANGUAGE-UNSPOKEN";
    /// A venue cannot be reached from any volunteer's home.
    pub const VENUE_UNREACHABLE: &str = "W-VENUE-UNREACHABLE";
    /// A quota's at_least is above the shift's max.
    pub const QUOTA_GT_MAX: &str = "W-QUOTA-GT-MAX";
    /// A preferred venue is not a site.
    pub const UNKNOWN_PREFERENCE: &str = "W-UNKNOWN-PREFERENCE";
    /// A skill quota has a level (levels apply to languages).
    pub const LEVEL_IGNORED: &str = "W-LEVEL-IGNORED";
    /// Min_shifts is greater than max_shifts.
    pub const MIN_SHIFTS_GT_MAX: &str = "W-MIN-SHIFTS-GT-MAX";
    /// A volunteer's availability list is empty.
    pub const NEVER_AVAILABLE: &str = "W-NEVER-AVAILABLE";
    /// The same shift is cancelled twice or listed twice in a pin list, or a volunteer listed twice on a shift.
    pub const DUPLICATE_ENTRY: &str = "W-DUPLICATE-ENTRY";

    /// Every code with its severity and a one-line summary (mirrored in
    /// `docs/validation.md`).
    pub const ALL: &[(&str, Severity, &str)] = &[
        (IO, Severity::Error, "the file cannot be read"),
        (
            JSON,
            Severity::Error,
            "malformed JSON (line and column given)",
        ),
        (
            SHAPE,
            Severity::Error,
            "unknown field, missing field or wrong JSON type",
        ),
        (FORMAT, Severity::Error, "missing or wrong `format` tag"),
        (EMPTY_ID, Severity::Error, "an id is the empty string"),
        (
            DUP_ID,
            Severity::Error,
            "an id is used twice in its list, or a new id clashes with an existing one",
        ),
        (
            UNKNOWN_REF,
            Severity::Error,
            "a reference names no existing site, shift or volunteer",
        ),
        (
            TIME,
            Severity::Error,
            "a time is not YYYY-MM-DDTHH:MM or not a real date",
        ),
        (
            END_BEFORE_START,
            Severity::Error,
            "a shift's end is not after its start",
        ),
        (
            MIN_GT_MAX,
            Severity::Error,
            "a shift's (or update's) min is greater than its max",
        ),
        (
            NEGATIVE,
            Severity::Error,
            "a count, duration, rule or weight is negative",
        ),
        (
            RANGE,
            Severity::Error,
            "a whole number is too large (above 2147483647)",
        ),
        (
            NOT_FINITE,
            Severity::Error,
            "a weight is not a finite number",
        ),
        (
            PRIORITY,
            Severity::Error,
            "a shift's priority is not a finite number > 0",
        ),
        (LEVEL, Severity::Error, "a language level is outside 1..5"),
        (
            WINDOW,
            Severity::Error,
            "an availability window or dropout period is empty or reversed",
        ),
        (
            QUOTA_KIND,
            Severity::Error,
            "a quota names both or neither of `skill` and `language`",
        ),
        (
            TOO_MANY_QUOTAS,
            Severity::Error,
            "a shift has more than 32 quotas",
        ),
        (
            PIN_EXCLUDED,
            Severity::Error,
            "a shift is both pinned and excluded for a volunteer",
        ),
        (
            PIN_INELIGIBLE,
            Severity::Error,
            "a pin breaks rule 2: skills, availability or unreachable home",
        ),
        (
            PIN_HEADCOUNT,
            Severity::Error,
            "more volunteers are pinned to a shift than its max (rule 3)",
        ),
        (
            PIN_SPACING,
            Severity::Error,
            "two pins of a volunteer are too close, rest and travel included (rule 4)",
        ),
        (
            PIN_DAY_CAP,
            Severity::Error,
            "a volunteer's pins on one day exceed max_minutes_per_day (rule 5)",
        ),
        (
            PIN_MAX_SHIFTS,
            Severity::Error,
            "a volunteer has more pins than max_shifts (rule 6)",
        ),
        (
            PIN_CONSECUTIVE,
            Severity::Error,
            "a volunteer's pinned days exceed max_consecutive_days (rule 7)",
        ),
        (
            NOBODY_ELIGIBLE,
            Severity::Warning,
            "no volunteer is eligible for a shift",
        ),
        (
            SKILL_UNHELD,
            Severity::Warning,
            "a required or quota skill is held by nobody",
        ),
        (
            LANGUAGE_UNSPOKEN,
            Severity::Warning,
            "nobody speaks a quota's language at its level",
        ),
        (
            VENUE_UNREACHABLE,
            Severity::Warning,
            "a venue cannot be reached from any volunteer's home",
        ),
        (
            QUOTA_GT_MAX,
            Severity::Warning,
            "a quota's at_least is above the shift's max",
        ),
        (
            UNKNOWN_PREFERENCE,
            Severity::Warning,
            "a preferred venue is not a site",
        ),
        (
            LEVEL_IGNORED,
            Severity::Warning,
            "a skill quota has a level (levels apply to languages)",
        ),
        (
            MIN_SHIFTS_GT_MAX,
            Severity::Warning,
            "min_shifts is greater than max_shifts",
        ),
        (
            NEVER_AVAILABLE,
            Severity::Warning,
            "a volunteer's availability list is empty",
        ),
        (
            DUPLICATE_ENTRY,
            Severity::Warning,
            "the same shift is cancelled twice or listed twice in a pin list, or a volunteer listed twice on a shift",
        ),
    ];

    /// The severity of a code (by its `E-`/`W-` prefix).
    pub fn severity(code: &str) -> Severity {
        if code.starts_with("W-") {
            Severity::Warning
        } else {
            Severity::Error
        }
    }
}

/// Collects diagnostics, capping each warning code at [`WARNING_CAP`].
#[derive(Default)]
pub(crate) struct Sink {
    out: Vec<Diagnostic>,
    warnings_seen: HashMap<&'static str, usize>,
    errors: usize,
}

impl Sink {
    pub(crate) fn error(
        &mut self,
        code: &'static str,
        path: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.errors += 1;
        self.out
            .push(Diagnostic::error(code, path, message).with_hint(hint));
    }

    /// Adds a warning unless its code is past the cap. `make` builds the
    /// message and hint lazily.
    pub(crate) fn warn_with(
        &mut self,
        code: &'static str,
        make: impl FnOnce() -> (String, String, String),
    ) {
        let seen = self.warnings_seen.entry(code).or_insert(0);
        *seen += 1;
        if *seen <= WARNING_CAP {
            let (path, message, hint) = make();
            self.out
                .push(Diagnostic::warning(code, path, message).with_hint(hint));
        }
    }

    pub(crate) fn warn(
        &mut self,
        code: &'static str,
        path: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.warn_with(code, || (path.into(), message.into(), hint.into()));
    }

    /// Adds a ready-made diagnostic (warnings still count towards the cap).
    pub(crate) fn push(&mut self, d: Diagnostic) {
        if d.is_error() {
            self.errors += 1;
            self.out.push(d);
        } else {
            let code = d.code;
            self.warn_with(code, || (d.path, d.message, d.hint.unwrap_or_default()));
        }
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.errors > 0
    }

    pub(crate) fn error_count(&self) -> usize {
        self.errors
    }

    /// The diagnostics, with one summary per capped warning code.
    pub(crate) fn finish(mut self) -> Vec<Diagnostic> {
        let mut capped: Vec<(&'static str, usize)> = self
            .warnings_seen
            .iter()
            .filter(|(_, &n)| n > WARNING_CAP)
            .map(|(&c, &n)| (c, n - WARNING_CAP))
            .collect();
        capped.sort_unstable();
        for (code, hidden) in capped {
            self.out.push(Diagnostic::warning(
                code,
                "",
                format!(
                    "{hidden} more {code} warnings not shown (the first {WARNING_CAP} are listed)"
                ),
            ));
        }
        self.out
    }
}

fn into_result<T>(
    value: Option<T>,
    diagnostics: Vec<Diagnostic>,
) -> Result<(T, Vec<Diagnostic>), Vec<Diagnostic>> {
    match value {
        Some(v) if !has_errors(&diagnostics) => Ok((v, diagnostics)),
        _ => Err(diagnostics),
    }
}

fn read_file(path: &Path) -> Result<String, Vec<Diagnostic>> {
    std::fs::read_to_string(path).map_err(|e| {
        vec![Diagnostic::error(
            codes::IO,
            "",
            format!("cannot read {}: {e}", path.display()),
        )
        .with_hint("check the file name and its permissions (files must be UTF-8 JSON)")]
    })
}

/// Loads and validates a scenario file. `Ok` carries the warnings; `Err`
/// carries every diagnostic (errors and warnings) when there is an error.
pub fn load_scenario(path: &Path) -> Result<(Scenario, Vec<Diagnostic>), Vec<Diagnostic>> {
    load_scenario_str(&read_file(path)?)
}

/// Validates scenario JSON text (see [`load_scenario`]).
pub fn load_scenario_str(text: &str) -> Result<(Scenario, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut sink = Sink::default();
    let parsed = shape::scenario(text, &mut sink);
    if let Some((scenario, origins)) = &parsed {
        check_meaning(scenario, origins, &mut sink);
    }
    into_result(parsed.map(|p| p.0), sink.finish())
}

/// Validates a typed scenario: semantic errors, then (when there are none)
/// the whole-scenario warnings.
pub fn validate_scenario(scenario: &Scenario) -> Vec<Diagnostic> {
    let mut sink = Sink::default();
    check_meaning(scenario, &checks::Origins::identity(scenario), &mut sink);
    sink.finish()
}

/// Stage 3 and 4 of a typed scenario: element errors and pin references;
/// then, without errors, the pins' feasibility (rules 1–7); then, still
/// without errors, the whole-scenario warnings.
fn check_meaning(scenario: &Scenario, origins: &checks::Origins, sink: &mut Sink) {
    checks::check_scenario(scenario, origins, sink);
    pins::check_refs(scenario, origins, sink);
    if !sink.has_errors() {
        pins::check_feasible(scenario, origins, sink);
    }
    if !sink.has_errors() {
        warnings::scenario_warnings(scenario, sink);
    }
}

/// Loads and validates a changes file against the scenario it changes.
pub fn load_changes(
    path: &Path,
    scenario: &Scenario,
) -> Result<(Changes, Vec<Diagnostic>), Vec<Diagnostic>> {
    load_changes_str(&read_file(path)?, scenario)
}

/// Validates changes JSON text against `scenario` (see [`load_changes`]).
pub fn load_changes_str(
    text: &str,
    scenario: &Scenario,
) -> Result<(Changes, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut sink = Sink::default();
    let parsed = shape::changes(text, &mut sink);
    if let Some((changes, origins)) = &parsed {
        changes::check_changes(scenario, changes, origins, &mut sink);
    }
    into_result(parsed.map(|p| p.0), sink.finish())
}

/// Loads a roster file and checks its shape against `scenario` (format tag,
/// known shift and volunteer ids). Hard rules and the objective are the
/// checker's job, not this one's.
pub fn load_roster(
    path: &Path,
    scenario: &Scenario,
) -> Result<(Roster, Vec<Diagnostic>), Vec<Diagnostic>> {
    load_roster_str(&read_file(path)?, scenario)
}

/// Validates roster JSON text against `scenario` (see [`load_roster`]).
pub fn load_roster_str(
    text: &str,
    scenario: &Scenario,
) -> Result<(Roster, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut sink = Sink::default();
    let parsed = shape::roster(text, &mut sink);
    if let Some(roster) = &parsed {
        roster::check_roster(scenario, roster, &mut sink);
    }
    into_result(parsed, sink.finish())
}

#[cfg(test)]
mod tests;
