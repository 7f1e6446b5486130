//! Planner experience: explain, CSV import, exports (CSV, iCal, HTML).

use serde_json::json;
use vroster::explain::{explain, Change, Demand, Reason};
use vroster::scenario::{Roster, Scenario, ROSTER_FORMAT};

/// A one-venue scenario with the target shift `S` (2026-02-04 08:00–12:00,
/// min 1) and the given extra shifts, volunteers and rules.
fn scenario(
    rules: serde_json::Value,
    shifts: serde_json::Value,
    vols: serde_json::Value,
) -> Scenario {
    let mut all = vec![json!({"id": "S", "venue": "A", "role": "info",
        "start": "2026-02-04T08:00", "end": "2026-02-04T12:00", "min": 1, "max": 2})];
    all.extend(shifts.as_array().cloned().unwrap_or_default());
    let v = json!({
        "format": "volunteer-scenario/1", "name": "t",
        "rules": rules,
        "sites": [{"id": "A"}, {"id": "B"}, {"id": "H"}],
        "links": [{"from": "A", "to": "H", "minutes": 20}, {"from": "A", "to": "B", "minutes": 10}],
        "shifts": all, "volunteers": vols });
    serde_json::from_value(v).expect("test scenario")
}

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

fn shift(id: &str, start: &str, end: &str) -> serde_json::Value {
    json!({"id": id, "venue": "A", "start": start, "end": end, "min": 0, "max": 3})
}

/// The single coverage item of shift `S`: its reasons and relaxation.
fn explain_s(sc: &Scenario, r: &Roster) -> vroster::explain::Unfilled {
    let e = explain(sc, r, Some("S")).expect("explain");
    let items: Vec<_> = e
        .items
        .into_iter()
        .filter(|i| i.demand == Demand::Coverage)
        .collect();
    assert_eq!(items.len(), 1, "one coverage item");
    items.into_iter().next().expect("item")
}

fn only_reason(it: &vroster::explain::Unfilled, reason: Reason) -> Vec<(String, usize)> {
    assert_eq!(it.reasons.len(), 1, "{:?}", it.reasons);
    assert_eq!(it.reasons[0].reason, reason);
    assert_eq!(it.reasons[0].count, 1);
    it.reasons[0].details.clone()
}

#[test]
fn explain_unavailable() {
    let sc = scenario(
        json!({}),
        json!([]),
        json!([{"id": "P", "available": [["2026-02-05T00:00", "2026-02-06T00:00"]]}]),
    );
    let it = explain_s(&sc, &roster(&[]));
    only_reason(&it, Reason::Unavailable);
    assert_eq!(it.shortage, 1);
    assert_eq!(it.cost, 1000.0);
    assert!(matches!(
        it.relaxation.expect("fix").change,
        Change::Recruit { .. }
    ));
}

#[test]
fn explain_move_shift_frees_an_unavailable_volunteer() {
    let sc = scenario(
        json!({}),
        json!([]),
        json!([{"id": "P", "available": [["2026-02-04T09:00", "2026-02-04T20:00"]]}]),
    );
    let it = explain_s(&sc, &roster(&[]));
    only_reason(&it, Reason::Unavailable);
    let fix = it.relaxation.expect("fix");
    assert_eq!(fix.change, Change::MoveShift { minutes: 60 });
    assert_eq!(fix.volunteers, vec!["P".to_string()]);
    assert!(
        fix.description.contains("60 minutes later"),
        "{}",
        fix.description
    );
}

#[test]
fn explain_missing_skill() {
    let mut sc = scenario(json!({}), json!([]), json!([{"id": "P", "skills": ["x"]}]));
    sc.shifts[0].requires = vec!["driving".into()];
    let it = explain_s(&sc, &roster(&[]));
    let d = only_reason(&it, Reason::MissingSkill);
    assert_eq!(d, vec![("driving".to_string(), 1)]);
    let fix = it.relaxation.expect("fix");
    assert_eq!(
        fix.change,
        Change::GrantSkill {
            skill: "driving".into()
        }
    );
    assert!(fix
        .description
        .contains("one more volunteer with skill driving"));
}

#[test]
fn explain_unreachable_home() {
    let mut sc = scenario(json!({}), json!([]), json!([{"id": "P", "home": "Z"}]));
    sc.sites.push(vroster::scenario::Site {
        id: "Z".into(),
        ..Default::default()
    });
    let it = explain_s(&sc, &roster(&[]));
    only_reason(&it, Reason::UnreachableHome);
}

#[test]
fn explain_overlapping_names_the_shift() {
    let sc = scenario(
        json!({}),
        json!([shift("T", "2026-02-04T09:00", "2026-02-04T13:00")]),
        json!([{"id": "P"}]),
    );
    let it = explain_s(&sc, &roster(&[("T", "P")]));
    let d = only_reason(&it, Reason::Overlapping);
    assert_eq!(d, vec![("T".to_string(), 1)]);
}

