//! `orgscope validate` and `orgscope export`: the organization file itself.

use std::path::PathBuf;

use anyhow::Context as _;

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// A native org file, an authorization-details JSON, or an export directory.
    pub org: PathBuf,
    /// Also check that this scenario file applies to the organization.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
}

/// Prints every finding, one per line; exit status 1 when there are errors.
pub fn validate(args: ValidateArgs) -> anyhow::Result<i32> {
    let report = crate::org::validate::validate(&args.org);
    let text = report.to_string();
    if text.is_empty() {
        println!(
            "{}: no problems found",
            crate::text::inert(&args.org.display().to_string())
        );
    } else {
        print!("{}", crate::text::inert(&text));
        if !text.ends_with('\n') {
            println!();
        }
    }
    if report.has_errors() {
        return Ok(1);
    }
    if let Some(scenario) = &args.scenario {
        return super::what_if::validate_scenario(&args.org, scenario);
    }
    Ok(0)
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The organization to export (`acme` for the built-in sample).
    pub org: PathBuf,
    /// The native file to write (atomically; never over an input).
    #[arg(long, short)]
    pub output: PathBuf,
    /// Write the organization as this scenario file changes it.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
}

pub fn export(args: ExportArgs) -> anyhow::Result<i32> {
    let org = super::what_if::load_org_with(&args.org, args.scenario.as_deref())?;
    let text = crate::org::export::to_native_text(&org);
    let mut inputs = vec![args.org.as_path()];
    inputs.extend(args.scenario.as_deref());
    crate::org::export::write_atomic(&args.output, text.as_bytes(), &inputs)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    Ok(0)
}

#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// How many accounts.
    #[arg(long, default_value_t = 100)]
    pub accounts: usize,
    /// The seed: the same seed gives the same organization.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The native file to write (atomically).
    #[arg(long, short)]
    pub output: PathBuf,
}

/// A deterministic synthetic organization, for benchmarks.
pub fn generate(args: GenerateArgs) -> anyhow::Result<i32> {
    let text = crate::org::generate::generate(args.accounts, args.seed);
    crate::org::export::write_atomic(&args.output, text.as_bytes(), &[])
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    Ok(0)
}
