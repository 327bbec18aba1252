//! Drawing the lesson pane: the step, its hints, the judgment of the last move, the
//! engine's answer and the explanation; or, from `:learn`, the list of lessons.
//! Lesson text is a file's text: it is shown made inert, as every name is.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::learn::check::Judgment;
use crate::learn::format::{LayerKind, StepKind};
use crate::learn::player::Phase;
use crate::tui::app::App;
use crate::tui::layout::inner;
use crate::tui::learn::practice::{PracticePane, PracticePhase};
use crate::tui::sanitize::clean;

/// Splits text into rows of at most `width` characters: single line breaks are
/// spaces, a blank line starts a paragraph.
fn wrap(text: &str, width: usize, style: Style, indent: &str, out: &mut Vec<Line<'static>>) {
    let width = width.max(8);
    for (i, para) in text.trim().split("\n\n").enumerate() {
        if i > 0 {
            out.push(Line::default());
        }
        let mut row = String::from(indent);
        for word in para.split_whitespace() {
            let word = clean(word);
            let (n, w) = (row.chars().count(), word.chars().count());
            if n > indent.len() && n + 1 + w > width {
                out.push(Line::from(Span::styled(std::mem::take(&mut row), style)));
                row.push_str(indent);
            }
            if row.chars().count() > indent.len() {
                row.push(' ');
            }
            row.push_str(&word);
            while row.chars().count() > width {
                let head: String = row.chars().take(width).collect();
                let tail: String = row.chars().skip(width).collect();
                out.push(Line::from(Span::styled(head, style)));
                row = format!("{indent}{tail}");
            }
        }
        if row.chars().count() > indent.len() {
            out.push(Line::from(Span::styled(row, style)));
        }
    }
}

/// The lesson pane's lines for a width.
pub fn lines(app: &App<'_>, width: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut out = Vec::new();
    if let Some(p) = &app.learn.practice {
        return practice_lines(app, p, width);
    }
    let Some(pane) = &app.lesson else {
        return list_lines(app, width);
    };
    let p = &pane.player;
    let total = p.lesson.steps().len();
    if p.phase == Phase::Finished {
        out.push(Line::from(Span::styled("Lesson finished.", t.heading)));
        out.push(Line::default());
        let s = p.predictions;
        if s.right + s.wrong > 0 {
            wrap(
                &format!("Predictions: {} right of {}.", s.right, s.right + s.wrong),
                width,
                t.text,
                "",
                &mut out,
            );
        }
        wrap(
            "R starts it again; :learn lists the other lessons; q quits.",
            width,
            t.dim,
            "",
            &mut out,
        );
        return out;
    }
    let Some(step) = p.current() else {
        return out;
    };
    out.push(Line::from(Span::styled(
        format!("Step {} of {}", p.step + 1, total),
        t.heading,
    )));
    wrap(&step.say, width, t.text, "", &mut out);
    if matches!(step.kind(), StepKind::Predict | StepKind::Ask) {
        what_if_note(app, width, &mut out);
    }
    if step.kind() == StepKind::Predict && p.phase == Phase::Doing {
        out.push(Line::default());
        out.push(Line::from(vec![
            Span::styled("a", t.key),
            Span::styled(" allowed  ", t.hint),
            Span::styled("i", t.key),
            Span::styled(" implicitly denied  ", t.hint),
            Span::styled("e", t.key),
            Span::styled(" explicitly denied", t.hint),
        ]));
    }
    if let Phase::PickLayer(d) = p.phase {
        layer_choice(app, d, width, &mut out);
    }
    if step.kind() == StepKind::Change && p.phase == Phase::Doing {
        // The app's what-if changes are judged as they are made (see
        // `App::lesson_scenario_changed`); a scenario file on the command line too.
        out.push(Line::default());
        wrap(
            &format!(
                "Make the change in the app: Esc, select the thing to change, then m (change menu) or e (edit in $EDITOR); u undoes. Any change that gives the answer counts. Or write a scenario file (docs/scenarios.md) and run `orgscope learn {} --check --scenario FILE`.",
                p.lesson.id()
            ),
            width,
            t.hint,
            "",
            &mut out,
        );
    }
    if step.kind() == StepKind::Read && p.phase == Phase::Doing {
        out.push(Line::default());
        out.push(Line::from(vec![
            Span::styled("Enter", t.key),
            Span::styled(" goes on", t.hint),
        ]));
    }
    for (i, h) in p.shown_hints().iter().enumerate() {
        out.push(Line::default());
        wrap(&format!("Hint {}: {h}", i + 1), width, t.warn, "", &mut out);
    }
    match (&pane.last, &p.phase) {
        (Some(Judgment::Wrong(why)), _) => {
            out.push(Line::default());
            wrap(&format!("✗ {why}"), width, t.bad, "", &mut out);
        }
        (Some(Judgment::Right), Phase::Done { .. }) => {
            out.push(Line::default());
            out.push(Line::from(Span::styled("✓ right", t.good)));
        }
        _ => {}
    }
    if let Phase::Done { .. } = p.phase {
        if let Some(a) = &p.answer {
            out.push(Line::default());
            wrap(&format!("Engine: {a}"), width, t.label, "", &mut out);
        }
        if let Some(b) = &pane.before {
            wrap(&format!("Engine, {b}"), width, t.dim, "", &mut out);
        }
        if !step.explain.trim().is_empty() {
            out.push(Line::default());
            out.push(Line::from(Span::styled("Why", t.heading)));
            wrap(&step.explain, width, t.text, "", &mut out);
        }
        out.push(Line::default());
        out.push(Line::from(vec![
            Span::styled("Enter", t.key),
            Span::styled(
                if p.step + 1 == total {
                    " finishes the lesson"
                } else {
                    " goes to the next step"
                },
                t.hint,
            ),
        ]));
    }
    out
}

