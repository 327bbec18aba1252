//! An export directory assembled from the AWS CLI documentation's example outputs
//! (tests/fixtures/awscli-export, made by scripts/make-awscli-export.py; Apache-2.0,
//! its LICENSE-awscli-examples.txt) loads, and answers questions whose answers are
//! worked out by hand from AWS's rules.

use orgscope::analysis::{self, Ask};
use orgscope::engine::Decision;
use orgscope::org::Org;

const DIR: &str = "tests/fixtures/awscli-export";

fn org() -> Org {
    orgscope::org::load(std::path::Path::new(DIR)).unwrap()
}

fn decide(org: &Org, who: &str, action: &str, resource: &str) -> Decision {
    let ask = Ask {
        action: action.into(),
        resource: resource.into(),
        ..Ask::default()
    };
    analysis::can(org, who, &ask).unwrap().decision
}

#[test]
fn the_examples_load_as_one_organization() {
    let org = org();
    // describe-organization's management account, the root's two made-up accounts
    // and list-accounts-for-parent's two.
    let mut ids: Vec<&str> = org.accounts().iter().map(|a| &*a.id).collect();
    ids.sort();
    assert_eq!(
        ids,
        [
            "111111111111",
            "123456789012",
            "333333333333",
            "444444444444"
        ]
    );
    // get-account-authorization-details' users, and the bucket of get-bucket-policy.
    for user in ["Alice", "Bob", "Charlie"] {
        assert!(
            org.principal_by_arn(&format!("arn:aws:iam::123456789012:user/{user}"))
                .is_some()
        );
    }
    assert!(
        org.resource_by_arn("arn:aws:s3:::amzn-s3-demo-bucket")
            .is_some()
    );
}

#[test]
fn identity_policies_from_the_groups_decide() {
    let org = org();
    let user = "arn:aws:iam::123456789012:user/new-user";
    // Alice is in Admins (AdministratorAccess: Allow * on *); every SCP level allows
    // everything (FullAWSAccess and p-examplepolicyid111's Allow *): IAM User Guide,
    // "Policy evaluation logic".
    assert_eq!(
        decide(&org, "Alice", "iam:CreateUser", user),
        Decision::Allowed
    );
    // Charlie is in Dev (PowerUserAccess: NotAction iam:*, organizations:*,
    // account:*): no statement allows iam:CreateUser, an implicit deny.
    assert_eq!(
        decide(&org, "Charlie", "iam:CreateUser", user),
        Decision::ImplicitlyDenied
    );
    assert_eq!(
        decide(
            &org,
            "Charlie",
            "s3:GetObject",
            "arn:aws:s3:::amzn-s3-demo-bucket/report.csv"
        ),
        Decision::Allowed
    );
}

#[test]
fn the_example_bucket_policy_decides_for_anyone() {
    let org = org();
    // The bucket policy allows s3:GetObject to Principal "*": an anonymous request is
    // let in by the resource policy alone (no RCP is enabled in the example org, and
    // no Block Public Access setting is in the export). "Policy evaluation logic".
    assert_eq!(
        decide(
            &org,
            "anonymous",
            "s3:GetObject",
            "arn:aws:s3:::amzn-s3-demo-bucket/report.csv"
        ),
        Decision::Allowed
    );
    // Its Deny on secret/* to "*" is explicit: it wins over every Allow, the
    // administrator's included.
    for who in ["anonymous", "Alice"] {
        assert_eq!(
            decide(
                &org,
                who,
                "s3:GetObject",
                "arn:aws:s3:::amzn-s3-demo-bucket/secret/plan.txt"
            ),
            Decision::ExplicitlyDenied,
            "{who}"
        );
    }
    // EC2role's trust policy names ec2.amazonaws.com ("AWS JSON policy elements:
    // Principal", service principals); another service is not let in.
    let role = "arn:aws:iam::123456789012:role/EC2role";
    assert_eq!(
        decide(&org, "ec2.amazonaws.com", "sts:AssumeRole", role),
        Decision::Allowed
    );
    assert_eq!(
        decide(&org, "lambda.amazonaws.com", "sts:AssumeRole", role),
        Decision::ImplicitlyDenied
    );
}

#[test]
fn the_example_outputs_odd_records_are_warnings() {
    // The get-account-authorization-details example is marked truncated, and three
    // accounts have no IAM export: each a warning, the rest still loads.
    let (org, report) = orgscope::org::load_partial(std::path::Path::new(DIR)).unwrap();
    let text = format!("{report:?}");
    assert!(text.contains("IsTruncated"), "{text}");
    assert_eq!(org.accounts().len(), 4);
}
