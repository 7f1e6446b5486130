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

use crate::problem::{CompileError, Problem};
use crate::scenario::{ObjectiveBreakdown, Roster, Scenario, UnknownId};
use std::path::Path;
use thiserror::Error;

/// Why an export could not be built or written.
#[derive(Debug, Error)]
pub enum ExportError {
    #[error("cannot compile the scenario: {0}")]
    /// The scenario does not compile.
    Compile(#[from] CompileError),
    #[error("roster names unknown shift '{0}'")]
    /// The roster names a shift the scenario does not have.
    UnknownShift(String),
    #[error("roster names unknown volunteer '{volunteer}' on shift '{shift}'")]
    /// The roster names a volunteer the scenario does not have.
    UnknownVolunteer {
        /// The shift it is listed on.
        shift: String,
        /// The unknown volunteer id.
        volunteer: String,
    },
    #[error("cannot write {path}")]
    /// A file could not be written.
    Io {
        /// Path of the file.
        path: String,
        #[source]
        /// The underlying error.
        source: std::io::Error,
    },
    #[error("cannot format CSV: {0}")]
    /// The CSV writer failed.
    Csv(String),
    #[error("cannot build the workbook: {0}")]
    /// The workbook writer failed.
    Xlsx(String),
}

impl From<UnknownId> for ExportError {
    fn from(e: UnknownId) -> Self {
        match e {
            UnknownId::Shift(id) => ExportError::UnknownShift(id),
            UnknownId::Volunteer { shift, volunteer } => {
                ExportError::UnknownVolunteer { shift, volunteer }
            }
        }
    }
}

/// A file produced by an export: its name inside the target directory and its bytes.
pub type OutFile = (String, Vec<u8>);

/// A roster resolved against its scenario: dense indices both ways.
pub struct View<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// The roster.
    pub roster: &'a Roster,
    /// The scenario, compiled (indices in scenario order).
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
        let crate::scenario::ResolvedRoster {
            crews: crew,
            schedules: mut schedule,
        } = roster.resolve(scenario)?;
        for sched in &mut schedule {
            sched.sort_by_key(|&s| (problem.shifts()[s].start, s));
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
        self.problem.shifts()[s].duration()
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

    /// The objective breakdown as the checker computes it
    /// ([`crate::check::check_roster`]: the exports' one source of figures;
    /// no `change` term, that needs the previous roster). The checker reads
    /// the same times the compiler already read for this view, so it cannot
    /// fail here; if it did, the breakdown would be all zeros.
    pub fn objective(&self) -> ObjectiveBreakdown {
        crate::check::check_roster(self.scenario, self.roster)
            .map(|c| c.objective)
            .unwrap_or_default()
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
