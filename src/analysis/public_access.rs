//! S3 Block Public Access on a bucket, in words: what `RestrictPublicBuckets` does to
//! the bucket's policy (S3 User Guide, "Blocking public access to your Amazon S3
//! storage").

use crate::org::Org;

/// A bucket's S3 Block Public Access, as it decides access: whether
/// `RestrictPublicBuckets` is on, and from where (the bucket or its account).
pub fn block_public_access(org: &Org, r: crate::org::ResourceIx) -> String {
    let res = org.resource(r);
    let own = res
        .public_access_block
        .is_some_and(|b| b.restrict_public_buckets);
    let account = org
        .account(res.account)
        .public_access_block
        .is_some_and(|b| b.restrict_public_buckets);
    let public = res.policy.is_some_and(|p| {
        org.compiled(p)
            .statements()
            .iter()
            .any(crate::engine::is_public_statement)
    });
    let scope = match (own, account) {
        (true, true) => "bucket and account",
        (true, false) => "bucket",
        (false, true) => "account",
        (false, false) => {
            return if res.public_access_block.is_none()
                && org.account(res.account).public_access_block.is_none()
            {
                "not known (not in the input)".to_string()
            } else {
                "RestrictPublicBuckets off".to_string()
            };
        }
    };
    if public {
        format!(
            "RestrictPublicBuckets on ({scope}): the public policy reaches only AWS services and this account's principals"
        )
    } else {
        format!("RestrictPublicBuckets on ({scope}); the policy is not public")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// S3 User Guide, "Blocking public access to your Amazon S3 storage"
    /// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html):
    /// the bucket's and the account's settings combine, the most restrictive winning.
    #[test]
    fn the_setting_is_described_from_where_it_comes() {
        let org = crate::org::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/org/aws-rules.json"
        )))
        .unwrap();
        let say = |arn: &str| block_public_access(&org, org.resource_by_arn(arn).unwrap());
        assert!(
            say("arn:aws:s3:::workload-site")
                .starts_with("RestrictPublicBuckets on (account): the public policy")
        );
        assert!(say("arn:aws:s3:::workload-org-shared").ends_with("the policy is not public"));
        assert!(
            say("arn:aws:s3:::sandbox-locked").starts_with("RestrictPublicBuckets on (bucket)")
        );
        assert_eq!(
            say("arn:aws:s3:::sandbox-open"),
            "not known (not in the input)"
        );
    }
}
