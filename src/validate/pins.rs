//! Pins and exclusions (rule 8 of the format page): the volunteers'
//! `pinned` and `excluded` shift lists.
//!
//! Two steps, like the rest of validation:
//!
//! - [`check_refs`] (stage 3, always): every listed shift exists
//!   (`E-UNKNOWN-REF`), no shift is both pinned and excluded
//!   (`E-PIN-EXCLUDED`), a shift listed twice is a `W-DUPLICATE-ENTRY`.
//! - [`check_feasible`] (only on a scenario without errors, so times, sites
//!   and references are sound): a pin must itself satisfy rules 1–7, alone
//!   (skills, availability, reachable home: `E-PIN-INELIGIBLE`; a day cap,
//!   `max_shifts` or `max_consecutive_days` it breaks by itself) and together
//!   with the volunteer's other pins (`E-PIN-SPACING`, `E-PIN-DAY-CAP`,
//!   `E-PIN-MAX-SHIFTS`, `E-PIN-CONSECUTIVE`) and with the other volunteers'
//!   pins on the same shift (`E-PIN-HEADCOUNT`). A conflict names the rule
//!   and the other pin.
//!
//! The work is linear in the pins apart from the spacing check, quadratic in
//! one volunteer's pins (a handful); travel is computed from the venues of
//! pinned shifts only. Each rule's test is asked of [`crate::rules`], the
//! solver's one home for rules 3–7 (only the checker keeps its own copy).

use super::checks::{at, Origins};
use super::{codes, Sink};
use crate::problem::{travel_matrix, UNREACHABLE};
use crate::rules;
use crate::scenario::{Changes, Scenario, Volunteer};
use crate::time::{day_of, format_time, parse_time};
use std::collections::{HashMap, HashSet};

/// Unknown shift ids, shifts in both lists, shifts listed twice.
pub(crate) fn check_refs(sc: &Scenario, o: &Origins, sink: &mut Sink) {
    let shifts: HashSet<&str> = sc.shifts.iter().map(|s| s.id.as_str()).collect();
    for (i, v) in sc.volunteers.iter().enumerate() {
        let p = format!("volunteers[{}]", at(&o.volunteers, i));
        volunteer_refs(sink, &p, v, &shifts);
    }
}

/// The references of one volunteer at path `p` (also used for the new
/// volunteers of a changes file, against the shifts after the changes).
pub(crate) fn volunteer_refs(sink: &mut Sink, p: &str, v: &Volunteer, shifts: &HashSet<&str>) {
    let pinned = list_refs(sink, p, "pinned", &v.pinned, shifts);
    list_refs(sink, p, "excluded", &v.excluded, shifts);
    for (k, sid) in v.excluded.iter().enumerate() {
        if let Some(&j) = pinned.get(sid.as_str()) {
            sink.error(
                codes::PIN_EXCLUDED,
                format!("{p}.excluded[{k}]"),
                format!("shift '{sid}' is both excluded and pinned ({p}.pinned[{j}])"),
                "a shift may be in only one of `pinned` and `excluded`: remove it from one",
            );
        }
    }
}

/// Checks one list of shift ids; returns each known id's first position.
fn list_refs<'a>(
    sink: &mut Sink,
    p: &str,
    field: &str,
    ids: &'a [String],
    shifts: &HashSet<&str>,
) -> HashMap<&'a str, usize> {
    let mut first: HashMap<&'a str, usize> = HashMap::new();
    for (k, sid) in ids.iter().enumerate() {
        if !shifts.contains(sid.as_str()) {
            sink.error(
                codes::UNKNOWN_REF,
                format!("{p}.{field}[{k}]"),
                format!("unknown shift '{sid}' in `{field}`: no shift has this id"),
                "list shift ids of `shifts`, or remove the entry",
            );
        } else if let Some(&j) = first.get(sid.as_str()) {
            sink.warn(
                codes::DUPLICATE_ENTRY,
                format!("{p}.{field}[{k}]"),
                format!("shift '{sid}' is listed twice (first at {p}.{field}[{j}])"),
                "remove the second entry",
            );
        } else {
            first.insert(sid.as_str(), k);
        }
    }
    first
}

/// One pin: volunteer, position in its `pinned` list, shift and times.
#[derive(Clone, Copy)]
struct Pin {
    v: usize,
    k: usize,
    s: usize,
    start: i64,
    end: i64,
    day: i64,
}

