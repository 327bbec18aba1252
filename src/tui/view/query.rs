//! The query pane, over the body: the questions, the form, and below the rule the
//! completions, the progress of a running question, its error, or its answer as a
//! tree (only the rows on screen are built).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::finder::{highlighted, kind_word, list_offset};
use super::panes::kind_style;
use crate::tui::app::{App, Target};
use crate::tui::layout::{QueryParts, TAB_SEP};
use crate::tui::query::answer::{Spans, Tone};
use crate::tui::query::build::thousands;
use crate::tui::query::complete::Candidates;
use crate::tui::query::form::QueryKind;
use crate::tui::query::{Answered, PaneFocus, Running};
use crate::tui::sanitize::sanitize;
use crate::tui::search::Highlighter;
use crate::tui::theme::Theme;

/// The width of the field labels.
const LABEL: usize = 10;

pub(super) fn query(app: &App<'_>, frame: &mut Frame<'_>) {
    let t = &app.theme;
    let area = app.areas.query();
    frame.render_widget(Clear, area);
    let q = &app.query;
    let parts = app.query_parts();
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border_focus)
        .title(Span::styled(" Query ", t.title));
    let shown = app
        .shown_answer()
        .filter(|_| q.running.is_none() && !completing(app) && q.error.is_none());
    if let Some(a) = shown {
        let rows = a.view.rows().len();
        if rows > 0 {
            block = block.title_bottom(
                Line::from(Span::styled(
                    format!(" {}/{rows} ", a.view.selected_index() + 1),
                    t.dim,
                ))
                .right_aligned(),
            );
        }
    }
    frame.render_widget(block, area);
    kinds(app, frame, parts.kinds);
    fields(app, frame, parts.fields);
    // The rule says when the answer below is to another question than the form's.
    let earlier = shown.is_some_and(|a| !a.asked.same_question(&q.form));
    let note = if earlier {
        "─ an earlier question's answer; Enter asks the form's "
    } else {
        ""
    };
    let rest = (parts.rule.width as usize).saturating_sub(note.chars().count());
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(note, t.warn),
            Span::styled("─".repeat(rest), t.border),
        ])),
        parts.rule,
    );
    if let Some(r) = &q.running {
        progress(app, frame, parts.below, r);
    } else if completing(app) {
        candidates(app, frame, parts);
    } else if let Some(e) = &q.error {
        let lines = vec![
            Line::from(Span::styled(format!("✗ {}", sanitize(e)), t.warn)),
            Line::from(Span::styled(
                "correct a field, then Enter runs the question again",
                t.dim,
            )),
        ];
        frame.render_widget(Paragraph::new(lines), parts.below);
    } else if let Some(a) = shown {
        answer(app, frame, parts, a);
    } else {
        intro(app, frame, parts.below);
    }
}

fn completing(app: &App<'_>) -> bool {
    app.query.completing && app.query.focus == PaneFocus::Form
}

/// ` can │ who-can │ what-can │ paths   can this principal ...?`
fn kinds(app: &App<'_>, frame: &mut Frame<'_>, area: Rect) {
    let t = &app.theme;
    let kind = app.query.form.kind;
    let mut spans = vec![Span::raw(" ")];
    for (i, k) in QueryKind::ALL.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(TAB_SEP, t.dim));
        }
        let style = if *k == kind { t.tab_active } else { t.tab };
        spans.push(Span::styled(k.name(), style));
    }
    spans.push(Span::styled(format!("   {}", kind.question()), t.dim));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// One row per field: its label, what it holds (the end of it when too long), or
