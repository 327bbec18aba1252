//! Privilege escalation: the ways a principal P obtains more than it has, beyond
//! `sts:AssumeRole`. An edge P -> Q means P can act as Q (take Q's keys or password,
//! pass Q to a service P can run, rewrite Q's trust policy and assume it); a self-edge
//! means P can raise its own permissions to anything (write or attach a policy to
//! itself or its group, write a new version of a policy attached to it, join a group
//! that can). PMapper's edge checkers are the floor of the list (IAM, STS, Lambda,
//! EC2, CloudFormation, CodeBuild, SageMaker, Glue); each technique is written here
//! as the requests it takes, and every request is decided by the engine on its exact
//! resource with the question's context, through `assemble`, as `can` decides it.
//!
//! IAM is per account and has no resource policies: every technique acts on
//! principals, groups and policies of P's own account, and needs an Allow in P's
//! identity policies for its first (IAM) action. [`Prefilter`] uses that to skip
//! principals whose documents allow none of them; `tests/paths_agree.rs` checks the
//! filtered search against every pair of the org decided without it.
//!
//! Beyond PMapper: roles passed to ECS tasks and Auto Scaling groups, a new Lambda
//! function run by an event source mapping, and a principal lifting its own
//! permissions boundary; `iam:SetDefaultPolicyVersion` to a version the loaders kept
//! (an export's `PolicyVersionList`) and EC2 through a role's instance profiles (its
//! `InstanceProfileList`). Not modelled, as the org holds no data for them (no
//! instances, functions, stacks or endpoints): SSM `SendCommand`/`StartSession` and
//! EC2 Instance Connect on an instance running a role; swapping the role of a profile
//! that existing instances run (`iam:RemoveRoleFromInstanceProfile`, then
//! `iam:AddRoleToInstanceProfile`); `lambda:UpdateFunctionCode` on a function whose
//! role is stronger; updating an existing stack, Glue endpoint or notebook; a policy
//! version that grants more without a way to write a policy (only admin is sought
//! through a version). Data Pipeline is left out: the
//! code runs as the pipeline's resource role, on an instance, not as the role passed
//! to the service.
//!
//! Through a tag change: a technique whose step the engine does not allow, where a
//! statement of a policy bearing on that step reads a tag (`aws:ResourceTag/K`,
//! `iam:ResourceTag/K`, `aws:PrincipalTag/K`), is tried again after one tag change
//! its caller may make ([`Batch::retags`]): untagging the target's own tag
//! (`iam:UntagRole`, `iam:UntagUser`, asked with `aws:TagKeys`), tagging the target
//! with a value a statement compares the tag with (`iam:TagRole`, `iam:TagUser`, with
//! `aws:TagKeys` and `aws:RequestTag/K`), or a user tagging itself (its tags are its
//! principal tags on its later requests; a role's session is never retagged). The
//! tag step comes first in the edge's steps and `via`
//! (`iam:UntagRole+iam:UpdateAssumeRolePolicy`); every step after it is asked with the
//! changed tags in place of the org's ([`Retag`]). One change per technique, at most
//! [`MAX_RETAGS`] tried; never for `iam:PassRole`, on which the engine lets no role
//! tag allow. Another principal's tag is changed only where the org reads that key
//! neither as a principal tag nor on the ways to raise one's own permissions
//! (`TagReads::settled`): the search goes on from the principal it reaches with the
//! tags the org holds. IAM User Guide, "Controlling access to AWS resources using tags" and
//! "IAM condition keys".
//!
//! Assumptions, on the side of reporting: a role that trusts EC2 whose instance
//! profiles the org does not know is taken to have one; a service's resources (a Lambda function, a stack) are asked
//! about in the question's `aws:RequestedRegion` (us-east-1 when not given), under a
//! name the attacker picks (`orgscope-escalation`).

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use super::super::assemble::{
    Ask, Shared, Subject, Target, assemble_shared, entity_tag_keys, principal_tag_key,
    resource_holder_is_trust, target_keys_of, target_of,
};
use super::super::letting_in;
use super::super::who_can::Condition;
use crate::engine::PolicySet;
use crate::engine::{self, Decision};
use crate::org::assume_index::docs_allowing;
use crate::org::hash::FxMap;
use crate::org::{AccountIx, DocIx, Entity, GroupIx, Org, PolicyIx, PolicyOrigin, PrincipalIx};
use crate::policy::context::Key;
use crate::policy::request::Request;
use crate::policy::{Arn, NamedPrincipal, Policy, PolicyKind, ResourceElement};

/// One request an escalation takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub action: String,
    pub resource: String,
    /// The policy version `iam:SetDefaultPolicyVersion` makes the default (`v1`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The tag key a tag step (`iam:TagRole`, `iam:UntagUser`, ...) adds or removes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag_key: Option<String>,
    /// The value a tag step (`iam:TagRole`, `iam:TagUser`) gives the tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag_value: Option<String>,
    /// The user or role whose ARN `resource` is, where the technique knows it: the
    /// search then need not look the ARN up in the org's tables for every request.
    #[serde(skip)]
    pub(crate) on: Option<PrincipalIx>,
}

impl Step {
    /// The tag a tag step adds or removes, as text: `protected` (removed),
    /// `team=red` (added); `None` for any other step.
    pub fn tag_text(&self) -> Option<String> {
        let k = self.tag_key.as_deref()?;
        Some(match &self.tag_value {
            Some(v) => format!("{k}={v}"),
            None => k.to_string(),
        })
    }
}

/// One way for a principal to obtain another's permissions (`to` set) or to raise
/// its own (`to` unset): the technique, its requests, and the context they need
/// that the question did not give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edge {
    /// The technique, named by its key action: `sts:AssumeRole`,
    /// `iam:CreateAccessKey`, `iam:PassRole+lambda:CreateFunction`, ...
    pub via: String,
    pub steps: Vec<Step>,
    pub needs: Vec<Condition>,
}

impl Edge {
    /// What the edge costs in a search for shortest paths.
    pub fn cost(&self) -> u32 {
        if self.needs.is_empty() { 1 } else { 100 }
    }

    /// What is left in the graph once an edge's technique was moved out of it.
    pub(super) fn taken() -> Edge {
        Edge {
            via: String::new(),
            steps: Vec::new(),
            needs: Vec::new(),
        }
    }

    /// The edge for an assume-role hop the engine allowed.
    pub fn assume(role_arn: &str, needs: Vec<Condition>) -> Edge {
        Edge {
            via: "sts:AssumeRole".to_string(),
            steps: vec![step("sts:AssumeRole", role_arn)],
            needs,
        }
    }
}

/// The services a role can be passed to, and what the caller must be able to do
/// there to run code as the role (PMapper's Lambda, EC2, CloudFormation, CodeBuild,
/// SageMaker and Glue checkers; SageMaker training and processing jobs, an ECS task,
/// and an Auto Scaling group launching instances with the role, from Rhino Security
/// Labs' list). A service may have
/// several ways, each a technique.
const SERVICES: [(&str, &[(&str, &str)]); 11] = [
    (
        "lambda.amazonaws.com",
        &[
            (
                "lambda:CreateFunction",
                "arn:aws:lambda:{region}:{account}:function:orgscope-escalation",
            ),
            (
                "lambda:InvokeFunction",
                "arn:aws:lambda:{region}:{account}:function:orgscope-escalation",
            ),
        ],
    ),
    (
        "ec2.amazonaws.com",
        &[(
            "ec2:RunInstances",
            "arn:aws:ec2:{region}:{account}:instance/*",
        )],
    ),
    (
        "cloudformation.amazonaws.com",
        &[(
            "cloudformation:CreateStack",
            "arn:aws:cloudformation:{region}:{account}:stack/orgscope-escalation/*",
        )],
    ),
    (
        "codebuild.amazonaws.com",
        &[
            (
                "codebuild:CreateProject",
                "arn:aws:codebuild:{region}:{account}:project/orgscope-escalation",
            ),
            (
                "codebuild:StartBuild",
                "arn:aws:codebuild:{region}:{account}:project/orgscope-escalation",
            ),
        ],
    ),
    (
        "sagemaker.amazonaws.com",
        &[
            (
                "sagemaker:CreateNotebookInstance",
                "arn:aws:sagemaker:{region}:{account}:notebook-instance/orgscope-escalation",
            ),
            (
                "sagemaker:CreatePresignedNotebookInstanceUrl",
                "arn:aws:sagemaker:{region}:{account}:notebook-instance/orgscope-escalation",
            ),
        ],
    ),
    (
        "glue.amazonaws.com",
        &[(
            "glue:CreateDevEndpoint",
            "arn:aws:glue:{region}:{account}:devEndpoint/orgscope-escalation",
        )],
    ),
    // A training or processing job runs the caller's container as the role
    // (SageMaker Developer Guide, "How to use SageMaker AI execution roles"; Rhino
    // Security Labs' list).
    (
        "sagemaker.amazonaws.com",
        &[(
            "sagemaker:CreateTrainingJob",
            "arn:aws:sagemaker:{region}:{account}:training-job/orgscope-escalation",
        )],
    ),
    (
        "sagemaker.amazonaws.com",
        &[(
            "sagemaker:CreateProcessingJob",
            "arn:aws:sagemaker:{region}:{account}:processing-job/orgscope-escalation",
        )],
    ),
    // A task definition whose task role is the role, then a task run from it (ECS
    // Developer Guide, "Amazon ECS task IAM role": the task's containers get the
    // role's credentials).
    (
        "ecs-tasks.amazonaws.com",
        &[
            (
                "ecs:RegisterTaskDefinition",
                "arn:aws:ecs:{region}:{account}:task-definition/orgscope-escalation:1",
            ),
            (
                "ecs:RunTask",
                "arn:aws:ecs:{region}:{account}:task-definition/orgscope-escalation:1",
            ),
        ],
    ),
    // A launch configuration with the role's instance profile, then a group that
    // launches instances from it (EC2 Auto Scaling User Guide, "IAM role for
    // applications that run on Amazon EC2 instances"); the role is passed to EC2.
    (
        "ec2.amazonaws.com",
        &[
            (
                "autoscaling:CreateLaunchConfiguration",
                "arn:aws:autoscaling:{region}:{account}:launchConfiguration:*:launchConfigurationName/orgscope-escalation",
            ),
            (
                "autoscaling:CreateAutoScalingGroup",
                "arn:aws:autoscaling:{region}:{account}:autoScalingGroup:*:autoScalingGroupName/orgscope-escalation",
            ),
        ],
    ),
    // A new function run by an event source mapping instead of an invocation (Rhino
    // Security Labs' method 16; AWS Lambda Developer Guide, "Lambda event source
    // mappings": the function runs as its execution role). CreateEventSourceMapping
    // has no resource type (Service Authorization Reference, Lambda), so it is asked
    // on `*`; `lambda:FunctionArn` is not set, so a condition on it is a need. An
    // event source (a stream or queue) is assumed to be there.
    (
        "lambda.amazonaws.com",
        &[
            (
                "lambda:CreateFunction",
                "arn:aws:lambda:{region}:{account}:function:orgscope-escalation",
            ),
            ("lambda:CreateEventSourceMapping", "*"),
        ],
    ),
];

