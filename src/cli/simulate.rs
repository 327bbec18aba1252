//! `orgscope simulate FILE|-`: one JSON line per case.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context as _;

use crate::analysis::question_notes;
use crate::catalog::{ActionError, check_action};
use crate::engine;
use crate::simulate::{self, Case, OutputLine};

/// How the cases' results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LinesFormat {
    /// One JSON object per line, per case.
    Jsonl,
    /// One pretty-printed JSON array of the same objects.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The input: a case, an array of cases, {"defaults", "cases"}, or `-` for stdin.
    pub input: PathBuf,
    /// Read one case per line.
    #[arg(long)]
    pub jsonl: bool,
    /// Add each decision's explanation: every layer and the statements that matched.
    #[arg(long)]
    pub explain: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LinesFormat::Jsonl)]
    pub format: LinesFormat,
    /// A case whose action the AWS catalog does not know is an `error` (naming the
    /// nearest actions) instead of a decision with a note.
    #[arg(long)]
    pub strict: bool,
    /// Evaluate the whole input N times, print nothing per case, and print the
    /// decisions per second on stderr.
    #[arg(long, value_name = "N")]
    pub repeat: Option<u64>,
}

/// Exit status: 0 when every case was evaluated, 2 when some case had an error.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let text = super::read_input(&args.input)?;
    let cases = simulate::read_cases(&text, args.jsonl)
        .with_context(|| format!("cannot read {}", args.input.display()))?;
    if let Some(n) = args.repeat {
        return repeat(&cases, n, args.strict);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = false;
    if args.format == LinesFormat::Json {
        out.write_all(b"[")?;
    }
    for (i, case) in cases.iter().enumerate() {
        let refused = refused(case, args.strict);
        let line = match (&refused, &case.prepared) {
            (Some(why), _) => OutputLine::error(&case.id, why),
            (None, Ok(p)) => {
                let line = simulate::evaluate(case, args.explain);
                let mut notes = question_notes(
                    p.request.action(),
                    // A pattern's fit is what its answer is about.
                    if p.pattern
                        && crate::analysis::pattern::is_pattern(
                            p.request.action(),
                            p.request.resource(),
                        )
                    {
                        "*"
                    } else {
                        p.request.resource()
                    },
                );
                notes.extend(line.notes.iter().flatten().cloned());
                OutputLine {
                    notes: Some(notes),
                    ..line
                }
            }
            (None, Err(_)) => simulate::evaluate(case, args.explain),
        };
        failed |= line.error.is_some();
        match args.format {
            LinesFormat::Jsonl => {
                serde_json::to_writer(&mut out, &line)?;
                out.write_all(b"\n")?;
            }
            LinesFormat::Json => {
                out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
                let pretty = serde_json::to_string_pretty(&line)?;
                // Each object indented one level inside the array.
                out.write_all(b"  ")?;
                out.write_all(pretty.replace('\n', "\n  ").as_bytes())?;
            }
        }
    }
    if args.format == LinesFormat::Json {
        out.write_all(if cases.is_empty() { b"]\n" } else { b"\n]\n" })?;
    }
    out.flush()?;
    Ok(if failed { 2 } else { 0 })
}

/// Why `--strict` refuses a case: its action is not in the catalog.
fn refused(case: &Case, strict: bool) -> Option<String> {
    let p = case.prepared.as_ref().ok().filter(|_| strict)?;
    match check_action(p.request.action()) {
        Err(e @ ActionError::Unknown { .. }) => Some(format!("{e} (--strict)")),
        _ => None,
    }
}

/// Evaluates every case `n` times on one thread, the policies compiled once. Cases
/// that are errors (or refused by `--strict`) are counted and skipped: status 2.
fn repeat(cases: &[Case], n: u64, strict: bool) -> anyhow::Result<i32> {
    let ready: Vec<_> = cases
        .iter()
        .filter(|c| refused(c, strict).is_none())
        .filter_map(|c| c.prepared.as_ref().ok())
        .collect();
    let skipped = cases.len() - ready.len();
    let sets: Vec<_> = ready.iter().map(|c| (&c.request, c.policy_set())).collect();
    let start = Instant::now();
    let mut allowed = 0u64;
    for _ in 0..n {
        for (req, set) in &sets {
            allowed += (engine::evaluate(req, set) == engine::Decision::Allowed) as u64;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let total = n * sets.len() as u64;
    eprintln!(
        "{total} decisions ({allowed} allowed) in {secs:.3} s: {:.0} decisions/s on one thread",
        total as f64 / secs.max(1e-9)
    );
    if skipped > 0 {
        eprintln!(
            "orgscope: {skipped} of {} cases are errors and were not evaluated (run without --repeat to see them)",
            cases.len()
        );
        return Ok(2);
    }
    Ok(0)
}