/// While a what-if scenario is active, questions are answered for the org it makes:
/// said where the question is, as the query pane says it.
fn what_if_note(app: &App<'_>, width: usize, out: &mut Vec<Line<'static>>) {
    if !app.what_if.active() {
        return;
    }
    let n = app.what_if.changes.done().len();
    let changes = if n == 1 {
        "change makes"
    } else {
        "changes make"
    };
    wrap(
        &format!(
            "⚑ what if: answered for the organization as your {n} what-if {changes} it (u undoes them)"
        ),
        width,
        app.theme.warn,
        "",
        out,
    );
}

/// "explicitly denied: which layer decides?" and the layers, keys 1 to 7.
fn layer_choice(
    app: &App<'_>,
    d: crate::engine::Decision,
    width: usize,
    out: &mut Vec<Line<'static>>,
) {
    let t = &app.theme;
    out.push(Line::default());
    wrap(
        &format!(
            "{}: which layer decides?",
            crate::learn::format::decision_words(d)
        ),
        width,
        t.text,
        "",
        out,
    );
    for (i, k) in LayerKind::ALL.iter().enumerate() {
        out.push(Line::from(vec![
            Span::styled(format!("  {}", i + 1), t.key),
            Span::styled(format!(" {}", k.words()), t.hint),
        ]));
    }
}

