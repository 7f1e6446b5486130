//! One iCalendar file (RFC 5545) per volunteer with a shift: one `VEVENT`
//! per shift, at floating local times (the scenario's wall clock, no zone).
//!
//! Lines end in CRLF and are folded at 75 octets (never inside a UTF-8
//! character); TEXT values escape `\`, `;`, `,` and newlines. `DTSTAMP` is
//! given by the caller (the library never reads the clock).

use super::{OutFile, View};
use std::collections::HashSet;

/// Product identifier written in every calendar.
pub const PRODID: &str = "-//vroster//volunteer roster//EN";

/// Escapes a TEXT value (RFC 5545 §3.3.11).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded at 75 octets, with CRLF.
pub fn push_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

/// `2022-02-04T07:00` → `20220204T070000` (floating local time).
pub fn local_time(t: &str) -> String {
    let digits: String = t.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.len() == 12 {
        format!("{}T{}00", &digits[..8], &digits[8..])
    } else {
        digits
    }
}

/// `YYYYMMDDTHHMMSSZ` for a UTC time given in seconds since 1970.
pub fn utc_stamp(unix_seconds: i64) -> String {
    let minutes = unix_seconds.div_euclid(60);
    let secs = unix_seconds.rem_euclid(60);
    let t = crate::time::format_time(minutes);
    format!(
        "{}{secs:02}Z",
        local_time(&t).get(..13).unwrap_or("19700101T0000")
    )
}

/// A file name for a volunteer id: `[A-Za-z0-9._-]` kept, anything else `_`.
pub fn file_stem(id: &str) -> String {
    let s: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() || s.starts_with('.') {
        format!("v{s}")
    } else {
        s
    }
}

/// The calendar of volunteer `v` (one event per shift of theirs).
pub fn calendar(view: &View, v: usize, dtstamp: &str) -> String {
    let sc = view.scenario;
    let vol = &sc.volunteers[v];
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        &format!("PRODID:{PRODID}"),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        &format!("X-WR-CALNAME:{}", escape(&format!("Shifts of {}", vol.id))),
    ] {
        push_line(&mut out, l);
    }
    for &s in &view.schedule[v] {
        let sh = &sc.shifts[s];
        let venue = view.site_name(&sh.venue);
        let role = sh.role.clone().unwrap_or_else(|| "shift".into());
        push_line(&mut out, "BEGIN:VEVENT");
        push_line(
            &mut out,
            &format!("UID:{}", escape(&format!("{}/{}@vroster", sh.id, vol.id))),
        );
        push_line(&mut out, &format!("DTSTAMP:{dtstamp}"));
        push_line(&mut out, &format!("DTSTART:{}", local_time(&sh.start)));
        push_line(&mut out, &format!("DTEND:{}", local_time(&sh.end)));
        push_line(
            &mut out,
            &format!("SUMMARY:{}", escape(&format!("{role} at {venue}"))),
        );
        push_line(&mut out, &format!("LOCATION:{}", escape(&venue)));
        push_line(
            &mut out,
            &format!(
                "DESCRIPTION:{}",
                escape(&format!(
                    "Shift {}\nVenue: {} ({})\nRole: {role}",
                    sh.id, venue, sh.venue
                ))
            ),
        );
        push_line(&mut out, "END:VEVENT");
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

/// One `.ics` per volunteer with at least one shift (a calendar must hold a
/// component). File names come from [`file_stem`], made unique with `-2`, `-3`….
pub fn files(view: &View, dtstamp: &str) -> Vec<OutFile> {
    let mut used = HashSet::new();
    let mut out = Vec::new();
    for v in 0..view.scenario.volunteers.len() {
        if view.schedule[v].is_empty() {
            continue;
        }
        let stem = file_stem(&view.scenario.volunteers[v].id);
        let mut name = format!("{stem}.ics");
        let mut k = 2;
        while !used.insert(name.to_ascii_lowercase()) {
            name = format!("{stem}-{k}.ics");
            k += 1;
        }
        out.push((name, calendar(view, v, dtstamp).into_bytes()));
    }
    out
}
