//! Reading lessons: the built-in ones (assets/lessons, compiled in) and a team's own
//! files. A lesson is checked when read: its shape (one thing to do per step, the
//! fields that thing needs) and, once its organization is loaded, every name it
//! uses. Errors name the file, the step and its line.

use std::path::{Path, PathBuf};

use super::format::{Expect, LessonFile, Question, QuestionKind, Step, StepKind};
use crate::engine::Decision;
use crate::org::{NameLookup, Org};

/// A problem with a lesson file, with its place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct LessonError {
    pub file: String,
    /// 1-based; 0 where the problem has no line.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// A lesson read and checked for shape.
#[derive(Debug, Clone)]
pub struct Lesson {
    pub file: LessonFile,
    /// Where it was read from: a path, or `builtin:NAME.toml`.
    pub source: String,
    /// The directory an org path is relative to (none for built-in lessons).
    pub dir: Option<PathBuf>,
    /// The line of each `[[step]]`, for errors found later.
    pub step_lines: Vec<usize>,
}

/// The lessons shipped with orgscope, in teaching order.
const BUILTIN: &[(&str, &str)] = &[
    (
        "shared-responsibility.toml",
        include_str!("../../assets/lessons/shared-responsibility.toml"),
    ),
    (
        "root-user.toml",
        include_str!("../../assets/lessons/root-user.toml"),
    ),
    (
        "users-groups-policies.toml",
        include_str!("../../assets/lessons/users-groups-policies.toml"),
    ),
    (
        "least-privilege.toml",
        include_str!("../../assets/lessons/least-privilege.toml"),
    ),
    (
        "explicit-deny.toml",
        include_str!("../../assets/lessons/explicit-deny.toml"),
    ),
    (
        "roles.toml",
        include_str!("../../assets/lessons/roles.toml"),
    ),
    (
        "cross-account.toml",
        include_str!("../../assets/lessons/cross-account.toml"),
    ),
    (
        "permission-boundaries.toml",
        include_str!("../../assets/lessons/permission-boundaries.toml"),
    ),
    (
        "scp-inheritance.toml",
        include_str!("../../assets/lessons/scp-inheritance.toml"),
    ),
    (
        "resource-policies.toml",
        include_str!("../../assets/lessons/resource-policies.toml"),
    ),
    (
        "rcp-perimeter.toml",
        include_str!("../../assets/lessons/rcp-perimeter.toml"),
    ),
    (
        "kms-key-policies.toml",
        include_str!("../../assets/lessons/kms-key-policies.toml"),
    ),
];

/// The organizations built-in lessons are written on, besides acme: compiled in, so
/// that the lessons work wherever the binary is.
const BUILTIN_ORGS: &[(&str, &str)] = &[(
    "first-steps.json",
    include_str!("../../sample-orgs/lessons/first-steps.json"),
)];

/// Every built-in lesson. INVARIANT: they parse and check clean (tests/learn_lessons.rs).
pub fn builtin() -> Vec<Lesson> {
    BUILTIN
        .iter()
        .map(|(name, text)| {
            parse(&format!("builtin:{name}"), text, None)
                .unwrap_or_else(|e| panic!("a built-in lesson is broken: {e}"))
        })
        .collect()
}

/// A lesson file from disk.
pub fn read(path: &Path) -> Result<Lesson, LessonError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| LessonError {
        file: file.clone(),
        line: 0,
        column: 0,
        message: format!("cannot read the lesson: {e}"),
    })?;
    parse(&file, &text, path.parent().map(Path::to_path_buf))
}

/// Every `*.toml` lesson of a directory, sorted by file name; each error on its own.
pub fn read_dir(dir: &Path) -> Vec<Result<Lesson, LessonError>> {
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect(),
        Err(e) => {
            return vec![Err(LessonError {
                file: dir.display().to_string(),
                line: 0,
                column: 0,
                message: format!("cannot read the lesson directory: {e}"),
            })];
        }
    };
    paths.sort();
    paths.iter().map(|p| read(p)).collect()
}

