//! `vroster generate` (being built).

/// Arguments of `vroster generate`.
#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<u8> {
    anyhow::bail!("'vroster generate' is not built yet")
}
