//! S3 Block Public Access on a bucket, in words: what `RestrictPublicBuckets` does to
//! the bucket's policy (S3 User Guide, "Blocking public access to your Amazon S3
//! storage").

use crate::engine::{Decision, Layer};
use crate::org::{Org, PublicAccessBlock};

/// The S3 actions a bucket or object ACL permission grants (S3 User Guide, "Access
/// control list (ACL) overview", "Mapping of ACL permissions and access policy
/// permissions"): READ, WRITE, READ_ACP and WRITE_ACP on a bucket or an object.
const ACL_GRANTED: &[&str] = &[
    // Bucket READ.
    "listbucket",
    "listbucketversions",
    "listbucketmultipartuploads",
    // Bucket WRITE.
    "putobject",
    "deleteobject",
    "deleteobjectversion",
    // Bucket READ_ACP and WRITE_ACP.
    "getbucketacl",
    "putbucketacl",
    // Object READ.
    "getobject",
    "getobjectversion",
    "getobjecttorrent",
    // Object READ_ACP and WRITE_ACP.
    "getobjectacl",
    "getobjectversionacl",
    "putobjectacl",
    "putobjectversionacl",
];

/// The S3 requests that may carry an ACL, which `BlockPublicAcls` refuses when the
/// ACL is public (S3 API Reference, "PublicAccessBlockConfiguration").
const ACL_SETTING: &[&str] = &[
    "putobject",
    "putobjectacl",
    "putobjectversionacl",
    "putbucketacl",
    "createbucket",
];

fn s3_action(action: &str) -> Option<String> {
    let (service, name) = action.split_once(':')?;
    service
        .eq_ignore_ascii_case("s3")
        .then(|| name.to_ascii_lowercase())
}

/// The bucket's and its account's Block Public Access settings, combined (the most
/// restrictive wins); `None` when neither is in the input.
fn settings(org: &Org, resource: &str) -> Option<PublicAccessBlock> {
    let r = org.bucket_of(resource)?;
    let res = org.resource(r);
    let own = res.public_access_block;
    let account = org.account(res.account).public_access_block;
    match (own, account) {
        (None, None) => None,
        (a, b) => {
            let (a, b) = (a.unwrap_or_default(), b.unwrap_or_default());
            Some(PublicAccessBlock {
                block_public_acls: a.block_public_acls || b.block_public_acls,
                ignore_public_acls: a.ignore_public_acls || b.ignore_public_acls,
                block_public_policy: a.block_public_policy || b.block_public_policy,
                restrict_public_buckets: a.restrict_public_buckets || b.restrict_public_buckets,
            })
        }
    }
}

/// What orgscope leaves out of a decision on S3 because it does not read bucket or
/// object ACLs (the exports it reads hold none): an ACL may grant a request no
/// policy allows, and `BlockPublicAcls` refuses a request that sets a public ACL.
/// `None` for a request no ACL bears on, or a denial an ACL cannot lift: an explicit
/// deny, or an implicit one from an SCP, an RCP, a boundary or a session policy (an ACL
/// grant is a grant of the resource's side, as a bucket policy's; IAM User Guide,
/// "Policy evaluation logic"). `blocked_by` is the layer that denied.
pub fn acl_note(
    org: &Org,
    action: &str,
    resource: &str,
    decision: Decision,
    blocked_by: Option<Layer>,
) -> Option<String> {
    let name = s3_action(action)?;
    let bpa = settings(org, resource);
    match decision {
        Decision::ExplicitlyDenied => None,
        Decision::Allowed => ACL_SETTING.contains(&name.as_str()).then(|| {
            let state = match bpa {
                Some(b) if b.block_public_acls => "on for this bucket",
                Some(_) => "off for this bucket",
                None => "not known for this bucket",
            };
            format!(
                "S3 ACLs are not evaluated: if the request sets a public ACL (public-read, public-read-write, authenticated-read, or a grant to AllUsers or AuthenticatedUsers), S3 refuses it when BlockPublicAcls is on ({state})"
            )
        }),
        _ if !matches!(blocked_by, Some(Layer::Identity | Layer::Resource)) => None,
        _ => ACL_GRANTED.contains(&name.as_str()).then(|| {
            let public = match bpa {
                Some(b) if b.ignore_public_acls => {
                    "; IgnorePublicAcls is on for this bucket, so grants to AllUsers or AuthenticatedUsers do not count"
                }
                _ => "",
            };
            format!(
                "S3 ACLs are not evaluated: a bucket or object ACL could still grant this (to an account, AllUsers or AuthenticatedUsers) unless the bucket's Object Ownership disables ACLs{public}"
            )
        }),
    }
}

