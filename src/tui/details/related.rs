//! The Members / Attachments tab: who is in this group, where this policy is
//! attached, which groups a user is in, who a role trusts, what an OU holds.

use ratatui::text::Span;

use super::{DetailCtx, Out, attach_label, entity_spans, node_style};
use crate::org::Entity;
use crate::policy::{Effect, NamedPrincipal};
use crate::tui::nodes::Node;
use crate::tui::sanitize::clean;
use crate::tui::tree::TreeSource;

/// Long lists stop here: the rest is counted, not drawn.
const MAX_ROWS: usize = 2_000;

pub(super) fn build(cx: &DetailCtx<'_, '_>, node: Node, out: &mut Out<'_>) {
    let org = cx.tree.org();
    match node {
        Node::Group(g) => {
            let members = &org.group(g).members;
            out.heading(format!(
                "{} member{}",
                members.len(),
                if members.len() == 1 { "" } else { "s" }
            ));
            for &u in members.iter().take(MAX_ROWS) {
                out.item(1, entity_spans(cx, Entity::User(u)));
            }
            more(out, members.len());
        }
        Node::User(u) => {
            let groups = &org.user(u).groups;
            out.heading(format!(
                "Member of {} group{}",
                groups.len(),
                if groups.len() == 1 { "" } else { "s" }
            ));
            for &g in groups {
                out.item(1, entity_spans(cx, Entity::Group(g)));
            }
        }
        Node::Policy(p) => {
            let at = org.attachments(p);
            out.heading(format!("Attached to {}", at.len()));
            for a in at.iter().take(MAX_ROWS) {
                let mut spans = vec![Span::styled(
                    format!("{:<10}", attach_label(a.how)),
                    cx.theme.label,
                )];
                spans.extend(entity_spans(cx, a.target));
                out.item(1, spans);
            }
            more(out, at.len());
        }
        Node::Role(r) => {
            let Some(trust) = org.role(r).trust else {
                out.note("no trust policy");
                return;
            };
            out.heading("Who may assume this role (the trust policy's principals)");
            for st in org.compiled(trust).statements() {
                let effect = match st.effect {
                    Effect::Allow => ("Allow", cx.theme.good),
                    Effect::Deny => ("Deny", cx.theme.bad),
                };
                let mut head = vec![
                    Span::styled(effect.0, effect.1),
                    Span::styled(format!("  {}", clean(&st.label())), cx.theme.dim),
                ];
                if !st.conditions.is_empty() {
                    head.push(Span::styled(
                        format!(
                            "  ({} condition{})",
                            st.conditions.len(),
                            if st.conditions.len() == 1 { "" } else { "s" }
                        ),
                        cx.theme.warn,
                    ));
                }
                out.item(1, head);
                match st.named_principals() {
                    None => out.push(vec![Span::styled(
                        "      no Principal".to_string(),
                        cx.theme.dim,
                    )]),
                    Some((negated, names)) => {
                        if negated {
                            out.push(vec![Span::styled(
                                "      everyone except (NotPrincipal):".to_string(),
                                cx.theme.warn,
                            )]);
                        }
                        for n in names {
                            out.push(vec![Span::raw("      "), principal(cx, &n)]);
                        }
                    }
                }
            }
        }
        Node::Root
        | Node::Ou(_)
        | Node::Account(_)
        | Node::Folder(..)
        | Node::OrgPolicies
        | Node::PolicyFolder(_) => {
            let children = cx.tree.children(node);
            out.heading(format!("Holds {}", children.len()));
            for &c in children.iter().take(MAX_ROWS) {
                let mut spans = vec![Span::styled(
                    clean(cx.tree.name(c)),
                    node_style(cx.theme, c),
                )];
                if let Some(d) = cx.tree.detail(c) {
                    spans.push(Span::styled(format!("  {}", clean(d)), cx.theme.dim));
                }
                if let Some(b) = cx.tree.badge(c) {
                    spans.push(Span::styled(format!("  ({b})"), cx.theme.dim));
                }
                out.item(1, spans);
            }
            more(out, children.len());
        }
        Node::Resource(_) => out.note("see the resource policy in tab 5"),
    }
}

fn principal(cx: &DetailCtx<'_, '_>, n: &NamedPrincipal<'_>) -> Span<'static> {
    let (kind, text, style) = match n {
        NamedPrincipal::Everyone => ("everyone", "*".to_string(), cx.theme.bad),
        NamedPrincipal::Account(a) => ("account", account_name(cx, a), cx.theme.account),
        NamedPrincipal::Arn(a) => ("ARN", clean(a), cx.theme.role),
        NamedPrincipal::Service(s) => ("service", clean(s), cx.theme.text),
        NamedPrincipal::Federated(f) => ("federated", clean(f), cx.theme.text),
        NamedPrincipal::CanonicalUser(c) => ("canonical", clean(c), cx.theme.text),
    };
    Span::styled(format!("{kind:<10} {text}"), style)
}

/// An account id with its name when the org knows it.
fn account_name(cx: &DetailCtx<'_, '_>, id: &str) -> String {
    let org = cx.tree.org();
    let digits: String = id.chars().filter(char::is_ascii_digit).collect();
    match org.account_by_id(&digits) {
        Some(a) => format!("{} ({})", clean(id), clean(&org.account(a).name)),
        None => format!("{} (outside the organization)", clean(id)),
    }
}

fn more(out: &mut Out<'_>, total: usize) {
    if total > MAX_ROWS {
        out.note(format!("  ... and {} more", total - MAX_ROWS));
    }
}
