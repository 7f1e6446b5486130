//! Augmenting paths towards a short shift (as in bipartite matching): a
//! breadth-first search over chains of volunteers each moving one shift
//! along, ending at a volunteer who is free or leaves spare headcount.

use super::ctx::Ctx;
use crate::problem::Problem;
use rand::Rng;

/// Most shifts an augmenting-path search expands.
const AUGMENT_NODES: usize = 24;
/// Most candidates an augmenting-path search scans per shift.
const AUGMENT_SCAN: usize = 48;

/// A BFS node: a shift needing a head, its parent node, the pair to add
/// into the parent's shift and the pair removed to free the volunteer.
#[derive(Clone, Copy)]
struct Node {
    shift: u32,
    parent: u32,
    add: u32,
    remove: u32,
}

/// The end of a path: (node, pair to add into its shift, pair removed).
type Found = (usize, usize, Option<usize>);

/// Scratch space of the augmenting-path search, kept between calls.
pub(super) struct Augmenter {
    nodes: Vec<Node>,
    chain: Vec<(u32, u32)>,
    shift_seen: Vec<u32>,
    vol_seen: Vec<u32>,
    stamp: u32,
}

impl Augmenter {
    pub(super) fn new(p: &Problem) -> Self {
        Augmenter {
            nodes: Vec::new(),
            chain: Vec::new(),
            shift_seen: vec![0; p.n_shifts()],
            vol_seen: vec![0; p.n_volunteers()],
            stamp: 0,
        }
    }

    /// Augmenting path towards short shift `s0`: a breadth-first search
    /// over chains "volunteer v_i leaves shift s_i for shift s_{i-1}" that
    /// ends at a volunteer who can join without leaving anything, or who
    /// leaves a shift with headcount to spare. Applied root first so
    /// headcounts never exceed `max` on the way.
    #[inline(never)]
    pub(super) fn augment(&mut self, c: &mut Ctx, s0: usize, t: f64) -> bool {
        let Some(found) = self.search(c, s0) else {
            return false;
        };
        self.trace(found);
        let p = c.p;
        let before = c.total();
        for k in 0..self.chain.len() {
            let (q, r) = self.chain[k];
            if r != u32::MAX {
                c.remove(r as usize);
            }
            if !c.a.can_add(p, q as usize, None) {
                c.rollback();
                return false;
            }
            c.add(q as usize);
        }
        c.finish(before, t)
    }

    /// A fresh stamp for the seen-marks (cleared on wrap-around).
    fn next_stamp(&mut self) -> u32 {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.shift_seen.iter_mut().for_each(|x| *x = 0);
            self.vol_seen.iter_mut().for_each(|x| *x = 0);
            self.stamp = 1;
        }
        self.stamp
    }

    /// The breadth-first search from `s0`; the end of the first path found.
    fn search(&mut self, c: &mut Ctx, s0: usize) -> Option<Found> {
        let p = c.p;
        let stamp = self.next_stamp();
        self.nodes.clear();
        self.nodes.push(Node {
            shift: s0 as u32,
            parent: u32::MAX,
            add: u32::MAX,
            remove: u32::MAX,
        });
        self.shift_seen[s0] = stamp;
        let mut head = 0;
        while head < self.nodes.len() && head < AUGMENT_NODES {
            let s = self.nodes[head].shift as usize;
            let list = p.shift_pair_list(s);
            let (off, n) = if list.len() <= AUGMENT_SCAN {
                (0, list.len())
            } else {
                (c.rng.gen_range(0..list.len()), AUGMENT_SCAN)
            };
            for k in 0..n {
                let q = list[(off + k) % list.len()] as usize;
                if let Some(found) = self.expand(c, head, s, q, stamp) {
                    return Some(found);
                }
            }
            head += 1;
        }
        None
    }

    /// Looks at candidate pair `q` for node `head`'s shift `s`: the end of
    /// a path, a new node (its volunteer's one blocking shift), or nothing.
    #[inline]
    fn expand(&mut self, c: &Ctx, head: usize, s: usize, q: usize, stamp: u32) -> Option<Found> {
        let p = c.p;
        let v = p.pair_vol()[q] as usize;
        if c.a.on()[q] || self.vol_seen[v] == stamp || !c.movable(q) {
            return None;
        }
        // Room on s is guaranteed below the root (its volunteer leaves first).
        if (head > 0 || c.a.shift_count(s) < p.shifts()[s].max) && c.a.fits_schedule(p, v, q, None)
        {
            return Some((head, q, None));
        }
        let r = single_blocker(c, q)?;
        self.vol_seen[v] = stamp;
        let s2 = p.pair_shift()[r] as usize;
        if c.a.shift_count(s2) > p.shifts()[s2].min {
            return Some((head, q, Some(r)));
        }
        if self.shift_seen[s2] != stamp {
            self.shift_seen[s2] = stamp;
            self.nodes.push(Node {
                shift: s2 as u32,
                parent: head as u32,
                add: q as u32,
                remove: r as u32,
            });
        }
        None
    }

    /// The chain from the root down to the found node, then its last step.
    fn trace(&mut self, (node, q_last, r_last): Found) {
        self.chain.clear();
        let mut i = node;
        while i != 0 {
            let n = self.nodes[i];
            self.chain.push((n.add, n.remove));
            i = n.parent as usize;
        }
        self.chain.reverse();
        self.chain
            .push((q_last as u32, r_last.map_or(u32::MAX, |r| r as u32)));
    }
}

/// The first movable assignment of `q`'s volunteer (in schedule order)
/// whose removal alone lets the volunteer take `q` (ignoring `q`'s
/// headcount).
fn single_blocker(c: &Ctx, q: usize) -> Option<usize> {
    let p = c.p;
    let v = p.pair_vol()[q] as usize;
    for &r in c.a.schedule(v) {
        let r = r as usize;
        if c.movable(r) && c.a.fits_schedule(p, v, q, Some(r as u32)) {
            return Some(r);
        }
    }
    None
}