/// The first (IAM) action of every technique: what [`Prefilter`] looks for.
const FIRST_ACTIONS: [&str; 19] = [
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "iam:UpdateAssumeRolePolicy",
    "iam:PassRole",
    "iam:PutUserPolicy",
    "iam:AttachUserPolicy",
    "iam:PutGroupPolicy",
    "iam:AttachGroupPolicy",
    "iam:PutRolePolicy",
    "iam:AttachRolePolicy",
    "iam:CreatePolicyVersion",
    "iam:AddUserToGroup",
    "iam:DeleteUserPermissionsBoundary",
    "iam:DeleteRolePermissionsBoundary",
    "iam:PutUserPermissionsBoundary",
    "iam:PutRolePermissionsBoundary",
    "iam:SetDefaultPolicyVersion",
    "iam:CreateInstanceProfile",
];

/// The first actions of the ways to raise one's own permissions ([`techniques_self`]).
const SELF_ACTIONS: [&str; 13] = [
    "iam:PutUserPolicy",
    "iam:AttachUserPolicy",
    "iam:PutGroupPolicy",
    "iam:AttachGroupPolicy",
    "iam:PutRolePolicy",
    "iam:AttachRolePolicy",
    "iam:CreatePolicyVersion",
    "iam:AddUserToGroup",
    "iam:DeleteUserPermissionsBoundary",
    "iam:DeleteRolePermissionsBoundary",
    "iam:PutUserPermissionsBoundary",
    "iam:PutRolePermissionsBoundary",
    "iam:SetDefaultPolicyVersion",
];

/// Decides the requests of callers of one account, sharing what their requests
/// share (SCP levels, org path, the question's context and organization keys): built
/// once per account and per service a role is passed to, not once per request, as
/// [`super::hop`]'s chunks do. The decision is the same: `assemble` is
/// `assemble_shared` over data built for one request.
pub struct Batch<'o> {
    org: &'o Org,
    account: AccountIx,
    context: &'o [(String, Vec<String>)],
    /// By the context key a step adds (`iam:PassedToService`,
    /// `iam:PermissionsBoundary`; `None`: the question's context alone).
    shared: Vec<(Option<Extra>, Shared<'o>)>,
    /// The rewritten trust policy naming one caller, parsed once for all its roles.
    trust: Option<(PrincipalIx, Option<Policy>)>,
    /// Where each step's request lands (`None`: a request no answer is given for), by
    /// action then resource: the batch's callers ask of the same principals, and the
    /// target takes lookups in the org's tables of every ARN.
    targets: HashMap<String, HashMap<String, Option<Target<'o>>>>,
    /// The role whose trust policy the last `iam:UpdateAssumeRolePolicy` asked about,
    /// and its target.
    rewritten_at: Option<(String, Target<'o>)>,
    /// Whether to keep the targets: only worth it when several callers share the
    /// batch (a search from one admin asks of each principal once).
    keep_targets: bool,
    /// Decisions reused across the users and roles of the account (see [`Blind`]):
    /// a caller that may rewrite every role's trust is decided once, not once per
    /// role. `None`: the policies' Resource elements hold variables; decide each.
    blind: FxMap<Blind<'o>, Option<Readers>>,
    /// The org's statements that read tags ([`TagReads`]), fetched when a technique
    /// first fails.
    tag_reads: Option<Arc<TagReads>>,
    /// The actions the batch's [`Blind`]s name: a handful, kept once each.
    actions: Vec<Box<str>>,
    /// By action (its place in `actions`), the tags of a user or role its requests
    /// can read, once worked out.
    tags_read: Vec<Option<TagsRead>>,
    /// By caller and [`TargetClass`], what its techniques towards targets of the
    /// class came to ([`Learnt`]).
    learnt: FxMap<(PrincipalIx, TargetClass<'o>), Vec<Learnt>>,
    /// The requests [`Prefilter::best_between`] decides for one pair, while it
    /// records them to learn from.
    recording: Option<Recording<'o>>,
}

/// What a caller's techniques came to towards targets of one class: the statements
/// of the requests decided that can tell two of them apart (those of each request's
/// [`Blind`]), and for each way they matched a target, the technique taken (its
/// place among the target's techniques; allowed as it is, with no context) or none
/// (no technique allowed, with or without context). A target of the class they
/// match in one of those ways comes to the same: every request decided for it would
/// be reused as its Blind reuses it.
struct Learnt {
    statements: Vec<ResourceElement>,
    seen: Vec<(Vec<bool>, Option<usize>)>,
}

/// The [`Blind`]s of the requests decided for one pair; `whole` false once one had
/// none or a tag change was tried: nothing is learnt from the pair then.
struct Recording<'o> {
    blinds: Vec<Blind<'o>>,
    whole: bool,
}

/// What the engine can read of a user or role as the target of the requests of one
/// technique, besides the statements whose Resource names it: its ARN up to its name
/// (service, account, kind, path: the rules of AWS on service-linked and reserved
/// roles read the path), its tags where a statement on a step's action reads one
/// ([`TagsRead`]), its boundary, and its trust policy where a step is asked under it.
/// Two targets of one class have the same [`Blind`] for every request of that
/// technique by one caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct TargetClass<'o> {
    prefix: &'o str,
    tags: &'o [crate::org::entities::Tag],
    boundary: Option<PolicyIx>,
    trust: Option<PolicyIx>,
}

/// The tags of a user or role the requests of one action can read: those the
/// statements covering the action read ([`Org::resource_tag_reads`]).
enum TagsRead {
    /// These, lower-cased.
    Tags(Vec<String>),
    /// Any: a statement reads a tag whose name a variable makes.
    Any,
}

impl TagsRead {
    /// Whether a context key taken from a user or role can be read: any key but
    /// one of its tags (`aws:ResourceTag/<tag>`, `iam:ResourceTag/<tag>`) that no
    /// statement reads.
    fn reads_key(&self, key: &Key) -> bool {
        let Some((Side::Resource, tag)) = tag_read(key.as_str()) else {
            return true;
        };
        match self {
            TagsRead::Any => true,
            TagsRead::Tags(read) => read.iter().any(|t| t == tag),
        }
    }

    /// Whether any of `tags` can be read.
    fn reads_any(&self, tags: &[crate::org::entities::Tag]) -> bool {
        match self {
            TagsRead::Any => !tags.is_empty(),
            TagsRead::Tags(read) => tags
                .iter()
                .any(|t| read.iter().any(|r| r.eq_ignore_ascii_case(&t.key))),
        }
    }
}

/// The statements whose Resource element can tell two resources of one [`Blind`]
/// apart ([`engine::resource_readers`]), and the decision for each way they match.
struct Readers {
    statements: Vec<ResourceElement>,
    seen: Vec<(Vec<bool>, Option<Vec<Condition>>)>,
}

impl Readers {
    /// How each statement matches `resource` (`None`: not an ARN; nothing reused).
    fn signature(statements: &[ResourceElement], resource: &str) -> Option<Vec<bool>> {
        if statements.is_empty() {
            return Some(Vec::new());
        }
        let arn = Arn::parse(resource)?;
        Some(
            statements
                .iter()
                .map(|s| s.matches_alone(&arn).unwrap_or(true))
                .collect(),
        )
    }
}

/// A request of a batch, all but its resource, an IAM user or role of the org: what
/// the engine reads of that resource besides the policies' Resource elements
/// ([`engine::ResourceTraits`], the keys the request takes from it, the resource
/// policy the step is asked under). Two requests with the same `Blind` get the same
/// decision when the statements whose Resource element does not cover every resource
/// ([`engine::resource_readers`]) match both alike, as an admin's `*` does.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Blind<'o> {
    p: PrincipalIx,
    /// The action, by its place in [`Batch::actions`].
    action: u16,
    extra: Option<Extra>,
    under: Under,
    raised: Option<Raised>,
    traits: engine::ResourceTraits<'o>,
    /// The context keys taken from the user or role (its tags and boundary).
    keys: Vec<(Key, &'o str)>,
    /// The resource policy, by address (`None` under a rewritten trust: the caller's).
    policy: Option<usize>,
    /// The tag change the request is asked after, where it changes the request (the
    /// resource's tags or the caller's): two requests after different changes, or one
    /// after a change and one without, are not decided alike.
    retag: Option<Retag>,
}

