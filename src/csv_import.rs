//! Scenarios from spreadsheets: volunteers, shifts, sites and links as CSV
//! (layout in `docs/csv.md`), rules and weights as JSON.
//!
//! Every bad cell is reported with its file, row (the line number; the
//! header is line 1) and column, all of them in one run; the caller gets a scenario only
//! when there is none. Columns are found by header name, in any order; only
//! `id` (volunteers), `id, venue, start, end, min, max` (shifts), `id`
//! (sites) and `from, to, minutes` (links) are required. Semantic checks
//! (references between files, min ≤ max, …) are left to
//! [`crate::validate`], which the CLI runs before writing.

use crate::scenario::{
    Link, Prefers, Quota, Rules, Scenario, Shift, Site, Volunteer, Weights, SCENARIO_FORMAT,
};
use crate::time::parse_time;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::Path;
use thiserror::Error;

/// Separator of list items inside one cell.
pub const LIST_SEP: char = ';';

/// Columns of each file, in the order the exporter writes them.
pub const VOLUNTEER_COLUMNS: [&str; 15] = [
    "id",
    "home",
    "skills",
    "languages",
    "available",
    "min_shifts",
    "max_shifts",
    "min_rest_minutes",
    "max_minutes_per_day",
    "max_consecutive_days",
    "prefer_venues",
    "prefer_roles",
    "group",
    "pinned",
    "excluded",
];
pub(crate) const SHIFT_COLUMNS: [&str; 10] = [
    "id", "venue", "role", "start", "end", "min", "max", "priority", "requires", "quotas",
];
pub(crate) const SITE_COLUMNS: [&str; 3] = ["id", "name", "kind"];
pub(crate) const LINK_COLUMNS: [&str; 3] = ["from", "to", "minutes"];

/// One bad cell (or row, or header).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellError {
    /// Name of the file, as reported.
    pub file: String,
    /// Line number in the file (the header is line 1).
    pub row: u64,
    /// Column name (empty for a whole row or file).
    pub column: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column.is_empty() {
            write!(f, "{}:{}: {}", self.file, self.row, self.message)
        } else {
            write!(
                f,
                "{}:{}: column '{}': {}",
                self.file, self.row, self.column, self.message
            )
        }
    }
}

/// Why an import failed.
#[derive(Debug, Error)]
pub enum ImportError {
    #[error("{file}: cannot read: {source}")]
    /// A file could not be read.
    Io {
        /// Path of the file.
        file: String,
        #[source]
        /// The underlying error.
        source: std::io::Error,
    },
    #[error("{} bad cell(s):\n{}", .0.len(), list(.0))]
    /// Bad cells, rows or headers: every one found.
    Cells(Vec<CellError>),
    #[error("{0}")]
    /// The rules file could not be loaded.
    Settings(#[from] crate::io::LoadError),
}

fn list(errors: &[CellError]) -> String {
    errors
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text of one input file and the name it is reported under.
#[derive(Clone, Debug)]
pub struct CsvText {
    /// Name the file is reported under.
    pub file: String,
    /// The file's contents.
    pub text: String,
}

impl CsvText {
    /// Reads the file at `path`, reported under its path.
    pub fn read(path: &Path) -> Result<CsvText, ImportError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ImportError::Io {
            file: file.clone(),
            source,
        })?;
        Ok(CsvText { file, text })
    }
}

/// `rules` and `weights` of the scenario (the rules file).
#[derive(Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default)]
    /// Default limits for every volunteer.
    pub rules: Rules,
    #[serde(default)]
    /// Objective weights.
    pub weights: Weights,
}

/// Input files by path.
#[derive(Clone, Debug, Default)]
pub struct CsvPaths<'a> {
    /// The volunteers CSV.
    pub volunteers: Option<&'a Path>,
    /// The shifts CSV.
    pub shifts: Option<&'a Path>,
    /// The sites CSV (without it, the sites are the venues and homes named).
    pub sites: Option<&'a Path>,
    /// The links CSV.
    pub links: Option<&'a Path>,
    /// The rules file (JSON with `rules` and `weights`).
    pub rules: Option<&'a Path>,
}

/// Reads the files and imports them (see [`import`]).
pub fn import_files(paths: &CsvPaths, name: &str) -> Result<Scenario, ImportError> {
    import_files_traced(paths, name).map(|i| i.scenario)
}

