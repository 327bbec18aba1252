//! The native org file: one JSON document a person can write by hand.
//! See docs/org-format.md.

mod iam;
pub(crate) mod schema;
pub(crate) mod trust;

use std::collections::HashMap;

use serde_json::value::RawValue;

use super::builder::{Builder, Site, is_account_id};
use super::de::{Entries, Obj, Str, from_str_tracked};
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
        self.b.raw_doc(kind, name, raw, self.text, self.file, path)
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
            acct.root_user = Some(iam::credentials(&c.mfa, &c.password, &c.access_keys));
        }
        acct.public_access_block = a.public_access_block.map(Into::into);
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
}
