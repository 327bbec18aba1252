//! What if on screen: the change menu, the policy editor, the scenario pane and the
//! what-if view (the diff, with a progress bar while it is computed).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Gauge, Paragraph};

use super::answer::tone_style;
use crate::tui::app::App;
use crate::tui::layout::inner;
use crate::tui::query::answer::Spans;
use crate::tui::sanitize::{clean, sanitize};
use crate::tui::theme::Theme;
use crate::tui::what_if::MenuStep;
use crate::tui::what_if::diff::Shown;

fn block<'b>(t: &Theme, title: String) -> Block<'b> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(t.border_focus)
        .title(Span::styled(title, t.title))
}

fn line(t: &Theme, spans: &Spans) -> Line<'static> {
    let mut out = vec![Span::raw(" ")];
    out.extend(
        spans
            .iter()
            .map(|(tone, s)| Span::styled(sanitize(s).into_owned(), tone_style(t, *tone))),
    );
    Line::from(out)
}

/// The first row to show so that `selected` is on a screen of `rows`.
fn first_row(selected: usize, rows: usize) -> usize {
    selected.saturating_sub(rows.saturating_sub(1))
}

pub(super) fn menu(app: &App<'_>, frame: &mut Frame<'_>) {
    let t = &app.theme;
    let Some(m) = &app.menu else {
        return;
    };
    // As tall as the list (a filter line and two borders more), up to 20 rows.
    let n = match &m.step {
        MenuStep::Offers(items) => items.len(),
        MenuStep::Choose(_, choices) => choices.len(),
        MenuStep::Name(_) => 1,
    };
    let area = app
        .areas
        .popup(72, (n as u16).saturating_add(3).clamp(6, 20));
    frame.render_widget(Clear, area);
    let title = match &m.step {
        MenuStep::Offers(_) => format!(" Change · {} ", clean(app.src.name(m.node))),
        MenuStep::Choose(..) => format!(" Change · {} · choose ", clean(app.src.name(m.node))),
        MenuStep::Name(_) => format!(" Change · {} · name ", clean(app.src.name(m.node))),
    };
    frame.render_widget(block(t, title), area);
    let i = inner(area);
    let mut lines = vec![Line::from(vec![
        Span::styled(" > ", t.key),
        Span::styled(sanitize(&m.filter).into_owned(), t.input),
        Span::styled("█", t.dim),
    ])];
    let rows = m.rows();
    let room = usize::from(i.height.saturating_sub(1));
    let first = first_row(m.selected, room);
    for (k, (_, label)) in rows.iter().enumerate().skip(first).take(room) {
        let style = if k == m.selected { t.selection } else { t.text };
        lines.push(Line::from(Span::styled(
            format!(" {}", clean(label)),
            style,
        )));
    }
    if let MenuStep::Name(offer) = &m.step {
        let hint = match offer {
            crate::tui::what_if::menu::Offer::NewResourcePolicyNamed(Some(kind)) => format!(
                " type the {}'s name or ARN; Enter writes its policy",
                kind.label()
            ),
            crate::tui::what_if::menu::Offer::NewResourcePolicyNamed(None) => {
                " type the resource's ARN; Enter writes its policy".into()
            }
            _ => " type the name; Enter creates it, Esc cancels".into(),
        };
        lines.push(Line::from(Span::styled(hint, t.dim)));
    } else if rows.is_empty() {
        lines.push(Line::from(Span::styled(" nothing matches", t.dim)));
    }
    frame.render_widget(Paragraph::new(lines), i);
}

pub(super) fn editor(app: &App<'_>, frame: &mut Frame<'_>) {
    let t = &app.theme;
    let Some(e) = &app.editor else {
        return;
    };
    let area = app.areas.query();
    frame.render_widget(Clear, area);
    frame.render_widget(block(t, format!(" Edit · {} ", clean(&e.title))), area);
    let i = inner(area);
    // The verdict under the text, on two lines: an error's place and its words.
    let text = Rect {
        height: i.height.saturating_sub(2),
        ..i
    };
    frame.render_widget(&e.area, text);
    let status = Rect {
        y: i.y + i.height.saturating_sub(2),
        height: 2.min(i.height),
        ..i
    };
    let verdict = match &e.check {
        Ok(()) => Span::styled(" ✓ the policy parses".to_string(), t.good),
        Err(err) => Span::styled(format!(" ✗ {}", clean(&err.to_string())), t.bad),
    };
    frame.render_widget(
        Paragraph::new(Line::from(verdict)).wrap(ratatui::widgets::Wrap { trim: false }),
        status,
    );
}

