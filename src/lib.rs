//! vroster: volunteer rostering for games-scale events.
pub mod scenario;
pub mod time;
pub mod generate;
pub mod problem;
pub mod io;
