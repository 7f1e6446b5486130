//! A self-contained HTML report of a roster: objective breakdown (recomputed
//! from the format page and compared with the roster's claim), bound and gap,
//! a coverage heatmap of venue × day, quota fulfilment by language and skill,
//! histograms of shifts per volunteer against their commitments, and the
//! unfilled demand with explain's reasons. Inline CSS and a few lines of
//! inline JS (click a table header to sort); nothing is fetched.
//!
//! The markup is well-formed (every element closed, attributes quoted,
//! text escaped) so tests can parse it with a plain tag-stack check.

use super::csv::daily;
use super::View;
use crate::check::CheckReport;
use crate::explain::{Demand, Explanation};
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
.bar{background:#4a7;height:12px;display:inline-block}\
.warn{color:#b30}.ok{color:#070}.hm{min-width:4em;text-align:center}\
h2{margin-top:2em;border-bottom:1px solid #ccc}";

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
pub fn report(view: &View, explanation: &Explanation, check: Option<&CheckReport>) -> String {
    let sc = view.scenario;
    let mut o = String::new();
    let title = format!("Roster report: {}", sc.name);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\" /><title>{}</title><style>{STYLE}</style></head><body><h1>{}</h1>",
        esc(&title),
        esc(&title)
    );
    let assignments: usize = view.crew.iter().map(Vec::len).sum();
    let used = view.schedule.iter().filter(|s| !s.is_empty()).count();
    let _ = write!(
        o,
        "<p>{} volunteers ({} used), {} shifts, {} sites, {} assignments.</p>",
        sc.volunteers.len(),
        used,
        sc.shifts.len(),
        sc.sites.len(),
        assignments
    );

    // Objective.
    let ours = check.map_or_else(|| view.objective(), |c| c.objective);
    let claimed = view.roster.objective;
    o.push_str("<h2 id=\"objective\">Objective</h2>");
    table_start(
        &mut o,
        "objective",
        &["term", "recomputed", "roster claims"],
    );
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
    if let Some(c) = check {
        if c.violations.is_empty() {
            o.push_str("<p id=\"rules\" class=\"ok\">Every hard rule holds.</p>");
        } else {
            o.push_str("<h2 id=\"rules\">Broken hard rules</h2>");
            table_start(
                &mut o,
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
    }
    match view.roster.bound {
        Some(b) => {
            let gap = view
                .roster
                .gap
                .unwrap_or((ours.total - b) / ours.total.max(1.0));
            let _ = write!(
                o,
                "<p id=\"bound\">Lower bound {}; gap {:.3}%.</p>",
                num(b),
                100.0 * gap
            );
        }
        None => o.push_str("<p id=\"bound\">No lower bound in the roster.</p>"),
    }

    // Heatmap venue × day.
    let d = daily(view);
    let days: BTreeSet<&str> = d.keys().map(|(_, day)| day.as_str()).collect();
    let venues: BTreeSet<&str> = d.keys().map(|(v, _)| v.as_str()).collect();
    o.push_str("<h2 id=\"coverage\">Coverage by venue and day</h2><p>Cells: heads covered up to the minimum / minimum demand.</p>");
    let mut headers = vec!["venue"];
    headers.extend(days.iter().copied());
    table_start(&mut o, "heatmap", &headers);
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

    // Quotas by language and skill.
    let mut quotas: BTreeMap<String, (usize, usize, i64, i64)> = BTreeMap::new();
    for (s, sh) in sc.shifts.iter().enumerate() {
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
    o.push_str("<h2 id=\"quotas\">Quota fulfilment</h2>");
    table_start(
        &mut o,
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
    for (label, (n, met, need, have)) in &quotas {
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

    // Histograms.
    let mut worked: BTreeMap<usize, usize> = BTreeMap::new();
    let mut versus: BTreeMap<i64, usize> = BTreeMap::new();
    for (v, vol) in sc.volunteers.iter().enumerate() {
        let n = view.schedule[v].len();
        *worked.entry(n).or_default() += 1;
        let r = vol.effective_rules(&sc.rules);
        *versus.entry(n as i64 - r.min_shifts).or_default() += 1;
    }
    let peak = worked
        .values()
        .chain(versus.values())
        .copied()
        .max()
        .unwrap_or(1)
        .max(1);
    let bar = |count: usize| {
        format!(
            "<span class=\"bar\" style=\"width:{}px\"></span>",
            1 + 300 * count / peak
        )
    };
    o.push_str("<h2 id=\"workload\">Shifts per volunteer</h2>");
    table_start(&mut o, "sortable histogram", &["shifts", "volunteers", ""]);
    for (k, c) in &worked {
        let _ = write!(
            o,
            "<tr><td class=\"l\">{k}</td><td>{c}</td><td class=\"l\">{}</td></tr>",
            bar(*c)
        );
    }
    o.push_str("</tbody></table><p>Shifts worked minus committed minimum (negative: below commitment).</p>");
    table_start(
        &mut o,
        "sortable commitments",
        &["worked − min_shifts", "volunteers", ""],
    );
    for (k, c) in &versus {
        let cls = if *k < 0 { " warn" } else { "" };
        let _ = write!(
            o,
            "<tr><td class=\"l{cls}\">{k}</td><td>{c}</td><td class=\"l\">{}</td></tr>",
            bar(*c)
        );
    }
    o.push_str("</tbody></table>");

    // Unfilled.
    let _ = write!(
        o,
        "<h2 id=\"unfilled\">Unfilled demand</h2><p>{} item(s), cost {}.</p>",
        explanation.items.len(),
        num(explanation.total_cost)
    );
    table_start(
        &mut o,
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
            esc(&reasons.join("; ")),
            esc(it.relaxation.as_ref().map(|r| r.description.as_str()).unwrap_or(""))
        );
    }
    let _ = writeln!(o, "</tbody></table><script>{SCRIPT}</script></body></html>");
    o
}
