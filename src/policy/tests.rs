//! The policy language end to end: parsing every documented form, errors with their
//! places, and statements matching requests.
//! Source for the grammar: IAM User Guide, "IAM JSON policy element reference" and
//! "Grammar of the IAM JSON policy language"
//! (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html).

use super::*;

fn parse(kind: PolicyKind, text: &str) -> Policy {
    Policy::parse(kind, "p", text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn err(kind: PolicyKind, text: &str) -> PolicyError {
    Policy::parse(kind, "p", text).expect_err("should not parse")
}

fn req(principal: &str, action: &str, resource: &str, ctx: &[(&str, &str)]) -> Request {
    let ctx = Context::from_pairs(ctx.iter().map(|(k, v)| (*k, vec![v.to_string()])));
    Request::new(principal, action, resource, None, ctx).unwrap()
}

const ALICE: &str = "arn:aws:iam::111122223333:user/alice";

fn allows(p: &Policy, r: &Request) -> bool {
    p.evaluate(r, |_| {}).allow.is_some()
}

#[test]
fn statement_object_or_array_and_strings_or_arrays() {
    let one = parse(
        PolicyKind::Identity,
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#,
    );
    let many = parse(
        PolicyKind::Identity,
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":["arn:aws:s3:::b/*"]}]}"#,
    );
    assert_eq!(one.statements().len(), 1);
    assert_eq!(many.statements()[0].label(), "A");
    assert_eq!(one.statements()[0].label(), "Statement[0]");
    let r = req(ALICE, "s3:PutObject", "arn:aws:s3:::b/k", &[]);
    assert!(allows(&many, &r));
    assert!(!allows(&one, &r));
}

#[test]
fn every_version_form_is_accepted() {
    for v in [
        r#""Version":"2012-10-17","#,
        r#""Version":"2008-10-17","#,
        "",
    ] {
        let p = parse(
            PolicyKind::Identity,
            &format!(r#"{{{v}"Statement":[{{"Effect":"Allow","Action":"*","Resource":"*"}}]}}"#),
        );
        assert_eq!(p.statements().len(), 1);
    }
    let e = err(
        PolicyKind::Identity,
        r#"{"Version":"2020-01-01","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    );
    assert!(e.message.contains("2012-10-17"), "{e}");
    assert_eq!(e.path, "Version");
}

#[test]
fn actions_are_case_insensitive_with_wildcards() {
    // IAM User Guide, "IAM JSON policy elements: Action": action names are case-insensitive.
    let p = parse(
        PolicyKind::Identity,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["S3:get*","ec2:Describe?nstances"],"Resource":"*"}]}"#,
    );
    assert!(allows(&p, &req(ALICE, "s3:GetObject", "*", &[])));
    assert!(allows(&p, &req(ALICE, "EC2:DESCRIBEINSTANCES", "*", &[])));
    assert!(!allows(&p, &req(ALICE, "s3:PutObject", "*", &[])));
    assert!(!allows(&p, &req(ALICE, "ec2:DescribeImages", "*", &[])));
}

#[test]
fn not_action_and_not_resource_match_the_complement() {
    // IAM User Guide, "NotAction" and "NotResource".
    let p = parse(
        PolicyKind::Identity,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*","NotResource":"arn:aws:s3:::secret/*"}]}"#,
    );
    assert!(allows(
        &p,
        &req(ALICE, "s3:GetObject", "arn:aws:s3:::public/k", &[])
    ));
    assert!(!allows(&p, &req(ALICE, "iam:CreateUser", "*", &[])));
    assert!(!allows(
        &p,
        &req(ALICE, "s3:GetObject", "arn:aws:s3:::secret/k", &[])
    ));
}

#[test]
fn variables_apply_only_under_2012_10_17() {
    // IAM User Guide, "IAM policy elements: Variables and tags": variables need
    // "Version": "2012-10-17"; otherwise `${aws:username}` is literal text.
    let doc = |version: &str| {
        format!(
            r#"{{{version}"Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${{aws:username}}/*"}}]}}"#
        )
    };
    let new = parse(PolicyKind::Identity, &doc(r#""Version":"2012-10-17","#));
    let old = parse(PolicyKind::Identity, &doc(r#""Version":"2008-10-17","#));
    let none = parse(PolicyKind::Identity, &doc(""));
    let own = req(ALICE, "s3:GetObject", "arn:aws:s3:::home/alice/a.txt", &[]);
    let literal = req(
        ALICE,
        "s3:GetObject",
        "arn:aws:s3:::home/${aws:username}/a.txt",
        &[],
    );
    assert!(allows(&new, &own));
    assert!(!allows(&new, &literal));
    assert!(!allows(&old, &own) && allows(&old, &literal));
    assert!(!allows(&none, &own) && allows(&none, &literal));
}

#[test]
fn variable_defaults_and_missing_keys() {
    // IAM User Guide, "Specifying default values" for policy variables.
    let p = parse(
        PolicyKind::Identity,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:PrincipalTag/team, 'shared'}/*"}]}"#,
    );
    let tagged = [("aws:PrincipalTag/team", "red")];
    assert!(allows(
        &p,
        &req(ALICE, "s3:GetObject", "arn:aws:s3:::b/red/x", &tagged)
    ));
    assert!(!allows(
        &p,
        &req(ALICE, "s3:GetObject", "arn:aws:s3:::b/shared/x", &tagged)
    ));
    assert!(allows(
        &p,
        &req(ALICE, "s3:GetObject", "arn:aws:s3:::b/shared/x", &[])
    ));
    let no_default = parse(
        PolicyKind::Identity,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:PrincipalTag/team}/*"}]}"#,
    );
    assert!(!allows(
        &no_default,
        &req(ALICE, "s3:GetObject", "arn:aws:s3:::b//x", &[])
    ));
}

#[test]
fn condition_values_may_be_strings_numbers_bools_or_arrays() {
    let p = parse(
        PolicyKind::Identity,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{
            "Bool":{"aws:SecureTransport":true},
            "NumericLessThan":{"s3:max-keys":10},
            "StringEquals":{"aws:RequestedRegion":["eu-west-1","eu-central-1"]}}}]}"#,
    );
    let ok = [
        ("aws:SecureTransport", "true"),
        ("s3:max-keys", "5"),
        ("aws:RequestedRegion", "eu-central-1"),
    ];
    assert!(allows(&p, &req(ALICE, "s3:ListBucket", "*", &ok)));
    let far = [
        ("aws:SecureTransport", "true"),
        ("s3:max-keys", "5"),
        ("aws:RequestedRegion", "us-east-1"),
    ];
    assert!(!allows(&p, &req(ALICE, "s3:ListBucket", "*", &far)));
}

#[test]
fn principals_in_every_documented_form() {
    // IAM User Guide, "AWS JSON policy elements: Principal".
    let p = parse(
        PolicyKind::Resource,
        r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::444455556666:user/bob"]},"Action":"s3:*","Resource":"*"},
            {"Effect":"Allow","Principal":{"Service":"logs.amazonaws.com","Federated":"cognito-identity.amazonaws.com","CanonicalUser":"79a59df900b949e55d96a1e698fbaced"},"Action":"s3:*","Resource":"*"}]}"#,
    );
    let bob = req(
        "arn:aws:iam::444455556666:user/bob",
        "s3:GetObject",
        "arn:aws:s3:::b/k",
        &[],
    );
    assert_eq!(p.evaluate(&bob, |_| {}).allow, Some(PrincipalMatch::User));
    let alice = req(ALICE, "s3:GetObject", "arn:aws:s3:::b/k", &[]);
    assert_eq!(
        p.evaluate(&alice, |_| {}).allow,
        Some(PrincipalMatch::Account)
    );
    let star = parse(
        PolicyKind::Resource,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}"#,
    );
    let anon = req("anonymous", "s3:GetObject", "arn:aws:s3:::b/k", &[]);
    assert_eq!(
        star.evaluate(&anon, |_| {}).allow,
        Some(PrincipalMatch::Broad)
    );
}

#[test]
fn the_principal_element_depends_on_the_policy_type() {
    // IAM User Guide, "Principal": identity policies may not name a principal;
    // resource policies must.
    let with = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#;
    let e = err(PolicyKind::Identity, with);
    assert_eq!(e.path, "Statement[0]");
    assert!(e.message.contains("Principal"), "{e}");
    let without =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    let e = err(PolicyKind::Rcp, without);
    assert!(e.message.contains("Principal"), "{e}");
    assert!(err(PolicyKind::Scp, with).message.contains("Principal"));
}

#[test]
fn errors_say_where_and_what() {
    let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Permit\", \"Action\": \"*\", \"Resource\": \"*\"}\n  ]\n}";
    let e = err(PolicyKind::Identity, text);
    assert_eq!(e.path, "Statement[0].Effect");
    assert_eq!(e.position.map(|p| p.0), Some(4));
    assert!(
        e.message.contains("Allow") && e.message.contains("Deny"),
        "{e}"
    );
    assert!(e.to_string().starts_with("line 4 column"), "{e}");
}

#[test]
fn unknown_condition_operators_are_errors_not_ignored() {
    let e = err(
        PolicyKind::Identity,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEqualz":{"aws:username":"x"}}}]}"#,
    );
    assert!(e.path.starts_with("Statement[0].Condition"), "{e}");
    assert!(e.message.contains("StringEqualz"), "{e}");
    assert!(
        e.message.contains("StringEquals"),
        "the error lists the valid operators: {e}"
    );
}

#[test]
fn malformed_shapes_are_errors() {
    let cases = [
        (r#"{"Version":"2012-10-17"}"#, "Statement"),
        (
            r#"{"Statement":[{"Effect":"Allow","Resource":"*"}]}"#,
            "Action",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"*","NotAction":"s3:*","Resource":"*"}]}"#,
            "NotAction",
        ),
        (r#"{"Statement":[{"Action":"*","Resource":"*"}]}"#, "Effect"),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"*"}]}"#,
            "Resource",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":42,"Resource":"*"}]}"#,
            "string",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Colour":"red"}]}"#,
            "Colour",
        ),
        ("[1,2]", "object"),
        ("{", "EOF"),
    ];
    for (text, needle) in cases {
        let e = err(PolicyKind::Identity, text);
        assert!(
            e.to_string().contains(needle),
            "{text}: {e} should mention {needle}"
        );
    }
}

#[test]
fn trailing_text_after_the_document_is_an_error() {
    let e = err(PolicyKind::Identity, r#"{"Statement":[]} x"#);
    assert_eq!(e.position.map(|p| p.0), Some(1), "{e}");
}

/// IAM User Guide, "IAM policy elements: Variables and tags"
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html):
/// "If AWS cannot resolve a variable this might cause the entire statement to be
/// invalid", yet "inverted condition operators ... do match against a null value". In
/// an Allow the condition fails whatever its operator, negated or IfExists, and the
/// explanation says which variable had no value. In a Deny the null value matches
/// nothing (inverted operators hold), and IfExists holds: the safe side each time.
#[test]
fn unresolvable_variables_fail_every_operator_of_an_allow_and_say_why() {
    for op in [
        "StringEquals",
        "StringNotEquals",
        "StringNotEqualsIfExists",
        "StringNotLike",
        "ArnNotEquals",
        "ForAllValues:StringNotEquals",
    ] {
        let p = parse(
            PolicyKind::Identity,
            &format!(
                r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{{"{op}":{{"aws:ResourceTag/team":"${{aws:PrincipalTag/team}}"}}}}}}}}"#
            ),
        );
        let r = req(
            ALICE,
            "s3:GetObject",
            "arn:aws:s3:::b/k",
            &[("aws:ResourceTag/team", "x")],
        );
        assert!(!allows(&p, &r), "{op}");
        let why = &p.misses(&r, false)[0].1;
        assert!(
            why.contains("no value for ${aws:PrincipalTag/team}"),
            "{why}"
        );
        // With a value, the operator decides as usual.
        let r = req(
            ALICE,
            "s3:GetObject",
            "arn:aws:s3:::b/k",
            &[
                ("aws:ResourceTag/team", "x"),
                ("aws:PrincipalTag/team", "y"),
            ],
        );
        assert_eq!(allows(&p, &r), op != "StringEquals", "{op} with a value");
    }
    // NotResource with a variable the request cannot resolve applies to nothing.
    let p = parse(
        PolicyKind::Identity,
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::home/${aws:username}/*"}}"#,
    );
    let session = "arn:aws:sts::111122223333:assumed-role/dev/alice";
    let r = req(session, "s3:GetObject", "arn:aws:s3:::other/k", &[]);
    assert!(!allows(&p, &r));
    assert!(p.misses(&r, false)[0].1.contains("${aws:username}"));
    // In a Deny the same NotResource excludes nothing: the Deny covers every resource
    // ("the resource that includes a policy variable with no value will not match any
    // resource").
    let p = parse(
        PolicyKind::Identity,
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:GetObject","NotResource":"arn:aws:s3:::home/${aws:username}/*"}}"#,
    );
    let r = req(session, "s3:GetObject", "arn:aws:s3:::home/alice/k", &[]);
    assert!(p.evaluate(&r, |_| {}).deny);
    // In a Deny the null value matches nothing: a negated operator holds ("inverted
    // condition operators ... do match against a null value"), StringEquals does not,
    // IfExists holds.
    let deny = |op: &str| {
        parse(
            PolicyKind::Identity,
            &format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:*","Resource":"*"}},{{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{{"{op}":{{"aws:ResourceTag/team":"${{aws:PrincipalTag/team}}"}}}}}}]}}"#
            ),
        )
    };
    let r = req(
        ALICE,
        "s3:GetObject",
        "arn:aws:s3:::b/k",
        &[("aws:ResourceTag/team", "x")],
    );
    assert!(deny("StringNotEquals").evaluate(&r, |_| {}).deny);
    assert!(deny("StringNotLike").evaluate(&r, |_| {}).deny);
    assert!(!deny("StringEquals").evaluate(&r, |_| {}).deny);
    assert!(deny("StringEqualsIfExists").evaluate(&r, |_| {}).deny);
    assert!(deny("StringNotEqualsIfExists").evaluate(&r, |_| {}).deny);
    assert!(deny("StringNotEqualsIfExists").misses(&r, false).is_empty());
}

/// what-can's resource patterns have their variables filled in before they are
/// compared, so `Wildcard` reads `${` as text; `*` crosses `/` and `:` as in an ARN
/// pattern (IAM JSON policy elements: Resource, "wildcards can match across segments").
#[test]
fn a_wildcard_covers_arns_as_a_resource_pattern_does() {
    let w = Wildcard::new("arn:aws:s3:::home/*");
    assert!(w.matches("arn:aws:s3:::home/alice/notes.txt"));
    assert!(!w.matches("arn:aws:s3:::Home/alice"));
    assert!(
        Wildcard::new("arn:aws:iam::*:role/?dmin").matches("arn:aws:iam::111122223333:role/admin")
    );
    assert!(
        !Wildcard::new("arn:aws:iam::*:role/?dmin")
            .matches("arn:aws:iam::111122223333:role/aadmin")
    );
    let literal = Wildcard::new("arn:aws:s3:::home/${aws:username}/*");
    assert!(literal.matches("arn:aws:s3:::home/${aws:username}/x"));
    assert!(!literal.matches("arn:aws:s3:::home/alice/x"));
}

/// IAM User Guide, "Grant a user permissions to pass a role to an AWS service"
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html): the
/// role's ResourceTag does not reliably control iam:PassRole. A tag condition grants
/// nothing for PassRole whatever the request's tags, says why, and holds in a Deny;
/// other actions read the tags as given.
#[test]
fn role_tags_are_not_relied_on_for_pass_role() {
    let allow = parse(
        PolicyKind::Identity,
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["iam:PassRole","iam:GetRole"],"Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"app"}}}}"#,
    );
    let role = "arn:aws:iam::111122223333:role/app-worker";
    let tagged = [("aws:ResourceTag/team", "app")];
    let pass = req(ALICE, "iam:PassRole", role, &tagged);
    assert!(!allows(&allow, &pass));
    assert!(allow.misses(&pass, false)[0].1.contains("not reliably"));
    assert!(allows(&allow, &req(ALICE, "iam:GetRole", role, &tagged)));
    let deny = parse(
        PolicyKind::Identity,
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"iam:PassRole","Resource":"*","Condition":{"StringNotEquals":{"iam:ResourceTag/team":"app"}}}}"#,
    );
    let pass = req(
        ALICE,
        "iam:PassRole",
        role,
        &[("iam:ResourceTag/team", "app")],
    );
    assert!(deny.evaluate(&pass, |_| {}).deny);
}

#[test]
fn an_anonymous_request_carries_principal_account_anonymous() {
    // IAM User Guide, "AWS global condition context keys", aws:PrincipalAccount: "For
    // anonymous requests, the request context returns `anonymous`", and the key "is
    // included in the request context for all requests, including anonymous requests".
    // Left out, a Deny on `StringEquals aws:PrincipalAccount anonymous` never applied
    // (a wrong Allowed), and a `Null` check on the key read it as absent.
    let anon = req("anonymous", "s3:GetObject", "arn:aws:s3:::b/k", &[]);
    let deny = parse(
        PolicyKind::Resource,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"anonymous"}}}]}"#,
    );
    assert!(deny.evaluate(&anon, |_| {}).deny);
    let null = parse(
        PolicyKind::Resource,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"Null":{"aws:PrincipalAccount":"true"}}}]}"#,
    );
    assert!(!null.evaluate(&anon, |_| {}).deny);
    // A signed request still carries its own account.
    let alice = req(ALICE, "s3:GetObject", "arn:aws:s3:::b/k", &[]);
    assert!(!deny.evaluate(&alice, |_| {}).deny);
}

/// The tags of the request's resource a statement reads: as a condition key or as
/// a policy variable in a value or a Resource (IAM User Guide, "Controlling access
/// to AWS resources using tags" and "IAM policy elements: Variables and tags"); any
/// tag when a variable makes the key's name.
#[test]
fn the_resource_tags_a_statement_reads() {
    let tags = |statement: &str| {
        let text = format!(r#"{{"Version":"2012-10-17","Statement":[{statement}]}}"#);
        parse(PolicyKind::Identity, &text).statements()[0].resource_tags_read()
    };
    let none: Option<Vec<String>> = Some(Vec::new());
    assert_eq!(
        tags(r#"{"Effect":"Allow","Action":"iam:*","Resource":"*"}"#),
        none
    );
    assert_eq!(
        tags(
            r#"{"Effect":"Deny","Action":"iam:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"red"}}}"#
        ),
        none
    );
    assert_eq!(
        tags(
            r#"{"Effect":"Deny","Action":"iam:*","Resource":"*","Condition":{"StringEquals":{"AWS:ResourceTag/Team":"red","iam:ResourceTag/env":"prod"}}}"#
        ),
        Some(vec!["team".to_string(), "env".to_string()])
    );
    assert_eq!(
        tags(
            r#"{"Effect":"Allow","Action":"iam:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"${aws:ResourceTag/Owner}"}}}"#
        ),
        Some(vec!["owner".to_string()])
    );
    assert_eq!(
        tags(
            r#"{"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::*:user/${iam:ResourceTag/name, 'x'}"}"#
        ),
        Some(vec!["name".to_string()])
    );
    assert_eq!(
        tags(
            r#"{"Effect":"Deny","Action":"iam:*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/${aws:PrincipalTag/k}":"x"}}}"#
        ),
        None
    );
}

/// An action named without a request is covered as a request of it is: patterns by
/// service, whole-name wildcards, `*`, and `NotAction` (IAM User Guide, "IAM JSON
/// policy elements: Action" and "NotAction"), case-insensitively.
#[test]
fn an_action_named_alone_is_covered_as_a_request_of_it() {
    let statements = [
        r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#,
        r#"{"Effect":"Allow","Action":["IAM:Create*","sts:TagSession"],"Resource":"*"}"#,
        r#"{"Effect":"Allow","Action":"*:Get*","Resource":"*"}"#,
        r#"{"Effect":"Deny","NotAction":["iam:*","sts:AssumeRole"],"Resource":"*"}"#,
    ];
    let actions = [
        "iam:CreateAccessKey",
        "iam:createloginprofile",
        "sts:TagSession",
        "sts:AssumeRole",
        "s3:GetObject",
        "kms:Decrypt",
    ];
    for text in statements {
        let doc = format!(r#"{{"Version":"2012-10-17","Statement":[{text}]}}"#);
        let p = parse(PolicyKind::Identity, &doc);
        let st = &p.statements()[0];
        for a in actions {
            let r = req(ALICE, a, "arn:aws:iam::111122223333:user/bob", &[]);
            assert_eq!(
                st.covers_action_named(a),
                st.covers_action(&r),
                "{text} {a}"
            );
        }
    }
    let p = parse(
        PolicyKind::Identity,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:Create*","Resource":"*"}]}"#,
    );
    assert!(p.statements()[0].covers_action_named("iam:CreateRole"));
    assert!(!p.statements()[0].covers_action_named("iam:DeleteRole"));
    assert!(!p.statements()[0].covers_action_named("no-service"));
}
