//! `aws iam get-account-authorization-details` output: users, groups, roles and
//! managed policies of one account.
//!
//! Real exports vary: documents as objects or URL-encoded strings, empty lists left
//! out, a list given as a single object, every version of a managed policy listed
//! (the default one counts), group membership only in each user's `GroupList`.

use crate::org::builder::{Builder, Site, is_account_id};
use serde_json::value::RawValue;

use crate::org::de::{Obj, from_str_tracked};
use crate::org::entities::{InlineOwner, InstanceProfile, LastUsed, Tag};
use crate::org::ids::*;
use crate::org::native::trust;
use crate::org::quota;
use crate::org::report::{FileId, JsonPath, jpath};
use crate::policy::PolicyKind;

mod shapes;

pub(crate) use shapes::AuthDetails;
use shapes::*;

/// A lone authorization-details file: standalone accounts (no organization), one per
/// account id found in its ARNs.
pub(crate) fn read_file(text: &str, file: FileId, b: &mut Builder) {
    let d = match from_str_tracked::<Obj<AuthDetails>>(text) {
        Ok(d) => d,
        Err(e) => return b.problems.json_error(file, e),
    };
    b.info.scps_enabled = false;
    b.info.rcps_enabled = false;
    let mut ids: Vec<&str> = Vec::new();
    let arns = d
        .user_detail_list
        .0
        .iter()
        .filter_map(|u| u.arn.as_deref())
        .chain(
            d.group_detail_list
                .0
                .iter()
                .filter_map(|g| g.arn.as_deref()),
        )
        .chain(d.role_detail_list.0.iter().filter_map(|r| r.arn.as_deref()))
        .chain(d.policies.0.iter().map(|p| &*p.arn));
    for arn in arns {
        if let Some((partition, acct)) = arn_account(arn)
            && is_account_id(acct)
            && !ids.contains(&acct)
        {
            if ids.is_empty() {
                b.info.partition = partition.into();
            }
            ids.push(acct);
        }
    }
    if ids.len() > 1 {
        b.problems.warn(
            file,
            JsonPath::default(),
            format!("the file holds principals of {} accounts ({}); each is loaded as a standalone account", ids.len(), ids.join(", ")),
        );
    }
    for id in &ids {
        let site = Site {
            file,
            path: JsonPath::default(),
        };
        let _ = b.add_account(id, id, Parent::Root, site);
    }
    if ids.is_empty() {
        b.problems.error(
            file,
            JsonPath::default(),
            "no account id found: no user, group, role or customer managed policy has an `Arn`",
        );
        return;
    }
    read_into(&d, text, file, b, None);
}

/// `(partition, account)` of an ARN.
pub(crate) fn arn_account(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.splitn(6, ':');
    (parts.next()? == "arn").then_some(())?;
    let partition = parts.next()?;
    let account = parts.nth(2)?;
    Some((partition, account))
}

/// Adds one export's IAM to existing accounts. `default` is the account the file is
/// for (export directories); entities are placed by their ARN's account.
pub(crate) fn read_into(
    d: &AuthDetails<'_>,
    text: &str,
    file: FileId,
    b: &mut Builder,
    default: Option<AccountIx>,
) {
    let mut r = Reader {
        b,
        file,
        text,
        default,
    };
    if d.is_truncated {
        r.b.problems.warn(
            file,
            jpath!["IsTruncated"],
            "the export is truncated (`IsTruncated` is true): principals and policies are missing; export again without `--max-items`",
        );
    }
    for (i, p) in d.policies.0.iter().enumerate() {
        r.policy(i, p);
    }
    for (i, g) in d.group_detail_list.0.iter().enumerate() {
        r.group(i, g);
    }
    for (i, u) in d.user_detail_list.0.iter().enumerate() {
        r.user(i, u);
    }
    for (i, x) in d.role_detail_list.0.iter().enumerate() {
        r.role(i, x);
    }
}

struct Reader<'b> {
    b: &'b mut Builder,
    file: FileId,
    text: &'b str,
    default: Option<AccountIx>,
}

