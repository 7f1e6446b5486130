//! `vroster validate` (being built).

/// Arguments of `vroster validate`.
#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<u8> {
    anyhow::bail!("'vroster validate' is not built yet")
}
