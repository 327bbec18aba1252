//! The Overview tab: ids, ARNs, paths, tags, credentials, last use.

use ratatui::text::Span;

use super::{DetailCtx, LABEL, Out, date_age, days_since, node_style, origin_label};
use crate::org::{AccessKey, Credentials, Parent, Tag};
use crate::tui::nodes::{Folder, Node, PolicyFolder, counts};
use crate::tui::sanitize::clean;
use crate::tui::tree::TreeSource as _;

/// The most names a folder's Overview lists.
const FOLDER_LIST: usize = 200;

/// Access keys older than this are flagged, as AWS's own advice has it.
const KEY_MAX_DAYS: i64 = 90;

pub(super) fn build(cx: &DetailCtx<'_, '_>, node: Node, out: &mut Out<'_>) {
    let org = cx.tree.org();
    let title = clean(cx.tree.name(node));
    out.push(vec![Span::styled(
        title,
        node_style(cx.theme, node).patch(cx.theme.title),
    )]);
    match node {
        Node::Root => {
            let info = org.info();
            let root = org.root();
            out.field("Root id", &root.id);
            out.field(
                "Organization",
                info.id.as_deref().unwrap_or("(standalone accounts)"),
            );
            if let Some(m) = info.management_account {
                let a = org.account(m);
                out.field("Management", &format!("{} ({})", a.name, a.id));
            }
            out.field("Partition", &info.partition);
            out.field(
                "SCPs",
                if info.scps_enabled {
                    "enabled"
                } else {
                    "not enabled"
                },
            );
            out.field(
                "RCPs",
                if info.rcps_enabled {
                    "enabled"
                } else {
                    "not enabled"
                },
            );
            let s = org.stats();
            out.field(
                "Holds",
                &counts(&[
                    (s.ous, "OU", "OUs"),
                    (s.accounts, "account", "accounts"),
                    (s.users, "user", "users"),
                    (s.groups, "group", "groups"),
                    (s.roles, "role", "roles"),
                    (s.policies, "policy", "policies"),
                    (s.resources, "resource", "resources"),
                ]),
            );
            if let Some(d) = &info.description {
                out.blank();
                out.push(vec![Span::styled(clean(d), cx.theme.text)]);
            }
        }
        Node::Ou(o) => {
            let ou = org.ou(o);
            out.field("OU id", &ou.id);
            out.field("Path", &ou_path(cx, ou.parent, &ou.name));
            out.field(
                "Holds",
                &format!(
                    "{} directly",
                    counts(&[
                        (ou.ous.len(), "OU", "OUs"),
                        (ou.accounts.len(), "account", "accounts")
                    ])
                ),
            );
        }
        Node::Account(a) => {
            let acc = org.account(a);
            out.field("Account id", &acc.id);
            if let Some(e) = &acc.email {
                out.field("Email", e);
            }
            if let Some(s) = &acc.status {
                out.field("Status", s);
            }
            out.field("Path", &ou_path(cx, acc.parent, &acc.name));
            if org.management_account() == Some(a) {
                out.field_styled(
                    "Management",
                    "yes: SCPs and RCPs do not apply here",
                    cx.theme.warn,
                );
            }
            out.field(
                "Holds",
                &counts(&[
                    (acc.users.len(), "user", "users"),
                    (acc.groups.len(), "group", "groups"),
                    (acc.roles.len(), "role", "roles"),
                    (acc.policies.len(), "policy", "policies"),
                    (acc.resources.len(), "resource", "resources"),
                ]),
            );
            if let Some(root) = &acc.root_user {
                out.heading("Root user");
                credentials(cx, root, out);
            }
        }
        Node::Folder(a, f) => {
            let acc = org.account(a);
            out.field("Account", &format!("{} ({})", acc.name, acc.id));
            let n = match f {
                Folder::Users => acc.users.len(),
                Folder::Groups => acc.groups.len(),
                Folder::Roles => acc.roles.len(),
                Folder::Policies => acc.policies.len(),
                Folder::Resources => acc.resources.len(),
            };
            out.field("Count", &crate::tui::words::thousands(n));
            // What it holds, by name: the list reads the same whether the folder is
            // open in the tree or not.
            if n > 0 {
                out.blank();
            }
            let children = cx.tree.children(node);
            for &child in children.iter().take(FOLDER_LIST) {
                out.item(
                    0,
                    vec![Span::styled(
                        clean(cx.tree.name(child)),
                        node_style(cx.theme, child),
                    )],
                );
            }
            if n > FOLDER_LIST {
                out.note(format!(
                    "… and {} more (/ finds any of them by name)",
                    crate::tui::words::thousands(n - FOLDER_LIST)
                ));
            }
        }
        Node::OrgPolicies | Node::PolicyFolder(_) => {
            for f in PolicyFolder::ALL {
                out.field(
                    match f {
                        PolicyFolder::Scps => "SCPs",
                        PolicyFolder::Rcps => "RCPs",
                        PolicyFolder::AwsManaged => "AWS managed",
                    },
                    &cx.tree.org_policies(f).len().to_string(),
                );
            }
        }
        Node::User(u) => {
            let user = org.user(u);
            out.field("ARN", &user.arn);
            if let Some(id) = &user.id {
                out.field("User id", id);
            }
            out.field("Path", user.path());
            account_field(cx, user.account, out);
            if let Some(c) = user.created {
                out.field("Created", &date_age(c, cx.now));
            }
            let groups: Vec<String> = user
                .groups
                .iter()
                .map(|g| clean(org.group(*g).name()))
                .collect();
            out.field(
                "Groups",
                &if groups.is_empty() {
                    "none".to_string()
                } else {
                    groups.join(", ")
                },
            );
            if let Some(b) = user.boundary {
                out.field_styled("Boundary", org.policy_name(b), cx.theme.policy);
            }
            out.heading("Credentials");
            credentials(cx, &user.credentials, out);
            tags(cx, &user.tags, out);
        }
        Node::Group(g) => {
            let group = org.group(g);
            out.field("ARN", &group.arn);
            if let Some(id) = &group.id {
                out.field("Group id", id);
            }
            out.field("Path", group.path());
            account_field(cx, group.account, out);
            if let Some(c) = group.created {
                out.field("Created", &date_age(c, cx.now));
            }
            out.field("Members", &group.members.len().to_string());
        }
        Node::Role(r) => {
            let role = org.role(r);
            out.field("ARN", &role.arn);
            if let Some(id) = &role.id {
                out.field("Role id", id);
            }
            out.field("Path", role.path());
            account_field(cx, role.account, out);
            if let Some(d) = &role.description {
                out.field("Description", d);
            }
            if let Some(c) = role.created {
                out.field("Created", &date_age(c, cx.now));
            }
            match role
                .last_used
                .as_ref()
                .and_then(|l| l.date.map(|d| (d, l.region.as_deref())))
            {
                Some((d, region)) => {
                    let mut s = date_age(d, cx.now);
                    if let Some(r) = region {
                        s.push_str(&format!(" in {r}"));
                    }
                    out.field("Last used", &s);
                }
                None if role.last_used.is_some() => {
                    out.field_styled("Last used", "never", cx.theme.warn)
                }
                None => out.field_styled("Last used", "unknown", cx.theme.dim),
            }
            if let Some(m) = role.max_session_duration {
                out.field("Max session", &format!("{} h", f64::from(m) / 3600.0));
            }
            if role.is_service_linked() {
                out.field_styled(
                    "Service-linked",
                    "yes: exempt from SCPs and RCPs",
                    cx.theme.warn,
                );
            }
            if let Some(b) = role.boundary {
                out.field_styled("Boundary", org.policy_name(b), cx.theme.policy);
            }
            tags(cx, &role.tags, out);
        }
        Node::Policy(p) => {
            let rec = org.policy(p);
            if let Some(arn) = &rec.arn {
                out.field("ARN", arn);
            }
            if let Some(id) = &rec.id {
                out.field("Policy id", id);
            }
            out.field("Kind", origin_label(rec.origin));
            if let Some(d) = &rec.description {
                out.field("Description", d);
            }
            if let Some(v) = &rec.version {
                out.field("Version", v);
            }
            let doc = org.doc(p);
            out.field("Statements", &doc.policy.statements().len().to_string());
            out.field(
                "Size",
                &format!("{} characters (whitespace aside)", doc.size),
            );
            out.field("Attached to", &org.attachments(p).len().to_string());
        }
        Node::Resource(r) => {
            let res = org.resource(r);
            out.field("ARN", &res.arn);
            out.field("Kind", res.kind.label());
            if res.aws_managed {
                out.field(
                    "Managed by",
                    "AWS (an AWS managed key: RCPs do not apply to it)",
                );
            }
            account_field(cx, res.account, out);
            if res.kind == crate::org::ResourceKind::S3Bucket {
                out.field(
                    "Block Public Access",
                    &crate::analysis::block_public_access(org, r),
                );
            }
            out.field(
                "Policy",
                if res.policy.is_some() {
                    "yes (see JSON)"
                } else {
                    "none"
                },
            );
        }
    }
}

