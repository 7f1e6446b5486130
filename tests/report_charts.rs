//! The HTML report's charts: one timeline bar per shift (or per merged
//! window at scale) coloured by fill against `min`, histogram bins that sum
//! to the volunteers and assignments they count, every chart an accessible,
//! balanced `<svg>`, nothing fetched, and the bound explained in words.

use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use vroster::explain::explain;
use vroster::export::html::charts::{self, Grain, MAX_BARS};
use vroster::export::{self, View};
use vroster::scenario::{Roster, Scenario, ROSTER_FORMAT};
use vroster::time::{format_time, parse_time};

fn roster(pairs: &[(&str, &str)]) -> Roster {
    let mut r = Roster::empty("t");
    r.format = ROSTER_FORMAT.into();
    for (s, v) in pairs {
        r.assignments
            .entry(s.to_string())
            .or_default()
            .push(v.to_string());
    }
    r
}

/// Five shifts, one per fill class: S below min (1 of 2), T at min (2 of 2),
/// U nobody (0 of 1), V no min (1, min 0), W above min (2, min 1). P lives at
/// H, 20 minutes from A and 30 from B.
fn hand_made() -> (Scenario, Roster) {
    let shift = |id: &str, venue: &str, day: &str, from: &str, to: &str, min: i64, max: i64| {
        json!({"id": id, "venue": venue, "start": format!("2026-02-{day}T{from}"),
               "end": format!("2026-02-{day}T{to}"), "min": min, "max": max})
    };
    let v = json!({
    "format": "volunteer-scenario/1", "name": "charts",
    "rules": {"min_rest_minutes": 0},
    "sites": [{"id": "A", "name": "Arena"}, {"id": "B"}, {"id": "H"}],
    "links": [{"from": "A", "to": "H", "minutes": 20}, {"from": "A", "to": "B", "minutes": 10}],
    "shifts": [
        shift("S", "A", "04", "08:00", "12:00", 2, 3),
        shift("T", "B", "04", "13:00", "17:00", 2, 2),
        shift("U", "A", "05", "08:00", "12:00", 1, 1),
        shift("V", "B", "05", "08:00", "10:00", 0, 2),
        shift("W", "A", "06", "08:00", "12:00", 1, 2),
    ],
    "volunteers": [
        {"id": "P", "home": "H", "min_shifts": 3},
        {"id": "Q"}, {"id": "R"}, {"id": "Z"}
    ]});
    let sc: Scenario = serde_json::from_value(v).expect("scenario");
    let r = roster(&[
        ("S", "P"),
        ("T", "P"),
        ("T", "Q"),
        ("V", "Q"),
        ("W", "R"),
        ("W", "P"),
    ]);
    (sc, r)
}

/// The markup of the `<svg>` with this id.
fn svg<'a>(html: &'a str, id: &str) -> &'a str {
    let open = format!("<svg class=\"chart\" id=\"{id}\"");
    let i = html.find(&open).unwrap_or_else(|| panic!("no svg {id}"));
    let j = html[i..].find("</svg>").expect("svg closed");
    &html[i..i + j + "</svg>".len()]
}

/// Values of attribute `name` on elements starting with `prefix`.
fn attrs<'a>(markup: &'a str, prefix: &str, name: &str) -> Vec<&'a str> {
    let key = format!("{name}=\"");
    markup
        .match_indices(prefix)
        .map(|(i, _)| {
            let rest = &markup[i..];
            let end = rest.find('>').expect("tag closed");
            let tag = &rest[..end];
            let a = tag.find(&key).unwrap_or_else(|| panic!("{name} in {tag}"));
            let v = &tag[a + key.len()..];
            &v[..v.find('"').expect("quoted")]
        })
        .collect()
}

