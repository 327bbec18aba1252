//! Decisions and their explanations.
//!
//! The engine reports what it saw through a [`Recorder`]. The fast path uses
//! [`NoRecord`], which compiles to nothing; [`Explanation`] collects every layer's
//! outcome and the statements that matched.

use std::fmt;

use serde::Serialize;

use super::AwsRule;
use crate::policy::{Effect, Policy, Request, Statement};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Decision {
    Allowed,
    ImplicitlyDenied,
    ExplicitlyDenied,
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Decision::Allowed => "Allowed",
            Decision::ImplicitlyDenied => "ImplicitlyDenied",
            Decision::ExplicitlyDenied => "ExplicitlyDenied",
        })
    }
}

/// A policy type in the evaluation, in the order AWS documents them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layer {
    /// A rule AWS applies whatever the policies say: a thing AWS owns, or S3 Block
    /// Public Access.
    Aws(AwsRule),
    /// An RCP level: 0 is the root, then each OU, then the resource's account.
    Rcp(usize),
    /// An SCP level: 0 is the root, then each OU, then the principal's account.
    Scp(usize),
    Endpoint,
    Resource,
    Identity,
    Boundary,
    Session,
}

impl Layer {
    pub fn name(self) -> &'static str {
        match self {
            Layer::Aws(_) => "aws",
            Layer::Rcp(_) => "rcp",
            Layer::Scp(_) => "scp",
            Layer::Endpoint => "endpoint",
            Layer::Resource => "resource",
            Layer::Identity => "identity",
            Layer::Boundary => "boundary",
            Layer::Session => "session",
        }
    }

    /// The AWS documentation page that says how this layer takes part.
    pub fn doc(self) -> &'static str {
        match self {
            Layer::Aws(rule) => rule.doc(),
            Layer::Rcp(_) => {
                "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html"
            }
            Layer::Scp(_) => {
                "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html"
            }
            Layer::Endpoint => {
                "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html"
            }
            Layer::Resource => {
                "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_identity-vs-resource.html"
            }
            Layer::Identity => {
                "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html"
            }
            Layer::Boundary => {
                "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html"
            }
            Layer::Session => {
                "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session"
            }
        }
    }

    pub fn level(self) -> Option<usize> {
        match self {
            Layer::Rcp(l) | Layer::Scp(l) => Some(l),
            _ => None,
        }
    }

    /// The AWS rule, for the AWS-rule layer.
    pub fn rule(self) -> Option<AwsRule> {
        match self {
            Layer::Aws(r) => Some(r),
            _ => None,
        }
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.level(), self.rule()) {
            (Some(l), _) => write!(f, "{}[{l}]", self.name()),
            (_, Some(r)) => write!(f, "{}[{r}]", self.name()),
            _ => f.write_str(self.name()),
        }
    }
}

impl Serialize for Layer {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("layer", self.name())?;
        if let Some(l) = self.level() {
            m.serialize_entry("level", &l)?;
        }
        if let Some(r) = self.rule() {
            m.serialize_entry("rule", r.name())?;
        }
        m.end()
    }
}

/// What one layer contributed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// A statement allowed (and none denied).
    Allowed,
    /// A Deny statement matched.
    Denied,
    /// Nothing in this layer allowed the request.
    NoAllow,
    /// The layer allowed nothing but was not needed (another layer granted).
    NotNeeded,
    /// No policy of this type applies to the request.
    Absent,
    /// A rule of AWS refuses the request whatever the policies say (implicit deny).
    Refused,
    /// The request is exempt from the layer: its principal (management account,
    /// service-linked role) or its resource (an AWS managed KMS key, from RCPs).
    Exempt,
}

impl Outcome {
    /// The layer's part in a word or two, as the explanations print it.
    pub fn word(self) -> &'static str {
        match self {
            Outcome::Allowed => "allows",
            Outcome::Denied => "DENIES",
            Outcome::NoAllow => "no allow",
            Outcome::NotNeeded => "not needed",
            Outcome::Absent => "none",
            Outcome::Exempt => "exempt",
            Outcome::Refused => "REFUSES",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MatchedStatement {
    pub policy: String,
    /// The Sid, or `Statement[i]`.
    pub statement: String,
    pub effect: &'static str,
    /// Where the policy comes from, where the caller knows (an organization's
    /// records: its ARN, id, or the principal that holds it inline).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<PolicySource>,
}

/// A policy's identity in the organization it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicySource {
    /// `awsManaged`, `customerManaged`, `inline`, `scp`, `rcp`, `trust`, `resource`.
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// `ANPA...` for managed policies, `p-...` for SCPs and RCPs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The ARN of what holds it: the user, group or role of an inline policy, the
    /// role of a trust policy, the resource of a resource policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holder: Option<String>,
}

/// The node of an organization an SCP or RCP level stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelNode {
    /// `root`, `ou` or `account`.
    pub kind: &'static str,
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LayerReport {
    #[serde(flatten)]
    pub layer: Layer,
    /// For SCP and RCP levels, where the caller knows the organization: the root,
    /// OU or account the level's policies are attached to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attached_to: Option<LevelNode>,
    pub outcome: Outcome,
    pub statements: Vec<MatchedStatement>,
    /// Statements that name the request's action but did not apply, with why.
    pub skipped: Vec<SkippedStatement>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The AWS documentation page this layer's rules come from.
    pub doc: &'static str,
}

/// A statement that names the request's action but did not apply to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedStatement {
    #[serde(flatten)]
    pub statement: MatchedStatement,
    /// The element or condition that failed, and the value compared.
    pub why: String,
}

