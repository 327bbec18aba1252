//! The changes that can be made from a node, and the choices each one offers: on the
//! root, an OU or an account attach or detach an SCP or RCP; on an account move it;
//! on a user change its groups; on a user or role set or remove a boundary; on a
//! policy edit it. Pure: the org and the node in, a [`Change`] out, so that each
//! one is tested without a terminal.

use crate::org::{
    AccountIx, Entity, InlineOwner, NameLookup, Org, PolicyIx, PolicyOrigin, ResourceKind,
};
use crate::policy::PolicyKind;
use crate::scenario::{Change, Document, OrgPolicyKind};
use crate::tui::nodes::{Folder, Node, OrgTree, PolicyFolder};

/// One change offered on a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Offer {
    Attach(OrgPolicyKind),
    Detach(OrgPolicyKind),
    MoveAccount,
    /// Move an OU, with everything under it, under the root or another OU.
    MoveOu,
    AddToGroup,
    RemoveFromGroup,
    AttachManaged,
    DetachManaged,
    SetBoundary,
    RemoveBoundary,
    /// Edit a policy's document, in the app's editor.
    Edit(EditTarget),
    /// Create an OU under the root or an OU (its name typed).
    CreateOu,
    /// Create a user or a role in the account (its name typed).
    CreateUser,
    CreateRole,
    /// Delete the SCP or RCP (refused while it is attached, as AWS refuses it).
    DeleteOrgPolicy(OrgPolicyKind),
    /// Create an SCP or RCP (its name typed, then its document in the editor),
    /// attached to the node or nowhere.
    CreateOrgPolicy {
        kind: OrgPolicyKind,
        attach: bool,
    },
    /// Add an inline policy to a user, group or role (its name typed, then its
    /// document in the editor).
    NewInline,
    /// Delete a customer managed policy (refused while attached, as AWS refuses it).
    DeleteManaged,
    /// Remove a resource's policy (the bucket, key, queue... keeps no policy).
    DeleteResourcePolicy,
    /// Create a customer managed policy in the account (its name typed, then its
    /// document in the editor).
    NewManaged,
    /// Remove the user's, group's or role's inline policy of this name.
    DeleteInline(String),
    /// Put a policy on a resource that has none: its kind chosen, then
    /// [`Offer::NewResourcePolicyNamed`].
    NewResourcePolicy,
    /// The resource of this kind (`None`: any ARN) named or its ARN typed, then its
    /// policy written in the editor.
    NewResourcePolicyNamed(Option<ResourceKind>),
}

/// A document a change can replace (or create), and how: the change it makes from
/// new text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditTarget {
    OrgPolicy {
        kind: OrgPolicyKind,
        policy: String,
    },
    /// A new SCP or RCP, attached to `attach` (a target as a change names it) when
    /// given.
    NewOrgPolicy {
        kind: OrgPolicyKind,
        name: String,
        attach: Option<String>,
    },
    Managed {
        account: String,
        name: String,
    },
    Inline {
        principal: String,
        name: String,
    },
    Trust {
        role: String,
    },
    Resource {
        resource: String,
        account: String,
    },
}

impl EditTarget {
    /// The changes that set the document to `text`: one, or for a new SCP or RCP
    /// attached where it was made, its creation then its attachment.
    pub fn changes(&self, text: &str) -> Vec<Change> {
        match self.clone() {
            EditTarget::NewOrgPolicy { kind, name, attach } => {
                let mut out = vec![Change::CreateOrgPolicy {
                    kind,
                    name: name.clone(),
                    description: None,
                    document: Document::new(text),
                }];
                if let Some(target) = attach {
                    out.push(Change::Attach {
                        kind,
                        policy: name,
                        target,
                    });
                }
                out
            }
            _ => vec![self.change(text)],
        }
    }

    /// The change that sets an existing document to `text` (a new SCP or RCP: its
    /// creation).
    pub fn change(&self, text: &str) -> Change {
        let document = Document::new(text);
        match self.clone() {
            EditTarget::OrgPolicy { kind, policy } => Change::EditOrgPolicy {
                kind,
                policy,
                document,
            },
            EditTarget::NewOrgPolicy { kind, name, .. } => Change::CreateOrgPolicy {
                kind,
                name,
                description: None,
                document,
            },
            EditTarget::Managed { account, name } => Change::PutManagedPolicy {
                account,
                name,
                document,
            },
            EditTarget::Inline { principal, name } => Change::PutInlinePolicy {
                principal,
                name,
                document,
            },
            EditTarget::Trust { role } => Change::SetTrustPolicy { role, document },
            EditTarget::Resource { resource, account } => Change::PutResourcePolicy {
                resource,
                account: Some(account),
                document,
            },
        }
    }

    /// How the policy parser reads the document.
    pub fn policy_kind(&self) -> PolicyKind {
        match self {
            EditTarget::OrgPolicy { kind, .. } | EditTarget::NewOrgPolicy { kind, .. } => {
                kind.policy_kind()
            }
            EditTarget::Managed { .. } | EditTarget::Inline { .. } => PolicyKind::Identity,
            EditTarget::Trust { .. } | EditTarget::Resource { .. } => PolicyKind::Resource,
        }
    }
}

/// A menu row: what it says, and what choosing it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub label: String,
    pub offer: Offer,
    /// For an edit: the document as it is now.
    pub text: Option<String>,
}

/// A choice of a second step (which SCP, which OU): what it says, and the name the
/// change gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub label: String,
    pub value: String,
}

/// How a change names an entity: its name where that is unique in the org (as a
/// person writes a scenario), else its id or ARN.
pub fn ref_name(org: &Org, e: Entity) -> String {
    let name = org.name(e);
    match e {
        Entity::Root => return "root".into(),
        Entity::Ou(o) => {
            if matches!(org.by_name(name), NameLookup::Unique(_)) {
                return name.into();
            }
            return org.ou(o).id.to_string();
        }
        Entity::Account(a) => {
            if matches!(org.by_name(name), NameLookup::Unique(_)) {
                return name.into();
            }
            return org.account(a).id.to_string();
        }
        _ => {}
    }
    if matches!(org.by_name(name), NameLookup::Unique(_)) {
        return name.into();
    }
    org.arn(e).map_or_else(|| name.to_string(), str::to_string)
}

