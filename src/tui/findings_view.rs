//! Drawing the findings: the list (a popup, one row per finding, only the rows on
//! screen built, the selected finding told whole below it), and the section of the
//! Overview tab with the findings about the selected node.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::app::App;
use super::findings::{Delta, FindingsList, Stage, kind_word, step_label};
use super::layout::{Areas, inner};
use super::nodes::Node;
use super::sanitize::clean;
use super::theme::Theme;
use super::words::{plural, thousands};
use crate::findings::{Finding, STEPS, Severity};
use crate::org::{AccountIx, Org};

/// The most findings the Overview lists for one node.
const SECTION_MAX: usize = 8;

/// Rows under the list for the selected finding.
const TOLD_ROWS: u16 = 10;

/// From this inner width the list has a column for the Access Analyzer grade; below,
/// the message would be cut too short, and the grade is told under the list only.
const GRADE_COLUMN_FROM: usize = 140;

/// The grade column: `security warning` and a space.
const GRADE_W: usize = 17;

/// The list's popup: nearly the whole screen.
pub fn area(areas: &Areas) -> Rect {
    areas.popup(150, 48)
}

/// The list's rows: below the filter lines and a blank, above the selected finding.
fn list_area(r: Rect, list: &FindingsList) -> Rect {
    let body = inner(r);
    let told = told_rows(body);
    let top = filter_rows(&filter_words(list), body.width as usize).len() as u16 + 1;
    Rect {
        y: body.y + top,
        height: body.height.saturating_sub(top + 1 + told),
        ..body
    }
}

fn told_rows(body: Rect) -> u16 {
    TOLD_ROWS.min(body.height.saturating_sub(6) / 2)
}

/// How many findings the list shows at once (a page).
pub fn list_rows(r: Rect, list: &FindingsList) -> usize {
    list_area(r, list).height as usize
}

/// The finding shown on screen row `row` (an index into `shown`), if any.
pub fn finding_at(r: Rect, list: &FindingsList, row: u16) -> Option<usize> {
    let rows = list_area(r, list);
    if list.stage != Stage::Ready || row < rows.y || row >= rows.y + rows.height {
        return None;
    }
    let first = super::view::list_offset(list.selected, rows.height as usize);
    let i = first + (row - rows.y) as usize;
    (i < list.shown.len()).then_some(i)
}

fn tone(t: &Theme, s: Severity) -> Style {
    match s {
        Severity::Critical | Severity::High => t.bad,
        Severity::Medium => t.warn,
        Severity::Low => t.dim,
    }
}

/// `text` in at most `width` characters, `…` where it is cut; padded to `width`.
fn fit(text: &str, width: usize) -> String {
    let n = text.chars().count();
    if n <= width {
        format!("{text:<width$}")
    } else if width == 0 {
        String::new()
    } else {
        let mut s: String = text.chars().take(width - 1).collect();
        s.push('…');
        s
    }
}

