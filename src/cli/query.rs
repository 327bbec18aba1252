//! The four questions on the command line: `can`, `who-can`, `what-can`, `paths`.
//! Each prints a table for people or JSON for scripts, and its exit status says
//! the answer.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;

use crate::analysis::{self, Ask};
use crate::catalog::AccessLevel;
use crate::engine::{Decision, Layer};
use crate::org::Org;

use super::output::{print, print_json};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct OrgArg {
    /// The organization: a native org file, an authorization-details JSON, an export
    /// directory, or `acme` for the built-in sample.
    pub org: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Ask of the organization as this scenario file changes it (docs/scenarios.md).
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct RequestArgs {
    /// The action, `service:Action`.
    #[arg(long, short)]
    pub action: String,
    /// The resource ARN, or `*`.
    #[arg(long, short)]
    pub resource: String,
    /// The resource's account, where neither the org nor the ARN says (S3): a 12-digit
    /// id, or the name of one of the org's accounts.
    #[arg(long, value_name = "ID|NAME")]
    pub resource_account: Option<String>,
    /// A context key and value, `aws:SourceIp=10.1.2.3`; repeat a key for several values.
    #[arg(long = "context", short = 'c', value_name = "KEY=VALUE")]
    pub context: Vec<String>,
    /// Refuse an action the AWS catalog does not know (exit status 1, naming the
    /// nearest ones) instead of answering with a note.
    #[arg(long)]
    pub strict: bool,
}

impl RequestArgs {
    /// The question as the analysis takes it, and the notes on it (printed on standard
    /// error, and in the JSON's `notes`). An action that is not `service:Action` is
    /// refused, and so, with `--strict`, is one the catalog does not know; both name
    /// the nearest actions of the catalog.
    fn ask(&self, org: &Org) -> anyhow::Result<(Ask, Vec<String>)> {
        match crate::catalog::check_action(&self.action) {
            Err(e @ crate::catalog::ActionError::Malformed { .. }) => return Err(e.into()),
            Err(e) if self.strict => return Err(anyhow::anyhow!("{e} (--strict)")),
            _ => {}
        }
        let resource_account = self
            .resource_account
            .as_deref()
            .map(|text| crate::org::resource_account_id(org, text))
            .transpose()?;
        let ask = Ask {
            action: self.action.clone(),
            resource: self.resource.clone(),
            resource_account,
            context: parse_context(&self.context)?,
            session_policy: None,
            session_name: None,
            caller_policies: Vec::new(),
        };
        // Once the question can be asked: a refused one says only why.
        // A pattern is not one resource: whether it fits the action is what its
        // answer is about (a pattern that covers none of its resources is refused).
        let resource = if analysis::pattern::is_pattern(&self.action, &self.resource) {
            "*"
        } else {
            self.resource.as_str()
        };
        let notes = analysis::question_notes(&self.action, resource);
        for note in &notes {
            eprintln!("orgscope: note: {}", crate::text::inert(note));
        }
        Ok((ask, notes))
    }
}

pub fn parse_context(pairs: &[String]) -> anyhow::Result<Vec<(String, Vec<String>)>> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for pair in pairs {
        let (k, v) = pair.split_once('=').with_context(|| {
            format!("`--context {pair}`: expected KEY=VALUE, e.g. aws:SourceIp=10.1.2.3")
        })?;
        match out.iter_mut().find(|(key, _)| key.eq_ignore_ascii_case(k)) {
            Some((_, values)) => values.push(v.to_string()),
            None => out.push((k.to_string(), vec![v.to_string()])),
        }
    }
    Ok(out)
}

