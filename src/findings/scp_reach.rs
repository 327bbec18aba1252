//! What an account's SCPs leave allowed: every action of the AWS catalog decided by
//! the engine through the account's SCP levels alone (an identity policy that allows
//! everything stands in for the principal's own), as a role of the account that the
//! SCPs do not name.
//!
//! Decided per class of actions, not per action: two actions that the same SCP
//! statements cover (action and resource) get the same decision, so the engine decides
//! one of each class. Accounts whose SCP levels hold the same documents share the
//! answer, unless a document names an account id or holds a policy variable (the
//! answer may then depend on the account).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use crate::catalog::{Action, Catalog};
use crate::engine::{self, Decision, PolicySet};
use crate::org::{AccountIx, DocIx, Org};
use crate::policy::{Context, Policy, PolicyKind, Request, Statement};

/// What one account's SCPs allow of the catalog.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Reach {
    /// Actions allowed with no context at all.
    pub allowed: usize,
    /// Actions allowed only with some context (a region, a tag, MFA...).
    pub conditional: usize,
    /// The catalog's actions.
    pub total: usize,
    /// Per service prefix, how many of its actions are allowed (with or without
    /// context); services with none are absent.
    pub services: BTreeMap<&'static str, usize>,
}

impl Reach {
    pub fn reachable(&self) -> usize {
        self.allowed + self.conditional
    }
}

/// What decides an account's reach: its SCP levels' documents, and the account where
/// a document may decide otherwise in another account.
type GroupKey = (Vec<Vec<DocIx>>, Option<AccountIx>);

/// A class of actions the same SCP statements cover (and whether they are KMS's):
/// one request stands for it, with its actions counted per service.
type Classes = HashMap<(Vec<u64>, bool), (Request, BTreeMap<&'static str, usize>)>;

/// The role the SCPs are asked about: its name is one no SCP is expected to name.
const PROBE_ROLE: &str = "orgscope-scp-probe";

/// Each account's reach, `None` where SCPs do not apply (the management account,
/// SCPs not enabled).
pub(super) fn reaches(org: &Org) -> Vec<Option<Arc<Reach>>> {
    let n = org.accounts().len();
    let mut keys: Vec<Option<GroupKey>> = Vec::with_capacity(n);
    let mut sensitive: HashMap<DocIx, bool> = HashMap::new();
    for i in 0..n {
        let a = AccountIx::new(i);
        let levels = org.scp_levels(a);
        if levels.is_empty() {
            keys.push(None);
            continue;
        }
        let docs: Vec<Vec<DocIx>> = levels
            .iter()
            .map(|l| l.iter().map(|&p| org.policy(p).doc).collect())
            .collect();
        let depends_on_account = levels.iter().flatten().any(|&p| {
            *sensitive
                .entry(org.policy(p).doc)
                .or_insert_with(|| names_an_account(&org.doc(p).text))
        });
        keys.push(Some((docs, depends_on_account.then_some(a))));
    }
    // One account per distinct key decides for all that share it.
    let mut first: HashMap<&GroupKey, usize> = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        if let Some(k) = k {
            first.entry(k).or_insert(i);
        }
    }
    let mut deciders: Vec<usize> = first.values().copied().collect();
    deciders.sort_unstable();
    let decided: HashMap<usize, Arc<Reach>> = deciders
        .par_iter()
        .map(|&i| (i, Arc::new(reach(org, AccountIx::new(i)))))
        .collect();
    keys.iter()
        .map(|k| k.as_ref().map(|k| decided[&first[k]].clone()))
        .collect()
}

/// Whether a document's text names an account id (12 digits) or holds a policy
/// variable: its decisions may differ from one account to another.
fn names_an_account(text: &str) -> bool {
    if text.contains("${") {
        return true;
    }
    let b = text.as_bytes();
    let mut run = 0;
    for (i, c) in b.iter().enumerate() {
        if c.is_ascii_digit() {
            run += 1;
        } else {
            run = 0;
        }
        if run == 12 && b.get(i + 1).is_none_or(|n| !n.is_ascii_digit()) {
            return true;
        }
    }
    false
}

/// The identity policy standing for the principal's own: it allows everything.
fn allow_everything() -> &'static Policy {
    static P: OnceLock<Policy> = OnceLock::new();
    P.get_or_init(|| {
        Policy::parse(
            PolicyKind::Identity,
            "orgscope-allow-everything",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        )
        .expect("a valid policy")
    })
}