impl<'o> Batch<'o> {
    pub fn new(
        org: &'o Org,
        account: AccountIx,
        context: &'o [(String, Vec<String>)],
    ) -> Batch<'o> {
        Batch {
            org,
            account,
            context,
            shared: Vec::new(),
            trust: None,
            targets: HashMap::new(),
            keep_targets: true,
            rewritten_at: None,
            blind: FxMap::default(),
            tag_reads: None,
            actions: Vec::new(),
            tags_read: Vec::new(),
            learnt: FxMap::default(),
            recording: None,
        }
    }

    /// The organization asked about.
    pub fn org(&self) -> &'o Org {
        self.org
    }

    /// The engine's answer to one request of `p` (of this batch's account): `Some([])`
    /// allowed, `Some(needs)` allowed with context the question did not give, `None`
    /// not allowed. `extra` adds a context key the step sets; `under` says whose
    /// policies it is asked under when an earlier step changed them.
    fn decide(&mut self, p: PrincipalIx, step: &Step, how: How<'_>) -> Option<Vec<Condition>> {
        // The request's Ask is made only where the engine is asked: most are reused.
        let ask = || Ask {
            action: step.action.clone(),
            resource: step.resource.clone(),
            ..Ask::default()
        };
        let blind = self.blind_of(p, step, how);
        if let Some(r) = &mut self.recording {
            match &blind {
                Some(b) if !r.blinds.contains(b) => r.blinds.push(b.clone()),
                Some(_) => {}
                None => r.whole = false,
            }
        }
        let mut signature = None;
        if let Some(b) = &blind
            && let Some(Some(r)) = self.blind.get(b)
        {
            let sig = Readers::signature(&r.statements, &step.resource);
            if let Some((_, known)) = r.seen.iter().find(|(s, _)| Some(s) == sig.as_ref()) {
                let known = known.clone();
                // Tests run debug builds: every reused decision is checked there.
                debug_assert_eq!(
                    known,
                    self.decide_each(p, ask(), how, false).1,
                    "a decision reused for {} differs",
                    step.resource
                );
                return known;
            }
            signature = Some(sig);
        }
        let first = blind.as_ref().is_some_and(|b| !self.blind.contains_key(b));
        let (readers, decided) = self.decide_each(p, ask(), how, first);
        // Only a decision the engine made is kept (not a request that failed before).
        if let Some(b) = blind.filter(|_| readers.is_some()) {
            let entry = self.blind.entry(b).or_insert_with(|| {
                readers.and_then(|r| r).map(|statements| Readers {
                    statements,
                    seen: Vec::new(),
                })
            });
            if let Some(r) = entry
                && let Some(sig) =
                    signature.unwrap_or_else(|| Readers::signature(&r.statements, &step.resource))
            {
                r.seen.push((sig, decided.clone()));
            }
        }
        decided
    }

    /// Keeps what the requests just recorded came to for `p` towards `q`, of
    /// `class`: `taken`, the place of the technique taken, or none.
    fn learn(
        &mut self,
        p: PrincipalIx,
        q: PrincipalIx,
        class: TargetClass<'o>,
        taken: Option<usize>,
        recorded: Recording<'o>,
    ) {
        if !recorded.whole {
            return;
        }
        let mut statements = Vec::new();
        for b in &recorded.blinds {
            let Some(Some(r)) = self.blind.get(b) else {
                return;
            };
            statements.extend(r.statements.iter().cloned());
        }
        let Some(sig) = Readers::signature(&statements, self.org.principal_arn(q)) else {
            return;
        };
        let learnt = self.learnt.entry((p, class)).or_default();
        let i = match learnt.iter().position(|l| l.statements == statements) {
            Some(i) => i,
            None => {
                learnt.push(Learnt {
                    statements,
                    seen: Vec::new(),
                });
                learnt.len() - 1
            }
        };
        if !learnt[i].seen.iter().any(|(s, _)| *s == sig) {
            learnt[i].seen.push((sig, taken));
        }
    }

    /// What `p`'s techniques towards `q`, of `class`, come to, where they came to
    /// it for a target of that class the statements matched alike: `Some(taken)`.
    fn known(
        &self,
        p: PrincipalIx,
        q: PrincipalIx,
        class: TargetClass<'o>,
    ) -> Option<Option<usize>> {
        let arn = self.org.principal_arn(q);
        self.learnt.get(&(p, class))?.iter().find_map(|l| {
            let sig = Readers::signature(&l.statements, arn)?;
            l.seen
                .iter()
                .find(|(s, _)| *s == sig)
                .map(|&(_, taken)| taken)
        })
    }

    /// The place of `action` in [`Batch::actions`], added if new.
    fn action_ix(&mut self, action: &str) -> usize {
        match self.actions.iter().position(|a| **a == *action) {
            Some(i) => i,
            None => {
                self.actions.push(action.into());
                self.actions.len() - 1
            }
        }
    }

    /// The tags of a user or role a request of the action at `a` in
    /// [`Batch::actions`] can read.
    fn tags_read(&mut self, a: usize) -> &TagsRead {
        if self.tags_read.len() <= a {
            self.tags_read.resize_with(a + 1, || None);
        }
        let org = self.org;
        let action = &self.actions[a];
        self.tags_read[a].get_or_insert_with(|| {
            let reads = org.resource_tag_reads();
            if reads.is_empty() {
                return TagsRead::Tags(Vec::new());
            }
            // Assuming a role may also be authorized as `sts:TagSession` or
            // `sts:SetSourceIdentity` on it (`engine::implied_actions`).
            let assume = action
                .get(..14)
                .is_some_and(|a| a.eq_ignore_ascii_case("sts:AssumeRole"));
            let implied = ["sts:TagSession", "sts:SetSourceIdentity"];
            let mut tags = Vec::new();
            for r in reads {
                let st = &org.docs()[r.doc.index()].policy.statements()[r.statement];
                let mut actions =
                    std::iter::once(&**action).chain(implied.into_iter().filter(|_| assume));
                if !actions.any(|a| st.covers_action_named(a)) {
                    continue;
                }
                match &r.tags {
                    Some(read) => tags.extend(read.iter().cloned()),
                    None => return TagsRead::Any,
                }
            }
            TagsRead::Tags(tags)
        })
    }

    /// The class of `q` as the target of `t`: its tags only where a request of `t`
    /// that may act on it can read one of them.
    fn class_of(&mut self, q: PrincipalIx, t: &Technique) -> TargetClass<'o> {
        let org = self.org;
        let arn = org.principal_arn(q);
        let under_trust = t.steps.iter().enumerate().any(|(i, s)| {
            t.under(i) != Under::RewrittenTrust && resource_holder_is_trust(&s.action)
        });
        let (tags, trust) = match q {
            PrincipalIx::User(u) => (&org.user(u).tags[..], None),
            PrincipalIx::Role(r) => (
                &org.role(r).tags[..],
                org.role(r).trust.filter(|_| under_trust),
            ),
        };
        // A user's techniques are the same few for every user: the class is of all;
        // a role's, of the steps of `t` that may act on it.
        let user = matches!(q, PrincipalIx::User(_));
        let mut acting = USER_TECHNIQUES.into_iter().filter(|_| user).chain(
            t.steps
                .iter()
                .filter(|s| !user && s.on.is_none_or(|on| on == q))
                .map(|s| s.action.as_str()),
        );
        let read = !tags.is_empty()
            && acting.any(|action| {
                let a = self.action_ix(action);
                self.tags_read(a).reads_any(tags)
            });
        TargetClass {
            prefix: &arn[..arn.rfind('/').map_or(arn.len(), |i| i + 1)],
            tags: if read { tags } else { &[] },
            boundary: org.boundary(q),
            trust,
        }
    }

    /// The [`Blind`] of a request of `p` on a user or role of the org (`None`: another
    /// resource, decided each time).
    fn blind_of(&mut self, p: PrincipalIx, step: &Step, how: How<'_>) -> Option<Blind<'o>> {
        let org = self.org;
        let q = match step.on {
            Some(q) => q,
            None => match org.by_arn(&step.resource)? {
                Entity::User(u) => PrincipalIx::User(u),
                Entity::Role(r) => PrincipalIx::Role(r),
                _ => return None,
            },
        };
        let arn = org.principal_arn(q);
        debug_assert_eq!(arn, step.resource, "a step acts on the principal it names");
        let entity = match q {
            PrincipalIx::User(u) => Entity::User(u),
            PrincipalIx::Role(r) => Entity::Role(r),
        };
        // The resource policy `target_of` gives a user or role: a role's trust policy
        // for the actions that assume it, else none.
        let policy = match (how.under, q) {
            (Under::RewrittenTrust, _) | (_, PrincipalIx::User(_)) => None,
            (_, PrincipalIx::Role(r)) => resource_holder_is_trust(&step.action)
                .then(|| org.role(r).trust)
                .flatten()
                .map(|t| &**org.compiled(t) as *const Policy as usize),
        };
        debug_assert!(
            how.under == Under::RewrittenTrust
                || policy
                    == target_of(org, &step.action, &step.resource, Some(entity), None)
                        .policy
                        .map(|x| x as *const Policy as usize)
        );
        let action = self.action_ix(&step.action);
        // A tag no statement on the action reads cannot tell two targets apart.
        let mut keys = target_keys_of(org, &step.action, Some(entity));
        let read = self.tags_read(action);
        keys.retain(|(k, _)| read.reads_key(k));
        Some(Blind {
            p,
            action: u16::try_from(action).ok()?,
            extra: how.extra.cloned(),
            under: how.under,
            raised: how.raised,
            traits: engine::ResourceTraits::of(&step.action, arn)?,
            keys,
            policy,
            retag: how
                .retag
                .filter(|r| r.changes(org, p, &step.resource))
                .cloned(),
        })
    }

    /// The tag changes worth trying before `step` of `p`, which the engine did not
    /// allow (asked `under`, `raised`): only with the tag keys that a statement of a
    /// policy bearing on the step reads (`p`'s own, its boundary, its account's SCPs,
    /// the RCPs of the target's account, a role's trust policy), and only the values
    /// those statements compare with, or the target's own tag to remove. Empty at
    /// once for an org none of whose statements on the step's action reads a tag.
    ///
    /// A change is made to the user or role the step acts on, or to the caller
    /// itself when it is a user: an IAM user's tags are its principal tags on every
    /// later request (IAM User Guide, "Controlling access for IAM principals",
    /// `aws:PrincipalTag`). A role's own tags are not changed for its caller: a
    /// session's principal tags are fixed when the role is assumed (IAM User Guide,
    /// "Passing session tags in AWS STS": a session's tags are set when it starts),
    /// and whether a change of the role's tags reaches a running session is not
    /// documented; no edge is reported that could rest on it.
    fn retags(
        &mut self,
        p: PrincipalIx,
        step: &Step,
        under: Under,
        raised: Option<Raised>,
    ) -> Vec<Retag> {
        let Some(a) = RETAG_ACTIONS
            .iter()
            .position(|x| x.eq_ignore_ascii_case(&step.action))
        else {
            return Vec::new();
        };
        let org = self.org;
        let index = self
            .tag_reads
            .get_or_insert_with(|| TagReads::of(org))
            .clone();
        let reads = &index.by_action[a];
        if reads.is_empty() {
            return Vec::new();
        }
        let target = match org.by_arn(&step.resource) {
            Some(Entity::User(u)) => Some(PrincipalIx::User(u)),
            Some(Entity::Role(r)) => Some(PrincipalIx::Role(r)),
            _ => None,
        };
        let mut docs: Vec<DocIx> = org
            .identity_policies(p)
            .chain(org.boundary(p))
            .chain(
                org.scp_levels(org.principal_account(p))
                    .iter()
                    .flatten()
                    .copied(),
            )
            .map(|x| org.policy(x).doc)
            .collect();
        if let Some(t) = target {
            docs.extend(
                org.rcp_levels(org.principal_account(t))
                    .iter()
                    .flatten()
                    .map(|&x| org.policy(x).doc),
            );
            if let PrincipalIx::Role(r) = t
                && let Some(trust) = org.role(r).trust
            {
                docs.push(org.policy(trust).doc);
            }
        }
        if let Under::Version(_, d) = under {
            docs.push(d);
        }
        if let Some(r) = raised {
            if let Some(g) = r.joined {
                let group = org.group(g);
                docs.extend(
                    group
                        .managed
                        .iter()
                        .chain(&group.inline)
                        .map(|&x| org.policy(x).doc),
                );
            }
            docs.extend(r.version);
        }
        docs.sort_unstable();
        docs.dedup();
        let mut out: Vec<Retag> = Vec::new();
        let mut add = |who: PrincipalIx, key: &str, value: Option<&str>| {
            let tags = tags_of(org, who);
            let had = tags.iter().find(|t| t.key.eq_ignore_ascii_case(key));
            let change = match (value, had) {
                // Nothing to remove, or the value is already there.
                (None, None) => return,
                (Some(v), Some(t)) if &*t.value == v => return,
                // Removed by its own spelling.
                (None, Some(t)) => Retag {
                    who,
                    key: t.key.to_string(),
                    value: None,
                },
                (Some(v), _) => Retag {
                    who,
                    key: key.to_string(),
                    value: Some(v.to_string()),
                },
            };
            // The caller changes its own tags only as a user (see above), and no
            // one changes an AWS-owned role. Another principal's tag only where the
            // search, going on from it with the tags the org holds, decides nothing
            // the change could turn (`TagReads::settled`): a tag its later requests
            // read as a principal tag, or as the resource's on raising its own
            // permissions, would be asked as it was, not as the change left it.
            let own = who == p && !matches!(p, PrincipalIx::User(_));
            let unsettled = who != p && !index.settles(who, &change.key);
            if own
                || unsettled
                || aws_owned(org, who)
                || out.len() >= MAX_RETAGS
                || out.contains(&change)
            {
                return;
            }
            out.push(change);
        };
        let value_of = |who: Option<PrincipalIx>, key: &str| -> Option<String> {
            tags_of(org, who?)
                .iter()
                .find(|t| t.key.eq_ignore_ascii_case(key))
                .map(|t| t.value.to_string())
        };
        let user = matches!(p, PrincipalIx::User(_));
        for read in docs.iter().filter_map(|d| reads.get(&d.index())).flatten() {
            match (read.side, target) {
                (Side::Resource, Some(t)) => {
                    add(t, &read.tag, None);
                    for v in &read.values {
                        match TagValue::of(v) {
                            TagValue::Literal(v) => add(t, &read.tag, Some(v)),
                            // The target's tag compared with the caller's: the target
                            // given the caller's value, or the caller the target's.
                            TagValue::Principal(k) => {
                                if let Some(w) = value_of(Some(p), k) {
                                    add(t, &read.tag, Some(&w));
                                }
                                if user && let Some(w) = value_of(target, &read.tag) {
                                    add(p, k, Some(&w));
                                }
                            }
                            TagValue::Resource(_) | TagValue::Other => {}
                        }
                    }
                }
                (Side::Principal, _) if user => {
                    add(p, &read.tag, None);
                    for v in &read.values {
                        match TagValue::of(v) {
                            TagValue::Literal(v) => add(p, &read.tag, Some(v)),
                            TagValue::Resource(k) => {
                                if let Some(w) = value_of(target, k) {
                                    add(p, &read.tag, Some(&w));
                                }
                                if let (Some(t), Some(w)) = (target, value_of(Some(p), &read.tag)) {
                                    add(t, k, Some(&w));
                                }
                            }
                            TagValue::Principal(_) | TagValue::Other => {}
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// [`Batch::decide`] without reuse; also, where the engine decided, the
    /// statements whose Resource element read the resource
    /// ([`engine::resource_readers`]) when `readers` asks for them.
    fn decide_each(
        &mut self,
        p: PrincipalIx,
        mut ask: Ask,
        how: How<'_>,
        readers: bool,
    ) -> (Option<Option<Vec<ResourceElement>>>, Option<Vec<Condition>>) {
        let How {
            extra,
            under,
            raised,
            retag,
        } = how;
        let org = self.org;
        debug_assert_eq!(org.principal_account(p), self.account);
        let rewritten = under == Under::RewrittenTrust;
        let mut context = self.context.to_vec();
        if let Some(e) = extra {
            e.push_into(&mut context);
        }
        ask.context = context;
        // AssumeRole under the rewritten trust lands where the rewrite did: the same
        // role of this account; only the trust policy differs, and it is replaced.
        let reused = match &self.rewritten_at {
            Some((arn, t)) if rewritten && *arn == ask.resource => {
                (t.account == Some(self.account)).then(|| t.clone())
            }
            _ => None,
        };
        let tgt = if let Some(t) = reused {
            Some(t)
        } else if self.keep_targets {
            let by_resource = match self.targets.get_mut(&ask.action) {
                Some(m) => m,
                None => self.targets.entry(ask.action.clone()).or_default(),
            };
            match by_resource.get(&ask.resource) {
                Some(t) => t.clone(),
                None => {
                    let t = ask.checked_target(org).ok();
                    by_resource.insert(ask.resource.clone(), t.clone());
                    t
                }
            }
        } else {
            ask.checked_target(org).ok()
        };
        let Some(tgt) = tgt else {
            return (None, None);
        };
        if ask.action == "iam:UpdateAssumeRolePolicy" {
            self.rewritten_at = Some((ask.resource.clone(), tgt.clone()));
        }
        let i = match self.shared.iter().position(|(s, _)| s.as_ref() == extra) {
            Some(i) => i,
            None => {
                let shared = Shared::new(org, &ask, &tgt, Some(self.account));
                self.shared.push((extra.cloned(), shared));
                self.shared.len() - 1
            }
        };
        self.shared[i].1.retarget(org, &tgt);
        if rewritten && self.trust.as_ref().is_none_or(|(q, _)| *q != p) {
            self.trust = Some((p, rewritten_trust(org, p)));
        }
        let trust = match (&self.trust, rewritten) {
            (Some((_, Some(t))), true) => Some(t),
            (_, true) => return (None, None),
            _ => None,
        };
        let shared = &self.shared[i].1;
        let Ok(mut a) = assemble_shared(org, Subject::Principal(p), &ask, &tgt, shared) else {
            return (None, None);
        };
        if let Some(t) = trust {
            a.set.resource = Some(t);
        }
        match under {
            Under::NoBoundary => a.set.boundary = None,
            Under::Version(x, d) => {
                let version = &*org.docs()[d.index()].policy;
                a.set.identity = org
                    .identity_policies(p)
                    .map(|y| if y == x { version } else { &**org.compiled(y) })
                    .collect();
            }
            Under::AsIs | Under::RewrittenTrust => {}
        }
        if let Some(r) = raised {
            r.apply(org, &mut a.set);
            if let Some(t) = r.retag() {
                t.apply(org, p, &ask, &mut a.request);
            }
        }
        if let Some(r) = retag {
            r.apply(org, p, &ask, &mut a.request);
        }
        let readers = Some(
            readers
                .then(|| engine::resource_readers(&a.request, &a.set))
                .flatten(),
        );
        let decision = engine::evaluate(&a.request, &a.set);
        if decision == Decision::Allowed {
            return (readers, Some(Vec::new()));
        }
        let when = letting_in(Some(org), &mut a.request, &a.set, decision);
        (readers, (!when.is_empty()).then_some(when))
    }
}

/// What a request of a technique is asked with besides its action and resource:
/// the context its step sets, the policies it is asked under, the caller's raising
/// and the tag change made before it.
#[derive(Clone, Copy)]
struct How<'a> {
    extra: Option<&'a Extra>,
    under: Under,
    raised: Option<Raised>,
    retag: Option<&'a Retag>,
}

/// The context a step sets.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Extra {
    /// One context key (`iam:PassedToService`, ...), and its value.
    Key(&'static str, String),
    /// A tag step's: the tag key it adds or removes (`aws:TagKeys`) and, when it adds
    /// one, its value (`aws:RequestTag/<key>`), as IAM sets them on `iam:TagRole`,
    /// `iam:UntagRole`, `iam:TagUser` and `iam:UntagUser` (Service Authorization
    /// Reference, IAM; IAM User Guide, "Controlling access to AWS resources using
    /// tags").
    Tag { key: String, value: Option<String> },
}

impl Extra {
    /// Adds what the step sets to a request's context.
    fn push_into(&self, context: &mut Vec<(String, Vec<String>)>) {
        match self {
            Extra::Key(k, v) => context.push((k.to_string(), vec![v.clone()])),
            Extra::Tag { key, value } => {
                context.push(("aws:TagKeys".to_string(), vec![key.clone()]));
                if let Some(v) = value {
                    context.push((format!("aws:RequestTag/{key}"), vec![v.clone()]));
                }
            }
        }
    }
}

/// A tag changed before a technique's steps: on the user or role `who` (the user or
/// role a step acts on, or the caller when it is a user), the tag `key` removed
/// (`value` unset) or set to `value`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Retag {
    who: PrincipalIx,
    key: String,
    value: Option<String>,
}

impl Retag {
    /// A number for the change, the same for equal changes: what [`Raised`], a small
    /// copied value, holds of it.
    fn number(r: Retag) -> u32 {
        let mut all = RETAGS.lock().unwrap_or_else(|e| e.into_inner());
        match all.iter().position(|x| *x == r) {
            Some(i) => i as u32,
            None => {
                all.push(r);
                (all.len() - 1) as u32
            }
        }
    }

    /// The change numbered `n` by [`Retag::number`].
    fn numbered(n: u32) -> Retag {
        RETAGS.lock().unwrap_or_else(|e| e.into_inner())[n as usize].clone()
    }

    /// Whether the change changes a request of `p` on `resource`: the tags the request
    /// takes from its resource, or the caller's own.
    fn changes(&self, org: &Org, p: PrincipalIx, resource: &str) -> bool {
        self.who == p || org.principal_arn(self.who) == resource
    }

    /// The request of `p` as it is once the tag changed: the keys it took from the
    /// tag (`aws:ResourceTag/<key>`, `iam:ResourceTag/<key>` on a request on `who`,
    /// `aws:PrincipalTag/<key>` on a request of `who`) taken out, then set to the new
    /// value. Over the question's context too: the tag is what the technique made it.
    fn apply(&self, org: &Org, p: PrincipalIx, ask: &Ask, request: &mut Request) {
        let mut keys = Vec::new();
        if org.principal_arn(self.who) == ask.resource {
            keys = entity_tag_keys(&ask.action, self.who, &self.key);
        }
        if self.who == p {
            keys.push(principal_tag_key(&self.key));
        }
        for k in keys {
            request.context.remove_key(&k);
            if let Some(v) = &self.value {
                request
                    .context
                    .insert_key(k, smallvec::SmallVec::from_elem(v.as_str().into(), 1));
            }
        }
    }
}

/// The tag changes principals raised their permissions through, numbered
/// ([`Retag::number`]): few, one per principal raised so at most.
static RETAGS: std::sync::Mutex<Vec<Retag>> = std::sync::Mutex::new(Vec::new());

/// At most this many tag changes are tried before one step: the search stays
/// bounded however many tags the policies read.
const MAX_RETAGS: usize = 8;

/// The actions of steps a tag change can open: every step on a user or role of the
/// org but `iam:PassRole`, for which the engine never lets a role's tags allow (IAM
/// User Guide, "Grant a user permissions to pass a role to an AWS service": tags on
/// the role do not control passing it reliably, see
/// [`crate::policy::condition::Condition::unreliable_for`]).
const RETAG_ACTIONS: [&str; 13] = [
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "iam:UpdateAssumeRolePolicy",
    "sts:AssumeRole",
    "iam:PutUserPolicy",
    "iam:AttachUserPolicy",
    "iam:PutRolePolicy",
    "iam:AttachRolePolicy",
    "iam:DeleteUserPermissionsBoundary",
    "iam:DeleteRolePermissionsBoundary",
    "iam:PutUserPermissionsBoundary",
    "iam:PutRolePermissionsBoundary",
];

/// Which tags a condition reads: the resource's (`aws:ResourceTag/<key>`,
/// `iam:ResourceTag/<key>`) or the caller's (`aws:PrincipalTag/<key>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Resource,
    Principal,
}

/// A condition that reads a tag: which side's, the tag key as the policy writes it,
/// and the values it compares the tag with, as written.
#[derive(Debug)]
struct Read {
    side: Side,
    tag: String,
    values: Vec<String>,
}

/// A value a tag is compared with.
enum TagValue<'v> {
    /// A plain value: the tag can be given it.
    Literal(&'v str),
    /// `${aws:PrincipalTag/<key>}`: the caller's tag.
    Principal(&'v str),
    /// `${aws:ResourceTag/<key>}` or `${iam:ResourceTag/<key>}`: the resource's tag.
    Resource(&'v str),
    /// A pattern or any other variable: no value to try.
    Other,
}

impl TagValue<'_> {
    fn of(v: &str) -> TagValue<'_> {
        let Some(inner) = v.strip_prefix("${").and_then(|x| x.strip_suffix('}')) else {
            return if v.contains(['*', '?', '$']) {
                TagValue::Other
            } else {
                TagValue::Literal(v)
            };
        };
        let tail = |prefix: &str| {
            inner
                .get(..prefix.len())
                .filter(|h| h.eq_ignore_ascii_case(prefix))
                .map(|_| &inner[prefix.len()..])
                .filter(|k| !k.is_empty() && !k.contains(['$', '{', '}']))
        };
        if let Some(k) = tail("aws:PrincipalTag/") {
            TagValue::Principal(k)
        } else if let Some(k) = tail("aws:ResourceTag/").or_else(|| tail("iam:ResourceTag/")) {
            TagValue::Resource(k)
        } else {
            TagValue::Other
        }
    }
}

/// Per action of [`RETAG_ACTIONS`], per document of the org holding a statement on
/// that action (Allow or Deny) whose conditions read a tag: those reads. Built once
/// per org (by its stamp) and shared: most orgs read no tag on these actions, and
/// then no tag change is ever tried.
struct TagReads {
    by_action: Vec<FxMap<usize, Vec<Read>>>,
    /// The tag keys (lower case) a change of which on a user (`[0]`) or a role
    /// (`[1]`) other than the caller could change what the search decides after
    /// reaching it, as it goes on with the tags the org holds: read as a principal's
    /// tag anywhere (`aws:PrincipalTag/K`, `${aws:PrincipalTag/K}`), or as the
    /// resource's tag on a way to raise one's own permissions on a user (a role).
    settled: [Vec<String>; 2],
}

impl TagReads {
    fn of(org: &Org) -> Arc<TagReads> {
        static LAST: std::sync::Mutex<Option<(u64, Arc<TagReads>)>> = std::sync::Mutex::new(None);
        let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((stamp, reads)) = &*last
            && *stamp == org.stamp()
        {
            return reads.clone();
        }
        let reads = Arc::new(TagReads::build(org));
        *last = Some((org.stamp(), reads.clone()));
        reads
    }

    fn build(org: &Org) -> TagReads {
        let by_action: Vec<FxMap<usize, Vec<Read>>> = RETAG_ACTIONS
            .iter()
            .map(|action| {
                let mut out: FxMap<usize, Vec<Read>> = FxMap::default();
                let Ok(probe) = Request::new(
                    "arn:aws:iam::000000000000:user/probe",
                    action,
                    "arn:aws:iam::000000000000:user/probe",
                    Some("000000000000"),
                    Default::default(),
                ) else {
                    return out;
                };
                for (d, doc) in org.docs().iter().enumerate() {
                    for st in doc.policy.statements() {
                        if !st.covers_action(&probe) {
                            continue;
                        }
                        for c in &st.conditions {
                            let Some((side, tag)) = tag_read(&c.key) else {
                                continue;
                            };
                            out.entry(d).or_default().push(Read {
                                side,
                                tag: tag.to_string(),
                                values: c.raw_values.clone(),
                            });
                        }
                    }
                }
                out
            })
            .collect();
        let mut principal: Vec<String> = Vec::new();
        for doc in org.docs() {
            for st in doc.policy.statements() {
                for c in &st.conditions {
                    if let Some((Side::Principal, tag)) = tag_read(&c.key) {
                        principal.push(tag.to_ascii_lowercase());
                    }
                }
                let values = st.conditions.iter().flat_map(|c| c.raw_values.iter());
                let resources = st.resource_patterns().map_or(&[][..], |(_, r)| r);
                for text in values.chain(resources) {
                    principal.extend(principal_variables(text));
                }
            }
        }
        let settled = [
            ("User", &["iam:PutUserPolicy", "iam:AttachUserPolicy"][..]),
            ("Role", &["iam:PutRolePolicy", "iam:AttachRolePolicy"][..]),
        ]
        .map(|(kind, writes)| {
            let mut keys = principal.clone();
            let boundary = [
                format!("iam:Delete{kind}PermissionsBoundary"),
                format!("iam:Put{kind}PermissionsBoundary"),
            ];
            let own = writes
                .iter()
                .copied()
                .chain(boundary.iter().map(String::as_str));
            for action in own {
                let Some(a) = RETAG_ACTIONS.iter().position(|x| *x == action) else {
                    continue;
                };
                keys.extend(
                    by_action[a]
                        .values()
                        .flatten()
                        .filter(|r| r.side == Side::Resource)
                        .map(|r| r.tag.to_ascii_lowercase()),
                );
            }
            keys.sort();
            keys.dedup();
            keys
        });
        TagReads { by_action, settled }
    }

    /// Whether a change of `key` on `who`, not the caller, leaves what the search
    /// decides after reaching `who` as it is (see `settled`).
    fn settles(&self, who: PrincipalIx, key: &str) -> bool {
        let i = usize::from(matches!(who, PrincipalIx::Role(_)));
        self.settled[i]
            .binary_search(&key.to_ascii_lowercase())
            .is_err()
    }
}

/// The tag keys of the `${aws:PrincipalTag/K}` variables in `text`, lower case.
fn principal_variables(text: &str) -> Vec<String> {
    let lower = text.to_ascii_lowercase();
    lower
        .split("${aws:principaltag/")
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(k, _)| k.to_string()))
        .collect()
}

/// The side and tag key a condition key reads (`aws:ResourceTag/team`: the
/// resource's `team`), if it reads a tag.
fn tag_read(key: &str) -> Option<(Side, &str)> {
    let (head, tag) = key.split_once('/')?;
    let side = if head.eq_ignore_ascii_case("aws:ResourceTag")
        || head.eq_ignore_ascii_case("iam:ResourceTag")
    {
        Side::Resource
    } else if head.eq_ignore_ascii_case("aws:PrincipalTag") {
        Side::Principal
    } else {
        return None;
    };
    (!tag.is_empty()).then_some((side, tag))
}

/// The tags of a user or role.
fn tags_of(org: &Org, p: PrincipalIx) -> &[crate::org::entities::Tag] {
    match p {
        PrincipalIx::User(u) => &org.user(u).tags,
        PrincipalIx::Role(r) => &org.role(r).tags,
    }
}

/// The policies a step is asked under, when an earlier step of its technique
/// changed them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Under {
    /// As the org holds them.
    AsIs,
    /// The role's trust policy rewritten to name the caller.
    RewrittenTrust,
    /// The caller's permissions boundary removed (or replaced by one that allows
    /// everything: the same to the engine).
    NoBoundary,
    /// A version of one of the caller's managed policies made the default: the
    /// policy's document is that version's.
    Version(PolicyIx, DocIx),
}

