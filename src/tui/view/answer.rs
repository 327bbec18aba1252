//! The answer under the query form: its header, its filter line, and its rows as a
//! tree (only the rows on screen are built).

use ratatui::Frame;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::app::App;
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

/// The answer: its header, its filter, and the rows in the window.
pub(super) fn answer(app: &App<'_>, frame: &mut Frame<'_>, parts: QueryParts, a: &Answered) {
    let t = &app.theme;
    let q = &app.query;
    let header: Vec<Line<'_>> = a
        .full
        .header
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut spans = vec![Span::raw(" ")];
            spans.extend(spans_line(t, l));
            // The decision (or the count) stands out, in colour or not.
            if i == 0
                && let Some(s) = spans.get_mut(1)
            {
                s.style = s.style.add_modifier(Modifier::BOLD);
            }
            Line::from(spans)
        })
        .collect();
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
            format!("   {} of {} rows", a.tree().len(), a.full.len()),
            t.dim,
        ));
        frame.render_widget(Paragraph::new(Line::from(spans)), parts.filter);
    }
    let tree = a.tree();
    let focused = q.focus == PaneFocus::Answer;
    let width = parts.rows.width as usize;
    let lines: Vec<Line<'_>> = a
        .view
        .window()
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let selected = a.view.offset() + i == a.view.selected_index();
            let marker = match (row.expandable, row.expanded) {
                (true, true) => "▾ ",
                (true, false) => "▸ ",
                (false, _) => "  ",
            };
            let item = tree.item(row.id);
            let mut spans = vec![
                Span::raw(format!(" {}", "  ".repeat(row.depth as usize))),
                Span::styled(marker, t.dim),
            ];
            spans.extend(spans_line(t, &item.spans));
            if !selected {
                return Line::from(spans);
            }
            if item.jump.is_some() {
                spans.push(Span::raw("  ⏎"));
            }
            let style = if focused {
                t.selection
            } else {
                t.selection_dim
            };
            let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
            spans.push(Span::raw(" ".repeat(width.saturating_sub(used))));
            Line::from(
                spans
                    .into_iter()
                    .map(|s| s.style(style))
                    .collect::<Vec<_>>(),
            )
            .style(style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), parts.rows);
}
