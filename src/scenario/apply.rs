//! Laying a scenario over an organization: the org is written as a native file's JSON
//! value (src/org/export.rs, each document as its exact text), each change edits that
//! value after checking that it applies, and the native reader builds the changed org
//! from scratch, compiling only the documents the loaded org does not hold. The loaded org
//! is never touched, and the changed org is built by the same rules as any org file:
//! every question asked of it is asked exactly as of a loaded one.

use serde_json::{Map, Value, json};

use super::change::{Change, Document, OrgPolicyKind, Scenario};
use super::error::ApplyError;
use crate::catalog::Catalog;
use crate::org::Org;
use crate::policy::{Policy, PolicyError, PolicyKind};

/// The organization as `scenario` changes it. `org` is left as it was.
///
/// In memory where every change is of a kind done there and applies
/// (src/scenario/in_memory.rs); otherwise, and for every error, by
/// [`apply_by_reload`].
pub fn apply(org: &Org, scenario: &Scenario) -> Result<Org, ApplyError> {
    match super::in_memory::apply_in_memory(org, scenario) {
        Some(changed) => Ok(changed),
        None => apply_by_reload(org, scenario),
    }
}

/// The reference: the org written as a native value, edited, and loaded anew.
pub fn apply_by_reload(org: &Org, scenario: &Scenario) -> Result<Org, ApplyError> {
    let mut native = Native(crate::org::export::to_native_verbatim(org));
    for (index, change) in scenario.changes.iter().enumerate() {
        native.apply(change).map_err(|f| ApplyError::Change {
            index,
            op: change.op(),
            field: f.field,
            message: f.message,
            policy: f.policy.map(Box::new),
        })?;
    }
    native.build(org)
}

/// Why one change does not apply, before it is given its place in the scenario.
struct Fault {
    field: Option<&'static str>,
    message: String,
    policy: Option<PolicyError>,
}

fn fault(field: &'static str, message: impl Into<String>) -> Fault {
    Fault {
        field: Some(field),
        message: message.into(),
        policy: None,
    }
}

/// Up to 30 names, then how many more: enough to spot a typo, short enough to read.
fn listing(mut names: Vec<String>) -> String {
    if names.is_empty() {
        return "(none)".to_string();
    }
    names.sort();
    names.dedup();
    let n = names.len();
    let mut shown = names.into_iter().take(30).collect::<Vec<_>>().join(", ");
    if n > 30 {
        shown.push_str(&format!(", and {} more", n - 30));
    }
    shown
}

/// A place in the tree that SCPs and RCPs attach to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Node {
    Root,
    Ou(usize),
    Account(usize),
}

/// Where an IAM entity is: its account's place in `accounts`, its table and name.
#[derive(Debug, Clone)]
struct Iam {
    account: usize,
    table: &'static str,
    name: String,
}

const USERS: &str = "users";
const GROUPS: &str = "groups";
const ROLES: &str = "roles";

fn singular(table: &str) -> &'static str {
    match table {
        USERS => "user",
        GROUPS => "group",
        _ => "role",
    }
}

/// The native file's JSON value, edited in place.
struct Native(Value);

fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn obj_mut<'a>(v: &'a mut Value, key: &str) -> &'a mut Map<String, Value> {
    let m = v.as_object_mut().expect("native values are objects");
    let e = m
        .entry(key.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    if !e.is_object() {
        *e = Value::Object(Map::new());
    }
    e.as_object_mut().expect("just made an object")
}

/// The key of `map` equal to `name` regardless of case (IAM names are unique that way).
fn key_ci(map: Option<&Map<String, Value>>, name: &str) -> Option<String> {
    map?.keys().find(|k| k.eq_ignore_ascii_case(name)).cloned()
}

fn parse_doc(
    doc: &Document,
    kind: PolicyKind,
    name: &str,
    field: &'static str,
) -> Result<Value, Fault> {
    if let Err(e) = Policy::parse(kind, name, doc.text()) {
        return Err(Fault {
            field: Some(field),
            message: e.message.clone(),
            policy: Some(e),
        });
    }
    serde_json::from_str(doc.text()).map_err(|e| fault(field, e.to_string()))
}

/// An OU id in AWS's shape (`ou-` and two runs of letters and digits) that no OU has
/// (`taken` says which are): later changes may name the new OU by it. The in-memory
/// path gives a new OU the same id.
pub(super) fn new_ou_id(name: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut slug: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .take(24)
        .collect();
    while slug.len() < 8 {
        slug.push('0');
    }
    let mut n = 0;
    loop {
        let id = if n == 0 {
            format!("ou-what-{slug}")
        } else {
            format!("ou-what{n}-{slug}")
        };
        if !taken(&id) {
            return id;
        }
        n += 1;
    }
}

