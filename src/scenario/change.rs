//! The changes a scenario lays over an organization, in the terms a person uses:
//! targets named by ARN, id or unique name, documents as JSON text.

use std::fmt;

/// SCPs or RCPs: the two kinds of organization policy a change can attach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgPolicyKind {
    Scp,
    Rcp,
}

impl OrgPolicyKind {
    /// The native file's key for both the definitions and the attachments.
    pub fn key(self) -> &'static str {
        match self {
            OrgPolicyKind::Scp => "scps",
            OrgPolicyKind::Rcp => "rcps",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            OrgPolicyKind::Scp => "SCP",
            OrgPolicyKind::Rcp => "RCP",
        }
    }
    /// The policy AWS attaches by default, which every organization knows.
    pub fn builtin(self) -> &'static str {
        match self {
            OrgPolicyKind::Scp => "FullAWSAccess",
            OrgPolicyKind::Rcp => "RCPFullAWSAccess",
        }
    }
    pub fn policy_kind(self) -> crate::policy::PolicyKind {
        match self {
            OrgPolicyKind::Scp => crate::policy::PolicyKind::Scp,
            OrgPolicyKind::Rcp => crate::policy::PolicyKind::Rcp,
        }
    }
}

/// A policy document as written: JSON text, kept verbatim so that errors point into
/// it and a saved scenario holds what its author wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document(pub String);

impl Document {
    pub fn new(text: impl Into<String>) -> Document {
        Document(text.into())
    }
    pub fn text(&self) -> &str {
        &self.0
    }
}

/// One change. Names (`policy`, `target`, `principal`...) are ARNs, ids or names
/// unique in the organization as the scenario has changed it so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Attach an SCP or RCP to the root, an OU or an account.
    Attach {
        kind: OrgPolicyKind,
        policy: String,
        target: String,
    },
    Detach {
        kind: OrgPolicyKind,
        policy: String,
        target: String,
    },
    CreateOrgPolicy {
        kind: OrgPolicyKind,
        name: String,
        description: Option<String>,
        document: Document,
    },
    EditOrgPolicy {
        kind: OrgPolicyKind,
        policy: String,
        document: Document,
    },
    /// Refused while the policy is attached anywhere, as AWS refuses it.
    DeleteOrgPolicy {
        kind: OrgPolicyKind,
        policy: String,
    },
    MoveAccount {
        account: String,
        to: String,
    },
    CreateOu {
        name: String,
        parent: String,
    },
    MoveOu {
        ou: String,
        to: String,
    },
    /// Create a customer managed policy, or give it a new default version.
    PutManagedPolicy {
        account: String,
        name: String,
        document: Document,
    },
    /// Create or replace an inline policy of a user, group or role.
    PutInlinePolicy {
        principal: String,
        name: String,
        document: Document,
    },
    DeleteInlinePolicy {
        principal: String,
        name: String,
    },
    /// Delete a customer managed policy; refused while it is attached to a user,
    /// group or role, as AWS refuses it.
    DeleteManagedPolicy {
        account: String,
        name: String,
    },
    /// Attach a managed policy to a user, group or role.
    AttachManagedPolicy {
        principal: String,
        policy: String,
    },
    DetachManagedPolicy {
        principal: String,
        policy: String,
    },
    AddUserToGroup {
        user: String,
        group: String,
    },
    RemoveUserFromGroup {
        user: String,
        group: String,
    },
    SetBoundary {
        principal: String,
        policy: String,
    },
    RemoveBoundary {
        principal: String,
    },
    SetTrustPolicy {
        role: String,
        document: Document,
    },
    CreateUser {
        account: String,
        name: String,
        path: Option<String>,
    },
    CreateRole {
        account: String,
        name: String,
        path: Option<String>,
        trust: Document,
    },
    /// Set a resource's policy; a resource the org does not hold yet is added (an S3
    /// bucket then needs `account`: its ARN names none).
    PutResourcePolicy {
        resource: String,
        account: Option<String>,
        document: Document,
    },
    DeleteResourcePolicy {
        resource: String,
    },
}

