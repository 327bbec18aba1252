//! The problems an organization was opened with: the validator's findings as a list
//! a user walks, each taken back to the node of the tree it concerns when its JSON
//! path names one. No terminal here.

use crate::org::{AccountIx, Entity, Finding, Org, OuIx, Report, Severity};
use crate::tui::nodes::{Node, node_of};

/// The findings, errors first, and the one selected.
#[derive(Debug, Clone, Default)]
pub struct Problems {
    pub findings: Vec<Finding>,
    pub errors: usize,
    pub selected: usize,
}

impl Problems {
    pub fn new(report: &Report) -> Problems {
        let mut findings = report.findings.clone();
        // Stable: the report's file order stays within each severity.
        findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
        Problems {
            errors: report.errors().count(),
            findings,
            selected: 0,
        }
    }

    /// Adds findings (the config file's); errors stay first.
    pub fn add(&mut self, more: Vec<Finding>) {
        self.errors += more.iter().filter(|f| is_error(f)).count();
        self.findings.extend(more);
        self.findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    }

    pub fn is_empty(&self) -> bool {
        self.findings.is_empty()
    }

    pub fn warnings(&self) -> usize {
        self.findings.len() - self.errors
    }

    /// Moves the selection by `delta`, within the list.
    pub fn step(&mut self, delta: isize) {
        let last = self.findings.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    pub fn current(&self) -> Option<&Finding> {
        self.findings.get(self.selected)
    }

    /// `2 errors and 1 warning`.
    pub fn summary(&self) -> String {
        let count = |n: usize, what: &str| {
            format!(
                "{} {what}{}",
                super::query::build::thousands(n),
                if n == 1 { "" } else { "s" }
            )
        };
        match (self.errors, self.warnings()) {
            (0, w) => count(w, "warning"),
            (e, 0) => count(e, "error"),
            (e, w) => format!("{} and {}", count(e, "error"), count(w, "warning")),
        }
    }
}

/// The deepest node of the tree a finding's JSON path names, as far as the org
/// holds it: `accounts[0].users.alice.groups[1]` is the user alice of the first
/// account; `scps.Guardrails.document` the SCP Guardrails. `None` when the path names
/// nothing the org has (a file as a whole, or what did not load).
pub fn place(org: &Org, f: &Finding) -> Option<Node> {
    let segs = segments(&f.json_path);
    let mut node = None;
    let mut account: Option<AccountIx> = None;
    let mut i = 0;
    while i < segs.len() {
        let next = segs.get(i + 1).map(String::as_str);
        let found = match (segs[i].as_str(), next) {
            ("root", _) if i == 0 => Some(Node::Root),
            ("organization", _) if i == 0 => Some(Node::Root),
            ("ous", Some(n)) if i == 0 => n
                .parse::<usize>()
                .ok()
                .filter(|&n| n < org.ous().len())
                .map(|n| Node::Ou(OuIx::new(n))),
            ("accounts", Some(n)) if i == 0 => {
                account = n
                    .parse::<usize>()
                    .ok()
                    .filter(|&n| n < org.accounts().len())
                    .map(AccountIx::new);
                account.map(Node::Account)
            }
            ("scps" | "rcps", Some(name)) if i == 0 => org_policy(org, name),
            (kind @ ("users" | "groups" | "roles" | "policies" | "resources"), Some(name)) => {
                account.and_then(|a| in_account(org, a, kind, name))
            }
            _ => None,
        };
        match found {
            Some(n) => {
                node = Some(n);
                i += 2;
            }
            None => i += 1,
        }
        // What follows an account's own entity (a group of a user) is not a node.
        if matches!(
            node,
            Some(Node::User(_) | Node::Group(_) | Node::Role(_) | Node::Policy(_))
        ) || matches!(node, Some(Node::Resource(_)))
        {
            break;
        }
    }
    // An export directory keeps an account's IAM in a file named by its id.
    node.or_else(|| {
        let stem = f.file.file_stem()?.to_str()?;
        org.account_by_id(stem).map(Node::Account)
    })
}

/// What a finding names in an account that is not in the org (it was refused):
/// `role `App``, for the status line when its account is shown instead.
pub fn not_loaded(org: &Org, f: &Finding) -> Option<String> {
    let segs = segments(&f.json_path);
    let [first, index, kind, name, ..] = segs.as_slice() else {
        return None;
    };
    let a = index
        .parse::<usize>()
        .ok()
        .filter(|&n| n < org.accounts().len());
    let word = match kind.as_str() {
        "users" => "user",
        "groups" => "group",
        "roles" => "role",
        "policies" => "policy",
        "resources" => "resource",
        _ => return None,
    };
    (first == "accounts" && in_account(org, AccountIx::new(a?), kind, name).is_none())
        .then(|| format!("{word} `{}`", crate::tui::sanitize::clean(name)))
}

/// An SCP or RCP by name.
fn org_policy(org: &Org, name: &str) -> Option<Node> {
    org.policies()
        .iter()
        .enumerate()
        .map(|(i, _)| crate::org::PolicyIx::new(i))
        .find(|&p| {
            matches!(
                org.policy(p).origin,
                crate::org::PolicyOrigin::Scp | crate::org::PolicyOrigin::Rcp
            ) && org.policy_name(p) == name
        })
        .map(Node::Policy)
}

/// A user, group, role, customer managed policy or resource of an account, by the
/// name (or ARN) the file keys it with.
fn in_account(org: &Org, a: AccountIx, kind: &str, name: &str) -> Option<Node> {
    let acc = org.account(a);
    let named = |e: Entity| org.name(e) == name;
    let node = |e: Entity| node_of(org, e);
    match kind {
        "users" => acc
            .users
            .iter()
            .map(|&u| Entity::User(u))
            .find(|&e| named(e)),
        "groups" => acc
            .groups
            .iter()
            .map(|&g| Entity::Group(g))
            .find(|&e| named(e)),
        "roles" => acc
            .roles
            .iter()
            .map(|&r| Entity::Role(r))
            .find(|&e| named(e)),
        "policies" => acc
            .policies
            .iter()
            .map(|&p| Entity::Policy(p))
            .find(|&e| named(e)),
        _ => org.resource_by_arn(name).map(Entity::Resource),
    }
    .map(node)
}

/// `accounts[1].resources["arn:aws:s3:::b"].policy` -> `accounts`, `1`, `resources`,
/// `arn:aws:s3:::b`, `policy`.
fn segments(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => out.extend((!cur.is_empty()).then(|| std::mem::take(&mut cur))),
            '[' => {
                out.extend((!cur.is_empty()).then(|| std::mem::take(&mut cur)));
                if chars.peek() == Some(&'"') {
                    chars.next();
                    let mut quoted = String::new();
                    while let Some(q) = chars.next() {
                        match q {
                            '\\' => quoted.extend(chars.next()),
                            '"' => break,
                            q => quoted.push(q),
                        }
                    }
                    out.push(quoted);
                    // The closing `]`.
                    chars.next();
                } else {
                    for d in chars.by_ref() {
                        if d == ']' {
                            break;
                        }
                        cur.push(d);
                    }
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    out.extend((!cur.is_empty()).then_some(cur));
    out
}

/// Whether a finding stops answers from being whole.
pub fn is_error(f: &Finding) -> bool {
    f.severity == Severity::Error
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_into_keys_and_indexes() {
        assert_eq!(
            segments(r#"accounts[1].resources["arn:aws:s3:::b"].policy"#),
            ["accounts", "1", "resources", "arn:aws:s3:::b", "policy"]
        );
        assert_eq!(
            segments("accounts[0].users.alice.groups[1]"),
            ["accounts", "0", "users", "alice", "groups", "1"]
        );
        assert!(segments("").is_empty());
    }

    fn finding(path: &str) -> Finding {
        Finding {
            severity: Severity::Error,
            file: "x.json".into(),
            json_path: path.into(),
            line: 1,
            column: 1,
            message: String::new(),
        }
    }

    #[test]
    fn a_path_is_placed_on_the_deepest_node_it_names() {
        let org = crate::org::load_builtin_acme();
        let name = |n: Option<Node>| n.and_then(|n| n.entity()).map(|e| org.name(e).to_string());
        let first = org.account(AccountIx::new(0)).name.to_string();
        assert_eq!(name(place(&org, &finding("accounts[0].id"))), Some(first));
        let (i, u) = (0..org.accounts().len())
            .find_map(|i| Some((i, *org.account(AccountIx::new(i)).users.first()?)))
            .unwrap();
        let p = format!("accounts[{i}].users.{}.groups[0]", org.user(u).name());
        assert_eq!(place(&org, &finding(&p)), Some(Node::User(u)));
        assert_eq!(place(&org, &finding("root.scps[1]")), Some(Node::Root));
        assert_eq!(place(&org, &finding("")), None);
        assert_eq!(place(&org, &finding("accounts[999].users.x")), None);
        // A refused entity: its account is the place, and the status says so.
        let missing = finding("accounts[0].roles.Nope.path");
        assert_eq!(
            place(&org, &missing),
            Some(Node::Account(AccountIx::new(0)))
        );
        assert_eq!(not_loaded(&org, &missing).as_deref(), Some("role `Nope`"));
        assert_eq!(not_loaded(&org, &finding(&p)), None);
        // In an export directory, the file names the account.
        let mut f = finding("UserDetailList[0]");
        f.file = "export/get-account-authorization-details/222222222222.json".into();
        let security = org.account_by_id("222222222222").unwrap();
        assert_eq!(place(&org, &f), Some(Node::Account(security)));
    }
}