pub fn load_org(path: &std::path::Path) -> anyhow::Result<Org> {
    if super::is_builtin_acme(path) {
        return Ok(crate::org::load_builtin_acme());
    }
    crate::org::load(path).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Exit statuses scripts can test: 0 allowed, 3 implicitly denied, 4 explicitly denied.
pub fn decision_status(d: Decision) -> i32 {
    match d {
        Decision::Allowed => 0,
        Decision::ImplicitlyDenied => 3,
        Decision::ExplicitlyDenied => 4,
    }
}

// ---- can -----------------------------------------------------------------------

#[derive(Debug, clap::Args)]
pub struct CanArgs {
    #[command(flatten)]
    pub org: OrgArg,
    /// The principal: a user or role ARN, a role-session ARN, or a unique name; or a
    /// caller the org does not hold: a principal ARN of another account, an AWS
    /// service principal (`lambda.amazonaws.com`), or `anonymous`.
    #[arg(long, short)]
    pub principal: String,
    #[command(flatten)]
    pub request: RequestArgs,
    /// A session policy (JSON file) passed when the role was assumed.
    #[arg(long, value_name = "FILE")]
    pub session_policy: Option<PathBuf>,
    /// An identity policy (JSON file) of a principal outside the organization; repeat
    /// for several. Without one, the outside account's own side is assumed to allow.
    #[arg(long, value_name = "FILE")]
    pub identity_policy: Vec<PathBuf>,
}

/// A policy file given on the command line, with its errors located in the file.
fn read_policy_file(
    path: &std::path::Path,
    kind: crate::policy::PolicyKind,
) -> anyhow::Result<std::sync::Arc<crate::policy::Policy>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let policy = crate::policy::Policy::parse(kind, &name, &text)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    Ok(std::sync::Arc::new(policy))
}

pub fn can(args: CanArgs) -> anyhow::Result<i32> {
    let org = super::what_if::load_org_with(&args.org.org, args.org.scenario.as_deref())?;
    let (mut ask, notes) = args.request.ask(&org)?;
    if let Some(path) = &args.session_policy {
        let text = crate::text_file::read(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let policy = crate::policy::Policy::parse(
            crate::policy::PolicyKind::Session,
            "session policy",
            &text,
        )
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        ask.session_policy = Some(std::sync::Arc::new(policy));
    }
    for path in &args.identity_policy {
        ask.caller_policies
            .push(read_policy_file(path, crate::policy::PolicyKind::Identity)?);
    }
    if analysis::pattern::is_pattern(&ask.action, &ask.resource) {
        let answer = analysis::pattern::can_pattern(&org, &args.principal, &ask)?;
        match args.org.format {
            Format::Json => print_json(&answer, &notes)?,
            Format::Table => print(&pattern_table(&answer))?,
        }
        return Ok(pattern_status(&answer));
    }
    let answer = analysis::can(&org, &args.principal, &ask)?;
    match args.org.format {
        Format::Json => print_json(&answer, &notes)?,
        Format::Table => print(&can_table(&org, &answer))?,
    }
    Ok(decision_status(answer.decision))
}

/// Exit statuses for a pattern: 0 allowed on every resource it covers, 5 on some, and
/// on none the status of the denial (4 when every class is explicitly denied, else 3).
pub fn pattern_status(a: &analysis::pattern::PatternAnswer) -> i32 {
    use analysis::pattern::Outcome;
    match a.outcome {
        Outcome::AllowedOnEvery => 0,
        Outcome::AllowedOnSome => 5,
        Outcome::AllowedOnNone
            if a.classes
                .iter()
                .all(|c| c.decision == Decision::ExplicitlyDenied) =>
        {
            4
        }
        Outcome::AllowedOnNone => 3,
    }
}

/// At most this many classes are listed in the table.
const MAX_PATTERN_ROWS: usize = 40;

pub fn pattern_table(a: &analysis::pattern::PatternAnswer) -> String {
    use analysis::pattern::Outcome;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}  {}  {}  {}",
        a.outcome, a.principal, a.action, a.resource
    );
    let _ = writeln!(
        s,
        "{}",
        match a.outcome {
            Outcome::AllowedOnEvery => "Allowed on every resource the pattern covers.",
            Outcome::AllowedOnSome =>
                "Allowed on some of the resources the pattern covers, not all.",
            Outcome::AllowedOnNone => "Allowed on none of the resources the pattern covers.",
        }
    );
    for (label, example) in [
        ("allowed", &a.allowed_example),
        ("denied", &a.denied_example),
    ] {
        if let Some(e) = example {
            let summary = e.summary.as_deref().unwrap_or_default();
            let _ = writeln!(s, "{label} on {}: {summary}", e.resource);
        }
    }
    let _ = writeln!(
        s,
        "\nclasses of resources the policies treat alike ({}), one resource each:",
        a.classes.len()
    );
    // A large org has thousands: the first ones, the JSON lists every one.
    for c in a.classes.iter().take(MAX_PATTERN_ROWS) {
        let alike = match c.alike {
            1 => String::new(),
            n => format!(" and {} more alike", n - 1),
        };
        let _ = writeln!(
            s,
            "  {:<17} {}{}{alike}",
            c.decision.to_string(),
            c.resource,
            if c.held { "  (held)" } else { "" }
        );
    }
    if a.classes.len() > MAX_PATTERN_ROWS {
        let _ = writeln!(
            s,
            "  ... {} more classes (--format json lists every one)",
            a.classes.len() - MAX_PATTERN_ROWS
        );
    }
    for assumed in &a.assumptions {
        let _ = writeln!(s, "note: {assumed}");
    }
    crate::cli::inert(&s)
}