/// The changes offered on a node, in the order the menu lists them.
pub fn offers(tree: &OrgTree<'_>, node: Node) -> Vec<Item> {
    let org = tree.org();
    let item = |label: &str, offer: Offer| Item {
        label: label.to_string(),
        offer,
        text: None,
    };
    let mut out = Vec::new();
    let attachable = matches!(node, Node::Root | Node::Ou(_) | Node::Account(_));
    if attachable {
        for kind in [OrgPolicyKind::Scp, OrgPolicyKind::Rcp] {
            let l = kind.label();
            out.push(item(&format!("attach an {l}…"), Offer::Attach(kind)));
            out.push(item(&format!("detach an {l}…"), Offer::Detach(kind)));
        }
    }
    if matches!(node, Node::Root | Node::Ou(_)) {
        out.push(item("create an OU here… (type its name)", Offer::CreateOu));
    }
    if let Node::Account(_) = node {
        out.push(item("move the account to another OU…", Offer::MoveAccount));
    }
    if let Node::Ou(_) = node {
        out.push(item(
            "move the OU (and all under it) to another parent…",
            Offer::MoveOu,
        ));
    }
    if matches!(node, Node::Account(_) | Node::Folder(_, Folder::Users)) {
        out.push(item("create a user… (type its name)", Offer::CreateUser));
    }
    if matches!(node, Node::Account(_) | Node::Folder(_, Folder::Roles)) {
        out.push(item(
            "create a role… (type its name; it trusts its account)",
            Offer::CreateRole,
        ));
    }
    if let Node::Account(_) = node {
        out.push(item(
            "create a managed policy… (type its name, then write it)",
            Offer::NewManaged,
        ));
    }
    if matches!(node, Node::Account(_) | Node::Folder(_, Folder::Resources)) {
        out.push(item(
            "put a policy on a resource that has none… (bucket, key, queue, topic, secret, function or any ARN)",
            Offer::NewResourcePolicy,
        ));
    }
    if let Node::User(_) = node {
        out.push(item("add the user to a group…", Offer::AddToGroup));
        out.push(item(
            "remove the user from a group…",
            Offer::RemoveFromGroup,
        ));
    }
    // After the older creates, which a typed `create` still finds first.
    if attachable {
        for kind in [OrgPolicyKind::Scp, OrgPolicyKind::Rcp] {
            let l = kind.label();
            out.push(item(
                &format!("create an {l} attached here… (type its name, then write it)"),
                Offer::CreateOrgPolicy { kind, attach: true },
            ));
            out.push(item(
                &format!("create an {l} attached nowhere… (type its name, then write it)"),
                Offer::CreateOrgPolicy {
                    kind,
                    attach: false,
                },
            ));
        }
    }
    if matches!(node, Node::User(_) | Node::Group(_) | Node::Role(_)) {
        out.push(item(
            "add an inline policy… (type its name, then write it)",
            Offer::NewInline,
        ));
        out.push(item("attach a managed policy…", Offer::AttachManaged));
        out.push(item("detach a managed policy…", Offer::DetachManaged));
    }
    if matches!(node, Node::User(_) | Node::Role(_)) {
        out.push(item("set the permissions boundary…", Offer::SetBoundary));
        out.push(item(
            "remove the permissions boundary",
            Offer::RemoveBoundary,
        ));
    }
    // Documents: the node's own policy, or the inline, trust and resource policies
    // that show inside their owner.
    let mut edit = |p: PolicyIx, label: String| {
        if let Some(target) = edit_target(org, p) {
            out.push(Item {
                label,
                offer: Offer::Edit(target),
                text: Some(org.doc(p).text.to_string()),
            });
        }
    };
    let deletable = match node {
        Node::Policy(p) => match edit_target(org, p) {
            Some(EditTarget::OrgPolicy { kind, .. }) => Some(kind),
            _ => None,
        },
        _ => None,
    };
    match node {
        Node::Policy(p) => edit(p, "edit the policy".into()),
        Node::Role(r) => {
            let role = org.role(r);
            if let Some(t) = role.trust {
                edit(t, "edit the trust policy".into());
            }
            for &p in &role.inline {
                edit(p, format!("edit the inline policy {}", org.policy_name(p)));
            }
        }
        Node::User(u) => {
            for &p in &org.user(u).inline {
                edit(p, format!("edit the inline policy {}", org.policy_name(p)));
            }
        }
        Node::Group(g) => {
            for &p in &org.group(g).inline {
                edit(p, format!("edit the inline policy {}", org.policy_name(p)));
            }
        }
        Node::Resource(r) => match org.resource(r).policy {
            Some(p) => {
                edit(p, "edit the resource policy".into());
                out.push(item(
                    "remove the resource policy",
                    Offer::DeleteResourcePolicy,
                ));
            }
            None => {
                let res = org.resource(r);
                let target = EditTarget::Resource {
                    resource: res.arn.to_string(),
                    account: org.account(res.account).id.to_string(),
                };
                out.push(Item {
                    label: format!("write a {} (it has none)", res.kind.policy_name()),
                    text: Some(resource_template(
                        res.kind,
                        &res.arn,
                        &org.account(res.account).id,
                    )),
                    offer: Offer::Edit(target),
                });
            }
        },
        _ => {}
    }
    let inline: &[PolicyIx] = match node {
        Node::User(u) => &org.user(u).inline,
        Node::Group(g) => &org.group(g).inline,
        Node::Role(r) => &org.role(r).inline,
        _ => &[],
    };
    for &p in inline {
        let name = org.policy_name(p).to_string();
        out.push(item(
            &format!("remove the inline policy {name}"),
            Offer::DeleteInline(name),
        ));
    }
    if let Some(kind) = deletable {
        out.push(item(
            &format!("delete the {} (refused while attached)", kind.label()),
            Offer::DeleteOrgPolicy(kind),
        ));
    }
    if let Node::Policy(p) = node
        && let PolicyOrigin::CustomerManaged(_) = org.policy(p).origin
    {
        out.push(item(
            "delete the managed policy (refused while attached)",
            Offer::DeleteManaged,
        ));
    }
    out
}

/// Whether an offer takes a typed name (what is typed in the menu's line).
pub fn takes_name(offer: &Offer) -> bool {
    matches!(
        offer,
        Offer::CreateOu
            | Offer::CreateUser
            | Offer::CreateRole
            | Offer::CreateOrgPolicy { .. }
            | Offer::NewInline
            | Offer::NewManaged
            | Offer::NewResourcePolicyNamed(_)
    )
}

/// Why a typed name is refused for what the offer creates, when it is: an inline
/// policy by that name would be replaced, not added (IAM names are compared
/// without case).
pub fn name_refusal(org: &Org, node: Node, offer: &Offer, name: &str) -> Option<String> {
    let name = name.trim();
    if let (Offer::NewResourcePolicyNamed(kind), Some(a)) = (offer, account_of_node(node)) {
        return resource_refusal(org, a, *kind, name);
    }
    // A customer managed policy by that name would get a new version, not be created.
    if let (Offer::NewManaged, Node::Account(a)) = (offer, node) {
        return (0..org.policies().len())
            .map(PolicyIx::new)
            .find(|&p| {
                org.policy(p).origin == PolicyOrigin::CustomerManaged(a)
                    && org.policy_name(p).eq_ignore_ascii_case(name)
            })
            .map(|p| {
                format!(
                    "the account has a managed policy {} already: edit that one (m on it), or type another name",
                    crate::tui::sanitize::clean(org.policy_name(p))
                )
            });
    }
    let inline = match (offer, node) {
        (Offer::NewInline, Node::User(u)) => &org.user(u).inline,
        (Offer::NewInline, Node::Group(g)) => &org.group(g).inline,
        (Offer::NewInline, Node::Role(r)) => &org.role(r).inline,
        _ => return None,
    };
    inline
        .iter()
        .find(|&&p| org.policy_name(p).eq_ignore_ascii_case(name))
        .map(|&p| {
            format!(
                "it has an inline policy {} already: edit that one (m, then edit), or type another name",
                crate::tui::sanitize::clean(org.policy_name(p))
            )
        })
}