pub(super) fn scenario(app: &App<'_>, frame: &mut Frame<'_>) {
    let t = &app.theme;
    let w = &app.what_if;
    let area = app.areas.query();
    frame.render_widget(Clear, area);
    let done = w.changes.done();
    frame.render_widget(
        block(
            t,
            format!(
                " Scenario · {} ",
                crate::tui::words::plural(done.len(), "change", "changes")
            ),
        ),
        area,
    );
    let i = inner(area);
    let mut lines = Vec::new();
    if done.is_empty() {
        lines.push(Line::from(Span::styled(
            " no change yet: m on a node makes one; the tree marks what changes touch with ✎",
            t.dim,
        )));
    }
    let mut k = 0;
    let mut row = |lines: &mut Vec<Line<'static>>, text: String, undone: bool| {
        let style = match () {
            _ if k == w.pane_selected => t.selection,
            _ if undone => t.dim,
            _ => t.text,
        };
        lines.push(Line::from(Span::styled(clean(&text), style)));
        k += 1;
    };
    for (n, e) in done.iter().enumerate() {
        row(&mut lines, format!(" {:>2}. {}", n + 1, e.change), false);
    }
    let undone: Vec<_> = w.changes.undone().collect();
    if !undone.is_empty() {
        lines.push(Line::from(Span::styled(
            " undone (Ctrl-r makes them again, the first first):",
            t.heading,
        )));
        for e in undone {
            row(&mut lines, format!("     {}", e.change), true);
        }
    }
    if let Some(f) = &w.expect_file {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            format!(
                " {} from {} (checked in the what-if view)",
                crate::tui::words::plural(w.expectations.len(), "expectation", "expectations"),
                clean(&f.display().to_string())
            ),
            t.dim,
        )));
    }
    let first = first_row(w.pane_selected, usize::from(i.height));
    frame.render_widget(
        Paragraph::new(lines.into_iter().skip(first).collect::<Vec<_>>()),
        i,
    );
}

pub(super) fn what_if(app: &App<'_>, frame: &mut Frame<'_>) {
    diff_view(app, frame);
    level_picker(app, frame);
}

/// `v`: the access levels, checked or not, over the diff.
fn level_picker(app: &App<'_>, frame: &mut Frame<'_>) {
    let t = &app.theme;
    let Some(p) = &app.what_if.level_picker else {
        return;
    };
    let area = app.areas.popup(56, 9);
    frame.render_widget(Clear, area);
    frame.render_widget(block(t, " Access levels the diff asks ".into()), area);
    let mut lines = Vec::new();
    for (k, (level, on)) in crate::catalog::AccessLevel::ALL
        .iter()
        .zip(p.chosen)
        .enumerate()
    {
        let text = format!(
            " [{}] {} {}",
            if on { "x" } else { " " },
            k + 1,
            level.as_str()
        );
        let style = if k == p.selected { t.selection } else { t.text };
        lines.push(Line::from(Span::styled(text, style)));
    }
    lines.push(Line::from(Span::styled(
        " space or 1-5 checks · a all · Enter asks · Esc",
        t.dim,
    )));
    frame.render_widget(Paragraph::new(lines), inner(area));
}

