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

/// Whether `BlockPublicAcls` is on for a bucket of the org: its own setting or its
/// account's (the most restrictive combination wins).
pub fn bucket_blocks_public_acls(org: &Org, r: crate::org::ResourceIx) -> bool {
    let res = org.resource(r);
    res.kind == crate::org::ResourceKind::S3Bucket
        && (res.public_access_block.is_some_and(|b| b.block_public_acls)
            || account_blocks_public_acls(org, res.account))
}

/// Whether an account's own S3 Block Public Access has `BlockPublicAcls` on: it
/// holds for every bucket in the account, and for `s3:CreateBucket` there.
pub fn account_blocks_public_acls(org: &Org, a: crate::org::AccountIx) -> bool {
    org.account(a)
        .public_access_block
        .is_some_and(|b| b.block_public_acls)
}

/// Whether a grant's resource pattern (`*`, `arn:aws:s3:::logs-*/*`) may cover a
/// bucket where `BlockPublicAcls` is on: a bucket of the org that has it, or any
/// bucket the org does not hold when some account has it. What-can names the rule
/// beside such a grant when the question's context sets a public ACL. Errs towards
/// yes: a wildcard in the bucket name matches every bucket that starts alike.
pub fn pattern_reaches_blocked_bucket(org: &Org, pattern: &str) -> bool {
    if !pattern.contains(['*', '?']) {
        return false;
    }
    let Some(bucket_part) = s3_bucket_part(pattern) else {
        return false;
    };
    let wild = bucket_part
        .find(['/', '*', '?'])
        .is_some_and(|cut| bucket_part[cut..].starts_with(['*', '?']));
    let held = org.resources().iter().enumerate().any(|(i, r)| {
        let ix = crate::org::ResourceIx::new(i);
        r.kind == crate::org::ResourceKind::S3Bucket
            && bucket_part_reaches(bucket_part, r.arn.rsplit(':').next().unwrap_or(""))
            && bucket_blocks_public_acls(org, ix)
    });
    held || (wild
        && (0..org.accounts().len())
            .any(|a| account_blocks_public_acls(org, crate::org::AccountIx::new(a))))
}

/// Whether a resource pattern (an ARN, wildcards allowed, or `*`) can name bucket
/// `name` or one of its objects. Errs towards yes: a wildcard in the bucket name
/// matches every bucket that starts alike.
pub fn pattern_reaches_bucket(pattern: &str, name: &str) -> bool {
    s3_bucket_part(pattern).is_some_and(|part| bucket_part_reaches(part, name))
}

/// The `bucket/key` part of a resource pattern that can name S3 resources (`*` for
/// `*`); `None` for a pattern of another service.
fn s3_bucket_part(pattern: &str) -> Option<&str> {
    if pattern == "*" {
        return Some("*");
    }
    let mut parts = pattern.splitn(6, ':');
    let service = parts.nth(2).unwrap_or("");
    if service != "s3" && !service.contains(['*', '?']) {
        return None;
    }
    Some(parts.nth(2).unwrap_or(""))
}

/// Whether the resource part of an S3 ARN pattern (`bucket/key`, wildcards allowed)
/// can name bucket `name` or one of its objects.
fn bucket_part_reaches(bucket_part: &str, name: &str) -> bool {
    let cut = bucket_part
        .find(['/', '*', '?'])
        .unwrap_or(bucket_part.len());
    let prefix = &bucket_part[..cut];
    if bucket_part[cut..].starts_with(['*', '?']) {
        name.starts_with(prefix)
    } else {
        name == prefix
    }
}

/// What the request says of the ACL it sets, for the notes: `acl` is
/// [`crate::engine::public_acl`] of the request (`None`: no ACL key given), `blocked`
/// whether `BlockPublicAcls` is on where the request lands.
#[derive(Debug, Clone, Copy)]
pub struct AclAsked {
    pub acl: Option<bool>,
    pub blocked: bool,
}