/// How a principal raised its own permissions (the best of its self-edges, see
/// [`Prefilter::raise`]): from then on it holds a policy of its own writing that
/// allows everything, as `AdministratorAccess` does, beside the policies it had. The
/// SCPs and, unless the technique lifted it, its permissions boundary still cap it.
/// On the side of reporting less, not more: the policies it could then remove (a
/// Deny of its own, the group it joined, the version it made the default) still
/// apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Raised {
    /// Its permissions boundary removed (or replaced by one allowing everything).
    pub lifted: bool,
    /// The group it joined to write itself a policy: the group's policies apply too.
    pub joined: Option<GroupIx>,
    /// The managed policy whose other version it made the default, and that version:
    /// its document applies too.
    pub version: Option<DocIx>,
    /// The tag change it made to itself first, where it raised through one (see
    /// [`Retag`]): its later requests are asked with its tags so changed, by the
    /// change's number ([`Retag::number`]).
    retag: Option<u32>,
}

impl Raised {
    /// What raising by `e` (one of `p`'s self-edges) leaves `p` with.
    pub fn by(org: &Org, p: PrincipalIx, e: &Edge) -> Raised {
        // A tag change first (made to itself: a self-edge's steps act on `p` or its
        // groups and policies): the raising is the technique after it.
        let (retag, steps) = match e.steps.split_first() {
            Some((t, rest)) if t.tag_key.is_some() => (
                Some(Retag::number(Retag {
                    who: p,
                    key: t.tag_key.clone().unwrap_or_default(),
                    value: t.tag_value.clone(),
                })),
                rest,
            ),
            _ => (None, &e.steps[..]),
        };
        let first = steps.first().map_or("", |s| s.action.as_str());
        let joined = (first == "iam:AddUserToGroup")
            .then(|| {
                let arn = &steps[0].resource;
                org.groups()
                    .iter()
                    .position(|g| &*g.arn == arn)
                    .map(GroupIx::new)
            })
            .flatten();
        let version = steps
            .first()
            .filter(|s| s.action == "iam:SetDefaultPolicyVersion")
            .and_then(|s| {
                let x = org
                    .identity_policies(p)
                    .find(|&x| org.policy(x).arn.as_deref() == Some(s.resource.as_str()))?;
                let v = s.version.as_deref()?;
                let rec = org.policy(x);
                rec.other_versions
                    .iter()
                    .find(|o| &*o.id == v)
                    .map(|o| o.doc)
            });
        Raised {
            lifted: first.ends_with("PermissionsBoundary"),
            joined,
            version,
            retag,
        }
    }