/// For an offer that creates a document: what the editor opens on (its target, its
/// title and a first text to write over), named `name`; `None` for other offers.
pub fn new_document(
    org: &Org,
    node: Node,
    offer: &Offer,
    name: &str,
) -> Option<(EditTarget, String, String)> {
    let name = name.trim().to_string();
    let e = node.entity()?;
    Some(match offer {
        Offer::CreateOrgPolicy { kind, attach } => {
            let target = EditTarget::NewOrgPolicy {
                kind: *kind,
                name: name.clone(),
                attach: attach.then(|| ref_name(org, e)),
            };
            let title = format!("new {} {name}", kind.label());
            (target, title, template(*kind).to_string())
        }
        Offer::NewManaged => {
            let Entity::Account(a) = e else { return None };
            let target = EditTarget::Managed {
                account: org.account(a).id.to_string(),
                name: name.clone(),
            };
            (
                target,
                format!("new managed policy {name}"),
                IDENTITY_TEMPLATE.into(),
            )
        }
        Offer::NewInline => {
            let target = EditTarget::Inline {
                principal: org.arn(e)?.to_string(),
                name: name.clone(),
            };
            (
                target,
                format!("new inline policy {name}"),
                IDENTITY_TEMPLATE.into(),
            )
        }
        Offer::NewResourcePolicyNamed(kind) => {
            let a = account_of_node(node)?;
            let arn = resource_arn(org, a, *kind, &name)?;
            let kind = ResourceKind::of_arn(&arn);
            let target = EditTarget::Resource {
                resource: arn.clone(),
                account: org.account(a).id.to_string(),
            };
            let text = resource_template(kind, &arn, &org.account(a).id);
            (target, format!("new {} on {arn}", kind.policy_name()), text)
        }
        _ => return None,
    })
}

/// A first document for a new SCP or RCP: valid, and saying what to write.
fn template(kind: OrgPolicyKind) -> &'static str {
    match kind {
        OrgPolicyKind::Scp => SCP_TEMPLATE,
        OrgPolicyKind::Rcp => RCP_TEMPLATE,
    }
}

const SCP_TEMPLATE: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "DenyLeavingTheOrganization",
      "Effect": "Deny",
      "Action": "organizations:LeaveOrganization",
      "Resource": "*"
    }
  ]
}
"#;

const RCP_TEMPLATE: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "DenyPlainHttp",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:*",
      "Resource": "*",
      "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}
    }
  ]
}
"#;

const IDENTITY_TEMPLATE: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:ListAllMyBuckets",
      "Resource": "*"
    }
  ]
}
"#;

/// The kinds of resource a policy can be put on by name, in the menu's order.
const RESOURCE_KINDS: [ResourceKind; 6] = [
    ResourceKind::S3Bucket,
    ResourceKind::KmsKey,
    ResourceKind::SqsQueue,
    ResourceKind::SnsTopic,
    ResourceKind::Secret,
    ResourceKind::LambdaFunction,
];

/// A resource kind as a menu choice's value (`arn`: any ARN).
fn resource_kind_key(kind: Option<ResourceKind>) -> &'static str {
    match kind {
        Some(ResourceKind::S3Bucket) => "s3",
        Some(ResourceKind::KmsKey) => "kms",
        Some(ResourceKind::SqsQueue) => "sqs",
        Some(ResourceKind::SnsTopic) => "sns",
        Some(ResourceKind::Secret) => "secretsmanager",
        Some(ResourceKind::LambdaFunction) => "lambda",
        Some(ResourceKind::Other) | None => "arn",
    }
}

/// The kind a [`resource_kind_key`] names.
pub fn resource_kind_of_key(key: &str) -> Option<ResourceKind> {
    RESOURCE_KINDS
        .into_iter()
        .find(|&k| resource_kind_key(Some(k)) == key)
}

/// The ARN of a resource of `kind` named `name` in the account (in the region its
/// other resources use), or `name` itself when it is an ARN; `None` when it is
/// neither (any ARN wanted, or nothing typed).
fn resource_arn(org: &Org, a: AccountIx, kind: Option<ResourceKind>, name: &str) -> Option<String> {
    let name = name.trim();
    if name.starts_with("arn:") {
        return crate::policy::Arn::parse(name).map(|_| name.to_string());
    }
    if name.is_empty() || name.contains(char::is_whitespace) {
        return None;
    }
    let id = &org.account(a).id;
    // The partition and region of the account's resources, else of the org's.
    let region_of = |arn: &str| {
        let mut parts = arn.split(':');
        let partition = parts.nth(1)?.to_string();
        let region = parts.nth(1)?.to_string();
        (!region.is_empty()).then_some((partition, region))
    };
    let in_account = org.account(a).resources.iter().map(|&r| org.resource(r));
    let (partition, region) = in_account
        .chain(org.resources().iter())
        .find_map(|r| region_of(&r.arn))
        .unwrap_or_else(|| ("aws".into(), "us-east-1".into()));
    let (service, resource) = match kind? {
        ResourceKind::S3Bucket => return Some(format!("arn:{partition}:s3:::{name}")),
        ResourceKind::KmsKey => ("kms", format!("key/{name}")),
        ResourceKind::SqsQueue => ("sqs", name.to_string()),
        ResourceKind::SnsTopic => ("sns", name.to_string()),
        ResourceKind::Secret => ("secretsmanager", format!("secret:{name}")),
        ResourceKind::LambdaFunction => ("lambda", format!("function:{name}")),
        ResourceKind::Other => return None,
    };
    Some(format!(
        "arn:{partition}:{service}:{region}:{id}:{resource}"
    ))
}

/// Why a resource named `name` cannot get a new policy from the account, when it
/// cannot.
fn resource_refusal(
    org: &Org,
    a: AccountIx,
    kind: Option<ResourceKind>,
    name: &str,
) -> Option<String> {
    let Some(arn) = resource_arn(org, a, kind, name) else {
        return Some(match kind {
            Some(k) => format!("type the {}'s name, or its ARN", k.label()),
            None => "type the resource's ARN (arn:aws:service:region:account:resource)".into(),
        });
    };
    let id = &org.account(a).id;
    let named = crate::policy::Arn::parse(&arn).map(|x| x.account().to_string());
    if let Some(other) = named.filter(|x| !x.is_empty() && x != &**id) {
        return Some(format!(
            "the ARN names account {}, not this one ({id}): choose that account",
            crate::tui::sanitize::clean(&other)
        ));
    }
    let held = org.resources().iter().find(|r| *r.arn == *arn)?;
    if held.policy.is_some() {
        return Some(format!(
            "{} has a policy already: edit that one (m on it)",
            crate::tui::sanitize::clean(&arn)
        ));
    }
    (held.account != a).then(|| {
        format!(
            "{} is in account {}: choose that account",
            crate::tui::sanitize::clean(&arn),
            org.account(held.account).id
        )
    })
}

