//! vroster: volunteer rostering for games-scale events.
pub mod scenario;
pub mod time;
pub mod problem;
pub mod io;
pub mod bound;
