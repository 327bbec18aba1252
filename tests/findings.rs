//! `findings` over acme and variants of it: each finding type where the org triggers
//! it, and silenced where a guardrail or a fix stops it. Expectations come from the
//! acme file and the AWS pages each rule cites, not from running the code.

use orgscope::findings::{self, Finding, Options, Severity};
use orgscope::org::{Org, load_str};
use serde_json::{Value, json};

fn acme_value() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-orgs/acme.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn load(v: &Value) -> Org {
    let (org, report) = load_str("acme-variant.json", &v.to_string());
    org.unwrap_or_else(|| panic!("{report}"))
}

/// A fixed "now", so that credential ages do not depend on the day the test runs.
fn opts() -> Options {
    Options {
        now: Some("2026-12-01T00:00:00Z".parse().unwrap()),
        ..Options::default()
    }
}

fn of<'a>(all: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    all.iter().filter(|f| f.rule == rule).collect()
}

/// IAM Access Analyzer, "Findings for public and cross-account access"; S3 User Guide,
/// "The meaning of public": PublicRead grants s3:GetObject to `*`, and the TLS the
/// root RCP demands is a condition any caller meets.
#[test]
fn the_public_bucket_is_critical_and_an_rcp_perimeter_silences_it() {
    let v = acme_value();
    let all = findings::findings(&load(&v), &opts());
    let public = of(&all, "external.public");
    assert_eq!(public.len(), 1, "{public:#?}");
    assert_eq!(public[0].node, "arn:aws:s3:::acme-public-website");
    assert_eq!(public[0].severity, Severity::Critical);
    assert_eq!(public[0].statement.as_deref(), Some("PublicRead"));
    assert!(
        public[0].message.contains("s3:GetObject"),
        "{}",
        public[0].message
    );
    // The condition that lets anyone in is named: the RCP's TLS, not a statement's.
    assert!(
        public[0].message.contains("when aws:SecureTransport=true"),
        "{}",
        public[0].message
    );
    // The KMS key's `*` statement is fixed by kms:CallerAccount to its own account:
    // not external (KMS Developer Guide, "kms:CallerAccount").
    assert!(
        all.iter().all(|f| !f.node.starts_with("arn:aws:kms:")),
        "{all:#?}"
    );

    // A perimeter RCP on the root: outsiders are denied whatever the bucket says
    // (Organizations User Guide, "Resource control policies": a data perimeter).
    let mut v = acme_value();
    v["rcps"]["Perimeter"] = json!({"document": {"Version": "2012-10-17", "Statement": [{
        "Sid": "DenyOutsiders", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": "*",
        "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-acme0example"},
                      "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}]}});
    v["root"]["rcps"]
        .as_array_mut()
        .unwrap()
        .push(json!("Perimeter"));
    let all = findings::findings(&load(&v), &opts());
    assert!(of(&all, "external.public").is_empty(), "{all:#?}");
}

/// IAM User Guide, "Security best practices in IAM": MFA for console users; rotate
/// and remove unused access keys (90 days, as Access Analyzer's unused access does).
#[test]
fn identity_hygiene_follows_the_credentials() {
    let all = findings::findings(&load(&acme_value()), &opts());
    let no_mfa: Vec<&str> = of(&all, "identity.console-no-mfa")
        .iter()
        .map(|f| f.node_name.as_str())
        .collect();
    assert!(
        no_mfa.contains(&"eve") && no_mfa.contains(&"grace"),
        "{no_mfa:?}"
    );
    // dana has MFA: not listed.
    assert!(!no_mfa.contains(&"dana"), "{no_mfa:?}");
    // With "now" long before any key was made, no key is old.
    let early = Options {
        now: Some("2000-01-01T00:00:00Z".parse().unwrap()),
        ..Options::default()
    };
    let all = findings::findings(&load(&acme_value()), &early);
    assert!(of(&all, "identity.old-access-key").is_empty());
}

/// IAM Access Analyzer policy validation, "Pass role with star in resource"; SCPs and
/// RCPs grant nothing, so FullAWSAccess is not an "admin" grant.
#[test]
fn policy_checks_skip_guardrails_and_aws_policies() {
    let all = findings::findings(&load(&acme_value()), &opts());
    let pass = of(&all, "policy.pass-role-any");
    assert_eq!(pass.len(), 1, "{pass:#?}");
    assert_eq!(
        pass[0].node,
        "arn:aws:iam::666666666666:policy/WebOpsEverything"
    );
    assert!(
        of(&all, "policy.admin")
            .iter()
            .all(|f| !f.node.contains("FullAWSAccess")),
        "{all:#?}"
    );
}

/// Stable ids: the same org gives the same ids; a baseline of them leaves nothing.
#[test]
fn ids_are_stable_and_scope_and_severity_filter() {
    let org = load(&acme_value());
    let a = findings::findings(&org, &opts());
    let b = findings::findings(&org, &opts());
    assert_eq!(a, b);
    let mut ids: Vec<&str> = a.iter().map(|f| f.id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), a.len(), "ids are unique");
    let high = findings::findings(
        &org,
        &Options {
            min_severity: Some(Severity::High),
            ..opts()
        },
    );
    assert!(!high.is_empty() && high.iter().all(|f| f.severity >= Severity::High));
    // Most severe first.
    assert!(a.windows(2).all(|w| w[0].severity >= w[1].severity));
}

/// SARIF 2.1.0: the fields code-scanning views require (version, runs[].tool.driver
/// with name and rules, results with ruleId, level, message.text and locations).
#[test]
fn sarif_has_the_required_shape() {
    let all = findings::findings(&load(&acme_value()), &opts());
    let log = findings::sarif::log(&all, "acme.json");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "orgscope");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), all.len());
    for r in results {
        let rule = r["ruleId"].as_str().unwrap();
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], rule);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        assert!(r["partialFingerprints"]["orgscope/v1"].is_string());
        assert!(r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].is_string());
    }
}