/// [`import_files`], with where each value came from and the import's
/// warnings (see [`Imported`]).
pub fn import_files_traced(paths: &CsvPaths, name: &str) -> Result<Imported, ImportError> {
    let read = |p: Option<&Path>| p.map(CsvText::read).transpose();
    let settings = match paths.rules {
        Some(p) => Some(crate::io::read_json::<Settings>(p)?),
        None => None,
    };
    let mut out = import_traced(
        read(paths.volunteers)?.as_ref(),
        read(paths.shifts)?.as_ref(),
        read(paths.sites)?.as_ref(),
        read(paths.links)?.as_ref(),
        settings,
        name,
    )?;
    out.origins.rules_file = paths.rules.map(|p| p.display().to_string());
    Ok(out)
}

/// Builds a scenario from CSV texts. Without a sites file, the sites are
/// the venues and homes named, in order of first appearance.
pub fn import(
    volunteers: Option<&CsvText>,
    shifts: Option<&CsvText>,
    sites: Option<&CsvText>,
    links: Option<&CsvText>,
    settings: Option<Settings>,
    name: &str,
) -> Result<Scenario, ImportError> {
    import_traced(volunteers, shifts, sites, links, settings, name).map(|i| i.scenario)
}

/// An imported scenario with the CSV location of each of its list
/// elements and the warnings of the import itself.
#[derive(Clone, Debug, Default)]
pub struct Imported {
    /// The scenario built.
    pub scenario: Scenario,
    /// The CSV location of each list element.
    pub origins: Origins,
    /// Site ids used only once when no sites file was given (likely typos),
    /// each with its CSV location.
    pub warnings: Vec<String>,
}

/// Where the elements of an imported scenario came from, so that a
/// diagnostic on the scenario (a JSON path) can name the CSV file, line and
/// column instead.
#[derive(Clone, Debug, Default)]
pub struct Origins {
    /// `shifts[3]` → (file, line).
    rows: HashMap<String, (String, u64)>,
    /// The rules file, for paths under `rules` and `weights`.
    pub rules_file: Option<String>,
}

impl Origins {
    fn record(&mut self, list: &str, index: usize, file: &str, line: u64) {
        self.rows
            .insert(format!("{list}[{index}]"), (file.to_string(), line));
    }

    /// The CSV location of JSON path `path` of the imported scenario, as
    /// `shifts.csv:2: column 'end'` (or `rules.json: rules.max_shifts`);
    /// `None` for a path no input row or file gave.
    pub fn locate(&self, path: &str) -> Option<String> {
        if path.starts_with("rules") || path.starts_with("weights") {
            return self.rules_file.as_ref().map(|f| format!("{f}: {path}"));
        }
        let end = path.find(']')? + 1;
        let (file, line) = self.rows.get(&path[..end])?;
        let rest = path[end..].trim_start_matches('.');
        let mut fields = rest.split(['.', '[']);
        let column = match (fields.next().unwrap_or(""), fields.next()) {
            ("", _) => return Some(format!("{file}:{line}")),
            ("prefers", Some("venues")) => "prefer_venues",
            ("prefers", Some("roles")) => "prefer_roles",
            (field, _) => field,
        };
        Some(format!("{file}:{line}: column '{column}'"))
    }
}

