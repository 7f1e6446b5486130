//! The report's charts, drawn with `super::svg`: a per-venue timeline of
//! every shift coloured by fill against `min`, heads on duty against demand
//! over time, shifts per volunteer (and against their commitment), and
//! travel minutes per assignment.
//!
//! The timeline stays one bar per shift up to [`MAX_BARS`] shifts; beyond
//! that it merges the shifts of a venue with the same times, then those of
//! a venue and day, so a games-scale report stays a few hundred kilobytes.

use super::svg::{self, Bar, BarChart, Frame, Scale};
use crate::export::View;
use crate::problem::{NONE, UNREACHABLE};
use crate::time::{format_day, format_time, MINUTES_PER_DAY};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Most bars the timeline draws before it merges shifts.
pub const MAX_BARS: usize = 2500;
/// Width of the timeline and coverage charts (they share the time axis).
const WIDE: f64 = 1300.0;
/// Left margin of the wide charts (venue names).
const LEFT: f64 = 180.0;

/// The fill classes of the timeline and their legend.
pub const FILL_LEGEND: [(&str, &str); 5] = [
    ("f0", "nobody (min > 0)"),
    ("f1", "below min"),
    ("f2", "at min"),
    ("f3", "above min"),
    ("f4", "no min"),
];

/// How the timeline groups shifts into bars.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grain {
    /// One bar per shift.
    Shift,
    /// One bar per venue, start and end.
    Window,
    /// One bar per venue and day, from its first start to its last end.
    VenueDay,
}

/// Shifts of one venue merged at a [`Grain`].
#[derive(Clone, Debug, Default)]
struct Item {
    venue: u32,
    start: i64,
    end: i64,
    shifts: usize,
    /// The first shift merged (its id labels a one-shift bar).
    first: usize,
    min: i64,
    max: i64,
    assigned: i64,
    covered: i64,
}

fn items(view: &View, grain: Grain) -> Vec<Item> {
    let mut map: BTreeMap<(u32, i64, i64, usize), Item> = BTreeMap::new();
    for (s, sh) in view.problem.shifts().iter().enumerate() {
        let key = match grain {
            Grain::Shift => (sh.venue, sh.start, sh.end, s),
            Grain::Window => (sh.venue, sh.start, sh.end, 0),
            Grain::VenueDay => (sh.venue, sh.day as i64, 0, 0),
        };
        let n = view.crew[s].len() as i64;
        let min = sh.min as i64;
        let e = map.entry(key).or_insert_with(|| Item {
            venue: sh.venue,
            start: sh.start,
            end: sh.end,
            first: s,
            ..Item::default()
        });
        e.start = e.start.min(sh.start);
        e.end = e.end.max(sh.end);
        e.shifts += 1;
        e.min += min;
        e.max += sh.max as i64;
        e.assigned += n;
        e.covered += n.min(min);
    }
    let mut out: Vec<Item> = map.into_values().collect();
    out.sort_by_key(|i| (i.venue, i.start, i.end, i.first));
    out
}

/// The coarsest grain needed to keep the timeline within [`MAX_BARS`] bars.
pub fn grain(view: &View) -> Grain {
    if view.problem.shifts().len() <= MAX_BARS {
        return Grain::Shift;
    }
    let mut windows: Vec<(u32, i64, i64)> = view
        .problem
        .shifts()
        .iter()
        .map(|s| (s.venue, s.start, s.end))
        .collect();
    windows.sort_unstable();
    windows.dedup();
    if windows.len() <= MAX_BARS {
        Grain::Window
    } else {
        Grain::VenueDay
    }
}

/// The fill class of a bar: nobody, below, at or above `min`, or no `min`.
pub fn fill_class(min: i64, covered: i64, assigned: i64) -> &'static str {
    if min <= 0 {
        "f4"
    } else if covered == 0 {
        "f0"
    } else if covered < min {
        "f1"
    } else if assigned > min {
        "f3"
    } else {
        "f2"
    }
}