impl Native {
    fn in_org(&self) -> bool {
        self.0.get("organization").is_some()
    }

    fn accounts(&self) -> &[Value] {
        self.0
            .get("accounts")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    fn account_mut(&mut self, i: usize) -> &mut Value {
        &mut self.0["accounts"][i]
    }

    fn ous(&self) -> &[Value] {
        self.0
            .get("ous")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    fn enabled(&self, kind: OrgPolicyKind) -> bool {
        let key = match kind {
            OrgPolicyKind::Scp => "scps_enabled",
            OrgPolicyKind::Rcp => "rcps_enabled",
        };
        self.0["organization"].get(key).and_then(Value::as_bool) != Some(false)
    }

    fn node_value(&self, n: Node) -> &Value {
        match n {
            Node::Root => &self.0["root"],
            Node::Ou(i) => &self.ous()[i],
            Node::Account(i) => &self.accounts()[i],
        }
    }

    fn node_value_mut(&mut self, n: Node) -> &mut Value {
        match n {
            Node::Root => &mut self.0["root"],
            Node::Ou(i) => &mut self.0["ous"][i],
            Node::Account(i) => &mut self.0["accounts"][i],
        }
    }

    fn node_label(&self, n: Node) -> String {
        match n {
            Node::Root => "the root".to_string(),
            Node::Ou(i) => format!("OU `{}`", str_of(&self.ous()[i], "name").unwrap_or("")),
            Node::Account(i) => format!(
                "account `{}`",
                str_of(&self.accounts()[i], "name").unwrap_or("")
            ),
        }
    }

    // ---- finding what a change names ------------------------------------------------

    fn org_tree(&self, field: &'static str) -> Result<(), Fault> {
        if self.in_org() {
            Ok(())
        } else {
            Err(fault(
                field,
                "the accounts are standalone (the file has no `organization`): there is no tree, and no SCP or RCP",
            ))
        }
    }

    fn node(&self, text: &str, field: &'static str) -> Result<Node, Fault> {
        self.org_tree(field)?;
        let root = &self.0["root"];
        if text.eq_ignore_ascii_case("root")
            || str_of(root, "id") == Some(text)
            || str_of(root, "name").unwrap_or("Root") == text
        {
            return Ok(Node::Root);
        }
        let named = |v: &Value| str_of(v, "id") == Some(text) || str_of(v, "name") == Some(text);
        let mut hits: Vec<Node> = Vec::new();
        hits.extend(
            (0..self.ous().len())
                .filter(|&i| named(&self.ous()[i]))
                .map(Node::Ou),
        );
        hits.extend(
            (0..self.accounts().len())
                .filter(|&i| named(&self.accounts()[i]))
                .map(Node::Account),
        );
        match hits.as_slice() {
            [one] => Ok(*one),
            [] => Err(fault(
                field,
                format!(
                    "no root, OU or account `{text}`; the OUs are: {}; the accounts are: {}",
                    listing(
                        self.ous()
                            .iter()
                            .filter_map(|o| str_of(o, "name"))
                            .map(String::from)
                            .collect()
                    ),
                    listing(
                        self.accounts()
                            .iter()
                            .filter_map(|a| str_of(a, "name"))
                            .map(String::from)
                            .collect()
                    ),
                ),
            )),
            many => Err(fault(
                field,
                format!(
                    "`{text}` names several: {}; give an id",
                    many.iter()
                        .map(|&n| format!(
                            "{} ({})",
                            self.node_label(n),
                            str_of(self.node_value(n), "id").unwrap_or("")
                        ))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }

    /// The root or an OU: where accounts and OUs can be moved.
    fn parent(&self, text: &str, field: &'static str) -> Result<Node, Fault> {
        match self.node(text, field)? {
            Node::Account(_) => Err(fault(
                field,
                format!("`{text}` is an account; accounts and OUs move under the root or an OU"),
            )),
            n => Ok(n),
        }
    }

    fn account(&self, text: &str, field: &'static str) -> Result<usize, Fault> {
        let hits: Vec<usize> = (0..self.accounts().len())
            .filter(|&i| {
                let a = &self.accounts()[i];
                str_of(a, "id") == Some(text) || str_of(a, "name") == Some(text)
            })
            .collect();
        match hits.as_slice() {
            [one] => Ok(*one),
            [] => Err(fault(
                field,
                format!(
                    "no account `{text}`; the accounts are: {}",
                    listing(
                        self.accounts()
                            .iter()
                            .map(|a| format!(
                                "{} ({})",
                                str_of(a, "name").unwrap_or(""),
                                str_of(a, "id").unwrap_or("")
                            ))
                            .collect()
                    )
                ),
            )),
            _ => Err(fault(
                field,
                format!("`{text}` names several accounts; give its 12-digit id"),
            )),
        }
    }

    fn ou(&self, text: &str, field: &'static str) -> Result<usize, Fault> {
        match self.node(text, field)? {
            Node::Ou(i) => Ok(i),
            _ => Err(fault(
                field,
                format!(
                    "`{text}` is not an OU; the OUs are: {}",
                    listing(
                        self.ous()
                            .iter()
                            .filter_map(|o| str_of(o, "name"))
                            .map(String::from)
                            .collect()
                    )
                ),
            )),
        }
    }

    fn org_policy(
        &self,
        kind: OrgPolicyKind,
        text: &str,
        field: &'static str,
    ) -> Result<String, Fault> {
        self.org_tree(field)?;
        if let Some(defs) = self.0.get(kind.key()).and_then(Value::as_object) {
            for (name, def) in defs {
                if name == text
                    || str_of(def, "id") == Some(text)
                    || str_of(def, "arn") == Some(text)
                {
                    return Ok(name.clone());
                }
            }
        }
        if let Some(info) = Catalog::get().org_policy_info(text)
            && info.kind == kind.policy_kind()
        {
            return Ok(info.name.clone());
        }
        let mut names: Vec<String> = self
            .0
            .get(kind.key())
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        names.push(kind.builtin().to_string());
        Err(fault(
            field,
            format!(
                "no {} `{text}`; the {}s are: {}",
                kind.label(),
                kind.label(),
                listing(names)
            ),
        ))
    }

    /// The policies attached to a node; an absent list is AWS's default.
    fn attached(&self, kind: OrgPolicyKind, n: Node) -> Vec<String> {
        match self.node_value(n).get(kind.key()).and_then(Value::as_array) {
            Some(list) => list
                .iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect(),
            None if self.enabled(kind) => vec![kind.builtin().to_string()],
            None => Vec::new(),
        }
    }

    fn set_attached(&mut self, kind: OrgPolicyKind, n: Node, list: Vec<String>) {
        self.node_value_mut(n)[kind.key()] = json!(list);
    }

    fn iam(&self, text: &str, tables: &[&'static str], field: &'static str) -> Result<Iam, Fault> {
        let what = tables
            .iter()
            .map(|t| singular(t))
            .collect::<Vec<_>>()
            .join(" or ");
        if let Some(arn) = crate::policy::Arn::parse(text) {
            let (kind, rest) = arn.resource().split_once('/').unwrap_or(("", ""));
            let name = rest.rsplit('/').next().unwrap_or(rest);
            let table = tables.iter().copied().find(|t| singular(t) == kind);
            let account = (0..self.accounts().len())
                .find(|&i| str_of(&self.accounts()[i], "id") == Some(arn.account()));
            if let (Some(table), Some(account)) = (table, account)
                && let Some(name) = key_ci(
                    self.accounts()[account]
                        .get(table)
                        .and_then(Value::as_object),
                    name,
                )
            {
                return Ok(Iam {
                    account,
                    table,
                    name,
                });
            }
            return Err(fault(
                field,
                format!("no {what} `{text}` in the organization"),
            ));
        }
        let mut hits = Vec::new();
        for (i, a) in self.accounts().iter().enumerate() {
            for &t in tables {
                if a.get(t)
                    .and_then(Value::as_object)
                    .is_some_and(|m| m.contains_key(text))
                {
                    hits.push(Iam {
                        account: i,
                        table: t,
                        name: text.to_string(),
                    });
                }
            }
        }
        match hits.len() {
            1 => Ok(hits.remove(0)),
            0 => {
                let mut names = Vec::new();
                for a in self.accounts() {
                    for &t in tables {
                        names.extend(
                            a.get(t)
                                .and_then(Value::as_object)
                                .into_iter()
                                .flat_map(|m| m.keys().cloned()),
                        );
                    }
                }
                Err(fault(
                    field,
                    format!("no {what} `{text}`; the {what}s are: {}", listing(names)),
                ))
            }
            _ => Err(fault(
                field,
                format!(
                    "`{text}` names several; give one of their ARNs: {}",
                    hits.iter()
                        .map(|h| self.iam_arn(h))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }

    fn iam_arn(&self, h: &Iam) -> String {
        let a = &self.accounts()[h.account];
        let path = a[h.table][&h.name]
            .get("path")
            .and_then(Value::as_str)
            .unwrap_or("/");
        format!(
            "arn:aws:iam::{}:{}{path}{}",
            str_of(a, "id").unwrap_or(""),
            singular(h.table),
            h.name
        )
    }

    fn iam_mut(&mut self, h: &Iam) -> &mut Value {
        &mut self.0["accounts"][h.account][h.table][&h.name]
    }

    /// A managed policy as a principal of `account` refers to it: a customer managed
    /// policy of the same account by name, an AWS managed one by ARN.
    fn managed_ref(
        &self,
        account: usize,
        text: &str,
        field: &'static str,
    ) -> Result<String, Fault> {
        let a = &self.accounts()[account];
        let own = a.get("policies").and_then(Value::as_object);
        if text.contains(":iam::aws:policy/") {
            let known = Catalog::get().managed_policy(text).is_some()
                || self
                    .0
                    .get("aws_managed")
                    .and_then(Value::as_object)
                    .is_some_and(|m| m.contains_key(text));
            return if known {
                Ok(text.to_string())
            } else {
                Err(fault(
                    field,
                    format!("no AWS managed policy `{text}` in the catalog"),
                ))
            };
        }
        let name = match crate::policy::Arn::parse(text) {
            Some(arn) => {
                if arn.account() != str_of(a, "id").unwrap_or("") {
                    return Err(fault(
                        field,
                        format!(
                            "`{text}` is a policy of account {}: a customer managed policy attaches only in its own account, {}",
                            arn.account(),
                            str_of(a, "id").unwrap_or("")
                        ),
                    ));
                }
                arn.resource().rsplit('/').next().unwrap_or("").to_string()
            }
            None => text.to_string(),
        };
        if let Some(k) = key_ci(own, &name) {
            return Ok(k);
        }
        if let Some(m) = Catalog::get().managed_policy(text) {
            return Err(fault(
                field,
                format!(
                    "`{text}` is an AWS managed policy: give its ARN, `{}`",
                    m.arn
                ),
            ));
        }
        Err(fault(
            field,
            format!(
                "no managed policy `{text}` in account `{}`; its policies are: {}",
                str_of(a, "name").unwrap_or(""),
                listing(own.map(|m| m.keys().cloned().collect()).unwrap_or_default())
            ),
        ))
    }

    /// DeletePolicy on a customer managed policy: refused while it is attached to a
    /// user, group or role, naming them, as AWS refuses it
    /// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeletePolicy.html).
    /// A policy set as a permissions boundary is refused too: IAM counts those uses
    /// apart, and deleting one would widen what its principal may do.
    fn delete_managed_policy(&mut self, account: &str, name: &str) -> Result<(), Fault> {
        let a = self.account(account, "account")?;
        let acct = &self.accounts()[a];
        let own = acct.get("policies").and_then(Value::as_object);
        let Some(key) = key_ci(own, name) else {
            return Err(fault(
                "name",
                format!(
                    "account `{account}` has no customer managed policy `{name}`; its policies are: {}",
                    listing(own.map(|m| m.keys().cloned().collect()).unwrap_or_default())
                ),
            ));
        };
        let (mut holders, mut bounded) = (Vec::new(), false);
        for table in [USERS, GROUPS, ROLES] {
            for (who, v) in acct
                .get(table)
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let what = singular(table);
                if Self::list_of(v, "managed").contains(&key) {
                    holders.push(format!("{what} {who}"));
                }
                if str_of(v, "boundary") == Some(key.as_str()) {
                    holders.push(format!("{what} {who} (as its permissions boundary)"));
                    bounded = true;
                }
            }
        }
        if !holders.is_empty() {
            return Err(fault(
                "name",
                format!(
                    "`{key}` is attached to {}: detach it first{} (AWS refuses to delete a policy attached to a user, group or role)",
                    listing(holders),
                    if bounded {
                        ", and remove it as a boundary (remove_boundary)"
                    } else {
                        ""
                    }
                ),
            ));
        }
        obj_mut(self.account_mut(a), "policies").remove(&key);
        Ok(())
    }

    fn list_of(v: &Value, key: &str) -> Vec<String> {
        v.get(key)
            .and_then(Value::as_array)
            .map(|l| {
                l.iter()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The account that holds a resource, and its key there.
    fn resource(&self, arn: &str) -> Option<(usize, String)> {
        self.accounts().iter().enumerate().find_map(|(i, a)| {
            a.get("resources")
                .and_then(Value::as_object)
                .filter(|m| m.contains_key(arn))
                .map(|_| (i, arn.to_string()))
        })
    }

    /// Is `ou` the OU `ancestor` or below it?
    fn under(&self, ou: usize, ancestor: usize) -> bool {
        let mut cur = Some(ou);
        let mut steps = 0;
        while let Some(o) = cur {
            if o == ancestor {
                return true;
            }
            steps += 1;
            if steps > self.ous().len() {
                return false;
            }
            cur = match str_of(&self.ous()[o], "parent") {
                None | Some("root") => None,
                Some(p) => self
                    .ous()
                    .iter()
                    .position(|x| str_of(x, "id") == Some(p) || str_of(x, "name") == Some(p)),
            };
        }
        false
    }

    fn parent_ref(&self, n: Node) -> Value {
        match n {
            Node::Ou(i) => self.ous()[i]["id"].clone(),
            _ => json!("root"),
        }
    }

    fn same_parent(&self, v: &Value, n: Node) -> bool {
        let p = str_of(v, "parent").unwrap_or("root");
        match n {
            Node::Root => p == "root",
            Node::Ou(i) => Some(p) == str_of(&self.ous()[i], "id"),
            Node::Account(_) => false,
        }
    }

    // ---- the changes ----------------------------------------------------------------

    fn apply(&mut self, c: &Change) -> Result<(), Fault> {
        match c {
            Change::Attach {
                kind,
                policy,
                target,
            } => {
                let name = self.org_policy(*kind, policy, "policy")?;
                let node = self.node(target, "target")?;
                if !self.enabled(*kind) {
                    return Err(fault(
                        "policy",
                        format!("{}s are not enabled in this organization", kind.label()),
                    ));
                }
                let mut list = self.attached(*kind, node);
                if list.contains(&name) {
                    return Err(fault(
                        "policy",
                        format!("`{name}` is already attached to {}", self.node_label(node)),
                    ));
                }
                list.push(name);
                self.set_attached(*kind, node, list);
            }
            Change::Detach {
                kind,
                policy,
                target,
            } => {
                let name = self.org_policy(*kind, policy, "policy")?;
                let node = self.node(target, "target")?;
                let mut list = self.attached(*kind, node);
                let Some(at) = list.iter().position(|p| *p == name) else {
                    return Err(fault(
                        "policy",
                        format!(
                            "`{name}` is not attached to {}; attached there: {}",
                            self.node_label(node),
                            listing(list)
                        ),
                    ));
                };
                if *kind == OrgPolicyKind::Rcp && name == kind.builtin() {
                    return Err(fault(
                        "policy",
                        "AWS does not let RCPFullAWSAccess be detached",
                    ));
                }
                if *kind == OrgPolicyKind::Scp && list.len() == 1 {
                    return Err(fault(
                        "policy",
                        format!(
                            "AWS refuses to detach the last SCP of {}: attach another first",
                            self.node_label(node)
                        ),
                    ));
                }
                list.remove(at);
                self.set_attached(*kind, node, list);
            }
            Change::CreateOrgPolicy {
                kind,
                name,
                description,
                document,
            } => {
                self.org_tree("name")?;
                if self.org_policy(*kind, name, "name").is_ok() {
                    return Err(fault(
                        "name",
                        format!("an {} named `{name}` exists already", kind.label()),
                    ));
                }
                let doc = parse_doc(document, kind.policy_kind(), name, "document")?;
                let mut def = Map::new();
                if let Some(d) = description {
                    def.insert("description".into(), json!(d));
                }
                def.insert("document".into(), doc);
                obj_mut(&mut self.0, kind.key()).insert(name.clone(), Value::Object(def));
            }
            Change::EditOrgPolicy {
                kind,
                policy,
                document,
            } => {
                let name = self.org_policy(*kind, policy, "policy")?;
                if name == kind.builtin() {
                    return Err(fault(
                        "policy",
                        format!(
                            "{name} is managed by AWS and cannot be changed; create a policy instead"
                        ),
                    ));
                }
                let doc = parse_doc(document, kind.policy_kind(), &name, "document")?;
                self.0[kind.key()][&name]["document"] = doc;
            }
            Change::DeleteOrgPolicy { kind, policy } => {
                let name = self.org_policy(*kind, policy, "policy")?;
                if name == kind.builtin() {
                    return Err(fault(
                        "policy",
                        format!("{name} is managed by AWS and cannot be deleted"),
                    ));
                }
                let mut nodes = vec![Node::Root];
                nodes.extend((0..self.ous().len()).map(Node::Ou));
                nodes.extend((0..self.accounts().len()).map(Node::Account));
                let at: Vec<String> = nodes
                    .into_iter()
                    .filter(|&n| self.attached(*kind, n).contains(&name))
                    .map(|n| self.node_label(n))
                    .collect();
                if !at.is_empty() {
                    return Err(fault(
                        "policy",
                        format!(
                            "`{name}` is attached to {}: detach it first (AWS refuses to delete an attached policy)",
                            at.join(", ")
                        ),
                    ));
                }
                obj_mut(&mut self.0, kind.key()).remove(&name);
            }
            Change::MoveAccount { account, to } => {
                self.org_tree("account")?;
                let a = self.account(account, "account")?;
                let dest = self.parent(to, "to")?;
                if self.same_parent(&self.accounts()[a], dest) {
                    return Err(fault(
                        "to",
                        format!("the account is under {} already", self.node_label(dest)),
                    ));
                }
                let p = self.parent_ref(dest);
                self.account_mut(a)["parent"] = p;
            }
            Change::CreateOu { name, parent } => {
                let dest = self.parent(parent, "parent")?;
                if self
                    .ous()
                    .iter()
                    .any(|o| str_of(o, "name") == Some(name) && self.same_parent(o, dest))
                {
                    return Err(fault(
                        "name",
                        format!(
                            "{} holds an OU named `{name}` already",
                            self.node_label(dest)
                        ),
                    ));
                }
                let id = new_ou_id(name, |id| {
                    self.ous().iter().any(|o| str_of(o, "id") == Some(id))
                });
                let mut ou = Map::new();
                ou.insert("id".into(), json!(id));
                ou.insert("name".into(), json!(name));
                ou.insert("parent".into(), self.parent_ref(dest));
                match self.0.get_mut("ous").and_then(Value::as_array_mut) {
                    Some(list) => list.push(Value::Object(ou)),
                    None => self.0["ous"] = json!([ou]),
                }
            }
            Change::MoveOu { ou, to } => {
                let o = self.ou(ou, "ou")?;
                let dest = self.parent(to, "to")?;
                if let Node::Ou(d) = dest
                    && self.under(d, o)
                {
                    return Err(fault(
                        "to",
                        format!(
                            "{} is the OU itself or below it: an OU cannot move under itself",
                            self.node_label(dest)
                        ),
                    ));
                }
                if self.same_parent(&self.ous()[o], dest) {
                    return Err(fault(
                        "to",
                        format!("the OU is under {} already", self.node_label(dest)),
                    ));
                }
                let p = self.parent_ref(dest);
                self.0["ous"][o]["parent"] = p;
            }
            Change::PutManagedPolicy {
                account,
                name,
                document,
            } => {
                let a = self.account(account, "account")?;
                let doc = parse_doc(document, PolicyKind::Identity, name, "document")?;
                let acct = self.account_mut(a);
                let existing = key_ci(acct.get("policies").and_then(Value::as_object), name);
                let policies = obj_mut(acct, "policies");
                match existing {
                    Some(k) => policies[&k]["document"] = doc,
                    None => {
                        policies.insert(name.clone(), json!({ "document": doc }));
                    }
                }
            }
            Change::PutInlinePolicy {
                principal,
                name,
                document,
            } => {
                let who = self.iam(principal, &[USERS, GROUPS, ROLES], "principal")?;
                let doc = parse_doc(document, PolicyKind::Identity, name, "document")?;
                let v = self.iam_mut(&who);
                let key = key_ci(v.get("inline").and_then(Value::as_object), name)
                    .unwrap_or_else(|| name.clone());
                obj_mut(v, "inline").insert(key, doc);
            }
            Change::DeleteInlinePolicy { principal, name } => {
                let who = self.iam(principal, &[USERS, GROUPS, ROLES], "principal")?;
                let v = self.iam_mut(&who);
                let inline = v.get("inline").and_then(Value::as_object);
                let Some(key) = key_ci(inline, name) else {
                    return Err(fault(
                        "name",
                        format!(
                            "`{principal}` has no inline policy `{name}`; its inline policies are: {}",
                            listing(
                                inline
                                    .map(|m| m.keys().cloned().collect())
                                    .unwrap_or_default()
                            )
                        ),
                    ));
                };
                obj_mut(v, "inline").remove(&key);
            }
            Change::AttachManagedPolicy { principal, policy } => {
                let who = self.iam(principal, &[USERS, GROUPS, ROLES], "principal")?;
                let r = self.managed_ref(who.account, policy, "policy")?;
                let v = self.iam_mut(&who);
                let mut list = Self::list_of(v, "managed");
                if list.contains(&r) {
                    return Err(fault(
                        "policy",
                        format!("`{r}` is attached to `{principal}` already"),
                    ));
                }
                list.push(r);
                v["managed"] = json!(list);
            }
            Change::DetachManagedPolicy { principal, policy } => {
                let who = self.iam(principal, &[USERS, GROUPS, ROLES], "principal")?;
                let r = self.managed_ref(who.account, policy, "policy")?;
                let v = self.iam_mut(&who);
                let mut list = Self::list_of(v, "managed");
                let Some(at) = list.iter().position(|p| *p == r) else {
                    return Err(fault(
                        "policy",
                        format!(
                            "`{r}` is not attached to `{principal}`; attached: {}",
                            listing(list)
                        ),
                    ));
                };
                list.remove(at);
                v["managed"] = json!(list);
            }
            Change::AddUserToGroup { user, group }
            | Change::RemoveUserFromGroup { user, group } => {
                let u = self.iam(user, &[USERS], "user")?;
                let g = self.group_of_account(u.account, group)?;
                let v = self.iam_mut(&u);
                let mut list = Self::list_of(v, "groups");
                let at = list.iter().position(|x| x.eq_ignore_ascii_case(&g));
                match (c, at) {
                    (Change::AddUserToGroup { .. }, None) => list.push(g),
                    (Change::AddUserToGroup { .. }, Some(_)) => {
                        return Err(fault("group", format!("`{user}` is in `{g}` already")));
                    }
                    (_, Some(i)) => {
                        list.remove(i);
                    }
                    (_, None) => {
                        return Err(fault(
                            "group",
                            format!(
                                "`{user}` is not in `{g}`; its groups are: {}",
                                listing(list)
                            ),
                        ));
                    }
                }
                v["groups"] = json!(list);
            }
            Change::SetBoundary { principal, policy } => {
                let who = self.iam(principal, &[USERS, ROLES], "principal")?;
                let r = self.managed_ref(who.account, policy, "policy")?;
                self.iam_mut(&who)["boundary"] = json!(r);
            }
            Change::RemoveBoundary { principal } => {
                let who = self.iam(principal, &[USERS, ROLES], "principal")?;
                let v = self.iam_mut(&who);
                if v.as_object_mut()
                    .and_then(|m| m.remove("boundary"))
                    .is_none()
                {
                    return Err(fault(
                        "principal",
                        format!("`{principal}` has no permissions boundary"),
                    ));
                }
            }
            Change::DeleteManagedPolicy { account, name } => {
                self.delete_managed_policy(account, name)?;
            }
            Change::SetTrustPolicy { role, document } => {
                let who = self.iam(role, &[ROLES], "role")?;
                let doc = parse_doc(document, PolicyKind::Resource, "trust policy", "document")?;
                self.iam_mut(&who)["trust"] = doc;
            }
            Change::CreateUser {
                account,
                name,
                path,
            }
            | Change::CreateRole {
                account,
                name,
                path,
                ..
            } => {
                let a = self.account(account, "account")?;
                let table = if matches!(c, Change::CreateUser { .. }) {
                    USERS
                } else {
                    ROLES
                };
                if key_ci(
                    self.accounts()[a].get(table).and_then(Value::as_object),
                    name,
                )
                .is_some()
                {
                    return Err(fault(
                        "name",
                        format!(
                            "account `{account}` has a {} named `{name}` already",
                            singular(table)
                        ),
                    ));
                }
                let mut def = Map::new();
                if let Some(p) = path {
                    def.insert("path".into(), json!(p));
                }
                if let Change::CreateRole { trust, .. } = c {
                    def.insert(
                        "trust".into(),
                        parse_doc(trust, PolicyKind::Resource, "trust policy", "trust")?,
                    );
                }
                obj_mut(self.account_mut(a), table).insert(name.clone(), Value::Object(def));
            }
            Change::PutResourcePolicy {
                resource,
                account,
                document,
            } => {
                let Some(arn) = crate::policy::Arn::parse(resource) else {
                    return Err(fault(
                        "resource",
                        format!("`{resource}` is not an ARN; resources are named by ARN"),
                    ));
                };
                let held = self.resource(resource);
                let a = match (&held, account) {
                    (Some((i, _)), None) => *i,
                    (Some((i, _)), Some(given)) => {
                        let g = self.account(given, "account")?;
                        if g != *i {
                            return Err(fault(
                                "account",
                                format!(
                                    "`{resource}` is in account {}, not `{given}`",
                                    str_of(&self.accounts()[*i], "id").unwrap_or("")
                                ),
                            ));
                        }
                        g
                    }
                    (None, given) => {
                        let from_arn = (!arn.account().is_empty())
                            .then(|| self.account(arn.account(), "resource"))
                            .transpose()?;
                        let given = given
                            .as_deref()
                            .map(|g| self.account(g, "account"))
                            .transpose()?;
                        match (from_arn, given) {
                            (Some(x), Some(y)) if x != y => {
                                return Err(fault(
                                    "account",
                                    format!(
                                        "the ARN names account {}, not `{}`",
                                        arn.account(),
                                        account.as_deref().unwrap_or("")
                                    ),
                                ));
                            }
                            (Some(x), _) | (None, Some(x)) => x,
                            (None, None) => {
                                return Err(fault(
                                    "account",
                                    format!(
                                        "`{resource}` names no account (as S3 ARNs do) and the organization does not hold it: give `account`"
                                    ),
                                ));
                            }
                        }
                    }
                };
                let doc = parse_doc(
                    document,
                    PolicyKind::Resource,
                    "resource policy",
                    "document",
                )?;
                let resources = obj_mut(self.account_mut(a), "resources");
                match resources.get_mut(resource.as_str()) {
                    Some(r) => r["policy"] = doc,
                    None => {
                        resources.insert(resource.clone(), json!({ "policy": doc }));
                    }
                }
            }
            Change::DeleteResourcePolicy { resource } => {
                let held = self.resource(resource).filter(|(a, key)| {
                    self.accounts()[*a]["resources"][key]
                        .get("policy")
                        .is_some()
                });
                let Some((a, key)) = held else {
                    let all: Vec<String> = self
                        .accounts()
                        .iter()
                        .flat_map(|a| {
                            a.get("resources")
                                .and_then(Value::as_object)
                                .into_iter()
                                .flat_map(|m| m.iter())
                                .filter(|(_, v)| v.get("policy").is_some())
                                .map(|(k, _)| k.clone())
                        })
                        .collect();
                    return Err(fault(
                        "resource",
                        format!(
                            "no resource `{resource}` with a policy; the resources are: {}",
                            listing(all)
                        ),
                    ));
                };
                // The policy goes; the resource, in its account, stays (AWS's
                // DeleteBucketPolicy and the like delete the policy, not the resource).
                if let Some(r) = obj_mut(self.account_mut(a), "resources")
                    .get_mut(&key)
                    .and_then(Value::as_object_mut)
                {
                    r.remove("policy");
                }
            }
        }
        Ok(())
    }

    fn group_of_account(&self, account: usize, text: &str) -> Result<String, Fault> {
        let a = &self.accounts()[account];
        let groups = a.get(GROUPS).and_then(Value::as_object);
        let name = match crate::policy::Arn::parse(text) {
            Some(arn) if arn.account() != str_of(a, "id").unwrap_or("") => {
                return Err(fault(
                    "group",
                    format!(
                        "`{text}` is a group of another account; a user joins only its own account's groups"
                    ),
                ));
            }
            Some(arn) => arn.resource().rsplit('/').next().unwrap_or("").to_string(),
            None => text.to_string(),
        };
        key_ci(groups, &name).ok_or_else(|| {
            fault(
                "group",
                format!(
                    "no group `{text}` in account `{}`; its groups are: {}",
                    str_of(a, "name").unwrap_or(""),
                    listing(
                        groups
                            .map(|m| m.keys().cloned().collect())
                            .unwrap_or_default()
                    )
                ),
            )
        })
    }

    /// The changed org, loaded from the edited value; the documents `org` holds with
    /// the same text keep its compiled policies.
    fn build(self, org: &Org) -> Result<Org, ApplyError> {
        let text =
            serde_json::to_string(&self.0).map_err(|e| ApplyError::Rebuild(e.to_string()))?;
        let (org, report) =
            crate::org::load_str_reusing("(the organization as changed)", &text, org);
        org.ok_or_else(|| {
            let errors: Vec<String> = report.errors().take(20).map(|f| format!("  {f}")).collect();
            ApplyError::Rebuild(errors.join("\n"))
        })
    }
}
