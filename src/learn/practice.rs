//! Practice: questions drawn from any organization (the learner's own too), chosen
//! so that every layer and both kinds of deny come up. The learner predicts; the
//! engine answers with the deciding statement; a score is kept.

use std::collections::{BTreeMap, BTreeSet};

use crate::analysis::{Ask, CanAnswer};
use crate::engine::Decision;
use crate::org::{Entity, Org, PrincipalIx};

use super::check::{Judgment, judge_prediction};
use super::format::LayerKind;

/// One practice question with the engine's answer (kept hidden until predicted).
#[derive(Debug, Clone)]
pub struct PracticeQuestion {
    /// The principal's short name, as the question reads.
    pub who: String,
    /// The principal's ARN: the question asked again of a changed organization names
    /// the same principal, even where its short name is no longer unique there.
    pub arn: String,
    pub action: String,
    pub resource: String,
    /// The request's region and whether it came over TLS: given, so that the answer
    /// hangs on nothing the learner is not told.
    pub region: String,
    pub tls: bool,
    pub answer: CanAnswer,
}

impl PracticeQuestion {
    /// "can WebDeployer do s3:DeleteBucket on arn:aws:s3:::acme-public-website?"
    pub fn text(&self) -> String {
        format!(
            "can {} do {} on {} (in {}, {})?",
            self.who,
            self.action,
            self.resource,
            self.region,
            if self.tls {
                "over TLS"
            } else {
                "over plain HTTP"
            }
        )
    }

    /// What decides it, by kind: (decision, deciding layer).
    pub fn key(&self) -> (Decision, Option<LayerKind>) {
        (
            self.answer.decision,
            self.answer.explanation.blocked_by.map(LayerKind::of),
        )
    }

    pub fn judge(&self, org: &Org, d: Decision, layer: Option<LayerKind>) -> Judgment {
        judge_prediction(org, &self.answer, d, layer)
    }

    /// The request the question makes.
    pub fn ask(&self) -> Ask {
        request(&self.action, &self.resource, &self.region, self.tls)
    }

    /// The engine's answer to the same question on `org` (the org it was drawn from,
    /// or that org as a what-if scenario changes it).
    pub fn answer_on(&self, org: &Org) -> Result<CanAnswer, String> {
        crate::analysis::can(org, &self.arn, &self.ask()).map_err(|e| e.to_string())
    }
}

/// The regions questions are asked in: the first most often.
const REGIONS: &[&str] = &["eu-west-1", "eu-west-1", "eu-central-1", "us-east-1"];

/// At most this many questions are put to the engine while choosing.
const BUDGET: usize = 1500;

/// Up to `n` questions from `org`, varied: one of each kind of answer (allowed, each
/// layer that denies implicitly, each that denies explicitly) in turn. The same org
/// and seed give the same questions.
pub fn questions(org: &Org, n: usize, seed: u64) -> Vec<PracticeQuestion> {
    let principals: Vec<PrincipalIx> = org
        .users()
        .iter()
        .enumerate()
        .map(|(i, _)| Entity::User(crate::org::UserIx::new(i)))
        .chain(
            org.roles()
                .iter()
                .enumerate()
                .map(|(i, _)| Entity::Role(crate::org::RoleIx::new(i))),
        )
        .filter_map(|e| match e {
            Entity::User(u) => Some(PrincipalIx::User(u)),
            Entity::Role(r) => Some(PrincipalIx::Role(r)),
            _ => None,
        })
        .collect();
    let actions = actions(org);
    if principals.is_empty() || actions.is_empty() {
        return Vec::new();
    }
    let mut rng = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = |m: usize| {
        rng = rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((rng >> 33) as usize) % m.max(1)
    };
    let mut buckets: BTreeMap<(u8, Option<LayerKind>), Vec<PracticeQuestion>> = BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    for _ in 0..BUDGET {
        let p = principals[next(principals.len())];
        let action = &actions[next(actions.len())];
        let resources = resources_for(org, action, org.principal_account(p));
        if resources.is_empty() {
            continue;
        }
        let resource = resources[next(resources.len())].clone();
        // Mostly the usual request; now and then one from elsewhere, or in clear.
        let region = REGIONS[next(REGIONS.len())].to_string();
        let tls = next(4) != 0;
        if !seen.insert((p, action.clone(), resource.clone(), region.clone(), tls)) {
            continue;
        }
        let arn = org.principal_arn(p).to_string();
        let ask = request(action, &resource, &region, tls);
        let Ok(answer) = crate::analysis::can(org, &arn, &ask) else {
            continue;
        };
        // Questions whose answer hangs on context not given would be guesses.
        if !answer.depends_on.is_empty() {
            continue;
        }
        let q = PracticeQuestion {
            who: short_name(org, p),
            arn,
            action: action.clone(),
            resource,
            region,
            tls,
            answer,
        };
        let (d, l) = q.key();
        let b = buckets.entry((d as u8, l)).or_default();
        if b.len() < n {
            b.push(q);
        }
    }
    // In turn from each kind of answer.
    let mut out = Vec::new();
    let mut lists: Vec<std::vec::IntoIter<PracticeQuestion>> =
        buckets.into_values().map(Vec::into_iter).collect();
    while out.len() < n {
        let before = out.len();
        for l in &mut lists {
            if out.len() < n
                && let Some(q) = l.next()
            {
                out.push(q);
            }
        }
        if out.len() == before {
            break;
        }
    }
    out
}