    /// The tag change it made to itself, if any.
    fn retag(self) -> Option<Retag> {
        self.retag.map(Retag::numbered)
    }

    /// `p`'s policies, as they are once it raised them.
    pub fn apply<'o>(self, org: &'o Org, set: &mut PolicySet<'o>) {
        set.identity.push(allow_all());
        if let Some(g) = self.joined {
            let group = org.group(g);
            set.identity.extend(
                group
                    .managed
                    .iter()
                    .chain(&group.inline)
                    .map(|&x| &**org.compiled(x)),
            );
        }
        if let Some(d) = self.version {
            set.identity.push(&*org.docs()[d.index()].policy);
        }
        if self.lifted {
            set.boundary = None;
        }
    }
}

/// The policy a principal that can write its own policies gives itself: everything
/// (`AdministratorAccess`'s document).
fn allow_all() -> &'static Policy {
    static ALL: std::sync::OnceLock<Policy> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        Policy::parse(
            PolicyKind::Identity,
            "AdministratorAccess",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        )
        .expect("a valid policy")
    })
}

/// How many items one task decides in one [`Batch`]: small enough that a single
/// account's principals still spread over every core.
const CHUNK: usize = 64;

/// `f` over every item, in parallel, each chunk of items whose principal
/// (`principal(item)`) is of one account deciding in one [`Batch`] of that account;
/// the answers in the items' order.
pub fn in_batches<T, R, P, F>(
    org: &Org,
    context: &[(String, Vec<String>)],
    items: &[T],
    principal: P,
    f: F,
) -> Vec<R>
where
    T: Sync,
    R: Send,
    P: Fn(&T) -> PrincipalIx + Sync,
    F: Fn(&mut Batch<'_>, &T) -> R + Sync,
{
    in_batches_until(org, context, items, principal, f, &|| false).unwrap_or_default()
}

/// As [`in_batches`], asking `stopped` before each chunk: `None` once it says stop
/// (a UI closing), so that a whole-org run ends within a chunk's time, not its own.
pub fn in_batches_until<T, R, P, F>(
    org: &Org,
    context: &[(String, Vec<String>)],
    items: &[T],
    principal: P,
    f: F,
    stopped: &(dyn Fn() -> bool + Sync),
) -> Option<Vec<R>>
where
    T: Sync,
    R: Send,
    P: Fn(&T) -> PrincipalIx + Sync,
    F: Fn(&mut Batch<'_>, &T) -> R + Sync,
{
    use rayon::prelude::*;
    let key = |i: usize| {
        let p = principal(&items[i]);
        (org.principal_account(p), p)
    };
    let mut order: Vec<usize> = (0..items.len()).collect();
    // Most callers give their items in this order already: then the chunks' answers
    // are in the items' order as they come, and need no reordering.
    let in_order = order.is_sorted_by_key(|&i| key(i));
    if !in_order {
        order.sort_by_key(|&i| key(i));
    }
    let chunks: Vec<&[usize]> = order
        .chunk_by(|&a, &b| key(a).0 == key(b).0)
        .flat_map(|run| run.chunks(CHUNK))
        .collect();
    // Collecting into an `Option` ends at the first `None`: the chunks not started
    // are never decided.
    let decided: Vec<Vec<(usize, R)>> = chunks
        .par_iter()
        .map(|chunk| {
            if stopped() {
                return None;
            }
            let mut batch = Batch::new(org, key(chunk[0]).0, context);
            // Sorted by caller: one caller alone in the chunk asks of each target once.
            batch.keep_targets = key(chunk[0]) != key(chunk[chunk.len() - 1]);
            Some(
                chunk
                    .iter()
                    .map(|&i| (i, f(&mut batch, &items[i])))
                    .collect::<Vec<_>>(),
            )
        })
        .collect::<Option<_>>()?;
    if in_order {
        return Some(decided.into_iter().flatten().map(|(_, r)| r).collect());
    }
    let mut out: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    for (i, r) in decided.into_iter().flatten() {
        out[i] = Some(r);
    }
    Some(out.into_iter().flatten().collect())
}

/// A trust policy that lets `p` (and only it) assume the role: what
/// `iam:UpdateAssumeRolePolicy` writes.
fn rewritten_trust(org: &Org, p: PrincipalIx) -> Option<Policy> {
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{}"}},"Action":"sts:AssumeRole"}}]}}"#,
        org.principal_arn(p)
    );
    Policy::parse(PolicyKind::Resource, "rewritten trust", &text).ok()
}

/// A technique not yet decided: its requests, the context its steps add (the
/// service a role is passed to), and whether its last step is asked under a trust
/// policy the caller rewrote.
struct Technique {
    via: String,
    steps: Vec<Step>,
    /// The context key a step sets, by the step's index (the service a role is
    /// passed to, the boundary removed or put, the instance profile launched).
    sets: Vec<(usize, Extra)>,
    /// What the steps after the first are asked under (after the first two, the
    /// first a tag step, where `retag` is set).
    then: Under,
    /// The tag change its first step makes: its other steps are asked under it.
    retag: Option<Retag>,
}

impl Technique {
    fn one(action: &str, resource: &str) -> Technique {
        Technique {
            via: action.to_string(),
            steps: vec![step(action, resource)],
            sets: Vec::new(),
            then: Under::AsIs,
            retag: None,
        }
    }

    /// Marks the steps that act on `q` (its ARN their resource) as acting on it.
    fn on(mut self, org: &Org, q: PrincipalIx) -> Technique {
        let arn = org.principal_arn(q);
        for s in &mut self.steps {
            if s.resource == arn {
                s.on = Some(q);
            }
        }
        self
    }

    /// The edge of this technique, allowed with the context `needs`.
    fn into_edge(self, needs: Vec<Condition>) -> Edge {
        Edge {
            via: self.via,
            steps: self.steps,
            needs,
        }
    }

    /// Every step decided; the edge, with the needs of all its steps, when each is
    /// allowed.
    fn decide(self, batch: &mut Batch<'_>, p: PrincipalIx) -> Option<Edge> {
        self.decide_as(batch, p, None)
    }

    /// [`Technique::decide`], the caller's permissions `raised` when it raised them.
    ///
    /// A technique that fails is tried again after a tag change where a statement
    /// bearing on the step that failed reads a tag ([`Batch::retags`]): the change
    /// is a first step of its own, decided by the engine, and every step of the
    /// technique is asked again under the changed tags.
    fn decide_as(
        self,
        batch: &mut Batch<'_>,
        p: PrincipalIx,
        raised: Option<Raised>,
    ) -> Option<Edge> {
        match self.needs(batch, p, raised) {
            Ok(needs) => Some(self.into_edge(needs)),
            Err(failed) => self.retagged_after(batch, p, raised, failed),
        }
    }

    /// The technique after a tag change, where step `failed` was not allowed as it is.
    fn retagged_after(
        &self,
        batch: &mut Batch<'_>,
        p: PrincipalIx,
        raised: Option<Raised>,
        failed: usize,
    ) -> Option<Edge> {
        if self.retag.is_some() {
            return None;
        }
        let under = self.under(failed);
        let mut found: Option<Edge> = None;
        let retags = batch.retags(p, &self.steps[failed], under, raised);
        if let Some(r) = batch.recording.as_mut().filter(|_| !retags.is_empty()) {
            r.whole = false;
        }
        for r in retags {
            if let Some(e) = self.retagged(batch.org, r).decide_as(batch, p, raised) {
                if e.needs.is_empty() {
                    return Some(e);
                }
                found.get_or_insert(e);
            }
        }
        found
    }

    /// What step `i` is asked under: the first step as the org holds the policies (and
    /// the step after a tag step too: the tag changes no policy).
    fn under(&self, i: usize) -> Under {
        if i <= usize::from(self.retag.is_some()) {
            Under::AsIs
        } else {
            self.then
        }
    }

    /// How step `i` is asked, the caller `raised` as it says.
    fn how(&self, i: usize, raised: Option<Raised>) -> How<'_> {
        How {
            extra: self.sets.iter().find(|(j, _)| *j == i).map(|(_, e)| e),
            under: self.under(i),
            raised,
            // The tag step itself is asked on the tags as they are.
            retag: self.retag.as_ref().filter(|_| i > 0),
        }
    }

    /// The needs of every step, each allowed; else the index of the first step the
    /// engine does not allow.
    fn needs(
        &self,
        batch: &mut Batch<'_>,
        p: PrincipalIx,
        raised: Option<Raised>,
    ) -> Result<Vec<Condition>, usize> {
        let mut needs: Vec<Condition> = Vec::new();
        for (i, s) in self.steps.iter().enumerate() {
            let decided = batch.decide(p, s, self.how(i, raised));
            for n in decided.ok_or(i)? {
                if !needs.contains(&n) {
                    needs.push(n);
                }
            }
        }
        Ok(needs)
    }

    /// This technique after the tag change `r`: the tag step first.
    fn retagged(&self, org: &Org, r: Retag) -> Technique {
        let who = org.principal_arn(r.who);
        let (verb, noun) = match (&r.value, r.who) {
            (Some(_), PrincipalIx::User(_)) => ("Tag", "User"),
            (Some(_), PrincipalIx::Role(_)) => ("Tag", "Role"),
            (None, PrincipalIx::User(_)) => ("Untag", "User"),
            (None, PrincipalIx::Role(_)) => ("Untag", "Role"),
        };
        let action = format!("iam:{verb}{noun}");
        let mut tag = step(&action, who);
        tag.tag_key = Some(r.key.clone());
        tag.tag_value = r.value.clone();
        let mut steps = vec![tag];
        steps.extend(self.steps.iter().cloned());
        let mut sets = vec![(
            0,
            Extra::Tag {
                key: r.key.clone(),
                value: r.value.clone(),
            },
        )];
        sets.extend(self.sets.iter().map(|(i, e)| (i + 1, e.clone())));
        Technique {
            via: format!("{action}+{}", self.via),
            steps,
            sets,
            then: self.then,
            retag: Some(r),
        }
    }
}

