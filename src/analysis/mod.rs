//! Questions over the whole organization: can, who-can, what-can, assume-role paths.
//! The org only assembles requests; every decision is the engine's.

use std::sync::atomic::{AtomicUsize, Ordering};

pub mod assemble;
pub mod can;
pub mod layers;
pub mod paths;
pub mod what_can;
pub mod who_can;

pub use assemble::{Ask, Subject, principal, subject};
pub use can::{CanAnswer, can};
pub use layers::{LevelOwner, layer_label, level_owner};
pub use paths::{PathsAnswer, Reach, paths, who_reaches};
pub use what_can::{Comparison, Filter, WhatCanAnswer, compare, what_can, what_can_until};
pub use who_can::{WhoCanAnswer, who_can, who_can_until};

#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    #[error("no user or role `{0}` in the organization; give its ARN or a unique name")]
    UnknownPrincipal(String),
    #[error("`{name}` names several principals; give one of their ARNs: {}", arns.join(", "))]
    AmbiguousPrincipal { name: String, arns: Vec<String> },
    #[error("`{0}` is not a role")]
    NotARole(String),
    #[error(transparent)]
    Request(#[from] crate::policy::RequestError),
    #[error("the resource account given, {given}, is not the resource's: {how} account {actual}")]
    ResourceAccountConflict {
        given: String,
        how: &'static str,
        actual: String,
    },
    #[error(
        "KMS authorizes `{action}` on the key that `{alias}` names, not on the alias: give the key's ARN (policies can test the alias with kms:RequestAlias)"
    )]
    KmsAlias { action: String, alias: String },
    #[error(
        "`{0}` is a pattern: a request names one action, such as `s3:GetObject` (what-can --service lists a principal's actions)"
    )]
    ActionPattern(String),
    #[error("no service `{0}` in the AWS catalog; give a service prefix such as `s3` or `iam`")]
    UnknownService(String),
    #[error("cancelled")]
    Cancelled,
}

/// Asked by long questions between principals (or actions): true to stop now. The TUI
/// passes one that turns true when the user presses Esc; the CLI never stops.
pub type Stop<'a> = &'a (dyn Fn() -> bool + Sync);

/// A [`Stop`] that never stops.
pub fn never() -> bool {
    false
}

/// How a long question is watched while it runs: `stop` to give up (the TUI's Esc)
/// and `progress`, where it counts how far it is (the TUI's bar).
#[derive(Clone, Copy)]
pub struct Watch<'a> {
    pub stop: Stop<'a>,
    pub progress: Option<&'a Progress>,
}

impl Watch<'static> {
    /// Not watched: the CLI's questions.
    pub const NONE: Watch<'static> = Watch {
        stop: &never,
        progress: None,
    };
}

impl<'a> Watch<'a> {
    pub fn new(stop: Stop<'a>, progress: &'a Progress) -> Self {
        Watch {
            stop,
            progress: Some(progress),
        }
    }

    fn stopped(&self) -> bool {
        (self.stop)()
    }

    fn begin(&self, total: usize) {
        if let Some(p) = self.progress {
            p.reset();
            p.total.store(total, Ordering::Relaxed);
        }
    }

    fn advance(&self, n: usize) {
        if let Some(p) = self.progress {
            p.done.fetch_add(n, Ordering::Relaxed);
        }
    }
}

/// How much of a question is done, counted from the threads that answer it. For
/// display only: the count is approximate while it runs.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicUsize,
    total: AtomicUsize,
}

impl Progress {
    /// Back to nothing known, for the next question.
    pub fn reset(&self) {
        self.done.store(0, Ordering::Relaxed);
        self.total.store(0, Ordering::Relaxed);
    }

    /// The part done, from 0 to 1; `None` before the question knows its size.
    pub fn fraction(&self) -> Option<f64> {
        let total = self.total.load(Ordering::Relaxed);
        (total > 0).then(|| (self.done.load(Ordering::Relaxed) as f64 / total as f64).min(1.0))
    }
}

/// What may be wrong with a question that is still answered, from the AWS catalog
/// this build carries: an action it does not know (most likely a typo, which no policy
/// but a wildcard grants), or a resource unlike every resource the action acts on
/// (`s3:GetObject` on a bucket's ARN: AWS authorizes it on objects, so the answer
/// would be about a request AWS never receives).
pub fn question_notes(action: &str, resource: &str) -> Vec<String> {
    if action.contains(['*', '?']) {
        return Vec::new();
    }
    let catalog = crate::catalog::Catalog::get();
    let Some(a) = catalog.action(action) else {
        return vec![format!(
            "`{action}` is not an action in the AWS catalog orgscope carries: check its spelling"
        )];
    };
    let Some(arn) = crate::policy::Arn::parse(resource) else {
        return Vec::new();
    };
    if a.resource_types.is_empty() {
        return vec![format!(
            "`{action}` acts on no particular resource: AWS authorizes it against `*`"
        )];
    }
    let service = catalog.service_info(a.service);
    let mut types: Vec<(&str, &str)> = a
        .resource_types
        .iter()
        .filter_map(|t| {
            let def = service?.resources.iter().find(|d| d.name == t.name)?;
            Some((def.name.as_str(), def.arn.as_str()))
        })
        .collect();
    let target = crate::policy::arn::ResourceRef::Arn(&arn);
    let fits = types.is_empty()
        || types.iter().any(|(_, t)| {
            crate::policy::arn::ArnPattern::compile(&variables_as_wildcards(t), false)
                .matches(&target, &crate::policy::Context::default())
        });
    if fits {
        return Vec::new();
    }
    // The plainest form first: where the line is cut short, it is what shows.
    types.sort_by_key(|(_, t)| t.len());
    let listed: Vec<String> = types.iter().map(|(n, t)| format!("{n} ({t})")).collect();
    vec![format!(
        "`{resource}` is not a resource `{action}` acts on: {}",
        listed.join(", ")
    )]
}

/// `arn:${Partition}:s3:::${BucketName}` as the pattern `arn:*:s3:::*`.
fn variables_as_wildcards(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        out.push('*');
        rest = rest[start..]
            .find('}')
            .map_or("", |end| &rest[start + end + 1..]);
    }
    out.push_str(rest);
    out
}

/// Values of keys the request lacks that turn its `decision` into Allowed (see
/// [`crate::engine::first_allowing_context`]); empty when none does.
pub(crate) fn letting_in(
    req: &mut crate::policy::Request,
    set: &crate::engine::PolicySet,
    decision: crate::engine::Decision,
) -> Vec<who_can::Condition> {
    crate::engine::first_allowing_context(req, set, decision)
        .into_iter()
        .map(|(key, value)| who_can::Condition { key, value })
        .collect()
}