/// The findings list.
pub fn draw(app: &App<'_>, frame: &mut Frame<'_>) {
    let t = &app.theme;
    let list = &app.findings;
    let r = area(&app.areas);
    frame.render_widget(Clear, r);
    let body = inner(r);
    let width = body.width as usize;
    // While a scenario is active the findings are the changed org's: the title says
    // so, and what the scenario does to them.
    let of = if list.scenario.is_some() {
        " of the org as the scenario changes it"
    } else {
        ""
    };
    let title = match (list.stage, &list.scenario_total) {
        (Stage::Ready, Some(d)) => format!(" Findings{of}: {} · the scenario {d} ", list.total),
        (Stage::Ready, None) => format!(" Findings: {} ", list.total),
        _ => format!(" Findings{of} "),
    };
    let count = if list.shown.is_empty() {
        " 0/0 ".to_string()
    } else {
        format!(
            " {}/{} ",
            thousands(list.selected + 1),
            thousands(list.shown.len())
        )
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border_focus)
        .title(Span::styled(title, t.title))
        .title_bottom(Line::from(Span::styled(count, t.dim)).right_aligned());
    frame.render_widget(block, r);
    let mut lines = filters(t, list, width);
    lines.push(Line::default());
    match list.stage {
        Stage::Computing { step, elapsed } => {
            lines.push(Line::from(Span::styled(
                format!(
                    "Computing the findings{of}: {}, {:.1} s",
                    step_label(step),
                    elapsed.as_secs_f64()
                ),
                t.warn,
            )));
            // A bar filled by the steps done.
            let cells = width.min(50);
            let done = cells * step.min(STEPS.len()) / STEPS.len();
            lines.push(Line::from(vec![
                Span::styled("█".repeat(done), t.good),
                Span::styled("░".repeat(cells - done), t.dim),
            ]));
            lines.push(Line::from(Span::styled(
                "They show here when ready; Esc closes the list and they keep computing.",
                t.dim,
            )));
            frame.render_widget(Paragraph::new(lines), body);
            return;
        }
        Stage::NotStarted => {}
        Stage::Ready if list.all.is_empty() => {
            lines.push(Line::from(Span::styled(
                "No findings: nothing an auditor should look at first.",
                t.good,
            )));
        }
        Stage::Ready if list.shown.is_empty() => {
            lines.push(Line::from(Span::styled(
                "No finding matches the filters (s severity, t kind, a grade, u under, / text).",
                t.dim,
            )));
        }
        Stage::Ready => {}
    }
    frame.render_widget(Paragraph::new(lines), body);
    let rows = list_area(r, list);
    let first = super::view::list_offset(list.selected, rows.height as usize);
    let node_w = (width / 5).clamp(10, 28);
    let rule_w = 26.min(width / 4);
    // A grade column where there is room and some finding shown has a grade.
    let graded = list.shown.iter().any(|&i| list.all[i].grade.is_some());
    let grade_w = if width >= GRADE_COLUMN_FROM && graded {
        GRADE_W
    } else {
        0
    };
    // The scenario's mark: `+` added, `~` changed, `-` removed.
    let marked = list.scenario_total.is_some();
    let mark_w = if marked { 2 } else { 0 };
    let message_w = width.saturating_sub(10 + node_w + rule_w + 3 + mark_w + grade_w);
    let row_lines: Vec<Line<'static>> = list
        .shown
        .iter()
        .enumerate()
        .skip(first)
        .take(rows.height as usize)
        .map(|(i, &ix)| {
            let f = &list.all[ix];
            let pick = |s: Style| {
                if i == list.selected {
                    t.selection.patch(s)
                } else {
                    s
                }
            };
            let mut spans = Vec::new();
            if marked {
                let (sign, style) = match list.delta(ix) {
                    Some(Delta::Added) => ("+ ", t.bad),
                    Some(Delta::Changed { .. }) => ("~ ", t.warn),
                    Some(Delta::Removed) => ("- ", t.good),
                    None => ("  ", t.text),
                };
                spans.push(Span::styled(sign, pick(style)));
            }
            spans.extend([
                Span::styled(
                    format!("{:<9} ", f.severity.word()),
                    pick(tone(t, f.severity)),
                ),
                Span::styled(fit(&clean(&f.node_name), node_w), pick(t.text)),
                Span::styled(" ", pick(t.text)),
                Span::styled(fit(f.rule, rule_w), pick(t.dim)),
                Span::styled(" ", pick(t.text)),
            ]);
            if grade_w > 0 {
                spans.push(Span::styled(
                    fit(f.grade.map_or("", |g| g.words()), grade_w),
                    pick(t.warn),
                ));
            }
            spans.push(Span::styled(
                fit(&clean(&f.message), message_w),
                pick(t.text),
            ));
            Line::from(spans)
        })
        .collect();
    frame.render_widget(Paragraph::new(row_lines), rows);
    if let Some(f) = list.current() {
        let told = told_rows(body);
        let area = Rect {
            y: body.y + body.height.saturating_sub(told),
            height: told,
            ..body
        };
        let mut lines = vec![Line::from(Span::styled("─".repeat(width), t.border))];
        lines.extend(told_lines(t, f, list.current_delta(), width));
        frame.render_widget(Paragraph::new(lines), area);
    }
}

/// The filter line's parts, each a key and what it says: `s` ` severity: critical`;
/// the text typed last (`/` ` filter: ` and the text).
fn filter_words(list: &FindingsList) -> Vec<(&'static str, String)> {
    let severity = match list.min_severity {
        None => "all".to_string(),
        Some(Severity::Critical) => "critical".to_string(),
        Some(s) => format!("{s} and above"),
    };
    let under = list
        .scope
        .as_ref()
        .map_or("all".into(), |s| clean(&s.label));
    let mut text = format!(" filter: {}", clean(&list.text));
    if list.editing {
        text.push('▏');
    }
    vec![
        ("s", format!(" severity: {severity}")),
        (
            "t",
            format!(" kind: {}", list.kind.map_or("all", kind_word)),
        ),
        (
            "a",
            format!(" grade: {}", list.grade.map_or("all", |g| g.words())),
        ),
        ("u", format!(" under: {under}")),
        ("o", format!(" order: {}", list.order.word())),
        ("/", text),
    ]
}

