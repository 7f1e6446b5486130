//! Exports of a scenario and its roster for planners and volunteers: CSV
//! tables ([`csv`]), one iCalendar file per volunteer ([`ical`]), a
//! self-contained HTML report ([`html`]), an Excel workbook ([`xlsx`]) and
//! the service-hours ledger ([`hours`]).
//!
//! Every export is computed in memory as a list of `(file name, bytes)`;
//! [`write_dir`] then writes a whole directory atomically (a temporary
//! directory beside it, renamed into place), so a failed export leaves the
//! previous directory or none.

pub mod csv;
pub mod hours;
pub mod html;
pub mod ical;
pub mod xlsx;

use crate::problem::{CompileError, Problem, NONE, UNREACHABLE};
use crate::scenario::{ObjectiveBreakdown, Roster, Scenario};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use thiserror::Error;

/// Why an export could not be built or written.
#[derive(Debug, Error)]
pub enum ExportError {
    #[error("cannot compile the scenario: {0}")]
    Compile(#[from] CompileError),
    #[error("roster names unknown shift '{0}'")]
    UnknownShift(String),
    #[error("roster names unknown volunteer '{volunteer}' on shift '{shift}'")]
    UnknownVolunteer { shift: String, volunteer: String },
    #[error("cannot write {path}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot format CSV: {0}")]
    Csv(String),
    #[error("cannot build the workbook: {0}")]
    Xlsx(String),
}

/// A file produced by an export: its name inside the target directory and its bytes.
pub type OutFile = (String, Vec<u8>);

/// A roster resolved against its scenario: dense indices both ways.
pub struct View<'a> {
    pub scenario: &'a Scenario,
    pub roster: &'a Roster,
    pub problem: Problem,
    /// Per shift: volunteers on it (scenario indices, roster order, no duplicates).
    pub crew: Vec<Vec<usize>>,
    /// Per volunteer: their shifts, sorted by start.
    pub schedule: Vec<Vec<usize>>,
}

