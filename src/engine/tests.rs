//! The engine's explanations and its fast path. The decisions themselves are
//! covered case by case by the conformance suite (tests/scenarios), each case
//! citing its AWS page; here we check what the explanation says about them.

use super::*;
use crate::policy::{Context, PolicyKind};

fn policy(kind: PolicyKind, name: &str, statements: &str) -> Policy {
    Policy::parse(
        kind,
        name,
        &format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#),
    )
    .unwrap()
}

fn request(principal: &str, action: &str, resource: &str) -> Request {
    Request::new(principal, action, resource, None, Context::default()).unwrap()
}

const ALICE: &str = "arn:aws:iam::111122223333:user/alice";
const BUCKET: &str = "arn:aws:s3:::reports/q1.csv";

struct Org {
    full: Policy,
    deny_s3: Policy,
    read: Policy,
}

fn org() -> Org {
    Org {
        full: policy(
            PolicyKind::Scp,
            "FullAWSAccess",
            r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#,
        ),
        deny_s3: policy(
            PolicyKind::Scp,
            "DenyS3Delete",
            r#"{"Sid":"NoDelete","Effect":"Deny","Action":"s3:Delete*","Resource":"*"}"#,
        ),
        read: policy(
            PolicyKind::Identity,
            "S3Access",
            r#"{"Sid":"Read","Effect":"Allow","Action":["s3:GetObject","s3:DeleteObject"],"Resource":"*"}"#,
        ),
    }
}

#[test]
fn explicit_deny_names_the_level_policy_and_statement() {
    // Organizations User Guide, "SCP evaluation": a Deny at any level blocks.
    let o = org();
    let set = PolicySet {
        identity: vec![&o.read],
        scps: vec![vec![&o.full], vec![&o.full, &o.deny_s3], vec![&o.full]].into(),
        ..Default::default()
    };
    let x = explain(&request(ALICE, "s3:DeleteObject", BUCKET), &set);
    assert_eq!(x.decision, Decision::ExplicitlyDenied);
    assert_eq!(x.blocked_by, Some(Layer::Scp(1)));
    let level = x.layer(Layer::Scp(1)).unwrap();
    assert_eq!(level.outcome, Outcome::Denied);
    assert!(
        level
            .statements
            .iter()
            .any(|s| s.policy == "DenyS3Delete" && s.statement == "NoDelete" && s.effect == "Deny")
    );
    assert_eq!(x.layer(Layer::Scp(0)).unwrap().outcome, Outcome::Allowed);
    assert_eq!(x.layer(Layer::Identity).unwrap().outcome, Outcome::Allowed);
    assert_eq!(
        x.layer(Layer::Identity).unwrap().statements[0].statement,
        "Read"
    );
}

#[test]
fn an_empty_scp_level_allows_nothing_and_says_so() {
    // Organizations User Guide, "Inheritance for service control policies": every
    // level from the root down must allow.
    let o = org();
    let set = PolicySet {
        identity: vec![&o.read],
        scps: vec![vec![&o.full], vec![]].into(),
        ..Default::default()
    };
    let x = explain(&request(ALICE, "s3:GetObject", BUCKET), &set);
    assert_eq!(
        (x.decision, x.blocked_by),
        (Decision::ImplicitlyDenied, Some(Layer::Scp(1)))
    );
    let level = x.layer(Layer::Scp(1)).unwrap();
    assert_eq!(level.outcome, Outcome::NoAllow);
    assert!(level.note.as_deref().unwrap().contains("no SCP attached"));
}

#[test]
fn allowed_reports_every_layer_that_took_part() {
    let o = org();
    let boundary = policy(
        PolicyKind::Boundary,
        "Ceiling",
        r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#,
    );
    let set = PolicySet {
        identity: vec![&o.read],
        boundary: Some(&boundary),
        scps: vec![vec![&o.full]].into(),
        ..Default::default()
    };
    let x = explain(&request(ALICE, "s3:GetObject", BUCKET), &set);
    assert_eq!(x.decision, Decision::Allowed);
    assert_eq!(x.blocked_by, None);
    for layer in [Layer::Scp(0), Layer::Identity, Layer::Boundary] {
        assert_eq!(x.layer(layer).unwrap().outcome, Outcome::Allowed, "{layer}");
    }
    assert_eq!(x.layer(Layer::Session).unwrap().outcome, Outcome::Absent);
    assert_eq!(x.layer(Layer::Resource).unwrap().outcome, Outcome::Absent);
}

