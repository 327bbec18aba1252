//! The scenario file: every change kind applies over acme, mistakes are refused with
//! their place and the names that exist, the loaded org is never touched, and a saved
//! scenario reads back to the same changes and the same diff.

use std::path::Path;

use orgscope::org::Org;
use orgscope::scenario::{ImpactOptions, Scenario, ScenarioFile, impact, to_text};

fn acme() -> Org {
    orgscope::org::load_builtin_acme()
}

fn from(text: &str) -> ScenarioFile {
    ScenarioFile::from_text(Path::new("s.json"), text.to_string()).unwrap_or_else(|e| panic!("{e}"))
}

fn apply_err(text: &str) -> String {
    match ScenarioFile::from_text(Path::new("s.json"), text.to_string()) {
        Err(e) => e.to_string(),
        Ok(f) => match f.apply(&acme()) {
            Ok(_) => panic!("expected an error for {text}"),
            Err(e) => e.to_string(),
        },
    }
}

const ALLOW_S3: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}"#;

/// One change of every kind, in an order where each builds on the last.
fn every_kind() -> String {
    let trust = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::777777777777:root"}, "Action": "sts:AssumeRole"}]}"#;
    let rcp = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "sqs:*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}}]}"#;
    let bucket = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::777777777777:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::new-bucket/*"}]}"#;
    format!(
        r#"{{"description": "every kind", "changes": [
  {{"op": "create_scp", "name": "OnlyS3", "document": {ALLOW_S3}}},
  {{"op": "edit_scp", "policy": "OnlyS3", "document": {ALLOW_S3}}},
  {{"op": "create_ou", "name": "Quarantine", "parent": "Workloads"}},
  {{"op": "attach_scp", "policy": "OnlyS3", "target": "Quarantine"}},
  {{"op": "detach_scp", "policy": "FullAWSAccess", "target": "Quarantine"}},
  {{"op": "move_account", "account": "data-dev", "to": "Quarantine"}},
  {{"op": "move_ou", "ou": "Quarantine", "to": "root"}},
  {{"op": "create_rcp", "name": "SqsTls", "document": {rcp}}},
  {{"op": "attach_rcp", "policy": "SqsTls", "target": "web-prod"}},
  {{"op": "detach_rcp", "policy": "SqsTls", "target": "web-prod"}},
  {{"op": "delete_rcp", "policy": "SqsTls"}},
  {{"op": "put_managed_policy", "account": "web-dev", "name": "S3All", "document": {ALLOW_S3}}},
  {{"op": "create_user", "account": "web-dev", "name": "ivan", "path": "/people/"}},
  {{"op": "attach_managed_policy", "principal": "ivan", "policy": "S3All"}},
  {{"op": "detach_managed_policy", "principal": "ivan", "policy": "S3All"}},
  {{"op": "put_inline_policy", "principal": "ivan", "name": "Mine", "document": {ALLOW_S3}}},
  {{"op": "delete_inline_policy", "principal": "ivan", "name": "Mine"}},
  {{"op": "add_user_to_group", "user": "ivan", "group": "Developers"}},
  {{"op": "remove_user_from_group", "user": "ivan", "group": "Developers"}},
  {{"op": "set_boundary", "principal": "ivan", "policy": "S3All"}},
  {{"op": "remove_boundary", "principal": "ivan"}},
  {{"op": "delete_managed_policy", "account": "web-dev", "name": "S3All"}},
  {{"op": "create_role", "account": "web-dev", "name": "Builder", "trust": {trust}}},
  {{"op": "set_trust_policy", "role": "Builder", "document": {trust}}},
  {{"op": "put_resource_policy", "resource": "arn:aws:s3:::new-bucket", "account": "web-dev", "document": {bucket}}},
  {{"op": "delete_resource_policy", "resource": "arn:aws:s3:::acme-public-website"}}
]}}"#
    )
}

#[test]
fn every_kind_of_change_applies_and_the_org_stays_as_it_was() {
    let org = acme();
    let before = orgscope::org::export::to_native_text(&org);
    let file = from(&every_kind());
    assert_eq!(file.scenario.changes.len(), 26);
    let after = file.apply(&org).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        orgscope::org::export::to_native_text(&org),
        before,
        "the loaded org changed"
    );
    let ivan = after
        .users()
        .iter()
        .find(|u| u.name() == "ivan")
        .expect("ivan was created");
    assert_eq!(&*ivan.arn, "arn:aws:iam::777777777777:user/people/ivan");
    assert!(ivan.groups.is_empty() && ivan.managed.is_empty() && ivan.boundary.is_none());
    assert!(after.resource_by_arn("arn:aws:s3:::new-bucket").is_some());
    // The bucket's policy is gone; the bucket stays in its account.
    let website = after
        .resource_by_arn("arn:aws:s3:::acme-public-website")
        .expect("the bucket stays");
    assert!(after.resource(website).policy.is_none());
    assert_eq!(
        &*after.account(after.resource(website).account).id,
        "666666666666"
    );
    let data_dev = after.account_by_id("888888888888").unwrap();
    let path: Vec<&str> = after
        .ancestors(data_dev)
        .iter()
        .map(|&o| &*after.ou(o).name)
        .collect();
    assert_eq!(path, ["Quarantine"]);
    // data-dev's SCP levels: root, Quarantine (OnlyS3 alone), the account.
    let levels = after.scp_levels(data_dev);
    let names: Vec<&str> = levels[1].iter().map(|&p| after.policy_name(p)).collect();
    assert_eq!(names, ["OnlyS3"]);
}

#[test]
fn saved_scenario_reads_back_to_the_same_changes_and_diff() {
    let org = acme();
    let file = from(&every_kind());
    let dir = std::env::temp_dir().join(format!("orgscope-scenario-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let saved = dir.join("saved.json");
    orgscope::scenario::save(&file.scenario, &saved, &[]).unwrap();
    let again = ScenarioFile::load(&saved).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.scenario, file.scenario);
    assert_eq!(to_text(&again.scenario), to_text(&file.scenario));
    let options = ImpactOptions {
        actions: Some(vec!["s3:GetObject".into(), "iam:CreateUser".into()]),
        ..ImpactOptions::default()
    };
    let a = impact(&org, &file.apply(&org).unwrap(), &[], &options).unwrap();
    let b = impact(&org, &again.apply(&org).unwrap(), &[], &options).unwrap();
    assert_eq!(a, b);
    assert!(!a.is_empty());
    // Saving never writes over an input.
    let err = orgscope::scenario::save(&file.scenario, &saved, &[&saved]).unwrap_err();
    assert!(err.to_string().contains("refusing to overwrite"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_empty_scenario_changes_nothing() {
    let org = acme();
    let after = orgscope::scenario::apply(&org, &Scenario::default()).unwrap();
    let i = impact(&org, &after, &[], &ImpactOptions::default()).unwrap();
    assert!(i.is_empty() && i.actions.is_empty());
}

#[test]
fn a_target_that_does_not_exist_is_refused_with_the_names_that_do() {
    let e = apply_err(
        r#"{"changes": [
  {"op": "attach_scp", "policy": "DenyAll", "target": "Prdo"}]}"#,
    );
    // Column 55: where the value `"Prdo"` starts.
    assert!(
        e.starts_with(
            "s.json:2:55: at changes[0].target: attach_scp: no root, OU or account `Prdo`"
        ),
        "{e}"
    );
    assert!(e.contains("Prod") && e.contains("web-prod"), "{e}");
    let e =
        apply_err(r#"{"changes": [{"op": "attach_scp", "policy": "DenyAl", "target": "Prod"}]}"#);
    assert!(
        e.contains("at changes[0].policy")
            && e.contains("no SCP `DenyAl`")
            && e.contains("DenyAll"),
        "{e}"
    );
    let e = apply_err(
        r#"{"changes": [{"op": "add_user_to_group", "user": "frank", "group": "OrgAdmins"}]}"#,
    );
    assert!(
        e.contains("no group `OrgAdmins` in account `web-dev`; its groups are: Admins, Developers"),
        "{e}"
    );
    let e = apply_err(
        r#"{"changes": [{"op": "attach_managed_policy", "principal": "frank", "policy": "ReadOnlyAccess"}]}"#,
    );
    assert!(
        e.contains("give its ARN, `arn:aws:iam::aws:policy/ReadOnlyAccess`"),
        "{e}"
    );
    let e = apply_err(
        r#"{"changes": [{"op": "set_boundary", "principal": "OrganizationAccountAccessRole", "policy": "arn:aws:iam::aws:policy/ReadOnlyAccess"}]}"#,
    );
    assert!(
        e.contains("names several; give one of their ARNs")
            && e.contains("arn:aws:iam::555555555555:role/OrganizationAccountAccessRole"),
        "{e}"
    );
}

#[test]
fn a_policy_that_does_not_parse_is_refused_at_its_line_and_column() {
    let text = "{\"changes\": [\n  {\"op\": \"create_scp\", \"name\": \"X\", \"document\": {\n    \"Version\": \"2012-10-17\",\n    \"Statement\": [{\"Effect\": \"Allw\", \"Action\": \"*\", \"Resource\": \"*\"}]}}\n]}";
    // Line 4, column 35: just after the bad value, where the JSON reader stands
    // when it refuses it (as policy errors are located everywhere in orgscope).
    let e = apply_err(text);
    assert!(
        e.starts_with("s.json:4:35: at changes[0].document.Statement[0].Effect: create_scp:"),
        "{e}"
    );
    // An SCP may not name a Principal: the document is checked for what it is used as.
    let e = apply_err(
        r#"{"changes": [{"op": "create_scp", "name": "X", "document": {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}]}}]}"#,
    );
    assert!(e.contains("changes[0].document.Statement[0]"), "{e}");
}

#[test]
fn the_file_shape_is_checked() {
    let e = apply_err(r#"{"changes": [{"op": "attach_scp", "policy": "DenyAll"}]}"#);
    assert!(e.contains("`attach_scp` needs `target`"), "{e}");
    let e = apply_err(
        r#"{"changes": [{"op": "attach_scp", "policy": "DenyAll", "target": "Prod", "account": "x"}]}"#,
    );
    assert!(
        e.contains("at changes[0].account") && e.contains("does not take `account`"),
        "{e}"
    );
    let e = apply_err(r#"{"changes": [{"op": "attach_sc", "policy": "DenyAll"}]}"#);
    assert!(
        e.contains("unknown op `attach_sc`") && e.contains("attach_scp"),
        "{e}"
    );
    let e = apply_err(r#"{"chnages": []}"#);
    assert!(
        e.contains("s.json:1:") && e.contains("unknown field `chnages`"),
        "{e}"
    );
    let e = apply_err(
        "{\"changes\": [\n  {\"op\": \"move_account\", \"account\": 5, \"to\": \"Dev\"}]}",
    );
    assert!(e.starts_with("s.json:2:37: at changes[0].account:"), "{e}");
}

#[test]
fn aws_rules_refuse_what_aws_refuses() {
    // The last SCP of a node, an attached policy, AWS's own policies.
    let e = apply_err(
        r#"{"changes": [{"op": "detach_scp", "policy": "SandboxAllowList", "target": "Sandbox"}]}"#,
    );
    assert!(
        e.contains("refuses to detach the last SCP of OU `Sandbox`"),
        "{e}"
    );
    let e = apply_err(r#"{"changes": [{"op": "delete_scp", "policy": "DenyAll"}]}"#);
    assert!(
        e.contains("`DenyAll` is attached to OU `Suspended`: detach it first"),
        "{e}"
    );
    let e = apply_err(
        r#"{"changes": [{"op": "edit_scp", "policy": "FullAWSAccess", "document": {"Version": "2012-10-17", "Statement": []}}]}"#,
    );
    assert!(e.contains("managed by AWS"), "{e}");
    let e = apply_err(r#"{"changes": [{"op": "move_ou", "ou": "Workloads", "to": "Dev"}]}"#);
    assert!(e.contains("cannot move under itself"), "{e}");
    let e = apply_err(
        r#"{"changes": [{"op": "attach_scp", "policy": "DenyAll", "target": "Suspended"}]}"#,
    );
    assert!(e.contains("already attached"), "{e}");
    let e = apply_err(
        r#"{"changes": [{"op": "put_resource_policy", "resource": "arn:aws:s3:::brand-new", "document": {"Version": "2012-10-17", "Statement": []}}]}"#,
    );
    assert!(e.contains("give `account`"), "{e}");
}

/// DeletePolicy is refused while the policy is attached to any user, group or role
/// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeletePolicy.html:
/// "Before you can delete a managed policy, you must first detach the policy from all
/// users, groups, and roles that it is attached to"); the refusal names them. A
/// policy in use as a permissions boundary is refused too (deleting it would widen
/// what its principal may do), and a detached one is deleted.
#[test]
fn a_managed_policy_is_deleted_only_once_nothing_holds_it() {
    let e = apply_err(
        r#"{"changes": [{"op": "delete_managed_policy", "account": "payments-prod", "name": "PaymentsDataAccess"}]}"#,
    );
    assert!(
        e.starts_with("s.json:1:") && e.contains("at changes[0].name"),
        "the refusal says where: {e}"
    );
    assert!(
        e.contains("`PaymentsDataAccess` is attached to role PaymentsApp: detach it first"),
        "{e}"
    );
    let e = apply_err(
        r#"{"changes": [{"op": "delete_managed_policy", "account": "payments-prod", "name": "DeployerBoundary"}]}"#,
    );
    assert!(
        e.contains("role PaymentsDeployer (as its permissions boundary)")
            && e.contains("remove it as a boundary"),
        "{e}"
    );
    let e = apply_err(
        r#"{"changes": [{"op": "delete_managed_policy", "account": "payments-prod", "name": "NoSuch"}]}"#,
    );
    assert!(
        e.contains("no customer managed policy `NoSuch`")
            && e.contains("DeployerBoundary, PaymentsDataAccess"),
        "{e}"
    );
    let org = acme();
    let f = from(
        r#"{"changes": [
  {"op": "detach_managed_policy", "principal": "PaymentsApp", "policy": "PaymentsDataAccess"},
  {"op": "delete_managed_policy", "account": "payments-prod", "name": "paymentsdataaccess"}
]}"#,
    );
    let changed = f.apply(&org).unwrap_or_else(|e| panic!("{e}"));
    let arn = "arn:aws:iam::555555555555:policy/PaymentsDataAccess";
    assert!(org.by_arn(arn).is_some(), "the loaded org keeps it");
    assert!(
        changed.by_arn(arn).is_none(),
        "the changed org has it no more"
    );
}

/// A scenario names its targets as the org has them: one made for another org (or
/// for this one before a target was removed) fails on the change that names it.
#[test]
fn a_scenario_that_no_longer_applies_names_the_change_and_the_target() {
    let text = r#"{"changes": [
  {"op": "add_user_to_group", "user": "frank", "group": "Admins"},
  {"op": "move_account", "account": "retired-account", "to": "Sandbox"}]}"#;
    let e = apply_err(text);
    assert!(
        e.contains("at changes[1].account: move_account: no account `retired-account`"),
        "{e}"
    );
}
