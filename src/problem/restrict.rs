//! A part of a compiled problem as a problem of its own: some volunteers,
//! some shifts, and the pairs between them a caller keeps. The flow
//! construction solves the parts of a very large problem side by side
//! (`solver::flow::split`).

use super::{pair_volunteers, shift_csr, Problem, QuotaInfo, NONE, PAIR_PINNED};

/// A part of a [`Problem`] and where its indices come from.
pub struct Part {
    /// The part as a problem: local volunteers, shifts, quotas and pairs,
    /// in the order of the original's; no objective constant.
    pub problem: Problem,
    /// The original pair of each local pair.
    pub pair_of: Vec<u32>,
    /// The original shift of each local shift.
    pub shift_of: Vec<u32>,
    /// The original quota of each local quota.
    pub quota_of: Vec<u32>,
}

impl Problem {
    /// The part made of `volunteers` and `shifts` (both ascending) and the
    /// pairs between them for which `keep` holds. Every kept pair keeps its
    /// cost, quota mask and flags, and the local pairs of a volunteer keep
    /// the original order, so the local CSR views are those of the
    /// original restricted. Sites, travel, roles and groups are shared.
    ///
    /// # Panics
    /// If `volunteers` or `shifts` is not strictly ascending or holds an
    /// index out of range (a caller's bug, never user input).
    pub fn restrict(
        &self,
        volunteers: &[u32],
        shifts: &[u32],
        keep: impl Fn(usize) -> bool,
    ) -> Part {
        assert!(volunteers.windows(2).all(|w| w[0] < w[1]));
        assert!(shifts.windows(2).all(|w| w[0] < w[1]));
        let (local_shift, quota_of, quotas, new_shifts) = self.restrict_shifts(shifts);
        let mut vol_start = Vec::with_capacity(volunteers.len() + 1);
        vol_start.push(0);
        let (mut pair_of, mut pair_shift) = (Vec::new(), Vec::new());
        for &v in volunteers {
            for k in self.vol_pairs(v as usize) {
                let s = local_shift[self.pair_shift[k] as usize];
                if s != NONE && keep(k) {
                    pair_of.push(k as u32);
                    pair_shift.push(s);
                }
            }
            vol_start.push(pair_of.len());
        }
        let pick = |k: &u32| *k as usize;
        let pair_flags: Vec<u8> = pair_of.iter().map(|k| self.pair_flags[pick(k)]).collect();
        let pinned = (0..pair_of.len() as u32)
            .filter(|&k| pair_flags[k as usize] & PAIR_PINNED != 0)
            .collect();
        let (shift_start, shift_pairs, shift_pair_vol) =
            shift_csr(&vol_start, &pair_shift, new_shifts.len());
        let problem = Problem {
            name: self.name.clone(),
            weights: self.weights.clone(),
            origin_day: self.origin_day,
            site_ids: self.site_ids.clone(),
            venue_sites: self.venue_sites.clone(),
            travel: self.travel.clone(),
            role_names: self.role_names.clone(),
            shift_ids: shifts
                .iter()
                .map(|&s| self.shift_ids[s as usize].clone())
                .collect(),
            shifts: new_shifts,
            volunteer_ids: (volunteers.iter())
                .map(|&v| self.volunteer_ids[v as usize].clone())
                .collect(),
            volunteers: (volunteers.iter())
                .map(|&v| self.volunteers[v as usize].clone())
                .collect(),
            quotas,
            group_ids: self.group_ids.clone(),
            n_days: self.n_days,
            pair_vol: pair_volunteers(&vol_start),
            vol_start,
            pair_cost: pair_of.iter().map(|k| self.pair_cost[pick(k)]).collect(),
            pair_quota_mask: pair_of
                .iter()
                .map(|k| self.pair_quota_mask[pick(k)])
                .collect(),
            pair_flags,
            pair_shift,
            shift_start,
            shift_pairs,
            shift_pair_vol,
            constant_cost: 0.0,
            pinned,
            repair: self.repair,
        };
        Part {
            problem,
            pair_of,
            shift_of: shifts.to_vec(),
            quota_of,
        }
    }

