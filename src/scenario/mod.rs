//! What if: changes laid over an immutable organization, their impact (who gains and
//! who loses what), and guardrail expectations checked on the org or a scenario.
//!
//! ```text
//! scenario file ──> Scenario (ordered changes) ──apply──> the changed Org (in memory,
//!                                                         or built anew: apply_by_reload)
//! (org, changed org, scope, actions) ──impact──> who gains / loses, by account
//! ```
//!
//! Every decision is asked of `analysis`, on the loaded org and on the changed one.

mod apply;
mod candidates;
pub mod change;
pub mod error;
pub mod expect;
pub mod file;
pub mod impact;
mod in_memory;
pub mod left_out;
mod levels;
pub mod touched;

pub use apply::{apply, apply_by_reload};
pub use candidates::forget_indexes;
pub use change::{Change, Document, OrgPolicyKind, Scenario};
pub use error::{ApplyError, Located, ScenarioError};
pub use file::{ScenarioFile, save, to_text};
pub use impact::{Impact, ImpactOptions, impact};
pub use in_memory::apply_in_memory;
