//! The organization's shape: policies attached nowhere, accounts outside any OU, the
//! management account used for workloads (Organizations User Guide, "Best practices
//! for the management account").

use super::{Category, Finding, Severity};
use crate::org::{Org, Parent, PolicyIx, PolicyOrigin};

pub(super) fn find(org: &Org, out: &mut Vec<Finding>) {
    for i in 0..org.policies().len() {
        let p = PolicyIx::new(i);
        let rec = org.policy(p);
        let kind = match rec.origin {
            PolicyOrigin::Scp => "SCP",
            PolicyOrigin::Rcp => "RCP",
            _ => continue,
        };
        if org.attachments(p).is_empty() {
            let name = org.policy_name(p).to_string();
            let node = rec
                .arn
                .as_deref()
                .or(rec.id.as_deref())
                .unwrap_or(&name)
                .to_string();
            let mut f = Finding::new(
                "org.policy-unattached",
                Category::Organization,
                Severity::Low,
                &node,
            );
            f.message = format!("the {kind} {name} is attached nowhere");
            f.node_name = name.clone();
            f.policy = Some(name);
            f.why =
                "a guardrail attached nowhere protects nothing, though it may look as if it does";
            f.fix = "attach it where it is meant to apply, or delete it";
            out.push(f);
        }
    }
    let management = org.management_account();
    for (i, a) in org.accounts().iter().enumerate() {
        if management.is_some_and(|m| m.index() == i) {
            continue;
        }
        if matches!(a.parent, Parent::Root) && org.info().id.is_some() {
            let mut f = Finding::new(
                "org.account-outside-ou",
                Category::Organization,
                Severity::Low,
                &a.id,
            );
            f.node_name = a.name.to_string();
            f.account = Some(a.id.to_string());
            f.message = format!("account {} sits directly under the root, in no OU", a.name);
            f.why = "an account outside every OU gets only the root's guardrails, whatever its workload";
            f.fix = "move it into the OU whose policies fit its workload";
            out.push(f);
        }
    }
    super::scp_findings::find(org, out);
    if let Some(m) = management {
        let a = org.account(m);
        let own = |arn: &str| {
            arn.contains(":role/aws-service-role/")
                || arn.contains(":role/aws-reserved/")
                || arn.ends_with(":role/OrganizationAccountAccessRole")
        };
        let users = a.users.len();
        let roles = a.roles.iter().filter(|&&r| !own(&org.role(r).arn)).count();
        if users + roles > 0 {
            let mut f = Finding::new(
                "org.management-workloads",
                Category::Organization,
                Severity::Medium,
                &a.id,
            );
            f.node_name = a.name.to_string();
            f.account = Some(a.id.to_string());
            let plural =
                |n: usize, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
            f.message = format!(
                "the management account {} holds {} and {} of its own",
                a.name,
                plural(users, "user"),
                plural(roles, "role")
            );
            f.why = "SCPs do not apply in the management account: whatever runs there escapes every guardrail";
            f.fix = "move workloads and people to member accounts; keep the management account for the organization";
            out.push(f);
        }
    }
}
