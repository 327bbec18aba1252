//! Questions over the whole organization: can, who-can, what-can, assume-role paths.
//! The org only assembles requests; every decision is the engine's.

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

/// The first value of a key the request lacks that turns the decision into Allowed.
pub(crate) fn letting_in(
    req: &crate::policy::Request,
    set: &crate::engine::PolicySet,
) -> Vec<who_can::Condition> {
    crate::engine::first_allowing_value(req, set)
        .map(|(key, value)| vec![who_can::Condition { key, value }])
        .unwrap_or_default()
}
