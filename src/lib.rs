//! vroster: volunteer rostering for games-scale events.
#![warn(missing_docs)]
pub mod bound;
pub mod check;
pub mod csv_import;
pub mod explain;
pub mod export;
pub mod fairness;
pub mod generate;
pub mod io;
pub mod limits;
pub mod pipeline;
pub mod problem;
pub mod ptask;
pub mod quota;
pub mod repair;
pub mod rules;
pub mod scenario;
pub mod solver;
pub mod summary;
pub mod time;
pub mod validate;
