//! `orgscope learn`: list the lessons, open one in the terminal UI, check a team's
//! lesson files against the engine, or practise on any organization.

use std::io::BufRead as _;
use std::path::PathBuf;

use anyhow::bail;
use serde::Serialize;

use super::output::{print, print_json};
use super::query::load_org;
use crate::engine::Decision;
use crate::learn::check::{self, Judgment};
use crate::learn::format::{LayerKind, decision_words};
use crate::learn::{self, Lesson, Progress};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct LearnArgs {
    /// The lesson to open in the terminal UI, by id (without one: list the lessons).
    pub lesson: Option<String>,
    /// Also read the lessons (`*.toml`) of this directory: a team's own.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Start the lesson again from its first step.
    #[arg(long, requires = "lesson")]
    pub reset: bool,
    /// Check lesson files (a file or a directory): their shape, their names, and
    /// every stated answer against the engine. Exit status 1 on any problem. With a
    /// lesson id instead (`orgscope learn ID --check`): that lesson.
    #[arg(long, value_name = "PATH", num_args = 0..=1, default_missing_value = "", conflicts_with = "practice")]
    pub check: Option<String>,
    /// Judge the lesson's change steps on its organization as this scenario file
    /// (docs/scenarios.md) changes it, without the terminal UI: exit status 0 when
    /// the change does what each step asks, 1 when not (with why). A step done this
    /// way counts in your progress.
    #[arg(long, value_name = "FILE", requires = "lesson")]
    pub scenario: Option<PathBuf>,
    /// With --scenario: judge only this step (its number, from 1).
    #[arg(long, value_name = "N", requires = "scenario")]
    pub step: Option<usize>,
    /// Practice: questions drawn from ORG (`acme` without one); predict each decision.
    /// In a terminal it opens the terminal UI with the practice pane; otherwise (or
    /// with --lines) it reads one answer a line from standard input: a, i or e, and
    /// for a denial the layer (scp, rcp, resource, identity, boundary, session); q
    /// stops.
    #[arg(long, value_name = "ORG", num_args = 0..=1, default_missing_value = "acme")]
    pub practice: Option<PathBuf>,
    /// Practice one answer a line on standard input, even in a terminal.
    #[arg(long, requires = "practice")]
    pub lines: bool,
    /// How many practice questions.
    #[arg(long, default_value_t = 12)]
    pub count: usize,
    /// The practice questions' seed: the same seed, the same questions.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output format of the list.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

pub fn run(args: LearnArgs) -> anyhow::Result<i32> {
    if let Some(org) = &args.practice {
        use std::io::IsTerminal as _;
        if !args.lines && std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
            let org = load_org(org)?;
            if learn::practice::questions(&org, 1, args.seed).is_empty() {
                bail!("{NO_QUESTIONS}");
            }
            crate::tui::run_practice(&org, &crate::org::Report::default(), args.count, args.seed)?;
            return Ok(0);
        }
        return practice(org, args.count, args.seed);
    }
    let lessons = lessons(args.dir.as_deref())?;
    if let Some(id) = &args.lesson
        && (args.check.is_some() || args.scenario.is_some())
    {
        if args.check.as_ref().is_some_and(|p| !p.is_empty()) {
            bail!("give --check lesson files or a lesson id, not both");
        }
        let lesson = learn::find(&lessons, id).map_err(anyhow::Error::msg)?;
        return check_one(lesson, args.scenario.as_deref(), args.step);
    }
    if let Some(path) = &args.check {
        let path = std::path::Path::new(path);
        if path.as_os_str().is_empty() {
            bail!(
                "--check needs lesson files (a file or a directory), or a lesson id: orgscope learn ID --check"
            );
        }
        // `--check ID`: a built-in (or --dir) lesson by its id.
        if !path.exists()
            && let Ok(lesson) = learn::find(&lessons, &path.to_string_lossy())
        {
            return check_one(lesson, None, None);
        }
        return check_files(path);
    }
    match &args.lesson {
        None => list(&lessons, args.format),
        Some(id) => {
            let lesson = learn::find(&lessons, id).map_err(anyhow::Error::msg)?;
            let mut progress = Progress::load();
            if args.reset {
                progress.reset(lesson.id());
                progress.save()?;
            }
            let org = lesson.load_org()?;
            lesson.check_names(&org)?;
            let player = learn::Player::new(lesson.clone(), &progress.lesson(lesson.id()));
            crate::tui::run_lesson(&org, &crate::org::Report::default(), player)?;
            Ok(0)
        }
    }
}

