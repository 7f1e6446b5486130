//! The roster as an Excel workbook (written by `rust_xlsxwriter`): a
//! `Summary` sheet (objective terms recomputed and claimed, bound, gap,
//! coverage, quotas, hard rules), one sheet per venue (its shifts by day and
//! start, with crew and quota fulfilment) and a `Volunteers` sheet (each
//! volunteer's shifts, hours and venues, from the service-hours ledger).
//!
//! Every sheet has a frozen header row and set column widths; times are
//! Excel date-times (`yyyy-mm-dd hh:mm`), days Excel dates. The figures of
//! the summary are the checker's when its report is given (as the other
//! exports do), else the view's recomputation.

use super::hours::{ledger, role_column, roles, LedgerRow};
use super::{ExportError, View};
use crate::check::RosterCheck;
use crate::time::parse_time;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use std::collections::HashSet;

/// Name of the summary sheet.
pub const SUMMARY: &str = "Summary";
/// Name of the volunteers sheet.
pub const VOLUNTEERS: &str = "Volunteers";

/// Columns of a venue sheet.
pub const VENUE_COLUMNS: [&str; 12] = [
    "day",
    "start",
    "end",
    "shift",
    "role",
    "min",
    "max",
    "assigned",
    "short of min",
    "quotas met",
    "quotas",
    "crew",
];

/// Fixed columns of the volunteers sheet (one `hours_<role>` column per
/// role follows).
pub const VOLUNTEER_COLUMNS: [&str; 7] = [
    "volunteer",
    "shifts",
    "hours",
    "venues",
    "first day",
    "last day",
    "shift ids",
];

impl From<XlsxError> for ExportError {
    fn from(e: XlsxError) -> Self {
        ExportError::Xlsx(e.to_string())
    }
}

/// The formats shared by the sheets.
struct Styles {
    header: Format,
    datetime: Format,
    date: Format,
    hours: Format,
    percent: Format,
}

impl Styles {
    fn new() -> Styles {
        Styles {
            header: Format::new().set_bold(),
            datetime: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            hours: Format::new().set_num_format("0.00"),
            percent: Format::new().set_num_format("0.00%"),
        }
    }
}

/// The whole workbook as `.xlsx` bytes (write them with `io::write_atomic`).
pub fn workbook(view: &View, check: Option<&RosterCheck>) -> Result<Vec<u8>, ExportError> {
    let styles = Styles::new();
    let mut wb = Workbook::new();
    summary_sheet(wb.add_worksheet(), view, check, &styles)?;
    let venues = venues(view);
    let names = sheet_names(&venues.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>());
    for ((venue, _), name) in venues.iter().zip(&names) {
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        venue_sheet(ws, view, venue, &styles)?;
    }
    volunteers_sheet(wb.add_worksheet(), view, &styles)?;
    Ok(wb.save_to_buffer()?)
}

/// Venues with at least one shift, in the order of `sites` (venue id,
/// display name).
pub fn venues(view: &View) -> Vec<(String, String)> {
    let used: HashSet<&str> = view
        .scenario
        .shifts
        .iter()
        .map(|s| s.venue.as_str())
        .collect();
    view.scenario
        .sites
        .iter()
        .filter(|s| used.contains(s.id.as_str()))
        .map(|s| (s.id.clone(), view.site_name(&s.id)))
        .collect()
}

/// Valid, unique sheet names for the venues, in order: characters Excel
/// forbids (`[]:*?/\`) become `_`, leading and trailing apostrophes go, at
/// most 31 UTF-16 units, and no name equal (ignoring case) to another
/// sheet's, `Summary`, `Volunteers` or Excel's reserved `History`
/// (a ` (2)`-style suffix is added).
pub fn sheet_names(wanted: &[String]) -> Vec<String> {
    let mut taken: HashSet<String> = [SUMMARY, VOLUNTEERS, "History"]
        .iter()
        .map(|s| s.to_lowercase())
        .collect();
    let mut out = Vec::with_capacity(wanted.len());
    for w in wanted {
        let clean: String = w
            .chars()
            .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
            .collect();
        let clean = clean.trim_matches('\'').trim();
        let base = if clean.is_empty() { "Venue" } else { clean };
        let mut k = 1;
        let name = loop {
            let suffix = if k == 1 {
                String::new()
            } else {
                format!(" ({k})")
            };
            let candidate = format!("{}{suffix}", truncate_utf16(base, 31 - suffix.len()));
            let candidate = candidate.trim_end_matches('\'').to_string();
            if !candidate.is_empty() && taken.insert(candidate.to_lowercase()) {
                break candidate;
            }
            k += 1;
        };
        out.push(name);
    }
    out
}

