//! The query form's completion list: names of the org, actions, services or context
//! keys, the typed text highlighted in each.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::finder::{highlighted, kind_word, list_offset};
use super::panes::kind_style;
use crate::tui::app::{App, Target};
use crate::tui::layout::QueryParts;
use crate::tui::query::complete::Candidates;
use crate::tui::sanitize::sanitize;
use crate::tui::search::Highlighter;
use crate::tui::theme::Theme;

/// The completion list, under a count line.
pub(super) fn candidates(app: &App<'_>, frame: &mut Frame<'_>, parts: QueryParts) {
    let t = &app.theme;
    let q = &app.query;
    let c = &q.candidates;
    let (one, many) = match c {
        Candidates::Org(_) => ("name", "names"),
        Candidates::Actions(_) => ("action", "actions"),
        Candidates::Services(_) => ("service", "services"),
        Candidates::Keys(..) => ("context key", "context keys"),
        Candidates::None => ("", ""),
    };
    let what = if c.total() == 1 { one } else { many };
    let info = if app.searching(Target::Query) {
        Span::styled(" searching…", t.status)
    } else if c.is_empty() {
        Span::styled(" no completion; Esc closes the list", t.dim)
    } else {
        let best = if c.total() > c.len() {
            format!(", best {} shown", c.len())
        } else {
            String::new()
        };
        Span::styled(
            format!(
                " {} {what}{best} · ↓↑ choose · Enter takes · Esc closes",
                c.total()
            ),
            t.dim,
        )
    };
    let top = Rect {
        height: 1.min(parts.below.height),
        ..parts.below
    };
    frame.render_widget(Paragraph::new(Line::from(info)), top);
    let rows = parts.candidates();
    let height = rows.height as usize;
    let first = list_offset(q.selected.unwrap_or(0), height);
    let sel = |i: usize| q.selected == Some(i);
    let style_of = |i: usize, base: Style| if sel(i) { t.selection } else { base };
    let hit_style = |i: usize| {
        if sel(i) {
            t.selection.patch(t.matched)
        } else {
            t.matched
        }
    };
    let mut lines: Vec<Line<'_>> = Vec::new();
    match c {
        Candidates::None => {}
        Candidates::Org(m) => {
            if let Some(index) = app.index_if_built() {
                let mut marks = Highlighter::new(&m.query);
                for (i, hit) in m.best.iter().enumerate().skip(first).take(height) {
                    let node = index.id(hit.item);
                    let mut spans = vec![Span::styled(
                        format!(" {:<9}", kind_word(node.kind())),
                        style_of(i, t.dim),
                    )];
                    spans.extend(highlighted(
                        index.text(hit.item),
                        &marks.positions(index, hit.item),
                        style_of(i, kind_style(t, node)),
                        hit_style(i),
                    ));
                    lines.push(row_line(spans, sel(i), t));
                }
            }
        }
        Candidates::Actions(m) | Candidates::Services(m) => {
            let index = if matches!(c, Candidates::Actions(_)) {
                q.catalogs.actions()
            } else {
                q.catalogs.services()
            };
            let mut marks = Highlighter::new(&m.query);
            for (i, h) in m.best.iter().enumerate().skip(first).take(height) {
                // The name with its matches, the rest (level, service name) dim.
                let text = index.text(h.item);
                let (name, rest) = text.split_once("  ").unwrap_or((text, ""));
                let mut spans = vec![Span::styled(" ", style_of(i, t.text))];
                spans.extend(highlighted(
                    name,
                    &marks.positions(index, h.item),
                    style_of(i, t.text),
                    hit_style(i),
                ));
                if !rest.is_empty() {
                    spans.push(Span::styled(format!("  {rest}"), style_of(i, t.dim)));
                }
                lines.push(row_line(spans, sel(i), t));
            }
        }
        Candidates::Keys(keys, word) => {
            let w = word.to_lowercase();
            for (i, k) in keys.iter().enumerate().skip(first).take(height) {
                let at = k.to_lowercase().find(&w).filter(|_| !w.is_empty());
                let positions: Vec<u32> = at
                    .map(|a| {
                        let start = k[..a].chars().count() as u32;
                        (start..start + w.chars().count() as u32).collect()
                    })
                    .unwrap_or_default();
                let mut spans = vec![Span::styled(" ", style_of(i, t.text))];
                spans.extend(highlighted(
                    &sanitize(k),
                    &positions,
                    style_of(i, t.json_key),
                    hit_style(i),
                ));
                lines.push(row_line(spans, sel(i), t));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), rows);
}

fn row_line<'l>(spans: Vec<Span<'l>>, selected: bool, t: &Theme) -> Line<'l> {
    let line = Line::from(spans);
    if selected {
        line.style(t.selection)
    } else {
        line
    }
}