/// The parts on each row of the filter lines: as many as fit in `width`, three
/// spaces apart (a narrow list takes two rows rather than cut the text typed).
fn filter_rows(words: &[(&'static str, String)], width: usize) -> Vec<Vec<usize>> {
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut used = 0;
    for (i, (key, text)) in words.iter().enumerate() {
        let w = key.chars().count() + text.chars().count();
        match rows.last_mut() {
            Some(row) if used + 3 + w <= width => {
                row.push(i);
                used += 3 + w;
            }
            _ => {
                rows.push(vec![i]);
                used = w;
            }
        }
    }
    rows
}

/// `s severity: high and above   t kind: all   a grade: all   u under: all   o order: severity   / filter: bucket▏`,
/// on two rows where it does not fit on one.
fn filters(t: &Theme, list: &FindingsList, width: usize) -> Vec<Line<'static>> {
    let words = filter_words(list);
    filter_rows(&words, width)
        .into_iter()
        .map(|row| {
            let mut spans = Vec::new();
            for (n, &i) in row.iter().enumerate() {
                if n > 0 {
                    spans.push(Span::styled("   ", t.text));
                }
                let (key, text) = &words[i];
                spans.push(Span::styled(*key, t.key));
                match text.strip_prefix(" filter: ") {
                    Some(typed) if *key == "/" => {
                        spans.push(Span::styled(" filter: ", t.text));
                        spans.push(Span::styled(typed.to_string(), t.input));
                    }
                    _ => spans.push(Span::styled(text.clone(), t.text)),
                }
            }
            Line::from(spans)
        })
        .collect()
}

/// The selected finding, whole: where, what, why, the fix.
fn told_lines(t: &Theme, f: &Finding, delta: Option<&Delta>, width: usize) -> Vec<Line<'static>> {
    // As `orgscope findings` prints it: what and where, the grade, the message, the
    // policy and statement, the place in the file, why, the fix.
    let mut raw = vec![Line::from(vec![
        Span::styled(format!("{} ", f.severity), tone(t, f.severity)),
        Span::styled(format!("{} ", f.rule), t.dim),
        Span::styled(clean(&f.node), t.text),
    ])];
    if let Some(g) = f.grade {
        raw.push(Line::from(vec![
            Span::styled("grade: ", t.label),
            Span::styled(format!("{g} (IAM Access Analyzer)"), t.warn),
        ]));
    }
    if let Some(d) = delta {
        raw.push(Line::from(Span::styled(said(d), t.warn)));
    }
    raw.push(Line::from(Span::styled(clean(&f.message), t.text)));
    if let Some(p) = &f.policy {
        let at = match &f.statement {
            Some(s) => format!(
                "in {}, statement {}   (Enter highlights it)",
                clean(p),
                clean(s)
            ),
            None => format!("in {}", clean(p)),
        };
        raw.push(Line::from(Span::styled(at, t.dim)));
    }
    if let Some(at) = &f.location {
        raw.push(Line::from(Span::styled(
            format!("at {}", clean(&at.to_string())),
            t.dim,
        )));
    }
    raw.push(Line::from(vec![
        Span::styled("why: ", t.label),
        Span::styled(f.why, t.text),
    ]));
    raw.push(Line::from(vec![
        Span::styled("fix: ", t.label),
        Span::styled(f.fix, t.text),
    ]));
    let mut out = Vec::new();
    for l in raw {
        super::details::wrap(l, width.max(8), 5.min(width / 2), &mut out);
    }
    out
}

/// What the scenario did to a finding, in words.
fn said(d: &Delta) -> String {
    match d {
        Delta::Added => "the scenario adds it: the org as loaded does not have it".into(),
        Delta::Changed { severity, message } => format!(
            "the scenario changes it; before: {severity} · {}",
            clean(message)
        ),
        Delta::Removed => {
            "the scenario removes it: a finding of the org as loaded, gone from the changed org"
                .into()
        }
    }
}

