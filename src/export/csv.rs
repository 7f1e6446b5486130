//! CSV exports: the roster as tables (assignments, per-volunteer schedule,
//! per-shift crew with quota status, per-venue daily headcount) and the
//! scenario in the import layout of `docs/csv.md` (so that
//! `vroster import csv` reads it back to an equal scenario).

use super::{ExportError, OutFile, View};
use crate::csv_import::{LINK_COLUMNS, SHIFT_COLUMNS, SITE_COLUMNS, VOLUNTEER_COLUMNS};
use crate::scenario::{Quota, Scenario, Shift, Volunteer};
use std::collections::BTreeMap;

pub(super) fn table(
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<Vec<u8>, ExportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| ExportError::Csv(e.to_string());
    w.write_record(header).map_err(err)?;
    for r in rows {
        w.write_record(&r).map_err(err)?;
    }
    w.into_inner().map_err(|e| ExportError::Csv(e.to_string()))
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(|x| x.to_string()).unwrap_or_default()
}

/// The roster tables: `assignments.csv`, `volunteers_schedule.csv`,
/// `shifts_crew.csv`, `venues_daily.csv`, `fairness.csv`.
pub fn roster_files(view: &View) -> Result<Vec<OutFile>, ExportError> {
    let sc = view.scenario;
    // Shifts by start.
    let mut order: Vec<usize> = (0..sc.shifts.len()).collect();
    order.sort_by_key(|&s| (view.problem.shifts()[s].start, s));
    Ok(vec![
        ("assignments.csv".into(), assignments_table(view, &order)?),
        ("volunteers_schedule.csv".into(), schedule_table(view)?),
        ("shifts_crew.csv".into(), crew_table(view, &order)?),
        ("venues_daily.csv".into(), daily_table(view)?),
        ("fairness.csv".into(), fairness_table(view)?),
    ])
}

/// `assignments.csv`: one row per assignment, shifts in `order`.
fn assignments_table(view: &View, order: &[usize]) -> Result<Vec<u8>, ExportError> {
    let sc = view.scenario;
    let mut rows = Vec::new();
    for &s in order {
        let sh = &sc.shifts[s];
        for &v in &view.crew[s] {
            rows.push(vec![
                sh.id.clone(),
                sc.volunteers[v].id.clone(),
                sh.venue.clone(),
                opt(&sh.role),
                view.day(s),
                sh.start.clone(),
                sh.end.clone(),
                view.minutes(s).to_string(),
            ]);
        }
    }
    table(
        &[
            "shift",
            "volunteer",
            "venue",
            "role",
            "day",
            "start",
            "end",
            "minutes",
        ],
        rows,
    )
}

/// `volunteers_schedule.csv`: one row per volunteer.
fn schedule_table(view: &View) -> Result<Vec<u8>, ExportError> {
    let sc = view.scenario;
    let rows = sc.volunteers.iter().enumerate().map(|(v, vol)| {
        let sched = &view.schedule[v];
        let r = vol.effective_rules(&sc.rules);
        let minutes: i64 = sched.iter().map(|&s| view.minutes(s)).sum();
        let extra = (sched.len() as i64 - r.min_shifts).max(0);
        let status = if (sched.len() as i64) < r.min_shifts {
            "below commitment"
        } else {
            "ok"
        };
        vec![
            vol.id.clone(),
            sched.len().to_string(),
            r.min_shifts.to_string(),
            r.max_shifts.to_string(),
            status.to_string(),
            minutes.to_string(),
            sched
                .first()
                .map(|&s| sc.shifts[s].start.clone())
                .unwrap_or_default(),
            sched
                .last()
                .map(|&s| sc.shifts[s].end.clone())
                .unwrap_or_default(),
            sched
                .iter()
                .map(|&s| sc.shifts[s].id.as_str())
                .collect::<Vec<_>>()
                .join(";"),
            extra.to_string(),
        ]
    });
    table(
        &[
            "volunteer",
            "shifts",
            "min_shifts",
            "max_shifts",
            "status",
            "minutes",
            "first_start",
            "last_end",
            "shift_ids",
            "extra_shifts",
        ],
        rows.collect::<Vec<_>>(),
    )
}

