//! Checking an organization input without keeping it: every problem, located.

use std::path::Path;

use super::report::{Finding, Report, Severity};

/// Loads `path` (native file, authorization-details file or export directory) and
/// reports every problem found: JSON syntax (line:column), wrong types (JSON path),
/// dangling references, duplicate or malformed ids, names and ARNs, an account in two
/// places, OU cycles, invalid policies, and, as warnings, AWS quota breaches.
///
/// `orgscope validate ORG` prints the report (its `Display` writes one finding per
/// line, `file:line:column: error: message (at json.path)`) and exits with status 1
/// when [`Report::has_errors`], else 0.
pub fn validate(path: &Path) -> Report {
    match super::load_with_report(path) {
        Ok((org, report)) => {
            // Freeing a large organization takes a good part of the time it took to
            // build: let another thread do it (a process about to exit skips it).
            if let Some(org) = org {
                std::thread::spawn(move || drop(org));
            }
            report
        }
        Err(e) => Report {
            findings: vec![Finding {
                severity: Severity::Error,
                file: path.to_path_buf(),
                json_path: String::new(),
                line: 0,
                column: 0,
                message: e.to_string(),
            }],
        },
    }
}

/// [`validate`] for text in memory, reported under the file name `name`.
pub fn validate_str(name: impl AsRef<Path>, text: &str) -> Report {
    super::load_str(name, text).1
}