fn step(action: &str, resource: &str) -> Step {
    Step {
        action: action.to_string(),
        resource: resource.to_string(),
        version: None,
        tag_key: None,
        tag_value: None,
        on: None,
    }
}

fn region(context: &[(String, Vec<String>)]) -> String {
    context
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("aws:RequestedRegion"))
        .and_then(|(_, v)| v.first().cloned())
        .unwrap_or_else(|| "us-east-1".to_string())
}

/// The services `q`'s trust policy lets assume it, in [`SERVICES`] order.
fn trusted_services(org: &Org, q: PrincipalIx) -> Vec<usize> {
    let PrincipalIx::Role(r) = q else {
        return Vec::new();
    };
    let Some(trust) = org.role(r).trust else {
        return Vec::new();
    };
    let mut named: Vec<usize> = Vec::new();
    for s in org.compiled(trust).statements() {
        if s.effect != crate::policy::Effect::Allow {
            continue;
        }
        let Some((false, principals)) = s.named_principals() else {
            continue;
        };
        for n in principals {
            if let NamedPrincipal::Service(v) = n {
                named.extend(
                    SERVICES
                        .iter()
                        .enumerate()
                        .filter(|(_, (svc, _))| svc.eq_ignore_ascii_case(v))
                        .map(|(i, _)| i),
                );
            }
        }
    }
    named.sort_unstable();
    named.dedup();
    named
}

/// A service-linked role (`/aws-service-role/`) or an IAM Identity Center role
/// (`/aws-reserved/`): AWS owns it, and no customer can change its trust or its
/// policies (IAM User Guide, "Using service-linked roles"; IAM Identity Center
/// User Guide, "Referencing permission sets"). Passing one to a service is also
/// not possible: its trust names only its own service.
pub(super) fn aws_owned(org: &Org, p: PrincipalIx) -> bool {
    let arn = org.principal_arn(p);
    matches!(p, PrincipalIx::Role(_))
        && (arn.contains(":role/aws-service-role/") || arn.contains(":role/aws-reserved/"))
}

/// The techniques from `p` to another principal `q` of its account, in a fixed
/// order (the search prefers the first of equal cost). Built one at a time: the
/// search stops at the first allowed with no context, most often the first.
fn techniques_between<'a>(
    org: &'a Org,
    p: PrincipalIx,
    q: PrincipalIx,
    context: &'a [(String, Vec<String>)],
) -> Box<dyn Iterator<Item = Technique> + 'a> {
    if p == q || org.principal_account(p) != org.principal_account(q) || aws_owned(org, q) {
        return Box::new(std::iter::empty());
    }
    let arn = org.principal_arn(q);
    match q {
        PrincipalIx::User(_) => Box::new(
            USER_TECHNIQUES
                .into_iter()
                .map(move |action| Technique::one(action, arn).on(org, q)),
        ),
        PrincipalIx::Role(_) => {
            // Rewrite the trust policy to name P, then assume the role under it.
            let rewrite = std::iter::once_with(move || Technique {
                via: "iam:UpdateAssumeRolePolicy".to_string(),
                steps: vec![
                    step("iam:UpdateAssumeRolePolicy", arn),
                    step("sts:AssumeRole", arn),
                ],
                sets: Vec::new(),
                then: Under::RewrittenTrust,
                retag: None,
            });
            let passed = std::iter::once_with(move || {
                let account = &*org.account(org.principal_account(p)).id;
                let region = region(context);
                trusted_services(org, q)
                    .into_iter()
                    .flat_map(|i| match SERVICES[i].1[0].0 {
                        "ec2:RunInstances" => ec2_instances(org, q, account, &region),
                        _ => vec![pass_role(arn, i, account, &region)],
                    })
                    .collect::<Vec<_>>()
            })
            .flatten();
            Box::new(rewrite.chain(passed).map(move |t| t.on(org, q)))
        }
    }
}

/// The techniques towards a user, each one request on it: the same for every user.
const USER_TECHNIQUES: [&str; 3] = [
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
];

/// Passing role `arn` to the service `SERVICES[i]`, then running code there.
fn pass_role(arn: &str, i: usize, account: &str, region: &str) -> Technique {
    let (service, actions) = SERVICES[i];
    let mut steps = vec![step("iam:PassRole", arn)];
    steps.extend(actions.iter().map(|(a, r)| {
        step(
            a,
            &r.replace("{region}", region).replace("{account}", account),
        )
    }));
    let via = format!(
        "iam:PassRole+{}",
        actions
            .iter()
            .map(|(a, _)| *a)
            .collect::<Vec<_>>()
            .join("+")
    );
    Technique {
        via,
        steps,
        sets: vec![(0, Extra::Key("iam:PassedToService", service.to_string()))],
        then: Under::AsIs,
        retag: None,
    }
}

