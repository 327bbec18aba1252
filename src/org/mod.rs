//! The organization: its model and graph, the loaders (native file, AWS exports),
//! validation, export and synthetic generation.
//!
//! ```text
//! input ──> loader (native / authorization details / export directory / generator)
//!       ──> Builder (shared rules: names, ARNs, references, documents once)
//!       ──> Org (tables + indexes + petgraph graph)     and Report (located findings)
//! ```
//!
//! A load with errors yields no [`Org`]: dropping a policy the input holds could turn a
//! Deny into an Allow, so a broken input is refused, with every problem located. Only
//! [`load_partial`] builds one anyway, for a person who is shown the problems.

mod account_name;
pub mod assume_index;
mod aws;
mod builder;
pub(crate) mod de;
pub(crate) mod docs;
pub mod entities;
pub mod export;
pub mod generate;
pub mod graph;
pub(crate) mod hash;
pub mod ids;
pub(crate) mod locate;
mod managed;
mod model;
mod native;
mod ordered;
pub mod quota;
pub mod report;
pub mod sources;
mod time;
pub mod validate;

use std::fmt;
use std::path::{Path, PathBuf};

pub use account_name::{AccountNameError, resource_account_id};
pub use entities::*;
pub use graph::{AttachKind, Attachment, Edge, OrgGraph};
pub use ids::*;
pub(crate) use model::Parts;
pub use model::{Edits, NameLookup, Org, ResourceTagRead, Stats};
pub use report::{Finding, Report, Severity};
pub use time::parse_time;

use builder::Builder;
pub(crate) use builder::{check_iam_path, is_iam_name};

/// Why an organization could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read `{}`: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The input has errors; the report holds every finding, located.
    #[error("{}", Errors(.0))]
    Invalid(Report),
}

struct Errors<'a>(&'a Report);

impl fmt::Display for Errors<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors: Vec<&Finding> = self.0.errors().collect();
        let n = errors.len();
        write!(
            f,
            "the organization has {n} error{}",
            if n == 1 { "" } else { "s" }
        )?;
        for e in errors.iter().take(20) {
            write!(f, "\n  {e}")?;
        }
        if n > 20 {
            write!(f, "\n  ... and {} more (run `orgscope validate`)", n - 20)?;
        }
        Ok(())
    }
}

/// What a path holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// An orgscope org file.
    Native,
    /// One `aws iam get-account-authorization-details` output: standalone accounts.
    AuthorizationDetails,
    /// A directory of AWS CLI output (see docs/aws-export.md).
    ExportDirectory,
}

/// Loads an organization from a native file, an authorization-details file or an
/// export directory, whichever `path` is.
///
/// The CLI and TUI open every ORG argument with this; on `Err`, print the error (it
/// lists the located errors) and exit with status 1.
pub fn load(path: &Path) -> Result<Org, LoadError> {
    let (org, report) = load_with_report(path)?;
    org.ok_or(LoadError::Invalid(report))
}

/// Like [`load`], and also returns the findings (warnings included). `Ok((None, r))`
/// when the input has errors; `Err` only when `path` cannot be read at all.
pub fn load_with_report(path: &Path) -> Result<(Option<Org>, Report), LoadError> {
    read(path, false)
}

/// Loads what can be loaded despite errors, for a person to look at (the terminal
/// UI): what the report names as an error is left out (a reference that does not
/// resolve, an entity refused), and a policy document that does not parse allows and
/// denies nothing ([`Doc::unreadable`] says so). Answers on such an org can be wrong
/// in either direction; whoever shows them must say so. `Err` when the input cannot
/// be read, or gave no account at all.
pub fn load_partial(path: &Path) -> Result<(Org, Report), LoadError> {
    match read(path, true)? {
        (Some(org), report) => Ok((org, report)),
        (None, report) => Err(LoadError::Invalid(report)),
    }
}

