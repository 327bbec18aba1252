//! The organization checks decided with the engine over the catalog (what accounts'
//! SCPs leave allowed) and the condition checks, over acme and variants of it: each
//! where the org triggers it, and silent where a guardrail or a condition makes it
//! false. Expectations come from the policies written here and the AWS pages cited.

use orgscope::findings::{self, Finding, Grade, Options};
use orgscope::org::{Org, load_str};
use serde_json::{Value, json};

fn acme() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-orgs/acme.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn findings_of(v: &Value) -> Vec<Finding> {
    let (org, report) = load_str("acme-variant.json", &v.to_string());
    let org: Org = org.unwrap_or_else(|| panic!("{report}"));
    findings::findings(
        &org,
        &Options {
            now: Some("2026-12-01T00:00:00Z".parse().unwrap()),
            ..Options::default()
        },
    )
}

fn of_rule<'f>(all: &'f [Finding], rule: &str) -> Vec<&'f Finding> {
    all.iter().filter(|f| f.rule == rule).collect()
}

fn account_mut<'v>(v: &'v mut Value, name: &str) -> &'v mut Value {
    v["accounts"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|a| a["name"] == name)
        .unwrap()
}

fn ou_mut<'v>(v: &'v mut Value, name: &str) -> &'v mut Value {
    v["ous"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|o| o["name"] == name)
        .unwrap()
}

/// AWS Organizations User Guide, "SCP evaluation": an action is allowed only where
/// every level allows it and no Deny matches. Acme's Suspended OU attaches DenyAll
/// (`Deny *`): its account can do none of the catalog's actions.
#[test]
fn an_account_whose_scps_deny_everything_is_reported() {
    let all = findings_of(&acme());
    let hits = of_rule(&all, "org.scp-allows-almost-nothing");
    assert_eq!(
        hits.iter()
            .map(|f| f.node_name.as_str())
            .collect::<Vec<_>>(),
        ["old-project"]
    );
    assert!(
        hits[0].message.contains("allow 0 of the catalog's"),
        "{}",
        hits[0].message
    );
    assert_eq!(hits[0].account.as_deref(), Some("121212121212"));
}

/// IAM User Guide, "IAM JSON policy elements: Condition operators": a negated
/// operator matches a request that lacks the key, and not one whose value is listed.
/// With DenyAll limited to other regions than eu-west-1, requests in eu-west-1 pass:
/// the account can still act, under a condition, and is not reported.
#[test]
fn a_deny_everything_limited_by_a_condition_is_not_almost_nothing() {
    let mut v = acme();
    v["scps"]["DenyAll"]["document"]["Statement"][0]["Condition"] =
        json!({"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}});
    let all = findings_of(&v);
    assert!(of_rule(&all, "org.scp-allows-almost-nothing").is_empty());
}

/// An allow-list of two actions: the account is reported with what is left (the
/// one service) and how many actions.
#[test]
fn a_tiny_allow_list_names_what_is_left() {
    let mut v = acme();
    v["scps"]["DenyAll"] = json!({"document": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}]}});
    ou_mut(&mut v, "Suspended")["scps"] = json!(["DenyAll"]);
    let all = findings_of(&v);
    let hits = of_rule(&all, "org.scp-allows-almost-nothing");
    assert_eq!(hits.len(), 1, "{hits:#?}");
    assert!(
        hits[0].message.contains("allow 2 of the catalog's")
            && hits[0].message.contains("1 service: s3"),
        "{}",
        hits[0].message
    );
}