impl Change {
    /// The `op` the scenario file writes.
    pub fn op(&self) -> &'static str {
        use OrgPolicyKind::*;
        match self {
            Change::Attach { kind: Scp, .. } => "attach_scp",
            Change::Attach { kind: Rcp, .. } => "attach_rcp",
            Change::Detach { kind: Scp, .. } => "detach_scp",
            Change::Detach { kind: Rcp, .. } => "detach_rcp",
            Change::CreateOrgPolicy { kind: Scp, .. } => "create_scp",
            Change::CreateOrgPolicy { kind: Rcp, .. } => "create_rcp",
            Change::EditOrgPolicy { kind: Scp, .. } => "edit_scp",
            Change::EditOrgPolicy { kind: Rcp, .. } => "edit_rcp",
            Change::DeleteOrgPolicy { kind: Scp, .. } => "delete_scp",
            Change::DeleteOrgPolicy { kind: Rcp, .. } => "delete_rcp",
            Change::MoveAccount { .. } => "move_account",
            Change::CreateOu { .. } => "create_ou",
            Change::MoveOu { .. } => "move_ou",
            Change::PutManagedPolicy { .. } => "put_managed_policy",
            Change::PutInlinePolicy { .. } => "put_inline_policy",
            Change::DeleteInlinePolicy { .. } => "delete_inline_policy",
            Change::DeleteManagedPolicy { .. } => "delete_managed_policy",
            Change::AttachManagedPolicy { .. } => "attach_managed_policy",
            Change::DetachManagedPolicy { .. } => "detach_managed_policy",
            Change::AddUserToGroup { .. } => "add_user_to_group",
            Change::RemoveUserFromGroup { .. } => "remove_user_from_group",
            Change::SetBoundary { .. } => "set_boundary",
            Change::RemoveBoundary { .. } => "remove_boundary",
            Change::SetTrustPolicy { .. } => "set_trust_policy",
            Change::CreateUser { .. } => "create_user",
            Change::CreateRole { .. } => "create_role",
            Change::PutResourcePolicy { .. } => "put_resource_policy",
            Change::DeleteResourcePolicy { .. } => "delete_resource_policy",
        }
    }

    /// Every op, for error messages and the schema test.
    pub const OPS: [&'static str; 28] = [
        "attach_scp",
        "detach_scp",
        "attach_rcp",
        "detach_rcp",
        "create_scp",
        "create_rcp",
        "edit_scp",
        "edit_rcp",
        "delete_scp",
        "delete_rcp",
        "move_account",
        "create_ou",
        "move_ou",
        "put_managed_policy",
        "put_inline_policy",
        "delete_inline_policy",
        "delete_managed_policy",
        "attach_managed_policy",
        "detach_managed_policy",
        "add_user_to_group",
        "remove_user_from_group",
        "set_boundary",
        "remove_boundary",
        "set_trust_policy",
        "create_user",
        "create_role",
        "put_resource_policy",
        "delete_resource_policy",
    ];
}

/// `attach_scp DenyAll -> Prod`: one line for tables and errors.
impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let op = self.op();
        match self {
            Change::Attach { policy, target, .. } => write!(f, "{op} `{policy}` to `{target}`"),
            Change::Detach { policy, target, .. } => {
                write!(f, "{op} `{policy}` from `{target}`")
            }
            Change::CreateOrgPolicy { name, .. } => write!(f, "{op} `{name}`"),
            Change::EditOrgPolicy { policy, .. } | Change::DeleteOrgPolicy { policy, .. } => {
                write!(f, "{op} `{policy}`")
            }
            Change::MoveAccount { account, to } => write!(f, "{op} `{account}` to `{to}`"),
            Change::CreateOu { name, parent } => write!(f, "{op} `{name}` under `{parent}`"),
            Change::MoveOu { ou, to } => write!(f, "{op} `{ou}` to `{to}`"),
            Change::PutManagedPolicy { account, name, .. }
            | Change::DeleteManagedPolicy { account, name } => {
                write!(f, "{op} `{name}` in `{account}`")
            }
            Change::PutInlinePolicy {
                principal, name, ..
            }
            | Change::DeleteInlinePolicy { principal, name } => {
                write!(f, "{op} `{name}` of `{principal}`")
            }
            Change::AttachManagedPolicy { principal, policy }
            | Change::DetachManagedPolicy { principal, policy }
            | Change::SetBoundary { principal, policy } => {
                write!(f, "{op} `{policy}` on `{principal}`")
            }
            Change::RemoveBoundary { principal } => write!(f, "{op} of `{principal}`"),
            Change::AddUserToGroup { user, group }
            | Change::RemoveUserFromGroup { user, group } => {
                write!(f, "{op} `{user}` `{group}`")
            }
            Change::SetTrustPolicy { role, .. } => write!(f, "{op} of `{role}`"),
            Change::CreateUser { account, name, .. } | Change::CreateRole { account, name, .. } => {
                write!(f, "{op} `{name}` in `{account}`")
            }
            Change::PutResourcePolicy { resource, .. }
            | Change::DeleteResourcePolicy { resource } => write!(f, "{op} `{resource}`"),
        }
    }
}

/// An ordered list of changes laid over an organization.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scenario {
    pub description: Option<String>,
    pub changes: Vec<Change>,
}
