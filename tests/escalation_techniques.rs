//! Escalation techniques, one test each, on `tests/paths/escalation-techniques.json`:
//! the technique is found with its steps, each step allowed by `can` on its exact
//! resource, and a principal the technique's guardrail stops is not reported.

#[path = "common/escalation.rs"]
mod escalation;

use escalation::{ACCOUNT, arn, assert_allowed, assert_denied, assert_steps_allowed, reach};
use orgscope::analysis::{self, PathsAnswer};
use orgscope::org::Org;

fn org() -> Org {
    escalation::load("tests/paths/escalation-techniques.json")
}

/// `paths --from` the fixture's user `name`.
fn paths(org: &Org, name: &str) -> PathsAnswer {
    escalation::paths(org, &arn("user", name))
}

/// Deleting one's own permissions boundary, then writing a policy to oneself (IAM
/// User Guide, "Permissions boundaries for IAM entities"; Rhino Security Labs, "AWS
/// IAM privilege escalation methods"). The boundary alone forbids the write.
#[test]
fn deleting_its_own_boundary_makes_a_user_admin() {
    let org = org();
    let me = arn("user", "bounded-dev");
    let a = paths(&org, "bounded-dev");
    assert!(a.admin, "{:#?}", a.escalations);
    let e = &a.escalations[0];
    assert_eq!(e.via, "iam:DeleteUserPermissionsBoundary+iam:PutUserPolicy");
    assert_eq!(e.steps[0].resource, me);
    assert_allowed(
        &org,
        &me,
        "iam:DeleteUserPermissionsBoundary",
        &me,
        &[(
            "iam:PermissionsBoundary",
            &format!("arn:aws:iam::{ACCOUNT}:policy/DevBoundary"),
        )],
    );
    // With the boundary in place the write itself is denied: the edge is the lift.
    assert_denied(&org, &me, "iam:PutUserPolicy", &me, &[]);
}

/// The same for a role (`iam:DeleteRolePermissionsBoundary`).
#[test]
fn deleting_its_own_boundary_makes_a_role_admin() {
    let org = org();
    let role = arn("role", "bounded-ops");
    let a = analysis::paths(&org, &role, None, &[]).unwrap();
    assert!(a.admin, "{:#?}", a.escalations);
    assert_eq!(
        a.escalations[0].via,
        "iam:DeleteRolePermissionsBoundary+iam:PutRolePolicy"
    );
    assert_denied(&org, &role, "iam:PutRolePolicy", &role, &[]);
}

/// Putting a boundary that allows everything (AdministratorAccess) in place of one's
/// own, then writing a policy to oneself; `iam:PermissionsBoundary` names the new one.
#[test]
fn putting_a_broad_boundary_makes_a_user_admin() {
    let org = org();
    let me = arn("user", "bounded-put");
    let a = paths(&org, "bounded-put");
    assert!(a.admin, "{:#?}", a.escalations);
    assert_eq!(
        a.escalations[0].via,
        "iam:PutUserPermissionsBoundary+iam:PutUserPolicy"
    );
    assert_allowed(
        &org,
        &me,
        "iam:PutUserPermissionsBoundary",
        &me,
        &[(
            "iam:PermissionsBoundary",
            "arn:aws:iam::aws:policy/AdministratorAccess",
        )],
    );
}

/// A deny on deleting the boundary, conditioned on `iam:PermissionsBoundary` naming
/// it (IAM User Guide, "IAM condition keys": iam:PermissionsBoundary), stops the lift:
/// the key is set on the request as IAM sets it.
#[test]
fn a_deny_on_the_boundary_key_stops_the_lift() {
    let org = org();
    let a = paths(&org, "bounded-guarded");
    assert!(!a.admin);
    assert!(a.escalations.is_empty(), "{:#?}", a.escalations);
}

/// A role passed to an ECS task: register a task definition whose task role it is,
/// then run it (ECS Developer Guide, "Amazon ECS task IAM role"; Rhino Security Labs'
/// list). Without iam:PassRole there is no edge.
#[test]
fn passing_a_role_to_an_ecs_task_reaches_it() {
    let org = org();
    let me = arn("user", "ecs-dev");
    let task = arn("role", "TaskRole");
    let a = paths(&org, "ecs-dev");
    let r = reach(&a, &task).expect("TaskRole reached");
    assert_eq!(r.path, vec![me.clone(), task.clone()]);
    let e = &r.edges[0];
    assert_eq!(e.via, "iam:PassRole+ecs:RegisterTaskDefinition+ecs:RunTask");
    assert_allowed(
        &org,
        &me,
        "iam:PassRole",
        &task,
        &[("iam:PassedToService", "ecs-tasks.amazonaws.com")],
    );
    assert_steps_allowed(&org, &me, &e.steps[1..]);
    assert!(paths(&org, "ecs-no-pass").reachable.is_empty());
}

