//! The IAM inside an account of a native file: customer managed policies, groups,
//! users, roles and resources.

use serde_json::value::RawValue;

use super::Reader;
use super::schema::*;
use super::trust;
use crate::org::builder::check_iam_path;
use crate::org::de::{Entries, Obj, Str};
use crate::org::entities::{
    AccessKey, Credentials, InlineOwner, LastUsed, Password, ResourceKind, Tag,
};
use crate::org::ids::*;
use crate::org::quota;
use crate::org::report::{JsonPath, jpath};
use crate::policy::PolicyKind;

impl<'b> Reader<'b> {
    pub(super) fn iam(&mut self, i: usize, ix: AccountIx, a: &AccountDef<'b>) {
        for (name, def) in &a.policies.0 {
            let doc_path = || jpath!["accounts", i, "policies", name, "document"];
            let Some(doc) = self.document(PolicyKind::Identity, name, def.document, &doc_path)
            else {
                continue;
            };
            let iam_path = def.path.as_deref().unwrap_or("/");
            if let Err(m) = check_iam_path(iam_path) {
                self.error(jpath!["accounts", i, "policies", name, "path"], m);
                continue;
            }
            match self.b.add_customer_policy(ix, iam_path, name, doc) {
                Ok(p) => {
                    self.b.policies[p.index()].description =
                        def.description.as_deref().map(Into::into);
                    let mut others = Vec::new();
                    for (v, raw) in &def.other_versions.0 {
                        let at = || jpath!["accounts", i, "policies", name, "other_versions", v];
                        if let Some(doc) = self.document(PolicyKind::Identity, name, raw, &at) {
                            others.push(crate::org::entities::PolicyVersion {
                                id: (**v).into(),
                                doc,
                            });
                        }
                    }
                    self.b.policies[p.index()].other_versions = others;
                    if let Some(m) = quota::size(
                        &format!("policy `{name}`"),
                        self.b.doc_size(doc),
                        quota::MANAGED_POLICY_SIZE,
                    ) {
                        self.warn(doc_path(), m);
                    }
                }
                Err(m) => self.error(jpath!["accounts", i, "policies", name], m),
            }
        }
        for (name, def) in &a.groups.0 {
            let base = || jpath!["accounts", i, "groups", name];
            let iam_path = def.path.as_deref().unwrap_or("/");
            if let Err(m) = check_iam_path(iam_path) {
                self.error(base().with("path"), m);
                continue;
            }
            let gx = match self.b.add_group(ix, iam_path, name) {
                Ok(g) => g,
                Err(m) => {
                    self.error(base(), m);
                    continue;
                }
            };
            let managed = self.managed(ix, &def.managed, &|| base().with("managed"));
            self.b.groups[gx.index()].managed = managed.into_iter().collect();
            let inline = self.inline(
                InlineOwner::Group(gx),
                &def.inline,
                quota::GROUP_INLINE_SIZE,
                &|| base().with("inline"),
            );
            self.b.groups[gx.index()].inline = inline.into_iter().collect();
        }
        for (name, def) in &a.users.0 {
            self.user(i, ix, name, def);
        }
        for (name, def) in &a.roles.0 {
            self.role(i, ix, name, def);
        }
        for (arn, def) in &a.resources.0 {
            let base = || jpath!["accounts", i, "resources", arn];
            let rx = match self.b.add_resource(ix, arn) {
                Ok(r) => r,
                Err(m) => {
                    self.error(base(), m);
                    continue;
                }
            };
            let kind = self.b.resources[rx.index()].kind;
            if def.aws_managed {
                if kind == ResourceKind::KmsKey {
                    self.b.resources[rx.index()].aws_managed = true;
                } else {
                    self.error(
                        base().with("aws_managed"),
                        format!("`aws_managed` marks an AWS managed KMS key, and `{arn}` is not a KMS key; expected an ARN arn:PARTITION:kms:REGION:ACCOUNT:key/KEY-ID"),
                    );
                }
            }
            if let Some(bpa) = def.public_access_block {
                if kind == ResourceKind::S3Bucket {
                    self.b.resources[rx.index()].public_access_block = Some(bpa.into());
                } else {
                    self.error(
                        base().with("public_access_block"),
                        format!("`public_access_block` is S3 Block Public Access, and `{arn}` is not an S3 bucket; expected an ARN arn:PARTITION:s3:::BUCKET"),
                    );
                }
            }
            let path = || base().with("policy");
            let Some(raw) = def.policy else { continue };
            if let Some(doc) = self.document(PolicyKind::Resource, kind.policy_name(), raw, &path) {
                self.b.set_resource_policy(rx, doc);
                if let Some(limit) = kind.size_quota()
                    && let Some(m) = quota::size(
                        &format!("the {} of `{arn}`", kind.policy_name()),
                        self.b.doc_size(doc),
                        limit,
                    )
                {
                    self.warn(path(), m);
                }
            }
        }
    }