/// What the rule checks look at: parsed shifts, travel from pinned venues.
struct Ctx<'a> {
    sc: &'a Scenario,
    o: &'a Origins,
    times: Vec<(i64, i64)>,
    site: HashMap<&'a str, usize>,
    /// Shift id to position in `shifts`.
    index: HashMap<&'a str, usize>,
    /// Row per pinned venue site: travel to every site.
    travel: HashMap<usize, Vec<u64>>,
}

impl Ctx<'_> {
    fn path(&self, pin: &Pin) -> String {
        format!(
            "volunteers[{}].pinned[{}]",
            at(&self.o.volunteers, pin.v),
            pin.k
        )
    }
    fn shift_id(&self, pin: &Pin) -> &str {
        &self.sc.shifts[pin.s].id
    }
    /// Travel between a pinned shift's venue and a site (`None`: unreachable).
    fn travel(&self, pin: &Pin, site: &str) -> Option<u64> {
        let from = self.site[self.sc.shifts[pin.s].venue.as_str()];
        let t = self.travel[&from][self.site[site]];
        (t != UNREACHABLE).then_some(t)
    }
    fn error(&self, sink: &mut Sink, code: &'static str, pin: &Pin, msg: String, hint: &str) {
        sink.error(code, self.path(pin), msg, hint);
    }
    /// `conflicts with volunteers[v].pinned[k] 'S'`.
    fn other(&self, other: &Pin) -> String {
        format!(
            "conflicts with {} '{}'",
            self.path(other),
            self.shift_id(other)
        )
    }
}

/// Every pin that cannot be honoured. Runs on a scenario without errors.
pub(crate) fn check_feasible(sc: &Scenario, o: &Origins, sink: &mut Sink) {
    if sc.volunteers.iter().all(|v| v.pinned.is_empty()) {
        return;
    }
    let Some(ctx) = context(sc, o) else {
        return;
    };
    let mut by_shift: HashMap<usize, Vec<Pin>> = HashMap::new();
    for v in 0..sc.volunteers.len() {
        let pins = pins_of(&ctx, v);
        for pin in &pins {
            eligible(&ctx, pin, sink);
            by_shift.entry(pin.s).or_default().push(*pin);
        }
        spacing(&ctx, &pins, sink);
        day_cap(&ctx, &pins, sink);
        max_shifts(&ctx, &pins, sink);
        consecutive(&ctx, &pins, sink);
    }
    let mut shifts: Vec<_> = by_shift.into_iter().collect();
    shifts.sort_unstable_by_key(|(s, _)| *s);
    for (s, pins) in shifts {
        headcount(&ctx, s, &pins, sink);
    }
}

fn context<'a>(sc: &'a Scenario, o: &'a Origins) -> Option<Ctx<'a>> {
    let mut times = Vec::with_capacity(sc.shifts.len());
    for sh in &sc.shifts {
        times.push((parse_time(&sh.start).ok()?, parse_time(&sh.end).ok()?));
    }
    let site: HashMap<&str, usize> = sc
        .sites
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut edges = Vec::with_capacity(sc.links.len());
    for l in &sc.links {
        let m = u32::try_from(l.minutes).ok()?;
        edges.push((
            *site.get(l.from.as_str())? as u32,
            *site.get(l.to.as_str())? as u32,
            m,
        ));
    }
    let index: HashMap<&str, usize> = sc
        .shifts
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut sources: Vec<u32> = Vec::new();
    for v in &sc.volunteers {
        for sid in &v.pinned {
            let s = *index.get(sid.as_str())?;
            sources.push(*site.get(sc.shifts[s].venue.as_str())? as u32);
        }
    }
    sources.sort_unstable();
    sources.dedup();
    let matrix = travel_matrix(sc.sites.len(), &edges, &sources);
    let travel = sources
        .iter()
        .enumerate()
        .map(|(i, &src)| {
            let row = matrix[i * sc.sites.len()..(i + 1) * sc.sites.len()].to_vec();
            (src as usize, row)
        })
        .collect();
    Some(Ctx {
        sc,
        o,
        times,
        site,
        index,
        travel,
    })
}

/// The volunteer's pins (first listing of each shift), sorted by start.
fn pins_of(ctx: &Ctx, v: usize) -> Vec<Pin> {
    let mut seen = HashSet::new();
    let mut pins: Vec<Pin> = ctx.sc.volunteers[v]
        .pinned
        .iter()
        .enumerate()
        .filter(|(_, sid)| seen.insert(sid.as_str()))
        .filter_map(|(k, sid)| {
            let s = *ctx.index.get(sid.as_str())?;
            let (start, end) = ctx.times[s];
            Some(Pin {
                v,
                k,
                s,
                start,
                end,
                day: day_of(start),
            })
        })
        .collect();
    pins.sort_by_key(|p| (p.start, p.s));
    pins
}

