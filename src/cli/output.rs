//! Where the commands' output goes: standard output, JSON with the notes on the
//! question, or a file written atomically.

use std::io::Write as _;
use std::path::Path;

use anyhow::Context as _;

use crate::atomic_write::{self, Written};

/// Prints `value` as pretty JSON with a top-level `notes` list: what may be wrong with
/// the question (a misspelt action, a resource the action does not act on), always a
/// list. An answer that is not an object is printed as it is.
pub fn print_json<T: serde::Serialize>(value: &T, notes: &[String]) -> anyhow::Result<()> {
    let mut value = serde_json::to_value(value)?;
    if let serde_json::Value::Object(map) = &mut value {
        let list = map
            .entry("notes")
            .or_insert_with(|| serde_json::Value::Array(Vec::new()));
        if let serde_json::Value::Array(list) = list {
            list.extend(notes.iter().cloned().map(serde_json::Value::String));
        }
    }
    let mut out = serde_json::to_string_pretty(&value)?;
    out.push('\n');
    print(&out)
}

pub fn print(text: &str) -> anyhow::Result<()> {
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(())
}

/// `-o FILE`: the file, written atomically and never over one of `inputs`; no `-o`,
/// or `-o -`: standard output. Replacing an existing file is said on standard error.
pub fn write_output(output: Option<&Path>, bytes: &[u8], inputs: &[&Path]) -> anyhow::Result<()> {
    match output {
        None => write_stdout(bytes),
        Some(p) if p.as_os_str() == "-" => write_stdout(bytes),
        Some(path) => {
            let written = atomic_write::write(path, bytes, inputs)?;
            if written == Written::Replaced {
                eprintln!(
                    "orgscope: replaced the existing `{}`",
                    crate::text::inert(&path.display().to_string())
                );
            }
            Ok(())
        }
    }
}

fn write_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .context("cannot write to standard output")
}