fn diff_view(app: &App<'_>, frame: &mut Frame<'_>) {
    let t = &app.theme;
    let w = &app.what_if;
    let area = app.areas.query();
    frame.render_widget(Clear, area);
    let scope = w
        .running
        .as_ref()
        .map(|r| r.scope.as_str())
        .or(w.shown.as_ref().map(|(s, _)| s.as_str()))
        .unwrap_or("");
    frame.render_widget(
        block(
            t,
            format!(
                " What if · {} · {} ",
                crate::tui::words::plural(w.changes.done().len(), "change", "changes"),
                clean(scope)
            ),
        ),
        area,
    );
    let i = inner(area);
    if let Some(r) = &w.running {
        let (done, total) = r.progress.get();
        let ratio = if total == 0 {
            0.0
        } else {
            (done as f64 / total as f64).min(1.0)
        };
        let label = if total == 0 {
            "working out the questions…".to_string()
        } else {
            format!("{done} of {total} questions · Esc stops")
        };
        let bar = Rect { height: 1, ..i };
        frame.render_widget(
            Gauge::default()
                .gauge_style(t.good)
                .ratio(ratio)
                .label(label),
            bar,
        );
        return;
    }
    if w.applying.is_some() {
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(
                " laying the scenario over the organization…",
                t.dim,
            ))),
            i,
        );
        return;
    }
    let Some((_, shown)) = &w.shown else {
        return;
    };
    let view = match shown {
        Ok(v) => v,
        Err(e) => {
            frame.render_widget(
                Paragraph::new(Line::from(Span::styled(format!(" {}", clean(e)), t.warn)))
                    .wrap(ratatui::widgets::Wrap { trim: false }),
                i,
            );
            return;
        }
    };
    let width = usize::from(i.width);
    let mut lines: Vec<Line<'static>> =
        view.header.iter().map(|s| fit(line(t, s), width)).collect();
    // The line under the header: the filter, when there is one.
    if w.editing || !w.filter.is_empty() {
        let mut l = vec![
            Span::styled(" / ", t.key),
            Span::styled(sanitize(&w.filter).into_owned(), t.input),
        ];
        if w.editing {
            l.push(Span::styled("█", t.dim));
        }
        lines.push(fit(Line::from(l), width));
    } else {
        lines.push(Line::default());
    }
    let room = usize::from(i.height).saturating_sub(lines.len());
    let shown = w.shown_rows();
    if shown.is_empty() && !w.filter.is_empty() {
        lines.push(Line::from(Span::styled(
            " nothing matches the filter",
            t.dim,
        )));
    }
    for (k, r) in shown.iter().enumerate().skip(w.scroll).take(room) {
        let Some(row) = view.row(*r) else {
            lines.push(Line::default());
            continue;
        };
        let indent = match r {
            Shown::Summary(_, true) => Span::styled("  ▾ ", t.dim),
            Shown::Summary(_, false) => Span::styled("  ▸ ", t.dim),
            Shown::Line(..) => Span::raw("      "),
            _ => Span::raw(""),
        };
        let mut l = line(t, &row.spans);
        l.spans.insert(1, indent);
        if k == w.selected && row.explain.is_some() {
            l.spans.push(Span::raw("  ⏎"));
        }
        let mut l = fit(l, width);
        if k == w.selected {
            let used: usize = l.spans.iter().map(|s| s.content.chars().count()).sum();
            l.spans
                .push(Span::raw(" ".repeat(width.saturating_sub(used))));
            l = Line::from(
                l.spans
                    .into_iter()
                    .map(|s| s.style(t.selection))
                    .collect::<Vec<_>>(),
            );
        }
        lines.push(l);
    }
    frame.render_widget(Paragraph::new(lines), i);
}

/// The line cut to `width` columns, with `…` where it was cut: the view's whole
/// width is used, and what does not fit says so.
fn fit(l: Line<'static>, width: usize) -> Line<'static> {
    let total: usize = l.spans.iter().map(|s| s.content.chars().count()).sum();
    if total <= width {
        return l;
    }
    let mut left = width.saturating_sub(1);
    let mut out = Vec::new();
    for s in l.spans {
        if left == 0 {
            break;
        }
        let n = s.content.chars().count();
        if n <= left {
            left -= n;
            out.push(s);
        } else {
            let cut: String = s.content.chars().take(left).collect();
            out.push(Span::styled(cut, s.style));
            left = 0;
        }
    }
    out.push(Span::raw("…"));
    Line::from(out)
}
