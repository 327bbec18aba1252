//! Whether an account's SCP (or RCP) levels before and after a change decide an action
//! alike, read from the org policies alone: a move to another depth, or a policy added
//! at a level, changes nothing for an action that every level allows the same way.
//!
//! The rules (Organizations User Guide, "SCP evaluation" and "RCP evaluation"): a
//! request is allowed by the SCPs only when no statement of any level denies it and
//! every level has an Allow statement that applies; RCPs only deny. So what the levels
//! do to one action depends only on the statements matching that action, level by
//! level, and a level whose matching statements are all unconditional Allows on `*`
//! (FullAWSAccess, RCPFullAWSAccess) allows every request for the action: dropping it
//! leaves the decision as it was, and it holds no condition key, so the keys and values
//! tried for a conditional answer (src/engine/depends.rs) are not changed either.
//!
//! Two sequences of levels decide an action alike when, with those levels dropped, the
//! matching statements are the same, level by level, in the same order. Anything else
//! (a statement that differs in a condition, a resource, a `Sid`) counts as a
//! difference: the action is asked.

use std::sync::Arc;

use crate::policy::{Effect, Policy, Request, Statement};

/// An account's levels, each the compiled policies attached at that node.
pub type Levels = Vec<Vec<Arc<Policy>>>;

/// An account's levels before and after the scenario.
pub type LevelPair = (Levels, Levels);

/// An unconditional Allow on every resource: a level it applies to allows the action.
fn plain(s: &Statement) -> bool {
    s.effect == Effect::Allow
        && s.conditions.is_empty()
        && matches!(s.resource_patterns(), Some((false, [only])) if only == "*")
}

/// The statements matching the action, level by level, levels that allow it outright
/// left out.
fn signature<'p>(levels: &'p Levels, probe: &Request) -> Vec<Vec<&'p Statement>> {
    levels
        .iter()
        .filter_map(|level| {
            let matching: Vec<&Statement> = level
                .iter()
                .flat_map(|p| p.statements())
                .filter(|s| s.covers_action(probe))
                .collect();
            let allows_outright = !matching.is_empty() && matching.iter().all(|s| plain(s));
            (!allows_outright).then_some(matching)
        })
        .collect()
}

/// Whether the levels before and after decide every request for the probe's action
/// alike. Levels that are there on one side only (an account that becomes governed,
/// or stops being) never do.
pub fn decide_alike(pair: &LevelPair, probe: &Request) -> bool {
    let (before, after) = pair;
    before.is_empty() == after.is_empty() && signature(before, probe) == signature(after, probe)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Decision, PolicySet, evaluate};
    use crate::policy::{Context, PolicyKind};

    fn scp(name: &str, text: &str) -> Arc<Policy> {
        Arc::new(Policy::parse(PolicyKind::Scp, name, text).unwrap())
    }

    fn full() -> Arc<Policy> {
        scp(
            "FullAWSAccess",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        )
    }

    fn deny(action: &str) -> Arc<Policy> {
        scp(
            "Deny",
            &format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","Action":"{action}","Resource":"*"}}]}}"#
            ),
        )
    }

    fn only(action: &str) -> Arc<Policy> {
        scp(
            "Only",
            &format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{action}","Resource":"*","Condition":{{"StringEquals":{{"aws:RequestedRegion":"eu-west-1"}}}}}}]}}"#
            ),
        )
    }

    fn probe(action: &str) -> Request {
        Request::new("anonymous", action, "*", None, Context::default()).unwrap()
    }

    /// The engine's decision for a user of account 111122223333 under these levels.
    fn decision(levels: &Levels, action: &str, region: Option<&str>) -> Decision {
        let mut ctx = Context::default();
        if let Some(r) = region {
            ctx.insert_default("aws:RequestedRegion", r);
        }
        let req = Request::new(
            "arn:aws:iam::111122223333:user/u",
            action,
            "arn:aws:s3:::b/k",
            Some("111122223333"),
            ctx,
        )
        .unwrap();
        let admin = Policy::parse(
            PolicyKind::Identity,
            "Admin",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        )
        .unwrap();
        let scps: Vec<Vec<&Policy>> = levels
            .iter()
            .map(|l| l.iter().map(|p| &**p).collect())
            .collect();
        let set = PolicySet {
            identity: vec![&admin],
            scps: scps.into(),
            ..PolicySet::default()
        };
        evaluate(&req, &set)
    }

    /// A move from depth 2 to depth 3 under FullAWSAccess everywhere decides nothing
    /// differently (every level allows every action outright); a level added that holds
    /// a Deny, or an allow-list level, does (Organizations User Guide, "SCP evaluation":
    /// each level must allow, any Deny denies).
    #[test]
    fn levels_that_allow_outright_are_left_out_and_nothing_else_is() {
        let two: Levels = vec![vec![full()], vec![full()], vec![full()]];
        let three: Levels = vec![vec![full()], vec![full()], vec![full()], vec![full()]];
        let with_deny: Levels = vec![vec![full()], vec![full(), deny("s3:*")], vec![full()]];
        let allow_list: Levels = vec![vec![full()], vec![only("s3:*")], vec![full()]];
        for action in ["s3:PutObject", "ec2:RunInstances"] {
            let p = probe(action);
            assert!(decide_alike(&(two.clone(), three.clone()), &p), "{action}");
            assert_eq!(decision(&two, action, None), decision(&three, action, None));
        }
        // The Deny matches S3 only: other actions are decided alike, and they are.
        let pair = (two.clone(), with_deny.clone());
        assert!(!decide_alike(&pair, &probe("s3:PutObject")));
        assert_ne!(
            decision(&two, "s3:PutObject", None),
            decision(&with_deny, "s3:PutObject", None)
        );
        assert!(decide_alike(&pair, &probe("ec2:RunInstances")));
        // The allow-list level: EC2 now has no Allow there, S3 a conditional one.
        let pair = (two.clone(), allow_list.clone());
        for action in ["s3:PutObject", "ec2:RunInstances"] {
            assert!(!decide_alike(&pair, &probe(action)), "{action}");
            assert_eq!(decision(&two, action, None), Decision::Allowed);
            assert_ne!(decision(&allow_list, action, None), Decision::Allowed);
        }
        assert_eq!(
            decision(&allow_list, "s3:PutObject", Some("eu-west-1")),
            Decision::Allowed
        );
        // Governed on one side only: never alike.
        assert!(!decide_alike(&(Vec::new(), two), &probe("s3:PutObject")));
    }

    /// A level whose matching statements include a conditional Allow beside
    /// FullAWSAccess is kept: its condition keys are tried for a conditional answer.
    #[test]
    fn a_level_with_a_condition_is_kept_even_beside_full_access() {
        let plain: Levels = vec![vec![full()], vec![full()]];
        let mixed: Levels = vec![vec![full()], vec![full(), only("s3:*")]];
        assert!(!decide_alike(
            &(plain.clone(), mixed.clone()),
            &probe("s3:PutObject")
        ));
        assert!(decide_alike(&(plain, mixed), &probe("ec2:RunInstances")));
    }
}