/// Balanced tags (void elements self-closed), raw text of style and script
/// skipped; the number of elements of each name.
fn tag_counts(html: &str) -> BTreeMap<String, usize> {
    let mut stack: Vec<String> = Vec::new();
    let mut counts = BTreeMap::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let end = rest.find('>').expect("unclosed tag");
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name), "mismatched </{name}>");
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert_eq!(tag.matches('"').count() % 2, 0, "quotes in <{tag}>");
        *counts.entry(name.clone()).or_insert(0) += 1;
        if tag.ends_with('/') {
            continue;
        }
        if name == "script" || name == "style" {
            let close = format!("</{name}>");
            rest = &rest[rest.find(&close).expect("closed") + close.len()..];
            continue;
        }
        stack.push(name);
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    counts
}

fn report(sc: &Scenario, r: &Roster) -> String {
    let view = View::new(sc, r).expect("view");
    let e = explain(sc, r, None).expect("explain");
    let check = vroster::check::check_roster(sc, r).expect("check");
    export::html::report(&view, &e, Some(&check))
}

fn counts(markup: &str) -> Vec<usize> {
    attrs(markup, "<rect class=\"bar ", "data-count")
        .iter()
        .map(|c| c.parse().expect("count"))
        .collect()
}

#[test]
fn hand_made_charts_have_the_expected_bars_and_bins() {
    let (sc, r) = hand_made();
    let html = report(&sc, &r);
    let tags = tag_counts(&html);
    for bad in ["http://", "https://", "src=", "<link", "@import", "url("] {
        assert!(!html.contains(bad), "self-contained: found {bad}");
    }
    let ids = [
        "timeline",
        "coverage-time",
        "shifts-hist",
        "commit-hist",
        "travel-hist",
    ];
    assert_eq!(tags["svg"], ids.len());
    // Timeline: one bar per shift in scenario order within each venue, with
    // the fill class of its crew against min.
    let tl = svg(&html, "timeline");
    let classes = attrs(tl, "<rect class=\"tb ", "class");
    assert_eq!(classes, ["tb f1", "tb f0", "tb f3", "tb f2", "tb f4"]);
    for (id, words) in [("S", "1 assigned, min 2"), ("U", "0 assigned, min 1")] {
        assert!(tl.contains(&format!("{id}: {words}")), "{id} tooltip");
    }
    for legend in [
        "nobody (min &gt; 0)",
        "below min",
        "at min",
        "above min",
        "no min",
    ] {
        assert!(tl.contains(legend), "legend {legend}");
    }
    // Shifts per volunteer: P 3, Q 2, R 1, Z 0.
    assert_eq!(counts(svg(&html, "shifts-hist")), [1, 1, 1, 1]);
    // Worked − min_shifts: P 0, the others their shifts: 0, 1, 2, 0.
    assert_eq!(counts(svg(&html, "commit-hist")), [2, 1, 1]);
    // Travel: P's three assignments: 20 (A), 30 (B), 20 (A); bins of 2 minutes.
    let travel = counts(svg(&html, "travel-hist"));
    assert_eq!(travel.len(), 16);
    assert_eq!((travel[10], travel[15]), (2, 1));
    assert_eq!(travel.iter().sum::<usize>(), 3);
    // Every chart names itself and every bar carries a tooltip.
    for id in ids {
        let m = svg(&html, id);
        assert!(m.contains(&format!("aria-labelledby=\"{id}-t {id}-d\"")));
        let rects =
            m.matches("<rect class=\"tb ").count() + m.matches("<rect class=\"bar ").count();
        let hovers = m.matches("<rect class=\"hover\"").count();
        assert_eq!(m.matches("<title").count(), 1 + rects + hovers, "{id}");
    }
    // Coverage over time: a tooltip per day, 3 days of shifts.
    let cov = svg(&html, "coverage-time");
    assert_eq!(cov.matches("<rect class=\"hover\"").count(), 3);
    assert!(cov.contains("2026-02-04: 16 head-hours demanded, 12 covered (75.0%), 12 assigned"));
}

