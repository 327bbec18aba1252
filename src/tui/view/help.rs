//! The `?` help: the commands of the view it was opened from, with their keys, built
//! from the same list as the hint bar; then the palette's commands.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::tui::app::App;
use crate::tui::commands::{Context, PALETTE, in_context};
use crate::tui::layout::inner;

/// The help's lines for a context.
pub fn help_lines(app: &App<'_>, ctx: Context) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut lines = Vec::new();
    // From the answer, the form's keys too: `?` is typed in the form, so its help
    // is here.
    let contexts: &[Context] = match ctx {
        Context::Answer => &[Context::Answer, Context::Query],
        _ => &[ctx],
    };
    for &ctx in contexts {
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        keys_of(app, ctx, &mut lines);
    }
    if app.what_if.active() {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            "Shown: the organization as the scenario changes it (✎ marks what a change touched; u undoes, s lists the changes)",
            t.warn,
        )));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled("Mouse", t.heading)));
    lines.push(Line::from(Span::styled(
        "  click selects (again: open/close), wheel scrolls, tab titles switch",
        t.text,
    )));
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        "Commands (press : then type)",
        t.heading,
    )));
    for c in PALETTE {
        let usage = format!(":{} {}", c.name, c.arg.unwrap_or(""));
        lines.push(Line::from(vec![
            Span::styled(format!("  {usage:<32}"), t.key),
            Span::styled(c.description, t.text),
        ]));
        if !c.options.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("      {}", options(c.options)),
                t.key,
            )));
        }
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        "Keys and colours can be changed in the config file (see the README).",
        t.dim,
    )));
    lines
}

/// `[--compare WHO] [--x Y]`: a command's options, each optional.
pub(super) fn options(options: &[&str]) -> String {
    options
        .iter()
        .map(|o| format!("[{o}]"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `Keys in the tree`, then each command of the context with its keys.
fn keys_of(app: &App<'_>, ctx: Context, lines: &mut Vec<Line<'static>>) {
    let t = &app.theme;
    lines.push(Line::from(Span::styled(
        format!("Keys in the {}", ctx.title()),
        t.heading,
    )));
    for c in in_context(ctx) {
        let keys: Vec<String> = app
            .keymap
            .keys(c.action)
            .iter()
            .map(ToString::to_string)
            .collect();
        if keys.is_empty() {
            continue;
        }
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<16}", keys.join(", ")), t.key),
            Span::styled(c.description, t.text),
        ]));
    }
}

pub(super) fn help(app: &App<'_>, frame: &mut Frame<'_>, ctx: Context) {
    let t = &app.theme;
    let r = app.areas.help();
    frame.render_widget(Clear, r);
    let lines = help_lines(app, ctx);
    let body = inner(r);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border_focus)
        .title(Span::styled(" Help ", t.title))
        .title_bottom(Line::from(Span::styled(" Esc or ? closes ", t.dim)).right_aligned());
    let rows = body.height as usize;
    let scroll = app.help_scroll.min(lines.len().saturating_sub(rows));
    if lines.len() > rows {
        block = block.title_bottom(Line::from(Span::styled(
            format!(
                " {}-{} of {} ",
                scroll + 1,
                (scroll + rows).min(lines.len()),
                lines.len()
            ),
            t.dim,
        )));
    }
    frame.render_widget(block, r);
    let window: Vec<Line<'_>> = lines.into_iter().skip(scroll).take(rows).collect();
    frame.render_widget(Paragraph::new(window), body);
}
