//! The kept candidates as scenario shifts, in (day, venue, band, role)
//! order: id, times, `min`/`max`, priority, requirements and quotas.

use super::candidates::Cells;
use super::demand::{Demand, Kept};
use super::model::{
    Candidate, DayKind, Kind, VenueModel, BANDS, CLASS_SKILL, LS, MD, PO, RARE_LANGUAGES, ROLES,
    RS, SS,
};
use super::Calendar;
use crate::scenario::{Quota, Shift};
use crate::time::{format_time, MINUTES_PER_DAY};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// The shifts and their totals.
pub(super) struct Emitted {
    pub(super) shifts: Vec<Shift>,
    /// Σ `min`.
    pub(super) min_demand: u64,
    /// Σ eligible pool.
    pub(super) eligible_pairs: u64,
}

/// Emits every kept shift; draws quota languages from `rng`.
pub(super) fn emit(
    rng: &mut ChaCha8Rng,
    cal: &Calendar,
    venues: &[VenueModel],
    cells: &Cells,
    kept: &Kept,
    demand: &Demand,
) -> Emitted {
    let candidates = &cells.candidates;
    let mut order: Vec<usize> = (0..kept.shifts.len()).collect();
    order.sort_by_key(|&i| {
        let c = &candidates[kept.shifts[i]];
        (c.day, c.venue, c.band, c.role)
    });
    let mut out = Emitted {
        shifts: Vec::with_capacity(kept.shifts.len()),
        min_demand: 0,
        eligible_pairs: 0,
    };
    for i in order {
        let c = &candidates[kept.shifts[i]];
        let min = demand.mins[i] as i64;
        out.min_demand += min as u64;
        out.eligible_pairs += demand.raw[i].1 as u64;
        out.shifts
            .push(shift(rng, cal, &venues[c.venue as usize], c, min));
    }
    out
}

/// One shift of candidate `c` at venue `v` with demand `min`.
fn shift(rng: &mut ChaCha8Rng, cal: &Calendar, v: &VenueModel, c: &Candidate, min: i64) -> Shift {
    let (band_id, band_start, band_len) = BANDS[c.band as usize];
    let (role_name, role_code, class) = ROLES[c.role as usize];
    let start = cal.origin + c.day as i64 * MINUTES_PER_DAY + band_start;
    let day_kind = v.days[c.day as usize];
    let priority = match (v.kind, day_kind) {
        (_, DayKind::Setup) => 1.0,
        (Kind::Competition, _) if [SS, MD, RS].contains(&c.role) => 3.0,
        (Kind::Competition | Kind::Village | Kind::Media | Kind::Airport, _) => 2.0,
        _ => 1.0,
    };
    let mut requires = vec![format!("accreditation:{}", v.id)];
    if class > 0 {
        requires.push(CLASS_SKILL[class as usize].to_string());
    }
    let quotas = quotas(rng, v.kind, c.role, min);
    let mmdd = &cal.day_text[c.day as usize][5..];
    Shift {
        id: format!(
            "{}-{}-{}-{}",
            v.id,
            role_code,
            mmdd.replace('-', ""),
            band_id
        ),
        venue: v.id.clone(),
        role: Some(role_name.to_string()),
        start: format_time(start),
        end: format_time(start + band_len),
        min,
        max: min + (min + 4) / 5,
        priority,
        requires,
        quotas,
    }
}

fn language_quota(l: &str, n: i64) -> Quota {
    Quota {
        skill: None,
        language: Some(l.to_string()),
        level: Some(3),
        at_least: n,
    }
}

fn skill_quota(s: &str, n: i64) -> Quota {
    Quota {
        skill: Some(s.to_string()),
        language: None,
        level: None,
        at_least: n,
    }
}

/// Quotas by role: English and rare languages for language services, first
/// aid and English for large spectator crews, and so on.
fn quotas(rng: &mut ChaCha8Rng, kind: Kind, role: u8, min: i64) -> Vec<Quota> {
    let mut quotas = Vec::new();
    match role {
        LS => {
            quotas.push(language_quota("en", (min + 1) / 2));
            if min >= 3 {
                let n_rare = if matches!(kind, Kind::Village | Kind::Airport | Kind::Media) {
                    2
                } else {
                    1
                };
                let first = rng.gen_range(0..RARE_LANGUAGES.len());
                for j in 0..n_rare {
                    let l = RARE_LANGUAGES[(first + j) % RARE_LANGUAGES.len()];
                    quotas.push(language_quota(l, 1));
                }
            }
        }
        SS if min >= 6 => {
            quotas.push(skill_quota("first_aid", (min / 10).max(1)));
            quotas.push(language_quota("en", (min + 3) / 4));
        }
        PO if min >= 2 => {
            quotas.push(language_quota("en", (min + 1) / 2));
            if min >= 4 && rng.gen_bool(0.5) {
                quotas.push(language_quota("fr", 1));
            }
        }
        RS if min >= 3 => quotas.push(skill_quota("it_support", 1)),
        MD if min >= 3 && kind == Kind::Competition => quotas.push(language_quota("en", 1)),
        _ => {}
    }
    quotas
}
