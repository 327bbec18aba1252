//! The tree pane and the details pane.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::tui::app::{App, Focus};
use crate::tui::layout::{TAB_SEP, inner};
use crate::tui::nodes::{Kind, Node};
use crate::tui::sanitize::clean;
use crate::tui::theme::Theme;

pub(super) fn kind_style(t: &Theme, n: Node) -> Style {
    match n.kind() {
        Kind::Root => t.root,
        Kind::Ou => t.ou,
        Kind::Account => t.account,
        Kind::Folder => t.folder,
        Kind::User => t.user,
        Kind::Group => t.group,
        Kind::Role => t.role,
        Kind::Policy => t.policy,
        Kind::Resource => t.resource,
    }
}

fn pane_block<'b>(t: &Theme, title: String, focused: bool) -> Block<'b> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(if focused { t.border_focus } else { t.border })
        .title(Span::styled(title, t.title))
}

/// The tree: only the rows in its window are built.
pub(super) fn tree(app: &App<'_>, frame: &mut Frame<'_>, area: Rect) {
    let t = &app.theme;
    let focused = app.focus == Focus::Tree && !app.lesson_focused();
    let rows = app.tree.rows().len();
    // Which org the tree shows: the scenario's while one is active.
    let title = match app.what_if.changes.done().len() {
        _ if app.what_if.applying.is_some() => " Organization · what if: applying… ".to_string(),
        0 => " Organization ".to_string(),
        n => format!(
            " Changed by the scenario: {} ",
            crate::tui::words::plural(n, "change", "changes")
        ),
    };
    let mut block = pane_block(t, title, focused);
    if rows > 0 {
        block = block.title_bottom(
            Line::from(Span::styled(
                format!(" {}/{} ", app.tree.selected_index() + 1, rows),
                t.dim,
            ))
            .right_aligned(),
        );
    }
    let body = inner(area);
    frame.render_widget(block, area);
    let mgmt = app.org().management_account();
    let lines: Vec<Line<'_>> = app
        .tree
        .window()
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let selected = app.tree.offset() + i == app.tree.selected_index();
            let marker = match (row.expandable, row.expanded) {
                (true, true) => "▾ ",
                (true, false) => "▸ ",
                (false, _) => "  ",
            };
            let mut spans = vec![
                Span::raw("  ".repeat(row.depth as usize)),
                Span::styled(marker, t.dim),
                Span::styled(clean(app.src.name(row.id)), kind_style(t, row.id)),
            ];
            if let Some(d) = app.src.detail(row.id) {
                spans.push(Span::styled(format!(" {}", clean(d)), t.dim));
            }
            if app.what_if.touched.contains(&row.id) {
                spans.push(Span::styled(" ✎", t.warn));
            }
            if matches!(row.id, Node::Account(a) if Some(a) == mgmt) {
                spans.push(Span::styled(" · management", t.warn));
            }
            if !row.expanded
                && let Some(b) = app.src.badge(row.id)
            {
                spans.push(Span::styled(format!("  ({b})"), t.dim));
            }
            let mut line = Line::from(spans);
            if selected {
                let style = if focused {
                    t.selection
                } else {
                    t.selection_dim
                };
                // The selection overrides the kind colours, so it reads in every theme.
                line = Line::from(
                    line.spans
                        .into_iter()
                        .map(|s| s.style(style))
                        .collect::<Vec<_>>(),
                )
                .style(style);
            }
            line
        })
        .collect();
    // Fill selected rows to the full width.
    let mut lines = lines;
    for (i, l) in lines.iter_mut().enumerate() {
        if app.tree.offset() + i == app.tree.selected_index() {
            let w: usize = l.spans.iter().map(|s| s.content.chars().count()).sum();
            let pad = (body.width as usize).saturating_sub(w);
            let style = l.style;
            l.spans.push(Span::styled(" ".repeat(pad), style));
        }
    }
    frame.render_widget(Paragraph::new(lines), body);
}

/// The details: tab titles, then the window of the built lines.
pub(super) fn details(app: &App<'_>, frame: &mut Frame<'_>, area: Rect) {
    let t = &app.theme;
    let node = app.selected();
    let focused = app.focus == Focus::Details;
    let kind = super::finder::kind_word(node.kind());
    let mut block = pane_block(
        t,
        format!(" {kind} {} ", clean(app.src.name(node))),
        focused,
    );
    let rows = app.areas.detail_rows().map_or(0, |r| r.height as usize);
    let total = app.detail.lines.len();
    if total > rows {
        let from = app.detail.scroll + 1;
        let to = (app.detail.scroll + rows).min(total);
        block = block.title_bottom(
            Line::from(Span::styled(format!(" {from}-{to} of {total} "), t.dim)).right_aligned(),
        );
    }
    frame.render_widget(block, area);
    if let Some(r) = app.areas.tab_row() {
        let mut spans = Vec::new();
        for (i, title) in app.tab_titles().into_iter().enumerate() {
            if i > 0 {
                spans.push(Span::styled(TAB_SEP, t.dim));
            }
            let style = if i == app.tab.index() {
                t.tab_active
            } else {
                t.tab
            };
            spans.push(Span::styled(title, style));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), r);
    }
    if let Some(r) = app.areas.detail_rows() {
        let end = (app.detail.scroll + rows).min(total);
        let window: Vec<Line<'_>> = app.detail.lines[app.detail.scroll.min(end)..end].to_vec();
        frame.render_widget(Paragraph::new(window), r);
    }
}