/// A layer's name as a person reads it: SCP levels by the node they are attached to.
fn layer_label(org: &Org, principal: &str, resource_account: Option<&str>, layer: Layer) -> String {
    let principal_account = match analysis::subject(org, principal) {
        Ok(analysis::Subject::Principal(p)) => Some(org.principal_account(p)),
        Ok(analysis::Subject::Root(a)) => Some(a),
        Err(_) => None,
    };
    let resource_account = resource_account.and_then(|id| org.account_by_id(id));
    analysis::layer_label(org, principal_account, resource_account, layer)
}

pub fn can_table(org: &Org, a: &analysis::CanAnswer) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}  {}  {}  {}",
        a.decision, a.principal, a.action, a.resource
    );
    if let Some(acct) = &a.resource_account {
        let _ = writeln!(
            s,
            "resource account {acct}{}",
            if a.resource_account_assumed {
                " (assumed: the ARN names none; use --resource-account)"
            } else {
                ""
            }
        );
    }
    let _ = writeln!(s, "{}", a.summary);
    if let Some(layer) = a.explanation.blocked_by {
        let _ = writeln!(
            s,
            "blocked by {}",
            layer_label(org, &a.principal, a.resource_account.as_deref(), layer)
        );
    }
    let _ = writeln!(s);
    for l in &a.explanation.layers {
        let label = layer_label(org, &a.principal, a.resource_account.as_deref(), l.layer);
        let stmts: Vec<String> = l
            .statements
            .iter()
            .map(|m| format!("{} {} ({})", m.effect, m.statement, m.policy))
            .collect();
        let _ = write!(s, "  {label:<34} {:<10}", l.outcome.word());
        if !stmts.is_empty() {
            let _ = write!(s, " {}", stmts.join("; "));
        }
        if let Some(note) = &l.note {
            let _ = write!(s, "  [{note}]");
        }
        let _ = writeln!(s);
        for k in &l.skipped {
            let m = &k.statement;
            let _ = writeln!(
                s,
                "  {:<34} skipped    {} {} ({}): {}",
                "", m.effect, m.statement, m.policy, k.why
            );
        }
    }
    for n in &a.explanation.notes {
        let _ = writeln!(s, "note: {n}");
    }
    let deps: Vec<_> = a.depends_on.iter().filter(|d| d.matters).collect();
    if !deps.is_empty() {
        let _ = writeln!(s, "\nthis depends on context not given:");
        for d in deps {
            let values: Vec<String> = d
                .outcomes
                .iter()
                .map(|o| {
                    format!(
                        "{} -> {}",
                        o.value.as_deref().unwrap_or("(absent)"),
                        o.decision
                    )
                })
                .collect();
            let _ = writeln!(s, "  {}: {}", d.key, values.join(", "));
        }
    }
    let together: Vec<_> = a.changes.iter().filter(|c| c.when.len() > 1).collect();
    if !together.is_empty() {
        let _ = writeln!(s, "\nkeys that change the answer only together:");
        for c in together {
            let when: Vec<String> = c.when.iter().map(ToString::to_string).collect();
            let _ = writeln!(s, "  {} -> {}", when.join(", "), c.decision);
        }
    }
    crate::cli::inert(&s)
}

// ---- who-can -------------------------------------------------------------------

#[derive(Debug, clap::Args)]
pub struct WhoCanArgs {
    #[command(flatten)]
    pub org: OrgArg,
    #[command(flatten)]
    pub request: RequestArgs,
}