/// A question's request: its region and TLS given as context.
fn request(action: &str, resource: &str, region: &str, tls: bool) -> Ask {
    Ask {
        action: action.to_string(),
        resource: resource.to_string(),
        context: vec![
            ("aws:RequestedRegion".to_string(), vec![region.to_string()]),
            ("aws:SecureTransport".to_string(), vec![tls.to_string()]),
        ],
        ..Ask::default()
    }
}

/// A principal's name where it is unique in the org, else its ARN.
fn short_name(org: &Org, p: PrincipalIx) -> String {
    let e: Entity = p.into();
    let name = org.name(e);
    match org.by_name(name) {
        crate::org::NameLookup::Unique(_) => name.to_string(),
        _ => org.principal_arn(p).to_string(),
    }
}

/// Every action the org's policies name without a wildcard, sorted.
fn actions(org: &Org) -> Vec<String> {
    let mut set = BTreeSet::new();
    // The org's own documents: AWS managed policies name thousands of actions that
    // would crowd out the ones the org's guardrails and grants are about.
    let own = org
        .policies()
        .iter()
        .enumerate()
        .filter(|(_, p)| !matches!(p.origin, crate::org::PolicyOrigin::AwsManaged))
        .map(|(i, _)| org.doc(crate::org::PolicyIx::new(i)));
    for d in own {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&d.text) else {
            continue;
        };
        let statements = match &v["Statement"] {
            serde_json::Value::Array(a) => a.clone(),
            s @ serde_json::Value::Object(_) => vec![s.clone()],
            _ => Vec::new(),
        };
        for s in statements {
            let acts = match &s["Action"] {
                serde_json::Value::String(a) => vec![a.clone()],
                serde_json::Value::Array(a) => a
                    .iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect(),
                _ => Vec::new(),
            };
            for a in acts {
                if a.contains(':') && !a.contains(['*', '?']) {
                    set.insert(a);
                }
            }
        }
    }
    set.into_iter().collect()
}

/// Resources of the org an action may act on: the org's resources of its service
/// (objects inside buckets for S3 object actions), else `*`.
fn resources_for(org: &Org, action: &str, account: crate::org::AccountIx) -> Vec<String> {
    let service = action.split(':').next().unwrap_or("").to_ascii_lowercase();
    let object = service == "s3" && action.to_ascii_lowercase().contains("object");
    let mut v: Vec<String> = org
        .resources()
        .iter()
        .filter(|r| r.arn.split(':').nth(2) == Some(service.as_str()))
        .map(|r| {
            if object {
                format!("{}/report.csv", r.arn)
            } else {
                r.arn.to_string()
            }
        })
        .collect();
    // A role is what sts:AssumeRole and iam:PassRole act on.
    let lower = action.to_ascii_lowercase();
    if lower == "sts:assumerole" {
        v.extend(org.roles().iter().map(|r| r.arn.to_string()));
    }
    // A role is passed to a service of its own account.
    if lower == "iam:passrole" {
        v.extend(
            org.roles()
                .iter()
                .filter(|r| r.account == account)
                .map(|r| r.arn.to_string()),
        );
    }
    let types: Vec<String> = crate::catalog::Catalog::get()
        .action(action)
        .map(|a| a.resource_types.iter().map(|t| t.name.clone()).collect())
        .unwrap_or_default();
    // IAM actions on users and roles (iam:CreateAccessKey, iam:AttachRolePolicy):
    // the org's own, where no other resource was found.
    if v.is_empty() && service == "iam" {
        if types.iter().any(|t| t == "user") {
            v.extend(org.users().iter().map(|u| u.arn.to_string()));
        }
        if types.iter().any(|t| t == "role") {
            v.extend(org.roles().iter().map(|r| r.arn.to_string()));
        }
    }
    // `*` is a resource only for an action that acts on no resource type; for the
    // others it would be a pattern, allowed on some resources and denied on others,
    // which one decision cannot say: no question then.
    if v.is_empty() && types.is_empty() {
        v.push("*".to_string());
    }
    v
}
