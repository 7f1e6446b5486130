//! One file per command: argument parsing (clap) and presentation only; the
//! work itself lives in the library.
pub mod bench;
pub mod check;
pub mod common;
pub mod explain;
pub mod export;
pub mod generate;
pub mod generate_changes;
pub mod import;
pub mod resolve;
pub mod solve;
pub mod standby;
pub mod validate;