fn account_field(cx: &DetailCtx<'_, '_>, a: crate::org::AccountIx, out: &mut Out<'_>) {
    let acc = cx.tree.org().account(a);
    out.field_spans(
        "Account",
        vec![
            Span::styled(clean(&acc.name), cx.theme.account),
            Span::styled(format!(" ({})", clean(&acc.id)), cx.theme.dim),
        ],
    );
}

/// `Root / Workloads / Prod / prod-app`.
fn ou_path(cx: &DetailCtx<'_, '_>, mut parent: Parent, name: &str) -> String {
    let org = cx.tree.org();
    let mut parts = vec![name.to_string()];
    while let Parent::Ou(o) = parent {
        let ou = org.ou(o);
        parts.push(ou.name.to_string());
        parent = ou.parent;
    }
    parts.push(org.root().name.to_string());
    parts.reverse();
    parts.join(" / ")
}

fn credentials(cx: &DetailCtx<'_, '_>, c: &Credentials, out: &mut Out<'_>) {
    let t = cx.theme;
    match &c.password {
        Some(p) => {
            let used = p.last_used.map_or("never used".to_string(), |d| {
                format!("last used {}", date_age(d, cx.now))
            });
            out.field("Console", &format!("password, {used}"));
        }
        None => out.field_styled("Console", "no password", t.dim),
    }
    if c.mfa {
        let devices = if c.mfa_devices.is_empty() {
            String::new()
        } else {
            format!(
                " ({})",
                c.mfa_devices
                    .iter()
                    .map(|d| clean(d))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        out.field_styled("MFA", &format!("yes{devices}"), t.good);
    } else if c.password.is_some() {
        out.field_styled("MFA", "no, with a console password", t.bad);
    } else {
        out.field_styled("MFA", "no", t.dim);
    }
    if c.access_keys.is_empty() {
        out.field_styled("Access keys", "none", t.dim);
    }
    for (i, k) in c.access_keys.iter().enumerate() {
        access_key(cx, i, k, out);
    }
}

fn access_key(cx: &DetailCtx<'_, '_>, i: usize, k: &AccessKey, out: &mut Out<'_>) {
    let t = cx.theme;
    let label = if i == 0 { "Access keys" } else { "" };
    let mut spans = vec![Span::styled(
        format!(
            "{} {}",
            k.id.as_deref()
                .map(clean)
                .unwrap_or_else(|| format!("key {}", i + 1)),
            if k.active { "active" } else { "inactive" }
        ),
        if k.active { t.text } else { t.dim },
    )];
    if let Some(c) = k.created {
        let age = days_since(c, cx.now);
        let style = if k.active && age > KEY_MAX_DAYS {
            t.bad
        } else {
            t.text
        };
        let days = crate::tui::words::plural(age.max(0) as usize, "day", "days");
        spans.push(Span::styled(format!(", {days} old"), style));
    }
    out.field_spans(label, spans);
    let used = match k.last_used {
        Some(d) => {
            let mut s = format!("last used {}", date_age(d, cx.now));
            if let Some(svc) = &k.last_service {
                s.push_str(&format!(" ({}", clean(svc)));
                if let Some(r) = &k.last_region {
                    s.push_str(&format!(", {}", clean(r)));
                }
                s.push(')');
            }
            s
        }
        None => "never used".to_string(),
    };
    out.push(vec![
        Span::raw(" ".repeat(LABEL)),
        Span::styled(used, t.dim),
    ]);
}

fn tags(cx: &DetailCtx<'_, '_>, tags: &[Tag], out: &mut Out<'_>) {
    if tags.is_empty() {
        return;
    }
    out.heading("Tags");
    for tag in tags {
        out.field_spans(
            &format!("  {}", clean(&tag.key)),
            vec![Span::styled(clean(&tag.value), cx.theme.text)],
        );
    }
}
