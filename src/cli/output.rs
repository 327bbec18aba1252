//! Where the commands' output goes: standard output, JSON with the notes on the
//! question, or a file written atomically.

use std::io::Write as _;
use std::path::Path;

use anyhow::Context as _;

use crate::atomic_write::{self, Written};

/// Prints `answer` as pretty JSON with a top-level `notes` list, always a list: what
/// may be wrong with the question (a misspelt action, a resource the action does not
/// act on). The answer must serialize as an object.
pub fn print_json<T: serde::Serialize>(answer: &T, notes: &[String]) -> anyhow::Result<()> {
    #[derive(serde::Serialize)]
    struct Noted<'a, T> {
        #[serde(flatten)]
        answer: &'a T,
        notes: &'a [String],
    }
    let mut out = serde_json::to_string_pretty(&Noted { answer, notes })?;
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