#[test]
fn explain_too_close_and_rest_relaxation() {
    let sc = scenario(
        json!({"min_rest_minutes": 480}),
        json!([shift("T", "2026-02-03T22:00", "2026-02-04T02:00")]),
        json!([{"id": "P"}]),
    );
    let it = explain_s(&sc, &roster(&[("T", "P")]));
    let d = only_reason(&it, Reason::TooClose);
    assert_eq!(d, vec![("T".to_string(), 1)]);
    let fix = it.relaxation.expect("fix");
    assert_eq!(fix.change, Change::MinRest { from: 480, to: 360 });
    assert_eq!(fix.frees, 1);
    assert!(
        fix.description
            .contains("a rest of 360 minutes instead of 480 would free 1"),
        "{}",
        fix.description
    );
}

#[test]
fn explain_daily_minutes() {
    let sc = scenario(
        json!({"min_rest_minutes": 0, "max_minutes_per_day": 300}),
        json!([shift("T", "2026-02-04T14:00", "2026-02-04T18:00")]),
        json!([{"id": "P"}]),
    );
    let it = explain_s(&sc, &roster(&[("T", "P")]));
    only_reason(&it, Reason::DailyMinutes);
    assert_eq!(
        it.relaxation.expect("fix").change,
        Change::MaxMinutesPerDay { from: 300, to: 480 }
    );
}

#[test]
fn explain_max_shifts() {
    let sc = scenario(
        json!({"max_shifts": 1}),
        json!([shift("T", "2026-02-06T08:00", "2026-02-06T12:00")]),
        json!([{"id": "P"}]),
    );
    let it = explain_s(&sc, &roster(&[("T", "P")]));
    only_reason(&it, Reason::MaxShifts);
    assert_eq!(
        it.relaxation.expect("fix").change,
        Change::MaxShifts { from: 1, to: 2 }
    );
}

#[test]
fn explain_consecutive_days() {
    let sc = scenario(
        json!({"max_consecutive_days": 1}),
        json!([shift("T", "2026-02-03T08:00", "2026-02-03T12:00")]),
        json!([{"id": "P"}]),
    );
    let it = explain_s(&sc, &roster(&[("T", "P")]));
    only_reason(&it, Reason::ConsecutiveDays);
    assert_eq!(
        it.relaxation.expect("fix").change,
        Change::MaxConsecutiveDays { from: 1, to: 2 }
    );
}

#[test]
fn explain_free_volunteer_left_by_the_solver() {
    let sc = scenario(json!({}), json!([]), json!([{"id": "P"}]));
    let it = explain_s(&sc, &roster(&[]));
    only_reason(&it, Reason::Free);
    assert_eq!(it.free, vec!["P".to_string()]);
    assert_eq!(it.relaxation.expect("fix").change, Change::AddFree);
}

#[test]
fn explain_quota_on_full_shift_suggests_swap() {
    let mut sc = scenario(
        json!({}),
        json!([]),
        json!([{"id": "P"}, {"id": "Q", "skills": ["first_aid"]}, {"id": "R"}]),
    );
    sc.shifts[0].max = 1;
    sc.shifts[0].quotas = vec![vroster::scenario::Quota {
        skill: Some("first_aid".into()),
        at_least: 1,
        ..Default::default()
    }];
    let e = explain(&sc, &roster(&[("S", "P")]), None).expect("explain");
    assert_eq!(e.items.len(), 1);
    let it = &e.items[0];
    assert!(matches!(it.demand, Demand::Quota { index: 0, .. }));
    assert_eq!(it.pool, 1);
    assert_eq!(it.not_qualifying, 1);
    assert_eq!(it.reasons[0].reason, Reason::ShiftFull);
    assert_eq!(it.cost, 100.0);
    assert_eq!(
        it.relaxation.as_ref().expect("fix").change,
        Change::Swap { out: "P".into() }
    );
}

#[test]
fn explain_orders_by_weighted_shortage_and_rejects_unknown_ids() {
    let mut sc = scenario(
        json!({}),
        json!([shift("T", "2026-02-05T08:00", "2026-02-05T12:00")]),
        json!([]),
    );
    sc.shifts[1].min = 1;
    sc.shifts[1].priority = 3.0;
    let e = explain(&sc, &roster(&[]), None).expect("explain");
    let order: Vec<&str> = e.items.iter().map(|i| i.shift.as_str()).collect();
    assert_eq!(order, vec!["T", "S"]);
    assert_eq!(e.total_cost, 4000.0);
    assert!(e.text().contains("recruit one more volunteer"));
    assert!(explain(&sc, &roster(&[]), Some("nope")).is_err());
    assert!(explain(&sc, &roster(&[("S", "ghost")]), None).is_err());
    // Structured and serializable for reuse by `solve`'s summary.
    let j = serde_json::to_value(&e).expect("json");
    assert_eq!(j["items"][0]["relaxation"]["change"]["kind"], "recruit");
}