/// [`import`], keeping each row's location and warning about site ids
/// used only once when no sites file was given.
pub fn import_traced(
    volunteers: Option<&CsvText>,
    shifts: Option<&CsvText>,
    sites: Option<&CsvText>,
    links: Option<&CsvText>,
    settings: Option<Settings>,
    name: &str,
) -> Result<Imported, ImportError> {
    let mut errs = Vec::new();
    let mut origins = Origins::default();
    let settings = settings.unwrap_or_default();
    let mut sc = Scenario {
        format: SCENARIO_FORMAT.into(),
        name: name.to_string(),
        rules: settings.rules,
        weights: settings.weights,
        ..Scenario::default()
    };
    if let Some(f) = sites {
        for_rows(f, &SITE_COLUMNS, &["id"], &mut errs, |r, errs| {
            origins.record("sites", sc.sites.len(), r.file, r.line);
            sc.sites.push(Site {
                id: r.id(errs),
                name: r.opt("name"),
                kind: r.opt("kind"),
            })
        });
    }
    if let Some(f) = links {
        for_rows(f, &LINK_COLUMNS, &LINK_COLUMNS, &mut errs, |r, errs| {
            origins.record("links", sc.links.len(), r.file, r.line);
            sc.links.push(Link {
                from: r.id_in("from", errs),
                to: r.id_in("to", errs),
                minutes: r.int("minutes", errs).unwrap_or(0),
            })
        });
    }
    if let Some(f) = shifts {
        let required = ["id", "venue", "start", "end", "min", "max"];
        for_rows(f, &SHIFT_COLUMNS, &required, &mut errs, |r, errs| {
            origins.record("shifts", sc.shifts.len(), r.file, r.line);
            sc.shifts.push(shift_of(r, errs))
        });
    }
    if let Some(f) = volunteers {
        for_rows(f, &VOLUNTEER_COLUMNS, &["id"], &mut errs, |r, errs| {
            origins.record("volunteers", sc.volunteers.len(), r.file, r.line);
            sc.volunteers.push(volunteer_of(r, errs))
        });
    }
    let mut warnings = Vec::new();
    if sites.is_none() {
        warnings = single_use_sites(&sc, &origins);
        add_named_sites(&mut sc);
    }
    if errs.is_empty() {
        Ok(Imported {
            scenario: sc,
            origins,
            warnings,
        })
    } else {
        Err(ImportError::Cells(errs))
    }
}

/// One shift from its CSV row.
fn shift_of(r: &Row, errs: &mut Vec<CellError>) -> Shift {
    Shift {
        id: r.id(errs),
        venue: r.id_in("venue", errs),
        role: r.opt("role"),
        start: r.time("start", errs),
        end: r.time("end", errs),
        min: r.int("min", errs).unwrap_or(0),
        max: r.int("max", errs).unwrap_or(0),
        priority: r.float("priority", errs).unwrap_or(1.0),
        requires: r.list("requires"),
        quotas: r.quotas("quotas", errs),
    }
}

/// One volunteer from its CSV row.
fn volunteer_of(r: &Row, errs: &mut Vec<CellError>) -> Volunteer {
    let venues = r.list("prefer_venues");
    let roles = r.list("prefer_roles");
    Volunteer {
        id: r.id(errs),
        home: r.opt("home"),
        skills: r.list("skills"),
        languages: r.languages("languages", errs),
        available: r.windows("available", errs),
        min_shifts: r.int("min_shifts", errs),
        max_shifts: r.int("max_shifts", errs),
        min_rest_minutes: r.int("min_rest_minutes", errs),
        max_minutes_per_day: r.int("max_minutes_per_day", errs),
        max_consecutive_days: r.int("max_consecutive_days", errs),
        prefers: (!venues.is_empty() || !roles.is_empty()).then_some(Prefers { venues, roles }),
        group: r.opt("group"),
        pinned: r.list("pinned"),
        excluded: r.list("excluded"),
    }
}

/// Without a sites file: the venues and homes named, in order of first
/// appearance, become the sites.
fn add_named_sites(sc: &mut Scenario) {
    let mut seen = HashSet::new();
    let named: Vec<String> = sc
        .shifts
        .iter()
        .map(|s| s.venue.clone())
        .chain(sc.volunteers.iter().filter_map(|v| v.home.clone()))
        .collect();
    for id in named {
        if !id.is_empty() && seen.insert(id.clone()) {
            sc.sites.push(Site {
                id,
                ..Site::default()
            });
        }
    }
}

/// Without a sites file every venue and home id makes a site, so a typo
/// makes a new one silently: one warning per id used only once (by one
/// shift's venue or one volunteer's home), at the cell that names it.
fn single_use_sites(sc: &Scenario, origins: &Origins) -> Vec<String> {
    let named =
        sc.shifts
            .iter()
            .enumerate()
            .map(|(i, s)| (s.venue.as_str(), format!("shifts[{i}].venue")))
            .chain(
                sc.volunteers.iter().enumerate().filter_map(|(i, v)| {
                    Some((v.home.as_deref()?, format!("volunteers[{i}].home")))
                }),
            )
            .filter(|(id, _)| !id.is_empty());
    let mut uses: BTreeMap<&str, (usize, String)> = BTreeMap::new();
    let mut order = Vec::new();
    for (id, path) in named {
        let e = uses.entry(id).or_insert_with(|| {
            order.push(id);
            (0, path)
        });
        e.0 += 1;
    }
    order
        .into_iter()
        .filter_map(|id| {
            let (n, path) = &uses[id];
            (*n == 1).then(|| {
                let at = origins.locate(path).unwrap_or_else(|| path.clone());
                format!(
                    "{at}: site '{id}' is used only once and no sites file was given; \
                     a typo? (give --sites to check ids)"
                )
            })
        })
        .collect()
}

