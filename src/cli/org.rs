//! `orgscope validate` and `orgscope export`: the organization file itself.

use std::path::PathBuf;

use anyhow::Context as _;

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// A native org file, an authorization-details JSON, or an export directory.
    pub org: PathBuf,
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
    Ok(if report.has_errors() { 1 } else { 0 })
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The organization to export (`acme` for the built-in sample).
    pub org: PathBuf,
    /// The native file to write (atomically; never over an input).
    #[arg(long, short)]
    pub output: PathBuf,
}

pub fn export(args: ExportArgs) -> anyhow::Result<i32> {
    let org = super::query::load_org(&args.org)?;
    let text = crate::org::export::to_native_text(&org);
    crate::org::export::write_atomic(&args.output, text.as_bytes(), &[args.org.as_path()])
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    Ok(0)
}
