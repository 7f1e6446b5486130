//! Scenario bytes → the CLI's loading path (`validate::load_scenario_str`:
//! syntax, shape with JSON paths, meaning, warnings) → `Problem::compile`.
//!
//! Oracles: no panic; a scenario without validation errors compiles
//! (ARCHITECTURE.md, "Invariants") and the checker accepts it with an empty
//! roster.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vroster::scenario::{Roster, Scenario};

/// Inputs above this are skipped: the work is linear in the size, and big
/// inputs only slow the fuzzer down.
const MAX_INPUT: usize = 64 * 1024;

fuzz_target!(|data: &[u8]| {
    if data.len() > MAX_INPUT {
        return;
    }
    // The CLI reads files with `read_to_string`: non-UTF-8 is an I/O error.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The plain typed parse (used for rosters and rules files) must not panic.
    let _ = vroster::io::parse_json::<Scenario>(text, "fuzz.json");
    let Ok((scenario, _warnings)) = vroster::validate::load_scenario_str(text) else {
        return;
    };
    if let Err(e) = vroster::problem::Problem::compile(&scenario) {
        panic!("a scenario without validation errors does not compile: {e}");
    }
    if let Err(e) = vroster::check::check_roster(&scenario, &Roster::empty(&scenario.name)) {
        panic!("the checker rejects a valid scenario: {e}");
    }
});
