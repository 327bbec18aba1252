//! Privilege escalation: principals that can give themselves more than they have,
//! each with the steps, every step decided by the engine through
//! [`crate::analysis::paths::escalation`] (an SCP, a boundary or a deny that stops a
//! step removes the finding). Principals that are already allowed every action are
//! left to `policy.admin`: they have nothing more to gain.

use std::borrow::Cow;

use std::collections::HashSet;

use super::{Category, Finding, Severity};
use crate::analysis::assemble::{Ask, Subject, assemble};
use crate::analysis::paths::escalation::{Batch, Edge, Prefilter, in_batches_until};
use crate::engine::{self, Decision};
use crate::org::assume_index::all_principals;
use crate::org::{Org, PrincipalIx};

/// Whether `p`'s own policies (identity and boundary) already allow any action: an
/// action no narrower grant names, asked of the engine on a resource no narrower
/// grant names, with the organization's policies set aside (they bound what `p` has
/// and what it could give itself alike).
fn allowed_everything(org: &Org, p: PrincipalIx) -> bool {
    let account = &*org.account(org.principal_account(p)).id;
    let ask = Ask {
        action: "orgscope:AnyAction".to_string(),
        resource: format!("arn:aws:orgscope:us-east-1:{account}:probe/any"),
        ..Ask::default()
    };
    assemble(org, Subject::Principal(p), &ask).is_ok_and(|mut a| {
        a.set.scps = Cow::Borrowed(&[]);
        a.set.rcps = Cow::Borrowed(&[]);
        engine::evaluate(&a.request, &a.set) == Decision::Allowed
    })
}

/// `iam:AttachUserPolicy on arn:...`, or a technique's steps joined by ", then "; a
/// tag step names its tag (`iam:UntagRole of tag protected on arn:...`,
/// `iam:TagRole of tag team=red on arn:...`).
fn steps(e: &Edge) -> String {
    let s: Vec<String> = e
        .steps
        .iter()
        .map(|x| match x.tag_text() {
            Some(t) => format!("{} of tag {t} on {}", x.action, x.resource),
            None => format!("{} on {}", x.action, x.resource),
        })
        .collect();
    let mut out = s.join(", then ");
    if !e.needs.is_empty() {
        let n: Vec<String> = e.needs.iter().map(ToString::to_string).collect();
        out.push_str(&format!(" (needs {})", n.join(", ")));
    }
    out
}

fn short(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// `None` when `stopped` says stop (checked before each chunk of principals).
pub(super) fn find(
    org: &Org,
    out: &mut Vec<Finding>,
    stopped: &(dyn Fn() -> bool + Sync),
) -> Option<()> {
    let pre = Prefilter::new(org);
    let candidates: Vec<PrincipalIx> = all_principals(org).filter(|&p| pre.may(org, p)).collect();
    // Whether each principal of an account with a candidate is admin-level, decided
    // once for the account rather than once per candidate that could reach it.
    let mut accounts: Vec<usize> = candidates
        .iter()
        .map(|&p| org.principal_account(p).index())
        .collect();
    accounts.dedup();
    accounts.sort_unstable();
    accounts.dedup();
    let targets: Vec<PrincipalIx> = accounts
        .iter()
        .flat_map(|&a| pre.by_account[a].iter().copied())
        .collect();
    let admin: HashSet<PrincipalIx> = in_batches_until(
        org,
        &[],
        &targets,
        |&q| q,
        |batch, &q| (pre.is_admin_in(batch, q) || allowed_everything(org, q)).then_some(q),
        stopped,
    )?
    .into_iter()
    .flatten()
    .collect();
    let found: Vec<Finding> = in_batches_until(
        org,
        &[],
        &candidates,
        |&p| p,
        |batch, &p| principal_findings(batch, &pre, &admin, p),
        stopped,
    )?
    .into_iter()
    .flatten()
    .collect();
    out.extend(found);
    Some(())
}

fn principal_findings(
    batch: &mut Batch<'_>,
    pre: &Prefilter,
    admin: &HashSet<PrincipalIx>,
    p: PrincipalIx,
) -> Vec<Finding> {
    let org = batch.org();
    if allowed_everything(org, p) {
        return Vec::new();
    }
    let arn = org.principal_arn(p);
    let name = short(arn).to_string();
    let account = org.account(org.principal_account(p)).id.to_string();
    let make = |rule, severity| {
        let mut f = Finding::new(rule, Category::Identity, severity, arn);
        f.node_name = name.clone();
        f.account = Some(account.clone());
        f
    };
    let mut found = Vec::new();
    let own = pre.self_edges_in(batch, p);
    if !own.is_empty() {
        let free = own.iter().any(|e| e.needs.is_empty());
        // A boundary still caps what it gives itself, unless it can lift the boundary.
        let lifts = own
            .iter()
            .any(|e| e.needs.is_empty() && e.via.contains("PermissionsBoundary"));
        let bounded = org.boundary(p).is_some() && !lifts;
        let mut f = make(
            "escalation.self",
            if free && !bounded {
                Severity::Critical
            } else {
                Severity::High
            },
        );
        let ways: Vec<String> = own.iter().map(steps).collect();
        f.message = format!(
            "{name} can give itself any permission{}: {}",
            if bounded {
                " its permissions boundary allows"
            } else {
                ""
            },
            ways.join("; or ")
        );
        f.why = "a principal that can write its own policies is an administrator, whatever it was granted";
        f.fix = "remove the IAM write actions on itself (its policies, groups, attached policy versions), or deny them with a boundary or SCP";
        found.push(f);
        if free {
            return found;
        }
    }
    // One hop to a principal that can give itself anything (or already has it).
    let mut ways: Vec<(String, Edge)> = Vec::new();
    for &q in &pre.by_account[org.principal_account(p).index()] {
        if q == p || !admin.contains(&q) {
            continue;
        }
        if let Some(e) = pre.best_between(batch, p, q).filter(|e| e.needs.is_empty()) {
            ways.push((org.principal_arn(q).to_string(), e));
        }
    }
    if !ways.is_empty() {
        let mut f = make("escalation.to-admin", Severity::High);
        let list: Vec<String> = ways
            .iter()
            .map(|(q, e)| format!("{} ({})", short(q), steps(e)))
            .collect();
        f.message = format!(
            "{name} can obtain the permissions of {} {} with administrator rights: {}",
            ways.len(),
            if ways.len() == 1 {
                "principal"
            } else {
                "principals"
            },
            list.join("; ")
        );
        f.why = "taking another principal's keys, password or role is being that principal";
        f.fix = "limit iam:CreateAccessKey, login profiles, iam:PassRole and iam:UpdateAssumeRolePolicy to the principals they are meant for";
        found.push(f);
    }
    found
}
