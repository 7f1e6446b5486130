//! The annealing's cooling across the search's epochs: by the iteration
//! budget, or, when the deadline would cut the budget short, compressed
//! so that the epochs that fit still cool down to the end temperature.
//!
//! The temperature of an iteration follows its progress through the
//! cooling (`AnnealParams::offset` and `iterations`). A run the deadline
//! cut at 60 % of its budget used to stop at 60 % of the cooling, still
//! warm: the coldest part, where the roster settles, never ran. Where the
//! budget fits (or no deadline is set) nothing changes, so those rosters
//! stay exactly as the budget alone makes them.

/// The deadline compresses the cooling only when the epochs that fit fall
/// below this share of the epochs left: a projection near the budget
/// leaves the run as the budget makes it (at 0.95, medium at 10 s, whose
/// budget fits, was compressed on one seed of three by a slow first epoch).
const COMPRESS_BELOW: f64 = 0.8;

/// Where each epoch's cooling starts and how far it goes, in iterations
/// of the budget's cooling (`total`): epoch `e` starts at
/// `e × per_epoch` and covers `per_epoch` until a deadline compresses it.
#[derive(Clone, Debug)]
pub struct Cooling {
    total: f64,
    per_epoch: f64,
    /// Where the next epoch starts.
    at: f64,
    /// How much of the cooling the next epoch covers.
    stride: f64,
}

impl Cooling {
    /// The budget's cooling: `total` iterations, `per_epoch` an epoch.
    pub fn new(total: u64, per_epoch: u64) -> Self {
        let per_epoch = per_epoch.max(1) as f64;
        Cooling {
            total: total.max(1) as f64,
            per_epoch,
            at: 0.0,
            stride: per_epoch,
        }
    }

    /// `(offset, iterations)` of the next epoch's `AnnealParams` (which
    /// runs `per_epoch` steps): its progress runs from `at / total` to
    /// `(at + stride) / total`. Without compression exactly
    /// `(e × per_epoch, total)`.
    pub fn window(&self) -> (u64, u64) {
        let scale = self.per_epoch / self.stride;
        (
            (self.at * scale).round() as u64,
            (self.total * scale).round() as u64,
        )
    }

    /// Moves on past an epoch. `pace` is the search's seconds per epoch so
    /// far and `left` the seconds to the deadline (`None`: no deadline),
    /// with `remaining` epochs of the budget still to run: when fewer than
    /// [`COMPRESS_BELOW`] of them fit, the cooling left is spread over
    /// those that fit.
    pub fn advance(&mut self, pace: f64, left: Option<f64>, remaining: u64) {
        self.at += self.stride;
        let Some(left) = left else {
            return;
        };
        if remaining == 0 || pace <= 0.0 || self.at >= self.total {
            return;
        }
        let fit = (left / pace).floor().max(1.0);
        if fit < COMPRESS_BELOW * remaining as f64 {
            self.stride = self.stride.max((self.total - self.at) / fit);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_binding_deadline_the_windows_are_the_budgets() {
        let mut c = Cooling::new(42_000_000, 1_000_000);
        for e in 0..42u64 {
            assert_eq!(c.window(), (e * 1_000_000, 42_000_000));
            // Plenty of time left, or none set.
            let left = if e % 2 == 0 { Some(1e6) } else { None };
            c.advance(1.0, left, 41 - e);
        }
    }

    #[test]
    fn a_binding_deadline_ends_the_cooling_with_the_last_epoch_that_fits() {
        let (total, per_epoch) = (40_000_000u64, 1_000_000u64);
        let mut c = Cooling::new(total, per_epoch);
        // 10 epochs run at 1 s each; 15 s are left for the other 30.
        for _ in 0..10 {
            c.advance(1.0, Some(1e6), 30);
        }
        c.advance(1.0, Some(15.0), 29);
        // The 15 epochs that fit cover the 29/40 of the cooling left.
        let mut end = 0.0;
        for _ in 0..15 {
            let (offset, span) = c.window();
            assert!(span < total);
            end = (offset + per_epoch) as f64 / span as f64;
            c.advance(1.0, Some(1e6), 10);
        }
        assert!((end - 1.0).abs() < 1e-6, "the cooling ends at {end}");
    }

    #[test]
    fn a_nearly_fitting_budget_is_left_alone_and_compression_never_slows() {
        let mut c = Cooling::new(20_000_000, 1_000_000);
        c.advance(1.0, Some(16.5), 19);
        assert_eq!(c.window(), (1_000_000, 20_000_000));
        c.advance(1.0, Some(9.0), 18);
        let (_, span) = c.window();
        assert!(span < 20_000_000);
        // More time later does not undo the compression.
        c.advance(1.0, Some(1e6), 17);
        assert_eq!(c.window().1, span);
    }
}
