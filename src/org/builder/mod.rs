//! Building an organization, whatever it was read from.
//!
//! Each loader (native file, authorization details, export directory, generator) walks
//! its own input and calls the builder; the builder owns the rules every format shares:
//! IAM names and ARNs, uniqueness, how a policy reference resolves, documents compiled
//! once. Loaders attach a file and JSON path to whatever the builder refuses.

use std::sync::Arc;

use super::Org;
use super::docs::{DocOrigin, DocSite, DocSource, DocTable};
use super::entities::*;
use super::hash::{FxMap, hash_lower};
use super::ids::*;
use super::managed;
use super::report::{FileId, JsonPath, Problems, Report};
use crate::policy::PolicyKind;

/// A place in an input file.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    pub file: FileId,
    pub path: JsonPath,
}

/// IAM namespaces: names are unique per account and kind, ignoring case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Namespace {
    User,
    Group,
    Role,
    Policy,
}

impl Namespace {
    fn word(self) -> &'static str {
        match self {
            Namespace::User => "user",
            Namespace::Group => "group",
            Namespace::Role => "role",
            Namespace::Policy => "policy",
        }
    }
    fn max_len(self) -> usize {
        match self {
            Namespace::User | Namespace::Role => 64,
            Namespace::Group | Namespace::Policy => 128,
        }
    }
}

/// Whether `id` is a 12-digit AWS account ID.
pub(crate) fn is_account_id(id: &str) -> bool {
    id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit())
}

/// IAM's name pattern `[\w+=,.@-]+`.
pub(crate) fn is_iam_name(name: &str) -> bool {
    !name.is_empty()
        && name.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'_' | b'+' | b'=' | b',' | b'.' | b'@' | b'-')
        })
}

