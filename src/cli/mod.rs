//! The headless command line: every question has a subcommand with JSON output.

mod simulate;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "orgscope",
    version,
    about = "Explore an AWS Organization and compute effective permissions exactly as AWS does"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The organization to browse in the terminal UI (an org file or an AWS export);
    /// without one, the built-in acme teaching organization.
    #[arg(value_name = "ORG")]
    pub org: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate raw requests against explicitly given policies (the simulate format).
    Simulate(simulate::Args),
}

/// Runs a parsed command line; the exit status is returned for scripts.
pub fn run(cli: Cli) -> anyhow::Result<i32> {
    match cli.command {
        Some(Command::Simulate(args)) => simulate::run(args),
        None => {
            let org = match &cli.org {
                // The error names the file and lists what is wrong; its source is in it.
                Some(path) => crate::org::load(path).map_err(|e| anyhow::anyhow!("{e}"))?,
                None => crate::org::load_builtin_acme(),
            };
            crate::tui::run(&org)?;
            Ok(0)
        }
    }
}

/// `-` means standard input.
pub(crate) fn read_input(path: &PathBuf) -> anyhow::Result<String> {
    use anyhow::Context as _;
    use std::io::Read;
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("cannot read standard input")?;
        Ok(s)
    } else {
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
    }
}
