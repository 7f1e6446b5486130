//! `vroster generate`: write a realistic generated scenario.

use anyhow::Context;
use std::path::PathBuf;
use std::time::Instant;
use vroster::generate::{generate_with_stats, scenario_json, GeneratorConfig};

/// Named sizes (see `scenarios/README.md`).
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum Preset {
    /// 200 volunteers, 3 venues, 3 days.
    Small,
    /// 2,000 volunteers, 10 venues, 7 days.
    Medium,
    /// 20,000 volunteers, 40 venues, 18 days.
    Games,
    /// 200,000 volunteers, 300 venues (260 city stations), 30 days.
    City,
}

/// Arguments of `vroster generate`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Fill in volunteers, venues and days from a named size.
    #[arg(long, value_enum)]
    pub preset: Option<Preset>,
    /// Number of volunteers.
    #[arg(long)]
    pub volunteers: Option<usize>,
    /// Number of venues; beyond 48, all but 40 are city stations.
    #[arg(long)]
    pub venues: Option<usize>,
    /// Number of event days.
    #[arg(long)]
    pub days: Option<u32>,
    /// Random seed: the same arguments give the same bytes.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Σ shift minimum over volunteer capacity (above 1 over-subscribes).
    #[arg(long, default_value_t = 0.9)]
    pub demand_ratio: f64,
    /// First event day, YYYY-MM-DD.
    #[arg(long, default_value = "2026-02-04")]
    pub start_date: String,
    /// Scenario name (default: describes the size and seed).
    #[arg(long)]
    pub name: Option<String>,
    /// Weight of the fair-load term `extra_load` (0: the default weights).
    #[arg(long, value_name = "W", default_value_t = 0.0)]
    pub extra_load: f64,
    /// Compact JSON (default for more than 5,000 volunteers).
    #[arg(long, conflicts_with = "pretty")]
    pub compact: bool,
    /// Pretty JSON even for large scenarios.
    #[arg(long)]
    pub pretty: bool,
    /// Output file.
    #[arg(short = 'o', long)]
    pub output: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let t0 = Instant::now();
    let base = match args.preset {
        Some(p) => {
            let name = match p {
                Preset::Small => "small",
                Preset::Medium => "medium",
                Preset::Games => "games",
                Preset::City => "city",
            };
            GeneratorConfig::preset(name).context("unknown preset")?
        }
        None => GeneratorConfig::default(),
    };
    let need = |v: Option<usize>, base: usize, what: &str| -> anyhow::Result<usize> {
        match (v, args.preset) {
            (Some(v), _) => Ok(v),
            (None, Some(_)) => Ok(base),
            (None, None) => anyhow::bail!("--{what} is required without --preset"),
        }
    };
    let cfg = GeneratorConfig {
        volunteers: need(args.volunteers, base.volunteers, "volunteers")?,
        venues: need(args.venues, base.venues, "venues")?,
        days: need(args.days.map(|d| d as usize), base.days as usize, "days")? as u32,
        seed: args.seed,
        demand_ratio: args.demand_ratio,
        start_date: args.start_date.clone(),
        name: args.name.clone(),
        extra_load: args.extra_load,
    };
    cfg.check().map_err(anyhow::Error::msg)?;
    let generated = generate_with_stats(&cfg);
    let t_gen = t0.elapsed();
    let pretty = args.pretty || (!args.compact && cfg.volunteers <= 5_000);
    let bytes = scenario_json(&generated.scenario, pretty);
    vroster::io::write_atomic(&args.output, &bytes)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    let s = &generated.stats;
    eprintln!(
        "generated {}: {} sites ({} competition, {} stations, {} hubs), {} links, {} shifts, \
         {} volunteers in {} groups; min demand {}, capacity {} (ratio {:.3}), eligible pairs {}; \
         {:.1} MB in {:.2} s (generation {:.2} s)",
        args.output.display(),
        s.sites,
        s.competition_venues,
        s.stations,
        s.hubs,
        s.links,
        s.shifts,
        s.volunteers,
        s.groups,
        s.min_demand,
        s.capacity,
        s.min_demand as f64 / (s.capacity as f64).max(1.0),
        s.eligible_pairs,
        bytes.len() as f64 / 1e6,
        t0.elapsed().as_secs_f64(),
        t_gen.as_secs_f64(),
    );
    Ok(0)
}