/// Practice: the question, the prediction keys, then the engine's answer with the
/// statements that decided it, and the score.
fn practice_lines(app: &App<'_>, p: &PracticePane, width: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut out = Vec::new();
    let (right, asked) = (p.score.right, p.score.right + p.score.wrong);
    if p.phase == PracticePhase::Finished {
        out.push(Line::from(Span::styled("Practice done.", t.heading)));
        out.push(Line::default());
        wrap(
            &format!("Score: {right} right of {asked}."),
            width,
            t.text,
            "",
            &mut out,
        );
        wrap(
            "R asks new questions; :learn lists the lessons; q quits.",
            width,
            t.dim,
            "",
            &mut out,
        );
        return out;
    }
    let Some(q) = p.current() else { return out };
    out.push(Line::from(vec![
        Span::styled(
            format!("Question {} of {}", p.at + 1, p.questions.len()),
            t.heading,
        ),
        Span::styled(format!("  score {right}/{asked}"), t.dim),
    ]));
    wrap(
        &format!("Predict: {}", q.text()),
        width,
        t.text,
        "",
        &mut out,
    );
    what_if_note(app, width, &mut out);
    match &p.phase {
        PracticePhase::Asking => {
            out.push(Line::default());
            for (k, what) in [
                ("a", "allowed"),
                ("i", "implicitly denied"),
                ("e", "explicitly denied"),
            ] {
                out.push(Line::from(vec![
                    Span::styled(format!("  {k}"), t.key),
                    Span::styled(format!(" {what}"), t.hint),
                ]));
            }
        }
        PracticePhase::PickLayer(d) => layer_choice(app, *d, width, &mut out),
        PracticePhase::Answered(j) => {
            out.push(Line::default());
            match j {
                Judgment::Wrong(why) => wrap(&format!("✗ {why}"), width, t.bad, "", &mut out),
                _ => out.push(Line::from(Span::styled("✓ right", t.good))),
            }
            if let Some((summary, deciding)) = p.revealed() {
                out.push(Line::default());
                wrap(&format!("Engine: {summary}"), width, t.label, "", &mut out);
                for d in deciding {
                    wrap(&format!("Deciding: {d}"), width, t.text, "", &mut out);
                }
                if let Some(b) = &p.before {
                    wrap(&format!("Engine, {b}"), width, t.dim, "", &mut out);
                }
            }
            out.push(Line::default());
            out.push(Line::from(vec![
                Span::styled("Enter", t.key),
                Span::styled(
                    if p.at + 1 == p.questions.len() {
                        " ends the practice"
                    } else {
                        " asks the next question"
                    },
                    t.hint,
                ),
            ]));
        }
        PracticePhase::Finished => {}
    }
    out
}

/// `:learn`: every lesson with its length and progress.
fn list_lines(app: &App<'_>, width: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let progress = crate::learn::Progress::load();
    let mut out = vec![Line::from(Span::styled("Lessons", t.heading))];
    for l in crate::learn::builtin() {
        let p = progress.lesson(l.id());
        let state = if p.done {
            " ✓".to_string()
        } else if p.step > 0 {
            format!(" (step {}/{})", p.step + 1, l.steps().len())
        } else {
            String::new()
        };
        out.push(Line::from(vec![
            Span::styled(clean(l.id()), t.key),
            Span::styled(format!(" {} min{state}", l.file.minutes), t.dim),
        ]));
        wrap(&l.file.title, width, t.text, "  ", &mut out);
    }
    out.push(Line::default());
    wrap(
        ":learn ID opens a lesson; L closes this list.",
        width,
        t.dim,
        "",
        &mut out,
    );
    out
}

pub fn draw(app: &App<'_>, frame: &mut Frame<'_>, area: Rect) {
    let t = &app.theme;
    let focused = app.lesson_focused();
    let title = match (&app.learn.practice, &app.lesson) {
        (Some(_), _) => " Practice ".to_string(),
        (None, Some(p)) => format!(" Lesson: {} ", clean(&p.player.lesson.file.title)),
        (None, None) => " Lessons ".to_string(),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(if focused { t.border_focus } else { t.border })
        .title(Span::styled(title, t.title));
    let body = inner(area);
    frame.render_widget(block, area);
    let all = lines(app, body.width as usize);
    let scroll = match (&app.learn.practice, &app.lesson) {
        (Some(p), _) => p.scroll,
        (None, Some(p)) => p.scroll,
        (None, None) => 0,
    }
    .min(all.len().saturating_sub(body.height as usize));
    let shown: Vec<Line<'static>> = all
        .into_iter()
        .skip(scroll)
        .take(body.height as usize)
        .collect();
    frame.render_widget(Paragraph::new(shown), body);
}
