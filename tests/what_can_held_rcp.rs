//! What-can's "denied on" (`deniedWithin`) agrees with `can` on a resource of another
//! member account that an allowed pattern covers: that account's RCP Deny is named.
//!
//! Organizations User Guide, "Resource control policies (RCPs)": an RCP restricts the
//! permissions on the resources of the member accounts it is attached to, whoever the
//! principal; IAM User Guide, "Cross-account policy evaluation logic": the bucket's
//! policy lets the developer of another account in.

use std::path::Path;

use orgscope::analysis::{self, Ask, Filter};
use orgscope::engine::Decision;
use orgscope::org::Org;

const DEV: &str = "arn:aws:iam::222222222222:user/dev";

fn org() -> Org {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audit5/held-rcp.json");
    orgscope::org::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn can(org: &Org, resource: &str) -> Decision {
    let ask = Ask {
        action: "s3:GetObject".into(),
        resource: resource.into(),
        ..Ask::default()
    };
    analysis::can(org, DEV, &ask).unwrap().decision
}

#[test]
fn an_rcp_deny_in_another_account_is_named_within_the_allowed_pattern() {
    let org = org();
    // `can` first: the RCP of the bucket's account denies, the other bucket is let in.
    assert_eq!(
        can(&org, "arn:aws:s3:::b-shared/x"),
        Decision::ExplicitlyDenied
    );
    assert_eq!(can(&org, "arn:aws:s3:::b-open/x"), Decision::Allowed);
    let filter = Filter {
        service: Some("s3".into()),
        level: None,
    };
    let answer = analysis::what_can(&org, DEV, &filter, &[]).unwrap();
    let grant = answer
        .grants
        .iter()
        .find(|g| g.action == "s3:GetObject")
        .expect("s3:GetObject is granted");
    assert!(grant.resources.iter().any(|r| r == "*"), "{grant:?}");
    assert!(
        grant
            .denied_within
            .iter()
            .any(|d| d == "arn:aws:s3:::b-shared/*"),
        "the shared bucket's RCP Deny is named: {grant:?}"
    );
    assert!(
        !grant.denied_within.iter().any(|d| d.contains("b-open")),
        "the open bucket is not: {grant:?}"
    );
}
