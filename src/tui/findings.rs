//! The findings of the organization in the app: computed off the UI thread (a large
//! org takes seconds), listed by severity then node, narrowed by severity, kind and
//! text as the other lists are; and from a finding back to the tree: the node it is
//! about and the policy statement it points at. No terminal here.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use jiff::Timestamp;

use super::app::Msg;
use super::nodes::{Node, node_of};
use super::query::locate::Mark;
use super::words::thousands;
use crate::findings::{self, Category, Finding, Grade, Options, STEPS, Severity};
use crate::org::{AccountIx, Entity, Org, PolicyIx};

/// Where the computation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Stage {
    /// Not asked for yet (tests compute them when the list opens).
    #[default]
    NotStarted,
    /// On the worker: the step it is at (of [`STEPS`]) and the time it has taken.
    Computing {
        step: usize,
        elapsed: Duration,
    },
    Ready,
}

/// What the worker and the app share: the step reached, and a stop asked for.
#[derive(Debug, Default)]
pub struct Progress {
    pub step: AtomicUsize,
    pub stop: AtomicBool,
}

/// The Access Analyzer grades a list can be narrowed to, in the order `a` cycles
/// through them (the console's order: the gravest first).
pub const GRADES: [Grade; 4] = [
    Grade::Error,
    Grade::SecurityWarning,
    Grade::Warning,
    Grade::Suggestion,
];

/// The kinds a list can be narrowed to, in the order `t` cycles through them.
pub const KINDS: [Category; 4] = [
    Category::ExternalAccess,
    Category::PolicyCheck,
    Category::Identity,
    Category::Organization,
];

pub fn kind_word(c: Category) -> &'static str {
    match c {
        Category::ExternalAccess => "external access",
        Category::PolicyCheck => "policy check",
        Category::Identity => "identity",
        Category::Organization => "organization",
    }
}

/// A part of the organization the list is narrowed to: a subtree's accounts, or a
/// node's own findings.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// As the filter line shows it: `OU Workloads`.
    pub label: String,
    accounts: HashSet<String>,
    nodes: Vec<String>,
}

impl Scope {
    /// The subtree under a node of the tree; `None` for the whole organization.
    pub fn under(org: &Org, node: Node) -> Option<Scope> {
        let accounts = |list: Vec<AccountIx>| -> HashSet<String> {
            list.into_iter()
                .map(|a| org.account(a).id.to_string())
                .collect()
        };
        let (kind, accounts, nodes) = match node {
            Node::Ou(o) => (
                "OU",
                accounts(
                    (0..org.accounts().len())
                        .map(AccountIx::new)
                        .filter(|&a| org.ancestors(a).contains(&o))
                        .collect(),
                ),
                Vec::new(),
            ),
            Node::Account(a) | Node::Folder(a, _) => ("account", accounts(vec![a]), Vec::new()),
            Node::User(_) => ("user", HashSet::new(), node_keys(org, node)),
            Node::Group(_) => ("group", HashSet::new(), node_keys(org, node)),
            Node::Role(_) => ("role", HashSet::new(), node_keys(org, node)),
            Node::Policy(_) => ("policy", HashSet::new(), node_keys(org, node)),
            Node::Resource(_) => ("resource", HashSet::new(), node_keys(org, node)),
            _ => return None,
        };
        let name = match node {
            Node::Folder(a, _) => org.account(a).name.to_string(),
            n => n
                .entity()
                .map_or_else(String::new, |e| org.name(e).to_string()),
        };
        Some(Scope {
            label: format!("{kind} {name}"),
            accounts,
            nodes,
        })
    }

    fn holds(&self, f: &Finding) -> bool {
        f.account
            .as_deref()
            .is_some_and(|a| self.accounts.contains(a))
            || self.nodes.contains(&f.node)
    }
}

/// How the list is sorted (`o` cycles): by severity (then node), by node (then
/// severity), by rule (then severity and node).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    #[default]
    Severity,
    Node,
    Rule,
}

impl Order {
    pub fn word(self) -> &'static str {
        match self {
            Order::Severity => "severity",
            Order::Node => "node",
            Order::Rule => "rule",
        }
    }
}