/// Days shown on the time axis (at least one) and the time scale onto `f`.
fn time_scale(view: &View, f: &Frame) -> (i64, Scale) {
    let end = view
        .problem
        .shifts()
        .iter()
        .map(|s| s.end)
        .max()
        .unwrap_or(0);
    let days = ((end + MINUTES_PER_DAY - 1) / MINUTES_PER_DAY).max(1);
    let x = Scale {
        d0: 0.0,
        d1: (days * MINUTES_PER_DAY) as f64,
        r0: f.x0(),
        r1: f.x1(),
    };
    (days, x)
}

/// Midnight lines and `MM-DD` labels under the plot (thinned when days are
/// narrow); lines at 06, 12 and 18 h when a day is wide enough.
fn day_axis(out: &mut String, view: &View, f: &Frame, days: i64, x: &Scale) -> &'static str {
    let day_px = (f.x1() - f.x0()) / days as f64;
    let every = ((44.0 / day_px).ceil() as i64).max(1);
    for d in 0..=days {
        let px = x.at((d * MINUTES_PER_DAY) as f64);
        svg::line(out, "day", (px, f.y0()), (px, f.y1()));
        if day_px >= 150.0 && d < days {
            for h in [6, 12, 18] {
                let hx = x.at((d * MINUTES_PER_DAY + h * 60) as f64);
                svg::line(out, "grid", (hx, f.y0()), (hx, f.y1()));
            }
        }
        if d < days && d % every == 0 {
            let label = format_day(view.problem.origin_day() + d);
            let short = label.get(5..).unwrap_or(&label);
            svg::text(out, px + day_px / 2.0, f.y1() + 14.0, "middle", short);
        }
    }
    if day_px >= 150.0 {
        "day (thin lines at 06:00, 12:00 and 18:00)"
    } else {
        "day"
    }
}

/// Lane of each item within its venue (greedy: the first lane free at its
/// start) and the number of lanes per venue, in venue order.
fn lanes(items: &[Item]) -> (Vec<usize>, Vec<(u32, usize)>) {
    let mut lane = Vec::with_capacity(items.len());
    let mut venues: Vec<(u32, usize)> = Vec::new();
    let mut ends: Vec<i64> = Vec::new();
    for it in items {
        if venues.last().map(|v| v.0) != Some(it.venue) {
            venues.push((it.venue, 0));
            ends.clear();
        }
        let l = match ends.iter().position(|&e| e <= it.start) {
            Some(l) => l,
            None => {
                ends.push(0);
                ends.len() - 1
            }
        };
        ends[l] = it.end;
        lane.push(l);
        if let Some(v) = venues.last_mut() {
            v.1 = v.1.max(l + 1);
        }
    }
    (lane, venues)
}

fn venue_name(view: &View, venue: u32) -> String {
    let site = view.problem.venue_sites()[venue as usize] as usize;
    let name = view.site_name(&view.problem.site_ids()[site]);
    if name.chars().count() > 28 {
        let cut: String = name.chars().take(27).collect();
        format!("{cut}…")
    } else {
        name
    }
}

fn item_tip(view: &View, it: &Item, grain: Grain) -> String {
    let at = |m: i64| format_time(view.problem.origin_day() * MINUTES_PER_DAY + m);
    let what = match grain {
        Grain::Shift => format!(
            "{}: {} assigned, min {}, max {}",
            view.problem.shift_ids()[it.first],
            it.assigned,
            it.min,
            it.max
        ),
        _ => format!(
            "{} shifts: {} assigned, {} of min {} covered",
            it.shifts, it.assigned, it.covered, it.min
        ),
    };
    format!(
        "{} {} – {}: {what}",
        venue_name(view, it.venue),
        at(it.start),
        at(it.end)
    )
}

/// What one bar of the timeline stands for, in words.
pub fn grain_words(grain: Grain) -> &'static str {
    match grain {
        Grain::Shift => "One bar per shift",
        Grain::Window => "One bar per venue and time window (the shifts of a venue with the same start and end, merged to keep the chart small)",
        Grain::VenueDay => "One bar per venue and day (from its first start to its last end; merged to keep the chart small)",
    }
}

/// Space between two venue rows of the timeline.
const ROW_GAP: f64 = 6.0;

