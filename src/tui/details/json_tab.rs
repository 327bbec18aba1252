//! The JSON tab: the policy documents of the node, syntax highlighted.

use ratatui::text::Span;

use super::{DetailCtx, Out, kind_after_name};
use crate::org::PolicyIx;
use crate::tui::json::{Tok, highlight, statement_lines};
use crate::tui::nodes::Node;
use crate::tui::sanitize::clean;
use crate::tui::theme::Theme;

pub(super) fn build(cx: &DetailCtx<'_, '_>, node: Node, out: &mut Out<'_>) {
    let org = cx.tree.org();
    let mut docs: Vec<(String, PolicyIx)> = Vec::new();
    let mut add = |label: &str, p: PolicyIx| docs.push((label.to_string(), p));
    match node {
        Node::Policy(p) => add("", p),
        Node::User(u) => {
            let user = org.user(u);
            user.inline
                .iter()
                .chain(&user.managed)
                .for_each(|&p| add("", p));
            user.boundary.iter().for_each(|&p| add("boundary", p));
            for &g in &user.groups {
                let group = org.group(g);
                let via = format!("via group {}", clean(group.name()));
                group
                    .inline
                    .iter()
                    .chain(&group.managed)
                    .for_each(|&p| add(&via, p));
            }
        }
        Node::Group(g) => {
            let group = org.group(g);
            group
                .inline
                .iter()
                .chain(&group.managed)
                .for_each(|&p| add("", p));
        }
        Node::Role(r) => {
            let role = org.role(r);
            role.trust.iter().for_each(|&p| add("", p));
            role.inline
                .iter()
                .chain(&role.managed)
                .for_each(|&p| add("", p));
            role.boundary.iter().for_each(|&p| add("boundary", p));
        }
        Node::Resource(r) => org.resource(r).policy.iter().for_each(|&p| add("", p)),
        Node::Root => {
            let root = org.root();
            root.scps.iter().chain(&root.rcps).for_each(|&p| add("", p));
        }
        Node::Ou(o) => {
            let ou = org.ou(o);
            ou.scps
                .iter()
                .chain(&ou.rcps)
                .for_each(|&p| add("attached here", p));
        }
        Node::Account(a) => {
            let acc = org.account(a);
            acc.scps
                .iter()
                .chain(&acc.rcps)
                .for_each(|&p| add("attached here", p));
        }
        Node::Folder(..) | Node::OrgPolicies | Node::PolicyFolder(_) => {}
    }
    if docs.is_empty() {
        out.note("no policy document here");
        return;
    }
    let t = cx.theme;
    for (label, p) in docs {
        let mut head = vec![
            Span::styled("── ", t.dim),
            Span::styled(clean(org.policy_name(p)), t.policy.patch(t.title)),
        ];
        let notes: Vec<&str> = kind_after_name(org, p)
            .into_iter()
            .chain((!label.is_empty()).then_some(label.as_str()))
            .collect();
        if !notes.is_empty() {
            head.push(Span::styled(format!(" ({})", notes.join(", ")), t.dim));
        }
        head.push(Span::styled(" ──", t.dim));
        out.blank();
        if out.mark.is_some_and(|m| m.policy == p) {
            out.heading = Some(out.lines.len());
        }
        out.push(head);
        if let Some(why) = &org.doc(p).unreadable {
            out.push_hanging(
                vec![Span::styled(
                    format!(
                        "⚠ this document did not parse ({}): it allows and denies nothing in every answer",
                        clean(why)
                    ),
                    t.warn,
                )],
                2,
            );
        }
        let lines = highlight(&org.doc(p).text);
        let marked = out
            .mark
            .filter(|m| m.policy == p)
            .and_then(|m| statement_lines(&lines).get(m.statement).cloned())
            .unwrap_or(0..0);
        if !marked.is_empty() {
            out.anchor = Some(out.lines.len() + marked.start);
        }
        for (i, line) in lines.into_iter().enumerate() {
            let indent = line
                .first()
                .filter(|(t, _)| *t == Tok::Plain)
                .map_or(0, |(_, s)| s.len() - s.trim_start().len());
            let spans: Vec<Span<'static>> = line
                .into_iter()
                .map(|(tok, text)| {
                    let style = match tok {
                        Tok::Key => t.json_key,
                        Tok::Str => t.json_str,
                        Tok::Num => t.json_num,
                        Tok::Lit => t.json_lit,
                        Tok::Punct => t.json_punct,
                        Tok::Plain => t.text,
                    };
                    Span::styled(text, style)
                })
                .collect();
            let spans = if marked.contains(&i) {
                mark_line(spans, t)
            } else {
                spans
            };
            out.push_hanging(spans, indent + 4);
        }
    }
}

/// A line of the highlighted statement: a bar in the indentation's first column
/// (seen without colour too) and the marked background.
fn mark_line(mut spans: Vec<Span<'static>>, t: &Theme) -> Vec<Span<'static>> {
    let mut out = Vec::with_capacity(spans.len() + 1);
    match spans.first_mut() {
        Some(first) if first.content.starts_with(' ') => {
            let rest: String = first.content.chars().skip(1).collect();
            out.push(Span::styled(super::MARK_BAR, t.mark));
            *first = Span::styled(rest, first.style);
        }
        _ => out.push(Span::styled(super::MARK_BAR, t.mark)),
    }
    out.extend(spans.into_iter().map(|s| {
        let style = s.style.patch(t.marked);
        s.style(style)
    }));
    out
}