/// A first policy for a resource: valid, and opening nothing (it names the
/// resource's own account, which then still needs its identity policies: IAM User
/// Guide, "Policy evaluation logic", same-account access), to write over.
pub fn resource_template(kind: ResourceKind, arn: &str, account: &str) -> String {
    // Key and secret policies apply to their own resource: AWS writes `*` there.
    let (action, resource) = match kind {
        ResourceKind::S3Bucket => ("s3:GetObject", format!("{arn}/*")),
        ResourceKind::KmsKey => ("kms:Decrypt", "*".into()),
        ResourceKind::SqsQueue => ("sqs:SendMessage", arn.to_string()),
        ResourceKind::SnsTopic => ("sns:Publish", arn.to_string()),
        ResourceKind::Secret => ("secretsmanager:GetSecretValue", "*".into()),
        ResourceKind::LambdaFunction => ("lambda:InvokeFunction", arn.to_string()),
        ResourceKind::Other => ("", arn.to_string()),
    };
    let action = if action.is_empty() {
        let service = arn.split(':').nth(2).unwrap_or("s3");
        format!("{service}:Get*")
    } else {
        action.to_string()
    };
    let partition = arn.split(':').nth(1).unwrap_or("aws");
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {{\n      \"Sid\": \"ThisAccountOnly\",\n      \"Effect\": \"Allow\",\n      \"Principal\": {{\"AWS\": \"arn:{partition}:iam::{account}:root\"}},\n      \"Action\": \"{action}\",\n      \"Resource\": {}\n    }}\n  ]\n}}\n",
        serde_json::Value::String(resource)
    )
}

/// The account a create offer makes its user or role in.
fn account_of_node(node: Node) -> Option<AccountIx> {
    match node {
        Node::Account(a) | Node::Folder(a, _) => Some(a),
        _ => None,
    }
}

/// The change that creates what `offer` creates on `node`, named `name`; `None`
/// when the offer creates nothing there.
pub fn create(org: &Org, node: Node, offer: &Offer, name: &str) -> Option<Change> {
    let name = name.trim().to_string();
    Some(match offer {
        Offer::CreateOu => Change::CreateOu {
            name,
            parent: ref_name(org, node.entity()?),
        },
        Offer::CreateUser => Change::CreateUser {
            account: org.account(account_of_node(node)?).id.to_string(),
            name,
            path: None,
        },
        Offer::CreateRole => {
            let id = org.account(account_of_node(node)?).id.to_string();
            // Trusting its own account, as the console's "AWS account: this
            // account" does; `m` on the role edits it afterwards.
            let trust = format!(
                "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {{\n      \"Effect\": \"Allow\",\n      \"Principal\": {{\"AWS\": \"arn:aws:iam::{id}:root\"}},\n      \"Action\": \"sts:AssumeRole\"\n    }}\n  ]\n}}\n"
            );
            Change::CreateRole {
                account: id,
                name,
                path: None,
                trust: Document::new(trust),
            }
        }
        _ => return None,
    })
}

/// How a policy's document is changed; `None` for an AWS managed policy (and the
/// AWS managed SCP and RCP, `FullAWSAccess`), which only AWS edits.
pub fn edit_target(org: &Org, p: PolicyIx) -> Option<EditTarget> {
    let name = org.policy_name(p).to_string();
    let origin = org.policy(p).origin;
    if matches!(origin, PolicyOrigin::Scp | PolicyOrigin::Rcp)
        && crate::catalog::Catalog::get()
            .org_policy_info(&name)
            .is_some()
    {
        return None;
    }
    Some(match origin {
        PolicyOrigin::Scp => EditTarget::OrgPolicy {
            kind: OrgPolicyKind::Scp,
            policy: name,
        },
        PolicyOrigin::Rcp => EditTarget::OrgPolicy {
            kind: OrgPolicyKind::Rcp,
            policy: name,
        },
        PolicyOrigin::CustomerManaged(a) => EditTarget::Managed {
            account: org.account(a).id.to_string(),
            name,
        },
        PolicyOrigin::Inline(owner) => {
            let e = match owner {
                InlineOwner::User(u) => Entity::User(u),
                InlineOwner::Group(g) => Entity::Group(g),
                InlineOwner::Role(r) => Entity::Role(r),
            };
            EditTarget::Inline {
                principal: org.arn(e).unwrap_or_default().to_string(),
                name,
            }
        }
        PolicyOrigin::Trust(r) => EditTarget::Trust {
            role: org.role(r).arn.to_string(),
        },
        PolicyOrigin::Resource(r) => {
            let res = org.resource(r);
            EditTarget::Resource {
                resource: res.arn.to_string(),
                account: org.account(res.account).id.to_string(),
            }
        }
        PolicyOrigin::AwsManaged => return None,
    })
}

/// The SCPs or RCPs attached directly to a node.
fn attached(org: &Org, node: Node, kind: OrgPolicyKind) -> Vec<PolicyIx> {
    let (scps, rcps) = match node {
        Node::Root => (&org.root().scps, &org.root().rcps),
        Node::Ou(o) => (&org.ou(o).scps, &org.ou(o).rcps),
        Node::Account(a) => (&org.account(a).scps, &org.account(a).rcps),
        _ => return Vec::new(),
    };
    match kind {
        OrgPolicyKind::Scp => scps.clone(),
        OrgPolicyKind::Rcp => rcps.clone(),
    }
}

fn principal_account(org: &Org, node: Node) -> Option<AccountIx> {
    match node {
        Node::User(u) => Some(org.user(u).account),
        Node::Group(g) => Some(org.group(g).account),
        Node::Role(r) => Some(org.role(r).account),
        _ => None,
    }
}

/// The managed policies a principal of an account can use: its account's own, and
/// the AWS managed policies the org holds.
fn managed_for(tree: &OrgTree<'_>, account: AccountIx) -> Vec<PolicyIx> {
    let org = tree.org();
    let mut out: Vec<PolicyIx> = org.account(account).policies.clone();
    out.extend_from_slice(tree.org_policies(PolicyFolder::AwsManaged));
    out
}

fn managed_of(org: &Org, node: Node) -> Vec<PolicyIx> {
    match node {
        Node::User(u) => org.user(u).managed.to_vec(),
        Node::Group(g) => org.group(g).managed.to_vec(),
        Node::Role(r) => org.role(r).managed.to_vec(),
        _ => Vec::new(),
    }
}

fn boundary_of(org: &Org, node: Node) -> Option<PolicyIx> {
    match node {
        Node::User(u) => org.user(u).boundary,
        Node::Role(r) => org.role(r).boundary,
        _ => None,
    }
}

fn policy_choice(org: &Org, p: PolicyIx) -> Choice {
    let value = org
        .policy(p)
        .arn
        .as_deref()
        .map_or_else(|| org.policy_name(p).to_string(), str::to_string);
    Choice {
        label: org.policy_name(p).to_string(),
        value,
    }
}

/// What an offer lets the user choose from; empty when it needs no choice (or has
/// nothing to offer: [`refusal`] says why).
pub fn choices(tree: &OrgTree<'_>, node: Node, offer: &Offer) -> Vec<Choice> {
    let org = tree.org();
    match offer {
        Offer::Attach(kind) => {
            let folder = match kind {
                OrgPolicyKind::Scp => PolicyFolder::Scps,
                OrgPolicyKind::Rcp => PolicyFolder::Rcps,
            };
            let on = attached(org, node, *kind);
            tree.org_policies(folder)
                .iter()
                .filter(|p| !on.contains(p))
                .map(|&p| org_policy_choice(org, p))
                .collect()
        }
        // AWS never lets RCPFullAWSAccess be detached: it is not offered.
        Offer::Detach(kind) => attached(org, node, *kind)
            .into_iter()
            .filter(|&p| *kind != OrgPolicyKind::Rcp || org.policy_name(p) != kind.builtin())
            .map(|p| org_policy_choice(org, p))
            .collect(),
        Offer::MoveAccount => {
            let Node::Account(a) = node else {
                return Vec::new();
            };
            let from = org.account(a).parent;
            let mut out = Vec::new();
            if from != crate::org::Parent::Root {
                out.push(Choice {
                    label: format!("Root ({})", org.root().id),
                    value: "root".into(),
                });
            }
            for (i, ou) in org.ous().iter().enumerate() {
                let ix = crate::org::OuIx::new(i);
                if from == crate::org::Parent::Ou(ix) {
                    continue;
                }
                out.push(Choice {
                    label: format!("{} ({})", ou.name, ou.id),
                    value: ref_name(org, Entity::Ou(ix)),
                });
            }
            out
        }
        // Anywhere but under itself (AWS refuses a move into its own subtree) or
        // where it is.
        Offer::MoveOu => {
            let Node::Ou(moved) = node else {
                return Vec::new();
            };
            let from = org.ou(moved).parent;
            let under_moved = |mut o: crate::org::OuIx| loop {
                if o == moved {
                    return true;
                }
                match org.ou(o).parent {
                    crate::org::Parent::Ou(p) => o = p,
                    crate::org::Parent::Root => return false,
                }
            };
            let mut out = Vec::new();
            if from != crate::org::Parent::Root {
                out.push(Choice {
                    label: format!("Root ({})", org.root().id),
                    value: "root".into(),
                });
            }
            for (i, ou) in org.ous().iter().enumerate() {
                let ix = crate::org::OuIx::new(i);
                if from == crate::org::Parent::Ou(ix) || under_moved(ix) {
                    continue;
                }
                out.push(Choice {
                    label: format!("{} ({})", ou.name, ou.id),
                    value: ref_name(org, Entity::Ou(ix)),
                });
            }
            out
        }
        Offer::AddToGroup => {
            let Node::User(u) = node else {
                return Vec::new();
            };
            let user = org.user(u);
            org.account(user.account)
                .groups
                .iter()
                .filter(|g| !user.groups.contains(g))
                .map(|&g| Choice {
                    label: org.group(g).name().to_string(),
                    value: org.group(g).name().to_string(),
                })
                .collect()
        }
        Offer::RemoveFromGroup => {
            let Node::User(u) = node else {
                return Vec::new();
            };
            org.user(u)
                .groups
                .iter()
                .map(|&g| Choice {
                    label: org.group(g).name().to_string(),
                    value: org.group(g).name().to_string(),
                })
                .collect()
        }
        Offer::AttachManaged | Offer::SetBoundary => {
            let Some(account) = principal_account(org, node) else {
                return Vec::new();
            };
            let skip: Vec<PolicyIx> = match offer {
                Offer::AttachManaged => managed_of(org, node),
                _ => boundary_of(org, node).into_iter().collect(),
            };
            managed_for(tree, account)
                .into_iter()
                .filter(|p| !skip.contains(p))
                .map(|p| policy_choice(org, p))
                .collect()
        }
        Offer::DetachManaged => managed_of(org, node)
            .into_iter()
            .map(|p| policy_choice(org, p))
            .collect(),
        Offer::NewResourcePolicy => {
            let mut out: Vec<Choice> = RESOURCE_KINDS
                .iter()
                .map(|&k| Choice {
                    label: format!("a new {} (type its name or ARN)", k.label()),
                    value: resource_kind_key(Some(k)).into(),
                })
                .collect();
            out.push(Choice {
                label: "any other resource (type its ARN)".into(),
                value: resource_kind_key(None).into(),
            });
            out
        }
        Offer::RemoveBoundary
        | Offer::NewResourcePolicyNamed(_)
        | Offer::Edit(_)
        | Offer::CreateOu
        | Offer::CreateUser
        | Offer::CreateRole
        | Offer::DeleteOrgPolicy(_)
        | Offer::CreateOrgPolicy { .. }
        | Offer::NewInline
        | Offer::DeleteManaged
        | Offer::DeleteResourcePolicy
        | Offer::NewManaged
        | Offer::DeleteInline(_) => Vec::new(),
    }
}

fn org_policy_choice(org: &Org, p: PolicyIx) -> Choice {
    Choice {
        label: org.policy_name(p).to_string(),
        value: org.policy_name(p).to_string(),
    }
}

fn node_policy(node: Node) -> Option<PolicyIx> {
    match node {
        Node::Policy(p) => Some(p),
        _ => None,
    }
}

/// Whether an offer takes a choice first.
pub fn needs_choice(offer: &Offer) -> bool {
    !matches!(
        offer,
        Offer::RemoveBoundary
            | Offer::Edit(_)
            | Offer::DeleteOrgPolicy(_)
            | Offer::DeleteManaged
            | Offer::DeleteResourcePolicy
            | Offer::DeleteInline(_)
    ) && !takes_name(offer)
}

/// Why an offer cannot be made here, when it cannot.
pub fn refusal(org: &Org, node: Node, offer: &Offer) -> Option<String> {
    match offer {
        Offer::RemoveBoundary if boundary_of(org, node).is_none() => {
            Some("it has no permissions boundary to remove".into())
        }
        _ => None,
    }
}

/// The change an offer makes on a node with a choice (`None` for one that takes
/// none), and a line that says it in the UI's words.
pub fn change(org: &Org, node: Node, offer: &Offer, choice: Option<&Choice>) -> Option<Change> {
    let e = node.entity()?;
    let me = || ref_name(org, e);
    let arn = || org.arn(e).map_or_else(|| ref_name(org, e), str::to_string);
    let chosen = || choice.map(|c| c.value.clone());
    Some(match offer {
        Offer::Attach(kind) => Change::Attach {
            kind: *kind,
            policy: chosen()?,
            target: me(),
        },
        Offer::Detach(kind) => Change::Detach {
            kind: *kind,
            policy: chosen()?,
            target: me(),
        },
        Offer::MoveAccount => Change::MoveAccount {
            account: me(),
            to: chosen()?,
        },
        Offer::MoveOu => Change::MoveOu {
            ou: me(),
            to: chosen()?,
        },
        Offer::DeleteResourcePolicy => Change::DeleteResourcePolicy { resource: arn() },
        Offer::DeleteInline(name) => Change::DeleteInlinePolicy {
            principal: arn(),
            name: name.clone(),
        },
        Offer::AddToGroup => Change::AddUserToGroup {
            user: arn(),
            group: chosen()?,
        },
        Offer::RemoveFromGroup => Change::RemoveUserFromGroup {
            user: arn(),
            group: chosen()?,
        },
        Offer::AttachManaged => Change::AttachManagedPolicy {
            principal: arn(),
            policy: chosen()?,
        },
        Offer::DetachManaged => Change::DetachManagedPolicy {
            principal: arn(),
            policy: chosen()?,
        },
        Offer::SetBoundary => Change::SetBoundary {
            principal: arn(),
            policy: chosen()?,
        },
        Offer::RemoveBoundary => Change::RemoveBoundary { principal: arn() },
        Offer::DeleteOrgPolicy(kind) => Change::DeleteOrgPolicy {
            kind: *kind,
            policy: org.policy_name(node_policy(node)?).to_string(),
        },
        Offer::DeleteManaged => {
            let p = node_policy(node)?;
            let PolicyOrigin::CustomerManaged(a) = org.policy(p).origin else {
                return None;
            };
            Change::DeleteManagedPolicy {
                account: org.account(a).id.to_string(),
                name: org.policy_name(p).to_string(),
            }
        }
        Offer::Edit(_)
        | Offer::CreateOu
        | Offer::CreateUser
        | Offer::CreateRole
        | Offer::CreateOrgPolicy { .. }
        | Offer::NewInline
        | Offer::NewManaged
        | Offer::NewResourcePolicy
        | Offer::NewResourcePolicyNamed(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::load_builtin_acme;

    fn find(org: &Org, name: &str) -> Entity {
        match org.by_name(name) {
            NameLookup::Unique(e) => e,
            other => panic!("{name}: {other:?}"),
        }
    }

    fn node(org: &Org, name: &str) -> Node {
        crate::tui::nodes::node_of(org, find(org, name))
    }

    /// The change a menu makes, through its choice labelled `label`.
    fn made(org: &Org, n: Node, offer: Offer, label: &str) -> Change {
        let tree = OrgTree::new(org);
        assert!(
            offers(&tree, n).iter().any(|i| i.offer == offer),
            "{offer:?} not offered on {n:?}"
        );
        let list = choices(&tree, n, &offer);
        let c = list
            .iter()
            .find(|c| c.label.starts_with(label))
            .unwrap_or_else(|| panic!("no choice {label} in {list:?}"));
        change(org, n, &offer, Some(c)).unwrap()
    }

    /// The org as the one change `c` leaves it.
    fn applied(org: &Org, c: Change) -> Org {
        let s = crate::scenario::Scenario {
            changes: vec![c],
            ..Default::default()
        };
        crate::scenario::apply(org, &s).unwrap()
    }

    #[test]
    fn an_scp_is_attached_to_an_ou_and_detached_from_what_holds_it() {
        let org = load_builtin_acme();
        let tree = OrgTree::new(&org);
        let prod = node(&org, "Prod");
        let detachable = choices(&tree, prod, &Offer::Detach(OrgPolicyKind::Scp));
        let attachable = choices(&tree, prod, &Offer::Attach(OrgPolicyKind::Scp));
        // What is attached is offered to detach, and only what is not to attach.
        assert!(!detachable.is_empty());
        for c in &detachable {
            assert!(!attachable.contains(c), "{c:?} both attached and not");
        }
        let first = attachable[0].clone();
        assert_eq!(
            made(&org, prod, Offer::Attach(OrgPolicyKind::Scp), &first.label),
            Change::Attach {
                kind: OrgPolicyKind::Scp,
                policy: first.value.clone(),
                target: "Prod".into()
            }
        );
        let d = detachable[0].clone();
        assert_eq!(
            made(&org, prod, Offer::Detach(OrgPolicyKind::Scp), &d.label),
            Change::Detach {
                kind: OrgPolicyKind::Scp,
                policy: d.value,
                target: "Prod".into()
            }
        );
    }

    /// An OU moves under the root or another OU, never under itself or below it
    /// (AWS Organizations, MoveAccount/organizational units: an OU cannot be moved
    /// into its own subtree), nor where it is; the move applies with all under it.
    #[test]
    fn an_ou_moves_anywhere_but_under_itself() {
        let org = load_builtin_acme();
        let tree = OrgTree::new(&org);
        let n = node(&org, "Prod");
        let list = choices(&tree, n, &Offer::MoveOu);
        let values: Vec<&str> = list.iter().map(|c| c.value.as_str()).collect();
        for not in ["Prod", "Payments", "Workloads"] {
            assert!(!values.contains(&not), "{not} offered: {values:?}");
        }
        for yes in ["root", "Dev", "Sandbox", "Security"] {
            assert!(values.contains(&yes), "{yes} not offered: {values:?}");
        }
        let c = made(&org, n, Offer::MoveOu, "Sandbox");
        assert_eq!(
            c,
            Change::MoveOu {
                ou: "Prod".into(),
                to: "Sandbox".into()
            }
        );
        let after = applied(&org, c);
        let Entity::Ou(prod) = find(&after, "Prod") else {
            panic!()
        };
        let Entity::Ou(sandbox) = find(&after, "Sandbox") else {
            panic!()
        };
        assert_eq!(after.ou(prod).parent, crate::org::Parent::Ou(sandbox));
    }

    /// A resource with a policy offers to remove it, and the change leaves it with
    /// none; one without a policy offers neither edit nor removal.
    #[test]
    fn a_resource_policy_is_removed_from_its_resource() {
        let org = load_builtin_acme();
        let tree = OrgTree::new(&org);
        let (with, without): (Vec<_>, Vec<_>) = (0..org.resources().len())
            .map(crate::org::ResourceIx::new)
            .partition(|&r| org.resource(r).policy.is_some());
        let r = with[0];
        let n = Node::Resource(r);
        assert!(
            offers(&tree, n)
                .iter()
                .any(|i| i.offer == Offer::DeleteResourcePolicy)
        );
        assert!(!needs_choice(&Offer::DeleteResourcePolicy));
        let c = change(&org, n, &Offer::DeleteResourcePolicy, None).unwrap();
        let arn = org.resource(r).arn.to_string();
        assert_eq!(
            c,
            Change::DeleteResourcePolicy {
                resource: arn.clone()
            }
        );
        let after = applied(&org, c);
        // No policy for it any more (a resource known only by its policy goes with it).
        assert!(
            after
                .resources()
                .iter()
                .all(|x| *x.arn != *arn || x.policy.is_none())
        );
        if let Some(&bare) = without.first() {
            assert!(
                !offers(&tree, Node::Resource(bare))
                    .iter()
                    .any(|i| i.offer == Offer::DeleteResourcePolicy)
            );
        }
    }

    /// Each inline policy of a role is offered for removal by its name; the change
    /// takes that one away and leaves the others.
    #[test]
    fn an_inline_policy_is_removed_by_name() {
        let org = load_builtin_acme();
        let tree = OrgTree::new(&org);
        let n = node(&org, "WebApp");
        let Node::Role(r) = n else { panic!() };
        let names: Vec<String> = org
            .role(r)
            .inline
            .iter()
            .map(|&p| org.policy_name(p).to_string())
            .collect();
        assert!(names.contains(&"WebAppAccess".to_string()), "{names:?}");
        let offer = Offer::DeleteInline("WebAppAccess".into());
        let item = offers(&tree, n)
            .into_iter()
            .find(|i| i.offer == offer)
            .expect("offered");
        assert_eq!(item.label, "remove the inline policy WebAppAccess");
        assert!(!needs_choice(&offer));
        let c = change(&org, n, &offer, None).unwrap();
        assert_eq!(
            c,
            Change::DeleteInlinePolicy {
                principal: org.role(r).arn.to_string(),
                name: "WebAppAccess".into()
            }
        );
        let after = applied(&org, c);
        let Entity::Role(r2) = find(&after, "WebApp") else {
            panic!()
        };
        let left: Vec<&str> = after
            .role(r2)
            .inline
            .iter()
            .map(|&p| after.policy_name(p))
            .collect();
        assert_eq!(left.len(), names.len() - 1, "{left:?}");
        assert!(!left.contains(&"WebAppAccess"), "{left:?}");
    }

    #[test]
    fn an_account_moves_to_any_ou_but_its_own() {
        let org = load_builtin_acme();
        let tree = OrgTree::new(&org);
        let Node::Account(a) = node(&org, "payments-prod") else {
            panic!()
        };
        let n = Node::Account(a);
        let list = choices(&tree, n, &Offer::MoveAccount);
        let crate::org::Parent::Ou(parent) = org.account(a).parent else {
            panic!("payments-prod is under an OU in acme")
        };
        let own = org.ou(parent).name.to_string();
        assert!(list.iter().all(|c| c.value != own), "{list:?}");
        assert!(list.iter().any(|c| c.value == "root"));
        assert_eq!(
            made(&org, n, Offer::MoveAccount, "Root"),
            Change::MoveAccount {
                account: "payments-prod".into(),
                to: "root".into()
            }
        );
    }

    #[test]
    fn a_user_joins_a_group_of_its_account_and_leaves_its_own() {
        let org = load_builtin_acme();
        let tree = OrgTree::new(&org);
        let Node::User(u) = node(&org, "dana") else {
            panic!()
        };
        let n = Node::User(u);
        let user = org.user(u);
        let arn = user.arn.to_string();
        for c in choices(&tree, n, &Offer::AddToGroup) {
            let Change::AddUserToGroup { user: who, group } =
                change(&org, n, &Offer::AddToGroup, Some(&c)).unwrap()
            else {
                panic!()
            };
            assert_eq!(who, arn);
            let g = org
                .account(user.account)
                .groups
                .iter()
                .find(|&&g| org.group(g).name() == group);
            assert!(g.is_some_and(|g| !user.groups.contains(g)), "{group}");
        }
        let leave = choices(&tree, n, &Offer::RemoveFromGroup);
        assert_eq!(leave.len(), user.groups.len());
        if let Some(c) = leave.first() {
            assert_eq!(
                change(&org, n, &Offer::RemoveFromGroup, Some(c)).unwrap(),
                Change::RemoveUserFromGroup {
                    user: arn.clone(),
                    group: c.value.clone()
                }
            );
        }
    }

    #[test]
    fn a_boundary_is_set_from_the_accounts_policies_and_removed_only_when_there() {
        let org = load_builtin_acme();
        let tree = OrgTree::new(&org);
        let role = org
            .roles()
            .iter()
            .position(|r| r.boundary.is_none())
            .map(crate::org::RoleIx::new)
            .unwrap();
        let n = Node::Role(role);
        assert!(refusal(&org, n, &Offer::RemoveBoundary).is_some());
        let list = choices(&tree, n, &Offer::SetBoundary);
        let c = list.first().expect("some managed policy to use");
        assert_eq!(
            change(&org, n, &Offer::SetBoundary, Some(c)).unwrap(),
            Change::SetBoundary {
                principal: org.role(role).arn.to_string(),
                policy: c.value.clone()
            }
        );
        assert_eq!(
            change(&org, n, &Offer::RemoveBoundary, None).unwrap(),
            Change::RemoveBoundary {
                principal: org.role(role).arn.to_string()
            }
        );
    }

    #[test]
    fn each_kind_of_policy_is_edited_by_its_own_change() {
        let org = load_builtin_acme();
        let doc = r#"{"Version":"2012-10-17","Statement":[]}"#;
        let mut seen = std::collections::BTreeSet::new();
        for (i, p) in org.policies().iter().enumerate() {
            let ix = PolicyIx::new(i);
            let target = edit_target(&org, ix);
            let op = target.as_ref().map(|t| t.change(doc).op());
            let want = match p.origin {
                PolicyOrigin::Scp => Some("edit_scp"),
                PolicyOrigin::Rcp => Some("edit_rcp"),
                PolicyOrigin::CustomerManaged(_) => Some("put_managed_policy"),
                PolicyOrigin::Inline(_) => Some("put_inline_policy"),
                PolicyOrigin::Trust(_) => Some("set_trust_policy"),
                PolicyOrigin::Resource(_) => Some("put_resource_policy"),
                PolicyOrigin::AwsManaged => None,
            };
            let builtin = crate::catalog::Catalog::get()
                .org_policy_info(org.policy_name(ix))
                .is_some();
            let want = want.filter(|_| !builtin);
            assert_eq!(op, want, "{}", org.policy_name(ix));
            seen.extend(op);
        }
        // acme holds each kind.
        assert_eq!(seen.len(), 6, "{seen:?}");
    }

    #[test]
    fn the_edits_each_apply_to_acme() {
        // Every change an edit makes names its target as `apply` finds it.
        let org = load_builtin_acme();
        for (i, _) in org.policies().iter().enumerate() {
            let ix = PolicyIx::new(i);
            let Some(t) = edit_target(&org, ix) else {
                continue;
            };
            let change = t.change(&org.doc(ix).text);
            let s = crate::scenario::Scenario {
                description: None,
                changes: vec![change.clone()],
            };
            if let Err(e) = crate::scenario::apply(&org, &s) {
                panic!("{change}: {e}");
            }
        }
    }

    /// A new resource is named as its kind's ARNs are (S3: no region or account;
    /// the others in the account, in the region its resources use), or by its ARN;
    /// a resource that has a policy, or is another account's, is refused.
    #[test]
    fn a_new_resource_is_named_in_its_account_and_one_with_a_policy_is_refused() {
        let org = load_builtin_acme();
        let n = node(&org, "web-dev");
        let Node::Account(a) = n else { panic!() };
        let id = org.account(a).id.to_string();
        let named = |kind: ResourceKind, name: &str| {
            let offer = Offer::NewResourcePolicyNamed(Some(kind));
            new_document(&org, n, &offer, name).map(|(t, _, _)| t)
        };
        let resource = |arn: &str| {
            Some(EditTarget::Resource {
                resource: arn.into(),
                account: id.clone(),
            })
        };
        assert_eq!(
            named(ResourceKind::S3Bucket, "drop"),
            resource("arn:aws:s3:::drop")
        );
        assert_eq!(
            named(ResourceKind::SqsQueue, "jobs"),
            resource(&format!("arn:aws:sqs:eu-west-1:{id}:jobs"))
        );
        assert_eq!(
            named(ResourceKind::LambdaFunction, "f"),
            resource(&format!("arn:aws:lambda:eu-west-1:{id}:function:f"))
        );
        let typed = format!("arn:aws:sns:us-east-2:{id}:t");
        assert_eq!(named(ResourceKind::S3Bucket, &typed), resource(&typed));
        assert_eq!(named(ResourceKind::S3Bucket, "two words"), None);
        let refused = |kind: Option<ResourceKind>, name: &str| {
            name_refusal(&org, n, &Offer::NewResourcePolicyNamed(kind), name).unwrap_or_default()
        };
        assert!(refused(None, "drop").contains("type the resource's ARN"));
        assert!(
            refused(Some(ResourceKind::S3Bucket), "acme-public-website")
                .contains("has a policy already")
        );
        assert!(
            refused(None, "arn:aws:sqs:eu-west-1:999999999999:q")
                .contains("names account 999999999999")
        );
        assert_eq!(refused(Some(ResourceKind::KmsKey), "new-key"), "");
    }

    #[test]
    fn every_change_the_menus_offer_on_acme_applies() {
        // What a menu offers is a change `apply` takes: names it finds, policies it
        // can attach, groups of the user's own account.
        let org = load_builtin_acme();
        let tree = OrgTree::new(&org);
        // The editor's first text for a new document, kept as it opened, applies.
        let kept_as_opened = |target: &EditTarget, text: &str| {
            let s = crate::scenario::Scenario {
                description: None,
                changes: target.changes(text),
            };
            crate::scenario::apply(&org, &s).unwrap_or_else(|e| panic!("{:?}: {e}", s.changes));
        };
        let mut nodes = vec![Node::Root];
        nodes.extend((0..org.ous().len()).map(|i| Node::Ou(crate::org::OuIx::new(i))));
        nodes.extend((0..org.accounts().len()).map(|i| Node::Account(AccountIx::new(i))));
        nodes.extend((0..org.users().len()).map(|i| Node::User(crate::org::UserIx::new(i))));
        nodes.extend((0..org.groups().len()).map(|i| Node::Group(crate::org::GroupIx::new(i))));
        nodes.extend((0..org.roles().len()).map(|i| Node::Role(crate::org::RoleIx::new(i))));
        let mut tried = 0;
        for n in nodes {
            for item in offers(&tree, n) {
                if matches!(item.offer, Offer::Edit(_)) || refusal(&org, n, &item.offer).is_some() {
                    continue;
                }
                if let Some((target, _, text)) = new_document(&org, n, &item.offer, "what-if-new") {
                    kept_as_opened(&target, &text);
                    tried += 1;
                    continue;
                }
                if takes_name(&item.offer) {
                    let c = create(&org, n, &item.offer, "what-if-new").unwrap();
                    let s = crate::scenario::Scenario {
                        description: None,
                        changes: vec![c.clone()],
                    };
                    let changed =
                        crate::scenario::apply(&org, &s).unwrap_or_else(|e| panic!("{c}: {e}"));
                    assert!(
                        matches!(changed.by_name("what-if-new"), NameLookup::Unique(_)),
                        "{c} made it"
                    );
                    tried += 1;
                    continue;
                }
                let list = choices(&tree, n, &item.offer);
                // A new resource's policy: each kind, named (any ARN: typed), as
                // the editor's first text.
                if item.offer == Offer::NewResourcePolicy {
                    let id = &org.account(account_of_node(n).unwrap()).id;
                    for c in &list {
                        let kind = resource_kind_of_key(&c.value);
                        let name = match kind {
                            Some(_) => "what-if-new".to_string(),
                            None => format!("arn:aws:logs:eu-west-1:{id}:log-group:what-if-new"),
                        };
                        let offer = Offer::NewResourcePolicyNamed(kind);
                        assert_eq!(name_refusal(&org, n, &offer, &name), None, "{name}");
                        let (target, _, text) = new_document(&org, n, &offer, &name).unwrap();
                        kept_as_opened(&target, &text);
                        tried += 1;
                    }
                    continue;
                }
                let picks: Vec<Option<&Choice>> = if needs_choice(&item.offer) {
                    list.iter().take(3).map(Some).collect()
                } else {
                    vec![None]
                };
                for pick in picks {
                    let c = change(&org, n, &item.offer, pick).unwrap();
                    let s = crate::scenario::Scenario {
                        description: None,
                        changes: vec![c.clone()],
                    };
                    let result = crate::scenario::apply(&org, &s);
                    // AWS refuses to detach a node's last SCP: offered, and refused
                    // with the domain's own words when chosen.
                    let last_scp = item.offer == Offer::Detach(OrgPolicyKind::Scp)
                        && attached(&org, n, OrgPolicyKind::Scp).len() == 1;
                    match result {
                        Err(e) if last_scp => assert!(e.to_string().contains("last SCP"), "{e}"),
                        Err(e) => panic!("{c}: {e}"),
                        Ok(_) => assert!(!last_scp, "{c} applied"),
                    }
                    tried += 1;
                }
            }
        }
        assert!(tried > 100, "{tried}");
    }

    #[test]
    fn an_scp_is_deleted_from_its_node_and_refused_while_attached() {
        let org = load_builtin_acme();
        let tree = OrgTree::new(&org);
        let policy = |name: &str| {
            (0..org.policies().len())
                .map(PolicyIx::new)
                .find(|&p| org.policy_name(p) == name)
                .unwrap()
        };
        let delete = |p: PolicyIx| {
            let item = offers(&tree, Node::Policy(p))
                .into_iter()
                .find(|i| matches!(i.offer, Offer::DeleteOrgPolicy(_)))
                .expect("a delete offer");
            assert!(!needs_choice(&item.offer));
            change(&org, Node::Policy(p), &item.offer, None).unwrap()
        };
        let unattached = (0..org.policies().len()).map(PolicyIx::new).find(|&p| {
            org.policy(p).origin == PolicyOrigin::Scp
                && edit_target(&org, p).is_some()
                && !org.root().scps.contains(&p)
                && org.ous().iter().all(|o| !o.scps.contains(&p))
                && org.accounts().iter().all(|a| !a.scps.contains(&p))
        });
        let apply = |c: Change| {
            crate::scenario::apply(
                &org,
                &crate::scenario::Scenario {
                    description: None,
                    changes: vec![c],
                },
            )
        };
        // DenyAll holds the Suspended OU: AWS refuses to delete an attached policy.
        let c = delete(policy("DenyAll"));
        assert_eq!(
            c,
            Change::DeleteOrgPolicy {
                kind: OrgPolicyKind::Scp,
                policy: "DenyAll".into()
            }
        );
        let e = apply(c).unwrap_err().to_string();
        assert!(e.contains("attached"), "{e}");
        if let Some(p) = unattached {
            let changed = apply(delete(p)).unwrap();
            assert_eq!(changed.policies().len() + 1, org.policies().len());
        }
        // AWS's own FullAWSAccess is not offered.
        assert!(
            offers(&tree, Node::Policy(policy("FullAWSAccess")))
                .iter()
                .all(|i| !matches!(i.offer, Offer::DeleteOrgPolicy(_)))
        );
    }

    #[test]
    fn an_ou_user_and_role_are_created_with_the_name_typed() {
        let org = load_builtin_acme();
        let tree = OrgTree::new(&org);
        let prod = org.account_by_id("555555555555").unwrap();
        let offered = |n: Node| -> Vec<Offer> {
            offers(&tree, n)
                .into_iter()
                .map(|i| i.offer)
                .filter(|o| takes_name(o) && new_document(&org, n, o, "x").is_none())
                .collect()
        };
        assert_eq!(offered(Node::Root), [Offer::CreateOu]);
        assert_eq!(
            offered(Node::Account(prod)),
            [Offer::CreateUser, Offer::CreateRole]
        );
        assert_eq!(
            offered(Node::Folder(prod, Folder::Roles)),
            [Offer::CreateRole]
        );
        let role = create(
            &org,
            Node::Folder(prod, Folder::Roles),
            &Offer::CreateRole,
            " Auditor ",
        )
        .unwrap();
        let Change::CreateRole {
            account,
            name,
            trust,
            ..
        } = &role
        else {
            panic!("{role:?}")
        };
        assert_eq!(
            (account.as_str(), name.as_str()),
            ("555555555555", "Auditor")
        );
        assert!(trust.text().contains("arn:aws:iam::555555555555:root"));
        let changed = crate::scenario::apply(
            &org,
            &crate::scenario::Scenario {
                description: None,
                changes: vec![role],
            },
        )
        .unwrap();
        let r = changed
            .principal_by_arn("arn:aws:iam::555555555555:role/Auditor")
            .expect("the role made");
        assert!(matches!(r, crate::org::PrincipalIx::Role(_)));
    }
}