/// A role passed to EC2 through an Auto Scaling launch configuration and group (EC2
/// Auto Scaling User Guide, "IAM role for applications that run on Amazon EC2
/// instances"), by a user who cannot run instances itself.
#[test]
fn passing_a_role_to_an_auto_scaling_group_reaches_it() {
    let org = org();
    let me = arn("user", "asg-dev");
    let fleet = arn("role", "FleetRole");
    let a = paths(&org, "asg-dev");
    let r = reach(&a, &fleet).expect("FleetRole reached");
    assert_eq!(
        r.edges[0].via,
        "iam:PassRole+autoscaling:CreateLaunchConfiguration+autoscaling:CreateAutoScalingGroup"
    );
    assert_denied(
        &org,
        &me,
        "ec2:RunInstances",
        &format!("arn:aws:ec2:us-east-1:{ACCOUNT}:instance/*"),
        &[],
    );
}

/// `paths --to` a user: reached by taking its keys (IAM User Guide, "Manage access
/// keys for IAM users": iam:CreateAccessKey on another user).
#[test]
fn paths_to_a_user_through_its_keys() {
    let org = org();
    let deployer = arn("user", "deployer");
    let a = analysis::paths(&org, &arn("user", "key-maker"), Some(&deployer), &[]).unwrap();
    let to = a.to.expect("the user is reached");
    assert_eq!(to.kind, "user");
    assert_eq!(to.edges[0].via, "iam:CreateAccessKey");
    let who = analysis::who_reaches(&org, &deployer, &[]).unwrap();
    let first: Vec<&str> = who.iter().map(|r| r.path[0].as_str()).collect();
    assert!(
        first.contains(&arn("user", "key-maker").as_str()),
        "{first:?}"
    );
    assert!(!first.contains(&arn("user", "ecs-no-pass").as_str()));
    assert!(who.iter().all(|r| r.role == deployer));
}

