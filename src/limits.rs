//! Resource limits: how much memory a run may use, and the model that turns
//! a memory budget into a most-eligible-pairs limit checked by the compiler
//! before it allocates per-pair arrays ([`crate::problem::CompileOptions::max_pairs`]).
//!
//! The model is measured, not derived: on the 200,000-volunteer city preset
//! (37.7 M pairs) compiling peaked at 2.05 GiB and a 2-thread solve at
//! 4.4 GiB, of which about 0.4 GiB is the loaded scenario. That is about
//! 46 bytes per pair for the compiled problem and 33 more per search thread
//! (rosters, heaps and undo state), rounded up below.

use thiserror::Error;

/// Bytes per eligible pair for the compiled problem and shared state.
pub const BYTES_PER_PAIR: u64 = 48;
/// Bytes per eligible pair for each search thread.
pub const BYTES_PER_PAIR_PER_THREAD: u64 = 36;
/// Share of physical memory a run may use by default.
pub const DEFAULT_MEMORY_SHARE: f64 = 0.8;

/// A `--max-memory` value that cannot be read.
#[derive(Debug, Error, PartialEq)]
#[error("'{0}' is not a memory size: write a number with an optional unit, e.g. 6G, 6GiB, 500M or 2048MiB")]
pub struct SizeError(pub String);

/// Parses a memory size: bytes, or a number with `K`, `M`, `G`, `T` (with an
/// optional `B` or `iB`; all binary: `1G` = 2^30 bytes). Fractions are allowed
/// (`1.5G`).
pub fn parse_size(text: &str) -> Result<u64, SizeError> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value: f64 = num.parse().map_err(|_| SizeError(text.to_string()))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        _ => return Err(SizeError(text.to_string())),
    };
    let bytes = value * (1u64 << shift) as f64;
    if !bytes.is_finite() || bytes < 1.0 || bytes > u64::MAX as f64 {
        return Err(SizeError(text.to_string()));
    }
    Ok(bytes as u64)
}

/// Physical memory, from `/proc/meminfo` (None where it cannot be read).
pub fn total_memory_bytes() -> Option<u64> {
    meminfo_kib("MemTotal:").map(|k| k * 1024)
}

fn meminfo_kib(key: &str) -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// This process's resident memory now (None where it cannot be read).
pub fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// The default memory limit: [`DEFAULT_MEMORY_SHARE`] of physical memory
/// (None, no limit, where physical memory is unknown).
pub fn default_memory_limit() -> Option<u64> {
    total_memory_bytes().map(|b| (b as f64 * DEFAULT_MEMORY_SHARE) as u64)
}

/// Estimated bytes for `pairs` eligible pairs searched by `threads` threads.
pub fn bytes_for_pairs(pairs: u64, threads: usize) -> u64 {
    pairs.saturating_mul(BYTES_PER_PAIR + BYTES_PER_PAIR_PER_THREAD * threads.max(1) as u64)
}

/// Most eligible pairs a run may compile under `limit` bytes, given what
/// the process already holds (`in_use`, e.g. the loaded scenario).
pub fn max_pairs(limit: u64, in_use: u64, threads: usize) -> usize {
    let per_pair = BYTES_PER_PAIR + BYTES_PER_PAIR_PER_THREAD * threads.max(1) as u64;
    (limit.saturating_sub(in_use) / per_pair) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_in_binary_units() {
        assert_eq!(parse_size("512"), Ok(512));
        assert_eq!(parse_size("4K"), Ok(4096));
        assert_eq!(parse_size("500M"), Ok(500 << 20));
        assert_eq!(parse_size("6G"), Ok(6 << 30));
        assert_eq!(parse_size("6GiB"), Ok(6 << 30));
        assert_eq!(parse_size("1.5 gb"), Ok(3 << 29));
        assert_eq!(parse_size("2T"), Ok(2 << 40));
        for bad in ["", "G", "12X", "-1G", "0", "1e3", "nan", "1.2.3G"] {
            assert!(parse_size(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn the_pair_budget_follows_the_model() {
        // 1 GiB, 100 MiB in use, 2 threads: (1024 - 100) MiB / (48 + 72) B.
        let m = max_pairs(1 << 30, 100 << 20, 2);
        assert_eq!(m, ((1u64 << 30) - (100 << 20)) as usize / 120);
        assert_eq!(max_pairs(100, 200, 1), 0);
        assert_eq!(bytes_for_pairs(1_000, 1), 84_000);
        assert!(total_memory_bytes().is_none_or(|t| default_memory_limit() < Some(t)));
    }
}