/// What a scenario did to a finding the list shows (matched by its stable id, as
/// `findings --scenario --compare` matches them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delta {
    /// Not a finding of the org as loaded.
    Added,
    /// The same finding with another severity or message: as it was.
    Changed { severity: Severity, message: String },
    /// A finding of the org as loaded that the changed org no longer has.
    Removed,
}

impl Delta {
    /// As the list marks it, and as `/` finds it.
    pub fn word(&self) -> &'static str {
        match self {
            Delta::Added => "added",
            Delta::Changed { .. } => "changed",
            Delta::Removed => "removed",
        }
    }
}

/// The findings of the org a scenario makes: computed for that org (on a thread of
/// their own, or when first asked for in tests), compared with the loaded org's.
#[derive(Debug)]
pub struct ScenarioRun {
    /// The changed org, by identity: findings computed for another are dropped.
    pub org: Arc<Org>,
    pub found: Option<Arc<Vec<Finding>>>,
    /// Set while they are computed.
    pub progress: Option<Arc<Progress>>,
    pub started: Option<Instant>,
}

impl ScenarioRun {
    pub fn new(org: Arc<Org>) -> ScenarioRun {
        ScenarioRun {
            org,
            found: None,
            progress: None,
            started: None,
        }
    }
}

/// The findings, the filters and the one selected.
#[derive(Debug, Default)]
pub struct FindingsList {
    /// Where the findings shown stand.
    pub stage: Stage,
    /// Every finding shown, most severe first, then by node: the loaded org's, or
    /// while a scenario is active the changed org's and those it removed.
    pub all: Arc<Vec<Finding>>,
    /// For each of `all`, what the scenario did to it (empty without a scenario).
    pub deltas: Vec<Option<Delta>>,
    /// The loaded org's findings, once computed.
    pub loaded: Option<Arc<Vec<Finding>>>,
    /// The changed org's, while a scenario is active.
    pub scenario: Option<ScenarioRun>,
    /// Where the worker sends the findings (none in tests: computed when asked for).
    pub worker: Option<Sender<Msg>>,
    /// Only findings at or above this severity.
    pub min_severity: Option<Severity>,
    pub kind: Option<Category>,
    /// Only policy checks of this Access Analyzer grade.
    pub grade: Option<Grade>,
    /// Only findings under this node (`u`).
    pub scope: Option<Scope>,
    /// Only findings whose text contains this (any case).
    pub text: String,
    /// The filter line has the keyboard.
    pub editing: bool,
    /// How `shown` is sorted.
    pub order: Order,
    /// The findings the filters keep, in `order`: indexes into `all`.
    pub shown: Vec<usize>,
    /// Index into `shown`.
    pub selected: usize,
    /// Findings by the node they are about (its ARN or id).
    by_node: HashMap<String, Vec<usize>>,
    /// How many findings each account holds, by severity (low first; those a
    /// scenario removed left out).
    by_account: HashMap<String, [usize; 4]>,
    /// Set while the loaded org's findings are computed.
    pub progress: Option<Arc<Progress>>,
    pub started: Option<Instant>,
    /// `145,886 findings: 11,916 high, ...`: every finding's count by severity (of
    /// the changed org while a scenario is active).
    pub total: String,
    /// While a scenario is active: `adds 1, removes 2, changes 0`.
    pub scenario_total: Option<String>,
    /// The filters `shown` was computed with.
    applied: Option<Applied>,
}

/// The filters a list was narrowed with: severity, kind, grade, text.
type Applied = (Option<Severity>, Option<Category>, Option<Grade>, String);

/// Most severe first, then by node, rule and id.
fn sort(list: &mut [Finding]) {
    list.sort_by(|a, b| {
        (b.severity, &a.node, a.rule, &a.id).cmp(&(a.severity, &b.node, b.rule, &b.id))
    });
}

impl FindingsList {
    /// Takes the loaded org's findings.
    pub fn set(&mut self, mut all: Vec<Finding>) {
        sort(&mut all);
        self.loaded = Some(Arc::new(all));
        self.progress = None;
        self.restage();
    }

