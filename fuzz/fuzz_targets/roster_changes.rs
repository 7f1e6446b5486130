//! Roster and changes bytes → the CLI's parsers, against a fixed valid
//! scenario (`scenarios/tiny.json`) → the checker (`check_roster`, and
//! `check_repair` plus the re-solve's `apply_changes`/`compile_applied`
//! when a previous roster and changes parse).
//!
//! Input: `roster \0 changes [\0 previous roster]`; without a third part the
//! roster is also the previous roster. Oracle: no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use vroster::scenario::{Roster, Scenario, ROSTER_FORMAT};

const MAX_INPUT: usize = 64 * 1024;

fn scenario() -> &'static Scenario {
    static SC: OnceLock<Scenario> = OnceLock::new();
    SC.get_or_init(|| {
        vroster::validate::load_scenario_str(include_str!("../../scenarios/tiny.json"))
            .expect("tiny.json is valid")
            .0
    })
}

/// As `vroster check` reads the roster to check: typed parse and format tag.
fn read_roster(text: &str) -> Option<Roster> {
    let r: Roster = vroster::io::parse_json(text, "roster.json").ok()?;
    (r.format == ROSTER_FORMAT).then_some(r)
}

fuzz_target!(|data: &[u8]| {
    if data.len() > MAX_INPUT {
        return;
    }
    let sc = scenario();
    let mut parts = data.splitn(3, |&b| b == 0);
    let roster_text = parts.next().and_then(|p| std::str::from_utf8(p).ok());
    let changes_text = parts.next().and_then(|p| std::str::from_utf8(p).ok());
    let prev_text = parts
        .next()
        .and_then(|p| std::str::from_utf8(p).ok())
        .or(roster_text);

    let roster = roster_text.and_then(read_roster);
    if let Some(r) = &roster {
        if let Ok(report) = vroster::check::check_roster(sc, r) {
            let _ = report.passes();
            let _ = serde_json::to_string(&report);
        }
    }
    // `vroster check --prev --changes` and `vroster resolve` validate these.
    let prev = prev_text.and_then(|t| vroster::validate::load_roster_str(t, sc).ok());
    let changes = changes_text.and_then(|t| vroster::validate::load_changes_str(t, sc).ok());
    let (Some((prev, _)), Some((changes, _))) = (prev, changes) else {
        return;
    };
    if let Some(r) = &roster {
        let _ = vroster::check::check_repair(sc, &prev, &changes, r);
    }
    if let Ok(applied) = vroster::repair::apply_changes(sc, &prev, &changes) {
        let _ = vroster::repair::compile_applied(&applied, None);
    }
});