impl Reader<'_> {
    fn error(&mut self, path: JsonPath, msg: impl Into<String>) {
        self.b.problems.error(self.file, path, msg);
    }

    fn warn(&mut self, path: JsonPath, msg: impl Into<String>) {
        self.b.problems.warn(self.file, path, msg);
    }

    /// A record's IAM `Path`: absent is IAM's default `/`, and so is an empty one, as
    /// tools print the default when they flatten a record (a warning says so: the ARN
    /// check that follows still catches a path that was really something else).
    fn iam_path<'p>(&mut self, path: Option<&'p str>, at: &dyn Fn() -> JsonPath) -> &'p str {
        match path {
            None => "/",
            Some("") => {
                self.warn(at(), "empty `Path`: taken as `/`, IAM's default path");
                "/"
            }
            Some(p) => p,
        }
    }

    /// The account an entity belongs to: its ARN's, else the file's.
    fn account(&mut self, arn: Option<&str>, path: &dyn Fn() -> JsonPath) -> Option<AccountIx> {
        match arn.and_then(arn_account) {
            Some((_, acct)) => match self.b.account(acct) {
                Some(ix) => {
                    if let Some(d) = self.default
                        && d != ix
                    {
                        let expected = self.b.accounts[d.index()].id.clone();
                        self.warn(path(), format!("`{}` is in account {acct}, not {expected} (the account this file is for)", arn.unwrap_or_default()));
                    }
                    Some(ix)
                }
                None if !is_account_id(acct) => {
                    self.warn(
                        path(),
                        format!(
                            "`{}` names account `{acct}`, which is not twelve digits; the record is skipped",
                            arn.unwrap_or_default()
                        ),
                    );
                    None
                }
                None => {
                    self.warn(
                        path(),
                        format!(
                            "account {acct} of `{}` is not in the organization; skipped",
                            arn.unwrap_or_default()
                        ),
                    );
                    None
                }
            },
            None if arn.is_some() => {
                self.error(
                    path(),
                    format!("`{}` is not an ARN", arn.unwrap_or_default()),
                );
                None
            }
            None => {
                if self.default.is_none() {
                    self.error(
                        path(),
                        "no `Arn`: cannot tell which account this belongs to",
                    );
                }
                self.default
            }
        }
    }

    fn document(
        &mut self,
        kind: PolicyKind,
        name: &str,
        raw: &RawValue,
        path: &dyn Fn() -> JsonPath,
    ) -> Option<DocIx> {
        self.b.raw_doc(kind, name, raw, self.text, self.file, path)
    }

    fn policy(&mut self, i: usize, p: &PolicyDetail<'_>) {
        let base = || jpath!["Policies", i];
        let versions = &p.policy_version_list.0;
        let default = versions
            .iter()
            .position(|v| v.is_default_version)
            .or_else(|| {
                let id = p.default_version_id.as_deref()?;
                versions
                    .iter()
                    .position(|v| v.version_id.as_deref() == Some(id))
            })
            .or_else(|| (versions.len() == 1).then_some(0));
        // A record with no version at all (a tool that printed the policy's header
        // only): nothing to answer with, and nothing wrong unless something attaches
        // it, which is then an error where it does.
        if versions.is_empty() {
            return self.warn(
                base().with("PolicyVersionList"),
                format!(
                    "policy `{}` has no versions; skipped (a principal it is attached to is reported there)",
                    p.policy_name
                ),
            );
        }
        let Some(vi) = default else {
            let msg = format!(
                "policy `{}` has {} versions and none is the default; expected one with `IsDefaultVersion: true`",
                p.policy_name,
                versions.len()
            );
            return self.error(base().with("PolicyVersionList"), msg);
        };
        let v = &versions[vi];
        let doc_path = || jpath!["Policies", i, "PolicyVersionList", vi, "Document"];
        let Some(raw) = v.document else {
            return self.error(
                doc_path(),
                format!(
                    "the default version of `{}` has no `Document`",
                    p.policy_name
                ),
            );
        };
        let Some(doc) = self.document(PolicyKind::Identity, &p.policy_name, raw, &doc_path) else {
            return;
        };
        let is_aws = arn_account(&p.arn).is_some_and(|(_, a)| a == "aws");
        let ix = if is_aws {
            self.b.add_aws_managed(&p.arn, doc)
        } else {
            let Some(acct) = self.account(Some(&p.arn), &|| base().with("Arn")) else {
                return;
            };
            let path = self.iam_path(p.path.as_deref(), &|| base().with("Path"));
            match self.b.add_customer_policy(acct, path, &p.policy_name, doc) {
                Ok(ix) => {
                    if let Some(m) = quota::size(
                        &format!("policy `{}`", p.policy_name),
                        self.b.doc_size(doc),
                        quota::MANAGED_POLICY_SIZE,
                    ) {
                        self.warn(doc_path(), m);
                    }
                    ix
                }
                Err(m) => return self.error(base(), m),
            }
        };
        // Versions other than the default, of a customer managed policy only: AWS
        // managed ones cannot be changed by the account.
        let others = if is_aws {
            Vec::new()
        } else {
            self.other_versions(i, p, vi)
        };
        let rec = &mut self.b.policies[ix.index()];
        if rec.other_versions.is_empty() {
            rec.other_versions = others;
        }
        rec.id = rec
            .id
            .take()
            .or_else(|| p.policy_id.as_deref().map(Into::into));
        rec.version = rec
            .version
            .take()
            .or_else(|| v.version_id.as_deref().map(Into::into));
        rec.description = rec
            .description
            .take()
            .or_else(|| p.description.as_deref().map(Into::into));
    }

    /// The versions of `p` other than its default (`default`, an index into its
    /// `PolicyVersionList`), each compiled: `iam:SetDefaultPolicyVersion` can make any
    /// of them the policy's (IAM User Guide, "Versioning IAM policies").
    fn other_versions(
        &mut self,
        i: usize,
        p: &PolicyDetail<'_>,
        default: usize,
    ) -> Vec<crate::org::entities::PolicyVersion> {
        let mut out = Vec::new();
        for (j, v) in p.policy_version_list.0.iter().enumerate() {
            if j == default {
                continue;
            }
            let at = || jpath!["Policies", i, "PolicyVersionList", j];
            let (Some(id), Some(raw)) = (v.version_id.as_deref(), v.document) else {
                self.warn(
                    at(),
                    format!(
                        "a version of `{}` without `VersionId` or `Document`; skipped",
                        p.policy_name
                    ),
                );
                continue;
            };
            // A version that is not the default governs nothing, and IAM never
            // stores one that does not parse: one that does not read here is left
            // out as before versions were kept (tests/org_import.rs loads such a
            // file clean), so only a readable version is checked.
            let readable = crate::org::docs::decode_document(raw, self.text)
                .ok()
                .filter(|src| {
                    crate::policy::Policy::parse(PolicyKind::Identity, &p.policy_name, &src.text)
                        .is_ok()
                });
            if readable.is_none() {
                continue;
            }
            let doc_path = || at().with("Document");
            if let Some(doc) = self.document(PolicyKind::Identity, &p.policy_name, raw, &doc_path) {
                out.push(crate::org::entities::PolicyVersion { id: id.into(), doc });
            }
        }
        out
    }

    fn managed(
        &mut self,
        acct: AccountIx,
        list: &[Obj<AttachedDetail<'_>>],
        path: &dyn Fn() -> JsonPath,
    ) -> Vec<PolicyIx> {
        let mut out = Vec::with_capacity(list.len());
        for (j, a) in list.iter().enumerate() {
            match self.b.resolve_managed(acct, &a.policy_arn) {
                Ok(p) if out.contains(&p) => {}
                Ok(p) => out.push(p),
                Err(m) => self.error(
                    path().with(j).with("PolicyArn"),
                    format!("{m} (not among the export's `Policies`)"),
                ),
            }
        }
        if let Some(m) = quota::managed_attachments(out.len()) {
            self.warn(path(), m);
        }
        out
    }

    fn inline(
        &mut self,
        owner: InlineOwner,
        list: &[Obj<InlineDetail<'_>>],
        limit: usize,
        path: &dyn Fn() -> JsonPath,
    ) -> Vec<PolicyIx> {
        let mut docs = Vec::with_capacity(list.len());
        for (j, p) in list.iter().enumerate() {
            let doc_path = || path().with(j).with("PolicyDocument");
            let Some(raw) = p.policy_document else {
                self.error(
                    doc_path(),
                    format!("inline policy `{}` has no `PolicyDocument`", p.policy_name),
                );
                continue;
            };
            docs.extend(self.document(PolicyKind::Identity, &p.policy_name, raw, &doc_path));
        }
        self.b.add_inlines(owner, docs, limit, self.file, path)
    }

    fn boundary(
        &mut self,
        acct: AccountIx,
        b: Option<&Obj<BoundaryDetail<'_>>>,
        path: &dyn Fn() -> JsonPath,
    ) -> Option<PolicyIx> {
        let arn = b?.permissions_boundary_arn.as_deref()?;
        match self.b.resolve_managed(acct, arn) {
            Ok(p) => Some(p),
            Err(m) => {
                self.error(path(), m);
                None
            }
        }
    }

    /// Warns when the export's ARN is not the one its path and name make.
    fn check_arn(&mut self, given: Option<&str>, made: &str, path: &dyn Fn() -> JsonPath) {
        if let Some(g) = given
            && g != made
        {
            self.warn(
                path(),
                format!("`Arn` `{g}` does not match `Path` and name (`{made}`)"),
            );
        }
    }

    fn group(&mut self, i: usize, g: &GroupDetail<'_>) {
        let base = || jpath!["GroupDetailList", i];
        let Some(acct) = self.account(g.arn.as_deref(), &|| base().with("Arn")) else {
            return;
        };
        let iam_path = self.iam_path(g.path.as_deref(), &|| base().with("Path"));
        let gx = match self.b.add_group(acct, iam_path, &g.group_name) {
            Ok(x) => x,
            Err(m) => return self.error(base(), m),
        };
        let made = self.b.groups[gx.index()].arn.clone();
        self.check_arn(g.arn.as_deref(), &made, &|| base().with("Arn"));
        let managed = self.managed(acct, &g.attached_managed_policies.0, &|| {
            base().with("AttachedManagedPolicies")
        });
        let inline = self.inline(
            InlineOwner::Group(gx),
            &g.group_policy_list.0,
            quota::GROUP_INLINE_SIZE,
            &|| base().with("GroupPolicyList"),
        );
        let x = &mut self.b.groups[gx.index()];
        x.managed = managed.into_iter().collect();
        x.inline = inline.into_iter().collect();
        x.id = g.group_id.as_deref().map(Into::into);
        x.created = g.create_date.0;
    }

    fn user(&mut self, i: usize, u: &UserDetail<'_>) {
        let base = || jpath!["UserDetailList", i];
        let Some(acct) = self.account(u.arn.as_deref(), &|| base().with("Arn")) else {
            return;
        };
        let iam_path = self.iam_path(u.path.as_deref(), &|| base().with("Path"));
        let ux = match self.b.add_user(acct, iam_path, &u.user_name) {
            Ok(x) => x,
            Err(m) => return self.error(base(), m),
        };
        let made = self.b.users[ux.index()].arn.clone();
        self.check_arn(u.arn.as_deref(), &made, &|| base().with("Arn"));
        let mut groups = smallvec::SmallVec::new();
        for (j, g) in u.group_list.0.iter().enumerate() {
            match self.b.find_group(acct, g) {
                Some(gx) if groups.contains(&gx) => {}
                Some(gx) => groups.push(gx),
                None => self.error(
                    base().with("GroupList").with(j),
                    format!(
                        "user `{}` is in group `{g}`, which is not in `GroupDetailList`",
                        u.user_name
                    ),
                ),
            }
        }
        if let Some(m) = quota::count("groups", groups.len(), quota::GROUPS_PER_USER, " per user") {
            self.warn(base().with("GroupList"), m);
        }
        let managed = self.managed(acct, &u.attached_managed_policies.0, &|| {
            base().with("AttachedManagedPolicies")
        });
        let inline = self.inline(
            InlineOwner::User(ux),
            &u.user_policy_list.0,
            quota::USER_INLINE_SIZE,
            &|| base().with("UserPolicyList"),
        );
        let boundary = self.boundary(acct, u.permissions_boundary.as_ref(), &|| {
            base().with("PermissionsBoundary")
        });
        let x = &mut self.b.users[ux.index()];
        x.groups = groups;
        x.managed = managed.into_iter().collect();
        x.inline = inline.into_iter().collect();
        x.boundary = boundary;
        x.tags = tags(&u.tags.0);
        x.id = u.user_id.as_deref().map(Into::into);
        x.created = u.create_date.0;
    }

    fn role(&mut self, i: usize, r: &RoleDetail<'_>) {
        let base = || jpath!["RoleDetailList", i];
        let Some(acct) = self.account(r.arn.as_deref(), &|| base().with("Arn")) else {
            return;
        };
        let iam_path = self.iam_path(r.path.as_deref(), &|| base().with("Path"));
        let rx = match self.b.add_role(acct, iam_path, &r.role_name) {
            Ok(x) => x,
            Err(m) => return self.error(base(), m),
        };
        let made = self.b.roles[rx.index()].arn.clone();
        self.check_arn(r.arn.as_deref(), &made, &|| base().with("Arn"));
        let trust_path = || base().with("AssumeRolePolicyDocument");
        match r.assume_role_policy_document {
            Some(raw) => {
                if let Some(doc) =
                    self.document(PolicyKind::Resource, trust::NAME, raw, &trust_path)
                {
                    self.b.set_trust(rx, doc);
                    if let Some(m) = quota::size("the trust policy", self.b.doc_size(doc), 4_096) {
                        self.warn(trust_path(), m);
                    }
                }
            }
            None => self.warn(
                base(),
                format!(
                    "role `{}` has no `AssumeRolePolicyDocument`: nobody can assume it",
                    r.role_name
                ),
            ),
        }
        let managed = self.managed(acct, &r.attached_managed_policies.0, &|| {
            base().with("AttachedManagedPolicies")
        });
        let inline = self.inline(
            InlineOwner::Role(rx),
            &r.role_policy_list.0,
            quota::ROLE_INLINE_SIZE,
            &|| base().with("RolePolicyList"),
        );
        let boundary = self.boundary(acct, r.permissions_boundary.as_ref(), &|| {
            base().with("PermissionsBoundary")
        });
        let x = &mut self.b.roles[rx.index()];
        x.managed = managed.into_iter().collect();
        x.inline = inline.into_iter().collect();
        x.boundary = boundary;
        x.tags = tags(&r.tags.0);
        x.id = r.role_id.as_deref().map(Into::into);
        x.created = r.create_date.0;
        x.description = r.description.as_deref().map(Into::into);
        x.max_session_duration = r.max_session_duration;
        let profiles = r.instance_profile_list.as_ref().map(|list| {
            self.instance_profiles(acct, &list.0, &|| base().with("InstanceProfileList"))
        });
        let x = &mut self.b.roles[rx.index()];
        x.instance_profiles = profiles;
        // An empty `RoleLastUsed {}` is IAM saying the role was never used (within its
        // 400-day tracking window); no key at all is an export that does not say.
        x.last_used = r.role_last_used.as_ref().map(|l| LastUsed {
            date: l.last_used_date.0,
            region: l.region.as_deref().map(Into::into),
        });
    }
}

impl Reader<'_> {
    /// A role's instance profiles, by ARN (made from `Path` and name where the export
    /// has no `Arn`).
    fn instance_profiles(
        &mut self,
        acct: AccountIx,
        list: &[Obj<InstanceProfileDetail<'_>>],
        path: &dyn Fn() -> JsonPath,
    ) -> Vec<InstanceProfile> {
        let mut out: Vec<InstanceProfile> = Vec::with_capacity(list.len());
        for (j, p) in list.iter().enumerate() {
            let iam_path = self.iam_path(p.path.as_deref(), &|| path().with(j).with("Path"));
            let made = self
                .b
                .iam_arn(acct, "instance-profile", iam_path, &p.instance_profile_name);
            self.check_arn(p.arn.as_deref(), &made, &|| path().with(j).with("Arn"));
            if !out.iter().any(|x| *x.arn == made) {
                out.push(InstanceProfile { arn: made.into() });
            }
        }
        out
    }
}

fn tags(list: &[Obj<TagDetail<'_>>]) -> Vec<Tag> {
    list.iter()
        .map(|t| Tag {
            key: (*t.key).into(),
            value: (*t.value).into(),
        })
        .collect()
}