fn read(path: &Path, keep_what_loaded: bool) -> Result<(Option<Org>, Report), LoadError> {
    let meta = std::fs::metadata(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if meta.is_dir() {
        return Ok(aws::export_dir::load(path, keep_what_loaded));
    }
    let text = crate::text_file::read(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(load_text(path, &text, keep_what_loaded))
}

/// Loads a native or authorization-details document held in memory; `name` is the
/// file name findings are reported under.
pub fn load_str(name: impl AsRef<Path>, text: &str) -> (Option<Org>, Report) {
    load_text(name.as_ref(), text, false)
}

/// As [`load_str`] for a native text written from `known` and changed: a document
/// with the same kind, name and text as one of `known`'s is not compiled again but
/// shares `known`'s compiled policy (what-if builds the changed org this way).
pub(crate) fn load_str_reusing(name: &str, text: &str, known: &Org) -> (Option<Org>, Report) {
    load_text_with(Path::new(name), text, false, Some(known))
}

fn load_text(path: &Path, text: &str, keep_what_loaded: bool) -> (Option<Org>, Report) {
    load_text_with(path, text, keep_what_loaded, None)
}

fn load_text_with(
    path: &Path,
    text: &str,
    keep_what_loaded: bool,
    known: Option<&Org>,
) -> (Option<Org>, Report) {
    let mut b = Builder::new();
    b.keep_what_loaded = keep_what_loaded;
    b.known = known.map(docs::KnownDocs::of);
    let file = b.problems.file(path);
    if text.trim().is_empty() {
        b.problems.file_error(
            file,
            "the file is empty; expected a JSON object: an org file or an authorization-details export",
        );
        return (None, b.problems.resolve(|_| None));
    }
    match detect(text) {
        InputKind::AuthorizationDetails => aws::authz::read_file(text, file, &mut b),
        _ => native::read(text, file, &mut b),
    }
    b.finish(|f| (f == file).then_some(text))
}

/// Whether a JSON text is a native file or an authorization-details export, from its
/// top-level keys.
pub fn detect(text: &str) -> InputKind {
    const AWS_KEYS: [&str; 4] = [
        "UserDetailList",
        "GroupDetailList",
        "RoleDetailList",
        "Policies",
    ];
    let keys = first_keys(text);
    if keys.iter().any(|k| AWS_KEYS.contains(&k.as_str())) {
        InputKind::AuthorizationDetails
    } else {
        InputKind::Native
    }
}

/// The keys of a top-level object, read without building anything; empty if the text
/// is not an object.
fn first_keys(text: &str) -> Vec<String> {
    use serde::de::IgnoredAny;
    // The first key almost always decides; only read them all when it does not.
    let t = text
        .trim_start()
        .strip_prefix('{')
        .unwrap_or("")
        .trim_start();
    if let Some(rest) = t.strip_prefix('"')
        && let Some(end) = rest.find('"')
    {
        let first = &rest[..end];
        let decisive = [
            "UserDetailList",
            "GroupDetailList",
            "RoleDetailList",
            "organization",
            "accounts",
            "$schema",
        ];
        if decisive.contains(&first) {
            return vec![first.to_string()];
        }
    }
    serde_json::from_str::<std::collections::BTreeMap<String, IgnoredAny>>(text)
        .map(|m| m.into_keys().collect())
        .unwrap_or_default()
}

/// The teaching organization built into the binary (sample-orgs/acme.json): what
/// `orgscope` with no argument opens.
pub fn load_builtin_acme() -> Org {
    let (org, report) = load_str("sample-orgs/acme.json", ACME);
    // INVARIANT: acme.json is loaded clean by the test suite (tests/org_samples.rs).
    org.unwrap_or_else(|| panic!("the built-in sample org has errors:\n{report}"))
}

/// The text of sample-orgs/acme.json.
pub const ACME: &str = include_str!("../../sample-orgs/acme.json");

#[cfg(test)]
mod partial_tests;