#[test]
fn summary_says_what_the_bound_and_gap_mean() {
    let (sc, mut r) = hand_made();
    let html = report(&sc, &r);
    assert!(html.contains("No lower bound in the roster"));
    let total = vroster::check::check_roster(&sc, &r)
        .expect("check")
        .objective
        .total;
    r.bound = Some(total / 2.0);
    let html = report(&sc, &r);
    assert!(html
        .contains("The lower bound is proven: no roster for this scenario can have a total below"));
    assert!(html.contains("a large gap can mean a weak bound"));
    assert!(html.contains("gap 50.000%"));
    let split = vroster::check::check_roster(&sc, &r)
        .expect("check")
        .objective
        .group_split;
    // A roster without `unpriced` counts its whole group_split as unpriced.
    let share = 100.0 * (split / (total / 2.0)).min(1.0);
    assert_eq!(
        html.contains(&format!("({share:.0}% of the gap)")),
        split > 0.0,
        "the share of the gap group_split explains"
    );
    // A roster that says how much of its group_split the bound does not
    // count gets that share instead.
    r.unpriced = Some(total / 10.0);
    let html = report(&sc, &r);
    assert!(
        html.contains("(20% of the gap)"),
        "a tenth of the total is a fifth of the gap"
    );
    // One whose group_split the bound accounts for says so.
    r.unpriced = Some(0.0);
    let html = report(&sc, &r);
    assert!(html.contains("The bound accounts for all of this roster's <code>group_split</code>"));
    assert!(!html.contains("% of the gap)"));
    r.unpriced = None;
    assert!(html.contains("<p id=\"fairness\">Fair load: "));
    r.bound = Some(total);
    let html = report(&sc, &r);
    assert!(html.contains("gap 0.000%"));
    assert!(html.contains("no roster for this scenario has a lower total"));
    for word in ["fail", "timeout", "timed out"] {
        assert!(
            !html.to_lowercase().contains(word),
            "neutral wording: {word}"
        );
    }
}

fn small() -> Scenario {
    let path = format!("{}/scenarios/small.json", env!("CARGO_MANIFEST_DIR"));
    vroster::io::read_json(std::path::Path::new(&path)).expect("scenario")
}

fn solved(sc: &Scenario) -> Roster {
    let p = vroster::problem::Problem::compile(sc).expect("compiles");
    let ctx = vroster::solver::SolveContext::new(
        vroster::solver::SolveOptions {
            seed: 1,
            threads: 1,
            iterations: Some(3_000),
            ..Default::default()
        },
        &|_| {},
    );
    let sol = vroster::solver::solve(&p, &ctx);
    vroster::solver::to_roster(&p, &sol.on, sol.objective)
}

#[test]
fn bundled_small_report_counts_every_shift_volunteer_and_assignment() {
    let sc = small();
    let r = solved(&sc);
    let html = report(&sc, &r);
    tag_counts(&html);
    let view = View::new(&sc, &r).expect("view");
    assert_eq!(charts::grain(&view), Grain::Shift);
    let tl = svg(&html, "timeline");
    let classes = attrs(tl, "<rect class=\"tb ", "class");
    assert_eq!(classes.len(), sc.shifts.len(), "one bar per shift");
    let short = sc
        .shifts
        .iter()
        .filter(|sh| r.assignments.get(&sh.id).map_or(0, Vec::len) < sh.min as usize)
        .count();
    let drawn_short = classes
        .iter()
        .filter(|c| **c == "tb f0" || **c == "tb f1")
        .count();
    assert_eq!(drawn_short, short);
    // Shifts per volunteer, counted from the roster file.
    let mut worked = vec![0usize; sc.volunteers.len()];
    let index: BTreeMap<&str, usize> = sc
        .volunteers
        .iter()
        .enumerate()
        .map(|(i, v)| (v.id.as_str(), i))
        .collect();
    for crew in r.assignments.values() {
        for v in crew {
            worked[index[v.as_str()]] += 1;
        }
    }
    let hist = counts(svg(&html, "shifts-hist"));
    assert_eq!(hist.len(), worked.iter().max().copied().unwrap_or(0) + 1);
    for (k, c) in hist.iter().enumerate() {
        assert_eq!(*c, worked.iter().filter(|&&w| w == k).count(), "bin {k}");
    }
    assert_eq!(
        counts(svg(&html, "commit-hist")).iter().sum::<usize>(),
        sc.volunteers.len()
    );
    // Travel: one count per assignment of a volunteer with a home; the
    // minutes behind the bins price the travel term.
    let homed: usize = r
        .assignments
        .values()
        .flatten()
        .filter(|v| sc.volunteers[index[v.as_str()]].home.is_some())
        .count();
    assert_eq!(
        counts(svg(&html, "travel-hist")).iter().sum::<usize>(),
        homed
    );
    let minutes: i64 = charts::travel_minutes(&view).iter().sum();
    let travel = view.objective().travel;
    assert!((minutes as f64 * sc.weights.travel_minute - travel).abs() < 1e-6);
}

