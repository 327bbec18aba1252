//! The lesson file: what a team writes (TOML). Every table is read with
//! `deny_unknown_fields`, so a misspelt key is an error with its place, not a step
//! that silently checks nothing. `docs/lessons.md` documents it and
//! `assets/lesson-schema.json` lets editors check it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::engine::{Decision, Layer};

/// A lesson as written.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LessonFile {
    /// Short and stable: progress is kept under it, `orgscope learn ID` opens it.
    pub id: String,
    pub title: String,
    /// One line for the list.
    pub summary: String,
    pub minutes: u32,
    /// `acme` (the built-in organization) or an org file's path, relative to the
    /// lesson file.
    pub org: String,
    /// What the lesson teaches, as certification courses name it.
    #[serde(default)]
    pub concepts: Vec<String>,
    #[serde(rename = "step")]
    pub steps: Vec<Step>,
}

/// One step: what to do, how to check it, hints, and why the answer is what it is.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// What to look at or do, in plain words.
    pub say: String,
    /// `h` shows the first, a second `h` the next.
    #[serde(default)]
    pub hints: Vec<String>,
    /// Shown once the step is done.
    #[serde(default)]
    pub explain: String,
    /// The learner selects this node in the tree (a name, an id or an ARN).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select: Option<String>,
    /// The learner asks this question (`can` or `who-can`) in the app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ask: Option<Question>,
    /// The learner predicts the decision (and the deciding layer) of this question
    /// before the engine's answer is shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predict: Option<Question>,
    /// The learner makes a what-if change after which this question has the answer
    /// `expect` states: any change that gives it counts, not one scripted change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<Question>,
    /// What the engine answers: checked against the engine by the test suite, so a
    /// lesson never teaches a wrong answer. For a `change` step: the answer after
    /// the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<Expect>,
    /// A `change` step's guards: questions whose stated answers hold before the
    /// change and must still hold after it (the CI job still uploads the site).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keep: Vec<Guard>,
    /// A `change` step's own solution, as a scenario file's `changes`: proof that the
    /// step can be done (checked when lessons are checked), and the last hint.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub solution: Vec<toml::Table>,
}

/// A question whose stated answer a change must not break.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Guard {
    pub ask: Question,
    pub expect: Expect,
}

/// A question asked of the organization.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// `can` (the default), `who-can`, `what-can` or `paths`.
    #[serde(default)]
    pub kind: QuestionKind,
    /// The principal (name or ARN): `can`, `what-can`, and where `paths` starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub who: Option<String>,
    /// `can` and `who-can` only.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub action: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub resource: String,
    /// Context keys and their values, as `--context` gives them.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub context: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionKind {
    #[default]
    Can,
    WhoCan,
    /// What can `who` do: the actions its policies and every layer above allow.
    WhatCan,
    /// Which roles can `who` reach, by assuming roles (and escalating).
    Paths,
}

impl QuestionKind {
    /// As the palette names it.
    pub fn name(self) -> &'static str {
        match self {
            QuestionKind::Can => "can",
            QuestionKind::WhoCan => "who-can",
            QuestionKind::WhatCan => "what-can",
            QuestionKind::Paths => "paths",
        }
    }
}

/// The engine's answer, as the lesson states it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// `can`: `allowed`, `implicitly-denied` or `explicitly-denied`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Verdict>,
    /// `can`, denied: the layer that decides (`scp`, `rcp`, `resource`, `identity`,
    /// `boundary`, `session`, `endpoint`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<LayerKind>,
    /// `can`: the Sid (or `Statement[i]`) of the statement that decides: the Deny
    /// that matched, or an Allow that granted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    /// What the answer lists: `who-can`, principals (names or ARNs) allowed without
    /// further context; `what-can`, actions allowed (a pattern such as `iam:*`: at
    /// least one action it covers); `paths`, roles reached.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub includes: Vec<String>,
    /// What the answer does not list, even as allowed on a condition (`iam:*`: no
    /// IAM action at all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excludes: Vec<String>,
}

/// A decision as lessons and learners spell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(try_from = "String", into = "String")]
pub struct Verdict(pub Decision);

