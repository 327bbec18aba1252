//! The native org file: one JSON document a person can write by hand.
//! See docs/org-format.md.

pub(crate) mod schema;
pub(crate) mod trust;

use std::collections::HashMap;

use serde_json::value::RawValue;

use super::builder::{Builder, Site, check_iam_path, is_account_id};
use super::de::{Entries, Obj, Str, from_str_tracked};
use super::docs::decode_document;
use super::entities::{AccessKey, Credentials, InlineOwner, LastUsed, Password, Tag};
use super::ids::*;
use super::quota;
use super::report::{FileId, JsonPath, jpath};
use crate::policy::PolicyKind;
use schema::*;

/// Reads a native file into the builder; problems go to the builder's list.
pub(crate) fn read(text: &str, file: FileId, b: &mut Builder) {
    match from_str_tracked::<Obj<File>>(text) {
        Ok(f) => Reader {
            b,
            file,
            text,
            trusts: Default::default(),
        }
        .run(&f),
        Err(e) => b.problems.json_error(file, e),
    }
}

#[derive(Clone, Copy)]
enum Target {
    Root,
    Ou(OuIx),
    Account(AccountIx),
}

struct Reader<'b> {
    b: &'b mut Builder,
    file: FileId,
    text: &'b str,
    /// Trust shorthands already expanded, by their text: a large organization has
    /// thousands of roles trusting the same few principals.
    trusts: super::hash::FxMap<&'b str, DocIx>,
}

fn is_org_id(id: &str) -> bool {
    id.strip_prefix("o-").is_some_and(|r| {
        (10..=32).contains(&r.len())
            && r.bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    })
}

fn is_ou_id(id: &str) -> bool {
    let Some(rest) = id.strip_prefix("ou-") else {
        return false;
    };
    let Some((a, b)) = rest.split_once('-') else {
        return false;
    };
    let ok = |s: &str| {
        s.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    };
    (4..=32).contains(&a.len()) && (8..=32).contains(&b.len()) && ok(a) && ok(b)
}

/// An OU id made from its name when the file gives none: `ou-root-workloads`.
fn synthetic_ou_id(name: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut slug: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .take(24)
        .collect();
    while slug.len() < 8 {
        slug.push('0');
    }
    let mut id = format!("ou-root-{slug}");
    let mut n = 2;
    while taken(&id) {
        id = format!("ou-root-{slug}{n}");
        n += 1;
    }
    id
}

impl<'b> Reader<'b> {
    fn error(&mut self, path: JsonPath, msg: impl Into<String>) {
        self.b.problems.error(self.file, path, msg);
    }

    fn warn(&mut self, path: JsonPath, msg: impl Into<String>) {
        self.b.problems.warn(self.file, path, msg);
    }

    fn site(&self, path: JsonPath) -> Site {
        Site {
            file: self.file,
            path,
        }
    }