pub fn who_can(args: WhoCanArgs) -> anyhow::Result<i32> {
    let org = super::what_if::load_org_with(&args.org.org, args.org.scenario.as_deref())?;
    let (ask, notes) = args.request.ask(&org)?;
    let answer = analysis::who_can_covering(&org, &ask, analysis::Watch::NONE)?;
    match args.org.format {
        Format::Json => print_json(&answer, &notes)?,
        Format::Table => {
            let mut s = String::new();
            let _ = writeln!(s, "who can {} on {}", answer.action, answer.resource);
            if !answer.covered.is_empty() {
                let _ = writeln!(
                    s,
                    "a pattern: asked on {} it covers, one for each class the \
                     organization's policies treat alike; each principal is shown with one \
                     resource where it stands so",
                    if answer.covered.len() == 1 {
                        "1 resource".to_string()
                    } else {
                        format!("{} resources", answer.covered.len())
                    }
                );
            } else if answer.resource_account_assumed {
                let why = if answer.resource == "*" {
                    "the resource is `*`"
                } else {
                    "the resource is not in the organization and its ARN names no account"
                };
                let _ = writeln!(
                    s,
                    "{why}: each principal was evaluated as if it were in its own account \
                     (use --resource-account)"
                );
            }
            let _ = writeln!(s, "\nallowed ({}):", answer.allowed.len());
            by_account(
                &mut s,
                &answer.allowed,
                |h| (&h.account, &h.account_name),
                |h| format!("{}{}", h.principal, on_text(&h.on)),
            );
            if !answer.root_users.is_empty() {
                let _ = writeln!(s, "\naccount root users ({}):", answer.root_users.len());
                for h in &answer.root_users {
                    let _ = writeln!(
                        s,
                        "    {} ({}){}",
                        h.principal,
                        h.account_name,
                        on_text(&h.on)
                    );
                }
            }
            if !answer.conditional.is_empty() {
                let _ = writeln!(
                    s,
                    "\nallowed only under conditions ({}):",
                    answer.conditional.len()
                );
                by_account(
                    &mut s,
                    &answer.conditional,
                    |h| (&h.account, &h.account_name),
                    |h| {
                        let when: Vec<String> = h.when.iter().map(ToString::to_string).collect();
                        format!(
                            "{}  when {}{}",
                            h.principal,
                            when.join(", "),
                            on_text(&h.on)
                        )
                    },
                );
            }
            if !answer.near_misses.is_empty() {
                let _ = writeln!(
                    s,
                    "\nblocked only by an SCP or a boundary ({}):",
                    answer.near_misses.len()
                );
                by_account(
                    &mut s,
                    &answer.near_misses,
                    |n| (&n.account, &n.account_name),
                    |n| {
                        let by = layer_label(&org, &n.principal, None, n.blocked_by);
                        format!(
                            "{}  by {by} {}{}",
                            n.principal,
                            n.policies.join(", "),
                            on_text(&n.on)
                        )
                    },
                );
            }
            let notes: Vec<&String> = answer.acls.iter().chain(&answer.caveats).collect();
            if !notes.is_empty() {
                s.push('\n');
            }
            for n in notes {
                let _ = writeln!(s, "note: {n}");
            }
            if !answer.outside.is_empty() {
                let _ = writeln!(
                    s,
                    "\noutside the organization, named by the resource's policy:"
                );
                for o in &answer.outside {
                    let by = match o.blocked_by {
                        Some(l @ crate::engine::Layer::Aws(_)) => {
                            format!(" by {}", layer_label(&org, &o.who, None, l))
                        }
                        _ => String::new(),
                    };
                    let side = match o.resource_side {
                        Some(d) if o.when.is_empty() => format!("resource side: {d}{by}"),
                        Some(d) => {
                            let when: Vec<String> =
                                o.when.iter().map(ToString::to_string).collect();
                            format!(
                                "resource side: {d} as asked, Allowed when {}",
                                when.join(", ")
                            )
                        }
                        None => "not evaluated".to_string(),
                    };
                    let _ = writeln!(
                        s,
                        "    {} {}  ({} {}{}; {side}){}",
                        o.kind,
                        o.who,
                        o.policy,
                        o.statement,
                        if o.conditional {
                            ", with conditions"
                        } else {
                            ""
                        },
                        on_text(&o.on)
                    );
                }
            }
            let _ = writeln!(s, "\n{} principals evaluated", answer.evaluated);
            print(&crate::cli::inert(&s))?;
        }
    }
    Ok(0)
}

/// `  on RESOURCE` for an answer about a pattern: where the principal stands so.
fn on_text(on: &Option<String>) -> String {
    on.as_ref().map(|r| format!("  on {r}")).unwrap_or_default()
}

/// Lines under a line per account, for items that come sorted by account.
fn by_account<T>(
    s: &mut String,
    items: &[T],
    account: impl Fn(&T) -> (&str, &str),
    line: impl Fn(&T) -> String,
) {
    let mut last = None;
    for item in items {
        let (id, name) = account(item);
        if last != Some(id) {
            let _ = writeln!(s, "  {name} ({id})");
            last = Some(id);
        }
        let _ = writeln!(s, "    {}", line(item));
    }
}

