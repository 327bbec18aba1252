//! What the escalation tests share: the fixtures of one account, `paths` from a
//! principal, and each step of a technique checked with `can`, the engine's one place
//! of decision.
#![allow(dead_code)]

use orgscope::analysis::assemble::Ask;
use orgscope::analysis::can::can;
use orgscope::analysis::paths::Step;
use orgscope::analysis::{self, PathsAnswer, Reach};
use orgscope::engine::Decision;
use orgscope::org::Org;

/// The one account of the escalation fixtures under `tests/paths/`.
pub const ACCOUNT: &str = "111111111111";

/// The org in `rel`, a path from the crate's root.
pub fn load(rel: &str) -> Org {
    orgscope::org::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

/// An IAM ARN of [`ACCOUNT`]: `kind` is `user`, `role`, `policy`, ...
pub fn arn(kind: &str, name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:{kind}/{name}")
}

/// `paths --from` the principal `from`, with no context.
pub fn paths(org: &Org, from: &str) -> PathsAnswer {
    analysis::paths(org, from, None, &[]).unwrap()
}

/// The reach of `role` (or user) in the answer.
pub fn reach<'a>(a: &'a PathsAnswer, role: &str) -> Option<&'a Reach> {
    a.reachable.iter().find(|r| r.role == role)
}

/// `can` allows `who` `action` on `resource`, with `extra` context.
pub fn allowed(org: &Org, who: &str, action: &str, resource: &str, extra: &[(&str, &str)]) -> bool {
    let ask = Ask {
        action: action.to_string(),
        resource: resource.to_string(),
        context: extra
            .iter()
            .map(|(k, v)| (k.to_string(), vec![v.to_string()]))
            .collect(),
        ..Ask::default()
    };
    can(org, who, &ask).unwrap().decision == Decision::Allowed
}

/// `can` allows `who` `action` on `resource` with `extra` context.
#[track_caller]
pub fn assert_allowed(org: &Org, who: &str, action: &str, resource: &str, extra: &[(&str, &str)]) {
    assert!(
        allowed(org, who, action, resource, extra),
        "{who} is not allowed {action} on {resource} with {extra:?}"
    );
}

/// `can` does not allow `who` `action` on `resource` with `extra` context.
#[track_caller]
pub fn assert_denied(org: &Org, who: &str, action: &str, resource: &str, extra: &[(&str, &str)]) {
    assert!(
        !allowed(org, who, action, resource, extra),
        "{who} is allowed {action} on {resource} with {extra:?}"
    );
}

/// Every one of `steps` is allowed to `who` by `can` on its exact resource, with no
/// context (the steps that set none).
#[track_caller]
pub fn assert_steps_allowed(org: &Org, who: &str, steps: &[Step]) {
    for s in steps {
        assert!(allowed(org, who, &s.action, &s.resource, &[]), "{s:?}");
    }
}
