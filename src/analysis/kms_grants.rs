//! KMS grants, which orgscope does not read (the exports it loads hold none: `aws kms
//! list-grants` is not among them). A grant allows its grantee the operations it
//! lists on one key, beside the key policy and IAM policies ("Grants in AWS KMS",
//! KMS Developer Guide; CreateGrant, KMS API Reference). Like an S3 ACL it only
//! grants, so it can only turn a denial that a grant could lift into an Allow: the
//! answers say so rather than report such a denial as certain.

use crate::engine::{Decision, Layer};

/// The operations a grant can allow (`GrantOperation`, KMS API Reference,
/// CreateGrant), as the IAM actions of the same names.
const GRANT_OPERATIONS: &[&str] = &[
    "creategrant",
    "decrypt",
    "derivesharedsecret",
    "describekey",
    "encrypt",
    "generatedatakey",
    "generatedatakeypair",
    "generatedatakeypairwithoutplaintext",
    "generatedatakeywithoutplaintext",
    "generatemac",
    "getpublickey",
    "reencryptfrom",
    "reencryptto",
    "retiregrant",
    "sign",
    "verify",
    "verifymac",
];

/// Whether a grant on `resource` could allow `action`: a grant operation on a key
/// (grants name keys, never aliases).
fn grantable(action: &str, resource: &str) -> bool {
    action.split_once(':').is_some_and(|(service, name)| {
        service.eq_ignore_ascii_case("kms")
            && GRANT_OPERATIONS.contains(&name.to_ascii_lowercase().as_str())
    }) && crate::org::ResourceKind::of_arn(resource) == crate::org::ResourceKind::KmsKey
}

/// `can`'s note on a denial a grant could lift: one for want of an Allow in the IAM
/// or the key policy. An explicit deny, an SCP, an RCP, a boundary or a session
/// policy is not lifted by a grant, as it is not by a key policy's Allow.
pub fn can_note(
    action: &str,
    resource: &str,
    decision: Decision,
    blocked_by: Option<Layer>,
) -> Option<String> {
    (decision == Decision::ImplicitlyDenied
        && matches!(blocked_by, Some(Layer::Identity | Layer::Resource))
        && grantable(action, resource))
    .then(|| {
        "KMS grants are not evaluated: a grant on this key for this principal (or its account) could still allow this".to_string()
    })
}

/// who-can's caveat: the grantees of a grant on the key are not listed.
pub fn who_can_note(action: &str, resource: &str) -> Option<String> {
    grantable(action, resource).then(|| {
        "KMS grants are not evaluated: principals that a grant on this key allows are not listed".to_string()
    })
}

/// what-can's caveat, where it asks of a grant operation (`asked` says whether it
/// asks of one of these lower-case action names): a grant could allow more.
pub fn what_can_note(asked: impl Fn(&[&str]) -> bool) -> Option<String> {
    asked(GRANT_OPERATIONS).then(|| {
        "KMS grants are not evaluated: a grant on a key could allow this principal grant operations (kms:Decrypt, kms:Encrypt, kms:GenerateDataKey, ...) beyond those listed".to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    // KMS API Reference, CreateGrant: a grant allows the grant operations on a key.
    #[test]
    fn a_grant_operation_on_a_key_denied_for_want_of_an_allow_gets_the_note() {
        for layer in [Layer::Identity, Layer::Resource] {
            let note = can_note("kms:Decrypt", KEY, Decision::ImplicitlyDenied, Some(layer));
            assert!(note.unwrap().contains("KMS grants are not evaluated"));
        }
        assert!(who_can_note("KMS:generateDataKey", KEY).is_some());
    }

    // A grant lifts no explicit deny and no guardrail (SCP, RCP, boundary, session
    // policy), and cannot allow an operation outside the grant operations, nor act on
    // an alias.
    #[test]
    fn no_note_where_a_grant_cannot_change_the_answer() {
        assert!(
            can_note(
                "kms:Decrypt",
                KEY,
                Decision::ExplicitlyDenied,
                Some(Layer::Resource)
            )
            .is_none()
        );
        assert!(can_note("kms:Decrypt", KEY, Decision::Allowed, None).is_none());
        for layer in [
            Layer::Scp(0),
            Layer::Rcp(1),
            Layer::Boundary,
            Layer::Session,
        ] {
            assert!(
                can_note("kms:Decrypt", KEY, Decision::ImplicitlyDenied, Some(layer)).is_none()
            );
        }
        assert!(
            can_note(
                "kms:ScheduleKeyDeletion",
                KEY,
                Decision::ImplicitlyDenied,
                Some(Layer::Identity)
            )
            .is_none()
        );
        assert!(who_can_note("kms:PutKeyPolicy", KEY).is_none());
        assert!(
            who_can_note(
                "kms:Decrypt",
                "arn:aws:kms:us-east-1:111122223333:alias/app"
            )
            .is_none()
        );
        assert!(who_can_note("s3:GetObject", "arn:aws:s3:::b/k").is_none());
    }
}
