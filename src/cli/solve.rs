//! `vroster solve` (being built).

/// Arguments of `vroster solve`.
#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<u8> {
    anyhow::bail!("'vroster solve' is not built yet")
}