/// The venue rows of the timeline (every other one shaded) with their
/// names; returns each venue and the top of its first lane.
fn venue_rows(
    out: &mut String,
    view: &View,
    f: &Frame,
    venues: &[(u32, usize)],
    lane_h: f64,
) -> Vec<(u32, f64)> {
    let mut row_top = Vec::with_capacity(venues.len());
    let mut y = f.y0();
    for (i, &(venue, n)) in venues.iter().enumerate() {
        let h = n as f64 * lane_h + ROW_GAP;
        if i % 2 == 1 {
            let _ = write!(
                out,
                "<rect class=\"row\" x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\" />",
                svg::n(y),
                svg::n(f.x1()),
                svg::n(h)
            );
        }
        let name = venue_name(view, venue);
        svg::text(out, f.x0() - 6.0, y + h / 2.0 + 4.0, "end", &name);
        row_top.push((venue, y + ROW_GAP / 2.0));
        y += h;
    }
    row_top
}

/// The per-venue timeline of all days: one row per venue, overlapping bars
/// in lanes, each bar coloured by fill against `min` and carrying a tooltip.
pub fn timeline(out: &mut String, view: &View) {
    let grain = grain(view);
    let items = items(view, grain);
    let (lane, venues) = lanes(&items);
    let total_lanes: usize = venues.iter().map(|v| v.1).sum::<usize>().max(1);
    let lane_h = (720.0 / total_lanes as f64).clamp(3.0, 12.0);
    let plot_h = total_lanes as f64 * lane_h + ROW_GAP * venues.len() as f64;
    let f = Frame {
        width: WIDE,
        height: plot_h + 44.0 + 36.0,
        left: LEFT,
        right: 10.0,
        top: 44.0,
        bottom: 36.0,
    };
    let desc = format!(
        "{} across {} venues and every day; colour: fill against the shift minimum.",
        grain_words(grain),
        venues.len()
    );
    svg::open(out, "timeline", &f, "Timeline by venue", &desc);
    svg::legend(out, f.x0(), 34.0, &FILL_LEGEND);
    let (days, x) = time_scale(view, &f);
    let row_top = venue_rows(out, view, &f, &venues, lane_h);
    let x_label = day_axis(out, view, &f, days, &x);
    let mut row = 0;
    for (it, l) in items.iter().zip(&lane) {
        while row_top[row].0 != it.venue {
            row += 1;
        }
        let (x0, x1) = (x.at(it.start as f64), x.at(it.end as f64));
        let class = format!("tb {}", fill_class(it.min, it.covered, it.assigned));
        let top = row_top[row].1 + *l as f64 * lane_h;
        let bar = (x0, top, (x1 - x0 - 0.5).max(1.0), lane_h - 1.0);
        svg::rect(out, &class, bar, "", &item_tip(view, it, grain));
    }
    svg::x_axis(out, &f, x_label);
    svg::close(out);
}

/// Heads on duty over time: `(time, demanded, assigned, covered)` from each
/// time on until the next, starting at 0.
fn duty_steps(view: &View) -> Vec<(i64, i64, i64, i64)> {
    let mut events: Vec<(i64, i64, i64, i64)> = Vec::new();
    for (s, sh) in view.problem.shifts().iter().enumerate() {
        let n = view.crew[s].len() as i64;
        let min = sh.min as i64;
        events.push((sh.start, min, n, n.min(min)));
        events.push((sh.end, -min, -n, -n.min(min)));
    }
    events.sort_unstable();
    let mut steps = vec![(0, 0, 0, 0)];
    for (t, a, b, c) in events {
        let (_, da, db, dc) = *steps.last().unwrap_or(&(0, 0, 0, 0));
        let next = (t, da + a, db + b, dc + c);
        match steps.last_mut() {
            Some(last) if last.0 == t => *last = next,
            _ => steps.push(next),
        }
    }
    steps
}

/// An SVG step path of one series of `steps`.
fn step_path(
    steps: &[(i64, i64, i64, i64)],
    x: &Scale,
    y: &Scale,
    pick: fn(&(i64, i64, i64, i64)) -> i64,
) -> String {
    let mut d = format!("M{} {}", svg::n(x.at(0.0)), svg::n(y.at(0.0)));
    for st in steps {
        let _ = write!(
            d,
            "H{}V{}",
            svg::n(x.at(st.0 as f64)),
            svg::n(y.at(pick(st) as f64))
        );
    }
    d
}