#[test]
fn service_linked_roles_are_shown_exempt_from_scps() {
    // Organizations User Guide, "SCPs": they do not affect service-linked roles.
    let o = org();
    let slr = "arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForSupport/s";
    let set = PolicySet {
        identity: vec![&o.read],
        scps: vec![vec![]].into(),
        ..Default::default()
    };
    let x = explain(&request(slr, "s3:GetObject", BUCKET), &set);
    assert_eq!(x.decision, Decision::Allowed);
    assert_eq!(x.layer(Layer::Scp(0)).unwrap().outcome, Outcome::Exempt);
}

#[test]
fn aws_managed_keys_are_shown_exempt_from_rcps() {
    // KMS Developer Guide, "Resource control policies in AWS KMS": "Resource control
    // policies in your organization do not apply to AWS managed keys". The key policy
    // is AWS's usual one for aws/s3 (KMS Developer Guide, "AWS managed keys"): anyone
    // in the account, through S3.
    let key = "arn:aws:kms:eu-west-1:111122223333:key/a3d5e000-0000-4000-8000-000000000003";
    let caller = "arn:aws:sts::111122223333:assumed-role/App/s";
    let full = policy(
        PolicyKind::Scp,
        "FullAWSAccess",
        r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#,
    );
    let deny_kms = policy(
        PolicyKind::Scp,
        "DenyKms",
        r#"{"Effect":"Deny","Action":"kms:*","Resource":"*"}"#,
    );
    let tls = policy(
        PolicyKind::Rcp,
        "TlsOnly",
        r#"{"Sid":"DenyPlainHttp","Effect":"Deny","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"BoolIfExists":{"aws:SecureTransport":"false"}}}"#,
    );
    let key_policy = policy(
        PolicyKind::Resource,
        "key policy",
        r#"{"Sid":"ViaS3","Effect":"Allow","Principal":{"AWS":"*"},"Action":["kms:Decrypt","kms:GenerateDataKey*"],"Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"111122223333","kms:ViaService":"s3.eu-west-1.amazonaws.com"}}}"#,
    );
    let ctx = |secure: Option<&str>| {
        let mut pairs = vec![
            ("kms:CallerAccount", vec!["111122223333".to_string()]),
            (
                "kms:ViaService",
                vec!["s3.eu-west-1.amazonaws.com".to_string()],
            ),
        ];
        if let Some(s) = secure {
            pairs.push(("aws:SecureTransport", vec![s.to_string()]));
        }
        Context::from_pairs(pairs)
    };
    let req = Request::new(caller, "kms:Decrypt", key, None, ctx(Some("false"))).unwrap();
    let customer = PolicySet {
        scps: vec![vec![&full]].into(),
        rcps: vec![vec![], vec![&tls]].into(),
        resource: Some(&key_policy),
        ..Default::default()
    };
    // A customer managed key with the same policy: the RCP denies plain HTTP.
    assert_eq!(
        decide(&req, &customer),
        (Decision::ExplicitlyDenied, Some(Layer::Rcp(1)))
    );
    // The AWS managed key: every RCP level is exempt and says why; the key policy
    // grants.
    let aws_managed = PolicySet {
        aws_managed_key: true,
        ..customer.clone()
    };
    let x = explain(&req, &aws_managed);
    assert_eq!((x.decision, x.blocked_by), (Decision::Allowed, None));
    assert_eq!(decide(&req, &aws_managed), (Decision::Allowed, None));
    for level in 0..2 {
        let l = x.layer(Layer::Rcp(level)).unwrap();
        assert_eq!(l.outcome, Outcome::Exempt);
        assert_eq!(
            l.note.as_deref(),
            Some("RCPs do not apply to AWS managed KMS keys")
        );
        assert!(l.statements.is_empty());
    }
    // The RCP's key no longer decides anything, so it is not listed.
    let bare = Request::new(caller, "kms:Decrypt", key, None, ctx(None)).unwrap();
    assert!(
        dependencies(&bare, &customer)
            .iter()
            .any(|d| d.key == "aws:SecureTransport")
    );
    assert!(
        dependencies(&bare, &aws_managed)
            .iter()
            .all(|d| d.key != "aws:SecureTransport")
    );
    // Only the RCPs are lifted: an SCP Deny on the caller still applies
    // (Organizations User Guide, "SCP evaluation").
    let scp_denied = PolicySet {
        scps: vec![vec![&full, &deny_kms]].into(),
        ..aws_managed.clone()
    };
    assert_eq!(
        decide(&req, &scp_denied),
        (Decision::ExplicitlyDenied, Some(Layer::Scp(0)))
    );
    // ... and the key policy still decides: a direct call (no kms:ViaService) matches
    // no statement (KMS Developer Guide, "Key policies in AWS KMS").
    let direct = Request::new(
        caller,
        "kms:Decrypt",
        key,
        None,
        Context::from_pairs([
            ("kms:CallerAccount", vec!["111122223333".to_string()]),
            ("aws:SecureTransport", vec!["false".to_string()]),
        ]),
    )
    .unwrap();
    assert_eq!(
        decide(&direct, &aws_managed),
        (Decision::ImplicitlyDenied, Some(Layer::Resource))
    );
}

