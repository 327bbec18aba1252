//! The answer under the query form: its header, its filter line, and its rows as a
//! tree (only the rows on screen are built).

use ratatui::Frame;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::app::App;
use crate::tui::details::wrap;
use crate::tui::layout::QueryParts;
use crate::tui::query::answer::{Spans, Tone};
use crate::tui::query::{Answered, PaneFocus};
use crate::tui::sanitize::sanitize;
use crate::tui::theme::Theme;

pub(super) fn tone_style(t: &Theme, tone: Tone) -> Style {
    match tone {
        Tone::Text => t.text,
        Tone::Dim => t.dim,
        Tone::Heading => t.heading,
        Tone::Good => t.good,
        Tone::Warn => t.warn,
        Tone::Bad => t.bad,
        Tone::Key => t.json_key,
        Tone::Root => t.root,
        Tone::Ou => t.ou,
        Tone::Account => t.account,
        Tone::User => t.user,
        Tone::Role => t.role,
        Tone::Policy => t.policy,
        Tone::Resource => t.resource,
    }
}

fn spans_line(t: &Theme, spans: &Spans) -> Vec<Span<'static>> {
    spans
        .iter()
        .map(|(tone, s)| Span::styled(sanitize(s).into_owned(), tone_style(t, *tone)))
        .collect()
}

/// The answer's header lines, wrapped to `width`: a note is read whole.
pub fn header_lines(t: &Theme, a: &Answered, width: u16) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for (i, l) in a.full.header.iter().enumerate() {
        let mut spans = vec![Span::raw(" ")];
        spans.extend(spans_line(t, l));
        // The decision (or the count) stands out, in colour or not.
        if i == 0
            && let Some(s) = spans.get_mut(1)
        {
            s.style = s.style.add_modifier(Modifier::BOLD);
        }
        wrap(Line::from(spans), usize::from(width).max(8), 3, &mut out);
    }
    out
}

/// The rows in the answer's window as lines, and for each line the index of its
/// row in the view: the selected row, when it is wider than the pane, takes as
/// many lines as it needs (its ARNs and notes read whole), and the window gives up
/// rows at its far end, or above it when it is at the bottom.
pub fn row_lines(
    app: &App<'_>,
    a: &Answered,
    width: u16,
    height: u16,
) -> (Vec<Line<'static>>, Vec<usize>) {
    let t = &app.theme;
    let tree = a.tree();
    let focused = app.query.focus == PaneFocus::Answer;
    let width = usize::from(width);
    let mut lines = Vec::new();
    let mut index = Vec::new();
    let mut selected_end = 0;
    for (i, row) in a.view.window().iter().enumerate() {
        let at = a.view.offset() + i;
        let selected = at == a.view.selected_index();
        let marker = match (row.expandable, row.expanded) {
            (true, true) => "▾ ",
            (true, false) => "▸ ",
            (false, _) => "  ",
        };
        let item = tree.item(row.id);
        let indent = 1 + 2 * row.depth as usize;
        let mut spans = vec![Span::raw(" ".repeat(indent)), Span::styled(marker, t.dim)];
        spans.extend(spans_line(t, &item.spans));
        if !selected {
            lines.push(Line::from(spans));
            index.push(at);
            continue;
        }
        if item.jump.is_some() {
            spans.push(Span::raw("  ⏎"));
        }
        let style = if focused {
            t.selection
        } else {
            t.selection_dim
        };
        let mut wrapped = Vec::new();
        wrap(Line::from(spans), width.max(8), indent + 2, &mut wrapped);
        for line in wrapped {
            let used: usize = line.spans.iter().map(|s| s.content.chars().count()).sum();
            let mut spans = line.spans;
            spans.push(Span::raw(" ".repeat(width.saturating_sub(used))));
            lines.push(
                Line::from(
                    spans
                        .into_iter()
                        .map(|s| s.style(style))
                        .collect::<Vec<_>>(),
                )
                .style(style),
            );
            index.push(at);
        }
        selected_end = lines.len();
    }
    let height = usize::from(height);
    if lines.len() > height {
        // The selected row whole: rows above it go when it reaches past the bottom.
        let skip = selected_end.saturating_sub(height);
        lines.drain(..skip);
        index.drain(..skip);
        lines.truncate(height);
        index.truncate(height);
    }
    (lines, index)
}

/// The answer: its header, its filter, and the rows in the window.
pub(super) fn answer(app: &App<'_>, frame: &mut Frame<'_>, parts: QueryParts, a: &Answered) {
    let t = &app.theme;
    let q = &app.query;
    let header = header_lines(t, a, parts.header.width);
    frame.render_widget(Paragraph::new(header), parts.header);
    if parts.filter.height > 0 {
        let typing = q.focus == PaneFocus::Filter;
        let mut spans = vec![
            Span::styled(" / ", t.key),
            Span::styled(sanitize(&a.filter).into_owned(), t.input),
        ];
        if typing {
            spans.push(Span::styled("█", t.dim));
        }
        spans.push(Span::styled(
            format!(
                "   {} of {}",
                crate::tui::words::thousands(a.tree().len()),
                crate::tui::words::plural(a.full.len(), "row", "rows")
            ),
            t.dim,
        ));
        frame.render_widget(Paragraph::new(Line::from(spans)), parts.filter);
    }
    let (lines, _) = row_lines(app, a, parts.rows.width, parts.rows.height);
    frame.render_widget(Paragraph::new(lines), parts.rows);
}