/// Per day (of the shift's start): head-hours demanded, assigned and covered.
fn day_hours(view: &View, days: i64) -> Vec<(f64, f64, f64)> {
    let mut out = vec![(0.0, 0.0, 0.0); days.max(1) as usize];
    for (s, sh) in view.problem.shifts().iter().enumerate() {
        let h = sh.duration() as f64 / 60.0;
        let n = view.crew[s].len() as f64;
        let min = sh.min as f64;
        if let Some(d) = out.get_mut(sh.day as usize) {
            d.0 += min * h;
            d.1 += n * h;
            d.2 += n.min(min) * h;
        }
    }
    out
}

/// One transparent rectangle per day over the coverage chart whose
/// tooltip gives the day's head-hours.
fn day_tips(out: &mut String, view: &View, f: &Frame, x: &Scale, days: i64) {
    for (d, (dem, asg, covd)) in day_hours(view, days).iter().enumerate() {
        let x0 = x.at((d as i64 * MINUTES_PER_DAY) as f64);
        let x1 = x.at(((d as i64 + 1) * MINUTES_PER_DAY) as f64);
        let pct = if *dem > 0.0 {
            100.0 * covd / dem
        } else {
            100.0
        };
        let tip = format!(
            "{}: {:.0} head-hours demanded, {:.0} covered ({pct:.1}%), {:.0} assigned (shifts by their start day)",
            format_day(view.problem.origin_day() + d as i64), dem, covd, asg
        );
        svg::rect(
            out,
            "hover",
            (x0, f.y0(), x1 - x0, f.y1() - f.y0()),
            "",
            &tip,
        );
    }
}

/// Coverage over time: demanded heads (Σ `min` of the shifts on), heads on
/// duty, and heads counted against `min`; a tooltip per day.
pub fn coverage(out: &mut String, view: &View) {
    let f = Frame {
        width: WIDE,
        height: 280.0,
        left: LEFT,
        right: 10.0,
        top: 44.0,
        bottom: 36.0,
    };
    let steps = duty_steps(view);
    let peak = steps.iter().map(|s| s.1.max(s.2)).max().unwrap_or(0);
    svg::open(out, "coverage-time", &f, "Heads on duty over time", "Demanded heads (the sum of min over the shifts running) against heads assigned and heads covered (assigned, up to each shift's min), minute by minute over every day.");
    svg::legend(
        out,
        f.x0(),
        34.0,
        &[
            ("ldem", "demanded (Σ min)"),
            ("lasg", "assigned"),
            ("lcov", "covered (up to min)"),
        ],
    );
    let y = svg::y_axis(out, &f, peak as f64, "heads");
    let (days, x) = time_scale(view, &f);
    let x_label = day_axis(out, view, &f, days, &x);
    let cov = step_path(&steps, &x, &y, |s| s.3);
    let _ = write!(
        out,
        "<path class=\"ccov\" d=\"{cov}H{}V{}Z\" />",
        svg::n(f.x1()),
        svg::n(f.y1())
    );
    let _ = write!(
        out,
        "<path class=\"casg\" d=\"{}\" />",
        step_path(&steps, &x, &y, |s| s.2)
    );
    let _ = write!(
        out,
        "<path class=\"cdem\" d=\"{}\" />",
        step_path(&steps, &x, &y, |s| s.1)
    );
    day_tips(out, view, &f, &x, days);
    svg::x_axis(out, &f, x_label);
    svg::close(out);
}

/// The frame of the histograms (three fit side by side at 1400 pixels).
const SMALL: Frame = Frame {
    width: 430.0,
    height: 280.0,
    left: 56.0,
    right: 12.0,
    top: 30.0,
    bottom: 36.0,
};

/// Histogram of shifts worked per volunteer: one bin per count from 0 to
/// the most worked; bin counts sum to the number of volunteers.
pub fn shifts_per_volunteer(out: &mut String, view: &View) {
    let counts: Vec<i64> = view.schedule.iter().map(|s| s.len() as i64).collect();
    let total = counts.len().max(1) as f64;
    let bars = bins(&counts, 0, 1)
        .into_iter()
        .map(|(k, c)| Bar {
            label: k.to_string(),
            value: c as f64,
            class: "h",
            tip: format!(
                "{k} shifts: {c} volunteers ({:.1}%)",
                100.0 * c as f64 / total
            ),
        })
        .collect();
    let chart = BarChart {
        id: "shifts-hist",
        title: "Shifts per volunteer".into(),
        desc: format!(
            "How many of the {} volunteers work each number of shifts.",
            counts.len()
        ),
        x_label: "shifts worked".into(),
        y_label: "volunteers".into(),
        bars,
    };
    svg::bar_chart(out, &SMALL, &chart);
}

