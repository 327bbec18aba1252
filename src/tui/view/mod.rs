//! Drawing: everything from `&App`, nothing changed. Only the rows on screen are
//! built, whatever the size of the org.

pub mod answer;
mod completions;
mod finder;
mod help;
mod panes;
pub(crate) mod problems;
mod query;
mod what_if;

pub use finder::list_offset;
pub use help::help_lines;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{App, Popup};
use super::commands::{Action, Context, in_context};
use super::layout::{MIN_HEIGHT, MIN_WIDTH};
use super::sanitize::clean;

/// Draws the whole screen.
pub fn draw(app: &App<'_>, frame: &mut Frame<'_>) {
    let areas = &app.areas;
    let area = frame.area();
    if areas.too_small || area != areas.screen {
        if areas.too_small {
            too_small(frame, area);
        }
        return;
    }
    breadcrumbs(app, frame, areas.crumbs);
    if let Some(r) = areas.tree {
        panes::tree(app, frame, r);
    }
    if let Some(r) = areas.details {
        panes::details(app, frame, r);
    }
    if let Some(r) = areas.lesson {
        crate::tui::learn::view::draw(app, frame, r);
    }
    hints(app, frame, areas.hints);
    match app.popup {
        Popup::None => {}
        Popup::Filter => finder::filter(app, frame),
        Popup::Palette => finder::palette(app, frame),
        Popup::Help(ctx) => {
            if matches!(
                ctx,
                Context::Query | Context::QueryRunning | Context::Answer | Context::AnswerFilter
            ) {
                query::query(app, frame);
            }
            if ctx == Context::Problems {
                problems::problems(app, frame);
            }
            if ctx == Context::Scenario {
                what_if::scenario(app, frame);
            }
            if ctx == Context::WhatIf {
                what_if::what_if(app, frame);
            }
            if matches!(ctx, Context::Findings | Context::FindingsFilter) {
                crate::tui::findings_view::draw(app, frame);
            }
            help::help(app, frame, ctx);
        }
        Popup::Query => query::query(app, frame),
        Popup::Problems => problems::problems(app, frame),
        Popup::ChangeMenu => what_if::menu(app, frame),
        Popup::Editor => what_if::editor(app, frame),
        Popup::Scenario => what_if::scenario(app, frame),
        Popup::WhatIf => what_if::what_if(app, frame),
        Popup::Findings => crate::tui::findings_view::draw(app, frame),
    }
}

fn too_small(frame: &mut Frame<'_>, area: Rect) {
    let text = vec![
        Line::from("terminal too small"),
        Line::from(format!(
            "{}x{}, need {MIN_WIDTH}x{MIN_HEIGHT}",
            area.width, area.height
        )),
        Line::from("q quits"),
    ];
    let y = area.height.saturating_sub(3) / 2;
    let r = Rect {
        y,
        height: area.height.saturating_sub(y).min(3),
        ..area
    };
    frame.render_widget(Paragraph::new(text).alignment(Alignment::Center), r);
}

/// `Root › Workloads › prod-app › Roles › Deploy`, cut from the left when too long.
fn breadcrumbs(app: &App<'_>, frame: &mut Frame<'_>, area: Rect) {
    let t = &app.theme;
    let parts: Vec<String> = app
        .breadcrumbs()
        .into_iter()
        .map(|n| clean(app.src.name(n)))
        .collect();
    let sep = " › ";
    let width = |parts: &[String]| {
        parts.iter().map(|p| p.chars().count()).sum::<usize>() + sep.len() * parts.len()
    };
    let mut first = 0;
    while first + 1 < parts.len() && width(&parts[first..]) + 2 > area.width as usize {
        first += 1;
    }
    let mut spans = vec![Span::raw(" ")];
    if first > 0 {
        spans.push(Span::styled(format!("…{sep}"), t.dim));
    }
    let last = parts.len().saturating_sub(1);
    for (i, p) in parts.iter().enumerate().skip(first) {
        let style = if i == last { t.title } else { t.breadcrumb };
        spans.push(Span::styled(p.clone(), style));
        if i < last {
            spans.push(Span::styled(sep, t.dim));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The keys that work here, from the command list; the status line first when there
/// is one. When space runs out, the middle goes and `? help` stays.
fn hints(app: &App<'_>, frame: &mut Frame<'_>, area: Rect) {
    let t = &app.theme;
    let ctx = app.context();
    let mut items: Vec<(String, &str)> = Vec::new();
    for c in in_context(ctx).filter(|c| c.hint) {
        // `!` only where there is something to list.
        if c.action == Action::Problems && app.problems.is_empty() {
            continue;
        }
        // Predictions only on a step that asks for one.
        if matches!(
            c.action,
            Action::PredictAllowed | Action::PredictImplicit | Action::PredictExplicit
        ) && !app.predicting()
        {
            continue;
        }
        // Practice has no hints.
        if c.action == Action::Hint && app.learn.practice.is_some() {
            continue;
        }
        // `L` only where there is a lesson pane.
        if c.action == Action::Lesson && !app.lesson_pane_shown() {
            continue;
        }
        if let Some(k) = app.keymap.keys(c.action).first() {
            items.push((k.to_string(), c.label));
        }
    }
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    if let Some(s) = &app.status {
        let text = clean(&s.text);
        if text.chars().count() + 2 > area.width as usize {
            long_status(app, frame, area, &text, s.warn);
            return;
        }
        used += text.chars().count() + 3;
        spans.push(Span::styled(text, if s.warn { t.warn } else { t.status }));
        spans.push(Span::styled(" │ ", t.dim));
    }
    // `k label   `: the last one's trailing spaces may go.
    let item_w = |(k, l): &(String, &str)| k.chars().count() + 1 + l.chars().count() + 3;
    let avail = (area.width as usize).saturating_sub(used) + 3;
    while items.len() > 2 && items.iter().map(item_w).sum::<usize>() > avail {
        // The first hints (moving) and the last two (help, quit) matter most: drop
        // the one before help, again and again.
        items.remove(items.len().saturating_sub(3).max(1));
    }
    for (k, l) in &items {
        spans.push(Span::styled(k.clone(), t.key));
        spans.push(Span::styled(format!(" {l}   "), t.hint));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A status message wider than the hint bar: shown whole, wrapped over as many rows
/// above the bar as it needs (at most a quarter of the screen), instead of cut at the
/// screen's edge; the hints come back with the next message.
fn long_status(app: &App<'_>, frame: &mut Frame<'_>, bar: Rect, text: &str, warn: bool) {
    let t = &app.theme;
    let width = bar.width.saturating_sub(2).max(1) as usize;
    let needed = text.chars().count().div_ceil(width).max(1);
    let rows = (needed as u16).min((bar.y / 4).max(1) + 1);
    let area = Rect {
        y: (bar.y + bar.height).saturating_sub(rows),
        height: rows,
        ..bar
    };
    frame.render_widget(ratatui::widgets::Clear, area);
    let style = if warn { t.warn } else { t.status };
    frame.render_widget(
        Paragraph::new(Span::styled(text.to_string(), style))
            .wrap(ratatui::widgets::Wrap { trim: true })
            .block(
                ratatui::widgets::Block::default()
                    .padding(ratatui::widgets::Padding::horizontal(1)),
            ),
        area,
    );
}