/// Parses every row of `f`, checking the header first (unknown or
/// duplicated columns, missing required ones) and duplicate ids.
fn for_rows(
    f: &CsvText,
    known: &[&str],
    required: &[&str],
    errs: &mut Vec<CellError>,
    mut each: impl FnMut(&Row, &mut Vec<CellError>),
) {
    let mut rd = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(f.text.as_bytes());
    let Some((header_len, cols)) = read_header(f, &mut rd, known, required, errs) else {
        return;
    };
    let mut ids: HashMap<String, u64> = HashMap::new();
    let id_col = known[0] == "id";
    for rec in rd.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errs.push(cell_error(f, line, "", format!("unreadable row: {e}")));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line());
        if rec.iter().all(|c| c.is_empty()) {
            continue;
        }
        if rec.len() != header_len {
            errs.push(cell_error(
                f,
                line,
                "",
                format!("{} cells, the header has {header_len}", rec.len()),
            ));
            continue;
        }
        let row = Row {
            file: &f.file,
            line,
            cols: &cols,
            rec: &rec,
        };
        if id_col {
            let id = row.get("id");
            if !id.is_empty() {
                if let Some(first) = ids.insert(id.to_string(), line) {
                    errs.push(cell_error(
                        f,
                        line,
                        "id",
                        format!("id '{id}' already used on line {first}"),
                    ));
                }
            }
        }
        each(&row, errs);
    }
}

fn cell_error(f: &CsvText, row: u64, column: &str, message: String) -> CellError {
    CellError {
        file: f.file.clone(),
        row,
        column: column.to_string(),
        message,
    }
}

/// The header of `f`: its length and each known column's position, or
/// `None` (with the errors recorded) when a column is unknown, appears
/// twice, or a required one is missing.
fn read_header(
    f: &CsvText,
    rd: &mut csv::Reader<&[u8]>,
    known: &[&str],
    required: &[&str],
    errs: &mut Vec<CellError>,
) -> Option<(usize, HashMap<String, usize>)> {
    let header: Vec<String> = match rd.headers() {
        Ok(h) => h
            .iter()
            .map(|s| s.trim_start_matches('\u{feff}').to_string())
            .collect(),
        Err(e) => {
            errs.push(cell_error(f, 1, "", format!("cannot read the header: {e}")));
            return None;
        }
    };
    let mut cols: HashMap<String, usize> = HashMap::new();
    let mut header_ok = true;
    for (i, h) in header.iter().enumerate() {
        if !known.contains(&h.as_str()) {
            errs.push(cell_error(
                f,
                1,
                h,
                format!("unknown column (known: {})", known.join(", ")),
            ));
            header_ok = false;
        } else if cols.insert(h.clone(), i).is_some() {
            errs.push(cell_error(f, 1, h, "column appears twice".into()));
            header_ok = false;
        }
    }
    for r in required {
        if !cols.contains_key(*r) {
            errs.push(cell_error(f, 1, r, "required column is missing".into()));
            header_ok = false;
        }
    }
    header_ok.then_some((header.len(), cols))
}

/// One data row with typed cell accessors that record bad cells.
struct Row<'a> {
    file: &'a str,
    line: u64,
    cols: &'a HashMap<String, usize>,
    rec: &'a csv::StringRecord,
}