    fn run(&mut self, f: &File<'b>) {
        let in_org = f.organization.is_some();
        match &f.organization {
            Some(o) => {
                if !is_org_id(&o.id) {
                    self.warn(
                        jpath!["organization", "id"],
                        format!("`{}` is not an organization id; AWS ids look like `o-` and 10 to 32 lower-case letters or digits", o.id),
                    );
                }
                self.b.info.id = Some((*o.id).into());
                self.b.info.description = o.description.as_deref().map(Into::into);
                if let Some(p) = &o.partition {
                    self.b.info.partition = (**p).into();
                }
                self.b.info.scps_enabled = o.scps_enabled;
                self.b.info.rcps_enabled = o.rcps_enabled;
            }
            None => {
                for (present, key) in [
                    (f.root.is_some(), "root"),
                    (!f.scps.0.is_empty(), "scps"),
                    (!f.rcps.0.is_empty(), "rcps"),
                    (!f.ous.is_empty(), "ous"),
                ] {
                    if present {
                        self.error(
                            jpath![key],
                            format!("`{key}` needs an `organization` section; without one the accounts are standalone"),
                        );
                    }
                }
            }
        }
        let root = f.root.as_ref();
        self.b.root.id = root
            .and_then(|r| r.id.as_deref())
            .unwrap_or("r-root")
            .into();
        self.b.root.name = root
            .and_then(|r| r.name.as_deref())
            .unwrap_or("Root")
            .into();
        self.b.root_site = in_org.then(|| {
            self.site(if root.is_some() {
                jpath!["root"]
            } else {
                jpath!["organization"]
            })
        });

        let count =
            |get: fn(&AccountDef<'_>) -> usize| f.accounts.iter().map(|a| get(a)).sum::<usize>();
        let users = count(|a| a.users.0.len());
        let roles = count(|a| a.roles.0.len());
        let groups = count(|a| a.groups.0.len());
        let policies =
            count(|a| a.policies.0.len() + a.resources.0.len()) + users + roles * 3 + groups * 2;
        self.b.reserve(users, groups, roles, policies);
        self.aws_managed(&f.aws_managed);
        self.org_policies(false, &f.scps);
        self.org_policies(true, &f.rcps);
        let ous = self.ous(&f.ous, in_org);
        if in_org {
            self.attach(
                Target::Root,
                root.and_then(|r| r.scps.as_deref()),
                false,
                &|| jpath!["root", "scps"],
            );
            self.attach(
                Target::Root,
                root.and_then(|r| r.rcps.as_deref()),
                true,
                &|| jpath!["root", "rcps"],
            );
        }
        for (i, (ix, def)) in ous.iter().zip(&f.ous).enumerate() {
            if let Some(ix) = *ix {
                self.attach(Target::Ou(ix), def.scps.as_deref(), false, &|| {
                    jpath!["ous", i, "scps"]
                });
                self.attach(Target::Ou(ix), def.rcps.as_deref(), true, &|| {
                    jpath!["ous", i, "rcps"]
                });
            }
        }
        let names = self.ou_names(&f.ous, &ous);
        for (i, a) in f.accounts.iter().enumerate() {
            self.account(i, a, in_org, &names);
        }
        if let Some(o) = &f.organization {
            match self.b.account(&o.management_account) {
                Some(ix) => self.b.info.management_account = Some(ix),
                None => self.error(
                    jpath!["organization", "management_account"],
                    format!(
                        "management account `{}` is not among `accounts`; list it there (it can be empty)",
                        o.management_account
                    ),
                ),
            }
        }
    }

    fn org_policies(&mut self, rcp: bool, defs: &Entries<'_, Obj<OrgPolicyDef<'_>>>) {
        let (key, kind) = if rcp {
            ("rcps", PolicyKind::Rcp)
        } else {
            ("scps", PolicyKind::Scp)
        };
        for (name, def) in &defs.0 {
            let path = || jpath![key, name, "document"];
            let Some(doc) = self.document(kind, name, def.document, &path) else {
                continue;
            };
            if let Some(m) = quota::size(
                &format!("{} `{name}`", if rcp { "RCP" } else { "SCP" }),
                self.b.doc_size(doc),
                quota::ORG_POLICY_SIZE,
            ) {
                self.warn(path(), m);
            }
            if let Some(m) = ["FullAWSAccess", "RCPFullAWSAccess"]
                .into_iter()
                .find(|b| *b == &**name)
            {
                self.warn(
                    jpath![key, name],
                    format!("`{m}` is built in; this definition replaces it"),
                );
            }
            if let Err(m) = self.b.org_policy(
                rcp,
                name,
                def.id.as_deref(),
                def.arn.as_deref(),
                def.description.as_deref(),
                doc,
            ) {
                self.error(jpath![key, name], m);
            }
        }
    }

    fn aws_managed(&mut self, defs: &Entries<'_, Obj<AwsManagedDef<'_>>>) {
        for (arn, def) in &defs.0 {
            let name = arn.rsplit('/').next().unwrap_or_default();
            let is_aws =
                arn.starts_with("arn:") && arn.contains(":iam::aws:policy/") && !name.is_empty();
            if !is_aws {
                self.error(
                    jpath!["aws_managed", arn],
                    format!("`{arn}` is not an AWS managed policy ARN; expected arn:aws:iam::aws:policy/NAME"),
                );
                continue;
            }
            let path = || jpath!["aws_managed", arn, "document"];
            if let Some(doc) = self.document(PolicyKind::Identity, name, def.document, &path) {
                let p = self.b.add_aws_managed(arn, doc);
                let rec = &mut self.b.policies[p.index()];
                rec.version = def.version.as_deref().map(Into::into);
                rec.description = def.description.as_deref().map(Into::into);
            }
        }
    }

    /// Adds every OU, then links each to its parent.
    fn ous(&mut self, defs: &[Obj<OuDef<'_>>], in_org: bool) -> Vec<Option<OuIx>> {
        let mut out = Vec::with_capacity(defs.len());
        let given: Vec<&str> = defs.iter().filter_map(|d| d.id.as_deref()).collect();
        for (i, d) in defs.iter().enumerate() {
            let id = match &d.id {
                Some(id) => {
                    if !is_ou_id(id) {
                        self.warn(
                            jpath!["ous", i, "id"],
                            format!("`{id}` is not an OU id; AWS ids look like `ou-` 4-32 letters or digits `-` 8-32 letters or digits"),
                        );
                    }
                    id.to_string()
                }
                None => synthetic_ou_id(&d.name, |x| given.contains(&x) || self.b.ou(x).is_some()),
            };
            let site = self.site(jpath!["ous", i]);
            match self.b.add_ou(&id, &d.name, Parent::Root, site) {
                Ok(ix) => out.push(Some(ix)),
                Err(m) => {
                    self.error(jpath!["ous", i, "id"], m);
                    out.push(None);
                }
            }
        }
        if !in_org {
            return out;
        }
        let names = self.ou_names(defs, &out);
        for (i, (ix, d)) in out.iter().zip(defs).enumerate() {
            let Some(ix) = *ix else { continue };
            let parent = match d.parent.as_deref() {
                None => Parent::Root,
                Some(r) => match self.parent(r, &names) {
                    Ok(Parent::Ou(p)) if p == ix => {
                        self.error(
                            jpath!["ous", i, "parent"],
                            format!("OU `{}` is its own parent", d.name),
                        );
                        Parent::Root
                    }
                    Ok(p) => p,
                    Err(m) => {
                        self.error(jpath!["ous", i, "parent"], m);
                        Parent::Root
                    }
                },
            };
            self.b.ous[ix.index()].parent = parent;
        }
        out
    }

    fn ou_names<'n>(
        &self,
        defs: &'n [Obj<OuDef<'_>>],
        ixs: &[Option<OuIx>],
    ) -> HashMap<&'n str, Vec<OuIx>> {
        let mut names: HashMap<&str, Vec<OuIx>> = HashMap::new();
        for (d, ix) in defs.iter().zip(ixs) {
            if let Some(ix) = ix {
                names.entry(&d.name).or_default().push(*ix);
            }
        }
        names
    }

    /// `root`, the root's id or name, an OU id, or an OU name that is unique.
    fn parent(&self, r: &str, names: &HashMap<&str, Vec<OuIx>>) -> Result<Parent, String> {
        if r.eq_ignore_ascii_case("root") || r == &*self.b.root.id || r == &*self.b.root.name {
            return Ok(Parent::Root);
        }
        if let Some(ix) = self.b.ou(r) {
            return Ok(Parent::Ou(ix));
        }
        match names.get(r).map(Vec::as_slice) {
            Some([one]) => Ok(Parent::Ou(*one)),
            Some(many) => Err(format!(
                "`{r}` names {} OUs; refer to the parent by its `id`",
                many.len()
            )),
            None => Err(format!(
                "unknown parent `{r}`; expected `root`, or the id or name of an OU under `ous`"
            )),
        }
    }

    /// Attaches SCPs (or RCPs) to a target; when the file does not say, AWS's default:
    /// FullAWSAccess (RCPFullAWSAccess) alone.
    fn attach(
        &mut self,
        t: Target,
        list: Option<&[Str<'_>]>,
        rcp: bool,
        path: &dyn Fn() -> JsonPath,
    ) {
        let enabled = if rcp {
            self.b.info.rcps_enabled
        } else {
            self.b.info.scps_enabled
        };
        let default = [Str(if rcp {
            "RCPFullAWSAccess"
        } else {
            "FullAWSAccess"
        }
        .into())];
        let list = match list {
            Some(l) => l,
            None if enabled => &default[..],
            None => return,
        };
        let mut seen = Vec::with_capacity(list.len());
        for (j, r) in list.iter().enumerate() {
            match self.b.find_org_policy(rcp, r) {
                Ok(p) if seen.contains(&p) => {
                    self.warn(path().with(j), format!("`{r}` is attached twice"))
                }
                Ok(p) => {
                    seen.push(p);
                    let (scps, rcps) = match t {
                        Target::Root => (&mut self.b.root.scps, &mut self.b.root.rcps),
                        Target::Ou(o) => {
                            let ou = &mut self.b.ous[o.index()];
                            (&mut ou.scps, &mut ou.rcps)
                        }
                        Target::Account(a) => {
                            let x = &mut self.b.accounts[a.index()];
                            (&mut x.scps, &mut x.rcps)
                        }
                    };
                    if rcp { rcps } else { scps }.push(p);
                }
                Err(m) => self.error(path().with(j), m),
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
        match decode_document(raw, self.text) {
            Ok(src) => Some(self.b.doc(kind, name, &src, self.file, path)),
            Err(m) => {
                self.error(path(), m);
                None
            }
        }
    }

    fn account(
        &mut self,
        i: usize,
        a: &AccountDef<'b>,
        in_org: bool,
        names: &HashMap<&str, Vec<OuIx>>,
    ) {
        if !is_account_id(&a.id) {
            self.error(
                jpath!["accounts", i, "id"],
                format!("`{}` is not an account id; expected 12 digits", a.id),
            );
            return;
        }
        let parent = match (&a.parent, in_org) {
            (None, _) => Parent::Root,
            (Some(r), true) => match self.parent(r, names) {
                Ok(p) => p,
                Err(m) => {
                    self.error(jpath!["accounts", i, "parent"], m);
                    Parent::Root
                }
            },
            (Some(_), false) => {
                self.error(
                    jpath!["accounts", i, "parent"],
                    "`parent` needs an `organization` section",
                );
                Parent::Root
            }
        };
        if !in_org {
            for (present, key) in [(a.scps.is_some(), "scps"), (a.rcps.is_some(), "rcps")] {
                if present {
                    self.error(
                        jpath!["accounts", i, key],
                        format!("`{key}` needs an `organization` section"),
                    );
                }
            }
        }
        let site = self.site(jpath!["accounts", i]);
        let ix = match self.b.add_account(&a.id, &a.name, parent, site) {
            Ok(ix) => ix,
            Err(existing) => {
                let before = self.b.accounts[existing.index()].parent;
                let msg = if before != parent {
                    format!(
                        "account {} is in two places: {} and {}; an account has one parent",
                        a.id,
                        self.b.parent_name(before),
                        self.b.parent_name(parent)
                    )
                } else {
                    format!("a second account with id {}", a.id)
                };
                self.error(jpath!["accounts", i, "id"], msg);
                return;
            }
        };
        let acct = &mut self.b.accounts[ix.index()];
        acct.email = a.email.as_deref().map(Into::into);
        acct.status = a.status.as_deref().map(Into::into);
        if let Some(c) = &a.root_user {
            acct.root_user = Some(credentials(&c.mfa, &c.password, &c.access_keys));
        }
        if in_org {
            self.attach(Target::Account(ix), a.scps.as_deref(), false, &|| {
                jpath!["accounts", i, "scps"]
            });
            self.attach(Target::Account(ix), a.rcps.as_deref(), true, &|| {
                jpath!["accounts", i, "rcps"]
            });
        }
        self.iam(i, ix, a);
    }

    fn iam(&mut self, i: usize, ix: AccountIx, a: &AccountDef<'b>) {
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
            let path = || base().with("policy");
            if let Some(doc) =
                self.document(PolicyKind::Resource, kind.policy_name(), def.policy, &path)
            {
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
                .map_err(|e| super::report::json_message(&e))
                .and_then(|list| trust::expand(&partition, &list))
            {
                Ok(text) => {
                    let src = super::docs::DocSource {
                        text: text.into(),
                        origin: super::docs::DocOrigin::Synthetic,
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
        let mut out = Vec::with_capacity(defs.0.len());
        let mut total = 0;
        for (name, raw) in &defs.0 {
            if let Some(doc) = self.document(PolicyKind::Identity, name, raw, &|| path().with(name))
            {
                total += self.b.doc_size(doc);
                out.push(self.b.add_inline(owner, doc));
            }
        }
        if let Some(m) = quota::size("the inline policies together", total, limit) {
            self.warn(path(), m);
        }
        out
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

fn credentials(
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