    fn user(&mut self, i: usize, ix: AccountIx, name: &Str<'_>, def: &UserDef<'_>) {
        let base = || jpath!["accounts", i, "users", name];
        let iam_path = def.path.as_deref().unwrap_or("/");
        if let Err(m) = check_iam_path(iam_path) {
            self.error(base().with("path"), m);
            return;
        }
        let ux = match self.b.add_user(ix, iam_path, name) {
            Ok(u) => u,
            Err(m) => {
                self.error(base(), m);
                return;
            }
        };
        let mut groups = smallvec::SmallVec::new();
        for (j, g) in def.groups.iter().enumerate() {
            match self.b.find_group(ix, g) {
                Some(gx) if groups.contains(&gx) => self.warn(
                    base().with("groups").with(j),
                    format!("group `{g}` is listed twice"),
                ),
                Some(gx) => groups.push(gx),
                None => self.error(
                    base().with("groups").with(j),
                    format!(
                        "no group `{g}` in account {}; expected one of the account's `groups`",
                        self.b.accounts[ix.index()].id
                    ),
                ),
            }
        }
        if let Some(m) = quota::count("groups", groups.len(), quota::GROUPS_PER_USER, " per user") {
            self.warn(base().with("groups"), m);
        }
        let managed = self.managed(ix, &def.managed, &|| base().with("managed"));
        let inline = self.inline(
            InlineOwner::User(ux),
            &def.inline,
            quota::USER_INLINE_SIZE,
            &|| base().with("inline"),
        );
        let boundary = self.boundary(ix, def.boundary.as_deref(), &|| base().with("boundary"));
        let tags = self.tags(&def.tags, &|| base().with("tags"));
        let u = &mut self.b.users[ux.index()];
        u.groups = groups;
        u.managed = managed.into_iter().collect();
        u.inline = inline.into_iter().collect();
        u.boundary = boundary;
        u.tags = tags;
        u.id = def.id.as_deref().map(Into::into);
        u.created = def.created.0;
        u.credentials = credentials(&def.mfa, &def.password, &def.access_keys);
    }

    fn role(&mut self, i: usize, ix: AccountIx, name: &Str<'_>, def: &RoleDef<'b>) {
        let base = || jpath!["accounts", i, "roles", name];
        let iam_path = def.path.as_deref().unwrap_or("/");
        if let Err(m) = check_iam_path(iam_path) {
            self.error(base().with("path"), m);
            return;
        }
        let rx = match self.b.add_role(ix, iam_path, name) {
            Ok(r) => r,
            Err(m) => {
                self.error(base(), m);
                return;
            }
        };
        let trust_path = || base().with("trust");
        let cached = self.trusts.get(def.trust.get()).copied();
        let trust = if cached.is_some() {
            cached
        } else if def.trust.get().starts_with('[') {
            let partition = self.b.info.partition.clone();
            match serde_json::from_str::<Vec<String>>(def.trust.get())
                .map_err(|e| crate::org::report::json_message(&e))
                .and_then(|list| trust::expand(&partition, &list))
            {
                Ok(text) => {
                    let src = crate::org::docs::DocSource {
                        text: text.into(),
                        origin: crate::org::docs::DocOrigin::Synthetic,
                    };
                    let doc = self.b.doc(
                        PolicyKind::Resource,
                        trust::NAME,
                        &src,
                        self.file,
                        trust_path,
                    );
                    self.trusts.insert(def.trust.get(), doc);
                    Some(doc)
                }
                Err(m) => {
                    self.error(trust_path(), m);
                    None
                }
            }
        } else {
            self.document(PolicyKind::Resource, trust::NAME, def.trust, &trust_path)
        };
        if let Some(doc) = trust {
            self.b.set_trust(rx, doc);
            if let Some(m) = quota::size(
                "the trust policy",
                self.b.doc_size(doc),
                quota::TRUST_POLICY_SIZE,
            ) {
                self.warn(
                    trust_path(),
                    format!("{m} by default (up to 4,096 on request)"),
                );
            }
        }
        let managed = self.managed(ix, &def.managed, &|| base().with("managed"));
        let inline = self.inline(
            InlineOwner::Role(rx),
            &def.inline,
            quota::ROLE_INLINE_SIZE,
            &|| base().with("inline"),
        );
        let boundary = self.boundary(ix, def.boundary.as_deref(), &|| base().with("boundary"));
        let tags = self.tags(&def.tags, &|| base().with("tags"));
        let r = &mut self.b.roles[rx.index()];
        r.managed = managed.into_iter().collect();
        r.inline = inline.into_iter().collect();
        r.boundary = boundary;
        r.tags = tags;
        r.id = def.id.as_deref().map(Into::into);
        r.created = def.created.0;
        r.description = def.description.as_deref().map(Into::into);
        r.max_session_duration = def.max_session_duration;
        r.last_used = def.last_used.0.as_ref().map(|(date, region)| LastUsed {
            date: date.0,
            region: region.as_deref().map(Into::into),
        });
        let profiles = def
            .instance_profiles
            .as_ref()
            .map(|list| self.instance_profiles(ix, list, &|| base().with("instance_profiles")));
        self.b.roles[rx.index()].instance_profiles = profiles;
    }