/// who-can's note on the principals an ACL could let in, which it cannot list:
/// `None` for the requests no ACL grants.
pub fn who_can_acl_note(org: &Org, action: &str, resource: &str) -> Option<String> {
    let name = s3_action(action)?;
    if !ACL_GRANTED.contains(&name.as_str()) {
        return None;
    }
    let public = match settings(org, resource) {
        Some(b) if b.ignore_public_acls => {
            " (IgnorePublicAcls is on for this bucket: grants to AllUsers or AuthenticatedUsers do not count)"
        }
        _ => "",
    };
    Some(format!(
        "S3 ACLs are not evaluated: accounts, AllUsers or AuthenticatedUsers that a bucket or object ACL grants are not listed{public}"
    ))
}

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

    const ID: Option<Layer> = Some(Layer::Identity);

    fn fixture() -> Org {
        crate::org::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/org/aws-rules.json"
        )))
        .unwrap()
    }

    /// S3 User Guide, "Access control list (ACL) overview": an ACL grants READ
    /// (GetObject) and the like, never denies; orgscope reads no ACL, so a denial it
    /// finds for such a request says so, and an explicit deny needs no note.
    #[test]
    fn a_denial_an_acl_could_lift_says_acls_are_not_evaluated() {
        let org = fixture();
        let object = "arn:aws:s3:::sandbox-open/x";
        let note = acl_note(&org, "s3:GetObject", object, Decision::ImplicitlyDenied, ID).unwrap();
        assert!(note.starts_with("S3 ACLs are not evaluated"), "{note}");
        assert!(!note.contains("IgnorePublicAcls"), "{note}");
        assert_eq!(
            acl_note(
                &org,
                "s3:GetObject",
                object,
                Decision::ExplicitlyDenied,
                None
            ),
            None
        );
        // No ACL grants a bucket policy change, nor anything outside S3.
        assert_eq!(
            acl_note(
                &org,
                "s3:PutBucketPolicy",
                "arn:aws:s3:::sandbox-open",
                Decision::ImplicitlyDenied,
                ID
            ),
            None
        );
        // A session policy's denial stands whatever an ACL grants.
        assert_eq!(
            acl_note(
                &org,
                "s3:GetObject",
                object,
                Decision::ImplicitlyDenied,
                Some(Layer::Session)
            ),
            None
        );
        assert_eq!(
            acl_note(
                &org,
                "sqs:SendMessage",
                object,
                Decision::ImplicitlyDenied,
                ID
            ),
            None
        );
    }

    /// S3 User Guide, "Blocking public access to your Amazon S3 storage":
    /// IgnorePublicAcls (here the account's) makes public grants not count, and
    /// BlockPublicAcls refuses a PutObject that sets a public ACL.
    #[test]
    fn the_notes_say_what_block_public_access_does_to_acls() {
        let org = fixture();
        let object = "arn:aws:s3:::workload-site/x";
        let denied =
            acl_note(&org, "s3:GetObject", object, Decision::ImplicitlyDenied, ID).unwrap();
        assert!(denied.contains("IgnorePublicAcls is on"), "{denied}");
        let put = acl_note(&org, "s3:PutObject", object, Decision::Allowed, None).unwrap();
        assert!(
            put.contains("BlockPublicAcls is on (on for this bucket)"),
            "{put}"
        );
        let open = acl_note(
            &org,
            "s3:PutObject",
            "arn:aws:s3:::sandbox-open/x",
            Decision::Allowed,
            None,
        )
        .unwrap();
        assert!(open.contains("not known for this bucket"), "{open}");
        assert_eq!(
            acl_note(&org, "s3:GetObject", object, Decision::Allowed, None),
            None
        );
        let who = who_can_acl_note(&org, "s3:GetObject", object).unwrap();
        assert!(who.contains("are not listed"), "{who}");
        assert!(who.contains("IgnorePublicAcls is on"), "{who}");
    }

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
