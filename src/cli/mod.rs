//! The headless command line: every question has a subcommand with JSON output.

mod findings;
mod learn;
mod org;
mod output;
mod query;
mod simulate;
pub mod what_if;

pub(crate) use crate::text::inert;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "orgscope",
    version,
    about = "Explore an AWS Organization and compute effective permissions exactly as AWS does",
    after_help = "Exit status: 0 done (can: allowed); 1 an error, or validate: the org has errors, \
                  check: an expectation fails, findings: one at --fail-on remains; \
                  2 a usage error, or simulate: some case is an error; 3 can: implicitly denied, \
                  paths --to: not reached, what-if: someone gains or loses; 4 can: explicitly \
                  denied."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The organization to browse in the terminal UI (an org file or an AWS export);
    /// without one, or `acme`, the built-in acme teaching organization.
    #[arg(value_name = "ORG")]
    pub org: Option<PathBuf>,
    /// The terminal UI: start with this scenario's changes made (what if).
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// The terminal UI: check these expectations in the what-if view.
    #[arg(long, value_name = "FILE")]
    pub expect: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate raw requests against explicitly given policies (the simulate format).
    /// Exit status 2 when some case is an error.
    Simulate(simulate::Args),
    /// Can a principal do an action on a resource? The decision and why. Exit status:
    /// 0 allowed, 3 implicitly denied, 4 explicitly denied.
    Can(query::CanArgs),
    /// Who in the organization can do an action on a resource?
    WhoCan(query::WhoCanArgs),
    /// What can a principal do, over every AWS action?
    WhatCan(query::WhatCanArgs),
    /// Which roles can a principal reach by assuming roles? Exit status 3 when the
    /// --to role is not reached.
    Paths(query::PathsArgs),
    /// Check an organization and report every problem with its location. Exit
    /// status 1 when there are errors.
    Validate(org::ValidateArgs),
    /// Write any loaded organization as a native org file.
    Export(org::ExportArgs),
    /// What an auditor should look at first: external access, risky policies,
    /// identity hygiene, the organization's shape. Exit status 1 when a finding at or
    /// above --fail-on remains.
    Findings(findings::FindingsArgs),
    /// Lessons: learn AWS security by doing it in an organization. Without a lesson,
    /// the list; with one, the lesson in the terminal UI; --practice asks questions of
    /// any organization.
    Learn(learn::LearnArgs),
    /// Write a deterministic synthetic organization of any size (for benchmarks).
    Generate(org::GenerateArgs),
    /// Who gains and who loses what if the organization changed as a scenario file
    /// says. Exit status: 0 nobody changes, 3 someone does.
    WhatIf(what_if::WhatIfArgs),
    /// Check expectations (who must and must not be able to do what) on the
    /// organization or a scenario. Exit status: 0 all hold, 1 one fails.
    Check(what_if::CheckArgs),
}

/// Runs a parsed command line; the exit status is returned for scripts.
pub fn run(cli: Cli) -> anyhow::Result<i32> {
    match cli.command {
        Some(Command::Simulate(args)) => simulate::run(args),
        Some(Command::Can(args)) => query::can(args),
        Some(Command::WhoCan(args)) => query::who_can(args),
        Some(Command::WhatCan(args)) => query::what_can(args),
        Some(Command::Paths(args)) => query::paths(args),
        Some(Command::Validate(args)) => org::validate(args),
        Some(Command::Export(args)) => org::export(args),
        Some(Command::Generate(args)) => org::generate(args),
        Some(Command::Findings(args)) => findings::run(args),
        Some(Command::WhatIf(args)) => what_if::what_if(args),
        Some(Command::Check(args)) => what_if::check(args),
        Some(Command::Learn(args)) => learn::run(args),
        None => {
            // The terminal UI opens what loaded and lists the problems; an input that
            // gives nothing to look at is refused with its errors, which name the file.
            // `acme`, as every command takes it, or nothing: the built-in sample.
            let (org, report) = match &cli.org {
                Some(path) if !is_builtin_acme(path) => {
                    crate::org::load_partial(path).map_err(|e| anyhow::anyhow!("{e}"))?
                }
                _ => (
                    crate::org::load_builtin_acme(),
                    crate::org::Report::default(),
                ),
            };
            let start = what_if::tui_start(
                &org,
                cli.org.as_deref().filter(|p| !is_builtin_acme(p)),
                cli.scenario.as_deref(),
                cli.expect.as_deref(),
            )?;
            crate::tui::run_what_if(&org, &report, start)?;
            Ok(0)
        }
    }
}

/// `acme` names the built-in sample organization, unless a file of that name is there.
pub(crate) fn is_builtin_acme(path: &std::path::Path) -> bool {
    path.as_os_str() == "acme" && !path.exists()
}

/// `-` means standard input.
pub(crate) fn read_input(path: &std::path::Path) -> anyhow::Result<String> {
    use anyhow::Context as _;
    use std::io::Read;
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .and_then(|_| crate::text_file::decode(bytes))
            .context("cannot read standard input")
    } else {
        crate::text_file::read(path).with_context(|| format!("cannot read {}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// `--help` explains every option of every command: a flag without a line of help
    /// is one a user has to guess.
    #[test]
    fn every_option_has_help() {
        let cli = super::Cli::command();
        let mut missing = Vec::new();
        for cmd in std::iter::once(&cli).chain(cli.get_subcommands()) {
            for arg in cmd.get_arguments() {
                if arg.get_help().is_none() && !matches!(arg.get_id().as_str(), "help" | "version")
                {
                    missing.push(format!("{} --{}", cmd.get_name(), arg.get_id()));
                }
            }
        }
        assert!(missing.is_empty(), "options without help: {missing:?}");
    }
}