// ---- what-can ------------------------------------------------------------------

#[derive(Debug, clap::Args)]
pub struct WhatCanArgs {
    #[command(flatten)]
    pub org: OrgArg,
    /// The principal: a user or role ARN, or a unique name.
    #[arg(long, short)]
    pub principal: String,
    /// Only this service (`s3`).
    #[arg(long)]
    pub service: Option<String>,
    /// Only this access level: list, read, write, permissions-management, tagging.
    #[arg(long)]
    pub level: Option<String>,
    /// Compare with another principal.
    #[arg(long, value_name = "PRINCIPAL")]
    pub compare: Option<String>,
    /// A context key and value for every request, `aws:RequestedRegion=eu-west-1`;
    /// repeat a key for several values.
    #[arg(long = "context", short = 'c', value_name = "KEY=VALUE")]
    pub context: Vec<String>,
}

pub fn what_can(args: WhatCanArgs) -> anyhow::Result<i32> {
    let org = super::what_if::load_org_with(&args.org.org, args.org.scenario.as_deref())?;
    let filter = analysis::Filter {
        service: args.service.clone(),
        level: args
            .level
            .as_deref()
            .map(str::parse::<AccessLevel>)
            .transpose()
            .map_err(|e| anyhow::anyhow!("{e}"))?,
    };
    let context = parse_context(&args.context)?;
    let answer = analysis::what_can(&org, &args.principal, &filter, &context)?;
    if let Some(other) = &args.compare {
        let right = analysis::what_can(&org, other, &filter, &context)?;
        let cmp = analysis::compare(&answer, &right);
        match args.org.format {
            Format::Json => print_json(&cmp, &[])?,
            Format::Table => {
                let mut s = String::new();
                let _ = writeln!(
                    s,
                    "{} and {} can both do {} actions",
                    cmp.left, cmp.right, cmp.both
                );
                let _ = writeln!(s, "\nonly {} ({}):", cmp.left, cmp.only_left.len());
                for a in &cmp.only_left {
                    let _ = writeln!(s, "  {a}");
                }
                let _ = writeln!(s, "\nonly {} ({}):", cmp.right, cmp.only_right.len());
                for a in &cmp.only_right {
                    let _ = writeln!(s, "  {a}");
                }
                print(&crate::cli::inert(&s))?;
            }
        }
        return Ok(0);
    }
    match args.org.format {
        Format::Json => print_json(&answer, &[])?,
        Format::Table => {
            let mut s = String::new();
            let _ = writeln!(
                s,
                "{} can do {} actions",
                answer.principal,
                answer.grants.len()
            );
            for (service, levels) in &answer.summary {
                let counts: Vec<String> = levels.iter().map(|(l, n)| format!("{l} {n}")).collect();
                let _ = writeln!(s, "  {service:<24} {}", counts.join(", "));
            }
            let _ = writeln!(s);
            for g in &answer.grants {
                let _ = write!(
                    s,
                    "  {:<52} {:<22} {}",
                    g.action,
                    g.level.to_string(),
                    g.resources.join(" ")
                );
                // Block Public Access keeps buckets from a public ACL; AWS owns the rest.
                let (bpa, owned): (Vec<&crate::engine::AwsRule>, Vec<_>) = g
                    .except
                    .iter()
                    .partition(|r| **r == crate::engine::AwsRule::BlockPublicAcls);
                if !owned.is_empty() {
                    let kept: Vec<&str> = owned.iter().map(|r| r.kept()).collect();
                    let _ = write!(s, "  (not on what AWS owns: {})", kept.join(", "));
                }
                for r in bpa {
                    let _ = write!(s, "  (not on {})", r.kept());
                }
                if !g.denied_within.is_empty() {
                    let _ = write!(s, "  (denied on {})", g.denied_within.join(" "));
                }
                if !g.needs.is_empty() {
                    let _ = write!(s, "  (needs {})", g.needs.join(", "));
                }
                let _ = writeln!(s);
            }
            if !answer.caveats.is_empty() {
                let _ = writeln!(s);
            }
            for c in &answer.caveats {
                let _ = writeln!(s, "note: {c}");
            }
            print(&crate::cli::inert(&s))?;
        }
    }
    Ok(0)
}

fn needs(needs: &[String]) -> String {
    if needs.is_empty() {
        String::new()
    } else {
        format!("  (needs {})", needs.join(", "))
    }
}