/// Parses a lesson's text and checks its shape.
pub fn parse(file: &str, text: &str, dir: Option<PathBuf>) -> Result<Lesson, LessonError> {
    let lf: LessonFile = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
        LessonError {
            file: file.to_string(),
            line,
            column,
            message: e.message().to_string(),
        }
    })?;
    let step_lines = step_lines(text);
    let lesson = Lesson {
        file: lf,
        source: file.to_string(),
        dir,
        step_lines,
    };
    lesson.check_shape()?;
    Ok(lesson)
}

fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn step_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("[[step]]"))
        .map(|(i, _)| i + 1)
        .collect()
}

impl Lesson {
    pub fn id(&self) -> &str {
        &self.file.id
    }

    pub fn steps(&self) -> &[Step] {
        &self.file.steps
    }

    /// An error about step `i` (0-based), at its line.
    pub fn error(&self, step: Option<usize>, message: impl Into<String>) -> LessonError {
        let message = message.into();
        LessonError {
            file: self.source.clone(),
            line: step
                .and_then(|i| self.step_lines.get(i).copied())
                .unwrap_or(0),
            column: if step.is_some() { 1 } else { 0 },
            message: match step {
                Some(i) => format!("step {}: {message}", i + 1),
                None => message,
            },
        }
    }