/// An SCP of the org's own that allows everything, with no Deny that can apply: the
/// accounts of the Security OU (no SCP of its own) have no guardrail, as with
/// FullAWSAccess alone. A Deny whose conditions never hold does not count as one;
/// a live Deny does.
#[test]
fn a_custom_allow_everything_without_a_live_deny_is_reported() {
    let with_root = |extra: Value| {
        let mut v = acme();
        v["scps"]["AllowEverything"] = json!({"document": {"Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}});
        v["scps"]["Extra"] = json!({"document": {"Version": "2012-10-17",
            "Statement": [extra]}});
        v["root"]["scps"] = json!(["AllowEverything", "Extra"]);
        findings_of(&v)
    };
    let everything = |all: &[Finding]| {
        let mut names: Vec<String> = of_rule(all, "org.scp-allows-everything")
            .iter()
            .map(|f| f.node_name.clone())
            .collect();
        names.sort();
        names
    };
    let dead = with_root(
        json!({"Effect": "Deny", "Action": "organizations:LeaveOrganization",
        "Resource": "*", "Condition": {"Null": {"aws:PrincipalAccount": "true"}}}),
    );
    assert_eq!(
        everything(&dead),
        ["log-archive", "security", "shared-services"]
    );
    let all = of_rule(&dead, "org.scp-allows-everything");
    assert!(
        all[0].message.contains("allow every action and deny none"),
        "{}",
        all[0].message
    );
    let live = with_root(
        json!({"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}),
    );
    assert!(everything(&live).is_empty(), "{:?}", everything(&live));
}

/// AWS Organizations User Guide, "Strategies for using SCPs" (allow-list): a service
/// the allow-list leaves out is refused to every principal of the account. Alice is
/// granted SQS; the Sandbox allow-list has no SQS action. Adding `sqs:*` to it
/// silences the finding; a job-function grant of many services (ReadOnlyAccess) is
/// not taken as a need.
#[test]
fn an_allow_list_missing_a_granted_service_is_reported() {
    let with_list = |actions: Value| {
        let mut v = acme();
        account_mut(&mut v, "sandbox-alice")["users"]["alice"] = json!({
            "managed": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
            "inline": {"Queue": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["sqs:SendMessage", "s3:GetObject"],
                 "Resource": "*"}]}}});
        v["scps"]["SandboxAllowList"]["document"]["Statement"][0]["Action"] = actions;
        findings_of(&v)
    };
    let listed = json!([
        "ec2:*",
        "s3:*",
        "lambda:*",
        "dynamodb:*",
        "cloudwatch:*",
        "logs:*",
        "sts:*",
        "iam:Get*",
        "iam:List*"
    ]);
    let all = with_list(listed.clone());
    let hits = of_rule(&all, "org.allow-list-missing-service");
    assert_eq!(hits.len(), 1, "{hits:#?}");
    assert_eq!(hits[0].subject.as_deref(), Some("sqs"));
    assert_eq!(hits[0].node_name, "sandbox-alice");
    assert!(
        hits[0].message.contains("allow no sqs action") && hits[0].message.contains("alice"),
        "{}",
        hits[0].message
    );
    let mut with_sqs = listed.as_array().unwrap().clone();
    with_sqs.push(json!("sqs:*"));
    let all = with_list(Value::Array(with_sqs));
    assert!(of_rule(&all, "org.allow-list-missing-service").is_empty());
}

fn acme_with_scp(statements: Value) -> Vec<Finding> {
    let mut v = acme();
    v["scps"]["Guardrail"] =
        json!({"document": {"Version": "2012-10-17", "Statement": statements}});
    v["root"]["scps"]
        .as_array_mut()
        .unwrap()
        .push(json!("Guardrail"));
    findings_of(&v)
        .into_iter()
        .filter(|f| f.policy.as_deref() == Some("Guardrail"))
        .collect()
}

/// IAM User Guide, "IAM JSON policy elements: Condition operators": tests of one key
/// are ANDed, so a region that must be listed and not listed is none. A Deny that
/// never applies protects nothing: graded a security warning, as Access Analyzer
/// grades Denies that do not restrict what they seem to. The same Deny with only the
/// negated test applies and is not reported.
#[test]
fn a_deny_whose_conditions_contradict_never_applies() {
    let scp = |condition: Value| {
        acme_with_scp(
            json!([{"Sid": "RegionLock", "Effect": "Deny", "Action": "ec2:*",
            "Resource": "*", "Condition": condition}]),
        )
    };
    let all = scp(json!({
        "StringEquals": {"aws:RequestedRegion": "eu-west-1"},
        "StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}}));
    let hits = of_rule(&all, "policy.deny-never-applies");
    assert_eq!(hits.len(), 1, "{all:#?}");
    assert_eq!(hits[0].grade, Some(Grade::SecurityWarning));
    assert_eq!(hits[0].statement.as_deref(), Some("RegionLock"));
    assert!(hits[0].location.is_some());
    assert!(
        hits[0].message.contains("`aws:RequestedRegion`"),
        "{}",
        hits[0].message
    );
    let all = scp(json!({"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1"]}}));
    assert!(of_rule(&all, "policy.deny-never-applies").is_empty());
}

/// "Numeric condition operators" and "Condition operator to check existence of
/// condition keys": an Allow that needs MFA younger than 5 s and older than 10 s, or
/// the key absent and a value of it, never grants (a warning: it does not work as
/// meant); bounds that overlap do grant.
#[test]
fn an_allow_whose_conditions_contradict_never_applies() {
    let mut v = acme();
    account_mut(&mut v, "web-dev")["users"]["frank"]["inline"] = json!({
        "Mfa": {"Version": "2012-10-17", "Statement": [
            {"Sid": "Crossed", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
             "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": "5"},
                           "NumericGreaterThan": {"aws:MultiFactorAuthAge": "10"}}},
            {"Sid": "AbsentAndSet", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*",
             "Condition": {"Null": {"aws:SourceVpce": "true"},
                           "StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}},
            {"Sid": "Window", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
             "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"},
                           "NumericGreaterThan": {"aws:MultiFactorAuthAge": "0"}}}]}});
    let all = findings_of(&v);
    let mut hits: Vec<(&str, Option<Grade>)> = of_rule(&all, "policy.allow-never-applies")
        .iter()
        .map(|f| (f.statement.as_deref().unwrap(), f.grade))
        .collect();
    hits.sort();
    assert_eq!(
        hits,
        [
            ("AbsentAndSet", Some(Grade::Warning)),
            ("Crossed", Some(Grade::Warning))
        ]
    );
}

/// IAM User Guide, "AWS global condition context keys": the page's own SCP example
/// (credentials used from the VPC they were delivered to) uses the cross-service key
/// `ec2:SourceInstanceARN` and a policy variable: no check flags it.
#[test]
fn the_pages_cross_service_key_example_is_clean() {
    let all = acme_with_scp(json!([{"Sid": "RequireSameVPC", "Effect": "Deny",
        "Action": "*", "Resource": "*", "Condition": {
            "StringNotEquals": {"aws:SourceVpc": "${aws:Ec2InstanceSourceVpc}"},
            "Null": {"ec2:SourceInstanceARN": "false"},
            "BoolIfExists": {"aws:ViaAWSService": "false"}}}]));
    assert!(all.is_empty(), "{all:#?}");
}

/// IAM Access Analyzer policy validation, "Security warning – Deny with unsupported
/// tag condition key for service": the service authorization reference lists
/// `aws:ResourceTag/${TagKey}` for ec2:TerminateInstances (its instance) and for no
/// key of organizations:LeaveOrganization, whose requests so never carry it: the Deny
/// of protected resources never applies to that action. Limited to the action that
/// supports the key, it is not reported.
#[test]
fn a_deny_on_a_tag_key_an_action_does_not_support_is_reported() {
    let scp = |actions: Value| {
        acme_with_scp(
            json!([{"Sid": "KeepProtected", "Effect": "Deny", "Action": actions,
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceTag/protected": "true"}}}]),
        )
    };
    let all = scp(json!([
        "ec2:TerminateInstances",
        "organizations:LeaveOrganization"
    ]));
    let hits = of_rule(&all, "policy.deny-unsupported-tag-key");
    assert_eq!(hits.len(), 1, "{all:#?}");
    assert_eq!(hits[0].grade, Some(Grade::SecurityWarning));
    assert!(
        hits[0]
            .message
            .contains("1 of its 2 actions (organizations)"),
        "{}",
        hits[0].message
    );
    let all = scp(json!(["ec2:TerminateInstances"]));
    assert!(all.is_empty(), "{all:#?}");
}