/// The built-in lessons, then a directory's.
fn lessons(dir: Option<&std::path::Path>) -> anyhow::Result<Vec<Lesson>> {
    let mut all = learn::builtin();
    if let Some(d) = dir {
        for l in learn::load::read_dir(d) {
            all.push(l?);
        }
    }
    Ok(all)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Row<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a str,
    minutes: u32,
    steps: usize,
    /// The step to resume at (0 when not started).
    at_step: usize,
    done: bool,
}

fn list(lessons: &[Lesson], format: ListFormat) -> anyhow::Result<i32> {
    let progress = Progress::load();
    let rows: Vec<Row<'_>> = lessons
        .iter()
        .map(|l| {
            let p = progress.lesson(l.id());
            Row {
                id: l.id(),
                title: &l.file.title,
                summary: &l.file.summary,
                minutes: l.file.minutes,
                steps: l.steps().len(),
                at_step: p.step.min(l.steps().len()),
                done: p.done,
            }
        })
        .collect();
    if format == ListFormat::Json {
        #[derive(Serialize)]
        struct Lessons<'a> {
            lessons: &'a [Row<'a>],
        }
        print_json(&Lessons { lessons: &rows }, &[])?;
        return Ok(0);
    }
    let w = rows.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in &rows {
        let state = if r.done {
            "done".to_string()
        } else if r.at_step > 0 {
            format!("step {}/{}", r.at_step + 1, r.steps)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{:<w$}  {:>3} min  {:<10}  {}: {}\n",
            r.id,
            r.minutes,
            state,
            crate::text::inert(r.title),
            crate::text::inert(r.summary),
        ));
    }
    out.push_str("\norgscope learn ID opens a lesson; orgscope learn --practice [ORG] asks questions of any organization.\n");
    print(&out)?;
    Ok(0)
}

/// Checks lesson files: every problem on standard error with its place.
fn check_files(path: &std::path::Path) -> anyhow::Result<i32> {
    let results = if path.is_dir() {
        learn::load::read_dir(path)
    } else {
        vec![learn::load::read(path)]
    };
    let mut problems = 0;
    let mut checked = 0;
    for r in results {
        let lesson = match r {
            Ok(l) => l,
            Err(e) => {
                // Errors quote the lesson's text: keep its escape sequences inert.
                eprintln!("{}", crate::text::inert(&e.to_string()));
                problems += 1;
                continue;
            }
        };
        for e in check_lesson(&lesson) {
            eprintln!("{}", crate::text::inert(&e.to_string()));
            problems += 1;
        }
        checked += 1;
    }
    print(&format!(
        "{checked} lesson(s) checked, {problems} problem(s)\n"
    ))?;
    Ok(if problems == 0 { 0 } else { 1 })
}

/// A lesson's problems once its org is loaded: names, and answers the engine gives
/// differently.
pub fn check_lesson(lesson: &Lesson) -> Vec<learn::LessonError> {
    match lesson.load_org() {
        Ok(org) => lesson.check_answers(&org),
        Err(e) => vec![e],
    }
}

