//! The scenario file (docs/scenarios.md, assets/scenario-schema.json): read with every
//! mistake located (file, line:column, JSON path), written back atomically.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::value::RawValue;

use super::change::{Change, Document, OrgPolicyKind, Scenario};
use super::error::{ApplyError, Located, ScenarioError};
use crate::org::Org;
use crate::org::locate::{LineIndex, locate_all};
use crate::org::report::{JsonPath, jpath};

/// A scenario read from a file, with its text kept to locate later errors (a change
/// that does not apply is reported at its place in the file).
#[derive(Debug, Clone)]
pub struct ScenarioFile {
    pub path: PathBuf,
    pub text: String,
    pub scenario: Scenario,
}

impl ScenarioFile {
    /// Reads and checks the shape of a scenario file; whether each change applies is
    /// checked by [`ScenarioFile::apply`].
    pub fn load(path: &Path) -> Result<ScenarioFile, ScenarioError> {
        let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_text(path, text)
    }

    pub fn from_text(path: &Path, text: String) -> Result<ScenarioFile, ScenarioError> {
        let scenario = parse(&text).map_err(|mut e| {
            e.file = Some(path.display().to_string());
            ScenarioError::Invalid(e)
        })?;
        Ok(ScenarioFile {
            path: path.to_path_buf(),
            text,
            scenario,
        })
    }

    /// The organization as the scenario changes it; `org` is left as it was.
    pub fn apply(&self, org: &Org) -> Result<Org, ScenarioError> {
        super::apply(org, &self.scenario).map_err(|e| self.locate(e))
    }

    /// An apply error placed in this file.
    pub fn locate(&self, e: ApplyError) -> ScenarioError {
        let ApplyError::Change {
            index,
            op,
            field,
            message,
            policy,
        } = e
        else {
            return ScenarioError::Apply(e);
        };
        let mut path = jpath!["changes", index];
        if let Some(f) = field {
            path = path.with(f);
        }
        let lines = LineIndex::new(&self.text);
        let base = locate_all(&self.text, &[&path])[0];
        let mut position = base.map(|o| lines.position(o));
        let mut shown = path.to_string();
        let mut message = match &policy {
            Some(pe) => format!("{op}: {}", pe.message),
            None => format!("{op}: {message}"),
        };
        if let Some(pe) = &policy {
            if !pe.path.is_empty() {
                shown = format!("{shown}.{}", pe.path);
            }
            match (base, pe.position) {
                // A document written as a JSON string: its lines are not the file's,
                // so the string is the place and the document's own line is said.
                (Some(base), Some((l, c))) if self.text[base..].starts_with('"') => {
                    message.push_str(&format!(" (in the document, line {l} column {c})"));
                }
                // The document's own line and column, moved to where it sits in the file.
                (Some(base), Some((l, c))) => {
                    let doc = &self.text[base..];
                    if let Some(inner) = LineIndex::new(doc).offset(l, c) {
                        position = Some(lines.position(base + inner));
                    }
                }
                _ => {}
            }
        }
        ScenarioError::Invalid(Located {
            file: Some(self.path.display().to_string()),
            position,
            path: shown,
            message,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileIn<'a> {
    #[serde(rename = "$schema")]
    _schema: Option<String>,
    description: Option<String>,
    #[serde(borrow)]
    changes: Vec<&'a RawValue>,
}

/// One change as the file writes it: `op` and the fields that op takes.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ChangeIn<'a> {
    op: String,
    /// Free text for the reader; not used.
    #[serde(rename = "note")]
    _note: Option<String>,
    policy: Option<String>,
    target: Option<String>,
    name: Option<String>,
    description: Option<String>,
    account: Option<String>,
    to: Option<String>,
    parent: Option<String>,
    ou: Option<String>,
    principal: Option<String>,
    user: Option<String>,
    group: Option<String>,
    role: Option<String>,
    resource: Option<String>,
    path: Option<String>,
    #[serde(borrow)]
    document: Option<&'a RawValue>,
    #[serde(borrow)]
    trust: Option<&'a RawValue>,
}

fn parse(text: &str) -> Result<Scenario, Located> {
    let lines = LineIndex::new(text);
    let file: FileIn = track(text, text, &lines, "")?;
    let mut changes = Vec::with_capacity(file.changes.len());
    for (i, raw) in file.changes.iter().enumerate() {
        let prefix = format!("changes[{i}]");
        let c: ChangeIn = track(raw.get(), text, &lines, &prefix)?;
        let at = |field: &str, message: String| Located {
            file: None,
            position: locate_all(text, &[&jpath!["changes", i, field]])[0]
                .map(|o| lines.position(o)),
            path: format!("{prefix}.{field}"),
            message,
        };
        changes.push(convert(c, &at)?);
    }
    Ok(Scenario {
        description: file.description,
        changes,
    })
}

/// Deserializes `part` (a slice of `text`), reporting errors at their place in `text`.
fn track<'a, T: Deserialize<'a>>(
    part: &'a str,
    text: &str,
    lines: &LineIndex,
    prefix: &str,
) -> Result<T, Located> {
    let mut de = serde_json::Deserializer::from_str(part);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let mut inner_path = JsonPath::from_serde(e.path()).to_string();
        let inner = e.into_inner();
        let base = part.as_ptr() as usize - text.as_ptr() as usize;
        let offset = (inner.line() > 0)
            .then(|| LineIndex::new(part).offset(inner.line(), inner.column()))
            .flatten();
        let position = offset.map(|o| lines.position(base + o));
        let mut message = crate::policy::error::strip_position(&inner.to_string());
        // serde_path_to_error does not follow a syntax error into a document kept
        // as raw JSON: the text says where it is.
        if let (Some(o), true) = (offset, inner.is_syntax() || inner.is_eof()) {
            let place = crate::policy::error::syntax_place(part, o);
            inner_path = JsonPath(place.path.iter().map(seg).collect()).to_string();
            message.push_str(&place.after());
        }
        let path = match (prefix.is_empty(), inner_path.is_empty()) {
            (true, _) => inner_path,
            (false, true) => prefix.to_string(),
            (false, false) => format!("{prefix}.{inner_path}"),
        };
        Located {
            file: None,
            position,
            path,
            message,
        }
    })
}