    fn check_shape(&self) -> Result<(), LessonError> {
        let f = &self.file;
        if f.id.is_empty() || !f.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(self.error(
                None,
                format!("id `{}` must be letters, digits and `-`", f.id),
            ));
        }
        if f.steps.is_empty() {
            return Err(self.error(None, "a lesson needs at least one [[step]]"));
        }
        for (i, s) in f.steps.iter().enumerate() {
            let set = [
                s.select.is_some(),
                s.ask.is_some(),
                s.predict.is_some(),
                s.change.is_some(),
            ]
            .iter()
            .filter(|&&b| b)
            .count();
            if set > 1 {
                return Err(self.error(
                    Some(i),
                    "give one of `select`, `ask`, `predict` and `change`, not several",
                ));
            }
            if s.say.trim().is_empty() {
                return Err(self.error(Some(i), "`say` is empty: tell the learner what to do"));
            }
            match (s.kind(), &s.expect) {
                (StepKind::Read | StepKind::Select, Some(_)) => {
                    return Err(self.error(
                        Some(i),
                        "`expect` belongs to an `ask`, `predict` or `change` step",
                    ));
                }
                (StepKind::Ask | StepKind::Predict | StepKind::Change, None) => {
                    return Err(self.error(
                        Some(i),
                        "an `ask`, `predict` or `change` step needs `expect`: the answer the engine gives",
                    ));
                }
                _ => {}
            }
            if s.kind() != StepKind::Change && (!s.keep.is_empty() || !s.solution.is_empty()) {
                return Err(self.error(Some(i), "`keep` and `solution` belong to a `change` step"));
            }
            if s.kind() == StepKind::Change {
                if s.solution.is_empty() {
                    return Err(self.error(
                        Some(i),
                        "a `change` step needs `solution`: one change that does it, as a scenario's `changes`",
                    ));
                }
                super::check::solution(s)
                    .map_err(|e| self.error(Some(i), format!("`solution`: {e}")))?;
                if s.expect.as_ref().is_some_and(|e| e.statement.is_some()) {
                    return Err(self.error(
                        Some(i),
                        "a `change` step cannot name the deciding statement: any change that gives the answer counts",
                    ));
                }
                for g in &s.keep {
                    self.check_question(i, &g.ask, &g.expect, false)
                        .map_err(|m| self.error(Some(i), format!("in `keep`: {m}")))?;
                }
            }
            let Some(q) = s.question() else { continue };
            let e = s.expect.clone().unwrap_or_default();
            self.check_question(i, q, &e, s.predict.is_some())
                .map_err(|m| self.error(Some(i), m))?;
        }
        Ok(())
    }

    /// A question and its stated answer have the fields their kind takes.
    fn check_question(
        &self,
        _step: usize,
        q: &Question,
        e: &Expect,
        predict: bool,
    ) -> Result<(), String> {
        let kind = q.kind.name();
        let request = !q.action.is_empty() || !q.resource.is_empty();
        match q.kind {
            QuestionKind::Can | QuestionKind::WhoCan
                if q.action.is_empty() || q.resource.is_empty() =>
            {
                return Err(format!("a `{kind}` question needs `action` and `resource`"));
            }
            QuestionKind::WhatCan | QuestionKind::Paths if request => {
                return Err(format!(
                    "a `{kind}` question takes `who` (and `context`), not `action` or `resource`"
                ));
            }
            _ => {}
        }
        if predict && q.kind != QuestionKind::Can {
            return Err("a prediction is of a `can` question's decision".to_string());
        }
        match q.kind {
            QuestionKind::Can => {
                if q.who.is_none() {
                    return Err("a `can` question needs `who`".to_string());
                }
                let Some(d) = e.decision else {
                    return Err("`expect.decision` is missing".to_string());
                };
                if d.0 == Decision::Allowed && e.layer.is_some() {
                    return Err(
                        "`expect.layer` names the layer that denies; an allowed request has none"
                            .to_string(),
                    );
                }
                if !e.includes.is_empty() || !e.excludes.is_empty() {
                    return Err(
                        "`includes` and `excludes` belong to `who-can`, `what-can` and `paths` questions"
                            .to_string(),
                    );
                }
            }
            QuestionKind::WhoCan | QuestionKind::WhatCan | QuestionKind::Paths => {
                match (q.kind, &q.who) {
                    (QuestionKind::WhoCan, Some(_)) => {
                        return Err("a `who-can` question has no `who`".to_string());
                    }
                    (QuestionKind::WhatCan | QuestionKind::Paths, None) => {
                        return Err(format!("a `{kind}` question needs `who`"));
                    }
                    _ => {}
                }
                if e.decision.is_some() || e.layer.is_some() || e.statement.is_some() {
                    return Err(format!(
                        "a `{kind}` question expects `includes` and `excludes`"
                    ));
                }
                if e.includes.is_empty() && e.excludes.is_empty() {
                    return Err(format!(
                        "a `{kind}` question needs `expect.includes` or `expect.excludes`"
                    ));
                }
            }
        }
        Ok(())
    }

    /// Which organization the lesson is written on: `acme`, `builtin:NAME` or the
    /// org file's path. Two lessons with the same key share their organization.
    pub fn org_key(&self) -> String {
        if self.file.org == "acme" {
            return "acme".to_string();
        }
        match &self.dir {
            None if BUILTIN_ORGS.iter().any(|(n, _)| *n == self.file.org) => {
                format!("builtin:{}", self.file.org)
            }
            Some(d) => {
                let p = d.join(&self.file.org);
                std::fs::canonicalize(&p).unwrap_or(p).display().to_string()
            }
            None => self.file.org.clone(),
        }
    }

    /// Loads the lesson's organization.
    pub fn load_org(&self) -> Result<Org, LessonError> {
        if self.file.org == "acme" {
            return Ok(crate::org::load_builtin_acme());
        }
        if self.dir.is_none()
            && let Some((name, text)) = BUILTIN_ORGS.iter().find(|(n, _)| *n == self.file.org)
        {
            let (org, report) = crate::org::load_str(format!("sample-orgs/lessons/{name}"), text);
            return org.ok_or_else(|| {
                self.error(
                    None,
                    format!("the lesson's org `{name}` has errors:\n{report}"),
                )
            });
        }
        let path = match &self.dir {
            Some(d) => d.join(&self.file.org),
            None => PathBuf::from(&self.file.org),
        };
        crate::org::load(&path).map_err(|e| {
            self.error(
                None,
                format!("cannot load the lesson's org `{}`: {e}", self.file.org),
            )
        })
    }

    /// Checks that every name the lesson uses names one thing in `org` (and every
    /// action pattern a what-can answer is held to, an action of the catalog).
    pub fn check_names(&self, org: &Org) -> Result<(), LessonError> {
        for (i, s) in self.file.steps.iter().enumerate() {
            if let Some(n) = &s.select {
                resolve_node(org, n).map_err(|m| self.error(Some(i), m))?;
            }
            let guards = s.keep.iter().map(|g| (&g.ask, Some(&g.expect)));
            for (q, e) in s
                .question()
                .map(|q| (q, s.expect.as_ref()))
                .into_iter()
                .chain(guards)
            {
                question_names(org, q, e).map_err(|m| self.error(Some(i), m))?;
            }
        }
        Ok(())
    }

    /// Every stated answer asked of the engine on `org` (names checked first): each
    /// question's answer is the one stated; a `change` step's question does not have
    /// it yet, its guards hold, and its own solution applies and does it. The steps
    /// after a change step are also asked of the org as the solutions so far change
    /// it: the app keeps the learner's change, and answers for the org it shows.
    pub fn check_answers(&self, org: &Org) -> Vec<LessonError> {
        if let Err(e) = self.check_names(org) {
            return vec![e];
        }
        let mut out = Vec::new();
        // The solutions of the change steps so far, and the org they make.
        let mut solved = crate::scenario::Scenario::default();
        let mut changed: Option<(usize, Org)> = None;
        for (i, step) in self.steps().iter().enumerate() {
            let (Some(q), Some(e)) = (step.question(), &step.expect) else {
                continue;
            };
            let result = if step.kind() == StepKind::Change {
                check_change(org, step, q, e)
            } else {
                super::check::holds(org, q, e).and_then(|()| match &changed {
                    Some((at, after)) => super::check::holds(after, q, e).map_err(|why| {
                        format!(
                            "asked after step {}'s change (its solution applied, as the app keeps it): {why}",
                            at + 1
                        )
                    }),
                    None => Ok(()),
                })
            };
            if let Err(why) = result {
                out.push(self.error(Some(i), why));
            }
            if step.kind() == StepKind::Change
                && let Ok(s) = super::check::solution(step)
            {
                solved.changes.extend(s.changes);
                changed = crate::scenario::apply(org, &solved).ok().map(|o| (i, o));
            }
        }
        out
    }
}

