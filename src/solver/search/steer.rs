//! Steering by the bound's prices: each volunteer's few pairs of lowest
//! reduced cost (their pair cost less what the relaxation's prices pay for
//! the cover and quotas it fills, plus the headcount price), which `flip`
//! tries on half of its draws instead of a pair drawn at random.
//!
//! A low reduced cost marks a shift the relaxation's best schedules want
//! this volunteer on, counting what every other volunteer could do there
//! (the prices), where the search's own move score sees the roster as it
//! stands. The move is still scored and accepted as before, so the prices
//! only choose what to try.

use crate::problem::Problem;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// Pairs kept per volunteer.
const PER_VOLUNTEER: usize = 8;

/// Share of `flip`'s draws that try one of the volunteer's favourites.
const SHARE: f64 = 0.5;

/// Marks an empty slot (a volunteer with fewer pairs than
/// [`PER_VOLUNTEER`]).
const EMPTY: u32 = u32::MAX;

/// Per volunteer, their [`PER_VOLUNTEER`] pairs of lowest reduced cost.
pub struct Favourites {
    /// `PER_VOLUNTEER` slots per volunteer, cheapest first, [`EMPTY`]
    /// where they have fewer pairs.
    pairs: Vec<u32>,
}

impl Favourites {
    /// The favourites of every volunteer of `p` when pair `q` has reduced
    /// cost `reduced_cost(q)` (ties to the lower pair index).
    pub fn new(p: &Problem, reduced_cost: &(dyn Fn(usize) -> f64 + Sync)) -> Self {
        let slots: Vec<[u32; PER_VOLUNTEER]> = (0..p.n_volunteers())
            .into_par_iter()
            .map_init(Vec::new, |priced, v| {
                priced.clear();
                priced.extend(p.vol_pairs(v).map(|q| (reduced_cost(q), q as u32)));
                let by_cost =
                    |a: &(f64, u32), b: &(f64, u32)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
                if priced.len() > PER_VOLUNTEER {
                    priced.select_nth_unstable_by(PER_VOLUNTEER, by_cost);
                    priced.truncate(PER_VOLUNTEER);
                }
                priced.sort_unstable_by(by_cost);
                let mut out = [EMPTY; PER_VOLUNTEER];
                for (slot, &(_, q)) in out.iter_mut().zip(priced.iter()) {
                    *slot = q;
                }
                out
            })
            .collect();
        Favourites {
            pairs: slots.into_iter().flatten().collect(),
        }
    }

    /// On [`SHARE`] of the calls, one of `v`'s favourites drawn at random.
    pub(super) fn draw(&self, v: usize, rng: &mut ChaCha8Rng) -> Option<usize> {
        if !rng.gen_bool(SHARE) {
            return None;
        }
        let q = self.pairs[v * PER_VOLUNTEER + rng.gen_range(0..PER_VOLUNTEER)];
        (q != EMPTY).then_some(q as usize)
    }

    /// `v`'s favourites, cheapest first.
    pub fn of(&self, v: usize) -> impl Iterator<Item = usize> + '_ {
        self.pairs[v * PER_VOLUNTEER..(v + 1) * PER_VOLUNTEER]
            .iter()
            .filter(|&&q| q != EMPTY)
            .map(|&q| q as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{generate, GeneratorConfig};
    use rand::SeedableRng;

    #[test]
    fn favourites_are_each_volunteers_cheapest_pairs() {
        let sc = generate(&GeneratorConfig::preset("small").expect("preset"));
        let p = Problem::compile(&sc).expect("compiles");
        // A reduced cost that is not the pair order: favourites must sort.
        let rc = |q: usize| ((q * 7919) % 101) as f64;
        let fav = Favourites::new(&p, &rc);
        for v in 0..p.n_volunteers() {
            let mut all: Vec<(f64, usize)> = p.vol_pairs(v).map(|q| (rc(q), q)).collect();
            all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let want: Vec<usize> = all.iter().take(PER_VOLUNTEER).map(|x| x.1).collect();
            assert_eq!(fav.of(v).collect::<Vec<_>>(), want, "volunteer {v}");
        }
        // About half the draws try a favourite, always one of v's.
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let v = (0..p.n_volunteers())
            .find(|&v| p.vol_pairs(v).len() >= PER_VOLUNTEER)
            .expect("a volunteer with enough pairs");
        let drawn: Vec<usize> = (0..1000).filter_map(|_| fav.draw(v, &mut rng)).collect();
        assert!((400..600).contains(&drawn.len()), "{}", drawn.len());
        assert!(drawn.iter().all(|q| fav.of(v).any(|f| f == *q)));
    }
}
