//! Event-local wall-clock times `"YYYY-MM-DDTHH:MM"` as whole minutes.
//!
//! A [`Minute`] counts minutes since 1970-01-01T00:00 (no zone); the calendar
//! day of a time is `minute.div_euclid(1440)`.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use thiserror::Error;

/// Minutes since 1970-01-01T00:00, event-local.
pub type Minute = i64;

/// Minutes in a day.
pub const MINUTES_PER_DAY: i64 = 1440;

/// A time string that is not `YYYY-MM-DDTHH:MM` or not a real date.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("'{text}' is not a time of the form YYYY-MM-DDTHH:MM ({reason})")]
pub struct TimeError {
    pub text: String,
    pub reason: &'static str,
}

/// Parses `"YYYY-MM-DDTHH:MM"` strictly (zero-padded, no seconds, no zone).
pub fn parse_time(text: &str) -> Result<Minute, TimeError> {
    let err = |reason| TimeError {
        text: text.to_string(),
        reason,
    };
    let b = text.as_bytes();
    if b.len() != 16 {
        return Err(err("expected exactly 16 characters"));
    }
    let shape_ok = b.iter().enumerate().all(|(i, c)| match i {
        4 | 7 => *c == b'-',
        10 => *c == b'T',
        13 => *c == b':',
        _ => c.is_ascii_digit(),
    });
    if !shape_ok {
        return Err(err("wrong shape"));
    }
    let dt = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .map_err(|_| err("no such date or time of day"))?;
    let days = dt.date().num_days_from_ce() as i64 - EPOCH_DAYS_FROM_CE;
    Ok(days * MINUTES_PER_DAY + dt.hour() as i64 * 60 + dt.minute() as i64)
}

/// Days from 0001-01-01 (CE day 1) to 1970-01-01.
const EPOCH_DAYS_FROM_CE: i64 = 719_163;

/// Formats minutes back to `"YYYY-MM-DDTHH:MM"`.
pub fn format_time(minute: Minute) -> String {
    let days = minute.div_euclid(MINUTES_PER_DAY);
    let rem = minute.rem_euclid(MINUTES_PER_DAY);
    match NaiveDate::from_num_days_from_ce_opt((days + EPOCH_DAYS_FROM_CE) as i32) {
        Some(d) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}",
            d.year(),
            d.month(),
            d.day(),
            rem / 60,
            rem % 60
        ),
        None => format!("(minute {minute})"),
    }
}

/// The calendar day (days since 1970-01-01) of a time.
pub fn day_of(minute: Minute) -> i64 {
    minute.div_euclid(MINUTES_PER_DAY)
}

/// Formats a day number as `"YYYY-MM-DD"`.
pub fn format_day(day: i64) -> String {
    let s = format_time(day * MINUTES_PER_DAY);
    s[..10.min(s.len())].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_days() {
        let t = parse_time("2022-02-04T07:00").unwrap();
        assert_eq!(format_time(t), "2022-02-04T07:00");
        assert_eq!(parse_time("1970-01-01T00:00").unwrap(), 0);
        assert_eq!(parse_time("1970-01-02T01:01").unwrap(), 1440 + 61);
        assert_eq!(
            day_of(parse_time("2022-02-04T23:59").unwrap()) + 1,
            day_of(parse_time("2022-02-05T00:00").unwrap())
        );
        assert_eq!(format_day(day_of(t)), "2022-02-04");
    }

    #[test]
    fn rejects_bad_times() {
        for bad in [
            "2022-02-30T07:00",
            "2022-2-04T07:00",
            "2022-02-04 07:00",
            "2022-02-04T24:00",
            "2022-02-04T07:00:00",
            "",
            "xxxx-xx-xxTxx:xx",
        ] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
    }
}
