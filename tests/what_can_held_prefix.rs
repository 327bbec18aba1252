//! what-can through a bucket policy that names the principal on one prefix. Within one
//! account a resource policy grants on its own (IAM User Guide, "Policy evaluation for
//! requests within a single account"), and a request names one object, so zed, with
//! no policy of its own, can read `reports/*`. what-can asked only `BUCKET/*` and
//! said zed could do nothing.

#[path = "common/acme.rs"]
mod acme;

use orgscope::analysis::{self, Ask};
use orgscope::engine::Decision;

#[test]
fn a_bucket_policy_grant_on_one_prefix_is_listed_and_agrees_with_can() {
    let org = acme::acme_with("zed-reads-lake-reports.json");
    let zed = "arn:aws:iam::888888888888:user/zed";
    let reports = "arn:aws:s3:::acme-data-dev-lake/reports/*";
    let answer = analysis::what_can(&org, zed, &Default::default(), &[]).unwrap();
    let json = serde_json::to_value(&answer).unwrap();
    let grants: Vec<&serde_json::Value> = json["grants"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["action"] == "s3:GetObject")
        .collect();
    assert_eq!(grants.len(), 1, "{json:#}");
    assert_eq!(
        grants[0]["resources"],
        serde_json::json!([reports]),
        "{:#}",
        grants[0]
    );
    // `can` on an object of the prefix, with the keys what-can says it needs.
    let ask = Ask {
        action: "s3:GetObject".into(),
        resource: "arn:aws:s3:::acme-data-dev-lake/reports/q1.csv".into(),
        context: vec![
            ("aws:SecureTransport".into(), vec!["true".into()]),
            ("aws:RequestedRegion".into(), vec!["eu-central-1".into()]),
        ],
        ..Ask::default()
    };
    assert_eq!(
        analysis::can(&org, zed, &ask).unwrap().decision,
        Decision::Allowed
    );
    // Outside the prefix, the policy grants nothing.
    let other = Ask {
        resource: "arn:aws:s3:::acme-data-dev-lake/raw/q1.csv".into(),
        ..ask
    };
    assert_eq!(
        analysis::can(&org, zed, &other).unwrap().decision,
        Decision::ImplicitlyDenied
    );
}