impl Row<'_> {
    fn get(&self, col: &str) -> &str {
        self.cols
            .get(col)
            .and_then(|&i| self.rec.get(i))
            .unwrap_or("")
    }
    fn bad(&self, errs: &mut Vec<CellError>, col: &str, message: String) {
        errs.push(CellError {
            file: self.file.to_string(),
            row: self.line,
            column: col.to_string(),
            message,
        });
    }
    fn opt(&self, col: &str) -> Option<String> {
        let v = self.get(col);
        (!v.is_empty()).then(|| v.to_string())
    }
    fn id_in(&self, col: &str, errs: &mut Vec<CellError>) -> String {
        let v = self.get(col);
        if v.is_empty() {
            self.bad(errs, col, "must not be empty".into());
        }
        v.to_string()
    }
    fn id(&self, errs: &mut Vec<CellError>) -> String {
        self.id_in("id", errs)
    }
    fn int(&self, col: &str, errs: &mut Vec<CellError>) -> Option<i64> {
        let v = self.get(col);
        if v.is_empty() {
            return None;
        }
        match v.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.bad(errs, col, format!("'{v}' is not a whole number"));
                None
            }
        }
    }
    fn float(&self, col: &str, errs: &mut Vec<CellError>) -> Option<f64> {
        let v = self.get(col);
        if v.is_empty() {
            return None;
        }
        match v.parse::<f64>() {
            Ok(n) if n.is_finite() => Some(n),
            _ => {
                self.bad(errs, col, format!("'{v}' is not a number"));
                None
            }
        }
    }
    fn time(&self, col: &str, errs: &mut Vec<CellError>) -> String {
        let v = self.get(col);
        if let Err(e) = parse_time(v) {
            self.bad(errs, col, e.to_string());
        }
        v.to_string()
    }
    fn list(&self, col: &str) -> Vec<String> {
        split(self.get(col)).map(str::to_string).collect()
    }
    fn languages(&self, col: &str, errs: &mut Vec<CellError>) -> BTreeMap<String, i64> {
        let mut out = BTreeMap::new();
        for item in split(self.get(col)) {
            let parsed = item
                .split_once(':')
                .and_then(|(l, n)| Some((l.trim(), n.trim().parse::<i64>().ok()?)))
                .filter(|(l, _)| !l.is_empty());
            match parsed {
                Some((l, n)) => {
                    if out.insert(l.to_string(), n).is_some() {
                        self.bad(errs, col, format!("language '{l}' given twice"));
                    }
                }
                None => self.bad(
                    errs,
                    col,
                    format!("'{item}' is not LANGUAGE:LEVEL (e.g. en:3)"),
                ),
            }
        }
        out
    }
    fn windows(&self, col: &str, errs: &mut Vec<CellError>) -> Option<Vec<(String, String)>> {
        let v = self.get(col);
        if v.is_empty() {
            return None;
        }
        if v.eq_ignore_ascii_case("none") {
            return Some(Vec::new());
        }
        let mut out = Vec::new();
        for item in split(v) {
            match item.split_once('/') {
                Some((a, b)) => {
                    let (a, b) = (a.trim(), b.trim());
                    for t in [a, b] {
                        if let Err(e) = parse_time(t) {
                            self.bad(errs, col, e.to_string());
                        }
                    }
                    out.push((a.to_string(), b.to_string()));
                }
                None => self.bad(
                    errs,
                    col,
                    format!("'{item}' is not FROM/TO (e.g. 2022-02-04T06:00/2022-02-10T22:00)"),
                ),
            }
        }
        Some(out)
    }
    fn quotas(&self, col: &str, errs: &mut Vec<CellError>) -> Vec<Quota> {
        let mut out = Vec::new();
        for item in split(self.get(col)) {
            let parts: Vec<&str> = item.split(':').map(str::trim).collect();
            let num = |s: &str| s.parse::<i64>().ok();
            let q = match parts.as_slice() {
                ["skill", k, n] if !k.is_empty() => num(n).map(|n| Quota {
                    skill: Some(k.to_string()),
                    at_least: n,
                    ..Quota::default()
                }),
                ["lang", l, n] if !l.is_empty() => num(n).map(|n| Quota {
                    language: Some(l.to_string()),
                    at_least: n,
                    ..Quota::default()
                }),
                ["lang", l, lv, n] if !l.is_empty() => match (num(lv), num(n)) {
                    (Some(lv), Some(n)) => Some(Quota {
                        language: Some(l.to_string()),
                        level: Some(lv),
                        at_least: n,
                        ..Quota::default()
                    }),
                    _ => None,
                },
                _ => None,
            };
            match q {
                Some(q) => out.push(q),
                None => self.bad(
                    errs,
                    col,
                    format!("'{item}' is not skill:NAME:AT_LEAST or lang:CODE[:LEVEL]:AT_LEAST"),
                ),
            }
        }
        out
    }
}

/// Non-empty, trimmed items of a `;`-separated cell.
fn split(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(LIST_SEP)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}
