//! `orgscope validate`, `export` and `generate`: the organization file itself.

use std::path::{Path, PathBuf};

use super::output::{print, print_json, write_output};

/// Output formats of a command that prints a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// One finding per line, `file:line:column: error: message (at json.path)`.
    Text,
    /// One JSON object: `org`, `errors`, `warnings`, `findings[]`, `notes[]`.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// A native org file, an authorization-details JSON, an export directory, or
    /// `acme` for the built-in sample.
    pub org: PathBuf,
    /// Also check that this scenario file applies to the organization.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

/// The JSON of `validate --format json`.
#[derive(serde::Serialize)]
struct ValidateJson<'a> {
    org: String,
    errors: usize,
    warnings: usize,
    findings: &'a [crate::org::report::Finding],
}

/// Prints every finding, one per line; exit status 1 when there are errors.
pub fn validate(args: ValidateArgs) -> anyhow::Result<i32> {
    let report = if super::is_builtin_acme(&args.org) {
        crate::org::validate::validate_str("acme", crate::org::ACME)
    } else {
        crate::org::validate::validate(&args.org)
    };
    let shown = args.org.display().to_string();
    match args.format {
        ReportFormat::Json => print_json(
            &ValidateJson {
                org: shown,
                errors: report.errors().count(),
                warnings: report.warnings().count(),
                findings: &report.findings,
            },
            &[],
        )?,
        ReportFormat::Text => {
            let text = report.to_string();
            if text.is_empty() {
                print(&format!(
                    "{}: no problems found\n",
                    crate::text::inert(&shown)
                ))?;
            } else {
                print(&crate::text::inert(&text))?;
                if !text.ends_with('\n') {
                    print("\n")?;
                }
            }
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
    /// The native file to write, atomically (never over an input, never over what is
    /// not a regular file); `-` or none: standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write the organization as this scenario file changes it.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
}

pub fn export(args: ExportArgs) -> anyhow::Result<i32> {
    let org = super::what_if::load_org_with(&args.org, args.scenario.as_deref())?;
    let text = crate::org::export::to_native_text(&org);
    let mut inputs: Vec<&Path> = if super::is_builtin_acme(&args.org) {
        Vec::new()
    } else {
        vec![args.org.as_path()]
    };
    inputs.extend(args.scenario.as_deref());
    write_output(args.output.as_deref(), text.as_bytes(), &inputs)?;
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
    /// The native file to write, atomically (never over what is not a regular file);
    /// `-` or none: standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// A deterministic synthetic organization, for benchmarks.
pub fn generate(args: GenerateArgs) -> anyhow::Result<i32> {
    let text = crate::org::generate::generate(args.accounts, args.seed);
    write_output(args.output.as_deref(), text.as_bytes(), &[])?;
    Ok(0)
}