/// Rule 2 for one pin: skills, availability, reachable home.
fn eligible(ctx: &Ctx, pin: &Pin, sink: &mut Sink) {
    let vol = &ctx.sc.volunteers[pin.v];
    let sh = &ctx.sc.shifts[pin.s];
    let sid = &sh.id;
    let mut why = Vec::new();
    let missing: Vec<&str> = sh
        .requires
        .iter()
        .filter(|r| !vol.skills.contains(r))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        why.push(format!("lacks required skill(s) {}", missing.join(", ")));
    }
    if let Some(ws) = &vol.available {
        let fits = ws.iter().any(|(a, b)| {
            matches!((parse_time(a), parse_time(b)), (Ok(a), Ok(b)) if rules::within((a, b), pin.start, pin.end))
        });
        if !fits {
            why.push("is not available for it".into());
        }
    }
    if let Some(home) = &vol.home {
        if ctx.travel(pin, home).is_none() {
            why.push(format!("cannot reach its venue from home '{home}'"));
        }
    }
    if !why.is_empty() {
        ctx.error(
            sink,
            codes::PIN_INELIGIBLE,
            pin,
            format!(
                "pin on shift '{sid}' breaks rule 2 (eligibility): volunteer '{}' {}",
                vol.id,
                why.join("; ")
            ),
            "remove the pin, or fix the volunteer's skills, availability or home",
        );
    }
}

/// Rule 4 between two pins of one volunteer (travel included).
fn spacing(ctx: &Ctx, pins: &[Pin], sink: &mut Sink) {
    let vol = &ctx.sc.volunteers[pins.first().map_or(0, |p| p.v)];
    let rest = vol.effective_rules(&ctx.sc.rules).min_rest_minutes;
    for (i, a) in pins.iter().enumerate() {
        for b in &pins[i + 1..] {
            let venue_b = &ctx.sc.shifts[b.s].venue;
            let ok = ctx
                .travel(a, venue_b)
                .is_some_and(|t| rules::follows(a.end, b.start, rules::spacing_needed(rest, t)));
            if !ok {
                ctx.error(
                    sink,
                    codes::PIN_SPACING,
                    b,
                    format!(
                        "pin on shift '{}' (starts {}) breaks rule 4 (spacing: rest {rest} min, travel included): {}, which ends {}",
                        ctx.shift_id(b),
                        format_time(b.start),
                        ctx.other(a),
                        format_time(a.end)
                    ),
                    "pin shifts far enough apart, or remove one of the two pins",
                );
            }
        }
    }
}

/// Rule 5: summed minutes of the pins on one calendar day.
fn day_cap(ctx: &Ctx, pins: &[Pin], sink: &mut Sink) {
    let Some(first) = pins.first() else {
        return;
    };
    let cap = ctx.sc.volunteers[first.v]
        .effective_rules(&ctx.sc.rules)
        .max_minutes_per_day;
    let mut day_start = 0;
    let mut total = 0;
    for (i, pin) in pins.iter().enumerate() {
        if pin.day != pins[day_start].day {
            day_start = i;
            total = 0;
        }
        let before = total;
        total += pin.end - pin.start;
        if !rules::within_daily(total, cap) && rules::within_daily(before, cap) {
            let with = if i == day_start {
                "on its own".to_string()
            } else {
                format!(
                    "with the pins before it that day ({})",
                    ctx.other(&pins[day_start])
                )
            };
            ctx.error(
                sink,
                codes::PIN_DAY_CAP,
                pin,
                format!(
                    "pin on shift '{}' breaks rule 5 (day cap): {total} minutes on {} {with}, max_minutes_per_day {cap}",
                    ctx.shift_id(pin),
                    crate::time::format_day(pin.day)
                ),
                "remove a pin of that day, or raise the volunteer's max_minutes_per_day",
            );
        }
    }
}

