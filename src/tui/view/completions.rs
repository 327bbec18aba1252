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
use crate::tui::query::form::Field;
use crate::tui::sanitize::sanitize;
use crate::tui::search::Highlighter;
use crate::tui::theme::Theme;

/// The completion list, under a count line.
pub(super) fn candidates(app: &App<'_>, frame: &mut Frame<'_>, parts: QueryParts) {
    let t = &app.theme;
    let q = &app.query;
    let c = &q.candidates;
    let (one, many) = match c {
        Candidates::Org(_) if q.form.focused() == Field::ResourceAccount => ("account", "accounts"),
        Candidates::Org(_) => ("name", "names"),
        Candidates::Actions(_) => ("action", "actions"),
        Candidates::Services(_) => ("service", "services"),
        Candidates::Keys(..) => ("context key", "context keys"),
        Candidates::Files(..) => ("path", "paths"),
        Candidates::None => ("", ""),
    };
    let count = crate::tui::words::plural(c.total(), one, many);
    let info = if app.searching(Target::Query) {
        Span::styled(" searching…", t.status)
    } else if c.is_empty() {
        Span::styled(" no completion; Esc closes the list", t.dim)
    } else {
        let best = if c.total() > c.len() {
            format!(", best {} shown", crate::tui::words::thousands(c.len()))
        } else {
            String::new()
        };
        Span::styled(
            format!(" {count}{best} · ↓↑ choose · Enter takes · Esc closes"),
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
        Candidates::Keys(keys, word) | Candidates::Files(keys, word) => {
            let files = matches!(c, Candidates::Files(..));
            let w = word.to_lowercase();
            for (i, k) in keys.iter().enumerate().skip(first).take(height) {
                let shown = sanitize(k);
                // A key matches anywhere; a file by the start of its last name.
                let at = if files {
                    let name = shown.trim_end_matches('/');
                    Some(name.rfind('/').map_or(0, |s| s + 1))
                } else {
                    shown.to_lowercase().find(&w)
                };
                // (Lowercase may be longer than the text: no mark then.)
                let positions: Vec<u32> = at
                    .filter(|_| !w.is_empty())
                    .and_then(|a| shown.get(..a))
                    .map(|before| {
                        let start = before.chars().count() as u32;
                        (start..start + w.chars().count() as u32).collect()
                    })
                    .unwrap_or_default();
                let base = if files && k.ends_with('/') {
                    t.account
                } else if files {
                    t.text
                } else {
                    t.json_key
                };
                let mut spans = vec![Span::styled(" ", style_of(i, t.text))];
                spans.extend(highlighted(
                    &shown,
                    &positions,
                    style_of(i, base),
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