#[test]
fn many_shifts_merge_into_one_bar_per_venue_and_window() {
    let mut sc = small();
    let base = sc.shifts.clone();
    let copies = MAX_BARS / base.len() + 1;
    sc.shifts.clear();
    for c in 0..copies {
        for sh in &base {
            let mut sh = sh.clone();
            sh.id = format!("{}-{c}", sh.id);
            sc.shifts.push(sh);
        }
    }
    assert!(sc.shifts.len() > MAX_BARS);
    let r = roster(&[]);
    let view = View::new(&sc, &r).expect("view");
    assert_eq!(charts::grain(&view), Grain::Window);
    let html = export::html::report(&view, &explain(&sc, &r, None).expect("explain"), None);
    tag_counts(&html);
    let windows: BTreeSet<(&str, &str, &str)> = sc
        .shifts
        .iter()
        .map(|s| (s.venue.as_str(), s.start.as_str(), s.end.as_str()))
        .collect();
    let tl = svg(&html, "timeline");
    let bars = tl.matches("<rect class=\"tb ").count();
    assert_eq!(bars, windows.len());
    // The merged bars' tooltips account for every shift.
    let merged: usize = tl
        .split("<title>")
        .skip(1) // the chart's own title carries an id
        .map(|t| {
            let t = &t[..t.find("</title>").expect("title closed")];
            let n = t.split_once(" shifts: ").expect("count").0;
            let n = n.rsplit(' ').next().expect("number");
            n.parse::<usize>().unwrap_or_else(|_| panic!("{t}"))
        })
        .sum();
    assert_eq!(merged, sc.shifts.len());
}

#[test]
fn many_windows_merge_into_one_bar_per_venue_and_day() {
    let mut sc = small();
    sc.volunteers.clear();
    let mut base = sc.shifts.clone();
    base.sort_by(|a, b| (&a.venue, &a.start, &a.end).cmp(&(&b.venue, &b.start, &b.end)));
    base.dedup_by(|a, b| (&a.venue, &a.start, &a.end) == (&b.venue, &b.start, &b.end));
    // Each copy starts a minute later: every shift is its own window.
    let copies = MAX_BARS / base.len() + 1;
    sc.shifts.clear();
    for c in 0..copies {
        for sh in &base {
            let mut sh = sh.clone();
            sh.id = format!("{}-{c}", sh.id);
            let start = parse_time(&sh.start).expect("time") + c as i64;
            sh.start = format_time(start);
            sc.shifts.push(sh);
        }
    }
    assert!(sc.shifts.len() > MAX_BARS);
    let r = roster(&[]);
    let view = View::new(&sc, &r).expect("view");
    assert_eq!(charts::grain(&view), Grain::VenueDay);
    let html = export::html::report(&view, &explain(&sc, &r, None).expect("explain"), None);
    tag_counts(&html);
    let venue_days: BTreeSet<(&str, &str)> = sc
        .shifts
        .iter()
        .map(|s| (s.venue.as_str(), &s.start[..10]))
        .collect();
    let tl = svg(&html, "timeline");
    assert_eq!(tl.matches("<rect class=\"tb ").count(), venue_days.len());
    // Nobody is assigned: every bar is drawn as "nobody".
    assert_eq!(
        tl.matches("<rect class=\"tb f0\"").count(),
        venue_days.len()
    );
}
