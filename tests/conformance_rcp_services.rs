//! RCPs govern exactly the services AWS lists (AWS Organizations User Guide, "Resource
//! control policies (RCPs)", "List of AWS services that support RCPs"): the list is
//! copied in tests/fixtures/audit4/rcp-services.txt. For every service of the catalog,
//! an RCP that denies everything blocks one of its actions if and only if AWS lists the
//! service: a listed service left out would be a wrong Allowed, an unlisted one kept in
//! a wrong Denied.

use std::collections::BTreeSet;

use orgscope::catalog::Catalog;
use orgscope::engine::{self, Decision, Layer, PolicySet};
use orgscope::policy::{Context, Policy, PolicyKind, Request};

fn aws_list() -> BTreeSet<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/audit4/rcp-services.txt"
    );
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

#[test]
fn an_rcp_denies_the_actions_of_exactly_the_services_aws_lists() {
    let listed = aws_list();
    assert_eq!(listed.len(), 62, "the fixture holds AWS's 62 services");
    let deny_all = Policy::parse(
        PolicyKind::Rcp,
        "deny-all",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}"#,
    )
    .unwrap();
    let allow_all = Policy::parse(
        PolicyKind::Identity,
        "allow-all",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    )
    .unwrap();
    let catalog = Catalog::get();
    let mut governed = BTreeSet::new();
    let mut wrong = Vec::new();
    for service in catalog.services() {
        let Some(action) = catalog.service(service).and_then(|a| a.first()) else {
            continue;
        };
        let request = Request::new(
            "arn:aws:iam::111122223333:user/alice",
            &action.full_name(),
            "*",
            Some("111122223333"),
            Context::default(),
        )
        .unwrap();
        let set = PolicySet {
            identity: vec![&allow_all],
            rcps: vec![vec![&deny_all]].into(),
            ..Default::default()
        };
        let (decision, blocked_by) = engine::decide(&request, &set);
        let denied = decision == Decision::ExplicitlyDenied;
        if denied {
            assert_eq!(blocked_by, Some(Layer::Rcp(0)), "{action}");
            governed.insert(service.to_string());
        }
        if denied != listed.contains(service) {
            wrong.push(format!("{action}: {decision}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "RCPs decide these services' actions unlike AWS's list:\n{}",
        wrong.join("\n")
    );
    // Every service AWS lists is one the catalog knows: none is missed for want of it.
    let unknown: Vec<_> = listed.difference(&governed).collect();
    assert!(unknown.is_empty(), "listed but not governed: {unknown:?}");
}