/// Privilege escalation (IAM User Guide, "Permissions required to access IAM
/// resources"; Rhino Security Labs' and PMapper's techniques): ci-legacy's
/// WebOpsEverything allows iam:* on itself, so it can attach AdministratorAccess to
/// itself. An SCP that denies the IAM write actions, or a boundary that leaves them
/// out, stops every step, and the finding with it.
#[test]
fn escalation_is_critical_and_an_scp_or_a_boundary_silences_it() {
    let ci = "arn:aws:iam::666666666666:user/ci-legacy";
    let all = findings::findings(&load(&acme_value()), &opts());
    let own: Vec<&Finding> = of(&all, "escalation.self")
        .into_iter()
        .filter(|f| f.node == ci)
        .collect();
    assert_eq!(own.len(), 1, "{all:#?}");
    assert_eq!(own[0].severity, Severity::Critical);
    assert!(
        own[0]
            .message
            .contains("iam:AttachUserPolicy on arn:aws:iam::666666666666:user/ci-legacy"),
        "{}",
        own[0].message
    );

    let mut v = acme_value();
    v["scps"]["DenyIamWrites"] = json!({"document": {"Version": "2012-10-17", "Statement": [{
        "Effect": "Deny", "Resource": "*",
        "Action": ["iam:Put*", "iam:Attach*", "iam:CreatePolicyVersion", "iam:AddUserToGroup",
                   "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile",
                   "iam:UpdateAssumeRolePolicy", "iam:PassRole"]}]}});
    v["root"]["scps"]
        .as_array_mut()
        .unwrap()
        .push(json!("DenyIamWrites"));
    let all = findings::findings(&load(&v), &opts());
    assert!(
        all.iter()
            .all(|f| !(f.rule.starts_with("escalation.") && f.node == ci)),
        "{all:#?}"
    );

    let mut v = acme_value();
    let accounts = v["accounts"].as_array_mut().unwrap();
    let web = accounts
        .iter_mut()
        .find(|a| a["users"].get("ci-legacy").is_some())
        .unwrap();
    web["policies"]["ReadOnlyBoundary"] = json!({"document": {"Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"}]}});
    web["users"]["ci-legacy"]["boundary"] = json!("ReadOnlyBoundary");
    let all = findings::findings(&load(&v), &opts());
    assert!(
        all.iter()
            .all(|f| !(f.rule.starts_with("escalation.") && f.node == ci)),
        "{all:#?}"
    );
}