/// The Overview's section on a node's findings: nothing until they are computed
/// (or asked for), a line while they are, then the node's own findings.
pub fn node_section(
    t: &Theme,
    org: &Org,
    list: &FindingsList,
    node: Node,
    width: usize,
) -> Vec<Line<'static>> {
    let heading = |text: String| Line::from(Span::styled(text, t.heading));
    let note = |text: String| Line::from(Span::styled(text, t.dim));
    let mut raw = Vec::new();
    let about_it = matches!(
        node,
        Node::Root
            | Node::Ou(_)
            | Node::Account(_)
            | Node::User(_)
            | Node::Group(_)
            | Node::Role(_)
            | Node::Policy(_)
            | Node::Resource(_)
    );
    match list.stage {
        Stage::NotStarted => return Vec::new(),
        _ if !about_it => return Vec::new(),
        Stage::Computing { .. } => {
            raw.push(Line::default());
            raw.push(heading("Findings".into()));
            raw.push(note("being computed (F shows how far)".into()));
        }
        Stage::Ready => {
            let marked = list.about_marked(org, node);
            let own: Vec<&Finding> = marked
                .iter()
                .filter(|(_, d)| *d != Some(&Delta::Removed))
                .map(|(f, _)| *f)
                .collect();
            match node {
                Node::Root => {
                    raw.push(Line::default());
                    raw.push(heading("Findings".into()));
                    raw.push(Line::from(Span::styled(
                        match &list.scenario_total {
                            Some(d) => format!(
                                "{} in the organization as the scenario changes it; the scenario {d} (F lists them)",
                                list.total
                            ),
                            None => format!("{} in the organization (F lists them)", list.total),
                        },
                        t.text,
                    )));
                }
                // An OU: what its accounts hold, by severity.
                Node::Ou(o) => {
                    let under: Vec<&str> = org
                        .accounts()
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| org.ancestors(AccountIx::new(*i)).contains(&o))
                        .map(|(_, a)| &*a.id)
                        .collect();
                    let (n, counts) = list.in_accounts(under);
                    raw.push(Line::default());
                    raw.push(heading("Findings".into()));
                    raw.push(if n == 0 {
                        note("none in its accounts".into())
                    } else {
                        Line::from(Span::styled(
                            format!(
                                "its accounts hold {}: {counts} (F, then u, lists them)",
                                plural(n, "finding", "findings")
                            ),
                            t.text,
                        ))
                    });
                }
                Node::Account(_)
                | Node::User(_)
                | Node::Group(_)
                | Node::Role(_)
                | Node::Policy(_)
                | Node::Resource(_) => {
                    raw.push(Line::default());
                    raw.push(heading(format!("Findings ({})", own.len())));
                    if marked.is_empty() {
                        raw.push(note("none about it".into()));
                    }
                    // Those a scenario removed are listed too, marked as such.
                    for (f, d) in marked.iter().take(SECTION_MAX) {
                        let mut line = vec![
                            Span::styled(format!("{:<9}", f.severity.word()), tone(t, f.severity)),
                            Span::styled(clean(&f.message), t.text),
                        ];
                        if let Some(d) = d {
                            line.push(Span::styled(
                                format!("  ({} by the scenario)", d.word()),
                                t.warn,
                            ));
                        }
                        raw.push(Line::from(line));
                        let mut at = f.rule.to_string();
                        if let Some(g) = f.grade {
                            at.push_str(&format!(" ({g})"));
                        }
                        if let Some(p) = &f.policy {
                            at.push_str(&format!(" · {}", clean(p)));
                        }
                        if let Some(s) = &f.statement {
                            at.push_str(&format!(" · {}", clean(s)));
                        }
                        raw.push(Line::from(Span::styled(format!("{:9}{at}", ""), t.dim)));
                        if let Some(l) = &f.location {
                            raw.push(note(format!("{:9}at {}", "", clean(&l.to_string()))));
                        }
                    }
                    if marked.len() > SECTION_MAX {
                        raw.push(note(format!(
                            "… and {} more (F, then u, lists them)",
                            thousands(marked.len() - SECTION_MAX)
                        )));
                    }
                    if let Node::Account(a) = node {
                        let (n, counts) = list.in_accounts([&*org.account(a).id]);
                        if n > own.len() {
                            raw.push(note(format!(
                                "{} in the account in all, with its users', roles' and resources': {counts} (F, then u, lists them)",
                                plural(n, "finding", "findings")
                            )));
                        }
                    }
                }
                _ => return Vec::new(),
            }
        }
    }
    let mut out = Vec::new();
    for l in raw {
        super::details::wrap(l, width.max(8), 9.min(width / 2), &mut out);
    }
    out
}
