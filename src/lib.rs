//! vroster: volunteer rostering for games-scale events.
#![warn(missing_docs)]
#[allow(missing_docs)] // docs still to write
pub mod bound;
#[allow(missing_docs)] // docs still to write
pub mod check;
#[allow(missing_docs)] // docs still to write
pub mod csv_import;
#[allow(missing_docs)] // docs still to write
pub mod explain;
#[allow(missing_docs)] // docs still to write
pub mod export;
#[allow(missing_docs)] // docs still to write
pub mod fairness;
#[allow(missing_docs)] // docs still to write
pub mod generate;
#[allow(missing_docs)] // docs still to write
pub mod io;
pub mod limits;
pub mod pipeline;
pub mod problem;
#[allow(missing_docs)] // docs still to write
pub mod ptask;
pub mod quota;
#[allow(missing_docs)] // docs still to write
pub mod repair;
pub mod rules;
pub mod scenario;
pub mod solver;
pub mod summary;
#[allow(missing_docs)] // docs still to write
pub mod time;
#[allow(missing_docs)] // docs still to write
pub mod validate;