/// The longest prefix of `text` of at most `units` UTF-16 code units.
fn truncate_utf16(text: &str, units: usize) -> &str {
    let mut used = 0;
    for (i, c) in text.char_indices() {
        used += c.len_utf16();
        if used > units {
            return &text[..i];
        }
    }
    text
}

/// Writes the bold header row, freezes it and sets the column widths.
fn header(
    ws: &mut Worksheet,
    columns: &[&str],
    widths: &[f64],
    styles: &Styles,
) -> Result<(), ExportError> {
    for (c, name) in columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *name, &styles.header)?;
        let width = widths.get(c).copied().unwrap_or(14.0);
        ws.set_column_width(c as u16, width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// An Excel date-time for a format-page time (`YYYY-MM-DDTHH:MM`).
fn datetime(text: &str) -> Option<ExcelDateTime> {
    let minute = parse_time(text).ok()?;
    ExcelDateTime::from_timestamp(minute * 60).ok()
}

/// Writes a time as an Excel date-time, or as text when it does not parse.
fn write_time(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    format: &Format,
) -> Result<(), ExportError> {
    match datetime(text) {
        Some(dt) => ws.write_datetime_with_format(row, col, dt, format)?,
        None => ws.write_string(row, col, text)?,
    };
    Ok(())
}

/// One row of the summary: label, figure, and the roster's claim if any.
fn summary_row(
    ws: &mut Worksheet,
    row: &mut u32,
    label: &str,
    value: f64,
    claimed: Option<f64>,
    format: Option<&Format>,
) -> Result<(), ExportError> {
    ws.write_string(*row, 0, label)?;
    match format {
        Some(f) => ws.write_number_with_format(*row, 1, value, f)?,
        None => ws.write_number(*row, 1, value)?,
    };
    if let Some(c) = claimed {
        ws.write_number(*row, 2, c)?;
    }
    *row += 1;
    Ok(())
}

fn summary_sheet(
    ws: &mut Worksheet,
    view: &View,
    check: Option<&RosterCheck>,
    styles: &Styles,
) -> Result<(), ExportError> {
    ws.set_name(SUMMARY)?;
    header(
        ws,
        &["figure", "value", "roster claims", "note"],
        &[34.0, 16.0, 16.0, 60.0],
        styles,
    )?;
    let ours = check.map_or_else(|| view.objective(), |c| c.objective);
    let claimed = view.roster.objective;
    let mut row = 1;
    ws.write_string(row, 0, "scenario")?;
    ws.write_string(row, 1, &view.scenario.name)?;
    row += 1;
    for (i, (name, v)) in ours.terms().iter().enumerate() {
        let c = claimed.map(|c| c.terms()[i].1);
        summary_row(ws, &mut row, &format!("objective: {name}"), *v, c, None)?;
    }
    summary_row(
        ws,
        &mut row,
        "objective: total",
        ours.total,
        claimed.map(|c| c.total),
        None,
    )?;
    bound_rows(ws, &mut row, view, ours.total, styles)?;
    summary_row(
        ws,
        &mut row,
        "group_split beyond the bound",
        view.roster.unpriced.unwrap_or(ours.group_split),
        None,
        None,
    )?;
    match check {
        Some(c) => checker_rows(ws, &mut row, c, styles)?,
        None => {
            ws.write_string(row, 0, "checker")?;
            ws.write_string(row, 3, "not run: figures recomputed by the export")?;
            row += 1;
        }
    }
    fairness_rows(ws, &mut row, view, styles)
}

/// The fairness view: how extra shifts beyond commitments are shared.
fn fairness_rows(
    ws: &mut Worksheet,
    row: &mut u32,
    view: &View,
    styles: &Styles,
) -> Result<(), ExportError> {
    let f = crate::fairness::fairness(view.scenario, view.roster);
    let figures: [(&str, f64, Option<&Format>); 5] = [
        (
            "fairness: volunteers above commitment",
            f.volunteers_above as f64,
            None,
        ),
        (
            "fairness: share above commitment",
            f.share_above,
            Some(&styles.percent),
        ),
        (
            "fairness: largest extra load (shifts)",
            f.largest_extra as f64,
            None,
        ),
        ("fairness: extra shifts in all", f.extra_shifts as f64, None),
        (
            "fairness: extra shifts of the top 10 %",
            f.top_tenth_extra as f64,
            None,
        ),
    ];
    for (label, value, format) in figures {
        summary_row(ws, row, label, value, None, format)?;
    }
    ws.write_string(*row, 0, "fairness: worked − commitment")?;
    ws.write_string(*row, 3, f.histogram())?;
    *row += 1;
    Ok(())
}

fn bound_rows(
    ws: &mut Worksheet,
    row: &mut u32,
    view: &View,
    total: f64,
    styles: &Styles,
) -> Result<(), ExportError> {
    match view.roster.bound {
        Some(b) => {
            summary_row(ws, row, "bound", b, None, None)?;
            let gap = (total - b) / total.max(1.0);
            summary_row(ws, row, "gap", gap, None, Some(&styles.percent))?;
            ws.write_string(
                *row - 1,
                3,
                "(total - bound) / max(total, 1): how far the roster can be from optimal",
            )?;
        }
        None => {
            ws.write_string(*row, 0, "bound")?;
            ws.write_string(*row, 3, "no lower bound in the roster")?;
            *row += 1;
        }
    }
    Ok(())
}

fn checker_rows(
    ws: &mut Worksheet,
    row: &mut u32,
    c: &RosterCheck,
    styles: &Styles,
) -> Result<(), ExportError> {
    let cov = &c.coverage;
    let figures: [(&str, f64); 10] = [
        ("minimum demand (heads)", cov.min_demand as f64),
        ("minimum demand covered", cov.min_demand_covered as f64),
        ("shifts", cov.shifts as f64),
        ("shifts below min", cov.shifts_below_min as f64),
        ("quotas", cov.quotas as f64),
        ("quotas met", cov.quotas_met as f64),
        ("volunteers", cov.volunteers as f64),
        ("volunteers used", cov.volunteers_used as f64),
        (
            "volunteers below commitment",
            cov.volunteers_below_commitment as f64,
        ),
        ("assignments", cov.assignments as f64),
    ];
    summary_row(
        ws,
        row,
        "coverage",
        cov.coverage,
        None,
        Some(&styles.percent),
    )?;
    for (label, v) in figures {
        summary_row(ws, row, label, v, None, None)?;
    }
    let broken: usize = c.violations.iter().map(|g| g.count).sum();
    summary_row(ws, row, "hard-rule violations", broken as f64, None, None)?;
    let note = if c.passes() {
        "every hard rule holds and the roster's claims agree".to_string()
    } else {
        let mut parts: Vec<String> = c
            .violations
            .iter()
            .map(|g| format!("{} (rule {}): {}", g.kind, g.rule, g.count))
            .collect();
        parts.extend(c.mismatches.iter().cloned());
        parts.join("; ")
    };
    ws.write_string(*row - 1, 3, note)?;
    Ok(())
}

/// Per shift of a venue sheet: quota text (`skill first_aid 2/2; …`) and
/// how many quotas are met.
fn quota_status(view: &View, s: usize) -> (String, usize) {
    let quotas = &view.scenario.shifts[s].quotas;
    let mut met = 0;
    let mut parts = Vec::with_capacity(quotas.len());
    for (qi, q) in quotas.iter().enumerate() {
        let have = view.quota_count(s, qi);
        if have as i64 >= q.at_least {
            met += 1;
        }
        parts.push(format!("{} {have}/{}", view.quota_label(s, qi), q.at_least));
    }
    (parts.join("; "), met)
}

fn venue_sheet(
    ws: &mut Worksheet,
    view: &View,
    venue: &str,
    styles: &Styles,
) -> Result<(), ExportError> {
    let widths = [
        11.0, 17.0, 17.0, 22.0, 18.0, 6.0, 6.0, 9.0, 12.0, 11.0, 40.0, 80.0,
    ];
    header(ws, &VENUE_COLUMNS, &widths, styles)?;
    let sc = view.scenario;
    let mut order: Vec<usize> = (0..sc.shifts.len())
        .filter(|&s| sc.shifts[s].venue == venue)
        .collect();
    order.sort_by_key(|&s| (view.problem.shifts()[s].start, s));
    for (i, &s) in order.iter().enumerate() {
        let row = i as u32 + 1;
        let sh = &sc.shifts[s];
        let assigned = view.crew[s].len() as i64;
        let day = view.day(s);
        write_time(ws, row, 0, &format!("{day}T00:00"), &styles.date)?;
        write_time(ws, row, 1, &sh.start, &styles.datetime)?;
        write_time(ws, row, 2, &sh.end, &styles.datetime)?;
        ws.write_string(row, 3, &sh.id)?;
        ws.write_string(row, 4, sh.role.as_deref().unwrap_or(""))?;
        ws.write_number(row, 5, sh.min as f64)?;
        ws.write_number(row, 6, sh.max as f64)?;
        ws.write_number(row, 7, assigned as f64)?;
        ws.write_number(row, 8, (sh.min - assigned).max(0) as f64)?;
        let (quotas, met) = quota_status(view, s);
        ws.write_string(row, 9, format!("{met}/{}", sh.quotas.len()))?;
        ws.write_string(row, 10, quotas)?;
        let crew: Vec<&str> = view.crew[s]
            .iter()
            .map(|&v| sc.volunteers[v].id.as_str())
            .collect();
        ws.write_string(row, 11, crew.join(", "))?;
    }
    Ok(())
}

fn volunteers_sheet(ws: &mut Worksheet, view: &View, styles: &Styles) -> Result<(), ExportError> {
    ws.set_name(VOLUNTEERS)?;
    let roles = roles(view);
    let mut columns: Vec<String> = VOLUNTEER_COLUMNS.iter().map(|c| c.to_string()).collect();
    columns.extend(roles.iter().map(|r| role_column(r)));
    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
    let widths = [14.0, 8.0, 9.0, 30.0, 11.0, 11.0, 60.0];
    header(ws, &columns, &widths, styles)?;
    // The ledger is in scenario order: row i is volunteer i.
    for (v, r) in ledger(view).iter().enumerate() {
        volunteer_row(ws, v, view, r, &roles, styles)?;
    }
    Ok(())
}

fn volunteer_row(
    ws: &mut Worksheet,
    v: usize,
    view: &View,
    r: &LedgerRow,
    roles: &[String],
    styles: &Styles,
) -> Result<(), ExportError> {
    let sc = view.scenario;
    let row = v as u32 + 1;
    ws.write_string(row, 0, &r.volunteer)?;
    ws.write_number(row, 1, r.shifts as f64)?;
    ws.write_number_with_format(row, 2, r.hours(), &styles.hours)?;
    ws.write_string(row, 3, r.venues.join(", "))?;
    if let (Some(first), Some(last)) = (&r.first_day, &r.last_day) {
        write_time(ws, row, 4, &format!("{first}T00:00"), &styles.date)?;
        write_time(ws, row, 5, &format!("{last}T00:00"), &styles.date)?;
    }
    let ids: Vec<&str> = view.schedule[v]
        .iter()
        .map(|&s| sc.shifts[s].id.as_str())
        .collect();
    ws.write_string(row, 6, ids.join(", "))?;
    for (k, role) in roles.iter().enumerate() {
        let minutes = r.role_minutes.get(role).copied().unwrap_or(0);
        let col = (VOLUNTEER_COLUMNS.len() + k) as u16;
        ws.write_number_with_format(row, col, minutes as f64 / 60.0, &styles.hours)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        sheet_names(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let long = "A very long venue name that Excel would refuse outright";
        let got = names(&[
            "Ice [Hall]: A/B",
            "ice _hall__ a_b",
            "summary",
            "'Quoted'",
            long,
            long,
            "",
            "History",
        ]);
        assert_eq!(got[0], "Ice _Hall__ A_B");
        assert_eq!(got[1], "ice _hall__ a_b (2)");
        assert_eq!(got[2], "summary (2)");
        assert_eq!(got[3], "Quoted");
        assert_eq!(got[4].encode_utf16().count(), 31);
        assert!(got[5].ends_with(" (2)") && got[5].encode_utf16().count() <= 31);
        assert_eq!(got[6], "Venue");
        assert_eq!(got[7], "History (2)");
        let lower: HashSet<String> = got.iter().map(|n| n.to_lowercase()).collect();
        assert_eq!(lower.len(), got.len());
        for n in &got {
            assert!(!n.contains(['[', ']', ':', '*', '?', '/', '\\']));
            assert!(!n.starts_with('\'') && !n.ends_with('\''));
        }
    }

    #[test]
    fn truncation_counts_utf16_units() {
        // '𝄞' is two UTF-16 units.
        assert_eq!(truncate_utf16("ab𝄞c", 3), "ab");
        assert_eq!(truncate_utf16("ab𝄞c", 4), "ab𝄞");
    }
}