/// Passing role `q` to an EC2 instance, through an instance profile that holds it
/// (IAM User Guide, "Using an IAM role to grant permissions to applications running on
/// Amazon EC2 instances": an instance gets a role only through a profile; PMapper's
/// EC2 edge checker; Rhino Security Labs' method 3). Where the org knows the role's
/// profiles: launching an instance with one (`ec2:InstanceProfile` names it on
/// `ec2:RunInstances`), or launching one without and then associating the profile
/// (`ec2:AssociateIamInstanceProfile`, `ec2:NewInstanceProfile`); where it knows the
/// role has none: creating a profile and adding the role to it first
/// (`iam:CreateInstanceProfile`, `iam:AddRoleToInstanceProfile`, which takes
/// `iam:PassRole` on the role too). Where the org does not know (`None`): the role is
/// taken to have a profile, as before the loaders kept them.
fn ec2_instances(org: &Org, q: PrincipalIx, account: &str, region: &str) -> Vec<Technique> {
    let PrincipalIx::Role(r) = q else {
        return Vec::new();
    };
    let arn = org.principal_arn(q);
    let instances = format!("arn:aws:ec2:{region}:{account}:instance/*");
    let passed = || Extra::Key("iam:PassedToService", "ec2.amazonaws.com".to_string());
    let Some(profiles) = &org.role(r).instance_profiles else {
        let run = SERVICES
            .iter()
            .position(|(_, a)| a[0].0 == "ec2:RunInstances");
        return run
            .map(|i| pass_role(arn, i, account, region))
            .into_iter()
            .collect();
    };
    if profiles.is_empty() {
        let profile = format!("arn:aws:iam::{account}:instance-profile/orgscope-escalation");
        return vec![Technique {
            via: "iam:CreateInstanceProfile+iam:AddRoleToInstanceProfile+iam:PassRole+ec2:RunInstances"
                .to_string(),
            steps: vec![
                step("iam:CreateInstanceProfile", &profile),
                step("iam:AddRoleToInstanceProfile", &profile),
                step("iam:PassRole", arn),
                step("ec2:RunInstances", &instances),
            ],
            sets: vec![
                (2, passed()),
                (3, Extra::Key("ec2:InstanceProfile", profile.clone())),
            ],
            then: Under::AsIs,
            retag: None,
        }];
    }
    let mut out = Vec::new();
    for p in profiles {
        out.push(Technique {
            via: "iam:PassRole+ec2:RunInstances".to_string(),
            steps: vec![
                step("iam:PassRole", arn),
                step("ec2:RunInstances", &instances),
            ],
            sets: vec![
                (0, passed()),
                (1, Extra::Key("ec2:InstanceProfile", p.arn.to_string())),
            ],
            then: Under::AsIs,
            retag: None,
        });
        out.push(Technique {
            via: "iam:PassRole+ec2:RunInstances+ec2:AssociateIamInstanceProfile".to_string(),
            steps: vec![
                step("iam:PassRole", arn),
                step("ec2:RunInstances", &instances),
                step("ec2:AssociateIamInstanceProfile", &instances),
            ],
            sets: vec![
                (0, passed()),
                (2, Extra::Key("ec2:NewInstanceProfile", p.arn.to_string())),
            ],
            then: Under::AsIs,
            retag: None,
        });
    }
    out
}

/// Every escalation edge from `p` to another principal `q` of its account, each
/// technique decided, in a fixed order. Assume-role hops are [`super::hop`]'s.
pub fn edges_between(
    org: &Org,
    p: PrincipalIx,
    q: PrincipalIx,
    context: &[(String, Vec<String>)],
) -> Vec<Edge> {
    let mut batch = Batch::new(org, org.principal_account(p), context);
    techniques_between(org, p, q, context)
        .filter_map(|t| t.decide(&mut batch, p))
        .collect()
}

/// The best of `edges` for a search: the cheapest, the first among equals.
pub fn best(edges: Vec<Edge>) -> Option<Edge> {
    let mut best: Option<Edge> = None;
    for e in edges {
        if best.as_ref().is_none_or(|b| e.cost() < b.cost()) {
            best = Some(e);
        }
    }
    best
}

