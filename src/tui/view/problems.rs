//! The problems list: each finding's message and where it is, the selected one
//! highlighted and kept in view.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::org::Severity;
use crate::tui::app::App;
use crate::tui::layout::inner;
use crate::tui::sanitize::clean;

/// Splits `text` into rows of at most `width` characters, at spaces where it can.
fn wrap_text(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut rows = Vec::new();
    let mut row = String::new();
    for word in text.split(' ') {
        let (n, w) = (row.chars().count(), word.chars().count());
        if n > 0 && n + 1 + w > width {
            rows.push(std::mem::take(&mut row));
        }
        if !row.is_empty() {
            row.push(' ');
        }
        row.push_str(word);
        // A word longer than a row is cut.
        while row.chars().count() > width {
            let head: String = row.chars().take(width).collect();
            row = row.chars().skip(width).collect();
            rows.push(head);
        }
    }
    if !row.is_empty() || rows.is_empty() {
        rows.push(row);
    }
    rows
}

/// The problems list as drawn in `body`: its lines, each finding's lines (start, end)
/// among them, and how many lines are scrolled off the top to keep the selected one in
/// view. Drawing and the mouse both read it, so a click lands on the row it hits.
pub(crate) struct Laid {
    lines: Vec<Line<'static>>,
    pub spans: Vec<(usize, usize)>,
    pub scroll: usize,
}

pub(crate) fn lay_out(app: &App<'_>, body: ratatui::layout::Rect) -> Laid {
    let t = &app.theme;
    let p = &app.problems;
    let width = body.width as usize;
    let intro = if p.errors > 0 {
        "What an error names did not load: answers leave it out, and may be wrong either way. Enter goes to the node a problem is about."
    } else {
        "Enter goes to the node a problem is about, where it has one."
    };
    let mut lines: Vec<Line<'static>> = wrap_text(intro, width)
        .into_iter()
        .map(|row| Line::from(Span::styled(row, t.dim)))
        .collect();
    lines.push(Line::default());
    let mut spans = Vec::with_capacity(p.findings.len());
    for (i, f) in p.findings.iter().enumerate() {
        let start = lines.len();
        let (sign, tone) = match f.severity {
            Severity::Error => ("✗ ", t.bad),
            Severity::Warning => ("! ", t.warn),
        };
        let pick = |s| {
            if i == p.selected {
                t.selection.patch(s)
            } else {
                s
            }
        };
        for (j, row) in wrap_text(&clean(&f.message), width.saturating_sub(2))
            .into_iter()
            .enumerate()
        {
            let lead = if j == 0 { sign } else { "  " };
            lines.push(Line::from(vec![
                Span::styled(lead, pick(tone)),
                Span::styled(row, pick(t.text)),
            ]));
        }
        let mut at = clean(&f.file.display().to_string());
        if f.line > 0 {
            at.push_str(&format!(":{}:{}", f.line, f.column));
        }
        if !f.json_path.is_empty() {
            at.push_str(&format!("  at {}", clean(&f.json_path)));
        }
        for row in wrap_text(&at, width.saturating_sub(2)) {
            lines.push(Line::from(Span::styled(format!("  {row}"), t.dim)));
        }
        spans.push((start, lines.len()));
        lines.push(Line::default());
    }
    let rows = body.height as usize;
    // The selected finding in view, whole when it fits.
    let selected = spans.get(p.selected).copied().unwrap_or((0, 0));
    let scroll = if selected.1 > rows {
        (selected.1 - rows).min(selected.0)
    } else {
        0
    };
    Laid {
        lines,
        spans,
        scroll,
    }
}

/// The problem on screen row `row`, if a problem's lines are there.
pub(crate) fn problem_at(app: &App<'_>, row: u16) -> Option<usize> {
    let body = inner(app.areas.help());
    if row < body.y || row >= body.y + body.height {
        return None;
    }
    let laid = lay_out(app, body);
    let line = laid.scroll + usize::from(row - body.y);
    laid.spans
        .iter()
        .position(|&(start, end)| (start..end).contains(&line))
}

pub(super) fn problems(app: &App<'_>, frame: &mut Frame<'_>) {
    let t = &app.theme;
    let p = &app.problems;
    let r = app.areas.help();
    frame.render_widget(Clear, r);
    let body = inner(r);
    let rows = body.height as usize;
    let Laid { lines, scroll, .. } = lay_out(app, body);
    let title = format!(" Problems: {} ", p.summary());
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border_focus)
        .title(Span::styled(title, t.title))
        .title_bottom(
            Line::from(Span::styled(
                format!(" {}/{} ", p.selected + 1, p.findings.len()),
                t.dim,
            ))
            .right_aligned(),
        );
    frame.render_widget(block, r);
    let window: Vec<Line<'_>> = lines.into_iter().skip(scroll).take(rows).collect();
    frame.render_widget(Paragraph::new(window), body);
}

#[cfg(test)]
mod tests {
    use super::wrap_text;

    #[test]
    fn text_wraps_at_spaces_and_cuts_long_words() {
        assert_eq!(wrap_text("aaa bbb ccc", 8), ["aaa bbb", "ccc"]);
        assert_eq!(wrap_text("abcdefghijkl", 8), ["abcdefgh", "ijkl"]);
        assert_eq!(wrap_text("", 8), [""]);
    }
}