    /// Takes the changed org's findings, if they are of the org the scenario now
    /// makes (a scenario changed since is computed again).
    pub fn set_scenario(&mut self, org: &Arc<Org>, mut all: Vec<Finding>) {
        if let Some(run) = self.scenario.as_mut().filter(|r| Arc::ptr_eq(&r.org, org)) {
            sort(&mut all);
            run.found = Some(Arc::new(all));
            run.progress = None;
            self.restage();
        }
    }

    /// What is shown follows what is computed: the loaded org's findings without a
    /// scenario, the changed org's (compared with the loaded org's) with one; until
    /// both are there, how far they are.
    pub fn restage(&mut self) {
        let Some(loaded) = self.loaded.clone() else {
            self.stage = self.pending();
            return;
        };
        match &self.scenario {
            None => self.show(loaded, Vec::new(), None),
            Some(ScenarioRun {
                found: Some(after), ..
            }) => {
                let d = crate::findings::compare::Diff::new(&loaded, after);
                let mut rows: Vec<(Finding, Option<Delta>)> = Vec::new();
                let added: HashSet<&str> = d.added.iter().map(|f| f.id.as_str()).collect();
                let before: HashMap<&str, &Finding> =
                    d.changed.iter().map(|(b, a)| (a.id.as_str(), *b)).collect();
                for f in after.iter() {
                    let delta = if added.contains(f.id.as_str()) {
                        Some(Delta::Added)
                    } else {
                        before.get(f.id.as_str()).map(|b| Delta::Changed {
                            severity: b.severity,
                            message: b.message.clone(),
                        })
                    };
                    rows.push((f.clone(), delta));
                }
                rows.extend(
                    d.removed
                        .iter()
                        .map(|f| ((*f).clone(), Some(Delta::Removed))),
                );
                rows.sort_by(|(a, _), (b, _)| {
                    (b.severity, &a.node, a.rule, &a.id).cmp(&(a.severity, &b.node, b.rule, &b.id))
                });
                let total = format!(
                    "adds {}, removes {}, changes {}",
                    thousands(d.added.len()),
                    thousands(d.removed.len()),
                    thousands(d.changed.len())
                );
                let (all, deltas) = rows.into_iter().unzip();
                self.show(Arc::new(all), deltas, Some(total));
            }
            Some(_) => self.stage = self.pending(),
        }
    }

    /// Where the computation still running stands (the changed org's first).
    fn pending(&self) -> Stage {
        let running = self
            .scenario
            .as_ref()
            .filter(|r| r.found.is_none())
            .map(|r| (&r.progress, r.started))
            .unwrap_or((&self.progress, self.started));
        match running {
            (Some(p), Some(t)) => Stage::Computing {
                step: p.step.load(Ordering::Relaxed),
                elapsed: t.elapsed(),
            },
            _ if self.loaded.is_none() && self.progress.is_some() => Stage::Computing {
                step: self
                    .progress
                    .as_ref()
                    .map_or(0, |p| p.step.load(Ordering::Relaxed)),
                elapsed: self.started.map_or(Duration::ZERO, |t| t.elapsed()),
            },
            _ => Stage::NotStarted,
        }
    }

    /// Shows `all` (sorted), with what the scenario did to each, and indexes them.
    fn show(&mut self, all: Arc<Vec<Finding>>, deltas: Vec<Option<Delta>>, total: Option<String>) {
        self.by_node.clear();
        self.by_account.clear();
        for (i, f) in all.iter().enumerate() {
            self.by_node.entry(f.node.clone()).or_default().push(i);
            if let Some(a) = &f.account
                && deltas.get(i) != Some(&Some(Delta::Removed))
            {
                self.by_account.entry(a.clone()).or_default()[f.severity as usize] += 1;
            }
        }
        let counted: Vec<&Finding> = all
            .iter()
            .enumerate()
            .filter(|(i, _)| deltas.get(*i) != Some(&Some(Delta::Removed)))
            .map(|(_, f)| f)
            .collect();
        self.total = FindingsList::summary(&counted);
        self.scenario_total = total;
        self.all = all;
        self.deltas = deltas;
        self.applied = None;
        self.stage = Stage::Ready;
        self.refilter();
    }