/// IAM's path pattern: `/` or `/segments/`, printable ASCII.
fn is_iam_path(path: &str) -> bool {
    path.starts_with('/')
        && path.ends_with('/')
        && path.len() <= 512
        && path.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

/// Checks an IAM path, for loaders that can point at the `path` field itself.
pub(crate) fn check_iam_path(path: &str) -> Result<(), String> {
    if is_iam_path(path) {
        Ok(())
    } else {
        Err(format!(
            "`{path}` is not a valid IAM path; expected `/` or `/segment/.../` of printable characters"
        ))
    }
}

fn lower_hash(name: &str) -> u64 {
    hash_lower(name)
}

mod checks;

pub(crate) struct Builder {
    pub problems: Problems,
    docs: DocTable,
    pub info: OrgInfo,
    pub root: Root,
    pub ous: Vec<Ou>,
    pub accounts: Vec<Account>,
    pub users: Vec<User>,
    pub groups: Vec<Group>,
    pub roles: Vec<Role>,
    pub policies: Vec<PolicyRecord>,
    pub resources: Vec<Resource>,
    /// Where each OU and account was defined, for the checks made at the end.
    pub ou_sites: Vec<Site>,
    pub account_sites: Vec<Site>,
    pub root_site: Option<Site>,
    account_by_id: FxMap<Box<str>, AccountIx>,
    ou_by_id: FxMap<Box<str>, OuIx>,
    policy_by_arn: FxMap<Arc<str>, PolicyIx>,
    /// SCPs and RCPs by (is RCP, name or id).
    org_policies: FxMap<(bool, Box<str>), PolicyIx>,
    arn_owner: FxMap<Arc<str>, Entity>,
    iam_names: FxMap<(AccountIx, Namespace, u64), Entity>,
    catalog_file: Option<FileId>,
    /// Build the org despite errors (see [`crate::org::load_partial`]).
    pub keep_what_loaded: bool,
    /// An org whose compiled documents are reused for the same texts.
    pub known: Option<crate::org::docs::KnownDocs>,
    /// Where each policy's document is, for findings.
    sources: crate::org::sources::Collect,
}

impl Builder {
    pub fn new() -> Builder {
        Builder {
            problems: Problems::default(),
            docs: DocTable::default(),
            info: OrgInfo {
                partition: "aws".into(),
                ..OrgInfo::default()
            },
            root: Root::default(),
            ous: Vec::new(),
            accounts: Vec::new(),
            users: Vec::new(),
            groups: Vec::new(),
            roles: Vec::new(),
            policies: Vec::new(),
            resources: Vec::new(),
            ou_sites: Vec::new(),
            account_sites: Vec::new(),
            root_site: None,
            account_by_id: FxMap::default(),
            ou_by_id: FxMap::default(),
            policy_by_arn: FxMap::default(),
            org_policies: FxMap::default(),
            arn_owner: FxMap::default(),
            iam_names: FxMap::default(),
            catalog_file: None,
            keep_what_loaded: false,
            known: None,
            sources: Default::default(),
        }
    }

    /// Adds a document (or finds the same one); `path` is built only if it is new.
    /// A document as a reader finds it in `file_text` (an object, JSON text in a
    /// string, or URL-encoded), interned; a document that cannot be decoded is reported
    /// at `path` and gives `None`.
    pub fn raw_doc(
        &mut self,
        kind: PolicyKind,
        name: &str,
        raw: &serde_json::value::RawValue,
        file_text: &str,
        file: FileId,
        path: &dyn Fn() -> JsonPath,
    ) -> Option<DocIx> {
        match super::docs::decode_document(raw, file_text) {
            Ok(src) => {
                let d = self.doc(kind, name, &src, file, path);
                // A reload of a changed org has no file to point into.
                if self.known.is_none() {
                    self.sources.seen(d, file, src.origin, path());
                }
                Some(d)
            }
            Err(m) => {
                self.problems.error(file, path(), m);
                None
            }
        }
    }

    pub fn doc(
        &mut self,
        kind: PolicyKind,
        name: &str,
        src: &DocSource<'_>,
        file: FileId,
        path: impl FnOnce() -> JsonPath,
    ) -> DocIx {
        self.docs.intern(kind, name, &src.text, || DocSite {
            file,
            path: path(),
            origin: src.origin,
        })
    }

    pub fn doc_size(&self, d: DocIx) -> usize {
        self.docs.size(d)
    }

    /// The name a policy's document is compiled under.
    pub fn policy_name_of(&self, p: PolicyIx) -> String {
        self.docs.name(self.policies[p.index()].doc).to_string()
    }

    /// A user by ARN.
    pub fn resource_by_arn(&self, arn: &str) -> Option<ResourceIx> {
        match self.arn_owner.get(arn) {
            Some(Entity::Resource(r)) => Some(*r),
            _ => None,
        }
    }

    pub fn user_by_arn(&self, arn: &str) -> Option<UserIx> {
        match self.arn_owner.get(arn) {
            Some(Entity::User(u)) => Some(*u),
            _ => None,
        }
    }

    fn add_policy(&mut self, rec: PolicyRecord) -> PolicyIx {
        let ix = PolicyIx::new(self.policies.len());
        self.sources.taken(ix, rec.doc);
        if let Some(arn) = &rec.arn {
            self.policy_by_arn.entry(arn.clone()).or_insert(ix);
        }
        self.policies.push(rec);
        ix
    }

    fn catalog_file(&mut self) -> FileId {
        *self
            .catalog_file
            .get_or_insert_with(|| self.problems.file("<built-in policy catalog>"))
    }

    // ---- organization policies -------------------------------------------------

    /// Defines an SCP (`rcp` false) or RCP by name, with an optional id and ARN.
    pub fn org_policy(
        &mut self,
        rcp: bool,
        name: &str,
        id: Option<&str>,
        arn: Option<&str>,
        description: Option<&str>,
        doc: DocIx,
    ) -> Result<PolicyIx, String> {
        let what = if rcp { "RCP" } else { "SCP" };
        if self.org_policies.contains_key(&(rcp, name.into())) {
            return Err(format!(
                "a second {what} named `{name}`; names must be unique"
            ));
        }
        if let Some(id) = id
            && self.org_policies.contains_key(&(rcp, id.into()))
        {
            return Err(format!("a second {what} with id `{id}`"));
        }
        let ix = self.add_policy(PolicyRecord {
            origin: if rcp {
                PolicyOrigin::Rcp
            } else {
                PolicyOrigin::Scp
            },
            arn: arn.map(Into::into),
            id: id.map(Into::into),
            description: description.map(Into::into),
            version: None,
            doc,
            other_versions: Vec::new(),
        });
        self.org_policies.insert((rcp, name.into()), ix);
        if let Some(id) = id {
            self.org_policies.insert((rcp, id.into()), ix);
        }
        Ok(ix)
    }

    /// An SCP or RCP by name, id or ARN; FullAWSAccess and RCPFullAWSAccess are known
    /// without being defined.
    pub fn find_org_policy(&mut self, rcp: bool, r: &str) -> Result<PolicyIx, String> {
        if let Some(&ix) = self.org_policies.get(&(rcp, r.into())) {
            return Ok(ix);
        }
        if let Some(&ix) = self.policy_by_arn.get(r)
            && matches!(
                self.policies[ix.index()].origin,
                PolicyOrigin::Scp | PolicyOrigin::Rcp
            )
            && (self.policies[ix.index()].origin == PolicyOrigin::Rcp) == rcp
        {
            return Ok(ix);
        }
        let builtin = if rcp {
            "RCPFullAWSAccess"
        } else {
            "FullAWSAccess"
        };
        if r == builtin || r == format!("p-{builtin}") || r.ends_with(&format!("/p-{builtin}")) {
            let (arn, id, text) =
                managed::org_policy(builtin).expect("built-in org policies are known");
            let file = self.catalog_file();
            let kind = if rcp {
                PolicyKind::Rcp
            } else {
                PolicyKind::Scp
            };
            let src = DocSource {
                text: text.into(),
                origin: DocOrigin::Synthetic,
            };
            let doc = self.doc(kind, builtin, &src, file, || {
                crate::org::report::jpath![builtin]
            });
            return self.org_policy(
                rcp,
                builtin,
                Some(&id),
                Some(&arn),
                Some("AWS managed"),
                doc,
            );
        }
        let (what, other) = if rcp { ("RCP", "SCP") } else { ("SCP", "RCP") };
        if self.org_policies.contains_key(&(!rcp, r.into())) {
            return Err(format!("`{r}` is an {other}, not an {what}"));
        }
        let list = if rcp { "`rcps`" } else { "`scps`" };
        Err(format!(
            "no {what} named `{r}`; expected one defined under {list} or `{builtin}`"
        ))
    }

    // ---- the tree ------------------------------------------------------------------

    /// An OU; its parent is set later with [`Builder::ous`], once all OUs are known.
    pub fn add_ou(
        &mut self,
        id: &str,
        name: &str,
        parent: Parent,
        site: Site,
    ) -> Result<OuIx, String> {
        if self.ou_by_id.contains_key(id) {
            return Err(format!("a second OU with id `{id}`"));
        }
        let ix = OuIx::new(self.ous.len());
        self.ous.push(Ou {
            id: id.into(),
            name: name.into(),
            parent,
            scps: Vec::new(),
            rcps: Vec::new(),
            ous: Vec::new(),
            accounts: Vec::new(),
            depth: 0,
        });
        self.ou_sites.push(site);
        self.ou_by_id.insert(id.into(), ix);
        Ok(ix)
    }

    pub fn ou(&self, id: &str) -> Option<OuIx> {
        self.ou_by_id.get(id).copied()
    }

    /// An account; `Err` holds the account already defined with this id.
    pub fn add_account(
        &mut self,
        id: &str,
        name: &str,
        parent: Parent,
        site: Site,
    ) -> Result<AccountIx, AccountIx> {
        if let Some(&existing) = self.account_by_id.get(id) {
            return Err(existing);
        }
        let ix = AccountIx::new(self.accounts.len());
        self.accounts.push(Account {
            id: id.into(),
            name: name.into(),
            email: None,
            status: None,
            parent,
            scps: Vec::new(),
            rcps: Vec::new(),
            users: Vec::new(),
            groups: Vec::new(),
            roles: Vec::new(),
            policies: Vec::new(),
            resources: Vec::new(),
            root_user: None,
            public_access_block: None,
        });
        self.account_sites.push(site);
        self.account_by_id.insert(id.into(), ix);
        Ok(ix)
    }

    pub fn account(&self, id: &str) -> Option<AccountIx> {
        self.account_by_id.get(id).copied()
    }

    /// The name of a tree node, for messages.
    pub fn parent_name(&self, p: Parent) -> String {
        match p {
            Parent::Root => "the root".into(),
            Parent::Ou(o) => format!("OU `{}`", self.ous[o.index()].name),
        }
    }

    // ---- IAM -------------------------------------------------------------------------

    pub(crate) fn iam_arn(&self, account: AccountIx, what: &str, path: &str, name: &str) -> String {
        let (partition, acct) = (&*self.info.partition, &*self.accounts[account.index()].id);
        let mut arn = String::with_capacity(
            11 + partition.len() + acct.len() + what.len() + path.len() + name.len(),
        );
        for part in ["arn:", partition, ":iam::", acct, ":", what, path, name] {
            arn.push_str(part);
        }
        arn
    }

    /// Room for this many more principals, groups and policies.
    pub fn reserve(&mut self, users: usize, groups: usize, roles: usize, policies: usize) {
        self.users.reserve(users);
        self.groups.reserve(groups);
        self.roles.reserve(roles);
        self.policies.reserve(policies);
        self.arn_owner
            .reserve(users + groups + roles + policies / 4);
        self.iam_names
            .reserve(users + groups + roles + policies / 4);
    }

    fn claim_name(
        &mut self,
        account: AccountIx,
        ns: Namespace,
        name: &str,
        path: &str,
        e: Entity,
    ) -> Result<(), String> {
        let what = ns.word();
        if !is_iam_name(name) {
            return Err(format!(
                "`{name}` is not a valid {what} name; expected letters, digits and `_+=,.@-`"
            ));
        }
        if name.len() > ns.max_len() {
            return Err(format!(
                "{what} name `{name}` is {} characters; IAM allows {}",
                name.len(),
                ns.max_len()
            ));
        }
        check_iam_path(path)?;
        let key = (account, ns, lower_hash(name));
        if let Some(&other) = self.iam_names.get(&key)
            && self.entity_name(other).eq_ignore_ascii_case(name)
        {
            return Err(format!(
                "a second {what} named `{name}` in account {} (IAM names are unique regardless of case)",
                self.accounts[account.index()].id
            ));
        }
        self.iam_names.insert(key, e);
        Ok(())
    }

    fn entity_name(&self, e: Entity) -> &str {
        match e {
            Entity::User(u) => self.users.get(u.index()).map_or("", |x| x.name()),
            Entity::Group(g) => self.groups.get(g.index()).map_or("", |x| x.name()),
            Entity::Role(r) => self.roles.get(r.index()).map_or("", |x| x.name()),
            Entity::Policy(p) => self.policy_name(p),
            _ => "",
        }
    }

    /// A managed policy's name, from its ARN.
    fn policy_name(&self, p: PolicyIx) -> &str {
        let arn = self
            .policies
            .get(p.index())
            .and_then(|r| r.arn.as_deref())
            .unwrap_or("");
        arn.rsplit('/').next().unwrap_or(arn)
    }

    fn claim_arn(&mut self, arn: &Arc<str>, e: Entity) -> Result<(), String> {
        if self.arn_owner.contains_key(arn) {
            return Err(format!("`{arn}` is listed twice; an ARN names one thing"));
        }
        self.arn_owner.insert(arn.clone(), e);
        Ok(())
    }

    pub fn add_group(
        &mut self,
        account: AccountIx,
        path: &str,
        name: &str,
    ) -> Result<GroupIx, String> {
        let ix = GroupIx::new(self.groups.len());
        self.claim_name(account, Namespace::Group, name, path, Entity::Group(ix))?;
        let arn: Arc<str> = self.iam_arn(account, "group", path, name).into();
        self.claim_arn(&arn, Entity::Group(ix))?;
        self.groups.push(Group {
            arn,
            account,
            id: None,
            created: None,
            managed: Default::default(),
            inline: Default::default(),
            members: Vec::new(),
        });
        self.accounts[account.index()].groups.push(ix);
        Ok(ix)
    }

    pub fn add_user(
        &mut self,
        account: AccountIx,
        path: &str,
        name: &str,
    ) -> Result<UserIx, String> {
        let ix = UserIx::new(self.users.len());
        self.claim_name(account, Namespace::User, name, path, Entity::User(ix))?;
        let arn: Arc<str> = self.iam_arn(account, "user", path, name).into();
        self.claim_arn(&arn, Entity::User(ix))?;
        self.users.push(User::new(arn, account));
        self.accounts[account.index()].users.push(ix);
        Ok(ix)
    }

    pub fn add_role(
        &mut self,
        account: AccountIx,
        path: &str,
        name: &str,
    ) -> Result<RoleIx, String> {
        let ix = RoleIx::new(self.roles.len());
        self.claim_name(account, Namespace::Role, name, path, Entity::Role(ix))?;
        let arn: Arc<str> = self.iam_arn(account, "role", path, name).into();
        self.claim_arn(&arn, Entity::Role(ix))?;
        self.roles.push(Role::new(arn, account));
        self.accounts[account.index()].roles.push(ix);
        Ok(ix)
    }

    /// A group of the account by name (IAM compares names ignoring case).
    pub fn find_group(&self, account: AccountIx, name: &str) -> Option<GroupIx> {
        match self
            .iam_names
            .get(&(account, Namespace::Group, lower_hash(name)))
        {
            Some(&Entity::Group(g)) if self.groups[g.index()].name().eq_ignore_ascii_case(name) => {
                Some(g)
            }
            _ => None,
        }
    }

    pub fn add_customer_policy(
        &mut self,
        account: AccountIx,
        path: &str,
        name: &str,
        doc: DocIx,
    ) -> Result<PolicyIx, String> {
        let ix = PolicyIx::new(self.policies.len());
        self.claim_name(account, Namespace::Policy, name, path, Entity::Policy(ix))?;
        let arn: Arc<str> = self.iam_arn(account, "policy", path, name).into();
        self.claim_arn(&arn, Entity::Policy(ix))?;
        self.add_policy(PolicyRecord {
            origin: PolicyOrigin::CustomerManaged(account),
            arn: Some(arn),
            id: None,
            description: None,
            version: None,
            doc,
            other_versions: Vec::new(),
        });
        self.accounts[account.index()].policies.push(ix);
        Ok(ix)
    }

    /// An AWS managed policy whose document came with the input (an export's
    /// `Policies`); the first one seen wins.
    pub fn add_aws_managed(&mut self, arn: &str, doc: DocIx) -> PolicyIx {
        if let Some(&ix) = self.policy_by_arn.get(arn) {
            return ix;
        }
        self.add_policy(PolicyRecord {
            origin: PolicyOrigin::AwsManaged,
            arn: Some(arn.into()),
            id: None,
            description: None,
            version: None,
            doc,
            other_versions: Vec::new(),
        })
    }

    /// An AWS managed policy by ARN, from the input or else from the catalog.
    pub fn aws_managed(&mut self, arn: &str) -> Result<PolicyIx, String> {
        if let Some(&ix) = self.policy_by_arn.get(arn) {
            return Ok(ix);
        }
        let Some(cat) = managed::aws_managed(arn) else {
            return Err(format!(
                "unknown AWS managed policy `{arn}`; it is not in the built-in catalog of AWS managed policies"
            ));
        };
        let file = self.catalog_file();
        let src = DocSource {
            text: cat.text.into(),
            origin: DocOrigin::Synthetic,
        };
        let doc = self.doc(PolicyKind::Identity, &cat.name, &src, file, || {
            crate::org::report::jpath![cat.arn.as_str()]
        });
        let ix = self.add_aws_managed(arn, doc);
        self.policies[ix.index()].version = cat.version.map(Into::into);
        Ok(ix)
    }

    /// A managed policy reference of a principal in `account`: a customer managed
    /// policy of the account by name or ARN, or an AWS managed policy by ARN.
    pub fn resolve_managed(&mut self, account: AccountIx, r: &str) -> Result<PolicyIx, String> {
        // The common case first: an ARN already known, of this account or AWS's.
        if let Some(&ix) = self.policy_by_arn.get(r) {
            match self.policies[ix.index()].origin {
                PolicyOrigin::AwsManaged => return Ok(ix),
                PolicyOrigin::CustomerManaged(a) if a == account => return Ok(ix),
                _ => {}
            }
        }
        let acct = self.accounts[account.index()].id.clone();
        if let Some(rest) = r.strip_prefix("arn:") {
            let parts: Vec<&str> = rest.splitn(5, ':').collect();
            let [_partition, service, _region, owner, resource] = parts[..] else {
                return Err(format!(
                    "`{r}` is not a policy ARN; expected arn:aws:iam::ACCOUNT:policy/NAME"
                ));
            };
            if service != "iam" || !resource.starts_with("policy/") {
                return Err(format!(
                    "`{r}` is not a policy ARN; expected arn:aws:iam::ACCOUNT:policy/NAME"
                ));
            }
            if owner == "aws" {
                return self.aws_managed(r);
            }
            if owner != &*acct {
                return Err(format!(
                    "policy `{r}` belongs to account {owner}; principals of account {acct} can only use their own account's policies and AWS managed ones"
                ));
            }
            return match self.policy_by_arn.get(r) {
                Some(&ix) => Ok(ix),
                None => Err(format!(
                    "no customer managed policy `{r}` in account {acct}"
                )),
            };
        }
        if let Some(&Entity::Policy(p)) =
            self.iam_names
                .get(&(account, Namespace::Policy, lower_hash(r)))
            && self.policy_name(p).eq_ignore_ascii_case(r)
        {
            return Ok(p);
        }
        if let Some(cat) = managed::aws_managed(r) {
            return Err(format!(
                "no customer managed policy named `{r}` in account {acct}; the AWS managed policy is `{}`",
                cat.arn
            ));
        }
        Err(format!(
            "no customer managed policy named `{r}` in account {acct}; expected the name of one of the account's `policies`, or a policy ARN"
        ))
    }

    pub fn add_inline(&mut self, owner: InlineOwner, doc: DocIx) -> PolicyIx {
        self.add_policy(PolicyRecord {
            origin: PolicyOrigin::Inline(owner),
            arn: None,
            id: None,
            description: None,
            version: None,
            doc,
            other_versions: Vec::new(),
        })
    }

    /// An owner's inline policies, with a warning at `path` when together they pass
    /// AWS's size quota `limit`.
    pub fn add_inlines(
        &mut self,
        owner: InlineOwner,
        docs: Vec<DocIx>,
        limit: usize,
        file: FileId,
        path: &dyn Fn() -> JsonPath,
    ) -> Vec<PolicyIx> {
        let total = docs.iter().map(|&d| self.doc_size(d)).sum();
        if let Some(m) = super::quota::size("the inline policies together", total, limit) {
            self.problems.warn(file, path(), m);
        }
        docs.into_iter()
            .map(|d| self.add_inline(owner, d))
            .collect()
    }

    pub fn set_trust(&mut self, role: RoleIx, doc: DocIx) {
        let ix = self.add_policy(PolicyRecord {
            origin: PolicyOrigin::Trust(role),
            arn: None,
            id: None,
            description: None,
            version: None,
            doc,
            other_versions: Vec::new(),
        });
        self.roles[role.index()].trust = Some(ix);
    }

    /// A resource with a policy; its kind comes from the ARN.
    pub fn add_resource(&mut self, account: AccountIx, arn: &str) -> Result<ResourceIx, String> {
        let Some(parsed) = crate::policy::Arn::parse(arn) else {
            return Err(format!(
                "`{arn}` is not an ARN; expected arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE"
            ));
        };
        let acct = &self.accounts[account.index()].id;
        if !parsed.account().is_empty() && parsed.account() != &**acct {
            return Err(format!(
                "resource `{arn}` names account {} but is listed under account {acct}",
                parsed.account()
            ));
        }
        let ix = ResourceIx::new(self.resources.len());
        let arn: Arc<str> = arn.into();
        self.claim_arn(&arn, Entity::Resource(ix))?;
        self.resources.push(Resource {
            kind: ResourceKind::of_arn(&arn),
            arn,
            account,
            policy: None,
            aws_managed: false,
            public_access_block: None,
        });
        self.accounts[account.index()].resources.push(ix);
        Ok(ix)
    }

    pub fn set_resource_policy(&mut self, resource: ResourceIx, doc: DocIx) {
        let ix = self.add_policy(PolicyRecord {
            origin: PolicyOrigin::Resource(resource),
            arn: None,
            id: None,
            description: None,
            version: None,
            doc,
            other_versions: Vec::new(),
        });
        self.resources[resource.index()].policy = Some(ix);
    }

    // ---- the end ------------------------------------------------------------------------

    /// Compiles the documents, checks the whole, and assembles the organization; `None`
    /// when there were errors. `text` gives each file's text, to locate problems.
    pub fn finish<'t>(mut self, text: impl Fn(FileId) -> Option<&'t str>) -> (Option<Org>, Report) {
        let docs = std::mem::take(&mut self.docs);
        let (docs, doc_problems) = docs.compile(self.known.take());
        self.problems.list.extend(doc_problems);
        self.check_tree();
        self.check_org_policies();
        self.check_accounts();
        for ix in 0..self.users.len() {
            for &g in &self.users[ix].groups {
                self.groups[g.index()].members.push(UserIx::new(ix));
            }
        }
        // With errors, an org is built only when asked for, and only if anything
        // loaded: an input that gave no account is nothing to look at.
        if self.problems.has_errors() && (!self.keep_what_loaded || self.accounts.is_empty()) {
            let report = self.problems.resolve(text);
            return (None, report);
        }
        let sources = std::mem::take(&mut self.sources).finish(&self.problems.files, &text);
        let Builder {
            problems,
            info,
            root,
            ous,
            accounts,
            users,
            groups,
            roles,
            policies,
            resources,
            arn_owner,
            account_by_id,
            ou_by_id,
            ..
        } = self;
        let org = Org::assemble(super::Parts {
            info,
            root,
            ous,
            accounts,
            users,
            groups,
            roles,
            policies,
            resources,
            docs,
            arn_owner,
            account_by_id,
            ou_by_id,
            sources,
        });
        (Some(org), problems.resolve(text))
    }
}
