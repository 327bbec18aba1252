//! The SCPs/RCPs tab: the chain from the root to here, level by level. Every level
//! must allow an action (an intersection); a Deny anywhere wins.

use ratatui::text::Span;

use super::{DetailCtx, Out, policy_spans};
use crate::org::{AccountIx, Entity, Parent, PolicyIx};
use crate::tui::nodes::Node;
use crate::tui::sanitize::clean;

pub(super) fn build(cx: &DetailCtx<'_, '_>, node: Node, out: &mut Out<'_>) {
    let org = cx.tree.org();
    let account = match node {
        Node::Folder(a, _) => Some(a),
        n => n.entity().and_then(|e| org.account_of(e)),
    };
    match (node, account) {
        (_, Some(a)) => account_chain(cx, node, a, out),
        (Node::Root, _) => {
            explain(cx, out);
            root_level(cx, out);
        }
        (Node::Ou(o), _) => {
            explain(cx, out);
            let mut chain = vec![o];
            let mut p = org.ou(o).parent;
            while let Parent::Ou(up) = p {
                chain.push(up);
                p = org.ou(up).parent;
            }
            root_level(cx, out);
            for &o in chain.iter().rev() {
                let ou = org.ou(o);
                level(
                    cx,
                    out,
                    &format!("OU {}", clean(&ou.name)),
                    &ou.scps,
                    &ou.rcps,
                );
            }
            out.blank();
            out.note("accounts under this OU add their own level");
        }
        (Node::Policy(p), None) => {
            let n = org.attachments(p).len();
            out.note(format!(
                "an organization-wide policy: attached to {n} (tab 4)"
            ));
        }
        _ => out.note("SCPs and RCPs apply to accounts and what is in them"),
    }
}

/// The root's level, first in every chain.
fn root_level(cx: &DetailCtx<'_, '_>, out: &mut Out<'_>) {
    let root = cx.tree.org().root();
    let title = format!("Root {}", clean(&root.id));
    level(cx, out, &title, &root.scps, &root.rcps);
}

fn explain(cx: &DetailCtx<'_, '_>, out: &mut Out<'_>) {
    out.push(vec![Span::styled(
        "Every level, root to account, must allow; a Deny at any level wins.",
        cx.theme.dim,
    )]);
}

fn level(
    cx: &DetailCtx<'_, '_>,
    out: &mut Out<'_>,
    title: &str,
    scps: &[PolicyIx],
    rcps: &[PolicyIx],
) {
    out.heading(title.to_string());
    for (kind, list) in [("SCPs", scps), ("RCPs", rcps)] {
        if list.is_empty() {
            out.push(vec![Span::styled(format!("  {kind}: none"), cx.theme.dim)]);
            continue;
        }
        out.push(vec![Span::styled(format!("  {kind}:"), cx.theme.label)]);
        for &p in list {
            out.item(2, policy_spans(cx, p));
        }
    }
}

fn account_chain(cx: &DetailCtx<'_, '_>, node: Node, a: AccountIx, out: &mut Out<'_>) {
    let org = cx.tree.org();
    let info = org.info();
    let acc = org.account(a);
    if org.management_account() == Some(a) {
        out.push(vec![Span::styled(
            format!(
                "{} is the management account: no SCP or RCP applies to it.",
                clean(&acc.name)
            ),
            cx.theme.warn,
        )]);
        return;
    }
    if info.id.is_none() {
        out.note("a standalone account: no organization, no SCPs or RCPs");
        return;
    }
    if let Node::Role(r) = node
        && org.role(r).is_service_linked()
    {
        out.push(vec![Span::styled(
            "A service-linked role: SCPs and RCPs do not restrict it.",
            cx.theme.warn,
        )]);
        out.blank();
    }
    if let Some(Entity::User(_) | Entity::Role(_) | Entity::Group(_)) = node.entity() {
        out.note("SCPs limit this principal; RCPs limit requests to this account's resources.");
    }
    explain(cx, out);
    if !info.scps_enabled {
        out.push(vec![Span::styled(
            "SCPs are not enabled in this organization.",
            cx.theme.warn,
        )]);
    }
    if !info.rcps_enabled {
        out.push(vec![Span::styled(
            "RCPs are not enabled in this organization.",
            cx.theme.warn,
        )]);
    }
    let scps = org.scp_levels(a);
    let rcps = org.rcp_levels(a);
    let ancestors = org.ancestors(a);
    let root = org.root();
    let mut titles = vec![format!("Root {}", clean(&root.id))];
    titles.extend(
        ancestors
            .iter()
            .map(|&o| format!("OU {}", clean(&org.ou(o).name))),
    );
    titles.push(format!("Account {} ({})", clean(&acc.name), clean(&acc.id)));
    // The model's levels are empty where a kind is not enabled; fall back to what is
    // attached so the chain still reads.
    let attached = |i: usize, rcp: bool| -> Vec<PolicyIx> {
        if i == 0 {
            if rcp {
                root.rcps.clone()
            } else {
                root.scps.clone()
            }
        } else if i <= ancestors.len() {
            let ou = org.ou(ancestors[i - 1]);
            if rcp {
                ou.rcps.clone()
            } else {
                ou.scps.clone()
            }
        } else if rcp {
            acc.rcps.clone()
        } else {
            acc.scps.clone()
        }
    };
    for (i, title) in titles.iter().enumerate() {
        let s = scps.get(i).cloned().unwrap_or_else(|| attached(i, false));
        let r = rcps.get(i).cloned().unwrap_or_else(|| attached(i, true));
        level(cx, out, title, &s, &r);
    }
}