/// A run told to stop while a long step is under way ends there, with no findings
/// (the TUI's worker when the app quits); the stop is set from the progress callback
/// as the step starts, so a run that checked only between steps would finish.
#[test]
fn a_stop_ends_the_run_inside_the_long_steps() {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let org = orgscope::org::generate::generate_org(8, 11);
    for (at, name) in findings::STEPS.iter().enumerate().skip(3) {
        let stop = AtomicBool::new(false);
        let (reached, asked_after) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let found = findings::findings_with(
            &org,
            &opts(),
            &mut |step| {
                reached.store(step, Ordering::Relaxed);
                if step == at {
                    stop.store(true, Ordering::Relaxed);
                }
            },
            &|| {
                let stopped = stop.load(Ordering::Relaxed);
                if stopped {
                    asked_after.fetch_add(1, Ordering::Relaxed);
                }
                stopped
            },
        );
        assert!(found.is_none(), "stopped during {name}: no findings");
        assert_eq!(reached.load(Ordering::Relaxed), at, "no step after {name}");
        assert!(asked_after.load(Ordering::Relaxed) > 0, "{name} asks");
    }
    // Never told to stop: the same findings as without a stop, the long steps
    // asking many times (per resource, per chunk of principals).
    let asked = AtomicUsize::new(0);
    let full = findings::findings_with(&org, &opts(), &mut |_| {}, &|| {
        asked.fetch_add(1, Ordering::Relaxed);
        false
    })
    .unwrap();
    assert_eq!(full, findings::findings(&org, &opts()));
    assert!(asked.load(Ordering::Relaxed) > findings::STEPS.len() * 2);
}

/// IAM Access Analyzer policy validation, "Error – Invalid service condition key": a
/// guardrail's condition on a key its service never sets does not do what it says
/// (here a StringNotEquals on a misspelt key is always met: the SCP denies every
/// upload, encrypted or not). Spelt as the service lists it, nothing is reported.
#[test]
fn a_misspelt_service_condition_key_is_reported_where_it_is() {
    let scp = |key: &str| {
        let mut v = acme_value();
        v["scps"]["RequireKms"] = json!({"document": {"Version": "2012-10-17", "Statement": [{
            "Sid": "DenyUnencryptedUploads", "Effect": "Deny", "Action": "s3:PutObject",
            "Resource": "*",
            "Condition": {"StringNotEquals": {key: "aws:kms"}}}]}});
        v["root"]["scps"]
            .as_array_mut()
            .unwrap()
            .push(json!("RequireKms"));
        findings::findings(&load(&v), &opts())
    };
    let all = scp("s3:x-amz-server-side-encrypton");
    let found = of(&all, "policy.unknown-condition-key");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].policy.as_deref(), Some("RequireKms"));
    assert_eq!(
        found[0].statement.as_deref(),
        Some("DenyUnencryptedUploads")
    );
    assert!(
        found[0]
            .message
            .contains("`s3:x-amz-server-side-encrypton` is not a condition key"),
        "{}",
        found[0].message
    );
    let all = scp("s3:x-amz-server-side-encryption");
    assert!(of(&all, "policy.unknown-condition-key").is_empty());
}

