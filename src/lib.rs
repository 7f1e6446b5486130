//! vroster: volunteer rostering for games-scale events.
pub mod bound;
pub mod io;
pub mod problem;
pub mod scenario;
pub mod time;
