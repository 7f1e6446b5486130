//! CSV bytes → `csv_import::import` as `vroster import csv` calls it →
//! `validate_scenario` → `Problem::compile` when valid.
//!
//! Input: the files split on `\0`, in the order volunteers, shifts, sites,
//! links, rules (JSON); a missing part is an option not given. Oracles: no
//! panic; an imported scenario without validation errors compiles, and
//! exporting it with `export::csv::scenario_files` and importing the files
//! again gives an equal scenario (docs/csv.md).
#![no_main]

use libfuzzer_sys::fuzz_target;
use vroster::csv_import::{import, CsvText, Settings};

const MAX_INPUT: usize = 64 * 1024;

fuzz_target!(|data: &[u8]| {
    if data.len() > MAX_INPUT {
        return;
    }
    let mut parts = data.splitn(5, |&b| b == 0);
    let mut texts: Vec<Option<CsvText>> = Vec::new();
    for file in ["volunteers.csv", "shifts.csv", "sites.csv", "links.csv"] {
        texts.push(match parts.next() {
            None => None,
            Some(p) => match std::str::from_utf8(p) {
                Ok(text) => Some(CsvText {
                    file: file.to_string(),
                    text: text.to_string(),
                }),
                // The CLI reads with `read_to_string`: an I/O error.
                Err(_) => return,
            },
        });
    }
    let settings = match parts.next() {
        None => None,
        Some(p) => {
            let Ok(text) = std::str::from_utf8(p) else {
                return;
            };
            match vroster::io::parse_json::<Settings>(text, "rules.json") {
                Ok(s) => Some(s),
                Err(_) => return,
            }
        }
    };
    let Ok(scenario) = import(
        texts[0].as_ref(),
        texts[1].as_ref(),
        texts[2].as_ref(),
        texts[3].as_ref(),
        settings,
        "fuzz",
    ) else {
        return;
    };
    let diagnostics = vroster::validate::validate_scenario(&scenario);
    if vroster::validate::has_errors(&diagnostics) {
        return;
    }
    if let Err(e) = vroster::problem::Problem::compile(&scenario) {
        panic!("an imported scenario without validation errors does not compile: {e}");
    }
    let files = vroster::export::csv::scenario_files(&scenario).expect("export");
    let part = |name: &str| {
        let (_, bytes) = files
            .iter()
            .find(|(n, _)| n == name)
            .expect("exported file");
        CsvText {
            file: name.to_string(),
            text: String::from_utf8(bytes.clone()).expect("UTF-8 export"),
        }
    };
    let rules = part("rules.json");
    let settings: Settings = vroster::io::parse_json(&rules.text, &rules.file).expect("rules.json");
    let back = import(
        Some(&part("volunteers.csv")),
        Some(&part("shifts.csv")),
        Some(&part("sites.csv")),
        Some(&part("links.csv")),
        Some(settings),
        "fuzz",
    )
    .expect("exported files import");
    assert_eq!(back, scenario, "export then import changed the scenario");
});