/// What orgscope leaves out of a decision on S3 because it does not read bucket or
/// object ACLs (the exports it reads hold none): an ACL may grant a request no
/// policy allows, and `BlockPublicAcls` refuses a request that sets a public ACL.
/// `None` for a request no ACL bears on, or a denial an ACL cannot lift: an explicit
/// deny, or an implicit one from an SCP, an RCP, a boundary or a session policy (an ACL
/// grant is a grant of the resource's side, as a bucket policy's; IAM User Guide,
/// "Policy evaluation logic"). `blocked_by` is the layer that denied.
///
/// An allowed request that may set an ACL but gives none of the ACL keys says that a
/// public one is refused where `BlockPublicAcls` is on (the engine refuses it when
/// the context gives one).
pub fn acl_note(
    org: &Org,
    action: &str,
    resource: &str,
    decision: Decision,
    blocked_by: Option<Layer>,
    asked: AclAsked,
) -> Option<String> {
    let name = s3_action(action)?;
    let bpa = settings(org, resource);
    match decision {
        Decision::ExplicitlyDenied => None,
        Decision::Allowed if crate::engine::ACL_SETTING_ACTIONS.contains(&name.as_str()) => {
            let state = match bpa {
                _ if asked.blocked => "on for this bucket",
                Some(_) => "off for this bucket",
                None => "not known for this bucket",
            };
            match asked.acl {
                // Not public: Block Public Access has nothing to refuse.
                Some(false) => None,
                Some(true) => Some(format!(
                    "the request sets a public ACL: S3 refuses it when S3 Block Public Access BlockPublicAcls is on ({state})"
                )),
                None if asked.blocked => Some(
                    "S3 ACLs are not evaluated: the request gives no ACL (s3:x-amz-acl, s3:x-amz-grant-*); if it sets a public one (public-read, public-read-write, authenticated-read, or a grant to AllUsers or AuthenticatedUsers), S3 Block Public Access refuses it, as BlockPublicAcls is on for this bucket".to_string(),
                ),
                None => Some(format!(
                    "S3 ACLs are not evaluated: if the request sets a public ACL (public-read, public-read-write, authenticated-read, or a grant to AllUsers or AuthenticatedUsers), S3 refuses it when BlockPublicAcls is on ({state})"
                )),
            }
        }
        Decision::Allowed => None,
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

/// what-can's caveat, where it asks of an action an ACL grants (`asked` says whether
/// it asks of one of these lower-case S3 action names): an ACL could allow more.
pub fn what_can_acl_note(asked: impl Fn(&[&str]) -> bool) -> Option<String> {
    asked(ACL_GRANTED).then(|| {
        "S3 ACLs are not evaluated: a bucket or object ACL could grant this principal's account, AllUsers or AuthenticatedUsers S3 actions (s3:GetObject, s3:PutObject, s3:ListBucket, ...) beyond those listed, unless the bucket's Object Ownership disables ACLs".to_string()
    })
}

/// who-can's note on the principals an ACL could let in, which it cannot list, and on
/// a public ACL that the request could set, which `BlockPublicAcls` refuses: `None`
/// for the requests no ACL bears on. `acl` is what the question's context says of
/// the ACL the request sets ([`crate::engine::public_acl`]).
pub fn who_can_acl_note(
    org: &Org,
    action: &str,
    resource: &str,
    acl: Option<bool>,
) -> Option<String> {
    let name = s3_action(action)?;
    let granted = ACL_GRANTED.contains(&name.as_str()).then(|| {
        let public = match settings(org, resource) {
            Some(b) if b.ignore_public_acls => {
                " (IgnorePublicAcls is on for this bucket: grants to AllUsers or AuthenticatedUsers do not count)"
            }
            _ => "",
        };
        format!(
            "S3 ACLs are not evaluated: accounts, AllUsers or AuthenticatedUsers that a bucket or object ACL grants are not listed{public}"
        )
    });
    let sets_acl = crate::engine::ACL_SETTING_ACTIONS.contains(&name.as_str());
    let blocked = org
        .bucket_of(resource)
        .is_some_and(|r| bucket_blocks_public_acls(org, r));
    let setting = (sets_acl && acl.is_none())
        .then(|| match org.bucket_of(resource) {
            Some(r) if bucket_blocks_public_acls(org, r) => {
                "BlockPublicAcls is on for this bucket: a request that sets a public ACL is refused to everyone (give s3:x-amz-acl to ask about one)"
            }
            Some(_) => {
                "a request that sets a public ACL is refused where BlockPublicAcls is on; it is off for this bucket"
            }
            None => {
                "a request that sets a public ACL is refused where BlockPublicAcls is on (the bucket's account's setting, for a bucket the org does not hold: give s3:x-amz-acl to ask about one)"
            }
        });
    // The request sets a public ACL: who-can's lists are empty for that reason.
    let setting = setting.or_else(|| {
        (sets_acl && acl == Some(true) && blocked).then_some(
            "BlockPublicAcls is on for this bucket: the public ACL the request sets is refused to everyone",
        )
    });
    match (granted, setting) {
        (Some(g), Some(s)) => Some(format!("{g}; {s}")),
        (Some(g), None) => Some(g),
        (None, Some(s)) => Some(format!("S3 ACLs are not evaluated; {s}")),
        (None, None) => None,
    }
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
    /// No ACL key given, Block Public Access off where the request lands.
    const NO_ACL: AclAsked = AclAsked {
        acl: None,
        blocked: false,
    };

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
        let note = acl_note(
            &org,
            "s3:GetObject",
            object,
            Decision::ImplicitlyDenied,
            ID,
            NO_ACL,
        )
        .unwrap();
        assert!(note.starts_with("S3 ACLs are not evaluated"), "{note}");
        assert!(!note.contains("IgnorePublicAcls"), "{note}");
        assert_eq!(
            acl_note(
                &org,
                "s3:GetObject",
                object,
                Decision::ExplicitlyDenied,
                None,
                NO_ACL
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
                ID,
                NO_ACL
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
                Some(Layer::Session),
                NO_ACL
            ),
            None
        );
        assert_eq!(
            acl_note(
                &org,
                "sqs:SendMessage",
                object,
                Decision::ImplicitlyDenied,
                ID,
                NO_ACL
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
        let denied = acl_note(
            &org,
            "s3:GetObject",
            object,
            Decision::ImplicitlyDenied,
            ID,
            NO_ACL,
        )
        .unwrap();
        assert!(denied.contains("IgnorePublicAcls is on"), "{denied}");
        // The workload account has BlockPublicAcls on: a PutObject that gives no ACL
        // says a public one is refused; one whose ACL is not public needs no note.
        let on = AclAsked {
            acl: None,
            blocked: true,
        };
        let put = acl_note(&org, "s3:PutObject", object, Decision::Allowed, None, on).unwrap();
        assert!(
            put.contains(
                "S3 Block Public Access refuses it, as BlockPublicAcls is on for this bucket"
            ),
            "{put}"
        );
        let private = AclAsked {
            acl: Some(false),
            blocked: true,
        };
        assert_eq!(
            acl_note(
                &org,
                "s3:PutObject",
                object,
                Decision::Allowed,
                None,
                private
            ),
            None
        );
        let open = acl_note(
            &org,
            "s3:PutObject",
            "arn:aws:s3:::sandbox-open/x",
            Decision::Allowed,
            None,
            NO_ACL,
        )
        .unwrap();
        assert!(open.contains("not known for this bucket"), "{open}");
        // Allowed with a public ACL where Block Public Access is not known: said so.
        let public = AclAsked {
            acl: Some(true),
            blocked: false,
        };
        let set = acl_note(
            &org,
            "s3:PutObjectAcl",
            "arn:aws:s3:::sandbox-open/x",
            Decision::Allowed,
            None,
            public,
        )
        .unwrap();
        assert!(set.starts_with("the request sets a public ACL"), "{set}");
        assert!(set.contains("not known for this bucket"), "{set}");
        assert_eq!(
            acl_note(
                &org,
                "s3:GetObject",
                object,
                Decision::Allowed,
                None,
                NO_ACL
            ),
            None
        );
        let who = who_can_acl_note(&org, "s3:GetObject", object, None).unwrap();
        assert!(who.contains("are not listed"), "{who}");
        assert!(who.contains("IgnorePublicAcls is on"), "{who}");
        let who = who_can_acl_note(&org, "s3:PutObject", object, None).unwrap();
        assert!(
            who.contains("BlockPublicAcls is on for this bucket: a request that sets a public ACL is refused to everyone"),
            "{who}"
        );
        let who = who_can_acl_note(&org, "s3:PutObject", object, Some(false)).unwrap();
        assert!(!who.contains("BlockPublicAcls"), "{who}");
        let who = who_can_acl_note(&org, "s3:PutObject", object, Some(true)).unwrap();
        assert!(
            who.ends_with("the public ACL the request sets is refused to everyone"),
            "{who}"
        );
        let who =
            who_can_acl_note(&org, "s3:CreateBucket", "arn:aws:s3:::new-bucket", None).unwrap();
        assert!(who.contains("where BlockPublicAcls is on"), "{who}");
    }

    /// S3 User Guide, "Blocking public access to your Amazon S3 storage": a grant on a
    /// pattern reaches a bucket where BlockPublicAcls is on (its own or its account's).
    #[test]
    fn patterns_reach_buckets_that_block_public_acls() {
        let org = fixture();
        for p in ["*", "arn:aws:s3:::*", "arn:aws:s3:::workload-*/*"] {
            assert!(pattern_reaches_blocked_bucket(&org, p), "{p}");
        }
        // A named bucket is decided by the engine, not here.
        assert!(!pattern_reaches_blocked_bucket(
            &org,
            "arn:aws:s3:::workload-site"
        ));
        assert!(!pattern_reaches_blocked_bucket(&org, "arn:aws:sqs:*:*:*"));
        // The sandbox account has no account-level setting; sandbox-open has none.
        assert!(!pattern_reaches_blocked_bucket(
            &org,
            "arn:aws:s3:::sandbox-open/*"
        ));
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