/// The customer managed policies attached to `p` (or to its groups): a new default
/// version of one is a new policy for `p`.
fn writable_policies(org: &Org, p: PrincipalIx) -> Vec<Arc<str>> {
    let mut out: Vec<Arc<str>> = org
        .identity_policies(p)
        .filter_map(|x| {
            let rec = org.policy(x);
            matches!(rec.origin, PolicyOrigin::CustomerManaged(_))
                .then(|| rec.arn.clone())
                .flatten()
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Making another version of one of `p`'s customer managed policies the default,
/// then writing or attaching a policy to oneself under it (IAM User Guide,
/// "Versioning IAM policies": `iam:SetDefaultPolicyVersion` needs no new document;
/// Rhino Security Labs' method 2, "SetExistingDefaultPolicyVersion"). The write is
/// asked with the version in place of the policy's default document: a version that
/// grants no way to write a policy raises nothing this search calls admin.
fn version_techniques(org: &Org, p: PrincipalIx) -> Vec<Technique> {
    let arn = org.principal_arn(p);
    let writes = match p {
        PrincipalIx::User(_) => ["iam:PutUserPolicy", "iam:AttachUserPolicy"],
        PrincipalIx::Role(_) => ["iam:PutRolePolicy", "iam:AttachRolePolicy"],
    };
    let mut held: Vec<PolicyIx> = org
        .identity_policies(p)
        .filter(|&x| {
            let rec = org.policy(x);
            matches!(rec.origin, PolicyOrigin::CustomerManaged(_)) && !rec.other_versions.is_empty()
        })
        .collect();
    held.sort_unstable();
    held.dedup();
    let mut out = Vec::new();
    for x in held {
        let rec = org.policy(x);
        let Some(policy) = rec.arn.as_deref() else {
            continue;
        };
        for v in &rec.other_versions {
            for write in writes {
                let mut set = step("iam:SetDefaultPolicyVersion", policy);
                set.version = Some(v.id.to_string());
                out.push(Technique {
                    via: format!("iam:SetDefaultPolicyVersion+{write}"),
                    steps: vec![set, step(write, arn)],
                    sets: Vec::new(),
                    then: Under::Version(x, v.doc),
                    retag: None,
                });
            }
        }
    }
    out
}

/// Per document of the org, per action of [`FIRST_ACTIONS`]: an Allow covers it.
fn first_docs(org: &Org) -> Vec<Vec<bool>> {
    let probe = "arn:aws:iam::000000000000:user/probe";
    FIRST_ACTIONS
        .iter()
        .map(|a| docs_allowing(org, a, probe))
        .collect()
}

/// Whether a group's own policies grant a way to write or attach a user policy: a
/// user who joins it can then give itself anything.
fn group_escalates(org: &Org, g: crate::org::GroupIx, docs: &[Vec<bool>]) -> bool {
    let at = |a: &str| FIRST_ACTIONS.iter().position(|x| *x == a).unwrap_or(0);
    let (put, attach) = (at("iam:PutUserPolicy"), at("iam:AttachUserPolicy"));
    let group = org.group(g);
    group.managed.iter().chain(&group.inline).any(|&x| {
        let d = org.policy(x).doc.index();
        docs[put][d] || docs[attach][d]
    })
}

/// Per account, its groups.
fn groups_by_account(org: &Org) -> Vec<Vec<crate::org::GroupIx>> {
    let mut out = vec![Vec::new(); org.accounts().len()];
    for (i, g) in org.groups().iter().enumerate() {
        out[g.account.index()].push(crate::org::GroupIx::new(i));
    }
    out
}

/// The ways `p` could raise its own permissions, in a fixed order.
fn techniques_self(
    org: &Org,
    p: PrincipalIx,
    docs: &[Vec<bool>],
    groups: &[Vec<crate::org::GroupIx>],
) -> Vec<Technique> {
    let arn = org.principal_arn(p);
    let mut out = Vec::new();
    match p {
        PrincipalIx::User(u) => {
            out.push(Technique::one("iam:PutUserPolicy", arn));
            out.push(Technique::one("iam:AttachUserPolicy", arn));
            for &g in &org.user(u).groups {
                let garn = &org.group(g).arn;
                out.push(Technique::one("iam:PutGroupPolicy", garn));
                out.push(Technique::one("iam:AttachGroupPolicy", garn));
            }
            for &gi in &groups[org.user(u).account.index()] {
                if !org.user(u).groups.contains(&gi) && group_escalates(org, gi, docs) {
                    out.push(Technique::one("iam:AddUserToGroup", &org.group(gi).arn));
                }
            }
        }
        PrincipalIx::Role(_) if aws_owned(org, p) => {}
        PrincipalIx::Role(_) => {
            out.push(Technique::one("iam:PutRolePolicy", arn));
            out.push(Technique::one("iam:AttachRolePolicy", arn));
        }
    }
    for policy in writable_policies(org, p) {
        out.push(Technique::one("iam:CreatePolicyVersion", &policy));
    }
    if !aws_owned(org, p) {
        out.extend(version_techniques(org, p));
    }
    out.extend(boundary_techniques(org, p));
    out.into_iter().map(|t| t.on(org, p)).collect()
}

/// Lifting one's own permissions boundary, then writing or attaching a policy to
/// oneself with nothing to cap it: deleting the boundary, or putting one that allows
/// everything (IAM User Guide, "Permissions boundaries for IAM entities": the
/// boundary actions need the same care as the policy actions; Rhino Security Labs'
/// AWS privilege escalation methods). The boundary step is asked with
/// `iam:PermissionsBoundary` set to the boundary it removes or puts, as IAM sets it,
/// so that a guardrail written on that key applies; the write after it is asked with
/// no boundary. Only for a principal that has a boundary.
fn boundary_techniques(org: &Org, p: PrincipalIx) -> Vec<Technique> {
    let Some(b) = org.boundary(p) else {
        return Vec::new();
    };
    if aws_owned(org, p) {
        return Vec::new();
    }
    let arn = org.principal_arn(p);
    let (kind, writes) = match p {
        PrincipalIx::User(_) => ("User", ["iam:PutUserPolicy", "iam:AttachUserPolicy"]),
        PrincipalIx::Role(_) => ("Role", ["iam:PutRolePolicy", "iam:AttachRolePolicy"]),
    };
    let partition = &org.info().partition;
    let everything = format!("arn:{partition}:iam::aws:policy/AdministratorAccess");
    let lifts = [
        (
            format!("iam:Delete{kind}PermissionsBoundary"),
            org.policy(b).arn.as_deref().map(str::to_string),
        ),
        (
            format!("iam:Put{kind}PermissionsBoundary"),
            Some(everything),
        ),
    ];
    let mut out = Vec::new();
    for (lift, key) in lifts {
        for write in writes {
            out.push(Technique {
                via: format!("{lift}+{write}"),
                steps: vec![step(&lift, arn), step(write, arn)],
                sets: key
                    .clone()
                    .map(|k| (0, Extra::Key("iam:PermissionsBoundary", k)))
                    .into_iter()
                    .collect(),
                then: Under::NoBoundary,
                retag: None,
            });
        }
    }
    out
}

/// Every way `p` can raise its own permissions, each decided, in a fixed order.
pub fn self_edges(org: &Org, p: PrincipalIx, context: &[(String, Vec<String>)]) -> Vec<Edge> {
    let mut batch = Batch::new(org, org.principal_account(p), context);
    techniques_self(org, p, &first_docs(org), &groups_by_account(org))
        .into_iter()
        .filter_map(|t| t.decide(&mut batch, p))
        .collect()
}

/// Whether `p` can give itself any permission with no context beyond the question's.
pub fn is_admin(org: &Org, p: PrincipalIx, context: &[(String, Vec<String>)]) -> bool {
    self_edges(org, p, context)
        .iter()
        .any(|e| e.needs.is_empty())
}

/// Techniques worth asking the engine about: IAM has no resource policies, so the
/// engine allows a technique's first (IAM) action only on an Allow in the caller's
/// identity policies for that action (a resource the org holds under the same ARN
/// is the one exception, kept). `tests/paths_agree.rs` holds the filtered answers
/// equal to the unfiltered ones on every pair of small orgs.
pub struct Prefilter {
    docs: Vec<Vec<bool>>,
    /// Per account, its users and roles.
    pub by_account: Vec<Vec<PrincipalIx>>,
    groups: Vec<Vec<crate::org::GroupIx>>,
    /// Per document: an Allow covers any of [`FIRST_ACTIONS`]; any of [`SELF_ACTIONS`].
    any_first: Vec<bool>,
    any_self: Vec<bool>,
    iam_resources: bool,
}

impl Prefilter {
    pub fn new(org: &Org) -> Prefilter {
        let mut by_account = vec![Vec::new(); org.accounts().len()];
        for p in crate::org::assume_index::all_principals(org) {
            by_account[org.principal_account(p).index()].push(p);
        }
        let docs = first_docs(org);
        let any_of = |actions: &[usize]| -> Vec<bool> {
            (0..org.docs().len())
                .map(|d| actions.iter().any(|&a| docs[a][d]))
                .collect()
        };
        let self_first: Vec<usize> = SELF_ACTIONS
            .iter()
            .filter_map(|a| FIRST_ACTIONS.iter().position(|x| x == a))
            .collect();
        let all: Vec<usize> = (0..FIRST_ACTIONS.len()).collect();
        Prefilter {
            any_first: any_of(&all),
            any_self: any_of(&self_first),
            docs,
            by_account,
            groups: groups_by_account(org),
            // IAM has no resource policies; an org that holds an IAM ARN as a resource
            // with a policy is not filtered (see `worth`).
            iam_resources: org
                .resources()
                .iter()
                .any(|r| r.arn.split(':').nth(2) == Some("iam")),
        }
    }

    /// Whether `p`'s documents allow any technique's first action.
    pub fn may(&self, org: &Org, p: PrincipalIx) -> bool {
        self.iam_resources
            || org
                .identity_policies(p)
                .any(|x| self.any_first[org.policy(x).doc.index()])
    }

    /// Whether `p`'s documents allow the first action of any way to raise its own
    /// permissions ([`SELF_ACTIONS`]): most principals' do not, and are skipped
    /// before their techniques are built.
    pub fn may_self(&self, org: &Org, p: PrincipalIx) -> bool {
        self.iam_resources
            || org
                .identity_policies(p)
                .any(|x| self.any_self[org.policy(x).doc.index()])
    }

    /// Whether technique `t` is worth deciding for `p`.
    fn worth(&self, org: &Org, p: PrincipalIx, t: &Technique) -> bool {
        let first = &t.steps[0];
        // Every first step acts on an IAM ARN: looked up only if the org holds any.
        if self.iam_resources && org.resource_by_arn(&first.resource).is_some() {
            return true;
        }
        let Some(a) = FIRST_ACTIONS.iter().position(|x| *x == first.action) else {
            return true;
        };
        org.identity_policies(p)
            .any(|x| self.docs[a][org.policy(x).doc.index()])
    }

    /// The first of `techniques` that is allowed with no context (nothing beats it),
    /// else the first allowed with some: [`best`] of all of them, deciding fewer.
    fn best_of(
        &self,
        batch: &mut Batch<'_>,
        p: PrincipalIx,
        techniques: impl IntoIterator<Item = Technique>,
    ) -> Option<Edge> {
        let mut found: Option<Edge> = None;
        for t in techniques {
            if !self.worth(batch.org, p, &t) {
                continue;
            }
            if let Some(e) = t.decide(batch, p) {
                if e.needs.is_empty() {
                    return Some(e);
                }
                found.get_or_insert(e);
            }
        }
        found
    }

    /// [`best`] of [`edges_between`], deciding only what can matter; `batch` is of
    /// `p`'s account.
    pub fn best_between(
        &self,
        batch: &mut Batch<'_>,
        p: PrincipalIx,
        q: PrincipalIx,
    ) -> Option<Edge> {
        let org = batch.org;
        if !self.may(org, p) {
            return None;
        }
        let mut techniques = techniques_between(org, p, q, batch.context);
        let first = techniques.next()?;
        let class = batch.class_of(q, &first);
        if let Some(taken) = batch.known(p, q, class) {
            let e = match taken {
                Some(0) => Some(first),
                Some(k) => techniques.nth(k - 1),
                None => None,
            }
            .map(|t| t.into_edge(Vec::new()));
            // Tests run debug builds: every answer taken so is decided there too.
            debug_assert_eq!(
                e,
                self.best_of(batch, p, techniques_between(org, p, q, batch.context)),
                "the techniques towards {} taken by their class",
                org.principal_arn(q)
            );
            return e;
        }
        // Which techniques a target has depends on more than its class but for a
        // user's: of a role's, only the first is learnt.
        let user = matches!(q, PrincipalIx::User(_)) && !self.iam_resources;
        batch.recording = Some(Recording {
            blinds: Vec::new(),
            whole: true,
        });
        let mut found: Option<Edge> = None;
        let mut taken: Option<(usize, Edge)> = None;
        for (k, t) in std::iter::once(first).chain(techniques).enumerate() {
            if k > 0 && !user {
                batch.recording = None;
            }
            if !self.worth(org, p, &t) {
                continue;
            }
            let decided = match t.needs(batch, p, None) {
                Ok(needs) => Some(t.into_edge(needs)),
                Err(failed) => t.retagged_after(batch, p, None, failed),
            };
            if let Some(e) = decided {
                if e.needs.is_empty() {
                    taken = Some((k, e));
                    break;
                }
                found.get_or_insert(e);
            }
        }
        let learnable = match &taken {
            Some((k, _)) => user || *k == 0,
            None => user && found.is_none(),
        };
        if let Some(recorded) = batch.recording.take().filter(|_| learnable) {
            batch.learn(p, q, class, taken.as_ref().map(|(k, _)| *k), recorded);
        }
        taken.map(|(_, e)| e).or(found)
    }

    /// [`edges_between`], skipping techniques that cannot be allowed.
    pub fn edges_between(
        &self,
        org: &Org,
        p: PrincipalIx,
        q: PrincipalIx,
        context: &[(String, Vec<String>)],
    ) -> Vec<Edge> {
        let mut batch = Batch::new(org, org.principal_account(p), context);
        techniques_between(org, p, q, context)
            .filter(|t| self.worth(org, p, t))
            .filter_map(|t| t.decide(&mut batch, p))
            .collect()
    }

    /// [`self_edges`], skipping techniques that cannot be allowed.
    pub fn self_edges(
        &self,
        org: &Org,
        p: PrincipalIx,
        context: &[(String, Vec<String>)],
    ) -> Vec<Edge> {
        let mut batch = Batch::new(org, org.principal_account(p), context);
        self.self_edges_in(&mut batch, p)
    }

    /// [`Prefilter::self_edges`] in a batch of `p`'s account.
    pub fn self_edges_in(&self, batch: &mut Batch<'_>, p: PrincipalIx) -> Vec<Edge> {
        let org = batch.org;
        if !self.may_self(org, p) {
            return Vec::new();
        }
        techniques_self(org, p, &self.docs, &self.groups)
            .into_iter()
            .filter(|t| self.worth(org, p, t))
            .filter_map(|t| t.decide(batch, p))
            .collect()
    }

    /// The self-edge `p` raises its permissions by, to go on from there (`None`: it
    /// cannot): the cheapest, and among equals one that lifts its boundary, then one
    /// that writes its own policy, then one that joins a group (its policies then
    /// apply too). Stops at the first allowed with no context, as [`Prefilter::is_admin_in`].
    pub fn raise(&self, batch: &mut Batch<'_>, p: PrincipalIx) -> Option<(Edge, Raised)> {
        let org = batch.org;
        if !self.may_self(org, p) {
            return None;
        }
        let mut techniques = techniques_self(org, p, &self.docs, &self.groups);
        techniques.sort_by_key(|t| match t.steps[0].action.as_str() {
            a if a.ends_with("PermissionsBoundary") => 0,
            "iam:AddUserToGroup" => 2,
            _ => 1,
        });
        let e = self.best_of(batch, p, techniques)?;
        let raised = Raised::by(org, p, &e);
        Some((e, raised))
    }

    /// [`Prefilter::best_between`] for `p` once it raised its permissions (`raised`):
    /// every technique is worth asking, as its own policy now allows every action.
    pub fn best_between_raised(
        &self,
        batch: &mut Batch<'_>,
        p: PrincipalIx,
        q: PrincipalIx,
        raised: Raised,
    ) -> Option<Edge> {
        let mut found: Option<Edge> = None;
        for t in techniques_between(batch.org, p, q, batch.context) {
            if let Some(e) = t.decide_as(batch, p, Some(raised)) {
                if e.needs.is_empty() {
                    return Some(e);
                }
                found.get_or_insert(e);
            }
        }
        found
    }

    /// [`is_admin`], stopping at the first technique allowed with no context; `batch`
    /// is of `p`'s account.
    pub fn is_admin_in(&self, batch: &mut Batch<'_>, p: PrincipalIx) -> bool {
        let org = batch.org;
        if !self.may_self(org, p) {
            return false;
        }
        let techniques = techniques_self(org, p, &self.docs, &self.groups);
        self.best_of(batch, p, techniques)
            .is_some_and(|e| e.needs.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tags a request of an action can read are those the statements covering
    /// it read, and for `sts:AssumeRole` those covering `sts:TagSession` and
    /// `sts:SetSourceIdentity` too: AWS authorizes them with it when the request
    /// carries session tags or a source identity (IAM User Guide, "Pass session tags
    /// in AWS STS"; `engine::implied_actions`).
    #[test]
    fn the_tags_an_action_reads_include_those_of_the_actions_it_implies() {
        let text = r#"{
          "organization": {"id": "o-unit0000", "management_account": "111111111111"},
          "root": {"scps": ["FullAWSAccess", "Reads"]},
          "scps": {"Reads": {"document": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Deny", "Action": "sts:TagSession", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "red"}}},
            {"Effect": "Deny", "Action": "secretsmanager:*", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/env": "prod"}}},
            {"Effect": "Deny", "Action": "iam:CreateAccessKey", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/${aws:PrincipalTag/k}": "x"}}}
          ]}}},
          "accounts": [{"id": "111111111111", "name": "management", "users": {"u": {}}}]
        }"#;
        let (org, report) = crate::org::load_str("unit.json", text);
        let org = org.unwrap_or_else(|| panic!("{report:?}"));
        let mut batch = Batch::new(&org, AccountIx::new(0), &[]);
        let mut read = |action: &str| {
            let a = batch.action_ix(action);
            match batch.tags_read(a) {
                TagsRead::Tags(t) => Some(t.clone()),
                TagsRead::Any => None,
            }
        };
        assert_eq!(read("sts:AssumeRole"), Some(vec!["team".to_string()]));
        assert_eq!(read("iam:UpdateAssumeRolePolicy"), Some(Vec::new()));
        assert_eq!(
            read("secretsmanager:GetSecretValue"),
            Some(vec!["env".to_string()])
        );
        assert_eq!(read("iam:CreateAccessKey"), None);
    }
}
