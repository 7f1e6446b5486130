//! Hard rules 3–7 on compiled times (minutes since the problem's origin):
//! the solver side's one home for each. The compiler asks rule 3 which
//! shifts a volunteer can take, `Problem::spaced` asks rule 4, the search's
//! `Assignment::fits_schedule` asks rules 4–7 for one move, and `explain`
//! asks the same functions "what if this one limit changed" by passing a
//! changed [`Limits`] value. The checker (`check/`) keeps its own
//! independent copy and shares nothing with this module.

use crate::problem::{VolunteerInfo, UNREACHABLE};
use crate::time::day_of;

/// A volunteer's limits under rules 4–7, each of which `explain` may change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Rule 4: minutes of rest between two shifts.
    pub rest: i64,
    /// Rule 5: minutes worked on one calendar day.
    pub daily: i64,
    /// Rule 6: shifts in all.
    pub max_shifts: i64,
    /// Rule 7: calendar days worked in a row.
    pub consecutive: i64,
}

impl Limits {
    /// The compiled limits of one volunteer.
    pub fn of(v: &VolunteerInfo) -> Self {
        Limits {
            rest: v.min_rest,
            daily: v.max_minutes_per_day,
            max_shifts: i64::from(v.max_shifts),
            consecutive: i64::from(v.max_consecutive_days),
        }
    }
}

/// Rule 3: a shift `[start, end)` lies inside the window `(from, to)`.
#[inline]
pub fn within((from, to): (i64, i64), start: i64, end: i64) -> bool {
    from <= start && end <= to
}

/// Rule 3: a shift `[start, end)` lies inside one of `windows`.
pub fn available(windows: &[(i64, i64)], start: i64, end: i64) -> bool {
    windows.iter().any(|&w| within(w, start, end))
}

/// Rule 4: the idle minutes needed between two shifts: the rest `rest`, or
/// the travel between their venues when longer; no route needs forever.
#[inline]
pub fn spacing_needed(rest: i64, travel: u64) -> i64 {
    if travel == UNREACHABLE {
        i64::MAX / 4
    } else {
        rest.max(travel.min(i64::MAX as u64 / 4) as i64)
    }
}

/// Rule 4: a shift starting at `next_start` may follow one ending at `end`
/// with `need` idle minutes between them.
#[inline]
pub fn follows(end: i64, next_start: i64, need: i64) -> bool {
    next_start >= end.saturating_add(need)
}

/// Rule 4 for two shifts `(start, end)` in whichever order they start.
#[inline]
pub fn spaced(a: (i64, i64), b: (i64, i64), need: i64) -> bool {
    if a.0 <= b.0 {
        follows(a.1, b.0, need)
    } else {
        follows(b.1, a.0, need)
    }
}

/// Whether two shifts `(start, end)` overlap in time (the worst case of rule 4).
#[inline]
pub fn overlap(a: (i64, i64), b: (i64, i64)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Idle minutes between two shifts `(start, end)` in whichever order they
/// start (negative when they overlap).
#[inline]
pub fn idle_between(a: (i64, i64), b: (i64, i64)) -> i64 {
    if a.0 <= b.0 {
        b.0 - a.1
    } else {
        a.0 - b.1
    }
}

/// The calendar day of a shift starting at `start`: the day its minutes
/// count towards (rule 5) and that it works (rule 7).
#[inline]
pub fn day(start: i64) -> i64 {
    day_of(start)
}

/// Rule 5: minutes worked on `day` with a shift of `minutes` there, beside
/// the volunteer's other shifts `(day, minutes)`.
#[inline]
pub fn day_minutes(day: i64, minutes: i64, others: impl Iterator<Item = (i64, i64)>) -> i64 {
    minutes
        + others
            .filter(|&(d, _)| d == day)
            .map(|(_, m)| m)
            .sum::<i64>()
}

/// Rule 5: `minutes` on one day are within the daily limit.
#[inline]
pub fn within_daily(minutes: i64, limit: i64) -> bool {
    minutes <= limit
}

/// Rule 6: one more shift beside `others` is within the limit.
#[inline]
pub fn within_max_shifts(others: i64, limit: i64) -> bool {
    // others + 1 <= limit
    others < limit
}

/// Rule 7: the run of consecutive worked days through `day` if `day` were
/// worked, given the days of the volunteer's other shifts in ascending
/// order (repeats allowed).
#[inline]
pub fn run_through<I>(days: I, day: i64) -> i64
where
    I: DoubleEndedIterator<Item = i64> + Clone,
{
    1 + run_from(days.clone().rev(), day, -1) + run_from(days, day, 1)
}

/// Rule 7: `run` consecutive days are within the limit.
#[inline]
pub fn within_consecutive(run: i64, limit: i64) -> bool {
    run <= limit
}

/// Days worked in a row next to `day` in direction `step` (±1), from
/// `days` ordered in that direction.
#[inline]
fn run_from(days: impl Iterator<Item = i64>, day: i64, step: i64) -> i64 {
    let mut want = day + step;
    let mut run = 0;
    for d in days {
        // Behind `day` (or a repeat of a day already counted).
        if (d - want) * step < 0 {
            continue;
        }
        if d != want {
            break;
        }
        run += 1;
        want += step;
    }
    run
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_counts_both_sides_and_stops_at_a_gap() {
        let days = [0, 1, 1, 3, 4, 5, 7];
        assert_eq!(run_through(days.iter().copied(), 2), 6);
        assert_eq!(run_through(days.iter().copied(), 6), 5);
        assert_eq!(run_through(days.iter().copied(), 9), 1);
        assert_eq!(run_through(days.iter().copied(), 1), 2);
        assert_eq!(run_through(std::iter::empty(), 0), 1);
    }

    #[test]
    fn spacing_needs_the_longer_of_rest_and_travel() {
        assert_eq!(spacing_needed(60, 30), 60);
        assert_eq!(spacing_needed(60, 90), 90);
        assert!(!spaced(
            (0, 100),
            (150, 200),
            spacing_needed(0, UNREACHABLE)
        ));
        assert!(spaced((150, 200), (0, 100), 50));
        assert!(!spaced((150, 200), (0, 100), 51));
        assert!(overlap((0, 100), (99, 200)) && !overlap((0, 100), (100, 200)));
        assert_eq!(idle_between((150, 200), (0, 100)), 50);
    }

    #[test]
    fn windows_and_day_limits() {
        assert!(available(&[(0, 50), (100, 200)], 100, 200));
        assert!(!available(&[(0, 150), (160, 300)], 100, 200));
        assert_eq!(
            day_minutes(1, 60, [(1, 30), (2, 500), (1, 10)].into_iter()),
            100
        );
        assert!(within_daily(100, 100) && !within_daily(101, 100));
        assert!(within_max_shifts(2, 3) && !within_max_shifts(3, 3));
        assert_eq!(day(-1), -1);
    }
}
