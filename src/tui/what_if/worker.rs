//! The what-if worker: lays the scenario over the org (seconds on a large org) and
//! computes the diff off the UI thread. A diff whose scenario has changed since is
//! cancelled through its [`Progress`] and its result dropped.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};

use super::Shared;
use super::diff::{DiffView, rows};
use crate::catalog::AccessLevel;
use crate::org::Org;
use crate::scenario::expect::{self, Expectation};
use crate::scenario::impact::{ImpactOptions, Progress, impact};
use crate::scenario::left_out;
use crate::scenario::{Scenario, apply};
use crate::tui::app::Msg;

/// Work for the worker, numbered like the query worker's questions.
#[derive(Debug, Clone)]
pub enum Job {
    /// The org as this scenario changes it.
    Apply {
        id: u64,
        scenario: Scenario,
    },
    Diff(DiffJob),
}

#[derive(Debug, Clone)]
pub struct DiffJob {
    pub id: u64,
    pub after: Arc<Org>,
    pub changes: Vec<String>,
    pub scope: Vec<String>,
    pub progress: Arc<Progress>,
    pub expectations: Arc<Vec<Expectation>>,
    /// The access levels asked; `None`: the default Write and Permissions
    /// management.
    pub levels: Option<Vec<AccessLevel>>,
    /// Actions or patterns asked instead of the default set (every level of them).
    pub actions: Option<Vec<String>>,
}

/// The changed org, or why the scenario does not apply (the domain's own words).
pub fn applied(org: &Org, scenario: &Scenario) -> Result<Arc<Org>, String> {
    apply(org, scenario)
        .map(Arc::new)
        .map_err(|e| e.to_string())
}

/// The diff and the expectations it breaks, as rows.
pub fn diffed(before: &Org, job: &DiffJob) -> Result<DiffView, String> {
    let options = ImpactOptions {
        scope: job.scope.clone(),
        progress: Some(job.progress.clone()),
        levels: job.levels.clone(),
        actions: job.actions.clone(),
        ..ImpactOptions::default()
    };
    let i = impact(before, &job.after, &job.changes, &options).map_err(|e| e.to_string())?;
    let mut view = if job.expectations.is_empty() {
        rows(&i, None)
    } else {
        let was = expect::check(before, &job.expectations).map_err(|e| e.to_string())?;
        let now = expect::check(&job.after, &job.expectations).map_err(|e| e.to_string())?;
        rows(&i, Some((&was, &now)))
    };
    // What the default levels leave out is said, never read as "no change".
    let levels = job.levels.as_deref().map(levels_asked);
    let asked = match (&job.actions, levels) {
        (Some(actions), levels) => Some(format!(
            "asked for {}{} (:what-if alone: the default set)",
            actions.join(", "),
            levels.map_or_else(String::new, |l| format!(", {l}"))
        )),
        (None, Some(levels)) => Some(format!("{levels} (v picks others)")),
        (None, None) => left_out::note(&left_out::left_out_by_level(before, &job.after), "v asks"),
    };
    if let Some(text) = asked {
        view.note(&text);
    }
    Ok(view)
}

/// The levels asked, in words: `levels asked: List, Read`.
pub fn levels_asked(levels: &[AccessLevel]) -> String {
    if AccessLevel::ALL.iter().all(|l| levels.contains(l)) {
        return "every access level asked".into();
    }
    let names: Vec<&str> = levels.iter().map(|l| l.as_str()).collect();
    format!("levels asked: {}", names.join(", "))
}

/// Serves jobs until the app drops its end of `jobs`. Of several applies queued,
/// only the latest runs; a cancelled diff is skipped.
pub fn serve(org: &Org, jobs: Receiver<Job>, out: Sender<Msg>) {
    while let Ok(first) = jobs.recv() {
        let mut queued = vec![first];
        while let Ok(j) = jobs.try_recv() {
            queued.push(j);
        }
        let last_apply = queued.iter().rposition(|j| matches!(j, Job::Apply { .. }));
        for (i, job) in queued.into_iter().enumerate() {
            let msg = match job {
                Job::Apply { id, scenario } => {
                    if Some(i) != last_apply {
                        continue;
                    }
                    Msg::Applied(id, Shared(Arc::new(applied(org, &scenario))))
                }
                Job::Diff(d) => {
                    if d.progress.is_cancelled() {
                        continue;
                    }
                    let result = diffed(org, &d);
                    if d.progress.is_cancelled() {
                        continue;
                    }
                    Msg::Diffed(d.id, Shared(Arc::new(result)))
                }
            };
            if out.send(msg).is_err() {
                return;
            }
        }
    }
}
