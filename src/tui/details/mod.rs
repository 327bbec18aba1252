//! The right pane: the selected node's details, one builder per tab. Each returns
//! plain lines; the view shows only those in its window.

mod json_tab;
mod org_policies;
mod overview;
mod policies;
mod related;

use jiff::Timestamp;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::nodes::{Node, OrgTree};
use super::query::locate::Mark;
use super::sanitize::clean;
use super::theme::Theme;
use crate::org::{AttachKind, Entity, InlineOwner, PolicyIx, PolicyOrigin};

/// The tabs of the details pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tab {
    Overview,
    Policies,
    OrgPolicies,
    Related,
    Json,
}

impl Tab {
    pub const ALL: [Tab; 5] = [
        Tab::Overview,
        Tab::Policies,
        Tab::OrgPolicies,
        Tab::Related,
        Tab::Json,
    ];

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    /// The tab's title for a node: the related tab is `Members` for a group,
    /// `Attachments` for a policy.
    pub fn title(self, node: Node) -> &'static str {
        match self {
            Tab::Overview => "Overview",
            Tab::Policies => "Policies",
            Tab::OrgPolicies => "SCPs/RCPs",
            Tab::Related => match node {
                Node::Policy(_) => "Attachments",
                Node::User(_) => "Groups",
                Node::Role(_) => "Trust",
                Node::Group(_) => "Members",
                _ => "Contents",
            },
            Tab::Json => "JSON",
        }
    }
}

/// What the builders read.
pub struct DetailCtx<'a, 't> {
    pub tree: &'t OrgTree<'a>,
    pub theme: &'t Theme,
    /// The time ages are counted to (fixed in tests).
    pub now: Timestamp,
}

/// A tab's content for a node, wrapped to `width` columns.
pub fn build(cx: &DetailCtx<'_, '_>, node: Node, tab: Tab, width: usize) -> Vec<Line<'static>> {
    build_marked(cx, node, tab, width, None).0
}

/// Where a highlighted statement is in the built lines: its policy's heading and
/// the statement's first line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    pub heading: usize,
    pub statement: usize,
}

/// As [`build`], with a policy statement highlighted in the JSON tab; also returns
/// where it is, to scroll to.
pub fn build_marked(
    cx: &DetailCtx<'_, '_>,
    node: Node,
    tab: Tab,
    width: usize,
    mark: Option<Mark>,
) -> (Vec<Line<'static>>, Option<Anchor>) {
    let mut out = Out {
        lines: Vec::new(),
        hang: Vec::new(),
        theme: cx.theme,
        mark,
        anchor: None,
        heading: None,
    };
    match tab {
        Tab::Overview => overview::build(cx, node, &mut out),
        Tab::Policies => policies::build(cx, node, &mut out),
        Tab::OrgPolicies => org_policies::build(cx, node, &mut out),
        Tab::Related => related::build(cx, node, &mut out),
        Tab::Json => json_tab::build(cx, node, &mut out),
    }
    if out.lines.is_empty() {
        out.note("nothing here");
    }
    out.hang.resize(out.lines.len(), 0);
    let mut wrapped = Vec::with_capacity(out.lines.len());
    let (mut heading, mut statement) = (None, None);
    for (i, (line, hang)) in out.lines.into_iter().zip(out.hang).enumerate() {
        if out.heading == Some(i) {
            heading = Some(wrapped.len());
        }
        if out.anchor == Some(i) {
            statement = Some(wrapped.len());
        }
        wrap(line, width.max(8), hang.min(width / 2), &mut wrapped);
    }
    let anchor = heading.map(|h| Anchor {
        heading: h,
        statement: statement.unwrap_or(h),
    });
    (wrapped, anchor)
}

