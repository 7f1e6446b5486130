//! Candidate shifts, by (venue, day) cell: the bands and roles a venue of
//! each kind staffs on each kind of day, each with a random weight.

use super::model::{
    Candidate, DayKind, Kind, VenueModel, BAND_A, BAND_B, BAND_E, BAND_M, BAND_N, ES, LG, LS, MD,
    PO, RS, SS, TR,
};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Candidate shifts grouped by cell `venue × nd + day`.
pub(super) struct Cells {
    pub(super) candidates: Vec<Candidate>,
    /// `candidates[first[c]..first[c + 1]]` are cell `c`'s.
    pub(super) first: Vec<usize>,
    /// Per cell, the [`Candidate::bit`]s of its candidates.
    pub(super) mask: Vec<u8>,
}

impl Cells {
    pub(super) fn len(&self) -> usize {
        self.mask.len()
    }
}

/// What a cell staffs: its bands, and its roles with their weights.
type Menu = (Vec<u8>, Vec<(u8, f64)>);

/// The candidate shifts of every (venue, day) cell, in venue-then-day order.
pub(super) fn build(rng: &mut ChaCha8Rng, venues: &[VenueModel], weekend: &[bool]) -> Cells {
    let nd = weekend.len();
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut first: Vec<usize> = Vec::with_capacity(venues.len() * nd + 1);
    let mut mask: Vec<u8> = vec![0; venues.len() * nd];
    for (vi, v) in venues.iter().enumerate() {
        for d in 0..nd {
            first.push(candidates.len());
            let (bands, roles) = menu(rng, v.kind, v.days[d], weekend[d]);
            for &band in &bands {
                let band_factor = match band {
                    BAND_N => 0.4,
                    BAND_M | BAND_E => 0.6,
                    _ => 1.0,
                };
                for &(role, w) in &roles {
                    let c = Candidate {
                        venue: vi as u32,
                        day: d as u32,
                        band,
                        role,
                        weight: w * band_factor * rng.gen_range(0.8..1.25),
                    };
                    mask[vi * nd + d] |= c.bit();
                    candidates.push(c);
                }
            }
        }
    }
    first.push(candidates.len());
    Cells {
        candidates,
        first,
        mask,
    }
}

/// Bands and weighted roles of a venue of `kind` on a day of `day_kind`.
fn menu(rng: &mut ChaCha8Rng, kind: Kind, day_kind: DayKind, weekend: bool) -> Menu {
    match (kind, day_kind) {
        (_, DayKind::Off) => (vec![], vec![]),
        (Kind::Competition, DayKind::Setup) => {
            (vec![BAND_A, BAND_B], vec![(LG, 2.0), (ES, 1.5), (TR, 0.8)])
        }
        (Kind::Competition, _) => {
            let mut b = vec![BAND_A, BAND_B];
            if rng.gen_bool(0.4) {
                b.push(BAND_E);
            }
            (
                b,
                vec![
                    (SS, 3.0),
                    (ES, 2.0),
                    (LS, 1.0),
                    (RS, 0.8),
                    (LG, 1.0),
                    (PO, 0.6),
                    (MD, 0.6),
                    (TR, 0.8),
                ],
            )
        }
        (Kind::Village, _) => (
            vec![BAND_A, BAND_B, BAND_N],
            vec![(LS, 1.5), (MD, 0.8), (LG, 1.5), (TR, 1.2), (ES, 1.5)],
        ),
        (Kind::Media, _) => {
            let mut b = vec![BAND_A, BAND_B];
            if rng.gen_bool(0.5) {
                b.push(BAND_N);
            }
            (b, vec![(PO, 2.0), (LS, 1.2), (TR, 0.8), (RS, 1.0)])
        }
        (Kind::Airport, _) => (
            vec![BAND_A, BAND_B, BAND_N],
            vec![(TR, 1.5), (LS, 1.5), (LG, 1.0), (ES, 1.0)],
        ),
        (Kind::Hotel, _) => {
            let mut b = vec![BAND_A, BAND_B];
            if rng.gen_bool(0.3) {
                b.push(BAND_N);
            }
            (b, vec![(LS, 1.0), (TR, 0.8), (ES, 1.0)])
        }
        (Kind::Station | Kind::Hub, _) => {
            let mut b = vec![BAND_A, BAND_B];
            if weekend {
                b.push(BAND_M);
            }
            (b, vec![(SS, 2.0), (LS, 1.0), (MD, 0.5)])
        }
    }
}