/// `shifts_crew.csv`: one row per shift in `order`, with quota status.
fn crew_table(view: &View, order: &[usize]) -> Result<Vec<u8>, ExportError> {
    let sc = view.scenario;
    let mut rows = Vec::new();
    for &s in order {
        let sh = &sc.shifts[s];
        let n = view.crew[s].len() as i64;
        let status = if n < sh.min { "below min" } else { "ok" };
        rows.push(vec![
            sh.id.clone(),
            sh.venue.clone(),
            opt(&sh.role),
            sh.start.clone(),
            sh.end.clone(),
            sh.min.to_string(),
            sh.max.to_string(),
            n.to_string(),
            status.into(),
            quota_status(view, s),
            view.crew[s]
                .iter()
                .map(|&v| sc.volunteers[v].id.as_str())
                .collect::<Vec<_>>()
                .join(";"),
        ]);
    }
    table(
        &[
            "shift",
            "venue",
            "role",
            "start",
            "end",
            "min",
            "max",
            "assigned",
            "status",
            "quotas",
            "volunteers",
        ],
        rows,
    )
}

/// Shift `s`'s quotas as `label have/need met|short`, `;`-separated.
fn quota_status(view: &View, s: usize) -> String {
    let sh = &view.scenario.shifts[s];
    let quotas: Vec<String> = (0..sh.quotas.len())
        .map(|qi| {
            let have = view.quota_count(s, qi);
            let need = sh.quotas[qi].at_least;
            format!(
                "{} {have}/{need} {}",
                view.quota_label(s, qi),
                if have as i64 >= need { "met" } else { "short" }
            )
        })
        .collect();
    quotas.join(";")
}

/// `venues_daily.csv`: per venue and day, see [`daily`].
fn daily_table(view: &View) -> Result<Vec<u8>, ExportError> {
    let rows = daily(view).into_iter().map(|((venue, day), d)| {
        vec![
            venue,
            day,
            d.shifts.to_string(),
            d.min.to_string(),
            d.covered.to_string(),
            d.assigned.to_string(),
            d.people.to_string(),
        ]
    });
    table(
        &[
            "venue",
            "day",
            "shifts",
            "min",
            "covered",
            "assigned",
            "volunteers",
        ],
        rows.collect::<Vec<_>>(),
    )
}

/// `fairness.csv`: the fairness view as `figure, value` rows (see
/// [`crate::fairness`]), the distribution last as `volunteers_at_<offset>`.
fn fairness_table(view: &View) -> Result<Vec<u8>, ExportError> {
    let sc = view.scenario;
    let f =
        crate::fairness::from_offsets(sc.volunteers.iter().enumerate().map(|(v, vol)| {
            view.schedule[v].len() as i64 - vol.effective_rules(&sc.rules).min_shifts
        }));
    let mut rows = vec![
        ("largest_extra".to_string(), f.largest_extra.to_string()),
        (
            "volunteers_above_commitment".into(),
            f.volunteers_above.to_string(),
        ),
        (
            "share_above_commitment".into(),
            format!("{:.4}", f.share_above),
        ),
        ("extra_shifts".into(), f.extra_shifts.to_string()),
        ("squared_extra_shifts".into(), f.squared_extra.to_string()),
        (
            "top_tenth_extra_shifts".into(),
            f.top_tenth_extra.to_string(),
        ),
    ];
    for b in &f.distribution {
        rows.push((
            format!("volunteers_at_{}", b.offset),
            b.volunteers.to_string(),
        ));
    }
    table(
        &["figure", "value"],
        rows.into_iter().map(|(k, v)| vec![k, v]),
    )
}

/// Headcount of one venue on one day.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Daily {
    /// Shifts at the venue that day.
    pub shifts: usize,
    /// Sum of the shifts' `min`.
    pub min: i64,
    /// Sum over the shifts of `min(assigned, min)`.
    pub covered: i64,
    /// Assignments.
    pub assigned: i64,
    /// Distinct volunteers.
    pub people: usize,
}