/// The full answer: the decision, the layer that blocked it, and every layer's part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    pub decision: Decision,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocked_by: Option<Layer>,
    pub layers: Vec<LayerReport>,
    pub notes: Vec<String>,
}

impl Explanation {
    pub fn layer(&self, layer: Layer) -> Option<&LayerReport> {
        self.layers.iter().find(|l| l.layer == layer)
    }
}

/// Receives what the engine sees. Every method has an empty default so that the
/// fast path costs nothing.
pub trait Recorder {
    /// False for the fast path, which may stop at the first explicit deny.
    const ON: bool;
    fn statement(&mut self, _layer: Layer, _policy: &Policy, _s: &Statement, _req: &Request) {}
    /// A policy of `layer` was evaluated: explanations look for its statements that
    /// name the action but did not apply.
    fn policy(&mut self, _layer: Layer, _policy: &Policy, _req: &Request, _has_boundary: bool) {}
    fn layer(&mut self, _layer: Layer, _outcome: Outcome, _note: Option<&str>) {}
    fn note(&mut self, _note: &str) {}
    /// A statement that would have applied, set aside by a rule of AWS (S3 Block
    /// Public Access), with why.
    fn skipped(&mut self, _layer: Layer, _policy: &Policy, _s: &Statement, _why: &str) {}
}

pub struct NoRecord;

impl Recorder for NoRecord {
    const ON: bool = false;
}

/// Collects an [`Explanation`].
#[derive(Default)]
pub(crate) struct Collector {
    pub layers: Vec<LayerReport>,
    pub notes: Vec<String>,
    pending: Vec<(Layer, MatchedStatement)>,
    skipped: Vec<(Layer, SkippedStatement)>,
}

fn matched(policy: &Policy, s: &Statement) -> MatchedStatement {
    MatchedStatement {
        policy: policy.name().to_string(),
        statement: s.label(),
        effect: match s.effect {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        },
        source: None,
    }
}

impl Recorder for Collector {
    const ON: bool = true;
    fn statement(&mut self, layer: Layer, policy: &Policy, s: &Statement, req: &Request) {
        // A Deny that applies only because a condition AWS cannot be relied on for is
        // taken to hold: say so, as a skipped Allow's reason does.
        if s.effect == Effect::Deny {
            for c in s.conditions.iter().filter(|c| c.unreliable_for(req)) {
                let label = s.label();
                self.notes.push(format!(
                    "{label} of {}: {}",
                    policy.name(),
                    crate::policy::unreliable_deny(c, req)
                ));
            }
        }
        self.pending.push((layer, matched(policy, s)));
    }
    fn policy(&mut self, layer: Layer, policy: &Policy, req: &Request, has_boundary: bool) {
        for (s, why) in policy.misses(req, has_boundary) {
            self.skipped.push((
                layer,
                SkippedStatement {
                    statement: matched(policy, s),
                    why,
                },
            ));
        }
    }
    fn layer(&mut self, layer: Layer, outcome: Outcome, note: Option<&str>) {
        let statements = self
            .pending
            .iter()
            .filter(|(l, _)| *l == layer)
            .map(|(_, s)| s.clone())
            .collect();
        self.pending.retain(|(l, _)| *l != layer);
        let skipped = self
            .skipped
            .iter()
            .filter(|(l, _)| *l == layer)
            .map(|(_, s)| s.clone())
            .collect();
        self.skipped.retain(|(l, _)| *l != layer);
        self.layers.push(LayerReport {
            layer,
            attached_to: None,
            outcome,
            statements,
            skipped,
            note: note.map(str::to_string),
            doc: layer.doc(),
        });
    }
    fn note(&mut self, note: &str) {
        self.notes.push(note.to_string());
    }
    fn skipped(&mut self, layer: Layer, policy: &Policy, s: &Statement, why: &str) {
        self.skipped.push((
            layer,
            SkippedStatement {
                statement: matched(policy, s),
                why: why.to_string(),
            },
        ));
    }
}
