//! Answers of acme as rows.

use super::*;
use crate::analysis::Ask;
use crate::org::load_builtin_acme;
use crate::tui::tree::TreeSource;

fn text(t: &AnswerTree, id: u32) -> String {
    t.item(id).text()
}

fn all(t: &AnswerTree) -> Vec<String> {
    (0..t.len() as u32).map(|i| text(t, i)).collect()
}

#[test]
fn a_denied_can_names_the_blocking_layer_and_its_statement() {
    let org = load_builtin_acme();
    let q = Query::Can {
        principal: "eve".into(),
        ask: Ask {
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::acme-public-website/index.html".into(),
            ..Ask::default()
        },
        session_policy: None,
    };
    let t = run(&org, &q).unwrap();
    let head: String = t.header[0].iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(head, "✗ ExplicitlyDenied  blocked by RCP root");
    let focus = t.focus.expect("the blocking layer is focused");
    assert!(
        text(&t, focus).starts_with("RCP root"),
        "{}",
        text(&t, focus)
    );
    let deny = t
        .children(focus)
        .into_iter()
        .find(|&c| text(&t, c).starts_with("Deny"))
        .unwrap();
    let Some(Jump::Statement(m)) = t.item(deny).jump.clone() else {
        panic!("a statement jump")
    };
    assert_eq!(org.policy_name(m.policy), "EnforceSecureTransport");
    assert!(
        all(&t)
            .iter()
            .any(|r| r.contains("aws:SecureTransport: (absent) → ExplicitlyDenied"))
    );
    assert!(
        t.context_hints
            .contains(&"aws:SecureTransport=true".to_string())
    );
}

#[test]
fn who_can_groups_by_account() {
    let org = load_builtin_acme();
    let q = Query::WhoCan {
        ask: Ask {
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::acme-public-website/index.html".into(),
            ..Ask::default()
        },
    };
    let t = run(&org, &q).unwrap();
    let rows = all(&t);
    assert_eq!(rows[0], "Allowed (1)");
    assert!(rows[1].starts_with("web-prod 666666666666"), "{}", rows[1]);
    // Four need only TLS; the rest also a region the SCPs let through (keys found
    // together: neither alone lets them in). Six root users need TLS too (the
    // Workloads OU's DenyRootUser keeps the other four out).
    assert!(
        rows.iter()
            .any(|r| r.starts_with("Allowed only under conditions (21)"))
    );
    assert!(
        rows.iter()
            .any(|r| r.contains("arn:aws:iam::333333333333:root")
                && r.contains("when aws:SecureTransport=true"))
    );
    assert!(
        rows.iter()
            .any(|r| r.contains("carol") && r.contains("when aws:SecureTransport=true"))
    );
    assert!(rows.iter().any(|r| r.contains("frank")
        && r.contains("when aws:RequestedRegion=eu-central-1, aws:SecureTransport=true")));
    assert!(rows.iter().any(|r| r.starts_with("everyone *")));
}

#[test]
fn errors_are_words() {
    let org = load_builtin_acme();
    let q = Query::Paths {
        from: Some("nobody".into()),
        to: None,
        context: Vec::new(),
    };
    assert!(
        run(&org, &q)
            .unwrap_err()
            .contains("no user or role `nobody`")
    );
}

fn header(t: &AnswerTree) -> Vec<String> {
    t.header
        .iter()
        .map(|l| l.iter().map(|(_, s)| s.as_str()).collect())
        .collect()
}

#[test]
fn the_resource_account_is_resolved_and_shown() {
    let org = load_builtin_acme();
    let ask = |account: Option<&str>| Ask {
        action: "s3:GetObject".into(),
        resource: "arn:aws:s3:::elsewhere-bucket/k".into(),
        resource_account: account.map(str::to_string),
        ..Ask::default()
    };
    let can = |account| Query::Can {
        principal: "dana".into(),
        ask: ask(account),
        session_policy: None,
    };
    let t = run(&org, &can(None)).unwrap();
    assert_eq!(
        header(&t)[2],
        "resource account 222222222222 (security)  (assumed: the ARN names no account)"
    );
    let t = run(&org, &can(Some("web-prod"))).unwrap();
    assert_eq!(header(&t)[2], "resource account 666666666666 (web-prod)");
    let t = run(&org, &can(Some("123456789012"))).unwrap();
    assert_eq!(header(&t)[2], "resource account 123456789012");
    let e = run(&org, &can(Some("nowhere"))).unwrap_err();
    assert!(
        e.starts_with("resource account `nowhere`: no account"),
        "{e}"
    );
    // who-can says the account too, or that it was assumed for each principal.
    let t = run(
        &org,
        &Query::WhoCan {
            ask: ask(Some("security")),
        },
    )
    .unwrap();
    assert_eq!(header(&t)[1], "resource account 222222222222 (security)");
    let t = run(&org, &Query::WhoCan { ask: ask(None) }).unwrap();
    assert!(header(&t)[1].starts_with("the resource's account is unknown"));
}