/// Splits a line longer than `width` at spaces where it can (mid-word where it
/// must); continuation lines start `hang` columns in.
pub(crate) fn wrap(line: Line<'static>, width: usize, hang: usize, out: &mut Vec<Line<'static>>) {
    if line
        .spans
        .iter()
        .map(|s| s.content.chars().count())
        .sum::<usize>()
        <= width
    {
        out.push(line);
        return;
    }
    // A marked line keeps its bar on every row it takes.
    let bar = line
        .spans
        .first()
        .filter(|s| s.content == MARK_BAR)
        .cloned();
    // Characters with their styles, then cut into rows.
    let chars: Vec<(char, Style)> = line
        .spans
        .iter()
        .flat_map(|s| s.content.chars().map(move |c| (c, s.style)))
        .collect();
    let mut start = 0;
    let mut first = true;
    while start < chars.len() {
        let room = if first { width } else { width - hang };
        let mut end = (start + room).min(chars.len());
        if end < chars.len()
            && let Some(space) = chars[start..end]
                .iter()
                .rposition(|(c, _)| *c == ' ')
                .filter(|&p| p > room / 3)
        {
            end = start + space + 1;
        }
        let mut spans: Vec<Span<'static>> = Vec::new();
        if !first {
            match &bar {
                Some(b) => {
                    spans.push(b.clone());
                    let fill = chars[start].1;
                    spans.push(Span::styled(" ".repeat(hang.saturating_sub(1)), fill));
                }
                None => spans.push(Span::raw(" ".repeat(hang))),
            }
        }
        // The hang spans stay apart: they are padding.
        let fixed = if first {
            0
        } else if bar.is_some() {
            2
        } else {
            1
        };
        for &(c, style) in &chars[start..end] {
            let n = spans.len();
            match spans.last_mut() {
                Some(last) if n > fixed && last.style == style => last.content.to_mut().push(c),
                _ => spans.push(Span::styled(c.to_string(), style)),
            }
        }
        out.push(Line::from(spans));
        start = end;
        // A continuation does not start with the space it was cut at.
        while start < chars.len() && chars[start].0 == ' ' {
            start += 1;
        }
        first = false;
    }
}

/// The bar in the first column of a highlighted statement's lines (seen without
/// colour too).
pub(crate) const MARK_BAR: &str = "▌";

/// A line builder with the theme at hand.
struct Out<'t> {
    lines: Vec<Line<'static>>,
    /// Per line, where its continuation lines start when it wraps (0 when unset).
    hang: Vec<usize>,
    theme: &'t Theme,
    /// The statement to highlight in the JSON tab.
    mark: Option<Mark>,
    /// The line the highlighted statement starts on.
    anchor: Option<usize>,
    /// The heading of its policy.
    heading: Option<usize>,
}

/// The width of the label column in the Overview.
const LABEL: usize = 16;

impl Out<'_> {
    fn push(&mut self, spans: Vec<Span<'static>>) {
        self.lines.push(Line::from(spans));
    }

    fn blank(&mut self) {
        if self.lines.last().is_some_and(|l| !l.spans.is_empty()) {
            self.lines.push(Line::default());
        }
    }

    fn heading(&mut self, text: impl Into<String>) {
        self.blank();
        let style = self.theme.heading;
        self.push(vec![Span::styled(text.into(), style)]);
    }

    fn note(&mut self, text: impl Into<String>) {
        let style = self.theme.dim;
        self.push(vec![Span::styled(text.into(), style)]);
    }

    /// `label          value` with the value sanitized.
    fn field(&mut self, label: &str, value: &str) {
        let style = self.theme.text;
        self.field_styled(label, value, style);
    }

    fn field_styled(&mut self, label: &str, value: &str, style: Style) {
        self.field_spans(label, vec![Span::styled(clean(value), style)]);
    }

    fn field_spans(&mut self, label: &str, mut value: Vec<Span<'static>>) {
        let mut spans = vec![Span::styled(
            format!("{label:<width$} ", width = LABEL - 1),
            self.theme.label,
        )];
        spans.append(&mut value);
        self.push_hanging(spans, LABEL);
    }

    fn push_hanging(&mut self, spans: Vec<Span<'static>>, hang: usize) {
        self.hang.resize(self.lines.len(), 0);
        self.hang.push(hang);
        self.lines.push(Line::from(spans));
    }

    /// A bullet line: `  • name  kind  extra`.
    fn item(&mut self, indent: usize, mut spans: Vec<Span<'static>>) {
        let mut line = vec![Span::raw(format!("{}• ", "  ".repeat(indent)))];
        line.append(&mut spans);
        self.push_hanging(line, indent * 2 + 4);
    }
}

/// The style of a node's name.
fn node_style(theme: &Theme, n: Node) -> Style {
    use super::nodes::Kind;
    match n.kind() {
        Kind::Root => theme.root,
        Kind::Ou => theme.ou,
        Kind::Account => theme.account,
        Kind::Folder => theme.folder,
        Kind::User => theme.user,
        Kind::Group => theme.group,
        Kind::Role => theme.role,
        Kind::Policy => theme.policy,
        Kind::Resource => theme.resource,
    }
}