/// A change step can be done, and is not done before it starts.
fn check_change(org: &Org, step: &Step, q: &Question, e: &Expect) -> Result<(), String> {
    use super::check::{self, Judgment};
    if check::holds(org, q, e).is_ok() {
        return Err(format!(
            "{} already has the stated answer before any change",
            check::question_words(q)
        ));
    }
    for g in &step.keep {
        check::holds(org, &g.ask, &g.expect)
            .map_err(|why| format!("a guard does not hold before the change: {why}"))?;
    }
    let scenario = check::solution(step).map_err(|e| format!("the solution: {e}"))?;
    let after = crate::scenario::apply(org, &scenario)
        .map_err(|e| format!("the solution does not apply: {e}"))?;
    match check::judge_change(org, &after, step) {
        Judgment::Wrong(why) => Err(format!("the solution does not do it: {why}")),
        _ => Ok(()),
    }
}

/// The names a question and its stated answer use, each looked up in `org`.
fn question_names(org: &Org, q: &Question, e: Option<&Expect>) -> Result<(), String> {
    // A `can` question may name a caller outside the organization by its ARN: the
    // engine answers for it (its own account's policies assumed to allow).
    if let Some(w) = &q.who
        && !(q.kind == QuestionKind::Can && w.starts_with("arn:"))
    {
        crate::analysis::subject(org, w).map_err(|e| e.to_string())?;
    }
    let Some(e) = e else { return Ok(()) };
    for p in e.includes.iter().chain(&e.excludes) {
        if q.kind == QuestionKind::WhatCan {
            if crate::catalog::Catalog::get().expand(p).is_empty() {
                return Err(format!("`{p}` covers no action of the AWS catalog"));
            }
        } else {
            crate::analysis::subject(org, p).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// A node named by a lesson: an ARN, or a unique name or id.
pub fn resolve_node(org: &Org, text: &str) -> Result<crate::org::Entity, String> {
    if text == "Root" || text == &*org.root().id {
        return Ok(crate::org::Entity::Root);
    }
    if text.starts_with("arn:") {
        return org
            .by_arn(text)
            .ok_or_else(|| format!("no node has the ARN `{text}`"));
    }
    match org.by_name(text) {
        NameLookup::Unique(e) => Ok(e),
        NameLookup::NotFound => Err(format!("no node is named `{text}`")),
        NameLookup::Ambiguous(hits) => {
            Err(format!("`{text}` names {} nodes; give an ARN", hits.len()))
        }
    }
}
