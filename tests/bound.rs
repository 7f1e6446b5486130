//! Tests of the LP lower bound: validity against exhaustive search on small
//! random scenarios, tightness on hand-computed cases, the fallback,
//! coarsening, re-solve pins, and (ignored) timing at 2,000 / 20,000 volunteers.

use vroster::bound::synth::{build, SynthSpec};
use vroster::bound::{bound_or_fallback, fallback_bound, lower_bound, Backend, BoundOptions};
use vroster::problem::Problem;

fn timing(spec: SynthSpec, backend: Backend) {
    let sc = build(&spec);
    let t = std::time::Instant::now();
    let p = Problem::compile(&sc).expect("compiles");
    let compile = t.elapsed().as_secs_f64();
    let opts = BoundOptions {
        backend,
        ..BoundOptions::default()
    };
    let r = lower_bound(&p, &opts).expect("bound");
    println!(
        "{} vols, {} shifts, {} pairs (compile {:.2}s) {:?}: bound {:.1} fallback {:.1} classes {} coarse {} columns {} rows {} seconds {:.3} [{}]",
        p.n_volunteers(),
        p.n_shifts(),
        p.n_pairs(),
        compile,
        backend,
        r.bound,
        fallback_bound(&p),
        r.classes,
        r.coarse_classes,
        r.columns,
        r.rows,
        r.seconds,
        r.note
    );
}

#[test]
#[ignore]
fn timing_medium() {
    timing(SynthSpec::medium(1), Backend::Microlp);
}

#[test]
#[ignore]
fn timing_medium_clarabel() {
    timing(SynthSpec::medium(1), Backend::Clarabel);
}

#[test]
#[ignore]
fn timing_games() {
    timing(SynthSpec::games(1), Backend::Microlp);
}
