//! The generator's model: site kinds, the tables of names, bands and roles,
//! and the small types the phases hand to each other.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Competition,
    Village,
    Media,
    Airport,
    Hotel,
    Station,
    Hub,
}

impl Kind {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Kind::Competition => "competition",
            Kind::Village => "village",
            Kind::Media => "media",
            Kind::Airport => "airport",
            Kind::Hotel => "hotel",
            Kind::Station => "station",
            Kind::Hub => "hub",
        }
    }
}

pub(super) const COMPETITION_NAMES: [(&str, &str); 20] = [
    ("NST", "National Stadium"),
    ("NAC", "National Aquatics Centre"),
    ("NIS", "National Indoor Stadium"),
    ("NSS", "National Speed Skating Oval"),
    ("WKS", "Wukesong Arena"),
    ("CIS", "Capital Indoor Stadium"),
    ("SBA", "Big Air Shougang"),
    ("NTC", "National Tennis Centre"),
    ("NVE", "National Velodrome"),
    ("NHC", "National Hockey Centre"),
    ("NGY", "National Gymnastics Hall"),
    ("NRC", "National Rowing Centre"),
    ("NSH", "National Shooting Range"),
    ("NEQ", "National Equestrian Centre"),
    ("NSC", "National Sliding Centre"),
    ("NAS", "National Alpine Ski Centre"),
    ("GTP", "Genting Snow Park"),
    ("NBC", "National Biathlon Centre"),
    ("NCC", "National Cross-Country Centre"),
    ("NSJ", "National Ski Jumping Centre"),
];

pub(super) const DISTRICTS: [&str; 16] = [
    "Haidian",
    "Chaoyang",
    "Dongcheng",
    "Xicheng",
    "Fengtai",
    "Shijingshan",
    "Tongzhou",
    "Shunyi",
    "Changping",
    "Daxing",
    "Fangshan",
    "Mentougou",
    "Huairou",
    "Pinggu",
    "Miyun",
    "Yanqing",
];

pub(super) const UNIVERSITIES: [&str; 16] = [
    "BNU", "THU", "PKU", "RUC", "BFSU", "BLCU", "CUC", "BIT", "BUAA", "BJTU", "USTB", "CUPL",
    "BUPT", "BSU", "CNU", "UIBE",
];

/// Foreign languages that quotas ask for besides English.
pub(super) const RARE_LANGUAGES: [&str; 6] = ["fr", "ru", "ja", "ko", "de", "es"];

/// Shift bands: (id letter, start minute of day, duration).
pub(super) const BANDS: [(&str, i64, i64); 5] = [
    ("A", 6 * 60, 480),
    ("B", 13 * 60, 480),
    ("N", 22 * 60, 480),
    ("M", 9 * 60, 240),
    ("E", 17 * 60, 240),
];
pub(super) const BAND_A: u8 = 0;
pub(super) const BAND_B: u8 = 1;
pub(super) const BAND_N: u8 = 2;
pub(super) const BAND_M: u8 = 3;
pub(super) const BAND_E: u8 = 4;
pub(super) const SHORT_MINUTES: i64 = 300;

/// Roles: (name, id code, skill class: 0 none, 1 driving, 2 first_aid).
pub(super) const ROLES: [(&str, &str, u8); 8] = [
    ("spectator_services", "SS", 0),
    ("event_services", "ES", 0),
    ("language_services", "LS", 0),
    ("results", "RS", 0),
    ("logistics", "LG", 0),
    ("press_ops", "PO", 0),
    ("medical_support", "MD", 2),
    ("transport", "TR", 1),
];
pub(super) const SS: u8 = 0;
pub(super) const ES: u8 = 1;
pub(super) const LS: u8 = 2;
pub(super) const RS: u8 = 3;
pub(super) const LG: u8 = 4;
pub(super) const PO: u8 = 5;
pub(super) const MD: u8 = 6;
pub(super) const TR: u8 = 7;
pub(super) const CLASS_SKILL: [&str; 3] = ["", "driving", "first_aid"];

/// What a venue does on one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DayKind {
    Off,
    Setup,
    Competition,
    Operations,
}

pub(super) struct VenueModel {
    pub(super) id: String,
    pub(super) kind: Kind,
    /// Popularity for preferences and accreditation.
    pub(super) size: f64,
    pub(super) days: Vec<DayKind>,
}

pub(super) struct Candidate {
    pub(super) venue: u32,
    pub(super) day: u32,
    pub(super) band: u8,
    pub(super) role: u8,
    pub(super) weight: f64,
}

impl Candidate {
    pub(super) fn class(&self) -> u8 {
        ROLES[self.role as usize].2
    }
    pub(super) fn short(&self) -> bool {
        BANDS[self.band as usize].2 <= SHORT_MINUTES
    }
    /// Bit of this shift in a cell mask: class × 2 + short.
    pub(super) fn bit(&self) -> u8 {
        1 << (self.class() * 2 + self.short() as u8)
    }
}

pub(super) struct VolModel {
    pub(super) days: Vec<u32>,
    pub(super) venues: Vec<u32>,
    /// Cell-mask bits this volunteer can use (skill classes × durations).
    pub(super) mask: u8,
    pub(super) max_consecutive: u32,
    pub(super) max_shifts: u32,
}

#[derive(Clone, Copy)]
pub(super) enum Pattern {
    Whole,
    FirstHalf,
    SecondHalf,
    Weekends,
    TwoWindows,
}

pub(super) fn pick_weighted(rng: &mut ChaCha8Rng, weights: &[f64]) -> Option<usize> {
    let total: f64 = weights.iter().sum();
    if total.is_nan() || total <= 0.0 {
        return None;
    }
    let mut x = rng.gen::<f64>() * total;
    for (i, &w) in weights.iter().enumerate() {
        if x < w {
            return Some(i);
        }
        x -= w;
    }
    weights.iter().rposition(|&w| w > 0.0)
}

/// A point uniformly at random in the disc of `radius` around `centre`.
pub(super) fn disc(rng: &mut ChaCha8Rng, centre: (f64, f64), radius: f64) -> (f64, f64) {
    let r = radius * rng.gen::<f64>().sqrt();
    let t = rng.gen::<f64>() * std::f64::consts::TAU;
    (centre.0 + r * t.cos(), centre.1 + r * t.sin())
}
