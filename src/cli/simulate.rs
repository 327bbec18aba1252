//! `orgscope simulate FILE|-`: one JSON line per case.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context as _;

use crate::engine;
use crate::simulate;

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
        return repeat(&cases, n);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = false;
    for case in &cases {
        let line = simulate::evaluate(case, args.explain);
        failed |= line.error.is_some();
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(if failed { 2 } else { 0 })
}

/// Evaluates every case `n` times on one thread, the policies compiled once.
fn repeat(cases: &[simulate::Case], n: u64) -> anyhow::Result<i32> {
    let ready: Vec<_> = cases
        .iter()
        .filter_map(|c| c.prepared.as_ref().ok())
        .collect();
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
    Ok(0)
}
