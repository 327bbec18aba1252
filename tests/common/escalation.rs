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

/// Whether `s` is a tag step (`iam:TagRole`, `iam:UntagUser`, ...) that an edge takes
/// first to get past a tag a policy reads.
pub fn is_tag_step(s: &Step) -> bool {
    s.tag_key.is_some()
}

/// The context IAM sets on a tag step: `aws:TagKeys` and, when it adds a tag,
/// `aws:RequestTag/<key>` (IAM User Guide, "Controlling access to AWS resources
/// using tags").
pub fn tag_context(s: &Step) -> Vec<(String, Vec<String>)> {
    let key = s.tag_key.clone().expect("a tag step");
    let mut out = vec![("aws:TagKeys".to_string(), vec![key.clone()])];
    if let Some(v) = &s.tag_value {
        out.push((format!("aws:RequestTag/{key}"), vec![v.clone()]));
    }
    out
}

/// The org as the tag step `s` leaves it: the tag removed from, or set on, the user
/// or role it acts on, changed in the model directly.
pub fn retagged(org: &Org, s: &Step) -> Org {
    use orgscope::org::PrincipalIx;
    use orgscope::org::entities::Tag;
    let p = org.principal_by_arn(&s.resource).expect("a user or role");
    let key = s.tag_key.as_deref().expect("a tag step");
    let mut tags: Vec<Tag> = match p {
        PrincipalIx::User(u) => org.user(u).tags.clone(),
        PrincipalIx::Role(r) => org.role(r).tags.clone(),
    };
    tags.retain(|t| !t.key.eq_ignore_ascii_case(key));
    if let Some(v) = &s.tag_value {
        tags.push(Tag {
            key: key.into(),
            value: v.as_str().into(),
        });
    }
    org.with_tags(p, tags)
}

/// `can` allows `who` `action` on `resource` with the context `ctx`.
pub fn allowed_with(
    org: &Org,
    who: &str,
    action: &str,
    resource: &str,
    ctx: Vec<(String, Vec<String>)>,
) -> bool {
    let ask = Ask {
        action: action.to_string(),
        resource: resource.to_string(),
        context: ctx,
        ..Ask::default()
    };
    can(org, who, &ask).unwrap().decision == Decision::Allowed
}