#[test]
fn missing_key_policy_is_explained() {
    // KMS Developer Guide, "Key policies": no principal uses a key unless its key
    // policy allows it, directly or by delegating to IAM.
    let admin = policy(
        PolicyKind::Identity,
        "Admin",
        r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#,
    );
    let set = PolicySet {
        identity: vec![&admin],
        ..Default::default()
    };
    let key = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let x = explain(&request(ALICE, "kms:Decrypt", key), &set);
    assert_eq!(
        (x.decision, x.blocked_by),
        (Decision::ImplicitlyDenied, Some(Layer::Resource))
    );
    assert!(
        x.notes.iter().any(|n| n.contains("key policy")),
        "{:?}",
        x.notes
    );
}

#[test]
fn assumed_resource_account_is_noted() {
    let o = org();
    let set = PolicySet {
        identity: vec![&o.read],
        ..Default::default()
    };
    let x = explain(&request(ALICE, "s3:GetObject", BUCKET), &set);
    assert!(
        x.notes.iter().any(|n| n.contains("principal's account")),
        "{:?}",
        x.notes
    );
}

#[test]
fn fast_path_and_explanation_agree() {
    // The same run with and without a recorder must decide alike, including where
    // the fast path stops at the first explicit deny.
    let o = org();
    let rcp = policy(
        PolicyKind::Rcp,
        "DenyInsecure",
        r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#,
    );
    let bucket = policy(
        PolicyKind::Resource,
        "Bucket",
        r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}"#,
    );
    let sets = [
        PolicySet {
            identity: vec![&o.read],
            ..Default::default()
        },
        PolicySet {
            identity: vec![&o.read],
            scps: vec![vec![&o.deny_s3]].into(),
            ..Default::default()
        },
        PolicySet {
            identity: vec![&o.read],
            scps: vec![vec![&o.full, &o.deny_s3]].into(),
            rcps: vec![vec![&rcp]].into(),
            resource: Some(&bucket),
            ..Default::default()
        },
        PolicySet {
            resource: Some(&bucket),
            ..Default::default()
        },
    ];
    let principals = [
        ALICE,
        "arn:aws:iam::444455556666:user/bob",
        "arn:aws:iam::111122223333:root",
        "anonymous",
    ];
    for set in &sets {
        for p in principals {
            for action in ["s3:GetObject", "s3:DeleteObject", "s3:PutObject"] {
                for secure in ["true", "false"] {
                    let ctx =
                        Context::from_pairs([("aws:SecureTransport", vec![secure.to_string()])]);
                    let r = Request::new(p, action, BUCKET, Some("111122223333"), ctx).unwrap();
                    let x = explain(&r, set);
                    assert_eq!(
                        decide(&r, set),
                        (x.decision, x.blocked_by),
                        "{p} {action} {secure}"
                    );
                    assert_eq!(evaluate(&r, set), x.decision);
                }
            }
        }
    }
}

