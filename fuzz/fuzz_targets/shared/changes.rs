//! Changes decoded from fuzz input over a valid scenario, shared by the
//! `checker` and `resolve` targets.

use arbitrary::Arbitrary;
use vroster::scenario::{Changes, Dropout, Scenario, ShiftUpdate, CHANGES_FORMAT};
use vroster::time::{format_time, parse_time};

/// A time as (shift index, minutes after its start).
#[derive(Arbitrary, Debug, Clone, Copy)]
pub struct At(pub u16, pub i16);

/// The changes as indices into the scenario.
#[derive(Arbitrary, Debug)]
pub struct ChangesIn {
    pub now: At,
    pub dropouts: Vec<(u16, At, Option<u16>)>,
    pub cancelled: Vec<u16>,
    pub updates: Vec<(u16, Option<i8>, Option<i8>)>,
    /// Copies of existing shifts, moved by minutes.
    pub new_shifts: Vec<(u16, i16)>,
    /// Copies of existing volunteers.
    pub new_volunteers: Vec<u16>,
}

pub fn time_at(sc: &Scenario, at: At) -> String {
    let sh = &sc.shifts[at.0 as usize % sc.shifts.len()];
    let start = parse_time(&sh.start).expect("valid scenario");
    format_time(start + at.1 as i64)
}

/// The changes file `ci` describes over `sc` (ids taken modulo the lists).
pub fn changes_of(sc: &Scenario, ci: &ChangesIn) -> Changes {
    let (n_sh, n_vol) = (sc.shifts.len(), sc.volunteers.len());
    let mut changes = Changes {
        format: CHANGES_FORMAT.to_string(),
        now: time_at(sc, ci.now),
        ..Changes::default()
    };
    for (v, from, hours) in &ci.dropouts {
        let from_t = time_at(sc, *from);
        changes.dropouts.push(Dropout {
            volunteer: sc.volunteers[*v as usize % n_vol].id.clone(),
            until: hours
                .map(|h| format_time(parse_time(&from_t).expect("formatted") + 60 * h as i64)),
            from: from_t,
        });
    }
    for &c in &ci.cancelled {
        let id = sc.shifts[c as usize % n_sh].id.clone();
        changes.cancelled_shifts.push(id);
    }
    for &(s, min, max) in &ci.updates {
        changes.shift_updates.push(ShiftUpdate {
            shift: sc.shifts[s as usize % n_sh].id.clone(),
            min: min.map(i64::from),
            max: max.map(i64::from),
        });
    }
    for (k, &(s, shift_by)) in ci.new_shifts.iter().enumerate() {
        let mut sh = sc.shifts[s as usize % n_sh].clone();
        sh.id = format!("fuzz-shift-{k}");
        for t in [&mut sh.start, &mut sh.end] {
            *t = format_time(parse_time(t).expect("valid") + shift_by as i64);
        }
        changes.new_shifts.push(sh);
    }
    for (k, &v) in ci.new_volunteers.iter().enumerate() {
        let mut vol = sc.volunteers[v as usize % n_vol].clone();
        vol.id = format!("fuzz-vol-{k}");
        changes.new_volunteers.push(vol);
    }
    changes
}