    /// What the scenario did to the `i`th of `all`.
    pub fn delta(&self, i: usize) -> Option<&Delta> {
        self.deltas.get(i)?.as_ref()
    }

    /// What the scenario did to the selected finding.
    pub fn current_delta(&self) -> Option<&Delta> {
        self.delta(*self.shown.get(self.selected)?)
    }

    pub fn ready(&self) -> bool {
        self.stage == Stage::Ready
    }

    pub fn computing(&self) -> bool {
        matches!(self.stage, Stage::Computing { .. })
    }

    /// Applies the filters again, keeping the selected finding where it stays.
    pub fn refilter(&mut self) {
        let was = self.shown.get(self.selected).copied();
        let needle = self.text.trim().to_lowercase();
        // A text typed on (the same filters otherwise) narrows what is shown: only
        // those are searched again, not every finding.
        let applied = (self.min_severity, self.kind, self.grade, needle.clone());
        let narrower = self.applied.as_ref().is_some_and(|(s, k, g, t)| {
            (*s, *k, *g) == (applied.0, applied.1, applied.2) && needle.contains(t.as_str())
        });
        let candidates = if narrower {
            std::mem::take(&mut self.shown)
        } else {
            (0..self.all.len()).collect()
        };
        self.applied = Some(applied);
        let mut shown: Vec<usize> = candidates
            .into_iter()
            .filter(|&i| {
                let f = &self.all[i];
                self.min_severity.is_none_or(|m| f.severity >= m)
                    && self.kind.is_none_or(|k| f.category == k)
                    && self.grade.is_none_or(|g| f.grade == Some(g))
                    && self.scope.as_ref().is_none_or(|s| s.holds(f))
                    && (needle.is_empty()
                        || matches_text(f, &needle)
                        || self
                            .delta(i)
                            .is_some_and(|d| contains_ignoring_case(d.word(), &needle)))
            })
            .collect();
        // `all` is by severity; another order sorts what is kept (a narrower text
        // keeps the order it was given).
        if !narrower && self.order != Order::Severity {
            let all = &self.all;
            match self.order {
                // As a reader sorts names: `alice` before `DataScientist`.
                Order::Node => shown.sort_by_cached_key(|&i| {
                    (all[i].node_name.to_lowercase(), all[i].node.clone())
                }),
                Order::Rule => shown.sort_by_key(|&i| all[i].rule),
                Order::Severity => {}
            }
        }
        self.shown = shown;
        self.selected = was
            .and_then(|w| self.shown.iter().position(|&i| i == w))
            .unwrap_or(0);
    }

    /// `s`: all, then critical, then high and above, then medium and above.
    pub fn cycle_severity(&mut self) {
        self.min_severity = match self.min_severity {
            None => Some(Severity::Critical),
            Some(Severity::Critical) => Some(Severity::High),
            Some(Severity::High) => Some(Severity::Medium),
            Some(_) => None,
        };
        self.refilter();
    }

    /// `t`: all kinds, then each in turn.
    pub fn cycle_kind(&mut self) {
        self.kind = match self.kind {
            None => Some(KINDS[0]),
            Some(k) => KINDS
                .iter()
                .position(|&x| x == k)
                .and_then(|i| KINDS.get(i + 1).copied()),
        };
        self.refilter();
    }

    /// `a`: every finding, then each Access Analyzer grade in turn.
    pub fn cycle_grade(&mut self) {
        self.grade = match self.grade {
            None => Some(GRADES[0]),
            Some(g) => GRADES
                .iter()
                .position(|&x| x == g)
                .and_then(|i| GRADES.get(i + 1).copied()),
        };
        self.refilter();
    }

    /// `o`: by severity, then by node, then by rule.
    pub fn cycle_order(&mut self) {
        self.order = match self.order {
            Order::Severity => Order::Node,
            Order::Node => Order::Rule,
            Order::Rule => Order::Severity,
        };
        self.applied = None;
        self.refilter();
    }

    /// `u`: only under `node` (the tree's selection), or everywhere again.
    pub fn toggle_scope(&mut self, org: &Org, node: Node) {
        self.scope = match self.scope {
            Some(_) => None,
            None => Scope::under(org, node),
        };
        self.applied = None;
        self.refilter();
    }