/// Histogram of shifts worked minus `min_shifts` per volunteer (below zero:
/// short of the commitment, drawn in the warning colour).
pub fn commitments(out: &mut String, view: &View) {
    let sc = view.scenario;
    let diffs: Vec<i64> = sc
        .volunteers
        .iter()
        .enumerate()
        .map(|(v, vol)| view.schedule[v].len() as i64 - vol.effective_rules(&sc.rules).min_shifts)
        .collect();
    let lo = diffs.iter().copied().min().unwrap_or(0).min(0);
    let bars = bins(&diffs, lo, 1)
        .into_iter()
        .map(|(k, c)| Bar {
            label: k.to_string(),
            value: c as f64,
            class: if k < 0 { "hw" } else { "h" },
            tip: format!("worked {k:+} against min_shifts: {c} volunteers"),
        })
        .collect();
    let chart = BarChart {
        id: "commit-hist",
        title: "Shifts worked minus committed minimum".into(),
        desc: "Per volunteer, shifts worked minus min_shifts; below zero (warning colour) the commitment is not met.".into(),
        x_label: "worked − min_shifts".into(),
        y_label: "volunteers".into(),
        bars,
    };
    svg::bar_chart(out, &SMALL, &chart);
}

/// Counts of `values` in bins `[lo + i·width, lo + (i+1)·width)` from `lo`
/// up to the largest value (empty bins included): `(bin start, count)`.
pub fn bins(values: &[i64], lo: i64, width: i64) -> Vec<(i64, usize)> {
    let width = width.max(1);
    let hi = values.iter().copied().max().unwrap_or(lo).max(lo);
    let n = ((hi - lo) / width + 1) as usize;
    let mut out: Vec<(i64, usize)> = (0..n).map(|i| (lo + i as i64 * width, 0)).collect();
    for &v in values {
        let i = ((v - lo) / width).clamp(0, n as i64 - 1) as usize;
        out[i].1 += 1;
    }
    out
}

/// Travel minutes from home of every assignment of a volunteer with a home.
pub fn travel_minutes(view: &View) -> Vec<i64> {
    let p = &view.problem;
    let mut out = Vec::new();
    for (v, sched) in view.schedule.iter().enumerate() {
        if p.volunteers()[v].home == NONE {
            continue;
        }
        for &s in sched {
            let t = p.home_travel(v, s);
            if t != UNREACHABLE {
                out.push(t as i64);
            }
        }
    }
    out
}

/// Distribution of travel minutes per assignment (home to venue), in about
/// fifteen bins of a round width; bin counts sum to the assignments counted.
pub fn travel(out: &mut String, view: &View) {
    let minutes = travel_minutes(view);
    if minutes.is_empty() {
        out.push_str("<p id=\"travel-none\">No assignment has a travel time: no assigned volunteer has a home.</p>");
        return;
    }
    let max = minutes.iter().copied().max().unwrap_or(0);
    let width = (svg::nice_step(max as f64, 15).round() as i64).max(1);
    let total = minutes.len() as f64;
    let bars = bins(&minutes, 0, width)
        .into_iter()
        .map(|(a, c)| Bar {
            label: a.to_string(),
            value: c as f64,
            class: "h",
            tip: format!(
                "{a}–{} min: {c} assignments ({:.1}%)",
                a + width,
                100.0 * c as f64 / total
            ),
        })
        .collect();
    let chart = BarChart {
        id: "travel-hist",
        title: "Travel minutes per assignment".into(),
        desc: format!("Home-to-venue travel of the {} assignments of volunteers with a home, in bins of {width} minutes.", minutes.len()),
        x_label: format!("travel minutes (bins of {width})"),
        y_label: "assignments".into(),
        bars,
    };
    svg::bar_chart(out, &SMALL, &chart);
}
