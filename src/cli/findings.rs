//! `orgscope findings`: what an auditor should look at first, as a table, JSON or
//! SARIF 2.1.0; exit 1 when a finding at or above `--fail-on` remains. With
//! `--scenario`, the findings of the org as a scenario changes it; with `--compare`
//! too, which findings the scenario adds, removes or changes ("does my fix remove
//! the finding?").

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use super::output::{print, print_json};
use super::query::load_org;
use crate::findings::compare::Diff;
use crate::findings::{self, Finding, Options, Severity};
use crate::org::{AccountIx, Entity, NameLookup, Org, Parent};
use crate::scenario::ScenarioFile;

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
    /// The findings of the organization as this scenario file changes it
    /// (docs/scenarios.md).
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// With `--scenario`: which findings the scenario adds, removes or changes, against
    /// the organization as it is. `--fail-on` then counts only what it adds (a finding
    /// new, or one whose severity rises).
    #[arg(long, requires = "scenario")]
    pub compare: bool,
    /// The time credential ages are counted to (RFC 3339, `2026-06-30T00:00:00Z`);
    /// now by default. Fixes the identity findings for a dump taken earlier, or in CI.
    #[arg(long, value_name = "TIME", value_parser = parse_now)]
    pub now: Option<jiff::Timestamp>,
}

fn parse_now(text: &str) -> Result<jiff::Timestamp, String> {
    text.parse().map_err(|e| {
        format!("`{text}` is not a time ({e}); expected RFC 3339, such as 2026-06-30T00:00:00Z")
    })
}

fn parse_severity(text: &str) -> Result<Severity, String> {
    Severity::parse(text).ok_or_else(|| {
        format!("`{text}` is not a severity; expected low, medium, high or critical")
    })
}

pub fn run(args: FindingsArgs) -> anyhow::Result<i32> {
    let org = load_org(&args.org)?;
    let changed = match &args.scenario {
        Some(path) => {
            let file = ScenarioFile::load(path).map_err(|e| anyhow::anyhow!("{e}"))?;
            Some(file.apply(&org).map_err(|e| anyhow::anyhow!("{e}"))?)
        }
        None => None,
    };
    let known = args.baseline.as_ref().map(baseline).transpose()?;
    let (all, suppressed) = listed(changed.as_ref().unwrap_or(&org), &args, known.as_deref())?;
    if let (true, Some(path)) = (args.compare, &args.scenario) {
        let (before, _) = listed(&org, &args, known.as_deref())?;
        return compare(&args, path, &before, &all, suppressed);
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
        FindingsFormat::Table => {
            let mut text = String::new();
            if let Some(path) = &args.scenario {
                let _ = writeln!(text, "(the organization as {} changes it)", path.display());
            }
            text.push_str(&table(&all, suppressed));
            print(&crate::cli::inert(&text))?;
        }
    }
    let failing = args
        .fail_on
        .is_some_and(|s| all.iter().any(|f| f.severity >= s));
    Ok(if failing { 1 } else { 0 })
}

/// The findings of `org` the options keep, and how many the baseline left out.
fn listed(
    org: &Org,
    args: &FindingsArgs,
    known: Option<&[String]>,
) -> anyhow::Result<(Vec<Finding>, usize)> {
    let opts = Options {
        min_severity: args.min_severity,
        accounts: match &args.scope {
            Some(node) => scope_accounts(org, node)?,
            None => None,
        },
        now: args.now,
        ..Options::default()
    };
    let mut all = findings::findings(org, &opts);
    let before = all.len();
    if let Some(known) = known {
        all.retain(|f| !known.contains(&f.id));
    }
    let suppressed = before - all.len();
    Ok((all, suppressed))
}