// ---- paths ---------------------------------------------------------------------

#[derive(Debug, clap::Args)]
pub struct PathsArgs {
    #[command(flatten)]
    pub org: OrgArg,
    /// The principal to start from.
    #[arg(long)]
    pub from: Option<String>,
    /// A role (or a user, reached by taking its keys or password) to reach: the
    /// shortest path to it; alone, every principal that reaches it (exit status 3
    /// when nothing reaches it).
    #[arg(long)]
    pub to: Option<String>,
    /// A context key and value for every request, `aws:RequestedRegion=eu-west-1`;
    /// repeat a key for several values.
    #[arg(long = "context", short = 'c', value_name = "KEY=VALUE")]
    pub context: Vec<String>,
}

/// The hops of a path after its start, each with how it is taken:
/// `[sts:AssumeRole] ROLE -> [iam:CreateAccessKey] USER`.
fn hops(r: &analysis::Reach) -> String {
    r.edges
        .iter()
        .map(|e| format!("[{}] {}", e.via, e.to))
        .collect::<Vec<_>>()
        .join(" -> ")
}

pub fn paths(args: PathsArgs) -> anyhow::Result<i32> {
    let org = super::what_if::load_org_with(&args.org.org, args.org.scenario.as_deref())?;
    let context = parse_context(&args.context)?;
    let Some(from) = &args.from else {
        // Only --to: every principal that can reach the role.
        let to = args.to.as_deref().context("give --from, --to, or both")?;
        let reaches = analysis::who_reaches(&org, to, &context)?;
        match args.org.format {
            Format::Json => {
                let role = org.principal_arn(analysis::principal(&org, to)?);
                print_json(
                    &analysis::paths::json::who_reaches_json(role, &reaches),
                    &[],
                )?
            }
            Format::Table => {
                let mut s = format!("{} principals can reach {to}\n", reaches.len());
                for r in &reaches {
                    let _ = writeln!(s, "  {} -> {}{}", r.path[0], hops(r), needs(&r.needs));
                }
                print(&crate::cli::inert(&s))?;
            }
        }
        return Ok(if reaches.is_empty() { 3 } else { 0 });
    };
    let answer = analysis::paths(&org, from, args.to.as_deref(), &context)?;
    match args.org.format {
        Format::Json => print_json(&analysis::paths::json::paths_json(&answer), &[])?,
        Format::Table => {
            let mut s = String::new();
            if !answer.escalations.is_empty() {
                // `admin`: with the context given it can give itself any permission.
                let _ = if answer.admin {
                    writeln!(
                        s,
                        "{} is admin-level: it can give itself any permission:",
                        answer.from
                    )
                } else {
                    writeln!(
                        s,
                        "{} may raise its own permissions (not to admin level with the context given):",
                        answer.from
                    )
                };
                for e in &answer.escalations {
                    let steps: Vec<String> = e
                        .steps
                        .iter()
                        .map(|x| match (&x.version, x.tag_text()) {
                            (Some(v), _) => {
                                format!("{} on {} (to version {v})", x.action, x.resource)
                            }
                            (None, Some(t)) => {
                                format!("{} of tag {t} on {}", x.action, x.resource)
                            }
                            (None, None) => format!("{} on {}", x.action, x.resource),
                        })
                        .collect();
                    let when: Vec<String> = e.needs.iter().map(|c| c.to_string()).collect();
                    let _ = writeln!(s, "  {}{}", steps.join(", then "), needs(&when));
                }
            }
            let _ = writeln!(
                s,
                "{} can reach {} principals",
                answer.from,
                answer.reachable.len()
            );
            for r in &answer.reachable {
                let _ = writeln!(
                    s,
                    "  {}{}{}",
                    hops(r),
                    if r.admin { "  [admin]" } else { "" },
                    needs(&r.needs)
                );
            }
            if let Some(to) = &answer.to {
                let _ = writeln!(s, "\nshortest path to the target: {}", to.path.join(" -> "));
            } else if answer.target_asked {
                let _ = writeln!(s, "\nthe target cannot be reached");
            }
            if let Some(admin) = &answer.nearest_admin {
                let _ = writeln!(
                    s,
                    "nearest admin-level principal it reaches: {}",
                    admin.path.join(" -> ")
                );
            }
            print(&crate::cli::inert(&s))?;
        }
    }
    Ok(if answer.target_asked && answer.to.is_none() {
        3
    } else {
        0
    })
}
