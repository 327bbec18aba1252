//! Why a scenario cannot be read or applied.

use std::fmt;
use std::path::PathBuf;

use crate::policy::PolicyError;

/// A mistake at a place in a scenario file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub file: Option<String>,
    /// 1-based line and column.
    pub position: Option<(usize, usize)>,
    /// `changes[2].target`; empty for the whole file.
    pub path: String,
    pub message: String,
}

/// `scenario.json:12:7: at changes[2].target: ...`
impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}:")?;
            if let Some((l, c)) = self.position {
                write!(f, "{l}:{c}:")?;
            }
            f.write_str(" ")?;
        } else if let Some((l, c)) = self.position {
            write!(f, "line {l} column {c}, ")?;
        }
        if !self.path.is_empty() {
            write!(f, "at {}: ", self.path)?;
        }
        f.write_str(&self.message)
    }
}

/// A change that does not apply to the organization as the scenario has left it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    #[error("{}", describe(*index, op, *field, message, policy.as_deref()))]
    Change {
        /// The change's 0-based place in the scenario.
        index: usize,
        op: &'static str,
        /// The field at fault (`target`, `document`).
        field: Option<&'static str>,
        message: String,
        /// For a document that does not parse: where in it, and what.
        policy: Option<Box<PolicyError>>,
    },
    /// Every change applied, yet the organization they make does not load (a rule of
    /// the org file the changes could not check one by one).
    #[error("the organization as the scenario changes it has errors:\n{0}")]
    Rebuild(String),
}

fn describe(
    index: usize,
    op: &str,
    field: Option<&str>,
    message: &str,
    policy: Option<&PolicyError>,
) -> String {
    let at = match field {
        Some(f) => format!("changes[{index}].{f}"),
        None => format!("changes[{index}]"),
    };
    match policy {
        Some(pe) => format!("at {at}: {op}: {pe}"),
        None => format!("at {at}: {op}: {message}"),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("cannot read `{}`: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(Located),
    #[error(transparent)]
    Apply(ApplyError),
}