/// `--compare`: the findings a scenario adds, removes and changes.
fn compare(
    args: &FindingsArgs,
    scenario: &Path,
    before: &[Finding],
    after: &[Finding],
    suppressed: usize,
) -> anyhow::Result<i32> {
    let d = Diff::new(before, after);
    match args.format {
        FindingsFormat::Json => {
            #[derive(serde::Serialize)]
            #[serde(rename_all = "camelCase")]
            struct Changed<'a> {
                #[serde(flatten)]
                after: &'a Finding,
                severity_before: Severity,
                message_before: &'a str,
            }
            #[derive(serde::Serialize)]
            struct Out<'a> {
                findings: &'a [Finding],
                added: &'a [&'a Finding],
                removed: &'a [&'a Finding],
                changed: Vec<Changed<'a>>,
                unchanged: usize,
                suppressed: usize,
            }
            let changed = d
                .changed
                .iter()
                .map(|(b, a)| Changed {
                    after: a,
                    severity_before: b.severity,
                    message_before: &b.message,
                })
                .collect();
            print_json(
                &Out {
                    findings: after,
                    added: &d.added,
                    removed: &d.removed,
                    changed,
                    unchanged: d.unchanged,
                    suppressed,
                },
                &[],
            )?;
        }
        FindingsFormat::Sarif => {
            // SARIF's own way to say it: each result's `baselineState`, the removed
            // ones as `absent`.
            let mut listed: Vec<Finding> = after.to_vec();
            listed.extend(d.removed.iter().map(|f| (*f).clone()));
            let mut log = findings::sarif::log(&listed, &args.org.display().to_string());
            let added: HashSet<&str> = d.added.iter().map(|f| f.id.as_str()).collect();
            let changed: HashSet<&str> = d.changed.iter().map(|(_, a)| a.id.as_str()).collect();
            let state = |i: usize, f: &Finding| {
                if i >= after.len() {
                    "absent"
                } else if added.contains(f.id.as_str()) {
                    "new"
                } else if changed.contains(f.id.as_str()) {
                    "updated"
                } else {
                    "unchanged"
                }
            };
            if let Some(results) = log["runs"][0]["results"].as_array_mut() {
                for (i, (r, f)) in results.iter_mut().zip(&listed).enumerate() {
                    r["baselineState"] = state(i, f).into();
                }
            }
            print(&(serde_json::to_string_pretty(&log)? + "\n"))?;
        }
        FindingsFormat::Table => {
            print(&crate::cli::inert(&compare_table(scenario, &d, suppressed)))?;
        }
    }
    Ok(match args.fail_on {
        Some(s) if d.adds_at(s) => 1,
        _ => 0,
    })
}

fn compare_table(scenario: &Path, d: &Diff<'_>, suppressed: usize) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: removes {}, adds {}, changes {}; {} unchanged{}",
        scenario.display(),
        count(d.removed.len()),
        count(d.added.len()),
        count(d.changed.len()),
        d.unchanged,
        if suppressed > 0 {
            format!(" ({suppressed} in the baseline left out)")
        } else {
            String::new()
        }
    );
    let sections: [(&str, Vec<&Finding>); 3] = [
        ("removed", d.removed.clone()),
        ("added", d.added.clone()),
        ("changed", d.changed.iter().map(|(_, a)| *a).collect()),
    ];
    for (title, list) in sections {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(s, "\n{title}:");
        for f in list {
            finding_rows(&mut s, f);
            if let Some((b, _)) = d.changed.iter().find(|(_, a)| a.id == f.id) {
                let _ = writeln!(s, "         before: {} {}", b.severity, b.message);
            }
        }
    }
    s
}

/// `1 finding`, `2 findings`.
fn count(n: usize) -> String {
    format!("{n} finding{}", if n == 1 { "" } else { "s" })
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
        finding_rows(&mut s, f);
    }
    s
}

/// One finding of the table: what, where, why and the fix.
fn finding_rows(s: &mut String, f: &Finding) {
    let _ = writeln!(s, "\n{:<8} {}  {}", f.severity, f.rule, f.node);
    if let Some(g) = f.grade {
        let _ = writeln!(s, "         grade: {g} (IAM Access Analyzer)");
    }
    let _ = writeln!(s, "         {}", f.message);
    match (&f.policy, &f.statement) {
        (Some(p), Some(st)) => {
            // A Sid an earlier statement has too: its place tells which.
            let place = match f.statement_index {
                Some(k) if f.id.contains(&format!(":{st}#{k}")) => format!(" (Statement[{k}])"),
                _ => String::new(),
            };
            let _ = writeln!(s, "         in {p}, statement {st}{place}");
        }
        (Some(p), None) => {
            let _ = writeln!(s, "         in {p}");
        }
        _ => {}
    }
    if let Some(at) = &f.location {
        let _ = writeln!(s, "         at {at}");
    }
    let _ = writeln!(s, "         why: {}", f.why);
    let _ = writeln!(s, "         fix: {}", f.fix);
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
