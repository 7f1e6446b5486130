//! The service-hours ledger: per volunteer, the shifts served, the hours
//! (from the shift durations), the venues, the first and last day, and the
//! hours per role. City volunteer programmes turn these hours into
//! recognition (star ratings, certificates, credit), so the ledger is one
//! row per volunteer of the scenario, those without a shift included.
//!
//! The ledger reads the roster through [`View`], so a re-solved roster
//! (its scenario being the one with the changes applied) gets the same
//! ledger as a first roster.

use super::{csv::table, ExportError, View};
use std::collections::{BTreeMap, BTreeSet};

/// The role key of shifts that have no `role`.
pub const NO_ROLE: &str = "";

/// One volunteer's line of the ledger.
#[derive(Clone, Debug, PartialEq)]
pub struct LedgerRow {
    /// Volunteer id.
    pub volunteer: String,
    /// Shifts on the roster for this volunteer.
    pub shifts: usize,
    /// Summed shift durations, in minutes.
    pub minutes: i64,
    /// Venue ids served at, sorted.
    pub venues: Vec<String>,
    /// Calendar day (`YYYY-MM-DD`) of the first shift's start.
    pub first_day: Option<String>,
    /// Calendar day (`YYYY-MM-DD`) of the last shift's start.
    pub last_day: Option<String>,
    /// Minutes per role ([`NO_ROLE`] for shifts without one).
    pub role_minutes: BTreeMap<String, i64>,
}

impl LedgerRow {
    /// Hours served.
    pub fn hours(&self) -> f64 {
        self.minutes as f64 / 60.0
    }
}

/// The ledger: one row per volunteer, in scenario order.
pub fn ledger(view: &View) -> Vec<LedgerRow> {
    let sc = view.scenario;
    sc.volunteers
        .iter()
        .enumerate()
        .map(|(v, vol)| {
            let sched = &view.schedule[v];
            let mut venues = BTreeSet::new();
            let mut role_minutes = BTreeMap::new();
            for &s in sched {
                let sh = &sc.shifts[s];
                venues.insert(sh.venue.clone());
                let role = sh.role.clone().unwrap_or_else(|| NO_ROLE.to_string());
                *role_minutes.entry(role).or_insert(0) += view.minutes(s);
            }
            LedgerRow {
                volunteer: vol.id.clone(),
                shifts: sched.len(),
                minutes: sched.iter().map(|&s| view.minutes(s)).sum(),
                venues: venues.into_iter().collect(),
                first_day: sched.first().map(|&s| view.day(s)),
                last_day: sched.last().map(|&s| view.day(s)),
                role_minutes,
            }
        })
        .collect()
}

/// Every role of the scenario's shifts, sorted ([`NO_ROLE`] first when a
/// shift has none): the ledger's role columns.
pub fn roles(view: &View) -> Vec<String> {
    let set: BTreeSet<String> = view
        .scenario
        .shifts
        .iter()
        .map(|sh| sh.role.clone().unwrap_or_else(|| NO_ROLE.to_string()))
        .collect();
    set.into_iter().collect()
}

/// Hours as a decimal with two places (the `minutes` column stays exact).
pub fn hours_text(minutes: i64) -> String {
    format!("{:.2}", minutes as f64 / 60.0)
}

/// Column name of a role's hours: `hours_<role>`, `hours_without_role`.
pub fn role_column(role: &str) -> String {
    if role == NO_ROLE {
        "hours_without_role".into()
    } else {
        format!("hours_{role}")
    }
}

/// Sums over the ledger: `(shifts served, minutes)`.
pub fn totals(rows: &[LedgerRow]) -> (usize, i64) {
    rows.iter()
        .fold((0, 0), |(n, m), r| (n + r.shifts, m + r.minutes))
}

/// The ledger as CSV: `volunteer, shifts, hours, minutes, venues,
/// first_day, last_day` and one `hours_<role>` column per role.
pub fn csv(view: &View) -> Result<Vec<u8>, ExportError> {
    let roles = roles(view);
    let mut header: Vec<String> = [
        "volunteer",
        "shifts",
        "hours",
        "minutes",
        "venues",
        "first_day",
        "last_day",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect();
    header.extend(roles.iter().map(|r| role_column(r)));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows = ledger(view).into_iter().map(|r| {
        let mut line = vec![
            r.volunteer.clone(),
            r.shifts.to_string(),
            hours_text(r.minutes),
            r.minutes.to_string(),
            r.venues.join(";"),
            r.first_day.clone().unwrap_or_default(),
            r.last_day.clone().unwrap_or_default(),
        ];
        line.extend(
            roles
                .iter()
                .map(|role| hours_text(r.role_minutes.get(role).copied().unwrap_or(0))),
        );
        line
    });
    table(&header, rows)
}
