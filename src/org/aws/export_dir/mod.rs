//! A directory of AWS CLI output for a whole organization, one file per call, named
//! after the command (docs/aws-export.md):
//!
//! ```text
//! describe-organization.json
//! list-roots.json
//! list-organizational-units-for-parent/<parent-id>.json
//! list-accounts-for-parent/<parent-id>.json
//! list-policies/SERVICE_CONTROL_POLICY.json, RESOURCE_CONTROL_POLICY.json
//! describe-policy/<policy-id>.json
//! list-targets-for-policy/<policy-id>.json
//! get-account-authorization-details/<account-id>.json
//! get-credential-report/<account-id>.json (or .csv)             optional
//! resources/<account-id>/s3/<bucket>.json                       optional
//! resources/<account-id>/{kms,sqs,sns,secretsmanager,lambda}/<region>/<name>.json
//! resources/<account-id>/kms/<region>/list-aliases.json        optional
//! resources/<account-id>/arn/<any>.json  ({"Arn": ..., "Policy": ...})
//! ```

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::path::{Path, PathBuf};

use super::authz;
use crate::org::Org;
use crate::org::builder::{Builder, Site, is_account_id};
use crate::org::de::{Obj, Str, from_str_tracked};
use crate::org::entities::PolicyOrigin;
use crate::org::ids::*;
use crate::org::quota;
use crate::org::report::{FileId, JsonPath, Report, jpath};
use crate::policy::PolicyKind;

/// `$body` with `$v` read from the text; JSON errors become findings.
macro_rules! with_json {
    ($self:ident, $file:expr, $text:expr, $t:ty, |$v:ident| $body:block) => {
        match from_str_tracked::<Obj<$t>>($text) {
            Ok(Obj($v)) => $body,
            Err(e) => $self.b.problems.json_error($file, e),
        }
    };
}

mod extras;
mod shapes;

use shapes::*;

pub(crate) const DESCRIBE_ORGANIZATION: &str = "describe-organization.json";
pub(crate) const LIST_ROOTS: &str = "list-roots.json";
pub(crate) const OUS: &str = "list-organizational-units-for-parent";
pub(crate) const ACCOUNTS: &str = "list-accounts-for-parent";
pub(crate) const LIST_POLICIES: &str = "list-policies";
pub(crate) const DESCRIBE_POLICY: &str = "describe-policy";
pub(crate) const TARGETS: &str = "list-targets-for-policy";
pub(crate) const AUTHZ: &str = "get-account-authorization-details";
pub(crate) const CREDENTIAL_REPORT: &str = "get-credential-report";
pub(crate) const RESOURCES: &str = "resources";
/// `aws kms list-aliases`, beside the key policies of its region.
pub(crate) const LIST_ALIASES: &str = "list-aliases.json";

/// Loads an export directory.
pub(crate) fn load(dir: &Path, keep_what_loaded: bool) -> (Option<Org>, Report) {
    let mut b = Builder::new();
    b.keep_what_loaded = keep_what_loaded;
    let mut l = Loader {
        dir: dir.to_path_buf(),
        b,
        texts: Vec::new(),
        management: None,
        root_id: None,
    };
    l.run();
    let Loader { b, texts, .. } = l;
    b.finish(|f| texts.get(f.0 as usize).and_then(|t| t.as_deref()))
}

struct Loader {
    dir: PathBuf,
    b: Builder,
    /// Each file's text, by file id, to locate problems at the end.
    texts: Vec<Option<String>>,
    /// The management account id and where it was read.
    management: Option<(String, FileId)>,
    root_id: Option<String>,
}

/// A node of the organization tree, by id.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Node {
    Root,
    Ou(OuIx),
    Account(AccountIx),
}

impl Loader {
    /// Reads a file if it exists. Hand the text back with [`Loader::keep`].
    fn open(&mut self, rel: &Path) -> Option<(FileId, String)> {
        let path = self.dir.join(rel);
        if !path.is_file() {
            return None;
        }
        let file = self.b.problems.file(path.clone());
        match std::fs::read_to_string(&path) {
            Ok(text) => Some((file, text)),
            Err(e) => {
                self.b
                    .problems
                    .file_error(file, format!("cannot read the file: {e}"));
                None
            }
        }
    }

