//! Identity hygiene, from the model and the credential report: the root user, console
//! users without MFA, old or unused access keys, policies attached to users directly,
//! roles nobody uses (IAM User Guide, "Security best practices in IAM").

use jiff::{SignedDuration, Timestamp};

use super::{Category, Finding, Options, Severity};
use crate::org::{AccessKey, Org};

pub(super) fn find(org: &Org, opts: &Options, out: &mut Vec<Finding>) {
    let now = opts.now.unwrap_or_else(Timestamp::now);
    let days = opts.stale_days.unwrap_or(90);
    let stale = |t: Option<Timestamp>| {
        t.is_some_and(|t| now.duration_since(t) > SignedDuration::from_hours(24 * days))
    };
    for a in org.accounts() {
        let Some(root) = &a.root_user else { continue };
        let node = format!("arn:aws:iam::{}:root", a.id);
        let make = |rule, severity| {
            let mut f = Finding::new(rule, Category::Identity, severity, &node);
            f.node_name = format!("root user of {}", a.name);
            f.account = Some(a.id.to_string());
            f
        };
        if !root.mfa {
            let mut f = make("identity.root-no-mfa", Severity::Critical);
            f.message = format!("the root user of {} has no MFA device", a.name);
            f.why = "the root user can do anything in its account, close it included, and a password alone guards it";
            f.fix = "enable MFA on the root user (or centralize root access and remove its credentials)";
            out.push(f);
        }
        if root.access_keys.iter().any(|k| k.active) {
            let mut f = make("identity.root-access-keys", Severity::Critical);
            f.message = format!("the root user of {} has an active access key", a.name);
            f.why = "a leaked root access key gives unlimited access to the account, and no policy can narrow it";
            f.fix = "delete the root user's access keys; use roles for automation";
            out.push(f);
        }
    }
    for u in org.users() {
        let account = org.account(u.account);
        let name = u.arn.rsplit('/').next().unwrap_or(&u.arn).to_string();
        let make = |rule, severity| {
            let mut f = Finding::new(rule, Category::Identity, severity, &u.arn);
            f.node_name = name.clone();
            f.account = Some(account.id.to_string());
            f
        };
        let c = &u.credentials;
        if c.password.is_some() && !c.mfa {
            let mut f = make("identity.console-no-mfa", Severity::High);
            f.message = format!("{name} signs in to the console with a password and no MFA");
            f.why = "a phished or reused password is enough to act as this user";
            f.fix = "require MFA for console users (a policy that denies without aws:MultiFactorAuthPresent), or move them to IAM Identity Center";
            out.push(f);
        }
        let active: Vec<&AccessKey> = c.access_keys.iter().filter(|k| k.active).collect();
        if active.iter().any(|k| stale(k.created)) {
            let mut f = make("identity.old-access-key", Severity::Medium);
            f.message = format!("{name} has an active access key older than {days} days");
            f.why = "long-lived keys leak through code, logs and laptops; the older, the likelier";
            f.fix = "rotate the key, or replace it with a role";
            out.push(f);
        }
        let unused = |k: &&AccessKey| match k.last_used {
            Some(t) => stale(Some(t)),
            None => stale(k.created),
        };
        if active.iter().any(unused) {
            let mut f = make("identity.unused-access-key", Severity::Medium);
            f.message = format!("{name} has an active access key unused for {days} days");
            f.why = "a key nobody uses is only a risk";
            f.fix = "deactivate, then delete the key";
            out.push(f);
        }
        if !u.managed.is_empty() || !u.inline.is_empty() {
            let mut f = make("identity.direct-policies", Severity::Low);
            let n = u.managed.len() + u.inline.len();
            f.message = format!(
                "{name} has {n} {} attached directly",
                if n == 1 { "policy" } else { "policies" }
            );
            f.why = "permissions given user by user drift apart and are hard to review";
            f.fix = "grant through groups (or roles), and detach the user's own policies";
            out.push(f);
        }
    }
    for r in org.roles() {
        // Service-linked roles are the service's to use.
        if r.arn.contains(":role/aws-service-role/") {
            continue;
        }
        // Unused as Access Analyzer's unused access counts it: last used before the
        // window, or never used (an empty `RoleLastUsed`) by a role older than the
        // window. An input that does not say (no last use at all) is not a finding.
        let Some(used) = &r.last_used else { continue };
        let message = match used.date {
            Some(last) if stale(Some(last)) => format!("was last used more than {days} days ago"),
            None if stale(r.created) => {
                format!("has never been used, and was created more than {days} days ago")
            }
            _ => continue,
        };
        let name = r.arn.rsplit('/').next().unwrap_or(&r.arn).to_string();
        let mut f = Finding::new(
            "identity.unused-role",
            Category::Identity,
            Severity::Low,
            &r.arn,
        );
        f.message = format!("{name} {message}");
        f.node_name = name;
        f.account = Some(org.account(r.account).id.to_string());
        f.why = "a role nobody uses keeps its permissions and its trust for whoever finds it";
        f.fix = "delete the role, or remove its permissions until it is needed";
        out.push(f);
    }
}