/// Rule 6: no more pins than `max_shifts`.
fn max_shifts(ctx: &Ctx, pins: &[Pin], sink: &mut Sink) {
    let Some(first) = pins.first() else {
        return;
    };
    let cap = ctx.sc.volunteers[first.v]
        .effective_rules(&ctx.sc.rules)
        .max_shifts;
    if rules::within_max_shifts(pins.len() as i64 - 1, cap) {
        return;
    }
    let mut by_list: Vec<&Pin> = pins.iter().collect();
    by_list.sort_by_key(|p| p.k);
    let extra = by_list[cap.max(0) as usize];
    let with = if cap == 0 {
        "on its own".to_string()
    } else {
        format!(
            "with the {cap} pin(s) before it ({})",
            ctx.other(by_list[0])
        )
    };
    ctx.error(
        sink,
        codes::PIN_MAX_SHIFTS,
        extra,
        format!(
            "pin on shift '{}' breaks rule 6 (max_shifts {cap}): {} pins, {with}",
            ctx.shift_id(extra),
            pins.len()
        ),
        "remove pins, or raise the volunteer's max_shifts",
    );
}

/// Rule 7: the pinned days hold no run longer than `max_consecutive_days`.
fn consecutive(ctx: &Ctx, pins: &[Pin], sink: &mut Sink) {
    let Some(first) = pins.first() else {
        return;
    };
    let cap = ctx.sc.volunteers[first.v]
        .effective_rules(&ctx.sc.rules)
        .max_consecutive_days;
    let mut run_start = 0;
    let mut run = 0i64;
    let mut reported = false;
    for (i, pin) in pins.iter().enumerate() {
        if i > 0 && pin.day == pins[i - 1].day {
            continue;
        }
        if i > 0 && pin.day == pins[i - 1].day + 1 {
            run += 1;
        } else {
            run_start = i;
            run = 1;
            reported = false;
        }
        if !rules::within_consecutive(run, cap) && !reported {
            reported = true;
            let with = if run == 1 {
                "on its own".to_string()
            } else {
                format!("a run of pinned days ({})", ctx.other(&pins[run_start]))
            };
            ctx.error(
                sink,
                codes::PIN_CONSECUTIVE,
                pin,
                format!(
                    "pin on shift '{}' breaks rule 7 (max_consecutive_days {cap}): day {run} of {with}",
                    ctx.shift_id(pin)
                ),
                "remove a pin of the run, or raise the volunteer's max_consecutive_days",
            );
        }
    }
}

/// Rule 3: no more volunteers pinned to a shift than its `max`.
fn headcount(ctx: &Ctx, s: usize, pins: &[Pin], sink: &mut Sink) {
    let sh = &ctx.sc.shifts[s];
    let max = sh.max.max(0) as usize;
    for pin in pins.iter().skip(max) {
        let with = match pins.first() {
            Some(first) if max > 0 => ctx.other(first),
            _ => "the shift's max is 0".to_string(),
        };
        ctx.error(
            sink,
            codes::PIN_HEADCOUNT,
            pin,
            format!(
                "pin on shift '{}' breaks rule 3 (headcount): {} volunteers are pinned to it, max {}; {with}",
                sh.id,
                pins.len(),
                sh.max
            ),
            "remove pins of this shift, or raise its max",
        );
    }
}

/// A changes file whose update lowers a shift's `max` below the number of
/// volunteers pinned to it (after the pins that lapse with a dropout):
/// `E-PIN-HEADCOUNT` at the update, naming one of the pins.
pub(crate) fn update_below_pins(
    sc: &Scenario,
    ch: &Changes,
    shift: &str,
    max: i64,
    p: &str,
    sink: &mut Sink,
) {
    let Some(sh) = sc.shifts.iter().find(|s| s.id == shift) else {
        return;
    };
    let (Ok(start), Ok(end)) = (parse_time(&sh.start), parse_time(&sh.end)) else {
        return;
    };
    let dropped = |vid: &str| {
        ch.dropouts.iter().any(|d| {
            d.volunteer == vid
                && parse_time(&d.from).is_ok_and(|from| end > from)
                && d.until
                    .as_deref()
                    .is_none_or(|u| parse_time(u).is_ok_and(|u| start < u))
        })
    };
    let pinned: Vec<&str> = sc
        .volunteers
        .iter()
        .chain(&ch.new_volunteers)
        .filter(|v| v.pinned.iter().any(|s| s == shift) && !dropped(&v.id))
        .map(|v| v.id.as_str())
        .collect();
    if pinned.len() as i64 > max {
        sink.error(
            codes::PIN_HEADCOUNT,
            format!("{p}.max"),
            format!(
                "max {max} for shift '{shift}' is below the {} volunteer(s) pinned to it (rule 3 with rule 8), e.g. '{}'",
                pinned.len(),
                pinned[0]
            ),
            "keep max at least the number of pins, or remove pins from the scenario",
        );
    }
}
