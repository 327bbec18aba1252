//! The Policies tab: what is attached here, and what comes from each ancestor, level
//! by level (groups for a user; the root and OUs for an OU or account).

use ratatui::text::Span;

use super::{DetailCtx, Out, policy_spans};
use crate::org::{Parent, PolicyIx};
use crate::tui::nodes::Node;
use crate::tui::sanitize::clean;

pub(super) fn build(cx: &DetailCtx<'_, '_>, node: Node, out: &mut Out<'_>) {
    let org = cx.tree.org();
    match node {
        Node::User(u) => {
            let user = org.user(u);
            out.heading("Attached directly");
            list(cx, out, user.managed.iter().chain(&user.inline));
            if let Some(b) = user.boundary {
                out.heading("Permissions boundary");
                list(cx, out, [b].iter());
            }
            for &g in &user.groups {
                let group = org.group(g);
                out.heading(format!("From group {}", clean(group.name())));
                list(cx, out, group.managed.iter().chain(&group.inline));
            }
            org_note(cx, out);
        }
        Node::Group(g) => {
            let group = org.group(g);
            out.heading("Attached directly");
            list(cx, out, group.managed.iter().chain(&group.inline));
        }
        Node::Role(r) => {
            let role = org.role(r);
            out.heading("Trust policy");
            list(cx, out, role.trust.iter());
            out.heading("Attached directly");
            list(cx, out, role.managed.iter().chain(&role.inline));
            if let Some(b) = role.boundary {
                out.heading("Permissions boundary");
                list(cx, out, [b].iter());
            }
            org_note(cx, out);
        }
        Node::Resource(r) => {
            out.heading("Resource policy");
            list(cx, out, org.resource(r).policy.iter());
        }
        Node::Root => {
            let root = org.root();
            out.heading("Attached here: SCPs");
            list(cx, out, root.scps.iter());
            out.heading("Attached here: RCPs");
            list(cx, out, root.rcps.iter());
        }
        Node::Ou(_) | Node::Account(_) => {
            let (scps, rcps, parent) = match node {
                Node::Ou(o) => {
                    let ou = org.ou(o);
                    (&ou.scps, &ou.rcps, ou.parent)
                }
                Node::Account(a) => {
                    let acc = org.account(a);
                    (&acc.scps, &acc.rcps, acc.parent)
                }
                _ => unreachable!("matched above"),
            };
            out.heading("Attached here");
            if scps.is_empty() && rcps.is_empty() {
                out.note("  nothing");
            }
            list(cx, out, scps.iter().chain(rcps));
            // Ancestors, nearest last: the root first, as AWS evaluates them.
            let mut chain = Vec::new();
            let mut p = parent;
            while let Parent::Ou(o) = p {
                chain.push(o);
                p = org.ou(o).parent;
            }
            let root = org.root();
            out.heading(format!("Inherited from the root {}", clean(&root.id)));
            if root.scps.is_empty() && root.rcps.is_empty() {
                out.note("  nothing");
            }
            list(cx, out, root.scps.iter().chain(&root.rcps));
            for &o in chain.iter().rev() {
                let ou = org.ou(o);
                out.heading(format!("Inherited from OU {}", clean(&ou.name)));
                if ou.scps.is_empty() && ou.rcps.is_empty() {
                    out.note("  nothing");
                }
                list(cx, out, ou.scps.iter().chain(&ou.rcps));
            }
        }
        Node::Policy(p) => {
            let n = org.attachments(p).len();
            out.note(format!(
                "a policy; attached to {n} (tab 4), document in tab 5"
            ));
        }
        Node::Folder(..) | Node::OrgPolicies | Node::PolicyFolder(_) => {
            out.note("nothing is attached to a folder")
        }
    }
}

fn list<'p>(
    cx: &DetailCtx<'_, '_>,
    out: &mut Out<'_>,
    policies: impl Iterator<Item = &'p PolicyIx>,
) {
    let mut any = false;
    for &p in policies {
        out.item(1, policy_spans(cx, p));
        any = true;
    }
    if !any {
        out.note("  none");
    }
}

fn org_note(cx: &DetailCtx<'_, '_>, out: &mut Out<'_>) {
    out.blank();
    out.push(vec![Span::styled(
        "SCPs and RCPs from the root, OUs and account: tab 3",
        cx.theme.dim,
    )]);
}