    fn keep(&mut self, file: FileId, text: String) {
        let i = file.0 as usize;
        if self.texts.len() <= i {
            self.texts.resize(i + 1, None);
        }
        self.texts[i] = Some(text);
    }

    /// A finding about a path that is not a file we read (the directory, a missing
    /// file).
    fn path_problem(&mut self, rel: &Path, warning: bool, msg: String) {
        let file = self.b.problems.file(self.dir.join(rel));
        if warning {
            self.b.problems.warn(file, JsonPath::default(), msg);
        } else {
            self.b.problems.file_error(file, msg);
        }
    }

    /// The `.json` (and `.csv`) files directly in a subdirectory, sorted, with stems.
    fn listing(&self, sub: &Path) -> Vec<(String, PathBuf)> {
        let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(self.dir.join(sub))
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let p = e.path();
                let ext = p.extension()?.to_str()?;
                if !matches!(ext, "json" | "csv") || !p.is_file() {
                    return None;
                }
                let stem = p.file_stem()?.to_string_lossy().into_owned();
                Some((stem, sub.join(e.file_name())))
            })
            .collect();
        out.sort();
        out
    }

    /// Subdirectories, sorted.
    fn subdirs(&self, sub: &Path) -> Vec<String> {
        let mut out: Vec<String> = std::fs::read_dir(self.dir.join(sub))
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        out.sort();
        out
    }

    fn truncated(&mut self, file: FileId, token: Option<&Str<'_>>) {
        if token.is_some() {
            self.b.problems.warn(
                file,
                jpath!["NextToken"],
                "the output is one page of several (`NextToken` is set); run the command without `--max-items` so the CLI fetches every page",
            );
        }
    }

    fn run(&mut self) {
        if self.organization() {
            if self.roots() {
                self.tree();
            }
            self.org_policies();
            self.management();
        } else {
            self.standalone_accounts();
        }
        self.iam();
        self.credential_reports();
        self.resources();
    }

    /// describe-organization.json; `false` when absent (standalone accounts).
    fn organization(&mut self) -> bool {
        let Some((file, text)) = self.open(Path::new(DESCRIBE_ORGANIZATION)) else {
            if self.dir.join(AUTHZ).is_dir() {
                self.path_problem(
                    Path::new(DESCRIBE_ORGANIZATION),
                    true,
                    format!("missing: the accounts in {AUTHZ}/ are loaded as standalone accounts, to which no SCP or RCP applies"),
                );
            } else {
                self.path_problem(
                    Path::new(""),
                    false,
                    format!("not an export directory: expected {DESCRIBE_ORGANIZATION}, {LIST_ROOTS} and {AUTHZ}/ (see docs/aws-export.md)"),
                );
            }
            return false;
        };
        with_json!(self, file, &text, DescribeOrganization, |d| {
            let o = &d.organization;
            self.b.info.id = Some((*o.id).into());
            if let Some((partition, _)) = o.arn.as_deref().and_then(authz::arn_account) {
                self.b.info.partition = partition.into();
            }
            let all = o.feature_set.as_deref().is_none_or(|f| f == "ALL");
            self.b.info.scps_enabled = all;
            self.b.info.rcps_enabled = all;
            if !all {
                self.b.problems.warn(
                    file,
                    jpath!["Organization", "FeatureSet"],
                    "the organization has consolidated billing only: SCPs and RCPs do not apply",
                );
            }
            match &o.master_account_id {
                Some(m) => self.management = Some((m.to_string(), file)),
                None => self.b.problems.error(
                    file,
                    jpath!["Organization"],
                    "no `MasterAccountId`: the management account is unknown",
                ),
            }
        });
        self.keep(file, text);
        // Without an id the organization cannot stand; say so once.
        self.b.info.id.is_some()
    }

    /// list-roots.json: the root and which policy types are enabled on it.
    fn roots(&mut self) -> bool {
        let Some((file, text)) = self.open(Path::new(LIST_ROOTS)) else {
            self.path_problem(
                Path::new(LIST_ROOTS),
                false,
                "missing: the root of the organization is unknown; run `aws organizations list-roots`".into(),
            );
            return false;
        };
        let mut ok = false;
        with_json!(self, file, &text, ListRoots, |d| {
            self.truncated(file, d.next_token.as_ref());
            match d.roots.0.as_slice() {
                [root] => {
                    let enabled = |t: &str| {
                        root.policy_types.0.iter().any(|p| {
                            &*p.r#type == t && p.status.as_deref().is_none_or(|s| s == "ENABLED")
                        })
                    };
                    let (scps, rcps) = (
                        enabled("SERVICE_CONTROL_POLICY"),
                        enabled("RESOURCE_CONTROL_POLICY"),
                    );
                    self.b.info.scps_enabled &= scps;
                    self.b.info.rcps_enabled &= rcps;
                    self.b.root.id = (*root.id).into();
                    self.b.root.name = root.name.as_deref().unwrap_or("Root").into();
                    self.b.root_site = Some(Site {
                        file,
                        path: jpath!["Roots", 0],
                    });
                    self.root_id = Some(root.id.to_string());
                    ok = true;
                }
                [] => self
                    .b
                    .problems
                    .error(file, jpath!["Roots"], "no root listed"),
                _ => self.b.problems.error(
                    file,
                    jpath!["Roots"],
                    "more than one root listed; an organization has exactly one",
                ),
            }
        });
        self.keep(file, text);
        ok
    }

    /// The OUs and accounts under each parent, from the root down.
    fn tree(&mut self) {
        let Some(root_id) = self.root_id.clone() else {
            return;
        };
        let mut seen: HashMap<String, Node> = HashMap::new();
        seen.insert(root_id.clone(), Node::Root);
        let mut queue = VecDeque::from([(root_id, Parent::Root)]);
        let mut visited_files: BTreeSet<String> = BTreeSet::new();
        while let Some((parent_id, parent)) = queue.pop_front() {
            visited_files.insert(parent_id.clone());
            let ou_rel = Path::new(OUS).join(format!("{parent_id}.json"));
            match self.open(&ou_rel) {
                Some((file, text)) => {
                    with_json!(self, file, &text, ListOus, |d| {
                        self.truncated(file, d.next_token.as_ref());
                        for (i, ou) in d.organizational_units.0.iter().enumerate() {
                            if let Some(prev) = seen.get(&*ou.id) {
                                let msg = match prev {
                                    Node::Ou(o) => format!(
                                        "OU `{}` is listed under two parents ({} and `{parent_id}`); an OU has one parent",
                                        ou.id,
                                        self.b.parent_name(self.b.ous[o.index()].parent)
                                    ),
                                    _ => format!("`{}` is listed twice in the tree", ou.id),
                                };
                                self.b.problems.error(file, jpath!["OrganizationalUnits", i, "Id"], msg);
                                continue;
                            }
                            let name = ou.name.as_deref().unwrap_or(&ou.id);
                            let site = Site { file, path: jpath!["OrganizationalUnits", i] };
                            match self.b.add_ou(&ou.id, name, parent, site) {
                                Ok(ix) => {
                                    seen.insert(ou.id.to_string(), Node::Ou(ix));
                                    queue.push_back((ou.id.to_string(), Parent::Ou(ix)));
                                }
                                Err(m) => self.b.problems.error(file, jpath!["OrganizationalUnits", i], m),
                            }
                        }
                    });
                    self.keep(file, text);
                }
                None => self.path_problem(
                    &ou_rel,
                    true,
                    format!("missing: the OUs under `{parent_id}` are unknown; run `aws organizations list-organizational-units-for-parent --parent-id {parent_id}`"),
                ),
            }
            let acct_rel = Path::new(ACCOUNTS).join(format!("{parent_id}.json"));
            match self.open(&acct_rel) {
                Some((file, text)) => {
                    with_json!(self, file, &text, ListAccounts, |d| {
                        self.truncated(file, d.next_token.as_ref());
                        for (i, a) in d.accounts.0.iter().enumerate() {
                            self.account(file, i, a, parent, &parent_id, &mut seen);
                        }
                    });
                    self.keep(file, text);
                }
                None => self.path_problem(
                    &acct_rel,
                    true,
                    format!("missing: the accounts under `{parent_id}` are unknown; run `aws organizations list-accounts-for-parent --parent-id {parent_id}`"),
                ),
            }
        }
        // Listings for parents that are not in the tree.
        for sub in [OUS, ACCOUNTS] {
            for (stem, rel) in self.listing(Path::new(sub)) {
                if !visited_files.contains(&stem) {
                    self.path_problem(
                        &rel,
                        true,
                        format!("`{stem}` is not in the organization tree; the file is ignored"),
                    );
                }
            }
        }
    }

    fn account(
        &mut self,
        file: FileId,
        i: usize,
        a: &AccountShape<'_>,
        parent: Parent,
        parent_id: &str,
        seen: &mut HashMap<String, Node>,
    ) {
        let path = || jpath!["Accounts", i, "Id"];
        if !is_account_id(&a.id) {
            self.b.problems.error(
                file,
                path(),
                format!("`{}` is not an account id; expected 12 digits", a.id),
            );
            return;
        }
        let site = Site {
            file,
            path: jpath!["Accounts", i],
        };
        match self
            .b
            .add_account(&a.id, a.name.as_deref().unwrap_or(&a.id), parent, site)
        {
            Ok(ix) => {
                seen.insert(a.id.to_string(), Node::Account(ix));
                let acct = &mut self.b.accounts[ix.index()];
                acct.email = a.email.as_deref().map(Into::into);
                acct.status = a.state.as_deref().or(a.status.as_deref()).map(Into::into);
            }
            Err(existing) => {
                let before = self.b.parent_name(self.b.accounts[existing.index()].parent);
                self.b.problems.error(
                    file,
                    path(),
                    format!(
                        "account {} is listed under two parents ({before} and `{parent_id}`); an account has one parent",
                        a.id
                    ),
                );
            }
        }
    }

    /// The target of an attachment by id.
    fn target(&self, id: &str) -> Option<Node> {
        if Some(id) == self.root_id.as_deref() {
            return Some(Node::Root);
        }
        if let Some(o) = self.b.ou(id) {
            return Some(Node::Ou(o));
        }
        self.b.account(id).map(Node::Account)
    }

    /// SCPs and RCPs: listed (list-policies), described (describe-policy) and attached
    /// (list-targets-for-policy).
    fn org_policies(&mut self) {
        // id -> (summary, where listed)
        let mut listed: Vec<(String, bool, String)> = Vec::new();
        for (kind, rcp) in [
            ("SERVICE_CONTROL_POLICY", false),
            ("RESOURCE_CONTROL_POLICY", true),
        ] {
            let rel = Path::new(LIST_POLICIES).join(format!("{kind}.json"));
            let Some((file, text)) = self.open(&rel) else {
                let enabled = if rcp {
                    self.b.info.rcps_enabled
                } else {
                    self.b.info.scps_enabled
                };
                if enabled {
                    self.path_problem(
                        &rel,
                        true,
                        format!("missing: run `aws organizations list-policies --filter {kind}`; policies found under {DESCRIBE_POLICY}/ are used"),
                    );
                }
                continue;
            };
            with_json!(self, file, &text, ListPolicies, |d| {
                self.truncated(file, d.next_token.as_ref());
                for p in &d.policies.0 {
                    listed.push((p.id.to_string(), rcp, p.name.to_string()));
                }
            });
            self.keep(file, text);
        }
        let described: Vec<(String, PathBuf)> = self.listing(Path::new(DESCRIBE_POLICY));
        let mut defined: HashMap<String, PolicyIx> = HashMap::new();
        for (id, rel) in &described {
            if let Some((ix, pid)) = self.describe_policy(rel) {
                if pid != *id {
                    // Files are found by id: say when the name and content disagree.
                    let file = self.b.problems.file(self.dir.join(rel));
                    self.b.problems.warn(
                        file,
                        jpath!["Policy", "PolicySummary", "Id"],
                        format!("the file is named `{id}` but describes `{pid}`"),
                    );
                }
                defined.insert(pid, ix);
            }
        }
        for (id, rcp, name) in &listed {
            if defined.contains_key(id) {
                continue;
            }
            let builtin = if *rcp {
                "RCPFullAWSAccess"
            } else {
                "FullAWSAccess"
            };
            if name == builtin {
                if let Ok(ix) = self.b.find_org_policy(*rcp, builtin) {
                    defined.insert(id.clone(), ix);
                }
                continue;
            }
            let rel = Path::new(DESCRIBE_POLICY).join(format!("{id}.json"));
            self.path_problem(
                &rel,
                false,
                format!("missing: the content of policy `{name}` ({id}) is unknown; run `aws organizations describe-policy --policy-id {id}`"),
            );
        }
        for (id, rel) in self.listing(Path::new(TARGETS)) {
            let Some(&ix) = defined.get(&id) else {
                self.path_problem(&rel, true, format!("policy `{id}` is not described under {DESCRIBE_POLICY}/; its attachments are ignored"));
                continue;
            };
            self.targets(&rel, ix);
        }
        for (id, ix) in &defined {
            if !self.dir.join(TARGETS).join(format!("{id}.json")).is_file() {
                let name = self.b.policy_name_of(*ix);
                self.path_problem(
                    &Path::new(TARGETS).join(format!("{id}.json")),
                    true,
                    format!("missing: where `{name}` is attached is unknown; run `aws organizations list-targets-for-policy --policy-id {id}`"),
                );
            }
        }
    }

    /// One describe-policy output: the policy defined, and its id.
    fn describe_policy(&mut self, rel: &Path) -> Option<(PolicyIx, String)> {
        let (file, text) = self.open(rel)?;
        let mut out = None;
        with_json!(self, file, &text, DescribePolicy, |d| {
            let s = &d.policy.policy_summary;
            let rcp = match s.r#type.as_deref() {
                Some("SERVICE_CONTROL_POLICY") | None => false,
                Some("RESOURCE_CONTROL_POLICY") => true,
                // Tag, backup and other policy types do not decide access.
                Some(_) => {
                    self.keep(file, text);
                    return None;
                }
            };
            let kind = if rcp {
                PolicyKind::Rcp
            } else {
                PolicyKind::Scp
            };
            let doc_path = || jpath!["Policy", "Content"];
            let builtin = if rcp {
                "RCPFullAWSAccess"
            } else {
                "FullAWSAccess"
            };
            match d.policy.content {
                _ if s.aws_managed && &*s.name == builtin => {
                    out = self
                        .b
                        .find_org_policy(rcp, builtin)
                        .ok()
                        .map(|ix| (ix, s.id.to_string()));
                }
                None => self.b.problems.error(
                    file,
                    jpath!["Policy"],
                    "no `Content`: the policy's document is missing",
                ),
                Some(raw) => {
                    if let Some(doc) = self.b.raw_doc(kind, &s.name, raw, &text, file, &doc_path) {
                        let what = if rcp { "RCP" } else { "SCP" };
                        if let Some(m) = quota::size(
                            &format!("{what} `{}`", s.name),
                            self.b.doc_size(doc),
                            quota::ORG_POLICY_SIZE,
                        ) {
                            self.b.problems.warn(file, doc_path(), m);
                        }
                        match self.b.org_policy(
                            rcp,
                            &s.name,
                            Some(&s.id),
                            s.arn.as_deref(),
                            s.description.as_deref(),
                            doc,
                        ) {
                            Ok(ix) => out = Some((ix, s.id.to_string())),
                            Err(m) => {
                                self.b
                                    .problems
                                    .error(file, jpath!["Policy", "PolicySummary"], m)
                            }
                        }
                    }
                }
            }
        });
        self.keep(file, text);
        out
    }

    fn targets(&mut self, rel: &Path, policy: PolicyIx) {
        let Some((file, text)) = self.open(rel) else {
            return;
        };
        let rcp = self.b.policies[policy.index()].origin == PolicyOrigin::Rcp;
        with_json!(self, file, &text, ListTargets, |d| {
            self.truncated(file, d.next_token.as_ref());
            for (i, t) in d.targets.0.iter().enumerate() {
                let Some(node) = self.target(&t.target_id) else {
                    self.b.problems.error(
                        file,
                        jpath!["Targets", i, "TargetId"],
                        format!("target `{}` is not in the organization (not the root, nor an OU or account listed under it)", t.target_id),
                    );
                    continue;
                };
                let (scps, rcps) = match node {
                    Node::Root => (&mut self.b.root.scps, &mut self.b.root.rcps),
                    Node::Ou(o) => {
                        let x = &mut self.b.ous[o.index()];
                        (&mut x.scps, &mut x.rcps)
                    }
                    Node::Account(a) => {
                        let x = &mut self.b.accounts[a.index()];
                        (&mut x.scps, &mut x.rcps)
                    }
                };
                let list = if rcp { rcps } else { scps };
                if !list.contains(&policy) {
                    list.push(policy);
                }
            }
        });
        self.keep(file, text);
    }

    fn management(&mut self) {
        let Some((id, file)) = self.management.take() else {
            return;
        };
        match self.b.account(&id) {
            Some(ix) => self.b.info.management_account = Some(ix),
            None => self.b.problems.error(
                file,
                jpath!["Organization", "MasterAccountId"],
                format!("management account {id} is not listed under any parent in {ACCOUNTS}/"),
            ),
        }
    }

    /// Without describe-organization.json: one standalone account per IAM file.
    fn standalone_accounts(&mut self) {
        self.b.info.scps_enabled = false;
        self.b.info.rcps_enabled = false;
        for (stem, rel) in self.listing(Path::new(AUTHZ)) {
            if is_account_id(&stem) {
                let file = self.b.problems.file(self.dir.join(&rel));
                let _ = self.b.add_account(
                    &stem,
                    &stem,
                    Parent::Root,
                    Site {
                        file,
                        path: JsonPath::default(),
                    },
                );
            }
        }
    }

    /// get-account-authorization-details/<account-id>.json
    fn iam(&mut self) {
        let mut without: Vec<String> = self.b.accounts.iter().map(|a| a.id.to_string()).collect();
        for (stem, rel) in self.listing(Path::new(AUTHZ)) {
            let Some(account) = self.b.account(&stem) else {
                let msg = if is_account_id(&stem) {
                    format!("account {stem} is not in the organization; the file is ignored")
                } else {
                    format!("`{stem}` is not an account id; name the file <account-id>.json")
                };
                self.path_problem(&rel, true, msg);
                continue;
            };
            without.retain(|a| *a != stem);
            let Some((file, text)) = self.open(&rel) else {
                continue;
            };
            with_json!(self, file, &text, authz::AuthDetails, |d| {
                authz::read_into(&d, &text, file, &mut self.b, Some(account));
            });
            self.keep(file, text);
        }
        if !without.is_empty() && !self.b.accounts.is_empty() {
            let n = without.len();
            let list = if n > 10 {
                format!("{} and {} more", without[..10].join(", "), n - 10)
            } else {
                without.join(", ")
            };
            self.path_problem(
                Path::new(AUTHZ),
                true,
                format!(
                    "no authorization details for {n} account{}: {list}; their IAM is unknown",
                    if n == 1 { "" } else { "s" }
                ),
            );
        }
    }
}