fn seg(step: &crate::policy::error::Step) -> crate::org::report::Seg {
    use crate::org::report::IntoSeg;
    match step {
        crate::policy::error::Step::Key(k) => k.into_seg(),
        crate::policy::error::Step::Index(i) => i.into_seg(),
    }
}

/// The typed change, refusing missing fields and fields the op does not take.
fn convert(c: ChangeIn, at: &dyn Fn(&str, String) -> Located) -> Result<Change, Located> {
    let op = c.op.clone();
    let fields: [(&str, bool); 17] = [
        ("policy", c.policy.is_some()),
        ("target", c.target.is_some()),
        ("name", c.name.is_some()),
        ("description", c.description.is_some()),
        ("account", c.account.is_some()),
        ("to", c.to.is_some()),
        ("parent", c.parent.is_some()),
        ("ou", c.ou.is_some()),
        ("principal", c.principal.is_some()),
        ("user", c.user.is_some()),
        ("group", c.group.is_some()),
        ("role", c.role.is_some()),
        ("resource", c.resource.is_some()),
        ("path", c.path.is_some()),
        ("document", c.document.is_some()),
        ("trust", c.trust.is_some()),
        ("op", true),
    ];
    let (required, optional) = shape(&op).ok_or_else(|| {
        at(
            "op",
            format!(
                "unknown op `{op}`; expected one of {}",
                Change::OPS.join(", ")
            ),
        )
    })?;
    for (field, given) in fields {
        if given && field != "op" && !required.contains(&field) && !optional.contains(&field) {
            let mut takes: Vec<&str> = required.iter().chain(optional).copied().collect();
            takes.insert(0, "op");
            return Err(at(
                field,
                format!(
                    "`{op}` does not take `{field}`; it takes {}",
                    takes.join(", ")
                ),
            ));
        }
    }
    for field in required {
        if !fields.iter().any(|(f, given)| f == field && *given) {
            return Err(at(
                "op",
                format!("`{op}` needs `{field}` (it takes {})", required.join(", ")),
            ));
        }
    }
    let s = |v: Option<String>| v.unwrap_or_default();
    let doc = |v: Option<&RawValue>| Document::new(v.map(document_text).unwrap_or_default());
    let kind = if op.ends_with("_rcp") {
        OrgPolicyKind::Rcp
    } else {
        OrgPolicyKind::Scp
    };
    Ok(match op.as_str() {
        "attach_scp" | "attach_rcp" => Change::Attach {
            kind,
            policy: s(c.policy),
            target: s(c.target),
        },
        "detach_scp" | "detach_rcp" => Change::Detach {
            kind,
            policy: s(c.policy),
            target: s(c.target),
        },
        "create_scp" | "create_rcp" => Change::CreateOrgPolicy {
            kind,
            name: s(c.name),
            description: c.description,
            document: doc(c.document),
        },
        "edit_scp" | "edit_rcp" => Change::EditOrgPolicy {
            kind,
            policy: s(c.policy),
            document: doc(c.document),
        },
        "delete_scp" | "delete_rcp" => Change::DeleteOrgPolicy {
            kind,
            policy: s(c.policy),
        },
        "move_account" => Change::MoveAccount {
            account: s(c.account),
            to: s(c.to),
        },
        "create_ou" => Change::CreateOu {
            name: s(c.name),
            parent: c.parent.unwrap_or_else(|| "root".to_string()),
        },
        "move_ou" => Change::MoveOu {
            ou: s(c.ou),
            to: s(c.to),
        },
        "put_managed_policy" => Change::PutManagedPolicy {
            account: s(c.account),
            name: s(c.name),
            document: doc(c.document),
        },
        "put_inline_policy" => Change::PutInlinePolicy {
            principal: s(c.principal),
            name: s(c.name),
            document: doc(c.document),
        },
        "delete_inline_policy" => Change::DeleteInlinePolicy {
            principal: s(c.principal),
            name: s(c.name),
        },
        "delete_managed_policy" => Change::DeleteManagedPolicy {
            account: s(c.account),
            name: s(c.name),
        },
        "attach_managed_policy" => Change::AttachManagedPolicy {
            principal: s(c.principal),
            policy: s(c.policy),
        },
        "detach_managed_policy" => Change::DetachManagedPolicy {
            principal: s(c.principal),
            policy: s(c.policy),
        },
        "add_user_to_group" => Change::AddUserToGroup {
            user: s(c.user),
            group: s(c.group),
        },
        "remove_user_from_group" => Change::RemoveUserFromGroup {
            user: s(c.user),
            group: s(c.group),
        },
        "set_boundary" => Change::SetBoundary {
            principal: s(c.principal),
            policy: s(c.policy),
        },
        "remove_boundary" => Change::RemoveBoundary {
            principal: s(c.principal),
        },
        "set_trust_policy" => Change::SetTrustPolicy {
            role: s(c.role),
            document: doc(c.document),
        },
        "create_user" => Change::CreateUser {
            account: s(c.account),
            name: s(c.name),
            path: c.path,
        },
        "create_role" => Change::CreateRole {
            account: s(c.account),
            name: s(c.name),
            path: c.path,
            trust: doc(c.trust),
        },
        "put_resource_policy" => Change::PutResourcePolicy {
            resource: s(c.resource),
            account: c.account,
            document: doc(c.document),
        },
        "delete_resource_policy" => Change::DeleteResourcePolicy {
            resource: s(c.resource),
        },
        _ => unreachable!("shape() knows every op"),
    })
}

