//! The `/` filter and `:` palette popups: an input line, a count, and the best
//! matches (only the rows that fit are drawn).

use ratatui::Frame;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::panes::kind_style;
use crate::tui::app::App;
use crate::tui::app::Target;
use crate::tui::layout::inner;
use crate::tui::nodes::Kind;
use crate::tui::palette::{self, arg_kind, matching_commands, resolve};
use crate::tui::sanitize::clean;
use crate::tui::search::{Highlighter, Matches, SearchIndex};
use crate::tui::words::{plural, thousands};

/// The first row drawn of a list whose `selected` row must show in `height` rows.
pub fn list_offset(selected: usize, height: usize) -> usize {
    selected.saturating_sub(height.saturating_sub(1))
}

pub(super) fn kind_word(k: Kind) -> &'static str {
    match k {
        Kind::Root => "root",
        Kind::Ou => "OU",
        Kind::Account => "account",
        Kind::Folder => "folder",
        Kind::User => "user",
        Kind::Group => "group",
        Kind::Role => "role",
        Kind::Policy => "policy",
        Kind::Resource => "resource",
    }
}

fn frame_popup(app: &App<'_>, frame: &mut Frame<'_>, title: &str, input: Line<'_>, info: Line<'_>) {
    let t = &app.theme;
    let r = app.areas.finder();
    frame.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border_focus)
        .title(Span::styled(title.to_string(), t.title));
    frame.render_widget(block, r);
    let i = inner(r);
    frame.render_widget(
        Paragraph::new(vec![input, info]),
        ratatui::layout::Rect {
            height: 2.min(i.height),
            ..i
        },
    );
}

/// Rows of search hits, the matched characters highlighted.
fn hits(
    app: &App<'_>,
    frame: &mut Frame<'_>,
    index: &SearchIndex<crate::tui::nodes::Node>,
    search: &Matches,
) {
    let t = &app.theme;
    let rows = app.areas.finder_rows();
    let first = list_offset(search.selected, rows.height as usize);
    let mut marks = Highlighter::new(&search.query);
    let lines: Vec<Line<'_>> = search
        .best
        .iter()
        .enumerate()
        .skip(first)
        .take(rows.height as usize)
        .map(|(i, hit)| {
            let node = index.id(hit.item);
            let text = index.text(hit.item);
            let selected = i == search.selected;
            let positions = marks.positions(index, hit.item);
            let base = if selected {
                t.selection
            } else {
                kind_style(t, node)
            };
            let mut spans = vec![Span::styled(
                format!("{:<9}", kind_word(node.kind())),
                if selected { t.selection } else { t.dim },
            )];
            spans.extend(highlighted(
                text,
                &positions,
                base,
                if selected {
                    t.selection.patch(t.matched)
                } else {
                    t.matched
                },
            ));
            let mut line = Line::from(spans);
            if selected {
                line = line.style(t.selection);
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), rows);
}

/// `text` split into runs, the characters at `positions` in `hit` style.
pub(super) fn highlighted(
    text: &str,
    positions: &[u32],
    base: Style,
    hit: Style,
) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut run = String::new();
    let mut run_hit = false;
    let mut p = positions.iter().peekable();
    for (i, c) in text.chars().enumerate() {
        let is_hit = p.peek().is_some_and(|&&x| x as usize == i);
        if is_hit {
            p.next();
        }
        if is_hit != run_hit && !run.is_empty() {
            spans.push(Span::styled(
                std::mem::take(&mut run),
                if run_hit { hit } else { base },
            ));
        }
        run_hit = is_hit;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, if run_hit { hit } else { base }));
    }
    spans
}