#[test]
fn decisions_list_the_context_they_depend_on() {
    // IAM User Guide, "AWS global condition context keys": aws:MultiFactorAuthPresent
    // is absent for long-term credentials, so a Bool condition on it fails then.
    let admin = policy(
        PolicyKind::Identity,
        "AdminWithMfa",
        r#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}},
           {"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}"#,
    );
    let set = PolicySet {
        identity: vec![&admin],
        ..Default::default()
    };
    let deps = dependencies(&request(ALICE, "s3:GetObject", BUCKET), &set);
    let mfa = deps
        .iter()
        .find(|d| d.key == "aws:MultiFactorAuthPresent")
        .unwrap();
    let of = |d: &Dependency, v: Option<&str>| {
        d.outcomes
            .iter()
            .find(|o| o.value.as_deref() == v)
            .unwrap()
            .decision
    };
    assert!(mfa.matters, "with SourceIp inside 10/8, MFA decides");
    assert_eq!(
        of(mfa, None),
        Decision::ExplicitlyDenied,
        "absent SourceIp: NotIpAddress holds, the Deny applies"
    );
    let ip = deps
        .iter()
        .find(|d| d.key.eq_ignore_ascii_case("aws:SourceIp"))
        .unwrap();
    assert_eq!(
        of(ip, Some("10.0.0.0")),
        Decision::ImplicitlyDenied,
        "inside 10/8 the Deny lifts; MFA still missing"
    );
    assert_eq!(of(ip, Some("192.0.2.1")), Decision::ExplicitlyDenied);
    // Keys of statements that do not cover the request are not listed.
    let ec2 = dependencies(&request(ALICE, "ec2:RunInstances", "*"), &set);
    assert!(ec2.iter().all(|d| d.key != "aws:sourceip"));
}

#[test]
fn the_values_that_let_a_denied_request_in() {
    // IAM User Guide, "Policy evaluation logic": an implicit deny is lifted only by an
    // Allow that matches, an explicit deny only when the Deny stops matching. So an
    // implicitly denied request lists the keys of Allow statements, an explicitly
    // denied one the keys of Deny statements, one key at a time.
    let tagged = policy(
        PolicyKind::Identity,
        "Tagged",
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}},
           {"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"data"}}},
           {"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpc":"vpc-1"}}}"#,
    );
    let set = PolicySet {
        identity: vec![&tagged],
        ..Default::default()
    };
    let mut req = request(ALICE, "s3:GetObject", BUCKET);
    let decision = evaluate(&req, &set);
    assert_eq!(decision, Decision::ImplicitlyDenied);
    let found = allowing_values(&mut req, &set, decision);
    let keys: Vec<&str> = found.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys.len(), 2, "{found:?}");
    assert!(
        keys.contains(&"aws:MultiFactorAuthPresent") && keys.contains(&"aws:PrincipalTag/team")
    );
    assert!(found.contains(&(
        "aws:PrincipalTag/team".to_string(),
        Some("data".to_string())
    )));
    // The first of them alone, and nothing for a request already allowed.
    let first = first_allowing_context(&mut req, &set, decision);
    assert_eq!(first.len(), 1, "{first:?}");
    assert!(keys.contains(&first[0].0.as_str()) && first[0].1.is_some());
    assert!(allowing_values(&mut req, &set, Decision::Allowed).is_empty());
    // Only statements covering the request count: no key for another action.
    let mut put = request(ALICE, "s3:PutObject", BUCKET);
    let put_decision = evaluate(&put, &set);
    assert!(allowing_values(&mut put, &set, put_decision).is_empty());

    // Denied unless the request comes through a VPC endpoint: the Deny's key.
    let fenced = policy(
        PolicyKind::Identity,
        "Fenced",
        r#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}},
           {"Effect":"Allow","Action":"*","Resource":"*"},
           {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Null":{"aws:SourceVpce":"true"}}}"#,
    );
    let set = PolicySet {
        identity: vec![&fenced],
        ..Default::default()
    };
    let decision = evaluate(&req, &set);
    assert_eq!(decision, Decision::ExplicitlyDenied);
    let found = allowing_values(&mut req, &set, decision);
    assert_eq!(found.len(), 1, "only the Deny's key can lift it: {found:?}");
    assert!(found[0].0.eq_ignore_ascii_case("aws:SourceVpce"));
}