    /// Instance profile ARNs of `ix`'s account (`arn:aws:iam::ACCOUNT:instance-profile/NAME`).
    fn instance_profiles(
        &mut self,
        ix: AccountIx,
        list: &[Str<'_>],
        path: &dyn Fn() -> JsonPath,
    ) -> Vec<crate::org::entities::InstanceProfile> {
        let account = self.b.accounts[ix.index()].id.clone();
        let partition = self.b.info.partition.clone();
        let prefix = format!("arn:{partition}:iam::{account}:instance-profile/");
        let mut out: Vec<crate::org::entities::InstanceProfile> = Vec::new();
        for (j, arn) in list.iter().enumerate() {
            let name = arn.strip_prefix(&prefix).unwrap_or_default();
            if name.is_empty() || name.ends_with('/') {
                self.error(
                    path().with(j),
                    format!(
                        "`{}` is not an instance profile of account {account}; expected {prefix}NAME",
                        &**arn
                    ),
                );
                continue;
            }
            if !out.iter().any(|p| *p.arn == **arn) {
                out.push(crate::org::entities::InstanceProfile {
                    arn: (**arn).into(),
                });
            }
        }
        out
    }

    fn managed(
        &mut self,
        ix: AccountIx,
        refs: &[Str<'_>],
        path: &dyn Fn() -> JsonPath,
    ) -> Vec<PolicyIx> {
        let mut out = Vec::with_capacity(refs.len());
        for (j, r) in refs.iter().enumerate() {
            match self.b.resolve_managed(ix, r) {
                Ok(p) if out.contains(&p) => {
                    self.warn(path().with(j), format!("`{r}` is attached twice"))
                }
                Ok(p) => out.push(p),
                Err(m) => self.error(path().with(j), m),
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
        defs: &Entries<'_, &RawValue>,
        limit: usize,
        path: &dyn Fn() -> JsonPath,
    ) -> Vec<PolicyIx> {
        let mut docs = Vec::with_capacity(defs.0.len());
        for (name, raw) in &defs.0 {
            docs.extend(self.document(PolicyKind::Identity, name, raw, &|| path().with(name)));
        }
        self.b.add_inlines(owner, docs, limit, self.file, path)
    }

    fn boundary(
        &mut self,
        ix: AccountIx,
        r: Option<&str>,
        path: &dyn Fn() -> JsonPath,
    ) -> Option<PolicyIx> {
        match self.b.resolve_managed(ix, r?) {
            Ok(p) => Some(p),
            Err(m) => {
                self.error(
                    path(),
                    format!("{m} (a permissions boundary must be a managed policy)"),
                );
                None
            }
        }
    }

    fn tags(&mut self, tags: &Entries<'_, Str<'_>>, path: &dyn Fn() -> JsonPath) -> Vec<Tag> {
        if let Some(m) = quota::count("tags", tags.0.len(), quota::TAGS_PER_PRINCIPAL, "") {
            self.warn(path(), m);
        }
        tags.0
            .iter()
            .map(|(k, v)| Tag {
                key: (**k).into(),
                value: (**v).into(),
            })
            .collect()
    }
}

pub(super) fn credentials(
    mfa: &Mfa<'_>,
    password: &PasswordDef,
    keys: &[Obj<AccessKeyDef<'_>>],
) -> Credentials {
    Credentials {
        mfa: mfa.active,
        mfa_devices: mfa.devices.iter().map(|d| (**d).into()).collect(),
        password: password.0.map(|(used, changed)| Password {
            last_used: used.0,
            last_changed: changed.0,
        }),
        access_keys: keys
            .iter()
            .map(|k| AccessKey {
                id: k.id.as_deref().map(Into::into),
                active: k.active,
                created: k.created.0,
                last_used: k.last_used.0,
                last_service: k.last_service.as_deref().map(Into::into),
                last_region: k.last_region.as_deref().map(Into::into),
            })
            .collect(),
    }
}