/// `12 matches of 5,000`, or what is going on instead.
fn count_line(app: &App<'_>, target: Target, search: &Matches, of: Option<usize>) -> Line<'static> {
    let t = &app.theme;
    if app.searching(target) {
        return Line::from(Span::styled("searching…", t.status));
    }
    let shown = search.best.len();
    let of = of
        .map(|n| format!(" of {}", thousands(n)))
        .unwrap_or_default();
    let matches = plural(search.total, "match", "matches");
    let text = if search.total > shown {
        format!("{matches}{of}, best {} shown", thousands(shown))
    } else {
        format!("{matches}{of}")
    };
    Line::from(Span::styled(text, t.dim))
}

/// The prompt and what is typed, with the cursor; when it is longer than the
/// popup, its end (where the cursor is) with `…` before it.
fn input_line<'l>(app: &App<'_>, prompt: &'static str, text: &str) -> Line<'l> {
    let t = &app.theme;
    let text = clean(text);
    let room = (inner(app.areas.finder()).width as usize)
        .saturating_sub(prompt.chars().count() + 1)
        .max(2);
    let n = text.chars().count();
    let shown = if n > room {
        let tail: String = text.chars().skip(n + 1 - room).collect();
        format!("…{tail}")
    } else {
        text
    };
    Line::from(vec![
        Span::styled(prompt, t.key),
        Span::styled(shown, t.input),
        Span::styled("█", t.dim),
    ])
}

pub(super) fn filter(app: &App<'_>, frame: &mut Frame<'_>) {
    let t = &app.theme;
    let q = app.filter_input.as_str();
    let input = input_line(app, "/ ", q);
    let Some(index) = app.index_if_built() else {
        let info = Line::from(Span::styled("indexing every name, id and ARN…", t.status));
        frame_popup(app, frame, " Find ", input, info);
        return;
    };
    let info = if q.trim().is_empty() {
        Line::from(Span::styled(
            format!("type to find any name, id or ARN among {}", index.len()),
            t.dim,
        ))
    } else {
        count_line(app, Target::Filter, &app.filter, Some(index.len()))
    };
    frame_popup(app, frame, " Find ", input, info);
    if !app.filter.query.trim().is_empty() {
        hits(app, frame, index, &app.filter);
    }
}

pub(super) fn palette(app: &App<'_>, frame: &mut Frame<'_>) {
    let t = &app.theme;
    let text = &app.palette.input;
    let input = input_line(app, ": ", text);
    let p = palette::parse(text);
    let cmd = resolve(p.word);
    match (p.arg, cmd) {
        // A name to find: a command's argument, or a question's principal, role,
        // resource or account.
        (Some(_), Some(c)) if arg_kind(c).is_some() || app.palette_query().is_some() => {
            let Some(index) = app.index_if_built() else {
                let info = Line::from(Span::styled("indexing every name, id and ARN…", t.status));
                frame_popup(app, frame, " Command ", input, info);
                return;
            };
            let m = &app.palette.matches;
            let info = if m.query.trim().is_empty() && !app.searching(Target::Palette) {
                Line::from(Span::styled(
                    format!("{}: {}  ({})", c.arg.unwrap_or(""), c.description, m.total),
                    t.dim,
                ))
            } else {
                count_line(app, Target::Palette, m, None)
            };
            frame_popup(app, frame, " Command ", input, info);
            hits(app, frame, index, m);
        }
        (Some(_), None) => {
            let info = Line::from(Span::styled(
                format!("unknown command `{}`", clean(p.word)),
                t.warn,
            ));
            frame_popup(app, frame, " Command ", input, info);
        }
        _ => {
            let cmds = if p.arg.is_some() {
                cmd.into_iter().collect()
            } else {
                matching_commands(p.word)
            };
            let info = Line::from(Span::styled("Tab completes, Enter runs, Esc closes", t.dim));
            frame_popup(app, frame, " Command ", input, info);
            let rows = app.areas.finder_rows();
            let first = list_offset(app.palette.selected, rows.height as usize);
            let mut lines: Vec<Line<'_>> = cmds
                .iter()
                .enumerate()
                .skip(first)
                .take(rows.height as usize)
                .map(|(i, c)| {
                    let selected = i == app.palette.selected && p.arg.is_none();
                    let style = if selected { t.selection } else { t.text };
                    let usage = format!(":{} {}", c.name, c.arg.unwrap_or(""));
                    Line::from(vec![
                        Span::styled(format!("{usage:<32}"), if selected { style } else { t.key }),
                        Span::styled(c.description, if selected { style } else { t.dim }),
                    ])
                    .style(style)
                })
                .collect();
            // While a question's arguments are typed: its options too.
            if let (Some(_), [c]) = (p.arg, cmds.as_slice())
                && !c.options.is_empty()
            {
                lines.push(Line::from(Span::styled(
                    format!("  {}", super::help::options(c.options)),
                    t.key,
                )));
            }
            frame.render_widget(Paragraph::new(lines), rows);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_windows_follow_the_selection() {
        assert_eq!(list_offset(0, 5), 0);
        assert_eq!(list_offset(4, 5), 0);
        assert_eq!(list_offset(5, 5), 1);
        assert_eq!(list_offset(3, 0), 3);
    }

    #[test]
    fn highlights_split_into_runs() {
        let s = highlighted("abcd", &[1, 2], Style::new(), Style::new().bold());
        let texts: Vec<&str> = s.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(texts, ["a", "bc", "d"]);
    }
}