#[test]
fn what_can_compares_two_principals() {
    let org = load_builtin_acme();
    let q = |compare: &str| Query::WhatCan {
        principal: "dana".into(),
        filter: crate::analysis::Filter {
            service: Some("iam".into()),
            level: None,
        },
        context: Vec::new(),
        compare: Some(compare.into()),
    };
    let t = run(&org, &q("WebDeployer")).unwrap();
    let rows = all(&t);
    assert!(rows[0].starts_with("Only dana ("), "{rows:?}");
    let only_web = rows
        .iter()
        .position(|r| r.starts_with("Only WebDeployer"))
        .expect("the second principal's group");
    let both = rows
        .iter()
        .position(|r| r.starts_with("In both ("))
        .expect("the common ground");
    assert!(only_web < both);
    // The groups jump to their principals.
    let roots = t.roots();
    assert!(matches!(
        t.item(roots[0]).jump,
        Some(Jump::Node(crate::tui::nodes::Node::User(_)))
    ));
    assert!(matches!(
        t.item(roots[1]).jump,
        Some(Jump::Node(crate::tui::nodes::Node::Role(_)))
    ));
    let h = header(&t);
    assert!(h[0].contains(" in both · "), "{h:?}");
    assert!(h[1].starts_with("dana can do "), "{h:?}");
    assert!(h[1].ends_with("(only iam)"), "{h:?}");
    let e = run(&org, &q("nobody")).unwrap_err();
    assert!(e.contains("no user or role `nobody`"), "{e}");
}

#[test]
fn an_action_not_in_the_catalog_is_answered_with_a_warning() {
    let org = load_builtin_acme();
    let q = |action: &str| Query::Can {
        principal: "dana".into(),
        ask: Ask {
            action: action.into(),
            resource: "*".into(),
            ..Ask::default()
        },
        session_policy: None,
    };
    let t = run(&org, &q("s3:GetObjet")).unwrap();
    assert!(
        header(&t)
            .iter()
            .any(|h| h.contains("`s3:GetObjet` is not an action in the AWS catalog")),
        "{:?}",
        header(&t)
    );
    let t = run(&org, &q("s3:GetObject")).unwrap();
    assert!(!header(&t).iter().any(|h| h.contains("not an action")));
}

#[test]
fn the_can_form_answers_callers_the_org_does_not_hold() {
    // IAM User Guide, "Cross-account policy evaluation logic": the org's side is
    // answered, the caller's own account assumed to allow.
    let org = load_builtin_acme();
    let ask = |resource: &str, action: &str, tls: bool| Ask {
        action: action.into(),
        resource: resource.into(),
        context: if tls {
            vec![("aws:SecureTransport".into(), vec!["true".into()])]
        } else {
            Vec::new()
        },
        ..Ask::default()
    };
    let q = Query::Can {
        principal: "arn:aws:iam::210987654321:role/partner-auditor".into(),
        ask: ask("arn:aws:s3:::acme-org-cloudtrail/x", "s3:GetObject", true),
        session_policy: None,
    };
    let t = run(&org, &q).unwrap();
    let h = header(&t);
    assert!(h[0].starts_with("✗ ImplicitlyDenied"), "{h:?}");
    assert!(
        h.iter()
            .any(|l| l.starts_with("assumed: account 210987654321 is not in the organization")),
        "{h:?}"
    );
    // "AWS JSON policy elements: Principal": the bucket policy names the service.
    let q = Query::Can {
        principal: "cloudtrail.amazonaws.com".into(),
        ask: ask("arn:aws:s3:::acme-org-cloudtrail", "s3:GetBucketAcl", true),
        session_policy: None,
    };
    let t = run(&org, &q).unwrap();
    assert!(header(&t)[0].starts_with("✓ Allowed"), "{:?}", header(&t));
}

#[test]
fn the_can_form_answers_a_resource_pattern_as_a_set() {
    // CloudTrail writes only under AWSLogs/o-acme0example/ (CloudTrailWrite), with
    // the ACL its condition asks for.
    let org = load_builtin_acme();
    let q = Query::Can {
        principal: "cloudtrail.amazonaws.com".into(),
        ask: Ask {
            action: "s3:PutObject".into(),
            resource: "arn:aws:s3:::acme-org-cloudtrail/*".into(),
            context: vec![
                ("aws:SecureTransport".into(), vec!["true".into()]),
                (
                    "s3:x-amz-acl".into(),
                    vec!["bucket-owner-full-control".into()],
                ),
            ],
            ..Ask::default()
        },
        session_policy: None,
    };
    let t = run(&org, &q).unwrap();
    let h = header(&t);
    assert_eq!(
        h[0], "~ allowed on some of the resources it covers",
        "{h:?}"
    );
    assert!(
        h.iter().any(|l| l
            .starts_with("allowed on arn:aws:s3:::acme-org-cloudtrail/AWSLogs/o-acme0example/")),
        "{h:?}"
    );
    assert!(
        all(&t)
            .iter()
            .any(|r| r.starts_with("Classes of resources"))
    );
}