/// The same from the command line: `paths --to USER` alone lists who reaches the
/// user (table and JSON), and with `--from` gives the path to it.
#[test]
fn cli_paths_to_a_user() {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/paths/escalation-techniques.json");
    let file = file.to_str().unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_orgscope"))
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["paths", file, "--to", "deployer"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!(
            "{} -> [iam:CreateAccessKey] {}",
            arn("user", "key-maker"),
            arn("user", "deployer")
        )),
        "{text}"
    );
    let out = run(&["paths", file, "--to", "deployer", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["to"], arn("user", "deployer"));
    assert_eq!(v["reachable"][0]["kind"], "user");
    let out = run(&[
        "paths",
        file,
        "--from",
        "key-maker",
        "--to",
        "deployer",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["to"]["edges"][0]["via"], "iam:CreateAccessKey");
    assert_eq!(v["to"]["role"], arn("user", "deployer"));
    // A user nobody reaches: exit status 3, as for a role.
    let out = run(&["paths", file, "--from", "ecs-no-pass", "--to", "deployer"]);
    assert_eq!(out.status.code(), Some(3));
}

/// `escalation.self`: a boundary caps what a principal gives itself (High), unless it
/// can lift the boundary (Critical); a guarded boundary gives no finding.
#[test]
fn a_liftable_boundary_is_a_critical_finding() {
    use orgscope::findings::{self, Severity};
    let all = findings::findings(&org(), &findings::Options::default());
    let own = |name: &str| {
        all.iter()
            .find(|f| f.rule == "escalation.self" && f.node == arn("user", name))
    };
    let dev = own("bounded-dev").expect("bounded-dev escalates");
    assert_eq!(dev.severity, Severity::Critical);
    assert!(
        dev.message.contains("iam:DeleteUserPermissionsBoundary on"),
        "{}",
        dev.message
    );
    assert!(own("bounded-guarded").is_none());
}

/// A role passed to SageMaker for a training job or a processing job, which runs the
/// caller's container as the role (SageMaker Developer Guide, "How to use SageMaker
/// AI execution roles"); in the export sample, each by a user allowed only that.
#[test]
fn passing_a_role_to_a_sagemaker_job_reaches_it() {
    let org = escalation::load("sample-orgs/cloudsplaining-export");
    for (user, via) in [
        (
            "privesc-sageMakerCreateTrainingJobPassRole-user",
            "iam:PassRole+sagemaker:CreateTrainingJob",
        ),
        (
            "privesc-sageMakerCreateProcessingJobPassRole-user",
            "iam:PassRole+sagemaker:CreateProcessingJob",
        ),
    ] {
        let a = analysis::paths(&org, user, None, &[]).unwrap();
        let first: Vec<&str> = a
            .reachable
            .iter()
            .filter(|r| r.edges.len() == 1)
            .map(|r| r.edges[0].via.as_str())
            .collect();
        assert!(first.contains(&via), "{user}: {first:?}");
        for r in a.reachable.iter().filter(|r| r.edges[0].via == via) {
            assert_steps_allowed(&org, &r.from, &r.edges[0].steps[1..]);
        }
    }
}

/// A guardrail on `iam:PermissionsBoundary` stops writing one's own policies: IAM sets
/// the key on `iam:PutUserPolicy` and `iam:AttachUserPolicy` to the boundary of the
/// user acted on (Service Authorization Reference, IAM: "Filters access if the
/// specified policy is set as permissions boundary on the IAM entity"), so a Deny
/// naming the user's own boundary applies, and the user is not an administrator.
#[test]
fn a_deny_on_its_own_boundary_stops_writing_its_own_policies() {
    let org = escalation::load("tests/fixtures/org/boundary-keys.json");
    let me = "arn:aws:iam::222222222222:user/selfbound";
    let a = analysis::paths(&org, me, None, &[]).unwrap();
    assert!(!a.admin, "{:#?}", a.escalations);
    assert!(a.escalations.is_empty(), "{:#?}", a.escalations);
    assert_denied(&org, me, "iam:PutUserPolicy", me, &[]);
    // Its own policies allow the write; the boundary key is what denies it.
    assert_allowed(
        &org,
        me,
        "iam:PutUserPolicy",
        me,
        &[(
            "iam:PermissionsBoundary",
            "arn:aws:iam::222222222222:policy/Other",
        )],
    );
}

/// A role passed to a new Lambda function that an event source mapping runs, for a
/// user who may not invoke it (Rhino Security Labs' AWS privilege escalation methods,
/// method 16; AWS Lambda Developer Guide, "Lambda event source mappings": the function
/// runs as its execution role). CreateEventSourceMapping has no resource type
/// (Service Authorization Reference, AWS Lambda), so it is asked on `*`. A
/// permissions boundary that leaves the mapping out (IAM User Guide, "Permissions
/// boundaries for IAM entities") silences the technique for the user it bounds.
#[test]
fn passing_a_role_to_a_function_run_by_an_event_source_mapping_reaches_it() {
    let org = org();
    let me = arn("user", "esm-dev");
    let worker = arn("role", "StreamWorkerRole");
    let a = paths(&org, "esm-dev");
    let r = reach(&a, &worker).expect("StreamWorkerRole reached");
    assert_eq!(r.path, vec![me.clone(), worker.clone()]);
    let e = &r.edges[0];
    assert_eq!(
        e.via,
        "iam:PassRole+lambda:CreateFunction+lambda:CreateEventSourceMapping"
    );
    assert!(e.needs.is_empty(), "{:?}", e.needs);
    assert_allowed(
        &org,
        &me,
        "iam:PassRole",
        &worker,
        &[("iam:PassedToService", "lambda.amazonaws.com")],
    );
    assert_steps_allowed(&org, &me, &e.steps[1..]);
    // Without the mapping the function never runs: invoking it is not allowed.
    assert_denied(
        &org,
        &me,
        "lambda:InvokeFunction",
        &format!("arn:aws:lambda:us-east-1:{ACCOUNT}:function:orgscope-escalation"),
        &[],
    );

    let guarded = arn("user", "esm-guarded");
    assert!(
        paths(&org, "esm-guarded").reachable.is_empty(),
        "the boundary leaves the mapping out"
    );
    assert_denied(&org, &guarded, "lambda:CreateEventSourceMapping", "*", &[]);
    assert_allowed(
        &org,
        &guarded,
        "lambda:CreateFunction",
        &format!("arn:aws:lambda:us-east-1:{ACCOUNT}:function:orgscope-escalation"),
        &[],
    );
}

/// The same technique in the export sample: iam-vulnerable's
/// `privesc16-PassRoleToNewLambdaThenTriggerWithNewDynamo-user`, allowed only
/// iam:PassRole, lambda:CreateFunction and lambda:CreateEventSourceMapping, reaches
/// the roles Lambda may assume.
#[test]
fn the_export_samples_event_source_mapping_user_reaches_lambda_roles() {
    let org = escalation::load("sample-orgs/cloudsplaining-export");
    let user = "privesc16-PassRoleToNewLambdaThenTriggerWithNewDynamo-user";
    let a = analysis::paths(&org, user, None, &[]).unwrap();
    let via = "iam:PassRole+lambda:CreateFunction+lambda:CreateEventSourceMapping";
    let first: Vec<&analysis::Reach> = a
        .reachable
        .iter()
        .filter(|r| r.edges.len() == 1 && r.edges[0].via == via)
        .collect();
    assert!(!first.is_empty(), "{:#?}", a.reachable);
    for r in first {
        assert_steps_allowed(&org, &r.from, &r.edges[0].steps[1..]);
    }
}
