//! `orgscope what-if`: who gains and who loses what under a scenario; and the org
//! as a scenario changes it, for the commands that take `--scenario`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::query::{Format, parse_context};
use crate::analysis::{self, Ask};
use crate::catalog::AccessLevel;
use crate::org::Org;
use crate::scenario::impact::{Impact, Standing};
use crate::scenario::{ImpactOptions, ScenarioFile};

/// The organization at `org`, changed by the scenario file when one is given. The
/// files are only read.
pub fn load_org_with(org: &Path, scenario: Option<&Path>) -> anyhow::Result<Org> {
    let loaded = super::query::load_org(org)?;
    match scenario {
        None => Ok(loaded),
        Some(path) => {
            let file = ScenarioFile::load(path).map_err(|e| anyhow::anyhow!("{e}"))?;
            file.apply(&loaded).map_err(|e| anyhow::anyhow!("{e}"))
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct WhatIfArgs {
    /// The organization: a native org file, an authorization-details JSON, an export
    /// directory, or `acme` for the built-in sample.
    pub org: PathBuf,
    /// The scenario: a JSON file of changes (docs/scenarios.md).
    #[arg(long, value_name = "FILE")]
    pub scenario: PathBuf,
    /// Only principals under this root, OU or account, or this principal (ARN or
    /// unique name); repeat for several. Default: the whole organization.
    #[arg(long, value_name = "NODE")]
    pub scope: Vec<String>,
    /// Actions or patterns to ask, comma-separated (`s3:PutObject,iam:*`). Default:
    /// every action a statement of a changed policy can match.
    #[arg(long, value_delimiter = ',', value_name = "ACTIONS")]
    pub actions: Option<Vec<String>>,
    /// Access levels to keep, comma-separated (list, read, write, permissions,
    /// tagging). Default: write and permissions management for the default actions.
    #[arg(long, value_delimiter = ',', value_name = "LEVELS")]
    pub level: Option<Vec<String>>,
    /// A context key and value given to every question, `aws:SourceIp=10.1.2.3`.
    #[arg(long = "context", short = 'c', value_name = "KEY=VALUE")]
    pub context: Vec<String>,
    /// Instead of the diff: the before and after explanation of one answer.
    #[arg(long, num_args = 3, value_names = ["PRINCIPAL", "ACTION", "RESOURCE"])]
    pub explain: Option<Vec<String>>,
    /// Also write the scenario, as orgscope reads it, to this new file (atomically;
    /// never over an input).
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Exit status: 0 when nobody's access changes, 3 when some does, 1 on an error.
pub fn what_if(args: WhatIfArgs) -> anyhow::Result<i32> {
    let before = super::query::load_org(&args.org)?;
    let file = ScenarioFile::load(&args.scenario).map_err(|e| anyhow::anyhow!("{e}"))?;
    let after = file.apply(&before).map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Some(path) = &args.save {
        crate::scenario::save(
            &file.scenario,
            path,
            &[args.org.as_path(), args.scenario.as_path()],
        )
        .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let context = parse_context(&args.context)?;
    if let Some(x) = &args.explain {
        return explain(&before, &after, &x[0], &x[1], &x[2], context, args.format);
    }
    let levels = args
        .level
        .as_ref()
        .map(|l| {
            l.iter()
                .map(|s| s.parse::<AccessLevel>())
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    let options = ImpactOptions {
        actions: args.actions.clone(),
        levels,
        scope: args.scope.clone(),
        context,
        full: false,
        progress: None,
    };
    let changes: Vec<String> = file
        .scenario
        .changes
        .iter()
        .map(|c| c.to_string())
        .collect();
    let impact = crate::scenario::impact(&before, &after, &changes, &options)?;
    // The default levels leave actions out: said, so that no diff reads as complete
    // when it is not (a bucket opened to everyone for s3:GetObject, a Read action).
    let notes: Vec<String> = if args.actions.is_none() && args.level.is_none() {
        let left = crate::scenario::left_out::left_out_by_level(&before, &after);
        crate::scenario::left_out::note(&left, "--level or --actions asks")
            .into_iter()
            .collect()
    } else {
        Vec::new()
    };
    match args.format {
        Format::Json => super::output::print_json(&impact, &notes)?,
        Format::Table => {
            let mut text = table(&impact);
            for n in &notes {
                let _ = writeln!(text, "\nnote: {n}");
            }
            super::output::print(&crate::cli::inert(&text))?
        }
    }
    Ok(if impact.is_empty() { 0 } else { 3 })
}

fn explain(
    before: &Org,
    after: &Org,
    who: &str,
    action: &str,
    resource: &str,
    context: Vec<(String, Vec<String>)>,
    format: Format,
) -> anyhow::Result<i32> {
    let ask = Ask {
        action: action.to_string(),
        resource: resource.to_string(),
        context,
        ..Ask::default()
    };
    let b = analysis::can(before, who, &ask);
    let a = analysis::can(after, who, &ask)?;
    match format {
        Format::Json => super::output::print_json(
            &serde_json::json!({
                "before": b.as_ref().ok(),
                "after": a,
            }),
            &[],
        )?,
        Format::Table => {
            let mut s = String::from("before:\n");
            match &b {
                Ok(b) => s.push_str(&super::query::can_table(before, b)),
                Err(e) => {
                    let _ = writeln!(s, "  {e}");
                }
            }
            s.push_str("\nafter:\n");
            s.push_str(&super::query::can_table(after, &a));
            super::output::print(&s)?;
        }
    }
    // As the diff: 3 when the answer changes (2 is a usage error for every command).
    let changed = b.map(|b| b.decision).ok() != Some(a.decision);
    Ok(if changed { 3 } else { 0 })
}

fn standing(s: Standing) -> &'static str {
    match s {
        Standing::Allowed => "allowed",
        Standing::Conditional => "conditional",
    }
}

fn when(w: &[analysis::who_can::Condition]) -> String {
    if w.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = w.iter().map(|c| c.to_string()).collect();
    format!(" (when {})", parts.join(", "))
}

/// The diff for people: `+` gained, `-` lost, `~` between allowed and conditional.
pub fn table(i: &Impact) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "scenario: {} change{}",
        i.changes.len(),
        if i.changes.len() == 1 { "" } else { "s" }
    );
    for c in &i.changes {
        let _ = writeln!(s, "  {c}");
    }
    let _ = writeln!(
        s,
        "asked: {} actions, {} questions of each org",
        i.actions.len(),
        i.questions
    );
    if i.is_empty() {
        let _ = writeln!(s, "\nno change: nobody gains or loses any of these actions");
        return s;
    }
    for a in &i.accounts {
        let _ = writeln!(s, "\n{} ({})", a.account_name, a.account);
        for p in &a.principals {
            let _ = writeln!(s, "  {}", p.principal);
            for x in &p.gained {
                let _ = writeln!(
                    s,
                    "    + {}  {}  {}{}",
                    x.action,
                    x.resource,
                    standing(x.standing),
                    when(&x.when)
                );
            }
            for x in &p.lost {
                let _ = writeln!(
                    s,
                    "    - {}  {}  was {}{}",
                    x.action,
                    x.resource,
                    standing(x.standing),
                    when(&x.when)
                );
            }
            for x in &p.changed {
                let _ = writeln!(
                    s,
                    "    ~ {}  {}  {} -> {}{}",
                    x.action,
                    x.resource,
                    standing(x.before),
                    standing(x.after),
                    when(&x.when)
                );
            }
        }
    }
    if !i.outside.is_empty() {
        let _ = writeln!(s, "\noutside the organization");
        for o in &i.outside {
            let mark = match o.change {
                "gained" => '+',
                "lost" => '-',
                _ => '~',
            };
            let _ = writeln!(
                s,
                "  {mark} {} {}  {}  {}  {} -> {}",
                o.kind,
                o.who,
                o.action,
                o.resource,
                o.before.unwrap_or("not named"),
                o.after.unwrap_or("not named")
            );
        }
    }
    let _ = writeln!(
        s,
        "\nexplain one line: orgscope what-if ORG --scenario FILE --explain PRINCIPAL ACTION RESOURCE"
    );
    s
}

/// `validate --scenario`: the scenario applies to the org, or its first change that
/// does not, located in the scenario file (exit status 1).
pub fn validate_scenario(org: &Path, scenario: &Path) -> anyhow::Result<i32> {
    let loaded = super::query::load_org(org)?;
    let file = match ScenarioFile::load(scenario) {
        Ok(f) => f,
        Err(e) => {
            println!("{}", crate::cli::inert(&e.to_string()));
            return Ok(1);
        }
    };
    match file.apply(&loaded) {
        Ok(_) => {
            let n = file.scenario.changes.len();
            println!(
                "{}: applies ({n} change{})",
                crate::cli::inert(&scenario.display().to_string()),
                if n == 1 { "" } else { "s" }
            );
            Ok(0)
        }
        Err(e) => {
            println!("{}", crate::cli::inert(&e.to_string()));
            Ok(1)
        }
    }
}

// ---- check ---------------------------------------------------------------------------

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The organization: a native org file, an authorization-details JSON, an export
    /// directory, or `acme` for the built-in sample.
    pub org: PathBuf,
    /// The expectations: one a line, or the JSON form (docs/scenarios.md).
    #[arg(long, value_name = "FILE")]
    pub expect: PathBuf,
    /// Check them on the organization as this scenario file changes it.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Exit status: 0 when every expectation holds, 1 when one fails (or the input
/// cannot be read).
pub fn check(args: CheckArgs) -> anyhow::Result<i32> {
    use crate::scenario::expect;
    let org = load_org_with(&args.org, args.scenario.as_deref())?;
    let text = super::read_input(&args.expect)?;
    let expectations = expect::parse(&args.expect.display().to_string(), &text)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let unknown = expect::unknown_names(&org, &expectations);
    if !unknown.is_empty() {
        anyhow::bail!("{}: {}", args.expect.display(), unknown.join("; "));
    }
    let outcomes = expect::check(&org, &expectations)?;
    let failed = outcomes.iter().filter(|o| !o.holds).count();
    match args.format {
        Format::Json => super::output::print_json(
            &serde_json::json!({
                "holds": failed == 0,
                "failed": failed,
                "outcomes": outcomes,
            }),
            &[],
        )?,
        Format::Table => {
            let mut s = String::new();
            for o in &outcomes {
                let _ = writeln!(
                    s,
                    "{}  {}",
                    if o.holds { "ok  " } else { "FAIL" },
                    o.expectation
                );
                for b in &o.breaking {
                    let _ = writeln!(s, "        {} ({})", b.principal, b.standing);
                    for w in &b.why {
                        let _ = writeln!(s, "            {w}");
                    }
                }
            }
            let _ = writeln!(
                s,
                "\n{} expectation{}, {failed} failed",
                outcomes.len(),
                if outcomes.len() == 1 { "" } else { "s" }
            );
            super::output::print(&crate::cli::inert(&s))?;
        }
    }
    Ok(if failed == 0 { 0 } else { 1 })
}

/// What the terminal UI starts with: the scenario applied (its mistakes told here,
/// located in its file, before the UI opens) and the expectations read.
pub fn tui_start(
    org: &Org,
    input: Option<&Path>,
    scenario: Option<&Path>,
    expect: Option<&Path>,
) -> anyhow::Result<crate::tui::WhatIfStart> {
    let mut start = crate::tui::WhatIfStart {
        inputs: input.map(Path::to_path_buf).into_iter().collect(),
        ..Default::default()
    };
    if let Some(path) = scenario {
        let file = ScenarioFile::load(path).map_err(|e| anyhow::anyhow!("{e}"))?;
        let changed = file.apply(org).map_err(|e| anyhow::anyhow!("{e}"))?;
        start.inputs.push(path.to_path_buf());
        start.scenario = Some((file.scenario, std::sync::Arc::new(changed)));
    }
    if let Some(path) = expect {
        let text = super::read_input(path)?;
        let list = crate::scenario::expect::parse(&path.display().to_string(), &text)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        start.inputs.push(path.to_path_buf());
        start.expectations = Some((path.to_path_buf(), list));
    }
    Ok(start)
}