/// Organizations User Guide, "SCP evaluation": with FullAWSAccess alone on every
/// level an account's SCPs allow every action. acme's root SCPs deny leaving the
/// organization and touching the security baseline: no account is reported; with
/// FullAWSAccess alone on the root, the accounts under no OU guardrail of their own
/// (the Security and Infrastructure OUs') are, and those under Workloads, Sandbox and
/// Suspended (whose SCPs restrict) or the management account (SCPs never apply) are not.
#[test]
fn accounts_governed_by_full_aws_access_alone_are_reported() {
    let all = findings::findings(&load(&acme_value()), &opts());
    assert!(of(&all, "org.scp-allows-everything").is_empty(), "{all:#?}");

    let mut v = acme_value();
    v["root"]["scps"] = json!(["FullAWSAccess"]);
    let all = findings::findings(&load(&v), &opts());
    let mut names: Vec<&str> = of(&all, "org.scp-allows-everything")
        .iter()
        .map(|f| f.node_name.as_str())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["log-archive", "security", "shared-services"]);
    let f = of(&all, "org.scp-allows-everything")[0];
    assert_eq!(f.severity, Severity::Low);
    assert_eq!(f.account.as_deref(), Some(f.node.as_str()));
}

/// S3 User Guide, "Blocking public access to your Amazon S3 storage":
/// with `RestrictPublicBuckets` on, a bucket whose policy is public is reachable only
/// by AWS services and principals of the bucket owner's account, so the public
/// website's `PublicRead` is no longer external access; `BlockPublicAcls` alone (ACLs,
/// not the policy) leaves it public.
#[test]
fn restrict_public_buckets_silences_a_public_bucket_policy() {
    let with_block = |block: Value| {
        let mut v = acme_value();
        let web = v["accounts"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|a| a["name"] == "web-prod")
            .unwrap();
        web["resources"]["arn:aws:s3:::acme-public-website"]["public_access_block"] = block;
        findings::findings(&load(&v), &opts())
    };
    let all = with_block(json!({"restrict_public_buckets": true}));
    assert!(of(&all, "external.public").is_empty(), "{all:#?}");
    let all = with_block(json!({"block_public_acls": true}));
    assert_eq!(of(&all, "external.public").len(), 1, "{all:#?}");
}

/// Organizations User Guide, "Best practices": a guardrail attached nowhere
/// protects nothing. An SCP added to acme but attached nowhere is reported; attached
/// to an OU, it is not.
#[test]
fn an_scp_attached_nowhere_is_reported_until_attached() {
    let with = |attach: bool| {
        let mut v = acme_value();
        v["scps"]["DenyIamUsers"] = json!({"document": {"Version": "2012-10-17", "Statement": [{
            "Effect": "Deny", "Action": "iam:CreateUser", "Resource": "*"}]}});
        if attach {
            v["root"]["scps"]
                .as_array_mut()
                .unwrap()
                .push(json!("DenyIamUsers"));
        }
        findings::findings(&load(&v), &opts())
    };
    let all = with(false);
    let nowhere: Vec<&str> = of(&all, "org.policy-unattached")
        .iter()
        .map(|f| f.node_name.as_str())
        .collect();
    assert_eq!(nowhere, ["DenyIamUsers"], "{all:#?}");
    assert!(of(&with(true), "org.policy-unattached").is_empty());
}

/// IAM User Guide, "IAM and AWS STS quotas": a managed policy holds at most 6,144
/// characters (whitespace not counted). One at 90% of it is reported, one well
/// under it is not.
#[test]
fn a_managed_policy_near_its_size_quota_is_reported() {
    let with_actions = |n: usize| {
        let mut v = acme_value();
        let actions = vec!["s3:GetObjectVersionTagging"; n];
        let web = v["accounts"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|a| a["name"] == "web-prod")
            .unwrap();
        web["policies"]["Big"] = json!({"document": {"Version": "2012-10-17", "Statement": [{
            "Sid": "Many", "Effect": "Deny", "Action": actions, "Resource": "*"}]}});
        findings::findings(&load(&v), &opts())
    };
    // 200 actions of 26 characters with quotes and a comma: about 5,800 characters.
    let all = with_actions(200);
    let near = of(&all, "policy.size-near-quota");
    assert_eq!(near.len(), 1, "{near:#?}");
    assert!(near[0].node.ends_with(":policy/Big"), "{}", near[0].node);
    assert!(
        near[0].message.contains("of the 6144 characters"),
        "{}",
        near[0].message
    );
    let all = with_actions(20);
    assert!(of(&all, "policy.size-near-quota").is_empty());
}