#[test]
fn keys_that_let_a_request_in_only_together_are_found_together() {
    // IAM User Guide, "Policy evaluation logic": an explicit Deny in an SCP blocks
    // whatever the identity policy allows, and an Allow whose condition fails does not
    // grant. Denied outside eu-west-1 by the SCP and allowed only with MFA: neither key
    // alone lets the request in, both together do.
    let regions = policy(
        PolicyKind::Scp,
        "OnlyEuWest1",
        r#"{"Effect":"Allow","Action":"*","Resource":"*"},
           {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"eu-west-1"}}}"#,
    );
    let mfa = policy(
        PolicyKind::Identity,
        "WithMfa",
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}"#,
    );
    let scps = [vec![&regions]];
    let set = PolicySet {
        identity: vec![&mfa],
        scps: scps.as_slice().into(),
        ..Default::default()
    };
    let mut req = request(ALICE, "s3:GetObject", BUCKET);
    let decision = evaluate(&req, &set);
    assert_eq!(decision, Decision::ExplicitlyDenied);
    let before = req.clone();
    let mut found = first_allowing_context(&mut req, &set, decision);
    assert_eq!(
        req, before,
        "the values are tried on the request, which comes back as it came"
    );
    found.sort();
    assert_eq!(
        found,
        vec![
            (
                "aws:MultiFactorAuthPresent".to_string(),
                Some("true".to_string())
            ),
            (
                "aws:RequestedRegion".to_string(),
                Some("eu-west-1".to_string())
            ),
        ]
    );
    // what-can's search gives the same keys when none works alone.
    let mut needs = allowing_values(&mut req, &set, decision);
    needs.sort();
    assert_eq!(needs, found);

    // Too many values to try together: the keys come back unresolved (the request may
    // be allowed with some of their values), never dropped.
    let many: Vec<String> = (0..30).map(|i| format!(r#""v{i}""#)).collect();
    let wide = policy(
        PolicyKind::Identity,
        "Wide",
        &format!(
            r#"{{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{{"StringEquals":{{"aws:PrincipalTag/a":[{0}],"aws:PrincipalTag/b":[{0}]}}}}}}"#,
            many.join(",")
        ),
    );
    let set = PolicySet {
        identity: vec![&wide],
        ..Default::default()
    };
    let decision = evaluate(&req, &set);
    let found = first_allowing_context(&mut req, &set, decision);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|(_, v)| v.is_none()), "{found:?}");
}

/// IAM Identity Center User Guide, "IAM roles created by IAM Identity Center"
/// (https://docs.aws.amazon.com/singlesignon/latest/userguide/identity-center-and-iam-roles.html):
/// the explanation leads with the AWS rule, in its own layer, and the fast path agrees.
#[test]
fn an_aws_owned_role_is_refused_in_its_own_layer() {
    let admin = policy(
        PolicyKind::Identity,
        "AdministratorAccess",
        r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#,
    );
    let set = PolicySet {
        identity: vec![&admin],
        ..Default::default()
    };
    let req = request(
        ALICE,
        "iam:AttachRolePolicy",
        "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef",
    );
    let x = explain(&req, &set);
    let layer = Layer::Aws(AwsRule::IdentityCenterRole);
    assert_eq!(x.decision, Decision::ImplicitlyDenied);
    assert_eq!(x.blocked_by, Some(layer));
    assert_eq!(x.layers[0].layer, layer);
    assert_eq!(x.layers[0].outcome, Outcome::Refused);
    let note = x.layers[0].note.as_deref().unwrap();
    assert!(note.starts_with("AWS owns this role: IAM Identity Center manages it"));
    assert!(x.layers[0].doc.contains("identity-center-and-iam-roles"));
    assert_eq!(decide(&req, &set), (x.decision, x.blocked_by));
    let json = serde_json::to_value(&x).unwrap();
    assert_eq!(json["blockedBy"]["layer"], "aws");
    assert_eq!(json["blockedBy"]["rule"], "identityCenterRole");
}

/// S3 User Guide, "Blocking public access to your Amazon S3 storage"
/// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html):
/// RestrictPublicBuckets takes the public grant away, and the explanation says so.
#[test]
fn block_public_access_shows_what_it_took_away() {
    let public = policy(
        PolicyKind::Resource,
        "bucket policy",
        r#"{"Sid":"Public","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}"#,
    );
    let mut set = PolicySet {
        resource: Some(&public),
        ..Default::default()
    };
    let req = Request::new(
        "anonymous",
        "s3:GetObject",
        BUCKET,
        Some("111122223333"),
        Context::default(),
    )
    .unwrap();
    assert_eq!(evaluate(&req, &set), Decision::Allowed);
    set.restrict_public_buckets = true;
    let x = explain(&req, &set);
    let layer = Layer::Aws(AwsRule::BlockPublicAccess);
    assert_eq!(
        (x.decision, x.blocked_by),
        (Decision::ImplicitlyDenied, Some(layer))
    );
    assert_eq!(decide(&req, &set), (x.decision, x.blocked_by));
    let l = x.layer(layer).unwrap();
    assert_eq!(l.outcome, Outcome::Refused);
    assert!(l.note.as_deref().unwrap().contains("RestrictPublicBuckets"));
    // The statement was taken away: the resource layer shows no grant, and says why.
    let res = x.layer(Layer::Resource).unwrap();
    assert!(res.statements.is_empty());
    assert_eq!(res.skipped.len(), 1);
    assert_eq!(res.skipped[0].statement.statement, "Public");
    assert!(
        res.skipped[0]
            .why
            .contains("outside the bucket owner's account")
    );
}

