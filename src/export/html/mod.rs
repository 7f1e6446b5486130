//! A self-contained HTML report of a roster: a summary in words (total,
//! coverage, hard rules, what the bound and the gap mean), inline SVG charts
//! ([`charts`]: timeline by venue, heads on duty over time, shifts per
//! volunteer, commitments, travel minutes), the objective breakdown
//! (recomputed from the format page and compared with the roster's claim),
//! a coverage heatmap of venue × day, quota fulfilment by language and
//! skill, and the unfilled demand with explain's reasons. Inline CSS and a
//! few lines of inline JS (click a table header to sort); nothing is fetched.
//!
//! The markup is well-formed (every element closed, attributes quoted,
//! text escaped) so tests can parse it with a plain tag-stack check.

pub mod charts;
pub(crate) mod svg;

use super::csv::daily;
use super::View;
use crate::check::RosterCheck;
use crate::explain::{Demand, Explanation, Unfilled};
use crate::scenario::ObjectiveBreakdown;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// Escapes text and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#222}\
table{border-collapse:collapse;margin:1em 0}\
th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}\
th{background:#eee;cursor:pointer}td.l,th.l{text-align:left}\
.warn{color:#b30}.ok{color:#070}.hm{min-width:4em;text-align:center}\
h2{margin-top:2em;border-bottom:1px solid #ccc}.summary p{max-width:60em}\
.charts{display:flex;flex-wrap:wrap;gap:1em}\
svg.chart{max-width:100%;height:auto;display:block;margin:.5em 0;font-size:11px}\
svg.chart text{fill:#333}svg.chart .ct{font-size:14px;font-weight:600}\
.axis{stroke:#555}.grid{stroke:#e6e6e6}.day{stroke:#bbb}.row{fill:#f4f4f4}\
.f0{fill:#d73027}.f1{fill:#fc8d59}.f2{fill:#91cf60}.f3{fill:#1a9850}.f4{fill:#bdbdbd}\
.h{fill:#4a7fb5}.hw{fill:#d9822b}.tb:hover,.bar:hover{stroke:#000}\
.ccov{fill:#c7e9c0}.casg{fill:none;stroke:#2166ac;stroke-width:1.2}\
.cdem{fill:none;stroke:#b2182b;stroke-width:1.5}\
.lcov{fill:#c7e9c0}.lasg{fill:#2166ac}.ldem{fill:#b2182b}\
.hover{fill:#000;fill-opacity:0}.hover:hover{fill-opacity:.06}";

const SCRIPT: &str = "document.querySelectorAll('table.sortable th').forEach(function(th){\
th.addEventListener('click',function(){var t=th.closest('table'),b=t.tBodies[0],\
i=Array.prototype.indexOf.call(th.parentNode.children,th),asc=th.dataset.asc!=='1';\
th.dataset.asc=asc?'1':'0';var rows=Array.prototype.slice.call(b.rows);\
rows.sort(function(x,y){var a=x.cells[i].dataset.v||x.cells[i].textContent,\
c=y.cells[i].dataset.v||y.cells[i].textContent,na=parseFloat(a),nc=parseFloat(c);\
var r=(!isNaN(na)&&!isNaN(nc))?na-nc:a.localeCompare(c);return asc?r:-r;});\
rows.forEach(function(r){b.appendChild(r);});});});";

/// Background colour for a covered/min ratio: red (0) through yellow to green (1).
pub fn heat_colour(ratio: f64) -> String {
    let r = ratio.clamp(0.0, 1.0);
    let hue = (120.0 * r).round() as i64;
    format!("hsl({hue},70%,75%)")
}

fn table_start(out: &mut String, class: &str, headers: &[&str]) {
    let _ = write!(out, "<table class=\"{class}\"><thead><tr>");
    for (i, h) in headers.iter().enumerate() {
        let cls = if i == 0 { " class=\"l\"" } else { "" };
        let _ = write!(out, "<th{cls}>{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>");
}

fn num(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 && x.abs() < 1e15 {
        format!("{:.0}", x.round())
    } else {
        format!("{x:.3}")
    }
}

/// The whole report. With the checker's report (`crate::check::check_roster`)
/// its recomputed objective and hard-rule violations are shown; without it,
/// the objective is recomputed by [`View::objective`].
pub fn report(view: &View, explanation: &Explanation, check: Option<&RosterCheck>) -> String {
    let mut o = String::new();
    let title = format!("Roster report: {}", view.scenario.name);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\" /><title>{}</title><style>{STYLE}</style></head><body><h1>{}</h1>",
        esc(&title),
        esc(&title)
    );
    let ours = check.map_or_else(|| view.objective(), |c| c.objective);
    summary(&mut o, view, &ours, check);
    chart_section(&mut o, view);
    objective_table(&mut o, view, &ours);
    if let Some(c) = check {
        violations_table(&mut o, c);
    }
    heatmap(&mut o, view);
    quota_table(&mut o, view);
    unfilled_table(&mut o, explanation);
    let _ = writeln!(o, "<script>{SCRIPT}</script></body></html>");
    o
}

/// Heads covered up to `min`, and `min`, summed over all shifts.
fn heads(view: &View) -> (i64, i64) {
    let mut covered = 0;
    let mut min = 0;
    for (s, sh) in view.scenario.shifts.iter().enumerate() {
        covered += (view.crew[s].len() as i64).min(sh.min.max(0));
        min += sh.min.max(0);
    }
    (covered, min)
}

/// The summary: sizes, total, coverage, hard rules, and the bound and gap in words.
fn summary(o: &mut String, view: &View, ours: &ObjectiveBreakdown, check: Option<&RosterCheck>) {
    let sc = view.scenario;
    let assignments: usize = view.crew.iter().map(Vec::len).sum();
    let used = view.schedule.iter().filter(|s| !s.is_empty()).count();
    let (covered, min) = heads(view);
    let pct = if min == 0 {
        100.0
    } else {
        100.0 * covered as f64 / min as f64
    };
    let short = sc
        .shifts
        .iter()
        .enumerate()
        .filter(|(s, sh)| (view.crew[*s].len() as i64) < sh.min)
        .count();
    let _ = write!(
        o,
        "<section class=\"summary\"><h2 id=\"summary\">Summary</h2><p>{} volunteers ({} used), {} shifts, {} sites, {} assignments.</p><p id=\"headline\">Total objective <b>{}</b> (lower is better). Coverage: {covered} of the {min} heads the shift minimums ask for ({pct:.1}%); {short} shift(s) below their minimum.</p>",
        sc.volunteers.len(),
        used,
        sc.shifts.len(),
        sc.sites.len(),
        assignments,
        num(ours.total),
    );
    match check {
        Some(c) if c.violations.is_empty() => {
            o.push_str("<p id=\"rules\" class=\"ok\">Every hard rule holds.</p>")
        }
        Some(c) => {
            let n: usize = c.violations.iter().map(|g| g.count).sum();
            let _ = write!(o, "<p id=\"rules\" class=\"warn\">{n} hard-rule violation(s): see <a href=\"#violations\">Broken hard rules</a>.</p>");
        }
        None => {}
    }
    bound_words(o, view, ours);
    fairness_words(o, view);
    o.push_str("</section>");
}

/// The bound and the gap, and what they mean, in neutral words.
fn bound_words(o: &mut String, view: &View, ours: &ObjectiveBreakdown) {
    let Some(b) = view.roster.bound else {
        o.push_str("<p id=\"bound\">No lower bound in the roster, so how far its total is from the best possible roster is not known here. <code>vroster solve</code> writes one with the roster.</p>");
        return;
    };
    let gap = view
        .roster
        .gap
        .unwrap_or((ours.total - b) / ours.total.max(1.0));
    // A roster without the field (an older file, another tool) counts its
    // whole group_split as unpriced.
    let unpriced = view.roster.unpriced.unwrap_or(ours.group_split);
    let _ = write!(
        o,
        "<p id=\"bound\">Lower bound {}; gap {:.3}%.</p><p id=\"bound-words\">The lower bound is proven: no roster for this scenario can have a total below {}. The gap, (total − bound) / max(total, 1), is the most this roster's total can be above the best possible roster's, as a share of its total. ",
        num(b),
        100.0 * gap,
        num(b),
    );
    if unpriced > 0.0 {
        let _ = write!(
            o,
            "Of this roster's <code>group_split</code> ({}), {} is more than the bound accounts for ({:.0}% of the gap): splits a better roster may avoid, or that the bound cannot prove. ",
            num(ours.group_split),
            num(unpriced),
            100.0 * unpriced_share(ours, b, unpriced)
        );
    } else {
        let _ = write!(
            o,
            "The bound accounts for all of this roster's <code>group_split</code> ({}). ",
            num(ours.group_split)
        );
    }
    if gap <= 1e-9 {
        o.push_str("Here it is zero: no roster for this scenario has a lower total.</p>");
    } else {
        o.push_str("The best roster lies somewhere between the bound and this total; a large gap can mean a weak bound as much as room to improve the roster.</p>");
    }
}

/// The fairness view in words: how the extra shifts beyond commitments
/// are shared.
fn fairness_words(o: &mut String, view: &View) {
    let f = crate::fairness::fairness(view.scenario, view.roster);
    let _ = write!(
        o,
        "<p id=\"fairness\">Fair load: {} volunteers ({:.1}%) work more shifts than their commitment, {} extra shifts in all; the largest extra load is {} shifts, and the most loaded tenth of the volunteers carry {} of the extra shifts. Shifts worked minus commitment, with the number of volunteers: {}.</p>",
        f.volunteers_above,
        100.0 * f.share_above,
        f.extra_shifts,
        f.largest_extra,
        f.top_tenth_extra,
        esc(&f.histogram())
    );
}

/// The share of `total − bound` in `group_split` beyond the bound's.
fn unpriced_share(ours: &ObjectiveBreakdown, bound: f64, unpriced: f64) -> f64 {
    let gap = ours.total - bound;
    if gap > 1e-9 {
        (unpriced / gap).min(1.0)
    } else {
        0.0
    }
}

/// The charts: timeline and heads over time (full width), then the histograms.
fn chart_section(o: &mut String, view: &View) {
    let grain = charts::grain(view);
    let _ = write!(
        o,
        "<h2 id=\"charts\">Charts</h2><p>{} ({} shifts). Hover a bar or a day for its numbers.</p>",
        charts::grain_words(grain),
        view.scenario.shifts.len()
    );
    charts::timeline(o, view);
    charts::coverage(o, view);
    o.push_str("<div class=\"charts\">");
    charts::shifts_per_volunteer(o, view);
    charts::commitments(o, view);
    charts::travel(o, view);
    o.push_str("</div>");
}

/// The objective terms, recomputed and as the roster claims them.
fn objective_table(o: &mut String, view: &View, ours: &ObjectiveBreakdown) {
    let claimed = view.roster.objective;
    o.push_str("<h2 id=\"objective\">Objective</h2>");
    table_start(o, "objective", &["term", "recomputed", "roster claims"]);
    for (i, (name, v)) in ours.terms().iter().enumerate() {
        let c = claimed.map(|c| c.terms()[i].1);
        let _ = write!(
            o,
            "<tr><td class=\"l\">{name}</td><td>{}</td><td>{}</td></tr>",
            num(*v),
            c.map(num).unwrap_or_else(|| "–".into())
        );
    }
    let _ = write!(
        o,
        "<tr><td class=\"l\"><b>total</b></td><td id=\"total\"><b>{}</b></td><td>{}</td></tr></tbody></table>",
        num(ours.total),
        claimed.map(|c| num(c.total)).unwrap_or_else(|| "–".into())
    );
    if let Some(c) = claimed {
        let agree = (c.total - c.change - ours.total).abs() <= 1e-6 * ours.total.abs().max(1.0);
        let _ = write!(
            o,
            "<p class=\"{}\">{}</p>",
            if agree { "ok" } else { "warn" },
            if agree {
                "The roster's claimed objective agrees with the recomputation."
            } else {
                "The roster's claimed objective differs from the recomputation (the change term needs the previous roster and is not recomputed)."
            }
        );
    }
}

/// The checker's broken hard rules, if any.
fn violations_table(o: &mut String, c: &RosterCheck) {
    if c.violations.is_empty() {
        return;
    }
    o.push_str("<h2 id=\"violations\">Broken hard rules</h2>");
    table_start(
        o,
        "sortable violations",
        &["kind", "rule", "count", "examples"],
    );
    for g in &c.violations {
        let _ = write!(
            o,
            "<tr><td class=\"l warn\">{}</td><td>{}</td><td>{}</td><td class=\"l\">{}</td></tr>",
            esc(g.kind),
            g.rule,
            g.count,
            esc(&g.examples.join("; "))
        );
    }
    o.push_str("</tbody></table>");
}

/// Venue × day table of heads covered up to `min` against `min`.
fn heatmap(o: &mut String, view: &View) {
    let d = daily(view);
    let days: BTreeSet<&str> = d.keys().map(|(_, day)| day.as_str()).collect();
    let venues: BTreeSet<&str> = d.keys().map(|(v, _)| v.as_str()).collect();
    o.push_str("<h2 id=\"coverage\">Coverage by venue and day</h2><p>Cells: heads covered up to the minimum / minimum demand.</p>");
    let mut headers = vec!["venue"];
    headers.extend(days.iter().copied());
    table_start(o, "heatmap", &headers);
    for v in &venues {
        let _ = write!(o, "<tr><td class=\"l\">{}</td>", esc(v));
        for day in &days {
            match d.get(&(v.to_string(), day.to_string())) {
                Some(x) => {
                    let ratio = if x.min == 0 {
                        1.0
                    } else {
                        x.covered as f64 / x.min as f64
                    };
                    let _ = write!(
                        o,
                        "<td class=\"hm\" data-venue=\"{}\" data-day=\"{}\" data-covered=\"{}\" data-min=\"{}\" data-v=\"{ratio:.4}\" style=\"background:{}\" title=\"{} assignments, {} volunteers, {} shifts\">{}/{}</td>",
                        esc(v),
                        esc(day),
                        x.covered,
                        x.min,
                        heat_colour(ratio),
                        x.assigned,
                        x.people,
                        x.shifts,
                        x.covered,
                        x.min
                    );
                }
                None => o.push_str("<td class=\"hm\">–</td>"),
            }
        }
        o.push_str("</tr>");
    }
    o.push_str("</tbody></table>");
}

/// Quotas by label: `(quotas, met, heads needed, heads covered)`.
fn quota_totals(view: &View) -> BTreeMap<String, (usize, usize, i64, i64)> {
    let mut quotas: BTreeMap<String, (usize, usize, i64, i64)> = BTreeMap::new();
    for (s, sh) in view.scenario.shifts.iter().enumerate() {
        for (qi, q) in sh.quotas.iter().enumerate() {
            let have = view.quota_count(s, qi) as i64;
            let e = quotas.entry(view.quota_label(s, qi)).or_default();
            e.0 += 1;
            if have >= q.at_least {
                e.1 += 1;
            }
            e.2 += q.at_least.max(0);
            e.3 += have.min(q.at_least).max(0);
        }
    }
    quotas
}

/// Quota fulfilment by language and skill.
fn quota_table(o: &mut String, view: &View) {
    o.push_str("<h2 id=\"quotas\">Quota fulfilment</h2>");
    table_start(
        o,
        "sortable quotas",
        &[
            "quota",
            "quotas",
            "met",
            "heads needed",
            "heads covered",
            "fulfilment %",
        ],
    );
    for (label, (n, met, need, have)) in &quota_totals(view) {
        let pct = if *need == 0 {
            100.0
        } else {
            100.0 * *have as f64 / *need as f64
        };
        let _ = write!(
            o,
            "<tr><td class=\"l\">{}</td><td>{n}</td><td>{met}</td><td>{need}</td><td>{have}</td><td>{pct:.1}</td></tr>",
            esc(label)
        );
    }
    o.push_str("</tbody></table>");
}

/// Explain's reasons for one unfilled item, in one line.
fn reasons_text(it: &Unfilled) -> String {
    let reasons: Vec<String> = it
        .reasons
        .iter()
        .map(|r| {
            let mut s = format!("{} {}", r.count, r.reason.describe());
            if !r.details.is_empty() {
                let d: Vec<String> = r
                    .details
                    .iter()
                    .take(3)
                    .map(|(n, c)| format!("{n} ×{c}"))
                    .collect();
                s.push_str(&format!(" ({})", d.join(", ")));
            }
            s
        })
        .collect();
    reasons.join("; ")
}

/// The unfilled demand with explain's reasons and cheapest fix.
fn unfilled_table(o: &mut String, explanation: &Explanation) {
    let _ = write!(
        o,
        "<h2 id=\"unfilled\">Unfilled demand</h2><p>{} item(s), cost {}.</p>",
        explanation.items.len(),
        num(explanation.total_cost)
    );
    table_start(
        o,
        "sortable unfilled",
        &[
            "shift",
            "venue",
            "start",
            "demand",
            "assigned / required",
            "cost",
            "why (pool)",
            "cheapest fix",
        ],
    );
    for it in &explanation.items {
        let demand = match &it.demand {
            Demand::Coverage => "coverage".to_string(),
            Demand::Quota { label, .. } => label.clone(),
        };
        let _ = write!(
            o,
            "<tr><td class=\"l\">{}</td><td class=\"l\">{}</td><td class=\"l\">{}</td><td class=\"l\">{}</td><td>{}/{}</td><td>{}</td><td class=\"l\">pool {}: {}</td><td class=\"l\">{}</td></tr>",
            esc(&it.shift),
            esc(&it.venue),
            esc(&it.start),
            esc(&demand),
            it.assigned,
            it.required,
            num(it.cost),
            it.pool,
            esc(&reasons_text(it)),
            esc(it.relaxation.as_ref().map(|r| r.description.as_str()).unwrap_or(""))
        );
    }
    o.push_str("</tbody></table>");
}
