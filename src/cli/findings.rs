//! `orgscope findings`: what an auditor should look at first, as a table, JSON or
//! SARIF 2.1.0; exit 1 when a finding at or above `--fail-on` remains.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{Context as _, bail};

use super::output::{print, print_json};
use super::query::load_org;
use crate::findings::{self, Finding, Options, Severity};
use crate::org::{AccountIx, Entity, NameLookup, Org, Parent};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FindingsFormat {
    Table,
    Json,
    Sarif,
}

#[derive(Debug, clap::Args)]
pub struct FindingsArgs {
    /// The organization: a native org file, an authorization-details JSON, an export
    /// directory, or `acme` for the built-in sample.
    pub org: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FindingsFormat::Table)]
    pub format: FindingsFormat,
    /// Only findings in this subtree: an OU or account, by id or name (`root`: all).
    #[arg(long, value_name = "NODE")]
    pub scope: Option<String>,
    /// Only findings at or above this severity: low, medium, high, critical.
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub min_severity: Option<Severity>,
    /// Exit status 1 when a finding at or above this severity remains.
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub fail_on: Option<Severity>,
    /// Known findings to leave out: a file of finding ids, one a line, or the JSON
    /// this command printed.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
}

fn parse_severity(text: &str) -> Result<Severity, String> {
    Severity::parse(text).ok_or_else(|| {
        format!("`{text}` is not a severity; expected low, medium, high or critical")
    })
}

pub fn run(args: FindingsArgs) -> anyhow::Result<i32> {
    let org = load_org(&args.org)?;
    let opts = Options {
        min_severity: args.min_severity,
        accounts: match &args.scope {
            Some(node) => scope_accounts(&org, node)?,
            None => None,
        },
        ..Options::default()
    };
    let mut all = findings::findings(&org, &opts);
    let mut suppressed = 0;
    if let Some(path) = &args.baseline {
        let known = baseline(path)?;
        let before = all.len();
        all.retain(|f| !known.contains(&f.id));
        suppressed = before - all.len();
    }
    match args.format {
        FindingsFormat::Json => {
            #[derive(serde::Serialize)]
            struct Out<'a> {
                findings: &'a [Finding],
                suppressed: usize,
            }
            print_json(
                &Out {
                    findings: &all,
                    suppressed,
                },
                &[],
            )?;
        }
        FindingsFormat::Sarif => {
            let log = findings::sarif::log(&all, &args.org.display().to_string());
            print(&(serde_json::to_string_pretty(&log)? + "\n"))?;
        }
        FindingsFormat::Table => print(&crate::cli::inert(&table(&all, suppressed)))?,
    }
    let failing = args
        .fail_on
        .is_some_and(|s| all.iter().any(|f| f.severity >= s));
    Ok(if failing { 1 } else { 0 })
}

fn table(all: &[Finding], suppressed: usize) -> String {
    let mut s = String::new();
    let count = |sev| all.iter().filter(|f| f.severity == sev).count();
    let _ = writeln!(
        s,
        "{} findings: {} critical, {} high, {} medium, {} low{}",
        all.len(),
        count(Severity::Critical),
        count(Severity::High),
        count(Severity::Medium),
        count(Severity::Low),
        if suppressed > 0 {
            format!(" ({suppressed} in the baseline left out)")
        } else {
            String::new()
        }
    );
    for f in all {
        let _ = writeln!(s, "\n{:<8} {}  {}", f.severity, f.rule, f.node);
        let _ = writeln!(s, "         {}", f.message);
        if let (Some(p), Some(st)) = (&f.policy, &f.statement) {
            let _ = writeln!(s, "         in {p}, statement {st}");
        }
        let _ = writeln!(s, "         why: {}", f.why);
        let _ = writeln!(s, "         fix: {}", f.fix);
    }
    s
}

/// The finding ids a baseline file lists: the `id` of every finding in JSON this
/// command printed, or one id a line.
fn baseline(path: &PathBuf) -> anyhow::Result<Vec<String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the baseline {}", path.display()))?;
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
        let list = v.get("findings").unwrap_or(&v);
        let Some(items) = list.as_array() else {
            bail!(
                "{}: expected the JSON of `orgscope findings --format json` or one id a line",
                path.display()
            );
        };
        return Ok(items
            .iter()
            .filter_map(|i| i.get("id").and_then(|x| x.as_str()).or(i.as_str()))
            .map(str::to_string)
            .collect());
    }
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect())
}

/// The accounts under an OU or account named by id or name; `None` for the root.
fn scope_accounts(org: &Org, node: &str) -> anyhow::Result<Option<Vec<AccountIx>>> {
    if node.eq_ignore_ascii_case("root") || node == &*org.root().id {
        return Ok(None);
    }
    if let Some(a) = org.account_by_id(node) {
        return Ok(Some(vec![a]));
    }
    if let Some(o) = org.ou_by_id(node) {
        return Ok(Some(under_ou(org, o)));
    }
    match org.by_name(node) {
        NameLookup::Unique(Entity::Account(a)) => Ok(Some(vec![a])),
        NameLookup::Unique(Entity::Ou(o)) => Ok(Some(under_ou(org, o))),
        _ => bail!("no OU or account `{node}` in the organization; give its id or a unique name"),
    }
}

fn under_ou(org: &Org, ou: crate::org::OuIx) -> Vec<AccountIx> {
    (0..org.accounts().len())
        .map(AccountIx::new)
        .filter(|&a| {
            matches!(org.account(a).parent, Parent::Ou(_)) && org.ancestors(a).contains(&ou)
        })
        .collect()
}