/// Per `(venue, day)`: demand and headcount, sorted by venue then day.
pub fn daily(view: &View) -> BTreeMap<(String, String), Daily> {
    let mut out: BTreeMap<(String, String), (Daily, std::collections::HashSet<usize>)> =
        BTreeMap::new();
    for (s, sh) in view.scenario.shifts.iter().enumerate() {
        let e = out.entry((sh.venue.clone(), view.day(s))).or_default();
        let n = view.crew[s].len() as i64;
        e.0.shifts += 1;
        e.0.min += sh.min;
        e.0.covered += n.min(sh.min);
        e.0.assigned += n;
        e.1.extend(view.crew[s].iter().copied());
    }
    out.into_iter()
        .map(|(k, (mut d, people))| {
            d.people = people.len();
            (k, d)
        })
        .collect()
}

/// The scenario in the import layout: `volunteers.csv`, `shifts.csv`,
/// `sites.csv`, `links.csv` and `rules.json` (rules and weights).
pub fn scenario_files(sc: &Scenario) -> Result<Vec<OutFile>, ExportError> {
    let vols = sc.volunteers.iter().map(volunteer_row);
    let shifts = sc.shifts.iter().map(shift_row);
    let sites = sc
        .sites
        .iter()
        .map(|s| vec![s.id.clone(), opt(&s.name), opt(&s.kind)]);
    let links = sc
        .links
        .iter()
        .map(|l| vec![l.from.clone(), l.to.clone(), l.minutes.to_string()]);
    let settings = serde_json::json!({ "rules": sc.rules, "weights": sc.weights });
    let mut rules =
        serde_json::to_vec_pretty(&settings).map_err(|e| ExportError::Csv(e.to_string()))?;
    rules.push(b'\n');
    Ok(vec![
        (
            "volunteers.csv".into(),
            table(&VOLUNTEER_COLUMNS, vols.collect::<Vec<_>>())?,
        ),
        (
            "shifts.csv".into(),
            table(&SHIFT_COLUMNS, shifts.collect::<Vec<_>>())?,
        ),
        (
            "sites.csv".into(),
            table(&SITE_COLUMNS, sites.collect::<Vec<_>>())?,
        ),
        (
            "links.csv".into(),
            table(&LINK_COLUMNS, links.collect::<Vec<_>>())?,
        ),
        ("rules.json".into(), rules),
    ])
}

fn join(v: &[String]) -> String {
    v.join(";")
}

/// A row of `volunteers.csv` (columns [`VOLUNTEER_COLUMNS`]).
fn volunteer_row(v: &Volunteer) -> Vec<String> {
    let windows = match &v.available {
        None => String::new(),
        Some(w) if w.is_empty() => "none".into(),
        Some(w) => w
            .iter()
            .map(|(a, b)| format!("{a}/{b}"))
            .collect::<Vec<_>>()
            .join(";"),
    };
    let (pv, pr) = match &v.prefers {
        Some(p) => (join(&p.venues), join(&p.roles)),
        None => (String::new(), String::new()),
    };
    vec![
        v.id.clone(),
        opt(&v.home),
        join(&v.skills),
        v.languages
            .iter()
            .map(|(l, n)| format!("{l}:{n}"))
            .collect::<Vec<_>>()
            .join(";"),
        windows,
        opt(&v.min_shifts),
        opt(&v.max_shifts),
        opt(&v.min_rest_minutes),
        opt(&v.max_minutes_per_day),
        opt(&v.max_consecutive_days),
        pv,
        pr,
        opt(&v.group),
        join(&v.pinned),
        join(&v.excluded),
    ]
}

/// A row of `shifts.csv` (columns [`SHIFT_COLUMNS`]).
fn shift_row(s: &Shift) -> Vec<String> {
    let quotas: Vec<String> = s.quotas.iter().map(quota_cell).collect();
    vec![
        s.id.clone(),
        s.venue.clone(),
        opt(&s.role),
        s.start.clone(),
        s.end.clone(),
        s.min.to_string(),
        s.max.to_string(),
        s.priority.to_string(),
        join(&s.requires),
        quotas.join(";"),
    ]
}

/// A quota as `skill:NAME:N`, `lang:CODE:LEVEL:N` or `lang:CODE:N`.
fn quota_cell(q: &Quota) -> String {
    match (&q.skill, &q.language, q.level) {
        (Some(k), _, _) => format!("skill:{k}:{}", q.at_least),
        (None, Some(l), Some(lv)) => format!("lang:{l}:{lv}:{}", q.at_least),
        (None, Some(l), None) => format!("lang:{l}:{}", q.at_least),
        _ => String::new(),
    }
}