/// The fields an op needs and those it may take.
fn shape(op: &str) -> Option<(&'static [&'static str], &'static [&'static str])> {
    Some(match op {
        "attach_scp" | "attach_rcp" | "detach_scp" | "detach_rcp" => (&["policy", "target"], &[]),
        "create_scp" | "create_rcp" => (&["name", "document"], &["description"]),
        "edit_scp" | "edit_rcp" => (&["policy", "document"], &[]),
        "delete_scp" | "delete_rcp" => (&["policy"], &[]),
        "move_account" => (&["account", "to"], &[]),
        "create_ou" => (&["name"], &["parent"]),
        "move_ou" => (&["ou", "to"], &[]),
        "put_managed_policy" => (&["account", "name", "document"], &[]),
        "put_inline_policy" => (&["principal", "name", "document"], &[]),
        "delete_inline_policy" => (&["principal", "name"], &[]),
        "delete_managed_policy" => (&["account", "name"], &[]),
        "attach_managed_policy" | "detach_managed_policy" | "set_boundary" => {
            (&["principal", "policy"], &[])
        }
        "add_user_to_group" | "remove_user_from_group" => (&["user", "group"], &[]),
        "remove_boundary" => (&["principal"], &[]),
        "set_trust_policy" => (&["role", "document"], &[]),
        "create_user" => (&["account", "name"], &["path"]),
        "create_role" => (&["account", "name", "trust"], &["path"]),
        "put_resource_policy" => (&["resource", "document"], &["account"]),
        "delete_resource_policy" => (&["resource"], &[]),
        _ => return None,
    })
}

/// A document's JSON text; one given as JSON text in a string (as exports hold them)
/// is unwrapped.
fn document_text(raw: &RawValue) -> String {
    match serde_json::from_str::<String>(raw.get()) {
        Ok(inner) => inner,
        Err(_) => raw.get().to_string(),
    }
}

// ---- writing -------------------------------------------------------------------------