impl<'a> View<'a> {
    /// Resolves every id of `roster`; unknown ids are errors.
    pub fn new(scenario: &'a Scenario, roster: &'a Roster) -> Result<View<'a>, ExportError> {
        let problem = Problem::compile(scenario)?;
        let (crew, mut schedule) = roster.crews(scenario).map_err(|e| match e {
            crate::scenario::UnknownId::Shift(id) => ExportError::UnknownShift(id),
            crate::scenario::UnknownId::Volunteer { shift, volunteer } => {
                ExportError::UnknownVolunteer { shift, volunteer }
            }
        })?;
        for sched in &mut schedule {
            sched.sort_by_key(|&s| (problem.shifts[s].start, s));
        }
        Ok(View {
            scenario,
            roster,
            problem,
            crew,
            schedule,
        })
    }

    /// Calendar date `YYYY-MM-DD` of a shift (the day of its start).
    pub fn day(&self, s: usize) -> String {
        self.scenario.shifts[s]
            .start
            .get(..10)
            .unwrap_or("")
            .to_string()
    }

    /// Shift minutes.
    pub fn minutes(&self, s: usize) -> i64 {
        self.problem.shifts[s].duration()
    }

    /// Display name of a site (its `name`, else its id).
    pub fn site_name(&self, id: &str) -> String {
        self.scenario
            .sites
            .iter()
            .find(|s| s.id == id)
            .and_then(|s| s.name.clone())
            .unwrap_or_else(|| id.to_string())
    }

    /// Qualifying assignees of quota `qi` of shift `s`.
    pub fn quota_count(&self, s: usize, qi: usize) -> usize {
        let q = &self.scenario.shifts[s].quotas[qi];
        self.crew[s]
            .iter()
            .filter(|&&v| crate::quota::qualifies(q, &self.scenario.volunteers[v]))
            .count()
    }

    /// Label of quota `qi` of shift `s`: `skill first_aid`, `language en>=3`
    /// (see [`crate::quota::label`]).
    pub fn quota_label(&self, s: usize, qi: usize) -> String {
        crate::quota::label(&self.scenario.shifts[s].quotas[qi])
    }

    /// The objective breakdown recomputed from the format page (no `change`
    /// term: that needs the previous roster).
    pub fn objective(&self) -> ObjectiveBreakdown {
        let sc = self.scenario;
        let w = &sc.weights;
        let p = &self.problem;
        let mut b = ObjectiveBreakdown::default();
        for (s, sh) in sc.shifts.iter().enumerate() {
            let n = self.crew[s].len() as i64;
            b.uncovered += w.uncovered * sh.priority * (sh.min - n).max(0) as f64;
            for (qi, q) in sh.quotas.iter().enumerate() {
                let have = self.quota_count(s, qi) as i64;
                b.quota_shortfall +=
                    w.quota_shortfall * sh.priority * (q.at_least - have).max(0) as f64;
            }
        }
        let mut groups: HashMap<&str, HashSet<&str>> = HashMap::new();
        for (v, vol) in sc.volunteers.iter().enumerate() {
            let sched = &self.schedule[v];
            let r = vol.effective_rules(&sc.rules);
            b.under_commitment +=
                w.under_commitment * (r.min_shifts - sched.len() as i64).max(0) as f64;
            if !sched.is_empty() {
                b.volunteer_used += w.volunteer_used;
            }
            let extra = (sched.len() as i64 - r.min_shifts).max(0) as f64;
            b.extra_load += w.extra_load * extra * extra;
            for &s in sched {
                let sh = &sc.shifts[s];
                if let Some(pr) = &vol.prefers {
                    if !pr.venues.is_empty() && !pr.venues.contains(&sh.venue) {
                        b.preference_miss += w.preference_miss;
                    }
                    if !pr.roles.is_empty()
                        && !sh.role.as_ref().is_some_and(|r| pr.roles.contains(r))
                    {
                        b.preference_miss += w.preference_miss;
                    }
                }
                if p.volunteers[v].home != NONE {
                    let t = p.home_travel(v, s);
                    if t != UNREACHABLE {
                        b.travel += w.travel_minute * t as f64;
                    }
                }
                if let Some(g) = &vol.group {
                    groups.entry(g).or_default().insert(&sh.venue);
                }
            }
        }
        for venues in groups.values() {
            b.group_split += w.group_split * (venues.len().max(1) - 1) as f64;
        }
        b.total = b.sum_of_terms();
        b
    }
}

/// Writes `files` as the whole content of directory `dir` (creating its
/// missing parents): into a fresh temporary directory beside it, then renamed into place (an existing
/// `dir` is moved aside first and removed after). A failure leaves the
/// previous directory in place.
pub fn write_dir(dir: &Path, files: &[OutFile]) -> Result<(), ExportError> {
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| ExportError::Io { path, source }
    };
    let parent = match dir.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => Path::new(".").to_path_buf(),
    };
    // Missing parents are created, as `mkdir -p` would.
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    // The temporary directory's name is an implementation detail: the
    // error names the parent and the reason only.
    let tmp = tempfile::Builder::new()
        .prefix(".vroster-export-")
        .tempdir_in(&parent)
        .map_err(|e| io(&parent)(std::io::Error::from(e.kind())))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755))
            .map_err(io(tmp.path()))?;
    }
    for (name, bytes) in files {
        let path = tmp.path().join(name);
        std::fs::write(&path, bytes).map_err(io(&path))?;
    }
    let tmp_path = tmp.keep();
    let result = (|| {
        if dir.exists() {
            let aside = parent.join(format!(
                ".vroster-old-{}-{}",
                std::process::id(),
                dir.file_name().and_then(|n| n.to_str()).unwrap_or("out")
            ));
            std::fs::rename(dir, &aside).map_err(io(dir))?;
            if let Err(e) = std::fs::rename(&tmp_path, dir) {
                let _ = std::fs::rename(&aside, dir);
                return Err(io(dir)(e));
            }
            let _ = std::fs::remove_dir_all(&aside);
            Ok(())
        } else {
            std::fs::rename(&tmp_path, dir).map_err(io(dir))
        }
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp_path);
    }
    result
}
