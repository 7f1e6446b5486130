//! vroster: volunteer rostering for games-scale events.
pub mod scenario;
pub mod validate;
pub mod time;
pub mod problem;
pub mod io;