/// what to type.
fn fields(app: &App<'_>, frame: &mut Frame<'_>, area: Rect) {
    let t = &app.theme;
    let form = &app.query.form;
    if app.form_folded() {
        // One line: what the fields hold.
        let mut spans = vec![Span::raw("   ")];
        let values = form
            .fields()
            .iter()
            .map(|f| form.value(*f).trim())
            .filter(|v| !v.is_empty());
        for (i, v) in values.enumerate() {
            if i > 0 {
                spans.push(Span::styled("  ·  ", t.dim));
            }
            spans.push(Span::styled(sanitize(v).into_owned(), t.input));
        }
        spans.push(Span::styled("   (Tab edits)", t.dim));
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
        return;
    }
    let editing = app.query.focus == PaneFocus::Form && app.query.running.is_none();
    let lines: Vec<Line<'_>> = form
        .fields()
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let focused = editing && i == form.field;
            let mut spans = vec![
                Span::styled(if focused { " › " } else { "   " }, t.key),
                Span::styled(
                    format!("{:<LABEL$} ", f.label()),
                    if focused { t.key } else { t.label },
                ),
            ];
            let value = sanitize(form.value(*f));
            let room = (area.width as usize).saturating_sub(3 + LABEL + 1 + 1);
            if value.is_empty() {
                if focused {
                    spans.push(Span::styled("█", t.dim));
                }
                spans.push(Span::styled(f.placeholder(), t.dim));
            } else {
                let n = value.chars().count();
                let shown = if n > room {
                    let tail: String = value.chars().skip(n + 1 - room).collect();
                    format!("…{tail}")
                } else {
                    value.into_owned()
                };
                spans.push(Span::styled(shown, t.input));
                if focused {
                    spans.push(Span::styled("█", t.dim));
                }
            }
            Line::from(spans)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// What the pane says before the first question.
fn intro(app: &App<'_>, frame: &mut Frame<'_>, area: Rect) {
    let t = &app.theme;
    let lines = vec![
        Line::default(),
        Line::from(Span::styled(
            "  Fill the fields, then Enter runs the question. ↓ lists completions: actions",
            t.dim,
        )),
        Line::from(Span::styled(
            "  from the AWS catalog, principals, roles and resources from the organization.",
            t.dim,
        )),
        Line::from(Span::styled(
            "  In the answer, Enter on a statement shows it in its policy; on a principal or",
            t.dim,
        )),
        Line::from(Span::styled(
            "  a role, goes to it. `a` brings the pane back.",
            t.dim,
        )),
    ];
    frame.render_widget(Paragraph::new(lines), area);
}

/// A running question: what it is, a bar that moves, the time, how to stop it.
fn progress(app: &App<'_>, frame: &mut Frame<'_>, area: Rect, r: &Running) {
    let t = &app.theme;
    let what = match r.kind {
        QueryKind::WhoCan => format!(
            "who-can: evaluating {} principals…",
            thousands(r.principals)
        ),
        QueryKind::WhatCan => "what-can: evaluating every action of the catalog…".to_string(),
        QueryKind::Paths => "paths: following the trust policies…".to_string(),
        QueryKind::Can => "can: evaluating…".to_string(),
    };
    let width = (area.width as usize).saturating_sub(4).clamp(8, 60);
    let bar = bar(width, r.elapsed.as_millis() as u64);
    let lines = vec![
        Line::default(),
        Line::from(Span::styled(format!("  {what}"), t.status)),
        Line::default(),
        Line::from(vec![
            Span::raw("  "),
            Span::styled(bar.0, t.dim),
            Span::styled(bar.1, t.key),
            Span::styled(bar.2, t.dim),
        ]),
        Line::from(Span::styled(
            format!(
                "  {:.1} s   Esc cancels",
                r.elapsed.as_millis() as f64 / 1000.0
            ),
            t.dim,
        )),
    ];
    frame.render_widget(Paragraph::new(lines), area);
}

/// An indeterminate bar of `width` cells at `ms`: a block that sweeps back and
/// forth, as (track before, block, track after).
fn bar(width: usize, ms: u64) -> (String, String, String) {
    let block = (width / 5).max(3).min(width);
    let span = (width - block).max(1) as u64;
    let step = (ms / 50) % (2 * span);
    let at = if step < span { step } else { 2 * span - step } as usize;
    let at = at.min(width - block);
    (
        "░".repeat(at),
        "█".repeat(block),
        "░".repeat(width - block - at),
    )
}

/// The completion list, under a count line.
fn candidates(app: &App<'_>, frame: &mut Frame<'_>, parts: QueryParts) {
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
fn answer(app: &App<'_>, frame: &mut Frame<'_>, parts: QueryParts, a: &Answered) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_in_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(254_460), "254,460");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(123_456), "123,456");
    }

    #[test]
    fn the_bar_sweeps_and_stays_in_its_width() {
        for ms in (0..5000).step_by(37) {
            let (a, b, c) = bar(20, ms);
            assert_eq!(
                a.chars().count() + b.chars().count() + c.chars().count(),
                20
            );
        }
        assert_eq!(bar(20, 0).0, "");
        assert!(!bar(20, 400).0.is_empty(), "it moves");
    }
}