/// The resource's policy: one that lets everyone in, so that resources whose own
/// policy must grant (KMS keys: KMS Developer Guide, "Key policies") take no part.
fn open_resource() -> &'static Policy {
    static P: OnceLock<Policy> = OnceLock::new();
    P.get_or_init(|| {
        Policy::parse(
            PolicyKind::Resource,
            "orgscope-open-resource",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#,
        )
        .expect("a valid policy")
    })
}

/// One account's reach, every catalog action decided through its SCP levels.
pub(super) fn reach(org: &Org, a: AccountIx) -> Reach {
    let account = &*org.account(a).id;
    let levels: Vec<Vec<&Policy>> = org
        .scp_levels(a)
        .iter()
        .map(|l| l.iter().map(|&p| &**org.compiled(p)).collect())
        .collect();
    let statements: Vec<&Statement> = levels
        .iter()
        .flatten()
        .flat_map(|p| p.statements())
        .collect();
    let set = PolicySet {
        identity: vec![allow_everything()],
        resource: Some(open_resource()),
        scps: Cow::Owned(levels),
        ..PolicySet::default()
    };
    let probe = format!("arn:aws:iam::{account}:role/{PROBE_ROLE}");
    let catalog = Catalog::get();
    // Per class of actions: one request standing for it, and its actions per service.
    let mut classes: Classes = HashMap::new();
    let mut total = 0;
    for action in catalog.actions() {
        let Some(req) = request(&probe, action, account) else {
            continue;
        };
        total += 1;
        let mut bits = vec![0u64; statements.len().div_ceil(64)];
        for (k, s) in statements.iter().enumerate() {
            if s.covers(&req) {
                bits[k / 64] |= 1 << (k % 64);
            }
        }
        // KMS requests carry kms:CallerAccount, which no other service's do.
        let key = (bits, action.service == "kms");
        let entry = classes.entry(key).or_insert_with(|| (req, BTreeMap::new()));
        *entry.1.entry(action.service).or_default() += 1;
    }
    let mut out = Reach {
        total,
        ..Reach::default()
    };
    for (_, (mut req, services)) in classes {
        let n: usize = services.values().sum();
        let decision = engine::evaluate(&req, &set);
        if decision == Decision::Allowed {
            out.allowed += n;
        } else if !engine::first_allowing_context(&mut req, &set, decision).is_empty() {
            // Some context lets it in (or the search could not rule one out).
            out.conditional += n;
        } else {
            continue;
        }
        for (s, k) in services {
            *out.services.entry(s).or_default() += k;
        }
    }
    out
}

/// A request for `action` by the probe, on a resource of the action's first resource
/// type in the account (the ARN template filled with sample names), or on `*` for an
/// action that takes none.
fn request(probe: &str, action: &Action, account: &str) -> Option<Request> {
    let resource = sample_resource(action, account).unwrap_or_else(|| "*".to_string());
    let full = action.full_name();
    Request::new(probe, &full, &resource, None, Context::default())
        .or_else(|_| Request::new(probe, &full, "*", None, Context::default()))
        .ok()
}

fn sample_resource(action: &Action, account: &str) -> Option<String> {
    let rt = action
        .resource_types
        .iter()
        .find(|r| r.required)
        .or(action.resource_types.first())?;
    let service = Catalog::get().service_info(action.service)?;
    let def = service.resources.iter().find(|d| d.name == rt.name)?;
    let mut out = String::with_capacity(def.arn.len());
    let mut rest = def.arn.as_str();
    while let Some(at) = rest.find("${") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find('}')? + at;
        out.push_str(match &rest[at + 2..end] {
            "Partition" => "aws",
            "Region" => "us-east-1",
            "Account" | "AccountId" => account,
            _ => "orgscope-sample",
        });
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids_and_variables_make_a_document_account_specific() {
        assert!(names_an_account(
            r#"{"aws:PrincipalAccount":"111122223333"}"#
        ));
        assert!(names_an_account(
            r#"{"Resource":"arn:aws:s3:::${aws:username}"}"#
        ));
        assert!(!names_an_account(
            r#"{"Resource":"arn:aws:iam::*:role/Admin"}"#
        ));
        // 13 digits is no account id.
        assert!(!names_an_account(r#"{"x":"1111222233334"}"#));
    }
}