impl FromStr for Verdict {
    type Err = String;
    fn from_str(s: &str) -> Result<Verdict, String> {
        let k: String = s
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match k.as_str() {
            "allowed" | "allow" => Ok(Verdict(Decision::Allowed)),
            "implicitlydenied" | "implicitdeny" => Ok(Verdict(Decision::ImplicitlyDenied)),
            "explicitlydenied" | "explicitdeny" => Ok(Verdict(Decision::ExplicitlyDenied)),
            _ => Err(format!(
                "`{s}` is not a decision; use allowed, implicitly-denied or explicitly-denied"
            )),
        }
    }
}

impl TryFrom<String> for Verdict {
    type Error = String;
    fn try_from(s: String) -> Result<Verdict, String> {
        s.parse()
    }
}

impl From<Verdict> for String {
    fn from(v: Verdict) -> String {
        decision_words(v.0).replace(' ', "-")
    }
}

/// `allowed`, `implicitly denied`, `explicitly denied`.
pub fn decision_words(d: Decision) -> &'static str {
    match d {
        Decision::Allowed => "allowed",
        Decision::ImplicitlyDenied => "implicitly denied",
        Decision::ExplicitlyDenied => "explicitly denied",
    }
}

/// A kind of layer, whatever its level: what a learner predicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LayerKind {
    Scp,
    Rcp,
    Endpoint,
    Resource,
    Identity,
    Boundary,
    Session,
    /// A rule AWS applies whatever the policies say (what AWS owns, Block Public
    /// Access): not one a learner picks, but one an answer can name.
    Aws,
}

impl LayerKind {
    /// In the order the learner picks them (keys 1 to 7).
    pub const ALL: [LayerKind; 7] = [
        LayerKind::Scp,
        LayerKind::Rcp,
        LayerKind::Resource,
        LayerKind::Identity,
        LayerKind::Boundary,
        LayerKind::Session,
        LayerKind::Endpoint,
    ];

    pub fn of(layer: Layer) -> LayerKind {
        match layer {
            Layer::Scp(_) => LayerKind::Scp,
            Layer::Rcp(_) => LayerKind::Rcp,
            Layer::Endpoint => LayerKind::Endpoint,
            Layer::Resource => LayerKind::Resource,
            Layer::Identity => LayerKind::Identity,
            Layer::Boundary => LayerKind::Boundary,
            Layer::Session => LayerKind::Session,
            Layer::Aws(_) => LayerKind::Aws,
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            LayerKind::Scp => "an SCP",
            LayerKind::Rcp => "an RCP",
            LayerKind::Endpoint => "a VPC endpoint policy",
            LayerKind::Resource => "the resource policy",
            LayerKind::Identity => "the identity policies",
            LayerKind::Boundary => "the permissions boundary",
            LayerKind::Session => "the session policy",
            LayerKind::Aws => "a rule of AWS's own",
        }
    }

    /// Who configures this layer, in the shared responsibility model's terms.
    pub fn owner(self) -> &'static str {
        match self {
            LayerKind::Scp | LayerKind::Rcp => "the organization's administrators",
            LayerKind::Aws => "AWS",
            _ => "the account's administrators",
        }
    }
}

impl fmt::Display for LayerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LayerKind::Scp => "scp",
            LayerKind::Rcp => "rcp",
            LayerKind::Endpoint => "endpoint",
            LayerKind::Resource => "resource",
            LayerKind::Identity => "identity",
            LayerKind::Boundary => "boundary",
            LayerKind::Session => "session",
            LayerKind::Aws => "aws",
        })
    }
}

/// What a step asks of the learner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// Read and go on.
    Read,
    Select,
    Ask,
    Predict,
    /// Make a what-if change after which a question has the stated answer.
    Change,
}

impl Step {
    pub fn kind(&self) -> StepKind {
        if self.select.is_some() {
            StepKind::Select
        } else if self.ask.is_some() {
            StepKind::Ask
        } else if self.predict.is_some() {
            StepKind::Predict
        } else if self.change.is_some() {
            StepKind::Change
        } else {
            StepKind::Read
        }
    }

    /// The question of an `ask`, `predict` or `change` step.
    pub fn question(&self) -> Option<&Question> {
        self.ask
            .as_ref()
            .or(self.predict.as_ref())
            .or(self.change.as_ref())
    }
}