/// The scenario as file text: `op` first, documents as they were written.
pub fn to_text(scenario: &Scenario) -> String {
    let mut out = String::from("{\n");
    if let Some(d) = &scenario.description {
        out.push_str(&format!("  \"description\": {},\n", json_str(d)));
    }
    out.push_str("  \"changes\": [");
    for (i, c) in scenario.changes.iter().enumerate() {
        out.push_str(if i == 0 { "\n    {" } else { ",\n    {" });
        let fields = fields_of(c);
        let parts: Vec<String> = std::iter::once(("op", json_str(c.op())))
            .chain(fields)
            .map(|(k, v)| format!("\"{k}\": {v}"))
            .collect();
        out.push_str(&parts.join(", "));
        out.push('}');
    }
    if !scenario.changes.is_empty() {
        out.push_str("\n  ");
    }
    out.push_str("]\n}\n");
    out
}

/// Writes the scenario to a new file atomically, never over `inputs` nor over what
/// is not a regular file.
pub fn save(
    scenario: &Scenario,
    path: &Path,
    inputs: &[&Path],
) -> Result<crate::atomic_write::Written, crate::atomic_write::WriteError> {
    crate::atomic_write::write(path, to_text(scenario).as_bytes(), inputs)
}

fn json_str(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// A document as it was written; text that is not JSON (a change made in code that
/// was never applied) is kept as a string, which loading refuses with its place.
fn json_doc(d: &Document) -> String {
    match RawValue::from_string(d.text().trim().to_string()) {
        Ok(raw) => raw.get().to_string(),
        Err(_) => json_str(d.text()),
    }
}

fn fields_of(c: &Change) -> Vec<(&'static str, String)> {
    let s = |v: &String| json_str(v);
    let mut f: Vec<(&'static str, String)> = Vec::new();
    match c {
        Change::Attach { policy, target, .. } | Change::Detach { policy, target, .. } => {
            f.push(("policy", s(policy)));
            f.push(("target", s(target)));
        }
        Change::CreateOrgPolicy {
            name,
            description,
            document,
            ..
        } => {
            f.push(("name", s(name)));
            if let Some(d) = description {
                f.push(("description", s(d)));
            }
            f.push(("document", json_doc(document)));
        }
        Change::EditOrgPolicy {
            policy, document, ..
        } => {
            f.push(("policy", s(policy)));
            f.push(("document", json_doc(document)));
        }
        Change::DeleteOrgPolicy { policy, .. } => f.push(("policy", s(policy))),
        Change::MoveAccount { account, to } => {
            f.push(("account", s(account)));
            f.push(("to", s(to)));
        }
        Change::CreateOu { name, parent } => {
            f.push(("name", s(name)));
            f.push(("parent", s(parent)));
        }
        Change::MoveOu { ou, to } => {
            f.push(("ou", s(ou)));
            f.push(("to", s(to)));
        }
        Change::PutManagedPolicy {
            account,
            name,
            document,
        } => {
            f.push(("account", s(account)));
            f.push(("name", s(name)));
            f.push(("document", json_doc(document)));
        }
        Change::PutInlinePolicy {
            principal,
            name,
            document,
        } => {
            f.push(("principal", s(principal)));
            f.push(("name", s(name)));
            f.push(("document", json_doc(document)));
        }
        Change::DeleteInlinePolicy { principal, name } => {
            f.push(("principal", s(principal)));
            f.push(("name", s(name)));
        }
        Change::DeleteManagedPolicy { account, name } => {
            f.push(("account", s(account)));
            f.push(("name", s(name)));
        }
        Change::AttachManagedPolicy { principal, policy }
        | Change::DetachManagedPolicy { principal, policy }
        | Change::SetBoundary { principal, policy } => {
            f.push(("principal", s(principal)));
            f.push(("policy", s(policy)));
        }
        Change::RemoveBoundary { principal } => f.push(("principal", s(principal))),
        Change::AddUserToGroup { user, group } | Change::RemoveUserFromGroup { user, group } => {
            f.push(("user", s(user)));
            f.push(("group", s(group)));
        }
        Change::SetTrustPolicy { role, document } => {
            f.push(("role", s(role)));
            f.push(("document", json_doc(document)));
        }
        Change::CreateUser {
            account,
            name,
            path,
        } => {
            f.push(("account", s(account)));
            f.push(("name", s(name)));
            if let Some(p) = path {
                f.push(("path", s(p)));
            }
        }
        Change::CreateRole {
            account,
            name,
            path,
            trust,
        } => {
            f.push(("account", s(account)));
            f.push(("name", s(name)));
            if let Some(p) = path {
                f.push(("path", s(p)));
            }
            f.push(("trust", json_doc(trust)));
        }
        Change::PutResourcePolicy {
            resource,
            account,
            document,
        } => {
            f.push(("resource", s(resource)));
            if let Some(a) = account {
                f.push(("account", s(a)));
            }
            f.push(("document", json_doc(document)));
        }
        Change::DeleteResourcePolicy { resource } => f.push(("resource", s(resource))),
    }
    f
}
