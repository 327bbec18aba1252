//! The query pane, over the body: the questions, the form, and below the rule the
//! completions ([`super::completions`]), the progress of a running question, its
//! error, or its answer ([`super::answer`]).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::tui::app::App;
use crate::tui::layout::TAB_SEP;
use crate::tui::query::form::{Field, QueryKind};
use crate::tui::query::{PaneFocus, Running};
use crate::tui::sanitize::sanitize;

/// The width of the field labels: the longest (`Resource account`), so that values
/// stay in one column whichever question is asked.
const LABEL: usize = {
    let mut w = 0;
    let mut i = 0;
    while i < Field::ALL.len() {
        let n = Field::ALL[i].label().len();
        if n > w {
            w = n;
        }
        i += 1;
    }
    w
};

pub(super) fn query(app: &App<'_>, frame: &mut Frame<'_>) {
    let t = &app.theme;
    let area = app.areas.query();
    frame.render_widget(Clear, area);
    let q = &app.query;
    let parts = app.query_parts();
    let (at, of) = q.answer_position();
    let title = if of > 1 {
        format!(" Query · answer {at} of {of} ([ ] go through them) ")
    } else {
        " Query ".to_string()
    };
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border_focus)
        .title(Span::styled(title, t.title));
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
        super::completions::candidates(app, frame, parts);
    } else if let Some(e) = &q.error {
        let lines = vec![
            Line::from(Span::styled(format!("✗ {}", sanitize(e)), t.warn)),
            Line::from(Span::styled(
                "correct a field, then Enter runs the question again",
                t.dim,
            )),
        ];
        // A long error (a policy file's, with its line, column and path) wraps.
        frame.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: false }),
            parts.below,
        );
    } else if let Some(a) = shown {
        super::answer::answer(app, frame, parts, a);
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
            .map(|f| (f, form.value(*f).trim()))
            .filter(|(_, v)| !v.is_empty());
        for (i, (f, v)) in values.enumerate() {
            if i > 0 {
                spans.push(Span::styled("  ·  ", t.dim));
            }
            // An option says what it is: `compare with eve`.
            if f.flag().is_some() {
                spans.push(Span::styled(
                    format!("{} ", f.label().to_lowercase()),
                    t.dim,
                ));
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
    const INTRO: [&str; 5] = [
        "  Fill the fields, then Enter runs the question. ↓ lists completions: actions",
        "  from the AWS catalog, principals, roles, resources and accounts from the",
        "  organization, files from the disk. Fields marked optional may stay empty.",
        "  In the answer, Enter on a statement shows it in its policy; on a principal or",
        "  a role, goes to it. `a` brings the pane back.",
    ];
    let dim = app.theme.dim;
    let lines: Vec<Line> = std::iter::once(Line::default())
        .chain(INTRO.iter().map(|l| Line::from(Span::styled(*l, dim))))
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// A running question: what it is, a bar that moves, the time, how to stop it.
fn progress(app: &App<'_>, frame: &mut Frame<'_>, area: Rect, r: &Running) {
    let t = &app.theme;
    let what = match r.kind {
        QueryKind::WhoCan => format!(
            "who-can: evaluating {}…",
            crate::tui::words::plural(r.principals, "principal", "principals")
        ),
        // Compared: one principal, then the other; the bar fills for each.
        QueryKind::WhatCan if !r.asked.value(Field::Compare).trim().is_empty() => {
            "what-can: evaluating every action of the catalog, for each principal in turn…"
                .to_string()
        }
        QueryKind::WhatCan => "what-can: evaluating every action of the catalog…".to_string(),
        QueryKind::Paths => "paths: following the trust policies…".to_string(),
        QueryKind::Can => "can: evaluating…".to_string(),
    };
    let width = (area.width as usize).saturating_sub(4).clamp(8, 60);
    let (bar, part) = match r.done {
        Some(done) => (filled(width, done), format!("{:>3.0} %   ", done * 100.0)),
        None => (bar(width, r.elapsed.as_millis() as u64), String::new()),
    };
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
                "  {part}{:.1} s   Esc cancels",
                r.elapsed.as_millis() as f64 / 1000.0
            ),
            t.dim,
        )),
    ];
    frame.render_widget(Paragraph::new(lines), area);
}

/// A bar of `width` cells filled to `done` (0 to 1), in the same three parts as
/// [`bar`] (nothing before the block).
fn filled(width: usize, done: f64) -> (String, String, String) {
    let cells = ((done.clamp(0.0, 1.0) * width as f64).round() as usize).min(width);
    (String::new(), "█".repeat(cells), "░".repeat(width - cells))
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

#[cfg(test)]
mod tests {
    use super::*;

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
