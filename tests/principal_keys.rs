//! Keys the org knows about who calls: `aws:userid`, the unique id of a user, and
//! `role-id:session-name` for a role session (IAM User Guide, "Principal key values").
//! The classic bucket policy that keeps a bucket to one role and one user denies
//! everyone else by `aws:userid`; without the ids the Deny would stop them too.

use orgscope::analysis::{self, Ask};
use orgscope::engine::Decision;

const ORG: &str = r#"{
  "organization": {"id": "o-userids00001", "management_account": "111111111111"},
  "root": {"scps": ["FullAWSAccess"]},
  "accounts": [
    {"id": "111111111111", "name": "management"},
    {
      "id": "222222222222",
      "name": "data",
      "users": {
        "ann": {"id": "AIDAANNEXAMPLE000001", "managed": ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]},
        "bob": {"id": "AIDABOBEXAMPLE000002", "managed": ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]}
      },
      "roles": {
        "Loader": {"id": "AROALOADEREXAMPLE003", "trust": ["222222222222"],
                   "managed": ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]}
      },
      "resources": {
        "arn:aws:s3:::data-bucket": {
          "policy": {
            "Version": "2012-10-17",
            "Statement": [{
              "Sid": "OnlyLoaderAndAnn",
              "Effect": "Deny",
              "Principal": "*",
              "Action": "s3:*",
              "Resource": ["arn:aws:s3:::data-bucket", "arn:aws:s3:::data-bucket/*"],
              "Condition": {"StringNotLike": {"aws:userid": ["AROALOADEREXAMPLE003:*", "AIDAANNEXAMPLE000001"]}}
            }]
          }
        }
      }
    }
  ]
}"#;

fn decision(org: &orgscope::org::Org, who: &str) -> Decision {
    let ask = Ask {
        action: "s3:GetObject".into(),
        resource: "arn:aws:s3:::data-bucket/report.csv".into(),
        ..Ask::default()
    };
    analysis::can(org, who, &ask).unwrap().decision
}

#[test]
fn userid_comes_from_the_ids_the_org_holds() {
    let (org, report) = orgscope::org::load_str("userids.json", ORG);
    let org = org.unwrap_or_else(|| panic!("{report:?}"));
    assert_eq!(
        decision(&org, "ann"),
        Decision::Allowed,
        "ann's id is listed"
    );
    assert_eq!(
        decision(&org, "bob"),
        Decision::ExplicitlyDenied,
        "bob's id is not"
    );
    // A named session of the role: `AROA...:nightly` matches `AROA...:*`.
    assert_eq!(
        decision(
            &org,
            "arn:aws:sts::222222222222:assumed-role/Loader/nightly"
        ),
        Decision::Allowed
    );
    // The role with no session name stands for a session of any name no policy
    // names: AWS sets its aws:userid to `AROA...:NAME`, which `AROA...:*` matches
    // whatever the name, so the Deny lets every session of Loader through (the
    // pattern's purpose). Taking the key as absent answered Denied for all of them.
    assert_eq!(decision(&org, "Loader"), Decision::Allowed);
    // who-can lists exactly those the ids let through.
    let who = analysis::who_can(
        &org,
        &Ask {
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::data-bucket/report.csv".into(),
            ..Ask::default()
        },
    )
    .unwrap();
    let allowed: Vec<&str> = who.allowed.iter().map(|h| h.principal.as_str()).collect();
    assert_eq!(
        allowed,
        vec![
            "arn:aws:iam::222222222222:role/Loader",
            "arn:aws:iam::222222222222:user/ann"
        ]
    );
}
