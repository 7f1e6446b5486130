//! vroster: volunteer rostering for games-scale events.
pub mod bound;
pub mod check;
pub mod csv_import;
pub mod explain;
pub mod export;
pub mod generate;
pub mod io;
pub mod limits;
pub mod pipeline;
pub mod problem;
pub mod ptask;
pub mod repair;
pub mod report;
pub mod scenario;
pub mod solver;
pub mod time;
pub mod validate;