    /// Moves the selection by `delta`, within the list.
    pub fn step(&mut self, delta: isize) {
        let last = self.shown.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    pub fn current(&self) -> Option<&Finding> {
        self.all.get(*self.shown.get(self.selected)?)
    }

    /// The findings about a node of the tree (an account's own: its root user's and
    /// the organization's about it), in the org shown (none a scenario removed).
    pub fn about(&self, org: &Org, node: Node) -> Vec<&Finding> {
        self.about_marked(org, node)
            .into_iter()
            .filter(|(_, d)| *d != Some(&Delta::Removed))
            .map(|(f, _)| f)
            .collect()
    }

    /// As [`FindingsList::about`], with what the scenario did to each, those it
    /// removed included.
    pub fn about_marked(&self, org: &Org, node: Node) -> Vec<(&Finding, Option<&Delta>)> {
        node_keys(org, node)
            .iter()
            .filter_map(|k| self.by_node.get(k))
            .flatten()
            .map(|&i| (&self.all[i], self.delta(i)))
            .collect()
    }

    /// How many findings are in these accounts (by id), their principals' and
    /// resources' included, and their count by severity: `1 critical, 4 medium`.
    pub fn in_accounts<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> (usize, String) {
        let mut counts = [0; 4];
        for id in ids {
            if let Some(c) = self.by_account.get(id) {
                for (n, m) in counts.iter_mut().zip(c) {
                    *n += m;
                }
            }
        }
        (counts.iter().sum(), severities(counts))
    }

    /// `17 findings: 2 critical, 3 high, 8 medium, 4 low`.
    pub fn summary(list: &[&Finding]) -> String {
        let mut counts = [0; 4];
        for f in list {
            counts[f.severity as usize] += 1;
        }
        FindingsList::summary_of(counts)
    }

    /// As [`FindingsList::summary`], from the counts by severity (low first).
    fn summary_of(counts: [usize; 4]) -> String {
        let total: usize = counts.iter().sum();
        let parts = severities(counts);
        format!(
            "{} finding{}{}{parts}",
            thousands(total),
            if total == 1 { "" } else { "s" },
            if parts.is_empty() { "" } else { ": " },
        )
    }
}

/// `2 critical, 3 high, 4 low`, from the counts by severity (low first).
fn severities(counts: [usize; 4]) -> String {
    [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ]
    .into_iter()
    .filter(|&s| counts[s as usize] > 0)
    .map(|s| format!("{} {s}", thousands(counts[s as usize])))
    .collect::<Vec<_>>()
    .join(", ")
}

/// Whether any of a finding's texts contains `needle` (lower case).
fn matches_text(f: &Finding, needle: &str) -> bool {
    [
        f.rule,
        f.severity.word(),
        f.grade.map_or("", Grade::words),
        &f.node,
        &f.node_name,
        &f.message,
        f.policy.as_deref().unwrap_or(""),
        f.statement.as_deref().unwrap_or(""),
        f.account.as_deref().unwrap_or(""),
    ]
    .iter()
    .any(|t| contains_ignoring_case(t, needle))
}

/// `hay` contains `needle` (already lower case), ignoring ASCII case, without
/// allocating (the list may hold 150,000 findings, searched on every key).
fn contains_ignoring_case(hay: &str, needle: &str) -> bool {
    if needle.is_ascii() {
        let (h, n) = (hay.as_bytes(), needle.as_bytes());
        n.len() <= h.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
    } else {
        hay.to_lowercase().contains(needle)
    }
}

/// What findings call a node: its ARN or id (an account: its id and its root user).
fn node_keys(org: &Org, node: Node) -> Vec<String> {
    match node {
        Node::Account(a) => {
            let id = &org.account(a).id;
            vec![
                id.to_string(),
                format!("arn:{}:iam::{id}:root", org.info().partition),
            ]
        }
        Node::Policy(p) => {
            let rec = org.policy(p);
            let arn = rec.arn.as_deref().map(str::to_string);
            let id = rec.id.as_deref().map(str::to_string);
            arn.into_iter().chain(id).collect()
        }
        n => n
            .entity()
            .and_then(|e| org.arn(e))
            .map(|a| vec![a.to_string()])
            .unwrap_or_default(),
    }
}

/// The entity a finding is about: a principal, resource or policy by ARN, an account
/// by id or by its root user's ARN, an SCP by id.
pub fn entity(org: &Org, f: &Finding) -> Option<Entity> {
    let node = f.node.as_str();
    if let Some(e) = org.by_arn(node) {
        return Some(e);
    }
    if let Some(a) = org.account_by_id(node) {
        return Some(Entity::Account(a));
    }
    if let Some(id) = node
        .strip_suffix(":root")
        .and_then(|n| n.rsplit(':').next())
        && let Some(a) = org.account_by_id(id)
    {
        return Some(Entity::Account(a));
    }
    (0..org.policies().len())
        .map(PolicyIx::new)
        .find(|&p| org.policy(p).id.as_deref() == Some(node))
        .map(Entity::Policy)
}

/// The node of the tree a finding is about.
pub fn place(org: &Org, f: &Finding) -> Option<Node> {
    entity(org, f).map(|e| node_of(org, e))
}

/// The policy a finding points at, in `org` (the org it was computed for).
pub fn policy(org: &Org, f: &Finding) -> Option<PolicyIx> {
    f.policy_index()
        .filter(|p| p.index() < org.policies().len())
        .filter(|&p| f.policy.as_deref() == Some(org.policy_name(p)))
}

/// The statement a finding points at, to highlight: the one its location names (the
/// same index, found the same way), in the org it was computed for.
pub fn mark(org: &Org, f: &Finding) -> Option<Mark> {
    let p = policy(org, f)?;
    let statement = f.statement_index(org)?;
    org.compiled(p)
        .statements()
        .iter()
        .any(|s| s.index == statement)
        .then_some(Mark {
            policy: p,
            statement,
        })
}

/// The options the app computes with: every finding, credentials aged to `now`.
pub fn options(now: Timestamp) -> Options {
    Options {
        now: Some(now),
        ..Options::default()
    }
}

/// The worker: computes the findings, telling `progress` each step, and sends them
/// back; stops within moments when asked (the app quits), sending nothing.
pub fn serve(org: &Org, now: Timestamp, progress: &Progress, done: Sender<Msg>) {
    let found = findings::findings_with(
        org,
        &options(now),
        &mut |step| progress.step.store(step, Ordering::Relaxed),
        &|| progress.stop.load(Ordering::Relaxed),
    );
    if let Some(all) = found {
        let _ = done.send(Msg::Findings(Arc::new(all)));
    }
}

/// As [`serve`], for the org a scenario makes (on a thread of its own: the changed
/// org is shared, not borrowed); the findings come back with the org they are of.
pub fn serve_scenario(org: Arc<Org>, now: Timestamp, progress: &Progress, done: Sender<Msg>) {
    let found = findings::findings_with(
        &org,
        &options(now),
        &mut |step| progress.step.store(step, Ordering::Relaxed),
        &|| progress.stop.load(Ordering::Relaxed),
    );
    if let Some(all) = found {
        let _ = done.send(Msg::ScenarioFindings(
            super::what_if::Shared(org),
            Arc::new(all),
        ));
    }
}

/// `external access (step 4 of 5)`.
pub fn step_label(step: usize) -> String {
    format!(
        "{} (step {} of {})",
        STEPS.get(step).copied().unwrap_or(""),
        step + 1,
        STEPS.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::load_builtin_acme;

    fn acme_list(org: &Org) -> FindingsList {
        let mut l = FindingsList::default();
        l.set(findings::findings(
            org,
            &options("2026-11-23T12:00:00Z".parse().unwrap()),
        ));
        l
    }

    #[test]
    fn sorted_by_severity_then_node_and_filters_narrow() {
        let org = load_builtin_acme();
        let mut l = acme_list(&org);
        assert!(l.all.len() > 5);
        assert!(l.all.windows(2).all(|w| {
            w[0].severity > w[1].severity
                || (w[0].severity == w[1].severity && w[0].node <= w[1].node)
        }));
        assert_eq!(l.shown.len(), l.all.len());
        l.cycle_severity();
        assert!(!l.shown.is_empty());
        assert!(
            l.shown
                .iter()
                .all(|&i| l.all[i].severity == Severity::Critical)
        );
        l.cycle_severity();
        assert!(l.shown.iter().all(|&i| l.all[i].severity >= Severity::High));
        l.min_severity = None;
        l.cycle_kind();
        assert_eq!(l.kind, Some(Category::ExternalAccess));
        assert!(
            l.shown
                .iter()
                .all(|&i| l.all[i].category == Category::ExternalAccess)
        );
        for _ in 0..KINDS.len() {
            l.cycle_kind();
        }
        assert_eq!(l.kind, None, "the cycle ends on all kinds");
        l.text = "PUBLIC-WEBSITE".into();
        l.refilter();
        assert!(!l.shown.is_empty());
        assert!(
            l.shown
                .iter()
                .all(|&i| l.all[i].node.contains("public-website"))
        );
        // Typed on, the text narrows; erased back, the others return.
        let wide = l.shown.len();
        l.text = "PUBLIC-WEBSITE/x".into();
        l.refilter();
        assert!(l.shown.is_empty());
        l.text = "PUBLIC-WEBSITE".into();
        l.refilter();
        assert_eq!(l.shown.len(), wide);
        // Under an OU: its accounts' findings only; again: everywhere.
        l.text.clear();
        let prod = match org.by_name("Prod") {
            crate::org::NameLookup::Unique(Entity::Ou(o)) => o,
            other => panic!("{other:?}"),
        };
        l.toggle_scope(&org, Node::Ou(prod));
        assert_eq!(l.scope.as_ref().unwrap().label, "OU Prod");
        assert!(!l.shown.is_empty() && l.shown.len() < l.all.len());
        assert!(l.shown.iter().all(|&i| {
            ["666666666666", "555555555555"].contains(&l.all[i].account.as_deref().unwrap_or(""))
        }));
        l.toggle_scope(&org, Node::Ou(prod));
        assert_eq!(l.shown.len(), l.all.len());
        l.text = "no such text anywhere".into();
        l.refilter();
        assert!(l.shown.is_empty() && l.current().is_none());
    }

    #[test]
    fn a_finding_leads_to_its_node_and_statement() {
        let org = load_builtin_acme();
        let l = acme_list(&org);
        let public = l.all.iter().find(|f| f.rule == "external.public").unwrap();
        let m = mark(&org, public).unwrap();
        assert_eq!(org.policy_name(m.policy), "bucket policy");
        assert_eq!(
            org.compiled(m.policy).statements()[m.statement].label(),
            "PublicRead"
        );
        let bucket = org
            .resource_by_arn("arn:aws:s3:::acme-public-website")
            .unwrap();
        assert_eq!(place(&org, public), Some(Node::Resource(bucket)));
        assert_eq!(l.about(&org, Node::Resource(bucket)), [public]);
        // A trust policy's finding: on the role, its trust statement.
        let trust = l
            .all
            .iter()
            .find(|f| f.rule == "external.outside-org" && f.node.contains(":role/"))
            .unwrap();
        let m = mark(&org, trust).unwrap();
        assert_eq!(org.policy_name(m.policy), "trust policy");
        assert!(matches!(place(&org, trust), Some(Node::Role(_))));
        // A managed policy's statement.
        let pass = l
            .all
            .iter()
            .find(|f| f.rule == "policy.pass-role-any")
            .unwrap();
        let m = mark(&org, pass).unwrap();
        assert_eq!(Some(Node::Policy(m.policy)), place(&org, pass));
        // Every finding of acme has a place in the tree.
        for f in l.all.iter() {
            assert!(place(&org, f).is_some(), "{}", f.id);
            assert_eq!(mark(&org, f).is_some(), f.statement.is_some(), "{}", f.id);
        }
        // An account's own findings: the organization's about it, its root user's.
        let mgmt = org.management_account().unwrap();
        let own = l.about(&org, Node::Account(mgmt));
        assert!(
            own.iter()
                .all(|f| f.account.as_deref() == Some(&*org.account(mgmt).id))
        );
    }
}
