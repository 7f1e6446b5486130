//! Event-local wall-clock times `"YYYY-MM-DDTHH:MM"` as whole minutes.
//!
//! A [`Minute`] counts minutes since 1970-01-01T00:00 (no zone); the calendar
//! day of a time is `minute.div_euclid(1440)`.

use chrono::{Datelike, NaiveDate};
use thiserror::Error;

/// Minutes since 1970-01-01T00:00, event-local.
pub type Minute = i64;

/// Minutes in a day.
pub const MINUTES_PER_DAY: i64 = 1440;

/// A time string that is not `YYYY-MM-DDTHH:MM` or not a real date.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("'{text}' is not a time of the form YYYY-MM-DDTHH:MM ({reason})")]
pub struct TimeError {
    /// The text as given.
    pub text: String,
    /// What is wrong with it.
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
    // The shape is checked, so the fields are plain digits: read them
    // directly (a format-string parse cost a third of loading a games
    // scenario) and let the calendar say whether the date exists.
    let n = |from: usize, to: usize| {
        b[from..to]
            .iter()
            .fold(0u32, |acc, c| acc * 10 + u32::from(c - b'0'))
    };
    let (hour, minute) = (n(11, 13), n(14, 16));
    let date = NaiveDate::from_ymd_opt(n(0, 4) as i32, n(5, 7), n(8, 10))
        .filter(|_| hour < 24 && minute < 60)
        .ok_or_else(|| err("no such date or time of day"))?;
    let days = date.num_days_from_ce() as i64 - EPOCH_DAYS_FROM_CE;
    Ok(days * MINUTES_PER_DAY + hour as i64 * 60 + minute as i64)
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

    /// The digit reading agrees with chrono's parse of the same format on
    /// every day of a few years (leap years and centuries included) and on
    /// every hour and minute, valid or not.
    #[test]
    fn agrees_with_chrono() {
        use chrono::{NaiveDateTime, Timelike};
        let chrono_minute = |text: &str| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
                .ok()
                .map(|dt| {
                    (dt.date().num_days_from_ce() as i64 - EPOCH_DAYS_FROM_CE) * MINUTES_PER_DAY
                        + dt.hour() as i64 * 60
                        + dt.minute() as i64
                })
        };
        let mut texts = Vec::new();
        for year in [0, 1, 1900, 1970, 2000, 2023, 2024, 2100, 9999] {
            for month in 0..=13 {
                for day in 0..=32 {
                    texts.push(format!("{year:04}-{month:02}-{day:02}T12:30"));
                }
            }
        }
        for hour in 0..=25 {
            for minute in 0..=61 {
                texts.push(format!("2024-02-29T{hour:02}:{minute:02}"));
            }
        }
        for text in &texts {
            assert_eq!(parse_time(text).ok(), chrono_minute(text), "{text}");
        }
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