/// Checks one lesson against the engine and, with a scenario, judges its change
/// steps on the organization as the scenario changes it.
fn check_one(
    lesson: &Lesson,
    scenario: Option<&std::path::Path>,
    only: Option<usize>,
) -> anyhow::Result<i32> {
    let org = lesson.load_org()?;
    let problems = lesson.check_answers(&org);
    for e in &problems {
        eprintln!("{}", crate::text::inert(&e.to_string()));
    }
    let Some(path) = scenario else {
        print(&format!(
            "1 lesson(s) checked, {} problem(s)\n",
            problems.len()
        ))?;
        return Ok(if problems.is_empty() { 0 } else { 1 });
    };
    let changes: Vec<usize> = lesson
        .steps()
        .iter()
        .enumerate()
        .filter(|(_, s)| s.kind() == learn::StepKind::Change)
        .map(|(i, _)| i)
        .collect();
    let numbers = || {
        changes
            .iter()
            .map(|i| (i + 1).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if changes.is_empty() {
        bail!("the lesson {} has no change step", lesson.id());
    }
    let judged: Vec<usize> = match only {
        Some(n) if changes.contains(&n.wrapping_sub(1)) => vec![n - 1],
        Some(n) => bail!(
            "step {n} of {} is not a change step; its change steps are: {}",
            lesson.id(),
            numbers()
        ),
        None => changes.clone(),
    };
    let file = crate::scenario::ScenarioFile::load(path).map_err(|e| anyhow::anyhow!("{e}"))?;
    let after = file.apply(&org).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut progress = Progress::load();
    let mut all_right = true;
    let mut moved = false;
    let mut out = String::new();
    for i in judged {
        let step = &lesson.steps()[i];
        match check::judge_change(&org, &after, step) {
            Judgment::Right => {
                out.push_str(&format!("step {}: right.", i + 1));
                if let Some(q) = &step.change
                    && let Ok(a) = check::answer(&after, q)
                {
                    out.push_str(&format!(" {}", a.summary(&after)));
                }
                out.push('\n');
                if !step.explain.trim().is_empty() {
                    out.push_str(&format!("{}\n", step.explain.trim()));
                }
                // The learner at this step goes on past it.
                let p = progress.lesson_mut(lesson.id());
                if p.step == i {
                    p.step = i + 1;
                    p.done = p.step >= lesson.steps().len();
                    moved = true;
                    out.push_str(&format!(
                        "progress: step {} done; `orgscope learn {}` goes on from step {}\n",
                        i + 1,
                        lesson.id(),
                        i + 2
                    ));
                }
            }
            Judgment::Wrong(why) => {
                all_right = false;
                out.push_str(&format!("step {}: not yet: {why}\n", i + 1));
            }
            Judgment::Ignored => {}
        }
    }
    print(&crate::text::inert(&out))?;
    if moved && let Err(e) = progress.save() {
        eprintln!("note: progress was not saved: {e}");
    }
    Ok(if all_right && problems.is_empty() {
        0
    } else {
        1
    })
}

const NO_QUESTIONS: &str =
    "no practice questions: the organization has no principals or no policies naming actions";

/// One practice session on standard input and output.
fn practice(org_path: &std::path::Path, count: usize, seed: u64) -> anyhow::Result<i32> {
    let org = load_org(org_path)?;
    let questions = learn::practice::questions(&org, count, seed);
    if questions.is_empty() {
        bail!("{NO_QUESTIONS}");
    }
    let mut progress = Progress::load();
    let (mut right, mut asked) = (0u32, 0u32);
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    for (n, q) in questions.iter().enumerate() {
        print(&format!(
            "\n{}. {}\n   a allowed, i implicitly denied, e explicitly denied; for a denial add the layer (e scp). q stops.\n> ",
            n + 1,
            crate::text::inert(&q.text())
        ))?;
        let Some(line) = lines.next().transpose()? else {
            break;
        };
        let line = line.trim().to_ascii_lowercase();
        if line == "q" {
            break;
        }
        let mut words = line.split_whitespace();
        let d = match words.next() {
            Some("a") => Decision::Allowed,
            Some("i") => Decision::ImplicitlyDenied,
            Some("e") => Decision::ExplicitlyDenied,
            _ => {
                print("   not an answer: skipped\n")?;
                continue;
            }
        };
        let layer = words
            .next()
            .and_then(|w| LayerKind::ALL.into_iter().find(|k| k.to_string() == w));
        asked += 1;
        let deciding: Vec<String> = check::deciding_statements(&q.answer.explanation)
            .take(2)
            .map(|s| format!("{} / {}", s.policy, s.statement))
            .collect();
        match q.judge(&org, d, layer) {
            Judgment::Right => {
                right += 1;
                print(&format!(
                    "   right: {}. {}\n",
                    decision_words(q.answer.decision),
                    crate::text::inert(&q.answer.summary)
                ))?;
            }
            Judgment::Wrong(why) => {
                print(&format!(
                    "   wrong: {}. {}\n",
                    crate::text::inert(&why),
                    crate::text::inert(&q.answer.summary)
                ))?;
            }
            Judgment::Ignored => {}
        }
        if !deciding.is_empty() {
            print(&format!(
                "   deciding: {}\n",
                crate::text::inert(&deciding.join("; "))
            ))?;
        }
    }
    progress.practice.right += right;
    progress.practice.wrong += asked - right;
    // A practice score that cannot be saved is no reason to fail the session.
    if let Err(e) = progress.save() {
        eprintln!("note: the score was not saved: {e}");
    }
    print(&format!(
        "\nscore: {right}/{asked} (all sessions: {}/{})\n",
        progress.practice.right,
        progress.practice.right + progress.practice.wrong
    ))?;
    Ok(0)
}
