//! `vroster check` (being built).

/// Arguments of `vroster check`.
#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<u8> {
    anyhow::bail!("'vroster check' is not built yet")
}