/// IAM User Guide, "IAM policy elements: Variables and tags"
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html):
/// an Allow whose condition compares with a variable the request gives no value for
/// grants nothing ("Policy variables with no value"; in an Allow the safe side of "the
/// entire statement might be invalid"); the key of that variable is context the
/// decision depends on, and is listed as such.
#[test]
fn an_unresolved_variable_is_context_the_decision_depends_on() {
    let p = policy(
        PolicyKind::Identity,
        "OtherTeams",
        r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}}"#,
    );
    let set = PolicySet {
        identity: vec![&p],
        ..Default::default()
    };
    let ctx = Context::from_pairs([("aws:ResourceTag/team", vec!["blue".to_string()])]);
    let req = Request::new(ALICE, "s3:GetObject", BUCKET, None, ctx).unwrap();
    assert_eq!(evaluate(&req, &set), Decision::ImplicitlyDenied);
    let deps = dependencies(&req, &set);
    let tag = deps
        .iter()
        .find(|d| d.key.eq_ignore_ascii_case("aws:PrincipalTag/team"))
        .expect("the variable's key is listed");
    assert!(tag.matters);
    assert!(
        tag.outcomes
            .iter()
            .any(|o| o.value.is_some() && o.decision == Decision::Allowed)
    );
}

/// IAM User Guide, "Grant a user permissions to pass a role to an AWS service"
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html): a
/// role is passed only to a service of its own account. Another account's role is
/// refused as an AWS rule, whatever the policies say; the caller's own is not.
#[test]
fn pass_role_of_another_account_is_refused() {
    let pass = policy(
        PolicyKind::Identity,
        "pass-any",
        r#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}"#,
    );
    let trust = policy(
        PolicyKind::Resource,
        "trust",
        r#"{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"iam:PassRole"}"#,
    );
    let set = PolicySet {
        identity: vec![&pass],
        resource: Some(&trust),
        ..Default::default()
    };
    let role = "arn:aws:iam::111122223333:role/app-worker";
    let bob = "arn:aws:iam::444455556666:user/bob";
    let x = explain(&request(bob, "iam:PassRole", role), &set);
    let layer = Layer::Aws(AwsRule::CrossAccountPassRole);
    assert_eq!(
        (x.decision, x.blocked_by),
        (Decision::ImplicitlyDenied, Some(layer))
    );
    assert!(
        x.layer(layer)
            .unwrap()
            .doc
            .contains("id_roles_use_passrole")
    );
    let req = request(bob, "iam:PassRole", role);
    assert_eq!(decide(&req, &set), (x.decision, x.blocked_by));
    assert!(dependencies(&req, &set).is_empty());
    let own = PolicySet {
        identity: vec![&pass],
        ..Default::default()
    };
    assert_eq!(
        evaluate(&request(ALICE, "iam:PassRole", role), &own),
        Decision::Allowed
    );
}

#[test]
fn a_deny_on_a_key_aws_sets_but_the_request_does_not_give_says_so() {
    // IAM User Guide, "AWS global condition context keys", aws:userid: included in
    // every request; orgscope takes a Deny on it as applying when the value is not
    // given, and the explanation must say that it assumed so.
    let o = org();
    let deny = policy(
        PolicyKind::Identity,
        "NoAida",
        r#"{"Sid":"NoAida","Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"StringLike":{"aws:userid":"AIDA*"}}}"#,
    );
    let set = PolicySet {
        identity: vec![&o.read, &deny],
        ..Default::default()
    };
    let x = explain(&request(ALICE, "s3:GetObject", BUCKET), &set);
    assert_eq!(x.decision, Decision::ExplicitlyDenied);
    assert!(
        x.notes.iter().any(|n| n.starts_with("NoAida of NoAida: its condition StringLike aws:userid [AIDA*] is taken to hold: AWS sets aws:userid on every request")),
        "{:?}",
        x.notes
    );
    // Given, the value decides, and nothing is assumed.
    let mut ctx = Context::default();
    ctx.insert("aws:userid", smallvec::smallvec!["AROAEXAMPLE".into()]);
    let given = Request::new(ALICE, "s3:GetObject", BUCKET, None, ctx).unwrap();
    let x = explain(&given, &set);
    assert_eq!(x.decision, Decision::Allowed);
    assert!(
        x.notes.iter().all(|n| !n.contains("aws:userid")),
        "{:?}",
        x.notes
    );
}