    /// The local index of every original shift ([`NONE`] if left out),
    /// the original quota of every local quota, the local quotas, and the
    /// local shifts (quota ranges renumbered).
    fn restrict_shifts(
        &self,
        shifts: &[u32],
    ) -> (Vec<u32>, Vec<u32>, Vec<QuotaInfo>, Vec<super::ShiftInfo>) {
        let mut local_shift = vec![NONE; self.shifts.len()];
        let (mut quota_of, mut quotas, mut new_shifts) = (Vec::new(), Vec::new(), Vec::new());
        for (i, &s) in shifts.iter().enumerate() {
            local_shift[s as usize] = i as u32;
            let mut sh = self.shifts[s as usize].clone();
            let first = sh.quota_start;
            sh.quota_start = quotas.len() as u32;
            for q in first..first + sh.quota_count {
                quota_of.push(q);
                quotas.push(QuotaInfo {
                    shift: i as u32,
                    ..self.quotas[q as usize].clone()
                });
            }
            new_shifts.push(sh);
        }
        (local_shift, quota_of, quotas, new_shifts)
    }
}

#[cfg(test)]
mod tests {
    use crate::generate::{generate, GeneratorConfig};
    use crate::problem::Problem;

    fn problem() -> Problem {
        let cfg = GeneratorConfig {
            volunteers: 80,
            venues: 3,
            days: 3,
            seed: 4,
            ..GeneratorConfig::default()
        };
        Problem::compile(&generate(&cfg)).expect("compiles")
    }

    #[test]
    fn the_whole_problem_restricted_to_everything_is_itself() {
        let p = problem();
        let vols: Vec<u32> = (0..p.n_volunteers() as u32).collect();
        let shifts: Vec<u32> = (0..p.n_shifts() as u32).collect();
        let part = p.restrict(&vols, &shifts, |_| true);
        let q = &part.problem;
        assert_eq!(q.pair_shift(), p.pair_shift());
        assert_eq!(q.pair_cost(), p.pair_cost());
        assert_eq!(q.pinned(), p.pinned());
        for s in 0..p.n_shifts() {
            assert_eq!(q.shift_pair_list(s), p.shift_pair_list(s));
        }
        assert_eq!(
            part.quota_of,
            (0..p.quotas().len() as u32).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_part_keeps_exactly_the_kept_pairs_between_its_members() {
        let p = problem();
        let vols: Vec<u32> = (0..p.n_volunteers() as u32)
            .filter(|v| v % 3 != 0)
            .collect();
        let shifts: Vec<u32> = (0..p.n_shifts() as u32).filter(|s| s % 2 == 0).collect();
        let keep = |k: usize| k % 5 != 1;
        let part = p.restrict(&vols, &shifts, keep);
        let q = &part.problem;
        let expected: Vec<u32> = (0..p.n_pairs())
            .filter(|&k| {
                keep(k) && vols.contains(&p.pair_vol()[k]) && shifts.contains(&p.pair_shift()[k])
            })
            .map(|k| k as u32)
            .collect();
        assert_eq!(part.pair_of, expected);
        assert!(!expected.is_empty());
        for (local, &k) in part.pair_of.iter().enumerate() {
            let k = k as usize;
            let s = q.pair_shift()[local] as usize;
            assert_eq!(part.shift_of[s], p.pair_shift()[k]);
            assert_eq!(vols[q.pair_vol()[local] as usize], p.pair_vol()[k]);
            assert_eq!(q.pair_cost()[local], p.pair_cost()[k]);
            assert_eq!(q.find_pair(q.pair_vol()[local] as usize, s), Some(local));
        }
        for (lq, info) in q.quotas().iter().enumerate() {
            let orig = &p.quotas()[part.quota_of[lq] as usize];
            assert_eq!(part.shift_of[info.shift as usize], orig.shift);
            assert_eq!(info.at_least, orig.at_least);
        }
    }
}