/// Where a policy comes from, in words.
fn origin_label(origin: PolicyOrigin) -> &'static str {
    match origin {
        PolicyOrigin::AwsManaged => "AWS managed",
        PolicyOrigin::CustomerManaged(_) => "customer managed",
        PolicyOrigin::Inline(_) => "inline",
        PolicyOrigin::Scp => "SCP",
        PolicyOrigin::Rcp => "RCP",
        PolicyOrigin::Trust(_) => "trust policy",
        PolicyOrigin::Resource(_) => "resource policy",
    }
}

/// A policy's kind when its name does not already say it (a trust policy is named
/// `trust policy`): what goes in brackets after the name.
fn kind_after_name(org: &crate::org::Org, p: PolicyIx) -> Option<&'static str> {
    let kind = origin_label(org.policy(p).origin);
    (!org.policy_name(p).eq_ignore_ascii_case(kind)).then_some(kind)
}

fn attach_label(how: AttachKind) -> &'static str {
    match how {
        AttachKind::Scp => "SCP",
        AttachKind::Rcp => "RCP",
        AttachKind::Managed => "managed",
        AttachKind::Inline => "inline",
        AttachKind::Boundary => "boundary",
        AttachKind::Trust => "trust",
        AttachKind::ResourcePolicy => "resource policy",
    }
}

/// A policy as a list item: name, kind, ARN.
fn policy_spans(cx: &DetailCtx<'_, '_>, p: PolicyIx) -> Vec<Span<'static>> {
    let org = cx.tree.org();
    let rec = org.policy(p);
    let mut spans = vec![Span::styled(clean(org.policy_name(p)), cx.theme.policy)];
    if let Some(kind) = kind_after_name(org, p) {
        spans.push(Span::styled(format!("  {kind}"), cx.theme.dim));
    }
    // The ARN says more than the name only for customer managed policies (which
    // account); AWS managed, SCP and RCP ARNs repeat the name.
    if let (PolicyOrigin::CustomerManaged(_), Some(arn)) = (rec.origin, &rec.arn) {
        spans.push(Span::styled(format!("  {}", clean(arn)), cx.theme.dim));
    }
    spans
}

/// An entity's name and, for things inside an account, the account.
fn entity_spans(cx: &DetailCtx<'_, '_>, e: Entity) -> Vec<Span<'static>> {
    let org = cx.tree.org();
    let node = cx.tree.node_of(e);
    let kind = match e {
        Entity::Root => "root",
        Entity::Ou(_) => "OU",
        Entity::Account(_) => "account",
        Entity::User(_) => "user",
        Entity::Group(_) => "group",
        Entity::Role(_) => "role",
        Entity::Policy(p) => match org.policy(p).origin {
            PolicyOrigin::Inline(InlineOwner::User(_)) => "user",
            PolicyOrigin::Inline(InlineOwner::Group(_)) => "group",
            PolicyOrigin::Inline(InlineOwner::Role(_)) | PolicyOrigin::Trust(_) => "role",
            _ => "policy",
        },
        Entity::Resource(_) => "resource",
    };
    let mut spans = vec![
        Span::styled(format!("{kind:<8} "), cx.theme.dim),
        Span::styled(clean(cx.tree.name(node)), node_style(cx.theme, node)),
    ];
    if let Some(a) = org
        .account_of(e)
        .filter(|_| !matches!(e, Entity::Account(_)))
    {
        let acc = org.account(a);
        spans.push(Span::styled(
            format!("  in {} ({})", clean(&acc.name), clean(&acc.id)),
            cx.theme.dim,
        ));
    }
    spans
}

/// `2024-03-01 (412 days ago)`.
fn date_age(ts: Timestamp, now: Timestamp) -> String {
    let date: String = ts.to_string().chars().take(10).collect();
    let days = (now.as_second() - ts.as_second()).div_euclid(86_400);
    match days {
        d if d < 0 => format!("{date} (in the future)"),
        0 => format!("{date} (today)"),
        1 => format!("{date} (yesterday)"),
        d => format!("{date} ({d} days ago)"),
    }
}

fn days_since(ts: Timestamp, now: Timestamp) -> i64 {
    (now.as_second() - ts.as_second()).div_euclid(86_400)
}

#[cfg(test)]
mod tests;
